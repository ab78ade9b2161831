/*
 * Online payment of a dossier's fees (DOMAIN.md: online payment counts in the 766 index):
 *   POST /api/v1/tracking/{code}/payments {pin}   the applicant opens an order; answers the
 *                                                 gateway URL to send the browser to
 *   POST /api/v1/payments/notify                  the gateway's signed notification (IPN)
 *   POST /api/v1/payments/return                  the browser back from the gateway (its
 *                                                 parameters, posted by /thanh-toan.html)
 *   POST /api/v1/test-gateway/check               the built-in test gateway checks an order
 *   POST /api/v1/test-gateway/pay                 its "pay" / "cancel" buttons
 * (the test gateway's page is www/thanh-toan-thu-nghiem.html)
 *
 * Only the notification settles an order: in one transaction the order is marked paid,
 * its receipt (biên lai) is recorded and the dossier's 'pay' action is applied through the
 * officers' workflow path (api_dossier_act), which takes it back to processing. A
 * notification for an order already settled changes nothing and is answered as the first
 * one was, so gateways may repeat them. A bad signature is a 403, an amount other than
 * the order's a 422, an unknown order a 404.
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
#include "core/payment.h"
#include "domain/action.h"
#include "domain/dossier_code.h"
#include "domain/workflow.h"
#include "store/payment_store.h"
#include "store/tracking_store.h"
#include "api.h"

#define TX_RETRIES 3

static const struct payment_gateway *gateway(struct http_req *r)
{
	const struct payment_gateway *g = payment_gateway_find(r->cfg->payment_gateway);

	if (!g || !r->cfg->payment_secret[0]) {
		http_problem(r, 503, "payment_unavailable", "Thanh toán trực tuyến chưa được cấu hình",
		             "Online payment is not configured on this server.", NULL);
		return NULL;
	}
	return g;
}

static struct json_object *order_json(const struct payment_order *o)
{
	struct json_object *j = json_object_new_object(), *rc;
	char iso[32];

	json_put_str(j, "order", o->order_ref);
	json_put_str(j, "dossier_code", o->dossier_code);
	json_put_str(j, "gateway", o->gateway);
	json_put_int(j, "amount_vnd", o->amount_vnd);
	json_put_str(j, "status", o->status);
	time_format_iso(o->created_at, iso, sizeof iso);
	json_put_str(j, "created_at", iso);
	if (o->settled_at) {
		time_format_iso(o->settled_at, iso, sizeof iso);
		json_put_str(j, "settled_at", iso);
	} else {
		json_object_object_add(j, "settled_at", NULL);
	}
	if (o->receipt_number[0]) {
		rc = json_object_new_object();
		json_put_str(rc, "number", o->receipt_number);
		json_put_int(rc, "amount_vnd", o->amount_vnd);
		time_format_iso(o->receipt_issued_at, iso, sizeof iso);
		json_put_str(rc, "issued_at", iso);
		json_object_object_add(j, "receipt", rc);
	} else {
		json_object_object_add(j, "receipt", NULL);
	}
	return j;
}

/* ---------------------------------------------------------------- opening an order */

enum { O_PIN, O__MAX };

static const struct jin_spec order_spec[O__MAX] = {
	[O_PIN] = { "pin", JIN_TEXT, 1, 8, 64, 0, 0, NULL, NULL },
};

struct pick { const char *pin; size_t pin_len; int ok; long long id; char state[24]; char code[49]; };

static int on_tracked(const struct tracked_dossier *d, void *arg)
{
	struct pick *p = arg;

	if (!api_pin_matches(d->pin_salt, d->pin_hash, p->pin, p->pin_len))
		return 0;
	p->ok = 1;
	p->id = d->id;
	snprintf(p->state, sizeof p->state, "%s", d->state);
	snprintf(p->code, sizeof p->code, "%s", d->code);
	return 0;
}

int api_tracked_with_pin(struct http_req *r, const char *pin, size_t pin_len, long long *id,
                         char state[24], char code[49])
{
	struct pick p = { pin, pin_len, 0, 0, "", "" };
	struct dossier_code dc;
	int rc;

	api_code_upper(r);
	if (dossier_code_parse(r->args[0], r->arg_len[0], &dc) != DOSSIER_CODE_OK) {
		http_problem(r, 400, "invalid_parameter", "Mã hồ sơ không đúng định dạng",
		             "Not a dossier code.", "code");
		return -1;
	}
	rc = tracking_dossier(r->db, r->args[0], on_tracked, NULL, &p);
	if (rc < 0) {
		api_db_error(r, rc);
		return -1;
	}
	if (rc == 1 || !p.ok) {
		http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
		             "No dossier matches that code and secret.", "code");
		return -1;
	}
	*id = p.id;
	memcpy(state, p.state, 24);
	memcpy(code, p.code, 49);
	return 0;
}

void api_payment_order_create(struct http_req *r)
{
	const struct payment_gateway *g;
	struct jin in;
	struct payment_order o;
	struct payment_request_out req;
	char state[24], code[49], ref[41], rnd[13], url[4096], ret[600], info[128];
	unsigned char bytes[6];
	struct civil lc;
	long long id, amount = 0;
	mc_time now = time(NULL);
	int rc;

	memset(&in, 0, sizeof in);
	if ((g = gateway(r)) == NULL)
		return;
	if (json_body_parse(r, 4096, order_spec, O__MAX, &in) != 0)
		goto out;
	if (api_tracked_with_pin(r, in.v[O_PIN].s, in.v[O_PIN].len, &id, state, code) != 0)
		goto out;
	if (strcmp(state, "awaiting_payment") != 0) {
		http_problem(r, 409, "invalid_state", "Hồ sơ không ở trạng thái chờ thực hiện nghĩa vụ tài chính",
		             "The dossier is not awaiting payment.", "code");
		goto out;
	}
	if ((rc = payment_amount_due(r->db, id, &amount)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	if (amount <= 0) {
		http_problem(r, 422, "nothing_to_pay", "Hồ sơ không có khoản phí, lệ phí phải nộp",
		             "The dossier has no fee to pay online.", "code");
		goto out;
	}
	if (crypto_random(bytes, sizeof bytes) != 0) {
		http_internal_error(r, "random generator failed");
		goto out;
	}
	for (int i = 0; i < 6; i++)
		snprintf(rnd + 2 * i, 3, "%02X", bytes[i]);
	time_to_local(now, &lc);
	snprintf(ref, sizeof ref, "TT%02d%02d%02d%02d%02d%02d%.12s", lc.year % 100, lc.month % 100,
	         lc.day % 100, lc.hour % 100, lc.min % 100, lc.sec % 100, rnd);
	snprintf(ret, sizeof ret, "%s/thanh-toan.html", r->cfg->public_url);
	snprintf(info, sizeof info, "Thanh toan phi le phi ho so %s", code);
	req = (struct payment_request_out){ ref, amount, info, ret, now };
	if (g->redirect_url(g, r->cfg, &req, url, sizeof url) != 0) {
		http_internal_error(r, "redirect URL does not fit");
		goto out;
	}
	if ((rc = payment_order_insert(r->db, ref, id, g->name, amount, now)) != 0 ||
	    (rc = payment_order_get(r->db, ref, &o)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	{
		struct json_object *j = order_json(&o);
		json_put_str(j, "redirect_url", url);
		http_json(r, 201, j);
	}
out:
	jin_free(&in);
}

/* ---------------------------------------------------------------- settling */

struct settled {
	int status;                     /* 200, or the problem's */
	const char *code, *title, *detail;
	struct payment_order order;
};

/* Verifies and applies one gateway result; fills *s, answers nothing. */
static void settle(struct http_req *r, const struct payment_gateway *g, const struct pay_param *p,
                   size_t n, struct settled *s)
{
	struct payment_result res;
	enum payment_verdict v = g->verify(g, r->cfg, p, n, &res);
	int rc = 0;

	memset(s, 0, sizeof *s);
	if (v == PAYMENT_MALFORMED) {
		*s = (struct settled){ 400, "invalid_notification", "Thông báo thanh toán không hợp lệ",
		                       "The notification lacks a parameter or has one out of shape.", { 0 } };
		return;
	}
	if (v != PAYMENT_OK) {
		*s = (struct settled){ 403, "invalid_signature", "Chữ ký thông báo thanh toán không hợp lệ",
		                       "The notification's signature does not verify.", { 0 } };
		return;
	}
	for (int attempt = 0; attempt < TX_RETRIES; attempt++) {
		char number[33], note[256];
		mc_time now = time(NULL);
		int verdict;

		if ((rc = db_begin(r->db)) != 0)
			break;
		if ((rc = payment_order_lock(r->db, res.order_ref, &s->order)) != 0) {
			db_rollback(r->db);
			if (rc == 1) {
				*s = (struct settled){ 404, "order_not_found", "Không tìm thấy giao dịch thanh toán",
				                       "No payment order has that reference.", { 0 } };
				return;
			}
			break;
		}
		if (res.amount_vnd != s->order.amount_vnd) {
			db_rollback(r->db);
			s->status = 422;
			s->code = "amount_mismatch";
			s->title = "Số tiền không khớp với giao dịch";
			s->detail = "The amount differs from the order's.";
			return;
		}
		if (strcmp(s->order.status, "pending") != 0) {
			/* a repeated notification: the first one's answer, nothing new */
			db_rollback(r->db);
			s->status = 200;
			return;
		}
		if (!res.success) {
			if ((rc = payment_order_settle(r->db, s->order.id, "failed", res.gateway_txn,
			                               res.response_code, now)) != 0)
				goto rollback;
		} else {
			if ((rc = payment_order_settle(r->db, s->order.id, "paid", res.gateway_txn,
			                               res.response_code, now)) != 0 ||
			    (rc = payment_receipt_insert(r->db, &s->order, now, number)) != 0)
				goto rollback;
			snprintf(note, sizeof note, "Thanh toán trực tuyến %lld đồng, biên lai %s",
			         s->order.amount_vnd, number);
			rc = api_dossier_act(r, s->order.dossier_code, ACT_PAY, ACTOR_APPLICANT, "applicant",
			                     note, &verdict);
			if (rc < 0)
				goto rollback;
			/* the money is taken whatever the dossier did meanwhile (an officer may have
			 * recorded a payment at the desk): the receipt stands, the log says so */
			if (rc == 1)
				log_msg(LOG_LVL_WARN, "payment %s: dossier %s did not take 'pay' (verdict %d)",
				        s->order.order_ref, s->order.dossier_code, verdict);
		}
		if ((rc = db_commit(r->db)) != 0)
			goto rollback;
		if ((rc = payment_order_get(r->db, res.order_ref, &s->order)) != 0)
			break;
		s->status = 200;
		return;
rollback:
		db_rollback(r->db);
		if (rc != DB_ERR_RETRY)
			break;
	}
	s->status = rc == DB_ERR_CONN ? 503 : 500;
}

static void answer_settled(struct http_req *r, struct settled *s)
{
	if (s->status == 500 || s->status == 503) {
		api_db_error(r, s->status == 503 ? DB_ERR_CONN : DB_ERR);
		return;
	}
	if (s->status != 200) {
		http_problem(r, s->status, s->code, s->title, s->detail, NULL);
		return;
	}
	http_json(r, 200, order_json(&s->order));
}

enum { N_TMN, N_AMOUNT, N_REF, N_RESP, N_TXN, N_DATE, N_HASH, N__MAX };

static const char *const result_names[N__MAX] = {
	PAY_P_TMN_CODE, PAY_P_AMOUNT, PAY_P_TXN_REF, PAY_P_RESPONSE, PAY_P_TXN_NO, PAY_P_PAY_DATE, PAY_P_HASH,
};

static const struct jin_spec notify_spec[N__MAX] = {
	[N_TMN]    = { PAY_P_TMN_CODE, JIN_TEXT, 0, 0, 32, 0, 0, NULL, NULL },
	[N_AMOUNT] = { PAY_P_AMOUNT, JIN_TEXT, 1, 1, 24, 0, 0, NULL, NULL },
	[N_REF]    = { PAY_P_TXN_REF, JIN_TEXT, 1, 1, 40, 0, 0, NULL, NULL },
	[N_RESP]   = { PAY_P_RESPONSE, JIN_TEXT, 1, 1, 8, 0, 0, NULL, NULL },
	[N_TXN]    = { PAY_P_TXN_NO, JIN_TEXT, 0, 0, 64, 0, 0, NULL, NULL },
	[N_DATE]   = { PAY_P_PAY_DATE, JIN_TEXT, 0, 0, 14, 0, 0, NULL, NULL },
	[N_HASH]   = { PAY_P_HASH, JIN_TEXT, 1, 64, 64, 0, 0, NULL, NULL },
};

void api_payment_notify(struct http_req *r)
{
	const struct payment_gateway *g;
	struct jin in;
	struct pay_param p[N__MAX];
	struct settled s;
	size_t n = 0;

	memset(&in, 0, sizeof in);
	if ((g = gateway(r)) == NULL)
		return;
	if (json_body_parse(r, 8192, notify_spec, N__MAX, &in) != 0)
		goto out;
	for (int k = 0; k < N__MAX; k++)
		if (in.v[k].present)
			p[n++] = (struct pay_param){ result_names[k], in.v[k].s };
	settle(r, g, p, n, &s);
	answer_settled(r, &s);
out:
	jin_free(&in);
}

/* The browser back from the gateway, through the portal's page /thanh-toan.html, which
 * posts the parameters here: the signature checked, the order as the notification left it
 * (the return itself settles nothing). */
void api_payment_return(struct http_req *r)
{
	const struct payment_gateway *g;
	struct jin in;
	struct pay_param p[N__MAX];
	struct payment_result res;
	struct payment_order o;
	size_t n = 0;
	int rc;

	memset(&in, 0, sizeof in);
	if ((g = gateway(r)) == NULL)
		return;
	if (json_body_parse(r, 8192, notify_spec, N__MAX, &in) != 0)
		goto out;
	for (int k = 0; k < N__MAX; k++)
		if (in.v[k].present)
			p[n++] = (struct pay_param){ result_names[k], in.v[k].s };
	if (g->verify(g, r->cfg, p, n, &res) != PAYMENT_OK) {
		http_problem(r, 403, "invalid_signature", "Chữ ký kết quả thanh toán không hợp lệ",
		             "The return's signature does not verify.", NULL);
		goto out;
	}
	if ((rc = payment_order_get(r->db, res.order_ref, &o)) != 0) {
		if (rc == 1)
			http_problem(r, 404, "order_not_found", "Không tìm thấy giao dịch thanh toán",
			             "No payment order has that reference.", NULL);
		else
			api_db_error(r, rc);
		goto out;
	}
	{
		struct json_object *j = order_json(&o);
		json_put_str(j, "gateway_response", res.success ? "success" : "failure");
		http_json(r, 200, j);
	}
out:
	jin_free(&in);
}

/* ---------------------------------------------------------------- the test gateway */

/* Its page is www/thanh-toan-thu-nghiem.html; these two calls are what it asks of "the
 * gateway's server", which knows the merchant secret. */
enum { G_VERSION, G_COMMAND, G_TMN, G_AMOUNT, G_CURR, G_REF, G_INFO, G_RETURN, G_CREATED,
       G_LOCALE, G_HASH, G_DECISION, G__MAX };

static const char *const decisions[] = { "pay", "cancel", NULL };

static const struct jin_spec gateway_spec[G__MAX] = {
	[G_VERSION]  = { "vnp_Version", JIN_TEXT, 1, 1, 16, 0, 0, NULL, NULL },
	[G_COMMAND]  = { "vnp_Command", JIN_TEXT, 1, 1, 16, 0, 0, NULL, NULL },
	[G_TMN]      = { PAY_P_TMN_CODE, JIN_TEXT, 1, 1, 32, 0, 0, NULL, NULL },
	[G_AMOUNT]   = { PAY_P_AMOUNT, JIN_TEXT, 1, 1, 24, 0, 0, NULL, NULL },
	[G_CURR]     = { "vnp_CurrCode", JIN_TEXT, 1, 1, 8, 0, 0, NULL, NULL },
	[G_REF]      = { PAY_P_TXN_REF, JIN_TEXT, 1, 1, 40, 0, 0, NULL, NULL },
	[G_INFO]     = { PAY_P_ORDER_INFO, JIN_TEXT, 1, 1, 255, 0, 0, NULL, NULL },
	[G_RETURN]   = { PAY_P_RETURN_URL, JIN_TEXT, 1, 1, 512, 0, 0, NULL, NULL },
	[G_CREATED]  = { PAY_P_CREATE_DATE, JIN_TEXT, 1, 14, 14, 0, 0, NULL, NULL },
	[G_LOCALE]   = { "vnp_Locale", JIN_TEXT, 0, 0, 8, 0, 0, NULL, NULL },
	[G_HASH]     = { PAY_P_HASH, JIN_TEXT, 1, 64, 64, 0, 0, NULL, NULL },
	[G_DECISION] = { "decision", JIN_ENUM, 0, 0, 0, 0, 0, decisions, NULL },
};

/* The merchant's request as the gateway checks it: its signature, and a return URL on
 * this service (the test gateway sends browsers nowhere else). p gets the signed
 * parameters (not the decision, which is the gateway's own). 0, or -1 answered. */
static int merchant_request(struct http_req *r, struct jin *in, struct pay_param p[G__MAX], size_t *n)
{
	const char *ret;
	size_t pl = strlen(r->cfg->public_url);

	*n = 0;
	for (int k = 0; k < G_DECISION; k++)
		if (in->v[k].present)
			p[(*n)++] = (struct pay_param){ gateway_spec[k].name, in->v[k].s };
	if (!payment_sig_verify(r->cfg->payment_secret, strlen(r->cfg->payment_secret), p, *n,
	                        PAY_P_HASH, in->v[G_HASH].s)) {
		http_problem(r, 403, "invalid_signature", "Chữ ký yêu cầu thanh toán không hợp lệ",
		             "The payment request's signature does not verify.", NULL);
		return -1;
	}
	ret = in->v[G_RETURN].s;
	if (strncmp(ret, r->cfg->public_url, pl) != 0 || ret[pl] != '/' || strchr(ret, '?')) {
		http_problem(r, 422, "invalid_field", "Địa chỉ trả về không hợp lệ",
		             "The return URL is not a page of this service.", PAY_P_RETURN_URL);
		return -1;
	}
	return 0;
}

void api_test_gateway_check(struct http_req *r)
{
	struct jin in;
	struct pay_param p[G__MAX];
	size_t n;

	memset(&in, 0, sizeof in);
	if (gateway(r) == NULL)
		return;
	if (json_body_parse(r, 8192, gateway_spec, G__MAX, &in) != 0 || merchant_request(r, &in, p, &n) != 0)
		goto out;
	{
		struct json_object *j = json_object_new_object();
		json_put_str(j, "merchant", in.v[G_TMN].s);
		json_put_str(j, "order", in.v[G_REF].s);
		json_put_int(j, "amount_vnd", strtoll(in.v[G_AMOUNT].s, NULL, 10) / 100);
		json_put_str(j, "description", in.v[G_INFO].s);
		http_json(r, 200, j);
	}
out:
	jin_free(&in);
}

/* "pay" or "cancel": the gateway signs its result, notifies the service through the very
 * function POST /api/v1/payments/notify runs (in-process: the test gateway lives in this
 * service), and answers the return URL with the signed result for the browser to go to. */
void api_test_gateway_pay(struct http_req *r)
{
	const struct payment_gateway *g;
	struct jin in;
	struct pay_param p[G__MAX], res[N__MAX];
	struct settled s;
	char txn[24], date[32], sig[PAY_SIG_HEX_LEN + 1], url[2048];
	size_t n = 0, m = 0;
	unsigned char rnd[4] = { 0, 0, 0, 0 };
	struct civil lc;
	int pay;

	memset(&in, 0, sizeof in);
	if ((g = gateway(r)) == NULL)
		return;
	if (json_body_parse(r, 8192, gateway_spec, G__MAX, &in) != 0)
		goto out;
	if (!in.v[G_DECISION].present) {
		http_problem(r, 400, "missing_field", "Cần chọn thanh toán hoặc hủy",
		             "This call needs 'decision': pay or cancel.", "decision");
		goto out;
	}
	if (merchant_request(r, &in, p, &n) != 0)
		goto out;
	pay = in.v[G_DECISION].i == 0;
	if (crypto_random(rnd, sizeof rnd) != 0) {
		http_internal_error(r, "random generator failed");
		goto out;
	}
	snprintf(txn, sizeof txn, "%u", ((unsigned)rnd[0] << 24 | (unsigned)rnd[1] << 16 |
	                                 (unsigned)rnd[2] << 8 | rnd[3]) % 100000000u);
	time_to_local(time(NULL), &lc);
	snprintf(date, sizeof date, "%04d%02d%02d%02d%02d%02d", lc.year, lc.month, lc.day, lc.hour, lc.min, lc.sec);
	res[m++] = (struct pay_param){ PAY_P_TMN_CODE, in.v[G_TMN].s };
	res[m++] = (struct pay_param){ PAY_P_AMOUNT, in.v[G_AMOUNT].s };
	res[m++] = (struct pay_param){ PAY_P_TXN_REF, in.v[G_REF].s };
	res[m++] = (struct pay_param){ PAY_P_RESPONSE, pay ? "00" : "24" };
	res[m++] = (struct pay_param){ PAY_P_TXN_NO, txn };
	res[m++] = (struct pay_param){ PAY_P_PAY_DATE, date };
	if (payment_sig_sign(r->cfg->payment_secret, strlen(r->cfg->payment_secret), res, m, NULL, sig) != 0) {
		http_internal_error(r, "signing failed");
		goto out;
	}
	res[m++] = (struct pay_param){ PAY_P_HASH, sig };
	settle(r, g, res, m, &s);
	if (s.status != 200) {
		answer_settled(r, &s);
		goto out;
	}
	snprintf(url, sizeof url, "%s?", in.v[G_RETURN].s);
	for (size_t i = 0; i < m; i++) {
		size_t len = strlen(url);
		snprintf(url + len, sizeof url - len, "%s%s=", i ? "&" : "", res[i].name);
		if (payment_url_append(url, sizeof url, res[i].value) != 0) {
			http_internal_error(r, "return URL does not fit");
			goto out;
		}
	}
	{
		struct json_object *j = json_object_new_object();
		json_put_str(j, "return_url", url);
		json_object_object_add(j, "notification", order_json(&s.order));
		http_json(r, 200, j);
	}
out:
	jin_free(&in);
}
