/* test_dynamo: the DynamoDB second-by-second model (core/dynamo.c) against
 * the hand-computed scenarios of reference/behaviour.md §6 (S1-S7) and the
 * AWS worked examples quoted in §1.4 and §2, plus the switches of §7
 * (partition rule, EC multiplier, burst retention and availability, scale-in
 * on zero) and unit-hour billing. The model is built here by
 * hand with the defaults of behaviour.md §7 (the same figures as
 * models/aws/us-east-1.yaml), so these tests do not depend on the model
 * loader; each test states what it changes and why.
 *
 * Units: 1 KB writes (1 WCU each) and 4 KB strongly consistent reads (1 RCU
 * each), as in §6. "Throttled" is offered units minus admitted units,
 * summed over the seconds run. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

#include "core/dynamo.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* Asserts |a - b| <= tol * max(1, |b|). */
#define assert_near(a, b, tol) do { \
	double an_a_ = (a), an_b_ = (b); \
	if (!(fabs(an_a_ - an_b_) <= (tol) * fmax(1.0, fabs(an_b_)))) \
		fail_msg("%s = %.12g, expected %.12g", #a, an_a_, an_b_); \
} while (0)

#define TOL 1e-9
#define PI 3.14159265358979323846

/* behaviour.md §7 defaults (and models/aws/us-east-1.yaml). */
static void model_defaults(struct dynamo_model *m)
{
	memset(m, 0, sizeof *m);
	m->partition_rcu = 3000;		/* §1.2 FACT: 3,000 RCU per partition */
	m->partition_wcu = 1000;		/* §1.2 FACT: 1,000 WCU per partition */
	m->partition_gb = 10;			/* §1.2 FACT-OLD: ~10 GB per partition */
	m->table_max_rcu = 40000;		/* §1.6 / §7: table quota 40,000 R */
	m->table_max_wcu = 40000;		/* §7: 40,000 W */
	m->account_max_rcu = 80000;		/* §1.6 */
	m->account_max_wcu = 80000;
	m->min_units = 1;			/* §1.6: minimum 1 unit */
	m->on_demand_initial_rru = 12000;	/* §7: on-demand new-table floor 12,000 R */
	m->on_demand_initial_wru = 4000;	/* §7: 4,000 W */
	m->item_max_kb = 400;
	m->max_gsis = 20;
	m->burst_s = 300;			/* §7 FACT: 300 s burst window */
	m->burst_form = BURST_TOKEN_BUCKET;	/* §7 ASSUMPTION: token bucket */
	m->burst_retention = 1.0;		/* §7 ASSUMPTION */
	m->burst_availability = 1.0;		/* §7 ASSUMPTION */
	m->partition_rule = PARTITION_LINEAR;	/* §7: linear combination */
	m->ec_read_partition_multiplier = 1.0;	/* §7: 1.0 (1.5 observed) */
	m->admission = ADMISSION_CURRENT;	/* §7: current; legacy optional */
	m->split_heat_threshold = 0.8;		/* §7 ASSUMPTION θ */
	m->split_heat_sustain_s = 300;		/* §7 ASSUMPTION τ */
	m->split_heat_delay_s = 300;		/* §7 ASSUMPTION δ */
	m->autoscaling.alarm_delay_s = 60;	/* §7 ASSUMPTION Δa */
	m->autoscaling.update_delay_s = 120;	/* §7 ASSUMPTION Du */
	m->autoscaling.scale_out_minutes = 2;	/* §7 FACT: 2 x 1-min > T */
	m->autoscaling.scale_in_minutes = 15;	/* §7 FACT: 15 x 1-min < T - 20 pts */
	m->autoscaling.scale_in_gap = 0.20;	/* §7 FACT: 20 percentage points */
	m->autoscaling.decreases_first_hour = 4;	/* §7 FACT: 4 in the first hour */
	m->autoscaling.decrease_interval_s = 3600;	/* §7 FACT: then 1 per hour */
	m->autoscaling.scale_in_on_zero = false;	/* §1.7 FACT-OLD: no scale-in at zero */
	m->on_demand_lag_s = 1800;		/* §7 ASSUMPTION L */
	m->on_demand_window_s = 60;		/* §7 ASSUMPTION Ws */
	m->client_retries = 0;
}

static struct table table_prov(double rcu, double wcu)
{
	struct table t;

	memset(&t, 0, sizeof t);
	t.name = "t";
	t.mode = MODE_PROVISIONED;
	t.rcu = rcu;
	t.wcu = wcu;
	t.class = CLASS_STANDARD;
	return t;
}

static struct table table_od(void)
{
	struct table t = table_prov(0, 0);

	t.mode = MODE_ON_DEMAND;
	return t;
}

static struct autoscaling policy(double min, double max, double target)
{
	struct autoscaling a = {true, min, max, target};

	return a;
}

/* A running simulation: the clock and the sums over the seconds run. */
struct run {
	struct dynamo *d;
	long long t;			/* next second to step */
	double r_dem, w_dem, r_thr, w_thr;
	double gr_thr[2], gw_served[2];
	unsigned r_reasons, w_reasons;
	long long first_r_thr, first_w_thr;	/* first second with throttling, -1 none */
	struct dynamo_tick tick;	/* the last second's */
};

static void run_init(struct run *s, struct dynamo *d)
{
	memset(s, 0, sizeof *s);
	s->d = d;
	s->first_r_thr = s->first_w_thr = -1;
}

/* Steps 'n' seconds of constant demand (GSI arrays may be NULL). */
static void run_for(struct run *s, long long n, double r, double w, const double *gr,
		    const double *gw, size_t ngsi)
{
	struct dynamo_demand dem = {r, w, gr, gw};
	long long i;
	size_t g;

	for (i = 0; i < n; i++, s->t++) {
		double tr, tw;

		dynamo_step(s->d, (double)s->t, &dem, &s->tick);
		tr = r * (1 - s->tick.read_frac);
		tw = w * (1 - s->tick.write_frac);
		s->r_dem += r;
		s->w_dem += w;
		s->r_thr += tr;
		s->w_thr += tw;
		if (tr > 1e-9 && s->first_r_thr < 0)
			s->first_r_thr = s->t;
		if (tw > 1e-9 && s->first_w_thr < 0)
			s->first_w_thr = s->t;
		s->r_reasons |= s->tick.read_reasons;
		s->w_reasons |= s->tick.write_reasons;
		for (g = 0; g < ngsi && g < 2; g++) {
			if (gr)
				s->gr_thr[g] += gr[g] * (1 - s->tick.gsi_read_frac[g]);
			if (gw)
				s->gw_served[g] += gw[g] * s->tick.write_frac;
		}
	}
}

/* ---- S1: burst absorbs a short spike -------------------------------- */

/* §6 S1: 100 WCU, one partition, idle 300 s (bucket 30,000), 400 writes/s.
 * 60 s: 0 throttled, 30,000 - 300 x 60 = 12,000 left. 150 s: the bucket
 * lasts 100 s, then 300/s for 50 s = 15,000 throttled. The sliding window
 * (oldest used first) gives the same figures here (§6 S1). */
static void s1_one(enum burst_form form)
{
	struct dynamo_model m;
	struct table t = table_prov(0, 100);
	struct run s;

	model_defaults(&m);
	m.burst_form = form;

	run_init(&s, dynamo_new(&t, &m, 0, 0, false));	/* warm, idle: pool full */
	assert_int_equal(dynamo_partitions(s.d, -1), 1);	/* 100/1000 -> 1 */
	assert_near(dynamo_burst(s.d, -1, true), 30000, TOL);
	run_for(&s, 60, 0, 400, NULL, NULL, 0);
	assert_near(s.w_thr, 0, TOL);
	assert_near(s.tick.write_burst, 12000, TOL);
	dynamo_free(s.d);

	run_init(&s, dynamo_new(&t, &m, 0, 0, false));
	run_for(&s, 150, 0, 400, NULL, NULL, 0);
	assert_near(s.w_thr, 15000, TOL);
	assert_near(s.w_dem - s.w_thr, 45000, TOL);	/* 150 x 100 + 30,000 */
	assert_int_equal(s.first_w_thr, 100);
	assert_true(s.w_reasons & DDB_THROTTLE_CAPACITY);
	assert_false(s.w_reasons & DDB_THROTTLE_KEY_RANGE);
	dynamo_free(s.d);
}

static void test_s1_burst_spike(void **state)
{
	(void)state;
	s1_one(BURST_TOKEN_BUCKET);
	s1_one(BURST_SLIDING_WINDOW);
}

/* ---- S2: AWS's 150 RCU example ---------------------------------------- */

/* §1.4 FACT (repost.aws dynamodb-spiky-workloads-short-intervals): 150 RCU
 * unused for 5 minutes banks 150 x 300 = 45,000 units; at 200 RCU they last
 * 45,000 / 50 = 900 s. §6 S2: 20 min at 200 -> token bucket 50 x 300 =
 * 15,000 throttled; sliding window empty at 300 s -> 50 x 900 = 45,000. */
static void test_s2_aws_150_rcu(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(150, 0);
	struct run s;

	(void)state;
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 0, false));
	assert_near(dynamo_burst(s.d, -1, false), 45000, TOL);
	run_for(&s, 900, 200, 0, NULL, NULL, 0);
	assert_near(s.r_thr, 0, TOL);		/* the burst lasts 900 s */
	assert_near(dynamo_burst(s.d, -1, false), 0, 1e-6);
	run_for(&s, 300, 200, 0, NULL, NULL, 0);
	assert_int_equal(s.first_r_thr, 900);
	assert_near(s.r_thr, 15000, TOL);
	assert_true(s.r_reasons & DDB_THROTTLE_CAPACITY);
	dynamo_free(s.d);

	m.burst_form = BURST_SLIDING_WINDOW;
	run_init(&s, dynamo_new(&t, &m, 0, 0, false));
	run_for(&s, 1200, 200, 0, NULL, NULL, 0);
	assert_int_equal(s.first_r_thr, 300);
	assert_near(s.r_thr, 45000, TOL);
	dynamo_free(s.d);
}

/* ---- S3: adaptive capacity vs static allocation ----------------------- */

/* §6 S3: 400 WCU as 4 partitions x 100 (40 GB gives the 4 partitions:
 * ceil(40/10)), traffic 50, 50, 50, 150 WCU/s for 1 h. As a hot key: share
 * h of 300 on one partition plus (1 - h) x 300 / 4 everywhere; 150 and 50
 * need h = 1/3. Current model: 0 throttled. Legacy: the hot partition has
 * 100 + a 30,000 pool; 50/s excess lasts 600 s, then 50/s for 3,000 s =
 * 150,000. */
static void test_s3_legacy_vs_current(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(0, 400);
	struct run s;

	(void)state;
	t.storage_gb = 40;
	t.hot_key_share = 1.0 / 3;
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 300, false));
	assert_int_equal(dynamo_partitions(s.d, -1), 4);
	run_for(&s, 3600, 0, 300, NULL, NULL, 0);
	assert_near(s.w_thr, 0, TOL);
	dynamo_free(s.d);

	m.admission = ADMISSION_LEGACY;
	run_init(&s, dynamo_new(&t, &m, 0, 300, false));
	run_for(&s, 3600, 0, 300, NULL, NULL, 0);
	assert_int_equal(s.first_w_thr, 600);
	assert_near(s.w_thr, 150000, 1e-6);
	assert_true(s.w_reasons & DDB_THROTTLE_CAPACITY);
	dynamo_free(s.d);
}

/* ---- S4: hot key and partition arithmetic ----------------------------- */

/* §6 S4a: 4,000 WCU (-> 4 partitions), bucket full, 1,500 writes/s to one
 * key for 60 s: the item's partition caps it at 1,000 -> 500 x 60 = 30,000
 * throttled, reason key range; burst does not help; no split for one key. */
static void test_s4a_hot_key(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(0, 4000);
	struct run s;

	(void)state;
	t.hot_key_share = 1;
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 0, false));
	assert_int_equal(dynamo_partitions(s.d, -1), 4);
	run_for(&s, 60, 0, 1500, NULL, NULL, 0);
	assert_near(s.w_thr, 30000, TOL);
	assert_true(s.w_reasons & DDB_THROTTLE_KEY_RANGE);
	assert_false(s.w_reasons & DDB_THROTTLE_CAPACITY);
	/* Held for much longer than the split-for-heat delays: one item is
	 * never split, so the cap and the partition count stay. */
	run_for(&s, 1200, 0, 1500, NULL, NULL, 0);
	assert_near(s.w_thr, 30000 + 500 * 1200, TOL);
	assert_int_equal(dynamo_partitions(s.d, -1), 4);
	dynamo_free(s.d);
}

/* §6 S4b / §1.2 FACT-OLD (GuidelinesForTables.md, 2017): 5,000 RCU + 2,000
 * WCU -> ceil(3.667) = 4 partitions (1,250 RCU, 500 WCU each); raising RCU
 * to 8,000 doubles to 8 (1,000 RCU, 250 WCU each). 11,000 WCU -> 11
 * partitions; down to 200 WCU it stays 11 (200/11 = 18.2 WCU each). Legacy:
 * a key range at 50 WCU/s on one of those 11 has 300 x 200/11 = 5,454.5
 * units of burst, lasting 5,454.5 / 31.8 = 171.4 s, then throttles 31.8/s:
 * over 600 s that is 600 x 350/11 - 60,000/11 = 150,000/11. Current model:
 * 50 <= 200 table capacity -> 0. */
static void test_s4b_partitions(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(5000, 2000);
	struct table bulk = table_prov(0, 11000);
	struct dynamo *d;
	struct run s;

	(void)state;
	model_defaults(&m);
	d = dynamo_new(&t, &m, 0, 0, false);
	assert_int_equal(dynamo_partitions(d, -1), 4);
	dynamo_set_provisioned(d, -1, 8000, 2000);
	assert_int_equal(dynamo_partitions(d, -1), 8);
	assert_near(dynamo_capacity(d, -1, false) / dynamo_partitions(d, -1), 1000, TOL);
	assert_near(dynamo_capacity(d, -1, true) / dynamo_partitions(d, -1), 250, TOL);
	dynamo_free(d);

	/* Other FACT-OLD examples: 1,000 R + 500 W -> 1; 1,000 + 1,000 -> 2. */
	t = table_prov(1000, 500);
	d = dynamo_new(&t, &m, 0, 0, false);
	assert_int_equal(dynamo_partitions(d, -1), 1);
	dynamo_free(d);
	t = table_prov(1000, 1000);
	d = dynamo_new(&t, &m, 0, 0, false);
	assert_int_equal(dynamo_partitions(d, -1), 2);
	dynamo_free(d);

	bulk.hot_key_share = 1;		/* the 50 WCU/s key range */
	run_init(&s, dynamo_new(&bulk, &m, 0, 0, false));
	assert_int_equal(dynamo_partitions(s.d, -1), 11);
	dynamo_set_provisioned(s.d, -1, 0, 200);
	assert_int_equal(dynamo_partitions(s.d, -1), 11);	/* never merged */
	run_for(&s, 600, 0, 50, NULL, NULL, 0);
	assert_near(s.w_thr, 0, TOL);
	assert_int_equal(dynamo_partitions(s.d, -1), 11);
	dynamo_free(s.d);

	m.admission = ADMISSION_LEGACY;
	run_init(&s, dynamo_new(&bulk, &m, 0, 0, false));
	dynamo_set_provisioned(s.d, -1, 0, 200);
	assert_near(dynamo_burst(s.d, -1, true), 11 * 300 * 200.0 / 11, TOL);
	run_for(&s, 600, 0, 50, NULL, NULL, 0);
	assert_int_equal(s.first_w_thr, 171);
	assert_near(s.w_thr, 150000.0 / 11, 1e-9);
	dynamo_free(s.d);
}

/* ---- S5: GSI back-pressure -------------------------------------------- */

/* §6 S5: base 1,000 WCU, one GSI at 200 WCU (pool 60,000), each base write
 * adds one GSI write, 500 writes/s for 600 s. The GSI's pool covers its
 * 300/s excess for 200 s; then 200/s are admitted -> base writes throttled
 * 300 x 400 = 120,000 although the base never exceeds its 1,000 WCU. Only
 * admitted writes consume: the GSI takes 500 x 200 + 200 x 400 = 180,000. */
static void test_s5_gsi_back_pressure(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(0, 1000);
	struct gsi g;
	double gr[1] = {0}, gw[1] = {500};
	struct run s;

	(void)state;
	memset(&g, 0, sizeof g);
	g.name = "by-x";
	g.wcu = 200;
	g.write_share = 1;
	t.gsis = &g;
	t.ngsis = 1;
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 500, false));
	assert_near(dynamo_burst(s.d, 0, true), 60000, TOL);
	run_for(&s, 600, 0, 500, gr, gw, 1);
	assert_near(s.w_thr, 120000, TOL);
	assert_int_equal(s.first_w_thr, 200);
	assert_true(s.w_reasons & DDB_THROTTLE_GSI);
	assert_false(s.w_reasons & DDB_THROTTLE_CAPACITY);
	assert_near(s.gw_served[0], 180000, TOL);
	/* The base table's own pool never drained. */
	assert_near(dynamo_burst(s.d, -1, true), 300000, TOL);
	dynamo_free(s.d);
}

/* §1.5 FACT: GSI reads over the GSI's capacity throttle only the query. */
static void test_gsi_reads_throttle_only_themselves(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(100, 100);
	struct gsi g;
	double gr[1] = {150}, gw[1] = {0};
	struct run s;

	(void)state;
	memset(&g, 0, sizeof g);
	g.rcu = 100;
	g.wcu = 100;
	t.gsis = &g;
	t.ngsis = 1;
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 50, 50, true));	/* cold: no burst */
	run_for(&s, 10, 50, 50, gr, gw, 1);
	assert_near(s.gr_thr[0], 500, TOL);
	assert_near(s.tick.gsi_read_frac[0], 100.0 / 150, TOL);
	assert_true(s.tick.gsi_read_reasons[0] & DDB_THROTTLE_CAPACITY);
	assert_near(s.r_thr + s.w_thr, 0, TOL);
	dynamo_free(s.d);
}

/* ---- S6: auto scaling ------------------------------------------------- */

/* §6 S6: P = 100 WCU (min 100, max 4,000), target 70 %. Demand was 50 WCU/s
 * for >= 600 s (so the pool is full: a warm start at 50, where the policy
 * keeps the minimum 100), then 300 WCU/s from t = 0.
 * (a) The pool covers 200/s for 150 s; minutes 0 and 1 at U = 300 % raise
 * the alarm at t = 120; new P = ceil(300/0.7) = 429 from t = 120 + Δa + Du.
 * Throttled = 200 x max(0, 120 + Δa + Du - 150): Δa = 60, Du = 180 -> 200 x
 * 210 = 42,000; zero delays -> 0. Afterwards U = 300/429 = 69.9 %: stable. */
static void test_s6a_step_response(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(0, 100);
	struct run s;
	int i;

	(void)state;
	t.autoscaling = policy(100, 4000, 0.7);
	model_defaults(&m);
	m.autoscaling.alarm_delay_s = 60;
	m.autoscaling.update_delay_s = 180;
	run_init(&s, dynamo_new(&t, &m, 0, 50, false));
	assert_near(dynamo_capacity(s.d, -1, true), 100, TOL);
	assert_near(dynamo_burst(s.d, -1, true), 30000, TOL);
	run_for(&s, 360, 0, 300, NULL, NULL, 0);
	assert_near(s.tick.write_capacity, 100, TOL);	/* second 359 */
	run_for(&s, 1, 0, 300, NULL, NULL, 0);
	assert_near(s.tick.write_capacity, 429, TOL);	/* from second 360 */
	assert_int_equal(s.first_w_thr, 150);
	assert_near(s.w_thr, 42000, TOL);
	for (i = 0; i < 3; i++)		/* three more hours: no change */
		run_for(&s, 3600, 0, 300, NULL, NULL, 0);
	assert_near(s.tick.write_capacity, 429, TOL);
	assert_near(s.w_thr, 42000, TOL);
	assert_int_equal(dynamo_decreases(s.d, -1), 0);
	dynamo_free(s.d);

	m.autoscaling.alarm_delay_s = 0;
	m.autoscaling.update_delay_s = 0;
	run_init(&s, dynamo_new(&t, &m, 0, 50, false));
	run_for(&s, 120, 0, 300, NULL, NULL, 0);
	assert_near(s.tick.write_capacity, 100, TOL);
	run_for(&s, 1, 0, 300, NULL, NULL, 0);
	assert_near(s.tick.write_capacity, 429, TOL);	/* from second 120 */
	run_for(&s, 3600, 0, 300, NULL, NULL, 0);
	assert_near(s.w_thr, 0, TOL);
	dynamo_free(s.d);
}

/* §6 S6b: the same policy, zero delays, pool empty (cold). Consumption is
 * capped at P, so each round multiplies P by at most 1/0.7: t = 120 -> 143,
 * 240 -> 205, 360 -> 293, 480 -> 419, 600 -> 429 (419 gives U = 71.6 %).
 * Throttled 200 x 120 + 157 x 120 + 95 x 120 + 7 x 120 = 55,080. */
static void test_s6b_empty_bucket(void **state)
{
	static const double want_t[] = {120, 240, 360, 480, 600};
	static const double want_p[] = {143, 205, 293, 419, 429};
	struct dynamo_model m;
	struct table t = table_prov(0, 100);
	struct run s;
	double prev;
	int n = 0;

	(void)state;
	t.autoscaling = policy(100, 4000, 0.7);
	model_defaults(&m);
	m.autoscaling.alarm_delay_s = 0;
	m.autoscaling.update_delay_s = 0;
	run_init(&s, dynamo_new(&t, &m, 0, 300, true));
	assert_near(dynamo_burst(s.d, -1, true), 0, TOL);
	prev = dynamo_capacity(s.d, -1, true);
	assert_near(prev, 100, TOL);
	while (s.t < 7200) {
		run_for(&s, 1, 0, 300, NULL, NULL, 0);
		if (s.tick.write_capacity != prev) {
			assert_true(n < 5);
			assert_near((double)(s.t - 1), want_t[n], 0);
			assert_near(s.tick.write_capacity, want_p[n], 0);
			prev = s.tick.write_capacity;
			n++;
		}
	}
	assert_int_equal(n, 5);
	assert_near(s.w_thr, 55080, TOL);
	dynamo_free(s.d);
}

/* Counts capacity decreases of the base table's reads, per UTC day and in
 * the first hour of each day, over 'days' days of a demand given per minute
 * by 'high(minute)'. */
static void count_decreases(struct run *s, int days, bool (*high)(long long minute),
			    int *per_day, int *first_hour)
{
	double prev = dynamo_capacity(s->d, -1, false);
	long long end = (long long)days * 86400;

	while (s->t < end) {
		long long t = s->t;

		run_for(s, 1, high(t / 60) ? 1200 : 100, 0, NULL, NULL, 0);
		if (s->tick.read_capacity < prev) {
			per_day[t / 86400]++;
			if (t % 86400 < 3600)
				first_hour[t / 86400]++;
		}
		prev = s->tick.read_capacity;
	}
}

static bool every_4_minutes(long long minute)
{
	return minute % 4 < 2;
}

static bool every_30_minutes(long long minute)
{
	return minute % 30 < 2;
}

/* §6 S6c / §1.6 FACT (ServiceQuotas.md): up to 4 decreases in the first
 * hour of a UTC day, then one per hour: at most 27 a day.
 * Reads, policy min 1,000, max 2,000, target 70 %, zero delays, warm at 100
 * RCU/s (P = min 1,000, pool full). Each cycle: 2 minutes at 1,200 RCU/s
 * (U = 1.2 with burst -> P = ceil(1,200/0.7) = 1,715), then low at 100
 * (U < 50 % -> the policy wants P = 1,000 back).
 * (1) A 4-minute cycle with scale_in_minutes = 1 (changed here so that the
 * policy wants a decrease in every cycle): decreases at 180, 420, 660, 900
 * (4 in the first hour), then refused until 900 + 3,600 = 4,500 and hourly
 * after: 900 + 3,600j for j = 1..23 -> 4 + 23 = 27 in day 0; day 1 again
 * starts with 4 in its first hour. (At P = 1,715 the high minutes give U =
 * 1,200/1,715 = 69.97 %, no scale-out, so P waits at 1,715.)
 * (2) "Scale in every 30 min" with the default 15 datapoints: 2 high
 * minutes then 28 low; decreases at 1,020 and 2,820 (first hour), the next
 * wanted at 4,620 is refused (< 3,600 s after 2,820) and retried each low
 * minute; it comes at the next cycle's 15th low minute 6,420, then every
 * 3,600 s: 6,420 + 3,600j <= 86,399 for j = 0..22 -> 2 + 23 = 25 <= 27. */
static void test_s6c_decrease_limit(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(1000, 1000);
	struct run s;
	int per_day[3] = {0}, first_hour[3] = {0};

	(void)state;
	t.autoscaling = policy(1000, 2000, 0.7);
	model_defaults(&m);
	m.autoscaling.alarm_delay_s = 0;
	m.autoscaling.update_delay_s = 0;
	m.autoscaling.scale_in_minutes = 1;
	run_init(&s, dynamo_new(&t, &m, 100, 0, false));
	assert_near(dynamo_capacity(s.d, -1, false), 1000, TOL);
	count_decreases(&s, 2, every_4_minutes, per_day, first_hour);
	assert_int_equal(first_hour[0], 4);
	assert_int_equal(per_day[0], 27);
	assert_int_equal(first_hour[1], 4);
	assert_int_equal(per_day[1], 27);
	assert_int_equal(dynamo_decreases(s.d, -1), 54);
	assert_near(s.r_thr, 0, TOL);
	dynamo_free(s.d);

	memset(per_day, 0, sizeof per_day);
	memset(first_hour, 0, sizeof first_hour);
	m.autoscaling.scale_in_minutes = 15;
	run_init(&s, dynamo_new(&t, &m, 100, 0, false));
	count_decreases(&s, 1, every_30_minutes, per_day, first_hour);
	assert_int_equal(first_hour[0], 2);
	assert_int_equal(per_day[0], 25);
	dynamo_free(s.d);
}

/* §1.7 ASSUMPTION: a scale-in sets ceil(max consumed over the alarm's last
 * 15 datapoints / target), also when it comes late because the decrease
 * limits refused it at first. Writes, policy min 1, max 40,000, target
 * 70 %, default delays (alarm 60 s, UpdateTable 120 s); the load steps
 * down every 20 minutes, w_k = round(3,000 x 0.6^k) = 3,000, 1,800, 1,080,
 * 648, 389, 233, 140, 84, 50, ... writes/s for k = floor(t / 1,200).
 * Warm at 3,000: P = ceil(3,000/0.7) = 4,286.
 * - Minutes 20-34 at 1,800 (U = 0.42 < 0.5): the alarm at 2,100 decides at
 *   2,160 (first hour: allowed) ceil(1,800/0.7) = 2,572, in force at 2,280.
 * - Minutes 40-54 at 1,080 (U = 0.42): decided at 3,360 (still the first
 *   hour), ceil(1,080/0.7) = 1,543 from 3,480.
 * - Minutes 60-74 at 648 (U = 0.42): decided at 4,560, after the first hour
 *   and less than 3,600 s after 3,360: refused, retried every minute while
 *   the run stays low (389 and 233 are below 0.5 x 1,543 too), allowed at
 *   3,360 + 3,600 = 6,960 (the alarm of minute 114, ending at 6,900). Its
 *   last 15 datapoints are minutes 100-114, all at 233: P = ceil(233/0.7) =
 *   333 from 7,080 (the whole run's peak, 648, gave ceil(648/0.7) = 926).
 * - Minutes 118-119 at 233 are at U = 0.6997, not low; minutes 120 on at
 *   140 (U = 0.42) fire from minute 134 (alarm at 8,100, decided at 8,160),
 *   refused until 6,960 + 3,600 = 10,560: the alarm of minute 174 (ending
 *   at 10,500), whose last 15 datapoints are minutes 160-174 at 50:
 *   P = ceil(50/0.7) = 72 from 10,680 (the run's peak 140 gave 200). */
static void test_scale_in_last_datapoints(void **state)
{
	static const double load[] = {3000, 1800, 1080, 648, 389, 233, 140, 84, 50, 30};
	struct dynamo_model m;
	struct table t = table_prov(1, 1);
	struct run s;
	size_t k;

	(void)state;
	for (k = 1; k < sizeof load / sizeof *load; k++)
		assert_near(load[k], round(3000 * pow(0.6, (double)k)), TOL);
	t.autoscaling = policy(1, 40000, 0.7);
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 3000, false));
	assert_near(dynamo_capacity(s.d, -1, true), 4286, TOL);
	while (s.t < 12000) {
		double before = dynamo_capacity(s.d, -1, true);
		long long t0 = s.t;

		run_for(&s, 1, 0, load[t0 / 1200], NULL, NULL, 0);
		if (s.tick.write_capacity == before)
			continue;
		switch (t0) {
		case 2280:
			assert_near(s.tick.write_capacity, 2572, TOL);
			break;
		case 3480:
			assert_near(s.tick.write_capacity, 1543, TOL);
			break;
		case 7080:
			assert_near(s.tick.write_capacity, 333, TOL);
			break;
		case 10680:
			assert_near(s.tick.write_capacity, 72, TOL);
			break;
		default:
			fail_msg("capacity changed to %g at %lld", s.tick.write_capacity, t0);
		}
	}
	assert_near(s.tick.write_capacity, 72, TOL);
	assert_int_equal(dynamo_decreases(s.d, -1), 4);
	assert_near(s.w_thr, 0, TOL);
	dynamo_free(s.d);
}

/* The "UTC day" of the decrease limits follows the clock (a trace from
 * 23:30 UTC: dynamo_set_day0 with 84,600 s): the same step-down load as
 * above. The first two decreases (in force at 2,280 and 3,480 s) fall in
 * the first hour of the new UTC day (which begins at 1,800 s), and so does
 * the third, decided at 4,560 s = 00:46 UTC: up to four decreases are
 * allowed in that hour, so it is in force at 4,680 s (ceil(648 / 0.7) =
 * 926), where a window read as starting at midnight had to wait for the
 * hourly interval (7,080 s). */
static void test_decrease_day_follows_clock(void **state)
{
	static const double load[] = {3000, 1800, 1080, 648, 389, 233, 140, 84, 50, 30};
	struct dynamo_model m;
	struct table t = table_prov(1, 1);
	struct run s;
	bool seen = false;

	(void)state;
	t.autoscaling = policy(1, 40000, 0.7);
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 3000, false));
	dynamo_set_day0(s.d, 84600);
	while (s.t < 6000) {
		double before = dynamo_capacity(s.d, -1, true);
		long long t0 = s.t;

		run_for(&s, 1, 0, load[t0 / 1200], NULL, NULL, 0);
		if (s.tick.write_capacity != before && t0 > 3480) {
			assert_int_equal(t0, 4680);
			assert_near(s.tick.write_capacity, 926, TOL);
			seen = true;
		}
	}
	assert_true(seen);
	dynamo_free(s.d);
}

/* Warm start (DESIGN §6): a flat load never throttles and never rescales
 * merely because the window started; the policy already sits at
 * ceil(1,000/0.7) = 1,429. */
static void test_warm_start_autoscaling(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(5, 5);
	struct run s;

	(void)state;
	t.autoscaling = policy(5, 40000, 0.7);
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 1000, 100, false));
	assert_near(dynamo_capacity(s.d, -1, false), 1429, TOL);
	assert_near(dynamo_capacity(s.d, -1, true), 143, TOL);
	run_for(&s, 86400, 1000, 100, NULL, NULL, 0);
	assert_near(s.r_thr + s.w_thr, 0, TOL);
	assert_near(s.tick.read_capacity, 1429, TOL);
	assert_near(s.tick.write_capacity, 143, TOL);
	dynamo_free(s.d);
}

/* A GSI under auto scaling is warmed from the first second's index demand:
 * ceil(500/0.7) = 715 WCU. */
static void test_warm_gsi_autoscaling(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(100, 1000);
	struct gsi g;
	double gr[1] = {0}, gw[1] = {500};
	struct run s;

	(void)state;
	memset(&g, 0, sizeof g);
	g.rcu = 10;
	g.wcu = 10;
	g.autoscaling = policy(10, 4000, 0.7);
	t.gsis = &g;
	t.ngsis = 1;
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 500, false));
	run_for(&s, 3600, 0, 500, gr, gw, 1);
	assert_near(dynamo_capacity(s.d, 0, true), 715, TOL);
	assert_near(s.w_thr, 0, TOL);
	dynamo_free(s.d);
}

/* ---- on-demand -------------------------------------------------------- */

/* §2 FACT: a new on-demand table immediately drives up to 4,000 write or
 * 12,000 read request units, "or a linear combination of both" (here: 4
 * partitions under the linear per-partition rule, which is exactly
 * r/12,000 + w/4,000 <= 1 for uniform traffic). */
static void test_on_demand_floor(void **state)
{
	struct dynamo_model m;
	struct table t = table_od();
	struct run s;

	(void)state;
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 0, true));
	assert_near(dynamo_capacity(s.d, -1, true), 4000, TOL);
	assert_near(dynamo_capacity(s.d, -1, false), 12000, TOL);
	assert_int_equal(dynamo_partitions(s.d, -1), 4);
	run_for(&s, 10, 0, 4000, NULL, NULL, 0);
	assert_near(s.w_thr, 0, TOL);
	run_for(&s, 10, 0, 5000, NULL, NULL, 0);
	assert_near(s.w_thr, 10000, TOL);
	assert_true(s.w_reasons & DDB_THROTTLE_ON_DEMAND);
	dynamo_free(s.d);

	run_init(&s, dynamo_new(&t, &m, 0, 0, true));
	run_for(&s, 10, 12000, 0, NULL, NULL, 0);
	assert_near(s.r_thr, 0, TOL);
	run_for(&s, 10, 13000, 0, NULL, NULL, 0);
	assert_near(s.r_thr, 10000, TOL);
	dynamo_free(s.d);

	/* Linear combination: 6,000 R + 2,000 W fits (0.5 + 0.5); 12,000 R +
	 * 4,000 W is twice too much, so half of each is throttled. */
	run_init(&s, dynamo_new(&t, &m, 0, 0, true));
	run_for(&s, 10, 6000, 2000, NULL, NULL, 0);
	assert_near(s.r_thr + s.w_thr, 0, TOL);
	run_for(&s, 1, 12000, 4000, NULL, NULL, 0);
	assert_near(s.r_thr, 6000, TOL);
	assert_near(s.w_thr, 2000, TOL);
	dynamo_free(s.d);

	/* The table's maximum throughput setting: reason quota. */
	t.max_read_units = 500;
	run_init(&s, dynamo_new(&t, &m, 0, 0, true));
	run_for(&s, 10, 800, 0, NULL, NULL, 0);
	assert_near(s.r_thr, 3000, TOL);
	assert_true(s.r_reasons & DDB_THROTTLE_QUOTA);
	dynamo_free(s.d);
}

/* §2 FACT (HowItWorks.ReadWriteCapacityMode.md): "previous peak 50,000
 * reads/s -> up to 100,000 instantly; sustaining 100,000 makes it the new
 * peak, allowing 200,000". Warm start at 50,000 reads/s. The 40,000 table
 * quota would cap the example, so it is raised here to 1,000,000. */
static void test_on_demand_doubling(void **state)
{
	struct dynamo_model m;
	struct table t = table_od();
	struct run s;

	(void)state;
	model_defaults(&m);
	m.table_max_rcu = 1e6;
	run_init(&s, dynamo_new(&t, &m, 50000, 0, false));
	assert_near(dynamo_capacity(s.d, -1, false), 100000, TOL);
	run_for(&s, 1, 100000, 0, NULL, NULL, 0);
	assert_near(s.r_thr, 0, TOL);
	/* 1,800 s lag + 60 s window later the new peak is in force. */
	run_for(&s, 1858, 100000, 0, NULL, NULL, 0);
	assert_near(s.r_thr, 0, TOL);
	assert_near(s.tick.read_capacity, 2 * (100000.0 * 59 + 50000) / 60, TOL);
	run_for(&s, 1, 100000, 0, NULL, NULL, 0);
	assert_near(s.tick.read_capacity, 200000, TOL);
	run_for(&s, 60, 200000, 0, NULL, NULL, 0);
	assert_near(s.r_thr, 0, TOL);
	dynamo_free(s.d);

	run_init(&s, dynamo_new(&t, &m, 50000, 0, false));
	run_for(&s, 1, 100001, 0, NULL, NULL, 0);
	assert_near(s.r_thr, 1, 1e-6);
	assert_true(s.r_reasons & DDB_THROTTLE_ON_DEMAND);
	dynamo_free(s.d);
}

/* §6 S7: a new on-demand table (4,000 WRU) at 3,000 WRU/s for 1 h, then
 * 10,000 WRU/s. The 3,000 peak is more than 30 min old -> ceiling 6,000;
 * for 1,800 s 4,000/s throttled = 7,200,000; then 12,000 >= 10,000. Spread
 * growth (6,000 for 30 min first) -> 0. These exact figures treat each
 * second's throughput as sustained, i.e. on_demand_window_s = 1. */
static void test_s7_on_demand_doubling_rule(void **state)
{
	struct dynamo_model m;
	struct table t = table_od();
	struct run s;

	(void)state;
	model_defaults(&m);
	m.on_demand_window_s = 1;
	run_init(&s, dynamo_new(&t, &m, 0, 3000, true));
	run_for(&s, 3600, 0, 3000, NULL, NULL, 0);
	assert_near(s.w_thr, 0, TOL);
	assert_near(s.tick.write_capacity, 6000, TOL);
	run_for(&s, 1800, 0, 10000, NULL, NULL, 0);
	assert_near(s.w_thr, 7200000, TOL);
	assert_true(s.w_reasons & DDB_THROTTLE_ON_DEMAND);
	run_for(&s, 3600, 0, 10000, NULL, NULL, 0);
	assert_near(s.w_thr, 7200000, TOL);
	assert_near(s.tick.write_capacity, 20000, TOL);
	assert_int_equal(s.tick.partitions, 32);	/* 4 doubled up to >= 20 */
	dynamo_free(s.d);

	run_init(&s, dynamo_new(&t, &m, 0, 3000, true));
	run_for(&s, 3600, 0, 3000, NULL, NULL, 0);
	run_for(&s, 1800, 0, 6000, NULL, NULL, 0);
	run_for(&s, 3600, 0, 10000, NULL, NULL, 0);
	assert_near(s.w_thr, 0, TOL);
	dynamo_free(s.d);
}

/* S7 with the default 60-s window: served throughput ramps into the
 * sustained average over 60 s, so after the jump at 3,600 the sustained
 * value is 3,050 + 50k at 3,600 + k (k < 60) and the ceiling 1,800 s later
 * is 6,100 + 100k. Throttled: 1,800 x 4,000 = 7,200,000, plus
 * sum_{k=0}^{38} (3,900 - 100k) = 152,100 - 74,100 = 78,000 while the
 * ceiling ramps to 10,000 -> 7,278,000. Spreading growth then needs 30 min
 * + 60 s: the jump at 5,460 is fully served, the jump at 5,400 throttles the
 * 78,000. */
static void test_s7_default_window(void **state)
{
	struct dynamo_model m;
	struct table t = table_od();
	struct run s;

	(void)state;
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 3000, true));
	run_for(&s, 3600, 0, 3000, NULL, NULL, 0);
	run_for(&s, 3600, 0, 10000, NULL, NULL, 0);
	assert_near(s.w_thr, 7278000, TOL);
	dynamo_free(s.d);

	run_init(&s, dynamo_new(&t, &m, 0, 3000, true));
	run_for(&s, 3600, 0, 3000, NULL, NULL, 0);
	run_for(&s, 1860, 0, 6000, NULL, NULL, 0);
	run_for(&s, 3600, 0, 10000, NULL, NULL, 0);
	assert_near(s.w_thr, 0, TOL);
	dynamo_free(s.d);

	run_init(&s, dynamo_new(&t, &m, 0, 3000, true));
	run_for(&s, 3600, 0, 3000, NULL, NULL, 0);
	run_for(&s, 1800, 0, 6000, NULL, NULL, 0);
	run_for(&s, 3600, 0, 10000, NULL, NULL, 0);
	assert_near(s.w_thr, 78000, TOL);
	dynamo_free(s.d);
}

/* Warm vs cold on-demand: warm at 3,000 WRU/s the ceiling is already
 * 2 x 3,000; cold it is the new-table 4,000. */
static void test_on_demand_warm_vs_cold(void **state)
{
	struct dynamo_model m;
	struct table t = table_od();
	struct dynamo *d;

	(void)state;
	model_defaults(&m);
	d = dynamo_new(&t, &m, 0, 3000, false);
	assert_near(dynamo_capacity(d, -1, true), 6000, TOL);
	assert_near(dynamo_capacity(d, -1, false), 12000, TOL);
	dynamo_free(d);
	d = dynamo_new(&t, &m, 0, 3000, true);
	assert_near(dynamo_capacity(d, -1, true), 4000, TOL);
	dynamo_free(d);

	/* No provisioned capacity is billed for on-demand tables. */
	d = dynamo_new(&t, &m, 0, 0, false);
	assert_near(dynamo_rcu_hours(d, -1), 0, 0);
	dynamo_free(d);
}

/* ---- split for heat --------------------------------------------------- */

/* §1.8 step 8 (θ 0.8, τ 300 s, δ 300 s): a one-partition table whose
 * many-key traffic runs at 90 % of the partition cap splits in two after
 * 300 + 300 s; a single hot key (h = 1) is never split. */
static void test_split_for_heat(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(0, 1000);
	struct run s;

	(void)state;
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 900, false));
	run_for(&s, 600, 0, 900, NULL, NULL, 0);
	assert_int_equal(s.tick.partitions, 1);	/* seconds 0..599 */
	run_for(&s, 1, 0, 900, NULL, NULL, 0);
	assert_int_equal(s.tick.partitions, 2);	/* from second 600 */
	dynamo_free(s.d);

	t.hot_key_share = 1;
	run_init(&s, dynamo_new(&t, &m, 0, 900, false));
	run_for(&s, 3600, 0, 900, NULL, NULL, 0);
	assert_int_equal(s.tick.partitions, 1);
	assert_near(s.w_thr, 0, TOL);
	dynamo_free(s.d);
}

/* ---- options ---------------------------------------------------------- */

/* §1.2 "independent caps" switch: partitions from max(RCU/3000, WCU/1000)
 * (5,000 + 2,000 -> 2 instead of 4), and a partition takes 3,000 reads and
 * 1,000 writes at once (under the linear rule: half of each). */
static void test_partition_rule_independent(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(5000, 2000);
	struct table one = table_prov(3000, 1000);
	struct dynamo *d;
	struct run s;

	(void)state;
	model_defaults(&m);
	m.partition_rule = PARTITION_INDEPENDENT;
	d = dynamo_new(&t, &m, 0, 0, false);
	assert_int_equal(dynamo_partitions(d, -1), 2);
	dynamo_free(d);

	one.hot_key_share = 1;		/* one item: one partition's caps */
	run_init(&s, dynamo_new(&one, &m, 0, 0, false));
	run_for(&s, 10, 3000, 1000, NULL, NULL, 0);
	assert_near(s.r_thr + s.w_thr, 0, TOL);
	dynamo_free(s.d);

	model_defaults(&m);
	run_init(&s, dynamo_new(&one, &m, 0, 0, false));
	run_for(&s, 10, 3000, 1000, NULL, NULL, 0);
	assert_near(s.r_thr, 15000, TOL);
	assert_near(s.w_thr, 5000, TOL);
	assert_true(s.r_reasons & DDB_THROTTLE_KEY_RANGE);
	dynamo_free(s.d);
}

/* §1.2 OBSERVED: one hot partition served 4,500 read units/s of eventually
 * consistent reads (multiplier 1.5). With every read eventually
 * consistent, a hot key at 5,000 gets 4,500; with strong reads, 3,000. */
static void test_ec_read_multiplier(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(10000, 0);
	struct run s;

	(void)state;
	t.hot_key_share = 1;
	model_defaults(&m);
	m.ec_read_partition_multiplier = 1.5;
	run_init(&s, dynamo_new(&t, &m, 0, 0, false));
	dynamo_set_ec_share(s.d, 1);
	run_for(&s, 10, 5000, 0, NULL, NULL, 0);
	assert_near(s.r_thr, 5000, TOL);
	dynamo_set_ec_share(s.d, 0);
	run_for(&s, 10, 5000, 0, NULL, NULL, 0);
	assert_near(s.r_thr, 5000 + 20000, TOL);
	dynamo_free(s.d);
}

/* burst_retention and burst_availability (§1.4 ASSUMPTIONs, default 1):
 * retention 0.5 banks half of each idle second (100 WCU idle 10 s -> 500);
 * availability 0.5 lets a second use half the pool (30,000 -> 15,000, so
 * 30,100 offered -> 100 + 15,000 served). */
static void test_burst_retention_availability(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(0, 100);
	struct run s;

	(void)state;
	model_defaults(&m);
	m.burst_retention = 0.5;
	run_init(&s, dynamo_new(&t, &m, 0, 0, true));	/* cold: empty pool */
	run_for(&s, 10, 0, 0, NULL, NULL, 0);
	assert_near(s.tick.write_burst, 500, TOL);
	dynamo_free(s.d);

	model_defaults(&m);
	m.burst_availability = 0.5;
	t.storage_gb = 400;	/* 40 partitions, so that no partition cap binds */
	run_init(&s, dynamo_new(&t, &m, 0, 0, false));
	run_for(&s, 1, 0, 30100, NULL, NULL, 0);
	assert_near(s.w_dem - s.w_thr, 100 + 15000, TOL);
	assert_near(s.tick.write_burst, 15000, TOL);
	dynamo_free(s.d);
}

/* §1.7 FACT-OLD: no scale-in while consumption is zero (no datapoints);
 * with scale_in_on_zero, 15 zero datapoints scale a 1,000 RCU table to its
 * minimum 5. Alarm at the end of minute 14 (t = 900), UpdateTable called
 * Δa = 60 s later, in force Du = 120 s after that: t = 1,080. */
static void test_scale_in_on_zero(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(1000, 1000);
	struct run s;

	(void)state;
	t.autoscaling = policy(5, 4000, 0.7);
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 0, true));
	run_for(&s, 7200, 0, 0, NULL, NULL, 0);
	assert_near(s.tick.read_capacity, 1000, TOL);
	assert_int_equal(dynamo_decreases(s.d, -1), 0);
	dynamo_free(s.d);

	m.autoscaling.scale_in_on_zero = true;
	run_init(&s, dynamo_new(&t, &m, 0, 0, true));
	run_for(&s, 1080, 0, 0, NULL, NULL, 0);
	assert_near(s.tick.read_capacity, 1000, TOL);	/* second 1,079 */
	run_for(&s, 1, 0, 0, NULL, NULL, 0);
	assert_near(s.tick.read_capacity, 5, TOL);
	assert_near(s.tick.write_capacity, 5, TOL);
	assert_int_equal(dynamo_decreases(s.d, -1), 2);	/* reads and writes */
	dynamo_free(s.d);
}

/* ---- billing ---------------------------------------------------------- */

/* DESIGN §2: a month is 730 hours; a constant table is billed units x 730
 * unit-hours, its GSI likewise. */
static void test_hours_constant_month(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(500, 100);
	struct gsi g;
	double gr[1] = {10}, gw[1] = {10};
	struct run s;

	(void)state;
	memset(&g, 0, sizeof g);
	g.rcu = 50;
	g.wcu = 20;
	t.gsis = &g;
	t.ngsis = 1;
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 100, 50, false));
	assert_near(dynamo_rcu_hours(s.d, -1), 0, 0);
	run_for(&s, 2628000, 100, 50, gr, gw, 1);
	assert_near(dynamo_rcu_hours(s.d, -1), 500.0 * 730, 0);
	assert_near(dynamo_wcu_hours(s.d, -1), 100.0 * 730, 0);
	assert_near(dynamo_rcu_hours(s.d, 0), 50.0 * 730, 0);
	assert_near(dynamo_wcu_hours(s.d, 0), 20.0 * 730, 0);
	assert_near(s.r_thr + s.w_thr, 0, TOL);
	dynamo_free(s.d);
}

/* Each started hour is billed at the highest capacity in force during it:
 * 100 RCU for 30 min then 200 -> hour 0 billed 200; a decrease to 50 at
 * 1.5 h -> hour 1 still 200; hour 2 at 50; a partial hour counts whole. */
static void test_hours_highest_in_hour(void **state)
{
	struct dynamo_model m;
	struct table t = table_prov(100, 10);
	struct run s;

	(void)state;
	model_defaults(&m);
	run_init(&s, dynamo_new(&t, &m, 0, 0, false));
	run_for(&s, 1800, 10, 1, NULL, NULL, 0);
	/* The hour in progress bills only the seconds simulated: half an
	 * hour at 100 RCU is 50 RCU-hours. */
	assert_near(dynamo_rcu_hours(s.d, -1), 50, 1e-9);
	dynamo_set_provisioned(s.d, -1, 200, 10);
	run_for(&s, 3600, 10, 1, NULL, NULL, 0);	/* to 1.5 h */
	dynamo_set_provisioned(s.d, -1, 50, 10);
	run_for(&s, 1800, 10, 1, NULL, NULL, 0);	/* to 2 h */
	assert_near(dynamo_rcu_hours(s.d, -1), 400, 0);
	run_for(&s, 1, 10, 1, NULL, NULL, 0);
	/* One second of hour 2 at 50 RCU / 10 WCU. */
	assert_near(dynamo_rcu_hours(s.d, -1), 400 + 50.0 / 3600, 1e-9);
	assert_near(dynamo_wcu_hours(s.d, -1), 20 + 10.0 / 3600, 1e-9);
	assert_int_equal(dynamo_decreases(s.d, -1), 1);
	dynamo_free(s.d);
}

/* ---- speed and allocation --------------------------------------------- */

/* CPU time of this process: on a shared machine, wall time also counts
 * other processes' turns. */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33)) && \
	!defined(UNDER_ASAN)
	return mallinfo2().uordblks;
#else
	return 0;
#endif
}

/* One 730-hour month, second by second, of a diurnal load (a per-minute
 * profile between 20 % and 180 % of the mean; the GSI takes every write
 * and a fifth of the reads). Returns the CPU seconds taken by the steps
 * (the best of three runs); asserts that the heap did not grow while
 * stepping (glibc's mallinfo2; skipped under AddressSanitizer). */
static double month(const struct table *t, const struct dynamo_model *m, double mean_r,
		    double mean_w)
{
	static double profile[1440];
	double gr[1], gw[1], t0, t1, best = INFINITY;
	struct dynamo_demand dem = {0, 0, gr, gw};
	struct dynamo_tick tick;
	struct dynamo *d;
	size_t before, after;
	long long s;
	double thr = 0;
	int i, run;

	for (i = 0; i < 1440; i++)
		profile[i] = 1 - 0.8 * cos(2 * PI * i / 1440.0);
	for (run = 0; run < 3; run++) {
		d = dynamo_new(t, m, mean_r * profile[0], mean_w * profile[0], false);
		before = heap_in_use();
		t0 = cpu_s();
		for (s = 0; s < 2628000; s++) {
			double k = profile[(s / 60) % 1440];

			dem.read_units = mean_r * k;
			dem.write_units = mean_w * k;
			gr[0] = 0.2 * dem.read_units;
			gw[0] = dem.write_units;
			dynamo_step(d, (double)s, &dem, &tick);
			thr += dem.write_units * (1 - tick.write_frac);
		}
		t1 = cpu_s();
		after = heap_in_use();
		assert_true(after == before);
		assert_true(thr >= 0);
		dynamo_free(d);
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	return best;
}

/* dynamo_step_block against dynamo_step: the same table stepped second by
 * second and in blocks (512 s, and 7 s so that events fall anywhere in a
 * block) must give every second's fractions and reasons to the bit, and
 * the same unit-hours and burst. The demand idles, runs steady, bursts
 * over capacity (burst pool spent, throttling, auto scaling out) and falls
 * back (scaling in), for a provisioned table with auto scaling and a hot
 * key, the same under legacy admission with the sliding window, plain
 * provisioned tables (the single fast path; one with room below its
 * capacity between bursts, its pools full; one near its partition's cap,
 * which splits for heat) and an on-demand table. */
static double block_demand(long long t, bool write)
{
	double base = write ? 40 : 150;

	t += 17;	/* the changes fall inside minutes, not on their edges */
	if (t % 7200 < 600)
		return 0;
	if (t % 7200 < 1500)
		return base * (3 + (double)(t % 13) / 13);	/* over capacity: throttles, scales */
	return base * (1 + 0.3 * sin((double)t / 300.0));
}

/* Fails unless second i of a block path's output (rf, wf, rr, wrr) is
 * dynamo_step's tick, to the bit. */
static void same_second(const struct dynamo_tick *tick, const double *rf, const double *wf, const unsigned *rr,
			const unsigned *wrr, size_t block, long long i)
{
	if (memcmp(&tick->read_frac, &rf[i], sizeof rf[i]) || memcmp(&tick->write_frac, &wf[i], sizeof wf[i]) ||
	    tick->read_reasons != rr[i] || tick->write_reasons != wrr[i])
		fail_msg("block %zu, second %lld: read %.17g/%.17g write %.17g/%.17g", block, i, tick->read_frac,
			 rf[i], tick->write_frac, wf[i]);
}

static int block_same_secs(const struct table *t, const struct dynamo_model *m, double k, long long off,
			   double (*demand)(long long, bool), size_t SECS, bool throttles)
{
	static double rd[6 * 3600], wr[6 * 3600], rf[6 * 3600], wf[6 * 3600];
	static unsigned rr[6 * 3600], wrr[6 * 3600];
	size_t blocks[] = {512, 7}, b;
	long long i;
	unsigned seen = 0;
	int parts = 0;

	for (i = 0; i < (long long)SECS; i++) {
		rd[i] = k * demand(i + off, false);
		wr[i] = k * demand(i + off, true);
	}
	for (b = 0; b < 2; b++) {
		struct dynamo *one = dynamo_new(t, m, rd[0], wr[0], false);
		struct dynamo *blk = dynamo_new(t, m, rd[0], wr[0], false);
		size_t j;

		for (j = 0; j < SECS; j += blocks[b])
			dynamo_step_block(blk, (double)j, SECS - j < blocks[b] ? SECS - j : blocks[b], rd + j,
					  wr + j, rf + j, wf + j, rr + j, wrr + j);
		for (i = 0; i < (long long)SECS; i++) {
			struct dynamo_demand dem = {rd[i], wr[i], NULL, NULL};
			struct dynamo_tick tick;

			dynamo_step(one, (double)i, &dem, &tick);
			same_second(&tick, rf, wf, rr, wrr, blocks[b], i);
			seen |= tick.read_reasons | tick.write_reasons;
		}
		assert_true(dynamo_rcu_hours(one, -1) == dynamo_rcu_hours(blk, -1));
		assert_true(dynamo_wcu_hours(one, -1) == dynamo_wcu_hours(blk, -1));
		assert_true(dynamo_burst(one, -1, false) == dynamo_burst(blk, -1, false));
		assert_true(dynamo_capacity(one, -1, true) == dynamo_capacity(blk, -1, true));
		assert_int_equal(dynamo_partitions(one, -1), dynamo_partitions(blk, -1));
		parts = dynamo_partitions(one, -1);
		dynamo_free(one);
		dynamo_free(blk);
	}
	assert_true(!throttles || seen != 0);	/* the demand throttles: both paths are compared */
	return parts;
}

static int block_same(const struct table *t, const struct dynamo_model *m, double k, long long off)
{
	return block_same_secs(t, m, k, off, block_demand, 6 * 3600, true);
}

/* Demand at the edges of the quick paths' tests, for a table of 100 RCU
 * and 30 WCU: 70 % of the capacity for 20 minutes, exactly the auto
 * scaling target (a minute's average of 70.0 is not above it; a sum off
 * by a rounding would be, and scale out); then now and then a second
 * between the capacity and 1.5 times it, which the burst pool serves (the
 * pool is then no longer full: the last such second, over in reads only
 * or in writes only (edge_in_writes), at the start of four
 * a block checks together, is followed by seconds just below the capacity
 * that barely refill it before the next part), two minutes at 5 times the
 * capacity,
 * which spend the pool and throttle; an idle stretch; whole and half
 * units. */
static bool edge_in_writes;	/* the second over the capacity is over in writes (else reads) */

static double edge_demand(long long t, bool write)
{
	double p = write ? 30 : 100;

	if (t < 1200)
		return 0.7 * p;
	if (t < 3980)
		return t % 97 == 0 && t < 3900 ? 1.2 * p : t % 2 ? 0.95 * p + 0.5 : 0.9 * p;
	if (t < 3992)
		return t == 3981 ? (write == edge_in_writes ? 1.2 : 0.9) * p : t < 3981 ? 0.9 * p : p - 0.5;
	if (t < 4112)
		return 5 * p;
	if (t < 4600)
		return 0;
	return 0.7 * p;
}

static void test_block_matches_steps(void **state)
{
	struct dynamo_model m;
	struct table scaled = table_prov(100, 30), plain = table_prov(100, 30), od = table_od();
	struct table roomy = table_prov(300, 100);	/* steady below capacity between bursts */
	struct table warm = table_prov(3000, 1000);	/* near its partition's cap: splits for heat */

	(void)state;
	model_defaults(&m);
	m.on_demand_initial_rru = 200;	/* a low floor, so that the bursts throttle */
	m.on_demand_initial_wru = 60;
	scaled.autoscaling = policy(50, 4000, 0.7);
	scaled.hot_key_share = 0.05;
	block_same(&scaled, &m, 1, 0);
	block_same(&plain, &m, 1, 0);
	block_same(&roomy, &m, 1, 0);
	block_same(&od, &m, 1, 0);
	/* 3,000 RCU / 3,000 + 1,000 WCU / 1,000 (linear rule): 2 partitions.
	 * Started in the steady part, 2,250 (1 + 0.3 sin) reads and 600 (1 +
	 * 0.3 sin) writes stay below the capacity (pools full), while each
	 * partition runs at (r / 3,000 + w / 1,000) / 2 = 0.675 (1 + 0.3 sin):
	 * above 0.8 of its cap once sin > 0.62, about 540 s of each 1,885 s,
	 * longer than the 300 s that split it. They split once: 4. */
	{
		struct dynamo *d0 = dynamo_new(&warm, &m, 0, 0, false);

		assert_int_equal(dynamo_partitions(d0, -1), 2);
		dynamo_free(d0);
	}
	assert_int_equal(block_same(&warm, &m, 15, 1600), 4);
	m.burst_form = BURST_SLIDING_WINDOW;
	m.admission = ADMISSION_LEGACY;
	block_same(&scaled, &m, 1, 0);
}

/* For a table of 3,000 RCU and 1,000 WCU (two partitions, each taking
 * half the demand): partitions at 0.9 of their cap for 200 s, 0.4 for
 * 4 s, 0.9 for 200 s again, then 0.4 for 400 s, and so on. The heat never
 * lasts the 300 s that split a partition, as long as each cool second
 * ends the hot run: the 4 cool seconds are checked together. */
static double heat_demand(long long t, bool write)
{
	long long k = t % 804;
	bool hot = k < 200 || (k >= 204 && k < 404);

	return write ? (hot ? 900 : 300) : (hot ? 2700 : 1500);
}

/* heat_demand's 200 s hot, 4 s cool, 200 s hot, then 196 s cool and 400 s
 * hot, which splits a partition (on-demand: at whatever second of four
 * checked together the heat has lasted long enough; the changes fall
 * inside fours). */
static double heat_split_demand(long long t, bool write)
{
	long long k = (t + 1) % 1000;
	bool hot = k < 200 || (k >= 204 && k < 404) || k >= 600;

	return write ? (hot ? 900 : 300) : (hot ? 2700 : 1500);
}

/* The runs the table checks four seconds at a time (AVX2, where the CPU
 * has it) against one second at a time and against dynamo_step: the
 * edges of their tests (edge_demand), with auto scaling and with a hot
 * key, and heat that comes and goes (heat_demand). */
static void test_block_edges(void **state)
{
	struct dynamo_model m;
	struct table scaled = table_prov(100, 30), plain = table_prov(100, 30), od = table_od();
	struct table warm = table_prov(3000, 1000);

	(void)state;
	model_defaults(&m);
	scaled.autoscaling = policy(50, 4000, 0.7);
	plain.hot_key_share = 0.05;
	m.on_demand_initial_rru = 60;
	m.on_demand_initial_wru = 20;
	dynamo_wide = false;
	block_same_secs(&scaled, &m, 1, 0, edge_demand, 3 * 3600 + 1234, true);
	block_same_secs(&plain, &m, 1, 0, edge_demand, 3 * 3600 + 1234, true);
	block_same_secs(&od, &m, 1, 0, edge_demand, 3 * 3600 + 1234, true);
	dynamo_wide = true;
	block_same_secs(&scaled, &m, 1, 0, edge_demand, 3 * 3600 + 1234, true);
	block_same_secs(&plain, &m, 1, 0, edge_demand, 3 * 3600 + 1234, true);
	block_same_secs(&od, &m, 1, 0, edge_demand, 3 * 3600 + 1234, true);
	edge_in_writes = true;
	block_same_secs(&plain, &m, 1, 0, edge_demand, 3 * 3600 + 1234, true);
	edge_in_writes = false;
	assert_int_equal(block_same_secs(&warm, &m, 1, 0, heat_demand, 4 * 3600, false), 2);
	/* On demand, from a floor that takes the heat at once. */
	m.on_demand_initial_rru = 12000;
	m.on_demand_initial_wru = 4000;
	assert_true(block_same_secs(&od, &m, 1, 0, heat_split_demand, 4 * 3600, false) > 2);
	block_same_secs(&od, &m, 1, 0, heat_demand, 4 * 3600, false);
}

/* On-demand demand for the runs checked four seconds at a time
 * (od_four): rising and falling over the hours, so that the previous
 * peak climbs and the lag line catches up; in halves (multiples of 0.5:
 * the windows' running totals are exact) and, every other 25 minutes, in
 * values that are not (their totals round: those seconds go one at a
 * time, the windows hold them for a while after, and peaks are set in
 * both). */
static double od_demand(long long t, bool write)
{
	double base = write ? 300 : 900, v = base * (1 + 0.5 * sin((double)t / 900) + 1e-4 * (double)t);

	if (t / 1500 % 2 == 1)
		return floor(v * 3) / 3 + 0.1;
	return floor(v * 2) / 2;
}

/* A table stepped in blocks of 'block' and one second at a time, in
 * lockstep: the same fractions and reasons every second, and after every
 * block the same ceilings (the previous peak, to the bit) and partitions. */
static void od_lockstep(const struct table *t, const struct dynamo_model *m, double (*demand)(long long, bool),
			size_t secs, size_t block)
{
	static double rd[6 * 3600], wr[6 * 3600], rf[6 * 3600], wf[6 * 3600];
	static unsigned rr[6 * 3600], wrr[6 * 3600];
	struct dynamo *one, *blk;
	size_t i, j;

	for (i = 0; i < secs; i++) {
		rd[i] = demand((long long)i, false);
		wr[i] = demand((long long)i, true);
	}
	one = dynamo_new(t, m, rd[0], wr[0], false);
	blk = dynamo_new(t, m, rd[0], wr[0], false);
	for (j = 0; j < secs; j += block) {
		size_t n = secs - j < block ? secs - j : block;

		dynamo_step_block(blk, (double)j, n, rd + j, wr + j, rf + j, wf + j, rr + j, wrr + j);
		for (i = j; i < j + n; i++) {
			struct dynamo_demand dem = {rd[i], wr[i], NULL, NULL};
			struct dynamo_tick tick;

			dynamo_step(one, (double)i, &dem, &tick);
			same_second(&tick, rf, wf, rr, wrr, block, (long long)i);
		}
		if (dynamo_capacity(one, -1, false) != dynamo_capacity(blk, -1, false) ||
		    dynamo_capacity(one, -1, true) != dynamo_capacity(blk, -1, true) ||
		    dynamo_partitions(one, -1) != dynamo_partitions(blk, -1))
			fail_msg("block %zu, after second %zu: ceilings %.17g/%.17g and %.17g/%.17g, partitions %d/%d",
				 block, j + n, dynamo_capacity(one, -1, false), dynamo_capacity(blk, -1, false),
				 dynamo_capacity(one, -1, true), dynamo_capacity(blk, -1, true),
				 dynamo_partitions(one, -1), dynamo_partitions(blk, -1));
	}
	dynamo_free(one);
	dynamo_free(blk);
}

/* od_four against one second at a time: od_demand with AVX2 and without,
 * in blocks of 512 and 7 s; and heat that splits (heat_split_demand, from
 * a floor that takes it at once). */
static void test_od_runs(void **state)
{
	struct dynamo_model m;
	struct table od = table_od();
	size_t w;

	(void)state;
	model_defaults(&m);
	for (w = 0; w < 2; w++) {
		dynamo_wide = w == 1;
		m.on_demand_initial_rru = 60;
		m.on_demand_initial_wru = 20;
		od_lockstep(&od, &m, od_demand, 6 * 3600, 512);
		od_lockstep(&od, &m, od_demand, 6 * 3600, 7);
		m.on_demand_initial_rru = 12000;
		m.on_demand_initial_wru = 4000;
		od_lockstep(&od, &m, heat_split_demand, 4 * 3600, 512);
		od_lockstep(&od, &m, heat_demand, 4 * 3600, 512);
	}
	dynamo_wide = true;
}

static void test_month_speed(void **state)
{
	struct dynamo_model m;
	struct table plain = table_prov(1000, 500);
	struct table full = table_prov(1000, 500);
	struct table od = table_od();
	struct gsi g;
	double a, b, c, e;

	(void)state;
	model_defaults(&m);
	memset(&g, 0, sizeof g);
	g.rcu = 200;
	g.wcu = 500;
	g.autoscaling = policy(5, 4000, 0.7);
	full.autoscaling = policy(5, 4000, 0.7);
	full.hot_key_share = 0.02;
	full.gsis = &g;
	full.ngsis = 1;

	a = month(&plain, &m, 600, 300);
	b = month(&full, &m, 600, 300);
	e = month(&od, &m, 600, 300);
	m.burst_form = BURST_SLIDING_WINDOW;
	m.admission = ADMISSION_LEGACY;
	c = month(&full, &m, 600, 300);
	print_message("month of 2,628,000 s (CPU, best of 3): provisioned table %.1f ms; "
		      "on-demand %.1f ms; auto scaling + hot key + 1 GSI %.1f ms; same with "
		      "sliding window + legacy admission %.1f ms\n",
		      a * 1e3, e * 1e3, b * 1e3, c * 1e3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s1_burst_spike),
		cmocka_unit_test(test_s2_aws_150_rcu),
		cmocka_unit_test(test_s3_legacy_vs_current),
		cmocka_unit_test(test_s4a_hot_key),
		cmocka_unit_test(test_s4b_partitions),
		cmocka_unit_test(test_s5_gsi_back_pressure),
		cmocka_unit_test(test_gsi_reads_throttle_only_themselves),
		cmocka_unit_test(test_s6a_step_response),
		cmocka_unit_test(test_s6b_empty_bucket),
		cmocka_unit_test(test_s6c_decrease_limit),
		cmocka_unit_test(test_scale_in_last_datapoints),
		cmocka_unit_test(test_decrease_day_follows_clock),
		cmocka_unit_test(test_warm_start_autoscaling),
		cmocka_unit_test(test_warm_gsi_autoscaling),
		cmocka_unit_test(test_on_demand_floor),
		cmocka_unit_test(test_on_demand_doubling),
		cmocka_unit_test(test_s7_on_demand_doubling_rule),
		cmocka_unit_test(test_s7_default_window),
		cmocka_unit_test(test_on_demand_warm_vs_cold),
		cmocka_unit_test(test_split_for_heat),
		cmocka_unit_test(test_partition_rule_independent),
		cmocka_unit_test(test_ec_read_multiplier),
		cmocka_unit_test(test_burst_retention_availability),
		cmocka_unit_test(test_scale_in_on_zero),
		cmocka_unit_test(test_hours_constant_month),
		cmocka_unit_test(test_hours_highest_in_hour),
		cmocka_unit_test(test_block_matches_steps),
		cmocka_unit_test(test_block_edges),
		cmocka_unit_test(test_od_runs),
		cmocka_unit_test(test_month_speed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
