/*
 * Vietnamese UTF-8: validation and folding for diacritic-blind search.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	uint32_t c;
	size_t n, i;

	if (len == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	/*
	 * The bounds on the second byte are what rule out overlongs (E0 80..9F, F0 80..8F),
	 * surrogates (ED A0..BF) and code points past U+10FFFF (F4 90..BF); C0, C1 and
	 * F5..FF can only start overlongs or values past U+10FFFF (Unicode table 3-7).
	 */
	if (p[0] < 0xC2)
		return 0;
	if (p[0] < 0xE0) {
		n = 2;
		c = p[0] & 0x1F;
	} else if (p[0] < 0xF0) {
		n = 3;
		c = p[0] & 0x0F;
		if (p[0] == 0xE0)
			lo = 0xA0;
		if (p[0] == 0xED)
			hi = 0x9F;
	} else if (p[0] < 0xF5) {
		n = 4;
		c = p[0] & 0x07;
		if (p[0] == 0xF0)
			lo = 0x90;
		if (p[0] == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = c;
	return n;
}

int
utf8_valid_text(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return 0;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F)
			return 0;
		i += n;
	}
	return 1;
}

size_t
utf8_length(const char *s, size_t len)
{
	size_t i, count = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

void
text_out_init(struct text_out *o, char *buf, size_t size)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
	o->need = 0;
}

void
text_out_put(struct text_out *o, const char *s, size_t n)
{
	/* len falls behind need at the first piece that does not fit, and stays behind. */
	if (o->len == o->need && o->size > 0 && n <= o->size - 1 - o->len) {
		memcpy(o->buf + o->len, s, n);
		o->len += n;
	}
	o->need += n;
}

size_t
text_out_end(struct text_out *o)
{
	if (o->size > 0)
		o->buf[o->len] = '\0';
	return o->need;
}

/*
 * The Vietnamese letters that carry a diacritic, precomposed (NFC), and the ASCII
 * letter each folds to: the 132 vowels with a hat, breve or horn and/or one of the five
 * tones, in both cases, and đ Đ. Sorted by code point for bsearch.
 */
struct fold_entry {
	uint32_t cp;
	char base;
};

static const struct fold_entry vi_fold[] = {
	{ 0x00C0, 'a' }, { 0x00C1, 'a' }, { 0x00C2, 'a' }, { 0x00C3, 'a' },          /* À Á Â Ã */
	{ 0x00C8, 'e' }, { 0x00C9, 'e' }, { 0x00CA, 'e' }, { 0x00CC, 'i' },          /* È É Ê Ì */
	{ 0x00CD, 'i' }, { 0x00D2, 'o' }, { 0x00D3, 'o' }, { 0x00D4, 'o' },          /* Í Ò Ó Ô */
	{ 0x00D5, 'o' }, { 0x00D9, 'u' }, { 0x00DA, 'u' }, { 0x00DD, 'y' },          /* Õ Ù Ú Ý */
	{ 0x00E0, 'a' }, { 0x00E1, 'a' }, { 0x00E2, 'a' }, { 0x00E3, 'a' },          /* à á â ã */
	{ 0x00E8, 'e' }, { 0x00E9, 'e' }, { 0x00EA, 'e' }, { 0x00EC, 'i' },          /* è é ê ì */
	{ 0x00ED, 'i' }, { 0x00F2, 'o' }, { 0x00F3, 'o' }, { 0x00F4, 'o' },          /* í ò ó ô */
	{ 0x00F5, 'o' }, { 0x00F9, 'u' }, { 0x00FA, 'u' }, { 0x00FD, 'y' },          /* õ ù ú ý */
	{ 0x0102, 'a' }, { 0x0103, 'a' }, { 0x0110, 'd' }, { 0x0111, 'd' },          /* Ă ă Đ đ */
	{ 0x0128, 'i' }, { 0x0129, 'i' }, { 0x0168, 'u' }, { 0x0169, 'u' },          /* Ĩ ĩ Ũ ũ */
	{ 0x01A0, 'o' }, { 0x01A1, 'o' }, { 0x01AF, 'u' }, { 0x01B0, 'u' },          /* Ơ ơ Ư ư */
	{ 0x1EA0, 'a' }, { 0x1EA1, 'a' }, { 0x1EA2, 'a' }, { 0x1EA3, 'a' },          /* Ạ ạ Ả ả */
	{ 0x1EA4, 'a' }, { 0x1EA5, 'a' }, { 0x1EA6, 'a' }, { 0x1EA7, 'a' },          /* Ấ ấ Ầ ầ */
	{ 0x1EA8, 'a' }, { 0x1EA9, 'a' }, { 0x1EAA, 'a' }, { 0x1EAB, 'a' },          /* Ẩ ẩ Ẫ ẫ */
	{ 0x1EAC, 'a' }, { 0x1EAD, 'a' }, { 0x1EAE, 'a' }, { 0x1EAF, 'a' },          /* Ậ ậ Ắ ắ */
	{ 0x1EB0, 'a' }, { 0x1EB1, 'a' }, { 0x1EB2, 'a' }, { 0x1EB3, 'a' },          /* Ằ ằ Ẳ ẳ */
	{ 0x1EB4, 'a' }, { 0x1EB5, 'a' }, { 0x1EB6, 'a' }, { 0x1EB7, 'a' },          /* Ẵ ẵ Ặ ặ */
	{ 0x1EB8, 'e' }, { 0x1EB9, 'e' }, { 0x1EBA, 'e' }, { 0x1EBB, 'e' },          /* Ẹ ẹ Ẻ ẻ */
	{ 0x1EBC, 'e' }, { 0x1EBD, 'e' }, { 0x1EBE, 'e' }, { 0x1EBF, 'e' },          /* Ẽ ẽ Ế ế */
	{ 0x1EC0, 'e' }, { 0x1EC1, 'e' }, { 0x1EC2, 'e' }, { 0x1EC3, 'e' },          /* Ề ề Ể ể */
	{ 0x1EC4, 'e' }, { 0x1EC5, 'e' }, { 0x1EC6, 'e' }, { 0x1EC7, 'e' },          /* Ễ ễ Ệ ệ */
	{ 0x1EC8, 'i' }, { 0x1EC9, 'i' }, { 0x1ECA, 'i' }, { 0x1ECB, 'i' },          /* Ỉ ỉ Ị ị */
	{ 0x1ECC, 'o' }, { 0x1ECD, 'o' }, { 0x1ECE, 'o' }, { 0x1ECF, 'o' },          /* Ọ ọ Ỏ ỏ */
	{ 0x1ED0, 'o' }, { 0x1ED1, 'o' }, { 0x1ED2, 'o' }, { 0x1ED3, 'o' },          /* Ố ố Ồ ồ */
	{ 0x1ED4, 'o' }, { 0x1ED5, 'o' }, { 0x1ED6, 'o' }, { 0x1ED7, 'o' },          /* Ổ ổ Ỗ ỗ */
	{ 0x1ED8, 'o' }, { 0x1ED9, 'o' }, { 0x1EDA, 'o' }, { 0x1EDB, 'o' },          /* Ộ ộ Ớ ớ */
	{ 0x1EDC, 'o' }, { 0x1EDD, 'o' }, { 0x1EDE, 'o' }, { 0x1EDF, 'o' },          /* Ờ ờ Ở ở */
	{ 0x1EE0, 'o' }, { 0x1EE1, 'o' }, { 0x1EE2, 'o' }, { 0x1EE3, 'o' },          /* Ỡ ỡ Ợ ợ */
	{ 0x1EE4, 'u' }, { 0x1EE5, 'u' }, { 0x1EE6, 'u' }, { 0x1EE7, 'u' },          /* Ụ ụ Ủ ủ */
	{ 0x1EE8, 'u' }, { 0x1EE9, 'u' }, { 0x1EEA, 'u' }, { 0x1EEB, 'u' },          /* Ứ ứ Ừ ừ */
	{ 0x1EEC, 'u' }, { 0x1EED, 'u' }, { 0x1EEE, 'u' }, { 0x1EEF, 'u' },          /* Ử ử Ữ ữ */
	{ 0x1EF0, 'u' }, { 0x1EF1, 'u' }, { 0x1EF2, 'y' }, { 0x1EF3, 'y' },          /* Ự ự Ỳ ỳ */
	{ 0x1EF4, 'y' }, { 0x1EF5, 'y' }, { 0x1EF6, 'y' }, { 0x1EF7, 'y' },          /* Ỵ ỵ Ỷ ỷ */
	{ 0x1EF8, 'y' }, { 0x1EF9, 'y' },                                            /* Ỹ ỹ */
};

/* Ranges outside ASCII that are not letters or digits: they separate words. */
struct cp_range {
	uint32_t first, last;
};

static const struct cp_range separators[] = {
	{ 0x0080, 0x00BF },     /* C1 controls, NBSP, Latin-1 punctuation and symbols */
	{ 0x00D7, 0x00D7 },     /* × */
	{ 0x00F7, 0x00F7 },     /* ÷ */
	{ 0x2000, 0x206F },     /* General Punctuation: spaces, dashes, quotes, … */
	{ 0x20A0, 0x20CF },     /* currency symbols, ₫ among them */
	{ 0x2100, 0x214F },     /* letterlike symbols: №, ℃ */
	{ 0x2190, 0x2BFF },     /* arrows, maths, technical, box drawing, shapes, dingbats */
	{ 0x3000, 0x303F },     /* CJK symbols and punctuation, ideographic space */
	{ 0xFE10, 0xFE1F },     /* vertical forms */
	{ 0xFE30, 0xFE6F },     /* CJK compatibility and small forms */
	{ 0xFEFF, 0xFEFF },     /* byte order mark */
	{ 0xFF01, 0xFF0F },     /* fullwidth ASCII punctuation */
	{ 0xFF1A, 0xFF20 },
	{ 0xFF3B, 0xFF40 },
	{ 0xFF5B, 0xFF65 },
	{ 0xFFF0, 0xFFFF },     /* specials, U+FFFD among them */
	{ 0x1F000, 0x1FAFF },   /* mahjong, cards, enclosed, emoji, pictographs */
};

/*
 * Simple lowering outside Vietnamese: an upper-case letter at first + k * stride
 * (first <= cp <= last) lowers to cp + delta. Only ranges with one regular rule are
 * listed; the irregular rest (İ, Ÿ, …) is left as it is.
 */
struct case_range {
	uint32_t first, last, delta, stride;
};

static const struct case_range lowering[] = {
	{ 0x00C0, 0x00D6, 0x20, 1 },    /* Latin-1 */
	{ 0x00D8, 0x00DE, 0x20, 1 },
	{ 0x0100, 0x012E, 1, 2 },       /* Latin Extended-A, upper/lower pairs */
	{ 0x0132, 0x0136, 1, 2 },
	{ 0x0139, 0x0147, 1, 2 },
	{ 0x014A, 0x0176, 1, 2 },
	{ 0x0179, 0x017D, 1, 2 },
	{ 0x0391, 0x03A1, 0x20, 1 },    /* Greek */
	{ 0x03A3, 0x03AB, 0x20, 1 },
	{ 0x0400, 0x040F, 0x50, 1 },    /* Cyrillic */
	{ 0x0410, 0x042F, 0x20, 1 },
};

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static int
fold_cmp(const void *key, const void *elem)
{
	uint32_t cp = *(const uint32_t *)key;
	const struct fold_entry *e = elem;

	return cp < e->cp ? -1 : cp > e->cp;
}

static int
is_separator(uint32_t cp)
{
	size_t i;

	for (i = 0; i < NELEMS(separators); i++)
		if (cp >= separators[i].first && cp <= separators[i].last)
			return 1;
	return 0;
}

static uint32_t
lower_simple(uint32_t cp)
{
	size_t i;

	for (i = 0; i < NELEMS(lowering); i++)
		if (cp >= lowering[i].first && cp <= lowering[i].last &&
		    (cp - lowering[i].first) % lowering[i].stride == 0)
			return cp + lowering[i].delta;
	return cp;
}

static size_t
utf8_encode(uint32_t cp, char *buf)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xC0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xE0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	buf[0] = (char)(0xF0 | (cp >> 18));
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	buf[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

enum fold_class {
	FOLD_KEEP,              /* a letter or digit, folded into the buffer */
	FOLD_DROP,              /* a combining mark: vanishes without splitting the word */
	FOLD_SEPARATE,          /* anything else: ends the word */
	FOLD__MAX
};

/* Classifies cp and, for FOLD_KEEP, writes its folded UTF-8 to buf (4 bytes). */
static enum fold_class
fold_code_point(uint32_t cp, char *buf, size_t *n)
{
	const struct fold_entry *e;

	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		else if (!(cp >= 'a' && cp <= 'z') && !(cp >= '0' && cp <= '9'))
			return FOLD_SEPARATE;
		buf[0] = (char)cp;
		*n = 1;
		return FOLD_KEEP;
	}
	if (cp >= 0x0300 && cp <= 0x036F)
		return FOLD_DROP;
	e = bsearch(&cp, vi_fold, NELEMS(vi_fold), sizeof(vi_fold[0]), fold_cmp);
	if (e != NULL) {
		buf[0] = e->base;
		*n = 1;
		return FOLD_KEEP;
	}
	if (is_separator(cp))
		return FOLD_SEPARATE;
	*n = utf8_encode(lower_simple(cp), buf);
	return FOLD_KEEP;
}

size_t
text_fold(const char *in, size_t len, char *out, size_t outsz)
{
	struct text_out o;
	char piece[1 + 4];          /* a pending space and one folded code point */
	size_t i = 0, step, n = 0;
	int gap = 0;                /* a separator came since the last letter kept */
	uint32_t cp;

	text_out_init(&o, out, outsz);
	while (i < len) {
		if ((step = utf8_decode(in + i, len - i, &cp)) == 0) {
			gap = 1;
			i++;
			continue;
		}
		i += step;
		switch (fold_code_point(cp, piece + 1, &n)) {
		case FOLD_KEEP:
			/* The space goes out with the letter after it, so a cut result never
			 * ends in a space and leading/trailing separators vanish. */
			if (gap && o.need > 0) {
				piece[0] = ' ';
				text_out_put(&o, piece, n + 1);
			} else
				text_out_put(&o, piece + 1, n);
			gap = 0;
			break;
		case FOLD_SEPARATE:
			gap = 1;
			break;
		default:
			break;
		}
	}
	return text_out_end(&o);
}
