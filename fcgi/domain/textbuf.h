/*
 * Text built into a caller's fixed buffer with printf-style appends (e-mail bodies,
 * digests). An append that does not fit sets `overflow`, keeps what fitted
 * NUL-terminated, and makes every later append a no-op, so a caller checks once at
 * the end. Pure.
 */
#ifndef MOTCUA_DOMAIN_TEXTBUF_H
#define MOTCUA_DOMAIN_TEXTBUF_H

#include <stddef.h>

struct textbuf {
	char *p;                        /* the caller's buffer, cap bytes */
	size_t cap, len;
	int overflow;
};

void textbuf_add(struct textbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
