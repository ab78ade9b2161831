/* The API's routes: the one place that says which URL reaches which handler. */
#include <stddef.h>

#include "core/router.h"
#include "api.h"

const struct route api_routes[] = {
	{ "GET", "/api/v1/ping", api_ping },
	{ "GET", "/api/v1/health", api_health },
	{ "GET", "/api/v1/fields", api_fields },
	{ "GET", "/api/v1/units", api_units },
	{ "GET", "/api/v1/procedures", api_procedures },
	{ "GET", "/api/v1/procedures/*", api_procedure },
	{ "GET", "/api/v1/tracking/*", api_tracking },
	{ "POST", "/api/v1/auth/login", api_login },
	{ "POST", "/api/v1/auth/logout", api_logout },
	{ "GET", "/api/v1/auth/me", api_me },
	{ "GET", "/api/v1/officers", api_officers },
	{ "POST", "/api/v1/officers", api_officer_create },
	{ "PATCH", "/api/v1/officers/*", api_officer_update },
	{ "GET", "/api/v1/dossiers", api_dossiers },
	{ "POST", "/api/v1/dossiers", api_dossier_receive },
	{ "GET", "/api/v1/dossiers/*", api_dossier },
	{ "POST", "/api/v1/dossiers/*/actions/*", api_dossier_action },
	{ "GET", "/api/v1/dossiers/*/history", api_dossier_history },
	{ "POST", "/api/v1/dossiers/*/receipt", api_dossier_receipt },
	{ "GET", "/api/v1/dossiers/*/control-sheet.pdf", api_dossier_control_sheet },
	{ "GET", "/api/v1/calendar/due-date", api_calendar_due },
	{ "GET", "/api/v1/calendar/days", api_calendar_days },
	{ "PUT", "/api/v1/calendar/days/*", api_calendar_day_put },
	{ "DELETE", "/api/v1/calendar/days/*", api_calendar_day_delete },
	{ "GET", "/api/v1/calendar/jobs/*", api_calendar_job },
	{ NULL, NULL, NULL },
};
