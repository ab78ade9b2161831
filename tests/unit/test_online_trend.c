/*
 * Tests for domain/online_trend: which months of a unit's online dossiers the dashboard
 * flags as a jump, a drop or a fall to zero.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/online_trend.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct trend_case { long long prev, cur; enum trend_flag want; };

static void test_flags(void **state)
{
	static const struct trend_case cases[] = {
		{ -1, 500, TREND_NONE },        /* no previous month to compare with */
		{ 10, 12, TREND_NONE },         /* steady growth */
		{ 10, 29, TREND_NONE },         /* just under x3 */
		{ 10, 30, TREND_JUMP },         /* x3 exactly */
		{ 10, 100, TREND_JUMP },
		{ 0, 5, TREND_JUMP },           /* from nothing to a real number */
		{ 0, 4, TREND_NONE },           /* too few to mean anything */
		{ 1, 3, TREND_NONE },           /* x3, but tiny */
		{ 2, 6, TREND_JUMP },           /* x3 and enough of them */
		{ 12, 0, TREND_ZERO },
		{ 1, 0, TREND_ZERO },           /* even one then none: the commune stopped */
		{ 0, 0, TREND_NONE },
		{ 30, 10, TREND_DROP },         /* a third */
		{ 30, 11, TREND_NONE },
		{ 4, 1, TREND_NONE },           /* too few */
		{ 6, 2, TREND_DROP },
		{ 5, -1, TREND_NONE },
	};

	(void)state;
	for (size_t i = 0; i < NELEMS(cases); i++) {
		enum trend_flag got = trend_flag(cases[i].prev, cases[i].cur);
		if (got != cases[i].want)
			fail_msg("%lld -> %lld gave %d, want %d", cases[i].prev, cases[i].cur, got, cases[i].want);
	}
}

static void test_codes(void **state)
{
	(void)state;
	assert_null(trend_flag_code(TREND_NONE));
	assert_string_equal(trend_flag_code(TREND_JUMP), "jump");
	assert_string_equal(trend_flag_code(TREND_DROP), "drop");
	assert_string_equal(trend_flag_code(TREND_ZERO), "zero");
	assert_null(trend_flag_code(TREND__MAX));
	assert_null(trend_flag_code((enum trend_flag)-1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_codes),
	};
	return cmocka_run_group_tests_name("online_trend", tests, NULL, NULL);
}
