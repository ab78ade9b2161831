/*
 * multipart/form-data (RFC 7578 over RFC 2046) as a push parser: feed it the body in
 * chunks of any size, as they come from FCGX_GetStr, and it calls back on each part's
 * headers, on each run of the part's data, and on the part's end. It never holds the
 * body: its memory is this struct (one header line, the part's names) whatever the body
 * size, and it allocates nothing.
 *
 * Strict by choice, because the body comes from the network:
 *  - the boundary comes from the request's Content-Type (quoted or not), 1..70 characters
 *    of RFC 2046 bchars, not ending in a space;
 *  - header lines end in CRLF; a bare CR or LF, NUL, another control character, a folded
 *    line, a line over MP_HEADER_LINE_MAX bytes or more than MP_MAX_HEADERS lines in a
 *    part are refused (CR/LF injection, header smuggling);
 *  - every part needs "Content-Disposition: form-data; name=..."; name and filename
 *    may be quoted (a backslash escapes only '"' and '\', as browsers never escape
 *    anything else and old Windows clients send "C:\dir\file" unescaped); a parameter
 *    given twice is refused; filename* (RFC 5987) is ignored, as RFC 7578 section 4.2
 *    tells senders not to use it; no percent-decoding (browsers write '"' as %22 and
 *    leave the rest: a name with %22 in it keeps it);
 *  - Content-Transfer-Encoding other than 7bit, 8bit or binary is refused (RFC 7578
 *    section 4.7 deprecates it, and a base64 part stored as is would be wrong);
 *  - the full delimiter ("CRLF--boundary") inside a part's data must be followed by
 *    "--" or by optional blanks and CRLF: anything else is refused, since RFC 2046
 *    forbids the boundary inside the content and a parser that guessed would disagree
 *    with others. A line that only looks like the boundary (a prefix, another
 *    boundary) is data;
 *  - a preamble (text before the first boundary) is allowed and ignored, as RFC 2046
 *    says; an epilogue (anything after the closing "--boundary--" but blanks and one
 *    CRLF) is refused as trailing garbage: no browser sends one, and bytes the handler
 *    never sees are where smuggling hides;
 *  - at the end, mp_finish refuses a body without its closing boundary (truncated).
 * Errors are sticky: after one, every call returns it again and no callback runs.
 */
#ifndef MOTCUA_CORE_MULTIPART_H
#define MOTCUA_CORE_MULTIPART_H

#include <stddef.h>

#define MP_BOUNDARY_MAX     70          /* RFC 2046 section 5.1.1 */
#define MP_HEADER_LINE_MAX  8192        /* one part header line, without its CRLF */
#define MP_MAX_HEADERS      16          /* header lines in one part */
#define MP_NAME_MAX         255         /* name="..." after unquoting, bytes */
#define MP_FILENAME_MAX     1023        /* filename="..." after unquoting, bytes */
#define MP_CTYPE_MAX        127         /* the part's media type, bytes */
#define MP_PAD_MAX          64          /* blanks allowed after a boundary */
#define MP_DEFAULT_MAX_PARTS 64

enum mp_error {
	MP_OK = 0,
	MP_ERR_NOT_MULTIPART,       /* request Content-Type is not multipart/form-data */
	MP_ERR_NO_BOUNDARY,         /* ... or has no boundary parameter */
	MP_ERR_BAD_BOUNDARY,        /* ... or a boundary that is empty, too long or has bad characters */
	MP_ERR_BAD_DELIMITER,       /* the boundary followed by something other than "--" or CRLF */
	MP_ERR_HEADER_TOO_LONG,
	MP_ERR_TOO_MANY_HEADERS,
	MP_ERR_BAD_HEADER,          /* bare CR or LF, NUL, control character, folding, no colon */
	MP_ERR_DUPLICATE_HEADER,    /* Content-Disposition, Content-Type or CTE twice in a part */
	MP_ERR_NO_DISPOSITION,      /* a part without Content-Disposition */
	MP_ERR_BAD_DISPOSITION,     /* not form-data, no name, bad quoting, parameter twice */
	MP_ERR_PARAM_TOO_LONG,      /* name, filename or content type over its limit */
	MP_ERR_BAD_CONTENT_TYPE,    /* a part's Content-Type that is not type/subtype */
	MP_ERR_ENCODING,            /* Content-Transfer-Encoding other than 7bit/8bit/binary */
	MP_ERR_TOO_MANY_PARTS,
	MP_ERR_TRUNCATED,           /* the body ended before the closing boundary */
	MP_ERR_TRAILING,            /* bytes after the closing boundary */
	MP_ERR_CALLBACK,            /* a callback refused; it knows why */
	MP_ERR_USAGE,               /* NULL argument, or fed after mp_finish */
	MP_ERR__MAX
};

/* One part's headers, as handed to part_begin. Strings are NUL-terminated and hold no
 * NUL, CR or LF; they are raw bytes from the client (UTF-8 not checked here). */
struct mp_part {
	unsigned index;                         /* 0 for the first part */
	char name[MP_NAME_MAX + 1];
	size_t name_len;
	int has_filename;                       /* filename= given (browsers send "" for no file) */
	char filename[MP_FILENAME_MAX + 1];
	size_t filename_len;
	char content_type[MP_CTYPE_MAX + 1];    /* "type/subtype" lowered, no parameters; "" if none */
};

/* Each returns 0 to go on, anything else to stop the parser with MP_ERR_CALLBACK.
 * part_data gets the data in runs of any length (>= 1); runs may come from the
 * parser's own copy of the delimiter when a near-match is resolved as data. */
struct mp_callbacks {
	int (*part_begin)(void *ctx, const struct mp_part *part);
	int (*part_data)(void *ctx, const char *data, size_t len);
	int (*part_end)(void *ctx);
};

struct mp_parser {
	const struct mp_callbacks *cb;
	void *ctx;
	char delim[4 + MP_BOUNDARY_MAX];        /* "\r\n--" boundary */
	size_t dlen;
	unsigned max_parts, nparts, nheaders;
	int state;
	int in_part;                            /* a part's headers were handed out */
	size_t match;                           /* bytes of delim matched so far */
	size_t pad;                             /* blanks seen after a boundary */
	unsigned seen;                          /* headers seen in this part (bits) */
	enum mp_error err;
	struct mp_part part;
	size_t line_len;
	char line[MP_HEADER_LINE_MAX];
};

/*
 * Extracts the boundary from a request Content-Type ("multipart/form-data;
 * boundary=..."). out needs MP_BOUNDARY_MAX + 1 bytes; it is "" unless MP_OK.
 * Returns MP_OK, MP_ERR_NOT_MULTIPART, MP_ERR_NO_BOUNDARY or MP_ERR_BAD_BOUNDARY
 * (also for any malformed parameter).
 */
enum mp_error mp_boundary(const char *content_type, char out[MP_BOUNDARY_MAX + 1]);

/*
 * Prepares p for one body. max_parts: 0 means MP_DEFAULT_MAX_PARTS. cb and ctx are
 * lent and must outlive the parser. Returns MP_OK or the error of mp_boundary (which
 * mp_feed will then keep returning).
 */
enum mp_error mp_init(struct mp_parser *p, const char *content_type,
                      const struct mp_callbacks *cb, void *ctx, unsigned max_parts);

/* Feeds the next len bytes of the body (len may be 0). Returns MP_OK or the error. */
enum mp_error mp_feed(struct mp_parser *p, const char *buf, size_t len);

/* The body has ended: MP_OK if it was complete (closing boundary seen, nothing after
 * it but blanks and one CRLF), else the error. */
enum mp_error mp_finish(struct mp_parser *p);

/* An English sentence for e; never NULL. */
const char *mp_strerror(enum mp_error e);

#endif
