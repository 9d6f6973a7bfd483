/* util: allocation that aborts in one place, and a growable string buffer.
 * Every module allocates through these so that out-of-memory ends the
 * program through a single path (which the TUI hooks to restore the
 * terminal first). */
#ifndef COSTCAP_CORE_UTIL_H
#define COSTCAP_CORE_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Called before aborting on allocation failure; the TUI sets it to end
 * curses mode. NULL means no hook. */
extern void (*util_fatal_hook)(void);

/* Prints a message to stderr, runs util_fatal_hook and exits with status 3.
 * This and main.c are the only places that end the program. */
void util_fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array *p of *cap elements of 'size' bytes so that it holds at
 * least 'need' elements; doubles, so amortised O(1) per append. */
void xgrow(void *pp, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a new string formatted like printf; free with free(). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable NUL-terminated byte buffer. Zero-initialise, then append. */
struct sbuf {
	char *buf;
	size_t len, cap;
};
void sbuf_add(struct sbuf *b, const char *s);
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap);
/* Returns the buffer's string (never NULL) and leaves 'b' empty; the
 * caller owns the string. */
char *sbuf_take(struct sbuf *b);
void sbuf_free(struct sbuf *b);

/* Levenshtein distance between a and b, capped at 'cap' (returns cap when
 * the distance is at least cap). Used for "did you mean" suggestions. */
int util_edit_distance(const char *a, const char *b, int cap);

#endif
