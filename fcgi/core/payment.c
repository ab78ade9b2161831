#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "payment.h"

const char *payment_param(const struct pay_param *p, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].name, name) == 0)
			return p[i].value;
	return NULL;
}

int payment_url_append(char *buf, size_t bufsz, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(buf);

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		int keep = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		           ch == '-' || ch == '.' || ch == '_' || ch == '~';
		if (len + (keep ? 1 : 3) + 1 > bufsz)
			return -1;
		if (keep) {
			buf[len++] = (char)ch;
		} else {
			buf[len++] = '%';
			buf[len++] = hex[ch >> 4];
			buf[len++] = hex[ch & 15];
		}
	}
	buf[len] = '\0';
	return 0;
}

static void yyyymmddhhmmss(mc_time t, char out[15])
{
	struct civil c;
	char buf[64];

	time_to_local(t, &c);
	snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", c.year, c.month, c.day, c.hour, c.min, c.sec);
	snprintf(out, 15, "%.14s", buf);
}

static int test_redirect_url(const struct payment_gateway *g, const struct config *cfg,
                             const struct payment_request_out *o, char *url, size_t urlsz)
{
	char amount[32], created[15], sig[PAY_SIG_HEX_LEN + 1];
	struct pay_param p[] = {
		{ "vnp_Version", "2.1.0" }, { "vnp_Command", "pay" }, { PAY_P_TMN_CODE, PAY_TEST_TMN_CODE },
		{ PAY_P_AMOUNT, amount }, { "vnp_CurrCode", "VND" }, { PAY_P_TXN_REF, o->order_ref },
		{ PAY_P_ORDER_INFO, o->description }, { PAY_P_RETURN_URL, o->return_url },
		{ PAY_P_CREATE_DATE, created }, { "vnp_Locale", "vn" },
	};
	size_t n = sizeof p / sizeof p[0];

	(void)g;
	if (!cfg->payment_secret[0])
		return -1;
	snprintf(amount, sizeof amount, "%lld", o->amount_vnd * 100);
	yyyymmddhhmmss(o->created_at, created);
	if (payment_sig_sign(cfg->payment_secret, strlen(cfg->payment_secret), p, n, PAY_P_HASH, sig) != 0)
		return -1;
	if ((size_t)snprintf(url, urlsz, "%s/thanh-toan-thu-nghiem.html?", cfg->public_url) >= urlsz)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(url);
		if (len + strlen(p[i].name) + 3 > urlsz)
			return -1;
		snprintf(url + len, urlsz - len, "%s=", p[i].name);
		if (payment_url_append(url, urlsz, p[i].value) != 0)
			return -1;
		if (strlen(url) + 2 > urlsz)
			return -1;
		strcat(url, "&");
	}
	if (strlen(url) + strlen(PAY_P_HASH) + 1 + PAY_SIG_HEX_LEN + 1 > urlsz)
		return -1;
	strcat(url, PAY_P_HASH "=");
	strcat(url, sig);
	return 0;
}

static enum payment_verdict test_verify(const struct payment_gateway *g, const struct config *cfg,
                                        const struct pay_param *p, size_t n, struct payment_result *out)
{
	const char *ref = payment_param(p, n, PAY_P_TXN_REF), *amount = payment_param(p, n, PAY_P_AMOUNT),
	           *resp = payment_param(p, n, PAY_P_RESPONSE), *txn = payment_param(p, n, PAY_P_TXN_NO),
	           *sig = payment_param(p, n, PAY_P_HASH);
	char *end;
	long long a;

	(void)g;
	if (!ref || !amount || !resp || !sig || !*ref || strlen(ref) >= sizeof out->order_ref ||
	    strlen(resp) >= sizeof out->response_code || (txn && strlen(txn) >= sizeof out->gateway_txn))
		return PAYMENT_MALFORMED;
	a = strtoll(amount, &end, 10);
	if (end == amount || *end || a < 0 || a % 100 != 0)
		return PAYMENT_MALFORMED;
	if (!cfg->payment_secret[0] ||
	    !payment_sig_verify(cfg->payment_secret, strlen(cfg->payment_secret), p, n, PAY_P_HASH, sig))
		return PAYMENT_BAD_SIGNATURE;
	memset(out, 0, sizeof *out);
	snprintf(out->order_ref, sizeof out->order_ref, "%s", ref);
	snprintf(out->response_code, sizeof out->response_code, "%s", resp);
	snprintf(out->gateway_txn, sizeof out->gateway_txn, "%s", txn ? txn : "");
	out->amount_vnd = a / 100;
	out->success = strcmp(resp, "00") == 0;
	return PAYMENT_OK;
}

static const struct payment_gateway gateways[] = {
	{ "test", test_redirect_url, test_verify },
};

const struct payment_gateway *payment_gateway_find(const char *name)
{
	for (size_t i = 0; i < sizeof gateways / sizeof gateways[0]; i++)
		if (strcmp(gateways[i].name, name) == 0)
			return &gateways[i];
	return NULL;
}
