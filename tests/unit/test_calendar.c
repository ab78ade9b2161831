/*
 * The working calendar and due dates. Every expected instant below was worked out by
 * hand from the sessions (07:30-11:30, 13:00-17:00) and the seeded holidays, and is
 * written as local time; none is computed with the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "domain/calendar.h"

/* The seeded calendar most cases read; built once in main(), never changed by a test. */
static struct calendar vn;

/* "YYYY-MM-DD HH:MM[:SS]" local time. */
static mc_time
at(const char *s)
{
	struct civil c;
	int n;

	memset(&c, 0, sizeof(c));
	n = sscanf(s, "%d-%d-%d %d:%d:%d", &c.year, &c.month, &c.day, &c.hour, &c.min,
	    &c.sec);
	assert_true(n == 5 || n == 6);
	return time_from_local(&c);
}

/* "YYYY-MM-DD" as a local day number. */
static int64_t
day(const char *s)
{
	int y, m, d;

	assert_int_equal(sscanf(s, "%d-%d-%d", &y, &m, &d), 3);
	return days_from_civil(y, m, d);
}

/* Compares as text so that a failure prints both instants readably. */
static void
assert_local(mc_time got, const char *want)
{
	struct civil c;
	char buf[40];

	time_to_local(got, &c);
	if (c.sec != 0)
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d",
		    c.year, c.month, c.day, c.hour, c.min, c.sec);
	else
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d",
		    c.year, c.month, c.day, c.hour, c.min);
	assert_string_equal(buf, want);
}

/* ---- Due dates: one test per row. ---- */

struct due_case {
	const char *name;
	const char *received;
	int64_t amount;                 /* hundredths */
	enum cal_time_unit unit;
	const char *start;              /* expected effective start */
	const char *due;
	enum cal_start_reason why;
};

#define WD CAL_WORKING_DAYS
#define CD CAL_CALENDAR_DAYS
#define HR CAL_HOURS
#define IN CAL_START_AT_RECEPTION
#define OUT CAL_START_OUTSIDE_HOURS
#define OFF CAL_START_DAY_OFF

static struct due_case due_cases[] = {
	/* Session boundaries, Monday 3/3/2025. */
	{ "mon 07:30 +1d ends at 17:00", "2025-03-03 07:30", 100, WD,
	    "2025-03-03 07:30", "2025-03-03 17:00", IN },
	{ "mon 13:00 +0.5d ends at 17:00", "2025-03-03 13:00", 50, WD,
	    "2025-03-03 13:00", "2025-03-03 17:00", IN },
	{ "mon 14:00 +1d is tue 14:00", "2025-03-03 14:00", 100, WD,
	    "2025-03-03 14:00", "2025-03-04 14:00", IN },
	{ "mon 07:30 +0.5d ends at 11:30", "2025-03-03 07:30", 50, WD,
	    "2025-03-03 07:30", "2025-03-03 11:30", IN },
	{ "mon 09:00 +0.5d crosses lunch", "2025-03-03 09:00", 50, WD,
	    "2025-03-03 09:00", "2025-03-03 14:30", IN },
	{ "reception 16:59", "2025-03-03 16:59", 100, WD,
	    "2025-03-03 16:59", "2025-03-04 16:59", IN },
	{ "reception 17:01", "2025-03-03 17:01", 100, WD,
	    "2025-03-04 07:30", "2025-03-04 17:00", OUT },
	{ "reception 17:00 exactly", "2025-03-03 17:00", 100, WD,
	    "2025-03-04 07:30", "2025-03-04 17:00", OUT },
	{ "reception at lunch +0.5d", "2025-03-03 12:00", 50, WD,
	    "2025-03-03 13:00", "2025-03-03 17:00", OUT },
	{ "reception at lunch +1d", "2025-03-03 12:00", 100, WD,
	    "2025-03-03 13:00", "2025-03-04 11:30", OUT },
	{ "reception 11:30 exactly", "2025-03-03 11:30", 100, WD,
	    "2025-03-03 13:00", "2025-03-04 11:30", OUT },
	{ "reception 06:00", "2025-03-03 06:00", 100, WD,
	    "2025-03-03 07:30", "2025-03-03 17:00", OUT },
	{ "reception saturday", "2025-03-08 10:00", 100, WD,
	    "2025-03-10 07:30", "2025-03-10 17:00", OFF },
	{ "reception sunday night", "2025-03-09 21:00", 50, WD,
	    "2025-03-10 07:30", "2025-03-10 11:30", OFF },
	{ "zero amount on saturday", "2025-03-08 10:00", 0, WD,
	    "2025-03-10 07:30", "2025-03-10 07:30", OFF },
	/* Lengths. */
	{ "friday 14:00 +1d over weekend", "2025-03-07 14:00", 100, WD,
	    "2025-03-07 14:00", "2025-03-10 14:00", IN },
	{ "+0.25d", "2025-03-03 07:30", 25, WD,
	    "2025-03-03 07:30", "2025-03-03 09:30", IN },
	{ "+1.5d", "2025-03-03 07:30", 150, WD,
	    "2025-03-03 07:30", "2025-03-04 11:30", IN },
	{ "+3d", "2025-03-03 07:30", 300, WD,
	    "2025-03-03 07:30", "2025-03-05 17:00", IN },
	{ "+5d", "2025-03-03 07:30", 500, WD,
	    "2025-03-03 07:30", "2025-03-07 17:00", IN },
	{ "+10d", "2025-03-03 07:30", 1000, WD,
	    "2025-03-03 07:30", "2025-03-14 17:00", IN },
	{ "+15d", "2025-03-03 07:30", 1500, WD,
	    "2025-03-03 07:30", "2025-03-21 17:00", IN },
	{ "+20d", "2025-03-03 07:30", 2000, WD,
	    "2025-03-03 07:30", "2025-03-28 17:00", IN },
	{ "wed 10:00 +3d over weekend", "2025-03-05 10:00", 300, WD,
	    "2025-03-05 10:00", "2025-03-10 10:00", IN },
	{ "wed 10:00 +5d over weekend", "2025-03-05 10:00", 500, WD,
	    "2025-03-05 10:00", "2025-03-12 10:00", IN },
	/* Holidays and make-up days of the seed. */
	{ "+10d over hung kings 2025", "2025-03-31 07:30", 1000, WD,
	    "2025-03-31 07:30", "2025-04-14 17:00", IN },
	{ "tet 2025: fri 24/1 10:00 +3d", "2025-01-24 10:00", 300, WD,
	    "2025-01-24 10:00", "2025-02-05 10:00", IN },
	{ "tet 2025: received during tet", "2025-01-28 09:00", 100, WD,
	    "2025-02-03 07:30", "2025-02-03 17:00", OFF },
	{ "tet 2025: fri 16:00 +0.5d", "2025-01-24 16:00", 50, WD,
	    "2025-01-24 16:00", "2025-02-03 10:30", IN },
	{ "tet 2026: fri 13/2 10:00 +3d", "2026-02-13 10:00", 300, WD,
	    "2026-02-13 10:00", "2026-02-25 10:00", IN },
	{ "tet 2026: thu 12/2 +5d", "2026-02-12 07:30", 500, WD,
	    "2026-02-12 07:30", "2026-02-25 17:00", IN },
	{ "tet 2027: wed 3/2 08:00 +1d", "2027-02-03 08:00", 100, WD,
	    "2027-02-03 08:00", "2027-02-11 08:00", IN },
	{ "make-up saturday 26/4/2025 counts", "2025-04-25 07:30", 200, WD,
	    "2025-04-25 07:30", "2025-04-26 17:00", IN },
	{ "received on make-up saturday", "2025-04-26 09:00", 100, WD,
	    "2025-04-26 09:00", "2025-04-28 09:00", IN },
	{ "30/4-4/5 2025 skipped", "2025-04-29 07:30", 200, WD,
	    "2025-04-29 07:30", "2025-05-05 17:00", IN },
	{ "received on 30/4/2025", "2025-04-30 10:00", 100, WD,
	    "2025-05-05 07:30", "2025-05-05 17:00", OFF },
	{ "received on swapped 2/5/2025", "2025-05-02 08:00", 50, WD,
	    "2025-05-05 07:30", "2025-05-05 11:30", OFF },
	{ "national day 2025", "2025-08-29 13:00", 100, WD,
	    "2025-08-29 13:00", "2025-09-03 11:30", IN },
	{ "hung kings 2026 on sunday, monday off", "2026-04-24 07:30", 200, WD,
	    "2026-04-24 07:30", "2026-04-28 17:00", IN },
	{ "new year 2026 with 2/1 swapped", "2025-12-31 07:30", 200, WD,
	    "2025-12-31 07:30", "2026-01-05 17:00", IN },
	{ "make-up saturday 10/1/2026 counts", "2026-01-09 13:00", 100, WD,
	    "2026-01-09 13:00", "2026-01-10 11:30", IN },
	{ "1/5/2027 saturday, monday 3/5 off", "2027-04-29 07:30", 200, WD,
	    "2027-04-29 07:30", "2027-05-04 17:00", IN },
	/* Hours. */
	{ "4 h over lunch", "2025-03-03 10:00", 400, HR,
	    "2025-03-03 10:00", "2025-03-03 15:30", IN },
	{ "2 h overnight", "2025-03-03 16:00", 200, HR,
	    "2025-03-03 16:00", "2025-03-04 08:30", IN },
	{ "24 h = three days", "2025-03-03 07:30", 2400, HR,
	    "2025-03-03 07:30", "2025-03-05 17:00", IN },
	{ "0.25 h lands on 11:30", "2025-03-03 11:15", 25, HR,
	    "2025-03-03 11:15", "2025-03-03 11:30", IN },
	{ "0.5 h crosses lunch", "2025-03-03 11:15", 50, HR,
	    "2025-03-03 11:15", "2025-03-03 13:15", IN },
	{ "0.75 h over lunch", "2025-03-03 11:15", 75, HR,
	    "2025-03-03 11:15", "2025-03-03 13:30", IN },
	{ "1 h from friday evening", "2025-03-07 18:00", 100, HR,
	    "2025-03-10 07:30", "2025-03-10 08:30", OUT },
	/* Calendar days. */
	{ "calendar days ending on sunday", "2025-03-05 10:00", 400, CD,
	    "2025-03-05 10:00", "2025-03-10 17:00", IN },
	{ "calendar days ending on saturday", "2025-03-03 09:00", 500, CD,
	    "2025-03-03 09:00", "2025-03-10 17:00", IN },
	{ "calendar days ending on a weekday", "2025-03-03 09:00", 1000, CD,
	    "2025-03-03 09:00", "2025-03-13 09:00", IN },
	{ "calendar days ending on hung kings 2025", "2025-03-31 09:00", 700, CD,
	    "2025-03-31 09:00", "2025-04-08 17:00", IN },
	{ "calendar days ending in tet 2025", "2025-01-15 08:00", 1500, CD,
	    "2025-01-15 08:00", "2025-02-03 17:00", IN },
	{ "30 calendar days ending in tet 2026", "2026-01-19 08:00", 3000, CD,
	    "2026-01-19 08:00", "2026-02-23 17:00", IN },
	{ "calendar days received saturday", "2025-03-08 10:00", 200, CD,
	    "2025-03-10 07:30", "2025-03-12 07:30", OFF },
	{ "0.5 calendar day ends in the evening", "2025-03-03 09:00", 50, CD,
	    "2025-03-03 09:00", "2025-03-03 21:00", IN },
	{ "calendar days ending on make-up saturday", "2025-04-21 10:00", 500, CD,
	    "2025-04-21 10:00", "2025-04-26 10:00", IN },
};

static void
test_due_case(void **state)
{
	const struct due_case *c = *state;
	struct cal_explain ex;
	mc_time due = 0;

	cal_explain_init(&ex, NULL, 0);
	assert_int_equal(calendar_due(&vn, at(c->received), c->amount, c->unit, &due, &ex),
	    CAL_OK);
	assert_local(due, c->due);
	assert_local(ex.start, c->start);
	assert_local(ex.due, c->due);
	assert_true(ex.received == at(c->received));
	assert_string_equal(cal_start_reason_code(ex.start_reason),
	    cal_start_reason_code(c->why));
	assert_int_equal(ex.paused_seconds, 0);
	assert_int_equal(ex.ndays, 0);
}

/* ---- Working time between two instants, in both orders. ---- */

struct between_case {
	const char *name, *a, *b;
	int64_t secs;
};

static struct between_case between_cases[] = {
	{ "between: a whole day", "2025-03-03 07:30", "2025-03-03 17:00", 28800 },
	{ "between: zero length", "2025-03-03 10:00", "2025-03-03 10:00", 0 },
	{ "between: zero length at night", "2025-03-03 22:00", "2025-03-03 22:00", 0 },
	{ "between: inside lunch", "2025-03-03 11:45", "2025-03-03 12:59", 0 },
	{ "between: across lunch", "2025-03-03 11:00", "2025-03-03 13:30", 3600 },
	{ "between: over a weekend", "2025-03-07 16:00", "2025-03-10 08:30", 7200 },
	{ "between: a weekend alone", "2025-03-08 00:00", "2025-03-10 00:00", 0 },
	{ "between: a week", "2025-03-03 00:00", "2025-03-10 00:00", 144000 },
	{ "between: over tet 2025", "2025-01-24 07:30", "2025-02-04 07:30", 57600 },
	{ "between: make-up saturday", "2025-04-26 00:00", "2025-04-27 00:00", 28800 },
	{ "between: pause over 30/4-4/5 2025", "2025-04-29 10:00", "2025-05-05 10:00",
	    28800 },
};

static void
test_between_case(void **state)
{
	const struct between_case *c = *state;

	assert_int_equal(calendar_working_seconds_between(&vn, at(c->a), at(c->b)), c->secs);
	assert_int_equal(calendar_working_seconds_between(&vn, at(c->b), at(c->a)), c->secs);
}

/* ---- Adding working seconds to an instant. ---- */

struct add_case {
	const char *name, *from;
	int64_t secs;
	const char *want;
};

static struct add_case add_cases[] = {
	{ "add: zero keeps a session end", "2025-03-03 17:00", 0, "2025-03-03 17:00" },
	{ "add: zero keeps a night instant", "2025-03-03 20:00", 0, "2025-03-03 20:00" },
	{ "add: one second after 17:00", "2025-03-03 17:00", 1, "2025-03-04 07:30:01" },
	{ "add: one minute after 11:30", "2025-03-03 11:30", 60, "2025-03-03 13:01" },
	{ "add: over a weekend", "2025-03-07 16:00", 7200, "2025-03-10 08:30" },
	{ "add: from saturday", "2025-03-08 10:00", 14400, "2025-03-10 11:30" },
	{ "add: over 30/4-4/5 2025", "2025-04-29 10:00", 28800, "2025-05-05 10:00" },
};

static void
test_add_case(void **state)
{
	const struct add_case *c = *state;
	mc_time out = 0;

	assert_int_equal(calendar_add_working_seconds(&vn, at(c->from), c->secs, &out),
	    CAL_OK);
	assert_local(out, c->want);
}

/* ---- Explanations. ---- */

static void
assert_explained(const struct cal_explain_day *d, const char *date,
    enum cal_day_kind kind, const char *name)
{
	assert_int_equal(d->day, day(date));
	assert_string_equal(cal_day_kind_code(d->kind), cal_day_kind_code(kind));
	assert_string_equal(d->name, name);
}

static void
test_explain_tet_2025(void **state)
{
	static const char *const dates[] = {
		"2025-01-25", "2025-01-26", "2025-01-27", "2025-01-28", "2025-01-29",
		"2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02",
	};
	struct cal_explain_day days[16];
	struct cal_explain ex;
	mc_time due;
	size_t i;

	(void)state;
	cal_explain_init(&ex, days, 16);
	assert_int_equal(calendar_due(&vn, at("2025-01-24 10:00"), 300, WD, &due, &ex),
	    CAL_OK);
	assert_int_equal(ex.total, 9);
	assert_int_equal(ex.ndays, 9);
	for (i = 0; i < 9; i++)
		assert_explained(&days[i], dates[i], CAL_DAY_HOLIDAY, "Tết Nguyên đán Ất Tỵ");
}

static void
test_explain_truncated(void **state)
{
	struct cal_explain_day days[3];
	struct cal_explain ex;
	mc_time due;

	(void)state;
	cal_explain_init(&ex, days, 3);
	assert_int_equal(calendar_due(&vn, at("2025-01-24 10:00"), 300, WD, &due, &ex),
	    CAL_OK);
	assert_local(due, "2025-02-05 10:00");
	assert_int_equal(ex.ndays, 3);
	assert_int_equal(ex.total, 9);
	assert_explained(&days[0], "2025-01-25", CAL_DAY_HOLIDAY, "Tết Nguyên đán Ất Tỵ");
	assert_explained(&days[2], "2025-01-27", CAL_DAY_HOLIDAY, "Tết Nguyên đán Ất Tỵ");

	/* No array at all: only the count. */
	cal_explain_init(&ex, NULL, 5);
	assert_int_equal(calendar_due(&vn, at("2025-01-24 10:00"), 300, WD, &due, &ex),
	    CAL_OK);
	assert_int_equal(ex.ndays, 0);
	assert_int_equal(ex.total, 9);
}

static void
test_explain_weekend_and_holiday(void **state)
{
	struct cal_explain_day days[8];
	struct cal_explain ex;
	mc_time due;

	(void)state;
	cal_explain_init(&ex, days, 8);
	assert_int_equal(calendar_due(&vn, at("2025-03-31 07:30"), 1000, WD, &due, &ex),
	    CAL_OK);
	assert_int_equal(ex.total, 5);
	assert_explained(&days[0], "2025-04-05", CAL_DAY_WEEKEND, "");
	assert_explained(&days[1], "2025-04-06", CAL_DAY_WEEKEND, "");
	assert_explained(&days[2], "2025-04-07", CAL_DAY_HOLIDAY,
	    "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
	assert_explained(&days[3], "2025-04-12", CAL_DAY_WEEKEND, "");
	assert_explained(&days[4], "2025-04-13", CAL_DAY_WEEKEND, "");
}

static void
test_explain_makeup_and_swap(void **state)
{
	struct cal_explain_day days[8];
	struct cal_explain ex;
	mc_time due;

	(void)state;
	/* Fri 25/4 +5 days: Fri, make-up Sat 26/4, Mon 28, Tue 29, then 30/4-4/5 off
	 * and Mon 5/5. */
	cal_explain_init(&ex, days, 8);
	assert_int_equal(calendar_due(&vn, at("2025-04-25 07:30"), 500, WD, &due, &ex),
	    CAL_OK);
	assert_local(due, "2025-05-05 17:00");
	assert_int_equal(ex.total, 7);
	assert_explained(&days[0], "2025-04-26", CAL_DAY_MAKEUP_WORKDAY,
	    "Làm bù cho ngày nghỉ 02/05/2025");
	assert_explained(&days[1], "2025-04-27", CAL_DAY_WEEKEND, "");
	assert_explained(&days[2], "2025-04-30", CAL_DAY_HOLIDAY, "Ngày Chiến thắng (30/4)");
	assert_explained(&days[3], "2025-05-01", CAL_DAY_HOLIDAY,
	    "Ngày Quốc tế Lao động (1/5)");
	assert_explained(&days[4], "2025-05-02", CAL_DAY_HOLIDAY,
	    "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)");
	assert_explained(&days[5], "2025-05-03", CAL_DAY_HOLIDAY, "Nghỉ lễ 30/4 - 1/5");
	assert_explained(&days[6], "2025-05-04", CAL_DAY_HOLIDAY, "Nghỉ lễ 30/4 - 1/5");
}

static void
test_explain_calendar_days(void **state)
{
	struct cal_explain_day days[8];
	struct cal_explain ex;
	mc_time due;

	(void)state;
	/* Nominal Sunday 9/3 10:00 moved over that Sunday only. */
	cal_explain_init(&ex, days, 8);
	assert_int_equal(calendar_due(&vn, at("2025-03-05 10:00"), 400, CD, &due, &ex),
	    CAL_OK);
	assert_int_equal(ex.total, 1);
	assert_explained(&days[0], "2025-03-09", CAL_DAY_WEEKEND, "");

	/* Received Saturday: the weekend before the start is listed; the due is a
	 * Wednesday, so nothing after. */
	cal_explain_init(&ex, days, 8);
	assert_int_equal(calendar_due(&vn, at("2025-03-08 10:00"), 200, CD, &due, &ex),
	    CAL_OK);
	assert_int_equal(ex.start_reason, CAL_START_DAY_OFF);
	assert_int_equal(ex.total, 2);
	assert_explained(&days[0], "2025-03-08", CAL_DAY_WEEKEND, "");
	assert_explained(&days[1], "2025-03-09", CAL_DAY_WEEKEND, "");

	/* Ending on Hùng Kings' day 2025. */
	cal_explain_init(&ex, days, 8);
	assert_int_equal(calendar_due(&vn, at("2025-03-31 09:00"), 700, CD, &due, &ex),
	    CAL_OK);
	assert_int_equal(ex.total, 1);
	assert_explained(&days[0], "2025-04-07", CAL_DAY_HOLIDAY,
	    "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
}

/* ---- Pauses and recomputation. ---- */

static void
recompute_expect(const struct calendar *cal, const char *received, int64_t amount,
    enum cal_time_unit unit, const struct cal_pause *p, size_t n, const char *want,
    int64_t paused)
{
	struct cal_explain ex;
	mc_time due = 0;

	cal_explain_init(&ex, NULL, 0);
	assert_int_equal(calendar_recompute_due(cal, at(received), amount, unit, p, n,
	    &due, &ex), CAL_OK);
	assert_local(due, want);
	assert_int_equal(ex.paused_seconds, paused);
}

static void
test_recompute_holiday_added(void **state)
{
	struct calendar cal;
	struct cal_explain_day days[8];
	struct cal_explain ex;
	mc_time due;

	(void)state;
	calendar_init(&cal);
	assert_int_equal(calendar_seed_vn(&cal), CAL_OK);
	recompute_expect(&cal, "2025-03-10 07:30", 500, WD, NULL, 0, "2025-03-14 17:00", 0);

	/* An extraordinary day off on Wednesday 12/3, decided while the dossier is open. */
	assert_int_equal(calendar_set_special(&cal, day("2025-03-12"), CAL_DAY_HOLIDAY,
	    "Nghỉ đột xuất"), CAL_OK);
	cal_explain_init(&ex, days, 8);
	assert_int_equal(calendar_recompute_due(&cal, at("2025-03-10 07:30"), 500, WD,
	    NULL, 0, &due, &ex), CAL_OK);
	assert_local(due, "2025-03-17 17:00");
	assert_int_equal(ex.total, 3);
	assert_explained(&days[0], "2025-03-12", CAL_DAY_HOLIDAY, "Nghỉ đột xuất");
	assert_explained(&days[1], "2025-03-15", CAL_DAY_WEEKEND, "");

	/* And a make-up Saturday 15/3 gives the day back. */
	assert_int_equal(calendar_set_special(&cal, day("2025-03-15"),
	    CAL_DAY_MAKEUP_WORKDAY, "Làm bù"), CAL_OK);
	recompute_expect(&cal, "2025-03-10 07:30", 500, WD, NULL, 0, "2025-03-15 17:00", 0);

	assert_int_equal(calendar_remove_special(&cal, day("2025-03-15")), CAL_OK);
	assert_int_equal(calendar_remove_special(&cal, day("2025-03-12")), CAL_OK);
	recompute_expect(&cal, "2025-03-10 07:30", 500, WD, NULL, 0, "2025-03-14 17:00", 0);
	calendar_free(&cal);
}

static void
test_pause_simple(void **state)
{
	struct cal_pause p[1];

	(void)state;
	/* Tue 10:00 to Thu 10:00 = 5.5 h + 8 h + 2.5 h = 16 h. */
	p[0].from = at("2025-03-04 10:00");
	p[0].to = at("2025-03-06 10:00");
	recompute_expect(&vn, "2025-03-03 07:30", 500, WD, p, 1, "2025-03-11 17:00", 57600);
}

static void
test_pause_spans_holiday(void **state)
{
	struct cal_pause p[1];

	(void)state;
	recompute_expect(&vn, "2025-04-21 07:30", 1000, WD, NULL, 0, "2025-05-06 17:00", 0);
	/* Only Tue 29/4 10:00-17:00 (5.5 h) and Mon 5/5 07:30-10:00 (2.5 h) count. */
	p[0].from = at("2025-04-29 10:00");
	p[0].to = at("2025-05-05 10:00");
	recompute_expect(&vn, "2025-04-21 07:30", 1000, WD, p, 1, "2025-05-07 17:00", 28800);
}

static void
test_pause_after_due(void **state)
{
	struct cal_pause p[1];

	(void)state;
	p[0].from = at("2025-03-04 08:00");
	p[0].to = at("2025-03-05 08:00");
	recompute_expect(&vn, "2025-03-03 07:30", 100, WD, p, 1, "2025-03-03 17:00", 0);
	/* Beginning exactly at the due: the time had run out. */
	p[0].from = at("2025-03-03 17:00");
	recompute_expect(&vn, "2025-03-03 07:30", 100, WD, p, 1, "2025-03-03 17:00", 0);
}

static void
test_pause_from_lunch(void **state)
{
	struct cal_pause p[1];

	(void)state;
	/* 4 h used by the pause at Mon 12:00, 4 h left from Tue 13:00. */
	p[0].from = at("2025-03-03 12:00");
	p[0].to = at("2025-03-04 12:00");
	recompute_expect(&vn, "2025-03-03 07:30", 100, WD, p, 1, "2025-03-04 17:00", 28800);
}

static void
test_pause_two(void **state)
{
	struct cal_pause p[2];

	(void)state;
	/* 2 h paused Monday moves Wed 17:00 to Thu 09:30; the second pause begins
	 * before that, takes 2 h more: Thu 11:30, the end of a session. */
	p[0].from = at("2025-03-03 09:30");
	p[0].to = at("2025-03-03 13:00");
	p[1].from = at("2025-03-06 08:00");
	p[1].to = at("2025-03-06 10:00");
	recompute_expect(&vn, "2025-03-03 07:30", 300, WD, p, 2, "2025-03-06 11:30", 14400);
}

static void
test_pause_hours_unit(void **state)
{
	struct cal_pause p[1];

	(void)state;
	/* 8 h from Mon 07:30 is due Mon 17:00; paused Mon 15:00-Tue 09:00 takes
	 * 2 h + 1.5 h of working time. */
	p[0].from = at("2025-03-03 15:00");
	p[0].to = at("2025-03-04 09:00");
	recompute_expect(&vn, "2025-03-03 07:30", 800, HR, p, 1, "2025-03-04 11:00", 12600);
}

static void
test_pause_calendar_days(void **state)
{
	struct cal_pause p[1];

	(void)state;
	/* Nominal Thu 13/3 09:00 + 2 days of pause = Sat 15/3 09:00, moved to Mon. */
	p[0].from = at("2025-03-04 09:00");
	p[0].to = at("2025-03-06 09:00");
	recompute_expect(&vn, "2025-03-03 09:00", 1000, CD, p, 1, "2025-03-17 17:00",
	    172800);
}

static void
test_pause_before_start(void **state)
{
	struct cal_pause p[1];

	(void)state;
	/* Received Saturday and paused at once until Monday 10:00: the clock only started
	 * Monday 07:30, so 2.5 h of the pause count, in either unit. */
	p[0].from = at("2025-03-08 10:00");
	p[0].to = at("2025-03-10 10:00");
	recompute_expect(&vn, "2025-03-08 10:00", 100, WD, p, 1, "2025-03-11 10:00", 9000);
	recompute_expect(&vn, "2025-03-08 10:00", 200, CD, p, 1, "2025-03-12 10:00", 9000);
}

static void
test_pause_invalid(void **state)
{
	struct cal_pause p[2];
	mc_time due = 0;

	(void)state;
	p[0].from = at("2025-03-05 08:00");
	p[0].to = at("2025-03-05 09:00");
	p[1].from = at("2025-03-04 08:00");
	p[1].to = at("2025-03-04 09:00");
	assert_int_equal(calendar_recompute_due(&vn, at("2025-03-03 07:30"), 300, WD,
	    p, 2, &due, NULL), CAL_ERR_INVALID);        /* out of order */
	p[1].from = at("2025-03-05 08:30");
	p[1].to = at("2025-03-05 10:00");
	assert_int_equal(calendar_recompute_due(&vn, at("2025-03-03 07:30"), 300, WD,
	    p, 2, &due, NULL), CAL_ERR_INVALID);        /* overlapping */
	p[0].to = at("2025-03-05 07:00");
	assert_int_equal(calendar_recompute_due(&vn, at("2025-03-03 07:30"), 300, WD,
	    p, 1, &due, NULL), CAL_ERR_INVALID);        /* ends before it begins */
	p[0].from = at("2025-03-01 08:00");
	p[0].to = at("2025-03-04 08:00");
	assert_int_equal(calendar_recompute_due(&vn, at("2025-03-03 07:30"), 300, WD,
	    p, 1, &due, NULL), CAL_ERR_INVALID);        /* before reception */
	assert_int_equal(calendar_recompute_due(&vn, at("2025-03-03 07:30"), 300, WD,
	    NULL, 1, &due, NULL), CAL_ERR_INVALID);
	assert_true(due == 0);
}

static void
test_restart_after_supplement(void **state)
{
	mc_time due = 0;

	(void)state;
	/* Restarting the full time is a new computation from the resume instant. */
	assert_int_equal(calendar_due(&vn, at("2025-03-06 10:00"), 100, WD, &due, NULL),
	    CAL_OK);
	assert_local(due, "2025-03-07 10:00");
}

/* ---- Custom sessions. ---- */

static void
test_custom_saturday_morning(void **state)
{
	static const struct cal_session sat[] = { { 450, 690 } };
	struct calendar cal;
	struct cal_explain ex;
	mc_time due;

	(void)state;
	calendar_init(&cal);
	assert_int_equal(calendar_set_sessions(&cal, 6, sat, 1), CAL_OK);
	/* Fri 3 h, Sat 4 h, Mon 1 h. */
	assert_int_equal(calendar_due(&cal, at("2025-03-07 14:00"), 100, WD, &due, NULL),
	    CAL_OK);
	assert_local(due, "2025-03-10 08:30");
	/* Saturday noon is now outside hours on a working day. */
	cal_explain_init(&ex, NULL, 0);
	assert_int_equal(calendar_due(&cal, at("2025-03-08 12:00"), 50, WD, &due, &ex),
	    CAL_OK);
	assert_local(ex.start, "2025-03-10 07:30");
	assert_int_equal(ex.start_reason, CAL_START_OUTSIDE_HOURS);
	assert_local(due, "2025-03-10 11:30");
	/* Sat 08:00: 3.5 h on Saturday, 0.5 h on Monday. */
	assert_int_equal(calendar_due(&cal, at("2025-03-08 08:00"), 50, WD, &due, NULL),
	    CAL_OK);
	assert_local(due, "2025-03-10 08:00");
	/* Calendar days may now end on a Saturday; Sunday still moves. */
	assert_int_equal(calendar_due(&cal, at("2025-03-03 09:00"), 500, CD, &due, NULL),
	    CAL_OK);
	assert_local(due, "2025-03-08 09:00");
	assert_int_equal(calendar_due(&cal, at("2025-03-05 10:00"), 400, CD, &due, NULL),
	    CAL_OK);
	assert_local(due, "2025-03-10 17:00");
	/* A Tết Saturday stays off even where Saturdays are worked. */
	assert_int_equal(calendar_seed_vn(&cal), CAL_OK);
	assert_int_equal(calendar_due(&cal, at("2025-01-24 16:00"), 50, WD, &due, NULL),
	    CAL_OK);
	assert_local(due, "2025-02-03 10:30");
	calendar_free(&cal);
}

static void
test_custom_sessions_shapes(void **state)
{
	static const struct cal_session straight[] = { { 480, 960 } };
	static const struct cal_session four[] = {
		{ 420, 540 }, { 570, 690 }, { 780, 900 }, { 930, 1050 },
	};
	struct calendar cal;
	struct cal_explain ex;
	mc_time due;
	int wd;

	(void)state;
	calendar_init(&cal);
	for (wd = 1; wd <= 5; wd++)
		assert_int_equal(calendar_set_sessions(&cal, wd, straight, 1), CAL_OK);
	/* 08:00-16:00 without a lunch break: Mon 12:00 + 8 h = Tue 12:00. */
	assert_int_equal(calendar_due(&cal, at("2025-03-03 12:00"), 100, WD, &due, NULL),
	    CAL_OK);
	assert_local(due, "2025-03-04 12:00");

	/* Wednesday in four sessions: 09:00 falls in the first break. */
	assert_int_equal(calendar_set_sessions(&cal, 3, four, 4), CAL_OK);
	cal_explain_init(&ex, NULL, 0);
	assert_int_equal(calendar_due(&cal, at("2025-03-05 09:00"), 50, WD, &due, &ex),
	    CAL_OK);
	assert_local(ex.start, "2025-03-05 09:30");
	assert_local(due, "2025-03-05 15:00");
	/* A make-up day works Monday's sessions, here 08:00-16:00. */
	assert_int_equal(calendar_set_special(&cal, day("2025-03-08"),
	    CAL_DAY_MAKEUP_WORKDAY, "Làm bù"), CAL_OK);
	assert_int_equal(calendar_due(&cal, at("2025-03-07 15:00"), 50, WD, &due, NULL),
	    CAL_OK);
	assert_local(due, "2025-03-08 11:00");
	calendar_free(&cal);
}

static void
test_sessions_invalid(void **state)
{
	static const struct cal_session five[] = {
		{ 0, 60 }, { 60, 120 }, { 120, 180 }, { 180, 240 }, { 240, 300 },
	};
	static const struct cal_session overlap[] = { { 450, 700 }, { 690, 1020 } };
	static const struct cal_session touching[] = { { 450, 690 }, { 690, 1020 } };
	static const struct cal_session empty[] = { { 600, 600 } };
	static const struct cal_session late[] = { { 1380, 1441 } };
	static const struct cal_session whole[] = { { 0, 1440 } };
	struct calendar cal;

	(void)state;
	calendar_init(&cal);
	assert_int_equal(calendar_set_sessions(&cal, 1, five, 5), CAL_ERR_INVALID);
	assert_int_equal(calendar_set_sessions(&cal, 1, overlap, 2), CAL_ERR_INVALID);
	assert_int_equal(calendar_set_sessions(&cal, 1, empty, 1), CAL_ERR_INVALID);
	assert_int_equal(calendar_set_sessions(&cal, 1, late, 1), CAL_ERR_INVALID);
	assert_int_equal(calendar_set_sessions(&cal, 7, whole, 1), CAL_ERR_INVALID);
	assert_int_equal(calendar_set_sessions(&cal, -1, whole, 1), CAL_ERR_INVALID);
	assert_int_equal(calendar_set_sessions(&cal, 1, NULL, 1), CAL_ERR_INVALID);
	/* Refused changes left Monday as it was. */
	assert_int_equal(cal.week[1].n, 2);
	assert_int_equal(calendar_set_sessions(&cal, 1, touching, 2), CAL_OK);
	assert_int_equal(calendar_set_sessions(&cal, 1, five, 4), CAL_OK);
	assert_int_equal(calendar_set_sessions(&cal, 1, whole, 1), CAL_OK);
	assert_int_equal(calendar_set_sessions(&cal, 1, NULL, 0), CAL_OK);
	assert_false(calendar_is_working_day(&cal, day("2025-03-03")));
}

static void
test_no_working_time(void **state)
{
	struct calendar cal;
	mc_time due;
	int wd;

	(void)state;
	calendar_init(&cal);
	for (wd = 0; wd < 7; wd++)
		assert_int_equal(calendar_set_sessions(&cal, wd, NULL, 0), CAL_OK);
	assert_int_equal(calendar_due(&cal, at("2025-03-03 08:00"), 100, WD, &due, NULL),
	    CAL_ERR_NO_WORKING_TIME);
	assert_int_equal(calendar_due(&cal, at("2025-03-03 08:00"), 100, CD, &due, NULL),
	    CAL_ERR_NO_WORKING_TIME);
	assert_int_equal(calendar_working_seconds_between(&cal, at("2025-03-03 00:00"),
	    at("2025-04-03 00:00")), 0);
}

/* ---- Special days. ---- */

static void
test_special_days_api(void **state)
{
	char longname[CAL_NAME_MAX + 1];
	const struct cal_special_day *sd;
	struct calendar cal;

	(void)state;
	calendar_init(&cal);
	assert_null(calendar_special_at(&cal, day("2025-03-12")));
	assert_int_equal(calendar_remove_special(&cal, day("2025-03-12")), CAL_ERR_NOT_FOUND);
	assert_int_equal(calendar_set_special(&cal, day("2025-03-12"), CAL_DAY_HOLIDAY, "A"),
	    CAL_OK);
	assert_int_equal(calendar_set_special(&cal, day("2025-03-12"),
	    CAL_DAY_MAKEUP_WORKDAY, "B"), CAL_OK);
	assert_int_equal(cal.nspecial, 1);
	sd = calendar_special_at(&cal, day("2025-03-12"));
	assert_non_null(sd);
	assert_int_equal(sd->kind, CAL_DAY_MAKEUP_WORKDAY);
	assert_string_equal(sd->name, "B");

	assert_int_equal(calendar_set_special(&cal, day("2025-03-13"), CAL_DAY_WEEKEND, "x"),
	    CAL_ERR_INVALID);
	assert_int_equal(calendar_set_special(&cal, day("2025-03-13"), CAL_DAY__MAX, "x"),
	    CAL_ERR_INVALID);
	assert_int_equal(calendar_set_special(&cal, day("2025-03-13"), CAL_DAY_HOLIDAY, NULL),
	    CAL_ERR_INVALID);
	assert_int_equal(calendar_set_special(&cal, -1, CAL_DAY_HOLIDAY, "x"),
	    CAL_ERR_INVALID);
	assert_int_equal(calendar_set_special(&cal, CAL_DAY_MAX + 1, CAL_DAY_HOLIDAY, "x"),
	    CAL_ERR_INVALID);
	memset(longname, 'a', sizeof(longname));
	longname[CAL_NAME_MAX] = '\0';
	assert_int_equal(calendar_set_special(&cal, day("2025-03-13"), CAL_DAY_HOLIDAY,
	    longname), CAL_ERR_INVALID);
	longname[CAL_NAME_MAX - 1] = '\0';
	assert_int_equal(calendar_set_special(&cal, day("2025-03-13"), CAL_DAY_HOLIDAY,
	    longname), CAL_OK);
	assert_int_equal(strlen(calendar_special_at(&cal, day("2025-03-13"))->name),
	    CAL_NAME_MAX - 1);

	assert_int_equal(calendar_remove_special(&cal, day("2025-03-12")), CAL_OK);
	assert_null(calendar_special_at(&cal, day("2025-03-12")));
	assert_non_null(calendar_special_at(&cal, day("2025-03-13")));
	calendar_free(&cal);
	assert_int_equal(cal.nspecial, 0);
	assert_null(calendar_special_at(&cal, day("2025-03-13")));
	calendar_free(&cal);            /* twice is harmless */
}

static void
test_special_days_growth_sorted(void **state)
{
	struct calendar cal;
	int64_t first = day("2030-01-01"), i;
	size_t k;

	(void)state;
	calendar_init(&cal);
	/* Inserted backwards, interleaved: every insertion shifts the array. */
	for (i = 999; i >= 0; i -= 2)
		assert_int_equal(calendar_set_special(&cal, first + i, CAL_DAY_HOLIDAY, "odd"),
		    CAL_OK);
	for (i = 998; i >= 0; i -= 2)
		assert_int_equal(calendar_set_special(&cal, first + i, CAL_DAY_HOLIDAY,
		    "even"), CAL_OK);
	assert_int_equal(cal.nspecial, 1000);
	assert_true(cal.capspecial >= 1000);
	for (k = 0; k < cal.nspecial; k++)
		assert_int_equal(cal.special[k].day, first + (int64_t)k);
	for (i = 0; i < 1000; i += 97)
		assert_string_equal(calendar_special_at(&cal, first + i)->name,
		    i % 2 ? "odd" : "even");
	calendar_free(&cal);
}

static void
test_seed(void **state)
{
	static const struct {
		const char *date;
		enum cal_day_kind kind;
		const char *name;
	} spot[] = {
		{ "2025-01-01", CAL_DAY_HOLIDAY, "Tết Dương lịch" },
		{ "2025-01-27", CAL_DAY_HOLIDAY, "Tết Nguyên đán Ất Tỵ" },
		{ "2025-04-07", CAL_DAY_HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)" },
		{ "2025-04-26", CAL_DAY_MAKEUP_WORKDAY, "Làm bù cho ngày nghỉ 02/05/2025" },
		{ "2025-09-01", CAL_DAY_HOLIDAY, "Quốc khánh (ngày liền kề)" },
		{ "2026-01-02", CAL_DAY_HOLIDAY, "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)" },
		{ "2026-01-10", CAL_DAY_MAKEUP_WORKDAY, "Làm bù cho ngày nghỉ 02/01/2026" },
		{ "2026-02-20", CAL_DAY_HOLIDAY, "Tết Nguyên đán Bính Ngọ" },
		{ "2026-04-27", CAL_DAY_HOLIDAY, "Nghỉ bù Giỗ Tổ Hùng Vương" },
		{ "2026-09-01", CAL_DAY_HOLIDAY, "Quốc khánh (ngày liền kề)" },
		{ "2027-02-04", CAL_DAY_HOLIDAY, "Tết Nguyên đán Đinh Mùi" },
		{ "2027-02-10", CAL_DAY_HOLIDAY, "Tết Nguyên đán Đinh Mùi" },
		{ "2027-04-16", CAL_DAY_HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)" },
		{ "2027-05-03", CAL_DAY_HOLIDAY, "Nghỉ bù Quốc tế Lao động" },
		{ "2027-09-03", CAL_DAY_HOLIDAY, "Quốc khánh (ngày liền kề)" },
	};
	static const char *const plain[] = {
		"2025-01-24", "2025-02-03", "2025-04-08", "2026-02-13", "2026-02-23",
		"2026-09-03", "2027-02-03", "2027-02-11", "2027-09-01",
	};
	struct calendar cal;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(spot) / sizeof(spot[0]); i++) {
		const struct cal_special_day *sd = calendar_special_at(&vn, day(spot[i].date));

		assert_non_null(sd);
		assert_int_equal(sd->kind, spot[i].kind);
		assert_string_equal(sd->name, spot[i].name);
	}
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		assert_null(calendar_special_at(&vn, day(plain[i])));
	/* 21 days in 2025, 20 in 2026, 14 in 2027. */
	assert_int_equal(vn.nspecial, 55);
	for (i = 1; i < vn.nspecial; i++)
		assert_true(vn.special[i - 1].day < vn.special[i].day);
	assert_true(calendar_is_working_day(&vn, day("2025-01-24")));
	assert_false(calendar_is_working_day(&vn, day("2025-01-27")));
	assert_true(calendar_is_working_day(&vn, day("2025-04-26")));
	assert_false(calendar_is_working_day(&vn, day("2025-04-27")));
	assert_false(calendar_is_working_day(&vn, day("2025-03-08")));

	/* Seeding again replaces, it does not duplicate. */
	calendar_init(&cal);
	assert_int_equal(calendar_seed_vn(&cal), CAL_OK);
	assert_int_equal(calendar_seed_vn(&cal), CAL_OK);
	assert_int_equal(cal.nspecial, 55);
	calendar_free(&cal);
}

/* ---- Bounds. ---- */

static void
test_bounds(void **state)
{
	struct civil end = { 9999, 12, 31, 23, 59, 59, 0 };
	mc_time due = 0, out = 0;

	(void)state;
	assert_int_equal(days_from_civil(9999, 12, 31), CAL_DAY_MAX);
	assert_true(time_from_local(&end) == CAL_TIME_MAX);

	assert_int_equal(calendar_due(&vn, at("2025-03-03 08:00"), -1, WD, &due, NULL),
	    CAL_ERR_INVALID);
	assert_int_equal(calendar_due(&vn, at("2025-03-03 08:00"), CAL_AMOUNT_MAX + 1, WD,
	    &due, NULL), CAL_ERR_INVALID);
	assert_int_equal(calendar_due(&vn, at("2025-03-03 08:00"), 100, CAL_TIME_UNIT__MAX,
	    &due, NULL), CAL_ERR_INVALID);
	assert_int_equal(calendar_due(&vn, -1, 100, WD, &due, NULL), CAL_ERR_INVALID);
	assert_int_equal(calendar_due(&vn, CAL_TIME_MAX + 1, 100, WD, &due, NULL),
	    CAL_ERR_INVALID);
	/* Friday 31/12/9999: one day fits, two do not. */
	assert_int_equal(calendar_due(&vn, at("9999-12-31 07:30"), 100, WD, &due, NULL),
	    CAL_OK);
	assert_local(due, "9999-12-31 17:00");
	assert_int_equal(calendar_due(&vn, at("9999-12-31 07:30"), 200, WD, &due, NULL),
	    CAL_ERR_RANGE);
	assert_int_equal(calendar_due(&vn, at("9999-12-31 18:00"), 0, WD, &due, NULL),
	    CAL_ERR_RANGE);
	assert_int_equal(calendar_due(&vn, at("9999-12-30 07:30"), 200, CD, &due, NULL),
	    CAL_ERR_RANGE);
	assert_int_equal(calendar_add_working_seconds(&vn, at("2025-03-03 08:00"), -1, &out),
	    CAL_ERR_INVALID);
	assert_int_equal(calendar_working_seconds_between(&vn, -1, at("2025-03-03 08:00")),
	    -1);
	assert_int_equal(calendar_working_seconds_between(&vn, 0, CAL_TIME_MAX + 1), -1);
	/* The largest amount in calendar days stays inside the range. */
	assert_int_equal(calendar_due(&vn, at("2025-03-03 08:00"), CAL_AMOUNT_MAX, CD,
	    &due, NULL), CAL_OK);
}

/* ---- Codes. ---- */

static void
test_codes(void **state)
{
	static const char *const units[] = { "working_days", "calendar_days", "hours" };
	static const char *const kinds[] = { "weekend", "holiday", "makeup_workday" };
	int i;

	(void)state;
	for (i = 0; i < CAL_TIME_UNIT__MAX; i++) {
		assert_string_equal(cal_time_unit_code((enum cal_time_unit)i), units[i]);
		assert_int_equal(cal_time_unit_from_code(units[i], strlen(units[i])), i);
		assert_true(cal_time_unit_label_vi((enum cal_time_unit)i)[0] != '\0');
		assert_true(cal_time_unit_label_en((enum cal_time_unit)i)[0] != '\0');
	}
	assert_string_equal(cal_time_unit_label_vi(CAL_WORKING_DAYS), "ngày làm việc");
	assert_int_equal(cal_time_unit_from_code("hour", 4), -1);
	assert_int_equal(cal_time_unit_from_code("Hours", 5), -1);
	assert_int_equal(cal_time_unit_from_code("hours\0", 6), -1);
	assert_int_equal(cal_time_unit_from_code("hoursx", 6), -1);
	assert_int_equal(cal_time_unit_from_code("", 0), -1);
	assert_int_equal(cal_time_unit_from_code(NULL, 0), -1);
	assert_string_equal(cal_time_unit_code(CAL_TIME_UNIT__MAX), "");

	for (i = 0; i < CAL_DAY__MAX; i++) {
		assert_string_equal(cal_day_kind_code((enum cal_day_kind)i), kinds[i]);
		assert_int_equal(cal_day_kind_from_code(kinds[i], strlen(kinds[i])), i);
		assert_true(cal_day_kind_label_vi((enum cal_day_kind)i)[0] != '\0');
		assert_true(cal_day_kind_label_en((enum cal_day_kind)i)[0] != '\0');
	}
	assert_int_equal(cal_day_kind_from_code("makeup", 6), -1);
	assert_string_equal(cal_day_kind_code(CAL_DAY__MAX), "");

	assert_string_equal(cal_start_reason_code(CAL_START_AT_RECEPTION), "at_reception");
	assert_string_equal(cal_start_reason_code(CAL_START_OUTSIDE_HOURS),
	    "outside_working_hours");
	assert_string_equal(cal_start_reason_code(CAL_START_DAY_OFF), "day_off");
	assert_string_equal(cal_err_code(CAL_OK), "ok");
	assert_string_equal(cal_err_code(CAL_ERR_NO_WORKING_TIME), "no_working_time");
	assert_string_equal(cal_err_code(CAL_ERR__MAX), "");
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define NDUE NELEM(due_cases)
#define NBETWEEN NELEM(between_cases)
#define NADD NELEM(add_cases)

static const struct CMUnitTest fixed_tests[] = {
	cmocka_unit_test(test_explain_tet_2025),
	cmocka_unit_test(test_explain_truncated),
	cmocka_unit_test(test_explain_weekend_and_holiday),
	cmocka_unit_test(test_explain_makeup_and_swap),
	cmocka_unit_test(test_explain_calendar_days),
	cmocka_unit_test(test_recompute_holiday_added),
	cmocka_unit_test(test_pause_simple),
	cmocka_unit_test(test_pause_spans_holiday),
	cmocka_unit_test(test_pause_after_due),
	cmocka_unit_test(test_pause_from_lunch),
	cmocka_unit_test(test_pause_two),
	cmocka_unit_test(test_pause_hours_unit),
	cmocka_unit_test(test_pause_calendar_days),
	cmocka_unit_test(test_pause_before_start),
	cmocka_unit_test(test_pause_invalid),
	cmocka_unit_test(test_restart_after_supplement),
	cmocka_unit_test(test_custom_saturday_morning),
	cmocka_unit_test(test_custom_sessions_shapes),
	cmocka_unit_test(test_sessions_invalid),
	cmocka_unit_test(test_no_working_time),
	cmocka_unit_test(test_special_days_api),
	cmocka_unit_test(test_special_days_growth_sorted),
	cmocka_unit_test(test_seed),
	cmocka_unit_test(test_bounds),
	cmocka_unit_test(test_codes),
};

int
main(void)
{
	/* Every table row is a test of its own, named after the row. */
	struct CMUnitTest tests[NDUE + NBETWEEN + NADD + NELEM(fixed_tests)];
	size_t i, n = 0;
	int rc;

	calendar_init(&vn);
	if (calendar_seed_vn(&vn) != CAL_OK) {
		fprintf(stderr, "calendar_seed_vn failed\n");
		return 1;
	}
	memset(tests, 0, sizeof(tests));
	for (i = 0; i < NDUE; i++, n++) {
		tests[n].name = due_cases[i].name;
		tests[n].test_func = test_due_case;
		tests[n].initial_state = &due_cases[i];
	}
	for (i = 0; i < NBETWEEN; i++, n++) {
		tests[n].name = between_cases[i].name;
		tests[n].test_func = test_between_case;
		tests[n].initial_state = &between_cases[i];
	}
	for (i = 0; i < NADD; i++, n++) {
		tests[n].name = add_cases[i].name;
		tests[n].test_func = test_add_case;
		tests[n].initial_state = &add_cases[i];
	}
	for (i = 0; i < NELEM(fixed_tests); i++, n++)
		tests[n] = fixed_tests[i];
	rc = cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
	calendar_free(&vn);
	return rc;
}
