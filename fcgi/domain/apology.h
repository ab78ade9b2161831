/*
 * The date a drafted apology letter (Phiếu xin lỗi và hẹn lại ngày trả kết quả) proposes
 * for a dossier that is about to be, or already is, late: from the later of its due time
 * and now, a quarter of the procedure's working time more, and never less than one
 * working day. A leader approves it (or sets another date); statistics keep judging the
 * dossier against its original due time.
 */
#ifndef MOTCUA_DOMAIN_APOLOGY_H
#define MOTCUA_DOMAIN_APOLOGY_H

#include "calendar.h"

/* Returns CAL_OK and *proposed, or the calendar's error. */
enum cal_err apology_proposed_date(const struct calendar *cal, mc_time due, mc_time now,
                                   int64_t amount, enum cal_time_unit unit, mc_time *proposed);

#endif
