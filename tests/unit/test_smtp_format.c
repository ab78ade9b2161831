/*
 * Tests for domain/mailfmt: what SMTP carries must be byte-exact. DATA's transparency
 * (dot-stuffing, CRLF), RFC 2047 encoded words (decoded back, 75-character words, no
 * UTF-8 sequence split), base64, the Date header and the whole message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/mailfmt.h"

static void dot(const char *in, const char *want)
{
	size_t len = 0;
	char *out = mailfmt_dot_stuff(in, strlen(in), &len);

	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
}

static void test_dot_stuffing(void **state)
{
	(void)state;
	dot("", ".\r\n");
	dot("a", "a\r\n.\r\n");
	dot(".", "..\r\n.\r\n");
	dot("a\n.\nb\n", "a\r\n..\r\nb\r\n.\r\n");
	dot("line\r\n.hidden\r\n", "line\r\n..hidden\r\n.\r\n");
	/* a lone "." line in the middle would end DATA early */
	dot("x\r\n.\r\ny", "x\r\n..\r\ny\r\n.\r\n");
	/* bare CR and LF become CRLF, so no "\n.\n" slips through */
	dot("a\r.b\n.c", "a\r\n..b\r\n..c\r\n.\r\n");
	/* dots elsewhere are left alone */
	dot("a.b ..c", "a.b ..c\r\n.\r\n");
	dot("..", "...\r\n.\r\n");
}

static int b64val(char c)
{
	const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(t, c);
	return p && c ? (int)(p - t) : -1;
}

/* Decodes a header made of encoded words (as a mail reader does) into out. */
static void decode_words(const char *h, char *out)
{
	size_t o = 0;

	while (*h) {
		const char *end;
		unsigned bits = 0;
		int nbits = 0;
		if (*h == '\r' || *h == '\n' || *h == ' ') {
			h++;
			continue;
		}
		assert_memory_equal(h, "=?UTF-8?B?", 10);
		h += 10;
		end = strstr(h, "?=");
		assert_non_null(end);
		for (; h < end; h++) {
			if (*h == '=')
				continue;
			assert_true(b64val(*h) >= 0);
			bits = (bits << 6) | (unsigned)b64val(*h);
			nbits += 6;
			if (nbits >= 8) {
				nbits -= 8;
				out[o++] = (char)((bits >> nbits) & 0xFF);
			}
		}
		h = end + 2;
	}
	out[o] = '\0';
}

static void check_words(const char *subject)
{
	char enc[4096], dec[2048];
	const char *line;

	assert_int_equal(mailfmt_header_encode(subject, 9, enc, sizeof enc), 0);
	decode_words(enc, dec);
	assert_string_equal(dec, subject);
	/* every line (with "Subject: " on the first) within 76 columns, every word <= 75 */
	line = enc;
	for (int first = 1;; first = 0) {
		const char *nl = strstr(line, "\r\n");
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		assert_true(n + (first ? 9 : 0) <= 76);
		if (!first)
			assert_true(line[0] == ' ');
		if (!nl)
			break;
		line = nl + 2;
	}
	/* each word decodes to whole UTF-8 sequences: no word starts with a continuation byte */
	for (const char *w = strstr(enc, "=?UTF-8?B?"); w; w = strstr(w + 1, "=?UTF-8?B?")) {
		char one[256];
		const char *e = strstr(w, "?=");
		char word[128];
		memcpy(word, w, (size_t)(e - w) + 2);
		word[e - w + 2] = '\0';
		decode_words(word, one);
		assert_true(((unsigned char)one[0] & 0xC0) != 0x80);
	}
}

static void test_rfc2047(void **state)
{
	char enc[512];

	(void)state;
	/* plain ASCII is left as it is */
	assert_int_equal(mailfmt_header_encode("Hello world", 9, enc, sizeof enc), 0);
	assert_string_equal(enc, "Hello world");
	/* a short Vietnamese subject: one word */
	assert_int_equal(mailfmt_header_encode("Hồ sơ", 9, enc, sizeof enc), 0);
	assert_string_equal(enc, "=?UTF-8?B?SOG7kyBzxqE=?=");
	check_words("Hồ sơ");
	check_words("Yêu cầu bổ sung, hoàn thiện hồ sơ 000.22.24.H45-251122-0001");
	check_words("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ 000.22.24.H45-251122-0001 — "
	            "Đăng ký khai sinh cho trẻ em có yếu tố nước ngoài ở khu vực biên giới");
	check_words("ỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗỗ");   /* 3-byte letters only */
	/* "=?" in ASCII text would read as a word: encoded */
	assert_int_equal(mailfmt_header_encode("a =?b?= c", 9, enc, sizeof enc), 0);
	assert_memory_equal(enc, "=?UTF-8?B?", 10);
	check_words("a =?b?= c");
	/* CR/LF in a subject cannot inject a header: they are inside the base64 */
	assert_int_equal(mailfmt_header_encode("x\r\nBcc: a@b.c", 9, enc, sizeof enc), 0);
	assert_null(strstr(enc, "Bcc"));
	/* too small a buffer is an error, not a cut word */
	assert_int_equal(mailfmt_header_encode("Hồ sơ đã có kết quả", 9, enc, 20), -1);
}

static void test_base64(void **state)
{
	size_t len;
	char *s;

	(void)state;
	s = mailfmt_base64((const unsigned char *)"", 0, 0, &len);
	assert_string_equal(s, "");
	free(s);
	s = mailfmt_base64((const unsigned char *)"f", 1, 0, NULL);
	assert_string_equal(s, "Zg==");
	free(s);
	s = mailfmt_base64((const unsigned char *)"foobar", 6, 0, NULL);
	assert_string_equal(s, "Zm9vYmFy");
	free(s);
	/* AUTH PLAIN's "\0user\0pass" */
	s = mailfmt_base64((const unsigned char *)"\0user\0pass", 10, 0, NULL);
	assert_string_equal(s, "AHVzZXIAcGFzcw==");
	free(s);
	/* body lines of 76 characters with CRLF */
	{
		unsigned char in[100];
		memset(in, 'a', sizeof in);
		s = mailfmt_base64(in, sizeof in, 76, &len);
		assert_int_equal(strlen(s), len);
		assert_int_equal(strchr(s, '\r') - s, 76);
		assert_string_equal(s + 78 + 60, "\r\n");
		free(s);
	}
}

static void test_date(void **state)
{
	char buf[40];

	(void)state;
	/* 2025-03-04 01:02:03 UTC is 08:02:03 in Vietnam, a Tuesday */
	mailfmt_date(1741050123, buf, sizeof buf);
	assert_string_equal(buf, "Tue, 04 Mar 2025 08:02:03 +0700");
}

static void test_address(void **state)
{
	(void)state;
	assert_true(mailfmt_address_ok("nguyen.van.a@example.vn"));
	assert_true(mailfmt_address_ok("a+b@mail.gov.vn"));
	assert_false(mailfmt_address_ok(""));
	assert_false(mailfmt_address_ok("no-at.example.vn"));
	assert_false(mailfmt_address_ok("a@b"));
	assert_false(mailfmt_address_ok("a@@b.vn"));
	assert_false(mailfmt_address_ok("a b@c.vn"));
	assert_false(mailfmt_address_ok("a@c.vn>\r\nRCPT TO:<x@y.z"));
	assert_false(mailfmt_address_ok("<a@c.vn>"));
	assert_false(mailfmt_address_ok("nguyễn@example.vn"));
}

static void test_message(void **state)
{
	struct mail_message m = {
		.from = "no-reply@motcua.local", .to = "dan@example.vn", .subject = "Hồ sơ đã có kết quả",
		.body = "Kính gửi ông,\n.\nHết.\n", .message_id = "motcua.1.2@motcua.local",
		.date = 1741050123,
	};
	size_t len;
	char *msg = mailfmt_message(&m, &len), *stuffed;

	(void)state;
	assert_non_null(msg);
	assert_int_equal(strlen(msg), len);
	assert_non_null(strstr(msg, "From: no-reply@motcua.local\r\nTo: dan@example.vn\r\n"));
	assert_non_null(strstr(msg, "\r\nSubject: =?UTF-8?B?"));
	assert_non_null(strstr(msg, "\r\nDate: Tue, 04 Mar 2025 08:02:03 +0700\r\n"));
	assert_non_null(strstr(msg, "\r\nMessage-ID: <motcua.1.2@motcua.local>\r\n"));
	assert_non_null(strstr(msg, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(msg, "\r\nContent-Transfer-Encoding: base64\r\n"));
	/* the body after the blank line: "Kính gửi ông,\n.\nHết.\n" in base64 */
	assert_string_equal(strstr(msg, "\r\n\r\n") + 4, "S8OtbmggZ+G7rWkgw7RuZywKLgpI4bq/dC4K\r\n");
	/* no bare LF anywhere, and the body is pure base64 lines */
	for (size_t i = 0; i < len; i++)
		if (msg[i] == '\n')
			assert_true(i > 0 && msg[i - 1] == '\r');
	stuffed = mailfmt_dot_stuff(msg, len, NULL);
	assert_non_null(stuffed);
	assert_true(strlen(stuffed) >= 5);
	assert_string_equal(stuffed + strlen(stuffed) - 5, "\r\n.\r\n");
	free(stuffed);
	free(msg);
	/* a bad address gives no message */
	m.to = "x\r\nBcc: y@z.vn";
	assert_null(mailfmt_message(&m, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dot_stuffing),
		cmocka_unit_test(test_rfc2047),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
