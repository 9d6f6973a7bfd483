/* The wide form's quick path and its second thread (io/trace_csv.c).
 * Generated wide files, clean or with problems on random lines, are
 * loaded on one thread and on two (trace_csv_threads): the traces, or
 * every message with its FILE:LINE:COL, must be the same, and clean
 * files must give back the counts written. The problems are the ones the
 * quick path leaves to the careful one (blanks, quotes, comments, bad
 * counts and times, lines out of order, NUL bytes, long counts), so both
 * paths and the hand-over between the two threads are exercised. Nothing
 * here measures time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/trace.h"
#include "core/util.h"
#include "io/trace_csv.h"
#include "testutil.h"

/* 2026-11-01T00:00:00Z in seconds since 1970 (date -u -d 2026-11-01 +%s). */
#define NOV1 1793491200LL

static unsigned rnd(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}


static void print_errs(const char *what, const struct err *e)
{
	size_t i;

	fprintf(stderr, "%s:\n", what);
	for (i = 0; i < e->n; i++) {
		char *s = err_format(e, i);

		fprintf(stderr, "  %s\n", s);
		free(s);
	}
}

/* Asserts that loading with 'how' gave what the first way did (rc1, e,
 * t1): the same trace, or the same messages in the same order. */
static void same_load(const char *path, const char *how, int rc1, const struct err *e, const struct trace *t1,
		      int rc2, const struct err *e2, const struct trace *t2)
{
	size_t i;

	if (rc1 != rc2 || e->n != e2->n) {
		print_errs("one thread, row by row", e);
		print_errs(how, e2);
		fail_msg("%s: one thread row by row %d (%zu messages), %s %d (%zu)", path, rc1, e->n, how,
			 rc2, e2->n);
	}
	for (i = 0; i < e->n; i++) {
		char *a = err_format(e, i), *b = err_format(e2, i);

		if (strcmp(a, b) != 0)
			fail_msg("message #%zu:\n  row by row %s\n  %s %s", i, a, how, b);
		free(a);
		free(b);
	}
	if (rc1 < 0) {
		assert_null(t1);
		assert_null(t2);
		return;
	}
	assert_int_equal(t1->nstreams, t2->nstreams);
	assert_int_equal(t1->nbuckets, t2->nbuckets);
	assert_int_equal(t1->step_s, t2->step_s);
	for (i = 0; i < t1->nstreams; i++) {
		assert_string_equal(t1->names[i], t2->names[i]);
		assert_int_equal(t1->totals[i], t2->totals[i]);
	}
	assert_memory_equal(t1->counts, t2->counts, t1->nbuckets * t1->nstreams * sizeof *t1->counts);
	assert_true(isnan(t1->start_epoch) ? isnan(t2->start_epoch) : t1->start_epoch == t2->start_epoch);
}

/* Loads 'path' on one thread reading row by row (no AVX2 runs), then on
 * one thread and on two with the runs (where the CPU has AVX2), and on
 * two row by row, and
 * asserts the same outcome each time: the same trace, or the same
 * messages in the same order. Returns the first trace (trace_free) or
 * NULL, and its messages in *e (err_clear). */
static struct trace *load_both(const char *path, uint32_t step, struct err *e)
{
	static const struct {
		int threads;
		bool block;
		const char *how;
	} ways[] = {{1, true, "one thread, AVX2 runs"}, {2, true, "two threads, AVX2 runs"},
		    {2, false, "two threads, row by row"}};
	struct trace *t1 = NULL;
	int rc1;
	size_t w;

	trace_csv_threads = 1;
	trace_csv_block_rows = false;
	rc1 = trace_load(path, step, &t1, e);
	for (w = 0; w < sizeof ways / sizeof ways[0]; w++) {
		struct err e2 = {0};
		struct trace *t2 = NULL;
		int rc2;

		trace_csv_threads = ways[w].threads;
		trace_csv_block_rows = ways[w].block;
		rc2 = trace_load(path, step, &t2, &e2);
		same_load(path, ways[w].how, rc1, e, t1, rc2, &e2, t2);
		trace_free(t2);
		err_clear(&e2);
	}
	trace_csv_threads = 0;
	trace_csv_block_rows = true;
	return rc1 < 0 ? NULL : t1;
}

/* ---- generated files ------------------------------------------------------- */

enum tkind { T_SECONDS, T_MINUTES, T_ISO };

enum problem {
	P_NONE, P_BLANK_LINE, P_COMMENT, P_BLANKS, P_QUOTED, P_BAD_COUNT, P_NEGATIVE,
	P_FRACTION, P_EMPTY, P_TOO_LARGE, P_BACKWARDS, P_TWICE, P_OTHER_TIME, P_NUL,
	P_FIELDS, P_LONG_COUNT, P_ZEROS, P_TIME_POINT, P_TIME_BLANK, P_CR, P_NKINDS
};

struct gen {
	size_t n, rows;
	enum tkind tk;
	unsigned gap;		/* seconds (minutes for T_MINUTES) between rows */
	bool irregular;		/* some gaps of 2 or 3 steps */
	unsigned maxdig;	/* counts of 1..maxdig digits (most of 1..3) */
	bool crlf, last_nl, bom;
	size_t nprob;
	size_t prob_row[4];	/* problem p on data row prob_row[p] */
	enum problem prob[4];
};

static void put_time(struct sbuf *b, const struct gen *g, uint64_t units)
{
	char tb[48];

	if (g->tk == T_ISO) {
		trace_format_iso(NOV1 + (int64_t)units, tb);
		sbuf_add(b, tb);
	} else {
		sbuf_printf(b, "%" PRIu64, units);
	}
}

static enum problem problem_at(const struct gen *g, size_t r)
{
	size_t i;

	for (i = 0; i < g->nprob; i++)
		if (g->prob_row[i] == r)
			return g->prob[i];
	return P_NONE;
}

/* Writes the file for g into b; want[r * n + s] gets the count written
 * (meaningful for files without problems). */
static void gen_file(struct sbuf *b, const struct gen *g, uint32_t *want, unsigned *seed)
{
	const char *eol = g->crlf ? "\r\n" : "\n";
	uint64_t t = 0, prev = 0;
	size_t r, s;

	if (g->bom)
		sbuf_add(b, "\xEF\xBB\xBF");
	sbuf_add(b, g->tk == T_MINUTES ? "minutes" : "time");
	for (s = 0; s < g->n; s++)
		sbuf_printf(b, ",s%zu", s);
	sbuf_add(b, eol);
	for (r = 0; r < g->rows; r++) {
		enum problem p = problem_at(g, r);
		size_t bad_s = rnd(seed) % g->n;

		prev = t;
		if (r > 0)
			t += g->gap * (g->irregular && rnd(seed) % 5 == 0 ? 2 + rnd(seed) % 2 : 1);
		if (p == P_BLANK_LINE)
			sbuf_add(b, rnd(seed) % 2 ? "  \t" : "");
		if (p == P_BLANK_LINE || p == P_COMMENT) {
			if (p == P_COMMENT)
				sbuf_add(b, "# a comment, 1,2,3");
			sbuf_add(b, eol);
		}
		if (p == P_TIME_BLANK)
			sbuf_addc(b, ' ');
		if (p == P_OTHER_TIME && g->tk == T_ISO)
			sbuf_printf(b, "%" PRIu64, t);
		else if (p == P_OTHER_TIME)
			sbuf_add(b, "2026-11-01T00:00:00Z");
		else if (p == P_BACKWARDS && prev > 0)
			put_time(b, g, prev - 1);
		else if (p == P_TWICE && r > 0)
			put_time(b, g, prev);
		else
			put_time(b, g, t);
		if (p == P_TIME_POINT && g->tk != T_ISO)
			sbuf_add(b, ".000");
		for (s = 0; s < g->n; s++) {
			unsigned digits = rnd(seed) % 8 ? 1 + rnd(seed) % 3 : 1 + rnd(seed) % g->maxdig;
			uint64_t v = 0;
			unsigned d;

			for (d = 0; d < digits; d++)
				v = v * 10 + rnd(seed) % 10;
			if (v > UINT32_MAX)
				v %= UINT32_MAX;
			want[r * g->n + s] = (uint32_t)v;
			sbuf_addc(b, ',');
			if (s != bad_s || p == P_NONE) {
				sbuf_printf(b, "%" PRIu64, v);
				continue;
			}
			switch (p) {
			case P_BLANKS:
				sbuf_printf(b, " %" PRIu64 "\t", v);
				break;
			case P_QUOTED:
				sbuf_printf(b, "\"%" PRIu64 "\"", v);
				break;
			case P_BAD_COUNT:
				sbuf_add(b, "x1");
				break;
			case P_NEGATIVE:
				sbuf_add(b, "-4");
				break;
			case P_FRACTION:
				sbuf_add(b, "2.5");
				break;
			case P_EMPTY:
				break;
			case P_TOO_LARGE:
				sbuf_add(b, "4294967296");
				break;
			case P_NUL:
				sbuf_addn(b, "1\0" "2", 3);
				break;
			case P_FIELDS:
				if (rnd(seed) % 2)
					sbuf_add(b, "1,2");
				else
					b->len--;	/* drop the comma: one field short */
				break;
			case P_LONG_COUNT:
				want[r * g->n + s] = 4000000000u + (uint32_t)v % 1000;
				sbuf_printf(b, "%" PRIu32, want[r * g->n + s]);
				break;
			case P_ZEROS:
				sbuf_printf(b, "000%" PRIu64, v);
				break;
			case P_CR:
				sbuf_printf(b, "%" PRIu64 "\r", v);
				break;
			default:
				sbuf_printf(b, "%" PRIu64, v);
				break;
			}
		}
		if (r + 1 < g->rows || g->last_nl)
			sbuf_add(b, eol);
	}
}

/* Whether a problem leaves the file valid (the careful path reads it). */
static bool harmless(enum problem p)
{
	return p == P_NONE || p == P_BLANK_LINE || p == P_COMMENT || p == P_BLANKS ||
	       p == P_QUOTED || p == P_LONG_COUNT || p == P_ZEROS || p == P_TIME_POINT ||
	       p == P_TIME_BLANK;
}

static void random_gen(struct gen *g, unsigned *seed, size_t nprob)
{
	size_t i;

	memset(g, 0, sizeof *g);
	g->n = 1 + rnd(seed) % (rnd(seed) % 4 ? 9 : 24);
	g->rows = 2 + rnd(seed) % (rnd(seed) % 3 ? 400 : 3000);
	g->tk = (enum tkind)(rnd(seed) % 3);
	g->gap = rnd(seed) % 3 ? 1 : 1 + rnd(seed) % 9;
	g->irregular = rnd(seed) % 4 == 0;
	g->maxdig = rnd(seed) % 3 ? 4 : 1 + rnd(seed) % 10;
	g->crlf = rnd(seed) % 4 == 0;
	g->last_nl = rnd(seed) % 4 != 0;
	g->bom = rnd(seed) % 8 == 0;
	g->nprob = nprob;
	for (i = 0; i < nprob; i++) {
		g->prob_row[i] = rnd(seed) % g->rows;
		g->prob[i] = (enum problem)(1 + rnd(seed) % (P_NKINDS - 1));
	}
}

/* Clean files (and files with harmless oddities read by the careful
 * path) give the counts written, the same on one thread and two. */
static void clean_files(void **state)
{
	unsigned seed = 20261101;
	int round;

	(void)state;
	for (round = 0; round < 150; round++) {
		struct sbuf b = {0};
		struct err e = {0};
		struct trace *t;
		struct gen g;
		uint32_t *want;
		size_t r, s;
		char *path;

		random_gen(&g, &seed, round % 3 ? 0 : 1 + round % 4);
		for (r = 0; r < g.nprob; r++)
			if (!harmless(g.prob[r]) || (g.prob[r] == P_TIME_POINT && g.tk == T_ISO))
				g.prob[r] = P_QUOTED;
		want = xmalloc(g.rows * g.n * sizeof *want);
		gen_file(&b, &g, want, &seed);
		path = tu_tmp_file(b.buf, b.len);
		t = load_both(path, 0, &e);
		if (!t) {
			print_errs(path, &e);
			fail_msg("round %d: a valid file was refused", round);
		}
		if (!g.irregular) {
			assert_int_equal(t->nbuckets, g.rows);
			for (r = 0; r < g.rows; r++)
				for (s = 0; s < g.n; s++)
					if (t->counts[r * g.n + s] != want[r * g.n + s])
						fail_msg("round %d row %zu stream %zu: %u, want %u", round,
							 r, s, t->counts[r * g.n + s], want[r * g.n + s]);
		}
		trace_free(t);
		err_clear(&e);
		tu_rm_tmp(path);
		sbuf_free(&b);
		free(want);
	}
}

/* Files with problems anywhere: the same messages, in file order, with
 * one thread or two. */
static void files_with_problems(void **state)
{
	unsigned seed = 4242;
	int round;

	(void)state;
	for (round = 0; round < 300; round++) {
		struct sbuf b = {0};
		struct err e = {0};
		struct trace *t;
		struct gen g;
		uint32_t *want;
		char *path;

		random_gen(&g, &seed, 1 + (size_t)round % 4);
		want = xmalloc(g.rows * g.n * sizeof *want);
		gen_file(&b, &g, want, &seed);
		path = tu_tmp_file(b.buf, b.len);
		t = load_both(path, round % 5 == 0 ? 60 : 0, &e);
		trace_free(t);
		err_clear(&e);
		tu_rm_tmp(path);
		sbuf_free(&b);
		free(want);
	}
}

/* A problem in the second part of the file (read by the helper thread
 * when clean) is reported at its line; with another one in the first
 * part, that one comes first. */
static void first_error_first(void **state)
{
	struct sbuf b = {0};
	struct err e = {0};
	struct gen g;
	uint32_t *want;
	unsigned seed = 7;
	char *path, *s;

	(void)state;
	memset(&g, 0, sizeof g);
	g.n = 8;
	g.rows = 4000;
	g.tk = T_SECONDS;
	g.gap = 1;
	g.maxdig = 4;
	g.last_nl = true;
	g.nprob = 1;
	g.prob_row[0] = 3500;
	g.prob[0] = P_BAD_COUNT;
	want = xmalloc(g.rows * g.n * sizeof *want);
	gen_file(&b, &g, want, &seed);
	path = tu_tmp_file(b.buf, b.len);
	assert_null(load_both(path, 0, &e));
	assert_int_equal(e.n, 1);
	s = err_format(&e, 0);
	/* Data row 3500 is line 3502 (the header is line 1). */
	assert_non_null(strstr(s, ":3502:"));
	assert_non_null(strstr(s, "not a count: 'x1'"));
	free(s);
	err_clear(&e);
	tu_rm_tmp(path);
	sbuf_free(&b);

	g.nprob = 2;
	g.prob_row[1] = 10;
	g.prob[1] = P_NEGATIVE;
	seed = 7;
	gen_file(&b, &g, want, &seed);
	path = tu_tmp_file(b.buf, b.len);
	assert_null(load_both(path, 0, &e));
	assert_int_equal(e.n, 2);
	s = err_format(&e, 0);
	assert_non_null(strstr(s, ":12:"));
	assert_non_null(strstr(s, "negative count '-4'"));
	free(s);
	s = err_format(&e, 1);
	assert_non_null(strstr(s, ":3502:"));
	free(s);
	err_clear(&e);
	tu_rm_tmp(path);
	sbuf_free(&b);
	free(want);
}

/* Messages that name the line of an earlier row find it by reading the
 * rows again, and that reading may end past the cut while the loader
 * reads the first part (here the ISO time the loader refused hides the
 * rows after it, and the answer is the last row, as with one thread). */
static void earlier_line_past_the_cut(void **state)
{
	struct sbuf b = {0};
	struct err e = {0};
	char *path, *s;
	int r;

	(void)state;
	sbuf_add(&b, "time,a\n0,1\n1,1\n2026-11-01T00:00:00Z,1\n");
	for (r = 2; r < 3000; r++)
		sbuf_printf(&b, "%d,1\n", r == 4 ? 1 : r);
	sbuf_add(&b, "2026-11-02T00:00:00Z,1\n");
	path = tu_tmp_file(b.buf, b.len);
	assert_null(load_both(path, 0, &e));
	assert_int_equal(e.n, 3);
	s = err_format(&e, 1);
	assert_non_null(strstr(s, ":7:1: time goes backwards: 1 comes after 3 (line 3003)"));
	free(s);
	err_clear(&e);
	tu_rm_tmp(path);
	sbuf_free(&b);
}

/* The header of a wide file of n streams, c0, c1, ... */
static void put_header(struct sbuf *b, size_t n)
{
	size_t s;

	sbuf_add(b, "time");
	for (s = 0; s < n; s++)
		sbuf_printf(b, ",c%zu", s);
	sbuf_addc(b, '\n');
}

/* The cells are sized from the first row's length: a long first row and
 * short ones after it leave the helper without room, and it stops there,
 * or the loader itself must grow the cells while the helper runs (it
 * waits for it first); rows of 5..8 digits take the quick path's second
 * reader; rows longer than 64 bytes span blocks. */
static void sizes_and_room(void **state)
{
	static const unsigned ns[] = {1, 2, 3, 5, 8, 13, 30, 4};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		struct sbuf b = {0};
		struct err e = {0};
		struct trace *t;
		size_t r, s, n = ns[i], rows = 3000;
		char *path;

		put_header(&b, n);
		for (r = 0; r < rows; r++) {
			sbuf_printf(&b, "%zu", r);
			for (s = 0; s < n; s++) {
				if (r == 0 && i + 1 == sizeof ns / sizeof ns[0])
					sbuf_printf(&b, ",%0100u", 12345678u);	/* 100 digits */
				else if (r == 0)
					sbuf_printf(&b, ",%u", 12345678u);
				else if (r % 3 == 0)
					sbuf_printf(&b, ",%zu", (r * 7919 + s * 104729) % 100000000);
				else
					sbuf_printf(&b, ",%zu", (r + s) % 10);
			}
			sbuf_addc(&b, '\n');
		}
		path = tu_tmp_file(b.buf, b.len);
		t = load_both(path, 0, &e);
		assert_non_null(t);
		for (r = 1; r < rows; r++)
			for (s = 0; s < n; s++)
				assert_int_equal(t->counts[r * n + s],
						 r % 3 == 0 ? (r * 7919 + s * 104729) % 100000000 :
						 (r + s) % 10);
		trace_free(t);
		tu_rm_tmp(path);
		sbuf_free(&b);
	}
}

/* Relative times of 8, 9 and 10 digits (up to epoch seconds): rows
 * whose time has more than 8 digits are read one by one, the others in
 * runs, and the two must agree where the times cross from 8 digits to 9;
 * a run must not take a longer time as 8 digits. */
static void long_relative_times(void **state)
{
	static const uint64_t first[] = {99999000u, 999999000u, 1793491200u};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof first / sizeof first[0]; i++) {
		struct sbuf b = {0};
		struct err e = {0};
		struct trace *t;
		size_t r, s, n = 8, rows = 3000;
		char *path;

		put_header(&b, n);
		for (r = 0; r < rows; r++) {
			sbuf_printf(&b, "%" PRIu64, first[i] + r);
			for (s = 0; s < n; s++)
				sbuf_printf(&b, ",%zu", (r * 31 + s * 7) % 1000);
			sbuf_addc(&b, '\n');
		}
		path = tu_tmp_file(b.buf, b.len);
		t = load_both(path, 0, &e);
		assert_non_null(t);
		assert_int_equal(t->nbuckets, rows);
		for (r = 0; r < rows; r++)
			for (s = 0; s < n; s++)
				assert_int_equal(t->counts[r * n + s], (r * 31 + s * 7) % 1000);
		trace_free(t);
		err_clear(&e);
		tu_rm_tmp(path);
		sbuf_free(&b);
	}
}

/* Standard input is read whole, then split the same way. */
static void from_stdin(void **state)
{
	struct sbuf b = {0};
	struct err e = {0}, e2 = {0};
	struct trace *t, *u = NULL;
	struct gen g;
	uint32_t *want;
	unsigned seed = 99;
	char *path;

	(void)state;
	memset(&g, 0, sizeof g);
	g.n = 4;
	g.rows = 2000;
	g.tk = T_ISO;
	g.gap = 1;
	g.maxdig = 6;
	g.last_nl = true;
	want = xmalloc(g.rows * g.n * sizeof *want);
	gen_file(&b, &g, want, &seed);
	path = tu_tmp_file(b.buf, b.len);
	t = load_both(path, 0, &e);
	assert_non_null(t);
	assert_non_null(freopen(path, "r", stdin));
	trace_csv_threads = 2;
	assert_int_equal(trace_load("-", 0, &u, &e2), 0);
	trace_csv_threads = 0;
	assert_non_null(freopen("/dev/null", "r", stdin));
	assert_int_equal(u->nbuckets, t->nbuckets);
	assert_memory_equal(u->counts, t->counts, t->nbuckets * t->nstreams * sizeof *t->counts);
	assert_true(u->start_epoch == (double)NOV1);
	trace_free(t);
	trace_free(u);
	tu_rm_tmp(path);
	sbuf_free(&b);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clean_files),
		cmocka_unit_test(files_with_problems),
		cmocka_unit_test(first_error_first),
		cmocka_unit_test(earlier_line_past_the_cut),
		cmocka_unit_test(sizes_and_room),
		cmocka_unit_test(long_relative_times),
		cmocka_unit_test(from_stdin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
