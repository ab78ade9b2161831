/*
 * The hash chain of a dossier's history. Each event's hash is
 *   SHA-256( prev_hash || canonical text of the event )
 * where the canonical text is the fields below joined by '\n' in this order:
 *   dossier code, seq, at (UTC "YYYY-MM-DD HH:MM:SS"), action, from_state, to_state,
 *   unit code, step_seq (decimal, or empty), step_name, actor, note,
 *   due_at (UTC text, or empty)
 * Inside each text field (C notation) '\\' is written "\\\\" and '\n' is written
 * "\\n" before joining, so that a newline in a note cannot be traded against the field
 * next to it; text without those two bytes goes in unchanged. A NULL string is taken
 * as empty. seq is decimal; step_seq is empty when -1, else decimal.
 * The first event's prev_hash is 32 zero bytes. Changing any stored field, reordering,
 * inserting or deleting an event breaks the chain from that point.
 */
#ifndef MOTCUA_DOMAIN_HISTORY_H
#define MOTCUA_DOMAIN_HISTORY_H

#include <stddef.h>
#include "timeutil.h"

#define HISTORY_HASH_LEN 32

struct history_event {
	const char *dossier_code;
	unsigned seq;
	mc_time at;
	const char *action;
	const char *from_state;
	const char *to_state;
	const char *unit_code;
	int step_seq;               /* -1 = none */
	const char *step_name;
	const char *actor;
	const char *note;
	mc_time due_at;             /* 0 = none */
};

/* Computes the event's hash from the previous one. Returns 0, or -1 if OpenSSL fails
 * (allocation); out is then undefined. */
int history_event_hash(const unsigned char prev[HISTORY_HASH_LEN],
                       const struct history_event *ev, unsigned char out[HISTORY_HASH_LEN]);

#endif
