/*
 * Accounts (admin): GET /api/v1/officers[?unused_days=N], POST /api/v1/officers,
 * PATCH /api/v1/officers/{username}. An admin manages the accounts of their unit's subtree.
 */
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/params.h"
#include "domain/dossier_code.h"
#include "domain/workflow.h"
#include "store/officer_store.h"
#include "api.h"

static struct json_object *roles_json(const char *set)
{
	struct json_object *a = json_object_new_array();

	while (set && *set) {
		size_t n = strcspn(set, ",");
		json_object_array_add(a, json_object_new_string_len(set, (int)n));
		set += n;
		if (*set == ',')
			set++;
	}
	return a;
}

static int officer_item(const struct officer_row *o, void *arg)
{
	struct json_object *j = json_object_new_object(), *unit = json_object_new_object();

	json_put_str(j, "username", o->username);
	json_put_str(j, "full_name", o->full_name);
	json_object_object_add(j, "roles", roles_json(o->roles));
	json_put_str(unit, "code", o->unit_code);
	json_put_str(unit, "name", o->unit_name);
	json_object_object_add(j, "unit", unit);
	json_put_str(j, "email", o->email);
	json_put_str(j, "phone", o->phone);
	json_put_bool(j, "active", o->active);
	api_put_time(j, "last_login_at", o->last_login_at);
	api_put_time(j, "created_at", o->created_at);
	json_object_array_add(arg, j);
	return 0;
}

enum { LQ_UNUSED_DAYS, LQ__MAX };
static const struct param_spec list_params[LQ__MAX] = {
	[LQ_UNUSED_DAYS] = { "unused_days", PT_INT, 0, 0, 1, 3650, NULL, NULL },
};

void api_officers(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct json_object *items, *res;
	int rc;

	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0 || params_parse(r, list_params, LQ__MAX, &p) != 0)
		return;
	items = json_object_new_array();
	rc = officer_list(r->db, me.unit_path, p.v[LQ_UNUSED_DAYS].present ? (int)p.v[LQ_UNUSED_DAYS].i : -1,
	                  officer_item, items);
	if (rc == 0)            /* each account's signing certificates: expired, revoked */
		rc = api_officers_certificate_status(r, me.unit_path, items);
	if (rc != 0) {
		json_object_put(items);
		api_db_error(r, rc);
		return;
	}
	res = json_object_new_object();
	json_object_object_add(res, "items", items);
	http_json(r, 200, res);
}

static const char *check_username(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		      s[i] == '_' || s[i] == '-'))
			return "use lower-case letters, digits, '.', '_' and '-'";
	return NULL;
}

static const char *check_unit_code(const char *s, size_t len)
{
	return unit_code_valid(s, len) ? NULL : "not a unit code like 000.00.20.H12";
}

enum { O_USERNAME, O_FULL_NAME, O_ROLES, O_UNIT, O_EMAIL, O_PHONE, O_PASSWORD, O_ACTIVE, O__MAX };

static const struct jin_spec officer_spec[O__MAX] = {
	[O_USERNAME]  = { "username", JIN_TEXT, 1, 3, 64, 0, 0, NULL, check_username },
	[O_FULL_NAME] = { "full_name", JIN_TEXT, 1, 1, 255, 0, 0, NULL, NULL },
	[O_ROLES]     = { "roles", JIN_TEXT_ARRAY, 1, 1, 16, 1, ROLE__MAX, NULL, NULL },
	[O_UNIT]      = { "unit", JIN_TEXT, 1, 13, 13, 0, 0, NULL, check_unit_code },
	[O_EMAIL]     = { "email", JIN_TEXT, 0, 0, 255, 0, 0, NULL, NULL },
	[O_PHONE]     = { "phone", JIN_TEXT, 0, 0, 32, 0, 0, NULL, NULL },
	[O_PASSWORD]  = { "password", JIN_TEXT, 1, 10, 256, 0, 0, NULL, NULL },
	[O_ACTIVE]    = { "active", JIN_BOOL, 0, 0, 0, 0, 0, NULL, NULL },
};

/* "desk,leader" from the roles array; -1 (answered) if a role is unknown. */
static int roles_set(struct http_req *r, struct json_object *a, char *out, size_t outsz)
{
	out[0] = '\0';
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(a, i));
		if (role_from_code(s, strlen(s)) < 0) {
			params_reject(r, "roles", "unknown role");
			return -1;
		}
		if (strlen(out) + strlen(s) + 2 > outsz)
			return -1;
		if (out[0])
			strcat(out, ",");
		strcat(out, s);
	}
	return 0;
}

/* The target unit must be inside the admin's own subtree. */
static int unit_in_scope(struct http_req *r, const struct officer *me, const char *unit_code)
{
	char path[600];
	int rc = unit_path_of(r->db, unit_code, path, sizeof path);

	if (rc < 0) {
		api_db_error(r, rc);
		return 0;
	}
	if (rc == 1 || strncmp(path, me->unit_path, strlen(me->unit_path)) != 0) {
		http_problem(r, 422, "unknown_unit", "Đơn vị không tồn tại hoặc ngoài phạm vi quản lý",
		             "No such unit within your scope.", "unit");
		return 0;
	}
	return 1;
}

static void write_officer(struct http_req *r, int create)
{
	struct officer me;
	struct jin in;
	struct jin_spec spec[O__MAX];
	struct officer_write w = { .active = -1 };
	char roles[128], hash[PASSWORD_HASH_MAX];
	int rc;

	memcpy(spec, officer_spec, sizeof spec);
	if (!create)                    /* PATCH: nothing is required, the name is in the path */
		for (int i = 0; i < O__MAX; i++)
			spec[i].required = 0;
	if (api_officer(r, 1u << ROLE_ADMIN, &me) != 0)
		return;
	if (json_body_parse(r, 8192, spec, O__MAX, &in) != 0)
		goto out;
	if (!create && in.v[O_USERNAME].present) {
		params_reject(r, "username", "cannot be changed; it is in the path");
		goto out;
	}
	w.username = create ? in.v[O_USERNAME].s : r->args[0];
	w.scope_path = me.unit_path;
	w.full_name = in.v[O_FULL_NAME].present ? in.v[O_FULL_NAME].s : NULL;
	w.email = in.v[O_EMAIL].present ? in.v[O_EMAIL].s : NULL;
	w.phone = in.v[O_PHONE].present ? in.v[O_PHONE].s : NULL;
	w.unit_code = in.v[O_UNIT].present ? in.v[O_UNIT].s : NULL;
	if (in.v[O_ACTIVE].present)
		w.active = (int)in.v[O_ACTIVE].i;
	if (in.v[O_ROLES].present) {
		if (roles_set(r, in.v[O_ROLES].a, roles, sizeof roles) != 0)
			goto out;
		w.roles = roles;
	}
	if (w.unit_code && !unit_in_scope(r, &me, w.unit_code))
		goto out;
	if (in.v[O_PASSWORD].present) {
		if (password_hash(in.v[O_PASSWORD].s, in.v[O_PASSWORD].len, hash) != 0) {
			http_internal_error(r, "password hashing failed");
			goto out;
		}
		w.password_hash = hash;
	}
	rc = create ? officer_create(r->db, &w) : officer_update(r->db, &w);
	if (rc < 0)
		api_db_error(r, rc);
	else if (rc == 1)
		http_problem(r, 422, "unknown_unit", "Đơn vị không tồn tại", "No such unit.", "unit");
	else if (rc == 2 && create)
		http_problem(r, 409, "username_taken", "Tên đăng nhập đã tồn tại",
		             "That username is already taken.", "username");
	else if (rc == 2)
		http_problem(r, 404, "officer_not_found", "Không tìm thấy tài khoản", "No such officer.", "username");
	else {
		struct json_object *res = json_object_new_object();
		json_put_str(res, "username", w.username);
		http_json(r, create ? 201 : 200, res);
	}
out:
	jin_free(&in);
}

void api_officer_create(struct http_req *r)
{
	write_officer(r, 1);
}

void api_officer_update(struct http_req *r)
{
	write_officer(r, 0);
}
