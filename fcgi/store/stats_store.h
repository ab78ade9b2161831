/*
 * Statistics tables (sql/012_stats.sql): Form 06 answered from aggregates, never from a
 * scan of dossiers.
 *
 * - stats_facts holds what each dossier was last counted as (domain/stats.h); stats_day
 *   holds its flows summed per local day, unit, field and procedure; stats_month the same
 *   per whole month (up to the horizon, the last complete month) with the open and
 *   overdue balances at each month's end. A report sums at most: whole months from
 *   stats_month, the days of partial months from stats_day, and one month-end balance
 *   plus a month's days for each balance it needs (carried over = open at the end of the
 *   day before `from`; in process = open at min(to, today)). stats_month_procedure
 *   (sql/018) keeps the finishes of the same whole months per unit and procedure, for the
 *   dashboard's procedures most often late.
 * - Every insert or update of a dossier queues it in stats_dirty (a trigger, so no
 *   writer can forget); stats_drain recounts queued dossiers, subtracting their old
 *   flows and adding their new ones in one transaction, before any report answers: the
 *   answer is exact at query time. The worker drains too, so the queue stays short.
 * - stats_rebuild recomputes everything from dossiers in one streaming pass (LOAD DATA).
 * - Closed months keep their figures (stats_frozen); a report over whole closed months
 *   answers from them; stats_changes logs every change of facts so a recompute can name
 *   the dossiers behind a difference.
 */
#ifndef MOTCUA_STORE_STATS_H
#define MOTCUA_STORE_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "domain/stats.h"
#include "domain/timeutil.h"

struct db;

/* Recounts the queued dossiers. 0, or <0 a DB_ERR* code. */
int stats_drain(struct db *db, mc_time now);

/* Recomputes every statistics table from the dossiers (progress on `log` if not NULL).
 * Needs a handle opened with local_infile. 0, or <0. */
int stats_rebuild(struct db *db, mc_time now, FILE *log);

struct stats_query {
	const char *unit_path;          /* the subtree, '/1/4/' */
	long long field_id;             /* 0: every field */
	long long procedure_id;         /* 0: every procedure */
	int32_t from, to, today;        /* local day numbers */
};

/* One (receiving unit, field) of the answer, the cells in enum stats_cell order. */
typedef int (*stats_cells_fn)(long long unit_id, long long field_id, const long long cells[SC__MAX],
                              void *arg);

/*
 * Form 06 cells per (unit, field) with any count, for the query. *frozen = 1 when the
 * period is whole closed months (and no procedure filter): the stored figures answer.
 * Drain first. 0, or what fn returned, or <0.
 */
int stats_form06(struct db *db, const struct stats_query *q, int *frozen, stats_cells_fn fn, void *arg);

/* The drill-down cells: the enum stats_cell values, then these sums of them. */
enum { STATS_CELL_RECEIVED = SC__MAX, STATS_CELL_RESOLVED, STATS_CELL_IN_PROCESS, STATS_CELL__MAX };

struct stats_item {
	const char *code, *procedure_code, *procedure_name, *unit_code, *unit_name;
	const char *channel, *state, *received_at, *due_at, *finished_at;   /* UTC text or NULL */
};

/* The dossiers behind one cell (live facts), latest reception first; *total counts them all.
 * level: only those received by units of that level (units.level; "other": none of province,
 * district, commune, department, as Form 06 groups them), NULL every level. */
int stats_dossiers(struct db *db, const struct stats_query *q, const char *level, int cell, long long limit,
                   long long offset, long long *total,
                   int (*fn)(const struct stats_item *it, void *arg), void *arg);

/* Units of a subtree (the root first, then by path) and every field, for labelling. */
int stats_units(struct db *db, const char *path,
                int (*fn)(long long id, long long parent_id, const char *code, const char *name,
                          const char *level, const char *path, void *arg), void *arg);
int stats_fields(struct db *db, int (*fn)(long long id, const char *code, const char *name, void *arg),
                 void *arg);
/* Ids of a field or procedure code: 0 found, 1 none. */
int stats_field_id(struct db *db, const char *code, long long *id);
int stats_procedure_id(struct db *db, const char *code, long long *id);

/* Months: the first day's day number. */
int32_t stats_month_first(int32_t day);
int32_t stats_month_last(int32_t first);
int32_t stats_month_next(int32_t first);

/* Every month from the first with dossiers to the current one, with its closing (closed_at
 * UTC text and closed_by, NULL when open). */
int stats_months(struct db *db, mc_time now,
                 int (*fn)(int32_t month, const char *closed_at, const char *closed_by, void *arg),
                 void *arg);

/* Closes a month: 0 closed now, 1 already closed, 2 not over yet; <0 error. */
int stats_close_month(struct db *db, int32_t month, const char *by, mc_time now);
/* Closes every month over for more than grace_days (the worker). Returns how many, or <0. */
int stats_close_due_months(struct db *db, mc_time now, int grace_days);

/*
 * The worker's share (every poll): recounts the queue, and once a minute closes the months
 * over for more than close_days days (config MOTCUA_STATS_CLOSE_DAYS, default 5). Errors are
 * logged; the next poll tries again.
 */
void stats_worker_tick(struct db *db, mc_time now, int close_days);

/* A closed month recomputed: per (unit, field) of the subtree, stored and live cells;
 * then each dossier whose facts changed after the closing in a way that moves a cell of
 * that month, with its cells then and now. 1 if the month is not closed. */
struct stats_recompute_fns {
	int (*cells)(long long unit_id, long long field_id, const long long stored[SC__MAX],
	             const long long live[SC__MAX], void *arg);
	int (*dossier)(const char *code, long long unit_id, long long field_id, unsigned cells_then,
	               unsigned cells_now, const char *changed_at, void *arg);
	void *arg;
};
int stats_recompute(struct db *db, int32_t month, const char *unit_path, mc_time now,
                    const struct stats_recompute_fns *f, char closed_at[24]);

#endif
