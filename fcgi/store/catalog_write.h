/*
 * Writing the catalog (the importer's SQL). Callers run these inside one transaction.
 */
#ifndef MOTCUA_STORE_CATALOG_WRITE_H
#define MOTCUA_STORE_CATALOG_WRITE_H

struct db;

/* Inserts or updates by code; *id gets the row id. parent_code NULL for a root. Returns 0,
 * 1 if the parent does not exist, <0 on error. */
int catalog_upsert_unit(struct db *db, const char *code, const char *name, const char *short_name,
                        const char *level,
                        const char *level_label, const char *parent_code, long long *id);

int catalog_upsert_field(struct db *db, const char *code, const char *name,
                         const char *search_text, long long *id);

struct procedure_write {
	const char *code, *name;
	long long field_id;
	int level_province, level_district, level_commune;
	const char *agency, *applicants, *service_level;
	const char *processing_time;    /* decimal text */
	const char *time_unit, *time_note, *conditions, *result, *search_text;
};

/* Upsert by national code; the procedure's parts are deleted so the caller can write
 * them again (re-import replaces, never duplicates). */
int catalog_upsert_procedure(struct db *db, const struct procedure_write *p, long long *id);

int catalog_add_channel(struct db *db, long long pid, int seq, const char *channel,
                        const char *time, const char *unit, const char *description);
int catalog_add_fee(struct db *db, long long pid, int seq, int channel_seq, const char *kind,
                    long long amount, const char *description);
int catalog_add_document(struct db *db, long long pid, int seq, const char *case_name,
                         const char *name, int originals, int copies, const char *template_url,
                         int required);
int catalog_add_step(struct db *db, long long pid, int seq, const char *description);
int catalog_add_legal_basis(struct db *db, long long pid, int seq, const char *number,
                            const char *title, const char *issued_on /* NULL or YYYY-MM-DD */);
int catalog_add_process_step(struct db *db, long long pid, int seq, const char *name,
                             const char *role, const char *unit_level, int share_permille);

long long catalog_count_procedures(struct db *db);   /* -1 on error */

#endif
