/* lambda_step_block against lambda_step: a block of seconds, stepped
 * function by function and, where no limit is near, on the quiet path,
 * must give every tick of n calls of lambda_step to the bit. The plans mix
 * pool and reserved functions, sync and async, lognormal durations, a
 * small account that throttles in bursts, and idle stretches (cold
 * starts); variants cover stepped refill, uniform arrivals, a scale-up
 * allowance that binds, a keep-alive shorter than a block (no quiet
 * path), provisioned concurrency (on a daily schedule) or an async
 * function in the pool (run second by second in the block), and async
 * functions with reserved concurrency whose queues fill and empty (quiet
 * once empty). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/lambda.h"
#include "io/model_load.h"
#include "testutil.h"

#define NF 5
#define SECS 6000

struct fixture {
	struct plan p;
	struct function f[NF];
	struct model *m;
	uint64_t arr[SECS][NF];
};

/* A deterministic generator (64-bit LCG, high bits). */
static uint64_t rnd(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x >> 33;
}

static void fixture_init(struct fixture *x)
{
	struct err e = {0};
	uint64_t seed = 12345;
	size_t i, t;

	memset(x, 0, sizeof *x);
	setenv("COSTCAP_MODELS", "models", 0);
	if (model_load("aws/us-east-1", NULL, NULL, NULL, &x->m, &e) < 0)
		fail_msg("cannot load the model");
	for (i = 0; i < NF; i++) {
		struct function *f = &x->f[i];

		f->name = "f";
		f->memory_mb = 512;
		f->duration_p50_ms = 60.0 + 90.0 * (double)i;
		f->duration_p95_ms = 3 * f->duration_p50_ms;
		f->lognormal = true;
		f->timeout_s = 30;
		f->reserved = -1;
		f->invocation = INVOKE_SYNC;
	}
	x->f[3].reserved = 40;		/* reserved, sync */
	x->f[4].reserved = 25;		/* reserved, async (queued) */
	x->f[4].invocation = INVOKE_ASYNC;
	x->p.model = x->m;
	x->p.functions = x->f;
	x->p.nfunctions = NF;
	x->p.lambda_concurrency = 400;
	x->p.scale = 1;
	/* Steady load, then bursts over the pool, then an idle hour-long
	 * stretch with a call now and then, a ramp, then steady load again. */
	for (t = 0; t < SECS; t++)
		for (i = 0; i < NF; i++) {
			uint64_t base = 20 + 15 * i, v = base + rnd(&seed) % (base / 2 + 1);

			if (t >= 1500 && t < 1800 && (t / 20) % 3 == 0)
				v *= 30;	/* bursts: throttles */
			if (t >= 2500 && t < 4600)
				v = rnd(&seed) % 500 == 0;	/* idle: cold starts */
			/* A ramp: about five more environments a second, which
			 * outruns a slow scale-up allowance after a while. */
			if (i == 0 && t >= 4600 && t < 4640)
				v = 20 + 60 * (t - 4600);
			x->arr[t][i] = v;
		}
}

/* Fails unless function i's sums *s of a block are its ticks' over
 * seconds t .. t + n - 1 of ta (one second at a time): every arrival ran,
 * none throttled or on PC; the arrivals, the cold starts and the peak
 * concurrency. 'how' and 'block' name the run. */
static void same_sums(const struct lambda_tick (*ta)[NF], size_t t, size_t n, size_t i,
		      const struct lambda_sums *s, const char *how, size_t block)
{
	uint64_t off = 0, cold = 0;
	double peak = 0;
	size_t j;

	for (j = t; j < t + n; j++) {
		assert_true(ta[j][i].ran == ta[j][i].offered && ta[j][i].throttled == 0 && ta[j][i].ran_pc == 0);
		off += ta[j][i].offered;
		cold += ta[j][i].cold;
		peak = ta[j][i].concurrency > peak ? ta[j][i].concurrency : peak;
	}
	if (s->offered != off || s->cold != cold || s->peak != peak)
		fail_msg("%s, block %zu, seconds %zu+: function %zu: offered %llu/%llu cold %llu/%llu peak %.17g/%.17g",
			 how, block, t, i,
			 (unsigned long long)off, (unsigned long long)s->offered, (unsigned long long)cold,
			 (unsigned long long)s->cold, peak, s->peak);
}

/* Runs the plan second by second and in blocks of 'block'; every tick
 * must match. Then in blocks again, asking for sums and the 'ran'
 * columns: a function that gave sums must have given its ticks' sums
 * (all ran, none throttled, none on PC) and left its ticks alone, the
 * others their ticks; every 'ran' column must match. The blocks run with
 * AVX2 ('wide', where the CPU has it) and without. Returns the
 * function-seconds on the quiet path. */
static uint64_t compare_wide(struct fixture *x, size_t block, bool wide, const struct lambda_tick (*ta)[NF])
{
	struct lambda_account *b = lambda_new(&x->p, x->arr[0], false, 0, 1);
	struct lambda_account *c = lambda_new(&x->p, x->arr[0], false, 0, 1);
	static struct lambda_tick tb[SECS][NF], tc[SECS][NF];
	static uint64_t ran[NF * SECS];
	uint64_t quiet, sums_seen = 0;
	size_t t, i;

	lambda_wide(b, wide);
	lambda_wide(c, wide);
	for (t = 0; t < SECS; t += block) {
		size_t n = SECS - t < block ? SECS - t : block;

		lambda_step_block(b, (double)t, n, x->arr[t], tb[t], NULL, NULL);
	}
	for (t = 0; t < SECS; t++)
		for (i = 0; i < NF; i++)
			if (memcmp(&ta[t][i], &tb[t][i], sizeof ta[t][i]) != 0)
				fail_msg("block %zu%s: second %zu, function %zu: ran %llu/%llu cold %llu/%llu "
					 "concurrency %.17g/%.17g", block, wide ? " (AVX2)" : "", t, i,
					 (unsigned long long)ta[t][i].ran, (unsigned long long)tb[t][i].ran,
					 (unsigned long long)ta[t][i].cold, (unsigned long long)tb[t][i].cold,
					 ta[t][i].concurrency, tb[t][i].concurrency);
	memset(tc, 0xa5, sizeof tc);
	for (t = 0; t < SECS; t += block) {
		size_t n = SECS - t < block ? SECS - t : block, j;
		struct lambda_sums sums[NF];
		struct lambda_tick untouched;

		memset(&untouched, 0xa5, sizeof untouched);
		lambda_step_block(c, (double)t, n, x->arr[t], tc[t], sums, ran);
		for (i = 0; i < NF; i++) {
			for (j = t; j < t + n; j++)
				assert_true(ran[i * n + j - t] == ta[j][i].ran);
			if (!sums[i].valid) {
				for (j = t; j < t + n; j++)
					assert_memory_equal(&tc[j][i], &ta[j][i], sizeof ta[j][i]);
				continue;
			}
			for (j = t; j < t + n; j++)
				assert_memory_equal(&tc[j][i], &untouched, sizeof untouched);
			same_sums(ta, t, n, i, &sums[i], wide ? "blocks with sums (AVX2)" : "blocks with sums", block);
			sums_seen++;
		}
	}
	quiet = lambda_quiet_seconds(b);
	assert_true(lambda_quiet_seconds(c) == quiet);
	assert_true((quiet > 0) == (sums_seen > 0));	/* every quiet run gave its sums */
	lambda_free(b);
	lambda_free(c);
	return quiet;
}

/* The same blocks through lambda_feed_block and lambda_step_prepared:
 * the feed works out the carry of the first 'ncarry' functions (the step
 * the others'; SIZE_MAX: 0 to NF in turn, block by block, so that the
 * feed's history of a function it did not work out is used later), from
 * rows of arrivals or ('cols') from columns filled beforehand. Every tick must match, and with sums asked for, every 'ran'
 * column; the same seconds go quiet. A third pass sets ran_in_arr: then a
 * function whose sums are valid must leave its 'ran' column as it was, its
 * arrivals in the prep being what it ran. */
static void compare_prepared(struct fixture *x, size_t block, bool wide, const struct lambda_tick (*ta)[NF],
			     size_t ncarry, bool cols, uint64_t quiet)
{
	static struct lambda_tick td[SECS][NF];
	static uint64_t ran[NF * SECS];
	size_t t, i, j, pass;

	for (pass = 0; pass < 3; pass++) {
		struct lambda_account *d = lambda_new(&x->p, x->arr[0], false, 0, 1);
		struct lambda_feed *fd;
		struct lambda_prep pr;

		lambda_wide(d, wide);
		fd = lambda_feed_new(d);
		lambda_prep_init(&pr, NF, block);
		pr.ran_in_arr = pass == 2;
		for (t = 0; t < SECS; t += block) {
			size_t n = SECS - t < block ? SECS - t : block;
			size_t nc = ncarry == SIZE_MAX ? t / block % (NF + 1) : ncarry;
			struct lambda_sums sums[NF];

			if (cols) {
				for (i = 0; i < NF; i++)
					for (j = 0; j < n; j++)
						pr.arr[i * n + j] = x->arr[t + j][i];
				lambda_feed_block(fd, n, NULL, &pr, nc);
			} else {
				lambda_feed_block(fd, n, x->arr[t], &pr, nc);
			}
			for (j = 0; j < NF * n; j++)
				ran[j] = UINT64_MAX;
			lambda_step_prepared(d, (double)t, n, &pr, td[t], pass ? sums : NULL, pass ? ran : NULL);
			for (i = 0; pass && i < NF; i++) {
				/* A function that gave sums gave its ticks' sums
				 * (the carry's estimate stands in for the exact
				 * carry there); the others, their ticks. */
				if (sums[i].valid)
					same_sums(ta, t, n, i, &sums[i],
						  wide ? "prepared with sums (AVX2)" : "prepared with sums", block);
				for (j = 0; !sums[i].valid && j < n; j++)
					assert_memory_equal(&td[t + j][i], &ta[t + j][i], sizeof ta[t + j][i]);
				for (j = 0; j < n; j++) {
					if (pass == 2 && sums[i].valid) {
						assert_true(ran[i * n + j] == UINT64_MAX);
						assert_true(pr.arr[i * n + j] == ta[t + j][i].ran);
					} else {
						assert_true(ran[i * n + j] == ta[t + j][i].ran);
					}
				}
			}
		}
		for (t = 0; !pass && t < SECS; t++)
			for (i = 0; i < NF; i++)
				if (memcmp(&ta[t][i], &td[t][i], sizeof ta[t][i]) != 0)
					fail_msg("prepared, block %zu%s, carry of %zu fed, %s: second %zu, "
						 "function %zu: ran %llu/%llu concurrency %.17g/%.17g", block,
						 wide ? " (AVX2)" : "", ncarry, cols ? "columns" : "rows", t, i,
						 (unsigned long long)ta[t][i].ran, (unsigned long long)td[t][i].ran,
						 ta[t][i].concurrency, td[t][i].concurrency);
		assert_true(lambda_quiet_seconds(d) == quiet);
		lambda_prep_free(&pr);
		lambda_feed_free(fd);
		lambda_free(d);
	}
}

static uint64_t compare(struct fixture *x, size_t block)
{
	struct lambda_account *a = lambda_new(&x->p, x->arr[0], false, 0, 1);
	static struct lambda_tick ta[SECS][NF];
	uint64_t quiet;
	size_t t;

	for (t = 0; t < SECS; t++)
		lambda_step(a, (double)t, x->arr[t], ta[t]);
	assert_int_equal(lambda_quiet_seconds(a), 0);	/* one second: never */
	lambda_free(a);
	quiet = compare_wide(x, block, false, (const struct lambda_tick (*)[NF])ta);
	/* The same seconds go quiet with AVX2 or without. */
	assert_true(compare_wide(x, block, true, (const struct lambda_tick (*)[NF])ta) == quiet);
	compare_prepared(x, block, false, (const struct lambda_tick (*)[NF])ta, 0, false, quiet);
	compare_prepared(x, block, true, (const struct lambda_tick (*)[NF])ta, 2, true, quiet);
	compare_prepared(x, block, true, (const struct lambda_tick (*)[NF])ta, NF, false, quiet);
	compare_prepared(x, block, true, (const struct lambda_tick (*)[NF])ta, SIZE_MAX, false, quiet);
	return quiet;
}

/* The scenario must reach both paths: throttles and cold starts (so the
 * comparison covers them), quiet blocks and blocks that are not. */
static void scenario_covers_both(struct fixture *x)
{
	struct lambda_account *a = lambda_new(&x->p, x->arr[0], false, 0, 1);
	struct lambda_tick k[NF];
	uint64_t thr = 0, cold = 0;
	size_t t, i;

	for (t = 0; t < SECS; t++) {
		lambda_step(a, (double)t, x->arr[t], k);
		for (i = 0; i < NF; i++) {
			thr += k[i].throttled;
			cold += k[i].cold;
		}
	}
	lambda_free(a);
	assert_true(thr > 1000);
	assert_true(cold > 10);
}

static void poisson_continuous(void **state)
{
	static struct fixture x;
	uint64_t q;

	(void)state;
	fixture_init(&x);
	scenario_covers_both(&x);
	q = compare(&x, 512);
	/* Most of the 30,000 function-seconds are quiet, not all. */
	assert_true(q > SECS * NF / 4);
	assert_true(q < SECS * NF);
	compare(&x, 7);
	compare(&x, 2);
	compare(&x, 600);
	model_free(x.m);
}

static void stepped_uniform(void **state)
{
	static struct fixture x;

	(void)state;
	fixture_init(&x);
	x.m->lambda.scale_refill = REFILL_STEPPED;
	assert_true(compare(&x, 512) > 0);
	x.m->lambda.arrivals = ARRIVALS_UNIFORM;
	assert_true(compare(&x, 300) > 0);
	model_free(x.m);
}

/* A scale-up allowance of 2 environments per 10 s, with uniform arrivals
 * (with Poisson ones Erlang B keeps a block from being quiet long before
 * the allowance binds), binds on the ramp and in the bursts; the quiet
 * path must leave the allowance where the seconds one by one would. */
static void slow_scaling(void **state)
{
	static struct fixture x;

	(void)state;
	fixture_init(&x);
	x.m->lambda.scale_per_10s = 2;
	x.m->lambda.arrivals = ARRIVALS_UNIFORM;
	assert_true(compare(&x, 512) > 0);
	compare(&x, 64);
	x.m->lambda.scale_refill = REFILL_STEPPED;
	assert_true(compare(&x, 512) > 0);
	compare(&x, 64);
	model_free(x.m);
}

/* A keep-alive of 60 s is shorter than a block of 512: the quiet path
 * would miss environments that expire within it, so it is not taken. */
static void short_keep_alive(void **state)
{
	static struct fixture x;

	(void)state;
	fixture_init(&x);
	x.m->lambda.keep_alive_s = 60;
	assert_int_equal(compare(&x, 512), 0);
	assert_true(compare(&x, 50) > 0);
	model_free(x.m);
}

/* Provisioned concurrency on a pool function, or an async one there:
 * their shares of the pool's totals are known only as they run, so they
 * run second by second within the block; the others still run on their
 * own, quiet where they can. */
static void stateful_in_pool(void **state)
{
	static struct fixture x;

	(void)state;
	fixture_init(&x);
	x.f[1].provisioned = 10;
	/* Enabled from 00:20 to 01:10 (seconds 1,200 to 4,200): both
	 * changes fall inside blocks, and PC's carried load runs out after
	 * the second one. */
	x.f[1].pc_sched.kind = SCHED_DAILY;
	x.f[1].pc_sched.start_s = 1200;
	x.f[1].pc_sched.end_s = 4200;
	assert_true(compare(&x, 512) > 0);
	compare(&x, 3);
	x.f[4].reserved = -1;	/* the async function joins the pool */
	assert_true(compare(&x, 512) > 0);
	x.f[1].provisioned = 0;
	assert_true(compare(&x, 512) > 0);
	/* PC on a reserved function does not touch the pool. */
	x.f[4].reserved = 25;
	x.f[3].provisioned = 10;
	assert_true(compare(&x, 512) > 0);
	model_free(x.m);
}

/* Every function asynchronous with reserved concurrency: the bursts fill
 * their queues (served later, some dropped with age), which empty again;
 * a function whose queue is empty at a block's start and keeps up takes
 * the quiet path. */
static void async_quiet(void **state)
{
	static struct fixture x;
	struct lambda_account *a;
	struct lambda_tick k[NF];
	uint64_t queued = 0;
	size_t i, t;

	(void)state;
	fixture_init(&x);
	for (i = 0; i < NF; i++) {
		x.f[i].invocation = INVOKE_ASYNC;
		x.f[i].reserved = 10;
	}
	a = lambda_new(&x.p, x.arr[0], false, 0, 1);
	for (t = 0; t < SECS; t++) {
		lambda_step(a, (double)t, x.arr[t], k);
		for (i = 0; i < NF; i++)
			queued += k[i].queued;
	}
	lambda_free(a);
	assert_true(queued > 1000);	/* the queues did fill */
	assert_true(compare(&x, 512) > 0);
	assert_true(compare(&x, 100) > 0);
	compare(&x, 7);
	model_free(x.m);
}

/* Counts beyond 2^53 (not exact in a double; the plan's limits keep a
 * function's second below that): the quiet path steps aside, so the block
 * gives the per-second ticks, with or without provisioned concurrency. */
static void huge_counts(void **state)
{
	static struct fixture x;
	const uint64_t big = ((uint64_t)1 << 53) + 1;
	struct lambda_tick ka[4][2], kb[4][2];
	uint64_t arr[4][2];
	struct lambda_account *a, *b;
	size_t t, i;

	(void)state;
	fixture_init(&x);
	x.m->lambda.arrivals = ARRIVALS_UNIFORM;
	x.p.nfunctions = 2;
	x.p.lambda_concurrency = 1e18;
	x.f[0].duration_p50_ms = x.f[0].duration_p95_ms = 1;
	x.f[0].lognormal = false;
	x.f[1] = x.f[0];
	x.f[1].reserved = 1e17;
	x.f[1].provisioned = 1e15;
	for (t = 0; t < 4; t++)
		arr[t][0] = arr[t][1] = big + 2 * t;
	a = lambda_new(&x.p, arr[0], false, 0, 1);
	b = lambda_new(&x.p, arr[0], false, 0, 1);
	for (t = 0; t < 4; t++)
		lambda_step(a, (double)t, arr[t], ka[t]);
	lambda_step_block(b, 0, 4, arr[0], kb[0], NULL, NULL);
	for (t = 0; t < 4; t++)
		for (i = 0; i < 2; i++) {
			assert_memory_equal(&ka[t][i], &kb[t][i], sizeof ka[t][i]);
			assert_true(ka[t][i].ran_pc <= ka[t][i].ran);
		}
	assert_true(ka[3][1].ran_pc > 0);
	assert_int_equal(lambda_quiet_seconds(b), 0);
	lambda_free(a);
	lambda_free(b);
	/* Through a prep's columns (converted four at a time where the CPU
	 * has AVX2), one huge count in each place of a four in turn: the
	 * block must see it (no quiet path) and give the seconds' ticks. */
	for (i = 0; i < 4; i++) {
		struct lambda_prep pr;
		struct lambda_feed *fd;

		x.f[1] = x.f[0];
		for (t = 0; t < 4; t++)
			arr[t][0] = arr[t][1] = t == i ? big : 3;
		a = lambda_new(&x.p, arr[0], false, 0, 1);
		b = lambda_new(&x.p, arr[0], false, 0, 1);
		for (t = 0; t < 4; t++)
			lambda_step(a, (double)t, arr[t], ka[t]);
		fd = lambda_feed_new(b);
		lambda_prep_init(&pr, 2, 4);
		for (t = 0; t < 4; t++)
			pr.arr[t] = pr.arr[4 + t] = arr[t][0];
		lambda_feed_block(fd, 4, NULL, &pr, 0);
		assert_true(pr.big[0] && pr.big[1]);
		lambda_step_prepared(b, 0, 4, &pr, kb[0], NULL, NULL);
		for (t = 0; t < 4; t++)
			assert_memory_equal(&ka[t][0], &kb[t][0], sizeof ka[t][0]);
		lambda_prep_free(&pr);
		lambda_feed_free(fd);
		lambda_free(a);
		lambda_free(b);
	}
	model_free(x.m);
}

/* A load that falls second after second: every second's environments are
 * a new record from the end, so the quiet path's rebuilt keep-alive window
 * holds hundreds of entries (it must grow) and each must expire when
 * second by second it would. */
static void falling_load(void **state)
{
	static struct fixture x;
	size_t t;

	(void)state;
	fixture_init(&x);
	for (t = 0; t < SECS; t++)
		x.arr[t][0] = t < 1000 ? 4000 - 3 * t : 1000;
	assert_true(compare(&x, 512) > 0);
	compare(&x, 100);
	model_free(x.m);
}

/* Function 0 is idle through the bursts (and a while around them) while
 * the others' demand is over the pool: its own seconds are quiet, but its
 * share of the pool, its limit, is a share, not the whole pool. A quiet
 * path that skipped the share gives another limit. */
static void idle_while_pool_short(void **state)
{
	static struct fixture x;
	size_t t;

	(void)state;
	fixture_init(&x);
	for (t = 1024; t < 2048; t++)
		x.arr[t][0] = 0;
	assert_true(compare(&x, 512) > 0);
	compare(&x, 64);
	model_free(x.m);
}

/* Function i made to take 1-ms calls, 'calls' a second from 300 s to
 * 600 s; the blocks of 512 s and of 64 s are compared with the seconds. */
static void one_ms_calls(size_t i, uint64_t calls)
{
	static struct fixture x;
	size_t t;

	fixture_init(&x);
	x.f[i].lognormal = false;
	x.f[i].duration_p50_ms = x.f[i].duration_p95_ms = 1;
	for (t = 300; t < 600; t++)
		x.arr[t][i] = calls;
	assert_true(compare(&x, 512) > 0);
	compare(&x, 64);
	model_free(x.m);
}

/* Function 1, with 1-ms calls, takes 5,000 requests a second for 300 s:
 * over the pool's requests-per-second budget (10 x 335) with little
 * concurrency, so the other pool functions are held to their share of the
 * budget. A quiet path that skipped the share would admit them all. */
static void budget_short(void **state)
{
	(void)state;
	one_ms_calls(1, 5000);
}

/* A reserved function with 1-ms calls takes up to its reserved
 * concurrency x 10 requests a second (400 here); 500 a second is far
 * below its concurrency (0.5 of 40) but over that budget, so those blocks
 * are not quiet: the quiet path must test the budget of its own. */
static void reserved_budget(void **state)
{
	(void)state;
	one_ms_calls(3, 500);
}

/* A burst's environments leave the window (keep-alive 600 s) in the
 * middle of a quiet block, while a ramp below the burst adds about one
 * environment a second: until then the burst's environments serve the
 * ramp (no cold starts), from then on each second starts the ramp's new
 * ones. A block that kept the burst's environments a second too long
 * would miss a cold start. */
static void window_expires(void **state)
{
	static struct fixture x;
	struct lambda_account *a;
	struct lambda_tick k[NF];
	uint64_t cold_before = 0, cold_after = 0;
	size_t t, i;

	(void)state;
	fixture_init(&x);
	x.p.lambda_concurrency = 3000;
	x.f[0].lognormal = false;
	x.f[0].duration_p50_ms = x.f[0].duration_p95_ms = 1000;
	for (t = 0; t < SECS; t++) {
		for (i = 1; i < NF; i++)
			x.arr[t][i] = 0;
		x.arr[t][0] = t < 1000 ? 10 : t == 1000 ? 2400 : t < 3000 ? 10 + (t - 1000) : 2010;
	}
	a = lambda_new(&x.p, x.arr[0], false, 0, 1);
	for (t = 0; t < 1700; t++) {
		lambda_step(a, (double)t, x.arr[t], k);
		if (t > 1001 && t < 1601)
			cold_before += k[0].cold;
		if (t >= 1602 && t < 1700)
			cold_after += k[0].cold;
	}
	lambda_free(a);
	assert_true(cold_before == 0);
	assert_true(cold_after == 98);
	assert_true(compare(&x, 512) > 0);
	compare(&x, 100);
	model_free(x.m);
}

/* Function 3 (reserved 40, sync) with calls of one second, uniform
 * arrivals (no Erlang B test to stop a block first): 25 a second, then 45
 * (over its reserved concurrency, well within its requests-per-second
 * budget), ten minutes each. A block with 45 a second throttles; one with
 * 25 throughout is quiet. The quiet path's bound of the room under the
 * limit must stop the first kind (the limit less the largest carry). */
static void reserved_at_its_limit(void **state)
{
	static struct fixture x;
	size_t t;

	(void)state;
	fixture_init(&x);
	x.m->lambda.arrivals = ARRIVALS_UNIFORM;
	x.f[3].lognormal = false;
	x.f[3].duration_p50_ms = x.f[3].duration_p95_ms = 1000;
	for (t = 0; t < SECS; t++)
		x.arr[t][3] = t % 1200 < 600 ? 25 : 45;
	assert_true(compare(&x, 512) > 0);
	compare(&x, 64);
	model_free(x.m);
}

/* The scale-up allowance drained within a block: function 0 (calls of
 * one second, so its environments are its arrivals) holds 20 a second,
 * then jumps by 'step' a second for four seconds in the middle of a
 * block, then holds again. Each jump starts 'step' environments; once the
 * allowance (per_10s, a tenth of it back each second) is below a jump,
 * that second throttles and its block is not quiet. A bound that took
 * the allowance as full all block (its largest, not its least) would make
 * such a block quiet. */
static void allowance_drains(void **state)
{
	static const double per_10s[] = {60, 120, 240};
	static const uint64_t step[] = {25, 45, 90};
	static struct fixture x;
	size_t a, b, t;

	(void)state;
	for (a = 0; a < sizeof per_10s / sizeof per_10s[0]; a++)
		for (b = 0; b < sizeof step / sizeof step[0]; b++) {
			fixture_init(&x);
			x.m->lambda.scale_per_10s = per_10s[a];
			x.m->lambda.arrivals = ARRIVALS_UNIFORM;
			x.f[0].lognormal = false;
			x.f[0].duration_p50_ms = x.f[0].duration_p95_ms = 1000;
			for (t = 0; t < SECS; t++)
				x.arr[t][0] = 20 + step[b] * (t < 3300 ? 0 : t < 3304 ? t - 3299 : 4);
			assert_true(compare(&x, 512) > 0);
			model_free(x.m);
		}
}

/* The carry's estimate (approx_fn) where a busy count is whole: function
 * 1 with calls of 1.25 s (c[0] = 1, c[1] = 0.25: the carry is a quarter
 * of the second before) takes 21 a second and 20 every 50th second (the
 * next second's load is then 26 exactly, on the edge of envs' 26: the
 * estimate cannot tell, the exact carry must); once every 512 s, 20 then
 * 30 + (one more each time): a load of 35, 36, ... exactly, the block's
 * peak and more environments than ever before, so a busy count one too
 * many there would be a cold start too many. Blocks of 512 and 64 s, with
 * sums, must give the seconds' ticks. */
static void estimate_near_whole(void **state)
{
	static struct fixture x;
	size_t t;

	(void)state;
	fixture_init(&x);
	x.f[1].lognormal = false;
	x.f[1].duration_p50_ms = x.f[1].duration_p95_ms = 1250;
	for (t = 0; t < SECS; t++)
		x.arr[t][1] = t % 512 == 300 ? 30 + t / 512 : t % 512 == 299 || t % 50 == 7 ? 20 : 21;
	assert_true(compare(&x, 512) > 0);
	compare(&x, 64);
	model_free(x.m);
}

/* The estimate leaves out a kernel's oldest weights (up to a sum of
 * 1e-6) and holds what they carry in its margin: function 2 (p50 200 ms,
 * p95 600 ms: a kernel that ends before the timeout, its three oldest
 * weights left out) takes 3,000 to 3,500 arrivals a second, so that what
 * is left out (about 2e-3 environments) is most of the margin. The
 * account, the scale-up allowance and the budget are large enough for
 * the blocks to stay quiet; the seconds' ticks and the blocks' sums must
 * agree. */
static void estimate_far_tail(void **state)
{
	static struct fixture x;
	uint64_t seed = 99;
	size_t t;

	(void)state;
	fixture_init(&x);
	x.p.lambda_concurrency = 1e9;
	x.m->lambda.scale_per_10s = 1e9;
	x.m->lambda.arrivals = ARRIVALS_UNIFORM;
	x.f[2].duration_p50_ms = 200;
	x.f[2].duration_p95_ms = 600;
	for (t = 0; t < SECS; t++)
		x.arr[t][2] = 3000 + rnd(&seed) % 500;
	assert_true(compare(&x, 512) > 0);
	model_free(x.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(poisson_continuous),
		cmocka_unit_test(stepped_uniform),
		cmocka_unit_test(slow_scaling),
		cmocka_unit_test(short_keep_alive),
		cmocka_unit_test(stateful_in_pool),
		cmocka_unit_test(huge_counts),
		cmocka_unit_test(async_quiet),
		cmocka_unit_test(falling_load),
		cmocka_unit_test(window_expires),
		cmocka_unit_test(idle_while_pool_short),
		cmocka_unit_test(budget_short),
		cmocka_unit_test(reserved_budget),
		cmocka_unit_test(reserved_at_its_limit),
		cmocka_unit_test(allowance_drains),
		cmocka_unit_test(estimate_near_whole),
		cmocka_unit_test(estimate_far_tail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
