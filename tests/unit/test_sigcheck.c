/*
 * sig_check_cert (an officer's certificate on its own, as api/certificates.c registers
 * it) and sig_check_crl (a fetched CRL, as core/crlrefresh.c stores it), against the
 * test PKI of tests/sig/make-fixtures.sh: root CA trusted, the intermediate's CRL
 * (revoked_before and revoked_after on it) loaded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <openssl/err.h>

#include "sig/sigverify.h"

static char fx[256];
static mc_time now;
static struct sig_verifier *ver;        /* root CA + the intermediate's CRL */
static struct sig_verifier *bare;       /* root CA, no CRL */

static uint8_t *
slurp(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	uint8_t *b;
	long n;

	snprintf(path, sizeof(path), "%s/%s", fx, name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* The named PEM files, concatenated. */
static uint8_t *
pems(size_t *len, const char *a, const char *b)
{
	size_t na, nb = 0;
	uint8_t *x = slurp(a, &na), *y = b ? slurp(b, &nb) : NULL, *out;

	assert_non_null(x);
	out = malloc(na + nb + 1);
	memcpy(out, x, na);
	if (y)
		memcpy(out + na, y, nb);
	out[na + nb] = 0;
	*len = na + nb;
	free(x);
	free(y);
	return out;
}

static enum sig_cert_reason
cert(const struct sig_verifier *v, const char *a, const char *b, struct sig_cert_status *st)
{
	size_t n;
	uint8_t *d = pems(&n, a, b);

	assert_int_equal(sig_check_cert(v, d, n, now, st), 0);
	free(d);
	return st->reason;
}

static int
group_setup(void **state)
{
	char cmd[1024], src[512], *dir;
	struct sig_blob ca, crl;
	uint8_t *a, *c;
	size_t an, cn;

	(void)state;
	snprintf(fx, sizeof(fx), "%s", "/tmp/motcua-sig-XXXXXX");
	if (mkdtemp(fx) == NULL)
		return -1;
	snprintf(src, sizeof(src), "%s", __FILE__);
	dir = dirname(src);
	snprintf(cmd, sizeof(cmd), "bash '%s/../sig/make-fixtures.sh' '%s' >'%s/make.log' 2>&1", dir, fx, fx);
	if (system(cmd) != 0) {
		fprintf(stderr, "make-fixtures.sh failed: see %s/make.log\n", fx);
		return -1;
	}
	now = (mc_time)time(NULL);
	if ((a = slurp("root.pem", &an)) == NULL || (c = slurp("inter-crl.der", &cn)) == NULL)
		return -1;
	ca = (struct sig_blob){ a, an };
	crl = (struct sig_blob){ c, cn };
	if (sig_verifier_new(&ca, 1, &crl, 1, &ver) != 0 || sig_verifier_new(&ca, 1, NULL, 0, &bare) != 0)
		return -1;
	free(a);
	free(c);
	return 0;
}

static int
group_teardown(void **state)
{
	char cmd[512];

	(void)state;
	sig_verifier_free(ver);
	sig_verifier_free(bare);
	if (getenv("MOTCUA_KEEP_FIXTURES") == NULL && strncmp(fx, "/tmp/motcua-sig-", 16) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

static int
queue_empty(void **state)
{
	(void)state;
	if (ERR_peek_error() != 0) {
		ERR_print_errors_fp(stderr);
		return -1;
	}
	return 0;
}

static void
test_cert_valid_with_its_intermediate(void **state)
{
	struct sig_cert_status st;

	(void)state;
	assert_int_equal(cert(ver, "officer.pem", "inter.pem", &st), SIG_CERT_OK);
	assert_true(st.cert.present);
	assert_string_equal(st.cert.cn, "Nguyễn Văn An");
	assert_int_equal(strlen(st.cert.cert_sha256_hex), 64);
	assert_false(st.expired || st.revoked || st.untrusted);
	assert_string_equal(sig_cert_reason_code(st.reason), "ok");
	/* document signing only (EKU): fine */
	assert_int_equal(cert(ver, "docsign.pem", "inter.pem", &st), SIG_CERT_OK);
}

static void
test_cert_untrusted(void **state)
{
	struct sig_cert_status st;

	(void)state;
	/* without the intermediate, no chain */
	assert_int_equal(cert(ver, "officer.pem", NULL, &st), SIG_CERT_UNTRUSTED_CHAIN);
	assert_true(st.untrusted);
	/* the look-alike root with the real root's name and key identifier */
	assert_int_equal(cert(ver, "rogue.pem", "rogue-root.pem", &st), SIG_CERT_UNTRUSTED_CHAIN);
	assert_string_equal(sig_cert_reason_code(st.reason), "untrusted_chain");
}

static void
test_cert_expired_wrong_usage_revoked(void **state)
{
	struct sig_cert_status st;

	(void)state;
	assert_int_equal(cert(ver, "expired.pem", "inter.pem", &st), SIG_CERT_EXPIRED);
	assert_true(st.expired);
	assert_false(st.untrusted);
	assert_int_equal(cert(ver, "wrongku.pem", "inter.pem", &st), SIG_CERT_BAD_KEY_USAGE);
	assert_int_equal(cert(ver, "revoked_before.pem", "inter.pem", &st), SIG_CERT_REVOKED);
	assert_true(st.revoked);
	assert_true(st.revocation_time < now - 80 * 86400 && st.revocation_time > now - 100 * 86400);
	assert_int_equal(cert(ver, "revoked_after.pem", "inter.pem", &st), SIG_CERT_REVOKED);
	/* without the CRL nobody knows */
	assert_int_equal(cert(bare, "revoked_after.pem", "inter.pem", &st), SIG_CERT_OK);
}

static void
test_cert_malformed(void **state)
{
	struct sig_cert_status st;
	static const uint8_t junk[] = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";

	(void)state;
	assert_int_equal(sig_check_cert(ver, junk, sizeof junk - 1, now, &st), 0);
	assert_int_equal(st.reason, SIG_CERT_MALFORMED);
	assert_false(st.cert.present);
	assert_int_equal(sig_check_cert(ver, junk, 0, now, &st), 0);
	assert_int_equal(st.reason, SIG_CERT_MALFORMED);
	assert_string_equal(sig_cert_reason_code(SIG_CERT_BAD_EXT_KEY_USAGE), "bad_ext_key_usage");
}

static void
test_crl_signed_by_trusted_or_given_issuer(void **state)
{
	struct sig_crl_info info, again;
	size_t n, in, pn;
	uint8_t *inter = slurp("inter.pem", &in), *pem = slurp("inter-crl.pem", &pn);
	uint8_t *root = slurp("root-crl.der", &n), *crl, *forged, *officer;
	size_t fn, on;

	(void)state;
	/* the root's own CRL: signed by a trusted CA */
	assert_int_equal(sig_check_crl(bare, root, n, NULL, 0, now, &info), 0);
	assert_int_equal(info.result, SIG_CRL_OK);
	crl = slurp("inter-crl.der", &n);
	/* the intermediate's: only with the intermediate given */
	assert_int_equal(sig_check_crl(bare, crl, n, NULL, 0, now, &info), 0);
	assert_int_equal(info.result, SIG_CRL_UNTRUSTED_ISSUER);
	assert_int_equal(sig_check_crl(bare, crl, n, inter, in, now, &info), 0);
	assert_int_equal(info.result, SIG_CRL_OK);
	assert_int_equal(info.revoked_count, 2);
	assert_non_null(strstr(info.issuer, "Issuing CA"));
	assert_int_equal(strlen(info.issuer_hash_hex), 64);
	assert_true(info.has_next_update && info.next_update > now);
	assert_true(info.this_update <= now + 60);
	/* PEM: the same issuer, the same key of "one CRL per issuer" */
	assert_int_equal(sig_check_crl(bare, pem, pn, inter, in, now, &again), 0);
	assert_int_equal(again.result, SIG_CRL_OK);
	assert_string_equal(again.issuer_hash_hex, info.issuer_hash_hex);
	/* the intermediate's name, another key */
	forged = slurp("forged-crl.der", &fn);
	assert_int_equal(sig_check_crl(bare, forged, fn, inter, in, now, &info), 0);
	assert_int_equal(info.result, SIG_CRL_UNTRUSTED_ISSUER);
	/* an "issuer" that is not a CA */
	officer = slurp("officer.pem", &on);
	assert_int_equal(sig_check_crl(bare, crl, n, officer, on, now, &info), 0);
	assert_int_equal(info.result, SIG_CRL_UNTRUSTED_ISSUER);
	/* not a CRL */
	assert_int_equal(sig_check_crl(bare, inter, in, NULL, 0, now, &info), 0);
	assert_int_equal(info.result, SIG_CRL_MALFORMED);
	free(crl);
	free(inter);
	free(pem);
	free(root);
	free(forged);
	free(officer);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_cert_valid_with_its_intermediate, queue_empty),
		cmocka_unit_test_teardown(test_cert_untrusted, queue_empty),
		cmocka_unit_test_teardown(test_cert_expired_wrong_usage_revoked, queue_empty),
		cmocka_unit_test_teardown(test_cert_malformed, queue_empty),
		cmocka_unit_test_teardown(test_crl_signed_by_trusted_or_given_issuer, queue_empty),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
