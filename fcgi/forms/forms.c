/*
 * The forms of Circular 01/2018/TT-VPCP drawn with libharu, QR codes with libqrencode.
 *
 * The module is built in two layers. The lower one (struct render and the functions up
 * to "The forms") knows pages, fonts, wrapped text, the two-column national header and
 * ruled tables that continue across pages; each form is then a short function that
 * says what goes where. A new form (apology letter, supplement request, refusal)
 * should need only that short function.
 *
 * Errors: libharu reports through a callback and then returns an error code, after
 * which its calls on the same document go on harmlessly. The callback records the
 * first error in the render context and the drawing helpers return -1 once one is
 * recorded, so every path runs to the one cleanup in the public functions. No longjmp:
 * jumping out of libharu would skip our own frees (the QR code, the scratch buffer).
 *
 * Size: libharu 2.3 embeds a TrueType face with its glyph outlines cut down to the
 * glyphs used, but it copies the other tables whole (DejaVu Sans' glyph names in
 * 'post' alone are 62 KB) and writes a width for every glyph and a full CID-to-glyph
 * map. Each DejaVu face therefore costs about 100 KB, whatever the text: a receipt is
 * 212 KB with both faces, 109 KB with a synthetic bold. With the faces cut down to
 * Latin + Vietnamese beforehand (fontTools: 50 KB per face) it is 57 KB, or 32 KB with
 * one face; the font paths are options for that reason.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <qrencode.h>

#include "domain/text.h"
#include "domain/timeutil.h"
#include "forms.h"

/* A4 portrait in points, margins of administrative documents (Decree 30/2020/NĐ-CP:
 * left 30 mm, right 15 mm, top and bottom 20 mm). */
#define PAGE_W          595.276f
#define PAGE_H          841.89f
#define MARGIN_LEFT     85.0f
#define MARGIN_RIGHT    42.5f
#define MARGIN_TOP      56.7f
#define MARGIN_BOTTOM   56.7f
#define TEXT_W          (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT)
#define FOOTER_BASELINE 30.0f
#define CELL_PAD        4.0f
#define MAX_COLUMNS     10
/* Any one text field longer than this is refused: it cannot be meant for a form, and
 * it keeps every length within libharu's unsigned int. */
#define MAX_FIELD       65536
/* A run without blanks longer than this is cut without measuring the whole of it
 * first: no line of a form holds that many bytes, and measuring a 64 KB word anew for
 * each of its lines would take quadratic time. */
#define MAX_LINE_BYTES  2048

enum align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

struct style {
	float size;             /* points */
	float leading;          /* height of one line box */
	int bold;
	enum align align;
};

static const struct style ST_BODY = { 11.0f, 15.5f, 0, ALIGN_LEFT };
static const struct style ST_HEAD_LEFT = { 10.5f, 14.0f, 0, ALIGN_CENTER };
static const struct style ST_HEAD_LEFT_BOLD = { 10.5f, 14.0f, 1, ALIGN_CENTER };
static const struct style ST_HEAD_RIGHT = { 10.5f, 14.0f, 1, ALIGN_CENTER };
static const struct style ST_MOTTO = { 11.0f, 15.0f, 1, ALIGN_CENTER };
static const struct style ST_TITLE = { 13.0f, 18.0f, 1, ALIGN_CENTER };
static const struct style ST_CENTER = { 11.0f, 15.5f, 0, ALIGN_CENTER };
static const struct style ST_CENTER_BOLD = { 11.0f, 15.5f, 1, ALIGN_CENTER };
static const struct style ST_SMALL = { 9.0f, 12.0f, 0, ALIGN_LEFT };
static const struct style ST_SMALL_RIGHT = { 9.0f, 12.0f, 0, ALIGN_RIGHT };
static const struct style ST_RIGHT = { 11.0f, 15.5f, 0, ALIGN_RIGHT };
static const struct style ST_SMALL_CENTER = { 9.5f, 12.5f, 0, ALIGN_CENTER };
static const struct style ST_PIN = { 12.0f, 16.0f, 1, ALIGN_LEFT };
static const struct style ST_FOOTER = { 8.5f, 11.0f, 0, ALIGN_CENTER };
static const struct style ST_CELL = { 10.0f, 13.5f, 0, ALIGN_LEFT };
static const struct style ST_CELL_CENTER = { 10.0f, 13.5f, 0, ALIGN_CENTER };
static const struct style ST_CELL_HEAD = { 9.5f, 12.5f, 1, ALIGN_CENTER };
/* the register's many columns: a dossier code and a date each fit on one line */
static const struct style ST_CELL_SMALL = { 8.5f, 11.5f, 0, ALIGN_LEFT };
static const struct style ST_CELL_SMALL_CENTER = { 8.5f, 11.5f, 0, ALIGN_CENTER };

struct render {
	HPDF_Doc pdf;
	HPDF_Page page;                 /* the page being filled */
	int landscape;                  /* pages are A4 landscape (the register) */
	HPDF_Font regular, bold;        /* bold == regular: synthetic bold */
	float y;                        /* top of the free space on the page */
	unsigned npages;
	HPDF_STATUS error;              /* first libharu error, 0 if none */
	HPDF_STATUS detail;
	char *scratch;                  /* NUL-terminated copy of a line to show */
	size_t scratch_size;
	char *err;
	size_t errsz;
};

/* The page's height and the width between the margins, as the orientation makes them. */
static float
page_height(const struct render *r)
{
	return r->landscape ? PAGE_W : PAGE_H;
}

static float
body_width(const struct render *r)
{
	return (r->landscape ? PAGE_H : PAGE_W) - MARGIN_LEFT - MARGIN_RIGHT;
}

/* A table column; the cells of a row are given as strings, '\n' breaks a line. */
struct column {
	const char *title;
	float width;
	const struct style *style;
};

struct table {
	const struct column *cols;
	size_t ncols;
};

/* Records the first error only: later ones are usually its consequences. */
static void
on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct render *r = user;

	if (r->error == HPDF_OK) {
		r->error = error;
		r->detail = detail;
	}
}

/* The reason the caller sees; the first call wins, as with libharu's errors. */
static void
fail(struct render *r, const char *fmt, ...)
{
	va_list ap;

	if (r->errsz == 0 || r->err[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errsz, fmt, ap);
	va_end(ap);
}

/* -1 once libharu has reported an error, with a reason naming `what`; the codes an
 * operator can act on (a wrong font path or file) are put in words. */
static int
check(struct render *r, const char *what)
{
	switch (r->error) {
	case HPDF_OK:
		return 0;
	case HPDF_FILE_OPEN_ERROR:
		fail(r, "%s: cannot open file: %s", what, strerror((int)r->detail));
		break;
	case HPDF_FAILD_TO_ALLOC_MEM:
		fail(r, "%s: out of memory", what);
		break;
	case HPDF_TTF_CANNOT_EMBEDDING_FONT:
		fail(r, "%s: the font's licence forbids embedding", what);
		break;
	case HPDF_TTF_INVALID_CMAP:
	case HPDF_TTF_INVALID_FOMAT:
	case HPDF_TTF_MISSING_TABLE:
	case HPDF_UNSUPPORTED_FONT_TYPE:
	case HPDF_INVALID_FONTDEF_DATA:
		fail(r, "%s: not a TrueType font libharu can use (libharu error 0x%04X)",
		    what, (unsigned)r->error);
		break;
	default:
		fail(r, "%s: libharu error 0x%04X (detail %u)", what, (unsigned)r->error,
		    (unsigned)r->detail);
	}
	return -1;
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

#define SHORT_DOTS "................."
#define DESK_OFFICE "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"

/* s, or `fill` where s is NULL or empty. */
static const char *
or_else(const char *s, const char *fill)
{
	return s != NULL && s[0] != '\0' ? s : fill;
}

/* What an empty field prints: a dotted line to fill in by hand, as on the paper form. */
static const char *
or_dots(const char *s)
{
	return or_else(s, "........................................");
}

/* A malloc'd formatted string (the caller frees), NULL on failure (reason recorded). */
static char *
vstr_printf(struct render *r, const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0) {
		fail(r, "out of memory");
		return NULL;
	}
	return s;
}

static char *
str_printf(struct render *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vstr_printf(r, fmt, ap);
	va_end(ap);
	return s;
}

/* "08 giờ 30 phút, ngày 04/03/2025" in local time, the way the forms write it; sep
 * stands between the time and the date (", " or ",\n" to put the date under it). */
static void
format_moment(int64_t t, const char *sep, char *buf, size_t size)
{
	struct civil c;

	time_to_local(t, &c);
	snprintf(buf, size, "%02d giờ %02d phút%sngày %02d/%02d/%04d", c.hour, c.min, sep,
	    c.day, c.month, c.year);
}

/* Upper case of the Vietnamese letters (and ASCII); other code points stay. */
static uint32_t
vi_upper(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return c - 0x20;
	if (c >= 0xE0 && c <= 0xFE && c != 0xF7)          /* à á â ã è é ê ì í ò ó ô õ ù ú ý */
		return c - 0x20;
	if (c == 0x103 || c == 0x111 || c == 0x129 || c == 0x169)   /* ă đ ĩ ũ */
		return c - 1;
	if (c == 0x1A1)                                     /* ơ */
		return 0x1A0;
	if (c == 0x1B0)                                     /* ư: its capital comes first */
		return 0x1AF;
	if (c >= 0x1EA0 && c <= 0x1EF9 && (c & 1))          /* ạ ả ấ ... ỹ */
		return c - 1;
	return c;
}

/* Writes c as UTF-8 at out (room for 4 bytes); returns the bytes written. */
static size_t
utf8_put(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/*
 * Upper-cased copy of s, malloc'd (the caller frees), NULL on failure. Every mapping
 * of vi_upper keeps the UTF-8 length, so the copy is as long as s; bytes that are not
 * well-formed UTF-8 are copied as they are.
 */
static char *
upper_copy(struct render *r, const char *s)
{
	size_t len = strlen(s), i = 0, o = 0, n;
	uint32_t c;
	char *out;

	if ((out = malloc(len + 1)) == NULL) {
		fail(r, "out of memory");
		return NULL;
	}
	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &c)) == 0) {
			out[o++] = s[i++];
			continue;
		}
		o += utf8_put(out + o, vi_upper(c));
		i += n;
	}
	out[o] = '\0';
	return out;
}

/* ---- Text: faces, widths, line breaking ---- */

static HPDF_Font
face(const struct render *r, const struct style *st)
{
	return st->bold ? r->bold : r->regular;
}

/* Width in points of s[0..len). libharu applies no kerning, so widths add up. */
static float
text_width(const struct render *r, const struct style *st, const char *s, size_t len)
{
	HPDF_TextWidth tw;

	if (len == 0)
		return 0.0f;
	tw = HPDF_Font_TextWidth(face(r, st), (const HPDF_BYTE *)s, (HPDF_UINT)len);
	return (float)tw.width * st->size / 1000.0f;
}

/* Spaces break lines; so do the other C0 controls but '\n', which forces a break. */
static int
is_blank(char c)
{
	return (unsigned char)c < 0x20 ? c != '\n' : c == ' ';
}

/* Bytes of the code point starting at s[0], without reading past len. */
static size_t
char_len(const char *s, size_t len)
{
	size_t n = 1;

	while (n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
		n++;
	return n;
}

/* The longest run of whole code points of s[0..len) that fits width, at least one:
 * a word too long for any line is cut, never left to run off the page. Where the run
 * holds a '/', '-', '?', '&' or '=' (a URL, a dossier code) it is cut after the last
 * of them instead, so that the pieces stay readable. */
static size_t
cut_word(const struct render *r, const struct style *st, float width, const char *s,
    size_t len)
{
	size_t end = char_len(s, len), next, i;

	while (end < len) {
		next = end + char_len(s + end, len - end);
		if (text_width(r, st, s, next) > width)
			break;
		end = next;
	}
	for (i = end - 1; end < len && i > 0; i--)
		if (strchr("/-?&=", s[i]) != NULL)
			return i + 1;
	return end;
}

/*
 * The next line of s[0..len) that fits width. Words are the runs between blanks, so a
 * break never falls inside a UTF-8 sequence. Sets *shown to the bytes of the line and
 * returns the bytes consumed: the line and the blanks (and one '\n') after it. Returns
 * at least 1 when len > 0.
 */
static size_t
next_line(const struct render *r, const struct style *st, float width, const char *s,
    size_t len, size_t *shown)
{
	size_t end = 0, word_end = 0, used;

	for (;;) {
		while (word_end < len && !is_blank(s[word_end]) && s[word_end] != '\n')
			word_end++;
		if (word_end > MAX_LINE_BYTES || text_width(r, st, s, word_end) > width) {
			if (end == 0)
				end = cut_word(r, st, width, s, word_end);
			break;
		}
		end = word_end;
		if (word_end >= len || s[word_end] == '\n')
			break;
		word_end++;
	}
	*shown = end;
	used = end;
	while (used < len && is_blank(s[used]))
		used++;
	if (used < len && s[used] == '\n')
		used++;
	return used;
}

/* Draws s[0..len) as one line in the box [x, x + width] whose top is `top`. The glyph
 * body is centred in the line box so that stacked Vietnamese marks (Ấ, Ễ) keep clear
 * of the line above. */
static int
show_line(struct render *r, const struct style *st, float x, float width, float top,
    const char *s, size_t len)
{
	float w, baseline;
	size_t i;
	char *p;

	if (len == 0)
		return 0;
	if (len >= r->scratch_size) {
		if ((p = realloc(r->scratch, len + 1)) == NULL) {
			fail(r, "out of memory");
			return -1;
		}
		r->scratch = p;
		r->scratch_size = len + 1;
	}
	for (i = 0; i < len; i++)       /* a TAB or CR would show as a missing glyph */
		r->scratch[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	r->scratch[len] = '\0';

	w = text_width(r, st, s, len);
	if (st->align == ALIGN_CENTER)
		x += (width - w) / 2.0f;
	else if (st->align == ALIGN_RIGHT)
		x += width - w;
	baseline = top - st->leading / 2.0f - st->size * 0.36f;

	/* Synthetic bold: the outline stroked as well as filled thickens the glyphs. */
	if (st->bold && r->bold == r->regular)
		HPDF_Page_SetLineWidth(r->page, st->size * 0.04f);
	HPDF_Page_BeginText(r->page);
	HPDF_Page_SetFontAndSize(r->page, face(r, st), st->size);
	HPDF_Page_SetTextRenderingMode(r->page, st->bold && r->bold == r->regular ?
	    HPDF_FILL_THEN_STROKE : HPDF_FILL);
	HPDF_Page_TextOut(r->page, x, baseline, r->scratch);
	HPDF_Page_EndText(r->page);
	return check(r, "drawing text");
}

/*
 * Lays s[0..len) out in lines of at most width, the first line box's top at `top`, at
 * most max_lines lines; draws them if draw is set. Sets *nlines and returns the bytes
 * consumed, so that a caller out of room can go on with the rest elsewhere.
 * On a drawing error returns 0 with the error recorded (callers check r->error).
 */
static size_t
lay_lines(struct render *r, const struct style *st, float x, float width, float top,
    const char *s, size_t len, size_t max_lines, int draw, size_t *nlines)
{
	size_t used = 0, n = 0, step, shown;

	while (used < len && n < max_lines) {
		step = next_line(r, st, width, s + used, len - used, &shown);
		if (draw && show_line(r, st, x, width, top - (float)n * st->leading, s + used,
		    shown) != 0)
			return 0;
		used += step;
		n++;
	}
	*nlines = n;
	return used;
}

/* Height a text takes in a box of the given width, all lines. */
static float
text_height(struct render *r, const struct style *st, float width, const char *s)
{
	size_t n;

	lay_lines(r, st, 0.0f, width, 0.0f, s, strlen(s), SIZE_MAX, 0, &n);
	return (float)n * st->leading;
}

/* The narrowest width at most `width` in which s takes no more lines than in `width`:
 * a title that must wrap then wraps into lines of even length ("ỦY BAN NHÂN DÂN /
 * PHƯỜNG BẾN THÀNH") instead of leaving one word alone on the last line. */
static float
balanced_width(struct render *r, const struct style *st, float width, const char *s)
{
	float lo = 0.0f, hi = width, mid, lines = text_height(r, st, width, s);
	int i;

	if (lines <= st->leading)
		return width;
	for (i = 0; i < 12; i++) {
		mid = (lo + hi) / 2.0f;
		if (text_height(r, st, mid, s) <= lines)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* Draws a text in a fixed box (no page break) and returns its height. */
static float
text_box(struct render *r, const struct style *st, float x, float width, float top,
    const char *s)
{
	size_t n;

	lay_lines(r, st, x, width, top, s, strlen(s), SIZE_MAX, 1, &n);
	return (float)n * st->leading;
}

/* ---- Pages ---- */

static int
new_page(struct render *r)
{
	if ((r->page = HPDF_AddPage(r->pdf)) == NULL)
		return check(r, "adding a page");
	HPDF_Page_SetSize(r->page, HPDF_PAGE_SIZE_A4, r->landscape ? HPDF_PAGE_LANDSCAPE :
	    HPDF_PAGE_PORTRAIT);
	r->y = page_height(r) - MARGIN_TOP;
	r->npages++;
	return check(r, "adding a page");
}

/* Room below r->y on this page. */
static float
room(const struct render *r)
{
	return r->y - MARGIN_BOTTOM;
}

/* Starts a new page unless `height` still fits on this one: keeps a block together. */
static int
keep(struct render *r, float height)
{
	return height <= room(r) ? 0 : new_page(r);
}

/* A paragraph in the text column from r->y down, continuing on new pages. `indent`
 * shifts every line (a list item's body under its number). */
static int
flow(struct render *r, const struct style *st, float indent, const char *s)
{
	size_t len = strlen(s), used, fit, n;

	while (len > 0) {
		fit = room(r) >= st->leading ? (size_t)(room(r) / st->leading) : 0;
		if (fit == 0) {
			if (new_page(r) != 0)
				return -1;
			continue;
		}
		used = lay_lines(r, st, MARGIN_LEFT + indent, body_width(r) - indent, r->y, s, len,
		    fit, 1, &n);
		if (r->error != HPDF_OK)
			return -1;
		r->y -= (float)n * st->leading;
		s += used;
		len -= used;
	}
	return 0;
}

/* flow() of a formatted text. */
static int
flowf(struct render *r, const struct style *st, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int ret;

	va_start(ap, fmt);
	s = vstr_printf(r, fmt, ap);
	va_end(ap);
	if (s == NULL)
		return -1;
	ret = flow(r, st, 0.0f, s);
	free(s);
	return ret;
}

static void
hline(struct render *r, float x0, float x1, float y, float width)
{
	HPDF_Page_SetLineWidth(r->page, width);
	HPDF_Page_MoveTo(r->page, x0, y);
	HPDF_Page_LineTo(r->page, x1, y);
	HPDF_Page_Stroke(r->page);
}

/* "label - Trang i/n" at the foot of every page, once the count is known; a one-page
 * form goes without. */
static int
number_pages_as(struct render *r, const char *label)
{
	unsigned i;
	char *s;
	int ret;

	if (r->npages < 2)
		return 0;
	for (i = 0; i < r->npages; i++) {
		if ((r->page = HPDF_GetPageByIndex(r->pdf, i)) == NULL) {
			check(r, "numbering the pages");
			fail(r, "page %u missing", i + 1);
			return -1;
		}
		if ((s = str_printf(r, "%s - Trang %u/%u", label, i + 1, r->npages)) == NULL)
			return -1;
		ret = show_line(r, &ST_FOOTER, MARGIN_LEFT, body_width(r),
		    FOOTER_BASELINE + ST_FOOTER.leading, s, strlen(s));
		free(s);
		if (ret != 0)
			return -1;
	}
	return 0;
}

/* The footer of a dossier's form: "Mã hồ sơ: ... - Trang i/n". */
static int
number_pages(struct render *r, const char *code)
{
	char *label;
	int ret;

	if (r->npages < 2)
		return 0;
	if ((label = str_printf(r, "Mã hồ sơ: %s", code)) == NULL)
		return -1;
	ret = number_pages_as(r, label);
	free(label);
	return ret;
}

/* ---- Blocks shared by the forms ---- */

/* A centred text in a column, its lines balanced (see balanced_width). */
static float
header_text(struct render *r, const struct style *st, float x, float width, float top,
    const char *s)
{
	float w = balanced_width(r, st, width, s);

	return text_box(r, st, x + (width - w) / 2.0f, w, top, s);
}

/*
 * The national header: on the left the authority (upper case) over the office that
 * issues the form, underlined by a short rule; on the right the state's name over the
 * motto, underlined by a rule as long as the motto. Leaves r->y under the taller side.
 */
static int
draw_header(struct render *r, const char *authority, const char *office)
{
	const float left_w = body_width(r) * 0.46f, right_x = MARGIN_LEFT + left_w;
	const float right_w = body_width(r) - left_w;
	const char *motto = "Độc lập - Tự do - Hạnh phúc";
	float top = r->y, yl, yr, w;
	char *upper;

	if ((upper = upper_copy(r, authority)) == NULL)
		return -1;
	yl = top - header_text(r, &ST_HEAD_LEFT, MARGIN_LEFT, left_w, top, upper);
	free(upper);
	yl -= header_text(r, &ST_HEAD_LEFT_BOLD, MARGIN_LEFT, left_w, yl, office);
	hline(r, MARGIN_LEFT + left_w / 2 - 30.0f, MARGIN_LEFT + left_w / 2 + 30.0f,
	    yl - 4.0f, 0.6f);

	yr = top - header_text(r, &ST_HEAD_RIGHT, right_x, right_w, top,
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	yr -= header_text(r, &ST_MOTTO, right_x, right_w, yr, motto);
	w = text_width(r, &ST_MOTTO, motto, strlen(motto));
	hline(r, right_x + (right_w - w) / 2, right_x + (right_w + w) / 2, yr + 0.5f, 0.6f);

	r->y = (yl < yr ? yl : yr) - 22.0f;
	return check(r, "drawing the header");
}

/* The form's title, then its code line, centred. */
static int
draw_title(struct render *r, const char *title, const char *code)
{
	if (flow(r, &ST_TITLE, 0.0f, title) != 0)
		return -1;
	r->y -= 2.0f;
	if (flowf(r, &ST_CENTER_BOLD, "Mã hồ sơ: %s", code) != 0)
		return -1;
	r->y -= 10.0f;
	return 0;
}

/* Height of a row of cells: the tallest cell plus padding. */
static float
row_height(struct render *r, const struct table *t, const char *const *cells)
{
	float h, max = 0.0f;
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		h = text_height(r, t->cols[i].style, t->cols[i].width - 2 * CELL_PAD, cells[i]);
		if (h > max)
			max = h;
	}
	return max + 2 * CELL_PAD;
}

/* Frames the cells of a row segment whose top is r->y; fills them grey first when
 * shaded (the header row). */
static int
frame_row(struct render *r, const struct table *t, float height, int shaded)
{
	float x = MARGIN_LEFT;
	size_t i;

	HPDF_Page_SetLineWidth(r->page, 0.6f);
	if (shaded)
		HPDF_Page_SetGrayFill(r->page, 0.9f);
	for (i = 0; i < t->ncols; i++) {
		HPDF_Page_Rectangle(r->page, x, r->y - height, t->cols[i].width, height);
		x += t->cols[i].width;
	}
	if (shaded)
		HPDF_Page_FillStroke(r->page);
	else
		HPDF_Page_Stroke(r->page);
	HPDF_Page_SetGrayFill(r->page, 0.0f);
	return check(r, "drawing a table");
}

static float
header_height(struct render *r, const struct table *t)
{
	float h, max = 0.0f;
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		h = text_height(r, &ST_CELL_HEAD, t->cols[i].width - 2 * CELL_PAD,
		    t->cols[i].title);
		if (h > max)
			max = h;
	}
	return max + 2 * CELL_PAD;
}

/* The header row of a table, at r->y, each title centred in its cell. */
static int
table_header(struct render *r, const struct table *t)
{
	float h = header_height(r, t), x = MARGIN_LEFT, w, th;
	size_t i;

	if (frame_row(r, t, h, 1) != 0)
		return -1;
	for (i = 0; i < t->ncols; i++) {
		w = t->cols[i].width - 2 * CELL_PAD;
		th = text_height(r, &ST_CELL_HEAD, w, t->cols[i].title);
		header_text(r, &ST_CELL_HEAD, x + CELL_PAD, w, r->y - (h - th) / 2.0f,
		    t->cols[i].title);
		x += t->cols[i].width;
	}
	r->y -= h;
	return check(r, "drawing a table");
}

/* A new page that continues a table: its header row first. */
static int
table_page(struct render *r, const struct table *t)
{
	if (new_page(r) != 0)
		return -1;
	return table_header(r, t);
}

/* Starts a table at r->y, moving to a new page unless its header and one line of a
 * row fit here, so that a header never stands alone at the foot of a page. */
static int
table_start(struct render *r, const struct table *t)
{
	if (keep(r, header_height(r, t) + ST_CELL.leading + 2 * CELL_PAD) != 0)
		return -1;
	return table_header(r, t);
}

/* Lines of a cell's style that fit in `height` less the padding. */
static size_t
lines_fitting(const struct style *st, float height)
{
	height -= 2 * CELL_PAD;
	return height >= st->leading ? (size_t)(height / st->leading) : 0;
}

/*
 * One row of cells (t->ncols of them, at most MAX_COLUMNS). A row that does not fit
 * under r->y goes to a new page (with the header repeated); a row taller than a whole
 * page is split line by line, each part framed on its own page.
 */
static int
table_row(struct render *r, const struct table *t, const char *const *cells)
{
	const char *rest[MAX_COLUMNS];
	size_t left[MAX_COLUMNS], fit[MAX_COLUMNS], i, n, used;
	float h = row_height(r, t, cells), x;
	float fresh = page_height(r) - MARGIN_TOP - MARGIN_BOTTOM - header_height(r, t);
	int full;

	if (h > room(r) && h <= fresh && table_page(r, t) != 0)
		return -1;
	for (i = 0; i < t->ncols; i++) {
		rest[i] = cells[i];
		left[i] = strlen(cells[i]);
	}
	for (;;) {
		/* This part: as many lines of each cell as fit, framed as high as the
		 * tallest cell needs. */
		for (i = 0, full = 0; i < t->ncols; i++)
			if ((fit[i] = lines_fitting(t->cols[i].style, room(r))) == 0)
				full = 1;
		if (full) {
			if (table_page(r, t) != 0)
				return -1;
			continue;
		}
		h = 0.0f;
		for (i = 0; i < t->ncols; i++) {
			lay_lines(r, t->cols[i].style, 0.0f, t->cols[i].width - 2 * CELL_PAD,
			    0.0f, rest[i], left[i], fit[i], 0, &n);
			if ((float)n * t->cols[i].style->leading > h)
				h = (float)n * t->cols[i].style->leading;
		}
		h += 2 * CELL_PAD;
		if (frame_row(r, t, h, 0) != 0)
			return -1;
		x = MARGIN_LEFT;
		for (i = 0; i < t->ncols; i++) {
			used = lay_lines(r, t->cols[i].style, x + CELL_PAD,
			    t->cols[i].width - 2 * CELL_PAD, r->y - CELL_PAD, rest[i], left[i],
			    fit[i], 1, &n);
			if (r->error != HPDF_OK)
				return check(r, "drawing a table");
			rest[i] += used;
			left[i] -= used;
			x += t->cols[i].width;
		}
		r->y -= h;
		for (i = 0; i < t->ncols && left[i] == 0; i++)
			;
		if (i == t->ncols)
			return 0;
		if (table_page(r, t) != 0)
			return -1;
	}
}

/*
 * A QR code of text (error correction level M, 8-bit mode) in a square of `side`
 * points whose top left corner is (x, top), the 4-module quiet zone included. Dark
 * modules are filled rectangles, one per run in a row, which keeps the content small.
 */
static int
draw_qr(struct render *r, const char *text, float x, float top, float side)
{
	QRcode *qr;
	float m;
	int row, col, start;

	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) == NULL) {
		fail(r, "cannot encode the QR code: %s", strerror(errno));
		return -1;
	}
	m = side / (float)(qr->width + 8);
	for (row = 0; row < qr->width; row++) {
		for (col = 0; col < qr->width; col++) {
			if (!(qr->data[row * qr->width + col] & 1))
				continue;
			start = col;
			while (col + 1 < qr->width && (qr->data[row * qr->width + col + 1] & 1))
				col++;
			HPDF_Page_Rectangle(r->page, x + (float)(4 + start) * m,
			    top - (float)(4 + row + 1) * m, (float)(col - start + 1) * m, m);
		}
	}
	HPDF_Page_Fill(r->page);
	QRcode_free(qr);
	return check(r, "drawing the QR code");
}

/* Two signature blocks side by side: title, "(Ký và ghi rõ họ tên)", room to sign,
 * then the printed names (NULL or "": none). */
static int
draw_signatures(struct render *r, const char *left_title, const char *left_name,
    const char *right_title, const char *right_name)
{
	const float w = body_width(r) / 2.0f, sign_room = 60.0f;
	const char *hint = "(Ký và ghi rõ họ tên)";
	float top, hl, hr;

	hl = text_height(r, &ST_CENTER_BOLD, w, left_title);
	hr = text_height(r, &ST_CENTER_BOLD, w, right_title);
	if (keep(r, (hl > hr ? hl : hr) + ST_SMALL_CENTER.leading + sign_room +
	    ST_CENTER_BOLD.leading) != 0)
		return -1;
	top = r->y;
	text_box(r, &ST_CENTER_BOLD, MARGIN_LEFT, w, top, left_title);
	text_box(r, &ST_CENTER_BOLD, MARGIN_LEFT + w, w, top, right_title);
	top -= hl > hr ? hl : hr;
	text_box(r, &ST_SMALL_CENTER, MARGIN_LEFT, w, top, hint);
	text_box(r, &ST_SMALL_CENTER, MARGIN_LEFT + w, w, top, hint);
	top -= ST_SMALL_CENTER.leading + sign_room;
	hl = text_box(r, &ST_CENTER_BOLD, MARGIN_LEFT, w, top, nz(left_name));
	hr = text_box(r, &ST_CENTER_BOLD, MARGIN_LEFT + w, w, top, nz(right_name));
	r->y = top - (hl > hr ? hl : hr) - 8.0f;
	return check(r, "drawing the signatures");
}

/* ---- Document life: open, finish ---- */

/*
 * libharu 2.3 embeds the glyphs a text uses and their components, but not the
 * components' own components. DejaVu Sans builds "ế" from "e" and a stacked mark that
 * is itself made of two accents with no code point of their own: the acute went
 * missing and "ế" printed as "ê" (while pdftotext, reading the text, saw nothing
 * wrong). Measuring a text is enough for libharu to mark its glyphs as used, so
 * measuring every letter of Latin-1, Latin Extended-A, ơ ư, the Vietnamese block and
 * the curly quotes once brings in the accents those letters use directly, which are
 * the ones the stacked marks are made of (checked on every DejaVu face). It costs
 * about 9 KB per face. Text outside these blocks may still lose a nested part.
 */
static void
prime_font(HPDF_Font font)
{
	static const uint32_t ranges[][2] = {
		{ 0xC0, 0x17F }, { 0x1A0, 0x1A1 }, { 0x1AF, 0x1B0 }, { 0x1EA0, 0x1EF9 },
		{ 0x2018, 0x201D },
	};
	char buf[4 * ((0x17F - 0xC0 + 1) + 4 + (0x1EF9 - 0x1EA0 + 1) + 6)];
	size_t i, len = 0;
	uint32_t c;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		for (c = ranges[i][0]; c <= ranges[i][1]; c++)
			len += utf8_put(buf + len, c);
	HPDF_Font_TextWidth(font, (const HPDF_BYTE *)buf, (HPDF_UINT)len);
}

/* Before anything else, so that every failure can be reported and cleaned up. */
static void
render_init(struct render *r, char *err, size_t errsz)
{
	memset(r, 0, sizeof(*r));
	r->err = err;
	r->errsz = errsz;
	if (errsz > 0)
		err[0] = '\0';
}

/* Each call gets its own document; fonts are loaded per document because libharu
 * ties a font to the document that loaded it. */
static int
render_open(struct render *r, const struct form_options *o, const char *title)
{
	const char *regular = FORM_FONT_REGULAR, *bold = FORM_FONT_BOLD, *name;

	if (o != NULL) {
		regular = or_else(o->font_regular, FORM_FONT_REGULAR);
		bold = or_else(o->font_bold, NULL);
	}
	if ((r->pdf = HPDF_New(on_hpdf_error, r)) == NULL) {
		fail(r, "out of memory");
		return -1;
	}
	HPDF_UseUTFEncodings(r->pdf);
	HPDF_SetCurrentEncoder(r->pdf, "UTF-8");
	HPDF_SetCompressionMode(r->pdf, HPDF_COMP_ALL);
	HPDF_SetInfoAttr(r->pdf, HPDF_INFO_TITLE, title);
	HPDF_SetInfoAttr(r->pdf, HPDF_INFO_CREATOR, "motcua");
	if (check(r, "creating the document") != 0)
		return -1;

	if ((name = HPDF_LoadTTFontFromFile(r->pdf, regular, HPDF_TRUE)) == NULL ||
	    (r->regular = HPDF_GetFont(r->pdf, name, "UTF-8")) == NULL) {
		if (check(r, regular) == 0)
			fail(r, "%s: cannot load the font", regular);
		return -1;
	}
	prime_font(r->regular);
	r->bold = r->regular;
	if (bold != NULL) {
		if ((name = HPDF_LoadTTFontFromFile(r->pdf, bold, HPDF_TRUE)) == NULL ||
		    (r->bold = HPDF_GetFont(r->pdf, name, "UTF-8")) == NULL) {
			if (check(r, bold) == 0)
				fail(r, "%s: cannot load the font", bold);
			return -1;
		}
		prime_font(r->bold);
	}
	return new_page(r);
}

/* The finished document's bytes, malloc'd. */
static int
render_save(struct render *r, unsigned char **pdf, size_t *len)
{
	HPDF_UINT32 size, got;
	unsigned char *buf;

	if (HPDF_SaveToStream(r->pdf) != HPDF_OK)
		return check(r, "writing the PDF");
	size = HPDF_GetStreamSize(r->pdf);
	if (size == 0 || (buf = malloc(size)) == NULL) {
		fail(r, "out of memory");
		return -1;
	}
	got = size;
	/* Reading the stream to its very end may be flagged as end of stream; what
	 * counts is that every byte came. */
	if (HPDF_ReadFromStream(r->pdf, buf, &got) != HPDF_OK && got != size) {
		free(buf);
		return check(r, "reading the PDF");
	}
	if (got != size) {
		free(buf);
		fail(r, "short read of the PDF");
		return -1;
	}
	*pdf = buf;
	*len = size;
	return 0;
}

static void
render_close(struct render *r)
{
	if (r->pdf != NULL)
		HPDF_Free(r->pdf);
	free(r->scratch);
}

/* A text field of a form's data, as the checks see it. */
struct field {
	const char *name;
	const char *value;
	int required;           /* NULL or "" refused */
};

/* 0 if the required fields are there and no field is absurdly long. */
static int
check_fields(struct render *r, const struct field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (f[i].value == NULL || f[i].value[0] == '\0') {
			if (!f[i].required)
				continue;
			fail(r, "missing %s", f[i].name);
			return -1;
		}
		if (strlen(f[i].value) > MAX_FIELD) {
			fail(r, "%s too long", f[i].name);
			return -1;
		}
	}
	return 0;
}

/* ---- The forms ---- */

static int
receipt_docs(struct render *r, const struct receipt_data *d)
{
	static const struct column cols[] = {
		{ "STT", 32.0f, &ST_CELL_CENTER },
		{ "Tên giấy tờ", TEXT_W - 32.0f - 2 * 62.0f, &ST_CELL },
		{ "Bản chính", 62.0f, &ST_CELL_CENTER },
		{ "Bản sao", 62.0f, &ST_CELL_CENTER },
	};
	static const struct table t = { cols, sizeof(cols) / sizeof(cols[0]) };
	char num[24], orig[24], copies[24];
	const char *cells[4];
	size_t i;

	if (keep(r, ST_BODY.leading + header_height(r, &t) + ST_CELL.leading +
	    2 * CELL_PAD) != 0 || flow(r, &ST_BODY, 0.0f,
	    "1. Thành phần hồ sơ nộp gồm:") != 0)
		return -1;
	if (d->ndocs == 0)
		return flow(r, &ST_BODY, 14.0f, "(không có giấy tờ kèm theo)");
	r->y -= 3.0f;
	if (table_start(r, &t) != 0)
		return -1;
	for (i = 0; i < d->ndocs; i++) {
		snprintf(num, sizeof(num), "%zu", i + 1);
		snprintf(orig, sizeof(orig), "%02d", d->docs[i].originals);
		snprintf(copies, sizeof(copies), "%02d", d->docs[i].copies);
		cells[0] = num;
		cells[1] = or_dots(d->docs[i].name);
		cells[2] = orig;
		cells[3] = copies;
		if (table_row(r, &t, cells) != 0)
			return -1;
	}
	r->y -= 4.0f;
	return 0;
}

/* The secret boxed, a line on how to track, and the QR code beside them. */
static int
receipt_tracking(struct render *r, const struct receipt_data *d)
{
	const float side = 96.0f, gap = 14.0f, text_w = TEXT_W - side - gap;
	int has_pin = d->pin != NULL && d->pin[0] != '\0';
	int has_url = d->tracking_url != NULL && d->tracking_url[0] != '\0';
	char *pin_line = NULL, *how = NULL;
	float top, y, w, h_text;
	int ret = -1;

	if (!has_pin && !has_url)
		return 0;
	if (has_pin && (pin_line = str_printf(r, "Mã bí mật tra cứu: %s", d->pin)) == NULL)
		goto out;
	if (has_url && (how = str_printf(r, "Quét mã QR hoặc truy cập địa chỉ sau để tra "
	    "cứu tình trạng hồ sơ:\n%s", d->tracking_url)) == NULL)
		goto out;
	h_text = (has_pin ? ST_PIN.leading + 16.0f : 0.0f) +
	    (has_url ? text_height(r, &ST_SMALL, text_w, how) : 0.0f);
	if (keep(r, (has_url && h_text < side ? side : h_text) + 6.0f) != 0)
		goto out;
	top = y = r->y - 6.0f;
	if (has_pin) {
		w = text_width(r, &ST_PIN, pin_line, strlen(pin_line));
		HPDF_Page_SetLineWidth(r->page, 1.0f);
		HPDF_Page_Rectangle(r->page, MARGIN_LEFT, y - ST_PIN.leading - 8.0f,
		    (w + 16.0f < text_w ? w + 16.0f : text_w), ST_PIN.leading + 8.0f);
		HPDF_Page_Stroke(r->page);
		text_box(r, &ST_PIN, MARGIN_LEFT + 8.0f, text_w - 16.0f, y - 4.0f, pin_line);
		y -= ST_PIN.leading + 16.0f;
	}
	if (has_url) {
		y -= text_box(r, &ST_SMALL, MARGIN_LEFT, text_w, y, how);
		if (draw_qr(r, d->tracking_url, MARGIN_LEFT + TEXT_W - side, top, side) != 0)
			goto out;
		if (top - side < y)
			y = top - side;
	}
	r->y = y - 6.0f;
	ret = check(r, "drawing the tracking block");
out:
	free(pin_line);
	free(how);
	return ret;
}

int
form_receipt_pdf(const struct receipt_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz)
{
	const struct field fields[] = {
		{ "unit_name", d->unit_name, 1 },
		{ "dossier_code", d->dossier_code, 1 },
		{ "applicant_name", d->applicant_name, 1 },
		{ "procedure_name", d->procedure_name, 1 },
		{ "applicant_address", d->applicant_address, 0 },
		{ "applicant_phone", d->applicant_phone, 0 },
		{ "applicant_email", d->applicant_email, 0 },
		{ "time_text", d->time_text, 0 },
		{ "result_channel_text", d->result_channel_text, 0 },
		{ "pin", d->pin, 0 },
		{ "tracking_url", d->tracking_url, 0 },
		{ "officer_name", d->officer_name, 0 },
	};
	char received[96], due[96];
	struct render r;
	size_t i;
	int ret = -1;

	*pdf = NULL;
	*len = 0;
	render_init(&r, err, errsz);
	if (check_fields(&r, fields, sizeof(fields) / sizeof(fields[0])) != 0)
		goto out;
	if (d->ndocs > 0 && d->docs == NULL) {
		fail(&r, "documents missing");
		goto out;
	}
	for (i = 0; i < d->ndocs; i++) {
		const struct field name = { "document name", d->docs[i].name, 0 };

		if (d->docs[i].originals < 0 || d->docs[i].copies < 0 ||
		    d->docs[i].originals > 99 || d->docs[i].copies > 99) {
			fail(&r, "document %zu: count out of range 0..99", i + 1);
			goto out;
		}
		if (check_fields(&r, &name, 1) != 0)
			goto out;
	}
	if (render_open(&r, o, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả") != 0)
		goto out;
	format_moment(d->received_at, ", ", received, sizeof(received));
	format_moment(d->due_at, ", ", due, sizeof(due));

	if (draw_header(&r, d->unit_name, DESK_OFFICE) != 0 ||
	    draw_title(&r, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", d->dossier_code) != 0 ||
	    flowf(&r, &ST_BODY, "Bộ phận tiếp nhận và trả kết quả %s", d->unit_name) != 0 ||
	    flowf(&r, &ST_BODY, "Tiếp nhận hồ sơ của: %s", d->applicant_name) != 0 ||
	    flowf(&r, &ST_BODY, "Địa chỉ: %s", or_dots(d->applicant_address)) != 0 ||
	    flowf(&r, &ST_BODY, "Số điện thoại: %s    Email: %s",
	    or_dots(d->applicant_phone), or_dots(d->applicant_email)) != 0 ||
	    flowf(&r, &ST_BODY, "Nội dung yêu cầu giải quyết: %s", d->procedure_name) != 0)
		goto out;
	r.y -= 4.0f;
	if (receipt_docs(&r, d) != 0 ||
	    flow(&r, &ST_BODY, 0.0f, "2. Số lượng hồ sơ: 01 (bộ)") != 0 ||
	    flowf(&r, &ST_BODY, "3. Thời gian giải quyết hồ sơ theo quy định là: %s",
	    or_dots(d->time_text)) != 0 ||
	    flowf(&r, &ST_BODY, "4. Thời gian nhận hồ sơ: %s", received) != 0 ||
	    flowf(&r, &ST_BODY, "5. Thời gian trả kết quả giải quyết hồ sơ: %s", due) != 0 ||
	    flowf(&r, &ST_BODY, "6. Đăng ký nhận kết quả tại: %s",
	    or_dots(d->result_channel_text)) != 0)
		goto out;
	r.y -= 4.0f;
	if (receipt_tracking(&r, d) != 0)
		goto out;
	r.y -= 6.0f;
	if (draw_signatures(&r, "NGƯỜI NỘP HỒ SƠ", NULL, "NGƯỜI TIẾP NHẬN HỒ SƠ",
	    d->officer_name) != 0)
		goto out;
	if (keep(&r, 3 * ST_SMALL.leading + 6.0f) != 0)
		goto out;
	hline(&r, MARGIN_LEFT, MARGIN_LEFT + 120.0f, r.y, 0.5f);
	r.y -= 3.0f;
	if (flow(&r, &ST_SMALL, 0.0f, "Ghi chú: Ông/Bà có thể tra cứu tình trạng giải "
	    "quyết hồ sơ trực tuyến bằng mã hồ sơ; xem thành phần hồ sơ và nhận kết quả "
	    "điện tử cần thêm mã bí mật tra cứu ghi trên giấy này. Không cung cấp mã bí "
	    "mật cho người khác; mang theo giấy này khi đến nhận kết quả.") != 0)
		goto out;
	if (number_pages(&r, d->dossier_code) != 0 || render_save(&r, pdf, len) != 0)
		goto out;
	ret = 0;
out:
	render_close(&r);
	return ret;
}

/* A link as text (after the words `how`) and as a QR code of `side` points beside it. */
static int
qr_block(struct render *r, const char *how_text, const char *url, float side)
{
	const float gap = 14.0f, text_w = TEXT_W - side - gap;
	char *how = str_printf(r, "%s\n%s", how_text, url);
	float top, y;
	int ret = -1;

	if (how == NULL)
		return -1;
	if (keep(r, side + 12.0f) != 0)
		goto out;
	top = y = r->y - 6.0f;
	y -= text_box(r, &ST_SMALL, MARGIN_LEFT, text_w, y, how);
	if (draw_qr(r, url, MARGIN_LEFT + TEXT_W - side, top, side) != 0)
		goto out;
	if (top - side < y)
		y = top - side;
	r->y = y - 6.0f;
	ret = check(r, "drawing the QR code's block");
out:
	free(how);
	return ret;
}

/* The verification link as text and as a QR code beside it. */
static int
slip_qr(struct render *r, const char *url)
{
	return qr_block(r, "Quét mã QR hoặc truy cập địa chỉ sau để xem kết quả kiểm tra chữ "
	    "ký số mà hệ thống đã lưu cho đúng tệp kết quả này, và để tự kiểm tra bản tệp "
	    "đang giữ:", url, 110.0f);
}

int
form_result_slip_pdf(const struct result_slip_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz)
{
	const struct field fields[] = {
		{ "unit_name", d->unit_name, 1 },
		{ "dossier_code", d->dossier_code, 1 },
		{ "procedure_name", d->procedure_name, 1 },
		{ "sha256", d->sha256, 1 },
		{ "verification_url", d->verification_url, 1 },
		{ "file_name", d->file_name, 0 },
	};
	char issued[96];
	struct render r;
	size_t i;
	int ret = -1;

	*pdf = NULL;
	*len = 0;
	render_init(&r, err, errsz);
	if (check_fields(&r, fields, sizeof(fields) / sizeof(fields[0])) != 0)
		goto out;
	if (d->nsigners > 0 && d->signers == NULL) {
		fail(&r, "signers missing");
		goto out;
	}
	for (i = 0; i < d->nsigners; i++) {
		const struct field f = { "signer", d->signers[i], 1 };
		if (check_fields(&r, &f, 1) != 0)
			goto out;
	}
	if (render_open(&r, o, "Phiếu xác minh kết quả điện tử") != 0)
		goto out;
	format_moment(d->issued_at, ", ", issued, sizeof(issued));
	if (draw_header(&r, d->unit_name, DESK_OFFICE) != 0 ||
	    draw_title(&r, "PHIẾU XÁC MINH KẾT QUẢ ĐIỆN TỬ", d->dossier_code) != 0 ||
	    flowf(&r, &ST_BODY, "Thủ tục: %s", d->procedure_name) != 0 ||
	    (d->file_name && d->file_name[0] &&
	     flowf(&r, &ST_BODY, "Tệp kết quả: %s (%llu byte)", d->file_name,
	     (unsigned long long)d->file_size) != 0) ||
	    flow(&r, &ST_BODY, 0.0f, "Mã băm SHA-256 của tệp kết quả:") != 0 ||
	    flow(&r, &ST_SMALL_CENTER, 0.0f, d->sha256) != 0 ||
	    flow(&r, &ST_BODY, 0.0f, d->nsigners ? "Chữ ký số trên tệp:" : "Tệp chưa có chữ ký số.") != 0)
		goto out;
	for (i = 0; i < d->nsigners; i++)
		if (flowf(&r, &ST_BODY, "%zu. %s", i + 1, d->signers[i]) != 0)
			goto out;
	r.y -= 4.0f;
	if (slip_qr(&r, d->verification_url) != 0 ||
	    flowf(&r, &ST_SMALL, "Phiếu được lập lúc %s. Thời điểm ký trên mỗi chữ ký do người "
	    "ký tự khai; chỉ tệp có đúng mã băm trên mới là tệp đã được xác minh.", issued) != 0)
		goto out;
	if (number_pages(&r, d->dossier_code) != 0 || render_save(&r, pdf, len) != 0)
		goto out;
	ret = 0;
out:
	render_close(&r);
	return ret;
}

int
form_control_sheet_pdf(const struct control_sheet_data *d,
    const struct form_options *o, unsigned char **pdf, size_t *len, char *err,
    size_t errsz)
{
	static const struct column cols[] = {
		{ "TÊN CƠ QUAN", TEXT_W * 0.30f, &ST_CELL },
		{ "THỜI GIAN GIAO, NHẬN HỒ SƠ", TEXT_W * 0.34f, &ST_CELL },
		{ "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ đúng hạn/ quá hạn)", TEXT_W * 0.18f,
		    &ST_CELL_CENTER },
		{ "GHI CHÚ", TEXT_W * 0.18f, &ST_CELL },
	};
	static const struct table t = { cols, sizeof(cols) / sizeof(cols[0]) };
	const struct field fields[] = {
		{ "unit_name", d->unit_name, 1 },
		{ "dossier_code", d->dossier_code, 1 },
		{ "handling_unit", d->handling_unit, 1 },
		{ "receipt_number", d->receipt_number, 0 },
		{ "coordinating_units", d->coordinating_units, 0 },
	};
	const char *cells[4], *verdict;
	char when[96], *units = NULL, *times = NULL;
	struct render r;
	size_t i;
	int ret = -1;

	*pdf = NULL;
	*len = 0;
	render_init(&r, err, errsz);
	if (check_fields(&r, fields, sizeof(fields) / sizeof(fields[0])) != 0)
		goto out;
	if (d->nrows > 0 && d->rows == NULL) {
		fail(&r, "rows missing");
		goto out;
	}
	for (i = 0; i < d->nrows; i++) {
		const struct control_row *c = &d->rows[i];
		const struct field row[] = {
			{ "from_unit", c->from_unit, 1 },
			{ "to_unit", c->to_unit, 1 },
			{ "from_person", c->from_person, 0 },
			{ "to_person", c->to_person, 0 },
			{ "note", c->note, 0 },
		};

		if (check_fields(&r, row, sizeof(row) / sizeof(row[0])) != 0)
			goto out;
		if ((unsigned)c->verdict >= DEADLINE__MAX) {
			fail(&r, "row %zu: verdict out of range", i + 1);
			goto out;
		}
	}

	if (render_open(&r, o, "Phiếu kiểm soát quá trình giải quyết hồ sơ") != 0 ||
	    draw_header(&r, d->unit_name, DESK_OFFICE) != 0 ||
	    draw_title(&r, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
	    d->dossier_code) != 0)
		goto out;
	r.y += 6.0f;
	if (flowf(&r, &ST_CENTER, "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả "
	    "số: %s)", or_else(d->receipt_number, d->dossier_code)) != 0)
		goto out;
	r.y -= 8.0f;
	if (flowf(&r, &ST_BODY, "Cơ quan (bộ phận) giải quyết hồ sơ: %s",
	    d->handling_unit) != 0 ||
	    flowf(&r, &ST_BODY, "Cơ quan phối hợp giải quyết hồ sơ: %s",
	    or_else(d->coordinating_units, "Không")) != 0)
		goto out;
	r.y -= 8.0f;
	if (table_start(&r, &t) != 0)
		goto out;
	for (i = 0; i < d->nrows; i++) {
		const struct control_row *c = &d->rows[i];

		format_moment(c->at, ",\n", when, sizeof(when));
		if ((units = str_printf(&r, "1. Giao: %s\n2. Nhận: %s", c->from_unit,
		    c->to_unit)) == NULL ||
		    (times = str_printf(&r, "%s\nNgười giao: %s\nNgười nhận: %s", when,
		    or_else(c->from_person, SHORT_DOTS),
		    or_else(c->to_person, SHORT_DOTS))) == NULL)
			goto out;
		verdict = c->verdict == DEADLINE_NONE ? "" :
		    deadline_status_label_vi(c->verdict);
		cells[0] = units;
		cells[1] = times;
		cells[2] = verdict;
		cells[3] = nz(c->note);
		if (table_row(&r, &t, cells) != 0)
			goto out;
		free(units);
		free(times);
		units = times = NULL;
	}
	if (number_pages(&r, d->dossier_code) != 0 || render_save(&r, pdf, len) != 0)
		goto out;
	ret = 0;
out:
	free(units);
	free(times);
	render_close(&r);
	return ret;
}

/* ---- The letters to the applicant (Mẫu số 02, 03, 04) ---- */

/* "04/03/2025": the local date of t. */
static void
format_date(int64_t t, char *buf, size_t size)
{
	struct civil c;

	time_to_local(t, &c);
	snprintf(buf, size, "%02d/%02d/%04d", c.day, c.month, c.year);
}

/* The top of a form: its number in the Circular's appendix, the national header, the
 * date it is issued, its title and the dossier's code. */
static int
letter_top(struct render *r, const char *form_no, const char *unit_name, const char *title,
    const char *code, int64_t dated)
{
	char date[16];

	format_date(dated, date, sizeof(date));
	if (flow(r, &ST_SMALL_RIGHT, 0.0f, form_no) != 0)
		return -1;
	r->y -= 4.0f;
	if (draw_header(r, unit_name, DESK_OFFICE) != 0)
		return -1;
	r->y += 12.0f;
	if (flowf(r, &ST_RIGHT, "Ngày %s", date) != 0)
		return -1;
	r->y -= 8.0f;
	return draw_title(r, title, code);
}

/* The lines every letter opens with: who handed in what, and when. */
static int
letter_facts(struct render *r, const char *unit_name, const char *applicant,
    const char *procedure, int64_t received_at)
{
	char when[96];

	format_moment(received_at, ", ", when, sizeof(when));
	if (flowf(r, &ST_BODY, "Bộ phận tiếp nhận và trả kết quả %s đã tiếp nhận hồ sơ của: %s",
	    unit_name, applicant) != 0 ||
	    flowf(r, &ST_BODY, "Nội dung yêu cầu giải quyết: %s", procedure) != 0 ||
	    flowf(r, &ST_BODY, "Thời gian tiếp nhận: %s", when) != 0)
		return -1;
	r->y -= 4.0f;
	return 0;
}

/* The tracking page's link and its QR code, when there is one. */
static int
letter_tracking(struct render *r, const char *url)
{
	if (url == NULL || url[0] == '\0')
		return 0;
	r->y -= 4.0f;
	return qr_block(r, "Quét mã QR hoặc truy cập địa chỉ sau để tra cứu tình trạng giải quyết "
	    "hồ sơ:", url, 96.0f);
}

/* One signature block on the right: title, hint, room to sign, the printed name. */
static int
letter_signature(struct render *r, const char *title, const char *hint, const char *name)
{
	const float w = body_width(r) / 2.0f, x = MARGIN_LEFT + w, sign_room = 60.0f;
	float top;

	if (keep(r, ST_CENTER_BOLD.leading * 2 + ST_SMALL_CENTER.leading + sign_room) != 0)
		return -1;
	top = r->y - 6.0f;
	top -= text_box(r, &ST_CENTER_BOLD, x, w, top, title);
	top -= text_box(r, &ST_SMALL_CENTER, x, w, top, hint);
	top -= sign_room;
	top -= text_box(r, &ST_CENTER_BOLD, x, w, top, nz(name));
	r->y = top - 8.0f;
	return check(r, "drawing the signature");
}

/* How every letter ends: the tracking QR code, the signature block, page numbers, and
 * the finished PDF in *pdf. */
static int
letter_end(struct render *r, const char *tracking_url, const char *title, const char *hint,
    const char *name, const char *dossier_code, unsigned char **pdf, size_t *len)
{
	if (letter_tracking(r, tracking_url) != 0 || letter_signature(r, title, hint, name) != 0 ||
	    number_pages(r, dossier_code) != 0)
		return -1;
	return render_save(r, pdf, len);
}

int
form_supplement_pdf(const struct supplement_form_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz)
{
	const struct field fields[] = {
		{ "unit_name", d->unit_name, 1 },
		{ "dossier_code", d->dossier_code, 1 },
		{ "applicant_name", d->applicant_name, 1 },
		{ "procedure_name", d->procedure_name, 1 },
		{ "note", d->note, 0 },
		{ "officer_name", d->officer_name, 0 },
		{ "tracking_url", d->tracking_url, 0 },
	};
	struct render r;
	size_t i;
	int ret = -1;

	*pdf = NULL;
	*len = 0;
	render_init(&r, err, errsz);
	if (check_fields(&r, fields, sizeof(fields) / sizeof(fields[0])) != 0)
		goto out;
	if (d->nitems == 0 || d->items == NULL) {
		fail(&r, "no items");
		goto out;
	}
	for (i = 0; i < d->nitems; i++) {
		const struct field item = { "item", d->items[i], 1 };

		if (check_fields(&r, &item, 1) != 0)
			goto out;
	}
	if (render_open(&r, o, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ") != 0 ||
	    letter_top(&r, "Mẫu số 02", d->unit_name, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
	    d->dossier_code, d->requested_at) != 0 ||
	    letter_facts(&r, d->unit_name, d->applicant_name, d->procedure_name,
	    d->received_at) != 0 ||
	    flow(&r, &ST_BODY, 0.0f, "Sau khi xem xét, đối chiếu với quy định, đề nghị Ông/Bà bổ "
	    "sung, hoàn thiện hồ sơ gồm những nội dung sau đây (một lần, đầy đủ):") != 0)
		goto out;
	for (i = 0; i < d->nitems; i++)
		if (flowf(&r, &ST_BODY, "%zu. %s", i + 1, d->items[i]) != 0)
			goto out;
	if (d->note != NULL && d->note[0] != '\0' &&
	    flowf(&r, &ST_BODY, "Lý do, hướng dẫn thêm: %s", d->note) != 0)
		goto out;
	r.y -= 4.0f;
	if (flow(&r, &ST_BODY, 0.0f, "Thời hạn giải quyết hồ sơ tạm dừng cho đến khi Ông/Bà nộp "
	    "đủ các nội dung trên. Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà "
	    "liên hệ Bộ phận tiếp nhận và trả kết quả để được hướng dẫn.") != 0 ||
	    letter_end(&r, d->tracking_url, "NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)",
	    d->officer_name, d->dossier_code, pdf, len) != 0)
		goto out;
	ret = 0;
out:
	render_close(&r);
	return ret;
}

int
form_refusal_pdf(const struct refusal_form_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz)
{
	const struct field fields[] = {
		{ "unit_name", d->unit_name, 1 },
		{ "dossier_code", d->dossier_code, 1 },
		{ "applicant_name", d->applicant_name, 1 },
		{ "procedure_name", d->procedure_name, 1 },
		{ "reason", d->reason, 1 },
		{ "officer_name", d->officer_name, 0 },
		{ "tracking_url", d->tracking_url, 0 },
	};
	struct render r;
	int ret = -1;

	*pdf = NULL;
	*len = 0;
	render_init(&r, err, errsz);
	if (check_fields(&r, fields, sizeof(fields) / sizeof(fields[0])) != 0)
		goto out;
	if (render_open(&r, o, "Phiếu từ chối tiếp nhận giải quyết hồ sơ") != 0 ||
	    letter_top(&r, "Mẫu số 03", d->unit_name,
	    "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", d->dossier_code, d->refused_at) != 0 ||
	    letter_facts(&r, d->unit_name, d->applicant_name, d->procedure_name,
	    d->received_at) != 0 ||
	    flowf(&r, &ST_BODY, "Qua xem xét, %s thông báo %s hồ sơ này với lý do cụ thể như "
	    "sau:", d->unit_name, d->not_accepted ? "không tiếp nhận" :
	    "từ chối giải quyết") != 0 ||
	    flow(&r, &ST_BODY, 14.0f, d->reason) != 0)
		goto out;
	r.y -= 4.0f;
	if (flow(&r, &ST_BODY, 0.0f, "Xin thông báo để Ông/Bà được biết và thực hiện./.") != 0 ||
	    letter_end(&r, d->tracking_url, d->not_accepted ? "NGƯỜI TIẾP NHẬN HỒ SƠ" :
	    "NGƯỜI XỬ LÝ HỒ SƠ", "(Ký và ghi rõ họ tên)", d->officer_name, d->dossier_code,
	    pdf, len) != 0)
		goto out;
	ret = 0;
out:
	render_close(&r);
	return ret;
}

int
form_apology_pdf(const struct apology_form_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz)
{
	const struct field fields[] = {
		{ "unit_name", d->unit_name, 1 },
		{ "dossier_code", d->dossier_code, 1 },
		{ "applicant_name", d->applicant_name, 1 },
		{ "procedure_name", d->procedure_name, 1 },
		{ "reason", d->reason, 0 },
		{ "leader_name", d->leader_name, 0 },
		{ "tracking_url", d->tracking_url, 0 },
	};
	char due[16], new_date[16];
	struct render r;
	int ret = -1;

	*pdf = NULL;
	*len = 0;
	render_init(&r, err, errsz);
	if (check_fields(&r, fields, sizeof(fields) / sizeof(fields[0])) != 0)
		goto out;
	format_date(d->due_at, due, sizeof(due));
	format_date(d->new_date, new_date, sizeof(new_date));
	if (render_open(&r, o, "Phiếu xin lỗi và hẹn lại ngày trả kết quả") != 0 ||
	    letter_top(&r, "Mẫu số 04", d->unit_name,
	    "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", d->dossier_code, d->approved_at) != 0 ||
	    letter_facts(&r, d->unit_name, d->applicant_name, d->procedure_name,
	    d->received_at) != 0 ||
	    flowf(&r, &ST_BODY, "Thời gian hẹn trả kết quả giải quyết hồ sơ: ngày %s.", due) != 0 ||
	    flowf(&r, &ST_BODY, "Tuy nhiên đến nay, %s chưa trả kết quả giải quyết hồ sơ của "
	    "Ông/Bà.", d->unit_name) != 0 ||
	    flowf(&r, &ST_BODY, "Lý do: %s", or_dots(d->reason)) != 0 ||
	    flowf(&r, &ST_BODY, "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. %s xin lỗi Ông/Bà "
	    "và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào ngày %s.", d->unit_name,
	    new_date) != 0 ||
	    flow(&r, &ST_BODY, 0.0f, "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.") != 0 ||
	    letter_end(&r, d->tracking_url, "THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)",
	    d->leader_name, d->dossier_code, pdf, len) != 0)
		goto out;
	ret = 0;
out:
	render_close(&r);
	return ret;
}

/* ---- Mẫu số 06: the register ---- */

/* dd/mm/yyyy of t, or "" for 0 (not yet). */
static const char *
date_or_blank(int64_t t, char *buf, size_t size)
{
	if (t == 0)
		return "";
	format_date(t, buf, size);
	return buf;
}

int
form_register_pdf(const struct register_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz)
{
	/* A4 landscape between the margins: 714.4 points */
	static const struct column cols[] = {
		{ "STT", 28.0f, &ST_CELL_SMALL_CENTER },
		{ "Mã hồ sơ", 134.0f, &ST_CELL_SMALL },
		{ "Tên thủ tục hành chính", 714.0f - 28.0f - 134.0f - 100.0f - 4 * 58.0f - 80.0f,
		    &ST_CELL_SMALL },
		{ "Tên cá nhân, tổ chức", 100.0f, &ST_CELL_SMALL },
		{ "Ngày nhận hồ sơ", 58.0f, &ST_CELL_SMALL_CENTER },
		{ "Ngày hẹn trả kết quả", 58.0f, &ST_CELL_SMALL_CENTER },
		{ "Ngày có kết quả", 58.0f, &ST_CELL_SMALL_CENTER },
		{ "Ngày trả kết quả", 58.0f, &ST_CELL_SMALL_CENTER },
		{ "Tình trạng", 80.0f, &ST_CELL_SMALL },
	};
	static const struct table t = { cols, sizeof(cols) / sizeof(cols[0]) };
	const struct field fields[] = { { "unit_name", d->unit_name, 1 } };
	char from[16], to[16], num[24], dates[4][16], *footer = NULL;
	const char *cells[9];
	struct civil c;
	struct render r;
	size_t i;
	int y, m, day, ret = -1;

	*pdf = NULL;
	*len = 0;
	render_init(&r, err, errsz);
	r.landscape = 1;
	if (check_fields(&r, fields, 1) != 0)
		goto out;
	if (d->nrows > 0 && d->rows == NULL) {
		fail(&r, "rows missing");
		goto out;
	}
	for (i = 0; i < d->nrows; i++) {
		const struct register_entry *e = &d->rows[i];
		const struct field row[] = {
			{ "code", e->code, 1 },
			{ "procedure_name", e->procedure_name, 1 },
			{ "applicant_name", e->applicant_name, 0 },
			{ "state_text", e->state_text, 1 },
		};

		if (check_fields(&r, row, sizeof(row) / sizeof(row[0])) != 0)
			goto out;
	}
	civil_from_days(d->from_day, &y, &m, &day);
	snprintf(from, sizeof(from), "%02d/%02d/%04d", day, m, y);
	civil_from_days(d->to_day, &y, &m, &day);
	snprintf(to, sizeof(to), "%02d/%02d/%04d", day, m, y);
	time_to_local(d->printed_at, &c);
	if (render_open(&r, o, "Sổ theo dõi hồ sơ") != 0 ||
	    flow(&r, &ST_SMALL_RIGHT, 0.0f, "Mẫu số 06") != 0)
		goto out;
	r.y -= 4.0f;
	if (draw_header(&r, d->unit_name, DESK_OFFICE) != 0 ||
	    flow(&r, &ST_TITLE, 0.0f, "SỔ THEO DÕI HỒ SƠ") != 0 ||
	    flowf(&r, &ST_CENTER, "Từ ngày %s đến ngày %s", from, to) != 0)
		goto out;
	r.y -= 8.0f;
	if (table_start(&r, &t) != 0)
		goto out;
	for (i = 0; i < d->nrows; i++) {
		const struct register_entry *e = &d->rows[i];

		snprintf(num, sizeof(num), "%zu", i + 1);
		cells[0] = num;
		cells[1] = e->code;
		cells[2] = e->procedure_name;
		cells[3] = nz(e->applicant_name);
		cells[4] = date_or_blank(e->received_at, dates[0], sizeof(dates[0]));
		cells[5] = date_or_blank(e->due_at, dates[1], sizeof(dates[1]));
		cells[6] = date_or_blank(e->finished_at, dates[2], sizeof(dates[2]));
		cells[7] = date_or_blank(e->returned_at, dates[3], sizeof(dates[3]));
		cells[8] = e->state_text;
		if (table_row(&r, &t, cells) != 0)
			goto out;
	}
	r.y -= 6.0f;
	if (flowf(&r, &ST_BODY, "Tổng số hồ sơ tiếp nhận: %zu", d->nrows) != 0 ||
	    flowf(&r, &ST_SMALL, "Sổ được lập lúc %02d giờ %02d phút, ngày %02d/%02d/%04d từ dữ "
	    "liệu của hệ thống một cửa điện tử.", c.hour, c.min, c.day, c.month, c.year) != 0)
		goto out;
	if ((footer = str_printf(&r, "Sổ theo dõi hồ sơ %s, %s - %s", d->unit_name, from,
	    to)) == NULL || number_pages_as(&r, footer) != 0 || render_save(&r, pdf, len) != 0)
		goto out;
	ret = 0;
out:
	free(footer);
	render_close(&r);
	return ret;
}
