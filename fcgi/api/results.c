/*
 * Results of dossiers and their digital signatures (DOMAIN.md "Digital signatures"):
 *   POST /api/v1/dossiers/{code}/result                 specialist, leader: the result file
 *                                                       (multipart, one PDF part "file")
 *   GET  /api/v1/dossiers/{code}/result                 officers in scope: the current result,
 *                                                       its stored verification, and whether
 *                                                       the one asking may approve it
 *   GET  /api/v1/dossiers/{code}/result.pdf             officers in scope: the file
 *   POST /api/v1/dossiers/{code}/result/sign/prepare    leader: {certificate, chain} ->
 *                                                       {session, to_be_signed, digest, signing_time}
 *   POST /api/v1/dossiers/{code}/result/sign/complete   leader: {session, signature | cms}
 *   POST /api/v1/dossiers/{code}/result/seal            clerk: the organization's seal
 *   GET  /api/v1/signatures/stored/{sha256}             anyone: the stored verification of a file
 *   GET  /api/v1/tracking/{code}/result?pin=            the applicant: the result's facts
 *   GET  /api/v1/tracking/{code}/result.pdf?pin=        the applicant: the result file
 *   GET  /api/v1/tracking/{code}/result-slip.pdf?pin=   the applicant, and officers in scope at
 *   GET  /api/v1/dossiers/{code}/result-slip.pdf        .../dossiers/: the verification slip
 *                                                       (the file's SHA-256, its signers, and
 *                                                       the QR code of the public page)
 *
 * Every file the server stores as a result is verified first with the shared verifier
 * (api_signature_report_pdf) and the report kept by the file's SHA-256, which the public
 * page /xac-minh.html?sha256=... shows. Each signing step is an incremental update
 * (sig/pdfsign.h), so the leader's signature stays valid under the seal.
 *
 * The leader's approval (the workflow's resolve) of an electronic result (result channel
 * "online") whose procedure requires a signature needs a current result whose signatures
 * verify and one of which is registered to that leader (api_result_approval, called by
 * api/dossiers.c). Paper results (at the desk, by post) are signed by hand.
 *
 * Each stored revision (upload, signature, seal) is also an event of the dossier's
 * hash-chained history and a new version of the dossier, in the transaction that stores
 * it: result_upload, result_sign, result_seal (domain/action.c), with the officer as actor
 * and in the note the file's SHA-256 and, for a signature, the signer's name and the
 * certificate's serial number. An If-Match sent with them is checked (412 when stale);
 * it is optional, since the signing tool acts outside the page. Only result_sign reaches
 * the public timeline, as "Kết quả đã được ký số" (unit and time, no names).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/db.h"
#include "core/filestore.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/log.h"
#include "core/params.h"
#include "core/upload.h"
#include "domain/action.h"
#include "domain/dossier_state.h"
#include "domain/filetype.h"
#include "domain/timeutil.h"
#include "domain/workflow.h"
#include "forms/forms.h"
#include "sig/pdfsign.h"
#include "store/dossier_store.h"
#include "store/history_store.h"
#include "store/officer_store.h"
#include "store/result_store.h"
#include "store/submission_store.h"
#include "api.h"

#define RESULT_MAX_FILE (20ull * 1024 * 1024)
#define SESSION_SECONDS (10 * 60)
#define TX_RETRIES 3

/* ---------------------------------------------------------------- small helpers */

static void hex_encode(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Standard base64 (what token plug-ins speak), malloc'd and NUL-terminated. */
static char *b64_encode(const unsigned char *d, size_t n)
{
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	if (out)
		EVP_EncodeBlock((unsigned char *)out, d, (int)n);
	return out;
}

/* Decodes standard base64 (no line breaks); *out malloc'd. 0, or -1 if it is not base64. */
static int b64_decode(const char *s, size_t len, unsigned char **out, size_t *outlen)
{
	unsigned char *buf;
	int n, pad = 0;

	*out = NULL;
	if (len == 0 || len % 4 != 0)
		return -1;
	if ((buf = malloc(len / 4 * 3 + 1)) == NULL)
		return -1;
	n = EVP_DecodeBlock(buf, (const unsigned char *)s, (int)len);
	if (n < 0) {
		free(buf);
		return -1;
	}
	if (s[len - 1] == '=')
		pad++;
	if (s[len - 2] == '=')
		pad++;
	*out = buf;
	*outlen = (size_t)n - (size_t)pad;
	return 0;
}

/* Reads a stored file whole (at most RESULT_MAX_FILE); *buf malloc'd. 0 or -1. */
static int read_stored(const struct config *cfg, const char *hex, unsigned char **buf, size_t *len)
{
	enum fs_error err;
	uint64_t size = 0;
	int fd = filestore_open(cfg->files_dir, hex, &size, &err);
	size_t got = 0;

	*buf = NULL;
	if (fd < 0)
		return -1;
	if (size > RESULT_MAX_FILE || (*buf = malloc(size ? size : 1)) == NULL) {
		close(fd);
		return -1;
	}
	while (got < size) {
		ssize_t n = read(fd, *buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != size) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	*len = got;
	return 0;
}

static int read_path(const char *path, unsigned char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long size;

	*buf = NULL;
	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || (uint64_t)size > RESULT_MAX_FILE ||
	    fseek(f, 0, SEEK_SET) != 0 || (*buf = malloc((size_t)size + 1)) == NULL ||
	    fread(*buf, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		free(*buf);
		*buf = NULL;
		return -1;
	}
	fclose(f);
	*len = (size_t)size;
	return 0;
}

/* The dossier of the path in the officer's scope; 0, or -1 after answering. */
static int scoped_dossier(struct http_req *r, const struct officer *me, struct dossier_row *d)
{
	int rc;

	api_code_upper(r);
	if ((rc = dossier_find(r->db, r->args[0], me->unit_path, d)) != 0) {
		if (rc == 1)
			http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
			             "No dossier with that code in your units.", "code");
		else
			api_db_error(r, rc);
		return -1;
	}
	return 0;
}

/* The dossier is in processing at the last step of its process: 0, or -1 after answering. */
static int at_last_step(struct http_req *r, const struct dossier_row *d)
{
	struct procedure_info pi;
	int rc;

	if (strcmp(d->state, "processing") != 0) {
		http_problem(r, 409, "invalid_state", "Hồ sơ không ở trạng thái đang giải quyết",
		             "The result can be changed only while the dossier is processing.", "code");
		return -1;
	}
	if ((rc = procedure_info_load_id(r->db, d->procedure_id, &pi)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return -1;
	}
	if (pi.nsteps > 0 && d->current_step != pi.nsteps) {
		http_problem(r, 409, "not_at_step", "Hồ sơ chưa đến bước cuối của quy trình",
		             "The result belongs to the last step of the process.", "code");
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- reports */

static const char *report_verdict(struct json_object *rep)
{
	struct json_object *v;

	return json_object_object_get_ex(rep, "verdict", &v) ? json_object_get_string(v) : "invalid";
}

/* Each signature gains "registered_officer": {username, full_name, unit, roles} or null: whose certificate it
 * is, as registered when the file was stored. Officers' names are public facts. */
static int annotate_officers(struct db *db, struct json_object *rep)
{
	struct json_object *sigs, *fname;
	int rc;

	if (json_object_object_get_ex(rep, "file_name", &fname))
		json_object_object_add(rep, "file_name", json_object_new_string(""));
	if (!json_object_object_get_ex(rep, "signatures", &sigs))
		return 0;
	for (size_t i = 0; i < json_object_array_length(sigs); i++) {
		struct json_object *s = json_object_array_get_idx(sigs, i), *signer, *sha;
		struct cert_owner o;
		struct json_object *reg = NULL;
		if (json_object_object_get_ex(s, "signer", &signer) && signer &&
		    json_object_object_get_ex(signer, "cert_sha256", &sha)) {
			rc = certificate_owner(db, json_object_get_string(sha), &o);
			if (rc < 0)
				return rc;
			if (rc == 0) {
				/* the shape of POST /signatures/verify's registered_officer,
				 * plus the roles the officer had */
				struct json_object *prev = NULL;
				if (json_object_object_get_ex(s, "registered_officer", &prev) && prev)
					reg = json_object_get(prev);
				else {
					reg = json_object_new_object();
					json_put_str(reg, "username", o.username);
					json_put_str(reg, "full_name", o.full_name);
				}
				json_put_str(reg, "roles", o.roles);
			}
		}
		json_object_object_add(s, "registered_officer", reg);
	}
	return 0;
}

/*
 * Why the report does not show an approved leader's signature, or NULL if it does.
 * leader_id > 0: the signature must be registered to that officer; 0: to any leader.
 * why is filled ("signature_invalid:<reason>" and the like).
 */
static const char *approval_problem(struct db *db, struct json_object *rep, long long leader_id,
                                    char *why, size_t whysz, int *dberr)
{
	struct json_object *sigs, *reason;
	size_t n = 0;
	int other = 0;

	*dberr = 0;
	if (json_object_object_get_ex(rep, "signatures", &sigs))
		n = json_object_array_length(sigs);
	if (n == 0) {
		snprintf(why, whysz, "not_signed");
		return "not_signed";
	}
	if (strcmp(report_verdict(rep), "invalid") == 0) {
		const char *rs = "invalid";
		/* the first failing check of the first invalid signature */
		for (size_t i = 0; i < n; i++) {
			struct json_object *s = json_object_array_get_idx(sigs, i), *checks, *v;
			if (!json_object_object_get_ex(s, "verdict", &v) ||
			    strcmp(json_object_get_string(v), "invalid") != 0)
				continue;
			if (json_object_object_get_ex(s, "checks", &checks))
				for (size_t k = 0; k < json_object_array_length(checks); k++) {
					struct json_object *c = json_object_array_get_idx(checks, k), *st, *rr;
					if (json_object_object_get_ex(c, "status", &st) &&
					    strcmp(json_object_get_string(st), "fail") == 0 &&
					    json_object_object_get_ex(c, "reason", &rr)) {
						rs = json_object_get_string(rr);
						break;
					}
				}
			break;
		}
		if (strcmp(rs, "invalid") == 0 && json_object_object_get_ex(rep, "reason", &reason))
			rs = json_object_get_string(reason);
		snprintf(why, whysz, "signature_invalid:%s", rs);
		return "signature_invalid";
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(sigs, i), *signer, *sha, *v;
		struct cert_owner o;
		role_mask roles = 0;
		int rc;
		if (!json_object_object_get_ex(s, "verdict", &v) ||
		    strcmp(json_object_get_string(v), "invalid") == 0 ||
		    !json_object_object_get_ex(s, "signer", &signer) || !signer ||
		    !json_object_object_get_ex(signer, "cert_sha256", &sha))
			continue;
		if ((rc = certificate_owner(db, json_object_get_string(sha), &o)) < 0) {
			*dberr = rc;
			return "db";
		}
		if (rc == 1)
			continue;
		if (leader_id > 0 && o.officer_id == leader_id)
			return NULL;
		if (leader_id == 0 && role_mask_parse(o.roles, strlen(o.roles), &roles) == 0 &&
		    (roles & ROLE_BIT(ROLE_LEADER)))
			return NULL;
		other = 1;
	}
	if (other && leader_id > 0) {
		snprintf(why, whysz, "registered_to_other");
		return "registered_to_other";
	}
	snprintf(why, whysz, "not_registered");
	return "not_registered";
}

/* A problem+json naming the reason, in the form http_problem gives, with "reason". */
static void reason_problem(struct http_req *r, int status, const char *code, const char *why)
{
	struct json_object *o = json_object_new_object();
	const char *title, *detail, *s;
	char type[128], d[300];
	size_t len;

	if (strcmp(code, "no_result") == 0) {
		title = "Hồ sơ chưa có tệp kết quả";
		detail = "The dossier has no result file yet.";
	} else if (strcmp(code, "not_signed") == 0) {
		title = "Kết quả chưa được ký số";
		detail = "The result file has no digital signature.";
	} else if (strcmp(code, "signature_invalid") == 0) {
		title = "Chữ ký số trên kết quả không hợp lệ";
		detail = "A signature on the result does not verify";
	} else if (strcmp(code, "registered_to_other") == 0) {
		title = "Kết quả được ký bằng chứng thư số của cán bộ khác";
		detail = "The result is signed with a certificate registered to another officer.";
	} else {
		title = "Chứng thư số đã ký kết quả chưa được đăng ký cho lãnh đạo";
		detail = "No signature on the result is made with a certificate registered to the leader.";
	}
	snprintf(d, sizeof d, "%s (%s).", detail, why);
	snprintf(type, sizeof type, "https://motcua.example/problems/%s", code);
	json_put_str(o, "type", type);
	json_put_str(o, "title", title);
	json_put_int(o, "status", status);
	json_put_str(o, "detail", d);
	json_put_str(o, "code", code);
	json_put_str(o, "reason", why);
	json_put_str(o, "field", "result");
	s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	http_send(r, status, "application/problem+json; charset=utf-8", NULL, s, len);
	json_object_put(o);
}

/* The current result's bytes and a fresh report of them. 0; 1 no result; -1 answered. */
static int current_verified(struct http_req *r, long long dossier_id, struct result_row *res,
                            unsigned char **pdf, size_t *len, struct json_object **rep)
{
	int rc = result_current(r->db, dossier_id, res);

	*pdf = NULL;
	*rep = NULL;
	if (rc < 0) {
		api_db_error(r, rc);
		return -1;
	}
	if (rc == 1)
		return 1;
	if (read_stored(r->cfg, res->sha256, pdf, len) != 0) {
		http_internal_error(r, "the result file cannot be read");
		return -1;
	}
	if (api_signature_report_pdf(r, *pdf, *len, res->file_name, rep) != 0) {
		free(*pdf);
		*pdf = NULL;
		http_internal_error(r, "verification failed");
		return -1;
	}
	return 0;
}

int api_result_approval(struct http_req *r, const struct officer *me, long long dossier_id,
                        long long procedure_id, const char *result_channel)
{
	struct result_row res;
	struct json_object *rep = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;
	char why[160];
	const char *code;
	int required = 1, rc, dberr;

	if (strcmp(result_channel, "online") != 0)
		return 0;
	if ((rc = result_signature_required(r->db, procedure_id, &required)) != 0) {
		api_db_error(r, rc);
		return -1;
	}
	if (!required)
		return 0;
	if ((rc = current_verified(r, dossier_id, &res, &pdf, &len, &rep)) != 0) {
		if (rc == 1)
			reason_problem(r, 422, "no_result", "no_result");
		return -1;
	}
	code = approval_problem(r->db, rep, (me->roles & ROLE_BIT(ROLE_LEADER)) ? me->id : 0,
	                        why, sizeof why, &dberr);
	free(pdf);
	json_object_put(rep);
	if (code == NULL)
		return 0;
	if (dberr) {
		api_db_error(r, dberr);
		return -1;
	}
	log_info("results: %s may not approve dossier %lld: %s", me->username, dossier_id, why);
	reason_problem(r, 422, code, why);
	return -1;
}

/* ---------------------------------------------------------------- storing a result */

/* The signer of the last signature of a report (the one just added): its name and the
 * certificate's serial number, "" when unknown. */
static void last_signer(struct json_object *rep, const char **cn, const char **serial)
{
	struct json_object *sigs, *s, *signer, *v;
	size_t n;

	*cn = "";
	*serial = "";
	if (!rep || !json_object_object_get_ex(rep, "signatures", &sigs) ||
	    (n = json_object_array_length(sigs)) == 0)
		return;
	s = json_object_array_get_idx(sigs, n - 1);
	if (!json_object_object_get_ex(s, "signer", &signer) || !signer)
		return;
	if (json_object_object_get_ex(signer, "cn", &v) && v)
		*cn = json_object_get_string(v);
	if (json_object_object_get_ex(signer, "serial", &v) && v)
		*serial = json_object_get_string(v);
}

/* The history note of a stored revision: what happened, the file's SHA-256, and for a
 * signature or a seal who signed with which certificate. */
static void event_note(enum dossier_action act, const char *file_name, const char *hex,
                       struct json_object *rep, char *out, size_t sz)
{
	const char *cn, *serial;
	struct json_object *sigs;
	size_t nsigs = 0;

	last_signer(rep, &cn, &serial);
	if (rep && json_object_object_get_ex(rep, "signatures", &sigs))
		nsigs = json_object_array_length(sigs);
	if (!cn[0])
		cn = "không rõ người ký";
	if (!serial[0])
		serial = "không rõ";
	switch (act) {
	case ACT_RESULT_SIGN:
		snprintf(out, sz, "Ký số kết quả: %s (số sê-ri chứng thư số %s); SHA-256 của tệp: %s",
		         cn, serial, hex);
		break;
	case ACT_RESULT_SEAL:
		snprintf(out, sz, "Đóng dấu kết quả: %s (số sê-ri chứng thư số %s); SHA-256 của tệp: %s",
		         cn, serial, hex);
		break;
	default:
		if (nsigs > 0)
			snprintf(out, sz, "Tải lên tệp kết quả %s, đã có %zu chữ ký số (chữ ký cuối: %s, số sê-ri "
			         "chứng thư số %s); SHA-256 của tệp: %s", file_name, nsigs, cn, serial, hex);
		else
			snprintf(out, sz, "Tải lên tệp kết quả %s; SHA-256 của tệp: %s", file_name, hex);
		break;
	}
}

/*
 * Stores pdf as the dossier's new result revision with its verification report (when
 * rep is not NULL), the history event act and the dossier's next version, in one
 * transaction, the file entering the store after COMMIT. d is the dossier as the checks
 * saw it: if its state or step moved meanwhile, nothing is stored (409). 0 with *out
 * filled and *version the dossier's new version, or -1 after answering.
 */
static int store_result(struct http_req *r, const struct dossier_row *d, const struct officer *me,
                        const unsigned char *pdf, size_t len, const char *file_name,
                        const char *stage, enum dossier_action act, struct json_object *rep,
                        const char *session_id, struct result_row *out, unsigned *version)
{
	struct fs_writer w;
	struct fs_staged st;
	struct procedure_info pi;
	enum fs_error fe;
	char hex[65], note[1200];
	const char *text = NULL;
	long long want = api_if_match_version(r);
	int rc = DB_ERR;

	if ((fe = fs_writer_open(&w, r->cfg->files_dir, RESULT_MAX_FILE)) != FS_OK) {
		http_internal_error(r, fs_strerror(fe));
		return -1;
	}
	if ((fe = fs_writer_write(&w, pdf, len)) != FS_OK) {
		fs_writer_abort(&w);
		http_internal_error(r, fs_strerror(fe));
		return -1;
	}
	if ((fe = fs_writer_finish(&w, &st)) != FS_OK) {
		http_internal_error(r, fs_strerror(fe));
		return -1;
	}
	hex_encode(st.digest, 32, hex);
	if (rep) {
		if ((rc = annotate_officers(r->db, rep)) != 0) {
			filestore_abort(&st);
			api_db_error(r, rc);
			return -1;
		}
		text = json_object_to_json_string_ext(rep, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	}
	if ((rc = procedure_info_load_id(r->db, d->procedure_id, &pi)) != 0) {
		filestore_abort(&st);
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return -1;
	}
	event_note(act, file_name, hex, rep, note, sizeof note);
	for (int attempt = 0; attempt < TX_RETRIES; attempt++) {
		struct dossier_row locked;
		struct history_append ev;
		mc_time now = time(NULL);
		if ((rc = db_begin(r->db)) != 0)
			break;
		if ((rc = dossier_lock(r->db, d->code, me->unit_path, &locked)) != 0) {
			db_rollback(r->db);
			if (rc == 1) {
				filestore_abort(&st);
				http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
				             "No dossier with that code in your units.", "code");
				return -1;
			}
			break;
		}
		if (want > 0 && locked.version != (unsigned long long)want) {
			char detail[160];
			db_rollback(r->db);
			filestore_abort(&st);
			snprintf(detail, sizeof detail, "The dossier is at version %u, not %lld: reload it.",
			         locked.version, want);
			http_problem(r, 412, "version_mismatch", "Hồ sơ vừa được người khác cập nhật, vui lòng tải lại",
			             detail, "If-Match");
			return -1;
		}
		if (strcmp(locked.state, d->state) != 0 || locked.current_step != d->current_step) {
			db_rollback(r->db);
			filestore_abort(&st);
			http_problem(r, 409, "dossier_changed", "Hồ sơ vừa chuyển trạng thái hoặc bước xử lý, vui lòng tải lại",
			             "The dossier's state or step changed while the result was being prepared.", "code");
			return -1;
		}
		ev = (struct history_append){
			.dossier_id = locked.id, .dossier_code = locked.code, .at = now, .action = action_code(act),
			.from_state = locked.state, .to_state = locked.state, .unit_id = locked.current_unit_id,
			.unit_code = locked.current_unit_code,
			.step_seq = locked.current_step > 0 ? locked.current_step : -1,
			.step_name = locked.current_step >= 1 && locked.current_step <= pi.nsteps
			             ? pi.steps[locked.current_step - 1].name : "",
			.actor = me->username, .note = note, .due_at = 0,
		};
		if ((rc = file_record(r->db, st.digest, st.size, "pdf")) != 0 ||
		    (rc = result_add(r->db, locked.id, st.digest, file_name, st.size, stage, me->id, now, NULL)) != 0 ||
		    (rep && (rc = report_put(r->db, hex, locked.id, report_verdict(rep), text, now)) != 0) ||
		    (session_id && (rc = signing_session_delete(r->db, session_id)) != 0) ||
		    (rc = dossier_save(r->db, &locked, NULL, NULL, 0)) != 0 ||
		    (rc = history_append(r->db, &ev)) != 0 ||
		    (rc = db_commit(r->db)) != 0) {
			db_rollback(r->db);
			if (rc == DB_ERR_RETRY)
				continue;
			rc = rc < 0 ? rc : DB_ERR;
			break;
		}
		*version = locked.version + 1;
		if ((fe = filestore_commit(r->cfg->files_dir, &st)) != FS_OK)
			log_error("results: committing %s: %s (the sweep will)", hex, fs_strerror(fe));
		if ((rc = result_current(r->db, locked.id, out)) < 0) {
			api_db_error(r, rc);
			return -1;
		}
		log_info("results: %s stored %s result %s of dossier %s (version %u)", me->username, stage, hex,
		         locked.code, *version);
		return 0;
	}
	filestore_abort(&st);
	api_db_error(r, rc < 0 ? rc : DB_ERR);
	return -1;
}

static struct json_object *result_json(const struct config *cfg, const struct result_row *res)
{
	struct json_object *o = json_object_new_object();
	char url[1024];

	json_put_str(o, "sha256", res->sha256);
	json_put_str(o, "file_name", res->file_name);
	json_put_int(o, "size", (long long)res->size);
	json_put_str(o, "stage", res->stage);
	api_put_time(o, "created_at", res->created_at);
	json_put_str(o, "created_by", res->created_by_name);
	snprintf(url, sizeof url, "%s/xac-minh.html?sha256=%s", cfg->public_url, res->sha256);
	json_put_str(o, "verification_url", url);
	return o;
}

/* {result, report} of a store: the answer of upload, complete and seal, with the
 * dossier's new version (the If-Match of the next action). */
static void answer_stored(struct http_req *r, int status, const char *code, unsigned version,
                          const struct result_row *res, struct json_object *rep)
{
	struct json_object *o = json_object_new_object();

	json_put_str(o, "code", code);
	json_put_int(o, "version", version);
	json_object_object_add(o, "result", result_json(r->cfg, res));
	json_object_object_add(o, "verification", rep ? json_object_get(rep) : NULL);
	http_json(r, status, o);
}

/* ---------------------------------------------------------------- upload */

static const struct upload_spec result_spec[] = {
	{ "file", UP_FILE, 1, PT_TEXT, 0, 0, 0, NULL, NULL, UPLOAD_TYPE(FT_PDF), 1, 0 },
};

void api_result_upload(struct http_req *r)
{
	struct officer me;
	struct dossier_row d;
	struct upload_limits lim;
	struct upload *u = NULL;
	struct result_row res;
	struct json_object *rep = NULL, *sigs;
	unsigned char *pdf = NULL;
	size_t len = 0;
	unsigned version = 0;
	int has_sigs;

	if (api_officer(r, ROLE_BIT(ROLE_SPECIALIST) | ROLE_BIT(ROLE_LEADER), &me) != 0 ||
	    scoped_dossier(r, &me, &d) != 0 || at_last_step(r, &d) != 0) {
		api_drain_body(r);
		return;
	}
	upload_limits_default(&lim, r->cfg);
	lim.max_file = RESULT_MAX_FILE;
	if (upload_parse(r, &lim, result_spec, 1, &u) != 0)
		return;
	if (read_path(u->files[0].staged.path, &pdf, &len) != 0) {
		http_internal_error(r, "reading the staged result");
		goto out;
	}
	if (api_signature_report_pdf(r, pdf, len, u->files[0].name, &rep) != 0) {
		http_internal_error(r, "verification failed");
		goto out;
	}
	/* a result signed elsewhere is checked the same way; an unsigned one has no report
	 * worth keeping until it is signed here */
	has_sigs = json_object_object_get_ex(rep, "signatures", &sigs) && json_object_array_length(sigs) > 0;
	if (store_result(r, &d, &me, pdf, len, u->files[0].name, has_sigs ? "signed" : "uploaded",
	                 ACT_RESULT_UPLOAD, has_sigs ? rep : NULL, NULL, &res, &version) != 0)
		goto out;
	answer_stored(r, 201, d.code, version, &res, has_sigs ? rep : NULL);
out:
	free(pdf);
	json_object_put(rep);
	upload_free(u);         /* the staged copy: stored through store_result already */
}

/* ---------------------------------------------------------------- reading */

void api_result_get(struct http_req *r)
{
	struct officer me;
	struct dossier_row d;
	struct params p;
	struct result_row res;
	struct stored_report sr;
	struct json_object *o, *rep = NULL, *appr;
	int rc, required = 1;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, NULL, 0, &p) != 0 ||
	    scoped_dossier(r, &me, &d) != 0)
		return;
	if ((rc = result_signature_required(r->db, d.procedure_id, &required)) != 0 ||
	    (rc = result_current(r->db, d.id, &res)) < 0) {
		api_db_error(r, rc);
		return;
	}
	o = json_object_new_object();
	json_put_str(o, "code", d.code);
	json_put_bool(o, "signature_required", required && strcmp(d.result_channel, "online") == 0);
	if (rc == 1) {
		json_object_object_add(o, "result", NULL);
		json_object_object_add(o, "verification", NULL);
		http_json(r, 200, o);
		return;
	}
	json_object_object_add(o, "result", result_json(r->cfg, &res));
	rc = report_get(r->db, res.sha256, &sr);
	if (rc < 0) {
		json_object_put(o);
		api_db_error(r, rc);
		return;
	}
	if (rc == 0) {
		rep = json_tokener_parse(sr.report);
		free(sr.report);
	}
	/* whether this officer's approval would pass, judged on the stored report */
	appr = json_object_new_object();
	if (rep) {
		char why[160];
		int dberr;
		const char *code = approval_problem(r->db, rep, (me.roles & ROLE_BIT(ROLE_LEADER)) ? me.id : 0,
		                                    why, sizeof why, &dberr);
		json_put_bool(appr, "ok", code == NULL);
		json_put_str(appr, "reason", code ? why : NULL);
	} else {
		json_put_bool(appr, "ok", 0);
		json_put_str(appr, "reason", "not_signed");
	}
	json_object_object_add(o, "approval", appr);
	json_object_object_add(o, "verification", rep);
	http_json(r, 200, o);
}

/* Serves the dossier's current result through nginx; or 404. */
static void send_result(struct http_req *r, long long dossier_id, const char *code)
{
	struct result_row res;
	char rel[FS_REL_MAX], headers[1024];
	int rc = result_current(r->db, dossier_id, &res);

	if (rc < 0) {
		api_db_error(r, rc);
		return;
	}
	if (rc == 1) {
		http_problem(r, 404, "result_not_found", "Hồ sơ chưa có tệp kết quả",
		             "The dossier has no result file.", "code");
		return;
	}
	if (filestore_rel_path(res.sha256, rel) != FS_OK) {
		http_internal_error(r, "bad digest in dossier_results");
		return;
	}
	/* the code is [0-9A-Z.-] only: safe in a header as it is */
	snprintf(headers, sizeof headers,
	         "X-Accel-Redirect: /_files/%s\r\n"
	         "Content-Disposition: attachment; filename=\"ket-qua-%s.pdf\"\r\n"
	         "X-Content-SHA256: %s\r\n", rel, code, res.sha256);
	http_send(r, 200, "application/pdf", headers, NULL, 0);
}

void api_result_file(struct http_req *r)
{
	struct officer me;
	struct dossier_row d;
	struct params p;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, NULL, 0, &p) != 0 ||
	    scoped_dossier(r, &me, &d) != 0)
		return;
	send_result(r, d.id, d.code);
}

/* ---------------------------------------------------------------- the verification slip */

static const char *verdict_vi(const char *v)
{
	return strcmp(v, "valid") == 0 ? "hợp lệ" : strcmp(v, "valid_with_warnings") == 0 ? "hợp lệ, có cảnh báo"
	                                                                                 : "không hợp lệ";
}

/* Phiếu xác minh kết quả điện tử of the dossier's current result, sealed when a seal is
 * configured; or a problem. */
static void send_slip(struct http_req *r, const struct dossier_row *d)
{
	enum { MAX_SIGNERS = 8 };
	struct result_row res;
	struct stored_report sr;
	struct procedure_info pi;
	struct result_slip_data sd;
	struct form_options fo = { FORM_FONT_REGULAR, FORM_FONT_BOLD };
	struct json_object *rep = NULL, *sigs;
	const char *signers[MAX_SIGNERS];
	char lines[MAX_SIGNERS][800], url[1024], err[160], headers[256], reason[200];
	unsigned char *pdf = NULL, *sealed = NULL;
	size_t len = 0, sealed_len = 0, n = 0;
	int rc;

	if ((rc = result_current(r->db, d->id, &res)) != 0) {
		if (rc == 1)
			http_problem(r, 404, "result_not_found", "Hồ sơ chưa có tệp kết quả",
			             "The dossier has no result file.", "code");
		else
			api_db_error(r, rc);
		return;
	}
	if ((rc = procedure_info_load_id(r->db, d->procedure_id, &pi)) != 0 ||
	    (rc = report_get(r->db, res.sha256, &sr)) < 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	if (rc == 0) {
		rep = json_tokener_parse(sr.report);
		free(sr.report);
	}
	if (rep && json_object_object_get_ex(rep, "signatures", &sigs)) {
		for (size_t i = 0; i < json_object_array_length(sigs) && n < MAX_SIGNERS; i++) {
			struct json_object *s = json_object_array_get_idx(sigs, i), *signer, *cn, *v, *reg, *name;
			const char *who = "(không rõ người ký)";
			if (json_object_object_get_ex(s, "signer", &signer) && signer &&
			    json_object_object_get_ex(signer, "cn", &cn))
				who = json_object_get_string(cn);
			if (json_object_object_get_ex(s, "registered_officer", &reg) && reg &&
			    json_object_object_get_ex(reg, "full_name", &name))
				snprintf(lines[n], sizeof lines[n], "%s: %s (chứng thư số đã đăng ký của cán bộ %s)",
				         who, verdict_vi(json_object_object_get_ex(s, "verdict", &v) ? json_object_get_string(v) : ""),
				         json_object_get_string(name));
			else
				snprintf(lines[n], sizeof lines[n], "%s: %s", who,
				         verdict_vi(json_object_object_get_ex(s, "verdict", &v) ? json_object_get_string(v) : ""));
			signers[n] = lines[n];
			n++;
		}
	}
	if (getenv("MOTCUA_FONT_REGULAR"))
		fo.font_regular = getenv("MOTCUA_FONT_REGULAR");
	if (getenv("MOTCUA_FONT_BOLD"))
		fo.font_bold = getenv("MOTCUA_FONT_BOLD");
	snprintf(url, sizeof url, "%s/xac-minh.html?sha256=%s", r->cfg->public_url, res.sha256);
	sd = (struct result_slip_data){
		.unit_name = d->current_unit_name, .dossier_code = d->code, .procedure_name = pi.name,
		.file_name = res.file_name, .file_size = res.size, .sha256 = res.sha256,
		.signers = signers, .nsigners = n, .verification_url = url, .issued_at = time(NULL),
	};
	if (form_result_slip_pdf(&sd, &fo, &pdf, &len, err, sizeof err) != 0) {
		json_object_put(rep);
		http_internal_error(r, err);
		return;
	}
	json_object_put(rep);
	snprintf(reason, sizeof reason, "Phiếu xác minh kết quả hồ sơ %s", d->code);
	if (api_seal_pdf(r, reason, pdf, len, &sealed, &sealed_len) == 0) {
		free(pdf);
		pdf = sealed;
		len = sealed_len;
	}
	snprintf(headers, sizeof headers, "Content-Disposition: inline; filename=\"xac-minh-%s.pdf\"\r\n", d->code);
	http_send(r, 200, "application/pdf", headers, (const char *)pdf, len);
	free(pdf);
}

void api_result_slip(struct http_req *r)
{
	struct officer me;
	struct dossier_row d;
	struct params p;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, NULL, 0, &p) != 0 ||
	    scoped_dossier(r, &me, &d) != 0)
		return;
	send_slip(r, &d);
}

/* ---------------------------------------------------------------- two-step signing */

static X509 *pem_cert(const char *pem, size_t len)
{
	BIO *b;
	X509 *x = NULL;

	ERR_set_mark();
	if ((b = BIO_new_mem_buf(pem, (int)len)) != NULL)
		x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	ERR_pop_to_mark();
	return x;
}

/* Every certificate of a PEM text, into a new stack; NULL if one does not parse. */
static STACK_OF(X509) *pem_chain(const char *pem)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	BIO *b;
	X509 *x;

	if (!sk)
		return NULL;
	if (!*pem)
		return sk;
	ERR_set_mark();
	if ((b = BIO_new_mem_buf(pem, -1)) != NULL) {
		while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
			if (!sk_X509_push(sk, x)) {
				X509_free(x);
				break;
			}
		BIO_free(b);
	}
	ERR_pop_to_mark();
	if (sk_X509_num(sk) == 0) {
		sk_X509_free(sk);
		return NULL;
	}
	return sk;
}

enum { SP_CERT, SP_CHAIN, SP__MAX };
static const struct jin_spec prepare_spec[SP__MAX] = {
	[SP_CERT] = { "certificate", JIN_TEXT, 1, 1, 20000, 0, 0, NULL, NULL },
	[SP_CHAIN] = { "chain", JIN_TEXT_ARRAY, 0, 0, 20000, 0, 5, NULL, NULL },
};

static void cert_cn(X509 *x, char *out, size_t sz)
{
	out[0] = '\0';
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, out, (int)sz);
}

void api_result_sign_prepare(struct http_req *r)
{
	struct officer me;
	struct dossier_row d;
	struct jin in;
	struct result_row res;
	struct signing_session s;
	struct pdfsign_prepared prep;
	struct pdfsign_options opt;
	struct json_object *o;
	X509 *cert = NULL;
	unsigned char *pdf = NULL, *der = NULL, rnd[16];
	uint8_t *attrs = NULL;
	size_t len = 0, attrs_len = 0, chain_len = 0;
	char *chain = NULL, *tbs = NULL, reason[200], cn[256], dhex[65], iso[40];
	int rc, derlen, prepared = 0;
	mc_time now = time(NULL);

	memset(&in, 0, sizeof in);
	memset(&prep, 0, sizeof prep);
	if (api_officer(r, ROLE_BIT(ROLE_LEADER), &me) != 0)
		return;
	if (json_body_parse(r, 128 * 1024, prepare_spec, SP__MAX, &in) != 0 ||
	    scoped_dossier(r, &me, &d) != 0 || at_last_step(r, &d) != 0)
		goto out;
	if ((cert = pem_cert(in.v[SP_CERT].s, in.v[SP_CERT].len)) == NULL) {
		http_problem(r, 422, "invalid_certificate", "Không đọc được chứng thư số (cần dạng PEM)",
		             "certificate must hold one X.509 certificate in PEM.", "certificate");
		goto out;
	}
	if (in.v[SP_CHAIN].present) {
		size_t n = json_object_array_length(in.v[SP_CHAIN].a);
		for (size_t i = 0; i < n; i++)
			chain_len += strlen(json_object_get_string(json_object_array_get_idx(in.v[SP_CHAIN].a, i))) + 1;
	}
	if ((chain = malloc(chain_len + 1)) == NULL) {
		http_internal_error(r, "out of memory");
		goto out;
	}
	chain[0] = '\0';
	if (in.v[SP_CHAIN].present) {
		for (size_t i = 0; i < json_object_array_length(in.v[SP_CHAIN].a); i++) {
			const char *pem = json_object_get_string(json_object_array_get_idx(in.v[SP_CHAIN].a, i));
			X509 *x = pem_cert(pem, strlen(pem));
			if (!x) {
				http_problem(r, 422, "invalid_certificate", "Không đọc được chứng thư số trong chuỗi",
				             "Each chain element must be one X.509 certificate in PEM.", "chain");
				goto out;
			}
			X509_free(x);
			strcat(chain, pem);
			strcat(chain, "\n");
		}
	}
	if ((rc = result_current(r->db, d.id, &res)) != 0) {
		if (rc == 1)
			reason_problem(r, 409, "no_result", "no_result");
		else
			api_db_error(r, rc);
		goto out;
	}
	if (read_stored(r->cfg, res.sha256, &pdf, &len) != 0) {
		http_internal_error(r, "the result file cannot be read");
		goto out;
	}
	cert_cn(cert, cn, sizeof cn);
	snprintf(reason, sizeof reason, "Phê duyệt kết quả giải quyết hồ sơ %s", d.code);
	memset(&opt, 0, sizeof opt);
	opt.reason = reason;
	opt.location = d.current_unit_name;
	opt.signer_name = cn[0] ? cn : me.full_name;
	opt.signing_time = now;
	if ((rc = pdfsign_prepare(pdf, len, &opt, &prep)) != 0) {
		http_problem(r, 422, "result_not_signable", "Tệp kết quả không thể ký (PDF không đọc được hoặc bị mã hóa)",
		             pdfsign_strerror(rc), "result");
		goto out;
	}
	prepared = 1;
	if ((rc = pdfsign_signed_attrs(prep.digest, cert, now, &attrs, &attrs_len)) != 0) {
		http_problem(r, 422, "invalid_certificate", "Không dùng được chứng thư số này để ký",
		             pdfsign_strerror(rc), "certificate");
		goto out;
	}
	if ((derlen = i2d_X509(cert, &der)) <= 0 || crypto_random(rnd, sizeof rnd) != 0) {
		http_internal_error(r, "i2d_X509 or RNG");
		goto out;
	}
	memset(&s, 0, sizeof s);
	hex_encode(rnd, sizeof rnd, s.id);
	s.officer_id = me.id;
	s.dossier_id = d.id;
	s.result_id = res.id;
	s.prepared = prep.pdf;
	s.prepared_len = prep.len;
	memcpy(s.byte_range, prep.byte_range, sizeof s.byte_range);
	s.contents_off = prep.contents_off;
	s.capacity = prep.capacity;
	memcpy(s.digest, prep.digest, 32);
	s.signing_time = now;
	s.attrs = attrs;
	s.attrs_len = attrs_len;
	s.cert = der;
	s.cert_len = (size_t)derlen;
	s.chain = chain;
	s.expires_at = now + SESSION_SECONDS;
	if ((rc = signing_session_put(r->db, &s)) != 0) {
		api_db_error(r, rc);
		goto out;
	}
	if ((tbs = b64_encode(attrs, attrs_len)) == NULL) {
		http_internal_error(r, "out of memory");
		goto out;
	}
	hex_encode(prep.digest, 32, dhex);
	o = json_object_new_object();
	json_put_str(o, "session", s.id);
	json_put_str(o, "to_be_signed", tbs);
	json_put_str(o, "digest", dhex);
	json_put_str(o, "digest_algorithm", "sha256");
	time_format_iso(now, iso, sizeof iso);
	json_put_str(o, "signing_time", iso);
	time_format_iso(s.expires_at, iso, sizeof iso);
	json_put_str(o, "expires_at", iso);
	json_put_str(o, "result_sha256", res.sha256);
	log_info("results: %s prepared signing session for %s (%s)", me.username, d.code, cn);
	http_json(r, 200, o);
out:
	if (prepared)
		pdfsign_prepared_free(&prep);
	free(tbs);
	free(attrs);
	OPENSSL_free(der);
	free(chain);
	free(pdf);
	X509_free(cert);
	jin_free(&in);
}

static const char *check_session(const char *s, size_t len)
{
	if (len != 32)
		return "32 hexadecimal digits";
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return "32 hexadecimal digits";
	return NULL;
}

enum { SC_SESSION, SC_SIGNATURE, SC_CMS, SC__MAX };
static const struct jin_spec complete_spec[SC__MAX] = {
	[SC_SESSION] = { "session", JIN_TEXT, 1, 32, 32, 0, 0, NULL, check_session },
	[SC_SIGNATURE] = { "signature", JIN_TEXT, 0, 4, 4096, 0, 0, NULL, NULL },
	[SC_CMS] = { "cms", JIN_TEXT, 0, 4, 4 * (PDFSIGN_DEFAULT_CAPACITY / 3 + 1), 0, 0, NULL, NULL },
};

void api_result_sign_complete(struct http_req *r)
{
	struct officer me;
	struct dossier_row d;
	struct jin in;
	struct signing_session s;
	struct result_row res;
	struct pdfsign_prepared prep;
	struct json_object *rep = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *chain = NULL;
	unsigned char *raw = NULL;
	uint8_t *cms = NULL;
	size_t raw_len = 0, cms_len = 0;
	const unsigned char *q;
	int rc, have_session = 0, by_sig;
	unsigned version = 0;
	char name[256];

	memset(&in, 0, sizeof in);
	memset(&s, 0, sizeof s);
	if (api_officer(r, ROLE_BIT(ROLE_LEADER), &me) != 0)
		return;
	if (json_body_parse(r, 256 * 1024, complete_spec, SC__MAX, &in) != 0 ||
	    scoped_dossier(r, &me, &d) != 0)
		goto out;
	if (in.v[SC_SIGNATURE].present == in.v[SC_CMS].present) {
		http_problem(r, 422, "missing_field", "Cần gửi chữ ký (signature) hoặc CMS (cms), chỉ một trong hai",
		             "Send exactly one of 'signature' and 'cms'.", "signature");
		goto out;
	}
	by_sig = in.v[SC_SIGNATURE].present;
	rc = signing_session_get(r->db, in.v[SC_SESSION].s, me.id, d.id, &s);
	if (rc < 0) {
		api_db_error(r, rc);
		goto out;
	}
	if (rc == 1 || s.expires_at < time(NULL)) {
		http_problem(r, 410, "session_expired", "Phiên ký đã hết hạn hoặc không tồn tại, vui lòng ký lại",
		             "No live signing session with that id for you and this dossier (10 minutes).", "session");
		goto out;
	}
	have_session = 1;
	if (at_last_step(r, &d) != 0)
		goto out;
	if ((rc = result_current(r->db, d.id, &res)) != 0 || res.id != s.result_id) {
		if (rc < 0)
			api_db_error(r, rc);
		else
			http_problem(r, 409, "result_changed", "Tệp kết quả đã thay đổi sau khi chuẩn bị ký, vui lòng ký lại",
			             "The result changed since the session was prepared.", "session");
		goto out;
	}
	if (b64_decode(by_sig ? in.v[SC_SIGNATURE].s : in.v[SC_CMS].s,
	               by_sig ? in.v[SC_SIGNATURE].len : in.v[SC_CMS].len, &raw, &raw_len) != 0) {
		http_problem(r, 400, "invalid_field", "Dữ liệu không phải base64",
		             "The value must be standard base64.", by_sig ? "signature" : "cms");
		goto out;
	}
	if (by_sig) {
		q = s.cert;
		if ((cert = d2i_X509(NULL, &q, (long)s.cert_len)) == NULL ||
		    (chain = pem_chain(s.chain)) == NULL) {
			http_internal_error(r, "stored session certificates");
			goto out;
		}
		rc = pdfsign_assemble_cms(cert, chain, s.attrs, s.attrs_len, raw, raw_len, &cms, &cms_len);
		if (rc != 0) {
			http_problem(r, 422, rc == PDFSIGN_E_KEY ? "signature_mismatch" : "invalid_signature",
			             "Chữ ký không khớp với chứng thư số và dữ liệu cần ký",
			             pdfsign_strerror(rc), "signature");
			goto out;
		}
	}
	memset(&prep, 0, sizeof prep);
	prep.pdf = s.prepared;
	prep.len = s.prepared_len;
	memcpy(prep.byte_range, s.byte_range, sizeof prep.byte_range);
	prep.contents_off = s.contents_off;
	prep.capacity = s.capacity;
	memcpy(prep.digest, s.digest, 32);
	prep.signing_time = s.signing_time;
	rc = by_sig ? pdfsign_embed(&prep, cms, cms_len) : pdfsign_embed(&prep, raw, raw_len);
	if (rc != 0) {
		http_problem(r, 422, rc == PDFSIGN_E_TOO_BIG ? "cms_too_large" : "invalid_cms",
		             "Không đưa được chữ ký vào tệp kết quả", pdfsign_strerror(rc), by_sig ? "signature" : "cms");
		goto out;
	}
	if (api_signature_report_pdf(r, s.prepared, s.prepared_len, res.file_name, &rep) != 0) {
		http_internal_error(r, "verification failed");
		goto out;
	}
	if (strcmp(report_verdict(rep), "invalid") == 0) {
		char why[160];
		int dberr;
		approval_problem(r->db, rep, 0, why, sizeof why, &dberr);
		log_info("results: %s's signature of %s does not verify: %s", me.username, d.code, why);
		reason_problem(r, 422, "signature_invalid", why);
		goto out;
	}
	snprintf(name, sizeof name, "%s", res.file_name);
	if (store_result(r, &d, &me, s.prepared, s.prepared_len, name, "signed", ACT_RESULT_SIGN, rep, s.id,
	                 &res, &version) != 0)
		goto out;
	answer_stored(r, 200, d.code, version, &res, rep);
out:
	(void)have_session;
	json_object_put(rep);
	free(raw);
	free(cms);
	sk_X509_pop_free(chain, X509_free);
	X509_free(cert);
	signing_session_free(&s);
	jin_free(&in);
}

/* ---------------------------------------------------------------- the organization's seal */

/* 0 if path is a regular file that only its owner may read or write; logs otherwise. */
static int private_file(const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		log_error("seal: %s %s: %s", what, path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (st.st_mode & 077)) {
		log_error("seal: refusing %s %s: mode %03o lets the group or others read it (chmod 600)",
		          what, path, (unsigned)(st.st_mode & 0777));
		return -1;
	}
	return 0;
}

/* The seal's key, certificate and chain. 0; 1 not configured; -1 unusable (logged). */
static int seal_load(const struct config *cfg, EVP_PKEY **key, X509 **cert, STACK_OF(X509) **ca)
{
	FILE *f = NULL;
	BIO *b = NULL;
	PKCS12 *p12 = NULL;
	char pass[1024] = "";
	int ret = -1;

	*key = NULL;
	*cert = NULL;
	*ca = NULL;
	if (!cfg->seal_p12[0])
		return 1;
	if (private_file("MOTCUA_SEAL_P12", cfg->seal_p12) != 0)
		return -1;
	if (cfg->seal_pass_file[0]) {
		if (private_file("MOTCUA_SEAL_PASS_FILE", cfg->seal_pass_file) != 0)
			return -1;
		if ((f = fopen(cfg->seal_pass_file, "r")) == NULL) {
			log_error("seal: %s: %s", cfg->seal_pass_file, strerror(errno));
			return -1;
		}
		if (!fgets(pass, sizeof pass, f))
			pass[0] = '\0';
		fclose(f);
		pass[strcspn(pass, "\r\n")] = '\0';
	}
	ERR_set_mark();
	if ((b = BIO_new_file(cfg->seal_p12, "rb")) == NULL || (p12 = d2i_PKCS12_bio(b, NULL)) == NULL ||
	    !PKCS12_parse(p12, pass, key, cert, ca) || !*key || !*cert)
		log_error("seal: %s cannot be read with the password given", cfg->seal_p12);
	else
		ret = 0;
	ERR_pop_to_mark();
	OPENSSL_cleanse(pass, sizeof pass);
	PKCS12_free(p12);
	BIO_free(b);
	if (ret != 0) {
		EVP_PKEY_free(*key);
		X509_free(*cert);
		sk_X509_pop_free(*ca, X509_free);
		*key = NULL;
		*cert = NULL;
		*ca = NULL;
	}
	return ret;
}

int api_seal_pdf(struct http_req *r, const char *reason, const unsigned char *pdf, size_t len,
                 unsigned char **out, size_t *out_len)
{
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *ca;
	struct pdfsign_options opt;
	char cn[256];
	int rc = seal_load(r->cfg, &key, &cert, &ca);

	*out = NULL;
	if (rc != 0)
		return rc;
	cert_cn(cert, cn, sizeof cn);
	memset(&opt, 0, sizeof opt);
	opt.reason = reason;
	opt.signer_name = cn;
	opt.signing_time = time(NULL);
	rc = pdfsign_sign_pdf(pdf, len, &opt, key, cert, ca, out, out_len);
	if (rc != 0)
		log_error("seal: signing failed: %s", pdfsign_strerror(rc));
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(ca, X509_free);
	return rc == 0 ? 0 : -1;
}

void api_result_seal(struct http_req *r)
{
	struct officer me;
	struct dossier_row d;
	struct params p;
	struct result_row res;
	struct json_object *rep = NULL, *sealed_rep = NULL;
	unsigned char *pdf = NULL, *sealed = NULL;
	size_t len = 0, sealed_len = 0;
	char why[160], reason[200], name[256];
	const char *code;
	unsigned version = 0;
	int rc, dberr;

	if (api_officer(r, ROLE_BIT(ROLE_CLERK), &me) != 0 || params_parse(r, NULL, 0, &p) != 0 ||
	    scoped_dossier(r, &me, &d) != 0)
		return;
	if (strcmp(d.state, "processing") != 0 && strcmp(d.state, "resolved") != 0) {
		http_problem(r, 409, "invalid_state", "Chỉ đóng dấu kết quả của hồ sơ đang giải quyết hoặc đã có kết quả",
		             "The seal goes on the result of a dossier in processing or resolved.", "code");
		return;
	}
	if ((rc = current_verified(r, d.id, &res, &pdf, &len, &rep)) != 0) {
		if (rc == 1)
			reason_problem(r, 409, "no_result", "no_result");
		return;
	}
	if (strcmp(res.stage, "sealed") == 0) {
		http_problem(r, 409, "already_sealed", "Kết quả đã được đóng dấu",
		             "The current result already carries the seal.", "code");
		goto out;
	}
	/* the seal follows a verified signature of a leader, never replaces it */
	if ((code = approval_problem(r->db, rep, 0, why, sizeof why, &dberr)) != NULL) {
		if (dberr)
			api_db_error(r, dberr);
		else
			reason_problem(r, 409, code, why);
		goto out;
	}
	snprintf(reason, sizeof reason, "Đóng dấu kết quả giải quyết hồ sơ %s", d.code);
	rc = api_seal_pdf(r, reason, pdf, len, &sealed, &sealed_len);
	if (rc != 0) {
		http_problem(r, 503, "seal_unavailable", "Chưa cấu hình được chữ ký số của cơ quan (con dấu)",
		             rc == 1 ? "No seal is configured (MOTCUA_SEAL_P12)."
		                     : "The seal cannot be used; see the service log.", NULL);
		goto out;
	}
	if (api_signature_report_pdf(r, sealed, sealed_len, res.file_name, &sealed_rep) != 0) {
		http_internal_error(r, "verification failed");
		goto out;
	}
	if (strcmp(report_verdict(sealed_rep), "invalid") == 0) {
		approval_problem(r->db, sealed_rep, 0, why, sizeof why, &dberr);
		log_error("results: the sealed result of %s does not verify: %s", d.code, why);
		http_problem(r, 503, "seal_unavailable", "Chữ ký số của cơ quan không được xác thực",
		             "The sealed file does not verify (is the seal's CA trusted?).", NULL);
		goto out;
	}
	snprintf(name, sizeof name, "%s", res.file_name);
	if (store_result(r, &d, &me, sealed, sealed_len, name, "sealed", ACT_RESULT_SEAL, sealed_rep, NULL,
	                 &res, &version) != 0)
		goto out;
	answer_stored(r, 200, d.code, version, &res, sealed_rep);
out:
	json_object_put(rep);
	json_object_put(sealed_rep);
	free(pdf);
	free(sealed);
}

/* ---------------------------------------------------------------- public */

void api_signature_stored(struct http_req *r)
{
	struct params p;
	struct stored_report sr;
	struct json_object *o, *rep;
	char hex[65];
	int rc;

	if (params_parse(r, NULL, 0, &p) != 0)
		return;
	if (r->arg_len[0] != 64) {
		params_reject(r, "sha256", "64 hexadecimal digits");
		return;
	}
	for (int i = 0; i < 64; i++) {
		char c = r->args[0][i];
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			params_reject(r, "sha256", "64 hexadecimal digits");
			return;
		}
		hex[i] = c;
	}
	hex[64] = '\0';
	if ((rc = report_get(r->db, hex, &sr)) != 0) {
		if (rc == 1)
			http_problem(r, 404, "not_found", "Không có kết quả xác minh nào được lưu cho tệp này",
			             "No verification is stored for a file with that SHA-256.", "sha256");
		else
			api_db_error(r, rc);
		return;
	}
	rep = json_tokener_parse(sr.report);
	free(sr.report);
	o = json_object_new_object();
	json_put_str(o, "sha256", sr.sha256);
	json_put_str(o, "verdict", sr.verdict);
	api_put_time(o, "verified_at", sr.verified_at);
	json_put_str(o, "dossier_code", sr.dossier_code[0] ? sr.dossier_code : NULL);
	json_object_object_add(o, "verification", rep);
	http_json(r, 200, o);
}

enum { TR_PIN, TR__MAX };

static const char *check_pin(const char *s, size_t len)
{
	(void)s;
	return len < 8 ? "at least 8 characters" : NULL;
}

static const struct param_spec tracking_params[TR__MAX] = {
	[TR_PIN] = { "pin", PT_TOKEN, 0, 64, 0, 0, NULL, check_pin },
};

/* The applicant's dossier with a result to hand over: 0 with its id and code, or -1. */
static int applicant_result(struct http_req *r, long long *id, char code[49])
{
	struct params p;
	char state[24];

	if (params_parse(r, tracking_params, TR__MAX, &p) != 0)
		return -1;
	/* the result is the applicant's: without the secret, as with a wrong one, a 404 */
	if (!p.v[TR_PIN].present) {
		http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
		             "No dossier matches that code and secret.", "code");
		return -1;
	}
	if (api_tracked_with_pin(r, p.v[TR_PIN].s, p.v[TR_PIN].len, id, state, code) != 0)
		return -1;
	if (strcmp(state, "resolved") != 0 && strcmp(state, "returned") != 0) {
		http_problem(r, 404, "result_not_found", "Hồ sơ chưa có kết quả",
		             "The dossier has no result yet.", "code");
		return -1;
	}
	return 0;
}

void api_tracking_result(struct http_req *r)
{
	struct result_row res;
	struct json_object *o;
	char code[49];
	long long id;
	int rc;

	if (applicant_result(r, &id, code) != 0)
		return;
	if ((rc = result_current(r->db, id, &res)) != 0) {
		if (rc == 1)
			http_problem(r, 404, "result_not_found", "Hồ sơ không có tệp kết quả điện tử",
			             "The dossier has no electronic result file.", "code");
		else
			api_db_error(r, rc);
		return;
	}
	o = json_object_new_object();
	json_put_str(o, "code", code);
	json_object_object_add(o, "result", result_json(r->cfg, &res));
	http_json(r, 200, o);
}

void api_tracking_result_file(struct http_req *r)
{
	char code[49];
	long long id;

	if (applicant_result(r, &id, code) != 0)
		return;
	send_result(r, id, code);
}

void api_tracking_result_slip(struct http_req *r)
{
	struct dossier_row d;
	char code[49];
	long long id;
	int rc;

	if (applicant_result(r, &id, code) != 0)
		return;
	if ((rc = dossier_find(r->db, code, "", &d)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	send_slip(r, &d);
}
