#include <string.h>

#include "crypto.h"
#include "http.h"
#include "session.h"

int session_cookie_token(struct http_req *r, const char *name, char token[SESSION_TOKEN_CHARS + 1])
{
	const char *c = http_header(r, "HTTP_COOKIE");
	const size_t nl = strlen(name);

	while (c && *c) {
		c += strspn(c, " ;");
		if (strncmp(c, name, nl) == 0 && c[nl] == '=') {
			const char *v = c + nl + 1;
			size_t n = strcspn(v, ";");
			if (n != SESSION_TOKEN_CHARS)
				return -1;
			memcpy(token, v, n);
			token[n] = '\0';
			return 0;
		}
		c = strchr(c, ';');
	}
	return -1;
}

int session_new(char token[SESSION_TOKEN_CHARS + 1], char csrf[SESSION_TOKEN_CHARS + 1],
                unsigned char hash[32])
{
	if (crypto_token(SESSION_TOKEN_BYTES, token) != 0 || crypto_token(SESSION_TOKEN_BYTES, csrf) != 0)
		return -1;
	crypto_sha256(token, SESSION_TOKEN_CHARS, hash);
	return 0;
}

int session_csrf_ok(struct http_req *r, const char *expected)
{
	const char *csrf;

	if (!http_is_write(r))
		return 1;
	csrf = http_header(r, "HTTP_X_CSRF_TOKEN");
	if (!csrf || strlen(csrf) != strlen(expected) || !crypto_equal(csrf, expected, strlen(expected))) {
		http_problem(r, 403, "csrf_failed", "Yêu cầu không hợp lệ (thiếu mã chống giả mạo)",
		             "The X-CSRF-Token header is missing or wrong.", "X-CSRF-Token");
		return 0;
	}
	return 1;
}
