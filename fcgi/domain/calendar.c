/*
 * The working calendar and due dates. The rules at the boundaries are written once, in
 * calendar.h; every computation walks the local days forward one at a time, so a rule
 * about a day (weekday sessions, holiday, make-up day) lives only in sessions_of().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

#define SECS_PER_DAY 86400

static const struct cal_day_sessions office_day = {
	2, { { 7 * 60 + 30, 11 * 60 + 30 }, { 13 * 60, 17 * 60 } }
};
static const struct cal_day_sessions no_session = { 0, { { 0, 0 } } };

static mc_time
local_midnight(int64_t day)
{
	return day * SECS_PER_DAY - VN_UTC_OFFSET;
}

/* 1970-01-01 was a Thursday; days before it are negative. */
static int
weekday_of(int64_t day)
{
	int64_t r = (day + 4) % 7;

	return (int)(r < 0 ? r + 7 : r);
}

static int
time_ok(mc_time t)
{
	return t >= CAL_TIME_MIN && t <= CAL_TIME_MAX;
}

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t
min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

void
calendar_init(struct calendar *cal)
{
	int wd;

	for (wd = 0; wd < 7; wd++)
		cal->week[wd] = (wd == 0 || wd == 6) ? no_session : office_day;
	cal->special = NULL;
	cal->nspecial = 0;
	cal->capspecial = 0;
}

void
calendar_free(struct calendar *cal)
{
	free(cal->special);
	cal->special = NULL;
	cal->nspecial = 0;
	cal->capspecial = 0;
}

enum cal_err
calendar_set_sessions(struct calendar *cal, int wday, const struct cal_session *s, size_t n)
{
	size_t i;

	if (wday < 0 || wday > 6 || n > CAL_MAX_SESSIONS || (n > 0 && s == NULL))
		return CAL_ERR_INVALID;
	for (i = 0; i < n; i++) {
		if (s[i].start_min < 0 || s[i].start_min >= s[i].end_min ||
		    s[i].end_min > 24 * 60)
			return CAL_ERR_INVALID;
		if (i > 0 && s[i].start_min < s[i - 1].end_min)
			return CAL_ERR_INVALID;
	}
	cal->week[wday] = no_session;
	cal->week[wday].n = n;
	for (i = 0; i < n; i++)
		cal->week[wday].s[i] = s[i];
	return CAL_OK;
}

/* Index of the first special day on or after `day`. */
static size_t
special_lower_bound(const struct calendar *cal, int64_t day)
{
	size_t lo = 0, hi = cal->nspecial;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->special[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct cal_special_day *
calendar_special_at(const struct calendar *cal, int64_t day)
{
	size_t i = special_lower_bound(cal, day);

	return (i < cal->nspecial && cal->special[i].day == day) ? &cal->special[i] : NULL;
}

/* Room for one more special day. Reallocates cal->special (the old pointer is then
 * invalid); on failure the calendar is untouched. */
static enum cal_err
special_reserve_one(struct calendar *cal)
{
	struct cal_special_day *p;
	size_t ncap;

	if (cal->nspecial < cal->capspecial)
		return CAL_OK;
	if (cal->capspecial > SIZE_MAX / 2 / sizeof(*p))
		return CAL_ERR_NOMEM;
	ncap = cal->capspecial ? cal->capspecial * 2 : 32;
	p = realloc(cal->special, ncap * sizeof(*p));
	if (p == NULL)
		return CAL_ERR_NOMEM;
	cal->special = p;
	cal->capspecial = ncap;
	return CAL_OK;
}

enum cal_err
calendar_set_special(struct calendar *cal, int64_t day, enum cal_day_kind kind,
    const char *name)
{
	struct cal_special_day *sd;
	size_t i, len;

	if (day < 0 || day > CAL_DAY_MAX || name == NULL ||
	    (kind != CAL_DAY_HOLIDAY && kind != CAL_DAY_MAKEUP_WORKDAY))
		return CAL_ERR_INVALID;
	len = strnlen(name, CAL_NAME_MAX);
	if (len == CAL_NAME_MAX)
		return CAL_ERR_INVALID;
	i = special_lower_bound(cal, day);
	if (i == cal->nspecial || cal->special[i].day != day) {
		enum cal_err err = special_reserve_one(cal);

		if (err != CAL_OK)
			return err;
		memmove(&cal->special[i + 1], &cal->special[i],
		    (cal->nspecial - i) * sizeof(cal->special[0]));
		cal->nspecial++;
	}
	sd = &cal->special[i];
	sd->day = day;
	sd->kind = kind;
	memcpy(sd->name, name, len + 1);
	return CAL_OK;
}

enum cal_err
calendar_remove_special(struct calendar *cal, int64_t day)
{
	size_t i = special_lower_bound(cal, day);

	if (i == cal->nspecial || cal->special[i].day != day)
		return CAL_ERR_NOT_FOUND;
	memmove(&cal->special[i], &cal->special[i + 1],
	    (cal->nspecial - i - 1) * sizeof(cal->special[0]));
	cal->nspecial--;
	return CAL_OK;
}

/* The one place that decides what a day works. *sp (if asked) gets its special day. */
static const struct cal_day_sessions *
sessions_of(const struct calendar *cal, int64_t day, const struct cal_special_day **sp)
{
	const struct cal_special_day *s = calendar_special_at(cal, day);

	if (sp != NULL)
		*sp = s;
	if (s != NULL && s->kind == CAL_DAY_HOLIDAY)
		return &no_session;
	if (s != NULL && s->kind == CAL_DAY_MAKEUP_WORKDAY)
		return &cal->week[CAL_MAKEUP_WEEKDAY];
	return &cal->week[weekday_of(day)];
}

int
calendar_is_working_day(const struct calendar *cal, int64_t day)
{
	return sessions_of(cal, day, NULL)->n > 0;
}

enum cal_err
calendar_next_working_instant(const struct calendar *cal, mc_time t, mc_time *out)
{
	int64_t day, sec, gap;
	size_t i;

	if (!time_ok(t))
		return CAL_ERR_INVALID;
	day = local_day_number(t);
	sec = t - local_midnight(day);
	for (gap = 0; gap <= CAL_MAX_GAP_DAYS; gap++, day++, sec = 0) {
		const struct cal_day_sessions *w;

		if (day > CAL_DAY_MAX)
			return CAL_ERR_RANGE;
		w = sessions_of(cal, day, NULL);
		for (i = 0; i < w->n; i++) {
			if (sec < (int64_t)w->s[i].end_min * 60) {
				*out = local_midnight(day) +
				    max64(sec, (int64_t)w->s[i].start_min * 60);
				return CAL_OK;
			}
		}
	}
	return CAL_ERR_NO_WORKING_TIME;
}

enum cal_err
calendar_add_working_seconds(const struct calendar *cal, mc_time t, int64_t secs,
    mc_time *out)
{
	mc_time cur = t;

	if (!time_ok(t) || secs < 0)
		return CAL_ERR_INVALID;
	while (secs > 0) {
		const struct cal_day_sessions *w;
		int64_t day, mid, sec;
		size_t i;
		enum cal_err err = calendar_next_working_instant(cal, cur, &cur);

		if (err != CAL_OK)
			return err;
		day = local_day_number(cur);
		mid = local_midnight(day);
		sec = cur - mid;
		w = sessions_of(cal, day, NULL);
		for (i = 0; i < w->n; i++) {
			int64_t end = (int64_t)w->s[i].end_min * 60, st, avail;

			if (sec >= end)
				continue;
			st = max64(sec, (int64_t)w->s[i].start_min * 60);
			avail = end - st;
			/* "<=": a due that lands on a session's end stays there. */
			if (secs <= avail) {
				if (mid + st + secs > CAL_TIME_MAX)
					return CAL_ERR_RANGE;
				*out = mid + st + secs;
				return CAL_OK;
			}
			secs -= avail;
		}
		if (day >= CAL_DAY_MAX)
			return CAL_ERR_RANGE;
		cur = local_midnight(day + 1);
	}
	*out = cur;
	return CAL_OK;
}

int64_t
calendar_working_seconds_between(const struct calendar *cal, mc_time a, mc_time b)
{
	int64_t day, last, sum = 0;

	if (!time_ok(a) || !time_ok(b))
		return -1;
	if (a > b) {
		mc_time t = a;

		a = b;
		b = t;
	}
	last = local_day_number(b);
	for (day = local_day_number(a); day <= last; day++) {
		const struct cal_day_sessions *w = sessions_of(cal, day, NULL);
		mc_time mid = local_midnight(day);
		size_t i;

		for (i = 0; i < w->n; i++) {
			int64_t lo = max64(mid + (int64_t)w->s[i].start_min * 60, a);
			int64_t hi = min64(mid + (int64_t)w->s[i].end_min * 60, b);

			if (hi > lo)
				sum += hi - lo;
		}
	}
	return sum;
}

/* The calendar-days rule: an instant on a day without sessions becomes the end of the
 * last session of the next working day. */
static enum cal_err
move_off_day_off(const struct calendar *cal, mc_time nominal, mc_time *due)
{
	const struct cal_day_sessions *w;
	mc_time next;
	int64_t day;
	enum cal_err err;

	if (calendar_is_working_day(cal, local_day_number(nominal))) {
		*due = nominal;
		return CAL_OK;
	}
	if ((err = calendar_next_working_instant(cal, nominal, &next)) != CAL_OK)
		return err;
	day = local_day_number(next);
	w = sessions_of(cal, day, NULL);
	*due = local_midnight(day) + (int64_t)w->s[w->n - 1].end_min * 60;
	return *due > CAL_TIME_MAX ? CAL_ERR_RANGE : CAL_OK;
}

/* Appends to ex every day in [from, to] that is off or a make-up day. */
static void
explain_days(const struct calendar *cal, struct cal_explain *ex, int64_t from, int64_t to)
{
	int64_t day;

	for (day = from; day <= to; day++) {
		const struct cal_special_day *sp;
		const struct cal_day_sessions *w = sessions_of(cal, day, &sp);

		if (sp == NULL && w->n > 0)
			continue;
		if (ex->ndays < ex->cap) {
			struct cal_explain_day *e = &ex->days[ex->ndays++];
			const char *name = sp != NULL ? sp->name : "";

			e->day = day;
			e->kind = sp != NULL ? sp->kind : CAL_DAY_WEEKEND;
			/* Both buffers are CAL_NAME_MAX bytes; the source is NUL-terminated. */
			memcpy(e->name, name, strlen(name) + 1);
		}
		ex->total++;
	}
}

void
cal_explain_init(struct cal_explain *ex, struct cal_explain_day *days, size_t cap)
{
	memset(ex, 0, sizeof(*ex));
	ex->days = days;
	ex->cap = days != NULL ? cap : 0;
}

static enum cal_err
check_pauses(mc_time received, const struct cal_pause *p, size_t n)
{
	mc_time prev = received;
	size_t i;

	if (n > 0 && p == NULL)
		return CAL_ERR_INVALID;
	for (i = 0; i < n; i++) {
		if (p[i].from < prev || p[i].to < p[i].from || !time_ok(p[i].to))
			return CAL_ERR_INVALID;
		prev = p[i].to;
	}
	return CAL_OK;
}

/* Calendar days: wall time, pauses by their wall length, then the day-off rule. */
static enum cal_err
due_calendar_days(const struct calendar *cal, mc_time start, int64_t amount,
    const struct cal_pause *p, size_t n, mc_time *nominal, mc_time *due, int64_t *paused)
{
	enum cal_err err;
	size_t i;

	*nominal = start + amount * (SECS_PER_DAY / 100);
	if (*nominal > CAL_TIME_MAX)
		return CAL_ERR_RANGE;
	if ((err = move_off_day_off(cal, *nominal, due)) != CAL_OK)
		return err;
	/* Pauses are in order, so once one begins after the due, so do the rest. */
	for (i = 0; i < n && p[i].from < *due; i++) {
		int64_t len = p[i].to - max64(p[i].from, start);

		if (len <= 0)
			continue;
		*nominal += len;
		*paused += len;
		if (*nominal > CAL_TIME_MAX)
			return CAL_ERR_RANGE;
		if ((err = move_off_day_off(cal, *nominal, due)) != CAL_OK)
			return err;
	}
	return CAL_OK;
}

/* Working days and hours: working time, pauses by the working time inside them. */
static enum cal_err
due_working_time(const struct calendar *cal, mc_time start, int64_t secs,
    const struct cal_pause *p, size_t n, mc_time *due, int64_t *paused)
{
	enum cal_err err;
	size_t i;

	if ((err = calendar_add_working_seconds(cal, start, secs, due)) != CAL_OK)
		return err;
	for (i = 0; i < n && p[i].from < *due; i++) {
		int64_t w = calendar_working_seconds_between(cal, p[i].from, p[i].to);

		*paused += w;
		if ((err = calendar_add_working_seconds(cal, *due, w, due)) != CAL_OK)
			return err;
	}
	return CAL_OK;
}

enum cal_err
calendar_recompute_due(const struct calendar *cal, mc_time received, int64_t amount,
    enum cal_time_unit unit, const struct cal_pause *pauses, size_t npauses,
    mc_time *due, struct cal_explain *ex)
{
	mc_time start, nominal = 0, d = 0;
	int64_t paused = 0, rday;
	enum cal_err err;

	if (!time_ok(received) || amount < 0 || amount > CAL_AMOUNT_MAX ||
	    (int)unit < 0 || unit >= CAL_TIME_UNIT__MAX)
		return CAL_ERR_INVALID;
	if ((err = check_pauses(received, pauses, npauses)) != CAL_OK)
		return err;
	if ((err = calendar_next_working_instant(cal, received, &start)) != CAL_OK)
		return err;
	if (unit == CAL_CALENDAR_DAYS)
		err = due_calendar_days(cal, start, amount, pauses, npauses,
		    &nominal, &d, &paused);
	else
		err = due_working_time(cal, start, unit == CAL_HOURS ?
		    amount * 36 : amount * CAL_WORKING_DAY_SECONDS / 100,
		    pauses, npauses, &d, &paused);
	if (err != CAL_OK)
		return err;
	*due = d;
	if (ex == NULL)
		return CAL_OK;

	rday = local_day_number(received);
	ex->received = received;
	ex->start = start;
	ex->due = d;
	ex->paused_seconds = paused;
	if (start == received)
		ex->start_reason = CAL_START_AT_RECEPTION;
	else if (calendar_is_working_day(cal, rday))
		ex->start_reason = CAL_START_OUTSIDE_HOURS;
	else
		ex->start_reason = CAL_START_DAY_OFF;
	ex->ndays = ex->total = 0;
	if (unit == CAL_CALENDAR_DAYS) {
		explain_days(cal, ex, rday, local_day_number(start) - 1);
		explain_days(cal, ex, local_day_number(nominal), local_day_number(d) - 1);
	} else {
		explain_days(cal, ex, rday, local_day_number(d));
	}
	return CAL_OK;
}

enum cal_err
calendar_due(const struct calendar *cal, mc_time received, int64_t amount,
    enum cal_time_unit unit, mc_time *due, struct cal_explain *ex)
{
	return calendar_recompute_due(cal, received, amount, unit, NULL, 0, due, ex);
}

/*
 * The seed. Statutory days come from the Labour Code 2019, art. 112 (1/1; Tết, 5 days;
 * Hùng Kings' day 10/3 lunar; 30/4; 1/5; 2/9 and a day next to it; a holiday on a
 * weekend gives the next working day off). Which days around Tết and 2/9 are taken, and
 * the swaps with make-up Saturdays, are announced yearly by the Government / Ministry of
 * Home Affairs: rows marked "announced" follow an announcement, rows marked "assumed"
 * are our guess of the usual pattern until the real one is published. Weekend days
 * inside an announced break are stored as holidays too, so that a unit which works
 * Saturdays is still off and the explanation names the break.
 */
struct seed_span {
	short y;
	signed char m, d, ndays;
	enum cal_day_kind kind;
	const char *name;
};

static const struct seed_span vn_seed[] = {
	/* 2025 */
	{ 2025, 1, 1, 1, CAL_DAY_HOLIDAY, "Tết Dương lịch" },                 /* statutory */
	/* Lunar new year Wed 29/1; Sat 25/1 to Sun 2/2 (announced). */
	{ 2025, 1, 25, 9, CAL_DAY_HOLIDAY, "Tết Nguyên đán Ất Tỵ" },
	{ 2025, 4, 7, 1, CAL_DAY_HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)" },  /* statutory */
	{ 2025, 4, 26, 1, CAL_DAY_MAKEUP_WORKDAY,
	    "Làm bù cho ngày nghỉ 02/05/2025" },                                /* announced */
	{ 2025, 4, 30, 1, CAL_DAY_HOLIDAY, "Ngày Chiến thắng (30/4)" },        /* statutory */
	{ 2025, 5, 1, 1, CAL_DAY_HOLIDAY, "Ngày Quốc tế Lao động (1/5)" },     /* statutory */
	{ 2025, 5, 2, 1, CAL_DAY_HOLIDAY,
	    "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)" },                      /* announced */
	{ 2025, 5, 3, 2, CAL_DAY_HOLIDAY, "Nghỉ lễ 30/4 - 1/5" },               /* announced */
	{ 2025, 8, 30, 2, CAL_DAY_HOLIDAY, "Nghỉ lễ Quốc khánh" },              /* announced */
	{ 2025, 9, 1, 1, CAL_DAY_HOLIDAY, "Quốc khánh (ngày liền kề)" },        /* announced */
	{ 2025, 9, 2, 1, CAL_DAY_HOLIDAY, "Quốc khánh (2/9)" },                 /* statutory */

	/* 2026 */
	{ 2026, 1, 1, 1, CAL_DAY_HOLIDAY, "Tết Dương lịch" },                 /* statutory */
	/* Fri 2/1 swapped with Sat 10/1, break 1/1 to 4/1 (announced 25/12/2025). */
	{ 2026, 1, 2, 1, CAL_DAY_HOLIDAY,
	    "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)" },
	{ 2026, 1, 3, 2, CAL_DAY_HOLIDAY, "Nghỉ Tết Dương lịch" },
	{ 2026, 1, 10, 1, CAL_DAY_MAKEUP_WORKDAY, "Làm bù cho ngày nghỉ 02/01/2026" },
	/* Lunar new year Tue 17/2; Sat 14/2 to Sun 22/2 (announced). */
	{ 2026, 2, 14, 9, CAL_DAY_HOLIDAY, "Tết Nguyên đán Bính Ngọ" },
	{ 2026, 4, 26, 1, CAL_DAY_HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)" }, /* statutory, Sun */
	{ 2026, 4, 27, 1, CAL_DAY_HOLIDAY, "Nghỉ bù Giỗ Tổ Hùng Vương" },       /* statutory */
	{ 2026, 4, 30, 1, CAL_DAY_HOLIDAY, "Ngày Chiến thắng (30/4)" },        /* statutory */
	{ 2026, 5, 1, 1, CAL_DAY_HOLIDAY, "Ngày Quốc tế Lao động (1/5)" },     /* statutory */
	/* 2/9 is a Wednesday; the adjacent day could be 1/9 or 3/9: 1/9 assumed. */
	{ 2026, 9, 1, 1, CAL_DAY_HOLIDAY, "Quốc khánh (ngày liền kề)" },        /* assumed */
	{ 2026, 9, 2, 1, CAL_DAY_HOLIDAY, "Quốc khánh (2/9)" },                 /* statutory */

	/* 2027 */
	{ 2027, 1, 1, 1, CAL_DAY_HOLIDAY, "Tết Dương lịch" },                 /* statutory */
	/*
	 * Lunar new year Sat 6/2/2027 (Vietnamese calendar, UTC+7). Assumed: the shape of
	 * 2024, whose new year also fell on a Saturday: Thu 4/2 (28 tháng Chạp) to Wed 10/2
	 * (mùng 5), i.e. the five weekdays 4, 5, 8, 9, 10/2 around the weekend.
	 */
	{ 2027, 2, 4, 7, CAL_DAY_HOLIDAY, "Tết Nguyên đán Đinh Mùi" },
	{ 2027, 4, 16, 1, CAL_DAY_HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)" }, /* statutory */
	{ 2027, 4, 30, 1, CAL_DAY_HOLIDAY, "Ngày Chiến thắng (30/4)" },        /* statutory */
	{ 2027, 5, 1, 1, CAL_DAY_HOLIDAY, "Ngày Quốc tế Lao động (1/5)" },     /* statutory, Sat */
	{ 2027, 5, 3, 1, CAL_DAY_HOLIDAY, "Nghỉ bù Quốc tế Lao động" },        /* statutory */
	{ 2027, 9, 2, 1, CAL_DAY_HOLIDAY, "Quốc khánh (2/9)" },                 /* statutory */
	/* 2/9 is a Thursday: Friday 3/9 assumed, for a long weekend. */
	{ 2027, 9, 3, 1, CAL_DAY_HOLIDAY, "Quốc khánh (ngày liền kề)" },        /* assumed */
};

enum cal_err
calendar_seed_vn(struct calendar *cal)
{
	size_t i;
	int k;
	enum cal_err err;

	for (i = 0; i < sizeof(vn_seed) / sizeof(vn_seed[0]); i++) {
		const struct seed_span *r = &vn_seed[i];
		int64_t first;

		if (!civil_valid_date(r->y, r->m, r->d))
			return CAL_ERR_INVALID;
		first = days_from_civil(r->y, r->m, r->d);
		for (k = 0; k < r->ndays; k++)
			if ((err = calendar_set_special(cal, first + k, r->kind,
			    r->name)) != CAL_OK)
				return err;
	}
	return CAL_OK;
}

/* Codes and labels. */

static const char *const err_codes[CAL_ERR__MAX] = {
	"ok", "invalid", "range", "no_working_time", "nomem", "not_found",
};
static const char *const unit_codes[CAL_TIME_UNIT__MAX] = {
	"working_days", "calendar_days", "hours",
};
static const char *const unit_vi[CAL_TIME_UNIT__MAX] = {
	"ngày làm việc", "ngày", "giờ",
};
static const char *const unit_en[CAL_TIME_UNIT__MAX] = {
	"working days", "calendar days", "hours",
};
static const char *const kind_codes[CAL_DAY__MAX] = {
	"weekend", "holiday", "makeup_workday",
};
static const char *const kind_vi[CAL_DAY__MAX] = {
	"Ngày nghỉ hằng tuần", "Ngày nghỉ lễ, Tết", "Ngày làm bù",
};
static const char *const kind_en[CAL_DAY__MAX] = {
	"Weekly day off", "Public holiday", "Make-up working day",
};
static const char *const start_codes[CAL_START__MAX] = {
	"at_reception", "outside_working_hours", "day_off",
};

/* tab[v], or "" for a value outside the enum. */
static const char *
pick(const char *const *tab, int n, int v)
{
	return (v >= 0 && v < n) ? tab[v] : "";
}

/* The index of the code in tab, or -1. The length must match exactly, so a code with an
 * embedded NUL or trailing bytes is refused. */
static int
find_code(const char *const *tab, int n, const char *code, size_t len)
{
	int i;

	if (code == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strlen(tab[i]) == len && memcmp(tab[i], code, len) == 0)
			return i;
	return -1;
}

const char *
cal_err_code(enum cal_err e)
{
	return pick(err_codes, CAL_ERR__MAX, (int)e);
}

const char *
cal_time_unit_code(enum cal_time_unit u)
{
	return pick(unit_codes, CAL_TIME_UNIT__MAX, (int)u);
}

const char *
cal_time_unit_label_vi(enum cal_time_unit u)
{
	return pick(unit_vi, CAL_TIME_UNIT__MAX, (int)u);
}

const char *
cal_time_unit_label_en(enum cal_time_unit u)
{
	return pick(unit_en, CAL_TIME_UNIT__MAX, (int)u);
}

int
cal_time_unit_from_code(const char *code, size_t len)
{
	return find_code(unit_codes, CAL_TIME_UNIT__MAX, code, len);
}

const char *
cal_day_kind_code(enum cal_day_kind k)
{
	return pick(kind_codes, CAL_DAY__MAX, (int)k);
}

const char *
cal_day_kind_label_vi(enum cal_day_kind k)
{
	return pick(kind_vi, CAL_DAY__MAX, (int)k);
}

const char *
cal_day_kind_label_en(enum cal_day_kind k)
{
	return pick(kind_en, CAL_DAY__MAX, (int)k);
}

int
cal_day_kind_from_code(const char *code, size_t len)
{
	return find_code(kind_codes, CAL_DAY__MAX, code, len);
}

const char *
cal_start_reason_code(enum cal_start_reason r)
{
	return pick(start_codes, CAL_START__MAX, (int)r);
}
