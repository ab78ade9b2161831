/*
 * motcua-worker: the background work that no request should wait for. Every
 * POLL_SECONDS it runs what is pending:
 *   - calendar jobs: a change of the working calendar moves the open dossiers' due
 *     dates (store/calendar_store.c, calendar_run_jobs);
 *   - apology drafts (every DRAFT_SECONDS): a dossier due within one working day, or
 *     late, without an apology letter gets one drafted with a proposed new date, for a
 *     leader to approve (domain/apology.c);
 *   - the warnings digest (once a local working day, from MOTCUA_DIGEST_HOUR): one e-mail
 *     per officer with something to be warned about (store/warnings_store.h);
 *   - the outbox (every poll): messages to applicants written by the workflow's
 *     transactions, sent by e-mail over SMTP (core/smtp.c) and SMS through the configured
 *     sender (core/sms.c), with back-off and a lease per message (store/outbox_store.h
 *     says why a message is never sent twice, and when it can be sent once more);
 *   - the outbox purge (every PURGE_SECONDS, and at start): messages sent more than
 *     MOTCUA_OUTBOX_KEEP_DAYS days ago lose their body and subject, their recipient masked;
 *   - CRL sources (every CRL_POLL_SECONDS, and at start): each source not fetched for
 *     MOTCUA_CRL_REFRESH_MINUTES is fetched, checked and stored (core/crlrefresh.h);
 *   - signing sessions (every SESSION_SWEEP_SECONDS): two-step signing sessions past their
 *     10 minutes are deleted with the prepared PDF they hold (store/result_store.h);
 *   - statistics (every poll): dossiers changed since they were counted are recounted,
 *     and months over for MOTCUA_STATS_CLOSE_DAYS days (5) are closed (store/stats_store.h).
 *
 * One process, one MariaDB connection, no threads. SIGTERM or SIGINT stops it cleanly:
 * between two polls at once, during a job at the next dossier (the job goes back to
 * pending and the next start finishes it; what was done stays done). Logs go to stderr.
 * Configuration: the same MOTCUA_* settings as the service.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>

#include "core/config.h"
#include "core/crlrefresh.h"
#include "core/crypto.h"
#include "core/db.h"
#include "core/log.h"
#include "core/sms.h"
#include "core/smtp.h"
#include "domain/apology.h"
#include "domain/mailfmt.h"
#include "domain/notify.h"
#include "store/calendar_store.h"
#include "store/dossier_store.h"
#include "store/outbox_store.h"
#include "store/result_store.h"
#include "store/stats_store.h"
#include "store/warnings_store.h"

#define POLL_SECONDS 2
#define DRAFT_SECONDS 10          /* apology drafts: an indexed query, cheap enough */
#define DIGEST_SECONDS 60         /* warnings digest: once a local day after MOTCUA_DIGEST_HOUR */
#define CRL_POLL_SECONDS 10       /* CRL sources: which are due (each every crl_refresh_minutes) */
#define PURGE_SECONDS 3600        /* outbox: sent messages older than outbox_keep_days purged */
#define SESSION_SWEEP_SECONDS 10  /* expired signing sessions deleted */

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

/* ---------------------------------------------------------------- the outbox */

#define OUTBOX_BATCH 20
#define OUTBOX_BATCHES_PER_POLL 10

/* One message over SMTP; SMTP_* outcome, err says why not. */
static enum smtp_outcome send_email(const struct config *cfg, const struct outbox_msg *m,
                                    char *err, size_t errsz)
{
	const char *domain = strchr(cfg->mail_from, '@');
	struct smtp_config sc = {
		.host = cfg->smtp_host, .port = cfg->smtp_port, .starttls = cfg->smtp_starttls,
		.user = cfg->smtp_user, .password = cfg->smtp_password,
		.helo = domain ? domain + 1 : "localhost", .timeout_seconds = cfg->smtp_timeout,
	};
	char mid[300];
	char *msg;
	size_t len;
	enum smtp_outcome out;

	if (!cfg->smtp_host[0]) {
		snprintf(err, errsz, "MOTCUA_SMTP_HOST is not set");
		return SMTP_TEMPORARY;
	}
	/* the same id on a resend, so a mailbox can tell the copy */
	snprintf(mid, sizeof mid, "motcua.%lld.%lld@%s", m->id, (long long)m->created_at,
	         domain ? domain + 1 : "motcua.invalid");
	msg = mailfmt_message(&(struct mail_message){
		.from = cfg->mail_from, .to = m->recipient, .subject = m->subject, .body = m->body,
		.message_id = mid, .date = time(NULL) }, &len);
	if (!msg) {
		snprintf(err, errsz, "cannot format the message (bad address?)");
		return SMTP_PERMANENT;
	}
	out = smtp_send(&sc, cfg->mail_from, m->recipient, msg, len, err, errsz);
	free(msg);
	return out;
}

/*
 * Sends what is due: claim a batch (a lease), send each message, mark it sent or failed
 * at once. A database error leaves the rest of the batch to its lease's expiry.
 */
static void deliver_outbox(struct db *db, const struct config *cfg, struct sms_sender *sms)
{
	struct outbox_msg msgs[OUTBOX_BATCH];
	unsigned char rnd[16];
	char token[33];
	unsigned long sent = 0, failed = 0;

	for (int batch = 0; batch < OUTBOX_BATCHES_PER_POLL && !stopping; batch++) {
		size_t n = 0;
		int rc;

		if (crypto_random(rnd, sizeof rnd) != 0)
			return;
		for (int i = 0; i < 16; i++)
			snprintf(token + 2 * i, 3, "%02x", rnd[i]);
		if ((rc = outbox_claim(db, token, time(NULL), msgs, OUTBOX_BATCH, &n)) != 0) {
			log_error("outbox: cannot claim messages: %s", db_error(db));
			return;
		}
		for (size_t i = 0; i < n; i++) {
			struct outbox_msg *m = &msgs[i];
			char err[512] = "";
			int permanent = 0, ok;

			if (stopping) {
				/* not sent: free the lease at once rather than wait for it (the attempt
				 * counts, a small price for a quick stop) */
				outbox_mark_failed(db, m->id, token, time(NULL), m->attempts, 0, "worker stopped");
				outbox_msg_free(m);
				continue;
			}
			if (strcmp(m->channel, "sms") == 0) {
				enum sms_outcome so = sms->send(sms, m->recipient, m->body, m->id, m->dedup_key,
				                                err, sizeof err);
				ok = so == SMS_SENT;
				permanent = so == SMS_PERMANENT;
			} else {
				enum smtp_outcome eo = send_email(cfg, m, err, sizeof err);
				ok = eo == SMTP_SENT;
				permanent = eo == SMTP_PERMANENT;
			}
			/* the window for a second sending is from here to this commit */
			if (ok)
				rc = outbox_mark_sent(db, m->id, token, time(NULL));
			else
				rc = outbox_mark_failed(db, m->id, token, time(NULL), m->attempts, permanent, err);
			if (rc < 0)
				log_error("outbox %lld: cannot record the outcome: %s", m->id, db_error(db));
			if (ok) {
				sent++;
			} else {
				failed++;
				log_warn("outbox %lld (%s to %s, attempt %d): %s%s", m->id, m->channel,
				         m->recipient, m->attempts, err,
				         permanent || m->attempts >= NOTIFY_MAX_ATTEMPTS ? "; given up" : "");
			}
			outbox_msg_free(m);
		}
		if (n < OUTBOX_BATCH)
			break;
	}
	if (sent || failed)
		log_info("outbox: %lu sent, %lu failed", sent, failed);
}

/* Blanks what sent messages said once they are MOTCUA_OUTBOX_KEEP_DAYS old
 * (store/outbox_store.h, outbox_purge); the admins' POST /api/v1/outbox/purge runs it too. */
static void purge_outbox(struct db *db, const struct config *cfg)
{
	unsigned long purged = 0;

	if (outbox_purge(db, time(NULL) - (time_t)cfg->outbox_keep_days * 86400, &stopping, &purged) != 0)
		log_error("outbox purge: %s", db_error(db));
	else if (purged)
		log_info("outbox purge: %lu sent messages older than %d days blanked", purged,
		         cfg->outbox_keep_days);
}

/*
 * --test-mail ADDRESS: one e-mail through the configured server, not through the outbox
 * and without the database, to check the SMTP settings. Exit status 0 sent, 3 a
 * temporary failure, 4 a permanent one; the reason on stderr.
 */
static int test_mail(const struct config *cfg, const char *to)
{
	struct outbox_msg m;
	char err[512];
	enum smtp_outcome out;

	signal(SIGPIPE, SIG_IGN);
	memset(&m, 0, sizeof m);
	snprintf(m.recipient, sizeof m.recipient, "%s", to);
	m.subject = (char *)"Thư thử nghiệm từ hệ thống một cửa điện tử";
	m.body = (char *)"Thư này kiểm tra cấu hình gửi thư của motcua.\n"
	                 "This message checks motcua's mail settings.\n";
	m.created_at = time(NULL);
	out = send_email(cfg, &m, err, sizeof err);
	if (out == SMTP_SENT) {
		printf("sent to %s through %s:%d\n", to, cfg->smtp_host, cfg->smtp_port);
		return 0;
	}
	fprintf(stderr, "motcua-worker: %s failure: %s\n", out == SMTP_PERMANENT ? "permanent" : "temporary", err);
	return out == SMTP_PERMANENT ? 4 : 3;
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct sigaction sa;
	struct db *db;
	char err[256];
	int down = 0;
	time_t last_drafts = 0, last_crls = 0;
	struct sms_sender sms;
	time_t last_digest = 0;
	int64_t digest_day = -1;     /* the local day whose warnings digest is done */
	time_t last_purge = 0;
	time_t last_session_sweep = 0;

	if (argc != 1 && !(argc == 3 && strcmp(argv[1], "--test-mail") == 0)) {
		fprintf(stderr, "usage: motcua-worker  (configuration: MOTCUA_* environment)\n"
		                "       motcua-worker --test-mail ADDRESS  (one e-mail through MOTCUA_SMTP_*)\n");
		return 2;
	}
	if (config_load(&cfg, err, sizeof err) != 0) {
		fprintf(stderr, "motcua-worker: configuration: %s\n", err);
		return 2;
	}
	log_set_level(cfg.log_level);
	if (argc == 3)
		return test_mail(&cfg, argv[2]);
	if (sms_sender_file(&sms, cfg.sms_sink) != 0) {
		fprintf(stderr, "motcua-worker: MOTCUA_SMS_SINK must name a file\n");
		return 2;
	}
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
			if (time(NULL) - last_digest >= DIGEST_SECONDS) {
				warnings_digest_daily(db, &cfg, time(NULL), &digest_day);
				last_digest = time(NULL);
			}
			deliver_outbox(db, &cfg, &sms);
			if (time(NULL) - last_purge >= PURGE_SECONDS) {
				purge_outbox(db, &cfg);
				last_purge = time(NULL);
			}
			stats_worker_tick(db, time(NULL), cfg.stats_close_days);
			if (time(NULL) - last_crls >= CRL_POLL_SECONDS) {
				unsigned ok = 0, failed = 0;
				/* at start every source, then each when due */
				if (crl_refresh_due(db, last_crls ? cfg.crl_refresh_minutes : 0, &ok, &failed) != 0)
					log_error("crl sources: %s", db_error(db));
				else if (ok || failed)
					log_info("crl sources: %u refreshed, %u failed", ok, failed);
				last_crls = time(NULL);
			}
			if (time(NULL) - last_session_sweep >= SESSION_SWEEP_SECONDS) {
				unsigned long long gone = 0;
				if (signing_sessions_purge(db, time(NULL), &gone) != 0)
					log_error("signing sessions: %s", db_error(db));
				else if (gone)
					log_info("signing sessions: %llu expired deleted", gone);
				last_session_sweep = time(NULL);
			}
		}
		pause_for(POLL_SECONDS);
	}
	db_close(db);
	sms.close(&sms);
	mysql_library_end();
	log_info("worker: signal %d, stopped cleanly", (int)stopping);
	return 0;
}
