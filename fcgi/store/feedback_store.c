#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "feedback_store.h"

static struct db_param time_param(mc_time t, char buf[24])
{
	if (t == 0)
		return DB_NULLP;
	time_format_db(t, buf, 24);
	return DB_STR(buf);
}

/* ---------------------------------------------------------------- ratings */

int rating_insert(struct db *db, long long dossier_id, long long unit_id,
                  const char *const v[RC__MAX], const char *comment, mc_time at)
{
	static const char sql[] =
		"INSERT INTO dossier_ratings (dossier_id, unit_id, overall, ease, time_taken, attitude, "
		"visits, comment, rated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char t[24];
	struct db_param p[] = {
		DB_INT(dossier_id), DB_INT(unit_id), DB_STR(v[0]), DB_STR(v[1]), DB_STR(v[2]), DB_STR(v[3]),
		DB_STR(v[4]), DB_STR(comment), time_param(at, t),
	};
	int rc = db_exec(db, sql, p, 9, NULL, NULL);

	return rc == DB_ERR_DUP ? 1 : rc;
}

struct counts_cb { int (*fn)(int, const char *, long long, void *); void *arg; };

static int counts_row(const struct db_row *r, void *arg)
{
	struct counts_cb *c = arg;

	return c->fn((int)db_row_int(r, 0, 0), r->val[1], db_row_int(r, 2, 0), c->arg);
}

#define RATING_SCOPE \
	"FROM dossier_ratings r JOIN units u ON u.id = r.unit_id " \
	"WHERE u.path LIKE CONCAT(?, '%') AND r.rated_at >= ? AND r.rated_at < ? "

int rating_counts(struct db *db, const char *scope_path, mc_time from, mc_time to,
                  int (*fn)(int criterion, const char *value, long long n, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT 0, r.overall, COUNT(*) " RATING_SCOPE "GROUP BY r.overall UNION ALL "
		"SELECT 1, r.ease, COUNT(*) " RATING_SCOPE "GROUP BY r.ease UNION ALL "
		"SELECT 2, r.time_taken, COUNT(*) " RATING_SCOPE "GROUP BY r.time_taken UNION ALL "
		"SELECT 3, r.attitude, COUNT(*) " RATING_SCOPE "GROUP BY r.attitude UNION ALL "
		"SELECT 4, r.visits, COUNT(*) " RATING_SCOPE "GROUP BY r.visits";
	char f[24], t[24];
	struct db_param p[15];
	struct counts_cb c = { fn, arg };

	time_format_db(from ? from : 0, f, sizeof f);
	time_format_db(to ? to : (mc_time)253402300799LL, t, sizeof t);   /* 9999-12-31 */
	for (int i = 0; i < 5; i++) {
		p[3 * i] = DB_STR(scope_path);
		p[3 * i + 1] = DB_STR(f);
		p[3 * i + 2] = DB_STR(t);
	}
	return db_query(db, sql, p, 15, counts_row, &c);
}

/* ---------------------------------------------------------------- lookups */

struct idname { int found; long long id, id2; char *name; size_t namesz; };

static int idname_row(const struct db_row *r, void *arg)
{
	struct idname *x = arg;

	x->found = 1;
	x->id = db_row_int(r, 0, 0);
	if (r->ncols > 1 && x->name)
		snprintf(x->name, x->namesz, "%s", r->val[1] ? r->val[1] : "");
	if (r->ncols > 1 && !x->name)
		x->id2 = db_row_int(r, 1, 0);
	return 0;
}

static int lookup(struct db *db, const char *sql, const struct db_param *p, unsigned n, struct idname *x)
{
	int rc = db_query(db, sql, p, n, idname_row, x);

	if (rc != 0)
		return rc < 0 ? rc : DB_ERR;
	return x->found ? 0 : 1;
}

int feedback_unit_by_code(struct db *db, const char *code, long long *id, char *name, size_t namesz)
{
	static const char sql[] = "SELECT id, name FROM units WHERE code = ? AND active = 1";
	struct db_param p[] = { DB_STR(code) };
	struct idname x = { 0, 0, 0, name, namesz };
	int rc = lookup(db, sql, p, 1, &x);

	*id = x.id;
	return rc;
}

int feedback_root_unit(struct db *db, long long *id)
{
	static const char sql[] = "SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1";
	struct idname x = { 0, 0, 0, NULL, 0 };
	int rc = lookup(db, sql, NULL, 0, &x);

	*id = x.id;
	return rc;
}

int feedback_procedure_id(struct db *db, const char *code, long long *id)
{
	static const char sql[] = "SELECT id FROM procedures WHERE code = ? AND published = 1";
	struct db_param p[] = { DB_STR(code) };
	struct idname x = { 0, 0, 0, NULL, 0 };
	int rc = lookup(db, sql, p, 1, &x);

	*id = x.id;
	return rc;
}

int feedback_dossier(struct db *db, const char *code, long long *id, long long *unit_id)
{
	static const char sql[] = "SELECT id, unit_id FROM dossiers WHERE code = ?";
	struct db_param p[] = { DB_STR(code) };
	struct idname x = { 0, 0, 0, NULL, 0 };
	int rc = lookup(db, sql, p, 1, &x);

	*id = x.id;
	*unit_id = x.id2;
	return rc;
}

int feedback_next_seq(struct db *db, int year, int month, int day, unsigned long *seq)
{
	static const char upsert[] =
		"INSERT INTO feedback_code_counters (day, last_seq) VALUES (?, LAST_INSERT_ID(1)) "
		"ON DUPLICATE KEY UPDATE last_seq = LAST_INSERT_ID(last_seq + 1)";
	char d[16];
	unsigned long long id = 0;
	struct db_param p[1];
	int rc;

	snprintf(d, sizeof d, "%04d-%02d-%02d", year % 10000, month % 100, day % 100);
	p[0] = DB_STR(d);
	if ((rc = db_exec(db, upsert, p, 1, NULL, &id)) != 0)
		return rc;
	*seq = (unsigned long)id;
	return 0;
}

int feedback_insert(struct db *db, const struct feedback_new *f)
{
	static const char sql[] =
		"INSERT INTO feedback (code, kind, procedure_id, dossier_id, officer_name, unit_id, content, "
		"sender_name, sender_email, sender_phone, secret_salt, secret_hash, received_at, due_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char t1[24], t2[24];
	struct db_param p[] = {
		DB_STR(f->code), DB_STR(f->kind), f->procedure_id ? DB_INT(f->procedure_id) : DB_NULLP,
		f->dossier_id ? DB_INT(f->dossier_id) : DB_NULLP, DB_STR(f->officer_name), DB_INT(f->unit_id),
		DB_STR(f->content), DB_STR(f->sender_name), DB_STR(f->sender_email), DB_STR(f->sender_phone),
		DB_BLOB(f->secret_salt, 16), DB_BLOB(f->secret_hash, 32), time_param(f->received_at, t1),
		time_param(f->due_at, t2),
	};

	return db_exec(db, sql, p, 14, NULL, NULL);
}

/* ---------------------------------------------------------------- reading */

#define FEEDBACK_COLUMNS \
	"SELECT f.id, f.unit_id, f.code, f.kind, p.code, p.name, d.code, f.officer_name, u.code, u.name, " \
	"u.path, f.content, f.sender_name, f.sender_email, f.sender_phone, f.received_at, f.due_at, " \
	"f.answer, f.answered_at, o.full_name, f.secret_salt, f.secret_hash, f.answered_on_time, " \
	"f.published " \
	"FROM feedback f JOIN units u ON u.id = f.unit_id " \
	"LEFT JOIN procedures p ON p.id = f.procedure_id LEFT JOIN dossiers d ON d.id = f.dossier_id " \
	"LEFT JOIN officers o ON o.id = f.answered_by "

struct row_cb { int (*fn)(const struct feedback_row *, void *); void *arg; int found; };

static int feedback_row_cb(const struct db_row *r, void *arg)
{
	struct row_cb *c = arg;
	struct feedback_row f = {
		.id = db_row_int(r, 0, 0), .unit_id = db_row_int(r, 1, 0), .code = r->val[2],
		.kind = r->val[3], .procedure_code = r->val[4], .procedure_name = r->val[5],
		.dossier_code = r->val[6], .officer_name = r->val[7], .unit_code = r->val[8],
		.unit_name = r->val[9], .unit_path = r->val[10], .content = r->val[11],
		.sender_name = r->val[12], .sender_email = r->val[13], .sender_phone = r->val[14],
		.received_at = r->val[15], .due_at = r->val[16], .answer = r->val[17],
		.answered_at = r->val[18], .answered_by = r->val[19],
		.secret_salt = (const unsigned char *)r->val[20], .secret_hash = (const unsigned char *)r->val[21],
		.answered_on_time = r->val[22] ? (int)db_row_int(r, 22, 0) : -1,
		.published = (int)db_row_int(r, 23, 0),
	};

	c->found = 1;
	if (!f.secret_salt || !f.secret_hash || r->len[20] != 16 || r->len[21] != 32)
		return -1;
	return c->fn(&f, c->arg);
}

int feedback_get(struct db *db, const char *code, int lock,
                 int (*fn)(const struct feedback_row *f, void *arg), void *arg)
{
	static const char sql[] = FEEDBACK_COLUMNS "WHERE f.code = ?";
	static const char sql_lock[] = FEEDBACK_COLUMNS "WHERE f.code = ? FOR UPDATE";
	struct db_param p[] = { DB_STR(code) };
	struct row_cb c = { fn, arg, 0 };
	int rc = db_query(db, lock ? sql_lock : sql, p, 1, feedback_row_cb, &c);

	if (rc != 0)
		return rc < 0 ? rc : DB_ERR;
	return c.found ? 0 : 1;
}

int feedback_answer(struct db *db, long long id, const char *answer, long long officer_id,
                    mc_time at, int on_time, int publish)
{
	static const char sql[] =
		"UPDATE feedback SET answer = ?, answered_by = ?, answered_at = ?, answered_on_time = ?, "
		"published = ? WHERE id = ? AND answered_at IS NULL";
	char t[24];
	unsigned long long n = 0;
	struct db_param p[] = {
		DB_STR(answer), DB_INT(officer_id), time_param(at, t), DB_INT(on_time), DB_INT(publish), DB_INT(id),
	};
	int rc = db_exec(db, sql, p, 6, &n, NULL);

	return rc != 0 ? rc : n == 1 ? 0 : 1;
}

static int total_row(const struct db_row *r, void *arg)
{
	*(long long *)arg = db_row_int(r, 0, 0);
	return 0;
}

int feedback_inbox(struct db *db, const char *scope_path, const char *state, long long limit,
                   long long offset, int (*fn)(const struct feedback_row *f, void *arg), void *arg,
                   long long *total)
{
	static const char sql[] = FEEDBACK_COLUMNS
		"WHERE u.path LIKE CONCAT(?, '%') AND (? = '' OR (? = 'open') = (f.answered_at IS NULL)) "
		"ORDER BY f.answered_at IS NOT NULL, "
		"CASE WHEN f.answered_at IS NULL THEN f.due_at END, f.answered_at DESC, f.id "
		"LIMIT ? OFFSET ?";
	static const char count_sql[] =
		"SELECT COUNT(*) FROM feedback f JOIN units u ON u.id = f.unit_id "
		"WHERE u.path LIKE CONCAT(?, '%') AND (? = '' OR (? = 'open') = (f.answered_at IS NULL))";
	struct db_param p[] = {
		DB_STR(scope_path), DB_STR(state), DB_STR(state), DB_INT(limit), DB_INT(offset),
	};
	struct row_cb c = { fn, arg, 0 };
	int rc;

	if ((rc = db_query(db, count_sql, p, 3, total_row, total)) != 0)
		return rc < 0 ? rc : DB_ERR;
	rc = db_query(db, sql, p, 5, feedback_row_cb, &c);
	return rc == 0 ? 0 : rc < 0 ? rc : DB_ERR;
}

int feedback_public(struct db *db, long long limit, long long offset,
                    int (*fn)(const struct feedback_row *f, void *arg), void *arg, long long *total)
{
	static const char sql[] = FEEDBACK_COLUMNS
		"WHERE f.published = 1 AND f.answered_at IS NOT NULL "
		"ORDER BY f.answered_at DESC, f.id DESC LIMIT ? OFFSET ?";
	static const char count_sql[] =
		"SELECT COUNT(*) FROM feedback WHERE published = 1 AND answered_at IS NOT NULL";
	struct db_param p[] = { DB_INT(limit), DB_INT(offset) };
	struct row_cb c = { fn, arg, 0 };
	int rc;

	if ((rc = db_query(db, count_sql, NULL, 0, total_row, total)) != 0)
		return rc < 0 ? rc : DB_ERR;
	rc = db_query(db, sql, p, 2, feedback_row_cb, &c);
	return rc == 0 ? 0 : rc < 0 ? rc : DB_ERR;
}
