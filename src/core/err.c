#include "err.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util.h"

void err_add(struct err *e, const char *file, int line, int col, const char *fmt, ...)
{
	struct diag *d;
	struct sbuf b = {0};
	va_list ap;

	xgrow(&e->v, &e->cap, e->n + 1, sizeof *e->v);
	d = &e->v[e->n++];
	d->file = file ? xstrdup(file) : NULL;
	d->line = line;
	d->col = col;
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	d->msg = sbuf_take(&b);
}

char *err_format(const struct err *e, size_t i)
{
	const struct diag *d = &e->v[i];
	struct sbuf b = {0};

	if (d->file) {
		sbuf_add(&b, d->file);
		if (d->line > 0) {
			sbuf_printf(&b, ":%d", d->line);
			if (d->col > 0)
				sbuf_printf(&b, ":%d", d->col);
		}
		sbuf_add(&b, ": ");
	}
	sbuf_add(&b, d->msg);
	return sbuf_take(&b);
}

void err_clear(struct err *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->v[i].file);
		free(e->v[i].msg);
	}
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}
