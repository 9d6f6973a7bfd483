/* Advice and projections (core/advise, core/project, core/whatif) against
 * answers worked out by hand in the comments. The plans and traces are in
 * tests/plans/advise/; their windows are an hour or four (60- or 240-bucket
 * traces), so the tests stay quick under the sanitizers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/advise.h"
#include "core/project.h"
#include "core/stats.h"
#include "testutil.h"

#define DIR "tests/plans/advise/"

/* Loads 'path' and its trace, runs advise_run with 'o' and returns the
 * advice; the plan goes to *pp. */
static struct advice *advise(const char *path, const char *const *sets, size_t nsets,
			     const struct advise_opts *o, struct plan **pp)
{
	struct err e = {0};
	struct trace *tr = NULL;
	struct advice *a = NULL;

	setenv("COSTCAP_MODELS", "models", 0);
	if (plan_load(path, sets, nsets, NAN, pp, &e) < 0)
		tu_fail_errors(&e, path);
	if ((*pp)->trace && trace_load((*pp)->trace, 0, &tr, &e) < 0)
		tu_fail_errors(&e, path);
	if (advise_run(*pp, tr, o, &a, &e) < 0)
		tu_fail_errors(&e, path);
	trace_free(tr);
	return a;
}

static const struct advice_item *find_item(const struct advice *a, enum advice_kind k, const char *res)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->items[i].kind == k && strcmp(a->items[i].resource, res) == 0)
			return &a->items[i];
	fail_msg("no %s item for '%s'", advice_kind_name(k), res);
	return NULL;
}

/* The duration model: 1 vCPU at 1,769 MB, 6 at 10,240 MB, linear in
 * between: vcpus(3,538) = 1 + 5 x 1,769 / 8,471 = 2.044150. A wholly
 * CPU-bound function doubling from 1,769 MB to 3,538 MB runs in
 * 1 / 2.044150 = 0.489201 of the time; half CPU-bound, 0.5 + 0.5 x
 * 0.489201 = 0.744600; with one thread (single-threaded code), 1. */
static void test_duration_model(void **state)
{
	(void)state;
	assert_close(advise_vcpus(1769), 1, 1e-12);
	assert_close(advise_vcpus(10240), 6, 1e-12);
	assert_close(advise_vcpus(128), 128.0 / 1769, 1e-12);
	assert_close(advise_vcpus(3538), 2.044150, 1e-6);
	assert_close(advise_duration_factor(1, 6, 1769, 3538), 0.489201, 1e-6);
	assert_close(advise_duration_factor(0.5, 6, 1769, 3538), 0.744600, 1e-6);
	assert_close(advise_duration_factor(1, 1, 1769, 3538), 1, 1e-12);
	assert_close(advise_duration_factor(0, 6, 128, 10240), 1, 1e-12);
	/* 128 -> 256 MB: twice the CPU, so a CPU-bound call takes half. */
	assert_close(advise_duration_factor(1, 6, 128, 256), 0.5, 1e-12);
}

/* A function whose 100 ms do not depend on memory (CPU-bound share 0):
 * every memory takes 100 ms, so the monthly cost
 *   N x (request price + 0.1 s x m / 1024 GB x GB-s price)
 * rises with m and 128 MB is the cheapest. N: 10 calls/s for the 1-hour
 * trace = 36,000, x 730 (hours in the month) = 26,280,000 calls. With
 * us-east-1 x86 ($0.20/M, $0.0000166667/GB-s, tier 1 throughout): at
 * 128 MB, 26.28M x (2e-7 + 0.1 x 0.125 x 1.66667e-5) = $10.7310. */
static void test_memory_cpu_share_zero(void **state)
{
	struct advise_opts o;
	struct plan *p;
	struct advice *a;
	const struct memory_sweep *s;
	const struct lambda_model *L;
	const double N = 36000.0 * 730;
	size_t i;

	(void)state;
	advise_opts_default(&o);
	o.sections = ADVISE_FUNCTIONS;
	o.cpu_share = 0;
	a = advise(DIR "memory.yaml", NULL, 0, &o, &p);
	L = &p->model->lambda;
	assert_int_equal(a->nsweeps, 1);
	s = &a->sweeps[0];
	assert_true(s->cheapest >= 0);
	assert_close(s->points[s->cheapest].memory_mb, 128, 0);
	assert_close(s->points[s->cheapest].monthly_cost,
		     N * (L->request_price + 0.1 * 128 / 1024 * L->duration[ARCH_X86_64].t[0].price), 1e-9);
	assert_cents(s->points[s->cheapest].monthly_cost, 1073);
	for (i = 0; i < s->n; i++) {
		const struct memory_point *pt = &s->points[i];

		assert_close(pt->duration_ms, 100, 1e-12);
		assert_close(pt->monthly_cost,
			     N * (L->request_price + 0.1 * pt->memory_mb / 1024 * L->duration[ARCH_X86_64].t[0].price),
			     1e-9);
		if (i > 0)
			assert_true(pt->monthly_cost > s->points[i - 1].monthly_cost);
	}
	/* The re-priced point at the planned 512 MB is the simulated bill. */
	assert_close(s->points[s->current].monthly_cost, s->current_cost, 1e-12);
	/* Cheaper at the same speed: recommended, with the --set to apply it. */
	{
		const struct advice_item *it = find_item(a, ADVICE_MEMORY, "fixed");

		assert_true(it->actionable);
		assert_non_null(it->set);
		assert_non_null(strstr(it->set, "functions.fixed.memory_mb=128"));
		assert_close(it->saving, s->current_cost - s->points[s->cheapest].monthly_cost, 1e-9);
	}
	advice_free(a);
	plan_free(p);
}

/* A provisioned table of 100 RCU and 100 WCU under a flat 50 strong 4 KB
 * reads (1 RCU each) and 50 1 KB writes (1 WCU each) a second: 50 % of
 * its capacity. Per hour,
 *   provisioned: 100 x (rcu_hourly + wcu_hourly)
 *   on-demand:   50 x 3,600 x (read_request + write_request)
 * so on-demand costs more by 0.5 x 3,600 x (rr + wr) / (rcu_h + wcu_h);
 * us-east-1: 1,800 x $0.75e-6 / $0.00078 = 1.730769 ($98.55 against
 * $56.94 a month). The smallest fixed capacity is 50 / 50: a flat load
 * above capacity drains the burst pool once and never refills it. */
static void test_table_flat_half(void **state)
{
	struct advise_opts o;
	struct plan *p;
	struct advice *a;
	const struct table_modes *t;
	const struct ddb_class_prices *P;
	double prov = NAN, od = NAN, small = NAN;
	size_t i;

	(void)state;
	advise_opts_default(&o);
	o.sections = ADVISE_TABLES;
	a = advise(DIR "table-modes.yaml", NULL, 0, &o, &p);
	P = &p->model->dynamo.price[CLASS_STANDARD];
	assert_int_equal(a->ntables, 1);
	t = &a->tables[0];
	for (i = 0; i < t->n; i++) {
		assert_true(t->rows[i].throttle_ratio == 0);
		if (t->rows[i].option == TABLE_AS_PLANNED)
			prov = t->rows[i].monthly_cost;
		else if (t->rows[i].option == TABLE_ON_DEMAND)
			od = t->rows[i].monthly_cost;
		else if (t->rows[i].option == TABLE_SMALLEST)
			small = t->rows[i].monthly_cost;
	}
	assert_close(prov, 100 * (P->rcu_hourly + P->wcu_hourly) * 730, 1e-9);
	assert_close(od, 50 * MONTH_S * (P->read_request + P->write_request), 1e-9);
	assert_close(od / prov, 0.5 * 3600 * (P->read_request + P->write_request) /
				(P->rcu_hourly + P->wcu_hourly), 1e-9);
	assert_close(od / prov, 1.730769, 1e-6);
	assert_cents(prov, 5694);
	assert_cents(od, 9855);
	assert_close(t->smallest_rcu, 50, 0);
	assert_close(t->smallest_wcu, 50, 0);
	assert_close(small, 50 * (P->rcu_hourly + P->wcu_hourly) * 730, 1e-9);
	{
		const struct advice_item *it = find_item(a, ADVICE_TABLE_MODE, "t");

		assert_true(it->actionable);
		assert_close(it->proposed_cost, small, 1e-12);
		assert_close(it->saving, prov - small, 1e-9);
	}
	advice_free(a);
	plan_free(p);
}

/* Headroom of a 1,000 WCU table on one partition under uniform 1 KB writes
 * at 500/s. Above 1,000 WCU the partition's cap throttles the excess
 * before the table-level bucket sees it (burst capacity never lifts a
 * partition cap), so at demand d > 1,000 the throttle ratio is exactly
 * (d - 1,000) / d from the first second: burst plays no part. The ratio
 * passes the 0.1 % target at d = 1,000 / (1 - 0.001) = 1,001.001 WCU,
 * scale 2.002002, which the bisection brackets to 0.5 %, naming the
 * partition cap.
 *
 * Burst would matter if the table's own capacity bound first (several
 * partitions, or split for heat turned on): a flat load over capacity
 * drains the pool of 300 x P once and never refills it, so over a long
 * window the ratio tends to (d - P) / d and the threshold to P / (1 -
 * target) again; only a window shorter than 300 P / (d - P) seconds,
 * starting with a full pool, lets the bisection find more. This plan with
 * the linear partition rule (1/3,000 + 1,000/1,000 > 1: two partitions,
 * caps 2,000 WCU) shows it: the table bucket binds, the warm start fills
 * the pool (300,000 units) and over the 1-hour trace the excess is
 * absorbed up to about 1,083 WCU (300,000 / 3,600 s); the bisection lands
 * at 2.15-2.2 (1,074-1,100 WCU), "provisioned capacity (burst exhausted)",
 * where a month of the same flat load would throttle from 1,001 WCU. */
static void test_headroom_partition(void **state)
{
	struct advise_opts o;
	struct plan *p;
	struct advice *a;
	const struct headroom_row *t = NULL;
	const double star = 2 / (1 - 0.001);
	size_t i;

	(void)state;
	advise_opts_default(&o);
	o.sections = ADVISE_HEADROOM;
	o.max_throttle = 0.001;
	o.tolerance = 0.005;
	a = advise(DIR "headroom-partition.yaml", NULL, 0, &o, &p);
	assert_true(a->has_headroom);
	for (i = 0; i < a->headroom.n; i++)
		if (strcmp(a->headroom.rows[i].resource, "t") == 0)
			t = &a->headroom.rows[i];
	assert_non_null(t);
	assert_int_equal(t->limit, LIMIT_DDB_PARTITION);
	assert_true(t->scale_ok <= star + 1e-9);
	assert_true(t->scale > star);
	assert_true(t->scale / t->scale_ok <= 1.005 + 1e-12);
	/* The table is the first limit: the writer's is the 10 x concurrency
	 * rule at 10,000 requests/s, scale 20. */
	assert_string_equal(a->headroom.rows[a->headroom.first].resource, "t");
	advice_free(a);
	plan_free(p);
}

/* A trace whose daily totals double every 30 days: 60 daily buckets of
 * 100,000 x 2^(d / 30). The fit of ln(total) on the day (over the first 56
 * days, whole weeks) has slope ln 2 / 30 = 0.0231049 a day, so the growth
 * over a 730-hour month (30.4167 days) is 2^(30.4167 / 30) - 1 = 101.93 %
 * and the doubling time 30 days; both are found within 2 %. */
static void test_growth_fit_doubling(void **state)
{
	struct err e = {0};
	struct trace *tr = NULL;
	struct growth_fit g;
	double want = pow(2, (MONTH_S / 86400.0) / 30) - 1;

	(void)state;
	if (trace_load(DIR "doubling-60d.csv", 0, &tr, &e) < 0)
		tu_fail_errors(&e, "doubling-60d.csv");
	assert_int_equal(project_fit_growth(tr, &g), 0);
	assert_int_equal(g.days, 56);
	assert_close(want, 1.019347, 1e-6);
	assert_true(fabs(g.per_month - want) <= 0.02 * want);
	assert_true(fabs(g.doubling_days - 30) <= 0.02 * 30);
	assert_close(g.per_day, log(2) / 30, 1e-4);
	trace_free(tr);
	/* Three weeks of a weekly cycle without growth (weekdays 1,000 an
	 * hour, weekends 500; weekly-21d.csv): no trend, where a straight line
	 * through the days reads the weekends at the end of each week as a
	 * decline of about 34 % a month. */
	if (trace_load(DIR "weekly-21d.csv", 0, &tr, &e) < 0)
		tu_fail_errors(&e, "weekly-21d.csv");
	assert_int_equal(project_fit_growth(tr, &g), 0);
	assert_int_equal(g.days, 21);
	assert_true(fabs(g.per_month) < 1e-9);
	trace_free(tr);
	/* Less than two whole weeks: no fit. */
	{
		struct trace *t2 = NULL;

		if (trace_load(DIR "flat-1h.csv", 0, &t2, &e) < 0)
			tu_fail_errors(&e, "flat-1h.csv");
		assert_int_equal(project_fit_growth(t2, &g), -1);
		trace_free(t2);
	}
}

/* Monte Carlo on a fixed 100 ms function at 10 calls/s, over a 1-hour and
 * a 4-hour trace. Its cost is linear in the calls, whose count over the
 * window is Poisson(N): N = 36,000 and 144,000. The P1-P99 band of the
 * monthly cost is about +/- 2.326 sigma, a relative width of
 * 4.653 / sqrt(N): 2.45 % and 1.23 %, halving as the trace grows four
 * times; each band holds the deterministic result. (200 draws estimate
 * the extreme quantiles to roughly 15 %, hence the 35 % allowance.) */
static void test_monte_carlo_bands(void **state)
{
	static const char *const plans[2] = {DIR "mc-1h.yaml", DIR "mc-4h.yaml"};
	static const double N[2] = {36000, 144000};
	double width[2];
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		struct advise_opts o;
		struct plan *p;
		struct advice *a;
		const struct monte_carlo *m;

		advise_opts_default(&o);
		o.sections = ADVISE_MONTE_CARLO;
		o.runs = 200;
		o.seed = 7;
		a = advise(plans[k], NULL, 0, &o, &p);
		assert_true(a->has_mc);
		m = &a->mc;
		assert_int_equal(m->runs, 200);
		assert_true(m->cost[0] <= m->deterministic_cost);
		assert_true(m->deterministic_cost <= m->cost[4]);
		assert_true(m->cost[0] <= m->cost[1] && m->cost[1] <= m->cost[2] &&
			    m->cost[2] <= m->cost[3] && m->cost[3] <= m->cost[4]);
		assert_close(m->cost[2], m->deterministic_cost, 0.005);
		width[k] = (m->cost[4] - m->cost[0]) / m->deterministic_cost;
		assert_true(fabs(width[k] - 4.653 / sqrt(N[k])) <= 0.35 * 4.653 / sqrt(N[k]));
		assert_true(m->throttle[4] == 0);
		advice_free(a);
		plan_free(p);
	}
	assert_true(width[1] < 0.75 * width[0]);
}

/* The projection: month m runs at (1 + g)^(m - 1) of today's traffic; a
 * plan with no limit near reaches month 12 without throttling, its cost
 * growing like its traffic (the function's cost is linear in its calls:
 * month 12 costs 1.05^11 = 1.7103 times month 1, to the rounding of the
 * scaled counts). */
static void test_projection_linear(void **state)
{
	struct advise_opts o;
	struct plan *p;
	struct advice *a;
	const struct projection *pr;

	(void)state;
	advise_opts_default(&o);
	o.sections = ADVISE_PROJECTION;
	o.growth = 0.05;
	a = advise(DIR "mc-1h.yaml", NULL, 0, &o, &p);
	pr = &a->projection;
	assert_true(a->has_projection);
	assert_string_equal(a->growth_source, "option");
	assert_int_equal(pr->n, 12);
	assert_int_equal(pr->start_month, 0);
	assert_close(pr->months[0].monthly_cost, a->baseline_total, 1e-12);
	assert_close(pr->months[11].scale, pow(1.05, 11), 1e-12);
	assert_close(pr->months[11].monthly_cost / pr->months[0].monthly_cost, pow(1.05, 11), 1e-5);
	advice_free(a);
	plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_model),
		cmocka_unit_test(test_memory_cpu_share_zero),
		cmocka_unit_test(test_table_flat_half),
		cmocka_unit_test(test_headroom_partition),
		cmocka_unit_test(test_growth_fit_doubling),
		cmocka_unit_test(test_monte_carlo_bands),
		cmocka_unit_test(test_projection_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
