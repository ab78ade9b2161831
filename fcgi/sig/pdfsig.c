/*
 * Signature location and coverage for PDF files: see pdfsig.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/timeutil.h"
#include "sig/pdf.h"
#include "sig/pdfsig.h"

#define MAX_FIELDS 4096                 /* form fields walked, all levels together */
#define MAX_FIELD_DEPTH 32
#define MAX_SIGS 256

/* A candidate signature dictionary, before its checks. */
struct cand {
	uint32_t objnum;
	struct pdf_obj *dict;
	char name[128];
};

struct finder {
	struct pdf_doc *doc;
	struct cand *c;
	size_t n, cap;
	size_t visited;
	uint32_t *seen;                 /* field object numbers already walked */
	size_t nseen, capseen;
};

static int
add_cand(struct finder *f, uint32_t objnum, struct pdf_obj *dict, const char *name)
{
	struct cand *nc;

	for (size_t i = 0; i < f->n; i++) {
		if ((objnum != 0 && f->c[i].objnum == objnum) || f->c[i].dict == dict) {
			if (f->c[i].name[0] == '\0' && name != NULL)
				snprintf(f->c[i].name, sizeof(f->c[i].name), "%s", name);
			return 0;
		}
	}
	if (f->n >= MAX_SIGS)
		return 0;
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 4;

		if ((nc = realloc(f->c, ncap * sizeof(*nc))) == NULL)
			return -1;
		f->c = nc;
		f->cap = ncap;
	}
	memset(&f->c[f->n], 0, sizeof(f->c[f->n]));
	f->c[f->n].objnum = objnum;
	f->c[f->n].dict = dict;
	if (name != NULL)
		snprintf(f->c[f->n].name, sizeof(f->c[f->n].name), "%s", name);
	f->n++;
	return 0;
}

static int
seen_field(struct finder *f, uint32_t num)
{
	uint32_t *ns;

	for (size_t i = 0; i < f->nseen; i++)
		if (f->seen[i] == num)
			return 1;
	if (f->nseen == f->capseen) {
		size_t ncap = f->capseen ? f->capseen * 2 : 16;

		if ((ns = realloc(f->seen, ncap * sizeof(*ns))) == NULL)
			return 1;       /* out of memory: stop walking rather than loop */
		f->seen = ns;
		f->capseen = ncap;
	}
	f->seen[f->nseen++] = num;
	return 0;
}

/* The field's partial name /T as text (bytes copied; UTF-16 names keep their bytes). */
static void
field_name(const struct pdf_obj *field, char *out, size_t outsz)
{
	const struct pdf_obj *t = pdf_dict_get(field, "T");
	size_t n = 0;

	out[0] = '\0';
	if (t == NULL || t->type != PDF_STRING)
		return;
	for (size_t i = 0; i < t->u.str.len && n + 1 < outsz; i++)
		if (t->u.str.s[i] >= 0x20 && t->u.str.s[i] != 0x7f)
			out[n++] = (char)t->u.str.s[i];
	out[n] = '\0';
}

static int
walk_fields(struct finder *f, struct pdf_obj *ref, int inherited_sig, int depth)
{
	struct pdf_obj *field, *ft, *kids, *v;
	uint32_t vnum = 0;
	char name[128];
	int is_sig;

	if (depth > MAX_FIELD_DEPTH || ++f->visited > MAX_FIELDS)
		return 0;
	if (ref != NULL && ref->type == PDF_REF && seen_field(f, ref->u.ref.num))
		return 0;
	field = pdf_resolve(f->doc, ref, SIZE_MAX);
	if (field == NULL || field->type != PDF_DICT)
		return 0;
	ft = pdf_dict_get(field, "FT");
	is_sig = ft != NULL ? pdf_is_name(ft, "Sig") : inherited_sig;
	v = pdf_dict_get(field, "V");
	if (is_sig && v != NULL) {
		if (v->type == PDF_REF)
			vnum = v->u.ref.num;
		v = pdf_resolve(f->doc, v, SIZE_MAX);
		field_name(field, name, sizeof(name));
		if (v != NULL && v->type == PDF_DICT && add_cand(f, vnum, v, name) < 0)
			return -1;
	}
	kids = pdf_resolve(f->doc, pdf_dict_get(field, "Kids"), SIZE_MAX);
	if (kids != NULL && kids->type == PDF_ARRAY)
		for (size_t i = 0; i < kids->u.arr.n; i++)
			if (walk_fields(f, kids->u.arr.items[i], is_sig, depth + 1) < 0)
				return -1;
	return 0;
}

static int
is_sig_dict(const struct pdf_obj *o)
{
	const struct pdf_obj *type;

	if (o == NULL || o->type != PDF_DICT)
		return 0;
	type = pdf_dict_get(o, "Type");
	if (pdf_is_name(type, "Sig") || pdf_is_name(type, "DocTimeStamp"))
		return 1;
	return type == NULL && pdf_dict_get(o, "ByteRange") != NULL &&
	    pdf_dict_get(o, "Contents") != NULL;
}

/*
 * Could the plain object at [start, end) be a signature dictionary? A byte look
 * before the full parse, so that a 250 KB font dictionary is not parsed on every
 * verification: a signature dictionary says /Sig or /DocTimeStamp, or has a
 * /ByteRange. (A /Type written with #xx escapes, "/S#69g", passes no filter: such a
 * dictionary is then found only through the form's fields.)
 */
/* memmem by memchr on the first byte: much faster than glibc's memmem when that
 * byte is rare, as capitals are in the number arrays of big font dictionaries */
static int
contains(const uint8_t *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const uint8_t *q, *end = p + n;

	while (p < end && (q = memchr(p, needle[0], (size_t)(end - p))) != NULL) {
		if ((size_t)(end - q) >= k && memcmp(q, needle, k) == 0)
			return 1;
		p = q + 1;
	}
	return 0;
}

static int
may_be_sig(const struct pdf_doc *d, size_t start, size_t end)
{
	const uint8_t *p = d->buf + start;
	size_t n = end - start;

	return contains(p, n, "Sig") || contains(p, n, "ByteRange") || contains(p, n, "DocTimeStamp");
}

static int
scan_all_objects(struct finder *f)
{
	uint32_t *nums = NULL;
	size_t n, start, end;

	if ((n = pdf_objnums(f->doc, 0, &nums)) == (size_t)-1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (pdf_raw_extent(f->doc, nums[i], SIZE_MAX, &start, &end) == 0 &&
		    !may_be_sig(f->doc, start, end))
			continue;
		struct pdf_obj *o = pdf_get(f->doc, nums[i], SIZE_MAX);

		if (is_sig_dict(o) && add_cand(f, nums[i], o, NULL) < 0) {
			free(nums);
			return -1;
		}
	}
	free(nums);
	return 0;
}

/* ---------------------------------------------------------------- dates */

static int
digits(const uint8_t *s, size_t len, size_t *pos, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (*pos >= len || s[*pos] < '0' || s[*pos] > '9')
			return -1;
		v = v * 10 + (s[(*pos)++] - '0');
	}
	*out = v;
	return 0;
}

int
pdfsig_parse_date(const uint8_t *s, size_t len, int64_t *out)
{
	size_t pos = 0;
	int y, mo = 1, d = 1, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;

	if (len >= 2 && s[0] == 'D' && s[1] == ':')
		pos = 2;
	if (digits(s, len, &pos, 4, &y) < 0)
		return -1;
	if (pos < len && digits(s, len, &pos, 2, &mo) == 0 && pos < len &&
	    digits(s, len, &pos, 2, &d) == 0 && pos < len && digits(s, len, &pos, 2, &h) == 0 &&
	    pos < len && digits(s, len, &pos, 2, &mi) == 0 && pos < len)
		(void)digits(s, len, &pos, 2, &se);
	if (pos < len && (s[pos] == '+' || s[pos] == '-')) {
		sign = s[pos++] == '-' ? -1 : 1;
		if (digits(s, len, &pos, 2, &oh) < 0)
			return -1;
		if (pos < len && s[pos] == '\'')
			pos++;
		if (pos < len && digits(s, len, &pos, 2, &om) < 0)
			om = 0;
	}
	if (!civil_valid_date(y, mo, d) || h > 23 || mi > 59 || se > 60 || oh > 23 || om > 59)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
	    (int64_t)sign * (oh * 3600 + om * 60);
	return 0;
}

/* ---------------------------------------------------------------- later revisions */

static int
in_list(const char *key, const char *const *allowed)
{
	for (; *allowed != NULL; allowed++)
		if (strcmp(key, *allowed) == 0)
			return 1;
	return 0;
}

/* Equal except for the keys listed. */
static int
dict_equal_except(struct pdf_doc *d, const struct pdf_obj *a, const struct pdf_obj *b,
    const char *const *allowed)
{
	if (a->type != PDF_DICT || b->type != PDF_DICT || a->u.dict.dup || b->u.dict.dup)
		return 0;
	for (size_t i = 0; i < a->u.dict.n; i++)
		if (!in_list(a->u.dict.kv[i].key, allowed) &&
		    !pdf_equal(d, a->u.dict.kv[i].val, pdf_dict_get(b, a->u.dict.kv[i].key)))
			return 0;
	for (size_t i = 0; i < b->u.dict.n; i++)
		if (!in_list(b->u.dict.kv[i].key, allowed) && pdf_dict_get(a, b->u.dict.kv[i].key) == NULL)
			return 0;
	return 1;
}

/* A signature field, or a widget of one (its own /FT or its parent's). */
static int
is_sig_field(struct pdf_doc *d, struct pdf_obj *o)
{
	struct pdf_obj *parent;

	o = pdf_resolve(d, o, SIZE_MAX);
	if (o == NULL || o->type != PDF_DICT)
		return 0;
	if (pdf_is_name(pdf_dict_get(o, "FT"), "Sig"))
		return 1;
	parent = pdf_resolve(d, pdf_dict_get(o, "Parent"), SIZE_MAX);
	return parent != NULL && pdf_is_name(pdf_dict_get(parent, "FT"), "Sig");
}

/* New array keeps every old element and only adds signature fields or widgets. */
static int
array_grows_by_sig_fields(struct pdf_doc *d, struct pdf_obj *olda, struct pdf_obj *newa,
    size_t limit)
{
	olda = pdf_resolve(d, olda, limit);
	newa = pdf_resolve(d, newa, SIZE_MAX);
	if (newa == NULL || newa->type != PDF_ARRAY)
		return 0;
	if (olda != NULL && olda->type != PDF_ARRAY)
		return 0;
	for (size_t i = 0; olda != NULL && i < olda->u.arr.n; i++) {
		int found = 0;

		for (size_t j = 0; j < newa->u.arr.n && !found; j++)
			found = pdf_equal(d, olda->u.arr.items[i], newa->u.arr.items[j]);
		if (!found)
			return 0;
	}
	for (size_t j = 0; j < newa->u.arr.n; j++) {
		int found = 0;

		for (size_t i = 0; olda != NULL && i < olda->u.arr.n && !found; i++)
			found = pdf_equal(d, olda->u.arr.items[i], newa->u.arr.items[j]);
		if (!found && !is_sig_field(d, newa->u.arr.items[j]))
			return 0;
	}
	return 1;
}

static const char *const catalog_keys[] = { "AcroForm", "DSS", NULL };
static const char *const page_keys[] = { "Annots", NULL };
static const char *const acroform_keys[] = { "Fields", "SigFlags", "DR", "DA", NULL };
static const char *const sigfield_keys[] = { "V", "AP", NULL };

/*
 * May object num change from old (as signed) to new (now) without touching what the
 * signer saw? Allowed: the catalog gaining /AcroForm or /DSS, a page gaining signature
 * widgets in /Annots, the form gaining signature fields, an empty signature field
 * being signed, DSS dictionaries, and arrays (an indirect /Annots or /Fields) that
 * only gain signature fields.
 */
static int
change_allowed(struct pdf_doc *d, struct pdf_obj *old, struct pdf_obj *nw, size_t limit)
{
	struct pdf_obj *type;

	if (old->type == PDF_ARRAY && nw->type == PDF_ARRAY)
		return array_grows_by_sig_fields(d, old, nw, limit);
	if (old->type != PDF_DICT || nw->type != PDF_DICT)
		return 0;
	type = pdf_dict_get(nw, "Type");
	if (!pdf_equal(d, type, pdf_dict_get(old, "Type")))
		return 0;
	if (pdf_is_name(type, "Catalog"))
		return dict_equal_except(d, old, nw, catalog_keys) &&
		    (pdf_equal(d, pdf_dict_get(old, "AcroForm"), pdf_dict_get(nw, "AcroForm")) ||
		    pdf_dict_get(old, "AcroForm") == NULL ||
		    pdf_dict_get(old, "AcroForm")->type == PDF_REF ||
		    change_allowed(d, pdf_dict_get(old, "AcroForm"), pdf_dict_get(nw, "AcroForm"), limit));
	if (pdf_is_name(type, "Page"))
		return dict_equal_except(d, old, nw, page_keys) &&
		    (pdf_equal(d, pdf_dict_get(old, "Annots"), pdf_dict_get(nw, "Annots")) ||
		    array_grows_by_sig_fields(d, pdf_dict_get(old, "Annots"), pdf_dict_get(nw, "Annots"), limit));
	if (pdf_is_name(type, "DSS") || pdf_is_name(type, "VRI"))
		return 1;
	if (pdf_dict_get(nw, "Fields") != NULL)
		return dict_equal_except(d, old, nw, acroform_keys) &&
		    (pdf_equal(d, pdf_dict_get(old, "Fields"), pdf_dict_get(nw, "Fields")) ||
		    array_grows_by_sig_fields(d, pdf_dict_get(old, "Fields"), pdf_dict_get(nw, "Fields"), limit));
	if (pdf_is_name(pdf_dict_get(old, "FT"), "Sig") && pdf_dict_get(old, "V") == NULL)
		return dict_equal_except(d, old, nw, sigfield_keys);
	return 0;
}

/* Classify what follows the covered bytes [0, signed_len). */
static enum pdfsig_later
analyse_later(struct pdf_doc *d, size_t signed_len, uint32_t *bad)
{
	struct pdf_obj *told, *tnew;
	uint32_t *nums = NULL;
	size_t n, i;
	int later_sections = 0;
	enum pdfsig_later ret = PDFSIG_LATER_OTHER;

	*bad = 0;
	for (i = signed_len; i < d->len; i++)
		if (d->buf[i] != ' ' && d->buf[i] != '\r' && d->buf[i] != '\n' &&
		    d->buf[i] != '\t' && d->buf[i] != '\0' && d->buf[i] != '\f')
			break;
	if (i == d->len)
		return PDFSIG_LATER_NONE;
	if (d->rebuilt)
		return PDFSIG_LATER_OTHER;
	for (i = 0; i < d->nsec; i++)
		if (d->sec[i].offset >= signed_len)
			later_sections++;
	told = pdf_trailer(d, signed_len);
	tnew = pdf_trailer(d, SIZE_MAX);
	if (later_sections == 0 || told == NULL || tnew == NULL ||
	    !pdf_equal(d, pdf_dict_get(told, "Root"), pdf_dict_get(tnew, "Root")) ||
	    !pdf_equal(d, pdf_dict_get(told, "Encrypt"), pdf_dict_get(tnew, "Encrypt")))
		return PDFSIG_LATER_OTHER;
	if ((n = pdf_objnums(d, signed_len, &nums)) == (size_t)-1)
		return PDFSIG_LATER_OTHER;
	for (i = 0; i < n; i++) {
		struct pdf_obj *old = pdf_get(d, nums[i], signed_len);
		struct pdf_obj *nw = pdf_get(d, nums[i], SIZE_MAX);

		if (old == NULL)
			continue;       /* new objects only matter once referenced by a changed one */
		if (nw == NULL || (!pdf_equal(d, old, nw) && !change_allowed(d, old, nw, signed_len))) {
			*bad = nums[i];
			goto done;
		}
	}
	ret = PDFSIG_LATER_SIGNATURES;
done:
	free(nums);
	return ret;
}

/* ---------------------------------------------------------------- one signature */

static void
check_sig(struct pdf_doc *d, const struct cand *c, struct pdfsig_sig *s)
{
	struct pdf_obj *sf, *br, *contents, *m;
	int64_t v[4];

	s->objnum = c->objnum;
	snprintf(s->field_name, sizeof(s->field_name), "%s", c->name);
	s->is_timestamp = pdf_is_name(pdf_dict_get(c->dict, "Type"), "DocTimeStamp");
	sf = pdf_dict_get(c->dict, "SubFilter");
	if (sf != NULL && sf->type == PDF_NAME)
		snprintf(s->subfilter, sizeof(s->subfilter), "%s", sf->u.name.s);
	s->subfilter_supported = pdf_is_name(sf, "adbe.pkcs7.detached") ||
	    pdf_is_name(sf, "ETSI.CAdES.detached");
	m = pdf_resolve(d, pdf_dict_get(c->dict, "M"), SIZE_MAX);
	if (m != NULL && m->type == PDF_STRING && pdfsig_parse_date(m->u.str.s, m->u.str.len, &s->m) == 0)
		s->has_m = 1;

	contents = pdf_dict_get(c->dict, "Contents");
	if (contents != NULL && contents->type == PDF_STRING && contents->u.str.len > 0 &&
	    (s->contents = malloc(contents->u.str.len)) != NULL) {
		memcpy(s->contents, contents->u.str.s, contents->u.str.len);
		s->contents_len = contents->u.str.len;
	}
	br = pdf_resolve(d, pdf_dict_get(c->dict, "ByteRange"), SIZE_MAX);
	s->bytes_after = d->len;
	s->byte_range_problem = NULL;
	if (c->dict->u.dict.dup)
		s->byte_range_problem = "a key is repeated in the signature dictionary";
	else if (contents == NULL || contents->type != PDF_STRING || !contents->u.str.hex)
		s->byte_range_problem = "/Contents is missing or not a hex string";
	else if (contents->u.str.off == PDF_NO_OFFSET)
		s->byte_range_problem = "the signature dictionary is inside an object stream";
	else if (br == NULL || br->type != PDF_ARRAY || br->u.arr.n != 4)
		s->byte_range_problem = "/ByteRange is not an array of 4 integers";
	if (s->byte_range_problem != NULL)
		return;
	for (int i = 0; i < 4; i++) {
		struct pdf_obj *it = pdf_resolve(d, br->u.arr.items[i], SIZE_MAX);

		if (it == NULL || it->type != PDF_INT || it->u.i < 0) {
			s->byte_range_problem = "/ByteRange is not an array of 4 integers";
			return;
		}
		v[i] = it->u.i;
		s->byte_range[i] = v[i];
	}
	if (v[0] != 0)
		s->byte_range_problem = "/ByteRange does not start at 0";
	else if (v[1] == 0 || (uint64_t)v[1] != contents->u.str.off ||
	    (uint64_t)v[2] != contents->u.str.end)
		s->byte_range_problem = "the /ByteRange gap is not exactly the /Contents string";
	else if ((uint64_t)v[3] > d->len || (uint64_t)v[2] > d->len - (uint64_t)v[3])
		s->byte_range_problem = "/ByteRange goes past the end of the file";
	if (s->byte_range_problem != NULL)
		return;
	s->byte_range_ok = 1;
	s->signed_len = (size_t)(v[2] + v[3]);
	s->bytes_after = d->len - s->signed_len;
	s->covers_whole_file = s->bytes_after == 0;
	s->later = s->covers_whole_file ? PDFSIG_LATER_NONE :
	    analyse_later(d, s->signed_len, &s->later_object);
}

static int
sig_order(const void *a, const void *b)
{
	const struct pdfsig_sig *x = a, *y = b;

	if (x->byte_range_ok != y->byte_range_ok)
		return x->byte_range_ok ? -1 : 1;
	if (x->signed_len != y->signed_len)
		return x->signed_len < y->signed_len ? -1 : 1;
	return x->objnum < y->objnum ? -1 : x->objnum > y->objnum;
}

int
pdfsig_find(const uint8_t *pdf, size_t len, struct pdfsig_list *out)
{
	struct pdf_doc doc;
	struct finder f;
	struct pdf_obj *trailer, *root, *acro, *fields;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	f.doc = &doc;
	if (len < 8 || memmem(pdf, len < 1024 ? len : 1024, "%PDF-", 5) == NULL) {
		memset(&doc, 0, sizeof(doc));
		goto done;
	}
	if (pdf_open(&doc, pdf, len) < 0)
		goto done;
	out->revisions = doc.nsec;
	out->rebuilt = doc.rebuilt;
	out->encrypted = doc.encrypted;

	trailer = pdf_trailer(&doc, SIZE_MAX);
	root = pdf_resolve(&doc, pdf_dict_get(trailer, "Root"), SIZE_MAX);
	acro = pdf_resolve(&doc, pdf_dict_get(root, "AcroForm"), SIZE_MAX);
	fields = pdf_resolve(&doc, pdf_dict_get(acro, "Fields"), SIZE_MAX);
	if (fields != NULL && fields->type == PDF_ARRAY)
		for (size_t i = 0; i < fields->u.arr.n; i++)
			if (walk_fields(&f, fields->u.arr.items[i], 0, 0) < 0)
				goto done;
	if (scan_all_objects(&f) < 0)
		goto done;

	if (f.n > 0) {
		if ((out->sigs = calloc(f.n, sizeof(*out->sigs))) == NULL)
			goto done;
		out->n = f.n;
		for (size_t i = 0; i < f.n; i++)
			check_sig(&doc, &f.c[i], &out->sigs[i]);
		qsort(out->sigs, out->n, sizeof(*out->sigs), sig_order);
	}
	ret = 0;
done:
	free(f.c);
	free(f.seen);
	pdf_close(&doc);
	return ret;
}

void
pdfsig_list_free(struct pdfsig_list *list)
{
	if (list == NULL)
		return;
	for (size_t i = 0; i < list->n; i++)
		free(list->sigs[i].contents);
	free(list->sigs);
	memset(list, 0, sizeof(*list));
}
