/*
 * Tests for domain/deadline: Form 06 classification by local (UTC+7) calendar day.
 * Epoch values were computed independently with Python's datetime.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/deadline.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define DUE          1741600800     /* 2025-03-10 17:00:00 local = 10:00:00 UTC */
#define DAY_START    1741539600     /* 2025-03-10 00:00:00 local = 2025-03-09 17:00 UTC */
#define NEXT_START   (DAY_START + 86400)
#define NOW          1741000000     /* any "now": finished dossiers ignore it */

static void
test_deadline_finished(void **state)
{
	static const struct {
		mc_time due, finished;
		enum deadline_status want;
	} cases[] = {
		{ DUE, DUE, DEADLINE_ON_TIME },
		{ DUE, DUE + 1, DEADLINE_ON_TIME },               /* after the hour, same day */
		{ DUE, NEXT_START - 1, DEADLINE_ON_TIME },        /* 23:59:59 local */
		{ DUE, NEXT_START, DEADLINE_LATE },               /* 00:00:00 local next day */
		{ DUE, NEXT_START + 30 * 86400, DEADLINE_LATE },
		{ DUE, DAY_START, DEADLINE_ON_TIME },             /* 00:00:00 local, same day */
		{ DUE, DAY_START - 1, DEADLINE_EARLY },           /* 23:59:59 local, day before */
		{ DUE, DAY_START - 365 * 86400, DEADLINE_EARLY },
		/* due at local midnight: the day is the one starting then */
		{ DAY_START, DAY_START - 1, DEADLINE_EARLY },
		{ DAY_START, NEXT_START - 1, DEADLINE_ON_TIME },
		{ DAY_START, NEXT_START, DEADLINE_LATE },
		/* the UTC day is not the local day: 2025-03-10 00:30 local is 03-09 in UTC */
		{ DUE, DAY_START + 1800, DEADLINE_ON_TIME },
		/* due 23:59:59 local, finished one second into the next local day */
		{ NEXT_START - 1, NEXT_START, DEADLINE_LATE },
		/* leap day: due 2024-02-29 23:59:59 local, done 2024-03-01 00:00:00 local */
		{ 1709225999, 1709226000, DEADLINE_LATE },
		{ 1709226000, 1709225999, DEADLINE_EARLY },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(cases); i++)
		if (deadline_classify(cases[i].due, cases[i].finished, NOW) != cases[i].want)
			fail_msg("case %zu: got %d, want %d", i,
			    deadline_classify(cases[i].due, cases[i].finished, NOW), cases[i].want);
}

static void
test_deadline_open(void **state)
{
	(void)state;
	assert_int_equal(deadline_classify(DUE, 0, DUE - 86400), DEADLINE_WITHIN);
	assert_int_equal(deadline_classify(DUE, 0, DUE - 1), DEADLINE_WITHIN);
	assert_int_equal(deadline_classify(DUE, 0, DUE), DEADLINE_WITHIN);
	assert_int_equal(deadline_classify(DUE, 0, DUE + 1), DEADLINE_OVERDUE);
	/* open dossiers go by the second, not the day */
	assert_int_equal(deadline_classify(DUE, 0, NEXT_START - 1), DEADLINE_OVERDUE);
}

static void
test_deadline_none(void **state)
{
	(void)state;
	assert_int_equal(deadline_classify(0, 0, NOW), DEADLINE_NONE);
	assert_int_equal(deadline_classify(0, DUE, NOW), DEADLINE_NONE);
}

static const struct {
	enum deadline_status s;
	const char *code, *vi;
} labels[] = {
	{ DEADLINE_NONE, "none", "Chưa tính hạn" },
	{ DEADLINE_WITHIN, "within", "Trong hạn" },
	{ DEADLINE_OVERDUE, "overdue", "Quá hạn" },
	{ DEADLINE_EARLY, "early", "Trước hạn" },
	{ DEADLINE_ON_TIME, "on_time", "Đúng hạn" },
	{ DEADLINE_LATE, "late", "Trễ hạn" },
};

static void
test_deadline_status_code(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(NELEMS(labels), DEADLINE__MAX);
	for (i = 0; i < NELEMS(labels); i++)
		assert_string_equal(deadline_status_code(labels[i].s), labels[i].code);
	assert_null(deadline_status_code(DEADLINE__MAX));
	assert_null(deadline_status_code((enum deadline_status)-1));
}

static void
test_deadline_status_label_vi(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(labels); i++)
		assert_string_equal(deadline_status_label_vi(labels[i].s), labels[i].vi);
	assert_null(deadline_status_label_vi(DEADLINE__MAX));
}

static void
test_deadline_status_label_en(void **state)
{
	const char *a;
	size_t i, j;

	(void)state;
	for (i = 0; i < NELEMS(labels); i++) {
		a = deadline_status_label_en(labels[i].s);
		assert_non_null(a);
		assert_true(strlen(a) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(a, deadline_status_label_en(labels[j].s));
	}
	assert_string_equal(deadline_status_label_en(DEADLINE_ON_TIME), "On time");
	assert_null(deadline_status_label_en(DEADLINE__MAX));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline_finished),
		cmocka_unit_test(test_deadline_open),
		cmocka_unit_test(test_deadline_none),
		cmocka_unit_test(test_deadline_status_code),
		cmocka_unit_test(test_deadline_status_label_vi),
		cmocka_unit_test(test_deadline_status_label_en),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
