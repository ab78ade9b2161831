/*
 * The words around the working calendar: processing-time amounts as people write them
 * ("0.5"), the sentence-by-sentence explanation of a due computation (Vietnamese and
 * English), and the note a dossier's history gets when a calendar change moves its due
 * date. Pure: no I/O, no clock, no global state.
 *
 * The text functions write NUL-terminated UTF-8 into buf (size > 0) and return 0, or -1
 * when the text did not fit: it is then cut on a character boundary, still terminated.
 */
#ifndef MOTCUA_DOMAIN_CALENDAR_TEXT_H
#define MOTCUA_DOMAIN_CALENDAR_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

enum cal_lang { CAL_LANG_VI = 0, CAL_LANG_EN, CAL_LANG__MAX };

/*
 * "3", "0.5", "1.25", "3.00" -> hundredths (300, 50, 125, 300). Accepted: one or more
 * ASCII digits, optionally a '.' and one or two digits; nothing else (no sign, no spaces,
 * no exponent, no ',' and no third decimal). Returns 0, or -1 when malformed or above
 * CAL_AMOUNT_MAX. s[0..len) need not be NUL-terminated.
 */
int cal_amount_parse(const char *s, size_t len, int64_t *hundredths);
/* 300 -> "3", 50 -> "0,5" (vi) or "0.5" (en), 125 -> "1,25"; buf >= 16 bytes. */
void cal_amount_format(int64_t hundredths, enum cal_lang lang, char *buf, size_t size);
/* "3 ngày làm việc", "1 working day", "0.5 working days". */
int cal_duration_text(int64_t hundredths, enum cal_time_unit unit, enum cal_lang lang,
    char *buf, size_t size);

/* Labels of the start rule's outcome: "Tính từ lúc tiếp nhận", ... ("" outside the enum). */
const char *cal_start_reason_label_vi(enum cal_start_reason r);
const char *cal_start_reason_label_en(enum cal_start_reason r);
/* "thứ Hai" .. "Chủ nhật" / "Monday" ..; wday 0 = Sunday; "" outside 0..6. */
const char *cal_weekday_name(int wday, enum cal_lang lang);

/*
 * The explanation of a due computation that filled ex (calendar_due/recompute_due with
 * the same amount and unit): when the clock started and why, what the amount means, the
 * days skipped (runs of the same kind and name grouped, "25/01/2025–02/02/2025 (Tết
 * Nguyên đán Ất Tỵ, 9 ngày)"), the make-up days counted, the pauses added, the due.
 * A list that ex truncated ends with "and N more days".
 */
int cal_explain_text(const struct cal_explain *ex, int64_t amount, enum cal_time_unit unit,
    enum cal_lang lang, char *buf, size_t size);

enum cal_change {
	CAL_CHANGE_ADD = 0,     /* a day that was ordinary becomes special */
	CAL_CHANGE_KIND,        /* a special day changes kind (holiday <-> make-up day) */
	CAL_CHANGE_REMOVE,      /* a special day becomes ordinary again */
	CAL_CHANGE__MAX
};

/*
 * Why due dates are recomputed, in Vietnamese, for calendar_jobs.reason and the history
 * note: "thêm ngày nghỉ 02/01/2026 Tết Dương lịch", "bỏ ngày làm bù 10/01/2026 ...",
 * "đổi ngày 10/01/2026 thành ngày làm bù ...". kind and name are the day's after the
 * change (before it, for a removal); day is a local day number.
 */
int cal_change_reason(enum cal_change c, int64_t day, enum cal_day_kind kind,
    const char *name, char *buf, size_t size);

/*
 * The history note of a recalculation: "Lịch làm việc thay đổi (REASONS): hạn giải quyết
 * 05/01/2026 17:00 → 06/01/2026 17:00". old_due 0: the dossier had none ("chưa có").
 */
int cal_recalc_note(const char *reasons, mc_time old_due, mc_time new_due, char *buf,
    size_t size);

#endif
