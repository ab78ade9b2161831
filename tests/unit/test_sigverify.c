/*
 * Tests for sig/sigverify: real signatures from a test PKI made at start by
 * tests/sig/make-fixtures.sh (openssl, poppler's pdfsig, NSS tools) in a mkdtemp
 * directory, removed at the end. Each case is compared with what `pdfsig` (PDFs) or
 * `openssl cms -verify -binary` (detached) says about the same bytes, where they
 * check the same thing; the comments say where they differ and why.
 *
 * pdfsig cannot backdate a signature and 22.12 refuses -etsi with -add-signature, so
 * some PDFs are signed here with OpenSSL: sign_pdf() appends an incremental update
 * (signature field, widget, signature dictionary) to the fixture's base.pdf, fills
 * /ByteRange and puts the CMS into /Contents.
 *
 * pdfsig is run without -no-ocsp: with it, poppler 22.12 reports "Unknown issue with
 * Certificate" even for a good chain; the fixture certificates name no OCSP
 * responder, so nothing goes to the network.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sig/sigverify.h"
#include "../sig/pdfbuild.h"

#define DAY 86400

static char fx[256];                    /* the fixture directory */
static mc_time now;
static struct sig_verifier *ver;        /* root CA + the intermediate's CRL + a forged CRL */

/* ---------------------------------------------------------------- files, tools */

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

static void
spit(const char *name, const uint8_t *b, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fx, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	fclose(f);
}

/* Run a shell command in the fixture directory; its output (stdout and stderr). */
static char *run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
run(const char *fmt, ...)
{
	char cmd[1024], full[1400];
	static char out[16384];
	size_t n = 0, k;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd '%s' && (%s) 2>&1", fx, cmd);
	p = popen(full, "r");
	assert_non_null(p);
	while ((k = fread(out + n, 1, sizeof(out) - 1 - n, p)) > 0)
		n += k;
	out[n] = 0;
	pclose(p);
	return out;
}

static char *
pdfsig(const char *file)
{
	return run("pdfsig -nssdir sql:nss-verify %s", file);
}

static void
expect_in(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) == NULL)
		fail_msg("expected \"%s\" in:\n%s", needle, haystack);
}

/* ---------------------------------------------------------------- verifying */

static struct sig_report *
verify_pdf_file(const char *name, mc_time at)
{
	struct sig_report *r = NULL;
	uint8_t *b;
	size_t n;

	b = slurp(name, &n);
	if (b == NULL)
		fail_msg("fixture %s is missing", name);
	assert_int_equal(sig_verify_pdf(ver, b, n, at, &r), 0);
	free(b);
	return r;
}

static struct sig_report *
verify_p7s_files(const struct sig_verifier *v, const char *p7s, const char *content)
{
	struct sig_report *r = NULL;
	uint8_t *s, *c;
	size_t sn, cn;

	s = slurp(p7s, &sn);
	c = slurp(content, &cn);
	assert_non_null(s);
	assert_non_null(c);
	assert_int_equal(sig_verify_detached(v, s, sn, c, cn, now, &r), 0);
	free(s);
	free(c);
	return r;
}

static void
check_is(const struct sig_result *s, enum sig_check_id id, enum sig_status st,
    enum sig_reason why)
{
	if (s->checks[id].status != st || s->checks[id].reason != why)
		fail_msg("check %s: got %s/%s (%s), expected %s/%s", sig_check_name(id),
		    sig_status_name(s->checks[id].status), sig_reason_code(s->checks[id].reason),
		    s->checks[id].detail, sig_status_name(st), sig_reason_code(why));
}

/* One signature whose every check is ok but the one named (or none: id < 0). */
static void
expect_only(const struct sig_report *r, size_t i, int id, enum sig_status st,
    enum sig_reason why, enum sig_verdict vd)
{
	assert_true(i < r->n);
	for (int c = 0; c < SIG_CHECK__MAX; c++) {
		if (c == id)
			check_is(&r->sigs[i], (enum sig_check_id)c, st, why);
		else if (r->sigs[i].checks[c].status != SIG_OK)
			fail_msg("check %s: %s/%s (%s)", sig_check_name((enum sig_check_id)c),
			    sig_status_name(r->sigs[i].checks[c].status),
			    sig_reason_code(r->sigs[i].checks[c].reason), r->sigs[i].checks[c].detail);
	}
	assert_int_equal(r->sigs[i].verdict, vd);
}

/* ---------------------------------------------------------------- signing here */

struct signer {
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *chain;
};

static void
load_signer(const char *name, struct signer *s)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.key", fx, name);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(s->key = PEM_read_PrivateKey(f, NULL, NULL, NULL));
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s.pem", fx, name);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(s->cert = PEM_read_X509(f, NULL, NULL, NULL));
	fclose(f);
	snprintf(path, sizeof(path), "%s/inter.pem", fx);
	assert_non_null(f = fopen(path, "r"));
	s->chain = sk_X509_new_null();
	assert_true(sk_X509_push(s->chain, PEM_read_X509(f, NULL, NULL, NULL)) > 0);
	fclose(f);
}

static void
free_signer(struct signer *s)
{
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
}

/*
 * Sign fixture `base` (a one-page PDF, objects 1..6) in an incremental update:
 * field 7, signature 8. flags: CMS_CADES (signing-certificate-v2), CMS_NOATTR (no
 * signed attributes at all). The CMS signingTime is `when`; /M says `when` too.
 * Writes `out` and returns it in *len (malloc'd).
 */
static uint8_t *
sign_pdf(const char *base, const char *out, const char *signer, mc_time when,
    const char *subfilter, unsigned flags, size_t *len)
{
	struct signer s;
	struct pdfb b;
	struct civil c;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	ASN1_TIME *t;
	BIO *bio;
	uint8_t *in, *der = NULL, *content;
	size_t n, clen;
	char m[64];
	int dlen;

	load_signer(signer, &s);
	in = slurp(base, &n);
	assert_non_null(in);
	time_to_local(when, &c);
	snprintf(m, sizeof(m), "D:%04d%02d%02d%02d%02d%02d+07'00'", c.year, c.month, c.day,
	    c.hour, c.min, c.sec);
	pb_init(&b, in, n, pb_startxref(in, n));
	b.min_size = 9;
	pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R] /SigFlags 3 >> >>");
	pb_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
	    "/Resources << /Font << /F1 5 0 R >> >> /Annots [7 0 R] >>");
	pb_obj(&b, 7, "<< /FT /Sig /T (Motcua) /V 8 0 R /Subtype /Widget /F 132 /Rect [0 0 0 0] /P 3 0 R >>");
	pb_sig(&b, 8, subfilter, m, 8192);
	pb_xref(&b, "/Root 1 0 R /Info 6 0 R");
	pb_fix_byterange(&b);

	clen = b.contents_off + (b.n - b.contents_end);
	content = malloc(clen);
	memcpy(content, b.s, b.contents_off);
	memcpy(content + b.contents_off, b.s + b.contents_end, b.n - b.contents_end);
	bio = BIO_new_mem_buf(content, (int)clen);
	cms = CMS_sign(NULL, NULL, s.chain, NULL, CMS_BINARY | CMS_DETACHED | CMS_PARTIAL);
	assert_non_null(cms);
	si = CMS_add1_signer(cms, s.cert, s.key, EVP_sha256(),
	    CMS_BINARY | CMS_DETACHED | CMS_PARTIAL | flags);
	assert_non_null(si);
	if (!(flags & CMS_NOATTR)) {
		t = ASN1_TIME_set(NULL, (time_t)when);
		assert_true(CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, t->type, t, -1));
		ASN1_TIME_free(t);
	}
	assert_true(CMS_final(cms, bio, NULL, CMS_BINARY | CMS_DETACHED | flags));
	dlen = i2d_CMS_ContentInfo(cms, &der);
	assert_true(dlen > 0);
	assert_int_equal(pb_put_contents(&b, der, (size_t)dlen), 0);
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(bio);
	free(content);
	free(in);
	free_signer(&s);
	spit(out, b.s, b.n);
	*len = b.n;
	return b.s;
}

/* ---------------------------------------------------------------- setup */

static int
group_setup(void **state)
{
	char cmd[1024], src[512], *dir;
	struct sig_blob ca, crls[2];
	uint8_t *a, *c1, *c2;
	size_t an, c1n, c2n;

	(void)state;
	snprintf(fx, sizeof(fx), "%s", "/tmp/motcua-sig-XXXXXX");
	if (mkdtemp(fx) == NULL)
		return -1;
	snprintf(src, sizeof(src), "%s", __FILE__);
	dir = dirname(src);
	snprintf(cmd, sizeof(cmd), "bash '%s/../sig/make-fixtures.sh' '%s' >'%s/make.log' 2>&1",
	    dir, fx, fx);
	if (system(cmd) != 0) {
		fprintf(stderr, "make-fixtures.sh failed: see %s/make.log\n", fx);
		return -1;
	}
	now = (mc_time)time(NULL);
	a = slurp("root.pem", &an);
	c1 = slurp("inter-crl.der", &c1n);
	c2 = slurp("forged-crl.der", &c2n);
	if (a == NULL || c1 == NULL || c2 == NULL)
		return -1;
	ca = (struct sig_blob){ a, an };
	crls[0] = (struct sig_blob){ c1, c1n };
	crls[1] = (struct sig_blob){ c2, c2n };
	if (sig_verifier_new(&ca, 1, crls, 2, &ver) != 0)
		return -1;
	free(a);
	free(c1);
	free(c2);
	return 0;
}

static int
group_teardown(void **state)
{
	char cmd[512];

	(void)state;
	sig_verifier_free(ver);
	if (getenv("MOTCUA_KEEP_FIXTURES") == NULL && strncmp(fx, "/tmp/motcua-sig-", 16) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

/* Every test leaves the OpenSSL error queue empty (STYLE.md). */
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

/* ---------------------------------------------------------------- PDF cases */

/* valid. pdfsig agrees: signature valid, certificate trusted, total document signed. */
static void
test_pdf_valid(void **state)
{
	struct sig_report *r = verify_pdf_file("signed.pdf", now);
	const struct sig_result *s;
	char *out;

	(void)state;
	assert_int_equal(r->verdict, SIG_VALID);
	assert_int_equal(r->n, 1);
	expect_only(r, 0, -1, SIG_OK, SIG_R_NONE, SIG_VALID);
	s = &r->sigs[0];
	assert_string_equal(s->subfilter, "adbe.pkcs7.detached");
	assert_string_equal(s->signer.cn, "Nguyễn Văn An");
	assert_string_equal(s->signer.serial_hex, "1000");
	assert_non_null(strstr(s->signer.issuer, "CN=Motcua Test Issuing CA"));
	assert_true(s->signer.not_before < now && now < s->signer.not_after);
	assert_int_equal(strlen(s->signer.cert_sha256_hex), 64);
	assert_true(s->covers_whole_file);
	assert_int_equal(s->bytes_after, 0);
	assert_int_equal(s->byte_range[0], 0);
	assert_int_equal(s->signed_len, (size_t)(s->byte_range[2] + s->byte_range[3]));
	/* poppler puts the time in /M only; it is still the signer's claim */
	assert_true(s->has_claimed_time && s->time_claimed_by_signer);
	assert_string_equal(s->claimed_time_source, "pdf_m");
	assert_true(s->claimed_signing_time > now - 600 && s->claimed_signing_time <= now);
	assert_true(s->has_signing_cert_v2);
	assert_string_equal(s->digest, "SHA256");
	sig_report_free(r);

	out = pdfsig("signed.pdf");
	expect_in(out, "Signature is Valid");
	expect_in(out, "Certificate is Trusted");
	expect_in(out, "Total document signed");
}

/* The certificate fingerprint is the one of officer.pem (for "registered to"). */
static void
test_pdf_cert_fingerprint(void **state)
{
	struct sig_report *r = verify_pdf_file("signed.pdf", now);
	char *out;

	(void)state;
	out = run("openssl x509 -in officer.pem -noout -fingerprint -sha256 | cut -d= -f2 | tr -d ':\\n' "
	    "| tr A-F a-f");
	assert_string_equal(out, r->sigs[0].signer.cert_sha256_hex);
	sig_report_free(r);
}

/* A byte of the page text changed. pdfsig agrees: "Digest Mismatch". */
static void
test_pdf_tampered_in_range(void **state)
{
	uint8_t *b;
	size_t n;
	char *p, *out;
	struct sig_report *r;

	(void)state;
	b = slurp("signed.pdf", &n);
	p = memmem(b, n, "Ket qua", 7);
	assert_non_null(p);
	p[0] = 'X';
	spit("tampered.pdf", b, n);
	free(b);
	r = verify_pdf_file("tampered.pdf", now);
	check_is(&r->sigs[0], SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_DIGEST_MISMATCH);
	assert_int_equal(r->verdict, SIG_INVALID);
	sig_report_free(r);
	out = pdfsig("tampered.pdf");
	expect_in(out, "Digest Mismatch");
}

/* A byte of the last trailer changed (/Size 18 -> 19): inside the signed range too. */
static void
test_pdf_tampered_trailer(void **state)
{
	uint8_t *b;
	size_t n;
	char *p, *out;
	struct sig_report *r;

	(void)state;
	b = slurp("signed.pdf", &n);
	p = NULL;
	for (size_t k = n - 7; k > 0 && p == NULL; k--)
		if (memcmp(b + k, "/Size ", 6) == 0)
			p = (char *)b + k + 6;
	assert_non_null(p);
	p[1] = (char)(p[1] + 1);
	spit("tampered-trailer.pdf", b, n);
	free(b);
	r = verify_pdf_file("tampered-trailer.pdf", now);
	check_is(&r->sigs[0], SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_DIGEST_MISMATCH);
	sig_report_free(r);
	out = pdfsig("tampered-trailer.pdf");
	expect_in(out, "Digest Mismatch");
}

/*
 * The only bytes outside the ranges: the zero padding inside /Contents. We refuse
 * anything but zeros after the CMS (cms_malformed: non-zero padding has no honest
 * use). pdfsig refuses it too: "Input couldn't be parsed as a CMS signature".
 */
static void
test_pdf_contents_padding_changed(void **state)
{
	uint8_t *b, *br;
	size_t n, gap_end;
	char *out;
	struct sig_report *r;

	(void)state;
	b = slurp("signed.pdf", &n);
	br = memmem(b, n, "/ByteRange [0 ", 14);
	assert_non_null(br);
	gap_end = strtoul((char *)br + 14, NULL, 10);
	gap_end = strtoul(strchr((char *)br + 14, ' ') + 1, NULL, 10);
	assert_int_equal(b[gap_end - 1], '>');
	assert_int_equal(b[gap_end - 2], '0');
	b[gap_end - 2] = '1';
	spit("padding.pdf", b, n);
	free(b);
	r = verify_pdf_file("padding.pdf", now);
	check_is(&r->sigs[0], SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_CMS_MALFORMED);
	sig_report_free(r);
	out = pdfsig("padding.pdf");
	expect_in(out, "couldn't be parsed as a CMS signature");
}

/*
 * An incremental update after signing that replaces the page content. We: the
 * signature is intact, coverage warns not_whole_file -> valid_with_warnings, and
 * bytes_after says how much was added. pdfsig: "Signature is Valid" without "Total
 * document signed" (it does not tell a signature-only update from new content).
 */
static void
test_pdf_appended_after_signing(void **state)
{
	uint8_t *b;
	size_t n, signed_n;
	struct pdfb pb;
	struct sig_report *r;
	char *out;
	static const char forged[] = "BT /F1 18 Tf 72 760 Td (Da sua sau khi ky) Tj ET";

	(void)state;
	b = slurp("signed.pdf", &n);
	signed_n = n;
	pb_init(&pb, b, n, pb_startxref(b, n));
	pb.min_size = 18;
	pb_stream(&pb, 4, "", forged, strlen(forged));
	pb_xref(&pb, "/Root 1 0 R /Info 6 0 R");
	spit("appended.pdf", pb.s, pb.n);
	free(b);
	r = verify_pdf_file("appended.pdf", now);
	expect_only(r, 0, SIG_CHECK_COVERAGE, SIG_WARNING, SIG_R_NOT_WHOLE_FILE,
	    SIG_VALID_WITH_WARNINGS);
	assert_false(r->sigs[0].covers_whole_file);
	assert_false(r->sigs[0].later_only_signatures);
	assert_int_equal(r->sigs[0].signed_len, signed_n);
	assert_int_equal(r->sigs[0].bytes_after, pb.n - signed_n);
	assert_int_equal(r->verdict, SIG_VALID_WITH_WARNINGS);
	sig_report_free(r);
	free(pb.s);
	out = pdfsig("appended.pdf");
	expect_in(out, "Signature is Valid");
	assert_null(strstr(out, "Total document signed"));
}

/*
 * Two signatures (pdfsig signed signed.pdf again with officer2). We: both valid, the
 * first covers its revision and the later one only adds a signature (ok,
 * later_signatures_only). pdfsig: both valid, only #2 "Total document signed".
 */
static void
test_pdf_two_signatures(void **state)
{
	struct sig_report *r = verify_pdf_file("two.pdf", now);
	char *out;

	(void)state;
	assert_int_equal(r->n, 2);
	assert_int_equal(r->verdict, SIG_VALID);
	expect_only(r, 0, SIG_CHECK_COVERAGE, SIG_OK, SIG_R_LATER_SIGNATURES_ONLY, SIG_VALID);
	expect_only(r, 1, -1, SIG_OK, SIG_R_NONE, SIG_VALID);
	assert_string_equal(r->sigs[0].signer.cn, "Nguyễn Văn An");
	assert_string_equal(r->sigs[1].signer.cn, "Trần Thị Bình");
	assert_true(r->sigs[0].later_only_signatures);
	assert_true(r->sigs[0].bytes_after > 0);
	assert_true(r->sigs[1].covers_whole_file);
	sig_report_free(r);
	out = pdfsig("two.pdf");
	expect_in(out, "Signature #2");
	assert_null(strstr(out, "Certificate has"));
	expect_in(out, "Total document signed");
}

/*
 * Signed (here, with a backdated claimed time T-60d) by a certificate valid
 * T-800d..T-30d: valid at signing, expired now -> valid_with_warnings. pdfsig checks
 * the certificate at the current time only: "Certificate has Expired".
 */
static void
test_pdf_expired_now_valid_at_signing(void **state)
{
	size_t n;
	uint8_t *b = sign_pdf("base.pdf", "expired-now.pdf", "expired", now - 60 * DAY,
	    "adbe.pkcs7.detached", 0, &n);
	struct sig_report *r;
	char *out;

	(void)state;
	free(b);
	r = verify_pdf_file("expired-now.pdf", now);
	expect_only(r, 0, SIG_CHECK_CHAIN_NOW, SIG_WARNING, SIG_R_EXPIRED_NOW,
	    SIG_VALID_WITH_WARNINGS);
	assert_string_equal(r->sigs[0].claimed_time_source, "cms_signing_time");
	assert_int_equal(r->sigs[0].claimed_signing_time, now - 60 * DAY);
	sig_report_free(r);
	out = pdfsig("expired-now.pdf");
	expect_in(out, "Signature is Valid");
	expect_in(out, "Certificate has Expired");
}

/* pdfsig signed with the expired certificate today. Both say expired. */
static void
test_pdf_expired_at_signing(void **state)
{
	struct sig_report *r = verify_pdf_file("expired-at-signing.pdf", now);
	char *out;

	(void)state;
	check_is(&r->sigs[0], SIG_CHECK_CHAIN_AT_SIGNING, SIG_FAIL, SIG_R_EXPIRED_AT_SIGNING);
	check_is(&r->sigs[0], SIG_CHECK_CHAIN_NOW, SIG_WARNING, SIG_R_EXPIRED_NOW);
	assert_int_equal(r->verdict, SIG_INVALID);
	sig_report_free(r);
	out = pdfsig("expired-at-signing.pdf");
	expect_in(out, "Certificate has Expired");
}

/*
 * The look-alike: a self-signed CA with the real root's subject and key identifier
 * issued a certificate with the officer's name. Chain by signature fails ->
 * untrusted. pdfsig: not trusted either ("Unknown issue with Certificate or
 * corrupted data": NSS finds the real root by name and the signature fails).
 */
static void
test_pdf_rogue_ca(void **state)
{
	struct sig_report *r = verify_pdf_file("rogue.pdf", now);
	char *out;

	(void)state;
	check_is(&r->sigs[0], SIG_CHECK_INTEGRITY, SIG_OK, SIG_R_NONE);
	check_is(&r->sigs[0], SIG_CHECK_CHAIN_AT_SIGNING, SIG_FAIL, SIG_R_UNTRUSTED_CHAIN);
	check_is(&r->sigs[0], SIG_CHECK_CHAIN_NOW, SIG_FAIL, SIG_R_UNTRUSTED_CHAIN);
	assert_string_equal(r->sigs[0].signer.cn, "Nguyễn Văn An");
	assert_int_equal(r->verdict, SIG_INVALID);
	sig_report_free(r);
	out = pdfsig("rogue.pdf");
	expect_in(out, "Signature is Valid");
	assert_null(strstr(out, "Certificate is Trusted"));
}

/* Revoked at T-90d, signed by pdfsig at T. Both: revoked. */
static void
test_pdf_revoked_before_signing(void **state)
{
	struct sig_report *r = verify_pdf_file("revoked-before.pdf", now);
	char *out;

	(void)state;
	expect_only(r, 0, SIG_CHECK_REVOCATION, SIG_FAIL, SIG_R_REVOKED_BEFORE_SIGNING, SIG_INVALID);
	assert_true(r->sigs[0].revoked);
	assert_true(r->sigs[0].revocation_time < r->sigs[0].claimed_signing_time);
	sig_report_free(r);
	out = pdfsig("revoked-before.pdf");
	expect_in(out, "Certificate has been Revoked");
}

/*
 * Revoked at T-30d, signed (claimed) at T-60d: valid with a warning. pdfsig (NSS,
 * with the CRL imported) only knows "revoked now": "Certificate has been Revoked".
 */
static void
test_pdf_revoked_after_signing(void **state)
{
	size_t n;
	uint8_t *b = sign_pdf("base.pdf", "revoked-after.pdf", "revoked_after", now - 60 * DAY,
	    "adbe.pkcs7.detached", 0, &n);
	struct sig_report *r;
	char *out;

	(void)state;
	free(b);
	r = verify_pdf_file("revoked-after.pdf", now);
	expect_only(r, 0, SIG_CHECK_REVOCATION, SIG_WARNING, SIG_R_REVOKED_AFTER_SIGNING,
	    SIG_VALID_WITH_WARNINGS);
	sig_report_free(r);
	out = pdfsig("revoked-after.pdf");
	expect_in(out, "Certificate has been Revoked");
}

/*
 * keyUsage keyCertSign+cRLSign only: bad_key_usage. pdfsig: "Unknown issue with
 * Certificate" (NSS refuses it for e-mail signing, without saying why).
 */
static void
test_pdf_wrong_key_usage(void **state)
{
	struct sig_report *r = verify_pdf_file("wrongku.pdf", now);
	char *out;

	(void)state;
	expect_only(r, 0, SIG_CHECK_KEY_USAGE, SIG_FAIL, SIG_R_BAD_KEY_USAGE, SIG_INVALID);
	sig_report_free(r);
	out = pdfsig("wrongku.pdf");
	assert_null(strstr(out, "Certificate is Trusted"));
}

/*
 * Document-signing EKU only (1.3.6.1.4.1.311.10.3.12): valid for us. pdfsig does
 * not accept it ("Unknown issue with Certificate"): NSS checks the e-mail signer
 * usage, which such an EKU does not include. The same pitfall as CMS_verify's
 * S/MIME purpose, and the reason key usage is checked by hand here.
 */
static void
test_pdf_document_signing_eku(void **state)
{
	struct sig_report *r = verify_pdf_file("docsign.pdf", now);
	char *out;

	(void)state;
	expect_only(r, 0, -1, SIG_OK, SIG_R_NONE, SIG_VALID);
	sig_report_free(r);
	out = pdfsig("docsign.pdf");
	expect_in(out, "Signature is Valid");
	assert_null(strstr(out, "Certificate is Trusted"));
}

/* ETSI.CAdES.detached with signing-certificate-v2, signed here (pdfsig 22.12 cannot
 * add one). pdfsig agrees: valid, trusted. */
static void
test_pdf_etsi_cades(void **state)
{
	size_t n;
	uint8_t *b = sign_pdf("base.pdf", "etsi.pdf", "officer", now - 60, "ETSI.CAdES.detached",
	    CMS_CADES, &n);
	struct sig_report *r;
	char *out;

	(void)state;
	free(b);
	r = verify_pdf_file("etsi.pdf", now);
	expect_only(r, 0, -1, SIG_OK, SIG_R_NONE, SIG_VALID);
	assert_string_equal(r->sigs[0].subfilter, "ETSI.CAdES.detached");
	assert_true(r->sigs[0].has_signing_cert_v2);
	assert_string_equal(r->sigs[0].field_name, "Motcua");
	sig_report_free(r);
	out = pdfsig("etsi.pdf");
	expect_in(out, "Signature is Valid");
	expect_in(out, "Certificate is Trusted");
}

/* No signed attributes: the signature is over the content digest itself; the claimed
 * time comes from /M. */
static void
test_pdf_no_signed_attributes(void **state)
{
	size_t n;
	uint8_t *b = sign_pdf("base.pdf", "noattr.pdf", "officer", now - 3600, "adbe.pkcs7.detached",
	    CMS_NOATTR, &n);
	struct sig_report *r;
	char *out;

	(void)state;
	free(b);
	r = verify_pdf_file("noattr.pdf", now);
	expect_only(r, 0, -1, SIG_OK, SIG_R_NONE, SIG_VALID);
	assert_string_equal(r->sigs[0].claimed_time_source, "pdf_m");
	assert_int_equal(r->sigs[0].claimed_signing_time, now - 3600);
	sig_report_free(r);
	out = pdfsig("noattr.pdf");
	expect_in(out, "Signature is Valid");

	/* same bytes, one changed: the raw-signature path finds it too */
	b = slurp("noattr.pdf", &n);
	((char *)memmem(b, n, "Ket qua", 7))[0] = 'X';
	assert_int_equal(sig_verify_pdf(ver, b, n, now, &r), 0);
	check_is(&r->sigs[0], SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_DIGEST_MISMATCH);
	sig_report_free(r);
	free(b);
}

/*
 * A document time-stamp (/Type /DocTimeStamp, ETSI.RFC3161) is not verified here:
 * reported with a warning (unsupported_subfilter), it neither makes the document
 * invalid nor counts as a signature. Added after a signature, it is a "signature
 * only" revision for the earlier one. (Not compared with pdfsig: the time-stamp
 * token here is a dummy.)
 */
static void
test_pdf_document_timestamp(void **state)
{
	uint8_t *b;
	size_t n;
	struct pdfb pb;
	struct sig_report *r;

	(void)state;
	b = sign_pdf("base.pdf", "ts-base.pdf", "officer", now - 60, "ETSI.CAdES.detached", CMS_CADES, &n);
	pb_init(&pb, b, n, pb_startxref(b, n));
	pb.min_size = 11;
	pb_obj(&pb, 1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R 9 0 R] /SigFlags 3 >> >>");
	pb_obj(&pb, 9, "<< /FT /Sig /T (TS) /V 10 0 R >>");
	pb_begin(&pb, 10);
	pb_add(&pb, "<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 /ByteRange [");
	pb.br_pos = pb.n;
	pb_add(&pb, "0 %-10s %-10s %-10s] /Contents ", "0", "0", "0");
	pb.contents_off = pb.n;
	pb_add(&pb, "<3000>");
	pb.contents_end = pb.n;
	pb_add(&pb, " >>\nendobj\n");
	pb_xref(&pb, "/Root 1 0 R /Info 6 0 R");
	pb_fix_byterange(&pb);
	assert_int_equal(sig_verify_pdf(ver, pb.s, pb.n, now, &r), 0);
	assert_int_equal(r->n, 2);
	expect_only(r, 0, SIG_CHECK_COVERAGE, SIG_OK, SIG_R_LATER_SIGNATURES_ONLY, SIG_VALID);
	assert_true(r->sigs[1].is_timestamp);
	check_is(&r->sigs[1], SIG_CHECK_COVERAGE, SIG_WARNING, SIG_R_UNSUPPORTED_SUBFILTER);
	assert_int_equal(r->sigs[1].verdict, SIG_VALID_WITH_WARNINGS);
	assert_int_equal(r->verdict, SIG_VALID_WITH_WARNINGS);
	sig_report_free(r);
	free(pb.s);
	free(b);

	/* a time-stamp alone is no signature */
	b = slurp("base.pdf", &n);
	pb_init(&pb, b, n, pb_startxref(b, n));
	pb.min_size = 11;
	pb_begin(&pb, 10);
	pb_add(&pb, "<< /Type /DocTimeStamp /SubFilter /ETSI.RFC3161 /ByteRange [");
	pb.br_pos = pb.n;
	pb_add(&pb, "0 %-10s %-10s %-10s] /Contents ", "0", "0", "0");
	pb.contents_off = pb.n;
	pb_add(&pb, "<3000>");
	pb.contents_end = pb.n;
	pb_add(&pb, " >>\nendobj\n");
	pb_xref(&pb, "/Root 1 0 R /Info 6 0 R");
	pb_fix_byterange(&pb);
	assert_int_equal(sig_verify_pdf(ver, pb.s, pb.n, now, &r), 0);
	assert_int_equal(r->n, 1);
	assert_int_equal(r->verdict, SIG_INVALID);
	assert_int_equal(r->reason, SIG_R_NO_SIGNATURES);
	sig_report_free(r);
	free(pb.s);
	free(b);
}

/* A verifier that trusts nothing, and one whose only CRL is the forged one. */
static void
test_pdf_trust_and_crl_sources(void **state)
{
	struct sig_verifier *none = NULL, *forged = NULL;
	struct sig_blob ca, crl;
	struct sig_report *r;
	uint8_t *a, *c, *p;
	size_t an, cn, pn;

	(void)state;
	p = slurp("signed.pdf", &pn);
	assert_int_equal(sig_verifier_new(NULL, 0, NULL, 0, &none), 0);
	assert_int_equal(sig_verify_pdf(none, p, pn, now, &r), 0);
	check_is(&r->sigs[0], SIG_CHECK_CHAIN_NOW, SIG_FAIL, SIG_R_UNTRUSTED_CHAIN);
	sig_report_free(r);
	sig_verifier_free(none);

	/* the forged CRL (intermediate's name, another key) lists the officer: ignored */
	a = slurp("root.pem", &an);
	c = slurp("forged-crl.der", &cn);
	ca = (struct sig_blob){ a, an };
	crl = (struct sig_blob){ c, cn };
	assert_int_equal(sig_verifier_new(&ca, 1, &crl, 1, &forged), 0);
	assert_int_equal(sig_verify_pdf(forged, p, pn, now, &r), 0);
	expect_only(r, 0, SIG_CHECK_REVOCATION, SIG_WARNING, SIG_R_NO_CRL, SIG_VALID_WITH_WARNINGS);
	sig_report_free(r);

	/* 40 days on, the genuine CRL (30 days) is stale: warning */
	assert_int_equal(sig_verify_pdf(ver, p, pn, now + 40 * DAY, &r), 0);
	expect_only(r, 0, SIG_CHECK_REVOCATION, SIG_WARNING, SIG_R_CRL_EXPIRED,
	    SIG_VALID_WITH_WARNINGS);
	sig_report_free(r);

	/* garbage is not a certificate */
	ca = (struct sig_blob){ (const uint8_t *)"nope", 4 };
	none = NULL;
	assert_int_equal(sig_verifier_new(&ca, 1, NULL, 0, &none), -1);
	assert_null(none);
	sig_verifier_free(forged);
	free(a);
	free(c);
	free(p);
}

static void
test_pdf_unsigned_and_garbage(void **state)
{
	struct sig_report *r;

	(void)state;
	r = verify_pdf_file("base.pdf", now);
	assert_int_equal(r->n, 0);
	assert_int_equal(r->verdict, SIG_INVALID);
	assert_int_equal(r->reason, SIG_R_NO_SIGNATURES);
	sig_report_free(r);
	assert_int_equal(sig_verify_pdf(ver, (const uint8_t *)"GIF89a", 6, now, &r), 0);
	assert_int_equal(r->reason, SIG_R_PDF_MALFORMED);
	assert_int_equal(r->verdict, SIG_INVALID);
	sig_report_free(r);
}

/* ---------------------------------------------------------------- detached */

/* valid. openssl cms -verify -binary agrees. */
static void
test_p7s_valid(void **state)
{
	struct sig_report *r = verify_p7s_files(ver, "doc.p7s", "doc.bin");

	(void)state;
	expect_only(r, 0, -1, SIG_OK, SIG_R_NONE, SIG_VALID);
	assert_string_equal(r->sigs[0].claimed_time_source, "cms_signing_time");
	assert_false(r->sigs[0].has_signing_cert_v2);
	sig_report_free(r);
	expect_in(run("openssl cms -verify -binary -inform DER -in doc.p7s -content doc.bin "
	    "-CAfile root.pem -out /dev/null"), "Verification successful");

	r = verify_p7s_files(ver, "doc-cades.p7s", "doc.bin");
	expect_only(r, 0, -1, SIG_OK, SIG_R_NONE, SIG_VALID);
	assert_true(r->sigs[0].has_signing_cert_v2);
	sig_report_free(r);
}

/* One byte of the content changed. Both: digest mismatch (openssl: "content verify
 * error"). */
static void
test_p7s_tampered_content(void **state)
{
	struct sig_report *r = verify_p7s_files(ver, "doc.p7s", "doc-tampered.bin");

	(void)state;
	check_is(&r->sigs[0], SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_DIGEST_MISMATCH);
	assert_int_equal(r->verdict, SIG_INVALID);
	sig_report_free(r);
	expect_in(run("openssl cms -verify -binary -inform DER -in doc.p7s -content doc-tampered.bin "
	    "-CAfile root.pem -out /dev/null"), "content verify error");
}

/*
 * Signed without -binary over a text file with LF endings: openssl signed the
 * canonical CRLF form, not the bytes of the file. We verify the bytes -> digest
 * mismatch; `openssl cms -verify -binary` agrees; plain `openssl cms -verify`
 * (text mode) converts again and says successful. The same file signed with -binary
 * verifies in binary mode.
 */
static void
test_p7s_made_without_binary(void **state)
{
	struct sig_report *r = verify_p7s_files(ver, "note-text.p7s", "note.txt");

	(void)state;
	check_is(&r->sigs[0], SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_DIGEST_MISMATCH);
	sig_report_free(r);
	expect_in(run("openssl cms -verify -binary -inform DER -in note-text.p7s -content note.txt "
	    "-CAfile root.pem -out /dev/null"), "content verify error");
	expect_in(run("openssl cms -verify -inform DER -in note-text.p7s -content note.txt "
	    "-CAfile root.pem -out /dev/null"), "Verification successful");
	r = verify_p7s_files(ver, "note-binary.p7s", "note.txt");
	expect_only(r, 0, -1, SIG_OK, SIG_R_NONE, SIG_VALID);
	sig_report_free(r);
}

/* Expired at signing. openssl agrees ("certificate has expired"). */
static void
test_p7s_expired(void **state)
{
	struct sig_report *r = verify_p7s_files(ver, "expired.p7s", "doc.bin");

	(void)state;
	check_is(&r->sigs[0], SIG_CHECK_CHAIN_AT_SIGNING, SIG_FAIL, SIG_R_EXPIRED_AT_SIGNING);
	sig_report_free(r);
	expect_in(run("openssl cms -verify -binary -inform DER -in expired.p7s -content doc.bin "
	    "-CAfile root.pem -out /dev/null"), "certificate has expired");
}

/*
 * Revoked before signing. openssl agrees only with -crl_check and the CRL in the
 * -CAfile; without them it says successful (it reads no CRL unless told). Note that
 * openssl checks the CRL at "now": it cannot tell revoked-after-signing apart.
 */
static void
test_p7s_revoked(void **state)
{
	struct sig_report *r = verify_p7s_files(ver, "revoked_before.p7s", "doc.bin");

	(void)state;
	expect_only(r, 0, SIG_CHECK_REVOCATION, SIG_FAIL, SIG_R_REVOKED_BEFORE_SIGNING, SIG_INVALID);
	sig_report_free(r);
	run("cat root.pem inter-crl.pem > ca+crl.pem");
	expect_in(run("openssl cms -verify -binary -inform DER -in revoked_before.p7s -content doc.bin "
	    "-CAfile ca+crl.pem -crl_check -out /dev/null"), "certificate revoked");
	expect_in(run("openssl cms -verify -binary -inform DER -in revoked_before.p7s -content doc.bin "
	    "-CAfile root.pem -out /dev/null"), "Verification successful");
}

/* keyCertSign only. openssl refuses too, for its S/MIME purpose. */
static void
test_p7s_wrong_key_usage(void **state)
{
	struct sig_report *r = verify_p7s_files(ver, "wrongku.p7s", "doc.bin");

	(void)state;
	expect_only(r, 0, SIG_CHECK_KEY_USAGE, SIG_FAIL, SIG_R_BAD_KEY_USAGE, SIG_INVALID);
	sig_report_free(r);
	expect_in(run("openssl cms -verify -binary -inform DER -in wrongku.p7s -content doc.bin "
	    "-CAfile root.pem -out /dev/null"), "Verification failure");
}

/*
 * Document-signing EKU only: valid here. openssl's default S/MIME purpose refuses it
 * ("unsuitable certificate purpose"), and -purpose any accepts it but would accept
 * keyCertSign-only too (see wrongku): the DESIGN.md pitfall.
 */
static void
test_p7s_document_signing_eku(void **state)
{
	struct sig_report *r = verify_p7s_files(ver, "docsign.p7s", "doc.bin");

	(void)state;
	expect_only(r, 0, -1, SIG_OK, SIG_R_NONE, SIG_VALID);
	sig_report_free(r);
	expect_in(run("openssl cms -verify -binary -inform DER -in docsign.p7s -content doc.bin "
	    "-CAfile root.pem -out /dev/null"), "unsuitable certificate purpose");
	expect_in(run("openssl cms -verify -binary -inform DER -in docsign.p7s -content doc.bin "
	    "-CAfile root.pem -purpose any -out /dev/null"), "Verification successful");
	expect_in(run("openssl cms -verify -binary -inform DER -in wrongku.p7s -content doc.bin "
	    "-CAfile root.pem -purpose any -out /dev/null"), "Verification successful");
}

/* The look-alike CA travels inside the CMS. Both: not trusted. */
static void
test_p7s_rogue_ca(void **state)
{
	struct sig_report *r = verify_p7s_files(ver, "rogue.p7s", "doc.bin");

	(void)state;
	check_is(&r->sigs[0], SIG_CHECK_INTEGRITY, SIG_OK, SIG_R_NONE);
	check_is(&r->sigs[0], SIG_CHECK_CHAIN_NOW, SIG_FAIL, SIG_R_UNTRUSTED_CHAIN);
	assert_int_equal(r->verdict, SIG_INVALID);
	sig_report_free(r);
	expect_in(run("openssl cms -verify -binary -inform DER -in rogue.p7s -content doc.bin "
	    "-CAfile root.pem -out /dev/null"), "Verification failure");
}

static void
test_p7s_malformed(void **state)
{
	struct sig_report *r;
	uint8_t *s, *c, *more;
	size_t sn, cn;

	(void)state;
	c = slurp("doc.bin", &cn);
	assert_int_equal(sig_verify_detached(ver, (const uint8_t *)"xx", 2, c, cn, now, &r), 0);
	check_is(&r->sigs[0], SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_CMS_MALFORMED);
	assert_int_equal(r->verdict, SIG_INVALID);
	sig_report_free(r);
	/* a detached signature followed by junk */
	s = slurp("doc.p7s", &sn);
	more = malloc(sn + 1);
	memcpy(more, s, sn);
	more[sn] = 0;
	assert_int_equal(sig_verify_detached(ver, more, sn + 1, c, cn, now, &r), 0);
	check_is(&r->sigs[0], SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_CMS_MALFORMED);
	sig_report_free(r);
	/* truncations and byte flips (the DER walk in cms_parse): no crash, and only a
	 * change in a place nobody signs may leave it valid */
	for (size_t k = 0; k < sn; k += 5) {
		assert_int_equal(sig_verify_detached(ver, s, k, c, cn, now, &r), 0);
		assert_int_equal(r->verdict, SIG_INVALID);
		sig_report_free(r);
	}
	for (size_t k = 0; k < sn; k += 3) {
		memcpy(more, s, sn);
		more[k] ^= 0x5a;
		assert_int_equal(sig_verify_detached(ver, more, sn, c, cn, now, &r), 0);
		sig_report_free(r);
	}
	free(more);
	free(s);
	free(c);
}

/*
 * No signed attributes at all (openssl cms -sign -noattr), so no claimed signing
 * time: the chain is checked at "now" only (warning no_signing_time); an expired
 * certificate then cannot be shown valid at signing (chain_now fails), and any
 * revocation counts (revoked). openssl agrees on the first (successful) and reports
 * the expiry; it says nothing about signing time.
 */
static void
test_p7s_no_signing_time(void **state)
{
	struct sig_report *r;

	(void)state;
	run("openssl cms -sign -binary -noattr -md sha256 -outform DER -signer officer.pem "
	    "-inkey officer.key -certfile inter.pem -in doc.bin -out noattr.p7s");
	run("openssl cms -sign -binary -noattr -md sha256 -outform DER -signer expired.pem "
	    "-inkey expired.key -certfile inter.pem -in doc.bin -out noattr-expired.p7s");
	run("openssl cms -sign -binary -noattr -md sha256 -outform DER -signer revoked_after.pem "
	    "-inkey revoked_after.key -certfile inter.pem -in doc.bin -out noattr-revoked.p7s");

	r = verify_p7s_files(ver, "noattr.p7s", "doc.bin");
	expect_only(r, 0, SIG_CHECK_CHAIN_AT_SIGNING, SIG_WARNING, SIG_R_NO_SIGNING_TIME,
	    SIG_VALID_WITH_WARNINGS);
	assert_false(r->sigs[0].has_claimed_time);
	assert_string_equal(r->sigs[0].claimed_time_source, "");
	sig_report_free(r);
	expect_in(run("openssl cms -verify -binary -inform DER -in noattr.p7s -content doc.bin "
	    "-CAfile root.pem -out /dev/null"), "Verification successful");

	r = verify_p7s_files(ver, "noattr-expired.p7s", "doc.bin");
	check_is(&r->sigs[0], SIG_CHECK_CHAIN_NOW, SIG_FAIL, SIG_R_EXPIRED_NOW);
	assert_int_equal(r->verdict, SIG_INVALID);
	sig_report_free(r);
	expect_in(run("openssl cms -verify -binary -inform DER -in noattr-expired.p7s -content doc.bin "
	    "-CAfile root.pem -out /dev/null"), "certificate has expired");

	r = verify_p7s_files(ver, "noattr-revoked.p7s", "doc.bin");
	check_is(&r->sigs[0], SIG_CHECK_REVOCATION, SIG_FAIL, SIG_R_REVOKED);
	assert_int_equal(r->verdict, SIG_INVALID);
	sig_report_free(r);
}

/* PEM input takes the same path. */
static void
test_p7s_pem(void **state)
{
	struct sig_report *r;

	(void)state;
	run("openssl cms -cmsout -inform DER -in doc.p7s -outform PEM -out doc-p7s.pem");
	r = verify_p7s_files(ver, "doc-p7s.pem", "doc.bin");
	expect_only(r, 0, -1, SIG_OK, SIG_R_NONE, SIG_VALID);
	sig_report_free(r);
}

/* ---------------------------------------------------------------- performance */

/* One verifier shared by threads (its certificate and CRL caches take a lock). */
struct job {
	const uint8_t *pdf;
	size_t len;
	int ok;
};

static void *
verify_many(void *arg)
{
	struct job *j = arg;
	struct sig_report *r;

	j->ok = 1;
	for (int i = 0; i < 40; i++) {
		if (sig_verify_pdf(ver, j->pdf, j->len, now, &r) != 0)
			j->ok = 0;
		else if (r->verdict != SIG_VALID || r->n == 0)
			j->ok = 0;
		sig_report_free(r);
	}
	return NULL;
}

static void
test_threads_share_a_verifier(void **state)
{
	pthread_t th[4];
	struct job jobs[4];
	uint8_t *a, *b;
	size_t an, bn;

	(void)state;
	a = slurp("signed.pdf", &an);
	b = slurp("two.pdf", &bn);
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){ i % 2 ? a : b, i % 2 ? an : bn, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, verify_many, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_true(jobs[i].ok);
	}
	free(a);
	free(b);
}

/*
 * In-process verifications per second of a ~200 KB PDF with one signature, one
 * thread, verifier built once. Counted in CPU time of this (single-threaded)
 * process, so other load on the machine does not skew it; wall time is printed
 * too. Printed, not asserted (sanitizer builds are slow): MOTCUA_SIG_BENCH_MIN=N
 * makes it an assertion for optimised builds.
 */
static double
seconds(clockid_t clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
test_perf_200k(void **state)
{
	size_t n;
	uint8_t *b = sign_pdf("big.pdf", "big-c.pdf", "officer", now - 60, "adbe.pkcs7.detached", 0, &n);
	struct sig_report *r;
	double c0, w0, cpu, wall;
	int iters = 0;
	const char *min = getenv("MOTCUA_SIG_BENCH_MIN");

	(void)state;
	c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
	w0 = seconds(CLOCK_MONOTONIC);
	do {
		assert_int_equal(sig_verify_pdf(ver, b, n, now, &r), 0);
		assert_int_equal(r->verdict, SIG_VALID);
		sig_report_free(r);
		iters++;
		cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
	} while (cpu < 2.0);
	wall = seconds(CLOCK_MONOTONIC) - w0;
	printf("    sig_verify_pdf: %zu-byte PDF, %.0f verifications/s of CPU (%.0f/s wall), %d runs\n",
	    n, iters / cpu, iters / wall, iters);
	if (min != NULL)
		assert_true(iters / cpu >= atof(min));
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pdf_valid, queue_empty),
		cmocka_unit_test_teardown(test_pdf_cert_fingerprint, queue_empty),
		cmocka_unit_test_teardown(test_pdf_tampered_in_range, queue_empty),
		cmocka_unit_test_teardown(test_pdf_tampered_trailer, queue_empty),
		cmocka_unit_test_teardown(test_pdf_contents_padding_changed, queue_empty),
		cmocka_unit_test_teardown(test_pdf_appended_after_signing, queue_empty),
		cmocka_unit_test_teardown(test_pdf_two_signatures, queue_empty),
		cmocka_unit_test_teardown(test_pdf_expired_now_valid_at_signing, queue_empty),
		cmocka_unit_test_teardown(test_pdf_expired_at_signing, queue_empty),
		cmocka_unit_test_teardown(test_pdf_rogue_ca, queue_empty),
		cmocka_unit_test_teardown(test_pdf_revoked_before_signing, queue_empty),
		cmocka_unit_test_teardown(test_pdf_revoked_after_signing, queue_empty),
		cmocka_unit_test_teardown(test_pdf_wrong_key_usage, queue_empty),
		cmocka_unit_test_teardown(test_pdf_document_signing_eku, queue_empty),
		cmocka_unit_test_teardown(test_pdf_etsi_cades, queue_empty),
		cmocka_unit_test_teardown(test_pdf_no_signed_attributes, queue_empty),
		cmocka_unit_test_teardown(test_pdf_document_timestamp, queue_empty),
		cmocka_unit_test_teardown(test_pdf_trust_and_crl_sources, queue_empty),
		cmocka_unit_test_teardown(test_pdf_unsigned_and_garbage, queue_empty),
		cmocka_unit_test_teardown(test_p7s_valid, queue_empty),
		cmocka_unit_test_teardown(test_p7s_tampered_content, queue_empty),
		cmocka_unit_test_teardown(test_p7s_made_without_binary, queue_empty),
		cmocka_unit_test_teardown(test_p7s_expired, queue_empty),
		cmocka_unit_test_teardown(test_p7s_revoked, queue_empty),
		cmocka_unit_test_teardown(test_p7s_wrong_key_usage, queue_empty),
		cmocka_unit_test_teardown(test_p7s_document_signing_eku, queue_empty),
		cmocka_unit_test_teardown(test_p7s_rogue_ca, queue_empty),
		cmocka_unit_test_teardown(test_p7s_malformed, queue_empty),
		cmocka_unit_test_teardown(test_p7s_no_signing_time, queue_empty),
		cmocka_unit_test_teardown(test_p7s_pem, queue_empty),
		cmocka_unit_test_teardown(test_threads_share_a_verifier, queue_empty),
		cmocka_unit_test_teardown(test_perf_200k, queue_empty),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
