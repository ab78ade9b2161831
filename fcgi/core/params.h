/*
 * Declared inputs (kcgi style): each endpoint lists the query parameters it accepts in a
 * table with their type and bounds; params_parse checks the whole query against it and
 * hands the handler only validated values. Unknown, repeated, over-long, badly encoded
 * (bad percent escapes, bad UTF-8, NUL, control characters) or out-of-range values are
 * answered with a 400 problem+json naming the parameter, and the handler never runs.
 */
#ifndef MOTCUA_CORE_PARAMS_H
#define MOTCUA_CORE_PARAMS_H

#include <stddef.h>

struct http_req;

enum param_type {
	PT_TEXT = 0,    /* UTF-8 text, max_len bytes */
	PT_INT,         /* decimal integer in [min, max] */
	PT_ENUM,        /* one of choices[] */
	PT_TOKEN,       /* [A-Za-z0-9._-] only, max_len bytes: codes and identifiers */
	PT__MAX
};

#define PARAMS_MAX 16

struct param_spec {
	const char *name;
	enum param_type type;
	int required;
	size_t max_len;                 /* PT_TEXT, PT_TOKEN: bytes */
	long long min, max;             /* PT_INT */
	const char *const *choices;     /* PT_ENUM: NULL-terminated */
	/* optional extra check; returns NULL if fine, else an English reason */
	const char *(*check)(const char *s, size_t len);
};

struct param_value {
	int present;
	const char *s;                  /* NUL-terminated, decoded */
	size_t len;
	long long i;                    /* PT_INT value; PT_ENUM index */
};

struct params {
	struct param_value v[PARAMS_MAX];
	char buf[4096];                 /* decoded values live here */
};

/*
 * Parses r->query against spec[0..n). Returns 0 with out filled (out->v[k] matches
 * spec[k]), or -1 after answering the request with a problem.
 */
int params_parse(struct http_req *r, const struct param_spec *spec, size_t n, struct params *out);

/* Validates one already-decoded value against a spec; NULL if fine, else the reason. */
const char *param_check_value(const struct param_spec *spec, const char *s, size_t len,
                              long long *ival);

/* Answers 400 for a bad parameter value. */
void params_reject(struct http_req *r, const char *field, const char *why);

#endif
