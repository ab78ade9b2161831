/*
 * What the applicant is told, and when the outbox tries again: pure text, no I/O.
 *
 * Each kind of event has a Vietnamese subject and body, with an English line after the
 * Vietnamese text (DOMAIN.md: Vietnamese first, English second). E-mails carry the whole
 * story (the full list of supplement items, the reason, the dates, the tracking link); SMS
 * carry one short paragraph with the code and the link.
 */
#ifndef MOTCUA_DOMAIN_NOTIFY_H
#define MOTCUA_DOMAIN_NOTIFY_H

#include <stddef.h>

#include "timeutil.h"

enum notify_kind {
	NK_SUBMITTED = 0,          /* an online submission reached the desk */
	NK_ACCEPTED,               /* the desk accepted it: the clock runs */
	NK_NOT_ACCEPTED,           /* the desk did not accept it (reason) */
	NK_SUPPLEMENT_REQUESTED,   /* everything missing, in one request (items) */
	NK_PAYMENT_REQUESTED,      /* fees and charges to pay (amount when known) */
	NK_LATE_NEW_DATE,          /* apology approved: a new return date */
	NK_RESULT_READY,           /* resolved: the result waits for the applicant */
	NK_REFUSED,                /* refused, with the written reason */
	NK_FEEDBACK_ANSWERED,      /* a feedback (phản ánh, kiến nghị) has its answer */
	NK_VERIFY_EMAIL,           /* confirm an e-mail address (link) */
	NK__MAX
};

enum notify_channel { NCH_EMAIL = 0, NCH_SMS, NCH__MAX };

const char *notify_kind_code(enum notify_kind k);        /* "supplement_requested" */
int notify_kind_from_code(const char *s);                /* -1 if unknown */
const char *notify_channel_code(enum notify_channel c);  /* "email", "sms" */

/* What the texts may speak of; strings may be NULL or "" when unknown or not relevant. */
struct notify_facts {
	const char *dossier_code;
	const char *procedure_name;
	const char *applicant_name;
	const char *public_url;        /* MOTCUA_PUBLIC_URL, no trailing slash needed */
	mc_time at;                    /* when it happened (0: not shown) */
	mc_time date;                  /* due date (accepted), new date (late), 0: none */
	const char *reason;            /* not_accepted, refused */
	const char *const *items;      /* supplement_requested */
	size_t nitems;
	const char *note;              /* the officer's note for the applicant */
	long long amount_vnd;          /* payment_requested; < 0: not known */
	const char *link;              /* verify_email, feedback_answered: overrides tracking */
	const char *text;              /* feedback_answered: the answer; submitted: the receipt secret */
};

/*
 * Writes the subject (one line, no CR/LF) and the body (UTF-8, '\n' line ends) of kind k
 * on channel ch into the caller's buffers. SMS get an empty subject. Returns 0, or -1 when
 * a buffer is too small (the texts are then truncated and must not be sent).
 */
int notify_compose(enum notify_kind k, enum notify_channel ch, const struct notify_facts *f,
                   char *subject, size_t subjectsz, char *body, size_t bodysz);

/* The tracking link: {public_url}/tra-cuu.html?code={code}; -1 if it does not fit. */
int notify_tracking_link(const char *public_url, const char *code, char *out, size_t outsz);

/* "dd/mm/yyyy HH:MM" in Vietnam's time (UTC+7); buf >= 17 bytes. */
void notify_format_time(mc_time t, char *buf, size_t bufsz);

/*
 * Back-off after the n-th failed attempt (n >= 1): 1 min, 5 min, 30 min, 2 h, 12 h, then
 * -1: give up (NOTIFY_MAX_ATTEMPTS attempts in all).
 */
#define NOTIFY_MAX_ATTEMPTS 6
long notify_retry_delay(int attempts);

#endif
