/* GET /api/v1/ping and GET /api/v1/health. */
#include <string.h>

#include "core/db.h"
#include "core/http.h"
#include "core/params.h"
#include "store/meta_store.h"
#include "api.h"

void api_ping(struct http_req *r)
{
	/* constant body, no database: the baseline every benchmark is measured against */
	static const char body[] = "{\"pong\":true}";
	struct params p;

	if (params_parse(r, NULL, 0, &p) != 0)
		return;

	http_send(r, 200, "application/json; charset=utf-8", NULL, body, sizeof body - 1);
}

void api_health(struct http_req *r)
{
	struct json_object *o = json_object_new_object();
	struct params p;
	int version, ok;

	if (params_parse(r, NULL, 0, &p) != 0) {
		json_object_put(o);
		return;
	}
	version = meta_schema_version(r->db);
	ok = version >= 0;

	json_put_str(o, "status", ok && version == MOTCUA_SCHEMA_VERSION ? "ok" : "degraded");
	json_put_str(o, "database", ok ? "ok" : "unreachable");
	if (ok)
		json_put_int(o, "schema_version", version);
	else
		json_object_object_add(o, "schema_version", NULL);
	json_put_int(o, "schema_expected", MOTCUA_SCHEMA_VERSION);
	http_json(r, ok ? 200 : 503, o);
}
