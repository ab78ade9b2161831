#include <string.h>

#include "http.h"
#include "params.h"
#include "router.h"
#include "domain/text.h"

/* 1 if path matches pattern; fills r->args. -1 if it matched but an argument was bad. */
static int match(struct http_req *r, const char *pattern, const char *path)
{
	r->nargs = 0;
	while (*pattern && *path) {
		if (pattern[0] == '*' && (pattern[1] == '/' || pattern[1] == '\0')) {
			const char *slash = strchr(path, '/');
			size_t len = slash ? (size_t)(slash - path) : strlen(path);
			long dl;

			if (len == 0 || r->nargs == HTTP_MAX_ARGS)
				return 0;
			dl = http_percent_decode(path, len, r->args[r->nargs], sizeof r->args[0], 0);
			if (dl < 0 || !utf8_valid_text(r->args[r->nargs], (size_t)dl))
				return -1;
			r->arg_len[r->nargs++] = (size_t)dl;
			path += len;
			pattern++;
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	return *pattern == '\0' && *path == '\0';
}

void router_dispatch(struct http_req *r)
{
	int path_known = 0;
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;

	for (const struct route *rt = api_routes; rt->pattern; rt++) {
		int m = match(r, rt->pattern, r->path);
		if (m == 0)
			continue;
		if (m < 0) {
			http_problem(r, 400, "invalid_path", "Đường dẫn không hợp lệ",
			             "A path segment is malformed, too long, or not valid UTF-8.", "path");
			return;
		}
		if (strcmp(rt->method, method) == 0) {
			/* writes take their input from the JSON body only; a query string there
			 * is a mistake (or a probe), refused like any undeclared input */
			if (strcmp(method, "GET") != 0 && r->query[0]) {
				struct params none;
				params_parse(r, NULL, 0, &none);
				if (r->status)
					return;
			}
			rt->fn(r);
			if (r->status == 0)
				http_internal_error(r, "handler sent no response");
			return;
		}
		path_known = 1;
	}
	if (path_known)
		http_problem(r, 405, "method_not_allowed", "Phương thức không được hỗ trợ",
		             "This resource does not accept that method.", NULL);
	else
		http_not_found(r);
}
