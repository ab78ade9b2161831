#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static enum log_level current = LOG_LVL_INFO;
static const char *const names[LOG_LVL__MAX] = { "error", "warn", "info", "debug" };

void log_set_level(enum log_level l)
{
	current = l;
}

int log_level_from_name(const char *name)
{
	for (int i = 0; i < LOG_LVL__MAX; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	char line[1024];
	size_t n;
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (l > current)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ", &tm);
	n += (size_t)snprintf(line + n, sizeof line - n, " [%d] %s: ", (int)getpid(), names[l]);
	if (n < sizeof line) {
		va_start(ap, fmt);
		vsnprintf(line + n, sizeof line - n, fmt, ap);
		va_end(ap);
	}
	n = strlen(line);
	if (n >= sizeof line - 1)
		n = sizeof line - 2;
	line[n++] = '\n';
	/* one write() per line keeps lines from different threads whole */
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}
