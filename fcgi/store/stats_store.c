/* Statistics tables: see stats_store.h for the design. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/log.h"
#include "stats_store.h"

#define TX_RETRIES 3
#define DRAIN_BATCH 200

/* ---------------------------------------------------------------- days and months */

int32_t stats_month_first(int32_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return (int32_t)days_from_civil(y, m, 1);
}

int32_t stats_month_next(int32_t first)
{
	int y, m, d;

	civil_from_days(first, &y, &m, &d);
	return (int32_t)(m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1));
}

int32_t stats_month_last(int32_t first)
{
	return stats_month_next(first) - 1;
}

static int32_t month_prev(int32_t first)
{
	return stats_month_first(first - 1);
}

/* "YYYY-MM-DD" of a day number; buf >= 11. */
static const char *day_text(int32_t day, char *buf)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return buf;
}

/* A DATE column: its day number, or STATS_NEVER for NULL. */
static int32_t day_of(const char *s)
{
	int y, m, d;

	if (!s || sscanf(s, "%d-%d-%d", &y, &m, &d) != 3)
		return STATS_NEVER;
	return (int32_t)days_from_civil(y, m, d);
}

static struct db_param day_param(int32_t day, char buf[11])
{
	if (day == STATS_NEVER)
		return DB_NULLP;
	return DB_STR(day_text(day, buf));
}

static int32_t today_of(mc_time now)
{
	return (int32_t)local_day_number(now);
}

/* ---------------------------------------------------------------- a small hash of counts */

/* Keys of four ints (day or month, unit, field, procedure), eight int32 counts. Open
 * addressing, power-of-two capacity, at most 3/4 full. */
struct agg_entry { int32_t k[4]; int32_t v[8]; int used; };
_Static_assert(SF__MAX <= 8, "agg_entry holds every flow column");
struct agg { struct agg_entry *e; size_t cap, n; };

static uint64_t agg_hash(const int32_t k[4])
{
	uint64_t h = 1469598103934665603ULL;

	for (int i = 0; i < 4; i++) {
		h ^= (uint32_t)k[i];
		h *= 1099511628211ULL;
		h ^= h >> 29;
	}
	return h;
}

static int agg_grow(struct agg *a)
{
	size_t cap = a->cap ? a->cap * 2 : 1024;
	struct agg_entry *e = calloc(cap, sizeof *e);

	if (!e)
		return -1;
	for (size_t i = 0; i < a->cap; i++) {
		if (!a->e[i].used)
			continue;
		size_t j = agg_hash(a->e[i].k) & (cap - 1);
		while (e[j].used)
			j = (j + 1) & (cap - 1);
		e[j] = a->e[i];
	}
	free(a->e);
	a->e = e;
	a->cap = cap;
	return 0;
}

/* The entry of key k, created zeroed; NULL when memory runs out. */
static struct agg_entry *agg_at(struct agg *a, int32_t k0, int32_t k1, int32_t k2, int32_t k3)
{
	int32_t k[4] = { k0, k1, k2, k3 };
	size_t j;

	if ((a->n + 1) * 4 > a->cap * 3 && agg_grow(a) != 0)
		return NULL;
	j = agg_hash(k) & (a->cap - 1);
	while (a->e[j].used) {
		if (memcmp(a->e[j].k, k, sizeof k) == 0)
			return &a->e[j];
		j = (j + 1) & (a->cap - 1);
	}
	a->e[j].used = 1;
	memcpy(a->e[j].k, k, sizeof k);
	a->n++;
	return &a->e[j];
}

static const struct agg_entry *agg_find(const struct agg *a, int32_t k0, int32_t k1, int32_t k2)
{
	int32_t k[4] = { k0, k1, k2, 0 };
	size_t j;

	if (!a->cap)
		return NULL;
	for (j = agg_hash(k) & (a->cap - 1); a->e[j].used; j = (j + 1) & (a->cap - 1))
		if (memcmp(a->e[j].k, k, sizeof k) == 0)
			return &a->e[j];
	return NULL;
}

static void agg_free(struct agg *a)
{
	free(a->e);
	memset(a, 0, sizeof *a);
}

/* ---------------------------------------------------------------- facts of one dossier */

#define FACTS_SOURCE_COLS \
	"d.id, d.unit_id, d.field_id, d.procedure_id, d.state, d.channel, d.received_at, d.due_at, " \
	"d.finished_at, IF(d.state IN ('awaiting_supplement', 'awaiting_payment', 'suspended'), " \
	"(SELECT MAX(p.from_at) FROM dossier_pauses p WHERE p.dossier_id = d.id AND p.to_at IS NULL), NULL)"

struct keyed_facts {
	long long id;
	int32_t unit_id, field_id, procedure_id;
	struct stats_facts f;
	int found;
};

static void facts_from_row(const struct db_row *r, struct keyed_facts *k)
{
	struct stats_dossier d = {
		.state = r->val[4], .channel = r->val[5], .received_at = time_from_db(r->val[6]),
		.due_at = time_from_db(r->val[7]), .finished_at = time_from_db(r->val[8]),
		.pause_from = time_from_db(r->val[9]),
	};

	k->id = db_row_int(r, 0, 0);
	k->unit_id = (int32_t)db_row_int(r, 1, 0);
	k->field_id = (int32_t)db_row_int(r, 2, 0);
	k->procedure_id = (int32_t)db_row_int(r, 3, 0);
	stats_classify(&d, &k->f);
	k->found = 1;
}

static int source_cb(const struct db_row *r, void *arg)
{
	facts_from_row(r, arg);
	return 0;
}

static int stored_cb(const struct db_row *r, void *arg)
{
	struct keyed_facts *k = arg;

	k->unit_id = (int32_t)db_row_int(r, 0, 0);
	k->field_id = (int32_t)db_row_int(r, 1, 0);
	k->procedure_id = (int32_t)db_row_int(r, 2, 0);
	k->f.counted = (int)db_row_int(r, 3, 0);
	k->f.online = (int)db_row_int(r, 4, 0);
	k->f.postal = (int)db_row_int(r, 5, 0);
	k->f.recv_day = day_of(r->val[6]);
	k->f.fin_day = day_of(r->val[7]);
	k->f.finish = (int)db_row_int(r, 8, 0);
	k->f.overdue_day = day_of(r->val[9]);
	if (!k->f.counted)
		k->f.recv_day = 0;
	k->found = 1;
	return 0;
}

static int same_facts(const struct keyed_facts *a, const struct keyed_facts *b)
{
	return a->unit_id == b->unit_id && a->field_id == b->field_id &&
	       a->procedure_id == b->procedure_id && a->f.counted == b->f.counted &&
	       (!a->f.counted || (a->f.online == b->f.online && a->f.postal == b->f.postal &&
	                          a->f.recv_day == b->f.recv_day &&
	                          a->f.fin_day == b->f.fin_day && a->f.finish == b->f.finish &&
	                          a->f.overdue_day == b->f.overdue_day));
}

/* ---------------------------------------------------------------- applying deltas */

static const char upsert_day_sql[] =
	"INSERT INTO stats_day (day, unit_id, field_id, procedure_id, rec_online, rec_direct_postal, "
	"fin_before, fin_on_time, fin_late, d_open, d_overdue, rec_postal) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	"ON DUPLICATE KEY UPDATE rec_online = rec_online + VALUES(rec_online), "
	"rec_direct_postal = rec_direct_postal + VALUES(rec_direct_postal), "
	"fin_before = fin_before + VALUES(fin_before), fin_on_time = fin_on_time + VALUES(fin_on_time), "
	"fin_late = fin_late + VALUES(fin_late), d_open = d_open + VALUES(d_open), "
	"d_overdue = d_overdue + VALUES(d_overdue), rec_postal = rec_postal + VALUES(rec_postal)";

static const char upsert_month_sql[] =
	"INSERT INTO stats_month (month, unit_id, field_id, rec_online, rec_direct_postal, "
	"fin_before, fin_on_time, fin_late, open_eom, overdue_eom, rec_postal) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	"ON DUPLICATE KEY UPDATE rec_online = rec_online + VALUES(rec_online), "
	"rec_direct_postal = rec_direct_postal + VALUES(rec_direct_postal), "
	"fin_before = fin_before + VALUES(fin_before), fin_on_time = fin_on_time + VALUES(fin_on_time), "
	"fin_late = fin_late + VALUES(fin_late), open_eom = open_eom + VALUES(open_eom), "
	"overdue_eom = overdue_eom + VALUES(overdue_eom), rec_postal = rec_postal + VALUES(rec_postal)";

static const char upsert_month_procedure_sql[] =
	"INSERT INTO stats_month_procedure (month, unit_id, procedure_id, fin_before, fin_on_time, fin_late) "
	"VALUES (?, ?, ?, ?, ?, ?) "
	"ON DUPLICATE KEY UPDATE fin_before = fin_before + VALUES(fin_before), "
	"fin_on_time = fin_on_time + VALUES(fin_on_time), fin_late = fin_late + VALUES(fin_late)";

/* The month's finishes per unit and procedure (sql/018_stats_month_procedure.sql). */
static int upsert_month_procedure(struct db *db, int32_t month, int32_t unit, int32_t procedure,
                                  const int32_t v[SF__MAX])
{
	char m[11];
	struct db_param p[] = { DB_STR(day_text(month, m)), DB_INT(unit), DB_INT(procedure),
	                        DB_INT(v[SF_FIN_BEFORE]), DB_INT(v[SF_FIN_ON_TIME]), DB_INT(v[SF_FIN_LATE]) };

	if (v[SF_FIN_BEFORE] == 0 && v[SF_FIN_ON_TIME] == 0 && v[SF_FIN_LATE] == 0)
		return 0;
	return db_exec(db, upsert_month_procedure_sql, p, 6, NULL, NULL);
}

static int upsert_month(struct db *db, int32_t month, int32_t unit, int32_t field, const int32_t v[SF__MAX],
                        int with_flows)
{
	char m[11];
	struct db_param p[3 + SF__MAX] = { DB_STR(day_text(month, m)), DB_INT(unit), DB_INT(field) };

	/* the balances move every later month; the flows only their own */
	for (int c = 0; c < SF__MAX; c++)
		p[3 + c] = DB_INT(c != SF_OPEN && c != SF_OVERDUE && !with_flows ? 0 : v[c]);
	return db_exec(db, upsert_month_sql, p, 3 + SF__MAX, NULL, NULL);
}

/* Adds the day-keyed deltas of `d` to stats_day, and to stats_month and
 * stats_month_procedure for months up to the horizon (the balances of every later month
 * move too). */
static int apply_deltas(struct db *db, const struct agg *d, int32_t horizon)
{
	int rc;

	for (size_t i = 0; i < d->cap; i++) {
		const struct agg_entry *e = &d->e[i];
		int nonzero = 0;
		char t[11];

		if (!e->used)
			continue;
		for (int c = 0; c < SF__MAX; c++)
			nonzero |= e->v[c] != 0;
		if (!nonzero)
			continue;
		{
			struct db_param p[4 + SF__MAX] = { DB_STR(day_text(e->k[0], t)), DB_INT(e->k[1]),
			                                   DB_INT(e->k[2]), DB_INT(e->k[3]) };
			for (int c = 0; c < SF__MAX; c++)
				p[4 + c] = DB_INT(e->v[c]);
			if ((rc = db_exec(db, upsert_day_sql, p, 4 + SF__MAX, NULL, NULL)) != 0)
				return rc;
		}
		if (horizon == STATS_NEVER)
			continue;
		for (int32_t m = stats_month_first(e->k[0]); m <= horizon; m = stats_month_next(m)) {
			int with_flows = m == stats_month_first(e->k[0]);
			if (!with_flows && e->v[SF_OPEN] == 0 && e->v[SF_OVERDUE] == 0)
				break;
			if ((rc = upsert_month(db, m, e->k[1], e->k[2], e->v, with_flows)) != 0)
				return rc;
			if (with_flows && (rc = upsert_month_procedure(db, m, e->k[1], e->k[3], e->v)) != 0)
				return rc;
		}
	}
	return 0;
}

static int add_flows(struct agg *d, const struct keyed_facts *k, int sign)
{
	struct stats_flow fl[STATS_FLOWS_MAX];
	int n = stats_flows(&k->f, fl);

	for (int i = 0; i < n; i++) {
		struct agg_entry *e = agg_at(d, fl[i].day, k->unit_id, k->field_id, k->procedure_id);
		if (!e)
			return DB_ERR;
		e->v[fl[i].col] += sign * fl[i].delta;
	}
	return 0;
}

static int horizon_cb(const struct db_row *r, void *arg)
{
	*(int32_t *)arg = day_of(r->val[0]);
	return 0;
}

static int read_horizon(struct db *db, int32_t *h, int lock)
{
	static const char sql[] = "SELECT horizon FROM stats_meta WHERE id = 1";
	static const char sql_lock[] = "SELECT horizon FROM stats_meta WHERE id = 1 FOR UPDATE";

	*h = STATS_NEVER;
	return db_query(db, lock ? sql_lock : sql, NULL, 0, horizon_cb, h);
}

/* Makes stats_month whole up to the last complete month: each new month is the previous
 * month's balances plus the month's days. Inside the caller's transaction. */
static int advance_horizon(struct db *db, mc_time now)
{
	static const char first_sql[] = "SELECT MIN(day) FROM stats_day";
	static const char build_sql[] =
		"INSERT INTO stats_month (month, unit_id, field_id, rec_online, rec_direct_postal, fin_before, "
		"fin_on_time, fin_late, open_eom, overdue_eom, rec_postal) "
		"SELECT ?, unit_id, field_id, SUM(a), SUM(b), SUM(c), SUM(e), SUM(f), SUM(o), SUM(v), SUM(p) FROM ("
		" SELECT unit_id, field_id, 0 a, 0 b, 0 c, 0 e, 0 f, open_eom o, overdue_eom v, 0 p "
		" FROM stats_month WHERE month = ? "
		" UNION ALL SELECT unit_id, field_id, rec_online, rec_direct_postal, fin_before, fin_on_time, "
		" fin_late, d_open, d_overdue, rec_postal FROM stats_day WHERE day BETWEEN ? AND ?) x "
		"GROUP BY unit_id, field_id "
		"HAVING SUM(a) <> 0 OR SUM(b) <> 0 OR SUM(c) <> 0 OR SUM(e) <> 0 OR SUM(f) <> 0 OR "
		"SUM(o) <> 0 OR SUM(v) <> 0";
	static const char build_procedure_sql[] =
		"INSERT INTO stats_month_procedure (month, unit_id, procedure_id, fin_before, fin_on_time, fin_late) "
		"SELECT ?, unit_id, procedure_id, SUM(fin_before), SUM(fin_on_time), SUM(fin_late) "
		"FROM stats_day WHERE day BETWEEN ? AND ? GROUP BY unit_id, procedure_id "
		"HAVING SUM(fin_before) <> 0 OR SUM(fin_on_time) <> 0 OR SUM(fin_late) <> 0";
	static const char set_sql[] = "UPDATE stats_meta SET horizon = ? WHERE id = 1";
	int32_t h, want = month_prev(stats_month_first(today_of(now))), m;
	char a[11], b[11], c[11], d[11];
	int rc;

	if ((rc = read_horizon(db, &h, 1)) != 0)
		return rc;
	if (h != STATS_NEVER && h >= want)
		return 0;
	if (h == STATS_NEVER) {
		int32_t first = STATS_NEVER;
		if ((rc = db_query(db, first_sql, NULL, 0, horizon_cb, &first)) != 0)
			return rc;
		m = first == STATS_NEVER ? stats_month_next(want) : stats_month_first(first);
	} else {
		m = stats_month_next(h);
	}
	for (; m <= want; m = stats_month_next(m)) {
		struct db_param p[] = { DB_STR(day_text(m, a)), DB_STR(day_text(month_prev(m), b)),
		                        DB_STR(day_text(m, c)), DB_STR(day_text(stats_month_last(m), d)) };
		struct db_param q[] = { p[0], p[2], p[3] };
		if ((rc = db_exec(db, build_sql, p, 4, NULL, NULL)) != 0 ||
		    (rc = db_exec(db, build_procedure_sql, q, 3, NULL, NULL)) != 0)
			return rc;
	}
	{
		struct db_param p[] = { DB_STR(day_text(want, a)) };
		return db_exec(db, set_sql, p, 1, NULL, NULL);
	}
}

/* Recounts one queued dossier inside the caller's transaction. */
static int recount(struct db *db, long long id, int32_t horizon, mc_time now)
{
	static const char src_sql[] =
		"SELECT " FACTS_SOURCE_COLS " FROM dossiers d WHERE d.id = ? LOCK IN SHARE MODE";
	static const char unqueue_sql[] = "DELETE FROM stats_dirty WHERE dossier_id = ?";
	static const char old_sql[] =
		"SELECT unit_id, field_id, procedure_id, counted, online, postal, recv_day, fin_day, finish, "
		"overdue_day FROM stats_facts WHERE dossier_id = ? FOR UPDATE";
	static const char save_sql[] =
		"REPLACE INTO stats_facts (dossier_id, unit_id, field_id, procedure_id, counted, online, postal, "
		"recv_day, fin_day, finish, overdue_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char log_sql[] =
		"INSERT INTO stats_changes (dossier_id, at, old_counted, old_online, old_recv, old_fin, "
		"old_finish, old_overdue, new_counted, new_online, new_recv, new_fin, new_finish, new_overdue) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct keyed_facts nw, old;
	struct agg d = { 0 };
	unsigned long long n = 0;
	char t[24], b[6][11];
	int rc;

	memset(&nw, 0, sizeof nw);
	memset(&old, 0, sizeof old);
	nw.f.fin_day = nw.f.overdue_day = STATS_NEVER;
	old.f.fin_day = old.f.overdue_day = STATS_NEVER;
	{
		struct db_param p[] = { DB_INT(id) };
		if ((rc = db_query(db, src_sql, p, 1, source_cb, &nw)) != 0)
			return rc;
		if ((rc = db_exec(db, unqueue_sql, p, 1, &n, NULL)) != 0)
			return rc;
		if (n == 0)
			return 0;               /* another drain recounted it */
		if ((rc = db_query(db, old_sql, p, 1, stored_cb, &old)) != 0)
			return rc;
	}
	if (!nw.found) {                /* deleted: nothing counts any more */
		nw = old;
		nw.f.counted = 0;
	}
	if (old.found && same_facts(&old, &nw))
		return 0;
	if ((rc = add_flows(&d, &old, -1)) == 0 && (rc = add_flows(&d, &nw, +1)) == 0)
		rc = apply_deltas(db, &d, horizon);
	agg_free(&d);
	if (rc != 0)
		return rc;
	{
		struct db_param p[] = {
			DB_INT(id), DB_INT(nw.unit_id), DB_INT(nw.field_id), DB_INT(nw.procedure_id),
			DB_INT(nw.f.counted), DB_INT(nw.f.online), DB_INT(nw.f.postal),
			nw.f.counted ? day_param(nw.f.recv_day, b[0]) : DB_NULLP, day_param(nw.f.fin_day, b[1]),
			DB_INT(nw.f.finish), day_param(nw.f.overdue_day, b[2]),
		};
		if ((rc = db_exec(db, save_sql, p, 11, NULL, NULL)) != 0)
			return rc;
	}
	if (!old.found)
		return 0;                   /* first count: nothing closed can have seen it */
	time_format_db(now, t, sizeof t);
	{
		struct db_param p[] = {
			DB_INT(id), DB_STR(t),
			DB_INT(old.f.counted), DB_INT(old.f.online),
			old.f.counted ? day_param(old.f.recv_day, b[3]) : DB_NULLP, day_param(old.f.fin_day, b[4]),
			DB_INT(old.f.finish), day_param(old.f.overdue_day, b[5]),
			DB_INT(nw.f.counted), DB_INT(nw.f.online),
			nw.f.counted ? day_param(nw.f.recv_day, b[0]) : DB_NULLP, day_param(nw.f.fin_day, b[1]),
			DB_INT(nw.f.finish), day_param(nw.f.overdue_day, b[2]),
		};
		return db_exec(db, log_sql, p, 14, NULL, NULL);
	}
}

struct id_list { long long *ids; size_t n, cap; };

static int id_cb(const struct db_row *r, void *arg)
{
	struct id_list *l = arg;

	if (l->n < l->cap)
		l->ids[l->n++] = db_row_int(r, 0, 0);
	return 0;
}

int stats_drain(struct db *db, mc_time now)
{
	static const char queued_sql[] = "SELECT dossier_id FROM stats_dirty ORDER BY dossier_id LIMIT ?";
	long long ids[DRAIN_BATCH];
	int32_t h0;
	int rc = 0;

	/* the horizon moves once a month: look before taking the lock */
	if ((rc = read_horizon(db, &h0, 0)) != 0)
		return rc;
	for (int attempt = 0; h0 == STATS_NEVER || h0 < month_prev(stats_month_first(today_of(now))); attempt++) {
		if ((rc = db_begin(db)) == 0 && (rc = advance_horizon(db, now)) == 0 && (rc = db_commit(db)) == 0)
			break;
		db_rollback(db);
		if (rc != DB_ERR_RETRY || attempt >= TX_RETRIES)
			return rc;
	}
	for (;;) {
		struct id_list l = { ids, 0, DRAIN_BATCH };
		struct db_param p[] = { DB_INT(DRAIN_BATCH) };
		int32_t h;

		if ((rc = db_query(db, queued_sql, p, 1, id_cb, &l)) != 0)
			return rc;
		if (l.n == 0)
			return 0;
		for (int attempt = 0;; attempt++) {
			rc = db_begin(db);
			if (rc == 0)
				rc = read_horizon(db, &h, 0);
			for (size_t i = 0; rc == 0 && i < l.n; i++)
				rc = recount(db, ids[i], h, now);
			if (rc == 0)
				rc = db_commit(db);
			if (rc == 0)
				break;
			db_rollback(db);
			if (rc != DB_ERR_RETRY || attempt >= TX_RETRIES)
				return rc;
		}
	}
}

/* ---------------------------------------------------------------- rebuild */

struct rebuild {
	FILE *facts;
	struct agg days;
	long long n;
	int failed;
};

static void put_day(FILE *f, int32_t day)
{
	char b[11];

	if (day == STATS_NEVER)
		fputs("\\N", f);
	else
		fputs(day_text(day, b), f);
}

static int rebuild_cb(const struct db_row *r, void *arg)
{
	struct rebuild *rb = arg;
	struct keyed_facts k;

	memset(&k, 0, sizeof k);
	facts_from_row(r, &k);
	fprintf(rb->facts, "%lld\t%d\t%d\t%d\t%d\t%d\t%d\t", k.id, k.unit_id, k.field_id, k.procedure_id,
	        k.f.counted, k.f.online, k.f.postal);
	put_day(rb->facts, k.f.counted ? k.f.recv_day : STATS_NEVER);
	fputc('\t', rb->facts);
	put_day(rb->facts, k.f.fin_day);
	fprintf(rb->facts, "\t%d\t", k.f.finish);
	put_day(rb->facts, k.f.overdue_day);
	fputc('\n', rb->facts);
	if (add_flows(&rb->days, &k, +1) != 0) {
		rb->failed = 1;
		return 1;
	}
	rb->n++;
	return 0;
}

static int cmp_month_entry(const void *a, const void *b)
{
	const struct agg_entry *x = a, *y = b;

	/* unit, field, month */
	for (int i = 1; i <= 2; i++)
		if (x->k[i] != y->k[i])
			return x->k[i] < y->k[i] ? -1 : 1;
	return x->k[0] < y->k[0] ? -1 : x->k[0] > y->k[0];
}

static void put_month(FILE *f, int32_t month, int32_t unit, int32_t field, const int32_t *flow,
                      long long open, long long overdue)
{
	char b[11];

	fprintf(f, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%lld\t%lld\t%d\n", day_text(month, b), unit, field,
	        flow ? flow[SF_REC_ONLINE] : 0, flow ? flow[SF_REC_DIRECT_POSTAL] : 0,
	        flow ? flow[SF_FIN_BEFORE] : 0, flow ? flow[SF_FIN_ON_TIME] : 0, flow ? flow[SF_FIN_LATE] : 0,
	        open, overdue, flow ? flow[SF_REC_POSTAL] : 0);
}

/* stats_month from the day flows: months up to the horizon, each (unit, field) from its
 * first month on while anything is non-zero. */
static int write_months(const struct agg *days, int32_t horizon, FILE *out)
{
	struct agg months = { 0 };
	struct agg_entry *list;
	size_t n = 0;

	for (size_t i = 0; i < days->cap; i++) {
		const struct agg_entry *e = &days->e[i];
		struct agg_entry *m;
		if (!e->used || e->k[0] > stats_month_last(horizon))
			continue;
		if (!(m = agg_at(&months, stats_month_first(e->k[0]), e->k[1], e->k[2], 0))) {
			agg_free(&months);
			return -1;
		}
		for (int c = 0; c < SF__MAX; c++)
			m->v[c] += e->v[c];
	}
	if (!(list = malloc((months.n ? months.n : 1) * sizeof *list))) {
		agg_free(&months);
		return -1;
	}
	for (size_t i = 0; i < months.cap; i++)
		if (months.e[i].used)
			list[n++] = months.e[i];
	agg_free(&months);
	qsort(list, n, sizeof *list, cmp_month_entry);
	for (size_t i = 0; i < n;) {
		int32_t unit = list[i].k[1], field = list[i].k[2], m = list[i].k[0];
		long long open = 0, overdue = 0;
		for (; m <= horizon; m = stats_month_next(m)) {
			const int32_t *flow = NULL;
			if (i < n && list[i].k[1] == unit && list[i].k[2] == field && list[i].k[0] == m) {
				flow = list[i].v;
				open += flow[SF_OPEN];
				overdue += flow[SF_OVERDUE];
				i++;
			}
			if (flow || open || overdue)
				put_month(out, m, unit, field, flow, open, overdue);
			if (!flow && !open && !overdue &&
			    !(i < n && list[i].k[1] == unit && list[i].k[2] == field))
				break;
		}
		while (i < n && list[i].k[1] == unit && list[i].k[2] == field)
			i++;                    /* months after the horizon live in stats_day only */
	}
	free(list);
	return 0;
}

static FILE *temp_file(char *path, size_t sz, const char *what)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, sz, "%s/motcua-stats-%s-XXXXXX", dir && *dir ? dir : "/tmp", what);
	if ((fd = mkstemp(path)) < 0)
		return NULL;
	return fdopen(fd, "w");
}

int stats_rebuild(struct db *db, mc_time now, FILE *log)
{
	static const char src_sql[] = "SELECT " FACTS_SOURCE_COLS " FROM dossiers d";
	static const char clear_sql[] =
		"TRUNCATE TABLE stats_dirty; TRUNCATE TABLE stats_facts; TRUNCATE TABLE stats_day; "
		"TRUNCATE TABLE stats_month; TRUNCATE TABLE stats_month_procedure";
	static const char meta_sql[] = "UPDATE stats_meta SET horizon = ?, rebuilt_at = ? WHERE id = 1";
	/* stats_month_procedure from the day rows just loaded: months up to the horizon */
	static const char months_procedure_sql[] =
		"INSERT INTO stats_month_procedure (month, unit_id, procedure_id, fin_before, fin_on_time, fin_late) "
		"SELECT day - INTERVAL (DAYOFMONTH(day) - 1) DAY AS month, unit_id, procedure_id, "
		"SUM(fin_before), SUM(fin_on_time), SUM(fin_late) FROM stats_day WHERE day <= LAST_DAY(?) "
		"GROUP BY month, unit_id, procedure_id "
		"HAVING SUM(fin_before) <> 0 OR SUM(fin_on_time) <> 0 OR SUM(fin_late) <> 0";
	char fpath[4096] = "", dpath[4096] = "", mpath[4096] = "", hb[11], tb[24];
	struct rebuild rb = { 0 };
	FILE *days = NULL, *months = NULL;
	int32_t horizon = month_prev(stats_month_first(today_of(now)));
	int rc = DB_ERR;

	if (!(rb.facts = temp_file(fpath, sizeof fpath, "facts")) ||
	    !(days = temp_file(dpath, sizeof dpath, "days")) ||
	    !(months = temp_file(mpath, sizeof mpath, "months"))) {
		if (log)
			fprintf(log, "stats-rebuild: temporary file: %s\n", strerror(errno));
		goto out;
	}
	if ((rc = db_exec_text(db, clear_sql, sizeof clear_sql - 1)) != 0)
		goto out;
	if ((rc = db_query(db, src_sql, NULL, 0, rebuild_cb, &rb)) != 0 || rb.failed) {
		rc = rc ? rc : DB_ERR;
		goto out;
	}
	for (size_t i = 0; i < rb.days.cap; i++) {
		const struct agg_entry *e = &rb.days.e[i];
		char b[11];
		if (!e->used)
			continue;
		fprintf(days, "%s\t%d\t%d\t%d", day_text(e->k[0], b), e->k[1], e->k[2], e->k[3]);
		for (int c = 0; c < SF__MAX; c++)
			fprintf(days, "\t%d", e->v[c]);
		fputc('\n', days);
	}
	if (write_months(&rb.days, horizon, months) != 0) {
		rc = DB_ERR;
		goto out;
	}
	if (fflush(rb.facts) != 0 || fflush(days) != 0 || fflush(months) != 0) {
		rc = DB_ERR;
		goto out;
	}
	if (log)
		fprintf(log, "stats-rebuild: %lld dossiers, %zu day rows\n", rb.n, rb.days.n);
	if ((rc = db_begin(db)) != 0 ||
	    (rc = db_load_infile(db, "stats_facts", fpath,
	                         "(dossier_id, unit_id, field_id, procedure_id, counted, online, postal, "
	                         "recv_day, fin_day, finish, overdue_day)")) != 0 ||
	    (rc = db_load_infile(db, "stats_day", dpath,     /* columns in enum stats_flow_col order */
	                         "(day, unit_id, field_id, procedure_id, rec_online, rec_direct_postal, "
	                         "fin_before, fin_on_time, fin_late, d_open, d_overdue, rec_postal)")) != 0 ||
	    (rc = db_load_infile(db, "stats_month", mpath,
	                         "(month, unit_id, field_id, rec_online, rec_direct_postal, fin_before, "
	                         "fin_on_time, fin_late, open_eom, overdue_eom, rec_postal)")) != 0) {
		db_rollback(db);
		goto out;
	}
	time_format_db(now, tb, sizeof tb);
	{
		struct db_param p[] = { DB_STR(day_text(horizon, hb)), DB_STR(tb) };
		struct db_param q[] = { DB_STR(day_text(horizon, hb)) };
		if ((rc = db_exec(db, months_procedure_sql, q, 1, NULL, NULL)) != 0 ||
		    (rc = db_exec(db, meta_sql, p, 2, NULL, NULL)) != 0 || (rc = db_commit(db)) != 0) {
			db_rollback(db);
			goto out;
		}
	}
	rc = 0;
out:
	if (rc != 0 && log)
		fprintf(log, "stats-rebuild: %s\n", db_error(db));
	agg_free(&rb.days);
	if (rb.facts)
		fclose(rb.facts);
	if (days)
		fclose(days);
	if (months)
		fclose(months);
	if (*fpath)
		unlink(fpath);
	if (*dpath)
		unlink(dpath);
	if (*mpath)
		unlink(mpath);
	return rc;
}

/* ---------------------------------------------------------------- form 06 */

/* Per (unit, field): v[0..4] flows in the period, v[5] open before `from`, v[6] open at
 * the as-of day, v[7] overdue then. */
enum { AV_OPEN_BEFORE = 5, AV_OPEN_END, AV_OVERDUE_END };

struct sum_target { struct agg *a; const struct agg *scope; int base; int ncols; int sign; int failed; };

static int sum_cb(const struct db_row *r, void *arg)
{
	struct sum_target *t = arg;
	struct agg_entry *e;

	if (!agg_find(t->scope, (int32_t)db_row_int(r, 0, 0), 0, 0))
		return 0;
	if (!(e = agg_at(t->a, (int32_t)db_row_int(r, 0, 0), (int32_t)db_row_int(r, 1, 0), 0, 0))) {
		t->failed = 1;
		return 1;
	}
	for (int c = 0; c < t->ncols; c++)
		e->v[t->base + c] += t->sign * (int32_t)db_row_int(r, 2 + (unsigned)c, 0);
	return 0;
}

#define SCOPE_JOIN "JOIN units u ON u.id = s.unit_id "
/* The aggregate queries leave the subtree to the caller's scope set (no join per row:
 * half the time of a province-year), and filter the field. */
#define FIELD_WHERE "(? = 0 OR s.field_id = ?) "

/* The ids of the units of the subtree, as keys (id, 0, 0). */
static int scope_cb(const struct db_row *r, void *arg)
{
	return agg_at(arg, (int32_t)db_row_int(r, 0, 0), 0, 0, 0) ? 0 : DB_ERR;
}

static int load_scope(struct db *db, const char *path, struct agg *scope)
{
	static const char sql[] = "SELECT id FROM units WHERE path LIKE CONCAT(?, '%')";
	struct db_param p[] = { DB_STR(path) };

	return db_query(db, sql, p, 1, scope_cb, scope);
}

static int month_flows(struct db *db, const struct stats_query *q, const struct agg *scope, int32_t m1,
                       int32_t m2, struct agg *a)
{
	static const char sql[] =
		/* rows summed in C (sum_cb): cheaper than the server's temporary table */
		"SELECT s.unit_id, s.field_id, s.rec_online, s.rec_direct_postal, s.fin_before, "
		"s.fin_on_time, s.fin_late FROM stats_month s "
		"WHERE s.month BETWEEN ? AND ? AND " FIELD_WHERE;
	char a1[11], a2[11];
	struct db_param p[] = { DB_STR(day_text(m1, a1)), DB_STR(day_text(m2, a2)),
	                        DB_INT(q->field_id), DB_INT(q->field_id) };
	struct sum_target t = { a, scope, 0, 5, 1, 0 };
	int rc = db_query(db, sql, p, 4, sum_cb, &t);

	return t.failed ? DB_ERR : rc;
}

/* Adds (sign 1) or subtracts (sign -1) the flows of the days [d1, d2]. */
static int day_flows(struct db *db, const struct stats_query *q, const struct agg *scope, int32_t d1,
                     int32_t d2, int sign, struct agg *a)
{
	static const char sql[] =
		"SELECT s.unit_id, s.field_id, SUM(s.rec_online), SUM(s.rec_direct_postal), SUM(s.fin_before), "
		"SUM(s.fin_on_time), SUM(s.fin_late) FROM stats_day s "
		"WHERE s.day BETWEEN ? AND ? AND " FIELD_WHERE "AND (? = 0 OR s.procedure_id = ?) "
		"GROUP BY s.unit_id, s.field_id";
	char a1[11], a2[11];
	struct db_param p[] = { DB_STR(day_text(d1, a1)), DB_STR(day_text(d2, a2)),
	                        DB_INT(q->field_id), DB_INT(q->field_id), DB_INT(q->procedure_id),
	                        DB_INT(q->procedure_id) };
	struct sum_target t = { a, scope, 0, 5, sign, 0 };
	int rc;

	if (d1 > d2)
		return 0;
	rc = db_query(db, sql, p, 6, sum_cb, &t);

	return t.failed ? DB_ERR : rc;
}

/*
 * Open (and overdue) at the end of day x into v[base] (and v[base + 1]): a month-end
 * balance and the days between it and x, from whichever month end is nearer (the end of
 * the month before, forwards; the end of x's month if it is rolled up, backwards).
 */
static int balance(struct db *db, const struct stats_query *q, const struct agg *scope, int32_t x,
                   int32_t horizon, int base, int with_overdue, struct agg *a)
{
	static const char month_sql[] =
		"SELECT s.unit_id, s.field_id, s.open_eom, s.overdue_eom FROM stats_month s "
		"WHERE s.month = ? AND " FIELD_WHERE;
	static const char days_sql[] =
		"SELECT s.unit_id, s.field_id, SUM(s.d_open), SUM(s.d_overdue) FROM stats_day s "
		"WHERE s.day BETWEEN ? AND ? AND " FIELD_WHERE "AND (? = 0 OR s.procedure_id = ?) "
		"GROUP BY s.unit_id, s.field_id";
	struct sum_target t = { a, scope, base, with_overdue ? 2 : 1, 1, 0 };
	int32_t m = stats_month_first(x), d1, d2, bm;
	char a1[11], a2[11];
	int rc;

	if (q->procedure_id || horizon == STATS_NEVER || month_prev(m) > horizon) {
		d1 = (int32_t)days_from_civil(1900, 1, 1);
		d2 = x;
	} else {
		if (m <= horizon && stats_month_last(m) - x < x - m + 1) {
			bm = m;                 /* backwards from the end of x's month */
			d1 = x + 1;
			d2 = stats_month_last(m);
		} else {
			bm = month_prev(m);
			d1 = m;
			d2 = x;
		}
		struct db_param p[] = { DB_STR(day_text(bm, a1)), DB_INT(q->field_id), DB_INT(q->field_id) };
		if ((rc = db_query(db, month_sql, p, 3, sum_cb, &t)) != 0 || t.failed)
			return rc ? rc : DB_ERR;
		if (d1 > d2)
			return 0;
		if (bm == m)
			t.sign = -1;
	}
	{
		struct db_param p[] = { DB_STR(day_text(d1, a1)), DB_STR(day_text(d2, a2)),
		                        DB_INT(q->field_id), DB_INT(q->field_id),
		                        DB_INT(q->procedure_id), DB_INT(q->procedure_id) };
		rc = db_query(db, days_sql, p, 6, sum_cb, &t);
	}
	return t.failed ? DB_ERR : rc;
}

static int live_sums(struct db *db, const struct stats_query *q, const struct agg *scope, int32_t horizon,
                     struct agg *a)
{
	int32_t asof = q->to < q->today ? q->to : q->today;
	int32_t cur = q->from;
	int rc;

	/* the period: whole months up to the horizon from stats_month, other days from stats_day */
	while (cur <= q->to) {
		int32_t m = stats_month_first(cur), end;
		if (!q->procedure_id && horizon != STATS_NEVER && cur == m && m <= horizon &&
		    stats_month_last(m) <= q->to) {
			end = m;
			while (stats_month_next(end) <= horizon && stats_month_last(stats_month_next(end)) <= q->to)
				end = stats_month_next(end);
			if ((rc = month_flows(db, q, scope, m, end, a)) != 0)
				return rc;
			cur = stats_month_last(end) + 1;
		} else if (q->procedure_id) {
			if ((rc = day_flows(db, q, scope, cur, q->to, 1, a)) != 0)
				return rc;
			cur = q->to + 1;
		} else {
			end = stats_month_last(m) < q->to ? stats_month_last(m) : q->to;
			if (horizon != STATS_NEVER && m <= horizon && (end - cur + 1) * 2 > stats_month_last(m) - m + 1) {
				/* most of a rolled-up month: the month less the days left out */
				if ((rc = month_flows(db, q, scope, m, m, a)) != 0 ||
				    (rc = day_flows(db, q, scope, m, cur - 1, -1, a)) != 0 ||
				    (rc = day_flows(db, q, scope, end + 1, stats_month_last(m), -1, a)) != 0)
					return rc;
			} else if ((rc = day_flows(db, q, scope, cur, end, 1, a)) != 0) {
				return rc;
			}
			cur = end + 1;
		}
	}
	if ((rc = balance(db, q, scope, q->from - 1, horizon, AV_OPEN_BEFORE, 0, a)) != 0)
		return rc;
	return balance(db, q, scope, asof, horizon, AV_OPEN_END, 1, a);
}

static int emit(const struct agg *a, stats_cells_fn fn, void *arg)
{
	for (size_t i = 0; i < a->cap; i++) {
		const struct agg_entry *e = &a->e[i];
		long long flow[SF__MAX] = { 0 }, cells[SC__MAX];
		int any = 0, rc;
		if (!e->used)
			continue;
		for (int c = 0; c < 5; c++)
			flow[c] = e->v[c];
		stats_cells_from_sums(flow, e->v[AV_OPEN_BEFORE], e->v[AV_OPEN_END], e->v[AV_OVERDUE_END], cells);
		for (int c = 0; c < SC__MAX; c++)
			any |= cells[c] != 0;
		if (any && (rc = fn(e->k[0], e->k[1], cells, arg)) != 0)
			return rc;
	}
	return 0;
}

struct frozen_sum { struct agg *a; const struct agg *scope; int failed; };

static int frozen_cb(const struct db_row *r, void *arg)
{
	struct frozen_sum *f = arg;
	struct agg_entry *e;

	if (f->scope && !agg_find(f->scope, (int32_t)db_row_int(r, 0, 0), 0, 0))
		return 0;
	if (!(e = agg_at(f->a, (int32_t)db_row_int(r, 0, 0), (int32_t)db_row_int(r, 1, 0), 0, 0))) {
		f->failed = 1;
		return 1;
	}
	for (int c = 0; c < SC__MAX; c++)
		e->v[c] += (int32_t)db_row_int(r, 2 + (unsigned)c, 0);
	return 0;
}

static int count_cb(const struct db_row *r, void *arg)
{
	*(long long *)arg = db_row_int(r, 0, 0);
	return 0;
}

/* The period is whole months, each closed. */
static int whole_closed_months(struct db *db, const struct stats_query *q, int *yes)
{
	static const char sql[] = "SELECT COUNT(*) FROM stats_closed_months WHERE month BETWEEN ? AND ?";
	int32_t m1 = stats_month_first(q->from), m2 = stats_month_first(q->to);
	long long want = 0, n = 0;
	char a[11], b[11];
	int rc;

	*yes = 0;
	if (q->procedure_id || q->from != m1 || q->to != stats_month_last(m2))
		return 0;
	for (int32_t m = m1; m <= m2; m = stats_month_next(m))
		want++;
	{
		struct db_param p[] = { DB_STR(day_text(m1, a)), DB_STR(day_text(m2, b)) };
		if ((rc = db_query(db, sql, p, 2, count_cb, &n)) != 0)
			return rc;
	}
	*yes = n == want;
	return 0;
}

static int frozen_sums(struct db *db, const struct stats_query *q, const struct agg *scope, struct agg *a)
{
	static const char sql[] =
		"SELECT s.unit_id, s.field_id, IF(s.month = ?, s.carried_over, 0), s.online, "
		"s.direct_postal, s.before_due, s.on_time, s.late, "
		"IF(s.month = ?, s.within_due, 0), IF(s.month = ?, s.overdue, 0) "
		"FROM stats_frozen s WHERE s.month BETWEEN ? AND ? AND " FIELD_WHERE;
	char a1[11], a2[11], a3[11];
	struct db_param p[] = { DB_STR(day_text(q->from, a1)), DB_STR(day_text(stats_month_first(q->to), a2)),
	                        DB_STR(a2), DB_STR(a1), DB_STR(day_text(q->to, a3)), DB_INT(q->field_id),
	                        DB_INT(q->field_id) };
	struct frozen_sum f = { a, scope, 0 };
	int rc = db_query(db, sql, p, 7, frozen_cb, &f);

	return f.failed ? DB_ERR : rc;
}

static int emit_cells(const struct agg *a, stats_cells_fn fn, void *arg)
{
	for (size_t i = 0; i < a->cap; i++) {
		const struct agg_entry *e = &a->e[i];
		long long cells[SC__MAX];
		int any = 0, rc;
		if (!e->used)
			continue;
		for (int c = 0; c < SC__MAX; c++)
			any |= (cells[c] = e->v[c]) != 0;
		if (any && (rc = fn(e->k[0], e->k[1], cells, arg)) != 0)
			return rc;
	}
	return 0;
}

static int form06_live(struct db *db, const struct stats_query *q, stats_cells_fn fn, void *arg)
{
	struct agg a = { 0 }, scope = { 0 };
	int32_t h;
	int rc;

	if ((rc = load_scope(db, q->unit_path, &scope)) == 0 && (rc = read_horizon(db, &h, 0)) == 0 &&
	    (rc = live_sums(db, q, &scope, h, &a)) == 0)
		rc = emit(&a, fn, arg);
	agg_free(&a);
	agg_free(&scope);
	return rc;
}

int stats_form06(struct db *db, const struct stats_query *q, int *frozen, stats_cells_fn fn, void *arg)
{
	struct agg a = { 0 }, scope = { 0 };
	int rc;

	if ((rc = whole_closed_months(db, q, frozen)) != 0)
		return rc;
	if (!*frozen)
		return form06_live(db, q, fn, arg);
	if ((rc = load_scope(db, q->unit_path, &scope)) == 0 && (rc = frozen_sums(db, q, &scope, &a)) == 0)
		rc = emit_cells(&a, fn, arg);
	agg_free(&a);
	agg_free(&scope);
	return rc;
}

/* ---------------------------------------------------------------- drill-down */

#define C_CARRIED "(f.recv_day < k.pf AND (f.fin_day IS NULL OR f.fin_day >= k.pf))"
#define C_NEW "(f.recv_day BETWEEN k.pf AND k.pt)"
#define C_FIN "(f.fin_day BETWEEN k.pf AND k.pt)"
#define C_OPEN "(f.recv_day <= k.pt AND (f.fin_day IS NULL OR f.fin_day > k.pt))"
#define C_OVER "(f.overdue_day IS NOT NULL AND GREATEST(f.recv_day, f.overdue_day) <= k.pa)"

#define DRILL_FROM(hint, joins) \
	"FROM stats_facts f " hint " CROSS JOIN (SELECT CAST(? AS DATE) pf, CAST(? AS DATE) pt, CAST(? AS DATE) pa) k " \
	"JOIN units u ON u.id = f.unit_id " joins \
	"WHERE f.counted = 1 AND f.recv_day <= ? AND (f.fin_day IS NULL OR f.fin_day >= ?) " \
	"AND u.path LIKE CONCAT(?, '%') " \
	"AND (? = 0 OR f.field_id = ?) AND (? = 0 OR f.procedure_id = ?) " \
	"AND (? IS NULL OR u.level = ? OR (? = 'other' AND u.level NOT IN " \
	"('province', 'district', 'commune', 'department'))) AND CASE ? " \
	"WHEN 0 THEN " C_CARRIED " WHEN 1 THEN " C_NEW " AND f.online = 1 " \
	"WHEN 2 THEN " C_NEW " AND f.online = 0 WHEN 3 THEN " C_FIN " AND f.finish = 1 " \
	"WHEN 4 THEN " C_FIN " AND f.finish = 2 WHEN 5 THEN " C_FIN " AND f.finish = 3 " \
	"WHEN 6 THEN " C_OPEN " AND NOT " C_OVER " WHEN 7 THEN " C_OPEN " AND " C_OVER " " \
	"WHEN 8 THEN (" C_CARRIED " OR " C_NEW ") WHEN 9 THEN " C_FIN " WHEN 10 THEN " C_OPEN " " \
	"ELSE 0 END "

struct item_cb { int (*fn)(const struct stats_item *, void *); void *arg; };

static int item_row(const struct db_row *r, void *arg)
{
	struct item_cb *c = arg;
	struct stats_item it = {
		.code = r->val[0], .procedure_code = r->val[1], .procedure_name = r->val[2],
		.unit_code = r->val[3], .unit_name = r->val[4], .channel = r->val[5], .state = r->val[6],
		.received_at = r->val[7], .due_at = r->val[8], .finished_at = r->val[9],
	};

	return c->fn(&it, c->arg);
}

int stats_dossiers(struct db *db, const struct stats_query *q, const char *level, int cell, long long limit,
                   long long offset, long long *total,
                   int (*fn)(const struct stats_item *it, void *arg), void *arg)
{
	/* counting: the dossiers not finished before `from` (the finish index) are few for a
	 * recent period and no more than the received ones for an old one */
	static const char count_sql[] = "SELECT COUNT(*) " DRILL_FROM("FORCE INDEX (k_sfacts_fin)", "");
	static const char list_sql[] =
		"SELECT d.code, p.code, p.name, u.code, IF(u.short_name = '', u.name, u.short_name), d.channel, "
		"d.state, d.received_at, d.due_at, d.finished_at "
		DRILL_FROM("", "JOIN dossiers d ON d.id = f.dossier_id JOIN procedures p ON p.id = d.procedure_id ")
		/* newest first: a backward scan of the reception index from `to` meets a
		 * period's dossiers at once */
		"ORDER BY f.recv_day DESC, f.dossier_id DESC LIMIT ? OFFSET ?";
	char pf[11], pt[11], pa[11];
	int32_t asof = q->to < q->today ? q->to : q->today;
	/* every cell's dossiers were received by `to` and not finished before `from`: said
	 * with plain parameters too, so that an index can narrow the scan */
	struct db_param lv = level ? DB_STR(level) : DB_NULLP;
	struct db_param p[16] = {
		DB_STR(day_text(q->from, pf)), DB_STR(day_text(q->to, pt)), DB_STR(day_text(asof, pa)),
		DB_STR(pt), DB_STR(pf), DB_STR(q->unit_path), DB_INT(q->field_id), DB_INT(q->field_id), DB_INT(q->procedure_id),
		DB_INT(q->procedure_id), lv, lv, lv, DB_INT(cell), DB_INT(limit), DB_INT(offset),
	};
	struct item_cb c = { fn, arg };
	int rc;

	*total = 0;
	if ((rc = db_query(db, count_sql, p, 14, count_cb, total)) != 0)
		return rc;
	return db_query(db, list_sql, p, 16, item_row, &c);
}

/* ---------------------------------------------------------------- labels */

struct unit_cb { int (*fn)(long long, long long, const char *, const char *, const char *, const char *, void *); void *arg; };

static int unit_row(const struct db_row *r, void *arg)
{
	struct unit_cb *c = arg;

	return c->fn(db_row_int(r, 0, 0), db_row_int(r, 1, 0), r->val[2], r->val[3], r->val[4], r->val[5], c->arg);
}

int stats_units(struct db *db, const char *path,
                int (*fn)(long long id, long long parent_id, const char *code, const char *name,
                          const char *level, const char *path, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT id, parent_id, code, IF(short_name = '', name, short_name), level, path FROM units "
		"WHERE path LIKE CONCAT(?, '%') ORDER BY depth, path";
	struct db_param p[] = { DB_STR(path) };
	struct unit_cb c = { fn, arg };

	return db_query(db, sql, p, 1, unit_row, &c);
}

struct field_cb { int (*fn)(long long, const char *, const char *, void *); void *arg; };

static int field_row(const struct db_row *r, void *arg)
{
	struct field_cb *c = arg;

	return c->fn(db_row_int(r, 0, 0), r->val[1], r->val[2], c->arg);
}

int stats_fields(struct db *db, int (*fn)(long long id, const char *code, const char *name, void *arg),
                 void *arg)
{
	static const char sql[] = "SELECT id, code, name FROM fields ORDER BY code";
	struct field_cb c = { fn, arg };

	return db_query(db, sql, NULL, 0, field_row, &c);
}

static int id_lookup(struct db *db, const char *sql, const char *code, long long *id)
{
	struct db_param p[] = { DB_STR(code) };
	int rc;

	*id = 0;
	if ((rc = db_query(db, sql, p, 1, count_cb, id)) != 0)
		return rc;
	return *id ? 0 : 1;
}

int stats_field_id(struct db *db, const char *code, long long *id)
{
	static const char sql[] = "SELECT id FROM fields WHERE code = ?";
	return id_lookup(db, sql, code, id);
}

int stats_procedure_id(struct db *db, const char *code, long long *id)
{
	static const char sql[] = "SELECT id FROM procedures WHERE code = ?";
	return id_lookup(db, sql, code, id);
}

/* ---------------------------------------------------------------- months */

struct closed { int32_t month; char at[24]; char by[65]; };
struct closed_list { struct closed *c; size_t n, cap; };

static int closed_cb(const struct db_row *r, void *arg)
{
	struct closed_list *l = arg;

	if (l->n == l->cap)
		return 0;
	l->c[l->n].month = day_of(r->val[0]);
	snprintf(l->c[l->n].at, sizeof l->c[l->n].at, "%s", r->val[1] ? r->val[1] : "");
	snprintf(l->c[l->n].by, sizeof l->c[l->n].by, "%s", r->val[2] ? r->val[2] : "");
	l->n++;
	return 0;
}

int stats_months(struct db *db, mc_time now,
                 int (*fn)(int32_t month, const char *closed_at, const char *closed_by, void *arg),
                 void *arg)
{
	static const char first_sql[] = "SELECT MIN(recv_day) FROM stats_facts WHERE counted = 1";
	static const char closed_sql[] = "SELECT month, closed_at, closed_by FROM stats_closed_months ORDER BY month";
	struct closed buf[600];
	struct closed_list l = { buf, 0, 600 };
	int32_t first = STATS_NEVER, cur = stats_month_first(today_of(now));
	size_t j = 0;
	int rc;

	if ((rc = db_query(db, first_sql, NULL, 0, horizon_cb, &first)) != 0 ||
	    (rc = db_query(db, closed_sql, NULL, 0, closed_cb, &l)) != 0)
		return rc;
	if (first == STATS_NEVER)
		first = cur;
	if (l.n && l.c[0].month < first)
		first = l.c[0].month;
	for (int32_t m = stats_month_first(first); m <= cur; m = stats_month_next(m)) {
		while (j < l.n && l.c[j].month < m)
			j++;
		if (j < l.n && l.c[j].month == m)
			rc = fn(m, l.c[j].at, l.c[j].by, arg);
		else
			rc = fn(m, NULL, NULL, arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

struct freeze { struct db *db; int32_t month; int rc; };

static int freeze_cb(long long unit_id, long long field_id, const long long c[SC__MAX], void *arg)
{
	static const char sql[] =
		"INSERT INTO stats_frozen (month, unit_id, field_id, carried_over, online, direct_postal, "
		"before_due, on_time, late, within_due, overdue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct freeze *f = arg;
	char m[11];
	struct db_param p[11] = { DB_STR(day_text(f->month, m)), DB_INT(unit_id), DB_INT(field_id) };

	for (int k = 0; k < SC__MAX; k++)
		p[3 + k] = DB_INT(c[k]);
	return f->rc = db_exec(f->db, sql, p, 11, NULL, NULL);
}

static int close_one(struct db *db, int32_t month, const char *by, mc_time now)
{
	static const char lock_sql[] = "SELECT COUNT(*) FROM stats_closed_months WHERE month = ? FOR UPDATE";
	static const char mark_sql[] =
		"INSERT INTO stats_closed_months (month, closed_at, closed_by) VALUES (?, ?, ?)";
	struct stats_query q = { "", 0, 0, month, stats_month_last(month), today_of(now) };
	struct freeze f = { db, month, 0 };
	long long n = 0;
	char m[11], t[24];
	int rc;

	{
		struct db_param p[] = { DB_STR(day_text(month, m)) };
		if ((rc = db_query(db, lock_sql, p, 1, count_cb, &n)) != 0)
			return rc;
	}
	if (n)
		return 1;
	if ((rc = form06_live(db, &q, freeze_cb, &f)) != 0)
		return rc;
	time_format_db(now, t, sizeof t);
	{
		struct db_param p[] = { DB_STR(day_text(month, m)), DB_STR(t), DB_STR(by) };
		return db_exec(db, mark_sql, p, 3, NULL, NULL);
	}
}

int stats_close_month(struct db *db, int32_t month, const char *by, mc_time now)
{
	int rc;

	month = stats_month_first(month);
	if (stats_month_last(month) >= today_of(now))
		return 2;
	if ((rc = stats_drain(db, now)) != 0)
		return rc;
	for (int attempt = 0;; attempt++) {
		if ((rc = db_begin(db)) == 0 && (rc = close_one(db, month, by, now)) >= 0 && rc <= 1) {
			int closed = rc;
			if ((rc = db_commit(db)) == 0)
				return closed;
		}
		db_rollback(db);
		if (rc != DB_ERR_RETRY || attempt >= TX_RETRIES)
			return rc;
	}
}

int stats_close_due_months(struct db *db, mc_time now, int grace_days)
{
	static const char first_sql[] = "SELECT MIN(recv_day) FROM stats_facts WHERE counted = 1";
	static const char open_sql[] = "SELECT COUNT(*) FROM stats_closed_months WHERE month = ?";
	int32_t first = STATS_NEVER, today = today_of(now);
	int closed = 0, rc;

	if ((rc = db_query(db, first_sql, NULL, 0, horizon_cb, &first)) != 0)
		return rc;
	if (first == STATS_NEVER)
		return 0;
	for (int32_t m = stats_month_first(first); stats_month_last(m) + grace_days < today; m = stats_month_next(m)) {
		long long n = 0;
		char b[11];
		struct db_param p[] = { DB_STR(day_text(m, b)) };
		if ((rc = db_query(db, open_sql, p, 1, count_cb, &n)) != 0)
			return rc;
		if (n)
			continue;
		if ((rc = stats_close_month(db, m, "system", now)) < 0)
			return rc;
		closed += rc == 0;
	}
	return closed;
}

void stats_worker_tick(struct db *db, mc_time now, int close_days)
{
	static mc_time last_close;
	int rc;

	if ((rc = stats_drain(db, now)) != 0)
		log_error("stats: recount: %s", db_error(db));
	if (now - last_close < 60)
		return;
	last_close = now;
	if ((rc = stats_close_due_months(db, now, close_days)) < 0)
		log_error("stats: closing months: %s", db_error(db));
	else if (rc > 0)
		log_info("stats: %d month(s) closed", rc);
}

/* ---------------------------------------------------------------- recompute */

struct recomp { struct agg *a; int which; };

static int recomp_cb(long long unit_id, long long field_id, const long long c[SC__MAX], void *arg)
{
	struct recomp *r = arg;
	struct agg_entry *e = agg_at(r->a, (int32_t)unit_id, (int32_t)field_id, r->which, 0);

	if (!e)
		return DB_ERR;
	for (int k = 0; k < SC__MAX; k++)
		e->v[k] = (int32_t)c[k];
	return 0;
}

struct change { long long id; int32_t unit, field; struct stats_facts old, nw; char code[49], at[24]; };
struct change_list { struct change *c; size_t n, cap; int failed; };

static void facts_cols(const struct db_row *r, unsigned at, struct stats_facts *f)
{
	f->counted = (int)db_row_int(r, at, 0);
	f->online = (int)db_row_int(r, at + 1, 0);
	f->recv_day = day_of(r->val[at + 2]);
	f->fin_day = day_of(r->val[at + 3]);
	f->finish = (int)db_row_int(r, at + 4, 0);
	f->overdue_day = day_of(r->val[at + 5]);
}

static int change_cb(const struct db_row *r, void *arg)
{
	struct change_list *l = arg;
	struct change *c = NULL;
	long long id = db_row_int(r, 0, 0);

	for (size_t i = 0; i < l->n; i++)
		if (l->c[i].id == id)
			c = &l->c[i];
	if (!c) {
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 64;
			struct change *nc = realloc(l->c, cap * sizeof *nc);
			if (!nc) {
				l->failed = 1;
				return 1;
			}
			l->c = nc;
			l->cap = cap;
		}
		c = &l->c[l->n++];
		memset(c, 0, sizeof *c);
		c->id = id;
		facts_cols(r, 5, &c->old);       /* the first change after the closing: as counted then */
	}
	c->unit = (int32_t)db_row_int(r, 1, 0);
	c->field = (int32_t)db_row_int(r, 2, 0);
	snprintf(c->code, sizeof c->code, "%s", r->val[3] ? r->val[3] : "");
	snprintf(c->at, sizeof c->at, "%s", r->val[4] ? r->val[4] : "");
	facts_cols(r, 11, &c->nw);
	return 0;
}

int stats_recompute(struct db *db, int32_t month, const char *unit_path, mc_time now,
                    const struct stats_recompute_fns *f, char closed_at[24])
{
	static const char closed_sql[] = "SELECT month, closed_at, closed_by FROM stats_closed_months WHERE month = ?";
	static const char stored_sql[] =
		"SELECT s.unit_id, s.field_id, s.carried_over, s.online, s.direct_postal, s.before_due, s.on_time, "
		"s.late, s.within_due, s.overdue FROM stats_frozen s " SCOPE_JOIN "WHERE s.month = ? AND "
		"u.path LIKE CONCAT(?, '%')";
	static const char changes_sql[] =
		"SELECT c.dossier_id, sf.unit_id, sf.field_id, d.code, c.at, c.old_counted, c.old_online, c.old_recv, "
		"c.old_fin, c.old_finish, c.old_overdue, c.new_counted, c.new_online, c.new_recv, c.new_fin, "
		"c.new_finish, c.new_overdue FROM stats_changes c JOIN stats_facts sf ON sf.dossier_id = c.dossier_id "
		"JOIN units u ON u.id = sf.unit_id JOIN dossiers d ON d.id = c.dossier_id "
		"WHERE c.at >= ? AND u.path LIKE CONCAT(?, '%') ORDER BY c.id";
	struct closed one;
	struct closed_list l = { &one, 0, 1 };
	struct agg a = { 0 };
	struct change_list ch = { 0 };
	struct stats_query q = { unit_path, 0, 0, month, stats_month_last(month), today_of(now) };
	struct recomp rl = { &a, 1 };
	char m[11];
	int rc;

	{
		struct db_param p[] = { DB_STR(day_text(month, m)) };
		if ((rc = db_query(db, closed_sql, p, 1, closed_cb, &l)) != 0)
			return rc;
	}
	if (l.n == 0)
		return 1;
	snprintf(closed_at, 24, "%s", one.at);
	{
		struct db_param p[] = { DB_STR(day_text(month, m)), DB_STR(unit_path) };
		struct frozen_sum fs = { &a, NULL, 0 };
		/* stored figures under key (unit, field, 0) */
		if ((rc = db_query(db, stored_sql, p, 2, frozen_cb, &fs)) != 0 || fs.failed)
			goto out;
	}
	if ((rc = form06_live(db, &q, recomp_cb, &rl)) != 0)
		goto out;
	/* both sides per (unit, field): key 2 is 0 for the stored figures, 1 for the live ones */
	for (size_t i = 0; i < a.cap; i++) {
		const struct agg_entry *e = &a.e[i], *other;
		long long st[SC__MAX] = { 0 }, lv[SC__MAX] = { 0 };
		if (!e->used)
			continue;
		other = agg_find(&a, e->k[0], e->k[1], !e->k[2]);
		if (e->k[2] == 1 && other)
			continue;               /* reported with its stored side */
		for (int k = 0; k < SC__MAX; k++) {
			st[k] = e->k[2] == 0 ? e->v[k] : 0;
			lv[k] = e->k[2] == 1 ? e->v[k] : other ? other->v[k] : 0;
		}
		if ((rc = f->cells(e->k[0], e->k[1], st, lv, f->arg)) != 0)
			goto out;
	}
	{
		char t[24];
		snprintf(t, sizeof t, "%s", one.at);
		struct db_param p[] = { DB_STR(t), DB_STR(unit_path) };
		if ((rc = db_query(db, changes_sql, p, 2, change_cb, &ch)) != 0 || ch.failed) {
			rc = rc ? rc : DB_ERR;
			goto out;
		}
	}
	for (size_t i = 0; i < ch.n; i++) {
		int32_t to = stats_month_last(month);
		unsigned then = stats_cells(&ch.c[i].old, month, to, to);
		unsigned now_cells = stats_cells(&ch.c[i].nw, month, to, to);
		if (then != now_cells && (rc = f->dossier(ch.c[i].code, ch.c[i].unit, ch.c[i].field, then, now_cells,
		                                          ch.c[i].at, f->arg)) != 0)
			goto out;
	}
	rc = 0;
out:
	agg_free(&a);
	free(ch.c);
	return rc;
}
