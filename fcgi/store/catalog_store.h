/*
 * Reading the public catalog: units, fields, procedures. Rows are handed to callbacks as
 * structs whose strings are valid only during the call.
 */
#ifndef MOTCUA_STORE_CATALOG_H
#define MOTCUA_STORE_CATALOG_H

#include <stddef.h>

struct db;

struct unit_row {
	const char *code, *name, *short_name, *level, *level_label, *parent_code;  /* parent_code may be NULL */
	int depth;
};

struct field_row {
	const char *code, *name;
	long long procedure_count;
};

struct procedure_row {
	const char *code, *name, *field_code, *field_name;
	int level_province, level_district, level_commune;
	const char *service_level;
	const char *processing_time;    /* decimal text, e.g. "0.50" */
	const char *time_unit, *agency;
	/* detail only (NULL in search results) */
	const char *applicants, *time_note, *conditions, *result;
	int result_signature_required;  /* detail only: an electronic result needs the leader's signature */
};

struct procedure_query {
	const char *folded_q;           /* folded search text, "" for none */
	const char *field_code;         /* "" for any */
	const char *level;              /* "" | province | district | commune */
	const char *service_level;      /* "" | full | partial | info */
	long long limit, offset;
};

typedef int (*unit_row_fn)(const struct unit_row *u, void *arg);
typedef int (*field_row_fn)(const struct field_row *f, void *arg);
typedef int (*procedure_row_fn)(const struct procedure_row *p, void *arg);

int catalog_units(struct db *db, unit_row_fn fn, void *arg);
/* Level of a unit by its code: 0 and level copied, 1 if no such unit, <0 on error. */
int catalog_unit_level(struct db *db, const char *code, char *level, size_t levelsz);
int catalog_fields(struct db *db, field_row_fn fn, void *arg);
int catalog_search(struct db *db, const struct procedure_query *q, procedure_row_fn fn,
                   void *arg, long long *total);

/* Whole procedure: the main row, then each part through its own callback. Returns 1 if
 * there is no published procedure with that code. */
struct procedure_parts {
	int (*channel)(void *arg, const char *channel, const char *time, const char *unit,
	               const char *description, int seq);
	int (*fee)(void *arg, int channel_seq, const char *kind, long long amount, const char *description);
	int (*document)(void *arg, int seq, const char *case_name, const char *name, int originals,
	                int copies, const char *template_url, int required);
	int (*step)(void *arg, const char *description);
	int (*legal_basis)(void *arg, const char *number, const char *title, const char *issued_on);
	int (*process_step)(void *arg, int seq, const char *name, const char *role,
	                    const char *unit_level, int share_permille);
};
int catalog_procedure(struct db *db, const char *code, procedure_row_fn main_fn,
                      const struct procedure_parts *parts, void *arg);

#endif
