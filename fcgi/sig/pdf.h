/*
 * A small, defensive PDF object reader: just enough PDF to find and check signatures.
 *
 * Pure: it reads a caller-owned byte buffer and never touches files. Everything it
 * allocates lives in one arena owned by the struct pdf_doc and is freed by pdf_close().
 * Built for hostile input (it is fuzzed): every size is bounded, recursion is limited,
 * and a broken cross-reference falls back to a scan of the file for "N G obj".
 *
 * What it reads: classic xref tables and xref streams (FlateDecode, PNG predictors),
 * hybrid files (/XRefStm), incremental updates (the /Prev chain), object streams
 * (/ObjStm). What it does not: decryption (an /Encrypt file is read as is: the
 * /Contents of a signature dictionary is never encrypted, PDF 32000-1 7.6.1, but its
 * other strings, /M for one, would read as ciphertext), filters other than
 * FlateDecode, TIFF predictors.
 */
#ifndef MOTCUA_SIG_PDF_H
#define MOTCUA_SIG_PDF_H

#include <stddef.h>
#include <stdint.h>

enum pdf_type {
	PDF_NULL, PDF_BOOL, PDF_INT, PDF_REAL, PDF_NAME, PDF_STRING, PDF_ARRAY, PDF_DICT,
	PDF_REF, PDF_STREAM, PDF_TYPE__MAX
};

struct pdf_obj;

struct pdf_kv {
	const char *key;                /* decoded name without the slash, NUL-terminated */
	size_t keylen;
	struct pdf_obj *val;
};

/* Offsets that are not in the file (objects read from an object stream). */
#define PDF_NO_OFFSET ((size_t)-1)

struct pdf_obj {
	enum pdf_type type;
	union {
		int boolean;
		int64_t i;
		double r;
		struct { const char *s; size_t len; } name;           /* decoded, NUL-terminated */
		struct {
			const uint8_t *s;       /* decoded bytes */
			size_t len;
			size_t off, end;        /* the token in the file: [off, end), brackets included */
			int hex;                /* written as <hex> */
		} str;
		struct { struct pdf_obj **items; size_t n; } arr;
		struct { struct pdf_kv *kv; size_t n; int dup; } dict;  /* dup: a key repeated */
		struct { uint32_t num; uint32_t gen; } ref;
		struct { struct pdf_obj *dict; size_t off, len; } stream;  /* raw data in the file */
	} u;
};

/* One cross-reference section (a classic table with its trailer, or an xref stream):
 * one revision of the file. */
struct pdf_xref_entry {
	uint32_t num;
	uint8_t type;                   /* 0 free, 1 at offset f2, 2 in object stream f2 index f3 */
	uint32_t gen;
	uint64_t f2;
	uint32_t f3;
};

struct pdf_section {
	size_t offset;                  /* where "xref" or the xref stream's "N G obj" starts */
	int is_stream;
	struct pdf_obj *trailer;        /* trailer dict (the xref stream's dict for streams) */
	struct pdf_xref_entry *e;       /* sorted by num, one entry per num */
	size_t n;
};

struct pdf_arena;
struct pdf_cache;
struct pdf_scan;

struct pdf_doc {
	const uint8_t *buf;
	size_t len;
	struct pdf_arena *arena;
	struct pdf_section *sec;        /* newest first, in /Prev-chain order */
	size_t nsec;
	int rebuilt;                    /* 1: xref unusable, objects found by scanning the file */
	int encrypted;
	size_t budget;                  /* bytes the arena may still take (decompression too) */
	struct pdf_cache *cache;
	struct pdf_scan *scan;          /* every "N G obj" in the file, built on demand */
	int depth;                      /* nesting of object loads (a /Length may be indirect) */
	int scanning;                   /* the scan is being built: no recursive scan */
};

/*
 * Open buf[0..len) (not copied: it must outlive the doc). Returns 0 on success (the
 * cross-reference was read, or rebuilt by scanning), -1 when nothing usable was found
 * or memory ran out. pdf_close() must be called in both cases.
 */
int pdf_open(struct pdf_doc *doc, const uint8_t *buf, size_t len);
void pdf_close(struct pdf_doc *doc);

/* Sections with offset < limit (SIZE_MAX: all of them) form the file "as of" limit. */
/* The newest trailer among those sections, or NULL. */
struct pdf_obj *pdf_trailer(struct pdf_doc *doc, size_t limit);
/* Object num as the file stood at limit; NULL when absent or free or unreadable. */
struct pdf_obj *pdf_get(struct pdf_doc *doc, uint32_t num, size_t limit);
/* Follow references (a bounded number of hops); returns NULL for a dangling one. */
struct pdf_obj *pdf_resolve(struct pdf_doc *doc, struct pdf_obj *o, size_t limit);
/* Where object num lives as of limit (file offset of "N G obj"), or PDF_NO_OFFSET
 * (absent, free, or inside an object stream). */
size_t pdf_obj_offset(struct pdf_doc *doc, uint32_t num, size_t limit);

/*
 * The object numbers named by sections with offset >= from (0: all), sorted, unique;
 * in a rebuilt file, every number the scan found at or after from. *out is malloc'd
 * (the caller frees it); returns the count, or (size_t)-1 when memory ran out.
 */
size_t pdf_objnums(struct pdf_doc *doc, size_t from, uint32_t **out);

/*
 * The raw bytes of object num as of limit, from "N G obj" to the next "endobj" or
 * "stream" keyword (a cheap look before a full parse; stream data is skipped). Returns 0, or -1 when the object is not a plain
 * object in the file (free, absent, or inside an object stream).
 */
int pdf_raw_extent(struct pdf_doc *doc, uint32_t num, size_t limit, size_t *start, size_t *end);

/* Dictionary helpers; a stream's dictionary is looked through. NULL if absent. */
struct pdf_obj *pdf_dict_get(const struct pdf_obj *dict, const char *key);
int pdf_is_name(const struct pdf_obj *o, const char *name);
/* Deep structural equality (references compared by number, streams by raw bytes). */
int pdf_equal(const struct pdf_doc *doc, const struct pdf_obj *a, const struct pdf_obj *b);

/*
 * Decode a stream's data (no filter, or FlateDecode with an optional PNG predictor).
 * The result lives in the arena. Returns 0, or -1 for an unsupported filter, corrupt
 * data or a size over the budget.
 */
int pdf_stream_decode(struct pdf_doc *doc, const struct pdf_obj *stream,
    const uint8_t **out, size_t *outlen);

/* Parse one object from text (for tests and for object streams). */
struct pdf_obj *pdf_parse_text(struct pdf_doc *doc, const uint8_t *s, size_t len);

#endif
