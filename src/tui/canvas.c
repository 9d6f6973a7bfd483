#include "canvas.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

struct canvas *canvas_new(int w, int h, bool utf8)
{
	struct canvas *c = xcalloc(1, sizeof *c);

	c->utf8 = utf8;
	canvas_resize(c, w, h);
	return c;
}

void canvas_free(struct canvas *c)
{
	if (!c)
		return;
	free(c->cells);
	free(c);
}

void canvas_resize(struct canvas *c, int w, int h)
{
	c->w = w < 1 ? 1 : w;
	c->h = h < 1 ? 1 : h;
	free(c->cells);
	c->cells = xcalloc((size_t)c->w * (size_t)c->h, sizeof *c->cells);
	canvas_clear(c);
}

void canvas_clear(struct canvas *c)
{
	size_t i, n = (size_t)c->w * (size_t)c->h;

	for (i = 0; i < n; i++) {
		c->cells[i].ch = ' ';
		c->cells[i].attr = CA_NORMAL;
	}
}

struct cell *canvas_at(struct canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return NULL;
	return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

/* ASCII look-alikes of the non-ASCII glyphs the TUI draws. */
static uint32_t ascii_glyph(uint32_t ch)
{
	static const struct {
		uint32_t u;
		char a;
	} map[] = {
		{0x2581, '.'}, {0x2582, '.'}, {0x2583, '.'}, {0x2584, '.'},
		{0x2585, ':'}, {0x2586, ':'}, {0x2587, ':'}, {0x2588, '#'},
		{0x2591, 'x'}, {0x2500, '-'}, {0x2502, '|'}, {0x2524, '|'},
		{0x251c, '|'}, {0x2514, '+'}, {0x25b8, '>'}, {0x25b2, '^'},
		{0x25bc, 'v'}, {0x00d7, 'x'}, {0x0394, 'd'}, {0x00b7, '-'},
		{0x2026, '~'}, {0x2013, '-'}, {0x2014, '-'}, {0x2190, '<'}, {0x2191, '^'}, {0x2192, '>'},
		{0x2193, 'v'}, {0x2022, '*'}, {0x25cf, '*'}, {0x2261, '='},
	};
	size_t i;

	if (ch < 0x80)
		return ch;
	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].u == ch)
			return (uint32_t)map[i].a;
	return '?';
}

void canvas_put(struct canvas *c, int x, int y, uint32_t ch, enum cattr a)
{
	struct cell *cl = canvas_at(c, x, y);

	if (!cl)
		return;
	if (ch < 0x20 || ch == 0x7f)
		ch = '?';
	cl->ch = c->utf8 ? ch : ascii_glyph(ch);
	cl->attr = (uint8_t)a;
}

/* Decodes one UTF-8 sequence at *s and advances; invalid bytes give
 * U+FFFD and advance by one. */
static uint32_t utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t cp;
	int n, i;

	if (p[0] < 0x80) {
		*s += 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		cp = p[0] & 0x1f;
		n = 1;
	} else if ((p[0] & 0xf0) == 0xe0) {
		cp = p[0] & 0x0f;
		n = 2;
	} else if ((p[0] & 0xf8) == 0xf0) {
		cp = p[0] & 0x07;
		n = 3;
	} else {
		*s += 1;
		return 0xfffd;
	}
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*s += 1;
			return 0xfffd;
		}
		cp = cp << 6 | (p[i] & 0x3f);
	}
	*s += n + 1;
	return cp;
}

int canvas_width(const char *s)
{
	int n = 0;

	while (*s) {
		utf8_next(&s);
		n++;
	}
	return n;
}

int canvas_text(struct canvas *c, int x, int y, int maxw, enum cattr a, const char *s)
{
	int n = 0;

	if (maxw < 0)
		maxw = c->w - x;
	while (*s && n < maxw) {
		uint32_t ch = utf8_next(&s);

		canvas_put(c, x + n, y, ch, a);
		n++;
	}
	return n;
}

int canvas_printf(struct canvas *c, int x, int y, int maxw, enum cattr a, const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;
	int n;

	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	n = canvas_text(c, x, y, maxw, a, b.buf ? b.buf : "");
	sbuf_free(&b);
	return n;
}

int canvas_rtext(struct canvas *c, int x_end, int y, enum cattr a, const char *s)
{
	int w = canvas_width(s);

	return canvas_text(c, x_end - w, y, w, a, s);
}

void canvas_fill(struct canvas *c, int x, int y, int w, uint32_t ch, enum cattr a)
{
	int i;

	for (i = 0; i < w; i++)
		canvas_put(c, x + i, y, ch, a);
}

void canvas_attr(struct canvas *c, int x, int y, int w, enum cattr a)
{
	int i;

	for (i = 0; i < w; i++) {
		struct cell *cl = canvas_at(c, x + i, y);

		if (cl)
			cl->attr = (uint8_t)a;
	}
}

static void add_utf8(struct sbuf *o, uint32_t cp)
{
	char b[4];

	if (cp < 0x80) {
		sbuf_addc(o, (char)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		sbuf_addn(o, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		sbuf_addn(o, b, 3);
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		sbuf_addn(o, b, 4);
	}
}

void canvas_dump(const struct canvas *c, struct sbuf *out)
{
	int x, y, end;

	for (y = 0; y < c->h; y++) {
		const struct cell *row = &c->cells[(size_t)y * (size_t)c->w];

		for (end = c->w; end > 0 && row[end - 1].ch == ' '; end--)
			;
		for (x = 0; x < end; x++)
			add_utf8(out, row[x].ch);
		sbuf_addc(out, '\n');
	}
}
