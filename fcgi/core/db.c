/*
 * MariaDB access for one thread (see db.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "db.h"
#include "log.h"

/* Distinct statements one connection may hold prepared (the service has about 250; the
 * server's max_prepared_stmt_count, 16382 by default, bounds all connections together). */
#define DB_MAX_STMTS   1024
#define DB_STMT_SLOTS  2048         /* hash index over stmts[]: a power of two > 2 x max */
#define DB_MAX_PARAMS  64
#define DB_FIRST_CAP   256

struct cached_stmt {
	const char *sql;            /* key: the caller's static string */
	MYSQL_STMT *st;
	unsigned ncols;
	MYSQL_BIND *rbind;
	char **buf;
	unsigned long *cap;
	unsigned long *len;
	my_bool *isnull;
};

struct db {
	struct db_config cfg;
	MYSQL *conn;                /* NULL when not connected */
	struct cached_stmt stmts[DB_MAX_STMTS];
	unsigned nstmts;
	uint16_t slot[DB_STMT_SLOTS];   /* 1 + index into stmts, by the address of the SQL; 0 free */
	char err[256];
};

static void set_err(struct db *db, const char *what, const char *msg)
{
	snprintf(db->err, sizeof db->err, "%s: %s", what, msg ? msg : "?");
}

static void stmt_free(struct cached_stmt *c)
{
	if (c->st)
		mysql_stmt_close(c->st);
	for (unsigned i = 0; i < c->ncols; i++)
		free(c->buf[i]);
	free(c->buf);
	free(c->rbind);
	free(c->cap);
	free(c->len);
	free(c->isnull);
	memset(c, 0, sizeof *c);
}

static void disconnect(struct db *db)
{
	for (unsigned i = 0; i < db->nstmts; i++)
		stmt_free(&db->stmts[i]);
	db->nstmts = 0;
	memset(db->slot, 0, sizeof db->slot);
	if (db->conn)
		mysql_close(db->conn);
	db->conn = NULL;
}

static int connect_db(struct db *db)
{
	MYSQL *m;
	unsigned int timeout = 5;
	const char *host = db->cfg.host && *db->cfg.host ? db->cfg.host : NULL;

	if (db->conn)
		return 0;
	if ((m = mysql_init(NULL)) == NULL) {
		set_err(db, "mysql_init", "out of memory");
		return DB_ERR;
	}
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	if (db->cfg.local_infile) {
		unsigned int on = 1;
		mysql_options(m, MYSQL_OPT_LOCAL_INFILE, &on);
	}
	/* Stored times are UTC; make NOW() and CURRENT_TIMESTAMP agree with that. */
	mysql_options(m, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
	if (!mysql_real_connect(m, host, db->cfg.user, db->cfg.password, db->cfg.name,
	                        db->cfg.port, host ? NULL : db->cfg.socket, 0)) {
		set_err(db, "connect", mysql_error(m));
		mysql_close(m);
		return DB_ERR_CONN;
	}
	db->conn = m;
	return 0;
}

struct db *db_open(const struct db_config *cfg)
{
	struct db *db = calloc(1, sizeof *db);

	if (db)
		db->cfg = *cfg;
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	disconnect(db);
	free(db);
}

const char *db_error(struct db *db)
{
	return db->err;
}

int db_ping(struct db *db)
{
	int rc;

	if ((rc = connect_db(db)) != 0)
		return rc;
	if (mysql_ping(db->conn) != 0) {
		set_err(db, "ping", mysql_error(db->conn));
		disconnect(db);
		return DB_ERR_CONN;
	}
	return 0;
}

static int is_conn_error(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST || e == CR_CONN_HOST_ERROR ||
	       e == CR_CONNECTION_ERROR || e == ER_CONNECTION_KILLED;
}

static int map_error(struct db *db, unsigned e, const char *what, const char *msg)
{
	set_err(db, what, msg);
	if (e == ER_DUP_ENTRY)
		return DB_ERR_DUP;
	if (e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT)
		return DB_ERR_RETRY;
	if (is_conn_error(e)) {
		disconnect(db);
		return DB_ERR_CONN;
	}
	return DB_ERR;
}

static int grow_col(struct cached_stmt *c, unsigned i, unsigned long need)
{
	char *nb;

	if (need <= c->cap[i])
		return 0;
	if ((nb = realloc(c->buf[i], need)) == NULL)
		return -1;
	c->buf[i] = nb;
	c->cap[i] = need;
	c->rbind[i].buffer = nb;
	c->rbind[i].buffer_length = need;
	return 0;
}

/* The statements are keyed by the address of the caller's static SQL string. */
static unsigned slot_of(const char *sql)
{
	uintptr_t h = (uintptr_t)sql;

	h ^= h >> 17;
	h *= (uintptr_t)0x9E3779B97F4A7C15ull;
	return (unsigned)(h >> 20) & (DB_STMT_SLOTS - 1);
}

/* Looks up or prepares `sql`; NULL on error (db->err says why, *rc the code). */
static struct cached_stmt *get_stmt(struct db *db, const char *sql, int *rc)
{
	struct cached_stmt *c;
	MYSQL_RES *meta;
	unsigned h = slot_of(sql);

	for (; db->slot[h] != 0; h = (h + 1) & (DB_STMT_SLOTS - 1))
		if (db->stmts[db->slot[h] - 1].sql == sql)
			return &db->stmts[db->slot[h] - 1];
	if ((*rc = connect_db(db)) != 0)
		return NULL;
	if (db->nstmts == DB_MAX_STMTS) {
		set_err(db, "prepare", "statement cache full");
		*rc = DB_ERR;
		return NULL;
	}
	c = &db->stmts[db->nstmts];
	memset(c, 0, sizeof *c);
	if ((c->st = mysql_stmt_init(db->conn)) == NULL) {
		*rc = map_error(db, mysql_errno(db->conn), "stmt_init", mysql_error(db->conn));
		return NULL;
	}
	if (mysql_stmt_prepare(c->st, sql, strlen(sql)) != 0) {
		unsigned e = mysql_stmt_errno(c->st);
		const char *msg = mysql_stmt_error(c->st);
		set_err(db, "prepare", msg);
		log_error("db: prepare failed: %s [%.80s]", msg, sql);
		mysql_stmt_close(c->st);
		c->st = NULL;
		*rc = map_error(db, e, "prepare", db->err);
		return NULL;
	}
	c->sql = sql;
	if ((meta = mysql_stmt_result_metadata(c->st)) != NULL) {
		c->ncols = mysql_num_fields(meta);
		mysql_free_result(meta);
	}
	if (c->ncols > 0) {
		c->rbind = calloc(c->ncols, sizeof *c->rbind);
		c->buf = calloc(c->ncols, sizeof *c->buf);
		c->cap = calloc(c->ncols, sizeof *c->cap);
		c->len = calloc(c->ncols, sizeof *c->len);
		c->isnull = calloc(c->ncols, sizeof *c->isnull);
		if (!c->rbind || !c->buf || !c->cap || !c->len || !c->isnull)
			goto oom;
		for (unsigned i = 0; i < c->ncols; i++) {
			c->rbind[i].buffer_type = MYSQL_TYPE_STRING;
			c->rbind[i].length = &c->len[i];
			c->rbind[i].is_null = &c->isnull[i];
			if (grow_col(c, i, DB_FIRST_CAP) != 0)
				goto oom;
		}
	}
	db->slot[h] = (uint16_t)(db->nstmts + 1);
	db->nstmts++;
	return c;
oom:
	set_err(db, "prepare", "out of memory");
	stmt_free(c);
	*rc = DB_ERR;
	return NULL;
}

static int bind_params(struct db *db, struct cached_stmt *c, const struct db_param *p, unsigned n,
                       MYSQL_BIND *b, unsigned long *lens)
{
	if (n != mysql_stmt_param_count(c->st) || n > DB_MAX_PARAMS) {
		set_err(db, "bind", "parameter count mismatch");
		log_error("db: %u parameters given, statement wants %lu [%.80s]", n,
		          mysql_stmt_param_count(c->st), c->sql);
		return DB_ERR;
	}
	memset(b, 0, n * sizeof *b);
	for (unsigned i = 0; i < n; i++) {
		switch (p[i].type) {
		case DBP_STR:
		case DBP_BLOB:
			b[i].buffer_type = p[i].type == DBP_STR ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			b[i].buffer = (void *)p[i].s;
			lens[i] = p[i].len;
			b[i].buffer_length = p[i].len;
			b[i].length = &lens[i];
			break;
		case DBP_INT:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)&p[i].i;
			break;
		default:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		}
	}
	if (n && mysql_stmt_bind_param(c->st, b) != 0)
		return map_error(db, mysql_stmt_errno(c->st), "bind", mysql_stmt_error(c->st));
	return 0;
}

static int fetch_rows(struct db *db, struct cached_stmt *c, db_row_fn fn, void *arg)
{
	int rc = 0, f;

	if (c->ncols == 0)
		return 0;
	if (mysql_stmt_bind_result(c->st, c->rbind) != 0)
		return map_error(db, mysql_stmt_errno(c->st), "bind_result", mysql_stmt_error(c->st));
	while ((f = mysql_stmt_fetch(c->st)) == 0 || f == MYSQL_DATA_TRUNCATED) {
		struct db_row row;
		const char *vals[c->ncols];

		if (f == MYSQL_DATA_TRUNCATED) {
			for (unsigned i = 0; i < c->ncols; i++) {
				if (c->isnull[i] || c->len[i] < c->cap[i])
					continue;
				if (grow_col(c, i, c->len[i] + 1) != 0) {
					set_err(db, "fetch", "out of memory");
					rc = DB_ERR;
					goto out;
				}
				if (mysql_stmt_fetch_column(c->st, &c->rbind[i], i, 0) != 0) {
					rc = map_error(db, mysql_stmt_errno(c->st), "fetch_column",
					               mysql_stmt_error(c->st));
					goto out;
				}
			}
			/* the grown buffers must be bound again for the next row */
			mysql_stmt_bind_result(c->st, c->rbind);
		}
		for (unsigned i = 0; i < c->ncols; i++) {
			if (c->isnull[i]) {
				vals[i] = NULL;
			} else {
				c->buf[i][c->len[i]] = '\0';
				vals[i] = c->buf[i];
			}
		}
		row.ncols = c->ncols;
		row.val = vals;
		row.len = c->len;
		if (fn && (rc = fn(&row, arg)) != 0)
			goto out;
	}
	if (f == 1)
		rc = map_error(db, mysql_stmt_errno(c->st), "fetch", mysql_stmt_error(c->st));
out:
	if (db->conn && c->st)
		mysql_stmt_free_result(c->st);
	return rc;
}

static int run(struct db *db, const char *sql, const struct db_param *params, unsigned nparams,
               db_row_fn fn, void *arg, unsigned long long *affected, unsigned long long *insert_id)
{
	struct cached_stmt *c;
	MYSQL_BIND b[DB_MAX_PARAMS];
	unsigned long lens[DB_MAX_PARAMS];
	int rc = 0;

	if ((c = get_stmt(db, sql, &rc)) == NULL)
		return rc;
	if ((rc = bind_params(db, c, params, nparams, b, lens)) != 0)
		return rc;
	if (mysql_stmt_execute(c->st) != 0)
		return map_error(db, mysql_stmt_errno(c->st), "execute", mysql_stmt_error(c->st));
	if (affected)
		*affected = mysql_stmt_affected_rows(c->st);
	if (insert_id)
		*insert_id = mysql_stmt_insert_id(c->st);
	return fetch_rows(db, c, fn, arg);
}

int db_query(struct db *db, const char *sql, const struct db_param *params, unsigned nparams,
             db_row_fn fn, void *arg)
{
	int rc = run(db, sql, params, nparams, fn, arg, NULL, NULL);

	/* A read is safe to repeat once on a fresh connection (server restarted, idle
	 * timeout): the caller sees no error for what was only a stale handle. */
	if (rc == DB_ERR_CONN)
		rc = run(db, sql, params, nparams, fn, arg, NULL, NULL);
	return rc;
}

int db_exec(struct db *db, const char *sql, const struct db_param *params, unsigned nparams,
            unsigned long long *affected, unsigned long long *insert_id)
{
	return run(db, sql, params, nparams, NULL, NULL, affected, insert_id);
}

int db_exec_text(struct db *db, const char *sql, size_t len)
{
	int rc, status;

	if ((rc = connect_db(db)) != 0)
		return rc;
	mysql_set_server_option(db->conn, MYSQL_OPTION_MULTI_STATEMENTS_ON);
	status = mysql_real_query(db->conn, sql, len);
	if (status == 0) {
		do {
			MYSQL_RES *r = mysql_store_result(db->conn);
			if (r)
				mysql_free_result(r);
		} while ((status = mysql_next_result(db->conn)) == 0);
		status = status > 0 ? 1 : 0;
	}
	if (status != 0) {
		rc = map_error(db, mysql_errno(db->conn), "query", mysql_error(db->conn));
	}
	if (db->conn)
		mysql_set_server_option(db->conn, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return rc;
}

int db_begin(struct db *db)
{
	return db_exec_text(db, "START TRANSACTION", 17);
}

int db_commit(struct db *db)
{
	return db_exec_text(db, "COMMIT", 6);
}

int db_rollback(struct db *db)
{
	return db_exec_text(db, "ROLLBACK", 8);
}

long long db_row_int(const struct db_row *row, unsigned col, long long dflt)
{
	char *end;
	long long v;

	if (col >= row->ncols || row->val[col] == NULL)
		return dflt;
	errno = 0;
	v = strtoll(row->val[col], &end, 10);
	if (errno || end == row->val[col])
		return dflt;
	return v;
}

int db_load_infile(struct db *db, const char *table, const char *path, const char *columns)
{
	static const char head[] = "LOAD DATA LOCAL INFILE '";
	static const char mid[] = "' INTO TABLE ";
	static const char tail[] = " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' "
		"ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ";
	size_t plen = strlen(path), cap;
	char *sql = NULL, *p;
	int rc;

	if ((rc = connect_db(db)) != 0)
		return rc;
	if (plen > 4096) {
		set_err(db, "load", "path too long");
		return DB_ERR;
	}
	cap = sizeof head + 2 * plen + sizeof mid + strlen(table) + sizeof tail + strlen(columns) + 1;
	if ((sql = malloc(cap)) == NULL) {
		set_err(db, "load", "out of memory");
		return DB_ERR;
	}
	p = sql;
	memcpy(p, head, sizeof head - 1);
	p += sizeof head - 1;
	p += mysql_real_escape_string(db->conn, p, path, (unsigned long)plen);
	p += sprintf(p, "%s%s%s%s", mid, table, tail, columns);
	if (mysql_real_query(db->conn, sql, (unsigned long)(p - sql)) != 0) {
		rc = map_error(db, mysql_errno(db->conn), "load", mysql_error(db->conn));
	} else if (mysql_warning_count(db->conn) > 0) {
		MYSQL_RES *res;
		MYSQL_ROW row;

		snprintf(db->err, sizeof db->err, "load: %u warnings", mysql_warning_count(db->conn));
		if (mysql_query(db->conn, "SHOW WARNINGS LIMIT 1") == 0 &&
		    (res = mysql_store_result(db->conn)) != NULL) {
			if ((row = mysql_fetch_row(res)) != NULL && row[2])
				set_err(db, "load", row[2]);
			mysql_free_result(res);
		}
		rc = DB_ERR;
	}
	free(sql);
	return rc;
}

struct db *db_open_same(struct db *db)
{
	return db_open(&db->cfg);
}
