/*
 * What officers' and citizens' sessions share: a random 256-bit token in an HttpOnly,
 * Secure, SameSite=Strict cookie (only its SHA-256 is stored), and a CSRF token that
 * every state-changing request must echo in the X-CSRF-Token header.
 */
#ifndef MOTCUA_CORE_SESSION_H
#define MOTCUA_CORE_SESSION_H

struct http_req;

#define SESSION_TOKEN_BYTES 32
#define SESSION_TOKEN_CHARS 43          /* base64url of 32 bytes, no padding */

/* The token of cookie `name` from the Cookie header: 0 and token copied, -1 if absent or
 * not shaped like a token. */
int session_cookie_token(struct http_req *r, const char *name, char token[SESSION_TOKEN_CHARS + 1]);

/* A new session: token and CSRF token, and the token's SHA-256 to store. 0, or -1 if the
 * random generator failed. */
int session_new(char token[SESSION_TOKEN_CHARS + 1], char csrf[SESSION_TOKEN_CHARS + 1],
                unsigned char hash[32]);

/* 1 if the request may go on: not a write, or a write whose X-CSRF-Token equals
 * expected (constant time). 0 after answering 403 csrf_failed. */
int session_csrf_ok(struct http_req *r, const char *expected);

#endif
