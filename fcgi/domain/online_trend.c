#include <stddef.h>

#include "online_trend.h"

enum trend_flag trend_flag(long long prev, long long cur)
{
	if (prev < 0 || cur < 0)
		return TREND_NONE;
	if (prev > 0 && cur == 0)
		return TREND_ZERO;      /* any fall to nothing: a commune stopped taking them */
	if (cur >= TREND_MIN_COUNT && cur >= TREND_JUMP_FACTOR * prev)
		return TREND_JUMP;
	if (prev >= TREND_MIN_COUNT && cur * TREND_DROP_FACTOR <= prev)
		return TREND_DROP;
	return TREND_NONE;
}

const char *trend_flag_code(enum trend_flag f)
{
	static const char *const codes[TREND__MAX] = { NULL, "jump", "drop", "zero" };

	return f >= 0 && f < TREND__MAX ? codes[f] : NULL;
}
