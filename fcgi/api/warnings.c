/*
 * Warnings (issue #6; domain/warnings.h says what each kind means):
 *   GET  /api/v1/warnings?unit=&kind=&page=&per_page=   officers: counts per kind and the
 *        items, most urgent kind first; scope = the officer's subtree (a unit outside it is
 *        a 404); desk, specialist, leader and clerk see the dossiers held in their units,
 *        monitors and admins also those received there; unused accounts for admins only
 *   POST /api/v1/warnings/digest/run                     admin: today's digests now (the
 *        worker sends them once a day after MOTCUA_DIGEST_HOUR); a second run the same day
 *        sends nothing
 *   GET  /api/v1/warnings/digest, PUT … {subscribed}     the officer's own daily digest
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/params.h"
#include "domain/calendar.h"
#include "domain/warnings.h"
#include "domain/workflow.h"
#include "store/calendar_store.h"
#include "store/feedback_store.h"
#include "store/officer_store.h"
#include "store/warnings_store.h"
#include "api.h"

static const char *const kind_choices[WARN__MAX + 1] = {
	[WARN_DUE_SOON] = "due_soon",
	[WARN_OVERDUE] = "overdue",
	[WARN_STUCK] = "stuck",
	[WARN_RESOLVED_NOT_RETURNED] = "resolved_not_returned",
	[WARN_SUPPLEMENT_OVERDUE] = "supplement_overdue",
	[WARN_FEEDBACK_DUE] = "feedback_due",
	[WARN_UNUSED_ACCOUNTS] = "unused_accounts",
	[WARN__MAX] = NULL,
};

enum { W_UNIT, W_KIND, W_PAGE, W_PER_PAGE, W__MAX };

static const struct param_spec warnings_params[W__MAX] = {
	[W_UNIT]     = { "unit", PT_TOKEN, 0, 32, 0, 0, NULL, NULL },
	[W_KIND]     = { "kind", PT_ENUM, 0, 0, 0, 0, kind_choices, NULL },
	[W_PAGE]     = { "page", PT_INT, 0, 0, 1, 100000, NULL, NULL },
	[W_PER_PAGE] = { "per_page", PT_INT, 0, 0, 1, 100, NULL, NULL },
};

struct items_ctx { struct json_object *items; int unused_days; };

static int on_item(const struct warning_item *it, void *arg)
{
	struct items_ctx *c = arg;
	struct json_object *o = json_object_new_object();
	char link[700];

	json_put_str(o, "kind", warning_kind_code(it->kind));
	if (it->code)
		json_put_str(o, "code", it->code);
	json_put_str(o, "title", it->title ? it->title : "");
	json_object_object_add(o, "unit", api_code_name(it->unit_code, it->unit_name));
	if (it->since)
		api_put_time(o, "since", it->since);
	if (it->due_at)
		api_put_time(o, "due_at", it->due_at);
	warnings_link(it->kind, it->code, c->unused_days, link, sizeof link);
	json_put_str(o, "link", link);
	json_object_array_add(c->items, o);
	return 0;
}

/* The unit asked for, inside the officer's subtree; 0, or -1 after answering. */
static int scope_unit(struct http_req *r, const struct officer *me, const struct params *p,
                      char *code, size_t codesz, char *name, size_t namesz, char *path, size_t pathsz)
{
	long long id;
	int rc;

	if (!p->v[W_UNIT].present) {
		snprintf(code, codesz, "%s", me->unit_code);
		snprintf(name, namesz, "%s", me->unit_name);
		snprintf(path, pathsz, "%s", me->unit_path);
		return 0;
	}
	snprintf(code, codesz, "%s", p->v[W_UNIT].s);
	if ((rc = feedback_unit_by_code(r->db, code, &id, name, namesz)) != 0 ||
	    (rc = unit_path_of(r->db, code, path, pathsz)) != 0) {
		if (rc == 1)
			params_reject(r, "unit", "no such unit");
		else
			api_db_error(r, rc);
		return -1;
	}
	if (strncmp(path, me->unit_path, strlen(me->unit_path)) != 0) {
		http_problem(r, 404, "unit_not_found", "Không tìm thấy đơn vị trong phạm vi của bạn",
		             "No such unit among your units.", "unit");
		return -1;
	}
	return 0;
}

void api_warnings(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct calendar cal;
	struct warning_thresholds th;
	struct warning_cutoffs cut;
	struct warning_scope s;
	struct items_ctx c;
	struct json_object *o, *counts, *thr;
	long long n[WARN__MAX], page, per_page, offset, room, total;
	char code[33], name[256], path[513], iso[32];
	int kind, rc = 0;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, warnings_params, W__MAX, &p) != 0)
		return;
	if (scope_unit(r, &me, &p, code, sizeof code, name, sizeof name, path, sizeof path) != 0)
		return;
	warnings_thresholds_of(r->cfg, &th);
	calendar_init(&cal);
	if ((rc = calendar_load(r->db, &cal)) != 0) {
		calendar_free(&cal);
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	rc = warnings_cutoffs(&cal, &th, time(NULL), &cut);
	calendar_free(&cal);
	if (rc != CAL_OK) {
		http_internal_error(r, "warnings: the calendar cannot place the cut-offs");
		return;
	}
	s.path = path;
	warnings_audience_of_roles(me.roles, &s.audience);
	if ((rc = warnings_count(r->db, &s, &cut, th.unused_days, n)) != 0) {
		api_db_error(r, rc);
		return;
	}
	kind = p.v[W_KIND].present ? (int)p.v[W_KIND].i : -1;
	page = p.v[W_PAGE].present ? p.v[W_PAGE].i : 1;
	per_page = p.v[W_PER_PAGE].present ? p.v[W_PER_PAGE].i : 20;
	offset = (page - 1) * per_page;
	room = per_page;
	total = kind >= 0 ? n[kind] : warnings_total(n);
	c.items = json_object_new_array();
	c.unused_days = th.unused_days;
	/* one kind after another in the display order, the page cut across them */
	for (int i = 0; i < WARN__MAX && room > 0 && rc == 0; i++) {
		enum warning_kind k = warning_kind_order[i];
		long long take;
		if (kind >= 0 && (int)k != kind)
			continue;
		if (offset >= n[k]) {
			offset -= n[k];
			continue;
		}
		take = n[k] - offset < room ? n[k] - offset : room;
		rc = warnings_list(r->db, k, &s, &cut, th.unused_days, take, offset, on_item, &c);
		room -= take;
		offset = 0;
	}
	if (rc != 0) {
		json_object_put(c.items);
		api_db_error(r, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "unit", api_code_name(code, name));
	time_format_iso(cut.now, iso, sizeof iso);
	json_put_str(o, "as_of", iso);
	json_put_str(o, "kind", kind >= 0 ? warning_kind_code((enum warning_kind)kind) : NULL);
	counts = json_object_new_object();
	for (int k = 0; k < WARN__MAX; k++)
		json_put_int(counts, warning_kind_code((enum warning_kind)k), n[k]);
	json_object_object_add(o, "counts", counts);
	thr = json_object_new_object();
	json_put_int(thr, "stuck_working_days", th.stuck_working_days);
	json_put_int(thr, "unreturned_working_days", th.unreturned_working_days);
	json_put_int(thr, "supplement_working_days", th.supplement_working_days);
	json_put_int(thr, "unused_days", th.unused_days);
	json_object_object_add(o, "thresholds", thr);
	json_put_int(o, "total", total);
	json_put_int(o, "page", page);
	json_put_int(o, "per_page", per_page);
	json_object_object_add(o, "items", c.items);
	http_json(r, 200, o);
}

/* ---------------------------------------------------------------- digests */

void api_warnings_digest_run(struct http_req *r)
{
	struct officer me;
	struct warning_digest_run run;
	struct json_object *o;
	char day[16];
	int y, m, d, rc;

	if (api_officer(r, ROLE_BIT(ROLE_ADMIN), &me) != 0)
		return;
	if ((rc = warnings_digest_run(r->db, r->cfg, time(NULL), &run)) != 0) {
		api_db_error(r, rc);
		return;
	}
	civil_from_days(run.day, &y, &m, &d);
	snprintf(day, sizeof day, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	o = json_object_new_object();
	json_put_str(o, "day", day);
	json_put_int(o, "officers", run.officers);
	json_put_int(o, "sent", run.sent);
	json_put_int(o, "nothing_to_report", run.nothing);
	json_put_int(o, "already_sent", run.already);
	json_put_int(o, "failed", run.failed);
	http_json(r, 200, o);
}

static void answer_subscription(struct http_req *r, long long officer_id)
{
	struct json_object *o;
	int subscribed = 0, rc;

	if ((rc = warnings_digest_subscribed(r->db, officer_id, &subscribed)) != 0) {
		api_db_error(r, rc);
		return;
	}
	o = json_object_new_object();
	json_put_bool(o, "subscribed", subscribed);
	json_put_int(o, "hour", r->cfg->digest_hour);
	http_json(r, 200, o);
}

void api_warnings_digest(struct http_req *r)
{
	struct officer me;
	struct params p;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	answer_subscription(r, me.id);
}

enum { S_SUBSCRIBED, S__MAX };

static const struct jin_spec subscription_spec[S__MAX] = {
	[S_SUBSCRIBED] = { "subscribed", JIN_BOOL, 1, 0, 0, 0, 0, NULL, NULL },
};

void api_warnings_digest_put(struct http_req *r)
{
	struct officer me;
	struct jin in;
	int rc;

	memset(&in, 0, sizeof in);
	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 ||
	    json_body_parse(r, 1024, subscription_spec, S__MAX, &in) != 0)
		goto out;
	if ((rc = warnings_digest_subscribe(r->db, me.id, in.v[S_SUBSCRIBED].i != 0, time(NULL))) != 0) {
		api_db_error(r, rc);
		goto out;
	}
	answer_subscription(r, me.id);
out:
	jin_free(&in);
}
