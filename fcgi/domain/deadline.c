/*
 * Deadline status as Form 06 (Circular 01/2020/TT-VPCP) counts it.
 */
#include <stddef.h>

#include "deadline.h"

enum deadline_status
deadline_classify(mc_time due_at, mc_time finished_at, mc_time now)
{
	int64_t done_day, due_day;

	if (due_at == 0)
		return DEADLINE_NONE;
	if (finished_at == 0)
		return now <= due_at ? DEADLINE_WITHIN : DEADLINE_OVERDUE;
	/* Finished dossiers are judged by the local calendar day only: a result handed
	 * over at 16:00 on a dossier due at 08:00 the same day is on time. */
	done_day = local_day_number(finished_at);
	due_day = local_day_number(due_at);
	if (done_day < due_day)
		return DEADLINE_EARLY;
	return done_day == due_day ? DEADLINE_ON_TIME : DEADLINE_LATE;
}

struct status_label {
	const char *code, *vi, *en;
};

static const struct status_label labels[DEADLINE__MAX] = {
	[DEADLINE_NONE] = { "none", "Chưa tính hạn", "No deadline" },
	[DEADLINE_WITHIN] = { "within", "Trong hạn", "Within the deadline" },
	[DEADLINE_OVERDUE] = { "overdue", "Quá hạn", "Overdue" },
	[DEADLINE_EARLY] = { "early", "Trước hạn", "Before the deadline" },
	[DEADLINE_ON_TIME] = { "on_time", "Đúng hạn", "On time" },
	[DEADLINE_LATE] = { "late", "Trễ hạn", "Late" },
};

/* A value that did not come from the enum gets NULLs from every accessor. */
static const struct status_label *
label_of(enum deadline_status s)
{
	static const struct status_label none = { NULL, NULL, NULL };

	return (unsigned)s < DEADLINE__MAX ? &labels[s] : &none;
}

const char *
deadline_status_code(enum deadline_status s)
{
	return label_of(s)->code;
}

const char *
deadline_status_label_vi(enum deadline_status s)
{
	return label_of(s)->vi;
}

const char *
deadline_status_label_en(enum deadline_status s)
{
	return label_of(s)->en;
}
