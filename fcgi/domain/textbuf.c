#include <stdarg.h>
#include <stdio.h>

#include "textbuf.h"

void textbuf_add(struct textbuf *t, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (t->overflow)
		return;
	va_start(ap, fmt);
	w = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= t->cap - t->len) {
		t->overflow = 1;
		t->p[t->len] = '\0';
		return;
	}
	t->len += (size_t)w;
}
