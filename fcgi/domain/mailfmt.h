/*
 * The bytes of an e-mail, as SMTP carries them: pure formatting, no I/O, unit-tested
 * (tests/unit/test_smtp_format.c).
 *   - RFC 2047 encoded words for a UTF-8 header value (Subject), folded so no line passes
 *     76 characters and no UTF-8 sequence is split between two words;
 *   - the RFC 5322 Date of a time;
 *   - base64 (RFC 2045 body lines of 76 characters, or one line for AUTH PLAIN);
 *   - DATA's transparency (RFC 5321 4.5.2): bare LF and CR become CRLF, a line that starts
 *     with '.' gets a second one, and the terminating "CRLF.CRLF" is added.
 * Functions that allocate say so; the caller frees with free().
 */
#ifndef MOTCUA_DOMAIN_MAILFMT_H
#define MOTCUA_DOMAIN_MAILFMT_H

#include <stddef.h>

#include "timeutil.h"

/*
 * A header value: printable ASCII stays as it is; anything else becomes one or more
 * "=?UTF-8?B?...?=" words joined by "\r\n " (folding). `name_len` is the length of
 * "Subject: " already on the first line. Returns 0, or -1 if out is too small.
 */
int mailfmt_header_encode(const char *value, size_t name_len, char *out, size_t outsz);

/* "Sun, 22 Nov 2026 13:05:09 +0700" (Vietnam's time); buf >= 32 bytes. */
void mailfmt_date(mc_time t, char *buf, size_t bufsz);

/* base64 of in[0..len); line_len 0: one line, else CRLF after every line_len characters
 * (a multiple of 4). Allocates; NULL on overflow or out of memory. *outlen if not NULL. */
char *mailfmt_base64(const unsigned char *in, size_t len, size_t line_len, size_t *outlen);

/* DATA's payload from a message: CRLF line ends, dot-stuffed, ended by ".\r\n" on a line of
 * its own. Allocates; NULL on overflow or out of memory. *outlen if not NULL. */
char *mailfmt_dot_stuff(const char *msg, size_t len, size_t *outlen);

/* 1 if s looks like an address we may put in MAIL FROM / RCPT TO and a To header: one '@',
 * a dot after it, printable ASCII only, no spaces, '<', '>', '"', ',', ';', '\\'; <= 254. */
int mailfmt_address_ok(const char *s);

struct mail_message {
	const char *from, *to;         /* addresses (checked with mailfmt_address_ok) */
	const char *subject;           /* UTF-8 */
	const char *body;              /* UTF-8, '\n' line ends */
	const char *message_id;        /* without <>, e.g. "outbox.12.abcd@motcua.example" */
	mc_time date;
};

/* The whole message (headers, a blank line, base64 body), CRLF line ends, not yet
 * dot-stuffed. Allocates; NULL on a bad address, overflow or out of memory. */
char *mailfmt_message(const struct mail_message *m, size_t *outlen);

#endif
