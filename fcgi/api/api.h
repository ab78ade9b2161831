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
void api_login(struct http_req *r);
void api_logout(struct http_req *r);
void api_me(struct http_req *r);
void api_officers(struct http_req *r);
void api_officer_create(struct http_req *r);
void api_officer_update(struct http_req *r);
void api_dossiers(struct http_req *r);
void api_dossier_receive(struct http_req *r);
void api_dossier(struct http_req *r);
void api_dossier_action(struct http_req *r);
void api_dossier_history(struct http_req *r);
void api_dossier_receipt(struct http_req *r);
void api_dossier_control_sheet(struct http_req *r);
void api_calendar_due(struct http_req *r);
void api_calendar_days(struct http_req *r);
void api_calendar_day_put(struct http_req *r);
void api_calendar_day_delete(struct http_req *r);
void api_calendar_job(struct http_req *r);

struct officer;
/*
 * The officer behind the request: a live session (cookie), the CSRF header on writes, and
 * at least one of any_of_roles (a mask of 1u << enum officer_role; 0 = any officer).
 * Returns 0 with *o filled, or -1 after answering (401, 403).
 */
int api_officer(struct http_req *r, unsigned any_of_roles, struct officer *o);

/* Shared answers. */
void api_db_error(struct http_req *r, int rc);
/* {"code","label_vi","label_en"} and {"code","name"} objects. */
struct json_object *api_labelled(const char *code, const char *vi, const char *en);
struct json_object *api_code_name(const char *code, const char *name);
struct dossier_document;
/* One document of a dossier, as both the tracking page and the officer's page show it. */
struct json_object *api_document_json(const struct dossier_document *doc);
/* Adds key: ISO 8601 (+07:00) of a UTC DB datetime text, or null. */
void api_put_time(struct json_object *o, const char *key, const char *db_utc);

#endif
