#include <string.h>

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto.h"

#define ARGON2_T 2
#define ARGON2_M (19 * 1024)
#define ARGON2_P 1
#define ARGON2_HASHLEN 32
#define ARGON2_SALTLEN 16

int crypto_random(void *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

void crypto_sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int n = 0;

	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

size_t crypto_b64url(const unsigned char *in, size_t len, char *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0, i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = tab[v >> 6 & 63];
		out[o++] = tab[v & 63];
	}
	if (len - i == 1) {
		unsigned v = (unsigned)in[i] << 16;
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
	} else if (len - i == 2) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = tab[v >> 6 & 63];
	}
	out[o] = '\0';
	return o;
}

int crypto_token(size_t bytes, char *out)
{
	unsigned char buf[64];

	if (bytes > sizeof buf || crypto_random(buf, bytes) != 0)
		return -1;
	crypto_b64url(buf, bytes, out);
	OPENSSL_cleanse(buf, sizeof buf);
	return 0;
}

int crypto_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

int password_hash(const char *password, size_t len, char out[PASSWORD_HASH_MAX])
{
	unsigned char salt[ARGON2_SALTLEN];

	if (crypto_random(salt, sizeof salt) != 0)
		return -1;
	if (argon2_encodedlen(ARGON2_T, ARGON2_M, ARGON2_P, ARGON2_SALTLEN, ARGON2_HASHLEN,
	                      Argon2_id) > PASSWORD_HASH_MAX)
		return -1;
	return argon2id_hash_encoded(ARGON2_T, ARGON2_M, ARGON2_P, password, len, salt, sizeof salt,
	                             ARGON2_HASHLEN, out, PASSWORD_HASH_MAX) == ARGON2_OK ? 0 : -1;
}

int password_verify(const char *encoded, const char *password, size_t len)
{
	if (strncmp(encoded, "$argon2id$", 10) != 0)
		return 0;
	return argon2id_verify(encoded, password, len) == ARGON2_OK;
}
