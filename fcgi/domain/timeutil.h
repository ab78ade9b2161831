/*
 * Time as the domain sees it: seconds since the Unix epoch (UTC) in an int64_t.
 * Vietnam keeps UTC+7 all year (no daylight saving), so local civil time is a fixed
 * offset; every function that speaks of days, dates or hours of the day does so in
 * Asia/Ho_Chi_Minh local time.
 */
#ifndef MOTCUA_DOMAIN_TIMEUTIL_H
#define MOTCUA_DOMAIN_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define VN_UTC_OFFSET (7 * 3600)

typedef int64_t mc_time;                /* UTC seconds since 1970-01-01 */

struct civil {                          /* a local (UTC+7) date and time */
	int year, month, day;               /* month 1..12, day 1..31 */
	int hour, min, sec;
	int wday;                           /* 0 = Sunday .. 6 = Saturday (output only) */
};

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t days, int *y, int *m, int *d);
/* 1 if y-m-d is a real date with 1 <= y <= 9999 (four-digit years only). */
int civil_valid_date(int y, int m, int d);

/* local civil -> UTC seconds. Fields are not validated (wday is ignored); day, hour,
 * min and sec are added linearly, so day 32 or hour 24 roll over, month must be 1..12. */
mc_time time_from_local(const struct civil *c);
void time_to_local(mc_time t, struct civil *out); /* UTC seconds -> local civil (sets wday) */
int64_t local_day_number(mc_time t);              /* local date as days since epoch */

/* ISO 8601 with offset, local time: "2025-03-04T08:00:00+07:00"; buf >= 26 bytes.
 * The formatters truncate like snprintf; years outside 1..9999 do not fit the sizes. */
void time_format_iso(mc_time t, char *buf, size_t bufsz);
/* dd/mm/yyyy in local time; buf >= 11 bytes. */
void time_format_vn_date(mc_time t, char *buf, size_t bufsz);
/*
 * Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" (local time), or the same followed by
 * "Z" or "+HH:MM"/"-HH:MM". Returns 0 and sets *out, or -1 on any malformed input
 * (the whole of s[0..len) must be consumed).
 * A bare date is local midnight and takes no offset ("2025-03-04Z" is refused). Fixed
 * widths only, 'T' and 'Z' upper case, hour 00..23, minute and second 00..59 (no leap
 * second), offset hours 00..23; no fractional seconds, no "+HHMM", no spaces.
 */
int time_parse_iso(const char *s, size_t len, mc_time *out);
/* MariaDB DATETIME text "YYYY-MM-DD HH:MM:SS" taken as UTC; exactly 19 bytes (no
 * fraction), a real date ("0000-00-00 00:00:00" is refused). */
int time_parse_db(const char *s, size_t len, mc_time *out);
void time_format_db(mc_time t, char *buf, size_t bufsz);   /* UTC, buf >= 20 */
/* time_parse_db of a NUL-terminated text that may be NULL (SQL NULL): 0 when NULL or
 * malformed, which callers read as "no time". */
mc_time time_from_db(const char *s);

#endif
