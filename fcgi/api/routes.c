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
	{ NULL, NULL, NULL },
};
