#include "lambda.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"

#define KERNEL_MAX 4096

/* The weights the carry's estimate may leave out (approx_fn), in all:
 * s of concurrency per arrival a second. */
#define APPROX_TAIL 1e-6

/* x86: carry_block and the quiet path may run four seconds at a time with
 * AVX2 (see carry_block4). */
#if defined(__x86_64__) || defined(__i386__)
#define CARRY_AVX2 1
#include <immintrin.h>
#endif

/* Inline minimum and maximum (no NaNs reach them). */
static inline double dmin(double a, double b)
{
	return a < b ? a : b;
}

static inline double dmax(double a, double b)
{
	return a > b ? a : b;
}

/* Running maximum over a sliding window of seconds (monotonic deque). */
struct window_max {
	double *val;
	double *when;
	size_t cap, head, n;
	double span;		/* window length in seconds */
};

struct fn {
	const struct function *f;
	double *c;		/* kernel weights, c[0..K) */
	double *cr;		/* c[1..K) reversed: cr[i] = c[K-1-i] */
	size_t K;
	double E;		/* mean duration, seconds (sum of c) */
	/* Rings of the last K seconds (offered, admitted on demand, on PC),
	 * each stored twice (slots i and i + K) so that the last K values are
	 * contiguous: second t - k lives at [pos + K - k]. */
	double *off, *adm, *pc;
	size_t pos;		/* ring index of the current second, 0..K-1 */
	size_t pc_nz;		/* slots of 'pc' that are not zero */
	struct sched_cursor pc_cur;	/* f->pc_sched */
	double pc_on;		/* this second: provisioned concurrency enabled */
	size_t adm_ne;		/* slots where 'adm' differs from 'off' */
	double tokens;		/* scale-up tokens */
	struct window_max pool;	/* environments alive = most busy at once within keep-alive */
	double adm_cum, adm_int;	/* cumulative real vs integer admitted, PC included (rounding) */
	double pc_cum, pc_int;
	/* asynchronous queue: events by arrival second, ring of max_age + 1 */
	uint64_t *queue;
	size_t qcap;
	uint64_t qhead;		/* second of the oldest event waiting */
	uint64_t queued;
	double last_A, last_c, last_B;	/* the last Erlang B evaluation */
	double step_next;	/* stepped refill: when the allowance returns, -1 if not pending */
	/* per-second scratch */
	double carry_off, carry_adm, carry_pc, demand, want;
};

/* Whether provisioned concurrency plays no part in seconds sec0 .. sec0 +
 * n - 1 of function s: it has none, or its schedule is off all along,
 * nothing is carried on it (the PC ring is all zeros) and its rounding
 * owes nothing (take() of a zero share gives 0). Then fn_prepare and
 * fn_second treat it as a function without PC. Reads the PC schedule's
 * cursor at sec0, as fn_prepare would. */
static bool pc_idle(struct fn *s, double sec0, size_t n)
{
	const struct function *f = s->f;

	if (!(f->provisioned > 0))
		return true;
	if (s->pc_nz || floor_fast(s->pc_cum + 0.5) > s->pc_int ||
	    sched_cursor_on(&s->pc_cur, &f->pc_sched, sec0))
		return false;
	return s->pc_cur.until > sched_time(&f->pc_sched, sec0 + (double)(n - 1), s->pc_cur.day0);
}

/* What the functions without reserved concurrency share in a second:
 * their load and the unreserved pool (less the provisioned concurrency
 * enabled in it), and the requests-per-second budget. */
struct shared {
	double total_demand, total_in, pool, budget, pool_load;
};

/* The same totals for a block, a column each (quiet_run4 reads four
 * seconds of each at once). */
struct shared_cols {
	double *total_demand, *total_in, *pool, *budget, *pool_load;
	/* Whether some second's demand is above the pool (and above 0),
	 * some second's arrivals above the budget: else fn_second's shares
	 * are the pool and the budget every second. */
	bool short_pool, short_budget;
	/* Whether Erlang B on the whole pool (its load against it) is
	 * surely negligible every second (chernoff_negligible, the load below
	 * the pool): quiet_all4 then need not test it. */
	bool pool_ok;
};

/* A pool function's share of the pool's totals in one second (fn_share). */
struct pool_term {
	double demand, in, pc, load;
	bool loaded;		/* counted in pool_load */
};

/* A function's largest values over a block (block_bounds): arrivals in a
 * second, carried concurrency, and load (carry + arrivals c[0], the
 * double busy4, totals4 and quiet_all4 compute). */
struct fn_bound {
	double in, car, A;
};

struct lambda_account {
	const struct plan *p;
	const struct lambda_model *L;
	struct fn *fn;
	size_t n;
	double unreserved;	/* account quota minus all reserved */
	bool *idle;		/* lambda_step_block: per function, pc_idle over the block */
	bool *free_now;		/* and whether its load follows from its arrivals alone:
				 * synchronous (no queue) with PC idle (nothing on it) */
	/* lambda_step_block's scratch, for blocks of up to scratch_n seconds */
	struct shared *sh;	/* n: the pool's totals */
	struct pool_term *terms;	/* n x functions */
	double *ext;		/* the carry: history and arrivals, sums, results */
	double *qs;		/* quiet_block: 5 n */
	struct shared_cols cols;	/* sh as columns: 5 n (one allocation) */
	bool cols_ok;		/* cols holds this block's totals */
	bool rows_ok;		/* sh holds them */
	double *xin;		/* the arrivals as doubles: n per function */
	const double *xcur;	/* this block's: xin, or a prep's */
	bool *big;		/* per function: some arrival of the block above 2^53
				 * (or a block too long to sum its arrivals safely) */
	uint64_t *tot;		/* per function: the block's arrivals */
	struct fn_bound *bnd;	/* per function: the block's largest values (block_bounds) */
	bool bnd_ok;		/* bnd holds this block's, and the two below are set */
	bool bnd_pool;		/* the pool and the budget surely never short this block */
	bool bnd_erlang;	/* Erlang B on the whole pool surely negligible every second */
	double bnd_cap, bnd_budget;	/* the pool and the budget (shared_totals') */
	/* The carry's estimate (approx_fn): with bounds only, a function's
	 * carry is worked out exactly only where its estimate cannot settle
	 * what follows from it (ensure_exact). */
	bool approx;		/* this block runs so (lambda_step_prepared, sums only) */
	bool *exact;		/* per function: carry0 holds its exact carry */
	bool *apx_ok;		/* per function: every weight 0 or at least 1e-30, so
				 * that its float neither vanishes nor loses digits */
	size_t *apx_skip;	/* per function: the oldest weights the estimate leaves out */
	double *apx_tail;	/* and their sum, from above */
	double *hsnap;		/* per function (kmax apart): its K - 1 seconds of
				 * history at the block's start, oldest first */
	float *crf;		/* per function (kmax apart): the reversed kernel, in floats */
	float *xf, *caf;	/* scratch: a history and a block in floats; the estimate */
	double *tmpx;		/* scratch: 2 kmax (exact_car) */
	double *busyall;	/* per function (n apart): its environments busy */
	size_t scratch_n;	/* seconds the scratch holds */
	size_t kmax;		/* the longest kernel */
	uint64_t quiet_s;	/* function-seconds run by quiet_block */
	bool avx2;		/* carry_block and quiet_block may use AVX2 (decided once,
				 * in lambda_new) */
};

static void wm_init(struct window_max *w, double span)
{
	w->span = span;
	w->cap = 16;
	w->val = xcalloc(w->cap, sizeof *w->val);
	w->when = xcalloc(w->cap, sizeof *w->when);
	w->head = w->n = 0;
}

static void wm_free(struct window_max *w)
{
	free(w->val);
	free(w->when);
}

static double wm_get(const struct window_max *w)
{
	return w->n ? w->val[w->head] : 0;
}

/* Makes room for 'need' entries: a larger power of two, the entries
 * moved to its start. */
static void wm_grow(struct window_max *w, size_t need)
{
	size_t i, nc = w->cap, mask = w->cap - 1;
	double *nv, *nw;

	while (nc < need)
		nc *= 2;
	nv = xcalloc(nc, sizeof *nv);
	nw = xcalloc(nc, sizeof *nw);
	for (i = 0; i < w->n; i++) {
		nv[i] = w->val[(w->head + i) & mask];
		nw[i] = w->when[(w->head + i) & mask];
	}
	free(w->val);
	free(w->when);
	w->val = nv;
	w->when = nw;
	w->cap = nc;
	w->head = 0;
}

/* Drops entries older than now - span, then pushes (now, v). The capacity
 * is a power of two, so ring positions wrap with a mask. */
static void wm_push(struct window_max *w, double now, double v)
{
	size_t mask = w->cap - 1;

	while (w->n && w->when[w->head] <= now - w->span) {
		w->head = (w->head + 1) & mask;
		w->n--;
	}
	while (w->n && w->val[(w->head + w->n - 1) & mask] <= v)
		w->n--;
	if (w->n == w->cap) {
		wm_grow(w, w->cap + 1);
		mask = w->cap - 1;
	}
	w->val[(w->head + w->n) & mask] = v;
	w->when[(w->head + w->n) & mask] = now;
	w->n++;
}

double *lambda_kernel(double p50_ms, double p95_ms, double cap_ms, size_t *n)
{
	struct duration_dist d = stats_duration(p50_ms, p95_ms, cap_ms);
	double *c = xcalloc(KERNEL_MAX, sizeof *c), total = stats_mean_ms(&d) / 1000.0, sum = 0;
	double prev = 0;
	size_t k, K = 0;

	/* c[k] = integral of P(D > x) over [k, k+1) s = E[min(D, k+1)] -
	 * E[min(D, k)], in closed form. */
	for (k = 0; k < KERNEL_MAX; k++) {
		double next = stats_partial_mean_ms(&d, ((double)k + 1) * 1000.0) / 1000.0;
		double v = next - prev;

		prev = next;
		c[k] = v > 0 ? v : 0;
		sum += c[k];
		K = k + 1;
		/* Stop once the rest of the distribution is negligible. */
		if (total - sum <= 1e-7 * total)
			break;
	}
	/* Fold what is left of the mean into the last weight, so that the
	 * kernel honours Little's law: sum c[k] = E[D]. */
	if (total > sum)
		c[K - 1] += total - sum;
	*n = K;
	return c;
}

/* Environments busy in a second of average concurrency x: whole ones
 * (an environment serves one request at a time, and a single 100-ms call
 * needs one), so ceil(x), with a margin for sums of doubles. */
static inline double envs(double x)
{
	double y, r;

	if (!(x > 1e-9))
		return 0;
	y = x - 1e-9;
	/* ceil(y) through a conversion to an integer (ceil() is a library
	 * call on plain x86-64); from 2^52 on every double is whole. */
	if (y >= 4503599627370496.0)
		return y;
	r = (double)(int64_t)y;
	return r + (double)(r < y);	/* no branch: y is as often whole as not */
}

/* Whether this CPU (and its OS) runs AVX2 code. libgcc / compiler-rt fill
 * in what __builtin_cpu_supports reads before main, so asking is a plain
 * read, safe from any thread. */
static bool cpu_avx2(void)
{
#ifdef CARRY_AVX2
	return __builtin_cpu_supports("avx2");
#else
	return false;
#endif
}

struct lambda_account *lambda_new(const struct plan *p, const uint64_t *first, bool cold, double day0,
				  double month_frac)
{
	struct lambda_account *a = xcalloc(1, sizeof *a);
	const struct lambda_model *L = &p->model->lambda;
	double reserved = 0, pool_pc = 0, od_conc = 0, od_rate = 0, pool, share, rps_share;
	size_t i, k;

	a->p = p;
	a->L = L;
	a->n = p->nfunctions;
	a->fn = xcalloc(a->n ? a->n : 1, sizeof *a->fn);
	a->big = xcalloc(a->n + 1, sizeof *a->big);
	a->tot = xcalloc(a->n + 1, sizeof *a->tot);
	a->bnd = xcalloc(a->n + 1, sizeof *a->bnd);
	a->exact = xcalloc(a->n + 1, sizeof *a->exact);
	a->apx_ok = xcalloc(a->n + 1, sizeof *a->apx_ok);
	a->apx_skip = xcalloc(a->n + 1, sizeof *a->apx_skip);
	a->apx_tail = xcalloc(a->n + 1, sizeof *a->apx_tail);
	a->idle = xcalloc(a->n + 1, sizeof *a->idle);
	a->free_now = xcalloc(a->n + 1, sizeof *a->free_now);
	for (i = 0; i < a->n; i++)
		if (p->functions[i].reserved >= 0)
			reserved += p->functions[i].reserved;
	a->unreserved = p->lambda_concurrency - reserved;
	if (a->unreserved < 0)
		a->unreserved = 0;
	a->avx2 = cpu_avx2();
	for (i = 0; i < a->n; i++) {
		struct fn *s = &a->fn[i];
		const struct function *f = &p->functions[i];
		double a0 = cold ? 0 : (double)first[i];
		double pc0 = 0, od0;

		s->f = f;
		s->c = lambda_kernel(f->duration_p50_ms, f->lognormal ? f->duration_p95_ms : f->duration_p50_ms,
				     f->timeout_s * 1000.0, &s->K);
		if (s->K > a->kmax)
			a->kmax = s->K;
		s->E = 0;
		for (k = 0; k < s->K; k++)
			s->E += s->c[k];
		s->cr = xcalloc(s->K, sizeof *s->cr);
		for (k = 0; k + 1 < s->K; k++)
			s->cr[k] = s->c[s->K - 1 - k];
		s->off = xcalloc(2 * s->K, sizeof *s->off);
		s->adm = xcalloc(2 * s->K, sizeof *s->adm);
		s->pc = xcalloc(2 * s->K, sizeof *s->pc);
		s->tokens = L->scale_per_10s;
		s->step_next = -1;
		wm_init(&s->pool, L->keep_alive_s > 0 ? L->keep_alive_s : 1);
		if (f->invocation == INVOKE_ASYNC) {
			s->qcap = (size_t)L->async_max_event_age_s + 2;
			s->queue = xcalloc(s->qcap, sizeof *s->queue);
		}
		/* Warm start: the rings hold the steady state of the first
		 * second's load, split between provisioned concurrency (first)
		 * and on-demand environments, which are alive in the pool. */
		s->pc_cur.day0 = day0;
		s->pc_cur.month_frac = month_frac;
		if (a0 > 0 && f->provisioned > 0 && schedule_active_at(&f->pc_sched, sched_time(&f->pc_sched, 0, day0)))
			pc0 = fmin(a0, fmin(f->provisioned / fmax(s->E, 1e-9),
					    f->provisioned * L->rps_per_concurrency));
		od0 = a0 - pc0;
		/* ...within the limits: a steady state never runs more than
		 * the function may (its reserved concurrency, or the 10x rule). */
		if (f->reserved >= 0) {
			od0 = fmin(od0, fmax(0, f->reserved - (pc0 > 0 ? f->provisioned : 0)) /
					fmax(s->E, 1e-9));
			od0 = fmin(od0, fmax(0, f->reserved * L->rps_per_concurrency - pc0));
		}
		s->want = a0;		/* scratch until the second loop */
		s->demand = od0;
		s->carry_pc = pc0;
		if (f->reserved < 0) {
			pool_pc += pc0 > 0 ? f->provisioned : 0;
			od_conc += od0 * s->E;
			od_rate += a0;
		}
	}
	/* The unreserved pool, less the provisioned concurrency enabled in it,
	 * is shared in proportion, as its 10x requests-per-second budget. */
	pool = fmax(0, a->unreserved - pool_pc);
	share = od_conc > pool && od_conc > 0 ? pool / od_conc : 1;
	rps_share = od_rate > a->unreserved * L->rps_per_concurrency && od_rate > 0 ?
		a->unreserved * L->rps_per_concurrency / od_rate : 1;
	for (i = 0; i < a->n; i++) {
		struct fn *s = &a->fn[i];
		double a0 = s->want, od0 = s->demand, pc0 = s->carry_pc;

		if (s->f->reserved < 0)
			od0 = fmin(od0 * share, fmax(0, a0 * rps_share - pc0));
		for (k = 0; k < 2 * s->K; k++) {
			s->off[k] = a0;
			s->adm[k] = od0;
			s->pc[k] = pc0;
		}
		s->pc_nz = pc0 != 0 ? s->K : 0;
		s->adm_ne = od0 != a0 ? s->K : 0;
		if (od0 > 0)
			wm_push(&s->pool, -1, envs(od0 * s->E));
		s->want = s->demand = s->carry_pc = 0;
	}
	a->hsnap = xcalloc(a->n * (a->kmax + 1) + 1, sizeof *a->hsnap);
	a->tmpx = xcalloc(2 * a->kmax + 2, sizeof *a->tmpx);
	a->crf = xcalloc(a->n * (a->kmax + 1) + 1, sizeof *a->crf);
	for (i = 0; i < a->n; i++) {
		double tail = 0;

		a->apx_ok[i] = a->fn[i].K <= KERNEL_MAX;
		for (k = 0; k + 1 < a->fn[i].K; k++) {
			double w = a->fn[i].cr[k];

			a->crf[i * (a->kmax + 1) + k] = (float)w;
			a->apx_ok[i] = a->apx_ok[i] && (w == 0 || (w >= 1e-30 && w <= 1));
		}
		/* The oldest weights (the duration's far tail), up to a sum of
		 * APPROX_TAIL, are left out of the estimate: they carry at most
		 * their sum times the largest arrivals, which its margin holds. */
		for (k = 0; k + 1 < a->fn[i].K && tail + a->fn[i].cr[k] <= APPROX_TAIL; k++)
			tail += a->fn[i].cr[k];
		a->apx_skip[i] = k;
		a->apx_tail[i] = tail * (1 + 1e-9);
	}
	return a;
}

void lambda_free(struct lambda_account *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->fn[i].c);
		free(a->fn[i].cr);
		free(a->fn[i].off);
		free(a->fn[i].adm);
		free(a->fn[i].pc);
		free(a->fn[i].queue);
		wm_free(&a->fn[i].pool);
	}
	free(a->fn);
	free(a->sh);
	free(a->ext);
	free(a->qs);
	free(a->cols.total_demand);
	free(a->terms);
	free(a->xin);
	free(a->big);
	free(a->tot);
	free(a->bnd);
	free(a->exact);
	free(a->apx_ok);
	free(a->apx_skip);
	free(a->apx_tail);
	free(a->hsnap);
	free(a->tmpx);
	free(a->crf);
	free(a->xf);
	free(a->caf);
	free(a->busyall);
	free(a->idle);
	free(a->free_now);
	free(a);
}

/* sum over k = 1..K-1 of x[-k] c[k], with 'cr' the kernel reversed
 * (cr[i] = c[K-1-i]) so that both arrays are read forward from x[-(K-1)],
 * and four partial sums (k mod 4) so that the additions do not wait on
 * each other; they are added pairwise at the end. */
static inline double carried(const double *x, const double *cr, size_t K)
{
	const double *v = x - (K - 1);
	double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	size_t i, n = K - 1;

	for (i = 0; i + 4 <= n; i += 4) {
		s0 += v[i] * cr[i];
		s1 += v[i + 1] * cr[i + 1];
		s2 += v[i + 2] * cr[i + 2];
		s3 += v[i + 3] * cr[i + 3];
	}
	for (; i < n; i++)
		s0 += v[i] * cr[i];
	return (s0 + s1) + (s2 + s3);
}

/* The carried concurrency of the admitted and PC rings: sums over k >= 1
 * of ring[t - k] * c[k] (second t - k lives at [pos + K - k]); that of
 * the offered ring, 'off', comes from carry_block. A ring of zeros
 * carries zero, and an admitted ring equal to the offered one carries the
 * same sum (the same products added in the same order), so those sums
 * are not computed again. */
static void carry3(struct fn *s, double off)
{
	const double *a = s->adm + s->pos + s->K, *p = s->pc + s->pos + s->K;

	s->carry_off = off;
	s->carry_adm = s->adm_ne ? carried(a, s->cr, s->K) : off;
	s->carry_pc = s->pc_nz ? carried(p, s->cr, s->K) : 0;
}

/* Two lanes of doubles (GCC and Clang vector extensions: SSE2 on x86-64,
 * NEON on arm64, plain code elsewhere); each lane does what the scalar
 * code does, in the same order. */
typedef double v2d __attribute__((vector_size(16)));

static inline v2d v2_load(const double *p)
{
	v2d v;

	memcpy(&v, p, sizeof v);
	return v;
}

/* carry[j] = carried() of second j of a block: x[j - (K - 1) .. j - 1]
 * against the reversed kernel, for j = j0 .. n - 1, two seconds at a
 * time, each lane with the same four partial sums added in the same order
 * (so the same doubles); an odd last second by carried() itself. */
static void carry_block2(const double *x, const double *cr, size_t K, size_t j0, size_t n, double *carry)
{
	const double *v = x - (K - 1);
	size_t i, j, m = K - 1;

	for (j = j0; j + 2 <= n; j += 2) {
		v2d a0 = {0, 0}, a1 = a0, a2 = a0, a3 = a0, r;

		for (i = 0; i + 4 <= m; i += 4) {
			a0 += v2_load(v + j + i) * (v2d){cr[i], cr[i]};
			a1 += v2_load(v + j + i + 1) * (v2d){cr[i + 1], cr[i + 1]};
			a2 += v2_load(v + j + i + 2) * (v2d){cr[i + 2], cr[i + 2]};
			a3 += v2_load(v + j + i + 3) * (v2d){cr[i + 3], cr[i + 3]};
		}
		for (; i < m; i++)
			a0 += v2_load(v + j + i) * (v2d){cr[i], cr[i]};
		r = (a0 + a1) + (a2 + a3);
		memcpy(carry + j, &r, sizeof r);
	}
	for (; j < n; j++)
		carry[j] = carried(x + j, cr, K);
}

#ifdef CARRY_AVX2
/* Four lanes (AVX2), for the CPUs that have it: chosen at run time, so
 * the program still runs on any x86-64. Only "avx2" is enabled, not
 * "fma": a multiply and an add fused would round once instead of twice,
 * and the lanes would no longer give carried()'s doubles (-std=c11 also
 * keeps GCC from contracting them, -ffp-contract=off). */
typedef double v4d __attribute__((vector_size(32)));

__attribute__((target("avx2"))) static inline v4d v4_load(const double *p)
{
	v4d v;

	memcpy(&v, p, sizeof v);
	return v;
}

/* carry_block2's loop four seconds at a time, from j = 0 while four are
 * left; returns the first second not done. Eight seconds at a time first
 * (two sets of four lanes sharing each weight: fewer loads; every lane
 * still adds its products in carried()'s order). */
__attribute__((target("avx2")))
static size_t carry_block4(const double *x, const double *cr, size_t K, size_t n, double *carry)
{
	const double *v = x - (K - 1);
	size_t i, j, m = K - 1;

	for (j = 0; j + 8 <= n; j += 8) {
		v4d a0 = {0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0, r;
		const double *u = v + j, *w = v + j + 4;

		for (i = 0; i + 4 <= m; i += 4) {
			v4d c0 = {cr[i], cr[i], cr[i], cr[i]}, c1 = {cr[i + 1], cr[i + 1], cr[i + 1], cr[i + 1]};
			v4d c2 = {cr[i + 2], cr[i + 2], cr[i + 2], cr[i + 2]};
			v4d c3 = {cr[i + 3], cr[i + 3], cr[i + 3], cr[i + 3]};

			a0 += v4_load(u + i) * c0;
			b0 += v4_load(w + i) * c0;
			a1 += v4_load(u + i + 1) * c1;
			b1 += v4_load(w + i + 1) * c1;
			a2 += v4_load(u + i + 2) * c2;
			b2 += v4_load(w + i + 2) * c2;
			a3 += v4_load(u + i + 3) * c3;
			b3 += v4_load(w + i + 3) * c3;
		}
		for (; i < m; i++) {
			v4d c0 = {cr[i], cr[i], cr[i], cr[i]};

			a0 += v4_load(u + i) * c0;
			b0 += v4_load(w + i) * c0;
		}
		r = (a0 + a1) + (a2 + a3);
		memcpy(carry + j, &r, sizeof r);
		r = (b0 + b1) + (b2 + b3);
		memcpy(carry + j + 4, &r, sizeof r);
	}
	for (; j + 4 <= n; j += 4) {
		v4d a0 = {0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0, r;

		for (i = 0; i + 4 <= m; i += 4) {
			a0 += v4_load(v + j + i) * (v4d){cr[i], cr[i], cr[i], cr[i]};
			a1 += v4_load(v + j + i + 1) * (v4d){cr[i + 1], cr[i + 1], cr[i + 1], cr[i + 1]};
			a2 += v4_load(v + j + i + 2) * (v4d){cr[i + 2], cr[i + 2], cr[i + 2], cr[i + 2]};
			a3 += v4_load(v + j + i + 3) * (v4d){cr[i + 3], cr[i + 3], cr[i + 3], cr[i + 3]};
		}
		for (; i < m; i++)
			a0 += v4_load(v + j + i) * (v4d){cr[i], cr[i], cr[i], cr[i]};
		r = (a0 + a1) + (a2 + a3);
		memcpy(carry + j, &r, sizeof r);
	}
	return j;
}
#endif

/* carry[j] = carried() of second j of a block, for j = 0 .. n - 1: four
 * seconds at a time with 'wide' (AVX2), then two at a time, then one. */
static void carry_block(const double *x, const double *cr, size_t K, size_t n, double *carry, bool wide)
{
	size_t j = 0;

#ifdef CARRY_AVX2
	if (wide)
		j = carry_block4(x, cr, K, n, carry);
#else
	(void)wide;
#endif
	carry_block2(x, cr, K, j, n, carry);
}

/* carry_block for the n seconds of column 'col', whose K - 1 seconds
 * before it are in ext[0 .. K - 2] (ext has room for K - 1 + n): the
 * seconds from K - 1 on reach back into the column alone and are worked
 * out from it where it stands; only the first K - 1 (all of a short
 * block) are copied after the history in ext. Each second's sum is the
 * same whichever seconds are done together. */
static void carry_after(double *ext, const double *col, const double *cr, size_t K, size_t n, double *carry,
			bool wide)
{
	double *x = ext + (K - 1);

	if (n > 2 * (K - 1)) {
		memcpy(x, col, (K - 1) * sizeof *x);
		carry_block(x, cr, K, K - 1, carry, wide);
		carry_block(col + (K - 1), cr, K, n - (K - 1), carry + (K - 1), wide);
	} else {
		memcpy(x, col, n * sizeof *x);
		carry_block(x, cr, K, n, carry, wide);
	}
}

/* ---- the carry's estimate ------------------------------------------- */

/* Function i's exact carry in second j of the block whose arrivals are
 * col: carried() over its history (a->hsnap) and col, the double
 * carry_after gives (a second within the first K - 1 reads the history,
 * copied before the column's first seconds in a->tmpx). */
static inline double exact_car(const struct lambda_account *a, size_t i, const double *col, size_t j)
{
	const struct fn *s = &a->fn[i];
	size_t m = s->K - 1;

	if (j >= m)
		return carried(col + j, s->cr, s->K);
	memcpy(a->tmpx, a->hsnap + i * (a->kmax + 1), m * sizeof *a->tmpx);
	memcpy(a->tmpx + m, col, j * sizeof *a->tmpx);
	return carried(a->tmpx + m + j, s->cr, s->K);
}

/* Function i's carry in second j: carry0's where it holds the exact one,
 * else worked out for that second alone. */
static inline double carry_at(const struct lambda_account *a, const double *carry0, size_t n, size_t i, size_t j)
{
	if (!a->approx || a->exact[i])
		return carry0[i * n + j];
	return exact_car(a, i, a->xcur + i * n, j);
}

/* Works out function i's exact carry for the block into carry0 (once). */
static void ensure_exact(struct lambda_account *a, double *carry0, size_t n, size_t i)
{
	const struct fn *s = &a->fn[i];

	if (!a->approx || a->exact[i])
		return;
	memcpy(a->ext, a->hsnap + i * (a->kmax + 1), (s->K - 1) * sizeof *a->ext);
	carry_after(a->ext, a->xcur + i * n, s->cr, s->K, n, carry0 + i * n, a->avx2);
	a->exact[i] = true;
}

bool lambda_carry_test(const double *x, const double *cr, size_t K, size_t n, double *carry, int lanes)
{
	size_t j;

	switch (lanes) {
	case 1:
		for (j = 0; j < n; j++)
			carry[j] = carried(x + j, cr, K);
		return true;
	case 2:
		carry_block(x, cr, K, n, carry, false);
		return true;
	case 4:
		if (!cpu_avx2())
			return false;
		carry_block(x, cr, K, n, carry, true);
		return true;
	default:
		return false;
	}
}

bool lambda_wide(struct lambda_account *a, bool wide)
{
	a->avx2 = wide && cpu_avx2();
	return a->avx2;
}

/* Records second 'pos' of the three rings (each slot stored twice), and
 * keeps the counts carry3 relies on. */
static void rings_put(struct fn *s, double off, double adm, double pc)
{
	size_t K = s->K, pos = s->pos;

	s->pc_nz += (pc != 0) - (s->pc[pos] != 0);
	s->adm_ne += (adm != off) - (s->adm[pos] != s->off[pos]);
	s->off[pos] = s->off[pos + K] = off;
	s->adm[pos] = s->adm[pos + K] = adm;
	s->pc[pos] = s->pc[pos + K] = pc;
}

/* Whether the Chernoff exponent c - A + c ln(A / c) is surely below
 * -36.5, for 0 <= A < c, without a logarithm or a division: ln x <= 2 (x -
 * 1) / (x + 1) for 0 < x <= 1 bounds it by -c (1 - x)^2 / (1 + x), x = A /
 * c, which is below -36.5 when (c - A)^2 > 36.5 (c + A). The test with the
 * logarithm (below -36) would then say the same. */
static inline bool chernoff_negligible(double A, double c)
{
	return (c - A) * (c - A) > 36.5 * (c + A);
}

/* min(want, x / c0) for x >= 0, c0 > 0, as computed with the division, but
 * without it when x / c0 is surely above 'want' (the common case). */
static inline double cap_by(double want, double x, double c0)
{
	if (x > want * c0 * (1 + 1e-12) + 1e-300)
		return want;
	return dmin(want, x / c0);
}

/* Rounds a running real total to integers so that the integer total never
 * drifts from the real one by more than one half. */
static inline double take(double *cum, double *done, double add)
{
	double target, n;

	*cum += add;
	target = floor_fast(*cum + 0.5);
	/* Both whole, so their difference is a whole number, kept as a
	 * double (as an integer it would convert back to the same). */
	n = dmax(target - *done, 0);
	*done += n;
	return n;
}

/* The first half of second 'sec' for function s: the concurrency carried
 * from earlier seconds, the load offered (with the async queue) and the
 * provisioned concurrency enabled. */
static inline void fn_prepare(struct fn *s, double sec, uint64_t arrivals, double carry_off)
{
	const struct function *f = s->f;
	double in = (double)arrivals;

	carry3(s, carry_off);
	if (s->queue)
		in += (double)s->queued;
	s->want = in;
	s->demand = in * s->c[0] + s->carry_off;
	s->pc_on = f->provisioned > 0 && sched_cursor_on(&s->pc_cur, &f->pc_sched, sec) ?
		f->provisioned : 0;
}

/* The second half: what function s runs in second 'sec', within its
 * limits and its share 'sh' of the pool; fills o. */
static inline __attribute__((always_inline)) void fn_second(const struct lambda_account *a, struct fn *s, double sec, uint64_t arrivals,
			     const struct shared *sh, struct lambda_tick *o)
{
	const struct lambda_model *L = a->L;
	const struct function *f = s->f;
	double in = s->want, c0 = s->c[0] > 1e-12 ? s->c[0] : 1e-12;
	double pc_on = s->pc_on;
	double pc_new = 0, od, cap, eff, adm_new, conc_od, pool_prev, fresh, busy;
	double rps_cap;
	double adm_i, pc_i, tot_i;	/* whole numbers */

	memset(o, 0, sizeof *o);
	o->offered = arrivals;
	/* Provisioned concurrency serves first. */
	if (pc_on > 0 && in > 0) {
		pc_new = cap_by(in, dmax(0, pc_on - s->carry_pc), c0);
		pc_new = dmin(pc_new, pc_on * L->rps_per_concurrency);
	}
	od = in - pc_new;
	/* Concurrency the on-demand part may use. */
	if (f->reserved >= 0) {
		cap = f->reserved - pc_on;
		rps_cap = f->reserved * L->rps_per_concurrency;
	} else {
		cap = sh->total_demand > sh->pool && sh->total_demand > 0 ?
			sh->pool * dmax(0, s->demand - pc_on) / sh->total_demand : sh->pool;
		rps_cap = sh->total_in > sh->budget && sh->total_in > 0 ?
			sh->budget * in / sh->total_in : sh->budget;
	}
	if (cap < 0)
		cap = 0;
	pool_prev = wm_get(&s->pool);
	if (L->scale_refill == REFILL_CONTINUOUS)
		s->tokens = dmin(L->scale_per_10s, s->tokens + L->scale_per_10s / 10.0);
	else if (s->step_next >= 0 && sec >= s->step_next) {
		/* Stepped: the whole allowance returns 10 s after the
		 * first environment of a period was created. */
		s->tokens = L->scale_per_10s;
		s->step_next = -1;
	}
	eff = dmin(cap, dmax(pool_prev, s->carry_adm) + s->tokens);
	adm_new = cap_by(od, dmax(0, eff - s->carry_adm), c0);
	if (L->arrivals == ARRIVALS_POISSON && f->invocation == INVOKE_SYNC &&
	    (od > 0 || (pc_on > 0 && in > 0))) {
		/* Poisson arrivals: new requests find every server busy
		 * with the Erlang B probability of the offered load: the
		 * on-demand load against its eff servers or, while
		 * provisioned concurrency is enabled, the whole load
		 * against PC + eff (PC is part of the function's servers,
		 * an M/G/c/c system as a whole; it serves first). */
		bool group = pc_on > 0;
		double A = group ? in * s->c[0] + s->carry_off :
				   od * s->c[0] + (s->carry_off - s->carry_pc);
		double c = group ? eff + pc_on : eff;
		double B;

		/* Functions without reserved concurrency share one pool:
		 * a request finds it full with the Erlang B probability
		 * of all their load on all of it (one M/G/c/c system),
		 * unless this function's own scale-up allowance binds
		 * first. Alone in the pool this is its own load. */
		if (!group && f->reserved < 0 && eff >= cap - 1e-9 && sh->pool_load > A) {
			A = sh->pool_load;
			c = sh->pool;
		}

		/* Chernoff: P(Poisson(A) >= c) <= exp(c - A + c ln(A / c)),
		 * which bounds Erlang B from above; far from the limit it
		 * is negligible and the incomplete gamma is not needed. */
		if (A < c && (chernoff_negligible(A, c) || c - A + c * log(A / c) < -36))
			B = 0;
		else if (A == s->last_A && c == s->last_c)
			B = s->last_B;
		else
			B = stats_erlang_b(A, c);
		s->last_A = A;
		s->last_c = c;
		s->last_B = B;
		if (group) {
			double allowed = in * (1 - B);

			pc_new = dmin(pc_new, allowed);
			adm_new = dmin(adm_new, dmax(0, allowed - pc_new));
		} else {
			adm_new = dmin(adm_new, od * (1 - B));
		}
	}
	adm_new = dmin(adm_new, dmax(0, rps_cap - pc_new));
	/* The second's admissions are rounded as one running total,
	 * and provisioned concurrency's share of it on its own: the
	 * two parts rounded apart would lose a request whenever both
	 * round down (45.4 + 44.6 admitted is 90, not 45 + 44). */
	tot_i = take(&s->adm_cum, &s->adm_int, adm_new + pc_new);
	if (tot_i > in) {
		s->adm_int -= tot_i - floor(in);
		tot_i = floor(in);
	}
	pc_i = take(&s->pc_cum, &s->pc_int, pc_new);
	if (pc_i > tot_i) {
		s->pc_int -= pc_i - tot_i;
		pc_i = tot_i;
	}
	adm_i = tot_i - pc_i;
	/* Cold starts: whole environments beyond those alive in the
	 * pool (the most busy at once within the keep-alive), one per
	 * request that finds none idle (§3.7 step 5): a single 100-ms
	 * call an hour starts one each time. */
	conc_od = s->carry_adm + adm_i * s->c[0];
	busy = envs(conc_od);
	fresh = dmax(0, busy - pool_prev);
	s->tokens = dmax(0, s->tokens - fresh);
	if (fresh > 0 && s->step_next < 0 && L->scale_refill == REFILL_STEPPED)
		s->step_next = sec + 10;
	wm_push(&s->pool, sec, busy);
	/* Record this second in the rings. */
	rings_put(s, s->queue ? (double)arrivals : in, adm_i, pc_i);
	if (++s->pos == s->K)
		s->pos = 0;
	o->ran_pc = d2u(pc_i);
	o->ran = d2u(tot_i);	/* whole, not the sum of two rounded doubles */
	o->cold = d2u(fresh);
	o->concurrency = conc_od + s->carry_pc + pc_i * s->c[0];
	o->limit = cap + pc_on;
	if (s->queue) {
		/* Asynchronous: new events join the queue, which is
		 * served oldest first; events that reach the maximum
		 * age unserved are dropped. */
		uint64_t now = (uint64_t)sec, serve = o->ran, t;
		uint64_t age = (uint64_t)L->async_max_event_age_s;

		s->queue[now % s->qcap] += arrivals;
		s->queued += arrivals;
		if (s->queued == arrivals)
			s->qhead = now;
		for (t = s->qhead; serve > 0 && t <= now; t++) {
			uint64_t *q = &s->queue[t % s->qcap];
			uint64_t take_n = *q < serve ? *q : serve;

			*q -= take_n;
			serve -= take_n;
			s->queued -= take_n;
			if (*q == 0 && t < now)
				s->qhead = t + 1;
		}
		if (now >= age) {
			for (t = s->qhead; t + age <= now; t++) {
				uint64_t *q = &s->queue[t % s->qcap];

				o->throttled += *q;
				s->queued -= *q;
				*q = 0;
			}
			if (s->qhead + age <= now)
				s->qhead = now - age + 1;
		}
		o->queued = s->queued;
	} else {
		o->throttled = arrivals - o->ran;
	}
}

/* Adds function s's load this second (after fn_prepare) to the pool's
 * totals; pool_pc gathers the provisioned concurrency enabled in it. */
static inline void fn_share(const struct fn *s, struct shared *sh, double *pool_pc)
{
	if (s->f->reserved >= 0)
		return;
	sh->total_demand += dmax(0, s->demand - s->pc_on);
	sh->total_in += s->want;
	*pool_pc += s->pc_on;
	/* The on-demand load offered to the shared pool, for Erlang B
	 * (synchronous calls without PC). */
	if (s->f->invocation == INVOKE_SYNC && s->pc_on <= 0)
		sh->pool_load += s->want * s->c[0] + s->carry_off - s->carry_pc;
}

static void shared_close(const struct lambda_account *a, struct shared *sh, double pool_pc)
{
	sh->pool = dmax(0, a->unreserved - pool_pc);
	/* Requests per second: 10 x the unreserved pool for all the
	 * functions without reserved concurrency together (§3.7 step 4). */
	sh->budget = a->unreserved * a->L->rps_per_concurrency;
}

/* Leaves the window as pushes of vals[0..n) at seconds t0, t0 + 1, ...
 * would: a value stays while no later one equals or exceeds it and it is
 * within the span of the last second. The block's values that stay are
 * found newest first (idx: scratch of n); the entries from before it that
 * stay are those above all of the block's, a run of the old ones (values
 * fall and times rise from the head). vmax: the largest of vals[] (the
 * newest-first scan stops at it). */
static void wm_rebuild(struct window_max *w, double t0, const double *vals, size_t n, double vmax,
		       double *idx)
{
	double now = t0 + (double)(n - 1), best = -INFINITY;
	size_t mask = w->cap - 1, r = 0, j, lo = 0, keep, first = 0;

	/* The block's first second within the span of the last one. */
	while (first < n && t0 + (double)first <= now - w->span)
		first++;
	for (j = n; j-- > first;) {
		if (vals[j] > best) {
			best = vals[j];
			idx[r++] = (double)j;
			if (best >= vmax)	/* none before it can exceed it */
				break;
		}
	}
	while (lo < w->n && w->when[(w->head + lo) & mask] <= now - w->span)
		lo++;
	keep = lo;
	while (keep < w->n && w->val[(w->head + keep) & mask] > best)
		keep++;
	w->head = (w->head + lo) & mask;
	w->n = keep - lo;
	if (w->n + r > w->cap) {
		wm_grow(w, w->n + r);
		mask = w->cap - 1;
	}
	while (r-- > 0) {
		size_t k = (size_t)idx[r];

		w->val[(w->head + w->n) & mask] = vals[k];
		w->when[(w->head + w->n) & mask] = t0 + (double)k;
		w->n++;
	}
}

/* What quiet_block carries from second to second: fn_second's state for
 * a function with nothing on PC. 'whole': the running total of admitted
 * calls is whole, equal to its integer part and far below 2^52 after the
 * block, so take() returns each second's arrivals (then it is added once,
 * at the end). */
struct quiet {
	double tokens, step_next, cum, done, last_A, last_c, last_B;
	bool whole;
	double fresh_sum;	/* quiet_all4: the environments started in the block */
};

#ifdef CARRY_AVX2
/* shared_totals' sums for one function, four seconds at a time from
 * j = 0 while four are left; returns the first second not added. */
__attribute__((target("avx2")))
static size_t totals4(const double *xin, const double *carry, double cc, size_t n, struct shared_cols *c)
{
	__m256d zero = _mm256_setzero_pd(), vcc = _mm256_set1_pd(cc);
	size_t j;

	for (j = 0; j + 4 <= n; j += 4) {
		__m256d in = _mm256_loadu_pd(xin + j);
		__m256d load = _mm256_sub_pd(_mm256_add_pd(_mm256_mul_pd(in, vcc), _mm256_loadu_pd(carry + j)), zero);

		_mm256_storeu_pd(c->total_demand + j,
				 _mm256_add_pd(_mm256_loadu_pd(c->total_demand + j), _mm256_max_pd(zero, load)));
		_mm256_storeu_pd(c->total_in + j, _mm256_add_pd(_mm256_loadu_pd(c->total_in + j), in));
		_mm256_storeu_pd(c->pool_load + j, _mm256_add_pd(_mm256_loadu_pd(c->pool_load + j), load));
	}
	return j;
}
#endif

/* Sets c->pool_ok for the n seconds of c. */
static void pool_check(struct shared_cols *c, size_t n)
{
	bool ok = true;
	size_t j = 0;

#ifdef CARRY_AVX2
	{
		/* SSE2, two seconds at a time without branches (each lane's
		 * test is chernoff_negligible's). */
		__m128d all = _mm_castsi128_pd(_mm_set1_epi64x(-1));

		for (; j + 2 <= n; j += 2) {
			__m128d A = _mm_loadu_pd(c->pool_load + j), p = _mm_loadu_pd(c->pool + j);
			__m128d d = _mm_sub_pd(p, A);

			all = _mm_and_pd(all, _mm_and_pd(_mm_cmplt_pd(A, p), _mm_cmpgt_pd(_mm_mul_pd(d, d),
				_mm_mul_pd(_mm_set1_pd(36.5), _mm_add_pd(p, A)))));
		}
		ok = _mm_movemask_pd(all) == 3;
	}
#endif
	for (; j < n; j++)
		ok = ok && c->pool_load[j] < c->pool[j] && chernoff_negligible(c->pool_load[j], c->pool[j]);
	c->pool_ok = ok;
}

/* The pool's totals of a block in which every pool function's load
 * follows from its arrivals (synchronous, nothing on PC), in columns: each
 * second's shares added in function order, as fn_share and shared_close
 * give them, the demand max(0, load) (max_pd is dmax). */
static void shared_totals(struct lambda_account *a, size_t n, const double *carry0)
{
	struct shared_cols *c = &a->cols;
	double pool = dmax(0, a->unreserved - 0.0), budget = a->unreserved * a->L->rps_per_concurrency;
	size_t i, j;

	memset(c->total_demand, 0, n * sizeof *c->total_demand);
	memset(c->total_in, 0, n * sizeof *c->total_in);
	memset(c->pool_load, 0, n * sizeof *c->pool_load);
	for (i = 0; i < a->n; i++) {
		const struct fn *s = &a->fn[i];
		const double *xin = a->xcur + i * n, *carry = carry0 + i * n;

		if (s->f->reserved >= 0)
			continue;
		j = 0;
#ifdef CARRY_AVX2
		if (a->avx2)
			j = totals4(xin, carry, s->c[0], n, c);
#endif
		for (; j < n; j++) {
			double load = xin[j] * s->c[0] + carry[j] - 0.0;

			c->total_demand[j] += dmax(0, load);
			c->total_in[j] += xin[j];
			c->pool_load[j] += load;
		}
	}
	c->short_pool = c->short_budget = false;
	for (j = 0; j < n; j++) {
		c->pool[j] = pool;
		c->budget[j] = budget;
		c->short_pool |= c->total_demand[j] > pool && c->total_demand[j] > 0;
		c->short_budget |= c->total_in[j] > budget && c->total_in[j] > 0;
	}
	pool_check(c, n);
	a->cols_ok = true;
}

/* a->sh's n seconds as columns, for quiet_block, and back (the block's
 * totals are added up in one form or the other). */
static void shared_columns(struct lambda_account *a, size_t n)
{
	struct shared_cols *c = &a->cols;
	size_t j;

	c->short_pool = c->short_budget = false;
	for (j = 0; j < n; j++) {
		c->total_demand[j] = a->sh[j].total_demand;
		c->total_in[j] = a->sh[j].total_in;
		c->pool[j] = a->sh[j].pool;
		c->budget[j] = a->sh[j].budget;
		c->pool_load[j] = a->sh[j].pool_load;
		c->short_pool |= c->total_demand[j] > c->pool[j] && c->total_demand[j] > 0;
		c->short_budget |= c->total_in[j] > c->budget[j] && c->total_in[j] > 0;
	}
	pool_check(c, n);
	a->cols_ok = true;
}

/* The pool's totals in columns, when block_bounds (or nothing yet) stood
 * for them: added up from the loads (all_free), or from a->sh. */
static void exact_cols(struct lambda_account *a, size_t n, double *carry0, bool all_free)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->fn[i].f->reserved < 0)
			ensure_exact(a, carry0, n, i);
	if (all_free)
		shared_totals(a, n, carry0);
	else
		shared_columns(a, n);
}

static void shared_rows(struct lambda_account *a, size_t n)
{
	const struct shared_cols *c = &a->cols;
	size_t j;

	for (j = 0; j < n; j++)
		a->sh[j] = (struct shared){.total_demand = c->total_demand[j], .total_in = c->total_in[j],
					   .pool = c->pool[j], .budget = c->budget[j],
					   .pool_load = c->pool_load[j]};
	a->rows_ok = true;
}

/* quiet_block's check of one second: fn_second with nothing on PC and
 * every arrival admitted (the same expressions, so the same doubles).
 * False if fn_second would not admit them all; else q moves on and the
 * environments started (*fresh) and the limit (*cap) are recorded. */
static inline bool quiet_second(const struct lambda_account *a, const struct fn *s, struct quiet *q,
				double sec, double in, double carry, double prev, double busy, size_t j,
				double *fresh, double *cap_out)
{
	const struct shared_cols *x = &a->cols;
	const struct lambda_model *L = a->L;
	const struct function *f = s->f;
	double cc = s->c[0], c0 = cc > 1e-12 ? cc : 1e-12, cap, rps_cap, eff, adm_new;

	if (f->reserved >= 0) {
		cap = f->reserved - 0.0;
		rps_cap = f->reserved * L->rps_per_concurrency;
	} else {
		cap = x->total_demand[j] > x->pool[j] && x->total_demand[j] > 0 ?
			x->pool[j] * dmax(0, in * cc + carry - 0.0) / x->total_demand[j] : x->pool[j];
		rps_cap = x->total_in[j] > x->budget[j] && x->total_in[j] > 0 ?
			x->budget[j] * in / x->total_in[j] : x->budget[j];
	}
	if (cap < 0)
		cap = 0;
	/* A full allowance stays full (min(S, S + S / 10) is S): the test
	 * keeps the usual case off the chain of additions. */
	if (L->scale_refill == REFILL_CONTINUOUS) {
		if (q->tokens != L->scale_per_10s)
			q->tokens = dmin(L->scale_per_10s, q->tokens + L->scale_per_10s / 10.0);
	} else if (q->step_next >= 0 && sec >= q->step_next) {
		q->tokens = L->scale_per_10s;
		q->step_next = -1;
	}
	eff = dmin(cap, dmax(prev, carry) + q->tokens);
	adm_new = cap_by(in, dmax(0, eff - carry), c0);
	if (L->arrivals == ARRIVALS_POISSON && f->invocation == INVOKE_SYNC && in > 0) {
		double A = in * cc + (carry - 0.0), c = eff;

		if (f->reserved < 0 && eff >= cap - 1e-9 && x->pool_load[j] > A) {
			A = x->pool_load[j];
			c = x->pool[j];
		}
		if (!(A < c && (chernoff_negligible(A, c) || c - A + c * log(A / c) < -36)))
			return false;
		q->last_A = A;
		q->last_c = c;
		q->last_B = 0;
		adm_new = dmin(adm_new, in * (1 - 0.0));
	}
	adm_new = dmin(adm_new, dmax(0, rps_cap - 0.0));
	if (adm_new != in)
		return false;
	/* take(), with the PC share zero. */
	if (!q->whole && take(&q->cum, &q->done, in + 0.0) != in)
		return false;
	*fresh = dmax(0, busy - prev);
	*cap_out = cap;
	if (*fresh > 0)	/* max(0, tokens - 0) is tokens */
		q->tokens = dmax(0, q->tokens - *fresh);
	if (*fresh > 0 && q->step_next < 0 && L->scale_refill == REFILL_STEPPED)
		q->step_next = sec + 10;
	return true;
}

#ifdef CARRY_AVX2
/* chernoff_negligible for four lanes (AVX2), the same operations in the
 * same order: all ones where it holds. */
__attribute__((target("avx2"), always_inline))
static inline __m256d chernoff_negligible4(__m256d A, __m256d c)
{
	__m256d d = _mm256_sub_pd(c, A);

	return _mm256_cmp_pd(_mm256_mul_pd(d, d), _mm256_mul_pd(_mm256_set1_pd(36.5), _mm256_add_pd(c, A)),
			     _CMP_GT_OQ);
}

/* quiet_second's check for four seconds (AVX2; lanes of j .. j + 3),
 * each lane with quiet_second's operations in its order (max_pd and
 * min_pd are dmax and dmin, NaN aside), so the doubles are the same: with
 * the scaling allowance 'tok', of the lanes in 'held', which are not
 * admitted in full (o->bad), which need the Erlang B bound's logarithm
 * (o->slow), and which set last_A and last_c (o->use: some arrivals,
 * Erlang B applies), with their o->A and o->c; o->cap is each second's
 * limit. */
struct check4 {
	__m256d cap, A, c;
	int bad, slow, use;
};

__attribute__((target("avx2"), always_inline))
static inline void check4(const struct lambda_account *a, const struct fn *s, size_t j, __m256d in,
			  __m256d car, __m256d pv, __m256d tok, int held, struct check4 *o)
{
	const struct lambda_model *L = a->L;
	const struct function *f = s->f;
	const struct shared_cols *x = &a->cols;
	double cc = s->c[0], c0 = cc > 1e-12 ? cc : 1e-12;
	__m256d zero = _mm256_setzero_pd(), vcc = _mm256_set1_pd(cc), vc0 = _mm256_set1_pd(c0);
	__m256d cap = _mm256_set1_pd(f->reserved - 0.0), rps = _mm256_set1_pd(f->reserved * L->rps_per_concurrency);
	__m256d eff, room, thr, adm, A = zero, c = zero;
	int bad = 0, slow = 0, use = 0;

	if (f->reserved < 0) {
		__m256d pool = _mm256_loadu_pd(x->pool + j), bud = _mm256_loadu_pd(x->budget + j);

		/* The shares only where the pool is short (the divisions are
		 * slow; the other lanes' shares would be dropped anyway); a
		 * block never short skips the test. */
		cap = pool;
		if (x->short_pool) {
			__m256d td = _mm256_loadu_pd(x->total_demand + j);
			__m256d over = _mm256_and_pd(_mm256_cmp_pd(td, pool, _CMP_GT_OQ),
						     _mm256_cmp_pd(td, zero, _CMP_GT_OQ));

			if (_mm256_movemask_pd(over)) {
				__m256d dem = _mm256_max_pd(zero, _mm256_sub_pd(
					_mm256_add_pd(_mm256_mul_pd(in, vcc), car), zero));

				cap = _mm256_blendv_pd(pool, _mm256_div_pd(_mm256_mul_pd(pool, dem), td), over);
			}
		}
		rps = bud;
		if (x->short_budget) {
			__m256d ti = _mm256_loadu_pd(x->total_in + j);
			__m256d busy_pool = _mm256_and_pd(_mm256_cmp_pd(ti, bud, _CMP_GT_OQ),
							  _mm256_cmp_pd(ti, zero, _CMP_GT_OQ));

			if (_mm256_movemask_pd(busy_pool))
				rps = _mm256_blendv_pd(bud, _mm256_div_pd(_mm256_mul_pd(bud, in), ti), busy_pool);
		}
	}
	cap = _mm256_max_pd(zero, cap);	/* cap < 0 ? 0 : cap */
	eff = _mm256_min_pd(cap, _mm256_add_pd(_mm256_max_pd(pv, car), tok));
	/* cap_by(in, max(0, eff - carry), c0) */
	room = _mm256_max_pd(zero, _mm256_sub_pd(eff, car));
	thr = _mm256_add_pd(_mm256_mul_pd(_mm256_mul_pd(in, vc0), _mm256_set1_pd(1 + 1e-12)), _mm256_set1_pd(1e-300));
	adm = in;
	if (_mm256_movemask_pd(_mm256_cmp_pd(room, thr, _CMP_GT_OQ)) != 0xf)
		adm = _mm256_blendv_pd(_mm256_min_pd(in, _mm256_div_pd(room, vc0)), in,
				       _mm256_cmp_pd(room, thr, _CMP_GT_OQ));
	if (L->arrivals == ARRIVALS_POISSON && f->invocation == INVOKE_SYNC) {
		__m256d on = _mm256_cmp_pd(in, zero, _CMP_GT_OQ), lt;
		int fast;

		A = _mm256_add_pd(_mm256_mul_pd(in, vcc), _mm256_sub_pd(car, zero));
		c = eff;
		use = _mm256_movemask_pd(on) & held;
		if (f->reserved < 0) {
			__m256d load = _mm256_loadu_pd(x->pool_load + j);
			__m256d sw = _mm256_and_pd(_mm256_cmp_pd(eff, _mm256_sub_pd(cap, _mm256_set1_pd(1e-9)), _CMP_GE_OQ),
						   _mm256_cmp_pd(load, A, _CMP_GT_OQ));

			A = _mm256_blendv_pd(A, load, sw);
			c = _mm256_blendv_pd(c, _mm256_loadu_pd(x->pool + j), sw);
		}
		lt = _mm256_cmp_pd(A, c, _CMP_LT_OQ);
		fast = _mm256_movemask_pd(chernoff_negligible4(A, c));
		bad |= use & ~_mm256_movemask_pd(lt);
		slow = use & _mm256_movemask_pd(lt) & ~fast;
		adm = _mm256_blendv_pd(adm, _mm256_min_pd(adm, _mm256_mul_pd(in, _mm256_set1_pd(1 - 0.0))), on);
	}
	adm = _mm256_min_pd(adm, _mm256_max_pd(zero, _mm256_sub_pd(rps, zero)));
	bad |= ~_mm256_movemask_pd(_mm256_cmp_pd(adm, in, _CMP_EQ_OQ)) & held;
	*o = (struct check4){.cap = cap, .A = A, .c = c, .bad = bad, .slow = slow, .use = use};
}

/* Stores lane 'top' of the last lanes that set last_A and last_c (their
 * mask 'last', 0 for none) in q. */
__attribute__((target("avx2")))
static void quiet_last(struct quiet *q, int last, __m256d lastA, __m256d lastc)
{
	double va[4], vc[4];
	int top;

	if (!last)
		return;
	top = 31 - __builtin_clz((unsigned)last);
	_mm256_storeu_pd(va, lastA);
	_mm256_storeu_pd(vc, lastc);
	q->last_A = va[top];
	q->last_c = vc[top];
	q->last_B = 0;
}

/* quiet_second four seconds at a time (AVX2, check4) from second j while
 * four are left, the scaling allowance is steady (full under continuous
 * refill, no step due under stepped) and take() is known to return the
 * arrivals (q->whole; the caller checks). The allowance changes only after
 * a second that starts environments, so the run stops after the first such
 * second (the caller takes the allowance off). Returns -1 if a second is
 * not admitted in full; else 0, with *next the first second not done
 * (fresh[] and cap[] stored and q moved on up to it) and *slow set if that
 * second's four need the Erlang B bound's logarithm (the caller runs them
 * one by one). */
__attribute__((target("avx2")))
static int quiet_run4(const struct lambda_account *a, const struct fn *s, struct quiet *q,
		      const double *xin, const double *carry, const double *prev, const double *busy,
		      double sec0, size_t j, size_t n, double *fresh, double *cap_out, size_t *next,
		      bool *slow_out)
{
	bool stepped = a->L->scale_refill == REFILL_STEPPED;
	__m256d zero = _mm256_setzero_pd(), tok = _mm256_set1_pd(q->tokens), lastA = zero, lastc = zero;
	int last = 0;

	*slow_out = false;
	for (; j + 4 <= n; j += 4) {
		__m256d pv = _mm256_loadu_pd(prev + j), fr;
		struct check4 k;
		int fresh_m, m;

		if (stepped && q->step_next >= 0 && sec0 + (double)j + 3 >= q->step_next)
			break;	/* a step due: one by one */
		/* Seconds up to the first that starts environments. */
		fr = _mm256_max_pd(zero, _mm256_sub_pd(_mm256_loadu_pd(busy + j), pv));
		fresh_m = _mm256_movemask_pd(_mm256_cmp_pd(fr, zero, _CMP_GT_OQ));
		m = fresh_m ? __builtin_ctz((unsigned)fresh_m) + 1 : 4;
		check4(a, s, j, _mm256_loadu_pd(xin + j), _mm256_loadu_pd(carry + j), pv, tok, (1 << m) - 1, &k);
		if (k.bad)
			return -1;
		if (k.slow) {
			*slow_out = true;
			break;
		}
		_mm256_storeu_pd(fresh + j, fr);
		_mm256_storeu_pd(cap_out + j, k.cap);
		if (k.use) {	/* the chunk with the last second that sets last_A, last_c */
			lastA = k.A;
			lastc = k.c;
			last = k.use;
		}
		if (fresh_m) {	/* the allowance changes after second j + m - 1 */
			j += (size_t)m;
			break;
		}
	}
	quiet_last(q, last, lastA, lastc);
	*next = j;
	return 0;
}

/* The bounds below take every rounding as at most BND_EPS of the
 * magnitudes involved (each operation rounds by at most 2^-53 of its
 * result, a few operations deep), on values finite and at most BND_MAX. */
#define BND_EPS 1e-9
#define BND_MAX 1099511627776.0	/* 2^40 */

static inline bool moderate(double v)
{
	return v >= 0 && v <= BND_MAX;
}

#ifdef CARRY_AVX2
/* Most seconds of a block approx_fn settles by the exact carry before it
 * gives up and works the whole block out. */
#define APPROX_FIXES 24

/* The quiet path's inputs for function i over the block (arrivals col,
 * n a multiple of 4), from an estimate of its carry in floats (FMA, any
 * order) instead of the exact one: the environments busy each second
 * (busy; envs of carry + arrivals c[0], as busy4), and its bounds b (the
 * largest arrivals; the largest carry, from above; and the largest load,
 * exact: the peak sums4 gives). The estimate leaves out the oldest
 * weights (apx_skip, summing to apx_tail at most) and is within E =
 * (kept + 4) 2^-23 of the largest estimate (each of the kept products and
 * sums rounds by at most 2^-24 of a sum of non-negative terms, the floats
 * of the arrivals and the weights as much again), plus apx_tail times the
 * largest arrivals of the history and the block; a second whose busy count the
 * estimate leaves open, and every second that may hold the largest load,
 * are worked out with the exact carry (exact_car). False when more than
 * APPROX_FIXES seconds need it, or a value is out of range: then the
 * caller works the exact carry out for the block. */
__attribute__((target("avx2,fma")))
static bool approx_fn(struct lambda_account *a, size_t i, size_t n, double *busy, struct fn_bound *b)
{
	const struct fn *s = &a->fn[i];
	const double *col = a->xcur + i * n, cc = s->c[0];
	const float *cf = a->crf + i * (a->kmax + 1);
	size_t m = s->K - 1, m0 = a->apx_skip[i], j, t, nfix = 0, fix[APPROX_FIXES];
	float *xf = a->xf, *caf = a->caf;
	double *est = a->qs;	/* the loads' estimates (a->qs is free until quiet_block) */
	double cmax = 0, lmax = 0, E, E2, peak = 0, hmax = 0;
	__m256d vcc = _mm256_set1_pd(cc), eps = _mm256_set1_pd(1e-9), mi = _mm256_setzero_pd(), ml = mi;
	__m256d vE;
	double lm[4], im[4];
	__m256 fmax8 = _mm256_setzero_ps();

	/* The arrivals in floats, after the history (counts are far below
	 * 2^24 or rounded by at most 2^-24 of themselves). */
	for (t = 0; t < m; t++) {
		xf[t] = (float)a->hsnap[i * (a->kmax + 1) + t];
		hmax = dmax(hmax, a->hsnap[i * (a->kmax + 1) + t]);
	}
	for (j = 0; j < n; j += 4) {
		__m256d in = _mm256_loadu_pd(col + j);

		_mm_storeu_ps(xf + m + j, _mm256_cvtpd_ps(in));
		mi = _mm256_max_pd(mi, in);
	}
	/* caf[j] = sum over t < m of xf[j + t] cf[t], 32 then 4 seconds at a
	 * time (even and odd weights apart: eight sums in flight). */
	for (j = 0; j + 32 <= n; j += 32) {
		__m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, u0 = s0, u1 = s0, u2 = s0, u3 = s0;

		for (t = m0; t + 2 <= m; t += 2) {
			__m256 w = _mm256_broadcast_ss(cf + t), v = _mm256_broadcast_ss(cf + t + 1);

			s0 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t), w, s0);
			s1 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t + 8), w, s1);
			s2 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t + 16), w, s2);
			s3 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t + 24), w, s3);
			u0 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t + 1), v, u0);
			u1 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t + 9), v, u1);
			u2 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t + 17), v, u2);
			u3 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t + 25), v, u3);
		}
		if (t < m) {
			__m256 w = _mm256_broadcast_ss(cf + t);

			s0 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t), w, s0);
			s1 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t + 8), w, s1);
			s2 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t + 16), w, s2);
			s3 = _mm256_fmadd_ps(_mm256_loadu_ps(xf + j + t + 24), w, s3);
		}
		s0 = _mm256_add_ps(s0, u0);
		s1 = _mm256_add_ps(s1, u1);
		s2 = _mm256_add_ps(s2, u2);
		s3 = _mm256_add_ps(s3, u3);
		_mm256_storeu_ps(caf + j, s0);
		_mm256_storeu_ps(caf + j + 8, s1);
		_mm256_storeu_ps(caf + j + 16, s2);
		_mm256_storeu_ps(caf + j + 24, s3);
		fmax8 = _mm256_max_ps(fmax8, _mm256_max_ps(_mm256_max_ps(s0, s1), _mm256_max_ps(s2, s3)));
	}
	for (; j < n; j += 4) {
		__m128 s0 = _mm_setzero_ps();

		for (t = m0; t < m; t++)
			s0 = _mm_fmadd_ps(_mm_loadu_ps(xf + j + t), _mm_broadcast_ss(cf + t), s0);
		_mm_storeu_ps(caf + j, s0);
		fmax8 = _mm256_max_ps(fmax8, _mm256_insertf128_ps(_mm256_setzero_ps(), s0, 0));
	}
	/* The largest estimate (every sum is at least 0). */
	{
		float f8[8];
		size_t k;

		_mm256_storeu_ps(f8, fmax8);
		cmax = 0;
		for (k = 0; k < 8; k++)
			cmax = dmax(cmax, (double)f8[k]);
	}
	_mm256_storeu_pd(im, mi);
	b->in = dmax(dmax(im[0], im[1]), dmax(im[2], im[3]));
	if (!(cmax <= BND_MAX && b->in <= BND_MAX && b->in * cc <= BND_MAX))
		return false;
	if (cmax == 0 && b->in == 0 && hmax == 0) {
		/* No arrivals at all: the exact carry is 0: nothing busy. */
		memset(busy, 0, n * sizeof *busy);
		b->A = b->car = 0;
		return true;
	}
	E = (double)(m - m0 + 4) * 0x1p-23 * cmax + dmax(hmax, b->in) * a->apx_tail[i] + 1e-300;
	/* The load's estimate is within E2 of the exact load: E, and the
	 * roundings of the two sums (each within 2^-53 of its result), with
	 * room for those of x -/+ E2. */
	E2 = E + 0x1p-49 * (cmax + E + b->in * cc);
	vE = _mm256_set1_pd(E2);
	for (j = 0; j < n; j += 4) {
		__m256d in = _mm256_loadu_pd(col + j), car = _mm256_cvtps_pd(_mm_loadu_ps(caf + j));
		__m256d x = _mm256_add_pd(car, _mm256_mul_pd(in, vcc));
		__m256d lo = _mm256_sub_pd(x, vE), hi = _mm256_add_pd(x, vE);
		__m256d blo = _mm256_and_pd(_mm256_round_pd(_mm256_sub_pd(lo, eps), _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC),
					    _mm256_cmp_pd(lo, eps, _CMP_GT_OQ));
		__m256d bhi = _mm256_and_pd(_mm256_round_pd(_mm256_sub_pd(hi, eps), _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC),
					    _mm256_cmp_pd(hi, eps, _CMP_GT_OQ));
		int open = _mm256_movemask_pd(_mm256_cmp_pd(blo, bhi, _CMP_NEQ_UQ));

		_mm256_storeu_pd(busy + j, bhi);
		_mm256_storeu_pd(est + j, x);
		ml = _mm256_max_pd(ml, lo);
		while (open) {
			if (nfix == APPROX_FIXES)
				return false;
			fix[nfix++] = j + (size_t)__builtin_ctz((unsigned)open);
			open &= open - 1;
		}
	}
	_mm256_storeu_pd(lm, ml);
	lmax = dmax(dmax(lm[0], lm[1]), dmax(lm[2], lm[3]));
	/* Busy counts the estimate leaves open. */
	for (t = 0; t < nfix; t++) {
		j = fix[t];
		busy[j] = envs(exact_car(a, i, col, j) + col[j] * cc);
	}
	/* The peak: the exact load of every second whose estimate reaches the
	 * largest estimate from below (no other can hold the largest). */
	nfix = 0;
	for (j = 0; j < n; j += 4) {
		__m256d hi = _mm256_add_pd(_mm256_loadu_pd(est + j), vE);
		int cand = _mm256_movemask_pd(_mm256_cmp_pd(hi, _mm256_set1_pd(lmax), _CMP_GE_OQ));

		while (cand) {
			size_t k = j + (size_t)__builtin_ctz((unsigned)cand);
			double conc = exact_car(a, i, col, k) + col[k] * cc;

			if (++nfix > APPROX_FIXES)
				return false;
			peak = conc > peak ? conc : peak;
			cand &= cand - 1;
		}
	}
	b->A = peak;
	b->car = cmax + E;
	return true;
}
#endif

/* b: the largest arrivals, carry and load (carry + arrivals cc, added as
 * busy4 adds them) of n seconds. */
__attribute__((target("avx2")))
static void fn_maxima(const double *xin, const double *carry, double cc, size_t n, struct fn_bound *b)
{
	__m256d vcc = _mm256_set1_pd(cc), mi = _mm256_setzero_pd(), mc = mi, ma = mi;
	double t[4];
	size_t j;

	for (j = 0; j + 4 <= n; j += 4) {
		__m256d in = _mm256_loadu_pd(xin + j), car = _mm256_loadu_pd(carry + j);

		mi = _mm256_max_pd(mi, in);
		mc = _mm256_max_pd(mc, car);
		ma = _mm256_max_pd(ma, _mm256_add_pd(car, _mm256_mul_pd(in, vcc)));
	}
	_mm256_storeu_pd(t, mi);
	b->in = dmax(dmax(t[0], t[1]), dmax(t[2], t[3]));
	_mm256_storeu_pd(t, mc);
	b->car = dmax(dmax(t[0], t[1]), dmax(t[2], t[3]));
	_mm256_storeu_pd(t, ma);
	b->A = dmax(dmax(t[0], t[1]), dmax(t[2], t[3]));
	for (; j < n; j++) {
		b->in = dmax(b->in, xin[j]);
		b->car = dmax(b->car, carry[j]);
		b->A = dmax(b->A, carry[j] + xin[j] * cc);
	}
}

/* Whether (c - A)^2 > 36.5 (c + A) with c - A at least g > 19 and A at
 * most amax, whatever the roundings of chernoff_negligible: the left side
 * less the right grows with c - A from 18.25 on. */
static inline bool chernoff_bound(double g, double amax)
{
	return g > 19 && g * g * (1 - BND_EPS) > 36.5 * (g + 2 * amax) * (1 + BND_EPS);
}

/* The pool functions' bounds for a block in which all their loads
 * follow from their arrivals (shared_totals' case), so that quiet_all4
 * need not have the pool's totals second by second: every pool
 * function's bounds (a->bnd), and from their sums whether the pool and
 * the budget are surely never short (each second's total demand and
 * arrivals at most the sums) and Erlang B on the whole pool surely
 * negligible (its load at most the sum of the largest loads). */
__attribute__((target("avx2")))
static void block_bounds(struct lambda_account *a, size_t n, const double *carry0)
{
	double pool = dmax(0, a->unreserved - 0.0), budget = a->unreserved * a->L->rps_per_concurrency;
	double P = 0, I = 0, g;
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct fn *s = &a->fn[i];

		if (!a->approx || a->exact[i])	/* else approx_fn's */
			fn_maxima(a->xcur + i * n, carry0 + i * n, s->c[0], n, &a->bnd[i]);
		if (s->f->reserved < 0) {
			P += a->bnd[i].A;
			I += a->bnd[i].in;
		}
	}
	P *= 1 + BND_EPS;
	I *= 1 + BND_EPS;
	a->bnd_cap = pool;
	a->bnd_budget = budget;
	a->bnd_pool = moderate(P) && moderate(I) && moderate(pool) && moderate(budget) && P <= pool && I <= budget;
	g = pool - P - BND_EPS * (pool + P + 1);
	a->bnd_erlang = a->bnd_pool && g > 0 && g * g * (1 - BND_EPS) > 36.5 * (pool + P) * (1 + BND_EPS);
	a->bnd_ok = true;
}

/* The pool's load in second j of the block, as totals4 adds it up (from
 * zero, in function order). */
static double pool_load_at(const struct lambda_account *a, const double *carry0, size_t n, size_t j)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->fn[i].f->reserved < 0)
			sum += a->xcur[i * n + j] * a->fn[i].c[0] + carry_at(a, carry0, n, i, j) - 0.0;
	return sum;
}

/* Whether quiet_all4's test of every second surely holds for function s
 * with bounds b, the scaling allowance at least tmin (at most S), the
 * limit cap and the budget rps of every second:
 *  - eff - carry > in c0 (1 + 1e-12) + 1e-300: eff = min(cap, max(prev,
 *    carry) + tokens) is at least min(cap, carry + tokens), so eff - carry
 *    is at least min(cap - b->car, tmin), less the roundings;
 *  - in <= rps for the largest arrivals;
 *  - with Erlang B: eff - A (A = carry + in cc) is at least
 *    min(cap - b->A, tmin - b->in cc), less the roundings, and
 *    chernoff_bound holds for it. */
static bool quiet_bound(const struct fn_bound *b, double cap, double rps, double tmin, double S, double cc,
			double c0, bool erlang)
{
	double l1, r1, g;

	if (!(moderate(cap) && moderate(S) && moderate(b->A) && moderate(b->car) && moderate(b->in * c0) &&
	      moderate(b->in * cc) && moderate(tmin) && b->in <= rps))
		return false;
	l1 = dmin(cap - b->car, tmin) - BND_EPS * (cap + b->car + S + 1);
	r1 = b->in * c0 * (1 + 1e-12) * (1 + BND_EPS) + 1e-290;
	if (!(l1 > r1))
		return false;
	if (!erlang)
		return true;
	g = dmin(cap - b->A, tmin - b->in * cc) - BND_EPS * (cap + b->A + S + b->in * cc + 1);
	return chernoff_bound(g, b->A);
}

/* quiet_block's check of the whole block at once under continuous
 * refill (n a multiple of 4, at most 64 * QUIET_WORDS, take() known to
 * return the arrivals), for a function with a limit and a budget of its
 * own (reserved) or the pool's and the budget's in full every second (the
 * pool never short, and Erlang B on the whole pool negligible):
 *  - the environments started each second (they follow from busy and
 *    prev alone);
 *  - the scaling allowance each second: quiet_second's chain of refills
 *    and takings, followed only where it is not full (after a second
 *    that starts environments);
 *  - a test that implies quiet_second's for every second, four at a time:
 *    the room left under the limit above cap_by's threshold, the arrivals
 *    within the budget, and where Erlang B applies, the arrivals' own
 *    load surely negligible against the limit (quiet_second tests that,
 *    or the pool's load against the pool, tested above).
 * Returns true, with fresh[] and cap[] stored and q moved on past the
 * block, when every second passes; else false, with q untouched (the
 * caller checks the block its usual way). tok[] is scratch for n seconds.
 * With bd (block_bounds' for s; carry0: every function's carry), the
 * pool's tests are block_bounds' and every second's test is quiet_bound's
 * for the block; cap[] is not stored, and the pool's load for last_A is
 * worked out for its second alone (pool_load_at). */
#define QUIET_WORDS 16
__attribute__((target("avx2")))
static bool quiet_all4(const struct lambda_account *a, const struct fn *s, struct quiet *q,
		       const double *xin, const double *carry, const double *prev, const double *busy,
		       size_t n, double *fresh, double *cap_out, double *tok, const struct fn_bound *bd,
		       const double *carry0)
{
	const struct lambda_model *L = a->L;
	const struct function *f = s->f;
	const struct shared_cols *x = &a->cols;
	const double S = L->scale_per_10s;
	double cc = s->c[0], c0 = cc > 1e-12 ? cc : 1e-12, t = q->tokens;
	bool erlang = L->arrivals == ARRIVALS_POISSON && f->invocation == INVOKE_SYNC, own = f->reserved >= 0;
	__m256d zero = _mm256_setzero_pd(), full = _mm256_set1_pd(S), vcc = _mm256_set1_pd(cc);
	__m256d vc0 = _mm256_set1_pd(c0), margin = _mm256_set1_pd(1 + 1e-12), tiny = _mm256_set1_pd(1e-300);
	__m256d ok = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
	__m256d rcap = _mm256_max_pd(zero, _mm256_set1_pd(f->reserved - 0.0));
	__m256d rrps = _mm256_max_pd(zero, _mm256_sub_pd(_mm256_set1_pd(f->reserved * L->rps_per_concurrency), zero));
	uint64_t starts[QUIET_WORDS] = {0};
	double tmin = S, pool = bd ? a->bnd_cap : 0, f4[4];
	__m256d started = _mm256_setzero_pd();
	size_t j;

	if (bd ? !own && !(a->bnd_pool && (!erlang || a->bnd_erlang)) :
		 !own && (x->short_pool || x->short_budget || (erlang && !x->pool_ok)))
		return false;
	for (j = 0; j < n; j += 4) {
		__m256d fr = _mm256_max_pd(zero, _mm256_sub_pd(_mm256_loadu_pd(busy + j), _mm256_loadu_pd(prev + j)));

		started = _mm256_add_pd(started, fr);
		_mm256_storeu_pd(fresh + j, fr);
		_mm256_storeu_pd(tok + j, full);
		starts[j / 64] |= (uint64_t)_mm256_movemask_pd(_mm256_cmp_pd(fr, zero, _CMP_GT_OQ)) << (j % 64);
	}
	/* Their sum, as sums4 adds them (whole numbers: exact below 2^53). */
	_mm256_storeu_pd(f4, started);
	q->fresh_sum = (f4[0] + f4[1]) + (f4[2] + f4[3]);
	/* quiet_second's allowance: refilled while not full, then taken
	 * from by the environments started. While full, nothing changes up
	 * to the next second that starts some. */
	for (j = 0; j < n;) {
		if (t == S) {
			size_t w = j / 64;
			uint64_t m = starts[w] & (~0ull << (j % 64));

			while (!m && ++w < QUIET_WORDS)
				m = starts[w];
			if (!m)
				break;
			j = w * 64 + (size_t)__builtin_ctzll(m);
		} else {
			t = dmin(S, t + S / 10.0);
			tok[j] = t;
			tmin = dmin(tmin, t);
		}
		if (fresh[j] > 0)
			t = dmax(0, t - fresh[j]);
		j++;
	}
	/* With bounds (block_bounds), one test for the block; the pool and
	 * the budget are the same every second there. */
	if (bd && !quiet_bound(bd, own ? _mm256_cvtsd_f64(rcap) : dmax(0, pool),
			       own ? _mm256_cvtsd_f64(rrps) : dmax(0, a->bnd_budget - 0.0), tmin, S, cc, c0, erlang))
		return false;
	for (j = 0; !bd && j < n; j += 4) {
		__m256d in = _mm256_loadu_pd(xin + j), car = _mm256_loadu_pd(carry + j);
		__m256d cap = own ? rcap : _mm256_max_pd(zero, _mm256_loadu_pd(x->pool + j));
		__m256d rps = own ? rrps : _mm256_max_pd(zero, _mm256_sub_pd(_mm256_loadu_pd(x->budget + j), zero));
		__m256d eff = _mm256_min_pd(cap, _mm256_add_pd(_mm256_max_pd(_mm256_loadu_pd(prev + j), car),
							       _mm256_loadu_pd(tok + j)));
		/* max(0, eff - carry) > in c0 (1 + 1e-12) + 1e-300 > 0 */
		__m256d thr = _mm256_add_pd(_mm256_mul_pd(_mm256_mul_pd(in, vc0), margin), tiny);

		ok = _mm256_and_pd(ok, _mm256_and_pd(_mm256_cmp_pd(_mm256_sub_pd(eff, car), thr, _CMP_GT_OQ),
						     _mm256_cmp_pd(in, rps, _CMP_LE_OQ)));
		if (erlang) {
			__m256d A = _mm256_add_pd(_mm256_mul_pd(in, vcc), _mm256_sub_pd(car, zero));
			__m256d neg = _mm256_and_pd(_mm256_cmp_pd(A, eff, _CMP_LT_OQ), chernoff_negligible4(A, eff));

			ok = _mm256_and_pd(ok, _mm256_or_pd(neg, _mm256_cmp_pd(in, zero, _CMP_LE_OQ)));
		}
		_mm256_storeu_pd(cap_out + j, cap);
	}
	if (_mm256_movemask_pd(ok) != 0xf)
		return false;
	if (erlang) {
		/* last_A and last_c: those of the last second with arrivals,
		 * as quiet_second sets them. */
		for (j = n; j-- > 0 && !(xin[j] > 0);)
			;
		if (j < n) {
			double cj = carry ? carry[j] : carry_at(a, carry0, n, (size_t)(s - a->fn), j);
			double A = xin[j] * cc + (cj - 0.0);
			double cap = !bd ? cap_out[j] : own ? _mm256_cvtsd_f64(rcap) : dmax(0, pool);
			double c = dmin(cap, dmax(prev[j], cj) + tok[j]);
			double load = !own && c >= cap - 1e-9 ? bd ? pool_load_at(a, carry0, n, j) : x->pool_load[j] : 0;

			if (!own && c >= cap - 1e-9 && load > A) {
				A = load;
				c = bd ? pool : x->pool[j];
			}
			q->last_A = A;
			q->last_c = c;
			q->last_B = 0;
		}
	}
	q->tokens = t;
	return true;
}

/* quiet_block's sums, four seconds at a time from j = 0 while four are
 * left: the environments started (*cold; whole doubles, so their sum is
 * exact in any order while it stays below 2^53, which is checked) and the
 * peak concurrency (max_pd is 'conc > peak ? conc : peak'; all are
 * non-negative and not -0, so the order does not matter). Returns the
 * first second not summed: 0 if the sum is too large to trust. */
__attribute__((target("avx2")))
static size_t sums4(const double *xin, const double *carry, const double *fresh, double cc, size_t n,
		    uint64_t *cold, double *peak)
{
	__m256d vcc = _mm256_set1_pd(cc), tot = _mm256_setzero_pd(), top = tot;
	double t[4], p[4], sum;
	size_t j;

	for (j = 0; j + 4 <= n; j += 4) {
		__m256d conc = _mm256_add_pd(_mm256_loadu_pd(carry + j), _mm256_mul_pd(_mm256_loadu_pd(xin + j), vcc));

		top = _mm256_max_pd(conc, top);
		tot = _mm256_add_pd(tot, _mm256_loadu_pd(fresh + j));
	}
	_mm256_storeu_pd(t, tot);
	_mm256_storeu_pd(p, top);
	sum = (t[0] + t[1]) + (t[2] + t[3]);
	if (!(sum < 9007199254740992.0))
		return 0;
	*cold = d2u(sum);
	*peak = dmax(dmax(p[0], p[1]), dmax(p[2], p[3]));
	return j;
}

/* envs(carry[j] + xin[j] c[0]) for j = 0 .. n - 1, four at a time where it
 * can: ceil() of a positive double is envs()'s sum of its integer part
 * and the test that it is not whole; from 2^52 on both are the double. */
__attribute__((target("avx2")))
static size_t busy4(const double *xin, const double *carry, double cc, size_t n, double *busy)
{
	__m256d vcc = _mm256_set1_pd(cc), eps = _mm256_set1_pd(1e-9);
	size_t j;

	for (j = 0; j + 4 <= n; j += 4) {
		__m256d x = _mm256_add_pd(_mm256_loadu_pd(carry + j), _mm256_mul_pd(_mm256_loadu_pd(xin + j), vcc));
		__m256d up = _mm256_round_pd(_mm256_sub_pd(x, eps), _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC);

		_mm256_storeu_pd(busy + j, _mm256_and_pd(up, _mm256_cmp_pd(x, eps, _CMP_GT_OQ)));
	}
	return j;
}
#endif

#ifdef CARRY_AVX2
/* quiet_block's environments alive before each second, four seconds at a
 * time from j while four are left before 'end': prev[j] = max(head, top)
 * and then top = max(top, busy[j]), with the running maximum of each four
 * found in two steps. Every value is a whole non-negative double (no -0),
 * so the maxima are the same in any order. Returns the first second not
 * done; *top moves on with them. */
__attribute__((target("avx2")))
static size_t prev4(const double *busy, double head, double *top, size_t j, size_t end, double *prev)
{
	__m256d zero = _mm256_setzero_pd(), h = _mm256_set1_pd(head), t = _mm256_set1_pd(*top);

	for (; j + 4 <= end; j += 4) {
		__m256d x = _mm256_loadu_pd(busy + j), y, z, before;

		/* y[i] = max(x[i - 1], x[i]), z[i] = max(x[0 .. i]) (0 below
		 * lane 0: every value is at least 0). */
		y = _mm256_max_pd(x, _mm256_blend_pd(_mm256_permute4x64_pd(x, 0x90), zero, 1));
		z = _mm256_max_pd(y, _mm256_blend_pd(_mm256_permute4x64_pd(y, 0x40), zero, 3));
		/* The maximum before each second: top, then top and z[i - 1]. */
		before = _mm256_max_pd(t, _mm256_blend_pd(_mm256_permute4x64_pd(z, 0x90), zero, 1));
		_mm256_storeu_pd(prev + j, _mm256_max_pd(h, before));
		t = _mm256_max_pd(t, _mm256_permute4x64_pd(z, 0xFF));
	}
	*top = _mm256_cvtsd_f64(t);
	return j;
}
#endif

/* Whether window entry h (from its head) is gone for block second j:
 * older than the keep-alive before second sec0 + j - 1 (the test
 * wm_push's window applies). */
static inline bool gone(const struct window_max *w, size_t h, double sec0, size_t j)
{
	double now = sec0 + (double)j - 1;

	return w->when[(w->head + h) & (w->cap - 1)] <= now - w->span;
}

/* Whether function s can run seconds sec0 .. sec0 + n - 1 as if no limit
 * were near: a function without provisioned concurrency (or with it idle
 * all block: the caller checks pc_idle) whose admitted
 * ring equals its offered one, with every arrival admitted (an
 * asynchronous one with its queue empty: it stays empty, and what it is
 * offered is its arrivals; Erlang B applies to synchronous calls only). Then
 * its environments follow from the arrivals alone, and the rest is a
 * check, for each second, that fn_second would admit them all (the same
 * expressions, so the same doubles: quiet_second one by one, quiet_run4
 * four at a time while the scaling allowance is steady). If it would, the
 * state moves on as n calls of fn_second would move it, out[] (row stride
 * 'nf'; arrivals[j * as] is second j's) is filled, or *sum when asked for, and the result is true; if not, s is left untouched and the caller steps
 * the seconds one by one. The window of environments must span the block
 * (keep-alive >= n seconds), so that every second of it sees the block's
 * earlier ones. xin holds the arrivals as doubles, each at most 2^53 (the
 * caller checks: beyond, a count is not a double, 'in' would round and
 * arrivals - ran, none throttled here, would not be 0), and 'offered' their
 * sum (below 2^64). With bd (block_bounds'; sums only), the pool's totals
 * need not be in a->cols: quiet_all4 decides with the bounds, and a block
 * it does not settle sets *retry, for the caller to work the totals out
 * and call again without bd. */
static bool quiet_block(const struct lambda_account *a, struct fn *s, double sec0, size_t n,
			const uint64_t *arrivals, size_t as, const double *xin, uint64_t offered, size_t nf,
			const double *carry, struct lambda_tick *out, struct lambda_sums *sum,
			const struct fn_bound *bd, const double *carry0, bool *retry)
{
	const struct lambda_model *L = a->L;
	const struct function *f = s->f;
	struct window_max *w = &s->pool;
	double *busy = a->qs, *prev = a->qs + n, *fresh = a->qs + 2 * n, *cap = a->qs + 3 * n;
	double cc = s->c[0], top = 0, peak = 0;
	struct quiet q = {s->tokens, s->step_next, s->adm_cum, s->adm_int, s->last_A, s->last_c, s->last_B,
			  false, NAN};	/* no sum until quiet_all4 gives one */
	uint64_t cold = 0;
	bool wrap = false, wide = a->avx2;
	size_t j, h = 0, mask = w->cap - 1;

	if ((s->queue ? s->queued != 0 : f->invocation != INVOKE_SYNC) || s->adm_ne ||
	    w->span < (double)n)
		return false;
	/* take() adds whole numbers exactly while the total stays below 2^52
	 * (then its + 0.5 is exact too): each second it returns the arrivals. */
	q.whole = q.cum == q.done && q.cum >= 0 && q.cum == floor_fast(q.cum) &&
		  offered < ((uint64_t)1 << 51) && q.cum < 2251799813685248.0;
	/* Every arrival admitted: the environments busy each second (worked
	 * out already where the carry's estimate stands for it). */
	j = 0;
	if (!carry) {
		busy = a->busyall + (size_t)(s - a->fn) * n;
		j = n;
	}
#ifdef CARRY_AVX2
	if (j == 0 && a->avx2)
		j = busy4(xin, carry, cc, n, busy);
#endif
	for (; j < n; j++)
		busy[j] = envs(carry[j] + xin[j] * cc);
	/* Those alive before each second: the most busy at once within the
	 * keep-alive, from the window's entries (oldest first, the largest
	 * at the head; the oldest drop out) and the block's earlier seconds. */
	for (j = 0; j < n;) {
		size_t end = n;
		double head;

		while (h < w->n && gone(w, h, sec0, j))
			h++;
		head = h < w->n ? w->val[(w->head + h) & mask] : 0;
		if (h < w->n) {
			/* The head stays up to the first second that sees it
			 * gone: near when + span - sec0 + 1, found with the
			 * test itself (it only turns true as j grows). */
			double at = w->when[(w->head + h) & mask] + w->span - sec0 + 1;

			end = !(at > (double)(j + 1)) ? j + 1 : at >= (double)n ? n : (size_t)at;
			while (end > j + 1 && gone(w, h, sec0, end - 1))
				end--;
			while (end < n && !gone(w, h, sec0, end))
				end++;
		}
#ifdef CARRY_AVX2
		if (wide)
			j = prev4(busy, head, &top, j, end, prev);
#endif
		for (; j < end; j++) {
			prev[j] = dmax(head, top);
			top = dmax(top, busy[j]);
		}
	}
	/* fn_second's check: the whole block at once under continuous
	 * refill, else four seconds at a time where the allowance is steady,
	 * else one by one. */
	j = 0;
#ifdef CARRY_AVX2
	if (wide && q.whole && L->scale_refill == REFILL_CONTINUOUS && n % 4 == 0 && n <= 64 * QUIET_WORDS &&
	    quiet_all4(a, s, &q, xin, carry, prev, busy, n, fresh, cap, a->qs + 4 * n, bd, carry0))
		j = n;
#endif
	/* The bounds decide only for quiet_all4: anything else (and a block
	 * they leave open) is checked against the pool's totals second by
	 * second, which the caller then works out. */
	if (bd && j < n) {
		*retry = true;
		return false;
	}
	while (j < n) {
		size_t m = 4;

#ifdef CARRY_AVX2
		if (wide && q.whole && j + 4 <= n &&
		    (L->scale_refill != REFILL_CONTINUOUS || q.tokens == L->scale_per_10s)) {
			size_t next;
			bool slow;

			if (quiet_run4(a, s, &q, xin, carry, prev, busy, sec0, j, n, fresh, cap, &next, &slow) < 0)
				return false;
			if (next > j) {
				/* What quiet_second does after the check, for the
				 * last second (the others started none). */
				double fr = fresh[next - 1];

				if (fr > 0)
					q.tokens = dmax(0, q.tokens - fr);
				if (fr > 0 && q.step_next < 0 && L->scale_refill == REFILL_STEPPED)
					q.step_next = sec0 + (double)(next - 1) + 10;
				j = next;
				if (!slow)
					continue;
			}
		}
#endif
		for (m = j + 4 <= n ? 4 : 1; m-- > 0; j++)
			if (!quiet_second(a, s, &q, sec0 + (double)j, xin[j], carry[j], prev[j], busy[j], j,
					  &fresh[j], &cap[j]))
				return false;
	}
	if (q.whole) {
		q.cum += (double)offered;	/* exact: whole, below 2^52 */
		q.done = q.cum;
	}
	/* concurrency: carry + in c[0] + 0 + 0 c[0] in fn_second; all
	 * non-negative, so adding zeros changes no bit. */
	if (!sum) {
		for (j = 0; j < n; j++)
			out[j * nf] = (struct lambda_tick){.offered = arrivals[j * as], .ran = d2u(xin[j]),
							   .cold = d2u(fresh[j]),
							   .concurrency = carry[j] + xin[j] * cc,
							   .limit = cap[j] + 0.0};
	} else if (!carry) {
		/* The sums, the peak approx_fn's (the exact loads' largest). */
		j = 0;
		if (q.fresh_sum < 9007199254740992.0) {	/* quiet_all4's sum */
			cold = d2u(q.fresh_sum);
			j = n;
		}
		for (; j < n; j++) {
			uint64_t cold_j = d2u(fresh[j]);

			wrap |= (cold += cold_j) < cold_j;
		}
		if (wrap)
			return false;
		peak = bd->A;
	} else {
		/* The sums instead: arrivals = ran (both exact: at most 2^53),
		 * cold starts, peak concurrency. */
		j = 0;
#ifdef CARRY_AVX2
		if (a->avx2)
			j = sums4(xin, carry, fresh, cc, n, &cold, &peak);
#endif
		for (; j < n; j++) {
			uint64_t cold_j = d2u(fresh[j]);
			double conc = carry[j] + xin[j] * cc;

			wrap |= (cold += cold_j) < cold_j;
			peak = conc > peak ? conc : peak;
		}
		if (wrap)
			return false;
	}
	/* Commit: the rings' last K seconds, the window, the running totals. */
	{
		size_t K = s->K, k = n < K ? n : K;

		for (j = n - k; j < n; j++) {
			size_t pos = (s->pos + j) % K;
			double in = xin[j];

			s->off[pos] = s->off[pos + K] = in;
			s->adm[pos] = s->adm[pos + K] = in;
		}
		s->pos = (s->pos + n) % K;
	}
	wm_rebuild(w, sec0, busy, n, top, prev);
	/* An empty queue served all its second's events: fn_second leaves its
	 * head at the second. */
	if (s->queue)
		s->qhead = (uint64_t)(sec0 + (double)(n - 1));
	s->tokens = q.tokens;
	s->step_next = q.step_next;
	s->adm_cum = q.cum;
	s->adm_int = q.done;
	s->last_A = q.last_A;
	s->last_c = q.last_c;
	s->last_B = q.last_B;
	if (sum)
		*sum = (struct lambda_sums){.valid = true, .offered = offered, .cold = cold, .peak = peak};
	return true;
}

void lambda_step(struct lambda_account *a, double sec, const uint64_t *arrivals,
		 struct lambda_tick *out)
{
	lambda_step_block(a, sec, 1, arrivals, out, NULL, NULL);
}

/* The 'ran' column of every function (lambda_step_block), which holds its
 * arrivals: kept for a function that gave its sums (all ran), else from its
 * ticks. */
static void ran_columns(size_t nf, size_t n, const struct lambda_tick *out, const struct lambda_sums *sums,
			uint64_t *ran)
{
	size_t i, j;

	for (i = 0; i < nf; i++) {
		uint64_t *r = ran + i * n;

		if (!sums || !sums[i].valid)
			for (j = 0; j < n; j++)
				r[j] = out[j * nf + i].ran;
	}
}

/* A function's arrivals in a block, v[j * stride] for second j < n:
 * copied to col (unless NULL) and as doubles to x. Returns their sum; *big
 * tells the quiet path to stay off (the sum may wrap only if a count is
 * above 2^53 or the block is longer than 2^10 s). */
#ifdef CARRY_AVX2
/* u2d_column_sum four at a time (AVX2): the same doubles (a count below
 * 2^52 is the double with 2^52's bits and the count in the mantissa, less
 * 2^52), the same sum and test. */
__attribute__((target("avx2")))
static bool u2d_column_sum4(const uint64_t *v, size_t n, double *x, uint64_t *tot)
{
	const __m256i bits = _mm256_set1_epi64x(0x4330000000000000);
	const __m256d two52 = _mm256_set1_pd(0x1p52);
	__m256i o4 = _mm256_setzero_si256(), t4 = o4;
	uint64_t a[4], b[4], o, t, rest = 0;
	size_t j;
	bool ok;

	if (n >= 4096)
		return false;
	for (j = 0; j + 4 <= n; j += 4) {
		__m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(v + j));

		o4 = _mm256_or_si256(o4, c);
		t4 = _mm256_add_epi64(t4, c);
		_mm256_storeu_pd(x + j, _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(c, bits)), two52));
	}
	_mm256_storeu_si256((__m256i *)(void *)a, o4);
	_mm256_storeu_si256((__m256i *)(void *)b, t4);
	o = (a[0] | a[1]) | (a[2] | a[3]);
	t = (b[0] + b[1]) + (b[2] + b[3]);
	/* The last n % 4, two or one at a time. */
	ok = u2d_column_sum(v + j, n - j, x + j, &rest);
	*tot = t + rest;
	return ok && o >> 52 == 0;
}
#endif

/* 'wide': u2d_column_sum4 may run. */
static inline uint64_t column_in(const uint64_t *v, size_t stride, size_t n, uint64_t *col, double *x,
				 bool *big, bool wide)
{
	uint64_t most = 0, tot = 0;
	size_t j;

#ifdef CARRY_AVX2
	if (wide && stride == 1 && !col && n <= 1024 && u2d_column_sum4(v, n, x, &tot)) {
		*big = false;
		return tot;
	}
#else
	(void)wide;
#endif
	if (stride == 1 && !col && n <= 1024 && u2d_column_sum(v, n, x, &tot)) {
		/* The usual column: no count near 2^53, and no sum wraps. */
		*big = false;
		return tot;
	}
	tot = 0;
	for (j = 0; j < n; j++) {
		uint64_t c = v[j * stride];

		if (col)
			col[j] = c;
		x[j] = u2d(c);
		most = c > most ? c : most;
		tot += c;
	}
	*big = most > ((uint64_t)1 << 53) || n > 1024;
	return tot;
}

/* Seconds sec0 .. sec0 + n - 1, function by function where it can be.
 *
 * A function's offered ring holds its arrivals (an async function's
 * queue is not in it), so the concurrency it carries is a convolution of
 * the arrivals alone: carry_block computes it for the whole block first,
 * two or four seconds at a time. The functions interact only through the
 * pool's totals; when every function without reserved concurrency is
 * synchronous and has no provisioned concurrency, those totals too follow
 * from the arrivals, so they are summed first for the whole block (in
 * lambda_step's order) and each function then runs its seconds on its
 * own, its state at hand. Pool functions with provisioned concurrency or
 * an async queue run second by second within the block, their shares of
 * the totals added in function order as they come; the others still run
 * on their own. Either way the results are those of one second at a time,
 * to the bit. */
static void step_block(struct lambda_account *a, double sec0, size_t n, const uint64_t *rows,
		       struct lambda_prep *pr, struct lambda_tick *out, struct lambda_sums *sums,
		       uint64_t *ran)
{
	size_t i, j, k, nf = a->n;
	/* Function i's arrivals in second j are arrivals[j * as + i * af]:
	 * rows of functions, or (with pr: rows is not read) a prep's columns
	 * of seconds. */
	const uint64_t *arrivals = pr ? pr->arr : rows;
	size_t as = pr ? 1 : nf, af = pr ? n : 1;
	double *carry0;
	bool all_free;

	if (sums)
		memset(sums, 0, nf * sizeof *sums);
	if (n == 0)
		return;
	if (a->scratch_n < n) {
		free(a->sh);
		free(a->ext);
		free(a->qs);
		free(a->cols.total_demand);
		free(a->terms);
		free(a->xin);
		a->sh = xcalloc(n, sizeof *a->sh);
		a->xin = xcalloc(n * nf + 1, sizeof *a->xin);
		a->qs = xcalloc(5 * n, sizeof *a->qs);
		a->cols.total_demand = xcalloc(5 * n, sizeof *a->cols.total_demand);
		a->cols.total_in = a->cols.total_demand + n;
		a->cols.pool = a->cols.total_in + n;
		a->cols.budget = a->cols.pool + n;
		a->cols.pool_load = a->cols.budget + n;
		/* ext: K - 1 seconds of history and n of the block, then the
		 * carry: n per function */
		a->ext = xcalloc(a->kmax + n + nf * n, sizeof *a->ext);
		a->terms = xcalloc(n * nf + 1, sizeof *a->terms);
		free(a->xf);
		free(a->caf);
		free(a->busyall);
		a->xf = xcalloc(a->kmax + n + 40, sizeof *a->xf);
		a->caf = xcalloc(n + 40, sizeof *a->caf);
		a->busyall = xcalloc(n * nf + 1, sizeof *a->busyall);
		a->scratch_n = n;
	}
	carry0 = pr ? pr->carry : a->ext + a->kmax + n;
	a->xcur = pr ? pr->xin : a->xin;
	a->cols_ok = a->rows_ok = a->bnd_ok = a->approx = false;
	/* Whose provisioned concurrency plays no part in this block: those
	 * run as functions without it (worked out once a block of more than
	 * one second, before anything else). */
	all_free = true;
	for (i = 0; n > 1 && i < nf; i++) {
		struct fn *s = &a->fn[i];

		a->idle[i] = pc_idle(s, sec0, n);
		a->free_now[i] = s->f->invocation == INVOKE_SYNC && a->idle[i];
		if (s->f->reserved < 0 && !a->free_now[i])
			all_free = false;
	}
#ifdef CARRY_AVX2
	/* Only sums kept, the pool's totals bounded (block_bounds): the
	 * carry's estimate stands for the exact carry where it can. */
	a->approx = pr && sums && a->avx2 && n > 1 && n % 4 == 0 && all_free;
#endif
	for (i = 0; i < nf; i++) {
		const struct fn *s = &a->fn[i];
		size_t K = s->K;
		double *x = a->ext + (K - 1);

		uint64_t *r = ran ? ran + i * n : NULL;

		if (pr) {
			/* Worked out already: the carry too, or the
			 * arrivals to work it out from. */
			a->big[i] = pr->big[i];
			a->tot[i] = pr->tot[i];
			if (r && !(pr->ran_in_arr && sums))
				memcpy(r, pr->arr + i * n, n * sizeof *r);
			a->exact[i] = i < pr->ncarry;
			if (i < pr->ncarry)
				continue;
#ifdef CARRY_AVX2
			if (a->approx) {
				double *h = a->hsnap + i * (a->kmax + 1);

				for (k = 1; k < K; k++)
					h[K - 1 - k] = s->off[s->pos + K - k];
				if (!(a->apx_ok[i] && !a->big[i] && a->idle[i] &&
				      approx_fn(a, i, n, a->busyall + i * n, &a->bnd[i])))
					ensure_exact(a, carry0, n, i);
				continue;
			}
#endif
			for (k = 1; k < K; k++)
				x[-(ptrdiff_t)k] = s->off[s->pos + K - k];
			carry_after(a->ext, pr->xin + i * n, s->cr, K, n, carry0 + i * n, a->avx2);
			continue;
		}
		for (k = 1; k < K; k++)
			x[-(ptrdiff_t)k] = s->off[s->pos + K - k];
		a->tot[i] = column_in(arrivals + i, nf, n, r, x, &a->big[i], a->avx2);
		memcpy(a->xin + i * n, x, n * sizeof *x);
		carry_block(x, s->cr, K, n, carry0 + i * n, a->avx2);
	}
	if (n == 1) {
		/* One second: the two passes, as the model reads. */
		double pool_pc = 0;

		memset(a->sh, 0, sizeof *a->sh);
		/* Pass 1: carried concurrency and the on-demand load each
		 * function would like, to share the unreserved pool in
		 * proportion; the pool is what provisioned concurrency enabled
		 * in it leaves (behaviour.md §3.2: PC counts against the
		 * account). */
		for (i = 0; i < nf; i++) {
			fn_prepare(&a->fn[i], sec0, arrivals[i * af], carry0[i]);
			fn_share(&a->fn[i], &a->sh[0], &pool_pc);
		}
		shared_close(a, &a->sh[0], pool_pc);
		for (i = 0; i < nf; i++)
			fn_second(a, &a->fn[i], sec0, arrivals[i * af], &a->sh[0], &out[i]);
		if (ran)
			ran_columns(nf, n, out, sums, ran);
		return;
	}
	/* The pool's totals, second by second, as fn_share adds them in
	 * function order. A synchronous function without provisioned
	 * concurrency (or with it idle) wants its arrivals and carries nothing
	 * on PC, so its share follows from the arrivals; the others' (PC, async
	 * queue) are known only as they run, so they run here, second by
	 * second, and the totals are added up once all shares of the second
	 * are in. When all follow from their arrivals, the totals are added
	 * at once, in columns; or, when only sums are kept, bounded first
	 * (block_bounds), and added up only if a function needs them. */
	if (all_free) {
#ifdef CARRY_AVX2
		if (sums && a->avx2)
			block_bounds(a, n, carry0);
		else
#endif
			shared_totals(a, n, carry0);
	} else {
		memset(a->sh, 0, n * sizeof *a->sh);
	}
	for (i = 0; !all_free && i < nf; i++) {
		const struct fn *s = &a->fn[i];
		const double *carry = carry0 + i * n;

		if (s->f->reserved >= 0 || !a->free_now[i])
			continue;
		for (j = 0; j < n; j++) {
			double in = a->xcur[i * n + j];
			double demand = dmax(0, in * s->c[0] + carry[j] - 0.0);
			double load = in * s->c[0] + carry[j] - 0.0;

			a->terms[j * nf + i] = (struct pool_term){.demand = demand, .in = in, .load = load,
								  .loaded = true};
		}
	}
	a->rows_ok = !all_free;
	for (j = 0; !all_free && j < n; j++) {
		struct shared *sh = &a->sh[j];
		double sec = sec0 + (double)j, pool_pc = 0;

		for (i = 0; i < nf; i++) {
			struct fn *s = &a->fn[i];
			struct pool_term *t = &a->terms[j * nf + i];

			if (s->f->reserved >= 0 || a->free_now[i])
				continue;
			fn_prepare(s, sec, arrivals[j * as + i * af], carry0[i * n + j]);
			t->demand = dmax(0, s->demand - s->pc_on);
			t->in = s->want;
			t->pc = s->pc_on;
			t->loaded = s->f->invocation == INVOKE_SYNC && s->pc_on <= 0;
			t->load = s->want * s->c[0] + s->carry_off - s->carry_pc;
		}
		for (i = 0; i < nf; i++) {
			const struct pool_term *t = &a->terms[j * nf + i];

			if (a->fn[i].f->reserved >= 0)
				continue;
			sh->total_demand += t->demand;
			sh->total_in += t->in;
			pool_pc += t->pc;
			if (t->loaded)
				sh->pool_load += t->load;
		}
		shared_close(a, sh, pool_pc);
		for (i = 0; i < nf; i++)
			if (a->fn[i].f->reserved < 0 && !a->free_now[i])
				fn_second(a, &a->fn[i], sec, arrivals[j * as + i * af], sh, &out[j * nf + i]);
	}
	/* Every other function on its own: quiet, or second by second. */
	for (i = 0; i < nf; i++) {
		struct fn *s = &a->fn[i];
		const double *carry = carry0 + i * n;

		if (s->f->reserved < 0 && !a->free_now[i])
			continue;
		if (!a->big[i] && a->idle[i]) {
			bool retry = !a->bnd_ok;

			if (a->bnd_ok && quiet_block(a, s, sec0, n, arrivals + i * af, as, a->xcur + i * n, a->tot[i],
						     nf, a->approx && !a->exact[i] ? NULL : carry, out + i, &sums[i],
						     &a->bnd[i], carry0, &retry)) {
				a->quiet_s += n;
				continue;
			}
			if (retry)
				ensure_exact(a, carry0, n, i);
			if (s->f->reserved < 0 && retry && !a->cols_ok)
				exact_cols(a, n, carry0, all_free);
			if (retry && quiet_block(a, s, sec0, n, arrivals + i * af, as, a->xcur + i * n, a->tot[i], nf,
						 carry, out + i, sums ? &sums[i] : NULL, NULL, NULL, NULL)) {
				a->quiet_s += n;
				continue;
			}
		}
		ensure_exact(a, carry0, n, i);
		if (s->f->reserved < 0 && !a->rows_ok) {
			if (!a->cols_ok)
				exact_cols(a, n, carry0, all_free);
			shared_rows(a, n);
		}
		for (j = 0; j < n; j++) {
			double sec = sec0 + (double)j;
			uint64_t arr = arrivals[j * as + i * af];

			fn_prepare(s, sec, arr, carry[j]);
			fn_second(a, s, sec, arr, &a->sh[j], &out[j * nf + i]);
		}
	}
	if (ran)
		ran_columns(nf, n, out, sums, ran);
}

void lambda_step_block(struct lambda_account *a, double sec0, size_t n, const uint64_t *arrivals,
		       struct lambda_tick *out, struct lambda_sums *sums, uint64_t *ran)
{
	step_block(a, sec0, n, arrivals, NULL, out, sums, ran);
}

void lambda_step_prepared(struct lambda_account *a, double sec0, size_t n, struct lambda_prep *pr,
			  struct lambda_tick *out, struct lambda_sums *sums, uint64_t *ran)
{
	step_block(a, sec0, n, NULL, pr, out, sums, ran);
}

/* ---- the feed: what follows from the arrivals alone ---------------- */

struct lambda_feed {
	size_t n;		/* functions */
	size_t kmax;
	const size_t *K;	/* per function: its kernel's length (the account's) */
	const double **cr;	/* and the kernel reversed */
	double *hist;		/* per function (kmax - 1 apart): the arrivals of its
				 * last K - 1 seconds, oldest first */
	double *ext;		/* scratch: a history, then a block */
	size_t ext_n;		/* seconds of block ext holds */
	bool avx2;
};

void lambda_prep_init(struct lambda_prep *pr, size_t nf, size_t n)
{
	memset(pr, 0, sizeof *pr);
	pr->arr = xcalloc(n * nf + 1, sizeof *pr->arr);
	pr->xin = xcalloc(n * nf + 1, sizeof *pr->xin);
	pr->carry = xcalloc(n * nf + 1, sizeof *pr->carry);
	pr->tot = xcalloc(nf + 1, sizeof *pr->tot);
	pr->big = xcalloc(nf + 1, sizeof *pr->big);
}

void lambda_prep_free(struct lambda_prep *pr)
{
	free(pr->arr);
	free(pr->xin);
	free(pr->carry);
	free(pr->tot);
	free(pr->big);
	memset(pr, 0, sizeof *pr);
}

struct lambda_feed *lambda_feed_new(const struct lambda_account *a)
{
	struct lambda_feed *fd = xcalloc(1, sizeof *fd);
	size_t i, k, h;
	size_t *K;
	const double **cr;

	fd->n = a->n;
	fd->kmax = a->kmax ? a->kmax : 1;
	fd->avx2 = a->avx2;
	fd->K = K = xcalloc(a->n + 1, sizeof *K);
	fd->cr = cr = xcalloc(a->n + 1, sizeof *cr);
	fd->hist = xcalloc(a->n * (fd->kmax - 1) + 1, sizeof *fd->hist);
	for (i = 0; i < a->n; i++) {
		const struct fn *s = &a->fn[i];
		double *hist = fd->hist + i * (fd->kmax - 1);

		K[i] = s->K;
		cr[i] = s->cr;
		/* What lambda_step_block reads from the offered ring:
		 * second -k at [pos + K - k]. */
		for (k = 1, h = s->K - 1; k < s->K; k++)
			hist[--h] = s->off[s->pos + s->K - k];
	}
	return fd;
}

void lambda_feed_free(struct lambda_feed *fd)
{
	if (!fd)
		return;
	free((void *)fd->K);
	free((void *)fd->cr);
	free(fd->hist);
	free(fd->ext);
	free(fd);
}

void lambda_feed_block(struct lambda_feed *fd, size_t n, const uint64_t *arrivals, struct lambda_prep *pr,
		       size_t ncarry)
{
	size_t i, nf = fd->n;

	pr->n = n;
	pr->ncarry = ncarry < nf ? ncarry : nf;
	if (fd->ext_n < n) {
		free(fd->ext);
		fd->ext = xcalloc(fd->kmax + n, sizeof *fd->ext);
		fd->ext_n = n;
	}
	for (i = 0; i < nf; i++) {
		size_t K = fd->K[i];
		double *hist = fd->hist + i * (fd->kmax - 1);
		uint64_t *col = pr->arr + i * n;

		/* The function's column, as lambda_step_block reads it. */
		if (arrivals)
			pr->tot[i] = column_in(arrivals + i, nf, n, col, pr->xin + i * n, &pr->big[i], fd->avx2);
		else
			pr->tot[i] = column_in(col, 1, n, NULL, pr->xin + i * n, &pr->big[i], fd->avx2);
		if (i < ncarry) {
			memcpy(fd->ext, hist, (K - 1) * sizeof *hist);
			carry_after(fd->ext, pr->xin + i * n, fd->cr[i], K, n, pr->carry + i * n, fd->avx2);
		}
		/* The history: the last K - 1 seconds up to this block's end. */
		if (n >= K - 1) {
			memcpy(hist, pr->xin + i * n + n - (K - 1), (K - 1) * sizeof *hist);
		} else {
			memmove(hist, hist + n, (K - 1 - n) * sizeof *hist);
			memcpy(hist + (K - 1 - n), pr->xin + i * n, n * sizeof *hist);
		}
	}
}

uint64_t lambda_quiet_seconds(const struct lambda_account *a)
{
	return a->quiet_s;
}
