#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "domain/mailfmt.h"
#include "smtp.h"

#define REPLY_MAX 2048

struct conn {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	char in[4096];
	size_t have, off;
	char reply[REPLY_MAX];         /* the last reply, lines joined by ' ' */
	char caps[REPLY_MAX];          /* EHLO's lines, '\n' between */
	char *err;
	size_t errsz;
};

static void fail(struct conn *c, const char *what, const char *detail)
{
	snprintf(c->err, c->errsz, "%s%s%s", what, detail && *detail ? ": " : "", detail ? detail : "");
}

static int connect_timeout(const char *host, int port, int timeout, char *err, size_t errsz)
{
	struct addrinfo hints = { 0 }, *res = NULL, *ai;
	char portstr[8];
	int fd = -1, rc;

	hints.ai_socktype = SOCK_STREAM;
	snprintf(portstr, sizeof portstr, "%d", port);
	if ((rc = getaddrinfo(host, portstr, &hints, &res)) != 0) {
		snprintf(err, errsz, "cannot resolve %s: %s", host, gai_strerror(rc));
		return -1;
	}
	snprintf(err, errsz, "cannot connect to %s:%d", host, port);
	for (ai = res; ai; ai = ai->ai_next) {
		struct pollfd pfd;
		int soerr = 0, flags;
		socklen_t sl = sizeof soerr;

		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol)) < 0)
			continue;
		flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
		if (rc != 0 && errno == EINPROGRESS) {
			pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
			rc = poll(&pfd, 1, timeout * 1000);
			if (rc == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
				rc = 0;
			else {
				snprintf(err, errsz, "cannot connect to %s:%d: %s", host, port,
				         rc == 0 ? "timed out" : strerror(soerr ? soerr : errno));
				rc = -1;
			}
		} else if (rc != 0) {
			snprintf(err, errsz, "cannot connect to %s:%d: %s", host, port, strerror(errno));
		}
		if (rc == 0) {
			struct timeval tv = { timeout, 0 };
			fcntl(fd, F_SETFL, flags);
			setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
			setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
			break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static int conn_write(struct conn *c, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w;
		if (c->ssl) {
			int n = SSL_write(c->ssl, p, len > 65536 ? 65536 : (int)len);
			w = n > 0 ? n : -1;
		} else {
			w = send(c->fd, p, len, MSG_NOSIGNAL);
		}
		if (w < 0 && !c->ssl && errno == EINTR)
			continue;
		if (w <= 0) {
			fail(c, "write failed", c->ssl ? "TLS" : errno == EAGAIN ? "timed out" : strerror(errno));
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int conn_fill(struct conn *c)
{
	ssize_t n;

	if (c->off > 0) {
		memmove(c->in, c->in + c->off, c->have - c->off);
		c->have -= c->off;
		c->off = 0;
	}
	if (c->have == sizeof c->in) {
		fail(c, "reply line too long", NULL);
		return -1;
	}
	do {
		if (c->ssl) {
			int r = SSL_read(c->ssl, c->in + c->have, (int)(sizeof c->in - c->have));
			n = r > 0 ? r : -1;
		} else {
			n = recv(c->fd, c->in + c->have, sizeof c->in - c->have, 0);
		}
	} while (n < 0 && !c->ssl && errno == EINTR);
	if (n <= 0) {
		fail(c, n == 0 ? "connection closed by the server" : "read failed",
		     n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? "timed out" : NULL);
		return -1;
	}
	c->have += (size_t)n;
	return 0;
}

/* One line without its CRLF into line (truncated to linesz). */
static int read_line(struct conn *c, char *line, size_t linesz)
{
	for (;;) {
		char *nl = memchr(c->in + c->off, '\n', c->have - c->off);
		if (nl) {
			size_t n = (size_t)(nl - (c->in + c->off));
			if (n > 0 && c->in[c->off + n - 1] == '\r')
				n--;
			if (n >= linesz)
				n = linesz - 1;
			memcpy(line, c->in + c->off, n);
			line[n] = '\0';
			c->off = (size_t)(nl - c->in) + 1;
			return 0;
		}
		if (conn_fill(c) != 0)
			return -1;
	}
}

/* A whole reply; returns its code (100..599) or -1. Lines "NNN-text" go on until "NNN text". */
static int read_reply(struct conn *c)
{
	char line[1024];
	int code = -1;
	size_t rl = 0;

	c->reply[0] = c->caps[0] = '\0';
	for (int lines = 0; lines < 100; lines++) {
		int this;
		if (read_line(c, line, sizeof line) != 0)
			return -1;
		if (strlen(line) < 3 || line[0] < '1' || line[0] > '5' || line[1] < '0' || line[1] > '9' ||
		    line[2] < '0' || line[2] > '9' || (line[3] != '\0' && line[3] != ' ' && line[3] != '-')) {
			fail(c, "malformed reply", line);
			return -1;
		}
		this = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
		if (code >= 0 && this != code) {
			fail(c, "inconsistent multi-line reply", line);
			return -1;
		}
		code = this;
		rl += (size_t)snprintf(c->reply + rl, rl < REPLY_MAX ? REPLY_MAX - rl : 0, "%s%s",
		                       rl ? " " : "", line);
		if (rl >= REPLY_MAX)
			rl = REPLY_MAX - 1;
		{
			size_t cl = strlen(c->caps);
			snprintf(c->caps + cl, REPLY_MAX - cl, "%s\n", line[3] ? line + 4 : "");
		}
		if (line[3] != '-')
			return code;
	}
	fail(c, "reply with too many lines", NULL);
	return -1;
}

/* Sends a command (without CRLF) and reads the reply; returns its code or -1. */
static int command(struct conn *c, const char *cmd)
{
	char line[1024];
	int n = snprintf(line, sizeof line, "%s\r\n", cmd);

	if (n < 0 || (size_t)n >= sizeof line) {
		fail(c, "command too long", NULL);
		return -1;
	}
	if (conn_write(c, line, (size_t)n) != 0)
		return -1;
	return read_reply(c);
}

/* 1 if EHLO's reply (c->caps) lists keyword (case-insensitive), optionally with arg. */
static int has_cap(const struct conn *c, const char *keyword, const char *arg)
{
	const char *p = c->caps;
	size_t kl = strlen(keyword);

	while (*p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n >= kl && strncasecmp(p, keyword, kl) == 0 && (n == kl || p[kl] == ' ' || p[kl] == '=')) {
			if (!arg)
				return 1;
			for (const char *q = p + kl; q < p + n; q++)
				if (strncasecmp(q, arg, strlen(arg)) == 0)
					return 1;
		}
		p += n + (end ? 1 : 0);
	}
	return 0;
}

static int start_tls(struct conn *c, const char *host)
{
	unsigned long e;

	if (c->off != c->have) {
		/* bytes sent before the handshake would be read as if protected (CVE-2011-0411) */
		fail(c, "server sent data after its STARTTLS reply", NULL);
		return -1;
	}
	if ((c->ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_default_verify_paths(c->ctx) != 1)
		goto tls_error;
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	if ((c->ssl = SSL_new(c->ctx)) == NULL || SSL_set_fd(c->ssl, c->fd) != 1 ||
	    SSL_set_tlsext_host_name(c->ssl, host) != 1 || SSL_set1_host(c->ssl, host) != 1)
		goto tls_error;
	if (SSL_connect(c->ssl) != 1)
		goto tls_error;
	return 0;
tls_error:
	e = ERR_get_error();
	ERR_clear_error();
	{
		char buf[256];
		long vr = c->ssl ? SSL_get_verify_result(c->ssl) : X509_V_OK;
		if (vr != X509_V_OK)
			snprintf(buf, sizeof buf, "certificate: %s", X509_verify_cert_error_string(vr));
		else
			ERR_error_string_n(e, buf, sizeof buf);
		fail(c, "TLS failed", buf);
	}
	SSL_free(c->ssl);
	c->ssl = NULL;
	return -1;
}

static int greet(struct conn *c, const char *helo)
{
	char cmd[300];
	int code;

	snprintf(cmd, sizeof cmd, "EHLO %s", helo);
	if ((code = command(c, cmd)) == 250)
		return 0;
	if (code < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "HELO %s", helo);
	if ((code = command(c, cmd)) == 250) {
		c->caps[0] = '\0';       /* HELO: no extensions */
		return 0;
	}
	if (code >= 0)
		fail(c, "HELO refused", c->reply);
	return -1;
}

static int auth_plain(struct conn *c, const char *user, const char *password)
{
	size_t ul = strlen(user), pl = strlen(password);
	unsigned char *raw = malloc(ul + pl + 2);
	char *b64, cmd[1024];
	int code;

	if (!raw)
		return -1;
	raw[0] = '\0';
	memcpy(raw + 1, user, ul);
	raw[1 + ul] = '\0';
	memcpy(raw + 2 + ul, password, pl);
	b64 = mailfmt_base64(raw, ul + pl + 2, 0, NULL);
	OPENSSL_cleanse(raw, ul + pl + 2);
	free(raw);
	if (!b64 || strlen(b64) > sizeof cmd - 16) {
		free(b64);
		fail(c, "credentials too long", NULL);
		return -1;
	}
	snprintf(cmd, sizeof cmd, "AUTH PLAIN %s", b64);
	OPENSSL_cleanse(b64, strlen(b64));
	free(b64);
	code = command(c, cmd);
	OPENSSL_cleanse(cmd, sizeof cmd);
	if (code == 235)
		return 0;
	if (code >= 0)
		fail(c, "AUTH refused", c->reply);
	return -1;
}

/*
 * A 5xx is permanent for this message, except the ones that speak of our own set-up
 * (530 "must issue STARTTLS" / authentication required, 534, 535, 538): those are fixed
 * in the configuration, and the message should go out once they are.
 */
static enum smtp_outcome refusal(int code)
{
	if (code < 500 || code == 530 || code == 534 || code == 535 || code == 538)
		return SMTP_TEMPORARY;
	return SMTP_PERMANENT;
}

enum smtp_outcome smtp_send(const struct smtp_config *cfg, const char *from, const char *to,
                            const char *msg, size_t len, char *err, size_t errsz)
{
	struct conn c;
	enum smtp_outcome out = SMTP_TEMPORARY;
	char cmd[600], *data = NULL;
	size_t data_len = 0;
	int code, timeout = cfg->timeout_seconds > 0 ? cfg->timeout_seconds : 30;

	memset(&c, 0, sizeof c);
	c.fd = -1;
	c.err = err;
	c.errsz = errsz;
	err[0] = '\0';
	if (!mailfmt_address_ok(from) || !mailfmt_address_ok(to)) {
		fail(&c, "bad address", mailfmt_address_ok(from) ? to : from);
		return SMTP_PERMANENT;
	}
	/* a password goes in clear only to this machine */
	if (cfg->user && *cfg->user && !cfg->starttls && strcmp(cfg->host, "127.0.0.1") != 0 &&
	    strcmp(cfg->host, "::1") != 0 && strcmp(cfg->host, "localhost") != 0) {
		fail(&c, "refusing AUTH without STARTTLS to a remote server", cfg->host);
		return SMTP_TEMPORARY;
	}
		if ((data = mailfmt_dot_stuff(msg, len, &data_len)) == NULL) {
		fail(&c, "out of memory", NULL);
		return SMTP_TEMPORARY;
	}
	if ((c.fd = connect_timeout(cfg->host, cfg->port, timeout, err, errsz)) < 0)
		goto done;
	if ((code = read_reply(&c)) != 220) {
		if (code >= 0)
			fail(&c, "greeting refused", c.reply);
		goto done;
	}
	if (greet(&c, cfg->helo && *cfg->helo ? cfg->helo : "localhost") != 0)
		goto done;
	if (cfg->starttls) {
		if (!has_cap(&c, "STARTTLS", NULL)) {
			fail(&c, "server does not offer STARTTLS", NULL);
			goto done;
		}
		if ((code = command(&c, "STARTTLS")) != 220) {
			if (code >= 0)
				fail(&c, "STARTTLS refused", c.reply);
			goto done;
		}
		if (start_tls(&c, cfg->host) != 0 || greet(&c, cfg->helo && *cfg->helo ? cfg->helo : "localhost") != 0)
			goto done;
	}
	if (cfg->user && *cfg->user &&
	    auth_plain(&c, cfg->user, cfg->password ? cfg->password : "") != 0)
		goto done;
	snprintf(cmd, sizeof cmd, "MAIL FROM:<%s>", from);
	if ((code = command(&c, cmd)) != 250) {
		if (code >= 0) {
			fail(&c, "MAIL FROM refused", c.reply);
			out = refusal(code);
		}
		goto done;
	}
	snprintf(cmd, sizeof cmd, "RCPT TO:<%s>", to);
	if ((code = command(&c, cmd)) != 250 && code != 251) {
		if (code >= 0) {
			fail(&c, "RCPT TO refused", c.reply);
			out = refusal(code);
		}
		goto done;
	}
	if ((code = command(&c, "DATA")) != 354) {
		if (code >= 0) {
			fail(&c, "DATA refused", c.reply);
			out = refusal(code);
		}
		goto done;
	}
	if (conn_write(&c, data, data_len) != 0)
		goto done;
	if ((code = read_reply(&c)) != 250) {
		if (code >= 0) {
			fail(&c, "message refused", c.reply);
			out = refusal(code);
		}
		goto done;
	}
	out = SMTP_SENT;
	err[0] = '\0';
	(void)command(&c, "QUIT");       /* the message is accepted whatever QUIT answers */
	err[0] = '\0';
done:
	if (c.ssl) {
		SSL_shutdown(c.ssl);
		SSL_free(c.ssl);
	}
	SSL_CTX_free(c.ctx);
	if (c.fd >= 0)
		close(c.fd);
	free(data);
	return out;
}
