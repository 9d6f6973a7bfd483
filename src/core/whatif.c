#include "whatif.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bill.h"
#include "sim.h"
#include "stats.h"
#include "trace.h"
#include "util.h"

#define DAY_S 86400.0
/* The 730-hour month is 30 days and 36,000 s. */
#define REM_S (MONTH_S - 30 * DAY_S)
/* Floats of per-second series the baseline may keep (64 MB). */
#define SERIES_BUDGET ((size_t)16 << 20)

/* A rate of the plan replayed as a stream in WHATIF_DAY mode. */
struct src {
	const struct rate *rate;	/* in the base copy (schedule) */
	long double per_s;		/* events per active second, traffic.scale applied */
	char name[24];
};

/* One simulated window of the baseline: DAY mode has the day and the
 * 36,000-s remainder, the other modes one window. */
struct window {
	double seconds;
	double weight;		/* copies of this window in an exact month */
	struct trace *trace;	/* DAY: synthetic replay of the rates (owned) */
	struct usage *base;	/* the baseline's usage of this window, with series */
	struct trace **drivers;	/* per table: the callers' invocations (lazy, owned) */
};

struct whatif {
	const struct plan *orig;
	const struct trace *tr;
	struct whatif_opts o;
	enum whatif_mode mode;
	struct plan *base;
	struct src *src;
	size_t nsrc;
	char **stream_names;	/* owned strings the base's rates point to */
	struct window win[2];
	size_t nwin;
	struct usage *baseline;
	struct bill *bill;
	/* Quick (day-only) baselines by scope, for calibration (lazy). */
	struct usage *q_all, *q_apis, **q_fn, **q_table;
	unsigned long runs;
	double sim_s;
};

/* ---- plan copies ---------------------------------------------------- */

struct plan *whatif_copy(const struct plan *p)
{
	struct plan *q = xmalloc(sizeof *q);
	size_t i;

	*q = *p;
	q->apis = xcalloc(p->napis + 1, sizeof *q->apis);
	if (p->napis)
		memcpy(q->apis, p->apis, p->napis * sizeof *q->apis);
	for (i = 0; i < p->napis; i++) {
		q->apis[i].routes = xcalloc(p->apis[i].nroutes + 1, sizeof *q->apis[i].routes);
		if (p->apis[i].nroutes)
			memcpy(q->apis[i].routes, p->apis[i].routes,
			       p->apis[i].nroutes * sizeof *q->apis[i].routes);
	}
	q->functions = xcalloc(p->nfunctions + 1, sizeof *q->functions);
	if (p->nfunctions)
		memcpy(q->functions, p->functions, p->nfunctions * sizeof *q->functions);
	q->tables = xcalloc(p->ntables + 1, sizeof *q->tables);
	if (p->ntables)
		memcpy(q->tables, p->tables, p->ntables * sizeof *q->tables);
	for (i = 0; i < p->ntables; i++) {
		q->tables[i].gsis = xcalloc(p->tables[i].ngsis + 1, sizeof *q->tables[i].gsis);
		if (p->tables[i].ngsis)
			memcpy(q->tables[i].gsis, p->tables[i].gsis,
			       p->tables[i].ngsis * sizeof *q->tables[i].gsis);
	}
	return q;
}

void whatif_copy_free(struct plan *q)
{
	size_t i;

	if (!q)
		return;
	for (i = 0; i < q->napis; i++)
		free(q->apis[i].routes);
	free(q->apis);
	free(q->functions);
	for (i = 0; i < q->ntables; i++)
		free(q->tables[i].gsis);
	free(q->tables);
	free(q);
}

/* ---- usage arithmetic ----------------------------------------------- */

static uint64_t mul_u64(uint64_t x, double f)
{
	long double v = (long double)x * f;

	if (!(v > 0))
		return 0;
	if (v >= 1.8e19L)
		return UINT64_MAX;
	return (uint64_t)llroundl(v);
}

static uint64_t add_u64(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

#define ADDW(field) (d->field = add_u64(d->field, mul_u64(s->field, wt)))

static void by_add(uint64_t *d, const uint64_t *s, double wt)
{
	int k;

	for (k = 0; k < LIMIT_COUNT; k++)
		d[k] = add_u64(d[k], mul_u64(s[k], wt));
}

/* d += wt x s, for every additive quantity of a record (see usage.h). */
static void fn_add(struct fn_usage *d, const struct fn_usage *s, double wt)
{
	ADDW(offered);
	ADDW(invocations);
	ADDW(throttled);
	ADDW(cold_starts);
	ADDW(mb_ms);
	ADDW(pc_mb_ms);
	ADDW(eph_mb_ms);
	ADDW(pc_mb_s);
	ADDW(init_mb_ms);
	if (s->peak_concurrency > d->peak_concurrency)
		d->peak_concurrency = s->peak_concurrency;
	by_add(d->throttled_by, s->throttled_by, wt);
}

static void api_add(struct api_usage *d, const struct api_usage *s, double wt)
{
	ADDW(offered);
	ADDW(admitted);
	ADDW(throttled);
	ADDW(metered);
	ADDW(cache_hits);
	ADDW(ws_minutes);
	d->transfer_gb += s->transfer_gb * wt;
	d->cache_hours += s->cache_hours * wt;
	by_add(d->throttled_by, s->throttled_by, wt);
}

static void table_add(struct table_usage *d, const struct table_usage *s, double wt)
{
	size_t g;

	ADDW(offered);
	ADDW(throttled);
	ADDW(read_half_units);
	ADDW(write_units);
	d->rcu_hours += s->rcu_hours * wt;
	d->wcu_hours += s->wcu_hours * wt;
	d->storage_gb = s->storage_gb;
	for (g = 0; g < d->ngsis && g < s->ngsis; g++) {
		struct gsi_usage *dg = &d->gsis[g];
		const struct gsi_usage *sg = &s->gsis[g];

		dg->rcu_hours += sg->rcu_hours * wt;
		dg->wcu_hours += sg->wcu_hours * wt;
		dg->read_half_units = add_u64(dg->read_half_units, mul_u64(sg->read_half_units, wt));
		dg->write_units = add_u64(dg->write_units, mul_u64(sg->write_units, wt));
	}
	by_add(d->throttled_by, s->throttled_by, wt);
}

#undef ADDW

struct usage *whatif_usage_dup(const struct usage *s)
{
	struct usage *u = xcalloc(1, sizeof *u);
	size_t i;

	*u = *s;
	u->fn_series = u->api_series = u->table_series = NULL;
	u->fn = xcalloc(s->nfn + 1, sizeof *u->fn);
	u->api = xcalloc(s->napi + 1, sizeof *u->api);
	u->table = xcalloc(s->ntable + 1, sizeof *u->table);
	if (s->nfn)
		memcpy(u->fn, s->fn, s->nfn * sizeof *u->fn);
	if (s->napi)
		memcpy(u->api, s->api, s->napi * sizeof *u->api);
	if (s->ntable)
		memcpy(u->table, s->table, s->ntable * sizeof *u->table);
	for (i = 0; i < s->ntable; i++) {
		u->table[i].gsis = xcalloc(s->table[i].ngsis + 1, sizeof *u->table[i].gsis);
		if (s->table[i].ngsis)
			memcpy(u->table[i].gsis, s->table[i].gsis, s->table[i].ngsis * sizeof *u->table[i].gsis);
	}
	return u;
}

/* Copies record values (not pointers) of a table usage. */
static void table_set(struct table_usage *d, const struct table_usage *s)
{
	struct gsi_usage *g = d->gsis;
	size_t n = d->ngsis;

	*d = *s;
	d->gsis = g;
	d->ngsis = n;
	if (n && s->gsis)
		memcpy(g, s->gsis, (n < s->ngsis ? n : s->ngsis) * sizeof *g);
}

#define SC(field, f) (x->field = mul_u64(x->field, (f)))

static void by_scale(uint64_t *by, double f)
{
	int k;

	for (k = 0; k < LIMIT_COUNT; k++)
		by[k] = mul_u64(by[k], f);
}

void whatif_usage_scale(struct usage *u, const double *api, const double *fn,
			const double *dur, const double *table)
{
	size_t i, g;

	for (i = 0; api && i < u->napi; i++) {
		struct api_usage *x = &u->api[i];
		double f = api[i];

		SC(offered, f);
		SC(admitted, f);
		SC(throttled, f);
		SC(metered, f);
		SC(cache_hits, f);
		SC(ws_minutes, f);
		x->transfer_gb *= f;
		by_scale(x->throttled_by, f);
	}
	for (i = 0; (fn || dur) && i < u->nfn; i++) {
		struct fn_usage *x = &u->fn[i];
		double f = fn ? fn[i] : 1, d = dur ? dur[i] : 1;
		uint64_t init = x->init_mb_ms <= x->mb_ms ? x->init_mb_ms : x->mb_ms;

		SC(offered, f);
		SC(invocations, f);
		SC(throttled, f);
		SC(cold_starts, f);
		x->mb_ms = add_u64(mul_u64(x->mb_ms - init, f * d), mul_u64(init, f));
		SC(init_mb_ms, f);
		SC(pc_mb_ms, f * d);
		SC(eph_mb_ms, f * d);
		x->peak_concurrency *= f * d;
		by_scale(x->throttled_by, f);
	}
	for (i = 0; table && i < u->ntable; i++) {
		struct table_usage *x = &u->table[i];
		double f = table[i];

		SC(offered, f);
		SC(throttled, f);
		SC(read_half_units, f);
		SC(write_units, f);
		for (g = 0; g < x->ngsis; g++) {
			x->gsis[g].read_half_units = mul_u64(x->gsis[g].read_half_units, f);
			x->gsis[g].write_units = mul_u64(x->gsis[g].write_units, f);
		}
		by_scale(x->throttled_by, f);
	}
}

#undef SC

/* Every traffic quantity of 'u' times s. */
static void usage_scale_all(struct usage *u, double s)
{
	double *a = xcalloc(u->napi + 1, sizeof *a), *f = xcalloc(u->nfn + 1, sizeof *f);
	double *t = xcalloc(u->ntable + 1, sizeof *t);
	size_t i;

	for (i = 0; i < u->napi; i++)
		a[i] = s;
	for (i = 0; i < u->nfn; i++)
		f[i] = s;
	for (i = 0; i < u->ntable; i++)
		t[i] = s;
	whatif_usage_scale(u, a, f, NULL, t);
	free(a);
	free(f);
	free(t);
}

/* ---- synthetic traces ------------------------------------------------ */

static uint32_t clamp_u32(long double x)
{
	if (!(x > 0))
		return 0;
	if (x >= 4294967295.0L)
		return UINT32_MAX;
	return (uint32_t)x;
}

/* The rates replayed over 'seconds' from midnight, one stream each, as the
 * simulator's rate sources emit them (after k active seconds, exactly
 * floor(rate x k) events), or as Poisson arrivals when 'rng' is given. */
static struct trace *rates_trace(const struct whatif *w, double seconds, struct stats_rng *rng)
{
	const char **names = xcalloc(w->nsrc + 1, sizeof *names);
	size_t n = w->nsrc, secs = (size_t)seconds, t, k;
	struct trace *tr;
	uint32_t *c;
	uint64_t *active = xcalloc(n + 1, sizeof *active), *emitted = xcalloc(n + 1, sizeof *emitted);

	for (k = 0; k < n; k++)
		names[k] = w->src[k].name;
	tr = trace_new(n, names, 1);
	free(names);
	c = xcalloc(secs * (n ? n : 1) + 1, sizeof *c);
	for (t = 0; t < secs; t++)
		for (k = 0; k < n; k++) {
			const struct src *s = &w->src[k];
			long double x;
			uint64_t tot;

			if (s->per_s <= 0 || !schedule_active_at(&s->rate->sched, (double)t))
				continue;
			if (rng) {
				c[t * n + k] = clamp_u32((long double)stats_poisson(rng, (double)s->per_s));
				continue;
			}
			active[k]++;
			x = floorl(s->per_s * (long double)active[k] + 1e-6L);
			tot = x >= 1.8e19L ? UINT64_MAX : (uint64_t)x;
			c[t * n + k] = clamp_u32((long double)(tot > emitted[k] ? tot - emitted[k] : 0));
			emitted[k] = tot;
		}
	trace_adopt_counts(tr, c, secs);
	free(active);
	free(emitted);
	return tr;
}

/* A copy of 't' with every bucket's count drawn from a Poisson law of that
 * mean (Monte Carlo). */
static struct trace *trace_resample(const struct trace *t, struct stats_rng *rng)
{
	struct trace *r = trace_new(t->nstreams, (const char *const *)t->names, t->step_s);
	size_t i, n = t->nbuckets * (t->nstreams ? t->nstreams : 1);
	uint32_t *c = xcalloc(n + 1, sizeof *c);

	for (i = 0; i < n; i++)
		c[i] = t->counts[i] ? clamp_u32((long double)stats_poisson(rng, t->counts[i])) : 0;
	r->start_epoch = t->start_epoch;
	trace_adopt_counts(r, c, t->nbuckets);
	return r;
}

/* Whether function f calls table t. */
static bool calls_table(const struct function *f, size_t t)
{
	size_t j;

	for (j = 0; j < f->ncalls; j++)
		if ((size_t)f->calls[j].table == t)
			return true;
	return false;
}

/* The driver trace of table t in window k: one stream per function that
 * calls the table, holding the invocations it ran in the baseline, per
 * series bucket. NULL when the baseline kept no series. */
static const struct trace *drivers(struct whatif *w, size_t k, size_t t)
{
	struct window *win = &w->win[k];
	const struct plan *p = w->base;
	const struct usage *u = win->base;
	size_t j, nd = 0, b, nb = 0, d;
	char **names;
	uint32_t *c;
	double step = 1;

	if (!win->drivers)
		win->drivers = xcalloc(p->ntables + 1, sizeof *win->drivers);
	if (win->drivers[t])
		return win->drivers[t];
	if (!u->fn_series)
		return NULL;
	for (j = 0; j < p->nfunctions; j++)
		if (calls_table(&p->functions[j], t)) {
			if (!u->fn_series[j].v[SER_ADMITTED])
				return NULL;
			nb = u->fn_series[j].n;
			step = u->fn_series[j].step_s;
			nd++;
		}
	if (nb == 0) {
		/* No caller: an idle window of the same length. */
		step = 1;
		nb = (size_t)win->seconds;
	}
	names = xcalloc(nd + 1, sizeof *names);
	for (d = 0; d < nd; d++)
		names[d] = xasprintf("~d%zu", d);
	win->drivers[t] = trace_new(nd, (const char *const *)names, (uint32_t)step);
	for (d = 0; d < nd; d++)
		free(names[d]);
	free(names);
	c = xcalloc(nb * (nd ? nd : 1) + 1, sizeof *c);
	for (j = 0, d = 0; j < p->nfunctions; j++) {
		const float *v;

		if (!calls_table(&p->functions[j], t))
			continue;
		v = u->fn_series[j].v[SER_ADMITTED];
		for (b = 0; b < nb; b++)
			c[b * nd + d] = clamp_u32(floorl((long double)v[b] + 0.5L));
		d++;
	}
	trace_adopt_counts(win->drivers[t], c, nb);
	return win->drivers[t];
}

/* ---- simulation -------------------------------------------------------- */

static int simulate(struct whatif *w, const struct plan *p, const struct trace *tr,
		    bool poisson, uint64_t seed, size_t series, struct usage **u, struct err *e)
{
	struct sim_opts so;
	int rc;

	memset(&so, 0, sizeof so);
	so.cold = w->o.cold;
	so.seed = seed;
	so.poisson_spread = poisson;
	so.trace = tr;
	so.series_points = series;
	rc = sim_run(p, &so, u, e);
	w->runs++;
	if (rc == 0)
		w->sim_s += (*u)->window_s;
	return rc;
}

/* Series points the baseline can keep for a window of W seconds. */
static size_t series_points(const struct plan *p, double W)
{
	size_t arrays = 6 * p->nfunctions + 4 * p->napis + 9 * p->ntables + 1;
	size_t most = SERIES_BUDGET / arrays;

	if (most < 1000)
		most = 1000;
	return (size_t)W < most ? (size_t)W : most;
}

static bool periodic(const struct schedule *s)
{
	return s->kind != SCHED_ONCE;
}

/* Points the base copy's rates at streams of the synthetic day, recording
 * each rate's per-second value. */
static void add_src(struct whatif *w, struct rate *r, double scale)
{
	struct src *s;

	if (!r->set || r->stream)
		return;
	w->src = xrealloc(w->src, (w->nsrc + 1) * sizeof *w->src);
	s = &w->src[w->nsrc];
	memset(s, 0, sizeof *s);
	s->rate = r;
	s->per_s = r->period_s > 0 ? (long double)r->count * scale / r->period_s : 0;
	snprintf(s->name, sizeof s->name, "~r%zu", w->nsrc);
	w->stream_names = xrealloc(w->stream_names, (w->nsrc + 1) * sizeof *w->stream_names);
	w->stream_names[w->nsrc] = xstrdup(s->name);
	r->stream = w->stream_names[w->nsrc];
	w->nsrc++;
}

static bool day_mode_possible(const struct plan *p)
{
	size_t i, j;

	for (i = 0; i < p->napis; i++) {
		const struct api *a = &p->apis[i];

		if (!periodic(&a->messages_out.sched) || !periodic(&a->connection_minutes.sched))
			return false;
		for (j = 0; j < a->nroutes; j++)
			if (!periodic(&a->routes[j].traffic.sched))
				return false;
	}
	for (i = 0; i < p->nfunctions; i++)
		if (!periodic(&p->functions[i].traffic.sched) || !periodic(&p->functions[i].pc_sched))
			return false;
	return true;
}

struct whatif *whatif_new(const struct plan *p, const struct trace *tr,
			  const struct whatif_opts *o, struct err *e)
{
	struct whatif *w = xcalloc(1, sizeof *w);
	size_t i, j, k;

	w->orig = p;
	w->tr = tr;
	if (o)
		w->o = *o;
	if (tr)
		w->mode = WHATIF_TRACE;
	else if (!w->o.full && day_mode_possible(p))
		w->mode = WHATIF_DAY;
	else
		w->mode = WHATIF_MONTH;
	w->base = whatif_copy(p);
	if (w->mode == WHATIF_DAY) {
		struct plan *b = w->base;

		for (i = 0; i < b->napis; i++) {
			for (j = 0; j < b->apis[i].nroutes; j++)
				add_src(w, &b->apis[i].routes[j].traffic, p->scale);
			add_src(w, &b->apis[i].messages_out, p->scale);
			add_src(w, &b->apis[i].connection_minutes, p->scale);
		}
		for (i = 0; i < b->nfunctions; i++)
			add_src(w, &b->functions[i].traffic, p->scale);
		b->scale = 1;
		w->nwin = 2;
		w->win[0].seconds = DAY_S;
		w->win[0].weight = 30;
		w->win[1].seconds = REM_S;
		w->win[1].weight = 1;
		for (k = 0; k < 2; k++)
			w->win[k].trace = rates_trace(w, w->win[k].seconds, NULL);
	} else {
		w->nwin = 1;
		w->win[0].seconds = tr ? (double)trace_seconds(tr) : MONTH_S;
		w->win[0].weight = 1;
	}
	for (k = 0; k < w->nwin; k++) {
		const struct trace *t = w->mode == WHATIF_DAY ? w->win[k].trace : tr;

		if (simulate(w, w->base, t, w->o.poisson_spread, w->o.seed,
			     series_points(p, w->win[k].seconds), &w->win[k].base, e) < 0) {
			whatif_free(w);
			return NULL;
		}
	}
	w->baseline = usage_new(w->base, 0);
	for (k = 0; k < w->nwin; k++) {
		const struct usage *u = w->win[k].base;

		for (i = 0; i < u->nfn; i++)
			fn_add(&w->baseline->fn[i], &u->fn[i], w->win[k].weight);
		for (i = 0; i < u->napi; i++)
			api_add(&w->baseline->api[i], &u->api[i], w->win[k].weight);
		for (i = 0; i < u->ntable; i++)
			table_add(&w->baseline->table[i], &u->table[i], w->win[k].weight);
		w->baseline->window_s += u->window_s * w->win[k].weight;
	}
	w->bill = bill_price(w->base, w->baseline);
	return w;
}

void whatif_free(struct whatif *w)
{
	size_t i, k;

	if (!w)
		return;
	for (k = 0; k < w->nwin; k++) {
		trace_free(w->win[k].trace);
		usage_free(w->win[k].base);
		for (i = 0; w->win[k].drivers && i < w->base->ntables; i++)
			trace_free(w->win[k].drivers[i]);
		free(w->win[k].drivers);
	}
	for (i = 0; i < w->nsrc; i++)
		free(w->stream_names[i]);
	free(w->stream_names);
	free(w->src);
	for (i = 0; w->q_fn && i < w->base->nfunctions; i++)
		usage_free(w->q_fn[i]);
	for (i = 0; w->q_table && i < w->base->ntables; i++)
		usage_free(w->q_table[i]);
	free(w->q_fn);
	free(w->q_table);
	usage_free(w->q_all);
	usage_free(w->q_apis);
	whatif_copy_free(w->base);
	usage_free(w->baseline);
	bill_free(w->bill);
	free(w);
}

const struct plan *whatif_base(const struct whatif *w)
{
	return w->base;
}

enum whatif_mode whatif_mode(const struct whatif *w)
{
	return w->mode;
}

double whatif_sim_seconds(const struct whatif *w)
{
	double s = 0;
	size_t k;

	for (k = 0; k < w->nwin; k++)
		s += w->win[k].seconds;
	return s;
}

const struct usage *whatif_baseline(const struct whatif *w)
{
	return w->baseline;
}

const struct bill *whatif_baseline_bill(const struct whatif *w)
{
	return w->bill;
}

const struct series *whatif_fn_series(const struct whatif *w, size_t i)
{
	const struct usage *u = w->win[0].base;

	return u->fn_series && i < u->nfn && u->fn_series[i].n ? &u->fn_series[i] : NULL;
}

const struct series *whatif_table_series(const struct whatif *w, size_t i)
{
	const struct usage *u = w->win[0].base;

	return u->table_series && i < u->ntable && u->table_series[i].n ? &u->table_series[i] : NULL;
}

const struct series *whatif_api_series(const struct whatif *w, size_t i)
{
	const struct usage *u = w->win[0].base;

	return u->api_series && i < u->napi && u->api_series[i].n ? &u->api_series[i] : NULL;
}

double whatif_events(const struct whatif *w, const struct rate *r)
{
	size_t k;
	int st;

	if (!r->set)
		return 0;
	for (k = 0; k < w->nsrc; k++)
		if (w->src[k].rate == r)
			return (double)floorl(w->src[k].per_s * (long double)schedule_active_s(&r->sched, MONTH_S)
					      + 1e-6L);
	if (r->stream) {
		if (!w->tr || (st = trace_find(w->tr, r->stream)) < 0)
			return 0;
		return (double)w->tr->totals[st] * w->base->scale;
	}
	return (double)rate_events(r, w->base->scale, w->baseline->window_s);
}

void whatif_counters(const struct whatif *w, unsigned long *runs, double *sim_seconds)
{
	*runs = w->runs;
	*sim_seconds = w->sim_s;
}

/* ---- requests ------------------------------------------------------- */

/* The account concurrency left to function i alone at traffic scale s:
 * the quota less the other functions' reserved concurrency and the other
 * unreserved functions' baseline peak concurrency (scaled). */
static double pool_for(const struct whatif *w, const struct plan *v, size_t i, double s)
{
	double pool = v->lambda_concurrency;
	size_t j;

	for (j = 0; j < v->nfunctions; j++) {
		if (j == i)
			continue;
		if (v->functions[j].reserved >= 0)
			pool -= v->functions[j].reserved;
		else
			pool -= s * w->baseline->fn[j].peak_concurrency;
	}
	return pool > 0 ? pool : 0;
}

/* The plan simulated for a request: a shallow copy of the variant with
 * its own arrays (freed by sub_free) and model copy. */
struct sub {
	struct plan q;
	struct model m;
	struct api *apis;
	struct function *fns;
	struct call **calls;
	size_t ncalls;
};

static void sub_free(struct sub *s)
{
	size_t i;

	for (i = 0; s->apis && i < s->q.napis; i++)
		free(s->apis[i].routes);
	free(s->apis);
	for (i = 0; i < s->ncalls; i++)
		free(s->calls[i]);
	free(s->calls);
	free(s->fns);
}

/* Copies the variant's APIs with each route's function mapped by 'map'
 * (plan index -> sub-plan index or -1); 'open' removes every throttle. */
static void sub_apis(struct sub *s, const struct plan *v, const int *map, bool open)
{
	size_t i, j;

	s->apis = xcalloc(v->napis + 1, sizeof *s->apis);
	for (i = 0; i < v->napis; i++) {
		struct api *a = &s->apis[i];

		*a = v->apis[i];
		if (open)
			a->has_throttle = false;
		a->routes = xcalloc(a->nroutes + 1, sizeof *a->routes);
		for (j = 0; j < a->nroutes; j++) {
			a->routes[j] = v->apis[i].routes[j];
			a->routes[j].function = v->apis[i].routes[j].function >= 0 && map ?
				map[v->apis[i].routes[j].function] : -1;
		}
	}
	s->q.apis = s->apis;
	s->q.napis = v->napis;
}

/* Builds the plan simulated for request 'r' (see whatif.h). */
static void sub_build(struct whatif *w, const struct whatif_req *r, struct sub *s)
{
	const struct plan *v = r->plan;
	double scale = r->scale > 0 ? r->scale : 1;
	size_t j;

	memset(s, 0, sizeof *s);
	s->q = *v;
	s->m = *v->model;
	s->q.model = &s->m;
	s->q.scale = v->scale * scale;
	switch (r->scope) {
	case WHATIF_ALL:
		break;
	case WHATIF_APIS:
		sub_apis(s, v, NULL, false);
		s->q.functions = NULL;
		s->q.nfunctions = 0;
		s->q.tables = NULL;
		s->q.ntables = 0;
		break;
	case WHATIF_FUNCTION: {
		int *map = xcalloc(v->nfunctions + 1, sizeof *map);

		for (j = 0; j < v->nfunctions; j++)
			map[j] = j == r->index ? 0 : -1;
		s->m.apigw.account_rate = INFINITY;
		s->m.apigw.account_burst = INFINITY;
		sub_apis(s, v, map, true);
		free(map);
		s->fns = xcalloc(1, sizeof *s->fns);
		s->fns[0] = v->functions[r->index];
		s->fns[0].calls = NULL;
		s->fns[0].ncalls = 0;
		s->q.functions = s->fns;
		s->q.nfunctions = 1;
		s->q.tables = NULL;
		s->q.ntables = 0;
		if (s->fns[0].reserved < 0)
			s->q.lambda_concurrency = pool_for(w, v, r->index, scale);
		break;
	}
	case WHATIF_TABLE: {
		size_t nd = 0, d = 0;

		for (j = 0; j < v->nfunctions; j++)
			nd += calls_table(&v->functions[j], r->index);
		s->m.lambda.arrivals = ARRIVALS_UNIFORM;
		s->m.lambda.scale_per_10s = 1e12;
		s->m.lambda.init_billed = false;
		s->fns = xcalloc(nd + 1, sizeof *s->fns);
		s->calls = xcalloc(nd + 1, sizeof *s->calls);
		for (j = 0; j < v->nfunctions; j++) {
			const struct function *f = &v->functions[j];
			struct function *x;
			size_t c, n = 0;

			if (!calls_table(f, r->index))
				continue;
			x = &s->fns[d];
			x->name = f->name;
			x->memory_mb = 128;
			x->arch = ARCH_X86_64;
			x->duration_p50_ms = x->duration_p95_ms = 1;
			x->ephemeral_mb = s->m.lambda.ephemeral_included_mb;
			x->timeout_s = f->timeout_s > 0 ? f->timeout_s : 1;
			x->reserved = -1;
			x->invocation = INVOKE_SYNC;
			x->traffic.set = true;
			x->traffic.count = 1;
			x->traffic.period_s = 1;
			x->traffic.stream = (char *)"";	/* set per window: "~d<k>" */
			s->calls[d] = xcalloc(f->ncalls + 1, sizeof **s->calls);
			for (c = 0; c < f->ncalls; c++)
				if ((size_t)f->calls[c].table == r->index) {
					s->calls[d][n] = f->calls[c];
					s->calls[d][n].table = 0;
					n++;
				}
			x->calls = s->calls[d];
			x->ncalls = n;
			d++;
		}
		s->ncalls = nd;
		s->q.apis = NULL;
		s->q.napis = 0;
		s->q.functions = s->fns;
		s->q.nfunctions = nd;
		s->q.tables = &v->tables[r->index];
		s->q.ntables = 1;
		s->q.lambda_concurrency = 1e12;
		/* The drivers replay the baseline, which had the plan's scale. */
		s->q.scale = scale;
		break;
	}
	}
}

static int run_one(struct whatif *w, const struct whatif_req *r, struct usage **out, struct err *e);

/* x <- x * e / q, for one quantity (kept when q is 0). */
static uint64_t cal_u64(uint64_t x, uint64_t e, uint64_t q)
{
	return q ? mul_u64(x, (double)e / (double)q) : x;
}

static double cal_dbl(double x, double e, double q)
{
	return q > 0 ? x * e / q : x;
}

#define CAL(field) (x->field = cal_u64(x->field, e->field, q->field))
#define CALD(field) (x->field = cal_dbl(x->field, e->field, q->field))

static void by_cal(uint64_t *x, const uint64_t *e, const uint64_t *q)
{
	int k;

	for (k = 0; k < LIMIT_COUNT; k++)
		x[k] = cal_u64(x[k], e[k], q[k]);
}

static void fn_cal(struct fn_usage *x, const struct fn_usage *e, const struct fn_usage *q)
{
	CAL(offered);
	CAL(invocations);
	CAL(throttled);
	CAL(cold_starts);
	CAL(mb_ms);
	CAL(pc_mb_ms);
	CAL(eph_mb_ms);
	CAL(pc_mb_s);
	CAL(init_mb_ms);
	by_cal(x->throttled_by, e->throttled_by, q->throttled_by);
}

static void api_cal(struct api_usage *x, const struct api_usage *e, const struct api_usage *q)
{
	CAL(offered);
	CAL(admitted);
	CAL(throttled);
	CAL(metered);
	CAL(cache_hits);
	CAL(ws_minutes);
	CALD(transfer_gb);
	CALD(cache_hours);
	by_cal(x->throttled_by, e->throttled_by, q->throttled_by);
}

static void table_cal(struct table_usage *x, const struct table_usage *e, const struct table_usage *q)
{
	size_t g;

	CAL(offered);
	CAL(throttled);
	CAL(read_half_units);
	CAL(write_units);
	CALD(rcu_hours);
	CALD(wcu_hours);
	for (g = 0; g < x->ngsis && g < e->ngsis && g < q->ngsis; g++) {
		x->gsis[g].rcu_hours = cal_dbl(x->gsis[g].rcu_hours, e->gsis[g].rcu_hours, q->gsis[g].rcu_hours);
		x->gsis[g].wcu_hours = cal_dbl(x->gsis[g].wcu_hours, e->gsis[g].wcu_hours, q->gsis[g].wcu_hours);
		x->gsis[g].read_half_units = cal_u64(x->gsis[g].read_half_units, e->gsis[g].read_half_units,
						     q->gsis[g].read_half_units);
		x->gsis[g].write_units = cal_u64(x->gsis[g].write_units, e->gsis[g].write_units,
						 q->gsis[g].write_units);
	}
	by_cal(x->throttled_by, e->throttled_by, q->throttled_by);
}

#undef CAL
#undef CALD

/* Every quantity of 'u' that accrues with time, times T: traffic,
 * provisioned unit-hours, provisioned concurrency, cache hours. Peak
 * concurrency and storage do not accrue. */
static void usage_scale_time(struct usage *u, double T)
{
	double *peak = xcalloc(u->nfn + 1, sizeof *peak);
	size_t i, g;

	for (i = 0; i < u->nfn; i++)
		peak[i] = u->fn[i].peak_concurrency;
	usage_scale_all(u, T);
	for (i = 0; i < u->nfn; i++) {
		u->fn[i].peak_concurrency = peak[i];
		u->fn[i].pc_mb_s = mul_u64(u->fn[i].pc_mb_s, T);
	}
	for (i = 0; i < u->napi; i++)
		u->api[i].cache_hours *= T;
	for (i = 0; i < u->ntable; i++) {
		struct table_usage *x = &u->table[i];

		x->rcu_hours *= T;
		x->wcu_hours *= T;
		for (g = 0; g < x->ngsis; g++) {
			x->gsis[g].rcu_hours *= T;
			x->gsis[g].wcu_hours *= T;
		}
	}
	u->window_s *= T;
	free(peak);
}

static bool same_shape(const struct usage *a, const struct usage *b)
{
	size_t i;

	if (a->nfn != b->nfn || a->napi != b->napi || a->ntable != b->ntable)
		return false;
	for (i = 0; i < a->ntable; i++)
		if (a->table[i].ngsis != b->table[i].ngsis)
			return false;
	return true;
}

int whatif_usage_estimate(struct usage *u, const struct usage *ref_exact, const struct usage *ref_quick)
{
	struct usage *q;
	double T;
	size_t i;

	if (!same_shape(u, ref_exact) || !same_shape(u, ref_quick) || !(u->window_s > 0) ||
	    u->window_s != ref_quick->window_s)
		return -1;
	T = ref_exact->window_s / u->window_s;
	q = whatif_usage_dup(ref_quick);
	usage_scale_time(u, T);
	usage_scale_time(q, T);
	for (i = 0; i < u->napi; i++)
		api_cal(&u->api[i], &ref_exact->api[i], &q->api[i]);
	for (i = 0; i < u->nfn; i++) {
		fn_cal(&u->fn[i], &ref_exact->fn[i], &q->fn[i]);
		u->fn[i].peak_concurrency = cal_dbl(u->fn[i].peak_concurrency,
						    ref_exact->fn[i].peak_concurrency,
						    q->fn[i].peak_concurrency);
	}
	for (i = 0; i < u->ntable; i++)
		table_cal(&u->table[i], &ref_exact->table[i], &q->table[i]);
	usage_free(q);
	return 0;
}

/* The quick baseline of request r's scope (simulated once, kept). */
static int quick_base(struct whatif *w, const struct whatif_req *r, const struct usage **out,
		      struct err *e)
{
	struct usage **slot;
	struct whatif_req q;

	switch (r->scope) {
	case WHATIF_ALL:
		slot = &w->q_all;
		break;
	case WHATIF_APIS:
		slot = &w->q_apis;
		break;
	case WHATIF_FUNCTION:
		if (!w->q_fn)
			w->q_fn = xcalloc(w->base->nfunctions + 1, sizeof *w->q_fn);
		slot = &w->q_fn[r->index];
		break;
	case WHATIF_TABLE:
	default:
		if (!w->q_table)
			w->q_table = xcalloc(w->base->ntables + 1, sizeof *w->q_table);
		slot = &w->q_table[r->index];
		break;
	}
	if (!*slot) {
		memset(&q, 0, sizeof q);
		q.plan = w->base;
		q.scope = r->scope;
		q.index = r->index;
		q.scale = 1;
		q.quick = true;
		if (whatif_run(w, &q, slot, e) < 0)
			return -1;
	}
	*out = *slot;
	return 0;
}

/* Calibrates the scoped records of quick result 'u' (see whatif.h). */
static void calibrate(const struct whatif *w, const struct whatif_req *r, struct usage *u,
		      const struct usage *q)
{
	const struct usage *e = w->baseline;
	size_t i;

	switch (r->scope) {
	case WHATIF_ALL:
	case WHATIF_APIS:
		for (i = 0; i < u->napi; i++)
			api_cal(&u->api[i], &e->api[i], &q->api[i]);
		if (r->scope == WHATIF_APIS)
			break;
		for (i = 0; i < u->nfn; i++)
			fn_cal(&u->fn[i], &e->fn[i], &q->fn[i]);
		for (i = 0; i < u->ntable; i++)
			table_cal(&u->table[i], &e->table[i], &q->table[i]);
		break;
	case WHATIF_FUNCTION:
		fn_cal(&u->fn[r->index], &e->fn[r->index], &q->fn[r->index]);
		break;
	case WHATIF_TABLE:
		table_cal(&u->table[r->index], &e->table[r->index], &q->table[r->index]);
		break;
	}
}

int whatif_run(struct whatif *w, const struct whatif_req *r, struct usage **out, struct err *e)
{
	if (w->mode == WHATIF_DAY && r->quick && r->calibrate) {
		const struct usage *q;
		struct whatif_req rr = *r;

		if (quick_base(w, r, &q, e) < 0)
			return -1;
		rr.calibrate = false;
		if (whatif_run(w, &rr, out, e) < 0)
			return -1;
		calibrate(w, r, *out, q);
		return 0;
	}
	return run_one(w, r, out, e);
}

/* Evaluates request r (without calibration). */
static int run_one(struct whatif *w, const struct whatif_req *r, struct usage **out, struct err *e)
{
	const struct plan *v = r->plan;
	double scale = r->scale > 0 ? r->scale : 1;
	size_t nw = w->mode == WHATIF_DAY && r->quick ? 1 : w->nwin, k, i;
	struct usage *acc = usage_new(v, w->baseline->window_s), *res;
	struct sub s;
	int rc = 0;

	*out = NULL;
	sub_build(w, r, &s);
	for (k = 0; k < nw && rc == 0; k++) {
		const struct trace *t = w->mode == WHATIF_DAY ? w->win[k].trace : w->tr;
		struct trace *own = NULL;
		struct usage *u = NULL;
		bool poisson = w->o.poisson_spread;
		uint64_t seed = w->o.seed;
		double wt = nw == w->nwin ? w->win[k].weight : w->baseline->window_s / w->win[k].seconds;

		if (r->scope == WHATIF_TABLE) {
			size_t d;

			t = drivers(w, k, r->index);
			if (!t) {
				err_add(e, NULL, 0, 0, "internal: no baseline series to replay table '%s'",
					v->tables[r->index].name);
				rc = -1;
				break;
			}
			for (d = 0; d < s.q.nfunctions; d++)
				s.fns[d].traffic.stream = t->names[d];
		}
		if (r->rng) {
			if (w->mode == WHATIF_DAY && r->scope != WHATIF_TABLE)
				own = rates_trace(w, w->win[k].seconds, r->rng);
			else if (t)
				own = trace_resample(t, r->rng);
			if (own)
				t = own;
			poisson = true;
			seed = (uint64_t)(stats_uniform(r->rng) * 4294967296.0);
		}
		rc = simulate(w, &s.q, t, poisson, seed, r->series_points, &u, e);
		trace_free(own);
		if (rc < 0)
			break;
		switch (r->scope) {
		case WHATIF_ALL:
			for (i = 0; i < u->nfn; i++)
				fn_add(&acc->fn[i], &u->fn[i], wt);
			for (i = 0; i < u->napi; i++)
				api_add(&acc->api[i], &u->api[i], wt);
			for (i = 0; i < u->ntable; i++)
				table_add(&acc->table[i], &u->table[i], wt);
			break;
		case WHATIF_APIS:
			for (i = 0; i < u->napi; i++)
				api_add(&acc->api[i], &u->api[i], wt);
			break;
		case WHATIF_FUNCTION:
			fn_add(&acc->fn[r->index], &u->fn[0], wt);
			break;
		case WHATIF_TABLE:
			table_add(&acc->table[r->index], &u->table[0], wt);
			break;
		}
		/* Series of the first window of a whole-plan run are handed
		 * over; those of a sub-plan describe the sub-plan and go. */
		if (r->series_points && k == 0 && r->scope == WHATIF_ALL) {
			acc->fn_series = u->fn_series;
			acc->api_series = u->api_series;
			acc->table_series = u->table_series;
			u->fn_series = u->api_series = u->table_series = NULL;
		}
		usage_free(u);
	}
	sub_free(&s);
	if (rc < 0) {
		usage_free(acc);
		return -1;
	}
	if (r->scope == WHATIF_ALL) {
		*out = acc;
		return 0;
	}
	res = whatif_usage_dup(w->baseline);
	if (scale != 1)
		usage_scale_all(res, scale);
	switch (r->scope) {
	case WHATIF_APIS:
		for (i = 0; i < res->napi; i++)
			res->api[i] = acc->api[i];
		break;
	case WHATIF_FUNCTION:
		res->fn[r->index] = acc->fn[r->index];
		break;
	case WHATIF_TABLE:
		table_set(&res->table[r->index], &acc->table[r->index]);
		break;
	case WHATIF_ALL:
		break;
	}
	/* Series of a scoped run describe the sub-plan: not handed over. */
	usage_free(acc);
	*out = res;
	return 0;
}
