#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "textbuf.h"
#include "notify.h"

static const char *const kind_codes[NK__MAX] = {
	[NK_SUBMITTED] = "submitted",
	[NK_ACCEPTED] = "accepted",
	[NK_NOT_ACCEPTED] = "not_accepted",
	[NK_SUPPLEMENT_REQUESTED] = "supplement_requested",
	[NK_PAYMENT_REQUESTED] = "payment_requested",
	[NK_LATE_NEW_DATE] = "late_new_date",
	[NK_RESULT_READY] = "result_ready",
	[NK_REFUSED] = "refused",
	[NK_FEEDBACK_ANSWERED] = "feedback_answered",
	[NK_VERIFY_EMAIL] = "verify_email",
};

const char *notify_kind_code(enum notify_kind k)
{
	return (unsigned)k < NK__MAX ? kind_codes[k] : "";
}

int notify_kind_from_code(const char *s)
{
	for (int k = 0; s && k < NK__MAX; k++)
		if (strcmp(s, kind_codes[k]) == 0)
			return k;
	return -1;
}

const char *notify_channel_code(enum notify_channel c)
{
	return c == NCH_SMS ? "sms" : "email";
}

void notify_format_time(mc_time t, char *buf, size_t bufsz)
{
	struct civil c;

	time_to_local(t, &c);
	snprintf(buf, bufsz, "%02d/%02d/%04d %02d:%02d", c.day, c.month, c.year, c.hour, c.min);
}

int notify_tracking_link(const char *public_url, const char *code, char *out, size_t outsz)
{
	const char *base = public_url && *public_url ? public_url : "http://127.0.0.1:8080";
	size_t blen = strlen(base);
	size_t n = 0;
	int w;

	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	w = snprintf(out, outsz, "%.*s/tra-cuu.html?code=", (int)blen, base);
	if (w < 0 || (size_t)w >= outsz)
		return -1;
	n = (size_t)w;
	/* dossier codes are [0-9A-Za-z.-]; anything else is percent-encoded all the same */
	for (const unsigned char *p = (const unsigned char *)(code ? code : ""); *p; p++) {
		int safe = (*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		           (*p >= 'a' && *p <= 'z') || *p == '.' || *p == '-' || *p == '_';
		if (n + (safe ? 1 : 3) >= outsz)
			return -1;
		if (safe)
			out[n++] = (char)*p;
		else
			n += (size_t)snprintf(out + n, outsz - n, "%%%02X", *p);
	}
	out[n] = '\0';
	return 0;
}

long notify_retry_delay(int attempts)
{
	static const long delays[] = { 60, 300, 1800, 7200, 43200 };

	if (attempts < 1)
		return 0;
	if (attempts >= NOTIFY_MAX_ATTEMPTS)
		return -1;
	return delays[attempts - 1];
}

/* ---------------------------------------------------------------- text building */


static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static int has(const char *s)
{
	return s && *s;
}

/* 1500000 -> "1.500.000" (Vietnamese thousands separator) */
static void format_vnd(long long v, char *out, size_t outsz)
{
	char digits[32];
	size_t n, o = 0;

	snprintf(digits, sizeof digits, "%lld", v < 0 ? 0 : v);
	n = strlen(digits);
	for (size_t i = 0; i < n && o + 2 < outsz; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static void greeting(struct textbuf *b, const struct notify_facts *f)
{
	if (has(f->applicant_name))
		textbuf_add(b, "Kính gửi %s,\n\n", f->applicant_name);
	else
		textbuf_add(b, "Kính gửi Quý ông/bà,\n\n");
}

static void dossier_line(struct textbuf *b, const struct notify_facts *f)
{
	textbuf_add(b, "Hồ sơ số: %s\n", or_empty(f->dossier_code));
	if (has(f->procedure_name))
		textbuf_add(b, "Thủ tục: %s\n", f->procedure_name);
}

static void footer(struct textbuf *b, const struct notify_facts *f, const char *link)
{
	if (has(link))
		textbuf_add(b, "\nTra cứu hồ sơ / Track your dossier: %s\n", link);
	(void)f;
	textbuf_add(b, "\n--\nĐây là thư tự động của hệ thống một cửa điện tử, vui lòng không trả lời thư này.\n"
	       "This is an automatic message from the one-stop shop; please do not reply.\n");
}

static void email(enum notify_kind k, const struct notify_facts *f, const char *link,
                  struct textbuf *s, struct textbuf *b)
{
	const char *code = or_empty(f->dossier_code);
	char at[32] = "", date[32] = "", amount[40];

	if (f->at)
		notify_format_time(f->at, at, sizeof at);
	if (f->date)
		notify_format_time(f->date, date, sizeof date);
	if (k != NK_VERIFY_EMAIL)
		greeting(b, f);
	switch (k) {
	case NK_SUBMITTED:
		textbuf_add(s, "Đã nhận hồ sơ trực tuyến %s", code);
		textbuf_add(b, "Hệ thống đã nhận hồ sơ nộp trực tuyến của Quý ông/bà%s%s. Bộ phận một cửa sẽ kiểm tra "
		       "và thông báo việc tiếp nhận.\n", at[0] ? " lúc " : "", at);
		dossier_line(b, f);
		/* the secret is what lets the applicant see their own data: it is given with the
		 * code, once, as on the receipt */
		if (has(f->text))
			textbuf_add(b, "Mã bí mật tra cứu: %s (giữ kín, không chia sẻ)\n", f->text);
		textbuf_add(b, "\nWe have received your online dossier %s; the desk will check it and tell you "
		       "whether it is accepted.%s%s\n", code, has(f->text) ? " Your secret for tracking: " : "",
		    has(f->text) ? f->text : "");
		break;
	case NK_ACCEPTED:
		textbuf_add(s, "Hồ sơ %s đã được tiếp nhận", code);
		textbuf_add(b, "Hồ sơ của Quý ông/bà đã được tiếp nhận%s%s.\n", at[0] ? " lúc " : "", at);
		dossier_line(b, f);
		if (date[0])
			textbuf_add(b, "Ngày hẹn trả kết quả: %s\n", date);
		textbuf_add(b, "\nYour dossier %s has been accepted.%s%s\n", code,
		    date[0] ? " Result due: " : "", date);
		break;
	case NK_NOT_ACCEPTED:
		textbuf_add(s, "Hồ sơ %s không được tiếp nhận", code);
		textbuf_add(b, "Hồ sơ nộp trực tuyến của Quý ông/bà không được tiếp nhận.\n");
		dossier_line(b, f);
		if (has(f->reason))
			textbuf_add(b, "Lý do: %s\n", f->reason);
		textbuf_add(b, "\nYour online dossier %s was not accepted. The reason is given above.\n", code);
		break;
	case NK_SUPPLEMENT_REQUESTED:
		textbuf_add(s, "Yêu cầu bổ sung, hoàn thiện hồ sơ %s", code);
		textbuf_add(b, "Hồ sơ của Quý ông/bà cần được bổ sung, hoàn thiện các nội dung sau:\n\n");
		for (size_t i = 0; i < f->nitems; i++)
			textbuf_add(b, "  %zu. %s\n", i + 1, or_empty(f->items[i]));
		textbuf_add(b, "\n");
		dossier_line(b, f);
		if (has(f->note))
			textbuf_add(b, "Ghi chú: %s\n", f->note);
		textbuf_add(b, "Thời gian giải quyết tạm dừng cho đến khi hồ sơ được bổ sung đầy đủ.\n");
		textbuf_add(b, "\nYour dossier %s needs the %zu item%s listed above; processing is paused until "
		       "they are supplied.\n", code, f->nitems, f->nitems == 1 ? "" : "s");
		break;
	case NK_PAYMENT_REQUESTED:
		textbuf_add(s, "Đề nghị nộp phí, lệ phí cho hồ sơ %s", code);
		textbuf_add(b, "Hồ sơ của Quý ông/bà cần thực hiện nghĩa vụ tài chính (phí, lệ phí) để tiếp tục giải quyết.\n");
		dossier_line(b, f);
		if (f->amount_vnd >= 0) {
			format_vnd(f->amount_vnd, amount, sizeof amount);
			textbuf_add(b, "Số tiền: %s đồng\n", amount);
		}
		if (has(f->note))
			textbuf_add(b, "Ghi chú: %s\n", f->note);
		textbuf_add(b, "\nYour dossier %s awaits payment of its fees", code);
		if (f->amount_vnd >= 0)
			textbuf_add(b, " (%s VND)", amount);
		textbuf_add(b, "; processing is paused until it is paid.\n");
		break;
	case NK_LATE_NEW_DATE:
		textbuf_add(s, "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %s", code);
		textbuf_add(b, "Cơ quan giải quyết chân thành xin lỗi Quý ông/bà vì hồ sơ chưa được giải quyết đúng hạn.\n");
		dossier_line(b, f);
		if (has(f->reason))
			textbuf_add(b, "Lý do: %s\n", f->reason);
		if (date[0])
			textbuf_add(b, "Ngày hẹn trả kết quả mới: %s\n", date);
		textbuf_add(b, "\nWe apologise: your dossier %s is late.%s%s\n", code,
		    date[0] ? " New return date: " : "", date);
		break;
	case NK_RESULT_READY:
		textbuf_add(s, "Hồ sơ %s đã có kết quả", code);
		textbuf_add(b, "Hồ sơ của Quý ông/bà đã có kết quả giải quyết%s%s.\n", at[0] ? " lúc " : "", at);
		dossier_line(b, f);
		textbuf_add(b, "Quý ông/bà vui lòng nhận kết quả theo hình thức đã đăng ký.\n");
		textbuf_add(b, "\nThe result of your dossier %s is ready; collect it the way you chose.\n", code);
		break;
	case NK_REFUSED:
		textbuf_add(s, "Hồ sơ %s bị từ chối giải quyết", code);
		textbuf_add(b, "Cơ quan có thẩm quyền từ chối giải quyết hồ sơ của Quý ông/bà.\n");
		dossier_line(b, f);
		if (has(f->reason))
			textbuf_add(b, "Lý do: %s\n", f->reason);
		textbuf_add(b, "\nYour dossier %s was refused. The written reason is given above.\n", code);
		break;
	case NK_FEEDBACK_ANSWERED:
		textbuf_add(s, "Phản ánh, kiến nghị %s đã được trả lời", code);
		textbuf_add(b, "Phản ánh, kiến nghị số %s của Quý ông/bà đã được trả lời.\n", code);
		if (has(f->text))
			textbuf_add(b, "\nNội dung trả lời:\n%s\n", f->text);
		textbuf_add(b, "\nYour feedback %s has been answered.\n", code);
		break;
	case NK_VERIFY_EMAIL:
		textbuf_add(s, "Xác nhận địa chỉ thư điện tử");
		textbuf_add(b, "Kính gửi Quý ông/bà,\n\nVui lòng mở đường dẫn sau để xác nhận địa chỉ thư điện tử "
		       "dùng cho cổng dịch vụ công:\n%s\n", or_empty(f->link));
		textbuf_add(b, "Nếu Quý ông/bà không yêu cầu, vui lòng bỏ qua thư này.\n");
		textbuf_add(b, "\nOpen the link above to confirm your e-mail address; if you did not ask for it, "
		       "ignore this message.\n");
		link = NULL;
		break;
	default:
		break;
	}
	footer(b, f, link);
}

static void sms(enum notify_kind k, const struct notify_facts *f, const char *link, struct textbuf *b)
{
	const char *code = or_empty(f->dossier_code);
	char date[32] = "", amount[40];

	if (f->date)
		notify_format_time(f->date, date, sizeof date);
	switch (k) {
	case NK_SUBMITTED:
		textbuf_add(b, "Đã nhận hồ sơ trực tuyến %s, chờ tiếp nhận.", code);
		break;
	case NK_ACCEPTED:
		textbuf_add(b, "Hồ sơ %s đã được tiếp nhận.", code);
		if (date[0])
			textbuf_add(b, " Hẹn trả: %s.", date);
		break;
	case NK_NOT_ACCEPTED:
		textbuf_add(b, "Hồ sơ %s không được tiếp nhận. Lý do: %s.", code, or_empty(f->reason));
		break;
	case NK_SUPPLEMENT_REQUESTED:
		textbuf_add(b, "Hồ sơ %s cần bổ sung %zu nội dung (chi tiết trong thư điện tử hoặc trang tra cứu).",
		    code, f->nitems);
		break;
	case NK_PAYMENT_REQUESTED:
		textbuf_add(b, "Hồ sơ %s chờ nộp phí, lệ phí", code);
		if (f->amount_vnd >= 0) {
			format_vnd(f->amount_vnd, amount, sizeof amount);
			textbuf_add(b, ": %s đồng", amount);
		}
		textbuf_add(b, ".");
		break;
	case NK_LATE_NEW_DATE:
		textbuf_add(b, "Xin lỗi: hồ sơ %s chậm trả kết quả. Hẹn lại: %s.", code, date);
		break;
	case NK_RESULT_READY:
		textbuf_add(b, "Hồ sơ %s đã có kết quả.", code);
		break;
	case NK_REFUSED:
		textbuf_add(b, "Hồ sơ %s bị từ chối giải quyết. Lý do: %s.", code, or_empty(f->reason));
		break;
	case NK_FEEDBACK_ANSWERED:
		textbuf_add(b, "Phản ánh %s đã được trả lời.", code);
		break;
	case NK_VERIFY_EMAIL:
		textbuf_add(b, "Xác nhận thư điện tử: %s", or_empty(f->link));
		link = NULL;
		break;
	default:
		break;
	}
	if (has(link))
		textbuf_add(b, " Tra cứu: %s", link);
}

int notify_compose(enum notify_kind k, enum notify_channel ch, const struct notify_facts *f,
                   char *subject, size_t subjectsz, char *body, size_t bodysz)
{
	struct textbuf s = { subject, subjectsz, 0, 0 }, b = { body, bodysz, 0, 0 };
	char tracking[600] = "";
	const char *link = NULL;

	if (!subjectsz || !bodysz || (unsigned)k >= NK__MAX)
		return -1;
	subject[0] = body[0] = '\0';
	if (has(f->link))
		link = f->link;
	else if (has(f->dossier_code) && notify_tracking_link(f->public_url, f->dossier_code,
	                                                       tracking, sizeof tracking) == 0)
		link = tracking;
	if (ch == NCH_SMS)
		sms(k, f, link, &b);
	else
		email(k, f, link, &s, &b);
	/* a subject is one header line: whatever the inputs held, no line break survives */
	for (char *p = subject; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	return s.overflow || b.overflow ? -1 : 0;
}
