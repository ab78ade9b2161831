/*
 * The statutory due instant of a dossier as it is stored (dossiers.due_at): reception,
 * the procedure's processing time, and the pauses recorded in dossier_pauses, against a
 * working calendar. The one rule for everyone who writes due_at: the calendar worker when
 * the calendar changes, and the workflow when a pause ends.
 *
 * - A pause still running (no end yet) does not move the stored due: it moves when the
 *   pause ends. Reading due_at while paused therefore gives the date before the pause.
 * - A procedure that restarts its full time after a supplement (restart_on_supplement)
 *   counts from the end of the last finished supplement pause; pauses that ended before
 *   it no longer matter.
 * - Recorded pauses are taken as they are, with two repairs instead of a refusal: a
 *   pause is clipped to begin no earlier than the clock's start and the previous pause's
 *   end, and one that is then empty is dropped.
 */
#ifndef MOTCUA_DOMAIN_DOSSIER_DUE_H
#define MOTCUA_DOMAIN_DOSSIER_DUE_H

#include <stddef.h>

#include "calendar.h"

struct dossier_pause {
	mc_time from, to;               /* to = 0: still paused */
	int supplement;                 /* 1: awaiting_supplement (the restart rule applies) */
};

/* pauses in their recorded order (seq). *due set only on CAL_OK; CAL_ERR_NOMEM possible. */
enum cal_err dossier_due_at(const struct calendar *cal, mc_time received, int64_t amount,
    enum cal_time_unit unit, int restart_on_supplement, const struct dossier_pause *pauses,
    size_t npauses, mc_time *due);

#endif
