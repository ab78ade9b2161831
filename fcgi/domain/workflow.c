/*
 * The dossier state machine: one row per action in `rules`, and the few functions that
 * read it. Changing what the office may do means changing a row, not the code.
 */
#include <stdio.h>
#include <string.h>

#include "workflow.h"

_Static_assert(ACT__MAX <= 64, "workflow_allowed() keeps one bit per action");
_Static_assert(STATE__MAX <= 32, "a rule keeps one bit per state");
_Static_assert(ROLE__MAX + 2 <= 32, "a role_mask keeps one bit per actor");

static const struct {
	const char *code, *vi, *en;
} roles_tab[ROLE__MAX] = {
	[ROLE_DESK]       = { "desk", "Cán bộ một cửa", "One-stop desk officer" },
	[ROLE_SPECIALIST] = { "specialist", "Chuyên viên", "Specialist" },
	[ROLE_LEADER]     = { "leader", "Lãnh đạo", "Leader" },
	[ROLE_CLERK]      = { "clerk", "Văn thư", "Clerk" },
	[ROLE_ADMIN]      = { "admin", "Quản trị", "Administrator" },
	[ROLE_MONITOR]    = { "monitor", "Giám sát", "Monitor" },
};

/* Where a transition leads when it is not a fixed state. */
enum {
	TO_SAME = -1,          /* stays where it is */
	TO_PAUSED_FROM = -2    /* back to wf_context.paused_from */
};

/* Which step of the internal process the action needs (checked last). */
enum step_rule {
	STEP_ANY = 0,
	STEP_NOT_FIRST,        /* send_back: there must be a step to go back to */
	STEP_NOT_LAST,         /* forward: there must be a step to go to */
	STEP_LAST              /* resolve: the process is done */
};

enum {
	F_CREATES  = 1 << 0,   /* makes a new dossier in state `to`; `from` is empty */
	F_PUBLIC   = 1 << 1,
	F_REASON   = 1 << 2,
	F_ITEMS    = 1 << 3,
	F_NEW_DATE = 1 << 4,
	F_WAYBILL  = 1 << 5,   /* when the result channel is postal */
	F_STARTS   = 1 << 6,
	F_PAUSES   = 1 << 7,
	F_RESUMES  = 1 << 8
};

/*
 * roles may always do the action (in the right state); step_roles may do it only when
 * they are the role of the current step. The union is what the UI may offer.
 */
struct rule {
	unsigned from;         /* bit (1u << state) for each state it may start from */
	int to;                /* enum dossier_state, TO_SAME or TO_PAUSED_FROM */
	role_mask roles;
	role_mask step_roles;
	enum step_rule step;
	int step_move;
	unsigned flags;
};

#define S(x)  (1u << STATE_##x)
#define R(x)  ROLE_BIT(ROLE_##x)
/* Open and with a running or paused clock: where a late dossier can still be helped. */
#define S_CLOCKED (S(PROCESSING) | S(AWAITING_SUPPLEMENT) | S(AWAITING_PAYMENT) | S(SUSPENDED))

static const struct rule rules[ACT__MAX] = {
	[ACT_SUBMIT]      = { 0, STATE_SUBMITTED, ACTOR_APPLICANT, 0, STEP_ANY, 0,
	                      F_CREATES | F_PUBLIC },
	[ACT_RECEIVE]     = { 0, STATE_PROCESSING, R(DESK), 0, STEP_ANY, 0,
	                      F_CREATES | F_STARTS | F_PUBLIC },
	[ACT_ACCEPT]      = { S(SUBMITTED), STATE_PROCESSING, R(DESK), 0, STEP_ANY, 0,
	                      F_STARTS | F_PUBLIC },
	[ACT_NOT_ACCEPT]  = { S(SUBMITTED), STATE_NOT_ACCEPTED, R(DESK), 0, STEP_ANY, 0,
	                      F_REASON | F_PUBLIC },
	/* Internal: who works on it is no business of the public timeline. */
	[ACT_ASSIGN]      = { S(PROCESSING), TO_SAME, R(DESK) | R(LEADER), 0, STEP_ANY, 0, 0 },
	/* The officer holding the step hands it on; a leader may push any step. */
	[ACT_FORWARD]     = { S(PROCESSING), TO_SAME, R(LEADER),
	                      R(DESK) | R(SPECIALIST) | R(CLERK), STEP_NOT_LAST, +1,
	                      F_PUBLIC },
	[ACT_SEND_BACK]   = { S(PROCESSING), TO_SAME, R(SPECIALIST) | R(LEADER) | R(CLERK), 0,
	                      STEP_NOT_FIRST, -1, F_REASON | F_PUBLIC },
	[ACT_TRANSFER]    = { S(PROCESSING), TO_SAME, R(SPECIALIST) | R(LEADER), 0, STEP_ANY, 0,
	                      F_PUBLIC },
	[ACT_TRANSFER_BACK] = { S(PROCESSING), TO_SAME, R(SPECIALIST) | R(LEADER) | R(DESK), 0,
	                      STEP_ANY, 0, F_PUBLIC },
	/* From submitted, the desk asks before accepting: no clock to pause yet. */
	[ACT_REQUEST_SUPPLEMENT] = { S(SUBMITTED) | S(PROCESSING), STATE_AWAITING_SUPPLEMENT,
	                      R(DESK) | R(SPECIALIST), 0, STEP_ANY, 0,
	                      F_ITEMS | F_PAUSES | F_PUBLIC },
	[ACT_SUPPLEMENT]  = { S(AWAITING_SUPPLEMENT), TO_PAUSED_FROM, R(DESK) | ACTOR_APPLICANT, 0,
	                      STEP_ANY, 0, F_RESUMES | F_PUBLIC },
	[ACT_REQUEST_PAYMENT] = { S(PROCESSING), STATE_AWAITING_PAYMENT, R(DESK) | R(SPECIALIST),
	                      0, STEP_ANY, 0, F_PAUSES | F_PUBLIC },
	[ACT_PAY]         = { S(AWAITING_PAYMENT), STATE_PROCESSING, R(DESK) | ACTOR_APPLICANT, 0,
	                      STEP_ANY, 0, F_RESUMES | F_PUBLIC },
	[ACT_SUSPEND]     = { S(PROCESSING), STATE_SUSPENDED, R(LEADER), 0, STEP_ANY, 0,
	                      F_REASON | F_PAUSES | F_PUBLIC },
	[ACT_RESUME]      = { S(SUSPENDED), STATE_PROCESSING, R(LEADER), 0, STEP_ANY, 0,
	                      F_RESUMES | F_PUBLIC },
	/* A refusal needs a leader's approval: the leader is the one who records it. */
	[ACT_REFUSE]      = { S(PROCESSING) | S(AWAITING_SUPPLEMENT) | S(SUSPENDED),
	                      STATE_REFUSED, R(LEADER), 0, STEP_ANY, 0, F_REASON | F_PUBLIC },
	[ACT_WITHDRAW]    = { S(SUBMITTED) | S_CLOCKED, STATE_WITHDRAWN,
	                      R(DESK) | ACTOR_APPLICANT, 0, STEP_ANY, 0, F_PUBLIC },
	[ACT_RESOLVE]     = { S(PROCESSING), STATE_RESOLVED, R(LEADER) | R(CLERK), 0, STEP_LAST,
	                      0, F_PUBLIC },
	[ACT_RETURN]      = { S(RESOLVED), STATE_RETURNED, R(DESK), 0, STEP_ANY, 0,
	                      F_WAYBILL | F_PUBLIC },
	[ACT_APOLOGY]     = { S_CLOCKED, TO_SAME, R(LEADER), 0, STEP_ANY, 0,
	                      F_NEW_DATE | F_PUBLIC },
	/* A calendar change moves the due date of every dossier that has one and is not
	 * finished; resolved dossiers keep theirs, it is what they are judged against. */
	[ACT_RECALCULATE] = { S_CLOCKED, TO_SAME, ACTOR_SYSTEM, 0, STEP_ANY, 0, F_PUBLIC },
	/* What happens to the result file is recorded in the history (api/results.c) but is
	 * no transition: allowed from no state. The public timeline says only that the result
	 * was signed; who uploaded a draft and the seal are internal. */
	[ACT_RESULT_UPLOAD] = { 0, TO_SAME, 0, 0, STEP_ANY, 0, 0 },
	[ACT_RESULT_SIGN] = { 0, TO_SAME, 0, 0, STEP_ANY, 0, F_PUBLIC },
	[ACT_RESULT_SEAL] = { 0, TO_SAME, 0, 0, STEP_ANY, 0, 0 },
};

#undef S
#undef R
#undef S_CLOCKED

static const char *const verdict_codes[WF__MAX] = {
	[WF_OK] = "ok",
	[WF_BAD_STATE] = "invalid_state",
	[WF_FORBIDDEN_ROLE] = "forbidden_role",
	[WF_NOT_AT_STEP] = "invalid_step",
};

static const int verdict_status[WF__MAX] = {
	[WF_OK] = 200,
	[WF_BAD_STATE] = 409,
	[WF_FORBIDDEN_ROLE] = 403,
	[WF_NOT_AT_STEP] = 409,
};

const char *
role_code(enum officer_role r)
{
	return (unsigned)r < ROLE__MAX ? roles_tab[r].code : NULL;
}

const char *
role_label_vi(enum officer_role r)
{
	return (unsigned)r < ROLE__MAX ? roles_tab[r].vi : NULL;
}

const char *
role_label_en(enum officer_role r)
{
	return (unsigned)r < ROLE__MAX ? roles_tab[r].en : NULL;
}

int
role_from_code(const char *code, size_t len)
{
	int i;

	if (code == NULL)
		return -1;
	for (i = 0; i < ROLE__MAX; i++)
		if (strlen(roles_tab[i].code) == len && memcmp(roles_tab[i].code, code, len) == 0)
			return i;
	return -1;
}

int
role_mask_parse(const char *list, size_t len, role_mask *mask)
{
	role_mask m = 0;
	size_t start = 0;

	if (list == NULL || mask == NULL)
		return -1;
	if (len == 0) {
		*mask = 0;
		return 0;
	}
	for (;;) {
		const char *comma = memchr(list + start, ',', len - start);
		size_t end = comma != NULL ? (size_t)(comma - list) : len;
		int r = role_from_code(list + start, end - start);

		if (r < 0)
			return -1;
		m |= ROLE_BIT(r);
		if (comma == NULL)
			break;
		start = end + 1;
	}
	*mask = m;
	return 0;
}

/* The row for a, or NULL outside the enum. */
static const struct rule *
rule_of(enum dossier_action a)
{
	return (unsigned)a < ACT__MAX ? &rules[a] : NULL;
}

static unsigned
flags_of(enum dossier_action a)
{
	const struct rule *r = rule_of(a);

	return r != NULL ? r->flags : 0;
}

static int
state_valid(enum dossier_state s)
{
	return (unsigned)s < STATE__MAX;
}

/* The actors who may do r on c, the state being right. */
static role_mask
actors_allowed(const struct rule *r, const struct wf_context *c)
{
	role_mask m = r->roles;

	if (c->step_role >= 0 && c->step_role < ROLE__MAX)
		m |= r->step_roles & ROLE_BIT(c->step_role);
	return m;
}

static int
at_first_step(const struct wf_context *c)
{
	return c->step_index <= 0;
}

static int
at_last_step(const struct wf_context *c)
{
	return c->step_index >= c->step_count - 1;
}

static int
step_fits(enum step_rule s, const struct wf_context *c)
{
	switch (s) {
	case STEP_NOT_FIRST:
		return !at_first_step(c);
	case STEP_NOT_LAST:
		return !at_last_step(c);
	case STEP_LAST:
		return at_last_step(c);
	case STEP_ANY:
		break;
	}
	return 1;
}

/* The state r leads to from c, or -1 if the record is inconsistent. */
static int
target_of(const struct rule *r, const struct wf_context *c)
{
	switch (r->to) {
	case TO_SAME:
		return (int)c->state;
	case TO_PAUSED_FROM:
		/* Only these two can ask for a supplement. */
		if (c->paused_from == STATE_SUBMITTED || c->paused_from == STATE_PROCESSING)
			return (int)c->paused_from;
		return -1;
	default:
		return r->to;
	}
}

enum wf_verdict
workflow_check(enum dossier_action a, role_mask roles, const struct wf_context *c,
               enum dossier_state *to)
{
	const struct rule *r = rule_of(a);
	int target;

	if (r == NULL || c == NULL || !state_valid(c->state) ||
	    (r->from & (1u << c->state)) == 0)
		return WF_BAD_STATE;
	if ((target = target_of(r, c)) < 0)
		return WF_BAD_STATE;
	if ((roles & actors_allowed(r, c)) == 0)
		return WF_FORBIDDEN_ROLE;
	if (!step_fits(r->step, c))
		return WF_NOT_AT_STEP;
	if (to != NULL)
		*to = (enum dossier_state)target;
	return WF_OK;
}

enum wf_verdict
workflow_check_create(enum dossier_action a, role_mask roles, enum dossier_state *to)
{
	const struct rule *r = rule_of(a);

	if (r == NULL || (r->flags & F_CREATES) == 0)
		return WF_BAD_STATE;
	if ((roles & r->roles) == 0)
		return WF_FORBIDDEN_ROLE;
	if (to != NULL)
		*to = (enum dossier_state)r->to;
	return WF_OK;
}

int
workflow_can_receive(role_mask roles)
{
	return workflow_check_create(ACT_RECEIVE, roles, NULL) == WF_OK;
}

unsigned long long
workflow_allowed(role_mask roles, const struct wf_context *c)
{
	unsigned long long m = 0;
	int a;

	for (a = 0; c != NULL && a < ACT__MAX; a++)
		if (workflow_check((enum dossier_action)a, roles, c, NULL) == WF_OK)
			m |= 1ULL << a;
	return m;
}

int
workflow_action_needs_reason(enum dossier_action a)
{
	return (flags_of(a) & F_REASON) != 0;
}

int
workflow_action_needs_items(enum dossier_action a)
{
	return (flags_of(a) & F_ITEMS) != 0;
}

int
workflow_action_needs_new_date(enum dossier_action a)
{
	return (flags_of(a) & F_NEW_DATE) != 0;
}

int
workflow_action_needs_waybill(enum dossier_action a, enum channel result_channel)
{
	return (flags_of(a) & F_WAYBILL) != 0 && result_channel == CHANNEL_POSTAL;
}

int
workflow_action_starts_clock(enum dossier_action a)
{
	return (flags_of(a) & F_STARTS) != 0;
}

int
workflow_action_pauses(enum dossier_action a)
{
	return (flags_of(a) & F_PAUSES) != 0;
}

int
workflow_action_resumes(enum dossier_action a)
{
	return (flags_of(a) & F_RESUMES) != 0;
}

int
workflow_action_moves_step(enum dossier_action a)
{
	const struct rule *r = rule_of(a);

	return r != NULL ? r->step_move : 0;
}

int
workflow_action_is_public(enum dossier_action a)
{
	return (flags_of(a) & F_PUBLIC) != 0;
}

enum wf_clock
workflow_clock(enum dossier_action a, enum dossier_state from, enum dossier_state to)
{
	if (workflow_action_starts_clock(a))
		return WF_CLOCK_START;
	if (workflow_action_pauses(a) && from == STATE_PROCESSING)
		return WF_CLOCK_PAUSE;
	if (workflow_action_resumes(a) && to == STATE_PROCESSING)
		return WF_CLOCK_RESUME;
	return WF_CLOCK_KEEP;
}

const char *
wf_verdict_code(enum wf_verdict v)
{
	return (unsigned)v < WF__MAX ? verdict_codes[v] : NULL;
}

int
wf_verdict_status(enum wf_verdict v)
{
	return (unsigned)v < WF__MAX ? verdict_status[v] : 500;
}

/* Writes the codes of the actors in m, ", "-separated, to buf (at most size bytes, NUL-
 * terminated). buf must hold every code: the caller gives a fixed, large enough size. */
static void
actor_list(char *buf, size_t size, role_mask m)
{
	static const char *const others[] = { "applicant", "system" };
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < ROLE__MAX + 2; i++) {
		const char *code = i < ROLE__MAX ? roles_tab[i].code : others[i - ROLE__MAX];
		int w;

		if ((m & (1u << i)) == 0)
			continue;
		w = snprintf(buf + n, size - n, "%s%s", n > 0 ? ", " : "", code);
		if (w < 0 || (size_t)w >= size - n)
			return;
		n += (size_t)w;
	}
}

int
workflow_detail(char *buf, size_t size, enum wf_verdict v, enum dossier_action a,
                const struct wf_context *c)
{
	const struct rule *r = rule_of(a);
	const char *act = action_code(a) != NULL ? action_code(a) : "?";
	const char *st = "?";
	char who[96];
	int steps = c != NULL && c->step_count > 1 ? c->step_count : 1;

	if (c != NULL && dossier_state_code(c->state) != NULL)
		st = dossier_state_code(c->state);

	switch (v) {
	case WF_OK:
		return snprintf(buf, size, "Action '%s' is allowed while the dossier is '%s'.",
		    act, st);
	case WF_BAD_STATE:
		if (r != NULL && (r->flags & F_CREATES))
			return snprintf(buf, size, "Action '%s' creates a dossier; it is not "
			    "allowed on a dossier that is '%s'.", act, st);
		if (r != NULL && r->to == TO_PAUSED_FROM && c != NULL &&
		    c->state == STATE_AWAITING_SUPPLEMENT)
			return snprintf(buf, size, "Action '%s' is not allowed while the dossier is "
			    "'%s': the state it was paused from is unknown.", act, st);
		return snprintf(buf, size, "Action '%s' is not allowed while the dossier is '%s'.",
		    act, st);
	case WF_FORBIDDEN_ROLE:
		if (r == NULL || c == NULL || actors_allowed(r, c) == 0)
			return snprintf(buf, size, "Action '%s' is not allowed to your roles while "
			    "the dossier is '%s'.", act, st);
		actor_list(who, sizeof(who), actors_allowed(r, c));
		return snprintf(buf, size, "Action '%s' while the dossier is '%s' is reserved "
		    "to: %s.", act, st, who);
	case WF_NOT_AT_STEP:
		if (r != NULL && c != NULL && r->step == STEP_NOT_FIRST)
			return snprintf(buf, size, "Action '%s' is not allowed at the first step of "
			    "the process (the dossier is '%s').", act, st);
		if (r != NULL && c != NULL && r->step == STEP_NOT_LAST)
			return snprintf(buf, size, "Action '%s' is not allowed at the last step of "
			    "the process (the dossier is '%s', at step %d of %d).", act, st,
			    c->step_index + 1, steps);
		if (r != NULL && c != NULL && r->step == STEP_LAST)
			return snprintf(buf, size, "Action '%s' is only allowed at the last step of "
			    "the process (the dossier is '%s', at step %d of %d).", act, st,
			    c->step_index + 1, steps);
		return snprintf(buf, size, "Action '%s' is not allowed at this step (the dossier "
		    "is '%s').", act, st);
	case WF__MAX:
		break;
	}
	return snprintf(buf, size, "Action '%s' cannot be judged while the dossier is '%s'.",
	    act, st);
}
