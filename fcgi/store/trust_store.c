/* Trusted CAs and CRLs: sql/009_trust.sql. */
#include <string.h>

#include "core/db.h"
#include "trust_store.h"

static const char sql_bump[] = "UPDATE trust_generation SET gen = gen + 1 WHERE id = 1";

static int gen_row(const struct db_row *row, void *arg)
{
	*(long long *)arg = db_row_int(row, 0, 0);
	return 0;
}

int trust_generation(struct db *db, long long *gen)
{
	static const char sql[] = "SELECT gen FROM trust_generation WHERE id = 1";
	*gen = 0;
	return db_query(db, sql, NULL, 0, gen_row, gen);
}

struct ca_cb {
	int (*fn)(const struct trust_ca_row *ca, void *arg);
	void *arg;
	int found;
};

#define S(i) (row->val[i] ? row->val[i] : "")

static int ca_row(const struct db_row *row, void *arg)
{
	struct ca_cb *c = arg;
	struct trust_ca_row ca = {
		.id = db_row_int(row, 0, 0), .name = S(1), .sha256 = S(2), .subject = S(3),
		.not_after = S(4), .added_by = db_row_int(row, 5, 0), .added_at = S(6),
		.active = (int)db_row_int(row, 7, 0),
	};
	c->found = 1;
	return c->fn(&ca, c->arg);
}

#define CA_COLS "id, name, sha256, subject, DATE_FORMAT(not_after, '%Y-%m-%d %H:%i:%s'), " \
	"added_by, DATE_FORMAT(added_at, '%Y-%m-%d %H:%i:%s'), active FROM trusted_cas"

int trust_ca_list(struct db *db, int active_only,
                  int (*fn)(const struct trust_ca_row *ca, void *arg), void *arg)
{
	static const char all[] = "SELECT " CA_COLS " ORDER BY id DESC";
	static const char act[] = "SELECT " CA_COLS " WHERE active = 1 ORDER BY id DESC";
	struct ca_cb c = { fn, arg, 0 };
	return db_query(db, active_only ? act : all, NULL, 0, ca_row, &c);
}

int trust_ca_get(struct db *db, long long id,
                 int (*fn)(const struct trust_ca_row *ca, void *arg), void *arg)
{
	static const char sql[] = "SELECT " CA_COLS " WHERE id = ?";
	struct ca_cb c = { fn, arg, 0 };
	struct db_param p[1] = { DB_INT(id) };
	int rc = db_query(db, sql, p, 1, ca_row, &c);
	return rc < 0 ? rc : c.found ? 0 : 1;
}

static int id_row(const struct db_row *row, void *arg)
{
	*(long long *)arg = db_row_int(row, 0, 0);
	return 0;
}

int trust_ca_add(struct db *db, const char *name, const unsigned char *der, size_t len,
                 const char *sha256_hex, const char *subject, const char *not_after,
                 long long added_by, long long *id, int *created)
{
	static const char ins[] =
		"INSERT INTO trusted_cas (name, der, sha256, subject, not_after, added_by, added_at, active) "
		"VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), 1)";
	static const char upd[] = "UPDATE trusted_cas SET active = 1, name = ? WHERE sha256 = ?";
	static const char sel[] = "SELECT id FROM trusted_cas WHERE sha256 = ?";
	struct db_param p[6] = {
		DB_STR(name), DB_BLOB(der, len), DB_STR(sha256_hex), DB_STR(subject), DB_STR(not_after),
		added_by > 0 ? DB_INT(added_by) : DB_NULLP,
	};
	unsigned long long ins_id = 0;
	int rc;

	*created = 0;
	*id = 0;
	rc = db_exec(db, ins, p, 6, NULL, &ins_id);
	if (rc == 0) {
		*created = 1;
		*id = (long long)ins_id;
	} else if (rc == DB_ERR_DUP) {
		struct db_param u[2] = { DB_STR(name), DB_STR(sha256_hex) };
		struct db_param s[1] = { DB_STR(sha256_hex) };
		if ((rc = db_exec(db, upd, u, 2, NULL, NULL)) != 0)
			return rc;
		if ((rc = db_query(db, sel, s, 1, id_row, id)) != 0)
			return rc;
	} else {
		return rc;
	}
	return db_exec(db, sql_bump, NULL, 0, NULL, NULL);
}

int trust_ca_deactivate(struct db *db, long long id)
{
	static const char sql[] = "UPDATE trusted_cas SET active = 0 WHERE id = ? AND active = 1";
	struct db_param p[1] = { DB_INT(id) };
	unsigned long long n = 0;
	int rc = db_exec(db, sql, p, 1, &n, NULL);

	if (rc != 0)
		return rc;
	if (n == 0)
		return 1;
	return db_exec(db, sql_bump, NULL, 0, NULL, NULL);
}

int trust_crl_add(struct db *db, long long ca_id, const unsigned char *der, size_t len,
                  const char *this_update, const char *next_update, long long *id)
{
	static const char sql[] =
		"INSERT INTO crls (ca_id, der, this_update, next_update, added_at) "
		"VALUES (?, ?, ?, ?, UTC_TIMESTAMP())";
	struct db_param p[4] = {
		ca_id > 0 ? DB_INT(ca_id) : DB_NULLP, DB_BLOB(der, len), DB_STR(this_update),
		next_update && next_update[0] ? DB_STR(next_update) : DB_NULLP,
	};
	unsigned long long ins_id = 0;
	int rc = db_exec(db, sql, p, 4, NULL, &ins_id);

	if (rc != 0)
		return rc;
	*id = (long long)ins_id;
	return db_exec(db, sql_bump, NULL, 0, NULL, NULL);
}

struct load_cb {
	int (*fn)(int kind, const unsigned char *der, size_t len, void *arg);
	void *arg;
	int kind;
};

static int load_row(const struct db_row *row, void *arg)
{
	struct load_cb *c = arg;
	if (!row->val[0])
		return 0;
	return c->fn(c->kind, (const unsigned char *)row->val[0], row->len[0], c->arg);
}

int trust_load(struct db *db,
               int (*fn)(int kind, const unsigned char *der, size_t len, void *arg), void *arg)
{
	static const char cas[] = "SELECT der FROM trusted_cas WHERE active = 1 ORDER BY id";
	static const char crls[] =
		"SELECT c.der FROM crls c LEFT JOIN trusted_cas a ON a.id = c.ca_id "
		"WHERE c.ca_id IS NULL OR a.active = 1 ORDER BY c.id";
	struct load_cb c = { fn, arg, 0 };
	int rc = db_query(db, cas, NULL, 0, load_row, &c);

	if (rc != 0)
		return rc;
	c.kind = 1;
	return db_query(db, crls, NULL, 0, load_row, &c);
}
