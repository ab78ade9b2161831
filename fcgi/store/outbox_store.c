#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "domain/mask.h"
#include "domain/notify.h"
#include "outbox_store.h"

int outbox_enqueue(struct db *db, long long dossier_id, const char *kind, const char *channel,
                   const char *recipient, const char *subject, const char *body,
                   const char *dedup_key)
{
	/* a duplicate key updates nothing: 0 rows affected tells the caller it existed */
	static const char sql[] =
		"INSERT INTO outbox (dossier_id, kind, channel, recipient, subject, body, dedup_key, "
		"created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP()) "
		"ON DUPLICATE KEY UPDATE id = id";
	struct db_param p[] = {
		dossier_id > 0 ? DB_INT(dossier_id) : DB_NULLP, DB_STR(kind), DB_STR(channel),
		DB_STR(recipient), DB_STR(subject ? subject : ""), DB_STR(body), DB_STR(dedup_key),
	};
	unsigned long long affected = 0;
	int rc;

	if ((rc = db_exec(db, sql, p, 7, &affected, NULL)) != 0)
		return rc;
	return affected == 0 ? 1 : 0;
}

void outbox_msg_free(struct outbox_msg *m)
{
	free(m->subject);
	free(m->body);
	m->subject = m->body = NULL;
}

struct claimed { struct outbox_msg *out; size_t cap, *n; int oom; };

static int claimed_row(const struct db_row *r, void *arg)
{
	struct claimed *c = arg;
	struct outbox_msg *m;

	if (*c->n >= c->cap)
		return 0;
	m = &c->out[*c->n];
	memset(m, 0, sizeof *m);
	m->id = db_row_int(r, 0, 0);
	m->dossier_id = db_row_int(r, 1, 0);
	snprintf(m->kind, sizeof m->kind, "%s", r->val[2] ? r->val[2] : "");
	snprintf(m->channel, sizeof m->channel, "%s", r->val[3] ? r->val[3] : "");
	snprintf(m->recipient, sizeof m->recipient, "%s", r->val[4] ? r->val[4] : "");
	m->subject = strdup(r->val[5] ? r->val[5] : "");
	m->body = strdup(r->val[6] ? r->val[6] : "");
	snprintf(m->dedup_key, sizeof m->dedup_key, "%s", r->val[7] ? r->val[7] : "");
	m->attempts = (int)db_row_int(r, 8, 1);
	m->created_at = time_from_db(r->val[9]);
	if (!m->subject || !m->body) {
		outbox_msg_free(m);
		c->oom = 1;
		return 0;
	}
	(*c->n)++;
	return 0;
}

int outbox_claim(struct db *db, const char *token, mc_time now, struct outbox_msg *out,
                 size_t cap, size_t *n)
{
	static const char claim_sql[] =
		"UPDATE outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1 "
		"WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? "
		"AND (claimed_until IS NULL OR claimed_until < ?) "
		"ORDER BY next_attempt_at, id LIMIT ?";
	static const char read_sql[] =
		"SELECT id, dossier_id, kind, channel, recipient, subject, body, dedup_key, attempts, "
		"created_at FROM outbox WHERE claimed_by = ? AND sent_at IS NULL ORDER BY id";
	char nowt[24], until[24];
	unsigned long long affected = 0;
	struct claimed c = { out, cap, n, 0 };
	int rc;

	*n = 0;
	time_format_db(now, nowt, sizeof nowt);
	time_format_db(now + OUTBOX_LEASE_SECONDS, until, sizeof until);
	{
		struct db_param p[] = { DB_STR(token), DB_STR(until), DB_STR(nowt), DB_STR(nowt),
		                        DB_INT((long long)cap) };
		if ((rc = db_exec(db, claim_sql, p, 5, &affected, NULL)) != 0)
			return rc;
	}
	if (affected == 0)
		return 0;
	{
		struct db_param p[] = { DB_STR(token) };
		if ((rc = db_query(db, read_sql, p, 1, claimed_row, &c)) != 0)
			return rc;
	}
	return 0;
}

int outbox_mark_sent(struct db *db, long long id, const char *token, mc_time now)
{
	static const char sql[] =
		"UPDATE outbox SET sent_at = ?, claimed_by = NULL, claimed_until = NULL, last_error = '' "
		"WHERE id = ? AND claimed_by = ?";
	char at[24];
	unsigned long long affected = 0;
	int rc;

	time_format_db(now, at, sizeof at);
	{
		struct db_param p[] = { DB_STR(at), DB_INT(id), DB_STR(token) };
		if ((rc = db_exec(db, sql, p, 3, &affected, NULL)) != 0)
			return rc;
	}
	return affected ? 0 : 1;
}

int outbox_mark_failed(struct db *db, long long id, const char *token, mc_time now,
                       int attempts, int permanent, const char *error)
{
	static const char retry_sql[] =
		"UPDATE outbox SET next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL, "
		"last_error = LEFT(?, 500) WHERE id = ? AND claimed_by = ?";
	static const char give_up_sql[] =
		"UPDATE outbox SET failed_at = ?, claimed_by = NULL, claimed_until = NULL, "
		"last_error = LEFT(?, 500) WHERE id = ? AND claimed_by = ?";
	long delay = permanent ? -1 : notify_retry_delay(attempts);
	char at[24];
	unsigned long long affected = 0;
	int rc;

	time_format_db(delay < 0 ? now : now + delay, at, sizeof at);
	{
		struct db_param p[] = { DB_STR(at), DB_STR(error ? error : ""), DB_INT(id), DB_STR(token) };
		if ((rc = db_exec(db, delay < 0 ? give_up_sql : retry_sql, p, 4, &affected, NULL)) != 0)
			return rc;
	}
	return affected ? 0 : 1;
}

static int count_row(const struct db_row *r, void *arg)
{
	*(long long *)arg = db_row_int(r, 0, 0);
	return 0;
}

struct lister { int (*fn)(const struct outbox_row *, void *); void *arg; };

static int list_row(const struct db_row *r, void *arg)
{
	struct lister *l = arg;
	struct outbox_row o = {
		.id = db_row_int(r, 0, 0), .dossier_code = r->val[1], .kind = r->val[2],
		.channel = r->val[3], .recipient = r->val[4], .subject = r->val[5],
		.attempts = (int)db_row_int(r, 6, 0), .created_at = r->val[7],
		.next_attempt_at = r->val[8], .sent_at = r->val[9], .failed_at = r->val[10],
		.last_error = r->val[11], .purged = db_row_int(r, 12, 0) == 1,
	};
	return l->fn(&o, l->arg);
}

#define LIST_COLS \
	"SELECT o.id, d.code, o.kind, o.channel, o.recipient, o.subject, o.attempts, o.created_at, " \
	"o.next_attempt_at, o.sent_at, o.failed_at, o.last_error, " \
	"o.sent_at IS NOT NULL AND o.body = '' FROM outbox o " \
	"LEFT JOIN dossiers d ON d.id = o.dossier_id "

int outbox_list(struct db *db, const char *status, long long limit, long long offset,
                int (*fn)(const struct outbox_row *r, void *arg), void *arg, long long *total)
{
	/* one statement per status: the WHERE clause is SQL text, never input */
	static const char pending_sql[] = LIST_COLS
		"WHERE o.sent_at IS NULL AND o.failed_at IS NULL ORDER BY o.next_attempt_at, o.id LIMIT ? OFFSET ?";
	static const char failed_sql[] = LIST_COLS
		"WHERE o.failed_at IS NOT NULL AND o.sent_at IS NULL ORDER BY o.failed_at DESC, o.id DESC LIMIT ? OFFSET ?";
	static const char sent_sql[] = LIST_COLS
		"WHERE o.sent_at IS NOT NULL ORDER BY o.sent_at DESC, o.id DESC LIMIT ? OFFSET ?";
	static const char pending_n[] = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL";
	static const char failed_n[] = "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL AND sent_at IS NULL";
	static const char sent_n[] = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL";
	const char *sql = pending_sql, *count_sql = pending_n;
	struct lister l = { fn, arg };
	struct db_param p[] = { DB_INT(limit), DB_INT(offset) };
	int rc;

	if (strcmp(status, "failed") == 0) {
		sql = failed_sql;
		count_sql = failed_n;
	} else if (strcmp(status, "sent") == 0) {
		sql = sent_sql;
		count_sql = sent_n;
	}
	*total = 0;
	if ((rc = db_query(db, count_sql, NULL, 0, count_row, total)) != 0)
		return rc;
	return db_query(db, sql, p, 2, list_row, &l);
}

struct state_pick { int found, sent; };

static int state_row(const struct db_row *r, void *arg)
{
	struct state_pick *s = arg;

	s->found = 1;
	s->sent = r->val[0] != NULL;
	return 0;
}

int outbox_retry(struct db *db, long long id, mc_time now)
{
	static const char find_sql[] = "SELECT sent_at FROM outbox WHERE id = ?";
	/* a live lease is left alone: the worker holding it marks the outcome */
	static const char sql[] =
		"UPDATE outbox SET failed_at = NULL, attempts = 0, next_attempt_at = ? "
		"WHERE id = ? AND sent_at IS NULL";
	struct state_pick s = { 0, 0 };
	struct db_param fp[] = { DB_INT(id) };
	char at[24];
	int rc;

	if ((rc = db_query(db, find_sql, fp, 1, state_row, &s)) != 0)
		return rc;
	if (!s.found)
		return 1;
	if (s.sent)
		return 2;
	time_format_db(now, at, sizeof at);
	{
		struct db_param p[] = { DB_STR(at), DB_INT(id) };
		return db_exec(db, sql, p, 2, NULL, NULL);
	}
}

/* ---- the purge ---- */

struct purge_pick {
	long long id[OUTBOX_PURGE_BATCH];
	char recipient[OUTBOX_PURGE_BATCH][256];
	size_t n;
};

static int purge_row(const struct db_row *r, void *arg)
{
	struct purge_pick *p = arg;
	const char *to = r->val[2] ? r->val[2] : "";
	size_t len = r->val[2] ? r->len[2] : 0;

	if (p->n == OUTBOX_PURGE_BATCH)
		return 0;
	p->id[p->n] = db_row_int(r, 0, 0);
	if (r->val[1] && strcmp(r->val[1], "sms") == 0)
		mask_phone(to, len, p->recipient[p->n], sizeof p->recipient[p->n]);
	else
		mask_email(to, len, p->recipient[p->n], sizeof p->recipient[p->n]);
	p->n++;
	return 0;
}

int outbox_purge(struct db *db, mc_time sent_before, const volatile sig_atomic_t *stop,
                 unsigned long *purged)
{
	/* read first, then update: the recipient is masked by domain/mask.c, not by SQL */
	static const char pick_sql[] =
		"SELECT id, channel, recipient FROM outbox WHERE id > ? AND sent_at IS NOT NULL "
		"AND sent_at < ? AND body <> '' ORDER BY id LIMIT ?";
	static const char purge_sql[] =
		"UPDATE outbox SET body = '', subject = '', recipient = ? "
		"WHERE id = ? AND sent_at IS NOT NULL AND body <> ''";
	struct purge_pick *p;
	char before[24];
	long long after = 0;
	unsigned long batch;
	int rc = 0;

	*purged = 0;
	if ((p = malloc(sizeof *p)) == NULL)
		return DB_ERR;
	time_format_db(sent_before, before, sizeof before);
	do {
		p->n = 0;
		{
			struct db_param q[] = { DB_INT(after), DB_STR(before), DB_INT(OUTBOX_PURGE_BATCH) };
			if ((rc = db_query(db, pick_sql, q, 3, purge_row, p)) != 0)
				break;
		}
		if (p->n == 0)
			break;
		if ((rc = db_begin(db)) != 0)
			break;
		batch = 0;
		for (size_t i = 0; i < p->n && rc == 0; i++) {
			struct db_param q[] = { DB_STR(p->recipient[i]), DB_INT(p->id[i]) };
			unsigned long long affected = 0;
			if ((rc = db_exec(db, purge_sql, q, 2, &affected, NULL)) == 0)
				batch += (unsigned long)affected;
		}
		if (rc != 0 || (rc = db_commit(db)) != 0) {
			db_rollback(db);
			break;
		}
		*purged += batch;
		after = p->id[p->n - 1];
	} while (p->n == OUTBOX_PURGE_BATCH && !(stop && *stop));
	free(p);
	return rc;
}
