#include <string.h>

#include "core/db.h"
#include "core/http.h"
#include "domain/timeutil.h"
#include "store/dossier_store.h"
#include "api.h"

void api_db_error(struct http_req *r, int rc)
{
	if (rc == DB_ERR_CONN) {
		http_problem(r, 503, "db_unavailable", "Hệ thống tạm thời gián đoạn, vui lòng thử lại",
		             "The database is unreachable; try again shortly.", NULL);
		return;
	}
	http_internal_error(r, db_error(r->db));
}

void api_put_time(struct json_object *o, const char *key, const char *db_utc)
{
	mc_time t;
	char buf[32];

	if (db_utc == NULL || time_parse_db(db_utc, strlen(db_utc), &t) != 0) {
		json_object_object_add(o, key, NULL);
		return;
	}
	time_format_iso(t, buf, sizeof buf);
	json_put_str(o, key, buf);
}

struct json_object *api_labelled(const char *code, const char *vi, const char *en)
{
	struct json_object *o = json_object_new_object();

	json_put_str(o, "code", code);
	json_put_str(o, "label_vi", vi);
	json_put_str(o, "label_en", en);
	return o;
}

struct json_object *api_code_name(const char *code, const char *name)
{
	struct json_object *o = json_object_new_object();

	json_put_str(o, "code", code);
	json_put_str(o, "name", name);
	return o;
}

struct json_object *api_document_json(const struct dossier_document *doc)
{
	struct json_object *o = json_object_new_object();

	json_put_int(o, "seq", doc->seq);
	json_put_str(o, "name", doc->name);
	json_put_int(o, "originals", doc->originals);
	json_put_int(o, "copies", doc->copies);
	json_put_bool(o, "digitized", doc->digitized);
	json_put_bool(o, "paper_only", doc->paper_only);
	return o;
}

void api_code_upper(struct http_req *r)
{
	for (size_t i = 0; i < r->arg_len[0]; i++)
		if (r->args[0][i] >= 'a' && r->args[0][i] <= 'z')
			r->args[0][i] = (char)(r->args[0][i] - 'a' + 'A');
}
