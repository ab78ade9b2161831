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
	int log_level;
};

/* Loads defaults, the file, then the environment. Returns 0, or -1 with a message in err. */
int config_load(struct config *c, char *err, size_t errsz);

#endif
