/*
 * Masking personal data for public pages (tra cứu hồ sơ without the receipt secret).
 */
#ifndef MOTCUA_DOMAIN_MASK_H
#define MOTCUA_DOMAIN_MASK_H

#include <stddef.h>

/*
 * "Nguyễn Văn An" -> "Nguyễn V** A**": the first word (family name) stays, every other
 * word keeps its first character (a whole UTF-8 code point) followed by "**". Spaces are
 * normalised to single spaces (space, TAB, CR, LF separate words; leading and trailing
 * ones are dropped). A one-word name keeps its first character only ("A**"). A name of
 * only spaces gives "". Input must be valid UTF-8 (a bad byte is taken as one
 * character, never read past). Returns the needed length like snprintf; all three
 * functions cut like text_fold (text.h) and take out = NULL when outsz is 0.
 */
size_t mask_person_name(const char *name, size_t len, char *out, size_t outsz);

/*
 * "0912345678" -> "091****678": digits only (separators dropped, a leading '+' kept),
 * the first and last three shown and each digit between them a '*'. With six digits
 * or fewer every digit is a '*'.
 * E-mail "an.nguyen@example.vn" -> "a***@example.vn": the first character (code point)
 * of the local part, always three stars, then '@' and the domain from the last '@'.
 * Without a local part or a domain the result is "***".
 */
size_t mask_phone(const char *s, size_t len, char *out, size_t outsz);
size_t mask_email(const char *s, size_t len, char *out, size_t outsz);

#endif
