/*
 * A small SMTP client (RFC 5321) for motcua-worker: one connection per message,
 *   connect (with a timeout) → 220 → EHLO (HELO if refused) → [STARTTLS → TLS with the
 *   server's certificate checked against the system's CAs and the host name → EHLO] →
 *   [AUTH PLAIN] → MAIL FROM → RCPT TO → DATA (dot-stuffed) → QUIT.
 * Multi-line replies ("250-...", "250 ...") are read whole and their codes checked.
 * Every read and write has the timeout; a server that stalls costs at most that long
 * per step.
 *
 * The message itself comes from domain/mailfmt.c (headers, RFC 2047 subject, base64 body);
 * this file only carries it.
 */
#ifndef MOTCUA_CORE_SMTP_H
#define MOTCUA_CORE_SMTP_H

#include <stddef.h>

struct smtp_config {
	const char *host;              /* MOTCUA_SMTP_HOST; "" disables e-mail */
	int port;                      /* MOTCUA_SMTP_PORT, 25 by default */
	int starttls;                  /* MOTCUA_SMTP_STARTTLS=1: STARTTLS required */
	const char *user, *password;   /* MOTCUA_SMTP_USER / _PASSWORD: AUTH PLAIN when a user is set */
	const char *helo;              /* the name we greet with */
	int timeout_seconds;           /* MOTCUA_SMTP_TIMEOUT */
};

enum smtp_outcome {
	SMTP_SENT = 0,
	SMTP_TEMPORARY,                /* network, timeout, 4xx, TLS or AUTH trouble: try later */
	SMTP_PERMANENT,                /* a 5xx to MAIL, RCPT or DATA (not 530/534/535/538, which are
	                                * about our set-up): this message will never pass */
};

/*
 * Sends msg[0..len) (CRLF lines, not dot-stuffed) from `from` to `to`. On failure err
 * holds a one-line reason (the server's reply when there is one).
 */
enum smtp_outcome smtp_send(const struct smtp_config *c, const char *from, const char *to,
                            const char *msg, size_t len, char *err, size_t errsz);

#endif
