/*
 * Citizens' portal accounts:
 *   POST /api/v1/citizens                 register (e-mail or phone, full name, password)
 *   GET  /api/v1/citizens/verify?token=   the link sent on registration
 *   POST /api/v1/citizens/login           {login, password}: the motcua_citizen cookie
 *   POST /api/v1/citizens/logout
 *   GET  /api/v1/citizens/me
 *   GET  /api/v1/citizens/me/dossiers     their dossiers, newest first, paginated
 *
 * Sessions work as the officers' do (core/session.h): a hashed random token in an
 * HttpOnly, Secure, SameSite=Strict cookie, and the CSRF token on every write.
 * Registration answers the same 202 whether or not the address is already registered,
 * so the form cannot be used to learn who has an account; the owner of a taken address
 * gets a message saying so instead of a link.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/params.h"
#include "core/session.h"
#include "domain/dossier_state.h"
#include "store/citizen_store.h"
#include "store/outbox_store.h"
#include "api.h"

#define CITIZEN_COOKIE "motcua_citizen"
#define VERIFY_HOURS 48

int api_citizen(struct http_req *r, struct citizen *c)
{
	char token[SESSION_TOKEN_CHARS + 1];
	unsigned char hash[32];
	int rc;

	if (session_cookie_token(r, CITIZEN_COOKIE, token) != 0) {
		http_problem(r, 401, "not_authenticated", "Vui lòng đăng nhập",
		             "Sign in first: this needs a citizen session.", NULL);
		return -1;
	}
	crypto_sha256(token, SESSION_TOKEN_CHARS, hash);
	if ((rc = citizen_session_lookup(r->db, hash, c)) != 0) {
		if (rc < 0)
			api_db_error(r, rc);
		else
			http_problem(r, 401, "not_authenticated", "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại",
			             "The session has expired or was ended.", NULL);
		return -1;
	}
	return session_csrf_ok(r, c->csrf_token) ? 0 : -1;
}

int api_citizen_optional(struct http_req *r, struct citizen *c)
{
	char token[SESSION_TOKEN_CHARS + 1];

	memset(c, 0, sizeof *c);
	if (session_cookie_token(r, CITIZEN_COOKIE, token) != 0)
		return 0;
	return api_citizen(r, c);
}

static struct json_object *citizen_json(const struct citizen *c)
{
	struct json_object *o = json_object_new_object();

	json_put_int(o, "id", c->id);
	json_put_str(o, "full_name", c->full_name);
	json_put_str(o, "email", c->email[0] ? c->email : NULL);
	json_put_str(o, "phone", c->phone[0] ? c->phone : NULL);
	json_put_bool(o, "verified", c->verified);
	return o;
}

/* ---------------------------------------------------------------- registration */

static const char *check_email(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);

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
		else if (!(s[i] == '+' && i == 0))
			return "digits only, with an optional leading '+'";
	}
	return digits >= 8 && digits <= 15 ? NULL : "8 to 15 digits";
}

enum { G_EMAIL, G_PHONE, G_NAME, G_PASSWORD, G__MAX };

static const struct jin_spec register_spec[G__MAX] = {
	[G_EMAIL]    = { "email", JIN_TEXT, 0, 3, 255, 0, 0, NULL, check_email },
	[G_PHONE]    = { "phone", JIN_TEXT, 0, 8, 16, 0, 0, NULL, check_phone },
	[G_NAME]     = { "full_name", JIN_TEXT, 1, 2, 255, 0, 0, NULL, NULL },
	[G_PASSWORD] = { "password", JIN_TEXT, 1, 10, 256, 0, 0, NULL, NULL },
};

void api_citizen_register(struct http_req *r)
{
	struct jin in;
	char pw_hash[PASSWORD_HASH_MAX], token[SESSION_TOKEN_CHARS + 1], link[1024], body[2048], dedup[96];
	const char *email, *phone, *channel, *to;
	unsigned char vhash[32];
	long long id = 0;
	int rc;

	memset(&in, 0, sizeof in);
	if (json_body_parse(r, 4096, register_spec, G__MAX, &in) != 0)
		goto out;
	email = in.v[G_EMAIL].present ? in.v[G_EMAIL].s : NULL;
	phone = in.v[G_PHONE].present ? in.v[G_PHONE].s : NULL;
	if (!email && !phone) {
		http_problem(r, 422, "missing_field", "Cần thư điện tử hoặc số điện thoại",
		             "Give an email or a phone number.", "email");
		goto out;
	}
	if (password_hash(in.v[G_PASSWORD].s, in.v[G_PASSWORD].len, pw_hash) != 0 ||
	    crypto_token(SESSION_TOKEN_BYTES, token) != 0) {
		http_internal_error(r, "password hashing or random generator failed");
		goto out;
	}
	crypto_sha256(token, SESSION_TOKEN_CHARS, vhash);
	channel = email ? "email" : "sms";
	to = email ? email : phone;
	if ((rc = db_begin(r->db)) != 0) {
		api_db_error(r, rc);
		goto out;
	}
	rc = citizen_create(r->db, email, phone, in.v[G_NAME].s, pw_hash, vhash,
	                    time(NULL) + VERIFY_HOURS * 3600, &id);
	if (rc == 0) {
		/* the page (which calls the API) rather than the API itself: a person opens it */
		snprintf(link, sizeof link, "%s/xac-thuc.html?token=%s", r->cfg->public_url, token);
		snprintf(body, sizeof body,
		         "Xin chào %s,\n\nĐể kích hoạt tài khoản trên Cổng dịch vụ công, vui lòng mở liên kết "
		         "sau trong vòng %d giờ:\n%s\n\nNếu bạn không đăng ký, hãy bỏ qua thư này.\n",
		         in.v[G_NAME].s, VERIFY_HOURS, link);
		snprintf(dedup, sizeof dedup, "citizen:%lld:verify:%.16s", id, token);
		rc = outbox_enqueue(r->db, 0, "citizen_verify", channel, to,
		                    "Kích hoạt tài khoản Cổng dịch vụ công", body, dedup);
	} else if (rc == 1) {
		snprintf(body, sizeof body,
		         "Xin chào,\n\nCó người vừa đăng ký tài khoản Cổng dịch vụ công với địa chỉ này, "
		         "nhưng địa chỉ đã có tài khoản. Nếu là bạn, hãy đăng nhập; nếu không, hãy bỏ qua thư này.\n");
		/* one notice per attempt: the token part is random */
		snprintf(dedup, sizeof dedup, "citizen:exists:%.32s", token);
		rc = outbox_enqueue(r->db, 0, "citizen_exists", channel, to,
		                    "Tài khoản Cổng dịch vụ công", body, dedup);
	}
	if (rc < 0 || (rc = db_commit(r->db)) != 0) {
		db_rollback(r->db);
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	{
		struct json_object *o = json_object_new_object();
		json_put_str(o, "status", "verification_sent");
		json_put_str(o, "channel", channel);
		http_json(r, 202, o);
	}
out:
	jin_free(&in);
}

enum { V_TOKEN, V__MAX };

static const struct param_spec verify_params[V__MAX] = {
	[V_TOKEN] = { "token", PT_TOKEN, 1, SESSION_TOKEN_CHARS, 0, 0, NULL, NULL },
};

void api_citizen_verify(struct http_req *r)
{
	struct params p;
	unsigned char hash[32];
	int rc;

	if (params_parse(r, verify_params, V__MAX, &p) != 0)
		return;
	crypto_sha256(p.v[V_TOKEN].s, p.v[V_TOKEN].len, hash);
	if ((rc = citizen_verify(r->db, hash)) != 0) {
		if (rc < 0)
			api_db_error(r, rc);
		else
			http_problem(r, 404, "invalid_token", "Liên kết kích hoạt không hợp lệ hoặc đã hết hạn",
			             "No account waits for that verification link, or it has expired.", "token");
		return;
	}
	{
		struct json_object *o = json_object_new_object();
		json_put_bool(o, "verified", 1);
		http_json(r, 200, o);
	}
}

/* ---------------------------------------------------------------- sign-in */

enum { L_LOGIN, L_PASSWORD, L__MAX };

static const struct jin_spec login_spec[L__MAX] = {
	[L_LOGIN]    = { "login", JIN_TEXT, 1, 3, 255, 0, 0, NULL, NULL },
	[L_PASSWORD] = { "password", JIN_TEXT, 1, 1, 256, 0, 0, NULL, NULL },
};

void api_citizen_login(struct http_req *r)
{
	/* verified when the account does not exist, so both paths take the same time */
	static const char dummy_hash[] =
		"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
		"J3m2fSsnY4Ttq5NYwz0Ol8ywVrkbbMfN8nW8T0MBsdA";
	struct jin in;
	struct citizen_login li;
	struct citizen c;
	char token[SESSION_TOKEN_CHARS + 1], csrf[SESSION_TOKEN_CHARS + 1], headers[256];
	unsigned char hash[32];
	int rc;

	memset(&in, 0, sizeof in);
	if (json_body_parse(r, 4096, login_spec, L__MAX, &in) != 0)
		goto out;
	if ((rc = citizen_login_info(r->db, in.v[L_LOGIN].s, &li)) < 0) {
		api_db_error(r, rc);
		goto out;
	}
	if (rc == 1) {
		password_verify(dummy_hash, in.v[L_PASSWORD].s, in.v[L_PASSWORD].len);
		goto bad;
	}
	if (li.locked_seconds_left > 0) {
		http_problem(r, 429, "login_locked", "Tài khoản tạm khóa do đăng nhập sai nhiều lần, vui lòng thử lại sau",
		             "Too many failed sign-ins: the account is locked for a while.", NULL);
		goto out;
	}
	if (!password_verify(li.password_hash, in.v[L_PASSWORD].s, in.v[L_PASSWORD].len)) {
		if ((rc = citizen_login_failed(r->db, li.id)) != 0) {
			api_db_error(r, rc);
			goto out;
		}
		goto bad;
	}
	if (!li.verified) {
		http_problem(r, 403, "not_verified", "Tài khoản chưa được kích hoạt, vui lòng mở liên kết đã gửi",
		             "Open the verification link sent on registration first.", NULL);
		goto out;
	}
	if (session_new(token, csrf, hash) != 0) {
		http_internal_error(r, "random generator failed");
		goto out;
	}
	if ((rc = citizen_login_succeeded(r->db, li.id)) != 0 ||
	    (rc = citizen_session_create(r->db, hash, li.id, csrf)) != 0 ||
	    (rc = citizen_session_lookup(r->db, hash, &c)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	{
		struct json_object *o = json_object_new_object();
		snprintf(headers, sizeof headers,
		         "Set-Cookie: " CITIZEN_COOKIE "=%s; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Strict\r\n",
		         token);
		json_object_object_add(o, "citizen", citizen_json(&c));
		json_put_str(o, "csrf_token", csrf);
		http_json_h(r, 200, o, headers);
	}
	goto out;
bad:
	http_problem(r, 401, "invalid_credentials", "Tài khoản hoặc mật khẩu không đúng",
	             "Wrong login or password.", NULL);
out:
	jin_free(&in);
}

void api_citizen_logout(struct http_req *r)
{
	struct citizen c;
	char token[SESSION_TOKEN_CHARS + 1];
	unsigned char hash[32];
	int rc;

	if (api_citizen(r, &c) != 0)
		return;
	session_cookie_token(r, CITIZEN_COOKIE, token);
	crypto_sha256(token, SESSION_TOKEN_CHARS, hash);
	if ((rc = citizen_session_delete(r->db, hash)) != 0) {
		api_db_error(r, rc);
		return;
	}
	http_send(r, 204, "application/json",
	          "Set-Cookie: " CITIZEN_COOKIE "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict\r\n",
	          NULL, 0);
}

void api_citizen_me(struct http_req *r)
{
	struct citizen c;
	struct params p;
	struct json_object *o;

	if (params_parse(r, NULL, 0, &p) != 0 || api_citizen(r, &c) != 0)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "citizen", citizen_json(&c));
	json_put_str(o, "csrf_token", c.csrf_token);
	http_json(r, 200, o);
}

enum { D_PAGE, D_PER_PAGE, D__MAX };

static const struct param_spec dossiers_params[D__MAX] = {
	[D_PAGE]     = { "page", PT_INT, 0, 0, 1, 100000, NULL, NULL },
	[D_PER_PAGE] = { "per_page", PT_INT, 0, 0, 1, 100, NULL, NULL },
};

static int on_dossier(const struct citizen_dossier_row *d, void *arg)
{
	struct json_object *o = json_object_new_object();
	int st = dossier_state_from_code(d->state, strlen(d->state));

	if (st < 0) {
		json_object_put(o);
		return -1;
	}
	json_put_str(o, "code", d->code);
	json_object_object_add(o, "status", api_labelled(d->state, dossier_state_label_vi(st),
	                                               dossier_state_label_en(st)));
	json_put_str(o, "channel", d->channel);
	json_object_object_add(o, "procedure", api_code_name(d->procedure_code, d->procedure_name));
	json_object_object_add(o, "unit", api_code_name(d->unit_code, d->unit_name));
	api_put_time(o, "submitted_at", d->submitted_at);
	api_put_time(o, "received_at", d->received_at);
	api_put_time(o, "due_at", d->due_at);
	api_put_time(o, "finished_at", d->finished_at);
	json_object_array_add(arg, o);
	return 0;
}

void api_citizen_dossiers(struct http_req *r)
{
	struct citizen c;
	struct params p;
	struct json_object *items, *o;
	long long page, per_page, total = 0;
	int rc;

	if (params_parse(r, dossiers_params, D__MAX, &p) != 0 || api_citizen(r, &c) != 0)
		return;
	page = p.v[D_PAGE].present ? p.v[D_PAGE].i : 1;
	per_page = p.v[D_PER_PAGE].present ? p.v[D_PER_PAGE].i : 20;
	items = json_object_new_array();
	if ((rc = citizen_dossiers(r->db, c.id, per_page, (page - 1) * per_page, on_dossier, items, &total)) != 0) {
		json_object_put(items);
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "items", items);
	json_put_int(o, "page", page);
	json_put_int(o, "per_page", per_page);
	json_put_int(o, "total", total);
	http_json(r, 200, o);
}
