/*
 * Warnings (domain/warnings.h) as the database holds them, and the daily digest
 * (sql/013_warnings.sql).
 *
 * Every query starts from an index on the kind's own condition (sql/013_warnings.sql), never
 * from the dossiers of a scope: due and overdue from (state, due_at, …), stuck from
 * (state, updated_at, …), results not handed over from (state, finished_at, …), supplements
 * from the dossiers awaiting one, feedback from the scope's units and k_feedback_unit_due.
 * The indexes carry the holding and receiving units, so the scope filter reads no row.
 * "The latest event" of a dossier is its row's updated_at: every event of the history is
 * written in the transaction that saves the row (the workflow, the calendar's recompute),
 * and nothing else changes the row after reception. Lists are bounded by the caller's limit.
 */
#ifndef MOTCUA_STORE_WARNINGS_H
#define MOTCUA_STORE_WARNINGS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/warnings.h"

struct db;
struct config;

struct warning_scope {
	const char *path;               /* the unit subtree, '/1/4/' */
	struct warning_audience audience;
};

/* One listed warning; strings lent during the callback; times are UTC DB text or NULL. */
struct warning_item {
	enum warning_kind kind;
	const char *code;               /* dossier or feedback code; NULL for an account */
	const char *title;              /* procedure name, the feedback's opening, the officer */
	const char *unit_code, *unit_name;
	const char *since, *due_at;
};

/* The thresholds of MOTCUA_WARN_*. */
void warnings_thresholds_of(const struct config *cfg, struct warning_thresholds *th);

/* counts[k] for every kind (0 for unused accounts outside an admin's audience). */
int warnings_count(struct db *db, const struct warning_scope *s, const struct warning_cutoffs *c,
                   int unused_days, long long counts[WARN__MAX]);

/* Rows of one kind, the oldest or nearest first, limit/offset. 0 or a DB_ERR* code. */
int warnings_list(struct db *db, enum warning_kind k, const struct warning_scope *s,
                  const struct warning_cutoffs *c, int unused_days, long long limit, long long offset,
                  int (*fn)(const struct warning_item *it, void *arg), void *arg);

struct warning_digest_run {
	int64_t day;                    /* local day number */
	int officers;                   /* active officers with an e-mail, not opted out, not done */
	int sent;                       /* e-mails written to the outbox */
	int nothing;                    /* nothing to warn about: recorded, no e-mail */
	int already;                    /* another run recorded the day first */
	int failed;                     /* bad address or database error: left for another run */
};

/*
 * Today's digest for every officer that has not had it: for each, one transaction with the
 * "decided for day D" row and, when there is something to say, the outbox e-mail (dedup key
 * "warnings_digest:{officer id}:{YYYY-MM-DD}"). Running it again the same day sends nothing.
 * 0, or a DB_ERR* code when the officers or the calendar cannot be read.
 */
int warnings_digest_run(struct db *db, const struct config *cfg, mc_time now,
                        struct warning_digest_run *out);

/*
 * motcua-worker's daily call: runs the digest once per local day, at or after
 * MOTCUA_DIGEST_HOUR, on working days only; *done_day (start at -1) remembers the day done.
 * Logs what it did.
 */
void warnings_digest_daily(struct db *db, const struct config *cfg, mc_time now, int64_t *done_day);

/* The officer's digest subscription: 0 with *subscribed, or a DB_ERR* code. */
int warnings_digest_subscribed(struct db *db, long long officer_id, int *subscribed);
int warnings_digest_subscribe(struct db *db, long long officer_id, int subscribed, mc_time now);

#endif
