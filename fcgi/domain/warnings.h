/*
 * Warnings (cảnh báo, issue #6): what an officer or a manager must look at today. Pure
 * classification: no I/O, no clock reads; the store selects candidates with the cut-off
 * instants computed here, so the SQL and warnings_classify_dossier() say the same thing.
 *
 * The kinds, and when a row is one:
 *   due_soon               processing, due within one working day: now <= due_at <= now + 8
 *                          working hours (as the inbox's "due soon");
 *   overdue                processing and due_at < now; or paused (awaiting supplement or
 *                          payment, suspended) by a pause that began at or after due_at (a
 *                          pause that began before the due time stops the clock: not late);
 *   stuck                  submitted or processing, and no event in its history for N working
 *                          days (MOTCUA_WARN_STUCK_DAYS): hồ sơ treo;
 *   resolved_not_returned  resolved (result ready) N working days ago or more and not handed
 *                          over (MOTCUA_WARN_UNRETURNED_DAYS): finished on paper, not closed;
 *   supplement_overdue     awaiting a supplement requested N working days ago or more
 *                          (MOTCUA_WARN_SUPPLEMENT_DAYS): the request carries no deadline of
 *                          its own, so this threshold is the deadline;
 *   feedback_due           a feedback not yet answered whose due date is within one working
 *                          day or past;
 *   unused_accounts        active officer accounts unused for N days (MOTCUA_WARN_UNUSED_DAYS,
 *                          calendar days, as the admins' accounts list counts them); admins only.
 *
 * "N working days ago" is the latest instant t with at least N x 8 working hours between t
 * and now, by the working calendar: a dossier last touched on Friday afternoon is not stuck
 * after a weekend and a holiday.
 */
#ifndef MOTCUA_DOMAIN_WARNINGS_H
#define MOTCUA_DOMAIN_WARNINGS_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "dossier_state.h"
#include "timeutil.h"

enum warning_kind {
	WARN_DUE_SOON = 0,
	WARN_OVERDUE,
	WARN_STUCK,
	WARN_RESOLVED_NOT_RETURNED,
	WARN_SUPPLEMENT_OVERDUE,
	WARN_FEEDBACK_DUE,
	WARN_UNUSED_ACCOUNTS,
	WARN__MAX
};

#define WARN_BIT(k) (1u << (unsigned)(k))

/* "due_soon", ...; NULL outside the enum. */
const char *warning_kind_code(enum warning_kind k);
const char *warning_kind_label_vi(enum warning_kind k);   /* "Sắp đến hạn" */
const char *warning_kind_label_en(enum warning_kind k);
/* The kind, or -1 if the code is unknown. */
int warning_kind_from_code(const char *code, size_t len);

/* The order in which lists and digests show the kinds: the most urgent first. */
extern const enum warning_kind warning_kind_order[WARN__MAX];

struct warning_thresholds {
	int stuck_working_days;         /* MOTCUA_WARN_STUCK_DAYS, >= 1 */
	int unreturned_working_days;    /* MOTCUA_WARN_UNRETURNED_DAYS, >= 1 */
	int supplement_working_days;    /* MOTCUA_WARN_SUPPLEMENT_DAYS, >= 1 */
	int unused_days;                /* MOTCUA_WARN_UNUSED_DAYS, >= 1 (calendar days) */
};

/* The instants the kinds are judged against, for one `now`. */
struct warning_cutoffs {
	mc_time now;
	mc_time due_soon_until;         /* now + one working day */
	mc_time stuck_at_or_before;     /* last event <= this: stuck */
	mc_time unreturned_at_or_before;/* resolved <= this: not returned */
	mc_time supplement_at_or_before;/* requested <= this: supplement overdue */
	mc_time feedback_until;         /* unanswered feedback due <= this */
};

/*
 * The latest instant t <= now with at least `days` x 8 working hours in [t, now].
 * CAL_ERR_INVALID for days < 1; CAL_ERR_NO_WORKING_TIME when the calendar has not that much
 * working time since 1970.
 */
enum cal_err warnings_working_days_before(const struct calendar *cal, mc_time now, int days,
                                          mc_time *out);

/* All the cut-offs for `now`. A threshold the calendar cannot reach gives 0 (nothing is
 * that old); only an invalid threshold or a due_soon computation out of range fails. */
enum cal_err warnings_cutoffs(const struct calendar *cal, const struct warning_thresholds *th,
                              mc_time now, struct warning_cutoffs *out);

/* A dossier as the classifier needs it; times 0 when absent. */
struct warning_dossier {
	enum dossier_state state;
	mc_time due_at;
	mc_time last_event_at;          /* the latest event of its history (the store reads the
	                                   row's updated_at, which every event moves) */
	mc_time paused_at;              /* start of the running pause */
	mc_time finished_at;            /* for resolved: when the result was ready */
	mc_time supplement_requested_at;/* the open (unfulfilled) supplement request */
};

/* The kinds the dossier is, as WARN_BIT()s (0: none). */
unsigned warnings_classify_dossier(const struct warning_cutoffs *c, const struct warning_dossier *d);
/* 1 if an unanswered feedback due at due_at is feedback_due. */
int warnings_feedback_due(const struct warning_cutoffs *c, mc_time due_at, int answered);

/*
 * Whose dossiers an officer is warned about: monitors and admins the whole subtree
 * (received or held there); desk, specialist, leader and clerk those held by a unit of
 * their subtree, the ones they can act on. Unused accounts: admins only.
 */
struct warning_audience {
	int held_only;
	int accounts;
};
void warnings_audience_of_roles(unsigned roles, struct warning_audience *out);

/* The officer page a warning opens, a path ("/can-bo/ho-so.html?code=…"): the dossier, the
 * feedback, or the accounts page listing those unused for unused_days. Codes are [0-9A-Z.-]
 * and go in as they are. */
void warnings_link(enum warning_kind k, const char *code, int unused_days, char *out, size_t outsz);

/* ---- the daily digest (thư tổng hợp cảnh báo hằng ngày) */

#define WARN_DIGEST_MAX_ITEMS 12

struct warning_digest_item {
	enum warning_kind kind;
	const char *code;               /* dossier or feedback code; NULL for accounts */
	const char *title;
	const char *unit_name;
	mc_time due_at;                 /* 0 when not relevant */
	mc_time since;                  /* 0 when not relevant */
	const char *link;               /* absolute URL */
};

struct warning_digest {
	const char *officer_name;
	int64_t day;                    /* local day number */
	long long counts[WARN__MAX];
	const struct warning_digest_item *items;
	size_t nitems;                  /* shown as they come, at most WARN_DIGEST_MAX_ITEMS */
	const char *inbox_link;         /* absolute URL of the officer's inbox */
};

/*
 * Whether the daily digest is to be run at `now`: once a local day (done_day: the local day
 * number last done, -1 for none), from `hour` o'clock local time, on working days of the
 * calendar only (a holiday or a weekend is "done" without a digest).
 */
enum warning_digest_decision {
	WDIG_WAIT = 0,          /* not yet (before the hour), or done today */
	WDIG_RUN,
	WDIG_DAY_OFF,           /* today has no working session: mark it done, send nothing */
};
enum warning_digest_decision warnings_digest_decide(const struct calendar *cal, mc_time now,
                                                    int hour, int64_t done_day);

/* Total of the counts. */
long long warnings_total(const long long counts[WARN__MAX]);

/*
 * The digest e-mail: a Vietnamese subject (one line) and body (counts per kind, the top
 * items with their links, then an English summary). 0, or -1 if a buffer is too small.
 */
int warnings_digest_compose(const struct warning_digest *d, char *subject, size_t subjectsz,
                            char *body, size_t bodysz);

#endif
