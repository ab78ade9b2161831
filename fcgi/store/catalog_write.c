#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "catalog_write.h"

struct unit_info { long long id; int depth; char path[512]; int found; };

static int unit_info_cb(const struct db_row *r, void *arg)
{
	struct unit_info *u = arg;

	u->id = db_row_int(r, 0, 0);
	u->depth = (int)db_row_int(r, 1, 0);
	snprintf(u->path, sizeof u->path, "%s", r->val[2] ? r->val[2] : "/");
	u->found = 1;
	return 0;
}

static int unit_by_code(struct db *db, const char *code, struct unit_info *u)
{
	static const char sql[] = "SELECT id, depth, path FROM units WHERE code = ?";
	struct db_param p[] = { DB_STR(code) };

	memset(u, 0, sizeof *u);
	return db_query(db, sql, p, 1, unit_info_cb, u);
}

int catalog_upsert_unit(struct db *db, const char *code, const char *name, const char *short_name,
                        const char *level,
                        const char *level_label, const char *parent_code, long long *id)
{
	static const char upsert_sql[] =
		"INSERT INTO units (parent_id, code, name, short_name, level, level_label, depth, path) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, '') "
		"ON DUPLICATE KEY UPDATE parent_id = VALUES(parent_id), name = VALUES(name), "
		"short_name = VALUES(short_name), "
		"level = VALUES(level), level_label = VALUES(level_label), depth = VALUES(depth), active = 1";
	static const char path_sql[] = "UPDATE units SET path = ? WHERE id = ?";
	struct unit_info parent = { 0 }, self;
	char path[512];
	int rc;

	if (parent_code) {
		if ((rc = unit_by_code(db, parent_code, &parent)) != 0)
			return rc;
		if (!parent.found)
			return 1;
	}
	{
		struct db_param p[] = {
			parent_code ? DB_INT(parent.id) : DB_NULLP, DB_STR(code), DB_STR(name),
			DB_STR(short_name), DB_STR(level), DB_STR(level_label), DB_INT(parent_code ? parent.depth + 1 : 0),
		};
		if ((rc = db_exec(db, upsert_sql, p, 7, NULL, NULL)) != 0)
			return rc;
	}
	if ((rc = unit_by_code(db, code, &self)) != 0)
		return rc;
	if (snprintf(path, sizeof path, "%s%lld/", parent_code ? parent.path : "/", self.id) >= (int)sizeof path)
		return DB_ERR;
	{
		struct db_param p[] = { DB_STR(path), DB_INT(self.id) };
		if ((rc = db_exec(db, path_sql, p, 2, NULL, NULL)) != 0)
			return rc;
	}
	*id = self.id;
	return 0;
}

static int id_cb(const struct db_row *r, void *arg)
{
	*(long long *)arg = db_row_int(r, 0, 0);
	return 0;
}

int catalog_upsert_field(struct db *db, const char *code, const char *name,
                         const char *search_text, long long *id)
{
	static const char upsert_sql[] =
		"INSERT INTO fields (code, name, search_text) VALUES (?, ?, ?) "
		"ON DUPLICATE KEY UPDATE name = VALUES(name), search_text = VALUES(search_text)";
	static const char id_sql[] = "SELECT id FROM fields WHERE code = ?";
	struct db_param p[] = { DB_STR(code), DB_STR(name), DB_STR(search_text) };
	int rc;

	if ((rc = db_exec(db, upsert_sql, p, 3, NULL, NULL)) != 0)
		return rc;
	*id = 0;
	return db_query(db, id_sql, p, 1, id_cb, id);
}

int catalog_upsert_procedure(struct db *db, const struct procedure_write *w, long long *id)
{
	static const char upsert_sql[] =
		"INSERT INTO procedures (code, name, field_id, level_province, level_district, "
		"level_commune, agency, applicants, service_level, processing_time, time_unit, "
		"time_note, conditions, result, search_text) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		"ON DUPLICATE KEY UPDATE name = VALUES(name), field_id = VALUES(field_id), "
		"level_province = VALUES(level_province), level_district = VALUES(level_district), "
		"level_commune = VALUES(level_commune), agency = VALUES(agency), "
		"applicants = VALUES(applicants), service_level = VALUES(service_level), "
		"processing_time = VALUES(processing_time), time_unit = VALUES(time_unit), "
		"time_note = VALUES(time_note), conditions = VALUES(conditions), "
		"result = VALUES(result), search_text = VALUES(search_text), published = 1";
	static const char id_sql[] = "SELECT id FROM procedures WHERE code = ?";
	static const char *const clear_sql[] = {
		"DELETE FROM procedure_channels WHERE procedure_id = ?",
		"DELETE FROM procedure_fees WHERE procedure_id = ?",
		"DELETE FROM procedure_documents WHERE procedure_id = ?",
		"DELETE FROM procedure_steps WHERE procedure_id = ?",
		"DELETE FROM procedure_legal_bases WHERE procedure_id = ?",
		"DELETE FROM procedure_process_steps WHERE procedure_id = ?",
	};
	struct db_param p[] = {
		DB_STR(w->code), DB_STR(w->name), DB_INT(w->field_id), DB_INT(w->level_province),
		DB_INT(w->level_district), DB_INT(w->level_commune), DB_STR(w->agency),
		DB_STR(w->applicants), DB_STR(w->service_level), DB_STR(w->processing_time),
		DB_STR(w->time_unit), DB_STR(w->time_note), DB_STR(w->conditions), DB_STR(w->result),
		DB_STR(w->search_text),
	};
	struct db_param idp[1];
	int rc;

	if ((rc = db_exec(db, upsert_sql, p, 15, NULL, NULL)) != 0)
		return rc;
	*id = 0;
	if ((rc = db_query(db, id_sql, p, 1, id_cb, id)) != 0)
		return rc;
	idp[0] = DB_INT(*id);
	for (size_t i = 0; i < sizeof clear_sql / sizeof clear_sql[0]; i++)
		if ((rc = db_exec(db, clear_sql[i], idp, 1, NULL, NULL)) != 0)
			return rc;
	return 0;
}

int catalog_add_channel(struct db *db, long long pid, int seq, const char *channel,
                        const char *time, const char *unit, const char *description)
{
	static const char sql[] =
		"INSERT INTO procedure_channels (procedure_id, seq, channel, processing_time, time_unit, description) "
		"VALUES (?, ?, ?, ?, ?, ?)";
	struct db_param p[] = { DB_INT(pid), DB_INT(seq), DB_STR(channel), DB_STR(time), DB_STR(unit),
	                        DB_STR(description) };
	return db_exec(db, sql, p, 6, NULL, NULL);
}

int catalog_add_fee(struct db *db, long long pid, int seq, int channel_seq, const char *kind,
                    long long amount, const char *description)
{
	static const char sql[] =
		"INSERT INTO procedure_fees (procedure_id, seq, channel_seq, kind, amount_vnd, description) "
		"VALUES (?, ?, ?, ?, ?, ?)";
	struct db_param p[] = { DB_INT(pid), DB_INT(seq), DB_INT(channel_seq), DB_STR(kind),
	                        DB_INT(amount), DB_STR(description) };
	return db_exec(db, sql, p, 6, NULL, NULL);
}

int catalog_add_document(struct db *db, long long pid, int seq, const char *case_name,
                         const char *name, int originals, int copies, const char *template_url,
                         int required)
{
	static const char sql[] =
		"INSERT INTO procedure_documents (procedure_id, seq, case_name, name, originals, copies, "
		"template_url, required) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	struct db_param p[] = { DB_INT(pid), DB_INT(seq), DB_STR(case_name), DB_STR(name),
	                        DB_INT(originals), DB_INT(copies), DB_STR(template_url), DB_INT(required) };
	return db_exec(db, sql, p, 8, NULL, NULL);
}

int catalog_add_step(struct db *db, long long pid, int seq, const char *description)
{
	static const char sql[] =
		"INSERT INTO procedure_steps (procedure_id, seq, description) VALUES (?, ?, ?)";
	struct db_param p[] = { DB_INT(pid), DB_INT(seq), DB_STR(description) };
	return db_exec(db, sql, p, 3, NULL, NULL);
}

int catalog_add_legal_basis(struct db *db, long long pid, int seq, const char *number,
                            const char *title, const char *issued_on)
{
	static const char sql[] =
		"INSERT INTO procedure_legal_bases (procedure_id, seq, number, title, issued_on) "
		"VALUES (?, ?, ?, ?, ?)";
	struct db_param p[] = { DB_INT(pid), DB_INT(seq), DB_STR(number), DB_STR(title),
	                        issued_on ? DB_STR(issued_on) : DB_NULLP };
	return db_exec(db, sql, p, 5, NULL, NULL);
}

int catalog_add_process_step(struct db *db, long long pid, int seq, const char *name,
                             const char *role, const char *unit_level, int share_permille)
{
	static const char sql[] =
		"INSERT INTO procedure_process_steps (procedure_id, seq, name, role, unit_level, share_permille) "
		"VALUES (?, ?, ?, ?, ?, ?)";
	struct db_param p[] = { DB_INT(pid), DB_INT(seq), DB_STR(name), DB_STR(role),
	                        DB_STR(unit_level), DB_INT(share_permille) };
	return db_exec(db, sql, p, 6, NULL, NULL);
}

long long catalog_count_procedures(struct db *db)
{
	static const char sql[] = "SELECT COUNT(*) FROM procedures";
	long long n = -1;

	if (db_query(db, sql, NULL, 0, id_cb, &n) != 0)
		return -1;
	return n;
}
