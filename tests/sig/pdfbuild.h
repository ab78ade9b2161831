/*
 * A tiny PDF writer for tests: hand-made PDFs and incremental updates with a
 * signature placeholder. Header-only, shared by tests/unit/test_pdfsig.c,
 * tests/unit/test_sigverify.c and tests/fuzz/fuzz_pdfsig.c (seeds). Test code: it
 * aborts on out-of-memory.
 */
#ifndef MOTCUA_TESTS_SIG_PDFBUILD_H
#define MOTCUA_TESTS_SIG_PDFBUILD_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PB_MAXOBJ 256

struct pdfb {
	uint8_t *s;
	size_t n, cap;
	size_t off[PB_MAXOBJ];          /* offset of each object in this file */
	uint8_t in_rev[PB_MAXOBJ];      /* written since the last xref */
	size_t last_xref;               /* offset of the previous xref (for /Prev) */
	size_t br_pos;                  /* the signature placeholder, when there is one */
	size_t contents_off, contents_end;
	int min_size;                   /* /Size at least this (objects of earlier revisions) */
};

static inline void
pb_raw(struct pdfb *b, const void *p, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		b->cap = (b->n + len + 1) * 2;
		if ((b->s = realloc(b->s, b->cap)) == NULL)
			abort();
	}
	memcpy(b->s + b->n, p, len);
	b->n += len;
	b->s[b->n] = 0;
}

static inline void __attribute__((format(printf, 2, 3)))
pb_add(struct pdfb *b, const char *fmt, ...)
{
	char tmp[8192];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof(tmp))
		abort();
	pb_raw(b, tmp, (size_t)k);
}

/* Start a new file, or an incremental update of an existing one (prev_xref: the
 * offset its startxref names). */
static inline void
pb_init(struct pdfb *b, const uint8_t *base, size_t len, size_t prev_xref)
{
	memset(b, 0, sizeof(*b));
	if (base != NULL)
		pb_raw(b, base, len);
	else
		pb_add(b, "%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n");
	b->last_xref = prev_xref;
}

static inline void
pb_begin(struct pdfb *b, int num)
{
	b->off[num] = b->n;
	b->in_rev[num] = 1;
	pb_add(b, "%d 0 obj\n", num);
}

static inline void __attribute__((format(printf, 3, 4)))
pb_obj(struct pdfb *b, int num, const char *fmt, ...)
{
	char tmp[8192];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof(tmp))
		abort();
	pb_begin(b, num);
	pb_raw(b, tmp, (size_t)k);
	pb_add(b, "\nendobj\n");
}

static inline void
pb_stream(struct pdfb *b, int num, const char *dict, const void *data, size_t len)
{
	pb_begin(b, num);
	pb_add(b, "<< %s /Length %zu >>\nstream\n", dict, len);
	pb_raw(b, data, len);
	pb_add(b, "\nendstream\nendobj\n");
}

/* A signature dictionary with room for ncontents bytes of CMS. */
static inline void
pb_sig(struct pdfb *b, int num, const char *subfilter, const char *m, size_t ncontents)
{
	pb_begin(b, num);
	pb_add(b, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /%s /M (%s) /ByteRange [", subfilter, m);
	b->br_pos = b->n;
	pb_add(b, "0 %-10s %-10s %-10s] /Contents ", "0", "0", "0");
	b->contents_off = b->n;
	pb_add(b, "<");
	for (size_t i = 0; i < ncontents; i++)
		pb_add(b, "00");
	pb_add(b, ">");
	b->contents_end = b->n;
	pb_add(b, " >>\nendobj\n");
}

/* Classic xref for the objects written since the last one, trailer, %%EOF. */
static inline size_t
pb_xref(struct pdfb *b, const char *trailer_extra)
{
	size_t xref = b->n;
	int size = 0;

	pb_add(b, "xref\n");
	if (b->last_xref == 0)
		pb_add(b, "0 1\n0000000000 65535 f \n");
	for (int i = 1; i < PB_MAXOBJ; i++) {
		if (b->off[i] != 0 || b->in_rev[i])
			size = i + 1;
		if (!b->in_rev[i])
			continue;
		pb_add(b, "%d 1\n%010zu 00000 n \n", i, b->off[i]);
	}
	if (size < b->min_size)
		size = b->min_size;
	pb_add(b, "trailer\n<< /Size %d %s", size, trailer_extra);
	if (b->last_xref != 0)
		pb_add(b, " /Prev %zu", b->last_xref);
	pb_add(b, " >>\nstartxref\n%zu\n%%%%EOF\n", xref);
	memset(b->in_rev, 0, sizeof(b->in_rev));
	b->last_xref = xref;
	return xref;
}

/* Fill in /ByteRange for the placeholder written by pb_sig (after pb_xref). */
static inline void
pb_fix_byterange(struct pdfb *b)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), "0 %-10zu %-10zu %-10zu", b->contents_off, b->contents_end,
	    b->n - b->contents_end);
	memcpy(b->s + b->br_pos, tmp, strlen(tmp));
}

/* Write DER bytes as hex into the placeholder (zero padding stays). 0 or -1. */
static inline int
pb_put_contents(struct pdfb *b, const uint8_t *der, size_t len)
{
	static const char hx[] = "0123456789ABCDEF";

	if (2 * len > b->contents_end - b->contents_off - 2)
		return -1;
	for (size_t i = 0; i < len; i++) {
		b->s[b->contents_off + 1 + 2 * i] = (uint8_t)hx[der[i] >> 4];
		b->s[b->contents_off + 2 + 2 * i] = (uint8_t)hx[der[i] & 15];
	}
	return 0;
}

/* The offset named by the last startxref of a file. */
static inline size_t
pb_startxref(const uint8_t *s, size_t len)
{
	for (size_t k = len; k >= 9; k--)
		if (memcmp(s + k - 9, "startxref", 9) == 0)
			return (size_t)strtoull((const char *)s + k, NULL, 10);
	return 0;
}

#endif
