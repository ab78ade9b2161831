/*
 * Online submission by the applicant (the citizen portal):
 *   POST /api/v1/submissions                          multipart/form-data
 *   GET  /api/v1/tracking/{code}/documents/{seq}/file?pin=   a document's file
 *
 * A submission carries the form's text fields and one file per document of the
 * procedure, named doc_<seq> (seq as GET /api/v1/procedures/{code} lists it). The body
 * is streamed through core/upload.c: files are typed by their bytes (PDF, JPEG, PNG),
 * hashed and staged while they arrive, never held in memory. The dossier row, its
 * documents, the files' rows, the 'submit' event and the idempotency key are written
 * in one transaction; the staged files move into the store only after COMMIT, and are
 * deleted on any refusal or rollback, so a refused or failed submission leaves nothing.
 *
 * Idempotency-Key (optional): the same key with the same fields and files answers the
 * first answer again and creates nothing; the same key with anything else is a 422.
 * The key row is inserted first in the transaction, so a concurrent retry waits on its
 * lock and then finds the finished answer.
 *
 * Files are accepted for document seqs 1 to SUBMIT_DOCS (30; the national catalog's
 * procedures list at most about a dozen documents per case), within core/upload.h's
 * UPLOAD_MAX_FIELDS declared parts and UPLOAD_MAX_FILES files a request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

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
#include "domain/dossier_code.h"
#include "domain/dossier_state.h"
#include "domain/filetype.h"
#include "domain/workflow.h"
#include "store/dossier_store.h"
#include "store/citizen_store.h"
#include "store/history_store.h"
#include "store/notify_store.h"
#include "store/submission_store.h"
#include "store/tracking_store.h"
#include "api.h"

#define TX_RETRIES 3
#define SUBMIT_DOCS 30          /* doc_1 .. doc_30 */
#define IDEM_KEY_MAX 128

enum {
	S_PROCEDURE, S_CASE, S_UNIT, S_NAME, S_KIND, S_ID_NUMBER, S_PHONE, S_EMAIL, S_ADDRESS,
	S_RESULT_CHANNEL, S_DOC1, S__MAX = S_DOC1 + SUBMIT_DOCS
};

static const char *const applicant_kinds[] = { "citizen", "organization", NULL };
static const char *const result_channels[] = { "direct", "online", "postal", NULL };

static const char *check_unit_code(const char *s, size_t len)
{
	return unit_code_valid(s, len) ? NULL : "not a unit code like 000.00.20.H12";
}

static const char *check_email(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);

	if (len == 0)
		return NULL;
	if (!at || at == s || at == s + len - 1 || memchr(at + 1, '@', len - (size_t)(at - s) - 1) ||
	    !memchr(at + 1, '.', len - (size_t)(at - s) - 1) || memchr(s, ' ', len))
		return "not an e-mail address";
	return NULL;
}

static const char *check_phone(const char *s, size_t len)
{
	size_t digits = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!(s[i] == '+' && i == 0) && s[i] != ' ' && s[i] != '.' && s[i] != '-')
			return "digits only, with an optional leading '+'";
	}
	return len == 0 || (digits >= 8 && digits <= 15) ? NULL : "8 to 15 digits";
}

#define TXT(n, req, t, max, ch, chk) { n, UP_TEXT, req, t, max, 0, 0, ch, chk, 0, 0, 0 }
#define DOC(n) { n, UP_FILE, 0, PT_TEXT, 0, 0, 0, NULL, NULL, 0, 1, 0 }

static const struct upload_spec submission_spec[S__MAX] = {
	[S_PROCEDURE]      = TXT("procedure", 1, PT_TOKEN, 32, NULL, NULL),
	[S_CASE]           = TXT("case_name", 0, PT_TEXT, 1000, NULL, NULL),
	[S_UNIT]           = TXT("unit", 1, PT_TOKEN, 13, NULL, check_unit_code),
	[S_NAME]           = TXT("applicant_name", 1, PT_TEXT, 255, NULL, NULL),
	[S_KIND]           = TXT("applicant_kind", 0, PT_ENUM, 0, applicant_kinds, NULL),
	[S_ID_NUMBER]      = TXT("applicant_id_number", 0, PT_TOKEN, 32, NULL, NULL),
	[S_PHONE]          = TXT("applicant_phone", 0, PT_TEXT, 32, NULL, check_phone),
	[S_EMAIL]          = TXT("applicant_email", 0, PT_TEXT, 255, NULL, check_email),
	[S_ADDRESS]        = TXT("applicant_address", 0, PT_TEXT, 500, NULL, NULL),
	[S_RESULT_CHANNEL] = TXT("result_channel", 1, PT_ENUM, 0, result_channels, NULL),
	[S_DOC1 + 0] = DOC("doc_1"), [S_DOC1 + 1] = DOC("doc_2"), [S_DOC1 + 2] = DOC("doc_3"),
	[S_DOC1 + 3] = DOC("doc_4"), [S_DOC1 + 4] = DOC("doc_5"), [S_DOC1 + 5] = DOC("doc_6"),
	[S_DOC1 + 6] = DOC("doc_7"), [S_DOC1 + 7] = DOC("doc_8"), [S_DOC1 + 8] = DOC("doc_9"),
	[S_DOC1 + 9] = DOC("doc_10"), [S_DOC1 + 10] = DOC("doc_11"), [S_DOC1 + 11] = DOC("doc_12"),
	[S_DOC1 + 12] = DOC("doc_13"), [S_DOC1 + 13] = DOC("doc_14"), [S_DOC1 + 14] = DOC("doc_15"),
	[S_DOC1 + 15] = DOC("doc_16"), [S_DOC1 + 16] = DOC("doc_17"), [S_DOC1 + 17] = DOC("doc_18"),
	[S_DOC1 + 18] = DOC("doc_19"), [S_DOC1 + 19] = DOC("doc_20"), [S_DOC1 + 20] = DOC("doc_21"),
	[S_DOC1 + 21] = DOC("doc_22"), [S_DOC1 + 22] = DOC("doc_23"), [S_DOC1 + 23] = DOC("doc_24"),
	[S_DOC1 + 24] = DOC("doc_25"), [S_DOC1 + 25] = DOC("doc_26"), [S_DOC1 + 26] = DOC("doc_27"),
	[S_DOC1 + 27] = DOC("doc_28"), [S_DOC1 + 28] = DOC("doc_29"), [S_DOC1 + 29] = DOC("doc_30"),
};

#define VAL(u, k) ((u)->v[k].present ? (u)->v[k].s : "")

/* The procedure's documents for the chosen case, against the files given. */
struct doc_plan {
	const char *case_name;
	const struct upload *u;
	struct json_object *missing;    /* names of required documents without a file */
	int known[SUBMIT_DOCS];         /* seq 1..SUBMIT_DOCS is a document of this case */
	struct { int seq, originals, copies; char name[2001]; } docs[SUBMIT_DOCS];
	int ndocs;
};

static const struct upload_file *file_of(const struct upload *u, int seq)
{
	for (size_t i = 0; i < u->nfiles; i++)
		if (u->files[i].spec_index == (size_t)(S_DOC1 + seq - 1))
			return &u->files[i];
	return NULL;
}

static int plan_document(const struct procedure_document *d, void *arg)
{
	struct doc_plan *p = arg;
	int for_case = d->case_name[0] == '\0' || strcmp(d->case_name, p->case_name) == 0;
	int in_range = d->seq >= 1 && d->seq <= SUBMIT_DOCS;
	const struct upload_file *f = in_range ? file_of(p->u, d->seq) : NULL;

	if (!for_case)
		return 0;
	if (in_range)
		p->known[d->seq - 1] = 1;
	if (f && p->ndocs < SUBMIT_DOCS) {
		p->docs[p->ndocs].seq = d->seq;
		p->docs[p->ndocs].originals = d->originals;
		p->docs[p->ndocs].copies = d->copies;
		snprintf(p->docs[p->ndocs].name, sizeof p->docs[0].name, "%s", d->name);
		p->ndocs++;
	} else if (d->required) {
		json_object_array_add(p->missing, json_object_new_string(d->name));
	}
	return 0;
}

/* SHA-256 over every field and every file's digest, in the spec's order: what a retry
 * with the same Idempotency-Key must repeat exactly. */
static int request_hash(const struct upload *u, unsigned char out[32])
{
	size_t cap = UPLOAD_TEXT_MAX + S__MAX * 80, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -1;
	for (size_t k = 0; k < S__MAX; k++) {
		const struct upload_file *f = k >= S_DOC1 ? file_of(u, (int)(k - S_DOC1 + 1)) : NULL;
		int n;
		if (k < S_DOC1)
			n = snprintf(buf + len, cap - len, "%s=%d:%s\n", submission_spec[k].name,
			             u->v[k].present, VAL(u, k));
		else
			n = snprintf(buf + len, cap - len, "%s=%s\n", submission_spec[k].name, f ? f->sha256 : "");
		if (n < 0 || (size_t)n >= cap - len) {
			free(buf);
			return -1;
		}
		len += (size_t)n;
	}
	crypto_sha256(buf, len, out);
	free(buf);
	return 0;
}

static int hex_to_bin(const char *hex, unsigned char out[32])
{
	for (int i = 0; i < 32; i++) {
		unsigned v = 0;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

/* The Idempotency-Key header: absent (0, key ""), valid (0), or answered (-1). */
static int idempotency_key(struct http_req *r, char key[IDEM_KEY_MAX + 1])
{
	const char *h = http_header(r, "HTTP_IDEMPOTENCY_KEY");
	size_t n;

	key[0] = '\0';
	if (!h)
		return 0;
	n = strlen(h);
	for (size_t i = 0; i < n; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'A' && h[i] <= 'Z') ||
		      (h[i] >= 'a' && h[i] <= 'z') || strchr("._:-", h[i]))) {
			n = 0;
			break;
		}
	if (n < 8 || n > IDEM_KEY_MAX) {
		http_problem(r, 400, "invalid_header", "Khóa chống gửi trùng (Idempotency-Key) không hợp lệ",
		             "Idempotency-Key: 8 to 128 letters, digits, '.', '_', ':' or '-'.", "Idempotency-Key");
		return -1;
	}
	memcpy(key, h, n + 1);
	return 0;
}

/* Answers again what the first request with this key answered. */
static void replay(struct http_req *r, const char *key, const char *scope,
                   const unsigned char hash[32])
{
	char response[512];
	int same = 0, rc = idem_read(r->db, key, scope, hash, &same, response, sizeof response);
	struct json_object *o;

	if (rc < 0) {
		api_db_error(r, rc);
		return;
	}
	if (rc == 1 || !same) {
		http_problem(r, 422, "idempotency_key_reused",
		             "Khóa chống gửi trùng đã được dùng cho một hồ sơ khác",
		             "This Idempotency-Key was used with a different request.", "Idempotency-Key");
		return;
	}
	if (response[0] == '\0' || (o = json_tokener_parse(response)) == NULL) {
		http_internal_error(r, "idempotency key without its answer");
		return;
	}
	http_json_h(r, 201, o, "Idempotent-Replayed: true\r\n");
}

/*
 * The submission itself, from a checked upload or from a draft (draft_id: deleted in the
 * same transaction). Answers in every case; u stays the caller's.
 */
static void submit_upload(struct http_req *r, struct upload *u, const char *key, const char *scope,
                          long long citizen_id, const char *draft_id)
{
	struct procedure_info pi;
	struct doc_plan *plan = NULL;
	struct civil lc;
	enum dossier_state start;
	char unit_code[33], code[64], pin[API_PIN_LEN + 1];
	long long unit_id = 0;
	unsigned char salt[16], pin_hash[32], rhash[32];
	mc_time now = time(NULL);
	int rc = 0, attempt;

	if (workflow_check_create(ACT_SUBMIT, ACTOR_APPLICANT, &start) != WF_OK) {
		http_internal_error(r, "the workflow does not let applicants submit");
		return;
	}
	/* a guest must be reachable: the receipt secret and any supplement request go there */
	if (!citizen_id && !u->v[S_EMAIL].len && !u->v[S_PHONE].len) {
		http_problem(r, 422, "missing_contact", "Cần số điện thoại hoặc thư điện tử để liên hệ",
		             "A guest submission needs applicant_email or applicant_phone.", "applicant_email");
		goto out;
	}
	if (u->v[S_NAME].len < 2) {
		params_reject(r, "applicant_name", "at least 2 bytes");
		goto out;
	}
	if ((rc = procedure_info_load(r->db, u->v[S_PROCEDURE].s, &pi)) != 0) {
		if (rc == 1)
			http_problem(r, 422, "unknown_procedure", "Không có thủ tục này",
			             "No published procedure has that code.", "procedure");
		else
			api_db_error(r, rc);
		goto out;
	}
	if ((rc = unit_offering(r->db, u->v[S_UNIT].s, pi.id, &unit_id, unit_code)) != 0) {
		if (rc == 1)
			http_problem(r, 422, "invalid_field", "Đơn vị này không tiếp nhận thủ tục đã chọn",
			             "No unit with that code at a level that implements the procedure.", "unit");
		else
			api_db_error(r, rc);
		goto out;
	}
	if ((plan = calloc(1, sizeof *plan)) == NULL) {
		http_internal_error(r, "out of memory");
		goto out;
	}
	plan->case_name = VAL(u, S_CASE);
	plan->u = u;
	plan->missing = json_object_new_array();
	if ((rc = procedure_documents(r->db, pi.id, plan_document, plan)) != 0) {
		api_db_error(r, rc);
		goto out;
	}
	for (int s = 1; s <= SUBMIT_DOCS; s++)
		if (file_of(u, s) && !plan->known[s - 1]) {
			char detail[96];
			snprintf(detail, sizeof detail, "The procedure lists no document %d for this case.", s);
			http_problem(r, 400, "unknown_field", "Thành phần hồ sơ không có trong thủ tục", detail,
			             submission_spec[S_DOC1 + s - 1].name);
			goto out;
		}
	if (json_object_array_length(plan->missing) > 0) {
		/* the detail stays plain English: the documents' names go in "missing" */
		{
			struct json_object *o = json_object_new_object();
			json_put_str(o, "type", "https://motcua.example/problems/missing_documents");
			json_put_str(o, "title", "Hồ sơ chưa đủ thành phần bắt buộc");
			json_put_int(o, "status", 422);
			json_put_str(o, "detail", "Attach a file for every required document of the case.");
			json_put_str(o, "code", "missing_documents");
			json_put_str(o, "field", "documents");
			json_object_object_add(o, "missing", json_object_get(plan->missing));
			const char *body = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
			                                                  JSON_C_TO_STRING_NOSLASHESCAPE);
			http_send(r, 422, "application/problem+json; charset=utf-8", NULL, body, strlen(body));
			json_object_put(o);
		}
		goto out;
	}
	if (request_hash(u, rhash) != 0 || api_new_secret(pin, salt, pin_hash) != 0) {
		http_internal_error(r, "hashing or random generator failed");
		goto out;
	}
	time_to_local(now, &lc);

	for (attempt = 0; attempt < TX_RETRIES; attempt++) {
		unsigned long seq;
		long long id = 0;
		struct dossier_new d;
		struct history_append ev;
		struct json_object *o;
		const char *answer;

		if ((rc = db_begin(r->db)) != 0)
			break;
		if (key[0] && (rc = idem_claim(r->db, key, scope, rhash)) != 0) {
			db_rollback(r->db);
			if (rc == 1) {
				replay(r, key, scope, rhash);
				goto out;
			}
			if (rc == DB_ERR_RETRY)
				continue;
			break;
		}
		if ((rc = dossier_next_seq(r->db, unit_id, lc.year, lc.month, lc.day, &seq)) != 0)
			goto rollback;
		if (dossier_code_format(unit_code, lc.year, lc.month, lc.day, seq, code, sizeof code) < 0) {
			rc = DB_ERR;
			goto rollback;
		}
		d = (struct dossier_new){
			.code = code, .procedure_id = pi.id, .field_id = pi.field_id, .unit_id = unit_id,
			.channel = "online", .result_channel = u->v[S_RESULT_CHANNEL].s,
			.state = dossier_state_code(start), .case_name = VAL(u, S_CASE),
			.applicant_name = u->v[S_NAME].s,
			.applicant_kind = u->v[S_KIND].present ? u->v[S_KIND].s : "citizen",
			.applicant_id_number = VAL(u, S_ID_NUMBER), .applicant_phone = VAL(u, S_PHONE),
			.applicant_email = VAL(u, S_EMAIL), .applicant_address = VAL(u, S_ADDRESS),
			.pin_salt = salt, .pin_hash = pin_hash, .waybill_in = "", .submitted_at = now,
		};
		if ((rc = dossier_insert(r->db, &d, &id)) != 0)
			goto rollback;
		if (citizen_id && (rc = dossier_set_citizen(r->db, id, citizen_id)) != 0)
			goto rollback;
		for (int i = 0; i < plan->ndocs; i++) {
			const struct upload_file *f = file_of(u, plan->docs[i].seq);
			unsigned char sha[32];
			struct document_file df;
			if (hex_to_bin(f->sha256, sha) != 0) {
				rc = DB_ERR;
				goto rollback;
			}
			df = (struct document_file){
				.dossier_id = id, .seq = plan->docs[i].seq, .name = plan->docs[i].name,
				.originals = plan->docs[i].originals, .copies = plan->docs[i].copies,
				.sha256 = sha, .file_name = f->name, .file_type = ft_name(f->type),
				.file_size = f->size, .uploaded_at = now, .uploaded_by = "applicant",
			};
			if ((rc = file_record(r->db, sha, f->size, ft_name(f->type))) != 0 ||
			    (rc = dossier_document_insert_file(r->db, &df)) != 0)
				goto rollback;
		}
		ev = (struct history_append){
			.dossier_id = id, .dossier_code = code, .at = now, .action = action_code(ACT_SUBMIT),
			.from_state = "", .to_state = dossier_state_code(start), .unit_id = unit_id,
			.unit_code = unit_code, .step_seq = -1, .step_name = "", .actor = "applicant",
			.note = "Nộp hồ sơ trực tuyến", .due_at = 0,
		};
		if ((rc = history_append(r->db, &ev)) != 0)
			goto rollback;
		{
			/* the code and the secret by e-mail (and SMS), in the same transaction */
			struct notify_extra x = { .public_url = r->cfg->public_url, .text = pin };
			if ((rc = notify_dossier_event(r->db, id, NK_SUBMITTED, &x)) < 0)
				goto rollback;
			rc = 0;
		}
		if (draft_id && (rc = draft_delete(r->db, draft_id)) != 0)
			goto rollback;
		o = json_object_new_object();
		json_put_str(o, "code", code);
		json_put_str(o, "pin", pin);
		json_put_str(o, "status", dossier_state_code(start));
		answer = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
		if (key[0] && (rc = idem_complete(r->db, key, scope, id, answer)) != 0) {
			json_object_put(o);
			goto rollback;
		}
		if ((rc = db_commit(r->db)) != 0) {
			json_object_put(o);
			goto rollback;
		}
		upload_commit_files(u);
		http_json(r, 201, o);
		goto out;
rollback:
		db_rollback(r->db);
		if (rc != DB_ERR_RETRY)
			break;
	}
	api_db_error(r, rc);
out:
	if (plan)
		json_object_put(plan->missing);
	free(plan);
}

/* Who submits: the signed-in citizen, or a guest; and the Idempotency-Key. 0, or -1
 * after answering. */
static int submitter(struct http_req *r, char key[IDEM_KEY_MAX + 1], char scope[48], long long *citizen_id)
{
	struct citizen me;

	if (idempotency_key(r, key) != 0 || api_citizen_optional(r, &me) != 0)
		return -1;
	/* a signed-in citizen's keys are their own: one person cannot replay another's */
	snprintf(scope, 48, "guest");
	if ((*citizen_id = me.id) != 0)
		snprintf(scope, 48, "citizen:%lld", *citizen_id);
	return 0;
}

void api_submission_create(struct http_req *r)
{
	struct upload_limits lim;
	struct upload *u = NULL;
	char key[IDEM_KEY_MAX + 1], scope[48];
	long long citizen_id = 0;

	if (submitter(r, key, scope, &citizen_id) != 0) {
		api_drain_body(r);
		return;
	}
	upload_limits_default(&lim, r->cfg);
	if (upload_parse(r, &lim, submission_spec, S__MAX, &u) != 0)
		return;
	submit_upload(r, u, key, scope, citizen_id, NULL);
	upload_free(u);         /* deletes whatever is still staged */
}

/*
 * Reads and drops what is left of the request body. An upload endpoint that answers before
 * reading the body (no session, no If-Match) must still read it: nginx 1.22 answers 502
 * instead when FastCGI closes while it is still sending ("writev() failed (32: Broken
 * pipe)"), as core/upload.h explains. At most the upload limit is read.
 */
void api_drain_body(struct http_req *r)
{
	char buf[16 * 1024];
	unsigned long long left = UPLOAD_DEFAULT_MAX_BODY + 1;
	int got;

	while (left > 0 && (got = FCGX_GetStr(buf, (int)sizeof buf, r->fx->in)) > 0)
		left -= (unsigned long long)got < left ? (unsigned long long)got : left;
}

/* ---------------------------------------------------------------- serving files */

/*
 * Answers a document's file through nginx: X-Accel-Redirect to the internal location
 * /_files/ whose alias is the file store, so the bytes never pass through FastCGI and
 * the store's paths are never public.
 */
void api_send_document_file(struct http_req *r, long long dossier_id, int seq)
{
	struct stored_document_file f;
	char rel[FS_REL_MAX], headers[1024], enc[3 * FILENAME_SAFE_MAX + 1], ascii[FILENAME_SAFE_MAX + 1];
	const char *mime;
	size_t e = 0, a = 0;
	int rc;

	if ((rc = dossier_document_file(r->db, dossier_id, seq, &f)) != 0) {
		if (rc == 1)
			http_problem(r, 404, "file_not_found", "Thành phần hồ sơ này chưa có tệp",
			             "That document has no file.", "seq");
		else
			api_db_error(r, rc);
		return;
	}
	if (filestore_rel_path(f.hex, rel) != FS_OK) {
		http_internal_error(r, "bad digest in dossier_documents");
		return;
	}
	/* filename= gets an ASCII stand-in, filename*= the sanitised UTF-8 name (RFC 6266) */
	for (const unsigned char *p = (const unsigned char *)f.name; *p && e + 4 < sizeof enc; p++) {
		if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    *p == '.' || *p == '-' || *p == '_')
			enc[e++] = (char)*p;
		else
			e += (size_t)snprintf(enc + e, sizeof enc - e, "%%%02X", *p);
		if (a < FILENAME_SAFE_MAX)
			ascii[a++] = *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' ? (char)*p : '_';
	}
	enc[e] = '\0';
	ascii[a] = '\0';
	mime = strcmp(f.type, "pdf") == 0 ? "application/pdf" :
	       strcmp(f.type, "jpeg") == 0 ? "image/jpeg" : "image/png";
	snprintf(headers, sizeof headers,
	         "X-Accel-Redirect: /_files/%s\r\n"
	         "Content-Disposition: attachment; filename=\"%s\"; filename*=UTF-8''%s\r\n",
	         rel, ascii, enc);
	http_send(r, 200, mime, headers, NULL, 0);
}

enum { F_PIN, F__MAX };

static const char *check_pin(const char *s, size_t len)
{
	(void)s;
	return len < 8 ? "at least 8 characters" : NULL;
}

static const struct param_spec file_params[F__MAX] = {
	[F_PIN] = { "pin", PT_TOKEN, 1, 64, 0, 0, NULL, check_pin },
};

struct pin_check { const char *pin; size_t len; long long id; };

static int on_tracked(const struct tracked_dossier *d, void *arg)
{
	struct pin_check *c = arg;

	if (api_pin_matches(d->pin_salt, d->pin_hash, c->pin, c->len))
		c->id = d->id;
	return 0;
}

void api_tracking_document_file(struct http_req *r)
{
	struct params p;
	struct pin_check c = { 0 };
	char *end;
	long seq;
	int rc;

	if (params_parse(r, file_params, F__MAX, &p) != 0)
		return;
	api_code_upper(r);
	seq = strtol(r->args[1], &end, 10);
	if (*end || seq < 1 || seq > 1000) {
		params_reject(r, "seq", "a document number from 1 to 1000");
		return;
	}
	c.pin = p.v[F_PIN].s;
	c.len = p.v[F_PIN].len;
	rc = tracking_dossier(r->db, r->args[0], on_tracked, NULL, &c);
	if (rc < 0) {
		api_db_error(r, rc);
		return;
	}
	/* a wrong secret and an unknown code: the same 404 */
	if (rc == 1 || c.id == 0) {
		http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
		             "No dossier matches that code and secret.", "code");
		return;
	}
	api_send_document_file(r, c.id, (int)seq);
}

/* ---------------------------------------------------------------- the applicant acts */

/*
 * The dossier behind code + secret, as the tracking page finds it. Uppercases the code
 * in place (people copy codes by hand). 0 with *id, or -1 after answering (404 for a
 * wrong secret or an unknown code alike).
 */
static int applicant_dossier(struct http_req *r, char *code, const char *pin, size_t pin_len,
                             long long *id)
{
	struct pin_check c = { pin, pin_len, 0 };
	int rc;

	for (char *p = code; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	rc = tracking_dossier(r->db, code, on_tracked, NULL, &c);
	if (rc < 0) {
		api_db_error(r, rc);
		return -1;
	}
	if (rc == 1 || c.id == 0) {
		http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
		             "No dossier matches that code and secret.", "code");
		return -1;
	}
	*id = c.id;
	return 0;
}

/* Answers the workflow's refusal of an applicant's action (api_dossier_act returned 1). */
static void refused(struct http_req *r, enum dossier_action act, int verdict)
{
	char detail[160];

	if (verdict == WF_OK) {
		http_problem(r, 404, "dossier_not_found", "Không tìm thấy hồ sơ",
		             "No dossier matches that code and secret.", "code");
		return;
	}
	snprintf(detail, sizeof detail, "Action '%s' is not possible for the applicant in the dossier's current state.",
	         action_code(act));
	http_problem(r, 409, "invalid_state", "Không thể thực hiện thao tác ở trạng thái hiện tại của hồ sơ",
	             detail, "action");
}

/* The new state, for the answer; "" if it cannot be read. */
static void answer_state(struct http_req *r, const char *code)
{
	struct dossier_row d;
	struct json_object *o = json_object_new_object();

	json_put_str(o, "code", code);
	if (dossier_find(r->db, code, "", &d) == 0)
		json_put_str(o, "status", d.state);
	http_json(r, 200, o);
}

#define SUPP_DOCS 30
#define SUPP_EXTRAS 8

enum { U_PIN, U_NOTE, U_DOC1, U_EXTRA1 = U_DOC1 + SUPP_DOCS, U__MAX = U_EXTRA1 + SUPP_EXTRAS };

static const struct upload_spec supplement_spec[U__MAX] = {
	[U_PIN]  = TXT("pin", 1, PT_TOKEN, 64, NULL, check_pin),
	[U_NOTE] = TXT("note", 0, PT_TEXT, 2000, NULL, NULL),
	[U_DOC1 + 0] = DOC("doc_1"), [U_DOC1 + 1] = DOC("doc_2"), [U_DOC1 + 2] = DOC("doc_3"),
	[U_DOC1 + 3] = DOC("doc_4"), [U_DOC1 + 4] = DOC("doc_5"), [U_DOC1 + 5] = DOC("doc_6"),
	[U_DOC1 + 6] = DOC("doc_7"), [U_DOC1 + 7] = DOC("doc_8"), [U_DOC1 + 8] = DOC("doc_9"),
	[U_DOC1 + 9] = DOC("doc_10"), [U_DOC1 + 10] = DOC("doc_11"), [U_DOC1 + 11] = DOC("doc_12"),
	[U_DOC1 + 12] = DOC("doc_13"), [U_DOC1 + 13] = DOC("doc_14"), [U_DOC1 + 14] = DOC("doc_15"),
	[U_DOC1 + 15] = DOC("doc_16"), [U_DOC1 + 16] = DOC("doc_17"), [U_DOC1 + 17] = DOC("doc_18"),
	[U_DOC1 + 18] = DOC("doc_19"), [U_DOC1 + 19] = DOC("doc_20"), [U_DOC1 + 20] = DOC("doc_21"),
	[U_DOC1 + 21] = DOC("doc_22"), [U_DOC1 + 22] = DOC("doc_23"), [U_DOC1 + 23] = DOC("doc_24"),
	[U_DOC1 + 24] = DOC("doc_25"), [U_DOC1 + 25] = DOC("doc_26"), [U_DOC1 + 26] = DOC("doc_27"),
	[U_DOC1 + 27] = DOC("doc_28"), [U_DOC1 + 28] = DOC("doc_29"), [U_DOC1 + 29] = DOC("doc_30"),
	[U_EXTRA1 + 0] = DOC("extra_1"), [U_EXTRA1 + 1] = DOC("extra_2"), [U_EXTRA1 + 2] = DOC("extra_3"),
	[U_EXTRA1 + 3] = DOC("extra_4"), [U_EXTRA1 + 4] = DOC("extra_5"), [U_EXTRA1 + 5] = DOC("extra_6"),
	[U_EXTRA1 + 6] = DOC("extra_7"), [U_EXTRA1 + 7] = DOC("extra_8"),
};

/* Stores the supplement's files on the dossier, in the caller's transaction. 0, 1 after
 * answering (a doc_<seq> the dossier does not have), <0 a DB error. */
static int attach_supplement(struct http_req *r, long long id, const struct upload *u, mc_time now)
{
	for (size_t i = 0; i < u->nfiles; i++) {
		const struct upload_file *f = &u->files[i];
		unsigned char sha[32];
		char name[2001];
		int rc, seq;

		if (hex_to_bin(f->sha256, sha) != 0)
			return DB_ERR;
		if ((rc = file_record(r->db, sha, f->size, ft_name(f->type))) != 0)
			return rc;
		if (f->spec_index < U_EXTRA1) {
			rc = dossier_document_set_file(r->db, id, (int)(f->spec_index - U_DOC1 + 1), sha, f->name,
			                               ft_name(f->type), f->size, now, "applicant", name, sizeof name);
			if (rc == 1) {
				http_problem(r, 422, "unknown_document", "Hồ sơ không có thành phần này",
				             "The dossier has no document with that number: send it as extra_<n>.",
				             f->field);
				return 1;
			}
		} else {
			snprintf(name, sizeof name, "Tài liệu bổ sung: %s", f->name);
			rc = dossier_document_add_extra(r->db, id, name, sha, f->name, ft_name(f->type),
			                                f->size, now, "applicant", &seq);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

void api_tracking_supplement(struct http_req *r)
{
	struct upload_limits lim;
	struct upload *u = NULL;
	long long id = 0;
	int rc = 0, verdict = WF_OK;

	upload_limits_default(&lim, r->cfg);
	if (upload_parse(r, &lim, supplement_spec, U__MAX, &u) != 0)
		return;
	if (u->nfiles == 0) {
		http_problem(r, 422, "missing_part", "Cần đính kèm ít nhất một tệp bổ sung",
		             "A supplement needs at least one file (doc_<seq> or extra_<n>).", "doc_1");
		goto out;
	}
	if (applicant_dossier(r, r->args[0], u->v[U_PIN].s, u->v[U_PIN].len, &id) != 0)
		goto out;
	for (int attempt = 0; attempt < TX_RETRIES; attempt++) {
		if ((rc = db_begin(r->db)) != 0)
			break;
		rc = api_dossier_act(r, r->args[0], ACT_SUPPLEMENT, ACTOR_APPLICANT, "applicant",
		                     u->v[U_NOTE].present && u->v[U_NOTE].len ? u->v[U_NOTE].s : "Công dân nộp bổ sung hồ sơ trực tuyến",
		                     &verdict);
		if (rc == 1) {
			db_rollback(r->db);
			refused(r, ACT_SUPPLEMENT, verdict);
			goto out;
		}
		if (rc == 0)
			rc = attach_supplement(r, id, u, time(NULL));
		if (rc == 1) {
			db_rollback(r->db);
			goto out;
		}
		if (rc != 0 || (rc = db_commit(r->db)) != 0) {
			db_rollback(r->db);
			if (rc == DB_ERR_RETRY)
				continue;
			break;
		}
		upload_commit_files(u);
		answer_state(r, r->args[0]);
		goto out;
	}
	api_db_error(r, rc);
out:
	upload_free(u);
}

enum { W_PIN, W_REASON, W__MAX };

static const struct jin_spec withdraw_spec[W__MAX] = {
	[W_PIN]    = { "pin", JIN_TEXT, 1, 8, 64, 0, 0, NULL, NULL },
	[W_REASON] = { "reason", JIN_TEXT, 1, 1, 2000, 0, 0, NULL, NULL },
};

void api_tracking_withdraw(struct http_req *r)
{
	struct jin in;
	long long id = 0;
	int rc = 0, verdict = WF_OK;
	char note[2100];

	memset(&in, 0, sizeof in);
	if (json_body_parse(r, 8192, withdraw_spec, W__MAX, &in) != 0)
		goto out;
	if (applicant_dossier(r, r->args[0], in.v[W_PIN].s, in.v[W_PIN].len, &id) != 0)
		goto out;
	snprintf(note, sizeof note, "Công dân rút hồ sơ. Lý do: %s", in.v[W_REASON].s);
	for (int attempt = 0; attempt < TX_RETRIES; attempt++) {
		if ((rc = db_begin(r->db)) != 0)
			break;
		rc = api_dossier_act(r, r->args[0], ACT_WITHDRAW, ACTOR_APPLICANT, "applicant", note, &verdict);
		if (rc == 1) {
			db_rollback(r->db);
			refused(r, ACT_WITHDRAW, verdict);
			goto out;
		}
		if (rc != 0 || (rc = db_commit(r->db)) != 0) {
			db_rollback(r->db);
			if (rc == DB_ERR_RETRY)
				continue;
			break;
		}
		answer_state(r, r->args[0]);
		goto out;
	}
	api_db_error(r, rc);
out:
	jin_free(&in);
}

/* ---------------------------------------------------------------- drafts */

/*
 * A draft keeps the form so far: the same fields and files as a submission, none
 * required but the procedure, checked the same way. Its files enter the store at once
 * (the draft refers to them). A guest's draft is reached with the token answered at its
 * creation, sent back in X-Draft-Token; a citizen's with their session. Submitting a
 * draft runs the submission with what it holds and deletes it in the same transaction.
 */
#define DRAFT_ID_BYTES 16           /* 22 base64url characters */

static int draft_owner_ok(struct http_req *r, const struct draft_row *d, long long citizen_id)
{
	const char *t = http_header(r, "HTTP_X_DRAFT_TOKEN");
	unsigned char h[32];

	if (d->citizen_id)
		return d->citizen_id == citizen_id;
	if (!t || !d->has_guest_hash)
		return 0;
	crypto_sha256(t, strlen(t), h);
	return crypto_equal(h, d->guest_hash, 32);
}

void api_draft_create(struct http_req *r)
{
	struct upload_limits lim;
	struct upload_spec spec[S__MAX];
	struct upload *u = NULL;
	struct procedure_info pi;
	struct json_object *form = NULL;
	char key[IDEM_KEY_MAX + 1], scope[48], id[32], token[48];
	unsigned char th[32];
	long long citizen_id = 0;
	int rc = 0;

	if (submitter(r, key, scope, &citizen_id) != 0) {
		api_drain_body(r);
		return;
	}
	memcpy(spec, submission_spec, sizeof spec);
	for (size_t k = 0; k < S__MAX; k++)
		spec[k].required = k == S_PROCEDURE;
	upload_limits_default(&lim, r->cfg);
	if (upload_parse(r, &lim, spec, S__MAX, &u) != 0)
		return;
	if ((rc = procedure_info_load(r->db, u->v[S_PROCEDURE].s, &pi)) != 0) {
		if (rc == 1)
			http_problem(r, 422, "unknown_procedure", "Không có thủ tục này",
			             "No published procedure has that code.", "procedure");
		else
			api_db_error(r, rc);
		goto out;
	}
	if (crypto_token(DRAFT_ID_BYTES, id) != 0 || crypto_token(32, token) != 0) {
		http_internal_error(r, "random generator failed");
		goto out;
	}
	crypto_sha256(token, strlen(token), th);
	form = json_object_new_object();
	for (size_t k = 0; k < S_DOC1; k++)
		if (u->v[k].present)
			json_put_str(form, submission_spec[k].name, u->v[k].s);
	if ((rc = db_begin(r->db)) != 0) {
		api_db_error(r, rc);
		goto out;
	}
	rc = draft_insert(r->db, id, citizen_id, citizen_id ? NULL : th, pi.id, VAL(u, S_CASE),
	                  json_object_to_json_string_ext(form, JSON_C_TO_STRING_PLAIN));
	for (size_t i = 0; rc == 0 && i < u->nfiles; i++) {
		const struct upload_file *f = &u->files[i];
		unsigned char sha[32];
		if (hex_to_bin(f->sha256, sha) != 0)
			rc = DB_ERR;
		else if ((rc = file_record(r->db, sha, f->size, ft_name(f->type))) == 0)
			rc = draft_file_insert(r->db, id, (int)(f->spec_index - S_DOC1 + 1), sha, f->name);
	}
	if (rc != 0 || (rc = db_commit(r->db)) != 0) {
		db_rollback(r->db);
		api_db_error(r, rc);
		goto out;
	}
	upload_commit_files(u);
	{
		struct json_object *o = json_object_new_object();
		json_put_str(o, "id", id);
		if (!citizen_id)
			json_put_str(o, "token", token);
		http_json(r, 201, o);
	}
out:
	json_object_put(form);
	upload_free(u);
}

/* Loads the draft of r->args[0] for its owner; 0, or -1 after answering (404 for
 * someone else's, as for one that does not exist). */
static int load_own_draft(struct http_req *r, struct draft_row *d, long long *citizen_id)
{
	struct citizen me;
	int rc;

	if (api_citizen_optional(r, &me) != 0)
		return -1;
	*citizen_id = me.id;
	if ((rc = draft_load(r->db, r->args[0], d)) < 0) {
		api_db_error(r, rc);
		return -1;
	}
	if (rc == 1 || !draft_owner_ok(r, d, me.id)) {
		free(d->form_json);
		d->form_json = NULL;
		http_problem(r, 404, "draft_not_found", "Không tìm thấy hồ sơ nháp",
		             "No draft with that id for you (a guest sends the draft's X-Draft-Token).", "id");
		return -1;
	}
	return 0;
}

static int on_draft_file(const struct draft_file_row *f, void *arg)
{
	struct json_object *o = json_object_new_object();

	json_put_int(o, "seq", f->seq);
	json_put_str(o, "name", f->file_name);
	json_put_str(o, "type", f->type);
	json_put_int(o, "size", (long long)f->size);
	json_object_array_add(arg, o);
	return 0;
}

void api_draft_get(struct http_req *r)
{
	struct params p;
	struct draft_row d;
	struct json_object *o, *files;
	long long citizen_id;
	int rc;

	if (params_parse(r, NULL, 0, &p) != 0 || load_own_draft(r, &d, &citizen_id) != 0)
		return;
	o = json_object_new_object();
	files = json_object_new_array();
	json_put_str(o, "id", r->args[0]);
	json_object_object_add(o, "fields", json_tokener_parse(d.form_json));
	json_object_object_add(o, "files", files);
	api_put_time(o, "created_at", d.created_at);
	free(d.form_json);
	if ((rc = draft_files(r->db, r->args[0], on_draft_file, files)) != 0) {
		json_object_put(o);
		api_db_error(r, rc);
		return;
	}
	http_json(r, 200, o);
}

/* The draft as an upload whose files are already stored (settled): what submit_upload takes. */
struct draft_build { struct upload *u; int bad; };

static int add_draft_file(const struct draft_file_row *f, void *arg)
{
	struct draft_build *b = arg;
	struct upload_file *uf;

	if (f->seq < 1 || f->seq > SUBMIT_DOCS || b->u->nfiles == UPLOAD_MAX_FILES || !f->hex || strlen(f->hex) != 64) {
		b->bad = 1;
		return 0;
	}
	uf = &b->u->files[b->u->nfiles++];
	memset(uf, 0, sizeof *uf);
	uf->spec_index = (size_t)(S_DOC1 + f->seq - 1);
	uf->field = submission_spec[uf->spec_index].name;
	snprintf(uf->name, sizeof uf->name, "%s", f->file_name ? f->file_name : FILENAME_DEFAULT);
	uf->type = strcmp(f->type, "pdf") == 0 ? FT_PDF : strcmp(f->type, "jpeg") == 0 ? FT_JPEG : FT_PNG;
	uf->size = f->size;
	memcpy(uf->sha256, f->hex, 65);
	uf->settled = 1;
	b->u->v[uf->spec_index].present = 1;
	b->u->v[uf->spec_index].i = 1;
	return 0;
}

static int draft_to_upload(struct http_req *r, const char *form_json, struct upload *u)
{
	struct json_object *form = json_tokener_parse(form_json), *val;
	struct draft_build b = { u, 0 };
	int rc;

	if (!form)
		return DB_ERR;
	for (size_t k = 0; k < S_DOC1; k++) {
		const char *s;
		size_t len;
		if (!json_object_object_get_ex(form, submission_spec[k].name, &val))
			continue;
		s = json_object_get_string(val);
		len = strlen(s);
		if (u->text_used + len + 1 > sizeof u->text)
			break;
		memcpy(u->text + u->text_used, s, len + 1);
		u->v[k] = (struct upload_value){ 1, u->text + u->text_used, len, 0 };
		/* the enum's index, as upload_parse leaves it */
		if (submission_spec[k].type == PT_ENUM)
			for (long long i = 0; submission_spec[k].choices[i]; i++)
				if (strcmp(submission_spec[k].choices[i], s) == 0)
					u->v[k].i = i;
		u->text_used += len + 1;
	}
	json_object_put(form);
	if ((rc = draft_files(r->db, r->args[0], add_draft_file, &b)) != 0)
		return rc;
	return b.bad ? DB_ERR : 0;
}

void api_draft_submit(struct http_req *r)
{
	struct draft_row d;
	struct upload *u = NULL;
	char key[IDEM_KEY_MAX + 1], scope[48];
	long long citizen_id = 0;
	int rc;

	if (submitter(r, key, scope, &citizen_id) != 0 || load_own_draft(r, &d, &citizen_id) != 0)
		return;
	if ((u = calloc(1, sizeof *u)) == NULL) {
		http_internal_error(r, "out of memory");
		goto out;
	}
	u->root = r->cfg->files_dir;
	if ((rc = draft_to_upload(r, d.form_json, u)) != 0) {
		api_db_error(r, rc);
		goto out;
	}
	/* what upload_parse checks of a submission's required fields */
	for (size_t k = 0; k < S_DOC1; k++)
		if (submission_spec[k].required && !u->v[k].present) {
			char detail[96];
			snprintf(detail, sizeof detail, "Field '%s' is required: save it in a new draft.",
			         submission_spec[k].name);
			http_problem(r, 422, "missing_part", "Thiếu trường dữ liệu hoặc tệp bắt buộc", detail,
			             submission_spec[k].name);
			goto out;
		}
	submit_upload(r, u, key, scope, citizen_id, r->args[0]);
out:
	free(d.form_json);
	upload_free(u);
}
