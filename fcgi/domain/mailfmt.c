#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailfmt.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 of in[0..len) into out (4 * ceil(len / 3) bytes, no NUL). */
static size_t b64_raw(const unsigned char *in, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;
		if (n > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (n > 2)
			v |= in[i + 2];
		out[o++] = b64[(v >> 18) & 63];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = n > 1 ? b64[(v >> 6) & 63] : '=';
		out[o++] = n > 2 ? b64[v & 63] : '=';
	}
	return o;
}

char *mailfmt_base64(const unsigned char *in, size_t len, size_t line_len, size_t *outlen)
{
	size_t enc, lines, total, o = 0;
	char *out;

	if (len > (SIZE_MAX / 4 - 4) / 2 || (line_len && line_len % 4))
		return NULL;
	enc = (len + 2) / 3 * 4;
	lines = line_len ? (enc + line_len - 1) / line_len : 0;
	total = enc + 2 * lines + 1;
	if ((out = malloc(total)) == NULL)
		return NULL;
	if (!line_len) {
		o = b64_raw(in, len, out);
	} else {
		size_t per = line_len / 4 * 3;
		for (size_t i = 0; i < len; i += per) {
			o += b64_raw(in + i, len - i < per ? len - i : per, out + o);
			out[o++] = '\r';
			out[o++] = '\n';
		}
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}

static int printable_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return 1;
}

int mailfmt_header_encode(const char *value, size_t name_len, char *out, size_t outsz)
{
	const unsigned char *v = (const unsigned char *)value;
	size_t len = strlen(value), i = 0, o = 0;
	int first = 1;

	if (outsz == 0)
		return -1;
	/* plain ASCII without "=?" needs no encoding (and "=?" would read as a word) */
	if (printable_ascii(value) && !strstr(value, "=?") && name_len + len <= 76) {
		if (len >= outsz)
			return -1;
		memcpy(out, value, len + 1);
		return 0;
	}
	while (i < len) {
		/* room for the word on this line: 76 columns, 12 for "=?UTF-8?B?" and "?=" */
		size_t avail = first ? (name_len < 60 ? 76 - name_len : 16) : 75;
		size_t max_bytes = (avail - 12) / 4 * 3, n;
		if (max_bytes == 0)
			max_bytes = 3;
		n = len - i < max_bytes ? len - i : max_bytes;
		/* never split a UTF-8 sequence: back off to the start of the one that is cut */
		if (i + n < len)
			while (n > 1 && (v[i + n] & 0xC0) == 0x80)
				n--;
		if (o + (first ? 0 : 3) + 12 + (n + 2) / 3 * 4 + 1 > outsz)
			return -1;
		if (!first) {
			memcpy(out + o, "\r\n ", 3);
			o += 3;
		}
		memcpy(out + o, "=?UTF-8?B?", 10);
		o += 10;
		o += b64_raw(v + i, n, out + o);
		memcpy(out + o, "?=", 2);
		o += 2;
		i += n;
		first = 0;
	}
	out[o] = '\0';
	return 0;
}

void mailfmt_date(mc_time t, char *buf, size_t bufsz)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
	                                  "Sep", "Oct", "Nov", "Dec" };
	struct civil c;

	time_to_local(t, &c);
	snprintf(buf, bufsz, "%s, %02d %s %04d %02d:%02d:%02d +0700", wd[c.wday % 7], c.day,
	         mo[(c.month - 1) % 12], c.year, c.hour, c.min, c.sec);
}

char *mailfmt_dot_stuff(const char *msg, size_t len, size_t *outlen)
{
	size_t cap, o = 0;
	int bol = 1;
	char *out;

	/* worst case: every byte a '.' at a line start followed by a line end, plus the end */
	if (len > (SIZE_MAX - 8) / 3)
		return NULL;
	cap = 3 * len + 8;
	if ((out = malloc(cap)) == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		char ch = msg[i];
		if (ch == '\r' || ch == '\n') {
			if (ch == '\r' && i + 1 < len && msg[i + 1] == '\n')
				i++;
			out[o++] = '\r';
			out[o++] = '\n';
			bol = 1;
			continue;
		}
		if (bol && ch == '.')
			out[o++] = '.';
		out[o++] = ch;
		bol = 0;
	}
	if (!bol) {
		out[o++] = '\r';
		out[o++] = '\n';
	}
	memcpy(out + o, ".\r\n", 4);
	o += 3;
	if (outlen)
		*outlen = o;
	return out;
}

int mailfmt_address_ok(const char *s)
{
	const char *at;
	size_t len;

	if (!s || (len = strlen(s)) < 3 || len > 254)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>\"(),;:\\[]", *p))
			return 0;
	at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.' ||
	    s[len - 1] == '.')
		return 0;
	return 1;
}

char *mailfmt_message(const struct mail_message *m, size_t *outlen)
{
	char subject[2048], date[40], *body = NULL, *out = NULL;
	size_t body_len = 0, cap;
	int w;

	if (!mailfmt_address_ok(m->from) || !mailfmt_address_ok(m->to) || !m->message_id ||
	    strpbrk(m->message_id, "\r\n<> ") ||
	    mailfmt_header_encode(m->subject ? m->subject : "", 9, subject, sizeof subject) != 0)
		return NULL;
	mailfmt_date(m->date, date, sizeof date);
	if ((body = mailfmt_base64((const unsigned char *)(m->body ? m->body : ""),
	                           m->body ? strlen(m->body) : 0, 76, &body_len)) == NULL)
		return NULL;
	cap = body_len + strlen(subject) + strlen(m->from) + strlen(m->to) + strlen(m->message_id) + 512;
	if ((out = malloc(cap)) == NULL) {
		free(body);
		return NULL;
	}
	w = snprintf(out, cap,
	             "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\n"
	             "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	             "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n\r\n%s",
	             m->from, m->to, subject, date, m->message_id, body);
	free(body);
	if (w < 0 || (size_t)w >= cap) {
		free(out);
		return NULL;
	}
	if (outlen)
		*outlen = (size_t)w;
	return out;
}
