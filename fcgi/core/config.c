#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"

struct setting {
	const char *name;
	size_t off;                     /* offset of a char[] in struct config, or of an int */
	size_t size;                    /* 0 for int */
	long min, max;
};

#define S(name, field) { name, offsetof(struct config, field), sizeof(((struct config *)0)->field), 0, 0 }
#define I(name, field, lo, hi) { name, offsetof(struct config, field), 0, lo, hi }

static const struct setting settings[] = {
	S("MOTCUA_DB_HOST", db_host),
	I("MOTCUA_DB_PORT", db.port, 0, 65535),
	S("MOTCUA_DB_SOCKET", db_socket),
	S("MOTCUA_DB_USER", db_user),
	S("MOTCUA_DB_PASSWORD", db_password),
	S("MOTCUA_DB_NAME", db_name),
	S("MOTCUA_FCGI_SOCKET", fcgi_socket),
	I("MOTCUA_THREADS", threads, 1, 256),
	S("MOTCUA_PUBLIC_URL", public_url),
	S("MOTCUA_FILES_DIR", files_dir),
	S("MOTCUA_SMTP_HOST", smtp_host),
	I("MOTCUA_SMTP_PORT", smtp_port, 1, 65535),
	I("MOTCUA_SMTP_STARTTLS", smtp_starttls, 0, 1),
	S("MOTCUA_SMTP_USER", smtp_user),
	S("MOTCUA_SMTP_PASSWORD", smtp_password),
	I("MOTCUA_SMTP_TIMEOUT", smtp_timeout, 1, 600),
	S("MOTCUA_MAIL_FROM", mail_from),
	S("MOTCUA_SMS_SINK", sms_sink),
	S("MOTCUA_PAYMENT_SECRET", payment_secret),
	S("MOTCUA_PAYMENT_GATEWAY", payment_gateway),
	I("MOTCUA_CRL_REFRESH_MINUTES", crl_refresh_minutes, 1, 100000),
	I("MOTCUA_OUTBOX_KEEP_DAYS", outbox_keep_days, 0, 3650),
	I("MOTCUA_STATS_CLOSE_DAYS", stats_close_days, 0, 36500),
	I("MOTCUA_WARN_STUCK_DAYS", warn_stuck_days, 1, 365),
	I("MOTCUA_WARN_UNRETURNED_DAYS", warn_unreturned_days, 1, 365),
	I("MOTCUA_WARN_SUPPLEMENT_DAYS", warn_supplement_days, 1, 365),
	I("MOTCUA_WARN_UNUSED_DAYS", warn_unused_days, 1, 3650),
	I("MOTCUA_DIGEST_HOUR", digest_hour, 0, 23),
	S("MOTCUA_SEAL_P12", seal_p12),
	S("MOTCUA_SEAL_PASS_FILE", seal_pass_file),
};

static int apply(struct config *c, const char *name, const char *value, char *err, size_t errsz)
{
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
		const struct setting *s = &settings[i];
		if (strcmp(s->name, name) != 0)
			continue;
		if (s->size) {
			if (strlen(value) >= s->size) {
				snprintf(err, errsz, "%s is too long", name);
				return -1;
			}
			strcpy((char *)c + s->off, value);
		} else {
			char *end;
			long v;
			errno = 0;
			v = strtol(value, &end, 10);
			if (errno || *end || end == value || v < s->min || v > s->max) {
				snprintf(err, errsz, "%s must be an integer from %ld to %ld", name, s->min, s->max);
				return -1;
			}
			if (s->off == offsetof(struct config, db.port))
				c->db.port = (unsigned)v;
			else
				*(int *)((char *)c + s->off) = (int)v;
		}
		return 0;
	}
	if (strcmp(name, "MOTCUA_LOG_LEVEL") == 0) {
		int l = log_level_from_name(value);
		if (l < 0) {
			snprintf(err, errsz, "MOTCUA_LOG_LEVEL must be error, warn, info or debug");
			return -1;
		}
		c->log_level = l;
		return 0;
	}
	return 1;                       /* not ours */
}

static int load_file(struct config *c, const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0, rc = 0;

	if (!f) {
		snprintf(err, errsz, "cannot open MOTCUA_CONFIG %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char *eq, *end;
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			snprintf(err, errsz, "%s:%d: expected KEY=VALUE", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		for (end = eq; end > line && (end[-1] == ' ' || end[-1] == '\t'); end--)
			end[-1] = '\0';
		if (apply(c, line, eq + 1 + strspn(eq + 1, " \t"), err, errsz) < 0) {
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

int config_load(struct config *c, char *err, size_t errsz)
{
	extern char **environ;
	const char *file = getenv("MOTCUA_CONFIG");

	memset(c, 0, sizeof *c);
	strcpy(c->db_user, "motcua");
	strcpy(c->db_name, "motcua");
	strcpy(c->db_socket, "/run/mysqld/mysqld.sock");
	strcpy(c->fcgi_socket, "/run/motcua/fcgi.sock");
	strcpy(c->public_url, "http://127.0.0.1:8080");
	strcpy(c->files_dir, "/var/lib/motcua/files");
	c->smtp_port = 25;
	c->smtp_timeout = 30;
	strcpy(c->mail_from, "no-reply@motcua.invalid");
	strcpy(c->sms_sink, "/var/lib/motcua/sms.log");
	strcpy(c->payment_gateway, "test");
	c->threads = 8;
	c->crl_refresh_minutes = 360;
	c->outbox_keep_days = 7;
	c->stats_close_days = 5;
	c->warn_stuck_days = 5;
	c->warn_unreturned_days = 5;
	c->warn_supplement_days = 10;
	c->warn_unused_days = 30;
	c->digest_hour = 7;
	c->log_level = LOG_LVL_INFO;
	if (file && *file && load_file(c, file, err, errsz) < 0)
		return -1;
	for (char **e = environ; *e; e++) {
		char name[64];
		const char *eq = strchr(*e, '=');
		size_t n = eq ? (size_t)(eq - *e) : 0;
		if (n == 0 || n >= sizeof name || strncmp(*e, "MOTCUA_", 7) != 0)
			continue;
		memcpy(name, *e, n);
		name[n] = '\0';
		if (apply(c, name, eq + 1, err, errsz) < 0)
			return -1;
	}
	c->db.host = c->db_host;
	c->db.socket = c->db_socket;
	c->db.user = c->db_user;
	c->db.password = c->db_password;
	c->db.name = c->db_name;
	return 0;
}
