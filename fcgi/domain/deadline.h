/*
 * Where a dossier stands against its deadline, the way Form 06 (Circular 01/2020/TT-VPCP)
 * judges it: finished dossiers compare the local calendar day (Asia/Ho_Chi_Minh) of the
 * finish with that of the due time: earlier day = before the deadline, same day = on
 * time, later day = late. Open dossiers are within the deadline until the due time
 * passes, overdue after.
 */
#ifndef MOTCUA_DOMAIN_DEADLINE_H
#define MOTCUA_DOMAIN_DEADLINE_H

#include "timeutil.h"

enum deadline_status {
	DEADLINE_NONE = 0,      /* no clock: not received, or no due date */
	DEADLINE_WITHIN,        /* open, due time not passed (trong hạn) */
	DEADLINE_OVERDUE,       /* open, due time passed (quá hạn) */
	DEADLINE_EARLY,         /* finished on an earlier day (trước hạn) */
	DEADLINE_ON_TIME,       /* finished on the due day (đúng hạn) */
	DEADLINE_LATE,          /* finished on a later day (trễ hạn / quá hạn) */
	DEADLINE__MAX
};

/*
 * finished_at = 0 means still open (judged at `now`); due_at = 0 means no due date.
 * Open: within while now <= due_at (the due second itself is still within).
 */
enum deadline_status deadline_classify(mc_time due_at, mc_time finished_at, mc_time now);
/* "none", "within", "overdue", "early", "on_time", "late"; the code and label
 * functions return NULL for a value outside the enum. */
const char *deadline_status_code(enum deadline_status s);
const char *deadline_status_label_vi(enum deadline_status s);
const char *deadline_status_label_en(enum deadline_status s);

#endif
