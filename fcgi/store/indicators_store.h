/*
 * The Decision 766 indicators, late attribution and modernisation figures of a unit
 * subtree (units whose path starts with scope_path) over a period [from, to) in UTC
 * (GET /api/v1/reports/indicators, /late, /modernisation).
 *
 * Dossiers belong to the subtree of their receiving unit, and are counted as Biểu số 06
 * counts them (domain/stats.h): refused, not accepted and not yet accepted dossiers are
 * left out; a finished dossier (resolved, returned, withdrawn) is in time when its local
 * finish day is not after its local due day, withdrawn ones always.
 *
 * Bounded at a million dossiers: the on-time rate and the online share are Form 06's
 * (stats_form06 over the statistics tables: drain the queue first); every other figure
 * reads the rows of its period only, through the indexes of sql/016_indicator_indexes.sql
 * that start with the receiving unit (or, for events, the action) and then the time the
 * figure is judged by.
 */
#ifndef MOTCUA_STORE_INDICATORS_H
#define MOTCUA_STORE_INDICATORS_H

#include "domain/timeutil.h"

struct db;

/* Numerator and denominator of each indicator, in the order of the API's list. */
enum indicator {
	IND_ON_TIME = 0,            /* resolved in time / resolved in the period */
	IND_ONLINE_SUBMISSION,      /* received online / received in the period */
	IND_ONLINE_PROCEDURES,      /* fully online procedures of the subtree's levels that had
	                             * an online submission / those procedures */
	IND_ONLINE_PAYMENT,         /* payments made online (a receipt) / payments made */
	IND_DIGITIZATION,           /* results issued with every document as a file and an
	                             * electronic result / results issued */
	IND_SATISFACTION,           /* ratings overall (very) satisfied / ratings */
	IND_FEEDBACK_ON_TIME,       /* feedback answered by its due date / feedback due */
	IND__MAX
};

struct indicator_counts {
	long long num[IND__MAX], den[IND__MAX];
	int results_modelled;       /* 0: no dossier_results table; digitization counts documents only */
};

/* Fills c. The on-time rate and the online share are Form 06's cells for the same local
 * days (before + on time over resolved; online over received), so stats_drain first.
 * Feedback counts when it fell due in the period and by `now`, or was answered.
 * 0, or <0 a DB_ERR* code. */
int indicators_count(struct db *db, const char *scope_path, mc_time from, mc_time to, mc_time now,
                     struct indicator_counts *c);

/* 1 if the results of dossiers are modelled (sql/011_results.sql), 0 if not, <0 error. */
int indicators_results_modelled(struct db *db);

/* One step finished after its own due time: forwarded with the history's note "Bước xử
 * lý hoàn thành quá hạn", or the last step resolved after the due time recorded when it
 * began. Strings live during the callback only; times are UTC DB text (step_due may be
 * NULL when no due time was recorded for the step). */
struct late_step {
	const char *dossier_code, *procedure_code, *procedure_name, *dossier_due, *dossier_finished;
	int step_seq;
	const char *step_name, *unit_code, *unit_name, *username, *full_name, *step_due, *done_at;
};

/* What the totals and the paging of the late report need of a late step. */
struct late_key {
	long long dossier_id;
	const char *dossier_code, *unit_code, *unit_name, *username, *full_name;
};

/* Every late step done in [from, to) of dossiers received in the subtree or done at a
 * unit of it, in no particular order: the forwards and resolutions of the period only
 * (k_events_action_at), each resolution's step due time found in k_events_step_due. */
int indicators_late_keys(struct db *db, const char *scope_path, mc_time from, mc_time to,
                         int (*fn)(const struct late_key *k, void *arg), void *arg);

/* The late steps of indicators_late_keys that belong to one dossier, in time order. */
int indicators_late_steps_of(struct db *db, const char *scope_path, mc_time from, mc_time to,
                             long long dossier_id, int (*fn)(const struct late_step *s, void *arg),
                             void *arg);

/* Dossiers of the subtree finished late in [from, to), in no particular order: id, code. */
int indicators_late_dossiers(struct db *db, const char *scope_path, mc_time from, mc_time to,
                             int (*fn)(long long id, const char *code, void *arg), void *arg);

/* One dossier's code, procedure code and name, due and finish (UTC DB text or NULL).
 * 0, 1 none, <0 error. */
int indicators_late_head(struct db *db, long long dossier_id,
                         int (*fn)(const char *code, const char *procedure_code, const char *procedure_name,
                                   const char *due_at, const char *finished_at, void *arg),
                         void *arg);

struct modernisation {
	int results_modelled;
	long long signatures_made;      /* signed or sealed result revisions made in the period */
	long long results;              /* results issued (resolved) in the period */
	long long results_signed;       /* of them, with a signed or sealed result */
	long long postal_received;      /* received through the postal service in the period */
	long long postal_returned;      /* results returned by post in the period */
	long long received;             /* received in the period */
	long long digitized;            /* of them, with every document as a file (and one at least) */
};

int indicators_modernisation(struct db *db, const char *scope_path, mc_time from, mc_time to,
                             struct modernisation *m);

/* Per procedure with dossiers arriving (submitted online, else received) in [from, to):
 * how many arrived online and in all; most online first. */
int indicators_online_by_procedure(struct db *db, const char *scope_path, mc_time from, mc_time to,
                                   int (*fn)(const char *code, const char *name, long long online,
                                             long long total, void *arg),
                                   void *arg);

#endif
