/*
 * A small HTTP/1.1 client for motcua-sign: one request per connection (Connection:
 * close), plain TCP for http:// and TLS (OpenSSL, the system's trusted CAs or a given
 * CA file, the host name checked, TLS 1.2 at least) for https://. Bodies in either direction are held in memory; the
 * answer may be chunked or not. Not for the server: the FastCGI worker never calls out
 * through this (core/httpget.c is its own, for CRLs).
 */
#ifndef MOTCUA_TOOLS_HTTPC_H
#define MOTCUA_TOOLS_HTTPC_H

#include <stddef.h>

#define HTTPC_MAX_BODY (64u * 1024 * 1024)

struct httpc_res {
	int status;
	char *headers;          /* the header block as received, NUL-terminated (malloc'd) */
	char *body;             /* NUL-terminated (malloc'd); body_len excludes the NUL */
	size_t body_len;
};

/*
 * Send method to base_url (http://host[:port] or https://host[:port], an optional path
 * prefix) + path with the extra header lines (each "Name: value", NULL-terminated list,
 * may be NULL) and body (may be NULL). cafile (PEM, may be NULL: the system's CAs) is
 * what an https server's certificate must chain to. Returns 0 with *res filled (any
 * status), or -1 with err (one English line). timeout_s bounds each read and write.
 */
int httpc_request(const char *base_url, const char *cafile, const char *method, const char *path,
    const char *const *headers, const void *body, size_t body_len, int timeout_s,
    struct httpc_res *res, char *err, size_t errsz);
void httpc_res_free(struct httpc_res *res);

/* The value of the first header named name (case-insensitive) copied to out; 0 or -1. */
int httpc_header(const struct httpc_res *res, const char *name, char *out, size_t outsz);

/* The first "Set-Cookie: name=value" pair for cookie `name`, as "name=value"; 0 or -1. */
int httpc_cookie(const struct httpc_res *res, const char *name, char *out, size_t outsz);

#endif
