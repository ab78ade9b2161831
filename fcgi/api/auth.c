/*
 * Officer sign-in: POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me,
 * and api_officer(), which every officer endpoint calls first.
 *
 * The session cookie holds a random 256-bit token (only its SHA-256 is stored), HttpOnly,
 * Secure, SameSite=Strict. Every state-changing request must also carry the session's
 * CSRF token in the X-CSRF-Token header. Repeated failures lock the account with growing
 * back-off (store/officer_store.c).
 */
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/params.h"
#include "core/session.h"
#include "domain/workflow.h"
#include "store/officer_store.h"
#include "api.h"

#define SESSION_COOKIE "motcua_session"
#define TOKEN_CHARS SESSION_TOKEN_CHARS

/* Finds the session token in the Cookie header; 0 and token copied, -1 if none. */
static int cookie_token(struct http_req *r, char token[TOKEN_CHARS + 1])
{
	return session_cookie_token(r, SESSION_COOKIE, token);
}

static struct json_object *officer_json(const struct officer *o)
{
	struct json_object *j = json_object_new_object(), *roles = json_object_new_array(), *unit;

	json_put_str(j, "username", o->username);
	json_put_str(j, "full_name", o->full_name);
	for (int i = 0; i < ROLE__MAX; i++)
		if (o->roles & (1u << i))
			json_object_array_add(roles, json_object_new_string(role_code(i)));
	json_object_object_add(j, "roles", roles);
	unit = json_object_new_object();
	json_put_str(unit, "code", o->unit_code);
	json_put_str(unit, "name", o->unit_name);
	json_object_object_add(j, "unit", unit);
	return j;
}

int api_officer(struct http_req *r, unsigned any_of_roles, struct officer *o)
{
	char token[TOKEN_CHARS + 1];
	unsigned char hash[32];
	int rc;

	if (cookie_token(r, token) != 0) {
		http_problem(r, 401, "not_authenticated", "Vui lòng đăng nhập",
		             "Sign in first: this needs an officer session.", NULL);
		return -1;
	}
	crypto_sha256(token, TOKEN_CHARS, hash);
	if ((rc = session_lookup(r->db, hash, o)) != 0) {
		if (rc < 0)
			api_db_error(r, rc);
		else
			http_problem(r, 401, "not_authenticated", "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại",
			             "The session has expired or was ended.", NULL);
		return -1;
	}
	if (!session_csrf_ok(r, o->csrf_token))
		return -1;
	if (any_of_roles && !(o->roles & any_of_roles)) {
		http_problem(r, 403, "forbidden_role", "Tài khoản không có quyền thực hiện",
		             "Your roles do not allow this.", NULL);
		return -1;
	}
	return 0;
}

enum { L_USERNAME, L_PASSWORD, L__MAX };

static const struct jin_spec login_spec[L__MAX] = {
	[L_USERNAME] = { "username", JIN_TEXT, 1, 1, 64, 0, 0, NULL, NULL },
	[L_PASSWORD] = { "password", JIN_TEXT, 1, 1, 256, 0, 0, NULL, NULL },
};

static void bad_credentials(struct http_req *r)
{
	http_problem(r, 401, "invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng",
	             "Wrong username or password.", NULL);
}

void api_login(struct http_req *r)
{
	/* verified when the user does not exist, so both paths take the same time */
	static const char dummy_hash[] =
		"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
		"J3m2fSsnY4Ttq5NYwz0Ol8ywVrkbbMfN8nW8T0MBsdA";
	struct jin in;
	struct officer_login li;
	struct officer o;
	char token[TOKEN_CHARS + 1], csrf[TOKEN_CHARS + 1], headers[256];
	unsigned char hash[32];
	int rc;

	if (json_body_parse(r, 4096, login_spec, L__MAX, &in) != 0)
		goto out;
	rc = officer_login_info(r->db, in.v[L_USERNAME].s, &li);
	if (rc < 0) {
		api_db_error(r, rc);
		goto out;
	}
	if (rc == 1 || !li.active) {
		password_verify(dummy_hash, in.v[L_PASSWORD].s, in.v[L_PASSWORD].len);
		bad_credentials(r);
		goto out;
	}
	if (li.locked_seconds_left > 0) {
		http_problem(r, 429, "login_locked", "Tài khoản tạm khóa do đăng nhập sai nhiều lần, vui lòng thử lại sau",
		             "Too many failed sign-ins: the account is locked for a while.", NULL);
		goto out;
	}
	if (!password_verify(li.password_hash, in.v[L_PASSWORD].s, in.v[L_PASSWORD].len)) {
		if ((rc = officer_login_failed(r->db, li.id)) != 0)
			api_db_error(r, rc);
		else
			bad_credentials(r);
		goto out;
	}
	if (session_new(token, csrf, hash) != 0) {
		http_internal_error(r, "random generator failed");
		goto out;
	}
	if ((rc = officer_login_succeeded(r->db, li.id)) != 0 ||
	    (rc = session_create(r->db, hash, li.id, csrf)) != 0 ||
	    (rc = session_lookup(r->db, hash, &o)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	{
		struct json_object *res = json_object_new_object();
		snprintf(headers, sizeof headers,
		         "Set-Cookie: " SESSION_COOKIE "=%s; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Strict\r\n",
		         token);
		json_object_object_add(res, "officer", officer_json(&o));
		json_put_str(res, "csrf_token", csrf);
		http_json_h(r, 200, res, headers);
	}
out:
	jin_free(&in);
}

void api_logout(struct http_req *r)
{
	struct officer o;
	char token[TOKEN_CHARS + 1];
	unsigned char hash[32];
	int rc;

	if (api_officer(r, 0, &o) != 0)
		return;
	cookie_token(r, token);
	crypto_sha256(token, TOKEN_CHARS, hash);
	if ((rc = session_delete(r->db, hash)) != 0) {
		api_db_error(r, rc);
		return;
	}
	http_send(r, 204, "application/json",
	          "Set-Cookie: " SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict\r\n",
	          NULL, 0);
}

void api_me(struct http_req *r)
{
	struct officer o;
	struct params p;
	struct json_object *res;

	if (params_parse(r, NULL, 0, &p) != 0 || api_officer(r, 0, &o) != 0)
		return;
	res = json_object_new_object();
	json_object_object_add(res, "officer", officer_json(&o));
	json_put_str(res, "csrf_token", o.csrf_token);
	http_json(r, 200, res);
}
