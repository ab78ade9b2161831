/*
 * GET /api/v1/tracking/{code}[?pin=SECRET]: the public tracking page's data.
 *
 * Without the receipt's secret, only what a passer-by may see: status, procedure, unit,
 * dates, the timeline (unit and date only) and the applicant's name masked. With the
 * right secret, the applicant's details and documents too. A wrong secret and an unknown
 * code get the same 404, so the secret cannot be used to probe which codes exist with a
 * different answer than the code alone gives.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/db.h"
#include "core/http.h"
#include "core/params.h"
#include "domain/action.h"
#include "domain/deadline.h"
#include "domain/dossier_code.h"
#include "domain/dossier_state.h"
#include "domain/mask.h"
#include "domain/workflow.h"
#include "store/dossier_store.h"
#include "store/payment_store.h"
#include "store/tracking_store.h"
#include "api.h"

enum { T_PIN, T__MAX };

static const struct param_spec tracking_params[T__MAX] = {
	[T_PIN] = { "pin", PT_TOKEN, 0, 64, 0, 0, NULL, NULL },
};

#define PIN_MIN_LEN 8

struct tracking {
	struct http_req *r;
	const char *pin;
	size_t pin_len;
	int pin_ok;
	long long id;
	struct json_object *root;
};

int api_pin_matches(const unsigned char salt[16], const unsigned char hash[32],
                       const char *pin, size_t len)
{
	unsigned char got[32];
	unsigned int n = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = 0;

	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	    EVP_DigestUpdate(ctx, salt, 16) && EVP_DigestUpdate(ctx, pin, len) &&
	    EVP_DigestFinal_ex(ctx, got, &n) && n == 32)
		ok = CRYPTO_memcmp(got, hash, 32) == 0;
	EVP_MD_CTX_free(ctx);
	return ok;
}

static int on_dossier(const struct tracked_dossier *d, void *arg)
{
	struct tracking *t = arg;
	struct json_object *o;
	int state = dossier_state_from_code(d->state, strlen(d->state));
	int channel = channel_from_code(d->channel, strlen(d->channel));
	enum deadline_status ds;
	mc_time finished;
	char masked[512];

	if (state < 0 || channel < 0)
		return -1;
	if (t->pin && !api_pin_matches(d->pin_salt, d->pin_hash, t->pin, t->pin_len))
		return 0;                   /* treated as unknown by the caller */
	t->pin_ok = t->pin != NULL;
	t->id = d->id;
	o = t->root = json_object_new_object();
	json_put_str(o, "code", d->code);
	json_object_object_add(o, "status", api_labelled(d->state, dossier_state_label_vi(state),
	                                             dossier_state_label_en(state)));
	json_object_object_add(o, "procedure", api_code_name(d->procedure_code, d->procedure_name));
	json_object_object_add(o, "unit", api_code_name(d->unit_code, d->unit_name));
	json_object_object_add(o, "channel", api_labelled(d->channel, channel_label_vi(channel),
	                                              channel_label_en(channel)));
	api_put_time(o, "submitted_at", d->submitted_at);
	api_put_time(o, "received_at", d->received_at);
	api_put_time(o, "due_at", d->due_at);
	api_put_time(o, "promised_at", d->promised_at);
	api_put_time(o, "finished_at", d->finished_at);
	api_put_time(o, "returned_at", d->returned_at);
	/* Judged against the statutory due time, as the statistics do: an apology's new date
	 * is shown beside it but does not make a late dossier on time. */
	finished = time_from_db(d->finished_at);
	ds = d->received_at ? deadline_classify(time_from_db(d->due_at), finished, time(NULL)) : DEADLINE_NONE;
	if (state == STATE_NOT_ACCEPTED || state == STATE_SUBMITTED)
		ds = DEADLINE_NONE;
	json_object_object_add(o, "deadline", api_labelled(deadline_status_code(ds),
	                       deadline_status_label_vi(ds), deadline_status_label_en(ds)));
	mask_person_name(d->applicant_name, strlen(d->applicant_name), masked, sizeof masked);
	json_put_str(o, "applicant_masked", masked);
	json_object_object_add(o, "steps", json_object_new_array());
	if (t->pin_ok) {
		struct json_object *priv = json_object_new_object(), *a = json_object_new_object();
		json_put_str(a, "name", d->applicant_name);
		json_put_str(a, "phone", d->applicant_phone);
		json_put_str(a, "email", d->applicant_email);
		json_put_str(a, "address", d->applicant_address);
		json_object_object_add(priv, "applicant", a);
		json_object_object_add(priv, "documents", json_object_new_array());
		json_put_bool(priv, "result_ready", d->result_ready);
		json_object_object_add(o, "private", priv);
	}
	return 0;
}

static int on_event(const struct tracked_event *e, void *arg)
{
	struct tracking *t = arg;
	struct json_object *steps, *o;
	int a = action_from_code(e->action);

	if (t->root == NULL)            /* wrong secret: nothing is being built */
		return 0;
	/* internal hand-overs (who was assigned) are not the public's business */
	if (a >= 0 && !workflow_action_is_public((enum dossier_action)a))
		return 0;
	o = json_object_new_object();
	json_object_object_get_ex(t->root, "steps", &steps);
	api_put_time(o, "at", e->at);
	json_put_str(o, "action", e->action);
	json_put_str(o, "label_vi", action_label_vi(e->action));
	json_put_str(o, "label_en", action_label_en(e->action));
	json_object_object_add(o, "unit", api_code_name(e->unit_code, e->unit_name));
	json_object_array_add(steps, o);
	return 0;
}

static int on_document(const struct dossier_document *doc, void *arg)
{
	struct tracking *t = arg;
	struct json_object *priv, *docs;

	json_object_object_get_ex(t->root, "private", &priv);
	json_object_object_get_ex(priv, "documents", &docs);
	json_object_array_add(docs, api_document_json(doc));
	return 0;
}

/* What the applicant is asked for now: the supplement request (all items at once, as the
 * desk sent it), and whether the service has been rated already. */
static int on_requests(const struct tracked_requests *q, void *arg)
{
	struct tracking *t = arg;
	struct json_object *priv;

	json_object_object_get_ex(t->root, "private", &priv);
	json_put_bool(priv, "rated", q->rated);
	if (q->supplement_items) {
		struct json_object *s = json_object_new_object();
		struct json_object *items = json_tokener_parse(q->supplement_items);
		json_object_object_add(s, "items", json_object_is_type(items, json_type_array)
		                                   ? items : (json_object_put(items), json_object_new_array()));
		json_put_str(s, "note", q->supplement_note);
		api_put_time(s, "requested_at", q->supplement_at);
		json_object_object_add(priv, "supplement_request", s);
	} else {
		json_object_object_add(priv, "supplement_request", NULL);
	}
	return 0;
}

/* awaiting_payment: the amount to pay (the officer's, or the procedure's fees) */
static int put_amount_due(struct http_req *r, struct tracking *t)
{
	struct json_object *priv, *status, *code;
	long long amount = 0;
	int rc;

	json_object_object_get_ex(t->root, "private", &priv);
	json_object_object_get_ex(t->root, "status", &status);
	json_object_object_get_ex(status, "code", &code);
	if (strcmp(json_object_get_string(code), "awaiting_payment") != 0) {
		json_object_object_add(priv, "amount_due_vnd", NULL);
		return 0;
	}
	if ((rc = payment_amount_due(r->db, t->id, &amount)) != 0)
		return rc;
	json_put_int(priv, "amount_due_vnd", amount);
	return 0;
}

static void not_found(struct http_req *r)
{
	http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
	             "No dossier matches that code and secret.", "code");
}

void api_tracking(struct http_req *r)
{
	struct params p;
	struct dossier_code dc;
	enum dossier_code_err e;
	struct tracking t;
	int rc;

	if (params_parse(r, tracking_params, T__MAX, &p) != 0)
		return;
	/* people copy codes by hand: "000.00.20.h12-..." is the same dossier */
	api_code_upper(r);
	if ((e = dossier_code_parse(r->args[0], r->arg_len[0], &dc)) != DOSSIER_CODE_OK) {
		char detail[160];
		snprintf(detail, sizeof detail, "Not a dossier code: %s.", dossier_code_strerror(e));
		http_problem(r, 400, "invalid_parameter", "Mã hồ sơ không đúng định dạng", detail, "code");
		return;
	}
	if (p.v[T_PIN].present && p.v[T_PIN].len < PIN_MIN_LEN) {
		params_reject(r, "pin", "at least 8 characters");
		return;
	}
	memset(&t, 0, sizeof t);
	t.r = r;
	if (p.v[T_PIN].present) {
		t.pin = p.v[T_PIN].s;
		t.pin_len = p.v[T_PIN].len;
	}
	rc = tracking_dossier(r->db, r->args[0], on_dossier, on_event, &t);
	if (rc < 0) {
		json_object_put(t.root);
		api_db_error(r, rc);
		return;
	}
	if (rc == 1 || t.root == NULL) {
		not_found(r);
		return;
	}
	if (t.pin_ok && ((rc = dossier_documents(r->db, t.id, on_document, &t)) != 0 ||
	                 (rc = tracking_requests(r->db, t.id, on_requests, &t)) != 0 ||
	                 (rc = put_amount_due(r, &t)) != 0)) {
		json_object_put(t.root);
		api_db_error(r, rc);
		return;
	}
	http_json(r, 200, t.root);
}

/*
 * GET /api/v1/tracking/{code}/explanation: how the dossier's due date was computed, day by
 * day (the public calculator's explanation, from reception, with the closed pauses taken
 * off). Dates only: nothing here is personal, so no secret is asked.
 */
void api_tracking_explanation(struct http_req *r)
{
	struct params p;
	struct dossier_code dc;
	struct dossier_row d;
	struct procedure_info pi;
	struct dossier_pause stored[64];
	struct cal_pause pauses[64];
	size_t n = 0, np = 0;
	int rc;

	if (params_parse(r, NULL, 0, &p) != 0)
		return;
	api_code_upper(r);
	if (dossier_code_parse(r->args[0], r->arg_len[0], &dc) != DOSSIER_CODE_OK) {
		http_problem(r, 400, "invalid_parameter", "Mã hồ sơ không đúng định dạng",
		             "Not a dossier code.", "code");
		return;
	}
	/* the empty scope: any unit (this is the public view of a code) */
	if ((rc = dossier_find(r->db, r->args[0], "", &d)) != 0) {
		if (rc == 1)
			not_found(r);
		else
			api_db_error(r, rc);
		return;
	}
	if (d.received_at == 0) {
		http_problem(r, 409, "not_received", "Hồ sơ chưa được tiếp nhận nên chưa có hạn giải quyết",
		             "The dossier has not been received yet: its clock has not started.", "code");
		return;
	}
	if ((rc = procedure_info_load_id(r->db, d.procedure_id, &pi)) != 0 ||
	    (rc = dossier_pauses(r->db, d.id, stored, 64, &n)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	/* a pause still running has not moved the due date yet */
	for (size_t i = 0; i < n; i++)
		if (stored[i].to > stored[i].from && stored[i].from >= d.received_at) {
			pauses[np].from = stored[i].from;
			pauses[np].to = stored[i].to;
			np++;
		}
	api_explain_due(r, d.received_at, pi.amount, pi.unit, pauses, np);
}
