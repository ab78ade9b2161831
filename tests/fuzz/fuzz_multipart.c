/*
 * libFuzzer harness for core/multipart (not part of make test).
 *
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Ifcgi \
 *         -o build/fuzz_multipart tests/fuzz/fuzz_multipart.c fcgi/core/multipart.c
 *   build/fuzz_multipart -max_total_time=60 -max_len=4096 corpus-dir/
 *
 * Input: the first byte picks a chunk size (1..64); the rest is the body, under the
 * boundary "XyZ". The body is parsed twice, whole and in chunks, and both runs must
 * agree on the verdict and on every callback up to it (the data compared byte for
 * byte through a hash, however it was split into runs). Also checked: callbacks come in order,
 * part strings hold no NUL, CR or LF and match their lengths, and the whole input,
 * as a Content-Type, gives mp_boundary a well-formed answer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/multipart.h"

struct trace {
	uint64_t hash;
	int in_part;
	unsigned parts;
	size_t bytes;
};

static void mix(struct trace *t, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		t->hash ^= b[i];
		t->hash *= 0x100000001b3ull;
	}
}

static void check_string(const char *s, size_t len, size_t max)
{
	if (len > max || strlen(s) != len || memchr(s, '\r', len) || memchr(s, '\n', len))
		abort();
}

static int on_begin(void *ctx, const struct mp_part *p)
{
	struct trace *t = ctx;

	if (t->in_part || p->index != t->parts)
		abort();
	check_string(p->name, p->name_len, MP_NAME_MAX);
	check_string(p->filename, p->filename_len, MP_FILENAME_MAX);
	check_string(p->content_type, strlen(p->content_type), MP_CTYPE_MAX);
	if (!p->has_filename && p->filename_len)
		abort();
	t->in_part = 1;
	t->parts++;
	mix(t, "B", 1);
	mix(t, p->name, p->name_len + 1);
	mix(t, &p->has_filename, sizeof p->has_filename);
	mix(t, p->filename, p->filename_len + 1);
	mix(t, p->content_type, strlen(p->content_type) + 1);
	return 0;
}

static int on_data(void *ctx, const char *data, size_t len)
{
	struct trace *t = ctx;

	if (!t->in_part || len == 0)
		abort();
	t->bytes += len;
	mix(t, data, len);
	return 0;
}

static int on_end(void *ctx)
{
	struct trace *t = ctx;

	if (!t->in_part)
		abort();
	t->in_part = 0;
	mix(t, "E", 1);
	return 0;
}

static const struct mp_callbacks cbs = { on_begin, on_data, on_end };

static enum mp_error parse(const char *body, size_t len, size_t chunk, struct trace *t)
{
	struct mp_parser p;
	enum mp_error e;

	memset(t, 0, sizeof *t);
	t->hash = 0xcbf29ce484222325ull;
	if (mp_init(&p, "multipart/form-data; boundary=XyZ", &cbs, t, 8) != MP_OK)
		abort();
	for (size_t off = 0; off < len; off += chunk)
		if ((e = mp_feed(&p, body + off, len - off < chunk ? len - off : chunk)) != MP_OK)
			return e;
	e = mp_finish(&p);
	if (e == MP_OK && t->in_part)
		abort();                        /* a complete body closes its last part */
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char ctype[512], boundary[MP_BOUNDARY_MAX + 1];
	struct trace whole, chunked;
	enum mp_error a, b;
	size_t n = size < sizeof ctype - 1 ? size : sizeof ctype - 1;

	memcpy(ctype, data, n);
	ctype[n] = '\0';
	a = mp_boundary(ctype, boundary);
	if (a == MP_OK ? (boundary[0] == '\0' || strlen(boundary) > MP_BOUNDARY_MAX) : boundary[0] != '\0')
		abort();

	if (size == 0)
		return 0;
	a = parse((const char *)data + 1, size - 1, size - 1 ? size - 1 : 1, &whole);
	b = parse((const char *)data + 1, size - 1, (size_t)data[0] % 64 + 1, &chunked);
	/* a failing callback cannot happen here; the verdicts must agree */
	if (a != b || a == MP_ERR_CALLBACK || a >= MP_ERR__MAX)
		abort();
	/* errors are found at the same byte however the body is split, so even then both
	 * runs saw the same callbacks and the same data */
	if (whole.hash != chunked.hash || whole.parts != chunked.parts || whole.bytes != chunked.bytes)
		abort();
	return 0;
}
