/*
 * multipart/form-data push parser: see multipart.h for what it accepts and why.
 *
 * The delimiter is "\r\n--" boundary. Data is scanned for it with a count of the
 * delimiter bytes matched so far; the bytes held back while a match is pending are, by
 * definition, the delimiter's own first bytes, so when the match fails they are handed
 * out from p->delim and nothing of the body is ever copied. Because a boundary cannot
 * contain CR, the delimiter's only CR is its first byte, and a failed match restarts at
 * the byte that failed (no KMP table needed). The body's start counts as if a CRLF
 * came before it, so a first boundary on the first line is found.
 */
#include <string.h>

#include "multipart.h"

enum mp_state {
	S_PREAMBLE = 0,     /* before the first delimiter: scanned, discarded */
	S_AFTER_DELIM,      /* just after a full delimiter: "--" or blanks CRLF follow */
	S_PADDING,          /* blanks after the boundary */
	S_DELIM_CR,         /* CR after the boundary: LF must follow */
	S_CLOSE_DASH,       /* one '-' after the boundary: another must follow */
	S_HEADER,           /* in a part's header line */
	S_HEADER_CR,        /* CR ending a header line: LF must follow */
	S_DATA,             /* a part's content */
	S_CLOSED,           /* after "--boundary--": blanks, then CRLF or the end */
	S_CLOSED_CR,
	S_END,              /* after the final CRLF: nothing more may come */
	S_FINISHED          /* mp_finish said yes */
};

/* Headers seen in the current part, and parameters seen in its disposition. */
#define SEEN_DISPOSITION    0x01u
#define SEEN_CTYPE          0x02u
#define SEEN_CTE            0x04u
#define PARAM_NAME          0x01u
#define PARAM_FILENAME      0x02u
#define PARAM_FILENAME_STAR 0x04u

static const char *const messages[MP_ERR__MAX] = {
	[MP_OK] = "No error.",
	[MP_ERR_NOT_MULTIPART] = "The Content-Type is not multipart/form-data.",
	[MP_ERR_NO_BOUNDARY] = "The Content-Type has no boundary parameter.",
	[MP_ERR_BAD_BOUNDARY] = "The boundary is empty, longer than 70 characters, or has characters RFC 2046 does not allow.",
	[MP_ERR_BAD_DELIMITER] = "A boundary line has something other than '--' or a line break after the boundary.",
	[MP_ERR_HEADER_TOO_LONG] = "A part header line is longer than 8192 bytes.",
	[MP_ERR_TOO_MANY_HEADERS] = "A part has too many header lines.",
	[MP_ERR_BAD_HEADER] = "A part header line is malformed (bare CR or LF, NUL, control character, folding or no colon).",
	[MP_ERR_DUPLICATE_HEADER] = "A part repeats its Content-Disposition, Content-Type or Content-Transfer-Encoding header.",
	[MP_ERR_NO_DISPOSITION] = "A part has no Content-Disposition header.",
	[MP_ERR_BAD_DISPOSITION] = "A part's Content-Disposition is not form-data with a name, or is malformed.",
	[MP_ERR_PARAM_TOO_LONG] = "A part's name, file name or content type is too long.",
	[MP_ERR_BAD_CONTENT_TYPE] = "A part's Content-Type is malformed.",
	[MP_ERR_ENCODING] = "A part uses a Content-Transfer-Encoding other than 7bit, 8bit or binary.",
	[MP_ERR_TOO_MANY_PARTS] = "The body has too many parts.",
	[MP_ERR_TRUNCATED] = "The body ended before the closing boundary.",
	[MP_ERR_TRAILING] = "The body has data after the closing boundary.",
	[MP_ERR_CALLBACK] = "The receiver refused a part.",
	[MP_ERR_USAGE] = "The parser was used wrongly.",
};

const char *mp_strerror(enum mp_error e)
{
	if ((unsigned)e >= MP_ERR__MAX)
		return "Unknown multipart error.";
	return messages[e];
}

static enum mp_error fail(struct mp_parser *p, enum mp_error e)
{
	if (p->err == MP_OK)
		p->err = e;
	return p->err;
}

/* RFC 9110 tchar */
static int is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 2046 bchars, space excepted (checked apart: allowed, but not last) */
static int is_bchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != 0 && strchr("'()+_,-./:=?", c) != NULL);
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int ci_equal(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	if (len != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != (unsigned char)lit[i])
			return 0;
	return 1;
}

static void skip_ows(const char **pp, const char *end)
{
	while (*pp < end && (**pp == ' ' || **pp == '\t'))
		(*pp)++;
}

static size_t token_len(const char *s, const char *end)
{
	size_t n = 0;

	while (s + n < end && is_tchar((unsigned char)s[n]))
		n++;
	return n;
}

/*
 * "type/subtype" at *pp, lowered into out (outsz bytes with the NUL). Returns 0, -1 on
 * bad syntax, -2 if it does not fit.
 */
static int media_type(const char **pp, const char *end, char *out, size_t outsz)
{
	const char *s = *pp;
	size_t t = token_len(s, end), st, n;

	if (t == 0 || s + t >= end || s[t] != '/')
		return -1;
	st = token_len(s + t + 1, end);
	if (st == 0)
		return -1;
	n = t + 1 + st;
	if (n >= outsz)
		return -2;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)lower((unsigned char)s[i]);
	out[n] = '\0';
	*pp = s + n;
	return 0;
}

/*
 * The next parameter's name: OWS ";" OWS token "=". Lowered into name (namesz with the
 * NUL). Returns 1 with *pp on the value, 0 at the end of the header value (a trailing
 * ";" is tolerated), -1 on bad syntax or a name longer than namesz - 1.
 */
static int param_name(const char **pp, const char *end, char *name, size_t namesz)
{
	const char *s = *pp;
	size_t n;

	skip_ows(&s, end);
	if (s == end)
		return 0;
	if (*s != ';')
		return -1;
	s++;
	skip_ows(&s, end);
	if (s == end)
		return 0;
	n = token_len(s, end);
	if (n == 0 || n >= namesz || s + n >= end || s[n] != '=')
		return -1;
	for (size_t i = 0; i < n; i++)
		name[i] = (char)lower((unsigned char)s[i]);
	name[n] = '\0';
	*pp = s + n + 1;
	return 1;
}

/*
 * A parameter value at *pp: a token (bytes >= 0x80 allowed, for unquoted UTF-8 names)
 * or a quoted string, where a backslash escapes '"' and '\' and is literal before
 * anything else. Unquoted into out (outsz with the NUL; out NULL to skip). Returns 0,
 * -1 on bad syntax (empty token, unterminated quote), -2 if it does not fit.
 */
static int param_value(const char **pp, const char *end, char *out, size_t outsz, size_t *outlen)
{
	const char *s = *pp;
	size_t n = 0;

	if (s < end && *s == '"') {
		for (s++;; s++) {
			unsigned char c;
			if (s == end)
				return -1;
			c = (unsigned char)*s;
			if (c == '"')
				break;
			if (c == '\\' && s + 1 < end && (s[1] == '"' || s[1] == '\\'))
				c = (unsigned char)*++s;
			if (out) {
				if (n + 1 >= outsz)
					return -2;
				out[n] = (char)c;
			}
			n++;
		}
		s++;
	} else {
		for (; s < end && (is_tchar((unsigned char)*s) || (unsigned char)*s >= 0x80); s++) {
			if (out) {
				if (n + 1 >= outsz)
					return -2;
				out[n] = *s;
			}
			n++;
		}
		if (n == 0)
			return -1;
	}
	if (out)
		out[n] = '\0';
	if (outlen)
		*outlen = n;
	*pp = s;
	return 0;
}

/* Skips the remaining parameters of a header value, checking their syntax. */
static int skip_params(const char **pp, const char *end)
{
	char name[64];
	int rc;

	while ((rc = param_name(pp, end, name, sizeof name)) == 1)
		if (param_value(pp, end, NULL, 0, NULL) != 0)
			return -1;
	return rc;
}

/* 1 if s[0..len) holds only what a header may: no NUL, no control but HTAB, no DEL. */
static int header_bytes_ok(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}

enum mp_error mp_boundary(const char *content_type, char out[MP_BOUNDARY_MAX + 1])
{
	const char *s = content_type, *end;
	char type[32], name[64];
	int found = 0, rc;
	size_t n = 0;

	out[0] = '\0';
	if (s == NULL)
		return MP_ERR_NOT_MULTIPART;
	end = s + strlen(s);
	skip_ows(&s, end);
	if (media_type(&s, end, type, sizeof type) != 0 || strcmp(type, "multipart/form-data") != 0)
		return MP_ERR_NOT_MULTIPART;
	if (!header_bytes_ok(s, (size_t)(end - s)))
		return MP_ERR_BAD_BOUNDARY;
	while ((rc = param_name(&s, end, name, sizeof name)) == 1) {
		if (strcmp(name, "boundary") != 0) {
			if (param_value(&s, end, NULL, 0, NULL) != 0)
				goto bad;
			continue;
		}
		if (found || param_value(&s, end, out, MP_BOUNDARY_MAX + 1, &n) != 0)
			goto bad;
		found = 1;
	}
	if (rc < 0 && found)
		goto bad;
	if (rc < 0 || !found) {
		out[0] = '\0';
		return MP_ERR_NO_BOUNDARY;
	}
	if (n == 0 || out[n - 1] == ' ')
		goto bad;
	for (size_t i = 0; i < n; i++)
		if (out[i] != ' ' && !is_bchar((unsigned char)out[i]))
			goto bad;
	return MP_OK;
bad:
	out[0] = '\0';
	return MP_ERR_BAD_BOUNDARY;
}

enum mp_error mp_init(struct mp_parser *p, const char *content_type,
                      const struct mp_callbacks *cb, void *ctx, unsigned max_parts)
{
	char boundary[MP_BOUNDARY_MAX + 1];
	enum mp_error e;
	size_t n;

	if (p == NULL)
		return MP_ERR_USAGE;
	memset(p, 0, sizeof *p);
	p->cb = cb;
	p->ctx = ctx;
	p->max_parts = max_parts ? max_parts : MP_DEFAULT_MAX_PARTS;
	if (cb == NULL)
		return fail(p, MP_ERR_USAGE);
	if ((e = mp_boundary(content_type, boundary)) != MP_OK)
		return fail(p, e);
	n = strlen(boundary);
	memcpy(p->delim, "\r\n--", 4);
	memcpy(p->delim + 4, boundary, n);
	p->dlen = 4 + n;
	p->state = S_PREAMBLE;
	p->match = 2;           /* the body's start stands for a CRLF */
	return MP_OK;
}

static int emit_data(struct mp_parser *p, const char *data, size_t len)
{
	if (len == 0 || p->cb->part_data == NULL)
		return 0;
	if (p->cb->part_data(p->ctx, data, len) != 0) {
		fail(p, MP_ERR_CALLBACK);
		return -1;
	}
	return 0;
}

/*
 * S_PREAMBLE and S_DATA: looks for the delimiter in buf[*pi..len). Data (only in
 * S_DATA) goes out in runs: bytes of this chunk straight from buf, and bytes held from
 * an earlier chunk as a pending match from p->delim when the match fails.
 */
static void scan(struct mp_parser *p, const char *buf, size_t len, size_t *pi)
{
	int data = p->state == S_DATA;
	size_t i = *pi, run = i;
	size_t carried = p->match;      /* held bytes that came in earlier chunks */

	while (i < len) {
		if (p->match == 0) {
			const char *cr = memchr(buf + i, '\r', len - i);
			if (cr == NULL) {
				i = len;
				break;
			}
			i = (size_t)(cr - buf) + 1;
			p->match = 1;
			continue;
		}
		if (buf[i] == p->delim[p->match]) {
			i++;
			if (++p->match < p->dlen)
				continue;
			/* the whole delimiter: the data ended where it began */
			if (data && emit_data(p, buf + run, i - (p->dlen - carried) - run) != 0)
				return;
			p->match = 0;
			p->pad = 0;
			p->state = S_AFTER_DELIM;
			*pi = i;
			return;
		}
		/* no delimiter: the held bytes were data; buf[i] is looked at afresh */
		if (carried) {
			if (data && emit_data(p, p->delim, carried) != 0)
				return;
			carried = 0;
		}
		p->match = 0;
	}
	if (data && emit_data(p, buf + run, len - (p->match - carried) - run) != 0)
		return;
	*pi = len;
}

static enum mp_error parse_disposition(struct mp_parser *p, const char *s, const char *end)
{
	struct mp_part *part = &p->part;
	unsigned seen = 0;
	size_t n = token_len(s, end);
	char name[32];
	int rc;

	if (!ci_equal(s, n, "form-data"))
		return fail(p, MP_ERR_BAD_DISPOSITION);
	s += n;
	while ((rc = param_name(&s, end, name, sizeof name)) == 1) {
		unsigned bit = 0;
		char *out = NULL;
		size_t outsz = 0, *outlen = NULL;

		if (strcmp(name, "name") == 0) {
			bit = PARAM_NAME;
			out = part->name;
			outsz = sizeof part->name;
			outlen = &part->name_len;
		} else if (strcmp(name, "filename") == 0) {
			bit = PARAM_FILENAME;
			out = part->filename;
			outsz = sizeof part->filename;
			outlen = &part->filename_len;
		} else if (strcmp(name, "filename*") == 0) {
			bit = PARAM_FILENAME_STAR;      /* not used; only not twice */
		}
		if (seen & bit)
			return fail(p, MP_ERR_BAD_DISPOSITION);
		seen |= bit;
		rc = param_value(&s, end, out, outsz, outlen);
		if (rc == -2)
			return fail(p, MP_ERR_PARAM_TOO_LONG);
		if (rc != 0)
			return fail(p, MP_ERR_BAD_DISPOSITION);
	}
	if (rc < 0 || !(seen & PARAM_NAME))
		return fail(p, MP_ERR_BAD_DISPOSITION);
	part->has_filename = (seen & PARAM_FILENAME) != 0;
	return MP_OK;
}

static enum mp_error parse_part_type(struct mp_parser *p, const char *s, const char *end)
{
	int rc = media_type(&s, end, p->part.content_type, sizeof p->part.content_type);

	if (rc == -2)
		return fail(p, MP_ERR_PARAM_TOO_LONG);
	if (rc != 0 || skip_params(&s, end) != 0) {
		p->part.content_type[0] = '\0';
		return fail(p, MP_ERR_BAD_CONTENT_TYPE);
	}
	return MP_OK;
}

static enum mp_error parse_encoding(struct mp_parser *p, const char *s, const char *end)
{
	size_t n = token_len(s, end);

	if (s + n != end ||
	    !(ci_equal(s, n, "7bit") || ci_equal(s, n, "8bit") || ci_equal(s, n, "binary")))
		return fail(p, MP_ERR_ENCODING);
	return MP_OK;
}

/* One complete header line of a part, in p->line[0..line_len), bytes already checked. */
static enum mp_error header_line(struct mp_parser *p)
{
	const char *s = p->line, *end = p->line + p->line_len;
	const char *colon = memchr(s, ':', p->line_len);
	size_t nlen;
	unsigned bit;

	if (colon == NULL || colon == s || token_len(s, colon) != (size_t)(colon - s))
		return fail(p, MP_ERR_BAD_HEADER);      /* also a folded line: it starts with a blank */
	nlen = (size_t)(colon - s);
	s = colon + 1;
	skip_ows(&s, end);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (ci_equal(p->line, nlen, "content-disposition"))
		bit = SEEN_DISPOSITION;
	else if (ci_equal(p->line, nlen, "content-type"))
		bit = SEEN_CTYPE;
	else if (ci_equal(p->line, nlen, "content-transfer-encoding"))
		bit = SEEN_CTE;
	else
		return MP_OK;                           /* RFC 7578: others are ignored */
	if (p->seen & bit)
		return fail(p, MP_ERR_DUPLICATE_HEADER);
	p->seen |= bit;
	switch (bit) {
	case SEEN_DISPOSITION:
		return parse_disposition(p, s, end);
	case SEEN_CTYPE:
		return parse_part_type(p, s, end);
	default:
		return parse_encoding(p, s, end);
	}
}

static void end_part(struct mp_parser *p)
{
	if (!p->in_part)
		return;
	p->in_part = 0;
	if (p->cb->part_end && p->cb->part_end(p->ctx) != 0)
		fail(p, MP_ERR_CALLBACK);
}

static void begin_headers(struct mp_parser *p)
{
	if (++p->nparts > p->max_parts) {
		fail(p, MP_ERR_TOO_MANY_PARTS);
		return;
	}
	memset(&p->part, 0, sizeof p->part);
	p->part.index = p->nparts - 1;
	p->seen = 0;
	p->nheaders = 0;
	p->line_len = 0;
	p->state = S_HEADER;
}

static void end_headers(struct mp_parser *p)
{
	if (!(p->seen & SEEN_DISPOSITION)) {
		fail(p, MP_ERR_NO_DISPOSITION);
		return;
	}
	p->in_part = 1;
	p->state = S_DATA;
	p->match = 0;
	if (p->cb->part_begin && p->cb->part_begin(p->ctx, &p->part) != 0)
		fail(p, MP_ERR_CALLBACK);
}

/* Every state but the two scanned ones, one byte at a time. */
static void step(struct mp_parser *p, unsigned char c)
{
	switch (p->state) {
	case S_AFTER_DELIM:
		if (c == '-') {
			p->state = S_CLOSE_DASH;
			return;
		}
		p->state = S_PADDING;
		/* FALLTHROUGH */
	case S_PADDING:
		if (c == ' ' || c == '\t') {
			if (++p->pad > MP_PAD_MAX)
				fail(p, MP_ERR_BAD_DELIMITER);
		} else if (c == '\r') {
			p->state = S_DELIM_CR;
		} else {
			fail(p, MP_ERR_BAD_DELIMITER);
		}
		return;
	case S_DELIM_CR:
		if (c != '\n') {
			fail(p, MP_ERR_BAD_DELIMITER);
			return;
		}
		end_part(p);
		if (p->err == MP_OK)
			begin_headers(p);
		return;
	case S_CLOSE_DASH:
		if (c != '-') {
			fail(p, MP_ERR_BAD_DELIMITER);
			return;
		}
		end_part(p);
		p->pad = 0;
		p->state = S_CLOSED;
		return;
	case S_HEADER:
		if (c == '\r')
			p->state = S_HEADER_CR;
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			fail(p, MP_ERR_BAD_HEADER);         /* bare LF, NUL, controls */
		else if (p->line_len == sizeof p->line)
			fail(p, MP_ERR_HEADER_TOO_LONG);
		else
			p->line[p->line_len++] = (char)c;
		return;
	case S_HEADER_CR:
		if (c != '\n') {
			fail(p, MP_ERR_BAD_HEADER);         /* bare CR */
			return;
		}
		if (p->line_len == 0) {
			end_headers(p);
			return;
		}
		if (++p->nheaders > MP_MAX_HEADERS) {
			fail(p, MP_ERR_TOO_MANY_HEADERS);
			return;
		}
		header_line(p);
		p->line_len = 0;
		p->state = S_HEADER;
		return;
	case S_CLOSED:
		if (c == ' ' || c == '\t') {
			if (++p->pad > MP_PAD_MAX)
				fail(p, MP_ERR_TRAILING);
		} else if (c == '\r') {
			p->state = S_CLOSED_CR;
		} else {
			fail(p, MP_ERR_TRAILING);
		}
		return;
	case S_CLOSED_CR:
		if (c == '\n')
			p->state = S_END;
		else
			fail(p, MP_ERR_TRAILING);
		return;
	case S_END:
		fail(p, MP_ERR_TRAILING);
		return;
	default:
		fail(p, MP_ERR_USAGE);
		return;
	}
}

enum mp_error mp_feed(struct mp_parser *p, const char *buf, size_t len)
{
	size_t i = 0;

	if (p == NULL)
		return MP_ERR_USAGE;
	if (p->err != MP_OK)
		return p->err;
	if ((buf == NULL && len > 0) || p->state == S_FINISHED || p->cb == NULL)
		return fail(p, MP_ERR_USAGE);
	while (i < len && p->err == MP_OK) {
		if (p->state == S_PREAMBLE || p->state == S_DATA)
			scan(p, buf, len, &i);
		else
			step(p, (unsigned char)buf[i++]);
	}
	return p->err;
}

enum mp_error mp_finish(struct mp_parser *p)
{
	if (p == NULL)
		return MP_ERR_USAGE;
	if (p->err != MP_OK)
		return p->err;
	switch (p->state) {
	case S_CLOSED:
	case S_END:
	case S_FINISHED:
		p->state = S_FINISHED;
		return MP_OK;
	case S_CLOSED_CR:
		return fail(p, MP_ERR_TRAILING);
	default:
		return fail(p, MP_ERR_TRUNCATED);
	}
}
