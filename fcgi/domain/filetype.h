/*
 * What an uploaded file is, by its bytes, and a safe name for it. Pure: bytes in,
 * verdict out; no I/O.
 *
 * Accepted types are PDF, JPEG and PNG, told by their magic bytes:
 *   PDF   "%PDF-" within the first 1024 bytes (readers accept junk before the header,
 *         as Acrobat does and ISO 32000 notes), and "%%EOF" within the last 1024 bytes,
 *         after the header (a file without it was cut short);
 *   JPEG  FF D8 FF at the start;
 *   PNG   89 50 4E 47 0D 0A 1A 0A at the start.
 * Anything that starts like an executable (MZ, \x7fELF, "#!", Mach-O, Java class) is
 * FT_EXECUTABLE and never accepted, even with "%PDF-" further on: that is the
 * executable-named-.pdf polyglot. Everything else is FT_UNKNOWN.
 * Known limits: only the head and the tail are looked at, so a well-formed PDF
 * header and trailer around other content pass; JPEG and PNG are not checked for
 * their end markers; nothing here decodes the content.
 */
#ifndef MOTCUA_DOMAIN_FILETYPE_H
#define MOTCUA_DOMAIN_FILETYPE_H

#include <stddef.h>
#include <stdint.h>

enum filetype {
	FT_UNKNOWN = 0,
	FT_PDF,
	FT_JPEG,
	FT_PNG,
	FT_EXECUTABLE,
	FT__MAX
};

#define FT_HEAD_MAX 1024
#define FT_TAIL_MAX 1024

/* A stream's head and tail, fed as the bytes pass by: constant memory. */
struct ft_sniffer {
	unsigned char head[FT_HEAD_MAX];
	size_t head_len;
	unsigned char tail[FT_TAIL_MAX];        /* a ring: the last FT_TAIL_MAX bytes */
	size_t tail_pos;                        /* where the next byte goes */
	uint64_t total;
};

void ft_sniff_init(struct ft_sniffer *s);
void ft_sniff_feed(struct ft_sniffer *s, const void *data, size_t len);

/*
 * The type the first bytes show so far. *decided is set to 1 once more bytes cannot
 * change it (a magic was found, or the head is full), so a caller can refuse a file
 * early; until then the result is FT_UNKNOWN.
 */
enum filetype ft_sniff_head(const struct ft_sniffer *s, int *decided);

/*
 * At the end of the stream: the type, with the PDF trailer checked. When the result is
 * not an accepted type, *why (if why is not NULL) gets an English reason; else NULL.
 */
enum filetype ft_sniff_end(const struct ft_sniffer *s, const char **why);

/* The same for bytes held whole. */
enum filetype ft_detect(const void *data, size_t len, const char **why);

/* "application/pdf", "image/jpeg", "image/png"; "application/octet-stream" otherwise. */
const char *ft_mime(enum filetype t);
/* "pdf", "jpeg", "png", "executable", "unknown". */
const char *ft_name(enum filetype t);

/*
 * Whether what the client declared agrees with the bytes: the file name's extension
 * (if the name has one) must be one of t's (.pdf; .jpg .jpeg .jpe .jfif; .png), and
 * the part's Content-Type (if given and not application/octet-stream, which browsers
 * send when they do not know) must be one of t's. Case is ignored. A file that declares
 * nothing is judged by its bytes alone. Returns NULL if they agree, else an English
 * reason (also when t is not an accepted type). name: the sanitised name.
 */
const char *ft_check_declared(enum filetype t, const char *name, size_t name_len,
                              const char *content_type);

#define FILENAME_SAFE_MAX 120
#define FILENAME_DEFAULT  "tep-dinh-kem"

/*
 * A file name fit to keep and show: the last path component only ('/' and '\'), no
 * control characters (C0, DEL, C1), no invisible or direction-changing characters
 * (zero-width, bidi embeddings, overrides and isolates, BOM), no bytes that are not
 * well-formed UTF-8; the characters Windows reserves (< > : " | ? *) become '_'; runs
 * of blanks become one space; leading dots and blanks and trailing dots and blanks
 * go (those right before the extension stay: "a .pdf"); a Windows device name (CON,
 * PRN, AUX, NUL, COM0-9, LPT0-9, with any extension) gets a '_' in front; an empty
 * name becomes "tep-dinh-kem" (".pdf" becomes "tep-dinh-kem.pdf"). Vietnamese and
 * other letters are kept as they came (no Unicode normalisation). At most
 * FILENAME_SAFE_MAX bytes: a longer name is cut on a character boundary, never
 * between a letter and its combining marks, and keeps its extension (the text after
 * the last dot, when it is 1 to 10 ASCII letters or digits). Of a last component
 * longer than 4096 bytes only the first 4096 are read. The result is its own
 * sanitised form. Writes out (NUL-terminated) and returns its length (>= 1).
 */
size_t filename_sanitise(const char *in, size_t len, char out[FILENAME_SAFE_MAX + 1]);

#endif
