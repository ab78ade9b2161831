#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "submission_store.h"

struct id_code { long long id; char *code; int found; };

static int id_code_cb(const struct db_row *r, void *arg)
{
	struct id_code *o = arg;

	o->id = db_row_int(r, 0, 0);
	snprintf(o->code, 33, "%s", r->val[1] ? r->val[1] : "");
	o->found = 1;
	return 0;
}

int unit_offering(struct db *db, const char *unit_code, long long procedure_id,
                  long long *unit_id, char code[33])
{
	static const char sql[] =
		"SELECT u.id, u.code FROM units u JOIN procedures p ON p.id = ? "
		"WHERE u.code = ? AND ((u.level IN ('province','department') AND p.level_province = 1) "
		"OR (u.level = 'district' AND p.level_district = 1) "
		"OR (u.level = 'commune' AND p.level_commune = 1))";
	struct db_param p[] = { DB_INT(procedure_id), DB_STR(unit_code) };
	struct id_code o = { 0, code, 0 };
	int rc = db_query(db, sql, p, 2, id_code_cb, &o);

	if (rc != 0)
		return rc;
	*unit_id = o.id;
	return o.found ? 0 : 1;
}

int dossier_set_citizen(struct db *db, long long dossier_id, long long citizen_id)
{
	static const char sql[] = "UPDATE dossiers SET citizen_id = ? WHERE id = ?";
	struct db_param p[] = { DB_INT(citizen_id), DB_INT(dossier_id) };

	return db_exec(db, sql, p, 2, NULL, NULL);
}

int file_record(struct db *db, const unsigned char sha256[32], uint64_t size, const char *type)
{
	static const char sql[] =
		"INSERT IGNORE INTO files (sha256, size, detected_type, first_stored_at) "
		"VALUES (?, ?, ?, UTC_TIMESTAMP())";
	struct db_param p[] = { DB_BLOB(sha256, 32), DB_INT(size), DB_STR(type) };

	return db_exec(db, sql, p, 3, NULL, NULL);
}

int dossier_document_insert_file(struct db *db, const struct document_file *f)
{
	static const char sql[] =
		"INSERT INTO dossier_documents (dossier_id, seq, name, originals, copies, paper_only, "
		"file_sha256, file_name, file_type, file_size, uploaded_at, uploaded_by) "
		"VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)";
	char at[24];
	struct db_param p[11];

	time_format_db(f->uploaded_at, at, sizeof at);
	p[0] = DB_INT(f->dossier_id);
	p[1] = DB_INT(f->seq);
	p[2] = DB_STR(f->name);
	p[3] = DB_INT(f->originals);
	p[4] = DB_INT(f->copies);
	p[5] = DB_BLOB(f->sha256, 32);
	p[6] = DB_STR(f->file_name);
	p[7] = DB_STR(f->file_type);
	p[8] = DB_INT(f->file_size);
	p[9] = DB_STR(at);
	p[10] = DB_STR(f->uploaded_by);
	return db_exec(db, sql, p, 11, NULL, NULL);
}

struct file_out { struct stored_document_file *f; int found; };

static int file_cb(const struct db_row *r, void *arg)
{
	struct file_out *o = arg;

	if (r->val[0] == NULL || r->len[0] != 64)
		return 0;
	memcpy(o->f->hex, r->val[0], 64);
	o->f->hex[64] = '\0';
	snprintf(o->f->name, sizeof o->f->name, "%s", r->val[1] ? r->val[1] : "");
	snprintf(o->f->type, sizeof o->f->type, "%s", r->val[2] ? r->val[2] : "");
	o->f->size = (uint64_t)db_row_int(r, 3, 0);
	o->found = 1;
	return 0;
}

int dossier_document_file(struct db *db, long long dossier_id, int seq,
                          struct stored_document_file *out)
{
	static const char sql[] =
		"SELECT LOWER(HEX(file_sha256)), file_name, file_type, file_size FROM dossier_documents "
		"WHERE dossier_id = ? AND seq = ? AND file_sha256 IS NOT NULL";
	struct db_param p[] = { DB_INT(dossier_id), DB_INT(seq) };
	struct file_out o = { out, 0 };
	int rc = db_query(db, sql, p, 2, file_cb, &o);

	if (rc != 0)
		return rc;
	return o.found ? 0 : 1;
}

int idem_claim(struct db *db, const char *key, const char *scope,
               const unsigned char request_hash[32])
{
	static const char sql[] =
		"INSERT INTO idempotency_keys (idem_key, scope, request_hash, created_at) "
		"VALUES (?, ?, ?, UTC_TIMESTAMP())";
	/* a key answers retries for a day; the stored answer holds the receipt secret, so it
	 * is not kept longer than retries need it */
	static const char purge_sql[] =
		"DELETE FROM idempotency_keys WHERE created_at < UTC_TIMESTAMP() - INTERVAL 1 DAY LIMIT 100";
	struct db_param p[] = { DB_STR(key), DB_STR(scope), DB_BLOB(request_hash, 32) };
	int rc;

	if ((rc = db_exec(db, purge_sql, NULL, 0, NULL, NULL)) != 0)
		return rc;
	rc = db_exec(db, sql, p, 3, NULL, NULL);
	return rc == DB_ERR_DUP ? 1 : rc;
}

struct idem_out { const unsigned char *want; int *same; char *resp; size_t respsz; int found; };

static int idem_cb(const struct db_row *r, void *arg)
{
	struct idem_out *o = arg;

	*o->same = r->len[0] == 32 && memcmp(r->val[0], o->want, 32) == 0;
	snprintf(o->resp, o->respsz, "%s", r->val[1] ? r->val[1] : "");
	o->found = 1;
	return 0;
}

int idem_read(struct db *db, const char *key, const char *scope,
              const unsigned char request_hash[32], int *same, char *response, size_t respsz)
{
	static const char sql[] =
		"SELECT request_hash, response FROM idempotency_keys WHERE idem_key = ? AND scope = ?";
	struct db_param p[] = { DB_STR(key), DB_STR(scope) };
	struct idem_out o = { request_hash, same, response, respsz, 0 };
	int rc;

	*same = 0;
	response[0] = '\0';
	if ((rc = db_query(db, sql, p, 2, idem_cb, &o)) != 0)
		return rc;
	return o.found ? 0 : 1;
}

int idem_complete(struct db *db, const char *key, const char *scope, long long dossier_id,
                  const char *response)
{
	static const char sql[] =
		"UPDATE idempotency_keys SET dossier_id = ?, response = ? WHERE idem_key = ? AND scope = ?";
	struct db_param p[] = { DB_INT(dossier_id), DB_STR(response), DB_STR(key), DB_STR(scope) };

	return db_exec(db, sql, p, 4, NULL, NULL);
}

static int flag_cb(const struct db_row *r, void *arg)
{
	*(long long *)arg = db_row_int(r, 0, 0);
	return 0;
}

int file_referenced(struct db *db, const char *hex)
{
	static const char sql[] =
		"SELECT EXISTS(SELECT 1 FROM dossier_documents WHERE file_sha256 = UNHEX(?)) "
		"OR EXISTS(SELECT 1 FROM submission_draft_files WHERE file_sha256 = UNHEX(?))";
	struct db_param p[] = { DB_STR(hex), DB_STR(hex) };
	long long v = 0;
	int rc = db_query(db, sql, p, 2, flag_cb, &v);

	return rc != 0 ? rc : v != 0;
}

static int name_cb(const struct db_row *r, void *arg)
{
	struct { char *s; size_t n; int found; } *o = arg;

	snprintf(o->s, o->n, "%s", r->val[0] ? r->val[0] : "");
	o->found = 1;
	return 0;
}

/* The document's name, locked with the dossier's transaction; 0 found, 1 none. */
static int document_name(struct db *db, long long dossier_id, int seq, char *name, size_t namesz)
{
	static const char sql[] =
		"SELECT name FROM dossier_documents WHERE dossier_id = ? AND seq = ? FOR UPDATE";
	struct db_param p[] = { DB_INT(dossier_id), DB_INT(seq) };
	struct { char *s; size_t n; int found; } o = { name, namesz, 0 };
	int rc = db_query(db, sql, p, 2, name_cb, &o);

	return rc != 0 ? rc : o.found ? 0 : 1;
}

int dossier_document_set_file(struct db *db, long long dossier_id, int seq,
                              const unsigned char sha256[32], const char *file_name,
                              const char *file_type, uint64_t file_size, mc_time at,
                              const char *by, char *doc_name, size_t namesz)
{
	static const char sql[] =
		"UPDATE dossier_documents SET file_sha256 = ?, file_name = ?, file_type = ?, "
		"file_size = ?, uploaded_at = ?, uploaded_by = ?, paper_only = 0 "
		"WHERE dossier_id = ? AND seq = ?";
	char t[24];
	struct db_param p[8];
	int rc;

	if ((rc = document_name(db, dossier_id, seq, doc_name, namesz)) != 0)
		return rc;
	time_format_db(at, t, sizeof t);
	p[0] = DB_BLOB(sha256, 32);
	p[1] = DB_STR(file_name);
	p[2] = DB_STR(file_type);
	p[3] = DB_INT(file_size);
	p[4] = DB_STR(t);
	p[5] = DB_STR(by);
	p[6] = DB_INT(dossier_id);
	p[7] = DB_INT(seq);
	return db_exec(db, sql, p, 8, NULL, NULL);
}

int dossier_document_set_paper_only(struct db *db, long long dossier_id, int seq, int paper_only,
                                    char *doc_name, size_t namesz)
{
	static const char sql[] =
		"UPDATE dossier_documents SET paper_only = ? WHERE dossier_id = ? AND seq = ?";
	struct db_param p[] = { DB_INT(paper_only), DB_INT(dossier_id), DB_INT(seq) };
	int rc;

	if ((rc = document_name(db, dossier_id, seq, doc_name, namesz)) != 0)
		return rc;
	return db_exec(db, sql, p, 3, NULL, NULL);
}

static int seq_cb(const struct db_row *r, void *arg)
{
	*(int *)arg = (int)db_row_int(r, 0, 0);
	return 0;
}

int dossier_document_add_extra(struct db *db, long long dossier_id, const char *name,
                               const unsigned char sha256[32], const char *file_name,
                               const char *file_type, uint64_t file_size, mc_time at,
                               const char *by, int *seq)
{
	/* the dossier row is locked by the caller, so no one else numbers its documents now */
	static const char next_sql[] =
		"SELECT COALESCE(MAX(seq), 0) + 1 FROM dossier_documents WHERE dossier_id = ?";
	struct db_param p[] = { DB_INT(dossier_id) };
	struct document_file f;
	int rc;

	*seq = 0;
	if ((rc = db_query(db, next_sql, p, 1, seq_cb, seq)) != 0)
		return rc;
	if (*seq < 1)
		return DB_ERR;
	f = (struct document_file){
		.dossier_id = dossier_id, .seq = *seq, .name = name, .originals = 0, .copies = 0,
		.sha256 = sha256, .file_name = file_name, .file_type = file_type, .file_size = file_size,
		.uploaded_at = at, .uploaded_by = by,
	};
	return dossier_document_insert_file(db, &f);
}

int draft_insert(struct db *db, const char *id, long long citizen_id, const unsigned char *guest_hash,
                 long long procedure_id, const char *case_name, const char *form_json)
{
	static const char sql[] =
		"INSERT INTO submission_drafts (id, citizen_id, guest_token_hash, procedure_id, case_name, "
		"form_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())";
	struct db_param p[] = {
		DB_STR(id), citizen_id ? DB_INT(citizen_id) : DB_NULLP,
		guest_hash ? DB_BLOB(guest_hash, 32) : DB_NULLP, DB_INT(procedure_id), DB_STR(case_name),
		DB_STR(form_json),
	};

	return db_exec(db, sql, p, 6, NULL, NULL);
}

int draft_file_insert(struct db *db, const char *draft_id, int seq, const unsigned char sha256[32],
                      const char *file_name)
{
	static const char sql[] =
		"INSERT INTO submission_draft_files (draft_id, seq, file_sha256, file_name) VALUES (?, ?, ?, ?)";
	struct db_param p[] = { DB_STR(draft_id), DB_INT(seq), DB_BLOB(sha256, 32), DB_STR(file_name) };

	return db_exec(db, sql, p, 4, NULL, NULL);
}

struct draft_out { struct draft_row *d; int found; };

static int draft_cb(const struct db_row *r, void *arg)
{
	struct draft_out *o = arg;

	o->d->citizen_id = db_row_int(r, 0, 0);
	if (r->val[1] && r->len[1] == 32) {
		memcpy(o->d->guest_hash, r->val[1], 32);
		o->d->has_guest_hash = 1;
	}
	free(o->d->form_json);
	o->d->form_json = strdup(r->val[2] ? r->val[2] : "{}");
	snprintf(o->d->created_at, sizeof o->d->created_at, "%s", r->val[3] ? r->val[3] : "");
	snprintf(o->d->updated_at, sizeof o->d->updated_at, "%s", r->val[4] ? r->val[4] : "");
	o->found = o->d->form_json != NULL;
	return o->found ? 0 : DB_ERR;
}

int draft_load(struct db *db, const char *id, struct draft_row *out)
{
	static const char sql[] =
		"SELECT citizen_id, guest_token_hash, form_json, created_at, updated_at "
		"FROM submission_drafts WHERE id = ?";
	struct db_param p[] = { DB_STR(id) };
	struct draft_out o = { out, 0 };
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = db_query(db, sql, p, 1, draft_cb, &o)) != 0) {
		free(out->form_json);
		out->form_json = NULL;
		return rc;
	}
	return o.found ? 0 : 1;
}

struct dfiles { int (*fn)(const struct draft_file_row *f, void *arg); void *arg; };

static int dfile_cb(const struct db_row *r, void *arg)
{
	struct dfiles *d = arg;
	struct draft_file_row f = {
		(int)db_row_int(r, 0, 0), r->val[1], r->val[2], r->val[3],
		(unsigned long long)db_row_int(r, 4, 0),
	};

	return d->fn(&f, d->arg);
}

int draft_files(struct db *db, const char *id,
                int (*fn)(const struct draft_file_row *f, void *arg), void *arg)
{
	static const char sql[] =
		"SELECT df.seq, LOWER(HEX(df.file_sha256)), df.file_name, f.detected_type, f.size "
		"FROM submission_draft_files df JOIN files f ON f.sha256 = df.file_sha256 "
		"WHERE df.draft_id = ? ORDER BY df.seq";
	struct db_param p[] = { DB_STR(id) };
	struct dfiles d = { fn, arg };

	return db_query(db, sql, p, 1, dfile_cb, &d);
}

int draft_delete(struct db *db, const char *id)
{
	static const char sql[] = "DELETE FROM submission_drafts WHERE id = ?";
	struct db_param p[] = { DB_STR(id) };

	return db_exec(db, sql, p, 1, NULL, NULL);
}
