#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dynamo_units.h"
#include "stats.h"
#include "util.h"

/* A rate replayed as integer arrivals per second: after k active seconds
 * exactly F(k) = floor(lambda k) events have been emitted, so the window
 * total equals rate_events() for the same rate. */
struct source {
	const struct rate *rate;
	long double per_s;	/* events per active second, scale applied */
	uint64_t k;		/* active seconds so far */
	uint64_t emitted;
};

static void source_init(struct source *s, const struct rate *r, double scale)
{
	memset(s, 0, sizeof *s);
	s->rate = r;
	if (r->set && !r->stream && r->period_s > 0)
		s->per_s = (long double)r->count * scale / r->period_s;
}

static uint64_t source_next(struct source *s, double t)
{
	long double x;
	uint64_t total, n;

	if (s->per_s <= 0 || !schedule_active_at(&s->rate->sched, t))
		return 0;
	s->k++;
	x = floorl(s->per_s * (long double)s->k + 1e-6L);
	total = x >= 1.8e19L ? UINT64_MAX : (uint64_t)x;
	n = total - s->emitted;
	s->emitted = total;
	return n;
}

/* Adds with saturation: counters never wrap. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	if (a && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

/* Metered units per request for an API (HTTP: 512 KB increments of
 * request + response; WebSocket: 32 KB increments of the message). */
static uint64_t metered_per_request(const struct api *a, const struct model *m)
{
	double kb, step;

	switch (a->type) {
	case API_HTTP:
		kb = a->request_kb + a->response_kb;
		step = m->apigw.http_metering_kb;
		break;
	case API_WEBSOCKET:
		kb = a->request_kb;
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

struct fn_state {
	struct source direct;
	uint64_t arrivals;	/* this second */
	uint64_t pc_calls, od_calls;
	double mean_s;
	double billed_ms;
	/* provisioned concurrency period bookkeeping */
	double pc_period_s;
	double pc_enabled_s;	/* rounded */
};

static double round_up(double x, double step)
{
	return ceil(x / step - 1e-9) * step;
}

int sim_run(const struct plan *p, const struct sim_opts *opts,
	    struct usage **out, struct err *e)
{
	const struct model *m = p->model;
	struct usage *u;
	struct source *route_src, *msg_src, *min_src;
	struct fn_state *fs;
	size_t nroutes = 0, i, j, r;
	double t, W = MONTH_S;
	uint64_t *hits_cum, *adm_cum;

	(void)opts;
	(void)e;
	u = xcalloc(1, sizeof *u);
	u->window_s = W;
	u->nfn = p->nfunctions;
	u->napi = p->napis;
	u->ntable = p->ntables;
	u->fn = xcalloc(p->nfunctions, sizeof *u->fn);
	u->api = xcalloc(p->napis, sizeof *u->api);
	u->table = xcalloc(p->ntables, sizeof *u->table);
	for (i = 0; i < p->ntables; i++) {
		u->table[i].ngsis = p->tables[i].ngsis;
		u->table[i].gsis = xcalloc(p->tables[i].ngsis, sizeof *u->table[i].gsis);
		u->table[i].storage_gb = p->tables[i].storage_gb;
	}
	for (i = 0; i < p->napis; i++)
		nroutes += p->apis[i].nroutes;
	route_src = xcalloc(nroutes, sizeof *route_src);
	hits_cum = xcalloc(nroutes, sizeof *hits_cum);
	adm_cum = xcalloc(nroutes, sizeof *adm_cum);
	msg_src = xcalloc(p->napis, sizeof *msg_src);
	min_src = xcalloc(p->napis, sizeof *min_src);
	for (i = 0, r = 0; i < p->napis; i++) {
		for (j = 0; j < p->apis[i].nroutes; j++)
			source_init(&route_src[r++], &p->apis[i].routes[j].traffic, p->scale);
		source_init(&msg_src[i], &p->apis[i].messages_out, p->scale);
		source_init(&min_src[i], &p->apis[i].connection_minutes, p->scale);
	}
	fs = xcalloc(p->nfunctions, sizeof *fs);
	for (i = 0; i < p->nfunctions; i++) {
		const struct function *f = &p->functions[i];
		struct duration_dist d = stats_duration(f->duration_p50_ms,
							f->lognormal ? f->duration_p95_ms : f->duration_p50_ms,
							f->timeout_s * 1000);

		source_init(&fs[i].direct, &f->traffic, p->scale);
		fs[i].mean_s = stats_mean_ms(&d) / 1000;
		fs[i].billed_ms = stats_expected_billed_ms(&d);
	}

	for (t = 0; t < W; t += 1) {
		/* API Gateway: arrivals per route, cache hits, backend calls. */
		for (i = 0, r = 0; i < p->napis; i++) {
			const struct api *a = &p->apis[i];
			struct api_usage *au = &u->api[i];
			uint64_t per = metered_per_request(a, m);

			for (j = 0; j < a->nroutes; j++, r++) {
				const struct route *rt = &a->routes[j];
				uint64_t n = source_next(&route_src[r], t), hits = 0, back;

				if (!n)
					continue;
				au->offered = sat_add(au->offered, n);
				au->admitted = sat_add(au->admitted, n);
				au->metered = sat_add(au->metered, sat_mul(n, per));
				if (a->has_cache && rt->cacheable) {
					uint64_t cum;

					adm_cum[r] = sat_add(adm_cum[r], n);
					cum = (uint64_t)floor((double)adm_cum[r] * a->cache_hit_ratio + 1e-9);
					hits = cum - hits_cum[r];
					hits_cum[r] = cum;
					au->cache_hits += hits;
				}
				back = n - hits;
				if (rt->function >= 0)
					fs[rt->function].arrivals = sat_add(fs[rt->function].arrivals, back);
			}
			if (a->type == API_WEBSOCKET) {
				uint64_t n = source_next(&msg_src[i], t);

				au->offered = sat_add(au->offered, n);
				au->admitted = sat_add(au->admitted, n);
				au->metered = sat_add(au->metered, sat_mul(n, per));
				au->ws_minutes = sat_add(au->ws_minutes, source_next(&min_src[i], t));
			}
		}
		/* Lambda: provisioned concurrency first, the rest on demand. */
		for (i = 0; i < p->nfunctions; i++) {
			const struct function *f = &p->functions[i];
			struct fn_state *s = &fs[i];
			uint64_t n = sat_add(s->arrivals, source_next(&s->direct, t)), pc = 0;
			bool pc_on = f->provisioned > 0 && schedule_active_at(&f->pc_sched, t);

			s->arrivals = 0;
			if (pc_on) {
				s->pc_period_s += 1;
			} else if (s->pc_period_s > 0) {
				s->pc_enabled_s += round_up(s->pc_period_s, m->lambda.pc_rounding_s);
				s->pc_period_s = 0;
			}
			if (!n)
				continue;
			if (pc_on) {
				double cap = f->provisioned / (s->mean_s > 0 ? s->mean_s : 1e-9);
				double rps_cap = f->provisioned * m->lambda.rps_per_concurrency;

				if (rps_cap < cap)
					cap = rps_cap;
				pc = (double)n < cap ? n : (uint64_t)floor(cap);
			}
			u->fn[i].offered = sat_add(u->fn[i].offered, n);
			u->fn[i].invocations = sat_add(u->fn[i].invocations, n);
			s->pc_calls = sat_add(s->pc_calls, pc);
			s->od_calls = sat_add(s->od_calls, n - pc);
			if ((double)n * s->mean_s > u->fn[i].peak_concurrency)
				u->fn[i].peak_concurrency = (double)n * s->mean_s;
			/* DynamoDB calls made by the invocations that ran. */
			for (j = 0; j < f->ncalls; j++) {
				const struct call *c = &f->calls[j];
				const struct table *tb = &p->tables[c->table];
				struct table_usage *tu = &u->table[c->table];
				size_t g;

				tu->offered = sat_add(tu->offered, n);
				if (c->index >= 0) {
					struct gsi_usage *gu = &tu->gsis[c->index];

					gu->read_half_units = sat_add(gu->read_half_units, sat_mul(n, c->read_half_units));
				} else {
					tu->read_half_units = sat_add(tu->read_half_units, sat_mul(n, c->read_half_units));
				}
				tu->write_units = sat_add(tu->write_units, sat_mul(n, c->write_units));
				if (c->write_units == 0)
					continue;
				for (g = 0; g < tb->ngsis; g++) {
					const struct gsi *gs = &tb->gsis[g];
					uint64_t per_item = (ddb_item_bytes(gs->item_kb) + 1023) / 1024;
					double w = (double)n * c->items * gs->write_share;

					tu->gsis[g].write_units = sat_add(tu->gsis[g].write_units,
						(uint64_t)floor(w + 1e-9) * per_item);
				}
			}
		}
	}
	/* Close the window: open PC periods, billed quantities, capacity-hours. */
	for (i = 0; i < p->nfunctions; i++) {
		const struct function *f = &p->functions[i];
		struct fn_state *s = &fs[i];
		struct fn_usage *fu = &u->fn[i];
		double mem = f->memory_mb, eph = f->ephemeral_mb - m->lambda.ephemeral_included_mb;

		if (s->pc_period_s > 0)
			s->pc_enabled_s += round_up(s->pc_period_s, m->lambda.pc_rounding_s);
		fu->pc_mb_s = (uint64_t)llround(f->provisioned * mem * s->pc_enabled_s);
		fu->mb_ms = (uint64_t)llround((double)s->od_calls * s->billed_ms * mem);
		fu->pc_mb_ms = (uint64_t)llround((double)s->pc_calls * s->billed_ms * mem);
		if (eph > 0)
			fu->eph_mb_ms = (uint64_t)llround((double)fu->invocations * s->billed_ms * eph);
	}
	for (i = 0; i < p->napis; i++) {
		const struct api *a = &p->apis[i];

		if (a->has_cache)
			u->api[i].cache_hours = W / 3600.0;
		if (a->transfer_out && a->response_kb > 0)
			u->api[i].transfer_gb = (double)u->api[i].admitted * a->response_kb / (1024.0 * 1024.0);
	}
	for (i = 0; i < p->ntables; i++) {
		const struct table *tb = &p->tables[i];
		struct table_usage *tu = &u->table[i];

		if (tb->mode == MODE_PROVISIONED) {
			tu->rcu_hours = tb->rcu * W / 3600.0;
			tu->wcu_hours = tb->wcu * W / 3600.0;
			for (j = 0; j < tb->ngsis; j++) {
				tu->gsis[j].rcu_hours = tb->gsis[j].rcu * W / 3600.0;
				tu->gsis[j].wcu_hours = tb->gsis[j].wcu * W / 3600.0;
			}
		}
	}
	free(route_src);
	free(hits_cum);
	free(adm_cum);
	free(msg_src);
	free(min_src);
	free(fs);
	*out = u;
	return 0;
}
