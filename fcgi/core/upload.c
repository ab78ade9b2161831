/*
 * Declared multipart uploads: FastCGI body -> multipart parser -> text checks, or
 * file type sniffing and the file store. The decisions live in multipart.c,
 * domain/filetype.c and filestore.c; this file routes parts to them and turns their
 * verdicts into problems.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "multipart.h"
#include "upload.h"
#include "domain/text.h"

#define READ_CHUNK (16 * 1024)
#define ALL_TYPES (UPLOAD_TYPE(FT_PDF) | UPLOAD_TYPE(FT_JPEG) | UPLOAD_TYPE(FT_PNG))

/* The first problem met; answered once the parser has stopped. */
struct problem {
	int status;                     /* 0: none */
	const char *code, *title;
	const char *field;              /* a spec name or NULL */
	char detail[320];
};

struct up_ctx {
	struct upload *u;
	const struct upload_spec *spec;
	size_t n;
	const struct upload_limits *lim;
	struct problem pb;
	/* the part being read */
	const struct upload_spec *cur;  /* NULL between parts */
	size_t cur_k;
	size_t text_start, text_cap;
	size_t text_bytes;              /* of all text values, their NULs not counted */
	struct upload_file *file;       /* UP_FILE: the entry being filled */
	int writing;                    /* w is open */
	int head_checked;
	int no_file;                    /* filename="": a file input left empty, if no data */
	char ctype[MP_CTYPE_MAX + 1];
	struct fs_writer w;
	struct ft_sniffer sniff;
};

static int problem(struct up_ctx *c, int status, const char *code, const char *title,
                   const char *field, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int problem(struct up_ctx *c, int status, const char *code, const char *title,
                   const char *field, const char *fmt, ...)
{
	va_list ap;

	if (c->pb.status == 0) {
		c->pb.status = status;
		c->pb.code = code;
		c->pb.title = title;
		c->pb.field = field;
		va_start(ap, fmt);
		vsnprintf(c->pb.detail, sizeof c->pb.detail, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int internal(struct up_ctx *c, const char *what, enum fs_error e)
{
	log_error("upload: %s: %s (%s)", what, fs_strerror(e), strerror(errno));
	return problem(c, 500, "internal", "Lỗi hệ thống, vui lòng thử lại sau", NULL,
	               "Internal error; it has been logged.");
}

void upload_limits_default(struct upload_limits *lim, const struct config *cfg)
{
	lim->max_body = UPLOAD_DEFAULT_MAX_BODY;
	lim->max_file = UPLOAD_DEFAULT_MAX_FILE;
	lim->root = cfg ? cfg->files_dir : NULL;
}

static int part_begin(void *ctx, const struct mp_part *part)
{
	struct up_ctx *c = ctx;
	struct upload *u = c->u;
	const struct upload_spec *s = NULL;
	uint64_t limit;
	enum fs_error e;
	size_t k;

	for (k = 0; k < c->n; k++)
		if (strlen(c->spec[k].name) == part->name_len &&
		    memcmp(c->spec[k].name, part->name, part->name_len) == 0) {
			s = &c->spec[k];
			break;
		}
	if (s == NULL) {
		if (part->name_len <= 64 && utf8_valid_text(part->name, part->name_len))
			return problem(c, 400, "unknown_field", "Trường dữ liệu không được hỗ trợ", NULL,
			               "Unknown field '%s'.", part->name);
		return problem(c, 400, "unknown_field", "Trường dữ liệu không được hỗ trợ", NULL,
		               "Unknown field.");
	}
	c->cur = s;
	c->cur_k = k;
	if (s->kind == UP_TEXT) {
		if (part->has_filename)
			return problem(c, 400, "invalid_field", "Dữ liệu không hợp lệ", s->name,
			               "Field '%s': must be text, not a file.", s->name);
		if (u->v[k].present)
			return problem(c, 400, "invalid_field", "Dữ liệu không hợp lệ", s->name,
			               "Field '%s': given more than once.", s->name);
		c->text_start = u->text_used;
		c->text_cap = s->type == PT_TEXT || s->type == PT_TOKEN ? s->max_len : UPLOAD_NONTEXT_MAX;
		return 0;
	}
	if (!part->has_filename)
		return problem(c, 400, "invalid_field", "Dữ liệu không hợp lệ", s->name,
		               "Field '%s': must be a file.", s->name);
	if ((unsigned long long)u->v[k].i >= (s->max_count ? s->max_count : 1))
		return problem(c, 400, "too_many_files", "Quá nhiều tệp đính kèm", s->name,
		               "Field '%s' takes at most %u file(s).", s->name, s->max_count ? s->max_count : 1);
	if (u->nfiles == UPLOAD_MAX_FILES)
		return problem(c, 400, "too_many_files", "Quá nhiều tệp đính kèm", s->name,
		               "A request takes at most %d files.", UPLOAD_MAX_FILES);
	c->file = &u->files[u->nfiles];
	memset(c->file, 0, sizeof *c->file);
	c->file->field = s->name;
	c->file->spec_index = k;
	filename_sanitise(part->filename, part->filename_len, c->file->name);
	c->no_file = part->filename_len == 0;
	memcpy(c->ctype, part->content_type, sizeof c->ctype);
	c->head_checked = 0;
	ft_sniff_init(&c->sniff);
	limit = s->max_size ? s->max_size : c->lim->max_file;
	if ((e = fs_writer_open(&c->w, c->lim->root, limit)) != FS_OK)
		return internal(c, "opening a temporary file", e);
	c->writing = 1;
	return 0;
}

static unsigned accepted_types(const struct upload_spec *s)
{
	return s->types ? s->types : ALL_TYPES;
}

static int refuse_type(struct up_ctx *c, enum filetype t, const char *why)
{
	const struct upload_spec *s = c->cur;

	if (t == FT_PDF || t == FT_JPEG || t == FT_PNG)
		return problem(c, 415, "file_type_not_accepted", "Loại tệp không được chấp nhận", s->name,
		               "Field '%s': %s files are not accepted here.", s->name, ft_name(t));
	return problem(c, 415, "file_type_not_accepted", "Loại tệp không được chấp nhận", s->name,
	               "Field '%s': %s.", s->name, why ? why : "the file is not a PDF, JPEG or PNG");
}

static int part_data(void *ctx, const char *data, size_t len)
{
	struct up_ctx *c = ctx;
	struct upload *u = c->u;
	const struct upload_spec *s = c->cur;
	enum fs_error e;

	if (s->kind == UP_TEXT) {
		size_t have = u->text_used - c->text_start;
		if (len > c->text_cap - have)
			return problem(c, 400, "invalid_field", "Dữ liệu không hợp lệ", s->name,
			               "Field '%s': too long.", s->name);
		if (len > UPLOAD_TEXT_MAX - c->text_bytes)
			return problem(c, 413, "text_too_large", "Dữ liệu gửi lên quá lớn", NULL,
			               "The text fields together are larger than %d bytes.", UPLOAD_TEXT_MAX);
		/* fits: at most UPLOAD_TEXT_MAX bytes of values and one NUL per spec entry */
		memcpy(u->text + u->text_used, data, len);
		u->text_used += len;
		c->text_bytes += len;
		return 0;
	}
	ft_sniff_feed(&c->sniff, data, len);
	if (!c->head_checked) {
		int decided;
		enum filetype t = ft_sniff_head(&c->sniff, &decided);
		/* refuse as soon as the head shows it: no need to store 20 MB of it first */
		if (decided) {
			c->head_checked = 1;
			if (t == FT_UNKNOWN || t == FT_EXECUTABLE || !(accepted_types(s) & UPLOAD_TYPE(t)))
				return refuse_type(c, t, t == FT_EXECUTABLE ? "the file is an executable program"
				                                            : "the file is not a PDF, JPEG or PNG");
		}
	}
	if ((e = fs_writer_write(&c->w, data, len)) == FS_ERR_LIMIT)
		return problem(c, 413, "file_too_large", "Tệp quá lớn", s->name,
		               "Field '%s': the file is larger than %llu bytes.", s->name,
		               (unsigned long long)c->w.limit);
	if (e != FS_OK)
		return internal(c, "writing a temporary file", e);
	return 0;
}

static int text_end(struct up_ctx *c)
{
	const struct upload_spec *s = c->cur;
	struct upload *u = c->u;
	struct upload_value *v = &u->v[c->cur_k];
	struct param_spec ps;
	const char *why;

	memset(&ps, 0, sizeof ps);
	ps.name = s->name;
	ps.type = s->type;
	ps.max_len = s->max_len;
	ps.min = s->min;
	ps.max = s->max;
	ps.choices = s->choices;
	ps.check = s->check;
	u->text[u->text_used] = '\0';           /* room kept: UPLOAD_MAX_FIELDS extra bytes */
	v->s = u->text + c->text_start;
	v->len = u->text_used - c->text_start;
	u->text_used++;
	if ((why = param_check_value(&ps, v->s, v->len, &v->i)) != NULL)
		return problem(c, 400, "invalid_field", "Dữ liệu không hợp lệ", s->name,
		               "Field '%s': %s.", s->name, why);
	v->present = 1;
	return 0;
}

static int file_end(struct up_ctx *c)
{
	const struct upload_spec *s = c->cur;
	struct upload_file *f = c->file;
	const char *why = NULL;
	enum filetype t;
	enum fs_error e;

	if (c->w.size == 0 && c->no_file) {
		fs_writer_abort(&c->w);         /* an empty <input type=file>: no file */
		c->writing = 0;
		return 0;
	}
	if (c->w.size == 0)
		return problem(c, 422, "empty_file", "Tệp rỗng", s->name,
		               "Field '%s': the file is empty.", s->name);
	t = ft_sniff_end(&c->sniff, &why);
	if (t == FT_UNKNOWN || t == FT_EXECUTABLE || !(accepted_types(s) & UPLOAD_TYPE(t)))
		return refuse_type(c, t, why);
	if ((why = ft_check_declared(t, f->name, strlen(f->name), c->ctype)) != NULL)
		return problem(c, 415, "file_type_mismatch", "Tên hoặc loại tệp không khớp với nội dung tệp",
		               s->name, "Field '%s': %s.", s->name, why);
	c->writing = 0;
	if ((e = fs_writer_finish(&c->w, &f->staged)) != FS_OK)
		return internal(c, "staging a file", e);
	f->type = t;
	f->size = f->staged.size;
	memcpy(f->sha256, f->staged.hex, sizeof f->sha256);
	c->u->nfiles++;
	c->u->v[c->cur_k].present = 1;
	c->u->v[c->cur_k].i++;
	return 0;
}

static int part_end(void *ctx)
{
	struct up_ctx *c = ctx;
	int rc = c->cur->kind == UP_TEXT ? text_end(c) : file_end(c);

	c->cur = NULL;
	c->file = NULL;
	return rc;
}

static const struct mp_callbacks callbacks = { part_begin, part_data, part_end };

/* The parser's verdict as a problem (the callbacks' own problems come first). */
static void parser_problem(struct up_ctx *c, enum mp_error e)
{
	switch (e) {
	case MP_OK:
	case MP_ERR_CALLBACK:
		break;
	case MP_ERR_NOT_MULTIPART:
		problem(c, 415, "unsupported_media_type", "Định dạng dữ liệu không được hỗ trợ", NULL,
		        "Send the body as multipart/form-data.");
		break;
	case MP_ERR_TRUNCATED:
		problem(c, 400, "truncated_body", "Dữ liệu gửi lên không đầy đủ", NULL, "%s", mp_strerror(e));
		break;
	default:
		problem(c, 400, "malformed_multipart", "Dữ liệu gửi lên không đúng định dạng", NULL,
		        "%s", mp_strerror(e));
		break;
	}
}

/* Every temporary file of this request goes: the open one and the staged ones. */
static void discard_files(struct up_ctx *c)
{
	if (c->writing) {
		fs_writer_abort(&c->w);
		c->writing = 0;
	}
	upload_abort_files(c->u);
}

/* Reads what is left of the body, at most max bytes, so that nginx can send it all. */
static void drain(struct http_req *r, uint64_t max)
{
	char buf[READ_CHUNK];

	while (max > 0) {
		int want = max < sizeof buf ? (int)max : (int)sizeof buf;
		int got = FCGX_GetStr(buf, want, r->fx->in);
		if (got <= 0)
			return;
		max -= (uint64_t)got;
	}
}

/*
 * Content-Length: 0 with *len set (*known 0 if absent), or -1 after answering. Over
 * the limit is answered at once, without reading: nginx's client_max_body_size stops
 * such bodies first when it agrees with max.
 */
static int body_length(struct http_req *r, uint64_t max, uint64_t *len, int *known)
{
	const char *cl = http_header(r, "CONTENT_LENGTH");
	unsigned long long n;
	char *end;

	*len = 0;
	*known = 0;
	if (cl == NULL || *cl == '\0')
		return 0;
	errno = 0;
	n = strtoull(cl, &end, 10);
	if (errno || *end || *cl < '0' || *cl > '9') {
		http_problem(r, 400, "bad_request", "Yêu cầu không hợp lệ",
		             "Content-Length is not a number.", NULL);
		return -1;
	}
	if (n > max) {
		char detail[128];
		snprintf(detail, sizeof detail, "The body is larger than %llu bytes.", (unsigned long long)max);
		http_problem(r, 413, "body_too_large", "Dữ liệu gửi lên quá lớn", detail, NULL);
		return -1;
	}
	*len = n;
	*known = 1;
	return 0;
}

/* Reads the body into the parser. 0, or -1 with the problem in c. *read: bytes read. */
static int feed_body(struct http_req *r, struct up_ctx *c, struct mp_parser *mp,
                     uint64_t len, int known, uint64_t *read)
{
	char buf[READ_CHUNK];
	uint64_t max = c->lim->max_body;
	enum mp_error e = MP_OK;

	*read = 0;
	for (;;) {
		/* without a Content-Length, one byte past the limit tells it was passed */
		uint64_t left = known ? len - *read : max + 1 - *read;
		int want = left < sizeof buf ? (int)left : (int)sizeof buf;
		int got = want ? FCGX_GetStr(buf, want, r->fx->in) : 0;

		if (got < 0)
			got = 0;
		*read += (uint64_t)got;
		if (!known && *read > max)
			return problem(c, 413, "body_too_large", "Dữ liệu gửi lên quá lớn", NULL,
			               "The body is larger than %llu bytes.", (unsigned long long)max);
		if (got > 0 && (e = mp_feed(mp, buf, (size_t)got)) != MP_OK)
			break;
		if (got < want) {
			if (known)
				return problem(c, 400, "truncated_body", "Dữ liệu gửi lên không đầy đủ", NULL,
				               "The body is shorter than its Content-Length.");
			break;
		}
		if (known && *read == len)
			break;
	}
	if (e == MP_OK)
		e = mp_finish(mp);
	if (e != MP_OK) {
		parser_problem(c, e);
		return -1;
	}
	return 0;
}

static int check_required(struct up_ctx *c)
{
	for (size_t k = 0; k < c->n; k++)
		if (c->spec[k].required && !c->u->v[k].present)
			return problem(c, 422, "missing_part", "Thiếu trường dữ liệu hoặc tệp bắt buộc",
			               c->spec[k].name, "%s '%s' is required.",
			               c->spec[k].kind == UP_FILE ? "File" : "Field", c->spec[k].name);
	return 0;
}

int upload_parse(struct http_req *r, const struct upload_limits *lim,
                 const struct upload_spec *spec, size_t n, struct upload **out)
{
	struct mp_parser *mp = NULL;
	struct up_ctx *c = NULL;
	uint64_t len = 0, read = 0;
	int known = 0, rc = -1;

	*out = NULL;
	if (n > UPLOAD_MAX_FIELDS || lim == NULL || lim->root == NULL) {
		http_internal_error(r, "upload: bad spec or limits");
		return -1;
	}
	if (body_length(r, lim->max_body, &len, &known) != 0)
		return -1;
	/* the parser and the context are some 20 KB: not on a worker thread's stack */
	if ((mp = malloc(sizeof *mp)) == NULL || (c = calloc(1, sizeof *c)) == NULL ||
	    (c->u = calloc(1, sizeof *c->u)) == NULL) {
		http_internal_error(r, "upload: out of memory");
		goto out;
	}
	c->spec = spec;
	c->n = n;
	c->lim = lim;
	c->u->root = lim->root;
	if (mp_init(mp, http_header(r, "CONTENT_TYPE"), &callbacks, c, UPLOAD_MAX_PARTS) != MP_OK)
		parser_problem(c, mp->err);
	else if (feed_body(r, c, mp, len, known, &read) == 0)
		check_required(c);
	if (c->pb.status == 0) {
		*out = c->u;
		c->u = NULL;
		rc = 0;
		goto out;
	}
	discard_files(c);
	if (c->pb.status == 500)
		http_internal_error(r, "upload");       /* already logged with its cause */
	else
		http_problem(r, c->pb.status, c->pb.code, c->pb.title, c->pb.detail, c->pb.field);
	drain(r, known ? len - read : lim->max_body > read ? lim->max_body - read : 0);
out:
	if (c) {
		upload_free(c->u);
		free(c);
	}
	free(mp);
	return rc;
}

int upload_commit_files(struct upload *u)
{
	int rc = 0;

	for (size_t i = 0; i < u->nfiles; i++) {
		struct upload_file *f = &u->files[i];
		enum fs_error e;
		if (f->settled)
			continue;
		if ((e = filestore_commit(u->root, &f->staged)) != FS_OK) {
			log_error("upload: storing %s failed: %s (%s); the sweep will retry",
			          f->sha256, fs_strerror(e), strerror(errno));
			rc = -1;
		}
		f->settled = 1;         /* either stored, or left to the sweep: never aborted now */
	}
	return rc;
}

void upload_abort_files(struct upload *u)
{
	for (size_t i = 0; i < u->nfiles; i++) {
		struct upload_file *f = &u->files[i];
		if (f->settled)
			continue;
		if (filestore_abort(&f->staged) != FS_OK)
			log_warn("upload: could not delete %s: %s", f->staged.path, strerror(errno));
		f->settled = 1;
	}
}

void upload_free(struct upload *u)
{
	if (u == NULL)
		return;
	upload_abort_files(u);
	free(u);
}
