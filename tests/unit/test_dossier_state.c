/*
 * Tests for domain/dossier_state: codes, labels and properties of states and channels.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/dossier_state.h"
#include "domain/text.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	enum dossier_state s;
	const char *code, *vi;
	int terminal, paused;
} states[] = {
	{ STATE_SUBMITTED, "submitted", "Chờ tiếp nhận", 0, 0 },
	{ STATE_PROCESSING, "processing", "Đang xử lý", 0, 0 },
	{ STATE_AWAITING_SUPPLEMENT, "awaiting_supplement", "Chờ bổ sung", 0, 1 },
	{ STATE_AWAITING_PAYMENT, "awaiting_payment", "Chờ thực hiện nghĩa vụ tài chính", 0, 1 },
	{ STATE_SUSPENDED, "suspended", "Tạm dừng xử lý", 0, 1 },
	{ STATE_RESOLVED, "resolved", "Đã có kết quả, chờ trả", 0, 0 },
	{ STATE_RETURNED, "returned", "Đã trả kết quả", 1, 0 },
	{ STATE_REFUSED, "refused", "Từ chối giải quyết", 1, 0 },
	{ STATE_WITHDRAWN, "withdrawn", "Đã rút hồ sơ", 1, 0 },
	{ STATE_NOT_ACCEPTED, "not_accepted", "Không tiếp nhận", 1, 0 },
};

static void
test_state_table_is_complete(void **state)
{
	(void)state;
	assert_int_equal(NELEMS(states), STATE__MAX);
}

static void
test_dossier_state_code(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(states); i++)
		assert_string_equal(dossier_state_code(states[i].s), states[i].code);
	assert_null(dossier_state_code(STATE__MAX));
	assert_null(dossier_state_code((enum dossier_state)-1));
}

static void
test_dossier_state_label_vi(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(states); i++)
		assert_string_equal(dossier_state_label_vi(states[i].s), states[i].vi);
	assert_null(dossier_state_label_vi(STATE__MAX));
}

/* English labels: present, valid text, all different from each other. */
static void
test_dossier_state_label_en(void **state)
{
	const char *a, *b;
	size_t i, j;

	(void)state;
	for (i = 0; i < NELEMS(states); i++) {
		a = dossier_state_label_en(states[i].s);
		assert_non_null(a);
		assert_true(strlen(a) > 0 && utf8_valid_text(a, strlen(a)));
		for (j = 0; j < i; j++) {
			b = dossier_state_label_en(states[j].s);
			assert_string_not_equal(a, b);
		}
	}
	assert_string_equal(dossier_state_label_en(STATE_AWAITING_SUPPLEMENT),
	    "Awaiting supplement");
	assert_null(dossier_state_label_en(STATE__MAX));
}

static void
test_dossier_state_from_code(void **state)
{
	static const char *const unknown[] = {
		"", "Processing", "PROCESSING", "process", "processing ", " processing",
		"awaiting", "closed", "đang xử lý",
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(states); i++)
		assert_int_equal(dossier_state_from_code(states[i].code, strlen(states[i].code)),
		    states[i].s);
	for (i = 0; i < NELEMS(unknown); i++)
		assert_int_equal(dossier_state_from_code(unknown[i], strlen(unknown[i])), -1);
	/* by length, not NUL: a prefix is not a match, a longer buffer can hold one */
	assert_int_equal(dossier_state_from_code("processing", 7), -1);
	assert_int_equal(dossier_state_from_code("refusedXYZ", 7), STATE_REFUSED);
	assert_int_equal(dossier_state_from_code("refused\0", 8), -1);
	assert_int_equal(dossier_state_from_code(NULL, 0), -1);
}

static void
test_dossier_state_is_terminal(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(states); i++)
		assert_int_equal(!!dossier_state_is_terminal(states[i].s), states[i].terminal);
}

static void
test_dossier_state_is_paused(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(states); i++) {
		assert_int_equal(!!dossier_state_is_paused(states[i].s), states[i].paused);
		/* a paused clock is never a stopped one */
		assert_false(states[i].paused && states[i].terminal);
	}
}

static const struct {
	enum channel c;
	const char *code, *vi;
} channels[] = {
	{ CHANNEL_DIRECT, "direct", "Trực tiếp" },
	{ CHANNEL_ONLINE, "online", "Trực tuyến" },
	{ CHANNEL_POSTAL, "postal", "Bưu chính công ích" },
};

static void
test_channel_code_and_labels(void **state)
{
	const char *en;
	size_t i, j;

	(void)state;
	assert_int_equal(NELEMS(channels), CHANNEL__MAX);
	for (i = 0; i < NELEMS(channels); i++) {
		assert_string_equal(channel_code(channels[i].c), channels[i].code);
		assert_string_equal(channel_label_vi(channels[i].c), channels[i].vi);
		en = channel_label_en(channels[i].c);
		assert_non_null(en);
		assert_true(strlen(en) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(en, channel_label_en(channels[j].c));
	}
	assert_null(channel_code(CHANNEL__MAX));
	assert_null(channel_label_vi(CHANNEL__MAX));
	assert_null(channel_label_en((enum channel)-1));
}

static void
test_channel_from_code(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(channels); i++)
		assert_int_equal(channel_from_code(channels[i].code, strlen(channels[i].code)),
		    channels[i].c);
	assert_int_equal(channel_from_code("Online", 6), -1);
	assert_int_equal(channel_from_code("post", 4), -1);
	assert_int_equal(channel_from_code("", 0), -1);
	assert_int_equal(channel_from_code("submitted", 9), -1);
	assert_int_equal(channel_from_code(NULL, 0), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_table_is_complete),
		cmocka_unit_test(test_dossier_state_code),
		cmocka_unit_test(test_dossier_state_label_vi),
		cmocka_unit_test(test_dossier_state_label_en),
		cmocka_unit_test(test_dossier_state_from_code),
		cmocka_unit_test(test_dossier_state_is_terminal),
		cmocka_unit_test(test_dossier_state_is_paused),
		cmocka_unit_test(test_channel_code_and_labels),
		cmocka_unit_test(test_channel_from_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
