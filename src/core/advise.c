#include "advise.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats.h"
#include "trace.h"
#include "util.h"

#define VCPU_MB 1769.0
#define TOP_MB 10240.0
#define TOP_VCPUS 6.0
#define HOURS_PER_MONTH (MONTH_S / 3600.0)

/* ---- options, names, the duration model --------------------------------- */

void advise_opts_default(struct advise_opts *o)
{
	memset(o, 0, sizeof *o);
	o->sections = ADVISE_ALL;
	o->cpu_share = 0.5;
	o->cpu_threads = TOP_VCPUS;
	o->max_throttle = NAN;
	o->cost_limit = 0.10;
	o->growth = NAN;
	o->months = 12;
	o->runs = 200;
	o->mc_sim_runs = 20;
	o->seed = 1;
	o->max_scale = 1000;
	o->tolerance = 0.03;
	o->sim.seed = 1;
}

const char *advice_kind_name(enum advice_kind k)
{
	static const char *const names[ADVICE_KIND_COUNT] = {
		"memory", "arch", "provisioned_concurrency", "reserved_concurrency", "table_mode",
		"table_capacity", "hot_key", "api_type", "cache", "headroom", "growth",
	};

	return k < ADVICE_KIND_COUNT ? names[k] : "?";
}

double advise_vcpus(double mb)
{
	if (mb <= VCPU_MB)
		return mb / VCPU_MB;
	if (mb >= TOP_MB)
		return TOP_VCPUS;
	return 1 + (TOP_VCPUS - 1) * (mb - VCPU_MB) / (TOP_MB - VCPU_MB);
}

double advise_duration_factor(double share, double threads, double from_mb, double to_mb)
{
	double t = threads > 0 ? threads : TOP_VCPUS;
	double v0 = fmin(advise_vcpus(from_mb), t), v1 = fmin(advise_vcpus(to_mb), t);

	share = fmin(fmax(share, 0), 1);
	return (1 - share) + share * v0 / v1;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ---- the session ------------------------------------------------------ */

struct ctx {
	struct whatif *w;
	const struct plan *p;		/* whatif_base */
	const struct usage *u0;
	const struct bill *b0;
	const struct advise_opts *o;
	struct advice *a;
	double target;
	struct err *e;
};

static size_t k_fn(const struct plan *p, size_t i)
{
	return p->napis + i;
}

static size_t k_table(const struct plan *p, size_t i)
{
	return p->napis + p->nfunctions + i;
}

static struct advice_item *item_add(struct advice *a, enum advice_kind kind, const char *res,
				    enum service svc)
{
	struct advice_item *it;

	xgrow(&a->items, &a->cap, a->n + 1, sizeof *a->items);
	it = &a->items[a->n++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->resource = xstrdup(res ? res : "");
	it->service = svc;
	it->proposed_cost = NAN;
	it->saving = NAN;
	it->proposed_throttle = NAN;
	return it;
}

/* Sets an item's text (takes ownership of the strings). */
static void item_text(struct advice_item *it, char *message, char *detail, char *set)
{
	it->message = message;
	it->detail = detail ? detail : xstrdup("");
	it->set = set;
}

static char *pct(double r)
{
	if (r == 0)
		return xstrdup("0%");
	if (r < 0.0001)
		return xasprintf("%.4f%%", r * 100);
	return xasprintf("%.3g%%", r * 100);
}

/* Whole-plan evaluation of a variant in one scope (exact). */
static int eval(struct ctx *c, const struct plan *v, enum whatif_scope scope, size_t index,
		bool quick, struct bill **b, struct usage **uu)
{
	struct whatif_req r;
	struct usage *u;

	memset(&r, 0, sizeof r);
	r.plan = v;
	r.scope = scope;
	r.index = index;
	r.scale = 1;
	r.quick = quick;
	if (whatif_run(c->w, &r, &u, c->e) < 0)
		return -1;
	*b = bill_price(v, u);
	if (uu)
		*uu = u;
	else
		usage_free(u);
	return 0;
}

/* Account concurrency function i may use at the baseline's load. */
static double fn_pool(const struct ctx *c, size_t i)
{
	const struct plan *p = c->p;
	double pool = p->lambda_concurrency;
	size_t j;

	if (p->functions[i].reserved >= 0)
		return p->functions[i].reserved;
	for (j = 0; j < p->nfunctions; j++) {
		if (j == i)
			continue;
		pool -= p->functions[j].reserved >= 0 ? p->functions[j].reserved
						      : c->u0->fn[j].peak_concurrency;
	}
	return pool > 0 ? pool : 0;
}

static struct duration_dist fn_dist(const struct function *f, double factor)
{
	return stats_duration(f->duration_p50_ms * factor,
			      (f->lognormal ? f->duration_p95_ms : f->duration_p50_ms) * factor,
			      f->timeout_s * 1000);
}

/* ---- functions: memory ------------------------------------------------ */

static const double std_mb[] = {
	128, 192, 256, 320, 384, 448, 512, 640, 768, 896, 1024, 1280, 1536, 1769, 2048,
	2560, 3008, 3538, 4096, 5120, 5308, 6144, 7076, 8192, 8845, 9216, 10240,
};

static int cmp_dbl(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/* The --set assignments that give function f memory m with the modelled
 * durations. */
static char *memory_set(const struct function *f, double m, double kf)
{
	char *dur, *init = NULL, *s;

	if (f->lognormal)
		dur = xasprintf("functions.%s.duration_ms={p50: %.6g, p95: %.6g}", f->name,
				f->duration_p50_ms * kf, f->duration_p95_ms * kf);
	else
		dur = xasprintf("functions.%s.duration_ms=%.6g", f->name, f->duration_p50_ms * kf);
	if (f->init_ms > 0)
		init = xasprintf(" functions.%s.init_ms=%.6g", f->name, f->init_ms * kf);
	s = xasprintf("functions.%s.memory_mb=%.0f %s%s", f->name, m, dur, init ? init : "");
	free(dur);
	free(init);
	return s;
}

/* Function i at memory m (duration factor kf), re-priced from the
 * baseline: the same invocations on demand and on provisioned
 * concurrency, the same cold starts, billed durations of the scaled
 * distribution. Exact while the change does not move the function near a
 * concurrency limit (the caller simulates otherwise). */
static void reprice_memory(const struct ctx *c, size_t i, double m, double kf, double b0, double mean0,
			   struct fn_usage *x)
{
	const struct function *f = &c->p->functions[i];
	const struct fn_usage *fu = &c->u0->fn[i];
	struct duration_dist d1 = fn_dist(f, kf);
	double b1 = stats_expected_billed_ms(&d1);
	double m0 = f->memory_mb, od, pcr;

	*x = *fu;
	if (b0 <= 0 || m0 <= 0)
		return;
	od = (double)(fu->mb_ms - (fu->init_mb_ms <= fu->mb_ms ? fu->init_mb_ms : fu->mb_ms)) / (b0 * m0);
	pcr = (double)fu->pc_mb_ms / (b0 * m0);
	x->init_mb_ms = fu->init_mb_ms > 0 ?
		(uint64_t)llround((double)fu->cold_starts * ceil(f->init_ms * kf) * m) : 0;
	x->mb_ms = (uint64_t)llround(od * b1 * m) + x->init_mb_ms;
	x->pc_mb_ms = (uint64_t)llround(pcr * b1 * m);
	x->eph_mb_ms = (uint64_t)llround((double)fu->eph_mb_ms * b1 / b0);
	x->pc_mb_s = (uint64_t)llround((double)fu->pc_mb_s * m / m0);
	x->peak_concurrency = fu->peak_concurrency * stats_mean_ms(&d1) / fmax(mean0, 1e-9);
}

/* ", 4.5x slower" (a static buffer: use at once). */
static const char *xfmt_slower(double ratio)
{
	static char buf[48];

	snprintf(buf, sizeof buf, ", %.3gx slower", ratio);
	return buf;
}

static int fn_memory(struct ctx *c, size_t i)
{
	const struct plan *p = c->p;
	const struct function *f = &p->functions[i];
	const struct fn_usage *fu = &c->u0->fn[i];
	const struct lambda_model *L = &p->model->lambda;
	struct advice *a = c->a;
	struct memory_sweep *sw;
	struct plan *v;
	double share = c->o->fn_cpu_share && !isnan(c->o->fn_cpu_share[i]) ? c->o->fn_cpu_share[i]
									   : c->o->cpu_share;
	double grid[sizeof std_mb / sizeof *std_mb + 1], cur_cost, cur_thr, lim = fn_pool(c, i);
	size_t ng = 0, g, k = k_fn(p, i);
	long best = -1, cheap = -1, fast = -1;
	struct advice_item *it;
	struct duration_dist d0 = fn_dist(f, 1);
	double b0, mean0;

	if (fu->offered == 0)
		return 0;
	b0 = stats_expected_billed_ms(&d0);
	mean0 = stats_mean_ms(&d0);
	for (g = 0; g < sizeof std_mb / sizeof *std_mb; g++)
		if (std_mb[g] >= L->memory_min_mb && std_mb[g] <= L->memory_max_mb &&
		    fabs(std_mb[g] - f->memory_mb) > 0.5)
			grid[ng++] = std_mb[g];
	grid[ng++] = f->memory_mb;
	qsort(grid, ng, sizeof *grid, cmp_dbl);
	a->sweeps = xrealloc(a->sweeps, (a->nsweeps + 1) * sizeof *a->sweeps);
	sw = &a->sweeps[a->nsweeps++];
	memset(sw, 0, sizeof *sw);
	sw->function = xstrdup(f->name);
	sw->cpu_share = share;
	sw->current_mb = f->memory_mb;
	cur_cost = sw->current_cost = c->b0->res[k].monthly_cost;
	cur_thr = c->b0->res[k].throttle_ratio;
	sw->cost_limit_usd = cur_cost * (1 + c->o->cost_limit);
	sw->points = xcalloc(ng, sizeof *sw->points);
	sw->current = sw->cheapest = sw->fastest = sw->best = -1;
	v = whatif_copy(p);
	for (g = 0; g < ng; g++) {
		double m = grid[g], kf = advise_duration_factor(share, c->o->cpu_threads, f->memory_mb, m);
		struct memory_point *pt = &sw->points[sw->n];
		struct function *vf = &v->functions[i];
		bool is_cur = fabs(m - f->memory_mb) < 0.5;
		bool unsafe = fu->throttled > 0 || (lim > 0 && fu->peak_concurrency * kf > 0.5 * lim);
		struct bill *b;

		*vf = *f;
		vf->memory_mb = m;
		vf->duration_p50_ms = f->duration_p50_ms * kf;
		vf->duration_p95_ms = f->duration_p95_ms * kf;
		vf->init_ms = f->init_ms * kf;
		pt->memory_mb = m;
		pt->duration_ms = f->duration_p50_ms * kf;
		if (is_cur) {
			pt->monthly_cost = cur_cost;
			pt->throttle_ratio = cur_thr;
			sw->current = (long)sw->n;
		} else if (unsafe) {
			if (eval(c, v, WHATIF_FUNCTION, i, false, &b, NULL) < 0) {
				whatif_copy_free(v);
				return -1;
			}
			pt->monthly_cost = b->res[k].monthly_cost;
			pt->throttle_ratio = b->res[k].throttle_ratio;
			pt->simulated = true;
			bill_free(b);
		} else {
			struct usage *u = whatif_usage_dup(c->u0);

			reprice_memory(c, i, m, kf, b0, mean0, &u->fn[i]);
			b = bill_price(v, u);
			pt->monthly_cost = b->res[k].monthly_cost;
			pt->throttle_ratio = b->res[k].throttle_ratio;
			bill_free(b);
			usage_free(u);
		}
		sw->n++;
	}
	whatif_copy_free(v);
	/* Choices among points that throttle no more than the target (or
	 * than now, when it is already over). */
	for (g = 0; g < sw->n; g++) {
		const struct memory_point *pt = &sw->points[g];
		double ok = fmax(c->target, cur_thr) + 1e-12;

		if (pt->throttle_ratio > ok)
			continue;
		if (cheap < 0 || pt->monthly_cost < sw->points[cheap].monthly_cost - 1e-9)
			cheap = (long)g;
		if (fast < 0 || pt->duration_ms < sw->points[fast].duration_ms * (1 - 1e-3) ||
		    (pt->duration_ms <= sw->points[fast].duration_ms * (1 + 1e-3) &&
		     pt->monthly_cost < sw->points[fast].monthly_cost - 1e-9))
			fast = (long)g;
		if (pt->monthly_cost <= sw->cost_limit_usd + 1e-9 &&
		    (best < 0 || pt->duration_ms < sw->points[best].duration_ms * (1 - 1e-3) ||
		     (pt->duration_ms <= sw->points[best].duration_ms * (1 + 1e-3) &&
		      pt->monthly_cost < sw->points[best].monthly_cost - 1e-9)))
			best = (long)g;
	}
	sw->cheapest = cheap;
	sw->fastest = fast;
	sw->best = best;
	it = item_add(a, ADVICE_MEMORY, f->name, SVC_LAMBDA);
	it->current_cost = cur_cost;
	it->current_throttle = cur_thr;
	{
		const struct memory_point *cu = sw->current >= 0 ? &sw->points[sw->current] : NULL;
		const struct memory_point *pb = best >= 0 ? &sw->points[best] : NULL;
		const struct memory_point *pc = cheap >= 0 ? &sw->points[cheap] : NULL;
		const struct memory_point *pf = fast >= 0 ? &sw->points[fast] : NULL;
		const struct memory_point *pick = NULL;
		char *detail;

		/* Recommended: the cheapest memory when it is about as fast as now
		 * (slower by no more than the cost limit's share). Otherwise the
		 * trade-offs are shown, not recommended. */
		if (cu && pc && cheap != sw->current && pc->monthly_cost < cu->monthly_cost - 0.005 &&
		    pc->duration_ms <= cu->duration_ms * (1 + c->o->cost_limit) + 1e-9)
			pick = pc;
		else if (cu && pb && best != sw->current && pb->duration_ms < cu->duration_ms * 0.99)
			pick = pb;
		else if (cu && pc && cheap != sw->current && pc->monthly_cost < cu->monthly_cost - 0.005)
			pick = pc;
		detail = xasprintf("Duration model: %.0f%% of the time CPU-bound (faster with more vCPU, "
				   "%.4g vCPU at %.0f MB), the rest fixed. Cheapest %.0f MB ($%.2f, %.4g ms), "
				   "fastest %.0f MB ($%.2f, %.4g ms), best within $%.2f: %.0f MB.",
				   share * 100, fmin(advise_vcpus(f->memory_mb), c->o->cpu_threads),
				   f->memory_mb,
				   pc ? pc->memory_mb : NAN, pc ? pc->monthly_cost : NAN, pc ? pc->duration_ms : NAN,
				   pf ? pf->memory_mb : NAN, pf ? pf->monthly_cost : NAN, pf ? pf->duration_ms : NAN,
				   sw->cost_limit_usd, pb ? pb->memory_mb : NAN);
		if (pick) {
			double kf = advise_duration_factor(share, c->o->cpu_threads, f->memory_mb, pick->memory_mb);
			double ratio = pick->duration_ms / cu->duration_ms;

			it->proposed_cost = pick->monthly_cost;
			it->proposed_throttle = pick->throttle_ratio;
			it->saving = cur_cost - pick->monthly_cost;
			it->actionable = it->saving > 0.005 && ratio <= 1 + c->o->cost_limit + 1e-9;
			if (it->saving > 0.005)
				item_text(it, xasprintf("%.0f MB %s $%.2f/month: median %.4g ms instead of %.4g ms%s.",
							pick->memory_mb, it->actionable ? "saves" : "would save",
							it->saving, pick->duration_ms, cu->duration_ms,
							ratio > 1 + 1e-9 ? xfmt_slower(ratio) : ""),
					  detail, memory_set(f, pick->memory_mb, kf));
			else
				item_text(it, xasprintf("%.0f MB would be %.0f%% faster (median %.4g ms instead of "
							"%.4g ms) for $%.2f/month more.",
							pick->memory_mb, (1 - ratio) * 100, pick->duration_ms,
							cu->duration_ms, -it->saving),
					  detail, memory_set(f, pick->memory_mb, kf));
		} else {
			item_text(it, xasprintf("%.0f MB is already the best memory within the cost limit "
						"($%.2f/month).", f->memory_mb, sw->cost_limit_usd),
				  detail, NULL);
		}
	}
	return 0;
}

/* ---- functions: architecture ------------------------------------------ */

static int fn_arch(struct ctx *c, size_t i)
{
	const struct plan *p = c->p;
	const struct function *f = &p->functions[i];
	size_t k = k_fn(p, i);
	struct plan *v = whatif_copy(p);
	enum arch other = f->arch == ARCH_ARM64 ? ARCH_X86_64 : ARCH_ARM64;
	struct advice_item *it;
	struct bill *b;
	double saving;

	if (c->u0->fn[i].offered == 0 && f->provisioned <= 0) {
		whatif_copy_free(v);
		return 0;
	}
	v->functions[i].arch = other;
	b = bill_price(v, c->u0);
	saving = c->b0->total - b->total;
	it = item_add(c->a, ADVICE_ARCH, f->name, SVC_LAMBDA);
	it->current_cost = c->b0->res[k].monthly_cost;
	it->current_throttle = c->b0->res[k].throttle_ratio;
	it->proposed_cost = b->res[k].monthly_cost;
	it->proposed_throttle = it->current_throttle;
	it->saving = saving;
	it->actionable = saving > 0.005;
	if (it->actionable)
		item_text(it, xasprintf("Move to %s: saves $%.2f/month ($%.2f instead of $%.2f).",
					arch_name(other), saving, it->proposed_cost, it->current_cost),
			  xasprintf("Assumes the same duration on %s; measure it (Graviton is often as fast "
				    "or faster, except for code built for x86).", arch_name(other)),
			  xasprintf("functions.%s.arch=%s", f->name, arch_name(other)));
	else
		item_text(it, xasprintf("%s is the cheaper architecture (%s would cost $%.2f/month more).",
					arch_name(f->arch), arch_name(other), -saving),
			  NULL, NULL);
	bill_free(b);
	whatif_copy_free(v);
	return 0;
}

/* ---- functions: provisioned concurrency -------------------------------- */

/* Effective on-demand duration price of function i in the baseline bill. */
static double od_price(const struct ctx *c, size_t i)
{
	const struct bill_resource *r = &c->b0->res[k_fn(c->p, i)];
	size_t j;

	for (j = 0; j < r->nitems; j++)
		if (strcmp(r->items[j].component, "duration") == 0)
			return r->items[j].unit_price;
	return c->p->model->lambda.duration[c->p->functions[i].arch].t[0].price;
}

/* " (cold starts: N a month instead of M)" when they differ (static
 * buffer: use at once). */
static const char *cold_note(uint64_t now, uint64_t before)
{
	static char buf[96];

	if (now == before)
		return "";
	snprintf(buf, sizeof buf, " (cold starts: %llu a month instead of %llu)",
		 (unsigned long long)now, (unsigned long long)before);
	return buf;
}

static int fn_provisioned(struct ctx *c, size_t i)
{
	const struct plan *p = c->p;
	const struct function *f = &p->functions[i];
	const struct fn_usage *fu = &c->u0->fn[i];
	const struct lambda_model *L = &p->model->lambda;
	const struct series *s = whatif_fn_series(c->w, i);
	double od = od_price(c, i), pc = L->pc_gb_second[f->arch], pcd = L->pc_duration_gb_second[f->arch];
	double ustar = od > pcd ? pc / (od - pcd) : INFINITY, util = NAN;
	double nstar = 0;
	size_t k = k_fn(p, i);
	struct advice_item *it;
	char *detail;

	if (fu->offered == 0 && f->provisioned <= 0)
		return 0;
	if (f->provisioned > 0 && fu->pc_mb_s > 0)
		util = (double)fu->pc_mb_ms / 1000.0 / (double)fu->pc_mb_s;
	/* The n-th environment kept warm is busy a share
	 * mean(clamp(c_t - (n - 1), 0, 1)) of the seconds it is enabled: keep
	 * those above the break-even. */
	if (s && s->v[SER_CONCURRENCY] && isfinite(ustar)) {
		size_t t, act = 0;
		double n;

		for (t = 0; t < s->n; t++)
			act += f->provisioned <= 0 || schedule_active_at(&f->pc_sched, (double)t * s->step_s);
		for (n = 1; act > 0 && n <= 100000; n++) {
			double busy = 0;

			for (t = 0; t < s->n; t++)
				if (f->provisioned <= 0 || schedule_active_at(&f->pc_sched, (double)t * s->step_s))
					busy += fmin(1, fmax(0, s->v[SER_CONCURRENCY][t] - (n - 1)));
			if (busy / (double)act < ustar)
				break;
			nstar = n;
		}
	}
	it = item_add(c->a, ADVICE_PROVISIONED, f->name, SVC_LAMBDA);
	it->current_cost = c->b0->res[k].monthly_cost;
	it->current_throttle = c->b0->res[k].throttle_ratio;
	detail = xasprintf("Break-even utilisation %.1f%%: a provisioned environment costs $%.10g per "
			   "GB-s enabled plus $%.10g per GB-s busy, against $%.10g per GB-s on demand, "
			   "so it is cheaper when busy more than %.1f%% of the time it is enabled.%s",
			   ustar * 100, pc, pcd, od, ustar * 100,
			   isnan(util) ? "" : " (Cold starts avoided are not priced.)");
	if (fabs(nstar - fmax(f->provisioned, 0)) >= 1) {
		struct plan *v = whatif_copy(p);
		struct bill *b;
		struct usage *u;

		v->functions[i].provisioned = nstar;
		if (v->functions[i].reserved >= 0 && v->functions[i].reserved < nstar)
			v->functions[i].reserved = nstar;
		if (eval(c, v, WHATIF_FUNCTION, i, false, &b, &u) < 0) {
			whatif_copy_free(v);
			free(detail);
			return -1;
		}
		it->proposed_cost = b->res[k].monthly_cost;
		it->proposed_throttle = b->res[k].throttle_ratio;
		it->saving = c->b0->total - b->total;
		it->actionable = it->saving > 0.005 && it->proposed_throttle <= fmax(c->target, it->current_throttle);
		if (it->actionable)
			item_text(it, nstar > 0 ?
				  xasprintf("Set provisioned concurrency to %.0f%s: saves $%.2f/month%s.", nstar,
					    f->provisioned > 0 ? "" : " (always on)", it->saving,
					    cold_note(u->fn[i].cold_starts, fu->cold_starts)) :
				  xasprintf("Remove provisioned concurrency (%.0f, %.2g%% utilised): saves "
					    "$%.2f/month%s.", f->provisioned, util * 100, it->saving,
					    cold_note(u->fn[i].cold_starts, fu->cold_starts)),
				  detail, xasprintf("functions.%s.provisioned_concurrency=%.0f", f->name, nstar));
		else
			item_text(it, xasprintf("Provisioned concurrency %.0f would not pay (break-even %.1f%% "
						"utilisation).", nstar > 0 ? nstar : f->provisioned, ustar * 100),
				  detail, NULL);
		bill_free(b);
		usage_free(u);
		whatif_copy_free(v);
	} else if (f->provisioned > 0) {
		item_text(it, xasprintf("Provisioned concurrency %.0f pays for itself (%.1f%% utilised, "
					"break-even %.1f%%).", f->provisioned, util * 100, ustar * 100),
			  detail, NULL);
	} else {
		item_text(it, xasprintf("Provisioned concurrency would not pay: no environment is busy "
					"%.1f%% of the time.", ustar * 100),
			  detail, NULL);
	}
	return 0;
}

/* ---- functions: reserved concurrency ------------------------------------ */

struct load_group {
	double a;	/* offered load, erlangs */
	double lambda;	/* arrivals per second, summed over the seconds of the group */
};

static int cmp_group(const void *x, const void *y)
{
	double a = ((const struct load_group *)x)->a, b = ((const struct load_group *)y)->a;

	return a < b ? -1 : a > b;
}

/* Throttle ratio with c servers for the load groups: Erlang B per second
 * for Poisson arrivals, the fluid excess for uniform ones. */
static double loss_ratio(const struct load_group *g, size_t n, double c, bool poisson)
{
	double thr = 0, tot = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double b = poisson ? stats_erlang_b(g[i].a, c) : (g[i].a > c ? (g[i].a - c) / g[i].a : 0);

		thr += g[i].lambda * b;
		tot += g[i].lambda;
	}
	return tot > 0 ? thr / tot : 0;
}

static int fn_reserved(struct ctx *c, size_t i)
{
	const struct plan *p = c->p;
	const struct function *f = &p->functions[i];
	const struct fn_usage *fu = &c->u0->fn[i];
	const struct lambda_model *L = &p->model->lambda;
	const struct series *s = whatif_fn_series(c->w, i);
	struct duration_dist d = fn_dist(f, 1);
	double E = stats_mean_ms(&d) / 1000, peak_rps = 0, others = 0, lo, hi, cmax, ratio = NAN;
	struct load_group *g;
	size_t n = 0, t, j, k = k_fn(p, i);
	struct advice_item *it;
	int tries;

	if (fu->offered == 0 || !s || !s->v[SER_OFFERED])
		return 0;
	g = xcalloc(s->n + 1, sizeof *g);
	for (t = 0; t < s->n; t++) {
		double lam = s->v[SER_OFFERED][t] / s->step_s;

		if (lam <= 0)
			continue;
		peak_rps = fmax(peak_rps, lam);
		g[n].a = round(lam * E * 1000) / 1000;
		g[n].lambda = lam;
		n++;
	}
	qsort(g, n, sizeof *g, cmp_group);
	for (t = 0, j = 0; t < n; t++) {
		if (j > 0 && g[j - 1].a == g[t].a)
			g[j - 1].lambda += g[t].lambda;
		else
			g[j++] = g[t];
	}
	n = j;
	for (j = 0; j < p->nfunctions; j++)
		if (j != i && p->functions[j].reserved >= 0)
			others += p->functions[j].reserved;
	cmax = floor(p->lambda_concurrency - L->unreserved_min - others);
	lo = fmax(1, fmax(ceil(peak_rps / L->rps_per_concurrency - 1e-9), ceil(f->provisioned)));
	if (cmax < lo)
		cmax = lo;
	/* Smallest c with the estimated ratio under the target. */
	hi = lo;
	while (hi < cmax && loss_ratio(g, n, hi, L->arrivals == ARRIVALS_POISSON) > c->target)
		hi = fmin(cmax, hi * 2);
	lo -= 1;
	while (hi - lo > 1) {
		double mid = floor((lo + hi) / 2);

		if (loss_ratio(g, n, mid, L->arrivals == ARRIVALS_POISSON) > c->target)
			lo = mid;
		else
			hi = mid;
	}
	free(g);
	/* Check it by simulation (the estimate ignores scale-up and smoothing). */
	for (tries = 0; tries < 3; tries++) {
		struct plan *v = whatif_copy(p);
		struct bill *b;

		v->functions[i].reserved = hi;
		if (eval(c, v, WHATIF_FUNCTION, i, true, &b, NULL) < 0) {
			whatif_copy_free(v);
			return -1;
		}
		ratio = b->res[k].throttle_ratio;
		bill_free(b);
		whatif_copy_free(v);
		if (ratio <= c->target || hi >= cmax)
			break;
		hi = fmin(cmax, ceil(hi * 1.1) + 1);
	}
	it = item_add(c->a, ADVICE_RESERVED, f->name, SVC_LAMBDA);
	it->current_cost = c->b0->res[k].monthly_cost;
	it->current_throttle = c->b0->res[k].throttle_ratio;
	it->proposed_throttle = ratio;
	{
		char *tnow = pct(it->current_throttle), *tnew = pct(ratio), *tt = pct(c->target);
		char *detail = xasprintf("Estimated from the baseline's offered load per second (%s) and "
					 "checked by simulation; peak concurrency %.3g, peak %.4g requests/s.",
					 L->arrivals == ARRIVALS_POISSON ? "Erlang B, Poisson arrivals"
									 : "fluid excess",
					 fu->peak_concurrency, peak_rps);

		if (ratio > c->target) {
			item_text(it, xasprintf("Reserved concurrency alone cannot keep throttling under %s "
						"(%.0f gives %s): the binding limit is elsewhere.", tt, hi, tnew),
				  detail, NULL);
		} else if (it->current_throttle > c->target) {
			it->actionable = true;
			it->proposed_cost = NAN;
			item_text(it, xasprintf("Set reserved concurrency to %.0f: throttling %s instead of %s.",
						hi, tnew, tnow),
				  detail, xasprintf("functions.%s.reserved_concurrency=%.0f", f->name, hi));
		} else if (f->reserved >= 0 && f->reserved > hi) {
			item_text(it, xasprintf("Reserved concurrency %.0f is more than needed: %.0f keeps "
						"throttling at %s and frees %.0f for other functions.",
						f->reserved, hi, tnew, f->reserved - hi),
				  detail, xasprintf("functions.%s.reserved_concurrency=%.0f", f->name, hi));
		} else {
			item_text(it, xasprintf("Needs %.0f concurrent executions to keep throttling under %s "
						"(%s at %.0f)%s.", hi, tt, tnew, hi,
						f->reserved >= 0 ? "" : "; reserve them to be safe from other functions"),
				  detail, NULL);
		}
		free(tnow);
		free(tnew);
		free(tt);
	}
	return 0;
}

/* ---- tables ----------------------------------------------------------- */

/* Throttled share of demand d (units per series bucket) for a fixed
 * capacity P with a token-bucket burst pool of burst_s x P, in the
 * periodic steady state: the window repeats (as the monthly projection
 * assumes), so the pool starts where the previous window left it. A flat
 * load above P drains the pool once and never refills it. */
static double bucket_ratio(const float *d, size_t n, double step, double P, double burst_s)
{
	double B = burst_s * P, thr = 0, tot = 0, start;
	size_t i;
	int pass;

	for (pass = 0; pass < 200; pass++) {
		start = B;
		thr = tot = 0;
		for (i = 0; i < n; i++) {
			double x = d[i] / step, sv;
			size_t k;

			for (k = 0; k < (size_t)step; k++) {
				sv = fmin(x, P + B);
				thr += x - sv;
				tot += x;
				B = fmin(burst_s * P, fmax(0, B + P - sv));
			}
		}
		if (fabs(B - start) <= 1e-9 * (1 + burst_s * P))
			break;
	}
	return tot > 0 ? thr / tot : 0;
}

/* Smallest whole capacity with bucket_ratio under the target. */
static double smallest_units(const float *d, size_t n, double step, double burst_s, double target,
			     double min_units)
{
	double peak = 0, lo, hi;
	size_t i;

	if (!d)
		return min_units;
	for (i = 0; i < n; i++)
		peak = fmax(peak, d[i] / step);
	hi = fmax(min_units, ceil(peak));
	lo = min_units - 1;
	while (hi - lo > 1) {
		double mid = floor((lo + hi) / 2);

		if (bucket_ratio(d, n, step, mid, burst_s) > target)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* Resets table *dst of a plan copy to 'src', keeping the copy's GSI array. */
static void reset_table(struct table *dst, const struct table *src)
{
	struct gsi *g = dst->gsis;

	*dst = *src;
	dst->gsis = g;
	if (src->ngsis)
		memcpy(g, src->gsis, src->ngsis * sizeof *g);
}

static void set_fixed(struct table *t, double rcu, double wcu)
{
	size_t g;

	t->mode = MODE_PROVISIONED;
	t->autoscaling.on = false;
	t->rcu = rcu;
	t->wcu = wcu;
	for (g = 0; g < t->ngsis; g++)
		t->gsis[g].autoscaling.on = false;
}

/* GSI capacity for a table switched to provisioned: the index's baseline
 * average times the base table's peak-to-average ratio. */
static void gsi_from_usage(const struct ctx *c, size_t ti, struct table *t, double rpeak, double wpeak)
{
	const struct table_usage *tu = &c->u0->table[ti];
	double W = c->u0->window_s, ravg = (double)tu->read_half_units / 2 / W, wavg = (double)tu->write_units / W;
	double min = c->p->model->dynamo.min_units;
	size_t g;

	for (g = 0; g < t->ngsis; g++) {
		double gr = (double)tu->gsis[g].read_half_units / 2 / W, gw = (double)tu->gsis[g].write_units / W;

		if (t->gsis[g].rcu <= 0)
			t->gsis[g].rcu = fmax(min, ceil(gr * (ravg > 0 ? rpeak / ravg : 1) * 1.1));
		if (t->gsis[g].wcu <= 0)
			t->gsis[g].wcu = fmax(min, ceil(gw * (wavg > 0 ? wpeak / wavg : 1) * 1.1));
	}
}

static int table_row(struct ctx *c, struct table_modes *tm, size_t ti, const struct plan *v,
		     enum table_option opt, char *label)
{
	struct table_option_row *r = &tm->rows[tm->n];
	struct bill *b;
	struct usage *u;
	size_t k = k_table(c->p, ti);

	if (eval(c, v, WHATIF_TABLE, ti, false, &b, &u) < 0) {
		free(label);
		return -1;
	}
	r->option = opt;
	r->label = label;
	r->rcu = v->tables[ti].mode == MODE_ON_DEMAND ? NAN : v->tables[ti].rcu;
	r->wcu = v->tables[ti].mode == MODE_ON_DEMAND ? NAN : v->tables[ti].wcu;
	r->monthly_cost = b->res[k].monthly_cost;
	r->throttle_ratio = b->res[k].throttle_ratio;
	r->limit = limit_binding(u->table[ti].throttled_by);
	tm->n++;
	bill_free(b);
	usage_free(u);
	return 0;
}

static char *set_for(const struct table *t, const struct table_option_row *r)
{
	switch (r->option) {
	case TABLE_ON_DEMAND:
		return xasprintf("tables.%s.mode=on_demand", t->name);
	case TABLE_PROVISIONED:
	case TABLE_SMALLEST:
		if (t->autoscaling.on)
			return NULL;	/* --set cannot remove a key: see the detail */
		return xasprintf("tables.%s.mode=provisioned tables.%s.rcu=%.0f tables.%s.wcu=%.0f",
				 t->name, t->name, r->rcu, t->name, r->wcu);
	case TABLE_AUTOSCALING:
		return xasprintf("tables.%s.mode=provisioned tables.%s.rcu=%.0f tables.%s.wcu=%.0f "
				 "tables.%s.autoscaling={min: 5, max: 40000, target: 70%%}",
				 t->name, t->name, r->rcu, t->name, r->wcu, t->name);
	case TABLE_AS_PLANNED:
	default:
		return NULL;
	}
}

static int do_table(struct ctx *c, size_t ti)
{
	const struct plan *p = c->p;
	const struct table *t = &p->tables[ti];
	const struct dynamo_model *D = &p->model->dynamo;
	const struct table_usage *tu = &c->u0->table[ti];
	const struct series *s = whatif_table_series(c->w, ti);
	size_t k = k_table(p, ti), r, bestr = 0;
	struct table_modes *tm;
	struct plan *v;
	double sr, sw, rpeak = 0, wpeak = 0, step = s ? s->step_s : 1;
	struct advice_item *it;
	int tries;

	c->a->tables = xrealloc(c->a->tables, (c->a->ntables + 1) * sizeof *c->a->tables);
	tm = &c->a->tables[c->a->ntables++];
	memset(tm, 0, sizeof *tm);
	tm->table = xstrdup(t->name);
	tm->smallest_rcu = tm->smallest_wcu = NAN;
	/* As planned. */
	tm->rows[0].option = TABLE_AS_PLANNED;
	tm->rows[0].label = t->mode == MODE_ON_DEMAND ? xstrdup("as planned: on-demand") :
		t->autoscaling.on ? xasprintf("as planned: auto scaling %.0f-%.0f units at %.0f%%",
					      t->autoscaling.min, t->autoscaling.max, t->autoscaling.target * 100) :
		xasprintf("as planned: provisioned %.0f RCU / %.0f WCU", t->rcu, t->wcu);
	tm->rows[0].rcu = t->mode == MODE_ON_DEMAND ? NAN : t->rcu;
	tm->rows[0].wcu = t->mode == MODE_ON_DEMAND ? NAN : t->wcu;
	tm->rows[0].monthly_cost = c->b0->res[k].monthly_cost;
	tm->rows[0].throttle_ratio = c->b0->res[k].throttle_ratio;
	tm->rows[0].limit = limit_binding(tu->throttled_by);
	tm->n = 1;
	/* Smallest fixed capacity: token-bucket estimate from the baseline's
	 * consumed units per second, then simulated and raised while it
	 * throttles for want of capacity. */
	if (s) {
		size_t i;

		for (i = 0; i < s->n; i++) {
			if (s->v[SER_READ_CONSUMED])
				rpeak = fmax(rpeak, s->v[SER_READ_CONSUMED][i] / step);
			if (s->v[SER_WRITE_CONSUMED])
				wpeak = fmax(wpeak, s->v[SER_WRITE_CONSUMED][i] / step);
		}
	}
	sr = s ? smallest_units(s->v[SER_READ_CONSUMED], s->n, step, D->burst_s * D->burst_availability,
				c->target, D->min_units) : fmax(D->min_units, t->rcu);
	sw = s ? smallest_units(s->v[SER_WRITE_CONSUMED], s->n, step, D->burst_s * D->burst_availability,
				c->target, D->min_units) : fmax(D->min_units, t->wcu);
	v = whatif_copy(p);
	for (tries = 0; tries < 4; tries++) {
		enum limit_kind lim;

		reset_table(&v->tables[ti], t);
		set_fixed(&v->tables[ti], sr, sw);
		if (t->mode == MODE_ON_DEMAND)
			gsi_from_usage(c, ti, &v->tables[ti], rpeak, wpeak);
		if (table_row(c, tm, ti, v, TABLE_SMALLEST,
			      xasprintf("smallest fixed: %.0f RCU / %.0f WCU", sr, sw)) < 0)
			goto fail;
		lim = tm->rows[tm->n - 1].limit;
		if (tm->rows[tm->n - 1].throttle_ratio <= c->target) {
			tm->smallest_rcu = sr;
			tm->smallest_wcu = sw;
			break;
		}
		tm->smallest_limit = lim;
		if (lim != LIMIT_DDB_CAPACITY || tries == 3) {
			/* Capacity does not help (hot key, GSI, quota): keep the
			 * row, flagged by its ratio and limit. */
			break;
		}
		free(tm->rows[--tm->n].label);
		sr = ceil(sr * 1.1) + 1;
		sw = ceil(sw * 1.1) + 1;
	}
	/* Whole-mode alternatives. */
	if (t->mode == MODE_PROVISIONED) {
		reset_table(&v->tables[ti], t);
		v->tables[ti].mode = MODE_ON_DEMAND;
		if (table_row(c, tm, ti, v, TABLE_ON_DEMAND, xstrdup("on-demand")) < 0)
			goto fail;
		if (t->autoscaling.on) {
			reset_table(&v->tables[ti], t);
			set_fixed(&v->tables[ti], t->rcu, t->wcu);
			if (table_row(c, tm, ti, v, TABLE_PROVISIONED,
				      xasprintf("provisioned %.0f RCU / %.0f WCU, no auto scaling",
						t->rcu, t->wcu)) < 0)
				goto fail;
		}
	}
	if (!t->autoscaling.on) {
		size_t g;

		reset_table(&v->tables[ti], t);
		if (t->mode == MODE_ON_DEMAND) {
			set_fixed(&v->tables[ti], isnan(tm->smallest_rcu) ? sr : tm->smallest_rcu,
				  isnan(tm->smallest_wcu) ? sw : tm->smallest_wcu);
			gsi_from_usage(c, ti, &v->tables[ti], rpeak, wpeak);
		}
		v->tables[ti].autoscaling.on = true;
		v->tables[ti].autoscaling.min = fmax(D->min_units, 5);
		v->tables[ti].autoscaling.max = fmin(D->table_max_rcu, D->table_max_wcu);
		v->tables[ti].autoscaling.target = 0.7;
		for (g = 0; g < t->ngsis; g++)
			if (!v->tables[ti].gsis[g].autoscaling.on)
				v->tables[ti].gsis[g].autoscaling = v->tables[ti].autoscaling;
		if (table_row(c, tm, ti, v, TABLE_AUTOSCALING,
			      xstrdup("auto scaling 5-40000 units at 70%")) < 0)
			goto fail;
	}
	whatif_copy_free(v);
	v = NULL;
	/* The cheapest option under the target (or the least throttled). */
	for (r = 1; r < tm->n; r++) {
		const struct table_option_row *x = &tm->rows[r], *y = &tm->rows[bestr];
		bool xok = x->throttle_ratio <= c->target, yok = y->throttle_ratio <= c->target;

		if ((xok && !yok) || (xok == yok && (xok ? x->monthly_cost < y->monthly_cost - 0.005
							 : x->throttle_ratio < y->throttle_ratio)))
			bestr = r;
	}
	it = item_add(c->a, ADVICE_TABLE_MODE, t->name, SVC_DYNAMODB);
	it->current_cost = tm->rows[0].monthly_cost;
	it->current_throttle = tm->rows[0].throttle_ratio;
	if (bestr != 0) {
		const struct table_option_row *x = &tm->rows[bestr];
		char *tn = pct(x->throttle_ratio), *grow = NULL;
		double g = !isnan(c->o->growth) ? c->o->growth : p->growth_per_month;

		it->proposed_cost = x->monthly_cost;
		it->proposed_throttle = x->throttle_ratio;
		it->saving = it->current_cost - x->monthly_cost;
		it->actionable = true;
		if (g > 0 && (x->option == TABLE_SMALLEST || x->option == TABLE_PROVISIONED)) {
			double f = pow(1 + g, c->o->months > 1 ? c->o->months - 1 : 1);
			char *gp = pct(g);

			grow = xasprintf(" Fixed capacity is sized for today's traffic: at %s/month, month %d "
					 "needs about %.0f RCU / %.0f WCU.", gp, c->o->months > 1 ? c->o->months : 2,
					 ceil(x->rcu * f), ceil(x->wcu * f));
			free(gp);
		}
		item_text(it, xasprintf("Use %s: $%.2f/month instead of $%.2f, throttling %s.%s", x->label,
					x->monthly_cost, it->current_cost, tn, grow ? grow : ""),
			  t->autoscaling.on && (x->option == TABLE_PROVISIONED || x->option == TABLE_SMALLEST) ?
			  xasprintf("Remove the autoscaling key of table %s and set rcu: %.0f, wcu: %.0f%s. Each "
				    "option was simulated over the same traffic (the table alone, fed with the "
				    "operations it received).", t->name, x->rcu, x->wcu,
				    t->ngsis ? " (GSIs as planned, without auto scaling)" : "") :
			  xstrdup("Each option was simulated over the same traffic (the table alone, fed "
				  "with the operations it received)."), set_for(t, x));
		free(tn);
		free(grow);
	} else if (tm->rows[0].throttle_ratio <= c->target) {
		item_text(it, xasprintf("The table as planned is the cheapest option under the throttle "
					"target ($%.2f/month).", it->current_cost),
			  NULL, NULL);
	} else {
		/* Nothing meets the target (a hot key, say): the plan throttles
		 * least, but it is not "under the target". */
		char *tn = pct(tm->rows[0].throttle_ratio);

		item_text(it, xasprintf("No capacity mode keeps throttling under the target; the table as "
					"planned throttles least (%s, $%.2f/month).", tn, it->current_cost),
			  NULL, NULL);
		free(tn);
	}
	/* Smallest capacity, for the record. */
	it = item_add(c->a, ADVICE_TABLE_CAPACITY, t->name, SVC_DYNAMODB);
	it->current_cost = tm->rows[0].monthly_cost;
	it->current_throttle = tm->rows[0].throttle_ratio;
	if (!isnan(tm->smallest_rcu)) {
		item_text(it, xasprintf("Smallest fixed capacity under the target: %.0f RCU / %.0f WCU "
					"(peaks %.4g / %.4g units/s, the burst pool covering the rest).",
					tm->smallest_rcu, tm->smallest_wcu, rpeak, wpeak),
			  xstrdup("Found on the baseline's demand per second with the burst pool in its "
				  "periodic steady state (the window repeating), then simulated."), NULL);
	} else {
		item_text(it, xasprintf("No fixed capacity keeps throttling under the target: %s binds.",
					limit_kind_name(tm->smallest_limit)),
			  NULL, NULL);
	}
	if (tu->throttled_by[LIMIT_DDB_PARTITION] > 0) {
		char *share = pct((double)tu->throttled_by[LIMIT_DDB_PARTITION] / fmax(1, (double)tu->offered));

		it = item_add(c->a, ADVICE_HOT_KEY, t->name, SVC_DYNAMODB);
		it->current_cost = tm->rows[0].monthly_cost;
		it->current_throttle = tm->rows[0].throttle_ratio;
		it->actionable = true;
		item_text(it, xasprintf("Hot key: a partition's cap throttles %s of operations; no capacity "
					"setting fixes it.", share),
			  xasprintf("The hottest key takes %.3g%% of the traffic and one partition serves at "
				    "most %.0f RCU / %.0f WCU. Spread the key (write sharding), cache its reads, "
				    "or lower its share.", t->hot_key_share * 100, D->partition_rcu,
				    D->partition_wcu), NULL);
		free(share);
	}
	return 0;
fail:
	whatif_copy_free(v);
	return -1;
}

/* ---- APIs ----------------------------------------------------------- */

static uint64_t http_metered_per(const struct api *a, const struct model *m)
{
	double kb = a->request_kb + a->response_kb, step = m->apigw.http_metering_kb;

	if (kb <= step || step <= 0)
		return 1;
	return (uint64_t)ceil(kb / step - 1e-9);
}

/* Re-prices API i of 'u' as 'type' (REST: one unit per request). */
static void api_as(const struct plan *p, struct usage *u, size_t i, enum api_type type)
{
	struct api_usage *x = &u->api[i];
	uint64_t per = type == API_HTTP ? http_metered_per(&p->apis[i], p->model) : 1;

	x->metered = (p->model->apigw.throttled_billed ? x->offered : x->admitted) * per;
	if (type == API_HTTP)
		x->cache_hours = 0;
}

static bool is_get(const struct route *r)
{
	return strncmp(r->route, "GET ", 4) == 0;
}

static int do_api(struct ctx *c, size_t i)
{
	const struct plan *p = c->p;
	const struct api *ap = &p->apis[i];
	const struct apigw_model *A = &p->model->apigw;
	struct api_compare *ac;
	struct plan *v = NULL;
	struct usage *u = NULL, *uh = NULL;
	struct bill *b = NULL;
	struct advice_item *it;
	double backend_now = c->b0->total - c->b0->res[i].monthly_cost, backend0 = backend_now;
	size_t j, ngets = 0;
	int rc = -1;

	if (ap->type == API_WEBSOCKET)
		return 0;
	for (j = 0; j < ap->nroutes; j++)
		ngets += is_get(&ap->routes[j]);
	c->a->apis = xrealloc(c->a->apis, (c->a->napis + 1) * sizeof *c->a->apis);
	ac = &c->a->apis[c->a->napis++];
	memset(ac, 0, sizeof *ac);
	ac->api = xstrdup(ap->name);
	ac->type = ap->type;
	ac->cost_now = c->b0->res[i].monthly_cost;
	ac->hit_ratio = ap->has_cache ? ap->cache_hit_ratio : NAN;
	ac->total_rest = ac->total_http = NAN;
	v = whatif_copy(p);
	if (ap->type == API_REST) {
		/* REST without a cache: simulated when the cache changes the
		 * backends' traffic. */
		v->apis[i].has_cache = false;
		for (j = 0; j < ap->nroutes; j++)
			v->apis[i].routes[j].cacheable = false;
		if (ap->has_cache) {
			if (eval(c, v, WHATIF_ALL, 0, false, &b, &u) < 0)
				goto done;
			ac->total_rest = b->total;
			ac->cost_rest = b->res[i].monthly_cost;
			backend0 = b->total - b->res[i].monthly_cost;
			ac->backend_per_hit = ap->cache_hit_ratio > 0 ? (backend0 - backend_now) / ap->cache_hit_ratio : 0;
			bill_free(b);
			b = NULL;
		} else {
			u = whatif_usage_dup(c->u0);
			ac->total_rest = c->b0->total;
			ac->cost_rest = ac->cost_now;
			if (ngets && A->ncache > 0) {
				struct plan *vc = whatif_copy(p);

				vc->apis[i].has_cache = true;
				vc->apis[i].cache_size_gb = A->cache[0].size_gb;
				vc->apis[i].cache_hit_ratio = 0.5;
				for (j = 0; j < ap->nroutes; j++)
					vc->apis[i].routes[j].cacheable = is_get(&ap->routes[j]);
				if (eval(c, vc, WHATIF_ALL, 0, false, &b, NULL) < 0) {
					whatif_copy_free(vc);
					goto done;
				}
				ac->backend_per_hit = (backend_now - (b->total - b->res[i].monthly_cost)) / 0.5;
				bill_free(b);
				b = NULL;
				whatif_copy_free(vc);
			}
		}
		/* The same traffic through an HTTP API. */
		v->apis[i].type = API_HTTP;
		uh = whatif_usage_dup(u);
		api_as(v, uh, i, API_HTTP);
		b = bill_price(v, uh);
		ac->total_http = b->total;
		ac->cost_http = b->res[i].monthly_cost;
		bill_free(b);
		b = NULL;
	} else {
		v->apis[i].type = API_REST;
		uh = whatif_usage_dup(c->u0);
		api_as(v, uh, i, API_REST);
		b = bill_price(v, uh);
		ac->total_rest = b->total;
		ac->cost_rest = b->res[i].monthly_cost;
		ac->total_http = c->b0->total;
		ac->cost_http = ac->cost_now;
		bill_free(b);
		b = NULL;
	}
	/* REST vs HTTP. */
	it = item_add(c->a, ADVICE_API_TYPE, ap->name, SVC_APIGATEWAY);
	it->current_cost = ac->cost_now;
	it->current_throttle = c->b0->res[i].throttle_ratio;
	if (ap->type == API_REST) {
		it->proposed_cost = ac->cost_http;
		it->proposed_throttle = it->current_throttle;
		it->saving = c->b0->total - ac->total_http;
		it->actionable = it->saving > 0.005;
		item_text(it, it->actionable ?
			  xasprintf("Use an HTTP API: saves $%.2f/month ($%.2f instead of $%.2f for the API%s).",
				    it->saving, ac->cost_http, ac->cost_now,
				    ap->has_cache ? ", backends taking the cache's hits" : "") :
			  xasprintf("An HTTP API would not be cheaper (plan total $%.2f instead of $%.2f).",
				    ac->total_http, c->b0->total),
			  xstrdup("HTTP APIs lack REST-only features: caching, usage plans and API keys, "
				  "request validation, AWS WAF, private endpoints, edge-optimised endpoints."),
			  it->actionable ? xasprintf("apis.%s.type=http", ap->name) : NULL);
	} else {
		item_text(it, xasprintf("HTTP is the cheaper API type (REST would cost $%.2f/month more).",
					ac->total_rest - c->b0->total),
			  NULL, NULL);
	}
	/* Cache break-even (REST with GET routes). */
	if (ap->type == API_REST && ngets) {
		double hourly_now = 0;

		ac->ncache = (size_t)A->ncache;
		for (j = 0; j < ac->ncache; j++) {
			ac->cache_gb[j] = A->cache[j].size_gb;
			ac->cache_monthly[j] = A->cache[j].hourly * HOURS_PER_MONTH;
			ac->break_even[j] = ac->backend_per_hit > 0 ? ac->cache_monthly[j] / ac->backend_per_hit
								    : INFINITY;
			if (ap->has_cache && fabs(A->cache[j].size_gb - ap->cache_size_gb) < 1e-9)
				hourly_now = A->cache[j].hourly;
		}
		it = item_add(c->a, ADVICE_CACHE, ap->name, SVC_APIGATEWAY);
		it->current_cost = ac->cost_now;
		it->current_throttle = c->b0->res[i].throttle_ratio;
		if (ap->has_cache) {
			double monthly = hourly_now * HOURS_PER_MONTH, be = ac->backend_per_hit > 0 ?
				monthly / ac->backend_per_hit : INFINITY;
			char *h = pct(ap->cache_hit_ratio), *bp = isfinite(be) ? pct(be) : xstrdup("never");

			if (ac->total_rest < c->b0->total - 0.005) {
				it->actionable = true;
				it->proposed_cost = ac->cost_rest;
				it->proposed_throttle = it->current_throttle;
				it->saving = c->b0->total - ac->total_rest;
				item_text(it, xasprintf("Remove the %.3g GB cache: it costs $%.2f/month but saves the "
							"backends only $%.2f at %s hits (break-even %s).",
							ap->cache_size_gb, monthly, ap->cache_hit_ratio * ac->backend_per_hit,
							h, bp),
					  NULL, NULL);
			} else {
				item_text(it, xasprintf("The %.3g GB cache pays: $%.2f/month against $%.2f saved in "
							"the backends at %s hits (break-even %s).",
							ap->cache_size_gb, monthly,
							ap->cache_hit_ratio * ac->backend_per_hit, h, bp),
					  NULL, NULL);
			}
			free(h);
			free(bp);
		} else {
			char *bp = ac->ncache && isfinite(ac->break_even[0]) ? pct(ac->break_even[0]) : xstrdup("never");

			item_text(it, xasprintf("A %.3g GB cache ($%.2f/month) would pay above %s hits "
						"(backends save $%.2f/month per 10%% of hits).",
						ac->ncache ? ac->cache_gb[0] : 0, ac->ncache ? ac->cache_monthly[0] : 0, bp,
						ac->backend_per_hit / 10),
				  NULL, NULL);
			free(bp);
		}
	}
	rc = 0;
done:
	usage_free(u);
	usage_free(uh);
	bill_free(b);
	whatif_copy_free(v);
	return rc;
}

/* ---- headroom, growth, projection, Monte Carlo ---------------------------- */

static void headroom_items(struct ctx *c)
{
	const struct headroom *h = &c->a->headroom;
	struct advice_item *it;
	size_t k;

	it = item_add(c->a, ADVICE_HEADROOM, "", SVC_LAMBDA);
	it->current_cost = c->b0->total;
	it->current_throttle = 0;
	if (h->first >= 0) {
		const struct headroom_row *r = &h->rows[h->first];
		char *tt = pct(h->target);

		it->actionable = r->scale <= 1;
		item_text(it, r->scale <= 1 ?
			  xasprintf("Already over the target: %s throttles more than %s of requests as planned "
				    "(%s binds).", r->resource, tt, limit_kind_name(r->limit)) :
			  xasprintf("First limit: %s (%s) at %.3gx today's traffic.", r->resource,
				    limit_kind_name(r->limit), r->scale),
			  xasprintf("Each resource was scaled alone, its upstream unthrottled, until its "
				    "throttle ratio passed %s; bisection to %.0f%%.", tt, h->tolerance * 100),
			  NULL);
		free(tt);
	} else {
		item_text(it, xasprintf("No resource throttles above the target up to %.4gx today's traffic.",
					h->max_scale),
			  NULL, NULL);
	}
	for (k = 0; k < h->n; k++)
		if (h->rows[k].limit == LIMIT_DDB_PARTITION && h->rows[k].scale < INFINITY &&
		    k >= c->p->napis + c->p->nfunctions &&
		    c->p->tables[k - c->p->napis - c->p->nfunctions].hot_key_share > 0 &&
		    c->u0->table[k - c->p->napis - c->p->nfunctions].throttled_by[LIMIT_DDB_PARTITION] == 0) {
			it = item_add(c->a, ADVICE_HOT_KEY, h->rows[k].resource, SVC_DYNAMODB);
			it->current_cost = c->b0->res[k].monthly_cost;
			it->current_throttle = c->b0->res[k].throttle_ratio;
			item_text(it, xasprintf("At %.3gx traffic the hot key's partition cap binds first: more "
						"capacity will not help then.", h->rows[k].scale),
				  NULL, NULL);
		}
}

static void growth_item(struct ctx *c)
{
	const struct projection *pr = &c->a->projection;
	struct advice_item *it = item_add(c->a, ADVICE_GROWTH, "", SVC_LAMBDA);
	char *g = pct(pr->growth);

	it->current_cost = c->b0->total;
	if (pr->n)
		it->proposed_cost = pr->months[pr->n - 1].monthly_cost;
	if (pr->start_month) {
		const struct projection_month *m = &pr->months[pr->start_month - 1];
		char *r = pct(m->throttle_ratio);

		it->actionable = true;
		const char *lim = "";
		size_t k;

		for (k = 0; c->a->has_headroom && k < c->a->headroom.n; k++)
			if (strcmp(c->a->headroom.rows[k].resource, m->worst) == 0 &&
			    isfinite(c->a->headroom.rows[k].scale))
				lim = limit_kind_name(c->a->headroom.rows[k].limit);
		it->proposed_throttle = m->throttle_ratio;
		item_text(it, xasprintf("At %s/month (%s), throttling passes the target in month %d: %s "
					"at %s%s%s%s.", g, c->a->growth_source, pr->start_month, m->worst, r,
					lim[0] ? " (" : "", lim, lim[0] ? ")" : ""),
			  NULL, NULL);
		free(r);
	} else if (pr->headroom_month) {
		item_text(it, xasprintf("At %s/month (%s), no throttling within %zu months; the first "
					"limit is reached in month %d.", g, c->a->growth_source, pr->n,
					pr->headroom_month),
			  NULL, NULL);
	} else {
		item_text(it, xasprintf("At %s/month (%s), no throttling within %zu months.", g,
					c->a->growth_source, pr->n),
			  NULL, NULL);
	}
	free(g);
}

/* ---- the run --------------------------------------------------------- */

int advise_run(const struct plan *p, const struct trace *tr, const struct advise_opts *opts,
	       struct advice **out, struct err *e)
{
	struct advise_opts o;
	struct ctx c;
	struct advice *a;
	double t0 = now_s(), t;
	unsigned sec;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (opts)
		o = *opts;
	else
		advise_opts_default(&o);
	sec = o.sections ? o.sections : ADVISE_ALL;
	memset(&c, 0, sizeof c);
	a = xcalloc(1, sizeof *a);
	a->growth_source = "none";
	c.a = a;
	c.o = &o;
	c.e = e;
	c.target = !isnan(o.max_throttle) ? o.max_throttle :
		   !isnan(p->budget.max_throttle_ratio) ? p->budget.max_throttle_ratio : 0.001;
	a->target = c.target;
	c.w = whatif_new(p, tr, &o.sim, e);
	if (!c.w) {
		advice_free(a);
		return -1;
	}
	a->baseline_s = now_s() - t0;
	c.p = whatif_base(c.w);
	c.u0 = whatif_baseline(c.w);
	c.b0 = whatif_baseline_bill(c.w);
	a->baseline_total = c.b0->total;
	a->mode = whatif_mode(c.w);
	a->window_s = whatif_sim_seconds(c.w);
	t = now_s();
	for (i = 0; rc == 0 && (sec & ADVISE_FUNCTIONS) && i < c.p->nfunctions; i++)
		if ((rc = fn_memory(&c, i)) == 0 && (rc = fn_arch(&c, i)) == 0 &&
		    (rc = fn_provisioned(&c, i)) == 0)
			rc = fn_reserved(&c, i);
	a->section_s[0] = now_s() - t;
	t = now_s();
	for (i = 0; rc == 0 && (sec & ADVISE_TABLES) && i < c.p->ntables; i++)
		rc = do_table(&c, i);
	a->section_s[1] = now_s() - t;
	t = now_s();
	for (i = 0; rc == 0 && (sec & ADVISE_APIS) && i < c.p->napis; i++)
		rc = do_api(&c, i);
	a->section_s[2] = now_s() - t;
	t = now_s();
	if (rc == 0 && (sec & (ADVISE_HEADROOM | ADVISE_PROJECTION | ADVISE_MONTE_CARLO))) {
		rc = project_headroom(c.w, c.target, o.max_scale, o.tolerance, &a->headroom, e);
		a->has_headroom = rc == 0;
		if (rc == 0 && (sec & ADVISE_HEADROOM))
			headroom_items(&c);
	}
	a->section_s[3] = now_s() - t;
	t = now_s();
	if (rc == 0 && (sec & ADVISE_PROJECTION)) {
		double g = 0;

		a->has_fit = tr && project_fit_growth(tr, &a->fit) == 0;
		if (!isnan(o.growth)) {
			g = o.growth;
			a->growth_source = "option";
		} else if (p->growth_per_month != 0 && !(o.fit_growth && a->has_fit)) {
			g = p->growth_per_month;
			a->growth_source = "plan";
		} else if (a->has_fit) {
			g = a->fit.per_month;
			a->growth_source = "fitted";
		}
		rc = project_months(c.w, &a->headroom, g, o.months, c.target, &a->projection, e);
		a->has_projection = rc == 0;
		if (rc == 0)
			growth_item(&c);
	}
	a->section_s[4] = now_s() - t;
	t = now_s();
	if (rc == 0 && (sec & ADVISE_MONTE_CARLO) && o.runs > 0) {
		rc = project_monte_carlo(c.w, &a->headroom, o.runs, o.mc_sim_runs, o.seed, &a->mc, e);
		a->has_mc = rc == 0;
	}
	a->section_s[5] = now_s() - t;
	whatif_counters(c.w, &a->simulations, &a->simulated_s);
	whatif_free(c.w);
	a->elapsed_s = now_s() - t0;
	if (rc < 0) {
		advice_free(a);
		return -1;
	}
	*out = a;
	return 0;
}

void advice_free(struct advice *a)
{
	size_t i, j;

	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->items[i].resource);
		free(a->items[i].message);
		free(a->items[i].detail);
		free(a->items[i].set);
	}
	free(a->items);
	for (i = 0; i < a->nsweeps; i++) {
		free(a->sweeps[i].function);
		free(a->sweeps[i].points);
	}
	free(a->sweeps);
	for (i = 0; i < a->ntables; i++) {
		free(a->tables[i].table);
		for (j = 0; j < a->tables[i].n; j++)
			free(a->tables[i].rows[j].label);
	}
	free(a->tables);
	for (i = 0; i < a->napis; i++)
		free(a->apis[i].api);
	free(a->apis);
	headroom_free(&a->headroom);
	projection_free(&a->projection);
	monte_carlo_free(&a->mc);
	free(a);
}
