/*
 * File types by magic bytes, declared-type agreement, and safe file names.
 */
#include <string.h>

#include "filetype.h"
#include "text.h"

struct magic {
	const char *bytes;
	size_t len;
};

#define M(s) { s, sizeof(s) - 1 }

static const struct magic executables[] = {
	M("MZ"),                        /* DOS and Windows PE */
	M("\x7f" "ELF"),
	M("#!"),                        /* scripts */
	M("\xfe\xed\xfa\xce"), M("\xfe\xed\xfa\xcf"),   /* Mach-O, both byte orders */
	M("\xce\xfa\xed\xfe"), M("\xcf\xfa\xed\xfe"),
	M("\xca\xfe\xba\xbe"),          /* Mach-O fat binary, Java class */
};

static const struct magic jpeg_magic = M("\xff\xd8\xff");
static const struct magic png_magic = M("\x89PNG\r\n\x1a\n");

static const char pdf_header[] = "%PDF-";
static const char pdf_trailer[] = "%%EOF";

/* What a client may declare for each type: extensions and media types. */
struct declared {
	const char *const *exts;
	const char *const *mimes;
};

static const char *const pdf_exts[] = { "pdf", NULL };
static const char *const pdf_mimes[] = { "application/pdf", "application/x-pdf", NULL };
static const char *const jpeg_exts[] = { "jpg", "jpeg", "jpe", "jfif", NULL };
static const char *const jpeg_mimes[] = { "image/jpeg", "image/pjpeg", "image/jpg", NULL };
static const char *const png_exts[] = { "png", NULL };
static const char *const png_mimes[] = { "image/png", "image/x-png", NULL };

static const struct declared declared[FT__MAX] = {
	[FT_PDF] = { pdf_exts, pdf_mimes },
	[FT_JPEG] = { jpeg_exts, jpeg_mimes },
	[FT_PNG] = { png_exts, png_mimes },
};

static const char *const names[FT__MAX] = {
	[FT_UNKNOWN] = "unknown",
	[FT_PDF] = "pdf",
	[FT_JPEG] = "jpeg",
	[FT_PNG] = "png",
	[FT_EXECUTABLE] = "executable",
};

const char *
ft_name(enum filetype t)
{
	return (unsigned)t < FT__MAX ? names[t] : "unknown";
}

const char *
ft_mime(enum filetype t)
{
	if ((unsigned)t < FT__MAX && declared[t].mimes)
		return declared[t].mimes[0];
	return "application/octet-stream";
}

void
ft_sniff_init(struct ft_sniffer *s)
{
	memset(s, 0, sizeof *s);
}

void
ft_sniff_feed(struct ft_sniffer *s, const void *data, size_t len)
{
	const unsigned char *d = data;
	size_t n, first;

	if (len == 0)
		return;
	if (s->head_len < FT_HEAD_MAX) {
		n = FT_HEAD_MAX - s->head_len;
		if (n > len)
			n = len;
		memcpy(s->head + s->head_len, d, n);
		s->head_len += n;
	}
	s->total += len;
	if (len >= FT_TAIL_MAX) {
		memcpy(s->tail, d + len - FT_TAIL_MAX, FT_TAIL_MAX);
		s->tail_pos = 0;
		return;
	}
	first = FT_TAIL_MAX - s->tail_pos;
	if (first > len)
		first = len;
	memcpy(s->tail + s->tail_pos, d, first);
	memcpy(s->tail, d + first, len - first);
	s->tail_pos = (s->tail_pos + len) % FT_TAIL_MAX;
}

static int
starts_with(const struct ft_sniffer *s, const struct magic *m)
{
	return s->head_len >= m->len && memcmp(s->head, m->bytes, m->len) == 0;
}

/* Offset of "%PDF-" in the head, or -1. */
static long
pdf_header_at(const struct ft_sniffer *s)
{
	const unsigned char *h = memmem(s->head, s->head_len, pdf_header, sizeof pdf_header - 1);

	return h ? (long)(h - s->head) : -1;
}

enum filetype
ft_sniff_head(const struct ft_sniffer *s, int *decided)
{
	enum filetype t = FT_UNKNOWN;

	for (size_t i = 0; i < sizeof executables / sizeof executables[0]; i++)
		if (starts_with(s, &executables[i])) {
			t = FT_EXECUTABLE;
			goto out;
		}
	if (starts_with(s, &jpeg_magic))
		t = FT_JPEG;
	else if (starts_with(s, &png_magic))
		t = FT_PNG;
	else if (pdf_header_at(s) >= 0)
		t = FT_PDF;
out:
	if (decided)
		*decided = t != FT_UNKNOWN || s->head_len == FT_HEAD_MAX;
	return t;
}

/* 1 if "%%EOF" ends in the last FT_TAIL_MAX bytes at or after absolute offset from. */
static int
pdf_trailer_after(const struct ft_sniffer *s, uint64_t from)
{
	unsigned char win[FT_TAIL_MAX];
	size_t wlen = s->total < FT_TAIL_MAX ? (size_t)s->total : FT_TAIL_MAX;
	uint64_t base = s->total - wlen;        /* absolute offset of win[0] */
	const size_t tl = sizeof pdf_trailer - 1;

	if (s->total < FT_TAIL_MAX) {
		memcpy(win, s->tail, wlen);
	} else {
		memcpy(win, s->tail + s->tail_pos, FT_TAIL_MAX - s->tail_pos);
		memcpy(win + (FT_TAIL_MAX - s->tail_pos), s->tail, s->tail_pos);
	}
	for (size_t i = wlen >= tl ? wlen - tl + 1 : 0; i-- > 0;)
		if (memcmp(win + i, pdf_trailer, tl) == 0)
			return base + i >= from;
	return 0;
}

enum filetype
ft_sniff_end(const struct ft_sniffer *s, const char **why)
{
	enum filetype t = ft_sniff_head(s, NULL);
	const char *reason = NULL;

	switch (t) {
	case FT_PDF:
		if (!pdf_trailer_after(s, (uint64_t)pdf_header_at(s) + sizeof pdf_header - 1)) {
			t = FT_UNKNOWN;
			reason = "the PDF has no %%EOF near its end: it is cut short or damaged";
		}
		break;
	case FT_EXECUTABLE:
		reason = "the file is an executable program";
		break;
	case FT_UNKNOWN:
		reason = s->total == 0 ? "the file is empty" : "the file is not a PDF, JPEG or PNG";
		break;
	default:
		break;
	}
	if (why)
		*why = reason;
	return t;
}

enum filetype
ft_detect(const void *data, size_t len, const char **why)
{
	struct ft_sniffer s;

	ft_sniff_init(&s);
	ft_sniff_feed(&s, data, len);
	return ft_sniff_end(&s, why);
}

static int
ci_equal(const char *a, size_t alen, const char *lit)
{
	size_t n = strlen(lit);

	if (alen != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)a[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (c != (unsigned char)lit[i])
			return 0;
	}
	return 1;
}

static int
in_list(const char *s, size_t len, const char *const *list)
{
	for (; *list; list++)
		if (ci_equal(s, len, *list))
			return 1;
	return 0;
}

const char *
ft_check_declared(enum filetype t, const char *name, size_t name_len, const char *content_type)
{
	const char *dot = NULL;

	if ((unsigned)t >= FT__MAX || declared[t].exts == NULL)
		return "the file is not a PDF, JPEG or PNG";
	for (size_t i = name_len; i-- > 1;)
		if (name[i] == '.') {
			dot = name + i;
			break;
		}
	if (dot && !in_list(dot + 1, name_len - (size_t)(dot + 1 - name), declared[t].exts))
		return "the file name's extension does not match the file's content";
	if (content_type && *content_type &&
	    !ci_equal(content_type, strlen(content_type), "application/octet-stream") &&
	    !in_list(content_type, strlen(content_type), declared[t].mimes))
		return "the declared content type does not match the file's content";
	return NULL;
}

/* ---- file names ---- */

#define EXT_KEEP_MAX    10              /* ASCII letters or digits after the last dot */
#define NAME_INPUT_MAX  4096            /* of a longer last component, only this much is read */

/* Characters that are dropped outright: invisible, or they reorder what is shown. */
static int
is_invisible(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	       cp == 0xad ||                            /* soft hyphen */
	       (cp >= 0x200b && cp <= 0x200f) ||        /* zero-width, LRM, RLM */
	       (cp >= 0x202a && cp <= 0x202e) ||        /* bidi embeddings and overrides */
	       (cp >= 0x2060 && cp <= 0x206f) ||        /* word joiner, isolates, ... */
	       cp == 0xfeff || cp == 0xfffe || cp == 0xffff;
}

static int
is_blank(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

static int
is_combining(uint32_t cp)
{
	return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
	       (cp >= 0x1dc0 && cp <= 0x1dff) || (cp >= 0x20d0 && cp <= 0x20ff) ||
	       (cp >= 0xfe20 && cp <= 0xfe2f);
}

static int
is_alnum_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * s[0..len) into out (which has room for len bytes: nothing here makes text longer):
 * bad UTF-8 and invisible characters dropped, reserved characters as '_', runs of
 * blanks as one space, no leading blank. Returns the length.
 */
static size_t
clean(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0, n;
	int space = 0;
	uint32_t cp;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			i++;
			continue;
		}
		if (is_blank(cp)) {
			space = o > 0;
		} else if (!is_invisible(cp)) {
			if (space)
				out[o++] = ' ';
			space = 0;
			if (cp < 0x80 && strchr("<>:\"|?*", (int)cp) != NULL)
				out[o++] = '_';
			else {
				memcpy(out + o, s + i, n);
				o += n;
			}
		}
		i += n;
	}
	return o;
}

/* The length of the longest prefix of valid UTF-8 s[0..len) that fits in max bytes
 * and does not part a character from the combining marks that follow it. */
static size_t
cut(const char *s, size_t len, size_t max)
{
	size_t i = 0, cluster = 0, n;
	uint32_t cp;

	if (len <= max)
		return len;
	while (i < len && (n = utf8_decode(s + i, len - i, &cp)) != 0) {
		if (i + n > max)
			return is_combining(cp) ? cluster : i;
		if (!is_combining(cp))
			cluster = i;
		i += n;
	}
	return i;
}

static void
trim_end(const char *s, size_t *len)
{
	while (*len > 0 && (s[*len - 1] == '.' || s[*len - 1] == ' '))
		(*len)--;
}

static int
is_device_name(const char *s, size_t len)
{
	static const char *const devices[] = { "con", "prn", "aux", "nul", NULL };
	const char *dot = memchr(s, '.', len);
	size_t n = dot ? (size_t)(dot - s) : len;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (in_list(s, n, devices))
		return 1;
	return n == 4 && s[3] >= '0' && s[3] <= '9' &&
	       (ci_equal(s, 3, "com") || ci_equal(s, 3, "lpt"));
}

/*
 * The steps run on the cleaned name, in an order that makes the result its own
 * sanitised form (sanitising it again changes nothing): clean, drop trailing dots and
 * blanks, split off the extension, drop leading dots and blanks, cut, mark a device
 * name. Dots and blanks right before the extension stay, since trimming them there
 * could turn what a cut left into a different extension on a second pass.
 */
size_t
filename_sanitise(const char *in, size_t len, char out[FILENAME_SAFE_MAX + 1])
{
	char buf[NAME_INPUT_MAX];
	const char *base = in;
	size_t n, ext_at, ext_len = 0, stem_len, start = 0, budget = FILENAME_SAFE_MAX, o = 0;
	int device;

	for (size_t i = 0; i < len; i++)
		if (in[i] == '/' || in[i] == '\\')
			base = in + i + 1;
	n = len - (size_t)(base - in);
	n = clean(base, n < sizeof buf ? n : sizeof buf, buf);
	trim_end(buf, &n);
	ext_at = stem_len = n;
	for (size_t i = n; i-- > 0;) {
		if (buf[i] != '.') {
			if (!is_alnum_ascii(buf[i]))
				break;
			continue;
		}
		if (n - i - 1 >= 1 && n - i - 1 <= EXT_KEEP_MAX) {
			ext_at = stem_len = i;
			ext_len = n - i;
		}
		break;
	}
	while (start < stem_len && (buf[start] == '.' || buf[start] == ' '))
		start++;
	device = is_device_name(buf + start, stem_len - start);
	budget -= ext_len + (device ? 1 : 0);
	stem_len = start + cut(buf + start, stem_len - start, budget);
	if (ext_len == 0)
		trim_end(buf, &stem_len);       /* the cut may have ended the name on them */
	if (stem_len <= start) {
		memcpy(out, FILENAME_DEFAULT, sizeof FILENAME_DEFAULT - 1);
		o = sizeof FILENAME_DEFAULT - 1;
	} else {
		if (device)
			out[o++] = '_';
		memcpy(out + o, buf + start, stem_len - start);
		o += stem_len - start;
	}
	memcpy(out + o, buf + ext_at, ext_len);
	o += ext_len;
	out[o] = '\0';
	return o;
}
