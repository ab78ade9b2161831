/*
 * Masking personal data for the public tracking page: enough is left for the applicant
 * to recognise their own dossier, not enough for a stranger to learn who it belongs to.
 */
#include <string.h>

#include "mask.h"
#include "text.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Length of the first code point of s[0..len); a byte that is not well-formed UTF-8
 * counts as one, so bad input can never make us read past len. */
static size_t
first_char_len(const char *s, size_t len)
{
	uint32_t cp;
	size_t n = utf8_decode(s, len, &cp);

	return n > 0 ? n : 1;
}

/* Finds the next word at or after *pos; sets [*start, *end) and returns 1, or 0 at the
 * end of the input. */
static int
next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *end)
{
	size_t i = *pos;

	while (i < len && is_space(s[i]))
		i++;
	if (i == len)
		return 0;
	*start = i;
	while (i < len && !is_space(s[i]))
		i++;
	*end = *pos = i;
	return 1;
}

/* 1 if another word follows pos. */
static int
more_words(const char *s, size_t len, size_t pos)
{
	while (pos < len && is_space(s[pos]))
		pos++;
	return pos < len;
}

size_t
mask_person_name(const char *name, size_t len, char *out, size_t outsz)
{
	struct text_out o;
	char piece[1 + 4];          /* a space and one code point */
	size_t pos = 0, start, end, n;
	int words = 0;

	text_out_init(&o, out, outsz);
	while (next_word(name, len, &pos, &start, &end)) {
		/* The family name is shared by millions and stays whole, unless it is the
		 * only word: then it is all there is to identify the person. */
		if (words == 0 && more_words(name, len, pos)) {
			text_out_put(&o, name + start, end - start);
		} else {
			/* The space goes out with the character after it, so a cut result
			 * never ends in a space. */
			n = first_char_len(name + start, end - start);
			piece[0] = ' ';
			memcpy(piece + 1, name + start, n);
			if (words > 0)
				text_out_put(&o, piece, n + 1);
			else
				text_out_put(&o, piece + 1, n);
			text_out_put(&o, "**", 2);
		}
		words++;
	}
	return text_out_end(&o);
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

#define PHONE_KEEP 3            /* digits shown at each end */

size_t
mask_phone(const char *s, size_t len, char *out, size_t outsz)
{
	struct text_out o;
	size_t i, digits = 0, seen = 0;

	for (i = 0; i < len; i++)
		if (is_digit(s[i]))
			digits++;
	text_out_init(&o, out, outsz);
	/* Separators are dropped so the output has one shape whatever the input looked
	 * like; a leading '+' (international form) is kept. */
	for (i = 0; i < len && is_space(s[i]); i++)
		;
	if (i < len && s[i] == '+')
		text_out_put(&o, "+", 1);
	for (i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			continue;
		/* A number too short to keep both ends and still hide something is hidden
		 * whole. */
		if (digits > 2 * PHONE_KEEP &&
		    (seen < PHONE_KEEP || seen >= digits - PHONE_KEEP))
			text_out_put(&o, s + i, 1);
		else
			text_out_put(&o, "*", 1);
		seen++;
	}
	return text_out_end(&o);
}

size_t
mask_email(const char *s, size_t len, char *out, size_t outsz)
{
	struct text_out o;
	size_t at = len;

	/* The last '@': a quoted local part may itself hold one. */
	while (at > 0 && s[at - 1] != '@')
		at--;
	text_out_init(&o, out, outsz);
	if (at < 2 || at == len) {
		/* No local part or no domain: not an address, so show nothing of it. */
		text_out_put(&o, "***", 3);
		return text_out_end(&o);
	}
	text_out_put(&o, s, first_char_len(s, at - 1));
	/* A fixed number of stars, so the length of the local part does not show. */
	text_out_put(&o, "***", 3);
	text_out_put(&o, s + at - 1, len - at + 1);
	return text_out_end(&o);
}
