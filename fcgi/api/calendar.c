/*
 * The working calendar (lịch làm việc):
 *   GET    /api/v1/calendar/due-date?start=&amount=&unit=   public due-date calculator
 *   GET    /api/v1/calendar/days[?year=]                    public: the special days of a year
 *   PUT    /api/v1/calendar/days/{yyyy-mm-dd}               admin: set a holiday / make-up day
 *   DELETE /api/v1/calendar/days/{yyyy-mm-dd}               admin: make it ordinary again
 *   GET    /api/v1/calendar/jobs/{id}                       admin: a recompute job's progress
 *   GET    /api/v1/calendar/sessions                        officers: the week's working sessions
 *   PUT    /api/v1/calendar/sessions                        admin: replace them (recompute job)
 *
 * Every answer reads the calendar from the database (calendar_load), so what admins set is
 * what the calculator, the desk and the worker use. A change enqueues, in its own
 * transaction, the job that motcua-worker runs to move the open dossiers' due dates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/log.h"
#include "core/params.h"
#include "domain/calendar.h"
#include "domain/calendar_text.h"
#include "domain/timeutil.h"
#include "domain/workflow.h"
#include "store/calendar_store.h"
#include "store/officer_store.h"
#include "api.h"

#define YEAR_MIN            2000
#define YEAR_MAX            2100
#define AMOUNT_MAX          100000          /* 1000, in hundredths */
#define EXPLAIN_DAYS_MAX    1024            /* enough for 1000 working days */
#define EXPLANATION_MAX     (32 * 1024)

/* For endpoints that take no parameters: anything in the query is refused. */
static int no_params(struct http_req *r)
{
	struct params p;
	return params_parse(r, NULL, 0, &p);
}

static int year_in_range(mc_time t)
{
	struct civil c;

	time_to_local(t, &c);
	return c.year >= YEAR_MIN && c.year <= YEAR_MAX;
}

static const char *check_start(const char *s, size_t len)
{
	mc_time t;

	if (time_parse_iso(s, len, &t) != 0)
		return "not an ISO 8601 date-time: YYYY-MM-DDTHH:MM[:SS] with an optional Z or "
		       "+HH:MM, whole seconds";
	if (!year_in_range(t))
		return "outside the years 2000 to 2100";
	return NULL;
}

static const char *check_amount(const char *s, size_t len)
{
	int64_t v;

	if (cal_amount_parse(s, len, &v) != 0)
		return "not a decimal number with at most 2 decimals, such as 3 or 0.5";
	if (v <= 0 || v > AMOUNT_MAX)
		return "must be more than 0 and at most 1000";
	return NULL;
}

static const char *const unit_choices[] = { "working_days", "calendar_days", "hours", NULL };

enum { D_START, D_AMOUNT, D_UNIT, D__MAX };
static const struct param_spec due_params[D__MAX] = {
	[D_START]  = { "start", PT_TEXT, 1, 25, 0, 0, NULL, check_start },
	[D_AMOUNT] = { "amount", PT_TEXT, 1, 10, 0, 0, NULL, check_amount },
	[D_UNIT]   = { "unit", PT_ENUM, 1, 0, 0, 0, unit_choices, NULL },
};

static void put_iso(struct json_object *o, const char *key, mc_time t)
{
	char buf[32];

	time_format_iso(t, buf, sizeof buf);
	json_put_str(o, key, buf);
}

static int weekday_of_day(int64_t day)
{
	int64_t r = (day + 4) % 7;         /* 1970-01-01 was a Thursday */

	return (int)(r < 0 ? r + 7 : r);
}

/* {"date","weekday","kind","label_vi","label_en","name"}: one shape for every day listed. */
static struct json_object *day_json(int64_t day, const char *kind_code, const char *name)
{
	struct json_object *o = json_object_new_object();
	int kind = cal_day_kind_from_code(kind_code, strlen(kind_code)), y, m, d;
	char date[16];

	civil_from_days(day, &y, &m, &d);
	snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
	json_put_str(o, "date", date);
	json_put_int(o, "weekday", weekday_of_day(day));
	json_put_str(o, "kind", kind_code);
	json_put_str(o, "label_vi", cal_day_kind_label_vi((enum cal_day_kind)kind));
	json_put_str(o, "label_en", cal_day_kind_label_en((enum cal_day_kind)kind));
	json_put_str(o, "name", name);
	return o;
}

static struct json_object *explained_day(const struct cal_explain_day *e)
{
	const char *name = e->name;

	if (e->kind == CAL_DAY_WEEKEND)
		name = cal_weekday_name(weekday_of_day(e->day), CAL_LANG_VI);
	return day_json(e->day, cal_day_kind_code(e->kind), name);
}

static void due_problem(struct http_req *r, enum cal_err e)
{
	char detail[160];

	snprintf(detail, sizeof detail, "The working calendar gives no due date for this (%s).",
	         cal_err_code(e));
	http_problem(r, 422, "due_not_computable", "Không tính được hạn giải quyết theo lịch làm việc",
	             detail, NULL);
}

static struct json_object *due_json(const struct cal_explain *ex, int64_t amount,
                                    enum cal_time_unit unit, const char *text_vi,
                                    const char *text_en)
{
	struct json_object *o = json_object_new_object(), *reason, *skipped, *makeup;
	char num[32], dur[96];

	put_iso(o, "start", ex->received);
	put_iso(o, "effective_start", ex->start);
	reason = api_labelled(cal_start_reason_code(ex->start_reason),
	                      cal_start_reason_label_vi(ex->start_reason),
	                      cal_start_reason_label_en(ex->start_reason));
	json_object_object_add(o, "start_reason", reason);
	put_iso(o, "due_at", ex->due);
	json_put_str(o, "unit", cal_time_unit_code(unit));
	cal_amount_format(amount, CAL_LANG_EN, num, sizeof num);
	json_object_object_add(o, "amount", json_object_new_double_s((double)amount / 100, num));
	cal_duration_text(amount, unit, CAL_LANG_VI, dur, sizeof dur);
	json_put_str(o, "duration_vi", dur);
	cal_duration_text(amount, unit, CAL_LANG_EN, dur, sizeof dur);
	json_put_str(o, "duration_en", dur);
	skipped = json_object_new_array();
	makeup = json_object_new_array();
	for (size_t i = 0; i < ex->ndays; i++)
		json_object_array_add(ex->days[i].kind == CAL_DAY_MAKEUP_WORKDAY ? makeup : skipped,
		                      explained_day(&ex->days[i]));
	json_object_object_add(o, "skipped_days", skipped);
	json_object_object_add(o, "makeup_days", makeup);
	json_put_bool(o, "days_truncated", ex->total > ex->ndays);
	json_put_str(o, "explanation_vi", text_vi);
	json_put_str(o, "explanation_en", text_en);
	return o;
}

/*
 * Answers with the due date of `amount` of `unit` from `start`, the pauses taken off, and
 * the explanation of every day skipped. Used by the public calculator and by the
 * tracking page's "how was this date computed" for a dossier.
 */
void api_explain_due(struct http_req *r, mc_time start, int64_t amount, enum cal_time_unit unit,
                     const struct cal_pause *pauses, size_t npauses)
{
	struct calendar cal;
	struct cal_explain ex;
	struct cal_explain_day *days = NULL;
	char *text_vi = NULL, *text_en = NULL;
	enum cal_err e;
	mc_time due;
	int rc, have_cal = 0;

	days = malloc(EXPLAIN_DAYS_MAX * sizeof *days);
	text_vi = malloc(EXPLANATION_MAX);
	text_en = malloc(EXPLANATION_MAX);
	if (!days || !text_vi || !text_en) {
		http_internal_error(r, "out of memory");
		goto out;
	}
	if ((rc = calendar_load(r->db, &cal)) != 0) {
		api_db_error(r, rc);
		goto out;
	}
	have_cal = 1;
	cal_explain_init(&ex, days, EXPLAIN_DAYS_MAX);
	if ((e = calendar_recompute_due(&cal, start, amount, unit, pauses, npauses, &due, &ex)) != CAL_OK) {
		due_problem(r, e);
		goto out;
	}
	/* a text cut at the buffer's end is still worth showing */
	cal_explain_text(&ex, amount, unit, CAL_LANG_VI, text_vi, EXPLANATION_MAX);
	cal_explain_text(&ex, amount, unit, CAL_LANG_EN, text_en, EXPLANATION_MAX);
	http_json(r, 200, due_json(&ex, amount, unit, text_vi, text_en));
out:
	if (have_cal)
		calendar_free(&cal);
	free(days);
	free(text_vi);
	free(text_en);
}

void api_calendar_due(struct http_req *r)
{
	struct params p;
	enum cal_time_unit unit;
	int64_t amount;
	mc_time start;

	if (params_parse(r, due_params, D__MAX, &p) != 0)
		return;
	/* both were checked by the table; these cannot fail now */
	time_parse_iso(p.v[D_START].s, p.v[D_START].len, &start);
	cal_amount_parse(p.v[D_AMOUNT].s, p.v[D_AMOUNT].len, &amount);
	unit = (enum cal_time_unit)cal_time_unit_from_code(p.v[D_UNIT].s, p.v[D_UNIT].len);
	api_explain_due(r, start, amount, unit, NULL, 0);
}

enum { Y_YEAR, Y__MAX };
static const struct param_spec days_params[Y__MAX] = {
	[Y_YEAR] = { "year", PT_INT, 0, 0, YEAR_MIN, YEAR_MAX, NULL, NULL },
};

static int day_item(const struct calendar_day_row *d, void *arg)
{
	int y, m, dd;
	struct json_object *o;

	if (!d->date || sscanf(d->date, "%4d-%2d-%2d", &y, &m, &dd) != 3 || !d->kind)
		return DB_ERR;
	o = day_json(days_from_civil(y, m, dd), d->kind, d->name ? d->name : "");
	api_put_time(o, "updated_at", d->updated_at);
	json_object_array_add(arg, o);
	return 0;
}

void api_calendar_days(struct http_req *r)
{
	struct params p;
	struct json_object *items, *res;
	struct civil now;
	int year, rc;

	if (params_parse(r, days_params, Y__MAX, &p) != 0)
		return;
	time_to_local((mc_time)time(NULL), &now);
	year = p.v[Y_YEAR].present ? (int)p.v[Y_YEAR].i : now.year;
	items = json_object_new_array();
	if ((rc = calendar_days_of_year(r->db, year, day_item, items)) != 0) {
		json_object_put(items);
		api_db_error(r, rc);
		return;
	}
	res = json_object_new_object();
	json_put_int(res, "year", year);
	json_object_object_add(res, "items", items);
	http_json(r, 200, res);
}

/* The {yyyy-mm-dd} path segment: a real date in YEAR_MIN..YEAR_MAX. 0 and *day, or -1
 * after answering 400. */
static int day_arg(struct http_req *r, int64_t *day)
{
	const char *s = r->args[0];
	int y, m, d;

	if (r->arg_len[0] == 10 && s[4] == '-' && s[7] == '-') {
		int digits = 1;
		for (int i = 0; i < 10; i++)
			if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
				digits = 0;
		if (digits) {
			y = atoi(s);
			m = atoi(s + 5);
			d = atoi(s + 8);
			if (y >= YEAR_MIN && y <= YEAR_MAX && civil_valid_date(y, m, d)) {
				*day = days_from_civil(y, m, d);
				return 0;
			}
		}
	}
	http_problem(r, 400, "invalid_parameter", "Ngày không hợp lệ",
	             "The date must be a real date YYYY-MM-DD between 2000 and 2100.", "date");
	return -1;
}

static const char *const kind_choices[] = { "holiday", "makeup_workday", NULL };

static const char *check_day_name(const char *s, size_t len)
{
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		return "must not begin or end with a space";
	return NULL;
}

enum { B_KIND, B_NAME, B__MAX };
static const struct jin_spec day_body[B__MAX] = {
	[B_KIND] = { "kind", JIN_ENUM, 1, 0, 0, 0, 0, kind_choices, NULL },
	[B_NAME] = { "name", JIN_TEXT, 1, 1, CAL_NAME_MAX - 1, 0, 0, NULL, check_day_name },
};

static void put_job_id(struct json_object *o, long long job_id)
{
	if (job_id > 0)
		json_put_int(o, "job_id", job_id);
	else
		json_object_object_add(o, "job_id", NULL);
}

void api_calendar_day_put(struct http_req *r)
{
	struct officer me;
	struct jin in;
	struct json_object *res;
	enum cal_day_kind kind;
	long long job_id = 0;
	int64_t day;
	int created = 0, rc;

	memset(&in, 0, sizeof in);
	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || no_params(r) != 0 || day_arg(r, &day) != 0)
		return;
	if (json_body_parse(r, 4096, day_body, B__MAX, &in) != 0)
		goto out;
	kind = (enum cal_day_kind)cal_day_kind_from_code(in.v[B_KIND].s, in.v[B_KIND].len);
	rc = calendar_day_set(r->db, day, kind, in.v[B_NAME].s, me.id, &job_id, &created);
	if (rc != 0) {
		api_db_error(r, rc);
		goto out;
	}
	log_info("calendar: %s set %s %s (job %lld)", me.username, r->args[0],
	         cal_day_kind_code(kind), job_id);
	res = json_object_new_object();
	json_object_object_add(res, "day", day_json(day, cal_day_kind_code(kind), in.v[B_NAME].s));
	put_job_id(res, job_id);
	http_json(r, created ? 201 : 200, res);
out:
	jin_free(&in);
}

void api_calendar_day_delete(struct http_req *r)
{
	struct officer me;
	struct json_object *res;
	enum cal_day_kind kind = CAL_DAY_HOLIDAY;
	char name[CAL_NAME_MAX];
	long long job_id = 0;
	int64_t day;
	int rc;

	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || no_params(r) != 0 || day_arg(r, &day) != 0)
		return;
	rc = calendar_day_remove(r->db, day, &job_id, &kind, name);
	if (rc < 0) {
		api_db_error(r, rc);
		return;
	}
	if (rc == 1) {
		http_problem(r, 404, "calendar_day_not_found", "Ngày này không phải ngày nghỉ hay ngày làm bù",
		             "That date is neither a holiday nor a make-up working day.", "date");
		return;
	}
	log_info("calendar: %s removed %s (job %lld)", me.username, r->args[0], job_id);
	res = json_object_new_object();
	json_object_object_add(res, "day", day_json(day, cal_day_kind_code(kind), name));
	put_job_id(res, job_id);
	http_json(r, 200, res);
}

void api_calendar_job(struct http_req *r)
{
	struct officer me;
	struct calendar_job job;
	struct json_object *o;
	long long id = 0;
	int rc, ok = r->arg_len[0] <= 18;

	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || no_params(r) != 0)
		return;
	for (size_t i = 0; ok && i < r->arg_len[0]; i++) {
		ok = r->args[0][i] >= '0' && r->args[0][i] <= '9';
		id = id * 10 + (r->args[0][i] - '0');
	}
	if (!ok || id <= 0) {
		http_problem(r, 400, "invalid_parameter", "Mã công việc không hợp lệ",
		             "The job id must be a positive integer.", "id");
		return;
	}
	if ((rc = calendar_job_get(r->db, id, &job)) < 0) {
		api_db_error(r, rc);
		return;
	}
	if (rc == 1) {
		http_problem(r, 404, "calendar_job_not_found", "Không tìm thấy công việc tính lại hạn",
		             "No recompute job has that id.", "id");
		return;
	}
	o = json_object_new_object();
	json_put_int(o, "id", job.id);
	json_put_str(o, "reason", job.reason);
	json_put_str(o, "status", calendar_job_status_code(job.status));
	api_put_time(o, "created_at", job.created_at[0] ? job.created_at : NULL);
	api_put_time(o, "started_at", job.started_at[0] ? job.started_at : NULL);
	api_put_time(o, "finished_at", job.finished_at[0] ? job.finished_at : NULL);
	json_put_int(o, "changed", (long long)job.changed);
	http_json(r, 200, o);
}

/* ---- working sessions per weekday ---- */

#define SESSIONS_MAX_BODY 8192
#define FIELD_MAX 64                /* "weekdays[6].sessions[3].start" */

static void put_hhmm(struct json_object *o, const char *key, int minutes)
{
	char buf[24];                   /* 0..1440 needs 6; the compiler cannot know */

	snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
	json_put_str(o, key, buf);
}

/* {"default", "weekdays": [{weekday, name_vi, name_en, sessions: [{start, end}], minutes}]},
 * Monday first as Vietnamese calendars list the week. */
static struct json_object *week_json(const struct cal_day_sessions week[7], int is_default)
{
	struct json_object *o = json_object_new_object(), *days = json_object_new_array();

	json_put_bool(o, "default", is_default);
	for (int k = 1; k <= 7; k++) {
		int wd = k % 7, minutes = 0;
		struct json_object *d = json_object_new_object(), *ss = json_object_new_array();
		json_put_int(d, "weekday", wd);
		json_put_str(d, "name_vi", cal_weekday_name(wd, CAL_LANG_VI));
		json_put_str(d, "name_en", cal_weekday_name(wd, CAL_LANG_EN));
		for (size_t i = 0; i < week[wd].n; i++) {
			struct json_object *x = json_object_new_object();
			put_hhmm(x, "start", week[wd].s[i].start_min);
			put_hhmm(x, "end", week[wd].s[i].end_min);
			json_object_array_add(ss, x);
			minutes += week[wd].s[i].end_min - week[wd].s[i].start_min;
		}
		json_object_object_add(d, "sessions", ss);
		json_put_int(d, "minutes", minutes);
		json_object_array_add(days, d);
	}
	json_object_object_add(o, "weekdays", days);
	return o;
}

void api_calendar_sessions(struct http_req *r)
{
	struct officer me;
	struct cal_day_sessions week[7];
	int is_default = 0, rc;

	if (api_officer(r, 0, &me) != 0 || no_params(r) != 0)
		return;
	if ((rc = calendar_sessions_get(r->db, week, &is_default)) != 0) {
		api_db_error(r, rc);
		return;
	}
	http_json(r, 200, week_json(week, is_default));
}

static void field_reject(struct http_req *r, const char *field, const char *why)
{
	char detail[256];

	snprintf(detail, sizeof detail, "Field '%s': %s.", field, why);
	http_problem(r, 400, "invalid_field", "Dữ liệu không hợp lệ", detail, field);
}

/* "HH:MM", 00:00 to 23:59, or 24:00 when end (a session may run to midnight). Minutes
 * from midnight, or -1. */
static int hhmm_minutes(struct json_object *x, int end)
{
	const char *s;
	int h, m;

	if (!json_object_is_type(x, json_type_string) || json_object_get_string_len(x) != 5)
		return -1;
	s = json_object_get_string(x);
	for (int i = 0; i < 5; i++)
		if (i == 2 ? s[i] != ':' : (s[i] < '0' || s[i] > '9'))
			return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end)))
		return -1;
	return h * 60 + m;
}

/* 1 when o is an object whose keys are all among names; *unknown gets the first other. */
static int only_keys(struct json_object *o, const char *const *names, const char **unknown)
{
	json_object_object_foreach(o, key, val) {
		int k;
		(void)val;
		for (k = 0; names[k] && strcmp(names[k], key) != 0; k++)
			;
		if (!names[k]) {
			*unknown = key;
			return 0;
		}
	}
	return 1;
}

/*
 * One weekday of the body into week[]: {"weekday": 0..6, "sessions": [{start, end}, ...]}.
 * at is "weekdays[i]". 0, or -1 after answering 400 with the field's path.
 */
static int weekday_in(struct http_req *r, struct json_object *x, const char *at,
                      struct cal_day_sessions week[7], int seen[7])
{
	static const char *const day_keys[] = { "weekday", "sessions", NULL };
	static const char *const session_keys[] = { "start", "end", NULL };
	struct json_object *wdx, *ssx;
	const char *unknown;
	char field[FIELD_MAX + 64];
	struct cal_day_sessions d;
	int64_t wd;
	size_t n;

	if (!json_object_is_type(x, json_type_object)) {
		field_reject(r, at, "must be an object {weekday, sessions}");
		return -1;
	}
	if (!only_keys(x, day_keys, &unknown)) {
		snprintf(field, sizeof field, "%s.%.40s", at, unknown);
		field_reject(r, field, "unknown field");
		return -1;
	}
	snprintf(field, sizeof field, "%s.weekday", at);
	if (!json_object_object_get_ex(x, "weekday", &wdx) || !json_object_is_type(wdx, json_type_int) ||
	    (wd = json_object_get_int64(wdx)) < 0 || wd > 6) {
		field_reject(r, field, "must be an integer from 0 (Sunday) to 6 (Saturday)");
		return -1;
	}
	if (seen[wd]) {
		field_reject(r, field, "that weekday is given twice");
		return -1;
	}
	seen[wd] = 1;
	snprintf(field, sizeof field, "%s.sessions", at);
	if (!json_object_object_get_ex(x, "sessions", &ssx) || !json_object_is_type(ssx, json_type_array)) {
		field_reject(r, field, "must be an array of sessions {start, end} (empty: a day off)");
		return -1;
	}
	if ((n = json_object_array_length(ssx)) > CAL_MAX_SESSIONS) {
		field_reject(r, field, "at most 4 sessions a day");
		return -1;
	}
	memset(&d, 0, sizeof d);
	for (size_t i = 0; i < n; i++) {
		struct json_object *sx = json_object_array_get_idx(ssx, i), *v;
		int start, end;

		snprintf(field, sizeof field, "%s.sessions[%zu]", at, i);
		if (!json_object_is_type(sx, json_type_object)) {
			field_reject(r, field, "must be an object {start, end}");
			return -1;
		}
		if (!only_keys(sx, session_keys, &unknown)) {
			snprintf(field, sizeof field, "%s.sessions[%zu].%.40s", at, i, unknown);
			field_reject(r, field, "unknown field");
			return -1;
		}
		snprintf(field, sizeof field, "%s.sessions[%zu].start", at, i);
		if (!json_object_object_get_ex(sx, "start", &v) || (start = hhmm_minutes(v, 0)) < 0) {
			field_reject(r, field, "must be a time HH:MM from 00:00 to 23:59");
			return -1;
		}
		if (i > 0 && start < d.s[i - 1].end_min) {
			field_reject(r, field, "sessions must be in order and must not overlap: this one "
			             "begins before the previous one ends");
			return -1;
		}
		snprintf(field, sizeof field, "%s.sessions[%zu].end", at, i);
		if (!json_object_object_get_ex(sx, "end", &v) || (end = hhmm_minutes(v, 1)) < 0) {
			field_reject(r, field, "must be a time HH:MM from 00:00 to 24:00");
			return -1;
		}
		if (end <= start) {
			field_reject(r, field, "must be after the session's start");
			return -1;
		}
		d.s[i].start_min = start;
		d.s[i].end_min = end;
	}
	d.n = n;
	week[wd] = d;
	return 0;
}

/*
 * The body {"weekdays": [...]} into week[]: the whole week, a weekday not listed being a
 * day off. jsonin.h declares flat members only, so this body is read with the same strict,
 * depth-limited parse (json_body_parse with no declared member would refuse "weekdays";
 * the tokener settings below are jsonin.c's). 0, or -1 after answering.
 */
static int week_in(struct http_req *r, struct cal_day_sessions week[7])
{
	static const char *const body_keys[] = { "weekdays", NULL };
	const char *ct = http_header(r, "CONTENT_TYPE"), *unknown;
	struct json_tokener *tok = NULL;
	struct json_object *root = NULL, *days;
	char *body = NULL, at[FIELD_MAX];
	size_t len, n, total = 0;
	int seen[7] = { 0 }, rc = -1;
	struct calendar check;

	memset(week, 0, 7 * sizeof *week);
	calendar_init(&check);          /* allocates nothing: no special days are added */
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';')) {
		http_problem(r, 415, "unsupported_media_type", "Định dạng dữ liệu không được hỗ trợ",
		             "Send the body as application/json.", NULL);
		return -1;
	}
	if (http_read_body(r, SESSIONS_MAX_BODY, &body, &len) != 0)
		return -1;
	if ((tok = json_tokener_new_ex(8)) == NULL) {
		http_internal_error(r, "out of memory");
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, body, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len || !json_object_is_type(root, json_type_object)) {
		http_problem(r, 400, "invalid_json", "Dữ liệu không đúng định dạng JSON",
		             "The body must be one complete JSON object.", NULL);
		goto out;
	}
	if (!only_keys(root, body_keys, &unknown)) {
		char detail[160];
		snprintf(detail, sizeof detail, "Unknown field '%.60s'.", unknown);
		http_problem(r, 400, "unknown_field", "Trường dữ liệu không được hỗ trợ", detail, unknown);
		goto out;
	}
	if (!json_object_object_get_ex(root, "weekdays", &days) || days == NULL) {
		http_problem(r, 400, "missing_field", "Thiếu trường dữ liệu bắt buộc",
		             "Field 'weekdays' is required.", "weekdays");
		goto out;
	}
	if (!json_object_is_type(days, json_type_array) || (n = json_object_array_length(days)) > 7) {
		field_reject(r, "weekdays", "must be an array of at most 7 weekdays");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(at, sizeof at, "weekdays[%zu]", i);
		if (weekday_in(r, json_object_array_get_idx(days, i), at, week, seen) != 0)
			goto out;
	}
	for (int wd = 0; wd < 7; wd++) {
		total += week[wd].n;
		/* the domain's own rules, which the checks above already enforce */
		if (calendar_set_sessions(&check, wd, week[wd].s, week[wd].n) != CAL_OK) {
			field_reject(r, "weekdays", "the sessions break the calendar's rules");
			goto out;
		}
	}
	if (total == 0) {
		field_reject(r, "weekdays", "the week needs at least one working session");
		goto out;
	}
	rc = 0;
out:
	json_object_put(root);
	json_tokener_free(tok);
	free(body);
	return rc;
}

void api_calendar_sessions_put(struct http_req *r)
{
	struct officer me;
	struct cal_day_sessions week[7];
	struct json_object *res;
	long long job_id = 0;
	int rc;

	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || no_params(r) != 0 || week_in(r, week) != 0)
		return;
	if ((rc = calendar_sessions_set(r->db, week, &job_id)) != 0) {
		api_db_error(r, rc);
		return;
	}
	log_info("calendar: %s set the working sessions (job %lld)", me.username, job_id);
	/* what is stored now, read back: the answer shows whether it is the default week */
	{
		int is_default = 0;
		if ((rc = calendar_sessions_get(r->db, week, &is_default)) != 0) {
			api_db_error(r, rc);
			return;
		}
		res = week_json(week, is_default);
	}
	put_job_id(res, job_id);
	http_json(r, 200, res);
}
