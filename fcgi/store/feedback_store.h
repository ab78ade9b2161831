/*
 * Satisfaction ratings of returned dossiers and feedback (phản ánh, kiến nghị):
 * sql/008_feedback.sql. Strings handed to callbacks live during the callback only.
 */
#ifndef MOTCUA_STORE_FEEDBACK_H
#define MOTCUA_STORE_FEEDBACK_H

#include "domain/timeutil.h"

struct db;

/* ---- ratings */

/* The five criteria, in the order of the columns; values are the ENUM codes. */
enum rating_criterion { RC_OVERALL = 0, RC_EASE, RC_TIME, RC_ATTITUDE, RC_VISITS, RC__MAX };

/* 0 added, 1 the dossier has a rating already, <0 error. */
int rating_insert(struct db *db, long long dossier_id, long long unit_id,
                  const char *const values[RC__MAX], const char *comment, mc_time at);

/* Counts per criterion and value over ratings of units in scope_path, from <= rated_at < to
 * (0: open). fn gets (criterion, value code, count). */
int rating_counts(struct db *db, const char *scope_path, mc_time from, mc_time to,
                  int (*fn)(int criterion, const char *value, long long n, void *arg), void *arg);

/* ---- feedback */

/* The handling unit's id and name by code; 0 found, 1 none. */
int feedback_unit_by_code(struct db *db, const char *code, long long *id, char *name, size_t namesz);
/* The root of the unit tree (the province). */
int feedback_root_unit(struct db *db, long long *id);
/* A published procedure's id; 0 found, 1 none. */
int feedback_procedure_id(struct db *db, const char *code, long long *id);
/* A dossier's id and receiving unit by code (any case); 0 found, 1 none. */
int feedback_dossier(struct db *db, const char *code, long long *id, long long *unit_id);

/* Next number of the local day, the counter row locked until the transaction ends. */
int feedback_next_seq(struct db *db, int year, int month, int day, unsigned long *seq);

struct feedback_new {
	const char *code, *kind, *officer_name, *content, *sender_name, *sender_email, *sender_phone;
	long long procedure_id, dossier_id, unit_id;          /* 0 = none (procedure, dossier) */
	const unsigned char *secret_salt, *secret_hash;       /* 16, 32 */
	mc_time received_at, due_at;
};
int feedback_insert(struct db *db, const struct feedback_new *f);

struct feedback_row {
	long long id, unit_id;
	const char *code, *kind, *procedure_code, *procedure_name, *dossier_code, *officer_name,
	           *unit_code, *unit_name, *unit_path, *content, *sender_name, *sender_email,
	           *sender_phone, *received_at, *due_at, *answer, *answered_at, *answered_by;
	const unsigned char *secret_salt, *secret_hash;
	int answered_on_time;           /* -1 not answered */
	int published;
};

/* One feedback by code; FOR UPDATE with lock. 0 after fn, 1 none, <0 error. */
int feedback_get(struct db *db, const char *code, int lock,
                 int (*fn)(const struct feedback_row *f, void *arg), void *arg);

int feedback_answer(struct db *db, long long id, const char *answer, long long officer_id,
                    mc_time at, int on_time, int publish);

/* The inbox: feedback handled by units in scope_path; state "open", "answered" or "" (all);
 * open ones first, nearest due first; then answered, latest first. */
int feedback_inbox(struct db *db, const char *scope_path, const char *state, long long limit,
                   long long offset, int (*fn)(const struct feedback_row *f, void *arg), void *arg,
                   long long *total);
/* Published answered feedback, latest answer first. */
int feedback_public(struct db *db, long long limit, long long offset,
                    int (*fn)(const struct feedback_row *f, void *arg), void *arg, long long *total);

#endif
