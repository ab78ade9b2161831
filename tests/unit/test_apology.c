/* The proposed date of a drafted apology letter (domain/apology.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/apology.h"

static mc_time local(int y, int mo, int d, int h, int mi)
{
	struct civil c = { .year = y, .month = mo, .day = d, .hour = h, .min = mi };
	return time_from_local(&c);
}

struct row {
	const char *what;
	mc_time due, now;
	int64_t amount;
	enum cal_time_unit unit;
	mc_time want;
};

static void table(void **state)
{
	struct calendar cal;
	/* expectations worked out by hand on the default sessions and Vietnam's 2025 days */
	const struct row rows[] = {
		{ "3 days, due ahead: one working day after the due time (a quarter is less)",
		  local(2025, 3, 5, 17, 0), local(2025, 3, 5, 9, 0), 300, CAL_WORKING_DAYS,
		  local(2025, 3, 6, 17, 0) },
		{ "20 days: a quarter is 5 working days",
		  local(2025, 3, 5, 10, 0), local(2025, 3, 4, 9, 0), 2000, CAL_WORKING_DAYS,
		  local(2025, 3, 12, 10, 0) },
		{ "already late: counted from now, not from the past due time",
		  local(2025, 3, 3, 10, 0), local(2025, 3, 5, 14, 0), 300, CAL_WORKING_DAYS,
		  local(2025, 3, 6, 14, 0) },
		{ "due on a Friday evening: the day added is Monday's",
		  local(2025, 3, 7, 17, 0), local(2025, 3, 7, 9, 0), 100, CAL_WORKING_DAYS,
		  local(2025, 3, 10, 17, 0) },
		{ "across Tết 2025: 10 working hours (a quarter of 5 days) from 03/02 07:30",
		  local(2025, 1, 24, 17, 0), local(2025, 1, 24, 9, 0), 500, CAL_WORKING_DAYS,
		  local(2025, 2, 4, 9, 30) },
		{ "hours: still at least one working day",
		  local(2025, 3, 5, 10, 0), local(2025, 3, 5, 9, 0), 400, CAL_HOURS,
		  local(2025, 3, 6, 10, 0) },
	};

	(void)state;
	calendar_init(&cal);
	assert_int_equal(calendar_seed_vn(&cal), CAL_OK);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		mc_time got = 0;
		assert_int_equal(apology_proposed_date(&cal, rows[i].due, rows[i].now, rows[i].amount,
		                                       rows[i].unit, &got), CAL_OK);
		if (got != rows[i].want)
			fail_msg("%s: got %lld, want %lld", rows[i].what, (long long)got, (long long)rows[i].want);
	}
	assert_int_equal(apology_proposed_date(&cal, 0, 0, -1, CAL_WORKING_DAYS, &(mc_time){ 0 }),
	                 CAL_ERR_INVALID);
	calendar_free(&cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(table) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
