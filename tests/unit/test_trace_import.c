/* Importers (DESIGN §5): the Azure Functions 2019 trace in its upstream
 * layout (3 real functions) and in the joined 1,000-function sample, and
 * the Azure LLM inference request timestamps. Per-function totals are
 * checked against row sums computed here independently from the raw
 * files; memory and durations of known rows against values worked out by
 * hand (in the comments); the plans are loaded with the real plan loader.
 * Run from the repository root (reference data in ../shared/reference/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/plan.h"
#include "core/trace.h"
#include "core/util.h"
#include "io/atomic.h"
#include "io/plan_load.h"
#include "io/trace_csv.h"
#include "io/trace_import.h"

#define REF "../shared/reference/traces/"
#define AZ3 REF "azure-functions-2019-upstream-format-3fn/"
#define AZ1K REF "azure-functions-2019-sample-1000fn/"
#define LLM REF "azure-llm-inference-2023/AzureLLMInferenceTrace_code.csv"

static void print_errs(const struct err *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		char *s = err_format(e, i);

		fprintf(stderr, "  %s\n", s);
		free(s);
	}
}

/* Row sums of an invocations file, computed with fgets and strtoull:
 * every field after the first 'skip' is a count. Returns the number of
 * rows; sums[] gets one entry per row. */
static size_t row_sums(const char *path, int skip, uint64_t *sums, size_t max)
{
	static char line[1 << 16];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));	/* header */
	while (fgets(line, sizeof line, f) && n < max) {
		char *p = line;
		int field = 0;
		uint64_t s = 0;

		while (p) {
			if (field++ >= skip)
				s += strtoull(p, NULL, 10);
			p = strchr(p, ',');
			if (p)
				p++;
		}
		sums[n++] = s;
	}
	fclose(f);
	return n;
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

/* The block of the plan for function 'name' (up to the next "  - name:"). */
static char *fn_block(const char *plan, const char *name)
{
	char *key = xasprintf("  - name: %s ", name), *b;
	const char *s = strstr(plan, key), *e;

	free(key);
	if (!s)
		fail_msg("no function %s in the plan", name);
	e = strstr(s + 1, "  - name: ");
	b = e ? xstrndup(s, (size_t)(e - s)) : xstrdup(s);
	return b;
}

/* Writes the trace and the plan into a new folder under /tmp and loads
 * the plan with plan_load (models from ./models). Returns the plan. */
static struct plan *load_plan(const struct trace *t, const char *plan_text, char **dir_out)
{
	char *dir = xstrdup("/tmp/costcap-test-import-XXXXXX"), *tp, *pp;
	struct sbuf csv = {0};
	struct err e = {0};
	struct plan *p = NULL;

	assert_non_null(mkdtemp(dir));
	tp = xasprintf("%s/trace.csv", dir);
	pp = xasprintf("%s/plan.yaml", dir);
	trace_write_csv(t, &csv, false);
	assert_int_equal(atomic_write(tp, csv.buf, csv.len, &e), 0);
	assert_int_equal(atomic_write(pp, plan_text, strlen(plan_text), &e), 0);
	sbuf_free(&csv);
	setenv("COSTCAP_MODELS", "models", 0);
	if (plan_load(pp, NULL, 0, NAN, &p, &e) < 0) {
		print_errs(&e);
		fail_msg("the imported plan does not load");
	}
	unlink(tp);
	unlink(pp);
	free(tp);
	free(pp);
	*dir_out = dir;
	return p;
}

static void drop_dir(char *dir)
{
	rmdir(dir);
	free(dir);
}

/* ---- units ------------------------------------------------------------------ */

static void durations_and_memory(void **state)
{
	double p50, p95;

	(void)state;
	/* p95 = p75 (p99/p75)^(20/24): 94213 (98756/94213)^(5/6) = 97983.898 */
	assert_int_equal(import_duration(93192, 94213, 98756, &p50, &p95), 0);
	assert_true(p50 == 93192 && p95 == 97983.9);
	/* Equal p75 and p99: p95 is that value; equal to p50: a fixed number. */
	assert_int_equal(import_duration(200, 200, 200, &p50, &p95), 1);
	assert_true(p50 == 200 && p95 == 200);
	/* Zeros become 1 ms. */
	assert_int_equal(import_duration(0, 0, 0, &p50, &p95), 1);
	assert_true(p50 == 1 && p95 == 1);
	/* p50 0 -> 1; p75 1, p99 2: 2^(5/6) = 1.78 -> 1.8. */
	assert_int_equal(import_duration(0, 1, 2, &p50, &p95), 0);
	assert_true(p50 == 1 && p95 == 1.8);
	/* Longer than Lambda's 15 minutes: held to 900,000 ms. */
	import_duration(2e6, 3e6, 4e6, &p50, &p95);
	assert_true(p50 == 900000 && p95 == 900000);

	assert_int_equal(import_memory_mb(145.0), 145);
	assert_int_equal(import_memory_mb(145.2), 146);
	assert_int_equal(import_memory_mb(48.333333333333336), 128);
	assert_int_equal(import_memory_mb(NAN), 128);
	assert_int_equal(import_memory_mb(0), 128);
	assert_int_equal(import_memory_mb(20000), 10240);
}

static void relative_paths(void **state)
{
	char *s;

	(void)state;
#define REL(from, to, want) do { s = import_relpath(from, to); assert_string_equal(s, want); free(s); } while (0)
	REL("plan.yaml", "trace.csv", "trace.csv");
	REL("plan.yaml", "data/trace.csv", "data/trace.csv");
	REL("out/plan.yaml", "out/trace.csv", "trace.csv");
	REL("a/plan.yaml", "b/trace.csv", "../b/trace.csv");
	REL("./a/b/plan.yaml", "a/trace.csv", "../trace.csv");
	REL("/tmp/x/plan.yaml", "/tmp/y/t.csv", "/tmp/y/t.csv");
	REL("/tmp/x/plan.yaml", "/tmp/x/t.csv", "t.csv");
	REL("/tmp/x/plan.yaml", "/tmp/x/d/t.csv", "d/t.csv");
	REL("-", "t.csv", "t.csv");
#undef REL
}

/* ---- Azure, upstream layout: 3 functions ----------------------------------- */

/* invocations.csv has minute columns 540..689 (150 minutes); durations
 * and memory carry HashOwner/HashApp/HashFunction.
 *   fn-fdd2e3c3  timer  1 call   AverageAllocatedMb 145.0 -> 145 MB;
 *                percentiles 50/75/99 = 93192/94213/98756 ms
 *                -> p95 = 94213 (98756/94213)^(5/6) = 97983.9
 *   fn-f8620c12  http   1 call   47-ish MB -> 128; all percentiles 200 -> 200
 *   fn-4dd18b86  http   46 calls 48.3 MB -> 128; 17/31/625
 *                -> p95 = 31 (625/31)^(5/6) = 378.84 -> 378.8 */
static void azure_upstream_3fn(void **state)
{
	struct import_azure_opts o = {
		AZ3 "invocations.csv", AZ3 "durations.csv", AZ3 "memory.csv", 0, 0, "trace.csv",
		NULL, NULL
	};
	struct trace *t;
	struct sbuf plan = {0};
	struct err e = {0};
	uint64_t sums[8];
	size_t n, i;
	struct plan *p;
	char *b, *dir;

	(void)state;
	if (import_azure(&o, &t, &plan, &e) < 0) {
		print_errs(&e);
		fail();
	}
	n = row_sums(AZ3 "invocations.csv", 4, sums, 8);
	assert_int_equal(n, 3);
	assert_int_equal(t->nstreams, 3);
	assert_int_equal(t->step_s, 60);
	assert_int_equal(t->nbuckets, 150);
	assert_string_equal(t->names[0], "fn-fdd2e3c3");
	assert_string_equal(t->names[1], "fn-f8620c12");
	assert_string_equal(t->names[2], "fn-4dd18b86");
	for (i = 0; i < n; i++)
		assert_int_equal(t->totals[i], sums[i]);
	assert_int_equal(sums[0] + sums[1] + sums[2], 48);	/* README: 1 + 1 + 46 */

	assert_non_null(strstr(plan.buf, "\nmodel: \"aws/us-east-1\"\n"));
	assert_non_null(strstr(plan.buf, "\ntraffic: {trace: \"trace.csv\"}\n"));
	assert_int_equal(count_of(plan.buf, "\n  - name: "), 3);
	b = fn_block(plan.buf, "fn-fdd2e3c3");
	assert_non_null(strstr(b, "memory_mb: 145\n"));
	assert_non_null(strstr(b, "duration_ms: {p50: 93192, p95: 97983.9}\n"));
	assert_non_null(strstr(b, "invocation: async\n"));
	assert_non_null(strstr(b, "traffic: fn-fdd2e3c3\n"));
	free(b);
	b = fn_block(plan.buf, "fn-f8620c12");
	assert_non_null(strstr(b, "memory_mb: 128\n"));
	assert_non_null(strstr(b, "duration_ms: 200\n"));
	assert_non_null(strstr(b, "invocation: sync\n"));
	free(b);
	b = fn_block(plan.buf, "fn-4dd18b86");
	assert_non_null(strstr(b, "duration_ms: {p50: 17, p95: 378.8}\n"));
	free(b);

	p = load_plan(t, plan.buf, &dir);
	assert_int_equal(p->nfunctions, 3);
	assert_string_equal(p->functions[0].name, "fn-fdd2e3c3");
	assert_true(p->functions[0].memory_mb == 145);
	assert_true(p->functions[0].duration_p50_ms == 93192);
	assert_true(p->functions[0].duration_p95_ms == 97983.9);
	assert_true(p->functions[1].duration_p50_ms == 200);
	assert_string_equal(p->functions[2].traffic.stream, "fn-4dd18b86");
	plan_free(p);
	drop_dir(dir);
	sbuf_free(&plan);
	trace_free(t);
}

static int desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* ---- Azure, joined 1,000-function sample ------------------------------------- */

/* Row i of each file is function i (HashFunction 0..999, no owner/app).
 *   fn-0  timer  AverageAllocatedMb 189 -> 189; 50/75/99 = 140/280/3317
 *         -> p95 = 280 (3317/280)^(5/6) = 2196.92 -> 2196.9
 *   fn-1  http   91 MB -> 128; 5700/6524/8517 -> 6524 (8517/6524)^(5/6)
 *         = 8146.88 -> 8146.9
 *   fn-6  orchestration (async) 198 MB; 6/10/2247 -> 10 (224.7)^(5/6)
 *         = 911.32 -> 911.3 */
static void azure_sample_1000(void **state)
{
	struct import_azure_opts o = {
		AZ1K "exp_sim_invocation_traces_0.csv", AZ1K "exp_sim_duration_traces_0.csv",
		AZ1K "exp_sim_memory_traces_0.csv", 0, 0, "trace.csv", "sample", NULL
	};
	static uint64_t sums[1100];
	struct trace *t;
	struct sbuf plan = {0};
	struct err e = {0};
	uint64_t total = 0;
	size_t n, i;
	struct plan *p;
	char *b, *dir;

	(void)state;
	if (import_azure(&o, &t, &plan, &e) < 0) {
		print_errs(&e);
		fail();
	}
	n = row_sums(AZ1K "exp_sim_invocation_traces_0.csv", 2, sums, 1100);
	assert_int_equal(n, 1000);
	assert_int_equal(t->nstreams, 1000);
	assert_int_equal(t->nbuckets, 60);
	for (i = 0; i < n; i++) {
		assert_int_equal(t->totals[i], sums[i]);
		assert_true(import_is_identifier(t->names[i]));	/* plan traffic names it */
		total += sums[i];
	}
	assert_int_equal(total, 85470);	/* README */
	assert_string_equal(t->names[0], "fn-0");
	assert_string_equal(t->names[999], "fn-999");
	assert_int_equal(count_of(plan.buf, "\n  - name: "), 1000);
	assert_non_null(strstr(plan.buf, "\nname: \"sample\"\n"));
	b = fn_block(plan.buf, "fn-0");
	assert_non_null(strstr(b, "memory_mb: 189\n"));
	assert_non_null(strstr(b, "duration_ms: {p50: 140, p95: 2196.9}\n"));
	assert_non_null(strstr(b, "invocation: async\n"));
	free(b);
	b = fn_block(plan.buf, "fn-1");
	assert_non_null(strstr(b, "memory_mb: 128\n"));
	assert_non_null(strstr(b, "duration_ms: {p50: 5700, p95: 8146.9}\n"));
	assert_non_null(strstr(b, "invocation: sync\n"));
	free(b);
	b = fn_block(plan.buf, "fn-6");
	assert_non_null(strstr(b, "memory_mb: 198\n"));
	assert_non_null(strstr(b, "duration_ms: {p50: 6, p95: 911.3}\n"));
	assert_non_null(strstr(b, "invocation: async\n"));
	free(b);
	p = load_plan(t, plan.buf, &dir);
	assert_int_equal(p->nfunctions, 1000);
	plan_free(p);
	drop_dir(dir);
	sbuf_free(&plan);
	trace_free(t);

	/* --limit 10: the first 10 functions; --top 5: the 5 busiest. */
	o.limit = 10;
	assert_int_equal(import_azure(&o, &t, &plan, &e), 0);
	assert_int_equal(t->nstreams, 10);
	assert_int_equal(t->totals[9], sums[9]);
	trace_free(t);
	sbuf_free(&plan);
	o.limit = 0;
	o.top = 5;
	assert_int_equal(import_azure(&o, &t, &plan, &e), 0);
	assert_int_equal(t->nstreams, 5);
	{
		uint64_t top = 0, kept = 0;

		/* The kept totals are the five largest row sums. */
		qsort(sums, n, sizeof *sums, desc);
		for (i = 0; i < 5; i++) {
			top += sums[i];
			kept += t->totals[i];
			assert_true(t->totals[i] >= sums[4]);
		}
		assert_int_equal(kept, top);
	}
	trace_free(t);
	sbuf_free(&plan);
}

/* ---- names, matching by owner and app, missing data --------------------------- */

static char *write_tmp(const char *text)
{
	char *path = xstrdup("/tmp/costcap-test-az-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Hashes sharing their first 8 characters get longer names; identical
 * hashes (two apps) get "-2". Sorted hashes: 11111111.., abcdef0123.. (x2),
 * abcdef0199..: the pair abcdef0123/abcdef0199 shares 8 characters, so
 * both need 9: fn-abcdef012 and fn-abcdef019; the identical pair does not
 * lengthen itself (the old code gave it all 16 characters): fn-abcdef012
 * and fn-abcdef012-2 (docs/traces.md, Names). Memory per app (no
 * HashFunction column): o1/a1 300.2 -> 301 for both its functions, o2/a2
 * 20000 -> 10240, o3/a3 missing -> 128. Durations only for the o2/a2
 * function, all zero -> 1 ms; the others get the assumed 100 ms. */
static void azure_names_and_matching(void **state)
{
	char *inv = write_tmp("HashOwner,HashApp,HashFunction,Trigger,7,8\n"
			      "o1,a1,ABCDEF0123456789,http,1,2\n"
			      "o1,a1,abcdef0199999999,timer,3,4\n"
			      "o2,a2,1111111122222222,queue,0,0\n"
			      "o3,a3,abcdef0123456789,others,5,5\n");
	char *mem = write_tmp("HashOwner,HashApp,SampleCount,AverageAllocatedMb\n"
			      "o1,a1,10,300.2\n"
			      "o2,a2,10,20000\n");
	char *dur = write_tmp("HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,"
			      "percentile_Average_0,percentile_Average_1,percentile_Average_25,"
			      "percentile_Average_50,percentile_Average_75,percentile_Average_99,"
			      "percentile_Average_100\n"
			      "o2,a2,1111111122222222,0,1,0,0,0,0,0,0,0,0,0\n");
	struct import_azure_opts o = {inv, dur, mem, 0, 0, "t.csv", NULL, NULL};
	struct trace *t;
	struct sbuf plan = {0};
	struct err e = {0};
	char *b;

	(void)state;
	if (import_azure(&o, &t, &plan, &e) < 0) {
		print_errs(&e);
		fail();
	}
	assert_string_equal(t->names[0], "fn-abcdef012");
	assert_string_equal(t->names[1], "fn-abcdef019");
	assert_string_equal(t->names[2], "fn-11111111");
	assert_string_equal(t->names[3], "fn-abcdef012-2");
	assert_int_equal(t->nbuckets, 2);
	assert_int_equal(t->totals[3], 10);
	b = fn_block(plan.buf, "fn-abcdef012");
	assert_non_null(strstr(b, "memory_mb: 301\n"));
	assert_non_null(strstr(b, "duration_ms: 100  # no duration data: assumed\n"));
	free(b);
	b = fn_block(plan.buf, "fn-abcdef019");
	assert_non_null(strstr(b, "memory_mb: 301\n"));
	assert_non_null(strstr(b, "invocation: async\n"));
	free(b);
	b = fn_block(plan.buf, "fn-11111111");
	assert_non_null(strstr(b, "memory_mb: 10240\n"));
	assert_non_null(strstr(b, "duration_ms: 1\n"));
	free(b);
	b = fn_block(plan.buf, "fn-abcdef012-2");
	assert_non_null(strstr(b, "memory_mb: 128\n"));
	assert_non_null(strstr(b, "invocation: sync\n"));	/* "others" */
	free(b);
	assert_non_null(strstr(plan.buf, "# 3 functions without duration data: 100 ms assumed.\n"));
	assert_non_null(strstr(plan.buf, "# 1 function without memory data: 128 MB assumed.\n"));
	trace_free(t);
	sbuf_free(&plan);
	unlink(inv);
	unlink(mem);
	unlink(dur);
	free(inv);
	free(mem);
	free(dur);
}

/* The audit's case: ABCDEF1234 (app a), abcdef1299, ABCDEF1234 (app b).
 * Cleaned: abcdef1234, abcdef1299, abcdef1234. The two different hashes
 * share "abcdef12" (8 characters): each takes 9, fn-abcdef123 and
 * fn-abcdef129; the identical third gets fn-abcdef123-2 (the old code
 * gave fn-abcdef1234, fn-abcdef129, fn-abcdef1234-2). A hash with other
 * characters ("AB/CD+EF=gh-12") keeps only its letters and digits,
 * abcdefgh12 -> fn-abcdefgh; every name is a plan identifier. */
static void azure_names_identical(void **state)
{
	char *inv = write_tmp("HashOwner,HashApp,HashFunction,Trigger,1\n"
			      "o,a,ABCDEF1234,http,1\n"
			      "o,a,abcdef1299,http,2\n"
			      "o,b,ABCDEF1234,http,3\n"
			      "o,c,AB/CD+EF=gh-12,http,4\n");
	struct import_azure_opts o = {inv, NULL, NULL, 0, 0, "t.csv", NULL, NULL};
	struct trace *t;
	struct sbuf plan = {0};
	struct err e = {0};
	size_t i;

	(void)state;
	if (import_azure(&o, &t, &plan, &e) < 0) {
		print_errs(&e);
		fail();
	}
	assert_int_equal(t->nstreams, 4);
	assert_string_equal(t->names[0], "fn-abcdef123");
	assert_string_equal(t->names[1], "fn-abcdef129");
	assert_string_equal(t->names[2], "fn-abcdef123-2");
	assert_string_equal(t->names[3], "fn-abcdefgh");
	for (i = 0; i < t->nstreams; i++)
		assert_true(import_is_identifier(t->names[i]));
	assert_int_equal(t->totals[2], 3);
	trace_free(t);
	sbuf_free(&plan);
	unlink(inv);
	free(inv);
}

static void azure_errors(void **state)
{
	char *nofn = write_tmp("HashOwner,HashApp,Trigger,1,2\no,a,http,1,2\n");
	char *gap = write_tmp("HashFunction,Trigger,1,2,4\nf,http,1,2,3\n");
	char *bad = write_tmp("HashFunction,Trigger,1,2\nf,http,1,-2\ng,http,1\n");
	struct import_azure_opts o = {NULL, NULL, NULL, 0, 0, "t.csv", NULL, NULL};
	struct trace *t;
	struct sbuf plan = {0};
	struct err e = {0};
	char *s, *want;

	(void)state;
	o.invocations = nofn;
	assert_int_equal(import_azure(&o, &t, &plan, &e), -1);
	s = err_format(&e, 0);
	want = xasprintf("%s:1:1: no HashFunction column", nofn);
	assert_true(strncmp(s, want, strlen(want)) == 0);
	free(s);
	free(want);
	err_clear(&e);

	o.invocations = gap;
	assert_int_equal(import_azure(&o, &t, &plan, &e), -1);
	s = err_format(&e, 0);
	/* "HashFunction,Trigger,1,2,4": 12 + 1 + 7 + 1 + 1 + 1 + 1 + 1 = 25
	 * bytes before the '4', so it starts at column 26. */
	want = xasprintf("%s:1:26: minute columns must be consecutive: column 5 is '4' after '2'",
			 gap);
	assert_string_equal(s, want);
	free(s);
	free(want);
	err_clear(&e);

	o.invocations = bad;
	assert_int_equal(import_azure(&o, &t, &plan, &e), -1);
	assert_int_equal(e.n, 2);
	s = err_format(&e, 0);
	want = xasprintf("%s:2:10: negative count '-2': counts are numbers of requests, 0 or more",
			 bad);
	assert_string_equal(s, want);
	free(s);
	free(want);
	s = err_format(&e, 1);
	want = xasprintf("%s:3:1: wrong number of fields: expected 4 as in the header, found 3", bad);
	assert_string_equal(s, want);
	free(s);
	free(want);
	err_clear(&e);

	o.invocations = "/nonexistent/invocations.csv";
	assert_int_equal(import_azure(&o, &t, &plan, &e), -1);
	assert_null(t);
	err_clear(&e);
	sbuf_free(&plan);
	unlink(nofn);
	unlink(gap);
	unlink(bad);
	free(nofn);
	free(gap);
	free(bad);
}

/* ---- events: the Azure LLM inference trace ------------------------------------- */

/* One row per request under a TIMESTAMP column (two other columns): the
 * total is the number of data rows, counted here with fgets; the README
 * gives 8,819 rows and at most 67 in one second. */
static void llm_events(void **state)
{
	struct import_events_opts o;
	struct trace *t;
	struct sbuf plan = {0};
	struct err e = {0};
	struct trace_stream_stats st;
	char line[256];
	uint64_t rows = 0;
	FILE *f = fopen(LLM, "r");
	struct plan *p;
	char *dir;

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	while (fgets(line, sizeof line, f))
		rows++;
	fclose(f);
	assert_int_equal(rows, 8819);
	memset(&o, 0, sizeof o);
	o.path = LLM;
	o.trace_ref = "trace.csv";
	if (import_events(&o, &t, &plan, &e) < 0) {
		print_errs(&e);
		fail();
	}
	assert_int_equal(t->nstreams, 1);
	assert_string_equal(t->names[0], "requests");
	assert_int_equal(t->step_s, 1);
	assert_int_equal(t->totals[0], rows);
	/* 18:17:03 .. 19:14:19 inclusive: 3,437 one-second buckets. */
	assert_int_equal(t->nbuckets, 3437);
	assert_true(t->start_epoch == 1700158623.0);	/* 2023-11-16T18:17:03Z */
	trace_stream_stats(t, 0, &st);
	assert_int_equal(st.peak_bucket, 67);
	assert_non_null(strstr(plan.buf, "      - route: \"POST /requests\"\n"));
	p = load_plan(t, plan.buf, &dir);
	assert_int_equal(p->napis, 1);
	assert_int_equal(p->nfunctions, 1);
	assert_true(p->functions[0].memory_mb == 512);
	plan_free(p);
	drop_dir(dir);
	trace_free(t);
	sbuf_free(&plan);

	/* --column by name, another stream name, per-minute counts. */
	o.column = "TIMESTAMP";
	o.stream = "llm";
	o.step_s = 60;
	o.memory_mb = 1024;
	o.p50_ms = 800;
	o.p95_ms = 2000;
	assert_int_equal(import_events(&o, &t, &plan, &e), 0);
	assert_string_equal(t->names[0], "llm");
	assert_int_equal(t->step_s, 60);
	assert_int_equal(t->totals[0], rows);
	assert_non_null(strstr(plan.buf, "    memory_mb: 1024\n"));
	assert_non_null(strstr(plan.buf, "    duration_ms: {p50: 800, p95: 2000}\n"));
	trace_free(t);
	sbuf_free(&plan);

	o.column = "NoSuchColumn";
	assert_int_equal(import_events(&o, &t, &plan, &e), -1);
	{
		char *s = err_format(&e, 0);

		assert_string_equal(s, LLM ":1:1: no column named 'NoSuchColumn' (columns: TIMESTAMP, "
				    "ContextTokens, GeneratedTokens)");
		free(s);
	}
	err_clear(&e);
	sbuf_free(&plan);
}

/* The stream name is how the plan's traffic names the stream, so it must
 * be a plan identifier (docs/plan-schema.md, Rates form 2). Three events
 * at 0, 1 and 2 s: 3 requests. With --stream 5 the old importer wrote
 * `traffic: "5"`, which the plan loader reads as the rate 5/s: 15
 * requests over the 3 s window instead of the trace's 3; "my stream" gave
 * a plan the loader rejects. Both are now refused before reading the
 * file; "web.v2-b_1" (letters, digits, '.', '-', '_') is accepted and the
 * loaded plan's route replays the stream of that name (3 requests). */
static void events_stream_names(void **state)
{
	static const char *const bad[] = {"5", "my stream", "9lives", "-x", ".x", "a/b", "x\"y",
					  "", "caf\xc3\xa9"};
	char *ev = write_tmp("time\n0\n1\n2\n");
	struct import_events_opts o;
	struct trace *t;
	struct sbuf plan = {0};
	struct err e = {0};
	struct plan *p;
	char *dir, *s;
	size_t i;

	(void)state;
	memset(&o, 0, sizeof o);
	o.path = ev;
	o.trace_ref = "trace.csv";
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o.stream = bad[i];
		assert_int_equal(import_events(&o, &t, &plan, &e), -1);
		assert_null(t);
		assert_int_equal(plan.len, 0);
		assert_int_equal(e.n, 1);
		s = err_format(&e, 0);
		assert_non_null(strstr(s, "a stream name must be a plan identifier"));
		free(s);
		err_clear(&e);
	}
	o.stream = "5";
	assert_int_equal(import_events(&o, &t, &plan, &e), -1);
	s = err_format(&e, 0);
	assert_string_equal(s, "--stream '5': a stream name must be a plan identifier (letters, "
			    "digits, '_', '.' and '-', not starting with a digit), as the plan's "
			    "traffic names it (docs/plan-schema.md, Rates)");
	free(s);
	err_clear(&e);

	o.stream = "web.v2-b_1";
	if (import_events(&o, &t, &plan, &e) < 0) {
		print_errs(&e);
		fail();
	}
	assert_int_equal(t->totals[0], 3);
	p = load_plan(t, plan.buf, &dir);
	assert_int_equal(p->napis, 1);
	assert_non_null(p->apis[0].routes[0].traffic.stream);
	assert_string_equal(p->apis[0].routes[0].traffic.stream, "web.v2-b_1");
	plan_free(p);
	drop_dir(dir);
	trace_free(t);
	sbuf_free(&plan);
	unlink(ev);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations_and_memory),
		cmocka_unit_test(relative_paths),
		cmocka_unit_test(azure_upstream_3fn),
		cmocka_unit_test(azure_sample_1000),
		cmocka_unit_test(azure_names_and_matching),
		cmocka_unit_test(azure_names_identical),
		cmocka_unit_test(azure_errors),
		cmocka_unit_test(llm_events),
		cmocka_unit_test(events_stream_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
