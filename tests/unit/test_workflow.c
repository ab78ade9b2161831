/*
 * Tests for domain/workflow: the dossier state machine.
 *
 * The expectation is written here a second time, in another form (codes in strings),
 * and an oracle in this file reads it; the whole machine is then compared with it for
 * every action, state, actor and step position. Neither is derived from the other, so
 * a change to one table without the other fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "domain/workflow.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

enum step_need { ANY, NOT_FIRST, NOT_LAST, LAST };

/* What each action should do. Lists are space-separated codes. to is a state code, or
 * "same" (stays), or "paused_from". who may always act; step_who only when its role is
 * the current step's. creates: the state a creation starts in, NULL for a transition. */
static const struct expect {
	enum dossier_action a;
	const char *from, *to, *who, *step_who;
	enum step_need step;
	const char *creates;
	int reason, items, new_date, waybill, starts, pauses, resumes, move, public;
} expect[] = {
	/*  a                       from / to / who / step_who / step / creates
	 *                          reason items date waybill starts pauses resumes move public */
	{ ACT_SUBMIT, "", "", "applicant", "", ANY, "submitted",
	    0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ ACT_RECEIVE, "", "", "desk", "", ANY, "processing",
	    0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ ACT_ACCEPT, "submitted", "processing", "desk", "", ANY, NULL,
	    0, 0, 0, 0, 1, 0, 0, 0, 1 },
	{ ACT_NOT_ACCEPT, "submitted", "not_accepted", "desk", "", ANY, NULL,
	    1, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ ACT_ASSIGN, "processing", "same", "desk leader", "", ANY, NULL,
	    0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ ACT_FORWARD, "processing", "same", "leader", "desk specialist clerk", NOT_LAST, NULL,
	    0, 0, 0, 0, 0, 0, 0, 1, 1 },
	{ ACT_SEND_BACK, "processing", "same", "specialist leader clerk", "", NOT_FIRST, NULL,
	    1, 0, 0, 0, 0, 0, 0, -1, 1 },
	{ ACT_TRANSFER, "processing", "same", "specialist leader", "", ANY, NULL,
	    0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ ACT_TRANSFER_BACK, "processing", "same", "specialist leader desk", "", ANY, NULL,
	    0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ ACT_REQUEST_SUPPLEMENT, "submitted processing", "awaiting_supplement",
	    "desk specialist", "", ANY, NULL,
	    0, 1, 0, 0, 0, 1, 0, 0, 1 },
	{ ACT_SUPPLEMENT, "awaiting_supplement", "paused_from", "desk applicant", "", ANY, NULL,
	    0, 0, 0, 0, 0, 0, 1, 0, 1 },
	{ ACT_REQUEST_PAYMENT, "processing", "awaiting_payment", "desk specialist", "", ANY, NULL,
	    0, 0, 0, 0, 0, 1, 0, 0, 1 },
	{ ACT_PAY, "awaiting_payment", "processing", "desk applicant", "", ANY, NULL,
	    0, 0, 0, 0, 0, 0, 1, 0, 1 },
	{ ACT_SUSPEND, "processing", "suspended", "leader", "", ANY, NULL,
	    1, 0, 0, 0, 0, 1, 0, 0, 1 },
	{ ACT_RESUME, "suspended", "processing", "leader", "", ANY, NULL,
	    0, 0, 0, 0, 0, 0, 1, 0, 1 },
	{ ACT_REFUSE, "processing awaiting_supplement suspended", "refused", "leader", "", ANY,
	    NULL, 1, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ ACT_WITHDRAW, "submitted processing awaiting_supplement awaiting_payment suspended",
	    "withdrawn", "desk applicant", "", ANY, NULL,
	    0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ ACT_RESOLVE, "processing", "resolved", "leader clerk", "", LAST, NULL,
	    0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ ACT_RETURN, "resolved", "returned", "desk", "", ANY, NULL,
	    0, 0, 0, 1, 0, 0, 0, 0, 1 },
	{ ACT_APOLOGY, "processing awaiting_supplement awaiting_payment suspended", "same",
	    "leader", "", ANY, NULL,
	    0, 0, 1, 0, 0, 0, 0, 0, 1 },
	{ ACT_RECALCULATE, "processing awaiting_supplement awaiting_payment suspended", "same",
	    "system", "", ANY, NULL,
	    0, 0, 0, 0, 0, 0, 0, 0, 1 },
	/* recorded events of the result file, never transitions */
	{ ACT_RESULT_UPLOAD, "", "same", "", "", ANY, NULL,
	    0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ ACT_RESULT_SIGN, "", "same", "", "", ANY, NULL,
	    0, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ ACT_RESULT_SEAL, "", "same", "", "", ANY, NULL,
	    0, 0, 0, 0, 0, 0, 0, 0, 0 },
};

/* The actors by name, with the bit the API gives each. */
static const struct {
	const char *name;
	role_mask bit;
} actors[] = {
	{ "desk", 1u << 0 }, { "specialist", 1u << 1 }, { "leader", 1u << 2 },
	{ "clerk", 1u << 3 }, { "admin", 1u << 4 }, { "monitor", 1u << 5 },
	{ "applicant", 1u << 6 }, { "system", 1u << 7 },
};
#define ALL_ACTORS 0xFFu

static const char *const all_states[] = {
	"submitted", "processing", "awaiting_supplement", "awaiting_payment", "suspended",
	"resolved", "returned", "refused", "withdrawn", "not_accepted",
};

/* Step positions: { index, count }. A procedure with no steps has one implicit step. */
static const int positions[][2] = { { 0, 0 }, { 0, 1 }, { 0, 3 }, { 1, 3 }, { 2, 3 } };
static const int step_roles[] = { -1, ROLE_DESK, ROLE_SPECIALIST, ROLE_LEADER, ROLE_CLERK,
	ROLE_ADMIN };
static const enum dossier_state paused_froms[] = { STATE_SUBMITTED, STATE_PROCESSING,
	STATE_SUSPENDED /* corrupt: never a state a supplement is asked from */ };

/* 1 if word is one of the space-separated words of list. */
static int
in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while (*p != '\0') {
		size_t w = strcspn(p, " ");

		if (w == n && memcmp(p, word, n) == 0)
			return 1;
		p += w;
		p += strspn(p, " ");
	}
	return 0;
}

static role_mask
mask_of(const char *list)
{
	role_mask m = 0;
	size_t i;

	for (i = 0; i < NELEMS(actors); i++)
		if (in_list(list, actors[i].name))
			m |= actors[i].bit;
	return m;
}

static const struct expect *
expect_of(enum dossier_action a)
{
	size_t i;

	for (i = 0; i < NELEMS(expect); i++)
		if (expect[i].a == a)
			return &expect[i];
	return NULL;
}

/* The oracle: the verdict expect[] calls for, and the target state. */
static enum wf_verdict
oracle(const struct expect *e, role_mask roles, const struct wf_context *c,
       enum dossier_state *to)
{
	const char *st = dossier_state_code(c->state);
	role_mask who = mask_of(e->who);
	int last = c->step_index >= (c->step_count > 0 ? c->step_count : 1) - 1;
	int first = c->step_index == 0;

	if (e->creates != NULL || st == NULL || !in_list(e->from, st))
		return WF_BAD_STATE;
	if (strcmp(e->to, "same") == 0)
		*to = c->state;
	else if (strcmp(e->to, "paused_from") == 0) {
		if (c->paused_from != STATE_SUBMITTED && c->paused_from != STATE_PROCESSING)
			return WF_BAD_STATE;
		*to = c->paused_from;
	} else
		*to = (enum dossier_state)dossier_state_from_code(e->to, strlen(e->to));
	if (c->step_role >= 0 && in_list(e->step_who, actors[c->step_role].name))
		who |= actors[c->step_role].bit;
	if ((roles & who) == 0)
		return WF_FORBIDDEN_ROLE;
	if ((e->step == NOT_FIRST && first) || (e->step == NOT_LAST && last) ||
	    (e->step == LAST && !last))
		return WF_NOT_AT_STEP;
	return WF_OK;
}

/* Compares workflow_check() with the oracle on one combination; counts verdicts. */
static void
compare_one(enum dossier_action a, role_mask roles, const struct wf_context *c,
            unsigned counts[WF__MAX])
{
	enum dossier_state want_to = STATE__MAX, got_to = STATE__MAX;
	enum wf_verdict want = oracle(expect_of(a), roles, c, &want_to);
	enum wf_verdict got = workflow_check(a, roles, c, &got_to);

	if (got != want || (want == WF_OK && got_to != want_to) ||
	    (want != WF_OK && got_to != STATE__MAX))
		fail_msg("%s by 0x%x in %s (paused_from %s, step %d/%d, step role %d): "
		    "got %s -> %d, want %s -> %d", action_code(a), roles,
		    dossier_state_code(c->state), dossier_state_code(c->paused_from),
		    c->step_index, c->step_count, c->step_role, wf_verdict_code(got),
		    (int)got_to, wf_verdict_code(want), (int)want_to);
	counts[got]++;
}

/* Calls fn on every context: state x step position x step role x paused_from. */
static void
each_context(void (*fn)(const struct wf_context *, void *), void *arg)
{
	struct wf_context c;
	size_t s, p, r, f;

	for (s = 0; s < STATE__MAX; s++)
		for (p = 0; p < NELEMS(positions); p++)
			for (r = 0; r < NELEMS(step_roles); r++)
				for (f = 0; f < NELEMS(paused_froms); f++) {
					c.state = (enum dossier_state)s;
					c.step_index = positions[p][0];
					c.step_count = positions[p][1];
					c.step_role = step_roles[r];
					c.paused_from = paused_froms[f];
					fn(&c, arg);
				}
}

static void
single_actors(const struct wf_context *c, void *arg)
{
	size_t i;
	int a;

	for (a = 0; a < ACT__MAX; a++) {
		compare_one((enum dossier_action)a, 0, c, arg);
		for (i = 0; i < NELEMS(actors); i++)
			compare_one((enum dossier_action)a, actors[i].bit, c, arg);
	}
}

static void
every_mask(const struct wf_context *c, void *arg)
{
	role_mask m;
	int a;

	for (a = 0; a < ACT__MAX; a++)
		for (m = 0; m <= ALL_ACTORS; m++)
			compare_one((enum dossier_action)a, m, c, arg);
}

static void
test_expect_table_complete(void **state)
{
	int a;

	(void)state;
	assert_int_equal(NELEMS(expect), ACT__MAX);
	for (a = 0; a < ACT__MAX; a++)
		assert_non_null(expect_of((enum dossier_action)a));
	assert_int_equal(NELEMS(all_states), STATE__MAX);
	for (a = 0; a < STATE__MAX; a++)
		assert_string_equal(dossier_state_code((enum dossier_state)a), all_states[a]);
}

static void
test_actor_bits(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ROLE__MAX; i++) {
		assert_string_equal(role_code((enum officer_role)i), actors[i].name);
		assert_int_equal(ROLE_BIT(i), actors[i].bit);
	}
	assert_int_equal(ACTOR_APPLICANT, mask_of("applicant"));
	assert_int_equal(ACTOR_SYSTEM, mask_of("system"));
	assert_int_equal(ROLE_MASK_OFFICERS, mask_of("desk specialist leader clerk admin monitor"));
}

/* The whole machine, one actor at a time (and nobody). */
static void
test_machine_single_actors(void **state)
{
	unsigned counts[WF__MAX] = { 0 };

	(void)state;
	each_context(single_actors, counts);
	/* Every verdict happens, so none of the branches is dead in the oracle either. */
	assert_true(counts[WF_OK] > 0 && counts[WF_BAD_STATE] > 0 &&
	    counts[WF_FORBIDDEN_ROLE] > 0 && counts[WF_NOT_AT_STEP] > 0);
	print_message("  %u combinations: %u ok, %u invalid_state, %u forbidden_role, "
	    "%u invalid_step\n", counts[0] + counts[1] + counts[2] + counts[3], counts[0],
	    counts[1], counts[2], counts[3]);
}

/* The whole machine for people holding several roles: any one role that may, may. */
static void
test_machine_every_mask(void **state)
{
	unsigned counts[WF__MAX] = { 0 };

	(void)state;
	each_context(every_mask, counts);
	assert_true(counts[WF_OK] > 0);
}

/* Every transition the expectation allows, done by each actor allowed, lands right. */
static void
test_every_allowed_transition_lands(void **state)
{
	struct wf_context c = { STATE_SUBMITTED, STATE_PROCESSING, 1, 3, ROLE_SPECIALIST };
	unsigned done = 0;
	size_t i, k, s;

	(void)state;
	for (i = 0; i < NELEMS(expect); i++)
		for (s = 0; s < NELEMS(all_states); s++) {
			if (!in_list(expect[i].from, all_states[s]))
				continue;
			for (k = 0; k < NELEMS(actors); k++) {
				enum dossier_state to = STATE__MAX;
				const char *want;

				if (!in_list(expect[i].who, actors[k].name))
					continue;
				c.state = (enum dossier_state)s;
				c.step_index = expect[i].step == LAST ? 2 : 1;
				assert_int_equal(workflow_check(expect[i].a, actors[k].bit, &c, &to),
				    WF_OK);
				want = strcmp(expect[i].to, "same") == 0 ? all_states[s] :
				    strcmp(expect[i].to, "paused_from") == 0 ? "processing" :
				    expect[i].to;
				assert_string_equal(dossier_state_code(to), want);
				done++;
			}
		}
	assert_true(done >= 40);
}

static void
test_terminal_states_allow_nothing(void **state)
{
	static const enum dossier_state terminal[] = { STATE_RETURNED, STATE_REFUSED,
		STATE_WITHDRAWN, STATE_NOT_ACCEPTED };
	struct wf_context c = { 0, STATE_PROCESSING, 0, 1, ROLE_LEADER };
	size_t i;
	int a;

	(void)state;
	for (i = 0; i < NELEMS(terminal); i++) {
		c.state = terminal[i];
		assert_true(dossier_state_is_terminal(c.state));
		assert_int_equal(workflow_allowed(ALL_ACTORS, &c), 0);
		for (a = 0; a < ACT__MAX; a++)
			assert_int_equal(workflow_check((enum dossier_action)a, ALL_ACTORS, &c, NULL),
			    WF_BAD_STATE);
	}
}

static void
test_supplement_returns_to_paused_from(void **state)
{
	struct wf_context c = { STATE_AWAITING_SUPPLEMENT, STATE_SUBMITTED, 0, 3, -1 };
	enum dossier_state to = STATE__MAX;

	(void)state;
	assert_int_equal(workflow_check(ACT_SUPPLEMENT, ACTOR_APPLICANT, &c, &to), WF_OK);
	assert_int_equal(to, STATE_SUBMITTED);
	c.paused_from = STATE_PROCESSING;
	assert_int_equal(workflow_check(ACT_SUPPLEMENT, ROLE_BIT(ROLE_DESK), &c, &to), WF_OK);
	assert_int_equal(to, STATE_PROCESSING);
	/* A record that says it was paused from anywhere else is refused, not guessed. */
	c.paused_from = STATE_AWAITING_PAYMENT;
	to = STATE__MAX;
	assert_int_equal(workflow_check(ACT_SUPPLEMENT, ROLE_BIT(ROLE_DESK), &c, &to),
	    WF_BAD_STATE);
	assert_int_equal(to, STATE__MAX);
	c.paused_from = (enum dossier_state)-1;
	assert_int_equal(workflow_check(ACT_SUPPLEMENT, ROLE_BIT(ROLE_DESK), &c, &to),
	    WF_BAD_STATE);
	/* Only the supplement reads paused_from. */
	assert_int_equal(workflow_check(ACT_REFUSE, ROLE_BIT(ROLE_LEADER), &c, &to), WF_OK);
	assert_int_equal(to, STATE_REFUSED);
}

static void
test_forward_only_by_the_step_role(void **state)
{
	struct wf_context c = { STATE_PROCESSING, STATE_PROCESSING, 1, 4, ROLE_SPECIALIST };

	(void)state;
	assert_int_equal(workflow_check(ACT_FORWARD, ROLE_BIT(ROLE_SPECIALIST), &c, NULL), WF_OK);
	assert_int_equal(workflow_check(ACT_FORWARD, ROLE_BIT(ROLE_LEADER), &c, NULL), WF_OK);
	assert_int_equal(workflow_check(ACT_FORWARD, ROLE_BIT(ROLE_CLERK), &c, NULL),
	    WF_FORBIDDEN_ROLE);
	assert_int_equal(workflow_check(ACT_FORWARD, ROLE_BIT(ROLE_DESK), &c, NULL),
	    WF_FORBIDDEN_ROLE);
	assert_int_equal(workflow_check(ACT_FORWARD,
	    ROLE_BIT(ROLE_DESK) | ROLE_BIT(ROLE_SPECIALIST), &c, NULL), WF_OK);
	c.step_role = ROLE_CLERK;
	assert_int_equal(workflow_check(ACT_FORWARD, ROLE_BIT(ROLE_CLERK), &c, NULL), WF_OK);
	assert_int_equal(workflow_check(ACT_FORWARD, ROLE_BIT(ROLE_SPECIALIST), &c, NULL),
	    WF_FORBIDDEN_ROLE);
	/* Unknown step role: only a leader can move it on. */
	c.step_role = -1;
	assert_int_equal(workflow_check(ACT_FORWARD, ROLE_BIT(ROLE_SPECIALIST), &c, NULL),
	    WF_FORBIDDEN_ROLE);
	assert_int_equal(workflow_check(ACT_FORWARD, ROLE_BIT(ROLE_LEADER), &c, NULL), WF_OK);
	/* A step owned by a role that may not forward at all (bad catalog data). */
	c.step_role = ROLE_ADMIN;
	assert_int_equal(workflow_check(ACT_FORWARD, ROLE_BIT(ROLE_ADMIN), &c, NULL),
	    WF_FORBIDDEN_ROLE);
	c.step_role = ROLE__MAX + 3;
	assert_int_equal(workflow_check(ACT_FORWARD, ALL_ACTORS & ~ROLE_BIT(ROLE_LEADER), &c,
	    NULL), WF_FORBIDDEN_ROLE);
	/* Not past the last step: that is what resolve is for. */
	c.step_role = ROLE_SPECIALIST;
	c.step_index = 3;
	assert_int_equal(workflow_check(ACT_FORWARD, ROLE_BIT(ROLE_SPECIALIST), &c, NULL),
	    WF_NOT_AT_STEP);
	assert_int_equal(workflow_action_moves_step(ACT_FORWARD), 1);
}

static void
test_resolve_only_at_the_last_step(void **state)
{
	struct wf_context c = { STATE_PROCESSING, STATE_PROCESSING, 0, 3, ROLE_LEADER };
	enum dossier_state to = STATE__MAX;

	(void)state;
	assert_int_equal(workflow_check(ACT_RESOLVE, ROLE_BIT(ROLE_LEADER), &c, &to),
	    WF_NOT_AT_STEP);
	c.step_index = 1;
	assert_int_equal(workflow_check(ACT_RESOLVE, ROLE_BIT(ROLE_CLERK), &c, &to),
	    WF_NOT_AT_STEP);
	assert_int_equal(to, STATE__MAX);
	c.step_index = 2;
	assert_int_equal(workflow_check(ACT_RESOLVE, ROLE_BIT(ROLE_CLERK), &c, &to), WF_OK);
	assert_int_equal(to, STATE_RESOLVED);
	/* A procedure without an internal process: its only step is the last. */
	c.step_index = 0;
	c.step_count = 0;
	assert_int_equal(workflow_check(ACT_RESOLVE, ROLE_BIT(ROLE_LEADER), &c, NULL), WF_OK);
	/* Role before step: a specialist at the wrong step is told about the role. */
	c.step_count = 3;
	assert_int_equal(workflow_check(ACT_RESOLVE, ROLE_BIT(ROLE_SPECIALIST), &c, NULL),
	    WF_FORBIDDEN_ROLE);
}

static void
test_send_back_not_at_the_first_step(void **state)
{
	struct wf_context c = { STATE_PROCESSING, STATE_PROCESSING, 0, 3, ROLE_SPECIALIST };

	(void)state;
	assert_int_equal(workflow_check(ACT_SEND_BACK, ROLE_BIT(ROLE_SPECIALIST), &c, NULL),
	    WF_NOT_AT_STEP);
	c.step_index = 1;
	assert_int_equal(workflow_check(ACT_SEND_BACK, ROLE_BIT(ROLE_SPECIALIST), &c, NULL),
	    WF_OK);
	c.step_index = 2;
	assert_int_equal(workflow_check(ACT_SEND_BACK, ROLE_BIT(ROLE_CLERK), &c, NULL), WF_OK);
	assert_int_equal(workflow_check(ACT_SEND_BACK, ROLE_BIT(ROLE_DESK), &c, NULL),
	    WF_FORBIDDEN_ROLE);
	assert_int_equal(workflow_action_moves_step(ACT_SEND_BACK), -1);
}

/* State first, then role, then step. */
static void
test_precedence(void **state)
{
	struct wf_context c = { STATE_PROCESSING, STATE_PROCESSING, 0, 3, ROLE_SPECIALIST };

	(void)state;
	/* Wrong state and wrong role: the state is the reason. */
	assert_int_equal(workflow_check(ACT_RETURN, ACTOR_APPLICANT, &c, NULL), WF_BAD_STATE);
	assert_int_equal(workflow_check(ACT_RETURN, 0, &c, NULL), WF_BAD_STATE);
	/* Wrong role and wrong step: the role. */
	assert_int_equal(workflow_check(ACT_SEND_BACK, ROLE_BIT(ROLE_MONITOR), &c, NULL),
	    WF_FORBIDDEN_ROLE);
	/* Right role, wrong step: the step. */
	assert_int_equal(workflow_check(ACT_SEND_BACK, ROLE_BIT(ROLE_LEADER), &c, NULL),
	    WF_NOT_AT_STEP);
	/* Nobody: forbidden, once the state allows the action. */
	assert_int_equal(workflow_check(ACT_ASSIGN, 0, &c, NULL), WF_FORBIDDEN_ROLE);
	/* Admins and monitors run the system but do not handle dossiers. */
	assert_int_equal(workflow_allowed(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_MONITOR), &c), 0);
}

/* The listing for the UI agrees with workflow_check() everywhere. */
static void
allowed_agrees(const struct wf_context *c, void *arg)
{
	role_mask m;
	int a;

	(void)arg;
	for (m = 0; m <= ALL_ACTORS; m++) {
		unsigned long long got = workflow_allowed(m, c), want = 0;

		for (a = 0; a < ACT__MAX; a++)
			if (workflow_check((enum dossier_action)a, m, c, NULL) == WF_OK)
				want |= 1ULL << a;
		assert_true(got == want);
		assert_int_equal(got >> ACT__MAX, 0);
	}
}

static void
test_allowed_agrees_with_check(void **state)
{
	(void)state;
	each_context(allowed_agrees, NULL);
	assert_int_equal(workflow_allowed(ALL_ACTORS, NULL), 0);
}

/* What the desk sees on the buttons, written out. */
static void
test_allowed_examples(void **state)
{
	struct wf_context c = { STATE_SUBMITTED, STATE_PROCESSING, 0, 3, ROLE_DESK };

	(void)state;
	assert_true(workflow_allowed(ROLE_BIT(ROLE_DESK), &c) ==
	    ((1ULL << ACT_ACCEPT) | (1ULL << ACT_NOT_ACCEPT) | (1ULL << ACT_REQUEST_SUPPLEMENT) |
	    (1ULL << ACT_WITHDRAW)));
	assert_true(workflow_allowed(ACTOR_APPLICANT, &c) == (1ULL << ACT_WITHDRAW));
	c.state = STATE_AWAITING_PAYMENT;
	assert_true(workflow_allowed(ACTOR_APPLICANT, &c) ==
	    ((1ULL << ACT_PAY) | (1ULL << ACT_WITHDRAW)));
	c.state = STATE_PROCESSING;
	c.step_index = 2;
	c.step_role = ROLE_LEADER;
	assert_true(workflow_allowed(ROLE_BIT(ROLE_LEADER), &c) ==
	    ((1ULL << ACT_ASSIGN) | (1ULL << ACT_SEND_BACK) | (1ULL << ACT_TRANSFER) |
	    (1ULL << ACT_TRANSFER_BACK) | (1ULL << ACT_SUSPEND) | (1ULL << ACT_REFUSE) |
	    (1ULL << ACT_RESOLVE) | (1ULL << ACT_APOLOGY)));
	assert_true(workflow_allowed(ACTOR_SYSTEM, &c) == (1ULL << ACT_RECALCULATE));
	c.state = STATE_RESOLVED;
	assert_true(workflow_allowed(ROLE_BIT(ROLE_DESK), &c) == (1ULL << ACT_RETURN));
}

static void
test_creations(void **state)
{
	struct wf_context c = { 0, STATE_PROCESSING, 0, 1, ROLE_DESK };
	enum dossier_state to;
	size_t i;
	int a;

	(void)state;
	for (i = 0; i < NELEMS(expect); i++) {
		for (a = 0; a < (int)NELEMS(actors); a++) {
			enum wf_verdict want = expect[i].creates == NULL ? WF_BAD_STATE :
			    in_list(expect[i].who, actors[a].name) ? WF_OK : WF_FORBIDDEN_ROLE;

			to = STATE__MAX;
			assert_int_equal(workflow_check_create(expect[i].a, actors[a].bit, &to), want);
			if (want == WF_OK)
				assert_string_equal(dossier_state_code(to), expect[i].creates);
			else
				assert_int_equal(to, STATE__MAX);
		}
		/* A creation is never a transition. */
		for (a = 0; expect[i].creates != NULL && a < STATE__MAX; a++) {
			c.state = (enum dossier_state)a;
			assert_int_equal(workflow_check(expect[i].a, ALL_ACTORS, &c, NULL),
			    WF_BAD_STATE);
		}
	}
	assert_int_equal(workflow_check_create(ACT__MAX, ALL_ACTORS, NULL), WF_BAD_STATE);
	assert_int_equal(workflow_check_create(ACT_RECEIVE, ROLE_BIT(ROLE_DESK), NULL), WF_OK);
	assert_true(workflow_can_receive(ROLE_BIT(ROLE_DESK)));
	assert_true(workflow_can_receive(ROLE_BIT(ROLE_DESK) | ROLE_BIT(ROLE_ADMIN)));
	assert_false(workflow_can_receive(ROLE_BIT(ROLE_SPECIALIST) | ROLE_BIT(ROLE_LEADER)));
	assert_false(workflow_can_receive(ACTOR_APPLICANT));
	assert_false(workflow_can_receive(0));
}

static void
test_action_flags(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(expect); i++) {
		const struct expect *e = &expect[i];

		assert_int_equal(workflow_action_needs_reason(e->a), e->reason);
		assert_int_equal(workflow_action_needs_items(e->a), e->items);
		assert_int_equal(workflow_action_needs_new_date(e->a), e->new_date);
		assert_int_equal(workflow_action_needs_waybill(e->a, CHANNEL_POSTAL), e->waybill);
		assert_int_equal(workflow_action_needs_waybill(e->a, CHANNEL_DIRECT), 0);
		assert_int_equal(workflow_action_needs_waybill(e->a, CHANNEL_ONLINE), 0);
		assert_int_equal(workflow_action_starts_clock(e->a), e->starts);
		assert_int_equal(workflow_action_pauses(e->a), e->pauses);
		assert_int_equal(workflow_action_resumes(e->a), e->resumes);
		assert_int_equal(workflow_action_moves_step(e->a), e->move);
		assert_int_equal(workflow_action_is_public(e->a), e->public);
	}
	assert_false(workflow_action_needs_reason(ACT__MAX));
	assert_false(workflow_action_is_public((enum dossier_action)-1));
	assert_int_equal(workflow_action_moves_step(ACT__MAX), 0);
}

/* A pausing action pauses only a running clock; every one of them leads to a paused
 * state, and every resuming action leaves one. */
static void
test_clock(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(workflow_clock(ACT_ACCEPT, STATE_SUBMITTED, STATE_PROCESSING),
	    WF_CLOCK_START);
	assert_int_equal(workflow_clock(ACT_RECEIVE, STATE__MAX, STATE_PROCESSING),
	    WF_CLOCK_START);
	assert_int_equal(workflow_clock(ACT_REQUEST_SUPPLEMENT, STATE_PROCESSING,
	    STATE_AWAITING_SUPPLEMENT), WF_CLOCK_PAUSE);
	assert_int_equal(workflow_clock(ACT_REQUEST_SUPPLEMENT, STATE_SUBMITTED,
	    STATE_AWAITING_SUPPLEMENT), WF_CLOCK_KEEP);
	assert_int_equal(workflow_clock(ACT_SUPPLEMENT, STATE_AWAITING_SUPPLEMENT,
	    STATE_PROCESSING), WF_CLOCK_RESUME);
	assert_int_equal(workflow_clock(ACT_SUPPLEMENT, STATE_AWAITING_SUPPLEMENT,
	    STATE_SUBMITTED), WF_CLOCK_KEEP);
	assert_int_equal(workflow_clock(ACT_REQUEST_PAYMENT, STATE_PROCESSING,
	    STATE_AWAITING_PAYMENT), WF_CLOCK_PAUSE);
	assert_int_equal(workflow_clock(ACT_PAY, STATE_AWAITING_PAYMENT, STATE_PROCESSING),
	    WF_CLOCK_RESUME);
	assert_int_equal(workflow_clock(ACT_SUSPEND, STATE_PROCESSING, STATE_SUSPENDED),
	    WF_CLOCK_PAUSE);
	assert_int_equal(workflow_clock(ACT_RESUME, STATE_SUSPENDED, STATE_PROCESSING),
	    WF_CLOCK_RESUME);
	assert_int_equal(workflow_clock(ACT_FORWARD, STATE_PROCESSING, STATE_PROCESSING),
	    WF_CLOCK_KEEP);
	assert_int_equal(workflow_clock(ACT_WITHDRAW, STATE_SUSPENDED, STATE_WITHDRAWN),
	    WF_CLOCK_KEEP);
	for (i = 0; i < NELEMS(expect); i++) {
		const char *to = expect[i].to;
		int s = dossier_state_from_code(to, strlen(to));

		if (expect[i].pauses)
			assert_true(s >= 0 && dossier_state_is_paused((enum dossier_state)s));
		if (expect[i].resumes)
			assert_true(in_list(expect[i].from, "awaiting_supplement") ||
			    in_list(expect[i].from, "awaiting_payment") ||
			    in_list(expect[i].from, "suspended"));
	}
}

static void
test_out_of_range(void **state)
{
	struct wf_context c = { STATE_PROCESSING, STATE_PROCESSING, 0, 1, ROLE_LEADER };
	enum dossier_state to = STATE__MAX;

	(void)state;
	assert_int_equal(workflow_check(ACT__MAX, ALL_ACTORS, &c, &to), WF_BAD_STATE);
	assert_int_equal(workflow_check((enum dossier_action)-1, ALL_ACTORS, &c, &to),
	    WF_BAD_STATE);
	assert_int_equal(workflow_check(ACT_SUSPEND, ALL_ACTORS, NULL, &to), WF_BAD_STATE);
	c.state = STATE__MAX;
	assert_int_equal(workflow_check(ACT_SUSPEND, ALL_ACTORS, &c, &to), WF_BAD_STATE);
	c.state = (enum dossier_state)40;
	assert_int_equal(workflow_check(ACT_SUSPEND, ALL_ACTORS, &c, &to), WF_BAD_STATE);
	assert_int_equal(workflow_allowed(ALL_ACTORS, &c), 0);
	assert_int_equal(to, STATE__MAX);
	/* Bits beyond the known actors are ignored. */
	c.state = STATE_PROCESSING;
	assert_int_equal(workflow_check(ACT_SUSPEND, ~ALL_ACTORS, &c, &to), WF_FORBIDDEN_ROLE);
	assert_int_equal(workflow_check(ACT_SUSPEND, ~0u, &c, &to), WF_OK);
	assert_int_equal(to, STATE_SUSPENDED);
}

static void
test_role_codes_and_labels(void **state)
{
	static const struct {
		enum officer_role r;
		const char *code, *vi, *en;
	} roles[] = {
		{ ROLE_DESK, "desk", "Cán bộ một cửa", "One-stop desk officer" },
		{ ROLE_SPECIALIST, "specialist", "Chuyên viên", "Specialist" },
		{ ROLE_LEADER, "leader", "Lãnh đạo", "Leader" },
		{ ROLE_CLERK, "clerk", "Văn thư", "Clerk" },
		{ ROLE_ADMIN, "admin", "Quản trị", "Administrator" },
		{ ROLE_MONITOR, "monitor", "Giám sát", "Monitor" },
	};
	size_t i;

	(void)state;
	assert_int_equal(NELEMS(roles), ROLE__MAX);
	for (i = 0; i < NELEMS(roles); i++) {
		assert_string_equal(role_code(roles[i].r), roles[i].code);
		assert_string_equal(role_label_vi(roles[i].r), roles[i].vi);
		assert_string_equal(role_label_en(roles[i].r), roles[i].en);
		assert_int_equal(role_from_code(roles[i].code, strlen(roles[i].code)), roles[i].r);
	}
	assert_null(role_code(ROLE__MAX));
	assert_null(role_label_vi((enum officer_role)-1));
	assert_null(role_label_en(ROLE__MAX));
	/* Exact length: no prefixes, no longer words, no case folding. */
	assert_int_equal(role_from_code("desktop", 4), ROLE_DESK);
	assert_int_equal(role_from_code("desktop", 7), -1);
	assert_int_equal(role_from_code("des", 3), -1);
	assert_int_equal(role_from_code("Desk", 4), -1);
	assert_int_equal(role_from_code("", 0), -1);
	assert_int_equal(role_from_code(NULL, 4), -1);
	assert_int_equal(role_from_code("desk\0x", 6), -1);
}

static void
test_role_mask_parse(void **state)
{
	role_mask m = 0xdead;

	(void)state;
	assert_int_equal(role_mask_parse("", 0, &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(role_mask_parse("leader", 6, &m), 0);
	assert_int_equal(m, ROLE_BIT(ROLE_LEADER));
	assert_int_equal(role_mask_parse("desk,specialist,monitor", 23, &m), 0);
	assert_int_equal(m, ROLE_BIT(ROLE_DESK) | ROLE_BIT(ROLE_SPECIALIST) |
	    ROLE_BIT(ROLE_MONITOR));
	/* Only len bytes are read. */
	assert_int_equal(role_mask_parse("clerk,admin,xyz", 11, &m), 0);
	assert_int_equal(m, ROLE_BIT(ROLE_CLERK) | ROLE_BIT(ROLE_ADMIN));
	m = 0xdead;
	assert_int_equal(role_mask_parse("desk,,leader", 12, &m), -1);
	assert_int_equal(role_mask_parse(",desk", 5, &m), -1);
	assert_int_equal(role_mask_parse("desk,", 5, &m), -1);
	assert_int_equal(role_mask_parse("desk, leader", 12, &m), -1);
	assert_int_equal(role_mask_parse("boss", 4, &m), -1);
	assert_int_equal(role_mask_parse("applicant", 9, &m), -1);
	assert_int_equal(role_mask_parse(NULL, 0, &m), -1);
	assert_int_equal(role_mask_parse("desk", 4, NULL), -1);
	assert_int_equal(m, 0xdead);
}

static void
test_verdict_codes(void **state)
{
	(void)state;
	assert_string_equal(wf_verdict_code(WF_OK), "ok");
	assert_string_equal(wf_verdict_code(WF_BAD_STATE), "invalid_state");
	assert_string_equal(wf_verdict_code(WF_FORBIDDEN_ROLE), "forbidden_role");
	assert_string_equal(wf_verdict_code(WF_NOT_AT_STEP), "invalid_step");
	assert_null(wf_verdict_code(WF__MAX));
	assert_int_equal(wf_verdict_status(WF_OK), 200);
	assert_int_equal(wf_verdict_status(WF_BAD_STATE), 409);
	assert_int_equal(wf_verdict_status(WF_FORBIDDEN_ROLE), 403);
	assert_int_equal(wf_verdict_status(WF_NOT_AT_STEP), 409);
	assert_int_equal(wf_verdict_status(WF__MAX), 500);
}

static void
test_detail(void **state)
{
	static const char not_now[] = "Action 'return' is not allowed while the dossier is "
	    "'processing'.";
	struct wf_context c = { STATE_PROCESSING, STATE_PROCESSING, 1, 4, ROLE_SPECIALIST };
	char buf[256];
	int n;

	(void)state;
	n = workflow_detail(buf, sizeof(buf), WF_BAD_STATE, ACT_RETURN, &c);
	assert_string_equal(buf, not_now);
	assert_int_equal(n, (int)strlen(not_now));
	workflow_detail(buf, sizeof(buf), WF_FORBIDDEN_ROLE, ACT_FORWARD, &c);
	assert_string_equal(buf, "Action 'forward' while the dossier is 'processing' is "
	    "reserved to: specialist, leader.");
	workflow_detail(buf, sizeof(buf), WF_FORBIDDEN_ROLE, ACT_WITHDRAW, &c);
	assert_string_equal(buf, "Action 'withdraw' while the dossier is 'processing' is "
	    "reserved to: desk, applicant.");
	workflow_detail(buf, sizeof(buf), WF_NOT_AT_STEP, ACT_RESOLVE, &c);
	assert_string_equal(buf, "Action 'resolve' is only allowed at the last step of the "
	    "process (the dossier is 'processing', at step 2 of 4).");
	workflow_detail(buf, sizeof(buf), WF_NOT_AT_STEP, ACT_SEND_BACK, &c);
	assert_string_equal(buf, "Action 'send_back' is not allowed at the first step of the "
	    "process (the dossier is 'processing').");
	c.step_index = 3;
	workflow_detail(buf, sizeof(buf), WF_NOT_AT_STEP, ACT_FORWARD, &c);
	assert_string_equal(buf, "Action 'forward' is not allowed at the last step of the "
	    "process (the dossier is 'processing', at step 4 of 4).");
	workflow_detail(buf, sizeof(buf), WF_BAD_STATE, ACT_RECEIVE, &c);
	assert_non_null(strstr(buf, "'receive'"));
	assert_non_null(strstr(buf, "'processing'"));
	c.state = STATE_AWAITING_SUPPLEMENT;
	c.paused_from = STATE_RESOLVED;
	workflow_detail(buf, sizeof(buf), WF_BAD_STATE, ACT_SUPPLEMENT, &c);
	assert_non_null(strstr(buf, "'supplement'"));
	assert_non_null(strstr(buf, "'awaiting_supplement'"));
	workflow_detail(buf, sizeof(buf), WF_OK, ACT_WITHDRAW, &c);
	assert_string_equal(buf, "Action 'withdraw' is allowed while the dossier is "
	    "'awaiting_supplement'.");
	/* Nonsense in, a sentence out. */
	workflow_detail(buf, sizeof(buf), WF__MAX, ACT__MAX, NULL);
	assert_non_null(strstr(buf, "'?'"));
	workflow_detail(buf, sizeof(buf), WF_FORBIDDEN_ROLE, ACT__MAX, NULL);
	assert_non_null(strstr(buf, "'?'"));
	/* Truncation as snprintf: NUL-terminated, full length returned. */
	c.state = STATE_PROCESSING;
	n = workflow_detail(buf, 10, WF_BAD_STATE, ACT_RETURN, &c);
	assert_int_equal(n, (int)strlen(not_now));
	assert_string_equal(buf, "Action 'r");
	assert_int_equal(workflow_detail(NULL, 0, WF_BAD_STATE, ACT_RETURN, &c),
	    (int)strlen(not_now));
}

/* Every refusal the machine gives has a detail naming the action and the state. */
static void
detail_names_both(const struct wf_context *c, void *arg)
{
	char buf[256], want_a[64], want_s[64];
	size_t i;
	int a;

	(void)arg;
	snprintf(want_s, sizeof(want_s), "'%s'", dossier_state_code(c->state));
	for (a = 0; a < ACT__MAX; a++)
		for (i = 0; i < NELEMS(actors); i++) {
			enum wf_verdict v = workflow_check((enum dossier_action)a, actors[i].bit, c,
			    NULL);

			workflow_detail(buf, sizeof(buf), v, (enum dossier_action)a, c);
			snprintf(want_a, sizeof(want_a), "Action '%s'",
			    action_code((enum dossier_action)a));
			assert_true(strncmp(buf, want_a, strlen(want_a)) == 0);
			assert_non_null(strstr(buf, want_s));
			assert_true(strlen(buf) < sizeof(buf) - 1);
		}
}

static void
test_detail_names_action_and_state(void **state)
{
	(void)state;
	each_context(detail_names_both, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expect_table_complete),
		cmocka_unit_test(test_actor_bits),
		cmocka_unit_test(test_machine_single_actors),
		cmocka_unit_test(test_machine_every_mask),
		cmocka_unit_test(test_every_allowed_transition_lands),
		cmocka_unit_test(test_terminal_states_allow_nothing),
		cmocka_unit_test(test_supplement_returns_to_paused_from),
		cmocka_unit_test(test_forward_only_by_the_step_role),
		cmocka_unit_test(test_resolve_only_at_the_last_step),
		cmocka_unit_test(test_send_back_not_at_the_first_step),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_allowed_agrees_with_check),
		cmocka_unit_test(test_allowed_examples),
		cmocka_unit_test(test_creations),
		cmocka_unit_test(test_action_flags),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_role_codes_and_labels),
		cmocka_unit_test(test_role_mask_parse),
		cmocka_unit_test(test_verdict_codes),
		cmocka_unit_test(test_detail),
		cmocka_unit_test(test_detail_names_action_and_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
