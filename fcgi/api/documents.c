/*
 * A dossier's documents at the desk:
 *   POST  /api/v1/dossiers/{code}/documents/{seq}/file   attach a scan (multipart, one
 *                                                        part "file"; If-Match)
 *   PATCH /api/v1/dossiers/{code}/documents/{seq}        {paper_only} (If-Match)
 *   GET   /api/v1/dossiers/{code}/documents/{seq}/file   the file, for officers in scope
 *
 * A change is a change of the dossier: one transaction locks the row, checks the version,
 * changes the document, bumps the version and appends a 'digitize' event to the history
 * (the history's length must keep matching the version). The scan enters the file store
 * only after COMMIT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/db.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/params.h"
#include "core/upload.h"
#include "domain/filetype.h"
#include "domain/workflow.h"
#include "store/dossier_store.h"
#include "store/history_store.h"
#include "store/officer_store.h"
#include "store/submission_store.h"
#include "api.h"

#define TX_RETRIES 3

/* The {seq} segment; 0 after answering 400. */
static int seq_arg(struct http_req *r)
{
	char *end;
	long seq = strtol(r->args[1], &end, 10);

	if (*end || end == r->args[1] || seq < 1 || seq > 1000) {
		params_reject(r, "seq", "a document number from 1 to 1000");
		return 0;
	}
	return (int)seq;
}

struct doc_change {
	int seq;
	/* UP: the file; PATCH: paper_only */
	const struct upload_file *file;
	int paper_only;
	char doc_name[2001];
};

static int apply_change(struct http_req *r, long long dossier_id, const struct officer *me,
                        struct doc_change *c, mc_time now)
{
	if (c->file) {
		unsigned char sha[32];
		int rc;
		for (int i = 0; i < 32; i++) {
			unsigned v;
			if (sscanf(c->file->sha256 + 2 * i, "%2x", &v) != 1)
				return DB_ERR;
			sha[i] = (unsigned char)v;
		}
		if ((rc = file_record(r->db, sha, c->file->size, ft_name(c->file->type))) != 0)
			return rc;
		return dossier_document_set_file(r->db, dossier_id, c->seq, sha, c->file->name,
		                                 ft_name(c->file->type), c->file->size, now,
		                                 me->username, c->doc_name, sizeof c->doc_name);
	}
	return dossier_document_set_paper_only(r->db, dossier_id, c->seq, c->paper_only,
	                                       c->doc_name, sizeof c->doc_name);
}

/* Runs the change in its transaction and answers. u: the upload to commit, or NULL. */
static void change_document(struct http_req *r, const struct officer *me, long long want,
                            struct doc_change *c, struct upload *u)
{
	int rc = 0;

	for (int attempt = 0; attempt < TX_RETRIES; attempt++) {
		struct dossier_row d;
		struct history_append ev;
		char note[2200];
		mc_time now = time(NULL);

		if ((rc = db_begin(r->db)) != 0)
			break;
		if ((rc = dossier_lock(r->db, r->args[0], me->unit_path, &d)) != 0) {
			db_rollback(r->db);
			if (rc == 1) {
				http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
				             "No dossier with that code in your units.", "code");
				return;
			}
			break;
		}
		if (d.version != (unsigned long long)want) {
			char detail[160];
			db_rollback(r->db);
			snprintf(detail, sizeof detail, "The dossier is at version %u, not %lld: reload it.",
			         d.version, want);
			http_problem(r, 412, "version_mismatch", "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại",
			             detail, "If-Match");
			return;
		}
		if ((rc = apply_change(r, d.id, me, c, now)) != 0) {
			db_rollback(r->db);
			if (rc == 1) {
				http_problem(r, 404, "document_not_found", "Hồ sơ không có thành phần này",
				             "The dossier has no document with that number.", "seq");
				return;
			}
			if (rc == DB_ERR_RETRY)
				continue;
			break;
		}
		if (c->file)
			snprintf(note, sizeof note, "Số hóa thành phần hồ sơ: %s", c->doc_name);
		else
			snprintf(note, sizeof note, "%s: %s", c->paper_only ? "Chỉ có bản giấy" : "Không chỉ có bản giấy",
			         c->doc_name);
		ev = (struct history_append){
			.dossier_id = d.id, .dossier_code = d.code, .at = now, .action = "digitize",
			.from_state = d.state, .to_state = d.state, .unit_id = d.current_unit_id,
			.unit_code = d.current_unit_code, .step_seq = d.current_step > 0 ? d.current_step : -1,
			.step_name = "", .actor = me->username, .note = note, .due_at = 0,
		};
		if ((rc = dossier_save(r->db, &d, NULL, NULL, 0)) != 0 ||
		    (rc = history_append(r->db, &ev)) != 0 || (rc = db_commit(r->db)) != 0) {
			db_rollback(r->db);
			if (rc == DB_ERR_RETRY)
				continue;
			rc = rc < 0 ? rc : DB_ERR;
			break;
		}
		if (u)
			upload_commit_files(u);
		{
			struct json_object *o = json_object_new_object();
			json_put_str(o, "code", d.code);
			json_put_int(o, "version", d.version + 1);
			json_put_int(o, "seq", c->seq);
			json_put_str(o, "name", c->doc_name);
			if (c->file)
				json_put_bool(o, "digitized", 1);
			json_put_bool(o, "paper_only", c->file ? 0 : c->paper_only);
			http_json(r, 200, o);
		}
		return;
	}
	api_db_error(r, rc);
}

static long long need_if_match(struct http_req *r)
{
	long long want = api_if_match_version(r);

	if (want < 0)
		http_problem(r, 428, "precondition_required", "Thiếu phiên bản hồ sơ (If-Match)",
		             "Send If-Match with the dossier version you acted on.", "If-Match");
	return want;
}

static const struct upload_spec scan_spec[] = {
	{ "file", UP_FILE, 1, PT_TEXT, 0, 0, 0, NULL, NULL, 0, 1, 0 },
};

void api_dossier_document_upload(struct http_req *r)
{
	struct officer me;
	struct upload_limits lim;
	struct upload *u = NULL;
	struct doc_change c;
	long long want;

	memset(&c, 0, sizeof c);
	if (api_officer(r, ROLE_BIT(ROLE_DESK), &me) != 0 || (c.seq = seq_arg(r)) == 0 ||
	    (want = need_if_match(r)) < 0) {
		api_drain_body(r);
		return;
	}
	upload_limits_default(&lim, r->cfg);
	if (upload_parse(r, &lim, scan_spec, 1, &u) != 0)
		return;
	c.file = &u->files[0];
	change_document(r, &me, want, &c, u);
	upload_free(u);         /* deletes the scan if it was not committed */
}

enum { P_PAPER_ONLY, P__MAX };

static const struct jin_spec patch_spec[P__MAX] = {
	[P_PAPER_ONLY] = { "paper_only", JIN_BOOL, 1, 0, 0, 0, 0, NULL, NULL },
};

void api_dossier_document_update(struct http_req *r)
{
	struct officer me;
	struct jin in;
	struct doc_change c;
	long long want;

	memset(&in, 0, sizeof in);
	if (api_officer(r, ROLE_BIT(ROLE_DESK), &me) != 0)
		return;
	memset(&c, 0, sizeof c);
	if ((c.seq = seq_arg(r)) == 0 || (want = need_if_match(r)) < 0)
		return;
	if (json_body_parse(r, 4096, patch_spec, P__MAX, &in) == 0) {
		c.paper_only = in.v[P_PAPER_ONLY].i != 0;
		change_document(r, &me, want, &c, NULL);
	}
	jin_free(&in);
}

void api_dossier_document_file(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct dossier_row d;
	int seq, rc;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	if ((seq = seq_arg(r)) == 0)
		return;
	if ((rc = dossier_find(r->db, r->args[0], me.unit_path, &d)) != 0) {
		if (rc == 1)
			http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
			             "No dossier with that code in your units.", "code");
		else
			api_db_error(r, rc);
		return;
	}
	api_send_document_file(r, d.id, seq);
}
