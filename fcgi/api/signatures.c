/*
 * Digital signatures (DOMAIN.md "Digital signatures"):
 *   POST   /api/v1/signatures/verify     public: multipart/form-data, `file` (a signed PDF,
 *                                        or a detached CMS .p7s) and, for a .p7s, `content`
 *   GET    /api/v1/trust/cas             admin: the trusted CAs
 *   POST   /api/v1/trust/cas             admin: {name, pem} a CA certificate (CA:TRUE)
 *   DELETE /api/v1/trust/cas/{id}        admin: stop trusting a CA
 *   POST   /api/v1/trust/crls            admin: {pem} a CRL
 *   GET    /api/v1/trust/crl-sources     admin: where CRLs are refreshed from, with the last outcome
 *   POST   /api/v1/trust/crl-sources     admin: {url, ca_id?, issuer_pem?} (http:// or file:///)
 *   DELETE /api/v1/trust/crl-sources/{id}          admin: stop refreshing from it
 *   POST   /api/v1/trust/crl-sources/{id}/refresh  admin: fetch it now (motcua-worker does it
 *                                        every MOTCUA_CRL_REFRESH_MINUTES)
 *
 * A verification report names, for each signer certificate registered to an officer
 * (api/certificates.c), that officer: "registered_officer".
 *
 * The verifier (sig/sigverify.h) is built once per process from the database and shared
 * by every thread; it is rebuilt when trust_generation changes (looked at no more often
 * than every TRUST_CHECK_SECONDS, and at once in the process that made the change). A
 * verifier in use by a request is reference-counted, so a rebuild never frees it under
 * a running verification.
 *
 * The upload is read here with the multipart parser (core/multipart.h) into memory
 * rather than with upload_parse: upload_parse only accepts PDF, JPEG and PNG by their
 * bytes, and a .p7s or the signed content can be anything. Limits: each file
 * SIG_MAX_FILE bytes, the body SIG_MAX_BODY (= nginx client_max_body_size 25m).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/crlrefresh.h"
#include "core/crypto.h"
#include "core/db.h"
#include "core/httpget.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/log.h"
#include "core/multipart.h"
#include "core/params.h"
#include "domain/filetype.h"
#include "domain/timeutil.h"
#include "domain/workflow.h"
#include "sig/sigverify.h"
#include "store/officer_store.h"
#include "store/trust_store.h"
#include "api.h"

#define TRUST_CHECK_SECONDS 3
#define SIG_MAX_FILE (20ull * 1024 * 1024)
#define SIG_MAX_BODY (25ull * 1024 * 1024)

/* ---------------------------------------------------------------- the shared verifier */

struct vholder {
	struct sig_verifier *v;
	int refs;
};

static pthread_mutex_t vlock = PTHREAD_MUTEX_INITIALIZER;
static struct vholder *vcur;
static long long vgen = -1;
static time_t vchecked;

static void holder_release_locked(struct vholder *h)
{
	if (h && --h->refs == 0) {
		sig_verifier_free(h->v);
		free(h);
	}
}

static void verifier_release(struct vholder *h)
{
	pthread_mutex_lock(&vlock);
	holder_release_locked(h);
	pthread_mutex_unlock(&vlock);
}

/* The change was made here: look at the generation on the next use. */
static void verifier_invalidate(void)
{
	pthread_mutex_lock(&vlock);
	vchecked = 0;
	pthread_mutex_unlock(&vlock);
}

/* The current verifier, held (verifier_release), or NULL on a failure (logged). */
static struct vholder *verifier_get(struct db *db)
{
	struct vholder *h = NULL;
	time_t now = time(NULL);

	pthread_mutex_lock(&vlock);
	if (!vcur || now - vchecked >= TRUST_CHECK_SECONDS || now < vchecked) {
		long long gen = 0;
		if (trust_generation(db, &gen) != 0) {
			log_error("signatures: reading trust_generation: %s", db_error(db));
		} else if (!vcur || gen != vgen) {
			struct sig_verifier *v = NULL;
			size_t ncas = 0, ncrls = 0;
			int rc = trust_verifier_build(db, &v, &ncas, &ncrls);
			if (rc == -1)
				log_error("signatures: loading the trust list failed");
			else if (rc != 0)
				log_error("signatures: building the verifier failed");
			else {
				struct vholder *nh = malloc(sizeof *nh);
				if (!nh) {
					sig_verifier_free(v);
				} else {
					nh->v = v;
					nh->refs = 1;
					holder_release_locked(vcur);
					vcur = nh;
					vgen = gen;
					log_info("signatures: verifier built, %zu CA(s), %zu CRL(s), generation %lld",
					         ncas, ncrls, gen);
				}
			}
		}
		if (vcur)
			vchecked = now;
	}
	if (vcur) {
		h = vcur;
		h->refs++;
	}
	pthread_mutex_unlock(&vlock);
	return h;
}

struct sig_verifier *api_verifier_hold(struct db *db, void **token)
{
	struct vholder *h = verifier_get(db);
	*token = h;
	return h ? h->v : NULL;
}

void api_verifier_release(void *token)
{
	verifier_release(token);
}

void api_verifier_changed(void)
{
	verifier_invalidate();
}

/* ---------------------------------------------------------------- the upload */

enum { F_FILE, F_CONTENT, F__MAX };
static const char *const field_names[F__MAX] = { "file", "content" };

struct part_buf {
	int present;
	unsigned char *data;
	size_t len, cap;
	char name[FILENAME_SAFE_MAX + 1];
};

struct upload_ctx {
	struct part_buf f[F__MAX];
	int cur;                        /* index in f, -1: none */
	int status;                     /* a problem to answer, 0: none */
	const char *code, *title, *detail, *field;
	char bad_field[MP_NAME_MAX + 1];
};

static void fail(struct upload_ctx *c, int status, const char *code, const char *title,
                 const char *detail, const char *field)
{
	if (c->status)
		return;
	c->status = status;
	c->code = code;
	c->title = title;
	c->detail = detail;
	c->field = field;
}

static int on_begin(void *ctx, const struct mp_part *p)
{
	struct upload_ctx *c = ctx;
	int k;

	for (k = 0; k < F__MAX; k++)
		if (strcmp(p->name, field_names[k]) == 0)
			break;
	if (k == F__MAX) {
		snprintf(c->bad_field, sizeof c->bad_field, "%s", p->name);
		fail(c, 400, "unknown_field", "Trường không được hỗ trợ",
		     "Only the parts 'file' and 'content' are accepted.", c->bad_field);
		return 1;
	}
	if (c->f[k].present) {
		fail(c, 400, "too_many_files", "Chỉ được gửi một tệp cho mỗi trường",
		     "One file per part.", field_names[k]);
		return 1;
	}
	if (!p->has_filename) {
		fail(c, 400, "invalid_field", "Trường này phải là một tệp",
		     "This part must be a file.", field_names[k]);
		return 1;
	}
	if (p->filename_len == 0) {         /* an empty file input: absent */
		c->cur = -1;
		return 0;
	}
	c->f[k].present = 1;
	filename_sanitise(p->filename, p->filename_len, c->f[k].name);
	c->cur = k;
	return 0;
}

static int on_data(void *ctx, const char *data, size_t len)
{
	struct upload_ctx *c = ctx;
	struct part_buf *b;

	if (c->cur < 0)
		return 0;
	b = &c->f[c->cur];
	if (b->len + len > SIG_MAX_FILE) {
		fail(c, 413, "file_too_large", "Tệp quá lớn (tối đa 20 MB)",
		     "A file may have at most 20 MB.", field_names[c->cur]);
		return 1;
	}
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 64 * 1024;
		unsigned char *nd;
		while (cap < b->len + len)
			cap *= 2;
		if ((nd = realloc(b->data, cap)) == NULL) {
			fail(c, 500, "internal_error", "Lỗi hệ thống", "Out of memory.", NULL);
			return 1;
		}
		b->data = nd;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

static int on_end(void *ctx)
{
	((struct upload_ctx *)ctx)->cur = -1;
	return 0;
}

static void upload_ctx_free(struct upload_ctx *c)
{
	for (int k = 0; k < F__MAX; k++)
		free(c->f[k].data);
}

/* Reads the whole body. 0, or -1 after answering. */
static int read_upload(struct http_req *r, struct upload_ctx *c)
{
	static const struct mp_callbacks cb = { on_begin, on_data, on_end };
	struct mp_parser *mp;
	const char *cl = http_header(r, "CONTENT_LENGTH");
	char buf[64 * 1024];
	unsigned long long total = 0;
	enum mp_error e;
	int got;

	memset(c, 0, sizeof *c);
	c->cur = -1;
	if (cl && strtoull(cl, NULL, 10) > SIG_MAX_BODY) {
		api_drain_body(r);
		http_problem(r, 413, "body_too_large", "Dữ liệu gửi lên quá lớn (tối đa 25 MB)",
		             "The request body may have at most 25 MB.", NULL);
		return -1;
	}
	if ((mp = malloc(sizeof *mp)) == NULL) {
		api_drain_body(r);
		http_internal_error(r, "out of memory");
		return -1;
	}
	e = mp_init(mp, http_header(r, "CONTENT_TYPE"), &cb, c, 8);
	if (e != MP_OK) {
		free(mp);
		api_drain_body(r);
		http_problem(r, 415, "unsupported_media_type", "Cần gửi dạng multipart/form-data",
		             "The body must be multipart/form-data.", NULL);
		return -1;
	}
	while ((got = FCGX_GetStr(buf, (int)sizeof buf, r->fx->in)) > 0) {
		total += (unsigned long long)got;
		if (total > SIG_MAX_BODY) {
			fail(c, 413, "body_too_large", "Dữ liệu gửi lên quá lớn (tối đa 25 MB)",
			     "The request body may have at most 25 MB.", NULL);
			break;
		}
		if (e == MP_OK && !c->status)
			e = mp_feed(mp, buf, (size_t)got);
	}
	if (e == MP_OK && !c->status)
		e = mp_finish(mp);
	if (total > SIG_MAX_BODY)
		api_drain_body(r);
	free(mp);
	if (c->status) {
		http_problem(r, c->status, c->code, c->title, c->detail, c->field);
		return -1;
	}
	if (e != MP_OK) {
		http_problem(r, 400, e == MP_ERR_TRUNCATED ? "truncated_body" : "malformed_multipart",
		             "Dữ liệu gửi lên không đúng định dạng", mp_strerror(e), NULL);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- the report */

static int looks_like_cms(const unsigned char *d, size_t n)
{
	BIO *b;
	CMS_ContentInfo *cms = NULL;

	if (n == 0 || n > (size_t)0x7fffffff)
		return 0;
	ERR_set_mark();
	if ((b = BIO_new_mem_buf(d, (int)n)) != NULL) {
		if (d[0] == 0x30)
			cms = d2i_CMS_bio(b, NULL);
		else if (n > 11 && memcmp(d, "-----BEGIN ", 11) == 0) {
			char *name = NULL, *header = NULL;
			unsigned char *data = NULL;
			long dlen = 0;
			if (PEM_read_bio(b, &name, &header, &data, &dlen) == 1) {
				const unsigned char *q = data;
				cms = d2i_CMS_ContentInfo(NULL, &q, dlen);
			}
			OPENSSL_free(name);
			OPENSSL_free(header);
			OPENSSL_free(data);
		}
		BIO_free(b);
	}
	ERR_pop_to_mark();
	if (!cms)
		return 0;
	CMS_ContentInfo_free(cms);
	return 1;
}

static void hex32(const unsigned char d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void put_time(struct json_object *o, const char *key, mc_time t)
{
	char buf[40];
	time_format_iso(t, buf, sizeof buf);
	json_put_str(o, key, buf);
}

static const char *reason_vi(enum sig_reason r)
{
	switch (r) {
	case SIG_R_NONE: return "đạt";
	case SIG_R_BYTE_RANGE_INVALID: return "phạm vi ký trong tệp PDF không hợp lệ";
	case SIG_R_UNSUPPORTED_SUBFILTER: return "kiểu chữ ký không được hỗ trợ";
	case SIG_R_NOT_WHOLE_FILE: return "tệp đã được thêm nội dung sau khi ký";
	case SIG_R_LATER_SIGNATURES_ONLY: return "sau khi ký chỉ có thêm chữ ký khác";
	case SIG_R_CMS_MALFORMED: return "dữ liệu chữ ký bị hỏng";
	case SIG_R_SIGNER_CERT_MISSING: return "thiếu chứng thư số của người ký";
	case SIG_R_DIGEST_MISMATCH: return "nội dung tài liệu đã bị thay đổi sau khi ký";
	case SIG_R_BAD_SIGNATURE: return "chữ ký không khớp với chứng thư số";
	case SIG_R_SIGNING_CERT_MISMATCH: return "chứng thư số ghi trong chữ ký không khớp";
	case SIG_R_UNTRUSTED_CHAIN: return "chứng thư số không do tổ chức được tin cậy cấp";
	case SIG_R_EXPIRED_AT_SIGNING: return "chứng thư số đã hết hạn vào thời điểm ký";
	case SIG_R_NOT_YET_VALID_AT_SIGNING: return "chứng thư số chưa có hiệu lực vào thời điểm ký";
	case SIG_R_EXPIRED_NOW: return "chứng thư số nay đã hết hạn";
	case SIG_R_NO_SIGNING_TIME: return "chữ ký không ghi thời điểm ký";
	case SIG_R_REVOKED_BEFORE_SIGNING: return "chứng thư số đã bị thu hồi trước thời điểm ký";
	case SIG_R_REVOKED_AFTER_SIGNING: return "chứng thư số bị thu hồi sau thời điểm ký";
	case SIG_R_REVOKED: return "chứng thư số đã bị thu hồi";
	case SIG_R_NO_CRL: return "không có danh sách thu hồi để kiểm tra";
	case SIG_R_CRL_EXPIRED: return "danh sách thu hồi đã quá hạn cập nhật";
	case SIG_R_BAD_KEY_USAGE: return "chứng thư số không dùng để ký";
	case SIG_R_BAD_EXT_KEY_USAGE: return "chứng thư số không dùng để ký tài liệu";
	case SIG_R_NO_SIGNATURES: return "tài liệu không có chữ ký số";
	case SIG_R_PDF_MALFORMED: return "tệp PDF bị hỏng, không đọc được";
	default: return "";
	}
}

static const char *reason_en(enum sig_reason r)
{
	switch (r) {
	case SIG_R_NONE: return "passed";
	case SIG_R_BYTE_RANGE_INVALID: return "the signed byte range of the PDF is invalid";
	case SIG_R_UNSUPPORTED_SUBFILTER: return "this kind of signature is not supported";
	case SIG_R_NOT_WHOLE_FILE: return "content was added to the file after signing";
	case SIG_R_LATER_SIGNATURES_ONLY: return "only other signatures were added after signing";
	case SIG_R_CMS_MALFORMED: return "the signature data is damaged";
	case SIG_R_SIGNER_CERT_MISSING: return "the signer's certificate is missing";
	case SIG_R_DIGEST_MISMATCH: return "the document was changed after it was signed";
	case SIG_R_BAD_SIGNATURE: return "the signature does not match the certificate";
	case SIG_R_SIGNING_CERT_MISMATCH: return "the certificate named in the signature does not match";
	case SIG_R_UNTRUSTED_CHAIN: return "the certificate was not issued by a trusted authority";
	case SIG_R_EXPIRED_AT_SIGNING: return "the certificate had expired at the signing time";
	case SIG_R_NOT_YET_VALID_AT_SIGNING: return "the certificate was not yet valid at the signing time";
	case SIG_R_EXPIRED_NOW: return "the certificate has expired since";
	case SIG_R_NO_SIGNING_TIME: return "the signature gives no signing time";
	case SIG_R_REVOKED_BEFORE_SIGNING: return "the certificate was revoked before the signing time";
	case SIG_R_REVOKED_AFTER_SIGNING: return "the certificate was revoked after the signing time";
	case SIG_R_REVOKED: return "the certificate has been revoked";
	case SIG_R_NO_CRL: return "no revocation list to check against";
	case SIG_R_CRL_EXPIRED: return "the revocation list is out of date";
	case SIG_R_BAD_KEY_USAGE: return "the certificate is not meant for signing";
	case SIG_R_BAD_EXT_KEY_USAGE: return "the certificate is not meant for signing documents";
	case SIG_R_NO_SIGNATURES: return "the document has no digital signature";
	case SIG_R_PDF_MALFORMED: return "the PDF file is damaged and cannot be read";
	default: return "";
	}
}

static const char *check_vi(enum sig_check_id c)
{
	static const char *const n[SIG_CHECK__MAX] = {
		"Phạm vi ký", "Toàn vẹn nội dung", "Chứng thư tại thời điểm ký",
		"Chứng thư hiện nay", "Tình trạng thu hồi", "Mục đích sử dụng khóa",
	};
	return (unsigned)c < SIG_CHECK__MAX ? n[c] : "";
}

/* The first failing (else warning) reason of the report. */
static enum sig_reason first_reason(const struct sig_report *rep, enum sig_status want)
{
	if (rep->reason != SIG_R_NONE)
		return rep->reason;
	for (size_t i = 0; i < rep->n; i++)
		for (int k = 0; k < SIG_CHECK__MAX; k++)
			if (rep->sigs[i].checks[k].status == want)
				return rep->sigs[i].checks[k].reason;
	return SIG_R_NONE;
}

static int officer_of_cert(const struct trust_officer_cert_row *c, void *arg)
{
	struct json_object *o = json_object_new_object(), *unit = json_object_new_object();

	json_put_str(o, "username", c->username);
	json_put_str(o, "full_name", c->full_name);
	json_put_str(unit, "code", c->unit_code);
	json_put_str(unit, "name", c->unit_name);
	json_object_object_add(o, "unit", unit);
	*(struct json_object **)arg = o;
	return 0;
}

static struct json_object *result_json(const struct sig_result *s, struct db *db)
{
	struct json_object *o = json_object_new_object(), *sg, *ct, *checks;

	json_put_int(o, "index", s->index);
	json_put_str(o, "verdict", sig_verdict_name(s->verdict));
	json_put_str(o, "subfilter", s->subfilter);
	json_put_str(o, "field_name", s->field_name);
	json_put_bool(o, "is_timestamp", s->is_timestamp);
	json_put_bool(o, "covers_whole_file", s->covers_whole_file);
	json_put_int(o, "signed_len", (long long)s->signed_len);
	json_put_int(o, "bytes_after", (long long)s->bytes_after);
	json_put_bool(o, "later_only_signatures", s->later_only_signatures);
	json_put_str(o, "digest", s->digest);
	if (s->signer.present) {
		sg = json_object_new_object();
		json_put_str(sg, "cn", s->signer.cn);
		json_put_str(sg, "subject", s->signer.subject);
		json_put_str(sg, "issuer", s->signer.issuer);
		json_put_str(sg, "serial", s->signer.serial_hex);
		put_time(sg, "not_before", s->signer.not_before);
		put_time(sg, "not_after", s->signer.not_after);
		json_put_str(sg, "cert_sha256", s->signer.cert_sha256_hex);
		json_object_object_add(o, "signer", sg);
	} else {
		json_object_object_add(o, "signer", NULL);
	}
	{
		struct json_object *who = NULL;
		if (s->signer.present && s->signer.cert_sha256_hex[0] &&
		    trust_officer_cert_by_sha256(db, s->signer.cert_sha256_hex, officer_of_cert, &who) < 0)
			log_error("signatures: looking up the registered officer: %s", db_error(db));
		json_object_object_add(o, "registered_officer", who);
	}
	if (s->has_claimed_time) {
		ct = json_object_new_object();
		put_time(ct, "time", s->claimed_signing_time);
		json_put_bool(ct, "claimed_by_signer", 1);
		json_put_str(ct, "source", s->claimed_time_source ? s->claimed_time_source : "");
		json_put_str(ct, "note_vi", "thời điểm ký do người ký tự khai");
		json_put_str(ct, "note_en", "signing time claimed by the signer");
		json_object_object_add(o, "claimed_signing_time", ct);
	} else {
		json_object_object_add(o, "claimed_signing_time", NULL);
	}
	json_put_bool(o, "revoked", s->revoked);
	if (s->revoked)
		put_time(o, "revocation_time", s->revocation_time);
	checks = json_object_new_array();
	for (int k = 0; k < SIG_CHECK__MAX; k++) {
		struct json_object *c = json_object_new_object();
		json_put_str(c, "check", sig_check_name((enum sig_check_id)k));
		json_put_str(c, "label_vi", check_vi((enum sig_check_id)k));
		json_put_str(c, "status", sig_status_name(s->checks[k].status));
		json_put_str(c, "reason", sig_reason_code(s->checks[k].reason));
		json_put_str(c, "reason_vi", reason_vi(s->checks[k].reason));
		json_put_str(c, "reason_en", reason_en(s->checks[k].reason));
		json_put_str(c, "detail", s->checks[k].detail);
		json_object_array_add(checks, c);
	}
	json_object_object_add(o, "checks", checks);
	return o;
}

static struct json_object *report_json(const struct sig_report *rep, const char *kind,
                                       const struct part_buf *file, const struct part_buf *content,
                                       struct db *db)
{
	struct json_object *o = json_object_new_object(), *sigs = json_object_new_array();
	unsigned char d[32];
	char hex[65], vi[512], en[512];
	enum sig_reason why;

	json_put_str(o, "verdict", sig_verdict_name(rep->verdict));
	json_put_str(o, "reason", rep->reason != SIG_R_NONE ? sig_reason_code(rep->reason) : "ok");
	switch (rep->verdict) {
	case SIG_VALID:
		snprintf(vi, sizeof vi, "Hợp lệ: %zu chữ ký số đều đúng, tài liệu không bị thay đổi sau khi ký "
		         "và chứng thư số do tổ chức được tin cậy cấp.", rep->n);
		snprintf(en, sizeof en, "Valid: %zu signature(s), all correct; the document was not changed "
		         "after signing and the certificates come from a trusted authority.", rep->n);
		break;
	case SIG_VALID_WITH_WARNINGS:
		why = first_reason(rep, SIG_WARNING);
		snprintf(vi, sizeof vi, "Hợp lệ nhưng có cảnh báo: %s.", reason_vi(why));
		snprintf(en, sizeof en, "Valid with warnings: %s.", reason_en(why));
		break;
	default:
		why = first_reason(rep, SIG_FAIL);
		snprintf(vi, sizeof vi, "Không hợp lệ: %s.", reason_vi(why));
		snprintf(en, sizeof en, "Invalid: %s.", reason_en(why));
		break;
	}
	json_put_str(o, "summary_vi", vi);
	json_put_str(o, "summary_en", en);
	json_put_str(o, "kind", kind);
	json_put_str(o, "file_name", file->name);
	json_put_int(o, "size", (long long)file->len);
	crypto_sha256(file->data, file->len, d);
	hex32(d, hex);
	json_put_str(o, "sha256", hex);
	if (content) {
		crypto_sha256(content->data, content->len, d);
		hex32(d, hex);
		json_put_str(o, "content_sha256", hex);
	}
	json_put_bool(o, "pdf_rebuilt", rep->pdf_rebuilt);
	for (size_t i = 0; i < rep->n; i++)
		json_object_array_add(sigs, result_json(&rep->sigs[i], db));
	json_object_object_add(o, "signatures", sigs);
	return o;
}

void api_signature_verify(struct http_req *r)
{
	struct upload_ctx c;
	struct vholder *h;
	struct sig_report *rep = NULL;
	struct part_buf *file, *content;
	const char *kind, *why = NULL;
	struct params p;
	int rc;

	if (params_parse(r, NULL, 0, &p) != 0) {
		api_drain_body(r);
		return;
	}
	if (read_upload(r, &c) != 0)
		goto out;
	file = &c.f[F_FILE];
	content = &c.f[F_CONTENT];
	if (!file->present) {
		http_problem(r, 422, "missing_part", "Chưa chọn tệp cần kiểm tra",
		             "The part 'file' (a signed PDF or a .p7s) is required.", "file");
		goto out;
	}
	if (file->len == 0) {
		http_problem(r, 422, "empty_file", "Tệp rỗng", "The file is empty.", "file");
		goto out;
	}
	if (ft_detect(file->data, file->len, &why) == FT_PDF) {
		kind = "pdf";
	} else if (looks_like_cms(file->data, file->len)) {
		kind = "p7s";
		if (!content->present) {
			http_problem(r, 422, "missing_part", "Chưa chọn tệp đã được ký (nội dung của chữ ký .p7s)",
			             "A detached signature (.p7s) needs the signed file in the part 'content'.",
			             "content");
			goto out;
		}
	} else {
		http_problem(r, 415, "file_type_not_accepted", "Chỉ nhận tệp PDF có chữ ký hoặc tệp chữ ký .p7s",
		             "The file must be a signed PDF or a detached CMS signature (.p7s).", "file");
		goto out;
	}
	if ((h = verifier_get(r->db)) == NULL) {
		http_internal_error(r, "no verifier");
		goto out;
	}
	if (kind[0] == 'p' && kind[1] == 'd')
		rc = sig_verify_pdf(h->v, file->data, file->len, (mc_time)time(NULL), &rep);
	else
		rc = sig_verify_detached(h->v, file->data, file->len, content->data, content->len,
		                         (mc_time)time(NULL), &rep);
	verifier_release(h);
	if (rc != 0 || !rep) {
		http_internal_error(r, "verification ran out of memory");
		goto out;
	}
	log_info("signatures: verified %s (%zu bytes): %s, %zu signature(s)", kind, file->len,
	         sig_verdict_name(rep->verdict), rep->n);
	http_json(r, 200, report_json(rep, kind, file, kind[1] == '7' ? content : NULL, r->db));
	sig_report_free(rep);
out:
	upload_ctx_free(&c);
}

int api_signature_report_pdf(struct http_req *r, const unsigned char *pdf, size_t len,
                             const char *file_name, struct json_object **out)
{
	struct part_buf f;
	struct vholder *h;
	struct sig_report *rep = NULL;
	int rc;

	*out = NULL;
	memset(&f, 0, sizeof f);
	f.present = 1;
	f.data = (unsigned char *)pdf;
	f.len = len;
	snprintf(f.name, sizeof f.name, "%s", file_name ? file_name : "");
	if ((h = verifier_get(r->db)) == NULL)
		return -1;
	rc = sig_verify_pdf(h->v, pdf, len, (mc_time)time(NULL), &rep);
	verifier_release(h);
	if (rc != 0 || !rep)
		return -1;
	*out = report_json(rep, "pdf", &f, NULL, r->db);
	sig_report_free(rep);
	return 0;
}

/* ---------------------------------------------------------------- the trust list */

static void db_time_of(const ASN1_TIME *t, char out[20])
{
	struct tm tm;

	out[0] = '\0';
	if (t && ASN1_TIME_to_tm(t, &tm))
		time_format_db((mc_time)timegm(&tm), out, 20);
}

static void name_text(const X509_NAME *n, char *out, size_t sz)
{
	BIO *b = BIO_new(BIO_s_mem());
	int len;

	out[0] = '\0';
	if (!b)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		len = BIO_read(b, out, (int)sz - 1);
		out[len > 0 ? len : 0] = '\0';
	}
	BIO_free(b);
}

static struct json_object *ca_json(const struct trust_ca_row *ca)
{
	struct json_object *o = json_object_new_object();

	json_put_int(o, "id", ca->id);
	json_put_str(o, "name", ca->name);
	json_put_str(o, "sha256", ca->sha256);
	json_put_str(o, "subject", ca->subject);
	api_put_time(o, "not_after", ca->not_after);
	api_put_time(o, "added_at", ca->added_at);
	if (ca->added_by > 0)
		json_put_int(o, "added_by", ca->added_by);
	else
		json_object_object_add(o, "added_by", NULL);
	json_put_bool(o, "active", ca->active);
	return o;
}

static int add_ca_row(const struct trust_ca_row *ca, void *arg)
{
	json_object_array_add(arg, ca_json(ca));
	return 0;
}

static int one_ca_row(const struct trust_ca_row *ca, void *arg)
{
	*(struct json_object **)arg = ca_json(ca);
	return 0;
}

void api_trust_cas(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct json_object *items, *res;
	int rc;

	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	items = json_object_new_array();
	if ((rc = trust_ca_list(r->db, 0, add_ca_row, items)) != 0) {
		json_object_put(items);
		api_db_error(r, rc);
		return;
	}
	res = json_object_new_object();
	json_object_object_add(res, "items", items);
	http_json(r, 200, res);
}

enum { CA_NAME, CA_PEM, CA__MAX };
static const struct jin_spec ca_body[CA__MAX] = {
	[CA_NAME] = { "name", JIN_TEXT, 1, 1, 255, 0, 0, NULL, NULL },
	[CA_PEM] = { "pem", JIN_TEXT, 1, 1, 60000, 0, 0, NULL, NULL },
};

void api_trust_ca_add(struct http_req *r)
{
	struct officer me;
	struct jin in;
	struct params p;
	X509 *x = NULL;
	BIO *b = NULL;
	unsigned char *der = NULL, d[32];
	char hex[65], subject[1024], not_after[20];
	struct json_object *res = NULL;
	long long id = 0;
	int len, created = 0, rc;

	memset(&in, 0, sizeof in);
	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	if (json_body_parse(r, 128 * 1024, ca_body, CA__MAX, &in) != 0)
		goto out;
	ERR_set_mark();
	if ((b = BIO_new_mem_buf(in.v[CA_PEM].s, (int)in.v[CA_PEM].len)) != NULL)
		x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	ERR_pop_to_mark();
	if (!x) {
		http_problem(r, 422, "invalid_certificate", "Không đọc được chứng thư số (cần dạng PEM)",
		             "pem must hold one X.509 certificate in PEM.", "pem");
		goto out;
	}
	if (!(X509_get_extension_flags(x) & EXFLAG_CA)) {
		http_problem(r, 422, "not_a_ca", "Chứng thư số này không phải của tổ chức cung cấp dịch vụ chứng thực",
		             "The certificate is not a CA certificate (basicConstraints CA:TRUE).", "pem");
		goto out;
	}
	if ((len = i2d_X509(x, &der)) <= 0) {
		http_internal_error(r, "i2d_X509");
		goto out;
	}
	crypto_sha256(der, (size_t)len, d);
	hex32(d, hex);
	name_text(X509_get_subject_name(x), subject, sizeof subject);
	db_time_of(X509_get0_notAfter(x), not_after);
	if (!not_after[0]) {
		http_problem(r, 422, "invalid_certificate", "Chứng thư số có thời hạn không hợp lệ",
		             "The certificate's notAfter cannot be read.", "pem");
		goto out;
	}
	rc = trust_ca_add(r->db, in.v[CA_NAME].s, der, (size_t)len, hex, subject, not_after, me.id,
	                  &id, &created);
	if (rc != 0) {
		api_db_error(r, rc);
		goto out;
	}
	verifier_invalidate();
	log_info("trust: %s added CA %lld %s (%s)", me.username, id, subject, hex);
	if ((rc = trust_ca_get(r->db, id, one_ca_row, &res)) != 0 || !res) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	http_json(r, created ? 201 : 200, res);
out:
	OPENSSL_free(der);
	X509_free(x);
	BIO_free(b);
	jin_free(&in);
}

void api_trust_ca_delete(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct json_object *res = NULL;
	long long id = 0;
	int rc, ok = r->arg_len[0] > 0 && r->arg_len[0] <= 9;

	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	for (size_t i = 0; ok && i < r->arg_len[0]; i++) {
		ok = r->args[0][i] >= '0' && r->args[0][i] <= '9';
		id = id * 10 + (r->args[0][i] - '0');
	}
	if (!ok || id <= 0) {
		http_problem(r, 400, "invalid_parameter", "Mã chứng thư không hợp lệ",
		             "The id must be a positive integer.", "id");
		return;
	}
	rc = trust_ca_deactivate(r->db, id);
	if (rc < 0) {
		api_db_error(r, rc);
		return;
	}
	if (rc == 1) {
		http_problem(r, 404, "ca_not_found", "Không có tổ chức chứng thực đang được tin cậy với mã này",
		             "No active trusted CA has this id.", "id");
		return;
	}
	verifier_invalidate();
	log_info("trust: %s removed CA %lld", me.username, id);
	if ((rc = trust_ca_get(r->db, id, one_ca_row, &res)) != 0 || !res) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	http_json(r, 200, res);
}

enum { CRL_PEM, CRL__MAX };
static const struct jin_spec crl_body[CRL__MAX] = {
	[CRL_PEM] = { "pem", JIN_TEXT, 1, 1, 900000, 0, 0, NULL, NULL },
};

void api_trust_crl_add(struct http_req *r)
{
	struct officer me;
	struct jin in;
	struct params p;
	X509_CRL *crl = NULL;
	BIO *b = NULL;
	unsigned char *der = NULL;
	char this_up[20], next_up[20], issuer[1024];
	struct json_object *res;
	long long id = 0;
	int len, rc;

	memset(&in, 0, sizeof in);
	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	if (json_body_parse(r, 1024 * 1024, crl_body, CRL__MAX, &in) != 0)
		goto out;
	ERR_set_mark();
	if ((b = BIO_new_mem_buf(in.v[CRL_PEM].s, (int)in.v[CRL_PEM].len)) != NULL)
		crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL);
	ERR_pop_to_mark();
	if (!crl) {
		http_problem(r, 422, "invalid_crl", "Không đọc được danh sách thu hồi (cần dạng PEM)",
		             "pem must hold one X.509 CRL in PEM.", "pem");
		goto out;
	}
	db_time_of(X509_CRL_get0_lastUpdate(crl), this_up);
	db_time_of(X509_CRL_get0_nextUpdate(crl), next_up);
	name_text(X509_CRL_get_issuer(crl), issuer, sizeof issuer);
	if (!this_up[0] || (len = i2d_X509_CRL(crl, &der)) <= 0) {
		http_problem(r, 422, "invalid_crl", "Danh sách thu hồi không hợp lệ",
		             "The CRL's thisUpdate cannot be read.", "pem");
		goto out;
	}
	/* Whose CRL it is, the verifier finds by signature at each use (sigverify.h):
	 * stored without a CA, it is loaded as long as it is kept. One signed by a trusted
	 * CA replaces the older CRL of its issuer, as a refreshed one does (crl-sources);
	 * any other (an intermediate's) is added. */
	{
		struct sig_crl_info info;
		void *token = NULL;
		struct sig_verifier *v = api_verifier_hold(r->db, &token);
		int changed = 0;

		if (v && sig_check_crl(v, der, (size_t)len, NULL, 0, (mc_time)time(NULL), &info) == 0 &&
		    info.result == SIG_CRL_OK)
			rc = trust_crl_replace(r->db, 0, der, (size_t)len, this_up, next_up, info.issuer_hash_hex,
			                       &id, &changed);
		else
			rc = trust_crl_add(r->db, 0, der, (size_t)len, this_up, next_up, &id);
		api_verifier_release(token);
	}
	if (rc != 0) {
		api_db_error(r, rc);
		goto out;
	}
	verifier_invalidate();
	log_info("trust: %s added CRL %lld of %s", me.username, id, issuer);
	res = json_object_new_object();
	json_put_int(res, "id", id);
	json_put_str(res, "issuer", issuer);
	api_put_time(res, "this_update", this_up);
	api_put_time(res, "next_update", next_up[0] ? next_up : NULL);
	json_put_int(res, "revoked_count", sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)));
	http_json(r, 201, res);
out:
	OPENSSL_free(der);
	X509_CRL_free(crl);
	BIO_free(b);
	jin_free(&in);
}

/* ---------------------------------------------------------------- CRL sources */

/* The path's first segment as a positive id. 0, or -1 after answering 400. */
static int path_id(struct http_req *r, long long *id)
{
	int ok = r->arg_len[0] > 0 && r->arg_len[0] <= 9;

	*id = 0;
	for (size_t i = 0; ok && i < r->arg_len[0]; i++) {
		ok = r->args[0][i] >= '0' && r->args[0][i] <= '9';
		*id = *id * 10 + (r->args[0][i] - '0');
	}
	if (!ok || *id <= 0) {
		http_problem(r, 400, "invalid_parameter", "Mã không hợp lệ",
		             "The id must be a positive integer.", "id");
		return -1;
	}
	return 0;
}

static struct json_object *source_json(const struct trust_crl_source_row *s)
{
	struct json_object *o = json_object_new_object();

	json_put_int(o, "id", s->id);
	json_put_str(o, "url", s->url);
	if (s->ca_id > 0)
		json_put_int(o, "ca_id", s->ca_id);
	else
		json_object_object_add(o, "ca_id", NULL);
	json_put_bool(o, "has_issuer", s->issuer_len > 0);
	json_put_bool(o, "active", s->active);
	api_put_time(o, "added_at", s->added_at);
	api_put_time(o, "last_attempt_at", s->last_attempt_at);
	api_put_time(o, "last_success_at", s->last_success_at);
	json_put_str(o, "last_error", s->last_error);
	if (s->last_crl_id > 0)
		json_put_int(o, "last_crl_id", s->last_crl_id);
	else
		json_object_object_add(o, "last_crl_id", NULL);
	json_put_str(o, "last_issuer", s->last_issuer);
	api_put_time(o, "last_this_update", s->last_this_update);
	api_put_time(o, "last_next_update", s->last_next_update);
	if (s->last_revoked_count >= 0 && s->last_success_at)
		json_put_int(o, "last_revoked_count", s->last_revoked_count);
	else
		json_object_object_add(o, "last_revoked_count", NULL);
	return o;
}

static int add_source_row(const struct trust_crl_source_row *s, void *arg)
{
	json_object_array_add(arg, source_json(s));
	return 0;
}

static int one_source_row(const struct trust_crl_source_row *s, void *arg)
{
	*(struct json_object **)arg = source_json(s);
	return 0;
}

void api_trust_crl_sources(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct json_object *items, *res;
	int rc;

	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	items = json_object_new_array();
	if ((rc = trust_crl_source_list(r->db, 0, add_source_row, items)) != 0) {
		json_object_put(items);
		api_db_error(r, rc);
		return;
	}
	res = json_object_new_object();
	json_object_object_add(res, "items", items);
	http_json(r, 200, res);
}

static const char *check_crl_url(const char *s, size_t len)
{
	(void)len;
	return httpget_url_ok(s) ? NULL : "must be http://host[:port]/path or file:///absolute/path";
}

static int ca_exists(const struct trust_ca_row *ca, void *arg)
{
	*(int *)arg = ca->active;
	return 0;
}

enum { SRC_URL, SRC_CA, SRC_ISSUER, SRC__MAX };
static const struct jin_spec source_body[SRC__MAX] = {
	[SRC_URL] = { "url", JIN_TEXT, 1, 8, 1000, 0, 0, NULL, check_crl_url },
	[SRC_CA] = { "ca_id", JIN_INT, 0, 0, 0, 1, 999999999, NULL, NULL },
	[SRC_ISSUER] = { "issuer_pem", JIN_TEXT, 0, 1, 60000, 0, 0, NULL, NULL },
};

void api_trust_crl_source_add(struct http_req *r)
{
	struct officer me;
	struct jin in;
	struct params p;
	X509 *x = NULL;
	BIO *b = NULL;
	unsigned char *der = NULL;
	struct json_object *res = NULL;
	long long id = 0, ca_id = 0;
	int len = 0, rc, active = 0;

	memset(&in, 0, sizeof in);
	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return;
	if (json_body_parse(r, 128 * 1024, source_body, SRC__MAX, &in) != 0)
		goto out;
	if (in.v[SRC_CA].present) {
		ca_id = in.v[SRC_CA].i;
		if ((rc = trust_ca_get(r->db, ca_id, ca_exists, &active)) < 0) {
			api_db_error(r, rc);
			goto out;
		}
		if (rc == 1 || !active) {
			http_problem(r, 422, "ca_not_found", "Không có tổ chức chứng thực đang được tin cậy với mã này",
			             "No active trusted CA has this id.", "ca_id");
			goto out;
		}
	}
	if (in.v[SRC_ISSUER].present) {
		ERR_set_mark();
		if ((b = BIO_new_mem_buf(in.v[SRC_ISSUER].s, (int)in.v[SRC_ISSUER].len)) != NULL)
			x = PEM_read_bio_X509(b, NULL, NULL, NULL);
		ERR_pop_to_mark();
		if (!x || !(X509_get_extension_flags(x) & EXFLAG_CA)) {
			http_problem(r, 422, "invalid_certificate", "Chứng thư của tổ chức ký danh sách thu hồi không hợp lệ",
			             "issuer_pem must hold one CA certificate (CA:TRUE) in PEM.", "issuer_pem");
			goto out;
		}
		if ((len = i2d_X509(x, &der)) <= 0) {
			http_internal_error(r, "i2d_X509");
			goto out;
		}
	}
	rc = trust_crl_source_add(r->db, in.v[SRC_URL].s, ca_id, der, len > 0 ? (size_t)len : 0, me.id, &id);
	if (rc != 0) {
		api_db_error(r, rc);
		goto out;
	}
	log_info("trust: %s added CRL source %lld %s", me.username, id, in.v[SRC_URL].s);
	if ((rc = trust_crl_source_get(r->db, id, one_source_row, &res)) != 0 || !res) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	http_json(r, 201, res);
out:
	OPENSSL_free(der);
	X509_free(x);
	BIO_free(b);
	jin_free(&in);
}

void api_trust_crl_source_delete(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct json_object *res = NULL;
	long long id;
	int rc;

	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || params_parse(r, NULL, 0, &p) != 0 ||
	    path_id(r, &id) != 0)
		return;
	if ((rc = trust_crl_source_deactivate(r->db, id)) < 0) {
		api_db_error(r, rc);
		return;
	}
	if (rc == 1) {
		http_problem(r, 404, "crl_source_not_found", "Không có nguồn danh sách thu hồi đang dùng với mã này",
		             "No active CRL source has this id.", "id");
		return;
	}
	log_info("trust: %s removed CRL source %lld", me.username, id);
	if ((rc = trust_crl_source_get(r->db, id, one_source_row, &res)) != 0 || !res) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	http_json(r, 200, res);
}

void api_trust_crl_source_refresh(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct crl_refresh_outcome out;
	struct json_object *res = NULL, *src = NULL;
	long long id;
	int rc;

	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || params_parse(r, NULL, 0, &p) != 0 ||
	    path_id(r, &id) != 0)
		return;
	if ((rc = crl_refresh_source(r->db, id, &out)) < 0) {
		api_db_error(r, rc);
		return;
	}
	if (rc == 1) {
		http_problem(r, 404, "crl_source_not_found", "Không có nguồn danh sách thu hồi đang dùng với mã này",
		             "No active CRL source has this id.", "id");
		return;
	}
	if (out.changed)
		verifier_invalidate();
	if ((rc = trust_crl_source_get(r->db, id, one_source_row, &src)) != 0 || !src) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	if (!out.ok) {
		/* the outcome is recorded on the source; the fetch or the check failed */
		json_object_put(src);
		http_problem(r, 422, "crl_refresh_failed", "Không cập nhật được danh sách thu hồi từ nguồn này",
		             out.error, "url");
		return;
	}
	res = json_object_new_object();
	json_put_bool(res, "changed", out.changed);
	json_put_int(res, "crl_id", out.crl_id);
	json_object_object_add(res, "source", src);
	http_json(r, 200, res);
}
