#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "params.h"
#include "domain/text.h"

void params_reject(struct http_req *r, const char *field, const char *why)
{
	char detail[256];

	snprintf(detail, sizeof detail, "Parameter '%s': %s.", field, why);
	http_problem(r, 400, "invalid_parameter", "Tham số không hợp lệ", detail, field);
}

static int is_token_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

const char *param_check_value(const struct param_spec *spec, const char *s, size_t len,
                              long long *ival)
{
	char *end;
	long long v;

	if (!utf8_valid_text(s, len))
		return "not valid UTF-8 text (or contains NUL or control characters)";
	switch (spec->type) {
	case PT_TEXT:
		if (len > spec->max_len)
			return "too long";
		break;
	case PT_TOKEN:
		if (len == 0)
			return "empty";
		if (len > spec->max_len)
			return "too long";
		for (size_t i = 0; i < len; i++)
			if (!is_token_char((unsigned char)s[i]))
				return "contains characters other than letters, digits, '.', '_' and '-'";
		break;
	case PT_INT:
		if (len == 0 || len > 19)
			return "not an integer";
		for (size_t i = 0; i < len; i++)
			if (!(s[i] >= '0' && s[i] <= '9') && !(i == 0 && s[i] == '-' && len > 1))
				return "not an integer";
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno || *end)
			return "not an integer";
		if (v < spec->min || v > spec->max)
			return "out of range";
		*ival = v;
		break;
	case PT_ENUM:
		for (long long k = 0; spec->choices[k]; k++)
			if (strlen(spec->choices[k]) == len && memcmp(spec->choices[k], s, len) == 0) {
				*ival = k;
				goto checked;
			}
		return "not one of the accepted values";
	default:
		return "unsupported parameter type";
	}
checked:
	if (spec->check)
		return spec->check(s, len);
	return NULL;
}

int params_parse(struct http_req *r, const struct param_spec *spec, size_t n, struct params *out)
{
	const char *p = r->query;
	size_t used = 0;

	memset(out->v, 0, sizeof out->v);
	if (n > PARAMS_MAX) {
		http_internal_error(r, "too many declared parameters");
		return -1;
	}
	while (*p) {
		const char *amp = strchr(p, '&');
		size_t plen = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', plen);
		size_t klen = eq ? (size_t)(eq - p) : plen;
		char key[64];
		long kl, vl;
		size_t k;
		const char *why;

		if (plen == 0)
			goto next;
		kl = http_percent_decode(p, klen, key, sizeof key, 1);
		if (kl < 0 || !utf8_valid_text(key, (size_t)kl)) {
			http_problem(r, 400, "unknown_parameter", "Tham số không được hỗ trợ",
			             "A parameter name is malformed or too long.", NULL);
			return -1;
		}
		for (k = 0; k < n; k++)
			if (strcmp(spec[k].name, key) == 0)
				break;
		if (k == n) {
			char detail[160];
			snprintf(detail, sizeof detail, "Unknown parameter '%s'.", key);
			http_problem(r, 400, "unknown_parameter", "Tham số không được hỗ trợ", detail, key);
			return -1;
		}
		if (out->v[k].present) {
			params_reject(r, spec[k].name, "given more than once");
			return -1;
		}
		vl = eq ? http_percent_decode(eq + 1, plen - klen - 1, out->buf + used,
		                              sizeof out->buf - used, 1)
		        : (out->buf[used] = '\0', 0);
		if (vl < 0) {
			params_reject(r, spec[k].name, "bad percent-encoding or too long");
			return -1;
		}
		if ((why = param_check_value(&spec[k], out->buf + used, (size_t)vl, &out->v[k].i)) != NULL) {
			params_reject(r, spec[k].name, why);
			return -1;
		}
		out->v[k].present = 1;
		out->v[k].s = out->buf + used;
		out->v[k].len = (size_t)vl;
		used += (size_t)vl + 1;
next:
		if (!amp)
			break;
		p = amp + 1;
	}
	for (size_t k = 0; k < n; k++)
		if (spec[k].required && !out->v[k].present) {
			char detail[160];
			snprintf(detail, sizeof detail, "Parameter '%s' is required.", spec[k].name);
			http_problem(r, 400, "missing_parameter", "Thiếu tham số bắt buộc", detail, spec[k].name);
			return -1;
		}
	return 0;
}
