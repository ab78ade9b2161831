/*
 * Trusted CAs and CRLs for signature verification (sql/009_trust.sql). Every change
 * bumps trust_generation, which api/signatures.c watches to rebuild its verifier.
 * Strings and blobs handed to callbacks live during the callback only.
 */
#ifndef MOTCUA_STORE_TRUST_H
#define MOTCUA_STORE_TRUST_H

#include <stddef.h>

struct db;

struct trust_ca_row {
	long long id, added_by;         /* added_by 0: unknown */
	const char *name, *sha256, *subject, *not_after, *added_at;   /* times: DB UTC text */
	int active;
};

/* The generation counter. 0, or <0 error. */
int trust_generation(struct db *db, long long *gen);

/* Every CA (active_only: only the active ones), newest first. 0, or what fn returned, or <0. */
int trust_ca_list(struct db *db, int active_only,
                  int (*fn)(const struct trust_ca_row *ca, void *arg), void *arg);

/* One CA by id: 0 after fn, 1 none, <0 error. */
int trust_ca_get(struct db *db, long long id,
                 int (*fn)(const struct trust_ca_row *ca, void *arg), void *arg);

/*
 * Adds a CA (or reactivates the one with the same sha256, renaming it). not_after: DB UTC
 * text. *id gets its id, *created 1 for a new row, 0 for an existing one. 0, or <0 error.
 */
int trust_ca_add(struct db *db, const char *name, const unsigned char *der, size_t len,
                 const char *sha256_hex, const char *subject, const char *not_after,
                 long long added_by, long long *id, int *created);

/* Marks a CA inactive: 0 done, 1 no such (active) CA, <0 error. */
int trust_ca_deactivate(struct db *db, long long id);

/* Adds a CRL; ca_id 0: none; next_update NULL or "": none. 0, or <0 error. */
int trust_crl_add(struct db *db, long long ca_id, const unsigned char *der, size_t len,
                  const char *this_update, const char *next_update, long long *id);

/* The DER of every active CA (kind 0) and of every CRL whose CA is active or none (kind 1). */
int trust_load(struct db *db,
               int (*fn)(int kind, const unsigned char *der, size_t len, void *arg), void *arg);

/* ---- officers' signing certificates (sql/010_officer_certificates.sql) */

struct trust_officer_cert_new {
	long long officer_id, added_by;
	const unsigned char *der;
	size_t len;
	const char *sha256_hex, *subject, *issuer, *serial_hex, *not_before, *not_after;  /* DB UTC */
	const char *chain_pem;          /* the certificate and its intermediates, PEM; NULL: none */
};

/* Registers a certificate (or reactivates the same one). 0 (*created 1 new, 0 it was
 * already there), 2 it is active for another officer, <0 error. */
int trust_officer_cert_add(struct db *db, const struct trust_officer_cert_new *c, long long *id,
                           int *created);

struct trust_officer_cert_row {
	long long id, officer_id;
	const unsigned char *der;
	size_t len;
	const char *sha256, *subject, *issuer, *serial_hex, *not_before, *not_after, *added_at;
	int active;
	const char *username, *full_name, *unit_code, *unit_name;   /* the officer's */
	const char *chain_pem;          /* NULL: none */
	size_t chain_len;
};

/* An officer's certificates, newest first. 0, or what fn returned, or <0. */
int trust_officer_cert_list(struct db *db, long long officer_id, int active_only,
                            int (*fn)(const struct trust_officer_cert_row *c, void *arg), void *arg);
/* The active certificates of the officers of a unit subtree ("" all). */
int trust_officer_cert_in_scope(struct db *db, const char *unit_path,
                                int (*fn)(const struct trust_officer_cert_row *c, void *arg), void *arg);
/* The active certificate with this SHA-256: 0 after fn, 1 none, <0 error. */
int trust_officer_cert_by_sha256(struct db *db, const char *sha256_hex,
                                 int (*fn)(const struct trust_officer_cert_row *c, void *arg), void *arg);
/* One certificate of an officer: 0 after fn, 1 none, <0 error. */
int trust_officer_cert_get(struct db *db, long long officer_id, long long id,
                           int (*fn)(const struct trust_officer_cert_row *c, void *arg), void *arg);
/* 0 done, 1 no such active certificate of that officer, <0 error. */
int trust_officer_cert_deactivate(struct db *db, long long officer_id, long long id);
/* An officer by username: id and unit path. 0 found, 1 none, <0 error. */
int trust_officer_lookup(struct db *db, const char *username, long long *id, char *unit_path,
                         size_t pathsz);

/* ---- CRL sources (sql/014_crl_sources.sql) */

/*
 * Stores a fetched CRL in place of the stored CRLs with the same issuer_hash, in one
 * transaction, unless the newest stored one is newer or the same (then *changed 0 and
 * *id is that one). Bumps trust_generation on a change. 0, or <0 error.
 */
int trust_crl_replace(struct db *db, long long ca_id, const unsigned char *der, size_t len,
                      const char *this_update, const char *next_update, const char *issuer_hash,
                      long long *id, int *changed);

struct trust_crl_source_row {
	long long id, ca_id, last_crl_id, last_revoked_count;     /* ca_id 0: none; count -1: none */
	const char *url, *added_at;
	const unsigned char *issuer_der;
	size_t issuer_len;
	int active;
	/* NULL until set: */
	const char *last_attempt_at, *last_success_at, *last_error, *last_issuer,
	           *last_this_update, *last_next_update;
};

int trust_crl_source_add(struct db *db, const char *url, long long ca_id, const unsigned char *issuer_der,
                         size_t issuer_len, long long added_by, long long *id);
int trust_crl_source_list(struct db *db, int active_only,
                          int (*fn)(const struct trust_crl_source_row *s, void *arg), void *arg);
/* Active sources not attempted for `minutes`. */
int trust_crl_source_due(struct db *db, int minutes,
                         int (*fn)(const struct trust_crl_source_row *s, void *arg), void *arg);
/* 0 after fn, 1 none, <0 error. */
int trust_crl_source_get(struct db *db, long long id,
                         int (*fn)(const struct trust_crl_source_row *s, void *arg), void *arg);
/* 0 done, 1 no such active source, <0 error. */
int trust_crl_source_deactivate(struct db *db, long long id);
/* Records an attempt: error NULL for a success (with what was fetched), else the error. */
int trust_crl_source_result(struct db *db, long long id, const char *error, long long crl_id,
                            const char *issuer, const char *this_update, const char *next_update,
                            long long revoked_count);

#endif
