/*
 * motcua-worker: the background work that no request should wait for. Every
 * POLL_SECONDS it runs what is pending:
 *   - calendar jobs: a change of the working calendar moves the open dossiers' due
 *     dates (store/calendar_store.c, calendar_run_jobs);
 *   - apology drafts (every DRAFT_SECONDS): a dossier due within one working day, or
 *     late, without an apology letter gets one drafted with a proposed new date, for a
 *     leader to approve (domain/apology.c).
 *
 * One process, one MariaDB connection, no threads. SIGTERM or SIGINT stops it cleanly:
 * between two polls at once, during a job at the next dossier (the job goes back to
 * pending and the next start finishes it; what was done stays done). Logs go to stderr.
 * Configuration: the same MOTCUA_* settings as the service.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "domain/apology.h"
#include "store/calendar_store.h"
#include "store/dossier_store.h"

#define POLL_SECONDS 2
#define DRAFT_SECONDS 10          /* apology drafts: an indexed query, cheap enough */

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	stopping = sig;
}

/* Sleeps up to `seconds`, returning early when a signal arrives. */
static void pause_for(int seconds)
{
	struct timespec ts = { seconds, 0 };

	while (!stopping && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Runs the pending calendar jobs until none is left. Returns 0, or -1 on a database
 * error (logged; the caller retries at the next poll). */
static int calendar_jobs(struct db *db)
{
	struct calendar_run run;
	int rc;

	while (!stopping) {
		time_t t0 = time(NULL);

		if ((rc = calendar_run_jobs(db, &stopping, &run)) != 0) {
			log_error("calendar jobs: %s", db_error(db));
			return -1;
		}
		if (run.jobs == 0)
			return 0;
		if (run.interrupted) {
			log_info("calendar jobs %lld..%lld: interrupted after %lu dossiers; back to pending",
			         run.first_job, run.last_job, run.examined);
			return 0;
		}
		log_info("calendar jobs %lld..%lld (%u): %lu open dossiers examined, %lu due dates "
		         "moved, %lu failed, %lds", run.first_job, run.last_job, run.jobs, run.examined,
		         run.changed, run.failed, (long)(time(NULL) - t0));
		if (run.failed)
			log_warn("calendar jobs: %lu dossiers could not be recomputed (first: id %lld); "
			         "their data (procedure time, pauses) needs a look", run.failed,
			         run.first_failed);
	}
	return 0;
}

struct cand_list { struct apology_candidate *out; size_t cap; size_t *n; };

static int collect_candidate(const struct apology_candidate *a, void *arg)
{
	struct cand_list *l = arg;

	/* collected first: a query per row while these are fetched would clobber them */
	if (*l->n < l->cap)
		l->out[(*l->n)++] = *a;
	return 0;
}

/*
 * Dossiers about to be late (due within one working day) or late get an apology letter
 * drafted with a proposed new date, for a leader to approve (DOMAIN.md: a late dossier
 * needs an apology letter with a new return date, approved by a leader).
 */
static void draft_apologies(struct db *db)
{
	struct apology_candidate cand[200];
	struct calendar cal;
	mc_time now = time(NULL), soon;
	size_t n = 0;
	unsigned long drafted = 0;

	calendar_init(&cal);
	if (calendar_load(db, &cal) != 0 ||
	    calendar_add_working_seconds(&cal, now, CAL_WORKING_DAY_SECONDS, &soon) != CAL_OK) {
		log_error("apology drafts: cannot load the calendar: %s", db_error(db));
		calendar_free(&cal);
		return;
	}
	if (apology_candidates(db, soon, 200, collect_candidate, &(struct cand_list){ cand, 200, &n }) != 0) {
		log_error("apology drafts: %s", db_error(db));
		calendar_free(&cal);
		return;
	}
	for (size_t i = 0; i < n && !stopping; i++) {
		struct procedure_info pi;
		mc_time proposed;
		char vn[16], reason[160];

		if (procedure_info_load_id(db, cand[i].procedure_id, &pi) != 0 ||
		    apology_proposed_date(&cal, cand[i].due_at, now, pi.amount, pi.unit, &proposed) != CAL_OK)
			continue;
		time_format_vn_date(cand[i].due_at, vn, sizeof vn);
		snprintf(reason, sizeof reason, "%s hạn giải quyết %s",
		         cand[i].due_at < now ? "Hồ sơ đã quá" : "Hồ sơ sắp đến", vn);
		if (apology_insert(db, cand[i].id, proposed, reason, 0, 0, now) == 0)
			drafted++;
	}
	if (drafted)
		log_info("apology drafts: %lu letters drafted for dossiers due before %lld", drafted, (long long)soon);
	calendar_free(&cal);
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct sigaction sa;
	struct db *db;
	char err[256];
	int down = 0;
	time_t last_drafts = 0;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: motcua-worker  (configuration: MOTCUA_* environment)\n");
		return 2;
	}
	if (config_load(&cfg, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-worker: configuration: %s\n", err);
		return 2;
	}
	log_set_level(cfg.log_level);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;        /* no SA_RESTART: a sleep must end at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (mysql_library_init(0, NULL, NULL) != 0 || (db = db_open(&cfg.db)) == NULL) {
		log_error("worker: initialisation failed");
		return 1;
	}
	log_info("worker %d: polling every %d s", (int)getpid(), POLL_SECONDS);
	while (!stopping) {
		if (db_ping(db) != 0) {
			if (!down)
				log_error("worker: database unreachable: %s", db_error(db));
			down = 1;
		} else {
			if (down)
				log_info("worker: database reachable again");
			down = 0;
			calendar_jobs(db);
			if (time(NULL) - last_drafts >= DRAFT_SECONDS) {
				draft_apologies(db);
				last_drafts = time(NULL);
			}
		}
		pause_for(POLL_SECONDS);
	}
	db_close(db);
	mysql_library_end();
	log_info("worker: signal %d, stopped cleanly", (int)stopping);
	return 0;
}
