/*
 * Warnings (domain/warnings.h): "N working days ago" by the calendar, the cut-offs, and
 * every classification rule at its boundary, table-driven. March 2025 has no holiday;
 * September 2025 has National Day (Monday 1 and Tuesday 2 off). Expectations by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "domain/calendar.h"
#include "domain/warnings.h"
#include "domain/workflow.h"

static struct calendar cal;

static mc_time at(int mo, int d, int h, int mi)
{
	struct civil c = { .year = 2025, .month = mo, .day = d, .hour = h, .min = mi };
	return time_from_local(&c);
}

static void assert_time(mc_time got, mc_time want, const char *what)
{
	if (got != want) {
		struct civil g, w;
		time_to_local(got, &g);
		time_to_local(want, &w);
		fail_msg("%s: %02d/%02d %02d:%02d:%02d, want %02d/%02d %02d:%02d:%02d", what, g.day, g.month,
		         g.hour, g.min, g.sec, w.day, w.month, w.hour, w.min, w.sec);
	}
}

/* ---------------------------------------------------------------- N working days ago */

static void test_working_days_before(void **state)
{
	static const struct {
		int mo, d, h, mi, days;         /* now, N */
		int wmo, wd, wh, wmi;           /* want */
		const char *why;
	} cases[] = {
		{ 3, 12, 10, 0, 1, 3, 11, 10, 0, "Wednesday 10:00 - 1: Tuesday 10:00 (2.5 h + 4 h + 1.5 h)" },
		{ 3, 10, 10, 0, 5, 3, 3, 10, 0, "Monday - 5: the Monday before, weekend skipped" },
		{ 3, 9, 12, 0, 1, 3, 7, 7, 30, "Sunday - 1: the start of Friday's first session" },
		{ 3, 12, 7, 30, 1, 3, 11, 7, 30, "at a session's start: the previous day's start" },
		{ 3, 12, 12, 0, 1, 3, 11, 13, 0, "in the lunch break: the end of the break the day before" },
		{ 9, 3, 10, 0, 1, 8, 29, 10, 0, "Wednesday after National Day: Friday 29/08" },
		{ 9, 3, 10, 0, 2, 8, 28, 10, 0, "two working days: Thursday 28/08" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mc_time t = 0;
		assert_int_equal(warnings_working_days_before(&cal, at(cases[i].mo, cases[i].d, cases[i].h, cases[i].mi),
		                                              cases[i].days, &t), CAL_OK);
		assert_time(t, at(cases[i].wmo, cases[i].wd, cases[i].wh, cases[i].wmi), cases[i].why);
	}
}

static void test_working_days_before_bad(void **state)
{
	mc_time t = 42;
	struct calendar empty;
	(void)state;
	assert_int_equal(warnings_working_days_before(&cal, at(3, 12, 10, 0), 0, &t), CAL_ERR_INVALID);
	assert_int_equal(warnings_working_days_before(&cal, at(3, 12, 10, 0), -3, &t), CAL_ERR_INVALID);
	assert_int_equal(t, 42);
	/* a calendar without sessions has no working time to go back over */
	calendar_init(&empty);
	for (int wd = 0; wd < 7; wd++)
		assert_int_equal(calendar_set_sessions(&empty, wd, NULL, 0), CAL_OK);
	assert_int_equal(warnings_working_days_before(&empty, at(3, 12, 10, 0), 1, &t), CAL_ERR_NO_WORKING_TIME);
	calendar_free(&empty);
	/* 1970: not that much working time before */
	assert_int_equal(warnings_working_days_before(&cal, 3600, 5, &t), CAL_ERR_NO_WORKING_TIME);
}

/* ---------------------------------------------------------------- cut-offs and kinds */

static const struct warning_thresholds th = { 5, 5, 10, 30 };

static struct warning_cutoffs cut;      /* now: Wednesday 12/03/2025 10:00 */

static int setup_cut(void **state)
{
	(void)state;
	return warnings_cutoffs(&cal, &th, at(3, 12, 10, 0), &cut) == CAL_OK ? 0 : -1;
}

static void test_cutoffs(void **state)
{
	(void)state;
	assert_time(cut.now, at(3, 12, 10, 0), "now");
	assert_time(cut.due_soon_until, at(3, 13, 10, 0), "due soon until");
	assert_time(cut.feedback_until, at(3, 13, 10, 0), "feedback until");
	assert_time(cut.stuck_at_or_before, at(3, 5, 10, 0), "stuck");
	assert_time(cut.unreturned_at_or_before, at(3, 5, 10, 0), "unreturned");
	assert_time(cut.supplement_at_or_before, at(2, 26, 10, 0), "supplement");
}

#define OVR WARN_BIT(WARN_OVERDUE)
#define SOON WARN_BIT(WARN_DUE_SOON)
#define STK WARN_BIT(WARN_STUCK)
#define UNR WARN_BIT(WARN_RESOLVED_NOT_RETURNED)
#define SUP WARN_BIT(WARN_SUPPLEMENT_OVERDUE)

static void test_classify_dossier(void **state)
{
	const mc_time recent = at(3, 11, 9, 0);
	const struct {
		struct warning_dossier d;
		unsigned want;
		const char *why;
	} cases[] = {
		{ { STATE_PROCESSING, at(3, 12, 9, 59), recent, 0, 0, 0 }, OVR, "due a minute ago: overdue" },
		{ { STATE_PROCESSING, at(3, 12, 10, 0), recent, 0, 0, 0 }, SOON, "due now: still within, due soon" },
		{ { STATE_PROCESSING, at(3, 13, 10, 0), recent, 0, 0, 0 }, SOON, "due in exactly one working day" },
		{ { STATE_PROCESSING, at(3, 13, 10, 1), recent, 0, 0, 0 }, 0, "due a minute later: nothing" },
		{ { STATE_PROCESSING, 0, recent, 0, 0, 0 }, 0, "no due date" },
		{ { STATE_PROCESSING, at(3, 20, 10, 0), at(3, 5, 10, 0), 0, 0, 0 }, STK, "last event 5 working days ago: stuck" },
		{ { STATE_PROCESSING, at(3, 20, 10, 0), at(3, 5, 10, 1), 0, 0, 0 }, 0, "a minute less: not stuck" },
		{ { STATE_PROCESSING, at(3, 10, 10, 0), at(3, 1, 10, 0), 0, 0, 0 }, OVR | STK, "overdue and stuck" },
		{ { STATE_SUBMITTED, 0, at(3, 3, 8, 0), 0, 0, 0 }, STK, "an online submission nobody checked" },
		{ { STATE_SUBMITTED, 0, recent, 0, 0, 0 }, 0, "a fresh online submission" },
		{ { STATE_AWAITING_SUPPLEMENT, at(3, 11, 10, 0), at(3, 10, 9, 0), at(3, 10, 9, 0), 0, at(3, 10, 9, 0) }, 0,
		  "paused before the due time: the clock stopped, not late" },
		{ { STATE_AWAITING_SUPPLEMENT, at(3, 10, 10, 0), at(3, 11, 9, 0), at(3, 11, 9, 0), 0, at(3, 11, 9, 0) }, OVR,
		  "paused after the due time: late" },
		{ { STATE_AWAITING_SUPPLEMENT, at(3, 20, 10, 0), at(2, 26, 10, 0), at(2, 26, 10, 0), 0, at(2, 26, 10, 0) }, SUP,
		  "supplement requested 10 working days ago" },
		{ { STATE_AWAITING_SUPPLEMENT, at(3, 20, 10, 0), at(2, 26, 10, 1), at(2, 26, 10, 1), 0, at(2, 26, 10, 1) }, 0,
		  "a minute less" },
		{ { STATE_AWAITING_SUPPLEMENT, at(3, 20, 10, 0), at(2, 1, 10, 0), at(2, 1, 10, 0), 0, 0 }, 0,
		  "no open request on record: nothing to judge" },
		{ { STATE_AWAITING_PAYMENT, at(3, 10, 10, 0), at(3, 11, 9, 0), at(3, 11, 9, 0), 0, 0 }, OVR, "payment asked after the due time" },
		{ { STATE_SUSPENDED, at(3, 10, 10, 0), at(3, 1, 9, 0), at(3, 1, 9, 0), 0, 0 }, 0, "suspended before: not late, not stuck" },
		{ { STATE_SUSPENDED, at(3, 10, 10, 0), at(3, 1, 9, 0), 0, 0, 0 }, 0, "no pause on record: not judged late" },
		{ { STATE_RESOLVED, at(3, 1, 10, 0), at(3, 5, 10, 0), 0, at(3, 5, 10, 0), 0 }, UNR, "resolved 5 working days ago" },
		{ { STATE_RESOLVED, at(3, 1, 10, 0), at(3, 5, 10, 1), 0, at(3, 5, 10, 1), 0 }, 0, "a minute less; late but finished" },
		{ { STATE_RETURNED, at(3, 1, 10, 0), at(1, 5, 10, 0), 0, at(1, 5, 10, 0), 0 }, 0, "returned: nothing" },
		{ { STATE_REFUSED, at(3, 1, 10, 0), at(1, 5, 10, 0), 0, at(1, 5, 10, 0), 0 }, 0, "refused: nothing" },
		{ { STATE_WITHDRAWN, at(3, 1, 10, 0), at(1, 5, 10, 0), 0, at(1, 5, 10, 0), 0 }, 0, "withdrawn: nothing" },
		{ { STATE_NOT_ACCEPTED, 0, at(1, 5, 10, 0), 0, at(1, 5, 10, 0), 0 }, 0, "not accepted: nothing" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned got = warnings_classify_dossier(&cut, &cases[i].d);
		if (got != cases[i].want)
			fail_msg("case %zu (%s): kinds %#x, want %#x", i, cases[i].why, got, cases[i].want);
	}
}

static void test_feedback_due(void **state)
{
	(void)state;
	assert_int_equal(warnings_feedback_due(&cut, at(3, 13, 10, 0), 0), 1);   /* within one working day */
	assert_int_equal(warnings_feedback_due(&cut, at(3, 13, 10, 1), 0), 0);
	assert_int_equal(warnings_feedback_due(&cut, at(3, 1, 10, 0), 0), 1);    /* past */
	assert_int_equal(warnings_feedback_due(&cut, at(3, 1, 10, 0), 1), 0);    /* answered */
	assert_int_equal(warnings_feedback_due(&cut, 0, 0), 0);
}

/* Over a weekend and a holiday, "one working day" reaches further. */
static void test_due_soon_over_holiday(void **state)
{
	struct warning_cutoffs c;
	struct warning_dossier d = { STATE_PROCESSING, at(9, 3, 9, 0), at(8, 29, 9, 0), 0, 0, 0 };
	(void)state;
	assert_int_equal(warnings_cutoffs(&cal, &th, at(8, 29, 10, 0), &c), CAL_OK);
	assert_time(c.due_soon_until, at(9, 3, 10, 0), "Friday 29/08 + 1 working day");
	assert_int_equal(warnings_classify_dossier(&c, &d), SOON);
}

static void test_cutoffs_bad_threshold(void **state)
{
	struct warning_cutoffs c;
	struct warning_thresholds bad = th;
	(void)state;
	bad.stuck_working_days = 0;
	assert_int_equal(warnings_cutoffs(&cal, &bad, at(3, 12, 10, 0), &c), CAL_ERR_INVALID);
	bad = th;
	bad.unused_days = 0;
	assert_int_equal(warnings_cutoffs(&cal, &bad, at(3, 12, 10, 0), &c), CAL_ERR_INVALID);
}

static void test_audience(void **state)
{
	struct warning_audience a;
	(void)state;
	warnings_audience_of_roles(ROLE_BIT(ROLE_DESK), &a);
	assert_int_equal(a.held_only, 1);
	assert_int_equal(a.accounts, 0);
	warnings_audience_of_roles(ROLE_BIT(ROLE_SPECIALIST) | ROLE_BIT(ROLE_LEADER), &a);
	assert_int_equal(a.held_only, 1);
	warnings_audience_of_roles(ROLE_BIT(ROLE_MONITOR), &a);
	assert_int_equal(a.held_only, 0);
	assert_int_equal(a.accounts, 0);
	warnings_audience_of_roles(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_DESK), &a);
	assert_int_equal(a.held_only, 0);
	assert_int_equal(a.accounts, 1);
}

static void test_kind_codes(void **state)
{
	(void)state;
	for (int k = 0; k < WARN__MAX; k++) {
		const char *c = warning_kind_code((enum warning_kind)k);
		assert_non_null(c);
		assert_int_equal(warning_kind_from_code(c, strlen(c)), k);
		assert_non_null(warning_kind_label_vi((enum warning_kind)k));
		assert_non_null(warning_kind_label_en((enum warning_kind)k));
	}
	assert_int_equal(warning_kind_from_code("due_soo", 7), -1);
	assert_int_equal(warning_kind_from_code("due_soonx", 9), -1);
	assert_null(warning_kind_code(WARN__MAX));
	assert_string_equal(warning_kind_code(WARN_RESOLVED_NOT_RETURNED), "resolved_not_returned");
	/* every kind appears once in the display order */
	for (int k = 0; k < WARN__MAX; k++) {
		int seen = 0;
		for (int i = 0; i < WARN__MAX; i++)
			seen += warning_kind_order[i] == (enum warning_kind)k;
		assert_int_equal(seen, 1);
	}
}

static void test_links(void **state)
{
	char out[128];
	(void)state;
	warnings_link(WARN_OVERDUE, "000.22.24.H45-250301-0001", 30, out, sizeof out);
	assert_string_equal(out, "/can-bo/ho-so.html?code=000.22.24.H45-250301-0001");
	warnings_link(WARN_STUCK, "000.22.24.H45-250301-0002", 30, out, sizeof out);
	assert_string_equal(out, "/can-bo/ho-so.html?code=000.22.24.H45-250301-0002");
	warnings_link(WARN_FEEDBACK_DUE, "PAKN-250301-0001", 30, out, sizeof out);
	assert_string_equal(out, "/can-bo/phan-anh.html?code=PAKN-250301-0001");
	warnings_link(WARN_UNUSED_ACCOUNTS, NULL, 45, out, sizeof out);
	assert_string_equal(out, "/can-bo/tai-khoan.html?unused_days=45");
}

/* ---------------------------------------------------------------- the digest */

static void test_digest_decide(void **state)
{
	const int64_t tue = local_day_number(at(3, 11, 12, 0));
	(void)state;
	assert_int_equal(warnings_digest_decide(&cal, at(3, 11, 6, 59), 7, -1), WDIG_WAIT);      /* before 07:00 */
	assert_int_equal(warnings_digest_decide(&cal, at(3, 11, 7, 0), 7, -1), WDIG_RUN);
	assert_int_equal(warnings_digest_decide(&cal, at(3, 11, 16, 0), 7, tue - 1), WDIG_RUN);  /* yesterday's done */
	assert_int_equal(warnings_digest_decide(&cal, at(3, 11, 16, 0), 7, tue), WDIG_WAIT);     /* today's done */
	assert_int_equal(warnings_digest_decide(&cal, at(3, 9, 9, 0), 7, -1), WDIG_DAY_OFF);     /* Sunday */
	assert_int_equal(warnings_digest_decide(&cal, at(9, 2, 9, 0), 7, -1), WDIG_DAY_OFF);     /* National Day */
	assert_int_equal(warnings_digest_decide(&cal, at(4, 26, 9, 0), 7, -1), WDIG_RUN);        /* make-up Saturday */
	assert_int_equal(warnings_digest_decide(&cal, at(3, 11, 0, 30), 0, -1), WDIG_RUN);       /* hour 0 */
	/* local time: 23:30 UTC on Monday is Tuesday 06:30 in Vietnam, still before 07:00 */
	assert_int_equal(warnings_digest_decide(&cal, at(3, 11, 6, 30), 7, tue - 1), WDIG_WAIT);
}

static void test_digest_compose(void **state)
{
	const struct warning_digest_item items[] = {
		{ WARN_OVERDUE, "000.22.24.H45-250301-0001", "Đăng ký khai sinh", "Xã Gio Mỹ", at(3, 10, 17, 0), 0,
		  "http://motcua.example/can-bo/ho-so.html?code=000.22.24.H45-250301-0001" },
		{ WARN_STUCK, "000.22.24.H45-250228-0002", "Cấp bản sao", "Xã Gio Mỹ", 0, at(3, 3, 8, 0),
		  "http://motcua.example/can-bo/ho-so.html?code=000.22.24.H45-250228-0002" },
	};
	struct warning_digest d = {
		.officer_name = "Nguyễn Văn A", .day = local_day_number(at(3, 12, 10, 0)),
		.items = items, .nitems = 2, .inbox_link = "http://motcua.example/can-bo/",
	};
	char subject[256], body[4096], small[64];
	(void)state;
	d.counts[WARN_OVERDUE] = 3;
	d.counts[WARN_STUCK] = 1;
	d.counts[WARN_FEEDBACK_DUE] = 2;
	assert_int_equal(warnings_total(d.counts), 6);
	assert_int_equal(warnings_digest_compose(&d, subject, sizeof subject, body, sizeof body), 0);
	assert_string_equal(subject, "Cảnh báo ngày 12/03/2025: 6 việc cần chú ý");
	assert_null(strchr(subject, '\n'));
	assert_non_null(strstr(body, "Kính gửi Nguyễn Văn A"));
	assert_non_null(strstr(body, "- Quá hạn: 3\n"));
	assert_non_null(strstr(body, "- Hồ sơ treo (lâu không xử lý): 1\n"));
	assert_null(strstr(body, "Sắp đến hạn"));               /* kinds with no count are left out */
	assert_non_null(strstr(body, "000.22.24.H45-250301-0001 — Đăng ký khai sinh (Xã Gio Mỹ)"));
	assert_non_null(strstr(body, "Hạn: 10/03/2025 17:00"));
	assert_non_null(strstr(body, "Lần xử lý cuối: 03/03/2025 08:00"));
	assert_non_null(strstr(body, "ho-so.html?code=000.22.24.H45-250228-0002"));
	assert_non_null(strstr(body, "... và 4 việc khác."));
	assert_non_null(strstr(body, "Xem đầy đủ: http://motcua.example/can-bo/"));
	/* overview first: the overdue line comes before the stuck line */
	assert_true(strstr(body, "- Quá hạn") < strstr(body, "- Hồ sơ treo"));
	/* too small: refused, not sent truncated */
	assert_int_equal(warnings_digest_compose(&d, subject, sizeof subject, small, sizeof small), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_working_days_before),
		cmocka_unit_test(test_working_days_before_bad),
		cmocka_unit_test(test_cutoffs),
		cmocka_unit_test(test_classify_dossier),
		cmocka_unit_test(test_feedback_due),
		cmocka_unit_test(test_due_soon_over_holiday),
		cmocka_unit_test(test_cutoffs_bad_threshold),
		cmocka_unit_test(test_audience),
		cmocka_unit_test(test_kind_codes),
		cmocka_unit_test(test_digest_compose),
		cmocka_unit_test(test_digest_decide),
		cmocka_unit_test(test_links),
	};

	calendar_init(&cal);
	if (calendar_seed_vn(&cal) != CAL_OK)
		return 1;
	return cmocka_run_group_tests_name("warnings", tests, setup_cut, NULL);
}
