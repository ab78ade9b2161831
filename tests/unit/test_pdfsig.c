/*
 * Tests for sig/pdf and sig/pdfsig: the PDF reader and the signature locator, on PDFs
 * made here by hand (tests/sig/pdfbuild.h): a classic xref table, an xref stream with
 * a PNG predictor, an object stream holding the signature field, incremental updates
 * (/Prev chains) that add a signature or change content, a broken xref, and every
 * /ByteRange shape the locator must refuse. No OpenSSL here: the /Contents are dummy
 * bytes; test_sigverify.c checks real signatures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include "sig/pdf.h"
#include "sig/pdfsig.h"
#include "../sig/pdfbuild.h"

#define M_DATE "D:20250304080000+07'00'"
#define M_EPOCH 1741050000              /* 2025-03-04T01:00:00Z */

static const char page_content[] = "BT /F1 18 Tf 72 760 Td (Ket qua) Tj ET";

/* Objects 2..4 of every test file: pages, page (with or without annots), content. */
static void
common_objects(struct pdfb *b, int with_annot)
{
	pb_obj(b, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
	pb_obj(b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R%s >>",
	    with_annot ? " /Annots [5 0 R]" : "");
	pb_stream(b, 4, "", page_content, strlen(page_content));
}

/* A one-revision file: catalog 1 with the form, field 5 (named Sig1), signature 6. */
static void
make_classic(struct pdfb *b)
{
	pb_init(b, NULL, 0, 0);
	pb_obj(b, 1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>");
	common_objects(b, 1);
	pb_obj(b, 5, "<< /FT /Sig /T (Sig1) /V 6 0 R /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R >>");
	pb_sig(b, 6, "adbe.pkcs7.detached", M_DATE, 8);
	pb_xref(b, "/Root 1 0 R");
	pb_fix_byterange(b);
}

static void
expect_one_good(const struct pdfb *b, struct pdfsig_list *l)
{
	assert_int_equal(pdfsig_find(b->s, b->n, l), 0);
	assert_int_equal(l->n, 1);
	assert_int_equal(l->sigs[0].objnum, 6);
	assert_true(l->sigs[0].byte_range_ok);
	assert_true(l->sigs[0].subfilter_supported);
	assert_string_equal(l->sigs[0].subfilter, "adbe.pkcs7.detached");
	assert_int_equal(l->sigs[0].contents_len, 8);
	assert_int_equal(l->sigs[0].byte_range[1], (int64_t)b->contents_off);
	assert_int_equal(l->sigs[0].byte_range[2], (int64_t)b->contents_end);
	assert_true(l->sigs[0].has_m);
	assert_int_equal(l->sigs[0].m, M_EPOCH);
}

static void
test_classic_xref(void **state)
{
	struct pdfb b;
	struct pdfsig_list l;

	(void)state;
	make_classic(&b);
	expect_one_good(&b, &l);
	assert_int_equal(l.revisions, 1);
	assert_false(l.rebuilt);
	assert_true(l.sigs[0].covers_whole_file);
	assert_int_equal(l.sigs[0].bytes_after, 0);
	assert_int_equal(l.sigs[0].later, PDFSIG_LATER_NONE);
	assert_string_equal(l.sigs[0].field_name, "Sig1");
	pdfsig_list_free(&l);
	free(b.s);
}

/* Rows of an xref stream (W [1 4 2]), PNG "Up" predicted, deflated. */
struct xrow {
	int type;
	uint32_t f2;
	uint16_t f3;
};

static void
put_xref_stream(struct pdfb *b, int num, const struct xrow *rows, int nrows, const char *extra)
{
	uint8_t raw[64 * 8], prev[7] = { 0 }, cur[7], packed[64 * 8];
	uLongf zlen = sizeof(packed);
	size_t n = 0, xref_off = b->n;

	for (int i = 0; i < nrows; i++) {
		cur[0] = (uint8_t)rows[i].type;
		cur[1] = (uint8_t)(rows[i].f2 >> 24);
		cur[2] = (uint8_t)(rows[i].f2 >> 16);
		cur[3] = (uint8_t)(rows[i].f2 >> 8);
		cur[4] = (uint8_t)rows[i].f2;
		cur[5] = (uint8_t)(rows[i].f3 >> 8);
		cur[6] = (uint8_t)rows[i].f3;
		raw[n++] = 2;   /* PNG Up */
		for (int k = 0; k < 7; k++)
			raw[n++] = (uint8_t)(cur[k] - prev[k]);
		memcpy(prev, cur, sizeof(prev));
	}
	assert_int_equal(compress2(packed, &zlen, raw, n, 9), Z_OK);
	pb_begin(b, num);
	pb_add(b, "<< /Type /XRef /Size %d /W [1 4 2] /Filter /FlateDecode "
	    "/DecodeParms << /Predictor 12 /Columns 7 >> %s /Length %lu >>\nstream\n",
	    nrows, extra, (unsigned long)zlen);
	pb_raw(b, packed, zlen);
	pb_add(b, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xref_off);
}

static void
test_xref_stream_with_predictor(void **state)
{
	struct pdfb b;
	struct pdfsig_list l;
	struct xrow rows[8];

	(void)state;
	pb_init(&b, NULL, 0, 0);
	pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>");
	common_objects(&b, 1);
	pb_obj(&b, 5, "<< /FT /Sig /T (Sig1) /V 6 0 R /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R >>");
	pb_sig(&b, 6, "adbe.pkcs7.detached", M_DATE, 8);
	rows[0] = (struct xrow){ 0, 0, 65535 };
	for (int i = 1; i <= 6; i++)
		rows[i] = (struct xrow){ 1, (uint32_t)b.off[i], 0 };
	rows[7] = (struct xrow){ 1, (uint32_t)b.n, 0 };
	put_xref_stream(&b, 7, rows, 8, "/Root 1 0 R");
	pb_fix_byterange(&b);
	expect_one_good(&b, &l);
	assert_false(l.rebuilt);
	assert_int_equal(l.revisions, 1);
	assert_string_equal(l.sigs[0].field_name, "Sig1");
	pdfsig_list_free(&l);
	free(b.s);
}

/* The catalog and the signature field live in an object stream; only the form walk
 * through the object stream can name the field. */
static void
test_object_stream(void **state)
{
	struct pdfb b;
	struct pdfsig_list l;
	struct pdf_doc doc;
	struct xrow rows[9];
	char body[512], hdr[64];
	uint8_t packed[1024];
	uLongf zlen = sizeof(packed);
	const char *o1 = "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>";
	const char *o5 = "<< /FT /Sig /T (Inside) /V 6 0 R /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R >>";
	int hl, bl;

	(void)state;
	pb_init(&b, NULL, 0, 0);
	common_objects(&b, 1);
	pb_sig(&b, 6, "ETSI.CAdES.detached", M_DATE, 8);
	hl = snprintf(hdr, sizeof(hdr), "1 0 5 %zu ", strlen(o1) + 1);
	bl = snprintf(body, sizeof(body), "%s%s\n%s", hdr, o1, o5);
	assert_int_equal(compress2(packed, &zlen, (const uint8_t *)body, (uLong)bl, 9), Z_OK);
	pb_begin(&b, 8);
	pb_add(&b, "<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %lu >>\nstream\n",
	    hl, (unsigned long)zlen);
	pb_raw(&b, packed, zlen);
	pb_add(&b, "\nendstream\nendobj\n");
	rows[0] = (struct xrow){ 0, 0, 65535 };
	rows[1] = (struct xrow){ 2, 8, 0 };
	for (int i = 2; i <= 4; i++)
		rows[i] = (struct xrow){ 1, (uint32_t)b.off[i], 0 };
	rows[5] = (struct xrow){ 2, 8, 1 };
	rows[6] = (struct xrow){ 1, (uint32_t)b.off[6], 0 };
	rows[7] = (struct xrow){ 1, (uint32_t)b.n, 0 };       /* the xref stream itself */
	rows[8] = (struct xrow){ 1, (uint32_t)b.off[8], 0 };
	put_xref_stream(&b, 7, rows, 9, "/Root 1 0 R");
	pb_fix_byterange(&b);

	assert_int_equal(pdf_open(&doc, b.s, b.n), 0);
	assert_false(doc.rebuilt);
	assert_true(pdf_is_name(pdf_dict_get(pdf_get(&doc, 1, SIZE_MAX), "Type"), "Catalog"));
	assert_true(pdf_is_name(pdf_dict_get(pdf_get(&doc, 5, SIZE_MAX), "FT"), "Sig"));
	assert_int_equal(pdf_obj_offset(&doc, 5, SIZE_MAX), PDF_NO_OFFSET);
	pdf_close(&doc);

	assert_int_equal(pdfsig_find(b.s, b.n, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.sigs[0].field_name, "Inside");
	assert_string_equal(l.sigs[0].subfilter, "ETSI.CAdES.detached");
	assert_true(l.sigs[0].byte_range_ok);
	pdfsig_list_free(&l);
	free(b.s);
}

/* An unsigned file (revision 1), then an update that signs it (revision 2). */
static void
make_base(struct pdfb *b)
{
	pb_init(b, NULL, 0, 0);
	pb_obj(b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	common_objects(b, 0);
	pb_xref(b, "/Root 1 0 R");
}

static void
sign_incrementally(struct pdfb *b, int field, int sig, const char *annots, const char *fields)
{
	pb_obj(b, 1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] /SigFlags 3 >> >>", fields);
	pb_obj(b, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [%s] >>",
	    annots);
	pb_obj(b, field, "<< /FT /Sig /T (S%d) /V %d 0 R /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R >>",
	    field, sig);
	pb_sig(b, sig, "adbe.pkcs7.detached", M_DATE, 8);
	pb_xref(b, "/Root 1 0 R");
	pb_fix_byterange(b);
}

static void
test_incremental_update(void **state)
{
	struct pdfb b;
	struct pdfsig_list l;
	size_t signed_len;

	(void)state;
	make_base(&b);
	sign_incrementally(&b, 5, 6, "5 0 R", "5 0 R");
	expect_one_good(&b, &l);
	assert_int_equal(l.revisions, 2);
	assert_true(l.sigs[0].covers_whole_file);
	pdfsig_list_free(&l);
	signed_len = b.n;

	/* a later revision that changes the page's content */
	pb_stream(&b, 4, "", "BT (forged) Tj ET", 17);
	pb_xref(&b, "/Root 1 0 R");
	assert_int_equal(pdfsig_find(b.s, b.n, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.revisions, 3);
	assert_false(l.sigs[0].covers_whole_file);
	assert_int_equal(l.sigs[0].signed_len, signed_len);
	assert_int_equal(l.sigs[0].bytes_after, b.n - signed_len);
	assert_int_equal(l.sigs[0].later, PDFSIG_LATER_OTHER);
	assert_int_equal(l.sigs[0].later_object, 4);
	pdfsig_list_free(&l);
	free(b.s);
}

static void
test_second_signature_only_adds(void **state)
{
	struct pdfb b;
	struct pdfsig_list l;

	(void)state;
	make_base(&b);
	sign_incrementally(&b, 5, 6, "5 0 R", "5 0 R");
	sign_incrementally(&b, 7, 8, "5 0 R 7 0 R", "5 0 R 7 0 R");
	assert_int_equal(pdfsig_find(b.s, b.n, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.sigs[0].objnum, 6);           /* signing order */
	assert_int_equal(l.sigs[1].objnum, 8);
	assert_true(l.sigs[0].byte_range_ok && l.sigs[1].byte_range_ok);
	assert_int_equal(l.sigs[0].later, PDFSIG_LATER_SIGNATURES);
	assert_true(l.sigs[1].covers_whole_file);
	pdfsig_list_free(&l);
	free(b.s);
}

/* A second "signature" revision that also slips in a visible annotation. */
static void
test_later_annotation_is_not_a_signature(void **state)
{
	struct pdfb b;
	struct pdfsig_list l;

	(void)state;
	make_base(&b);
	sign_incrementally(&b, 5, 6, "5 0 R", "5 0 R");
	pb_obj(&b, 9, "<< /Type /Annot /Subtype /FreeText /Rect [0 0 595 842] /Contents (Huy) >>");
	sign_incrementally(&b, 7, 8, "5 0 R 7 0 R 9 0 R", "5 0 R 7 0 R");
	assert_int_equal(pdfsig_find(b.s, b.n, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.sigs[0].later, PDFSIG_LATER_OTHER);
	assert_int_equal(l.sigs[0].later_object, 3);
	pdfsig_list_free(&l);
	free(b.s);
}

static void
test_trailing_whitespace_is_harmless(void **state)
{
	struct pdfb b;
	struct pdfsig_list l;

	(void)state;
	make_classic(&b);
	pb_raw(&b, "\r\n\n", 3);
	assert_int_equal(pdfsig_find(b.s, b.n, &l), 0);
	assert_int_equal(l.n, 1);
	assert_false(l.sigs[0].covers_whole_file);
	assert_int_equal(l.sigs[0].bytes_after, 3);
	assert_int_equal(l.sigs[0].later, PDFSIG_LATER_NONE);
	pdfsig_list_free(&l);
	free(b.s);
}

static void
test_broken_xref_is_rebuilt(void **state)
{
	struct pdfb b;
	struct pdfsig_list l;
	char *sx;

	(void)state;
	make_classic(&b);
	sx = strstr((char *)b.s + b.contents_end, "startxref\n");
	assert_non_null(sx);
	memcpy(sx + 10, "9", 1);        /* the offset now points nowhere useful */
	assert_int_equal(pdfsig_find(b.s, b.n, &l), 0);
	assert_true(l.rebuilt);
	assert_int_equal(l.n, 1);
	assert_true(l.sigs[0].byte_range_ok);
	assert_string_equal(l.sigs[0].field_name, "Sig1");
	pdfsig_list_free(&l);
	free(b.s);
}

/* Offsets in the xref that are off by a few bytes: each object is found by the scan. */
static void
test_wrong_offsets_fall_back_to_scan(void **state)
{
	struct pdfb b;
	struct pdfsig_list l;
	char *x;

	(void)state;
	make_classic(&b);
	x = strstr((char *)b.s + b.contents_end, "xref\n");
	assert_non_null(x);
	/* shift the offset of object 5 (third subsection after 0, 1..4 are first) */
	x = strstr(x, "5 1\n");
	assert_non_null(x);
	x[4 + 9] = x[4 + 9] == '0' ? '1' : '0';
	assert_int_equal(pdfsig_find(b.s, b.n, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.sigs[0].field_name, "Sig1");
	pdfsig_list_free(&l);
	free(b.s);
}

static void
expect_bad_range(const struct pdfb *b, const char *why)
{
	struct pdfsig_list l;

	assert_int_equal(pdfsig_find(b->s, b->n, &l), 0);
	assert_int_equal(l.n, 1);
	assert_false(l.sigs[0].byte_range_ok);
	assert_non_null(l.sigs[0].byte_range_problem);
	assert_non_null(strstr(l.sigs[0].byte_range_problem, why));
	pdfsig_list_free(&l);
}

static void
test_byte_range_shapes(void **state)
{
	struct pdfb b;
	char tmp[64];

	(void)state;
	/* gap one byte short of the hex string */
	make_classic(&b);
	snprintf(tmp, sizeof(tmp), "0 %-10zu", b.contents_off + 1);
	memcpy(b.s + b.br_pos, tmp, strlen(tmp));
	expect_bad_range(&b, "not exactly the /Contents");
	free(b.s);

	/* not starting at 0 */
	make_classic(&b);
	b.s[b.br_pos] = '1';
	expect_bad_range(&b, "does not start at 0");
	free(b.s);

	/* past the end of the file */
	make_classic(&b);
	snprintf(tmp, sizeof(tmp), "%-10zu", b.n - b.contents_end + 1);
	memcpy(b.s + b.br_pos + 2 + 11 + 11, tmp, strlen(tmp));
	expect_bad_range(&b, "past the end");
	free(b.s);

	/* three numbers */
	make_classic(&b);
	memcpy(b.s + b.br_pos, "  ", 2);
	expect_bad_range(&b, "4 integers");
	free(b.s);

	/* a negative one */
	make_classic(&b);
	b.s[b.br_pos + 2 + 11 + 11 - 1] = '-';
	expect_bad_range(&b, "4 integers");
	free(b.s);
}

/* A second /Contents hides behind the first: signature wrapping. */
static void
test_repeated_key_refused(void **state)
{
	struct pdfb b;

	(void)state;
	pb_init(&b, NULL, 0, 0);
	pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] >> >>");
	common_objects(&b, 1);
	pb_obj(&b, 5, "<< /FT /Sig /T (Sig1) /V 6 0 R /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R >>");
	pb_begin(&b, 6);
	pb_add(&b, "<< /Type /Sig /SubFilter /adbe.pkcs7.detached /Contents <00> /ByteRange [");
	b.br_pos = b.n;
	pb_add(&b, "0 %-10s %-10s %-10s] /Contents ", "0", "0", "0");
	b.contents_off = b.n;
	pb_add(&b, "<0000>");
	b.contents_end = b.n;
	pb_add(&b, " >>\nendobj\n");
	pb_xref(&b, "/Root 1 0 R");
	pb_fix_byterange(&b);
	expect_bad_range(&b, "repeated");
	free(b.s);
}

static void
test_literal_contents_refused(void **state)
{
	struct pdfb b;
	char *p;

	(void)state;
	make_classic(&b);
	p = (char *)b.s + b.contents_off;
	p[0] = '(';
	p[b.contents_end - b.contents_off - 1] = ')';
	expect_bad_range(&b, "hex string");
	free(b.s);
}

static void
test_unsupported_subfilter_reported(void **state)
{
	struct pdfb b;
	struct pdfsig_list l;

	(void)state;
	pb_init(&b, NULL, 0, 0);
	pb_obj(&b, 1, "<< /Type /Catalog /Pages 2 0 R >>");
	common_objects(&b, 0);
	pb_sig(&b, 6, "adbe.x509.rsa_sha1", M_DATE, 8);
	pb_xref(&b, "/Root 1 0 R");
	pb_fix_byterange(&b);
	/* no form at all: found by the object walk */
	assert_int_equal(pdfsig_find(b.s, b.n, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.sigs[0].subfilter, "adbe.x509.rsa_sha1");
	assert_false(l.sigs[0].subfilter_supported);
	assert_true(l.sigs[0].byte_range_ok);
	pdfsig_list_free(&l);
	free(b.s);
}

static void
test_not_a_pdf(void **state)
{
	struct pdfsig_list l;
	struct pdfb b;
	static const uint8_t junk[] = "hello, this is not a PDF at all";

	(void)state;
	assert_int_equal(pdfsig_find(junk, sizeof(junk) - 1, &l), -1);
	pdfsig_list_free(&l);
	assert_int_equal(pdfsig_find(junk, 0, &l), -1);
	pdfsig_list_free(&l);
	/* every truncation of a signed file: no crash, no leak (ASan checks) */
	make_classic(&b);
	for (size_t n = 0; n < b.n; n += 7) {
		if (pdfsig_find(b.s, n, &l) == 0)
			assert_true(l.n <= 1);
		pdfsig_list_free(&l);
	}
	free(b.s);
}

static void
test_parse_date(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(pdfsig_parse_date((const uint8_t *)M_DATE, strlen(M_DATE), &t), 0);
	assert_int_equal(t, M_EPOCH);
	assert_int_equal(pdfsig_parse_date((const uint8_t *)"D:20250304010000Z", 17, &t), 0);
	assert_int_equal(t, M_EPOCH);
	assert_int_equal(pdfsig_parse_date((const uint8_t *)"D:2025", 6, &t), 0);
	assert_int_equal(t, 1735689600);
	assert_int_equal(pdfsig_parse_date((const uint8_t *)"D:20251304", 10, &t), -1);
	assert_int_equal(pdfsig_parse_date((const uint8_t *)"yesterday", 9, &t), -1);
}

/* Literal strings, names with #xx, nested containers and references. */
static void
test_object_syntax(void **state)
{
	struct pdf_doc doc;
	struct pdf_obj *o, *v;
	static const char text[] = "<< /A#20B (x\\(y\\)\\101\\\nz) /N [1 -2.5 +3 4 0 R true null"
	    " <41 42 4>] /D << /E /F >> >>";

	(void)state;
	memset(&doc, 0, sizeof(doc));
	assert_int_equal(pdf_open(&doc, (const uint8_t *)"%PDF-1.0\n", 9), -1);
	o = pdf_parse_text(&doc, (const uint8_t *)text, sizeof(text) - 1);
	assert_non_null(o);
	v = pdf_dict_get(o, "A B");
	assert_non_null(v);
	assert_int_equal(v->type, PDF_STRING);
	assert_int_equal(v->u.str.len, 6);
	assert_memory_equal(v->u.str.s, "x(y)Az", 6);
	v = pdf_dict_get(o, "N");
	assert_int_equal(v->type, PDF_ARRAY);
	assert_int_equal(v->u.arr.n, 7);
	assert_int_equal(v->u.arr.items[1]->type, PDF_REAL);
	assert_int_equal(v->u.arr.items[2]->u.i, 3);
	assert_int_equal(v->u.arr.items[3]->type, PDF_REF);
	assert_int_equal(v->u.arr.items[3]->u.ref.num, 4);
	assert_int_equal(v->u.arr.items[6]->u.str.len, 3);
	assert_memory_equal(v->u.arr.items[6]->u.str.s, "AB@", 3);
	assert_true(pdf_is_name(pdf_dict_get(pdf_dict_get(o, "D"), "E"), "F"));
	pdf_close(&doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classic_xref),
		cmocka_unit_test(test_xref_stream_with_predictor),
		cmocka_unit_test(test_object_stream),
		cmocka_unit_test(test_incremental_update),
		cmocka_unit_test(test_second_signature_only_adds),
		cmocka_unit_test(test_later_annotation_is_not_a_signature),
		cmocka_unit_test(test_trailing_whitespace_is_harmless),
		cmocka_unit_test(test_broken_xref_is_rebuilt),
		cmocka_unit_test(test_wrong_offsets_fall_back_to_scan),
		cmocka_unit_test(test_byte_range_shapes),
		cmocka_unit_test(test_repeated_key_refused),
		cmocka_unit_test(test_literal_contents_refused),
		cmocka_unit_test(test_unsupported_subfilter_reported),
		cmocka_unit_test(test_not_a_pdf),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_object_syntax),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
