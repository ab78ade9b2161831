/*
 * Tests for domain/notify: the texts the applicant receives (Vietnamese first, an English
 * line after), the tracking link, dates in Vietnam's time, and the outbox's back-off.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/notify.h"

#define CODE "000.22.24.H45-251122-0007"
/* 2025-11-24 01:30 UTC = 08:30 in Vietnam */
#define AT 1763947800

static struct notify_facts facts(void)
{
	return (struct notify_facts){
		.dossier_code = CODE, .procedure_name = "Đăng ký khai sinh",
		.applicant_name = "Nguyễn Văn An", .public_url = "https://dichvucong.example.vn/",
		.at = AT, .amount_vnd = -1,
	};
}

static void compose(enum notify_kind k, enum notify_channel ch, const struct notify_facts *f,
                    char *subject, char *body)
{
	assert_int_equal(notify_compose(k, ch, f, subject, 512, body, 8192), 0);
}

static void test_codes(void **state)
{
	(void)state;
	for (int k = 0; k < NK__MAX; k++) {
		assert_true(strlen(notify_kind_code((enum notify_kind)k)) > 0);
		assert_int_equal(notify_kind_from_code(notify_kind_code((enum notify_kind)k)), k);
	}
	assert_int_equal(notify_kind_from_code("nope"), -1);
	assert_string_equal(notify_kind_code(NK_SUPPLEMENT_REQUESTED), "supplement_requested");
	assert_string_equal(notify_kind_code(NK_LATE_NEW_DATE), "late_new_date");
	assert_string_equal(notify_channel_code(NCH_SMS), "sms");
}

static void test_link_and_time(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(notify_tracking_link("https://dvc.example.vn//", CODE, buf, sizeof buf), 0);
	assert_string_equal(buf, "https://dvc.example.vn/tra-cuu.html?code=" CODE);
	assert_int_equal(notify_tracking_link("http://x", "a b&c", buf, sizeof buf), 0);
	assert_string_equal(buf, "http://x/tra-cuu.html?code=a%20b%26c");
	assert_int_equal(notify_tracking_link("http://x", CODE, buf, 20), -1);
	notify_format_time(AT, buf, sizeof buf);
	assert_string_equal(buf, "24/11/2025 08:30");
	/* late evening UTC is the next morning in Vietnam */
	notify_format_time(AT - 2 * 3600, buf, sizeof buf);   /* 23/11 23:30 UTC */
	assert_string_equal(buf, "24/11/2025 06:30");
}

static void test_supplement(void **state)
{
	const char *items[] = { "Bản sao giấy chứng sinh", "Tờ khai có chữ ký của người yêu cầu" };
	struct notify_facts f = facts();
	char subject[512], body[8192];

	(void)state;
	f.items = items;
	f.nitems = 2;
	f.note = "Nộp tại Bộ phận một cửa";
	compose(NK_SUPPLEMENT_REQUESTED, NCH_EMAIL, &f, subject, body);
	assert_string_equal(subject, "Yêu cầu bổ sung, hoàn thiện hồ sơ " CODE);
	assert_non_null(strstr(body, "Kính gửi Nguyễn Văn An,"));
	assert_non_null(strstr(body, "  1. Bản sao giấy chứng sinh\n  2. Tờ khai có chữ ký của người yêu cầu\n"));
	assert_non_null(strstr(body, "Thủ tục: Đăng ký khai sinh"));
	assert_non_null(strstr(body, "Ghi chú: Nộp tại Bộ phận một cửa"));
	assert_non_null(strstr(body, "https://dichvucong.example.vn/tra-cuu.html?code=" CODE));
	assert_non_null(strstr(body, "needs the 2 items listed above"));
	/* Vietnamese before English */
	assert_true(strstr(body, "Hồ sơ số") < strstr(body, "Your dossier"));
	compose(NK_SUPPLEMENT_REQUESTED, NCH_SMS, &f, subject, body);
	assert_string_equal(subject, "");
	assert_non_null(strstr(body, "cần bổ sung 2 nội dung"));
	assert_non_null(strstr(body, "tra-cuu.html?code=" CODE));
}

static void test_each_kind(void **state)
{
	struct notify_facts f = facts();
	char subject[512], body[8192];

	(void)state;
	f.date = AT + 5 * 86400;
	f.reason = "Không thuộc thẩm quyền giải quyết";
	compose(NK_ACCEPTED, NCH_EMAIL, &f, subject, body);
	assert_string_equal(subject, "Hồ sơ " CODE " đã được tiếp nhận");
	assert_non_null(strstr(body, "tiếp nhận lúc 24/11/2025 08:30"));
	assert_non_null(strstr(body, "Ngày hẹn trả kết quả: 29/11/2025 08:30"));
	compose(NK_NOT_ACCEPTED, NCH_EMAIL, &f, subject, body);
	assert_non_null(strstr(body, "Lý do: Không thuộc thẩm quyền giải quyết"));
	compose(NK_REFUSED, NCH_EMAIL, &f, subject, body);
	assert_string_equal(subject, "Hồ sơ " CODE " bị từ chối giải quyết");
	assert_non_null(strstr(body, "Lý do: Không thuộc thẩm quyền"));
	compose(NK_REFUSED, NCH_SMS, &f, subject, body);
	assert_non_null(strstr(body, "Lý do: Không thuộc thẩm quyền giải quyết."));
	compose(NK_LATE_NEW_DATE, NCH_EMAIL, &f, subject, body);
	assert_non_null(strstr(subject, "hẹn lại ngày trả kết quả"));
	assert_non_null(strstr(body, "Ngày hẹn trả kết quả mới: 29/11/2025 08:30"));
	assert_non_null(strstr(body, "New return date: 29/11/2025 08:30"));
	compose(NK_RESULT_READY, NCH_EMAIL, &f, subject, body);
	assert_string_equal(subject, "Hồ sơ " CODE " đã có kết quả");
	compose(NK_PAYMENT_REQUESTED, NCH_EMAIL, &f, subject, body);
	assert_null(strstr(body, "Số tiền"));      /* amount unknown: not invented */
	f.amount_vnd = 1500000;
	compose(NK_PAYMENT_REQUESTED, NCH_EMAIL, &f, subject, body);
	assert_non_null(strstr(body, "Số tiền: 1.500.000 đồng"));
	assert_non_null(strstr(body, "(1.500.000 VND)"));
	compose(NK_PAYMENT_REQUESTED, NCH_SMS, &f, subject, body);
	assert_non_null(strstr(body, "1.500.000 đồng"));
	compose(NK_SUBMITTED, NCH_EMAIL, &f, subject, body);
	assert_non_null(strstr(subject, "Đã nhận hồ sơ trực tuyến"));
	f.text = "Đã khắc phục.";
	f.dossier_code = "PA-2025-0001";
	compose(NK_FEEDBACK_ANSWERED, NCH_EMAIL, &f, subject, body);
	assert_non_null(strstr(body, "Nội dung trả lời:\nĐã khắc phục."));
	f.link = "https://dvc.example.vn/xac-nhan?t=abc";
	f.dossier_code = NULL;
	compose(NK_VERIFY_EMAIL, NCH_EMAIL, &f, subject, body);
	assert_string_equal(subject, "Xác nhận địa chỉ thư điện tử");
	assert_non_null(strstr(body, "https://dvc.example.vn/xac-nhan?t=abc"));
	assert_null(strstr(body, "tra-cuu"));
	for (int k = 0; k < NK__MAX; k++) {
		compose((enum notify_kind)k, NCH_EMAIL, &f, subject, body);
		assert_non_null(strstr(body, "This is an automatic message"));
	}
}

static void test_subject_is_one_line(void **state)
{
	struct notify_facts f = facts();
	char subject[512], body[8192];

	(void)state;
	f.dossier_code = "X\r\nBcc: victim@example.vn";
	compose(NK_ACCEPTED, NCH_EMAIL, &f, subject, body);
	assert_null(strchr(subject, '\r'));
	assert_null(strchr(subject, '\n'));
}

static void test_too_small(void **state)
{
	const char *items[50];
	struct notify_facts f = facts();
	char subject[512], body[256];

	(void)state;
	for (int i = 0; i < 50; i++)
		items[i] = "Bản sao có chứng thực giấy tờ chứng minh nơi cư trú của người yêu cầu";
	f.items = items;
	f.nitems = 50;
	assert_int_equal(notify_compose(NK_SUPPLEMENT_REQUESTED, NCH_EMAIL, &f, subject, sizeof subject,
	                                body, sizeof body), -1);
}

static void test_backoff(void **state)
{
	(void)state;
	assert_int_equal(notify_retry_delay(1), 60);
	assert_int_equal(notify_retry_delay(2), 300);
	assert_int_equal(notify_retry_delay(3), 1800);
	assert_int_equal(notify_retry_delay(4), 7200);
	assert_int_equal(notify_retry_delay(5), 43200);
	assert_int_equal(notify_retry_delay(NOTIFY_MAX_ATTEMPTS), -1);
	assert_int_equal(notify_retry_delay(100), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_link_and_time),
		cmocka_unit_test(test_supplement),
		cmocka_unit_test(test_each_kind),
		cmocka_unit_test(test_subject_is_one_line),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_backoff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
