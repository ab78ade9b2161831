#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "catalog_store.h"

struct cb {
	void *fn;
	void *arg;
	const struct procedure_parts *parts;
};

static int unit_cb(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	struct unit_row u = {
		.code = r->val[0], .name = r->val[1], .short_name = r->val[2], .level = r->val[3],
		.level_label = r->val[4], .parent_code = r->val[5], .depth = (int)db_row_int(r, 6, 0),
	};
	return ((unit_row_fn)c->fn)(&u, c->arg);
}

int catalog_units(struct db *db, unit_row_fn fn, void *arg)
{
	static const char sql[] =
		"SELECT u.code, u.name, u.short_name, u.level, u.level_label, p.code, u.depth "
		"FROM units u LEFT JOIN units p ON p.id = u.parent_id "
		"WHERE u.active = 1 ORDER BY u.path";
	struct cb c = { (void *)fn, arg, NULL };

	return db_query(db, sql, NULL, 0, unit_cb, &c);
}

struct level_out { char *buf; size_t sz; int found; };

static int level_cb(const struct db_row *r, void *arg)
{
	struct level_out *o = arg;

	snprintf(o->buf, o->sz, "%s", r->val[0] ? r->val[0] : "");
	o->found = 1;
	return 0;
}

int catalog_unit_level(struct db *db, const char *code, char *level, size_t levelsz)
{
	static const char sql[] = "SELECT level FROM units WHERE code = ? AND active = 1";
	struct db_param p[] = { DB_STR(code) };
	struct level_out o = { level, levelsz, 0 };
	int rc = db_query(db, sql, p, 1, level_cb, &o);

	if (rc != 0)
		return rc < 0 ? rc : -1;
	return o.found ? 0 : 1;
}

static int field_cb(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	struct field_row f = { r->val[0], r->val[1], db_row_int(r, 2, 0) };

	return ((field_row_fn)c->fn)(&f, c->arg);
}

int catalog_fields(struct db *db, field_row_fn fn, void *arg)
{
	static const char sql[] =
		"SELECT f.code, f.name, COUNT(p.id) FROM fields f "
		"LEFT JOIN procedures p ON p.field_id = f.id AND p.published = 1 "
		"GROUP BY f.id, f.code, f.name ORDER BY f.name";
	struct cb c = { (void *)fn, arg, NULL };

	return db_query(db, sql, NULL, 0, field_cb, &c);
}

#define PROCEDURE_COLUMNS \
	"p.code, p.name, f.code, f.name, p.level_province, p.level_district, p.level_commune, " \
	"p.service_level, p.processing_time, p.time_unit, p.agency "

/* One WHERE clause for the page and its count, so they can never disagree. An empty
 * parameter means "any". search_text holds folded text, so the folded query contains
 * no LIKE wildcards (text_fold turns '%' and '_' into spaces). */
#define PROCEDURE_FILTER \
	"FROM procedures p JOIN fields f ON f.id = p.field_id " \
	"WHERE p.published = 1 " \
	"AND (? = '' OR p.search_text LIKE CONCAT('%', ?, '%')) " \
	"AND (? = '' OR f.code = ?) " \
	"AND (? = '' OR (? = 'province' AND p.level_province = 1) " \
	"  OR (? = 'district' AND p.level_district = 1) OR (? = 'commune' AND p.level_commune = 1)) " \
	"AND (? = '' OR p.service_level = ?) "

static int procedure_cb(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	struct procedure_row p = {
		.code = r->val[0], .name = r->val[1], .field_code = r->val[2], .field_name = r->val[3],
		.level_province = (int)db_row_int(r, 4, 0), .level_district = (int)db_row_int(r, 5, 0),
		.level_commune = (int)db_row_int(r, 6, 0), .service_level = r->val[7],
		.processing_time = r->val[8], .time_unit = r->val[9], .agency = r->val[10],
	};
	if (r->ncols > 11) {
		p.applicants = r->val[11];
		p.time_note = r->val[12];
		p.conditions = r->val[13];
		p.result = r->val[14];
	}
	if (r->ncols > 16)
		p.result_signature_required = db_row_int(r, 15, 1) != 0;
	return ((procedure_row_fn)c->fn)(&p, c->arg);
}

static int count_cb(const struct db_row *r, void *arg)
{
	*(long long *)arg = db_row_int(r, 0, 0);
	return 0;
}

int catalog_search(struct db *db, const struct procedure_query *q, procedure_row_fn fn,
                   void *arg, long long *total)
{
	static const char page_sql[] =
		"SELECT " PROCEDURE_COLUMNS PROCEDURE_FILTER
		"ORDER BY (? <> '' AND p.search_text LIKE CONCAT(?, '%')) DESC, p.name, p.code "
		"LIMIT ? OFFSET ?";
	static const char count_sql[] = "SELECT COUNT(*) " PROCEDURE_FILTER;
	struct db_param p[14] = {
		DB_STR(q->folded_q), DB_STR(q->folded_q),
		DB_STR(q->field_code), DB_STR(q->field_code),
		DB_STR(q->level), DB_STR(q->level), DB_STR(q->level), DB_STR(q->level),
		DB_STR(q->service_level), DB_STR(q->service_level),
		DB_STR(q->folded_q), DB_STR(q->folded_q),
		DB_INT(q->limit), DB_INT(q->offset),
	};
	struct cb c = { (void *)fn, arg, NULL };
	int rc;

	if ((rc = db_query(db, count_sql, p, 10, count_cb, total)) != 0)
		return rc;
	if (*total == 0)
		return 0;
	return db_query(db, page_sql, p, 14, procedure_cb, &c);
}

static int channel_cb(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	return c->parts->channel(c->arg, r->val[0], r->val[1], r->val[2], r->val[3],
	                         (int)db_row_int(r, 4, 0));
}

static int fee_cb(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	return c->parts->fee(c->arg, (int)db_row_int(r, 0, 0), r->val[1], db_row_int(r, 2, 0), r->val[3]);
}

static int document_cb(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	return c->parts->document(c->arg, (int)db_row_int(r, 6, 0), r->val[0], r->val[1],
	                          (int)db_row_int(r, 2, 0), (int)db_row_int(r, 3, 0), r->val[4],
	                          (int)db_row_int(r, 5, 0));
}

static int step_cb(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	return c->parts->step(c->arg, r->val[0]);
}

static int legal_cb(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	return c->parts->legal_basis(c->arg, r->val[0], r->val[1], r->val[2]);
}

static int process_cb(const struct db_row *r, void *arg)
{
	struct cb *c = arg;
	return c->parts->process_step(c->arg, (int)db_row_int(r, 0, 0), r->val[1], r->val[2],
	                              r->val[3], (int)db_row_int(r, 4, 0));
}

struct found { struct cb *c; long long id; };

static int main_cb(const struct db_row *r, void *arg)
{
	struct found *f = arg;
	f->id = db_row_int(r, r->ncols - 1, 0);
	return procedure_cb(r, f->c);
}

int catalog_procedure(struct db *db, const char *code, procedure_row_fn main_fn,
                      const struct procedure_parts *parts, void *arg)
{
	static const char main_sql[] =
		"SELECT " PROCEDURE_COLUMNS ", p.applicants, p.time_note, p.conditions, p.result, "
		"p.result_signature_required, p.id "
		"FROM procedures p JOIN fields f ON f.id = p.field_id "
		"WHERE p.code = ? AND p.published = 1";
	static const char channels_sql[] =
		"SELECT channel, processing_time, time_unit, description, seq "
		"FROM procedure_channels WHERE procedure_id = ? ORDER BY seq";
	static const char fees_sql[] =
		"SELECT channel_seq, kind, amount_vnd, description "
		"FROM procedure_fees WHERE procedure_id = ? ORDER BY seq";
	static const char documents_sql[] =
		"SELECT case_name, name, originals, copies, template_url, required, seq "
		"FROM procedure_documents WHERE procedure_id = ? ORDER BY seq";
	static const char steps_sql[] =
		"SELECT description FROM procedure_steps WHERE procedure_id = ? ORDER BY seq";
	static const char legal_sql[] =
		"SELECT number, title, issued_on FROM procedure_legal_bases WHERE procedure_id = ? ORDER BY seq";
	static const char process_sql[] =
		"SELECT seq, name, role, unit_level, share_permille "
		"FROM procedure_process_steps WHERE procedure_id = ? ORDER BY seq";
	struct cb c = { (void *)main_fn, arg, parts };
	struct found f = { &c, 0 };
	struct db_param p[1];
	int rc;

	p[0] = DB_STR(code);
	if ((rc = db_query(db, main_sql, p, 1, main_cb, &f)) != 0)
		return rc;
	if (f.id == 0)
		return 1;
	p[0] = DB_INT(f.id);
	if ((rc = db_query(db, channels_sql, p, 1, channel_cb, &c)) != 0 ||
	    (rc = db_query(db, fees_sql, p, 1, fee_cb, &c)) != 0 ||
	    (rc = db_query(db, documents_sql, p, 1, document_cb, &c)) != 0 ||
	    (rc = db_query(db, steps_sql, p, 1, step_cb, &c)) != 0 ||
	    (rc = db_query(db, legal_sql, p, 1, legal_cb, &c)) != 0 ||
	    (rc = db_query(db, process_sql, p, 1, process_cb, &c)) != 0)
		return rc;
	return 0;
}
