/*
 * Where the signatures of a PDF are, and what each one covers. Pure: bytes in.
 *
 * How signatures are found (every one of them, not only the first):
 *   1. the form: trailer /Root -> /AcroForm -> /Fields (and their /Kids), every field
 *      whose /FT is /Sig (inherited from a parent too) with a /V;
 *   2. every object the cross-reference knows (newest version; object streams
 *      included) whose /Type is /Sig or /DocTimeStamp, or that has /ByteRange and
 *      /Contents (a signature dictionary a writer left without /Type).
 * Both are read through the cross-reference (tables, streams, /Prev chains, object
 * streams). Only when the cross-reference is unusable does pdf.c fall back to a scan
 * of the file for "N G obj" (reported as rebuilt = 1); there is no raw search for
 * "/ByteRange" text.
 *
 * What is checked here (the CMS itself is sigverify.c's job):
 *   - /ByteRange is 4 direct-or-indirect integers [0 a b c]: a > 0, the gap [a, b)
 *     is exactly the /Contents hex string of this same dictionary (angle brackets
 *     included, so the dictionary must be a plain object in the file, not inside an
 *     object stream), b + c within the file;
 *   - /Contents is a hex string; its bytes are handed over with the padding;
 *   - the signature dictionary has no repeated key (a second /Contents or /ByteRange
 *     is how "signature wrapping" attacks hide);
 *   - what follows the covered bytes: nothing (covers the whole file), only
 *     whitespace, or later revisions, which are compared object by object with the
 *     signed revision to tell "only signatures, signature fields and DSS were added"
 *     from "other content changed".
 */
#ifndef MOTCUA_SIG_PDFSIG_H
#define MOTCUA_SIG_PDFSIG_H

#include <stddef.h>
#include <stdint.h>

enum pdfsig_later {
	PDFSIG_LATER_NONE,              /* nothing after the covered bytes but whitespace */
	PDFSIG_LATER_SIGNATURES,        /* later revisions only add signatures, fields, DSS */
	PDFSIG_LATER_OTHER,             /* something else was added or changed */
	PDFSIG_LATER__MAX
};

struct pdfsig_sig {
	uint32_t objnum;                /* the signature dictionary (0: direct in its field) */
	int is_timestamp;               /* /Type /DocTimeStamp (ETSI.RFC3161) */
	char subfilter[64];             /* "" when absent */
	int subfilter_supported;        /* adbe.pkcs7.detached or ETSI.CAdES.detached */
	int64_t byte_range[4];
	int byte_range_ok;
	const char *byte_range_problem; /* static English text when !byte_range_ok */
	uint8_t *contents;              /* decoded /Contents, padding included (malloc'd) */
	size_t contents_len;
	size_t signed_len;              /* byte_range[2] + byte_range[3] when ok */
	int covers_whole_file;
	size_t bytes_after;             /* file length - signed_len */
	enum pdfsig_later later;
	uint32_t later_object;          /* PDFSIG_LATER_OTHER: the first object that differs (0: none) */
	char field_name[128];           /* /T of the field, "" when unknown */
	int has_m;                      /* /M present and readable */
	int64_t m;                      /* /M as UTC seconds (claimed by the signer) */
};

struct pdfsig_list {
	struct pdfsig_sig *sigs;        /* in signing order (by end of covered bytes) */
	size_t n;
	size_t revisions;               /* cross-reference sections read */
	int rebuilt;                    /* cross-reference unusable, objects found by scanning */
	int encrypted;
};

/*
 * Find the signatures of pdf[0..len). Returns 0 (the list may be empty), or -1 when
 * the bytes are not a readable PDF or memory ran out. pdfsig_list_free() afterwards
 * in both cases.
 */
int pdfsig_find(const uint8_t *pdf, size_t len, struct pdfsig_list *out);
void pdfsig_list_free(struct pdfsig_list *list);

/* "D:YYYYMMDDHHmmSSOHH'mm'" (any prefix from the year on) to UTC seconds; 0 or -1. */
int pdfsig_parse_date(const uint8_t *s, size_t len, int64_t *out);

#endif
