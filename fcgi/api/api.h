/* Handlers, one group per resource file. */
#ifndef MOTCUA_API_H
#define MOTCUA_API_H

struct http_req;
struct json_object;

void api_ping(struct http_req *r);
void api_health(struct http_req *r);
void api_fields(struct http_req *r);
void api_units(struct http_req *r);
void api_procedures(struct http_req *r);
void api_procedure(struct http_req *r);
void api_tracking(struct http_req *r);

/* Shared answers. */
void api_db_error(struct http_req *r, int rc);
/* Adds key: ISO 8601 (+07:00) of a UTC DB datetime text, or null. */
void api_put_time(struct json_object *o, const char *key, const char *db_utc);

#endif
