/*
 * The managers' dashboard: what a leader or monitor reads at a glance about a unit subtree.
 *   GET /api/v1/reports/dashboard?unit=&from=&to=   (monitor, leader, admin)
 * from and to are local days (YYYY-MM-DD, both included); without them, the last twelve
 * months up to today. The answer holds, per local month, the dossiers received by channel
 * (in all and per receiving unit, with a flag where a unit's online count jumps, drops or
 * falls to zero against the month before), the on-time rate of the dossiers finished, the
 * dossiers overdue per unit at the end of the period (or now), the procedures most often
 * late and the distribution of the overall satisfaction ratings.
 *
 * The figures come from Form 06's statistics tables (store/stats_store.h, drained first),
 * so the months' received online plus direct and postal add up to the Form 06 report's
 * new dossiers of the same period, and the overdue to its "in process, overdue"; the
 * tables' postal column splits "direct or postal" (every figure exact at query time).
 * A unit outside the officer's subtree is a 404, like one that does not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/http.h"
#include "core/params.h"
#include "domain/dossier_state.h"
#include "domain/online_trend.h"
#include "domain/timeutil.h"
#include "domain/workflow.h"
#include "store/dashboard_store.h"
#include "store/feedback_store.h"
#include "store/officer_store.h"
#include "store/stats_store.h"
#include "api.h"

#define DASH_MAX_MONTHS 60          /* five years: the longest period the charts draw */
#define DASH_LATE_PROCEDURES 10


static const char *check_date(const char *s, size_t len)
{
	mc_time t;

	return len == 10 && time_parse_iso(s, len, &t) == 0 ? NULL : "not a date: YYYY-MM-DD";
}

enum { DP_UNIT, DP_FROM, DP_TO, DP__MAX };

static const struct param_spec dashboard_params[DP__MAX] = {
	[DP_UNIT] = { "unit", PT_TOKEN, 0, 32, 0, 0, NULL, NULL },
	[DP_FROM] = { "from", PT_TEXT, 0, 10, 0, 0, NULL, check_date },
	[DP_TO]   = { "to", PT_TEXT, 0, 10, 0, 0, NULL, check_date },
};

/* One receiving unit's counts: slot 0 is the month before the period (for the flags of
 * its first month), slot k the k-th month of the period. */
struct unit_series {
	char code[33];
	char name[256];
	long long n[DASH_MAX_MONTHS + 1][CHANNEL__MAX];
	int has_prev;
};

struct period {
	struct civil from, to;          /* local days, both included */
	int nmonths;
	int has_prev;                   /* the period starts on the 1st: the month before is whole */
	int started;                    /* months of the period begun by as_of: later ones get no flag */
	struct unit_series *units;
	size_t nunits, cap;
	long long total[DASH_MAX_MONTHS + 1][CHANNEL__MAX];
	long long resolved[DASH_MAX_MONTHS + 1], in_time[DASH_MAX_MONTHS + 1];
	int oom;
};

static int month_number(int y, int m) { return y * 12 + (m - 1); }

static void month_label(const struct period *p, int k, char out[16])
{
	unsigned n = (unsigned)(month_number(p->from.year, p->from.month) + k);

	snprintf(out, 16, "%04u-%02u", n / 12 % 10000, n % 12 + 1);
}

/* The slot of a "YYYY-MM" (0: the month before the period, when it is whole), or -1. */
static int month_slot(const struct period *p, const char *month)
{
	int y, m, k;

	if (!month || sscanf(month, "%4d-%2d", &y, &m) != 2)
		return -1;
	k = month_number(y, m) - month_number(p->from.year, p->from.month) + 1;
	return (k >= 1 && k <= p->nmonths) || (k == 0 && p->has_prev) ? k : -1;
}

static int on_flow(const struct dashboard_flow *f, void *arg)
{
	struct period *p = arg;
	struct unit_series *u;
	int slot = month_slot(p, f->month);

	if (slot < 0 || !f->unit_code)
		return 0;
	if (p->nunits == 0 || strcmp(p->units[p->nunits - 1].code, f->unit_code) != 0) {
		if (p->nunits == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 16;
			struct unit_series *grown = realloc(p->units, cap * sizeof *grown);
			if (!grown) {
				p->oom = 1;
				return 1;
			}
			p->units = grown;
			p->cap = cap;
		}
		u = &p->units[p->nunits++];
		memset(u, 0, sizeof *u);
		snprintf(u->code, sizeof u->code, "%s", f->unit_code);
		snprintf(u->name, sizeof u->name, "%s", f->unit_name ? f->unit_name : "");
	}
	u = &p->units[p->nunits - 1];
	u->n[slot][CHANNEL_ONLINE] += f->online;
	u->n[slot][CHANNEL_DIRECT] += f->direct_postal - f->postal;
	u->n[slot][CHANNEL_POSTAL] += f->postal;
	if (slot > 0) {
		p->total[slot][CHANNEL_ONLINE] += f->online;
		p->total[slot][CHANNEL_DIRECT] += f->direct_postal - f->postal;
		p->total[slot][CHANNEL_POSTAL] += f->postal;
		p->resolved[slot] += f->before + f->on_time + f->late;
		p->in_time[slot] += f->before + f->on_time;
	}
	return 0;
}

/* A share in percent with one decimal, or null when there is nothing to share. */
static struct json_object *percent(long long part, long long whole)
{
	if (whole <= 0)
		return NULL;
	return json_object_new_double((double)(part * 1000 / whole) / 10.0);
}

static struct json_object *month_counts(const char *month, const long long n[CHANNEL__MAX])
{
	struct json_object *o = json_object_new_object();

	json_put_str(o, "month", month);
	for (int ch = 0; ch < CHANNEL__MAX; ch++)
		json_put_int(o, channel_code((enum channel)ch), n[ch]);
	return o;
}

static struct json_object *months_json(const struct period *p)
{
	struct json_object *a = json_object_new_array();
	char m[16];

	for (int k = 1; k <= p->nmonths; k++) {
		const long long *n = p->total[k];
		struct json_object *o;
		month_label(p, k - 1, m);
		o = month_counts(m, n);
		json_object_object_add(o, "online_share", percent(n[CHANNEL_ONLINE], n[CHANNEL_ONLINE] + n[CHANNEL_DIRECT] + n[CHANNEL_POSTAL]));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *units_json(const struct period *p)
{
	struct json_object *a = json_object_new_array();
	char m[16];

	for (size_t i = 0; i < p->nunits; i++) {
		const struct unit_series *u = &p->units[i];
		struct json_object *o = json_object_new_object(), *ms = json_object_new_array();
		for (int k = 1; k <= p->nmonths; k++) {
			long long prev = (k > 1 || p->has_prev) ? u->n[k - 1][CHANNEL_ONLINE] : -1;
			struct json_object *mo;
			month_label(p, k - 1, m);
			mo = month_counts(m, u->n[k]);
			json_put_str(mo, "flag", k > p->started ? NULL : trend_flag_code(trend_flag(prev, u->n[k][CHANNEL_ONLINE])));
			json_object_array_add(ms, mo);
		}
		json_object_object_add(o, "unit", api_code_name(u->code, u->name));
		json_object_object_add(o, "months", ms);
		json_object_array_add(a, o);
	}
	return a;
}

/* Every month of the period, null where nothing was finished. */
static struct json_object *on_time_json(const struct period *p)
{
	struct json_object *a = json_object_new_array();
	char m[16];

	for (int k = 1; k <= p->nmonths; k++) {
		struct json_object *o = json_object_new_object();
		month_label(p, k - 1, m);
		json_put_str(o, "month", m);
		json_object_object_add(o, "rate", percent(p->in_time[k], p->resolved[k]));
		json_put_int(o, "resolved", p->resolved[k]);
		json_put_int(o, "in_time", p->in_time[k]);
		json_object_array_add(a, o);
	}
	return a;
}

static int on_overdue(const char *code, const char *name, long long n, void *arg)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "unit", api_code_name(code, name));
	json_put_int(o, "overdue", n);
	json_object_array_add(arg, o);
	return 0;
}

static int on_late(const char *code, const char *name, long long late, long long resolved, void *arg)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "procedure", api_code_name(code, name));
	json_put_int(o, "late", late);
	json_put_int(o, "resolved", resolved);
	json_object_array_add(arg, o);
	return 0;
}

static int on_rating(int criterion, const char *value, long long n, void *arg)
{
	long long *t = arg;
	static const char *const values[] = { "very_satisfied", "satisfied", "not_satisfied" };

	if (criterion != RC_OVERALL || !value)
		return 0;
	for (int v = 0; v < 3; v++)
		if (strcmp(value, values[v]) == 0)
			t[v] += n;
	return 0;
}

static struct json_object *satisfaction_json(const long long t[3])
{
	struct json_object *o = json_object_new_object();

	json_put_int(o, "very_satisfied", t[0]);
	json_put_int(o, "satisfied", t[1]);
	json_put_int(o, "not_satisfied", t[2]);
	json_put_int(o, "ratings", t[0] + t[1] + t[2]);
	return o;
}

/* from and to from the query, or the last twelve months up to today; 0, or -1 after
 * answering 400. */
static int period_of(struct http_req *r, const struct params *q, mc_time now, struct period *p)
{
	time_to_local(now, &p->to);
	p->to.hour = p->to.min = p->to.sec = 0;
	if (q->v[DP_TO].present)
		sscanf(q->v[DP_TO].s, "%4d-%2d-%2d", &p->to.year, &p->to.month, &p->to.day);
	if (q->v[DP_FROM].present) {
		memset(&p->from, 0, sizeof p->from);
		sscanf(q->v[DP_FROM].s, "%4d-%2d-%2d", &p->from.year, &p->from.month, &p->from.day);
	} else {
		int n = month_number(p->to.year, p->to.month) - 11;
		memset(&p->from, 0, sizeof p->from);
		p->from.year = n / 12;
		p->from.month = n % 12 + 1;
		p->from.day = 1;
	}
	if (days_from_civil(p->from.year, p->from.month, p->from.day) >
	    days_from_civil(p->to.year, p->to.month, p->to.day)) {
		params_reject(r, "to", "the period ends before it starts");
		return -1;
	}
	p->nmonths = month_number(p->to.year, p->to.month) - month_number(p->from.year, p->from.month) + 1;
	if (p->nmonths > DASH_MAX_MONTHS) {
		params_reject(r, "from", "the period is longer than 60 months");
		return -1;
	}
	p->has_prev = p->from.day == 1;
	return 0;
}

void api_dashboard(struct http_req *r)
{
	struct officer me;
	struct params q;
	struct period *p = NULL;
	struct json_object *o = NULL, *overdue = NULL, *late = NULL;
	char path[513], name[256], iso[32], fbuf[16], tbuf[16];
	const char *unit_code;
	long long unit_id, sat[3] = { 0, 0, 0 };
	mc_time now = time(NULL), from, to, as_of;
	int32_t from_day, to_day, ext_from, as_of_day;
	int rc;

	if (api_officer(r, ROLE_BIT(ROLE_MONITOR) | ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_ADMIN), &me) != 0 ||
	    params_parse(r, dashboard_params, DP__MAX, &q) != 0)
		return;
	unit_code = q.v[DP_UNIT].present ? q.v[DP_UNIT].s : me.unit_code;
	if ((rc = feedback_unit_by_code(r->db, unit_code, &unit_id, name, sizeof name)) < 0 ||
	    (rc == 0 && (rc = unit_path_of(r->db, unit_code, path, sizeof path)) < 0)) {
		api_db_error(r, rc);
		return;
	}
	if (rc != 0 || strncmp(path, me.unit_path, strlen(me.unit_path)) != 0) {
		http_problem(r, 404, "unit_not_found", "Không tìm thấy đơn vị trong phạm vi của bạn",
		             "No such unit among your units.", "unit");
		return;
	}
	if (!(p = calloc(1, sizeof *p))) {
		http_problem(r, 503, "busy", "Hệ thống đang bận", "Out of memory; try again.", NULL);
		return;
	}
	if (period_of(r, &q, now, p) != 0)
		goto out;
	from = time_from_local(&p->from);
	{
		struct civil end = p->to;
		end.day += 1;           /* the last day is included */
		to = time_from_local(&end);
	}
	from_day = (int32_t)days_from_civil(p->from.year, p->from.month, p->from.day);
	to_day = (int32_t)days_from_civil(p->to.year, p->to.month, p->to.day);
	/* the month before, whole, for the flags of the first month */
	ext_from = p->has_prev ? stats_month_first(from_day - 1) : from_day;
	as_of = now < to ? now : to - 1;     /* the last second of the period */
	{
		struct civil a;
		time_to_local(as_of, &a);
		p->started = month_number(a.year, a.month) - month_number(p->from.year, p->from.month) + 1;
		as_of_day = (int32_t)days_from_civil(a.year, a.month, a.day);
	}
	overdue = json_object_new_array();
	late = json_object_new_array();
	if ((rc = stats_drain(r->db, now)) != 0 ||
	    (rc = dashboard_flows(r->db, path, ext_from, to_day, on_flow, p)) != 0 ||
	    (rc = dashboard_overdue(r->db, path, as_of_day, on_overdue, overdue)) != 0 ||
	    (rc = dashboard_late_procedures(r->db, path, from_day, to_day, DASH_LATE_PROCEDURES, on_late, late)) != 0 ||
	    (rc = rating_counts(r->db, path, from, to, on_rating, sat)) != 0) {
		if (p->oom)
			http_problem(r, 503, "busy", "Hệ thống đang bận", "Out of memory; try again.", NULL);
		else
			api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	o = json_object_new_object();
	json_object_object_add(o, "unit", api_code_name(unit_code, name));
	snprintf(fbuf, sizeof fbuf, "%04u-%02u-%02u", (unsigned)p->from.year % 10000, (unsigned)p->from.month % 100,
	         (unsigned)p->from.day % 100);
	snprintf(tbuf, sizeof tbuf, "%04u-%02u-%02u", (unsigned)p->to.year % 10000, (unsigned)p->to.month % 100,
	         (unsigned)p->to.day % 100);
	json_put_str(o, "from", fbuf);
	json_put_str(o, "to", tbuf);
	time_format_iso(as_of, iso, sizeof iso);
	json_put_str(o, "as_of", iso);
	json_object_object_add(o, "months", months_json(p));
	json_object_object_add(o, "units", units_json(p));
	json_object_object_add(o, "on_time_rate", on_time_json(p));
	json_object_object_add(o, "overdue_by_unit", overdue);
	json_object_object_add(o, "most_late_procedures", late);
	json_object_object_add(o, "satisfaction", satisfaction_json(sat));
	overdue = late = NULL;
	http_json(r, 200, o);
out:
	json_object_put(overdue);
	json_object_put(late);
	if (p)
		free(p->units);
	free(p);
}
