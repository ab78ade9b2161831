/* Citizens' portal accounts, their sessions, and their dossiers. */
#ifndef MOTCUA_STORE_CITIZEN_H
#define MOTCUA_STORE_CITIZEN_H

#include <stddef.h>

#include "domain/timeutil.h"

struct db;

/* email or phone may be NULL (not both). 0 created (*id), 1 the e-mail or phone is taken,
 * <0 error. The verification token's hash expires at verify_expires. */
int citizen_create(struct db *db, const char *email, const char *phone, const char *full_name,
                   const char *password_hash, const unsigned char verify_hash[32],
                   mc_time verify_expires, long long *id);
/* Marks the account whose live verification token has this hash verified. 0, 1 none. */
int citizen_verify(struct db *db, const unsigned char verify_hash[32]);

struct citizen_login {
	long long id;
	char password_hash[256];
	int verified;
	long long locked_seconds_left;
};
/* By e-mail or phone. 0 found, 1 none. */
int citizen_login_info(struct db *db, const char *login, struct citizen_login *out);
int citizen_login_failed(struct db *db, long long id);
int citizen_login_succeeded(struct db *db, long long id);

struct citizen {
	long long id;
	char email[256], phone[33], full_name[256];
	int verified;
	char csrf_token[44];
};
int citizen_session_create(struct db *db, const unsigned char token_hash[32], long long citizen_id,
                           const char *csrf_token);
/* 0 and *c filled, 1 no live session. */
int citizen_session_lookup(struct db *db, const unsigned char token_hash[32], struct citizen *c);
int citizen_session_delete(struct db *db, const unsigned char token_hash[32]);

struct citizen_dossier_row {
	const char *code, *state, *channel, *procedure_code, *procedure_name, *unit_code,
	           *unit_name, *submitted_at, *received_at, *due_at, *finished_at;
};
/* Newest first; *total the count of all. */
int citizen_dossiers(struct db *db, long long citizen_id, long long limit, long long offset,
                     int (*fn)(const struct citizen_dossier_row *r, void *arg), void *arg,
                     long long *total);

#endif
