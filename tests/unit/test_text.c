/*
 * Tests for domain/text: UTF-8 validation and decoding, search folding, text_out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/text.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define LIT(s) s, sizeof(s) - 1     /* a literal and its length, NULs inside counted */

struct bytes {
	const char *s;
	size_t len;
};

static const struct bytes valid_texts[] = {
	{ LIT("") },
	{ LIT("hello") },
	{ LIT("Đăng ký khai sinh") },
	{ LIT("tab\there\nnew line\r\n") },
	{ LIT("\x7e") },                        /* ~, the last printable ASCII */
	{ LIT("\xc2\x80") },                    /* U+0080: C1 controls are not refused */
	{ LIT("\xc2\xa0") },                    /* NBSP */
	{ LIT("\xdf\xbf") },                    /* U+07FF, last 2-byte */
	{ LIT("\xe0\xa0\x80") },                /* U+0800, first 3-byte */
	{ LIT("\xed\x9f\xbf") },                /* U+D7FF, just before the surrogates */
	{ LIT("\xee\x80\x80") },                /* U+E000, just after */
	{ LIT("\xef\xbf\xbf") },                /* U+FFFF */
	{ LIT("\xf0\x90\x80\x80") },            /* U+10000, first 4-byte */
	{ LIT("\xf0\x9f\x98\x80") },            /* an emoji */
	{ LIT("\xf4\x8f\xbf\xbf") },            /* U+10FFFF, the last code point */
};

static const struct bytes invalid_texts[] = {
	/* overlongs */
	{ LIT("\xc0\x80") }, { LIT("\xc0\xaf") }, { LIT("\xc1\xbf") },
	{ LIT("\xe0\x80\x80") }, { LIT("\xe0\x9f\xbf") },
	{ LIT("\xf0\x80\x80\x80") }, { LIT("\xf0\x8f\xbf\xbf") },
	/* surrogates */
	{ LIT("\xed\xa0\x80") }, { LIT("\xed\xaf\xbf") }, { LIT("\xed\xb0\x80") },
	{ LIT("\xed\xbf\xbf") }, { LIT("\xed\xa0\xbd\xed\xb8\x80") },
	/* beyond U+10FFFF, and bytes that never occur */
	{ LIT("\xf4\x90\x80\x80") }, { LIT("\xf5\x80\x80\x80") }, { LIT("\xf7\xbf\xbf\xbf") },
	{ LIT("\xf8\x88\x80\x80\x80") }, { LIT("\xfc\x84\x80\x80\x80\x80") },
	{ LIT("\xfe") }, { LIT("\xff") },
	/* truncated, at the end and in the middle */
	{ LIT("\xc3") }, { LIT("\xe1\x80") }, { LIT("\xf0\x90\x80") }, { LIT("\xe1") },
	{ LIT("abc\xc4") }, { LIT("\xe1\x80z") }, { LIT("\xf0\x90\x80z") },
	/* lone and bad continuation bytes */
	{ LIT("\x80") }, { LIT("\xbf") }, { LIT("a\x80z") }, { LIT("\xc3\x28") },
	{ LIT("\xc3\xc3\xa9") }, { LIT("\xe1\x80\x28") }, { LIT("\xf0\x90\x28\x80") },
	/* NUL, C0 controls other than TAB LF CR, DEL */
	{ LIT("\0") }, { LIT("a\0b") }, { LIT("\x01") }, { LIT("\x08") }, { LIT("\x0b") },
	{ LIT("\x0c") }, { LIT("\x1b[0m") }, { LIT("\x1f") }, { LIT("\x7f") },
	{ LIT("Nguy\xe1\xbb\x85n\x7f") },
};

static void
test_utf8_valid_text_good(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(valid_texts); i++)
		if (!utf8_valid_text(valid_texts[i].s, valid_texts[i].len))
			fail_msg("valid text %zu refused", i);
}

static void
test_utf8_valid_text_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(invalid_texts); i++)
		if (utf8_valid_text(invalid_texts[i].s, invalid_texts[i].len))
			fail_msg("invalid text %zu accepted", i);
}

/* The length bounds the check: bytes past it are never read. */
static void
test_utf8_valid_text_length(void **state)
{
	static const char s[] = "ok\xc3\xa9\xff";

	(void)state;
	assert_true(utf8_valid_text(s, 4));
	assert_false(utf8_valid_text(s, 3));    /* cuts é in half */
	assert_false(utf8_valid_text(s, 5));
}

static void
test_utf8_decode(void **state)
{
	static const struct {
		struct bytes in;
		size_t n;
		uint32_t cp;
	} cases[] = {
		{ { LIT("A") }, 1, 0x41 },
		{ { LIT("\0") }, 1, 0 },
		{ { LIT("\xc4\x91x") }, 2, 0x111 },             /* đ */
		{ { LIT("\xe1\xbb\x87") }, 3, 0x1EC7 },         /* ệ */
		{ { LIT("\xf0\x9f\x98\x80") }, 4, 0x1F600 },
		{ { LIT("\xf4\x8f\xbf\xbf") }, 4, 0x10FFFF },
		{ { LIT("\xc0\x80") }, 0, 0 },
		{ { LIT("\xed\xa0\x80") }, 0, 0 },
		{ { LIT("\xf4\x90\x80\x80") }, 0, 0 },
		{ { LIT("\xe1\xbb") }, 0, 0 },
		{ { LIT("\x80") }, 0, 0 },
		{ { "", 0 }, 0, 0 },
	};
	uint32_t cp;
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(cases); i++) {
		cp = 0xDEADBEEF;
		assert_int_equal(utf8_decode(cases[i].in.s, cases[i].in.len, &cp), cases[i].n);
		if (cases[i].n > 0)
			assert_int_equal(cp, cases[i].cp);
	}
}

static void
test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(LIT("")), 0);
	assert_int_equal(utf8_length(LIT("abc")), 3);
	assert_int_equal(utf8_length(LIT("Đăng ký")), 7);
	assert_int_equal(utf8_length(LIT("a\xf0\x9f\x98\x80z")), 3);
	assert_int_equal(utf8_length("Đăng ký", 2), 1);
}

/* Folds in[0..len) into a roomy buffer, checks the result and the returned length. */
static void
check_fold(const char *in, size_t len, const char *want)
{
	char out[512];
	size_t n = text_fold(in, len, out, sizeof(out));

	if (strcmp(out, want) != 0)
		fail_msg("fold of \"%.*s\" gave \"%s\", want \"%s\"", (int)len, in, out, want);
	assert_int_equal(n, strlen(want));
}

/* Every precomposed Vietnamese letter with a diacritic, upper and lower case. */
static const struct {
	const char *letters;
	char base;
} precomposed[] = {
	{ "àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'a' },
	{ "đĐ", 'd' },
	{ "èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ", 'e' },
	{ "ìíỉĩịÌÍỈĨỊ", 'i' },
	{ "òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'o' },
	{ "ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ", 'u' },
	{ "ỳýỷỹỵỲÝỶỸỴ", 'y' },
};

static void
test_text_fold_every_precomposed_letter(void **state)
{
	const char *p;
	char want[2] = { 0 };
	size_t i, n, count = 0;
	uint32_t cp;

	(void)state;
	for (i = 0; i < NELEMS(precomposed); i++) {
		want[0] = precomposed[i].base;
		for (p = precomposed[i].letters; *p != '\0'; p += n) {
			n = utf8_decode(p, strlen(p), &cp);
			assert_true(n == 2 || n == 3);
			check_fold(p, n, want);
			count++;
		}
	}
	assert_int_equal(count, 134);
}

/* The same letters decomposed (NFD, base letter + combining marks), generated with
 * Python's unicodedata.normalize("NFD", ...). */
static const struct {
	char base;
	size_t count;
	const char *letters;
} decomposed[] = {
	{ 'a', 34,
	    "a\xcc\x80" "a\xcc\x81" "a\xcc\x89" "a\xcc\x83" "a\xcc\xa3" "a\xcc\x86"
	    "a\xcc\x86\xcc\x80" "a\xcc\x86\xcc\x81" "a\xcc\x86\xcc\x89" "a\xcc\x86\xcc\x83"
	    "a\xcc\xa3\xcc\x86" "a\xcc\x82" "a\xcc\x82\xcc\x80" "a\xcc\x82\xcc\x81"
	    "a\xcc\x82\xcc\x89" "a\xcc\x82\xcc\x83" "a\xcc\xa3\xcc\x82" "A\xcc\x80"
	    "A\xcc\x81" "A\xcc\x89" "A\xcc\x83" "A\xcc\xa3" "A\xcc\x86" "A\xcc\x86\xcc\x80"
	    "A\xcc\x86\xcc\x81" "A\xcc\x86\xcc\x89" "A\xcc\x86\xcc\x83" "A\xcc\xa3\xcc\x86"
	    "A\xcc\x82" "A\xcc\x82\xcc\x80" "A\xcc\x82\xcc\x81" "A\xcc\x82\xcc\x89"
	    "A\xcc\x82\xcc\x83" "A\xcc\xa3\xcc\x82" },
	{ 'e', 22,
	    "e\xcc\x80" "e\xcc\x81" "e\xcc\x89" "e\xcc\x83" "e\xcc\xa3" "e\xcc\x82"
	    "e\xcc\x82\xcc\x80" "e\xcc\x82\xcc\x81" "e\xcc\x82\xcc\x89" "e\xcc\x82\xcc\x83"
	    "e\xcc\xa3\xcc\x82" "E\xcc\x80" "E\xcc\x81" "E\xcc\x89" "E\xcc\x83" "E\xcc\xa3"
	    "E\xcc\x82" "E\xcc\x82\xcc\x80" "E\xcc\x82\xcc\x81" "E\xcc\x82\xcc\x89"
	    "E\xcc\x82\xcc\x83" "E\xcc\xa3\xcc\x82" },
	{ 'i', 10,
	    "i\xcc\x80" "i\xcc\x81" "i\xcc\x89" "i\xcc\x83" "i\xcc\xa3" "I\xcc\x80"
	    "I\xcc\x81" "I\xcc\x89" "I\xcc\x83" "I\xcc\xa3" },
	{ 'o', 34,
	    "o\xcc\x80" "o\xcc\x81" "o\xcc\x89" "o\xcc\x83" "o\xcc\xa3" "o\xcc\x82"
	    "o\xcc\x82\xcc\x80" "o\xcc\x82\xcc\x81" "o\xcc\x82\xcc\x89" "o\xcc\x82\xcc\x83"
	    "o\xcc\xa3\xcc\x82" "o\xcc\x9b" "o\xcc\x9b\xcc\x80" "o\xcc\x9b\xcc\x81"
	    "o\xcc\x9b\xcc\x89" "o\xcc\x9b\xcc\x83" "o\xcc\x9b\xcc\xa3" "O\xcc\x80"
	    "O\xcc\x81" "O\xcc\x89" "O\xcc\x83" "O\xcc\xa3" "O\xcc\x82" "O\xcc\x82\xcc\x80"
	    "O\xcc\x82\xcc\x81" "O\xcc\x82\xcc\x89" "O\xcc\x82\xcc\x83" "O\xcc\xa3\xcc\x82"
	    "O\xcc\x9b" "O\xcc\x9b\xcc\x80" "O\xcc\x9b\xcc\x81" "O\xcc\x9b\xcc\x89"
	    "O\xcc\x9b\xcc\x83" "O\xcc\x9b\xcc\xa3" },
	{ 'u', 22,
	    "u\xcc\x80" "u\xcc\x81" "u\xcc\x89" "u\xcc\x83" "u\xcc\xa3" "u\xcc\x9b"
	    "u\xcc\x9b\xcc\x80" "u\xcc\x9b\xcc\x81" "u\xcc\x9b\xcc\x89" "u\xcc\x9b\xcc\x83"
	    "u\xcc\x9b\xcc\xa3" "U\xcc\x80" "U\xcc\x81" "U\xcc\x89" "U\xcc\x83" "U\xcc\xa3"
	    "U\xcc\x9b" "U\xcc\x9b\xcc\x80" "U\xcc\x9b\xcc\x81" "U\xcc\x9b\xcc\x89"
	    "U\xcc\x9b\xcc\x83" "U\xcc\x9b\xcc\xa3" },
	{ 'y', 10,
	    "y\xcc\x80" "y\xcc\x81" "y\xcc\x89" "y\xcc\x83" "y\xcc\xa3" "Y\xcc\x80"
	    "Y\xcc\x81" "Y\xcc\x89" "Y\xcc\x83" "Y\xcc\xa3" },
};

static void
test_text_fold_every_decomposed_letter(void **state)
{
	char want[64];
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(decomposed); i++) {
		assert_true(decomposed[i].count < sizeof(want));
		memset(want, decomposed[i].base, decomposed[i].count);
		want[decomposed[i].count] = '\0';
		check_fold(decomposed[i].letters, strlen(decomposed[i].letters), want);
	}
}

static const struct {
	struct bytes in;
	const char *want;
} fold_cases[] = {
	{ { LIT("Đăng ký khai sinh") }, "dang ky khai sinh" },
	{ { LIT("\xc4\x90" "a\xcc\x86ng ky\xcc\x81 khai sinh") }, "dang ky khai sinh" },
	{ { LIT("Quye\xcc\x82\xcc\x81t \xc4\x91i\xcc\xa3nh") }, "quyet dinh" },
	/* marks in a non-canonical order, and a mark with nothing to sit on */
	{ { LIT("a\xcc\x82\xcc\xa3" "c") }, "ac" },
	{ { LIT("\xcc\x81") }, "" },
	{ { LIT("x \xcc\x81 y") }, "x y" },
	{ { LIT("1.001193") }, "1 001193" },
	{ { LIT("2.002622.H56") }, "2 002622 h56" },
	{ { LIT("Lao động – Thương binh và Xã hội") }, "lao dong thuong binh va xa hoi" },
	{ { LIT("Lao \xc4\x91o\xcc\xa3\xcc\x82ng \xe2\x80\x93 Thu\xcc\x9bo\xcc\x9bng binh") },
	    "lao dong thuong binh" },
	{ { LIT("  Hello,   WORLD!!  ") }, "hello world" },
	{ { LIT("\t\r\n") }, "" },
	{ { LIT("!!!") }, "" },
	{ { LIT("") }, "" },
	{ { LIT("“Giấy phép” (bản sao)…") }, "giay phep ban sao" },
	{ { LIT("Phí: 100.000₫") }, "phi 100 000" },
	{ { LIT("a\xc2\xa0" "b") }, "a b" },                    /* NBSP */
	{ { LIT("a\xe2\x80\x8b" "b") }, "a b" },                /* zero-width space */
	{ { LIT("\xef\xbb\xbf" "abc") }, "abc" },               /* BOM */
	{ { LIT("a😀b") }, "a b" },
	{ { LIT("5×3÷1") }, "5 3 1" },
	{ { LIT("Số №12") }, "so 12" },
	{ { LIT("a\xef\xbc\x8c" "b") }, "a b" },                /* fullwidth comma */
	/* bytes that are not UTF-8 separate, NUL too */
	{ { LIT("a\xff" "b") }, "a b" },
	{ { LIT("a\xed\xa0\x80" "b") }, "a b" },
	{ { LIT("a\0b") }, "a b" },
	{ { LIT("\xc3") }, "" },
	/* other letters: kept, lowered where simple */
	{ { LIT("Ça Ñandú Ärger ß") }, "ça ñandu ärger ß" },  /* ú is Vietnamese */
	{ { LIT("ŁÓDŹ Œuvre") }, "łodź œuvre" },
	{ { LIT("ΑΘΗΝΑ Σ") }, "αθηνα σ" },
	{ { LIT("МОСКВА ЁЖ Ђ") }, "москва ёж ђ" },
	{ { LIT("漢字 かな") }, "漢字 かな" },
	{ { LIT("İ Ÿ") }, "İ Ÿ" },                              /* irregular: left alone */
};

static void
test_text_fold_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(fold_cases); i++)
		check_fold(fold_cases[i].in.s, fold_cases[i].in.len, fold_cases[i].want);
}

/* Precomposed and decomposed spellings of a phrase fold to the same key. */
static void
test_text_fold_nfc_equals_nfd(void **state)
{
	static const char nfc[] = "Thủ tục hành chính Nguyễn";
	static const char nfd[] = "Thu\xcc\x89 tu\xcc\xa3" "c ha\xcc\x80nh chi\xcc\x81nh "
	    "Nguye\xcc\x82\xcc\x83n";
	char a[64], b[64];

	(void)state;
	text_fold(nfc, strlen(nfc), a, sizeof(a));
	text_fold(nfd, strlen(nfd), b, sizeof(b));
	assert_string_equal(a, b);
	assert_string_equal(a, "thu tuc hanh chinh nguyen");
}

/* Cut like snprintf, but never inside a UTF-8 sequence and never ending in a space. */
static void
test_text_fold_cut(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(text_fold(LIT("Đăng ký"), NULL, 0), 7);
	memset(out, 'X', sizeof(out));
	assert_int_equal(text_fold(LIT("Đăng ký"), out, 1), 7);
	assert_string_equal(out, "");
	assert_int_equal(text_fold(LIT("Đăng ký"), out, 5), 7);
	assert_string_equal(out, "dang");
	assert_int_equal(text_fold(LIT("Đăng ký"), out, 6), 7);
	assert_string_equal(out, "dang");   /* the space waits for the 'k' */
	assert_int_equal(text_fold(LIT("Đăng ký"), out, 7), 7);
	assert_string_equal(out, "dang k");
	assert_int_equal(text_fold(LIT("Đăng ký"), out, 8), 7);
	assert_string_equal(out, "dang ky");
	/* ç needs two bytes and the NUL one: with two bytes nothing fits */
	assert_int_equal(text_fold(LIT("çx"), out, 2), 3);
	assert_string_equal(out, "");
	assert_int_equal(text_fold(LIT("çx"), out, 3), 3);
	assert_string_equal(out, "ç");
	/* once a piece did not fit, later smaller ones are not written either */
	assert_int_equal(text_fold(LIT("a漢b"), out, 3), 5);
	assert_string_equal(out, "a");
}

static void
test_text_out(void **state)
{
	struct text_out o;
	char buf[6];

	(void)state;
	text_out_init(&o, buf, sizeof(buf));
	text_out_put(&o, "abc", 3);
	text_out_put(&o, "", 0);
	text_out_put(&o, "de", 2);
	assert_int_equal(text_out_end(&o), 5);
	assert_string_equal(buf, "abcde");

	text_out_init(&o, buf, sizeof(buf));
	text_out_put(&o, "abc", 3);
	text_out_put(&o, "def", 3);         /* does not fit whole: not written */
	text_out_put(&o, "g", 1);           /* would fit, but follows a cut */
	assert_int_equal(text_out_end(&o), 7);
	assert_string_equal(buf, "abc");

	text_out_init(&o, NULL, 0);
	text_out_put(&o, "abc", 3);
	assert_int_equal(text_out_end(&o), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid_text_good),
		cmocka_unit_test(test_utf8_valid_text_bad),
		cmocka_unit_test(test_utf8_valid_text_length),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_utf8_length),
		cmocka_unit_test(test_text_fold_every_precomposed_letter),
		cmocka_unit_test(test_text_fold_every_decomposed_letter),
		cmocka_unit_test(test_text_fold_cases),
		cmocka_unit_test(test_text_fold_nfc_equals_nfd),
		cmocka_unit_test(test_text_fold_cut),
		cmocka_unit_test(test_text_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
