/*
 * PDF object reader: lexer, objects, cross-reference (tables, streams, /Prev chains,
 * object streams) and the scan fallback. See pdf.h for what it does and does not do.
 *
 * Bounds, because the input is hostile: nesting depth PDF_MAX_DEPTH, at most
 * PDF_MAX_SECTIONS cross-reference sections, nested object loads at most
 * PDF_MAX_LOADS deep (an indirect /Length inside an object stream inside ...), and one
 * memory budget per document shared by parsed objects and decompressed streams.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sig/pdf.h"

#define PDF_MAX_DEPTH 64
#define PDF_MAX_SECTIONS 512
#define PDF_MAX_LOADS 8
#define PDF_MAX_OBJNUM 8388607u         /* the limit most readers use */
#define ARENA_CHUNK (64 * 1024)

/* ---------------------------------------------------------------- arena */

struct pdf_arena {
	struct pdf_arena *next;
	size_t used, cap;
	unsigned char data[];
};

static void *
arena_alloc(struct pdf_doc *d, size_t n)
{
	struct pdf_arena *a = d->arena, *na;
	size_t cap;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	if (n > d->budget)
		return NULL;
	if (a == NULL || a->cap - a->used < n) {
		cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		na = malloc(sizeof(*na) + cap);
		if (na == NULL)
			return NULL;
		na->used = 0;
		na->cap = cap;
		/* a large block goes behind the current chunk so its free space stays usable */
		if (a != NULL && n > ARENA_CHUNK) {
			na->next = a->next;
			a->next = na;
		} else {
			na->next = a;
			d->arena = na;
		}
		a = na;
	}
	p = a->data + a->used;
	a->used += n;
	d->budget -= n;
	return p;
}

static void
arena_free_all(struct pdf_arena *a)
{
	struct pdf_arena *n;

	for (; a != NULL; a = n) {
		n = a->next;
		free(a);
	}
}

/* ---------------------------------------------------------------- cache */

/* Open-addressing map from a 64-bit key to a loaded object (or a failure marker). */
struct pdf_cache {
	uint64_t *keys;
	void **vals;
	size_t cap, n;
};

static char cache_fail_marker;
#define CACHE_FAIL ((void *)&cache_fail_marker)

static size_t
cache_hash(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

/* Keys are stored +1 so that 0 marks an empty slot. */
static void *
cache_get(struct pdf_doc *d, uint64_t key)
{
	struct pdf_cache *c = d->cache;
	size_t i;

	if (c == NULL || c->cap == 0)
		return NULL;
	for (i = cache_hash(key, c->cap); c->keys[i] != 0; i = (i + 1) & (c->cap - 1))
		if (c->keys[i] == key + 1)
			return c->vals[i];
	return NULL;
}

static void
cache_put(struct pdf_doc *d, uint64_t key, void *val)
{
	struct pdf_cache *c = d->cache;
	uint64_t *nk;
	void **nv;
	size_t i, j, ncap;

	if (c == NULL)
		return;
	if ((c->n + 1) * 2 > c->cap) {
		ncap = c->cap ? c->cap * 2 : 256;
		nk = calloc(ncap, sizeof(*nk));
		nv = calloc(ncap, sizeof(*nv));
		if (nk == NULL || nv == NULL) {
			free(nk);
			free(nv);
			return;         /* the cache is an optimisation: carry on without */
		}
		for (i = 0; i < c->cap; i++) {
			if (c->keys[i] == 0)
				continue;
			for (j = cache_hash(c->keys[i] - 1, ncap); nk[j] != 0; j = (j + 1) & (ncap - 1))
				;
			nk[j] = c->keys[i];
			nv[j] = c->vals[i];
		}
		free(c->keys);
		free(c->vals);
		c->keys = nk;
		c->vals = nv;
		c->cap = ncap;
	}
	for (i = cache_hash(key, c->cap); c->keys[i] != 0; i = (i + 1) & (c->cap - 1))
		if (c->keys[i] == key + 1)
			break;
	if (c->keys[i] == 0)
		c->n++;
	c->keys[i] = key + 1;
	c->vals[i] = val;
}

/* ---------------------------------------------------------------- lexer */

struct lex {
	const uint8_t *s;
	size_t len, pos;
	int in_file;                    /* s is the document buffer: offsets are file offsets */
};

static int
is_ws(int c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static int
is_delim(int c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
	    c == '{' || c == '}' || c == '/' || c == '%';
}

static int
is_regular(int c)
{
	return !is_ws(c) && !is_delim(c);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
skip_ws(struct lex *lx)
{
	while (lx->pos < lx->len) {
		int c = lx->s[lx->pos];

		if (is_ws(c)) {
			lx->pos++;
		} else if (c == '%') {
			while (lx->pos < lx->len && lx->s[lx->pos] != '\n' && lx->s[lx->pos] != '\r')
				lx->pos++;
		} else {
			break;
		}
	}
}

/* A keyword (a run of regular characters) equal to kw at the current position? */
static int
at_keyword(const struct lex *lx, const char *kw)
{
	size_t n = strlen(kw);

	if (lx->len - lx->pos < n || memcmp(lx->s + lx->pos, kw, n) != 0)
		return 0;
	return lx->pos + n == lx->len || !is_regular(lx->s[lx->pos + n]);
}

/* An unsigned decimal integer (digits only). Returns 0 and advances, or -1. */
static int
lex_uint(struct lex *lx, uint64_t *out)
{
	uint64_t v = 0;
	size_t start = lx->pos;

	while (lx->pos < lx->len && lx->s[lx->pos] >= '0' && lx->s[lx->pos] <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(lx->s[lx->pos] - '0');
		lx->pos++;
	}
	if (lx->pos == start)
		return -1;
	if (lx->pos < lx->len && is_regular(lx->s[lx->pos]))
		return -1;
	*out = v;
	return 0;
}

static struct pdf_obj *
new_obj(struct pdf_doc *d, enum pdf_type t)
{
	struct pdf_obj *o = arena_alloc(d, sizeof(*o));

	if (o != NULL) {
		memset(o, 0, sizeof(*o));
		o->type = t;
	}
	return o;
}

static struct pdf_obj *
parse_number(struct pdf_doc *d, struct lex *lx)
{
	struct pdf_obj *o;
	int neg = 0, seen = 0, frac = 0, overflow = 0;
	int64_t iv = 0;
	double rv = 0, scale = 1;

	if (lx->s[lx->pos] == '+' || lx->s[lx->pos] == '-')
		neg = lx->s[lx->pos++] == '-';
	while (lx->pos < lx->len) {
		int c = lx->s[lx->pos];

		if (c >= '0' && c <= '9') {
			seen = 1;
			if (frac) {
				scale /= 10;
				rv += (c - '0') * scale;
			} else {
				rv = rv * 10 + (c - '0');
				if (iv > (INT64_MAX - 9) / 10)
					overflow = 1;
				else
					iv = iv * 10 + (c - '0');
			}
		} else if (c == '.' && !frac) {
			frac = 1;
		} else {
			break;
		}
		lx->pos++;
	}
	if (!seen || (lx->pos < lx->len && is_regular(lx->s[lx->pos])))
		return NULL;
	if (frac || overflow) {
		if ((o = new_obj(d, PDF_REAL)) != NULL)
			o->u.r = neg ? -rv : rv;
	} else if ((o = new_obj(d, PDF_INT)) != NULL) {
		o->u.i = neg ? -iv : iv;
	}
	return o;
}

static struct pdf_obj *
parse_name(struct pdf_doc *d, struct lex *lx)
{
	struct pdf_obj *o;
	size_t start = ++lx->pos, n = 0;
	char *out;

	while (lx->pos < lx->len && is_regular(lx->s[lx->pos]))
		lx->pos++;
	if ((out = arena_alloc(d, lx->pos - start + 1)) == NULL ||
	    (o = new_obj(d, PDF_NAME)) == NULL)
		return NULL;
	for (size_t i = start; i < lx->pos; i++) {
		int h1, h2;

		if (lx->s[i] == '#' && i + 2 < lx->pos && (h1 = hexval(lx->s[i + 1])) >= 0 &&
		    (h2 = hexval(lx->s[i + 2])) >= 0) {
			out[n++] = (char)(h1 << 4 | h2);
			i += 2;
		} else {
			out[n++] = (char)lx->s[i];
		}
	}
	out[n] = '\0';
	o->u.name.s = out;
	o->u.name.len = n;
	return o;
}

static struct pdf_obj *
parse_literal(struct pdf_doc *d, struct lex *lx)
{
	struct pdf_obj *o;
	size_t start = lx->pos, i, n = 0;
	int nest = 0;
	uint8_t *out;

	/* find the end first, so the output can be sized */
	for (i = start; i < lx->len; i++) {
		if (lx->s[i] == '\\')
			i++;
		else if (lx->s[i] == '(')
			nest++;
		else if (lx->s[i] == ')' && --nest == 0)
			break;
	}
	if (i >= lx->len)
		return NULL;
	if ((out = arena_alloc(d, i - start + 1)) == NULL || (o = new_obj(d, PDF_STRING)) == NULL)
		return NULL;
	nest = 0;
	for (size_t j = start + 1; j < i; j++) {
		int c = lx->s[j];

		if (c != '\\') {
			if (c == '\r') {        /* an end of line in a string reads as \n */
				if (j + 1 < i && lx->s[j + 1] == '\n')
					j++;
				c = '\n';
			}
			out[n++] = (uint8_t)c;
			continue;
		}
		c = lx->s[++j];
		switch (c) {
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case '\r':
			if (j + 1 < i && lx->s[j + 1] == '\n')
				j++;
			break;
		case '\n':
			break;
		default:
			if (c >= '0' && c <= '7') {
				int v = c - '0', k;

				for (k = 0; k < 2 && j + 1 < i && lx->s[j + 1] >= '0' &&
				    lx->s[j + 1] <= '7'; k++)
					v = v * 8 + (lx->s[++j] - '0');
				out[n++] = (uint8_t)v;
			} else {
				out[n++] = (uint8_t)c;
			}
		}
	}
	o->u.str.s = out;
	o->u.str.len = n;
	o->u.str.off = lx->in_file ? start : PDF_NO_OFFSET;
	o->u.str.end = lx->in_file ? i + 1 : PDF_NO_OFFSET;
	lx->pos = i + 1;
	return o;
}

static struct pdf_obj *
parse_hex(struct pdf_doc *d, struct lex *lx)
{
	struct pdf_obj *o;
	size_t start = lx->pos, i, n = 0;
	int hi = -1, v;
	uint8_t *out;

	for (i = start + 1; i < lx->len && lx->s[i] != '>'; i++)
		if (hexval(lx->s[i]) < 0 && !is_ws(lx->s[i]))
			return NULL;
	if (i >= lx->len)
		return NULL;
	if ((out = arena_alloc(d, (i - start) / 2 + 1)) == NULL ||
	    (o = new_obj(d, PDF_STRING)) == NULL)
		return NULL;
	for (size_t j = start + 1; j < i; j++) {
		if ((v = hexval(lx->s[j])) < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		out[n++] = (uint8_t)(hi << 4);
	o->u.str.s = out;
	o->u.str.len = n;
	o->u.str.hex = 1;
	o->u.str.off = lx->in_file ? start : PDF_NO_OFFSET;
	o->u.str.end = lx->in_file ? i + 1 : PDF_NO_OFFSET;
	lx->pos = i + 1;
	return o;
}

/* Growable scratch vector (malloc'd, copied into the arena when complete). */
struct vec {
	void *p;
	size_t n, cap, elsz;
};

static int
vec_push(struct vec *v, const void *el)
{
	if (v->n == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 8;
		void *np;

		if (ncap > SIZE_MAX / v->elsz || (np = realloc(v->p, ncap * v->elsz)) == NULL)
			return -1;
		v->p = np;
		v->cap = ncap;
	}
	memcpy((char *)v->p + v->n * v->elsz, el, v->elsz);
	v->n++;
	return 0;
}

static void *
vec_to_arena(struct pdf_doc *d, struct vec *v)
{
	void *p = arena_alloc(d, v->n * v->elsz);

	if (p != NULL && v->n > 0)
		memcpy(p, v->p, v->n * v->elsz);
	free(v->p);
	v->p = NULL;
	return p;
}

static struct pdf_obj *parse_obj(struct pdf_doc *d, struct lex *lx, int depth);

static struct pdf_obj *
parse_array(struct pdf_doc *d, struct lex *lx, int depth)
{
	struct vec v = { NULL, 0, 0, sizeof(struct pdf_obj *) };
	struct pdf_obj *o = NULL, *item;

	lx->pos++;
	for (;;) {
		skip_ws(lx);
		if (lx->pos >= lx->len)
			goto fail;
		if (lx->s[lx->pos] == ']') {
			lx->pos++;
			break;
		}
		if ((item = parse_obj(d, lx, depth + 1)) == NULL || vec_push(&v, &item) < 0)
			goto fail;
	}
	if ((o = new_obj(d, PDF_ARRAY)) == NULL)
		goto fail;
	o->u.arr.n = v.n;
	if ((o->u.arr.items = vec_to_arena(d, &v)) == NULL)
		return NULL;
	return o;
fail:
	free(v.p);
	return NULL;
}

static struct pdf_obj *
parse_dict(struct pdf_doc *d, struct lex *lx, int depth)
{
	struct vec v = { NULL, 0, 0, sizeof(struct pdf_kv) };
	struct pdf_obj *o = NULL, *key;
	struct pdf_kv kv;
	int dup = 0;

	lx->pos += 2;
	for (;;) {
		skip_ws(lx);
		if (lx->pos + 1 < lx->len && lx->s[lx->pos] == '>' && lx->s[lx->pos + 1] == '>') {
			lx->pos += 2;
			break;
		}
		if (lx->pos >= lx->len || lx->s[lx->pos] != '/' || (key = parse_name(d, lx)) == NULL)
			goto fail;
		skip_ws(lx);
		if ((kv.val = parse_obj(d, lx, depth + 1)) == NULL)
			goto fail;
		kv.key = key->u.name.s;
		kv.keylen = key->u.name.len;
		for (size_t i = 0; i < v.n; i++) {
			const struct pdf_kv *p = (const struct pdf_kv *)v.p + i;

			if (p->keylen == kv.keylen && memcmp(p->key, kv.key, kv.keylen) == 0)
				dup = 1;
		}
		if (vec_push(&v, &kv) < 0)
			goto fail;
	}
	if ((o = new_obj(d, PDF_DICT)) == NULL)
		goto fail;
	o->u.dict.n = v.n;
	o->u.dict.dup = dup;
	if ((o->u.dict.kv = vec_to_arena(d, &v)) == NULL)
		return NULL;
	return o;
fail:
	free(v.p);
	return NULL;
}

static struct pdf_obj *
parse_obj(struct pdf_doc *d, struct lex *lx, int depth)
{
	struct pdf_obj *o;
	size_t save;
	uint64_t gen;
	int c;

	if (depth > PDF_MAX_DEPTH)
		return NULL;
	skip_ws(lx);
	if (lx->pos >= lx->len)
		return NULL;
	c = lx->s[lx->pos];
	switch (c) {
	case '/':
		return parse_name(d, lx);
	case '(':
		return parse_literal(d, lx);
	case '[':
		return parse_array(d, lx, depth);
	case '<':
		if (lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '<')
			return parse_dict(d, lx, depth);
		return parse_hex(d, lx);
	default:
		break;
	}
	if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
		if ((o = parse_number(d, lx)) == NULL)
			return NULL;
		if (o->type != PDF_INT || o->u.i < 0 || o->u.i > PDF_MAX_OBJNUM)
			return o;
		/* "N G R" is a reference */
		save = lx->pos;
		skip_ws(lx);
		if (lex_uint(lx, &gen) == 0 && gen <= 65535) {
			skip_ws(lx);
			if (at_keyword(lx, "R")) {
				lx->pos++;
				uint32_t num = (uint32_t)o->u.i;

				o->type = PDF_REF;
				o->u.ref.num = num;
				o->u.ref.gen = (uint32_t)gen;
				return o;
			}
		}
		lx->pos = save;
		return o;
	}
	if (at_keyword(lx, "true") || at_keyword(lx, "false")) {
		if ((o = new_obj(d, PDF_BOOL)) == NULL)
			return NULL;
		o->u.boolean = c == 't';
		lx->pos += c == 't' ? 4 : 5;
		return o;
	}
	if (at_keyword(lx, "null")) {
		lx->pos += 4;
		return new_obj(d, PDF_NULL);
	}
	return NULL;
}

struct pdf_obj *
pdf_parse_text(struct pdf_doc *d, const uint8_t *s, size_t len)
{
	struct lex lx = { s, len, 0, s == d->buf };

	return parse_obj(d, &lx, 0);
}

/* ---------------------------------------------------------------- helpers */

struct pdf_obj *
pdf_dict_get(const struct pdf_obj *o, const char *key)
{
	size_t n = strlen(key);

	if (o != NULL && o->type == PDF_STREAM)
		o = o->u.stream.dict;
	if (o == NULL || o->type != PDF_DICT)
		return NULL;
	for (size_t i = 0; i < o->u.dict.n; i++)
		if (o->u.dict.kv[i].keylen == n && memcmp(o->u.dict.kv[i].key, key, n) == 0)
			return o->u.dict.kv[i].val;
	return NULL;
}

int
pdf_is_name(const struct pdf_obj *o, const char *name)
{
	return o != NULL && o->type == PDF_NAME && o->u.name.len == strlen(name) &&
	    memcmp(o->u.name.s, name, o->u.name.len) == 0;
}

static int
obj_int(const struct pdf_obj *o, int64_t *out)
{
	if (o == NULL || o->type != PDF_INT)
		return -1;
	*out = o->u.i;
	return 0;
}

int
pdf_equal(const struct pdf_doc *d, const struct pdf_obj *a, const struct pdf_obj *b)
{
	if (a == b)
		return 1;
	if (a == NULL || b == NULL || a->type != b->type)
		return 0;
	switch (a->type) {
	case PDF_NULL:
		return 1;
	case PDF_BOOL:
		return a->u.boolean == b->u.boolean;
	case PDF_INT:
		return a->u.i == b->u.i;
	case PDF_REAL:
		return a->u.r == b->u.r;
	case PDF_NAME:
		return a->u.name.len == b->u.name.len &&
		    memcmp(a->u.name.s, b->u.name.s, a->u.name.len) == 0;
	case PDF_STRING:
		return a->u.str.len == b->u.str.len &&
		    (a->u.str.len == 0 || memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0);
	case PDF_ARRAY:
		if (a->u.arr.n != b->u.arr.n)
			return 0;
		for (size_t i = 0; i < a->u.arr.n; i++)
			if (!pdf_equal(d, a->u.arr.items[i], b->u.arr.items[i]))
				return 0;
		return 1;
	case PDF_DICT:
		if (a->u.dict.n != b->u.dict.n || a->u.dict.dup || b->u.dict.dup)
			return 0;
		for (size_t i = 0; i < a->u.dict.n; i++)
			if (!pdf_equal(d, a->u.dict.kv[i].val, pdf_dict_get(b, a->u.dict.kv[i].key)))
				return 0;
		return 1;
	case PDF_REF:
		return a->u.ref.num == b->u.ref.num && a->u.ref.gen == b->u.ref.gen;
	case PDF_STREAM:
		return pdf_equal(d, a->u.stream.dict, b->u.stream.dict) &&
		    a->u.stream.len == b->u.stream.len &&
		    memcmp(d->buf + a->u.stream.off, d->buf + b->u.stream.off, a->u.stream.len) == 0;
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------- streams */

static int
inflate_all(struct pdf_doc *d, const uint8_t *in, size_t inlen, uint8_t **out, size_t *outlen)
{
	z_stream zs;
	uint8_t *buf = NULL, *nb;
	size_t cap = inlen * 4 + 1024, n = 0;
	int zr, ret = -1;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK)
		return -1;
	for (;;) {
		if (cap > d->budget)
			cap = d->budget;
		if (cap <= n || (nb = realloc(buf, cap)) == NULL)
			goto done;
		buf = nb;
		zs.next_in = (Bytef *)(uintptr_t)(in + zs.total_in);
		zs.avail_in = (uInt)((inlen - zs.total_in) > UINT32_MAX ? UINT32_MAX : inlen - zs.total_in);
		zs.next_out = buf + n;
		zs.avail_out = (uInt)((cap - n) > UINT32_MAX ? UINT32_MAX : cap - n);
		zr = inflate(&zs, Z_NO_FLUSH);
		n = zs.total_out;
		if (zr == Z_STREAM_END)
			break;
		if (zr != Z_OK && zr != Z_BUF_ERROR)
			break;          /* corrupt tail: keep what was inflated, as readers do */
		if (zr == Z_BUF_ERROR && zs.avail_out != 0)
			break;          /* input exhausted without an end marker */
		if (cap > SIZE_MAX / 2)
			goto done;
		cap *= 2;
	}
	if (n == 0 && zr != Z_STREAM_END)
		goto done;
	if ((*out = arena_alloc(d, n)) == NULL)
		goto done;
	memcpy(*out, buf, n);
	*outlen = n;
	ret = 0;
done:
	inflateEnd(&zs);
	free(buf);
	return ret;
}

static int
paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

/* PNG predictors (10..15): each row is a filter-type byte then the row's bytes. */
static int
png_unpredict(struct pdf_doc *d, const struct pdf_obj *parms, uint8_t **data, size_t *len)
{
	int64_t columns = 1, colors = 1, bpc = 8;
	size_t bpp, rowlen, nrows, i, j;
	uint8_t *out, *prev, *row;
	const uint8_t *in = *data;

	obj_int(pdf_dict_get(parms, "Columns"), &columns);
	obj_int(pdf_dict_get(parms, "Colors"), &colors);
	obj_int(pdf_dict_get(parms, "BitsPerComponent"), &bpc);
	if (columns < 1 || columns > (1 << 24) || colors < 1 || colors > 32 ||
	    (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16))
		return -1;
	bpp = (size_t)(colors * bpc + 7) / 8;
	rowlen = (size_t)(columns * colors * bpc + 7) / 8;
	nrows = *len / (rowlen + 1);
	if ((out = arena_alloc(d, nrows * rowlen + 1)) == NULL)
		return -1;
	for (i = 0; i < nrows; i++) {
		const uint8_t *src = in + i * (rowlen + 1) + 1;
		int ft = in[i * (rowlen + 1)];

		row = out + i * rowlen;
		prev = i > 0 ? row - rowlen : NULL;
		for (j = 0; j < rowlen; j++) {
			int a = j >= bpp ? row[j - bpp] : 0;
			int b = prev ? prev[j] : 0;
			int c = (prev && j >= bpp) ? prev[j - bpp] : 0;
			int x = src[j];

			switch (ft) {
			case 0: break;
			case 1: x += a; break;
			case 2: x += b; break;
			case 3: x += (a + b) / 2; break;
			case 4: x += paeth(a, b, c); break;
			default: return -1;
			}
			row[j] = (uint8_t)x;
		}
	}
	*data = out;
	*len = nrows * rowlen;
	return 0;
}

int
pdf_stream_decode(struct pdf_doc *d, const struct pdf_obj *st, const uint8_t **out, size_t *outlen)
{
	const struct pdf_obj *filter, *parms;
	uint8_t *data;
	size_t len;
	int64_t pred = 1;

	if (st == NULL || st->type != PDF_STREAM)
		return -1;
	filter = pdf_dict_get(st, "Filter");
	parms = pdf_dict_get(st, "DecodeParms");
	if (filter != NULL && filter->type == PDF_ARRAY) {
		if (filter->u.arr.n > 1)
			return -1;
		filter = filter->u.arr.n ? filter->u.arr.items[0] : NULL;
	}
	if (parms != NULL && parms->type == PDF_ARRAY)
		parms = parms->u.arr.n == 1 ? parms->u.arr.items[0] : NULL;
	if (filter == NULL) {
		*out = d->buf + st->u.stream.off;
		*outlen = st->u.stream.len;
		return 0;
	}
	if (!pdf_is_name(filter, "FlateDecode") && !pdf_is_name(filter, "Fl"))
		return -1;
	if (inflate_all(d, d->buf + st->u.stream.off, st->u.stream.len, &data, &len) < 0)
		return -1;
	if (parms != NULL && parms->type == PDF_DICT)
		obj_int(pdf_dict_get(parms, "Predictor"), &pred);
	if (pred >= 10) {
		if (png_unpredict(d, parms, &data, &len) < 0)
			return -1;
	} else if (pred != 1) {
		return -1;              /* TIFF predictor 2: not needed for xref or object streams */
	}
	*out = data;
	*outlen = len;
	return 0;
}

/* ---------------------------------------------------------------- indirect objects */

static struct pdf_obj *lookup(struct pdf_doc *d, uint32_t num, size_t limit);

static const uint8_t *
find_bytes(const uint8_t *hay, size_t haylen, const char *needle)
{
	return memmem(hay, haylen, needle, strlen(needle));
}

/*
 * Parse "N G obj <object> [stream ... endstream]" at file offset off. expect_num is
 * checked when not UINT32_MAX. The /Length of a stream may be a reference, resolved
 * as of limit.
 */
static struct pdf_obj *
load_at(struct pdf_doc *d, size_t off, uint32_t expect_num, size_t limit, uint32_t *num_out)
{
	struct lex lx = { d->buf, d->len, off, 1 };
	struct pdf_obj *o, *st, *lenobj;
	uint64_t num, gen;
	int64_t slen = -1;
	size_t data;
	const uint8_t *end;
	void *cached;

	if (off >= d->len)
		return NULL;
	if ((cached = cache_get(d, off)) != NULL)
		goto from_cache;
	skip_ws(&lx);
	if (lex_uint(&lx, &num) < 0 || num > PDF_MAX_OBJNUM)
		goto fail;
	skip_ws(&lx);
	if (lex_uint(&lx, &gen) < 0)
		goto fail;
	skip_ws(&lx);
	if (!at_keyword(&lx, "obj"))
		goto fail;
	lx.pos += 3;
	if ((o = parse_obj(d, &lx, 0)) == NULL)
		goto fail;
	skip_ws(&lx);
	if (o->type == PDF_DICT && at_keyword(&lx, "stream")) {
		lx.pos += 6;
		if (lx.pos < d->len && d->buf[lx.pos] == '\r')
			lx.pos++;
		if (lx.pos < d->len && d->buf[lx.pos] == '\n')
			lx.pos++;
		data = lx.pos;
		if ((st = new_obj(d, PDF_STREAM)) == NULL)
			goto fail;
		st->u.stream.dict = o;
		st->u.stream.off = data;
		lenobj = pdf_dict_get(o, "Length");
		if (lenobj != NULL && lenobj->type == PDF_REF && d->depth < PDF_MAX_LOADS) {
			d->depth++;
			lenobj = lookup(d, lenobj->u.ref.num, limit);
			d->depth--;
		}
		if (obj_int(lenobj, &slen) == 0 && slen >= 0 && (uint64_t)slen <= d->len - data) {
			struct lex t = { d->buf, d->len, data + (size_t)slen, 1 };

			skip_ws(&t);
			if (!at_keyword(&t, "endstream"))
				slen = -1;
		} else {
			slen = -1;
		}
		if (slen < 0) {
			/* a wrong /Length: take the data up to "endstream", minus its EOL */
			if ((end = find_bytes(d->buf + data, d->len - data, "endstream")) == NULL)
				goto fail;
			slen = end - (d->buf + data);
			if (slen > 0 && d->buf[data + (size_t)slen - 1] == '\n')
				slen--;
			if (slen > 0 && d->buf[data + (size_t)slen - 1] == '\r')
				slen--;
		}
		st->u.stream.len = (size_t)slen;
		o = st;
	}
	/* the number is part of the cache key so a mismatch is re-checked each time */
	cache_put(d, off, o);
	cache_put(d, ((uint64_t)3 << 62) | off, (void *)(uintptr_t)(num + 1));
	cached = o;
from_cache:
	if (cached == CACHE_FAIL)
		return NULL;
	num = (uintptr_t)cache_get(d, ((uint64_t)3 << 62) | off) - 1;
	if (expect_num != UINT32_MAX && num != expect_num)
		return NULL;
	if (num_out != NULL)
		*num_out = (uint32_t)num;
	return cached;
fail:
	cache_put(d, off, CACHE_FAIL);
	return NULL;
}

/* An object stream, decoded and indexed once. */
struct objstm {
	const uint8_t *data;
	size_t len;
	size_t n;
	uint32_t *nums;
	size_t *offs;
};

static struct objstm *
load_objstm(struct pdf_doc *d, const struct pdf_obj *st)
{
	struct objstm *os;
	int64_t n, first;
	uint64_t key;
	void *cached;
	struct lex lx;

	if (st == NULL || st->type != PDF_STREAM || !pdf_is_name(pdf_dict_get(st, "Type"), "ObjStm"))
		return NULL;
	key = ((uint64_t)1 << 62) | st->u.stream.off;
	if ((cached = cache_get(d, key)) != NULL)
		return cached == CACHE_FAIL ? NULL : cached;
	if (obj_int(pdf_dict_get(st, "N"), &n) < 0 || obj_int(pdf_dict_get(st, "First"), &first) < 0 ||
	    n < 0 || n > (1 << 20) || first < 0)
		goto fail;
	if ((os = arena_alloc(d, sizeof(*os))) == NULL ||
	    pdf_stream_decode(d, st, &os->data, &os->len) < 0 || (uint64_t)first > os->len ||
	    (os->nums = arena_alloc(d, (size_t)n * sizeof(*os->nums))) == NULL ||
	    (os->offs = arena_alloc(d, (size_t)n * sizeof(*os->offs))) == NULL)
		goto fail;
	os->n = 0;
	lx.s = os->data;
	lx.len = (size_t)first;
	lx.pos = 0;
	lx.in_file = 0;
	for (int64_t i = 0; i < n; i++) {
		uint64_t onum, ooff;

		skip_ws(&lx);
		if (lex_uint(&lx, &onum) < 0)
			break;
		skip_ws(&lx);
		if (lex_uint(&lx, &ooff) < 0)
			break;
		if (onum > PDF_MAX_OBJNUM || ooff > os->len - (size_t)first)
			break;
		os->nums[os->n] = (uint32_t)onum;
		os->offs[os->n] = (size_t)first + (size_t)ooff;
		os->n++;
	}
	cache_put(d, key, os);
	return os;
fail:
	cache_put(d, key, CACHE_FAIL);
	return NULL;
}

static struct pdf_obj *
load_from_objstm(struct pdf_doc *d, uint32_t stmnum, uint32_t idx, uint32_t num, size_t limit)
{
	struct pdf_obj *st, *o;
	struct objstm *os;
	struct lex lx;
	uint64_t key;
	void *cached;

	if (d->depth >= PDF_MAX_LOADS || stmnum == num)
		return NULL;
	d->depth++;
	st = lookup(d, stmnum, limit);
	d->depth--;
	if ((os = load_objstm(d, st)) == NULL || idx >= os->n || os->nums[idx] != num)
		return NULL;
	key = ((uint64_t)2 << 62) | ((uint64_t)st->u.stream.off << 20) | idx;
	if ((cached = cache_get(d, key)) != NULL)
		return cached == CACHE_FAIL ? NULL : cached;
	lx.s = os->data;
	lx.len = os->len;
	lx.pos = os->offs[idx];
	lx.in_file = 0;
	o = parse_obj(d, &lx, 0);
	cache_put(d, key, o ? (void *)o : CACHE_FAIL);
	return o;
}

/* ---------------------------------------------------------------- scan fallback */

struct scan_ent {
	uint32_t num;
	uint8_t type;                   /* 1 at off; 2 in object stream stm, index idx */
	size_t off;                     /* where it appears in the file (revision order) */
	uint32_t stm, idx;
};

struct pdf_scan {
	struct scan_ent *e;             /* sorted by (num, off) */
	size_t n;
	size_t *trailers;               /* offsets of "trailer" keywords, ascending */
	size_t ntrailers;
};

static int
scan_cmp(const void *a, const void *b)
{
	const struct scan_ent *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return 0;
}

/* Find every "N G obj" at a line start or after whitespace, and every "trailer". */
static struct pdf_scan *
build_scan(struct pdf_doc *d)
{
	struct pdf_scan *sc = NULL;
	struct vec ents = { NULL, 0, 0, sizeof(struct scan_ent) };
	struct vec trs = { NULL, 0, 0, sizeof(size_t) };
	const uint8_t *p, *b = d->buf;
	size_t pos = 0, nobj;

	if ((sc = arena_alloc(d, sizeof(*sc))) == NULL)
		return NULL;
	while (pos < d->len && (p = find_bytes(b + pos, d->len - pos, "obj")) != NULL) {
		size_t k = (size_t)(p - b), s;
		struct scan_ent e;

		pos = k + 3;
		if (k + 3 < d->len && is_regular(b[k + 3]))
			continue;
		/* walk back over " G " and "N" */
		s = k;
		while (s > 0 && is_ws(b[s - 1]))
			s--;
		if (s == k || s == 0 || b[s - 1] < '0' || b[s - 1] > '9')
			continue;
		while (s > 0 && b[s - 1] >= '0' && b[s - 1] <= '9')
			s--;
		{
			size_t g = s;

			while (s > 0 && is_ws(b[s - 1]))
				s--;
			if (s == g || s == 0 || b[s - 1] < '0' || b[s - 1] > '9')
				continue;
		}
		while (s > 0 && b[s - 1] >= '0' && b[s - 1] <= '9')
			s--;
		if (s > 0 && is_regular(b[s - 1]))
			continue;
		uint32_t num;
		struct pdf_obj *o = load_at(d, s, UINT32_MAX, SIZE_MAX, &num);

		if (o == NULL)
			continue;
		memset(&e, 0, sizeof(e));
		e.num = num;
		e.type = 1;
		e.off = s;
		if (vec_push(&ents, &e) < 0)
			goto fail;
		if (o->type == PDF_STREAM && pdf_is_name(pdf_dict_get(o, "Type"), "ObjStm")) {
			struct objstm *os = load_objstm(d, o);

			for (size_t i = 0; os != NULL && i < os->n; i++) {
				e.num = os->nums[i];
				e.type = 2;
				e.stm = num;
				e.idx = (uint32_t)i;
				if (vec_push(&ents, &e) < 0)
					goto fail;
			}
		}
	}
	pos = 0;
	while (pos < d->len && (p = find_bytes(b + pos, d->len - pos, "trailer")) != NULL) {
		size_t k = (size_t)(p - b);

		pos = k + 7;
		if (vec_push(&trs, &k) < 0)
			goto fail;
	}
	nobj = ents.n;
	if (nobj > 0)
		qsort(ents.p, nobj, sizeof(struct scan_ent), scan_cmp);
	sc->n = nobj;
	sc->ntrailers = trs.n;
	sc->e = vec_to_arena(d, &ents);
	sc->trailers = vec_to_arena(d, &trs);
	if ((sc->e == NULL && nobj > 0) || (sc->trailers == NULL && sc->ntrailers > 0))
		return NULL;
	return sc;
fail:
	free(ents.p);
	free(trs.p);
	return NULL;
}

static struct pdf_scan *
get_scan(struct pdf_doc *d)
{
	if (d->scan == NULL && !d->scanning) {
		d->scanning = 1;
		d->scan = build_scan(d);
		d->scanning = 0;
	}
	return d->scan;
}

/* The last appearance of num before limit, from the scan. */
static struct pdf_obj *
scan_lookup(struct pdf_doc *d, uint32_t num, size_t limit)
{
	struct pdf_scan *sc = get_scan(d);
	size_t lo = 0, hi, best = SIZE_MAX;

	if (sc == NULL)
		return NULL;
	hi = sc->n;
	while (lo < hi) {               /* first entry with e.num >= num */
		size_t mid = lo + (hi - lo) / 2;

		if (sc->e[mid].num < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < sc->n && sc->e[lo].num == num && sc->e[lo].off < limit; lo++)
		best = lo;
	if (best == SIZE_MAX)
		return NULL;
	if (sc->e[best].type == 1)
		return load_at(d, sc->e[best].off, num, limit, NULL);
	return load_from_objstm(d, sc->e[best].stm, sc->e[best].idx, num, limit);
}

/* ---------------------------------------------------------------- lookup */

static const struct pdf_xref_entry *
section_find(const struct pdf_section *s, uint32_t num)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->e[mid].num == num)
			return &s->e[mid];
		if (s->e[mid].num < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static struct pdf_obj *
lookup(struct pdf_doc *d, uint32_t num, size_t limit)
{
	const struct pdf_xref_entry *e = NULL;
	struct pdf_obj *o;

	if (d->rebuilt)
		return scan_lookup(d, num, limit);
	for (size_t i = 0; i < d->nsec && e == NULL; i++)
		if (d->sec[i].offset < limit)
			e = section_find(&d->sec[i], num);
	if (e == NULL || e->type == 0)
		return NULL;
	if (e->type == 1) {
		if (e->f2 >= d->len)
			return NULL;
		o = load_at(d, (size_t)e->f2, num, limit, NULL);
		/* an offset that misses its object: the scan knows where it really is */
		if (o == NULL && d->depth < PDF_MAX_LOADS) {
			d->depth++;
			o = scan_lookup(d, num, limit);
			d->depth--;
		}
		return o;
	}
	if (e->f2 > PDF_MAX_OBJNUM)
		return NULL;
	return load_from_objstm(d, (uint32_t)e->f2, e->f3, num, limit);
}

struct pdf_obj *
pdf_get(struct pdf_doc *d, uint32_t num, size_t limit)
{
	return lookup(d, num, limit);
}

/* "num G obj" at off? (without parsing the object) */
static int
header_at(const struct pdf_doc *d, size_t off, uint32_t num)
{
	struct lex lx = { d->buf, d->len, off, 1 };
	uint64_t n, gen;

	skip_ws(&lx);
	if (lex_uint(&lx, &n) < 0 || n != num)
		return 0;
	skip_ws(&lx);
	if (lex_uint(&lx, &gen) < 0)
		return 0;
	skip_ws(&lx);
	return at_keyword(&lx, "obj");
}

size_t
pdf_obj_offset(struct pdf_doc *d, uint32_t num, size_t limit)
{
	const struct pdf_xref_entry *e = NULL;
	struct pdf_scan *sc;

	if (d->rebuilt) {
		size_t best = PDF_NO_OFFSET;

		if ((sc = get_scan(d)) == NULL)
			return PDF_NO_OFFSET;
		for (size_t i = 0; i < sc->n; i++)
			if (sc->e[i].num == num && sc->e[i].off < limit)
				best = sc->e[i].type == 1 ? sc->e[i].off : PDF_NO_OFFSET;
		return best;
	}
	for (size_t i = 0; i < d->nsec && e == NULL; i++)
		if (d->sec[i].offset < limit)
			e = section_find(&d->sec[i], num);
	if (e == NULL || e->type != 1 || e->f2 >= d->len)
		return PDF_NO_OFFSET;
	if (!header_at(d, (size_t)e->f2, num)) {
		/* same rule as lookup(): the scan's place for it */
		if ((sc = get_scan(d)) == NULL)
			return PDF_NO_OFFSET;
		size_t best = PDF_NO_OFFSET;

		for (size_t i = 0; i < sc->n; i++)
			if (sc->e[i].num == num && sc->e[i].off < limit)
				best = sc->e[i].type == 1 ? sc->e[i].off : PDF_NO_OFFSET;
		return best;
	}
	return (size_t)e->f2;
}

int
pdf_raw_extent(struct pdf_doc *d, uint32_t num, size_t limit, size_t *start, size_t *end)
{
	size_t off = pdf_obj_offset(d, num, limit), k;
	const uint8_t *p;

	if (off == PDF_NO_OFFSET || off >= d->len)
		return -1;
	/* stop at "endobj" or at "stream": stream data is never looked at (memchr is
	 * fast where memmem is not) */
	*start = off;
	*end = d->len;
	for (k = off; k < d->len && (p = memchr(d->buf + k, 'e', d->len - k)) != NULL; k++) {
		k = (size_t)(p - d->buf);
		if ((d->len - k >= 6 && memcmp(p, "endobj", 6) == 0) ||
		    (k >= off + 3 && d->len - k >= 3 && memcmp(p - 3, "stream", 6) == 0)) {
			*end = k;
			break;
		}
	}
	return 0;
}

struct pdf_obj *
pdf_resolve(struct pdf_doc *d, struct pdf_obj *o, size_t limit)
{
	for (int hops = 0; o != NULL && o->type == PDF_REF; hops++) {
		if (hops >= 8)
			return NULL;
		o = lookup(d, o->u.ref.num, limit);
	}
	return o;
}

struct pdf_obj *
pdf_trailer(struct pdf_doc *d, size_t limit)
{
	if (d->rebuilt) {
		struct pdf_scan *sc = get_scan(d);
		struct pdf_obj *t, *best = NULL;

		if (sc == NULL)
			return NULL;
		for (size_t i = 0; i < sc->ntrailers && sc->trailers[i] < limit; i++) {
			struct lex lx = { d->buf, d->len, sc->trailers[i] + 7, 1 };

			if ((t = parse_obj(d, &lx, 0)) != NULL && t->type == PDF_DICT &&
			    pdf_dict_get(t, "Root") != NULL)
				best = t;
		}
		if (best != NULL)
			return best;
		/* no trailer keyword: the last xref stream's dictionary carries /Root */
		size_t best_off = 0;

		for (size_t i = 0; i < sc->n; i++) {
			if (sc->e[i].type != 1 || sc->e[i].off >= limit)
				continue;
			t = load_at(d, sc->e[i].off, UINT32_MAX, limit, NULL);
			if (t != NULL && t->type == PDF_STREAM && pdf_is_name(pdf_dict_get(t, "Type"), "XRef") &&
			    pdf_dict_get(t, "Root") != NULL && (best == NULL || sc->e[i].off > best_off)) {
				best = t->u.stream.dict;
				best_off = sc->e[i].off;
			}
		}
		return best;
	}
	for (size_t i = 0; i < d->nsec; i++)
		if (d->sec[i].offset < limit)
			return d->sec[i].trailer;
	return NULL;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

size_t
pdf_objnums(struct pdf_doc *d, size_t from, uint32_t **out)
{
	struct pdf_scan *sc = NULL;
	size_t total = 0, n = 0, i, s;
	uint32_t *nums;

	*out = NULL;
	if (d->rebuilt) {
		if ((sc = get_scan(d)) != NULL)
			total = sc->n;
	} else {
		for (s = 0; s < d->nsec; s++)
			if (d->sec[s].offset >= from)
				total += d->sec[s].n;
	}
	if ((nums = malloc((total ? total : 1) * sizeof(*nums))) == NULL)
		return (size_t)-1;
	if (sc != NULL) {
		for (i = 0; i < sc->n; i++)
			if (sc->e[i].off >= from)
				nums[n++] = sc->e[i].num;
	} else {
		for (s = 0; s < d->nsec; s++)
			if (d->sec[s].offset >= from)
				for (i = 0; i < d->sec[s].n; i++)
					nums[n++] = d->sec[s].e[i].num;
	}
	if (n > 0)
		qsort(nums, n, sizeof(*nums), u32_cmp);
	total = n;
	n = 0;
	for (i = 0; i < total; i++)
		if (n == 0 || nums[n - 1] != nums[i])
			nums[n++] = nums[i];
	*out = nums;
	return n;
}

/* ---------------------------------------------------------------- xref reading */

struct xent {
	struct pdf_xref_entry e;
	size_t seq;
};

static int
xent_cmp(const void *a, const void *b)
{
	const struct xent *x = a, *y = b;

	if (x->e.num != y->e.num)
		return x->e.num < y->e.num ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
add_entry(struct vec *v, uint32_t num, uint8_t type, uint64_t f2, uint32_t f3, uint32_t gen)
{
	struct xent x;

	memset(&x, 0, sizeof(x));
	x.e.num = num;
	x.e.type = type;
	x.e.f2 = f2;
	x.e.f3 = f3;
	x.e.gen = gen;
	x.seq = v->n;
	return vec_push(v, &x);
}

/* Entries of an xref stream at file offset off; its dictionary in *dict. */
static int
read_xref_stream(struct pdf_doc *d, size_t off, struct vec *v, struct pdf_obj **dict)
{
	struct pdf_obj *st, *w, *index, *sizeo;
	const uint8_t *data;
	size_t len, row, pos = 0;
	int64_t wv[3], size;

	st = load_at(d, off, UINT32_MAX, SIZE_MAX, NULL);
	if (st == NULL || st->type != PDF_STREAM || !pdf_is_name(pdf_dict_get(st, "Type"), "XRef"))
		return -1;
	w = pdf_dict_get(st, "W");
	sizeo = pdf_dict_get(st, "Size");
	if (w == NULL || w->type != PDF_ARRAY || w->u.arr.n != 3 || obj_int(sizeo, &size) < 0 ||
	    size < 0 || size > PDF_MAX_OBJNUM + 1)
		return -1;
	for (int i = 0; i < 3; i++)
		if (obj_int(w->u.arr.items[i], &wv[i]) < 0 || wv[i] < 0 || wv[i] > 8)
			return -1;
	row = (size_t)(wv[0] + wv[1] + wv[2]);
	if (row == 0 || pdf_stream_decode(d, st, &data, &len) < 0)
		return -1;
	index = pdf_dict_get(st, "Index");
	if (index != NULL && (index->type != PDF_ARRAY || index->u.arr.n % 2 != 0))
		return -1;
	for (size_t k = 0; k < (index ? index->u.arr.n : 2); k += 2) {
		int64_t start = 0, count = size;

		if (index != NULL && (obj_int(index->u.arr.items[k], &start) < 0 ||
		    obj_int(index->u.arr.items[k + 1], &count) < 0))
			return -1;
		if (start < 0 || count < 0 || start > PDF_MAX_OBJNUM || count > PDF_MAX_OBJNUM + 1 - start)
			return -1;
		for (int64_t j = 0; j < count && len - pos >= row; j++) {
			uint64_t f[3];

			for (int i = 0; i < 3; i++) {
				f[i] = 0;
				for (int64_t b = 0; b < wv[i]; b++)
					f[i] = f[i] << 8 | data[pos++];
			}
			if (wv[0] == 0)
				f[0] = 1;
			if (f[0] > 2)
				continue;       /* reserved types are to be ignored */
			if (add_entry(v, (uint32_t)(start + j), (uint8_t)f[0], f[1],
			    (uint32_t)f[2], f[0] == 1 ? (uint32_t)f[2] : 0) < 0)
				return -1;
		}
	}
	*dict = st->u.stream.dict;
	return 0;
}

static int
read_classic(struct pdf_doc *d, size_t off, struct vec *v, struct pdf_obj **trailer)
{
	struct lex lx = { d->buf, d->len, off, 1 };
	uint64_t start, count, f2, gen;

	skip_ws(&lx);
	if (!at_keyword(&lx, "xref"))
		return -1;
	lx.pos += 4;
	for (;;) {
		skip_ws(&lx);
		if (at_keyword(&lx, "trailer")) {
			lx.pos += 7;
			*trailer = parse_obj(d, &lx, 0);
			return *trailer != NULL && (*trailer)->type == PDF_DICT ? 0 : -1;
		}
		if (lex_uint(&lx, &start) < 0)
			return -1;
		skip_ws(&lx);
		if (lex_uint(&lx, &count) < 0 || start > PDF_MAX_OBJNUM ||
		    count > PDF_MAX_OBJNUM + 1 - start || count > (d->len - lx.pos) / 5)
			return -1;
		for (uint64_t j = 0; j < count; j++) {
			int t;

			skip_ws(&lx);
			if (lex_uint(&lx, &f2) < 0)
				return -1;
			skip_ws(&lx);
			if (lex_uint(&lx, &gen) < 0 || lx.pos >= d->len)
				return -1;
			skip_ws(&lx);
			if (lx.pos >= d->len)
				return -1;
			t = d->buf[lx.pos++];
			if (t != 'n' && t != 'f')
				return -1;
			if (add_entry(v, (uint32_t)(start + j), t == 'n' ? 1 : 0, f2, 0,
			    (uint32_t)(gen > UINT32_MAX ? UINT32_MAX : gen)) < 0)
				return -1;
		}
	}
}

/* One section at off: a table (plus its /XRefStm, for hybrid files) or a stream. */
static int
read_section(struct pdf_doc *d, size_t off, struct pdf_section *s)
{
	struct vec v = { NULL, 0, 0, sizeof(struct xent) };
	struct pdf_obj *trailer = NULL, *dummy;
	struct lex lx = { d->buf, d->len, off, 1 };
	struct xent *x;
	int64_t xs;
	size_t n = 0;

	skip_ws(&lx);
	memset(s, 0, sizeof(*s));
	s->offset = lx.pos;
	if (at_keyword(&lx, "xref")) {
		if (read_classic(d, lx.pos, &v, &trailer) < 0)
			goto fail;
		if (obj_int(pdf_dict_get(trailer, "XRefStm"), &xs) == 0 && xs >= 0 &&
		    (uint64_t)xs < d->len)
			(void)read_xref_stream(d, (size_t)xs, &v, &dummy);
	} else {
		s->is_stream = 1;
		if (read_xref_stream(d, lx.pos, &v, &trailer) < 0)
			goto fail;
	}
	x = v.p;
	if (v.n > 0)
		qsort(x, v.n, sizeof(*x), xent_cmp);
	if ((s->e = arena_alloc(d, (v.n ? v.n : 1) * sizeof(*s->e))) == NULL)
		goto fail;
	for (size_t i = 0; i < v.n; i++)
		if (i == 0 || x[i].e.num != x[i - 1].e.num)
			s->e[n++] = x[i].e;
	s->n = n;
	s->trailer = trailer;
	free(v.p);
	return 0;
fail:
	free(v.p);
	return -1;
}

/* The offset after the last "startxref", or -1. */
static int
find_startxref(const struct pdf_doc *d, size_t *out)
{
	const uint8_t *b = d->buf;
	size_t from = d->len > 4096 ? d->len - 4096 : 0, k;
	struct lex lx = { d->buf, d->len, 0, 1 };
	uint64_t off;

	for (k = d->len; k > from + 8; k--) {
		if (memcmp(b + k - 9, "startxref", 9) == 0)
			break;
	}
	if (k <= from + 8)
		return -1;
	lx.pos = k;
	skip_ws(&lx);
	if (lex_uint(&lx, &off) < 0 || off >= d->len)
		return -1;
	*out = (size_t)off;
	return 0;
}

static int
read_chain(struct pdf_doc *d)
{
	struct vec secs = { NULL, 0, 0, sizeof(struct pdf_section) };
	struct pdf_section s;
	size_t off;
	int64_t prev;

	if (find_startxref(d, &off) < 0)
		return -1;
	while (secs.n < PDF_MAX_SECTIONS) {
		int seen = 0;

		for (size_t i = 0; i < secs.n; i++)
			if (((struct pdf_section *)secs.p)[i].offset == off)
				seen = 1;
		if (seen || read_section(d, off, &s) < 0)
			break;
		if (vec_push(&secs, &s) < 0)
			break;
		if (obj_int(pdf_dict_get(s.trailer, "Prev"), &prev) < 0 || prev < 0 ||
		    (uint64_t)prev >= d->len)
			break;
		off = (size_t)prev;
	}
	d->nsec = secs.n;
	d->sec = vec_to_arena(d, &secs);
	if (d->nsec == 0 || d->sec == NULL) {
		d->nsec = 0;
		return -1;
	}
	return 0;
}

int
pdf_open(struct pdf_doc *d, const uint8_t *buf, size_t len)
{
	struct pdf_obj *t;

	memset(d, 0, sizeof(*d));
	d->buf = buf;
	d->len = len;
	d->budget = (len > SIZE_MAX / 16 ? SIZE_MAX : len * 16) + ((size_t)64 << 20);
	if ((d->cache = calloc(1, sizeof(*d->cache))) == NULL)
		return -1;
	if (read_chain(d) < 0 || (t = pdf_trailer(d, SIZE_MAX)) == NULL ||
	    pdf_resolve(d, pdf_dict_get(t, "Root"), SIZE_MAX) == NULL) {
		d->rebuilt = 1;
		t = pdf_trailer(d, SIZE_MAX);
		if (t == NULL && (d->scan == NULL || d->scan->n == 0))
			return -1;
	}
	d->encrypted = t != NULL && pdf_dict_get(t, "Encrypt") != NULL;
	return 0;
}

void
pdf_close(struct pdf_doc *d)
{
	if (d->cache != NULL) {
		free(d->cache->keys);
		free(d->cache->vals);
		free(d->cache);
	}
	arena_free_all(d->arena);
	memset(d, 0, sizeof(*d));
}
