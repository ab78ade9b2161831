/*
 * Form 06 (Biểu số 06, Circular 01/2020/TT-VPCP) and the months behind it:
 *   GET  /api/v1/reports/form06?unit=&from=&to=[&field=][&procedure=][&subunits=rollup|list][&format=csv]
 *   GET  /api/v1/reports/form06/dossiers?(the same)&cell=…[&level=][&page=][&per_page=]
 *   GET  /api/v1/reports/months
 *   POST /api/v1/reports/months/{YYYY-MM}/close              admins
 *   GET  /api/v1/reports/months/{YYYY-MM}/recompute?unit=
 *
 * Monitors, leaders and admins, for their own unit's subtree (another unit is a 404).
 * Every answer first recounts the dossiers changed since the last count
 * (store/stats_store.h), so the figures are exact when they are given; they come from
 * aggregates, never from a scan of dossiers. Rows are fields, grouped by the level of the
 * receiving unit, with group subtotals and a total; subunits=list gives a table for the
 * unit's own dossiers and one per direct sub-unit (with its subtree). The drill-down lists
 * the dossiers behind one number: a cell of the total, of a row (field=), of a level's
 * subtotal (level=) or of a row within a level (both).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/params.h"
#include "domain/stats.h"
#include "domain/workflow.h"
#include "store/officer_store.h"
#include "store/stats_store.h"
#include "api.h"

#define REPORT_ROLES (ROLE_BIT(ROLE_MONITOR) | ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_ADMIN))

/* The levels in the form's order; any other level label groups last as "other". NULL-ended:
 * the drill-down's level= takes them. */
static const char *const levels[] = { "province", "district", "commune", "department", "other", NULL };
#define NLEVELS 5
static const char *const level_vi[NLEVELS] = { "Cấp tỉnh", "Cấp huyện", "Cấp xã", "Sở, ngành", "Khác" };
static const char *const level_sum_vi[NLEVELS] = { "Cộng cấp tỉnh", "Cộng cấp huyện", "Cộng cấp xã",
                                                   "Cộng sở, ngành", "Cộng khác" };

static const char *const subunit_modes[] = { "rollup", "list", NULL };
static const char *const formats[] = { "json", "csv", NULL };
/* enum stats_cell, then STATS_CELL_RECEIVED, _RESOLVED, _IN_PROCESS */
static const char *const cell_names[] = { "carried_over", "online", "direct_postal", "before", "on_time",
                                          "late", "within", "overdue", "received", "resolved",
                                          "in_process", NULL };

static int parse_day(const char *s, size_t len, int32_t *day)
{
	int y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 2000 || y > 2100 || !civil_valid_date(y, m, d))
		return -1;
	*day = (int32_t)days_from_civil(y, m, d);
	return 0;
}

static const char *check_day(const char *s, size_t len)
{
	int32_t d;

	return parse_day(s, len, &d) == 0 ? NULL : "a date YYYY-MM-DD between 2000 and 2100";
}

enum { Q_UNIT, Q_FROM, Q_TO, Q_FIELD, Q_PROCEDURE, Q_SUBUNITS, Q_FORMAT, Q_CELL, Q_PAGE, Q_PER_PAGE, Q_LEVEL,
       Q__MAX };

#define COMMON_PARAMS \
	[Q_UNIT]      = { "unit", PT_TOKEN, 0, 32, 0, 0, NULL, NULL }, \
	[Q_FROM]      = { "from", PT_TEXT, 1, 10, 0, 0, NULL, check_day }, \
	[Q_TO]        = { "to", PT_TEXT, 1, 10, 0, 0, NULL, check_day }, \
	[Q_FIELD]     = { "field", PT_TOKEN, 0, 32, 0, 0, NULL, NULL }, \
	[Q_PROCEDURE] = { "procedure", PT_TOKEN, 0, 32, 0, 0, NULL, NULL }, \
	[Q_SUBUNITS]  = { "subunits", PT_ENUM, 0, 0, 0, 0, subunit_modes, NULL }

static const struct param_spec form_params[Q_CELL] = {
	COMMON_PARAMS,
	[Q_FORMAT]    = { "format", PT_ENUM, 0, 0, 0, 0, formats, NULL },
};

static const struct param_spec drill_params[Q__MAX] = {
	COMMON_PARAMS,
	/* a drill-down link carries the form's own query; format means nothing here */
	[Q_FORMAT]    = { "format", PT_ENUM, 0, 0, 0, 0, formats, NULL },
	[Q_CELL]      = { "cell", PT_ENUM, 1, 0, 0, 0, cell_names, NULL },
	[Q_PAGE]      = { "page", PT_INT, 0, 0, 1, 100000, NULL, NULL },
	[Q_PER_PAGE]  = { "per_page", PT_INT, 0, 0, 1, 500, NULL, NULL },
	[Q_LEVEL]     = { "level", PT_ENUM, 0, 0, 0, 0, levels, NULL },
};

/* ---------------------------------------------------------------- units and fields */

struct unit_info { long long id, parent_id; char code[33], name[256], path[513]; int level; int table; };
struct field_info { long long id; char code[33], name[256]; };

struct labels {
	struct unit_info *u;
	size_t nu, capu;
	struct field_info *f;
	size_t nf, capf;
};

static int level_index(const char *level)
{
	for (int i = 0; i < NLEVELS - 1; i++)
		if (level && strcmp(level, levels[i]) == 0)
			return i;
	return NLEVELS - 1;
}

static int unit_cb(long long id, long long parent_id, const char *code, const char *name, const char *level,
                   const char *path, void *arg)
{
	struct labels *l = arg;
	struct unit_info *u;

	if (l->nu == l->capu) {
		size_t cap = l->capu ? l->capu * 2 : 64;
		struct unit_info *n = realloc(l->u, cap * sizeof *n);
		if (!n)
			return DB_ERR;
		l->u = n;
		l->capu = cap;
	}
	u = &l->u[l->nu++];
	memset(u, 0, sizeof *u);
	u->id = id;
	u->parent_id = parent_id;
	snprintf(u->code, sizeof u->code, "%s", code ? code : "");
	snprintf(u->name, sizeof u->name, "%s", name ? name : "");
	snprintf(u->path, sizeof u->path, "%s", path ? path : "");
	u->level = level_index(level);
	return 0;
}

static int field_cb(long long id, const char *code, const char *name, void *arg)
{
	struct labels *l = arg;

	if (l->nf == l->capf) {
		size_t cap = l->capf ? l->capf * 2 : 64;
		struct field_info *n = realloc(l->f, cap * sizeof *n);
		if (!n)
			return DB_ERR;
		l->f = n;
		l->capf = cap;
	}
	l->f[l->nf].id = id;
	snprintf(l->f[l->nf].code, sizeof l->f[l->nf].code, "%s", code ? code : "");
	snprintf(l->f[l->nf].name, sizeof l->f[l->nf].name, "%s", name ? name : "");
	l->nf++;
	return 0;
}

static void labels_free(struct labels *l)
{
	free(l->u);
	free(l->f);
	memset(l, 0, sizeof *l);
}

static struct unit_info *unit_by_id(struct labels *l, long long id)
{
	for (size_t i = 0; i < l->nu; i++)
		if (l->u[i].id == id)
			return &l->u[i];
	return NULL;
}

static int field_index(const struct labels *l, long long id)
{
	for (size_t i = 0; i < l->nf; i++)
		if (l->f[i].id == id)
			return (int)i;
	return -1;
}

/* ---------------------------------------------------------------- the request */

struct report_req {
	struct officer me;
	struct params p;
	struct stats_query q;
	char path[513];
	char unit_code[33];
	struct labels lab;
	int list;
};

/*
 * Validates the shared parameters and the scope, and recounts what changed. 0, or -1
 * after answering.
 */
static int report_begin(struct http_req *r, const struct param_spec *spec, size_t nspec, struct report_req *rq)
{
	int rc;
	int32_t from, to;

	memset(rq, 0, sizeof *rq);
	if (api_officer(r, REPORT_ROLES, &rq->me) != 0 || params_parse(r, spec, nspec, &rq->p) != 0)
		return -1;
	snprintf(rq->unit_code, sizeof rq->unit_code, "%s", rq->p.v[Q_UNIT].present ? rq->p.v[Q_UNIT].s : rq->me.unit_code);
	for (char *c = rq->unit_code; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	if ((rc = unit_path_of(r->db, rq->unit_code, rq->path, sizeof rq->path)) != 0) {
		if (rc == 1)
			params_reject(r, "unit", "no such unit");
		else
			api_db_error(r, rc);
		return -1;
	}
	if (strncmp(rq->path, rq->me.unit_path, strlen(rq->me.unit_path)) != 0) {
		http_problem(r, 404, "not_found", "Không tìm thấy đơn vị trong phạm vi của bạn",
		             "No such unit among yours.", "unit");
		return -1;
	}
	parse_day(rq->p.v[Q_FROM].s, rq->p.v[Q_FROM].len, &from);
	parse_day(rq->p.v[Q_TO].s, rq->p.v[Q_TO].len, &to);
	if (from > to) {
		params_reject(r, "to", "the period ends before it starts (to < from)");
		return -1;
	}
	rq->q = (struct stats_query){ rq->path, 0, 0, from, to, (int32_t)local_day_number(time(NULL)) };
	if (rq->p.v[Q_FIELD].present && (rc = stats_field_id(r->db, rq->p.v[Q_FIELD].s, &rq->q.field_id)) != 0) {
		if (rc == 1)
			params_reject(r, "field", "no such field");
		else
			api_db_error(r, rc);
		return -1;
	}
	if (rq->p.v[Q_PROCEDURE].present &&
	    (rc = stats_procedure_id(r->db, rq->p.v[Q_PROCEDURE].s, &rq->q.procedure_id)) != 0) {
		if (rc == 1)
			params_reject(r, "procedure", "no such procedure");
		else
			api_db_error(r, rc);
		return -1;
	}
	rq->list = rq->p.v[Q_SUBUNITS].present && rq->p.v[Q_SUBUNITS].i == 1;
	if ((rc = stats_drain(r->db, time(NULL))) != 0) {
		api_db_error(r, rc);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- form 06 */

/* One table: per level, per field, the cells (and whether anything counted there). */
struct table { struct unit_info *unit; long long *cells; unsigned char *seen; };

struct form {
	struct report_req *rq;
	struct table *t;
	size_t nt;
};

static long long *cell_at(struct form *f, size_t t, int level, int field)
{
	return &f->t[t].cells[((size_t)level * f->rq->lab.nf + (size_t)field) * SC__MAX];
}

static int form_cb(long long unit_id, long long field_id, const long long cells[SC__MAX], void *arg)
{
	struct form *f = arg;
	struct unit_info *u = unit_by_id(&f->rq->lab, unit_id);
	int fi = field_index(&f->rq->lab, field_id);
	long long *c;

	if (!u || fi < 0 || u->table < 0)
		return 0;
	c = cell_at(f, (size_t)u->table, u->level, fi);
	for (int k = 0; k < SC__MAX; k++)
		c[k] += cells[k];
	f->t[u->table].seen[(size_t)u->level * f->rq->lab.nf + (size_t)fi] = 1;
	return 0;
}

/* Tables: rollup, one for the whole subtree; list, the unit's own dossiers and then one
 * per direct sub-unit with its subtree. Sets each unit's table. */
static int make_tables(struct form *f)
{
	struct labels *l = &f->rq->lab;
	struct unit_info *root = &l->u[0];
	size_t per = (size_t)NLEVELS * (l->nf ? l->nf : 1);

	f->t = calloc(l->nu, sizeof *f->t);
	if (!f->t)
		return -1;
	f->t[f->nt++].unit = root;
	for (size_t i = 0; i < l->nu; i++)
		l->u[i].table = 0;
	if (f->rq->list)
		for (size_t i = 1; i < l->nu; i++)
			if (l->u[i].parent_id == root->id) {
				l->u[i].table = (int)f->nt;
				f->t[f->nt++].unit = &l->u[i];
			}
	if (f->rq->list)
		for (size_t i = 1; i < l->nu; i++)
			if (l->u[i].parent_id != root->id) {
				struct unit_info *a = unit_by_id(l, l->u[i].parent_id);
				/* units come by depth: the parent's table is known */
				l->u[i].table = a ? a->table : -1;
			}
	for (size_t t = 0; t < f->nt; t++) {
		f->t[t].cells = calloc(per * SC__MAX, sizeof *f->t[t].cells);
		f->t[t].seen = calloc(per, 1);
		if (!f->t[t].cells || !f->t[t].seen)
			return -1;
	}
	return 0;
}

static void form_free(struct form *f)
{
	for (size_t t = 0; t < f->nt; t++) {
		free(f->t[t].cells);
		free(f->t[t].seen);
	}
	free(f->t);
}

static struct json_object *three(const long long c[SC__MAX], const char *part)
{
	struct json_object *o = json_object_new_object();

	if (strcmp(part, "received") == 0) {
		json_put_int(o, "total", c[SC_CARRIED_OVER] + c[SC_ONLINE] + c[SC_DIRECT_POSTAL]);
		json_put_int(o, "carried_over", c[SC_CARRIED_OVER]);
		json_put_int(o, "online", c[SC_ONLINE]);
		json_put_int(o, "direct_postal", c[SC_DIRECT_POSTAL]);
	} else if (strcmp(part, "resolved") == 0) {
		json_put_int(o, "total", c[SC_BEFORE] + c[SC_ON_TIME] + c[SC_LATE]);
		json_put_int(o, "before", c[SC_BEFORE]);
		json_put_int(o, "on_time", c[SC_ON_TIME]);
		json_put_int(o, "late", c[SC_LATE]);
	} else {
		json_put_int(o, "total", c[SC_WITHIN] + c[SC_OVERDUE]);
		json_put_int(o, "within", c[SC_WITHIN]);
		json_put_int(o, "overdue", c[SC_OVERDUE]);
	}
	return o;
}

static void put_cells(struct json_object *o, const long long c[SC__MAX])
{
	json_object_object_add(o, "received", three(c, "received"));
	json_object_object_add(o, "resolved", three(c, "resolved"));
	json_object_object_add(o, "in_process", three(c, "in_process"));
}

static void add_cells(long long *sum, const long long *c)
{
	for (int k = 0; k < SC__MAX; k++)
		sum[k] += c[k];
}

static struct json_object *form_json(struct form *f, int frozen, int32_t asof)
{
	struct report_req *rq = f->rq;
	struct json_object *o = json_object_new_object(), *tables = json_object_new_array();
	char d[16];
	int y, m, dd;

	json_object_object_add(o, "unit", api_code_name(rq->lab.u[0].code, rq->lab.u[0].name));
	json_put_str(o, "from", rq->p.v[Q_FROM].s);
	json_put_str(o, "to", rq->p.v[Q_TO].s);
	civil_from_days(asof, &y, &m, &dd);
	snprintf(d, sizeof d, "%04d-%02d-%02d", y, m, dd);
	json_put_str(o, "as_of", d);
	json_put_bool(o, "frozen", frozen);
	for (size_t t = 0; t < f->nt; t++) {
		struct json_object *tj = json_object_new_object(), *groups = json_object_new_array();
		long long total[SC__MAX] = { 0 };
		json_object_object_add(tj, "unit", api_code_name(f->t[t].unit->code, f->t[t].unit->name));
		for (int lv = 0; lv < NLEVELS; lv++) {
			struct json_object *g = NULL, *rows = NULL, *sub;
			long long subtotal[SC__MAX] = { 0 };
			for (size_t fi = 0; fi < rq->lab.nf; fi++) {
				const long long *c = cell_at(f, t, lv, (int)fi);
				struct json_object *row;
				if (!f->t[t].seen[(size_t)lv * rq->lab.nf + fi])
					continue;
				if (!g) {
					g = json_object_new_object();
					rows = json_object_new_array();
					json_put_str(g, "level", levels[lv]);
				}
				row = json_object_new_object();
				json_object_object_add(row, "field", api_code_name(rq->lab.f[fi].code, rq->lab.f[fi].name));
				put_cells(row, c);
				json_object_array_add(rows, row);
				add_cells(subtotal, c);
			}
			if (!g)
				continue;
			json_object_object_add(g, "rows", rows);
			sub = json_object_new_object();
			put_cells(sub, subtotal);
			json_object_object_add(g, "subtotal", sub);
			json_object_array_add(groups, g);
			add_cells(total, subtotal);
		}
		json_object_object_add(tj, "groups", groups);
		{
			struct json_object *tot = json_object_new_object();
			put_cells(tot, total);
			json_object_object_add(tj, "total", tot);
		}
		json_object_array_add(tables, tj);
	}
	json_object_object_add(o, "tables", tables);
	return o;
}

/* ---------------------------------------------------------------- CSV */

struct buf { char *s; size_t len, cap; int failed; };

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap : 4096);
		while (cap < b->len + n + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->failed = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void puts_csv(struct buf *b, const char *s)
{
	put(b, "\"", 1);
	for (const char *p = s; *p; p++) {
		put(b, p, 1);
		if (*p == '"')
			put(b, p, 1);           /* a quote is doubled */
	}
	put(b, "\"", 1);
}

static void csv_row(struct buf *b, const char *stt, const char *label, const long long *c)
{
	char n[32];
	long long v[11];

	puts_csv(b, stt);
	put(b, ",", 1);
	puts_csv(b, label);
	v[0] = c[SC_CARRIED_OVER] + c[SC_ONLINE] + c[SC_DIRECT_POSTAL];
	v[1] = c[SC_CARRIED_OVER];
	v[2] = c[SC_ONLINE];
	v[3] = c[SC_DIRECT_POSTAL];
	v[4] = c[SC_BEFORE] + c[SC_ON_TIME] + c[SC_LATE];
	v[5] = c[SC_BEFORE];
	v[6] = c[SC_ON_TIME];
	v[7] = c[SC_LATE];
	v[8] = c[SC_WITHIN] + c[SC_OVERDUE];
	v[9] = c[SC_WITHIN];
	v[10] = c[SC_OVERDUE];
	for (int k = 0; k < 11; k++) {
		int len = snprintf(n, sizeof n, ",%lld", v[k]);
		put(b, n, (size_t)len);
	}
	put(b, "\r\n", 2);
}

static void csv_line(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
	put(b, "\r\n", 2);
}

static void form_csv(struct http_req *r, struct form *f, int frozen)
{
	struct report_req *rq = f->rq;
	struct buf b = { 0 };
	char line[1024], fname[128];

	put(&b, "\xEF\xBB\xBF", 3);
	csv_line(&b, "\"Biểu số 06\",\"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH\"");
	snprintf(line, sizeof line, "\"Đơn vị\",\"%s (%s)\"", rq->lab.u[0].name, rq->lab.u[0].code);
	csv_line(&b, line);
	snprintf(line, sizeof line, "\"Kỳ báo cáo\",\"từ %s đến %s\"%s", rq->p.v[Q_FROM].s, rq->p.v[Q_TO].s,
	         frozen ? ",\"Số liệu đã chốt\"" : "");
	csv_line(&b, line);
	csv_line(&b, "\"STT\",\"Lĩnh vực giải quyết\",\"Số hồ sơ nhận giải quyết\",,,,"
	             "\"Kết quả giải quyết: Số hồ sơ đã giải quyết\",,,,\"Số hồ sơ đang giải quyết\",,");
	csv_line(&b, ",,\"Tổng số\",\"Số kỳ trước chuyển qua\",\"Số mới tiếp nhận trực tuyến\","
	             "\"Số mới tiếp nhận trực tiếp, dịch vụ bưu chính\",\"Tổng số\",\"Trả trước hạn\","
	             "\"Trả đúng hạn\",\"Trả quá hạn\",\"Tổng số\",\"Trong hạn\",\"Quá hạn\"");
	csv_line(&b, "\"(1)\",\"(2)\",\"(3)\",\"(4)\",\"(5)\",\"(6)\",\"(7)\",\"(8)\",\"(9)\",\"(10)\","
	             "\"(11)\",\"(12)\",\"(13)\"");
	for (size_t t = 0; t < f->nt; t++) {
		long long total[SC__MAX] = { 0 };
		int stt = 0;
		if (f->nt > 1) {
			snprintf(line, sizeof line, ",\"%s\"", f->t[t].unit->name);
			csv_line(&b, line);
		}
		for (int lv = 0; lv < NLEVELS; lv++) {
			long long subtotal[SC__MAX] = { 0 };
			int any = 0;
			for (size_t fi = 0; fi < rq->lab.nf; fi++) {
				char n[16];
				if (!f->t[t].seen[(size_t)lv * rq->lab.nf + fi])
					continue;
				if (!any) {
					snprintf(line, sizeof line, ",\"%s\"", level_vi[lv]);
					csv_line(&b, line);
					any = 1;
				}
				snprintf(n, sizeof n, "%d", ++stt);
				csv_row(&b, n, rq->lab.f[fi].name, cell_at(f, t, lv, (int)fi));
				add_cells(subtotal, cell_at(f, t, lv, (int)fi));
			}
			if (!any)
				continue;
			csv_row(&b, "", level_sum_vi[lv], subtotal);
			add_cells(total, subtotal);
		}
		csv_row(&b, "", "Tổng cộng", total);
	}
	if (b.failed) {
		free(b.s);
		http_internal_error(r, "csv: out of memory");
		return;
	}
	snprintf(fname, sizeof fname,
	         "Content-Disposition: attachment; filename=\"bieu-06-%s-%s-%s.csv\"\r\n",
	         rq->lab.u[0].code, rq->p.v[Q_FROM].s, rq->p.v[Q_TO].s);
	http_send(r, 200, "text/csv; charset=utf-8", fname, b.s, b.len);
	free(b.s);
}

static int load_labels(struct http_req *r, struct report_req *rq)
{
	int rc;

	if ((rc = stats_units(r->db, rq->path, unit_cb, &rq->lab)) != 0 ||
	    (rc = stats_fields(r->db, field_cb, &rq->lab)) != 0 || rq->lab.nu == 0) {
		api_db_error(r, rc ? rc : DB_ERR);
		return -1;
	}
	return 0;
}

void api_report_form06(struct http_req *r)
{
	struct report_req rq;
	struct form f = { 0 };
	int frozen = 0, rc;

	if (report_begin(r, form_params, Q_CELL, &rq) != 0)
		return;
	f.rq = &rq;
	if (load_labels(r, &rq) != 0)
		goto out;
	if (make_tables(&f) != 0) {
		http_internal_error(r, "form06: out of memory");
		goto out;
	}
	if ((rc = stats_form06(r->db, &rq.q, &frozen, form_cb, &f)) != 0) {
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		goto out;
	}
	if (rq.p.v[Q_FORMAT].present && rq.p.v[Q_FORMAT].i == 1)
		form_csv(r, &f, frozen);
	else
		http_json(r, 200, form_json(&f, frozen, rq.q.to < rq.q.today ? rq.q.to : rq.q.today));
out:
	form_free(&f);
	labels_free(&rq.lab);
}

/* ---------------------------------------------------------------- drill-down */

static int item_cb(const struct stats_item *it, void *arg)
{
	struct json_object *items = arg, *o = json_object_new_object();

	json_put_str(o, "code", it->code);
	json_object_object_add(o, "procedure", api_code_name(it->procedure_code, it->procedure_name));
	json_object_object_add(o, "unit", api_code_name(it->unit_code, it->unit_name));
	json_put_str(o, "channel", it->channel);
	json_put_str(o, "state", it->state);
	api_put_time(o, "received_at", it->received_at);
	api_put_time(o, "due_at", it->due_at);
	api_put_time(o, "finished_at", it->finished_at);
	json_object_array_add(items, o);
	return 0;
}

void api_report_form06_dossiers(struct http_req *r)
{
	struct report_req rq;
	struct json_object *o, *items;
	long long page, per_page, total = 0;
	int rc;

	if (report_begin(r, drill_params, Q__MAX, &rq) != 0)
		return;
	page = rq.p.v[Q_PAGE].present ? rq.p.v[Q_PAGE].i : 1;
	per_page = rq.p.v[Q_PER_PAGE].present ? rq.p.v[Q_PER_PAGE].i : 50;
	items = json_object_new_array();
	if ((rc = stats_dossiers(r->db, &rq.q, rq.p.v[Q_LEVEL].present ? levels[rq.p.v[Q_LEVEL].i] : NULL,
	                         (int)rq.p.v[Q_CELL].i, per_page, (page - 1) * per_page, &total,
	                         item_cb, items)) != 0) {
		json_object_put(items);
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	o = json_object_new_object();
	json_put_int(o, "total", total);
	json_put_int(o, "page", page);
	json_put_int(o, "per_page", per_page);
	json_object_object_add(o, "items", items);
	http_json(r, 200, o);
}

/* ---------------------------------------------------------------- months */

static void month_text(int32_t month, char out[8])
{
	int y, m, d;
	char b[16];

	civil_from_days(month, &y, &m, &d);
	snprintf(b, sizeof b, "%04d-%02d", y, m);
	memcpy(out, b, 7);
	out[7] = '\0';
}

static int month_cb(int32_t month, const char *closed_at, const char *closed_by, void *arg)
{
	struct json_object *arr = arg, *o = json_object_new_object();
	char m[8];

	month_text(month, m);
	json_put_str(o, "month", m);
	api_put_time(o, "closed_at", closed_at);
	json_put_str(o, "closed_by", closed_by);
	json_object_array_add(arr, o);
	return 0;
}

static const struct param_spec no_params[1] = { { "_", PT_TEXT, 0, 1, 0, 0, NULL, NULL } };

void api_report_months(struct http_req *r)
{
	struct officer me;
	struct params p;
	struct json_object *o, *arr;
	int rc;

	if (api_officer(r, REPORT_ROLES, &me) != 0 || params_parse(r, no_params, 0, &p) != 0)
		return;
	arr = json_object_new_array();
	if ((rc = stats_months(r->db, time(NULL), month_cb, arr)) != 0) {
		json_object_put(arr);
		api_db_error(r, rc < 0 ? rc : DB_ERR);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "months", arr);
	http_json(r, 200, o);
}

/* The {YYYY-MM} of the path (the first '*'): its first day, or -1 after answering 400. */
static int path_month(struct http_req *r, int32_t *month)
{
	const char *s = r->args[0];
	char d[11];
	int32_t day;

	if (!s || strlen(s) != 7) {
		params_reject(r, "month", "a month YYYY-MM");
		return -1;
	}
	snprintf(d, sizeof d, "%s-01", s);
	if (parse_day(d, 10, &day) != 0) {
		params_reject(r, "month", "a month YYYY-MM");
		return -1;
	}
	*month = day;
	return 0;
}

void api_report_month_close(struct http_req *r)
{
	struct officer me;
	struct json_object *o;
	int32_t month;
	char m[8];
	int rc;

	if (api_officer(r, ROLE_BIT(ROLE_ADMIN), &me) != 0 || path_month(r, &month) != 0)
		return;
	rc = stats_close_month(r->db, month, me.username, time(NULL));
	if (rc == 2) {
		http_problem(r, 409, "month_not_over", "Tháng chưa kết thúc, chưa thể chốt số liệu",
		             "A month can be closed only after its last day.", "month");
		return;
	}
	if (rc < 0) {
		api_db_error(r, rc);
		return;
	}
	month_text(month, m);
	o = json_object_new_object();
	json_put_str(o, "month", m);
	json_put_bool(o, "closed_now", rc == 0);
	{
		struct json_object *arr = json_object_new_array();
		/* the month's closing as stored */
		if (stats_months(r->db, time(NULL), month_cb, arr) == 0) {
			for (size_t i = 0; i < json_object_array_length(arr); i++) {
				struct json_object *e = json_object_array_get_idx(arr, i), *v;
				if (json_object_object_get_ex(e, "month", &v) && strcmp(json_object_get_string(v), m) == 0) {
					if (json_object_object_get_ex(e, "closed_at", &v))
						json_object_object_add(o, "closed_at", json_object_get(v));
					if (json_object_object_get_ex(e, "closed_by", &v))
						json_object_object_add(o, "closed_by", json_object_get(v));
				}
			}
		}
		json_object_put(arr);
	}
	http_json(r, rc == 0 ? 201 : 200, o);
}

struct recompute_out { struct report_req *rq; struct json_object *units, *dossiers; };

static struct json_object *cells_obj(const long long c[SC__MAX])
{
	struct json_object *o = json_object_new_object();

	for (int k = 0; k < SC__MAX; k++)
		json_put_int(o, stats_cell_names[k], c[k]);
	return o;
}

static struct json_object *unit_field(struct report_req *rq, long long unit_id, long long field_id)
{
	struct json_object *o = json_object_new_object();
	struct unit_info *u = unit_by_id(&rq->lab, unit_id);
	int fi = field_index(&rq->lab, field_id);

	json_object_object_add(o, "unit", u ? api_code_name(u->code, u->name) : NULL);
	json_object_object_add(o, "field", fi >= 0 ? api_code_name(rq->lab.f[fi].code, rq->lab.f[fi].name) : NULL);
	return o;
}

static int recompute_cells(long long unit_id, long long field_id, const long long stored[SC__MAX],
                           const long long live[SC__MAX], void *arg)
{
	struct recompute_out *out = arg;
	struct json_object *o, *diff;
	int differs = 0;

	for (int k = 0; k < SC__MAX; k++)
		differs |= stored[k] != live[k];
	if (!differs)
		return 0;
	o = unit_field(out->rq, unit_id, field_id);
	json_object_object_add(o, "stored", cells_obj(stored));
	json_object_object_add(o, "recomputed", cells_obj(live));
	diff = json_object_new_array();
	for (int k = 0; k < SC__MAX; k++)
		if (stored[k] != live[k])
			json_object_array_add(diff, json_object_new_string(stats_cell_names[k]));
	json_object_object_add(o, "differs", diff);
	json_object_array_add(out->units, o);
	return 0;
}

static struct json_object *cell_list(unsigned m)
{
	struct json_object *a = json_object_new_array();

	for (int k = 0; k < SC__MAX; k++)
		if (m & (1u << k))
			json_object_array_add(a, json_object_new_string(stats_cell_names[k]));
	return a;
}

static int recompute_dossier(const char *code, long long unit_id, long long field_id, unsigned then,
                             unsigned now, const char *changed_at, void *arg)
{
	struct recompute_out *out = arg;
	struct json_object *o = unit_field(out->rq, unit_id, field_id);

	json_put_str(o, "code", code);
	json_object_object_add(o, "cells_then", cell_list(then));
	json_object_object_add(o, "cells_now", cell_list(now));
	api_put_time(o, "changed_at", changed_at);
	json_object_array_add(out->dossiers, o);
	return 0;
}

static const struct param_spec recompute_params[1] = {
	{ "unit", PT_TOKEN, 0, 32, 0, 0, NULL, NULL },
};

void api_report_month_recompute(struct http_req *r)
{
	struct report_req rq;
	struct recompute_out out;
	struct stats_recompute_fns fns = { recompute_cells, recompute_dossier, &out };
	struct json_object *o;
	char closed_at[24] = "", m[8];
	int32_t month;
	int rc;

	memset(&rq, 0, sizeof rq);
	if (api_officer(r, REPORT_ROLES, &rq.me) != 0 || params_parse(r, recompute_params, 1, &rq.p) != 0 ||
	    path_month(r, &month) != 0)
		return;
	snprintf(rq.unit_code, sizeof rq.unit_code, "%s", rq.p.v[0].present ? rq.p.v[0].s : rq.me.unit_code);
	for (char *c = rq.unit_code; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	if ((rc = unit_path_of(r->db, rq.unit_code, rq.path, sizeof rq.path)) != 0) {
		if (rc == 1)
			params_reject(r, "unit", "no such unit");
		else
			api_db_error(r, rc);
		return;
	}
	if (strncmp(rq.path, rq.me.unit_path, strlen(rq.me.unit_path)) != 0) {
		http_problem(r, 404, "not_found", "Không tìm thấy đơn vị trong phạm vi của bạn",
		             "No such unit among yours.", "unit");
		return;
	}
	if ((rc = stats_drain(r->db, time(NULL))) != 0 || load_labels(r, &rq) != 0) {
		if (rc)
			api_db_error(r, rc);
		goto out;
	}
	out.rq = &rq;
	out.units = json_object_new_array();
	out.dossiers = json_object_new_array();
	rc = stats_recompute(r->db, month, rq.path, time(NULL), &fns, closed_at);
	if (rc != 0) {
		json_object_put(out.units);
		json_object_put(out.dossiers);
		if (rc == 1)
			http_problem(r, 409, "month_open", "Tháng này chưa chốt số liệu",
			             "The month is not closed: its figures are live already.", "month");
		else
			api_db_error(r, rc);
		goto out;
	}
	month_text(month, m);
	o = json_object_new_object();
	json_put_str(o, "month", m);
	json_object_object_add(o, "unit", api_code_name(rq.lab.u[0].code, rq.lab.u[0].name));
	api_put_time(o, "closed_at", closed_at);
	json_put_bool(o, "differs", json_object_array_length(out.units) > 0);
	json_object_object_add(o, "cells", out.units);
	json_object_object_add(o, "dossiers", out.dossiers);
	http_json(r, 200, o);
out:
	labels_free(&rq.lab);
}
