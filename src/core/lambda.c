#include "lambda.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"

#define KERNEL_MAX 4096

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

struct lambda_account {
	const struct plan *p;
	const struct lambda_model *L;
	struct fn *fn;
	size_t n;
	double unreserved;	/* account quota minus all reserved */
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
		size_t i, nc = w->cap * 2;
		double *nv = xcalloc(nc, sizeof *nv), *nw = xcalloc(nc, sizeof *nw);

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
		mask = nc - 1;
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
	return x > 1e-9 ? ceil(x - 1e-9) : 0;
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
	for (i = 0; i < a->n; i++)
		if (p->functions[i].reserved >= 0)
			reserved += p->functions[i].reserved;
	a->unreserved = p->lambda_concurrency - reserved;
	if (a->unreserved < 0)
		a->unreserved = 0;
	for (i = 0; i < a->n; i++) {
		struct fn *s = &a->fn[i];
		const struct function *f = &p->functions[i];
		double a0 = cold ? 0 : (double)first[i];
		double pc0 = 0, od0;

		s->f = f;
		s->c = lambda_kernel(f->duration_p50_ms, f->lognormal ? f->duration_p95_ms : f->duration_p50_ms,
				     f->timeout_s * 1000.0, &s->K);
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

/* The carried concurrency of the three rings: sums over k >= 1 of
 * ring[t - k] * c[k] (second t - k lives at [pos + K - k]). A ring of
 * zeros carries zero, and an admitted ring equal to the offered one
 * carries the same sum (the same products added in the same order), so
 * those sums are not computed again. */
static void carry3(struct fn *s)
{
	const double *o = s->off + s->pos + s->K, *a = s->adm + s->pos + s->K,
		     *p = s->pc + s->pos + s->K;

	s->carry_off = carried(o, s->cr, s->K);
	s->carry_adm = s->adm_ne ? carried(a, s->cr, s->K) : s->carry_off;
	s->carry_pc = s->pc_nz ? carried(p, s->cr, s->K) : 0;
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
static uint64_t take(double *cum, double *done, double add)
{
	double target;
	uint64_t n;

	*cum += add;
	/* Non-negative and far below 2^63: truncation of x + 0.5 rounds,
	 * without a call to floor(). */
	target = *cum < 9e18 ? (double)(int64_t)(*cum + 0.5) : floor(*cum + 0.5);
	n = target > *done ? (uint64_t)(target - *done) : 0;
	*done += (double)n;
	return n;
}

void lambda_step(struct lambda_account *a, double sec, const uint64_t *arrivals,
		 struct lambda_tick *out)
{
	const struct lambda_model *L = a->L;
	double total_demand = 0, total_in = 0, pool_pc = 0, pool, budget, pool_load = 0;
	size_t i;

	/* Pass 1: carried concurrency and the on-demand load each function
	 * would like, to share the unreserved pool in proportion; the pool is
	 * what provisioned concurrency enabled in it leaves (behaviour.md
	 * §3.2: PC counts against the account). */
	for (i = 0; i < a->n; i++) {
		struct fn *s = &a->fn[i];
		const struct function *f = s->f;
		double in = (double)arrivals[i];

		carry3(s);
		if (s->queue)
			in += (double)s->queued;
		s->want = in;
		s->demand = in * s->c[0] + s->carry_off;
		s->pc_on = f->provisioned > 0 && sched_cursor_on(&s->pc_cur, &f->pc_sched, sec) ?
			f->provisioned : 0;
		if (f->reserved < 0) {
			total_demand += dmax(0, s->demand - s->pc_on);
			total_in += in;
			pool_pc += s->pc_on;
			/* The on-demand load offered to the shared pool, for
			 * Erlang B (synchronous calls without PC). */
			if (f->invocation == INVOKE_SYNC && s->pc_on <= 0)
				pool_load += in * s->c[0] + s->carry_off - s->carry_pc;
		}
	}
	pool = dmax(0, a->unreserved - pool_pc);
	/* Requests per second: 10 x the unreserved pool for all the
	 * functions without reserved concurrency together (§3.7 step 4). */
	budget = a->unreserved * L->rps_per_concurrency;
	for (i = 0; i < a->n; i++) {
		struct fn *s = &a->fn[i];
		const struct function *f = s->f;
		struct lambda_tick *o = &out[i];
		double in = s->want, c0 = s->c[0] > 1e-12 ? s->c[0] : 1e-12;
		double pc_on = s->pc_on;
		double pc_new = 0, od, cap, eff, adm_new, conc_od, pool_prev, fresh, busy;
		double rps_cap;
		uint64_t adm_i, pc_i, cold_i, tot_i;

		memset(o, 0, sizeof *o);
		o->offered = arrivals[i];
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
			cap = total_demand > pool && total_demand > 0 ?
				pool * dmax(0, s->demand - pc_on) / total_demand : pool;
			rps_cap = total_in > budget && total_in > 0 ? budget * in / total_in : budget;
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
			if (!group && f->reserved < 0 && eff >= cap - 1e-9 && pool_load > A) {
				A = pool_load;
				c = pool;
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
		if ((double)tot_i > in) {
			s->adm_int -= (double)tot_i - floor(in);
			tot_i = (uint64_t)floor(in);
		}
		pc_i = take(&s->pc_cum, &s->pc_int, pc_new);
		if (pc_i > tot_i) {
			s->pc_int -= (double)(pc_i - tot_i);
			pc_i = tot_i;
		}
		adm_i = tot_i - pc_i;
		/* Cold starts: whole environments beyond those alive in the
		 * pool (the most busy at once within the keep-alive), one per
		 * request that finds none idle (§3.7 step 5): a single 100-ms
		 * call an hour starts one each time. */
		conc_od = s->carry_adm + (double)adm_i * s->c[0];
		busy = envs(conc_od);
		fresh = dmax(0, busy - pool_prev);
		s->tokens = dmax(0, s->tokens - fresh);
		if (fresh > 0 && s->step_next < 0 && L->scale_refill == REFILL_STEPPED)
			s->step_next = sec + 10;
		cold_i = (uint64_t)fresh;
		wm_push(&s->pool, sec, busy);
		/* Record this second in the rings. */
		rings_put(s, s->queue ? (double)arrivals[i] : in, (double)adm_i, (double)pc_i);
		if (++s->pos == s->K)
			s->pos = 0;
		o->ran = adm_i + pc_i;
		o->ran_pc = pc_i;
		o->cold = cold_i;
		o->concurrency = conc_od + s->carry_pc + (double)pc_i * s->c[0];
		o->limit = cap + pc_on;
		if (s->queue) {
			/* Asynchronous: new events join the queue, which is
			 * served oldest first; events that reach the maximum
			 * age unserved are dropped. */
			uint64_t now = (uint64_t)sec, serve = o->ran, t;
			uint64_t age = (uint64_t)L->async_max_event_age_s;

			s->queue[now % s->qcap] += arrivals[i];
			s->queued += arrivals[i];
			if (s->queued == arrivals[i])
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
			o->throttled = arrivals[i] - o->ran;
		}
	}
}
