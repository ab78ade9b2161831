/*
 * Telling the applicant: one call that turns an event into outbox messages (an e-mail to
 * the applicant's address, an SMS when a phone number is known), inside the caller's
 * transaction, so the messages exist if and only if the change commits.
 *
 *   workflow (api/dossiers.c):   after history_append, before db_commit;
 *   submission, feedback, accounts: the same, with the kinds of domain/notify.h.
 *
 * The dedup key is "{event key}:{kind}:{channel}", the event key being by default
 * "{dossier code}:{seq of the dossier's latest history event}" — so the hook must run
 * after the event is appended — and the same event never yields two messages.
 */
#ifndef MOTCUA_STORE_NOTIFY_H
#define MOTCUA_STORE_NOTIFY_H

#include <stddef.h>

#include "domain/notify.h"
#include "domain/timeutil.h"

struct db;

struct notify_extra {
	const char *public_url;        /* MOTCUA_PUBLIC_URL (r->cfg->public_url); NULL: env/default */
	const char *reason;            /* not_accepted, refused, late_new_date */
	const char *const *items;      /* supplement_requested */
	size_t nitems;
	const char *note;
	int has_amount;                /* payment_requested: amount_vnd is known */
	long long amount_vnd;
	mc_time date;                  /* 0: the dossier's promised (late) or due date */
	const char *link;              /* verify_email, feedback_answered */
	const char *text;              /* feedback_answered: the answer */
	const char *event_key;         /* NULL: "{dossier code}:{latest event seq}" */
};

/*
 * Enqueues the messages of `kind` about dossier `dossier_id` to its applicant. An applicant
 * with neither a usable e-mail nor a phone gets nothing (not an error). Returns the number
 * of messages added (0 when none, or all existed already), or a DB_ERR* code.
 */
int notify_dossier_event(struct db *db, long long dossier_id, enum notify_kind kind,
                         const struct notify_extra *extra);

/*
 * The same for a message not about a dossier (verify_email, or feedback_answered with
 * the feedback's code as `code`): to `email` and/or `phone` (NULL or "" for none), with
 * extra->event_key required (e.g. "verify:{account id}:{token id}").
 */
int notify_recipient(struct db *db, const char *email, const char *phone, const char *name,
                     const char *code, enum notify_kind kind, const struct notify_extra *extra);

#endif
