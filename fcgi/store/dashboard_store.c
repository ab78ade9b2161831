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
		db_row_int(r, 5, 0), db_row_int(r, 6, 0), db_row_int(r, 7, 0), db_row_int(r, 8, 0),
	};

	return fn(&f, c->arg);
}

int dashboard_flows(struct db *db, const char *scope_path, int32_t from, int32_t to,
                    int (*fn)(const struct dashboard_flow *f, void *arg), void *arg)
{
	static const char sql[] =
		/* each part summed per unit and month (days: per day) before the join: the subtree
		 * test runs on a few thousand rows, not on every field's; grouped in primary-key
		 * order, so without a temporary table (-40 ms at a million dossiers) */
		"SELECT u.code, u.name, x.m, SUM(x.o), SUM(x.dp), SUM(x.p), SUM(x.b), SUM(x.t), SUM(x.l) FROM ("
		"SELECT s.unit_id, DATE_FORMAT(s.month, '%Y-%m') AS m, SUM(s.rec_online) AS o, "
		"SUM(s.rec_direct_postal) AS dp, SUM(s.rec_postal) AS p, SUM(s.fin_before) AS b, "
		"SUM(s.fin_on_time) AS t, SUM(s.fin_late) AS l FROM stats_month s "
		"WHERE s.month BETWEEN ? AND ? GROUP BY s.month, s.unit_id "
		"UNION ALL "
		"SELECT s.unit_id, DATE_FORMAT(s.day, '%Y-%m') AS m, SUM(s.rec_online), SUM(s.rec_direct_postal), "
		"SUM(s.rec_postal), SUM(s.fin_before), SUM(s.fin_on_time), SUM(s.fin_late) "
		"FROM stats_day s WHERE s.day BETWEEN ? AND ? OR s.day BETWEEN ? AND ? GROUP BY s.day, s.unit_id"
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

/* Whole months per unit and procedure from stats_month_procedure (sql/018), the days
 * around them from stats_day: a year is about 70,000 month rows instead of about 450,000
 * day rows at a million dossiers (bench/reports.sh). The subtree is a semi-join, so each
 * part is summed per procedure only. */
int dashboard_late_procedures(struct db *db, const char *scope_path, int32_t from, int32_t to, int limit,
                              int (*fn)(const char *code, const char *name, long long late,
                                        long long resolved, void *arg),
                              void *arg)
{
	static const char sql[] =
		"SELECT p.code, p.name, x.late, x.n FROM ("
		"SELECT y.procedure_id, SUM(y.l) AS late, SUM(y.n) AS n FROM ("
		"SELECT s.procedure_id, SUM(s.fin_late) AS l, SUM(s.fin_before + s.fin_on_time + s.fin_late) AS n "
		"FROM stats_month_procedure s WHERE s.month BETWEEN ? AND ? "
		"AND s.unit_id IN (SELECT u.id FROM units u WHERE " SUBTREE ") GROUP BY s.procedure_id "
		"UNION ALL "
		"SELECT s.procedure_id, SUM(s.fin_late), SUM(s.fin_before + s.fin_on_time + s.fin_late) "
		"FROM stats_day s WHERE (s.day BETWEEN ? AND ? OR s.day BETWEEN ? AND ?) "
		"AND s.unit_id IN (SELECT u.id FROM units u WHERE " SUBTREE ") GROUP BY s.procedure_id"
		") y GROUP BY y.procedure_id HAVING late > 0 ORDER BY late DESC, n DESC LIMIT ?"
		") x JOIN procedures p ON p.id = x.procedure_id ORDER BY x.late DESC, x.n DESC, p.code";
	char b[6][16];
	int32_t m1, m2, d1, d2, d3, d4;
	struct cb c = { (void *)fn, arg };
	int rc;

	if ((rc = split_period(db, from, to, &m1, &m2, &d1, &d2, &d3, &d4)) != 0)
		return rc;
	{
		struct db_param p[] = {
			day_param(m1, b[0]), day_param(m2, b[1]), DB_STR(scope_path), day_param(d1, b[2]),
			day_param(d2, b[3]), day_param(d3, b[4]), day_param(d4, b[5]), DB_STR(scope_path),
			DB_INT(limit),
		};
		return db_query(db, sql, p, 9, late_row, &c);
	}
}
