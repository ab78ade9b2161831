/*
 * Tests for core/multipart: the push parser fed whole and in every chunk size from 1 to
 * 64 bytes; boundaries, quoting, data that looks like a boundary, malformed headers,
 * limits, truncation, preamble and epilogue.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/multipart.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define LIT(s) s, sizeof(s) - 1
#define CT "multipart/form-data; boundary=XyZ"

/* Records every callback as text: <name|f:filename|type> data <END> */
struct rec {
	char *log;
	size_t len, cap;
	int refuse_begin;               /* part index whose part_begin refuses; -1 none */
	unsigned begins, datas, ends;
};

static void rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
	r->refuse_begin = -1;
}

static void rec_put(struct rec *r, const char *s, size_t n)
{
	if (r->len + n + 1 > r->cap) {
		size_t cap = (r->len + n + 1) * 2;
		char *p = realloc(r->log, cap);
		assert_non_null(p);
		r->log = p;
		r->cap = cap;
	}
	memcpy(r->log + r->len, s, n);
	r->len += n;
	r->log[r->len] = '\0';
}

static void rec_free(struct rec *r)
{
	free(r->log);
	r->log = NULL;
}

static int on_begin(void *ctx, const struct mp_part *p)
{
	struct rec *r = ctx;
	char head[2048];
	int n;

	assert_int_equal(p->index, r->begins);
	assert_int_equal(strlen(p->name), p->name_len);
	assert_int_equal(strlen(p->filename), p->filename_len);
	n = snprintf(head, sizeof head, "<%s|%s%s|%s>", p->name, p->has_filename ? "f:" : "",
	             p->filename, p->content_type);
	rec_put(r, head, (size_t)n);
	if ((int)r->begins++ == r->refuse_begin)
		return -1;
	return 0;
}

static int on_data(void *ctx, const char *data, size_t len)
{
	struct rec *r = ctx;

	assert_true(len > 0);
	r->datas++;
	rec_put(r, data, len);
	return 0;
}

static int on_end(void *ctx)
{
	struct rec *r = ctx;

	r->ends++;
	rec_put(r, LIT("<END>"));
	return 0;
}

static const struct mp_callbacks cbs = { on_begin, on_data, on_end };

/* Feeds body in chunks of chunk bytes (0: whole) and finishes. */
static enum mp_error run(const char *ctype, const char *body, size_t len, size_t chunk,
                         unsigned max_parts, struct rec *r)
{
	struct mp_parser p;
	enum mp_error e;
	size_t off = 0;

	rec_init(r);
	rec_put(r, "", 0);
	if ((e = mp_init(&p, ctype, &cbs, r, max_parts)) != MP_OK)
		return e;
	if (chunk == 0)
		chunk = len ? len : 1;
	while (off < len) {
		size_t n = len - off < chunk ? len - off : chunk;
		if ((e = mp_feed(&p, body + off, n)) != MP_OK) {
			assert_int_equal(mp_feed(&p, "x", 1), e);     /* sticky */
			assert_int_equal(mp_finish(&p), e);
			return e;
		}
		off += n;
	}
	return mp_finish(&p);
}

/* Whole and every chunk size 1..64 give the same error and, on success, the same log. */
static void check_all_chunkings(const char *ctype, const char *body, size_t len, unsigned max_parts,
                                enum mp_error want, const char *want_log, size_t want_log_len)
{
	for (size_t chunk = 0; chunk <= 64; chunk++) {
		struct rec r;
		enum mp_error e = run(ctype, body, len, chunk, max_parts, &r);
		if (e != want)
			fail_msg("chunk %zu: got '%s', want '%s'", chunk, mp_strerror(e), mp_strerror(want));
		if (want == MP_OK && want_log &&
		    (r.len != want_log_len || memcmp(r.log, want_log, want_log_len) != 0))
			fail_msg("chunk %zu: log\n%s\nwant\n%s", chunk, r.log, want_log);
		rec_free(&r);
	}
}

#define CHECK_OK(ctype, body, log) \
	check_all_chunkings(ctype, LIT(body), 0, MP_OK, LIT(log))
#define CHECK_ERR(ctype, body, err) \
	check_all_chunkings(ctype, LIT(body), 0, err, NULL, 0)

static const char form[] =
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"ho_ten\"\r\n"
	"\r\n"
	"Nguy\xe1\xbb\x85n V\xc4\x83n A\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"tep\"; filename=\"Gi\xe1\xba\xa5y khai sinh.pdf\"\r\n"
	"Content-Type: application/pdf\r\n"
	"\r\n"
	"%PDF-1.7\r\n...\r\n%%EOF\r\n"
	"\r\n"
	"--XyZ--\r\n";

static const char form_log[] =
	"<ho_ten||>Nguy\xe1\xbb\x85n V\xc4\x83n A<END>"
	"<tep|f:Gi\xe1\xba\xa5y khai sinh.pdf|application/pdf>%PDF-1.7\r\n...\r\n%%EOF\r\n<END>";

static void test_simple_form(void **state)
{
	(void)state;
	CHECK_OK(CT, form, form_log);
}

static void test_boundary_parsing(void **state)
{
	static const struct {
		const char *ctype;
		enum mp_error err;
		const char *boundary;
	} cases[] = {
		{ "multipart/form-data; boundary=XyZ", MP_OK, "XyZ" },
		{ "Multipart/Form-Data; BOUNDARY=XyZ", MP_OK, "XyZ" },
		{ "multipart/form-data;boundary=XyZ", MP_OK, "XyZ" },
		{ "  multipart/form-data ; boundary=XyZ ; ", MP_OK, "XyZ" },
		{ "multipart/form-data; charset=utf-8; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
		  MP_OK, "----WebKitFormBoundary7MA4YWxkTrZu0gW" },
		{ "multipart/form-data; boundary=\"simple boundary\"", MP_OK, "simple boundary" },
		{ "multipart/form-data; boundary=\"a'()+_,-./:=?z\"", MP_OK, "a'()+_,-./:=?z" },
		{ "multipart/form-data; boundary=\"\"", MP_ERR_BAD_BOUNDARY, "" },
		{ "multipart/form-data; boundary=\"ends in space \"", MP_ERR_BAD_BOUNDARY, "" },
		{ "multipart/form-data; boundary=\"semi;colon\"", MP_ERR_BAD_BOUNDARY, "" },
		{ "multipart/form-data; boundary=\"quote\\\"in\"", MP_ERR_BAD_BOUNDARY, "" },
		{ "multipart/form-data; boundary=\"unterminated", MP_ERR_BAD_BOUNDARY, "" },
		{ "multipart/form-data; boundary=a; boundary=b", MP_ERR_BAD_BOUNDARY, "" },
		/* found by fuzzing: a bad parameter after the boundary left it in out */
		{ "multipart/form-data; boundary=\"a b\"; filename=\"unterminated", MP_ERR_BAD_BOUNDARY, "" },
		{ "multipart/form-data; boundary=ab; x", MP_ERR_BAD_BOUNDARY, "" },
		{ "multipart/form-data; boundary=\xc3\xa9", MP_ERR_BAD_BOUNDARY, "" },
		{ "multipart/form-data; boundary=ab\r\nX-Injected: 1", MP_ERR_BAD_BOUNDARY, "" },
		{ "multipart/form-data; boundary=", MP_ERR_BAD_BOUNDARY, "" },
		{ "multipart/form-data", MP_ERR_NO_BOUNDARY, "" },
		{ "multipart/form-data; charset=utf-8", MP_ERR_NO_BOUNDARY, "" },
		{ "multipart/form-data boundary=XyZ", MP_ERR_NO_BOUNDARY, "" },
		{ "multipart/mixed; boundary=XyZ", MP_ERR_NOT_MULTIPART, "" },
		{ "application/json", MP_ERR_NOT_MULTIPART, "" },
		{ "multipart/form-datax; boundary=XyZ", MP_ERR_NOT_MULTIPART, "" },
		{ "", MP_ERR_NOT_MULTIPART, "" },
		{ NULL, MP_ERR_NOT_MULTIPART, "" },
	};
	char b[MP_BOUNDARY_MAX + 1];
	char ct[200];

	(void)state;
	for (size_t i = 0; i < NELEMS(cases); i++) {
		enum mp_error e = mp_boundary(cases[i].ctype, b);
		if (e != cases[i].err || strcmp(b, cases[i].boundary) != 0)
			fail_msg("case %zu (%s): got %d '%s'", i, cases[i].ctype ? cases[i].ctype : "NULL", e, b);
	}
	/* RFC 2046: 1 to 70 characters */
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%070d", 7);
	assert_int_equal(mp_boundary(ct, b), MP_OK);
	assert_int_equal(strlen(b), 70);
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%071d", 7);
	assert_int_equal(mp_boundary(ct, b), MP_ERR_BAD_BOUNDARY);
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=\"%069d \"", 7);
	assert_int_equal(mp_boundary(ct, b), MP_ERR_BAD_BOUNDARY);
}

static void test_quoted_boundary_body(void **state)
{
	(void)state;
	CHECK_OK("multipart/form-data; boundary=\"a b:c\"",
	         "--a b:c\r\n"
	         "Content-Disposition: form-data; name=x\r\n"
	         "\r\n"
	         "1\r\n"
	         "--a b:c--\r\n",
	         "<x||>1<END>");
	/* the longest boundary, in a body fed 1..64 bytes at a time */
	CHECK_OK("multipart/form-data; boundary=0123456789012345678901234567890123456789012345678901234567890123456789",
	         "--0123456789012345678901234567890123456789012345678901234567890123456789\r\n"
	         "Content-Disposition: form-data; name=x\r\n"
	         "\r\n"
	         "\r\n--012345678901234567890123456789012345678901234567890123456789012345678\r\n"
	         "--0123456789012345678901234567890123456789012345678901234567890123456789--",
	         "<x||>\r\n--012345678901234567890123456789012345678901234567890123456789012345678<END>");
}

static void test_filename_star_harmless(void **state)
{
	(void)state;
	CHECK_OK(CT,
	         "--XyZ\r\n"
	         "Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''%E1%BA%A5.pdf; filename=\"a.pdf\"\r\n"
	         "\r\n"
	         "x\r\n"
	         "--XyZ\r\n"
	         "Content-Disposition: form-data; name=\"g\"; filename*=UTF-8''b.pdf\r\n"
	         "\r\n"
	         "y\r\n"
	         "--XyZ--\r\n",
	         "<f|f:a.pdf|>x<END><g||>y<END>");
	CHECK_ERR(CT,
	          "--XyZ\r\n"
	          "Content-Disposition: form-data; name=\"g\"; filename*=UTF-8''b.pdf; filename*=UTF-8''c.pdf\r\n"
	          "\r\n"
	          "--XyZ--\r\n",
	          MP_ERR_BAD_DISPOSITION);
}

static void test_crlf_inside_data(void **state)
{
	(void)state;
	CHECK_OK(CT,
	         "--XyZ\r\n"
	         "Content-Disposition: form-data; name=\"t\"\r\n"
	         "\r\n"
	         "\r\nline 1\r\n\r\nline 2\rlone CR\nlone LF\r\n-\r\n--\r\n--X\r\r\n\r\n\r"
	         "\r\n"
	         "--XyZ--\r\n",
	         "<t||>\r\nline 1\r\n\r\nline 2\rlone CR\nlone LF\r\n-\r\n--\r\n--X\r\r\n\r\n\r<END>");
}

static void test_boundary_lookalikes_are_data(void **state)
{
	(void)state;
	/* prefixes of the delimiter, another boundary, the boundary not at a line start */
	CHECK_OK(CT,
	         "--XyZ\r\n"
	         "Content-Disposition: form-data; name=\"t\"\r\n"
	         "\r\n"
	         "a\r\n--Xy\r\n--XY Z\r\n--ABC\r\nx--XyZ\r\n -XyZ\r\n-XyZ\r\n--"
	         "\r\n"
	         "--XyZ--\r\n",
	         "<t||>a\r\n--Xy\r\n--XY Z\r\n--ABC\r\nx--XyZ\r\n -XyZ\r\n-XyZ\r\n--<END>");
}

static void test_boundary_followed_by_junk(void **state)
{
	(void)state;
	/* the full delimiter inside a part: RFC 2046 forbids it; refused, not guessed */
	CHECK_ERR(CT,
	          "--XyZ\r\n"
	          "Content-Disposition: form-data; name=\"t\"\r\n"
	          "\r\n"
	          "a\r\n--XyZW\r\n"
	          "--XyZ--\r\n",
	          MP_ERR_BAD_DELIMITER);
	CHECK_ERR(CT, "--XyZ-x\r\n", MP_ERR_BAD_DELIMITER);
	CHECK_ERR(CT, "--XyZ\rx", MP_ERR_BAD_DELIMITER);
	/* transport padding after a boundary is allowed */
	CHECK_OK(CT,
	         "--XyZ \t \r\n"
	         "Content-Disposition: form-data; name=\"t\"\r\n"
	         "\r\n"
	         "v\r\n"
	         "--XyZ  \r\n"
	         "Content-Disposition: form-data; name=\"u\"\r\n"
	         "\r\n"
	         "\r\n"
	         "--XyZ--  \r\n",
	         "<t||>v<END><u||><END>");
}

static void test_part_without_disposition(void **state)
{
	(void)state;
	CHECK_ERR(CT,
	          "--XyZ\r\n"
	          "Content-Type: text/plain\r\n"
	          "\r\n"
	          "x\r\n"
	          "--XyZ--\r\n",
	          MP_ERR_NO_DISPOSITION);
	CHECK_ERR(CT, "--XyZ\r\n\r\nx\r\n--XyZ--\r\n", MP_ERR_NO_DISPOSITION);
}

static void test_too_many_parts(void **state)
{
	static const char body[] =
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=c\r\n\r\n3\r\n"
		"--XyZ--\r\n";

	(void)state;
	check_all_chunkings(CT, LIT(body), 3, MP_OK, LIT("<a||>1<END><b||>2<END><c||>3<END>"));
	check_all_chunkings(CT, LIT(body), 2, MP_ERR_TOO_MANY_PARTS, NULL, 0);
}

static void test_header_line_limit(void **state)
{
	size_t pad = MP_HEADER_LINE_MAX - strlen("X-Pad: ");
	size_t cap = MP_HEADER_LINE_MAX + 256;
	char *body = malloc(cap);
	int n;
	struct rec r;

	(void)state;
	assert_non_null(body);
	for (int extra = 0; extra <= 1; extra++) {
		n = snprintf(body, cap, "--XyZ\r\nX-Pad: %0*d\r\nContent-Disposition: form-data; name=a\r\n\r\n"
		             "v\r\n--XyZ--\r\n", (int)pad + extra, 0);
		assert_true(n > 0 && (size_t)n < cap);
		for (size_t chunk = 0; chunk <= 64; chunk += 16) {
			enum mp_error e = run(CT, body, (size_t)n, chunk, 0, &r);
			assert_int_equal(e, extra ? MP_ERR_HEADER_TOO_LONG : MP_OK);
			rec_free(&r);
		}
	}
	free(body);
}

static void test_too_many_headers(void **state)
{
	char body[2048];
	size_t len;
	struct rec r;

	(void)state;
	for (int lines = MP_MAX_HEADERS; lines <= MP_MAX_HEADERS + 1; lines++) {
		len = (size_t)snprintf(body, sizeof body, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n");
		for (int i = 1; i < lines; i++)
			len += (size_t)snprintf(body + len, sizeof body - len, "X-H%d: v\r\n", i);
		len += (size_t)snprintf(body + len, sizeof body - len, "\r\nv\r\n--XyZ--\r\n");
		assert_int_equal(run(CT, body, len, 0, 0, &r),
		                 lines > MP_MAX_HEADERS ? MP_ERR_TOO_MANY_HEADERS : MP_OK);
		rec_free(&r);
	}
}

static void test_bad_headers(void **state)
{
	static const struct {
		const char *header;     /* the part's header lines, each with its CRLF */
		enum mp_error err;
	} cases[] = {
		{ "Content-Disposition: form-data; name=a\n", MP_ERR_BAD_HEADER },         /* bare LF */
		{ "Content-Disposition: form-data; name=a\rX: y\r\n", MP_ERR_BAD_HEADER }, /* bare CR */
		{ "Content-Disposition: form-data; name=\"a\rb\"\r\n", MP_ERR_BAD_HEADER },
		{ "Content-Disposition: form-data; name=\"a\nb\"\r\n", MP_ERR_BAD_HEADER },
		{ "X-Esc: \x1b[0m\r\nContent-Disposition: form-data; name=a\r\n", MP_ERR_BAD_HEADER },
		{ "X-Del: \x7f\r\nContent-Disposition: form-data; name=a\r\n", MP_ERR_BAD_HEADER },
		{ "X-A: b\r\n c\r\nContent-Disposition: form-data; name=a\r\n", MP_ERR_BAD_HEADER }, /* folded */
		{ "No colon here\r\n", MP_ERR_BAD_HEADER },
		{ "Content-Disposition : form-data; name=a\r\n", MP_ERR_BAD_HEADER },
		{ ": form-data\r\n", MP_ERR_BAD_HEADER },
		{ "Cont\xc3\xa9nt: x\r\n", MP_ERR_BAD_HEADER },
		{ "Content-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n",
		  MP_ERR_DUPLICATE_HEADER },
		{ "Content-Disposition: form-data; name=a\r\nContent-Type: text/plain\r\nContent-type: text/html\r\n",
		  MP_ERR_DUPLICATE_HEADER },
		{ "Content-Disposition: attachment; name=a\r\n", MP_ERR_BAD_DISPOSITION },
		{ "Content-Disposition: form-data\r\n", MP_ERR_BAD_DISPOSITION },
		{ "Content-Disposition: form-data; filename=\"a.pdf\"\r\n", MP_ERR_BAD_DISPOSITION },
		{ "Content-Disposition: form-data; name=a; name=b\r\n", MP_ERR_BAD_DISPOSITION },
		{ "Content-Disposition: form-data; name=a; filename=x; filename=y\r\n", MP_ERR_BAD_DISPOSITION },
		{ "Content-Disposition: form-data; name=\"a\r\n", MP_ERR_BAD_DISPOSITION },
		{ "Content-Disposition: form-data; name=\r\n", MP_ERR_BAD_DISPOSITION },
		{ "Content-Disposition: form-data; name = a\r\n", MP_ERR_BAD_DISPOSITION },
		{ "Content-Disposition: form-data, name=a\r\n", MP_ERR_BAD_DISPOSITION },
		{ "Content-Disposition: form-data; name=a b\r\n", MP_ERR_BAD_DISPOSITION },
		{ "Content-Disposition: form-data; name=a\r\nContent-Type: text\r\n", MP_ERR_BAD_CONTENT_TYPE },
		{ "Content-Disposition: form-data; name=a\r\nContent-Type: text/plain; charset\r\n",
		  MP_ERR_BAD_CONTENT_TYPE },
		{ "Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: base64\r\n", MP_ERR_ENCODING },
		{ "Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: quoted-printable\r\n",
		  MP_ERR_ENCODING },
		{ "Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: binary\r\n", MP_OK },
		{ "Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: 8BIT\r\n", MP_OK },
		{ "content-disposition: FORM-DATA; NAME=a; Size=12; creation-date=\"x\"\r\nX-Other: whatever\r\n",
		  MP_OK },
		{ "Content-Disposition: form-data; name=a;\r\n", MP_OK },
		{ "Content-Disposition: form-data; name=a\r\nContent-Type: Text/Plain; Charset=\"utf-8\"\r\n", MP_OK },
	};
	char body[1024];
	struct rec r;

	(void)state;
	for (size_t i = 0; i < NELEMS(cases); i++) {
		int n = snprintf(body, sizeof body, "--XyZ\r\n%s\r\nvalue\r\n--XyZ--\r\n", cases[i].header);
		for (size_t chunk = 0; chunk <= 7; chunk++) {
			enum mp_error e = run(CT, body, (size_t)n, chunk, 0, &r);
			if (e != cases[i].err)
				fail_msg("case %zu, chunk %zu: got '%s', want '%s'", i, chunk, mp_strerror(e),
				         mp_strerror(cases[i].err));
			rec_free(&r);
		}
	}
}

static void test_quoting(void **state)
{
	(void)state;
	CHECK_OK(CT,
	         "--XyZ\r\n"
	         "Content-Disposition: form-data; name=plain; filename=\"a\\\"b \\\\ c.pdf\"\r\n"
	         "\r\n"
	         "1\r\n"
	         "--XyZ\r\n"
	         "Content-Disposition: form-data; name=\"win\"; filename=\"C:\\x\\y.pdf\"\r\n"
	         "\r\n"
	         "2\r\n"
	         "--XyZ\r\n"
	         "Content-Disposition: form-data; name=\"semi;colon\"; filename=\"a%22b.pdf\"\r\n"
	         "Content-Type: IMAGE/JPEG; name=\"ignored\"\r\n"
	         "\r\n"
	         "3\r\n"
	         "--XyZ\r\n"
	         "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
	         "Content-Type: application/octet-stream\r\n"
	         "\r\n"
	         "\r\n"
	         "--XyZ\r\n"
	         "Content-Disposition: form-data; name=utf; filename=Gi\xe1\xba\xa5y.pdf\r\n"
	         "\r\n"
	         "4\r\n"
	         "--XyZ--\r\n",
	         "<plain|f:a\"b \\ c.pdf|>1<END>"
	         "<win|f:C:\\x\\y.pdf|>2<END>"
	         "<semi;colon|f:a%22b.pdf|image/jpeg>3<END>"
	         "<empty|f:|application/octet-stream><END>"
	         "<utf|f:Gi\xe1\xba\xa5y.pdf|>4<END>");
}

static void test_param_lengths(void **state)
{
	char body[4096];
	struct rec r;
	int n;

	(void)state;
	for (int extra = 0; extra <= 1; extra++) {
		n = snprintf(body, sizeof body, "--XyZ\r\nContent-Disposition: form-data; name=\"%0*d\"\r\n\r\nv\r\n--XyZ--",
		             MP_NAME_MAX + extra, 0);
		assert_int_equal(run(CT, body, (size_t)n, 0, 0, &r), extra ? MP_ERR_PARAM_TOO_LONG : MP_OK);
		rec_free(&r);
		n = snprintf(body, sizeof body,
		             "--XyZ\r\nContent-Disposition: form-data; name=f; filename=\"%0*d\"\r\n\r\nv\r\n--XyZ--",
		             MP_FILENAME_MAX + extra, 0);
		assert_int_equal(run(CT, body, (size_t)n, 0, 0, &r), extra ? MP_ERR_PARAM_TOO_LONG : MP_OK);
		rec_free(&r);
	}
}

static void test_truncated_everywhere(void **state)
{
	size_t len = sizeof form - 1;
	struct rec r;

	(void)state;
	/* every proper prefix short of the closing "--XyZ--" is refused as truncated */
	for (size_t cut = 0; cut < len - 2; cut++) {
		for (size_t chunk = 0; chunk <= 3; chunk++) {
			enum mp_error e = run(CT, form, cut, chunk, 0, &r);
			if (e != MP_ERR_TRUNCATED)
				fail_msg("cut at %zu, chunk %zu: got '%s'", cut, chunk, mp_strerror(e));
			rec_free(&r);
		}
	}
	/* "--XyZ--\r" then the end: a lone CR is not a line end */
	assert_int_equal(run(CT, form, len - 1, 0, 0, &r), MP_ERR_TRAILING);
	rec_free(&r);
	/* "--XyZ--" without CRLF is complete */
	assert_int_equal(run(CT, form, len - 2, 0, 0, &r), MP_OK);
	rec_free(&r);
}

static void test_missing_final_boundary(void **state)
{
	(void)state;
	CHECK_ERR(CT,
	          "--XyZ\r\n"
	          "Content-Disposition: form-data; name=a\r\n"
	          "\r\n"
	          "1\r\n"
	          "--XyZ\r\n",
	          MP_ERR_TRUNCATED);
	CHECK_ERR(CT,
	          "--XyZ\r\n"
	          "Content-Disposition: form-data; name=a\r\n"
	          "\r\n"
	          "1\r\n",
	          MP_ERR_TRUNCATED);
	CHECK_ERR(CT, "no boundary at all", MP_ERR_TRUNCATED);
	CHECK_ERR(CT, "", MP_ERR_TRUNCATED);
	/* the closing delimiter must follow a line break */
	CHECK_ERR(CT,
	          "--XyZ\r\n"
	          "Content-Disposition: form-data; name=a\r\n"
	          "\r\n"
	          "1--XyZ--\r\n",
	          MP_ERR_TRUNCATED);
}

static void test_preamble_and_epilogue(void **state)
{
	(void)state;
	CHECK_OK(CT,
	         "This is a multi-part message in MIME format.\r\n"
	         "where --XyZ is mentioned, not at a line start\r\n"
	         "\r\n"
	         "--XyZ\r\n"
	         "Content-Disposition: form-data; name=a\r\n"
	         "\r\n"
	         "1\r\n"
	         "--XyZ--\r\n",
	         "<a||>1<END>");
	CHECK_OK(CT, "\r\n--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--",
	         "<a||>1<END>");
	CHECK_ERR(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--\r\nepilogue",
	          MP_ERR_TRAILING);
	CHECK_ERR(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--\r\n\r\n",
	          MP_ERR_TRAILING);
	CHECK_ERR(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--garbage",
	          MP_ERR_TRAILING);
	CHECK_ERR(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--\n",
	          MP_ERR_TRAILING);
	/* a body with no parts at all is well-formed; the caller decides what is required */
	CHECK_OK(CT, "--XyZ--\r\n", "");
}

static void test_callback_refusal_stops(void **state)
{
	struct rec r;
	struct mp_parser p;

	(void)state;
	rec_init(&r);
	r.refuse_begin = 0;
	assert_int_equal(mp_init(&p, CT, &cbs, &r, 0), MP_OK);
	assert_int_equal(mp_feed(&p, LIT(form)), MP_ERR_CALLBACK);
	assert_int_equal(r.begins, 1);
	assert_int_equal(r.datas, 0);
	assert_int_equal(r.ends, 0);
	assert_int_equal(mp_finish(&p), MP_ERR_CALLBACK);
	rec_free(&r);
}

static void test_usage_errors(void **state)
{
	struct mp_parser p;
	struct rec r;

	(void)state;
	rec_init(&r);
	assert_int_equal(mp_init(NULL, CT, &cbs, &r, 0), MP_ERR_USAGE);
	assert_int_equal(mp_init(&p, CT, NULL, &r, 0), MP_ERR_USAGE);
	assert_int_equal(mp_feed(&p, "x", 1), MP_ERR_USAGE);
	assert_int_equal(mp_init(&p, "text/plain", &cbs, &r, 0), MP_ERR_NOT_MULTIPART);
	assert_int_equal(mp_feed(&p, "x", 1), MP_ERR_NOT_MULTIPART);
	assert_int_equal(mp_init(&p, CT, &cbs, &r, 0), MP_OK);
	assert_int_equal(mp_feed(&p, NULL, 1), MP_ERR_USAGE);
	assert_int_equal(mp_init(&p, CT, &cbs, &r, 0), MP_OK);
	assert_int_equal(mp_feed(&p, NULL, 0), MP_OK);
	assert_int_equal(mp_feed(&p, LIT("--XyZ--")), MP_OK);
	assert_int_equal(mp_finish(&p), MP_OK);
	assert_int_equal(mp_finish(&p), MP_OK);
	assert_int_equal(mp_feed(&p, "x", 1), MP_ERR_USAGE);
	rec_free(&r);
}

static void test_messages(void **state)
{
	(void)state;
	for (int e = 0; e < MP_ERR__MAX; e++) {
		const char *m = mp_strerror((enum mp_error)e);
		assert_non_null(m);
		assert_true(strlen(m) > 5);
		for (int f = 0; f < e; f++)
			assert_string_not_equal(m, mp_strerror((enum mp_error)f));
	}
	assert_non_null(mp_strerror(MP_ERR__MAX));
	assert_non_null(mp_strerror((enum mp_error)-1));
}

/* xorshift: the same "random" body on every run */
static uint32_t rnd_state = 2463534242u;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/*
 * A large binary part full of near-delimiters ("\r", "\r\n-", "\r\n--bound" ...) fed in
 * random chunk sizes: the data that comes out is the data that went in, in few runs.
 */
static void test_large_binary_random_chunks(void **state)
{
	static const char delim[] = "\r\n--bound4ry";
	size_t dlen = 1 << 20, blen, off;
	char *data = malloc(dlen), *body;
	struct rec r;
	struct mp_parser p;
	static const char head[] = "--bound4ry\r\nContent-Disposition: form-data; name=f; filename=x.bin\r\n\r\n";
	static const char tail[] = "\r\n--bound4ry--\r\n";
	static const char prefix[] = "<f|f:x.bin|>";

	(void)state;
	assert_non_null(data);
	for (size_t i = 0; i < dlen;) {
		uint32_t x = rnd();
		if (x % 97 == 0) {
			/* a proper prefix of the delimiter, 1 to all-but-one bytes */
			size_t n = 1 + (x >> 8) % (sizeof delim - 2);
			if (n > dlen - i)
				n = dlen - i;
			memcpy(data + i, delim, n);
			i += n;
		} else {
			data[i++] = (char)(x >> 24);
		}
	}
	/* a prefix followed by the right random byte makes the whole delimiter: break it */
	for (char *hit; (hit = memmem(data, dlen, delim, sizeof delim - 1)) != NULL;)
		hit[sizeof delim - 2] = 'Y';
	blen = sizeof head - 1 + dlen + sizeof tail - 1;
	body = malloc(blen);
	assert_non_null(body);
	memcpy(body, head, sizeof head - 1);
	memcpy(body + sizeof head - 1, data, dlen);
	memcpy(body + sizeof head - 1 + dlen, tail, sizeof tail - 1);

	rec_init(&r);
	assert_int_equal(mp_init(&p, "multipart/form-data; boundary=bound4ry", &cbs, &r, 0), MP_OK);
	for (off = 0; off < blen;) {
		size_t n = 1 + rnd() % 40000;
		if (n > blen - off)
			n = blen - off;
		assert_int_equal(mp_feed(&p, body + off, n), MP_OK);
		off += n;
	}
	assert_int_equal(mp_finish(&p), MP_OK);
	assert_int_equal(r.len, sizeof prefix - 1 + dlen + 5);
	assert_memory_equal(r.log, prefix, sizeof prefix - 1);
	assert_memory_equal(r.log + sizeof prefix - 1, data, dlen);
	assert_memory_equal(r.log + sizeof prefix - 1 + dlen, "<END>", 5);
	/* runs are handed out whole, not byte by byte: far fewer calls than CRs */
	assert_true(r.datas < dlen / 64);
	rec_free(&r);
	free(body);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_form),
		cmocka_unit_test(test_boundary_parsing),
		cmocka_unit_test(test_quoted_boundary_body),
		cmocka_unit_test(test_filename_star_harmless),
		cmocka_unit_test(test_crlf_inside_data),
		cmocka_unit_test(test_boundary_lookalikes_are_data),
		cmocka_unit_test(test_boundary_followed_by_junk),
		cmocka_unit_test(test_part_without_disposition),
		cmocka_unit_test(test_too_many_parts),
		cmocka_unit_test(test_header_line_limit),
		cmocka_unit_test(test_too_many_headers),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_param_lengths),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_missing_final_boundary),
		cmocka_unit_test(test_preamble_and_epilogue),
		cmocka_unit_test(test_callback_refusal_stops),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_large_binary_random_chunks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
