/*
 * Digital signature verification: bytes in, report out.
 *
 * Pure: no file, database or network access. The caller passes the bytes of the
 * document (a PDF with embedded signatures, or any file plus its detached CMS .p7s),
 * the trusted CA certificates and CRLs (once, into a reusable verifier), and "now".
 *
 * One report per call; in it one result per signature, each with six checks:
 *
 *   coverage          what the signature covers (PDF /ByteRange, /SubFilter, later
 *                     revisions); always ok for a detached signature
 *   integrity         the CMS parses, has one signer whose certificate it carries,
 *                     its message-digest attribute equals the digest of the covered
 *                     bytes (binary: no MIME canonicalisation, ever), the signature
 *                     over the signed attributes verifies, and the ESS signing
 *                     certificate attribute, when present, names the signer
 *   chain_at_signing  the certificate chains, by signature (not by name), to a
 *                     trusted certificate, every certificate valid at the claimed
 *                     signing time
 *   chain_now         the same at "now"
 *   revocation        the given CRLs (each one used only if its signature verifies
 *                     with the key of the certificate that issued the checked
 *                     certificate), with the revocation date compared to the claimed
 *                     signing time here rather than by OpenSSL
 *   key_usage         keyUsage, when present, has digitalSignature or
 *                     nonRepudiation; extendedKeyUsage, when present, has document
 *                     signing (1.3.6.1.4.1.311.10.3.12, 1.2.840.113583.1.1.5,
 *                     1.3.6.1.5.5.7.3.36), emailProtection or anyExtendedKeyUsage
 *
 * The signing time: the CMS signingTime attribute, or for a PDF without it the
 * signature dictionary's /M. Either way it is CLAIMED BY THE SIGNER (anyone holding
 * the key can write any time there); results say so with time_claimed_by_signer and
 * a caller must show it as such. Signature time-stamp tokens are not read.
 *
 * Verdict of one signature:
 *   invalid              any check failed;
 *   valid_with_warnings  no check failed and at least one warned;
 *   valid                every check ok.
 * Rules, check by check:
 *   coverage    byte_range_invalid, unsupported_subfilter (on a /Sig) -> fail;
 *               unsupported_subfilter on a /DocTimeStamp -> warning (not verified,
 *               and not the signer's own signature);
 *               not_whole_file: bytes after the signed revision that change or add
 *               anything but signatures, signature fields and DSS -> warning: the
 *               signed revision is intact, and the caller must show that content
 *               was added after signing (signed_len tells where the signed revision
 *               ends, so it can be shown alone);
 *               later_signatures_only -> ok (the normal multi-signature case).
 *   integrity   any problem -> fail.
 *   chain_at_signing
 *               untrusted_chain, expired_at_signing, not_yet_valid_at_signing ->
 *               fail; no_signing_time -> warning (the chain is then checked at now
 *               only).
 *   chain_now   untrusted_chain -> fail; expired_now -> warning when the chain was
 *               valid at a claimed signing time, fail when there is no signing time.
 *   revocation  revoked_before_signing (revocation date <= claimed signing time)
 *               -> fail; revoked_after_signing -> warning; revoked with no signing
 *               time -> fail ("revoked"); no_crl (no usable CRL for the signer's
 *               issuer) and crl_expired (its nextUpdate is before now) -> warning.
 *   key_usage   bad_key_usage, bad_ext_key_usage -> fail.
 * Verdict of the document: invalid when it has no signature (document time-stamps
 * do not count), cannot be read, or any signature is invalid; otherwise the worst of
 * its signatures.
 *
 * Thread safety: share one verifier across threads. It is read-only once built but
 * for a small mutex-guarded cache of CRL issuers (an intermediate that comes inside
 * each CMS rather than from the trusted list: its CRL signature is checked once).
 * The OpenSSL error queue is left as the call found it.
 */
#ifndef MOTCUA_SIG_SIGVERIFY_H
#define MOTCUA_SIG_SIGVERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "domain/timeutil.h"

enum sig_status {
	SIG_NOT_CHECKED,                /* an earlier problem made the check meaningless */
	SIG_OK,
	SIG_WARNING,
	SIG_FAIL,
	SIG_STATUS__MAX
};

enum sig_verdict {
	SIG_VALID,
	SIG_VALID_WITH_WARNINGS,
	SIG_INVALID,
	SIG_VERDICT__MAX
};

/* Stable reason codes: the strings from sig_reason_code() are API. */
enum sig_reason {
	SIG_R_NONE,                     /* "ok" */
	SIG_R_BYTE_RANGE_INVALID,
	SIG_R_UNSUPPORTED_SUBFILTER,
	SIG_R_NOT_WHOLE_FILE,
	SIG_R_LATER_SIGNATURES_ONLY,
	SIG_R_CMS_MALFORMED,
	SIG_R_SIGNER_CERT_MISSING,
	SIG_R_DIGEST_MISMATCH,
	SIG_R_BAD_SIGNATURE,
	SIG_R_SIGNING_CERT_MISMATCH,
	SIG_R_UNTRUSTED_CHAIN,
	SIG_R_EXPIRED_AT_SIGNING,
	SIG_R_NOT_YET_VALID_AT_SIGNING,
	SIG_R_EXPIRED_NOW,
	SIG_R_NO_SIGNING_TIME,
	SIG_R_REVOKED_BEFORE_SIGNING,
	SIG_R_REVOKED_AFTER_SIGNING,
	SIG_R_REVOKED,
	SIG_R_NO_CRL,
	SIG_R_CRL_EXPIRED,
	SIG_R_BAD_KEY_USAGE,
	SIG_R_BAD_EXT_KEY_USAGE,
	SIG_R_NO_SIGNATURES,            /* document level */
	SIG_R_PDF_MALFORMED,            /* document level */
	SIG_R__MAX
};

enum sig_check_id {
	SIG_CHECK_COVERAGE,
	SIG_CHECK_INTEGRITY,
	SIG_CHECK_CHAIN_AT_SIGNING,
	SIG_CHECK_CHAIN_NOW,
	SIG_CHECK_REVOCATION,
	SIG_CHECK_KEY_USAGE,
	SIG_CHECK__MAX
};

struct sig_check {
	enum sig_status status;
	enum sig_reason reason;
	char detail[160];               /* English, for logs and the "detail" of a problem */
};

struct sig_signer {
	int present;                    /* 0: no signer certificate could be read */
	char cn[256];                   /* UTF-8 */
	char subject[512];              /* RFC 2253, UTF-8 */
	char issuer[512];
	char serial_hex[132];           /* upper-case hex, no separators */
	mc_time not_before, not_after;
	unsigned char cert_sha256[32];  /* to match the certificate registered to an officer */
	char cert_sha256_hex[65];
};

struct sig_result {
	int index;                      /* 0-based, in signing order */
	char subfilter[64];             /* PDF /SubFilter; "" for a detached signature */
	int is_timestamp;               /* a PDF /DocTimeStamp (not read: see coverage) */
	char field_name[128];           /* PDF signature field /T, "" if unknown */
	int covers_whole_file;
	int64_t byte_range[4];          /* PDF /ByteRange as read (0s for a detached signature) */
	size_t signed_len;              /* bytes covered, up to the end of the last range */
	size_t bytes_after;             /* bytes of the file after the signed revision */
	int later_only_signatures;      /* bytes_after > 0 and they only add signatures/DSS */
	struct sig_signer signer;
	int has_claimed_time;
	mc_time claimed_signing_time;   /* CLAIMED BY THE SIGNER: show it as such */
	int time_claimed_by_signer;     /* always 1 when has_claimed_time */
	const char *claimed_time_source;  /* "cms_signing_time", "pdf_m" or "" */
	int has_signing_cert_v2;        /* ESS signing-certificate-v2 (PAdES baseline) */
	int has_signing_cert_v1;
	char digest[32];                /* "sha256", ... */
	int revoked;                    /* the signer's certificate is on a trusted CRL */
	mc_time revocation_time;
	struct sig_check checks[SIG_CHECK__MAX];
	enum sig_verdict verdict;
};

struct sig_report {
	enum sig_verdict verdict;
	enum sig_reason reason;         /* document-level problem, SIG_R_NONE otherwise */
	int pdf_rebuilt;                /* the PDF's cross-reference had to be rebuilt */
	size_t n;
	struct sig_result *sigs;
};

/* A certificate or CRL: DER, or PEM (a PEM blob may hold several). */
struct sig_blob {
	const uint8_t *data;
	size_t len;
};

struct sig_verifier;

/*
 * Build a verifier from the trusted CA certificates (every one a trust anchor:
 * self-signed roots, or an intermediate the administrator chose to trust) and the
 * CRLs. Returns 0 and *out (free with sig_verifier_free), or -1 when a blob does not
 * parse or memory runs out. Build it once; reuse it for every call.
 */
int sig_verifier_new(const struct sig_blob *cas, size_t ncas, const struct sig_blob *crls,
    size_t ncrls, struct sig_verifier **out);
void sig_verifier_free(struct sig_verifier *v);

/*
 * Verify every signature in pdf[0..len) at time now. Returns 0 with a report (also
 * for an invalid or unreadable PDF: see report->verdict), or -1 when memory ran out.
 * Free the report with sig_report_free().
 */
int sig_verify_pdf(const struct sig_verifier *v, const uint8_t *pdf, size_t len, mc_time now,
    struct sig_report **out);

/* Verify a detached CMS (DER or PEM) over content[0..len), in binary mode. */
int sig_verify_detached(const struct sig_verifier *v, const uint8_t *p7s, size_t p7slen,
    const uint8_t *content, size_t len, mc_time now, struct sig_report **out);

void sig_report_free(struct sig_report *r);

const char *sig_reason_code(enum sig_reason r);
const char *sig_status_name(enum sig_status s);      /* "not_checked", "ok", ... */
const char *sig_verdict_name(enum sig_verdict v);    /* "valid", ... */
const char *sig_check_name(enum sig_check_id c);     /* "coverage", "integrity", ... */

/*
 * One certificate on its own, as an officer's signing certificate is registered
 * (api/certificates.c): data is DER, or PEM with the certificate first and, after it,
 * intermediates that may help build the chain. At now: the chain to a trusted
 * certificate (by signature), the validity of the certificate and its chain, key usage
 * by the rules of the key_usage check, and revocation against the verifier's CRLs.
 * reason is the first problem in the order of the enum (all the flags are filled
 * whatever it is; revoked only when a chain was built). 0, or -1 out of memory.
 */
enum sig_cert_reason {
	SIG_CERT_OK,
	SIG_CERT_MALFORMED,
	SIG_CERT_UNTRUSTED_CHAIN,
	SIG_CERT_EXPIRED,
	SIG_CERT_NOT_YET_VALID,
	SIG_CERT_BAD_KEY_USAGE,
	SIG_CERT_BAD_EXT_KEY_USAGE,
	SIG_CERT_REVOKED,
	SIG_CERT__MAX
};

struct sig_cert_status {
	enum sig_cert_reason reason;
	int untrusted, expired, not_yet_valid, revoked;
	mc_time revocation_time;
	struct sig_signer cert;         /* present = 0 when malformed */
	char detail[160];               /* English */
};

int sig_check_cert(const struct sig_verifier *v, const uint8_t *data, size_t len, mc_time now,
    struct sig_cert_status *out);
const char *sig_cert_reason_code(enum sig_cert_reason r);   /* "ok", "malformed", ... */

/*
 * A CRL fetched from somewhere (DER or PEM, exactly one): it must parse and be signed
 * by a trusted certificate, or by issuer (DER or PEM, optional: an intermediate CA
 * that chains to a trusted certificate at now). 0 with out filled, -1 out of memory.
 */
enum sig_crl_result { SIG_CRL_OK, SIG_CRL_MALFORMED, SIG_CRL_UNTRUSTED_ISSUER };

struct sig_crl_info {
	enum sig_crl_result result;
	char issuer[512];               /* RFC 2253, UTF-8 */
	char issuer_hash_hex[65];       /* SHA-256 of the issuer name's DER: one CRL per issuer */
	mc_time this_update, next_update;
	int has_next_update;
	int revoked_count;
	char detail[160];
};

int sig_check_crl(const struct sig_verifier *v, const uint8_t *data, size_t len,
    const uint8_t *issuer, size_t issuer_len, mc_time now, struct sig_crl_info *out);

#endif
