/*
 * Declared JSON request bodies: like params.h for query strings. An endpoint lists the
 * members its body may have, with type and bounds; json_body_parse reads the body (size
 * limit, Content-Type), parses it with a strict depth-limited tokener that must consume
 * it whole, and checks every member. Unknown members, wrong types, bad UTF-8, NUL, values
 * out of bounds and missing required members are answered with a problem+json naming the
 * member (400; 413 too large; 415 not JSON), and the handler never runs.
 */
#ifndef MOTCUA_CORE_JSONIN_H
#define MOTCUA_CORE_JSONIN_H

#include <stddef.h>

struct http_req;
struct json_object;

enum jin_type {
	JIN_TEXT = 0,       /* string, UTF-8 text, max_len bytes (min_len too) */
	JIN_INT,            /* integer in [min, max] */
	JIN_BOOL,
	JIN_ENUM,           /* string, one of choices[] (index in .i) */
	JIN_TEXT_ARRAY,     /* array (at most max items) of strings of at most max_len bytes */
	JIN_INT_ARRAY,      /* array (at most max items) of integers in [0, max_len] */
	JIN__MAX
};

#define JIN_MAX_FIELDS 32

struct jin_spec {
	const char *name;
	enum jin_type type;
	int required;
	size_t min_len, max_len;
	long long min, max;
	const char *const *choices;
	const char *(*check)(const char *s, size_t len);   /* extra check for text; NULL = fine */
};

struct jin_value {
	int present;                /* present and not null */
	const char *s;              /* JIN_TEXT, JIN_ENUM: lent by the parsed body */
	size_t len;
	long long i;                /* JIN_INT, JIN_BOOL, JIN_ENUM index */
	struct json_object *a;      /* JIN_*_ARRAY: lent */
};

struct jin {
	struct json_object *root;   /* owned: release with jin_free */
	struct jin_value v[JIN_MAX_FIELDS];
};

#define JIN_DEFAULT_MAX_BODY (64 * 1024)

/* Reads and checks the body. Returns 0 (out->v[k] matches spec[k]) or -1 after answering
 * with a problem. Call jin_free in both cases. */
int json_body_parse(struct http_req *r, size_t max_body, const struct jin_spec *spec, size_t n,
                    struct jin *out);
void jin_free(struct jin *in);

/* Reads the raw body into a new buffer (NUL-terminated). Returns 0, or -1 after answering
 * (413 when over max). *buf is owned by the caller (free). */
int http_read_body(struct http_req *r, size_t max, char **buf, size_t *len);

#endif
