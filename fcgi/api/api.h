/* Handlers, one group per resource file. */
#ifndef MOTCUA_API_H
#define MOTCUA_API_H

#include <stddef.h>

struct http_req;
struct json_object;

void api_ping(struct http_req *r);
void api_health(struct http_req *r);
void api_fields(struct http_req *r);
void api_units(struct http_req *r);
void api_procedures(struct http_req *r);
void api_procedure(struct http_req *r);
void api_tracking(struct http_req *r);
void api_tracking_explanation(struct http_req *r);
void api_tracking_receipt(struct http_req *r);
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
void api_dossier_supplement_form(struct http_req *r);
void api_dossier_refusal_form(struct http_req *r);
void api_dossier_apology_form(struct http_req *r);
void api_tracking_supplement_form(struct http_req *r);
void api_tracking_refusal_form(struct http_req *r);
void api_tracking_apology_form(struct http_req *r);
void api_report_register(struct http_req *r);
void api_calendar_due(struct http_req *r);
void api_calendar_days(struct http_req *r);
void api_calendar_day_put(struct http_req *r);
void api_calendar_day_delete(struct http_req *r);
void api_calendar_job(struct http_req *r);
void api_calendar_sessions(struct http_req *r);
void api_calendar_sessions_put(struct http_req *r);
void api_outbox(struct http_req *r);
void api_outbox_retry(struct http_req *r);
void api_outbox_purge(struct http_req *r);
void api_submission_create(struct http_req *r);
void api_tracking_document_file(struct http_req *r);
void api_draft_create(struct http_req *r);
void api_draft_get(struct http_req *r);
void api_draft_submit(struct http_req *r);
void api_tracking_supplement(struct http_req *r);
void api_tracking_withdraw(struct http_req *r);
void api_citizen_register(struct http_req *r);
void api_citizen_verify(struct http_req *r);
void api_citizen_login(struct http_req *r);
void api_citizen_logout(struct http_req *r);
void api_citizen_me(struct http_req *r);
void api_citizen_dossiers(struct http_req *r);
struct citizen;
/* The citizen behind the request (cookie motcua_citizen, CSRF on writes): 0 with *c
 * filled, or -1 after answering 401/403 (api/citizens.c). */
int api_citizen(struct http_req *r, struct citizen *c);
/* The same for endpoints open to guests: 0 with c->id 0 when there is no citizen cookie. */
int api_citizen_optional(struct http_req *r, struct citizen *c);
/* The dossier version the client acted on, from If-Match ("3", 3 or W/"3"); -1 if absent
 * or malformed (api/dossiers.c). */
long long api_if_match_version(struct http_req *r);
void api_dossier_document_upload(struct http_req *r);
void api_dossier_document_update(struct http_req *r);
void api_dossier_document_file(struct http_req *r);
/* Reads and drops the rest of the request body (at most the upload limit), for an upload
 * endpoint that answers before reading it (api/submissions.c). */
void api_drain_body(struct http_req *r);
/* Serves a dossier document's file through nginx (X-Accel-Redirect), or answers 404. */
void api_send_document_file(struct http_req *r, long long dossier_id, int seq);
void api_payment_order_create(struct http_req *r);
void api_payment_notify(struct http_req *r);
void api_payment_return(struct http_req *r);
void api_test_gateway_check(struct http_req *r);
void api_test_gateway_pay(struct http_req *r);
void api_rating_create(struct http_req *r);
void api_ratings(struct http_req *r);
void api_feedback_create(struct http_req *r);
void api_feedback_inbox(struct http_req *r);
void api_feedback_public(struct http_req *r);
void api_feedback_get(struct http_req *r);
void api_feedback_answer(struct http_req *r);
void api_signature_verify(struct http_req *r);
void api_trust_cas(struct http_req *r);
void api_trust_ca_add(struct http_req *r);
void api_trust_ca_delete(struct http_req *r);
void api_trust_crl_add(struct http_req *r);
void api_trust_crl_sources(struct http_req *r);
void api_trust_crl_source_add(struct http_req *r);
void api_trust_crl_source_delete(struct http_req *r);
void api_trust_crl_source_refresh(struct http_req *r);
void api_officer_certificates(struct http_req *r);
void api_officer_certificate_add(struct http_req *r);
void api_officer_certificate_delete(struct http_req *r);
/* Adds "certificates": {active, expired, revoked} to each account of items (objects with
 * "username"), for the active certificates of the subtree unit_path (api/certificates.c). 0,
 * or <0 a DB_ERR* code. */
int api_officers_certificate_status(struct http_req *r, const char *unit_path,
                                    struct json_object *items);
struct sig_verifier;
struct db;
/* The shared verifier of api/signatures.c, held until api_verifier_release(token); NULL
 * on a failure (logged). api_verifier_changed(): the trust list was changed here. */
struct sig_verifier *api_verifier_hold(struct db *db, void **token);
void api_verifier_release(void *token);
void api_verifier_changed(void);
void api_dashboard(struct http_req *r);
void api_report_indicators(struct http_req *r);
void api_report_late(struct http_req *r);
void api_report_modernisation(struct http_req *r);
void api_report_form06(struct http_req *r);
void api_report_form06_dossiers(struct http_req *r);
void api_report_months(struct http_req *r);
void api_report_month_close(struct http_req *r);
void api_report_month_recompute(struct http_req *r);
/* A PDF's signatures checked by the shared verifier (api/signatures.c): the report as
 * POST /api/v1/signatures/verify answers it, in *out (owned). 0, or -1 (nothing answered). */
int api_signature_report_pdf(struct http_req *r, const unsigned char *pdf, size_t len,
                             const char *file_name, struct json_object **out);
void api_result_upload(struct http_req *r);
void api_result_get(struct http_req *r);
void api_result_file(struct http_req *r);
void api_result_sign_prepare(struct http_req *r);
void api_result_sign_complete(struct http_req *r);
void api_result_seal(struct http_req *r);
void api_signature_stored(struct http_req *r);
void api_tracking_result(struct http_req *r);
void api_tracking_result_file(struct http_req *r);
void api_result_slip(struct http_req *r);
void api_tracking_result_slip(struct http_req *r);
struct officer;
/* The leader's approval (resolve) of the dossier's result (api/results.c): an electronic
 * result whose procedure requires a signature needs a verified one registered to me (to
 * any leader when me is not one). 0 approved, or -1 after answering (422 naming the
 * reason: no_result, not_signed, signature_invalid:<reason>, not_registered,
 * registered_to_other). */
int api_result_approval(struct http_req *r, const struct officer *me, long long dossier_id,
                        long long procedure_id, const char *result_channel);
/* The organization's seal (MOTCUA_SEAL_P12) on a PDF as an incremental update: 0 with
 * *out (malloc'd), 1 when no seal is configured, -1 when it cannot be used (logged). */
int api_seal_pdf(struct http_req *r, const char *reason, const unsigned char *pdf, size_t len,
                 unsigned char **out, size_t *out_len);
void api_warnings(struct http_req *r);
void api_warnings_digest_run(struct http_req *r);
void api_warnings_digest(struct http_req *r);
void api_warnings_digest_put(struct http_req *r);

#include "domain/calendar.h"
/* Answers with a due date and the explanation of every day skipped (api/calendar.c). */
void api_explain_due(struct http_req *r, mc_time start, int64_t amount, enum cal_time_unit unit,
                     const struct cal_pause *pauses, size_t npauses);

struct officer;
/*
 * The officer behind the request: a live session (cookie), the CSRF header on writes, and
 * at least one of any_of_roles (a mask of 1u << enum officer_role; 0 = any officer).
 * Returns 0 with *o filled, or -1 after answering (401, 403).
 */
int api_officer(struct http_req *r, unsigned any_of_roles, struct officer *o);

/*
 * One workflow action by an actor without an officer session (actor_roles: ACTOR_APPLICANT,
 * ACTOR_SYSTEM; actor_name goes to the history), through the officers' own path: the state
 * machine, the clock, the history. Only actions that need no officer's input. Runs inside
 * the caller's open transaction (it locks the dossier row; the caller commits). Answers
 * nothing. Returns 0 done; 1 if the dossier does not exist or the workflow refuses it
 * (*verdict: an enum wf_verdict, WF_OK for a missing dossier); <0 a DB_ERR* code.
 */
int api_dossier_act(struct http_req *r, const char *code, int action, unsigned actor_roles,
                    const char *actor_name, const char *note, int *verdict);

/* The dossier whose code is the URL's first segment (any case), when pin is its receipt
 * secret (api/payments.c): its id, state and code as stored. 0, or -1 after answering
 * (400 not a code; 404 unknown code or wrong secret, alike). */
int api_tracked_with_pin(struct http_req *r, const char *pin, size_t pin_len, long long *id,
                         char state[24], char code[49]);

/* Shared answers. */
void api_db_error(struct http_req *r, int rc);
/* People copy codes by hand: the path's first segment (a dossier or feedback code) in
 * upper case, so "000.00.20.h12-…" finds the same dossier. */
void api_code_upper(struct http_req *r);
/* {"code","label_vi","label_en"} and {"code","name"} objects. */
struct json_object *api_labelled(const char *code, const char *vi, const char *en);
struct json_object *api_code_name(const char *code, const char *name);
struct dossier_document;
/* One document of a dossier, as both the tracking page and the officer's page show it. */
struct json_object *api_document_json(const struct dossier_document *doc);
/* The receipt secret: API_PIN_LEN characters from an alphabet without look-alikes
 * (api/dossiers.c); out needs API_PIN_LEN + 1 bytes. 0, or -1 if the RNG failed. */
#define API_PIN_LEN 10
int api_make_pin(char out[API_PIN_LEN + 1]);
/* A new receipt secret with its salt and SHA-256(salt || pin), as dossiers store them. */
int api_new_secret(char pin[API_PIN_LEN + 1], unsigned char salt[16], unsigned char hash[32]);
/* 1 if SHA-256(salt || pin) is hash, in constant time (api/tracking.c). */
int api_pin_matches(const unsigned char salt[16], const unsigned char hash[32],
                    const char *pin, size_t len);
/* Adds key: ISO 8601 (+07:00) of a UTC DB datetime text, or null. */
void api_put_time(struct json_object *o, const char *key, const char *db_utc);

#endif
