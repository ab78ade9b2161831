/*
 * Routes: method + path pattern -> handler. A '*' segment matches one non-empty path
 * segment, which is percent-decoded, checked for valid UTF-8 without NUL, and handed to
 * the handler in r->args. A path that matches with another method gets 405.
 */
#ifndef MOTCUA_CORE_ROUTER_H
#define MOTCUA_CORE_ROUTER_H

struct http_req;

typedef void (*route_fn)(struct http_req *r);

struct route {
	const char *method;
	const char *pattern;
	route_fn fn;
};

/* The table lives in api/routes.c; terminated by a {NULL,NULL,NULL} entry. */
extern const struct route api_routes[];

void router_dispatch(struct http_req *r);

#endif
