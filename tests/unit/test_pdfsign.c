/*
 * Tests for sig/pdfsign: PDFs and detached CMS signed here, then judged by our own
 * verifier (sig/sigverify), by poppler's `pdfsig` (an independent reader: NSS, with
 * the test root trusted in an NSS database) and, for .p7s, by `openssl cms -verify`.
 * The test PKI comes from tests/sig/make-fixtures.sh in a mkdtemp directory, removed
 * at the end (MOTCUA_KEEP_FIXTURES=1 keeps it); an ECDSA signer is issued here too.
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
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sig/pdf.h"
#include "sig/pdfsign.h"
#include "sig/sigverify.h"
#include "../sig/pdfbuild.h"

static char fx[256];                    /* the fixture directory */
static mc_time now;
static struct sig_verifier *ver;        /* the test root + the intermediate's CRL */

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

static void
expect_in(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) == NULL)
		fail_msg("expected \"%s\" in:\n%s", needle, haystack);
}

static int
count_of(const char *haystack, const char *needle)
{
	int n = 0;

	for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* pdfsig (poppler, NSS) with the test root trusted: every signature valid and trusted. */
static void
pdfsig_says_valid(const char *file, int nsigs)
{
	char *out = run("pdfsig -nssdir sql:nss-verify '%s'", file);

	if (count_of(out, "Signature Validation: Signature is Valid.") != nsigs ||
	    count_of(out, "Certificate Validation: Certificate is Trusted.") != nsigs)
		fail_msg("pdfsig on %s, expected %d valid trusted signatures:\n%s", file, nsigs, out);
}

/* ---------------------------------------------------------------- signers */

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

/* Sign file `in` with `who` into `out` (written to the fixture directory). */
static uint8_t *
sign_file(const char *in, const char *out, const char *who, const struct pdfsign_options *o,
    size_t *len)
{
	struct signer s;
	uint8_t *pdf, *signed_pdf = NULL;
	size_t n;

	load_signer(who, &s);
	pdf = slurp(in, &n);
	if (pdf == NULL)
		fail_msg("fixture %s is missing", in);
	assert_int_equal(pdfsign_sign_pdf(pdf, n, o, s.key, s.cert, s.chain, &signed_pdf, len),
	    PDFSIGN_OK);
	spit(out, signed_pdf, *len);
	free(pdf);
	free_signer(&s);
	return signed_pdf;
}

static struct sig_report *
verify(const uint8_t *pdf, size_t len)
{
	struct sig_report *r = NULL;

	assert_int_equal(sig_verify_pdf(ver, pdf, len, now, &r), 0);
	return r;
}

static void
expect_all_ok(const struct sig_result *s)
{
	for (int c = 0; c < SIG_CHECK__MAX; c++)
		if (s->checks[c].status != SIG_OK)
			fail_msg("signature %d, check %s: %s/%s (%s)", s->index,
			    sig_check_name((enum sig_check_id)c), sig_status_name(s->checks[c].status),
			    sig_reason_code(s->checks[c].reason), s->checks[c].detail);
	assert_int_equal(s->verdict, SIG_VALID);
}

/* ---------------------------------------------------------------- PDFs */

static void
test_sign_classic_xref(void **state)
{
	struct pdfsign_options o = { .reason = "Ký kết quả giải quyết hồ sơ", .location = "Gio Mỹ",
	    .signer_name = "Nguyễn Văn An", .signing_time = (int64_t)now };
	struct sig_report *r;
	uint8_t *pdf, *base;
	size_t n, bn;
	char *out;

	(void)state;
	pdf = sign_file("base.pdf", "ours.pdf", "officer", &o, &n);
	base = slurp("base.pdf", &bn);
	assert_memory_equal(pdf, base, bn);     /* the original bytes are untouched */
	r = verify(pdf, n);
	assert_int_equal(r->verdict, SIG_VALID);
	assert_int_equal(r->n, 1);
	expect_all_ok(&r->sigs[0]);
	assert_true(r->sigs[0].has_signing_cert_v2);
	assert_true(r->sigs[0].covers_whole_file);
	assert_string_equal(r->sigs[0].subfilter, "ETSI.CAdES.detached");
	assert_string_equal(r->sigs[0].field_name, "Signature1");
	assert_string_equal(r->sigs[0].claimed_time_source, "cms_signing_time");
	assert_int_equal(r->sigs[0].claimed_signing_time, now);
	assert_string_equal(r->sigs[0].signer.cn, "Nguyễn Văn An");
	assert_false(r->pdf_rebuilt);
	sig_report_free(r);
	/* text strings: UTF-16BE with its byte-order mark ("Ký" = 004B 00FD) */
	assert_non_null(memmem(pdf, n, "/Reason <FEFF004B00FD0020006B1EBF0074", 36));
	assert_non_null(memmem(pdf, n, "/M (D:", 6));
	pdfsig_says_valid("ours.pdf", 1);
	out = run("pdfsig -nssdir sql:nss-verify ours.pdf");
	expect_in(out, "ETSI.CAdES.detached");
	expect_in(out, "Signature Type: ETSI.CAdES.detached");
	free(pdf);
	free(base);
}

/* A second signature on top of ours, then a third of ours on top of poppler's. */
static void
test_two_signatures(void **state)
{
	struct pdfsign_options o = { .reason = "Phê duyệt", .signing_time = (int64_t)now };
	struct sig_report *r;
	uint8_t *one, *two, *three;
	size_t n1, n2, n3;

	(void)state;
	one = sign_file("base.pdf", "one.pdf", "officer", &o, &n1);
	two = sign_file("one.pdf", "two-ours.pdf", "officer2", &o, &n2);
	assert_memory_equal(two, one, n1);
	r = verify(two, n2);
	assert_int_equal(r->verdict, SIG_VALID);
	assert_int_equal(r->n, 2);
	assert_true(r->sigs[0].later_only_signatures);
	assert_int_equal(r->sigs[0].checks[SIG_CHECK_COVERAGE].reason, SIG_R_LATER_SIGNATURES_ONLY);
	expect_all_ok(&r->sigs[0]);
	expect_all_ok(&r->sigs[1]);
	assert_string_equal(r->sigs[0].field_name, "Signature1");
	assert_string_equal(r->sigs[1].field_name, "Signature2");
	assert_string_equal(r->sigs[1].signer.cn, "Trần Thị Bình");
	assert_true(r->sigs[1].covers_whole_file);
	sig_report_free(r);
	pdfsig_says_valid("two-ours.pdf", 2);

	/* poppler signed first (adbe.pkcs7.detached, its own field and form) */
	three = sign_file("signed.pdf", "poppler-then-ours.pdf", "officer2", &o, &n3);
	r = verify(three, n3);
	assert_int_equal(r->verdict, SIG_VALID);
	assert_int_equal(r->n, 2);
	assert_true(r->sigs[0].later_only_signatures);
	expect_all_ok(&r->sigs[1]);
	sig_report_free(r);
	pdfsig_says_valid("poppler-then-ours.pdf", 2);
	free(one);
	free(two);
	free(three);
}

/*
 * A PDF whose cross-reference is an xref stream, its catalog and page tree in an
 * object stream, with an indirect /AcroForm whose indirect /Fields array holds a text
 * field (kept), and a page with real numbers (written back so that they read equal).
 */
static void
make_xref_stream_pdf(const char *name)
{
	static const char stream[] = "BT /F1 18 Tf 72 760 Td (Xref stream) Tj ET\n";
	static const char catalog[] = "<< /Type /Catalog /Pages 2 0 R /AcroForm 7 0 R >>";
	struct pdfb b;
	char objs[512], hdr[64];
	size_t first, xref_off;

	pb_init(&b, NULL, 0, 0);
	/* object stream 6: objects 1 (catalog) and 2 (pages), uncompressed */
	snprintf(objs, sizeof(objs), "%s\n%s", catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
	snprintf(hdr, sizeof(hdr), "1 0 2 %zu\n", strlen(catalog) + 1);
	first = strlen(hdr);
	pb_begin(&b, 6);
	pb_add(&b, "<< /Type /ObjStm /N 2 /First %zu /Length %zu >>\nstream\n%s%s\nendstream\nendobj\n",
	    first, first + strlen(objs), hdr, objs);
	pb_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.276 841.89] /Contents 4 0 R "
	    "/Resources << /Font << /F1 5 0 R >> >> /Annots [8 0 R] /UserUnit 1.0 /Rotate 0 >>");
	pb_stream(&b, 4, "", stream, strlen(stream));
	pb_obj(&b, 5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
	pb_obj(&b, 7, "<< /Fields 9 0 R /DA (/Helv 0 Tf 0 g) >>");
	pb_obj(&b, 8, "<< /FT /Tx /T (S#C3#B4 h#E1#BB#93 s#C6#A1) /V (H45-0001) /Type /Annot "
	    "/Subtype /Widget /Rect [72 700 300 720] /P 3 0 R >>");
	pb_obj(&b, 9, "[8 0 R]");
	xref_off = b.n;
	/* xref stream 10, W [1 4 2], no filter: rows 0..10 */
	{
		struct { int type; uint32_t f2; uint16_t f3; } rows[11] = {
			{ 0, 0, 65535 }, { 2, 6, 0 }, { 2, 6, 1 }, { 1, (uint32_t)b.off[3], 0 },
			{ 1, (uint32_t)b.off[4], 0 }, { 1, (uint32_t)b.off[5], 0 },
			{ 1, (uint32_t)b.off[6], 0 }, { 1, (uint32_t)b.off[7], 0 },
			{ 1, (uint32_t)b.off[8], 0 }, { 1, (uint32_t)b.off[9], 0 },
			{ 1, (uint32_t)xref_off, 0 },
		};
		uint8_t rowdata[11 * 7];

		for (int i = 0; i < 11; i++) {
			uint8_t *p = rowdata + 7 * i;

			p[0] = (uint8_t)rows[i].type;
			p[1] = (uint8_t)(rows[i].f2 >> 24);
			p[2] = (uint8_t)(rows[i].f2 >> 16);
			p[3] = (uint8_t)(rows[i].f2 >> 8);
			p[4] = (uint8_t)rows[i].f2;
			p[5] = (uint8_t)(rows[i].f3 >> 8);
			p[6] = (uint8_t)rows[i].f3;
		}
		pb_begin(&b, 10);
		pb_add(&b, "<< /Type /XRef /Size 11 /W [1 4 2] /Root 1 0 R "
		    "/ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] "
		    "/Length %zu >>\nstream\n", sizeof(rowdata));
		pb_raw(&b, rowdata, sizeof(rowdata));
		pb_add(&b, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xref_off);
	}
	spit(name, b.s, b.n);
	free(b.s);
}

static void
test_sign_xref_stream(void **state)
{
	struct pdfsign_options o = { .reason = "Ký số", .signing_time = (int64_t)now };
	struct sig_report *r;
	uint8_t *one, *two;
	size_t n1, n2;
	char *out;

	(void)state;
	make_xref_stream_pdf("xrefstm.pdf");
	out = run("pdfinfo xrefstm.pdf");
	expect_in(out, "Pages:           1");
	if (strstr(out, "Error") != NULL)
		fail_msg("pdfinfo complains about the test PDF:\n%s", out);
	one = sign_file("xrefstm.pdf", "xrefstm-signed.pdf", "officer", &o, &n1);
	/* the new section is an xref stream too */
	assert_non_null(memmem(one + n1 - 400, 400, "/Type /XRef", 11));
	r = verify(one, n1);
	assert_int_equal(r->verdict, SIG_VALID);
	assert_int_equal(r->n, 1);
	expect_all_ok(&r->sigs[0]);
	sig_report_free(r);
	pdfsig_says_valid("xrefstm-signed.pdf", 1);
	two = sign_file("xrefstm-signed.pdf", "xrefstm-two.pdf", "officer2", &o, &n2);
	r = verify(two, n2);
	assert_int_equal(r->verdict, SIG_VALID);
	assert_int_equal(r->n, 2);
	assert_true(r->sigs[0].later_only_signatures);
	sig_report_free(r);
	pdfsig_says_valid("xrefstm-two.pdf", 2);
	/* the form kept its text field, first: three fields now */
	{
		struct pdf_doc d;
		struct pdf_obj *cat, *acro, *fields, *f0, *t;

		assert_int_equal(pdf_open(&d, two, n2), 0);
		cat = pdf_resolve(&d, pdf_dict_get(pdf_trailer(&d, SIZE_MAX), "Root"), SIZE_MAX);
		acro = pdf_resolve(&d, pdf_dict_get(cat, "AcroForm"), SIZE_MAX);
		fields = pdf_resolve(&d, pdf_dict_get(acro, "Fields"), SIZE_MAX);
		assert_non_null(fields);
		assert_int_equal(fields->u.arr.n, 3);
		f0 = pdf_resolve(&d, fields->u.arr.items[0], SIZE_MAX);
		assert_true(pdf_is_name(pdf_dict_get(f0, "FT"), "Tx"));
		t = pdf_dict_get(f0, "V");
		assert_non_null(t);
		assert_memory_equal(t->u.str.s, "H45-0001", 8);
		assert_non_null(pdf_dict_get(acro, "DA"));
		assert_int_equal(pdf_dict_get(acro, "SigFlags")->u.i, 3);
		pdf_close(&d);
	}
	free(one);
	free(two);
}

/* The remote-signing path: prepare, attributes, an outside signature, assemble, embed. */
static void
test_two_step(void **state)
{
	struct pdfsign_options o = { .signing_time = (int64_t)now - 3600 };
	struct pdfsign_prepared p;
	struct signer s;
	struct sig_report *r;
	uint8_t *pdf, *attrs = NULL, *sig = NULL, *cms = NULL, *direct = NULL;
	size_t n, alen, slen = 0, clen, dlen;
	EVP_PKEY_CTX *pctx;
	uint8_t md[32];

	(void)state;
	load_signer("officer", &s);
	pdf = slurp("base.pdf", &n);
	assert_int_equal(pdfsign_prepare(pdf, n, &o, &p), PDFSIGN_OK);
	assert_int_equal(p.signing_time, o.signing_time);
	assert_int_equal(p.capacity, PDFSIGN_DEFAULT_CAPACITY);
	assert_int_equal(p.byte_range[0], 0);
	assert_int_equal((size_t)p.byte_range[1], p.contents_off);
	assert_int_equal((size_t)(p.byte_range[2] + p.byte_range[3]), p.len);
	assert_int_equal(pdfsign_signed_attrs(p.digest, s.cert, p.signing_time, &attrs, &alen),
	    PDFSIGN_OK);
	assert_int_equal(attrs[0], 0x31);
	/* the token: sign SHA-256(attrs) with the private key, PKCS#1 v1.5 */
	assert_int_equal(EVP_Digest(attrs, alen, md, NULL, EVP_sha256(), NULL), 1);
	pctx = EVP_PKEY_CTX_new(s.key, NULL);
	assert_int_equal(EVP_PKEY_sign_init(pctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING), 1);
	assert_int_equal(EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()), 1);
	assert_int_equal(EVP_PKEY_sign(pctx, NULL, &slen, md, 32), 1);
	sig = malloc(slen);
	assert_int_equal(EVP_PKEY_sign(pctx, sig, &slen, md, 32), 1);
	EVP_PKEY_CTX_free(pctx);
	assert_int_equal(pdfsign_assemble_cms(s.cert, s.chain, attrs, alen, sig, slen, &cms, &clen),
	    PDFSIGN_OK);
	/* the same bytes as the one-call path with the key in hand (RSA v1.5 is deterministic) */
	assert_int_equal(pdfsign_sign_digest(s.key, s.cert, s.chain, p.digest, p.signing_time,
	    &direct, &dlen), PDFSIGN_OK);
	assert_int_equal(clen, dlen);
	assert_memory_equal(cms, direct, clen);
	assert_int_equal(pdfsign_embed(&p, cms, clen), PDFSIGN_OK);
	spit("two-step.pdf", p.pdf, p.len);
	r = verify(p.pdf, p.len);
	assert_int_equal(r->verdict, SIG_VALID);
	expect_all_ok(&r->sigs[0]);
	assert_int_equal(r->sigs[0].claimed_signing_time, o.signing_time);
	sig_report_free(r);
	pdfsig_says_valid("two-step.pdf", 1);

	/* a tampered byte in the covered part: invalid */
	p.pdf[p.len - 30] ^= 0x01;
	r = verify(p.pdf, p.len);
	assert_int_equal(r->verdict, SIG_INVALID);
	assert_int_equal(r->sigs[0].checks[SIG_CHECK_INTEGRITY].reason, SIG_R_DIGEST_MISMATCH);
	sig_report_free(r);
	p.pdf[p.len - 30] ^= 0x01;
	p.pdf[100] ^= 0x01;
	r = verify(p.pdf, p.len);
	assert_int_equal(r->verdict, SIG_INVALID);
	sig_report_free(r);

	/* a signature from another key is refused before anything is built */
	free(cms);
	cms = NULL;
	sig[10] ^= 0x01;
	assert_int_equal(pdfsign_assemble_cms(s.cert, s.chain, attrs, alen, sig, slen, &cms, &clen),
	    PDFSIGN_E_KEY);
	assert_null(cms);
	pdfsign_prepared_free(&p);
	free(pdf);
	free(attrs);
	free(sig);
	free(direct);
	free_signer(&s);
}

static void
test_ecdsa(void **state)
{
	struct pdfsign_options o = { .reason = "ECDSA P-256", .signing_time = (int64_t)now };
	struct sig_report *r;
	uint8_t *pdf;
	size_t n;

	(void)state;
	pdf = sign_file("base.pdf", "ec.pdf", "ecsigner", &o, &n);
	r = verify(pdf, n);
	assert_int_equal(r->verdict, SIG_VALID);
	expect_all_ok(&r->sigs[0]);
	assert_true(r->sigs[0].has_signing_cert_v2);
	sig_report_free(r);
	pdfsig_says_valid("ec.pdf", 1);
	free(pdf);
}

static void
test_wrong_key(void **state)
{
	struct pdfsign_options o = { .signing_time = (int64_t)now };
	struct signer a, b;
	uint8_t *pdf, *out = NULL, digest[32] = { 1 }, *cms = NULL;
	size_t n, on = 0, cn;

	(void)state;
	load_signer("officer", &a);
	load_signer("officer2", &b);
	pdf = slurp("base.pdf", &n);
	assert_int_equal(pdfsign_sign_pdf(pdf, n, &o, b.key, a.cert, a.chain, &out, &on),
	    PDFSIGN_E_KEY);
	assert_null(out);
	assert_int_equal(pdfsign_sign_digest(b.key, a.cert, a.chain, digest, now, &cms, &cn),
	    PDFSIGN_E_KEY);
	assert_null(cms);
	free(pdf);
	free_signer(&a);
	free_signer(&b);
}

static void
test_too_big(void **state)
{
	struct pdfsign_options o = { .signing_time = (int64_t)now, .capacity = 600 };
	struct pdfsign_prepared p;
	struct signer s;
	uint8_t *pdf, *cms = NULL, *out = NULL;
	size_t n, clen, on;

	(void)state;
	load_signer("officer", &s);
	pdf = slurp("base.pdf", &n);
	assert_int_equal(pdfsign_prepare(pdf, n, &o, &p), PDFSIGN_OK);
	assert_int_equal(pdfsign_sign_digest(s.key, s.cert, s.chain, p.digest, p.signing_time,
	    &cms, &clen), PDFSIGN_OK);
	assert_true(clen > 600);
	assert_int_equal(pdfsign_embed(&p, cms, clen), PDFSIGN_E_TOO_BIG);
	assert_int_equal(pdfsign_sign_pdf(pdf, n, &o, s.key, s.cert, s.chain, &out, &on),
	    PDFSIGN_E_TOO_BIG);
	assert_null(out);
	pdfsign_prepared_free(&p);
	free(cms);
	free(pdf);
	free_signer(&s);
}

static void
test_not_a_pdf(void **state)
{
	struct pdfsign_options o = { 0 };
	struct pdfsign_prepared p;
	static const uint8_t junk[] = "%PDF-1.7\nthis is not a PDF at all\n";

	(void)state;
	assert_int_equal(pdfsign_prepare(junk, sizeof(junk) - 1, &o, &p), PDFSIGN_E_PDF);
	assert_null(p.pdf);
	assert_int_equal(pdfsign_prepare((const uint8_t *)"", 0, &o, &p), PDFSIGN_E_PDF);
	assert_string_equal(pdfsign_strerror(PDFSIGN_E_TOO_BIG),
	    "the signature does not fit the space reserved for it");
}

static void
test_encrypted_refused(void **state)
{
	struct pdfsign_options o = { 0 };
	struct pdfsign_prepared p;
	struct pdfb b;

	(void)state;
	pb_init(&b, NULL, 0, 0);
	pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	pb_obj(&b, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
	pb_obj(&b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
	pb_obj(&b, 4, "<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <00> /U <00> >>");
	pb_xref(&b, "/Root 1 0 R /Encrypt 4 0 R /ID [<00112233> <00112233>]");
	assert_int_equal(pdfsign_prepare(b.s, b.n, &o, &p), PDFSIGN_E_PDF);
	assert_null(p.pdf);
	/* the same file without /Encrypt is signable */
	memcpy(memmem(b.s, b.n, "/Encrypt 4 0 R", 14), "              ", 14);
	assert_int_equal(pdfsign_prepare(b.s, b.n, &o, &p), PDFSIGN_OK);
	pdfsign_prepared_free(&p);
	free(b.s);
}

/* signingTime: UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5652 11.3). */
static void
test_signing_time_encoding(void **state)
{
	static const uint8_t oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05 };
	struct signer s;
	uint8_t digest[32] = { 0 }, *a = NULL, *at;
	size_t n;

	(void)state;
	load_signer("officer", &s);
	assert_int_equal(pdfsign_signed_attrs(digest, s.cert, 2524607999, &a, &n), PDFSIGN_OK);
	assert_non_null(at = memmem(a, n, oid, sizeof(oid)));
	/* OID, SET { UTCTime "491231235959Z" } */
	assert_memory_equal(at + sizeof(oid), "\x31\x0f\x17\x0d" "491231235959Z", 17);
	free(a);
	assert_int_equal(pdfsign_signed_attrs(digest, s.cert, 2524608000, &a, &n), PDFSIGN_OK);
	assert_non_null(at = memmem(a, n, oid, sizeof(oid)));
	assert_memory_equal(at + sizeof(oid), "\x31\x11\x18\x0f" "20500101000000Z", 19);
	free(a);
	free_signer(&s);
}

/* ---------------------------------------------------------------- detached */

static void
test_detached(void **state)
{
	struct signer s;
	struct sig_report *r = NULL;
	uint8_t *doc, *p7s = NULL;
	size_t n, pn;
	char *out;

	(void)state;
	load_signer("officer", &s);
	doc = slurp("doc.bin", &n);
	assert_int_equal(pdfsign_sign_detached(s.key, s.cert, s.chain, doc, n, (int64_t)now,
	    &p7s, &pn), PDFSIGN_OK);
	spit("ours.p7s", p7s, pn);
	assert_int_equal(sig_verify_detached(ver, p7s, pn, doc, n, now, &r), 0);
	assert_int_equal(r->verdict, SIG_VALID);
	expect_all_ok(&r->sigs[0]);
	assert_true(r->sigs[0].has_signing_cert_v2);
	sig_report_free(r);
	out = run("openssl cms -verify -binary -inform DER -in ours.p7s -content doc.bin "
	    "-CAfile root.pem -purpose any -out /dev/null");
	expect_in(out, "Verification successful");
	out = run("openssl cms -cmsout -print -inform DER -in ours.p7s");
	expect_in(out, "id-smime-aa-signingCertificateV2");
	expect_in(out, "version: 1");
	/* another content: both say no */
	assert_int_equal(sig_verify_detached(ver, p7s, pn, doc, n - 1, now, &r), 0);
	assert_int_equal(r->verdict, SIG_INVALID);
	sig_report_free(r);
	out = run("openssl cms -verify -binary -inform DER -in ours.p7s -content doc-tampered.bin "
	    "-CAfile root.pem -purpose any -out /dev/null");
	expect_in(out, "Verification failure");
	free(p7s);
	free(doc);
	free_signer(&s);
}

/* ---------------------------------------------------------------- setup */

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
	snprintf(cmd, sizeof(cmd), "bash '%s/../sig/make-fixtures.sh' '%s' >'%s/make.log' 2>&1",
	    dir, fx, fx);
	if (system(cmd) != 0) {
		fprintf(stderr, "make-fixtures.sh failed: see %s/make.log\n", fx);
		return -1;
	}
	/* an ECDSA P-256 officer from the same intermediate */
	snprintf(cmd, sizeof(cmd), "cd '%s' && export ROGUE_SKID=hash && openssl genpkey -algorithm EC -pkeyopt "
	    "ec_paramgen_curve:P-256 -out ecsigner.key && openssl req -new -config ca.cnf "
	    "-key ecsigner.key -subj '/C=VN/O=UBND Test/CN=Chữ Ký EC' -out ecsigner.csr && "
	    "openssl ca -batch -config ca.cnf -name inter -extensions v3_officer -days 30 "
	    "-notext -utf8 -in ecsigner.csr -out ecsigner.pem >>make.log 2>&1", fx);
	if (system(cmd) != 0) {
		fprintf(stderr, "issuing the ECDSA signer failed: see %s/make.log\n", fx);
		return -1;
	}
	now = (mc_time)time(NULL);
	a = slurp("root.pem", &an);
	c = slurp("inter-crl.der", &cn);
	if (a == NULL || c == NULL)
		return -1;
	ca = (struct sig_blob){ a, an };
	crl = (struct sig_blob){ c, cn };
	if (sig_verifier_new(&ca, 1, &crl, 1, &ver) != 0)
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sign_classic_xref, queue_empty),
		cmocka_unit_test_teardown(test_two_signatures, queue_empty),
		cmocka_unit_test_teardown(test_sign_xref_stream, queue_empty),
		cmocka_unit_test_teardown(test_two_step, queue_empty),
		cmocka_unit_test_teardown(test_ecdsa, queue_empty),
		cmocka_unit_test_teardown(test_wrong_key, queue_empty),
		cmocka_unit_test_teardown(test_too_big, queue_empty),
		cmocka_unit_test_teardown(test_not_a_pdf, queue_empty),
		cmocka_unit_test_teardown(test_encrypted_refused, queue_empty),
		cmocka_unit_test_teardown(test_signing_time_encoding, queue_empty),
		cmocka_unit_test_teardown(test_detached, queue_empty),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
