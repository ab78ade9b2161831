/*
 * A small GET for fetching CRLs (core/crlrefresh.c): http://host[:port]/path over plain
 * TCP (HTTP/1.1, Connection: close; chunked or not), and file:///absolute/path. No
 * https. A redirect (301, 302, 303, 307, 308) is followed at most HTTPGET_REDIRECTS times
 * and only to another http:// URL: never to file:// or anything else. The body may
 * have at most `max` bytes; the whole fetch must end within timeout_s seconds.
 */
#ifndef MOTCUA_CORE_HTTPGET_H
#define MOTCUA_CORE_HTTPGET_H

#include <stddef.h>

#define HTTPGET_REDIRECTS 3

/* 0 with *out (malloc'd, free it) and *len; -1 with err (English) filled. */
int httpget(const char *url, size_t max, int timeout_s, unsigned char **out, size_t *len,
            char *err, size_t errsz);

/* 1 if url is a shape httpget takes (http://host/… or file:///…), else 0. */
int httpget_url_ok(const char *url);

#endif
