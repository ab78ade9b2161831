#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "domain/workflow.h"
#include "officer_store.h"

static void copy(char *dst, size_t sz, const char *src)
{
	snprintf(dst, sz, "%s", src ? src : "");
}

static int login_cb(const struct db_row *r, void *arg)
{
	struct officer_login *o = arg;

	o->id = db_row_int(r, 0, 0);
	copy(o->password_hash, sizeof o->password_hash, r->val[1]);
	o->active = (int)db_row_int(r, 2, 0);
	o->failed_logins = (unsigned)db_row_int(r, 3, 0);
	o->locked_seconds_left = db_row_int(r, 4, 0);
	return 0;
}

int officer_login_info(struct db *db, const char *username, struct officer_login *out)
{
	static const char sql[] =
		"SELECT id, password_hash, active, failed_logins, "
		"GREATEST(0, COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), locked_until), 0)) "
		"FROM officers WHERE username = ?";
	struct db_param p[] = { DB_STR(username) };
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = db_query(db, sql, p, 1, login_cb, out)) != 0)
		return rc;
	return out->id ? 0 : 1;
}

int officer_login_failed(struct db *db, long long id)
{
	static const char sql[] =
		"UPDATE officers SET failed_logins = failed_logins + 1, "
		"locked_until = IF(failed_logins >= 5, "
		"  UTC_TIMESTAMP() + INTERVAL LEAST(60, POW(2, failed_logins - 5)) MINUTE, locked_until) "
		"WHERE id = ?";
	struct db_param p[] = { DB_INT(id) };

	return db_exec(db, sql, p, 1, NULL, NULL);
}

int officer_login_succeeded(struct db *db, long long id)
{
	static const char sql[] =
		"UPDATE officers SET failed_logins = 0, locked_until = NULL, "
		"last_login_at = UTC_TIMESTAMP() WHERE id = ?";
	struct db_param p[] = { DB_INT(id) };

	return db_exec(db, sql, p, 1, NULL, NULL);
}

int session_create(struct db *db, const unsigned char token_hash[32], long long officer_id,
                   const char *csrf_token)
{
	static const char sql[] =
		"INSERT INTO officer_sessions (token_hash, officer_id, csrf_token, created_at, "
		"expires_at, last_seen_at) VALUES (?, ?, ?, UTC_TIMESTAMP(), "
		"UTC_TIMESTAMP() + INTERVAL 8 HOUR, UTC_TIMESTAMP())";
	static const char purge_sql[] = "DELETE FROM officer_sessions WHERE expires_at < UTC_TIMESTAMP()";
	struct db_param p[] = { DB_BLOB(token_hash, 32), DB_INT(officer_id), DB_STR(csrf_token) };
	int rc;

	if ((rc = db_exec(db, purge_sql, NULL, 0, NULL, NULL)) != 0)
		return rc;
	return db_exec(db, sql, p, 3, NULL, NULL);
}

struct lookup { struct officer *o; int found; long long idle; };

static int session_cb(const struct db_row *r, void *arg)
{
	struct lookup *l = arg;
	struct officer *o = l->o;
	const char *roles = r->val[3] ? r->val[3] : "";

	o->id = db_row_int(r, 0, 0);
	copy(o->username, sizeof o->username, r->val[1]);
	copy(o->full_name, sizeof o->full_name, r->val[2]);
	o->roles = 0;
	/* SET columns come as "desk,leader" */
	while (*roles) {
		size_t n = strcspn(roles, ",");
		int role = role_from_code(roles, n);
		if (role >= 0)
			o->roles |= 1u << role;
		roles += n;
		if (*roles == ',')
			roles++;
	}
	o->unit_id = db_row_int(r, 4, 0);
	copy(o->unit_code, sizeof o->unit_code, r->val[5]);
	copy(o->unit_name, sizeof o->unit_name, r->val[6]);
	copy(o->unit_path, sizeof o->unit_path, r->val[7]);
	copy(o->csrf_token, sizeof o->csrf_token, r->val[8]);
	l->idle = db_row_int(r, 9, 0);
	l->found = 1;
	return 0;
}

int session_lookup(struct db *db, const unsigned char token_hash[32], struct officer *o)
{
	static const char sql[] =
		"SELECT o.id, o.username, o.full_name, o.roles, o.unit_id, u.code, u.name, u.path, "
		"s.csrf_token, TIMESTAMPDIFF(SECOND, s.last_seen_at, UTC_TIMESTAMP()) "
		"FROM officer_sessions s JOIN officers o ON o.id = s.officer_id "
		"JOIN units u ON u.id = o.unit_id "
		"WHERE s.token_hash = ? AND s.expires_at > UTC_TIMESTAMP() AND o.active = 1";
	static const char touch_sql[] =
		"UPDATE officer_sessions SET last_seen_at = UTC_TIMESTAMP() WHERE token_hash = ?";
	struct db_param p[] = { DB_BLOB(token_hash, 32) };
	struct lookup l = { o, 0, 0 };
	int rc;

	memset(o, 0, sizeof *o);
	if ((rc = db_query(db, sql, p, 1, session_cb, &l)) != 0)
		return rc;
	if (!l.found)
		return 1;
	/* idle sessions end after two hours; a write per request would be wasteful */
	if (l.idle > 2 * 3600) {
		session_delete(db, token_hash);
		return 1;
	}
	if (l.idle > 60)
		db_exec(db, touch_sql, p, 1, NULL, NULL);
	return 0;
}

int session_delete(struct db *db, const unsigned char token_hash[32])
{
	static const char sql[] = "DELETE FROM officer_sessions WHERE token_hash = ?";
	struct db_param p[] = { DB_BLOB(token_hash, 32) };

	return db_exec(db, sql, p, 1, NULL, NULL);
}

struct list_cb { int (*fn)(const struct officer_row *, void *); void *arg; };

static int list_row(const struct db_row *r, void *arg)
{
	struct list_cb *c = arg;
	struct officer_row o = {
		.username = r->val[0], .full_name = r->val[1], .roles = r->val[2],
		.unit_code = r->val[3], .unit_name = r->val[4], .email = r->val[5], .phone = r->val[6],
		.active = (int)db_row_int(r, 7, 0), .last_login_at = r->val[8], .created_at = r->val[9],
	};
	return c->fn(&o, c->arg);
}

int officer_list(struct db *db, const char *unit_path, int unused_days,
                 int (*fn)(const struct officer_row *r, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT o.username, o.full_name, o.roles, u.code, u.name, o.email, o.phone, o.active, "
		"o.last_login_at, o.created_at FROM officers o JOIN units u ON u.id = o.unit_id "
		"WHERE (? = '' OR u.path LIKE CONCAT(?, '%')) "
		"AND (? < 0 OR (o.active = 1 AND COALESCE(o.last_login_at, o.created_at) "
		"     < UTC_TIMESTAMP() - INTERVAL ? DAY)) "
		"ORDER BY u.path, o.username";
	const char *path = unit_path ? unit_path : "";
	struct db_param p[] = { DB_STR(path), DB_STR(path), DB_INT(unused_days), DB_INT(unused_days) };
	struct list_cb c = { fn, arg };

	return db_query(db, sql, p, 4, list_row, &c);
}

static int path_cb(const struct db_row *r, void *arg)
{
	char **out = arg;

	snprintf(out[0], (size_t)(out[1] - out[0]), "%s", r->val[0] ? r->val[0] : "");
	out[2] = out[0];
	return 0;
}

int unit_path_of(struct db *db, const char *unit_code, char *path, size_t pathsz)
{
	static const char sql[] = "SELECT path FROM units WHERE code = ? AND active = 1";
	struct db_param p[] = { DB_STR(unit_code) };
	char *out[3] = { path, path + pathsz, NULL };
	int rc;

	if ((rc = db_query(db, sql, p, 1, path_cb, out)) != 0)
		return rc;
	return out[2] ? 0 : 1;
}

int officer_create(struct db *db, const struct officer_write *w)
{
	static const char sql[] =
		"INSERT INTO officers (username, full_name, unit_id, roles, email, phone, password_hash, active) "
		"SELECT ?, ?, u.id, ?, ?, ?, ?, ? FROM units u WHERE u.code = ?";
	struct db_param p[] = {
		DB_STR(w->username), DB_STR(w->full_name), DB_STR(w->roles), DB_STR(w->email ? w->email : ""),
		DB_STR(w->phone ? w->phone : ""), DB_STR(w->password_hash), DB_INT(w->active < 0 ? 1 : w->active),
		DB_STR(w->unit_code),
	};
	unsigned long long n = 0;
	int rc = db_exec(db, sql, p, 8, &n, NULL);

	if (rc == DB_ERR_DUP)
		return 2;
	if (rc != 0)
		return rc;
	return n == 1 ? 0 : 1;
}

static int count_cb(const struct db_row *r, void *arg)
{
	*(long long *)arg = db_row_int(r, 0, 0);
	return 0;
}

int officer_update(struct db *db, const struct officer_write *w)
{
	/* Each column changes only when given (NULL / -1 keep it). */
	static const char sql[] =
		"UPDATE officers o LEFT JOIN units u ON u.code = ? SET "
		"o.full_name = COALESCE(?, o.full_name), o.roles = COALESCE(?, o.roles), "
		"o.email = COALESCE(?, o.email), o.phone = COALESCE(?, o.phone), "
		"o.password_hash = COALESCE(?, o.password_hash), "
		"o.active = IF(? < 0, o.active, ?), o.unit_id = COALESCE(u.id, o.unit_id), "
		"o.failed_logins = IF(? IS NULL, o.failed_logins, 0), "
		"o.locked_until = IF(? IS NULL, o.locked_until, NULL) "
		"WHERE o.username = ?";
	static const char exists_sql[] =
		"SELECT COUNT(*) FROM officers o JOIN units u ON u.id = o.unit_id "
		"WHERE o.username = ? AND u.path LIKE CONCAT(?, '%')";
#define OPT(x) ((x) ? DB_STR(x) : DB_NULLP)
	struct db_param p[] = {
		OPT(w->unit_code), OPT(w->full_name), OPT(w->roles), OPT(w->email), OPT(w->phone),
		OPT(w->password_hash), DB_INT(w->active), DB_INT(w->active), OPT(w->password_hash),
		OPT(w->password_hash), DB_STR(w->username),
	};
#undef OPT
	struct db_param q[] = { DB_STR(w->username), DB_STR(w->scope_path ? w->scope_path : "") };
	long long n = 0;
	int rc;

	if (w->unit_code) {
		char path[600];
		if ((rc = unit_path_of(db, w->unit_code, path, sizeof path)) != 0)
			return rc;
	}
	if ((rc = db_query(db, exists_sql, q, 2, count_cb, &n)) != 0)
		return rc;
	if (n == 0)
		return 2;
	return db_exec(db, sql, p, 11, NULL, NULL);
}
