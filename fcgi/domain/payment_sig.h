/*
 * Signatures of payment-gateway messages, as the Vietnamese gateways (VNPay and the like)
 * make them: HMAC-SHA256, keyed with the merchant secret, over the parameters sorted by
 * name (byte order) and joined as "k=v&k=v", the signature parameter itself left out and
 * parameters with an empty value skipped. Values enter the string as they are (decoded),
 * so a message signs the same whether it travels in a query string, a form or JSON.
 * Pure: no I/O; the HMAC is OpenSSL's.
 */
#ifndef MOTCUA_DOMAIN_PAYMENT_SIG_H
#define MOTCUA_DOMAIN_PAYMENT_SIG_H

#include <stddef.h>

struct pay_param {
	const char *name;
	const char *value;
};

#define PAY_PARAMS_MAX 32
#define PAY_SIG_HEX_LEN 64

/*
 * The canonical text of p[0..n) without the parameter named skip (may be NULL), into out
 * (outsz bytes, NUL-terminated). Returns its length, or -1 if n > PAY_PARAMS_MAX, a name
 * is empty or repeated, a name or value holds '&' or '=' in a name, or out is too small.
 */
long payment_sig_canonical(const struct pay_param *p, size_t n, const char *skip,
                           char *out, size_t outsz);

/* The lower-case hex HMAC-SHA256 of the canonical text into hex (65 bytes). 0, or -1 as
 * payment_sig_canonical fails. */
int payment_sig_sign(const char *secret, size_t secret_len, const struct pay_param *p, size_t n,
                     const char *skip, char hex[PAY_SIG_HEX_LEN + 1]);

/* 1 if sig (hex, either case) is the signature of p[0..n) without skip; compared in
 * constant time. 0 otherwise (malformed, wrong length, wrong value). */
int payment_sig_verify(const char *secret, size_t secret_len, const struct pay_param *p, size_t n,
                       const char *skip, const char *sig);

#endif
