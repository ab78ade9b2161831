/*
 * MariaDB access for one thread: one connection, its prepared statements cached by the
 * address of their SQL text, and a row callback interface that hands every column over
 * as bytes (MariaDB converts numbers and dates to text for us).
 *
 * A `struct db` belongs to one thread (Connector/C handles are not shareable). After a
 * lost connection the handle reconnects on the next call and re-prepares statements.
 */
#ifndef MOTCUA_CORE_DB_H
#define MOTCUA_CORE_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;

struct db_config {
	const char *host;        /* NULL or "" with a socket: local socket */
	unsigned port;
	const char *socket;
	const char *user;
	const char *password;
	const char *name;
	int local_infile;        /* 1: allow LOAD DATA LOCAL INFILE (bulk loaders only) */
};

enum db_param_type { DBP_NULL = 0, DBP_STR, DBP_INT, DBP_BLOB, DBP__MAX };

struct db_param {
	enum db_param_type type;
	const void *s;           /* DBP_STR / DBP_BLOB */
	size_t len;
	long long i;             /* DBP_INT */
};

#define DB_STR(x)      ((struct db_param){ .type = DBP_STR, .s = (x), .len = strlen(x) })
#define DB_STRN(x, n)  ((struct db_param){ .type = DBP_STR, .s = (x), .len = (n) })
#define DB_INT(x)      ((struct db_param){ .type = DBP_INT, .i = (long long)(x) })
#define DB_BLOB(x, n)  ((struct db_param){ .type = DBP_BLOB, .s = (x), .len = (n) })
#define DB_NULLP       ((struct db_param){ .type = DBP_NULL })

struct db_row {
	unsigned ncols;
	const char *const *val;  /* NUL-terminated; NULL for SQL NULL; valid during the callback */
	const unsigned long *len;
};

/* Return 0 to go on, non-zero to stop fetching (the value is returned by db_query). */
typedef int (*db_row_fn)(const struct db_row *row, void *arg);

/* Errors: negative. DB_ERR_DUP is a unique-key violation, DB_ERR_CONN a lost server. */
#define DB_ERR       (-1)
#define DB_ERR_DUP   (-2)
#define DB_ERR_CONN  (-3)
#define DB_ERR_RETRY (-4)   /* deadlock or lock wait timeout: the transaction was rolled back */

/* Allocates; NULL on failure to allocate (connection is made lazily). Free with db_close. */
struct db *db_open(const struct db_config *cfg);
void db_close(struct db *db);
int db_ping(struct db *db);   /* 0 if the server answers */

/*
 * Runs a prepared statement (prepared once per connection, cached by the `sql` pointer,
 * so pass a string with static storage). Rows go to fn (may be NULL). Returns 0 or what
 * fn returned, or a DB_ERR* code. *affected gets the affected-row count if not NULL.
 */
int db_query(struct db *db, const char *sql, const struct db_param *params, unsigned nparams,
             db_row_fn fn, void *arg);
int db_exec(struct db *db, const char *sql, const struct db_param *params, unsigned nparams,
            unsigned long long *affected, unsigned long long *insert_id);

/* Plain text statements (BEGIN, COMMIT, migrations). Multi-statement allowed. */
int db_exec_text(struct db *db, const char *sql, size_t len);
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/* The last error message of this handle (for logs, never for clients). */
const char *db_error(struct db *db);

/* Helpers for rows. */
long long db_row_int(const struct db_row *row, unsigned col, long long dflt);

/*
 * Bulk load: LOAD DATA LOCAL INFILE of the tab-separated file at `path` (UTF-8, '\\'
 * escapes, \N for NULL, '\n' line ends, no header) into `table`. `columns` is the
 * column list and optional SET clause, e.g. "(id, @h) SET h = UNHEX(@h)"; table and
 * columns are SQL text from the caller, never input. Needs cfg.local_infile = 1 at
 * db_open. Returns 0, or a DB_ERR* code. A load with warnings (a value truncated or
 * converted) is an error too: LOAD DATA would otherwise store the damaged row.
 */
int db_load_infile(struct db *db, const char *table, const char *path, const char *columns);

/* A second handle with db's configuration (its strings stay the caller's: they must
 * outlive both), for another thread; NULL on failure to allocate. Free with db_close. */
struct db *db_open_same(struct db *db);

#endif
