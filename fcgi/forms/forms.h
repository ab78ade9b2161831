/*
 * The printed forms of Circular 01/2018/TT-VPCP as PDF: data in, PDF bytes out. No
 * database, no HTTP: the caller gathers the data, this module only lays it out.
 *
 * Text is UTF-8 and is drawn with a Unicode TrueType font (DejaVu Sans by default),
 * embedded in the PDF, so Vietnamese prints with its diacritics on any reader. Times are
 * UTC seconds and print in Vietnam's local time (UTC+7, see domain/timeutil.h).
 *
 * Every function here returns 0 and sets *pdf to a malloc'd buffer of *len bytes that
 * the caller frees, or returns -1 with *pdf NULL, *len 0 and a short English reason in
 * err (when errsz > 0; err may be NULL when errsz is 0). Nothing is kept between
 * calls: each call builds its own document, so calls from several threads do not
 * share state.
 */
#ifndef MOTCUA_FORMS_FORMS_H
#define MOTCUA_FORMS_FORMS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/deadline.h"

#define FORM_FONT_REGULAR "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define FORM_FONT_BOLD    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

/*
 * Font files (TrueType; libharu 2.3 cannot read OpenType/CFF). NULL options mean both
 * DejaVu paths above. Otherwise a NULL or "" font_regular means the DejaVu one, and a
 * NULL or "" font_bold means no bold face: headings are then drawn with the regular
 * face filled and stroked (a synthetic bold), which halves the size of the PDF because
 * libharu embeds every face it loads with all its metrics (see the size note in
 * forms.c). The fonts need the Vietnamese letters, which DejaVu has.
 */
struct form_options {
	const char *font_regular;
	const char *font_bold;
};

/* One entry of "Thành phần hồ sơ": how many originals (bản chính) and copies
 * (bản sao) the applicant handed over. */
struct form_document {
	const char *name;
	int originals, copies;
};

/*
 * Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
 * unit_name is the receiving authority's full name as it signs documents, e.g.
 * "Ủy ban nhân dân xã Tân Phú"; the header prints it upper case and the body as is.
 * NULL or "" optional fields print an empty line to fill in by hand (phone, email,
 * officer_name) or are left out (tracking_url and pin: no QR code, no secret box).
 */
struct receipt_data {
	const char *unit_name;
	const char *dossier_code;
	const char *applicant_name;
	const char *applicant_address;
	const char *applicant_phone;
	const char *applicant_email;
	const char *procedure_name;
	const char *time_text;              /* "03 ngày làm việc" */
	const char *result_channel_text;    /* "Bộ phận tiếp nhận và trả kết quả" */
	const char *pin;                    /* the receipt's secret for the tracking page */
	const char *tracking_url;           /* public_url + "/tra-cuu.html?code=" + code */
	const char *officer_name;
	int64_t received_at, due_at;        /* UTC seconds */
	const struct form_document *docs;
	size_t ndocs;
};

/*
 * One hand-over of the dossier (Mẫu số 05): from_unit gives it to to_unit at `at`;
 * verdict says how the giving side kept its deadline. DEADLINE_NONE leaves the cell
 * empty (nothing to judge yet); the other values print deadline_status_label_vi().
 */
struct control_row {
	const char *from_unit, *to_unit;
	const char *from_person, *to_person;    /* NULL or "": a line to sign on */
	int64_t at;                             /* UTC seconds */
	enum deadline_status verdict;
	const char *note;                       /* NULL or "": empty */
};

/* Mẫu số 05: Phiếu kiểm soát quá trình giải quyết hồ sơ. */
struct control_sheet_data {
	const char *unit_name;                  /* as in receipt_data */
	const char *dossier_code;
	const char *receipt_number;             /* NULL or "": the dossier code */
	const char *handling_unit;              /* cơ quan (bộ phận) giải quyết hồ sơ */
	const char *coordinating_units;         /* cơ quan phối hợp; NULL or "": none */
	const struct control_row *rows;
	size_t nrows;
};

/*
 * Phiếu xác minh kết quả điện tử: handed over with an electronic result (api/results.c),
 * it names the exact file (its SHA-256), who signed it, and carries the QR code of the
 * public page that shows the verification stored for that file.
 */
struct result_slip_data {
	const char *unit_name;                  /* as in receipt_data */
	const char *dossier_code;
	const char *procedure_name;
	const char *file_name;                  /* NULL or "": left out */
	uint64_t file_size;
	const char *sha256;                     /* 64 lowercase hex digits */
	const char *const *signers;             /* "Name (verdict)" lines; may be none */
	size_t nsigners;
	const char *verification_url;           /* public_url + "/xac-minh.html?sha256=" + sha256 */
	int64_t issued_at;                      /* UTC seconds */
};

int form_result_slip_pdf(const struct result_slip_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz);
int form_receipt_pdf(const struct receipt_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz);
int form_control_sheet_pdf(const struct control_sheet_data *d,
    const struct form_options *o, unsigned char **pdf, size_t *len, char *err,
    size_t errsz);

/*
 * The letters to the applicant (Mẫu số 02, 03, 04 of Circular 01/2018/TT-VPCP). Each
 * names the unit, the dossier and the applicant as the receipt does; tracking_url (NULL
 * or "": left out) is printed with its QR code so that the applicant finds the dossier.
 * received_at 0: the dossier was never received (an online submission refused at the
 * door); the letter then says when it was submitted, given as received_at by the caller.
 */

/* Mẫu số 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: every item asked for, at once. */
struct supplement_form_data {
	const char *unit_name;
	const char *dossier_code;
	const char *applicant_name;
	const char *procedure_name;
	const char *const *items;               /* at least one */
	size_t nitems;
	const char *note;                       /* NULL or "": none */
	const char *officer_name;               /* who asked; NULL or "": a line to sign on */
	const char *tracking_url;
	int64_t received_at, requested_at;      /* UTC seconds */
};

/* Mẫu số 03: Phiếu từ chối tiếp nhận, giải quyết hồ sơ, with the written reason. */
struct refusal_form_data {
	const char *unit_name;
	const char *dossier_code;
	const char *applicant_name;
	const char *procedure_name;
	const char *reason;                     /* required */
	const char *officer_name;               /* NULL or "": a line to sign on */
	const char *tracking_url;
	int not_accepted;                       /* 1: refused at reception, 0: after */
	int64_t received_at, refused_at;        /* UTC seconds */
};

/* Mẫu số 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả, signed by the approving leader. */
struct apology_form_data {
	const char *unit_name;
	const char *dossier_code;
	const char *applicant_name;
	const char *procedure_name;
	const char *reason;                     /* NULL or "": a dotted line */
	const char *leader_name;                /* NULL or "": a line to sign on */
	const char *tracking_url;
	int64_t received_at, due_at, new_date, approved_at;   /* UTC seconds */
};

int form_supplement_pdf(const struct supplement_form_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz);
int form_refusal_pdf(const struct refusal_form_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz);
int form_apology_pdf(const struct apology_form_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz);

/* One dossier of the register; times UTC seconds, 0 for none yet. */
struct register_entry {
	const char *code;
	const char *procedure_name;
	const char *applicant_name;
	const char *state_text;                 /* "Đang xử lý" */
	int64_t received_at, due_at, finished_at, returned_at;
};

/*
 * Mẫu số 06: Sổ theo dõi hồ sơ of a unit over local days from_day..to_day (days since
 * 1970-01-01, domain/timeutil.h), A4 landscape, one row per dossier, the table's header
 * repeated on every page, and the total under the table.
 */
struct register_data {
	const char *unit_name;
	int64_t from_day, to_day;
	const struct register_entry *rows;
	size_t nrows;
	int64_t printed_at;                     /* UTC seconds */
};

int form_register_pdf(const struct register_data *d, const struct form_options *o,
    unsigned char **pdf, size_t *len, char *err, size_t errsz);

#endif
