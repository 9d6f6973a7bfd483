/* Tests for io/plan_load: the example plan, rates and schedules, --set and
 * --scale, DynamoDB call units, and the exact diagnostics for every bad
 * plan in tests/plans/bad/. Run from the repository root. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/dynamo_units.h"
#include "io/paths.h"
#include "io/plan_load.h"
#include "io/yaml.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Prints every diagnostic (for failing tests). */
static void dump(const struct err *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		char *s = err_format(e, i);

		fprintf(stderr, "  got: %s\n", s);
		free(s);
	}
}

/* Loads a plan file that must be valid. */
static struct plan *load_ok(const char *path, const char *const *sets, size_t nsets,
			    double scale)
{
	struct err e = {0};
	struct plan *p = NULL;
	int rc = plan_load(path, sets, nsets, scale, &p, &e);

	if (rc != 0 || e.n)
		dump(&e);
	assert_int_equal(rc, 0);
	assert_int_equal(e.n, 0);
	assert_non_null(p);
	err_clear(&e);
	return p;
}

/* Loads a plan given as YAML text (named "t.yaml", relative to "."). */
static int load_text(const char *yaml, struct plan **p, struct err *e)
{
	struct ynode *root = NULL;
	int rc;

	*p = NULL;
	if (yaml_load_buffer("t.yaml", yaml, strlen(yaml), &root, e) < 0)
		return -1;
	rc = plan_from_tree(root, "t.yaml", ".", NAN, p, e);
	ynode_free(root);
	return rc;
}

static struct plan *text_ok(const char *yaml)
{
	struct err e = {0};
	struct plan *p;
	int rc = load_text(yaml, &p, &e);

	if (rc != 0)
		dump(&e);
	assert_int_equal(rc, 0);
	err_clear(&e);
	return p;
}

/* Asserts that loading fails with exactly the diagnostics 'want'. */
static void expect_errors(const char *path, const char *const *sets, size_t nsets, double scale,
			  const char *const *want, size_t nwant)
{
	struct err e = {0};
	struct plan *p = (struct plan *)1;
	size_t i;
	int bad = 0;

	assert_int_equal(plan_load(path, sets, nsets, scale, &p, &e), -1);
	assert_null(p);
	if (e.n != nwant)
		bad = 1;
	for (i = 0; i < e.n && i < nwant; i++) {
		char *s = err_format(&e, i);

		if (strcmp(s, want[i]) != 0) {
			fprintf(stderr, "  diagnostic %zu differs:\n  want: %s\n", i, want[i]);
			bad = 1;
		}
		free(s);
	}
	if (bad) {
		fprintf(stderr, "%s:\n", path);
		dump(&e);
	}
	assert_int_equal(bad, 0);
	err_clear(&e);
}

#define EXPECT(path, ...) do { \
		static const char *const want_[] = {__VA_ARGS__}; \
		expect_errors(path, NULL, 0, NAN, want_, N(want_)); \
	} while (0)

/* ---- the example plan ---------------------------------------------- */

static void test_example_loads(void **state)
{
	struct plan *p = load_ok("data/example.yaml", NULL, 0, NAN);
	int f, t, a;

	(void)state;
	assert_string_equal(p->name, "webshop");
	assert_string_equal(p->model_name, "aws/us-east-1");
	assert_non_null(p->model);
	assert_null(p->trace);
	assert_int_equal(p->free_tier, FREE_NONE);
	assert_true(p->lambda_concurrency == 1000);
	assert_true(fabs(p->growth_per_month - 0.05) < 1e-12);
	assert_int_equal(p->napis, 2);
	assert_int_equal(p->nfunctions, 4);
	assert_int_equal(p->ntables, 2);

	/* list-products: arm64, lognormal, a query on a GSI */
	f = plan_find_function(p, "list-products");
	assert_true(f >= 0);
	assert_int_equal(p->functions[f].arch, ARCH_ARM64);
	assert_true(p->functions[f].lognormal);
	assert_int_equal(p->functions[f].ncalls, 1);
	assert_int_equal(p->functions[f].calls[0].table, plan_find_table(p, "products"));
	assert_int_equal(p->functions[f].calls[0].index, 0);
	/* 20 x 0.8 KB = 16,380 bytes -> 4 blocks of 4 KB, eventual: 4 half units */
	assert_int_equal(p->functions[f].calls[0].read_half_units, 4);

	/* checkout: provisioned concurrency 08:00-22:00 UTC daily */
	f = plan_find_function(p, "checkout");
	assert_true(f >= 0);
	assert_true(p->functions[f].provisioned == 20);
	assert_int_equal(p->functions[f].pc_sched.kind, SCHED_DAILY);
	assert_true(p->functions[f].pc_sched.start_s == 8 * 3600);
	assert_true(p->functions[f].pc_sched.end_s == 22 * 3600);
	assert_true(p->functions[f].timeout_s == 30);
	assert_int_equal(p->functions[f].ncalls, 3);
	/* transact_write of 2 items of 2 KB: 2 x 2 x 2 = 8 write units */
	assert_int_equal(p->functions[f].calls[2].write_units, 8);

	/* send-receipt: fixed duration, async, reserved */
	f = plan_find_function(p, "send-receipt");
	assert_true(f >= 0);
	assert_false(p->functions[f].lognormal);
	assert_true(p->functions[f].duration_p50_ms == 300);
	assert_true(p->functions[f].duration_p95_ms == 300);
	assert_int_equal(p->functions[f].invocation, INVOKE_ASYNC);
	assert_true(p->functions[f].reserved == 10);
	assert_true(p->functions[f].timeout_s == 900);	/* the model's maximum */
	assert_true(p->functions[f].traffic.set);

	/* tables */
	t = plan_find_table(p, "products");
	assert_int_equal(p->tables[t].mode, MODE_PROVISIONED);
	assert_true(p->tables[t].autoscaling.on);
	assert_true(fabs(p->tables[t].autoscaling.target - 0.7) < 1e-12);
	assert_int_equal(p->tables[t].ngsis, 1);
	assert_string_equal(p->tables[t].gsis[0].name, "by-category");
	assert_true(p->tables[t].gsis[0].write_share == 1);
	t = plan_find_table(p, "orders");
	assert_int_equal(p->tables[t].mode, MODE_ON_DEMAND);

	/* apis */
	a = plan_find_api(p, "partner-catalog");
	assert_int_equal(p->apis[a].type, API_REST);
	assert_true(p->apis[a].has_cache);
	assert_true(p->apis[a].cache_size_gb == 0.5);
	assert_true(p->apis[a].has_throttle);
	assert_true(p->apis[a].throttle_burst == 400);
	assert_true(p->apis[a].transfer_out);
	assert_true(p->apis[a].routes[0].cacheable);
	assert_int_equal(p->apis[a].routes[1].function, -1);	/* GET /health */
	a = plan_find_api(p, "storefront");
	assert_int_equal(p->apis[a].type, API_HTTP);
	assert_false(p->apis[a].has_cache);
	assert_false(p->apis[a].routes[0].cacheable);
	assert_int_equal(p->apis[a].routes[0].traffic.sched.kind, SCHED_DAILY);

	/* budget */
	assert_true(p->budget.monthly_usd == 1500);
	assert_int_equal(p->budget.nservices, 1);
	assert_string_equal(p->budget.services[0].name, "dynamodb");
	assert_int_equal(p->budget.nresources, 1);
	assert_true(fabs(p->budget.max_throttle_ratio - 0.001) < 1e-15);
	plan_free(p);
}

/* plan_load(NULL) reads paths_data_dir()/example.yaml: run it when the
 * binary can find its shipped files (not from build/tests/ in a checkout
 * without an install). */
static void test_builtin_example(void **state)
{
	char *path = paths_join(paths_data_dir(), "example.yaml");
	struct plan *p;

	(void)state;
	if (access(path, R_OK) != 0) {
		free(path);
		skip();
	}
	p = load_ok(NULL, NULL, 0, NAN);
	assert_string_equal(p->name, "webshop");
	assert_string_equal(p->path, path);
	plan_free(p);
	free(path);
}

static void test_ok_fixtures(void **state)
{
	struct plan *p;
	int a;

	(void)state;
	p = load_ok("tests/plans/ok/minimal.yaml", NULL, 0, NAN);
	assert_true(p->scale == 1);
	assert_true(p->functions[0].memory_mb == 128);	/* defaults */
	assert_true(p->functions[0].ephemeral_mb == 512);
	assert_true(p->functions[0].reserved == -1);
	assert_true(p->functions[0].provisioned == 0);
	assert_true(isnan(p->budget.monthly_usd));
	assert_true(isnan(p->budget.max_throttle_ratio));
	plan_free(p);

	p = load_ok("tests/plans/ok/websocket.yaml", NULL, 0, NAN);
	a = plan_find_api(p, "chat");
	assert_int_equal(p->apis[a].type, API_WEBSOCKET);
	assert_true(p->apis[a].messages_out.count == 2e6);
	assert_int_equal(p->apis[a].connection_minutes.sched.kind, SCHED_DAILY);
	assert_true(p->apis[a].connection_minutes.sched.start_s == 22 * 3600);
	assert_true(p->apis[a].connection_minutes.sched.end_s == 6 * 3600);
	assert_int_equal(p->apis[a].routes[0].function, -1);
	assert_int_equal(p->apis[a].routes[1].function, 0);
	assert_true(p->functions[0].memory_mb == 1500);		/* 1.5k */
	assert_true(p->functions[0].pc_sched.end_s == 12 * 3600);
	/* item_bytes: 700 -> one 1 KB write */
	assert_true(fabs(p->functions[0].calls[0].item_kb - 700.0 / 1024) < 1e-12);
	assert_int_equal(p->functions[0].calls[0].write_units, 1);
	assert_true(p->tables[0].max_read_units == 1000);
	plan_free(p);
}

/* ---- rates and schedules --------------------------------------------- */

/* A plan whose function 'f' has 'traffic: RATE'. */
static struct plan *rate_plan(const char *rate)
{
	char yaml[512];

	snprintf(yaml, sizeof yaml,
		 "name: r\nfunctions:\n  - name: f\n    duration_ms: 10\n    traffic: %s\n", rate);
	return text_ok(yaml);
}

static void test_rate_units(void **state)
{
	static const struct {
		const char *text;
		double count, period_s;
	} cases[] = {
		{"120/s", 120, 1},
		{"7200/min", 7200, 60},
		{"50/hour", 50, 3600},
		{"1.2k/day", 1200, 86400},
		{"3M/month", 3e6, 2628000},
		{"2/week", 2, 604800},
		{"500k/8h", 500000, 28800},
		{"10/5min", 10, 300},
		{"1B/month", 1e9, 2628000},
		{"7", 7, 1},			/* a bare number is per second */
		{"'120/s'", 120, 1},		/* quoted or not makes no difference */
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct plan *p = rate_plan(cases[i].text);
		const struct rate *r = &p->functions[0].traffic;

		assert_true(r->set);
		assert_null(r->stream);
		assert_int_equal(r->sched.kind, SCHED_ALWAYS);
		if (fabs(r->count - cases[i].count) > 1e-9 * cases[i].count ||
		    r->period_s != cases[i].period_s)
			fail_msg("%s: got %g per %g s", cases[i].text, r->count, r->period_s);
		assert_int_equal(r->line, 5);
		assert_int_equal(r->col, 14);
		plan_free(p);
	}
}

static void test_rate_events(void **state)
{
	struct plan *p;

	(void)state;
	/* DESIGN §2: a rate written per month gives exactly that many. */
	p = rate_plan("3M/month");
	assert_int_equal(rate_events(&p->functions[0].traffic, 1, MONTH_S), 3000000);
	assert_int_equal(rate_events(&p->functions[0].traffic, 2, MONTH_S), 6000000);
	plan_free(p);
	/* 1,200 x 2,628,000 / 86,400 = 36,500 (30.4166... days) */
	p = rate_plan("1.2k/day");
	assert_int_equal(rate_events(&p->functions[0].traffic, 1, MONTH_S), 36500);
	plan_free(p);
	/* 10,000 x 43,800 minutes */
	p = rate_plan("10k/min");
	assert_int_equal(rate_events(&p->functions[0].traffic, 1, MONTH_S), 438000000);
	plan_free(p);
	/* 50/hour over a week: 50 x 168 */
	p = rate_plan("50/hour");
	assert_int_equal(rate_events(&p->functions[0].traffic, 1, 604800), 8400);
	plan_free(p);
}

static void test_schedules(void **state)
{
	struct plan *p;
	const struct rate *r;

	(void)state;
	/* hours_per_month: active once, for the first H hours of the window */
	p = rate_plan("{rate: 10/s, hours_per_month: 100}");
	r = &p->functions[0].traffic;
	assert_int_equal(r->sched.kind, SCHED_ONCE);
	assert_true(r->sched.start_s == 0 && r->sched.end_s == 360000);
	assert_int_equal(rate_events(r, 1, MONTH_S), 3600000);	/* 10 x 360,000 s */
	plan_free(p);

	/* hours_per_day: the first H hours of every UTC day */
	p = rate_plan("{rate: 10/s, hours_per_day: 8}");
	r = &p->functions[0].traffic;
	assert_int_equal(r->sched.kind, SCHED_DAILY);
	assert_true(r->sched.start_s == 0 && r->sched.end_s == 28800);
	/* 30 full days + 36,000 s of day 31 (>= 8 h): 31 x 28,800 s active */
	assert_int_equal(rate_events(r, 1, MONTH_S), 8928000);
	plan_free(p);

	p = rate_plan("{rate: 10/s, daily: \"09:00-17:30\"}");
	r = &p->functions[0].traffic;
	assert_int_equal(r->sched.kind, SCHED_DAILY);
	assert_true(r->sched.start_s == 32400 && r->sched.end_s == 63000);
	assert_int_equal(rate_events(r, 1, 86400), 306000);	/* 8.5 h x 36,000 */
	plan_free(p);

	/* a daily range may wrap midnight */
	p = rate_plan("{rate: 1/s, daily: \"22:00-06:00\"}");
	r = &p->functions[0].traffic;
	assert_true(r->sched.start_s == 79200 && r->sched.end_s == 21600);
	assert_int_equal(rate_events(r, 1, 86400), 28800);
	plan_free(p);

	/* window: a span of the simulated window */
	p = rate_plan("{rate: 5/s, window: \"2h-8h\"}");
	r = &p->functions[0].traffic;
	assert_int_equal(r->sched.kind, SCHED_ONCE);
	assert_true(r->sched.start_s == 7200 && r->sched.end_s == 28800);
	assert_int_equal(rate_events(r, 1, MONTH_S), 108000);	/* 5 x 21,600 s */
	plan_free(p);

	/* provisioned concurrency takes the same schedule keys */
	p = text_ok("name: pc\nfunctions:\n  - name: f\n    duration_ms: 10\n"
		    "    provisioned_concurrency: {count: 3, window: \"1h-2h\"}\n"
		    "  - name: g\n    duration_ms: 10\n    reserved_concurrency: 50\n"
		    "    provisioned_concurrency: {count: 50, hours_per_month: 730}\n"
		    "  - name: h\n    duration_ms: 10\n    provisioned_concurrency: 7\n");
	assert_true(p->functions[0].provisioned == 3);
	assert_int_equal(p->functions[0].pc_sched.kind, SCHED_ONCE);
	assert_true(p->functions[0].pc_sched.start_s == 3600);
	assert_true(p->functions[0].pc_sched.end_s == 7200);
	assert_int_equal(p->functions[1].pc_sched.kind, SCHED_ONCE);
	assert_true(p->functions[1].pc_sched.end_s == MONTH_S);
	assert_true(p->functions[2].provisioned == 7);
	assert_int_equal(p->functions[2].pc_sched.kind, SCHED_ALWAYS);
	plan_free(p);
}

static void test_trace_streams(void **state)
{
	char path[] = "/tmp/costcap-test-trace-XXXXXX";
	int fd = mkstemp(path);
	char set[128];
	const char *sets[1];
	struct plan *p;

	(void)state;
	assert_true(fd >= 0);
	assert_true(write(fd, "time,stream,count\n0,browse,1\n", 29) == 29);
	close(fd);
	snprintf(set, sizeof set, "traffic.trace=%s", path);
	sets[0] = set;
	/* stream-without-trace.yaml becomes valid once a trace is given */
	p = load_ok("tests/plans/bad/stream-without-trace.yaml", sets, 1, NAN);
	assert_string_equal(p->trace, path);
	assert_true(p->apis[0].routes[0].traffic.set);
	assert_string_equal(p->apis[0].routes[0].traffic.stream, "browse");
	assert_int_equal(rate_events(&p->apis[0].routes[0].traffic, 1, MONTH_S), 0);
	plan_free(p);
	unlink(path);
}

/* ---- --set and --scale -------------------------------------------------- */

static void test_set_map_key(void **state)
{
	const char *sets[] = {"name=renamed", "traffic.scale=3", "account.free_tier=always"};
	struct plan *p = load_ok("tests/plans/ok/minimal.yaml", sets, N(sets), NAN);

	(void)state;
	assert_string_equal(p->name, "renamed");
	assert_true(p->scale == 3);			/* section created */
	assert_int_equal(p->free_tier, FREE_ALWAYS);
	plan_free(p);
}

static void test_set_named_element(void **state)
{
	const char *sets[] = {
		"functions.list-items.memory_mb=1024",
		"functions.0.arch=arm64",		/* by index */
		"apis.public.routes.GET /items.traffic=5k/min",	/* by route */
		"tables.items.rcu=1.5k",
	};
	struct plan *p = load_ok("tests/plans/ok/minimal.yaml", sets, N(sets), NAN);

	(void)state;
	assert_true(p->functions[0].memory_mb == 1024);
	assert_int_equal(p->functions[0].arch, ARCH_ARM64);
	assert_true(p->apis[0].routes[0].traffic.count == 5000);
	assert_true(p->apis[0].routes[0].traffic.period_s == 60);
	assert_true(p->tables[0].rcu == 1500);
	plan_free(p);
}

static void test_set_creates_key(void **state)
{
	const char *sets[] = {
		"tables.items.autoscaling={min: 5, max: 100, target: 0.7}",
		"functions.list-items.provisioned_concurrency={count: 2, daily: '09:00-17:00'}",
		"budget.monthly_usd=250",
	};
	struct plan *p = load_ok("tests/plans/ok/minimal.yaml", sets, N(sets), NAN);

	(void)state;
	assert_true(p->tables[0].autoscaling.on);
	assert_true(p->tables[0].autoscaling.min == 5);
	assert_true(p->tables[0].autoscaling.max == 100);
	assert_true(fabs(p->tables[0].autoscaling.target - 0.7) < 1e-12);
	assert_true(p->functions[0].provisioned == 2);
	assert_int_equal(p->functions[0].pc_sched.kind, SCHED_DAILY);
	assert_true(p->budget.monthly_usd == 250);
	plan_free(p);
}

static void test_set_bad_path(void **state)
{
	static const char *const sets1[] = {"functions.nosuch.memory_mb=1024"};
	static const char *const want1[] = {
		"--set: functions.nosuch.memory_mb matches nothing: no element 'nosuch' in "
		"'functions' (elements: list-items)",
	};
	static const char *const sets2[] = {"name.first=x"};
	static const char *const want2[] = {
		"--set: name.first matches nothing: 'name' is a value, not a map or a sequence",
	};
	static const char *const sets3[] = {"memory_mb"};
	static const char *const want3[] = {
		"--set: expected PATH=VALUE (like functions.api.memory_mb=1024), found 'memory_mb'",
	};
	/* keys created by --set are validated like any other; values from
	 * --set are reported against "--set" */
	static const char *const sets4[] = {
		"functions.list-items.memroy_mb=256",
		"functions.list-items.duration_ms=lots",
		"tables.items.rcu=[1, 2]",
	};
	/* (diagnostics without a line keep the order sections are checked in:
	 * tables before functions) */
	static const char *const want4[] = {
		"--set: rcu of table 'items': expected a number, found a sequence",
		"--set: unknown key 'memroy_mb' in function 'list-items' (did you mean 'memory_mb'?)",
		"--set: duration_ms of function 'list-items': expected a number, found 'lots'",
	};
	static const char *const sets5[] = {"tables.items.rcu={a: [1}"};
	static const char *const want5[] = {
		"--set: tables.items.rcu: cannot parse the value '{a: [1}': did not find expected ',' "
		"or ']' while parsing a flow sequence",
	};
	static const char *const sets6[] = {"apis.public..type=rest"};
	static const char *const want6[] = {"--set: apis.public..type: empty path segment"};

	(void)state;
	expect_errors("tests/plans/ok/minimal.yaml", sets1, 1, NAN, want1, N(want1));
	expect_errors("tests/plans/ok/minimal.yaml", sets2, 1, NAN, want2, N(want2));
	expect_errors("tests/plans/ok/minimal.yaml", sets3, 1, NAN, want3, N(want3));
	expect_errors("tests/plans/ok/minimal.yaml", sets4, N(sets4), NAN, want4, N(want4));
	expect_errors("tests/plans/ok/minimal.yaml", sets5, 1, NAN, want5, N(want5));
	expect_errors("tests/plans/ok/minimal.yaml", sets6, 1, NAN, want6, N(want6));
}

/* plan_apply_set on a tree directly (as the TUI uses it). */
static void test_apply_set_tree(void **state)
{
	const char *yaml = "name: x\nfunctions:\n  - {name: a, memory_mb: 128}\n";
	struct ynode *root, *fn;
	struct err e = {0};

	(void)state;
	assert_int_equal(yaml_load_buffer("t.yaml", yaml, strlen(yaml), &root, &e), 0);
	assert_int_equal(plan_apply_set(root, "functions.a.memory_mb=2048", &e), 0);
	fn = ynode_get(root, "functions")->items[0];
	assert_string_equal(ynode_get(fn, "memory_mb")->str, "2048");
	assert_int_equal(ynode_get(fn, "memory_mb")->line, 0);
	assert_int_equal(plan_apply_set(root, "functions.a.calls=[{table: t, op: get}]", &e), 0);
	assert_int_equal(ynode_get(fn, "calls")->kind, YNODE_SEQ);
	assert_int_equal(plan_apply_set(root, "functions.a=", &e), 0);	/* replaces the element */
	assert_int_equal(ynode_get(root, "functions")->items[0]->kind, YNODE_SCALAR);
	assert_int_equal(plan_apply_set(root, "functions.5.memory_mb=1", &e), -1);
	assert_int_equal(e.n, 1);
	ynode_free(root);
	err_clear(&e);
}

static void test_scale(void **state)
{
	const char *sets[] = {"traffic.scale=3"};
	struct plan *p = load_ok("tests/plans/ok/minimal.yaml", sets, 1, 2.5);
	static const char *const want[] = {"--scale: must be greater than 0 and at most 1000000, found 0"};

	(void)state;
	assert_true(p->scale == 2.5);	/* --scale wins over the plan and --set */
	assert_int_equal(rate_events(&p->apis[0].routes[0].traffic, p->scale, 100), 2500);
	plan_free(p);
	expect_errors("tests/plans/ok/minimal.yaml", NULL, 0, 0, want, N(want));
}

/* behaviour: is handed to model_load, which applies it to the model. */
static void test_behaviour(void **state)
{
	const char *sets[] = {"behaviour={lambda: {arrivals: uniform}, dynamodb: {client_retries: 2}}"};
	const char *bad[] = {
		"behaviour.dynamodb.client_retriez=2",
		"functions.list-items.memory_mb=20000",
	};
	struct plan *p = load_ok("tests/plans/ok/minimal.yaml", sets, 1, NAN);
	struct err e = {0};
	char *s;

	(void)state;
	assert_int_equal(p->model->lambda.arrivals, ARRIVALS_UNIFORM);
	assert_true(p->model->dynamo.client_retries == 2);
	plan_free(p);

	/* A bad behaviour key fails the model, but its limits still check
	 * the rest of the plan. */
	assert_int_equal(plan_load("tests/plans/ok/minimal.yaml", bad, 2, NAN, &p, &e), -1);
	if (e.n != 2)
		dump(&e);
	assert_int_equal(e.n, 2);
	s = err_format(&e, 0);
	assert_non_null(strstr(s, "client_retriez"));
	assert_int_equal(strncmp(s, "--set: ", 7), 0);
	free(s);
	s = err_format(&e, 1);
	assert_string_equal(s, "--set: memory_mb of function 'list-items' must be between 128 and "
			    "10240 MB, found 20000 (lambda.limits.memory_mb in model aws/us-east-1)");
	free(s);
	err_clear(&e);
}

/* ---- DynamoDB units of a call ------------------------------------------ */

/* Loads one call on a provisioned table and returns its units. */
static void call_units(const char *call, uint64_t *half, uint64_t *wu)
{
	char yaml[512];
	struct plan *p;

	snprintf(yaml, sizeof yaml,
		 "name: u\nfunctions:\n  - name: f\n    duration_ms: 10\n    calls:\n      - %s\n"
		 "tables:\n  - {name: t, rcu: 10, wcu: 10}\n", call);
	p = text_ok(yaml);
	assert_int_equal(p->functions[0].ncalls, 1);
	*half = p->functions[0].calls[0].read_half_units;
	*wu = p->functions[0].calls[0].write_units;
	plan_free(p);
}

static void test_call_units(void **state)
{
	/* Expected figures: the AWS DynamoDB developer guide and pricing page
	 * examples (reference/aws-prices-and-limits.md, DynamoDB units). */
	static const struct {
		const char *call;
		uint64_t half, wu;
	} cases[] = {
		/* GetItem of 3.5 KB: 1 strong unit, half a unit eventually consistent */
		{"{table: t, op: get, item_kb: 3.5, consistency: strong}", 2, 0},
		{"{table: t, op: get, item_kb: 3.5}", 1, 0},
		/* BatchGetItem of a 1.5 KB and a 6.5 KB item: 1 + 2 = 3 strong units
		 * (items in one call share a size here, so two calls) */
		{"{table: t, op: batch_get, item_kb: 1.5, consistency: strong}", 2, 0},
		{"{table: t, op: batch_get, item_kb: 6.5, consistency: strong}", 4, 0},
		/* Query returning 10 items of 4.08 KB (40.8 KB): 11 strong units */
		{"{table: t, op: query, items: 10, item_kb: 4.08, consistency: strong}", 22, 0},
		/* Query returning 1,500 items of 64 bytes (96,000 bytes): 24 strong units */
		{"{table: t, op: query, items: 1500, item_bytes: 64, consistency: strong}", 48, 0},
		/* An empty query still reads one 4 KB block */
		{"{table: t, op: query, items: 0, item_kb: 1}", 1, 0},
		/* 8 KB item: 2 strong, 1 eventual, 4 transactional read units */
		{"{table: t, op: get, item_kb: 8, consistency: strong}", 4, 0},
		{"{table: t, op: get, item_kb: 8}", 2, 0},
		{"{table: t, op: transact_get, item_kb: 8}", 8, 0},
		/* Writes: 1 KB -> 1, 3 KB -> 3, transactional 3 KB -> 6 */
		{"{table: t, op: put, item_kb: 1}", 0, 1},
		{"{table: t, op: put, item_kb: 3}", 0, 3},
		{"{table: t, op: transact_write, item_kb: 3}", 0, 6},
		{"{table: t, op: batch_write, items: 25, item_bytes: 1025}", 0, 50},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		uint64_t half, wu;

		call_units(cases[i].call, &half, &wu);
		if (half != cases[i].half || wu != cases[i].wu)
			fail_msg("%s: got %llu half read units, %llu write units", cases[i].call,
				 (unsigned long long)half, (unsigned long long)wu);
	}
}

/* ---- bad plans: exact diagnostics --------------------------------------- */

#define BAD "tests/plans/bad/"

static void test_bad_syntax(void **state)
{
	(void)state;
	EXPECT(BAD "syntax.yaml",
	       BAD "syntax.yaml:5:9: did not find expected ',' or '}' while parsing a flow mapping");
}

static void test_bad_empty(void **state)
{
	(void)state;
	EXPECT(BAD "empty.yaml",
	       BAD "empty.yaml:1:1: the plan is empty (expected a map with at least 'name')");
	EXPECT(BAD "top-not-map.yaml",
	       BAD "top-not-map.yaml:1:1: expected a map at the top of the plan, found a sequence");
}

static void test_bad_unknown_key(void **state)
{
	(void)state;
	EXPECT(BAD "unknown-key.yaml",
	       BAD "unknown-key.yaml:4:5: unknown key 'memroy_mb' in function 'list-items' "
	       "(did you mean 'memory_mb'?)");
}

static void test_bad_wrong_type(void **state)
{
	(void)state;
	EXPECT(BAD "wrong-type.yaml",
	       BAD "wrong-type.yaml:4:16: memory_mb of function 'list-items': expected a number, "
	       "found a sequence");
}

static void test_bad_memory_range(void **state)
{
	(void)state;
	EXPECT(BAD "memory-range.yaml",
	       BAD "memory-range.yaml:4:16: memory_mb of function 'list-items' must be between "
	       "128 and 10240 MB, found 20000 (lambda.limits.memory_mb in model aws/us-east-1)");
}

static void test_bad_references(void **state)
{
	(void)state;
	EXPECT(BAD "unknown-table.yaml",
	       BAD "unknown-table.yaml:6:17: unknown table 'itmes' (tables: items, users)");
	EXPECT(BAD "unknown-function.yaml",
	       BAD "unknown-function.yaml:7:19: unknown function 'list-itmes' "
	       "(functions: list-items, get-item)");
	EXPECT(BAD "duplicate-function.yaml",
	       BAD "duplicate-function.yaml:5:11: duplicate function name 'worker' "
	       "(first at line 3)");
	EXPECT(BAD "unknown-model.yaml",
	       BAD "unknown-model.yaml:2:8: unknown model 'aws/mars-north-1' (models: "
	       "aws/ap-southeast-1, aws/eu-central-1, aws/eu-west-1, aws/us-east-1)");
}

static void test_bad_reserved(void **state)
{
	(void)state;
	EXPECT(BAD "reserved-too-high.yaml",
	       BAD "reserved-too-high.yaml:7:27: reserved_concurrency of function 'worker' must be "
	       "at most 900 (account concurrency 1000 minus 100 kept unreserved: "
	       "lambda.limits.unreserved_min in model aws/us-east-1), found 950");
	EXPECT(BAD "reserved-sum.yaml",
	       BAD "reserved-sum.yaml:5:54: reserved and provisioned concurrency of all functions "
	       "add up to 1000 at function 'c', more than 900 (account concurrency 1000 minus 100 "
	       "kept unreserved: lambda.limits.unreserved_min in model aws/us-east-1; provisioned "
	       "concurrency of a function without reserved concurrency counts too)");
}

static void test_bad_missing_required(void **state)
{
	(void)state;
	EXPECT(BAD "missing-required.yaml",
	       BAD "missing-required.yaml:3:5: missing required key 'duration_ms' in function "
	       "'worker'");
}

static void test_bad_three_problems(void **state)
{
	(void)state;
	EXPECT(BAD "three-problems.yaml",
	       BAD "three-problems.yaml:4:16: memory_mb of function 'worker' must be between 128 "
	       "and 10240 MB, found 64 (lambda.limits.memory_mb in model aws/us-east-1)",
	       BAD "three-problems.yaml:5:11: arch of function 'worker' must be one of x86_64, "
	       "arm64, found 'amd64' (did you mean 'arm64'?)",
	       BAD "three-problems.yaml:8:17: unknown table 'missing' (no tables defined)");
}

static void test_bad_cache_and_trace(void **state)
{
	(void)state;
	EXPECT(BAD "cache-on-http.yaml",
	       BAD "cache-on-http.yaml:5:5: cache of api 'public': caching is available only for "
	       "rest apis (type is http)");
	EXPECT(BAD "missing-trace.yaml",
	       BAD "missing-trace.yaml:3:10: cannot find trace file 'no-such-trace.csv' "
	       "(looked for tests/plans/bad/no-such-trace.csv)");
	EXPECT(BAD "stream-without-trace.yaml",
	       BAD "stream-without-trace.yaml:6:38: unknown rate 'browse' for traffic of route "
	       "'GET /items' of api 'public' (no traffic.trace given)");
}

/* One plan with a problem in nearly every section: all are reported, in
 * file order. */
static void test_bad_values(void **state)
{
	(void)state;
	EXPECT(BAD "bad-values.yaml",
	       BAD "bad-values.yaml:3:22: free_tier of account must be one of none, always, "
	       "first_year, found 'sometimes'",
	       BAD "bad-values.yaml:3:53: lambda_concurrency of account must be between 1 and 1000000, found 0",
	       BAD "bad-values.yaml:4:18: scale of traffic must be greater than 0 and at most 1000000, found 0",
	       BAD "bad-values.yaml:4:29: growth of traffic: expected a growth like 5%/month or "
	       "0.05, found 'lots'",
	       BAD "bad-values.yaml:8:19: messages_out of api 'ws': unknown period after '/' (use s, "
	       "min, hour, day, week or month), found '10/fortnight'",
	       BAD "bad-values.yaml:10:63: hours_per_day of traffic of route '$default' of api 'ws' "
	       "must be between 0 and 24 hours, found 25",
	       BAD "bad-values.yaml:13:22: size_gb of cache of api 'shop' must be one of the cache "
	       "sizes of model aws/us-east-1 (0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237), found 0.7",
	       BAD "bad-values.yaml:13:38: hit_ratio of cache of api 'shop' must be between 0 and 1, "
	       "found 1.5",
	       BAD "bad-values.yaml:14:5: connection_minutes of api 'shop' applies only to websocket "
	       "apis (type is rest)",
	       BAD "bad-values.yaml:16:53: daily of traffic of route 'GET /x' of api 'shop': "
	       "expected a UTC clock range like \"09:00-17:00\", found '9-17'",
	       BAD "bad-values.yaml:17:17: duplicate route 'GET /x' in api 'shop' (first at line 16)",
	       BAD "bad-values.yaml:17:54: window of traffic of route 'GET /x' of api 'shop': "
	       "expected a span of the window like \"0h-8h\" (start before end), found '8h-2h'",
	       BAD "bad-values.yaml:18:5: missing required key 'type' in api 'noroute'",
	       BAD "bad-values.yaml:21:24: p50 of duration_ms of function 'f' (300 ms) must not "
	       "exceed its p95 (100 ms)",
	       BAD "bad-values.yaml:22:16: timeout_s of function 'f' must be between 1 and 900 s, "
	       "found 1000 (lambda.limits.timeout_s in model aws/us-east-1)",
	       BAD "bad-values.yaml:23:14: init_ms of function 'f' must be between 0 and 10000 ms, "
	       "found 20000 (lambda.limits.init_max_ms in model aws/us-east-1)",
	       BAD "bad-values.yaml:24:19: ephemeral_mb of function 'f' must be between 512 and "
	       "10240 MB, found 100 (lambda.limits.ephemeral_mb in model aws/us-east-1)",
	       BAD "bad-values.yaml:26:59: provisioned_concurrency of function 'f': give only one of "
	       "hours_per_month, hours_per_day, daily and window",
	       BAD "bad-values.yaml:28:18: duration_ms of function 'g' (5000 ms) is longer than its "
	       "timeout_s (3 s): every call would time out",
	       BAD "bad-values.yaml:31:30: provisioned_concurrency of function 'g' (10) must not "
	       "exceed its reserved_concurrency (5)",
	       BAD "bad-values.yaml:33:29: index of call #1 of function 'g' applies only to reads "
	       "(writes update a table's GSIs through their write_share)",
	       BAD "bad-values.yaml:33:45: consistency of call #1 of function 'g' applies only to "
	       "reads (op is put)",
	       BAD "bad-values.yaml:34:60: call #2 of function 'g': a GSI supports only eventually "
	       "consistent reads",
	       BAD "bad-values.yaml:35:27: unknown index 'by-usr' (GSIs of table 't': by-user)",
	       BAD "bad-values.yaml:36:44: items of call #4 of function 'g' must be between 1 and 25, "
	       "found 30",
	       BAD "bad-values.yaml:36:57: item_kb of call #4 of function 'g' must be greater than 0 "
	       "and at most 400 KB, found 500 (dynamodb.limits.item_max_kb in model aws/us-east-1)",
	       BAD "bad-values.yaml:37:24: op of call #5 of function 'g' must be one of get, "
	       "batch_get, query, scan, put, update, delete, batch_write, transact_get, "
	       "transact_write, found 'gett' (did you mean 'get'?)",
	       BAD "bad-values.yaml:37:42: call #5 of function 'g': give item_kb or item_bytes, "
	       "not both",
	       BAD "bad-values.yaml:39:5: missing required key 'wcu' in table 't'",
	       BAD "bad-values.yaml:40:10: rcu of table 't' must be between 1 and 40000 RCU, found 0 "
	       "(dynamodb.limits.min_units / table_max_rcu in model aws/us-east-1)",
	       BAD "bad-values.yaml:42:54: write_share of GSI 'by-user' of table 't' must be between "
	       "0 and 1, found 2",
	       BAD "bad-values.yaml:45:5: rcu of table 'od' applies only to provisioned tables",
	       BAD "bad-values.yaml:46:5: autoscaling of table 'od' applies only to provisioned "
	       "tables",
	       BAD "bad-values.yaml:50:24: min of autoscaling of table 'as' (50) must not exceed its "
	       "max (10)",
	       BAD "bad-values.yaml:50:45: target of autoscaling of table 'as' must be between 0.2 "
	       "and 0.9 (20% to 90%), found 95%",
	       BAD "bad-values.yaml:52:16: monthly_usd of budget must be at least 0 USD, found -1",
	       BAD "bad-values.yaml:53:14: unknown service 'lamda' (services: lambda, apigateway, "
	       "dynamodb)",
	       BAD "bad-values.yaml:54:15: unknown resource 'nope' (resources: f, g, ws, shop, "
	       "noroute, t, od, as)",
	       BAD "bad-values.yaml:55:23: max_throttle_ratio of budget must be between 0 and 1 "
	       "(0% to 100%), found 2");
}

/* Numbers: k/M/B suffixes yes; NaN, infinity and hex no. */
static void test_numbers(void **state)
{
	static const char *const bad[] = {".nan", ".inf", "0x10", "12abc", "1e400"};
	struct plan *p;
	size_t i;

	(void)state;
	p = text_ok("name: n\ntables:\n  - {name: t, rcu: 1.5k, wcu: '20', storage_gb: 1e3}\n");
	assert_true(p->tables[0].rcu == 1500);
	assert_true(p->tables[0].wcu == 20);
	assert_true(p->tables[0].storage_gb == 1000);
	plan_free(p);
	for (i = 0; i < N(bad); i++) {
		char yaml[256], want[256];
		struct err e = {0};
		char *got;

		snprintf(yaml, sizeof yaml, "name: n\ntables:\n  - {name: t, rcu: 5, wcu: %s}\n",
			 bad[i]);
		assert_int_equal(load_text(yaml, &p, &e), -1);
		assert_int_equal(e.n, 1);
		got = err_format(&e, 0);
		snprintf(want, sizeof want,
			 "t.yaml:3:28: wcu of table 't': expected a number, found '%s'", bad[i]);
		assert_string_equal(got, want);
		free(got);
		err_clear(&e);
	}
}

/* behaviour.md §1.6 / aws-prices-and-limits.md B.3: the table quota
 * (40,000 RCU and 40,000 WCU in aws/us-east-1) counts a provisioned table
 * and its GSIs together. 30,000 + 30,000 = 60,000 WCU is over it, while
 * its 20,000 + 20,000 = 40,000 RCU is at it (allowed); 20,000 + 10,000 +
 * 10,001 = 40,001 RCU is over by one, with 10,000 + 10,000 + 20,000 =
 * 40,000 WCU allowed. */
static void test_table_quota_with_gsis(void **state)
{
	static const char *const yaml[] = {
		"name: n\ntables:\n  - {name: t, rcu: 20000, wcu: 30000,\n"
		"     gsis: [{name: g, rcu: 20000, wcu: 30000}]}\n",
		"name: n\ntables:\n  - {name: t, rcu: 20000, wcu: 10000,\n"
		"     gsis: [{name: g, rcu: 10000, wcu: 10000}, {name: h, rcu: 10001, wcu: 20000}]}\n",
	};
	static const char *const want[] = {
		"t.yaml:3:5: table 't' and its GSIs add up to 60000 WCU, more than the table "
		"maximum of 40000 (dynamodb.limits.table_max_wcu in model aws/us-east-1)",
		"t.yaml:3:5: table 't' and its GSIs add up to 40001 RCU, more than the table "
		"maximum of 40000 (dynamodb.limits.table_max_rcu in model aws/us-east-1)",
	};
	struct plan *p;
	size_t i;

	(void)state;
	for (i = 0; i < N(yaml); i++) {
		struct err e = {0};
		char *got;

		assert_int_equal(load_text(yaml[i], &p, &e), -1);
		if (e.n != 1)
			dump(&e);
		assert_int_equal(e.n, 1);
		got = err_format(&e, 0);
		assert_string_equal(got, want[i]);
		free(got);
		err_clear(&e);
	}
	/* At the quota exactly: loads. */
	p = text_ok("name: n\ntables:\n  - {name: t, rcu: 20000, wcu: 20000,\n"
		    "     gsis: [{name: g, rcu: 20000, wcu: 20000}]}\n");
	assert_int_equal(p->tables[0].ngsis, 1);
	plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_loads),
		cmocka_unit_test(test_builtin_example),
		cmocka_unit_test(test_ok_fixtures),
		cmocka_unit_test(test_rate_units),
		cmocka_unit_test(test_rate_events),
		cmocka_unit_test(test_schedules),
		cmocka_unit_test(test_trace_streams),
		cmocka_unit_test(test_set_map_key),
		cmocka_unit_test(test_set_named_element),
		cmocka_unit_test(test_set_creates_key),
		cmocka_unit_test(test_set_bad_path),
		cmocka_unit_test(test_apply_set_tree),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_behaviour),
		cmocka_unit_test(test_call_units),
		cmocka_unit_test(test_bad_syntax),
		cmocka_unit_test(test_bad_empty),
		cmocka_unit_test(test_bad_unknown_key),
		cmocka_unit_test(test_bad_wrong_type),
		cmocka_unit_test(test_bad_memory_range),
		cmocka_unit_test(test_bad_references),
		cmocka_unit_test(test_bad_reserved),
		cmocka_unit_test(test_bad_missing_required),
		cmocka_unit_test(test_bad_three_problems),
		cmocka_unit_test(test_bad_cache_and_trace),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_table_quota_with_gsis),
	};

	/* The models are read from the checkout. */
	setenv("COSTCAP_MODELS", "models", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
