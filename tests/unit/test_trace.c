/* Traces (DESIGN §5): the CSV reader in every form and time format, step
 * inference and --step, every error class with its FILE:LINE:COL text,
 * the writer (round trips), the replay spreader (even and Poisson), the
 * generator, and the NASA-HTTP 1995 reference files. Run from the
 * repository root; fixtures are in tests/traces/, reference data in
 * ../shared/reference/traces/.
 *
 * COSTCAP_TRACE_BENCH=1 also runs a manual benchmark (30 days per second,
 * 8 streams: generate, write, parse) that prints MB/s; it asserts nothing
 * about time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/trace.h"
#include "core/tracegen.h"
#include "core/util.h"
#include "io/trace_csv.h"
#include "testutil.h"

#define TR "tests/traces/"
#define REF "../shared/reference/traces/"

/* 2026-11-01T00:00:00Z in seconds since 1970 (date -u -d 2026-11-01 +%s). */
#define NOV1 1793491200.0

/* ---- helpers ------------------------------------------------------------- */

static void print_errs(const struct err *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		char *s = err_format(e, i);

		fprintf(stderr, "  %s\n", s);
		free(s);
	}
}

static struct trace *load_ok(const char *path, uint32_t step)
{
	struct err e = {0};
	struct trace *t = NULL;

	if (trace_load(path, step, &t, &e) < 0) {
		print_errs(&e);
		fail_msg("cannot load %s", path);
	}
	assert_non_null(t);
	assert_int_equal(e.n, 0);
	return t;
}

/* Loads a file that must fail; returns its diagnostics (err_clear them). */
static struct err load_bad(const char *path, uint32_t step)
{
	struct err e = {0};
	struct trace *t = (struct trace *)1;

	assert_int_equal(trace_load(path, step, &t, &e), -1);
	assert_null(t);
	assert_true(e.n > 0);
	return e;
}

/* Asserts that diagnostic i reads exactly 'want'. */
static void assert_diag(const struct err *e, size_t i, const char *want)
{
	char *s;

	if (i >= e->n) {
		print_errs(e);
		fail_msg("expected a diagnostic #%zu: %s", i, want);
	}
	s = err_format(e, i);
	if (strcmp(s, want) != 0) {
		print_errs(e);
		fail_msg("diagnostic #%zu:\n  got  %s\n  want %s", i, s, want);
	}
	free(s);
}

static uint32_t cell(const struct trace *t, size_t b, size_t s)
{
	assert_true(b < t->nbuckets && s < t->nstreams);
	return t->counts[b * t->nstreams + s];
}


static void assert_same_trace(const struct trace *a, const struct trace *b)
{
	size_t i;

	assert_int_equal(a->nstreams, b->nstreams);
	assert_int_equal(a->nbuckets, b->nbuckets);
	assert_int_equal(a->step_s, b->step_s);
	for (i = 0; i < a->nstreams; i++) {
		assert_string_equal(a->names[i], b->names[i]);
		assert_int_equal(a->totals[i], b->totals[i]);
	}
	assert_memory_equal(a->counts, b->counts, a->nbuckets * a->nstreams * sizeof *a->counts);
	if (isfinite(a->start_epoch))
		assert_true(fabs(a->start_epoch - b->start_epoch) < 1e-6);
	else
		assert_true(isnan(b->start_epoch));
}

/* ---- forms and time formats -------------------------------------------- */

/* long.csv: ISO times, per-minute, 00:02 missing (zero), checkout absent
 * at 00:03 (zero). */
static void long_form_iso(void **state)
{
	struct trace *t = load_ok(TR "long.csv", 0);

	(void)state;
	assert_int_equal(t->nstreams, 2);
	assert_string_equal(t->names[0], "browse");
	assert_string_equal(t->names[1], "checkout");
	assert_int_equal(t->step_s, 60);
	assert_int_equal(t->nbuckets, 4);
	assert_int_equal(trace_seconds(t), 240);
	assert_true(t->start_epoch == NOV1);
	assert_int_equal(cell(t, 0, 0), 118);
	assert_int_equal(cell(t, 0, 1), 7);
	assert_int_equal(cell(t, 1, 0), 120);
	assert_int_equal(cell(t, 1, 1), 0);
	assert_int_equal(cell(t, 2, 0), 0);
	assert_int_equal(cell(t, 2, 1), 0);
	assert_int_equal(cell(t, 3, 0), 60);
	assert_int_equal(cell(t, 3, 1), 0);
	assert_int_equal(t->totals[0], 298);
	assert_int_equal(t->totals[1], 7);
	assert_int_equal(trace_find(t, "checkout"), 1);
	assert_int_equal(trace_find(t, "nope"), -1);
	trace_free(t);
}

/* wide.csv: seconds from the start, gaps 10, 10, 20: step 10, bucket 3
 * missing (zero). */
static void wide_form_relative(void **state)
{
	struct trace *t = load_ok(TR "wide.csv", 0);
	static const uint32_t want[5][2] = {{10, 1}, {20, 2}, {30, 3}, {0, 0}, {5, 0}};
	size_t b;

	(void)state;
	assert_int_equal(t->step_s, 10);
	assert_int_equal(t->nbuckets, 5);
	assert_true(isnan(t->start_epoch));
	for (b = 0; b < 5; b++) {
		assert_int_equal(cell(t, b, 0), want[b][0]);
		assert_int_equal(cell(t, b, 1), want[b][1]);
	}
	assert_int_equal(t->totals[0], 65);
	assert_int_equal(t->totals[1], 6);
	trace_free(t);
}

/* A UTF-8 BOM, CRLF line ends, +00:00 offsets, fractional ".000", and a
 * space instead of T are all accepted. */
static void bom_crlf_offsets(void **state)
{
	struct trace *t = load_ok(TR "wide-bom-crlf.csv", 0);

	(void)state;
	assert_string_equal(t->names[0], "browse");
	assert_string_equal(t->names[1], "checkout");
	assert_int_equal(t->step_s, 1);
	assert_int_equal(t->nbuckets, 3);
	assert_true(t->start_epoch == NOV1);
	assert_int_equal(cell(t, 0, 0), 1);
	assert_int_equal(cell(t, 1, 1), 4);
	assert_int_equal(cell(t, 2, 0), 5);
	assert_int_equal(cell(t, 2, 1), 6);
	trace_free(t);
}

/* events.csv: one time per row, no header, sub-second: counted per
 * second: [0,1): 0.25 0.5 0.99 -> 3; [1,2): 1 -> 1; [2,3): 0; [3,4): 2. */
static void event_form_relative(void **state)
{
	struct trace *t = load_ok(TR "events.csv", 0);

	(void)state;
	assert_int_equal(t->nstreams, 1);
	assert_string_equal(t->names[0], "requests");
	assert_int_equal(t->step_s, 1);
	assert_int_equal(t->nbuckets, 4);
	assert_int_equal(cell(t, 0, 0), 3);
	assert_int_equal(cell(t, 1, 0), 1);
	assert_int_equal(cell(t, 2, 0), 0);
	assert_int_equal(cell(t, 3, 0), 2);
	assert_int_equal(t->totals[0], 6);
	trace_free(t);
	/* --step 2: [0,2) has 4, [2,4) has 2. */
	t = load_ok(TR "events.csv", 2);
	assert_int_equal(t->step_s, 2);
	assert_int_equal(t->nbuckets, 2);
	assert_int_equal(cell(t, 0, 0), 4);
	assert_int_equal(cell(t, 1, 0), 2);
	trace_free(t);
}

/* events-iso.csv: header "time", ISO with fractions: second 0 has .1 and
 * .9 (2), second 1 none, second 2 has 2.0, 2.5, 2.999999 (3). */
static void event_form_iso(void **state)
{
	struct trace *t = load_ok(TR "events-iso.csv", 0);

	(void)state;
	assert_int_equal(t->nbuckets, 3);
	assert_true(t->start_epoch == NOV1);
	assert_int_equal(cell(t, 0, 0), 2);
	assert_int_equal(cell(t, 1, 0), 0);
	assert_int_equal(cell(t, 2, 0), 3);
	trace_free(t);
}

/* Event buckets with a step that does not divide a day are aligned to
 * multiples of the step from the UTC midnight of the first time
 * (docs/traces.md, Event form), not from 1970: 2026-11-01 midnight is
 * 1793491200 s = 7 x 256213028 + 4, so the epoch's multiples of 7 s fall
 * at 00:00:03, 00:00:10 (the old reader put 06.5 and 07.2 together in one
 * bucket at 00:00:03). From midnight: [00:00:00, 00:00:07) holds 06.5,
 * [00:00:07, 00:00:14) holds 07.2: 1 and 1, start 00:00:00. The same for
 * trace_load (show, convert) and trace_load_events (import).
 * Before 1970: 1969-12-31T23:59:58.5Z and 23:59:59.5Z, step 7: midnight is
 * -86400 s, 86398.5 s later; floor(86398.5 / 7) = 12342, 12342 x 7 = 86394:
 * one bucket from -6 s (23:59:54) holding 2. */
static void event_step_from_midnight(void **state)
{
	static const char ev[] = "time\n2026-11-01T00:00:06.5Z\n2026-11-01T00:00:07.2Z\n";
	static const char old[] = "time\n1969-12-31T23:59:58.5Z\n1969-12-31T23:59:59.5Z\n";
	char *path = tu_tmp_file(ev, sizeof ev - 1), *p2 = tu_tmp_file(old, sizeof old - 1);
	struct trace *t;
	struct err e = {0};
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		if (k == 0)
			t = load_ok(path, 7);
		else
			assert_int_equal(trace_load_events(path, NULL, "requests", 7, &t, &e), 0);
		assert_int_equal(t->step_s, 7);
		assert_int_equal(t->nbuckets, 2);
		assert_true(t->start_epoch == NOV1);
		assert_int_equal(cell(t, 0, 0), 1);
		assert_int_equal(cell(t, 1, 0), 1);
		trace_free(t);
	}
	t = load_ok(p2, 7);
	assert_int_equal(t->nbuckets, 1);
	assert_true(t->start_epoch == -6.0);
	assert_int_equal(cell(t, 0, 0), 2);
	trace_free(t);
	tu_rm_tmp(path);
	tu_rm_tmp(p2);
}

/* A time column named "minute" counts minutes (the NASA per-minute file). */
static void minute_column(void **state)
{
	struct trace *t = load_ok(TR "minutes.csv", 0);

	(void)state;
	assert_int_equal(t->step_s, 60);
	assert_int_equal(t->nbuckets, 4);
	assert_string_equal(t->names[0], "requests");
	assert_int_equal(cell(t, 1, 0), 120);
	assert_int_equal(cell(t, 3, 0), 7);
	assert_int_equal(t->totals[0], 187);
	trace_free(t);
}

/* Quoted fields, blanks around fields, "6.0" read as 6. */
static void quoted_fields(void **state)
{
	struct trace *t = load_ok(TR "quoted.csv", 0);

	(void)state;
	assert_string_equal(t->names[0], "GET /items");
	assert_string_equal(t->names[1], "checkout");
	assert_int_equal(t->step_s, 5);
	assert_int_equal(cell(t, 0, 0), 3);
	assert_int_equal(cell(t, 0, 1), 4);
	assert_int_equal(cell(t, 1, 1), 6);
	trace_free(t);
}

/* Standard input ("-") is read in blocks like a pipe. */
static void from_stdin(void **state)
{
	struct trace *t;

	(void)state;
	assert_non_null(freopen(TR "long.csv", "r", stdin));
	t = load_ok("-", 0);
	assert_int_equal(t->totals[0], 298);
	trace_free(t);
	assert_non_null(freopen("/dev/null", "r", stdin));
}

/* --step forces the width; rows in one bucket are added up. */
static void step_override(void **state)
{
	struct trace *t;

	(void)state;
	/* wide.csv at 20 s: times 0,10 -> bucket 0; 20 -> 1; 40 -> 2. */
	t = load_ok(TR "wide.csv", 20);
	assert_int_equal(t->step_s, 20);
	assert_int_equal(t->nbuckets, 3);
	assert_int_equal(cell(t, 0, 0), 30);
	assert_int_equal(cell(t, 1, 0), 30);
	assert_int_equal(cell(t, 2, 0), 5);
	assert_int_equal(cell(t, 0, 1), 3);
	assert_int_equal(t->totals[0], 65);
	trace_free(t);
	/* long.csv at 120 s: 00:00-00:02 -> 238 browse, 7 checkout; 00:02-00:04 -> 60. */
	t = load_ok(TR "long.csv", 120);
	assert_int_equal(t->nbuckets, 2);
	assert_int_equal(cell(t, 0, 0), 238);
	assert_int_equal(cell(t, 0, 1), 7);
	assert_int_equal(cell(t, 1, 0), 60);
	trace_free(t);
	/* A narrower step than the data: one row per 60 s into 1 s buckets. */
	t = load_ok(TR "minutes.csv", 1);
	assert_int_equal(t->step_s, 1);
	assert_int_equal(t->nbuckets, 181);
	assert_int_equal(cell(t, 60, 0), 120);
	assert_int_equal(cell(t, 1, 0), 0);
	assert_int_equal(t->totals[0], 187);
	trace_free(t);
	/* Irregular gaps are fine once the step is forced. */
	t = load_ok(TR "bad/irregular.csv", 30);
	assert_int_equal(t->nbuckets, 6);
	assert_int_equal(cell(t, 5, 0), 1);
	trace_free(t);
}

/* The step is the smallest gap when every gap is a multiple of it: gaps
 * 120, 60, 180 give 60; a single row gives 1 s. */
static void step_inference(void **state)
{
	static const char csv[] = "time,a\n0,1\n120,2\n180,3\n360,4\n";
	static const char one[] = "time,a\n2026-11-01T00:00:00Z,9\n";
	char *p = tu_tmp_file(csv, sizeof csv - 1);
	struct trace *t = load_ok(p, 0);

	(void)state;
	assert_int_equal(t->step_s, 60);
	assert_int_equal(t->nbuckets, 7);
	assert_int_equal(cell(t, 2, 0), 2);
	assert_int_equal(cell(t, 3, 0), 3);
	assert_int_equal(cell(t, 6, 0), 4);
	trace_free(t);
	tu_rm_tmp(p);
	p = tu_tmp_file(one, sizeof one - 1);
	t = load_ok(p, 0);
	assert_int_equal(t->step_s, 1);
	assert_int_equal(t->nbuckets, 1);
	trace_free(t);
	tu_rm_tmp(p);
}

/* Long form with streams that first appear late (the grid is widened
 * while reading) and rows for a time in any stream order. */
static void long_streams_late(void **state)
{
	struct sbuf b = {0};
	struct trace *t;
	char *p;
	int i, k;

	(void)state;
	sbuf_add(&b, "time,stream,count\n");
	for (i = 0; i < 100; i++) {
		sbuf_printf(&b, "%d,a,%d\n", i, i);
		for (k = 1; i >= 50 && k <= 20; k++)
			sbuf_printf(&b, "%d,s%d,%d\n", i, (k * 7 + i) % 20 + 1, k);
	}
	p = tu_tmp_file(b.buf, b.len);
	sbuf_free(&b);
	t = load_ok(p, 0);
	assert_int_equal(t->nstreams, 21);
	assert_int_equal(t->nbuckets, 100);
	assert_string_equal(t->names[0], "a");
	assert_int_equal(cell(t, 99, 0), 99);
	assert_int_equal(cell(t, 49, 1), 0);
	/* Stream s(j) at time i holds the k with (7k + i) % 20 + 1 == j. */
	for (i = 50; i < 100; i++)
		for (k = 1; k <= 20; k++) {
			char name[8];

			snprintf(name, sizeof name, "s%d", (k * 7 + i) % 20 + 1);
			assert_int_equal(cell(t, (size_t)i, (size_t)trace_find(t, name)), k);
		}
	assert_int_equal(t->totals[0], 4950);
	trace_free(t);
	tu_rm_tmp(p);
}

static int64_t tns(const char *s, uint32_t unit, bool *absolute)
{
	struct trace_time t;
	const char *why = NULL;

	if (trace_parse_time(s, s + strlen(s), unit, &t, &why) < 0)
		fail_msg("'%s' should parse: %s", s, why);
	*absolute = t.absolute;
	return t.ns;
}

static void time_formats(void **state)
{
	const int64_t nov1 = 1793491200LL * 1000000000LL;
	const char *bad[] = {
		"2026-11-01T00:00:00+01:00", "2026-11-01T00:00:00-05:00", "2026-11-31", "2026-02-29",
		"2026-11-01T24:00:00Z", "2026-11-01T00:60:00Z", "2026-11-01T00:00:60Z", "abc", "",
		"1e3", "-1", "2026-11-01T00:00:00ZZ", "2026-11-01X00:00:00Z", "0001-01-01", "12:30",
		NULL
	};
	struct trace_time t;
	const char *why;
	bool a;
	size_t i;

	(void)state;
	assert_true(tns("2026-11-01T00:00:00Z", 1, &a) == nov1 && a);
	assert_true(tns("2026-11-01T00:00:00+00:00", 1, &a) == nov1);
	assert_true(tns("2026-11-01T00:00:00-00:00", 1, &a) == nov1);
	assert_true(tns("2026-11-01T00:00:00+0000", 1, &a) == nov1);
	assert_true(tns("2026-11-01T00:00:00", 1, &a) == nov1);	/* no offset: UTC */
	assert_true(tns("2026-11-01 00:00:00", 1, &a) == nov1);
	assert_true(tns("2026-11-01t00:00:00z", 1, &a) == nov1);
	assert_true(tns("2026-11-01", 1, &a) == nov1);
	assert_true(tns("2026-11-01T00:00Z", 1, &a) == nov1);
	assert_true(tns("2026-11-01T01:02:03.123456789Z", 1, &a) == nov1 + 3723123456789LL);
	assert_true(tns("2026-11-01T01:02:03.5Z", 1, &a) == nov1 + 3723500000000LL);
	/* The LLM trace's spelling: 7 fractional digits, no offset. */
	assert_true(tns("2023-11-16 18:17:03.9799600", 1, &a) ==
		    1700158623LL * 1000000000LL + 979960000LL);
	assert_true(tns("2024-02-29T12:00:00Z", 1, &a) == 1709208000LL * 1000000000LL);
	assert_true(tns("12", 1, &a) == 12000000000LL && !a);
	assert_true(tns("12.5", 1, &a) == 12500000000LL);
	assert_true(tns("0.000000001", 1, &a) == 1);
	assert_true(tns("1.5", 60, &a) == 90000000000LL);	/* minutes */
	assert_true(tns("2", 3600, &a) == 7200000000000LL);	/* hours */
	for (i = 0; bad[i]; i++)
		if (trace_parse_time(bad[i], bad[i] + strlen(bad[i]), 1, &t, &why) == 0)
			fail_msg("'%s' should not parse", bad[i]);
	{
		const char *s = "2026-11-01T00:00:00+02:00";

		assert_int_equal(trace_parse_time(s, s + strlen(s), 1, &t, &why), -1);
		assert_non_null(strstr(why, "only UTC times are accepted"));
	}
}

static void count_parsing(void **state)
{
	static const struct {
		const char *s;
		enum trace_num k;
		uint64_t v;
	} c[] = {
		{"0", TRACE_NUM_OK, 0}, {"42", TRACE_NUM_OK, 42}, {"007", TRACE_NUM_OK, 7},
		{"12.0", TRACE_NUM_OK, 12}, {"12.", TRACE_NUM_OK, 12},
		{"4294967295", TRACE_NUM_OK, 4294967295u}, {"", TRACE_NUM_EMPTY, 0},
		{"-1", TRACE_NUM_NEGATIVE, 0}, {"-0.5", TRACE_NUM_NEGATIVE, 0},
		{"1.5", TRACE_NUM_FRACTION, 0}, {"0.01", TRACE_NUM_FRACTION, 0},
		{"4294967296", TRACE_NUM_OVERFLOW, 0},
		{"99999999999999999999999999", TRACE_NUM_OVERFLOW, 0}, {"abc", TRACE_NUM_INVALID, 0},
		{"1e3", TRACE_NUM_INVALID, 0}, {"12x", TRACE_NUM_INVALID, 0},
		{".", TRACE_NUM_INVALID, 0}, {"+1", TRACE_NUM_INVALID, 0},
	};
	size_t i;
	uint64_t v;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		enum trace_num k = trace_parse_count(c[i].s, c[i].s + strlen(c[i].s), UINT32_MAX, &v);

		if (k != c[i].k)
			fail_msg("'%s': kind %d, want %d", c[i].s, k, c[i].k);
		if (k == TRACE_NUM_OK)
			assert_int_equal(v, c[i].v);
	}
	assert_int_equal(trace_parse_count("1\0", "1\0" + 2, UINT32_MAX, &v), TRACE_NUM_NUL);
}

/* ---- errors: every class, with FILE:LINE:COL ---------------------------- */

static void errors_counts(void **state)
{
	/* Five problems in one file, all reported. */
	struct err e = load_bad(TR "bad/counts.csv", 0);

	(void)state;
	assert_int_equal(e.n, 5);
	assert_diag(&e, 0, TR "bad/counts.csv:3:3: negative count '-4': counts are numbers of "
		    "requests, 0 or more");
	assert_diag(&e, 1, TR "bad/counts.csv:4:3: fractional count '1.5': counts are whole "
		    "numbers of requests");
	assert_diag(&e, 2, TR "bad/counts.csv:4:7: not a count: 'x' (expected a whole number "
		    "such as 42)");
	assert_diag(&e, 3, TR "bad/counts.csv:5:3: count '4294967296' is too large: at most "
		    "4294967295 per bucket (counts are 32-bit unsigned integers)");
	assert_diag(&e, 4, TR "bad/counts.csv:5:14: empty count (write 0 for no requests)");
	err_clear(&e);
}

static void errors_rows(void **state)
{
	struct err e;

	(void)state;
	e = load_bad(TR "bad/fields.csv", 0);
	assert_int_equal(e.n, 2);
	assert_diag(&e, 0, TR "bad/fields.csv:3:1: wrong number of fields: expected 3 (a time "
		    "and 2 streams, as in the header), found 2");
	assert_diag(&e, 1, TR "bad/fields.csv:4:1: wrong number of fields: expected 3 (a time "
		    "and 2 streams, as in the header), found 4");
	err_clear(&e);

	e = load_bad(TR "bad/backwards.csv", 0);
	assert_int_equal(e.n, 1);
	assert_diag(&e, 0, TR "bad/backwards.csv:4:1: time goes backwards: 2026-11-01T00:00:01Z "
		    "comes after 2026-11-01T00:00:03Z (line 3); rows must be in time order");
	err_clear(&e);

	e = load_bad(TR "bad/duplicate.csv", 0);
	assert_int_equal(e.n, 1);
	assert_diag(&e, 0, TR "bad/duplicate.csv:4:3: stream 'a' has two rows for this time "
		    "(first at line 2)");
	err_clear(&e);

	e = load_bad(TR "bad/dup-header.csv", 0);
	assert_int_equal(e.n, 2);
	assert_diag(&e, 0, TR "bad/dup-header.csv:1:10: duplicate stream name 'a' (also column 2)");
	assert_diag(&e, 1, TR "bad/dup-header.csv:1:12: empty stream name in column 5 of the header");
	err_clear(&e);
}

static void errors_file(void **state)
{
	struct err e;

	(void)state;
	e = load_bad(TR "bad/empty.csv", 0);
	assert_int_equal(e.n, 1);
	assert_diag(&e, 0, TR "bad/empty.csv:1:1: empty file: expected a CSV header and rows");
	err_clear(&e);

	e = load_bad(TR "bad/header-only.csv", 0);
	assert_diag(&e, 0, TR "bad/header-only.csv:1: no data rows after the header");
	err_clear(&e);

	e = load_bad(TR "bad/no-header.csv", 0);
	assert_diag(&e, 0, TR "bad/no-header.csv:1:1: header missing: the first line must name "
		    "the columns: time,stream,count (long form) or time,<stream>,... (wide form)");
	err_clear(&e);

	e = load_bad(TR "bad/does-not-exist.csv", 0);
	assert_diag(&e, 0, TR "bad/does-not-exist.csv: cannot open: No such file or directory");
	err_clear(&e);

	e = load_bad(TR "bad", 0);
	assert_diag(&e, 0, TR "bad: is a directory, expected a CSV file");
	err_clear(&e);
}

static void errors_times(void **state)
{
	struct err e;

	(void)state;
	e = load_bad(TR "bad/irregular.csv", 0);
	assert_int_equal(e.n, 1);
	assert_diag(&e, 0, TR "bad/irregular.csv:4:1: time 150 is not a whole number of 60 s "
		    "buckets after the first time (the bucket width is the smallest gap, between "
		    "lines 2 and 3; force it with --step)");
	err_clear(&e);

	e = load_bad(TR "bad/subsecond.csv", 0);
	assert_diag(&e, 0, TR "bad/subsecond.csv:3:1: times 0 (line 2) and 0.5 are 0.5 s apart: "
		    "buckets must be a whole number of seconds wide (a file with one row per "
		    "request takes the event form: a single time column, or `costcap trace import "
		    "--from events`)");
	err_clear(&e);

	e = load_bad(TR "bad/offset.csv", 0);
	assert_diag(&e, 0, TR "bad/offset.csv:2:1: bad time '2026-11-01T00:00:00+02:00': time has "
		    "a UTC offset other than +00:00: only UTC times are accepted (write Z or "
		    "+00:00); convert the times to UTC first");
	err_clear(&e);

	e = load_bad(TR "bad/mixed.csv", 0);
	assert_diag(&e, 0, TR "bad/mixed.csv:3:1: a time in seconds, but line 2 has an ISO 8601 "
		    "time: a file uses one kind of time");
	err_clear(&e);

	e = load_bad(TR "bad/bad-time.csv", 0);
	assert_int_equal(e.n, 5);
	assert_diag(&e, 0, TR "bad/bad-time.csv:2:1: bad time '2026-13-01T00:00:00Z': month out "
		    "of range (01..12)");
	assert_diag(&e, 1, TR "bad/bad-time.csv:3:1: bad time '2026-02-29T00:00:00Z': day out of "
		    "range for its month");
	assert_diag(&e, 2, TR "bad/bad-time.csv:4:1: bad time '2026-11-01T25:00:00Z': hour out of "
		    "range (00..23)");
	assert_diag(&e, 3, TR "bad/bad-time.csv:5:1: bad time 'yesterday': expected ISO 8601 UTC "
		    "(2026-11-01T00:00:00Z) or seconds from the start (a number)");
	assert_diag(&e, 4, TR "bad/bad-time.csv:6:1: bad time '-5': negative: times are ISO 8601 "
		    "UTC or seconds from the start, 0 or more");
	err_clear(&e);
}

/* Line numbers of rows read while the gaps were regular are found again
 * by rescanning (comments and blank lines counted). */
static void errors_line_numbers(void **state)
{
	static const char gaps[] = "time,a\n0,1\n4,1\n# note\n8,1\n\n12,1\n15,1\n";
	static const char back[] = "time,a\n0,1\n1,1\n\n2,1\n3,1\n1,1\n";
	char *p = tu_tmp_file(gaps, sizeof gaps - 1), *want;
	struct err e;

	(void)state;
	e = load_bad(p, 0);
	assert_int_equal(e.n, 2);
	want = xasprintf("%s:3:1: time 4 is not a whole number of 3 s buckets after the first "
			 "time (the bucket width is the smallest gap, between lines 7 and 8; force "
			 "it with --step)", p);
	assert_diag(&e, 0, want);
	free(want);
	want = xasprintf("%s:5:1: time 8 is not a whole number of 3 s buckets after the first "
			 "time (the bucket width is the smallest gap, between lines 7 and 8; force "
			 "it with --step)", p);
	assert_diag(&e, 1, want);
	free(want);
	err_clear(&e);
	tu_rm_tmp(p);

	p = tu_tmp_file(back, sizeof back - 1);
	e = load_bad(p, 0);
	want = xasprintf("%s:7:1: time goes backwards: 1 comes after 3 (line 6); rows must be in "
			 "time order", p);
	assert_diag(&e, 0, want);
	free(want);
	err_clear(&e);
	tu_rm_tmp(p);
}

/* NUL bytes, lines over 1 MB, and the cap of 20 reported problems. */
static void errors_generated(void **state)
{
	static const char nul[] = "time,a\n0,1\n1,2\0\n2,3\n";
	struct sbuf b = {0};
	struct err e;
	char *p, *s;
	int i;

	(void)state;
	p = tu_tmp_file(nul, sizeof nul - 1);
	e = load_bad(p, 0);
	s = err_format(&e, 0);
	assert_non_null(strstr(s, ":3:4: NUL byte in the data (is this a binary file?)"));
	free(s);
	err_clear(&e);
	tu_rm_tmp(p);

	sbuf_add(&b, "time,a\n0,1\n1,");
	for (i = 0; i < (1 << 20) + 10; i++)
		sbuf_addc(&b, '7');
	sbuf_add(&b, "\n2,3\n3,x\n");
	p = tu_tmp_file(b.buf, b.len);
	sbuf_free(&b);
	e = load_bad(p, 0);
	assert_int_equal(e.n, 2);
	s = err_format(&e, 0);
	assert_non_null(strstr(s, ":3:1: line is longer than 1 MB (1048588 bytes)"));
	free(s);
	s = err_format(&e, 1);
	assert_non_null(strstr(s, ":5:3: not a count: 'x'"));
	free(s);
	err_clear(&e);
	tu_rm_tmp(p);

	sbuf_add(&b, "time,stream,count\n");
	for (i = 0; i < 30; i++)
		sbuf_printf(&b, "%d,a,-%d\n", i, i + 1);
	p = tu_tmp_file(b.buf, b.len);
	sbuf_free(&b);
	e = load_bad(p, 0);
	assert_int_equal(e.n, TRACE_CSV_MAX_ERRORS + 1);
	s = err_format(&e, 19);
	assert_non_null(strstr(s, ":21:6: negative count '-20'"));
	free(s);
	s = err_format(&e, 20);
	assert_non_null(strstr(s, ": too many problems; stopped after the first 20"));
	free(s);
	err_clear(&e);
	tu_rm_tmp(p);
}

/* ---- the fast paths agree with the careful ones -------------------------- */

/* Random wide and long files: counts of 1 to 10 digits (the fast path
 * takes up to 7), some with blanks or quotes (careful path), the last
 * line with or without a line break; every value must come back. */
static void fast_paths_random(void **state)
{
	unsigned seed = 12345;
	int round;

	(void)state;
	for (round = 0; round < 40; round++) {
		size_t n = 1 + (size_t)(round % 5), rows = 50 + (size_t)round * 7, r, s;
		uint32_t *want = xmalloc(rows * n * sizeof *want);
		struct sbuf b = {0};
		bool iso = round % 2, lng = round % 3 == 0, crlf = round % 4 == 1;
		struct trace *t;
		char *p;

		sbuf_add(&b, lng ? "time,stream,count" : "time");
		for (s = 0; !lng && s < n; s++)
			sbuf_printf(&b, ",s%zu", s);
		sbuf_add(&b, crlf ? "\r\n" : "\n");
		for (r = 0; r < rows; r++) {
			char tb[48];

			if (iso)
				trace_format_iso(1793491200LL + (int64_t)r * 7, tb);
			else
				snprintf(tb, sizeof tb, "%zu", r * 7);
			if (!lng)
				sbuf_add(&b, tb);
			for (s = 0; s < n; s++) {
				unsigned digits = 1 + (seed = seed * 1103515245u + 12345u) % 10;
				uint64_t v = 0;
				unsigned d;
				int style = (int)((seed >> 8) % 13);

				for (d = 0; d < digits; d++)
					v = v * 10 + ((seed = seed * 1103515245u + 12345u) >> 16) % 10;
				if (v > UINT32_MAX)
					v %= UINT32_MAX;
				want[r * n + s] = (uint32_t)v;
				if (lng)
					sbuf_printf(&b, "%s,s%zu,", tb, s);
				else
					sbuf_addc(&b, ',');
				if (style == 0)
					sbuf_printf(&b, " %llu ", (unsigned long long)v);
				else if (style == 1)
					sbuf_printf(&b, "\"%llu\"", (unsigned long long)v);
				else
					sbuf_printf(&b, "%llu", (unsigned long long)v);
				if (lng && !(r + 1 == rows && s + 1 == n && round % 2))
					sbuf_add(&b, crlf ? "\r\n" : "\n");
			}
			if (!lng && !(r + 1 == rows && round % 2))
				sbuf_add(&b, crlf ? "\r\n" : "\n");
		}
		p = tu_tmp_file(b.buf, b.len);
		sbuf_free(&b);
		t = load_ok(p, 0);
		assert_int_equal(t->step_s, 7);
		assert_int_equal(t->nbuckets, rows);
		assert_int_equal(t->nstreams, n);
		for (s = 0; s < n; s++) {
			uint64_t tot = 0;

			for (r = 0; r < rows; r++) {
				if (cell(t, r, s) != want[r * n + s])
					fail_msg("round %d row %zu stream %zu: %u, want %u", round, r, s,
						 cell(t, r, s), want[r * n + s]);
				tot += want[r * n + s];
			}
			assert_int_equal(t->totals[s], tot);
		}
		trace_free(t);
		tu_rm_tmp(p);
		free(want);
	}
}

/* ---- writing: round trips -------------------------------------------------- */

static void round_trip(const struct trace *t, bool wide)
{
	struct sbuf b = {0};
	struct trace *u;
	char *p;

	assert_int_equal(trace_write_csv(t, &b, wide), 0);
	p = tu_tmp_file(b.buf, b.len);
	sbuf_free(&b);
	u = load_ok(p, 0);
	assert_same_trace(t, u);
	trace_free(u);
	tu_rm_tmp(p);
}

/* A quoted field with doubled quotes holds one quote per pair (RFC 4180;
 * docs/traces.md: quotes around a field are removed, and a written trace
 * loads as the same trace). Stream names may hold quotes (traces.md sets
 * no rule against them), so they are read, and written back doubled:
 *   long: "x""y" -> x"y; "a,b" -> a,b (the comma inside quotes);
 *         """a""" -> "a" and "a" -> a are two streams: at time 1 the row
 *         "a",3 belongs to a (stream 3), not to "a" (stream 2), although
 *         "a" is the stream after the last one, a,b (the quick path, which
 *         needs 24 bytes left, hence the rows at times 2 and 3, must not
 *         take the raw text "a" for the name "a" with its quotes);
 *   wide: header "x""y","""q""" -> x"y and "q".
 * The writer quotes x"y as "x""y" (the old writer dropped the quote and
 * wrote "xy"); both forms load back as the same trace. */
static void quoted_doubled(void **state)
{
	static const char lng[] = "time,stream,count\n"
				  "0,\"x\"\"y\",5\n0,\"a,b\",1\n0,\"\"\"a\"\"\",1\n0,\"a\",2\n"
				  "1,\"x\"\"y\",6\n1,\"a,b\",1\n1,\"a\",3\n"
				  "2,\"x\"\"y\",7\n3,\"x\"\"y\",8\n";
	static const char wide[] = "time,\"x\"\"y\",\"\"\"q\"\"\"\n0,1,2\n1,3,4\n";
	char *p1 = tu_tmp_file(lng, sizeof lng - 1), *p2 = tu_tmp_file(wide, sizeof wide - 1);
	struct trace *t;
	struct sbuf b = {0};

	(void)state;
	t = load_ok(p1, 0);
	assert_int_equal(t->nstreams, 4);
	assert_string_equal(t->names[0], "x\"y");
	assert_string_equal(t->names[1], "a,b");
	assert_string_equal(t->names[2], "\"a\"");
	assert_string_equal(t->names[3], "a");
	assert_int_equal(cell(t, 0, 0), 5);
	assert_int_equal(cell(t, 1, 0), 6);
	assert_int_equal(cell(t, 0, 2), 1);
	assert_int_equal(cell(t, 1, 2), 0);
	assert_int_equal(cell(t, 0, 3), 2);
	assert_int_equal(cell(t, 1, 3), 3);
	assert_int_equal(cell(t, 1, 1), 1);
	assert_int_equal(cell(t, 3, 0), 8);
	assert_int_equal(t->totals[0], 5 + 6 + 7 + 8);
	trace_write_csv(t, &b, false);
	assert_non_null(strstr(b.buf, "\n0,\"x\"\"y\",5\n"));
	assert_non_null(strstr(b.buf, "\n0,\"\"\"a\"\"\",1\n"));
	sbuf_free(&b);
	round_trip(t, false);
	round_trip(t, true);
	trace_free(t);

	t = load_ok(p2, 0);
	assert_int_equal(t->nstreams, 2);
	assert_string_equal(t->names[0], "x\"y");
	assert_string_equal(t->names[1], "\"q\"");
	assert_int_equal(cell(t, 1, 1), 4);
	trace_write_csv(t, &b, true);
	assert_true(strncmp(b.buf, wide, strcspn(wide, "\n") + 1) == 0);	/* the same header */
	sbuf_free(&b);
	round_trip(t, false);
	round_trip(t, true);
	trace_free(t);
	tu_rm_tmp(p1);
	tu_rm_tmp(p2);
}

static void write_round_trips(void **state)
{
	static const char *const names[] = {"browse", "checkout", "idle", "x,y"};
	struct trace *t = trace_new(4, names, 60);
	struct sbuf b = {0};

	(void)state;
	trace_set_buckets(t, 6);
	t->start_epoch = NOV1;
	/* Bucket 2 and the last are all zero; "idle" is always zero. */
	t->counts[0 * 4 + 0] = 5;
	t->counts[1 * 4 + 1] = 4294967295u;
	t->counts[3 * 4 + 0] = 1;
	t->counts[4 * 4 + 3] = 9;
	trace_update_totals(t);
	round_trip(t, false);
	round_trip(t, true);
	t->start_epoch = NAN;
	round_trip(t, false);
	round_trip(t, true);
	/* The long form is sparse: 4 rows for the first bucket, one per
	 * other bucket here. */
	trace_write_csv(t, &b, false);
	assert_string_equal(b.buf,
			    "time,stream,count\n"
			    "0,browse,5\n0,checkout,0\n0,idle,0\n0,\"x,y\",0\n"
			    "60,checkout,4294967295\n"
			    "120,browse,0\n"
			    "180,browse,1\n"
			    "240,\"x,y\",9\n"
			    "300,browse,0\n");
	sbuf_free(&b);
	t->start_epoch = NOV1 + 0.25;
	trace_write_csv(t, &b, true);
	assert_non_null(strstr(b.buf, "\n2026-11-01T00:01:00.25Z,0,4294967295,0,0\n"));
	sbuf_free(&b);
	round_trip(t, true);
	trace_free(t);
}

static void summary(void **state)
{
	struct trace *t = load_ok(TR "long.csv", 0);
	struct sbuf b = {0};
	struct trace_stream_stats st;

	(void)state;
	trace_stream_stats(t, 0, &st);
	assert_int_equal(st.total, 298);
	assert_int_equal(st.peak_bucket, 120);
	assert_int_equal(st.peak_index, 1);
	assert_int_equal(st.peak_per_s, 2);	/* ceil(120 / 60) */
	trace_stream_stats(t, TRACE_ALL, &st);
	assert_int_equal(st.total, 305);
	assert_int_equal(st.peak_bucket, 125);
	{
		struct trace_stream_stats all[3];
		size_t k;

		/* One pass gives the same as one stream at a time. */
		trace_stats_all(t, all);
		for (k = 0; k < 3; k++) {
			trace_stream_stats(t, k < 2 ? k : TRACE_ALL, &st);
			assert_memory_equal(&all[k], &st, sizeof st);
		}
	}
	trace_summary_text(t, "long.csv", &b);
	assert_non_null(strstr(b.buf, "step:    60 s (4 buckets)\n"));
	assert_non_null(strstr(b.buf, "window:  2026-11-01T00:00:00Z .. 2026-11-01T00:04:00Z "
			       "(4 min, 240 s)\n"));
	assert_non_null(strstr(b.buf, "browse              298"));
	sbuf_free(&b);
	trace_free(t);
}

/* ---- replay --------------------------------------------------------------- */

/* Even spreading, by hand: 7 arrivals over 60 s. Second i receives
 * floor(7(i+1)/60) - floor(7i/60), which is 1 where 7(i+1)/60 crosses an
 * integer: i+1 = 9 (63), 18 (126), 26 (182), 35 (245), 43 (301), 52 (364),
 * 60 (420), i.e. seconds 8, 17, 25, 34, 42, 51 and 59. */
static void spread_even_hand(void **state)
{
	static const char *const names[] = {"a", "b"};
	static const int ones[] = {8, 17, 25, 34, 42, 51, 59};
	struct trace *t = trace_new(2, names, 60);
	struct trace_spreader *sp;
	uint64_t out[2], sum_b = 0;
	size_t k = 0;
	uint64_t s;

	(void)state;
	trace_set_buckets(t, 2);
	t->counts[0] = 7;
	t->counts[1] = 120;	/* b: exactly 2 per second */
	t->counts[2] = 0;
	t->counts[3] = 61;	/* one second gets 2: the last (floor rule) */
	trace_update_totals(t);
	sp = trace_spreader_new(t, false, 0);
	for (s = 0; s < 60; s++) {
		trace_spreader_second(sp, s, out);
		if (k < 7 && (int)s == ones[k]) {
			assert_int_equal(out[0], 1);
			k++;
		} else {
			assert_int_equal(out[0], 0);
		}
		assert_int_equal(out[1], 2);
	}
	assert_int_equal(k, 7);
	for (s = 60; s < 120; s++) {
		trace_spreader_second(sp, s, out);
		assert_int_equal(out[0], 0);
		assert_int_equal(out[1], s == 119 ? 2 : 1);
		sum_b += out[1];
	}
	assert_int_equal(sum_b, 61);
	trace_spreader_second(sp, 120, out);	/* past the end: nothing */
	assert_int_equal(out[0] + out[1], 0);
	assert_null(trace_spreader_row(sp, 0));	/* 60-s buckets: no row as it stands */
	trace_spreader_free(sp);
	trace_free(t);
}

/* One bucket a second: trace_spreader_row gives the trace's own counts,
 * what trace_spreader_second copies out (Poisson spreading or not), and
 * nothing past the end. */
static void spread_row_per_second(void **state)
{
	static const char *const names[] = {"a", "b", "c"};
	struct trace *t = trace_new(3, names, 1);
	struct trace_spreader *sp;
	uint64_t out[3];
	size_t b, k;
	int poisson;

	(void)state;
	trace_set_buckets(t, 5);
	for (b = 0; b < 15; b++)
		t->counts[b] = (uint32_t)(7 * b + 1);
	trace_update_totals(t);
	for (poisson = 0; poisson < 2; poisson++) {
		sp = trace_spreader_new(t, poisson, 42);
		for (b = 0; b < 5; b++) {
			const uint32_t *row = trace_spreader_row(sp, b);

			assert_non_null(row);
			trace_spreader_second(sp, b, out);
			for (k = 0; k < 3; k++) {
				assert_int_equal(row[k], out[k]);
				assert_int_equal(row[k], 7 * (3 * b + k) + 1);
			}
		}
		assert_null(trace_spreader_row(sp, 5));
		trace_spreader_free(sp);
	}
	trace_free(t);
}

/* Even and Poisson spreading preserve every bucket's sum; Poisson is
 * deterministic for a seed, differs between seeds, and a second's
 * arrivals do not depend on which seconds were asked for before. */
static void spread_sums_and_seeds(void **state)
{
	static const char *const names[] = {"a", "b", "c"};
	struct trace *t = trace_new(3, names, 60);
	struct trace_spreader *e, *p1, *p2, *p3, *skip;
	uint64_t oe[3], o1[3], o2[3], o3[3], os[3], sum_e[3], sum_p[3];
	size_t b, k, differ = 0;
	uint64_t s;

	(void)state;
	trace_set_buckets(t, 50);
	for (b = 0; b < 50; b++)
		for (k = 0; k < 3; k++)
			t->counts[b * 3 + k] = (uint32_t)((b * 7919 + k * 104729) % (k == 2 ? 5 : 100000));
	trace_update_totals(t);
	e = trace_spreader_new(t, false, 0);
	p1 = trace_spreader_new(t, true, 42);
	p2 = trace_spreader_new(t, true, 42);
	p3 = trace_spreader_new(t, true, 43);
	skip = trace_spreader_new(t, true, 42);
	for (b = 0; b < 50; b++) {
		memset(sum_e, 0, sizeof sum_e);
		memset(sum_p, 0, sizeof sum_p);
		for (s = b * 60; s < (b + 1) * 60; s++) {
			trace_spreader_second(e, s, oe);
			trace_spreader_second(p1, s, o1);
			trace_spreader_second(p2, s, o2);
			trace_spreader_second(p3, s, o3);
			for (k = 0; k < 3; k++) {
				sum_e[k] += oe[k];
				sum_p[k] += o1[k];
				assert_int_equal(o1[k], o2[k]);
				differ += o1[k] != o3[k];
			}
			if (s % 37 == 5) {	/* every 37th second only */
				trace_spreader_second(skip, s, os);
				assert_memory_equal(os, o1, sizeof os);
			}
		}
		for (k = 0; k < 3; k++) {
			assert_int_equal(sum_e[k], t->counts[b * 3 + k]);
			assert_int_equal(sum_p[k], t->counts[b * 3 + k]);
		}
	}
	assert_true(differ > 100);
	/* Going back restarts the stream: same values again. */
	trace_spreader_second(p2, 61, o2);
	trace_spreader_free(p1);
	p1 = trace_spreader_new(t, true, 42);
	for (s = 0; s <= 61; s++)
		trace_spreader_second(p1, s, o1);
	assert_memory_equal(o1, o2, sizeof o1);
	trace_spreader_free(e);
	trace_spreader_free(p1);
	trace_spreader_free(p2);
	trace_spreader_free(p3);
	trace_spreader_free(skip);
	trace_free(t);
}

/* One-second buckets pass through unchanged in both modes. */
static void spread_step1(void **state)
{
	struct trace *t = load_ok(TR "events.csv", 0);
	struct trace_spreader *a = trace_spreader_new(t, false, 0), *b = trace_spreader_new(t, true, 9);
	uint64_t x, y, s;

	(void)state;
	for (s = 0; s < 4; s++) {
		trace_spreader_second(a, s, &x);
		trace_spreader_second(b, s, &y);
		assert_int_equal(x, t->counts[s]);
		assert_int_equal(y, t->counts[s]);
	}
	trace_spreader_free(a);
	trace_spreader_free(b);
	trace_free(t);
}

/* ---- generator ------------------------------------------------------------- */

static struct trace *gen(struct tracegen_opts *o)
{
	struct err e = {0};
	struct trace *t;

	if (tracegen_make(o, &t, &e) < 0) {
		print_errs(&e);
		fail_msg("tracegen_make failed");
	}
	return t;
}

static void generator(void **state)
{
	static const char *const names[] = {"browse", "checkout"};
	static const double rates[] = {100, 5};
	struct tracegen_opts o;
	struct trace *a, *b, *c;
	struct trace_stream_stats st;
	struct err e = {0};
	double expect;
	size_t i;

	(void)state;
	tracegen_defaults(&o);
	o.names = names;
	o.rate_per_s = rates;
	o.nstreams = 2;
	o.seconds = 86400;
	o.step_s = 60;
	o.shape = TRACEGEN_DIURNAL;
	o.seed = 7;
	a = gen(&o);
	b = gen(&o);
	assert_same_trace(a, b);	/* deterministic for a seed */
	o.seed = 8;
	c = gen(&o);
	assert_true(memcmp(a->counts, c->counts, a->nbuckets * 2 * sizeof *a->counts) != 0);
	assert_int_equal(a->nbuckets, 1440);
	assert_true(a->start_epoch == 1793577600.0);	/* 2026-11-02, a Monday */
	/* Mean 100/s over a day: 8,640,000 expected, Poisson sd ~2,939. */
	assert_true(fabs((double)a->totals[0] - 8640000) < 5 * sqrt(8640000));
	trace_free(a);
	trace_free(b);
	trace_free(c);

	/* Without noise: flat is exact; diurnal has trough/peak = 0.2 at
	 * 02:00 and 14:00 UTC and keeps the daily mean. */
	o.noise = false;
	o.shape = TRACEGEN_FLAT;
	a = gen(&o);
	assert_int_equal(a->totals[0], 8640000);
	assert_int_equal(a->totals[1], 432000);
	for (i = 0; i < a->nbuckets; i++)
		assert_int_equal(a->counts[i * 2], 6000);
	trace_free(a);
	o.shape = TRACEGEN_DIURNAL;
	a = gen(&o);
	assert_int_equal(a->totals[0], 8640000);
	/* Peak 100 x (1 + 2/3) = 166.7/s: 10,000 a minute; trough 33.3/s: 2,000. */
	assert_true(abs((int)a->counts[(14 * 60) * 2] - 10000) <= 1);
	assert_true(abs((int)a->counts[(2 * 60) * 2] - 2000) <= 1);
	trace_free(a);

	/* Weekly over a week from a Monday: weekends at half the weekdays,
	 * the week's mean kept. */
	o.shape = TRACEGEN_WEEKLY;
	o.seconds = 7 * 86400;
	o.step_s = 3600;
	a = gen(&o);
	expect = 100.0 * 7 * 86400;
	assert_true(fabs((double)a->totals[0] - expect) <= 1);
	assert_true(fabs((double)a->counts[(5 * 24 + 14) * 2] * 2 - (double)a->counts[14 * 2]) <= 2);
	trace_free(a);

	/* Spike: x10 for 5 minutes from 12:00 on a flat 100/s. */
	o.shape = TRACEGEN_SPIKE;
	o.seconds = 86400;
	o.step_s = 60;
	o.spike_mult = 10;
	o.spike_at_s = 43200;
	o.spike_s = 300;
	a = gen(&o);
	assert_int_equal(a->counts[719 * 2], 6000);
	assert_int_equal(a->counts[720 * 2], 60000);
	assert_int_equal(a->counts[724 * 2], 60000);
	assert_int_equal(a->counts[725 * 2], 6000);
	trace_stream_stats(a, 0, &st);
	assert_int_equal(st.peak_per_s, 1000);
	trace_free(a);

	/* Bad options are reported. */
	o.trough_ratio = 2;
	assert_int_equal(tracegen_make(&o, &a, &e), -1);
	assert_null(a);
	assert_true(e.n >= 1);
	err_clear(&e);
}

/* ---- reference data: NASA-HTTP 1995 ------------------------------------------ */

/* Weekly: a bucket crossing the midnight between a weekday and the
 * weekend takes each side's level for its part (docs/traces.md: bucket
 * means are exact integrals of the shape). --trough-ratio 1 makes the
 * days flat; weekend ratio 0.5: k = 7 / (5 + 2 x 0.5) = 7/6, weekdays
 * 100 x 7/6 = 116.67/s, weekends 58.33/s. From Friday 2026-11-06 22:30
 * (1793491200 + 5 x 86400 + 22.5 x 3600 = 1794004200) in hourly buckets:
 *   22:30-23:30  3600 x 116.67              = 420,000
 *   23:30-00:30  1800 x 116.67 + 1800 x 58.33 = 210,000 + 105,000 = 315,000
 *   00:30-01:30  3600 x 58.33               = 210,000
 * (the old generator took the level at the bucket's middle, Saturday
 * 00:00, and gave 210,000 for the second). Per minute, summed per hour,
 * gives the same. One daily bucket from Friday 12:00 (1793966400):
 * 43200 x 116.67 + 43200 x 58.33 = 5,040,000 + 2,520,000 = 7,560,000
 * (old: 86400 x 58.33 = 5,040,000), the same as 24 hourly buckets. */
static void generator_weekly_midnight(void **state)
{
	static const uint32_t want[3] = {420000, 315000, 210000};
	struct tracegen_opts o;
	struct trace *a;
	uint64_t sum;
	size_t i, h;

	(void)state;
	tracegen_defaults(&o);
	o.shape = TRACEGEN_WEEKLY;
	o.trough_ratio = 1;
	o.noise = false;
	o.rate_per_s = (const double[]){100};
	o.start_epoch = 1794004200;
	o.seconds = 3 * 3600;
	o.step_s = 3600;
	a = gen(&o);
	assert_int_equal(a->nbuckets, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(a->counts[i], want[i]);
	trace_free(a);
	o.step_s = 60;
	a = gen(&o);
	assert_int_equal(a->nbuckets, 180);
	for (h = 0; h < 3; h++) {
		for (sum = 0, i = 0; i < 60; i++)
			sum += a->counts[h * 60 + i];
		assert_int_equal(sum, want[h]);
	}
	trace_free(a);

	o.start_epoch = 1793966400;
	o.seconds = 86400;
	o.step_s = 86400;
	a = gen(&o);
	assert_int_equal(a->nbuckets, 1);
	assert_int_equal(a->counts[0], 7560000);
	trace_free(a);
	o.step_s = 3600;
	a = gen(&o);
	assert_int_equal(a->totals[0], 7560000);
	trace_free(a);
}

/* The window must be a whole number of buckets: 90 s at a 60 s step is
 * 1.5 buckets, refused (the old generator padded it to 2 buckets, 120 s,
 * and wrote 120 requests at 1/s); 120 s is 2 buckets of 60 (60 each, flat
 * 1/s, no noise); 30 s is half a bucket, refused; 0.1 day per minute is
 * 8640 / 60 = 144 buckets (0.1 x 86400 is not exactly 8640 in binary). */
static void generator_whole_buckets(void **state)
{
	struct tracegen_opts o;
	struct trace *t = NULL;
	struct err e = {0};
	char *msg;

	(void)state;
	tracegen_defaults(&o);
	o.noise = false;
	o.step_s = 60;
	o.seconds = 90;
	assert_int_equal(tracegen_make(&o, &t, &e), -1);
	assert_null(t);
	assert_int_equal(e.n, 1);
	msg = err_format(&e, 0);
	assert_string_equal(msg, "trace gen: the window (90 s) is not a whole number of 60 s buckets "
			    "(--step): give a --duration or --days that is a multiple of the step, "
			    "such as 60 s or 120 s");
	free(msg);
	err_clear(&e);
	o.seconds = 30;
	assert_int_equal(tracegen_make(&o, &t, &e), -1);
	err_clear(&e);
	o.seconds = 120;
	t = gen(&o);
	assert_int_equal(t->nbuckets, 2);
	assert_int_equal(t->totals[0], 120);
	trace_free(t);
	o.seconds = 0.1 * 86400;
	t = gen(&o);
	assert_int_equal(t->nbuckets, 144);
	trace_free(t);
}

/* The per-minute file (header "minute,requests"): the total is computed
 * here independently with fgets/strtoull; the README gives 3,461,610. */
static void nasa_per_minute(void **state)
{
	const char *path = REF "nasa-http-1995/requests_per_minute.csv";
	FILE *f = fopen(path, "r");
	char line[256];
	uint64_t sum = 0, rows = 0;
	struct trace *t;

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));	/* header */
	while (fgets(line, sizeof line, f)) {
		char *comma = strchr(line, ',');

		assert_non_null(comma);
		sum += strtoull(comma + 1, NULL, 10);
		rows++;
	}
	fclose(f);
	assert_int_equal(sum, 3461610);
	t = load_ok(path, 0);
	assert_int_equal(t->step_s, 60);
	assert_int_equal(t->nbuckets, rows);
	assert_int_equal(t->nbuckets, 84333);
	assert_int_equal(t->totals[0], sum);
	trace_free(t);
}

/* The per-second series (workload.tbz2: one line of 5,059,950 counts
 * separated by spaces) is turned into a "second,requests" CSV here with
 * tar (bzip2) and C; loaded per second it has the same total, and loaded
 * with --step 60 it must equal the per-minute file bucket for bucket
 * (the README built that file as the sums of seconds 60m..60m+59).
 * Skipped when tar or bzip2 is missing. */
static void nasa_per_second(void **state)
{
	char *csv = xstrdup("/tmp/costcap-test-nasa-XXXXXX");
	struct trace *sec, *min60, *minute;
	uint64_t sum = 0, n = 0, v = 0;
	bool in = false;
	FILE *pipe, *out;
	int c, fd;

	(void)state;
	if (system("command -v tar >/dev/null 2>&1 && command -v bzip2 >/dev/null 2>&1") != 0) {
		free(csv);
		skip();
	}
	fd = mkstemp(csv);
	assert_true(fd >= 0);
	out = fdopen(fd, "w");
	pipe = popen("tar -xjOf " REF "nasa-http-1995/workload.tbz2", "r");
	assert_non_null(pipe);
	fputs("time,requests\n", out);
	while ((c = getc(pipe)) != EOF) {
		if (c >= '0' && c <= '9') {
			v = v * 10 + (uint64_t)(c - '0');
			in = true;
		} else if (in) {
			fprintf(out, "%llu,%llu\n", (unsigned long long)n++, (unsigned long long)v);
			sum += v;
			v = 0;
			in = false;
		}
	}
	if (in) {
		fprintf(out, "%llu,%llu\n", (unsigned long long)n++, (unsigned long long)v);
		sum += v;
	}
	assert_int_equal(pclose(pipe), 0);
	fclose(out);
	assert_int_equal(n, 5059950);	/* README */
	assert_int_equal(sum, 3461610);
	sec = load_ok(csv, 0);
	assert_int_equal(sec->step_s, 1);
	assert_int_equal(sec->nbuckets, n);
	assert_int_equal(sec->totals[0], sum);
	min60 = load_ok(csv, 60);
	minute = load_ok(REF "nasa-http-1995/requests_per_minute.csv", 0);
	assert_int_equal(min60->nbuckets, minute->nbuckets);
	assert_memory_equal(min60->counts, minute->counts, minute->nbuckets * sizeof *minute->counts);
	trace_free(sec);
	trace_free(min60);
	trace_free(minute);
	tu_rm_tmp(csv);
}

/* ---- manual benchmark ------------------------------------------------------------ */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this process: steadier than wall time on a busy machine. */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 30 days per second, 8 streams at 125/s each, wide form with ISO times
 * and the same with seconds; prints the sizes, the times and MB/s. */
static void bench_parse(void **state)
{
	static const char *const names[] = {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"};
	static const double rates[] = {125, 125, 125, 125, 125, 125, 125, 125};
	struct tracegen_opts o;
	struct trace *t, *u;
	struct sbuf b = {0};
	double t0, t1, c0, c1, best, best_cpu;
	char *p;
	int form, k;

	(void)state;
	if (!getenv("COSTCAP_TRACE_BENCH"))
		skip();
	tracegen_defaults(&o);
	o.names = names;
	o.rate_per_s = rates;
	o.nstreams = 8;
	o.seconds = 30 * 86400.0;
	t0 = now_s();
	t = gen(&o);
	t1 = now_s();
	printf("bench: generated 30 d x 8 streams per second in %.2f s\n", t1 - t0);
	for (form = 0; form < 2; form++) {
		if (form == 1)
			t->start_epoch = NAN;	/* seconds from the start */
		t0 = now_s();
		trace_write_csv(t, &b, true);
		t1 = now_s();
		p = tu_tmp_file(b.buf, b.len);
		printf("bench: %s times: wrote %.1f MB in %.3f s\n", form ? "relative" : "ISO",
		       (double)b.len / 1e6, t1 - t0);
		best = best_cpu = 1e9;
		for (k = 0; k < 5; k++) {
			t0 = now_s();
			c0 = cpu_s();
			u = load_ok(p, 0);
			c1 = cpu_s();
			t1 = now_s();
			if (t1 - t0 < best)
				best = t1 - t0;
			if (c1 - c0 < best_cpu)
				best_cpu = c1 - c0;
			assert_memory_equal(u->counts, t->counts, t->nbuckets * 8 * sizeof *t->counts);
			trace_free(u);
		}
		printf("bench: %s times: parsed %.1f MB in %.3f s wall, %.3f s CPU (best of 5): "
		       "%.0f MB/s wall, %.0f MB/s CPU\n", form ? "relative" : "ISO",
		       (double)b.len / 1e6, best, best_cpu, (double)b.len / 1e6 / best,
		       (double)b.len / 1e6 / best_cpu);
		sbuf_free(&b);
		tu_rm_tmp(p);
	}
	trace_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(long_form_iso),
		cmocka_unit_test(wide_form_relative),
		cmocka_unit_test(bom_crlf_offsets),
		cmocka_unit_test(event_form_relative),
		cmocka_unit_test(event_form_iso),
		cmocka_unit_test(event_step_from_midnight),
		cmocka_unit_test(minute_column),
		cmocka_unit_test(quoted_fields),
		cmocka_unit_test(quoted_doubled),
		cmocka_unit_test(from_stdin),
		cmocka_unit_test(step_override),
		cmocka_unit_test(step_inference),
		cmocka_unit_test(long_streams_late),
		cmocka_unit_test(time_formats),
		cmocka_unit_test(count_parsing),
		cmocka_unit_test(errors_counts),
		cmocka_unit_test(errors_rows),
		cmocka_unit_test(errors_file),
		cmocka_unit_test(errors_times),
		cmocka_unit_test(errors_line_numbers),
		cmocka_unit_test(errors_generated),
		cmocka_unit_test(fast_paths_random),
		cmocka_unit_test(write_round_trips),
		cmocka_unit_test(summary),
		cmocka_unit_test(spread_even_hand),
		cmocka_unit_test(spread_row_per_second),
		cmocka_unit_test(spread_sums_and_seeds),
		cmocka_unit_test(spread_step1),
		cmocka_unit_test(generator),
		cmocka_unit_test(generator_weekly_midnight),
		cmocka_unit_test(generator_whole_buckets),
		cmocka_unit_test(nasa_per_minute),
		cmocka_unit_test(nasa_per_second),
		cmocka_unit_test(bench_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
