/*
 * The hash chain of a dossier's history (see history.h for the canonical text).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "history.h"

#define HISTORY_FIELDS 12

/*
 * Feeds one field to the digest, escaping '\\' as "\\\\" and '\n' as "\\n". Without
 * the escape a note holding a newline could be traded against the field next to it
 * (actor "a", note "b\nc" hashes like actor "a\nb", note "c"), and the chain would not
 * see the edit. Text with neither byte, which is nearly all of it, goes in as is.
 */
static int
digest_field(EVP_MD_CTX *ctx, const char *s)
{
	size_t run;

	if (s == NULL)
		return 0;
	while (*s != '\0') {
		run = strcspn(s, "\\\n");
		if (run > 0 && EVP_DigestUpdate(ctx, s, run) != 1)
			return -1;
		s += run;
		if (*s == '\0')
			break;
		if (EVP_DigestUpdate(ctx, *s == '\\' ? "\\\\" : "\\n", 2) != 1)
			return -1;
		s++;
	}
	return 0;
}

int
history_event_hash(const unsigned char prev[HISTORY_HASH_LEN],
                   const struct history_event *ev, unsigned char out[HISTORY_HASH_LEN])
{
	EVP_MD_CTX *ctx = NULL;
	char seq[16], at[32], step[16] = "", due[32] = "";
	const char *fields[HISTORY_FIELDS];
	unsigned int outlen = 0;
	size_t i;
	int ret = -1;

	snprintf(seq, sizeof(seq), "%u", ev->seq);
	time_format_db(ev->at, at, sizeof(at));
	if (ev->step_seq != -1)
		snprintf(step, sizeof(step), "%d", ev->step_seq);
	if (ev->due_at != 0)
		time_format_db(ev->due_at, due, sizeof(due));

	fields[0] = ev->dossier_code;
	fields[1] = seq;
	fields[2] = at;
	fields[3] = ev->action;
	fields[4] = ev->from_state;
	fields[5] = ev->to_state;
	fields[6] = ev->unit_code;
	fields[7] = step;
	fields[8] = ev->step_name;
	fields[9] = ev->actor;
	fields[10] = ev->note;
	fields[11] = due;

	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, prev, HISTORY_HASH_LEN) != 1)
		goto out;
	for (i = 0; i < HISTORY_FIELDS; i++) {
		if (i > 0 && EVP_DigestUpdate(ctx, "\n", 1) != 1)
			goto out;
		if (digest_field(ctx, fields[i]) != 0)
			goto out;
	}
	if (EVP_DigestFinal_ex(ctx, out, &outlen) != 1 || outlen != HISTORY_HASH_LEN)
		goto out;
	ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}
