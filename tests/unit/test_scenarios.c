/* Scenarios S1-S7 of reference/behaviour.md §6 run end to end: a plan and
 * a per-second trace under tests/scenarios/ go through API Gateway ->
 * Lambda -> DynamoDB, and the table's throttled operations must equal the
 * hand-computed figures (worked out in each plan's comments and below). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "testutil.h"

#define SC "tests/scenarios/"

/* Throttled operations of table 0 of the plan at 'path'. */
static uint64_t table_throttled2(const char *path, const char *set, const char *set2, bool cold,
				 uint64_t *offered)
{
	struct plan *p;
	struct usage *u;
	uint64_t thr;
	const char *sets[2] = {set, set2};

	tu_simulate(path, sets, set2 ? 2 : set ? 1 : 0, cold, &p, &u);
	thr = u->table[0].throttled;
	if (offered)
		*offered = u->table[0].offered;
	/* The Lambda tier in front never throttles in these fixtures. */
	assert_int_equal(u->fn[0].throttled, 0);
	usage_free(u);
	plan_free(p);
	return thr;
}

static uint64_t table_throttled(const char *path, const char *set, bool cold, uint64_t *offered)
{
	return table_throttled2(path, set, NULL, cold, offered);
}

/* S1: 0 throttled; 150-s variant: 15,000. */
static void s1(void **state)
{
	uint64_t offered;

	(void)state;
	assert_int_equal(table_throttled(SC "s1.yaml", NULL, false, &offered), 0);
	assert_int_equal(offered, 400 * 60);
	assert_int_equal(table_throttled(SC "s1.yaml", "traffic.trace=s1-150s.csv", false, NULL), 15000);
	/* Billing of a window shorter than an hour: 100 WCU for 360 s is
	 * 10 WCU-hours, projected x 2,628,000 / 360 = 73,000 WCU-hours: the
	 * same as 100 WCU x 730 h. */
	{
		struct plan *p;
		struct bill *b = tu_price(SC "s1.yaml", &p);

		assert_close(tu_item(b, "events", "write_capacity")->quantity, 73000, 1e-12);
		assert_close(tu_item(b, "events", "read_capacity")->quantity, 730, 1e-12);
		bill_free(b);
		plan_free(p);
	}
}

/* S2: token bucket 15,000 reads throttled; sliding window 45,000. */
static void s2(void **state)
{
	(void)state;
	assert_int_equal(table_throttled(SC "s2.yaml", NULL, false, NULL), 15000);
	assert_int_equal(table_throttled(SC "s2.yaml", "behaviour.dynamodb.burst_form=sliding_window",
					 false, NULL), 45000);
}

/* S4a: hot key: 30,000 writes throttled. */
static void s4a(void **state)
{
	(void)state;
	assert_int_equal(table_throttled(SC "s4a.yaml", NULL, false, NULL), 30000);
}

/* S5: GSI back-pressure: 120,000 base writes throttled. */
static void s5(void **state)
{
	(void)state;
	assert_int_equal(table_throttled(SC "s5.yaml", NULL, false, NULL), 120000);
}

/* S6a: 42,000 with 60 s + 180 s delays; 0 with zero delays. */
static void s6a(void **state)
{
	(void)state;
	assert_int_equal(table_throttled(SC "s6a.yaml", NULL, false, NULL), 42000);
	assert_int_equal(table_throttled(SC "s6a.yaml",
					 "behaviour.dynamodb.autoscaling={alarm_delay_s: 0, update_delay_s: 0}",
					 false, NULL), 0);
}

/* S6b: empty pool, zero delays: 55,080 writes throttled. */
static void s6b(void **state)
{
	(void)state;
	assert_int_equal(table_throttled(SC "s6b.yaml", NULL, true, NULL), 55080);
}

/* S7: 7,200,000 throttled when the previous peak is the instantaneous
 * served rate (on_demand_window_s = 1). With the default 60-s sustain
 * window the peak ramps in: sustained(3600 + j) = 3,000 + 50 (j + 1) for
 * j < 60, so 1,800 s after the jump the ceiling is 6,100 + 100 k at
 * 5,400 + k and 3,900 - 100 k more are throttled until k = 39: 39 x 3,900
 * - 100 x (38 x 39 / 2) = 152,100 - 74,100 = 78,000 more, 7,278,000 in
 * all. Spread growth (6,000 for 30 minutes, then 10,000): 0 with the
 * instantaneous peak; with the 60-s window the 6,000 plateau is only
 * 3,050 sustained at 3,600, 1,800 s before the second step, and the same
 * ramp throttles 78,000. */
static void s7(void **state)
{
	(void)state;
	assert_int_equal(table_throttled(SC "s7.yaml", "behaviour.dynamodb.on_demand_window_s=1", true, NULL),
			 7200000);
	assert_int_equal(table_throttled(SC "s7.yaml", NULL, true, NULL), 7278000);
	assert_int_equal(table_throttled2(SC "s7.yaml", "traffic.trace=s7-spread.csv",
					  "behaviour.dynamodb.on_demand_window_s=1", true, NULL), 0);
	assert_int_equal(table_throttled(SC "s7.yaml", "traffic.trace=s7-spread.csv", true, NULL), 78000);
}

/* Throttled invocations of function 0 / requests of API 0. */
static uint64_t fn_throttled(const char *path, const char *set, uint64_t *cold)
{
	struct plan *p;
	struct usage *u;
	uint64_t thr;
	const char *sets[1] = {set};

	tu_simulate(path, sets, set ? 1 : 0, false, &p, &u);
	thr = u->fn[0].throttled;
	if (cold)
		*cold = u->fn[0].cold_starts;
	usage_free(u);
	plan_free(p);
	return thr;
}

static uint64_t api_throttled(const char *path)
{
	struct plan *p;
	struct usage *u;
	uint64_t thr;

	tu_simulate(path, NULL, 0, false, &p, &u);
	thr = u->api[0].throttled;
	usage_free(u);
	plan_free(p);
	return thr;
}

/* S8: 82,000 throttled and 5,000 cold starts; stepped refill 100,000. */
static void s8(void **state)
{
	uint64_t cold;

	(void)state;
	assert_int_equal(fn_throttled(SC "s8.yaml", NULL, &cold), 82000);
	assert_int_equal(cold, 5000);
	assert_int_equal(fn_throttled(SC "s8.yaml", "behaviour.lambda.scale_refill=stepped", &cold), 100000);
	assert_int_equal(cold, 5000);
}

/* S9a: 1,200,000 throttled by the 10 x concurrency RPS rule. */
static void s9a(void **state)
{
	(void)state;
	assert_int_equal(fn_throttled(SC "s9a.yaml", NULL, NULL), 1200000);
}

/* S10b: 5,000 throttled by the account bucket; S10c: 150 by the stage. */
static void s10bc(void **state)
{
	(void)state;
	assert_int_equal(api_throttled(SC "s10b.yaml"), 5000);
	assert_int_equal(api_throttled(SC "s10c.yaml"), 150);
}

/* Usage of table 0 of the plan at 'path' (warm); the Lambda tier in front
 * must not throttle. Free with usage_free and plan_free. */
static struct usage *table_usage(const char *path, const char *set, struct plan **p)
{
	struct usage *u;
	const char *sets[1] = {set};

	tu_simulate(path, sets, set ? 1 : 0, false, p, &u);
	assert_int_equal(u->fn[0].throttled, 0);
	return u;
}

/* Admitted operations carry their rounding from second to second (figures
 * worked out in the plans' comments): 0.6 of a batch write a second on
 * 15 WCU, and 2.5 hot-key puts a second on demand. */
static void ddb_carry_admitted(void **state)
{
	struct plan *p;
	struct usage *u;
	struct bill *b;

	(void)state;
	u = table_usage(SC "ddb-carry-batch.yaml", NULL, &p);
	assert_int_equal(u->table[0].offered, 2628000);
	assert_int_equal(u->table[0].throttled, 1051020);
	assert_int_equal(u->table[0].write_units, (uint64_t)(450 + 1576530) * 25);
	usage_free(u);
	plan_free(p);

	u = table_usage(SC "ddb-carry-hot.yaml", NULL, &p);
	assert_int_equal(u->table[0].offered, 4 * 2628000);
	assert_int_equal(u->table[0].throttled, 3942000);
	assert_int_equal(u->table[0].write_units, 2628000000u);
	usage_free(u);
	plan_free(p);
	b = tu_price(SC "ddb-carry-hot.yaml", &p);
	assert_cents(tu_item(b, "hot", "write_requests")->monthly_cost, 164250);
	bill_free(b);
	plan_free(p);
}

/* On-demand GSI write units carry their rounding from second to second
 * (figures in the plan's comment): 0.5 index writes of 2 WRU a second bill
 * 2,628,000 WRU a month, 1.5 a second 7,884,000. */
static void ddb_gsi_carry(void **state)
{
	struct plan *p;
	struct usage *u;
	struct bill *b;

	(void)state;
	u = table_usage(SC "ddb-gsi-carry.yaml", NULL, &p);
	assert_int_equal(u->table[0].write_units, 3 * 2628000);
	assert_int_equal(u->table[0].gsis[0].write_units, 2628000);
	usage_free(u);
	plan_free(p);
	b = tu_price(SC "ddb-gsi-carry.yaml", &p);
	assert_close(tu_item(b, "orders", "gsi by-status write_requests")->monthly_cost, 1.6425, 1e-9);
	bill_free(b);
	plan_free(p);
	u = table_usage(SC "ddb-gsi-carry.yaml", "functions.writer.traffic=3/s", &p);
	assert_int_equal(u->table[0].gsis[0].write_units, 7884000);
	usage_free(u);
	plan_free(p);
}

/* The EC read multiplier on base-table reads (figures in the plans'
 * comments): 9,000 EC queries/s on one key are all admitted at 1.5 and
 * 180,000 throttled in 60 s at 1.0; a third of the units EC gives a cap of
 * 3,375 RCU and 90,000 throttled. */
static void ddb_ec_multiplier(void **state)
{
	uint64_t offered;

	(void)state;
	assert_int_equal(table_throttled(SC "ddb-ec.yaml", NULL, false, &offered), 0);
	assert_int_equal(offered, 9000 * 60);
	assert_int_equal(table_throttled(SC "ddb-ec.yaml",
					 "behaviour.dynamodb.ec_read_partition_multiplier=1",
					 false, NULL), 180000);
	assert_int_equal(table_throttled(SC "ddb-ec-mix.yaml", NULL, false, &offered), 90000);
	assert_int_equal(offered, 2 * 3000 * 60);
}

/* Writes a long-form trace of 'secs' seconds in buckets of 'step' s with
 * streams "route" (100/s) and "direct" (5/s) to 'path'. */
static void write_flat_trace(const char *path, long secs, long step)
{
	FILE *f = fopen(path, "w");
	long t;

	assert_non_null(f);
	fputs("time,stream,count\n", f);
	for (t = 0; t < secs; t += step)
		fprintf(f, "%ld,route,%ld\n%ld,direct,%ld\n", t, 100 * step, t, 5 * step);
	fclose(f);
}

static struct bill *flat_bill(const char *trace, struct plan **p)
{
	char set[512];
	const char *sets[3];

	if (!trace)
		return tu_price_sets(SC "flat.yaml", NULL, 0, p);
	snprintf(set, sizeof set, "traffic.trace=%s", trace);
	sets[0] = set;
	sets[1] = "apis.web.routes.0.traffic=route";
	sets[2] = "functions.list.traffic=direct";
	return tu_price_sets(SC "flat.yaml", sets, 3, p);
}

/* DESIGN §6: a rate-only plan and its equivalent flat trace give the same
 * bill: a full month at 1-minute buckets, and one week at 1-second
 * buckets projected to the month (x 2,628,000 / 604,800). */
static void flat_equivalence(void **state)
{
	char dir[] = "/tmp/costcap-flat-XXXXXX", month[64], week[80];
	struct plan *p0, *p1, *p2;
	struct bill *b0, *b1, *b2;
	size_t i, j;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(month, sizeof month, "%s/month.csv", dir);
	snprintf(week, sizeof week, "%s/week.csv", dir);
	write_flat_trace(month, 2628000, 60);
	write_flat_trace(week, 604800, 1);
	b0 = flat_bill(NULL, &p0);
	b1 = flat_bill(month, &p1);
	b2 = flat_bill(week, &p2);
	assert_true(b0->total > 0);
	assert_int_equal(b0->n, b1->n);
	assert_int_equal(b0->n, b2->n);
	for (i = 0; i < b0->n; i++) {
		assert_int_equal(b0->res[i].requests, b1->res[i].requests);
		assert_int_equal(b0->res[i].nitems, b1->res[i].nitems);
		assert_int_equal(b0->res[i].nitems, b2->res[i].nitems);
		for (j = 0; j < b0->res[i].nitems; j++) {
			assert_close(b1->res[i].items[j].monthly_cost, b0->res[i].items[j].monthly_cost, 1e-9);
			assert_close(b2->res[i].items[j].monthly_cost, b0->res[i].items[j].monthly_cost, 1e-9);
		}
	}
	assert_close(b1->total, b0->total, 1e-12);
	assert_close(b2->total, b0->total, 1e-9);
	bill_free(b0);
	bill_free(b1);
	bill_free(b2);
	plan_free(p0);
	plan_free(p1);
	plan_free(p2);
	unlink(month);
	unlink(week);
	rmdir(dir);
}

/* The function every plan below adds to take its routes off the path
 * that reads trace streams where they stand: traffic of its own (stream
 * 'own', which the API never sees). */
#define OWN_FN "  - {name: fown, memory_mb: 128, duration_ms: {p50: 20, p95: 60}, traffic: %s}\n"

/* Writes 'text' (a plan on dir/t.csv, its functions last) as
 * dir/p0.yaml, and as dir/p1.yaml with OWN_FN on stream 'own' (its
 * function is the plan's third), and simulates both: u[0] on the trace
 * streams' own path, u[1] on the general one. The API's figures and the
 * first two functions' must agree. */
static void direct_and_general(const char *dir, const char *text, const char *own, struct usage *u[2])
{
	char path[64];
	int k;
	size_t i;

	for (k = 0; k < 2; k++) {
		struct plan *p;
		FILE *f;

		snprintf(path, sizeof path, "%s/p%d.yaml", dir, k);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		if (k == 1)
			fprintf(f, OWN_FN, own);
		fclose(f);
		tu_simulate(path, NULL, 0, false, &p, &u[k]);
		plan_free(p);
		unlink(path);
	}
	assert_int_equal(u[0]->api[0].offered, u[1]->api[0].offered);
	assert_int_equal(u[0]->api[0].admitted, u[1]->api[0].admitted);
	assert_int_equal(u[0]->api[0].throttled, u[1]->api[0].throttled);
	for (i = 0; i < 2; i++) {
		assert_int_equal(u[0]->fn[i].offered, u[1]->fn[i].offered);
		assert_int_equal(u[0]->fn[i].invocations, u[1]->fn[i].invocations);
		assert_int_equal(u[0]->fn[i].cold_starts, u[1]->fn[i].cold_starts);
		assert_int_equal(u[0]->fn[i].mb_ms, u[1]->fn[i].mb_ms);
		assert_true(u[0]->fn[i].peak_concurrency == u[1]->fn[i].peak_concurrency);
	}
}

/* One API, two routes to two functions from trace streams, its stage
 * limited to 100 requests a second with a burst of 50 (DESIGN §4: at
 * most carried tokens + rate pass in a second, carried tokens capped at
 * the burst), over 70,000 s (long enough for the simulator's threads).
 * Streams whose counts are read where they stand in the trace take a
 * path of their own: the same plan with a third function that has its
 * own traffic (which the API never sees) takes the general one, and the
 * two must agree on every API and function figure. With constant
 * traffic of 300 + 200 a second the figures are worked out by hand: the
 * first second passes 50 + 100 = 150 (90 and 60, in proportion), each
 * later one 100 (60 and 40). */
static void api_direct_routes(void **state)
{
	static const char plan[] =
		"name: direct\ntraffic: {trace: t.csv}\n"
		"apis:\n  - name: api\n    type: rest\n    throttle: {rate: 100, burst: 50}\n"
		"    routes:\n      - {route: GET /a, function: fa, traffic: a}\n"
		"      - {route: GET /b, function: fb, traffic: b}\n"
		"functions:\n"
		"  - {name: fa, memory_mb: 128, duration_ms: {p50: 20, p95: 60}}\n"
		"  - {name: fb, memory_mb: 128, duration_ms: {p50: 20, p95: 60}}\n";
	char dir[] = "/tmp/costcap-direct-XXXXXX", trace[64];
	const long secs = 70000;
	int varied;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(trace, sizeof trace, "%s/t.csv", dir);
	for (varied = 0; varied < 2; varied++) {
		struct usage *u[2];
		FILE *f = fopen(trace, "w");
		long t;
		int k;

		assert_non_null(f);
		fputs("time,a,b,c\n", f);
		for (t = 0; t < secs; t++)
			fprintf(f, "%ld,%ld,%ld,3\n", t, varied ? 150 + (t % 7) * 40 + (t / 1000 % 3) * 90 : 300,
				varied ? 20 + (t % 11) * 25 : 200);
		fclose(f);
		direct_and_general(dir, plan, "c", u);
		assert_int_equal(u[1]->fn[2].invocations, 3 * secs);
		if (!varied) {
			assert_int_equal(u[0]->api[0].offered, 500 * secs);
			assert_int_equal(u[0]->api[0].admitted, 50 + 100 * secs);
			assert_int_equal(u[0]->fn[0].offered, 90 + 60 * (secs - 1));
			assert_int_equal(u[0]->fn[1].offered, 60 + 40 * (secs - 1));
		}
		for (k = 0; k < 2; k++)
			usage_free(u[k]);
	}
	unlink(trace);
	rmdir(dir);
}

/* The same path in quiet blocks (no limit near): three routes from
 * trace streams, two of them to one function, whose arrivals are then
 * summed in columns. Against the general path (a function with traffic
 * of its own) and against the totals summed here from the counts
 * written. */
static void api_direct_quiet(void **state)
{
	static const char plan[] =
		"name: quiet\ntraffic: {trace: t.csv}\n"
		"apis:\n  - name: api\n    type: rest\n"
		"    routes:\n      - {route: GET /a, function: fa, traffic: a}\n"
		"      - {route: GET /b, function: fb, traffic: b}\n"
		"      - {route: GET /c, function: fa, traffic: c}\n"
		"functions:\n"
		"  - {name: fa, memory_mb: 128, duration_ms: {p50: 20, p95: 60}}\n"
		"  - {name: fb, memory_mb: 128, duration_ms: {p50: 20, p95: 60}}\n";
	char dir[] = "/tmp/costcap-quiet-XXXXXX", trace[64];
	const long secs = 70000;
	uint64_t sa = 0, sb = 0, sc = 0;
	struct usage *u[2];
	FILE *f;
	long t;
	int k;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(trace, sizeof trace, "%s/t.csv", dir);
	f = fopen(trace, "w");
	assert_non_null(f);
	fputs("time,a,b,c,d\n", f);
	for (t = 0; t < secs; t++) {
		long a = 10 + (t % 7) * 3 + (t / 1000 % 3) * 5, b = 2 + (t % 11), c = (t % 5) * (t % 3);

		fprintf(f, "%ld,%ld,%ld,%ld,1\n", t, a, b, c);
		sa += (uint64_t)a;
		sb += (uint64_t)b;
		sc += (uint64_t)c;
	}
	fclose(f);
	direct_and_general(dir, plan, "d", u);
	assert_int_equal(u[0]->api[0].offered, sa + sb + sc);
	assert_int_equal(u[0]->api[0].throttled, 0);
	assert_int_equal(u[0]->fn[0].offered, sa + sc);
	assert_int_equal(u[0]->fn[1].offered, sb);
	assert_int_equal(u[1]->fn[2].invocations, secs);
	for (k = 0; k < 2; k++)
		usage_free(u[k]);
	unlink(trace);
	rmdir(dir);
}

/* Two APIs on trace streams read where they stand, a route without a
 * function among them, and the second API's stage throttled (60 a
 * second, a burst of 30) by counts that vary second to second: its
 * bucket sees each second's requests, so every figure of both APIs must
 * agree with the general path's. 70,003 s: the last block's seconds are
 * not a multiple of 8. The offered totals are summed here from the
 * counts written. */
static void api_direct_two_apis(void **state)
{
	static const char plan[] =
		"name: two\ntraffic: {trace: t.csv}\n"
		"apis:\n  - name: front\n    type: rest\n"
		"    routes:\n      - {route: GET /a, function: fa, traffic: a}\n"
		"      - {route: GET /b, function: fb, traffic: b}\n"
		"      - {route: GET /e, traffic: e}\n"
		"  - name: back\n    type: http\n    throttle: {rate: 60, burst: 30}\n"
		"    routes:\n      - {route: GET /c, function: fa, traffic: c}\n"
		"      - {route: GET /d, function: fb, traffic: d}\n"
		"functions:\n"
		"  - {name: fa, memory_mb: 128, duration_ms: {p50: 20, p95: 60}}\n"
		"  - {name: fb, memory_mb: 128, duration_ms: {p50: 20, p95: 60}}\n";
	char dir[] = "/tmp/costcap-twoapi-XXXXXX", trace[64];
	const long secs = 70003;
	uint64_t front = 0, back = 0;
	struct usage *u[2];
	FILE *f;
	long t;
	int k;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(trace, sizeof trace, "%s/t.csv", dir);
	f = fopen(trace, "w");
	assert_non_null(f);
	fputs("time,a,b,c,d,e,o\n", f);
	for (t = 0; t < secs; t++) {
		long a = 10 + (t % 7) * 3, b = 2 + (t % 11), c = 20 + (t % 13) * 4, d = (t % 5) * (t % 3) * 3;
		long e = t % 9;

		fprintf(f, "%ld,%ld,%ld,%ld,%ld,%ld,1\n", t, a, b, c, d, e);
		front += (uint64_t)(a + b + e);
		back += (uint64_t)(c + d);
	}
	fclose(f);
	direct_and_general(dir, plan, "o", u);
	assert_int_equal(u[0]->api[0].offered, front);
	assert_int_equal(u[0]->api[1].offered, back);
	assert_true(u[0]->api[1].throttled > 0);
	assert_int_equal(u[0]->api[1].offered, u[1]->api[1].offered);
	assert_int_equal(u[0]->api[1].admitted, u[1]->api[1].admitted);
	assert_int_equal(u[0]->api[1].throttled, u[1]->api[1].throttled);
	assert_int_equal(u[0]->api[1].metered, u[1]->api[1].metered);
	for (k = 0; k < 2; k++)
		usage_free(u[k]);
	unlink(trace);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(s1),
		cmocka_unit_test(s2),
		cmocka_unit_test(s4a),
		cmocka_unit_test(s5),
		cmocka_unit_test(s6a),
		cmocka_unit_test(s6b),
		cmocka_unit_test(s7),
		cmocka_unit_test(s8),
		cmocka_unit_test(s9a),
		cmocka_unit_test(s10bc),
		cmocka_unit_test(ddb_carry_admitted),
		cmocka_unit_test(ddb_gsi_carry),
		cmocka_unit_test(ddb_ec_multiplier),
		cmocka_unit_test(flat_equivalence),
		cmocka_unit_test(api_direct_routes),
		cmocka_unit_test(api_direct_quiet),
		cmocka_unit_test(api_direct_two_apis),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
