/*
 * Signing PDFs: PAdES baseline (B-B) signatures added as an incremental update.
 *
 * The signature is /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached: a CMS
 * SignedData (detached, SHA-256) in /Contents over the /ByteRange, whose signed
 * attributes are contentType (id-data), messageDigest, signingTime (claimed, as every
 * CMS signing time is) and ESS signing-certificate-v2 (SHA-256 of the signer's
 * certificate, issuer and serial). Earlier revisions, and the signatures in them, are
 * left byte for byte as they were: the new revision only appends objects (the
 * signature dictionary, an invisible signature field, the updated catalog with its
 * /AcroForm, and the page whose /Annots gains the field) and a cross-reference section
 * of the same kind as the previous one (a classic table, or an xref stream) with /Prev.
 *
 * Two ways to sign, for the two places a key can be:
 *   - one call, key in hand (the server's organization seal, motcua-sign with a PKCS#12
 *     or a PKCS#11 key): pdfsign_sign_pdf();
 *   - two steps, key elsewhere (the officer's USB token behind the remote-signing API):
 *     pdfsign_prepare() writes the placeholder and gives the SHA-256 of the covered
 *     bytes; pdfsign_signed_attrs() gives the DER the token must sign (after the signer's
 *     certificate is known); the token returns a raw signature, which
 *     pdfsign_assemble_cms() turns into the CMS, or the signer returns a complete CMS of
 *     its own; pdfsign_embed() writes it into the placeholder.
 *
 * Pure apart from OpenSSL: bytes in, bytes out; no file, database or network access.
 * Thread-safe (no shared state). The OpenSSL error queue is left as found.
 */
#ifndef MOTCUA_SIG_PDFSIGN_H
#define MOTCUA_SIG_PDFSIGN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* Room for the CMS in the placeholder: the hex string holds twice this. Enough for a
 * signer certificate, a chain of three and RSA-4096. */
#define PDFSIGN_DEFAULT_CAPACITY 16384

struct pdfsign_options {
	const char *field_name;         /* signature field /T; NULL: "Signature<n>" unused */
	const char *reason;             /* /Reason, UTF-8 (written as UTF-16BE); NULL: none */
	const char *location;           /* /Location; NULL: none */
	const char *signer_name;        /* /Name; NULL: none */
	int64_t signing_time;           /* UTC seconds: /M, and the CMS signingTime; 0: now */
	size_t capacity;                /* bytes of CMS the placeholder takes; 0: default */
};

struct pdfsign_prepared {
	uint8_t *pdf;                   /* malloc'd: the original plus the new revision */
	size_t len;
	int64_t byte_range[4];          /* as written into the file */
	size_t contents_off;            /* offset of '<' of the /Contents hex string */
	size_t capacity;                /* bytes of CMS it takes (hex digits / 2) */
	uint8_t digest[32];             /* SHA-256 of the bytes the /ByteRange covers */
	int64_t signing_time;
};

/* Errors: every function returns 0 on success and one of these (negative) otherwise. */
enum pdfsign_error {
	PDFSIGN_OK = 0,
	PDFSIGN_E_NOMEM = -1,
	PDFSIGN_E_PDF = -2,             /* not a PDF we can update (unreadable, encrypted) */
	PDFSIGN_E_TOO_BIG = -3,         /* the CMS does not fit the placeholder */
	PDFSIGN_E_CMS = -4,             /* a CMS could not be built or does not parse */
	PDFSIGN_E_KEY = -5,             /* the key does not sign, or does not match the cert */
	PDFSIGN_E_ARG = -6
};

/* Append the new revision with an empty signature. Free with pdfsign_prepared_free(). */
int pdfsign_prepare(const uint8_t *pdf, size_t len, const struct pdfsign_options *o,
    struct pdfsign_prepared *out);
void pdfsign_prepared_free(struct pdfsign_prepared *p);

/*
 * The signed attributes, DER-encoded as the SET OF that is signed (tag 0x31), for the
 * message digest `digest` (SHA-256 of the content), the signer's certificate and the
 * signing time. *der is malloc'd.
 */
int pdfsign_signed_attrs(const uint8_t digest[32], X509 *signer, int64_t signing_time,
    uint8_t **der, size_t *len);

/*
 * A CMS SignedData (DER) from the signed attributes above and a raw signature over
 * them (RSA PKCS#1 v1.5 with SHA-256, or ECDSA with SHA-256), with the signer's
 * certificate and the chain (may be NULL) in its certificates. Checks that the
 * signature verifies with the certificate's key before building anything
 * (PDFSIGN_E_KEY otherwise). *cms is malloc'd.
 */
int pdfsign_assemble_cms(X509 *signer, STACK_OF(X509) *chain, const uint8_t *attrs,
    size_t attrs_len, const uint8_t *sig, size_t sig_len, uint8_t **cms, size_t *cms_len);

/* The CMS for a digest, signed here with key (which must match cert). *cms malloc'd. */
int pdfsign_sign_digest(EVP_PKEY *key, X509 *cert, STACK_OF(X509) *chain,
    const uint8_t digest[32], int64_t signing_time, uint8_t **cms, size_t *cms_len);

/* A detached CMS (.p7s, DER) over content[0..len), in binary mode, with the same
 * signed attributes. *p7s malloc'd. */
int pdfsign_sign_detached(EVP_PKEY *key, X509 *cert, STACK_OF(X509) *chain,
    const uint8_t *content, size_t len, int64_t signing_time, uint8_t **p7s, size_t *p7s_len);

/* Write cms as hex into the placeholder (zero-padded). The digest it signs is not
 * checked here: verify the result with sig_verify_pdf(). */
int pdfsign_embed(struct pdfsign_prepared *p, const uint8_t *cms, size_t cms_len);

/* prepare + sign_digest + embed. *out malloc'd. */
int pdfsign_sign_pdf(const uint8_t *pdf, size_t len, const struct pdfsign_options *o,
    EVP_PKEY *key, X509 *cert, STACK_OF(X509) *chain, uint8_t **out, size_t *out_len);

const char *pdfsign_strerror(int err);

#endif
