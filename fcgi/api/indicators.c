/*
 * What a province is scored and asked on, beyond Biểu số 06 (monitor, leader, admin):
 *   GET /api/v1/reports/indicators?unit=&from=&to=     the Decision 766 indicators, each
 *                                    with its numerator, denominator and formula (vi, en)
 *   GET /api/v1/reports/late?unit=&from=&to=&page=&per_page=
 *                                    late attribution: the late dossiers and every step
 *                                    that finished after its own due time, with the unit
 *                                    and officer it was at; totals by unit and by officer
 *   GET /api/v1/reports/modernisation?unit=&from=&to=
 *                                    digital signatures, postal service, digitized
 *                                    dossiers, online submissions per procedure
 * from and to are local days (YYYY-MM-DD, both included); unit defaults to the officer's.
 * A unit outside the officer's subtree is a 404, like one that does not exist. Shares are
 * percentages with one decimal (truncated), null when the denominator is 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/http.h"
#include "core/params.h"
#include "domain/timeutil.h"
#include "domain/workflow.h"
#include "store/feedback_store.h"
#include "store/indicators_store.h"
#include "store/officer_store.h"
#include "store/stats_store.h"
#include "api.h"

#define REPORT_MAX_DAYS 3660        /* ten years */
#define LATE_MAX_STEPS  200000      /* late steps read for one answer */

static const char *check_date(const char *s, size_t len)
{
	int y, m, d;
	char tail;

	if (len != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' || s[7] != '-' ||
	    !civil_valid_date(y, m, d))
		return "not a date: YYYY-MM-DD";
	return NULL;
}

enum { RP_UNIT, RP_FROM, RP_TO, RP_PAGE, RP_PER_PAGE, RP__MAX };

static const struct param_spec report_params[RP__MAX] = {
	[RP_UNIT]     = { "unit", PT_TOKEN, 0, 32, 0, 0, NULL, NULL },
	[RP_FROM]     = { "from", PT_TEXT, 1, 10, 0, 0, NULL, check_date },
	[RP_TO]       = { "to", PT_TEXT, 1, 10, 0, 0, NULL, check_date },
	[RP_PAGE]     = { "page", PT_INT, 0, 0, 1, 100000, NULL, NULL },
	[RP_PER_PAGE] = { "per_page", PT_INT, 0, 0, 1, 200, NULL, NULL },
};

/* The unit and period of a report, checked. */
struct report {
	struct officer me;
	struct params q;
	const char *unit_code;
	char unit_name[256];
	char path[513];
	mc_time from, to;               /* [from, to) UTC: local midnights */
};

/* The officer, the parameters (the first `nparams` of report_params), the unit in scope
 * and the period. 0, or -1 after answering. */
static int report_open(struct http_req *r, size_t nparams, struct report *rp)
{
	struct civil f = { 0 }, t = { 0 };
	long long unit_id;
	int rc;

	if (api_officer(r, ROLE_BIT(ROLE_MONITOR) | ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_ADMIN), &rp->me) != 0 ||
	    params_parse(r, report_params, nparams, &rp->q) != 0)
		return -1;
	rp->unit_code = rp->q.v[RP_UNIT].present ? rp->q.v[RP_UNIT].s : rp->me.unit_code;
	if ((rc = feedback_unit_by_code(r->db, rp->unit_code, &unit_id, rp->unit_name, sizeof rp->unit_name)) < 0 ||
	    (rc == 0 && (rc = unit_path_of(r->db, rp->unit_code, rp->path, sizeof rp->path)) < 0)) {
		api_db_error(r, rc);
		return -1;
	}
	if (rc != 0 || strncmp(rp->path, rp->me.unit_path, strlen(rp->me.unit_path)) != 0) {
		http_problem(r, 404, "unit_not_found", "Không tìm thấy đơn vị trong phạm vi của bạn",
		             "No such unit among your units.", "unit");
		return -1;
	}
	sscanf(rp->q.v[RP_FROM].s, "%4d-%2d-%2d", &f.year, &f.month, &f.day);
	sscanf(rp->q.v[RP_TO].s, "%4d-%2d-%2d", &t.year, &t.month, &t.day);
	if (days_from_civil(f.year, f.month, f.day) > days_from_civil(t.year, t.month, t.day)) {
		params_reject(r, "to", "the period ends before it starts");
		return -1;
	}
	if (days_from_civil(t.year, t.month, t.day) - days_from_civil(f.year, f.month, f.day) >= REPORT_MAX_DAYS) {
		params_reject(r, "to", "the period is longer than ten years");
		return -1;
	}
	rp->from = time_from_local(&f);
	t.day += 1;                     /* the last day is included */
	rp->to = time_from_local(&t);
	return 0;
}

/* {"unit", "from", "to"}: the head of every report. */
static struct json_object *report_head(const struct report *rp)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "unit", api_code_name(rp->unit_code, rp->unit_name));
	json_put_str(o, "from", rp->q.v[RP_FROM].s);
	json_put_str(o, "to", rp->q.v[RP_TO].s);
	return o;
}

/* A share in percent with one decimal (truncated), or null when there is nothing to share. */
static struct json_object *percent(long long part, long long whole)
{
	if (whole <= 0)
		return NULL;
	return json_object_new_double((double)(part * 1000 / whole) / 10.0);
}

/* ----------------------------------------------------------------- indicators */

struct indicator_text { const char *key, *name_vi, *name_en, *formula_vi, *formula_en; };

static const struct indicator_text indicator_texts[IND__MAX] = {
	[IND_ON_TIME] = { "on_time_rate", "Tỷ lệ hồ sơ giải quyết đúng hạn", "On-time resolution rate",
		"Số hồ sơ giải quyết trước hạn và đúng hạn (kể cả hồ sơ rút) / tổng số hồ sơ đã giải quyết "
		"trong kỳ × 100; so ngày hoàn thành với ngày hẹn theo ngày lịch như Biểu số 06",
		"Dossiers resolved before or on their due date (withdrawn ones included) / all dossiers "
		"resolved in the period × 100; the finish day is compared with the due day by calendar "
		"day, as in Form 06" },
	[IND_ONLINE_SUBMISSION] = { "online_submission_share", "Tỷ lệ hồ sơ nộp trực tuyến",
		"Share of dossiers submitted online",
		"Số hồ sơ nộp trực tuyến được tiếp nhận trong kỳ / tổng số hồ sơ tiếp nhận trong kỳ × 100",
		"Online dossiers received in the period / all dossiers received in the period × 100" },
	[IND_ONLINE_PROCEDURES] = { "online_procedures_used_share",
		"Tỷ lệ thủ tục dịch vụ công trực tuyến toàn trình có phát sinh hồ sơ trực tuyến",
		"Share of fully online procedures that received online dossiers",
		"Số thủ tục cung cấp dịch vụ công trực tuyến toàn trình (thuộc cấp của các đơn vị) có ít nhất "
		"một hồ sơ nộp trực tuyến trong kỳ / tổng số thủ tục dịch vụ công trực tuyến toàn trình của "
		"các cấp đó × 100",
		"Fully online procedures (of the levels of the units) with at least one online submission "
		"in the period / all fully online procedures of those levels × 100" },
	[IND_ONLINE_PAYMENT] = { "online_payment_share", "Tỷ lệ thanh toán trực tuyến", "Online payment share",
		"Số lần nộp phí, lệ phí trực tuyến (có biên lai điện tử) trong kỳ / tổng số lần nộp phí, lệ "
		"phí của hồ sơ trong kỳ × 100",
		"Payments of fees made online (with an electronic receipt) in the period / all payments of "
		"fees for dossiers in the period × 100" },
	[IND_DIGITIZATION] = { "digitization_share", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết",
		"Digitization share",
		"Số hồ sơ có kết quả trong kỳ mà mọi thành phần hồ sơ đều có tệp điện tử và có kết quả điện "
		"tử / tổng số hồ sơ có kết quả trong kỳ × 100",
		"Dossiers whose result was issued in the period with every document as an electronic file "
		"and an electronic result / all dossiers whose result was issued in the period × 100" },
	[IND_SATISFACTION] = { "satisfaction_rate", "Tỷ lệ hài lòng", "Satisfaction rate",
		"Số đánh giá chung rất hài lòng và hài lòng trong kỳ / tổng số đánh giá trong kỳ × 100",
		"Overall ratings very satisfied or satisfied in the period / all ratings in the period × 100" },
	[IND_FEEDBACK_ON_TIME] = { "feedback_on_time_rate", "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn",
		"Feedback handled on time",
		"Số phản ánh, kiến nghị đến hạn trong kỳ được trả lời trước hoặc đúng hạn / tổng số phản ánh, "
		"kiến nghị đến hạn trong kỳ (đã đến hạn hoặc đã được trả lời) × 100",
		"Feedback due in the period answered by its due date / all feedback due in the period "
		"(already due, or answered) × 100" },
};

/* Without a results table the digitization share can only count documents, and says so. */
static const char digitization_docs_vi[] =
	"Số hồ sơ có kết quả trong kỳ mà mọi thành phần hồ sơ đều có tệp điện tử / tổng số hồ sơ có kết "
	"quả trong kỳ × 100 (chưa tính kết quả điện tử: hệ thống chưa lưu kết quả)";
static const char digitization_docs_en[] =
	"Dossiers whose result was issued in the period with every document as an electronic file / "
	"all dossiers whose result was issued in the period × 100 (electronic results not counted: "
	"results are not stored yet)";

void api_report_indicators(struct http_req *r)
{
	struct report rp;
	struct indicator_counts c;
	struct json_object *o, *list;
	int rc;

	if (report_open(r, RP_TO + 1, &rp) != 0)
		return;
	/* the on-time rate and the online share are read from the statistics: recount first */
	if ((rc = stats_drain(r->db, time(NULL))) != 0 ||
	    (rc = indicators_count(r->db, rp.path, rp.from, rp.to, time(NULL), &c)) != 0) {
		api_db_error(r, rc);
		return;
	}
	o = report_head(&rp);
	list = json_object_new_array();
	for (int k = 0; k < IND__MAX; k++) {
		const struct indicator_text *t = &indicator_texts[k];
		struct json_object *i = json_object_new_object();
		int docs_only = k == IND_DIGITIZATION && !c.results_modelled;

		json_put_str(i, "key", t->key);
		json_put_str(i, "name_vi", t->name_vi);
		json_put_str(i, "name_en", t->name_en);
		json_put_str(i, "formula_vi", docs_only ? digitization_docs_vi : t->formula_vi);
		json_put_str(i, "formula_en", docs_only ? digitization_docs_en : t->formula_en);
		json_put_int(i, "numerator", c.num[k]);
		json_put_int(i, "denominator", c.den[k]);
		json_object_object_add(i, "value", percent(c.num[k], c.den[k]));
		json_object_array_add(list, i);
	}
	json_object_object_add(o, "indicators", list);
	http_json(r, 200, o);
}

/* ----------------------------------------------------------------- late attribution */

/* A late step as the totals need it; a dossier as the paging needs it. */
struct step_copy {
	char *unit_code, *unit_name, *username, *full_name;
};

struct dossier_copy {
	char *code;
	long long id;
};

struct late {
	struct step_copy *steps;
	size_t nsteps, csteps;
	struct dossier_copy *dossiers;
	size_t ndossiers, cdossiers;
	int oom;
};

static char *dup_or_null(const char *s, int *oom)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*oom = 1;
	return d;
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *g;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 64;
	if (!(g = realloc(*arr, c * size)))
		return -1;
	*arr = g;
	*cap = c;
	return 0;
}

static int add_dossier(struct late *l, long long id, const char *code)
{
	struct dossier_copy *d;

	if (grow((void **)&l->dossiers, &l->cdossiers, l->ndossiers, sizeof *l->dossiers) != 0) {
		l->oom = 1;
		return 1;
	}
	d = &l->dossiers[l->ndossiers++];
	d->id = id;
	d->code = dup_or_null(code, &l->oom);
	return l->oom;
}

static int on_late_key(const struct late_key *k, void *arg)
{
	struct late *l = arg;
	struct step_copy *c;

	if (l->nsteps == LATE_MAX_STEPS)
		return 0;
	if (grow((void **)&l->steps, &l->csteps, l->nsteps, sizeof *l->steps) != 0) {
		l->oom = 1;
		return 1;
	}
	c = &l->steps[l->nsteps++];
	c->unit_code = dup_or_null(k->unit_code, &l->oom);
	c->unit_name = dup_or_null(k->unit_name, &l->oom);
	c->username = dup_or_null(k->username, &l->oom);
	c->full_name = dup_or_null(k->full_name, &l->oom);
	if (l->oom)
		return 1;
	return add_dossier(l, k->dossier_id, k->dossier_code);
}

static int on_late_dossier(long long id, const char *code, void *arg)
{
	return add_dossier(arg, id, code);
}

static void late_free(struct late *l)
{
	for (size_t i = 0; i < l->nsteps; i++) {
		struct step_copy *c = &l->steps[i];
		free(c->unit_code); free(c->unit_name); free(c->username); free(c->full_name);
	}
	for (size_t i = 0; i < l->ndossiers; i++)
		free(l->dossiers[i].code);
	free(l->steps);
	free(l->dossiers);
}

static int by_code(const void *a, const void *b)
{
	return strcmp(((const struct dossier_copy *)a)->code, ((const struct dossier_copy *)b)->code);
}

/* Steps grouped by unit, or by officer and unit. */
static int by_unit(const void *a, const void *b)
{
	return strcmp((*(struct step_copy *const *)a)->unit_code, (*(struct step_copy *const *)b)->unit_code);
}

static int by_officer(const void *a, const void *b)
{
	const struct step_copy *x = *(struct step_copy *const *)a, *y = *(struct step_copy *const *)b;
	int c = strcmp(x->username, y->username);

	return c ? c : strcmp(x->unit_code, y->unit_code);
}

struct tally { struct json_object *o; long long n; };

static int by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	return x->n != y->n ? (x->n < y->n ? 1 : -1) : 0;
}

/* The groups of l's steps under cmp, most late steps first, each made by mk. */
static struct json_object *tallies(struct late *l, int (*cmp)(const void *, const void *),
                                   struct json_object *(*mk)(const struct step_copy *))
{
	struct json_object *arr = json_object_new_array();
	struct step_copy **v = l->nsteps ? malloc(l->nsteps * sizeof *v) : NULL;
	struct tally *t = l->nsteps ? malloc(l->nsteps * sizeof *t) : NULL;
	size_t nt = 0;

	if (l->nsteps && (!v || !t)) {
		l->oom = 1;
		free(v);
		free(t);
		return arr;
	}
	for (size_t i = 0; i < l->nsteps; i++)
		v[i] = &l->steps[i];
	qsort(v, l->nsteps, sizeof *v, cmp);
	for (size_t i = 0; i < l->nsteps;) {
		size_t j = i;
		while (j < l->nsteps && cmp(&v[i], &v[j]) == 0)
			j++;
		t[nt].o = mk(v[i]);
		t[nt].n = (long long)(j - i);
		nt++;
		i = j;
	}
	/* stable enough: groups come in key order, and equal counts keep it */
	for (size_t i = 1; i < nt; i++)
		for (size_t j = i; j > 0 && by_count(&t[j - 1], &t[j]) > 0; j--) {
			struct tally x = t[j];
			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	for (size_t i = 0; i < nt; i++) {
		json_put_int(t[i].o, "late_steps", t[i].n);
		json_object_array_add(arr, t[i].o);
	}
	free(v);
	free(t);
	return arr;
}

static struct json_object *officer_json(const struct step_copy *s)
{
	struct json_object *o = json_object_new_object();

	json_put_str(o, "username", s->username);
	json_put_str(o, "full_name", s->full_name);
	return o;
}

static struct json_object *unit_group(const struct step_copy *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "unit", api_code_name(s->unit_code, s->unit_name));
	return o;
}

static struct json_object *officer_group(const struct step_copy *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "officer", officer_json(s));
	json_object_object_add(o, "unit", api_code_name(s->unit_code, s->unit_name));
	return o;
}

static struct json_object *step_json(const struct late_step *s)
{
	struct json_object *o = json_object_new_object(), *off = json_object_new_object();

	json_put_int(o, "step_seq", s->step_seq);
	json_put_str(o, "step_name", s->step_name);
	json_object_object_add(o, "unit", api_code_name(s->unit_code ? s->unit_code : "",
	                                                s->unit_name ? s->unit_name : ""));
	json_put_str(off, "username", s->username);
	json_put_str(off, "full_name", s->full_name);
	json_object_object_add(o, "officer", off);
	api_put_time(o, "due_at", s->step_due);
	api_put_time(o, "done_at", s->done_at);
	return o;
}

static int on_page_step(const struct late_step *s, void *arg)
{
	json_object_array_add(arg, step_json(s));
	return 0;
}

static int on_page_head(const char *code, const char *pcode, const char *pname, const char *due,
                        const char *fin, void *arg)
{
	struct json_object *it = arg;

	json_put_str(it, "code", code);
	json_object_object_add(it, "procedure", api_code_name(pcode, pname));
	api_put_time(it, "due_at", due);
	api_put_time(it, "finished_at", fin);
	return 0;
}

/* The page's dossiers, each read with its late steps (at most per_page dossiers). */
static int late_page(struct http_req *r, const struct report *rp, const struct late *l, size_t first,
                     size_t count, struct json_object *items)
{
	int rc;

	for (size_t i = first; i < l->ndossiers && i < first + count; i++) {
		struct json_object *it = json_object_new_object(), *steps = json_object_new_array();

		json_object_array_add(items, it);
		if ((rc = indicators_late_head(r->db, l->dossiers[i].id, on_page_head, it)) < 0 ||
		    (rc = indicators_late_steps_of(r->db, rp->path, rp->from, rp->to, l->dossiers[i].id,
		                                   on_page_step, steps)) != 0) {
			json_object_put(steps);
			return rc < 0 ? rc : DB_ERR;
		}
		json_object_object_add(it, "late_steps", steps);
	}
	return 0;
}

/*
 * Every late step of the period is read once, lightly (its dossier, unit and officer), for
 * the totals; the dossiers (those with a late step, and those finished late) are sorted
 * by code for the total and the page; only the page's dossiers are then read in full.
 */
void api_report_late(struct http_req *r)
{
	struct report rp;
	struct late l;
	struct json_object *o, *items;
	long long page, per_page;
	size_t n = 0;
	int rc;

	if (report_open(r, RP__MAX, &rp) != 0)
		return;
	page = rp.q.v[RP_PAGE].present ? rp.q.v[RP_PAGE].i : 1;
	per_page = rp.q.v[RP_PER_PAGE].present ? rp.q.v[RP_PER_PAGE].i : 50;
	memset(&l, 0, sizeof l);
	if ((rc = indicators_late_keys(r->db, rp.path, rp.from, rp.to, on_late_key, &l)) != 0 ||
	    (rc = indicators_late_dossiers(r->db, rp.path, rp.from, rp.to, on_late_dossier, &l)) != 0 || l.oom) {
		if (l.oom)
			http_problem(r, 503, "busy", "Hệ thống đang bận", "Out of memory; try again.", NULL);
		else
			api_db_error(r, rc < 0 ? rc : DB_ERR);
		late_free(&l);
		return;
	}
	/* one entry per dossier, by code */
	if (l.ndossiers)
		qsort(l.dossiers, l.ndossiers, sizeof *l.dossiers, by_code);
	for (size_t i = 0; i < l.ndossiers; i++) {
		if (n > 0 && strcmp(l.dossiers[n - 1].code, l.dossiers[i].code) == 0) {
			free(l.dossiers[i].code);
			continue;
		}
		l.dossiers[n++] = l.dossiers[i];
	}
	l.ndossiers = n;
	o = report_head(&rp);
	json_put_int(o, "total", (long long)l.ndossiers);
	json_put_int(o, "page", page);
	json_put_int(o, "per_page", per_page);
	items = json_object_new_array();
	json_object_object_add(o, "items", items);
	if ((rc = late_page(r, &rp, &l, (size_t)((page - 1) * per_page), (size_t)per_page, items)) != 0) {
		json_object_put(o);
		late_free(&l);
		api_db_error(r, rc);
		return;
	}
	json_object_object_add(o, "by_unit", tallies(&l, by_unit, unit_group));
	json_object_object_add(o, "by_officer", tallies(&l, by_officer, officer_group));
	late_free(&l);
	http_json(r, 200, o);
}

/* ----------------------------------------------------------------- modernisation */

static int on_online(const char *code, const char *name, long long online, long long total, void *arg)
{
	struct json_object *i = json_object_new_object();

	json_object_object_add(i, "procedure", api_code_name(code, name));
	json_put_int(i, "online", online);
	json_put_int(i, "total", total);
	json_object_array_add(arg, i);
	return 0;
}

void api_report_modernisation(struct http_req *r)
{
	struct report rp;
	struct modernisation m;
	struct json_object *o, *sig, *postal, *dig, *online;
	int rc;

	if (report_open(r, RP_TO + 1, &rp) != 0)
		return;
	online = json_object_new_array();
	if ((rc = indicators_modernisation(r->db, rp.path, rp.from, rp.to, &m)) != 0 ||
	    (rc = indicators_online_by_procedure(r->db, rp.path, rp.from, rp.to, on_online, online)) != 0) {
		json_object_put(online);
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	o = report_head(&rp);
	sig = json_object_new_object();
	json_put_int(sig, "made", m.signatures_made);
	json_put_int(sig, "results", m.results);
	json_put_int(sig, "results_signed", m.results_signed);
	json_object_object_add(sig, "share", percent(m.results_signed, m.results));
	if (!m.results_modelled)
		json_put_str(sig, "note", "Results are not stored yet: no signature can be counted.");
	json_object_object_add(o, "signatures", sig);
	postal = json_object_new_object();
	json_put_int(postal, "received", m.postal_received);
	json_put_int(postal, "returned", m.postal_returned);
	json_object_object_add(o, "postal", postal);
	dig = json_object_new_object();
	json_put_int(dig, "dossiers", m.digitized);
	json_put_int(dig, "received", m.received);
	json_object_object_add(dig, "share", percent(m.digitized, m.received));
	json_object_object_add(o, "digitized", dig);
	json_object_object_add(o, "online_by_procedure", online);
	http_json(r, 200, o);
}
