/*
 * One HTTP request as the FastCGI handler sees it, and the ways to answer it.
 * Every string here is a copy owned by the request (libfcgi's parameter strings die at
 * the next accept), freed by http_req_reset.
 */
#ifndef MOTCUA_CORE_HTTP_H
#define MOTCUA_CORE_HTTP_H

#include <stddef.h>
#include <fcgiapp.h>
#include <json-c/json.h>

struct db;
struct config;

#define HTTP_PATH_MAX   2048
#define HTTP_QUERY_MAX  4096
#define HTTP_MAX_ARGS   4

struct http_req {
	FCGX_Request *fx;
	struct db *db;                  /* this thread's connection */
	const struct config *cfg;
	char method[8];
	char path[HTTP_PATH_MAX];       /* raw path, without the query */
	char query[HTTP_QUERY_MAX];     /* raw query string */
	char remote_addr[64];
	char request_id[40];            /* nginx $request_id, for logs */
	/* path segments matched by '*' in the route, percent-decoded and NUL-checked */
	char args[HTTP_MAX_ARGS][256];
	size_t arg_len[HTTP_MAX_ARGS];
	unsigned nargs;
	int status;                     /* status sent, 0 until then */
};

/* Fills r from the accepted FastCGI request. Returns 0, or -1 if the request line is
 * unusable (it then has already been answered with a problem). */
int http_req_load(struct http_req *r, FCGX_Request *fx);

/* Raw response. extra_headers: NULL or lines each ending in "\r\n". */
void http_send(struct http_req *r, int status, const char *content_type,
               const char *extra_headers, const char *body, size_t len);

/* Serialises obj, sends it with status, and releases obj (json_object_put). */
void http_json(struct http_req *r, int status, struct json_object *obj);
/* The same with extra header lines (each ending in "\r\n"). */
void http_json_h(struct http_req *r, int status, struct json_object *obj, const char *extra_headers);
/* A request header by its CGI name ("HTTP_COOKIE"), or NULL; valid until the next accept. */
const char *http_header(struct http_req *r, const char *cgi_name);
/* 1 for methods that change state (POST, PUT, PATCH, DELETE). */
int http_is_write(const struct http_req *r);

/*
 * RFC 9457 problem: stable code, Vietnamese title, English detail, optional field name.
 */
void http_problem(struct http_req *r, int status, const char *code, const char *title_vi,
                  const char *detail_en, const char *field);

/* Common problems. */
void http_not_found(struct http_req *r);
void http_internal_error(struct http_req *r, const char *what);

/* Decodes %XX (and '+' as space when plus_space) from src[0..len) into dst (dstsz).
 * Returns the decoded length or -1 on a bad escape or overflow. */
long http_percent_decode(const char *src, size_t len, char *dst, size_t dstsz, int plus_space);

/* JSON helpers: add a string (or null if s is NULL), an int, a bool. */
void json_put_str(struct json_object *o, const char *key, const char *s);
void json_put_strn(struct json_object *o, const char *key, const char *s, size_t len);
void json_put_int(struct json_object *o, const char *key, long long v);
void json_put_bool(struct json_object *o, const char *key, int v);

#endif
