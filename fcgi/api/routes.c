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
	{ NULL, NULL, NULL },
};
