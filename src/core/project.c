#include "project.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "stats.h"
#include "trace.h"
#include "util.h"
#include "whatif.h"

#define DAY_S 86400.0
#define DAYS_PER_MONTH (MONTH_S / DAY_S)
#define MIN_SCALE 1e-3
#define MAX_PROBES 16

const double mc_quantiles[MC_NQ] = {0.01, 0.10, 0.50, 0.90, 0.99};

/* ---- resources in bill order ------------------------------------------ */

/* Resource k of the bill (APIs, then functions, then tables): its
 * service, its index within that service and the whatif scope that
 * simulates it alone. */
struct rref {
	enum service svc;
	size_t idx;
	enum whatif_scope scope;
};

static struct rref rref_of(const struct plan *p, size_t k)
{
	struct rref r;

	if (k < p->napis) {
		r.svc = SVC_APIGATEWAY;
		r.idx = k;
		r.scope = WHATIF_APIS;
	} else if (k < p->napis + p->nfunctions) {
		r.svc = SVC_LAMBDA;
		r.idx = k - p->napis;
		r.scope = WHATIF_FUNCTION;
	} else {
		r.svc = SVC_DYNAMODB;
		r.idx = k - p->napis - p->nfunctions;
		r.scope = WHATIF_TABLE;
	}
	return r;
}

static size_t nres(const struct plan *p)
{
	return p->napis + p->nfunctions + p->ntables;
}

static const uint64_t *throttled_by(const struct usage *u, struct rref r)
{
	switch (r.svc) {
	case SVC_APIGATEWAY:
		return u->api[r.idx].throttled_by;
	case SVC_LAMBDA:
		return u->fn[r.idx].throttled_by;
	default:
		return u->table[r.idx].throttled_by;
	}
}

/* Copies resource r's record from 'src' into 'dst' (same layout). */
static void take_record(struct usage *dst, const struct usage *src, struct rref r)
{
	switch (r.svc) {
	case SVC_APIGATEWAY:
		dst->api[r.idx] = src->api[r.idx];
		break;
	case SVC_LAMBDA:
		dst->fn[r.idx] = src->fn[r.idx];
		break;
	default: {
		struct table_usage *d = &dst->table[r.idx];
		struct gsi_usage *g = d->gsis;
		size_t n = d->ngsis;

		*d = src->table[r.idx];
		d->gsis = g;
		d->ngsis = n;
		if (n)
			memcpy(g, src->table[r.idx].gsis, n * sizeof *g);
		break;
	}
	}
}

/* Highest per-second value of series kind k (counts: bucket sum / width). */
static double series_peak(const struct series *s, enum series_kind k)
{
	double m = 0;
	size_t i;

	if (!s || !s->v[k])
		return 0;
	for (i = 0; i < s->n; i++)
		if (s->v[k][i] > m)
			m = s->v[k][i];
	return series_is_level(k) ? m : m / (s->step_s > 0 ? s->step_s : 1);
}

/* ---- headroom ------------------------------------------------------- */

/* Table i: its limits over the peak demand per second, worked out from
 * the baseline's invocations of its callers (base reads and writes, and
 * each GSI's reads and writes). */
static double table_estimate(struct whatif *w, size_t ti)
{
	const struct plan *p = whatif_base(w);
	const struct table *t = &p->tables[ti];
	const struct dynamo_model *D = &p->model->dynamo;
	size_t ng = t->ngsis, nb = 0, b, j, c, g;
	double *pk = xcalloc(2 * ng + 2, sizeof *pk), *dm = xcalloc(2 * ng + 2, sizeof *dm);
	double est = INFINITY, n, share, rc, wc, step = 1;

	for (j = 0; j < p->nfunctions; j++) {
		const struct series *fs = whatif_fn_series(w, j);

		if (fs && fs->v[SER_ADMITTED]) {
			nb = fs->n;
			step = fs->step_s;
		}
	}
	for (b = 0; b < nb; b++) {
		memset(dm, 0, (2 * ng + 2) * sizeof *dm);
		for (j = 0; j < p->nfunctions; j++) {
			const struct function *f = &p->functions[j];
			const struct series *fs = whatif_fn_series(w, j);
			double ran;

			if (!fs || !fs->v[SER_ADMITTED] || b >= fs->n)
				continue;
			ran = fs->v[SER_ADMITTED][b] / step;
			for (c = 0; c < f->ncalls; c++) {
				const struct call *cl = &f->calls[c];

				if ((size_t)cl->table != ti)
					continue;
				dm[cl->index >= 0 ? 2 + 2 * (size_t)cl->index : 0] += ran * (double)cl->read_half_units / 2;
				dm[1] += ran * (double)cl->write_units;
				if (cl->write_units)
					for (g = 0; g < ng; g++)
						dm[3 + 2 * g] += ran * cl->items * t->gsis[g].write_share *
								 ceil(t->gsis[g].item_kb - 1e-9);
			}
		}
		for (g = 0; g < 2 * ng + 2; g++)
			pk[g] = fmax(pk[g], dm[g]);
	}
	if (t->mode == MODE_ON_DEMAND) {
		rc = D->table_max_rcu;
		wc = D->table_max_wcu;
		n = fmax(1, ceil(fmax(D->on_demand_initial_rru / D->partition_rcu,
				      D->on_demand_initial_wru / D->partition_wcu) - 1e-9));
	} else {
		rc = t->autoscaling.on ? t->autoscaling.max : t->rcu;
		wc = t->autoscaling.on ? t->autoscaling.max : t->wcu;
		n = fmax(1, ceil(t->rcu / D->partition_rcu + t->wcu / D->partition_wcu - 1e-9));
	}
	share = t->hot_key_share + (1 - t->hot_key_share) / n;
	if (pk[0] > 0)
		est = fmin(est, fmin(rc, D->partition_rcu / share) / pk[0]);
	if (pk[1] > 0)
		est = fmin(est, fmin(wc, D->partition_wcu / share) / pk[1]);
	for (g = 0; g < ng && t->mode == MODE_PROVISIONED; g++) {
		const struct gsi *x = &t->gsis[g];

		if (pk[2 + 2 * g] > 0)
			est = fmin(est, (x->autoscaling.on ? x->autoscaling.max : x->rcu) / pk[2 + 2 * g]);
		if (pk[3 + 2 * g] > 0)
			est = fmin(est, (x->autoscaling.on ? x->autoscaling.max : x->wcu) / pk[3 + 2 * g]);
	}
	free(pk);
	free(dm);
	return est;
}

/* An analytic first guess of the scale at which resource k throttles:
 * its limit over its baseline peak. INFINITY when nothing limits it. */
static double estimate(struct whatif *w, struct rref r)
{
	const struct plan *p = whatif_base(w);
	const struct usage *u = whatif_baseline(w);
	double est = INFINITY;
	size_t j;

	switch (r.svc) {
	case SVC_APIGATEWAY: {
		const struct api *a = &p->apis[r.idx];
		double peak = series_peak(whatif_api_series(w, r.idx), SER_OFFERED), all = 0, capped = 0;
		double acct = p->model->apigw.account_rate, s0;

		if (a->has_throttle && peak > 0)
			est = fmin(est, (a->throttle_rate + a->throttle_burst / 60) / peak);
		for (j = 0; j < p->napis; j++)
			all += series_peak(whatif_api_series(w, j), SER_OFFERED);
		if (all > 0) {
			/* The account bucket, with the APIs that their stage caps
			 * first taking only their stage rate. */
			s0 = acct / all;
			for (j = 0, all = 0; j < p->napis; j++) {
				double pk = series_peak(whatif_api_series(w, j), SER_OFFERED);

				if (p->apis[j].has_throttle && s0 * pk > p->apis[j].throttle_rate)
					capped += p->apis[j].throttle_rate;
				else
					all += pk;
			}
			if (all > 0 && acct > capped)
				est = fmin(est, (acct - capped) / all);
		}
		break;
	}
	case SVC_LAMBDA: {
		const struct function *f = &p->functions[r.idx];
		double peak = u->fn[r.idx].peak_concurrency, others = 0, reserved = 0, lim;
		double rps = series_peak(whatif_fn_series(w, r.idx), SER_OFFERED);

		for (j = 0; j < p->nfunctions; j++) {
			if (j == r.idx)
				continue;
			if (p->functions[j].reserved >= 0)
				reserved += p->functions[j].reserved;
			else
				others += u->fn[j].peak_concurrency;
		}
		if (f->reserved >= 0) {
			lim = f->reserved;
			if (peak > 0)
				est = lim / peak;
		} else {
			lim = p->lambda_concurrency - reserved;
			if (peak + others > 0)
				est = lim / (peak + others);
		}
		if (f->invocation == INVOKE_ASYNC) {
			/* The queue smooths bursts: the mean rate is what counts. */
			const struct series *fs = whatif_fn_series(w, r.idx);
			struct duration_dist d = stats_duration(f->duration_p50_ms,
								f->lognormal ? f->duration_p95_ms : f->duration_p50_ms,
								f->timeout_s * 1000);
			double sum = 0, mean;
			size_t b;

			for (b = 0; fs && fs->v[SER_OFFERED] && b < fs->n; b++)
				sum += fs->v[SER_OFFERED][b];
			mean = fs && fs->n ? sum / ((double)fs->n * fs->step_s) : 0;
			if (mean > 0)
				est = lim / (mean * stats_mean_ms(&d) / 1000);
		} else if (rps > 0) {
			est = fmin(est, lim * p->model->lambda.rps_per_concurrency / rps);
		}
		break;
	}
	case SVC_DYNAMODB:
		est = table_estimate(w, r.idx);
		break;
	default:
		break;
	}
	return est;
}

/* Simulates resource r alone at scale s (a quick evaluation) and reads
 * its throttle ratio and the limit behind it. */
static int probe(struct whatif *w, size_t k, struct rref r, double s, double *ratio,
		 enum limit_kind *lim, struct err *e)
{
	const struct plan *p = whatif_base(w);
	struct whatif_req q;
	struct usage *u;
	struct bill *b;

	memset(&q, 0, sizeof q);
	q.plan = p;
	q.scope = r.scope;
	q.index = r.idx;
	q.scale = s;
	q.quick = true;
	if (whatif_run(w, &q, &u, e) < 0)
		return -1;
	b = bill_price(p, u);
	*ratio = b->res[k].throttle_ratio;
	*lim = limit_binding(throttled_by(u, r));
	bill_free(b);
	usage_free(u);
	return 0;
}

static int search(struct whatif *w, size_t k, double target, double max_scale, double tol,
		  struct headroom_row *row, struct err *e)
{
	struct rref r = rref_of(whatif_base(w), k);
	double lo = 0, hi = INFINITY, s, step = 1.1, ratio;
	enum limit_kind lim;

	row->estimate = estimate(w, r);
	s = isfinite(row->estimate) ? fmin(fmax(row->estimate, MIN_SCALE), max_scale) : max_scale;
	row->limit = LIMIT_NONE;
	row->ratio = 0;
#define PROBE(x) do { \
		if (probe(w, k, r, (x), &ratio, &lim, e) < 0) \
			return -1; \
		row->evaluations++; \
		if (ratio > target) { \
			hi = (x); \
			row->ratio = ratio; \
			row->limit = lim; \
		} else { \
			lo = (x); \
		} \
	} while (0)
	PROBE(s);
	if (hi < INFINITY) {
		/* Throttles at the guess: walk down until it does not. */
		while (lo == 0 && row->evaluations < MAX_PROBES) {
			s = hi / step;
			step = fmin(step * step, 10);
			if (s < MIN_SCALE)
				break;
			PROBE(s);
		}
	} else {
		while (hi == INFINITY && lo < max_scale && row->evaluations < MAX_PROBES) {
			s = fmin(lo * step, max_scale);
			step = fmin(step * step, 10);
			PROBE(s);
		}
	}
	while (lo > 0 && hi < INFINITY && hi / lo > 1 + tol && row->evaluations < MAX_PROBES) {
		s = sqrt(lo * hi);
		PROBE(s);
	}
#undef PROBE
	row->scale = hi;
	row->scale_ok = lo;
	return 0;
}

int project_headroom(struct whatif *w, double target, double max_scale, double tolerance,
		     struct headroom *out, struct err *e)
{
	const struct plan *p = whatif_base(w);
	const struct bill *b = whatif_baseline_bill(w);
	size_t k, n = nres(p);

	memset(out, 0, sizeof *out);
	out->target = target;
	out->max_scale = max_scale;
	out->tolerance = tolerance;
	out->first = -1;
	out->rows = xcalloc(n + 1, sizeof *out->rows);
	out->n = n;
	for (k = 0; k < n; k++) {
		struct headroom_row *row = &out->rows[k];

		row->resource = xstrdup(b->res[k].name);
		row->service = b->res[k].service;
		if (search(w, k, target, max_scale, tolerance, row, e) < 0) {
			headroom_free(out);
			return -1;
		}
		if (row->scale < INFINITY && (out->first < 0 || row->scale < out->rows[out->first].scale))
			out->first = (long)k;
	}
	return 0;
}

void headroom_free(struct headroom *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->n; i++)
		free(h->rows[i].resource);
	free(h->rows);
	memset(h, 0, sizeof *h);
}

/* ---- growth ---------------------------------------------------------- */

int project_fit_growth(const struct trace *tr, struct growth_fit *out)
{
	size_t ndays, d, b, s, used = 0, per;
	double *x, *y, *tot, c1, se;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (!tr || tr->step_s == 0 || tr->step_s > DAY_S || (uint32_t)DAY_S % tr->step_s)
		return -1;
	per = (size_t)(DAY_S / tr->step_s);
	ndays = tr->nbuckets / per;
	/* Whole weeks: a weekly cycle over part of a week reads as growth. */
	ndays -= ndays % 7;
	if (ndays < 14)
		return -1;
	tot = xcalloc(ndays, sizeof *tot);
	x = xcalloc(ndays, sizeof *x);
	y = xcalloc(ndays, sizeof *y);
	for (b = 0; b < ndays * per; b++)
		for (s = 0; s < tr->nstreams; s++)
			tot[b / per] += tr->counts[b * tr->nstreams + s];
	for (d = 0; d < ndays; d++)
		if (tot[d] > 0) {
			x[used] = (double)d;
			y[used] = log(tot[d]);
			used++;
		}
	/* Each weekday has its own level, so that a weekly cycle (quiet
	 * weekends at the end of each week) is not read as a trend. */
	if (used >= 14 && stats_fit_trend_weekly(x, y, used, &c1, &se) == 0) {
		out->days = (int)used;
		out->per_day = c1;
		out->per_month = expm1(c1 * DAYS_PER_MONTH);
		out->per_month_se = (out->per_month + 1) * DAYS_PER_MONTH * se;
		out->doubling_days = c1 > 0 ? log(2) / c1 : INFINITY;
		rc = 0;
	}
	free(tot);
	free(x);
	free(y);
	return rc;
}

/* ---- projection ------------------------------------------------------- */

static bool has_autoscaling(const struct table *t)
{
	size_t g;

	if (t->autoscaling.on)
		return true;
	for (g = 0; g < t->ngsis; g++)
		if (t->gsis[g].autoscaling.on)
			return true;
	return false;
}

/* Whether resource k must be simulated at scale s (not linear in traffic
 * there): near its headroom, throttling in the baseline, a table that
 * auto scales, or a function whose load nears its provisioned
 * concurrency. */
static bool nonlinear(struct whatif *w, const struct headroom *h, size_t k, double s, bool mc)
{
	const struct plan *p = whatif_base(w);
	const struct bill *b = whatif_baseline_bill(w);
	struct rref r = rref_of(p, k);

	if (s == 1 && !mc)
		return false;
	if (b->res[k].throttled > 0)
		return true;
	if (h && k < h->n && h->rows[k].scale < INFINITY && s >= (mc ? 0.67 : 0.7) * h->rows[k].scale)
		return true;
	if (mc)
		return false;
	if (r.svc == SVC_DYNAMODB)
		return p->tables[r.idx].mode == MODE_PROVISIONED && has_autoscaling(&p->tables[r.idx]);
	if (r.svc == SVC_LAMBDA) {
		const struct function *f = &p->functions[r.idx];

		return f->provisioned > 0 &&
		       s * whatif_baseline(w)->fn[r.idx].peak_concurrency > 0.8 * f->provisioned;
	}
	return false;
}

static double worst_ratio(const struct bill *b, size_t *which)
{
	double m = 0;
	size_t i;

	*which = (size_t)-1;
	for (i = 0; i < b->n; i++)
		if (b->res[i].throttle_ratio > m) {
			m = b->res[i].throttle_ratio;
			*which = i;
		}
	return m;
}

int project_months(struct whatif *w, const struct headroom *h, double growth, int months,
		   double target, struct projection *out, struct err *e)
{
	const struct plan *p = whatif_base(w);
	size_t n = nres(p), k;
	int m;

	memset(out, 0, sizeof *out);
	out->growth = growth;
	if (months < 1)
		months = 1;
	out->months = xcalloc((size_t)months, sizeof *out->months);
	out->n = (size_t)months;
	for (m = 1; m <= months; m++) {
		struct projection_month *pm = &out->months[m - 1];
		double s = pow(1 + growth, m - 1);
		struct usage *u = whatif_usage_dup(whatif_baseline(w));
		struct bill *b;
		size_t which;
		double *fa = xcalloc(u->napi + 1, sizeof *fa), *ff = xcalloc(u->nfn + 1, sizeof *ff);
		double *ft = xcalloc(u->ntable + 1, sizeof *ft);

		for (k = 0; k < u->napi; k++)
			fa[k] = s;
		for (k = 0; k < u->nfn; k++)
			ff[k] = s;
		for (k = 0; k < u->ntable; k++)
			ft[k] = s;
		whatif_usage_scale(u, fa, ff, NULL, ft);
		free(fa);
		free(ff);
		free(ft);
		pm->month = m;
		pm->scale = s;
		for (k = 0; k < n; k++) {
			struct rref r = rref_of(p, k);
			struct whatif_req q;
			struct usage *v;

			if (!nonlinear(w, h, k, s, false))
				continue;
			/* Every API shares the account bucket: one run serves all. */
			if (r.svc == SVC_APIGATEWAY && r.idx > 0 && nonlinear(w, h, k - 1, s, false))
				continue;
			memset(&q, 0, sizeof q);
			q.plan = p;
			q.scope = r.scope;
			q.index = r.idx;
			q.scale = s;
			q.quick = true;
			q.calibrate = true;
			if (whatif_run(w, &q, &v, e) < 0) {
				usage_free(u);
				projection_free(out);
				return -1;
			}
			if (r.svc == SVC_APIGATEWAY) {
				size_t a;

				for (a = 0; a < p->napis; a++)
					take_record(u, v, rref_of(p, a));
			} else {
				take_record(u, v, r);
			}
			usage_free(v);
			pm->simulated++;
		}
		b = bill_price(p, u);
		pm->monthly_cost = b->total;
		pm->throttle_ratio = worst_ratio(b, &which);
		pm->worst = xstrdup(which < b->n ? b->res[which].name : "");
		if (!out->start_month && pm->throttle_ratio > target)
			out->start_month = m;
		bill_free(b);
		usage_free(u);
	}
	if (h && h->first >= 0 && growth > 0) {
		double sf = h->rows[h->first].scale;

		out->headroom_month = sf <= 1 ? 1 : 1 + (int)ceil(log(sf) / log1p(growth) - 1e-9);
	}
	return 0;
}

void projection_free(struct projection *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		free(p->months[i].worst);
	free(p->months);
	memset(p, 0, sizeof *p);
}

/* ---- Monte Carlo ------------------------------------------------------- */

/* A traffic source and the resources it feeds. */
struct mc_src {
	double events;		/* expected over the window */
	double f;		/* this draw: Poisson(events) / events */
};

struct mc_flows {
	struct mc_src *src;
	size_t nsrc;
	/* weights[r][s]: events of source s reaching resource r (bill order) */
	double *wt;
	double *dur_sd;		/* per function: relative s.d. of the mean billed duration */
};

static size_t src_add(struct mc_flows *fl, struct whatif *w, const struct rate *r)
{
	fl->src = xrealloc(fl->src, (fl->nsrc + 1) * sizeof *fl->src);
	fl->src[fl->nsrc].events = whatif_events(w, r);
	fl->src[fl->nsrc].f = 1;
	return fl->nsrc++;
}

/* Builds the flow weights: each route's requests reach its API and (less
 * cache hits) its function; a function's invocations reach the tables it
 * calls, one operation per call. */
static void mc_flows(struct whatif *w, struct mc_flows *fl)
{
	const struct plan *p = whatif_base(w);
	const struct usage *u = whatif_baseline(w);
	size_t n = nres(p), i, j, c, s, maxsrc, nf = p->nfunctions, na = p->napis;
	size_t **route_src = xcalloc(na + 1, sizeof *route_src), *fn_src = xcalloc(nf + 1, sizeof *fn_src);
	size_t *msg_src = xcalloc(na + 1, sizeof *msg_src), *min_src = xcalloc(na + 1, sizeof *min_src);

	memset(fl, 0, sizeof *fl);
	for (i = 0; i < na; i++) {
		route_src[i] = xcalloc(p->apis[i].nroutes + 1, sizeof **route_src);
		for (j = 0; j < p->apis[i].nroutes; j++)
			route_src[i][j] = src_add(fl, w, &p->apis[i].routes[j].traffic);
		msg_src[i] = src_add(fl, w, &p->apis[i].messages_out);
		min_src[i] = src_add(fl, w, &p->apis[i].connection_minutes);
	}
	for (i = 0; i < nf; i++)
		fn_src[i] = src_add(fl, w, &p->functions[i].traffic);
	maxsrc = fl->nsrc;
	fl->wt = xcalloc(n * maxsrc + 1, sizeof *fl->wt);
	for (i = 0; i < na; i++) {
		const struct api *a = &p->apis[i];

		for (j = 0; j < a->nroutes; j++) {
			const struct route *rt = &a->routes[j];
			double ev = fl->src[route_src[i][j]].events;
			double h = a->has_cache && rt->cacheable ? a->cache_hit_ratio : 0;

			fl->wt[i * maxsrc + route_src[i][j]] += ev;
			if (rt->function >= 0)
				fl->wt[(na + (size_t)rt->function) * maxsrc + route_src[i][j]] += ev * (1 - h);
		}
		fl->wt[i * maxsrc + msg_src[i]] += fl->src[msg_src[i]].events;
		fl->wt[i * maxsrc + min_src[i]] += fl->src[min_src[i]].events;
	}
	for (i = 0; i < nf; i++)
		fl->wt[(na + i) * maxsrc + fn_src[i]] += fl->src[fn_src[i]].events;
	/* Tables: the callers' flows, in proportion to their operations. */
	for (i = 0; i < nf; i++) {
		const struct function *f = &p->functions[i];
		double tot = 0;

		for (s = 0; s < maxsrc; s++)
			tot += fl->wt[(na + i) * maxsrc + s];
		for (c = 0; c < f->ncalls; c++) {
			size_t t = na + nf + (size_t)f->calls[c].table;

			for (s = 0; s < maxsrc && tot > 0; s++)
				fl->wt[t * maxsrc + s] += fl->wt[(na + i) * maxsrc + s] / tot *
							  (double)u->fn[i].invocations;
		}
	}
	fl->dur_sd = xcalloc(nf + 1, sizeof *fl->dur_sd);
	for (i = 0; i < nf; i++) {
		const struct function *f = &p->functions[i];
		struct duration_dist d = stats_duration(f->duration_p50_ms,
							f->lognormal ? f->duration_p95_ms : f->duration_p50_ms,
							f->timeout_s * 1000);
		double cv = d.sigma > 0 ? sqrt(expm1(d.sigma * d.sigma)) : 0;
		double calls = (double)u->fn[i].invocations;

		fl->dur_sd[i] = calls > 0 ? cv / sqrt(calls) : 0;
	}
	for (i = 0; i < na; i++)
		free(route_src[i]);
	free(route_src);
	free(fn_src);
	free(msg_src);
	free(min_src);
}

static void mc_flows_free(struct mc_flows *fl)
{
	free(fl->src);
	free(fl->wt);
	free(fl->dur_sd);
}

/* This draw's factor for resource k: the weighted mean of its sources'. */
static double mc_factor(const struct mc_flows *fl, size_t k)
{
	double num = 0, den = 0;
	size_t s;

	for (s = 0; s < fl->nsrc; s++) {
		double x = fl->wt[k * fl->nsrc + s];

		num += x * fl->src[s].f;
		den += x;
	}
	return den > 0 ? num / den : 1;
}

static void quantiles(double *v, size_t n, double q[MC_NQ])
{
	int i;

	stats_sort(v, n);
	for (i = 0; i < MC_NQ; i++)
		q[i] = stats_quantile_sorted(v, n, mc_quantiles[i]);
}

int project_monte_carlo(struct whatif *w, const struct headroom *h, int runs, int sim_runs,
			uint64_t seed, struct monte_carlo *out, struct err *e)
{
	const struct plan *p = whatif_base(w);
	const struct bill *b0 = whatif_baseline_bill(w);
	size_t n = nres(p), k, i;
	struct mc_flows fl;
	struct stats_rng *rng;
	double *tot, *worst, *cost, *thr, *fa, *ff, *fd, *ft;
	bool *sim;
	int run, rc = 0;
	size_t which;

	memset(out, 0, sizeof *out);
	if (runs < 1)
		return 0;
	for (k = 0; k < n; k++)
		if (nonlinear(w, h, k, 1, true) && sim_runs > 0 && sim_runs < runs) {
			out->capped_from = runs;
			runs = sim_runs;
			break;
		}
	out->runs = runs;
	out->seed = seed;
	out->window_s = whatif_baseline(w)->window_s;
	out->deterministic_cost = b0->total;
	out->deterministic_throttle = worst_ratio(b0, &which);
	mc_flows(w, &fl);
	rng = stats_rng_new(seed);
	tot = xcalloc((size_t)runs, sizeof *tot);
	worst = xcalloc((size_t)runs, sizeof *worst);
	cost = xcalloc((size_t)runs * n + 1, sizeof *cost);
	thr = xcalloc((size_t)runs * n + 1, sizeof *thr);
	fa = xcalloc(p->napis + 1, sizeof *fa);
	ff = xcalloc(p->nfunctions + 1, sizeof *ff);
	fd = xcalloc(p->nfunctions + 1, sizeof *fd);
	ft = xcalloc(p->ntables + 1, sizeof *ft);
	sim = xcalloc(n + 1, sizeof *sim);
	for (k = 0; k < n; k++)
		sim[k] = nonlinear(w, h, k, 1, true);
	for (run = 0; run < runs && rc == 0; run++) {
		struct usage *u = whatif_usage_dup(whatif_baseline(w));
		struct plan *v = NULL;
		struct bill *b;
		size_t s;

		for (s = 0; s < fl.nsrc; s++) {
			double ev = fl.src[s].events;

			fl.src[s].f = ev > 0 ? (double)stats_poisson(rng, ev) / ev : 1;
		}
		for (i = 0; i < p->napis; i++)
			fa[i] = mc_factor(&fl, i);
		for (i = 0; i < p->nfunctions; i++) {
			ff[i] = mc_factor(&fl, p->napis + i);
			fd[i] = fmax(0.5, 1 + fl.dur_sd[i] * stats_normal(rng));
		}
		for (i = 0; i < p->ntables; i++)
			ft[i] = mc_factor(&fl, p->napis + p->nfunctions + i);
		whatif_usage_scale(u, fa, ff, fd, ft);
		/* Resources near a limit: simulate this draw. */
		for (k = 0; k < n && rc == 0; k++) {
			struct rref r = rref_of(p, k);
			struct whatif_req q;
			struct usage *x;

			if (!sim[k] || (r.svc == SVC_APIGATEWAY && r.idx > 0 && sim[k - 1]))
				continue;
			if (!v) {
				v = whatif_copy(p);
				for (i = 0; i < p->nfunctions; i++) {
					v->functions[i].duration_p50_ms *= fd[i];
					v->functions[i].duration_p95_ms *= fd[i];
				}
			}
			memset(&q, 0, sizeof q);
			q.plan = v;
			q.scope = r.scope;
			q.index = r.idx;
			q.scale = 1;
			q.quick = true;
			q.calibrate = true;
			q.rng = rng;
			if ((rc = whatif_run(w, &q, &x, e)) < 0)
				break;
			if (r.svc == SVC_APIGATEWAY) {
				size_t a;

				for (a = 0; a < p->napis; a++)
					take_record(u, x, rref_of(p, a));
			} else {
				take_record(u, x, r);
			}
			usage_free(x);
		}
		whatif_copy_free(v);
		if (rc == 0) {
			b = bill_price(p, u);
			tot[run] = b->total;
			worst[run] = worst_ratio(b, &which);
			for (k = 0; k < n; k++) {
				cost[k * (size_t)runs + (size_t)run] = b->res[k].monthly_cost;
				thr[k * (size_t)runs + (size_t)run] = b->res[k].throttle_ratio;
			}
			bill_free(b);
		}
		usage_free(u);
	}
	if (rc == 0) {
		quantiles(tot, (size_t)runs, out->cost);
		quantiles(worst, (size_t)runs, out->throttle);
		out->res = xcalloc(n + 1, sizeof *out->res);
		out->n = n;
		for (k = 0; k < n; k++) {
			out->res[k].resource = xstrdup(b0->res[k].name);
			out->res[k].service = b0->res[k].service;
			out->res[k].simulated = sim[k];
			quantiles(cost + k * (size_t)runs, (size_t)runs, out->res[k].cost);
			quantiles(thr + k * (size_t)runs, (size_t)runs, out->res[k].throttle);
		}
	}
	stats_rng_free(rng);
	mc_flows_free(&fl);
	free(tot);
	free(worst);
	free(cost);
	free(thr);
	free(fa);
	free(ff);
	free(fd);
	free(ft);
	free(sim);
	if (rc < 0)
		monte_carlo_free(out);
	return rc;
}

void monte_carlo_free(struct monte_carlo *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		free(m->res[i].resource);
	free(m->res);
	memset(m, 0, sizeof *m);
}
