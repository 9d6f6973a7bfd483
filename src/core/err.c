#include "err.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util.h"

/* Messages quote text from the input, which may be hostile: control
 * characters (a terminal escape sequence, a line break forging a second
 * diagnostic) and bytes that are not UTF-8 become '?', and a message longer than ERR_MAX_MSG bytes (a megabyte-long
 * name echoed back) is cut at a UTF-8 character boundary and ends in
 * "...". */
#define ERR_MAX_MSG 4096

static void tidy(struct sbuf *b)
{
	size_t i;

	if (b->len > ERR_MAX_MSG) {
		size_t n = ERR_MAX_MSG;

		while (n > 0 && ((unsigned char)b->buf[n] & 0xC0) == 0x80)
			n--;	/* do not split a UTF-8 sequence */
		b->len = n;
		b->buf[n] = '\0';
		sbuf_add(b, "...");
	}
	for (i = 0; i < b->len;) {
		unsigned char c = (unsigned char)b->buf[i];
		size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 :
			   c >= 0xF0 && c <= 0xF4 ? 4 : 0, k;

		for (k = 1; n && k < n; k++)
			if (i + k >= b->len || ((unsigned char)b->buf[i + k] & 0xC0) != 0x80)
				n = 0;
		/* C0 and C1 controls (U+0080..U+009F is C2 80..C2 9F) and
		 * bytes that are not UTF-8 become '?'. */
		if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7f)) ||
		    (n == 2 && c == 0xC2 && (unsigned char)b->buf[i + 1] < 0xA0)) {
			b->buf[i++] = '?';
			continue;
		}
		i += n;
	}
}

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
	tidy(&b);
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
