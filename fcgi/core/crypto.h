/*
 * Small cryptographic helpers: randomness, SHA-256, base64url, constant-time comparison,
 * and password hashing with argon2id (memory-hard; libargon2).
 */
#ifndef MOTCUA_CORE_CRYPTO_H
#define MOTCUA_CORE_CRYPTO_H

#include <stddef.h>

int crypto_random(void *buf, size_t len);                 /* 0, or -1 if the RNG failed */
void crypto_sha256(const void *data, size_t len, unsigned char out[32]);
/* base64url without padding; out needs 4*ceil(len/3)+1 bytes; returns the length. */
size_t crypto_b64url(const unsigned char *in, size_t len, char *out);
/* A random token of `bytes` bytes, base64url-encoded into out (needs 4*ceil(bytes/3)+1). */
int crypto_token(size_t bytes, char *out);
int crypto_equal(const void *a, const void *b, size_t len);   /* constant time; 1 if equal */

#define PASSWORD_HASH_MAX 128
/* argon2id, t=2, m=19 MiB, p=1 (OWASP's minimum) with a random 16-byte salt. */
int password_hash(const char *password, size_t len, char out[PASSWORD_HASH_MAX]);
/* 1 if the password matches the encoded hash, 0 if not (or the hash is malformed). */
int password_verify(const char *encoded, const char *password, size_t len);

#endif
