#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "dossier_store.h"

static void copy(char *dst, size_t sz, const char *src)
{
	snprintf(dst, sz, "%s", src ? src : "");
}

/* A DB datetime parameter for t, or NULL when t is 0. buf must outlive the call. */
static struct db_param time_param(mc_time t, char buf[24])
{
	if (t == 0)
		return DB_NULLP;
	time_format_db(t, buf, 24);
	return DB_STR(buf);
}

static int count_cb(const struct db_row *r, void *arg)
{
	*(long long *)arg = db_row_int(r, 0, 0);
	return 0;
}

static int procedure_cb(const struct db_row *r, void *arg)
{
	struct procedure_info *pi = arg;
	int u;

	pi->id = db_row_int(r, 0, 0);
	pi->field_id = db_row_int(r, 1, 0);
	copy(pi->code, sizeof pi->code, r->val[2]);
	copy(pi->name, sizeof pi->name, r->val[3]);
	/* DECIMAL(8,2) text: hundredths without floating point */
	{
		const char *s = r->val[4] ? r->val[4] : "0";
		long long whole = atoll(s), frac = 0;
		const char *dot = strchr(s, '.');
		if (dot) {
			frac = (dot[1] >= '0' && dot[1] <= '9' ? (dot[1] - '0') * 10 : 0) +
			       (dot[1] && dot[2] >= '0' && dot[2] <= '9' ? dot[2] - '0' : 0);
		}
		pi->amount = whole * 100 + frac;
	}
	u = cal_time_unit_from_code(r->val[5] ? r->val[5] : "", r->len[5]);
	pi->unit = u >= 0 ? (enum cal_time_unit)u : CAL_WORKING_DAYS;
	pi->restart_on_supplement = (int)db_row_int(r, 6, 0);
	return 0;
}

static int step_cb(const struct db_row *r, void *arg)
{
	struct procedure_info *pi = arg;
	struct process_step *s;

	if (pi->nsteps == PROCESS_MAX_STEPS)
		return 0;
	s = &pi->steps[pi->nsteps++];
	copy(s->name, sizeof s->name, r->val[0]);
	copy(s->role, sizeof s->role, r->val[1]);
	copy(s->unit_level, sizeof s->unit_level, r->val[2]);
	s->share_permille = (int)db_row_int(r, 3, 0);
	return 0;
}

static int load_steps(struct db *db, struct procedure_info *pi)
{
	static const char sql[] =
		"SELECT name, role, unit_level, share_permille FROM procedure_process_steps "
		"WHERE procedure_id = ? ORDER BY seq";
	struct db_param p[] = { DB_INT(pi->id) };

	pi->nsteps = 0;
	return db_query(db, sql, p, 1, step_cb, pi);
}

#define PROCEDURE_INFO_COLUMNS \
	"SELECT id, field_id, code, name, processing_time, time_unit, restart_on_supplement FROM procedures "

int procedure_info_load(struct db *db, const char *code, struct procedure_info *pi)
{
	static const char sql[] = PROCEDURE_INFO_COLUMNS "WHERE code = ? AND published = 1";
	struct db_param p[] = { DB_STR(code) };
	int rc;

	memset(pi, 0, sizeof *pi);
	if ((rc = db_query(db, sql, p, 1, procedure_cb, pi)) != 0)
		return rc;
	if (pi->id == 0)
		return 1;
	return load_steps(db, pi);
}

int procedure_info_load_id(struct db *db, long long id, struct procedure_info *pi)
{
	static const char sql[] = PROCEDURE_INFO_COLUMNS "WHERE id = ?";
	struct db_param p[] = { DB_INT(id) };
	int rc;

	memset(pi, 0, sizeof *pi);
	if ((rc = db_query(db, sql, p, 1, procedure_cb, pi)) != 0)
		return rc;
	if (pi->id == 0)
		return 1;
	return load_steps(db, pi);
}

struct doc_cb { int (*fn)(const struct procedure_document *, void *); void *arg; };

static int document_cb(const struct db_row *r, void *arg)
{
	struct doc_cb *c = arg;
	struct procedure_document d = {
		(int)db_row_int(r, 0, 0), r->val[1], r->val[2], (int)db_row_int(r, 3, 0),
		(int)db_row_int(r, 4, 0), (int)db_row_int(r, 5, 0),
	};
	return c->fn(&d, c->arg);
}

int procedure_documents(struct db *db, long long procedure_id,
                        int (*fn)(const struct procedure_document *d, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT seq, case_name, name, originals, copies, required FROM procedure_documents "
		"WHERE procedure_id = ? ORDER BY seq";
	struct db_param p[] = { DB_INT(procedure_id) };
	struct doc_cb c = { fn, arg };

	return db_query(db, sql, p, 1, document_cb, &c);
}

int dossier_next_seq(struct db *db, long long unit_id, int year, int month, int day,
                     unsigned long *seq)
{
	/* LAST_INSERT_ID(expr) hands the new value back to this connection only; the row
	 * lock taken by the upsert serialises receptions of the same unit and day. */
	static const char upsert_sql[] =
		"INSERT INTO dossier_code_counters (unit_id, day, last_seq) VALUES (?, ?, LAST_INSERT_ID(1)) "
		"ON DUPLICATE KEY UPDATE last_seq = LAST_INSERT_ID(last_seq + 1)";
	static const char value_sql[] = "SELECT LAST_INSERT_ID()";
	char date[11];
	long long v = 0;
	int rc;

	snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
	{
		struct db_param p[] = { DB_INT(unit_id), DB_STR(date) };
		if ((rc = db_exec(db, upsert_sql, p, 2, NULL, NULL)) != 0)
			return rc;
	}
	if ((rc = db_query(db, value_sql, NULL, 0, count_cb, &v)) != 0)
		return rc;
	if (v <= 0)
		return DB_ERR;
	*seq = (unsigned long)v;
	return 0;
}

int dossier_insert(struct db *db, const struct dossier_new *d, long long *id)
{
	static const char sql[] =
		"INSERT INTO dossiers (code, procedure_id, field_id, unit_id, channel, result_channel, "
		"state, case_name, applicant_name, applicant_kind, applicant_id_number, applicant_phone, "
		"applicant_email, applicant_address, pin_salt, pin_hash, waybill_in, submitted_at, "
		"received_at, due_at, current_step, current_unit_id, step_due_at, step_started_at, "
		"received_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char t1[24], t2[24], t3[24], t4[24], t5[24];
	unsigned long long insert_id = 0;
	struct db_param p[] = {
		DB_STR(d->code), DB_INT(d->procedure_id), DB_INT(d->field_id), DB_INT(d->unit_id),
		DB_STR(d->channel), DB_STR(d->result_channel), DB_STR(d->state), DB_STR(d->case_name),
		DB_STR(d->applicant_name), DB_STR(d->applicant_kind), DB_STR(d->applicant_id_number),
		DB_STR(d->applicant_phone), DB_STR(d->applicant_email), DB_STR(d->applicant_address),
		DB_BLOB(d->pin_salt, 16), DB_BLOB(d->pin_hash, 32), DB_STR(d->waybill_in),
		time_param(d->submitted_at, t1), time_param(d->received_at, t2), time_param(d->due_at, t3),
		d->current_step ? DB_INT(d->current_step) : DB_NULLP, DB_INT(d->unit_id),
		time_param(d->step_due_at, t4), time_param(d->received_at, t5),
		d->received_by ? DB_INT(d->received_by) : DB_NULLP,
	};
	int rc = db_exec(db, sql, p, 25, NULL, &insert_id);

	*id = (long long)insert_id;
	return rc;
}

int dossier_insert_document(struct db *db, long long dossier_id, int seq, const char *name,
                            int originals, int copies, int paper_only)
{
	static const char sql[] =
		"INSERT INTO dossier_documents (dossier_id, seq, name, originals, copies, paper_only) "
		"VALUES (?, ?, ?, ?, ?, ?)";
	struct db_param p[] = { DB_INT(dossier_id), DB_INT(seq), DB_STR(name), DB_INT(originals),
	                        DB_INT(copies), DB_INT(paper_only) };
	return db_exec(db, sql, p, 6, NULL, NULL);
}

struct row_out { struct dossier_row *d; int found; };

static int row_cb(const struct db_row *r, void *arg)
{
	struct row_out *o = arg;
	struct dossier_row *d = o->d;

	d->id = db_row_int(r, 0, 0);
	copy(d->code, sizeof d->code, r->val[1]);
	copy(d->state, sizeof d->state, r->val[2]);
	copy(d->channel, sizeof d->channel, r->val[3]);
	copy(d->result_channel, sizeof d->result_channel, r->val[4]);
	d->procedure_id = db_row_int(r, 5, 0);
	d->unit_id = db_row_int(r, 6, 0);
	d->current_unit_id = db_row_int(r, 7, 0);
	d->assignee_id = db_row_int(r, 8, 0);
	d->current_step = (int)db_row_int(r, 9, 0);
	d->version = (unsigned)db_row_int(r, 10, 0);
	d->received_at = time_from_db(r->val[11]);
	d->due_at = time_from_db(r->val[12]);
	d->step_due_at = time_from_db(r->val[13]);
	d->step_started_at = time_from_db(r->val[14]);
	d->promised_at = time_from_db(r->val[15]);
	d->finished_at = time_from_db(r->val[16]);
	copy(d->paused_from, sizeof d->paused_from, r->val[17]);
	copy(d->unit_code, sizeof d->unit_code, r->val[18]);
	copy(d->current_unit_code, sizeof d->current_unit_code, r->val[19]);
	copy(d->current_unit_name, sizeof d->current_unit_name, r->val[20]);
	o->found = 1;
	return 0;
}

/* In scope: the receiving unit or the unit holding the dossier now is in the subtree. */
#define DOSSIER_ROW_SQL \
	"SELECT d.id, d.code, d.state, d.channel, d.result_channel, d.procedure_id, d.unit_id, " \
	"COALESCE(d.current_unit_id, d.unit_id), d.assignee_id, d.current_step, d.version, " \
	"d.received_at, d.due_at, d.step_due_at, d.step_started_at, d.promised_at, d.finished_at, " \
	"d.paused_from_state, u.code, cu.code, cu.name " \
	"FROM dossiers d JOIN units u ON u.id = d.unit_id " \
	"JOIN units cu ON cu.id = COALESCE(d.current_unit_id, d.unit_id) " \
	"WHERE d.code = ? AND (u.path LIKE CONCAT(?, '%') OR cu.path LIKE CONCAT(?, '%'))"

static int find(struct db *db, const char *sql, const char *code, const char *scope,
                struct dossier_row *d)
{
	struct db_param p[] = { DB_STR(code), DB_STR(scope), DB_STR(scope) };
	struct row_out o = { d, 0 };
	int rc;

	memset(d, 0, sizeof *d);
	if ((rc = db_query(db, sql, p, 3, row_cb, &o)) != 0)
		return rc;
	return o.found ? 0 : 1;
}

int dossier_lock(struct db *db, const char *code, const char *scope_path, struct dossier_row *d)
{
	static const char sql[] = DOSSIER_ROW_SQL " FOR UPDATE";
	return find(db, sql, code, scope_path, d);
}

int dossier_find(struct db *db, const char *code, const char *scope_path, struct dossier_row *d)
{
	static const char sql[] = DOSSIER_ROW_SQL;
	return find(db, sql, code, scope_path, d);
}

int dossier_save(struct db *db, const struct dossier_row *d, const char *waybill_out,
                 const char *refusal_reason, int result_ready)
{
	static const char sql[] =
		"UPDATE dossiers SET state = ?, current_step = ?, current_unit_id = ?, assignee_id = ?, "
		"received_at = ?, due_at = ?, step_due_at = ?, step_started_at = ?, promised_at = ?, "
		"finished_at = ?, paused_from_state = ?, "
		"returned_at = IF(? = 'returned', UTC_TIMESTAMP(), returned_at), "
		"waybill_out = COALESCE(?, waybill_out), refusal_reason = COALESCE(?, refusal_reason), "
		"result_ready = GREATEST(result_ready, ?), version = version + 1 "
		"WHERE id = ? AND version = ?";
	char t1[24], t2[24], t3[24], t4[24], t5[24], t6[24];
	struct db_param p[] = {
		DB_STR(d->state), d->current_step ? DB_INT(d->current_step) : DB_NULLP,
		DB_INT(d->current_unit_id), d->assignee_id ? DB_INT(d->assignee_id) : DB_NULLP,
		time_param(d->received_at, t1), time_param(d->due_at, t2), time_param(d->step_due_at, t3),
		time_param(d->step_started_at, t4), time_param(d->promised_at, t5),
		time_param(d->finished_at, t6), DB_STR(d->paused_from), DB_STR(d->state),
		waybill_out ? DB_STR(waybill_out) : DB_NULLP,
		refusal_reason ? DB_STR(refusal_reason) : DB_NULLP, DB_INT(result_ready),
		DB_INT(d->id), DB_INT(d->version),
	};
	unsigned long long n = 0;
	int rc = db_exec(db, sql, p, 17, &n, NULL);

	if (rc != 0)
		return rc;
	return n == 1 ? 0 : 1;
}

int dossier_pause_open(struct db *db, long long dossier_id, const char *state, mc_time at)
{
	static const char sql[] =
		"INSERT INTO dossier_pauses (dossier_id, seq, state, from_at) "
		"SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ? FROM dossier_pauses WHERE dossier_id = ?";
	char t[24];
	struct db_param p[] = { DB_INT(dossier_id), DB_STR(state), time_param(at, t), DB_INT(dossier_id) };

	return db_exec(db, sql, p, 4, NULL, NULL);
}

int dossier_pause_close(struct db *db, long long dossier_id, mc_time at)
{
	static const char sql[] =
		"UPDATE dossier_pauses SET to_at = ? WHERE dossier_id = ? AND to_at IS NULL";
	char t[24];
	struct db_param p[] = { time_param(at, t), DB_INT(dossier_id) };

	return db_exec(db, sql, p, 2, NULL, NULL);
}

struct pause_out { struct dossier_pause *out; size_t cap, n; };

static int pause_cb(const struct db_row *r, void *arg)
{
	struct pause_out *o = arg;

	if (o->n == o->cap)
		return 0;
	o->out[o->n].from = time_from_db(r->val[0]);
	o->out[o->n].to = time_from_db(r->val[1]);
	o->out[o->n].supplement = r->val[2] && strcmp(r->val[2], "awaiting_supplement") == 0;
	o->n++;
	return 0;
}

int dossier_pauses(struct db *db, long long dossier_id, struct dossier_pause *out,
                   size_t cap, size_t *n)
{
	static const char sql[] =
		"SELECT from_at, to_at, state FROM dossier_pauses WHERE dossier_id = ? ORDER BY seq";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct pause_out o = { out, cap, 0 };
	int rc = db_query(db, sql, p, 1, pause_cb, &o);

	*n = o.n;
	return rc;
}

int supplement_request_insert(struct db *db, long long dossier_id, const char *items_json,
                              const char *note, long long officer_id, mc_time at)
{
	static const char sql[] =
		"INSERT INTO supplement_requests (dossier_id, items, note, requested_by, requested_at) "
		"VALUES (?, ?, ?, ?, ?)";
	char t[24];
	struct db_param p[] = { DB_INT(dossier_id), DB_STR(items_json), DB_STR(note),
	                        DB_INT(officer_id), time_param(at, t) };
	return db_exec(db, sql, p, 5, NULL, NULL);
}

int supplement_request_fulfil(struct db *db, long long dossier_id, mc_time at)
{
	static const char sql[] =
		"UPDATE supplement_requests SET fulfilled_at = ? WHERE dossier_id = ? AND fulfilled_at IS NULL";
	char t[24];
	struct db_param p[] = { time_param(at, t), DB_INT(dossier_id) };

	return db_exec(db, sql, p, 2, NULL, NULL);
}

int apology_insert(struct db *db, long long dossier_id, mc_time proposed, const char *reason,
                   long long drafted_by, long long approved_by, mc_time at)
{
	static const char sql[] =
		"INSERT INTO apology_letters (dossier_id, proposed_date, reason, drafted_by, drafted_at, "
		"approved_by, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	char t1[24], t2[24], t3[24];
	struct db_param p[] = {
		DB_INT(dossier_id), time_param(proposed, t1), DB_STR(reason),
		drafted_by ? DB_INT(drafted_by) : DB_NULLP, time_param(at, t2),
		approved_by ? DB_INT(approved_by) : DB_NULLP, approved_by ? time_param(at, t3) : DB_NULLP,
	};
	return db_exec(db, sql, p, 7, NULL, NULL);
}

struct officer_out { long long *id; char *roles; size_t sz; int found; };

static int officer_cb(const struct db_row *r, void *arg)
{
	struct officer_out *o = arg;

	*o->id = db_row_int(r, 0, 0);
	copy(o->roles, o->sz, r->val[1]);
	o->found = 1;
	return 0;
}

int officer_in_scope(struct db *db, const char *username, const char *scope_path,
                     long long *id, char *roles, size_t rolessz)
{
	static const char sql[] =
		"SELECT o.id, o.roles FROM officers o JOIN units u ON u.id = o.unit_id "
		"WHERE o.username = ? AND o.active = 1 AND u.path LIKE CONCAT(?, '%')";
	struct db_param p[] = { DB_STR(username), DB_STR(scope_path) };
	struct officer_out o = { id, roles, rolessz, 0 };
	int rc = db_query(db, sql, p, 2, officer_cb, &o);

	if (rc != 0)
		return rc;
	return o.found ? 0 : 1;
}

struct unit_out { long long *id; char *name; size_t sz; int found; };

static int unit_cb(const struct db_row *r, void *arg)
{
	struct unit_out *o = arg;

	*o->id = db_row_int(r, 0, 0);
	copy(o->name, o->sz, r->val[1]);
	o->found = 1;
	return 0;
}

int unit_find(struct db *db, const char *code, long long *id, char *name, size_t namesz)
{
	static const char sql[] = "SELECT id, name FROM units WHERE code = ? AND active = 1";
	struct db_param p[] = { DB_STR(code) };
	struct unit_out o = { id, name, namesz, 0 };
	int rc = db_query(db, sql, p, 1, unit_cb, &o);

	if (rc != 0)
		return rc;
	return o.found ? 0 : 1;
}

struct inbox_cb { int (*fn)(const struct inbox_row *, void *); void *arg; };

static int inbox_cb(const struct db_row *r, void *arg)
{
	struct inbox_cb *c = arg;
	struct inbox_row row = {
		.code = r->val[0], .state = r->val[1], .channel = r->val[2], .procedure_code = r->val[3],
		.procedure_name = r->val[4], .applicant_name = r->val[5], .received_at = r->val[6],
		.due_at = r->val[7], .step_due_at = r->val[8], .current_unit_code = r->val[9],
		.assignee = r->val[10], .current_step = (int)db_row_int(r, 11, 0),
		.step_name = r->val[12], .step_role = r->val[13], .version = (unsigned)db_row_int(r, 14, 0),
	};
	return c->fn(&row, c->arg);
}

/* Open dossiers in scope. Urgency order: overdue, due within one working day, the rest;
 * then by due time. A resolved dossier has no urgency (its result is ready, only the
 * hand-over is left): it goes with the rest and no urgency filter lists it. */
#define INBOX_FROM \
	"FROM dossiers d JOIN procedures p ON p.id = d.procedure_id " \
	"JOIN units u ON u.id = d.unit_id " \
	"JOIN units cu ON cu.id = COALESCE(d.current_unit_id, d.unit_id) " \
	"LEFT JOIN officers a ON a.id = d.assignee_id " \
	"LEFT JOIN procedure_process_steps s ON s.procedure_id = d.procedure_id AND s.seq = d.current_step " \
	"WHERE d.state IN ('submitted','processing','awaiting_supplement','awaiting_payment','suspended','resolved') " \
	"AND (u.path LIKE CONCAT(?, '%') OR cu.path LIKE CONCAT(?, '%')) " \
	"AND (? = '' OR d.state = ?) AND (? = 0 OR d.current_step = ?) " \
	"AND (? = '' OR p.code = ?) AND (? = '' OR d.channel = ?) " \
	"AND (? = '' OR (d.state <> 'resolved' AND ((? = 'overdue' AND d.due_at < ?) " \
	"  OR (? = 'due_soon' AND d.due_at >= ? AND d.due_at <= ?) " \
	"  OR (? = 'within' AND d.due_at > ?)))) "

int dossier_inbox(struct db *db, const struct inbox_query *q,
                  int (*fn)(const struct inbox_row *r, void *arg), void *arg, long long *total)
{
	static const char page_sql[] =
		"SELECT d.code, d.state, d.channel, p.code, p.name, d.applicant_name, d.received_at, "
		"d.due_at, d.step_due_at, cu.code, a.username, d.current_step, s.name, s.role, d.version "
		INBOX_FROM
		"ORDER BY CASE WHEN d.due_at IS NULL OR d.state = 'resolved' THEN 3 WHEN d.due_at < ? THEN 0 "
		"WHEN d.due_at <= ? THEN 1 ELSE 2 END, d.due_at, d.id LIMIT ? OFFSET ?";
	static const char count_sql[] = "SELECT COUNT(*) " INBOX_FROM;
	char now[24], soon[24];
	struct inbox_cb c = { fn, arg };
	int rc;

	time_format_db(q->now, now, sizeof now);
	time_format_db(q->soon, soon, sizeof soon);
	{
		struct db_param p[] = {
			DB_STR(q->scope_path), DB_STR(q->scope_path), DB_STR(q->state), DB_STR(q->state),
			DB_INT(q->step), DB_INT(q->step), DB_STR(q->procedure_code), DB_STR(q->procedure_code),
			DB_STR(q->channel), DB_STR(q->channel), DB_STR(q->urgency), DB_STR(q->urgency),
			DB_STR(now), DB_STR(q->urgency), DB_STR(now), DB_STR(soon), DB_STR(q->urgency),
			DB_STR(soon), DB_STR(now), DB_STR(soon), DB_INT(q->limit), DB_INT(q->offset),
		};
		if ((rc = db_query(db, count_sql, p, 18, count_cb, total)) != 0)
			return rc;
		return db_query(db, page_sql, p, 22, inbox_cb, &c);
	}
}

struct detail_cb { int (*fn)(const struct dossier_detail *, void *); void *arg; int found; };

static int detail_cb(const struct db_row *r, void *arg)
{
	struct detail_cb *c = arg;
	struct dossier_detail d = {
		.id = db_row_int(r, 0, 0), .procedure_id = db_row_int(r, 1, 0), .code = r->val[2],
		.state = r->val[3], .channel = r->val[4], .result_channel = r->val[5],
		.procedure_code = r->val[6], .procedure_name = r->val[7], .unit_code = r->val[8],
		.unit_name = r->val[9], .current_unit_code = r->val[10], .current_unit_name = r->val[11],
		.applicant_name = r->val[12], .applicant_kind = r->val[13],
		.applicant_id_number = r->val[14], .applicant_phone = r->val[15],
		.applicant_email = r->val[16], .applicant_address = r->val[17],
		.received_at = r->val[18], .due_at = r->val[19], .promised_at = r->val[20],
		.finished_at = r->val[21], .returned_at = r->val[22], .step_due_at = r->val[23],
		.assignee = r->val[24], .waybill_in = r->val[25], .waybill_out = r->val[26],
		.refusal_reason = r->val[27], .submitted_at = r->val[28],
		.current_step = (int)db_row_int(r, 29, 0), .result_ready = (int)db_row_int(r, 30, 0),
		.version = (unsigned)db_row_int(r, 31, 0),
	};
	c->found = 1;
	return c->fn(&d, c->arg);
}

int dossier_detail(struct db *db, const char *code, const char *scope_path,
                   int (*fn)(const struct dossier_detail *d, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT d.id, d.procedure_id, d.code, d.state, d.channel, d.result_channel, p.code, p.name, "
		"u.code, u.name, cu.code, cu.name, d.applicant_name, d.applicant_kind, "
		"d.applicant_id_number, d.applicant_phone, d.applicant_email, d.applicant_address, "
		"d.received_at, d.due_at, d.promised_at, d.finished_at, d.returned_at, d.step_due_at, "
		"a.username, d.waybill_in, d.waybill_out, d.refusal_reason, d.submitted_at, "
		"d.current_step, d.result_ready, d.version "
		"FROM dossiers d JOIN procedures p ON p.id = d.procedure_id "
		"JOIN units u ON u.id = d.unit_id "
		"JOIN units cu ON cu.id = COALESCE(d.current_unit_id, d.unit_id) "
		"LEFT JOIN officers a ON a.id = d.assignee_id "
		"WHERE d.code = ? AND (u.path LIKE CONCAT(?, '%') OR cu.path LIKE CONCAT(?, '%'))";
	struct db_param p[] = { DB_STR(code), DB_STR(scope_path), DB_STR(scope_path) };
	struct detail_cb c = { fn, arg, 0 };
	int rc = db_query(db, sql, p, 3, detail_cb, &c);

	if (rc != 0)
		return rc;
	return c.found ? 0 : 1;
}

struct ddoc_cb { int (*fn)(const struct dossier_document *, void *); void *arg; };

static int ddoc_cb(const struct db_row *r, void *arg)
{
	struct ddoc_cb *c = arg;
	struct dossier_document d = {
		(int)db_row_int(r, 0, 0), (int)db_row_int(r, 1, 0), (int)db_row_int(r, 2, 0),
		(int)db_row_int(r, 3, 0), (int)db_row_int(r, 4, 0), r->val[5],
	};
	return c->fn(&d, c->arg);
}

int dossier_documents(struct db *db, long long dossier_id,
                      int (*fn)(const struct dossier_document *d, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT seq, originals, copies, paper_only, file_sha256 IS NOT NULL, name "
		"FROM dossier_documents WHERE dossier_id = ? ORDER BY seq";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct ddoc_cb c = { fn, arg };

	return db_query(db, sql, p, 1, ddoc_cb, &c);
}

struct pin_out { unsigned char *salt, *hash; int found; };

static int pin_cb(const struct db_row *r, void *arg)
{
	struct pin_out *o = arg;

	if (r->len[0] == 16 && r->len[1] == 32) {
		memcpy(o->salt, r->val[0], 16);
		memcpy(o->hash, r->val[1], 32);
		o->found = 1;
	}
	return 0;
}

int dossier_pin(struct db *db, long long dossier_id, unsigned char salt[16], unsigned char hash[32])
{
	static const char sql[] = "SELECT pin_salt, pin_hash FROM dossiers WHERE id = ?";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct pin_out o = { salt, hash, 0 };
	int rc = db_query(db, sql, p, 1, pin_cb, &o);

	if (rc != 0)
		return rc;
	return o.found ? 0 : 1;
}

struct cand_cb { int (*fn)(const struct apology_candidate *, void *); void *arg; };

static int cand_cb(const struct db_row *r, void *arg)
{
	struct cand_cb *c = arg;
	struct apology_candidate a = { db_row_int(r, 0, 0), db_row_int(r, 1, 0), time_from_db(r->val[2]) };

	return c->fn(&a, c->arg);
}

int apology_candidates(struct db *db, mc_time soon, long long limit,
                       int (*fn)(const struct apology_candidate *c, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT d.id, d.procedure_id, d.due_at FROM dossiers d "
		"WHERE d.state IN ('processing','awaiting_supplement','awaiting_payment','suspended') "
		"AND d.due_at IS NOT NULL AND d.due_at < ? "
		"AND NOT EXISTS (SELECT 1 FROM apology_letters a WHERE a.dossier_id = d.id) "
		"ORDER BY d.due_at LIMIT ?";
	char t[24];
	struct db_param p[] = { time_param(soon, t), DB_INT(limit) };
	struct cand_cb c = { fn, arg };

	return db_query(db, sql, p, 2, cand_cb, &c);
}

struct apology_out { int (*fn)(const struct apology_row *, void *); void *arg; int found; };

static int apology_cb(const struct db_row *r, void *arg)
{
	struct apology_out *o = arg;
	struct apology_row a = {
		db_row_int(r, 0, 0), r->val[1], r->val[2], r->val[3], r->val[4], r->val[5], r->val[6],
	};
	o->found = 1;
	return o->fn(&a, o->arg);
}

int apology_latest(struct db *db, long long dossier_id,
                   int (*fn)(const struct apology_row *a, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT a.id, a.proposed_date, a.reason, d.username, a.drafted_at, p.username, a.approved_at "
		"FROM apology_letters a LEFT JOIN officers d ON d.id = a.drafted_by "
		"LEFT JOIN officers p ON p.id = a.approved_by "
		"WHERE a.dossier_id = ? ORDER BY a.id DESC LIMIT 1";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct apology_out o = { fn, arg, 0 };
	int rc = db_query(db, sql, p, 1, apology_cb, &o);

	if (rc != 0)
		return rc;
	return o.found ? 0 : 1;
}

int apology_approve_draft(struct db *db, long long dossier_id, mc_time date, long long leader_id,
                          mc_time at)
{
	static const char sql[] =
		"UPDATE apology_letters SET proposed_date = ?, approved_by = ?, approved_at = ? "
		"WHERE dossier_id = ? AND approved_at IS NULL ORDER BY id DESC LIMIT 1";
	char t1[24], t2[24];
	struct db_param p[] = { time_param(date, t1), DB_INT(leader_id), time_param(at, t2),
	                        DB_INT(dossier_id) };
	unsigned long long n = 0;
	int rc = db_exec(db, sql, p, 4, &n, NULL);

	if (rc != 0)
		return rc;
	return n ? 0 : 1;
}
