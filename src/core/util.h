/* util: allocation that aborts in one place, a growable string buffer, and
 * conversions the simulator's hot loops use.
 * Every module allocates through these so that out-of-memory ends the
 * program through a single path (which the TUI hooks to restore the
 * terminal first). */
#ifndef COSTCAP_CORE_UTIL_H
#define COSTCAP_CORE_UTIL_H

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* Columns of counts, two at a time with SSE2 where it can: a count below
 * 2^52 is the double whose bits are those of 2^52 with the count in the
 * mantissa, less 2^52 (exact), so no per-count conversion is needed. */

/* The sum of v[0..n) (the exact one, as sums of the halves: they do not
 * wrap below 2^32 counts); false when it is 2^64 or more. */
static inline bool sum_u64(const uint64_t *v, size_t n, uint64_t *sum)
{
	uint64_t lo = 0, hi = 0, t;
	size_t j = 0;

#ifdef __SSE2__
	__m128i l2 = _mm_setzero_si128(), h2 = l2, m32 = _mm_set1_epi64x(0xFFFFFFFF);

	for (; j + 2 <= n; j += 2) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(v + j));

		l2 = _mm_add_epi64(l2, _mm_and_si128(x, m32));
		h2 = _mm_add_epi64(h2, _mm_srli_epi64(x, 32));
	}
	{
		uint64_t a[2], b[2];

		_mm_storeu_si128((__m128i *)(void *)a, l2);
		_mm_storeu_si128((__m128i *)(void *)b, h2);
		lo = a[0] + a[1];
		hi = b[0] + b[1];
	}
#endif
	for (; j < n; j++) {
		lo += v[j] & 0xFFFFFFFF;
		hi += v[j] >> 32;
	}
	/* sum = hi 2^32 + lo */
	hi += lo >> 32;
	if (n >= ((size_t)1 << 32) || hi >> 32)
		return false;
	t = (hi << 32) | (lo & 0xFFFFFFFF);
	*sum = t;
	return true;
}

/* Whether every v[0..n) is below 2^52. */
static inline bool below_2p52(const uint64_t *v, size_t n)
{
	uint64_t o = 0;
	size_t j = 0;

#ifdef __SSE2__
	__m128i o2 = _mm_setzero_si128();

	for (; j + 2 <= n; j += 2)
		o2 = _mm_or_si128(o2, _mm_loadu_si128((const __m128i *)(const void *)(v + j)));
	{
		uint64_t a[2];

		_mm_storeu_si128((__m128i *)(void *)a, o2);
		o = a[0] | a[1];
	}
#endif
	for (; j < n; j++)
		o |= v[j];
	return o >> 52 == 0;
}

/* x[j] = u2d(v[j]) for j < n and *tot their sum, in one pass, when every
 * count is below 2^52 and n below 2^12 (so the sum does not wrap);
 * otherwise false, x and *tot left undefined. */
static inline bool u2d_column_sum(const uint64_t *v, size_t n, double *x, uint64_t *tot)
{
	uint64_t o = 0, t = 0;
	size_t j = 0;

	if (n >= 4096)
		return false;
#ifdef __SSE2__
	{
		const __m128i bits = _mm_set1_epi64x(0x4330000000000000);
		const __m128d two52 = _mm_set1_pd(0x1p52);
		__m128i o2 = _mm_setzero_si128(), t2 = o2;
		uint64_t a[2], b[2];

		for (; j + 2 <= n; j += 2) {
			__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(v + j));

			o2 = _mm_or_si128(o2, c);
			t2 = _mm_add_epi64(t2, c);
			_mm_storeu_pd(x + j, _mm_sub_pd(_mm_castsi128_pd(_mm_or_si128(c, bits)), two52));
		}
		_mm_storeu_si128((__m128i *)(void *)a, o2);
		_mm_storeu_si128((__m128i *)(void *)b, t2);
		o = a[0] | a[1];
		t = b[0] + b[1];
	}
#endif
	for (; j < n; j++) {
		o |= v[j];
		t += v[j];
		x[j] = u2d(v[j]);
	}
	*tot = t;
	return o >> 52 == 0;
}

/* y[j] += u2d(v[j]) * a for j < n: each a product, then a sum, as
 * written; with 'first', y[j] = u2d(v[j]) * a (what the sum gives from
 * y[j] = +0 when the product is not -0: a and the counts non-negative). */
static inline void add_u2d_times(double *y, const uint64_t *v, size_t n, double a, bool first)
{
	size_t j = 0;

#ifdef __SSE2__
	if (below_2p52(v, n)) {
		const __m128i bits = _mm_set1_epi64x(0x4330000000000000);
		const __m128d two52 = _mm_set1_pd(0x1p52), a2 = _mm_set1_pd(a);

		if (first) {
			for (; j + 2 <= n; j += 2) {
				__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(v + j));
				__m128d d = _mm_sub_pd(_mm_castsi128_pd(_mm_or_si128(c, bits)), two52);

				_mm_storeu_pd(y + j, _mm_mul_pd(d, a2));
			}
		} else {
			for (; j + 2 <= n; j += 2) {
				__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(v + j));
				__m128d d = _mm_sub_pd(_mm_castsi128_pd(_mm_or_si128(c, bits)), two52);

				_mm_storeu_pd(y + j, _mm_add_pd(_mm_loadu_pd(y + j), _mm_mul_pd(d, a2)));
			}
		}
	}
#endif
	for (; j < n; j++)
		y[j] = first ? u2d(v[j]) * a : y[j] + u2d(v[j]) * a;
}

/* Starts fn(arg) on a new thread with every signal blocked in it, so that
 * signals keep going to the calling thread. Returns pthread_create's
 * result (0, or an error number: then no thread runs). */
int util_thread_start(pthread_t *th, void *(*fn)(void *), void *arg);

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
