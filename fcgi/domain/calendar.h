/*
 * The working calendar (lịch làm việc) and the due dates of dossiers (DOMAIN.md,
 * "Deadlines"). Pure computation: no I/O, no clock reads, no global state.
 *
 * Model
 * - Time is mc_time (UTC seconds); days, weekdays and sessions are local (UTC+7).
 *   A "day" below is a local day number: days since 1970-01-01, as local_day_number()
 *   and days_from_civil() give it.
 * - Each weekday has up to CAL_MAX_SESSIONS working sessions, in minutes from local
 *   midnight. A session is half-open, [start, end): 07:30 is inside the morning session,
 *   11:30 is not. Default: Monday to Friday 07:30-11:30 and 13:00-17:00, weekends none.
 * - Special days override the weekday: a holiday (ngày nghỉ lễ, Tết, nghỉ bù) has no
 *   session at all; a make-up working day (ngày làm bù) works the sessions of
 *   CAL_MAKEUP_WEEKDAY (Monday), whatever weekday it falls on.
 *
 * Boundaries (the choices every function below shares)
 * - Start rule: the clock starts at reception if that instant is inside a session,
 *   otherwise at the start of the next session. Reception at exactly 17:00 or 11:30 is
 *   outside (half-open sessions), so it starts at the next session.
 * - Counting working time forward, a due instant that lands exactly on the end of a
 *   session stays there: Monday 07:30 + 1 working day = Monday 17:00, not Tuesday 07:30.
 *   Adding zero leaves the instant as it is.
 * - One working day is CAL_WORKING_DAY_SECONDS (8 h) of working time whatever the
 *   sessions add up to, as DOMAIN.md says "N x 8 working hours"; a calendar whose days are
 *   longer or shorter simply finishes a "day" at another hour.
 * - Calendar days: effective start + N x 24 h of wall time. If that instant falls on a
 *   day without sessions (weekend that is not a make-up day, or holiday), the due instant
 *   becomes the end of the last session of the next day that has sessions. An instant on
 *   a working day outside its sessions (e.g. 21:00) stays as it is.
 * - The start rule applies to every unit, calendar days included.
 *
 * Pauses (awaiting_supplement, awaiting_payment, suspended) move the due instant by the
 * paused time: for working days and hours, the working time inside the pause
 * (calendar_working_seconds_between); for calendar days, its wall-clock length, after which
 * the day-off rule is applied again. A pause that begins at or after the due instant it
 * would move changes nothing: the time had already run out, and a late supplement request
 * must not erase lateness. A procedure that restarts the full time after a supplement
 * does not pause: call calendar_due() again with the resume instant as `received`.
 *
 * The valid instants are CAL_TIME_MIN..CAL_TIME_MAX (1970 to the end of 9999, local);
 * a computation that would leave them fails with CAL_ERR_RANGE.
 */
#ifndef MOTCUA_DOMAIN_CALENDAR_H
#define MOTCUA_DOMAIN_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "timeutil.h"

#define CAL_MAX_SESSIONS        4
#define CAL_NAME_MAX            128             /* bytes of a special day's name, with NUL */
#define CAL_MAKEUP_WEEKDAY      1               /* make-up days work Monday's sessions */
#define CAL_WORKING_DAY_SECONDS (8 * 3600)
#define CAL_AMOUNT_MAX          99999999        /* DECIMAL(8,2) in hundredths */
/* Longest run of days without any session that a search crosses before it gives up
 * (CAL_ERR_NO_WORKING_TIME): a calendar with every weekday empty would never end. */
#define CAL_MAX_GAP_DAYS        366
#define CAL_TIME_MIN            ((mc_time)0)
#define CAL_TIME_MAX            ((mc_time)253402275599)  /* 9999-12-31 23:59:59 +07:00 */
#define CAL_DAY_MAX             ((int64_t)2932896)       /* local day of 9999-12-31 */

enum cal_err {
	CAL_OK = 0,
	CAL_ERR_INVALID,        /* an argument outside its documented bounds */
	CAL_ERR_RANGE,          /* the result would fall after CAL_TIME_MAX */
	CAL_ERR_NO_WORKING_TIME,/* no session within CAL_MAX_GAP_DAYS days */
	CAL_ERR_NOMEM,
	CAL_ERR_NOT_FOUND,      /* no special day on that date */
	CAL_ERR__MAX
};

enum cal_time_unit {
	CAL_WORKING_DAYS = 0,   /* ngày làm việc */
	CAL_CALENDAR_DAYS,      /* ngày */
	CAL_HOURS,              /* giờ (working hours) */
	CAL_TIME_UNIT__MAX
};

/* Why a day is not an ordinary working day. Special days are HOLIDAY or MAKEUP_WORKDAY;
 * WEEKEND is what the explanation calls a day whose weekday has no session. */
enum cal_day_kind {
	CAL_DAY_WEEKEND = 0,
	CAL_DAY_HOLIDAY,
	CAL_DAY_MAKEUP_WORKDAY,
	CAL_DAY__MAX
};

enum cal_start_reason {
	CAL_START_AT_RECEPTION = 0,     /* received inside a session */
	CAL_START_OUTSIDE_HOURS,        /* a working day, but before, between or after sessions */
	CAL_START_DAY_OFF,              /* weekend or holiday */
	CAL_START__MAX
};

struct cal_session {
	int start_min, end_min;         /* minutes from local midnight, [start, end) */
};

struct cal_day_sessions {
	size_t n;
	struct cal_session s[CAL_MAX_SESSIONS];  /* sorted, not overlapping */
};

struct cal_special_day {
	int64_t day;                    /* local day number */
	enum cal_day_kind kind;         /* CAL_DAY_HOLIDAY or CAL_DAY_MAKEUP_WORKDAY */
	char name[CAL_NAME_MAX];        /* UTF-8, e.g. "Tết Nguyên đán" */
};

/*
 * Change it only through the functions below, which keep its invariants. `special` is
 * owned by the calendar, sorted by day with no day twice, and freed by calendar_free().
 */
struct calendar {
	struct cal_day_sessions week[7];        /* by weekday, 0 = Sunday */
	struct cal_special_day *special;
	size_t nspecial, capspecial;
};

struct cal_pause {
	mc_time from, to;               /* [from, to); a pause still running: to = now */
};

/* One day the explanation mentions: a day skipped (weekend, holiday) or a make-up day
 * that was counted. The name is copied, so it outlives changes to the calendar. */
struct cal_explain_day {
	int64_t day;
	enum cal_day_kind kind;
	char name[CAL_NAME_MAX];        /* "" for a weekend */
};

/*
 * What a due computation did. The caller provides `days` (cap entries, may be NULL with
 * cap 0); the computation writes the first `ndays` of the `total` days it would list, so
 * the list was truncated exactly when total > ndays. Days listed: for working days and
 * hours, every non-working or make-up day from the reception day to the due day; for
 * calendar days, the non-working days between reception and the effective start and the
 * days the due instant was moved over. In day order.
 */
struct cal_explain {
	struct cal_explain_day *days;
	size_t cap;
	size_t ndays, total;
	mc_time received;
	mc_time start;                  /* effective start, after the start rule */
	enum cal_start_reason start_reason;
	int64_t paused_seconds;         /* how far pauses moved the due: working seconds, or
	                                   wall seconds for calendar days */
	mc_time due;
};

/* A calendar with the default sessions and no special days; allocates nothing. */
void calendar_init(struct calendar *cal);
/* Frees the special days; the calendar stays usable, with no special days. */
void calendar_free(struct calendar *cal);

/* Replaces the sessions of weekday wday (0 = Sunday). n = 0 makes it a day off.
 * CAL_ERR_INVALID unless n <= CAL_MAX_SESSIONS and 0 <= start < end <= 1440, sessions
 * in order and not overlapping (one may start where the previous ends). */
enum cal_err calendar_set_sessions(struct calendar *cal, int wday,
    const struct cal_session *s, size_t n);

/*
 * Adds a special day, or replaces the one already on that day. kind is CAL_DAY_HOLIDAY
 * or CAL_DAY_MAKEUP_WORKDAY; name is NUL-terminated, shorter than CAL_NAME_MAX bytes; day
 * within 0..CAL_DAY_MAX. May reallocate cal->special: pointers from calendar_special_at()
 * are then stale. On CAL_ERR_NOMEM the calendar is unchanged.
 */
enum cal_err calendar_set_special(struct calendar *cal, int64_t day,
    enum cal_day_kind kind, const char *name);
/* CAL_ERR_NOT_FOUND if there is no special day on that day. Never reallocates. */
enum cal_err calendar_remove_special(struct calendar *cal, int64_t day);
/* Binary search. The pointer is lent: valid until the next set/remove/free. */
const struct cal_special_day *calendar_special_at(const struct calendar *cal, int64_t day);
/* 1 if the day has at least one session (make-up days included, holidays not). */
int calendar_is_working_day(const struct calendar *cal, int64_t day);

/*
 * Adds Vietnam's public holidays and make-up days of 2025, 2026 and 2027 (see the table
 * in calendar.c for which are statutory, announced or assumed), replacing special days
 * already on those dates. Admins edit the result; it is a starting point, not the law.
 */
enum cal_err calendar_seed_vn(struct calendar *cal);

/* The start rule: t itself if inside a session, else the start of the next session. */
enum cal_err calendar_next_working_instant(const struct calendar *cal, mc_time t,
    mc_time *out);
/* t moved forward by secs (>= 0) of working time, with the boundary rules above. */
enum cal_err calendar_add_working_seconds(const struct calendar *cal, mc_time t,
    int64_t secs, mc_time *out);
/* Working seconds between a and b, in whichever order they come: the same for (a, b)
 * and (b, a). -1 if either is outside CAL_TIME_MIN..CAL_TIME_MAX. */
int64_t calendar_working_seconds_between(const struct calendar *cal, mc_time a, mc_time b);

/*
 * The due instant of a dossier received at `received` with a processing time of
 * `amount` hundredths of `unit` (300 = 3, 50 = 0.5), 0..CAL_AMOUNT_MAX. ex may be NULL;
 * if not, call cal_explain_init() on it first. *due and *ex are set only on CAL_OK.
 */
enum cal_err calendar_due(const struct calendar *cal, mc_time received, int64_t amount,
    enum cal_time_unit unit, mc_time *due, struct cal_explain *ex);
/*
 * calendar_due() with the dossier's pauses taken off, against the calendar as it is now:
 * call it again whenever the calendar changes or a pause ends. pauses are in time order,
 * each with received <= from <= to, none overlapping the next (CAL_ERR_INVALID otherwise).
 */
enum cal_err calendar_recompute_due(const struct calendar *cal, mc_time received,
    int64_t amount, enum cal_time_unit unit, const struct cal_pause *pauses,
    size_t npauses, mc_time *due, struct cal_explain *ex);

void cal_explain_init(struct cal_explain *ex, struct cal_explain_day *days, size_t cap);

const char *cal_err_code(enum cal_err e);                  /* "invalid", "range", ... */
const char *cal_time_unit_code(enum cal_time_unit u);      /* "working_days" */
const char *cal_time_unit_label_vi(enum cal_time_unit u);  /* "ngày làm việc" */
const char *cal_time_unit_label_en(enum cal_time_unit u);  /* "working days" */
/* Returns the unit, or -1 if the code is unknown (or holds a NUL). */
int cal_time_unit_from_code(const char *code, size_t len);
const char *cal_day_kind_code(enum cal_day_kind k);        /* "weekend", "holiday", "makeup_workday" */
const char *cal_day_kind_label_vi(enum cal_day_kind k);
const char *cal_day_kind_label_en(enum cal_day_kind k);
int cal_day_kind_from_code(const char *code, size_t len);
const char *cal_start_reason_code(enum cal_start_reason r); /* "at_reception", ... */

#endif
