#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "textbuf.h"
#include "notify.h"
#include "warnings.h"
#include "workflow.h"

static const char *const kind_codes[WARN__MAX] = {
	[WARN_DUE_SOON] = "due_soon",
	[WARN_OVERDUE] = "overdue",
	[WARN_STUCK] = "stuck",
	[WARN_RESOLVED_NOT_RETURNED] = "resolved_not_returned",
	[WARN_SUPPLEMENT_OVERDUE] = "supplement_overdue",
	[WARN_FEEDBACK_DUE] = "feedback_due",
	[WARN_UNUSED_ACCOUNTS] = "unused_accounts",
};

static const char *const kind_vi[WARN__MAX] = {
	[WARN_DUE_SOON] = "Sắp đến hạn (trong một ngày làm việc)",
	[WARN_OVERDUE] = "Quá hạn",
	[WARN_STUCK] = "Hồ sơ treo (lâu không xử lý)",
	[WARN_RESOLVED_NOT_RETURNED] = "Có kết quả nhưng chưa trả",
	[WARN_SUPPLEMENT_OVERDUE] = "Chờ bổ sung quá hạn",
	[WARN_FEEDBACK_DUE] = "Phản ánh, kiến nghị sắp đến hạn hoặc quá hạn",
	[WARN_UNUSED_ACCOUNTS] = "Tài khoản lâu không sử dụng",
};

static const char *const kind_en[WARN__MAX] = {
	[WARN_DUE_SOON] = "Due within one working day",
	[WARN_OVERDUE] = "Overdue",
	[WARN_STUCK] = "Stuck (no action for a long time)",
	[WARN_RESOLVED_NOT_RETURNED] = "Resolved, not returned",
	[WARN_SUPPLEMENT_OVERDUE] = "Supplement overdue",
	[WARN_FEEDBACK_DUE] = "Feedback due soon or overdue",
	[WARN_UNUSED_ACCOUNTS] = "Accounts unused for a long time",
};

const enum warning_kind warning_kind_order[WARN__MAX] = {
	WARN_OVERDUE, WARN_DUE_SOON, WARN_SUPPLEMENT_OVERDUE, WARN_STUCK,
	WARN_RESOLVED_NOT_RETURNED, WARN_FEEDBACK_DUE, WARN_UNUSED_ACCOUNTS,
};

const char *warning_kind_code(enum warning_kind k)
{
	return (unsigned)k < WARN__MAX ? kind_codes[k] : NULL;
}

const char *warning_kind_label_vi(enum warning_kind k)
{
	return (unsigned)k < WARN__MAX ? kind_vi[k] : NULL;
}

const char *warning_kind_label_en(enum warning_kind k)
{
	return (unsigned)k < WARN__MAX ? kind_en[k] : NULL;
}

int warning_kind_from_code(const char *code, size_t len)
{
	for (int k = 0; code && k < WARN__MAX; k++)
		if (strlen(kind_codes[k]) == len && memcmp(code, kind_codes[k], len) == 0)
			return k;
	return -1;
}

/* ---------------------------------------------------------------- cut-offs */

/* Calendars may have long runs without sessions (Tết, a week of holidays); the search
 * starts with this many days per working day and widens until it covers the amount. */
#define SEARCH_DAYS_PER_WORKING_DAY 7
#define SEARCH_EXTRA_DAYS 60
#define SEARCH_MAX_DAYS (40 * 366)

enum cal_err warnings_working_days_before(const struct calendar *cal, mc_time now, int days,
                                          mc_time *out)
{
	int64_t want, span, w;
	mc_time good, bad;

	if (days < 1 || days > 36600 || now < CAL_TIME_MIN || now > CAL_TIME_MAX)
		return CAL_ERR_INVALID;
	want = (int64_t)days * CAL_WORKING_DAY_SECONDS;
	span = ((int64_t)days * SEARCH_DAYS_PER_WORKING_DAY + SEARCH_EXTRA_DAYS) * 86400;
	for (;;) {
		good = now - span < CAL_TIME_MIN ? CAL_TIME_MIN : now - span;
		if ((w = calendar_working_seconds_between(cal, good, now)) < 0)
			return CAL_ERR_RANGE;
		if (w >= want)
			break;
		if (good == CAL_TIME_MIN || span >= (int64_t)SEARCH_MAX_DAYS * 86400)
			return CAL_ERR_NO_WORKING_TIME;
		span *= 2;
	}
	/* working time in [t, now] shrinks as t grows: the last t that still has enough */
	bad = now;
	while (bad - good > 1) {
		mc_time mid = good + (bad - good) / 2;
		if (calendar_working_seconds_between(cal, mid, now) >= want)
			good = mid;
		else
			bad = mid;
	}
	*out = good;
	return CAL_OK;
}

static mc_time before_or_zero(const struct calendar *cal, mc_time now, int days, enum cal_err *err)
{
	mc_time t = 0;
	enum cal_err e = warnings_working_days_before(cal, now, days, &t);

	if (e == CAL_ERR_INVALID || e == CAL_ERR_RANGE)
		*err = e;
	return e == CAL_OK ? t : 0;
}

enum cal_err warnings_cutoffs(const struct calendar *cal, const struct warning_thresholds *th,
                              mc_time now, struct warning_cutoffs *out)
{
	struct warning_cutoffs c;
	enum cal_err err = CAL_OK;

	memset(&c, 0, sizeof c);
	c.now = now;
	if ((err = calendar_add_working_seconds(cal, now, CAL_WORKING_DAY_SECONDS, &c.due_soon_until)) != CAL_OK)
		return err;
	c.feedback_until = c.due_soon_until;
	c.stuck_at_or_before = before_or_zero(cal, now, th->stuck_working_days, &err);
	c.unreturned_at_or_before = before_or_zero(cal, now, th->unreturned_working_days, &err);
	c.supplement_at_or_before = before_or_zero(cal, now, th->supplement_working_days, &err);
	if (err != CAL_OK || th->unused_days < 1)
		return err != CAL_OK ? err : CAL_ERR_INVALID;
	*out = c;
	return CAL_OK;
}

/* ---------------------------------------------------------------- classification */

unsigned warnings_classify_dossier(const struct warning_cutoffs *c, const struct warning_dossier *d)
{
	unsigned k = 0;
	int running = d->state == STATE_PROCESSING;
	int paused = dossier_state_is_paused(d->state);

	if (running && d->due_at && d->due_at < c->now)
		k |= WARN_BIT(WARN_OVERDUE);
	else if (running && d->due_at && d->due_at <= c->due_soon_until)
		k |= WARN_BIT(WARN_DUE_SOON);
	/* a pause that began after the due time does not make the dossier less late */
	if (paused && d->due_at && d->due_at < c->now && d->paused_at && d->paused_at >= d->due_at)
		k |= WARN_BIT(WARN_OVERDUE);
	if ((running || d->state == STATE_SUBMITTED) && d->last_event_at && c->stuck_at_or_before &&
	    d->last_event_at <= c->stuck_at_or_before)
		k |= WARN_BIT(WARN_STUCK);
	if (d->state == STATE_AWAITING_SUPPLEMENT && d->supplement_requested_at &&
	    c->supplement_at_or_before && d->supplement_requested_at <= c->supplement_at_or_before)
		k |= WARN_BIT(WARN_SUPPLEMENT_OVERDUE);
	if (d->state == STATE_RESOLVED && d->finished_at && c->unreturned_at_or_before &&
	    d->finished_at <= c->unreturned_at_or_before)
		k |= WARN_BIT(WARN_RESOLVED_NOT_RETURNED);
	return k;
}

int warnings_feedback_due(const struct warning_cutoffs *c, mc_time due_at, int answered)
{
	return !answered && due_at != 0 && due_at <= c->feedback_until;
}

void warnings_audience_of_roles(unsigned roles, struct warning_audience *out)
{
	out->held_only = !(roles & (ROLE_BIT(ROLE_MONITOR) | ROLE_BIT(ROLE_ADMIN)));
	out->accounts = (roles & ROLE_BIT(ROLE_ADMIN)) != 0;
}

enum warning_digest_decision warnings_digest_decide(const struct calendar *cal, mc_time now,
                                                    int hour, int64_t done_day)
{
	struct civil c;
	int64_t today = local_day_number(now);

	time_to_local(now, &c);
	if (today == done_day || c.hour < hour)
		return WDIG_WAIT;
	return calendar_is_working_day(cal, today) ? WDIG_RUN : WDIG_DAY_OFF;
}

void warnings_link(enum warning_kind k, const char *code, int unused_days, char *out, size_t outsz)
{
	if (k == WARN_UNUSED_ACCOUNTS)
		snprintf(out, outsz, "/can-bo/tai-khoan.html?unused_days=%d", unused_days);
	else if (k == WARN_FEEDBACK_DUE)
		snprintf(out, outsz, "/can-bo/phan-anh.html?code=%s", code ? code : "");
	else
		snprintf(out, outsz, "/can-bo/ho-so.html?code=%s", code ? code : "");
}

long long warnings_total(const long long counts[WARN__MAX])
{
	long long n = 0;

	for (int k = 0; k < WARN__MAX; k++)
		n += counts[k];
	return n;
}

/* ---------------------------------------------------------------- the digest */


static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* What the `since` instant of an item is. */
static const char *since_label(enum warning_kind k)
{
	switch (k) {
	case WARN_STUCK: return "Lần xử lý cuối";
	case WARN_RESOLVED_NOT_RETURNED: return "Có kết quả từ";
	case WARN_SUPPLEMENT_OVERDUE: return "Yêu cầu bổ sung từ";
	case WARN_UNUSED_ACCOUNTS: return "Lần sử dụng cuối";
	default: return "Từ";
	}
}

int warnings_digest_compose(const struct warning_digest *d, char *subject, size_t subjectsz,
                            char *body, size_t bodysz)
{
	struct textbuf s = { subject, subjectsz, 0, 0 }, b = { body, bodysz, 0, 0 };
	long long total = warnings_total(d->counts);
	int y, m, dd;
	size_t shown = d->nitems < WARN_DIGEST_MAX_ITEMS ? d->nitems : WARN_DIGEST_MAX_ITEMS;

	if (subjectsz == 0 || bodysz == 0)
		return -1;
	subject[0] = body[0] = '\0';
	civil_from_days(d->day, &y, &m, &dd);
	textbuf_add(&s, "Cảnh báo ngày %02d/%02d/%04d: %lld việc cần chú ý", dd, m, y, total);
	textbuf_add(&b, "Kính gửi %s,\n\n", or_empty(d->officer_name));
	textbuf_add(&b, "Hệ thống một cửa điện tử tổng hợp các việc cần chú ý trong phạm vi của bạn "
	        "ngày %02d/%02d/%04d:\n\n", dd, m, y);
	for (int i = 0; i < WARN__MAX; i++) {
		enum warning_kind k = warning_kind_order[i];
		if (d->counts[k] > 0)
			textbuf_add(&b, "- %s: %lld\n", kind_vi[k], d->counts[k]);
	}
	if (shown > 0)
		textbuf_add(&b, "\nCần xử lý trước:\n");
	for (size_t i = 0; i < shown; i++) {
		const struct warning_digest_item *it = &d->items[i];
		char when[20];

		textbuf_add(&b, "\n* [%s] %s%s%s", (unsigned)it->kind < WARN__MAX ? kind_vi[it->kind] : "",
		    it->code ? it->code : "", it->code ? " — " : "", or_empty(it->title));
		if (it->unit_name && *it->unit_name)
			textbuf_add(&b, " (%s)", it->unit_name);
		textbuf_add(&b, "\n");
		if (it->due_at) {
			notify_format_time(it->due_at, when, sizeof when);
			textbuf_add(&b, "  Hạn: %s\n", when);
		} else if (it->since) {
			notify_format_time(it->since, when, sizeof when);
			textbuf_add(&b, "  %s: %s\n", since_label(it->kind), when);
		}
		if (it->link && *it->link)
			textbuf_add(&b, "  %s\n", it->link);
	}
	if ((long long)shown < total)
		textbuf_add(&b, "\n... và %lld việc khác.\n", total - (long long)shown);
	if (d->inbox_link && *d->inbox_link)
		textbuf_add(&b, "\nXem đầy đủ: %s\n", d->inbox_link);
	textbuf_add(&b, "\nThư này được gửi tự động mỗi ngày làm việc; vui lòng không trả lời.\n");
	textbuf_add(&b, "\n--\nDaily warnings digest: %lld items need attention in your units "
	        "(%04d-%02d-%02d). Open the inbox for the full list.\n", total, y, m, dd);
	return s.overflow || b.overflow ? -1 : 0;
}
