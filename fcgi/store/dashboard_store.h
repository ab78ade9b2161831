/*
 * The managers' dashboard (GET /api/v1/reports/dashboard): counts over the dossiers of a
 * unit subtree (units whose path starts with scope_path), grouped as its charts need.
 * Days are local day numbers (domain/timeutil.h days_from_civil, Asia/Ho_Chi_Minh);
 * months are local "YYYY-MM". Strings handed to callbacks live during the callback only.
 *
 * What is counted, and how, is Biểu số 06's rule (domain/stats.h): the figures come from
 * the statistics tables of sql/012_stats.sql (store/stats_store.h; drain them first) and
 * agree with the Form 06 report of the same period; their postal column (sql/015) splits
 * Form 06's "direct or postal" in two. No query reads the dossiers themselves.
 */
#ifndef MOTCUA_STORE_DASHBOARD_H
#define MOTCUA_STORE_DASHBOARD_H

#include <stdint.h>

#include "domain/timeutil.h"

struct db;

struct dashboard_flow {
	const char *unit_code, *unit_name, *month;
	long long online, direct_postal, postal, before, on_time, late;   /* postal: part of direct_postal */
};

/* Receptions and finishes per receiving unit and month over the local days [from, to];
 * units in path order, months ascending. */
int dashboard_flows(struct db *db, const char *scope_path, int32_t from, int32_t to,
                    int (*fn)(const struct dashboard_flow *f, void *arg), void *arg);

/* Dossiers in process and overdue at the end of local day `day` (<= today), per receiving
 * unit, as Form 06 counts "in process, overdue"; units with none are left out; most
 * first. */
int dashboard_overdue(struct db *db, const char *scope_path, int32_t day,
                      int (*fn)(const char *unit_code, const char *unit_name, long long n, void *arg),
                      void *arg);

/* The `limit` procedures with the most late dossiers among those finished over the local
 * days [from, to] (at least one late), with how many were finished in all. */
int dashboard_late_procedures(struct db *db, const char *scope_path, int32_t from, int32_t to, int limit,
                              int (*fn)(const char *code, const char *name, long long late,
                                        long long resolved, void *arg),
                              void *arg);

#endif
