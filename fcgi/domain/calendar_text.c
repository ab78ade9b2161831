/*
 * Amounts, explanations and change notes of the working calendar (calendar_text.h).
 * Every sentence is built through one small appender (struct text) that stops at the
 * end of the caller's buffer and never leaves half a UTF-8 character behind.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "calendar_text.h"

#define SECS_PER_DAY 86400

struct text {
	char *buf;
	size_t size, len;
	int cut;                /* 1 once something did not fit */
};

static void text_init(struct text *t, char *buf, size_t size)
{
	t->buf = buf;
	t->size = size;
	t->len = 0;
	t->cut = 0;
	buf[0] = '\0';
}

/* Cuts the text at `end` (< size), moved back to the start of a character that would
 * be incomplete there. */
static void text_cut(struct text *t, size_t end)
{
	size_t i = end, need;
	unsigned char lead;

	while (i > t->len && ((unsigned char)t->buf[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > t->len) {
		lead = (unsigned char)t->buf[i - 1];
		need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
		if (i - 1 + need > end)
			end = i - 1;
	}
	t->buf[end] = '\0';
	t->len = end;
	t->cut = 1;
}

__attribute__((format(printf, 2, 3)))
static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->cut)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		t->buf[t->len] = '\0';
		t->cut = 1;
	} else if ((size_t)n >= t->size - t->len) {
		text_cut(t, t->size - 1);
	} else {
		t->len += (size_t)n;
	}
}

static int text_done(const struct text *t)
{
	return t->cut ? -1 : 0;
}

/* ---- amounts ---- */

int cal_amount_parse(const char *s, size_t len, int64_t *hundredths)
{
	int64_t whole = 0, frac = 0;
	size_t i = 0, nint = 0, nfrac = 0;

	if (s == NULL)
		return -1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nint++) {
		whole = whole * 10 + (s[i] - '0');
		if (whole > CAL_AMOUNT_MAX / 100)
			return -1;
	}
	if (nint == 0)
		return -1;
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nfrac++) {
			if (nfrac == 2)
				return -1;
			frac = frac * 10 + (s[i] - '0');
		}
		if (nfrac == 0)
			return -1;
		if (nfrac == 1)
			frac *= 10;
	}
	if (i != len)
		return -1;
	*hundredths = whole * 100 + frac;
	return 0;
}

void cal_amount_format(int64_t hundredths, enum cal_lang lang, char *buf, size_t size)
{
	char sep = lang == CAL_LANG_EN ? '.' : ',';
	int64_t whole = hundredths / 100, frac = hundredths % 100;

	if (size == 0)
		return;
	if (hundredths < 0)
		snprintf(buf, size, "?");
	else if (frac == 0)
		snprintf(buf, size, "%lld", (long long)whole);
	else if (frac % 10 == 0)
		snprintf(buf, size, "%lld%c%lld", (long long)whole, sep, (long long)(frac / 10));
	else
		snprintf(buf, size, "%lld%c%02lld", (long long)whole, sep, (long long)frac);
}

static const char *const unit_words_vi[CAL_TIME_UNIT__MAX] = {
	"ngày làm việc", "ngày", "giờ làm việc",
};
static const char *const unit_words_en[CAL_TIME_UNIT__MAX][2] = {
	{ "working day", "working days" }, { "calendar day", "calendar days" },
	{ "working hour", "working hours" },
};

static void add_duration(struct text *t, int64_t hundredths, enum cal_time_unit unit,
    enum cal_lang lang)
{
	char num[32];

	if ((int)unit < 0 || unit >= CAL_TIME_UNIT__MAX)
		return;
	cal_amount_format(hundredths, lang, num, sizeof num);
	if (lang == CAL_LANG_EN)
		add(t, "%s %s", num, unit_words_en[unit][hundredths == 100 ? 0 : 1]);
	else
		add(t, "%s %s", num, unit_words_vi[unit]);
}

int cal_duration_text(int64_t hundredths, enum cal_time_unit unit, enum cal_lang lang,
    char *buf, size_t size)
{
	struct text t;

	if (size == 0)
		return -1;
	text_init(&t, buf, size);
	add_duration(&t, hundredths, unit, lang);
	return text_done(&t);
}

/* ---- labels ---- */

static const char *const start_vi[CAL_START__MAX] = {
	"Tính từ lúc tiếp nhận",
	"Tiếp nhận ngoài giờ làm việc: tính từ đầu buổi làm việc tiếp theo",
	"Tiếp nhận vào ngày nghỉ: tính từ đầu buổi làm việc tiếp theo",
};
static const char *const start_en[CAL_START__MAX] = {
	"Counted from the moment of reception",
	"Received outside working hours: counted from the next working session",
	"Received on a day off: counted from the next working session",
};
static const char *const weekday_vi[7] = {
	"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy",
};
static const char *const weekday_en[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

const char *cal_start_reason_label_vi(enum cal_start_reason r)
{
	return (int)r >= 0 && r < CAL_START__MAX ? start_vi[r] : "";
}

const char *cal_start_reason_label_en(enum cal_start_reason r)
{
	return (int)r >= 0 && r < CAL_START__MAX ? start_en[r] : "";
}

const char *cal_weekday_name(int wday, enum cal_lang lang)
{
	if (wday < 0 || wday > 6)
		return "";
	return lang == CAL_LANG_EN ? weekday_en[wday] : weekday_vi[wday];
}

/* ---- dates and instants ---- */

static int weekday_of_day(int64_t day)
{
	int64_t r = (day + 4) % 7;         /* 1970-01-01 was a Thursday */

	return (int)(r < 0 ? r + 7 : r);
}

static void add_date(struct text *t, int64_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	add(t, "%02d/%02d/%04d", d, m, y);
}

/* "10:00 thứ Sáu, ngày 24/01/2025" / "10:00 on Friday 24/01/2025". */
static void add_instant(struct text *t, mc_time at, enum cal_lang lang)
{
	struct civil c;

	time_to_local(at, &c);
	add(t, "%02d:%02d", c.hour, c.min);
	if (c.sec != 0)
		add(t, ":%02d", c.sec);
	if (lang == CAL_LANG_EN)
		add(t, " on %s %02d/%02d/%04d", weekday_en[c.wday], c.day, c.month, c.year);
	else
		add(t, " %s, ngày %02d/%02d/%04d", weekday_vi[c.wday], c.day, c.month, c.year);
}

/* "05/01/2026 17:00", as the history notes write times. */
static void add_short_instant(struct text *t, mc_time at)
{
	struct civil c;

	time_to_local(at, &c);
	add(t, "%02d/%02d/%04d %02d:%02d", c.day, c.month, c.year, c.hour, c.min);
}

/* "7 giờ 30 phút" / "7 h 30 min". */
static void add_span(struct text *t, int64_t secs, enum cal_lang lang)
{
	long long h = (long long)(secs / 3600);
	int min = (int)(secs % 3600 / 60);

	add(t, lang == CAL_LANG_EN ? "%lld h" : "%lld giờ", h);
	if (min != 0)
		add(t, lang == CAL_LANG_EN ? " %d min" : " %d phút", min);
}

/* ---- explanation ---- */

static const char *day_label(const struct cal_explain_day *d, enum cal_lang lang)
{
	if (d->name[0] != '\0')
		return d->name;
	if (d->kind == CAL_DAY_MAKEUP_WORKDAY)
		return lang == CAL_LANG_EN ? "make-up working day" : "ngày làm bù";
	if (d->kind == CAL_DAY_HOLIDAY)
		return lang == CAL_LANG_EN ? "public holiday" : "ngày nghỉ lễ";
	return lang == CAL_LANG_EN ? "weekly day off" : "nghỉ hằng tuần";
}

static const struct cal_explain_day *listed_day(const struct cal_explain *ex, int64_t day)
{
	for (size_t i = 0; i < ex->ndays; i++)
		if (ex->days[i].day == day)
			return &ex->days[i];
	return NULL;
}

/* Why a day the explanation names was off: its name, or "weekly day off". */
static const char *off_reason(const struct cal_explain *ex, int64_t day, enum cal_lang lang)
{
	const struct cal_explain_day *d = listed_day(ex, day);

	if (d != NULL)
		return day_label(d, lang);
	return lang == CAL_LANG_EN ? "weekly day off" : "nghỉ hằng tuần";
}

static int same_run(const struct cal_explain_day *a, const struct cal_explain_day *b)
{
	return b->day == a->day + 1 && b->kind == a->kind && strcmp(a->name, b->name) == 0;
}

/* More weekend days than this are summed up in one item instead of listed. */
#define WEEKENDS_LISTED_MAX 6

/*
 * Appends the listed days that are (makeup = 1) or are not (makeup = 0) make-up days,
 * runs of the same kind and name grouped; a long stretch of weekends is summed up
 * ("40 ngày nghỉ hằng tuần") so the holidays stay readable.
 */
static void add_day_list(struct text *t, const struct cal_explain *ex, int makeup,
    enum cal_lang lang)
{
	size_t i = 0, items = 0, weekends = 0;
	int sum_weekends;

	for (i = 0; i < ex->ndays; i++)
		weekends += ex->days[i].kind == CAL_DAY_WEEKEND;
	sum_weekends = !makeup && weekends > WEEKENDS_LISTED_MAX;
	i = 0;
	while (i < ex->ndays) {
		const struct cal_explain_day *first = &ex->days[i];
		size_t j = i + 1;

		if ((first->kind == CAL_DAY_MAKEUP_WORKDAY) != makeup ||
		    (sum_weekends && first->kind == CAL_DAY_WEEKEND)) {
			i++;
			continue;
		}
		while (j < ex->ndays && same_run(&ex->days[j - 1], &ex->days[j]))
			j++;
		add(t, "%s", items++ ? "; " : "");
		if (j - i == 1) {
			add(t, "%s ", cal_weekday_name(weekday_of_day(first->day), lang));
			add_date(t, first->day);
			add(t, " (%s)", day_label(first, lang));
		} else {
			add_date(t, first->day);
			add(t, "–");
			add_date(t, ex->days[j - 1].day);
			add(t, lang == CAL_LANG_EN ? " (%s, %zu days)" : " (%s, %zu ngày)",
			    day_label(first, lang), j - i);
		}
		i = j;
	}
	if (sum_weekends)
		add(t, lang == CAL_LANG_EN ? "%s%zu weekly days off" : "%s%zu ngày nghỉ hằng tuần",
		    items ? "; " : "", weekends);
}

static size_t count_kind(const struct cal_explain *ex, int makeup)
{
	size_t n = 0;

	for (size_t i = 0; i < ex->ndays; i++)
		if ((ex->days[i].kind == CAL_DAY_MAKEUP_WORKDAY) == makeup)
			n++;
	return n;
}

static void add_start(struct text *t, const struct cal_explain *ex, enum cal_lang lang)
{
	int en = lang == CAL_LANG_EN;

	add(t, en ? "The dossier was received at " : "Hồ sơ được tiếp nhận lúc ");
	add_instant(t, ex->received, lang);
	switch (ex->start_reason) {
	case CAL_START_AT_RECEPTION:
		add(t, en ? ", during working hours, so the time counts from that moment." :
		    ", trong giờ làm việc, nên thời hạn được tính ngay từ lúc tiếp nhận.");
		return;
	case CAL_START_OUTSIDE_HOURS:
		add(t, en ? ", outside working hours, so the time counts from the start of the next "
		    "working session, " : ", ngoài giờ làm việc, nên thời hạn được tính từ đầu buổi "
		    "làm việc tiếp theo, lúc ");
		break;
	default:
		add(t, en ? ", a day off (%s), so the time counts from the start of the next "
		    "working session, " : ", là ngày nghỉ (%s), nên thời hạn được tính từ đầu buổi "
		    "làm việc tiếp theo, lúc ", off_reason(ex, local_day_number(ex->received), lang));
		break;
	}
	add_instant(t, ex->start, lang);
	add(t, ".");
}

static void add_amount(struct text *t, int64_t amount, enum cal_time_unit unit,
    enum cal_lang lang)
{
	int en = lang == CAL_LANG_EN;
	char hours[32];

	add(t, en ? " The processing time is " : " Thời hạn giải quyết là ");
	add_duration(t, amount, unit, lang);
	switch (unit) {
	case CAL_WORKING_DAYS:
		cal_amount_format(amount * (CAL_WORKING_DAY_SECONDS / 3600), lang, hours, sizeof hours);
		add(t, en ? ", that is %s working hours (8 per working day); only time within working "
		    "hours counts." : ", tức %s giờ làm việc (mỗi ngày làm việc tính 8 giờ); chỉ tính "
		    "thời gian trong giờ làm việc.", hours);
		break;
	case CAL_HOURS:
		add(t, en ? "; only time within working hours counts." :
		    "; chỉ tính thời gian trong giờ làm việc.");
		break;
	default:
		add(t, en ? ", counted on the calendar, days off included." :
		    ", tính theo ngày lịch, kể cả ngày nghỉ.");
		break;
	}
}

static void add_pauses(struct text *t, const struct cal_explain *ex, enum cal_time_unit unit,
    enum cal_lang lang)
{
	int en = lang == CAL_LANG_EN;

	if (ex->paused_seconds <= 0)
		return;
	add(t, en ? " Time while the dossier was paused (awaiting a supplement or a payment, or "
	    "suspended) does not count: the due date moves by " : " Thời gian hồ sơ tạm dừng (chờ "
	    "bổ sung, chờ thực hiện nghĩa vụ tài chính, tạm dừng xử lý) không được tính: hạn lùi thêm ");
	add_span(t, ex->paused_seconds, lang);
	if (unit != CAL_CALENDAR_DAYS)
		add(t, en ? " of working time" : " làm việc");
	add(t, ".");
}

/* Calendar days: where N days after the start lands, and whether it moved off a day off. */
static void add_calendar_due(struct text *t, const struct cal_explain *ex, int64_t amount,
    enum cal_lang lang)
{
	int en = lang == CAL_LANG_EN;
	mc_time nominal = ex->start + amount * (SECS_PER_DAY / 100) + ex->paused_seconds;

	add(t, en ? " Counted from " : " Tính từ ");
	add_instant(t, ex->start, lang);
	add(t, en ? ", the time runs out at " : ", thời hạn hết vào ");
	add_instant(t, nominal, lang);
	add(t, ".");
	if (nominal != ex->due)
		add(t, en ? " That is a day off (%s), so the due date moves to the end of the next "
		    "working day." : " Đó là ngày nghỉ (%s) nên hạn được chuyển đến cuối ngày làm "
		    "việc tiếp theo.", off_reason(ex, local_day_number(nominal), lang));
}

static void add_days(struct text *t, const struct cal_explain *ex, enum cal_time_unit unit,
    enum cal_lang lang)
{
	int en = lang == CAL_LANG_EN;
	size_t off = count_kind(ex, 0), makeup = count_kind(ex, 1);

	if (off > 0) {
		if (unit == CAL_CALENDAR_DAYS)
			add(t, en ? " Days off involved: " : " Các ngày nghỉ liên quan: ");
		else if (en)
			add(t, " %zu day%s off %s not counted: ", off, off == 1 ? "" : "s",
			    off == 1 ? "is" : "are");
		else
			add(t, " Không tính %zu ngày nghỉ: ", off);
		add_day_list(t, ex, 0, lang);
		add(t, ".");
	}
	if (makeup > 0) {
		if (en)
			add(t, " %zu make-up working day%s counted: ", makeup, makeup == 1 ? " is" : "s are");
		else
			add(t, " Có tính %zu ngày làm bù: ", makeup);
		add_day_list(t, ex, 1, lang);
		add(t, ".");
	}
	if (ex->total > ex->ndays)
		add(t, en ? " (%zu more days not listed.)" : " (Còn %zu ngày khác không liệt kê.)",
		    ex->total - ex->ndays);
}

int cal_explain_text(const struct cal_explain *ex, int64_t amount, enum cal_time_unit unit,
    enum cal_lang lang, char *buf, size_t size)
{
	struct text t;

	if (size == 0)
		return -1;
	text_init(&t, buf, size);
	if (ex == NULL || (int)unit < 0 || unit >= CAL_TIME_UNIT__MAX)
		return -1;
	add_start(&t, ex, lang);
	add_amount(&t, amount, unit, lang);
	add_pauses(&t, ex, unit, lang);
	if (unit == CAL_CALENDAR_DAYS)
		add_calendar_due(&t, ex, amount, lang);
	add_days(&t, ex, unit, lang);
	add(&t, lang == CAL_LANG_EN ? " The due date is therefore " : " Vì vậy, hạn giải quyết là ");
	add_instant(&t, ex->due, lang);
	add(&t, ".");
	return text_done(&t);
}

/* ---- changes ---- */

int cal_change_reason(enum cal_change c, int64_t day, enum cal_day_kind kind,
    const char *name, char *buf, size_t size)
{
	const char *what = kind == CAL_DAY_MAKEUP_WORKDAY ? "ngày làm bù" : "ngày nghỉ";
	struct text t;

	if (size == 0)
		return -1;
	text_init(&t, buf, size);
	switch (c) {
	case CAL_CHANGE_ADD:
		add(&t, "thêm %s ", what);
		add_date(&t, day);
		break;
	case CAL_CHANGE_KIND:
		add(&t, "đổi ngày ");
		add_date(&t, day);
		add(&t, " thành %s", what);
		break;
	case CAL_CHANGE_REMOVE:
		add(&t, "bỏ %s ", what);
		add_date(&t, day);
		break;
	default:
		return -1;
	}
	if (name != NULL && name[0] != '\0')
		add(&t, " %s", name);
	return text_done(&t);
}

int cal_recalc_note(const char *reasons, mc_time old_due, mc_time new_due, char *buf,
    size_t size)
{
	struct text t;

	if (size == 0)
		return -1;
	text_init(&t, buf, size);
	add(&t, "Lịch làm việc thay đổi (%s): hạn giải quyết ", reasons ? reasons : "");
	if (old_due != 0)
		add_short_instant(&t, old_due);
	else
		add(&t, "chưa có");
	add(&t, " → ");
	add_short_instant(&t, new_due);
	return text_done(&t);
}
