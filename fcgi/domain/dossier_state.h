/*
 * Dossier states and channels (DOMAIN.md), with their codes and labels.
 */
#ifndef MOTCUA_DOMAIN_DOSSIER_STATE_H
#define MOTCUA_DOMAIN_DOSSIER_STATE_H

#include <stddef.h>

enum dossier_state {
	STATE_SUBMITTED = 0,
	STATE_PROCESSING,
	STATE_AWAITING_SUPPLEMENT,
	STATE_AWAITING_PAYMENT,
	STATE_SUSPENDED,
	STATE_RESOLVED,
	STATE_RETURNED,
	STATE_REFUSED,
	STATE_WITHDRAWN,
	STATE_NOT_ACCEPTED,
	STATE__MAX
};

enum channel {
	CHANNEL_DIRECT = 0,
	CHANNEL_ONLINE,
	CHANNEL_POSTAL,
	CHANNEL__MAX
};

/* The code and label functions return NULL for a value outside the enum. */
const char *dossier_state_code(enum dossier_state s);      /* "awaiting_supplement" */
const char *dossier_state_label_vi(enum dossier_state s);  /* "Chờ bổ sung" */
const char *dossier_state_label_en(enum dossier_state s);  /* "Awaiting supplement" */
/* Returns the state, or -1 if the code is unknown. */
int dossier_state_from_code(const char *code, size_t len);
int dossier_state_is_terminal(enum dossier_state s);       /* returned refused withdrawn not_accepted */
/* Clock paused: awaiting_supplement, awaiting_payment, suspended. (submitted has no
 * clock yet and the terminal states have stopped it; neither counts as paused.) */
int dossier_state_is_paused(enum dossier_state s);

const char *channel_code(enum channel c);
const char *channel_label_vi(enum channel c);   /* "Trực tiếp", "Trực tuyến", "Bưu chính công ích" */
const char *channel_label_en(enum channel c);
/* Returns the channel, or -1 if the code is unknown. */
int channel_from_code(const char *code, size_t len);

#endif
