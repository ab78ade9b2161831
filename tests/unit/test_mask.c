/*
 * Tests for domain/mask: names, phone numbers and e-mail addresses on public pages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/mask.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define LIT(s) s, sizeof(s) - 1

typedef size_t (*mask_fn)(const char *, size_t, char *, size_t);

struct mask_case {
	const char *in;
	size_t len;
	const char *want;
};

/* Runs every case through fn with a roomy buffer, then again measuring only (NULL, 0)
 * and with a buffer one byte short, which must give a strict prefix of the answer. */
static void
check_cases(mask_fn fn, const struct mask_case *cases, size_t n)
{
	char out[128], cut[128];
	size_t i, want_len, got;

	for (i = 0; i < n; i++) {
		want_len = strlen(cases[i].want);
		got = fn(cases[i].in, cases[i].len, out, sizeof(out));
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("\"%.*s\" gave \"%s\", want \"%s\"", (int)cases[i].len,
			    cases[i].in, out, cases[i].want);
		assert_int_equal(got, want_len);
		assert_int_equal(fn(cases[i].in, cases[i].len, NULL, 0), want_len);
		if (want_len == 0)
			continue;
		assert_int_equal(fn(cases[i].in, cases[i].len, cut, want_len), want_len);
		assert_true(strlen(cut) < want_len);
		assert_memory_equal(cut, cases[i].want, strlen(cut));
	}
}

static const struct mask_case names[] = {
	{ LIT("Nguyễn Văn An"), "Nguyễn V** A**" },
	{ LIT("Trần Thị Bích Ngọc"), "Trần T** B** N**" },
	{ LIT("Đặng Ánh"), "Đặng Á**" },
	{ LIT("Lê Ông"), "Lê Ô**" },
	{ LIT("Lê Ưu"), "Lê Ư**" },
	/* extra spaces anywhere collapse */
	{ LIT("  Nguyễn   Văn\tAn  "), "Nguyễn V** A**" },
	{ LIT("Nguyễn\r\nVăn  \t An"), "Nguyễn V** A**" },
	/* one word: only its first character */
	{ LIT("An"), "A**" },
	{ LIT("   An   "), "A**" },
	{ LIT("Đức"), "Đ**" },
	{ LIT("X"), "X**" },
	/* nothing to show */
	{ LIT(""), "" },
	{ LIT("   \t "), "" },
	/* decomposed: the base letter alone is shown, its marks hidden with the rest */
	{ LIT("Le\xcc\x82 A\xcc\x81nh"), "Le\xcc\x82 A**" },
	{ LIT("A\xcc\x81nh"), "A**" },
	/* four-byte first characters stay whole */
	{ LIT("Lê \xf0\xa0\x80\x80" "b"), "Lê \xf0\xa0\x80\x80**" },
	/* a bad byte is one character, and nothing past len is read */
	{ LIT("Lê \xff" "b"), "Lê \xff**" },
	{ LIT("Lê \xe1\xbb"), "Lê \xe1**" },
	{ "Nguyễn Văn An", 10, "Nguyễn V**" },
};

static void
test_mask_person_name(void **state)
{
	(void)state;
	check_cases(mask_person_name, names, NELEMS(names));
}

/* Cuts never split a code point. */
static void
test_mask_person_name_cut(void **state)
{
	char out[16];

	(void)state;
	/* "Lê Á**" is 3 + 1 + 2 + 2 bytes */
	assert_int_equal(mask_person_name(LIT("Lê Ánh"), out, 4), 8);
	assert_string_equal(out, "Lê");
	assert_int_equal(mask_person_name(LIT("Lê Ánh"), out, 6), 8);
	assert_string_equal(out, "Lê");     /* the space waits for the Á */
	assert_int_equal(mask_person_name(LIT("Lê Ánh"), out, 7), 8);
	assert_string_equal(out, "Lê Á");
	assert_int_equal(mask_person_name(LIT("Lê Ánh"), out, 8), 8);
	assert_string_equal(out, "Lê Á");   /* "**" is one piece */
	assert_int_equal(mask_person_name(LIT("Lê Ánh"), out, 9), 8);
	assert_string_equal(out, "Lê Á**");
	assert_int_equal(mask_person_name(LIT("Ánh"), out, 2), 4);
	assert_string_equal(out, "");
}

static const struct mask_case phones[] = {
	{ LIT("0912345678"), "091****678" },
	{ LIT("091 234 5678"), "091****678" },
	{ LIT("091.234.5678"), "091****678" },
	{ LIT("+84912345678"), "+849*****678" },
	{ LIT(" +84 91 234 5678"), "+849*****678" },
	{ LIT("02838123456"), "028*****456" },
	{ LIT("1234567"), "123*567" },          /* the shortest with a hidden part */
	{ LIT("123456"), "******" },            /* too short: all hidden */
	{ LIT("1"), "*" },
	{ LIT(""), "" },
	{ LIT("không có"), "" },
	{ LIT("09123\0" "45678"), "091****678" },
};

static void
test_mask_phone(void **state)
{
	(void)state;
	check_cases(mask_phone, phones, NELEMS(phones));
}

static const struct mask_case emails[] = {
	{ LIT("an.nguyen@example.vn"), "a***@example.vn" },
	{ LIT("a@b.vn"), "a***@b.vn" },
	{ LIT("đức@example.vn"), "đ***@example.vn" },
	{ LIT("\"a@b\"@example.vn"), "\"***@example.vn" },  /* the last '@' counts */
	{ LIT("@example.vn"), "***" },
	{ LIT("an.nguyen@"), "***" },
	{ LIT("an.nguyen"), "***" },
	{ LIT("@"), "***" },
	{ LIT(""), "***" },
	{ "an@example.vn", 2, "***" },                      /* len cuts before the '@' */
};

static void
test_mask_email(void **state)
{
	(void)state;
	check_cases(mask_email, emails, NELEMS(emails));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask_person_name),
		cmocka_unit_test(test_mask_person_name_cut),
		cmocka_unit_test(test_mask_phone),
		cmocka_unit_test(test_mask_email),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
