/* Results and their signatures: sql/011_results.sql (and officer_certificates, 010). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "result_store.h"

#define S(i) (row->val[i] ? row->val[i] : "")

static int int_row(const struct db_row *row, void *arg)
{
	*(long long *)arg = db_row_int(row, 0, 0);
	return 1;
}

int result_signature_required(struct db *db, long long procedure_id, int *required)
{
	static const char sql[] = "SELECT result_signature_required FROM procedures WHERE id = ?";
	struct db_param p[] = { DB_INT(procedure_id) };
	long long v = 1;
	int rc = db_query(db, sql, p, 1, int_row, &v);

	if (rc < 0)
		return rc;
	*required = v != 0;
	return 0;
}

int result_signature_required_set(struct db *db, long long procedure_id, int required)
{
	static const char sql[] = "UPDATE procedures SET result_signature_required = ? WHERE id = ?";
	struct db_param p[] = { DB_INT(required ? 1 : 0), DB_INT(procedure_id) };

	return db_exec(db, sql, p, 2, NULL, NULL);
}

static void hex_of(const char *bin, unsigned long len, char out[65])
{
	out[0] = '\0';
	if (!bin || len != 32)
		return;
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", (unsigned char)bin[i]);
}

static int result_row_cb(const struct db_row *row, void *arg)
{
	struct result_row *r = arg;

	r->id = db_row_int(row, 0, 0);
	r->dossier_id = db_row_int(row, 1, 0);
	hex_of(row->val[2], row->len[2], r->sha256);
	snprintf(r->file_name, sizeof r->file_name, "%s", S(3));
	r->size = (unsigned long long)db_row_int(row, 4, 0);
	snprintf(r->stage, sizeof r->stage, "%s", S(5));
	r->created_by = db_row_int(row, 6, 0);
	snprintf(r->created_at, sizeof r->created_at, "%s", S(7));
	snprintf(r->created_by_name, sizeof r->created_by_name, "%s", S(8));
	return 1;
}

int result_current(struct db *db, long long dossier_id, struct result_row *out)
{
	static const char sql[] =
		"SELECT r.id, r.dossier_id, r.file_sha256, r.file_name, r.size, r.stage, r.created_by, "
		"DATE_FORMAT(r.created_at, '%Y-%m-%d %H:%i:%s'), COALESCE(o.full_name, '') "
		"FROM dossier_results r LEFT JOIN officers o ON o.id = r.created_by "
		"WHERE r.dossier_id = ? ORDER BY r.id DESC LIMIT 1";
	struct db_param p[] = { DB_INT(dossier_id) };
	int rc;

	memset(out, 0, sizeof *out);
	rc = db_query(db, sql, p, 1, result_row_cb, out);
	if (rc < 0)
		return rc;
	return rc == 1 ? 0 : 1;
}

int result_add(struct db *db, long long dossier_id, const unsigned char sha256[32],
               const char *file_name, uint64_t size, const char *stage, long long officer_id,
               mc_time at, long long *id)
{
	static const char sql[] =
		"INSERT INTO dossier_results (dossier_id, file_sha256, file_name, size, stage, created_by, "
		"created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	char t[24];
	unsigned long long iid = 0;
	struct db_param p[7];
	int rc;

	time_format_db(at, t, sizeof t);
	p[0] = DB_INT(dossier_id);
	p[1] = DB_BLOB(sha256, 32);
	p[2] = DB_STR(file_name);
	p[3] = DB_INT((long long)size);
	p[4] = DB_STR(stage);
	p[5] = officer_id > 0 ? DB_INT(officer_id) : DB_NULLP;
	p[6] = DB_STR(t);
	rc = db_exec(db, sql, p, 7, NULL, &iid);
	if (id)
		*id = (long long)iid;
	return rc;
}

int report_put(struct db *db, const char *sha256_hex, long long dossier_id, const char *verdict,
               const char *report_json, mc_time at)
{
	static const char sql[] =
		"INSERT INTO signature_reports (sha256, dossier_id, verdict, report, verified_at) "
		"VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE dossier_id = VALUES(dossier_id), "
		"verdict = VALUES(verdict), report = VALUES(report), verified_at = VALUES(verified_at)";
	char t[24];
	struct db_param p[5];

	time_format_db(at, t, sizeof t);
	p[0] = DB_STR(sha256_hex);
	p[1] = dossier_id > 0 ? DB_INT(dossier_id) : DB_NULLP;
	p[2] = DB_STR(verdict);
	p[3] = DB_STR(report_json);
	p[4] = DB_STR(t);
	return db_exec(db, sql, p, 5, NULL, NULL);
}

static int report_row(const struct db_row *row, void *arg)
{
	struct stored_report *r = arg;

	snprintf(r->sha256, sizeof r->sha256, "%s", S(0));
	snprintf(r->dossier_code, sizeof r->dossier_code, "%s", S(1));
	snprintf(r->verdict, sizeof r->verdict, "%s", S(2));
	snprintf(r->verified_at, sizeof r->verified_at, "%s", S(3));
	r->report = strdup(S(4));
	return r->report ? 1 : DB_ERR;
}

int report_get(struct db *db, const char *sha256_hex, struct stored_report *out)
{
	static const char sql[] =
		"SELECT s.sha256, COALESCE(d.code, ''), s.verdict, "
		"DATE_FORMAT(s.verified_at, '%Y-%m-%d %H:%i:%s'), s.report "
		"FROM signature_reports s LEFT JOIN dossiers d ON d.id = s.dossier_id WHERE s.sha256 = ?";
	struct db_param p[] = { DB_STR(sha256_hex) };
	int rc;

	memset(out, 0, sizeof *out);
	rc = db_query(db, sql, p, 1, report_row, out);
	if (rc < 0)
		return rc;
	return rc == 1 ? 0 : 1;
}

/* ---------------------------------------------------------------- signing sessions */

int signing_session_put(struct db *db, const struct signing_session *s)
{
	static const char del[] = "DELETE FROM signing_sessions WHERE (officer_id = ? AND dossier_id = ?) "
	                          "OR expires_at < UTC_TIMESTAMP()";
	static const char ins[] =
		"INSERT INTO signing_sessions (id, officer_id, dossier_id, result_id, prepared, byte_range, "
		"contents_off, capacity, digest, signing_time, attrs, cert, chain, expires_at) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct db_param dp[] = { DB_INT(s->officer_id), DB_INT(s->dossier_id) };
	char br[96], t[24];
	struct db_param p[14];
	int rc;

	if ((rc = db_exec(db, del, dp, 2, NULL, NULL)) != 0)
		return rc;
	snprintf(br, sizeof br, "%" PRId64 " %" PRId64 " %" PRId64 " %" PRId64,
	         s->byte_range[0], s->byte_range[1], s->byte_range[2], s->byte_range[3]);
	time_format_db(s->expires_at, t, sizeof t);
	p[0] = DB_STR(s->id);
	p[1] = DB_INT(s->officer_id);
	p[2] = DB_INT(s->dossier_id);
	p[3] = DB_INT(s->result_id);
	p[4] = DB_BLOB(s->prepared, s->prepared_len);
	p[5] = DB_STR(br);
	p[6] = DB_INT((long long)s->contents_off);
	p[7] = DB_INT((long long)s->capacity);
	p[8] = DB_BLOB(s->digest, 32);
	p[9] = DB_INT(s->signing_time);
	p[10] = DB_BLOB(s->attrs, s->attrs_len);
	p[11] = DB_BLOB(s->cert, s->cert_len);
	p[12] = DB_STR(s->chain ? s->chain : "");
	p[13] = DB_STR(t);
	return db_exec(db, ins, p, 14, NULL, NULL);
}

static int dup_blob(const struct db_row *row, unsigned col, uint8_t **out, size_t *len)
{
	size_t n = row->val[col] ? row->len[col] : 0;

	*out = malloc(n + 1);           /* NUL-terminated, for text */
	if (!*out)
		return -1;
	if (n)
		memcpy(*out, row->val[col], n);
	(*out)[n] = 0;
	*len = n;
	return 0;
}

static int session_row(const struct db_row *row, void *arg)
{
	struct signing_session *s = arg;
	size_t chain_len = 0;
	uint8_t *chain = NULL;

	snprintf(s->id, sizeof s->id, "%s", S(0));
	s->officer_id = db_row_int(row, 1, 0);
	s->dossier_id = db_row_int(row, 2, 0);
	s->result_id = db_row_int(row, 3, 0);
	if (sscanf(S(5), "%" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64, &s->byte_range[0],
	           &s->byte_range[1], &s->byte_range[2], &s->byte_range[3]) != 4)
		return DB_ERR;
	s->contents_off = (size_t)db_row_int(row, 6, 0);
	s->capacity = (size_t)db_row_int(row, 7, 0);
	if (!row->val[8] || row->len[8] != 32)
		return DB_ERR;
	memcpy(s->digest, row->val[8], 32);
	s->signing_time = db_row_int(row, 9, 0);
	s->expires_at = time_from_db(row->val[13]);
	if (dup_blob(row, 4, &s->prepared, &s->prepared_len) != 0 ||
	    dup_blob(row, 10, &s->attrs, &s->attrs_len) != 0 ||
	    dup_blob(row, 11, &s->cert, &s->cert_len) != 0 ||
	    dup_blob(row, 12, &chain, &chain_len) != 0)
		return DB_ERR;
	s->chain = (char *)chain;
	return 1;
}

int signing_session_get(struct db *db, const char *id, long long officer_id, long long dossier_id,
                        struct signing_session *s)
{
	static const char sql[] =
		"SELECT id, officer_id, dossier_id, result_id, prepared, byte_range, contents_off, capacity, "
		"digest, signing_time, attrs, cert, chain, "
		"DATE_FORMAT(expires_at, '%Y-%m-%d %H:%i:%s') "
		"FROM signing_sessions WHERE id = ? AND officer_id = ? AND dossier_id = ?";
	struct db_param p[] = { DB_STR(id), DB_INT(officer_id), DB_INT(dossier_id) };
	int rc;

	memset(s, 0, sizeof *s);
	rc = db_query(db, sql, p, 3, session_row, s);
	if (rc < 0) {
		signing_session_free(s);
		return rc;
	}
	if (rc != 1) {
		signing_session_free(s);
		return 1;
	}
	return 0;
}

int signing_session_delete(struct db *db, const char *id)
{
	static const char sql[] = "DELETE FROM signing_sessions WHERE id = ?";
	struct db_param p[] = { DB_STR(id) };

	return db_exec(db, sql, p, 1, NULL, NULL);
}

int signing_sessions_purge(struct db *db, mc_time now, unsigned long long *deleted)
{
	static const char sql[] = "DELETE FROM signing_sessions WHERE expires_at < ?";
	char t[24];
	struct db_param p[1];

	time_format_db(now, t, sizeof t);
	p[0] = DB_STR(t);
	*deleted = 0;
	return db_exec(db, sql, p, 1, deleted, NULL);
}

void signing_session_free(struct signing_session *s)
{
	free(s->prepared);
	free(s->attrs);
	free(s->cert);
	free(s->chain);
	s->prepared = s->attrs = s->cert = NULL;
	s->chain = NULL;
}

/* ---------------------------------------------------------------- registered certificates */

static int owner_row(const struct db_row *row, void *arg)
{
	struct cert_owner *o = arg;

	o->officer_id = db_row_int(row, 0, 0);
	snprintf(o->username, sizeof o->username, "%s", S(1));
	snprintf(o->full_name, sizeof o->full_name, "%s", S(2));
	snprintf(o->roles, sizeof o->roles, "%s", S(3));
	return 1;
}

int certificate_owner(struct db *db, const char *sha256_hex, struct cert_owner *out)
{
	static const char sql[] =
		"SELECT o.id, o.username, o.full_name, o.roles FROM officer_certificates c "
		"JOIN officers o ON o.id = c.officer_id WHERE c.sha256 = ? AND c.active = 1";
	struct db_param p[] = { DB_STR(sha256_hex) };
	int rc;

	memset(out, 0, sizeof *out);
	rc = db_query(db, sql, p, 1, owner_row, out);
	if (rc < 0)
		return rc;
	return rc == 1 ? 0 : 1;
}
