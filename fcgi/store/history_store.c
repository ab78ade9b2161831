#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "core/db.h"
#include "domain/history.h"
#include "history_store.h"

struct last { unsigned seq; unsigned char hash[HISTORY_HASH_LEN]; };

static int last_cb(const struct db_row *r, void *arg)
{
	struct last *l = arg;

	l->seq = (unsigned)db_row_int(r, 0, 0);
	if (r->val[1] && r->len[1] == HISTORY_HASH_LEN)
		memcpy(l->hash, r->val[1], HISTORY_HASH_LEN);
	return 0;
}

int history_append(struct db *db, const struct history_append *e)
{
	static const char last_sql[] =
		"SELECT seq, hash FROM dossier_events WHERE dossier_id = ? ORDER BY seq DESC LIMIT 1";
	static const char insert_sql[] =
		"INSERT INTO dossier_events (dossier_id, seq, at, action, from_state, to_state, unit_id, "
		"step_seq, step_name, actor, note, due_at, prev_hash, hash) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct last l;
	struct db_param lp[] = { DB_INT(e->dossier_id) };
	struct history_event ev;
	unsigned char hash[HISTORY_HASH_LEN];
	char at[24], due[24];
	int rc;

	memset(&l, 0, sizeof l);
	if ((rc = db_query(db, last_sql, lp, 1, last_cb, &l)) != 0)
		return rc;
	ev = (struct history_event){
		.dossier_code = e->dossier_code, .seq = l.seq + 1, .at = e->at, .action = e->action,
		.from_state = e->from_state ? e->from_state : "", .to_state = e->to_state,
		.unit_code = e->unit_code, .step_seq = e->step_seq,
		.step_name = e->step_name ? e->step_name : "", .actor = e->actor ? e->actor : "",
		.note = e->note ? e->note : "", .due_at = e->due_at,
	};
	if (history_event_hash(l.hash, &ev, hash) != 0)
		return DB_ERR;
	time_format_db(e->at, at, sizeof at);
	if (e->due_at)
		time_format_db(e->due_at, due, sizeof due);
	{
		struct db_param p[] = {
			DB_INT(e->dossier_id), DB_INT(ev.seq), DB_STR(at), DB_STR(ev.action),
			DB_STR(ev.from_state), DB_STR(ev.to_state), DB_INT(e->unit_id),
			e->step_seq >= 0 ? DB_INT(e->step_seq) : DB_NULLP, DB_STR(ev.step_name),
			DB_STR(ev.actor), DB_STR(ev.note), e->due_at ? DB_STR(due) : DB_NULLP,
			DB_BLOB(l.hash, HISTORY_HASH_LEN), DB_BLOB(hash, HISTORY_HASH_LEN),
		};
		return db_exec(db, insert_sql, p, 14, NULL, NULL);
	}
}

struct reader {
	const char *code;
	unsigned char prev[HISTORY_HASH_LEN];
	unsigned expect_seq;
	int intact;
	int (*fn)(const struct history_row *, void *);
	void *arg;
};

static int read_cb(const struct db_row *r, void *arg)
{
	struct reader *rd = arg;
	struct history_row h = {
		.seq = (unsigned)db_row_int(r, 0, 0), .at = r->val[1], .action = r->val[2],
		.from_state = r->val[3], .to_state = r->val[4], .unit_code = r->val[5],
		.unit_name = r->val[6], .step_seq = (int)db_row_int(r, 7, -1), .step_name = r->val[8],
		.actor = r->val[9], .note = r->val[10], .due_at = r->val[11],
	};
	struct history_event ev = {
		.dossier_code = rd->code, .seq = h.seq, .at = time_from_db(h.at), .action = h.action,
		.from_state = h.from_state, .to_state = h.to_state, .unit_code = h.unit_code,
		.step_seq = h.step_seq, .step_name = h.step_name, .actor = h.actor, .note = h.note,
		.due_at = time_from_db(h.due_at),
	};
	unsigned char want[HISTORY_HASH_LEN];

	/* the stored prev_hash must be the previous row's hash, and the stored hash must be
	 * what the row's content gives: any edit, insertion, deletion or reordering fails */
	h.chain_ok = h.seq == rd->expect_seq && r->len[12] == HISTORY_HASH_LEN &&
	             r->len[13] == HISTORY_HASH_LEN &&
	             crypto_equal(r->val[12], rd->prev, HISTORY_HASH_LEN) &&
	             history_event_hash(rd->prev, &ev, want) == 0 &&
	             crypto_equal(want, r->val[13], HISTORY_HASH_LEN);
	if (!h.chain_ok)
		rd->intact = 0;
	if (r->len[13] == HISTORY_HASH_LEN)
		memcpy(rd->prev, r->val[13], HISTORY_HASH_LEN);
	rd->expect_seq = h.seq + 1;
	return rd->fn ? rd->fn(&h, rd->arg) : 0;
}

int history_read(struct db *db, long long dossier_id, const char *dossier_code,
                 int (*fn)(const struct history_row *r, void *arg), void *arg, int *intact)
{
	static const char sql[] =
		"SELECT e.seq, e.at, e.action, e.from_state, e.to_state, u.code, u.name, e.step_seq, "
		"e.step_name, e.actor, e.note, e.due_at, e.prev_hash, e.hash "
		"FROM dossier_events e JOIN units u ON u.id = e.unit_id "
		"WHERE e.dossier_id = ? ORDER BY e.seq";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct reader rd;
	int rc;

	memset(&rd, 0, sizeof rd);
	rd.code = dossier_code;
	rd.expect_seq = 1;
	rd.intact = 1;
	rd.fn = fn;
	rd.arg = arg;
	rc = db_query(db, sql, p, 1, read_cb, &rd);
	*intact = rd.intact;
	return rc;
}
