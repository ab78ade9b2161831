/*
 * Tests for domain/dossier_code: unit codes, parsing and formatting dossier codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/dossier_code.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define LIT(s) s, sizeof(s) - 1

static void
test_unit_code_valid(void **state)
{
	static const char *const good[] = {
		"000.00.20.H12", "999.99.99.Z99", "000.00.00.A00", "001.02.03.H56",
	};
	static const char *const bad[] = {
		"", "000.00.20.H1", "000.00.20.H123", "000.00.20.h12", "000.00.20.112",
		"000.00.20.HH2", "00.000.20.H12", "000-00-20-H12", "000.00.20,H12",
		"0a0.00.20.H12", "000.00.20.Đ1", " 00.00.20.H12", "000.00.20.H1 ",
		"000.00.2.0H12",
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(good); i++)
		assert_true(unit_code_valid(good[i], strlen(good[i])));
	for (i = 0; i < NELEMS(bad); i++)
		if (unit_code_valid(bad[i], strlen(bad[i])))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_false(unit_code_valid("000.00.20.H12\0", 14));
	assert_false(unit_code_valid("000.00.20.H12", 12));
	assert_false(unit_code_valid(NULL, 0));
}

static const struct {
	const char *s;
	const char *unit;
	int y, m, d;
	unsigned long seq;
} parse_good[] = {
	{ "000.00.20.H12-250304-0001", "000.00.20.H12", 2025, 3, 4, 1 },
	{ "000.00.20.H12-250304-0010", "000.00.20.H12", 2025, 3, 4, 10 },
	{ "000.00.20.H12-250304-9999", "000.00.20.H12", 2025, 3, 4, 9999 },
	{ "000.00.20.H12-250304-10000", "000.00.20.H12", 2025, 3, 4, 10000 },
	{ "000.00.20.H12-250304-12345", "000.00.20.H12", 2025, 3, 4, 12345 },
	{ "000.00.20.H12-250304-9999999", "000.00.20.H12", 2025, 3, 4, 9999999 },
	{ "001.02.03.H56-240229-0042", "001.02.03.H56", 2024, 2, 29, 42 },  /* leap day */
	{ "000.00.20.H12-000101-0001", "000.00.20.H12", 2000, 1, 1, 1 },
	{ "000.00.20.H12-991231-0001", "000.00.20.H12", 2099, 12, 31, 1 },
};

static void
test_dossier_code_parse_good(void **state)
{
	struct dossier_code dc;
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(parse_good); i++) {
		memset(&dc, 0xff, sizeof(dc));
		assert_int_equal(dossier_code_parse(parse_good[i].s, strlen(parse_good[i].s),
		    &dc), DOSSIER_CODE_OK);
		assert_string_equal(dc.unit, parse_good[i].unit);
		assert_int_equal(dc.year, parse_good[i].y);
		assert_int_equal(dc.month, parse_good[i].m);
		assert_int_equal(dc.day, parse_good[i].d);
		assert_int_equal(dc.seq, parse_good[i].seq);
	}
}

static const struct {
	const char *s;
	size_t len;
	enum dossier_code_err err;
} parse_bad[] = {
	{ LIT(""), DOSSIER_CODE_EMPTY },
	{ LIT("000.00.20.H12-250304-0001-000.00.20.H12-2"), DOSSIER_CODE_TOO_LONG },  /* 41 */
	{ LIT("000.00.20.H12.000.00.20.H12-250304-00001"), DOSSIER_CODE_BAD_UNIT },  /* 40 */
	{ LIT("000.00.20.H12"), DOSSIER_CODE_BAD_SHAPE },
	{ LIT("000.00.20.H12-250304"), DOSSIER_CODE_BAD_SHAPE },
	{ LIT("000.00.20.H12-250304-0001-1"), DOSSIER_CODE_BAD_SHAPE },
	{ LIT("000.00.20.H12_250304_0001"), DOSSIER_CODE_BAD_SHAPE },
	{ LIT("--"), DOSSIER_CODE_BAD_UNIT },
	{ LIT("000.00.20.h12-250304-0001"), DOSSIER_CODE_BAD_UNIT },
	{ LIT("000.00.20.H1-250304-0001"), DOSSIER_CODE_BAD_UNIT },
	{ LIT(" 000.00.20.H12-250304-0001"), DOSSIER_CODE_BAD_UNIT },
	{ LIT("000.00.20.H12-250229-0001"), DOSSIER_CODE_BAD_DATE },   /* 2025 not leap */
	{ LIT("000.00.20.H12-251301-0001"), DOSSIER_CODE_BAD_DATE },
	{ LIT("000.00.20.H12-250001-0001"), DOSSIER_CODE_BAD_DATE },
	{ LIT("000.00.20.H12-250300-0001"), DOSSIER_CODE_BAD_DATE },
	{ LIT("000.00.20.H12-250431-0001"), DOSSIER_CODE_BAD_DATE },
	{ LIT("000.00.20.H12-25034-0001"), DOSSIER_CODE_BAD_DATE },
	{ LIT("000.00.20.H12-2503041-0001"), DOSSIER_CODE_BAD_DATE },
	{ LIT("000.00.20.H12-20250304-0001"), DOSSIER_CODE_BAD_DATE },
	{ LIT("000.00.20.H12-25a304-0001"), DOSSIER_CODE_BAD_DATE },
	{ LIT("000.00.20.H12--0001"), DOSSIER_CODE_BAD_DATE },
	{ LIT("000.00.20.H12-250304-"), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-1"), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-001"), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-0000"), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-00001"), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-09999"), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-012345"), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-10000000"), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-+001"), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-00 1"), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-0001 "), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-000a"), DOSSIER_CODE_BAD_SEQ },
	{ LIT("000.00.20.H12-250304-0001\0"), DOSSIER_CODE_BAD_SEQ },
};

static void
test_dossier_code_parse_bad(void **state)
{
	struct dossier_code dc;
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(parse_bad); i++) {
		enum dossier_code_err e = dossier_code_parse(parse_bad[i].s, parse_bad[i].len, &dc);

		if (e != parse_bad[i].err)
			fail_msg("\"%s\": got %d, want %d", parse_bad[i].s, e, parse_bad[i].err);
	}
	assert_int_equal(dossier_code_parse(NULL, 0, &dc), DOSSIER_CODE_EMPTY);
}

/* The length, not a NUL, ends the code. */
static void
test_dossier_code_parse_length(void **state)
{
	static const char s[] = "000.00.20.H12-250304-00011234";
	struct dossier_code dc;

	(void)state;
	assert_int_equal(dossier_code_parse(s, 25, &dc), DOSSIER_CODE_OK);
	assert_int_equal(dc.seq, 1);
	assert_int_equal(dossier_code_parse(s, 24, &dc), DOSSIER_CODE_BAD_SEQ);
}

static void
test_dossier_code_format(void **state)
{
	static const struct {
		unsigned long seq;
		const char *want;
	} cases[] = {
		{ 1, "000.00.20.H12-250304-0001" },
		{ 999, "000.00.20.H12-250304-0999" },
		{ 9999, "000.00.20.H12-250304-9999" },
		{ 10000, "000.00.20.H12-250304-10000" },
		{ 9999999, "000.00.20.H12-250304-9999999" },
	};
	char buf[DOSSIER_CODE_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(cases); i++) {
		assert_int_equal(dossier_code_format("000.00.20.H12", 2025, 3, 4, cases[i].seq,
		    buf, sizeof(buf)), (int)strlen(cases[i].want));
		assert_string_equal(buf, cases[i].want);
	}
	assert_int_equal(dossier_code_format("001.02.03.H56", 2024, 2, 29, 7, buf,
	    sizeof(buf)), 25);
	assert_string_equal(buf, "001.02.03.H56-240229-0007");
	assert_int_equal(dossier_code_format("000.00.20.H12", 2000, 1, 1, 1, buf,
	    sizeof(buf)), 25);
	assert_string_equal(buf, "000.00.20.H12-000101-0001");
}

static void
test_dossier_code_format_invalid(void **state)
{
	static const struct {
		const char *unit;
		int y, m, d;
		unsigned long seq;
	} bad[] = {
		{ "000.00.20.H12", 2025, 3, 4, 0 },
		{ "000.00.20.H12", 2025, 3, 4, 10000000 },
		{ "000.00.20.H12", 1999, 12, 31, 1 },
		{ "000.00.20.H12", 2100, 1, 1, 1 },
		{ "000.00.20.H12", 2025, 2, 29, 1 },
		{ "000.00.20.H12", 2025, 13, 1, 1 },
		{ "000.00.20.H12", 2025, 1, 0, 1 },
		{ "000.00.20.H1", 2025, 3, 4, 1 },
		{ "000.00.20.H123", 2025, 3, 4, 1 },
		{ "000.00.20.h12", 2025, 3, 4, 1 },
		{ "", 2025, 3, 4, 1 },
		{ NULL, 2025, 3, 4, 1 },
	};
	char buf[DOSSIER_CODE_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(bad); i++)
		assert_int_equal(dossier_code_format(bad[i].unit, bad[i].y, bad[i].m, bad[i].d,
		    bad[i].seq, buf, sizeof(buf)), -1);
	/* room for the 25 bytes but not the NUL */
	assert_int_equal(dossier_code_format("000.00.20.H12", 2025, 3, 4, 1, buf, 25), -1);
	assert_int_equal(dossier_code_format("000.00.20.H12", 2025, 3, 4, 1, buf, 26), 25);
	assert_int_equal(dossier_code_format("000.00.20.H12", 2025, 3, 4, 1, NULL, 0), -1);
}

/* What format writes, parse reads back, for sequences around every width change. */
static void
test_dossier_code_round_trip(void **state)
{
	static const unsigned long seqs[] = {
		1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 99999, 100000, 999999, 1000000,
		9999999,
	};
	struct dossier_code dc;
	char buf[DOSSIER_CODE_MAX + 1];
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < NELEMS(seqs); i++) {
		n = dossier_code_format("123.45.67.X89", 2028, 2, 29, seqs[i], buf, sizeof(buf));
		assert_true(n > 0);
		assert_int_equal(dossier_code_parse(buf, (size_t)n, &dc), DOSSIER_CODE_OK);
		assert_string_equal(dc.unit, "123.45.67.X89");
		assert_int_equal(dc.year, 2028);
		assert_int_equal(dc.month, 2);
		assert_int_equal(dc.day, 29);
		assert_int_equal(dc.seq, seqs[i]);
	}
}

static void
test_dossier_code_strerror(void **state)
{
	const char *seen[DOSSIER_CODE_ERR__MAX];
	int e, j;

	(void)state;
	for (e = 0; e < DOSSIER_CODE_ERR__MAX; e++) {
		seen[e] = dossier_code_strerror((enum dossier_code_err)e);
		assert_non_null(seen[e]);
		assert_true(strlen(seen[e]) > 0);
		for (j = 0; j < e; j++)
			assert_string_not_equal(seen[j], seen[e]);
	}
	assert_non_null(dossier_code_strerror(DOSSIER_CODE_ERR__MAX));
	assert_non_null(dossier_code_strerror((enum dossier_code_err)-1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unit_code_valid),
		cmocka_unit_test(test_dossier_code_parse_good),
		cmocka_unit_test(test_dossier_code_parse_bad),
		cmocka_unit_test(test_dossier_code_parse_length),
		cmocka_unit_test(test_dossier_code_format),
		cmocka_unit_test(test_dossier_code_format_invalid),
		cmocka_unit_test(test_dossier_code_round_trip),
		cmocka_unit_test(test_dossier_code_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
