#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "citizen_store.h"

static void copy(char *dst, size_t sz, const char *src)
{
	snprintf(dst, sz, "%s", src ? src : "");
}

int citizen_create(struct db *db, const char *email, const char *phone, const char *full_name,
                   const char *password_hash, const unsigned char verify_hash[32],
                   mc_time verify_expires, long long *id)
{
	static const char sql[] =
		"INSERT INTO citizens (email, phone, full_name, password_hash, verify_token_hash, "
		"verify_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP())";
	char t[24];
	unsigned long long insert_id = 0;
	struct db_param p[6];
	int rc;

	time_format_db(verify_expires, t, sizeof t);
	p[0] = email ? DB_STR(email) : DB_NULLP;
	p[1] = phone ? DB_STR(phone) : DB_NULLP;
	p[2] = DB_STR(full_name);
	p[3] = DB_STR(password_hash);
	p[4] = DB_BLOB(verify_hash, 32);
	p[5] = DB_STR(t);
	rc = db_exec(db, sql, p, 6, NULL, &insert_id);
	if (rc == DB_ERR_DUP)
		return 1;
	*id = (long long)insert_id;
	return rc;
}

int citizen_verify(struct db *db, const unsigned char verify_hash[32])
{
	static const char sql[] =
		"UPDATE citizens SET email_verified_at = UTC_TIMESTAMP(), verify_token_hash = NULL, "
		"verify_expires_at = NULL WHERE verify_token_hash = ? AND verify_expires_at > UTC_TIMESTAMP()";
	struct db_param p[] = { DB_BLOB(verify_hash, 32) };
	unsigned long long n = 0;
	int rc = db_exec(db, sql, p, 1, &n, NULL);

	return rc != 0 ? rc : n == 1 ? 0 : 1;
}

struct login_out { struct citizen_login *o; int found; };

static int login_cb(const struct db_row *r, void *arg)
{
	struct login_out *l = arg;

	l->o->id = db_row_int(r, 0, 0);
	copy(l->o->password_hash, sizeof l->o->password_hash, r->val[1]);
	l->o->verified = db_row_int(r, 2, 0) != 0;
	l->o->locked_seconds_left = db_row_int(r, 3, 0);
	l->found = 1;
	return 0;
}

int citizen_login_info(struct db *db, const char *login, struct citizen_login *out)
{
	static const char sql[] =
		"SELECT id, password_hash, email_verified_at IS NOT NULL, "
		"GREATEST(0, COALESCE(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), locked_until), 0)) "
		"FROM citizens WHERE email = ? OR phone = ? LIMIT 1";
	struct db_param p[] = { DB_STR(login), DB_STR(login) };
	struct login_out l = { out, 0 };
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = db_query(db, sql, p, 2, login_cb, &l)) != 0)
		return rc;
	return l.found ? 0 : 1;
}

int citizen_login_failed(struct db *db, long long id)
{
	static const char sql[] =
		"UPDATE citizens SET failed_logins = failed_logins + 1, "
		"locked_until = IF(failed_logins >= 5, "
		"  UTC_TIMESTAMP() + INTERVAL LEAST(60, POW(2, failed_logins - 5)) MINUTE, locked_until) "
		"WHERE id = ?";
	struct db_param p[] = { DB_INT(id) };

	return db_exec(db, sql, p, 1, NULL, NULL);
}

int citizen_login_succeeded(struct db *db, long long id)
{
	static const char sql[] = "UPDATE citizens SET failed_logins = 0, locked_until = NULL WHERE id = ?";
	struct db_param p[] = { DB_INT(id) };

	return db_exec(db, sql, p, 1, NULL, NULL);
}

int citizen_session_create(struct db *db, const unsigned char token_hash[32], long long citizen_id,
                           const char *csrf_token)
{
	static const char sql[] =
		"INSERT INTO citizen_sessions (token_hash, citizen_id, csrf_token, created_at, "
		"expires_at, last_seen_at) VALUES (?, ?, ?, UTC_TIMESTAMP(), "
		"UTC_TIMESTAMP() + INTERVAL 8 HOUR, UTC_TIMESTAMP())";
	static const char purge_sql[] = "DELETE FROM citizen_sessions WHERE expires_at < UTC_TIMESTAMP()";
	struct db_param p[] = { DB_BLOB(token_hash, 32), DB_INT(citizen_id), DB_STR(csrf_token) };
	int rc;

	if ((rc = db_exec(db, purge_sql, NULL, 0, NULL, NULL)) != 0)
		return rc;
	return db_exec(db, sql, p, 3, NULL, NULL);
}

struct session_out { struct citizen *c; int found; };

static int session_cb(const struct db_row *r, void *arg)
{
	struct session_out *s = arg;

	s->c->id = db_row_int(r, 0, 0);
	copy(s->c->email, sizeof s->c->email, r->val[1]);
	copy(s->c->phone, sizeof s->c->phone, r->val[2]);
	copy(s->c->full_name, sizeof s->c->full_name, r->val[3]);
	s->c->verified = db_row_int(r, 4, 0) != 0;
	copy(s->c->csrf_token, sizeof s->c->csrf_token, r->val[5]);
	s->found = 1;
	return 0;
}

int citizen_session_lookup(struct db *db, const unsigned char token_hash[32], struct citizen *c)
{
	static const char sql[] =
		"SELECT c.id, c.email, c.phone, c.full_name, c.email_verified_at IS NOT NULL, s.csrf_token "
		"FROM citizen_sessions s JOIN citizens c ON c.id = s.citizen_id "
		"WHERE s.token_hash = ? AND s.expires_at > UTC_TIMESTAMP()";
	struct db_param p[] = { DB_BLOB(token_hash, 32) };
	struct session_out s = { c, 0 };
	int rc;

	memset(c, 0, sizeof *c);
	if ((rc = db_query(db, sql, p, 1, session_cb, &s)) != 0)
		return rc;
	return s.found ? 0 : 1;
}

int citizen_session_delete(struct db *db, const unsigned char token_hash[32])
{
	static const char sql[] = "DELETE FROM citizen_sessions WHERE token_hash = ?";
	struct db_param p[] = { DB_BLOB(token_hash, 32) };

	return db_exec(db, sql, p, 1, NULL, NULL);
}

struct list_out {
	int (*fn)(const struct citizen_dossier_row *r, void *arg);
	void *arg;
};

static int list_cb(const struct db_row *r, void *arg)
{
	struct list_out *l = arg;
	struct citizen_dossier_row row = {
		r->val[0], r->val[1], r->val[2], r->val[3], r->val[4], r->val[5], r->val[6],
		r->val[7], r->val[8], r->val[9], r->val[10],
	};

	return l->fn(&row, l->arg);
}

static int total_cb(const struct db_row *r, void *arg)
{
	*(long long *)arg = db_row_int(r, 0, 0);
	return 0;
}

int citizen_dossiers(struct db *db, long long citizen_id, long long limit, long long offset,
                     int (*fn)(const struct citizen_dossier_row *r, void *arg), void *arg,
                     long long *total)
{
	static const char sql[] =
		"SELECT d.code, d.state, d.channel, p.code, p.name, u.code, u.name, d.submitted_at, "
		"d.received_at, d.due_at, d.finished_at FROM dossiers d "
		"JOIN procedures p ON p.id = d.procedure_id JOIN units u ON u.id = d.unit_id "
		"WHERE d.citizen_id = ? ORDER BY d.created_at DESC, d.id DESC LIMIT ? OFFSET ?";
	static const char count_sql[] = "SELECT COUNT(*) FROM dossiers WHERE citizen_id = ?";
	struct db_param p[] = { DB_INT(citizen_id), DB_INT(limit), DB_INT(offset) };
	struct list_out l = { fn, arg };
	int rc;

	if ((rc = db_query(db, count_sql, p, 1, total_cb, total)) != 0)
		return rc;
	return db_query(db, sql, p, 3, list_cb, &l);
}
