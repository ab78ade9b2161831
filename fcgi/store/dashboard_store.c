#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "store/stats_store.h"
#include "dashboard_store.h"

#define SUBTREE "u.path LIKE CONCAT(?, '%') "
/* A day before any dossier: an empty range of months or days. */
#define NO_DAY ((int32_t)days_from_civil(1000, 1, 1))

struct cb { void *fn; void *arg; };

/* "YYYY-MM-DD" of a local day number; buf >= 16. */
static struct db_param day_param(int32_t day, char *buf)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(buf, 16, "%04u-%02u-%02u", (unsigned)y % 10000, (unsigned)m % 100, (unsigned)d % 100);
	return DB_STR(buf);
}

static int horizon_row(const struct db_row *r, void *arg)
{
	int32_t *h = arg;
	int y, m, d;

	if (r->val[0] && sscanf(r->val[0], "%4d-%2d-%2d", &y, &m, &d) == 3)
		*h = (int32_t)days_from_civil(y, m, d);
	return 0;
}

/* The first day of the last month stats_month holds whole, or NO_DAY. */
static int horizon(struct db *db, int32_t *h)
{
	static const char sql[] = "SELECT horizon FROM stats_meta WHERE id = 1";

	*h = NO_DAY;
	return db_query(db, sql, NULL, 0, horizon_row, h);
}

/*
 * [from, to] as whole months from stats_month ([*m1, *m2], first days; empty when
 * *m1 > *m2) and the days around them from stats_day ([*d1, *d2] and [*d3, *d4]).
 */
static int split_period(struct db *db, int32_t from, int32_t to, int32_t *m1, int32_t *m2,
                        int32_t *d1, int32_t *d2, int32_t *d3, int32_t *d4)
{
	int32_t h, first, last;
	int rc;

	if ((rc = horizon(db, &h)) != 0)
		return rc;
	first = stats_month_first(from) == from ? from : stats_month_next(stats_month_first(from));
	last = stats_month_first(to);                       /* the last month begun by `to` ... */
	if (stats_month_last(last) != to)
		last = stats_month_first(last - 1);             /* ... if it ends by then */
	if (h != NO_DAY && last > h)
		last = h;
	if (h == NO_DAY || first > last) {
		*m1 = 1;
		*m2 = 0;
		*d1 = from;
		*d2 = to;
		*d3 = 1;
		*d4 = 0;
		return 0;
	}
	*m1 = first;
	*m2 = last;
	*d1 = from;
	*d2 = first - 1;
	*d3 = stats_month_last(last) + 1;
	*d4 = to;
	return 0;
}

static int flow_row(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	int (*fn)(const struct dashboard_flow *, void *) = c->fn;
	struct dashboard_flow f = {
		r->val[0], r->val[1], r->val[2], db_row_int(r, 3, 0), db_row_int(r, 4, 0),
		db_row_int(r, 5, 0), db_row_int(r, 6, 0), db_row_int(r, 7, 0),
	};

	return fn(&f, c->arg);
}

int dashboard_flows(struct db *db, const char *scope_path, int32_t from, int32_t to,
                    int (*fn)(const struct dashboard_flow *f, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT u.code, u.name, x.m, SUM(x.o), SUM(x.dp), SUM(x.b), SUM(x.t), SUM(x.l) FROM ("
		"SELECT s.unit_id, DATE_FORMAT(s.month, '%Y-%m') AS m, s.rec_online AS o, "
		"s.rec_direct_postal AS dp, s.fin_before AS b, s.fin_on_time AS t, s.fin_late AS l "
		"FROM stats_month s WHERE s.month BETWEEN ? AND ? "
		"UNION ALL "
		"SELECT s.unit_id, DATE_FORMAT(s.day, '%Y-%m'), s.rec_online, s.rec_direct_postal, "
		"s.fin_before, s.fin_on_time, s.fin_late "
		"FROM stats_day s WHERE s.day BETWEEN ? AND ? OR s.day BETWEEN ? AND ?"
		") x JOIN units u ON u.id = x.unit_id WHERE " SUBTREE
		"GROUP BY u.id, x.m ORDER BY u.path, u.id, x.m";
	char b[6][16];
	int32_t m1, m2, d1, d2, d3, d4;
	struct cb c = { (void *)fn, arg };
	int rc;

	if ((rc = split_period(db, from, to, &m1, &m2, &d1, &d2, &d3, &d4)) != 0)
		return rc;
	{
		struct db_param p[] = {
			day_param(m1, b[0]), day_param(m2, b[1]), day_param(d1, b[2]), day_param(d2, b[3]),
			day_param(d3, b[4]), day_param(d4, b[5]), DB_STR(scope_path),
		};
		return db_query(db, sql, p, 7, flow_row, &c);
	}
}

/*
 * Postal receptions are the one count the statistics tables do not hold, and counting them
 * reads every dossier of the period (about a second for a province at a million dossiers).
 * They change slowly (a new postal dossier, a refusal), so each process keeps the answers
 * of the last POSTAL_SLOTS queries for POSTAL_TTL seconds. Only the split of "direct or
 * postal" into its two parts can be that old; their sum, and every other figure, is exact.
 */
#define POSTAL_SLOTS 16
#define POSTAL_TTL 300

struct postal_count { char unit[33]; char month[8]; long long n; };
struct postal_answer { struct postal_count *c; size_t n, cap; int oom; };
struct postal_slot { char path[513]; int32_t from, to; mc_time at; struct postal_answer a; };

static pthread_mutex_t postal_lock = PTHREAD_MUTEX_INITIALIZER;
static struct postal_slot postal_cache[POSTAL_SLOTS];

static int postal_row(const struct db_row *r, void *arg)
{
	struct postal_answer *a = arg;

	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		struct postal_count *grown = realloc(a->c, cap * sizeof *grown);
		if (!grown) {
			a->oom = 1;
			return 1;
		}
		a->c = grown;
		a->cap = cap;
	}
	snprintf(a->c[a->n].unit, sizeof a->c[a->n].unit, "%s", r->val[0] ? r->val[0] : "");
	snprintf(a->c[a->n].month, sizeof a->c[a->n].month, "%s", r->val[1] ? r->val[1] : "");
	a->c[a->n].n = db_row_int(r, 2, 0);
	a->n++;
	return 0;
}

static int postal_query(struct db *db, const char *scope_path, int32_t from, int32_t to,
                        struct postal_answer *a)
{
	/* counted as stats_classify counts: received, not refused, not (yet) accepted */
	static const char sql[] =
		"SELECT u.code, DATE_FORMAT(d.received_at + INTERVAL 7 HOUR, '%Y-%m') AS m, COUNT(*) "
		"FROM units u JOIN dossiers d ON d.unit_id = u.id "
		"WHERE " SUBTREE "AND d.received_at >= ? AND d.received_at < ? AND d.channel = 'postal' "
		"AND d.state NOT IN ('refused', 'not_accepted', 'submitted') "
		"GROUP BY u.id, m";
	char f[24], t[24];
	struct civil c0 = { 0 }, c1 = { 0 };
	int rc;

	civil_from_days(from, &c0.year, &c0.month, &c0.day);
	civil_from_days(to + 1, &c1.year, &c1.month, &c1.day);
	time_format_db(time_from_local(&c0), f, sizeof f);
	time_format_db(time_from_local(&c1), t, sizeof t);
	{
		struct db_param p[] = { DB_STR(scope_path), DB_STR(f), DB_STR(t) };
		rc = db_query(db, sql, p, 3, postal_row, a);
	}
	if (a->oom)
		return DB_ERR;
	return rc < 0 ? rc : (rc ? DB_ERR : 0);
}

/* A copy of the cached answer (fresh at now), or 0 with *a empty when there is none. */
static int postal_cached(const char *scope_path, int32_t from, int32_t to, mc_time now,
                         struct postal_answer *a)
{
	int found = 0;

	pthread_mutex_lock(&postal_lock);
	for (int i = 0; i < POSTAL_SLOTS && !found; i++) {
		struct postal_slot *s = &postal_cache[i];
		if (s->at == 0 || now - s->at >= POSTAL_TTL || now < s->at || s->from != from || s->to != to ||
		    strcmp(s->path, scope_path) != 0)
			continue;
		found = 1;
		if (s->a.n && (a->c = malloc(s->a.n * sizeof *a->c)) == NULL) {
			found = 0;
			break;
		}
		if (s->a.n)
			memcpy(a->c, s->a.c, s->a.n * sizeof *a->c);
		a->n = a->cap = s->a.n;
	}
	pthread_mutex_unlock(&postal_lock);
	return found;
}

/* Keeps a copy of the answer in the oldest slot. */
static void postal_keep(const char *scope_path, int32_t from, int32_t to, mc_time now,
                        const struct postal_answer *a)
{
	struct postal_count *copy = NULL;
	struct postal_slot *oldest;

	if (a->n && (copy = malloc(a->n * sizeof *copy)) == NULL)
		return;
	if (a->n)
		memcpy(copy, a->c, a->n * sizeof *copy);
	pthread_mutex_lock(&postal_lock);
	oldest = &postal_cache[0];
	for (int i = 1; i < POSTAL_SLOTS; i++)
		if (postal_cache[i].at < oldest->at)
			oldest = &postal_cache[i];
	free(oldest->a.c);
	snprintf(oldest->path, sizeof oldest->path, "%s", scope_path);
	oldest->from = from;
	oldest->to = to;
	oldest->at = now;
	oldest->a.c = copy;
	oldest->a.n = oldest->a.cap = a->n;
	oldest->a.oom = 0;
	pthread_mutex_unlock(&postal_lock);
}

int dashboard_postal(struct db *db, const char *scope_path, int32_t from, int32_t to, mc_time now,
                     int (*fn)(const char *unit_code, const char *month, long long n, void *arg),
                     void *arg)
{
	struct postal_answer a = { NULL, 0, 0, 0 };
	int rc = 0;

	if (!postal_cached(scope_path, from, to, now, &a)) {
		if ((rc = postal_query(db, scope_path, from, to, &a)) != 0)
			goto out;
		postal_keep(scope_path, from, to, now, &a);
	}
	for (size_t i = 0; i < a.n && rc == 0; i++)
		rc = fn(a.c[i].unit, a.c[i].month, a.c[i].n, arg);
out:
	free(a.c);
	return rc;
}

static int unit_count_row(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	int (*fn)(const char *, const char *, long long, void *) = c->fn;

	return fn(r->val[0], r->val[1], db_row_int(r, 2, 0), c->arg);
}

int dashboard_overdue(struct db *db, const char *scope_path, int32_t day,
                      int (*fn)(const char *unit_code, const char *unit_name, long long n, void *arg),
                      void *arg)
{
	/* the balance of the overdue flows up to `day`: the last month-end balance before
	 * day's month that stats_month holds, then the days after it */
	static const char sql[] =
		"SELECT u.code, u.name, SUM(x.n) AS n FROM ("
		"SELECT s.unit_id, s.overdue_eom AS n FROM stats_month s WHERE s.month = ? "
		"UNION ALL "
		"SELECT s.unit_id, s.d_overdue FROM stats_day s WHERE s.day > ? AND s.day <= ?"
		") x JOIN units u ON u.id = x.unit_id WHERE " SUBTREE
		"GROUP BY u.id HAVING n > 0 ORDER BY n DESC, u.path";
	char b[3][16];
	int32_t h, m0;
	struct cb c = { (void *)fn, arg };
	int rc;

	if ((rc = horizon(db, &h)) != 0)
		return rc;
	m0 = stats_month_first(stats_month_first(day) - 1);     /* the month before day's */
	if (h == NO_DAY)
		m0 = NO_DAY;
	else if (m0 > h)
		m0 = h;
	{
		struct db_param p[] = {
			day_param(m0, b[0]), day_param(m0 == NO_DAY ? NO_DAY : stats_month_last(m0), b[1]),
			day_param(day, b[2]), DB_STR(scope_path),
		};
		return db_query(db, sql, p, 4, unit_count_row, &c);
	}
}

static int late_row(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	int (*fn)(const char *, const char *, long long, long long, void *) = c->fn;

	return fn(r->val[0], r->val[1], db_row_int(r, 2, 0), db_row_int(r, 3, 0), c->arg);
}

int dashboard_late_procedures(struct db *db, const char *scope_path, int32_t from, int32_t to, int limit,
                              int (*fn)(const char *code, const char *name, long long late,
                                        long long resolved, void *arg),
                              void *arg)
{
	static const char sql[] =
		"SELECT p.code, p.name, x.late, x.n FROM ("
		"SELECT s.procedure_id, SUM(s.fin_late) AS late, "
		"SUM(s.fin_before + s.fin_on_time + s.fin_late) AS n "
		"FROM stats_day s JOIN units u ON u.id = s.unit_id "
		"WHERE s.day BETWEEN ? AND ? AND " SUBTREE
		"GROUP BY s.procedure_id HAVING late > 0 ORDER BY late DESC, n DESC LIMIT ?"
		") x JOIN procedures p ON p.id = x.procedure_id ORDER BY x.late DESC, x.n DESC, p.code";
	char b[2][16];
	struct db_param p[] = { day_param(from, b[0]), day_param(to, b[1]), DB_STR(scope_path), DB_INT(limit) };
	struct cb c = { (void *)fn, arg };

	return db_query(db, sql, p, 4, late_row, &c);
}
