/*
 * Results of dossiers and their signatures (sql/011_results.sql): the result file's
 * revisions, the stored verification reports by SHA-256, the two-step signing sessions,
 * and who a signing certificate is registered to (officer_certificates).
 */
#ifndef MOTCUA_STORE_RESULT_STORE_H
#define MOTCUA_STORE_RESULT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/timeutil.h"

struct db;

/* 1 if the procedure's electronic results need the leader's signature (the default). */
int result_signature_required(struct db *db, long long procedure_id, int *required);
/* Sets it (the catalog importer's KYSOKETQUA). */
int result_signature_required_set(struct db *db, long long procedure_id, int required);

struct result_row {
	long long id, dossier_id, created_by;
	char sha256[65];                /* lowercase hex */
	char file_name[256];
	unsigned long long size;
	char stage[12];                 /* uploaded | signed | sealed */
	char created_at[20];            /* UTC, DB text */
	char created_by_name[256];
};

/* The dossier's current result (the latest revision). 0, 1 if it has none. */
int result_current(struct db *db, long long dossier_id, struct result_row *out);

/* A new revision; the file must be recorded (file_record) in the same transaction. */
int result_add(struct db *db, long long dossier_id, const unsigned char sha256[32],
               const char *file_name, uint64_t size, const char *stage, long long officer_id,
               mc_time at, long long *id);

/* The verification report of a file (replaces an older one of the same file). */
int report_put(struct db *db, const char *sha256_hex, long long dossier_id, const char *verdict,
               const char *report_json, mc_time at);

struct stored_report {
	char sha256[65];
	char dossier_code[49];          /* "" if none */
	char verdict[24];
	char verified_at[20];
	char *report;                   /* malloc'd JSON text: free it */
};

/* 0 with *out (free out->report), 1 if no report is stored for that file. */
int report_get(struct db *db, const char *sha256_hex, struct stored_report *out);

struct signing_session {
	char id[33];
	long long officer_id, dossier_id, result_id;
	uint8_t *prepared;              /* malloc'd */
	size_t prepared_len;
	int64_t byte_range[4];
	size_t contents_off, capacity;
	uint8_t digest[32];
	int64_t signing_time;
	uint8_t *attrs;                 /* malloc'd */
	size_t attrs_len;
	uint8_t *cert;                  /* malloc'd DER */
	size_t cert_len;
	char *chain;                    /* malloc'd PEM text, may be "" */
	mc_time expires_at;
};

/* Stores s as the officer's only session for the dossier (an older one is replaced). */
int signing_session_put(struct db *db, const struct signing_session *s);
/* The session id of officer for dossier: 0 with *s (free with signing_session_free),
 * 1 if there is none. */
int signing_session_get(struct db *db, const char *id, long long officer_id, long long dossier_id,
                        struct signing_session *s);
int signing_session_delete(struct db *db, const char *id);
/* Deletes every session that expired before now (motcua-worker, periodically: a prepared
 * PDF is up to 20 MB, so one abandoned is not kept until its officer's next prepare);
 * *deleted how many. 0 or a DB_ERR* code. */
int signing_sessions_purge(struct db *db, mc_time now, unsigned long long *deleted);
void signing_session_free(struct signing_session *s);

/* Who an active registered certificate (SHA-256 hex of its DER) belongs to: 0 with the
 * officer's id, username, full name and roles (SET text), 1 if none. */
struct cert_owner {
	long long officer_id;
	char username[65];
	char full_name[256];
	char roles[128];
};
int certificate_owner(struct db *db, const char *sha256_hex, struct cert_owner *out);

#endif
