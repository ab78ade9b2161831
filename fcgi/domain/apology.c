#include "apology.h"

enum cal_err apology_proposed_date(const struct calendar *cal, mc_time due, mc_time now,
                                   int64_t amount, enum cal_time_unit unit, mc_time *proposed)
{
	int64_t per = unit == CAL_HOURS ? 3600 : CAL_WORKING_DAY_SECONDS;
	int64_t extra = amount * per / 100 / 4;
	mc_time from = due > now ? due : now, start;
	enum cal_err e;

	if (amount < 0)
		return CAL_ERR_INVALID;
	if (extra < CAL_WORKING_DAY_SECONDS)
		extra = CAL_WORKING_DAY_SECONDS;
	if ((e = calendar_next_working_instant(cal, from, &start)) != CAL_OK)
		return e;
	return calendar_add_working_seconds(cal, start, extra, proposed);
}
