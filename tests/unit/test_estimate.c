/* The simulator's shortcuts: quick looks and estimates (sim_opts.window_s,
 * whatif_usage_estimate), which the TUI shows while the exact month is
 * simulated, and the second thread (sim_opts.threads), which must not
 * change a bit. Plans are in tests/plans/estimate/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/whatif.h"
#include "testutil.h"

#define DIR "tests/plans/estimate/"
#define DAY 86400.0

/* Loads 'path' with --set assignments and simulates 'window' seconds (0:
 * the whole month). */
static struct usage *simulate_series(const char *path, const char *const *sets, size_t nsets,
				     double window, int threads, size_t series, struct plan **pp)
{
	struct err e = {0};
	struct sim_opts o;
	struct usage *u = NULL;

	memset(&o, 0, sizeof o);
	o.seed = 1;
	o.window_s = window;
	o.threads = threads;
	o.series_points = series;
	setenv("COSTCAP_MODELS", "models", 0);
	if (plan_load(path, sets, nsets, NAN, pp, &e) < 0)
		tu_fail_errors(&e, path);
	if (sim_run(*pp, &o, &u, &e) < 0)
		tu_fail_errors(&e, path);
	return u;
}

static struct usage *simulate_threads(const char *path, const char *const *sets, size_t nsets,
				      double window, int threads, struct plan **pp)
{
	return simulate_series(path, sets, nsets, window, threads, 500, pp);
}

static struct usage *simulate(const char *path, const char *const *sets, size_t nsets,
			      double window, struct plan **pp)
{
	return simulate_threads(path, sets, nsets, window, 0, pp);
}

/* The first day of a flat 40/s plan: 40 x 86,400 = 3,456,000 requests
 * through the API, the function and the table, over a window of one day;
 * the whole month has 40 x 2,628,000 = 105,120,000. */
static void quick_window(void **state)
{
	struct plan *p;
	struct usage *u;

	(void)state;
	u = simulate(DIR "flat.yaml", NULL, 0, DAY, &p);
	assert_close(u->window_s, DAY, 1e-12);
	assert_int_equal(u->api[0].offered, 3456000);
	assert_int_equal(u->fn[0].invocations, 3456000);
	assert_int_equal(u->table[0].offered, 3456000);
	usage_free(u);
	plan_free(p);
	u = simulate(DIR "flat.yaml", NULL, 0, 0, &p);
	assert_close(u->window_s, MONTH_S, 1e-12);
	assert_int_equal(u->fn[0].invocations, 105120000);
	usage_free(u);
	plan_free(p);
}

/* The reference of a plan: its exact month and its first day. */
struct ref {
	struct usage *exact, *quick;
	struct bill *bill;
};

static void ref_init(struct ref *r, const char *path)
{
	struct plan *p, *p2;

	r->exact = simulate(path, NULL, 0, 0, &p);
	r->quick = simulate(path, NULL, 0, DAY, &p2);
	r->bill = bill_price(p, r->exact);
	plan_free(p);
	plan_free(p2);
}

static void ref_free(struct ref *r)
{
	usage_free(r->exact);
	usage_free(r->quick);
	bill_free(r->bill);
}

/* The estimated bill total of 'path' with 'sets' (NULL: the plan as it
 * is), from its first day and the reference. */
static double estimate(const struct ref *r, const char *path, const char *const *sets, size_t nsets)
{
	struct plan *p;
	struct usage *u = simulate(path, sets, nsets, DAY, &p);
	struct bill *b;
	double total;

	assert_int_equal(whatif_usage_estimate(u, r->exact, r->quick), 0);
	assert_close(u->window_s, MONTH_S, 1e-12);
	b = bill_price(p, u);
	total = b->total;
	bill_free(b);
	usage_free(u);
	plan_free(p);
	return total;
}

/* The exact bill total of 'path' with 'sets'. */
static double exact(const char *path, const char *const *sets, size_t nsets)
{
	struct plan *p;
	struct usage *u = simulate(path, sets, nsets, 0, &p);
	struct bill *b = bill_price(p, u);
	double total = b->total;

	bill_free(b);
	usage_free(u);
	plan_free(p);
	return total;
}

/* A flat plan is proportional to time: the day times 2,628,000 / 86,400 =
 * 30.4167 is the month, for the plan itself and for twice the traffic. */
static void flat_is_exact(void **state)
{
	static const char *const twice[] = {"traffic.scale=2"};
	struct ref r;

	(void)state;
	ref_init(&r, DIR "flat.yaml");
	assert_close(estimate(&r, DIR "flat.yaml", NULL, 0), r.bill->total, 1e-9);
	assert_close(estimate(&r, DIR "flat.yaml", twice, 1), exact(DIR "flat.yaml", twice, 1), 1e-6);
	ref_free(&r);
}

/* A daily schedule: the month is 30 days and 10 hours, and the day starts
 * at midnight, outside the busy hours, so a day projected by time alone
 * is off; calibrated by the reference it gives the reference's own month
 * exactly, and 10 % more traffic or twice the memory within 0.5 % of the
 * exact month. */
static void daily_calibrated(void **state)
{
	static const char *const more[] = {"traffic.scale=1.1"};
	static const char *const memory[] = {"functions.worker.memory_mb=1024"};
	struct ref r;
	double e;

	(void)state;
	ref_init(&r, DIR "daily.yaml");
	assert_close(estimate(&r, DIR "daily.yaml", NULL, 0), r.bill->total, 1e-9);
	e = exact(DIR "daily.yaml", more, 1);
	assert_close(estimate(&r, DIR "daily.yaml", more, 1), e, 0.005);
	e = exact(DIR "daily.yaml", memory, 1);
	assert_close(estimate(&r, DIR "daily.yaml", memory, 1), e, 0.005);
	ref_free(&r);
}

/* Different shapes or first parts are refused and leave the usage as it was. */
static void refused(void **state)
{
	struct plan *fp, *fp2, *dp;
	struct usage *f = simulate(DIR "flat.yaml", NULL, 0, DAY, &fp);
	struct usage *d = simulate(DIR "daily.yaml", NULL, 0, DAY, &dp);
	struct usage *f2 = simulate(DIR "flat.yaml", NULL, 0, 2 * DAY, &fp2);
	uint64_t before = f->fn[0].invocations;

	(void)state;
	assert_int_equal(whatif_usage_estimate(f, d, d), -1);
	assert_int_equal(whatif_usage_estimate(f, f2, f2), -1);
	assert_int_equal(f->fn[0].invocations, before);
	assert_close(f->window_s, DAY, 1e-12);
	usage_free(f);
	usage_free(f2);
	usage_free(d);
	plan_free(fp);
	plan_free(fp2);
	plan_free(dp);
}

/* Every usage figure and series of a and b, to the bit. */
/* Every series a keeps, b keeps the same, point for point. */
static void same_series(const struct series *a, const struct series *b)
{
	int k;

	for (k = 0; k < SER_COUNT; k++)
		if (a->v[k])
			assert_memory_equal(a->v[k], b->v[k], a->n * sizeof(float));
}

static void same_usage(const struct usage *a, const struct usage *b)
{
	size_t i;

	assert_int_equal(a->nfn, b->nfn);
	assert_int_equal(a->napi, b->napi);
	assert_int_equal(a->ntable, b->ntable);
	for (i = 0; i < a->nfn; i++) {
		assert_memory_equal(&a->fn[i], &b->fn[i], sizeof a->fn[i]);
		if (a->fn_series && b->fn_series)
			same_series(&a->fn_series[i], &b->fn_series[i]);
	}
	for (i = 0; i < a->napi; i++) {
		assert_memory_equal(&a->api[i], &b->api[i], sizeof a->api[i]);
		if (a->api_series && b->api_series)
			same_series(&a->api_series[i], &b->api_series[i]);
	}
	for (i = 0; i < a->ntable; i++) {
		assert_int_equal(a->table[i].offered, b->table[i].offered);
		assert_int_equal(a->table[i].throttled, b->table[i].throttled);
		assert_int_equal(a->table[i].read_half_units, b->table[i].read_half_units);
		assert_int_equal(a->table[i].write_units, b->table[i].write_units);
		assert_true(a->table[i].rcu_hours == b->table[i].rcu_hours);
		assert_true(a->table[i].wcu_hours == b->table[i].wcu_hours);
		assert_memory_equal(a->table[i].throttled_by, b->table[i].throttled_by,
				    sizeof a->table[i].throttled_by);
		if (a->table_series && b->table_series)
			same_series(&a->table_series[i], &b->table_series[i]);
	}
}

/* One thread or three (API Gateway, Lambda, and DynamoDB with the
 * accounting each on its own when the machine has two processors): the
 * same usage and series, to the bit, for a month of a plan with
 * throttling and a retrying table (the daily plan at 4x its traffic), and
 * of the built-in example at 10x, whose stage throttle binds. */
static void threads_same(void **state)
{
	static const char *const busy[] = {"traffic.scale=4", "tables.jobs.autoscaling.max=60"};
	static const char *const ten[] = {"traffic.scale=10"};
	struct plan *p1, *p2;
	struct usage *a = simulate_threads(DIR "daily.yaml", busy, 2, 0, 1, &p1);
	struct usage *b = simulate_threads(DIR "daily.yaml", busy, 2, 0, 2, &p2);

	(void)state;
	assert_true(a->table[0].throttled > 0);
	same_usage(a, b);
	usage_free(a);
	usage_free(b);
	plan_free(p1);
	plan_free(p2);
	a = simulate_threads("data/example.yaml", ten, 1, 0, 1, &p1);
	b = simulate_threads("data/example.yaml", ten, 1, 0, 2, &p2);
	/* partner-catalog: 10 x 25/s against its stage's 200/s */
	assert_true(a->napi == 2 && a->api[1].throttled > 0);
	same_usage(a, b);
	usage_free(a);
	usage_free(b);
	plan_free(p1);
	plan_free(p2);
}

/* Without series the simulator adds up a quiet function's block from
 * Lambda's sums; with them, second by second: the usage must not differ.
 * pc_idle.yaml's function runs quiet while its PC is off, and its PC
 * periods are still followed: 31 periods (days 0 to 30 of the 730-hour
 * month) of 3,840 s, each billed rounded up to 300 s (3,900 s), the last
 * one too (it closes at 01:04 of day 30, where a block of quiet seconds
 * begins, not cut at the window's end): 2 x 1,024 MB x 31 x 3,900 s =
 * 247,603,200 MB-s. */
static void series_same(void **state)
{
	static const char *const busy[] = {"traffic.scale=4", "tables.jobs.autoscaling.max=60"};
	struct plan *p1, *p2;
	struct usage *a = simulate_series(DIR "pc_idle.yaml", NULL, 0, 0, 0, 500, &p1);
	struct usage *b = simulate_series(DIR "pc_idle.yaml", NULL, 0, 0, 0, 0, &p2);

	(void)state;
	assert_int_equal(a->fn[0].pc_mb_s, 247603200);
	same_usage(a, b);
	usage_free(a);
	usage_free(b);
	plan_free(p1);
	plan_free(p2);
	a = simulate_series(DIR "daily.yaml", busy, 2, 0, 0, 500, &p1);
	b = simulate_series(DIR "daily.yaml", busy, 2, 0, 0, 0, &p2);
	same_usage(a, b);
	usage_free(a);
	usage_free(b);
	plan_free(p1);
	plan_free(p2);
	a = simulate_series("data/example.yaml", NULL, 0, 0, 0, 500, &p1);
	b = simulate_series("data/example.yaml", NULL, 0, 0, 0, 0, &p2);
	same_usage(a, b);
	usage_free(a);
	usage_free(b);
	plan_free(p1);
	plan_free(p2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quick_window),
		cmocka_unit_test(flat_is_exact),
		cmocka_unit_test(daily_calibrated),
		cmocka_unit_test(refused),
		cmocka_unit_test(threads_same),
		cmocka_unit_test(series_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
