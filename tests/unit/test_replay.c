/* Real public traces from reference/traces/ imported and replayed through
 * the simulator, with totals checked against counts computed here
 * independently from the raw files: the Azure Functions 2019 sample
 * (1,000 functions, one hour per minute), the NASA HTTP 1995 log (58 days
 * per second) and the Azure LLM inference 2023 request timestamps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <unistd.h>

#include "core/util.h"
#include "io/atomic.h"
#include "io/trace_import.h"
#include "testutil.h"

#define REF "../shared/reference/traces/"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/costcap-replay-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes a trace and its plan text into the temporary folder. */
static void save(const struct trace *tr, const char *trace_name, const struct sbuf *plan,
		 const char *plan_name, char *plan_path, size_t n)
{
	struct sbuf csv = {0};
	struct err e = {0};
	char path[256];

	trace_write_csv(tr, &csv, true);
	snprintf(path, sizeof path, "%s/%s", dir, trace_name);
	assert_int_equal(atomic_write(path, csv.buf, csv.len, &e), 0);
	snprintf(plan_path, n, "%s/%s", dir, plan_name);
	assert_int_equal(atomic_write(plan_path, plan->buf, plan->len, &e), 0);
	sbuf_free(&csv);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Row sums of the per-minute columns of an Azure invocations file, read
 * with a plain loop (no costcap code): every field after the first
 * 'skip' ones is a count. */
static size_t raw_row_sums(const char *path, int skip, uint64_t *sums, size_t max)
{
	FILE *f = fopen(path, "r");
	static char line[1 << 16];
	size_t n = 0;

	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));	/* header */
	while (n < max && fgets(line, sizeof line, f)) {
		char *p = line;
		int field = 0;
		uint64_t s = 0;

		while (*p && *p != '\n') {
			char *comma = strchr(p, ',');

			if (field >= skip)
				s += strtoull(p, NULL, 10);
			field++;
			if (!comma)
				break;
			p = comma + 1;
		}
		sums[n++] = s;
	}
	fclose(f);
	return n;
}

/* Azure 1,000-function sample: every function's offered invocations in
 * the replay equal its row sum in exp_sim_invocation_traces_0.csv. */
static void azure_sample(void **state)
{
	static uint64_t raw[2000], got[2000];
	struct import_azure_opts o;
	struct trace *tr = NULL;
	struct sbuf plan = {0};
	struct err e = {0};
	struct plan *p;
	struct usage *u;
	char plan_path[256];
	size_t n, i;
	uint64_t total = 0;

	(void)state;
	n = raw_row_sums(REF "azure-functions-2019-sample-1000fn/exp_sim_invocation_traces_0.csv", 2,
			 raw, 2000);
	assert_int_equal(n, 1000);
	memset(&o, 0, sizeof o);
	o.invocations = REF "azure-functions-2019-sample-1000fn/exp_sim_invocation_traces_0.csv";
	o.durations = REF "azure-functions-2019-sample-1000fn/exp_sim_duration_traces_0.csv";
	o.memory = REF "azure-functions-2019-sample-1000fn/exp_sim_memory_traces_0.csv";
	o.trace_ref = "azure.csv";
	if (import_azure(&o, &tr, &plan, &e) < 0)
		tu_fail_errors(&e, "import_azure");
	save(tr, "azure.csv", &plan, "azure.yaml", plan_path, sizeof plan_path);
	trace_free(tr);
	sbuf_free(&plan);
	/* Raise the account quota so that the replay measures the trace, not
	 * the default 1,000 concurrent executions. */
	{
		const char *sets[] = {"account.lambda_concurrency=100000"};

		tu_simulate(plan_path, sets, 1, false, &p, &u);
	}
	assert_int_equal(p->nfunctions, 1000);
	assert_int_equal(u->window_s, 3600);
	for (i = 0; i < p->nfunctions; i++) {
		got[i] = u->fn[i].offered;
		total += got[i];
		assert_int_equal(u->fn[i].offered, u->fn[i].invocations + u->fn[i].throttled);
	}
	qsort(raw, n, sizeof *raw, cmp_u64);
	qsort(got, n, sizeof *got, cmp_u64);
	for (i = 0; i < n; i++)
		assert_int_equal(got[i], raw[i]);
	assert_true(total > 0);
	usage_free(u);
	plan_free(p);
}

/* NASA HTTP 1995, per second (workload.tbz2: 5,059,950 integers, one per
 * second): the replay offers the API every request of the raw series;
 * the README gives the sum, 3,461,610. */
static void nasa_per_second(void **state)
{
	FILE *f = popen("tar -xjOf " REF "nasa-http-1995/workload.tbz2", "r");
	uint32_t *counts = NULL;
	size_t n = 0, cap = 0;
	uint64_t sum = 0, v;
	const char *names[] = {"requests"};
	struct trace *tr = trace_new(1, names, 1);
	struct sbuf plan = {0};
	char plan_path[256];
	struct plan *p;
	struct usage *u;

	(void)state;
	assert_non_null(f);
	while (fscanf(f, "%" SCNu64, &v) == 1) {
		xgrow(&counts, &cap, n + 1, sizeof *counts);
		counts[n++] = (uint32_t)v;
		sum += v;
	}
	assert_int_equal(pclose(f), 0);
	assert_int_equal(n, 5059950);
	assert_int_equal(sum, 3461610);
	trace_adopt_counts(tr, counts, n);
	sbuf_add(&plan, "name: nasa\ntraffic: {trace: nasa.csv}\n"
			"apis:\n  - name: web\n    type: http\n    routes:\n"
			"      - {route: GET /, function: serve, traffic: requests}\n"
			"functions:\n  - {name: serve, memory_mb: 128, duration_ms: {p50: 20, p95: 80}}\n");
	save(tr, "nasa.csv", &plan, "nasa.yaml", plan_path, sizeof plan_path);
	trace_free(tr);
	sbuf_free(&plan);
	tu_simulate(plan_path, NULL, 0, false, &p, &u);
	assert_int_equal(u->window_s, 5059950);
	assert_int_equal(u->api[0].offered, 3461610);
	assert_int_equal(u->api[0].throttled, 0);	/* at most 20 rps */
	assert_int_equal(u->fn[0].offered, 3461610);
	usage_free(u);
	plan_free(p);
}

/* Azure LLM inference 2023 (code): one request per data row (8,819 rows
 * after the header, counted here with a plain loop). */
static void llm_events(void **state)
{
	FILE *f = fopen(REF "azure-llm-inference-2023/AzureLLMInferenceTrace_code.csv", "r");
	char line[512];
	uint64_t rows = 0;
	struct import_events_opts o;
	struct trace *tr = NULL;
	struct sbuf plan = {0};
	struct err e = {0};
	char plan_path[256];
	struct plan *p;
	struct usage *u;

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	while (fgets(line, sizeof line, f))
		rows += line[0] != '\n';
	fclose(f);
	assert_int_equal(rows, 8819);
	memset(&o, 0, sizeof o);
	o.path = REF "azure-llm-inference-2023/AzureLLMInferenceTrace_code.csv";
	o.trace_ref = "llm.csv";
	if (import_events(&o, &tr, &plan, &e) < 0)
		tu_fail_errors(&e, "import_events");
	assert_int_equal(tr->totals[0], rows);
	save(tr, "llm.csv", &plan, "llm.yaml", plan_path, sizeof plan_path);
	trace_free(tr);
	sbuf_free(&plan);
	tu_simulate(plan_path, NULL, 0, false, &p, &u);
	assert_int_equal(u->api[0].offered, rows);
	assert_int_equal(u->fn[0].offered, rows);
	usage_free(u);
	plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(azure_sample),
		cmocka_unit_test(nasa_per_second),
		cmocka_unit_test(llm_events),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
