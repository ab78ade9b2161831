/* Officers and their sessions. */
#ifndef MOTCUA_STORE_OFFICER_H
#define MOTCUA_STORE_OFFICER_H

#include <stddef.h>

struct db;

/* The officer behind a request, as the API layer needs it. */
struct officer {
	long long id;
	char username[65];
	char full_name[256];
	unsigned roles;                 /* bit (1u << enum officer_role) */
	long long unit_id;
	char unit_code[33];
	char unit_name[256];
	char unit_path[513];            /* '/1/4/9/': the officer's scope is this subtree */
	char csrf_token[44];
};

struct officer_login {
	long long id;
	char password_hash[256];
	int active;
	unsigned failed_logins;
	long long locked_seconds_left;  /* > 0 while locked */
};

/* 0 found, 1 no such user, <0 error. */
int officer_login_info(struct db *db, const char *username, struct officer_login *out);
/* Records a failure; locks for 2^(n-5) minutes (at most 60) from the 5th failure on. */
int officer_login_failed(struct db *db, long long id);
int officer_login_succeeded(struct db *db, long long id);

/* Creates a session for 8 hours; token_hash is SHA-256 of the cookie's token. */
int session_create(struct db *db, const unsigned char token_hash[32], long long officer_id,
                   const char *csrf_token);
/* 0 and *o filled, 1 if no live session, <0 error. Touches last_seen_at at most once a minute. */
int session_lookup(struct db *db, const unsigned char token_hash[32], struct officer *o);
int session_delete(struct db *db, const unsigned char token_hash[32]);

struct officer_row {
	const char *username, *full_name, *roles, *unit_code, *unit_name, *email, *phone;
	int active;
	const char *last_login_at, *created_at;     /* UTC text, last_login_at may be NULL */
};

/* Officers in the subtree `unit_path` (all when NULL); unused_days >= 0: only those who
 * have not logged in for that many days (never counts as unused since creation). */
int officer_list(struct db *db, const char *unit_path, int unused_days,
                 int (*fn)(const struct officer_row *r, void *arg), void *arg);

struct officer_write {
	const char *username, *full_name, *roles, *unit_code, *email, *phone;
	const char *password_hash;      /* NULL: keep */
	int active;                     /* -1: keep */
	const char *scope_path;         /* update: only an officer whose unit is in this subtree */
};
/* 0 ok, 1 unknown unit, 2 duplicate username (create) / no such officer (update), <0 error. */
int officer_create(struct db *db, const struct officer_write *w);
int officer_update(struct db *db, const struct officer_write *w);
/* Unit path of a unit code; 0 found, 1 none. */
int unit_path_of(struct db *db, const char *unit_code, char *path, size_t pathsz);

#endif
