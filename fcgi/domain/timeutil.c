/*
 * Civil time in Asia/Ho_Chi_Minh, which is UTC+7 with no daylight saving, so a fixed
 * offset is exact and no tz database is consulted.
 */
#include <stdio.h>

#include <string.h>

#include "timeutil.h"

#define SECS_PER_DAY 86400

/* Division rounding towards minus infinity: times before 1970 must land on the day
 * they belong to, not on the day after. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t
days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;                               /* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;       /* [0, 146096] */

	return era * 146097 + doe - 719468;
}

void
civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t dd = doy - (153 * mp + 2) / 5 + 1;
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;

	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
civil_valid_date(int y, int m, int d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

mc_time
time_from_local(const struct civil *c)
{
	return days_from_civil(c->year, c->month, c->day) * SECS_PER_DAY +
	    (int64_t)c->hour * 3600 + (int64_t)c->min * 60 + c->sec - VN_UTC_OFFSET;
}

/* Splits t, seen at a given offset from UTC (0 <= offset < one day), into a day
 * number and the second within that day. Done on the day and the remainder separately
 * so that adding the offset cannot overflow near the ends of the int64 range. */
static void
split_at_offset(mc_time t, int offset, int64_t *day, int64_t *sec)
{
	int64_t dd = t / SECS_PER_DAY;
	int64_t ss = t % SECS_PER_DAY;

	if (ss < 0) {
		ss += SECS_PER_DAY;
		dd--;
	}
	ss += offset;
	if (ss >= SECS_PER_DAY) {
		ss -= SECS_PER_DAY;
		dd++;
	}
	*day = dd;
	*sec = ss;
}

static void
civil_at_offset(mc_time t, int offset, struct civil *out)
{
	int64_t day, sec;

	split_at_offset(t, offset, &day, &sec);
	civil_from_days(day, &out->year, &out->month, &out->day);
	out->hour = (int)(sec / 3600);
	out->min = (int)(sec / 60 % 60);
	out->sec = (int)(sec % 60);
	/* 1970-01-01 was a Thursday. */
	out->wday = (int)(day - floor_div(day + 4, 7) * 7 + 4);
}

void
time_to_local(mc_time t, struct civil *out)
{
	civil_at_offset(t, VN_UTC_OFFSET, out);
}

int64_t
local_day_number(mc_time t)
{
	int64_t day, sec;

	split_at_offset(t, VN_UTC_OFFSET, &day, &sec);
	return day;
}

void
time_format_iso(mc_time t, char *buf, size_t bufsz)
{
	struct civil c;

	time_to_local(t, &c);
	snprintf(buf, bufsz, "%04d-%02d-%02dT%02d:%02d:%02d+07:00",
	    c.year, c.month, c.day, c.hour, c.min, c.sec);
}

void
time_format_vn_date(mc_time t, char *buf, size_t bufsz)
{
	struct civil c;

	time_to_local(t, &c);
	snprintf(buf, bufsz, "%02d/%02d/%04d", c.day, c.month, c.year);
}

void
time_format_db(mc_time t, char *buf, size_t bufsz)
{
	struct civil c;

	civil_at_offset(t, 0, &c);     /* the DB stores UTC */
	snprintf(buf, bufsz, "%04d-%02d-%02d %02d:%02d:%02d",
	    c.year, c.month, c.day, c.hour, c.min, c.sec);
}

/*
 * Parsing. Every field has a fixed width, so the grammar is a walk over the input with
 * a cursor; nothing is delegated to strtol or sscanf, which would accept signs, spaces
 * and a variable number of digits.
 */
struct cursor {
	const char *s;
	size_t len, pos;
};

/* Reads exactly n decimal digits into *v. */
static int
take_digits(struct cursor *c, size_t n, int *v)
{
	int x = 0;
	size_t i;

	if (c->len - c->pos < n)
		return -1;
	for (i = 0; i < n; i++) {
		char ch = c->s[c->pos + i];

		if (ch < '0' || ch > '9')
			return -1;
		x = x * 10 + (ch - '0');
	}
	c->pos += n;
	*v = x;
	return 0;
}

static int
take_char(struct cursor *c, char ch)
{
	if (c->pos >= c->len || c->s[c->pos] != ch)
		return -1;
	c->pos++;
	return 0;
}

static int
at_end(const struct cursor *c)
{
	return c->pos == c->len;
}

/* "YYYY-MM-DD", a real date. */
static int
take_date(struct cursor *c, struct civil *cv)
{
	if (take_digits(c, 4, &cv->year) || take_char(c, '-') ||
	    take_digits(c, 2, &cv->month) || take_char(c, '-') ||
	    take_digits(c, 2, &cv->day))
		return -1;
	return civil_valid_date(cv->year, cv->month, cv->day) ? 0 : -1;
}

/* "HH:MM" then ":SS" if required or if present. A leap second (60) is refused: the
 * epoch-seconds model cannot hold it. */
static int
take_clock(struct cursor *c, struct civil *cv, int need_sec)
{
	cv->sec = 0;
	if (take_digits(c, 2, &cv->hour) || take_char(c, ':') ||
	    take_digits(c, 2, &cv->min))
		return -1;
	if (need_sec || (!at_end(c) && c->s[c->pos] == ':'))
		if (take_char(c, ':') || take_digits(c, 2, &cv->sec))
			return -1;
	return (cv->hour > 23 || cv->min > 59 || cv->sec > 59) ? -1 : 0;
}

int
time_parse_iso(const char *s, size_t len, mc_time *out)
{
	struct cursor c = { s, len, 0 };
	struct civil cv = { 0 };
	int offset = VN_UTC_OFFSET, oh, om, sign;

	if (s == NULL || take_date(&c, &cv))
		return -1;
	if (at_end(&c)) {
		*out = time_from_local(&cv);
		return 0;
	}
	if (take_char(&c, 'T') || take_clock(&c, &cv, 0))
		return -1;
	if (!at_end(&c)) {
		if (take_char(&c, 'Z') == 0) {
			offset = 0;
		} else {
			sign = c.s[c.pos] == '-' ? -1 : 1;
			if ((take_char(&c, '+') && take_char(&c, '-')) ||
			    take_digits(&c, 2, &oh) || take_char(&c, ':') ||
			    take_digits(&c, 2, &om) || oh > 23 || om > 59)
				return -1;
			offset = sign * (oh * 3600 + om * 60);
		}
		if (!at_end(&c))
			return -1;
	}
	/* time_from_local assumes +07:00; correct for whatever offset was given. */
	*out = time_from_local(&cv) + VN_UTC_OFFSET - offset;
	return 0;
}

int
time_parse_db(const char *s, size_t len, mc_time *out)
{
	struct cursor c = { s, len, 0 };
	struct civil cv = { 0 };

	if (s == NULL || take_date(&c, &cv) || take_char(&c, ' ') ||
	    take_clock(&c, &cv, 1) || !at_end(&c))
		return -1;
	*out = time_from_local(&cv) + VN_UTC_OFFSET;
	return 0;
}

mc_time time_from_db(const char *s)
{
	mc_time t = 0;

	if (s == NULL || time_parse_db(s, strlen(s), &t) != 0)
		return 0;
	return t;
}
