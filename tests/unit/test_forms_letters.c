/*
 * Tests for forms/forms: the letters to the applicant (Mẫu số 02 supplement request,
 * 03 refusal, 04 apology) and the dossier register (Mẫu số 06, A4 landscape).
 *
 * As in test_forms.c, the PDFs are read back by poppler (pdftotext, pdfinfo), not by
 * libharu; the QR code is decoded with zbarimg when it is installed. With
 * MOTCUA_FORMS_OUT set to a directory the samples are written there to look at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "domain/timeutil.h"
#include "forms/forms.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* 2025-03-04 08:30 and 2025-03-07 16:45 in Vietnam (UTC+7). */
#define RECEIVED_AT ((int64_t)1741051800)
#define DUE_AT      ((int64_t)1741340700)
#define URL "https://dichvucong.example.gov.vn/tra-cuu.html?code=000.00.20.H12-250304-0001"
#define UNIT "Ủy ban nhân dân phường Bến Thành"
#define CODE "000.00.20.H12-250304-0001"

struct pdf {
	unsigned char *bytes;
	size_t len;
	char path[64];
};

static void
pdf_keep(struct pdf *p, const char *name)
{
	const char *dir = getenv("MOTCUA_FORMS_OUT");
	char path[512];
	FILE *f;
	int fd;

	assert_true(p->len > 1000);
	assert_memory_equal(p->bytes, "%PDF-", 5);
	strcpy(p->path, "/tmp/test_letters_XXXXXX.pdf");
	fd = mkstemps(p->path, 4);
	assert_true(fd >= 0);
	assert_non_null(f = fdopen(fd, "wb"));
	assert_int_equal(fwrite(p->bytes, 1, p->len, f), p->len);
	assert_int_equal(fclose(f), 0);
	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(p->bytes, 1, p->len, f), p->len);
	assert_int_equal(fclose(f), 0);
}

static void
pdf_free(struct pdf *p)
{
	if (p->path[0] != '\0')
		unlink(p->path);
	free(p->bytes);
	memset(p, 0, sizeof(*p));
}

/* The whole standard output of a shell command, malloc'd and NUL-terminated. */
static char *
run(const char *fmt, ...)
{
	char cmd[512], *out = NULL;
	size_t len = 0, cap = 0, n;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_non_null(f = popen(cmd, "r"));
	do {
		if (cap - len < 4096) {
			cap = cap * 2 + 8192;
			assert_non_null(out = realloc(out, cap));
		}
		n = fread(out + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	out[len] = '\0';
	if (pclose(f) != 0)
		fail_msg("command failed: %s", cmd);
	return out;
}

/* pdftotext of pages first..last (0: all), its lines joined by spaces. */
static char *
pdf_text_pages(const struct pdf *p, int first, int last)
{
	char *s, *c;

	if (first > 0)
		s = run("pdftotext -enc UTF-8 -f %d -l %d %s - 2>/dev/null", first, last, p->path);
	else
		s = run("pdftotext -enc UTF-8 %s - 2>/dev/null", p->path);
	for (c = s; *c != '\0'; c++)
		if (*c == '\n' || *c == '\f')
			*c = ' ';
	return s;
}

static char *
pdf_text(const struct pdf *p)
{
	return pdf_text_pages(p, 0, 0);
}

static void
assert_has(const char *text, const char *want)
{
	if (text == NULL || strstr(text, want) == NULL)
		fail_msg("\"%s\" not found in the PDF's text:\n%s", want, text ? text : "");
}

/* The national header and the form's number, on every letter. */
static void
assert_header(const char *text, const char *form_no)
{
	assert_has(text, form_no);
	assert_has(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	assert_has(text, "Độc lập - Tự do - Hạnh phúc");
	assert_has(text, "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH");
}

static void
assert_qr(const struct pdf *p, const char *want)
{
	char *out;

	if (system("command -v zbarimg >/dev/null 2>&1") != 0) {
		print_message("zbarimg missing: the QR code is not decoded\n");
		return;
	}
	out = run("pdftoppm -r 150 -png -f 1 -l 1 -singlefile %s %s.img 2>/dev/null && "
	    "zbarimg -q --raw %s.img.png 2>/dev/null; rm -f %s.img.png", p->path, p->path,
	    p->path, p->path);
	assert_has(out, want);
	free(out);
}

static const char *const items[] = {
	"Bản sao Giấy chứng nhận kết hôn của cha, mẹ trẻ em có chứng thực",
	"Tờ khai đăng ký khai sinh có chữ ký của người đi đăng ký",
	"Văn bản ủy quyền được chứng thực (trường hợp ủy quyền đăng ký khai sinh)",
};

static struct supplement_form_data
sample_supplement(void)
{
	struct supplement_form_data d = {
		.unit_name = UNIT, .dossier_code = CODE, .applicant_name = "Nguyễn Thị Hồng Nhung",
		.procedure_name = "Đăng ký khai sinh", .items = items, .nitems = NELEMS(items),
		.note = "Nộp bổ sung trực tiếp tại Bộ phận một cửa", .officer_name = "Trần Văn Đức",
		.tracking_url = URL, .received_at = RECEIVED_AT, .requested_at = RECEIVED_AT + 86400,
	};

	return d;
}

static void
test_supplement_lists_every_item(void **state)
{
	struct supplement_form_data d = sample_supplement();
	struct pdf p = { 0 };
	char err[128] = "", *text;

	(void)state;
	if (form_supplement_pdf(&d, NULL, &p.bytes, &p.len, err, sizeof(err)) != 0)
		fail_msg("supplement: %s", err);
	pdf_keep(&p, "supplement-request.pdf");
	text = pdf_text(&p);
	assert_header(text, "Mẫu số 02");
	assert_has(text, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ");
	assert_has(text, "Mã hồ sơ: " CODE);
	assert_has(text, "1. Bản sao Giấy chứng nhận kết hôn");
	assert_has(text, "2. Tờ khai đăng ký khai sinh có chữ ký");
	assert_has(text, "3. Văn bản ủy quyền được chứng thực");
	assert_has(text, "Nộp bổ sung trực tiếp tại Bộ phận một cửa");
	assert_has(text, "Ngày 05/03/2025");              /* the day it was asked */
	assert_has(text, "08 giờ 30 phút, ngày 04/03/2025");   /* received */
	assert_has(text, "Trần Văn Đức");
	assert_qr(&p, URL);
	free(text);
	pdf_free(&p);
}

static void
test_letters_refuse_bad_data(void **state)
{
	struct supplement_form_data s = sample_supplement();
	struct refusal_form_data r = {
		.unit_name = UNIT, .dossier_code = CODE, .applicant_name = "Lê Văn Bình",
		.procedure_name = "Đăng ký khai sinh", .reason = "",
		.received_at = RECEIVED_AT, .refused_at = RECEIVED_AT,
	};
	unsigned char *pdf = NULL;
	size_t len = 0;
	char err[128] = "";

	(void)state;
	s.nitems = 0;
	assert_int_equal(form_supplement_pdf(&s, NULL, &pdf, &len, err, sizeof(err)), -1);
	assert_null(pdf);
	assert_non_null(strstr(err, "no items"));
	s = sample_supplement();
	s.items = (const char *const[]){ "Tờ khai", "" };
	s.nitems = 2;
	assert_int_equal(form_supplement_pdf(&s, NULL, &pdf, &len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "item"));
	assert_int_equal(form_refusal_pdf(&r, NULL, &pdf, &len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "reason"));
	assert_int_equal(len, 0);
}

static void
test_refusal_prints_the_reason(void **state)
{
	struct refusal_form_data d = {
		.unit_name = UNIT, .dossier_code = CODE, .applicant_name = "Lê Văn Bình",
		.procedure_name = "Đăng ký khai sinh",
		.reason = "Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường",
		.officer_name = "Phạm Quốc Bảo", .tracking_url = URL, .not_accepted = 1,
		.received_at = RECEIVED_AT, .refused_at = RECEIVED_AT + 3600,
	};
	struct pdf p = { 0 };
	char err[128] = "", *text;

	(void)state;
	if (form_refusal_pdf(&d, NULL, &p.bytes, &p.len, err, sizeof(err)) != 0)
		fail_msg("refusal: %s", err);
	pdf_keep(&p, "refusal.pdf");
	text = pdf_text(&p);
	assert_header(text, "Mẫu số 03");
	assert_has(text, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ");
	assert_has(text, "thông báo không tiếp nhận hồ sơ này");
	assert_has(text, "Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường");
	assert_has(text, "NGƯỜI TIẾP NHẬN HỒ SƠ");
	assert_has(text, "Phạm Quốc Bảo");
	assert_qr(&p, URL);
	free(text);
	pdf_free(&p);
}

static void
test_apology_prints_both_dates(void **state)
{
	struct apology_form_data d = {
		.unit_name = UNIT, .dossier_code = CODE, .applicant_name = "Lê Văn Bình",
		.procedure_name = "Đăng ký khai sinh", .reason = "Chờ kết quả xác minh",
		.leader_name = "Phạm Quốc Bảo", .tracking_url = URL, .received_at = RECEIVED_AT,
		.due_at = DUE_AT, .new_date = DUE_AT + 5 * 86400, .approved_at = DUE_AT - 3600,
	};
	struct pdf p = { 0 };
	char err[128] = "", *text;

	(void)state;
	if (form_apology_pdf(&d, NULL, &p.bytes, &p.len, err, sizeof(err)) != 0)
		fail_msg("apology: %s", err);
	pdf_keep(&p, "apology.pdf");
	text = pdf_text(&p);
	assert_header(text, "Mẫu số 04");
	assert_has(text, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ");
	assert_has(text, "Thời gian hẹn trả kết quả giải quyết hồ sơ: ngày 07/03/2025.");
	assert_has(text, "vào ngày 12/03/2025");
	assert_has(text, "Lý do: Chờ kết quả xác minh");
	assert_has(text, "THỦ TRƯỞNG CƠ QUAN");
	assert_qr(&p, URL);
	free(text);
	pdf_free(&p);
}

/* 150 dossiers: several landscape pages, each with the table's header and its number. */
static void
test_register_paginates_landscape(void **state)
{
	enum { N = 150 };
	struct register_entry *rows = calloc(N, sizeof(*rows));
	char (*codes)[32] = calloc(N, sizeof(*codes));
	struct register_data d = {
		.unit_name = UNIT, .from_day = 20148, .to_day = 20178,   /* 2025-03-01..31 */
		.rows = rows, .nrows = N, .printed_at = DUE_AT,
	};
	struct pdf p = { 0 };
	char err[128] = "", *text, *info, want[64];
	int pages, i;

	(void)state;
	assert_non_null(rows);
	assert_non_null(codes);
	for (i = 0; i < N; i++) {
		snprintf(codes[i], sizeof(codes[i]), "000.00.20.H12-2503%02d-%04d", 1 + i % 28, i + 1);
		rows[i] = (struct register_entry){
			.code = codes[i], .procedure_name = i % 3 ? "Đăng ký khai sinh" :
			    "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
			.applicant_name = "Nguyễn Thị Hồng Nhung", .state_text = "Đã trả kết quả",
			.received_at = RECEIVED_AT, .due_at = DUE_AT, .finished_at = i % 2 ? DUE_AT : 0,
			.returned_at = 0,
		};
	}
	if (form_register_pdf(&d, NULL, &p.bytes, &p.len, err, sizeof(err)) != 0)
		fail_msg("register: %s", err);
	pdf_keep(&p, "register.pdf");
	info = run("pdfinfo %s 2>/dev/null", p.path);
	assert_has(info, "Page size:       841.89 x 595.276 pts (A4)");
	pages = atoi(strstr(info, "\nPages:") + 7);
	assert_true(pages >= 3);
	free(info);
	text = pdf_text(&p);
	assert_has(text, "Mẫu số 06");
	assert_has(text, "SỔ THEO DÕI HỒ SƠ");
	assert_has(text, "Từ ngày 01/03/2025 đến ngày 31/03/2025");
	assert_has(text, "Tổng số hồ sơ tiếp nhận: 150");
	assert_has(text, "000.00.20.H12-250310-0150");     /* a code on one line */
	assert_has(text, "04/03/2025");
	free(text);
	for (i = 1; i <= pages; i++) {
		text = pdf_text_pages(&p, i, i);
		assert_has(text, "Tên thủ tục hành chính");
		snprintf(want, sizeof(want), "Trang %d/%d", i, pages);
		assert_has(text, want);
		free(text);
	}
	pdf_free(&p);
	free(rows);
	free(codes);
}

static void
test_register_empty(void **state)
{
	struct register_data d = {
		.unit_name = UNIT, .from_day = 20148, .to_day = 20148, .printed_at = DUE_AT,
	};
	struct pdf p = { 0 };
	char err[128] = "", *text;

	(void)state;
	if (form_register_pdf(&d, NULL, &p.bytes, &p.len, err, sizeof(err)) != 0)
		fail_msg("register: %s", err);
	pdf_keep(&p, "register-empty.pdf");
	text = pdf_text(&p);
	assert_has(text, "Tổng số hồ sơ tiếp nhận: 0");
	assert_has(text, "Từ ngày 01/03/2025 đến ngày 01/03/2025");
	free(text);
	pdf_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_supplement_lists_every_item),
		cmocka_unit_test(test_letters_refuse_bad_data),
		cmocka_unit_test(test_refusal_prints_the_reason),
		cmocka_unit_test(test_apology_prints_both_dates),
		cmocka_unit_test(test_register_paginates_landscape),
		cmocka_unit_test(test_register_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
