/*
 * Printed forms of a dossier (Circular 01/2018/TT-VPCP):
 *   POST /api/v1/dossiers/{code}/receipt {pin}       Giấy tiếp nhận hồ sơ và hẹn trả kết quả
 *   GET  /api/v1/dossiers/{code}/control-sheet.pdf   Phiếu kiểm soát quá trình giải quyết
 *   GET  /api/v1/dossiers/{code}/supplement-request.pdf  Phiếu yêu cầu bổ sung (Mẫu số 02)
 *   GET  /api/v1/dossiers/{code}/refusal.pdf          Phiếu từ chối (Mẫu số 03)
 *   GET  /api/v1/dossiers/{code}/apology.pdf          Phiếu xin lỗi, hẹn lại (Mẫu số 04)
 *   GET  /api/v1/tracking/{code}/{receipt,supplement-request,refusal,apology}.pdf?pin=
 *                                                     the applicant's copies
 *   GET  /api/v1/reports/register.pdf?unit=&from=&to= Sổ theo dõi hồ sơ (Mẫu số 06)
 * The receipt carries the secret in plain text, which the server keeps only hashed: the
 * desk sends it back (it was shown once at reception) and it is checked before printing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/crypto.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/params.h"
#include "domain/calendar.h"
#include "domain/deadline.h"
#include "domain/dossier_state.h"
#include "domain/timeutil.h"
#include "domain/workflow.h"
#include "forms/forms.h"
#include "store/dossier_store.h"
#include "store/forms_store.h"
#include "store/history_store.h"
#include "store/officer_store.h"
#include "api.h"

#define MAX_DOCS 100
#define MAX_ROWS 200

/* What the forms need of the dossier, copied out of the row callbacks. */
struct form_facts {
	long long id, procedure_id;
	char code[49], unit_name[256], applicant_name[256], applicant_address[501],
	     applicant_phone[33], applicant_email[256], procedure_name[1001], result_channel[8],
	     state[24], refusal_reason[2049];
	mc_time received_at, due_at, submitted_at, finished_at;
	struct form_document docs[MAX_DOCS];
	char doc_names[MAX_DOCS][512];
	size_t ndocs;
};

static int on_facts(const struct dossier_detail *d, void *arg)
{
	struct form_facts *f = arg;

	f->id = d->id;
	f->procedure_id = d->procedure_id;
	snprintf(f->code, sizeof f->code, "%s", d->code);
	snprintf(f->unit_name, sizeof f->unit_name, "%s", d->unit_name);
	snprintf(f->applicant_name, sizeof f->applicant_name, "%s", d->applicant_name);
	snprintf(f->applicant_address, sizeof f->applicant_address, "%s", d->applicant_address ? d->applicant_address : "");
	snprintf(f->applicant_phone, sizeof f->applicant_phone, "%s", d->applicant_phone ? d->applicant_phone : "");
	snprintf(f->applicant_email, sizeof f->applicant_email, "%s", d->applicant_email ? d->applicant_email : "");
	snprintf(f->procedure_name, sizeof f->procedure_name, "%s", d->procedure_name);
	snprintf(f->result_channel, sizeof f->result_channel, "%s", d->result_channel);
	f->received_at = time_from_db(d->received_at);
	f->due_at = time_from_db(d->due_at);
	snprintf(f->state, sizeof f->state, "%s", d->state);
	snprintf(f->refusal_reason, sizeof f->refusal_reason, "%s", d->refusal_reason ? d->refusal_reason : "");
	f->submitted_at = time_from_db(d->submitted_at);
	f->finished_at = time_from_db(d->finished_at);
	return 0;
}

static int on_doc(const struct dossier_document *d, void *arg)
{
	struct form_facts *f = arg;

	if (f->ndocs == MAX_DOCS)
		return 0;
	snprintf(f->doc_names[f->ndocs], sizeof f->doc_names[0], "%s", d->name);
	f->docs[f->ndocs].name = f->doc_names[f->ndocs];
	f->docs[f->ndocs].originals = d->originals;
	f->docs[f->ndocs].copies = d->copies;
	f->ndocs++;
	return 0;
}

/* Loads the facts of a dossier in the officer's scope; 0, or -1 after answering. */
static int load_facts(struct http_req *r, const struct officer *me, struct form_facts *f)
{
	int rc = dossier_detail(r->db, r->args[0], me->unit_path, on_facts, f);

	if (rc == 0)
		rc = dossier_documents(r->db, f->id, on_doc, f);
	if (rc == 1)
		http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
		             "No dossier with that code in your units.", "code");
	else if (rc != 0)
		api_db_error(r, rc);
	return rc == 0 ? 0 : -1;
}

static void send_pdf(struct http_req *r, const char *filename, unsigned char *pdf, size_t len)
{
	char headers[256];
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;

	/* what the server issues carries the organization's seal when one is configured
	 * (api/results.c); without one, or if it cannot be used (logged), the form as it is */
	if (api_seal_pdf(r, "Văn bản do hệ thống một cửa điện tử cấp", pdf, len, &sealed, &sealed_len) == 0) {
		pdf = sealed;
		len = sealed_len;
	}
	snprintf(headers, sizeof headers, "Content-Disposition: inline; filename=\"%s\"\r\n", filename);
	http_send(r, 200, "application/pdf", headers, (const char *)pdf, len);
	free(sealed);
}

static const struct form_options *fonts(void)
{
	static struct form_options o;

	o.font_regular = getenv("MOTCUA_FONT_REGULAR") ? getenv("MOTCUA_FONT_REGULAR") : FORM_FONT_REGULAR;
	o.font_bold = getenv("MOTCUA_FONT_BOLD") ? getenv("MOTCUA_FONT_BOLD") : FORM_FONT_BOLD;
	return &o;
}

enum { RC_PIN, RC__MAX };
static const struct jin_spec receipt_spec[RC__MAX] = {
	[RC_PIN] = { "pin", JIN_TEXT, 1, 8, 64, 0, 0, NULL, NULL },
};

static const char *result_channel_text(const char *code)
{
	if (strcmp(code, "postal") == 0)
		return "Qua dịch vụ bưu chính công ích";
	if (strcmp(code, "online") == 0)
		return "Trực tuyến (Cổng dịch vụ công)";
	return "Bộ phận tiếp nhận và trả kết quả";
}

/*
 * The receipt of the dossier whose facts are in f, once the secret has been checked
 * against it. 0 after answering with the PDF; -1 after answering with a problem.
 */
static int send_receipt(struct http_req *r, struct form_facts *f, const char *pin, size_t pin_len,
                        const char *officer_name)
{
	struct receipt_data d;
	struct procedure_info pi;
	unsigned char salt[16], hash[32];
	unsigned char *pdf = NULL;
	size_t len = 0;
	char url[1024], time_text[64], err[128], name[96];
	int rc;

	if ((rc = dossier_pin(r->db, f->id, salt, hash)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return -1;
	}
	if (!api_pin_matches(salt, hash, pin, pin_len)) {
		http_problem(r, 403, "wrong_pin", "Mã bí mật không đúng",
		             "The secret does not match this dossier.", "pin");
		return -1;
	}
	if ((rc = procedure_info_load_id(r->db, f->procedure_id, &pi)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return -1;
	}
	snprintf(time_text, sizeof time_text, "%02lld%s %s", (long long)(pi.amount / 100),
	         pi.amount % 100 ? ",5" : "", cal_time_unit_label_vi(pi.unit));
	snprintf(url, sizeof url, "%s/tra-cuu.html?code=%s", r->cfg->public_url, f->code);
	d = (struct receipt_data){
		.unit_name = f->unit_name, .dossier_code = f->code, .applicant_name = f->applicant_name,
		.applicant_address = f->applicant_address, .applicant_phone = f->applicant_phone,
		.applicant_email = f->applicant_email, .procedure_name = f->procedure_name,
		.time_text = time_text, .result_channel_text = result_channel_text(f->result_channel),
		.pin = pin, .tracking_url = url, .officer_name = officer_name,
		.received_at = f->received_at, .due_at = f->due_at, .docs = f->docs, .ndocs = f->ndocs,
	};
	if (form_receipt_pdf(&d, fonts(), &pdf, &len, err, sizeof err) != 0) {
		http_internal_error(r, err);
		return -1;
	}
	snprintf(name, sizeof name, "giay-tiep-nhan-%s.pdf", f->code);
	send_pdf(r, name, pdf, len);
	free(pdf);
	return 0;
}

void api_dossier_receipt(struct http_req *r)
{
	struct officer me;
	struct jin in;
	struct form_facts *f = NULL;

	memset(&in, 0, sizeof in);
	if (api_officer(r, ROLE_BIT(ROLE_DESK), &me) != 0)
		return;
	if (json_body_parse(r, 4096, receipt_spec, RC__MAX, &in) != 0)
		goto out;
	if ((f = calloc(1, sizeof *f)) == NULL) {
		http_internal_error(r, "out of memory");
		goto out;
	}
	if (load_facts(r, &me, f) == 0)
		send_receipt(r, f, in.v[RC_PIN].s, in.v[RC_PIN].len, me.full_name);
out:
	free(f);
	jin_free(&in);
}

enum { TR_PIN, TR__MAX };
static const struct param_spec tracking_receipt_params[TR__MAX] = {
	[TR_PIN] = { "pin", PT_TOKEN, 1, 64, 0, 0, NULL, NULL },
};

/*
 * The dossier of GET /api/v1/tracking/{code}/….pdf?pin=… with its facts, once its secret
 * matches (the empty scope: any unit; the secret is the key here). 0, or -1 after
 * answering: 400 for a bad secret's shape, and the same 404 for a wrong secret and an
 * unknown code, as on the tracking page. The checked secret stays in *p.
 */
static int load_tracked(struct http_req *r, struct params *p, struct form_facts **out)
{
	struct form_facts *f;
	unsigned char salt[16], hash[32];
	int rc;

	*out = NULL;
	if (params_parse(r, tracking_receipt_params, TR__MAX, p) != 0)
		return -1;
	if (p->v[TR_PIN].len < 8) {
		params_reject(r, "pin", "at least 8 characters");
		return -1;
	}
	api_code_upper(r);
	if ((f = calloc(1, sizeof *f)) == NULL) {
		http_internal_error(r, "out of memory");
		return -1;
	}
	rc = dossier_detail(r->db, r->args[0], "", on_facts, f);
	if (rc == 0)
		rc = dossier_documents(r->db, f->id, on_doc, f);
	if (rc == 0 && (rc = dossier_pin(r->db, f->id, salt, hash)) == 0 &&
	    !api_pin_matches(salt, hash, p->v[TR_PIN].s, p->v[TR_PIN].len))
		rc = 1;
	if (rc != 0) {
		if (rc < 0)
			api_db_error(r, rc);
		else
			http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
			             "No dossier matches that code and secret.", "code");
		free(f);
		return -1;
	}
	*out = f;
	return 0;
}

/*
 * GET /api/v1/tracking/{code}/receipt.pdf?pin=…: the applicant's own copy of the receipt,
 * once the desk has received the dossier (an online submission has none before).
 */
void api_tracking_receipt(struct http_req *r)
{
	struct params p;
	struct form_facts *f = NULL;

	if (load_tracked(r, &p, &f) != 0)
		return;
	if (f->received_at == 0) {
		http_problem(r, 409, "not_received", "Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận",
		             "The desk has not received the dossier yet: there is no receipt.", "code");
		goto out;
	}
	send_receipt(r, f, p.v[TR_PIN].s, p.v[TR_PIN].len, "");
out:
	free(f);
}

/* The control sheet's rows: each hand-over in the history, judged against its step's
 * due time where it had one. */
struct sheet_rows {
	struct control_row rows[MAX_ROWS];
	char text[MAX_ROWS][5][256];
	size_t n;
};

static int on_event(const struct history_row *h, void *arg)
{
	struct sheet_rows *s = arg;
	struct control_row *row;
	mc_time at = time_from_db(h->at), due = time_from_db(h->due_at);

	if (s->n == MAX_ROWS)
		return 0;
	/* the receiver of the previous hand-over is whoever acted next */
	if (s->n > 0) {
		snprintf(s->text[s->n - 1][1], sizeof s->text[0][1], "%s", h->unit_name ? h->unit_name : "");
		snprintf(s->text[s->n - 1][3], sizeof s->text[0][3], "%s", h->actor ? h->actor : "");
	}
	row = &s->rows[s->n];
	snprintf(s->text[s->n][0], sizeof s->text[0][0], "%s", h->unit_name ? h->unit_name : "");
	snprintf(s->text[s->n][2], sizeof s->text[0][2], "%s", h->actor ? h->actor : "");
	/* until someone acts next: the result goes to the applicant, anything else stays
	 * with the unit that acted */
	snprintf(s->text[s->n][1], sizeof s->text[0][1], "%s",
	         h->action && strcmp(h->action, "return") == 0 ? "Tổ chức, cá nhân nộp hồ sơ" : s->text[s->n][0]);
	s->text[s->n][3][0] = '\0';
	row->from_unit = s->text[s->n][0];
	row->to_unit = s->text[s->n][1];
	row->from_person = s->text[s->n][2];
	row->to_person = s->text[s->n][3];
	row->at = at;
	row->verdict = due ? deadline_classify(due, at, at) : DEADLINE_NONE;
	/* copied: the row's strings are reused by the next fetch */
	snprintf(s->text[s->n][4], sizeof s->text[0][4], "%s", h->step_name ? h->step_name : "");
	row->note = s->text[s->n][4];
	s->n++;
	return 0;
}

void api_dossier_control_sheet(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct form_facts *f = NULL;
	struct sheet_rows *rows = NULL;
	struct control_sheet_data d;
	unsigned char *pdf = NULL;
	size_t len = 0;
	char err[128], name[80];
	int rc, intact;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	f = calloc(1, sizeof *f);
	rows = calloc(1, sizeof *rows);
	if (!f || !rows) {
		http_internal_error(r, "out of memory");
		goto out;
	}
	if (load_facts(r, &me, f) != 0)
		goto out;
	if ((rc = history_read(r->db, f->id, f->code, on_event, rows, &intact)) != 0) {
		api_db_error(r, rc);
		goto out;
	}
	d = (struct control_sheet_data){
		.unit_name = f->unit_name, .dossier_code = f->code, .receipt_number = f->code,
		.handling_unit = f->unit_name, .coordinating_units = NULL, .rows = rows->rows,
		.nrows = rows->n,
	};
	if (form_control_sheet_pdf(&d, fonts(), &pdf, &len, err, sizeof err) != 0) {
		http_internal_error(r, err);
		goto out;
	}
	snprintf(name, sizeof name, "phieu-kiem-soat-%s.pdf", f->code);
	send_pdf(r, name, pdf, len);
out:
	free(pdf);
	free(rows);
	free(f);
}

/* ---- The letters to the applicant: supplement request, refusal, apology ---- */

enum letter { LETTER_SUPPLEMENT, LETTER_REFUSAL, LETTER_APOLOGY, LETTER__MAX };

#define MAX_ITEMS 100

/* What a letter needs beyond the dossier's facts, copied out of the row callbacks. */
struct letter_facts {
	struct json_object *items;              /* the supplement request's, owned */
	char note[4097], who[256], reason[4097];
	mc_time at, new_date;
};

static int on_supplement(const struct supplement_form_row *s, void *arg)
{
	struct letter_facts *l = arg;
	struct json_tokener *tok = json_tokener_new_ex(4);

	if (tok == NULL)
		return DB_ERR;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	l->items = json_tokener_parse_ex(tok, s->items, (int)strlen(s->items));
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(l->items, json_type_array)) {
		json_object_put(l->items);
		l->items = NULL;
	}
	json_tokener_free(tok);
	snprintf(l->note, sizeof l->note, "%s", s->note ? s->note : "");
	snprintf(l->who, sizeof l->who, "%s", s->requested_by ? s->requested_by : "");
	l->at = time_from_db(s->requested_at);
	return 0;
}

static int on_refusal(const struct refusal_form_row *e, void *arg)
{
	struct letter_facts *l = arg;

	snprintf(l->reason, sizeof l->reason, "%s", e->note ? e->note : "");
	snprintf(l->who, sizeof l->who, "%s", e->actor ? e->actor : "");
	l->at = time_from_db(e->at);
	return 0;
}

static int on_apology_letter(const struct apology_form_row *a, void *arg)
{
	struct letter_facts *l = arg;

	snprintf(l->reason, sizeof l->reason, "%s", a->reason ? a->reason : "");
	snprintf(l->who, sizeof l->who, "%s", a->approved_by ? a->approved_by : "");
	l->new_date = time_from_db(a->proposed_date);
	l->at = time_from_db(a->approved_at);
	return 0;
}

/* Loads what letter k needs: 0, 1 when the dossier has no such letter, or a DB_ERR*. */
static int load_letter(struct http_req *r, const struct form_facts *f, enum letter k,
                       struct letter_facts *l)
{
	int rc;

	switch (k) {
	case LETTER_SUPPLEMENT:
		rc = supplement_request_latest(r->db, f->id, on_supplement, l);
		if (rc == 0 && (l->items == NULL || json_object_array_length(l->items) == 0))
			rc = 1;         /* nothing asked for: no letter to print */
		return rc;
	case LETTER_REFUSAL:
		if (strcmp(f->state, "refused") != 0 && strcmp(f->state, "not_accepted") != 0)
			return 1;
		rc = refusal_event(r->db, f->id, on_refusal, l);
		if (rc < 0)
			return rc;
		if (rc == 1)            /* no event (imported data): the row's own facts */
			l->at = f->finished_at;
		/* the refusal's own reason is stored apart; the event's note may add to it */
		if (f->refusal_reason[0])
			snprintf(l->reason, sizeof l->reason, "%s", f->refusal_reason);
		return 0;
	case LETTER_APOLOGY:
		return apology_approved_latest(r->db, f->id, on_apology_letter, l);
	default:
		return 1;
	}
}

static const struct {
	const char *file, *code, *title_vi, *detail_en;
} letters[LETTER__MAX] = {
	[LETTER_SUPPLEMENT] = { "phieu-yeu-cau-bo-sung", "no_supplement_request",
		"Hồ sơ không có yêu cầu bổ sung", "The dossier has no supplement request." },
	[LETTER_REFUSAL] = { "phieu-tu-choi", "not_refused",
		"Hồ sơ không bị từ chối", "The dossier was neither refused nor turned away at reception." },
	[LETTER_APOLOGY] = { "phieu-xin-loi", "no_apology",
		"Hồ sơ không có phiếu xin lỗi đã được duyệt", "The dossier has no approved apology letter." },
};

/* Builds and sends letter k of the dossier in f. */
static void send_letter(struct http_req *r, const struct form_facts *f, enum letter k)
{
	struct letter_facts *l = calloc(1, sizeof *l);
	const char *items[MAX_ITEMS];
	unsigned char *pdf = NULL;
	size_t len = 0, n = 0;
	char url[1024], err[128], name[96];
	mc_time received = f->received_at ? f->received_at : f->submitted_at;
	int rc;

	if (l == NULL) {
		http_internal_error(r, "out of memory");
		return;
	}
	if ((rc = load_letter(r, f, k, l)) != 0) {
		if (rc < 0)
			api_db_error(r, rc);
		else
			http_problem(r, 409, letters[k].code, letters[k].title_vi, letters[k].detail_en, "code");
		goto out;
	}
	snprintf(url, sizeof url, "%s/tra-cuu.html?code=%s", r->cfg->public_url, f->code);
	if (k == LETTER_SUPPLEMENT) {
		for (size_t i = 0; i < json_object_array_length(l->items) && n < MAX_ITEMS; i++) {
			const char *s = json_object_get_string(json_object_array_get_idx(l->items, i));
			if (s && *s)
				items[n++] = s;
		}
		struct supplement_form_data d = {
			.unit_name = f->unit_name, .dossier_code = f->code, .applicant_name = f->applicant_name,
			.procedure_name = f->procedure_name, .items = items, .nitems = n, .note = l->note,
			.officer_name = l->who, .tracking_url = url, .received_at = received,
			.requested_at = l->at,
		};
		rc = form_supplement_pdf(&d, fonts(), &pdf, &len, err, sizeof err);
	} else if (k == LETTER_REFUSAL) {
		struct refusal_form_data d = {
			.unit_name = f->unit_name, .dossier_code = f->code, .applicant_name = f->applicant_name,
			.procedure_name = f->procedure_name,
			.reason = l->reason[0] ? l->reason : "(không ghi lý do)",
			.officer_name = l->who, .tracking_url = url,
			.not_accepted = strcmp(f->state, "not_accepted") == 0,
			.received_at = received, .refused_at = l->at ? l->at : received,
		};
		rc = form_refusal_pdf(&d, fonts(), &pdf, &len, err, sizeof err);
	} else {
		struct apology_form_data d = {
			.unit_name = f->unit_name, .dossier_code = f->code, .applicant_name = f->applicant_name,
			.procedure_name = f->procedure_name, .reason = l->reason, .leader_name = l->who,
			.tracking_url = url, .received_at = received, .due_at = f->due_at,
			.new_date = l->new_date, .approved_at = l->at,
		};
		rc = form_apology_pdf(&d, fonts(), &pdf, &len, err, sizeof err);
	}
	if (rc != 0) {
		http_internal_error(r, err);
		goto out;
	}
	snprintf(name, sizeof name, "%s-%s.pdf", letters[k].file, f->code);
	send_pdf(r, name, pdf, len);
out:
	free(pdf);
	json_object_put(l->items);
	free(l);
}

/* The officer's copy: any officer of the units the dossier is in. */
static void officer_letter(struct http_req *r, enum letter k)
{
	struct officer me;
	struct params p;
	struct form_facts *f = NULL;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	if ((f = calloc(1, sizeof *f)) == NULL) {
		http_internal_error(r, "out of memory");
		return;
	}
	if (load_facts(r, &me, f) == 0)
		send_letter(r, f, k);
	free(f);
}

/* The applicant's copy, with the receipt's secret. */
static void tracking_letter(struct http_req *r, enum letter k)
{
	struct params p;
	struct form_facts *f = NULL;

	if (load_tracked(r, &p, &f) != 0)
		return;
	send_letter(r, f, k);
	free(f);
}

void api_dossier_supplement_form(struct http_req *r) { officer_letter(r, LETTER_SUPPLEMENT); }
void api_dossier_refusal_form(struct http_req *r) { officer_letter(r, LETTER_REFUSAL); }
void api_dossier_apology_form(struct http_req *r) { officer_letter(r, LETTER_APOLOGY); }
void api_tracking_supplement_form(struct http_req *r) { tracking_letter(r, LETTER_SUPPLEMENT); }
void api_tracking_refusal_form(struct http_req *r) { tracking_letter(r, LETTER_REFUSAL); }
void api_tracking_apology_form(struct http_req *r) { tracking_letter(r, LETTER_APOLOGY); }

/* ---- Mẫu số 06: Sổ theo dõi hồ sơ ---- */

#define REGISTER_ROLES (ROLE_BIT(ROLE_DESK) | ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_MONITOR) | ROLE_BIT(ROLE_ADMIN))
#define REGISTER_MAX_DAYS 31
/* A commune's desk receives some tens of dossiers a day; this bounds the PDF's size. */
#define REGISTER_MAX_ROWS 5000

/* A local day YYYY-MM-DD as days since 1970-01-01; -1 if it is not one. */
static int64_t register_day(const char *s, size_t len)
{
	int y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 2000 || y > 2100 || !civil_valid_date(y, m, d))
		return -1;
	return days_from_civil(y, m, d);
}

static const char *check_register_day(const char *s, size_t len)
{
	return register_day(s, len) >= 0 ? NULL : "a date YYYY-MM-DD between 2000 and 2100";
}

enum { RG_UNIT, RG_FROM, RG_TO, RG__MAX };
static const struct param_spec register_params[RG__MAX] = {
	[RG_UNIT] = { "unit", PT_TOKEN, 0, 32, 0, 0, NULL, NULL },
	[RG_FROM] = { "from", PT_TEXT, 1, 10, 0, 0, NULL, check_register_day },
	[RG_TO]   = { "to", PT_TEXT, 1, 10, 0, 0, NULL, check_register_day },
};

/* The rows, with three strings of each copied (owned[3 * i .. 3 * i + 2]). */
struct register_list {
	struct register_entry *e;
	char **owned;
	size_t n, cap;
	int failed;
};

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int on_register_row(const struct register_row *row, void *arg)
{
	struct register_list *l = arg;
	struct register_entry *e;
	int st;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct register_entry *ne = realloc(l->e, cap * sizeof *ne);
		if (ne == NULL)
			goto oom;
		l->e = ne;
		char **no = realloc(l->owned, cap * 3 * sizeof *no);
		if (no == NULL)
			goto oom;
		l->owned = no;
		l->cap = cap;
	}
	e = &l->e[l->n];
	l->owned[3 * l->n] = dup_or_empty(row->code);
	l->owned[3 * l->n + 1] = dup_or_empty(row->procedure_name);
	l->owned[3 * l->n + 2] = dup_or_empty(row->applicant_name);
	l->n++;
	if (!l->owned[3 * l->n - 3] || !l->owned[3 * l->n - 2] || !l->owned[3 * l->n - 1])
		goto oom;
	st = dossier_state_from_code(row->state, strlen(row->state));
	*e = (struct register_entry){
		.code = l->owned[3 * l->n - 3], .procedure_name = l->owned[3 * l->n - 2],
		.applicant_name = l->owned[3 * l->n - 1],
		/* the label must outlive the row: a state this build does not know has none */
		.state_text = st >= 0 ? dossier_state_label_vi((enum dossier_state)st) : "Không xác định",
		.received_at = time_from_db(row->received_at), .due_at = time_from_db(row->due_at),
		.finished_at = time_from_db(row->finished_at), .returned_at = time_from_db(row->returned_at),
	};
	return 0;
oom:
	l->failed = 1;
	return 1;
}

static void register_list_free(struct register_list *l)
{
	for (size_t i = 0; i < 3 * l->n; i++)
		free(l->owned[i]);
	free(l->owned);
	free(l->e);
}

/*
 * GET /api/v1/reports/register.pdf?unit=&from=&to=: the dossiers the unit itself received
 * (its desk's register) over at most 31 local days, for desk officers, leaders, monitors
 * and administrators of a unit in their subtree (another unit: 404, as in the reports).
 */
void api_report_register(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct register_list list = { 0 };
	struct register_data d;
	struct civil c = { 0 };
	unsigned char *pdf = NULL;
	size_t len = 0;
	char unit_code[33], unit_name[256], path[513], err[128], name[96];
	long long unit_id = 0;
	int64_t from, to;
	mc_time from_t, to_t;
	int rc, y, m, dd;

	if (api_officer(r, REGISTER_ROLES, &me) != 0 || params_parse(r, register_params, RG__MAX, &p) != 0)
		return;
	snprintf(unit_code, sizeof unit_code, "%s", p.v[RG_UNIT].present ? p.v[RG_UNIT].s : me.unit_code);
	for (char *ch = unit_code; *ch; ch++)
		if (*ch >= 'a' && *ch <= 'z')
			*ch = (char)(*ch - 'a' + 'A');
	from = register_day(p.v[RG_FROM].s, p.v[RG_FROM].len);
	to = register_day(p.v[RG_TO].s, p.v[RG_TO].len);
	if (to < from) {
		params_reject(r, "to", "the period ends before it starts (to < from)");
		return;
	}
	if (to - from + 1 > REGISTER_MAX_DAYS) {
		params_reject(r, "to", "at most 31 days from `from`");
		return;
	}
	if ((rc = forms_unit_by_code(r->db, unit_code, &unit_id, unit_name, sizeof unit_name,
	                             path, sizeof path)) != 0) {
		if (rc == 1)
			params_reject(r, "unit", "no such unit");
		else
			api_db_error(r, rc);
		return;
	}
	if (strncmp(path, me.unit_path, strlen(me.unit_path)) != 0) {
		http_problem(r, 404, "not_found", "Không tìm thấy đơn vị trong phạm vi của bạn",
		             "No such unit among yours.", "unit");
		return;
	}
	/* local midnights of from and of the day after to */
	civil_from_days(from, &y, &m, &dd);
	c.year = y, c.month = m, c.day = dd;
	from_t = time_from_local(&c);
	civil_from_days(to + 1, &y, &m, &dd);
	c.year = y, c.month = m, c.day = dd;
	to_t = time_from_local(&c);
	rc = register_rows(r->db, unit_id, from_t, to_t, REGISTER_MAX_ROWS, on_register_row, &list);
	if (list.failed) {
		http_internal_error(r, "out of memory");
		goto out;
	}
	if (rc != 0) {
		api_db_error(r, rc);
		goto out;
	}
	if (list.n > REGISTER_MAX_ROWS) {
		http_problem(r, 422, "too_many_dossiers", "Khoảng thời gian có quá nhiều hồ sơ, hãy chọn khoảng ngắn hơn",
		             "More than 5000 dossiers in the period: choose a shorter one.", "to");
		goto out;
	}
	d = (struct register_data){
		.unit_name = unit_name, .from_day = from, .to_day = to, .rows = list.e, .nrows = list.n,
		.printed_at = time(NULL),
	};
	if (form_register_pdf(&d, fonts(), &pdf, &len, err, sizeof err) != 0) {
		http_internal_error(r, err);
		goto out;
	}
	snprintf(name, sizeof name, "so-theo-doi-ho-so-%s-%s-%s.pdf", unit_code, p.v[RG_FROM].s, p.v[RG_TO].s);
	send_pdf(r, name, pdf, len);
out:
	free(pdf);
	register_list_free(&list);
}
