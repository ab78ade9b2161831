/*
 * Payment gateways, as the Vietnamese ones work (VNPay, and Momo/ZaloPay/the national
 * portal's payment platform in the same shape): the portal sends the browser to the
 * gateway with the order in signed parameters; the gateway takes the money, sends the
 * browser back to the return URL with a signed result, and posts the same signed result
 * to the service (IPN, server to server). Only the IPN settles an order; the return only
 * shows where things stand.
 *
 * A gateway is a table of functions. The built-in "test" gateway is part of this service
 * (the page www/thanh-toan-thu-nghiem.html and POST /api/v1/test-gateway/{check,pay}) and speaks VNPay's parameter names (vnp_TxnRef,
 * vnp_Amount in hundredths of a đồng, vnp_ResponseCode "00" for success,
 * vnp_SecureHash), signed with HMAC-SHA256 (domain/payment_sig.h) under
 * MOTCUA_PAYMENT_SECRET. A real gateway is another entry in the table named by
 * MOTCUA_PAYMENT_GATEWAY, with its own URL and merchant code.
 */
#ifndef MOTCUA_CORE_PAYMENT_H
#define MOTCUA_CORE_PAYMENT_H

#include <stddef.h>

#include "domain/payment_sig.h"
#include "domain/timeutil.h"

struct config;

struct payment_request_out {
	const char *order_ref;          /* unique, [A-Za-z0-9-], at most 40 */
	long long amount_vnd;
	const char *description;        /* ASCII: gateways refuse diacritics */
	const char *return_url;
	mc_time created_at;
};

/* A verified result, from a return or a notification. */
struct payment_result {
	char order_ref[41];
	long long amount_vnd;
	int success;                    /* the gateway says the money was taken */
	char gateway_txn[65];
	char response_code[9];
};

enum payment_verdict {
	PAYMENT_OK = 0,
	PAYMENT_MALFORMED,              /* a parameter missing or out of shape: 400 */
	PAYMENT_BAD_SIGNATURE,          /* 403 */
	PAYMENT__MAX
};

struct payment_gateway {
	const char *name;
	/* The URL to send the browser to, with the order in signed parameters, into url
	 * (urlsz bytes). 0, or -1 when it does not fit or the secret is missing. */
	int (*redirect_url)(const struct payment_gateway *g, const struct config *cfg,
	                    const struct payment_request_out *o, char *url, size_t urlsz);
	/* Checks a return or notification given as decoded parameters; fills *out on OK.
	 * The signature is compared in constant time. */
	enum payment_verdict (*verify)(const struct payment_gateway *g, const struct config *cfg,
	                               const struct pay_param *p, size_t n, struct payment_result *out);
};

/* The gateway named in the configuration, or NULL if there is none by that name. */
const struct payment_gateway *payment_gateway_find(const char *name);

/* The parameter names of the test gateway (VNPay's). */
#define PAY_P_TXN_REF     "vnp_TxnRef"
#define PAY_P_AMOUNT      "vnp_Amount"
#define PAY_P_RESPONSE    "vnp_ResponseCode"
#define PAY_P_TXN_NO      "vnp_TransactionNo"
#define PAY_P_PAY_DATE    "vnp_PayDate"
#define PAY_P_TMN_CODE    "vnp_TmnCode"
#define PAY_P_ORDER_INFO  "vnp_OrderInfo"
#define PAY_P_RETURN_URL  "vnp_ReturnUrl"
#define PAY_P_CREATE_DATE "vnp_CreateDate"
#define PAY_P_HASH        "vnp_SecureHash"
#define PAY_TEST_TMN_CODE "MOTCUA01"

/* The value of name in p[0..n), or NULL. */
const char *payment_param(const struct pay_param *p, size_t n, const char *name);
/* Percent-encodes s (RFC 3986 unreserved kept) onto the end of buf; -1 if it does not fit. */
int payment_url_append(char *buf, size_t bufsz, const char *s);

#endif
