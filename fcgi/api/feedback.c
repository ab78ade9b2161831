/*
 * What applicants and the public say back (DOMAIN.md "Satisfaction and feedback"):
 *   POST /api/v1/tracking/{code}/rating {pin, overall, ease, time, attitude, visits, comment}
 *                                       once per returned dossier
 *   GET  /api/v1/ratings?unit=&from=&to= officers: counts per criterion and value in their
 *                                       subtree, and the satisfaction rates
 *   POST /api/v1/feedback               anyone: a feedback (phản ánh, kiến nghị); nginx
 *                                       limits how many per address
 *   GET  /api/v1/feedback               officers: the inbox of their units, nearest due first
 *   POST /api/v1/feedback/{code}/answer officers of the handling unit: the answer
 *   GET  /api/v1/feedback/public        published answers, paginated
 *   GET  /api/v1/feedback/{code}?secret= the sender, with the secret given at creation
 *
 * A feedback is handled by the dossier's receiving unit, else the unit given, else the
 * province (the root of the unit tree), and is due 10 working days after it arrives, by
 * the working calendar. Whether it was answered by then is kept for the 766 index.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/db.h"
#include "core/http.h"
#include "core/jsonin.h"
#include "core/params.h"
#include "domain/calendar.h"
#include "domain/dossier_code.h"
#include "domain/mask.h"
#include "domain/workflow.h"
#include "store/calendar_store.h"
#include "store/dossier_store.h"
#include "store/feedback_store.h"
#include "store/notify_store.h"
#include "store/officer_store.h"
#include "api.h"

#define TX_RETRIES 3
#define FEEDBACK_DUE_WORKING_DAYS 10

static const char *const satisfaction[] = { "very_satisfied", "satisfied", "not_satisfied", NULL };
static const char *const criteria[RC__MAX] = { "overall", "ease", "time", "attitude", "visits" };

/* ---------------------------------------------------------------- ratings */

enum { RT_PIN, RT_OVERALL, RT_EASE, RT_TIME, RT_ATTITUDE, RT_VISITS, RT_COMMENT, RT__MAX };

static const struct jin_spec rating_spec[RT__MAX] = {
	[RT_PIN]      = { "pin", JIN_TEXT, 1, 8, 64, 0, 0, NULL, NULL },
	[RT_OVERALL]  = { "overall", JIN_ENUM, 1, 0, 0, 0, 0, satisfaction, NULL },
	[RT_EASE]     = { "ease", JIN_ENUM, 1, 0, 0, 0, 0, satisfaction, NULL },
	[RT_TIME]     = { "time", JIN_ENUM, 1, 0, 0, 0, 0, satisfaction, NULL },
	[RT_ATTITUDE] = { "attitude", JIN_ENUM, 1, 0, 0, 0, 0, satisfaction, NULL },
	[RT_VISITS]   = { "visits", JIN_ENUM, 1, 0, 0, 0, 0, satisfaction, NULL },
	[RT_COMMENT]  = { "comment", JIN_TEXT, 0, 0, 2000, 0, 0, NULL, NULL },
};

void api_rating_create(struct http_req *r)
{
	struct jin in;
	struct dossier_row d;
	const char *values[RC__MAX];
	char state[24], code[49], iso[32];
	long long id;
	mc_time now = time(NULL);
	int rc;

	memset(&in, 0, sizeof in);
	if (json_body_parse(r, 8192, rating_spec, RT__MAX, &in) != 0)
		goto out;
	if (api_tracked_with_pin(r, in.v[RT_PIN].s, in.v[RT_PIN].len, &id, state, code) != 0)
		goto out;
	if (strcmp(state, "returned") != 0) {
		http_problem(r, 409, "not_returned", "Hồ sơ chưa trả kết quả nên chưa thể đánh giá",
		             "Only a dossier whose result was returned can be rated.", "code");
		goto out;
	}
	if ((rc = dossier_find(r->db, code, "", &d)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	for (int k = 0; k < RC__MAX; k++)
		values[k] = in.v[RT_OVERALL + k].s;
	rc = rating_insert(r->db, id, d.unit_id, values, in.v[RT_COMMENT].present ? in.v[RT_COMMENT].s : "", now);
	if (rc == 1) {
		http_problem(r, 409, "already_rated", "Hồ sơ này đã được đánh giá",
		             "This dossier has been rated already; a dossier is rated once.", "code");
		goto out;
	}
	if (rc != 0) {
		api_db_error(r, rc);
		goto out;
	}
	{
		struct json_object *o = json_object_new_object();
		json_put_str(o, "code", code);
		for (int k = 0; k < RC__MAX; k++)
			json_put_str(o, criteria[k], values[k]);
		json_put_str(o, "comment", in.v[RT_COMMENT].present ? in.v[RT_COMMENT].s : "");
		time_format_iso(now, iso, sizeof iso);
		json_put_str(o, "rated_at", iso);
		http_json(r, 201, o);
	}
out:
	jin_free(&in);
}

static const char *check_time(const char *s, size_t len)
{
	mc_time t;

	return time_parse_iso(s, len, &t) == 0 ? NULL
	       : "not an ISO 8601 date or date-time: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] with an "
	         "optional Z or +HH:MM";
}

/* A checked from/to value; a bare date as `to` takes the whole day in. */
static mc_time period_bound(const char *s, size_t len, int is_to)
{
	mc_time t = 0;

	time_parse_iso(s, len, &t);
	return is_to && len == 10 ? t + 86400 : t;
}

enum { RS_UNIT, RS_FROM, RS_TO, RS__MAX };

static const struct param_spec ratings_params[RS__MAX] = {
	[RS_UNIT] = { "unit", PT_TOKEN, 0, 32, 0, 0, NULL, NULL },
	[RS_FROM] = { "from", PT_TEXT, 0, 25, 0, 0, NULL, check_time },
	[RS_TO]   = { "to", PT_TEXT, 0, 25, 0, 0, NULL, check_time },
};

struct tally { long long n[RC__MAX][3]; };

static int on_count(int criterion, const char *value, long long n, void *arg)
{
	struct tally *t = arg;

	if (criterion < 0 || criterion >= RC__MAX || !value)
		return 0;
	for (int v = 0; v < 3; v++)
		if (strcmp(value, satisfaction[v]) == 0)
			t->n[criterion][v] += n;
	return 0;
}

/* The share of very satisfied and satisfied answers, in percent with one decimal; null
 * when nobody answered. */
static struct json_object *rate(const long long n[3])
{
	long long total = n[0] + n[1] + n[2];

	if (total == 0)
		return NULL;
	return json_object_new_double((double)((n[0] + n[1]) * 1000 / total) / 10.0);
}

void api_ratings(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct tally t;
	struct json_object *o, *crit;
	char path[513], name[256];
	long long unit_id;
	const char *unit_code;
	int rc;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, ratings_params, RS__MAX, &p) != 0)
		return;
	unit_code = p.v[RS_UNIT].present ? p.v[RS_UNIT].s : me.unit_code;
	if ((rc = feedback_unit_by_code(r->db, unit_code, &unit_id, name, sizeof name)) != 0 ||
	    (rc = unit_path_of(r->db, unit_code, path, sizeof path)) != 0) {
		if (rc == 1)
			params_reject(r, "unit", "no such unit");
		else
			api_db_error(r, rc);
		return;
	}
	if (strncmp(path, me.unit_path, strlen(me.unit_path)) != 0) {
		http_problem(r, 403, "out_of_scope", "Đơn vị nằm ngoài phạm vi của bạn",
		             "That unit is outside your units.", "unit");
		return;
	}
	memset(&t, 0, sizeof t);
	if ((rc = rating_counts(r->db, path, p.v[RS_FROM].present ? period_bound(p.v[RS_FROM].s, p.v[RS_FROM].len, 0) : 0,
	                        p.v[RS_TO].present ? period_bound(p.v[RS_TO].s, p.v[RS_TO].len, 1) : 0,
	                        on_count, &t)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "unit", api_code_name(unit_code, name));
	json_put_str(o, "from", p.v[RS_FROM].present ? p.v[RS_FROM].s : NULL);
	json_put_str(o, "to", p.v[RS_TO].present ? p.v[RS_TO].s : NULL);
	json_put_int(o, "total", t.n[RC_OVERALL][0] + t.n[RC_OVERALL][1] + t.n[RC_OVERALL][2]);
	crit = json_object_new_object();
	for (int k = 0; k < RC__MAX; k++) {
		struct json_object *c = json_object_new_object();
		for (int v = 0; v < 3; v++)
			json_put_int(c, satisfaction[v], t.n[k][v]);
		json_object_object_add(c, "satisfaction_rate", rate(t.n[k]));
		json_object_object_add(crit, criteria[k], c);
	}
	json_object_object_add(o, "criteria", crit);
	json_object_object_add(o, "satisfaction_rate", rate(t.n[RC_OVERALL]));
	http_json(r, 200, o);
}

/* ---------------------------------------------------------------- feedback: sending */

static const char *const kinds[] = { "procedure", "dossier", "officer", "other", NULL };

static const char *check_token(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z') || s[i] == '.' || s[i] == '-' || s[i] == '_'))
			return "only letters, digits, '.', '-' and '_'";
	return NULL;
}

static const char *check_email(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);

	if (len == 0)
		return NULL;
	if (!at || at == s || !memchr(at, '.', len - (size_t)(at - s)) || memchr(s, ' ', len))
		return "an e-mail address";
	return NULL;
}

static const char *check_phone(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (i == 0 && s[i] == '+') || s[i] == ' '))
			return "digits, an optional leading '+'";
	return NULL;
}

enum { F_KIND, F_PROCEDURE, F_DOSSIER, F_OFFICER, F_UNIT, F_CONTENT, F_NAME, F_EMAIL, F_PHONE, F__MAX };

static const struct jin_spec feedback_spec[F__MAX] = {
	[F_KIND]      = { "kind", JIN_ENUM, 1, 0, 0, 0, 0, kinds, NULL },
	[F_PROCEDURE] = { "procedure", JIN_TEXT, 0, 1, 32, 0, 0, NULL, check_token },
	[F_DOSSIER]   = { "dossier_code", JIN_TEXT, 0, 1, 48, 0, 0, NULL, NULL },
	[F_OFFICER]   = { "officer_name", JIN_TEXT, 0, 0, 255, 0, 0, NULL, NULL },
	[F_UNIT]      = { "unit", JIN_TEXT, 0, 1, 32, 0, 0, NULL, check_token },
	[F_CONTENT]   = { "content", JIN_TEXT, 1, 10, 5000, 0, 0, NULL, NULL },
	[F_NAME]      = { "name", JIN_TEXT, 1, 2, 255, 0, 0, NULL, NULL },
	[F_EMAIL]     = { "email", JIN_TEXT, 0, 0, 255, 0, 0, NULL, check_email },
	[F_PHONE]     = { "phone", JIN_TEXT, 0, 0, 32, 0, 0, NULL, check_phone },
};

#define STR(k) (in.v[k].present ? in.v[k].s : "")

void api_feedback_create(struct http_req *r)
{
	struct jin in;
	struct calendar cal;
	struct feedback_new f;
	struct civil lc;
	char code[32], dcode[49], secret[API_PIN_LEN + 1], unit_name[256] = "";
	unsigned char salt[16], hash[32], buf[16 + API_PIN_LEN];
	long long procedure_id = 0, dossier_id = 0, unit_id = 0;
	mc_time now = time(NULL), due;
	int rc = 0, kind;

	memset(&in, 0, sizeof in);
	if (json_body_parse(r, 16 * 1024, feedback_spec, F__MAX, &in) != 0)
		goto out;
	kind = (int)in.v[F_KIND].i;
	if (kind == 0 && !in.v[F_PROCEDURE].present) {
		http_problem(r, 422, "missing_field", "Cần chọn thủ tục được phản ánh",
		             "Feedback about a procedure needs 'procedure'.", "procedure");
		goto out;
	}
	if (kind == 1 && !in.v[F_DOSSIER].present) {
		http_problem(r, 422, "missing_field", "Cần mã hồ sơ được phản ánh",
		             "Feedback about a dossier needs 'dossier_code'.", "dossier_code");
		goto out;
	}
	if (in.v[F_PROCEDURE].present &&
	    (rc = feedback_procedure_id(r->db, in.v[F_PROCEDURE].s, &procedure_id)) != 0) {
		if (rc == 1)
			http_problem(r, 422, "unknown_procedure", "Không có thủ tục này",
			             "No published procedure has that code.", "procedure");
		else
			api_db_error(r, rc);
		goto out;
	}
	if (in.v[F_DOSSIER].present) {
		snprintf(dcode, sizeof dcode, "%s", in.v[F_DOSSIER].s);
		for (char *c = dcode; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		if ((rc = feedback_dossier(r->db, dcode, &dossier_id, &unit_id)) != 0) {
			if (rc == 1)
				http_problem(r, 422, "unknown_dossier", "Không có hồ sơ này",
				             "No dossier has that code.", "dossier_code");
			else
				api_db_error(r, rc);
			goto out;
		}
	}
	if (!unit_id && in.v[F_UNIT].present &&
	    (rc = feedback_unit_by_code(r->db, in.v[F_UNIT].s, &unit_id, unit_name, sizeof unit_name)) != 0) {
		if (rc == 1)
			http_problem(r, 422, "unknown_unit", "Không có đơn vị này", "There is no such unit.", "unit");
		else
			api_db_error(r, rc);
		goto out;
	}
	if (!unit_id && (rc = feedback_root_unit(r->db, &unit_id)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	calendar_init(&cal);
	if ((rc = calendar_load(r->db, &cal)) != 0) {
		calendar_free(&cal);
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	rc = calendar_due(&cal, now, FEEDBACK_DUE_WORKING_DAYS * 100, CAL_WORKING_DAYS, &due, NULL);
	calendar_free(&cal);
	if (rc != CAL_OK) {
		http_internal_error(r, "due date computation failed");
		goto out;
	}
	if (api_make_pin(secret) != 0 || crypto_random(salt, sizeof salt) != 0) {
		http_internal_error(r, "random generator failed");
		goto out;
	}
	memcpy(buf, salt, 16);
	memcpy(buf + 16, secret, API_PIN_LEN);
	crypto_sha256(buf, sizeof buf, hash);
	time_to_local(now, &lc);
	for (int attempt = 0; attempt < TX_RETRIES; attempt++) {
		unsigned long seq;

		if ((rc = db_begin(r->db)) != 0)
			break;
		if ((rc = feedback_next_seq(r->db, lc.year, lc.month, lc.day, &seq)) != 0)
			goto rollback;
		snprintf(code, sizeof code, "PAKN-%02d%02d%02d-%04lu", lc.year % 100, lc.month % 100,
		         lc.day % 100, seq % 1000000);
		f = (struct feedback_new){
			.code = code, .kind = kinds[kind], .officer_name = STR(F_OFFICER), .content = in.v[F_CONTENT].s,
			.sender_name = in.v[F_NAME].s, .sender_email = STR(F_EMAIL), .sender_phone = STR(F_PHONE),
			.procedure_id = procedure_id, .dossier_id = dossier_id, .unit_id = unit_id,
			.secret_salt = salt, .secret_hash = hash, .received_at = now, .due_at = due,
		};
		if ((rc = feedback_insert(r->db, &f)) != 0 || (rc = db_commit(r->db)) != 0)
			goto rollback;
		{
			struct json_object *o = json_object_new_object();
			char iso[32];
			json_put_str(o, "code", code);
			json_put_str(o, "secret", secret);
			time_format_iso(now, iso, sizeof iso);
			json_put_str(o, "received_at", iso);
			time_format_iso(due, iso, sizeof iso);
			json_put_str(o, "due_at", iso);
			http_json(r, 201, o);
		}
		goto out;
rollback:
		db_rollback(r->db);
		if (rc != DB_ERR_RETRY)
			break;
	}
	api_db_error(r, rc);
out:
	jin_free(&in);
}

/* ---------------------------------------------------------------- feedback: reading */

struct fb_ctx {
	struct json_object *items, *one;
	int view;                       /* 0 public, 1 sender, 2 officer */
	const char *secret;
	size_t secret_len;
	mc_time now;
	/* answer: what the handler needs of the row */
	long long id;
	char unit_path[513], email[256], phone[33], name[256], code[32], answered_at[32];
	mc_time due_at;
};

static struct json_object *feedback_json(const struct feedback_row *f, int view, mc_time now)
{
	struct json_object *o = json_object_new_object();
	char masked[512];

	json_put_str(o, "code", f->code);
	json_put_str(o, "kind", f->kind);
	if (f->procedure_code)
		json_object_object_add(o, "procedure", api_code_name(f->procedure_code, f->procedure_name));
	else
		json_object_object_add(o, "procedure", NULL);
	json_object_object_add(o, "unit", api_code_name(f->unit_code, f->unit_name));
	json_put_str(o, "content", f->content);
	api_put_time(o, "received_at", f->received_at);
	api_put_time(o, "due_at", f->due_at);
	json_put_str(o, "answer", f->answer);
	api_put_time(o, "answered_at", f->answered_at);
	if (view == 0) {
		/* the public sees who wrote only masked, and nothing of the dossier or officer */
		mask_person_name(f->sender_name, strlen(f->sender_name), masked, sizeof masked);
		json_put_str(o, "sender_masked", masked);
		return o;
	}
	json_put_str(o, "dossier_code", f->dossier_code);
	json_put_str(o, "officer_name", f->officer_name);
	json_put_bool(o, "published", f->published);
	if (f->answered_on_time >= 0)
		json_put_bool(o, "answered_on_time", f->answered_on_time);
	else
		json_object_object_add(o, "answered_on_time", NULL);
	if (view == 2) {
		struct json_object *s = json_object_new_object();
		mc_time due = time_from_db(f->due_at);
		json_put_str(s, "name", f->sender_name);
		json_put_str(s, "email", f->sender_email);
		json_put_str(s, "phone", f->sender_phone);
		json_object_object_add(o, "sender", s);
		json_put_str(o, "answered_by", f->answered_by);
		json_put_str(o, "urgency", f->answered_at ? "answered" : due < now ? "overdue"
		                           : due - now <= 2 * 86400 ? "due_soon" : "within");
	}
	return o;
}

static int on_list(const struct feedback_row *f, void *arg)
{
	struct fb_ctx *c = arg;

	json_object_array_add(c->items, feedback_json(f, c->view, c->now));
	return 0;
}

enum { P_PAGE, P_PER_PAGE, P__MAX };

static const struct param_spec public_params[P__MAX] = {
	[P_PAGE]     = { "page", PT_INT, 0, 0, 1, 100000, NULL, NULL },
	[P_PER_PAGE] = { "per_page", PT_INT, 0, 0, 1, 100, NULL, NULL },
};

static void answer_page(struct http_req *r, struct fb_ctx *c, long long page, long long per_page,
                        long long total)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "items", c->items);
	json_put_int(o, "page", page);
	json_put_int(o, "per_page", per_page);
	json_put_int(o, "total", total);
	http_json(r, 200, o);
}

void api_feedback_public(struct http_req *r)
{
	struct params p;
	struct fb_ctx c;
	long long page, per_page, total = 0;
	int rc;

	if (params_parse(r, public_params, P__MAX, &p) != 0)
		return;
	page = p.v[P_PAGE].present ? p.v[P_PAGE].i : 1;
	per_page = p.v[P_PER_PAGE].present ? p.v[P_PER_PAGE].i : 20;
	memset(&c, 0, sizeof c);
	c.items = json_object_new_array();
	c.now = time(NULL);
	if ((rc = feedback_public(r->db, per_page, (page - 1) * per_page, on_list, &c, &total)) != 0) {
		json_object_put(c.items);
		api_db_error(r, rc);
		return;
	}
	answer_page(r, &c, page, per_page, total);
}

static const char *const inbox_states[] = { "open", "answered", "all", NULL };

enum { IB_STATE, IB_PAGE, IB_PER_PAGE, IB__MAX };

static const struct param_spec inbox_params[IB__MAX] = {
	[IB_STATE]    = { "state", PT_ENUM, 0, 0, 0, 0, inbox_states, NULL },
	[IB_PAGE]     = { "page", PT_INT, 0, 0, 1, 100000, NULL, NULL },
	[IB_PER_PAGE] = { "per_page", PT_INT, 0, 0, 1, 200, NULL, NULL },
};

void api_feedback_inbox(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct fb_ctx c;
	long long page, per_page, total = 0;
	const char *state;
	int rc;

	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0 || params_parse(r, inbox_params, IB__MAX, &p) != 0)
		return;
	page = p.v[IB_PAGE].present ? p.v[IB_PAGE].i : 1;
	per_page = p.v[IB_PER_PAGE].present ? p.v[IB_PER_PAGE].i : 50;
	state = !p.v[IB_STATE].present ? "" : p.v[IB_STATE].i == 2 ? "" : p.v[IB_STATE].s;
	memset(&c, 0, sizeof c);
	c.items = json_object_new_array();
	c.view = 2;
	c.now = time(NULL);
	if ((rc = feedback_inbox(r->db, me.unit_path, state, per_page, (page - 1) * per_page, on_list, &c,
	                         &total)) != 0) {
		json_object_put(c.items);
		api_db_error(r, rc);
		return;
	}
	answer_page(r, &c, page, per_page, total);
}

static int on_one(const struct feedback_row *f, void *arg)
{
	struct fb_ctx *c = arg;

	if (c->secret && !api_pin_matches(f->secret_salt, f->secret_hash, c->secret, c->secret_len))
		return 0;
	c->one = feedback_json(f, c->view, c->now);
	c->id = f->id;
	c->due_at = time_from_db(f->due_at);
	snprintf(c->unit_path, sizeof c->unit_path, "%s", f->unit_path);
	snprintf(c->email, sizeof c->email, "%s", f->sender_email);
	snprintf(c->phone, sizeof c->phone, "%s", f->sender_phone);
	snprintf(c->name, sizeof c->name, "%s", f->sender_name);
	snprintf(c->code, sizeof c->code, "%s", f->code);
	snprintf(c->answered_at, sizeof c->answered_at, "%s", f->answered_at ? f->answered_at : "");
	return 0;
}

static void feedback_not_found(struct http_req *r)
{
	http_problem(r, 404, "feedback_not_found", "Không tìm thấy phản ánh, kiến nghị",
	             "No feedback matches that code and secret.", "code");
}

enum { S_SECRET, S__MAX };

static const struct param_spec sender_params[S__MAX] = {
	[S_SECRET] = { "secret", PT_TOKEN, 1, 64, 0, 0, NULL, NULL },
};

void api_feedback_get(struct http_req *r)
{
	struct params p;
	struct fb_ctx c;
	int rc;

	if (params_parse(r, sender_params, S__MAX, &p) != 0)
		return;
	memset(&c, 0, sizeof c);
	c.view = 1;
	c.now = time(NULL);
	c.secret = p.v[S_SECRET].s;
	c.secret_len = p.v[S_SECRET].len;
	api_code_upper(r);
	rc = feedback_get(r->db, r->args[0], 0, on_one, &c);
	if (rc < 0) {
		json_object_put(c.one);
		api_db_error(r, rc);
		return;
	}
	if (rc == 1 || !c.one) {
		feedback_not_found(r);
		return;
	}
	http_json(r, 200, c.one);
}

/* ---------------------------------------------------------------- feedback: answering */

enum { AN_ANSWER, AN_PUBLISH, AN__MAX };

static const struct jin_spec answer_spec[AN__MAX] = {
	[AN_ANSWER]  = { "answer", JIN_TEXT, 1, 10, 10000, 0, 0, NULL, NULL },
	[AN_PUBLISH] = { "publish", JIN_BOOL, 1, 0, 0, 0, 0, NULL, NULL },
};

void api_feedback_answer(struct http_req *r)
{
	struct officer me;
	struct jin in;
	struct fb_ctx c;
	mc_time now = time(NULL);
	int rc = 0;

	memset(&in, 0, sizeof in);
	if (api_officer(r, ROLE_MASK_OFFICERS, &me) != 0)
		return;
	if (json_body_parse(r, 32 * 1024, answer_spec, AN__MAX, &in) != 0)
		goto out;
	api_code_upper(r);
	for (int attempt = 0; attempt < TX_RETRIES; attempt++) {
		memset(&c, 0, sizeof c);
		c.view = 2;
		c.now = now;
		if ((rc = db_begin(r->db)) != 0)
			break;
		if ((rc = feedback_get(r->db, r->args[0], 1, on_one, &c)) != 0) {
			db_rollback(r->db);
			json_object_put(c.one);
			if (rc == 1) {
				feedback_not_found(r);
				goto out;
			}
			break;
		}
		json_object_put(c.one);
		c.one = NULL;
		if (strncmp(c.unit_path, me.unit_path, strlen(me.unit_path)) != 0) {
			db_rollback(r->db);
			http_problem(r, 403, "not_handling_unit", "Phản ánh này do đơn vị khác xử lý",
			             "This feedback is handled by a unit outside yours.", "code");
			goto out;
		}
		if (c.answered_at[0]) {
			db_rollback(r->db);
			http_problem(r, 409, "already_answered", "Phản ánh này đã được trả lời",
			             "This feedback has an answer already.", "code");
			goto out;
		}
		if ((rc = feedback_answer(r->db, c.id, in.v[AN_ANSWER].s, me.id, now, now <= c.due_at,
		                          (int)in.v[AN_PUBLISH].i)) != 0) {
			db_rollback(r->db);
			if (rc == DB_ERR_RETRY)
				continue;
			rc = rc < 0 ? rc : DB_ERR;
			break;
		}
		{
			char link[700], key[64];
			struct notify_extra extra;
			snprintf(link, sizeof link, "%s/phan-anh.html?code=%s", r->cfg->public_url, c.code);
			snprintf(key, sizeof key, "feedback:%s", c.code);
			memset(&extra, 0, sizeof extra);
			extra.public_url = r->cfg->public_url;
			extra.link = link;
			extra.text = in.v[AN_ANSWER].s;
			extra.event_key = key;
			rc = notify_recipient(r->db, c.email, c.phone, c.name, c.code, NK_FEEDBACK_ANSWERED, &extra);
			if (rc < 0) {
				db_rollback(r->db);
				if (rc == DB_ERR_RETRY)
					continue;
				break;
			}
		}
		if ((rc = db_commit(r->db)) != 0) {
			db_rollback(r->db);
			if (rc == DB_ERR_RETRY)
				continue;
			break;
		}
		c.secret = NULL;
		if ((rc = feedback_get(r->db, r->args[0], 0, on_one, &c)) != 0 || !c.one) {
			json_object_put(c.one);
			rc = rc < 0 ? rc : DB_ERR;
			break;
		}
		http_json(r, 200, c.one);
		goto out;
	}
	api_db_error(r, rc);
out:
	jin_free(&in);
}
