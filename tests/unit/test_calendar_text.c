/*
 * Amounts, explanations and change notes of the working calendar (domain/calendar_text.h).
 * Expected dates were worked out by hand from the seeded calendar, not with the code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "domain/calendar.h"
#include "domain/calendar_text.h"
#include "domain/text.h"

static struct calendar vn;

static mc_time local(int y, int mo, int d, int h, int mi)
{
	struct civil c = { .year = y, .month = mo, .day = d, .hour = h, .min = mi };
	return time_from_local(&c);
}

static void contains(const char *text, const char *part)
{
	if (strstr(text, part) == NULL)
		fail_msg("\"%s\"\n  does not contain \"%s\"", text, part);
}

/* ---- amounts ---- */

static void test_amount_parse_accepts(void **state)
{
	static const struct { const char *s; int64_t want; } ok[] = {
		{ "3", 300 }, { "0.5", 50 }, { "1.25", 125 }, { "3.00", 300 }, { "0.05", 5 },
		{ "007", 700 }, { "1000", 100000 }, { "999999.99", 99999999 }, { "0", 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t v = -1;
		assert_int_equal(cal_amount_parse(ok[i].s, strlen(ok[i].s), &v), 0);
		assert_int_equal(v, ok[i].want);
	}
}

static void test_amount_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"", ".5", "1.", "1.234", "-1", "+1", "1e2", "1,5", " 1", "1 ", "0x10", "1..2",
		"1000000", "12345678901234567890", "½",
	};
	int64_t v = 42;
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (cal_amount_parse(bad[i], strlen(bad[i]), &v) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(cal_amount_parse("1\0" "5", 3, &v), -1);    /* embedded NUL */
	assert_int_equal(cal_amount_parse(NULL, 0, &v), -1);
	assert_int_equal(v, 42);                                      /* untouched on failure */
	/* the length is honoured: "2.5" cut to "2" */
	assert_int_equal(cal_amount_parse("2.5", 1, &v), 0);
	assert_int_equal(v, 200);
}

static void test_amount_format(void **state)
{
	char buf[16];
	(void)state;
	cal_amount_format(300, CAL_LANG_VI, buf, sizeof buf);
	assert_string_equal(buf, "3");
	cal_amount_format(50, CAL_LANG_VI, buf, sizeof buf);
	assert_string_equal(buf, "0,5");
	cal_amount_format(50, CAL_LANG_EN, buf, sizeof buf);
	assert_string_equal(buf, "0.5");
	cal_amount_format(125, CAL_LANG_VI, buf, sizeof buf);
	assert_string_equal(buf, "1,25");
	cal_amount_format(5, CAL_LANG_EN, buf, sizeof buf);
	assert_string_equal(buf, "0.05");
	cal_amount_format(99999999, CAL_LANG_EN, buf, sizeof buf);
	assert_string_equal(buf, "999999.99");
}

static void test_duration_text(void **state)
{
	char buf[64];
	(void)state;
	assert_int_equal(cal_duration_text(300, CAL_WORKING_DAYS, CAL_LANG_VI, buf, sizeof buf), 0);
	assert_string_equal(buf, "3 ngày làm việc");
	cal_duration_text(100, CAL_WORKING_DAYS, CAL_LANG_EN, buf, sizeof buf);
	assert_string_equal(buf, "1 working day");
	cal_duration_text(50, CAL_WORKING_DAYS, CAL_LANG_EN, buf, sizeof buf);
	assert_string_equal(buf, "0.5 working days");
	cal_duration_text(1000, CAL_CALENDAR_DAYS, CAL_LANG_VI, buf, sizeof buf);
	assert_string_equal(buf, "10 ngày");
	cal_duration_text(400, CAL_HOURS, CAL_LANG_EN, buf, sizeof buf);
	assert_string_equal(buf, "4 working hours");
	assert_int_equal(cal_duration_text(300, CAL_WORKING_DAYS, CAL_LANG_VI, buf, 4), -1);
	assert_string_equal(buf, "3 n");
}

static void test_labels(void **state)
{
	(void)state;
	assert_string_equal(cal_weekday_name(0, CAL_LANG_VI), "Chủ nhật");
	assert_string_equal(cal_weekday_name(5, CAL_LANG_VI), "thứ Sáu");
	assert_string_equal(cal_weekday_name(6, CAL_LANG_EN), "Saturday");
	assert_string_equal(cal_weekday_name(7, CAL_LANG_EN), "");
	assert_string_equal(cal_weekday_name(-1, CAL_LANG_VI), "");
	for (int r = 0; r < CAL_START__MAX; r++) {
		assert_true(strlen(cal_start_reason_label_vi((enum cal_start_reason)r)) > 0);
		assert_true(strlen(cal_start_reason_label_en((enum cal_start_reason)r)) > 0);
	}
	assert_string_equal(cal_start_reason_label_vi(CAL_START__MAX), "");
	assert_string_equal(cal_start_reason_label_en((enum cal_start_reason)-1), "");
}

/* ---- explanations ---- */

struct explained {
	struct cal_explain_day days[512];
	struct cal_explain ex;
	char vi[16384], en[16384];
};

static struct explained *explain(mc_time received, int64_t amount, enum cal_time_unit unit,
                                 size_t cap)
{
	static struct explained e;
	mc_time due;

	cal_explain_init(&e.ex, e.days, cap);
	assert_int_equal(calendar_due(&vn, received, amount, unit, &due, &e.ex), CAL_OK);
	assert_int_equal(cal_explain_text(&e.ex, amount, unit, CAL_LANG_VI, e.vi, sizeof e.vi), 0);
	assert_int_equal(cal_explain_text(&e.ex, amount, unit, CAL_LANG_EN, e.en, sizeof e.en), 0);
	assert_true(utf8_valid_text(e.vi, strlen(e.vi)));
	assert_true(utf8_valid_text(e.en, strlen(e.en)));
	return &e;
}

/* Friday 24/01/2025 10:00 + 3 working days: Tết 25/01-02/02 is skipped, due 05/02 10:00. */
static void test_explain_tet(void **state)
{
	struct explained *e = explain(local(2025, 1, 24, 10, 0), 300, CAL_WORKING_DAYS, 512);
	(void)state;
	contains(e->vi, "Hồ sơ được tiếp nhận lúc 10:00 thứ Sáu, ngày 24/01/2025, trong giờ làm việc");
	contains(e->vi, "3 ngày làm việc, tức 24 giờ làm việc");
	contains(e->vi, "Không tính 9 ngày nghỉ: 25/01/2025–02/02/2025 (Tết Nguyên đán Ất Tỵ, 9 ngày).");
	contains(e->vi, "Vì vậy, hạn giải quyết là 10:00 thứ Tư, ngày 05/02/2025.");
	contains(e->en, "received at 10:00 on Friday 24/01/2025, during working hours");
	contains(e->en, "9 days off are not counted: 25/01/2025–02/02/2025 (Tết Nguyên đán Ất Tỵ, 9 days).");
	contains(e->en, "The due date is therefore 10:00 on Wednesday 05/02/2025.");
	assert_null(strstr(e->vi, "làm bù"));
}

/* Saturday 08/03/2025 09:00: a day off, the clock starts Monday 07:30. */
static void test_explain_saturday(void **state)
{
	struct explained *e = explain(local(2025, 3, 8, 9, 0), 100, CAL_WORKING_DAYS, 512);
	(void)state;
	contains(e->vi, "là ngày nghỉ (nghỉ hằng tuần), nên thời hạn được tính từ đầu buổi làm việc "
	         "tiếp theo, lúc 07:30 thứ Hai, ngày 10/03/2025.");
	contains(e->vi, "08/03/2025–09/03/2025 (nghỉ hằng tuần, 2 ngày)");
	contains(e->vi, "hạn giải quyết là 17:00 thứ Hai, ngày 10/03/2025.");
	contains(e->en, "a day off (weekly day off)");
}

/* Received on Giỗ Tổ (Monday 07/04/2025): the holiday is named as the reason. */
static void test_explain_holiday_reception(void **state)
{
	struct explained *e = explain(local(2025, 4, 7, 9, 0), 50, CAL_WORKING_DAYS, 512);
	(void)state;
	contains(e->vi, "là ngày nghỉ (Giỗ Tổ Hùng Vương (10/3 âm lịch))");
	contains(e->vi, "0,5 ngày làm việc, tức 4 giờ làm việc");
	contains(e->en, "0.5 working days, that is 4 working hours");
	contains(e->vi, "hạn giải quyết là 11:30 thứ Ba, ngày 08/04/2025.");
}

/* After hours: Tuesday 04/03/2025 18:00 + 4 hours = Wednesday 11:30. */
static void test_explain_after_hours(void **state)
{
	struct explained *e = explain(local(2025, 3, 4, 18, 0), 400, CAL_HOURS, 512);
	(void)state;
	contains(e->vi, "ngoài giờ làm việc, nên thời hạn được tính từ đầu buổi làm việc tiếp theo, "
	         "lúc 07:30 thứ Tư, ngày 05/03/2025.");
	contains(e->vi, "Thời hạn giải quyết là 4 giờ làm việc; chỉ tính thời gian trong giờ làm việc.");
	contains(e->en, "outside working hours");
	contains(e->vi, "hạn giải quyết là 11:30 thứ Tư, ngày 05/03/2025.");
	assert_null(strstr(e->vi, "Không tính"));
}

/* Calendar days ending on a Sunday move to Monday 17:00. */
static void test_explain_calendar_days(void **state)
{
	struct explained *e = explain(local(2025, 3, 5, 10, 0), 400, CAL_CALENDAR_DAYS, 512);
	(void)state;
	contains(e->vi, "4 ngày, tính theo ngày lịch, kể cả ngày nghỉ.");
	contains(e->vi, "thời hạn hết vào 10:00 Chủ nhật, ngày 09/03/2025. Đó là ngày nghỉ (nghỉ hằng "
	         "tuần) nên hạn được chuyển đến cuối ngày làm việc tiếp theo.");
	contains(e->vi, "hạn giải quyết là 17:00 thứ Hai, ngày 10/03/2025.");
	contains(e->en, "the time runs out at 10:00 on Sunday 09/03/2025. That is a day off");
	/* a calendar due on a working day does not move */
	e = explain(local(2025, 3, 5, 10, 0), 200, CAL_CALENDAR_DAYS, 512);
	assert_null(strstr(e->vi, "Đó là ngày nghỉ"));
	contains(e->vi, "hạn giải quyết là 10:00 thứ Sáu, ngày 07/03/2025.");
}

/* The make-up Saturday 26/04/2025 is counted and said so. */
static void test_explain_makeup(void **state)
{
	struct explained *e = explain(local(2025, 4, 25, 10, 0), 1000, CAL_WORKING_DAYS, 512);
	(void)state;
	contains(e->vi, "Có tính 1 ngày làm bù: thứ Bảy 26/04/2025 (Làm bù cho ngày nghỉ 02/05/2025).");
	contains(e->en, "1 make-up working day is counted: Saturday 26/04/2025");
	contains(e->vi, "hạn giải quyết là 10:00 thứ Ba, ngày 13/05/2025.");
}

/* 100 working days: weekends are summed up, holidays still named. */
static void test_explain_long(void **state)
{
	struct explained *e = explain(local(2025, 3, 3, 7, 30), 10000, CAL_WORKING_DAYS, 512);
	(void)state;
	contains(e->vi, "ngày nghỉ hằng tuần");
	contains(e->vi, "Giỗ Tổ Hùng Vương");
	assert_null(strstr(e->vi, "(nghỉ hằng tuần)"));
	contains(e->en, "weekly days off");
}

/* A list the explanation truncated says how many days it left out. */
static void test_explain_truncated_list(void **state)
{
	struct explained *e = explain(local(2025, 1, 24, 10, 0), 300, CAL_WORKING_DAYS, 3);
	(void)state;
	contains(e->vi, "(Còn 6 ngày khác không liệt kê.)");
	contains(e->en, "(6 more days not listed.)");
}

/* Every buffer size gives a terminated, valid UTF-8 prefix; -1 until the text fits. */
static void test_explain_small_buffers(void **state)
{
	struct explained *e = explain(local(2025, 1, 24, 10, 0), 300, CAL_WORKING_DAYS, 512);
	size_t full = strlen(e->vi);
	char buf[4096];
	(void)state;
	assert_true(full < sizeof buf);
	for (size_t size = 1; size <= full + 1; size++) {
		int rc = cal_explain_text(&e->ex, 300, CAL_WORKING_DAYS, CAL_LANG_VI, buf, size);
		assert_int_equal(rc, size == full + 1 ? 0 : -1);
		assert_true(strlen(buf) < size);
		assert_true(utf8_valid_text(buf, strlen(buf)));
		assert_memory_equal(buf, e->vi, strlen(buf));
	}
	assert_int_equal(cal_explain_text(&e->ex, 300, CAL_WORKING_DAYS, CAL_LANG_VI, buf, 0), -1);
	assert_int_equal(cal_explain_text(NULL, 300, CAL_WORKING_DAYS, CAL_LANG_VI, buf, 8), -1);
}

/* ---- changes ---- */

static void test_change_reason(void **state)
{
	char buf[256];
	(void)state;
	assert_int_equal(cal_change_reason(CAL_CHANGE_ADD, days_from_civil(2026, 1, 2), CAL_DAY_HOLIDAY,
	                                   "Tết Dương lịch", buf, sizeof buf), 0);
	assert_string_equal(buf, "thêm ngày nghỉ 02/01/2026 Tết Dương lịch");
	cal_change_reason(CAL_CHANGE_ADD, days_from_civil(2026, 1, 10), CAL_DAY_MAKEUP_WORKDAY,
	                  "Làm bù", buf, sizeof buf);
	assert_string_equal(buf, "thêm ngày làm bù 10/01/2026 Làm bù");
	cal_change_reason(CAL_CHANGE_REMOVE, days_from_civil(2026, 1, 2), CAL_DAY_HOLIDAY,
	                  "Tết Dương lịch", buf, sizeof buf);
	assert_string_equal(buf, "bỏ ngày nghỉ 02/01/2026 Tết Dương lịch");
	cal_change_reason(CAL_CHANGE_KIND, days_from_civil(2026, 1, 10), CAL_DAY_MAKEUP_WORKDAY,
	                  "", buf, sizeof buf);
	assert_string_equal(buf, "đổi ngày 10/01/2026 thành ngày làm bù");
	assert_int_equal(cal_change_reason(CAL_CHANGE__MAX, 0, CAL_DAY_HOLIDAY, "", buf, sizeof buf), -1);
}

static void test_recalc_note(void **state)
{
	char buf[512];
	(void)state;
	assert_int_equal(cal_recalc_note("thêm ngày nghỉ 02/01/2026 Tết Dương lịch",
	                                 local(2026, 1, 5, 17, 0), local(2026, 1, 6, 17, 0),
	                                 buf, sizeof buf), 0);
	assert_string_equal(buf, "Lịch làm việc thay đổi (thêm ngày nghỉ 02/01/2026 Tết Dương lịch): "
	                    "hạn giải quyết 05/01/2026 17:00 → 06/01/2026 17:00");
	cal_recalc_note("bỏ ngày nghỉ 02/01/2026", 0, local(2026, 1, 6, 9, 5), buf, sizeof buf);
	assert_string_equal(buf, "Lịch làm việc thay đổi (bỏ ngày nghỉ 02/01/2026): hạn giải quyết "
	                    "chưa có → 06/01/2026 09:05");
	/* cut inside "→" (3 bytes): the partial character goes */
	assert_int_equal(cal_recalc_note("x", local(2026, 1, 5, 17, 0), local(2026, 1, 6, 17, 0),
	                                 buf, strlen("Lịch làm việc thay đổi (x): hạn giải quyết "
	                                             "05/01/2026 17:00 ") + 2), -1);
	assert_true(utf8_valid_text(buf, strlen(buf)));
	assert_string_equal(buf, "Lịch làm việc thay đổi (x): hạn giải quyết 05/01/2026 17:00 ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amount_parse_accepts),
		cmocka_unit_test(test_amount_parse_refuses),
		cmocka_unit_test(test_amount_format),
		cmocka_unit_test(test_duration_text),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_explain_tet),
		cmocka_unit_test(test_explain_saturday),
		cmocka_unit_test(test_explain_holiday_reception),
		cmocka_unit_test(test_explain_after_hours),
		cmocka_unit_test(test_explain_calendar_days),
		cmocka_unit_test(test_explain_makeup),
		cmocka_unit_test(test_explain_long),
		cmocka_unit_test(test_explain_truncated_list),
		cmocka_unit_test(test_explain_small_buffers),
		cmocka_unit_test(test_change_reason),
		cmocka_unit_test(test_recalc_note),
	};
	int rc;

	calendar_init(&vn);
	if (calendar_seed_vn(&vn) != CAL_OK)
		return 1;
	rc = cmocka_run_group_tests_name("calendar_text", tests, NULL, NULL);
	calendar_free(&vn);
	return rc;
}
