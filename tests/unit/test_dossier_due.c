/*
 * The stored due date of a dossier (domain/dossier_due.h): pauses, running pauses, the
 * restart rule, repaired pauses. Default sessions (07:30-11:30, 13:00-17:00, Mon-Fri),
 * March 2025 (no holiday); every expectation worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "domain/calendar.h"
#include "domain/dossier_due.h"

static struct calendar cal;

/* March 2025, local time. */
static mc_time mar(int d, int h, int mi)
{
	struct civil c = { .year = 2025, .month = 3, .day = d, .hour = h, .min = mi };
	return time_from_local(&c);
}

static void assert_due(int restart, const struct dossier_pause *p, size_t n, mc_time want)
{
	mc_time due = 0;

	/* received Monday 03/03 08:00, 2 working days: Wednesday 05/03 08:00 without pauses */
	assert_int_equal(dossier_due_at(&cal, mar(3, 8, 0), 200, CAL_WORKING_DAYS, restart, p, n,
	                                &due), CAL_OK);
	if (due != want) {
		struct civil g, w;
		time_to_local(due, &g);
		time_to_local(want, &w);
		fail_msg("due %02d/%02d %02d:%02d, want %02d/%02d %02d:%02d", g.day, g.month, g.hour,
		         g.min, w.day, w.month, w.hour, w.min);
	}
}

static void test_no_pause(void **state)
{
	(void)state;
	assert_due(0, NULL, 0, mar(5, 8, 0));
	assert_due(1, NULL, 0, mar(5, 8, 0));
}

/* Monday 13:00 to Tuesday 13:00 is 8 working hours: Thursday 08:00. */
static void test_finished_pause(void **state)
{
	struct dossier_pause p[] = { { mar(3, 13, 0), mar(4, 13, 0), 0 } };
	(void)state;
	assert_due(0, p, 1, mar(6, 8, 0));
}

/* A running pause moves nothing until it ends. */
static void test_running_pause(void **state)
{
	struct dossier_pause p[] = { { mar(3, 13, 0), 0, 1 } };
	struct dossier_pause q[] = { { mar(3, 9, 0), mar(3, 10, 0), 0 }, { mar(3, 13, 0), 0, 0 } };
	(void)state;
	assert_due(0, p, 1, mar(5, 8, 0));
	assert_due(1, p, 1, mar(5, 8, 0));
	assert_due(0, q, 2, mar(5, 9, 0));
}

/* Restart: 2 full working days from Tuesday 13:00 end on Thursday 11:30 (a session end). */
static void test_restart_after_supplement(void **state)
{
	struct dossier_pause p[] = { { mar(3, 13, 0), mar(4, 13, 0), 1 } };
	(void)state;
	assert_due(1, p, 1, mar(6, 11, 30));
}

/* Restart forgets the payment pause before the supplement; without restart both count:
 * 1 h + 8 h after Wednesday 08:00 is Thursday 09:00. */
static void test_restart_forgets_earlier_pauses(void **state)
{
	struct dossier_pause p[] = {
		{ mar(3, 9, 0), mar(3, 10, 0), 0 },
		{ mar(3, 13, 0), mar(4, 13, 0), 1 },
	};
	(void)state;
	assert_due(1, p, 2, mar(6, 11, 30));
	assert_due(0, p, 2, mar(6, 9, 0));
}

/* A payment pause after the restart still counts: Thursday 11:30 + 1 h = 14:00. */
static void test_restart_keeps_later_pauses(void **state)
{
	struct dossier_pause p[] = {
		{ mar(3, 13, 0), mar(4, 13, 0), 1 },
		{ mar(4, 14, 0), mar(4, 15, 0), 0 },
	};
	(void)state;
	assert_due(1, p, 2, mar(6, 14, 0));
}

/* A pause recorded as starting before reception only counts from reception; pauses that
 * overlap are counted once; an empty one is dropped. */
static void test_repaired_pauses(void **state)
{
	struct dossier_pause before[] = { { mar(2, 10, 0), mar(3, 9, 0), 0 } };
	struct dossier_pause overlap[] = {
		{ mar(3, 9, 0), mar(3, 10, 0), 0 },
		{ mar(3, 9, 30), mar(3, 11, 0), 0 },   /* counts only 10:00-11:00 */
	};
	struct dossier_pause empty[] = { { mar(3, 9, 0), mar(3, 9, 0), 0 }, { mar(3, 10, 0), mar(3, 9, 0), 0 } };
	(void)state;
	assert_due(0, before, 1, mar(5, 9, 0));
	assert_due(0, overlap, 2, mar(5, 10, 0));
	assert_due(0, empty, 2, mar(5, 8, 0));
}

/* A pause that begins after the due has passed does not erase the lateness. */
static void test_pause_after_due(void **state)
{
	struct dossier_pause p[] = { { mar(7, 8, 0), mar(7, 10, 0), 0 } };
	(void)state;
	assert_due(0, p, 1, mar(5, 8, 0));
}

static void test_bad_arguments(void **state)
{
	mc_time due = 0;
	(void)state;
	assert_int_equal(dossier_due_at(&cal, mar(3, 8, 0), 200, CAL_WORKING_DAYS, 0, NULL, 1, &due),
	                 CAL_ERR_INVALID);
	assert_int_equal(dossier_due_at(&cal, mar(3, 8, 0), -1, CAL_WORKING_DAYS, 0, NULL, 0, &due),
	                 CAL_ERR_INVALID);
	assert_int_equal(due, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_pause),
		cmocka_unit_test(test_finished_pause),
		cmocka_unit_test(test_running_pause),
		cmocka_unit_test(test_restart_after_supplement),
		cmocka_unit_test(test_restart_forgets_earlier_pauses),
		cmocka_unit_test(test_restart_keeps_later_pauses),
		cmocka_unit_test(test_repaired_pauses),
		cmocka_unit_test(test_pause_after_due),
		cmocka_unit_test(test_bad_arguments),
	};

	calendar_init(&cal);
	return cmocka_run_group_tests_name("dossier_due", tests, NULL, NULL);
}
