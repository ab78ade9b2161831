/*
 * Appending to a dossier's hash-chained history, and reading it back with the check.
 * Callers append inside the transaction that changes the dossier, after locking its row
 * (SELECT ... FOR UPDATE), so two writers never race for the same seq.
 */
#ifndef MOTCUA_STORE_HISTORY_H
#define MOTCUA_STORE_HISTORY_H

#include "domain/timeutil.h"

struct db;

struct history_append {
	long long dossier_id;
	const char *dossier_code;
	mc_time at;
	const char *action, *from_state, *to_state;
	long long unit_id;
	const char *unit_code;
	int step_seq;               /* -1: none */
	const char *step_name, *actor, *note;
	mc_time due_at;             /* 0: none */
};

int history_append(struct db *db, const struct history_append *e);

struct history_row {
	unsigned seq;
	const char *at, *action, *from_state, *to_state, *unit_code, *unit_name, *step_name,
	           *actor, *note, *due_at;      /* times: UTC text or NULL */
	int step_seq;
	int chain_ok;               /* this row's hash is right and follows the previous one */
};

/* Rows in order; returns 0 and *intact (1 when every link holds), or <0. */
int history_read(struct db *db, long long dossier_id, const char *dossier_code,
                 int (*fn)(const struct history_row *r, void *arg), void *arg, int *intact);

#endif
