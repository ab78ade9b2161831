#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 428: return "Precondition Required";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default:  return status >= 500 ? "Internal Server Error" : "Error";
	}
}

/* Copies a FastCGI parameter into dst; an over-long value makes the request unusable. */
static int copy_param(FCGX_Request *fx, const char *name, char *dst, size_t dstsz)
{
	const char *v = FCGX_GetParam(name, fx->envp);
	size_t n = v ? strlen(v) : 0;

	if (n >= dstsz)
		return -1;
	memcpy(dst, v ? v : "", n);
	dst[n] = '\0';
	return 0;
}

int http_req_load(struct http_req *r, FCGX_Request *fx)
{
	const char *uri;
	const char *q;
	size_t plen;

	r->fx = fx;
	r->status = 0;
	r->nargs = 0;
	copy_param(fx, "REMOTE_ADDR", r->remote_addr, sizeof r->remote_addr);
	copy_param(fx, "REQUEST_ID", r->request_id, sizeof r->request_id);
	if (copy_param(fx, "REQUEST_METHOD", r->method, sizeof r->method) != 0) {
		http_problem(r, 405, "method_not_allowed", "Phương thức không được hỗ trợ",
		             "Unsupported request method.", NULL);
		return -1;
	}
	uri = FCGX_GetParam("REQUEST_URI", fx->envp);
	if (uri == NULL)
		uri = "/";
	q = strchr(uri, '?');
	plen = q ? (size_t)(q - uri) : strlen(uri);
	if (plen >= sizeof r->path) {
		http_problem(r, 414, "uri_too_long", "Địa chỉ yêu cầu quá dài",
		             "The request path is too long.", NULL);
		return -1;
	}
	memcpy(r->path, uri, plen);
	r->path[plen] = '\0';
	if (q && strlen(q + 1) >= sizeof r->query) {
		http_problem(r, 414, "uri_too_long", "Địa chỉ yêu cầu quá dài",
		             "The query string is too long.", NULL);
		return -1;
	}
	strcpy(r->query, q ? q + 1 : "");
	return 0;
}

void http_send(struct http_req *r, int status, const char *content_type,
               const char *extra_headers, const char *body, size_t len)
{
	char head[1024];
	int hlen;

	if (r->status != 0) {
		log_error("http: second response for %s %s ignored", r->method, r->path);
		return;
	}
	r->status = status;
	/* formatted here, not with FCGX_FPrintF: libfcgi's own printf knows no %zu */
	hlen = snprintf(head, sizeof head,
	                "Status: %d %s\r\n"
	                "Content-Type: %s\r\n"
	                "Content-Length: %zu\r\n"
	                "Cache-Control: no-store\r\n"
	                "%s"
	                "\r\n",
	                status, status_text(status), content_type, len, extra_headers ? extra_headers : "");
	if (hlen < 0 || (size_t)hlen >= sizeof head) {
		log_error("http: response head too long for %s %s", r->method, r->path);
		return;
	}
	FCGX_PutStr(head, hlen, r->fx->out);
	if (len && strcmp(r->method, "HEAD") != 0)
		FCGX_PutStr(body, (int)len, r->fx->out);
}

void http_json(struct http_req *r, int status, struct json_object *obj)
{
	http_json_h(r, status, obj, NULL);
}

const char *http_header(struct http_req *r, const char *cgi_name)
{
	return FCGX_GetParam(cgi_name, r->fx->envp);
}

int http_is_write(const struct http_req *r)
{
	return strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
}

void http_json_h(struct http_req *r, int status, struct json_object *obj, const char *extra_headers)
{
	size_t len;
	const char *s = json_object_to_json_string_length(obj,
	        JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);

	if (s == NULL) {
		json_object_put(obj);
		http_internal_error(r, "json serialisation");
		return;
	}
	http_send(r, status, "application/json; charset=utf-8", extra_headers, s, len);
	json_object_put(obj);
}

void http_problem(struct http_req *r, int status, const char *code, const char *title_vi,
                  const char *detail_en, const char *field)
{
	struct json_object *o = json_object_new_object();
	char type[128];
	size_t len;
	const char *s;

	snprintf(type, sizeof type, "https://motcua.example/problems/%s", code);
	json_put_str(o, "type", type);
	json_put_str(o, "title", title_vi);
	json_put_int(o, "status", status);
	json_put_str(o, "detail", detail_en);
	json_put_str(o, "code", code);
	if (field)
		json_put_str(o, "field", field);
	s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	http_send(r, status, "application/problem+json; charset=utf-8", NULL, s, len);
	json_object_put(o);
}

void http_not_found(struct http_req *r)
{
	http_problem(r, 404, "not_found", "Không tìm thấy", "No such resource.", NULL);
}

void http_internal_error(struct http_req *r, const char *what)
{
	log_error("internal error in %s %s: %s", r->method, r->path, what);
	http_problem(r, 500, "internal", "Lỗi hệ thống, vui lòng thử lại sau",
	             "Internal error; it has been logged.", NULL);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

long http_percent_decode(const char *src, size_t len, char *dst, size_t dstsz, int plus_space)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)src[i];
		if (c == '%') {
			int h, l;
			if (i + 2 >= len)
				return -1;
			h = hexval((unsigned char)src[i + 1]);
			l = hexval((unsigned char)src[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			c = h * 16 + l;
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		}
		if (o + 1 >= dstsz)
			return -1;
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return (long)o;
}

void json_put_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

void json_put_strn(struct json_object *o, const char *key, const char *s, size_t len)
{
	json_object_object_add(o, key, s ? json_object_new_string_len(s, (int)len) : NULL);
}

void json_put_int(struct json_object *o, const char *key, long long v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

void json_put_bool(struct json_object *o, const char *key, int v)
{
	json_object_object_add(o, key, json_object_new_boolean(v));
}
