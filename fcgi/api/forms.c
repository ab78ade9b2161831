/*
 * Printed forms of a dossier (Circular 01/2018/TT-VPCP):
 *   POST /api/v1/dossiers/{code}/receipt {pin}       Giấy tiếp nhận hồ sơ và hẹn trả kết quả
 *   GET  /api/v1/dossiers/{code}/control-sheet.pdf   Phiếu kiểm soát quá trình giải quyết
 * The receipt carries the secret in plain text, which the server keeps only hashed: the
 * desk sends it back (it was shown once at reception) and it is checked before printing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/params.h"
#include "domain/calendar.h"
#include "domain/deadline.h"
#include "domain/dossier_state.h"
#include "domain/workflow.h"
#include "forms/forms.h"
#include "store/dossier_store.h"
#include "store/history_store.h"
#include "store/officer_store.h"
#include "api.h"

#define MAX_DOCS 100
#define MAX_ROWS 200

/* What the forms need of the dossier, copied out of the row callbacks. */
struct form_facts {
	long long id, procedure_id;
	char code[49], unit_name[256], applicant_name[256], applicant_address[501],
	     applicant_phone[33], applicant_email[256], procedure_name[1001], result_channel[8];
	mc_time received_at, due_at;
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
 * GET /api/v1/tracking/{code}/receipt.pdf?pin=…: the applicant's own copy of the receipt,
 * once the desk has received the dossier (an online submission has none before). A wrong
 * secret and an unknown code get the same 404, as on the tracking page.
 */
void api_tracking_receipt(struct http_req *r)
{
	struct params p;
	struct form_facts *f = NULL;
	int rc;

	if (params_parse(r, tracking_receipt_params, TR__MAX, &p) != 0)
		return;
	if (p.v[TR_PIN].len < 8) {
		params_reject(r, "pin", "at least 8 characters");
		return;
	}
	api_code_upper(r);
	if ((f = calloc(1, sizeof *f)) == NULL) {
		http_internal_error(r, "out of memory");
		return;
	}
	/* the empty scope: any unit; the secret is the key here */
	rc = dossier_detail(r->db, r->args[0], "", on_facts, f);
	if (rc == 0)
		rc = dossier_documents(r->db, f->id, on_doc, f);
	if (rc < 0) {
		api_db_error(r, rc);
		goto out;
	}
	if (rc == 1) {
		http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
		             "No dossier matches that code and secret.", "code");
		goto out;
	}
	{
		unsigned char salt[16], hash[32];
		if ((rc = dossier_pin(r->db, f->id, salt, hash)) != 0 ||
		    !api_pin_matches(salt, hash, p.v[TR_PIN].s, p.v[TR_PIN].len)) {
			if (rc < 0)
				api_db_error(r, rc);
			else
				http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
				             "No dossier matches that code and secret.", "code");
			goto out;
		}
	}
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
