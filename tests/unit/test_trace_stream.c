/* A trace read while it is replayed: the feed (core/trace.c) between two
 * threads, and trace_stream (io/trace_csv.c) against trace_load. The ring
 * is made small (trace_feed_bytes) so that it wraps and both sides wait
 * many times. A stream must give back trace_load's rows exactly when it
 * says the file was the trace promised, and say so only then; it must
 * never leave a thread waiting. Nothing here measures time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/trace.h"
#include "core/util.h"
#include "io/trace_csv.h"
#include "report/report.h"
#include "testutil.h"

#define BLOCK 16
#define NS 3

static unsigned rnd(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* ---- the feed alone ----------------------------------------------------- */

struct producer {
	struct trace_feed *f;
	size_t rows, written;	/* rows to write; rows written before it stopped */
	unsigned seed;
};

/* Row i holds i * NS + s in count s; written in runs of random length. */
static void *produce(void *arg)
{
	struct producer *P = arg;
	size_t i = 0;

	while (i < P->rows) {
		size_t room, k, s, run = 1 + rnd(&P->seed) % 40;
		uint32_t *to = trace_feed_room(P->f, i, &room);

		if (!to)
			break;
		if (run > room)
			run = room;
		if (run > P->rows - i)
			run = P->rows - i;
		for (k = 0; k < run; k++)
			for (s = 0; s < NS; s++)
				to[k * NS + s] = (uint32_t)((i + k) * NS + s);
		i += run;
		trace_feed_publish(P->f, i);
	}
	P->written = i;
	trace_feed_end(P->f);
	return NULL;
}

static void check_rows(const uint32_t *r, size_t row, size_t count)
{
	size_t k, s;

	assert_non_null(r);
	for (k = 0; k < count; k++)
		for (s = 0; s < NS; s++)
			if (r[k * NS + s] != (uint32_t)((row + k) * NS + s))
				fail_msg("row %zu count %zu: %u", row + k, s, r[k * NS + s]);
}

/* A producer of 'rows' rows on a thread of its own, into a ring of four
 * blocks; stopped (the feed closed, the thread joined) by stop(). */
static pthread_t start(struct producer *P, size_t rows, unsigned seed)
{
	pthread_t th;

	trace_feed_bytes = 1;
	*P = (struct producer){trace_feed_new(NS, BLOCK), rows, 0, seed};
	trace_feed_bytes = (size_t)4 << 20;
	assert_int_equal(pthread_create(&th, NULL, produce, P), 0);
	return th;
}

static void stop(struct producer *P, pthread_t th)
{
	trace_feed_close(P->f);
	assert_int_equal(pthread_join(th, NULL), 0);
}

/* Blocks from multiples of BLOCK, rows one at a time, and a mix: every
 * row as written, through a ring of four blocks. */
static void feed_in_order(void **state)
{
	size_t row, n, mode;

	(void)state;
	for (mode = 0; mode < 3; mode++) {
		struct producer P;
		pthread_t th = start(&P, 5000, (unsigned)mode + 7);
		unsigned seed = 99;

		for (row = 0; row < P.rows; row += n) {
			n = mode == 0 ? BLOCK : mode == 1 ? 1 : 1 + rnd(&seed) % BLOCK;
			if (mode == 2 && row % BLOCK + n > BLOCK)
				n = BLOCK - row % BLOCK;	/* in one piece */
			if (n > P.rows - row)
				n = P.rows - row;
			check_rows(trace_feed_rows(P.f, row, n), row, n);
		}
		/* Past the last row: the producer has ended, nothing waits. */
		assert_null(trace_feed_rows(P.f, P.rows, 1));
		stop(&P, th);
		assert_int_equal(P.written, P.rows);
		trace_feed_free(P.f);
	}
}

/* Rows that would wrap around the ring's end are refused, not torn. */
static void feed_refuses_torn_rows(void **state)
{
	struct producer P;
	pthread_t th = start(&P, 200, 3);

	(void)state;
	check_rows(trace_feed_rows(P.f, 0, BLOCK), 0, BLOCK);
	/* The ring is 4 blocks: rows 56..71 would run past its end. */
	assert_null(trace_feed_rows(P.f, 4 * BLOCK - 8, BLOCK));
	check_rows(trace_feed_rows(P.f, 4 * BLOCK - 8, 8), 4 * BLOCK - 8, 8);
	check_rows(trace_feed_rows(P.f, 4 * BLOCK, BLOCK), 4 * BLOCK, BLOCK);
	stop(&P, th);
	trace_feed_free(P.f);
}

/* A consumer that stops early: closing lets a producer waiting for room
 * go, having written no more than the ring holds past what was read. */
static void feed_closed_early(void **state)
{
	struct producer P;
	pthread_t th = start(&P, 100000, 5);

	(void)state;
	check_rows(trace_feed_rows(P.f, 3 * BLOCK, BLOCK), 3 * BLOCK, BLOCK);
	stop(&P, th);
	assert_true(P.written < P.rows);
	assert_true(P.written <= 3 * BLOCK + 4 * BLOCK);
	trace_feed_free(P.f);
}

/* ---- trace_stream against trace_load --------------------------------------- */

/* Streams 'text' as a file: returns trace_stream_open's result, and with
 * 1, whether trace_stream_finish said the file was the trace promised.
 * When it did, every row read through a spreader, a block at a time (the
 * way the simulator reads them), must be trace_load's, and the trace's
 * shape and totals too; when it did not, trace_load must either fail or
 * give a trace other than the one promised. */
static int stream(const char *text, uint32_t step, bool *ok)
{
	char *path = tu_tmp_file(text, strlen(text));
	struct trace *t = NULL, *ref = NULL;
	struct trace_stream *st = NULL;
	struct err e = {0};
	int rc, lrc;

	trace_stream_min = 0;
	rc = trace_stream_open(path, step, BLOCK, &t, &st);
	lrc = trace_load(path, step, &ref, &e);
	*ok = false;
	if (rc == 1) {
		struct trace_spreader *sp = trace_spreader_new(t, false, 0);
		uint64_t W = trace_seconds(t), sec;
		size_t promised = t->nbuckets, i;
		uint64_t row[NS + 8];
		bool same = lrc == 0 && ref->step_s == 1 && ref->nbuckets == t->nbuckets &&
			    ref->nstreams == t->nstreams;

		assert_non_null(t);
		assert_int_equal(t->step_s, 1);
		for (i = 0; same && i < t->nstreams; i++)
			same = strcmp(ref->names[i], t->names[i]) == 0;
		for (sec = 0; sec < W; sec += BLOCK) {
			size_t n = W - sec < BLOCK ? (size_t)(W - sec) : BLOCK;
			const uint32_t *r = trace_spreader_rows(sp, sec, n);

			if (!r)
				break;	/* the reader stopped: it must say so below */
			if (same && memcmp(r, ref->counts + sec * t->nstreams, n * t->nstreams * sizeof *r))
				same = false;
		}
		/* The per-second copy after the end: zeros. */
		if (t->nstreams <= NS + 8) {
			trace_spreader_second(sp, W, row);
			for (i = 0; i < t->nstreams; i++)
				assert_int_equal(row[i], 0);
		}
		trace_spreader_free(sp);
		*ok = trace_stream_finish(st);
		assert_null(t->feed);
		assert_int_equal(t->nbuckets, promised);
		if (*ok) {
			if (!same)
				fail_msg("the stream said yes, but its rows or shape differ from trace_load's");
			assert_memory_equal(t->totals, ref->totals, t->nstreams * sizeof *t->totals);
			if (isnan(ref->start_epoch))
				assert_true(isnan(t->start_epoch));
			else
				assert_true(t->start_epoch == ref->start_epoch);
		} else if (same && ref->nbuckets == promised && e.n == 0) {
			fail_msg("the stream said no to the trace trace_load read");
		}
		trace_free(t);
		trace_stream_free(st);
	} else {
		assert_null(t);
		assert_null(st);
	}
	trace_free(ref);
	err_clear(&e);
	tu_rm_tmp(path);
	trace_stream_min = (size_t)4 << 20;
	return rc;
}

/* A wide file of 'rows' one-second rows from 'first', NS streams, with
 * 'iso' times; line 'bad' (0: none; 1 is the first row) replaced by
 * 'badline'. */
static char *wide(size_t rows, long first, bool iso, size_t bad, const char *badline, const char *eol)
{
	struct sbuf b = {0};
	size_t i;
	unsigned seed = 11;

	sbuf_printf(&b, "time,a,b,c%s", eol);
	for (i = 0; i < rows; i++) {
		long t = first + (long)i;

		if (i + 1 == bad) {
			sbuf_printf(&b, "%s%s", badline, eol);
			continue;
		}
		if (iso)
			sbuf_printf(&b, "2026-11-01T%02ld:%02ld:%02ldZ", t / 3600 % 24, t / 60 % 60, t % 60);
		else
			sbuf_printf(&b, "%ld", t);
		sbuf_printf(&b, ",%u,%u,%u%s", rnd(&seed) % 50, rnd(&seed) % 5000, rnd(&seed) % 3, eol);
	}
	return b.buf;
}

static void expect(char *text, uint32_t step, int want_rc, bool want_ok)
{
	bool ok;
	int rc = stream(text, step, &ok);

	if (rc != want_rc)
		fail_msg("trace_stream_open gave %d, expected %d for:\n%.200s", rc, want_rc, text);
	if (rc == 1 && ok != want_ok)
		fail_msg("trace_stream_finish gave %d, expected %d for:\n%.200s", ok, want_ok, text);
	free(text);
}

/* Files that are the trace their first and last rows promise. */
static void streams_clean_files(void **state)
{
	size_t saved = trace_feed_bytes;

	(void)state;
	trace_feed_bytes = 1;	/* a ring of 64 rows: it wraps */
	trace_stream_drop = 4096;	/* the text read is let go page by page */
	expect(wide(1000, 0, false, 0, NULL, "\n"), 0, 1, true);
	expect(wide(1000, 86000, false, 0, NULL, "\n"), 1, 1, true);	/* --step 1 */
	expect(wide(3 * 3600 + 7, 3000, true, 0, NULL, "\n"), 0, 1, true);	/* across hours */
	expect(wide(777, 5, false, 0, NULL, "\r\n"), 0, 1, true);
	expect(wide(2, 0, false, 0, NULL, "\n"), 0, 1, true);
	trace_feed_bytes = saved;
	trace_stream_drop = (size_t)16 << 20;
	/* The usual ring, which holds the whole of these. */
	expect(wide(5000, 0, false, 0, NULL, "\n"), 0, 1, true);
}

/* Files that promise what they do not hold: the stream says no. */
static void streams_refuse_other_files(void **state)
{
	size_t saved = trace_feed_bytes;

	(void)state;
	trace_feed_bytes = 1;
	/* A second missing in the middle (trace_load reads it, with a
	 * zero bucket: not the rows as they stand). */
	expect(wide(1000, 0, false, 500, "# a comment where row 500 was", "\n"), 0, 1, false);
	/* A bad count, early and late; a row twice; a row out of order. */
	expect(wide(1000, 0, false, 3, "2,1,x,3", "\n"), 0, 1, false);
	expect(wide(1000, 0, false, 990, "988,1,2,3", "\n"), 0, 1, false);
	expect(wide(1000, 0, false, 400, "401,1,2,3", "\n"), 0, 1, false);
	/* Too few fields in a row. */
	expect(wide(1000, 0, false, 700, "699,1,2", "\n"), 0, 1, false);
	/* Ten-second buckets promise ten times the rows; so do minutes. */
	expect(xstrdup("time,a\n0,1\n10,2\n20,3\n30,4\n"), 0, 1, false);
	expect(xstrdup("minutes,a\n0,1\n1,2\n2,3\n"), 0, 1, false);
	/* Rows after the last time's row (times going back). */
	expect(xstrdup("time,a\n0,1\n1,2\n2,3\n3,4\n1,5\n"), 0, 1, false);
	trace_feed_bytes = saved;
}

/* Files it does not take: trace_load reads them. */
static void leaves_other_forms(void **state)
{
	(void)state;
	expect(xstrdup("time,stream,count\n0,a,1\n1,a,2\n"), 0, 0, false);	/* long form */
	expect(xstrdup("time\n0\n1\n2\n"), 0, 0, false);			/* event form */
	expect(xstrdup("0,1\n1,2\n"), 0, 0, false);				/* no header */
	expect(xstrdup("time,\"a\"\n0,1\n1,2\n"), 0, 0, false);		/* a quoted name */
	expect(xstrdup("time, a\n0,1\n1,2\n"), 0, 0, false);		/* a blank */
	expect(xstrdup("time,a\n0,1\n1,2\n# the end\n"), 0, 0, false);	/* a last comment */
	expect(xstrdup("time,a\n0,1\n"), 0, 0, false);			/* one row */
	expect(xstrdup("time,a\n0,1\n1,2\n"), 60, 0, false);		/* --step 60 */
	expect(xstrdup("time,a\n0,1\n0.5,2\n"), 0, 0, false);		/* half a second */
	expect(xstrdup("time,a\n2026-11-01T00:00:00Z,1\n5,2\n"), 0, 0, false);	/* mixed */
}

/* ---- the simulation ------------------------------------------------------ */

/* The JSON report of plan 'path' (series kept, as for HTML) simulated on
 * 'threads', its trace loaded whole or, with 'streamed', read while it is
 * replayed (the stream must say it was the trace promised). */
static char *report_of(const char *path, int threads, bool streamed)
{
	struct err e = {0};
	struct plan *p = NULL;
	struct trace *tr = NULL;
	struct trace_stream *st = NULL;
	struct usage *u = NULL;
	struct bill *b;
	struct sim_opts o;
	struct report_ctx c;
	struct sbuf out = {0};

	setenv("COSTCAP_MODELS", "models", 0);
	if (plan_load(path, NULL, 0, NAN, &p, &e) < 0)
		tu_fail_errors(&e, path);
	if (streamed) {
		trace_stream_min = 0;
		assert_int_equal(trace_stream_open(p->trace, 0, SIM_BLOCK, &tr, &st), 1);
		trace_stream_min = (size_t)4 << 20;
	} else if (trace_load(p->trace, 0, &tr, &e) < 0) {
		tu_fail_errors(&e, p->trace);
	}
	memset(&o, 0, sizeof o);
	o.trace = tr;
	o.threads = threads;
	o.series_points = 600;
	if (sim_run(p, &o, &u, &e) < 0)
		tu_fail_errors(&e, path);
	if (streamed)
		assert_true(trace_stream_finish(st));
	b = bill_price(p, u);
	memset(&c, 0, sizeof c);
	c.plan = p;
	c.plan_file = path;
	c.bill = b;
	c.usage = u;
	c.step_s = tr->step_s;
	c.start_epoch = tr->start_epoch;
	report_json(&out, &c);
	bill_free(b);
	usage_free(u);
	trace_free(tr);
	trace_stream_free(st);
	plan_free(p);
	return out.buf;
}

/* The figure 'key' of resource 'name' in a JSON report. */
static double figure(const char *json, const char *name, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof k, "{\"name\": \"%s\"", name);
	p = strstr(json, k);
	assert_non_null(p);
	snprintf(k, sizeof k, "\"%s\": ", key);
	p = strstr(p, k);
	assert_non_null(p);
	return strtod(p + strlen(k), NULL);
}

static const char PLAN_DIRECT[] =
	"name: direct\n"
	"traffic: {trace: %s}\n"
	"account: {lambda_concurrency: 300}\n"
	"apis:\n"
	"  - name: api\n"
	"    type: rest\n"
	"    throttle: {rate: 2500, burst: 2600}\n"
	"    routes:\n"
	"      - {route: GET /a, function: fa, traffic: a}\n"
	"      - {route: GET /b, function: fb, traffic: b}\n"
	"functions:\n"
	"  - name: fa\n"
	"    memory_mb: 256\n"
	"    duration_ms: {p50: 40, p95: 200}\n"
	"    calls: [{table: t, op: put, item_kb: 1}]\n"
	"  - name: fb\n"
	"    memory_mb: 512\n"
	"    duration_ms: {p50: 60, p95: 300}\n"
	"    calls: [{table: t, op: get, item_kb: 1}]\n"
	"tables:\n"
	"  - {name: t, mode: provisioned, rcu: 400, wcu: 40}\n";

static const char PLAN_CACHED[] =
	"name: cached\n"
	"traffic: {trace: %s}\n"
	"apis:\n"
	"  - name: api\n"
	"    type: rest\n"
	"    cache: {size_gb: 0.5, hit_ratio: 0.6}\n"
	"    routes:\n"
	"      - {route: GET /a, function: fa, traffic: a}\n"
	"      - {route: POST /b, function: fa, traffic: b}\n"
	"functions:\n"
	"  - name: fa\n"
	"    memory_mb: 256\n"
	"    duration_ms: {p50: 40, p95: 200}\n"
	"  - name: own\n"
	"    memory_mb: 128\n"
	"    duration_ms: 100\n"
	"    traffic: c\n";

/* 70,000 seconds (the simulator's threads start at 65,536) with a burst
 * that throttles the stage, Lambda and the table, through a plan whose
 * routes are read where they stand in the trace, and one with a cache
 * and a function's own traffic (read second by second): the same report, to the byte, on one thread
 * and on two, streamed or not. */
static void simulation_is_the_same(void **state)
{
	static const char *const plans[] = {PLAN_DIRECT, PLAN_CACHED};
	struct sbuf tx = {0}, pl = {0};
	char *trace, *plan, *ref, *got;
	size_t i, k;
	unsigned seed = 5;
	int threads;

	(void)state;
	sbuf_printf(&tx, "time,a,b,c\n");
	for (i = 0; i < 70000; i++) {
		unsigned burst = i >= 40000 && i < 40300 ? 3000 : 0;

		sbuf_printf(&tx, "%zu,%u,%u,%u\n", i, rnd(&seed) % 80 + burst, rnd(&seed) % 40,
			    rnd(&seed) % 9);
	}
	trace = tu_tmp_file(tx.buf, tx.len);
	for (k = 0; k < 2; k++) {
		pl.len = 0;
		sbuf_printf(&pl, plans[k], trace);
		plan = tu_tmp_file(pl.buf, pl.len);
		for (threads = 1; threads <= 2; threads++) {
			ref = report_of(plan, threads, false);
			got = report_of(plan, threads, true);
			if (strcmp(ref, got) != 0)
				fail_msg("plan %zu, threads %d: the streamed report differs", k, threads);
			if (k == 0) {
				/* The burst throttles the stage and Lambda: the
				 * seconds that are not quiet are exercised too. */
				assert_true(figure(ref, "api", "throttled") > 0);
				assert_true(figure(ref, "fa", "throttled") > 0);
				/* Each invocation that ran makes one call to the
				 * table (fa a put, fb a get): the table is offered
				 * what ran, not what Lambda was offered. */
				assert_true(figure(ref, "t", "requests") ==
					    figure(ref, "fa", "invocations") + figure(ref, "fb", "invocations"));
			}
			free(ref);
			free(got);
		}
		tu_rm_tmp(plan);
	}
	tu_rm_tmp(trace);
	sbuf_free(&tx);
	sbuf_free(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(feed_in_order),
		cmocka_unit_test(feed_refuses_torn_rows),
		cmocka_unit_test(feed_closed_early),
		cmocka_unit_test(streams_clean_files),
		cmocka_unit_test(streams_refuse_other_files),
		cmocka_unit_test(leaves_other_forms),
		cmocka_unit_test(simulation_is_the_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
