/* Trusted CAs and CRLs: sql/009_trust.sql. */
#include <stdio.h>
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

/* ---------------------------------------------------------------- officers' certificates */

static int ints_row(const struct db_row *row, void *arg)
{
	long long *v = arg;
	for (unsigned i = 0; i < row->ncols && i < 3; i++)
		v[i] = db_row_int(row, i, 0);
	return 0;
}

int trust_officer_cert_add(struct db *db, const struct trust_officer_cert_new *c, long long *id,
                           int *created)
{
	static const char ins[] =
		"INSERT INTO officer_certificates (officer_id, der, sha256, subject, issuer, serial_hex, "
		"not_before, not_after, added_by, added_at, active, chain_pem) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), 1, ?)";
	static const char sel[] = "SELECT id, officer_id, active FROM officer_certificates WHERE sha256 = ?";
	static const char upd[] =
		"UPDATE officer_certificates SET officer_id = ?, active = 1, added_by = ?, "
		"added_at = UTC_TIMESTAMP(), chain_pem = ? WHERE id = ?";
	static const char chain[] = "UPDATE officer_certificates SET chain_pem = ? WHERE id = ?";
	struct db_param p[10] = {
		DB_INT(c->officer_id), DB_BLOB(c->der, c->len), DB_STR(c->sha256_hex), DB_STR(c->subject),
		DB_STR(c->issuer), DB_STR(c->serial_hex), DB_STR(c->not_before), DB_STR(c->not_after),
		c->added_by > 0 ? DB_INT(c->added_by) : DB_NULLP,
		c->chain_pem ? DB_STR(c->chain_pem) : DB_NULLP,
	};
	struct db_param s[1] = { DB_STR(c->sha256_hex) };
	unsigned long long ins_id = 0;
	long long cur[3] = { 0, 0, 0 };
	int rc;

	*id = 0;
	*created = 0;
	rc = db_exec(db, ins, p, 10, NULL, &ins_id);
	if (rc == 0) {
		*id = (long long)ins_id;
		*created = 1;
		return 0;
	}
	if (rc != DB_ERR_DUP)
		return rc;
	if ((rc = db_query(db, sel, s, 1, ints_row, cur)) != 0)
		return rc;
	*id = cur[0];
	if (cur[2] && cur[1] != c->officer_id)
		return 2;                       /* registered to another officer */
	if (cur[2]) {                   /* already this officer's: keep the newer chain */
		struct db_param u[2] = { c->chain_pem ? DB_STR(c->chain_pem) : DB_NULLP, DB_INT(cur[0]) };
		return db_exec(db, chain, u, 2, NULL, NULL);
	}
	{
		struct db_param u[4] = { DB_INT(c->officer_id),
		                         c->added_by > 0 ? DB_INT(c->added_by) : DB_NULLP,
		                         c->chain_pem ? DB_STR(c->chain_pem) : DB_NULLP, DB_INT(cur[0]) };
		return db_exec(db, upd, u, 4, NULL, NULL);
	}
}

struct oc_cb {
	int (*fn)(const struct trust_officer_cert_row *c, void *arg);
	void *arg;
	int found;
};

static int oc_row(const struct db_row *row, void *arg)
{
	struct oc_cb *c = arg;
	struct trust_officer_cert_row oc = {
		.id = db_row_int(row, 0, 0), .officer_id = db_row_int(row, 1, 0),
		.der = (const unsigned char *)row->val[2], .len = row->len[2],
		.sha256 = S(3), .subject = S(4), .issuer = S(5), .serial_hex = S(6),
		.not_before = S(7), .not_after = S(8), .added_at = S(9), .active = (int)db_row_int(row, 10, 0),
		.username = S(11), .full_name = S(12), .unit_code = S(13), .unit_name = S(14),
		.chain_pem = row->val[15], .chain_len = row->val[15] ? row->len[15] : 0,
	};
	c->found = 1;
	return c->fn(&oc, c->arg);
}

#define OC_COLS "c.id, c.officer_id, c.der, c.sha256, c.subject, c.issuer, c.serial_hex, " \
	"DATE_FORMAT(c.not_before, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(c.not_after, '%Y-%m-%d %H:%i:%s'), " \
	"DATE_FORMAT(c.added_at, '%Y-%m-%d %H:%i:%s'), c.active, o.username, o.full_name, u.code, u.name, " \
	"c.chain_pem " \
	"FROM officer_certificates c JOIN officers o ON o.id = c.officer_id JOIN units u ON u.id = o.unit_id "

int trust_officer_cert_list(struct db *db, long long officer_id, int active_only,
                            int (*fn)(const struct trust_officer_cert_row *c, void *arg), void *arg)
{
	static const char all[] = "SELECT " OC_COLS "WHERE c.officer_id = ? ORDER BY c.id DESC";
	static const char act[] = "SELECT " OC_COLS "WHERE c.officer_id = ? AND c.active = 1 ORDER BY c.id DESC";
	struct oc_cb c = { fn, arg, 0 };
	struct db_param p[1] = { DB_INT(officer_id) };
	return db_query(db, active_only ? act : all, p, 1, oc_row, &c);
}

int trust_officer_cert_in_scope(struct db *db, const char *unit_path,
                                int (*fn)(const struct trust_officer_cert_row *c, void *arg), void *arg)
{
	static const char sql[] = "SELECT " OC_COLS
		"WHERE c.active = 1 AND u.path LIKE CONCAT(?, '%') ORDER BY c.officer_id, c.id";
	struct oc_cb c = { fn, arg, 0 };
	struct db_param p[1] = { DB_STR(unit_path ? unit_path : "") };
	return db_query(db, sql, p, 1, oc_row, &c);
}

int trust_officer_cert_by_sha256(struct db *db, const char *sha256_hex,
                                 int (*fn)(const struct trust_officer_cert_row *c, void *arg), void *arg)
{
	static const char sql[] = "SELECT " OC_COLS "WHERE c.sha256 = ? AND c.active = 1";
	struct oc_cb c = { fn, arg, 0 };
	struct db_param p[1] = { DB_STR(sha256_hex) };
	int rc = db_query(db, sql, p, 1, oc_row, &c);
	return rc < 0 ? rc : c.found ? 0 : 1;
}

int trust_officer_cert_get(struct db *db, long long officer_id, long long id,
                           int (*fn)(const struct trust_officer_cert_row *c, void *arg), void *arg)
{
	static const char sql[] = "SELECT " OC_COLS "WHERE c.officer_id = ? AND c.id = ?";
	struct oc_cb c = { fn, arg, 0 };
	struct db_param p[2] = { DB_INT(officer_id), DB_INT(id) };
	int rc = db_query(db, sql, p, 2, oc_row, &c);
	return rc < 0 ? rc : c.found ? 0 : 1;
}

int trust_officer_cert_deactivate(struct db *db, long long officer_id, long long id)
{
	static const char sql[] =
		"UPDATE officer_certificates SET active = 0 WHERE officer_id = ? AND id = ? AND active = 1";
	struct db_param p[2] = { DB_INT(officer_id), DB_INT(id) };
	unsigned long long n = 0;
	int rc = db_exec(db, sql, p, 2, &n, NULL);
	return rc != 0 ? rc : n ? 0 : 1;
}

/* ---------------------------------------------------------------- CRL sources */

int trust_crl_replace(struct db *db, long long ca_id, const unsigned char *der, size_t len,
                      const char *this_update, const char *next_update, const char *issuer_hash,
                      long long *id, int *changed)
{
	static const char newest[] =
		"SELECT id, this_update > ?, (this_update = ? AND der = ?) FROM crls "
		"WHERE issuer_hash = ? ORDER BY this_update DESC, id DESC LIMIT 1 FOR UPDATE";
	static const char del[] = "DELETE FROM crls WHERE issuer_hash = ?";
	static const char ins[] =
		"INSERT INTO crls (ca_id, der, this_update, next_update, added_at, issuer_hash) "
		"VALUES (?, ?, ?, ?, UTC_TIMESTAMP(), ?)";
	struct db_param q[4] = { DB_STR(this_update), DB_STR(this_update), DB_BLOB(der, len),
	                         DB_STR(issuer_hash) };
	struct db_param d[1] = { DB_STR(issuer_hash) };
	struct db_param p[5] = {
		ca_id > 0 ? DB_INT(ca_id) : DB_NULLP, DB_BLOB(der, len), DB_STR(this_update),
		next_update && next_update[0] ? DB_STR(next_update) : DB_NULLP, DB_STR(issuer_hash),
	};
	long long cur[3] = { 0, 0, 0 };
	unsigned long long ins_id = 0;
	int rc;

	*id = 0;
	*changed = 0;
	if ((rc = db_begin(db)) != 0)
		return rc;
	if ((rc = db_query(db, newest, q, 4, ints_row, cur)) != 0)
		goto fail;
	if (cur[0] && (cur[1] || cur[2])) {     /* the stored one is newer, or the same */
		*id = cur[0];
		return db_commit(db);
	}
	if ((rc = db_exec(db, del, d, 1, NULL, NULL)) != 0 ||
	    (rc = db_exec(db, ins, p, 5, NULL, &ins_id)) != 0 ||
	    (rc = db_exec(db, sql_bump, NULL, 0, NULL, NULL)) != 0)
		goto fail;
	*id = (long long)ins_id;
	*changed = 1;
	return db_commit(db);
fail:
	db_rollback(db);
	return rc;
}

int trust_crl_source_add(struct db *db, const char *url, long long ca_id, const unsigned char *issuer_der,
                         size_t issuer_len, long long added_by, long long *id)
{
	static const char sql[] =
		"INSERT INTO crl_sources (url, ca_id, issuer_der, added_by, added_at, active) "
		"VALUES (?, ?, ?, ?, UTC_TIMESTAMP(), 1)";
	struct db_param p[4] = {
		DB_STR(url), ca_id > 0 ? DB_INT(ca_id) : DB_NULLP,
		issuer_len ? DB_BLOB(issuer_der, issuer_len) : DB_NULLP,
		added_by > 0 ? DB_INT(added_by) : DB_NULLP,
	};
	unsigned long long ins_id = 0;
	int rc = db_exec(db, sql, p, 4, NULL, &ins_id);
	*id = (long long)ins_id;
	return rc;
}

struct src_cb {
	int (*fn)(const struct trust_crl_source_row *s, void *arg);
	void *arg;
	int found;
};

static int src_row(const struct db_row *row, void *arg)
{
	struct src_cb *c = arg;
	struct trust_crl_source_row s = {
		.id = db_row_int(row, 0, 0), .url = S(1), .ca_id = db_row_int(row, 2, 0),
		.issuer_der = (const unsigned char *)row->val[3], .issuer_len = row->val[3] ? row->len[3] : 0,
		.added_at = S(4), .active = (int)db_row_int(row, 5, 0),
		.last_attempt_at = row->val[6], .last_success_at = row->val[7], .last_error = row->val[8],
		.last_crl_id = db_row_int(row, 9, 0), .last_issuer = row->val[10],
		.last_this_update = row->val[11], .last_next_update = row->val[12],
		.last_revoked_count = db_row_int(row, 13, -1),
	};
	c->found = 1;
	return c->fn(&s, c->arg);
}

#define SRC_COLS "id, url, ca_id, issuer_der, DATE_FORMAT(added_at, '%Y-%m-%d %H:%i:%s'), active, " \
	"DATE_FORMAT(last_attempt_at, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(last_success_at, '%Y-%m-%d %H:%i:%s'), " \
	"last_error, last_crl_id, last_issuer, DATE_FORMAT(last_this_update, '%Y-%m-%d %H:%i:%s'), " \
	"DATE_FORMAT(last_next_update, '%Y-%m-%d %H:%i:%s'), last_revoked_count FROM crl_sources "

int trust_crl_source_list(struct db *db, int active_only,
                          int (*fn)(const struct trust_crl_source_row *s, void *arg), void *arg)
{
	static const char all[] = "SELECT " SRC_COLS "ORDER BY id DESC";
	static const char act[] = "SELECT " SRC_COLS "WHERE active = 1 ORDER BY id DESC";
	struct src_cb c = { fn, arg, 0 };
	return db_query(db, active_only ? act : all, NULL, 0, src_row, &c);
}

int trust_crl_source_due(struct db *db, int minutes,
                         int (*fn)(const struct trust_crl_source_row *s, void *arg), void *arg)
{
	static const char sql[] = "SELECT " SRC_COLS
		"WHERE active = 1 AND (last_attempt_at IS NULL OR "
		"last_attempt_at <= UTC_TIMESTAMP() - INTERVAL ? MINUTE) ORDER BY id";
	struct src_cb c = { fn, arg, 0 };
	struct db_param p[1] = { DB_INT(minutes) };
	return db_query(db, sql, p, 1, src_row, &c);
}

int trust_crl_source_get(struct db *db, long long id,
                         int (*fn)(const struct trust_crl_source_row *s, void *arg), void *arg)
{
	static const char sql[] = "SELECT " SRC_COLS "WHERE id = ?";
	struct src_cb c = { fn, arg, 0 };
	struct db_param p[1] = { DB_INT(id) };
	int rc = db_query(db, sql, p, 1, src_row, &c);
	return rc < 0 ? rc : c.found ? 0 : 1;
}

int trust_crl_source_deactivate(struct db *db, long long id)
{
	static const char sql[] = "UPDATE crl_sources SET active = 0 WHERE id = ? AND active = 1";
	struct db_param p[1] = { DB_INT(id) };
	unsigned long long n = 0;
	int rc = db_exec(db, sql, p, 1, &n, NULL);
	return rc != 0 ? rc : n ? 0 : 1;
}

int trust_crl_source_result(struct db *db, long long id, const char *error, long long crl_id,
                            const char *issuer, const char *this_update, const char *next_update,
                            long long revoked_count)
{
	static const char ok[] =
		"UPDATE crl_sources SET last_attempt_at = UTC_TIMESTAMP(), last_success_at = UTC_TIMESTAMP(), "
		"last_error = NULL, last_crl_id = ?, last_issuer = ?, last_this_update = ?, "
		"last_next_update = ?, last_revoked_count = ? WHERE id = ?";
	static const char bad[] =
		"UPDATE crl_sources SET last_attempt_at = UTC_TIMESTAMP(), last_error = ? WHERE id = ?";
	if (error) {
		struct db_param p[2] = { DB_STRN(error, strnlen(error, 500)), DB_INT(id) };
		return db_exec(db, bad, p, 2, NULL, NULL);
	} else {
		struct db_param p[6] = {
			DB_INT(crl_id), DB_STRN(issuer, strnlen(issuer, 1000)), DB_STR(this_update),
			next_update && next_update[0] ? DB_STR(next_update) : DB_NULLP,
			DB_INT(revoked_count), DB_INT(id),
		};
		return db_exec(db, ok, p, 6, NULL, NULL);
	}
}

struct who {
	long long *id;
	char *path;
	size_t pathsz;
	int found;
};

static int who_row(const struct db_row *row, void *arg)
{
	struct who *w = arg;
	*w->id = db_row_int(row, 0, 0);
	snprintf(w->path, w->pathsz, "%s", S(1));
	w->found = 1;
	return 0;
}

int trust_officer_lookup(struct db *db, const char *username, long long *id, char *unit_path,
                         size_t pathsz)
{
	static const char sql[] =
		"SELECT o.id, u.path FROM officers o JOIN units u ON u.id = o.unit_id WHERE o.username = ?";
	struct db_param p[1] = { DB_STR(username) };
	struct who w = { id, unit_path, pathsz, 0 };
	int rc = db_query(db, sql, p, 1, who_row, &w);
	return rc < 0 ? rc : w.found ? 0 : 1;
}
