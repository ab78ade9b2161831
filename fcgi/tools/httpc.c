/*
 * A small HTTP/1.1 client: see httpc.h.
 */
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "tools/httpc.h"

struct conn {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
};

static void seterr(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

struct url {
	int tls;
	char host[256];
	char port[8];
	char prefix[512];       /* path prefix without the trailing slash, "" for none */
};

static int
parse_url(const char *s, struct url *u)
{
	const char *p, *hs, *he, *slash;
	size_t n;

	memset(u, 0, sizeof(*u));
	if (strncmp(s, "http://", 7) == 0) {
		p = s + 7;
		snprintf(u->port, sizeof(u->port), "80");
	} else if (strncmp(s, "https://", 8) == 0) {
		p = s + 8;
		u->tls = 1;
		snprintf(u->port, sizeof(u->port), "443");
	} else {
		return -1;
	}
	slash = strchr(p, '/');
	he = slash != NULL ? slash : p + strlen(p);
	hs = p;
	for (const char *c = hs; c < he; c++)
		if (*c == ':') {
			if (he - c - 1 < 1 || he - c - 1 > 5)
				return -1;
			for (const char *d = c + 1; d < he; d++)
				if (!isdigit((unsigned char)*d))
					return -1;
			memcpy(u->port, c + 1, (size_t)(he - c - 1));
			u->port[he - c - 1] = '\0';
			he = c;
			break;
		}
	n = (size_t)(he - hs);
	if (n == 0 || n >= sizeof(u->host))
		return -1;
	memcpy(u->host, hs, n);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)u->host[i]) && u->host[i] != '.' && u->host[i] != '-')
			return -1;
	if (slash != NULL) {
		n = strlen(slash);
		while (n > 0 && slash[n - 1] == '/')
			n--;
		if (n >= sizeof(u->prefix))
			return -1;
		memcpy(u->prefix, slash, n);
	}
	return 0;
}

static void
conn_close(struct conn *c)
{
	if (c->ssl != NULL) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
	c->ssl = NULL;
	c->ctx = NULL;
	c->fd = -1;
}

static int
conn_open(struct conn *c, const struct url *u, const char *cafile, int timeout_s, char *err,
    size_t errsz)
{
	struct addrinfo hints = { 0 }, *ai = NULL, *a;
	struct timeval tv = { timeout_s, 0 };
	int rc;

	c->fd = -1;
	c->ctx = NULL;
	c->ssl = NULL;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(u->host, u->port, &hints, &ai)) != 0) {
		seterr(err, errsz, "cannot resolve %s: %s", u->host, gai_strerror(rc));
		return -1;
	}
	for (a = ai; a != NULL; a = a->ai_next) {
		if ((c->fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol)) < 0)
			continue;
		setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(c->fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		close(c->fd);
		c->fd = -1;
	}
	freeaddrinfo(ai);
	if (c->fd < 0) {
		seterr(err, errsz, "cannot connect to %s:%s: %s", u->host, u->port, strerror(errno));
		return -1;
	}
	if (!u->tls)
		return 0;
	if ((c->ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		seterr(err, errsz, "TLS setup failed");
		goto fail;
	}
	if (cafile != NULL ? SSL_CTX_load_verify_locations(c->ctx, cafile, NULL) != 1 :
	    SSL_CTX_set_default_verify_paths(c->ctx) != 1) {
		seterr(err, errsz, "cannot load the trusted CAs%s%s", cafile ? " from " : "",
		    cafile ? cafile : "");
		goto fail;
	}
	if (SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION) != 1 || (c->ssl = SSL_new(c->ctx)) == NULL) {
		seterr(err, errsz, "TLS setup failed");
		goto fail;
	}
	SSL_set_verify(c->ssl, SSL_VERIFY_PEER, NULL);
	if (SSL_set_tlsext_host_name(c->ssl, u->host) != 1 || SSL_set1_host(c->ssl, u->host) != 1 ||
	    SSL_set_fd(c->ssl, c->fd) != 1) {
		seterr(err, errsz, "TLS setup failed");
		goto fail;
	}
	if (SSL_connect(c->ssl) != 1) {
		long v = SSL_get_verify_result(c->ssl);

		seterr(err, errsz, "TLS handshake with %s failed%s%s", u->host,
		    v != X509_V_OK ? ": " : "", v != X509_V_OK ? X509_verify_cert_error_string(v) : "");
		goto fail;
	}
	return 0;
fail:
	ERR_clear_error();
	conn_close(c);
	return -1;
}

static int
conn_write(struct conn *c, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t k;

		if (c->ssl != NULL) {
			size_t w = 0;

			k = SSL_write_ex(c->ssl, s, n, &w) == 1 ? (ssize_t)w : -1;
		} else {
			k = write(c->fd, s, n);
			if (k < 0 && errno == EINTR)
				continue;
		}
		if (k <= 0)
			return -1;
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Bytes read, 0 at the end, -1 on error. */
static ssize_t
conn_read(struct conn *c, void *p, size_t n)
{
	if (c->ssl != NULL) {
		size_t r = 0;

		if (SSL_read_ex(c->ssl, p, n, &r) == 1)
			return (ssize_t)r;
		switch (SSL_get_error(c->ssl, 0)) {
		case SSL_ERROR_ZERO_RETURN:
			return 0;
		case SSL_ERROR_SYSCALL:
			return errno == 0 ? 0 : -1;     /* a peer that closes without close_notify */
		default:
			return -1;
		}
	}
	for (;;) {
		ssize_t k = read(c->fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		return k;
	}
}

/* Decode a chunked body in place; its new length, or -1. */
static long
dechunk(char *b, size_t n)
{
	size_t in = 0, out = 0;

	for (;;) {
		char *end;
		unsigned long sz;

		if (in >= n)
			return -1;
		sz = strtoul(b + in, &end, 16);
		if (end == b + in)
			return -1;
		in = (size_t)(end - b);
		while (in + 1 < n && !(b[in] == '\r' && b[in + 1] == '\n'))
			in++;                   /* chunk extensions */
		in += 2;
		if (sz == 0)
			return (long)out;
		if (sz > n || in + sz > n)
			return -1;
		memmove(b + out, b + in, sz);
		out += sz;
		in += sz + 2;
	}
}

int
httpc_request(const char *base_url, const char *cafile, const char *method, const char *path,
    const char *const *headers, const void *body, size_t body_len, int timeout_s,
    struct httpc_res *res, char *err, size_t errsz)
{
	struct url u;
	struct conn c = { -1, NULL, NULL };
	char *req = NULL, *resp = NULL, *hend, *p;
	size_t reqcap, reqlen = 0, cap = 65536, n = 0, hdrlen;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	if (parse_url(base_url, &u) != 0) {
		seterr(err, errsz, "not an http:// or https:// URL: %s", base_url);
		return -1;
	}
	reqcap = 1024 + strlen(u.prefix) + strlen(path);
	for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
		reqcap += strlen(headers[i]) + 2;
	if ((req = malloc(reqcap)) == NULL || (resp = malloc(cap)) == NULL) {
		seterr(err, errsz, "out of memory");
		goto done;
	}
	reqlen = (size_t)snprintf(req, reqcap, "%s %s%s HTTP/1.1\r\nHost: %s%s%s\r\n"
	    "Connection: close\r\nUser-Agent: motcua-sign\r\nContent-Length: %zu\r\n",
	    method, u.prefix, path, u.host, strcmp(u.port, u.tls ? "443" : "80") != 0 ? ":" : "",
	    strcmp(u.port, u.tls ? "443" : "80") != 0 ? u.port : "", body != NULL ? body_len : 0);
	for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
		reqlen += (size_t)snprintf(req + reqlen, reqcap - reqlen, "%s\r\n", headers[i]);
	reqlen += (size_t)snprintf(req + reqlen, reqcap - reqlen, "\r\n");
	if (conn_open(&c, &u, cafile, timeout_s, err, errsz) != 0)
		goto done;
	if (conn_write(&c, req, reqlen) != 0 || (body != NULL && conn_write(&c, body, body_len) != 0)) {
		seterr(err, errsz, "sending to %s failed", u.host);
		goto done;
	}
	for (;;) {
		ssize_t k;

		if (n + 1 >= cap) {
			char *nr;

			if (cap >= HTTPC_MAX_BODY) {
				seterr(err, errsz, "the answer of %s is too large", u.host);
				goto done;
			}
			if ((nr = realloc(resp, cap * 2)) == NULL) {
				seterr(err, errsz, "out of memory");
				goto done;
			}
			resp = nr;
			cap *= 2;
		}
		k = conn_read(&c, resp + n, cap - n - 1);
		if (k < 0) {
			seterr(err, errsz, "reading the answer of %s failed (timeout?)", u.host);
			goto done;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	resp[n] = '\0';
	if (n < 12 || strncmp(resp, "HTTP/1.", 7) != 0 || (hend = strstr(resp, "\r\n\r\n")) == NULL) {
		seterr(err, errsz, "%s did not answer in HTTP", u.host);
		goto done;
	}
	res->status = atoi(resp + 9);
	hdrlen = (size_t)(hend - resp) + 2;
	if ((res->headers = malloc(hdrlen + 1)) == NULL) {
		seterr(err, errsz, "out of memory");
		goto done;
	}
	memcpy(res->headers, resp, hdrlen);
	res->headers[hdrlen] = '\0';
	p = hend + 4;
	res->body_len = n - (size_t)(p - resp);
	memmove(resp, p, res->body_len);
	resp[res->body_len] = '\0';
	{
		char te[64];

		if (httpc_header(res, "Transfer-Encoding", te, sizeof(te)) == 0 &&
		    strcasecmp(te, "chunked") == 0) {
			long k = dechunk(resp, res->body_len);

			if (k < 0) {
				seterr(err, errsz, "%s sent a broken chunked answer", u.host);
				goto done;
			}
			res->body_len = (size_t)k;
			resp[k] = '\0';
		}
	}
	res->body = resp;
	resp = NULL;
	ret = 0;
done:
	if (ret != 0)
		httpc_res_free(res);
	conn_close(&c);
	free(req);
	free(resp);
	return ret;
}

void
httpc_res_free(struct httpc_res *res)
{
	free(res->headers);
	free(res->body);
	memset(res, 0, sizeof(*res));
}

/* The value of the first header line "name: value" whose value starts with prefix (when
 * given; then the value ends at ';', as a cookie pair does). */
static int
header_value(const struct httpc_res *res, const char *name, const char *prefix, char *out,
    size_t outsz)
{
	const char *line, *next;
	size_t nl = strlen(name), pl = prefix != NULL ? strlen(prefix) : 0;

	if (res->headers == NULL || (line = strstr(res->headers, "\r\n")) == NULL)
		return -1;
	for (line += 2; *line != '\0'; line = next + 2) {
		const char *v, *end;

		if ((next = strstr(line, "\r\n")) == NULL)
			break;
		if ((size_t)(next - line) <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
			continue;
		for (v = line + nl + 1; *v == ' ' || *v == '\t'; v++)
			;
		if (pl > 0 && strncmp(v, prefix, pl) != 0)
			continue;
		end = next;
		if (pl > 0)
			for (end = v; end < next && *end != ';'; end++)
				;
		while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if ((size_t)(end - v) >= outsz)
			return -1;
		memcpy(out, v, (size_t)(end - v));
		out[end - v] = '\0';
		return 0;
	}
	return -1;
}

int
httpc_header(const struct httpc_res *res, const char *name, char *out, size_t outsz)
{
	return header_value(res, name, NULL, out, outsz);
}

int
httpc_cookie(const struct httpc_res *res, const char *name, char *out, size_t outsz)
{
	char prefix[128];

	snprintf(prefix, sizeof(prefix), "%s=", name);
	return header_value(res, "Set-Cookie", prefix, out, outsz);
}
