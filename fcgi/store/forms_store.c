#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "forms_store.h"

/* A DB datetime parameter for t. buf must outlive the call. */
static struct db_param time_param(mc_time t, char buf[24])
{
	time_format_db(t, buf, 24);
	return DB_STR(buf);
}

/* The caller's fn and arg; found tells "none" (1) from a row. */
struct supplement_out { int (*fn)(const struct supplement_form_row *, void *); void *arg; int found; };
struct apology_out { int (*fn)(const struct apology_form_row *, void *); void *arg; int found; };
struct refusal_out { int (*fn)(const struct refusal_form_row *, void *); void *arg; int found; };

static int supplement_cb(const struct db_row *r, void *arg)
{
	struct supplement_out *o = arg;
	struct supplement_form_row s = { r->val[0], r->val[1], r->val[2], r->val[3], r->val[4] };
	o->found = 1;
	return o->fn(&s, o->arg);
}

int supplement_request_latest(struct db *db, long long dossier_id,
                              int (*fn)(const struct supplement_form_row *s, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT s.items, s.note, COALESCE(o.full_name, ''), s.requested_at, s.fulfilled_at "
		"FROM supplement_requests s LEFT JOIN officers o ON o.id = s.requested_by "
		"WHERE s.dossier_id = ? ORDER BY s.id DESC LIMIT 1";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct supplement_out o = { fn, arg, 0 };
	int rc = db_query(db, sql, p, 1, supplement_cb, &o);

	return rc != 0 ? rc : (o.found ? 0 : 1);
}

static int apology_cb(const struct db_row *r, void *arg)
{
	struct apology_out *o = arg;
	struct apology_form_row a = { r->val[0], r->val[1], r->val[2], r->val[3] };
	o->found = 1;
	return o->fn(&a, o->arg);
}

int apology_approved_latest(struct db *db, long long dossier_id,
                            int (*fn)(const struct apology_form_row *a, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT a.proposed_date, a.reason, COALESCE(o.full_name, ''), a.approved_at "
		"FROM apology_letters a LEFT JOIN officers o ON o.id = a.approved_by "
		"WHERE a.dossier_id = ? AND a.approved_at IS NOT NULL ORDER BY a.id DESC LIMIT 1";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct apology_out o = { fn, arg, 0 };
	int rc = db_query(db, sql, p, 1, apology_cb, &o);

	return rc != 0 ? rc : (o.found ? 0 : 1);
}

static int refusal_cb(const struct db_row *r, void *arg)
{
	struct refusal_out *o = arg;
	struct refusal_form_row e = { r->val[0], r->val[1], r->val[2], r->val[3] };
	o->found = 1;
	return o->fn(&e, o->arg);
}

int refusal_event(struct db *db, long long dossier_id,
                  int (*fn)(const struct refusal_form_row *e, void *arg), void *arg)
{
	/* actor is an account name, 'applicant' or 'system': the officer's name when known */
	static const char sql[] =
		"SELECT e.action, e.note, COALESCE(o.full_name, NULLIF(e.actor, '')), e.at "
		"FROM dossier_events e LEFT JOIN officers o ON o.username = e.actor "
		"WHERE e.dossier_id = ? AND e.to_state IN ('refused', 'not_accepted') "
		"ORDER BY e.seq DESC LIMIT 1";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct refusal_out o = { fn, arg, 0 };
	int rc = db_query(db, sql, p, 1, refusal_cb, &o);

	return rc != 0 ? rc : (o.found ? 0 : 1);
}

struct unit_out { long long *id; char *name; size_t namesz; char *path; size_t pathsz; int found; };

static int unit_cb(const struct db_row *r, void *arg)
{
	struct unit_out *u = arg;

	*u->id = db_row_int(r, 0, 0);
	snprintf(u->name, u->namesz, "%s", r->val[1] ? r->val[1] : "");
	snprintf(u->path, u->pathsz, "%s", r->val[2] ? r->val[2] : "");
	u->found = 1;
	return 0;
}

int forms_unit_by_code(struct db *db, const char *code, long long *id, char *name, size_t namesz,
                       char *path, size_t pathsz)
{
	static const char sql[] = "SELECT id, name, path FROM units WHERE code = ? AND active = 1";
	struct db_param p[] = { DB_STR(code) };
	struct unit_out u = { id, name, namesz, path, pathsz, 0 };
	int rc = db_query(db, sql, p, 1, unit_cb, &u);

	return rc != 0 ? rc : (u.found ? 0 : 1);
}

struct register_cb { int (*fn)(const struct register_row *, void *); void *arg; };

static int register_row_cb(const struct db_row *r, void *arg)
{
	struct register_cb *c = arg;
	struct register_row row = { r->val[0], r->val[1], r->val[2], r->val[3], r->val[4], r->val[5],
	                            r->val[6], r->val[7] };

	return c->fn(&row, c->arg);
}

int register_rows(struct db *db, long long unit_id, mc_time from, mc_time to, long long limit,
                  int (*fn)(const struct register_row *r, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT d.code, p.name, d.applicant_name, d.state, d.received_at, d.due_at, "
		"d.finished_at, d.returned_at "
		"FROM dossiers d JOIN procedures p ON p.id = d.procedure_id "
		"WHERE d.unit_id = ? AND d.received_at >= ? AND d.received_at < ? "
		"ORDER BY d.received_at, d.id LIMIT ?";
	char t1[24], t2[24];
	struct db_param p[] = { DB_INT(unit_id), time_param(from, t1), time_param(to, t2), DB_INT(limit + 1) };
	struct register_cb c = { fn, arg };

	return db_query(db, sql, p, 4, register_row_cb, &c);
}
