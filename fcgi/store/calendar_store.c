#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/db.h"
#include "domain/calendar_text.h"
#include "domain/dossier_due.h"
#include "domain/timeutil.h"
#include "calendar_store.h"
#include "history_store.h"

#define JOB_BATCH_MAX     64          /* jobs taken together by one run */
#define JOB_STALE_MINUTES 10          /* a job running this long without a sign of life */
#define JOB_HEARTBEAT     60          /* seconds between the run's signs of life */
#define DOSSIER_CHUNK     256
#define PAUSES_MAX        1000
#define REASONS_MAX       2048        /* bytes of the joined reasons in a history note */

/* "YYYY-MM-DD" of a local day number; buf >= 11 bytes. */
static void day_text(int64_t day, char *buf, size_t size)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/* Copies at most CAL_NAME_MAX - 1 bytes, cut on a character boundary: a VARCHAR(127)
 * counts characters, so a row written by other means may hold more bytes than that. */
static void copy_name(char dst[CAL_NAME_MAX], const char *src)
{
	size_t len = src ? strlen(src) : 0;

	if (len >= CAL_NAME_MAX) {
		len = CAL_NAME_MAX - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

static mc_time db_time_or_zero(const char *s)
{
	mc_time t = 0;

	if (s == NULL || time_parse_db(s, strlen(s), &t) != 0)
		return 0;
	return t;
}

/* ---- loading ---- */

struct loader {
	struct calendar *cal;
	struct cal_day_sessions week[7];
	long nsessions;
	int bad;
};

static int load_day_cb(const struct db_row *row, void *arg)
{
	struct loader *l = arg;
	char name[CAL_NAME_MAX];
	int kind = row->val[1] ? cal_day_kind_from_code(row->val[1], row->len[1]) : -1;

	copy_name(name, row->val[2]);
	if ((kind != CAL_DAY_HOLIDAY && kind != CAL_DAY_MAKEUP_WORKDAY) ||
	    calendar_set_special(l->cal, db_row_int(row, 0, -1), (enum cal_day_kind)kind, name) != CAL_OK)
		l->bad = 1;
	return 0;
}

static int load_session_cb(const struct db_row *row, void *arg)
{
	struct loader *l = arg;
	long long wd = db_row_int(row, 0, -1);
	struct cal_day_sessions *w;

	l->nsessions++;
	if (wd < 0 || wd > 6 || l->week[wd].n == CAL_MAX_SESSIONS) {
		l->bad = 1;
		return 0;
	}
	w = &l->week[wd];
	w->s[w->n].start_min = (int)db_row_int(row, 1, -1);
	w->s[w->n].end_min = (int)db_row_int(row, 2, -1);
	w->n++;
	return 0;
}

int calendar_load(struct db *db, struct calendar *cal)
{
	static const char days_sql[] =
		"SELECT TO_DAYS(day) - TO_DAYS('1970-01-01'), kind, name FROM calendar_days";
	static const char sessions_sql[] =
		"SELECT weekday, start_min, end_min FROM work_sessions ORDER BY weekday, seq";
	struct loader l;
	int rc;

	memset(&l, 0, sizeof l);
	l.cal = cal;
	calendar_init(cal);
	if ((rc = db_query(db, sessions_sql, NULL, 0, load_session_cb, &l)) != 0 ||
	    (rc = db_query(db, days_sql, NULL, 0, load_day_cb, &l)) != 0)
		goto fail;
	for (int wd = 0; l.nsessions > 0 && wd < 7; wd++)
		if (calendar_set_sessions(cal, wd, l.week[wd].s, l.week[wd].n) != CAL_OK)
			l.bad = 1;
	if (!l.bad)
		return 0;
	rc = DB_ERR;
fail:
	calendar_free(cal);
	return rc;
}

/* ---- special days ---- */

struct year_list {
	int (*fn)(const struct calendar_day_row *d, void *arg);
	void *arg;
};

static int year_cb(const struct db_row *row, void *arg)
{
	struct year_list *y = arg;
	struct calendar_day_row d = { row->val[0], row->val[1], row->val[2], row->val[3] };

	return y->fn(&d, y->arg);
}

int calendar_days_of_year(struct db *db, int year,
                          int (*fn)(const struct calendar_day_row *d, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT day, kind, name, updated_at FROM calendar_days "
		"WHERE day BETWEEN ? AND ? ORDER BY day";
	char first[16], last[16];
	struct year_list y = { fn, arg };

	snprintf(first, sizeof first, "%04d-01-01", year);
	snprintf(last, sizeof last, "%04d-12-31", year);
	{
		struct db_param p[] = { DB_STR(first), DB_STR(last) };
		return db_query(db, sql, p, 2, year_cb, &y);
	}
}

struct existing {
	int found;
	int kind;
	char name[CAL_NAME_MAX];
};

static int existing_cb(const struct db_row *row, void *arg)
{
	struct existing *e = arg;

	e->found = 1;
	e->kind = row->val[0] ? cal_day_kind_from_code(row->val[0], row->len[0]) : -1;
	copy_name(e->name, row->val[1]);
	return 0;
}

static int lock_day(struct db *db, const char *date, struct existing *e)
{
	static const char sql[] = "SELECT kind, name FROM calendar_days WHERE day = ? FOR UPDATE";
	struct db_param p[] = { DB_STR(date) };

	memset(e, 0, sizeof *e);
	return db_query(db, sql, p, 1, existing_cb, e);
}

static int insert_job(struct db *db, const char *reason, long long *job_id)
{
	static const char sql[] =
		"INSERT INTO calendar_jobs (reason, created_at) VALUES (?, UTC_TIMESTAMP())";
	struct db_param p[] = { DB_STR(reason) };
	unsigned long long id = 0;
	int rc;

	if ((rc = db_exec(db, sql, p, 1, NULL, &id)) != 0)
		return rc;
	*job_id = (long long)id;
	return 0;
}

static int enqueue_job(struct db *db, enum cal_change c, int64_t day, enum cal_day_kind kind,
                       const char *name, long long *job_id)
{
	char reason[256 + CAL_NAME_MAX];

	cal_change_reason(c, day, kind, name, reason, sizeof reason);
	return insert_job(db, reason, job_id);
}

int calendar_day_set(struct db *db, int64_t day, enum cal_day_kind kind,
                     const char *name, long long officer_id, long long *job_id, int *created)
{
	static const char upsert_sql[] =
		"INSERT INTO calendar_days (day, kind, name, updated_by, updated_at) "
		"VALUES (?, ?, ?, ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE kind = VALUES(kind), "
		"name = VALUES(name), updated_by = VALUES(updated_by), updated_at = VALUES(updated_at)";
	char date[16];
	struct existing e;
	int rc;

	*job_id = 0;
	*created = 0;
	day_text(day, date, sizeof date);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = lock_day(db, date, &e)) != 0)
		goto fail;
	{
		struct db_param p[] = {
			DB_STR(date), DB_STR(cal_day_kind_code(kind)), DB_STR(name),
			officer_id > 0 ? DB_INT(officer_id) : DB_NULLP,
		};
		if ((rc = db_exec(db, upsert_sql, p, 4, NULL, NULL)) != 0)
			goto fail;
	}
	if (!e.found || e.kind != (int)kind) {
		rc = enqueue_job(db, e.found ? CAL_CHANGE_KIND : CAL_CHANGE_ADD, day, kind, name, job_id);
		if (rc != 0)
			goto fail;
	}
	if ((rc = db_commit(db)) != 0)
		goto fail;
	*created = !e.found;
	return 0;
fail:
	db_rollback(db);
	*job_id = 0;
	return rc;
}

int calendar_day_remove(struct db *db, int64_t day, long long *job_id,
                        enum cal_day_kind *kind, char name[CAL_NAME_MAX])
{
	static const char delete_sql[] = "DELETE FROM calendar_days WHERE day = ?";
	char date[16];
	struct existing e;
	int rc;

	*job_id = 0;
	day_text(day, date, sizeof date);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = lock_day(db, date, &e)) != 0)
		goto fail;
	if (!e.found) {
		db_rollback(db);
		return 1;
	}
	*kind = e.kind == CAL_DAY_MAKEUP_WORKDAY ? CAL_DAY_MAKEUP_WORKDAY : CAL_DAY_HOLIDAY;
	memcpy(name, e.name, CAL_NAME_MAX);
	{
		struct db_param p[] = { DB_STR(date) };
		if ((rc = db_exec(db, delete_sql, p, 1, NULL, NULL)) != 0)
			goto fail;
	}
	if ((rc = enqueue_job(db, CAL_CHANGE_REMOVE, day, *kind, e.name, job_id)) != 0 ||
	    (rc = db_commit(db)) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	*job_id = 0;
	return rc;
}

/* ---- working sessions ---- */

static int same_day_sessions(const struct cal_day_sessions *a, const struct cal_day_sessions *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->s[i].start_min != b->s[i].start_min || a->s[i].end_min != b->s[i].end_min)
			return 0;
	return 1;
}

/* Reads the week into l->week (FOR UPDATE when lock); l->nsessions 0: the table is empty. */
static int read_week(struct db *db, struct loader *l, int lock)
{
	static const char sql[] =
		"SELECT weekday, start_min, end_min FROM work_sessions ORDER BY weekday, seq";
	static const char lock_sql[] =
		"SELECT weekday, start_min, end_min FROM work_sessions ORDER BY weekday, seq FOR UPDATE";
	int rc;

	memset(l, 0, sizeof *l);
	if ((rc = db_query(db, lock ? lock_sql : sql, NULL, 0, load_session_cb, l)) != 0)
		return rc;
	return l->bad ? DB_ERR : 0;
}

int calendar_sessions_get(struct db *db, struct cal_day_sessions week[7], int *is_default)
{
	struct loader l;
	struct calendar def;
	int rc;

	if ((rc = read_week(db, &l, 0)) != 0)
		return rc;
	*is_default = l.nsessions == 0;
	calendar_init(&def);             /* allocates nothing */
	memcpy(week, l.nsessions ? l.week : def.week, 7 * sizeof *week);
	return 0;
}

/* "đổi giờ làm việc thứ Hai, thứ Bảy": the weekdays whose sessions change, for the job's
 * reason and the dossiers' history notes (calendar_jobs.reason is a VARCHAR(255)). */
static void sessions_reason(const struct cal_day_sessions *old, const struct cal_day_sessions *new,
                            char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "đổi giờ làm việc");
	int first = 1;

	/* Monday first, as Vietnamese calendars list the week */
	for (int k = 1; k <= 7 && len < size; k++) {
		int wd = k % 7;
		if (same_day_sessions(&old[wd], &new[wd]))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s", first ? " " : ", ",
		                        cal_weekday_name(wd, CAL_LANG_VI));
		first = 0;
	}
}

int calendar_sessions_set(struct db *db, const struct cal_day_sessions week[7], long long *job_id)
{
	static const char clear_sql[] = "DELETE FROM work_sessions";
	static const char insert_sql[] =
		"INSERT INTO work_sessions (weekday, seq, start_min, end_min) VALUES (?, ?, ?, ?)";
	struct loader l;
	struct calendar def;
	struct cal_day_sessions old[7];
	char reason[256];
	int rc, changed = 0, is_default = 1;

	*job_id = 0;
	calendar_init(&def);
	for (int wd = 0; wd < 7; wd++)
		is_default &= same_day_sessions(&week[wd], &def.week[wd]);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = read_week(db, &l, 1)) != 0)
		goto fail;
	memcpy(old, l.nsessions ? l.week : def.week, sizeof old);
	for (int wd = 0; wd < 7; wd++)
		changed |= !same_day_sessions(&old[wd], &week[wd]);
	if (!changed) {
		/* nothing moves: no rows rewritten, no job */
		if ((rc = db_commit(db)) != 0)
			goto fail;
		return 0;
	}
	if ((rc = db_exec(db, clear_sql, NULL, 0, NULL, NULL)) != 0)
		goto fail;
	/* the default week is stored as no rows at all, as the table's comment defines it */
	for (int wd = 0; !is_default && wd < 7; wd++)
		for (size_t i = 0; i < week[wd].n; i++) {
			struct db_param p[] = {
				DB_INT(wd), DB_INT(i), DB_INT(week[wd].s[i].start_min), DB_INT(week[wd].s[i].end_min),
			};
			if ((rc = db_exec(db, insert_sql, p, 4, NULL, NULL)) != 0)
				goto fail;
		}
	sessions_reason(old, week, reason, sizeof reason);
	if ((rc = insert_job(db, reason, job_id)) != 0 || (rc = db_commit(db)) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	*job_id = 0;
	return rc;
}

/* ---- jobs ---- */

static const char *const job_status_codes[CJ__MAX] = { "pending", "running", "finished" };

const char *calendar_job_status_code(enum calendar_job_status s)
{
	return (int)s >= 0 && s < CJ__MAX ? job_status_codes[s] : "";
}

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static int job_cb(const struct db_row *row, void *arg)
{
	struct calendar_job *j = arg;

	j->id = db_row_int(row, 0, 0);
	copy_text(j->reason, sizeof j->reason, row->val[1]);
	copy_text(j->created_at, sizeof j->created_at, row->val[2]);
	copy_text(j->started_at, sizeof j->started_at, row->val[3]);
	copy_text(j->finished_at, sizeof j->finished_at, row->val[4]);
	j->changed = (unsigned long)db_row_int(row, 5, 0);
	j->status = row->val[4] ? CJ_FINISHED : row->val[3] ? CJ_RUNNING : CJ_PENDING;
	return 0;
}

int calendar_job_get(struct db *db, long long id, struct calendar_job *job)
{
	static const char sql[] =
		"SELECT id, reason, created_at, started_at, finished_at, changed "
		"FROM calendar_jobs WHERE id = ?";
	struct db_param p[] = { DB_INT(id) };
	int rc;

	memset(job, 0, sizeof *job);
	if ((rc = db_query(db, sql, p, 1, job_cb, job)) != 0)
		return rc;
	return job->id ? 0 : 1;
}

struct batch {
	long long ids[JOB_BATCH_MAX];
	unsigned n;
	char reasons[REASONS_MAX];
	size_t len;
	unsigned unlisted;              /* reasons that did not fit */
};

/* 1 if reason is one of the "; "-separated entries of list. */
static int has_reason(const char *list, const char *reason)
{
	size_t rl = strlen(reason);

	for (const char *p = list; *p; ) {
		size_t n = strcspn(p, ";");
		if (n == rl && memcmp(p, reason, rl) == 0)
			return 1;
		p += n;
		if (*p == ';')
			p++;
		if (*p == ' ')
			p++;
	}
	return 0;
}

static int take_cb(const struct db_row *row, void *arg)
{
	struct batch *b = arg;
	const char *reason = row->val[1] ? row->val[1] : "";
	size_t rl = strlen(reason);

	if (b->n == JOB_BATCH_MAX)
		return 0;
	b->ids[b->n++] = db_row_int(row, 0, 0);
	/* the same change asked twice is named once */
	if (rl == 0 || has_reason(b->reasons, reason))
		return 0;
	if (b->len + 2 + rl + 1 > sizeof b->reasons - 64) {
		b->unlisted++;
		return 0;
	}
	if (b->len > 0) {
		memcpy(b->reasons + b->len, "; ", 2);
		b->len += 2;
	}
	memcpy(b->reasons + b->len, reason, rl + 1);
	b->len += rl;
	return 0;
}

/* Takes the pending jobs (see calendar_run_jobs) and marks them started. 0 with b->n
 * jobs (possibly none), or a DB_ERR* code. */
static int take_jobs(struct db *db, struct batch *b)
{
	static const char select_sql[] =
		"SELECT id, reason FROM calendar_jobs WHERE finished_at IS NULL AND "
		"(started_at IS NULL OR started_at < UTC_TIMESTAMP() - INTERVAL 10 MINUTE) "
		"ORDER BY id LIMIT 64 FOR UPDATE SKIP LOCKED";
	static const char start_sql[] =
		"UPDATE calendar_jobs SET started_at = UTC_TIMESTAMP() WHERE id = ?";
	int rc;

	_Static_assert(JOB_BATCH_MAX == 64 && JOB_STALE_MINUTES == 10, "the SQL above says so");
	memset(b, 0, sizeof *b);
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_query(db, select_sql, NULL, 0, take_cb, b)) != 0)
		goto fail;
	for (unsigned i = 0; i < b->n; i++) {
		struct db_param p[] = { DB_INT(b->ids[i]) };
		if ((rc = db_exec(db, start_sql, p, 1, NULL, NULL)) != 0)
			goto fail;
	}
	if ((rc = db_commit(db)) != 0)
		goto fail;
	if (b->unlisted)
		snprintf(b->reasons + b->len, sizeof b->reasons - b->len, "; và %u thay đổi khác",
		         b->unlisted);
	return 0;
fail:
	db_rollback(db);
	b->n = 0;
	return rc;
}

/* finished: 1 marks the jobs finished with `changed`, 0 renews their sign of life,
 * -1 hands them back to pending. */
static int mark_jobs(struct db *db, const struct batch *b, int finished, unsigned long changed)
{
	static const char finish_sql[] =
		"UPDATE calendar_jobs SET finished_at = UTC_TIMESTAMP(), changed = ? WHERE id = ?";
	static const char alive_sql[] =
		"UPDATE calendar_jobs SET started_at = UTC_TIMESTAMP() WHERE id = ? AND finished_at IS NULL";
	static const char release_sql[] =
		"UPDATE calendar_jobs SET started_at = NULL WHERE id = ? AND finished_at IS NULL";
	int rc = 0;

	for (unsigned i = 0; i < b->n && rc == 0; i++) {
		struct db_param fp[] = { DB_INT(changed), DB_INT(b->ids[i]) };
		struct db_param p[] = { DB_INT(b->ids[i]) };

		if (finished > 0)
			rc = db_exec(db, finish_sql, fp, 2, NULL, NULL);
		else
			rc = db_exec(db, finished == 0 ? alive_sql : release_sql, p, 1, NULL, NULL);
	}
	return rc;
}

/* ---- recomputation ---- */

/* What the due computation of one dossier needs. */
struct due_input {
	long long id;
	mc_time received, due;          /* due 0: none stored */
	int64_t amount;
	int unit;                       /* enum cal_time_unit, -1 if unreadable */
	int restart;
	long long npauses;
	/* read under the lock only */
	char code[64], state[32], unit_code[64];
	long long unit_id;
	long long procedure_id;
};

static int due_input_amount(struct due_input *in, const char *time, const char *unit)
{
	in->unit = unit ? cal_time_unit_from_code(unit, strlen(unit)) : -1;
	if (!time || cal_amount_parse(time, strlen(time), &in->amount) != 0)
		in->unit = -1;
	return 0;
}

struct chunk {
	struct due_input rows[DOSSIER_CHUNK];
	unsigned n;
};

static int chunk_cb(const struct db_row *row, void *arg)
{
	struct chunk *c = arg;
	struct due_input *in = &c->rows[c->n++];

	memset(in, 0, sizeof *in);
	in->id = db_row_int(row, 0, 0);
	in->received = db_time_or_zero(row->val[1]);
	in->due = db_time_or_zero(row->val[2]);
	due_input_amount(in, row->val[3], row->val[4]);
	in->restart = (int)db_row_int(row, 5, 0);
	in->npauses = db_row_int(row, 6, 0);
	return c->n == DOSSIER_CHUNK;   /* the LIMIT says the same; never overflow */
}

static int read_chunk(struct db *db, long long after, struct chunk *c)
{
	static const char sql[] =
		"SELECT d.id, d.received_at, d.due_at, p.processing_time, p.time_unit, "
		"p.restart_on_supplement, (SELECT COUNT(*) FROM dossier_pauses x WHERE x.dossier_id = d.id) "
		"FROM dossiers d JOIN procedures p ON p.id = d.procedure_id "
		"WHERE d.state IN ('processing', 'awaiting_supplement', 'awaiting_payment', 'suspended') "
		"AND d.received_at IS NOT NULL AND d.id > ? ORDER BY d.id LIMIT 256";
	struct db_param p[] = { DB_INT(after) };
	int rc;

	_Static_assert(DOSSIER_CHUNK == 256, "the SQL above says so");
	c->n = 0;
	rc = db_query(db, sql, p, 1, chunk_cb, c);
	return rc > 0 ? 0 : rc;
}

struct pause_list {
	struct dossier_pause *p;
	size_t n, cap;
	int bad;
};

static int pause_cb(const struct db_row *row, void *arg)
{
	struct pause_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct dossier_pause *np;

		if (cap > PAUSES_MAX || (np = realloc(l->p, cap * sizeof *np)) == NULL) {
			l->bad = 1;
			return 1;
		}
		l->p = np;
		l->cap = cap;
	}
	l->p[l->n].supplement = row->val[0] && strcmp(row->val[0], "awaiting_supplement") == 0;
	l->p[l->n].from = db_time_or_zero(row->val[1]);
	l->p[l->n].to = db_time_or_zero(row->val[2]);
	if (l->p[l->n].from == 0)
		l->bad = 1;
	l->n++;
	return 0;
}

/*
 * The due instant of in against cal. 0 and *due; 1 when the dossier's data cannot give
 * one (unreadable amount, broken pause, calendar error); or a DB_ERR* code.
 */
static int compute_due(struct db *db, const struct calendar *cal, const struct due_input *in,
                       mc_time *due)
{
	static const char pauses_sql[] =
		"SELECT state, from_at, to_at FROM dossier_pauses WHERE dossier_id = ? ORDER BY seq";
	struct pause_list l = { NULL, 0, 0, 0 };
	int rc = 0;

	if (in->unit < 0 || in->received == 0)
		return 1;
	if (in->npauses > 0) {
		struct db_param p[] = { DB_INT(in->id) };
		rc = db_query(db, pauses_sql, p, 1, pause_cb, &l);
		if (rc < 0)
			goto out;
		rc = 0;
		if (l.bad) {
			rc = 1;
			goto out;
		}
	}
	if (dossier_due_at(cal, in->received, in->amount, (enum cal_time_unit)in->unit,
	                   in->restart, l.p, l.n, due) != CAL_OK)
		rc = 1;
out:
	free(l.p);
	return rc;
}

static int locked_cb(const struct db_row *row, void *arg)
{
	struct due_input *in = arg;

	copy_text(in->code, sizeof in->code, row->val[0]);
	copy_text(in->state, sizeof in->state, row->val[1]);
	in->received = db_time_or_zero(row->val[2]);
	in->due = db_time_or_zero(row->val[3]);
	in->procedure_id = db_row_int(row, 4, 0);
	in->unit_id = db_row_int(row, 5, 0);
	in->npauses = db_row_int(row, 6, 0);
	return 0;
}

static int procedure_cb(const struct db_row *row, void *arg)
{
	struct due_input *in = arg;

	due_input_amount(in, row->val[0], row->val[1]);
	in->restart = (int)db_row_int(row, 2, 0);
	copy_text(in->unit_code, sizeof in->unit_code, row->val[3]);
	return 0;
}

static int is_open_state(const char *s)
{
	return strcmp(s, "processing") == 0 || strcmp(s, "awaiting_supplement") == 0 ||
	       strcmp(s, "awaiting_payment") == 0 || strcmp(s, "suspended") == 0;
}

/*
 * One dossier whose due date looked different: lock it, read it again, and if it still
 * differs, write it with a history event. 0 done (*changed 0 or 1), 1 unusable data, or a
 * DB_ERR* code.
 */
static int recompute_locked(struct db *db, const struct calendar *cal, long long id,
                            const char *reasons, int *changed)
{
	static const char lock_sql[] =
		"SELECT code, state, received_at, due_at, procedure_id, "
		"COALESCE(current_unit_id, unit_id), "
		"(SELECT COUNT(*) FROM dossier_pauses x WHERE x.dossier_id = dossiers.id) "
		"FROM dossiers WHERE id = ? FOR UPDATE";
	static const char proc_sql[] =
		"SELECT p.processing_time, p.time_unit, p.restart_on_supplement, u.code "
		"FROM procedures p, units u WHERE p.id = ? AND u.id = ?";
	static const char update_sql[] =
		"UPDATE dossiers SET due_at = ?, version = version + 1 WHERE id = ?";
	struct due_input in;
	mc_time due = 0;
	char note[REASONS_MAX + 256], due_text[24];
	int rc;

	*changed = 0;
	memset(&in, 0, sizeof in);
	in.id = id;
	in.unit = -1;
	if ((rc = db_begin(db)) != 0)
		return rc;
	{
		struct db_param p[] = { DB_INT(id) };
		if ((rc = db_query(db, lock_sql, p, 1, locked_cb, &in)) != 0)
			goto fail;
	}
	if (in.code[0] == '\0' || !is_open_state(in.state) || in.received == 0) {
		db_rollback(db);        /* closed or paused into another state meanwhile */
		return 0;
	}
	{
		struct db_param p[] = { DB_INT(in.procedure_id), DB_INT(in.unit_id) };
		if ((rc = db_query(db, proc_sql, p, 2, procedure_cb, &in)) != 0)
			goto fail;
	}
	if ((rc = compute_due(db, cal, &in, &due)) != 0)
		goto fail;
	if (due == in.due) {
		db_rollback(db);
		return 0;
	}
	time_format_db(due, due_text, sizeof due_text);
	cal_recalc_note(reasons, in.due, due, note, sizeof note);
	{
		struct db_param p[] = { DB_STR(due_text), DB_INT(id) };
		struct history_append e = {
			.dossier_id = id, .dossier_code = in.code, .at = (mc_time)time(NULL),
			.action = "recalculate", .from_state = in.state, .to_state = in.state,
			.unit_id = in.unit_id, .unit_code = in.unit_code, .step_seq = -1,
			.actor = "system", .note = note, .due_at = due,
		};
		if ((rc = db_exec(db, update_sql, p, 2, NULL, NULL)) != 0 ||
		    (rc = history_append(db, &e)) != 0 || (rc = db_commit(db)) != 0)
			goto fail;
	}
	*changed = 1;
	return 0;
fail:
	db_rollback(db);
	return rc;
}

static void count_failure(struct calendar_run *run, long long id)
{
	run->failed++;
	if (run->first_failed == 0)
		run->first_failed = id;
}

/* Every open dossier: an unlocked look first, the lock only where the date moves. */
static int recompute_open(struct db *db, const struct calendar *cal, const struct batch *b,
                          const volatile sig_atomic_t *stop, struct calendar_run *run)
{
	struct chunk *c = malloc(sizeof *c);
	long long after = 0;
	time_t alive = time(NULL);
	int rc = 0;

	if (c == NULL)
		return DB_ERR;
	do {
		if ((rc = read_chunk(db, after, c)) != 0)
			break;
		for (unsigned i = 0; i < c->n && rc == 0; i++) {
			const struct due_input *in = &c->rows[i];
			mc_time due;
			int changed = 0, r;

			if (stop && *stop) {
				run->interrupted = 1;
				goto out;
			}
			after = in->id;
			run->examined++;
			r = compute_due(db, cal, in, &due);
			if (r == 0 && due != in->due)
				r = recompute_locked(db, cal, in->id, b->reasons, &changed);
			if (r == 1 || r == DB_ERR || r == DB_ERR_DUP)
				count_failure(run, in->id);
			else if (r < 0)
				rc = r;         /* the connection: give up this run */
			run->changed += (unsigned long)changed;
			if (time(NULL) - alive >= JOB_HEARTBEAT) {
				alive = time(NULL);
				rc = rc ? rc : mark_jobs(db, b, 0, 0);
			}
		}
	} while (rc == 0 && c->n == DOSSIER_CHUNK);
out:
	free(c);
	return rc;
}

int calendar_run_jobs(struct db *db, const volatile sig_atomic_t *stop, struct calendar_run *run)
{
	struct batch *b = malloc(sizeof *b);
	struct calendar cal;
	int rc, have_cal = 0;

	memset(run, 0, sizeof *run);
	if (b == NULL)
		return DB_ERR;
	if ((rc = take_jobs(db, b)) != 0 || b->n == 0)
		goto out;
	run->jobs = b->n;
	run->first_job = b->ids[0];
	run->last_job = b->ids[b->n - 1];
	if ((rc = calendar_load(db, &cal)) != 0)
		goto release;
	have_cal = 1;
	if ((rc = recompute_open(db, &cal, b, stop, run)) != 0 || run->interrupted)
		goto release;
	rc = mark_jobs(db, b, 1, run->changed);
	goto out;
release:
	/* back to pending now rather than after the stale delay; may fail with the connection */
	mark_jobs(db, b, -1, 0);
out:
	if (have_cal)
		calendar_free(&cal);
	free(b);
	return rc;
}
