/* A small GET: core/httpget.h. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "httpget.h"

static int fail(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}

struct url {
	char host[256], port[8], path[1024];
};

/* http://host[:port][/path]: 0, or -1. */
static int parse_http(const char *u, struct url *o)
{
	const char *h = u + 7, *e, *slash, *colon;
	size_t hl;

	if (strncasecmp(u, "http://", 7) != 0)
		return -1;
	slash = strchr(h, '/');
	e = slash ? slash : h + strlen(h);
	if (memchr(h, '@', (size_t)(e - h)) || memchr(h, '[', (size_t)(e - h)))
		return -1;                  /* no credentials, no IPv6 literals */
	colon = memchr(h, ':', (size_t)(e - h));
	hl = (size_t)((colon ? colon : e) - h);
	if (hl == 0 || hl >= sizeof o->host)
		return -1;
	memcpy(o->host, h, hl);
	o->host[hl] = '\0';
	if (colon) {
		size_t pl = (size_t)(e - colon - 1);
		if (pl == 0 || pl >= sizeof o->port || strspn(colon + 1, "0123456789") < pl)
			return -1;
		memcpy(o->port, colon + 1, pl);
		o->port[pl] = '\0';
	} else {
		strcpy(o->port, "80");
	}
	if (snprintf(o->path, sizeof o->path, "%s", slash ? slash : "/") >= (int)sizeof o->path)
		return -1;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return -1;              /* no spaces or controls: they would reach the request line */
	return 0;
}

int httpget_url_ok(const char *url)
{
	struct url u;
	if (strncmp(url, "file:///", 8) == 0)
		return strstr(url, "/../") == NULL && strlen(url) < 1024;
	return parse_http(url, &u) == 0;
}

static int get_file(const char *path, size_t max, unsigned char **out, size_t *len,
                    char *err, size_t errsz)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return fail(err, errsz, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(err, errsz, "%s is not a regular file", path);
	}
	if ((size_t)st.st_size > max) {
		close(fd);
		return fail(err, errsz, "%s is larger than %zu bytes", path, max);
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return fail(err, errsz, "out of memory");
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	*out = buf;
	*len = got;
	return 0;
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

static int wait_fd(int fd, short ev, const struct timespec *deadline)
{
	struct pollfd p = { fd, ev, 0 };
	long left;
	int rc;

	do {
		if ((left = ms_left(deadline)) <= 0)
			return -1;
		rc = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
	} while ((rc < 0 && errno == EINTR) || rc == 0);
	return rc > 0 ? 0 : -1;
}

static int connect_to(const struct url *u, const struct timespec *deadline, char *err, size_t errsz)
{
	struct addrinfo hints, *res = NULL, *ai;
	int fd = -1, rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(u->host, u->port, &hints, &res)) != 0)
		return fail(err, errsz, "cannot resolve %s: %s", u->host, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		int soerr = 0;
		socklen_t sl = sizeof soerr;

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    (errno == EINPROGRESS && wait_fd(fd, POLLOUT, deadline) == 0 &&
		     getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0))
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return fail(err, errsz, "cannot connect to %s:%s", u->host, u->port);
	return fd;
}

/* Decodes a chunked body in place. 0, or -1. */
static int dechunk(unsigned char *b, size_t n, size_t *outlen)
{
	size_t r = 0, w = 0;

	for (;;) {
		char *end;
		unsigned long long sz;
		const unsigned char *nl = memchr(b + r, '\n', n - r);
		if (!nl)
			return -1;
		sz = strtoull((const char *)b + r, &end, 16);
		if (end == (char *)b + r)
			return -1;
		r = (size_t)(nl - b) + 1;
		if (sz == 0)
			break;
		if (sz > n - r)
			return -1;
		memmove(b + w, b + r, (size_t)sz);
		w += (size_t)sz;
		r += (size_t)sz;
		if (r < n && b[r] == '\r')
			r++;
		if (r < n && b[r] == '\n')
			r++;
	}
	*outlen = w;
	return 0;
}

/* One request. 0 body; 1 redirect (location filled); -1 error. */
static int get_once(const struct url *u, size_t max, const struct timespec *deadline,
                    unsigned char **out, size_t *len, char *location, size_t locsz,
                    char *err, size_t errsz)
{
	char req[1400];
	unsigned char *buf = NULL;
	size_t cap = 0, got = 0, hdr_max = 16384, limit = max + hdr_max, hl, bl;
	unsigned char *hend;
	int fd, n, status = 0, chunked = 0, ret = -1;
	long long clen = -1;

	n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: motcua-crl\r\n"
	             "Accept: */*\r\nConnection: close\r\n\r\n", u->path, u->host);
	if (n <= 0 || n >= (int)sizeof req)
		return fail(err, errsz, "URL too long");
	if ((fd = connect_to(u, deadline, err, errsz)) < 0)
		return -1;
	for (int off = 0; off < n;) {
		ssize_t w = send(fd, req + off, (size_t)(n - off), MSG_NOSIGNAL);
		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLOUT, deadline) != 0) {
				fail(err, errsz, "timed out sending the request");
				goto out;
			}
			continue;
		}
		if (w <= 0) {
			fail(err, errsz, "sending the request: %s", strerror(errno));
			goto out;
		}
		off += (int)w;
	}
	for (;;) {
		ssize_t r;
		if (got == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			unsigned char *nb;
			if (ncap > limit + 1)
				ncap = limit + 1;
			if (ncap <= got) {
				fail(err, errsz, "the response is larger than %zu bytes", max);
				goto out;
			}
			if ((nb = realloc(buf, ncap)) == NULL) {
				fail(err, errsz, "out of memory");
				goto out;
			}
			buf = nb;
			cap = ncap;
		}
		r = recv(fd, buf + got, cap - got, 0);
		if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLIN, deadline) != 0) {
				fail(err, errsz, "timed out after %zu bytes", got);
				goto out;
			}
			continue;
		}
		if (r < 0) {
			fail(err, errsz, "reading the response: %s", strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got == 0 || (hend = memmem(buf, got, "\r\n\r\n", 4)) == NULL) {
		fail(err, errsz, "no complete HTTP response header");
		goto out;
	}
	hl = (size_t)(hend - buf) + 4;
	hend[2] = '\0';                 /* headers as text, each line ends with \r\n */
	if (sscanf((char *)buf, "HTTP/1.%*1d %3d", &status) != 1) {
		fail(err, errsz, "not an HTTP response");
		goto out;
	}
	for (char *line = strstr((char *)buf, "\r\n"); line && line[2]; line = strstr(line + 2, "\r\n")) {
		char *h = line + 2, *eol = strstr(h, "\r\n"), *v;
		if (!eol)
			break;
		if ((v = memchr(h, ':', (size_t)(eol - h))) == NULL)
			continue;
		v++;
		while (*v == ' ' || *v == '\t')
			v++;
		if (strncasecmp(h, "Content-Length:", 15) == 0)
			clen = strtoll(v, NULL, 10);
		else if (strncasecmp(h, "Transfer-Encoding:", 18) == 0 && strncasecmp(v, "chunked", 7) == 0)
			chunked = 1;
		else if (strncasecmp(h, "Location:", 9) == 0)
			snprintf(location, locsz, "%.*s", (int)(eol - v), v);
	}
	if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
		if (!location[0]) {
			fail(err, errsz, "HTTP %d without a Location", status);
			goto out;
		}
		ret = 1;
		goto out;
	}
	if (status != 200) {
		fail(err, errsz, "HTTP status %d", status);
		goto out;
	}
	bl = got - hl;
	memmove(buf, buf + hl, bl);
	if (chunked && dechunk(buf, bl, &bl) != 0) {
		fail(err, errsz, "bad chunked encoding");
		goto out;
	}
	if (!chunked && clen >= 0 && (size_t)clen != bl) {
		fail(err, errsz, "the body has %zu bytes, Content-Length says %lld", bl, clen);
		goto out;
	}
	if (bl > max) {
		fail(err, errsz, "the response is larger than %zu bytes", max);
		goto out;
	}
	*out = buf;
	*len = bl;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	close(fd);
	return ret;
}

int httpget(const char *url, size_t max, int timeout_s, unsigned char **out, size_t *len,
            char *err, size_t errsz)
{
	struct timespec deadline;
	char cur[1024], location[1024];
	struct url u;

	*out = NULL;
	*len = 0;
	err[0] = '\0';
	if (strncmp(url, "file:///", 8) == 0) {
		if (!httpget_url_ok(url))
			return fail(err, errsz, "bad file URL");
		return get_file(url + 7, max, out, len, err, errsz);
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_s;
	snprintf(cur, sizeof cur, "%s", url);
	for (int hop = 0; hop <= HTTPGET_REDIRECTS; hop++) {
		int rc;
		if (parse_http(cur, &u) != 0)
			return fail(err, errsz, hop ? "redirected to a URL that is not http://" :
			            "only http:// and file:/// URLs are fetched");
		location[0] = '\0';
		rc = get_once(&u, max, &deadline, out, len, location, sizeof location, err, errsz);
		if (rc <= 0)
			return rc;
		if (location[0] == '/') {   /* a path on the same server */
			char next[1024];
			if (snprintf(next, sizeof next, "http://%s:%s%s", u.host, u.port, location) >= (int)sizeof next)
				return fail(err, errsz, "redirect URL too long");
			snprintf(cur, sizeof cur, "%s", next);
		} else {
			snprintf(cur, sizeof cur, "%s", location);
		}
	}
	return fail(err, errsz, "more than %d redirects", HTTPGET_REDIRECTS);
}
