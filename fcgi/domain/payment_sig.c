#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "payment_sig.h"

static int by_name(const void *a, const void *b)
{
	const struct pay_param *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

long payment_sig_canonical(const struct pay_param *p, size_t n, const char *skip,
                           char *out, size_t outsz)
{
	const struct pay_param *sorted[PAY_PARAMS_MAX];
	size_t m = 0, len = 0;

	if (n > PAY_PARAMS_MAX || out == NULL || outsz == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!p[i].name || !*p[i].name || strpbrk(p[i].name, "&="))
			return -1;
		if (skip && strcmp(p[i].name, skip) == 0)
			continue;
		if (!p[i].value || !*p[i].value)
			continue;
		sorted[m++] = &p[i];
	}
	qsort(sorted, m, sizeof sorted[0], by_name);
	for (size_t i = 0; i < m; i++) {
		size_t nl = strlen(sorted[i]->name), vl = strlen(sorted[i]->value);
		if (i > 0 && strcmp(sorted[i - 1]->name, sorted[i]->name) == 0)
			return -1;
		/* '&' + name + '=' + value, and the final NUL */
		if (len + (i > 0) + nl + 1 + vl + 1 > outsz)
			return -1;
		if (i > 0)
			out[len++] = '&';
		memcpy(out + len, sorted[i]->name, nl);
		len += nl;
		out[len++] = '=';
		memcpy(out + len, sorted[i]->value, vl);
		len += vl;
	}
	out[len] = '\0';
	return (long)len;
}

int payment_sig_sign(const char *secret, size_t secret_len, const struct pay_param *p, size_t n,
                     const char *skip, char hex[PAY_SIG_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	char text[8192];
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	long len = payment_sig_canonical(p, n, skip, text, sizeof text);

	if (len < 0 || secret_len > 0x7fffffff ||
	    HMAC(EVP_sha256(), secret, (int)secret_len, (const unsigned char *)text, (size_t)len,
	         mac, &maclen) == NULL || maclen != 32)
		return -1;
	for (unsigned i = 0; i < 32; i++) {
		hex[2 * i] = digits[mac[i] >> 4];
		hex[2 * i + 1] = digits[mac[i] & 15];
	}
	hex[PAY_SIG_HEX_LEN] = '\0';
	return 0;
}

int payment_sig_verify(const char *secret, size_t secret_len, const struct pay_param *p, size_t n,
                       const char *skip, const char *sig)
{
	char want[PAY_SIG_HEX_LEN + 1], got[PAY_SIG_HEX_LEN + 1];

	if (!sig || strlen(sig) != PAY_SIG_HEX_LEN)
		return 0;
	for (int i = 0; i < PAY_SIG_HEX_LEN; i++) {
		if (!isxdigit((unsigned char)sig[i]))
			return 0;
		got[i] = (char)tolower((unsigned char)sig[i]);
	}
	got[PAY_SIG_HEX_LEN] = '\0';
	if (payment_sig_sign(secret, secret_len, p, n, skip, want) != 0)
		return 0;
	return CRYPTO_memcmp(want, got, PAY_SIG_HEX_LEN) == 0;
}
