#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "http.h"
#include "jsonin.h"
#include "params.h"
#include "domain/text.h"

#define JIN_MAX_DEPTH 8

int http_read_body(struct http_req *r, size_t max, char **buf, size_t *len)
{
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", r->fx->envp);
	unsigned long long n = 0;
	char *end, *b;
	int got;

	*buf = NULL;
	*len = 0;
	if (cl && *cl) {
		errno = 0;
		n = strtoull(cl, &end, 10);
		if (errno || *end) {
			http_problem(r, 400, "bad_request", "Yêu cầu không hợp lệ",
			             "Content-Length is not a number.", NULL);
			return -1;
		}
	}
	if (n > max) {
		char detail[128];
		snprintf(detail, sizeof detail, "The body is larger than %zu bytes.", max);
		http_problem(r, 413, "body_too_large", "Dữ liệu gửi lên quá lớn", detail, NULL);
		return -1;
	}
	if ((b = malloc((size_t)n + 1)) == NULL) {
		http_internal_error(r, "out of memory reading the body");
		return -1;
	}
	got = n ? FCGX_GetStr(b, (int)n, r->fx->in) : 0;
	if (got < 0 || (unsigned long long)got != n) {
		free(b);
		http_problem(r, 400, "bad_request", "Yêu cầu không hợp lệ",
		             "The body is shorter than its Content-Length.", NULL);
		return -1;
	}
	b[n] = '\0';
	*buf = b;
	*len = (size_t)n;
	return 0;
}

static void reject(struct http_req *r, const char *field, const char *why)
{
	char detail[256];

	snprintf(detail, sizeof detail, "Field '%s': %s.", field, why);
	http_problem(r, 400, "invalid_field", "Dữ liệu không hợp lệ", detail, field);
}

static const char *check_text(const struct jin_spec *s, struct json_object *x, struct jin_value *v)
{
	const char *str;
	size_t len;

	if (!json_object_is_type(x, json_type_string))
		return "must be a string";
	str = json_object_get_string(x);
	len = (size_t)json_object_get_string_len(x);
	if (!utf8_valid_text(str, len))
		return "not valid UTF-8 text (or contains NUL or control characters)";
	if (len < s->min_len)
		return s->min_len == 1 ? "must not be empty" : "too short";
	if (len > s->max_len)
		return "too long";
	v->s = str;
	v->len = len;
	return s->check ? s->check(str, len) : NULL;
}

static const char *check_value(const struct jin_spec *s, struct json_object *x, struct jin_value *v)
{
	const char *why;
	size_t n;

	switch (s->type) {
	case JIN_TEXT:
		return check_text(s, x, v);
	case JIN_INT:
		if (!json_object_is_type(x, json_type_int))
			return "must be an integer";
		errno = 0;
		v->i = json_object_get_int64(x);
		if (errno || v->i < s->min || v->i > s->max)
			return "out of range";
		return NULL;
	case JIN_BOOL:
		if (!json_object_is_type(x, json_type_boolean))
			return "must be true or false";
		v->i = json_object_get_boolean(x);
		return NULL;
	case JIN_ENUM:
		if (!json_object_is_type(x, json_type_string))
			return "must be a string";
		for (long long k = 0; s->choices[k]; k++)
			if (strcmp(s->choices[k], json_object_get_string(x)) == 0 &&
			    strlen(s->choices[k]) == (size_t)json_object_get_string_len(x)) {
				v->i = k;
				v->s = s->choices[k];
				v->len = strlen(s->choices[k]);
				return NULL;
			}
		return "not one of the accepted values";
	case JIN_TEXT_ARRAY:
	case JIN_INT_ARRAY:
		if (!json_object_is_type(x, json_type_array))
			return "must be an array";
		n = json_object_array_length(x);
		if ((long long)n > s->max)
			return "has too many items";
		if (n < (size_t)s->min)
			return "has too few items";
		for (size_t k = 0; k < n; k++) {
			struct json_object *item = json_object_array_get_idx(x, k);
			struct jin_value tmp;
			if (s->type == JIN_TEXT_ARRAY) {
				struct jin_spec one = *s;
				one.min_len = 1;
				if ((why = check_text(&one, item, &tmp)) != NULL)
					return why;
			} else {
				long long iv;
				if (!json_object_is_type(item, json_type_int))
					return "items must be integers";
				iv = json_object_get_int64(item);
				if (iv < 0 || iv > (long long)s->max_len)
					return "an item is out of range";
			}
		}
		v->a = x;
		return NULL;
	default:
		return "unsupported type";
	}
}

int json_body_parse(struct http_req *r, size_t max_body, const struct jin_spec *spec, size_t n,
                    struct jin *out)
{
	const char *ct = FCGX_GetParam("CONTENT_TYPE", r->fx->envp);
	struct json_tokener *tok = NULL;
	char *body = NULL;
	size_t len;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (n > JIN_MAX_FIELDS) {
		http_internal_error(r, "too many declared fields");
		return -1;
	}
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';')) {
		http_problem(r, 415, "unsupported_media_type", "Định dạng dữ liệu không được hỗ trợ",
		             "Send the body as application/json.", NULL);
		return -1;
	}
	if (http_read_body(r, max_body, &body, &len) != 0)
		return -1;
	if ((tok = json_tokener_new_ex(JIN_MAX_DEPTH)) == NULL) {
		http_internal_error(r, "out of memory");
		goto out;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	out->root = json_tokener_parse_ex(tok, body, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len || out->root == NULL) {
		http_problem(r, 400, "invalid_json", "Dữ liệu không đúng định dạng JSON",
		             "The body is not one complete JSON value.", NULL);
		goto out;
	}
	if (!json_object_is_type(out->root, json_type_object)) {
		http_problem(r, 400, "invalid_json", "Dữ liệu không đúng định dạng JSON",
		             "The body must be a JSON object.", NULL);
		goto out;
	}
	json_object_object_foreach(out->root, key, val) {
		size_t k;
		const char *why;
		for (k = 0; k < n; k++)
			if (strcmp(spec[k].name, key) == 0)
				break;
		if (k == n) {
			char detail[160];
			snprintf(detail, sizeof detail, "Unknown field '%.60s'.", key);
			http_problem(r, 400, "unknown_field", "Trường dữ liệu không được hỗ trợ", detail, key);
			goto out;
		}
		if (val == NULL)
			continue;   /* null is "not given" */
		if ((why = check_value(&spec[k], val, &out->v[k])) != NULL) {
			reject(r, key, why);
			goto out;
		}
		out->v[k].present = 1;
	}
	for (size_t k = 0; k < n; k++)
		if (spec[k].required && !out->v[k].present) {
			char detail[160];
			snprintf(detail, sizeof detail, "Field '%s' is required.", spec[k].name);
			http_problem(r, 400, "missing_field", "Thiếu trường dữ liệu bắt buộc", detail, spec[k].name);
			goto out;
		}
	rc = 0;
out:
	json_tokener_free(tok);
	free(body);
	return rc;
}

void jin_free(struct jin *in)
{
	json_object_put(in->root);
	in->root = NULL;
}
