/*
 * What online submission writes beside the dossier row: its owner, the files of its
 * documents, the idempotency key of the request; and the reads the file endpoints and
 * the file store's sweep need. Writers run inside the caller's transaction.
 */
#ifndef MOTCUA_STORE_SUBMISSION_H
#define MOTCUA_STORE_SUBMISSION_H

#include <stddef.h>
#include <stdint.h>

#include "domain/timeutil.h"

struct db;

/* A unit by code that may receive the procedure: its level is one of the procedure's
 * implementing levels (a department counts as the province level). 0 found, 1 none. */
int unit_offering(struct db *db, const char *unit_code, long long procedure_id,
                  long long *unit_id, char code[33]);

/* The portal account behind an online dossier (NULL stays for guests). */
int dossier_set_citizen(struct db *db, long long dossier_id, long long citizen_id);

/* One stored content: recorded once, whoever refers to it. type: "pdf" | "jpeg" | "png". */
int file_record(struct db *db, const unsigned char sha256[32], uint64_t size, const char *type);

/* A dossier document with its file (digitized, not paper only). */
struct document_file {
	long long dossier_id;
	int seq;
	const char *name;               /* the procedure's document name */
	int originals, copies;
	const unsigned char *sha256;    /* 32 */
	const char *file_name, *file_type;
	uint64_t file_size;
	mc_time uploaded_at;
	const char *uploaded_by;        /* "applicant" or an officer's username */
};
int dossier_document_insert_file(struct db *db, const struct document_file *f);

/* A document's file, to serve it. 0 found (hex, name, type filled), 1 no such document
 * or it has no file. */
struct stored_document_file {
	char hex[65];
	char name[256];
	char type[8];
	uint64_t size;
};
int dossier_document_file(struct db *db, long long dossier_id, int seq,
                          struct stored_document_file *out);

/*
 * Idempotency keys, kept a day (idem_claim deletes older ones: the stored answer holds
 * the receipt secret). idem_claim inserts the key in the caller's transaction: 0 claimed
 * (the row lock holds a concurrent retry until this transaction ends), 1 taken: then
 * *same is 1 if the stored request hash equals request_hash, and response (respsz) holds
 * the first answer ("" if none).
 */
int idem_claim(struct db *db, const char *key, const char *scope,
               const unsigned char request_hash[32]);
int idem_read(struct db *db, const char *key, const char *scope,
              const unsigned char request_hash[32], int *same, char *response, size_t respsz);
int idem_complete(struct db *db, const char *key, const char *scope, long long dossier_id,
                  const char *response);

/* Desk digitization: attaches a file to an existing document (no longer paper only), or
 * marks it paper only or not. 0 done, 1 no such document. */
int dossier_document_set_file(struct db *db, long long dossier_id, int seq,
                              const unsigned char sha256[32], const char *file_name,
                              const char *file_type, uint64_t file_size, mc_time at,
                              const char *by, char *doc_name, size_t namesz);
int dossier_document_set_paper_only(struct db *db, long long dossier_id, int seq, int paper_only,
                                    char *doc_name, size_t namesz);

/* A document the applicant adds with a supplement, after the dossier's last one; *seq
 * gets its number. */
int dossier_document_add_extra(struct db *db, long long dossier_id, const char *name,
                               const unsigned char sha256[32], const char *file_name,
                               const char *file_type, uint64_t file_size, mc_time at,
                               const char *by, int *seq);

/* Drafts of a submission: the form's text fields as a JSON object, and files staged by
 * document seq. The owner is a citizen (citizen_id) or a guest holding the draft's token
 * (guest_hash: its SHA-256). */
int draft_insert(struct db *db, const char *id, long long citizen_id, const unsigned char *guest_hash,
                 long long procedure_id, const char *case_name, const char *form_json);
int draft_file_insert(struct db *db, const char *draft_id, int seq, const unsigned char sha256[32],
                      const char *file_name);
struct draft_row {
	long long citizen_id;           /* 0: a guest's */
	unsigned char guest_hash[32];
	int has_guest_hash;
	char *form_json;                /* owned: free() */
	char created_at[24], updated_at[24];
};
/* 0 found (free out->form_json), 1 none. */
int draft_load(struct db *db, const char *id, struct draft_row *out);
struct draft_file_row {
	int seq;
	const char *hex, *file_name, *type;
	unsigned long long size;
};
int draft_files(struct db *db, const char *id,
                int (*fn)(const struct draft_file_row *f, void *arg), void *arg);
int draft_delete(struct db *db, const char *id);

/* 1 if a dossier document or a draft refers to the file, 0 if not, <0 error. */
int file_referenced(struct db *db, const char *hex);

#endif
