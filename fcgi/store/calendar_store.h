/*
 * The working calendar in the database (calendar_days, work_sessions), the recompute
 * jobs a change of it asks for (calendar_jobs), and the recomputation itself: the due
 * dates of the open dossiers against the calendar as it now is.
 *
 * Days cross this interface as local day numbers (days_from_civil), within
 * 0..CAL_DAY_MAX; rows hand dates over as calendar_days.day's text, "YYYY-MM-DD".
 */
#ifndef MOTCUA_STORE_CALENDAR_H
#define MOTCUA_STORE_CALENDAR_H

#include <signal.h>
#include <stdint.h>

#include "domain/calendar.h"

struct db;

/*
 * Fills cal from the database: every calendar_days row as a special day, and the
 * work_sessions rows as the week's sessions if there are any (a weekday without rows is
 * then a day off), else the default sessions. cal need not be initialised. On success
 * the caller frees it with calendar_free(); on failure it holds nothing to free. Returns
 * 0, a DB_ERR* code, or DB_ERR when a stored row breaks the calendar's rules.
 */
int calendar_load(struct db *db, struct calendar *cal);

struct calendar_day_row {
	const char *date;               /* "YYYY-MM-DD" */
	const char *kind;               /* "holiday" | "makeup_workday" */
	const char *name;
	const char *updated_at;         /* UTC text */
};

/* The special days of a year, in date order; strings valid during the call. */
int calendar_days_of_year(struct db *db, int year,
                          int (*fn)(const struct calendar_day_row *d, void *arg), void *arg);

/*
 * Sets the special day `day` (inserts or replaces it, recording the officer) and, when
 * that changes which days are worked (a new day, or a change of kind), enqueues a
 * recompute job, both in one transaction. *job_id gets the job, or 0 when only the name
 * changed; *created is 1 when the day was not special before. Returns 0 or a DB_ERR*.
 */
int calendar_day_set(struct db *db, int64_t day, enum cal_day_kind kind,
                     const char *name, long long officer_id, long long *job_id, int *created);

/*
 * Makes `day` an ordinary day again and enqueues a recompute job, in one transaction.
 * The removed day's kind and name are copied to *kind and name (CAL_NAME_MAX bytes).
 * Returns 0, 1 when the day was not special (nothing changed), or a DB_ERR* code.
 */
int calendar_day_remove(struct db *db, int64_t day, long long *job_id,
                        enum cal_day_kind *kind, char name[CAL_NAME_MAX]);

/*
 * The working sessions of the week (work_sessions), by weekday (0 = Sunday). An empty
 * table is the default week (calendar_init's); *is_default says so. Returns 0 or a
 * DB_ERR* code (DB_ERR when a stored row breaks the calendar's rules).
 */
int calendar_sessions_get(struct db *db, struct cal_day_sessions week[7], int *is_default);

/*
 * Replaces the whole week's sessions (a weekday with n = 0 is a day off; the caller has
 * checked them with calendar_set_sessions' rules) and, when that changes any weekday,
 * enqueues a recompute job whose reason names the weekdays changed ("đổi giờ làm việc
 * thứ Hai, thứ Bảy"), both in one transaction. The default week is stored as an empty
 * table. *job_id gets the job, or 0 when nothing changed (nothing is written then).
 * Returns 0 or a DB_ERR* code.
 */
int calendar_sessions_set(struct db *db, const struct cal_day_sessions week[7], long long *job_id);

enum calendar_job_status { CJ_PENDING = 0, CJ_RUNNING, CJ_FINISHED, CJ__MAX };
const char *calendar_job_status_code(enum calendar_job_status s);   /* "pending" ... */

struct calendar_job {
	long long id;
	char reason[1024];
	enum calendar_job_status status;
	char created_at[20], started_at[20], finished_at[20];  /* UTC text, "" for none */
	unsigned long changed;
};

/* 0 and *job filled, 1 if there is no such job, or a DB_ERR* code. */
int calendar_job_get(struct db *db, long long id, struct calendar_job *job);

/* What one run of the worker did. */
struct calendar_run {
	unsigned jobs;                  /* jobs taken together (0: none was pending) */
	long long first_job, last_job;
	unsigned long examined, changed, failed;
	long long first_failed;         /* id of the first dossier that failed, 0 if none */
	int interrupted;                /* stopped by *stop; the jobs went back to pending */
};

/*
 * One run: takes the oldest pending job together with every job pending behind it (and
 * any job left running for more than 10 minutes by a worker that died), marks them
 * started, loads the calendar, and recomputes the due date of every open dossier
 * (processing, awaiting_supplement, awaiting_payment, suspended; received) with
 * dossier_due_at(). Where it changes, one transaction per dossier locks its row, writes
 * due_at (version + 1) and appends a "recalculate" event whose note gives the old and new
 * dates and the jobs' reasons. The jobs are then finished with the number changed (jobs
 * run together share the count). A dossier that cannot be recomputed is counted in
 * `failed` and left as it was.
 *
 * *stop is read between dossiers: when it becomes non-zero the run ends, its jobs return
 * to pending (the dossiers already done stay done; the next run finds them unchanged).
 * Returns 0 (see *run), or a DB_ERR* code.
 */
int calendar_run_jobs(struct db *db, const volatile sig_atomic_t *stop, struct calendar_run *run);

#endif
