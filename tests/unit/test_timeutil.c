/*
 * Tests for domain/timeutil: civil dates, UTC+7 local time, ISO and DB text.
 * Expected epoch values were computed independently with Python's datetime.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/timeutil.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	int y, m, d;
	int64_t days;
} day_cases[] = {
	{ 1970, 1, 1, 0 },
	{ 1969, 12, 31, -1 },
	{ 2000, 3, 1, 11017 },
	{ 2024, 2, 29, 19782 },
	{ 1600, 2, 29, -135081 },
	{ 2100, 3, 1, 47541 },
	{ 1, 1, 1, -719162 },
	{ 9999, 12, 31, 2932896 },
};

static void
test_days_from_civil(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(day_cases); i++)
		assert_int_equal(days_from_civil(day_cases[i].y, day_cases[i].m,
		    day_cases[i].d), day_cases[i].days);
}

static void
test_civil_from_days(void **state)
{
	int y, m, d;
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(day_cases); i++) {
		civil_from_days(day_cases[i].days, &y, &m, &d);
		assert_int_equal(y, day_cases[i].y);
		assert_int_equal(m, day_cases[i].m);
		assert_int_equal(d, day_cases[i].d);
	}
}

/* Every day from 0001-01-01 to 9999-12-31: the two conversions agree, the date is
 * valid, and consecutive day numbers are consecutive dates. */
static void
test_civil_round_trip_all_days(void **state)
{
	int64_t day;
	int y, m, d, py = 0, pm = 12, pd = 31;

	(void)state;
	for (day = -719162; day <= 2932896; day++) {
		civil_from_days(day, &y, &m, &d);
		assert_true(civil_valid_date(y, m, d));
		assert_int_equal(days_from_civil(y, m, d), day);
		if (d != 1)
			assert_true(y == py && m == pm && d == pd + 1);
		else if (m != 1)
			assert_true(y == py && m == pm + 1);
		else
			assert_true(y == py + 1 && pm == 12 && pd == 31);
		py = y;
		pm = m;
		pd = d;
	}
}

static void
test_civil_valid_date(void **state)
{
	static const struct {
		int y, m, d, valid;
	} cases[] = {
		{ 2024, 2, 29, 1 }, { 2023, 2, 29, 0 }, { 2000, 2, 29, 1 },
		{ 1900, 2, 29, 0 }, { 2100, 2, 29, 0 }, { 2400, 2, 29, 1 },
		{ 2025, 2, 28, 1 }, { 2025, 4, 30, 1 }, { 2025, 4, 31, 0 },
		{ 2025, 1, 31, 1 }, { 2025, 12, 31, 1 }, { 2025, 12, 32, 0 },
		{ 2025, 0, 1, 0 }, { 2025, 13, 1, 0 }, { 2025, 1, 0, 0 },
		{ 2025, 1, -1, 0 }, { 1, 1, 1, 1 }, { 0, 1, 1, 0 },
		{ 9999, 12, 31, 1 }, { 10000, 1, 1, 0 }, { -1, 1, 1, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(cases); i++)
		assert_int_equal(civil_valid_date(cases[i].y, cases[i].m, cases[i].d),
		    cases[i].valid);
}

/* Local civil time <-> UTC seconds, across day boundaries and before 1970. */
static const struct {
	mc_time t;
	struct civil c;
} local_cases[] = {
	{ 1741050000, { 2025, 3, 4, 8, 0, 0, 2 } },              /* a Tuesday */
	{ 1709225999, { 2024, 2, 29, 23, 59, 59, 4 } },          /* leap day, Thursday */
	{ 1709226000, { 2024, 3, 1, 0, 0, 0, 5 } },
	{ 0, { 1970, 1, 1, 7, 0, 0, 4 } },
	{ -1, { 1970, 1, 1, 6, 59, 59, 4 } },
	{ -25200, { 1970, 1, 1, 0, 0, 0, 4 } },
	{ -25201, { 1969, 12, 31, 23, 59, 59, 3 } },
	{ 253402275599, { 9999, 12, 31, 23, 59, 59, 5 } },
	{ -62135622000, { 1, 1, 1, 0, 0, 0, 1 } },
};

static void
test_time_to_local(void **state)
{
	struct civil c;
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(local_cases); i++) {
		memset(&c, 0xff, sizeof(c));
		time_to_local(local_cases[i].t, &c);
		assert_int_equal(c.year, local_cases[i].c.year);
		assert_int_equal(c.month, local_cases[i].c.month);
		assert_int_equal(c.day, local_cases[i].c.day);
		assert_int_equal(c.hour, local_cases[i].c.hour);
		assert_int_equal(c.min, local_cases[i].c.min);
		assert_int_equal(c.sec, local_cases[i].c.sec);
		assert_int_equal(c.wday, local_cases[i].c.wday);
	}
}

static void
test_time_from_local(void **state)
{
	struct civil c = { 2025, 3, 31, 24, 0, 0, 0 };
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(local_cases); i++)
		assert_int_equal(time_from_local(&local_cases[i].c), local_cases[i].t);
	/* Hour 24 rolls over linearly: 2025-04-01 00:00 local. */
	assert_int_equal(time_from_local(&c), 1743440400);
}

/* Extremes of mc_time must not overflow (UBSan watches). */
static void
test_time_to_local_extremes(void **state)
{
	struct civil c;
	char buf[26];

	(void)state;
	time_to_local(INT64_MAX, &c);
	assert_true(c.hour >= 0 && c.hour < 24 && c.wday >= 0 && c.wday < 7);
	time_to_local(INT64_MIN, &c);
	assert_true(c.hour >= 0 && c.hour < 24 && c.wday >= 0 && c.wday < 7);
	time_format_db(INT64_MIN, buf, sizeof(buf));
	time_format_db(INT64_MAX, buf, sizeof(buf));
	time_format_iso(INT64_MIN, buf, sizeof(buf));
	assert_true(local_day_number(INT64_MAX) > 0);
	assert_true(local_day_number(INT64_MIN) < 0);
}

static void
test_local_day_number(void **state)
{
	(void)state;
	/* 2025-03-10 00:00:00 local is 2025-03-09 17:00:00 UTC. */
	assert_int_equal(local_day_number(1741539600), days_from_civil(2025, 3, 10));
	assert_int_equal(local_day_number(1741539599), days_from_civil(2025, 3, 9));
	assert_int_equal(local_day_number(1741539600 + 86399), days_from_civil(2025, 3, 10));
	assert_int_equal(local_day_number(1741539600 + 86400), days_from_civil(2025, 3, 11));
	assert_int_equal(local_day_number(-25200), 0);
	assert_int_equal(local_day_number(-25201), -1);
}

static void
test_time_format_iso(void **state)
{
	char buf[26], small[11];

	(void)state;
	time_format_iso(1741050000, buf, sizeof(buf));
	assert_string_equal(buf, "2025-03-04T08:00:00+07:00");
	time_format_iso(1709225999, buf, sizeof(buf));
	assert_string_equal(buf, "2024-02-29T23:59:59+07:00");
	time_format_iso(-25201, buf, sizeof(buf));
	assert_string_equal(buf, "1969-12-31T23:59:59+07:00");
	time_format_iso(1741050000, small, sizeof(small));
	assert_string_equal(small, "2025-03-04");
}

static void
test_time_format_vn_date(void **state)
{
	char buf[11];

	(void)state;
	time_format_vn_date(1741050000, buf, sizeof(buf));
	assert_string_equal(buf, "04/03/2025");
	/* 17:00 UTC is already the next day in Vietnam. */
	time_format_vn_date(1709226000, buf, sizeof(buf));
	assert_string_equal(buf, "01/03/2024");
	time_format_vn_date(1709225999, buf, sizeof(buf));
	assert_string_equal(buf, "29/02/2024");
}

static void
test_time_format_db(void **state)
{
	char buf[20];

	(void)state;
	time_format_db(1741050000, buf, sizeof(buf));
	assert_string_equal(buf, "2025-03-04 01:00:00");
	time_format_db(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01 00:00:00");
	time_format_db(-1, buf, sizeof(buf));
	assert_string_equal(buf, "1969-12-31 23:59:59");
}

static const struct {
	const char *s;
	mc_time t;
} iso_good[] = {
	{ "2025-03-04", 1741021200 },                  /* local midnight */
	{ "2025-03-04T08:00", 1741050000 },
	{ "2025-03-04T08:00:00", 1741050000 },
	{ "2025-03-04T08:00:00+07:00", 1741050000 },
	{ "2025-03-04T01:00:00Z", 1741050000 },
	{ "2025-03-04T01:00Z", 1741050000 },
	{ "2025-03-04T01:00:00+00:00", 1741050000 },
	{ "2025-03-04T01:00:00-00:00", 1741050000 },
	{ "2025-03-03T20:00:00-05:00", 1741050000 },
	{ "2025-03-04T06:45:00+05:45", 1741050000 },
	{ "2025-03-04T00:00:00+23:59", 1740960060 },
	{ "2025-03-04T00:00:00-23:59", 1741132740 },
	{ "2024-02-29T23:59:59", 1709225999 },
	{ "2024-03-01T00:00:00", 1709226000 },
	{ "1970-01-01T00:00:00Z", 0 },
	{ "1969-12-31T23:59:59Z", -1 },
	{ "0001-01-01T00:00:00", -62135622000 },
	{ "9999-12-31T23:59:59", 253402275599 },
};

static const char *const iso_bad[] = {
	"", "2025", "2025-03", "2025-3-04", "2025-03-4", "25-03-04", "20250304",
	"2025-02-29", "2024-02-30", "2025-04-31", "2025-13-01", "2025-00-10",
	"2025-01-00", "0000-01-01", "+2025-03-04", " 2025-03-04", "2025-03-04 ",
	"2025-03-04T", "2025-03-04T08", "2025-03-04T8:00", "2025-03-04T08:0",
	"2025-03-04T08:00:", "2025-03-04T08:00:0", "2025-03-04T24:00",
	"2025-03-04T23:60", "2025-03-04T23:59:60", "2025-03-04 08:00",
	"2025-03-04t08:00", "2025-03-04T08:00z", "2025-03-04T08:00+0700",
	"2025-03-04T08:00+07", "2025-03-04T08:00+7:00", "2025-03-04T08:00+24:00",
	"2025-03-04T08:00+07:60", "2025-03-04T08:00:00.000Z", "2025-03-04T08:00:00.5",
	"2025-03-04Z", "2025-03-04+07:00", "2025-03-04T08:00:00Zjunk",
	"2025-03-04T08:00:00+07:00Z", "2025-03-04T08:00:00Z ", "2025-03-04T-8:00",
	"2025-03-04T08:00:00 +07:00", "２025-03-04", "2025-03-04T08:00:00*07:00",
};

static void
test_time_parse_iso_good(void **state)
{
	mc_time t;
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(iso_good); i++) {
		t = 42;
		assert_int_equal(time_parse_iso(iso_good[i].s, strlen(iso_good[i].s), &t), 0);
		assert_int_equal(t, iso_good[i].t);
	}
}

static void
test_time_parse_iso_bad(void **state)
{
	mc_time t = 42;
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(iso_bad); i++) {
		if (time_parse_iso(iso_bad[i], strlen(iso_bad[i]), &t) != -1)
			fail_msg("accepted \"%s\"", iso_bad[i]);
	}
	assert_int_equal(t, 42);    /* never written on failure */
	assert_int_equal(time_parse_iso(NULL, 0, &t), -1);
}

/* The length, not a NUL, ends the input. */
static void
test_time_parse_iso_length(void **state)
{
	static const char s[] = "2025-03-04T01:00:00Z";
	static const char nul[] = "2025-03-04\0T08:00";
	mc_time t;

	(void)state;
	assert_int_equal(time_parse_iso(s, 10, &t), 0);
	assert_int_equal(t, 1741021200);
	assert_int_equal(time_parse_iso(s, 16, &t), 0);
	assert_int_equal(t, 1741050000 - 7 * 3600);     /* 01:00 local, no Z seen */
	assert_int_equal(time_parse_iso(s, 15, &t), -1);
	assert_int_equal(time_parse_iso(s, 9, &t), -1);
	assert_int_equal(time_parse_iso(nul, sizeof(nul) - 1, &t), -1);
}

static void
test_time_parse_db(void **state)
{
	static const char *const bad[] = {
		"", "2025-03-04", "2025-03-04T01:00:00", "2025-03-04 01:00",
		"2025-03-04 01:00:00.000000", "2025-03-04 01:00:00Z", "0000-00-00 00:00:00",
		"2025-02-29 00:00:00", "2025-03-04 24:00:00", " 2025-03-04 01:00:00",
		"2025-03-04  01:00:00",
	};
	static const char s[] = "2025-03-04 01:00:00";
	mc_time t;
	size_t i;

	(void)state;
	assert_int_equal(time_parse_db(s, strlen(s), &t), 0);
	assert_int_equal(t, 1741050000);
	assert_int_equal(time_parse_db("1969-12-31 23:59:59", 19, &t), 0);
	assert_int_equal(t, -1);
	for (i = 0; i < NELEMS(bad); i++)
		if (time_parse_db(bad[i], strlen(bad[i]), &t) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(time_parse_db(s, strlen(s) - 1, &t), -1);
	assert_int_equal(time_parse_db(NULL, 0, &t), -1);
}

/* What the formatters write, the parsers read back to the same second. */
static void
test_format_parse_round_trip(void **state)
{
	char iso[26], db[20];
	mc_time t, back;

	(void)state;
	/* From 0001-01-01 00:00 UTC, the first second both texts can show. */
	for (t = -62135596800; t < 253402275599; t += 7777777) {
		time_format_iso(t, iso, sizeof(iso));
		assert_int_equal(time_parse_iso(iso, strlen(iso), &back), 0);
		assert_int_equal(back, t);
		time_format_db(t, db, sizeof(db));
		assert_int_equal(time_parse_db(db, strlen(db), &back), 0);
		assert_int_equal(back, t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_from_civil),
		cmocka_unit_test(test_civil_from_days),
		cmocka_unit_test(test_civil_round_trip_all_days),
		cmocka_unit_test(test_civil_valid_date),
		cmocka_unit_test(test_time_to_local),
		cmocka_unit_test(test_time_from_local),
		cmocka_unit_test(test_time_to_local_extremes),
		cmocka_unit_test(test_local_day_number),
		cmocka_unit_test(test_time_format_iso),
		cmocka_unit_test(test_time_format_vn_date),
		cmocka_unit_test(test_time_format_db),
		cmocka_unit_test(test_time_parse_iso_good),
		cmocka_unit_test(test_time_parse_iso_bad),
		cmocka_unit_test(test_time_parse_iso_length),
		cmocka_unit_test(test_time_parse_db),
		cmocka_unit_test(test_format_parse_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
