/*
 * The dossier state machine (DOMAIN.md, "The dossier and its life") as one table: for
 * each action, the states it may start from, the state it leads to, who may do it, and
 * what it needs. Pure: no I/O, no clock, no allocation. The store reads the dossier,
 * fills a wf_context, asks workflow_check(), and only then writes.
 *
 * Who acts is a mask of role bits. An officer holds one or more officer roles; the
 * applicant (through the citizen portal) and the system (calendar recomputation) are
 * actors with a bit of their own but no officer role. A mask is allowed an action if
 * any one of its bits is.
 *
 * Order of the checks, so that a refusal always has the same cause:
 *   1. state: the action is impossible in this state, whoever asks -> WF_BAD_STATE (409);
 *   2. role: none of the actor's bits may do it here                -> WF_FORBIDDEN_ROLE (403);
 *   3. step: the process is at the wrong step for it                -> WF_NOT_AT_STEP (409).
 */
#ifndef MOTCUA_DOMAIN_WORKFLOW_H
#define MOTCUA_DOMAIN_WORKFLOW_H

#include <stddef.h>

#include "action.h"
#include "dossier_state.h"

/* Officer roles (DOMAIN.md "Who uses it"); one person may hold several. The codes are
 * those of the SET column officers.roles. */
enum officer_role {
	ROLE_DESK = 0,
	ROLE_SPECIALIST,
	ROLE_LEADER,
	ROLE_CLERK,
	ROLE_ADMIN,
	ROLE_MONITOR,
	ROLE__MAX
};

/* A set of actors: bit ROLE_BIT(r) for each officer role r, plus the two below. */
typedef unsigned role_mask;
#define ROLE_BIT(r)      (1u << (unsigned)(r))
#define ROLE_MASK_OFFICERS ((1u << ROLE__MAX) - 1u)
#define ACTOR_APPLICANT  (1u << ROLE__MAX)          /* citizen or business, via the portal */
#define ACTOR_SYSTEM     (1u << (ROLE__MAX + 1))    /* the service itself (recalculation) */

/* NULL for a value outside the enum. */
const char *role_code(enum officer_role r);       /* "specialist" */
const char *role_label_vi(enum officer_role r);   /* "Chuyên viên" */
const char *role_label_en(enum officer_role r);   /* "Specialist" */
/* The role whose code is exactly code[0..len) (need not be NUL-terminated), or -1. */
int role_from_code(const char *code, size_t len);
/* Parses a comma-separated list of role codes, as MariaDB returns a SET column
 * ("desk,leader"; "" is the empty set), into *mask. Returns 0, or -1 (and leaves *mask
 * alone) if an element is not a role code, including an empty element. */
int role_mask_parse(const char *list, size_t len, role_mask *mask);

/*
 * What workflow_check() needs to know of the dossier.
 *   state        its current state;
 *   paused_from  the state it was in when the supplement was requested (submitted or
 *                processing): where ACT_SUPPLEMENT takes it back. Read only for that.
 *   step_index   0-based index of the current step of the internal process;
 *   step_count   number of steps. A procedure without steps (0) counts as one step, so
 *                its only step is both the first and the last.
 *   step_role    the officer role of the current step, or -1 if unknown. Unknown means
 *                only a leader may forward.
 */
struct wf_context {
	enum dossier_state state;
	enum dossier_state paused_from;
	int step_index;
	int step_count;
	int step_role;
};

enum wf_verdict {
	WF_OK = 0,
	WF_BAD_STATE,        /* 409: not allowed in this state (or not a transition at all) */
	WF_FORBIDDEN_ROLE,   /* 403: allowed in this state, but not to these actors */
	WF_NOT_AT_STEP,      /* 409: resolve before the last step, send_back at the first,
	                      * forward past the last */
	WF__MAX
};

/*
 * May the actors in roles do action a on the dossier described by c? On WF_OK, stores
 * the state the dossier goes to in *to (if to is not NULL); otherwise *to is untouched.
 * Creations (submit, receive) are not transitions: they give WF_BAD_STATE here, see
 * workflow_check_create(). An action, state or paused_from outside its enum, a NULL c,
 * or a supplement whose paused_from is neither submitted nor processing (a corrupt
 * record) give WF_BAD_STATE: the check fails closed.
 */
enum wf_verdict workflow_check(enum dossier_action a, role_mask roles,
                               const struct wf_context *c, enum dossier_state *to);

/*
 * Actions that create a dossier: submit (applicant, online: starts in submitted) and
 * receive (desk, at the desk or by post: starts in processing). WF_BAD_STATE if a is not
 * a creation, WF_FORBIDDEN_ROLE if no bit of roles may do it; on WF_OK, *to (if not
 * NULL) is the state the new dossier starts in.
 */
enum wf_verdict workflow_check_create(enum dossier_action a, role_mask roles,
                                      enum dossier_state *to);
int workflow_can_receive(role_mask roles);   /* 1 if roles may receive a dossier directly */

/*
 * The actions workflow_check() allows to roles on c, as bits (1ULL << action): the
 * buttons the UI shows. Creations are never in it. 0 if c is NULL.
 */
unsigned long long workflow_allowed(role_mask roles, const struct wf_context *c);

/* Properties of an action; 0 for a value outside the enum. */
int workflow_action_needs_reason(enum dossier_action a);   /* not_accept send_back suspend refuse */
int workflow_action_needs_items(enum dossier_action a);    /* request_supplement: the full,
                                                            * non-empty list of what is missing */
int workflow_action_needs_new_date(enum dossier_action a); /* apology: the new return date */
/* return: the waybill number is required when the result goes back by post. */
int workflow_action_needs_waybill(enum dossier_action a, enum channel result_channel);
int workflow_action_starts_clock(enum dossier_action a);   /* receive accept */
int workflow_action_pauses(enum dossier_action a);         /* request_supplement request_payment suspend */
int workflow_action_resumes(enum dossier_action a);        /* supplement pay resume */
int workflow_action_moves_step(enum dossier_action a);     /* +1 forward, -1 send_back, else 0 */
int workflow_action_is_public(enum dossier_action a);      /* on the public timeline: all but assign */

/*
 * What one allowed transition from -> to by action a does to the deadline clock. The
 * action flags alone do not say it: a supplement requested on a submitted dossier pauses
 * nothing (no clock yet), and the supplement that sends it back to submitted resumes
 * nothing.
 */
enum wf_clock {
	WF_CLOCK_KEEP = 0,   /* running or paused, as before */
	WF_CLOCK_START,
	WF_CLOCK_PAUSE,
	WF_CLOCK_RESUME
};
enum wf_clock workflow_clock(enum dossier_action a, enum dossier_state from,
                             enum dossier_state to);

/* "ok", "invalid_state", "forbidden_role", "invalid_step"; NULL outside the enum. */
const char *wf_verdict_code(enum wf_verdict v);
/* The HTTP status of a verdict: 200, 409, 403, 409; 500 outside the enum. */
int wf_verdict_status(enum wf_verdict v);

/*
 * An English sentence explaining verdict v of action a on c, for the "detail" of a
 * problem response; it names the action and the state, e.g.
 *   "Action 'return' is not allowed while the dossier is 'processing'."
 * Writes at most size bytes to buf, always NUL-terminated when size > 0, and returns
 * what snprintf() does: the length of the whole sentence (truncated if >= size), or a
 * negative value on an encoding error.
 */
int workflow_detail(char *buf, size_t size, enum wf_verdict v, enum dossier_action a,
                    const struct wf_context *c);

#endif
