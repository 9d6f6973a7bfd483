/* util: allocation that aborts in one place, a growable string buffer, and
 * conversions the simulator's hot loops use.
 * Every module allocates through these so that out-of-memory ends the
 * program through a single path (which the TUI hooks to restore the
 * terminal first). */
#ifndef COSTCAP_CORE_UTIL_H
#define COSTCAP_CORE_UTIL_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* floor(x), through a conversion to an integer where x is non-negative
 * and fits (floor() is a library call on plain x86-64): the same double. */
static inline double floor_fast(double x)
{
	return x >= 0 && x < 9e18 ? (double)(int64_t)x : floor(x);
}

/* A whole non-negative double as an unsigned integer, and (double)x: the
 * signed conversions are one instruction where the unsigned ones are a
 * sequence; the same values. */
static inline uint64_t d2u(double x)
{
	return x < 9.2e18 ? (uint64_t)(int64_t)x : (uint64_t)x;
}

static inline double u2d(uint64_t x)
{
	return x < ((uint64_t)1 << 63) ? (double)(int64_t)x : (double)x;
}

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
