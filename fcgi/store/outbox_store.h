/*
 * The outbox (sql/006_outbox.sql): messages to applicants, written in the transaction of
 * the change they tell about, delivered later by motcua-worker.
 *
 * Delivery: outbox_claim takes due messages with a lease (claimed_by = a random token,
 * claimed_until = now + lease) in one short autocommitted UPDATE; InnoDB re-checks the
 * WHERE clause on rows another claim locked, so two workers never hold the same message.
 * The worker then sends each one outside any transaction and marks it sent (or failed)
 * at once, only if it still holds the lease.
 *
 * At most once more, never twice in the ordinary course: the only window for a second
 * sending is a crash (or a lost database) between the server accepting the message and
 * outbox_mark_sent committing — a single UPDATE by primary key. The lease then expires
 * and the message is sent once more. A lease (OUTBOX_LEASE_SECONDS) is far longer than
 * one SMTP conversation with its timeouts, so a slow send does not lose its lease.
 */
#ifndef MOTCUA_STORE_OUTBOX_H
#define MOTCUA_STORE_OUTBOX_H

#include <signal.h>
#include <stddef.h>

#include "domain/timeutil.h"

struct db;

#define OUTBOX_LEASE_SECONDS 600

/*
 * Adds a message; call it inside the caller's transaction. dossier_id 0: none. channel
 * "email" or "sms". Returns 0 when added, 1 when a message with that dedup_key exists
 * already (nothing added), or a DB_ERR* code.
 */
int outbox_enqueue(struct db *db, long long dossier_id, const char *kind, const char *channel,
                   const char *recipient, const char *subject, const char *body,
                   const char *dedup_key);

struct outbox_msg {
	long long id, dossier_id;
	char kind[33], channel[8], recipient[256], dedup_key[192];
	char *subject, *body;           /* owned; outbox_msg_free */
	int attempts;                   /* including this one */
	mc_time created_at;
};
void outbox_msg_free(struct outbox_msg *m);

/*
 * Claims up to `cap` due messages (not sent, not given up, next_attempt_at <= now, no
 * live lease), counting the attempt, and reads them into out[0..*n). `token` is the
 * lease's 32 hex digits. Returns 0 or a DB_ERR* code.
 */
int outbox_claim(struct db *db, const char *token, mc_time now, struct outbox_msg *out,
                 size_t cap, size_t *n);
/* Marks a claimed message sent (only if `token` still holds it). 0, 1 not held, <0. */
int outbox_mark_sent(struct db *db, long long id, const char *token, mc_time now);
/* Records a failed attempt: back-off by domain/notify.c's schedule, or given up after the
 * last attempt or when `permanent`. 0, 1 not held, <0. */
int outbox_mark_failed(struct db *db, long long id, const char *token, mc_time now,
                       int attempts, int permanent, const char *error);

/* Admins' view. status: "pending", "failed" or "sent". Strings valid in the callback. */
struct outbox_row {
	long long id;
	int attempts;
	const char *dossier_code, *kind, *channel, *recipient, *subject, *created_at,
	           *next_attempt_at, *sent_at, *failed_at, *last_error;
	int purged;                     /* sent, and its body, subject and recipient purged */
};
int outbox_list(struct db *db, const char *status, long long limit, long long offset,
                int (*fn)(const struct outbox_row *r, void *arg), void *arg, long long *total);
/* Makes a pending or failed message due now with a fresh count of attempts. 0 done, 1 no
 * such message, 2 already sent, <0 error. */
int outbox_retry(struct db *db, long long id, mc_time now);

/*
 * The purge: a sent message keeps what it said only MOTCUA_OUTBOX_KEEP_DAYS days. Bodies
 * carry personal data and, for a submission, the receipt's secret in plain text; subjects
 * may name the procedure (what a citizen applied for is personal too). A message sent
 * before `sent_before` loses its body and subject (both become '') and its recipient is
 * masked as on public pages (mask_email, mask_phone): what stays is that a message of
 * that kind went to that dossier's applicant on that channel at that time, which is what
 * an admin or an audit needs. Pending and failed messages are never touched (they have
 * yet to be sent). A purged row is one with sent_at set and an empty body: a real message
 * always has a body.
 *
 * Works in batches of OUTBOX_PURGE_BATCH rows, each batch one short transaction, walking
 * the primary key once, so a large backlog never holds many locks. *stop (may be NULL) is
 * read between batches. *purged gets the number of messages purged. Returns 0 or a
 * DB_ERR* code (the batches committed before stay purged).
 */
#define OUTBOX_PURGE_BATCH 100
int outbox_purge(struct db *db, mc_time sent_before, const volatile sig_atomic_t *stop,
                 unsigned long *purged);

#endif
