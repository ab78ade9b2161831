/*
 * Officers' signing certificates (DOMAIN.md "Digital signatures", sql/010):
 *   GET    /api/v1/officers/{username}/certificates       the officer's certificates, each
 *                                                        with its status judged now
 *   POST   /api/v1/officers/{username}/certificates       {pem}: register one
 *   DELETE /api/v1/officers/{username}/certificates/{id}  withdraw one (kept, inactive)
 * Allowed to an admin for the accounts of their subtree, and to the officer for themself.
 *
 * A certificate is registered only if, now, it chains to a trusted CA (the verifier of
 * api/signatures.c: the same trust list and CRLs), is within its validity, allows signing
 * (the key_usage rules of sig/sigverify.h) and is not revoked: sig_check_cert. Otherwise
 * 422 naming "pem" with the reason as the code (untrusted_chain, expired, not_yet_valid,
 * bad_key_usage, bad_ext_key_usage, revoked, malformed). The pem may carry intermediate
 * CA certificates after the officer's, to build the chain; only the first is stored.
 * Expiry and revocation are judged again each time a list is shown, here and in the
 * accounts list (api_officers_certificate_status).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/crypto.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/log.h"
#include "core/params.h"
#include "domain/timeutil.h"
#include "domain/workflow.h"
#include "sig/sigverify.h"
#include "store/officer_store.h"
#include "store/trust_store.h"
#include "api.h"

/* The officer of the path's first segment, if the caller may manage their certificates:
 * the officer themself, or an admin whose subtree holds their unit. 0, or -1 answered. */
static int target_officer(struct http_req *r, struct officer *me, long long *id)
{
	struct params p;
	char path[600];
	int rc;

	if (api_officer(r, 0, me) != 0 || params_parse(r, NULL, 0, &p) != 0)
		return -1;
	if ((rc = trust_officer_lookup(r->db, r->args[0], id, path, sizeof path)) < 0) {
		api_db_error(r, rc);
		return -1;
	}
	if (rc == 0 && *id == me->id)
		return 0;
	if (!(me->roles & (1u << ROLE_ADMIN))) {
		http_problem(r, 403, "forbidden_role", "Tài khoản không có quyền thực hiện",
		             "Only an administrator, or the officer themself, manages these certificates.", NULL);
		return -1;
	}
	if (rc == 1 || strncmp(path, me->unit_path, strlen(me->unit_path)) != 0) {
		http_problem(r, 404, "officer_not_found", "Không tìm thấy tài khoản", "No such officer.", "username");
		return -1;
	}
	return 0;
}

static const char *reason_title(enum sig_cert_reason why)
{
	switch (why) {
	case SIG_CERT_MALFORMED: return "Không đọc được chứng thư số (cần dạng PEM)";
	case SIG_CERT_UNTRUSTED_CHAIN: return "Chứng thư số không do tổ chức chứng thực được tin cậy cấp";
	case SIG_CERT_EXPIRED: return "Chứng thư số đã hết hạn";
	case SIG_CERT_NOT_YET_VALID: return "Chứng thư số chưa có hiệu lực";
	case SIG_CERT_BAD_KEY_USAGE: return "Chứng thư số không dùng để ký";
	case SIG_CERT_BAD_EXT_KEY_USAGE: return "Chứng thư số không dùng để ký tài liệu";
	case SIG_CERT_REVOKED: return "Chứng thư số đã bị thu hồi";
	default: return "Chứng thư số hợp lệ";
	}
}

static void put_mc_time(struct json_object *o, const char *key, mc_time t)
{
	char buf[40];
	time_format_iso(t, buf, sizeof buf);
	json_put_str(o, key, buf);
}

struct list_ctx {
	const struct sig_verifier *v;   /* NULL: statuses cannot be judged */
	struct json_object *items;
	mc_time now;
};

/* The status of a stored certificate, judged now. */
static struct json_object *status_json(const struct sig_verifier *v, const unsigned char *der,
                                       size_t len, mc_time now, struct sig_cert_status *st)
{
	struct json_object *o = json_object_new_object();

	memset(st, 0, sizeof *st);
	if (!v || sig_check_cert(v, der, len, now, st) != 0) {
		json_put_str(o, "reason", "unknown");
		json_put_bool(o, "ok", 0);
		return o;
	}
	json_put_bool(o, "ok", st->reason == SIG_CERT_OK);
	json_put_str(o, "reason", sig_cert_reason_code(st->reason));
	json_put_str(o, "label_vi", reason_title(st->reason));
	json_put_bool(o, "expired", st->expired);
	json_put_bool(o, "revoked", st->revoked);
	if (st->revoked)
		put_mc_time(o, "revocation_time", st->revocation_time);
	json_put_bool(o, "untrusted", st->untrusted);
	return o;
}

static struct json_object *cert_json(const struct trust_officer_cert_row *c,
                                     const struct sig_verifier *v, mc_time now)
{
	struct json_object *o = json_object_new_object();
	struct sig_cert_status st;

	json_put_int(o, "id", c->id);
	json_put_str(o, "sha256", c->sha256);
	json_put_str(o, "subject", c->subject);
	json_put_str(o, "issuer", c->issuer);
	json_put_str(o, "serial", c->serial_hex);
	api_put_time(o, "not_before", c->not_before);
	api_put_time(o, "not_after", c->not_after);
	api_put_time(o, "added_at", c->added_at);
	json_put_bool(o, "active", c->active);
	if (c->chain_pem)
		json_object_object_add(o, "status", status_json(v, (const unsigned char *)c->chain_pem,
		                                                c->chain_len, now, &st));
	else
		json_object_object_add(o, "status", status_json(v, c->der, c->len, now, &st));
	json_put_str(o, "cn", st.cert.cn);
	return o;
}

static int list_row(const struct trust_officer_cert_row *c, void *arg)
{
	struct list_ctx *lc = arg;
	json_object_array_add(lc->items, cert_json(c, lc->v, lc->now));
	return 0;
}

void api_officer_certificates(struct http_req *r)
{
	struct officer me;
	struct list_ctx lc;
	struct json_object *res;
	void *token = NULL;
	long long id;
	int rc;

	if (target_officer(r, &me, &id) != 0)
		return;
	lc.v = api_verifier_hold(r->db, &token);
	lc.items = json_object_new_array();
	lc.now = (mc_time)time(NULL);
	rc = trust_officer_cert_list(r->db, id, 0, list_row, &lc);
	api_verifier_release(token);
	if (rc != 0) {
		json_object_put(lc.items);
		api_db_error(r, rc);
		return;
	}
	res = json_object_new_object();
	json_put_str(res, "username", r->args[0]);
	json_object_object_add(res, "items", lc.items);
	http_json(r, 200, res);
}

static int one_row(const struct trust_officer_cert_row *c, void *arg)
{
	struct list_ctx *lc = arg;
	lc->items = cert_json(c, lc->v, lc->now);
	return 0;
}

enum { C_PEM, C__MAX };
static const struct jin_spec cert_body[C__MAX] = {
	[C_PEM] = { "pem", JIN_TEXT, 1, 1, 60000, 0, 0, NULL, NULL },
};

void api_officer_certificate_add(struct http_req *r)
{
	struct officer me;
	struct jin in;
	struct sig_cert_status st;
	struct trust_officer_cert_new c;
	struct list_ctx lc = { NULL, NULL, 0 };
	char not_before[20], not_after[20];
	unsigned char *der = NULL;
	X509 *x = NULL;
	BIO *b = NULL, *out = NULL;
	char *chain = NULL;             /* in out: NUL-terminated PEM */
	void *token = NULL;
	long long officer_id, id = 0;
	int len, created = 0, rc;

	memset(&in, 0, sizeof in);
	if (target_officer(r, &me, &officer_id) != 0)
		return;
	if (json_body_parse(r, 128 * 1024, cert_body, C__MAX, &in) != 0)
		goto out;
	ERR_set_mark();
	if ((b = BIO_new_mem_buf(in.v[C_PEM].s, (int)in.v[C_PEM].len)) != NULL)
		x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	if (x && (out = BIO_new(BIO_s_mem())) != NULL && PEM_write_bio_X509(out, x)) {
		X509 *more;             /* the intermediates after it, re-encoded: no other text kept */
		while ((more = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
			PEM_write_bio_X509(out, more);
			X509_free(more);
		}
		if (BIO_write(out, "", 1) == 1)
			BIO_get_mem_data(out, &chain);
	}
	ERR_pop_to_mark();
	if (!x || !chain || (len = i2d_X509(x, &der)) <= 0) {
		http_problem(r, 422, "malformed", reason_title(SIG_CERT_MALFORMED),
		             "pem must hold the officer's X.509 certificate in PEM (intermediates may follow).",
		             "pem");
		goto out;
	}
	if ((lc.v = api_verifier_hold(r->db, &token)) == NULL) {
		http_internal_error(r, "no verifier");
		goto out;
	}
	lc.now = (mc_time)time(NULL);
	rc = sig_check_cert(lc.v, (const uint8_t *)chain, strlen(chain), lc.now, &st);
	if (rc != 0) {
		http_internal_error(r, "sig_check_cert: out of memory");
		goto out;
	}
	if (st.reason != SIG_CERT_OK) {
		http_problem(r, 422, sig_cert_reason_code(st.reason), reason_title(st.reason), st.detail, "pem");
		goto out;
	}
	time_format_db(st.cert.not_before, not_before, sizeof not_before);
	time_format_db(st.cert.not_after, not_after, sizeof not_after);
	c = (struct trust_officer_cert_new){
		.officer_id = officer_id, .added_by = me.id, .der = der, .len = (size_t)len,
		.sha256_hex = st.cert.cert_sha256_hex, .subject = st.cert.subject, .issuer = st.cert.issuer,
		.serial_hex = st.cert.serial_hex, .not_before = not_before, .not_after = not_after,
		.chain_pem = chain,
	};
	if ((rc = trust_officer_cert_add(r->db, &c, &id, &created)) < 0) {
		api_db_error(r, rc);
		goto out;
	}
	if (rc == 2) {
		http_problem(r, 409, "certificate_taken", "Chứng thư số này đã được đăng ký cho cán bộ khác",
		             "This certificate is registered to another officer.", "pem");
		goto out;
	}
	log_info("certificates: %s registered certificate %lld (%s) for %s", me.username, id,
	         st.cert.cert_sha256_hex, r->args[0]);
	if ((rc = trust_officer_cert_get(r->db, officer_id, id, one_row, &lc)) != 0 || !lc.items) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	http_json(r, created ? 201 : 200, lc.items);
out:
	api_verifier_release(token);
	OPENSSL_free(der);
	X509_free(x);
	BIO_free(b);
	BIO_free(out);
	jin_free(&in);
}

void api_officer_certificate_delete(struct http_req *r)
{
	struct officer me;
	struct list_ctx lc = { NULL, NULL, 0 };
	void *token = NULL;
	long long officer_id, id = 0;
	int rc, ok = r->arg_len[1] > 0 && r->arg_len[1] <= 9;

	if (target_officer(r, &me, &officer_id) != 0)
		return;
	for (size_t i = 0; ok && i < r->arg_len[1]; i++) {
		ok = r->args[1][i] >= '0' && r->args[1][i] <= '9';
		id = id * 10 + (r->args[1][i] - '0');
	}
	if (!ok || id <= 0) {
		http_problem(r, 400, "invalid_parameter", "Mã chứng thư không hợp lệ",
		             "The id must be a positive integer.", "id");
		return;
	}
	if ((rc = trust_officer_cert_deactivate(r->db, officer_id, id)) < 0) {
		api_db_error(r, rc);
		return;
	}
	if (rc == 1) {
		http_problem(r, 404, "certificate_not_found", "Không có chứng thư số đang dùng với mã này",
		             "This officer has no active certificate with this id.", "id");
		return;
	}
	log_info("certificates: %s withdrew certificate %lld of %s", me.username, id, r->args[0]);
	lc.v = api_verifier_hold(r->db, &token);
	lc.now = (mc_time)time(NULL);
	rc = trust_officer_cert_get(r->db, officer_id, id, one_row, &lc);
	api_verifier_release(token);
	if (rc != 0 || !lc.items) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	http_json(r, 200, lc.items);
}

/* ---------------------------------------------------------------- the accounts list */

struct scope_ctx {
	const struct sig_verifier *v;
	struct json_object *by_user;    /* username -> {active, expired, revoked} */
	mc_time now;
};

static int scope_row(const struct trust_officer_cert_row *c, void *arg)
{
	struct scope_ctx *sc = arg;
	struct json_object *s, *st;
	struct sig_cert_status cs;

	if (!json_object_object_get_ex(sc->by_user, c->username, &s)) {
		s = json_object_new_object();
		json_put_int(s, "active", 0);
		json_put_bool(s, "expired", 0);
		json_put_bool(s, "revoked", 0);
		json_object_object_add(sc->by_user, c->username, s);
	}
	st = c->chain_pem ? status_json(sc->v, (const unsigned char *)c->chain_pem, c->chain_len, sc->now, &cs)
	                  : status_json(sc->v, c->der, c->len, sc->now, &cs);
	json_object_put(st);
	json_put_int(s, "active", json_object_get_int(json_object_object_get(s, "active")) + 1);
	if (cs.expired)
		json_put_bool(s, "expired", 1);
	if (cs.revoked)
		json_put_bool(s, "revoked", 1);
	return 0;
}

int api_officers_certificate_status(struct http_req *r, const char *unit_path,
                                    struct json_object *items)
{
	struct scope_ctx sc;
	void *token = NULL;
	int rc;

	sc.v = api_verifier_hold(r->db, &token);
	sc.by_user = json_object_new_object();
	sc.now = (mc_time)time(NULL);
	rc = trust_officer_cert_in_scope(r->db, unit_path, scope_row, &sc);
	api_verifier_release(token);
	if (rc == 0) {
		for (size_t i = 0; i < json_object_array_length(items); i++) {
			struct json_object *it = json_object_array_get_idx(items, i), *u, *s;
			if (!json_object_object_get_ex(it, "username", &u))
				continue;
			if (json_object_object_get_ex(sc.by_user, json_object_get_string(u), &s)) {
				json_object_get(s);
			} else {
				s = json_object_new_object();
				json_put_int(s, "active", 0);
				json_put_bool(s, "expired", 0);
				json_put_bool(s, "revoked", 0);
			}
			json_object_object_add(it, "certificates", s);
		}
	}
	json_object_put(sc.by_user);
	return rc;
}
