/*
 * The officers' dossier workflow:
 *   POST /api/v1/dossiers                          reception at the desk or by post
 *   GET  /api/v1/dossiers                          the inbox, most urgent first
 *   GET  /api/v1/dossiers/{code}                   the dossier page
 *   POST /api/v1/dossiers/{code}/actions/{action}  one step of the workflow (If-Match)
 *   GET  /api/v1/dossiers/{code}/history           the history with its chain check
 *
 * Every change runs in one transaction with the dossier row locked, and appends its event
 * to the hash-chained history in that same transaction. An officer sees only dossiers
 * received by, or now held by, a unit of their own subtree; any other is a 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/log.h"
#include "core/params.h"
#include "domain/action.h"
#include "domain/calendar.h"
#include "domain/deadline.h"
#include "domain/dossier_code.h"
#include "domain/dossier_state.h"
#include "domain/workflow.h"
#include "store/calendar_store.h"
#include "store/dossier_store.h"
#include "store/history_store.h"
#include "store/notify_store.h"
#include "store/officer_store.h"
#include "store/payment_store.h"
#include "api.h"

#define TX_RETRIES 3
#define PIN_LEN API_PIN_LEN

/* The working time a whole procedure allows, in seconds of working time; calendar days
 * count as working days for sharing the time among the steps. */
static int64_t procedure_working_seconds(const struct procedure_info *pi)
{
	int64_t per = pi->unit == CAL_HOURS ? 3600 : CAL_WORKING_DAY_SECONDS;

	return pi->amount * per / 100;
}

/* The due time of step `index` (0-based) when it starts at `start`. */
static mc_time step_due_at(const struct calendar *cal, const struct procedure_info *pi,
                           int index, mc_time start)
{
	mc_time s, due;
	int64_t share;

	if (index < 0 || index >= pi->nsteps)
		return 0;
	share = procedure_working_seconds(pi) * pi->steps[index].share_permille / 1000;
	if (calendar_next_working_instant(cal, start, &s) != CAL_OK ||
	    calendar_add_working_seconds(cal, s, share, &due) != CAL_OK)
		return 0;
	return due;
}

static int load_calendar(struct http_req *r, struct calendar *cal)
{
	int rc;

	calendar_init(cal);
	if ((rc = calendar_load(r->db, cal)) != 0) {
		calendar_free(cal);
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- the dossier page */

struct detail_ctx {
	struct http_req *r;
	const struct officer *me;
	struct json_object *root;
	long long id, procedure_id;
	char code[64];              /* as stored: the URL may spell it in another case */
	unsigned version;
	int current_step;
	enum dossier_state state;
	char result_channel[8];
	char paused_from[24];
	int transferred;            /* held by a unit other than the receiving one */
};

static int on_detail(const struct dossier_detail *d, void *arg)
{
	struct detail_ctx *c = arg;
	struct json_object *o = c->root = json_object_new_object(), *a;
	int st = dossier_state_from_code(d->state, strlen(d->state));
	int ch = channel_from_code(d->channel, strlen(d->channel));
	int rch = channel_from_code(d->result_channel, strlen(d->result_channel));
	enum deadline_status ds;

	if (st < 0 || ch < 0 || rch < 0)
		return -1;
	c->id = d->id;
	c->procedure_id = d->procedure_id;
	snprintf(c->code, sizeof c->code, "%s", d->code);
	c->version = d->version;
	c->current_step = d->current_step;
	c->state = (enum dossier_state)st;
	c->transferred = strcmp(d->unit_code, d->current_unit_code) != 0;
	snprintf(c->result_channel, sizeof c->result_channel, "%s", d->result_channel);
	json_put_str(o, "code", d->code);
	json_put_int(o, "version", d->version);
	json_object_object_add(o, "state", api_labelled(d->state, dossier_state_label_vi(st),
	                                               dossier_state_label_en(st)));
	json_object_object_add(o, "channel", api_labelled(d->channel, channel_label_vi(ch),
	                                                 channel_label_en(ch)));
	json_object_object_add(o, "result_channel", api_labelled(d->result_channel,
	                       channel_label_vi(rch), channel_label_en(rch)));
	json_object_object_add(o, "procedure", api_code_name(d->procedure_code, d->procedure_name));
	json_object_object_add(o, "unit", api_code_name(d->unit_code, d->unit_name));
	json_object_object_add(o, "current_unit", api_code_name(d->current_unit_code, d->current_unit_name));
	a = json_object_new_object();
	json_put_str(a, "name", d->applicant_name);
	json_put_str(a, "kind", d->applicant_kind);
	json_put_str(a, "id_number", d->applicant_id_number);
	json_put_str(a, "phone", d->applicant_phone);
	json_put_str(a, "email", d->applicant_email);
	json_put_str(a, "address", d->applicant_address);
	json_object_object_add(o, "applicant", a);
	api_put_time(o, "submitted_at", d->submitted_at);
	api_put_time(o, "received_at", d->received_at);
	api_put_time(o, "due_at", d->due_at);
	api_put_time(o, "promised_at", d->promised_at);
	api_put_time(o, "finished_at", d->finished_at);
	api_put_time(o, "returned_at", d->returned_at);
	ds = d->received_at && st != STATE_NOT_ACCEPTED
	     ? deadline_classify(time_from_db(d->due_at), time_from_db(d->finished_at), time(NULL)) : DEADLINE_NONE;
	json_object_object_add(o, "deadline", api_labelled(deadline_status_code(ds),
	                       deadline_status_label_vi(ds), deadline_status_label_en(ds)));
	json_put_str(o, "assignee", d->assignee);
	json_put_str(o, "waybill_in", d->waybill_in);
	json_put_str(o, "waybill_out", d->waybill_out);
	json_put_str(o, "refusal_reason", d->refusal_reason);
	json_put_bool(o, "result_ready", d->result_ready);
	json_object_object_add(o, "current_step", NULL);
	/* the step's due time, until dossier_json() puts it in current_step */
	if (d->step_due_at)
		json_put_str(o, "_step_due", d->step_due_at);
	return 0;
}

static int on_document(const struct dossier_document *doc, void *arg)
{
	json_object_array_add(arg, api_document_json(doc));
	return 0;
}

static int on_apology(const struct apology_row *a, void *arg)
{
	struct json_object *o = json_object_new_object();

	api_put_time(o, "proposed_date", a->proposed_date);
	json_put_str(o, "reason", a->reason);
	json_put_str(o, "drafted_by", a->drafted_by);     /* null: drafted by the system */
	api_put_time(o, "drafted_at", a->drafted_at);
	json_put_str(o, "approved_by", a->approved_by);
	api_put_time(o, "approved_at", a->approved_at);
	json_object_object_add(arg, "apology", o);
	return 0;
}

static int on_history(const struct history_row *h, void *arg)
{
	struct json_object *o = json_object_new_object();

	json_put_int(o, "seq", h->seq);
	api_put_time(o, "at", h->at);
	json_put_str(o, "action", h->action);
	json_put_str(o, "label_vi", action_label_vi(h->action));
	json_put_str(o, "label_en", action_label_en(h->action));
	json_put_str(o, "from_state", h->from_state);
	json_put_str(o, "to_state", h->to_state);
	json_object_object_add(o, "unit", api_code_name(h->unit_code, h->unit_name));
	if (h->step_seq >= 0)
		json_put_int(o, "step_seq", h->step_seq);
	json_put_str(o, "step_name", h->step_name);
	json_put_str(o, "actor", h->actor);
	json_put_str(o, "note", h->note);
	api_put_time(o, "due_at", h->due_at);
	json_put_bool(o, "chain_ok", h->chain_ok);
	json_object_array_add(arg, o);
	return 0;
}

/*
 * Every change adds one event and one version, so a history shorter than the version
 * has lost its tail, which the chain alone cannot show (nothing follows the last link).
 */
static int history_complete(struct json_object *items, unsigned version)
{
	return json_object_array_length(items) == version;
}

/*
 * The whole dossier page as JSON, for a dossier in `scope` (a unit path; "" for any).
 * NULL after answering (404, error), or, with quiet_404, NULL without answering when the
 * dossier is not in scope.
 */
static struct json_object *dossier_json_in(struct http_req *r, const struct officer *me,
                                           const char *code, const char *scope, int quiet_404)
{
	struct detail_ctx c = { .r = r, .me = me };
	struct procedure_info pi;
	struct json_object *docs, *history, *process, *allowed, *step_due;
	struct wf_context wc;
	unsigned long long mask;
	int rc, intact = 0, role;

	rc = dossier_detail(r->db, code, scope, on_detail, &c);
	if (rc != 0) {
		json_object_put(c.root);
		if (rc == 1 && quiet_404)
			return NULL;
		if (rc == 1)
			http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
			             "No dossier with that code in your units.", "code");
		else
			api_db_error(r, rc);
		return NULL;
	}
	docs = json_object_new_array();
	history = json_object_new_array();
	json_object_object_add(c.root, "documents", docs);
	json_object_object_add(c.root, "history", history);
	if ((rc = dossier_documents(r->db, c.id, on_document, docs)) != 0 ||
	    (rc = history_read(r->db, c.id, c.code, on_history, history, &intact)) != 0 ||
	    (rc = procedure_info_load_id(r->db, c.procedure_id, &pi)) < 0) {
		json_object_put(c.root);
		api_db_error(r, rc);
		return NULL;
	}
	json_put_bool(c.root, "history_intact", intact && history_complete(history, c.version));
	json_object_object_add(c.root, "apology", NULL);
	if ((rc = apology_latest(r->db, c.id, on_apology, c.root)) < 0) {
		json_object_put(c.root);
		api_db_error(r, rc);
		return NULL;
	}
	/* a finished dossier sits at no step any more */
	if (c.state == STATE_RESOLVED || dossier_state_is_terminal(c.state))
		c.current_step = 0;
	process = json_object_new_array();
	for (int i = 0; i < pi.nsteps; i++) {
		struct json_object *s = json_object_new_object();
		json_put_int(s, "seq", i + 1);
		json_put_str(s, "name", pi.steps[i].name);
		json_put_str(s, "role", pi.steps[i].role);
		json_put_str(s, "unit_level", pi.steps[i].unit_level);
		json_put_int(s, "share_permille", pi.steps[i].share_permille);
		json_put_bool(s, "current", c.current_step == i + 1);
		json_object_array_add(process, s);
	}
	json_object_object_add(c.root, "process", process);
	if (c.current_step >= 1 && c.current_step <= pi.nsteps) {
		struct json_object *cs = json_object_new_object();
		json_put_int(cs, "seq", c.current_step);
		json_put_str(cs, "name", pi.steps[c.current_step - 1].name);
		json_put_str(cs, "role", pi.steps[c.current_step - 1].role);
		if (json_object_object_get_ex(c.root, "_step_due", &step_due))
			api_put_time(cs, "due_at", json_object_get_string(step_due));
		else
			json_object_object_add(cs, "due_at", NULL);
		json_object_object_add(c.root, "current_step", cs);
	}
	json_object_object_del(c.root, "_step_due");

	wc.state = c.state;
	wc.paused_from = STATE_PROCESSING;
	wc.step_index = c.current_step > 0 ? c.current_step - 1 : 0;
	wc.step_count = pi.nsteps;
	role = c.current_step >= 1 && c.current_step <= pi.nsteps
	       ? role_from_code(pi.steps[c.current_step - 1].role, strlen(pi.steps[c.current_step - 1].role)) : -1;
	wc.step_role = role;
	mask = workflow_allowed(me->roles, &wc);
	/* taking a dossier back from another agency needs it to be at another agency */
	if (!c.transferred)
		mask &= ~(1ULL << ACT_TRANSFER_BACK);
	allowed = json_object_new_array();
	for (int a = 0; a < ACT__MAX; a++)
		if (mask & (1ULL << a))
			json_object_array_add(allowed, json_object_new_string(action_code((enum dossier_action)a)));
	json_object_object_add(c.root, "allowed_actions", allowed);
	return c.root;
}

static struct json_object *dossier_json(struct http_req *r, const struct officer *me, const char *code)
{
	return dossier_json_in(r, me, code, me->unit_path, 0);
}

void api_dossier(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct json_object *o;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	if ((o = dossier_json(r, &me, r->args[0])) != NULL)
		http_json(r, 200, o);
}

void api_dossier_history(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct dossier_row d;
	struct json_object *items, *o;
	int rc, intact = 0;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	if ((rc = dossier_find(r->db, r->args[0], me.unit_path, &d)) != 0) {
		if (rc == 1)
			http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
			             "No dossier with that code in your units.", "code");
		else
			api_db_error(r, rc);
		return;
	}
	items = json_object_new_array();
	if ((rc = history_read(r->db, d.id, d.code, on_history, items, &intact)) != 0) {
		json_object_put(items);
		api_db_error(r, rc);
		return;
	}
	o = json_object_new_object();
	json_put_str(o, "code", d.code);
	json_put_bool(o, "intact", intact && history_complete(items, d.version));
	json_object_object_add(o, "items", items);
	http_json(r, 200, o);
}

/* ---------------------------------------------------------------- reception */

enum {
	R_PROCEDURE, R_CASE, R_CHANNEL, R_RESULT_CHANNEL, R_WAYBILL, R_NAME, R_KIND, R_ID_NUMBER,
	R_PHONE, R_EMAIL, R_ADDRESS, R_DOCUMENTS, R__MAX
};

static const char *const reception_channels[] = { "direct", "postal", NULL };
static const char *const result_channels[] = { "direct", "online", "postal", NULL };
static const char *const applicant_kinds[] = { "citizen", "organization", NULL };

static const char *check_token(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z') || s[i] == '.' || s[i] == '-' || s[i] == '_'))
			return "only letters, digits, '.', '-' and '_'";
	return NULL;
}

static const struct jin_spec reception_spec[R__MAX] = {
	[R_PROCEDURE]      = { "procedure", JIN_TEXT, 1, 1, 32, 0, 0, NULL, check_token },
	[R_CASE]           = { "case_name", JIN_TEXT, 0, 0, 1000, 0, 0, NULL, NULL },
	[R_CHANNEL]        = { "channel", JIN_ENUM, 1, 0, 0, 0, 0, reception_channels, NULL },
	[R_RESULT_CHANNEL] = { "result_channel", JIN_ENUM, 1, 0, 0, 0, 0, result_channels, NULL },
	[R_WAYBILL]        = { "waybill", JIN_TEXT, 0, 0, 64, 0, 0, NULL, check_token },
	[R_NAME]           = { "applicant_name", JIN_TEXT, 1, 2, 255, 0, 0, NULL, NULL },
	[R_KIND]           = { "applicant_kind", JIN_ENUM, 0, 0, 0, 0, 0, applicant_kinds, NULL },
	[R_ID_NUMBER]      = { "applicant_id_number", JIN_TEXT, 0, 0, 32, 0, 0, NULL, check_token },
	[R_PHONE]          = { "applicant_phone", JIN_TEXT, 0, 0, 32, 0, 0, NULL, NULL },
	[R_EMAIL]          = { "applicant_email", JIN_TEXT, 0, 0, 255, 0, 0, NULL, NULL },
	[R_ADDRESS]        = { "applicant_address", JIN_TEXT, 0, 0, 500, 0, 0, NULL, NULL },
	[R_DOCUMENTS]      = { "documents", JIN_INT_ARRAY, 0, 0, 10000, 0, 200, NULL, NULL },
};

#define STR(k) (in.v[k].present ? in.v[k].s : "")

struct doc_pick {
	const char *case_name;
	struct json_object *given;     /* seqs ticked */
	struct json_object *missing;   /* names of required documents not ticked */
	int nmatched;
	struct { int seq, originals, copies; char name[2001]; } docs[200];
	int ndocs;
};

static int given_has(struct json_object *a, int seq)
{
	for (size_t i = 0; a && i < json_object_array_length(a); i++)
		if (json_object_get_int(json_object_array_get_idx(a, i)) == seq)
			return 1;
	return 0;
}

static int pick_document(const struct procedure_document *d, void *arg)
{
	struct doc_pick *p = arg;
	int for_case = d->case_name[0] == '\0' || strcmp(d->case_name, p->case_name) == 0;
	int ticked = given_has(p->given, d->seq);

	if (ticked && p->ndocs < 200) {
		p->docs[p->ndocs].seq = d->seq;
		p->docs[p->ndocs].originals = d->originals;
		p->docs[p->ndocs].copies = d->copies;
		snprintf(p->docs[p->ndocs].name, sizeof p->docs[0].name, "%s", d->name);
		p->ndocs++;
	}
	if (ticked)
		p->nmatched++;
	if (for_case && d->required && !ticked)
		json_object_array_add(p->missing, json_object_new_string(d->name));
	return 0;
}

/* A receipt secret from an alphabet without look-alikes (0/O, 1/I/l). */
int api_make_pin(char out[PIN_LEN + 1])
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
	unsigned char rnd[PIN_LEN];

	if (crypto_random(rnd, sizeof rnd) != 0)
		return -1;
	for (int i = 0; i < PIN_LEN; i++)
		out[i] = alphabet[rnd[i] % (sizeof alphabet - 1)];
	out[PIN_LEN] = '\0';
	return 0;
}

int api_new_secret(char pin[API_PIN_LEN + 1], unsigned char salt[16], unsigned char hash[32])
{
	unsigned char buf[16 + API_PIN_LEN];

	if (api_make_pin(pin) != 0 || crypto_random(salt, 16) != 0)
		return -1;
	memcpy(buf, salt, 16);
	memcpy(buf + 16, pin, API_PIN_LEN);
	crypto_sha256(buf, sizeof buf, hash);
	return 0;
}

void api_dossier_receive(struct http_req *r)
{
	struct officer me;
	struct jin in;
	struct procedure_info pi;
	struct calendar cal;
	struct doc_pick *pick = NULL;
	struct civil lc;
	char code[64], pin[PIN_LEN + 1];
	unsigned char salt[16], pin_hash[32];
	mc_time now = time(NULL), due = 0, sdue;
	int rc, attempt, have_cal = 0;

	memset(&in, 0, sizeof in);
	if (api_officer(r, ROLE_BIT(ROLE_DESK), &me) != 0)
		return;
	if (json_body_parse(r, 64 * 1024, reception_spec, R__MAX, &in) != 0)
		goto out;
	if (in.v[R_CHANNEL].i == 1 && !in.v[R_WAYBILL].present) {
		http_problem(r, 422, "missing_field", "Hồ sơ qua bưu chính cần số vận đơn",
		             "A postal dossier needs the waybill number.", "waybill");
		goto out;
	}
	if ((rc = procedure_info_load(r->db, in.v[R_PROCEDURE].s, &pi)) != 0) {
		if (rc == 1)
			http_problem(r, 422, "unknown_procedure", "Không có thủ tục này",
			             "No published procedure has that code.", "procedure");
		else
			api_db_error(r, rc);
		goto out;
	}
	if ((pick = calloc(1, sizeof *pick)) == NULL) {
		http_internal_error(r, "out of memory");
		goto out;
	}
	pick->case_name = STR(R_CASE);
	pick->given = in.v[R_DOCUMENTS].a;
	pick->missing = json_object_new_array();
	if ((rc = procedure_documents(r->db, pi.id, pick_document, pick)) != 0) {
		api_db_error(r, rc);
		goto out;
	}
	if (pick->given && (size_t)pick->nmatched != json_object_array_length(pick->given)) {
		params_reject(r, "documents", "names a document the procedure does not list");
		goto out;
	}
	/* The desk receives only a complete dossier; an incomplete one gets one written
	 * request listing everything missing (DOMAIN.md), not a reception. */
	if (json_object_array_length(pick->missing) > 0) {
		char detail[1024] = "Missing required documents: ";
		for (size_t i = 0; i < json_object_array_length(pick->missing); i++) {
			strncat(detail, i ? "; " : "", sizeof detail - strlen(detail) - 1);
			strncat(detail, json_object_get_string(json_object_array_get_idx(pick->missing, i)),
			        sizeof detail - strlen(detail) - 1);
		}
		http_problem(r, 422, "missing_documents", "Hồ sơ chưa đủ thành phần bắt buộc", detail, "documents");
		goto out;
	}
	if (load_calendar(r, &cal) != 0)
		goto out;
	have_cal = 1;
	if (calendar_due(&cal, now, pi.amount, pi.unit, &due, NULL) != CAL_OK) {
		http_internal_error(r, "due date computation failed");
		goto out;
	}
	sdue = step_due_at(&cal, &pi, 0, now);
	if (api_new_secret(pin, salt, pin_hash) != 0) {
		http_internal_error(r, "random generator failed");
		goto out;
	}
	time_to_local(now, &lc);

	for (attempt = 0; attempt < TX_RETRIES; attempt++) {
		unsigned long seq;
		long long id = 0;
		struct dossier_new d;
		struct history_append ev;

		if ((rc = db_begin(r->db)) != 0)
			break;
		if ((rc = dossier_next_seq(r->db, me.unit_id, lc.year, lc.month, lc.day, &seq)) != 0)
			goto rollback;
		if (dossier_code_format(me.unit_code, lc.year, lc.month, lc.day, seq, code, sizeof code) < 0) {
			rc = DB_ERR;
			goto rollback;
		}
		d = (struct dossier_new){
			.code = code, .procedure_id = pi.id, .field_id = pi.field_id, .unit_id = me.unit_id,
			.received_by = me.id, .channel = in.v[R_CHANNEL].s, .result_channel = in.v[R_RESULT_CHANNEL].s,
			.state = "processing", .case_name = STR(R_CASE), .applicant_name = in.v[R_NAME].s,
			.applicant_kind = in.v[R_KIND].present ? in.v[R_KIND].s : "citizen",
			.applicant_id_number = STR(R_ID_NUMBER), .applicant_phone = STR(R_PHONE),
			.applicant_email = STR(R_EMAIL), .applicant_address = STR(R_ADDRESS),
			.pin_salt = salt, .pin_hash = pin_hash, .waybill_in = STR(R_WAYBILL),
			.received_at = now, .due_at = due, .step_due_at = sdue,
			.current_step = pi.nsteps > 0 ? 1 : 0,
		};
		if ((rc = dossier_insert(r->db, &d, &id)) != 0)
			goto rollback;
		for (int i = 0; i < pick->ndocs; i++)
			if ((rc = dossier_insert_document(r->db, id, i + 1, pick->docs[i].name,
			                                  pick->docs[i].originals, pick->docs[i].copies, 1)) != 0)
				goto rollback;
		ev = (struct history_append){
			.dossier_id = id, .dossier_code = code, .at = now, .action = "receive",
			.from_state = "", .to_state = "processing", .unit_id = me.unit_id,
			.unit_code = me.unit_code, .step_seq = pi.nsteps > 0 ? 1 : -1,
			.step_name = pi.nsteps > 0 ? pi.steps[0].name : "", .actor = me.username,
			.note = in.v[R_CHANNEL].i == 1 ? "Tiếp nhận qua dịch vụ bưu chính công ích" : "Tiếp nhận trực tiếp",
			.due_at = due,
		};
		if ((rc = history_append(r->db, &ev)) != 0)
			goto rollback;
		if ((rc = db_commit(r->db)) != 0)
			goto rollback;
		{
			struct json_object *o = json_object_new_object();
			char iso[32];
			json_put_str(o, "code", code);
			json_put_str(o, "pin", pin);
			time_format_iso(due, iso, sizeof iso);
			json_put_str(o, "due_at", iso);
			json_put_int(o, "version", 1);
			http_json(r, 201, o);
		}
		goto out;
rollback:
		db_rollback(r->db);
		if (rc != DB_ERR_RETRY)
			break;
	}
	api_db_error(r, rc);
out:
	if (have_cal)
		calendar_free(&cal);
	if (pick)
		json_object_put(pick->missing);
	free(pick);
	jin_free(&in);
}

/* ---------------------------------------------------------------- the inbox */

static const char *const open_states[] = {
	"submitted", "processing", "awaiting_supplement", "awaiting_payment", "suspended", "resolved", NULL
};
static const char *const channels[] = { "direct", "online", "postal", NULL };
static const char *const urgencies[] = { "overdue", "due_soon", "within", NULL };

enum { I_STATE, I_STEP, I_PROCEDURE, I_CHANNEL, I_URGENCY, I_PAGE, I_PER_PAGE, I__MAX };

static const struct param_spec inbox_params[I__MAX] = {
	[I_STATE]     = { "state", PT_ENUM, 0, 0, 0, 0, open_states, NULL },
	[I_STEP]      = { "step", PT_INT, 0, 0, 1, 100, NULL, NULL },
	[I_PROCEDURE] = { "procedure", PT_TOKEN, 0, 32, 0, 0, NULL, NULL },
	[I_CHANNEL]   = { "channel", PT_ENUM, 0, 0, 0, 0, channels, NULL },
	[I_URGENCY]   = { "urgency", PT_ENUM, 0, 0, 0, 0, urgencies, NULL },
	[I_PAGE]      = { "page", PT_INT, 0, 0, 1, 100000, NULL, NULL },
	[I_PER_PAGE]  = { "per_page", PT_INT, 0, 0, 1, 200, NULL, NULL },
};

struct inbox_ctx { struct json_object *items; mc_time now, soon; };

static int on_inbox(const struct inbox_row *row, void *arg)
{
	struct inbox_ctx *c = arg;
	struct json_object *o = json_object_new_object(), *step;
	int st = dossier_state_from_code(row->state, strlen(row->state));
	int ch = channel_from_code(row->channel, strlen(row->channel));
	mc_time due = time_from_db(row->due_at);
	const char *urgency = "none";

	if (st < 0 || ch < 0)
		return -1;
	if (due && st != STATE_RESOLVED)
		urgency = due < c->now ? "overdue" : due <= c->soon ? "due_soon" : "within";
	json_put_str(o, "code", row->code);
	json_put_int(o, "version", row->version);
	json_object_object_add(o, "state", api_labelled(row->state, dossier_state_label_vi(st),
	                                               dossier_state_label_en(st)));
	json_object_object_add(o, "channel", api_labelled(row->channel, channel_label_vi(ch),
	                                                 channel_label_en(ch)));
	json_object_object_add(o, "procedure", api_code_name(row->procedure_code, row->procedure_name));
	json_put_str(o, "applicant_name", row->applicant_name);
	api_put_time(o, "received_at", row->received_at);
	api_put_time(o, "due_at", row->due_at);
	api_put_time(o, "step_due_at", row->step_due_at);
	json_put_str(o, "urgency", urgency);
	if (row->current_step > 0 && row->step_name) {
		step = json_object_new_object();
		json_put_int(step, "seq", row->current_step);
		json_put_str(step, "name", row->step_name);
		json_put_str(step, "role", row->step_role);
		json_object_object_add(o, "current_step", step);
	} else {
		json_object_object_add(o, "current_step", NULL);
	}
	step = json_object_new_object();
	json_put_str(step, "code", row->current_unit_code);
	json_object_object_add(o, "current_unit", step);
	json_put_str(o, "assignee", row->assignee);
	json_object_array_add(c->items, o);
	return 0;
}

void api_dossiers(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct inbox_query q;
	struct inbox_ctx c;
	struct calendar cal;
	struct json_object *o;
	long long page, per_page, total = 0;
	int rc;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, inbox_params, I__MAX, &p) != 0)
		return;
	if (load_calendar(r, &cal) != 0)
		return;
	c.now = time(NULL);
	/* "due within one working day": the next 8 hours of working time */
	if (calendar_add_working_seconds(&cal, c.now, CAL_WORKING_DAY_SECONDS, &c.soon) != CAL_OK)
		c.soon = c.now + 86400;
	calendar_free(&cal);
	page = p.v[I_PAGE].present ? p.v[I_PAGE].i : 1;
	per_page = p.v[I_PER_PAGE].present ? p.v[I_PER_PAGE].i : 50;
	q = (struct inbox_query){
		.scope_path = me.unit_path,
		.state = p.v[I_STATE].present ? p.v[I_STATE].s : "",
		.step = p.v[I_STEP].present ? (int)p.v[I_STEP].i : 0,
		.procedure_code = p.v[I_PROCEDURE].present ? p.v[I_PROCEDURE].s : "",
		.channel = p.v[I_CHANNEL].present ? p.v[I_CHANNEL].s : "",
		.urgency = p.v[I_URGENCY].present ? p.v[I_URGENCY].s : "",
		.now = c.now, .soon = c.soon, .limit = per_page, .offset = (page - 1) * per_page,
	};
	c.items = json_object_new_array();
	if ((rc = dossier_inbox(r->db, &q, on_inbox, &c, &total)) != 0) {
		json_object_put(c.items);
		api_db_error(r, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "items", c.items);
	json_put_int(o, "page", page);
	json_put_int(o, "per_page", per_page);
	json_put_int(o, "total", total);
	http_json(r, 200, o);
}

/* ---------------------------------------------------------------- actions */

enum { A_REASON, A_ITEMS, A_ASSIGNEE, A_UNIT, A_WAYBILL, A_NEW_DATE, A_NOTE, A_AMOUNT, A__MAX };

/* Exactly as units.code has it: the lookup ignores case, the history's hash does not. */
static const char *check_unit_code(const char *s, size_t len)
{
	return unit_code_valid(s, len) ? NULL : "not a unit code like 000.00.20.H12";
}

static const struct jin_spec action_spec[A__MAX] = {
	[A_REASON]   = { "reason", JIN_TEXT, 0, 0, 2000, 0, 0, NULL, NULL },
	[A_ITEMS]    = { "items", JIN_TEXT_ARRAY, 0, 0, 500, 0, 50, NULL, NULL },
	[A_ASSIGNEE] = { "assignee", JIN_TEXT, 0, 1, 64, 0, 0, NULL, check_token },
	[A_UNIT]     = { "unit", JIN_TEXT, 0, 13, 13, 0, 0, NULL, check_unit_code },
	[A_WAYBILL]  = { "waybill", JIN_TEXT, 0, 1, 64, 0, 0, NULL, check_token },
	[A_NEW_DATE] = { "new_date", JIN_TEXT, 0, 10, 32, 0, 0, NULL, NULL },
	[A_NOTE]     = { "note", JIN_TEXT, 0, 0, 2000, 0, 0, NULL, NULL },
	/* request_payment: the amount to pay; without it, the procedure's fees */
	[A_AMOUNT]   = { "amount_vnd", JIN_INT, 0, 0, 0, 1, 1000000000000LL, NULL, NULL },
};

/* The version the client saw, from If-Match: "3", 3 or W/"3". -1 if absent or malformed. */
long long api_if_match_version(struct http_req *r)
{
	const char *h = http_header(r, "HTTP_IF_MATCH");
	char *end;
	long long v;

	if (!h)
		return -1;
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	if (*h == '"')
		h++;
	v = strtoll(h, &end, 10);
	if (end == h || (*end && strcmp(end, "\"") != 0) || v < 1)
		return -1;
	return v;
}

static void missing(struct http_req *r, const char *field, const char *vi)
{
	char detail[128];

	snprintf(detail, sizeof detail, "This action needs '%s'.", field);
	http_problem(r, 422, "missing_field", vi, detail, field);
}

struct action_ctx {
	struct http_req *r;
	const struct officer *me;
	struct jin *in;
	enum dossier_action act;
	struct calendar *cal;
	struct procedure_info *pi;
	struct dossier_row d;
	char note[4096];
	const char *waybill_out, *refusal;
	int result_ready;
	mc_time now;
	long long assignee_id;
	long long transfer_unit_id;
	char transfer_unit_name[256];
};

/* The stored due date again after a pause ended: one rule (domain/dossier_due.c) for the
 * workflow and for the calendar worker, so neither "corrects" the other. */
static int recompute_due(struct action_ctx *c)
{
	struct dossier_pause pauses[64];
	size_t n = 0;
	int rc;

	if ((rc = dossier_pauses(c->r->db, c->d.id, pauses, 64, &n)) != 0)
		return rc;
	return dossier_due_at(c->cal, c->d.received_at, c->pi->amount, c->pi->unit,
	                      c->pi->restart_on_supplement, pauses, n, &c->d.due_at) == CAL_OK ? 0 : DB_ERR;
}

static void append_note(struct action_ctx *c, const char *text)
{
	size_t len = strlen(c->note);

	if (!text || !*text)
		return;
	snprintf(c->note + len, sizeof c->note - len, "%s%s", len ? ". " : "", text);
}

struct apology_pick { int pending; mc_time proposed; };

static int pick_draft(const struct apology_row *a, void *arg)
{
	struct apology_pick *p = arg;

	p->pending = a->approved_at == NULL;
	p->proposed = time_from_db(a->proposed_date);
	return 0;
}

/* Applies the action to c->d and the side tables; the caller saves and appends history. */
static int apply_action(struct action_ctx *c, enum dossier_state from, enum dossier_state to)
{
	struct jin *in = c->in;
	enum wf_clock clock = workflow_clock(c->act, from, to);
	int rc, moves = workflow_action_moves_step(c->act);
	char buf[600];

	snprintf(c->d.state, sizeof c->d.state, "%s", dossier_state_code(to));
	if (clock == WF_CLOCK_START) {
		c->d.received_at = c->now;
		if (calendar_due(c->cal, c->now, c->pi->amount, c->pi->unit, &c->d.due_at, NULL) != CAL_OK)
			return DB_ERR;
		c->d.current_step = c->pi->nsteps > 0 ? 1 : 0;
		c->d.step_started_at = c->now;
		c->d.step_due_at = step_due_at(c->cal, c->pi, 0, c->now);
	} else if (clock == WF_CLOCK_PAUSE) {
		snprintf(c->d.paused_from, sizeof c->d.paused_from, "%s", dossier_state_code(from));
		if ((rc = dossier_pause_open(c->r->db, c->d.id, dossier_state_code(to), c->now)) != 0)
			return rc;
	} else if (clock == WF_CLOCK_RESUME) {
		if ((rc = dossier_pause_close(c->r->db, c->d.id, c->now)) != 0 || (rc = recompute_due(c)) != 0)
			return rc;
		c->d.paused_from[0] = '\0';
	}
	if (c->act == ACT_REQUEST_SUPPLEMENT && from == STATE_SUBMITTED)
		snprintf(c->d.paused_from, sizeof c->d.paused_from, "submitted");
	if (c->act == ACT_SUPPLEMENT) {
		c->d.paused_from[0] = '\0';
		if ((rc = supplement_request_fulfil(c->r->db, c->d.id, c->now)) != 0)
			return rc;
	}
	if (moves != 0) {
		/* the step that ends is judged against its own due time: a late step is pinned
		 * on its unit and officer in the history */
		if (moves > 0 && c->d.step_due_at)
			append_note(c, c->now <= c->d.step_due_at ? "Bước xử lý hoàn thành đúng hạn"
			                                          : "Bước xử lý hoàn thành quá hạn");
		c->d.current_step += moves;
		c->d.step_started_at = c->now;
		c->d.step_due_at = step_due_at(c->cal, c->pi, c->d.current_step - 1, c->now);
		c->d.assignee_id = 0;
	}
	switch (c->act) {
	case ACT_ASSIGN:
		c->d.assignee_id = c->assignee_id;
		snprintf(buf, sizeof buf, "Phân công cho %s", in->v[A_ASSIGNEE].s);
		append_note(c, buf);
		break;
	case ACT_TRANSFER:
		c->d.current_unit_id = c->transfer_unit_id;
		snprintf(buf, sizeof buf, "Chuyển liên thông đến %s", c->transfer_unit_name);
		append_note(c, buf);
		break;
	case ACT_TRANSFER_BACK:
		c->d.current_unit_id = c->d.unit_id;
		/* the event is recorded (and hashed) with the unit it is at now */
		snprintf(c->d.current_unit_code, sizeof c->d.current_unit_code, "%s", c->d.unit_code);
		break;
	case ACT_REQUEST_SUPPLEMENT: {
		const char *items = json_object_to_json_string_ext(in->v[A_ITEMS].a, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		if ((rc = supplement_request_insert(c->r->db, c->d.id, items,
		                                    in->v[A_NOTE].present ? in->v[A_NOTE].s : "",
		                                    c->me->id, c->now)) != 0)
			return rc;
		for (size_t i = 0; i < json_object_array_length(in->v[A_ITEMS].a); i++) {
			snprintf(buf, sizeof buf, "Cần bổ sung: %s",
			         json_object_get_string(json_object_array_get_idx(in->v[A_ITEMS].a, i)));
			append_note(c, buf);
		}
		break;
	}
	case ACT_NOT_ACCEPT:
	case ACT_REFUSE:
	case ACT_WITHDRAW:
		c->d.finished_at = c->now;
		if (c->act == ACT_REFUSE)
			c->refusal = in->v[A_REASON].s;
		if (from == STATE_AWAITING_SUPPLEMENT || from == STATE_AWAITING_PAYMENT || from == STATE_SUSPENDED)
			if ((rc = dossier_pause_close(c->r->db, c->d.id, c->now)) != 0)
				return rc;
		break;
	case ACT_RESOLVE:
		c->d.finished_at = c->now;
		c->result_ready = 1;
		break;
	case ACT_REQUEST_PAYMENT:
		if ((rc = payment_request_insert(c->r->db, c->d.id,
		                                 in->v[A_AMOUNT].present ? in->v[A_AMOUNT].i : -1,
		                                 c->me ? c->me->id : 0, c->now)) != 0)
			return rc;
		if (in->v[A_AMOUNT].present) {
			snprintf(buf, sizeof buf, "Số tiền phải nộp: %lld đồng", in->v[A_AMOUNT].i);
			append_note(c, buf);
		}
		break;
	case ACT_RETURN:
		if (in->v[A_WAYBILL].present)
			c->waybill_out = in->v[A_WAYBILL].s;
		break;
	case ACT_APOLOGY: {
		/* the leader approves the system's draft (at its date, or another one given),
		 * or writes the letter from scratch with a new date */
		mc_time nd = 0;
		char vn[16];
		if (in->v[A_NEW_DATE].present &&
		    time_parse_iso(in->v[A_NEW_DATE].s, in->v[A_NEW_DATE].len, &nd) != 0)
			nd = -1;
		if (!in->v[A_NEW_DATE].present) {
			struct apology_pick pick = { 0, 0 };
			if ((rc = apology_latest(c->r->db, c->d.id, pick_draft, &pick)) < 0)
				return rc;
			if (!pick.pending) {
				missing(c->r, "new_date", "Cần ngày hẹn trả mới");
				return 1;
			}
			nd = pick.proposed;
		}
		if (nd <= c->d.due_at) {
			http_problem(c->r, 422, "invalid_field", "Ngày hẹn mới phải sau hạn giải quyết",
			             "new_date must be an ISO 8601 date-time after the current due date.", "new_date");
			return 1;
		}
		rc = apology_approve_draft(c->r->db, c->d.id, nd, c->me->id, c->now);
		if (rc == 1)
			rc = apology_insert(c->r->db, c->d.id, nd, in->v[A_REASON].present ? in->v[A_REASON].s : "",
			                    c->me->id, c->me->id, c->now);
		if (rc != 0)
			return rc;
		c->d.promised_at = nd;
		time_format_vn_date(nd, vn, sizeof vn);
		snprintf(buf, sizeof buf, "Hẹn lại ngày trả kết quả: %s", vn);
		append_note(c, buf);
		break;
	}
	default:
		break;
	}
	append_note(c, in->v[A_REASON].present ? in->v[A_REASON].s : NULL);
	append_note(c, in->v[A_NOTE].present && c->act != ACT_REQUEST_SUPPLEMENT ? in->v[A_NOTE].s : NULL);
	return 0;
}

/*
 * The applicant hears of each change that concerns them (an e-mail, and an SMS when a
 * phone is known), through the outbox in this same transaction: the messages exist iff
 * the change commits. Call after history_append (the event's seq is the dedup key).
 * Returns >= 0 (messages added) or a DB_ERR* code.
 */
static int notify_action(struct action_ctx *c)
{
	struct jin *in = c->in;
	struct notify_extra x = { .public_url = c->r->cfg ? c->r->cfg->public_url : NULL };
	const char *items[50];
	enum notify_kind k;

	switch (c->act) {
	case ACT_ACCEPT:
		k = NK_ACCEPTED;
		break;
	case ACT_NOT_ACCEPT:
		k = NK_NOT_ACCEPTED;
		break;
	case ACT_REQUEST_SUPPLEMENT:
		k = NK_SUPPLEMENT_REQUESTED;
		for (size_t i = 0; in->v[A_ITEMS].present && i < json_object_array_length(in->v[A_ITEMS].a) &&
		                   i < sizeof items / sizeof items[0]; i++)
			items[x.nitems++] = json_object_get_string(json_object_array_get_idx(in->v[A_ITEMS].a, i));
		x.items = items;
		break;
	case ACT_REQUEST_PAYMENT:
		k = NK_PAYMENT_REQUESTED;
		x.has_amount = in->v[A_AMOUNT].present;
		x.amount_vnd = in->v[A_AMOUNT].present ? in->v[A_AMOUNT].i : -1;
		/* no amount given: the procedure's fees, as the payment order will take them */
		if (!x.has_amount && payment_amount_due(c->r->db, c->d.id, &x.amount_vnd) == 0 && x.amount_vnd > 0)
			x.has_amount = 1;
		break;
	case ACT_APOLOGY:
		k = NK_LATE_NEW_DATE;
		x.date = c->d.promised_at;
		break;
	case ACT_RESOLVE:
		k = NK_RESULT_READY;
		break;
	case ACT_REFUSE:
		k = NK_REFUSED;
		break;
	default:
		return 0;
	}
	x.reason = in->v[A_REASON].present ? in->v[A_REASON].s : NULL;
	x.note = in->v[A_NOTE].present ? in->v[A_NOTE].s : NULL;
	return notify_dossier_event(c->r->db, c->d.id, k, &x);
}

/* Checks what the action needs that the state machine does not know; 0 or answered. */
static int check_action_input(struct action_ctx *c)
{
	struct jin *in = c->in;
	int rc;

	if (workflow_action_needs_reason(c->act) && !(in->v[A_REASON].present && in->v[A_REASON].len)) {
		missing(c->r, "reason", "Cần ghi rõ lý do");
		return -1;
	}
	if (workflow_action_needs_items(c->act) &&
	    !(in->v[A_ITEMS].present && json_object_array_length(in->v[A_ITEMS].a) > 0)) {
		missing(c->r, "items", "Cần liệt kê đầy đủ các thành phần phải bổ sung");
		return -1;
	}
	/* apology: new_date may be left out when the system has drafted the letter (checked
	 * where the draft is read) */
	if (workflow_action_needs_waybill(c->act, (enum channel)channel_from_code(c->d.result_channel,
	                                  strlen(c->d.result_channel))) && !in->v[A_WAYBILL].present) {
		missing(c->r, "waybill", "Trả kết quả qua bưu chính cần số vận đơn");
		return -1;
	}
	if (c->act == ACT_ASSIGN) {
		char roles[128];
		role_mask mask = 0;
		if (!in->v[A_ASSIGNEE].present) {
			missing(c->r, "assignee", "Cần chọn chuyên viên được phân công");
			return -1;
		}
		rc = officer_in_scope(c->r->db, in->v[A_ASSIGNEE].s, c->me->unit_path, &c->assignee_id,
		                      roles, sizeof roles);
		if (rc < 0) {
			api_db_error(c->r, rc);
			return -1;
		}
		if (rc == 1 || role_mask_parse(roles, strlen(roles), &mask) != 0 ||
		    !(mask & ROLE_BIT(ROLE_SPECIALIST))) {
			http_problem(c->r, 422, "invalid_field", "Không có chuyên viên này trong đơn vị",
			             "No specialist with that username in your units.", "assignee");
			return -1;
		}
	}
	if (c->act == ACT_RESOLVE &&
	    api_result_approval(c->r, c->me, c->d.id, c->d.procedure_id, c->d.result_channel) != 0)
		return -1;
	if (c->act == ACT_TRANSFER_BACK && c->d.current_unit_id == c->d.unit_id) {
		http_problem(c->r, 409, "invalid_state", "Hồ sơ không ở đơn vị liên thông nào",
		             "Action 'transfer_back' needs the dossier to be at another unit; it is at the receiving unit.",
		             "action");
		return -1;
	}
	if (c->act == ACT_TRANSFER) {
		if (!in->v[A_UNIT].present) {
			missing(c->r, "unit", "Cần chọn đơn vị nhận liên thông");
			return -1;
		}
		rc = unit_find(c->r->db, in->v[A_UNIT].s, &c->transfer_unit_id, c->transfer_unit_name,
		               sizeof c->transfer_unit_name);
		if (rc < 0) {
			api_db_error(c->r, rc);
			return -1;
		}
		if (rc == 1 || c->transfer_unit_id == c->d.current_unit_id) {
			http_problem(c->r, 422, "invalid_field", "Đơn vị nhận liên thông không hợp lệ",
			             "No such unit, or it already holds the dossier.", "unit");
			return -1;
		}
	}
	return 0;
}

void api_dossier_action(struct http_req *r)
{
	struct officer me;
	struct jin in;
	struct calendar cal;
	struct procedure_info pi;
	struct action_ctx c;
	long long want;
	int act, rc = 0, attempt, have_cal = 0;

	memset(&in, 0, sizeof in);
	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0)
		return;
	act = action_from_code(r->args[1]);
	if (act < 0 || act == ACT_RECEIVE || act == ACT_SUBMIT || act == ACT_RECALCULATE ||
	    act == ACT_RESULT_UPLOAD || act == ACT_RESULT_SIGN || act == ACT_RESULT_SEAL) {   /* api/results.c */
		http_problem(r, 404, "unknown_action", "Không có thao tác này",
		             "No such action on a dossier.", "action");
		return;
	}
	if ((want = api_if_match_version(r)) < 0) {
		http_problem(r, 428, "precondition_required", "Thiếu phiên bản hồ sơ (If-Match)",
		             "Send If-Match with the dossier version you acted on.", "If-Match");
		return;
	}
	if (json_body_parse(r, 32 * 1024, action_spec, A__MAX, &in) != 0)
		goto out;
	if (load_calendar(r, &cal) != 0)
		goto out;
	have_cal = 1;

	for (attempt = 0; attempt < TX_RETRIES; attempt++) {
		struct wf_context wc;
		enum dossier_state from, to;
		enum wf_verdict v;
		struct history_append ev;
		int st, step_role;

		memset(&c, 0, sizeof c);
		c.r = r;
		c.me = &me;
		c.in = &in;
		c.act = (enum dossier_action)act;
		c.cal = &cal;
		c.pi = &pi;
		c.now = time(NULL);
		if ((rc = db_begin(r->db)) != 0)
			break;
		if ((rc = dossier_lock(r->db, r->args[0], me.unit_path, &c.d)) != 0) {
			db_rollback(r->db);
			if (rc == 1) {
				http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
				             "No dossier with that code in your units.", "code");
				goto out;
			}
			break;
		}
		if (c.d.version != (unsigned long long)want) {
			char detail[160];
			db_rollback(r->db);
			snprintf(detail, sizeof detail, "The dossier is at version %u, not %lld: reload it.",
			         c.d.version, want);
			http_problem(r, 412, "version_mismatch", "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại",
			             detail, "If-Match");
			goto out;
		}
		if ((rc = procedure_info_load_id(r->db, c.d.procedure_id, &pi)) != 0) {
			db_rollback(r->db);
			rc = rc < 0 ? rc : DB_ERR;
			break;
		}
		st = dossier_state_from_code(c.d.state, strlen(c.d.state));
		from = (enum dossier_state)st;
		step_role = c.d.current_step >= 1 && c.d.current_step <= pi.nsteps
		            ? role_from_code(pi.steps[c.d.current_step - 1].role, strlen(pi.steps[c.d.current_step - 1].role))
		            : -1;
		wc = (struct wf_context){
			.state = from,
			.paused_from = c.d.paused_from[0]
			               ? (enum dossier_state)dossier_state_from_code(c.d.paused_from, strlen(c.d.paused_from))
			               : STATE_PROCESSING,
			.step_index = c.d.current_step > 0 ? c.d.current_step - 1 : 0,
			.step_count = pi.nsteps, .step_role = step_role,
		};
		if ((v = workflow_check(c.act, me.roles, &wc, &to)) != WF_OK) {
			char detail[256];
			db_rollback(r->db);
			workflow_detail(detail, sizeof detail, v, c.act, &wc);
			http_problem(r, wf_verdict_status(v), wf_verdict_code(v),
			             v == WF_FORBIDDEN_ROLE ? "Vai trò của bạn không được thực hiện thao tác này"
			                                    : "Không thể thực hiện thao tác ở trạng thái hiện tại của hồ sơ",
			             detail, "action");
			goto out;
		}
		if (check_action_input(&c) != 0) {
			db_rollback(r->db);
			goto out;
		}
		if ((rc = apply_action(&c, from, to)) != 0) {
			db_rollback(r->db);
			if (rc == 1)
				goto out;   /* answered */
			if (rc == DB_ERR_RETRY)
				continue;
			break;
		}
		ev = (struct history_append){
			.dossier_id = c.d.id, .dossier_code = c.d.code, .at = c.now, .action = action_code(c.act),
			.from_state = dossier_state_code(from), .to_state = dossier_state_code(to),
			.unit_id = c.d.current_unit_id, .unit_code = c.d.current_unit_code,
			.step_seq = c.d.current_step > 0 ? c.d.current_step : -1,
			.step_name = c.d.current_step >= 1 && c.d.current_step <= pi.nsteps ? pi.steps[c.d.current_step - 1].name : "",
			.actor = me.username, .note = c.note,
			.due_at = workflow_action_moves_step(c.act) ? c.d.step_due_at : 0,
		};
		if (c.act == ACT_TRANSFER) {
			ev.unit_id = c.transfer_unit_id;
			ev.unit_code = in.v[A_UNIT].s;
		}
		if ((rc = dossier_save(r->db, &c.d, c.waybill_out, c.refusal, c.result_ready)) != 0 ||
		    (rc = history_append(r->db, &ev)) != 0 || (rc = notify_action(&c)) < 0 ||
		    (rc = db_commit(r->db)) != 0) {
			db_rollback(r->db);
			if (rc == DB_ERR_RETRY)
				continue;
			rc = rc < 0 ? rc : DB_ERR;
			break;
		}
		{
			struct json_object *o = dossier_json_in(r, &me, c.d.code, me.unit_path, 1);
			/* Handed to (or back to) units outside the actor's own: the action is done,
			 * so say so with the page as it now is, and that nothing more is theirs to do. */
			if (o == NULL && r->status == 0 && (o = dossier_json_in(r, &me, c.d.code, "", 0)) != NULL) {
				json_object_object_add(o, "allowed_actions", json_object_new_array());
				json_put_bool(o, "in_scope", 0);
			} else if (o) {
				json_put_bool(o, "in_scope", 1);
			}
			if (o)
				http_json(r, 200, o);
		}
		goto out;
	}
	api_db_error(r, rc);
out:
	if (have_cal)
		calendar_free(&cal);
	jin_free(&in);
}

/* ---------------------------------------------------------------- actors without a session */

int api_dossier_act(struct http_req *r, const char *code, int action, unsigned actor_roles,
                    const char *actor_name, const char *note, int *verdict)
{
	struct jin none;
	struct calendar cal;
	struct procedure_info pi;
	struct action_ctx c;
	struct wf_context wc;
	struct history_append ev;
	enum dossier_state from, to;
	enum wf_verdict v;
	int rc, step_role;

	*verdict = WF_OK;
	/* only the actions that need no officer's input can come this way */
	if (action < 0 || action >= ACT__MAX || workflow_action_needs_reason((enum dossier_action)action) ||
	    workflow_action_needs_items((enum dossier_action)action) ||
	    workflow_action_needs_new_date((enum dossier_action)action) ||
	    action == ACT_ASSIGN || action == ACT_TRANSFER || action == ACT_REQUEST_SUPPLEMENT ||
	    action == ACT_REQUEST_PAYMENT || action == ACT_RETURN) {
		*verdict = WF_FORBIDDEN_ROLE;
		return 1;
	}
	memset(&none, 0, sizeof none);
	memset(&c, 0, sizeof c);
	c.r = r;
	c.in = &none;
	c.act = (enum dossier_action)action;
	c.cal = &cal;
	c.pi = &pi;
	c.now = time(NULL);
	if ((rc = dossier_lock(r->db, code, "", &c.d)) != 0)
		return rc;
	if ((rc = procedure_info_load_id(r->db, c.d.procedure_id, &pi)) != 0)
		return rc < 0 ? rc : DB_ERR;
	from = (enum dossier_state)dossier_state_from_code(c.d.state, strlen(c.d.state));
	step_role = c.d.current_step >= 1 && c.d.current_step <= pi.nsteps
	            ? role_from_code(pi.steps[c.d.current_step - 1].role, strlen(pi.steps[c.d.current_step - 1].role))
	            : -1;
	wc = (struct wf_context){
		.state = from,
		.paused_from = c.d.paused_from[0]
		               ? (enum dossier_state)dossier_state_from_code(c.d.paused_from, strlen(c.d.paused_from))
		               : STATE_PROCESSING,
		.step_index = c.d.current_step > 0 ? c.d.current_step - 1 : 0,
		.step_count = pi.nsteps, .step_role = step_role,
	};
	if ((v = workflow_check(c.act, actor_roles, &wc, &to)) != WF_OK) {
		*verdict = (int)v;
		return 1;
	}
	calendar_init(&cal);
	if ((rc = calendar_load(r->db, &cal)) != 0) {
		calendar_free(&cal);
		return rc < 0 ? rc : DB_ERR;
	}
	append_note(&c, note);
	rc = apply_action(&c, from, to);
	calendar_free(&cal);
	if (rc != 0)
		return rc < 0 ? rc : DB_ERR;
	ev = (struct history_append){
		.dossier_id = c.d.id, .dossier_code = c.d.code, .at = c.now, .action = action_code(c.act),
		.from_state = dossier_state_code(from), .to_state = dossier_state_code(to),
		.unit_id = c.d.current_unit_id, .unit_code = c.d.current_unit_code,
		.step_seq = c.d.current_step > 0 ? c.d.current_step : -1,
		.step_name = c.d.current_step >= 1 && c.d.current_step <= pi.nsteps ? pi.steps[c.d.current_step - 1].name : "",
		.actor = actor_name, .note = c.note,
		.due_at = workflow_action_moves_step(c.act) ? c.d.step_due_at : 0,
	};
	if ((rc = dossier_save(r->db, &c.d, NULL, NULL, 0)) != 0 || (rc = history_append(r->db, &ev)) != 0 ||
	    (rc = notify_action(&c)) < 0)
		return rc < 0 ? rc : DB_ERR;
	return 0;
}
