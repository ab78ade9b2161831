/*
 * Text helpers for Vietnamese UTF-8: validation and search folding.
 */
#ifndef MOTCUA_DOMAIN_TEXT_H
#define MOTCUA_DOMAIN_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* 1 if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF)
 * with no NUL byte, no C0 control other than TAB, LF, CR, and no DEL (0x7F); else 0.
 * C1 controls (U+0080..U+009F) are not refused. */
int utf8_valid_text(const char *s, size_t len);

/* Number of code points in valid UTF-8 s[0..len). On invalid input it counts the
 * bytes that are not continuation bytes: a bound, not an error. */
size_t utf8_length(const char *s, size_t len);

/*
 * Decodes the code point at the start of s[0..len). Returns the number of bytes it
 * takes (1..4) and sets *cp, or 0 if len is 0 or the bytes there are not well-formed
 * UTF-8 (a caller that wants to skip bad input steps over one byte and goes on).
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * Fold for search: Vietnamese letters lose their diacritics (ă â đ ê ô ơ ư and the five
 * tone marks, upper and lower case, precomposed and combining forms), ASCII is lowered,
 * every run of characters that are not letters or digits becomes one space, and leading
 * and trailing spaces are dropped. Other non-ASCII letters are kept as they are (lowered
 * where simple). "Đăng ký khai sinh" -> "dang ky khai sinh"; "1.001193" -> "1 001193".
 * Writes at most outsz-1 bytes and a NUL; returns the length the full result needs
 * (like snprintf), so a return >= outsz means it was cut.
 *
 * Details: every combining mark of U+0300..U+036F is dropped, not only the eight that
 * Vietnamese uses, so a decomposed letter of another language loses its mark while its
 * precomposed form keeps it (a known limit; Vietnamese is exact in both forms). Bytes
 * that are not well-formed UTF-8 count as separators. "Not a letter or digit" outside
 * ASCII means the Latin-1 punctuation and symbols, × ÷, General Punctuation, currency
 * (₫), letterlike, arrows, maths, box drawing, shapes, dingbats, CJK punctuation,
 * fullwidth ASCII punctuation, specials and emoji; any other code point counts as a
 * letter. "Lowered where simple" covers Latin-1, Latin Extended-A, Greek and Cyrillic.
 * A cut result is a prefix that never ends inside a UTF-8 sequence (see text_out).
 * out may be NULL when outsz is 0, to measure.
 */
size_t text_fold(const char *in, size_t len, char *out, size_t outsz);

/*
 * A bounded output buffer with snprintf accounting, for the functions of the domain
 * layer that return "the length the full result needs". Each piece is written whole or
 * not at all, and once one does not fit nothing more is written, so a cut result is a
 * prefix that never ends inside a UTF-8 sequence. buf may be NULL when size is 0.
 */
struct text_out {
	char *buf;
	size_t size;            /* bytes at buf, the NUL included */
	size_t len;             /* bytes written so far */
	size_t need;            /* bytes the full result needs, without the NUL */
};

void text_out_init(struct text_out *o, char *buf, size_t size);
void text_out_put(struct text_out *o, const char *s, size_t n);
/* Terminates the buffer (when size > 0) and returns need. */
size_t text_out_end(struct text_out *o);

#endif
