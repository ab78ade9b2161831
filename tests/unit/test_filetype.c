/*
 * Tests for domain/filetype: magic bytes (whole and streamed), the PDF trailer,
 * declared names and types against the bytes, and the file name sanitiser.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/filetype.h"
#include "domain/text.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define LIT(s) s, sizeof(s) - 1

#define PDF_MIN   "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
#define JPEG_MIN  "\xff\xd8\xff\xe0\x00\x10JFIF\x00"
#define PNG_MIN   "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"

static const struct {
	const char *bytes;
	size_t len;
	enum filetype want;
} magic_cases[] = {
	{ LIT(PDF_MIN), FT_PDF },
	{ LIT("%PDF-1.7\r\n%%EOF"), FT_PDF },
	{ LIT("%PDF-2.0\n...\n%%EOF\r\n\r\n   \n"), FT_PDF },   /* blanks after the trailer */
	{ LIT("junk before the header\n%PDF-1.5\n%%EOF"), FT_PDF },
	{ LIT("%PDF-1.4\n...no trailer\n"), FT_UNKNOWN },       /* cut short */
	{ LIT("%%EOF\n%PDF-1.4\n"), FT_UNKNOWN },               /* trailer before the header */
	{ LIT("%PDF-%%EOF"), FT_PDF },
	{ LIT("%PDF"), FT_UNKNOWN },
	{ LIT("%pdf-1.4\n%%EOF"), FT_UNKNOWN },
	{ LIT(JPEG_MIN), FT_JPEG },
	{ LIT("\xff\xd8\xff"), FT_JPEG },
	{ LIT("\xff\xd8\xfe"), FT_UNKNOWN },
	{ LIT("\xff\xd8"), FT_UNKNOWN },
	{ LIT(PNG_MIN), FT_PNG },
	{ LIT("\x89PNG\r\n\x1a\n"), FT_PNG },
	{ LIT("\x89PNG\n\x1a\n"), FT_UNKNOWN },                 /* mangled by a text transfer */
	{ LIT("\x89PNG\r\n\x1a"), FT_UNKNOWN },
	{ LIT("MZ\x90\x00\x03"), FT_EXECUTABLE },
	{ LIT("MZ\x90\x00 and later %PDF-1.4\n%%EOF"), FT_EXECUTABLE },      /* polyglot */
	{ LIT("\x7f" "ELF\x02\x01\x01"), FT_EXECUTABLE },
	{ LIT("\x7f" "ELF and %PDF-1.4 %%EOF"), FT_EXECUTABLE },
	{ LIT("#!/bin/sh\necho %PDF-1.4\n# %%EOF\n"), FT_EXECUTABLE },
	{ LIT("\xcf\xfa\xed\xfe\x07\x00"), FT_EXECUTABLE },
	{ LIT("\xca\xfe\xba\xbe"), FT_EXECUTABLE },
	{ LIT("PK\x03\x04"), FT_UNKNOWN },                      /* zip, docx */
	{ LIT("GIF89a"), FT_UNKNOWN },
	{ LIT("<html><body>%PDF-</body></html>"), FT_UNKNOWN }, /* no %%EOF */
	{ LIT("hello"), FT_UNKNOWN },
	{ LIT(""), FT_UNKNOWN },
	{ LIT("M"), FT_UNKNOWN },
};

static void feed_in_chunks(struct ft_sniffer *s, const char *b, size_t len, size_t chunk)
{
	for (size_t off = 0; off < len; off += chunk)
		ft_sniff_feed(s, b + off, len - off < chunk ? len - off : chunk);
}

static void test_magic_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEMS(magic_cases); i++) {
		const char *why = "unset";
		enum filetype t = ft_detect(magic_cases[i].bytes, magic_cases[i].len, &why);
		if (t != magic_cases[i].want)
			fail_msg("case %zu: got %s, want %s", i, ft_name(t), ft_name(magic_cases[i].want));
		if (t == FT_UNKNOWN || t == FT_EXECUTABLE)
			assert_non_null(why);
		else
			assert_null(why);
		for (size_t chunk = 1; chunk <= 7; chunk++) {
			struct ft_sniffer s;
			ft_sniff_init(&s);
			feed_in_chunks(&s, magic_cases[i].bytes, magic_cases[i].len, chunk);
			assert_int_equal(ft_sniff_end(&s, NULL), magic_cases[i].want);
		}
	}
}

/* A buffer of n bytes: head at the start, trailer at the end, filler between. */
static char *make(size_t n, const char *head, size_t hlen, const char *tail, size_t tlen, size_t tail_at)
{
	char *b = malloc(n);

	assert_non_null(b);
	memset(b, 'x', n);
	memcpy(b, head, hlen);
	memcpy(b + tail_at, tail, tlen);
	return b;
}

static void test_pdf_header_window(void **state)
{
	(void)state;
	/* "%PDF-" must start within the first 1024 bytes and be whole there */
	for (size_t at = 1015; at <= 1025; at++) {
		size_t n = 4096;
		char *b = make(n, "", 0, "%%EOF", 5, n - 5);
		enum filetype want = at + 5 <= FT_HEAD_MAX ? FT_PDF : FT_UNKNOWN;
		memcpy(b + at, "%PDF-", 5);
		if (ft_detect(b, n, NULL) != want)
			fail_msg("header at %zu", at);
		free(b);
	}
}

static void test_pdf_trailer_window(void **state)
{
	(void)state;
	/* "%%EOF" must lie within the last 1024 bytes; streamed in odd chunks across the ring */
	for (size_t from_end = 1020; from_end <= 1030; from_end++) {
		size_t n = 100000;
		char *b = make(n, LIT("%PDF-1.6\n"), "%%EOF", 5, n - from_end);
		enum filetype want = from_end <= FT_TAIL_MAX ? FT_PDF : FT_UNKNOWN;
		for (size_t chunk = 1; chunk <= 4099; chunk += 1367) {
			struct ft_sniffer s;
			ft_sniff_init(&s);
			feed_in_chunks(&s, b, n, chunk);
			if (ft_sniff_end(&s, NULL) != want)
				fail_msg("trailer %zu from the end, chunk %zu", from_end, chunk);
		}
		free(b);
	}
}

static void test_head_decides_early(void **state)
{
	struct ft_sniffer s;
	int decided = -1;

	(void)state;
	ft_sniff_init(&s);
	ft_sniff_feed(&s, "\xff\xd8", 2);
	assert_int_equal(ft_sniff_head(&s, &decided), FT_UNKNOWN);
	assert_int_equal(decided, 0);
	ft_sniff_feed(&s, "\xff", 1);
	assert_int_equal(ft_sniff_head(&s, &decided), FT_JPEG);
	assert_int_equal(decided, 1);

	ft_sniff_init(&s);
	ft_sniff_feed(&s, "MZ", 2);
	assert_int_equal(ft_sniff_head(&s, &decided), FT_EXECUTABLE);
	assert_int_equal(decided, 1);

	/* a PDF header is looked for in the whole first 1024 bytes before giving up */
	ft_sniff_init(&s);
	for (int i = 0; i < 1023; i++)
		ft_sniff_feed(&s, "y", 1);
	assert_int_equal(ft_sniff_head(&s, &decided), FT_UNKNOWN);
	assert_int_equal(decided, 0);
	ft_sniff_feed(&s, "y", 1);
	assert_int_equal(ft_sniff_head(&s, &decided), FT_UNKNOWN);
	assert_int_equal(decided, 1);

	/* the PDF head is decided when seen; the trailer waits for the end */
	ft_sniff_init(&s);
	ft_sniff_feed(&s, LIT("%PDF-1.4\n"));
	assert_int_equal(ft_sniff_head(&s, &decided), FT_PDF);
	assert_int_equal(decided, 1);
	assert_int_equal(ft_sniff_end(&s, NULL), FT_UNKNOWN);
	ft_sniff_feed(&s, LIT("%%EOF"));
	assert_int_equal(ft_sniff_end(&s, NULL), FT_PDF);
}

static void test_declared_table(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *name;
		const char *ctype;
		int ok;
	} cases[] = {
		{ LIT(PDF_MIN), "don.pdf", "application/pdf", 1 },
		{ LIT(PDF_MIN), "DON.PDF", "Application/PDF", 1 },
		{ LIT(PDF_MIN), "don.pdf", "", 1 },
		{ LIT(PDF_MIN), "don.pdf", "application/octet-stream", 1 },
		{ LIT(PDF_MIN), "don", "", 1 },                        /* nothing declared */
		{ LIT(PDF_MIN), "don", "application/x-pdf", 1 },
		{ LIT(PDF_MIN), "don.jpg", "image/jpeg", 0 },          /* a PDF named .jpg */
		{ LIT(PDF_MIN), "don.jpg", "", 0 },
		{ LIT(PDF_MIN), "don.pdf", "image/jpeg", 0 },
		{ LIT(PDF_MIN), "don.pdf.exe", "application/pdf", 0 },
		{ LIT(PDF_MIN), "don.html", "text/html", 0 },
		{ LIT(JPEG_MIN), "anh.jpg", "image/jpeg", 1 },
		{ LIT(JPEG_MIN), "anh.JPEG", "image/pjpeg", 1 },
		{ LIT(JPEG_MIN), "anh.jpe", "image/jpg", 1 },
		{ LIT(JPEG_MIN), "anh.jfif", "", 1 },
		{ LIT(JPEG_MIN), "anh.png", "image/png", 0 },
		{ LIT(JPEG_MIN), "anh.pdf", "application/pdf", 0 },
		{ LIT(JPEG_MIN), "anh.jpg", "image/png", 0 },
		{ LIT(JPEG_MIN), "anh.jpg", "image/svg+xml", 0 },
		{ LIT(PNG_MIN), "scan.png", "image/png", 1 },
		{ LIT(PNG_MIN), "scan.png", "image/x-png", 1 },
		{ LIT(PNG_MIN), "scan.jpg", "image/jpeg", 0 },
		{ LIT(PNG_MIN), "scan.png", "image/jpeg", 0 },
		{ LIT("MZ\x90\x00 %PDF-1.4\n%%EOF"), "don.pdf", "application/pdf", 0 },
		{ LIT("\x7f" "ELF\x02"), "don.pdf", "application/pdf", 0 },
		{ LIT("#!/bin/sh\n"), "don.pdf", "application/pdf", 0 },
		{ LIT("hello"), "a.txt", "text/plain", 0 },
		{ LIT("PK\x03\x04"), "don.pdf", "application/pdf", 0 },
	};

	(void)state;
	for (size_t i = 0; i < NELEMS(cases); i++) {
		enum filetype t = ft_detect(cases[i].bytes, cases[i].len, NULL);
		const char *why = ft_check_declared(t, cases[i].name, strlen(cases[i].name), cases[i].ctype);
		if ((why == NULL) != cases[i].ok)
			fail_msg("case %zu (%s, %s): %s", i, cases[i].name, cases[i].ctype, why ? why : "accepted");
	}
	assert_non_null(ft_check_declared(FT__MAX, "a.pdf", 5, NULL));
	assert_null(ft_check_declared(FT_PDF, "a.pdf", 5, NULL));
}

static void test_names_and_mimes(void **state)
{
	(void)state;
	assert_string_equal(ft_mime(FT_PDF), "application/pdf");
	assert_string_equal(ft_mime(FT_JPEG), "image/jpeg");
	assert_string_equal(ft_mime(FT_PNG), "image/png");
	assert_string_equal(ft_mime(FT_UNKNOWN), "application/octet-stream");
	assert_string_equal(ft_mime(FT_EXECUTABLE), "application/octet-stream");
	assert_string_equal(ft_mime(FT__MAX), "application/octet-stream");
	for (int t = 0; t < FT__MAX; t++)
		assert_non_null(ft_name((enum filetype)t));
	assert_string_equal(ft_name(FT__MAX), "unknown");
}

static const struct {
	const char *in;
	size_t len;
	const char *want;
} name_cases[] = {
	{ LIT("don.pdf"), "don.pdf" },
	{ LIT("Gi\xe1\xba\xa5y khai sinh.pdf"), "Gi\xe1\xba\xa5y khai sinh.pdf" },
	{ LIT("\xc4\x90\xc6\xa1n \xc4\x91\xe1\xbb\x81 ngh\xe1\xbb\x8b.PDF"),
	  "\xc4\x90\xc6\xa1n \xc4\x91\xe1\xbb\x81 ngh\xe1\xbb\x8b.PDF" },                /* Đơn đề nghị */
	{ LIT("Gia\xcc\x81y.pdf"), "Gia\xcc\x81y.pdf" },       /* decomposed: kept as it came */
	{ LIT("../../etc/passwd"), "passwd" },
	{ LIT("/etc/passwd"), "passwd" },
	{ LIT("C:\\x\\y.pdf"), "y.pdf" },
	{ LIT("C:y.pdf"), "C_y.pdf" },
	{ LIT("..\\..\\boot.ini"), "boot.ini" },
	{ LIT("dir/"), FILENAME_DEFAULT },
	{ LIT(".."), FILENAME_DEFAULT },
	{ LIT("."), FILENAME_DEFAULT },
	{ LIT(""), FILENAME_DEFAULT },
	{ LIT("   "), FILENAME_DEFAULT },
	{ LIT(".pdf"), FILENAME_DEFAULT ".pdf" },
	{ LIT("....pdf"), FILENAME_DEFAULT ".pdf" },
	{ LIT(".htaccess"), FILENAME_DEFAULT ".htaccess" },
	{ LIT(".bashrc_x"), "bashrc_x" },
	{ LIT("a\0b.pdf"), "ab.pdf" },
	{ LIT("\0"), FILENAME_DEFAULT },
	{ LIT("evil\r\nX-Header: 1.pdf"), "evilX-Header_ 1.pdf" },
	{ LIT("\x1b[31mred\x1b[0m.pdf"), "[31mred[0m.pdf" },
	{ LIT("tab\there.pdf"), "tab here.pdf" },
	{ LIT("del\x7f.pdf"), "del.pdf" },
	{ LIT("c1\xc2\x85" "x.pdf"), "c1x.pdf" },               /* U+0085 NEL */
	{ LIT("inv\xe2\x80\x8bisible.pdf"), "invisible.pdf" },  /* U+200B */
	{ LIT("photo\xe2\x80\xaegpj.exe"), "photogpj.exe" },    /* U+202E RLO: "photoexe.jpg" */
	{ LIT("\xef\xbb\xbf" "bom.pdf"), "bom.pdf" },
	{ LIT("bad\xff\xfeutf8\xc3.pdf"), "badutf8.pdf" },
	{ LIT("over\xc0\xaflong.pdf"), "overlong.pdf" },
	{ LIT("a<b>c:d\"e|f?g*h.pdf"), "a_b_c_d_e_f_g_h.pdf" },
	{ LIT("  many   spaces\xc2\xa0\xe3\x80\x80here  .pdf"), "many spaces here .pdf" },
	{ LIT("trailing dots....pdf"), "trailing dots....pdf" },
	{ LIT("trailing dots...."), "trailing dots" },
	{ LIT("name. . .pdf"), "name. . .pdf" },
	{ LIT(". . name. ."), "name" },
	{ LIT(" s..Gi\xe1\x01."), "s..Gi" },   /* found by fuzzing: was not idempotent */
	{ LIT("CON"), "_CON" },
	{ LIT("con.pdf"), "_con.pdf" },
	{ LIT("Nul.tar.gz"), "_Nul.tar.gz" },
	{ LIT("aux .pdf"), "_aux .pdf" },
	{ LIT("COM1.jpg"), "_COM1.jpg" },
	{ LIT("lpt9"), "_lpt9" },
	{ LIT("COMX.pdf"), "COMX.pdf" },
	{ LIT("console.pdf"), "console.pdf" },
	{ LIT("file.verylongextension"), "file.verylongextension" },
	{ LIT("archive.tar.gz"), "archive.tar.gz" },
	{ LIT("no-ext"), "no-ext" },
	{ LIT("a.b\xc3\xa9"), "a.b\xc3\xa9" },                  /* not an ASCII extension */
};

static void test_sanitise_table(void **state)
{
	char out[FILENAME_SAFE_MAX + 1], again[FILENAME_SAFE_MAX + 1];

	(void)state;
	for (size_t i = 0; i < NELEMS(name_cases); i++) {
		size_t n = filename_sanitise(name_cases[i].in, name_cases[i].len, out);
		if (strcmp(out, name_cases[i].want) != 0 || n != strlen(out))
			fail_msg("case %zu: got '%s' (%zu), want '%s'", i, out, n, name_cases[i].want);
		assert_true(utf8_valid_text(out, n));
		/* a sanitised name is its own sanitised form */
		assert_int_equal(filename_sanitise(out, n, again), n);
		assert_string_equal(again, out);
	}
}

/* Repeats a UTF-8 piece to about len bytes, then adds suffix. */
static size_t build(char *buf, size_t cap, const char *piece, size_t len, const char *suffix)
{
	size_t n = 0, pl = strlen(piece), sl = strlen(suffix);

	while (n + pl <= len && n + pl + sl < cap) {
		memcpy(buf + n, piece, pl);
		n += pl;
	}
	memcpy(buf + n, suffix, sl);
	return n + sl;
}

static void test_sanitise_long_names(void **state)
{
	static const char *const pieces[] = {
		"a", "\xc4\x90", "\xe1\xba\xa5", "\xf0\x9f\x98\x80", "Gi\xe1\xba\xa5y ", "e\xcc\x81", "o\xcc\x9b\xcc\x81",
	};
	static const char *const suffixes[] = { ".pdf", "", ".jpeg" };
	char in[400], out[FILENAME_SAFE_MAX + 1];

	(void)state;
	for (size_t p = 0; p < NELEMS(pieces); p++)
		for (size_t s = 0; s < NELEMS(suffixes); s++)
			for (size_t len = 290; len <= 300; len++) {
				size_t n = build(in, sizeof in, pieces[p], len, suffixes[s]);
				size_t sl = strlen(suffixes[s]), pl = strlen(pieces[p]), m;
				m = filename_sanitise(in, n, out);
				assert_true(m <= FILENAME_SAFE_MAX);
				assert_true(m >= FILENAME_SAFE_MAX - 4 - sl);
				assert_int_equal(m, strlen(out));
				assert_true(utf8_valid_text(out, m));
				/* the extension survives the cut */
				assert_memory_equal(out + m - sl, suffixes[s], sl);
				/* the cut falls between whole pieces: no letter loses its marks */
				if (pieces[p][pl - 1] != ' ')
					assert_int_equal((m - sl) % pl, 0);
				assert_memory_equal(out, in, m - sl);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_magic_table),
		cmocka_unit_test(test_pdf_header_window),
		cmocka_unit_test(test_pdf_trailer_window),
		cmocka_unit_test(test_head_decides_early),
		cmocka_unit_test(test_declared_table),
		cmocka_unit_test(test_names_and_mimes),
		cmocka_unit_test(test_sanitise_table),
		cmocka_unit_test(test_sanitise_long_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
