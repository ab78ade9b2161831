/*
 * Signing PDFs (PAdES B-B, incremental update) and detached CMS: see pdfsign.h.
 *
 * The CMS is built here by hand in DER rather than with CMS_sign(): the remote case
 * has no private key at hand (a token signs the attributes elsewhere), and OpenSSL's
 * CMS_add1_signer() wants one. One encoder serves both cases, so the CMS of a key in
 * hand and the CMS of a token are the same structure byte for byte.
 *
 * The new revision's catalog, page, form and arrays are written from the parsed
 * objects (sig/pdf.h), not copied as text: a dictionary may live in an object stream,
 * and a re-serialised one reads back equal (pdf_equal), which is what the verifier's
 * "later revisions only add signatures" check compares.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>            /* before cms.h: it declares PEM_read_bio_CMS */
#include <openssl/cms.h>
#include <openssl/x509.h>

#include "sig/pdf.h"
#include "sig/pdfsign.h"

/* ---------------------------------------------------------------- growing buffer */

struct buf {
	uint8_t *s;
	size_t n, cap;
	int err;                        /* sticky: out of memory or an unwritable object */
};

static void
b_put(struct buf *b, const void *p, size_t len)
{
	if (b->err)
		return;
	if (len > SIZE_MAX / 2 - b->n) {
		b->err = PDFSIGN_E_NOMEM;
		return;
	}
	if (b->n + len > b->cap) {
		size_t cap = (b->n + len) * 2 + 256;
		uint8_t *ns = realloc(b->s, cap);

		if (ns == NULL) {
			b->err = PDFSIGN_E_NOMEM;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	if (len > 0)
		memcpy(b->s + b->n, p, len);
	b->n += len;
}

static void b_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
b_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof(tmp)) {
		b->err = PDFSIGN_E_ARG;
		return;
	}
	b_put(b, tmp, (size_t)k);
}

static void
b_free(struct buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

/* ---------------------------------------------------------------- DER */

static void
der_len(struct buf *b, size_t n)
{
	uint8_t t[9];
	int k = 0;

	if (n < 0x80) {
		t[0] = (uint8_t)n;
		b_put(b, t, 1);
		return;
	}
	for (size_t v = n; v > 0; v >>= 8)
		k++;
	t[0] = (uint8_t)(0x80 | k);
	for (int i = 0; i < k; i++)
		t[1 + i] = (uint8_t)(n >> (8 * (k - 1 - i)));
	b_put(b, t, (size_t)k + 1);
}

static void
der_tlv(struct buf *b, uint8_t tag, const void *v, size_t n)
{
	b_put(b, &tag, 1);
	der_len(b, n);
	b_put(b, v, n);
}

/* Wrap inner (consumed: freed) in a tag. */
static void
der_wrap(struct buf *b, uint8_t tag, struct buf *inner)
{
	if (inner->err)
		b->err = inner->err;
	der_tlv(b, tag, inner->s, inner->n);
	b_free(inner);
}

/* Encoded OIDs, tag and length included. */
static const uint8_t OID_DATA[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01 };
static const uint8_t OID_SIGNED_DATA[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
static const uint8_t OID_CONTENT_TYPE[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03 };
static const uint8_t OID_MESSAGE_DIGEST[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04 };
static const uint8_t OID_SIGNING_TIME[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05 };
static const uint8_t OID_SIGNING_CERT_V2[] = { 0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x2f };
static const uint8_t OID_SHA256[] = { 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
static const uint8_t OID_RSA[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const uint8_t OID_ECDSA_SHA256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
static const uint8_t DER_NULL[] = { 0x05, 0x00 };

/* AlgorithmIdentifier sha256: parameters absent (RFC 5754). */
static void
der_sha256_alg(struct buf *b)
{
	der_tlv(b, 0x30, OID_SHA256, sizeof(OID_SHA256));
}

/* An i2d of an OpenSSL object, appended. */
static void
der_i2d_name(struct buf *b, const X509_NAME *name)
{
	unsigned char *p = NULL;
	int n = i2d_X509_NAME(name, &p);

	if (n <= 0) {
		b->err = PDFSIGN_E_CMS;
		return;
	}
	b_put(b, p, (size_t)n);
	OPENSSL_free(p);
}

static void
der_i2d_serial(struct buf *b, const ASN1_INTEGER *serial)
{
	unsigned char *p = NULL;
	int n = i2d_ASN1_INTEGER(serial, &p);

	if (n <= 0) {
		b->err = PDFSIGN_E_CMS;
		return;
	}
	b_put(b, p, (size_t)n);
	OPENSSL_free(p);
}

static void
der_i2d_cert(struct buf *b, X509 *x)
{
	unsigned char *p = NULL;
	int n = i2d_X509(x, &p);

	if (n <= 0) {
		b->err = PDFSIGN_E_CMS;
		return;
	}
	b_put(b, p, (size_t)n);
	OPENSSL_free(p);
}

/* DER order of SET OF elements: bytewise, a prefix first. */
struct der_elem {
	const uint8_t *s;
	size_t n;
};

static int
der_elem_cmp(const void *a, const void *b)
{
	const struct der_elem *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->s, y->s, n);

	if (c != 0)
		return c;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* A SET OF (tag given: 0x31, or [0] IMPLICIT 0xa0) of the elements, sorted. */
static void
der_set_of(struct buf *b, uint8_t tag, struct der_elem *e, size_t n)
{
	struct buf in = { 0 };

	qsort(e, n, sizeof(*e), der_elem_cmp);
	for (size_t i = 0; i < n; i++)
		b_put(&in, e[i].s, e[i].n);
	der_wrap(b, tag, &in);
}

/* UTCTime for 1950..2049, GeneralizedTime otherwise (RFC 5652 11.3). */
static int
der_time(struct buf *b, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];
	int k;

	if (gmtime_r(&tt, &tm) == NULL)
		return -1;
	if (tm.tm_year + 1900 >= 1950 && tm.tm_year + 1900 < 2050) {
		k = snprintf(s, sizeof(s), "%02d%02d%02d%02d%02d%02dZ", tm.tm_year % 100,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		der_tlv(b, 0x17, s, (size_t)k);
	} else {
		if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
			return -1;
		k = snprintf(s, sizeof(s), "%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		der_tlv(b, 0x18, s, (size_t)k);
	}
	return 0;
}

/* Attribute ::= SEQUENCE { type OID, values SET OF (one value) } */
static void
der_attr(struct buf *b, const uint8_t *oid, size_t oidlen, struct buf *value)
{
	struct buf seq = { 0 }, set = { 0 };

	b_put(&seq, oid, oidlen);
	der_wrap(&set, 0x31, value);
	b_put(&seq, set.s, set.n);
	if (set.err)
		seq.err = set.err;
	b_free(&set);
	der_wrap(b, 0x30, &seq);
}

/* ---------------------------------------------------------------- CMS */

int
pdfsign_signed_attrs(const uint8_t digest[32], X509 *signer, int64_t signing_time,
    uint8_t **der, size_t *len)
{
	struct buf a[4] = { { 0 } }, v = { 0 }, out = { 0 };
	struct buf certid = { 0 }, issuer_serial = { 0 }, gnames = { 0 }, dirname = { 0 };
	struct buf certs = { 0 }, sigcert = { 0 };
	struct der_elem e[4];
	uint8_t hash[32];
	unsigned int hlen = 0;
	int ret = PDFSIGN_E_CMS;

	if (digest == NULL || signer == NULL || der == NULL || len == NULL)
		return PDFSIGN_E_ARG;
	*der = NULL;
	*len = 0;
	ERR_set_mark();
	if (X509_digest(signer, EVP_sha256(), hash, &hlen) != 1 || hlen != 32)
		goto done;

	/* contentType: id-data */
	b_put(&v, OID_DATA, sizeof(OID_DATA));
	der_attr(&a[0], OID_CONTENT_TYPE, sizeof(OID_CONTENT_TYPE), &v);
	/* signingTime */
	if (der_time(&v, signing_time) < 0) {
		ret = PDFSIGN_E_ARG;
		goto done;
	}
	der_attr(&a[1], OID_SIGNING_TIME, sizeof(OID_SIGNING_TIME), &v);
	/* messageDigest */
	der_tlv(&v, 0x04, digest, 32);
	der_attr(&a[2], OID_MESSAGE_DIGEST, sizeof(OID_MESSAGE_DIGEST), &v);
	/* signingCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }
	 * ESSCertIDv2 ::= SEQUENCE { certHash OCTET STRING, issuerSerial IssuerSerial }
	 * (hashAlgorithm left out: SHA-256 is its DEFAULT, and DER omits defaults)
	 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER } */
	der_i2d_name(&dirname, X509_get_issuer_name(signer));
	der_wrap(&gnames, 0xa4, &dirname);              /* directoryName [4] EXPLICIT Name */
	der_wrap(&issuer_serial, 0x30, &gnames);        /* GeneralNames */
	der_i2d_serial(&issuer_serial, X509_get0_serialNumber(signer));
	der_tlv(&certid, 0x04, hash, 32);
	der_wrap(&certid, 0x30, &issuer_serial);
	der_wrap(&certs, 0x30, &certid);
	der_wrap(&sigcert, 0x30, &certs);
	der_wrap(&v, 0x30, &sigcert);
	der_attr(&a[3], OID_SIGNING_CERT_V2, sizeof(OID_SIGNING_CERT_V2), &v);

	for (int i = 0; i < 4; i++) {
		if (a[i].err) {
			ret = a[i].err;
			goto done;
		}
		e[i] = (struct der_elem){ a[i].s, a[i].n };
	}
	der_set_of(&out, 0x31, e, 4);
	if (out.err) {
		ret = out.err;
		goto done;
	}
	*der = out.s;
	*len = out.n;
	out.s = NULL;
	ret = PDFSIGN_OK;
done:
	for (int i = 0; i < 4; i++)
		b_free(&a[i]);
	b_free(&v);
	b_free(&out);
	b_free(&certid);
	b_free(&issuer_serial);
	b_free(&gnames);
	b_free(&dirname);
	b_free(&certs);
	b_free(&sigcert);
	ERR_pop_to_mark();
	return ret;
}

/* The signed attributes are one well-formed SET whose length is the whole buffer. */
static int
attrs_well_formed(const uint8_t *a, size_t n)
{
	size_t len, hdr = 2;

	if (n < 2 || a[0] != 0x31)
		return 0;
	if (a[1] < 0x80) {
		len = a[1];
	} else {
		int k = a[1] & 0x7f;

		if (k == 0 || k > 4 || n < 2 + (size_t)k)
			return 0;
		len = 0;
		for (int i = 0; i < k; i++)
			len = (len << 8) | a[2 + i];
		hdr += (size_t)k;
	}
	return hdr + len == n;
}

/* Does the raw signature verify over attrs with the certificate's key? */
static int
signature_verifies(X509 *signer, const uint8_t *attrs, size_t attrs_len,
    const uint8_t *sig, size_t sig_len)
{
	EVP_PKEY *pub = X509_get0_pubkey(signer);
	EVP_MD_CTX *ctx;
	int ok = 0;

	if (pub == NULL || (ctx = EVP_MD_CTX_new()) == NULL)
		return 0;
	if (EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pub) == 1 &&
	    EVP_DigestVerify(ctx, sig, sig_len, attrs, attrs_len) == 1)
		ok = 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

int
pdfsign_assemble_cms(X509 *signer, STACK_OF(X509) *chain, const uint8_t *attrs,
    size_t attrs_len, const uint8_t *sig, size_t sig_len, uint8_t **cms, size_t *cms_len)
{
	struct buf sd = { 0 }, si = { 0 }, tmp = { 0 }, tmp2 = { 0 }, ci = { 0 }, sets = { 0 };
	struct buf *certbufs = NULL;
	struct der_elem *ce = NULL;
	size_t ncert = 0, nchain;
	EVP_PKEY *pub;
	int ret = PDFSIGN_E_CMS, base;

	if (signer == NULL || attrs == NULL || sig == NULL || sig_len == 0 || cms == NULL ||
	    cms_len == NULL)
		return PDFSIGN_E_ARG;
	*cms = NULL;
	*cms_len = 0;
	if (!attrs_well_formed(attrs, attrs_len))
		return PDFSIGN_E_ARG;
	ERR_set_mark();
	pub = X509_get0_pubkey(signer);
	base = pub != NULL ? EVP_PKEY_get_base_id(pub) : 0;
	if (base != EVP_PKEY_RSA && base != EVP_PKEY_EC) {
		ret = PDFSIGN_E_KEY;
		goto done;
	}
	if (!signature_verifies(signer, attrs, attrs_len, sig, sig_len)) {
		ret = PDFSIGN_E_KEY;
		goto done;
	}

	/* certificates [0] IMPLICIT SET OF: the signer, then the chain without repeats */
	nchain = chain != NULL ? (size_t)sk_X509_num(chain) : 0;
	certbufs = calloc(nchain + 1, sizeof(*certbufs));
	ce = calloc(nchain + 1, sizeof(*ce));
	if (certbufs == NULL || ce == NULL) {
		ret = PDFSIGN_E_NOMEM;
		goto done;
	}
	der_i2d_cert(&certbufs[ncert++], signer);
	for (size_t i = 0; i < nchain; i++) {
		X509 *x = sk_X509_value(chain, (int)i);
		int dup = X509_cmp(x, signer) == 0;

		for (size_t j = 0; j < i && !dup; j++)
			dup = X509_cmp(x, sk_X509_value(chain, (int)j)) == 0;
		if (!dup)
			der_i2d_cert(&certbufs[ncert++], x);
	}
	for (size_t i = 0; i < ncert; i++) {
		if (certbufs[i].err) {
			ret = certbufs[i].err;
			goto done;
		}
		ce[i] = (struct der_elem){ certbufs[i].s, certbufs[i].n };
	}

	/* SignerInfo */
	{
		static const uint8_t one[] = { 0x02, 0x01, 0x01 };

		b_put(&si, one, sizeof(one));
		der_i2d_name(&tmp, X509_get_issuer_name(signer));       /* issuerAndSerialNumber */
		der_i2d_serial(&tmp, X509_get0_serialNumber(signer));
		der_wrap(&si, 0x30, &tmp);
		der_sha256_alg(&si);                                    /* digestAlgorithm */
		b_put(&tmp, attrs, attrs_len);                          /* signedAttrs [0] IMPLICIT */
		if (tmp.s != NULL)
			tmp.s[0] = 0xa0;
		b_put(&si, tmp.s, tmp.n);
		b_free(&tmp);
		if (base == EVP_PKEY_RSA) {                             /* signatureAlgorithm */
			b_put(&tmp, OID_RSA, sizeof(OID_RSA));
			b_put(&tmp, DER_NULL, sizeof(DER_NULL));
		} else {
			b_put(&tmp, OID_ECDSA_SHA256, sizeof(OID_ECDSA_SHA256));
		}
		der_wrap(&si, 0x30, &tmp);
		der_tlv(&si, 0x04, sig, sig_len);                       /* signature */
	}

	/* SignedData */
	{
		static const uint8_t one[] = { 0x02, 0x01, 0x01 };       /* version 1 */

		b_put(&sd, one, sizeof(one));
	}
	der_sha256_alg(&tmp);                                           /* digestAlgorithms */
	der_wrap(&sd, 0x31, &tmp);
	b_put(&tmp, OID_DATA, sizeof(OID_DATA));                        /* encapContentInfo */
	der_wrap(&sd, 0x30, &tmp);
	der_set_of(&sd, 0xa0, ce, ncert);                               /* certificates */
	der_wrap(&tmp2, 0x30, &si);                                     /* signerInfos */
	der_wrap(&sd, 0x31, &tmp2);

	/* ContentInfo */
	b_put(&ci, OID_SIGNED_DATA, sizeof(OID_SIGNED_DATA));
	der_wrap(&sets, 0x30, &sd);
	der_wrap(&ci, 0xa0, &sets);
	der_wrap(&tmp, 0x30, &ci);
	if (tmp.err) {
		ret = tmp.err;
		goto done;
	}
	/* it must read back as a CMS */
	{
		const unsigned char *p = tmp.s;
		CMS_ContentInfo *c = d2i_CMS_ContentInfo(NULL, &p, (long)tmp.n);

		if (c == NULL || p != tmp.s + tmp.n) {
			CMS_ContentInfo_free(c);
			goto done;
		}
		CMS_ContentInfo_free(c);
	}
	*cms = tmp.s;
	*cms_len = tmp.n;
	tmp.s = NULL;
	ret = PDFSIGN_OK;
done:
	for (size_t i = 0; certbufs != NULL && i <= nchain; i++)
		b_free(&certbufs[i]);
	free(certbufs);
	free(ce);
	b_free(&sd);
	b_free(&si);
	b_free(&tmp);
	b_free(&tmp2);
	b_free(&ci);
	b_free(&sets);
	ERR_pop_to_mark();
	return ret;
}

int
pdfsign_sign_digest(EVP_PKEY *key, X509 *cert, STACK_OF(X509) *chain,
    const uint8_t digest[32], int64_t signing_time, uint8_t **cms, size_t *cms_len)
{
	uint8_t *attrs = NULL, *sig = NULL;
	size_t attrs_len = 0, sig_len = 0;
	EVP_MD_CTX *ctx = NULL;
	int ret;

	if (key == NULL || cert == NULL || digest == NULL || cms == NULL || cms_len == NULL)
		return PDFSIGN_E_ARG;
	*cms = NULL;
	*cms_len = 0;
	ERR_set_mark();
	if (X509_check_private_key(cert, key) != 1) {
		ret = PDFSIGN_E_KEY;
		goto done;
	}
	if ((ret = pdfsign_signed_attrs(digest, cert, signing_time, &attrs, &attrs_len)) != 0)
		goto done;
	ret = PDFSIGN_E_KEY;
	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		ret = PDFSIGN_E_NOMEM;
		goto done;
	}
	if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(ctx, NULL, &sig_len, attrs, attrs_len) != 1)
		goto done;
	if ((sig = malloc(sig_len)) == NULL) {
		ret = PDFSIGN_E_NOMEM;
		goto done;
	}
	if (EVP_DigestSign(ctx, sig, &sig_len, attrs, attrs_len) != 1)
		goto done;
	ret = pdfsign_assemble_cms(cert, chain, attrs, attrs_len, sig, sig_len, cms, cms_len);
done:
	EVP_MD_CTX_free(ctx);
	free(attrs);
	free(sig);
	ERR_pop_to_mark();
	return ret;
}

int
pdfsign_sign_detached(EVP_PKEY *key, X509 *cert, STACK_OF(X509) *chain,
    const uint8_t *content, size_t len, int64_t signing_time, uint8_t **p7s, size_t *p7s_len)
{
	uint8_t digest[32];
	int ret;

	if (content == NULL && len > 0)
		return PDFSIGN_E_ARG;
	ERR_set_mark();
	if (EVP_Digest(content != NULL ? content : (const uint8_t *)"", len, digest, NULL,
	    EVP_sha256(), NULL) != 1)
		ret = PDFSIGN_E_NOMEM;
	else
		ret = pdfsign_sign_digest(key, cert, chain, digest, signing_time, p7s, p7s_len);
	ERR_pop_to_mark();
	return ret;
}

/* ---------------------------------------------------------------- PDF objects out */

static int
is_pdf_regular(uint8_t c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>[]{}/%#", c) == NULL;
}

static void
put_name(struct buf *b, const char *s, size_t n)
{
	b_put(b, "/", 1);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)s[i];

		if (is_pdf_regular(c))
			b_put(b, &c, 1);
		else
			b_printf(b, "#%02X", c);
	}
}

static void
put_hex(struct buf *b, const uint8_t *s, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";

	b_put(b, "<", 1);
	for (size_t i = 0; i < n; i++) {
		char t[2] = { hx[s[i] >> 4], hx[s[i] & 15] };

		b_put(b, t, 2);
	}
	b_put(b, ">", 1);
}

/* A real that this reader parses back to the same double: the shortest %.Nf that does. */
static void
put_real(struct buf *b, struct pdf_doc *d, double r)
{
	char s[400];

	for (int p = 1; p <= 40; p++) {
		struct pdf_obj *o;
		int k = snprintf(s, sizeof(s), "%.*f", p, r);

		if (k <= 0 || (size_t)k >= sizeof(s))
			break;
		o = pdf_parse_text(d, (const uint8_t *)s, (size_t)k);
		if (o != NULL && o->type == PDF_REAL && o->u.r == r) {
			b_put(b, s, (size_t)k);
			return;
		}
	}
	b->err = PDFSIGN_E_PDF;
}

static void
put_obj(struct buf *b, struct pdf_doc *d, const struct pdf_obj *o, int depth)
{
	if (o == NULL || depth > 32) {
		b->err = PDFSIGN_E_PDF;
		return;
	}
	switch (o->type) {
	case PDF_NULL:
		b_put(b, "null", 4);
		break;
	case PDF_BOOL:
		b_printf(b, "%s", o->u.boolean ? "true" : "false");
		break;
	case PDF_INT:
		b_printf(b, "%lld", (long long)o->u.i);
		break;
	case PDF_REAL:
		put_real(b, d, o->u.r);
		break;
	case PDF_NAME:
		put_name(b, o->u.name.s, o->u.name.len);
		break;
	case PDF_STRING:
		put_hex(b, o->u.str.s, o->u.str.len);
		break;
	case PDF_ARRAY:
		b_put(b, "[", 1);
		for (size_t i = 0; i < o->u.arr.n; i++) {
			if (i > 0)
				b_put(b, " ", 1);
			put_obj(b, d, o->u.arr.items[i], depth + 1);
		}
		b_put(b, "]", 1);
		break;
	case PDF_DICT:
		b_put(b, "<<", 2);
		for (size_t i = 0; i < o->u.dict.n; i++) {
			b_put(b, " ", 1);
			put_name(b, o->u.dict.kv[i].key, o->u.dict.kv[i].keylen);
			b_put(b, " ", 1);
			put_obj(b, d, o->u.dict.kv[i].val, depth + 1);
		}
		b_put(b, " >>", 3);
		break;
	case PDF_REF:
		b_printf(b, "%u %u R", o->u.ref.num, o->u.ref.gen);
		break;
	default:
		b->err = PDFSIGN_E_PDF;       /* a stream is never rewritten here */
		break;
	}
}

/* The dictionary without key skip (may be NULL), then `extra` (raw text), closed. */
static void
put_dict_except(struct buf *b, struct pdf_doc *d, const struct pdf_obj *dict,
    const char *skip, const char *extra)
{
	if (dict == NULL || dict->type != PDF_DICT || dict->u.dict.dup) {
		b->err = PDFSIGN_E_PDF;
		return;
	}
	b_put(b, "<<", 2);
	for (size_t i = 0; i < dict->u.dict.n; i++) {
		if (skip != NULL && strcmp(dict->u.dict.kv[i].key, skip) == 0)
			continue;
		b_put(b, " ", 1);
		put_name(b, dict->u.dict.kv[i].key, dict->u.dict.kv[i].keylen);
		b_put(b, " ", 1);
		put_obj(b, d, dict->u.dict.kv[i].val, 1);
	}
	if (extra != NULL) {
		b_put(b, " ", 1);
		b_put(b, extra, strlen(extra));
	}
	b_put(b, " >>", 3);
}

/* The array (NULL: empty) with one reference more. */
static void
put_array_plus(struct buf *b, struct pdf_doc *d, const struct pdf_obj *arr, uint32_t num)
{
	b_put(b, "[", 1);
	for (size_t i = 0; arr != NULL && i < arr->u.arr.n; i++) {
		put_obj(b, d, arr->u.arr.items[i], 1);
		b_put(b, " ", 1);
	}
	b_printf(b, "%u 0 R]", num);
}

/*
 * A PDF text string: printable ASCII as a literal string, anything else as UTF-16BE
 * with its byte-order mark (PDF 32000-1 7.9.2.2). -1 for invalid UTF-8.
 */
static int
put_text(struct buf *b, const char *utf8)
{
	const uint8_t *s = (const uint8_t *)utf8;
	size_t n = strlen(utf8), i;
	struct buf u = { 0 };
	int ascii = 1;

	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			ascii = 0;
	if (ascii) {
		b_put(b, "(", 1);
		for (i = 0; i < n; i++) {
			if (s[i] == '(' || s[i] == ')' || s[i] == '\\')
				b_put(b, "\\", 1);
			b_put(b, &s[i], 1);
		}
		b_put(b, ")", 1);
		return 0;
	}
	b_put(&u, "\xfe\xff", 2);
	for (i = 0; i < n;) {
		uint32_t cp;
		int k;

		if (s[i] < 0x80) {
			cp = s[i];
			k = 1;
		} else if ((s[i] & 0xe0) == 0xc0) {
			cp = s[i] & 0x1f;
			k = 2;
		} else if ((s[i] & 0xf0) == 0xe0) {
			cp = s[i] & 0x0f;
			k = 3;
		} else if ((s[i] & 0xf8) == 0xf0) {
			cp = s[i] & 0x07;
			k = 4;
		} else {
			goto bad;
		}
		if (i + (size_t)k > n)
			goto bad;
		for (int j = 1; j < k; j++) {
			if ((s[i + (size_t)j] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + (size_t)j] & 0x3f);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			goto bad;
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;
			uint8_t t[4] = { (uint8_t)(0xd8 | (v >> 18)), (uint8_t)(v >> 10),
			    (uint8_t)(0xdc | ((v >> 8) & 3)), (uint8_t)v };

			b_put(&u, t, 4);
		} else {
			uint8_t t[2] = { (uint8_t)(cp >> 8), (uint8_t)cp };

			b_put(&u, t, 2);
		}
		i += (size_t)k;
	}
	if (u.err)
		b->err = u.err;
	put_hex(b, u.s, u.n);
	b_free(&u);
	return 0;
bad:
	b_free(&u);
	return -1;
}

/* ---------------------------------------------------------------- the new revision */

struct written {
	uint32_t num, gen;
	size_t off;
};

struct rev {
	struct buf out;
	struct written w[12];
	size_t nw;
};

static void
begin_obj(struct rev *r, uint32_t num, uint32_t gen)
{
	if (r->nw < sizeof(r->w) / sizeof(r->w[0]))
		r->w[r->nw++] = (struct written){ num, gen, r->out.n };
	b_printf(&r->out, "%u %u obj\n", num, gen);
}

static void
end_obj(struct rev *r)
{
	b_put(&r->out, "\nendobj\n", 8);
}

static int
written_cmp(const void *a, const void *b)
{
	const struct written *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

/* The first page: /Root /Pages, then the first kid down to a /Page. */
static struct pdf_obj *
first_page(struct pdf_doc *d, struct pdf_obj *catalog, uint32_t *num, uint32_t *gen)
{
	struct pdf_obj *ref = pdf_dict_get(catalog, "Pages"), *node;

	for (int depth = 0; depth < 32; depth++) {
		struct pdf_obj *kids;

		if (ref == NULL || ref->type != PDF_REF)
			return NULL;
		node = pdf_resolve(d, ref, SIZE_MAX);
		if (node == NULL || node->type != PDF_DICT)
			return NULL;
		kids = pdf_resolve(d, pdf_dict_get(node, "Kids"), SIZE_MAX);
		if (pdf_is_name(pdf_dict_get(node, "Type"), "Page") || kids == NULL) {
			*num = ref->u.ref.num;
			*gen = ref->u.ref.gen;
			return node;
		}
		if (kids->type != PDF_ARRAY || kids->u.arr.n == 0)
			return NULL;
		ref = kids->u.arr.items[0];
	}
	return NULL;
}

/* "Signature<n>": the first n whose name no top-level field has. */
static void
default_field_name(struct pdf_doc *d, struct pdf_obj *fields, char *name, size_t size)
{
	for (int n = 1; n < 10000; n++) {
		int used = 0;

		snprintf(name, size, "Signature%d", n);
		for (size_t i = 0; fields != NULL && i < fields->u.arr.n && !used; i++) {
			struct pdf_obj *f = pdf_resolve(d, fields->u.arr.items[i], SIZE_MAX);
			struct pdf_obj *t = f != NULL && f->type == PDF_DICT ? pdf_dict_get(f, "T") : NULL;

			used = t != NULL && t->type == PDF_STRING && t->u.str.len == strlen(name) &&
			    memcmp(t->u.str.s, name, t->u.str.len) == 0;
		}
		if (!used)
			return;
	}
}

/* Date as "D:YYYYMMDDHHmmSSZ" (a literal string). */
static int
put_pdf_date(struct buf *b, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return -1;
	b_printf(b, "(D:%04d%02d%02d%02d%02d%02dZ)", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

#define BR_WIDTH 36     /* "[0 dddddddddd dddddddddd dddddddddd]": files under 10 GB */

/* The signature dictionary with its placeholders. */
static int
write_sig_dict(struct rev *r, uint32_t num, const struct pdfsign_options *o, int64_t t,
    size_t cap, size_t *br_pos, size_t *contents_off)
{
	struct buf *b = &r->out;
	static const char zeros[64] = "0000000000000000000000000000000000000000000000000000000000000000";

	begin_obj(r, num, 0);
	b_printf(b, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n"
	    "/ByteRange ");
	*br_pos = b->n;
	b_printf(b, "%-*s", BR_WIDTH, "[0 0 0 0]");
	b_printf(b, "\n/Contents ");
	*contents_off = b->n;
	b_put(b, "<", 1);
	for (size_t k = 0; k < 2 * cap; k += sizeof(zeros))
		b_put(b, zeros, 2 * cap - k < sizeof(zeros) ? 2 * cap - k : sizeof(zeros));
	b_put(b, ">", 1);
	b_printf(b, "\n/M ");
	if (put_pdf_date(b, t) < 0)
		return PDFSIGN_E_ARG;
	if (o->signer_name != NULL) {
		b_printf(b, " /Name ");
		if (put_text(b, o->signer_name) < 0)
			return PDFSIGN_E_ARG;
	}
	if (o->reason != NULL) {
		b_printf(b, " /Reason ");
		if (put_text(b, o->reason) < 0)
			return PDFSIGN_E_ARG;
	}
	if (o->location != NULL) {
		b_printf(b, " /Location ");
		if (put_text(b, o->location) < 0)
			return PDFSIGN_E_ARG;
	}
	b_printf(b, " >>");
	end_obj(r);
	return 0;
}

/* The trailer keys carried over: /Root, /Info, /ID. */
static void
put_trailer_keys(struct buf *b, struct pdf_doc *d, struct pdf_obj *trailer)
{
	static const char *const keys[] = { "Root", "Info", "ID", NULL };

	for (int i = 0; keys[i] != NULL; i++) {
		struct pdf_obj *v = pdf_dict_get(trailer, keys[i]);

		if (v != NULL) {
			b_printf(b, " /%s ", keys[i]);
			put_obj(b, d, v, 1);
		}
	}
}

static void
write_xref_table(struct rev *r, struct pdf_doc *d, struct pdf_obj *trailer, uint32_t size,
    size_t prev)
{
	struct buf *b = &r->out;
	size_t xref_off = b->n, i, j;

	qsort(r->w, r->nw, sizeof(r->w[0]), written_cmp);
	b_printf(b, "xref\n");
	for (i = 0; i < r->nw; i = j) {
		for (j = i + 1; j < r->nw && r->w[j].num == r->w[j - 1].num + 1; j++)
			;
		b_printf(b, "%u %zu\n", r->w[i].num, j - i);
		for (size_t k = i; k < j; k++)
			b_printf(b, "%010zu %05u n\r\n", r->w[k].off, r->w[k].gen);
	}
	b_printf(b, "trailer\n<< /Size %u /Prev %zu", size, prev);
	put_trailer_keys(b, d, trailer);
	b_printf(b, " >>\nstartxref\n%zu\n%%%%EOF\n", xref_off);
}

/* An uncompressed xref stream (no filter, no predictor) that lists itself. */
static void
write_xref_stream(struct rev *r, struct pdf_doc *d, struct pdf_obj *trailer, uint32_t num,
    size_t prev)
{
	struct buf *b = &r->out, data = { 0 };
	size_t xref_off = b->n, i, j;
	int w = 4;

	begin_obj(r, num, 0);
	qsort(r->w, r->nw, sizeof(r->w[0]), written_cmp);
	if (xref_off > 0xffffffffu)
		w = 8;
	b_printf(b, "<< /Type /XRef /Size %u /W [1 %d 2] /Index [", num + 1, w);
	for (i = 0; i < r->nw; i = j) {
		for (j = i + 1; j < r->nw && r->w[j].num == r->w[j - 1].num + 1; j++)
			;
		b_printf(b, "%s%u %zu", i > 0 ? " " : "", r->w[i].num, j - i);
	}
	b_printf(b, "] /Prev %zu", prev);
	put_trailer_keys(b, d, trailer);
	for (i = 0; i < r->nw; i++) {
		uint8_t e[11];
		int k = 0;

		e[k++] = 1;
		for (int s = w - 1; s >= 0; s--)
			e[k++] = (uint8_t)((uint64_t)r->w[i].off >> (8 * s));
		e[k++] = (uint8_t)(r->w[i].gen >> 8);
		e[k++] = (uint8_t)r->w[i].gen;
		b_put(&data, e, (size_t)k);
	}
	if (data.err)
		b->err = data.err;
	b_printf(b, " /Length %zu >>\nstream\n", data.n);
	b_put(b, data.s, data.n);
	b_printf(b, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xref_off);
	b_free(&data);
}

/* What the new revision changes, as found in the file. */
struct targets {
	struct pdf_obj *trailer;
	struct pdf_obj *root;           /* the trailer's /Root reference */
	struct pdf_obj *catalog;
	struct pdf_obj *page;           /* the first page, and its number */
	uint32_t page_num, page_gen;
	struct pdf_obj *acro_ref, *acro;        /* /AcroForm as written, and resolved */
	struct pdf_obj *fields_ref, *fields;    /* its /Fields */
	struct pdf_obj *annots_ref, *annots;    /* the page's /Annots */
	uint32_t size;                  /* the first unused object number */
};

static int
is_ref(const struct pdf_obj *o)
{
	return o != NULL && o->type == PDF_REF;
}

/* The optional array at ref (NULL: absent): 0, or -1 when it is not an array. */
static int
array_at(struct pdf_doc *d, struct pdf_obj *ref, struct pdf_obj **out)
{
	*out = NULL;
	if (ref == NULL)
		return 0;
	*out = pdf_resolve(d, ref, SIZE_MAX);
	return *out != NULL && (*out)->type == PDF_ARRAY ? 0 : -1;
}

static int
find_targets(struct pdf_doc *d, struct targets *t)
{
	struct pdf_obj *sizeo;
	uint32_t *nums = NULL;
	size_t n;

	memset(t, 0, sizeof(*t));
	if ((t->trailer = pdf_trailer(d, SIZE_MAX)) == NULL ||
	    pdf_dict_get(t->trailer, "Encrypt") != NULL || d->encrypted)
		return PDFSIGN_E_PDF;
	t->root = pdf_dict_get(t->trailer, "Root");
	if (!is_ref(t->root))
		return PDFSIGN_E_PDF;
	t->catalog = pdf_resolve(d, t->root, SIZE_MAX);
	if (t->catalog == NULL || t->catalog->type != PDF_DICT || t->catalog->u.dict.dup)
		return PDFSIGN_E_PDF;
	t->page = first_page(d, t->catalog, &t->page_num, &t->page_gen);
	if (t->page == NULL || t->page->u.dict.dup)
		return PDFSIGN_E_PDF;
	if (array_at(d, (t->annots_ref = pdf_dict_get(t->page, "Annots")), &t->annots) != 0)
		return PDFSIGN_E_PDF;
	/* the form: direct in the catalog, or an object of its own */
	if ((t->acro_ref = pdf_dict_get(t->catalog, "AcroForm")) != NULL) {
		t->acro = pdf_resolve(d, t->acro_ref, SIZE_MAX);
		if (t->acro == NULL || t->acro->type != PDF_DICT || t->acro->u.dict.dup)
			return PDFSIGN_E_PDF;
		if (array_at(d, (t->fields_ref = pdf_dict_get(t->acro, "Fields")), &t->fields) != 0)
			return PDFSIGN_E_PDF;
	}
	/* new objects are numbered after every number the file uses */
	sizeo = pdf_dict_get(t->trailer, "Size");
	if (sizeo == NULL || sizeo->type != PDF_INT || sizeo->u.i < 1 || sizeo->u.i > 8000000)
		return PDFSIGN_E_PDF;
	t->size = (uint32_t)sizeo->u.i;
	if ((n = pdf_objnums(d, 0, &nums)) == (size_t)-1)
		return PDFSIGN_E_NOMEM;
	if (n > 0 && nums[n - 1] >= t->size)
		t->size = nums[n - 1] + 1;
	free(nums);
	return t->size > 8000000 ? PDFSIGN_E_PDF : 0;
}

/*
 * The form with the new field and /SigFlags 3: an indirect /Fields array and an
 * indirect /AcroForm are rewritten where they live; a direct /AcroForm means a new
 * version of the catalog.
 */
static void
write_form(struct rev *r, struct pdf_doc *d, const struct targets *t, uint32_t widget)
{
	struct buf form = { 0 }, extra = { 0 };
	int fields_direct = !is_ref(t->fields_ref);

	if (!fields_direct) {
		begin_obj(r, t->fields_ref->u.ref.num, t->fields_ref->u.ref.gen);
		put_array_plus(&r->out, d, t->fields, widget);
		end_obj(r);
	}
	b_put(&form, "<<", 2);
	for (size_t k = 0; t->acro != NULL && k < t->acro->u.dict.n; k++) {
		const char *key = t->acro->u.dict.kv[k].key;

		if (strcmp(key, "SigFlags") == 0 || (strcmp(key, "Fields") == 0 && fields_direct))
			continue;
		b_put(&form, " ", 1);
		put_name(&form, key, t->acro->u.dict.kv[k].keylen);
		b_put(&form, " ", 1);
		put_obj(&form, d, t->acro->u.dict.kv[k].val, 1);
	}
	if (fields_direct) {
		b_put(&form, " /Fields ", 9);
		put_array_plus(&form, d, t->fields, widget);
	}
	b_put(&form, " /SigFlags 3 >>", 15);
	if (is_ref(t->acro_ref)) {
		begin_obj(r, t->acro_ref->u.ref.num, t->acro_ref->u.ref.gen);
		b_put(&r->out, form.s, form.n);
		end_obj(r);
	} else {
		b_put(&extra, "/AcroForm ", 10);
		b_put(&extra, form.s, form.n);
		b_put(&extra, "", 1);
		begin_obj(r, t->root->u.ref.num, t->root->u.ref.gen);
		put_dict_except(&r->out, d, t->catalog, "AcroForm", extra.err ? "" : (char *)extra.s);
		end_obj(r);
	}
	if (form.err || extra.err)
		r->out.err = form.err ? form.err : extra.err;
	b_free(&form);
	b_free(&extra);
}

/* The page's /Annots with the widget: an indirect array where it lives, else a new page. */
static void
write_annots(struct rev *r, struct pdf_doc *d, const struct targets *t, uint32_t widget)
{
	struct buf extra = { 0 };

	if (is_ref(t->annots_ref)) {
		/* one array serving as both /Fields and /Annots has gained the widget already */
		if (!is_ref(t->fields_ref) || t->fields_ref->u.ref.num != t->annots_ref->u.ref.num) {
			begin_obj(r, t->annots_ref->u.ref.num, t->annots_ref->u.ref.gen);
			put_array_plus(&r->out, d, t->annots, widget);
			end_obj(r);
		}
		return;
	}
	b_put(&extra, "/Annots ", 8);
	put_array_plus(&extra, d, t->annots, widget);
	b_put(&extra, "", 1);
	begin_obj(r, t->page_num, t->page_gen);
	put_dict_except(&r->out, d, t->page, "Annots", extra.err ? "" : (char *)extra.s);
	end_obj(r);
	if (extra.err)
		r->out.err = extra.err;
	b_free(&extra);
}

/* The signature field's widget, invisible (/Rect [0 0 0 0], /F 132: print + locked). */
static int
write_widget(struct rev *r, const struct targets *t, uint32_t widget, uint32_t sig,
    const char *name)
{
	begin_obj(r, widget, 0);
	b_printf(&r->out, "<< /Type /Annot /Subtype /Widget /FT /Sig /T ");
	if (put_text(&r->out, name) < 0)
		return PDFSIGN_E_ARG;
	b_printf(&r->out, " /Rect [0 0 0 0] /F 132 /P %u %u R /V %u 0 R >>", t->page_num,
	    t->page_gen, sig);
	end_obj(r);
	return 0;
}

/* Fill /ByteRange around the /Contents placeholder; hash what it covers. */
static int
close_byte_range(struct buf *b, size_t br_pos, size_t contents_off, size_t cap,
    struct pdfsign_prepared *out)
{
	char s[BR_WIDTH + 1];
	unsigned int dl = 0;
	EVP_MD_CTX *ctx;
	int k, ok;

	out->byte_range[0] = 0;
	out->byte_range[1] = (int64_t)contents_off;
	out->byte_range[2] = (int64_t)(contents_off + 2 * cap + 2);
	out->byte_range[3] = (int64_t)(b->n - (contents_off + 2 * cap + 2));
	k = snprintf(s, sizeof(s), "[0 %lld %lld %lld]", (long long)out->byte_range[1],
	    (long long)out->byte_range[2], (long long)out->byte_range[3]);
	if (k < 0 || k > BR_WIDTH)
		return PDFSIGN_E_TOO_BIG;
	memset(b->s + br_pos, ' ', BR_WIDTH);
	memcpy(b->s + br_pos, s, (size_t)k);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return PDFSIGN_E_NOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, b->s, contents_off) == 1 &&
	    EVP_DigestUpdate(ctx, b->s + out->byte_range[2], (size_t)out->byte_range[3]) == 1 &&
	    EVP_DigestFinal_ex(ctx, out->digest, &dl) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : PDFSIGN_E_NOMEM;
}

int
pdfsign_prepare(const uint8_t *pdf, size_t len, const struct pdfsign_options *o,
    struct pdfsign_prepared *out)
{
	struct pdf_doc doc;
	struct targets t;
	struct rev r;
	uint32_t sig_num, widget_num;
	size_t cap, br_pos = 0, contents_off = 0;
	int64_t when;
	int ret;
	char name[64];

	if (pdf == NULL || o == NULL || out == NULL)
		return PDFSIGN_E_ARG;
	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	cap = o->capacity != 0 ? o->capacity : PDFSIGN_DEFAULT_CAPACITY;
	if (cap > 1024 * 1024)
		return PDFSIGN_E_ARG;
	when = o->signing_time != 0 ? o->signing_time : (int64_t)time(NULL);
	ERR_set_mark();
	/* a damaged file (cross-reference rebuilt by scanning) has no /Prev to chain to */
	if (pdf_open(&doc, pdf, len) != 0 || doc.rebuilt || doc.nsec == 0) {
		ret = PDFSIGN_E_PDF;
		goto done;
	}
	if ((ret = find_targets(&doc, &t)) != 0)
		goto done;
	sig_num = t.size;
	widget_num = t.size + 1;
	if (o->field_name != NULL)
		snprintf(name, sizeof(name), "%s", o->field_name);
	else
		default_field_name(&doc, t.fields, name, sizeof(name));

	/* the original, untouched, then the new revision */
	b_put(&r.out, pdf, len);
	if (len > 0 && pdf[len - 1] != '\n' && pdf[len - 1] != '\r')
		b_put(&r.out, "\n", 1);
	if ((ret = write_sig_dict(&r, sig_num, o, when, cap, &br_pos, &contents_off)) != 0 ||
	    (ret = write_widget(&r, &t, widget_num, sig_num, name)) != 0)
		goto done;
	write_form(&r, &doc, &t, widget_num);
	write_annots(&r, &doc, &t, widget_num);
	if (doc.sec[0].is_stream)
		write_xref_stream(&r, &doc, t.trailer, t.size + 2, doc.sec[0].offset);
	else
		write_xref_table(&r, &doc, t.trailer, t.size + 2, doc.sec[0].offset);
	if (r.out.err) {
		ret = r.out.err;
		goto done;
	}
	if ((ret = close_byte_range(&r.out, br_pos, contents_off, cap, out)) != 0)
		goto done;
	out->pdf = r.out.s;
	out->len = r.out.n;
	out->contents_off = contents_off;
	out->capacity = cap;
	out->signing_time = when;
	r.out.s = NULL;
	ret = PDFSIGN_OK;
done:
	if (ret != PDFSIGN_OK)
		memset(out, 0, sizeof(*out));
	b_free(&r.out);
	pdf_close(&doc);
	ERR_pop_to_mark();
	return ret;
}

void
pdfsign_prepared_free(struct pdfsign_prepared *p)
{
	if (p == NULL)
		return;
	free(p->pdf);
	memset(p, 0, sizeof(*p));
}

int
pdfsign_embed(struct pdfsign_prepared *p, const uint8_t *cms, size_t cms_len)
{
	static const char hx[] = "0123456789ABCDEF";
	uint8_t *h;

	if (p == NULL || p->pdf == NULL || cms == NULL || cms_len == 0 ||
	    p->contents_off + 2 * p->capacity + 2 > p->len || p->pdf[p->contents_off] != '<')
		return PDFSIGN_E_ARG;
	if (cms_len > p->capacity)
		return PDFSIGN_E_TOO_BIG;
	h = p->pdf + p->contents_off + 1;
	for (size_t i = 0; i < cms_len; i++) {
		h[2 * i] = (uint8_t)hx[cms[i] >> 4];
		h[2 * i + 1] = (uint8_t)hx[cms[i] & 15];
	}
	memset(h + 2 * cms_len, '0', 2 * (p->capacity - cms_len));
	return PDFSIGN_OK;
}

int
pdfsign_sign_pdf(const uint8_t *pdf, size_t len, const struct pdfsign_options *o,
    EVP_PKEY *key, X509 *cert, STACK_OF(X509) *chain, uint8_t **out, size_t *out_len)
{
	struct pdfsign_prepared p;
	uint8_t *cms = NULL;
	size_t cms_len = 0;
	int ret;

	if (out == NULL || out_len == NULL || key == NULL || cert == NULL)
		return PDFSIGN_E_ARG;
	*out = NULL;
	*out_len = 0;
	ERR_set_mark();
	if (X509_check_private_key(cert, key) != 1) {
		ERR_pop_to_mark();
		return PDFSIGN_E_KEY;
	}
	ERR_pop_to_mark();
	if ((ret = pdfsign_prepare(pdf, len, o, &p)) != 0)
		return ret;
	ret = pdfsign_sign_digest(key, cert, chain, p.digest, p.signing_time, &cms, &cms_len);
	if (ret == 0)
		ret = pdfsign_embed(&p, cms, cms_len);
	if (ret == 0) {
		*out = p.pdf;
		*out_len = p.len;
		p.pdf = NULL;
	}
	free(cms);
	pdfsign_prepared_free(&p);
	return ret;
}

const char *
pdfsign_strerror(int err)
{
	switch (err) {
	case PDFSIGN_OK:
		return "ok";
	case PDFSIGN_E_NOMEM:
		return "out of memory";
	case PDFSIGN_E_PDF:
		return "not a PDF that can be signed (unreadable, damaged or encrypted)";
	case PDFSIGN_E_TOO_BIG:
		return "the signature does not fit the space reserved for it";
	case PDFSIGN_E_CMS:
		return "the CMS signature could not be built";
	case PDFSIGN_E_KEY:
		return "the key does not sign, or does not match the certificate";
	case PDFSIGN_E_ARG:
		return "invalid argument";
	default:
		return "unknown error";
	}
}
