/*
 * Statistics classification (Biểu số 06, Circular 01/2020/TT-VPCP; DOMAIN.md "Statistics"):
 * what one dossier counts for, as pure functions of its stored facts.
 *
 * A dossier is reduced to its facts (stats_classify): whether it is counted at all, its
 * channel, the local day it was received, the local day it finished and how (before /
 * on time / late against its statutory due date), and the first local day on which it
 * counts as overdue while still in process. Everything a report needs follows from
 * these facts, in two equivalent ways that the tests hold together:
 * - stats_cells: the cells of Form 06 the dossier falls in for a period [from, to] seen
 *   on `today` (the drill-down lists and month recomputes use this, row by row);
 * - stats_flows: the dossier as a few day-dated +1/-1 counts (receptions, finishes, and
 *   the start and end of "open" and of "overdue"), which summed up to a day give the
 *   in-process balance at the end of that day. The aggregate tables hold sums of these.
 *
 * Rules (coordinator's decisions where DOMAIN.md is silent):
 * - counted: received (received_at set) and not refused, not submitted/not_accepted;
 * - finished: resolved, returned or withdrawn, on finished_at's local day; withdrawn
 *   counts as on time; the statutory due date decides (promised_at does not);
 * - in process at the end of day X, seen as of D = min(X, today): overdue when the due
 *   local date is before D; a dossier paused now is overdue only if it was overdue when
 *   its pause began (its clock is stopped). Past days use the due date as it stands now
 *   (a pause that ended has already moved it); closed months keep what they showed.
 */
#ifndef MOTCUA_DOMAIN_STATS_H
#define MOTCUA_DOMAIN_STATS_H

#include <stdint.h>

#include "domain/timeutil.h"

/* A day that never comes: open dossiers' finish day, never-overdue dossiers' overdue day. */
#define STATS_NEVER INT32_MAX

enum stats_finish { STATS_FIN_NONE = 0, STATS_FIN_BEFORE, STATS_FIN_ON_TIME, STATS_FIN_LATE, STATS_FIN__MAX };

/* What the classification reads of a dossier. Times are UTC seconds, 0 = none. */
struct stats_dossier {
	const char *state;              /* dossiers.state */
	const char *channel;            /* direct | online | postal */
	mc_time received_at, due_at, finished_at;
	mc_time pause_from;             /* start of the pause in progress; 0 when not paused */
};

struct stats_facts {
	int counted;                    /* 0: left out of every cell */
	int online;                     /* 1 online, 0 direct or postal */
	int postal;                     /* 1 postal (then online is 0) */
	int32_t recv_day;               /* local day numbers (days since 1970-01-01, UTC+7) */
	int32_t fin_day;                /* STATS_NEVER while open */
	int finish;                     /* enum stats_finish */
	int32_t overdue_day;            /* first day counted overdue if still open; STATS_NEVER */
};

/* The Form 06 cells, in the form's column order. */
enum stats_cell {
	SC_CARRIED_OVER = 0, SC_ONLINE, SC_DIRECT_POSTAL,
	SC_BEFORE, SC_ON_TIME, SC_LATE,
	SC_WITHIN, SC_OVERDUE,
	SC__MAX
};

/* Cell names as the API spells them ("carried_over", ..., "overdue"). */
extern const char *const stats_cell_names[SC__MAX];

/* The facts of a dossier. */
void stats_classify(const struct stats_dossier *d, struct stats_facts *out);

/* Bit (1u << enum stats_cell) for every cell the dossier counts in, for the period of local
 * days [from, to] seen on local day `today`. 0 when it counts in none. */
unsigned stats_cells(const struct stats_facts *f, int32_t from, int32_t to, int32_t today);

/* The columns of the flow aggregates. */
enum stats_flow_col {
	SF_REC_ONLINE = 0, SF_REC_DIRECT_POSTAL,
	SF_FIN_BEFORE, SF_FIN_ON_TIME, SF_FIN_LATE,
	SF_OPEN,                        /* +1 on reception, -1 on finishing */
	SF_OVERDUE,                     /* +1 when it becomes overdue while open, -1 on finishing */
	SF_REC_POSTAL,                  /* the postal part of SF_REC_DIRECT_POSTAL (Form 06 keeps them
	                                 * together; the dashboard splits them) */
	SF__MAX
};

struct stats_flow {
	int32_t day;
	int col;                        /* enum stats_flow_col */
	int delta;                      /* +1 or -1 */
};

#define STATS_FLOWS_MAX 7

/* The dossier's flows (at most STATS_FLOWS_MAX; none when not counted). Returns how many. */
int stats_flows(const struct stats_facts *f, struct stats_flow out[STATS_FLOWS_MAX]);

/*
 * The Form 06 cells of a period from summed flows: rec[] and fin[] summed over [from, to],
 * open_before = SF_OPEN summed over days < from, open_end = SF_OPEN summed up to min(to,
 * today), overdue_end = SF_OVERDUE summed up to min(to, today). out[SC__MAX].
 */
void stats_cells_from_sums(const long long flow_in_period[SF__MAX], long long open_before,
                           long long open_end, long long overdue_end, long long out[SC__MAX]);

#endif
