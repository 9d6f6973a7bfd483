#include "sim.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apigw.h"
#include "dynamo.h"
#include "dynamo_units.h"
#include "lambda.h"
#include "stats.h"
#include "trace.h"
#include "util.h"

#if defined(__x86_64__) || defined(__i386__)
/* sources_direct reads eight seconds of a route at once with AVX2 (see
 * api_routes8), on the CPUs that have it: chosen at run time. */
#define ROUTES_AVX2 1
#include <immintrin.h>
#endif

/* Traffic source: a rate replayed as integer arrivals per second (after k
 * active seconds exactly F(k) = floor(lambda k) events have been emitted,
 * so the window total equals rate_events()), or a trace stream scaled by
 * traffic.scale with the same cumulative rounding. */
struct source {
	const struct rate *rate;
	long double per_s;	/* events per active second, scale applied */
	int stream;		/* trace stream index, or -1 */
	uint64_t k;		/* active seconds so far */
	uint64_t emitted;
	long double cum;	/* trace: scaled events so far */
	uint64_t whole;		/* per_s when it is a whole number (then n = per_s), else 0 */
	struct sched_cursor cur;	/* rate->sched */
};

/* floor(m k + 1e-6) as computed in long double (m >= 0), mostly in double:
 * the double result differs from it by less than 1e-15 of its size, so
 * unless the value lies that close to a whole number its floor is the same;
 * only then is the long double computed. */
static inline uint64_t floor_mul(long double m, double md, uint64_t k)
{
	double y = md * (double)k + 1e-6, d, tol;
	long double x;

	if (y < 9e15) {
		d = y - (double)(int64_t)y;
		tol = y * 1e-15 + 1e-15;
		if (d > tol && d < 1 - tol)
			return (uint64_t)(int64_t)y;
	}
	x = m * (long double)k + 1e-6L;
	/* x >= 0: the conversion truncates, which is floor. */
	return x >= 1.8e19L ? UINT64_MAX : (uint64_t)x;
}

static int source_init(struct source *s, const struct rate *r, double scale,
		       const struct trace *tr, const char *file, struct err *e)
{
	memset(s, 0, sizeof *s);
	s->rate = r;
	s->stream = -1;
	if (!r->set)
		return 0;
	if (r->stream) {
		if (!tr || (s->stream = trace_find(tr, r->stream)) < 0) {
			err_add(e, file, r->line, r->col, "unknown trace stream '%s'%s", r->stream,
				tr ? "" : " (the plan has no traffic.trace)");
			return -1;
		}
		return 0;
	}
	if (r->period_s > 0)
		s->per_s = (long double)r->count * scale / r->period_s;
	/* floor(w k + 1e-6) is w k for a whole w (exact in long double far
	 * beyond any window). */
	if (s->per_s >= 1 && s->per_s < 1e9 && s->per_s == floorl(s->per_s))
		s->whole = (uint64_t)s->per_s;
	return 0;
}

/* Arrivals of second t; 'row' holds the trace's arrivals of second t. */
static inline uint64_t source_next(struct source *s, double t, const uint64_t *row, double scale)
{
	long double x;
	uint64_t total, n;

	if (s->stream >= 0) {
		if (!sched_cursor_on(&s->cur, &s->rate->sched, t))
			return 0;
		if (scale == 1)
			return row[s->stream];
		s->cum += (long double)row[s->stream] * scale;
		x = s->cum + 1e-6L;
	} else {
		if (s->per_s <= 0 || !sched_cursor_on(&s->cur, &s->rate->sched, t))
			return 0;
		s->k++;
		if (s->whole) {
			s->emitted += s->whole;
			return s->whole;
		}
		total = floor_mul(s->per_s, (double)s->per_s, s->k);
		n = total > s->emitted ? total - s->emitted : 0;
		s->emitted = total;
		return n;
	}
	/* x >= 0: the conversion truncates, which is floor. */
	total = x >= 1.8e19L ? UINT64_MAX : (uint64_t)x;
	n = total > s->emitted ? total - s->emitted : 0;
	s->emitted = total;
	return n;
}

/* Saturating arithmetic: counters never wrap (GCC and Clang builtins,
 * which compile to an add or multiply and a flag test). */
static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

static inline uint64_t sat_mul(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* Rounds a non-negative quantity to the nearest integer, saturating at
 * UINT64_MAX (a cast or llroundl beyond the range would be undefined). */
static uint64_t sat_round(long double x)
{
	if (!(x > 0))
		return 0;
	if (x >= 18446744073709551615.0L)
		return UINT64_MAX;
	return (uint64_t)floorl(x + 0.5L);
}

/* Metered units per request (HTTP: 512 KB increments of request and
 * response; WebSocket: 32 KB increments of the message, request_kb for
 * messages from clients, response_kb (else request_kb) for messages_out
 * to clients; REST: 1). */
static uint64_t metered_per_request(const struct api *a, const struct model *m, bool out)
{
	double kb, step;

	switch (a->type) {
	case API_HTTP:
		kb = a->request_kb + a->response_kb;
		step = m->apigw.http_metering_kb;
		break;
	case API_WEBSOCKET:
		kb = out && a->response_kb > 0 ? a->response_kb : a->request_kb;
		step = m->apigw.ws_metering_kb;
		break;
	case API_REST:
	default:
		return 1;
	}
	if (kb <= step)
		return 1;
	return (uint64_t)ceil(kb / step - 1e-9);
}

/* Splits 'admitted' of 'total' over parts in proportion (largest
 * remainder, ties to the first), writing parts_out. */
static void split(const uint64_t *parts, size_t n, uint64_t total, uint64_t admitted,
		  uint64_t *out)
{
	uint64_t given = 0;
	size_t i;

	if (admitted >= total) {
		memcpy(out, parts, n * sizeof *out);
		return;
	}
	for (i = 0; i < n; i++) {
		out[i] = total ? (uint64_t)((long double)parts[i] * admitted / total) : 0;
		given += out[i];
	}
	for (i = 0; i < n && given < admitted; i++)
		if (out[i] < parts[i]) {
			out[i]++;
			given++;
		}
}

/* ---- binding limits (advice and headroom: usage.h throttled_by) ---- */

/* Splits 'n' throttled DynamoDB operations evenly over the limits named by
 * 'reasons' (enum ddb_reason bits), the remainder to the first; with no
 * bit set they count as provisioned capacity. Reads through a GSI ('gsi')
 * blame the GSI's capacity rather than the table's. */
static void limit_ddb(uint64_t *by, unsigned reasons, uint64_t n, bool gsi)
{
	static const unsigned bits[] = {DDB_THROTTLE_KEY_RANGE, DDB_THROTTLE_CAPACITY,
					DDB_THROTTLE_ON_DEMAND, DDB_THROTTLE_QUOTA, DDB_THROTTLE_GSI};
	static const enum limit_kind kinds[] = {LIMIT_DDB_PARTITION, LIMIT_DDB_CAPACITY,
						LIMIT_DDB_ON_DEMAND, LIMIT_DDB_QUOTA, LIMIT_DDB_GSI};
	uint64_t set = 0, each, rest;
	size_t k;

	if (!n)
		return;
	for (k = 0; k < 5; k++)
		set += (reasons & bits[k]) != 0;
	if (!set) {
		reasons = DDB_THROTTLE_CAPACITY;
		set = 1;
	}
	each = n / set;
	rest = n - each * set;
	for (k = 0; k < 5; k++)
		if (reasons & bits[k]) {
			enum limit_kind lk = gsi && kinds[k] == LIMIT_DDB_CAPACITY ? LIMIT_DDB_GSI_READ : kinds[k];

			by[lk] = sat_add(by[lk], each + rest);
			rest = 0;
		}
}

/* The limit behind a second's throttling of function 'f', inferred from
 * its tick: at the requests-per-second rule when as many ran as it allows;
 * the scale-up rate when concurrency stayed below the limit while new
 * environments were being created at least at half the refill rate;
 * otherwise the concurrency limit (reserved, or the account's unreserved
 * pool), reached or, with Poisson arrivals, approached (Erlang B). */
static enum limit_kind limit_fn(const struct plan *p, const struct function *f,
				const struct lambda_tick *k)
{
	const struct lambda_model *L = &p->model->lambda;
	double pool = p->lambda_concurrency;
	size_t i;

	for (i = 0; i < p->nfunctions; i++)
		if (p->functions[i].reserved >= 0)
			pool -= p->functions[i].reserved;
	if ((double)k->ran + 1 >= (f->reserved >= 0 ? f->reserved : fmax(pool, 0)) * L->rps_per_concurrency)
		return LIMIT_FN_RPS;
	if (k->concurrency < 0.98 * k->limit && (double)k->cold >= 0.05 * L->scale_per_10s)
		return LIMIT_FN_SCALE_UP;
	return f->reserved >= 0 ? LIMIT_FN_RESERVED : LIMIT_FN_ACCOUNT;
}

/* One DynamoDB call of one function, with what it costs per operation
 * worked out once, and its client retries waiting by attempt. The sim
 * keeps them sorted by table. */
struct callref {
	size_t fn;
	const struct call *call;
	size_t table;
	bool read;
	double read_units;	/* base-table (or index) read units per operation */
	double write_units;	/* base-table write units per operation */
	double *gsi_write;	/* per GSI: index write units per operation */
	double *gsi_cum, *gsi_done;	/* per GSI: index writes billed so far, real and integer
					 * totals (in the allocation of gsi_write) */
	uint64_t *gsi_write_int;	/* per GSI: integer index units per item (billing) */
	uint64_t *retry;	/* retry[k]: operations throttled k+1 times, re-offered next second */
	size_t nretry;
	uint64_t ops;		/* this second: operations offered (fresh + retries) */
	double adm_cum, adm_int;	/* operations admitted so far: real total, integer total */
	bool plain;		/* no client retries, no index writes */
	bool ec;		/* an eventually consistent base-table read (not transactional) */
	uint64_t bs_fresh, bs_adm;	/* this block: offered, admitted (table_second) */
};

/* Rounds a running real total to whole operations: adds 'add' to *cum
 * and returns what brings the integer total *done to the nearest integer
 * of *cum (so that it never drifts from it by more than one half, as
 * lambda.c's take()), at most 'most'. A fraction of an operation admitted
 * each second is carried, not rounded away second by second. */
static inline uint64_t carry_round(double *cum, double *done, double add, uint64_t most)
{
	double target, d;
	uint64_t n;

	*cum += add;
	target = floor_fast(*cum + 0.5);
	d = target - *done;
	n = d > 0 ? (d >= 1.8e19 ? UINT64_MAX : d2u(d)) : 0;
	if (n > most)
		n = most;
	*done += u2d(n);
	return n;
}

struct series_acc {
	struct series *s;
};

static void series_alloc(struct series *s, double W, size_t points, const int *kinds, int nk)
{
	int i;

	s->step_s = ceil(W / (double)points);
	if (s->step_s < 1)
		s->step_s = 1;
	s->n = (size_t)ceil(W / s->step_s);
	for (i = 0; i < nk; i++)
		s->v[kinds[i]] = xcalloc(s->n, sizeof(float));
}

/* Whether each series kind is a level (bucket maximum) or a count (sum). */
static const bool level_kind[SER_COUNT] = {
	[SER_LIMIT] = true, [SER_CONCURRENCY] = true, [SER_READ_CAPACITY] = true,
	[SER_WRITE_CAPACITY] = true, [SER_READ_BURST] = true, [SER_WRITE_BURST] = true,
};

/* Adds one second's value to point 'i' of a series (all series of a run
 * share one step, so the caller works the index out once per second). */
static inline void series_put(struct series *s, size_t i, enum series_kind k, double v)
{
	float *a;

	if (!s || !(a = s->v[k]) || i >= s->n)
		return;
	if (level_kind[k]) {
		if (v > a[i])
			a[i] = (float)v;
	} else {
		a[i] += (float)v;
	}
}

static double round_up(double x, double step)
{
	return ceil(x / step - 1e-9) * step;
}

/* A route as sources_routes reads it. */
struct route_ref {
	size_t api;
	int fn;		/* its function, or -1 */
	bool cache;	/* a cacheable route of an API with a cache */
};

struct sim {
	const struct plan *p;
	const struct model *m;
	struct usage *u;
	double W;
	const struct sim_opts *opts;
	double series_step;	/* seconds per series point (0: no series) */
	double day0;		/* UTC time of day at second 0 */
	/* API Gateway */
	struct source *route_src, *msg_src, *min_src;
	uint64_t *msg_out;	/* per API: WebSocket messages sent to clients */
	size_t nroutes;
	uint64_t *route_adm, *hits_cum, *adm_cum;
	struct bucket *stage;
	struct bucket account;
	uint64_t *api_adm, *api_split;
	uint64_t *api_per;		/* per API: metered units per request, then per message out */
	uint64_t *stage_quiet, account_quiet;	/* bucket_quiet_max of each stage, the account */
	uint64_t *api_max;		/* per API: the most requests in a second of the block */
	uint64_t *blk_rn, *blk_an;	/* a block: requests per route, per API (a row a second) */
	bool *fn_set;			/* sources_direct: whether a function's column is set */
	bool *route_add;		/* and per route: whether it adds to its function's column */
	bool avx2;			/* api_routes8 may run */
	const uint64_t **ran_col;	/* consume_block: what each function ran, a column */
	const double **ran_x;		/* the same as doubles where Lambda's prep has them, else NULL */
	uint64_t *ran_sum;		/* their sums, where ran_x is set */
	int *route_direct;		/* per route: the trace stream that is its traffic as it
					 * stands (no scale, no schedule), else -1 */
	struct route_ref *rref;		/* per route: its API, function, cache */
	size_t *fn_own, nfn_own;	/* the functions with traffic of their own */
	/* Lambda */
	struct source *fn_src;
	struct trace_spreader *sp;	/* the trace's counts second by second */
	uint64_t *row;			/* this second's, one per stream */
	struct lambda_account *lambda;
	struct lambda_feed *feed;	/* its arrivals' part, on the sources' side */
	struct lambda_prep blk_prep;	/* a block of it */
	uint64_t *blk_arr;		/* a block of seconds: arrivals, one row a second */
	struct lambda_tick *blk_ticks;	/* and what Lambda made of them */
	struct lambda_sums *blk_sums;	/* and their sums, function by function */
	uint64_t *blk_ran;		/* and what ran, a column of seconds per function */
	double *pc_period_s, *pc_enabled_s;
	bool *pc_cut;		/* the open PC period began with the window */
	struct sched_cursor *pc_cur;
	uint64_t *ran_pc, *ran_od, *cold;
	/* DynamoDB */
	struct dynamo **dyn;
	struct callref *refs;		/* every call of every function, by table */
	size_t nrefs;
	size_t *table_first;		/* refs of table i: [table_first[i], table_first[i+1]) */
	double **gsi_rd, **gsi_wr;
	double *tb_scr;			/* table_block: 5 x SIM_BLOCK */
	unsigned *tb_why;		/* table_block: 2 x SIM_BLOCK */
};

/* Second t of function i's provisioned concurrency periods. */
static void pc_second(struct sim *S, size_t i, double t)
{
	const struct function *f = &S->p->functions[i];

	if (sched_cursor_on(&S->pc_cur[i], &f->pc_sched, t)) {
		if (S->pc_period_s[i] == 0)
			S->pc_cut[i] = t == 0 && S->opts->trace;
		S->pc_period_s[i] += 1;
	} else if (S->pc_period_s[i] > 0) {
		/* A period is billed from enable to disable, rounded up; one
		 * that began before a trace's window is counted as seen (its
		 * enable, and so its rounding, is outside). A rate-only month
		 * starts at 00:00 with its schedules: a period from second 0 is
		 * enabled there. */
		S->pc_enabled_s[i] += S->pc_cut[i] ? S->pc_period_s[i] :
			round_up(S->pc_period_s[i], S->m->lambda.pc_rounding_s);
		S->pc_period_s[i] = 0;
	}
}

/* The functions' usage and series over seconds t0 .. t0 + n - 1 (ticks:
 * a row of p->nfunctions a second; sums: Lambda's sums of the block, or
 * NULL), and their provisioned concurrency
 * periods: each function on its own, its sums at hand. Saturating sums of
 * non-negative counts are min(sum, UINT64_MAX) in any grouping, so adding
 * a block's sum at once gives what second-by-second additions give. */
static void consume_fns(struct sim *S, double t0, size_t n, const struct lambda_tick *ticks,
			const struct lambda_sums *sums)
{
	const struct plan *p = S->p;
	struct usage *u = S->u;
	size_t i, j, nf = p->nfunctions;

	for (i = 0; i < nf; i++) {
		const struct function *f = &p->functions[i];
		struct fn_usage *fu = &u->fn[i];
		size_t n_done = 0;
		struct series *s = u->fn_series ? &u->fn_series[i] : NULL;
		uint64_t offered = 0, ran = 0, throttled = 0, cold = 0, ran_pc = 0, ran_od = 0;
		double peak = fu->peak_concurrency;

		if (sums && sums[i].valid) {
			/* Quiet all block: Lambda's sums instead of its ticks
			 * (never with series; PC, if any, idle all block: its
			 * periods are still followed second by second); none
			 * throttled, none on PC. */
			offered = ran = ran_od = sums[i].offered;
			cold = sums[i].cold;
			peak = sums[i].peak > peak ? sums[i].peak : peak;
			n_done = n;
		}
		for (j = 0; n_done && f->provisioned > 0 && j < n; j++)
			pc_second(S, i, t0 + (double)j);
		for (j = n_done; j < n; j++) {
			const struct lambda_tick *k = &ticks[j * nf + i];
			double t = t0 + (double)j;

			if (f->provisioned > 0)
				pc_second(S, i, t);
			offered = sat_add(offered, k->offered);
			ran = sat_add(ran, k->ran);
			throttled = sat_add(throttled, k->throttled);
			if (k->throttled)	/* binding limits */
				fu->throttled_by[limit_fn(p, f, k)] += k->throttled;
			cold = sat_add(cold, k->cold);
			ran_pc = sat_add(ran_pc, k->ran_pc);
			ran_od = sat_add(ran_od, k->ran - k->ran_pc);
			if (k->concurrency > peak)
				peak = k->concurrency;
			if (s) {
				size_t si = (size_t)(t / S->series_step);

				series_put(s, si, SER_OFFERED, u2d(k->offered));
				series_put(s, si, SER_ADMITTED, u2d(k->ran));
				series_put(s, si, SER_THROTTLED, u2d(k->throttled));
				series_put(s, si, SER_LIMIT, k->limit);
				series_put(s, si, SER_CONCURRENCY, k->concurrency);
				series_put(s, si, SER_COLD, u2d(k->cold));
			}
		}
		fu->offered = sat_add(fu->offered, offered);
		fu->invocations = sat_add(fu->invocations, ran);
		fu->throttled = sat_add(fu->throttled, throttled);
		fu->cold_starts = sat_add(fu->cold_starts, cold);
		S->ran_pc[i] = sat_add(S->ran_pc[i], ran_pc);
		S->ran_od[i] = sat_add(S->ran_od[i], ran_od);
		fu->peak_concurrency = peak;
	}
}

/* y = v a (first), else y + v a, for the n counts of a column: from
 * their doubles x where given (the same values: each count below 2^53),
 * else from the counts (add_u2d_times). */
static void add_col_times(double *y, const double *x, const uint64_t *v, size_t n, double a, bool first)
{
	size_t j = 0;

	if (!x) {
		add_u2d_times(y, v, n, a, first);
		return;
	}
#ifdef __SSE2__
	{
		/* Two at a time: each lane the same product and sum. */
		const __m128d a2 = _mm_set1_pd(a);

		if (first)
			for (; j + 2 <= n; j += 2)
				_mm_storeu_pd(y + j, _mm_mul_pd(_mm_loadu_pd(x + j), a2));
		else
			for (; j + 2 <= n; j += 2)
				_mm_storeu_pd(y + j, _mm_add_pd(_mm_loadu_pd(y + j),
								_mm_mul_pd(_mm_loadu_pd(x + j), a2)));
	}
#endif
	for (; j < n; j++)
		y[j] = first ? x[j] * a : y[j] + x[j] * a;
}

/* One second of call cr of table i, the general way: of its ops
 * operations (fresh of them new) the share frac is admitted, with the
 * fraction of an operation carried from second to second (adm <= ops);
 * index writes are billed, throttled operations retry or are dropped
 * ('reasons': why, enum ddb_reason bits), and the series (ts, point si)
 * take the second. */
static void call_account(struct sim *S, size_t i, struct callref *cr, uint64_t ops, uint64_t fresh,
			 double frac, unsigned reasons, struct series *ts, size_t si)
{
	const struct call *cl = cr->call;
	const struct table *tb = &S->p->tables[i];
	struct table_usage *tu = &S->u->table[i];
	uint64_t adm, thr, dropped;
	size_t g, q;

	adm = carry_round(&cr->adm_cum, &cr->adm_int,
			  frac >= 1 ? u2d(ops) : u2d(ops) * frac, ops);
	thr = ops - adm;
	tu->offered = sat_add(tu->offered, fresh);
	if (cl->index >= 0)
		tu->gsis[cl->index].read_half_units = sat_add(tu->gsis[cl->index].read_half_units,
			sat_mul(adm, cl->read_half_units));
	else
		tu->read_half_units = sat_add(tu->read_half_units, sat_mul(adm, cl->read_half_units));
	tu->write_units = sat_add(tu->write_units, sat_mul(adm, cl->write_units));
	/* Index writes billed: items x write_share per admitted write, a
	 * running total per call and GSI rounded as the admitted operations
	 * are (0.5 a second bills one every other second), each of the GSI's
	 * integer units. */
	if (cl->write_units)
		for (g = 0; g < tb->ngsis; g++) {
			uint64_t n = carry_round(&cr->gsi_cum[g], &cr->gsi_done[g],
				u2d(adm) * cl->items * tb->gsis[g].write_share, UINT64_MAX);

			tu->gsis[g].write_units = sat_add(tu->gsis[g].write_units,
				sat_mul(n, cr->gsi_write_int[g]));
		}
	dropped = thr;
	if (cr->nretry) {
		/* Throttled operations are shared over the cohorts oldest
		 * first; those on their last attempt are dropped, the others
		 * move one attempt on. */
		uint64_t left = thr, last = cr->retry[cr->nretry - 1];

		dropped = left < last ? left : last;
		left -= dropped;
		for (q = cr->nretry - 1; q > 0; q--) {
			uint64_t move = left < cr->retry[q - 1] ? left : cr->retry[q - 1];

			cr->retry[q] = move;
			left -= move;
		}
		cr->retry[0] = left;
	}
	tu->throttled = sat_add(tu->throttled, dropped);
	limit_ddb(tu->throttled_by, reasons, dropped, cr->read && cl->index >= 0);	/* binding limits */
	if (ts) {
		series_put(ts, si, SER_OFFERED, u2d(fresh));
		series_put(ts, si, SER_ADMITTED, u2d(adm));
		series_put(ts, si, SER_THROTTLED, (double)dropped);
	}
}

/* Second t of table i after Lambda: demand from the invocations that ran
 * (ran[f][j]: function f in second j of the block), plus client
 * retries, and the table's usage. Tables
 * share nothing (each has its own calls, state, usage and series), so they
 * may be taken one at a time over a block. An operation fully admitted
 * with nothing to retry, no index writes to round and its running totals
 * in step (the usual case) only adds to the call's block sums ('bs_'),
 * which table_flush adds to the usage: saturating sums of non-negative
 * counts are min(sum, UINT64_MAX) in any grouping. */
static void table_second(struct sim *S, size_t i, double t, const uint64_t *const *ran, size_t j)
{
	const struct plan *p = S->p;
	const struct model *m = S->m;
	const struct table *tb = &p->tables[i];
	struct series *ts = S->u->table_series ? &S->u->table_series[i] : NULL;
	size_t si = S->series_step > 0 ? (size_t)(t / S->series_step) : 0;
	size_t r, g, r0 = S->table_first[i], r1 = S->table_first[i + 1];
	double rd = 0, wr = 0, ec = 0, *gsi_rd = S->gsi_rd[i], *gsi_wr = S->gsi_wr[i];
	struct dynamo_tick dt;
	struct dynamo_demand dem;

	for (g = 0; g < tb->ngsis; g++)
		gsi_rd[g] = gsi_wr[g] = 0;
	/* 3. DynamoDB: demand from the invocations that ran, plus client
	 *    retries of operations throttled earlier. */
	for (r = r0; r < r1; r++) {
		struct callref *cr = &S->refs[r];
		uint64_t ops = ran[cr->fn][j];
		size_t q;

		for (q = 0; q < cr->nretry; q++)
			ops = sat_add(ops, cr->retry[q]);
		cr->ops = ops;
		if (!ops)
			continue;
		if (cr->call->index >= 0)
			gsi_rd[cr->call->index] += u2d(ops) * cr->read_units;
		else
			rd += u2d(ops) * cr->read_units;
		if (cr->ec)
			ec += u2d(ops) * cr->read_units;
		wr += u2d(ops) * cr->write_units;
		if (cr->write_units > 0)
			for (g = 0; g < tb->ngsis; g++)
				gsi_wr[g] += u2d(ops) * cr->gsi_write[g];
	}
	if (!S->dyn[i]) {
		S->dyn[i] = dynamo_new(tb, &m->dynamo, rd, wr, S->opts->cold);
		dynamo_set_day0(S->dyn[i], S->day0);
	}
	/* The EC read multiplier lifts the partitions' read cap for the
	 * share of this second's base-table read units that are eventually
	 * consistent (transactional reads are not). */
	if (m->dynamo.ec_read_partition_multiplier > 1 && rd > 0)
		dynamo_set_ec_share(S->dyn[i], ec / rd);
	dem.read_units = rd;
	dem.write_units = wr;
	dem.gsi_read_units = gsi_rd;
	dem.gsi_write_units = gsi_wr;
	dynamo_step(S->dyn[i], t, &dem, &dt);
	if (ts) {
		series_put(ts, si, SER_READ_CAPACITY, dt.read_capacity);
		series_put(ts, si, SER_WRITE_CAPACITY, dt.write_capacity);
		series_put(ts, si, SER_READ_CONSUMED, rd * dt.read_frac);
		series_put(ts, si, SER_WRITE_CONSUMED, wr * dt.write_frac);
		series_put(ts, si, SER_READ_BURST, dt.read_burst);
		series_put(ts, si, SER_WRITE_BURST, dt.write_burst);
	}
	/* Operations: each call admits its share; the throttled ones retry
	 * or are dropped. */
	for (r = r0; r < r1; r++) {
		struct callref *cr = &S->refs[r];
		const struct call *cl = cr->call;
		uint64_t ops = cr->ops, fresh = ran[cr->fn][j];
		double frac;

		if (!ops)
			continue;
		frac = cr->read ? (cl->index >= 0 ? dt.gsi_read_frac[cl->index] : dt.read_frac)
				: dt.write_frac;
		if (frac >= 1 && cr->plain && cr->adm_cum == cr->adm_int &&
		    cr->adm_cum < 0x1p52 && ops < ((uint64_t)1 << 52)) {
			/* carry_round with every operation admitted: both totals
			 * whole and below 2^53, so they move on by ops, in step. */
			cr->adm_cum += u2d(ops);
			cr->adm_int = cr->adm_cum;
			cr->bs_fresh = sat_add(cr->bs_fresh, fresh);
			cr->bs_adm = sat_add(cr->bs_adm, ops);
			if (ts) {
				series_put(ts, si, SER_OFFERED, u2d(fresh));
				series_put(ts, si, SER_ADMITTED, u2d(ops));
				series_put(ts, si, SER_THROTTLED, 0.0);
			}
			continue;
		}
		call_account(S, i, cr, ops, fresh, frac, cr->read ? (cl->index >= 0 ?
			     dt.gsi_read_reasons[cl->index] : dt.read_reasons) : dt.write_reasons, ts, si);
	}
}

/* Table i over seconds t0 .. t0 + n - 1 as table_second steps them, when
 * no series is kept, the table has no GSI and every call is plain (no
 * retries: its operations are the invocations that ran, whatever was
 * throttled before). Then the demand of every second is known before the
 * table runs: it is summed first, call by call (each second's sums in call
 * order, as table_second adds them: an idle call adds +0, which changes
 * no sum), the table is stepped second by second, and each call is then
 * accounted on its own: at once when its share was admitted in full every
 * second, else second by second (call_account). Returns false, having
 * done nothing, when the table is not such. */
static bool table_block(struct sim *S, size_t i, double t0, size_t n, const uint64_t *const *ran)
{
	const struct plan *p = S->p;
	const struct model *m = S->m;
	const struct table *tb = &p->tables[i];
	struct table_usage *tu = &S->u->table[i];
	size_t r, j, r0 = S->table_first[i], r1 = S->table_first[i + 1];
	double *rd = S->tb_scr, *wr = rd + n, *ec = wr + n, *rf = ec + n, *wf = rf + n;
	double rmin = 1, wmin = 1;
	unsigned *rr = S->tb_why, *wrr = rr + n;

	if (S->u->table_series || tb->ngsis)
		return false;
	for (r = r0; r < r1; r++)
		if (!S->refs[r].plain)
			return false;
	/* The demand, call by call. A call without read (or write) units
	 * adds +0 to a non-negative sum, which changes no bit: skipped. The
	 * eventually consistent share matters only with its multiplier. The
	 * first term of a sum is stored, not added to +0: the same double,
	 * the terms being products of non-negative numbers (never -0). */
	{
		bool set_r = false, set_w = false, set_e = false;

		for (r = r0; r < r1; r++) {
			const struct callref *cr = &S->refs[r];
			const uint64_t *ops = ran[cr->fn];
			const double *x = S->ran_x[cr->fn];	/* the same counts as doubles, or NULL */
			double ru = cr->read_units, wu = cr->write_units;

			if (ru != 0) {
				add_col_times(rd, x, ops, n, ru, !set_r);
				set_r = true;
			}
			if (wu != 0) {
				add_col_times(wr, x, ops, n, wu, !set_w);
				set_w = true;
			}
			if (cr->ec && m->dynamo.ec_read_partition_multiplier > 1) {
				add_col_times(ec, x, ops, n, ru, !set_e);
				set_e = true;
			}
		}
		if (!set_r)
			memset(rd, 0, n * sizeof *rd);
		if (!set_w)
			memset(wr, 0, n * sizeof *wr);
		if (!set_e && m->dynamo.ec_read_partition_multiplier > 1)
			memset(ec, 0, n * sizeof *ec);	/* read only then */
	}
	if (!S->dyn[i]) {
		S->dyn[i] = dynamo_new(tb, &m->dynamo, rd[0], wr[0], S->opts->cold);
		dynamo_set_day0(S->dyn[i], S->day0);
	}
	if (m->dynamo.ec_read_partition_multiplier > 1) {
		/* The eventually consistent share, second by second. */
		for (j = 0; j < n; j++) {
			if (rd[j] > 0)
				dynamo_set_ec_share(S->dyn[i], ec[j] / rd[j]);
			dynamo_step_block(S->dyn[i], t0 + (double)j, 1, rd + j, wr + j, rf + j, wf + j, rr + j,
					  wrr + j);
		}
	} else {
		dynamo_step_block(S->dyn[i], t0, n, rd, wr, rf, wf, rr, wrr);
	}
	for (j = 0; j < n; j++) {
		rmin = rf[j] < rmin ? rf[j] : rmin;
		wmin = wf[j] < wmin ? wf[j] : wmin;
	}
	for (r = r0; r < r1; r++) {
		struct callref *cr = &S->refs[r];
		const struct call *cl = cr->call;
		const double *frac = cr->read ? rf : wf;
		const unsigned *why = cr->read ? rr : wrr;
		uint64_t sum = S->ran_sum[cr->fn];
		bool wrap = !S->ran_x[cr->fn] && !sum_u64(ran[cr->fn], n, &sum);

		if ((cr->read ? rmin : wmin) >= 1 && cr->adm_cum == cr->adm_int && !wrap &&
		    sum < ((uint64_t)1 << 52) && cr->adm_cum + u2d(sum) < 0x1p52) {
			/* Every operation admitted: carry_round moves both totals
			 * on by each second's count, exactly (whole, below 2^53). */
			cr->adm_cum += u2d(sum);
			cr->adm_int = cr->adm_cum;
			tu->offered = sat_add(tu->offered, sum);
			tu->read_half_units = sat_add(tu->read_half_units, sat_mul(sum, cl->read_half_units));
			tu->write_units = sat_add(tu->write_units, sat_mul(sum, cl->write_units));
			continue;
		}
		for (j = 0; j < n; j++) {
			uint64_t ops = ran[cr->fn][j];

			if (ops)
				call_account(S, i, cr, ops, ops, frac[j], why[j], NULL, 0);
		}
	}
	return true;
}

/* Adds table i's calls' block sums (table_second) to its usage. */
static void table_flush(struct sim *S, size_t i)
{
	struct table_usage *tu = &S->u->table[i];
	size_t r;

	for (r = S->table_first[i]; r < S->table_first[i + 1]; r++) {
		struct callref *cr = &S->refs[r];
		const struct call *cl = cr->call;

		tu->offered = sat_add(tu->offered, cr->bs_fresh);
		if (cl->index >= 0)
			tu->gsis[cl->index].read_half_units = sat_add(tu->gsis[cl->index].read_half_units,
				sat_mul(cr->bs_adm, cl->read_half_units));
		else
			tu->read_half_units = sat_add(tu->read_half_units, sat_mul(cr->bs_adm, cl->read_half_units));
		tu->write_units = sat_add(tu->write_units, sat_mul(cr->bs_adm, cl->write_units));
		cr->bs_fresh = cr->bs_adm = 0;
	}
}

/* 3. What follows Lambda over seconds t0 .. t0 + n - 1: the functions'
 * usage, then DynamoDB table by table. Reads only what Lambda handed on
 * for the block (its ticks, its sums, what ran), so it may run a block
 * behind on another thread. */
static void consume_block(struct sim *S, double t0, size_t n, const struct lambda_tick *ticks,
			  const struct lambda_sums *sums, const uint64_t *ran, const struct lambda_prep *pr)
{
	size_t i, j;

	/* What each function ran: its arrivals when it ran quiet (its sums
	 * valid: Lambda then leaves its 'ran' column alone, see
	 * lambda_prep.ran_in_arr), with the prep's doubles and sum of them,
	 * else its 'ran' column. */
	for (i = 0; i < S->p->nfunctions; i++) {
		bool quiet = sums[i].valid;

		S->ran_col[i] = quiet ? pr->arr + i * n : ran + i * n;
		S->ran_x[i] = quiet ? pr->xin + i * n : NULL;
		S->ran_sum[i] = quiet ? sums[i].offered : 0;
	}
	consume_fns(S, t0, n, ticks, sums);
	for (i = 0; i < S->p->ntables; i++) {
		if (table_block(S, i, t0, n, S->ran_col))
			continue;
		for (j = 0; j < n; j++)
			table_second(S, i, t0 + (double)j, S->ran_col, j);
		table_flush(S, i);
	}
}

/* The requests admitted on each route in nsec seconds (adm: a row of
 * routes a second) reach its function, less the cache's hits: the
 * functions' arrivals fa (a row of functions a second). Route by route:
 * each has its own cache totals, and the functions' sums saturate alike
 * in any order. */
static void sources_routes(struct sim *S, const uint64_t *adm, size_t nsec, uint64_t *fa)
{
	size_t r, jj, nr = S->nroutes, nf = S->p->nfunctions;

	for (r = 0; r < nr; r++) {
		const struct route_ref *rr = &S->rref[r];

		if (rr->cache) {
			const struct api *a = &S->p->apis[rr->api];

			for (jj = 0; jj < nsec; jj++) {
				uint64_t n = adm[jj * nr + r], hits, cum;

				if (!n)
					continue;
				S->adm_cum[r] = sat_add(S->adm_cum[r], n);
				cum = floor_mul(a->cache_hit_ratio, a->cache_hit_ratio, S->adm_cum[r]);
				hits = cum - S->hits_cum[r];
				S->hits_cum[r] = cum;
				S->u->api[rr->api].cache_hits += hits;
				if (rr->fn >= 0)
					fa[jj * nf + (size_t)rr->fn] = sat_add(fa[jj * nf + (size_t)rr->fn], n - hits);
			}
		} else if (rr->fn >= 0) {
			for (jj = 0; jj < nsec; jj++)
				fa[jj * nf + (size_t)rr->fn] = sat_add(fa[jj * nf + (size_t)rr->fn], adm[jj * nr + r]);
		}
	}
}

/* One route's counts c[jj * stride] for nsec seconds: added to its API's
 * (an, a row of na APIs a second) and set in its function's column (or
 * added, 'add'). Plain sums: counts are below 2^32 and a block's sums far
 * from 2^64. With one API, two seconds at a time (SSE2). */
static void route_counts(const uint32_t *c, size_t stride, size_t nsec, uint64_t *an, size_t na, uint64_t *col,
			 bool add)
{
	size_t jj = 0;

#ifdef __SSE2__
	if (na == 1 && add) {
		for (; jj + 2 <= nsec; jj += 2) {
			__m128i v = _mm_set_epi64x((long long)c[(jj + 1) * stride], (long long)c[jj * stride]);
			__m128i *a = (__m128i *)(void *)(an + jj), *k = (__m128i *)(void *)(col + jj);

			_mm_storeu_si128(a, _mm_add_epi64(_mm_loadu_si128(a), v));
			_mm_storeu_si128(k, _mm_add_epi64(_mm_loadu_si128(k), v));
		}
	} else if (na == 1) {
		for (; jj + 2 <= nsec; jj += 2) {
			__m128i v = _mm_set_epi64x((long long)c[(jj + 1) * stride], (long long)c[jj * stride]);
			__m128i *a = (__m128i *)(void *)(an + jj);

			_mm_storeu_si128(a, _mm_add_epi64(_mm_loadu_si128(a), v));
			_mm_storeu_si128((__m128i *)(void *)(col + jj), v);
		}
	}
#endif
	for (; jj < nsec; jj++) {
		uint64_t v = c[jj * stride];

		an[jj * na] += v;
		col[jj] = add ? col[jj] + v : v;
	}
}

#ifdef ROUTES_AVX2
/* route_counts for all of one API's routes (their streams d[j], functions
 * rr[j].fn, add[j] as route_counts' add), eight seconds at a time: each
 * route's eight counts gathered from the rows (stride apart), widened and
 * stored (or added) to its function's column, and summed over the routes
 * into the API's eight seconds of an (a row of na APIs a second). The
 * same integers as route_counts, route by route, gives. Returns the
 * seconds done (a multiple of 8); the caller does the rest. */
__attribute__((target("avx2")))
static size_t api_routes8(const uint32_t *c0, size_t stride, size_t nsec, const int *d,
			  const struct route_ref *rr, const bool *add, size_t nroutes, uint64_t *cols,
			  uint64_t *an, size_t na)
{
	const __m256i idx = _mm256_mullo_epi32(_mm256_set1_epi32((int)stride),
					       _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
	size_t jj, j;

	for (jj = 0; jj + 8 <= nsec; jj += 8) {
		const uint32_t *rows = c0 + jj * stride;
		__m256i s0 = _mm256_setzero_si256(), s1 = s0;
		uint64_t t[8];
		size_t q;

		for (j = 0; j < nroutes; j++) {
			__m256i g = _mm256_i32gather_epi32((const int *)(const void *)(rows + d[j]), idx, 4);
			__m256i lo = _mm256_cvtepu32_epi64(_mm256_castsi256_si128(g));
			__m256i hi = _mm256_cvtepu32_epi64(_mm256_extracti128_si256(g, 1));

			s0 = _mm256_add_epi64(s0, lo);
			s1 = _mm256_add_epi64(s1, hi);
			if (rr[j].fn >= 0) {
				__m256i *col = (__m256i *)(void *)(cols + (size_t)rr[j].fn * nsec + jj);

				if (add[j]) {
					lo = _mm256_add_epi64(lo, _mm256_loadu_si256(col));
					hi = _mm256_add_epi64(hi, _mm256_loadu_si256(col + 1));
				}
				_mm256_storeu_si256(col, lo);
				_mm256_storeu_si256(col + 1, hi);
			}
		}
		if (na == 1) {
			_mm256_storeu_si256((__m256i *)(void *)(an + jj), s0);
			_mm256_storeu_si256((__m256i *)(void *)(an + jj + 4), s1);
		} else {
			_mm256_storeu_si256((__m256i *)(void *)t, s0);
			_mm256_storeu_si256((__m256i *)(void *)(t + 4), s1);
			for (q = 0; q < 8; q++)
				an[(jj + q) * na] = t[q];
		}
	}
	return jj;
}
#endif

/* sources_block's first pass when every route's requests are a trace
 * stream's counts, read where they stand (one bucket a second, the block
 * within the trace), and no route has a cache: each second's requests per
 * API (blk_an, api_max), the most requests of a second over all APIs
 * (*acc_max), and the functions' arrivals as sources_routes would add
 * them were every request admitted, in columns (cols: a column of nsec
 * seconds per function); the trace's rows of the block in *rows (for
 * direct_routes). Counts are below 2^32, so no sum of them saturates:
 * plain additions give sat_add's sums. Returns false, having done
 * nothing, when the block is not such. */
static bool sources_direct(struct sim *S, double t0, size_t nsec, uint64_t *cols, uint64_t *acc_max,
			   const uint32_t **rows)
{
	const struct plan *p = S->p;
	const uint32_t *c0, *c;
	size_t i, j, r, jj, na = p->napis, nr = S->nroutes, nf = p->nfunctions, stride;
	uint64_t most = 0;

	if (nr >= ((size_t)1 << 31))
		return false;
	for (r = 0; r < nr; r++)
		if (S->rref[r].cache)
			return false;
	if (!(c0 = trace_spreader_rows(S->sp, (uint64_t)t0, nsec)))
		return false;
	*rows = c0;
	stride = S->opts->trace->nstreams;
	memset(S->fn_set, 0, nf * sizeof *S->fn_set);
	/* Route by route, each a column of the block's seconds: the sums are
	 * of integers, the same in any order. A function's first route sets
	 * its column; a function without one gets zeros at the end. */
	for (i = 0, r = 0; i < na; i++) {
		uint64_t *an = S->blk_an + i, top = S->api_max[i];
		size_t nroutes = p->apis[i].nroutes;

		size_t j0 = 0;

		for (j = 0; j < nroutes; j++) {
			int fn = S->rref[r + j].fn;

			S->route_add[r + j] = fn >= 0 && S->fn_set[fn];
			if (fn >= 0)
				S->fn_set[fn] = true;
		}
#ifdef ROUTES_AVX2
		/* The gathers' offsets (7 rows) fit an int. */
		if (S->avx2 && stride < ((size_t)1 << 24))
			j0 = api_routes8(c0, stride, nsec, S->route_direct + r, S->rref + r, S->route_add + r,
					 nroutes, cols, an, na);
#endif
		for (jj = j0; jj < nsec; jj++)
			an[jj * na] = 0;
		for (j = 0; j < nroutes; j++, r++) {
			int fn = S->rref[r].fn;

			c = c0 + S->route_direct[r] + j0 * stride;
			if (fn >= 0) {
				route_counts(c, stride, nsec - j0, an + j0 * na, na, cols + (size_t)fn * nsec + j0,
					     S->route_add[r]);
			} else {
				for (jj = j0; jj < nsec; jj++)
					an[jj * na] += c[(jj - j0) * stride];
			}
		}
		for (jj = 0; jj < nsec; jj++)
			top = an[jj * na] > top ? an[jj * na] : top;
		S->api_max[i] = top;
	}
	for (i = 0; i < nf; i++)
		if (!S->fn_set[i])
			memset(cols + i * nsec, 0, nsec * sizeof *cols);
	/* The most requests of a second over all APIs. */
	for (jj = 0; jj < nsec; jj++) {
		const uint64_t *an = S->blk_an + jj * na;
		uint64_t acc = 0;

		for (i = 0; i < na; i++)
			acc += an[i];
		most = acc > most ? acc : most;
	}
	*acc_max = most;
	return true;
}

/* Each route's requests in nsec seconds (blk_rn: a row of routes a
 * second) from the trace's rows where sources_direct read them. */
static void direct_routes(struct sim *S, const uint32_t *rows, size_t nsec)
{
	size_t r, jj, nr = S->nroutes, stride = S->opts->trace->nstreams;

	for (r = 0; r < nr; r++) {
		const uint32_t *c = rows + S->route_direct[r];

		for (jj = 0; jj < nsec; jj++)
			S->blk_rn[jj * nr + r] = c[jj * stride];
	}
}

/* 1. API Gateway, and the functions' own traffic: seconds t0 .. t0 + nsec - 1,
 * the functions' arrivals to arr (a row of p->nfunctions a second), or to
 * cols (a column of nsec seconds per function; then the result is true).
 *
 * First the traffic of every second of the block (the routes' requests,
 * WebSocket messages, the functions' own arrivals); then the buckets. A
 * bucket that is full and never offered more in a second than
 * bucket_quiet_max admits everything and stays full, so when every stage
 * and the account are such for the whole block (and no series is kept),
 * the block is summed at once; otherwise it is stepped second by second. */
static bool sources_block(struct sim *S, double t0, size_t nsec, uint64_t *arr, uint64_t *cols)
{
	const struct plan *p = S->p;
	const struct model *m = S->m;
	struct usage *u = S->u;
	uint64_t *row = S->row, *rn, *an, acc_max = 0;
	const uint32_t *rows = NULL;
	size_t i, j, k, r, jj, na = p->napis, nr = S->nroutes, nf = p->nfunctions;
	bool quiet = !u->api_series && S->account.tokens == S->account.burst;
	/* Whether every request comes straight from a trace stream (no rates,
	 * no WebSocket messages, no function's own traffic): then a second's
	 * counts are read where they stand in the trace. */
	bool direct = S->sp && S->nfn_own == 0, filled = false;

	for (r = 0; direct && r < nr; r++)
		direct = S->route_direct[r] >= 0;
	for (i = 0; i < na; i++) {
		S->api_max[i] = 0;
		quiet = quiet && S->stage[i].tokens == S->stage[i].burst;
		direct = direct && p->apis[i].type != API_WEBSOCKET;
	}
	if (direct && sources_direct(S, t0, nsec, cols, &acc_max, &rows)) {
		filled = true;
		jj = nsec;
	} else {
		jj = 0;
	}
	for (; jj < nsec; jj++) {
		double t = t0 + (double)jj;
		uint64_t *fa = arr + jj * nf, acc = 0;
		const uint32_t *counts = direct ? trace_spreader_row(S->sp, (uint64_t)t) : NULL;

		rn = S->blk_rn + jj * nr;
		an = S->blk_an + jj * na;
		if (S->sp && !counts)
			trace_spreader_second(S->sp, (uint64_t)t, row);
		for (i = 0, r = 0; i < na; i++) {
			const struct api *a = &p->apis[i];
			uint64_t n = 0;

			for (j = 0; j < a->nroutes; j++, r++) {
				int d = S->route_direct[r];

				if (counts)
					rn[r] = counts[d];
				else
					rn[r] = d >= 0 ? row[d] : source_next(&S->route_src[r], t, row, p->scale);
				n = sat_add(n, rn[r]);
			}
			if (a->type == API_WEBSOCKET) {
				uint64_t mo = source_next(&S->msg_src[i], t, row, p->scale);

				/* Messages to clients are metered, not throttled. */
				u->api[i].offered = sat_add(u->api[i].offered, mo);
				u->api[i].admitted = sat_add(u->api[i].admitted, mo);
				u->api[i].metered = sat_add(u->api[i].metered,
					sat_mul(mo, S->api_per[2 * i + 1]));
				S->msg_out[i] = sat_add(S->msg_out[i], mo);
				u->api[i].ws_minutes = sat_add(u->api[i].ws_minutes,
					source_next(&S->min_src[i], t, row, p->scale));
			}
			an[i] = n;
			if (n > S->api_max[i])
				S->api_max[i] = n;
			acc = sat_add(acc, n);
		}
		if (acc > acc_max)
			acc_max = acc;
		memset(fa, 0, nf * sizeof *fa);
		for (k = 0; k < S->nfn_own; k++) {
			i = S->fn_own[k];
			fa[i] = source_next(&S->fn_src[i], t, row, p->scale);
		}
	}
	for (i = 0; quiet && i < na; i++)
		quiet = S->api_max[i] <= S->stage_quiet[i];
	quiet = quiet && acc_max <= S->account_quiet;
	if (quiet) {
		/* Every request admitted, every bucket full throughout: what a
		 * second-by-second pass would add, added once (saturating sums
		 * of non-negative counts are the same in any grouping). */
		for (i = 0; i < na; i++) {
			struct api_usage *au = &u->api[i];
			uint64_t sum = 0;

			for (jj = 0; jj < nsec; jj++)
				sum = sat_add(sum, S->blk_an[jj * na + i]);
			au->offered = sat_add(au->offered, sum);
			au->admitted = sat_add(au->admitted, sum);
			au->metered = sat_add(au->metered, sat_mul(sum, S->api_per[2 * i]));
		}
		if (!filled)
			sources_routes(S, S->blk_rn, nsec, arr);
		return filled;
	}
	if (filled) {
		/* The functions' arrivals come from the buckets; each route's
		 * requests from the trace's rows. */
		memset(arr, 0, nsec * nf * sizeof *arr);
		direct_routes(S, rows, nsec);
	}
	for (jj = 0; jj < nsec; jj++) {
		double t = t0 + (double)jj;
		size_t si = S->series_step > 0 ? (size_t)(t / S->series_step) : 0;
		uint64_t acc_total = 0, acc_adm;

		rn = S->blk_rn + jj * nr;
		an = S->blk_an + jj * na;
		/* Stage buckets, then the account bucket, then the cache; what
		 * passes reaches the routes' functions. */
		for (i = 0; i < na; i++) {
			uint64_t adm = bucket_admit(&S->stage[i], an[i]);

			u->api[i].throttled_by[LIMIT_API_STAGE] += an[i] - adm;	/* binding limits */
			S->api_adm[i] = adm;
			acc_total = sat_add(acc_total, adm);
		}
		/* The account bucket's admissions are shared over the APIs in
		 * proportion to what their stages let through. */
		acc_adm = bucket_admit(&S->account, acc_total);
		split(S->api_adm, na, acc_total, acc_adm, S->api_split);
		for (i = 0; i < na; i++)	/* binding limits */
			u->api[i].throttled_by[LIMIT_API_ACCOUNT] += S->api_adm[i] - S->api_split[i];
		memcpy(S->api_adm, S->api_split, na * sizeof *S->api_split);
		for (i = 0, r = 0; i < na; i++) {
			const struct api *a = &p->apis[i];
			struct api_usage *au = &u->api[i];
			uint64_t per = S->api_per[2 * i], thr = an[i] - S->api_adm[i];

			split(&rn[r], a->nroutes, an[i], S->api_adm[i], &S->route_adm[r]);
			r += a->nroutes;
			au->offered = sat_add(au->offered, an[i]);
			au->admitted = sat_add(au->admitted, S->api_adm[i]);
			au->throttled = sat_add(au->throttled, thr);
			au->metered = sat_add(au->metered, sat_mul(m->apigw.throttled_billed ?
								an[i] : S->api_adm[i], per));
			if (u->api_series) {
				series_put(&u->api_series[i], si, SER_OFFERED, (double)an[i]);
				series_put(&u->api_series[i], si, SER_ADMITTED, (double)S->api_adm[i]);
				series_put(&u->api_series[i], si, SER_THROTTLED, (double)thr);
				series_put(&u->api_series[i], si, SER_LIMIT,
					   fmin(S->stage[i].rate, m->apigw.account_rate));
			}
		}
		sources_routes(S, S->route_adm, 1, arr + jj * nf);
	}
	return false;
}

/* A schedule cursor for a window of W seconds starting day0 seconds after
 * midnight UTC. */
static void clock_set(struct sched_cursor *c, double day0, double W)
{
	c->day0 = day0;
	c->month_frac = W / MONTH_S;
}

/* ---- threads: three stages on two threads ------------------------ *
 *
 * Three stages, each a block of seconds at a time: the API and the
 * functions' traffic (sources_block), Lambda (lambda_block), and what
 * follows it (consume). Nothing flows back (Lambda does not throttle API
 * Gateway, DynamoDB does not feed back into Lambda), so with two or more
 * processors Lambda runs on this thread and the two others, about as much
 * work together, on a second thread, handing blocks on through small
 * queues. (A thread for each of the three, on two processors, left the
 * processors idle a quarter of the time: a stage was often ready but not
 * running.) The work of each stage and its order are those of one thread,
 * so the results are the same to the bit. */

/* The end of stage 1: what Lambda's block follows from its arrivals
 * alone (lambda_feed_block), with the carried concurrency of the first
 * 'ncarry' functions; arr NULL: the arrivals are in pr's columns already;
 * the Lambda account is made here, with the first second's arrivals, so
 * that the feed can be made from it. */
static void feed_block(struct sim *S, size_t n, const uint64_t *arr, struct lambda_prep *pr, size_t ncarry)
{
	if (!S->lambda) {
		size_t i, nf = S->p->nfunctions;
		uint64_t *first = xcalloc(nf + 1, sizeof *first);

		/* The first second's row: arr's, or from pr's columns. */
		for (i = 0; i < nf; i++)
			first[i] = arr ? arr[i] : pr->arr[i * n];
		S->lambda = lambda_new(S->p, first, S->opts->cold, S->day0, S->W / MONTH_S);
		S->feed = lambda_feed_new(S->lambda);
		free(first);
	}
	lambda_feed_block(S->feed, n, arr, pr, ncarry);
}

/* 2. Lambda: seconds t0 .. t0 + n - 1 (fed by feed_block), and the
 * progress. */
static void lambda_block(struct sim *S, double t0, size_t n, struct lambda_prep *pr, struct lambda_tick *ticks,
			 struct lambda_sums *sums, uint64_t *ran)
{
	const struct sim_opts *o = S->opts;
	double t1 = t0 + (double)n;

	/* With series, every tick (the sums left invalid). */
	if (S->u->fn_series)
		memset(sums, 0, S->p->nfunctions * sizeof *sums);
	lambda_step_prepared(S->lambda, t0, n, pr, ticks, S->u->fn_series ? NULL : sums, ran);
	/* Every 2^18 seconds. */
	if (o->progress && ((uint64_t)t0 >> 18) != ((uint64_t)t1 >> 18) && t1 < S->W)
		o->progress(t1 / S->W, o->progress_arg);
}

#define PIPE_BLOCKS 4
/* Blocks of SIM_BLOCK seconds handed on at once: a hand-over wakes a
 * thread, which costs microseconds, so the threads meet once per 4,096 s
 * (the stages still work a block of SIM_BLOCK at a time). */
#define PIPE_SPAN 8

/* A ring of PIPE_BLOCKS buffers from one stage to the next; both queues
 * are guarded by the pipe's one mutex. */
struct queue {
	void *buf[PIPE_BLOCKS];
	double t0[PIPE_BLOCKS];		/* first second of each block */
	size_t n[PIPE_BLOCKS];		/* seconds in each block */
	size_t fill;			/* the block the producer fills (free while full < PIPE_BLOCKS) */
	size_t take;			/* the next block to consume */
	size_t full;			/* blocks handed over and not yet consumed */
	bool closed;			/* no more blocks will come */
};

static void queue_init(struct queue *q, size_t bytes)
{
	size_t i;

	for (i = 0; i < PIPE_BLOCKS; i++)
		q->buf[i] = xcalloc(1, bytes);
}

static void queue_free(struct queue *q)
{
	size_t i;

	for (i = 0; i < PIPE_BLOCKS; i++)
		free(q->buf[i]);
}

/* Hands the block being filled over (the pipe's mutex held). */
static void queue_hand(struct queue *q, double t0, size_t n)
{
	q->t0[q->fill] = t0;
	q->n[q->fill] = n;
	q->full++;
	q->fill = (q->fill + 1) % PIPE_BLOCKS;
}

/* Gives the block consumed back (the pipe's mutex held). */
static void queue_done(struct queue *q)
{
	q->take = (q->take + 1) % PIPE_BLOCKS;
	q->full--;
}

struct pipe {
	struct sim *S;
	struct queue arr;		/* arrivals, sources -> Lambda */
	struct lambda_prep prep[PIPE_BLOCKS][PIPE_SPAN];	/* and what follows from them */
	struct queue ticks;		/* ticks, Lambda -> consume */
	bool consuming;			/* a thread runs stage 3 (either may, one at a time) */
	double next;			/* the first second sources has not produced */
	pthread_mutex_t mu;
	pthread_cond_t cv;		/* broadcast on every hand-over and return */
	pthread_t th_edge;
};

/* A ticks buffer of the pipe holds PIPE_SPAN blocks of ticks (a row of
 * functions a second), then each block's sums (a row of functions a
 * block), then each block's 'ran' columns (a column of the block's
 * seconds per function, from SIM_BLOCK x functions into the buffer for
 * the k-th block). */
static struct lambda_sums *pipe_sums(const struct pipe *q, void *ticks)
{
	return (struct lambda_sums *)((struct lambda_tick *)ticks +
				      PIPE_SPAN * SIM_BLOCK * q->S->p->nfunctions);
}

static uint64_t *pipe_ran(const struct pipe *q, void *ticks)
{
	return (uint64_t *)(pipe_sums(q, ticks) + PIPE_SPAN * q->S->p->nfunctions);
}

/* Stage 1 into free arrivals buffer 'slot': the next PIPE_SPAN blocks. */
static size_t pipe_sources(struct pipe *q, size_t slot, double t)
{
	struct sim *S = q->S;
	uint64_t *arr = q->arr.buf[slot];
	size_t n = S->W - t < PIPE_SPAN * SIM_BLOCK ? (size_t)(S->W - t) : PIPE_SPAN * SIM_BLOCK;
	size_t k, nk, nf = S->p->nfunctions;

	for (k = 0; k < n; k += nk) {
		struct lambda_prep *pr = &q->prep[slot][k / SIM_BLOCK];
		bool cols;

		nk = n - k < SIM_BLOCK ? n - k : SIM_BLOCK;
		cols = sources_block(S, t + (double)k, nk, arr + k * nf, pr->arr);
		/* The carried concurrency is left to Lambda's thread: so the
		 * two threads' work comes out about even (instructions on the
		 * bench's 3-day slice: 173 M for Lambda's, 185 M for this one;
		 * with half the functions' carry here, 149 M and 209 M). */
		feed_block(S, nk, cols ? NULL : arr + k * nf, pr, 0);
	}
	return n;
}

/* Stage 3 on ticks buffer 'slot' handed over by Lambda (the arrivals of
 * the slot of the same number, which are kept until then). */
static void pipe_consume(struct pipe *q, size_t slot, double t0, size_t n)
{
	void *buf = q->ticks.buf[slot];
	const struct lambda_tick *ticks = buf;
	const struct lambda_sums *sums = pipe_sums(q, buf);
	const uint64_t *ran = pipe_ran(q, buf);
	size_t k, nk, nf = q->S->p->nfunctions;

	for (k = 0; k < n; k += nk) {
		nk = n - k < SIM_BLOCK ? n - k : SIM_BLOCK;
		consume_block(q->S, t0 + (double)k, nk, ticks + k * nf, sums + k / SIM_BLOCK * nf, ran + k * nf,
			      &q->prep[slot][k / SIM_BLOCK]);
	}
}

/* Stage 3 on the next ticks buffer, by whichever thread takes it (the
 * pipe's mutex held, and released while it runs): one thread at a time
 * and in order, so stage 3 sees the blocks as one thread would. */
static void pipe_consume_next(struct pipe *q)
{
	size_t i = q->ticks.take;

	q->consuming = true;
	pthread_mutex_unlock(&q->mu);
	pipe_consume(q, i, q->ticks.t0[i], q->ticks.n[i]);
	pthread_mutex_lock(&q->mu);
	queue_done(&q->ticks);
	q->consuming = false;
	pthread_cond_broadcast(&q->cv);
}

/* The second thread: stages 1 and 3, whichever has work, keeping Lambda
 * fed first (arrivals running low), then taking what it handed on, then
 * filling the arrivals queue; ends once Lambda has closed its queue and
 * all is consumed. */
static void *pipe_edge(void *arg)
{
	struct pipe *q = arg;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		/* A slot is free once Lambda has taken its arrivals and this
		 * thread its ticks: consume reads the arrivals too. Lambda
		 * fills ticks slot k from arrivals slot k (both rings move on
		 * once a block). */
		bool room = !q->arr.closed && q->arr.full + q->ticks.full < PIPE_BLOCKS;

		if (room && (q->arr.full < 2 || q->ticks.full == 0)) {
			size_t slot = q->arr.fill;
			double t = q->next;
			size_t n;

			pthread_mutex_unlock(&q->mu);
			n = pipe_sources(q, slot, t);
			pthread_mutex_lock(&q->mu);
			queue_hand(&q->arr, t, n);
			q->next = t + (double)n;
			q->arr.closed = q->next >= q->S->W;
			pthread_cond_broadcast(&q->cv);
		} else if (q->ticks.full > 0 && !q->consuming) {
			pipe_consume_next(q);
		} else if (q->ticks.closed && q->ticks.full == 0) {
			break;
		} else {
			pthread_cond_wait(&q->cv, &q->mu);
		}
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Whether to use threads: asked for (threads != 1), a window of many
 * blocks, and a second processor online. */
static bool pipe_wanted(const struct sim_opts *o, double W, size_t nfn)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return o->threads != 1 && nfn > 0 && W >= 16 * 4096 && cpus >= 2;
}

static void pipe_free(struct pipe *q)
{
	size_t i, k;

	if (!q)
		return;
	for (i = 0; i < PIPE_BLOCKS; i++)
		for (k = 0; k < PIPE_SPAN; k++)
			lambda_prep_free(&q->prep[i][k]);
	queue_free(&q->arr);
	queue_free(&q->ticks);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	free(q);
}

/* Starts the second thread, or returns NULL (then one thread does all). */
static struct pipe *pipe_new(struct sim *S, size_t nfn)
{
	struct pipe *q = xcalloc(1, sizeof *q);
	size_t i, k;

	q->S = S;
	queue_init(&q->arr, PIPE_SPAN * SIM_BLOCK * nfn * sizeof(uint64_t));
	for (i = 0; i < PIPE_BLOCKS; i++)
		for (k = 0; k < PIPE_SPAN; k++) {
			lambda_prep_init(&q->prep[i][k], nfn, SIM_BLOCK);
			q->prep[i][k].ran_in_arr = true;
		}
	queue_init(&q->ticks, PIPE_SPAN * SIM_BLOCK * nfn * (sizeof(struct lambda_tick) + sizeof(uint64_t)) +
		   PIPE_SPAN * nfn * sizeof(struct lambda_sums));
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	if (pthread_create(&q->th_edge, NULL, pipe_edge, q) != 0) {
		pipe_free(q);
		return NULL;
	}
	return q;
}

/* Lambda, on this thread, between the stages of the other; then waits
 * for it. */
static void pipe_run(struct pipe *q)
{
	struct sim *S = q->S;
	size_t nf = S->p->nfunctions;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		struct lambda_tick *ticks;
		double t0;
		size_t k, nk, n, slot;

		while ((q->arr.full == 0 && !q->arr.closed) || q->ticks.full == PIPE_BLOCKS) {
			/* Rather than wait, stage 3 if the other thread is
			 * busy with stage 1 (the two are apart: neither
			 * writes what the other reads). */
			if (q->ticks.full > 0 && !q->consuming)
				pipe_consume_next(q);
			else
				pthread_cond_wait(&q->cv, &q->mu);
		}
		if (q->arr.full == 0)
			break;	/* closed and all taken */
		slot = q->arr.take;
		t0 = q->arr.t0[slot];
		n = q->arr.n[slot];
		ticks = q->ticks.buf[q->ticks.fill];
		pthread_mutex_unlock(&q->mu);
		for (k = 0; k < n; k += nk) {
			nk = n - k < SIM_BLOCK ? n - k : SIM_BLOCK;
			lambda_block(S, t0 + (double)k, nk, &q->prep[slot][k / SIM_BLOCK], ticks + k * nf,
				     pipe_sums(q, ticks) + k / SIM_BLOCK * nf, pipe_ran(q, ticks) + k * nf);
		}
		pthread_mutex_lock(&q->mu);
		queue_done(&q->arr);
		queue_hand(&q->ticks, t0, n);
		pthread_cond_broadcast(&q->cv);
	}
	q->ticks.closed = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->th_edge, NULL);
}

/* Counters saturate rather than wrap; a saturated one would price less
 * than the plan uses, so it is an input error (the plan is beyond what
 * costcap counts exactly: 2^64 MB-ms, requests or units). */
static bool saturated(const struct plan *p, const struct usage *u, struct err *e)
{
	const char *fmt = "%s '%s' uses more than costcap can count exactly (%s reaches 2^64 in "
			  "the window): lower its traffic, memory or duration";
	size_t i, g;

#define SAT(x) ((x) == UINT64_MAX)
	for (i = 0; i < u->nfn; i++) {
		const struct fn_usage *x = &u->fn[i];
		const struct function *f = &p->functions[i];

		if (SAT(x->offered) || SAT(x->invocations) || SAT(x->throttled) || SAT(x->cold_starts) ||
		    SAT(x->mb_ms) || SAT(x->pc_mb_ms) || SAT(x->eph_mb_ms) || SAT(x->pc_mb_s) ||
		    SAT(x->init_mb_ms)) {
			err_add(e, p->path, f->line, f->col, fmt, "function", f->name,
				"requests or MB-ms");
			return true;
		}
	}
	for (i = 0; i < u->napi; i++) {
		const struct api_usage *x = &u->api[i];
		const struct api *a = &p->apis[i];

		if (SAT(x->offered) || SAT(x->admitted) || SAT(x->throttled) || SAT(x->metered) ||
		    SAT(x->cache_hits) || SAT(x->ws_minutes)) {
			err_add(e, p->path, a->line, a->col, fmt, "api", a->name, "requests");
			return true;
		}
	}
	for (i = 0; i < u->ntable; i++) {
		const struct table_usage *x = &u->table[i];
		const struct table *t = &p->tables[i];
		bool sat = SAT(x->offered) || SAT(x->throttled) || SAT(x->read_half_units) ||
			   SAT(x->write_units);

		for (g = 0; g < x->ngsis; g++)
			sat = sat || SAT(x->gsis[g].read_half_units) || SAT(x->gsis[g].write_units);
		if (sat) {
			err_add(e, p->path, t->line, t->col, fmt, "table", t->name, "operations or units");
			return true;
		}
	}
#undef SAT
	return false;
}

int sim_run(const struct plan *p, const struct sim_opts *opts,
	    struct usage **out, struct err *e)
{
	const struct model *m = p->model;
	const struct trace *tr = opts->trace;
	struct pipe *pipe = NULL;
	struct sim S;
	struct usage *u;
	size_t i, j, r, g;
	double t, W, series_step = 0, day0, *billed = NULL;
	int bad = 0;

	memset(&S, 0, sizeof S);
	*out = NULL;
	W = tr ? (double)trace_seconds(tr) : MONTH_S;
	if (W <= 0) {
		err_add(e, p->trace, 0, 0, "the trace is empty");
		return -1;
	}
	if (W > SIM_MAX_WINDOW_S) {
		err_add(e, p->trace, 0, 0, "the trace covers %.0f days; at most %.0f days can be "
			"simulated (one tick per second)", W / 86400, SIM_MAX_WINDOW_S / 86400);
		return -1;
	}
	if (opts->window_s > 0 && opts->window_s < W)
		W = ceil(opts->window_s);
	u = usage_new(p, W);
	if (opts->series_points) {
		series_step = ceil(W / (double)opts->series_points);
		if (series_step < 1)
			series_step = 1;
		static const int fk[] = {SER_OFFERED, SER_ADMITTED, SER_THROTTLED, SER_LIMIT,
					 SER_CONCURRENCY, SER_COLD};
		static const int ak[] = {SER_OFFERED, SER_ADMITTED, SER_THROTTLED, SER_LIMIT};
		static const int tk[] = {SER_OFFERED, SER_ADMITTED, SER_THROTTLED,
					 SER_READ_CAPACITY, SER_WRITE_CAPACITY, SER_READ_CONSUMED,
					 SER_WRITE_CONSUMED, SER_READ_BURST, SER_WRITE_BURST};

		u->fn_series = xcalloc(p->nfunctions + 1, sizeof *u->fn_series);
		u->api_series = xcalloc(p->napis + 1, sizeof *u->api_series);
		u->table_series = xcalloc(p->ntables + 1, sizeof *u->table_series);
#define WANT(name) (!opts->series_only || strcmp(opts->series_only, (name)) == 0)
		for (i = 0; i < p->nfunctions; i++)
			if (WANT(p->functions[i].name))
				series_alloc(&u->fn_series[i], W, opts->series_points, fk, 6);
		for (i = 0; i < p->napis; i++)
			if (WANT(p->apis[i].name))
				series_alloc(&u->api_series[i], W, opts->series_points, ak, 4);
		for (i = 0; i < p->ntables; i++)
			if (WANT(p->tables[i].name))
				series_alloc(&u->table_series[i], W, opts->series_points, tk, 9);
#undef WANT
	}

	/* Sources. */
	for (i = 0; i < p->napis; i++)
		S.nroutes += p->apis[i].nroutes;
	S.route_src = xcalloc(S.nroutes + 1, sizeof *S.route_src);
	S.route_adm = xcalloc(S.nroutes + 1, sizeof *S.route_adm);
	S.hits_cum = xcalloc(S.nroutes + 1, sizeof *S.hits_cum);
	S.adm_cum = xcalloc(S.nroutes + 1, sizeof *S.adm_cum);
	S.msg_src = xcalloc(p->napis + 1, sizeof *S.msg_src);
	S.msg_out = xcalloc(p->napis + 1, sizeof *S.msg_out);
	S.min_src = xcalloc(p->napis + 1, sizeof *S.min_src);
	S.stage = xcalloc(p->napis + 1, sizeof *S.stage);
	S.api_adm = xcalloc(p->napis + 1, sizeof *S.api_adm);
	S.api_split = xcalloc(p->napis + 1, sizeof *S.api_split);
	S.api_per = xcalloc(2 * p->napis + 1, sizeof *S.api_per);
	S.api_max = xcalloc(p->napis + 1, sizeof *S.api_max);
	S.blk_an = xcalloc(SIM_BLOCK * p->napis + 1, sizeof *S.blk_an);
	S.blk_rn = xcalloc(SIM_BLOCK * S.nroutes + 1, sizeof *S.blk_rn);
	S.route_direct = xcalloc(S.nroutes + 1, sizeof *S.route_direct);
	S.fn_set = xcalloc(p->nfunctions + 1, sizeof *S.fn_set);
	S.route_add = xcalloc(S.nroutes + 1, sizeof *S.route_add);
#ifdef ROUTES_AVX2
	S.avx2 = __builtin_cpu_supports("avx2");
#endif
	S.ran_col = xcalloc(p->nfunctions + 1, sizeof *S.ran_col);
	S.ran_x = xcalloc(p->nfunctions + 1, sizeof *S.ran_x);
	S.ran_sum = xcalloc(p->nfunctions + 1, sizeof *S.ran_sum);
	S.rref = xcalloc(S.nroutes + 1, sizeof *S.rref);
	for (i = 0; i < p->napis; i++) {
		S.api_per[2 * i] = metered_per_request(&p->apis[i], m, false);
		S.api_per[2 * i + 1] = metered_per_request(&p->apis[i], m, true);
	}
	for (i = 0, r = 0; i < p->napis; i++) {
		const struct api *a = &p->apis[i];

		for (j = 0; j < a->nroutes; j++, r++) {
			const struct rate *rt = &a->routes[j].traffic;

			bad |= source_init(&S.route_src[r], rt, p->scale, tr, p->path, e);
			S.route_direct[r] = S.route_src[r].stream >= 0 && p->scale == 1 &&
					    rt->sched.kind == SCHED_ALWAYS ? S.route_src[r].stream : -1;
			S.rref[r] = (struct route_ref){.api = i, .fn = a->routes[j].function,
						       .cache = a->has_cache && a->routes[j].cacheable};
		}
		bad |= source_init(&S.msg_src[i], &a->messages_out, p->scale, tr, p->path, e);
		bad |= source_init(&S.min_src[i], &a->connection_minutes, p->scale, tr, p->path, e);
		S.stage[i] = a->has_throttle ? bucket_make(a->throttle_rate, a->throttle_burst)
					     : bucket_make(INFINITY, INFINITY);
	}
	S.account = bucket_make(m->apigw.account_rate, m->apigw.account_burst);
	S.account_quiet = bucket_quiet_max(&S.account);
	S.stage_quiet = xcalloc(p->napis + 1, sizeof *S.stage_quiet);
	for (i = 0; i < p->napis; i++)
		S.stage_quiet[i] = bucket_quiet_max(&S.stage[i]);
	S.fn_src = xcalloc(p->nfunctions + 1, sizeof *S.fn_src);
	S.blk_arr = xcalloc(SIM_BLOCK * p->nfunctions + 1, sizeof *S.blk_arr);
	lambda_prep_init(&S.blk_prep, p->nfunctions, SIM_BLOCK);
	S.blk_prep.ran_in_arr = true;
	S.blk_ticks = xcalloc(SIM_BLOCK * p->nfunctions + 1, sizeof *S.blk_ticks);
	S.blk_sums = xcalloc(p->nfunctions + 1, sizeof *S.blk_sums);
	S.blk_ran = xcalloc(SIM_BLOCK * p->nfunctions + 1, sizeof *S.blk_ran);
	S.pc_period_s = xcalloc(p->nfunctions + 1, sizeof *S.pc_period_s);
	S.pc_enabled_s = xcalloc(p->nfunctions + 1, sizeof *S.pc_enabled_s);
	S.pc_cut = xcalloc(p->nfunctions + 1, sizeof *S.pc_cut);
	S.pc_cur = xcalloc(p->nfunctions + 1, sizeof *S.pc_cur);
	S.ran_pc = xcalloc(p->nfunctions + 1, sizeof *S.ran_pc);
	S.ran_od = xcalloc(p->nfunctions + 1, sizeof *S.ran_od);
	S.cold = xcalloc(p->nfunctions + 1, sizeof *S.cold);
	S.fn_own = xcalloc(p->nfunctions + 1, sizeof *S.fn_own);
	for (i = 0; i < p->nfunctions; i++) {
		bad |= source_init(&S.fn_src[i], &p->functions[i].traffic, p->scale, tr, p->path, e);
		if (p->functions[i].traffic.set)
			S.fn_own[S.nfn_own++] = i;
		S.nrefs += p->functions[i].ncalls;
	}
	S.refs = xcalloc(S.nrefs + 1, sizeof *S.refs);
	S.table_first = xcalloc(p->ntables + 2, sizeof *S.table_first);
	for (i = 0, r = 0; i < p->ntables; i++) {
		const struct table *tb = &p->tables[i];

		S.table_first[i] = r;
		for (j = 0; j < p->nfunctions; j++) {
			size_t c;

			for (c = 0; c < p->functions[j].ncalls; c++) {
				const struct call *cl = &p->functions[j].calls[c];
				struct callref *cr;

				if ((size_t)cl->table != i)
					continue;
				cr = &S.refs[r++];
				cr->fn = j;
				cr->call = cl;
				cr->table = i;
				cr->read = ddb_op_is_read(cl->op);
				cr->read_units = (double)cl->read_half_units / 2;
				cr->write_units = (double)cl->write_units;
				cr->gsi_write = xcalloc(3 * (tb->ngsis + 1), sizeof *cr->gsi_write);
				cr->gsi_cum = cr->gsi_write + tb->ngsis + 1;
				cr->gsi_done = cr->gsi_cum + tb->ngsis + 1;
				cr->gsi_write_int = xcalloc(tb->ngsis + 1, sizeof *cr->gsi_write_int);
				for (g = 0; cl->write_units && g < tb->ngsis; g++) {
					uint64_t per = (ddb_item_bytes(tb->gsis[g].item_kb) + 1023) / 1024;

					cr->gsi_write_int[g] = per;
					cr->gsi_write[g] = cl->items * tb->gsis[g].write_share * (double)per;
				}
				cr->nretry = (size_t)m->dynamo.client_retries;
				cr->plain = cr->nretry == 0 && !(cl->write_units && tb->ngsis);
				cr->ec = cl->index < 0 && cr->read && cl->op != OP_TRANSACT_GET &&
					 cl->consistency == CONSISTENCY_EVENTUAL;
				cr->retry = xcalloc(cr->nretry + 1, sizeof *cr->retry);
			}
		}
	}
	S.table_first[p->ntables] = r;
	S.dyn = xcalloc(p->ntables + 1, sizeof *S.dyn);
	S.tb_scr = xcalloc(5 * SIM_BLOCK, sizeof *S.tb_scr);
	S.tb_why = xcalloc(2 * SIM_BLOCK, sizeof *S.tb_why);
	S.gsi_rd = xcalloc(p->ntables + 1, sizeof *S.gsi_rd);
	S.gsi_wr = xcalloc(p->ntables + 1, sizeof *S.gsi_wr);
	for (i = 0; i < p->ntables; i++) {
		S.gsi_rd[i] = xcalloc(p->tables[i].ngsis + 1, sizeof(double));
		S.gsi_wr[i] = xcalloc(p->tables[i].ngsis + 1, sizeof(double));
	}
	if (tr) {
		S.sp = trace_spreader_new(tr, opts->poisson_spread, opts->seed);
		S.row = xcalloc(tr->nstreams + 1, sizeof *S.row);
	}
	if (bad)
		goto fail;

	/* Daily schedules follow the clock: a trace with calendar times
	 * starts at its time of day; relative times start at 00:00 UTC. */
	day0 = tr && isfinite(tr->start_epoch) ? fmod(tr->start_epoch, 86400.0) : 0;
	if (day0 < 0)
		day0 += 86400.0;
	for (r = 0; r < S.nroutes; r++)
		clock_set(&S.route_src[r].cur, day0, W);
	for (i = 0; i < p->napis; i++) {
		clock_set(&S.msg_src[i].cur, day0, W);
		clock_set(&S.min_src[i].cur, day0, W);
	}
	for (i = 0; i < p->nfunctions; i++) {
		clock_set(&S.fn_src[i].cur, day0, W);
		clock_set(&S.pc_cur[i], day0, W);
	}
	S.day0 = day0;
	S.p = p;
	S.m = m;
	S.u = u;
	S.W = W;
	S.opts = opts;
	S.series_step = series_step;
	if (pipe_wanted(opts, W, p->nfunctions))
		pipe = pipe_new(&S, p->nfunctions);
	/* Each function's expected billed duration (thousands of normal
	 * tails, from its plan alone): worked out here, while the other
	 * thread fills the pipe's first arrivals, not after the window. */
	billed = xcalloc(p->nfunctions + 1, sizeof *billed);
	for (i = 0; i < p->nfunctions; i++) {
		const struct function *f = &p->functions[i];
		struct duration_dist d = stats_duration(f->duration_p50_ms,
							f->lognormal ? f->duration_p95_ms : f->duration_p50_ms,
							f->timeout_s * 1000);

		billed[i] = stats_expected_billed_ms(&d);
	}
	if (pipe) {
		pipe_run(pipe);
	} else {
		for (t = 0; t < W; t += SIM_BLOCK) {
			size_t n = W - t < SIM_BLOCK ? (size_t)(W - t) : SIM_BLOCK;

			bool cols = sources_block(&S, t, n, S.blk_arr, S.blk_prep.arr);

			feed_block(&S, n, cols ? NULL : S.blk_arr, &S.blk_prep, p->nfunctions);
			lambda_block(&S, t, n, &S.blk_prep, S.blk_ticks, S.blk_sums, S.blk_ran);
			consume_block(&S, t, n, S.blk_ticks, S.blk_sums, S.blk_ran, &S.blk_prep);
		}
	}
	pipe_free(pipe);

	/* Close the window: PC periods, billed quantities, capacity-hours. */
	for (i = 0; i < p->nfunctions; i++) {
		const struct function *f = &p->functions[i];
		struct fn_usage *fu = &u->fn[i];
		double mem = f->memory_mb;
		double eph = f->ephemeral_mb - m->lambda.ephemeral_included_mb;

		/* A period still open at the end of the window is cut by it, not
		 * disabled: counted as seen, so that a window projects to the
		 * month as a whole month would (a flat trace of 1,000 s gives a
		 * month of always-on PC, not 876 hours). */
		if (S.pc_period_s[i] > 0)
			S.pc_enabled_s[i] += S.pc_period_s[i];
		fu->pc_mb_s = sat_round((long double)f->provisioned * mem * S.pc_enabled_s[i]);
		fu->mb_ms = sat_round((long double)S.ran_od[i] * billed[i] * mem);
		fu->pc_mb_ms = sat_round((long double)S.ran_pc[i] * billed[i] * mem);
		if (m->lambda.init_billed && f->init_ms > 0) {
			fu->init_mb_ms = sat_round((long double)fu->cold_starts * ceil(f->init_ms) * mem);
			fu->mb_ms = sat_add(fu->mb_ms, fu->init_mb_ms);
		}
		if (eph > 0)
			fu->eph_mb_ms = sat_round((long double)fu->invocations * billed[i] * eph);
	}
	for (i = 0; i < p->napis; i++) {
		const struct api *a = &p->apis[i];

		if (a->has_cache)
			u->api[i].cache_hours = W / 3600.0;
		/* Out of AWS go responses, or a WebSocket API's messages to
		 * clients (what clients send comes in). */
		if (a->transfer_out && a->response_kb > 0)
			u->api[i].transfer_gb = (double)(a->type == API_WEBSOCKET ? S.msg_out[i] :
							  u->api[i].admitted) * a->response_kb / (1024.0 * 1024.0);
	}
	for (i = 0; i < p->ntables; i++) {
		struct table_usage *tu = &u->table[i];

		if (!S.dyn[i])
			continue;
		tu->rcu_hours = dynamo_rcu_hours(S.dyn[i], -1);
		tu->wcu_hours = dynamo_wcu_hours(S.dyn[i], -1);
		for (g = 0; g < tu->ngsis; g++) {
			tu->gsis[g].rcu_hours = dynamo_rcu_hours(S.dyn[i], (int)g);
			tu->gsis[g].wcu_hours = dynamo_wcu_hours(S.dyn[i], (int)g);
		}
	}
	if (saturated(p, u, e))
		goto fail;
	*out = u;
	u = NULL;
fail:
	free(billed);
	usage_free(u);
	trace_spreader_free(S.sp);
	free(S.row);
	free(S.route_src);
	free(S.route_adm);
	free(S.hits_cum);
	free(S.adm_cum);
	free(S.msg_src);
	free(S.msg_out);
	free(S.min_src);
	free(S.stage);
	free(S.api_adm);
	free(S.api_split);
	free(S.api_per);
	free(S.api_max);
	free(S.stage_quiet);
	free(S.blk_an);
	free(S.blk_rn);
	free(S.fn_set);
	free(S.route_add);
	free(S.ran_col);
	free(S.ran_x);
	free(S.ran_sum);
	free(S.route_direct);
	free(S.rref);
	free(S.fn_own);
	free(S.fn_src);
	lambda_feed_free(S.feed);
	lambda_free(S.lambda);
	lambda_prep_free(&S.blk_prep);
	free(S.blk_arr);
	free(S.blk_ticks);
	free(S.blk_sums);
	free(S.blk_ran);
	free(S.pc_period_s);
	free(S.pc_enabled_s);
	free(S.pc_cut);
	free(S.pc_cur);
	free(S.ran_pc);
	free(S.ran_od);
	free(S.cold);
	for (r = 0; r < S.nrefs; r++) {
		free(S.refs[r].gsi_write);
		free(S.refs[r].gsi_write_int);
		free(S.refs[r].retry);
	}
	free(S.refs);
	free(S.table_first);
	for (i = 0; i < p->ntables; i++) {
		dynamo_free(S.dyn[i]);
		free(S.gsi_rd[i]);
		free(S.gsi_wr[i]);
	}
	free(S.dyn);
	free(S.tb_scr);
	free(S.tb_why);
	free(S.gsi_rd);
	free(S.gsi_wr);
	return *out ? 0 : -1;
}
