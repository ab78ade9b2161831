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

#endif
