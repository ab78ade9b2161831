/*
 * Signature verification with OpenSSL 3: see sigverify.h for the rules.
 *
 * Why not CMS_verify() for everything: its chain check uses the S/MIME signing
 * purpose, which rejects document-signing certificates, and X509_PURPOSE_ANY would
 * drop the key-usage check; a CRL check at a past time fails against a current CRL;
 * and its single failure does not tell a digest mismatch from a bad signature. So
 * the pieces are done here one by one: digest of the covered bytes compared with the
 * message-digest attribute, CMS_SignerInfo_verify() for the signed attributes, two
 * X509_verify_cert() runs at fixed times, key usage and CRLs by hand.
 */
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>            /* before cms.h: it declares PEM_read_bio_CMS */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sig/pdfsig.h"
#include "sig/sigverify.h"

static const char *const reason_codes[SIG_R__MAX] = {
	[SIG_R_NONE] = "ok",
	[SIG_R_BYTE_RANGE_INVALID] = "byte_range_invalid",
	[SIG_R_UNSUPPORTED_SUBFILTER] = "unsupported_subfilter",
	[SIG_R_NOT_WHOLE_FILE] = "not_whole_file",
	[SIG_R_LATER_SIGNATURES_ONLY] = "later_signatures_only",
	[SIG_R_CMS_MALFORMED] = "cms_malformed",
	[SIG_R_SIGNER_CERT_MISSING] = "signer_cert_missing",
	[SIG_R_DIGEST_MISMATCH] = "digest_mismatch",
	[SIG_R_BAD_SIGNATURE] = "bad_signature",
	[SIG_R_SIGNING_CERT_MISMATCH] = "signing_cert_mismatch",
	[SIG_R_UNTRUSTED_CHAIN] = "untrusted_chain",
	[SIG_R_EXPIRED_AT_SIGNING] = "expired_at_signing",
	[SIG_R_NOT_YET_VALID_AT_SIGNING] = "not_yet_valid_at_signing",
	[SIG_R_EXPIRED_NOW] = "expired_now",
	[SIG_R_NO_SIGNING_TIME] = "no_signing_time",
	[SIG_R_REVOKED_BEFORE_SIGNING] = "revoked_before_signing",
	[SIG_R_REVOKED_AFTER_SIGNING] = "revoked_after_signing",
	[SIG_R_REVOKED] = "revoked",
	[SIG_R_NO_CRL] = "no_crl",
	[SIG_R_CRL_EXPIRED] = "crl_expired",
	[SIG_R_BAD_KEY_USAGE] = "bad_key_usage",
	[SIG_R_BAD_EXT_KEY_USAGE] = "bad_ext_key_usage",
	[SIG_R_NO_SIGNATURES] = "no_signatures",
	[SIG_R_PDF_MALFORMED] = "pdf_malformed",
};

static const char *const status_names[SIG_STATUS__MAX] = {
	"not_checked", "ok", "warning", "fail"
};
static const char *const verdict_names[SIG_VERDICT__MAX] = {
	"valid", "valid_with_warnings", "invalid"
};
static const char *const check_names[SIG_CHECK__MAX] = {
	"coverage", "integrity", "chain_at_signing", "chain_now", "revocation", "key_usage"
};

const char *
sig_reason_code(enum sig_reason r)
{
	return (unsigned)r < SIG_R__MAX ? reason_codes[r] : "unknown";
}

const char *
sig_status_name(enum sig_status s)
{
	return (unsigned)s < SIG_STATUS__MAX ? status_names[s] : "unknown";
}

const char *
sig_verdict_name(enum sig_verdict v)
{
	return (unsigned)v < SIG_VERDICT__MAX ? verdict_names[v] : "unknown";
}

const char *
sig_check_name(enum sig_check_id c)
{
	return (unsigned)c < SIG_CHECK__MAX ? check_names[c] : "unknown";
}

/* Extended key usages that allow signing documents. */
static const char *const doc_eku_oids[] = {
	"1.3.6.1.4.1.311.10.3.12",      /* Microsoft document signing */
	"1.2.840.113583.1.1.5",         /* Adobe Authentic Documents Trust */
	"1.3.6.1.5.5.7.3.36",           /* id-kp-documentSigning (RFC 9336) */
};
#define N_DOC_EKU (sizeof(doc_eku_oids) / sizeof(doc_eku_oids[0]))

#define CRL_SEEN 4

struct crl_entry {
	X509_CRL *crl;
	X509 *verified_by;              /* a trusted certificate whose key signed it, or NULL */
	X509 *seen[CRL_SEEN];           /* issuers (from CMS chains) it verified with; lock */
	int nseen;
};

/* Certificates met inside CMS structures, decoded once (see cms_parse). */
#define CERT_CACHE 64

struct cert_entry {
	uint64_t hash;
	unsigned char *der;
	size_t len;
	X509 *x;
};

struct sig_verifier {
	pthread_mutex_t lock;           /* guards crls[].seen and the certificate cache */
	struct cert_entry cache[CERT_CACHE];
	int ncache, next_evict;
	X509_STORE *store;
	STACK_OF(X509) *cas;
	struct crl_entry *crls;
	size_t ncrls;
	ASN1_OBJECT *doc_eku[N_DOC_EKU];
};

/* ---------------------------------------------------------------- small helpers */

static void
set_check(struct sig_result *r, enum sig_check_id id, enum sig_status st, enum sig_reason why,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
set_check(struct sig_result *r, enum sig_check_id id, enum sig_status st, enum sig_reason why,
    const char *fmt, ...)
{
	va_list ap;

	r->checks[id].status = st;
	r->checks[id].reason = why;
	r->checks[id].detail[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(r->checks[id].detail, sizeof(r->checks[id].detail), fmt, ap);
		va_end(ap);
	}
}

static int
asn1_time_to_mc(const ASN1_TIME *t, mc_time *out)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return -1;
	*out = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 86400 +
	    tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	return 0;
}

static void
name_to_text(const X509_NAME *name, char *out, size_t outsz)
{
	BIO *b = NULL;
	int n;

	out[0] = '\0';
	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (n = BIO_read(b, out, (int)outsz - 1)) > 0)
		out[n] = '\0';
	BIO_free(b);
}

static void
hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static void
describe_signer(X509 *x, struct sig_signer *s)
{
	const X509_NAME *subj = X509_get_subject_name(x);
	unsigned char *utf8 = NULL;
	BIGNUM *bn = NULL;
	char *hex = NULL;
	unsigned int mdlen = 0;
	int idx;

	memset(s, 0, sizeof(*s));
	s->present = 1;
	idx = X509_NAME_get_index_by_NID(subj, NID_commonName, -1);
	if (idx >= 0) {
		int n = ASN1_STRING_to_UTF8(&utf8,
		    X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, idx)));

		if (n > 0)
			snprintf(s->cn, sizeof(s->cn), "%.*s", n, (const char *)utf8);
		OPENSSL_free(utf8);
	}
	name_to_text(subj, s->subject, sizeof(s->subject));
	name_to_text(X509_get_issuer_name(x), s->issuer, sizeof(s->issuer));
	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL)) != NULL &&
	    (hex = BN_bn2hex(bn)) != NULL)
		snprintf(s->serial_hex, sizeof(s->serial_hex), "%s", hex);
	OPENSSL_free(hex);
	BN_free(bn);
	(void)asn1_time_to_mc(X509_get0_notBefore(x), &s->not_before);
	(void)asn1_time_to_mc(X509_get0_notAfter(x), &s->not_after);
	if (X509_digest(x, EVP_sha256(), s->cert_sha256, &mdlen) && mdlen == 32)
		hex_encode(s->cert_sha256, 32, s->cert_sha256_hex);
}

/* ---------------------------------------------------------------- verifier */

static int
load_certs(const struct sig_blob *b, STACK_OF(X509) *out)
{
	const unsigned char *p = b->data;
	BIO *bio = NULL;
	X509 *x = NULL;
	int n = 0, ret = -1;

	if (b->len > 10 && memcmp(b->data, "-----BEGIN", 10) == 0) {
		if ((bio = BIO_new_mem_buf(b->data, (int)b->len)) == NULL)
			goto done;
		while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
			if (!sk_X509_push(out, x))
				goto done;
			x = NULL;
			n++;
		}
	} else if ((x = d2i_X509(NULL, &p, (long)b->len)) != NULL) {
		if (!sk_X509_push(out, x))
			goto done;
		x = NULL;
		n++;
	}
	if (n > 0)
		ret = 0;
done:
	X509_free(x);
	BIO_free(bio);
	return ret;
}

static int
load_crls(const struct sig_blob *b, STACK_OF(X509_CRL) *out)
{
	const unsigned char *p = b->data;
	BIO *bio = NULL;
	X509_CRL *c = NULL;
	int n = 0, ret = -1;

	if (b->len > 10 && memcmp(b->data, "-----BEGIN", 10) == 0) {
		if ((bio = BIO_new_mem_buf(b->data, (int)b->len)) == NULL)
			goto done;
		while ((c = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
			if (!sk_X509_CRL_push(out, c))
				goto done;
			c = NULL;
			n++;
		}
	} else if ((c = d2i_X509_CRL(NULL, &p, (long)b->len)) != NULL) {
		if (!sk_X509_CRL_push(out, c))
			goto done;
		c = NULL;
		n++;
	}
	if (n > 0)
		ret = 0;
done:
	X509_CRL_free(c);
	BIO_free(bio);
	return ret;
}

void
sig_verifier_free(struct sig_verifier *v)
{
	if (v == NULL)
		return;
	X509_STORE_free(v->store);
	sk_X509_pop_free(v->cas, X509_free);
	for (size_t i = 0; i < v->ncrls; i++) {
		X509_CRL_free(v->crls[i].crl);
		for (int k = 0; k < v->crls[i].nseen; k++)
			X509_free(v->crls[i].seen[k]);
	}
	free(v->crls);
	for (int i = 0; i < v->ncache; i++) {
		X509_free(v->cache[i].x);
		free(v->cache[i].der);
	}
	pthread_mutex_destroy(&v->lock);
	for (size_t i = 0; i < N_DOC_EKU; i++)
		ASN1_OBJECT_free(v->doc_eku[i]);
	free(v);
}

int
sig_verifier_new(const struct sig_blob *cas, size_t ncas, const struct sig_blob *crls,
    size_t ncrls, struct sig_verifier **out)
{
	struct sig_verifier *v = NULL;
	STACK_OF(X509_CRL) *cs = NULL;
	int ret = -1;

	ERR_set_mark();
	*out = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		goto done;
	if (pthread_mutex_init(&v->lock, NULL) != 0) {
		free(v);
		v = NULL;
		goto done;
	}
	if ((v->store = X509_STORE_new()) == NULL ||
	    (v->cas = sk_X509_new_null()) == NULL || (cs = sk_X509_CRL_new_null()) == NULL)
		goto done;
	for (size_t i = 0; i < N_DOC_EKU; i++)
		if ((v->doc_eku[i] = OBJ_txt2obj(doc_eku_oids[i], 1)) == NULL)
			goto done;
	for (size_t i = 0; i < ncas; i++)
		if (load_certs(&cas[i], v->cas) < 0)
			goto done;
	for (int i = 0; i < sk_X509_num(v->cas); i++)
		if (!X509_STORE_add_cert(v->store, sk_X509_value(v->cas, i)))
			goto done;
	/* every certificate given is an anchor, intermediates too */
	X509_STORE_set_flags(v->store, X509_V_FLAG_PARTIAL_CHAIN);
	for (size_t i = 0; i < ncrls; i++)
		if (load_crls(&crls[i], cs) < 0)
			goto done;
	if (sk_X509_CRL_num(cs) > 0 &&
	    (v->crls = calloc((size_t)sk_X509_CRL_num(cs), sizeof(*v->crls))) == NULL)
		goto done;
	/* verify each CRL once against the trusted certificates; the others are checked
	 * per call against the issuer found in the chain */
	while (sk_X509_CRL_num(cs) > 0) {
		struct crl_entry *e = &v->crls[v->ncrls++];

		e->crl = sk_X509_CRL_shift(cs);
		for (int i = 0; i < sk_X509_num(v->cas) && e->verified_by == NULL; i++) {
			X509 *ca = sk_X509_value(v->cas, i);

			if (X509_NAME_cmp(X509_get_subject_name(ca), X509_CRL_get_issuer(e->crl)) == 0 &&
			    X509_CRL_verify(e->crl, X509_get0_pubkey(ca)) == 1)
				e->verified_by = ca;
		}
	}
	*out = v;
	v = NULL;
	ret = 0;
done:
	sk_X509_CRL_pop_free(cs, X509_CRL_free);
	sig_verifier_free(v);
	ERR_pop_to_mark();
	return ret;
}

/* ---------------------------------------------------------------- chain */

struct chain_errors {
	int untrusted, expired, not_yet_valid;
	int first_err;
	int first_depth;
};

/* Collect every problem instead of stopping at the first, to classify them. */
static int
chain_cb(int ok, X509_STORE_CTX *ctx)
{
	struct chain_errors *ce = X509_STORE_CTX_get_app_data(ctx);
	int err = X509_STORE_CTX_get_error(ctx);

	if (ok)
		return 1;
	if (err == X509_V_ERR_CERT_HAS_EXPIRED)
		ce->expired = 1;
	else if (err == X509_V_ERR_CERT_NOT_YET_VALID)
		ce->not_yet_valid = 1;
	else
		ce->untrusted = 1;
	if (ce->first_err == 0) {
		ce->first_err = err;
		ce->first_depth = X509_STORE_CTX_get_error_depth(ctx);
	}
	return 1;
}

/*
 * Build and check the chain of signer at time t. Returns 0 and fills ce (and *chain,
 * when asked and a chain was built: free with sk_X509_pop_free), or -1 when OpenSSL
 * ran out of memory.
 */
static int
check_chain(const struct sig_verifier *v, X509 *signer, STACK_OF(X509) *untrusted, mc_time t,
    struct chain_errors *ce, STACK_OF(X509) **chain)
{
	X509_STORE_CTX *ctx = NULL;
	int ret = -1;

	memset(ce, 0, sizeof(*ce));
	if (chain != NULL)
		*chain = NULL;
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    !X509_STORE_CTX_init(ctx, v->store, signer, untrusted))
		goto done;
	X509_STORE_CTX_set_time(ctx, 0, (time_t)t);   /* sets X509_V_FLAG_USE_CHECK_TIME */
	X509_STORE_CTX_set_app_data(ctx, ce);
	X509_STORE_CTX_set_verify_cb(ctx, chain_cb);
	if (X509_verify_cert(ctx) <= 0 && ce->first_err == 0) {
		ce->untrusted = 1;
		ce->first_err = X509_STORE_CTX_get_error(ctx);
		if (ce->first_err == X509_V_OK)
			ce->first_err = X509_V_ERR_UNSPECIFIED;
	}
	if (chain != NULL && !ce->untrusted)
		*chain = X509_STORE_CTX_get1_chain(ctx);
	ret = 0;
done:
	X509_STORE_CTX_free(ctx);
	return ret;
}

/* Validity periods of a built chain at t, as X509_verify_cert would see them. */
static void
chain_times(STACK_OF(X509) *chain, mc_time t, struct chain_errors *ce)
{
	time_t tt = (time_t)t;

	memset(ce, 0, sizeof(*ce));
	for (int i = 0; i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);

		if (X509_cmp_time(X509_get0_notBefore(x), &tt) >= 0)
			ce->not_yet_valid = 1;
		if (X509_cmp_time(X509_get0_notAfter(x), &tt) <= 0)
			ce->expired = 1;
	}
}

static void
describe_chain_error(const struct chain_errors *ce, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s (depth %d)",
	    X509_verify_cert_error_string(ce->first_err), ce->first_depth);
}

/* ---------------------------------------------------------------- key usage */

static void
check_key_usage(const struct sig_verifier *v, X509 *x, struct sig_result *r)
{
	EXTENDED_KEY_USAGE *eku = NULL;
	uint32_t flags = X509_get_extension_flags(x);
	int ok = 0;

	if (flags & EXFLAG_INVALID) {
		set_check(r, SIG_CHECK_KEY_USAGE, SIG_FAIL, SIG_R_BAD_KEY_USAGE,
		    "the certificate has invalid extensions");
		return;
	}
	if ((flags & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(x) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
		set_check(r, SIG_CHECK_KEY_USAGE, SIG_FAIL, SIG_R_BAD_KEY_USAGE,
		    "keyUsage has neither digitalSignature nor nonRepudiation");
		return;
	}
	if (flags & EXFLAG_XKUSAGE) {
		if ((eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL)) == NULL) {
			set_check(r, SIG_CHECK_KEY_USAGE, SIG_FAIL, SIG_R_BAD_EXT_KEY_USAGE,
			    "extendedKeyUsage does not parse");
			return;
		}
		for (int i = 0; i < sk_ASN1_OBJECT_num(eku) && !ok; i++) {
			const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);
			int nid = OBJ_obj2nid(o);

			ok = nid == NID_email_protect || nid == NID_anyExtendedKeyUsage;
			for (size_t k = 0; k < N_DOC_EKU && !ok; k++)
				ok = OBJ_cmp(o, v->doc_eku[k]) == 0;
		}
		sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
		if (!ok) {
			set_check(r, SIG_CHECK_KEY_USAGE, SIG_FAIL, SIG_R_BAD_EXT_KEY_USAGE,
			    "extendedKeyUsage allows neither document signing nor e-mail protection");
			return;
		}
	}
	set_check(r, SIG_CHECK_KEY_USAGE, SIG_OK, SIG_R_NONE, NULL);
}

/* ---------------------------------------------------------------- revocation */

/*
 * A CRL usable for certificates issued by issuer: same name, signed by its key.
 * Issuers that verified it are remembered (a few per CRL), so an intermediate that
 * travels in every CMS costs one CRL signature check per verifier, not per call.
 */
static int
crl_usable(const struct sig_verifier *cv, size_t idx, X509 *issuer)
{
	struct sig_verifier *v = (struct sig_verifier *)cv;   /* the cache only */
	struct crl_entry *e = &v->crls[idx];
	int ok = 0;

	if (X509_NAME_cmp(X509_CRL_get_issuer(e->crl), X509_get_subject_name(issuer)) != 0)
		return 0;
	if (e->verified_by != NULL && X509_cmp(e->verified_by, issuer) == 0)
		return 1;
	pthread_mutex_lock(&v->lock);
	for (int k = 0; k < e->nseen && !ok; k++)
		ok = X509_cmp(e->seen[k], issuer) == 0;
	pthread_mutex_unlock(&v->lock);
	if (ok)
		return 1;
	if (X509_CRL_verify(e->crl, X509_get0_pubkey(issuer)) != 1)
		return 0;
	pthread_mutex_lock(&v->lock);
	if (e->nseen < CRL_SEEN && X509_up_ref(issuer))
		e->seen[e->nseen++] = issuer;
	pthread_mutex_unlock(&v->lock);
	return 1;
}

/*
 * Revocation of every certificate in chain but the anchor. The signer (depth 0)
 * must be covered by a CRL; a CA without one is not a warning.
 */
static void
check_revocation(const struct sig_verifier *v, STACK_OF(X509) *chain, mc_time now,
    struct sig_result *r)
{
	int n = sk_X509_num(chain), signer_covered = 0, stale = 0;

	for (int depth = 0; depth + 1 < n; depth++) {
		X509 *x = sk_X509_value(chain, depth), *issuer = sk_X509_value(chain, depth + 1);

		for (size_t i = 0; i < v->ncrls; i++) {
			X509_REVOKED *rev = NULL;
			mc_time when = 0, next;
			const char *who = depth == 0 ? "the signer's certificate" : "a CA certificate";

			if (!crl_usable(v, i, issuer))
				continue;
			if (depth == 0)
				signer_covered = 1;
			if (X509_CRL_get0_nextUpdate(v->crls[i].crl) != NULL &&
			    asn1_time_to_mc(X509_CRL_get0_nextUpdate(v->crls[i].crl), &next) == 0 &&
			    next < now)
				stale = 1;
			if (X509_CRL_get0_by_serial(v->crls[i].crl, &rev,
			    X509_get0_serialNumber(x)) <= 0 || rev == NULL)
				continue;
			(void)asn1_time_to_mc(X509_REVOKED_get0_revocationDate(rev), &when);
			if (depth == 0) {
				r->revoked = 1;
				r->revocation_time = when;
			}
			if (!r->has_claimed_time)
				set_check(r, SIG_CHECK_REVOCATION, SIG_FAIL, SIG_R_REVOKED,
				    "%s is revoked and there is no signing time", who);
			else if (when <= r->claimed_signing_time)
				set_check(r, SIG_CHECK_REVOCATION, SIG_FAIL, SIG_R_REVOKED_BEFORE_SIGNING,
				    "%s was revoked before the claimed signing time", who);
			else
				set_check(r, SIG_CHECK_REVOCATION, SIG_WARNING, SIG_R_REVOKED_AFTER_SIGNING,
				    "%s was revoked after the claimed signing time", who);
			return;
		}
	}
	if (!signer_covered)
		set_check(r, SIG_CHECK_REVOCATION, SIG_WARNING, SIG_R_NO_CRL,
		    "no trusted CRL from the signer's issuer");
	else if (stale)
		set_check(r, SIG_CHECK_REVOCATION, SIG_WARNING, SIG_R_CRL_EXPIRED,
		    "the CRL is past its nextUpdate");
	else
		set_check(r, SIG_CHECK_REVOCATION, SIG_OK, SIG_R_NONE, NULL);
}

/* ---------------------------------------------------------------- CMS parsing */

/*
 * Why not just d2i_CMS_ContentInfo(): OpenSSL 3.0 decodes each certificate's public
 * key through its provider decoders, about 0.1 ms a certificate, and the same
 * officer and CA certificates come back in signature after signature. So the
 * certificates field of the SignedData is cut out of the DER, each certificate is
 * looked up in a cache (by its DER bytes) or decoded once, and OpenSSL parses the
 * rest (NSS writes BER with indefinite lengths: the outer layers are re-encoded with
 * definite ones, the inner bytes are kept). Anything unusual (non-certificate
 * choices, a structure the walk does not follow) takes the plain d2i path.
 */
struct tlv {
	unsigned tag;
	size_t hdr, len;                /* header bytes, content bytes */
	size_t eoc;                     /* 2 for a BER indefinite length (its end marker) */
};

static int der_tlv_depth(const unsigned char *p, size_t avail, struct tlv *t, int depth);

/* Content length of an indefinite-length value at p: children up to "00 00". */
static int
ber_indefinite(const unsigned char *p, size_t avail, size_t *len, int depth)
{
	struct tlv c;
	size_t off = 0;

	while (off + 2 <= avail) {
		if (p[off] == 0 && p[off + 1] == 0) {
			*len = off;
			return 0;
		}
		if (der_tlv_depth(p + off, avail - off, &c, depth + 1) < 0)
			return -1;
		off += c.hdr + c.len + c.eoc;
	}
	return -1;
}

static int
der_tlv_depth(const unsigned char *p, size_t avail, struct tlv *t, int depth)
{
	size_t n, len = 0;

	if (depth > 32 || avail < 2 || (p[0] & 0x1f) == 0x1f)
		return -1;
	t->tag = p[0];
	t->eoc = 0;
	if (p[1] < 0x80) {
		len = p[1];
		t->hdr = 2;
	} else if (p[1] == 0x80) {
		if (!(p[0] & 0x20) || ber_indefinite(p + 2, avail - 2, &len, depth) < 0)
			return -1;
		t->hdr = 2;
		t->eoc = 2;
	} else {
		n = p[1] & 0x7f;
		if (n > 4 || avail < 2 + n)
			return -1;
		for (size_t i = 0; i < n; i++)
			len = len << 8 | p[2 + i];
		t->hdr = 2 + n;
	}
	if (len > avail - t->hdr || t->eoc > avail - t->hdr - len)
		return -1;
	t->len = len;
	return 0;
}

static int
der_tlv(const unsigned char *p, size_t avail, struct tlv *t)
{
	return der_tlv_depth(p, avail, t, 0);
}

static size_t
der_put_header(unsigned char *out, unsigned tag, size_t len)
{
	size_t n = 0;

	out[n++] = (unsigned char)tag;
	if (len < 0x80) {
		out[n++] = (unsigned char)len;
	} else {
		int bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;

		out[n++] = (unsigned char)(0x80 | bytes);
		for (int i = bytes - 1; i >= 0; i--)
			out[n++] = (unsigned char)(len >> (8 * i));
	}
	return n;
}

static uint64_t
fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* The decoded certificate for der[0..len), from the cache or decoded now (up-ref'd:
 * the caller frees it). NULL if it does not decode. */
static X509 *
cached_cert(const struct sig_verifier *cv, const unsigned char *der, size_t len)
{
	struct sig_verifier *v = (struct sig_verifier *)cv;   /* the cache only */
	uint64_t h = fnv1a(der, len);
	const unsigned char *p = der;
	struct cert_entry *e;
	unsigned char *copy;
	X509 *x = NULL;

	pthread_mutex_lock(&v->lock);
	for (int i = 0; i < v->ncache && x == NULL; i++) {
		e = &v->cache[i];
		if (e->hash == h && e->len == len && memcmp(e->der, der, len) == 0 && X509_up_ref(e->x))
			x = e->x;
	}
	pthread_mutex_unlock(&v->lock);
	if (x != NULL)
		return x;
	if ((x = d2i_X509(NULL, &p, (long)len)) == NULL || p != der + len) {
		X509_free(x);
		return NULL;
	}
	/* fill OpenSSL's lazy caches now, before other threads share the object */
	(void)X509_check_purpose(x, -1, 0);
	(void)X509_get0_pubkey(x);
	if ((copy = malloc(len)) == NULL)
		return x;
	memcpy(copy, der, len);
	pthread_mutex_lock(&v->lock);
	if (v->ncache < CERT_CACHE)
		e = &v->cache[v->ncache++];
	else {
		e = &v->cache[v->next_evict];
		v->next_evict = (v->next_evict + 1) % CERT_CACHE;
		X509_free(e->x);
		free(e->der);
	}
	if (X509_up_ref(x)) {
		e->hash = h;
		e->der = copy;
		e->len = len;
		e->x = x;
		copy = NULL;
	} else {
		e->x = NULL;
		e->der = NULL;
		e->len = 0;
		e->hash = 0;
	}
	pthread_mutex_unlock(&v->lock);
	free(copy);
	return x;
}

/*
 * Parse a CMS ContentInfo from der[0..derlen): *cms, its certificates in *certs
 * (free both), and in *used the bytes it took. Returns 0, or -1 when it does not
 * parse. See above for the certificate cache.
 */
static int
cms_parse(const struct sig_verifier *v, const unsigned char *der, size_t derlen,
    CMS_ContentInfo **cms, STACK_OF(X509) **certs, size_t *used)
{
	static const unsigned char signed_oid[] = {
		0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02
	};
	struct tlv ci, oid, ex, sd, el, c;
	const unsigned char *sdp, *q, *certs_at = NULL;
	unsigned char *out = NULL;
	size_t off, certs_tlv = 0, sd_len, ex_len, ci_len, n;
	X509 *x;

	*cms = NULL;
	*certs = NULL;
	/* ContentInfo { OID signedData, [0] { SignedData { ..., [0] certificates, ... } } } */
	if (der_tlv(der, derlen, &ci) < 0 || ci.tag != 0x30 ||
	    der_tlv(der + ci.hdr, ci.len, &oid) < 0 || oid.hdr + oid.len != sizeof(signed_oid) ||
	    memcmp(der + ci.hdr, signed_oid, sizeof(signed_oid)) != 0 ||
	    der_tlv(der + ci.hdr + sizeof(signed_oid), ci.len - sizeof(signed_oid), &ex) < 0 ||
	    ex.tag != 0xa0 || sizeof(signed_oid) + ex.hdr + ex.len + ex.eoc != ci.len)
		goto plain;
	sdp = der + ci.hdr + sizeof(signed_oid) + ex.hdr;
	if (der_tlv(sdp, ex.len, &sd) < 0 || sd.tag != 0x30 || sd.hdr + sd.len + sd.eoc != ex.len)
		goto plain;
	for (off = 0; off < sd.len; off += el.hdr + el.len + el.eoc) {
		if (der_tlv(sdp + sd.hdr + off, sd.len - off, &el) < 0)
			goto plain;
		if (el.tag == 0xa0) {
			certs_at = sdp + sd.hdr + off;
			certs_tlv = el.hdr + el.len + el.eoc;
			break;
		}
	}
	if (certs_at == NULL)
		goto plain;
	if ((*certs = sk_X509_new_null()) == NULL)
		goto fail;
	for (q = certs_at + el.hdr; q < certs_at + el.hdr + el.len; q += c.hdr + c.len) {
		if (der_tlv(q, (size_t)(certs_at + el.hdr + el.len - q), &c) < 0 || c.tag != 0x30 ||
		    c.eoc != 0)
			goto plain;
		if ((x = cached_cert(v, q, c.hdr + c.len)) == NULL)
			goto fail;
		if (!sk_X509_push(*certs, x)) {
			X509_free(x);
			goto fail;
		}
	}
	/* the same DER without the certificates: three headers re-encoded */
	sd_len = sd.len - certs_tlv;
	ex_len = 6 + sd_len;                    /* a header is at most 6 bytes here */
	ci_len = sizeof(signed_oid) + 6 + ex_len;
	if ((out = malloc(6 + ci_len)) == NULL)
		goto fail;
	n = 0;
	{
		unsigned char hsd[6], hex[6], hci[6];
		size_t lsd = der_put_header(hsd, 0x30, sd_len);
		size_t lex = der_put_header(hex, 0xa0, lsd + sd_len);
		size_t lci = der_put_header(hci, 0x30, sizeof(signed_oid) + lex + lsd + sd_len);

		memcpy(out + n, hci, lci), n += lci;
		memcpy(out + n, signed_oid, sizeof(signed_oid)), n += sizeof(signed_oid);
		memcpy(out + n, hex, lex), n += lex;
		memcpy(out + n, hsd, lsd), n += lsd;
		memcpy(out + n, sdp + sd.hdr, (size_t)(certs_at - (sdp + sd.hdr))),
		    n += (size_t)(certs_at - (sdp + sd.hdr));
		memcpy(out + n, certs_at + certs_tlv, (size_t)(sdp + sd.hdr + sd.len - (certs_at + certs_tlv))),
		    n += (size_t)(sdp + sd.hdr + sd.len - (certs_at + certs_tlv));
	}
	q = out;
	if ((*cms = d2i_CMS_ContentInfo(NULL, &q, (long)n)) == NULL || q != out + n)
		goto fail;
	free(out);
	*used = ci.hdr + ci.len + ci.eoc;
	return 0;
plain:
	sk_X509_pop_free(*certs, X509_free);
	*certs = NULL;
	q = der;
	if (derlen > LONG_MAX || (*cms = d2i_CMS_ContentInfo(NULL, &q, (long)derlen)) == NULL)
		return -1;
	*used = (size_t)(q - der);
	if ((*certs = CMS_get1_certs(*cms)) == NULL && (*certs = sk_X509_new_null()) == NULL)
		goto fail;
	return 0;
fail:
	free(out);
	CMS_ContentInfo_free(*cms);
	*cms = NULL;
	sk_X509_pop_free(*certs, X509_free);
	*certs = NULL;
	return -1;
}

/* ---------------------------------------------------------------- CMS */

struct range {
	const uint8_t *p;
	size_t len;
};

static int
signing_time(CMS_SignerInfo *si, mc_time *out)
{
	int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	X509_ATTRIBUTE *at;
	ASN1_TYPE *t;

	if (idx < 0 || (at = CMS_signed_get_attr(si, idx)) == NULL ||
	    X509_ATTRIBUTE_count(at) != 1 || (t = X509_ATTRIBUTE_get0_type(at, 0)) == NULL)
		return -1;
	if (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME)
		return -1;
	return asn1_time_to_mc(t->value.utctime, out);
}

/* ESS signing-certificate(-v2), when present, must name the signer. 1 ok, 0 not. */
static int
check_ess(CMS_SignerInfo *si, X509 *signer, struct sig_result *r)
{
	ESS_SIGNING_CERT *ss = NULL;
	ESS_SIGNING_CERT_V2 *ssv2 = NULL;
	STACK_OF(X509) *chain = NULL;
	ASN1_STRING *s;
	const unsigned char *p;
	int ret = 0;

	s = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2),
	    -3, V_ASN1_SEQUENCE);
	if (s != NULL) {
		r->has_signing_cert_v2 = 1;
		p = ASN1_STRING_get0_data(s);
		if ((ssv2 = d2i_ESS_SIGNING_CERT_V2(NULL, &p, ASN1_STRING_length(s))) == NULL)
			goto done;
	}
	s = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_id_smime_aa_signingCertificate),
	    -3, V_ASN1_SEQUENCE);
	if (s != NULL) {
		r->has_signing_cert_v1 = 1;
		p = ASN1_STRING_get0_data(s);
		if ((ss = d2i_ESS_SIGNING_CERT(NULL, &p, ASN1_STRING_length(s))) == NULL)
			goto done;
	}
	if (ss == NULL && ssv2 == NULL) {
		ret = 1;
		goto done;
	}
	if ((chain = sk_X509_new_null()) == NULL || !sk_X509_push(chain, signer))
		goto done;
	ret = OSSL_ESS_check_signing_certs(ss, ssv2, chain, 1) == 1;
done:
	sk_X509_free(chain);
	ESS_SIGNING_CERT_free(ss);
	ESS_SIGNING_CERT_V2_free(ssv2);
	return ret;
}

/* A signature without signed attributes: the signature is over the content digest. */
static int
verify_raw(CMS_SignerInfo *si, X509 *signer, const EVP_MD *md, const unsigned char *dig,
    unsigned int diglen)
{
	EVP_PKEY_CTX *pctx = NULL;
	ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
	int ret = 0;

	if (sig == NULL || (pctx = EVP_PKEY_CTX_new(X509_get0_pubkey(signer), NULL)) == NULL ||
	    EVP_PKEY_verify_init(pctx) <= 0 || EVP_PKEY_CTX_set_signature_md(pctx, md) <= 0)
		goto done;
	ret = EVP_PKEY_verify(pctx, ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig),
	    dig, diglen) == 1;
done:
	EVP_PKEY_CTX_free(pctx);
	return ret;
}

/*
 * Everything but coverage, for one CMS over the given ranges (NULL: the ranges are
 * unknown, so integrity is not checked but the signer is still described).
 * allow_padding: bytes after the CMS must be zero (PDF); otherwise none may follow.
 * pdf_m: the PDF's /M, the claimed time when the CMS has no signingTime (PAdES puts
 * it there), or NULL.
 * Returns -1 only when memory ran out.
 */
static int
verify_cms(const struct sig_verifier *v, const uint8_t *der, size_t derlen, int allow_padding,
    const struct range *ranges, size_t nranges, const mc_time *pdf_m, mc_time now,
    struct sig_result *r)
{
	CMS_ContentInfo *cms = NULL;
	STACK_OF(X509) *certs = NULL, *chain = NULL;
	STACK_OF(CMS_SignerInfo) *sis;
	CMS_SignerInfo *si;
	X509 *signer = NULL;
	X509_ALGOR *digalg = NULL;
	const ASN1_OBJECT *mdobj = NULL;
	const EVP_MD *md;
	EVP_MD_CTX *mctx = NULL;
	ASN1_OCTET_STRING *mdattr;
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned int diglen = 0;
	size_t used = 0;
	struct chain_errors ce_sign, ce_now;
	mc_time t_sign;
	int ret = -1;

	for (int i = SIG_CHECK_INTEGRITY; i < SIG_CHECK__MAX; i++)
		set_check(r, (enum sig_check_id)i, SIG_NOT_CHECKED, SIG_R_NONE, NULL);

	if (derlen == 0 || cms_parse(v, der, derlen, &cms, &certs, &used) < 0) {
		set_check(r, SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_CMS_MALFORMED,
		    "the signature is not a CMS structure");
		goto checked;
	}
	for (size_t rest = used; rest < derlen; rest++) {
		if (!allow_padding || der[rest] != 0) {
			set_check(r, SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_CMS_MALFORMED,
			    "bytes other than zero padding follow the CMS structure");
			goto checked;
		}
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed || !CMS_is_detached(cms) ||
	    (sis = CMS_get0_SignerInfos(cms)) == NULL || sk_CMS_SignerInfo_num(sis) != 1) {
		set_check(r, SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_CMS_MALFORMED,
		    "not a detached SignedData with exactly one signer");
		goto checked;
	}
	si = sk_CMS_SignerInfo_value(sis, 0);
	for (int i = 0; i < sk_X509_num(certs) && signer == NULL; i++)
		if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0)
			signer = sk_X509_value(certs, i);
	if (signer == NULL) {
		set_check(r, SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_SIGNER_CERT_MISSING,
		    "the CMS does not carry the signer's certificate");
		goto checked;
	}
	describe_signer(signer, &r->signer);
	CMS_SignerInfo_set1_signer_cert(si, signer);

	/* the claimed time: CMS signingTime, else what the caller put there (PDF /M) */
	if (signing_time(si, &t_sign) == 0) {
		r->has_claimed_time = 1;
		r->claimed_signing_time = t_sign;
		r->claimed_time_source = "cms_signing_time";
	} else if (pdf_m != NULL) {
		r->has_claimed_time = 1;
		r->claimed_signing_time = *pdf_m;
		r->claimed_time_source = "pdf_m";
	}
	r->time_claimed_by_signer = r->has_claimed_time;

	/* integrity */
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &digalg, NULL);
	if (digalg != NULL)
		X509_ALGOR_get0(&mdobj, NULL, NULL, digalg);
	if (mdobj == NULL || (md = EVP_get_digestbyobj(mdobj)) == NULL) {
		set_check(r, SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_CMS_MALFORMED,
		    "unknown digest algorithm");
		goto trust;
	}
	snprintf(r->digest, sizeof(r->digest), "%s", OBJ_nid2sn(EVP_MD_get_type(md)));
	if (ranges == NULL)
		goto trust;
	if ((mctx = EVP_MD_CTX_new()) == NULL || !EVP_DigestInit_ex(mctx, md, NULL))
		goto done;
	for (size_t i = 0; i < nranges; i++)
		if (!EVP_DigestUpdate(mctx, ranges[i].p, ranges[i].len))
			goto done;
	if (!EVP_DigestFinal_ex(mctx, dig, &diglen))
		goto done;
	if (CMS_signed_get_attr_count(si) > 0) {
		mdattr = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3,
		    V_ASN1_OCTET_STRING);
		if (mdattr == NULL) {
			set_check(r, SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_CMS_MALFORMED,
			    "no single message-digest attribute");
		} else if ((unsigned)ASN1_STRING_length(mdattr) != diglen ||
		    memcmp(ASN1_STRING_get0_data(mdattr), dig, diglen) != 0) {
			set_check(r, SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_DIGEST_MISMATCH,
			    "the signed bytes were changed after signing");
		} else if (CMS_SignerInfo_verify(si) != 1) {
			set_check(r, SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_BAD_SIGNATURE,
			    "the signature over the signed attributes does not verify");
		} else if (!check_ess(si, signer, r)) {
			set_check(r, SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_SIGNING_CERT_MISMATCH,
			    "the signing-certificate attribute does not name the signer");
		} else {
			set_check(r, SIG_CHECK_INTEGRITY, SIG_OK, SIG_R_NONE, NULL);
		}
	} else if (!verify_raw(si, signer, md, dig, diglen)) {
		set_check(r, SIG_CHECK_INTEGRITY, SIG_FAIL, SIG_R_DIGEST_MISMATCH,
		    "the signature does not match the content (no signed attributes)");
	} else {
		set_check(r, SIG_CHECK_INTEGRITY, SIG_OK, SIG_R_NONE, NULL);
	}

trust:
	/* chain at the claimed signing time, then now: building a chain does not depend
	 * on the time, so a chain found at signing is only re-checked for validity
	 * periods; an untrusted one is built again at now */
	if (check_chain(v, signer, certs, r->has_claimed_time ? r->claimed_signing_time : now,
	    &ce_sign, &chain) < 0)
		goto done;
	if (!r->has_claimed_time)
		ce_now = ce_sign;
	else if (chain != NULL)
		chain_times(chain, now, &ce_now);
	else if (check_chain(v, signer, certs, now, &ce_now, NULL) < 0)
		goto done;
	if (ce_sign.untrusted) {
		set_check(r, SIG_CHECK_CHAIN_AT_SIGNING, SIG_FAIL, SIG_R_UNTRUSTED_CHAIN, NULL);
		describe_chain_error(&ce_sign, r->checks[SIG_CHECK_CHAIN_AT_SIGNING].detail,
		    sizeof(r->checks[0].detail));
	} else if (!r->has_claimed_time) {
		set_check(r, SIG_CHECK_CHAIN_AT_SIGNING, SIG_WARNING, SIG_R_NO_SIGNING_TIME,
		    "no signing time: the chain was checked at the verification time only");
	} else if (ce_sign.expired) {
		set_check(r, SIG_CHECK_CHAIN_AT_SIGNING, SIG_FAIL, SIG_R_EXPIRED_AT_SIGNING,
		    "a certificate had expired at the claimed signing time");
	} else if (ce_sign.not_yet_valid) {
		set_check(r, SIG_CHECK_CHAIN_AT_SIGNING, SIG_FAIL, SIG_R_NOT_YET_VALID_AT_SIGNING,
		    "a certificate was not yet valid at the claimed signing time");
	} else {
		set_check(r, SIG_CHECK_CHAIN_AT_SIGNING, SIG_OK, SIG_R_NONE, NULL);
	}
	if (ce_now.untrusted) {
		set_check(r, SIG_CHECK_CHAIN_NOW, SIG_FAIL, SIG_R_UNTRUSTED_CHAIN, NULL);
		describe_chain_error(&ce_now, r->checks[SIG_CHECK_CHAIN_NOW].detail,
		    sizeof(r->checks[0].detail));
	} else if (ce_now.expired || ce_now.not_yet_valid) {
		set_check(r, SIG_CHECK_CHAIN_NOW, r->has_claimed_time ? SIG_WARNING : SIG_FAIL,
		    SIG_R_EXPIRED_NOW, "a certificate of the chain is not valid now");
	} else {
		set_check(r, SIG_CHECK_CHAIN_NOW, SIG_OK, SIG_R_NONE, NULL);
	}
	if (chain != NULL)
		check_revocation(v, chain, now, r);
	check_key_usage(v, signer, r);

checked:
	ret = 0;
done:
	EVP_MD_CTX_free(mctx);
	sk_X509_pop_free(chain, X509_free);
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	return ret;
}

/* ---------------------------------------------------------------- verdicts */

static enum sig_verdict
result_verdict(const struct sig_result *r)
{
	enum sig_verdict vd = SIG_VALID;

	for (int i = 0; i < SIG_CHECK__MAX; i++) {
		if (r->checks[i].status == SIG_FAIL)
			return SIG_INVALID;
		if (r->checks[i].status == SIG_WARNING)
			vd = SIG_VALID_WITH_WARNINGS;
	}
	/* a document time-stamp is not read: its warning says so, nothing more */
	if (r->is_timestamp && r->checks[SIG_CHECK_COVERAGE].reason == SIG_R_UNSUPPORTED_SUBFILTER)
		return vd;
	/* a signature whose integrity or chain could not be checked is not valid */
	if (r->checks[SIG_CHECK_INTEGRITY].status != SIG_OK ||
	    r->checks[SIG_CHECK_CHAIN_NOW].status == SIG_NOT_CHECKED)
		return SIG_INVALID;
	return vd;
}

static void
report_verdict(struct sig_report *rep)
{
	rep->verdict = SIG_VALID;
	if (rep->n == 0) {
		rep->verdict = SIG_INVALID;
		if (rep->reason == SIG_R_NONE)
			rep->reason = SIG_R_NO_SIGNATURES;
		return;
	}
	size_t real = 0;

	for (size_t i = 0; i < rep->n; i++) {
		rep->sigs[i].verdict = result_verdict(&rep->sigs[i]);
		if (rep->sigs[i].verdict > rep->verdict)
			rep->verdict = rep->sigs[i].verdict;
		if (!rep->sigs[i].is_timestamp)
			real++;
	}
	if (real == 0) {
		rep->verdict = SIG_INVALID;
		if (rep->reason == SIG_R_NONE)
			rep->reason = SIG_R_NO_SIGNATURES;
	}
}

static struct sig_report *
report_new(size_t n)
{
	struct sig_report *rep = calloc(1, sizeof(*rep));

	if (rep == NULL)
		return NULL;
	if (n > 0 && (rep->sigs = calloc(n, sizeof(*rep->sigs))) == NULL) {
		free(rep);
		return NULL;
	}
	rep->n = n;
	for (size_t i = 0; i < n; i++) {
		rep->sigs[i].index = (int)i;
		rep->sigs[i].claimed_time_source = "";
	}
	return rep;
}

void
sig_report_free(struct sig_report *r)
{
	if (r == NULL)
		return;
	free(r->sigs);
	free(r);
}

/* ---------------------------------------------------------------- entry points */

int
sig_verify_detached(const struct sig_verifier *v, const uint8_t *p7s, size_t p7slen,
    const uint8_t *content, size_t len, mc_time now, struct sig_report **out)
{
	struct sig_report *rep = NULL;
	struct range rg = { content, len };
	BIO *bio = NULL;
	CMS_ContentInfo *pem = NULL;
	unsigned char *der = NULL;
	const uint8_t *sig = p7s;
	size_t siglen = p7slen;
	int n, ret = -1;

	ERR_set_mark();
	*out = NULL;
	if ((rep = report_new(1)) == NULL)
		goto done;
	if (p7slen > 10 && memcmp(p7s, "-----BEGIN", 10) == 0) {
		/* PEM: decode to DER, then the same path */
		if ((bio = BIO_new_mem_buf(p7s, (int)p7slen)) != NULL &&
		    (pem = PEM_read_bio_CMS(bio, NULL, NULL, NULL)) != NULL &&
		    (n = i2d_CMS_ContentInfo(pem, &der)) > 0) {
			sig = der;
			siglen = (size_t)n;
		} else {
			siglen = 0;
		}
	}
	set_check(&rep->sigs[0], SIG_CHECK_COVERAGE, SIG_OK, SIG_R_NONE, NULL);
	rep->sigs[0].covers_whole_file = 1;
	rep->sigs[0].signed_len = len;
	if (verify_cms(v, sig, siglen, 0, &rg, 1, NULL, now, &rep->sigs[0]) < 0)
		goto done;
	report_verdict(rep);
	*out = rep;
	rep = NULL;
	ret = 0;
done:
	OPENSSL_free(der);
	CMS_ContentInfo_free(pem);
	BIO_free(bio);
	sig_report_free(rep);
	ERR_pop_to_mark();
	return ret;
}

static int
verify_one_pdf_sig(const struct sig_verifier *v, const uint8_t *pdf, const struct pdfsig_sig *s,
    mc_time now, struct sig_result *r)
{
	struct range rg[2];
	int usable = s->byte_range_ok;

	snprintf(r->subfilter, sizeof(r->subfilter), "%s", s->subfilter);
	r->is_timestamp = s->is_timestamp;
	snprintf(r->field_name, sizeof(r->field_name), "%s", s->field_name);
	r->covers_whole_file = s->covers_whole_file;
	memcpy(r->byte_range, s->byte_range, sizeof(r->byte_range));
	r->signed_len = s->signed_len;
	r->bytes_after = s->bytes_after;
	r->later_only_signatures = s->later == PDFSIG_LATER_SIGNATURES;
	if (!s->byte_range_ok) {
		set_check(r, SIG_CHECK_COVERAGE, SIG_FAIL, SIG_R_BYTE_RANGE_INVALID, "%s",
		    s->byte_range_problem ? s->byte_range_problem : "bad /ByteRange");
	} else if (!s->subfilter_supported) {
		set_check(r, SIG_CHECK_COVERAGE, s->is_timestamp ? SIG_WARNING : SIG_FAIL,
		    SIG_R_UNSUPPORTED_SUBFILTER, "/SubFilter /%s is not supported", s->subfilter);
		usable = 0;
	} else if (s->later == PDFSIG_LATER_OTHER) {
		set_check(r, SIG_CHECK_COVERAGE, SIG_WARNING, SIG_R_NOT_WHOLE_FILE,
		    "%zu bytes added after signing change more than signatures (object %u)",
		    s->bytes_after, s->later_object);
	} else if (s->later == PDFSIG_LATER_SIGNATURES) {
		set_check(r, SIG_CHECK_COVERAGE, SIG_OK, SIG_R_LATER_SIGNATURES_ONLY,
		    "%zu bytes added after signing only add signatures", s->bytes_after);
	} else {
		set_check(r, SIG_CHECK_COVERAGE, SIG_OK, SIG_R_NONE, NULL);
	}
	if (!s->subfilter_supported) {
		/* a document time-stamp or an old format: describe nothing more */
		for (int i = SIG_CHECK_INTEGRITY; i < SIG_CHECK__MAX; i++)
			set_check(r, (enum sig_check_id)i, SIG_NOT_CHECKED, SIG_R_NONE, NULL);
		return 0;
	}
	if (usable) {
		rg[0].p = pdf;
		rg[0].len = (size_t)s->byte_range[1];
		rg[1].p = pdf + s->byte_range[2];
		rg[1].len = (size_t)s->byte_range[3];
	}
	return verify_cms(v, s->contents, s->contents_len, 1, usable ? rg : NULL, 2,
	    s->has_m ? &s->m : NULL, now, r);
}

int
sig_verify_pdf(const struct sig_verifier *v, const uint8_t *pdf, size_t len, mc_time now,
    struct sig_report **out)
{
	struct pdfsig_list list;
	struct sig_report *rep = NULL;
	int ret = -1, found;

	ERR_set_mark();
	*out = NULL;
	found = pdfsig_find(pdf, len, &list);
	if ((rep = report_new(found == 0 ? list.n : 0)) == NULL)
		goto done;
	if (found < 0) {
		rep->reason = SIG_R_PDF_MALFORMED;
	} else {
		rep->pdf_rebuilt = list.rebuilt;
		for (size_t i = 0; i < list.n; i++)
			if (verify_one_pdf_sig(v, pdf, &list.sigs[i], now, &rep->sigs[i]) < 0)
				goto done;
	}
	report_verdict(rep);
	*out = rep;
	rep = NULL;
	ret = 0;
done:
	pdfsig_list_free(&list);
	sig_report_free(rep);
	ERR_pop_to_mark();
	return ret;
}

/* ---------------------------------------------------------------- one certificate, one CRL */

static const char *const cert_reason_codes[SIG_CERT__MAX] = {
	[SIG_CERT_OK] = "ok",
	[SIG_CERT_MALFORMED] = "malformed",
	[SIG_CERT_UNTRUSTED_CHAIN] = "untrusted_chain",
	[SIG_CERT_EXPIRED] = "expired",
	[SIG_CERT_NOT_YET_VALID] = "not_yet_valid",
	[SIG_CERT_BAD_KEY_USAGE] = "bad_key_usage",
	[SIG_CERT_BAD_EXT_KEY_USAGE] = "bad_ext_key_usage",
	[SIG_CERT_REVOKED] = "revoked",
};

const char *
sig_cert_reason_code(enum sig_cert_reason r)
{
	return (unsigned)r < SIG_CERT__MAX ? cert_reason_codes[r] : "";
}

int
sig_check_cert(const struct sig_verifier *v, const uint8_t *data, size_t len, mc_time now,
    struct sig_cert_status *out)
{
	struct sig_blob b = { data, len };
	STACK_OF(X509) *certs = NULL, *untrusted = NULL, *chain = NULL;
	struct chain_errors ce;
	struct sig_result r;
	X509 *leaf;
	time_t tt = (time_t)now;
	int ret = -1;

	ERR_set_mark();
	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	if ((certs = sk_X509_new_null()) == NULL || (untrusted = sk_X509_new_null()) == NULL)
		goto done;
	if (len == 0 || len > INT_MAX || load_certs(&b, certs) < 0 || sk_X509_num(certs) == 0) {
		out->reason = SIG_CERT_MALFORMED;
		snprintf(out->detail, sizeof(out->detail), "no X.509 certificate could be read");
		ret = 0;
		goto done;
	}
	leaf = sk_X509_value(certs, 0);
	for (int i = 1; i < sk_X509_num(certs); i++)
		if (!sk_X509_push(untrusted, sk_X509_value(certs, i)))
			goto done;
	describe_signer(leaf, &out->cert);
	out->expired = X509_cmp_time(X509_get0_notAfter(leaf), &tt) <= 0;
	out->not_yet_valid = X509_cmp_time(X509_get0_notBefore(leaf), &tt) >= 0;
	if (check_chain(v, leaf, untrusted, now, &ce, &chain) != 0)
		goto done;
	out->untrusted = ce.untrusted;
	check_key_usage(v, leaf, &r);
	if (chain != NULL) {
		check_revocation(v, chain, now, &r);
		out->revoked = r.revoked;
		out->revocation_time = r.revocation_time;
	}
	if (out->untrusted) {
		out->reason = SIG_CERT_UNTRUSTED_CHAIN;
		describe_chain_error(&ce, out->detail, sizeof(out->detail));
	} else if (out->expired || ce.expired) {
		out->reason = SIG_CERT_EXPIRED;
		snprintf(out->detail, sizeof(out->detail), "%s is past its notAfter",
		    out->expired ? "the certificate" : "a certificate of its chain");
	} else if (out->not_yet_valid || ce.not_yet_valid) {
		out->reason = SIG_CERT_NOT_YET_VALID;
		snprintf(out->detail, sizeof(out->detail), "%s is before its notBefore",
		    out->not_yet_valid ? "the certificate" : "a certificate of its chain");
	} else if (r.checks[SIG_CHECK_KEY_USAGE].status == SIG_FAIL) {
		out->reason = r.checks[SIG_CHECK_KEY_USAGE].reason == SIG_R_BAD_EXT_KEY_USAGE ?
		    SIG_CERT_BAD_EXT_KEY_USAGE : SIG_CERT_BAD_KEY_USAGE;
		snprintf(out->detail, sizeof(out->detail), "%s", r.checks[SIG_CHECK_KEY_USAGE].detail);
	} else if (out->revoked) {
		out->reason = SIG_CERT_REVOKED;
		snprintf(out->detail, sizeof(out->detail), "%s", r.checks[SIG_CHECK_REVOCATION].detail);
	}
	ret = 0;
done:
	sk_X509_pop_free(chain, X509_free);
	sk_X509_free(untrusted);
	sk_X509_pop_free(certs, X509_free);
	ERR_pop_to_mark();
	return ret;
}

int
sig_check_crl(const struct sig_verifier *v, const uint8_t *data, size_t len,
    const uint8_t *issuer, size_t issuer_len, mc_time now, struct sig_crl_info *out)
{
	struct sig_blob b = { data, len }, ib = { issuer, issuer_len };
	STACK_OF(X509_CRL) *crls = NULL;
	STACK_OF(X509) *given = NULL;
	X509_CRL *crl;
	unsigned char *der = NULL, md[32];
	unsigned int mdlen = 0;
	int n, ret = -1;

	ERR_set_mark();
	memset(out, 0, sizeof(*out));
	if ((crls = sk_X509_CRL_new_null()) == NULL || (given = sk_X509_new_null()) == NULL)
		goto done;
	if (len == 0 || len > INT_MAX || load_crls(&b, crls) < 0 || sk_X509_CRL_num(crls) != 1 ||
	    asn1_time_to_mc(X509_CRL_get0_lastUpdate(sk_X509_CRL_value(crls, 0)),
	    &out->this_update) != 0) {
		out->result = SIG_CRL_MALFORMED;
		snprintf(out->detail, sizeof(out->detail), "not one X.509 CRL with a thisUpdate");
		ret = 0;
		goto done;
	}
	crl = sk_X509_CRL_value(crls, 0);
	name_to_text(X509_CRL_get_issuer(crl), out->issuer, sizeof(out->issuer));
	if ((n = i2d_X509_NAME(X509_CRL_get_issuer(crl), &der)) <= 0 ||
	    !EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		goto done;
	hex_encode(md, 32, out->issuer_hash_hex);
	out->has_next_update = asn1_time_to_mc(X509_CRL_get0_nextUpdate(crl), &out->next_update) == 0;
	out->revoked_count = sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl));
	out->result = SIG_CRL_UNTRUSTED_ISSUER;
	snprintf(out->detail, sizeof(out->detail),
	    "the CRL is signed by no trusted CA nor by the given issuer");
	for (int i = 0; i < sk_X509_num(v->cas); i++) {
		X509 *ca = sk_X509_value(v->cas, i);

		if (X509_NAME_cmp(X509_get_subject_name(ca), X509_CRL_get_issuer(crl)) == 0 &&
		    X509_CRL_verify(crl, X509_get0_pubkey(ca)) == 1) {
			out->result = SIG_CRL_OK;
			out->detail[0] = '\0';
			break;
		}
	}
	if (out->result != SIG_CRL_OK && issuer_len > 0 && load_certs(&ib, given) == 0) {
		X509 *x = sk_X509_value(given, 0);
		struct chain_errors ce;

		if (check_chain(v, x, NULL, now, &ce, NULL) != 0)
			goto done;
		if (ce.untrusted || !(X509_get_extension_flags(x) & EXFLAG_CA))
			snprintf(out->detail, sizeof(out->detail),
			    "the given issuer is not a CA that chains to a trusted CA");
		else if (X509_NAME_cmp(X509_get_subject_name(x), X509_CRL_get_issuer(crl)) == 0 &&
		    X509_CRL_verify(crl, X509_get0_pubkey(x)) == 1) {
			out->result = SIG_CRL_OK;
			out->detail[0] = '\0';
		}
	}
	ret = 0;
done:
	OPENSSL_free(der);
	sk_X509_pop_free(given, X509_free);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	ERR_pop_to_mark();
	return ret;
}
