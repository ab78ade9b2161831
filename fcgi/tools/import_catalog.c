#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "domain/dossier_code.h"
#include "domain/text.h"
#include "store/catalog_write.h"
#include "store/result_store.h"
#include "import_catalog.h"

#define IMPORT_MAX_BYTES (64L * 1024 * 1024)
#define IMPORT_MAX_DEPTH 16

/* Validation context of one record: the first problems found, by JSON path. */
struct vctx {
	FILE *report;
	long index;
	const char *code;
	int errors;
};

static void verr(struct vctx *v, const char *path, const char *fmt, ...)
{
	va_list ap;

	v->errors++;
	if (v->errors > 20)
		return;
	fprintf(v->report, "record %ld (MATTHC %s): %s: ", v->index, v->code ? v->code : "?", path);
	va_start(ap, fmt);
	vfprintf(v->report, fmt, ap);
	va_end(ap);
	fputc('\n', v->report);
}

/* Text of key in o; "" (and an error if required) when absent. */
static const char *vstr(struct vctx *v, struct json_object *o, const char *key, const char *path,
                        int required, size_t maxlen)
{
	struct json_object *x;
	const char *s;
	size_t len;

	if (!json_object_object_get_ex(o, key, &x) || json_object_is_type(x, json_type_null)) {
		if (required)
			verr(v, path, "required");
		return "";
	}
	if (!json_object_is_type(x, json_type_string)) {
		verr(v, path, "must be a string");
		return "";
	}
	s = json_object_get_string(x);
	len = (size_t)json_object_get_string_len(x);
	if (!utf8_valid_text(s, len)) {
		verr(v, path, "not valid UTF-8 text");
		return "";
	}
	if (len > maxlen) {
		verr(v, path, "longer than %zu bytes", maxlen);
		return "";
	}
	if (required && len == 0)
		verr(v, path, "must not be empty");
	return s;
}

static double vnum(struct vctx *v, struct json_object *o, const char *key, const char *path,
                   int required, double min, double max, double dflt)
{
	struct json_object *x;
	double d;

	if (!json_object_object_get_ex(o, key, &x) || json_object_is_type(x, json_type_null)) {
		if (required)
			verr(v, path, "required");
		return dflt;
	}
	if (json_object_is_type(x, json_type_int) || json_object_is_type(x, json_type_double)) {
		d = json_object_get_double(x);
	} else if (json_object_is_type(x, json_type_string)) {
		/* exports often quote numbers ("8000", "0.5") */
		const char *s = json_object_get_string(x);
		char *end;
		errno = 0;
		d = strtod(s, &end);
		if (errno || end == s || *end) {
			verr(v, path, "must be a number");
			return dflt;
		}
	} else {
		verr(v, path, "must be a number");
		return dflt;
	}
	if (!isfinite(d) || d < min || d > max) {
		verr(v, path, "must be between %g and %g", min, max);
		return dflt;
	}
	return d;
}

/* A yes/no of key in o: true/false or 1/0; dflt when absent or null. */
static int vbool(struct vctx *v, struct json_object *o, const char *key, const char *path, int dflt)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, key, &x) || json_object_is_type(x, json_type_null))
		return dflt;
	if (json_object_is_type(x, json_type_boolean))
		return json_object_get_boolean(x);
	if (json_object_is_type(x, json_type_int) &&
	    (json_object_get_int64(x) == 0 || json_object_get_int64(x) == 1))
		return (int)json_object_get_int64(x);
	verr(v, path, "must be true or false (or 1 or 0)");
	return dflt;
}

/* Index of the value of key among names[] (NULL-terminated), -1 (reported) if not one. */
static int venum(struct vctx *v, struct json_object *o, const char *key, const char *path,
                 const char *const *names)
{
	const char *s = vstr(v, o, key, path, 1, 200);
	char allowed[512] = "";

	if (!*s)
		return -1;
	for (int i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	for (int i = 0; names[i]; i++) {
		strncat(allowed, i ? ", " : "", sizeof allowed - strlen(allowed) - 1);
		strncat(allowed, names[i], sizeof allowed - strlen(allowed) - 1);
	}
	verr(v, path, "'%s' is not one of: %s", s, allowed);
	return -1;
}

static struct json_object *varray(struct vctx *v, struct json_object *o, const char *key,
                                  const char *path, int required)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, key, &x) || json_object_is_type(x, json_type_null)) {
		if (required)
			verr(v, path, "required");
		return NULL;
	}
	if (!json_object_is_type(x, json_type_array)) {
		verr(v, path, "must be an array");
		return NULL;
	}
	if (required && json_object_array_length(x) == 0)
		verr(v, path, "must not be empty");
	return x;
}

static int is_object(struct vctx *v, struct json_object *x, const char *path)
{
	if (json_object_is_type(x, json_type_object))
		return 1;
	verr(v, path, "must be an object");
	return 0;
}

static int is_token(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      *s == '.' || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static char *fold(const char *s)
{
	size_t n = text_fold(s, strlen(s), NULL, 0);
	char *out = malloc(n + 1);

	if (out)
		text_fold(s, strlen(s), out, n + 1);
	return out;
}

/* The catalog's words, and the codes we store for them. */
static const char *const level_names[] = { "Cấp Tỉnh", "Cấp Huyện", "Cấp Xã", NULL };
static const char *const channel_names[] = { "Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính", NULL };
static const char *const channel_codes[] = { "direct", "online", "postal" };
static const char *const unit_names[] = { "Ngày làm việc", "Ngày", "Giờ", NULL };
static const char *const unit_codes[] = { "working_days", "calendar_days", "hours" };
static const char *const fee_names[] = { "Phí", "Lệ phí", NULL };
static const char *const fee_codes[] = { "fee", "charge" };
static const char *const service_names[] = { "full", "partial", "info", "4", "3", "2", NULL };
static const char *const service_codes[] = { "full", "partial", "info", "full", "partial", "info" };
static const char *const role_names[] = { "desk", "specialist", "leader", "clerk", NULL };
static const char *const process_levels[] = { "receiving", "province", "district", "commune", "department", NULL };

/* "dd/mm/yyyy" -> "yyyy-mm-dd"; 0 on success. */
static int vn_date_to_iso(const char *s, char out[11])
{
	int d, m, y;
	char tail;

	if (sscanf(s, "%2d/%2d/%4d%c", &d, &m, &y, &tail) != 3 || d < 1 || d > 31 || m < 1 || m > 12 ||
	    y < 1900 || y > 2100)
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}

/* What the first pass learns about a record's main row. */
struct procedure_head {
	struct procedure_write w;
	const char *field_code, *field_name;
	double main_time;
	int main_unit;
	int signature_required;     /* KYSOKETQUA: an electronic result needs the leader's signature */
};

/*
 * Walks one procedure record: with pid == 0 it only validates (errors go to v) and fills
 * head; with the pid of the already written main row it writes the parts. One walk for
 * both, so what is checked is exactly what is written.
 */
static int procedure_record(struct db *db, struct json_object *rec, struct vctx *v,
                            long long pid, struct procedure_head *head)
{
	char path[160];
	struct json_object *lv, *levels, *channels, *docs, *steps, *legal, *process, *x;
	struct procedure_write w;
	const char *field_code, *field_name;
	int lvl[3] = { 0, 0, 0 }, svc, rc = 0, seq, fee_seq = 0, write = pid != 0, signature_required;
	char timebuf[32];
	double main_time = -1;
	int main_unit = -1;

	memset(&w, 0, sizeof w);
	if (!is_object(v, rec, "record"))
		return 0;
	w.code = vstr(v, rec, "MATTHC", "MATTHC", 1, 32);
	v->code = *w.code ? w.code : NULL;
	if (*w.code && !is_token(w.code))
		verr(v, "MATTHC", "only letters, digits and '.' allowed");
	w.name = vstr(v, rec, "TENTTHC", "TENTTHC", 1, 1000);

	if (!json_object_object_get_ex(rec, "LINHVUCTHUCHIEN", &lv)) {
		verr(v, "LINHVUCTHUCHIEN", "required");
		return 0;
	}
	if (json_object_is_type(lv, json_type_array) && json_object_array_length(lv) > 0)
		lv = json_object_array_get_idx(lv, 0);
	if (!is_object(v, lv, "LINHVUCTHUCHIEN"))
		return 0;
	field_code = vstr(v, lv, "MALINHVUC", "LINHVUCTHUCHIEN.MALINHVUC", 1, 32);
	if (*field_code && !is_token(field_code))
		verr(v, "LINHVUCTHUCHIEN.MALINHVUC", "only letters, digits, '.', '-' and '_' allowed");
	field_name = vstr(v, lv, "TENLINHVUC", "LINHVUCTHUCHIEN.TENLINHVUC", 1, 255);

	if ((levels = varray(v, rec, "CAPTHUCHIEN", "CAPTHUCHIEN", 1)) != NULL) {
		for (size_t i = 0; i < json_object_array_length(levels); i++) {
			struct json_object *wrap = json_object_new_object();
			int k;
			json_object_object_add(wrap, "v", json_object_get(json_object_array_get_idx(levels, i)));
			snprintf(path, sizeof path, "CAPTHUCHIEN[%zu]", i);
			if ((k = venum(v, wrap, "v", path, level_names)) >= 0)
				lvl[k] = 1;
			json_object_put(wrap);
		}
	}
	w.agency = vstr(v, rec, "COQUANTHUCHIEN", "COQUANTHUCHIEN", 1, 1000);
	w.applicants = vstr(v, rec, "DOITUONGTHUCHIEN", "DOITUONGTHUCHIEN", 0, 1000);
	/* MUCDODVC may be a number (legacy levels 2/3/4) */
	if (json_object_object_get_ex(rec, "MUCDODVC", &x) && json_object_is_type(x, json_type_int)) {
		struct json_object *wrap = json_object_new_object();
		json_object_object_add(wrap, "v", json_object_new_string(json_object_get_string(x)));
		svc = venum(v, wrap, "v", "MUCDODVC", service_names);
		json_object_put(wrap);
	} else {
		svc = venum(v, rec, "MUCDODVC", "MUCDODVC", service_names);
	}
	w.service_level = svc >= 0 ? service_codes[svc] : "";
	w.conditions = vstr(v, rec, "YEUCAUDIEUKIEN", "YEUCAUDIEUKIEN", 0, 60000);
	/* ours: absent means required, as a re-import replaces the whole procedure */
	signature_required = vbool(v, rec, "KYSOKETQUA", "KYSOKETQUA", 1);
	if (json_object_object_get_ex(rec, "KETQUATHUCHIEN", &x) && json_object_is_type(x, json_type_array)) {
		verr(v, "KETQUATHUCHIEN", "give the result as one string");
	} else {
		w.result = vstr(v, rec, "KETQUATHUCHIEN", "KETQUATHUCHIEN", 1, 60000);
	}

	/* Ways of submitting: the first one's time is the procedure's headline time. */
	channels = varray(v, rec, "CACHTHUCTHUCHIEN", "CACHTHUCTHUCHIEN", 1);
	for (size_t i = 0; channels && i < json_object_array_length(channels); i++) {
		struct json_object *c = json_object_array_get_idx(channels, i), *fees;
		int ch, unit;
		double t;
		snprintf(path, sizeof path, "CACHTHUCTHUCHIEN[%zu]", i);
		if (!is_object(v, c, path))
			continue;
		snprintf(path, sizeof path, "CACHTHUCTHUCHIEN[%zu].KENH", i);
		ch = venum(v, c, "KENH", path, channel_names);
		snprintf(path, sizeof path, "CACHTHUCTHUCHIEN[%zu].THOIGIAN", i);
		t = vnum(v, c, "THOIGIAN", path, 1, 0, 1000, 0);
		snprintf(path, sizeof path, "CACHTHUCTHUCHIEN[%zu].DONVITINH", i);
		unit = venum(v, c, "DONVITINH", path, unit_names);
		snprintf(path, sizeof path, "CACHTHUCTHUCHIEN[%zu].MOTA", i);
		const char *desc = vstr(v, c, "MOTA", path, 0, 60000);
		if (main_unit < 0 && unit >= 0) {
			main_time = t;
			main_unit = unit;
		}
		if (write && ch >= 0 && unit >= 0) {
			snprintf(timebuf, sizeof timebuf, "%.2f", t);
			if ((rc = catalog_add_channel(db, pid, (int)i + 1, channel_codes[ch], timebuf,
			                              unit_codes[unit], desc)) != 0)
				return rc;
		}
		snprintf(path, sizeof path, "CACHTHUCTHUCHIEN[%zu].PHILEPHI", i);
		fees = varray(v, c, "PHILEPHI", path, 0);
		for (size_t j = 0; fees && j < json_object_array_length(fees); j++) {
			struct json_object *f = json_object_array_get_idx(fees, j);
			int kind;
			double amount;
			snprintf(path, sizeof path, "CACHTHUCTHUCHIEN[%zu].PHILEPHI[%zu]", i, j);
			if (!is_object(v, f, path))
				continue;
			snprintf(path, sizeof path, "CACHTHUCTHUCHIEN[%zu].PHILEPHI[%zu].LOAI", i, j);
			kind = venum(v, f, "LOAI", path, fee_names);
			snprintf(path, sizeof path, "CACHTHUCTHUCHIEN[%zu].PHILEPHI[%zu].SOTIEN", i, j);
			amount = vnum(v, f, "SOTIEN", path, 1, 0, 1e12, 0);
			if (amount != floor(amount))
				verr(v, path, "must be a whole number of đồng");
			snprintf(path, sizeof path, "CACHTHUCTHUCHIEN[%zu].PHILEPHI[%zu].MOTA", i, j);
			const char *fdesc = vstr(v, f, "MOTA", path, 0, 60000);
			if (write && kind >= 0 &&
			    (rc = catalog_add_fee(db, pid, ++fee_seq, (int)i + 1, fee_codes[kind],
			                          (long long)amount, fdesc)) != 0)
				return rc;
		}
	}

	/* Required documents, per case. */
	docs = varray(v, rec, "THANHPHANHOSO", "THANHPHANHOSO", 1);
	seq = 0;
	for (size_t i = 0; docs && i < json_object_array_length(docs); i++) {
		struct json_object *c = json_object_array_get_idx(docs, i), *items;
		snprintf(path, sizeof path, "THANHPHANHOSO[%zu]", i);
		if (!is_object(v, c, path))
			continue;
		snprintf(path, sizeof path, "THANHPHANHOSO[%zu].TRUONGHOP", i);
		const char *case_name = vstr(v, c, "TRUONGHOP", path, 0, 1000);
		snprintf(path, sizeof path, "THANHPHANHOSO[%zu].GIAYTO", i);
		items = varray(v, c, "GIAYTO", path, 1);
		for (size_t j = 0; items && j < json_object_array_length(items); j++) {
			struct json_object *d = json_object_array_get_idx(items, j), *req;
			snprintf(path, sizeof path, "THANHPHANHOSO[%zu].GIAYTO[%zu]", i, j);
			if (!is_object(v, d, path))
				continue;
			snprintf(path, sizeof path, "THANHPHANHOSO[%zu].GIAYTO[%zu].TENGIAYTO", i, j);
			const char *name = vstr(v, d, "TENGIAYTO", path, 1, 2000);
			snprintf(path, sizeof path, "THANHPHANHOSO[%zu].GIAYTO[%zu].SOBANCHINH", i, j);
			double orig = vnum(v, d, "SOBANCHINH", path, 0, 0, 100, 0);
			snprintf(path, sizeof path, "THANHPHANHOSO[%zu].GIAYTO[%zu].SOBANSAO", i, j);
			double copies = vnum(v, d, "SOBANSAO", path, 0, 0, 100, 0);
			if (orig != floor(orig) || copies != floor(copies))
				verr(v, path, "counts must be whole numbers");
			snprintf(path, sizeof path, "THANHPHANHOSO[%zu].GIAYTO[%zu].MAUDON", i, j);
			const char *tpl = vstr(v, d, "MAUDON", path, 0, 1000);
			int required = 1;
			if (json_object_object_get_ex(d, "BATBUOC", &req)) {
				if (!json_object_is_type(req, json_type_boolean))
					verr(v, path, "BATBUOC must be true or false");
				else
					required = json_object_get_boolean(req);
			}
			if (write && (rc = catalog_add_document(db, pid, ++seq, case_name, name, (int)orig,
			                                        (int)copies, tpl, required)) != 0)
				return rc;
		}
	}

	steps = varray(v, rec, "TRINHTUTHUCHIEN", "TRINHTUTHUCHIEN", 1);
	for (size_t i = 0; steps && i < json_object_array_length(steps); i++) {
		struct json_object *wrap = json_object_new_object();
		json_object_object_add(wrap, "v", json_object_get(json_object_array_get_idx(steps, i)));
		snprintf(path, sizeof path, "TRINHTUTHUCHIEN[%zu]", i);
		const char *s = vstr(v, wrap, "v", path, 1, 60000);
		if (write && (rc = catalog_add_step(db, pid, (int)i + 1, s)) != 0) {
			json_object_put(wrap);
			return rc;
		}
		json_object_put(wrap);
	}

	legal = varray(v, rec, "CANCUPHAPLY", "CANCUPHAPLY", 1);
	for (size_t i = 0; legal && i < json_object_array_length(legal); i++) {
		struct json_object *l = json_object_array_get_idx(legal, i);
		char iso[11];
		snprintf(path, sizeof path, "CANCUPHAPLY[%zu]", i);
		if (!is_object(v, l, path))
			continue;
		snprintf(path, sizeof path, "CANCUPHAPLY[%zu].SOVANBAN", i);
		const char *number = vstr(v, l, "SOVANBAN", path, 1, 255);
		snprintf(path, sizeof path, "CANCUPHAPLY[%zu].TENVANBAN", i);
		const char *title = vstr(v, l, "TENVANBAN", path, 1, 2000);
		snprintf(path, sizeof path, "CANCUPHAPLY[%zu].NGAYBANHANH", i);
		const char *date = vstr(v, l, "NGAYBANHANH", path, 0, 10);
		if (*date && vn_date_to_iso(date, iso) != 0)
			verr(v, path, "must be a date dd/mm/yyyy");
		if (write && (rc = catalog_add_legal_basis(db, pid, (int)i + 1, number, title,
		                                           *date ? iso : NULL)) != 0)
			return rc;
	}

	/* The internal process: shares are fractions that must add up to 1; stored per mille,
	 * the last step taking the rounding so the total is exactly 1000. */
	process = varray(v, rec, "QUYTRINHNOIBO", "QUYTRINHNOIBO", 0);
	if (process) {
		double sum = 0;
		int acc = 0;
		size_t n = json_object_array_length(process);
		for (size_t i = 0; i < n; i++) {
			struct json_object *s = json_object_array_get_idx(process, i);
			snprintf(path, sizeof path, "QUYTRINHNOIBO[%zu]", i);
			if (!is_object(v, s, path))
				continue;
			snprintf(path, sizeof path, "QUYTRINHNOIBO[%zu].TENBUOC", i);
			const char *name = vstr(v, s, "TENBUOC", path, 1, 500);
			snprintf(path, sizeof path, "QUYTRINHNOIBO[%zu].VAITRO", i);
			int role = venum(v, s, "VAITRO", path, role_names);
			snprintf(path, sizeof path, "QUYTRINHNOIBO[%zu].CAP", i);
			int level = venum(v, s, "CAP", path, process_levels);
			snprintf(path, sizeof path, "QUYTRINHNOIBO[%zu].TYLE", i);
			double share = vnum(v, s, "TYLE", path, 1, 0, 1, 0);
			int permille = i + 1 == n ? 1000 - acc : (int)lround(share * 1000);
			sum += share;
			acc += permille;
			if (write && role >= 0 && level >= 0 &&
			    (rc = catalog_add_process_step(db, pid, (int)i + 1, name, role_names[role],
			                                   process_levels[level], permille)) != 0)
				return rc;
		}
		if (n && fabs(sum - 1.0) > 0.001)
			verr(v, "QUYTRINHNOIBO", "the TYLE shares add up to %.3f, not 1", sum);
	}
	if (write || v->errors)
		return 0;
	if (main_unit < 0)
		return 0;
	w.level_province = lvl[0];
	w.level_district = lvl[1];
	w.level_commune = lvl[2];
	w.time_note = "";
	{
		struct json_object *c0 = json_object_array_get_idx(channels, 0), *m;
		if (json_object_object_get_ex(c0, "MOTA", &m) && json_object_is_type(m, json_type_string))
			w.time_note = json_object_get_string(m);
	}
	head->w = w;
	head->field_code = field_code;
	head->field_name = field_name;
	head->main_time = main_time;
	head->main_unit = main_unit;
	head->signature_required = signature_required;
	return 0;
}

/* Writes a validated record: field, main row, then the parts. */
static int procedure_write_record(struct db *db, struct json_object *rec, struct procedure_head *h)
{
	char *search = NULL, *field_search = NULL, *both = NULL, timebuf[32];
	long long field_id = 0, pid = 0;
	struct vctx quiet = { stderr, 0, NULL, 0 };
	int rc = DB_ERR;

	if ((both = malloc(strlen(h->w.code) + strlen(h->w.name) + 2)) == NULL)
		goto out;
	sprintf(both, "%s %s", h->w.name, h->w.code);
	if ((search = fold(both)) == NULL || (field_search = fold(h->field_name)) == NULL)
		goto out;
	if ((rc = catalog_upsert_field(db, h->field_code, h->field_name, field_search, &field_id)) != 0)
		goto out;
	h->w.field_id = field_id;
	snprintf(timebuf, sizeof timebuf, "%.2f", h->main_time);
	h->w.processing_time = timebuf;
	h->w.time_unit = unit_codes[h->main_unit];
	h->w.search_text = search;
	if ((rc = catalog_upsert_procedure(db, &h->w, &pid)) != 0 ||
	    (rc = result_signature_required_set(db, pid, h->signature_required)) != 0)
		goto out;
	rc = procedure_record(db, rec, &quiet, pid, NULL);
out:
	free(both);
	free(search);
	free(field_search);
	return rc;
}

/* Reads a whole JSON file with a strict, depth-limited tokener; NULL (reported) on error. */
static struct json_object *read_json(const char *path, FILE *report)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;
	struct json_tokener *tok = NULL;
	struct json_object *root = NULL;

	if (!f) {
		fprintf(report, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(report, "%s: cannot determine the size\n", path);
		goto out;
	}
	if (size > IMPORT_MAX_BYTES) {
		fprintf(report, "%s: larger than %ld bytes\n", path, IMPORT_MAX_BYTES);
		goto out;
	}
	if ((buf = malloc((size_t)size + 1)) == NULL || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(report, "%s: cannot read\n", path);
		goto out;
	}
	buf[size] = '\0';
	if ((tok = json_tokener_new_ex(IMPORT_MAX_DEPTH)) == NULL)
		goto out;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, buf, (int)size);
	if (json_tokener_get_error(tok) != json_tokener_success || json_tokener_get_parse_end(tok) != (size_t)size) {
		enum json_tokener_error e = json_tokener_get_error(tok);
		fprintf(report, "%s: not valid JSON at byte %zu: %s\n", path, json_tokener_get_parse_end(tok),
		        e == json_tokener_success ? "trailing data after the value" : json_tokener_error_desc(e));
		json_object_put(root);
		root = NULL;
	}
out:
	json_tokener_free(tok);
	free(buf);
	fclose(f);
	return root;
}

int import_procedures(struct db *db, const char *path, FILE *report, struct import_result *res)
{
	struct json_object *root = read_json(path, report);
	struct procedure_head *heads = NULL;
	char *ok = NULL;
	size_t n;
	int rc = -1;

	memset(res, 0, sizeof *res);
	if (!root)
		return -1;
	if (!json_object_is_type(root, json_type_array)) {
		fprintf(report, "%s: expected a JSON array of procedures\n", path);
		goto out;
	}
	n = json_object_array_length(root);
	res->total = (long)n;
	heads = calloc(n ? n : 1, sizeof *heads);
	ok = calloc(n ? n : 1, 1);
	if (!heads || !ok)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct vctx v = { report, (long)i, NULL, 0 };
		procedure_record(NULL, json_object_array_get_idx(root, i), &v, 0, &heads[i]);
		/* the same code twice in one file would silently keep the last: refuse it */
		for (size_t j = 0; !v.errors && j < i; j++)
			if (ok[j] && strcmp(heads[j].w.code, heads[i].w.code) == 0)
				verr(&v, "MATTHC", "appears again (first at record %zu)", j);
		if (v.errors == 0 && heads[i].main_unit >= 0) {
			ok[i] = 1;
		} else {
			if (v.errors > 20)
				fprintf(report, "record %zu: ... %d problems in all\n", i, v.errors);
			res->rejected++;
		}
	}
	if (db_begin(db) != 0)
		goto dberr;
	for (size_t i = 0; i < n; i++) {
		if (!ok[i])
			continue;
		if (procedure_write_record(db, json_object_array_get_idx(root, i), &heads[i]) != 0) {
			db_rollback(db);
			goto dberr;
		}
		res->imported++;
	}
	if (db_commit(db) != 0)
		goto dberr;
	rc = 0;
	goto out;
dberr:
	fprintf(report, "database error, nothing imported: %s\n", db_error(db));
	res->imported = 0;
out:
	free(heads);
	free(ok);
	json_object_put(root);
	return rc;
}

static const char *const unit_levels[] = { "province", "district", "commune", "department", "other", NULL };

int import_units(struct db *db, const char *path, FILE *report, struct import_result *res)
{
	struct json_object *root = read_json(path, report), *units;
	char *ok = NULL;
	size_t n;
	int rc = -1;

	memset(res, 0, sizeof *res);
	if (!root)
		return -1;
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "units", &units) || !json_object_is_type(units, json_type_array)) {
		fprintf(report, "%s: expected {\"units\": [...]}\n", path);
		goto out;
	}
	n = json_object_array_length(units);
	res->total = (long)n;
	if ((ok = calloc(n ? n : 1, 1)) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct json_object *u = json_object_array_get_idx(units, i);
		struct vctx v = { report, (long)i, NULL, 0 };
		if (is_object(&v, u, "record")) {
			const char *code = vstr(&v, u, "code", "code", 1, 32);
			v.code = code;
			if (*code && !unit_code_valid(code, strlen(code)))
				verr(&v, "code", "not an electronic identifier like 000.00.20.H12");
			vstr(&v, u, "name", "name", 1, 255);
			vstr(&v, u, "short_name", "short_name", 0, 255);
			venum(&v, u, "level", "level", unit_levels);
			vstr(&v, u, "level_label", "level_label", 1, 64);
			vstr(&v, u, "parent", "parent", 0, 32);
		}
		ok[i] = v.errors == 0;
		if (!ok[i])
			res->rejected++;
	}
	if (db_begin(db) != 0)
		goto dberr;
	for (size_t i = 0; i < n; i++) {
		struct json_object *u = json_object_array_get_idx(units, i), *x;
		const char *parent = NULL;
		long long id;
		int r;
		if (!ok[i])
			continue;
		if (json_object_object_get_ex(u, "parent", &x) && json_object_is_type(x, json_type_string))
			parent = json_object_get_string(x);
#define UF(k) (json_object_object_get_ex(u, k, &x) ? json_object_get_string(x) : "")
		r = catalog_upsert_unit(db, UF("code"), UF("name"), UF("short_name"), UF("level"), UF("level_label"), parent, &id);
#undef UF
		if (r == 1) {
			fprintf(report, "record %zu: parent: no unit %s (parents must come first)\n", i, parent);
			res->rejected++;
			continue;
		}
		if (r != 0) {
			db_rollback(db);
			goto dberr;
		}
		res->imported++;
	}
	if (db_commit(db) != 0)
		goto dberr;
	rc = 0;
	goto out;
dberr:
	fprintf(report, "database error, nothing imported: %s\n", db_error(db));
	res->imported = 0;
out:
	free(ok);
	json_object_put(root);
	return rc;
}
