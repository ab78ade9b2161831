/*
 * What the printed forms read beyond the dossier's row (api/forms.c): the latest
 * supplement request, the latest approved apology letter, the event that refused the
 * dossier, and the dossier register of a unit (Sổ theo dõi hồ sơ). Strings handed to
 * callbacks live during the callback only. All return 0 (after calling fn), 1 when there
 * is nothing to call fn with, or a DB_ERR* code.
 */
#ifndef MOTCUA_STORE_FORMS_H
#define MOTCUA_STORE_FORMS_H

#include <stddef.h>

#include "domain/timeutil.h"

struct db;

/* A supplement request (sql/003_officers.sql): items is the JSON array of strings the
 * officer sent, requested_by the officer's full name. */
struct supplement_form_row {
	const char *items, *note, *requested_by, *requested_at, *fulfilled_at;
};
/* The dossier's latest supplement request, fulfilled or not. */
int supplement_request_latest(struct db *db, long long dossier_id,
                              int (*fn)(const struct supplement_form_row *s, void *arg), void *arg);

/* An approved apology letter; approved_by is the leader's full name. */
struct apology_form_row {
	const char *proposed_date, *reason, *approved_by, *approved_at;
};
/* The dossier's latest approved apology letter (a draft awaiting approval is not one). */
int apology_approved_latest(struct db *db, long long dossier_id,
                            int (*fn)(const struct apology_form_row *a, void *arg), void *arg);

/* The history event that refused (or did not accept) the dossier: its note holds the
 * written reason; actor is the officer's full name (NULL for the system). */
struct refusal_form_row {
	const char *action, *note, *actor, *at;
};
int refusal_event(struct db *db, long long dossier_id,
                  int (*fn)(const struct refusal_form_row *e, void *arg), void *arg);

/* A unit by code: id, formal name, subtree path; 0 found, 1 none (or inactive). */
int forms_unit_by_code(struct db *db, const char *code, long long *id, char *name, size_t namesz,
                       char *path, size_t pathsz);

/* One row of the register: a dossier the unit received; times are UTC DB text or NULL. */
struct register_row {
	const char *code, *procedure_name, *applicant_name, *state,
	           *received_at, *due_at, *finished_at, *returned_at;
};
/* The dossiers received by the unit itself with from <= received_at < to (UTC), in the
 * order of reception, at most limit + 1 of them (so that the caller can tell "more"). */
int register_rows(struct db *db, long long unit_id, mc_time from, mc_time to, long long limit,
                  int (*fn)(const struct register_row *r, void *arg), void *arg);

#endif
