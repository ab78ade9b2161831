/*
 * Does a unit's count of online dossiers move month to month the way steady adoption
 * does? DOMAIN.md ("Statistics") asks that online dossiers grow steadily per commune, not
 * spike; the dashboard flags the months that do not. Pure: counts in, a flag out.
 */
#ifndef MOTCUA_DOMAIN_ONLINE_TREND_H
#define MOTCUA_DOMAIN_ONLINE_TREND_H

/* A month is a jump when it has at least TREND_JUMP_FACTOR times the previous month's
 * count, a drop when it has at most 1/TREND_DROP_FACTOR of it. Below TREND_MIN_COUNT
 * (in the larger of the two months) the numbers are too small to mean anything: 1 -> 3 is
 * not a spike. */
#define TREND_JUMP_FACTOR 3
#define TREND_DROP_FACTOR 3
#define TREND_MIN_COUNT 5

enum trend_flag {
	TREND_NONE = 0,
	TREND_JUMP,     /* x3 or more against the previous month */
	TREND_DROP,     /* down to a third or less, but not to zero */
	TREND_ZERO,     /* none at all after a month with some */
	TREND__MAX
};

/* The flag of a month with cur online dossiers after a month with prev (counts >= 0;
 * prev < 0 means there is no previous month to compare with: no flag). */
enum trend_flag trend_flag(long long prev, long long cur);
/* "jump", "drop", "zero"; NULL for TREND_NONE or a value outside the enum. */
const char *trend_flag_code(enum trend_flag f);

#endif
