/*
 * Sending SMS through a pluggable sender. The only sender today is the file sink: one JSON
 * line per message appended to MOTCUA_SMS_SINK (for development, tests, and for an SMS
 * gateway that reads a spool). A real gateway is another `struct sms_sender` chosen by
 * configuration; motcua-worker only calls ->send.
 */
#ifndef MOTCUA_CORE_SMS_H
#define MOTCUA_CORE_SMS_H

#include <stddef.h>

enum sms_outcome { SMS_SENT = 0, SMS_TEMPORARY, SMS_PERMANENT };

struct sms_sender {
	/* Sends body (UTF-8) to the phone number `to`; `ref` identifies the message (the outbox
	 * id and dedup key) so a gateway can drop a repeat. err gets a reason on failure. */
	enum sms_outcome (*send)(struct sms_sender *s, const char *to, const char *body,
	                         long long id, const char *ref, char *err, size_t errsz);
	void (*close)(struct sms_sender *s);
	void *state;
};

/* The file sink at `path`. Returns 0 with *s set up, -1 if path is empty or too long. */
int sms_sender_file(struct sms_sender *s, const char *path);

#endif
