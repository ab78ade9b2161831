/*
 * Dossiers as the officers' workflow writes them: reception, the row locked for an
 * action, its update, pauses, supplement requests, apology letters, and the inbox.
 * Writers run inside one transaction (db_begin .. db_commit) with the history append.
 */
#ifndef MOTCUA_STORE_DOSSIER_H
#define MOTCUA_STORE_DOSSIER_H

#include <stddef.h>

#include "domain/calendar.h"
#include "domain/dossier_due.h"
#include "domain/timeutil.h"

struct db;

#define PROCESS_MAX_STEPS 16

struct process_step {
	char name[501];
	char role[16];
	char unit_level[16];
	int share_permille;
};

struct procedure_info {
	long long id, field_id;
	char code[33];
	char name[1001];
	int64_t amount;                 /* processing time in hundredths of time_unit */
	enum cal_time_unit unit;
	int restart_on_supplement;
	int nsteps;
	struct process_step steps[PROCESS_MAX_STEPS];
};

/* 0 found, 1 none (or unpublished), <0 error. */
int procedure_info_load(struct db *db, const char *code, struct procedure_info *pi);
int procedure_info_load_id(struct db *db, long long id, struct procedure_info *pi);

struct procedure_document {
	int seq;
	const char *case_name, *name;
	int originals, copies, required;
};
int procedure_documents(struct db *db, long long procedure_id,
                        int (*fn)(const struct procedure_document *d, void *arg), void *arg);

/* Next number of the day for a receiving unit; the counter row stays locked until the
 * transaction ends, so concurrent receptions get distinct, consecutive numbers. */
int dossier_next_seq(struct db *db, long long unit_id, int year, int month, int day,
                     unsigned long *seq);

struct dossier_new {
	const char *code;
	long long procedure_id, field_id, unit_id, received_by;
	const char *channel, *result_channel, *state, *case_name;
	const char *applicant_name, *applicant_kind, *applicant_id_number, *applicant_phone,
	           *applicant_email, *applicant_address;
	const unsigned char *pin_salt;  /* 16 */
	const unsigned char *pin_hash;  /* 32 */
	const char *waybill_in;
	mc_time submitted_at, received_at, due_at, step_due_at;   /* 0 = NULL */
	int current_step;               /* seq, 1-based; 0 = NULL */
};
int dossier_insert(struct db *db, const struct dossier_new *d, long long *id);
int dossier_insert_document(struct db *db, long long dossier_id, int seq, const char *name,
                            int originals, int copies, int paper_only);

/* A dossier's row, locked FOR UPDATE, as an action needs it. */
struct dossier_row {
	long long id, procedure_id, unit_id, current_unit_id, assignee_id;
	char code[49], state[24], channel[8], result_channel[8], paused_from[24];
	char unit_code[33], current_unit_code[33], current_unit_name[256];
	int current_step;               /* seq, 0 when none */
	unsigned version;
	mc_time received_at, due_at, step_due_at, step_started_at, promised_at, finished_at;
};

/* Locks the dossier if its receiving or current unit is inside scope_path. Returns 0,
 * 1 if there is no such dossier in scope (a 404: out of scope is not told apart). */
int dossier_lock(struct db *db, const char *code, const char *scope_path, struct dossier_row *d);
/* The same without locking, for reading. */
int dossier_find(struct db *db, const char *code, const char *scope_path, struct dossier_row *d);

/* Writes back the fields an action may change (all of them), version + 1. */
int dossier_save(struct db *db, const struct dossier_row *d, const char *waybill_out,
                 const char *refusal_reason, int result_ready);

int dossier_pause_open(struct db *db, long long dossier_id, const char *state, mc_time at);
int dossier_pause_close(struct db *db, long long dossier_id, mc_time at);
/* The recorded pauses in order (a running one has to = 0); *n how many (<= cap). */
int dossier_pauses(struct db *db, long long dossier_id, struct dossier_pause *out,
                   size_t cap, size_t *n);

int supplement_request_insert(struct db *db, long long dossier_id, const char *items_json,
                              const char *note, long long officer_id, mc_time at);
int supplement_request_fulfil(struct db *db, long long dossier_id, mc_time at);
int apology_insert(struct db *db, long long dossier_id, mc_time proposed, const char *reason,
                   long long drafted_by, long long approved_by, mc_time at);

/* An officer by username inside scope; 0 found (*id, *roles as SET text), 1 none. */
int officer_in_scope(struct db *db, const char *username, const char *scope_path,
                     long long *id, char *roles, size_t rolessz);
/* A unit by code: 0 found, 1 none. */
int unit_find(struct db *db, const char *code, long long *id, char *name, size_t namesz);

/* The inbox: open dossiers in scope, most urgent first. */
struct inbox_query {
	const char *scope_path;
	const char *state;              /* "" any open state */
	int step;                       /* 0 any */
	const char *procedure_code;     /* "" any */
	const char *channel;            /* "" any */
	const char *urgency;            /* "" | overdue | due_soon | within */
	mc_time now, soon;              /* due_soon: now < due_at <= soon (one working day) */
	long long limit, offset;
};
struct inbox_row {
	const char *code, *state, *channel, *procedure_code, *procedure_name, *applicant_name,
	           *received_at, *due_at, *step_due_at, *current_unit_code, *assignee;
	int current_step;
	const char *step_name, *step_role;
	unsigned version;
};
int dossier_inbox(struct db *db, const struct inbox_query *q,
                  int (*fn)(const struct inbox_row *r, void *arg), void *arg, long long *total);

#endif

/* Everything the officer's dossier page shows of the row itself. */
struct dossier_detail {
	long long id, procedure_id;
	const char *code, *state, *channel, *result_channel, *procedure_code, *procedure_name,
	           *unit_code, *unit_name, *current_unit_code, *current_unit_name,
	           *applicant_name, *applicant_kind, *applicant_id_number, *applicant_phone,
	           *applicant_email, *applicant_address, *received_at, *due_at, *promised_at,
	           *finished_at, *returned_at, *step_due_at, *assignee, *waybill_in, *waybill_out,
	           *refusal_reason, *submitted_at;
	int current_step, result_ready;
	unsigned version;
};
/* 0 after calling fn, 1 if not found in scope. */
int dossier_detail(struct db *db, const char *code, const char *scope_path,
                   int (*fn)(const struct dossier_detail *d, void *arg), void *arg);

struct dossier_document {
	int seq, originals, copies, paper_only, digitized;
	const char *name;
};
int dossier_documents(struct db *db, long long dossier_id,
                      int (*fn)(const struct dossier_document *d, void *arg), void *arg);

/* The PIN's salt and hash, to check a receipt request. 0 found, 1 none. */
int dossier_pin(struct db *db, long long dossier_id, unsigned char salt[16], unsigned char hash[32]);

/* Open dossiers (processing or paused) due before `soon` with no apology letter yet: the
 * ones the worker drafts a letter for. At most `limit` per call. */
struct apology_candidate {
	long long id, procedure_id;
	mc_time due_at;
};
int apology_candidates(struct db *db, mc_time soon, long long limit,
                       int (*fn)(const struct apology_candidate *c, void *arg), void *arg);

/* The latest apology letter of a dossier; 0 found, 1 none. Strings valid in the callback. */
struct apology_row {
	long long id;
	const char *proposed_date, *reason, *drafted_by, *drafted_at, *approved_by, *approved_at;
};
int apology_latest(struct db *db, long long dossier_id,
                   int (*fn)(const struct apology_row *a, void *arg), void *arg);
/* Approves the dossier's pending draft with the given date; 0 done, 1 no pending draft. */
int apology_approve_draft(struct db *db, long long dossier_id, mc_time date, long long leader_id,
                          mc_time at);
