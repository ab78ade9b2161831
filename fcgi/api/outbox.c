/*
 * The outbox as administrators see it (messages to applicants: store/outbox_store.h):
 *   GET  /api/v1/outbox?status=pending|failed|sent&page=&per_page=   (admin)
 *   POST /api/v1/outbox/{id}/retry                                   (admin)
 *   POST /api/v1/outbox/purge                                        (admin)
 * A failed message (given up after its last attempt, or refused for good by the mail
 * server) stays until an admin retries it; a retry makes it due now with a fresh count.
 * A message sent more than MOTCUA_OUTBOX_KEEP_DAYS days ago is purged (its body and
 * subject blanked, its recipient masked: store/outbox_store.h) by motcua-worker every
 * hour; the purge endpoint runs the same purge at once and is listed "purged": true.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/http.h"
#include "core/params.h"
#include "domain/timeutil.h"
#include "domain/workflow.h"
#include "store/officer_store.h"
#include "store/outbox_store.h"
#include "api.h"

static const char *const statuses[] = { "pending", "failed", "sent", NULL };

enum { O_STATUS, O_PAGE, O_PER_PAGE, O__MAX };

static const struct param_spec list_params[O__MAX] = {
	[O_STATUS]   = { "status", PT_ENUM, 0, 0, 0, 0, statuses, NULL },
	[O_PAGE]     = { "page", PT_INT, 0, 0, 1, 100000, NULL, NULL },
	[O_PER_PAGE] = { "per_page", PT_INT, 0, 0, 1, 200, NULL, NULL },
};

static int on_row(const struct outbox_row *o, void *arg)
{
	struct json_object *m = json_object_new_object();

	json_put_int(m, "id", o->id);
	json_put_str(m, "dossier_code", o->dossier_code);
	json_put_str(m, "kind", o->kind);
	json_put_str(m, "channel", o->channel);
	json_put_str(m, "recipient", o->recipient);
	json_put_str(m, "subject", o->subject);
	json_put_int(m, "attempts", o->attempts);
	api_put_time(m, "created_at", o->created_at);
	api_put_time(m, "next_attempt_at", o->sent_at || o->failed_at ? NULL : o->next_attempt_at);
	api_put_time(m, "sent_at", o->sent_at);
	api_put_time(m, "failed_at", o->failed_at);
	json_put_str(m, "last_error", o->last_error && *o->last_error ? o->last_error : NULL);
	json_put_bool(m, "purged", o->purged);
	json_object_array_add(arg, m);
	return 0;
}

void api_outbox(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct json_object *items, *o;
	const char *status;
	long long page, per_page, total = 0;
	int rc;

	if (api_officer(r, ROLE_BIT(ROLE_ADMIN), &me) != 0 || params_parse(r, list_params, O__MAX, &p) != 0)
		return;
	status = p.v[O_STATUS].present ? p.v[O_STATUS].s : "failed";
	page = p.v[O_PAGE].present ? p.v[O_PAGE].i : 1;
	per_page = p.v[O_PER_PAGE].present ? p.v[O_PER_PAGE].i : 50;
	items = json_object_new_array();
	if ((rc = outbox_list(r->db, status, per_page, (page - 1) * per_page, on_row, items, &total)) != 0) {
		json_object_put(items);
		api_db_error(r, rc);
		return;
	}
	o = json_object_new_object();
	json_put_str(o, "status", status);
	json_object_object_add(o, "items", items);
	json_put_int(o, "page", page);
	json_put_int(o, "per_page", per_page);
	json_put_int(o, "total", total);
	http_json(r, 200, o);
}

void api_outbox_retry(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct json_object *o;
	char *end;
	long long id;
	int rc;

	if (api_officer(r, ROLE_BIT(ROLE_ADMIN), &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	id = strtoll(r->args[0], &end, 10);
	if (end == r->args[0] || *end || id < 1 || r->args[0][0] == '+' || r->args[0][0] == ' ') {
		params_reject(r, "id", "must be a positive integer");
		return;
	}
	if ((rc = outbox_retry(r->db, id, time(NULL))) < 0) {
		api_db_error(r, rc);
		return;
	}
	if (rc == 1) {
		http_problem(r, 404, "message_not_found", "Không tìm thấy thông báo",
		             "No message with that id in the outbox.", "id");
		return;
	}
	if (rc == 2) {
		http_problem(r, 409, "message_sent", "Thông báo đã được gửi",
		             "That message has been sent already; it is not sent again.", "id");
		return;
	}
	o = json_object_new_object();
	json_put_int(o, "id", id);
	json_put_str(o, "status", "pending");
	http_json(r, 200, o);
}

void api_outbox_purge(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct json_object *o;
	unsigned long purged = 0;
	char at[32];
	mc_time before = time(NULL) - (mc_time)r->cfg->outbox_keep_days * 86400;
	int rc;

	if (api_officer(r, ROLE_BIT(ROLE_ADMIN), &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	if ((rc = outbox_purge(r->db, before, NULL, &purged)) != 0) {
		api_db_error(r, rc);
		return;
	}
	log_info("outbox: %s purged %lu messages sent before %lld", me.username, purged, (long long)before);
	o = json_object_new_object();
	json_put_int(o, "purged", (long long)purged);
	json_put_int(o, "keep_days", r->cfg->outbox_keep_days);
	time_format_iso(before, at, sizeof at);
	json_put_str(o, "sent_before", at);
	http_json(r, 200, o);
}
