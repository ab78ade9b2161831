/*
 * Dossier codes: {unit}-{YYMMDD}-{NNNN}. Parsing is strict so that a code has exactly
 * one spelling, and the tracking page can look it up as a plain key.
 */
#include <stdio.h>
#include <string.h>

#include "dossier_code.h"
#include "timeutil.h"

#define SEQ_MIN_DIGITS 4
#define SEQ_MAX_DIGITS 7
#define DATE_DIGITS    6

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Value of the n decimal digits at s, or -1 if one of them is not a digit. */
static long
digits_value(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
unit_code_valid(const char *s, size_t len)
{
	/* 'd' a digit, 'A' a capital letter, anything else itself. */
	static const char shape[UNIT_CODE_LEN + 1] = "ddd.dd.dd.Add";
	size_t i;

	if (s == NULL || len != UNIT_CODE_LEN)
		return 0;
	for (i = 0; i < len; i++) {
		if (shape[i] == 'd' ? !is_digit(s[i]) :
		    shape[i] == 'A' ? !(s[i] >= 'A' && s[i] <= 'Z') :
		    s[i] != shape[i])
			return 0;
	}
	return 1;
}

/* YYMMDD, a real date in 2000..2099. */
static int
parse_date(const char *s, size_t n, int *y, int *m, int *d)
{
	if (n != DATE_DIGITS || digits_value(s, n) < 0)
		return -1;
	*y = 2000 + (int)digits_value(s, 2);
	*m = (int)digits_value(s + 2, 2);
	*d = (int)digits_value(s + 4, 2);
	return civil_valid_date(*y, *m, *d) ? 0 : -1;
}

/* One spelling per number: four digits below 10000, no leading zero beyond them. */
static int
parse_seq(const char *s, size_t n, unsigned long *seq)
{
	long v;

	if (n < SEQ_MIN_DIGITS || n > SEQ_MAX_DIGITS)
		return -1;
	if (n > SEQ_MIN_DIGITS && s[0] == '0')
		return -1;
	if ((v = digits_value(s, n)) < 1)
		return -1;
	*seq = (unsigned long)v;
	return 0;
}

enum dossier_code_err
dossier_code_parse(const char *s, size_t len, struct dossier_code *out)
{
	const char *dash1, *dash2;
	size_t unit_len, date_len;

	if (s == NULL || len == 0)
		return DOSSIER_CODE_EMPTY;
	if (len > DOSSIER_CODE_MAX)
		return DOSSIER_CODE_TOO_LONG;
	if ((dash1 = memchr(s, '-', len)) == NULL ||
	    (dash2 = memchr(dash1 + 1, '-', len - (size_t)(dash1 + 1 - s))) == NULL ||
	    memchr(dash2 + 1, '-', len - (size_t)(dash2 + 1 - s)) != NULL)
		return DOSSIER_CODE_BAD_SHAPE;
	unit_len = (size_t)(dash1 - s);
	date_len = (size_t)(dash2 - dash1 - 1);
	if (!unit_code_valid(s, unit_len))
		return DOSSIER_CODE_BAD_UNIT;
	if (parse_date(dash1 + 1, date_len, &out->year, &out->month, &out->day))
		return DOSSIER_CODE_BAD_DATE;
	if (parse_seq(dash2 + 1, len - (size_t)(dash2 + 1 - s), &out->seq))
		return DOSSIER_CODE_BAD_SEQ;
	memcpy(out->unit, s, UNIT_CODE_LEN);
	out->unit[UNIT_CODE_LEN] = '\0';
	return DOSSIER_CODE_OK;
}

/* strlen that stops looking after max bytes: unit need not be a short string. */
static size_t
bounded_strlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int
dossier_code_format(const char *unit, int year, int month, int day, unsigned long seq,
                    char *buf, size_t bufsz)
{
	int n;

	if (unit == NULL || buf == NULL ||
	    !unit_code_valid(unit, bounded_strlen(unit, UNIT_CODE_LEN + 1)) ||
	    year < 2000 || year > 2099 || !civil_valid_date(year, month, day) ||
	    seq < 1 || seq > DOSSIER_SEQ_MAX)
		return -1;
	n = snprintf(buf, bufsz, "%s-%02d%02d%02d-%04lu", unit, year % 100, month, day, seq);
	if (n < 0 || (size_t)n >= bufsz)
		return -1;
	return n;
}

static const char *const code_errors[DOSSIER_CODE_ERR__MAX] = {
	[DOSSIER_CODE_OK] = "no error",
	[DOSSIER_CODE_EMPTY] = "the dossier code is empty",
	[DOSSIER_CODE_TOO_LONG] = "the dossier code is too long",
	[DOSSIER_CODE_BAD_SHAPE] = "a dossier code has three parts separated by '-': "
	    "unit code, date (YYMMDD) and number",
	[DOSSIER_CODE_BAD_UNIT] = "the unit code is not shaped like 000.00.20.H12",
	[DOSSIER_CODE_BAD_DATE] = "the date part is not a real date written YYMMDD",
	[DOSSIER_CODE_BAD_SEQ] = "the number part must be 0001 to 9999999, "
	    "four digits below 10000, without further leading zeros",
};

const char *
dossier_code_strerror(enum dossier_code_err e)
{
	if ((unsigned)e >= DOSSIER_CODE_ERR__MAX)
		return "unknown dossier code error";
	return code_errors[e];
}
