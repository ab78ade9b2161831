/* Reading one dossier for the public tracking page. */
#ifndef MOTCUA_STORE_TRACKING_H
#define MOTCUA_STORE_TRACKING_H

#include <stddef.h>

struct db;

struct tracked_dossier {
	long long id;
	const char *code, *state, *channel;
	const char *submitted_at, *received_at, *due_at, *promised_at, *finished_at, *returned_at; /* UTC text or NULL */
	const char *applicant_name, *applicant_phone, *applicant_email, *applicant_address;
	const unsigned char *pin_salt;      /* 16 bytes */
	const unsigned char *pin_hash;      /* 32 bytes */
	int result_ready;
	const char *procedure_code, *procedure_name, *unit_code, *unit_name;
};

struct tracked_event {
	const char *at, *action, *to_state, *unit_code, *unit_name;
};

/*
 * The dossier and its events in one round trip: one row per event with the dossier's
 * columns repeated (the tracking page is the busiest read; measured with mariadb-slap,
 * this join costs about 0.7 of the two queries it replaces, and a JSON_ARRAYAGG of the
 * events about 2.7 times as much). Calls fn once, then ev (may be NULL) for each event in
 * order; stops at the first non-zero. Returns 1 if no dossier has that code, 0, or <0.
 */
int tracking_dossier(struct db *db, const char *code,
                     int (*fn)(const struct tracked_dossier *d, void *arg),
                     int (*ev)(const struct tracked_event *e, void *arg), void *arg);

/* What the applicant (with the secret) is asked for now: the open supplement request's
 * items (a JSON array text, NULL if none) and note; and whether the dossier is rated. */
struct tracked_requests {
	const char *supplement_items, *supplement_note, *supplement_at;
	int rated;
};
int tracking_requests(struct db *db, long long dossier_id,
                      int (*fn)(const struct tracked_requests *q, void *arg), void *arg);

#endif
