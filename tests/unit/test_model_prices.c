/* test_model_prices: checks the shipped model files against figures written
 * here, independently of the model loader. Every expected figure cites the
 * place in the research notes (reference/aws-prices-and-limits.md, compiled
 * 2026-11-27) or in reference/behaviour.md §7 that it comes from, so a typo
 * in a model file, or a price changed without its source, fails here.
 *
 * The files are read with the YAML tree API only. A child model is resolved
 * by following its 'extends' chain: a key is looked up in the child first,
 * then in each parent, which is what "maps merge key by key" means for a
 * single value. A sequence found in a file is taken whole from that file,
 * because a list given in a child replaces the parent's list.
 *
 * The models folder is $COSTCAP_MODELS if set, else "models" relative to
 * the current folder (the tests run from the repository root). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/yaml.h"

/* Relative tolerance for comparing figures read from YAML with the ones
 * written here. */
#define REL_TOL 1e-12

/* Longest 'extends' chain followed (child included). */
#define MAX_CHAIN 4

/* Marks the unbounded last tier in an expected tier list. */
#define UNBOUNDED (-1.0)

/* A model file and the files it extends: doc[0] is the child, doc[i + 1]
 * the file doc[i] extends. */
struct chain {
	int n;
	struct ynode *doc[MAX_CHAIN];
	char *path[MAX_CHAIN];
};

struct tier_want {
	double up_to;		/* UNBOUNDED for the last tier */
	double price;
};

struct cache_want {
	double size_gb;
	double hourly;
};

/* Every model shipped, for the checks that apply to all of them. */
static const char *const all_models[] = {
	"aws/us-east-1",
	"aws/eu-west-1",
	"aws/eu-central-1",
	"aws/ap-southeast-1",
	"aws/examples/us-east-1-2023",
};

static const char *models_dir(void)
{
	const char *d = getenv("COSTCAP_MODELS");

	return d && *d ? d : "models";
}

static int ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* Turns a model reference into a file path: a name like "aws/us-east-1" is
 * looked up in the models folder; a path ending in .yaml or .yml is taken
 * relative to the folder of the file that names it. */
static char *ref_to_path(const char *ref, const char *from_path)
{
	char buf[4096];

	if (ends_with(ref, ".yaml") || ends_with(ref, ".yml")) {
		const char *slash = from_path ? strrchr(from_path, '/') : NULL;

		if (ref[0] == '/' || !slash)
			snprintf(buf, sizeof buf, "%s", ref);
		else
			snprintf(buf, sizeof buf, "%.*s/%s",
				 (int)(slash - from_path), from_path, ref);
	} else {
		snprintf(buf, sizeof buf, "%s/%s.yaml", models_dir(), ref);
	}
	return strdup(buf);
}

/* Loads one file; a file that does not parse fails the test with the
 * loader's diagnostics. */
static struct ynode *load_file(const char *path)
{
	struct err e = {0};
	struct ynode *doc = NULL;
	size_t i;

	if (yaml_load_file(path, &doc, &e) < 0 || !doc) {
		for (i = 0; i < e.n; i++) {
			char *msg = err_format(&e, i);

			print_error("%s\n", msg);
			free(msg);
		}
		err_clear(&e);
		print_error("cannot load model file %s\n", path);
		fail();
	}
	err_clear(&e);
	if (doc->kind != YNODE_MAP) {
		print_error("%s: the top level is not a map\n", path);
		fail();
	}
	return doc;
}

/* Loads the model 'name' and every model it extends. */
static void chain_load(struct chain *c, const char *name)
{
	const struct ynode *ext;

	memset(c, 0, sizeof *c);
	c->path[0] = ref_to_path(name, NULL);
	c->doc[0] = load_file(c->path[0]);
	c->n = 1;
	while ((ext = ynode_get(c->doc[c->n - 1], "extends")) != NULL) {
		if (ext->kind != YNODE_SCALAR) {
			print_error("%s: 'extends' is not a scalar\n", c->path[c->n - 1]);
			fail();
		}
		if (c->n == MAX_CHAIN) {
			print_error("%s: 'extends' chain longer than %d\n", c->path[0], MAX_CHAIN);
			fail();
		}
		c->path[c->n] = ref_to_path(ext->str, c->path[c->n - 1]);
		c->doc[c->n] = load_file(c->path[c->n]);
		c->n++;
	}
}

static void chain_free(struct chain *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		ynode_free(c->doc[i]);
		free(c->path[i]);
	}
	c->n = 0;
}

enum walk { WALK_FOUND, WALK_ABSENT, WALK_BAD };

/* Follows a dotted path ("lambda.limits.timeout_s"; an all-digit part
 * indexes a sequence) inside one document. WALK_ABSENT means a map key is
 * missing, so a parent file may still supply the value; WALK_BAD means the
 * path cannot exist in any file that merges over this one (a bad index or a
 * scalar in the way). */
static enum walk walk(const struct ynode *doc, const char *path, const struct ynode **out)
{
	const struct ynode *n = doc;
	char part[256];
	const char *p = path;

	while (*p) {
		size_t len = strcspn(p, ".");

		if (len >= sizeof part)
			return WALK_BAD;
		memcpy(part, p, len);
		part[len] = '\0';
		p += len;
		if (*p == '.')
			p++;
		if (n->kind == YNODE_MAP) {
			n = ynode_get(n, part);
			if (!n)
				return WALK_ABSENT;
		} else if (n->kind == YNODE_SEQ) {
			char *end;
			unsigned long i = strtoul(part, &end, 10);

			if (*end != '\0' || end == part || i >= n->n)
				return WALK_BAD;
			n = n->items[i];
		} else {
			return WALK_BAD;
		}
	}
	*out = n;
	return WALK_FOUND;
}

/* Looks 'path' up in the child, then in each parent. Returns NULL when no
 * file gives it; *from (optional) receives the index of the file that did. */
static const struct ynode *chain_get(const struct chain *c, const char *path, int *from)
{
	const struct ynode *n = NULL;
	int i;

	for (i = 0; i < c->n; i++) {
		enum walk w = walk(c->doc[i], path, &n);

		if (w == WALK_FOUND) {
			if (from)
				*from = i;
			return n;
		}
		if (w == WALK_BAD)
			return NULL;
	}
	return NULL;
}

/* Reads a scalar as a double; fails the test if it is not a plain number. */
static double node_num(const struct chain *c, const struct ynode *n, const char *what,
		       const char *file, int line)
{
	char *end;
	double v;

	if (!n || n->kind != YNODE_SCALAR || n->quoted) {
		print_error("%s:%d: %s: %s is %s, expected a number\n", file, line,
			    c->path[0], what, n ? "not a plain scalar" : "missing");
		_fail(file, line);
	}
	v = strtod(n->str, &end);
	if (end == n->str || *end != '\0') {
		print_error("%s:%d: %s: %s = '%s' is not a number\n", file, line,
			    c->path[0], what, n->str);
		_fail(file, line);
	}
	return v;
}

static int near(double got, double want)
{
	double d = got - want, scale = want < 0 ? -want : want;

	if (d < 0)
		d = -d;
	return d <= REL_TOL * scale;
}

static void expect_num(const struct chain *c, const char *path, double want,
		       const char *file, int line)
{
	double got = node_num(c, chain_get(c, path, NULL), path, file, line);

	if (!near(got, want)) {
		print_error("%s:%d: %s: %s = %.17g, expected %.17g\n", file, line,
			    c->path[0], path, got, want);
		_fail(file, line);
	}
}

static void expect_str(const struct chain *c, const char *path, const char *want,
		       const char *file, int line)
{
	const struct ynode *n = chain_get(c, path, NULL);

	if (!n || n->kind != YNODE_SCALAR || strcmp(n->str, want) != 0) {
		print_error("%s:%d: %s: %s = '%s', expected '%s'\n", file, line, c->path[0],
			    path, n && n->str ? n->str : "(missing)", want);
		_fail(file, line);
	}
}

/* Checks that 'path' is given by the child file itself (an override), not
 * only inherited from a parent. */
static void expect_own(const struct chain *c, const char *path, const char *file, int line)
{
	int from = -1;

	if (!chain_get(c, path, &from) || from != 0) {
		print_error("%s:%d: %s: %s is not set in this file\n", file, line,
			    c->path[0], path);
		_fail(file, line);
	}
}

/* Checks that 'path' is not set in the child file (so it is inherited). */
static void expect_inherited(const struct chain *c, const char *path, const char *file, int line)
{
	int from = -1;

	if (!chain_get(c, path, &from) || from == 0) {
		print_error("%s:%d: %s: %s should be inherited, not set here\n", file, line,
			    c->path[0], path);
		_fail(file, line);
	}
}

/* Checks a tier list: its length, each tier's bound (bound_key, absent on
 * the last tier) and price (price_key), and that no tier has other keys. */
static void expect_tiers(const struct chain *c, const char *path, const char *bound_key,
			 const char *price_key, const struct tier_want *want, size_t nwant,
			 const char *file, int line)
{
	const struct ynode *list = chain_get(c, path, NULL);
	size_t i;

	if (!list || list->kind != YNODE_SEQ || list->n != nwant) {
		print_error("%s:%d: %s: %s is not a list of %zu tiers\n", file, line,
			    c->path[0], path, nwant);
		_fail(file, line);
	}
	for (i = 0; i < nwant; i++) {
		const struct ynode *t = list->items[i];
		char what[512];
		int bounded = want[i].up_to != UNBOUNDED;
		double got;

		if (t->kind != YNODE_MAP || t->n != (bounded ? 4u : 2u)) {
			print_error("%s:%d: %s: %s[%zu] should be a map with %s\n", file, line,
				    c->path[0], path, i, bounded ? "a bound and a price" : "a price only");
			_fail(file, line);
		}
		if (bounded) {
			snprintf(what, sizeof what, "%s[%zu].%s", path, i, bound_key);
			got = node_num(c, ynode_get(t, bound_key), what, file, line);
			if (!near(got, want[i].up_to)) {
				print_error("%s:%d: %s: %s = %.17g, expected %.17g\n", file, line,
					    c->path[0], what, got, want[i].up_to);
				_fail(file, line);
			}
		}
		snprintf(what, sizeof what, "%s[%zu].%s", path, i, price_key);
		got = node_num(c, ynode_get(t, price_key), what, file, line);
		if (!near(got, want[i].price)) {
			print_error("%s:%d: %s: %s = %.17g, expected %.17g\n", file, line,
				    c->path[0], what, got, want[i].price);
			_fail(file, line);
		}
	}
}

#define EXPECT_NUM(c, path, want) expect_num((c), (path), (want), __FILE__, __LINE__)
#define EXPECT_STR(c, path, want) expect_str((c), (path), (want), __FILE__, __LINE__)
#define EXPECT_OWN(c, path) expect_own((c), (path), __FILE__, __LINE__)
#define EXPECT_INHERITED(c, path) expect_inherited((c), (path), __FILE__, __LINE__)
#define EXPECT_TIERS(c, path, bkey, pkey, want) \
	expect_tiers((c), (path), (bkey), (pkey), (want), sizeof(want) / sizeof((want)[0]), \
		     __FILE__, __LINE__)

/* Expected figures, us-east-1. */

/* §A.1 rows "Duration x86, tier 1..3"; bounds from the tiered-pricing blog
 * row ("Tier discounts"): 0-6 B, 6-15 B, over 15 B GB-s. */
static const struct tier_want lambda_x86[] = {
	{6000000000.0, 0.0000166667},
	{15000000000.0, 0.0000150000},
	{UNBOUNDED, 0.0000133334},
};

/* §A.1 rows "Duration Arm, tier 1..3": 0-7.5 B, 7.5-18.75 B, over 18.75 B. */
static const struct tier_want lambda_arm[] = {
	{7500000000.0, 0.0000133334},
	{18750000000.0, 0.0000120001},
	{UNBOUNDED, 0.0000106667},
};

/* §A.4 rows "REST API, first 333 M", "next 667 M", "next 19 B", "over 20 B". */
static const struct tier_want rest_tiers[] = {
	{333000000.0, 3.50},
	{1000000000.0, 2.80},
	{20000000000.0, 2.38},
	{UNBOUNDED, 1.51},
};

/* §A.4 rows "HTTP API, first 300 M" and "over 300 M". */
static const struct tier_want http_tiers[] = {
	{300000000.0, 1.00},
	{UNBOUNDED, 0.90},
};

/* §A.4 rows "WebSocket messages, first 1 B" and "over 1 B". */
static const struct tier_want ws_tiers[] = {
	{1000000000.0, 1.00},
	{UNBOUNDED, 0.80},
};

/* §A.4 row "Data transfer out to internet": $0.09 for the first 10 TB
 * (10,240 GB), then 0.085 / 0.07 / 0.05. The 50 TB and 150 TB bounds are
 * not in the reference; they are the ones in docs/model-schema.md (marked
 * UNCONFIRMED in the model). */
static const struct tier_want transfer_tiers[] = {
	{10240.0, 0.09},
	{51200.0, 0.085},
	{153600.0, 0.07},
	{UNBOUNDED, 0.05},
};

/* §A.4 row "REST cache, hourly by size" (1.6 GB grade A, the rest B). */
static const struct cache_want cache_ladder[] = {
	{0.5, 0.020}, {1.6, 0.038}, {6.1, 0.200}, {13.5, 0.250},
	{28.4, 0.500}, {58.2, 1.000}, {118, 1.900}, {237, 3.800},
};

static void test_us_east_1_header(void **state)
{
	static const char *const sections[] = {"lambda", "apigateway", "dynamodb"};
	struct chain c;
	const struct ynode *s;
	size_t i;

	(void)state;
	chain_load(&c, "aws/us-east-1");
	assert_int_equal(c.n, 1);	/* the base model extends nothing */
	EXPECT_STR(&c, "name", "aws/us-east-1");
	EXPECT_STR(&c, "provider", "aws");
	EXPECT_STR(&c, "region", "us-east-1");
	EXPECT_STR(&c, "currency", "USD");	/* reference header: "Currency is USD" */
	EXPECT_STR(&c, "as_of", "2026-11-27");	/* reference header: compiled 2026-11-27 */
	s = chain_get(&c, "sources", NULL);
	assert_non_null(s);
	assert_int_equal(s->kind, YNODE_SEQ);
	assert_true(s->n > 0);
	for (i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		char path[64];

		snprintf(path, sizeof path, "%s.as_of", sections[i]);
		EXPECT_STR(&c, path, "2026-11-27");
		snprintf(path, sizeof path, "%s.sources", sections[i]);
		s = chain_get(&c, path, NULL);
		assert_non_null(s);
		assert_int_equal(s->kind, YNODE_SEQ);
		assert_true(s->n > 0);
	}
	chain_free(&c);
}

static void test_us_east_1_lambda(void **state)
{
	struct chain c;

	(void)state;
	chain_load(&c, "aws/us-east-1");
	/* §A.1 row "Requests (x86 and Arm)": $0.20 per 1M. */
	EXPECT_NUM(&c, "lambda.requests.per_million", 0.20);
	EXPECT_TIERS(&c, "lambda.duration.x86_64", "up_to_gb_seconds", "per_gb_second", lambda_x86);
	EXPECT_TIERS(&c, "lambda.duration.arm64", "up_to_gb_seconds", "per_gb_second", lambda_arm);
	/* §A.1 row "Ephemeral storage above 512 MB"; §A.3 row "Ephemeral storage" (512 MB included). */
	EXPECT_NUM(&c, "lambda.ephemeral_storage.included_mb", 512);
	EXPECT_NUM(&c, "lambda.ephemeral_storage.per_gb_second", 0.0000000309);
	/* §A.3 row "PC period rounding": up to the nearest 5 minutes. */
	EXPECT_NUM(&c, "lambda.provisioned_concurrency.rounding_s", 300);
	/* §A.1 rows "Provisioned Concurrency (configured), x86" and "... duration ..., x86". */
	EXPECT_NUM(&c, "lambda.provisioned_concurrency.x86_64.per_gb_second", 0.0000041667);
	EXPECT_NUM(&c, "lambda.provisioned_concurrency.x86_64.duration_per_gb_second", 0.0000097222);
	/* §A.1 rows "Provisioned Concurrency (configured), Arm" and "... duration, Arm". */
	EXPECT_NUM(&c, "lambda.provisioned_concurrency.arm64.per_gb_second", 0.0000033334);
	EXPECT_NUM(&c, "lambda.provisioned_concurrency.arm64.duration_per_gb_second", 0.0000077778);
	/* §A.1 row "Free tier": 1,000,000 requests and 400,000 GB-s per month. */
	EXPECT_NUM(&c, "lambda.free_tier.requests", 1000000);
	EXPECT_NUM(&c, "lambda.free_tier.gb_seconds", 400000);
	/* §B.1 row "Memory" (also §A.3): 128-10,240 MB. */
	EXPECT_NUM(&c, "lambda.limits.memory_mb.min", 128);
	EXPECT_NUM(&c, "lambda.limits.memory_mb.max", 10240);
	/* §B.1 row "/tmp": 512-10,240 MB. */
	EXPECT_NUM(&c, "lambda.limits.ephemeral_mb.min", 512);
	EXPECT_NUM(&c, "lambda.limits.ephemeral_mb.max", 10240);
	/* §B.1 row "Timeout": 900 s. */
	EXPECT_NUM(&c, "lambda.limits.timeout_s", 900);
	/* §B.1 row "Concurrent executions": 1,000 default. */
	EXPECT_NUM(&c, "lambda.limits.account_concurrency", 1000);
	/* §B.1 row "Reserved concurrency": 100 always unreserved. */
	EXPECT_NUM(&c, "lambda.limits.unreserved_min", 100);
	/* §B.1 row "Scaling rate (since 2023-11-27)": 1,000 every 10 s. */
	EXPECT_NUM(&c, "lambda.limits.scale_per_10s", 1000);
	/* §B.1 row "RPS limit": 10 x concurrency. */
	EXPECT_NUM(&c, "lambda.limits.rps_per_concurrency", 10);
	/* §A.3 row "INIT duration cap": 10 s on-demand. */
	EXPECT_NUM(&c, "lambda.limits.init_max_ms", 10000);
	chain_free(&c);
}

static void test_us_east_1_apigateway(void **state)
{
	struct chain c;
	const struct ynode *cache;
	size_t i;

	(void)state;
	chain_load(&c, "aws/us-east-1");
	EXPECT_TIERS(&c, "apigateway.rest.requests", "up_to_requests", "per_million", rest_tiers);
	EXPECT_TIERS(&c, "apigateway.http.requests", "up_to_requests", "per_million", http_tiers);
	/* §A.4 row "HTTP API metering": 512 KB increments. */
	EXPECT_NUM(&c, "apigateway.http.metering_kb", 512);
	EXPECT_TIERS(&c, "apigateway.websocket.messages", "up_to_requests", "per_million", ws_tiers);
	/* §A.4 row "WebSocket connection minutes": $0.25 per 1M minutes. */
	EXPECT_NUM(&c, "apigateway.websocket.connection_minutes.per_million", 0.25);
	/* §A.4 row "WebSocket message metering": up to 128 KB, 32 KB increments. */
	EXPECT_NUM(&c, "apigateway.websocket.metering_kb", 32);
	EXPECT_NUM(&c, "apigateway.websocket.message_max_kb", 128);
	cache = chain_get(&c, "apigateway.cache", NULL);
	assert_non_null(cache);
	assert_int_equal(cache->kind, YNODE_SEQ);
	assert_int_equal(cache->n, sizeof cache_ladder / sizeof cache_ladder[0]);
	for (i = 0; i < cache->n; i++) {
		char path[128];

		snprintf(path, sizeof path, "apigateway.cache.%zu.size_gb", i);
		EXPECT_NUM(&c, path, cache_ladder[i].size_gb);
		snprintf(path, sizeof path, "apigateway.cache.%zu.hourly", i);
		EXPECT_NUM(&c, path, cache_ladder[i].hourly);
	}
	EXPECT_TIERS(&c, "apigateway.data_transfer_out", "up_to_gb", "per_gb", transfer_tiers);
	/* §A.4 row "Free tier": 1M REST, 1M HTTP, 1M WebSocket messages, 750,000 minutes. */
	EXPECT_NUM(&c, "apigateway.free_tier.rest_requests", 1000000);
	EXPECT_NUM(&c, "apigateway.free_tier.http_requests", 1000000);
	EXPECT_NUM(&c, "apigateway.free_tier.websocket_messages", 1000000);
	EXPECT_NUM(&c, "apigateway.free_tier.websocket_connection_minutes", 750000);
	/* §B.2 row "Account throttle": 10,000 RPS, burst bucket 5,000. */
	EXPECT_NUM(&c, "apigateway.limits.account_rate", 10000);
	EXPECT_NUM(&c, "apigateway.limits.account_burst", 5000);
	chain_free(&c);
}

static void test_us_east_1_dynamodb(void **state)
{
	struct chain c;
	double rcu;

	(void)state;
	chain_load(&c, "aws/us-east-1");
	/* §A.5 rows "On-demand read/write request unit (Standard)": $0.125 / $0.625 per 1M. */
	EXPECT_NUM(&c, "dynamodb.standard.on_demand.read_per_million", 0.125);
	EXPECT_NUM(&c, "dynamodb.standard.on_demand.write_per_million", 0.625);
	/* §A.5 rows "Provisioned RCU" $0.00013 and "Provisioned WCU" $0.00065 per hour. */
	EXPECT_NUM(&c, "dynamodb.standard.provisioned.rcu_hourly", 0.00013);
	EXPECT_NUM(&c, "dynamodb.standard.provisioned.wcu_hourly", 0.00065);
	/* §A.5 row "Storage, Standard class": $0.25 per GB-month. */
	EXPECT_NUM(&c, "dynamodb.standard.storage.gb_month", 0.25);
	/* §A.5 row "Standard-IA on-demand": $0.155 RRU, $0.78 WRU per 1M. */
	EXPECT_NUM(&c, "dynamodb.standard_ia.on_demand.read_per_million", 0.155);
	EXPECT_NUM(&c, "dynamodb.standard_ia.on_demand.write_per_million", 0.78);
	/* §A.5 row "Standard-IA provisioned": $0.00016 RCU-hour, $0.00081 WCU-hour. */
	EXPECT_NUM(&c, "dynamodb.standard_ia.provisioned.rcu_hourly", 0.00016);
	EXPECT_NUM(&c, "dynamodb.standard_ia.provisioned.wcu_hourly", 0.00081);
	/* §A.5 row "Standard-IA storage": $0.10 per GB-month. */
	EXPECT_NUM(&c, "dynamodb.standard_ia.storage.gb_month", 0.10);
	/* §A.5 row "Free tier": 25 GB + 25 WCU + 25 RCU, always free. */
	EXPECT_NUM(&c, "dynamodb.free_tier.storage_gb", 25);
	EXPECT_NUM(&c, "dynamodb.free_tier.rcu", 25);
	EXPECT_NUM(&c, "dynamodb.free_tier.wcu", 25);
	/* The same row gives the allowance as 18,600 unit-hours in a 744-hour
	 * month; the model stores units, so check that they agree. */
	rcu = node_num(&c, chain_get(&c, "dynamodb.free_tier.rcu", NULL), "free_tier.rcu",
		       __FILE__, __LINE__);
	assert_true(near(rcu * 744.0, 18600.0));
	/* §B.3 row "Per-partition throughput": 3,000 RCU and 1,000 WCU. */
	EXPECT_NUM(&c, "dynamodb.limits.partition_rcu", 3000);
	EXPECT_NUM(&c, "dynamodb.limits.partition_wcu", 1000);
	/* §B.3 row "Partition size": 10 GB. */
	EXPECT_NUM(&c, "dynamodb.limits.partition_gb", 10);
	/* §B.3 row "Table-level throughput quota": 40,000 read and 40,000 write. */
	EXPECT_NUM(&c, "dynamodb.limits.table_max_rcu", 40000);
	EXPECT_NUM(&c, "dynamodb.limits.table_max_wcu", 40000);
	/* §B.3 row "Account-level (provisioned only)": 80,000 RCU and 80,000 WCU. */
	EXPECT_NUM(&c, "dynamodb.limits.account_max_rcu", 80000);
	EXPECT_NUM(&c, "dynamodb.limits.account_max_wcu", 80000);
	/* §B.3 row "Minimum provisioned": 1 RCU and 1 WCU. */
	EXPECT_NUM(&c, "dynamodb.limits.min_units", 1);
	/* §B.3 row "New on-demand table": 12,000 RRU and 4,000 WRU. */
	EXPECT_NUM(&c, "dynamodb.limits.on_demand_initial_rru", 12000);
	EXPECT_NUM(&c, "dynamodb.limits.on_demand_initial_wru", 4000);
	/* §B.3 row "Item size": 400 KB. */
	EXPECT_NUM(&c, "dynamodb.limits.item_max_kb", 400);
	/* §B.3 row "GSIs / LSIs": 20 GSIs per table. */
	EXPECT_NUM(&c, "dynamodb.limits.max_gsis", 20);
	/* §B.3 row "Burst capacity": 300 s (behaviour.md §7, "DynamoDB burst window"). */
	EXPECT_NUM(&c, "dynamodb.behaviour.burst_s", 300);
	chain_free(&c);
}

/* Behaviour defaults, all from behaviour.md §7 unless noted. */
static void test_us_east_1_behaviour(void **state)
{
	struct chain c;

	(void)state;
	chain_load(&c, "aws/us-east-1");
	/* "Lambda keep-alive K": 600 s. */
	EXPECT_NUM(&c, "lambda.behaviour.keep_alive_s", 600);
	/* DESIGN.md §4: arrivals poisson is the default. */
	EXPECT_STR(&c, "lambda.behaviour.arrivals", "poisson");
	/* "Lambda scaling": continuous refill. */
	EXPECT_STR(&c, "lambda.behaviour.scale_refill", "continuous");
	/* Reference §A.3 row "INIT phase billing": billed since 2025-08-01. */
	EXPECT_STR(&c, "lambda.behaviour.init_billed", "true");
	/* "Async retries": 2 on error; throttle retries up to 6 h, backoff up to 300 s. */
	EXPECT_NUM(&c, "lambda.behaviour.async_max_event_age_s", 21600);
	EXPECT_NUM(&c, "lambda.behaviour.async_max_backoff_s", 300);
	EXPECT_NUM(&c, "lambda.behaviour.async_retry_attempts", 2);
	/* behaviour.md §4.1 item 7: 429s not billed by default. */
	EXPECT_STR(&c, "apigateway.behaviour.throttled_billed", "false");
	/* "Burst form / retention fraction / availability": token bucket / 1.0 / 1.0. */
	EXPECT_STR(&c, "dynamodb.behaviour.burst_form", "token_bucket");
	EXPECT_NUM(&c, "dynamodb.behaviour.burst_retention", 1.0);
	EXPECT_NUM(&c, "dynamodb.behaviour.burst_availability", 1.0);
	/* "Partition caps": linear combination. */
	EXPECT_STR(&c, "dynamodb.behaviour.partition_rule", "linear");
	/* "EC read multiplier on partition cap": 1.0. */
	EXPECT_NUM(&c, "dynamodb.behaviour.ec_read_partition_multiplier", 1.0);
	/* "Admission mode": current. */
	EXPECT_STR(&c, "dynamodb.behaviour.admission", "current");
	/* "Split for heat": 0.8, 300 s, 300 s. */
	EXPECT_NUM(&c, "dynamodb.behaviour.split_heat_threshold", 0.8);
	EXPECT_NUM(&c, "dynamodb.behaviour.split_heat_sustain_s", 300);
	EXPECT_NUM(&c, "dynamodb.behaviour.split_heat_delay_s", 300);
	/* "Alarm latency / UpdateTable latency": 60 s / 120 s. */
	EXPECT_NUM(&c, "dynamodb.behaviour.autoscaling.alarm_delay_s", 60);
	EXPECT_NUM(&c, "dynamodb.behaviour.autoscaling.update_delay_s", 120);
	/* "Scale-out rule / scale-in rule": 2 x 1 min; 15 x 1 min below target - 20 points. */
	EXPECT_NUM(&c, "dynamodb.behaviour.autoscaling.scale_out_minutes", 2);
	EXPECT_NUM(&c, "dynamodb.behaviour.autoscaling.scale_in_minutes", 15);
	EXPECT_NUM(&c, "dynamodb.behaviour.autoscaling.scale_in_gap", 0.20);
	/* "Decrease limit": 4 in the first hour, then 1 per hour. */
	EXPECT_NUM(&c, "dynamodb.behaviour.autoscaling.decreases_first_hour", 4);
	EXPECT_NUM(&c, "dynamodb.behaviour.autoscaling.decrease_interval_s", 3600);
	/* behaviour.md §1.7: no scale-in when consumption is zero. */
	EXPECT_STR(&c, "dynamodb.behaviour.autoscaling.scale_in_on_zero", "false");
	/* "On-demand doubling lag L, sustain window Ws": 1,800 s, 60 s. */
	EXPECT_NUM(&c, "dynamodb.behaviour.on_demand_lag_s", 1800);
	EXPECT_NUM(&c, "dynamodb.behaviour.on_demand_window_s", 60);
	/* behaviour.md §1.1: client retries off by default. */
	EXPECT_NUM(&c, "dynamodb.behaviour.client_retries", 0);
	chain_free(&c);
}

/* Checks what every child region shares: its own header, the figures it
 * inherits from us-east-1 unchanged, and the Lambda figures that table A.2
 * gives as equal in all Regions. */
static void expect_child_common(const struct chain *c, const char *name, const char *region)
{
	const struct ynode *s;

	assert_int_equal(c->n, 2);
	EXPECT_STR(c, "extends", "aws/us-east-1");
	EXPECT_STR(c, "name", name);
	EXPECT_STR(c, "region", region);
	EXPECT_OWN(c, "name");
	EXPECT_OWN(c, "region");
	EXPECT_OWN(c, "as_of");
	EXPECT_OWN(c, "sources");
	EXPECT_STR(c, "as_of", "2026-11-27");
	s = chain_get(c, "sources", NULL);
	assert_non_null(s);
	assert_int_equal(s->kind, YNODE_SEQ);
	assert_true(s->n > 0);
	/* Inherited header keys. */
	EXPECT_STR(c, "provider", "aws");
	EXPECT_STR(c, "currency", "USD");
	/* Table A.2: requests $0.20 per 1M in every listed Region. */
	EXPECT_NUM(c, "lambda.requests.per_million", 0.20);
	/* Table A.2: x86 and Arm tier 1 equal us-east-1 in every listed Region;
	 * tiers 2 and 3 are not given (§A.2 notes) and stay inherited or, for
	 * ap-southeast-1 x86, are confirmed equal. */
	EXPECT_TIERS(c, "lambda.duration.x86_64", "up_to_gb_seconds", "per_gb_second", lambda_x86);
	EXPECT_TIERS(c, "lambda.duration.arm64", "up_to_gb_seconds", "per_gb_second", lambda_arm);
	EXPECT_INHERITED(c, "lambda.duration.arm64");
	/* §A.2 notes: Arm PC prices outside us-east-1 are U, so the us-east-1
	 * ones (§A.1) are inherited. */
	EXPECT_INHERITED(c, "lambda.provisioned_concurrency.arm64");
	EXPECT_NUM(c, "lambda.provisioned_concurrency.arm64.per_gb_second", 0.0000033334);
	EXPECT_NUM(c, "lambda.provisioned_concurrency.arm64.duration_per_gb_second", 0.0000077778);
	EXPECT_NUM(c, "lambda.provisioned_concurrency.rounding_s", 300);
	EXPECT_NUM(c, "lambda.ephemeral_storage.included_mb", 512);
	/* §A.1 "Free tier": account-level, region-less Price List rows. */
	EXPECT_NUM(c, "lambda.free_tier.requests", 1000000);
	EXPECT_NUM(c, "lambda.free_tier.gb_seconds", 400000);
	EXPECT_NUM(c, "lambda.limits.account_concurrency", 1000);
	/* §A.4 "Other Regions": API Gateway prices outside us-east-1 are U, so
	 * the whole section is inherited (§A.4 figures). */
	EXPECT_INHERITED(c, "apigateway");
	EXPECT_TIERS(c, "apigateway.rest.requests", "up_to_requests", "per_million", rest_tiers);
	EXPECT_TIERS(c, "apigateway.http.requests", "up_to_requests", "per_million", http_tiers);
	/* §B.2: 10,000 / 5,000 holds here (these Regions are not in the
	 * lower-default list). */
	EXPECT_NUM(c, "apigateway.limits.account_rate", 10000);
	EXPECT_NUM(c, "apigateway.limits.account_burst", 5000);
	/* §A.5 "other Regions": on-demand and storage prices are U outside
	 * us-east-1; the us-east-1 ones (§A.5) are inherited. */
	EXPECT_INHERITED(c, "dynamodb.standard.on_demand");
	EXPECT_INHERITED(c, "dynamodb.standard.storage");
	EXPECT_INHERITED(c, "dynamodb.standard_ia");
	EXPECT_NUM(c, "dynamodb.standard.on_demand.read_per_million", 0.125);
	EXPECT_NUM(c, "dynamodb.standard.on_demand.write_per_million", 0.625);
	EXPECT_NUM(c, "dynamodb.standard.storage.gb_month", 0.25);
	EXPECT_NUM(c, "dynamodb.limits.partition_rcu", 3000);
	EXPECT_NUM(c, "dynamodb.limits.table_max_wcu", 40000);
	EXPECT_NUM(c, "dynamodb.behaviour.burst_s", 300);
}

static void test_eu_west_1(void **state)
{
	struct chain c;

	(void)state;
	chain_load(&c, "aws/eu-west-1");
	expect_child_common(&c, "aws/eu-west-1", "eu-west-1");
	EXPECT_INHERITED(&c, "lambda.duration");
	/* Table A.2, row eu-west-1: PC 0.0000046460 / 0.0000108407, ephemeral 0.0000000340. */
	EXPECT_OWN(&c, "lambda.provisioned_concurrency.x86_64.per_gb_second");
	EXPECT_NUM(&c, "lambda.provisioned_concurrency.x86_64.per_gb_second", 0.0000046460);
	EXPECT_NUM(&c, "lambda.provisioned_concurrency.x86_64.duration_per_gb_second", 0.0000108407);
	EXPECT_OWN(&c, "lambda.ephemeral_storage.per_gb_second");
	EXPECT_NUM(&c, "lambda.ephemeral_storage.per_gb_second", 0.0000000340);
	/* §A.5 "DynamoDB, other Regions": eu-west-1 RCU $0.000147/h, WCU $0.000735/h. */
	EXPECT_OWN(&c, "dynamodb.standard.provisioned.rcu_hourly");
	EXPECT_NUM(&c, "dynamodb.standard.provisioned.rcu_hourly", 0.000147);
	EXPECT_NUM(&c, "dynamodb.standard.provisioned.wcu_hourly", 0.000735);
	/* Standard-IA provisioned is U here: inherited §A.5 us-east-1 figures. */
	EXPECT_NUM(&c, "dynamodb.standard_ia.provisioned.rcu_hourly", 0.00016);
	EXPECT_NUM(&c, "dynamodb.standard_ia.provisioned.wcu_hourly", 0.00081);
	chain_free(&c);
}

static void test_eu_central_1(void **state)
{
	struct chain c;

	(void)state;
	chain_load(&c, "aws/eu-central-1");
	expect_child_common(&c, "aws/eu-central-1", "eu-central-1");
	EXPECT_INHERITED(&c, "lambda.duration");
	/* Table A.2, row eu-central-1: PC 0.0000050147 / 0.0000117011, ephemeral 0.0000000367. */
	EXPECT_OWN(&c, "lambda.provisioned_concurrency.x86_64.per_gb_second");
	EXPECT_NUM(&c, "lambda.provisioned_concurrency.x86_64.per_gb_second", 0.0000050147);
	EXPECT_NUM(&c, "lambda.provisioned_concurrency.x86_64.duration_per_gb_second", 0.0000117011);
	EXPECT_OWN(&c, "lambda.ephemeral_storage.per_gb_second");
	EXPECT_NUM(&c, "lambda.ephemeral_storage.per_gb_second", 0.0000000367);
	/* No DynamoDB figure for eu-central-1 in §A.5: all inherited. */
	EXPECT_INHERITED(&c, "dynamodb");
	EXPECT_NUM(&c, "dynamodb.standard.provisioned.rcu_hourly", 0.00013);
	EXPECT_NUM(&c, "dynamodb.standard.provisioned.wcu_hourly", 0.00065);
	chain_free(&c);
}

static void test_ap_southeast_1(void **state)
{
	struct chain c;

	(void)state;
	chain_load(&c, "aws/ap-southeast-1");
	expect_child_common(&c, "aws/ap-southeast-1", "ap-southeast-1");
	/* §A.2 notes: APS1-Lambda-GB-Second tiers 0.0000166667 / 0.000015 /
	 * 0.0000133334 confirmed by two reads, so the x86 list is given here
	 * (its values are checked against lambda_x86 above). */
	EXPECT_OWN(&c, "lambda.duration.x86_64");
	/* Table A.2, row ap-southeast-1: PC 0.0000051991 / 0.0000121313, ephemeral 0.0000000370. */
	EXPECT_OWN(&c, "lambda.provisioned_concurrency.x86_64.per_gb_second");
	EXPECT_NUM(&c, "lambda.provisioned_concurrency.x86_64.per_gb_second", 0.0000051991);
	EXPECT_NUM(&c, "lambda.provisioned_concurrency.x86_64.duration_per_gb_second", 0.0000121313);
	EXPECT_OWN(&c, "lambda.ephemeral_storage.per_gb_second");
	EXPECT_NUM(&c, "lambda.ephemeral_storage.per_gb_second", 0.0000000370);
	/* No DynamoDB figure for ap-southeast-1 in §A.5: all inherited. */
	EXPECT_INHERITED(&c, "dynamodb");
	EXPECT_NUM(&c, "dynamodb.standard.provisioned.rcu_hourly", 0.00013);
	EXPECT_NUM(&c, "dynamodb.standard.provisioned.wcu_hourly", 0.00065);
	chain_free(&c);
}

/* The "prices as of 2023" example in models/aws/examples. */
static void test_example_2023(void **state)
{
	struct chain c;

	(void)state;
	chain_load(&c, "aws/examples/us-east-1-2023");
	assert_int_equal(c.n, 2);
	EXPECT_STR(&c, "extends", "aws/us-east-1");
	EXPECT_STR(&c, "name", "aws/examples/us-east-1-2023");
	/* §A.5 row "November 2024 cut": was $1.25 write / $0.25 read per 1M. */
	EXPECT_NUM(&c, "dynamodb.standard.on_demand.write_per_million", 1.25);
	EXPECT_NUM(&c, "dynamodb.standard.on_demand.read_per_million", 0.25);
	/* §A.3 row "INIT phase billing": not billed for ZIP functions before 2025-08-01. */
	EXPECT_STR(&c, "lambda.behaviour.init_billed", "false");
	/* Everything else comes from us-east-1 (§A.5 "Provisioned RCU"). */
	EXPECT_NUM(&c, "dynamodb.standard.provisioned.rcu_hourly", 0.00013);
	EXPECT_NUM(&c, "lambda.requests.per_million", 0.20);
	chain_free(&c);
}

/* Every model's cache ladder, as resolved, must be strictly ascending in
 * size (docs/model-schema.md: "ascending size"), with positive prices that
 * do not fall as the size grows. */
static void test_cache_ladders_ascending(void **state)
{
	size_t m, i;

	(void)state;
	for (m = 0; m < sizeof all_models / sizeof all_models[0]; m++) {
		struct chain c;
		const struct ynode *cache;
		double prev_size = 0, prev_price = 0;

		chain_load(&c, all_models[m]);
		cache = chain_get(&c, "apigateway.cache", NULL);
		assert_non_null(cache);
		assert_int_equal(cache->kind, YNODE_SEQ);
		assert_true(cache->n > 0);
		for (i = 0; i < cache->n; i++) {
			const struct ynode *e = cache->items[i];
			double size = node_num(&c, ynode_get(e, "size_gb"), "cache size_gb",
					       __FILE__, __LINE__);
			double price = node_num(&c, ynode_get(e, "hourly"), "cache hourly",
						__FILE__, __LINE__);

			if (!(size > prev_size) || !(price > 0) || price < prev_price) {
				print_error("%s: cache entry %zu (%g GB, %g/h) breaks the ascending"
					    " ladder after %g GB, %g/h\n", c.path[0], i, size, price,
					    prev_size, prev_price);
				fail();
			}
			prev_size = size;
			prev_price = price;
		}
		chain_free(&c);
	}
}

/* Every tier list of every model, as resolved: bounds strictly ascending,
 * only the last tier unbounded, prices positive. */
static void test_tier_lists_well_formed(void **state)
{
	static const struct {
		const char *path, *bound, *price;
	} lists[] = {
		{"lambda.duration.x86_64", "up_to_gb_seconds", "per_gb_second"},
		{"lambda.duration.arm64", "up_to_gb_seconds", "per_gb_second"},
		{"apigateway.rest.requests", "up_to_requests", "per_million"},
		{"apigateway.http.requests", "up_to_requests", "per_million"},
		{"apigateway.websocket.messages", "up_to_requests", "per_million"},
		{"apigateway.data_transfer_out", "up_to_gb", "per_gb"},
	};
	size_t m, l, i;

	(void)state;
	for (m = 0; m < sizeof all_models / sizeof all_models[0]; m++) {
		struct chain c;

		chain_load(&c, all_models[m]);
		for (l = 0; l < sizeof lists / sizeof lists[0]; l++) {
			const struct ynode *list = chain_get(&c, lists[l].path, NULL);
			double prev = 0;

			assert_non_null(list);
			assert_int_equal(list->kind, YNODE_SEQ);
			assert_true(list->n > 0);
			for (i = 0; i < list->n; i++) {
				const struct ynode *t = list->items[i];
				const struct ynode *b = ynode_get(t, lists[l].bound);
				int last = i + 1 == list->n;
				double price = node_num(&c, ynode_get(t, lists[l].price), lists[l].path,
							__FILE__, __LINE__);

				if (!(price > 0) || (last != (b == NULL))) {
					print_error("%s: %s[%zu]: bad price or bound\n", c.path[0],
						    lists[l].path, i);
					fail();
				}
				if (b) {
					double up = node_num(&c, b, lists[l].path, __FILE__, __LINE__);

					if (!(up > prev)) {
						print_error("%s: %s[%zu]: bound %g not above %g\n",
							    c.path[0], lists[l].path, i, up, prev);
						fail();
					}
					prev = up;
				}
			}
		}
		chain_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_us_east_1_header),
		cmocka_unit_test(test_us_east_1_lambda),
		cmocka_unit_test(test_us_east_1_apigateway),
		cmocka_unit_test(test_us_east_1_dynamodb),
		cmocka_unit_test(test_us_east_1_behaviour),
		cmocka_unit_test(test_eu_west_1),
		cmocka_unit_test(test_eu_central_1),
		cmocka_unit_test(test_ap_southeast_1),
		cmocka_unit_test(test_example_2023),
		cmocka_unit_test(test_cache_ladders_ascending),
		cmocka_unit_test(test_tier_lists_well_formed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
