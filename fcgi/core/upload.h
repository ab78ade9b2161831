/*
 * Declared multipart/form-data uploads. An endpoint lists the parts its form may have,
 * text fields and files, in a table (like jin_spec and param_spec); upload_parse reads
 * the body from FastCGI in chunks, never whole, through the multipart parser, checks
 * every text field like a query parameter (params.h), and streams every file through
 * the type sniffer and into the file store (a temporary file, hashed on the way).
 *
 * Problems are answered with problem+json and the handler never runs:
 *   413 body_too_large, file_too_large, text_too_large
 *   415 unsupported_media_type (not multipart/form-data), file_type_not_accepted,
 *       file_type_mismatch (the name or the declared type says otherwise)
 *   400 malformed_multipart, truncated_body, unknown_field, invalid_field, too_many_files
 *   422 missing_part (a required field or file is absent), empty_file
 * and every temporary file made so far is deleted. The body is then read to its end
 * (up to max_body), because answering before nginx has sent it all makes nginx 1.22
 * answer 502 instead ("writev() failed (32: Broken pipe) while sending request").
 *
 * On success the files are staged, not stored. The caller writes its rows in one
 * transaction and then calls upload_commit_files (after COMMIT succeeded) or
 * upload_abort_files (after ROLLBACK or any failure), then upload_free; upload_free
 * aborts whatever is still staged, so an early return cannot leave a temporary file.
 *
 * nginx must let the same bytes through: client_max_body_size must equal max_body
 * (100m for the default, 100 * 1024 * 1024 bytes, on the upload locations only; the
 * rest of /api/ keeps 1m), or nginx answers 413 with its own HTML page first.
 */
#ifndef MOTCUA_CORE_UPLOAD_H
#define MOTCUA_CORE_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "filestore.h"
#include "params.h"
#include "domain/filetype.h"

struct http_req;
struct config;

#define UPLOAD_DEFAULT_MAX_BODY (100ull * 1024 * 1024)  /* = nginx "client_max_body_size 100m" */
#define UPLOAD_DEFAULT_MAX_FILE (20ull * 1024 * 1024)
#define UPLOAD_TEXT_MAX         (64 * 1024)     /* all text fields together, bytes */
#define UPLOAD_MAX_FIELDS       48              /* entries in a spec */
#define UPLOAD_MAX_FILES        32              /* files in one request */
#define UPLOAD_MAX_PARTS        64              /* parts in one body, empty file inputs included */
#define UPLOAD_NONTEXT_MAX      256             /* bytes of a PT_INT or PT_ENUM field */

enum upload_kind {
	UP_TEXT = 0,
	UP_FILE,
	UP__MAX
};

struct upload_spec {
	const char *name;
	enum upload_kind kind;
	int required;
	/* UP_TEXT: checked as param_check_value checks a query parameter */
	enum param_type type;
	size_t max_len;                         /* PT_TEXT, PT_TOKEN: bytes */
	long long min, max;                     /* PT_INT */
	const char *const *choices;             /* PT_ENUM: NULL-terminated */
	const char *(*check)(const char *s, size_t len);
	/* UP_FILE */
	unsigned types;                         /* bits 1u << FT_PDF ...; 0: PDF, JPEG and PNG */
	unsigned max_count;                     /* files under this name; 0 means 1 */
	uint64_t max_size;                      /* bytes per file; 0: the limits' max_file */
};

#define UPLOAD_TYPE(t) (1u << (t))

struct upload_limits {
	uint64_t max_body;                      /* the whole body, bytes */
	uint64_t max_file;                      /* one file, bytes, unless its spec says less */
	const char *root;                       /* the file store (lent) */
};

/* Defaults, with the file store of cfg (MOTCUA_FILES_DIR). */
void upload_limits_default(struct upload_limits *lim, const struct config *cfg);

struct upload_value {
	int present;
	const char *s;                          /* UP_TEXT: NUL-terminated, in the upload */
	size_t len;
	long long i;                            /* PT_INT value, PT_ENUM index; UP_FILE: count */
};

struct upload_file {
	const char *field;                      /* the spec's name */
	size_t spec_index;
	char name[FILENAME_SAFE_MAX + 1];       /* sanitised */
	enum filetype type;
	uint64_t size;
	char sha256[FS_HEX_LEN + 1];
	struct fs_staged staged;                /* .path: the temporary file until committed */
	int settled;                            /* committed or aborted */
};

struct upload {
	struct upload_value v[UPLOAD_MAX_FIELDS];       /* v[k] answers spec[k] */
	struct upload_file files[UPLOAD_MAX_FILES];     /* in the order they came */
	size_t nfiles;
	const char *root;
	size_t text_used;
	char text[UPLOAD_TEXT_MAX + UPLOAD_MAX_FIELDS]; /* the text values and their NULs */
};

/*
 * Reads and checks the body. Returns 0 with *out set (owned: upload_free), or -1 after
 * answering with a problem (then *out is NULL and no temporary file remains).
 */
int upload_parse(struct http_req *r, const struct upload_limits *lim,
                 const struct upload_spec *spec, size_t n, struct upload **out);

/*
 * After the caller's COMMIT: moves every staged file into the store. Returns 0, or -1
 * if one could not be moved (logged; it stays staged and filestore_sweep commits it,
 * since the database refers to it).
 */
int upload_commit_files(struct upload *u);

/* After a ROLLBACK, or instead of using the upload: deletes every staged file. */
void upload_abort_files(struct upload *u);

/* Aborts what is still staged and frees u. NULL is fine. */
void upload_free(struct upload *u);

#endif
