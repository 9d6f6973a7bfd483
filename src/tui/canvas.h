/* canvas: the TUI's virtual screen: a grid of character cells, each a
 * Unicode code point with a semantic attribute (title, selected, bad, ...).
 * draw.c renders the application state into a canvas; the curses front
 * end copies it to the terminal (mapping attributes to colours, or to
 * bold/reverse in monochrome) and the scripted mode dumps it as text, so
 * the tests see exactly what the terminal shows. No curses here.
 *
 * Every glyph the TUI draws is one column wide. When the canvas is not
 * in UTF-8 mode, the few non-ASCII glyphs used (blocks, box lines, arrows)
 * are replaced by ASCII look-alikes when drawn, and any other non-ASCII
 * character by '?'. */
#ifndef COSTCAP_TUI_CANVAS_H
#define COSTCAP_TUI_CANVAS_H

#include <stdbool.h>
#include <stdint.h>

struct sbuf;

/* What a cell means; the front end picks the look. */
enum cattr {
	CA_NORMAL,
	CA_TITLE,	/* the title bar */
	CA_HEADER,	/* column headings, section titles */
	CA_SELECTED,	/* the selected row */
	CA_DIM,		/* secondary text, stale figures */
	CA_GOOD,	/* decreases in cost, admitted traffic */
	CA_BAD,		/* increases in cost, throttling */
	CA_WARN,	/* capacity lines, limits */
	CA_CHANGED,	/* a setting that differs from the baseline */
	CA_KEY,		/* key names in the hints bar */
	CA_BAR,		/* chart bars (admitted, consumed) */
	CA_BAR_BAD,	/* chart bars (throttled) */
	CA_LINE,	/* chart lines (capacity, limit) */
	CA_ERROR,	/* the status line holding an error */
	CA_INPUT,	/* the text being typed in a prompt */
	CA_COUNT
};

struct cell {
	uint32_t ch;	/* Unicode code point */
	uint8_t attr;	/* enum cattr */
};

struct canvas {
	int w, h;
	bool utf8;	/* false: draw ASCII look-alikes */
	struct cell *cells;	/* h rows of w cells */
};

/* Returns a new blank canvas of w x h cells (both at least 1); free with
 * canvas_free. */
struct canvas *canvas_new(int w, int h, bool utf8);
void canvas_free(struct canvas *c);
/* Changes the size and blanks every cell. */
void canvas_resize(struct canvas *c, int w, int h);
/* Blanks every cell. */
void canvas_clear(struct canvas *c);

/* The cell at (x, y), or NULL when outside. */
struct cell *canvas_at(struct canvas *c, int x, int y);
/* Puts one glyph; ignored outside the canvas. */
void canvas_put(struct canvas *c, int x, int y, uint32_t ch, enum cattr a);
/* Draws UTF-8 text from (x, y), at most 'maxw' columns (maxw < 0: to the
 * right edge). Returns the columns drawn. */
int canvas_text(struct canvas *c, int x, int y, int maxw, enum cattr a, const char *s);
/* Like canvas_text, with printf formatting. */
int canvas_printf(struct canvas *c, int x, int y, int maxw, enum cattr a, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Draws text right-aligned so that it ends just before column x_end. */
int canvas_rtext(struct canvas *c, int x_end, int y, enum cattr a, const char *s);
/* Fills w cells of row y from x with glyph ch. */
void canvas_fill(struct canvas *c, int x, int y, int w, uint32_t ch, enum cattr a);
/* Sets the attribute of w cells of row y from x, keeping their glyphs. */
void canvas_attr(struct canvas *c, int x, int y, int w, enum cattr a);

/* Columns the UTF-8 string takes (one per code point). */
int canvas_width(const char *s);

/* Appends the canvas as UTF-8 text, one line per row, trailing blanks
 * removed. */
void canvas_dump(const struct canvas *c, struct sbuf *out);

#endif
