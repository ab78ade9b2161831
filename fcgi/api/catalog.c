/*
 * The public catalog: GET /api/v1/fields, /api/v1/units, /api/v1/procedures and
 * /api/v1/procedures/{code}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/http.h"
#include "core/params.h"
#include "domain/text.h"
#include "store/catalog_store.h"
#include "api.h"

static const char *const levels[] = { "province", "district", "commune", NULL };
static const char *const service_levels[] = { "full", "partial", "info", NULL };

/* For endpoints that take no parameters: anything in the query is refused. */
static int no_params(struct http_req *r)
{
	struct params p;
	return params_parse(r, NULL, 0, &p);
}

static int field_item(const struct field_row *f, void *arg)
{
	struct json_object *o = json_object_new_object();

	json_put_str(o, "code", f->code);
	json_put_str(o, "name", f->name);
	json_put_int(o, "procedure_count", f->procedure_count);
	json_object_array_add(arg, o);
	return 0;
}

void api_fields(struct http_req *r)
{
	struct json_object *items, *o;
	int rc;

	if (no_params(r) != 0)
		return;
	items = json_object_new_array();
	if ((rc = catalog_fields(r->db, field_item, items)) != 0) {
		json_object_put(items);
		api_db_error(r, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "items", items);
	http_json(r, 200, o);
}

static int unit_item(const struct unit_row *u, void *arg)
{
	struct json_object *o = json_object_new_object();
	json_put_str(o, "code", u->code);
	json_put_str(o, "name", u->name);
	json_put_str(o, "short_name", u->short_name);
	json_put_str(o, "level", u->level);
	json_put_str(o, "level_label", u->level_label);
	json_put_str(o, "parent_code", u->parent_code);
	json_put_int(o, "depth", u->depth);
	json_object_array_add(arg, o);
	return 0;
}

void api_units(struct http_req *r)
{
	struct json_object *items, *o;
	int rc;

	if (no_params(r) != 0)
		return;
	items = json_object_new_array();
	if ((rc = catalog_units(r->db, unit_item, items)) != 0) {
		json_object_put(items);
		api_db_error(r, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "items", items);
	http_json(r, 200, o);
}

/* processing_time comes as DECIMAL text ("0.50", "3.00"): JSON number, 3 not 3.00 */
static struct json_object *decimal_json(const char *s)
{
	double d = s ? strtod(s, NULL) : 0;
	long long whole = (long long)d;

	if ((double)whole == d)
		return json_object_new_int64(whole);
	return json_object_new_double(d);
}

static struct json_object *levels_json(const struct procedure_row *p)
{
	struct json_object *a = json_object_new_array();

	if (p->level_province)
		json_object_array_add(a, json_object_new_string("province"));
	if (p->level_district)
		json_object_array_add(a, json_object_new_string("district"));
	if (p->level_commune)
		json_object_array_add(a, json_object_new_string("commune"));
	return a;
}

static void put_procedure_summary(struct json_object *o, const struct procedure_row *p)
{
	struct json_object *field = json_object_new_object();

	json_put_str(o, "code", p->code);
	json_put_str(o, "name", p->name);
	json_put_str(field, "code", p->field_code);
	json_put_str(field, "name", p->field_name);
	json_object_object_add(o, "field", field);
	json_object_object_add(o, "levels", levels_json(p));
	json_put_str(o, "service_level", p->service_level);
	json_object_object_add(o, "processing_time", decimal_json(p->processing_time));
	json_put_str(o, "time_unit", p->time_unit);
	json_put_str(o, "agency", p->agency);
}

static int procedure_item(const struct procedure_row *p, void *arg)
{
	struct json_object *o = json_object_new_object();

	put_procedure_summary(o, p);
	json_object_array_add(arg, o);
	return 0;
}

enum { P_Q, P_FIELD, P_LEVEL, P_UNIT, P_SERVICE_LEVEL, P_PAGE, P_PER_PAGE, P__MAX };

static const struct param_spec search_params[P__MAX] = {
	[P_Q]             = { "q", PT_TEXT, 0, 200, 0, 0, NULL, NULL },
	[P_FIELD]         = { "field", PT_TOKEN, 0, 32, 0, 0, NULL, NULL },
	[P_LEVEL]         = { "level", PT_ENUM, 0, 0, 0, 0, levels, NULL },
	[P_UNIT]          = { "unit", PT_TOKEN, 0, 32, 0, 0, NULL, NULL },
	[P_SERVICE_LEVEL] = { "service_level", PT_ENUM, 0, 0, 0, 0, service_levels, NULL },
	[P_PAGE]          = { "page", PT_INT, 0, 0, 1, 100000, NULL, NULL },
	[P_PER_PAGE]      = { "per_page", PT_INT, 0, 0, 1, 100, NULL, NULL },
};

void api_procedures(struct http_req *r)
{
	struct params p;
	struct procedure_query q;
	char folded[512], unit_level[16];
	const char *level;
	long long page, per_page, total = 0;
	struct json_object *items, *o;
	int rc;

	if (params_parse(r, search_params, P__MAX, &p) != 0)
		return;
	page = p.v[P_PAGE].present ? p.v[P_PAGE].i : 1;
	per_page = p.v[P_PER_PAGE].present ? p.v[P_PER_PAGE].i : 20;
	folded[0] = '\0';
	if (p.v[P_Q].present)
		text_fold(p.v[P_Q].s, p.v[P_Q].len, folded, sizeof folded);
	level = p.v[P_LEVEL].present ? p.v[P_LEVEL].s : "";
	if (p.v[P_UNIT].present) {
		/* a unit offers the procedures of its level */
		rc = catalog_unit_level(r->db, p.v[P_UNIT].s, unit_level, sizeof unit_level);
		if (rc < 0) {
			api_db_error(r, rc);
			return;
		}
		if (rc == 1) {
			params_reject(r, "unit", "no such unit");
			return;
		}
		if (*level && strcmp(level, unit_level) != 0)
			level = "none";         /* contradictory filters: nothing matches */
		else
			level = unit_level;
	}
	q.folded_q = folded;
	q.field_code = p.v[P_FIELD].present ? p.v[P_FIELD].s : "";
	q.level = level;
	q.service_level = p.v[P_SERVICE_LEVEL].present ? p.v[P_SERVICE_LEVEL].s : "";
	q.limit = per_page;
	q.offset = (page - 1) * per_page;

	items = json_object_new_array();
	if ((rc = catalog_search(r->db, &q, procedure_item, items, &total)) != 0) {
		json_object_put(items);
		api_db_error(r, rc);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "items", items);
	json_put_int(o, "page", page);
	json_put_int(o, "per_page", per_page);
	json_put_int(o, "total", total);
	http_json(r, 200, o);
}

/* Building the whole procedure: the parts arrive in order, grouped as the page shows them. */
struct detail {
	struct json_object *root, *channels, *documents, *steps, *legal, *process;
	struct json_object *last_case;          /* items array of the current case */
	char last_case_name[1024];
};

static int on_main(const struct procedure_row *p, void *arg)
{
	struct detail *d = arg;

	put_procedure_summary(d->root, p);
	json_put_str(d->root, "applicants", p->applicants);
	json_put_str(d->root, "time_note", p->time_note);
	json_put_str(d->root, "conditions", p->conditions);
	json_put_str(d->root, "result", p->result);
	json_put_bool(d->root, "result_signature_required", p->result_signature_required);
	return 0;
}

static int on_channel(void *arg, const char *channel, const char *time, const char *unit,
                      const char *description, int seq)
{
	struct detail *d = arg;
	struct json_object *o = json_object_new_object();

	json_put_str(o, "channel", channel);
	json_object_object_add(o, "processing_time", decimal_json(time));
	json_put_str(o, "time_unit", unit);
	json_put_str(o, "description", description);
	json_object_object_add(o, "fees", json_object_new_array());
	json_put_int(o, "seq", seq);
	json_object_array_add(d->channels, o);
	return 0;
}

static int on_fee(void *arg, int channel_seq, const char *kind, long long amount, const char *description)
{
	struct detail *d = arg;
	size_t n = json_object_array_length(d->channels);

	for (size_t i = 0; i < n; i++) {
		struct json_object *ch = json_object_array_get_idx(d->channels, i), *seq, *fees, *o;
		if (!json_object_object_get_ex(ch, "seq", &seq) || json_object_get_int(seq) != channel_seq)
			continue;
		json_object_object_get_ex(ch, "fees", &fees);
		o = json_object_new_object();
		json_put_str(o, "kind", kind);
		json_put_int(o, "amount_vnd", amount);
		json_put_str(o, "description", description);
		json_object_array_add(fees, o);
	}
	return 0;
}

static int on_document(void *arg, int seq, const char *case_name, const char *name, int originals,
                       int copies, const char *template_url, int required)
{
	struct detail *d = arg;
	struct json_object *o;

	if (d->last_case == NULL || strcmp(d->last_case_name, case_name) != 0) {
		struct json_object *c = json_object_new_object();
		d->last_case = json_object_new_array();
		json_put_str(c, "case_name", case_name);
		json_object_object_add(c, "items", d->last_case);
		json_object_array_add(d->documents, c);
		snprintf(d->last_case_name, sizeof d->last_case_name, "%s", case_name);
	}
	o = json_object_new_object();
	/* what a reception names when it ticks this document */
	json_put_int(o, "seq", seq);
	json_put_str(o, "name", name);
	json_put_int(o, "originals", originals);
	json_put_int(o, "copies", copies);
	json_put_str(o, "template_url", template_url);
	json_put_bool(o, "required", required);
	json_object_array_add(d->last_case, o);
	return 0;
}

static int on_step(void *arg, const char *description)
{
	struct detail *d = arg;

	json_object_array_add(d->steps, json_object_new_string(description));
	return 0;
}

static int on_legal(void *arg, const char *number, const char *title, const char *issued_on)
{
	struct detail *d = arg;
	struct json_object *o = json_object_new_object();

	json_put_str(o, "number", number);
	json_put_str(o, "title", title);
	json_put_str(o, "issued_on", issued_on);
	json_object_array_add(d->legal, o);
	return 0;
}

static int on_process(void *arg, int seq, const char *name, const char *role,
                      const char *unit_level, int share_permille)
{
	struct detail *d = arg;
	struct json_object *o = json_object_new_object();

	json_put_int(o, "seq", seq);
	json_put_str(o, "name", name);
	json_put_str(o, "role", role);
	json_put_str(o, "unit_level", unit_level);
	json_put_int(o, "share_permille", share_permille);
	json_object_array_add(d->process, o);
	return 0;
}

static const struct param_spec code_spec = { "code", PT_TOKEN, 1, 32, 0, 0, NULL, NULL };

void api_procedure(struct http_req *r)
{
	static const struct procedure_parts parts = {
		on_channel, on_fee, on_document, on_step, on_legal, on_process,
	};
	struct detail d;
	const char *why;
	long long unused;
	int rc;

	if (no_params(r) != 0)
		return;
	if ((why = param_check_value(&code_spec, r->args[0], r->arg_len[0], &unused)) != NULL) {
		params_reject(r, "code", why);
		return;
	}
	memset(&d, 0, sizeof d);
	d.root = json_object_new_object();
	d.channels = json_object_new_array();
	d.documents = json_object_new_array();
	d.steps = json_object_new_array();
	d.legal = json_object_new_array();
	d.process = json_object_new_array();
	json_object_object_add(d.root, "channels", d.channels);
	json_object_object_add(d.root, "documents", d.documents);
	json_object_object_add(d.root, "steps", d.steps);
	json_object_object_add(d.root, "legal_bases", d.legal);
	json_object_object_add(d.root, "process", d.process);
	rc = catalog_procedure(r->db, r->args[0], on_main, &parts, &d);
	if (rc != 0) {
		json_object_put(d.root);
		if (rc == 1)
			http_problem(r, 404, "procedure_not_found", "Không tìm thấy thủ tục",
			             "No published procedure has that code.", "code");
		else
			api_db_error(r, rc);
		return;
	}
	/* the channel seq was only needed to attach fees */
	for (size_t i = 0; i < json_object_array_length(d.channels); i++)
		json_object_object_del(json_object_array_get_idx(d.channels, i), "seq");
	http_json(r, 200, d.root);
}
