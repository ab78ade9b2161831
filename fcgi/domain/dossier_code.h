/*
 * Dossier codes of Circular 01/2018/TT-VPCP: {unit code}-{YYMMDD}-{NNNN}.
 * The unit code is the receiving unit's electronic identifier (mã định danh), shaped
 * "000.00.20.H12": three digits, two digits, two digits, then one capital letter and two
 * digits, dot-separated. The sequence is the reception's number within that unit's day,
 * from 1, printed with at least four digits ("0001"), more once 9999 is passed.
 */
#ifndef MOTCUA_DOMAIN_DOSSIER_CODE_H
#define MOTCUA_DOMAIN_DOSSIER_CODE_H

#include <stddef.h>

#define UNIT_CODE_LEN     13          /* "000.00.20.H12" */
#define DOSSIER_CODE_MAX  40          /* generous bound for validation of input */
#define DOSSIER_SEQ_MAX   9999999UL   /* seven digits at most */

enum dossier_code_err {
	DOSSIER_CODE_OK = 0,
	DOSSIER_CODE_EMPTY,
	DOSSIER_CODE_TOO_LONG,
	DOSSIER_CODE_BAD_SHAPE,     /* not three dash-separated parts */
	DOSSIER_CODE_BAD_UNIT,
	DOSSIER_CODE_BAD_DATE,
	DOSSIER_CODE_BAD_SEQ,       /* not digits, fewer than 4, leading zeros beyond 4, 0, or too big */
	DOSSIER_CODE_ERR__MAX
};

struct dossier_code {
	char unit[UNIT_CODE_LEN + 1];
	int year, month, day;       /* full year, e.g. 2025 (YY taken as 20YY) */
	unsigned long seq;
};

/* 1 if s[0..len) is a well-formed unit code. */
int unit_code_valid(const char *s, size_t len);

enum dossier_code_err dossier_code_parse(const char *s, size_t len, struct dossier_code *out);

/* Writes the code; returns the length, or -1 if the arguments are invalid (unit not a
 * unit code, year outside 2000..2099, not a real date, seq outside 1..DOSSIER_SEQ_MAX)
 * or buf too small. What it writes, dossier_code_parse reads back unchanged. */
int dossier_code_format(const char *unit, int year, int month, int day, unsigned long seq,
                        char *buf, size_t bufsz);

/* English text of an error, for problem+json detail. */
const char *dossier_code_strerror(enum dossier_code_err e);

#endif
