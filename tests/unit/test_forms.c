/*
 * Tests for forms/forms: the receipt (Mẫu 01) and the process-control sheet (Mẫu 02).
 *
 * The PDFs are read back by independent tools rather than by libharu: poppler's
 * pdftotext and pdfinfo (package poppler-utils) must give back the Vietnamese text
 * exactly and the page count, and pdftotext -bbox shows that no word runs past the
 * margins. The QR code is decoded with zbarimg (zbar-tools) from a pdftoppm rendering;
 * that test is skipped when zbarimg is missing.
 *
 * With MOTCUA_FORMS_OUT set to a directory, the sample receipt and control sheet are
 * also written there (receipt.pdf, control-sheet.pdf) to look at.
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
#define PAGE_W 595.276
#define RIGHT_MARGIN 42.5

/* 2025-03-04 08:30 and 2025-03-07 16:45 in Vietnam (UTC+7). */
#define RECEIVED_AT ((int64_t)1741051800)
#define DUE_AT      ((int64_t)1741340700)
#define URL "https://dichvucong.example.gov.vn/tra-cuu.html?code=000.00.20.H12-250304-0001"

static const struct form_document docs[] = {
	{ "Tờ khai đăng ký khai sinh theo mẫu", 1, 0 },
	{ "Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp", 1, 0 },
	{ "Giấy chứng nhận kết hôn của cha, mẹ trẻ em (nếu cha, mẹ đã đăng ký kết hôn)",
	    0, 1 },
	{ "Giấy tờ tùy thân của người đi đăng ký (Căn cước công dân, hộ chiếu hoặc giấy "
	    "tờ khác có ảnh và thông tin cá nhân do cơ quan có thẩm quyền cấp còn giá trị "
	    "sử dụng)", 0, 1 },
};

static struct receipt_data
sample_receipt(void)
{
	struct receipt_data d = {
		.unit_name = "Ủy ban nhân dân phường Bến Thành",
		.dossier_code = "000.00.20.H12-250304-0001",
		.applicant_name = "Nguyễn Thị Hồng Nhung",
		.applicant_address = "Số 12 đường Lê Lợi, khu phố 3, phường Bến Thành, "
		    "thành phố Hồ Chí Minh",
		.applicant_phone = "0912345678",
		.applicant_email = "nhung.nguyen@example.vn",
		.procedure_name = "Đăng ký khai sinh (thủ tục 1.001193)",
		.time_text = "03 ngày làm việc",
		.result_channel_text = "Bộ phận tiếp nhận và trả kết quả phường Bến Thành",
		.pin = "K7QX2M9WRT",
		.tracking_url = URL,
		.officer_name = "Trần Văn Đức",
		.received_at = RECEIVED_AT,
		.due_at = DUE_AT,
		.docs = docs,
		.ndocs = NELEMS(docs),
	};

	return d;
}

static const struct control_row rows[] = {
	{ "Bộ phận tiếp nhận và trả kết quả", "Phòng Tư pháp", "Trần Văn Đức",
	    "Lê Thị Mai", RECEIVED_AT + 3600, DEADLINE_ON_TIME, NULL },
	{ "Phòng Tư pháp", "Lãnh đạo Ủy ban nhân dân phường", "Lê Thị Mai",
	    "Phạm Quốc Bảo", RECEIVED_AT + 86400, DEADLINE_EARLY, "Trình ký" },
	{ "Lãnh đạo Ủy ban nhân dân phường", "Bộ phận tiếp nhận và trả kết quả",
	    "Phạm Quốc Bảo", NULL, DUE_AT + 86400, DEADLINE_LATE,
	    "Chậm một ngày do chờ xác minh; đã có phiếu xin lỗi và hẹn lại ngày trả" },
	{ "Bộ phận tiếp nhận và trả kết quả", "Công dân", NULL, NULL, DUE_AT + 90000,
	    DEADLINE_NONE, NULL },
};

static struct control_sheet_data
sample_sheet(void)
{
	struct control_sheet_data d = {
		.unit_name = "Ủy ban nhân dân phường Bến Thành",
		.dossier_code = "000.00.20.H12-250304-0001",
		.receipt_number = NULL,
		.handling_unit = "Phòng Tư pháp",
		.coordinating_units = "Công an phường Bến Thành",
		.rows = rows,
		.nrows = NELEMS(rows),
	};

	return d;
}

/*
 * The fonts under test: NULL options (the DejaVu defaults) unless MOTCUA_FONT_REGULAR
 * or MOTCUA_FONT_BOLD (the service's settings) name others, so that a deployment can
 * run these tests on the fonts it configures (a bold of "" means none: synthetic
 * bold). The size comparison of test_receipt_synthetic_bold always uses the defaults.
 */
static struct form_options env_fonts;
static const struct form_options *fonts;

struct pdf {
	unsigned char *bytes;
	size_t len;
	char path[64];          /* a temporary file holding the bytes, for the tools */
};

static void
pdf_write(struct pdf *p)
{
	FILE *f;
	int fd;

	strcpy(p->path, "/tmp/test_forms_XXXXXX.pdf");
	fd = mkstemps(p->path, 4);
	assert_true(fd >= 0);
	assert_non_null(f = fdopen(fd, "wb"));
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

/* Every PDF made here must look like one from its first and last bytes. */
static void
assert_pdf_shape(const struct pdf *p)
{
	size_t end = p->len;

	assert_true(p->len > 1000);
	assert_memory_equal(p->bytes, "%PDF-", 5);
	while (end > 0 && (p->bytes[end - 1] == '\n' || p->bytes[end - 1] == '\r'))
		end--;
	assert_true(end >= 5);
	assert_memory_equal(p->bytes + end - 5, "%%EOF", 5);
}

static void
make_receipt(const struct receipt_data *d, const struct form_options *o, struct pdf *p)
{
	char err[200] = "";

	memset(p, 0, sizeof(*p));
	if (form_receipt_pdf(d, o, &p->bytes, &p->len, err, sizeof(err)) != 0)
		fail_msg("receipt: %s", err);
	assert_pdf_shape(p);
	pdf_write(p);
}

static void
make_sheet(const struct control_sheet_data *d, const struct form_options *o,
    struct pdf *p)
{
	char err[200] = "";

	memset(p, 0, sizeof(*p));
	if (form_control_sheet_pdf(d, o, &p->bytes, &p->len, err, sizeof(err)) != 0)
		fail_msg("control sheet: %s", err);
	assert_pdf_shape(p);
	pdf_write(p);
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

static int
have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* pdftotext's reading of the PDF, with its lines joined by spaces so that a phrase the
 * form wrapped still matches (poppler warns about libharu's ToUnicode map on stderr:
 * harmless, the map it builds is right). */
static char *
pdf_text(const struct pdf *p)
{
	char *s, *c;

	if (!have("pdftotext"))
		fail_msg("pdftotext is missing: install poppler-utils");
	s = run("pdftotext -enc UTF-8 %s - 2>/dev/null", p->path);
	for (c = s; *c != '\0'; c++)
		if (*c == '\n' || *c == '\f')
			*c = ' ';
	return s;
}

static void
assert_has(const char *text, const char *want)
{
	if (strstr(text, want) == NULL)
		fail_msg("\"%s\" not found in the PDF's text:\n%s", want, text);
}

static int
pdf_pages(const struct pdf *p)
{
	char *info = run("pdfinfo %s 2>/dev/null", p->path), *line;
	int pages = -1;

	if ((line = strstr(info, "\nPages:")) != NULL)
		pages = atoi(line + 7);
	free(info);
	return pages;
}

/*
 * No word may run off the paper or into the right margin: pdftotext -bbox gives each
 * word's box in points from the top left corner.
 */
static void
assert_within_margins(const struct pdf *p)
{
	char *html = run("pdftotext -bbox %s - 2>/dev/null", p->path), *w;
	double x0, y0, x1, y1;
	int words = 0;

	for (w = strstr(html, "<word "); w != NULL; w = strstr(w + 1, "<word ")) {
		assert_int_equal(sscanf(w, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" "
		    "yMax=\"%lf\"", &x0, &y0, &x1, &y1), 4);
		if (x0 < 40.0 || x1 > PAGE_W - RIGHT_MARGIN + 0.5 || y0 < 20.0 ||
		    y1 > 841.89 - 15.0)
			fail_msg("a word off the text area: %.80s", w);
		words++;
	}
	assert_true(words > 50);
	free(html);
}

static void
save_sample(const struct pdf *p, const char *name)
{
	const char *dir = getenv("MOTCUA_FORMS_OUT");
	char path[512];
	FILE *f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(p->bytes, 1, p->len, f), p->len);
	assert_int_equal(fclose(f), 0);
}

static void
test_receipt_text(void **state)
{
	struct receipt_data d = sample_receipt();
	struct pdf p;
	char *text;

	(void)state;
	make_receipt(&d, fonts, &p);
	save_sample(&p, "receipt.pdf");
	print_message("receipt: %zu bytes\n", p.len);
	text = pdf_text(&p);
	assert_has(text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
	assert_has(text, "Mã hồ sơ: 000.00.20.H12-250304-0001");
	/* the header upper-cases the authority, ư ờ ế à included */
	assert_has(text, "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH");
	assert_has(text, "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ");
	assert_has(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	assert_has(text, "Độc lập - Tự do - Hạnh phúc");
	assert_has(text, "Tiếp nhận hồ sơ của: Nguyễn Thị Hồng Nhung");
	assert_has(text, "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (thủ tục 1.001193)");
	assert_has(text, "Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp");
	assert_has(text, "3. Thời gian giải quyết hồ sơ theo quy định là: 03 ngày làm việc");
	/* local times (UTC+7), dd/mm/yyyy */
	assert_has(text, "4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 04/03/2025");
	assert_has(text, "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 45 phút, "
	    "ngày 07/03/2025");
	assert_has(text, "6. Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả");
	assert_has(text, "Mã bí mật tra cứu: K7QX2M9WRT");
	assert_has(text, "NGƯỜI NỘP HỒ SƠ");
	assert_has(text, "NGƯỜI TIẾP NHẬN HỒ SƠ");
	assert_has(text, "Trần Văn Đức");
	assert_int_equal(pdf_pages(&p), 1);
	assert_within_margins(&p);
	free(text);
	pdf_free(&p);
}

/* The real check of the QR code: a barcode reader finds the tracking URL in it. */
static void
test_receipt_qr_decodes(void **state)
{
	struct receipt_data d = sample_receipt();
	struct pdf p;
	char *png_base, *out;

	(void)state;
	if (!have("zbarimg") || !have("pdftoppm")) {
		print_message("zbarimg or pdftoppm missing (zbar-tools, poppler-utils)\n");
		skip();
	}
	make_receipt(&d, fonts, &p);
	assert_non_null(png_base = strdup(p.path));
	png_base[strlen(png_base) - 4] = '\0';
	out = run("pdftoppm -png -r 150 -singlefile %s %s && zbarimg --raw -q %s.png; "
	    "rc=$?; rm -f %s.png; exit $rc", p.path, png_base, png_base, png_base);
	assert_string_equal(out, URL "\n");
	free(out);
	free(png_base);
	pdf_free(&p);
}

/* 60 documents do not fit on one page: the table continues, header repeated, and the
 * pages are numbered. */
static void
test_receipt_long_list_paginates(void **state)
{
	struct receipt_data d = sample_receipt();
	struct form_document many[60];
	char names[60][96];
	struct pdf p;
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i < NELEMS(many); i++) {
		snprintf(names[i], sizeof(names[i]), "Giấy tờ số %zu: bản sao giấy xác "
		    "nhận thông tin về cư trú", i + 1);
		many[i].name = names[i];
		many[i].originals = (int)(i % 2);
		many[i].copies = 1;
	}
	d.docs = many;
	d.ndocs = NELEMS(many);
	make_receipt(&d, fonts, &p);
	save_sample(&p, "receipt-long.pdf");
	assert_true(pdf_pages(&p) >= 2);
	text = pdf_text(&p);
	assert_has(text, "Giấy tờ số 1: bản sao");
	assert_has(text, "Giấy tờ số 60: bản sao");
	assert_has(text, "Trang 2/");
	assert_has(text, "Mã bí mật tra cứu: K7QX2M9WRT");
	assert_within_margins(&p);
	free(text);
	pdf_free(&p);
}

/* Long texts wrap by words; a word wider than the line is cut between characters
 * instead of running off the page. */
static void
test_receipt_long_text_wraps(void **state)
{
	struct receipt_data d = sample_receipt();
	struct form_document one[1];
	char word[400];
	struct pdf p;
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i + 2 < sizeof(word); i += 2)
		memcpy(word + i, "Đ", 2);
	word[i] = '\0';
	one[0].name = word;
	one[0].originals = 1;
	one[0].copies = 2;
	d.docs = one;
	d.ndocs = 1;
	d.applicant_address = "Thôn Bản Phùng, xã Hoàng Su Phì, tỉnh Tuyên Quang; nơi ở "
	    "hiện tại: tổ dân phố số 7, phường Hà Giang 1, tỉnh Tuyên Quang (đã sáp nhập "
	    "theo Nghị quyết của Ủy ban Thường vụ Quốc hội năm 2025), gần trường tiểu học";
	d.procedure_name = "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và "
	    "tài sản khác gắn liền với đất lần đầu cho hộ gia đình, cá nhân đã được "
	    "Nhà nước giao đất, cho thuê đất để sử dụng vào mục đích sản xuất nông nghiệp";
	d.unit_name = "Ủy ban nhân dân thành phố Hồ Chí Minh và các cơ quan chuyên môn "
	    "trực thuộc được ủy quyền";
	make_receipt(&d, fonts, &p);
	assert_within_margins(&p);
	text = pdf_text(&p);
	assert_has(text, "gần trường tiểu học");
	assert_has(text, "mục đích sản xuất nông nghiệp");
	assert_has(text, "ĐĐĐĐĐĐĐĐ");
	free(text);
	pdf_free(&p);
}

/* A grey image from pdftoppm -gray (binary PGM), first page. */
struct gray {
	int w, h;
	unsigned char *px;
};

static void
render_gray(const struct pdf *p, int dpi, struct gray *g)
{
	char base[64], path[80];
	int maxval;
	FILE *f;

	snprintf(base, sizeof(base), "%.*s", (int)strlen(p->path) - 4, p->path);
	free(run("pdftoppm -gray -r %d -f 1 -l 1 -singlefile %s %s 2>/dev/null", dpi,
	    p->path, base));
	snprintf(path, sizeof(path), "%s.pgm", base);
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fscanf(f, "P5 %d %d %d", &g->w, &g->h, &maxval), 3);
	assert_int_equal(maxval, 255);
	fgetc(f);
	assert_non_null(g->px = malloc((size_t)g->w * (size_t)g->h));
	assert_int_equal(fread(g->px, 1, (size_t)g->w * (size_t)g->h, f),
	    (size_t)g->w * (size_t)g->h);
	fclose(f);
	unlink(path);
}

struct word {
	double x0, y0, x1, y1;
	char text[32];
};

/* The words pdftotext -bbox finds on the first page, with their boxes in points. */
static size_t
pdf_words(const struct pdf *p, struct word *out, size_t max)
{
	char *html = run("pdftotext -bbox -f 1 -l 1 %s - 2>/dev/null", p->path), *w, *t;
	size_t n = 0;

	for (w = strstr(html, "<word "); w != NULL && n < max; w = strstr(w + 1, "<word ")) {
		assert_int_equal(sscanf(w, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" "
		    "yMax=\"%lf\"", &out[n].x0, &out[n].y0, &out[n].x1, &out[n].y1), 4);
		assert_non_null(t = strchr(w, '>'));
		snprintf(out[n].text, sizeof(out[n].text), "%.*s",
		    (int)strcspn(t + 1, "<"), t + 1);
		n++;
	}
	free(html);
	return n;
}

/* The ink (0 white .. 255 black, summed) in a word's box, widened: stacked marks rise
 * above the font's ascent. */
static long
ink(const struct gray *g, const struct word *w, double scale)
{
	int x, y, x0, x1, y0, y1;
	long n = 0;

	x0 = (int)((w->x0 - 1.0) * scale);
	x1 = (int)((w->x1 + 1.0) * scale);
	y0 = (int)((w->y0 - 0.5 * (w->y1 - w->y0)) * scale);
	y1 = (int)((w->y1 + 1.0) * scale);
	for (y = y0 < 0 ? 0 : y0; y < y1 && y < g->h; y++)
		for (x = x0 < 0 ? 0 : x0; x < x1 && x < g->w; x++)
			n += 255 - g->px[y * g->w + x];
	return n;
}

/* The receipt with `name` as both the applicant's name (regular face) and the
 * officer's (bold), rasterised, with its words. */
static void
name_sample(const char *name, struct gray *g, struct word *words, size_t max, size_t *n)
{
	struct receipt_data d = {
		.unit_name = "Ủy ban nhân dân xã",
		.dossier_code = "000.00.20.H12-250304-0001",
		.applicant_name = name,
		.procedure_name = "Chứng thực",
		.officer_name = name,
	};
	struct pdf p;

	make_receipt(&d, fonts, &p);
	*n = pdf_words(&p, words, max);
	render_gray(&p, 150, g);
	pdf_free(&p);
}

/*
 * Every tone mark must reach the paper, not only the text layer: libharu 2.3 left out
 * the nested parts of DejaVu's stacked marks, so "ế" printed as "ê" while pdftotext
 * still read "ế". A receipt is drawn with one marked letter as the names, and again
 * with its bare base (same width, so the same layout); rasterised, the marked letter
 * must carry more ink than its bare twin, in both faces. Comparing pixels would not
 * do: the circumflex of a stacked mark is not drawn like the plain one, so a letter
 * that lost its acute still differs from the bare letter, with less ink (measured:
 * 0.87 to 0.97 of the bare letter's ink when broken, 1.02 to 1.17 when right).
 * One letter per receipt, and little else on it, because a letter such as "Ớ" (which
 * uses the accent directly) would bring in the parts that "ế" lacks and hide the fault.
 */
static void
test_receipt_marks_are_drawn(void **state)
{
	static const struct {
		const char *marked, *bare;
	} letters[] = {
		{ "ấ", "â" }, { "ầ", "â" }, { "ẩ", "â" }, { "ẫ", "â" }, { "ậ", "â" },
		{ "ắ", "ă" }, { "ằ", "ă" }, { "ẳ", "ă" }, { "ẵ", "ă" },
		{ "ế", "ê" }, { "ễ", "ê" }, { "ố", "ô" }, { "ỗ", "ô" },
		{ "ớ", "ơ" }, { "ữ", "ư" },
		{ "Ấ", "Â" }, { "Ắ", "Ă" }, { "Ễ", "Ê" }, { "Ỗ", "Ô" }, { "Ớ", "Ơ" },
	};
	const double scale = 150.0 / 72.0;
	struct word wa[600], wb[600];
	struct gray ga, gb;
	size_t na, nb, i, k, found;
	long marked, bare;

	(void)state;
	if (!have("pdftoppm"))
		fail_msg("pdftoppm is missing: install poppler-utils");
	gb.px = NULL;
	for (i = 0; i < NELEMS(letters); i++) {
		name_sample(letters[i].marked, &ga, wa, NELEMS(wa), &na);
		/* letters sharing a base follow each other: one bare rendering serves them */
		if (i == 0 || strcmp(letters[i].bare, letters[i - 1].bare) != 0) {
			free(gb.px);
			name_sample(letters[i].bare, &gb, wb, NELEMS(wb), &nb);
		}
		assert_int_equal(na, nb);
		assert_int_equal(ga.w, gb.w);
		assert_int_equal(ga.h, gb.h);
		found = 0;
		for (k = 0; k < na; k++) {
			if (strcmp(wa[k].text, letters[i].marked) != 0)
				continue;
			assert_string_equal(wb[k].text, letters[i].bare);
			assert_true(wa[k].x0 == wb[k].x0 && wa[k].y1 == wb[k].y1);
			marked = ink(&ga, &wa[k], scale);
			bare = ink(&gb, &wb[k], scale);
			if (marked * 100 <= bare * 101)
				fail_msg("\"%s\" has %ld ink, \"%s\" %ld: its mark is lost "
				    "(%s face)", letters[i].marked, marked, letters[i].bare,
				    bare, found == 0 ? "regular" : "bold");
			found++;
		}
		assert_int_equal(found, 2);
		free(ga.px);
	}
	free(gb.px);
}

/* Without a bold face the headings are a synthetic bold of the regular one: the text
 * is the same and the file about half the size. */
static void
test_receipt_synthetic_bold(void **state)
{
	struct receipt_data d = sample_receipt();
	struct form_options o = { FORM_FONT_REGULAR, NULL };
	struct pdf two, one;
	char *text;

	(void)state;
	make_receipt(&d, NULL, &two);
	make_receipt(&d, &o, &one);
	print_message("receipt, DejaVu Sans, synthetic bold: %zu bytes\n", one.len);
	assert_true(one.len * 10 < two.len * 7);
	text = pdf_text(&one);
	assert_has(text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
	assert_has(text, "Tiếp nhận hồ sơ của: Nguyễn Thị Hồng Nhung");
	free(text);
	pdf_free(&two);
	pdf_free(&one);
}

/* Optional fields may be absent: dotted lines to fill in, no QR code, no secret. */
static void
test_receipt_optional_fields(void **state)
{
	struct receipt_data d = sample_receipt();
	struct pdf p;
	char *text;

	(void)state;
	d.applicant_address = NULL;
	d.applicant_phone = "";
	d.applicant_email = NULL;
	d.pin = NULL;
	d.tracking_url = NULL;
	d.officer_name = NULL;
	d.docs = NULL;
	d.ndocs = 0;
	make_receipt(&d, fonts, &p);
	text = pdf_text(&p);
	assert_has(text, "Địa chỉ: ......");
	assert_null(strstr(text, "Mã bí mật"));
	free(text);
	pdf_free(&p);
}

static void
assert_fails(int rc, unsigned char *pdf, size_t len, const char *err, const char *want)
{
	assert_int_equal(rc, -1);
	assert_null(pdf);
	assert_int_equal(len, 0);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" does not mention \"%s\"", err, want);
}

/* A font that is not there fails cleanly, naming the file (ASan checks for leaks). */
static void
test_missing_font(void **state)
{
	struct receipt_data d = sample_receipt();
	struct control_sheet_data s = sample_sheet();
	struct form_options bad_regular = { "/nonexistent/DejaVuSans.ttf", NULL };
	struct form_options bad_bold = { FORM_FONT_REGULAR, "/nonexistent/Bold.ttf" };
	struct form_options not_font = { "/etc/hostname", NULL };
	unsigned char *pdf = (unsigned char *)"x";
	char err[200];
	size_t len = 7;
	int rc;

	(void)state;
	rc = form_receipt_pdf(&d, &bad_regular, &pdf, &len, err, sizeof(err));
	assert_fails(rc, pdf, len, err, "/nonexistent/DejaVuSans.ttf");
	assert_non_null(strstr(err, "No such file"));
	rc = form_receipt_pdf(&d, &bad_bold, &pdf, &len, err, sizeof(err));
	assert_fails(rc, pdf, len, err, "/nonexistent/Bold.ttf");
	rc = form_control_sheet_pdf(&s, &bad_regular, &pdf, &len, err, sizeof(err));
	assert_fails(rc, pdf, len, err, "/nonexistent/DejaVuSans.ttf");
	rc = form_receipt_pdf(&d, &not_font, &pdf, &len, err, sizeof(err));
	assert_fails(rc, pdf, len, err, "/etc/hostname");
	assert_non_null(strstr(err, "not a TrueType font"));
	/* no room for a reason is allowed too */
	rc = form_receipt_pdf(&d, &bad_regular, &pdf, &len, NULL, 0);
	assert_int_equal(rc, -1);
}

static void
test_missing_fields(void **state)
{
	struct receipt_data d = sample_receipt();
	struct control_sheet_data s = sample_sheet();
	struct control_row bad_row = rows[0];
	struct form_document bad_doc = { "Tờ khai", -1, 0 };
	unsigned char *pdf = NULL;
	char err[200];
	size_t len = 0;
	int rc;

	(void)state;
	d.applicant_name = NULL;
	rc = form_receipt_pdf(&d, NULL, &pdf, &len, err, sizeof(err));
	assert_fails(rc, pdf, len, err, "applicant_name");
	d = sample_receipt();
	d.dossier_code = "";
	rc = form_receipt_pdf(&d, NULL, &pdf, &len, err, sizeof(err));
	assert_fails(rc, pdf, len, err, "dossier_code");
	d = sample_receipt();
	d.docs = &bad_doc;
	d.ndocs = 1;
	rc = form_receipt_pdf(&d, NULL, &pdf, &len, err, sizeof(err));
	assert_fails(rc, pdf, len, err, "count");

	s.handling_unit = NULL;
	rc = form_control_sheet_pdf(&s, NULL, &pdf, &len, err, sizeof(err));
	assert_fails(rc, pdf, len, err, "handling_unit");
	s = sample_sheet();
	bad_row.to_unit = NULL;
	s.rows = &bad_row;
	s.nrows = 1;
	rc = form_control_sheet_pdf(&s, NULL, &pdf, &len, err, sizeof(err));
	assert_fails(rc, pdf, len, err, "to_unit");
	bad_row = rows[0];
	bad_row.verdict = DEADLINE__MAX;
	rc = form_control_sheet_pdf(&s, NULL, &pdf, &len, err, sizeof(err));
	assert_fails(rc, pdf, len, err, "verdict");
}

static void
test_control_sheet_text(void **state)
{
	struct control_sheet_data d = sample_sheet();
	struct pdf p;
	char *text;

	(void)state;
	make_sheet(&d, fonts, &p);
	save_sample(&p, "control-sheet.pdf");
	print_message("control sheet: %zu bytes\n", p.len);
	text = pdf_text(&p);
	assert_has(text, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ");
	assert_has(text, "Mã hồ sơ: 000.00.20.H12-250304-0001");
	assert_has(text, "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: "
	    "000.00.20.H12-250304-0001)");
	assert_has(text, "Cơ quan (bộ phận) giải quyết hồ sơ: Phòng Tư pháp");
	assert_has(text, "Cơ quan phối hợp giải quyết hồ sơ: Công an phường Bến Thành");
	assert_has(text, "TÊN CƠ QUAN");
	assert_has(text, "1. Giao: Bộ phận tiếp nhận và trả kết quả");
	assert_has(text, "2. Nhận: Phòng Tư pháp");
	assert_has(text, "09 giờ 30 phút, ngày 04/03/2025");
	assert_has(text, "08 giờ 30 phút, ngày 05/03/2025");
	assert_has(text, "Người nhận: Lê Thị Mai");
	assert_has(text, "Đúng hạn");
	assert_has(text, "Trước hạn");
	assert_has(text, "Trễ hạn");
	assert_has(text, "Trình ký");
	assert_null(strstr(text, "Chưa tính hạn"));     /* DEADLINE_NONE: empty cell */
	assert_int_equal(pdf_pages(&p), 1);
	assert_within_margins(&p);
	free(text);
	pdf_free(&p);
}

/* Many hand-overs continue on further pages, header row repeated; a note longer than
 * a page is split across pages rather than cut. */
static void
test_control_sheet_paginates(void **state)
{
	struct control_sheet_data d = sample_sheet();
	struct control_row many[40];
	static const char word[] = "ghi chú ", end[] = "HẾT GHI CHÚ";
	char *note, *text;
	struct pdf p;
	size_t i, n = 300;

	(void)state;
	for (i = 0; i < NELEMS(many); i++)
		many[i] = rows[i % NELEMS(rows)];
	assert_non_null(note = malloc(n * (sizeof(word) - 1) + sizeof(end)));
	for (i = 0; i < n; i++)
		memcpy(note + i * (sizeof(word) - 1), word, sizeof(word) - 1);
	memcpy(note + n * (sizeof(word) - 1), end, sizeof(end));
	many[5].note = note;
	d.rows = many;
	d.nrows = NELEMS(many);
	d.receipt_number = "GTN-2025-0001";
	make_sheet(&d, fonts, &p);
	save_sample(&p, "control-sheet-long.pdf");
	assert_true(pdf_pages(&p) >= 3);
	text = pdf_text(&p);
	assert_has(text, "hẹn trả kết quả số: GTN-2025-0001)");
	assert_has(text, "HẾT GHI CHÚ");
	assert_has(text, "Trang 3/");
	assert_within_margins(&p);
	free(text);
	free(note);
	pdf_free(&p);
}

int
main(void)
{
	env_fonts.font_regular = getenv("MOTCUA_FONT_REGULAR");
	env_fonts.font_bold = getenv("MOTCUA_FONT_BOLD");
	if (env_fonts.font_regular != NULL || env_fonts.font_bold != NULL) {
		if (env_fonts.font_bold == NULL)
			env_fonts.font_bold = FORM_FONT_BOLD;
		fonts = &env_fonts;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_receipt_text),
		cmocka_unit_test(test_receipt_qr_decodes),
		cmocka_unit_test(test_receipt_long_list_paginates),
		cmocka_unit_test(test_receipt_long_text_wraps),
		cmocka_unit_test(test_receipt_marks_are_drawn),
		cmocka_unit_test(test_receipt_synthetic_bold),
		cmocka_unit_test(test_receipt_optional_fields),
		cmocka_unit_test(test_missing_font),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_control_sheet_text),
		cmocka_unit_test(test_control_sheet_paginates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
