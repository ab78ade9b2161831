/*
 * Configuration: environment variables MOTCUA_*, optionally preceded by a file named by
 * MOTCUA_CONFIG holding KEY=VALUE lines with the same names (the environment wins).
 */
#ifndef MOTCUA_CORE_CONFIG_H
#define MOTCUA_CORE_CONFIG_H

#include "db.h"

struct config {
	struct db_config db;
	char db_host[256], db_socket[512], db_user[128], db_password[256], db_name[128];
	char fcgi_socket[512];          /* MOTCUA_FCGI_SOCKET */
	int threads;                    /* MOTCUA_THREADS */
	char public_url[512];           /* MOTCUA_PUBLIC_URL: base of links in QR codes, mails */
	char files_dir[512];            /* MOTCUA_FILES_DIR: content-addressed file store */
	/* notifications (motcua-worker): SMTP for e-mail, a file sink for SMS */
	char smtp_host[256];            /* MOTCUA_SMTP_HOST: "" leaves e-mails pending */
	int smtp_port;                  /* MOTCUA_SMTP_PORT */
	int smtp_starttls;              /* MOTCUA_SMTP_STARTTLS: 1 requires STARTTLS */
	char smtp_user[256];            /* MOTCUA_SMTP_USER: AUTH PLAIN when set */
	char smtp_password[256];        /* MOTCUA_SMTP_PASSWORD */
	int smtp_timeout;               /* MOTCUA_SMTP_TIMEOUT: seconds per SMTP step */
	char mail_from[256];            /* MOTCUA_MAIL_FROM: envelope and From: address */
	char sms_sink[512];             /* MOTCUA_SMS_SINK: file the SMS go to, one JSON line each */
	char payment_secret[256];       /* MOTCUA_PAYMENT_SECRET: HMAC key shared with the gateway */
	char payment_gateway[32];       /* MOTCUA_PAYMENT_GATEWAY: "test" (built in) or a real one */
	char seal_p12[512];             /* MOTCUA_SEAL_P12: the organization's seal, PKCS#12 (mode 0600) */
	char seal_pass_file[512];       /* MOTCUA_SEAL_PASS_FILE: its password, first line (mode 0600) */
	/* warnings (issue #6): thresholds, and the hour of the daily digest (motcua-worker) */
	int warn_stuck_days;            /* MOTCUA_WARN_STUCK_DAYS: working days without an event */
	int warn_unreturned_days;       /* MOTCUA_WARN_UNRETURNED_DAYS: working days resolved, not returned */
	int warn_supplement_days;       /* MOTCUA_WARN_SUPPLEMENT_DAYS: working days awaiting a supplement */
	int warn_unused_days;           /* MOTCUA_WARN_UNUSED_DAYS: days an account went unused */
	int digest_hour;                /* MOTCUA_DIGEST_HOUR: local hour from which digests go out */
	int crl_refresh_minutes;        /* MOTCUA_CRL_REFRESH_MINUTES: CRL sources (motcua-worker) */
	int outbox_keep_days;           /* MOTCUA_OUTBOX_KEEP_DAYS: sent messages keep their body this long */
	int stats_close_days;           /* MOTCUA_STATS_CLOSE_DAYS: a month closes this many days after it ends */
	int log_level;
};

/* Loads defaults, the file, then the environment. Returns 0, or -1 with a message in err. */
int config_load(struct config *c, char *err, size_t errsz);

#endif
