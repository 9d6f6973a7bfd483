#include "bill.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MB_MS_PER_GB_S (1024.0 * 1000.0)

const char *service_name(enum service s)
{
	static const char *const names[SVC_COUNT] = {"lambda", "apigateway", "dynamodb"};

	return s < SVC_COUNT ? names[s] : "?";
}

int service_parse(const char *s)
{
	int i;

	for (i = 0; i < SVC_COUNT; i++)
		if (strcmp(s, service_name((enum service)i)) == 0)
			return i;
	return -1;
}

static struct bill_resource *add_resource(struct bill *b, size_t *cap, const char *name,
					  enum service svc, uint64_t requests, uint64_t throttled)
{
	struct bill_resource *r;

	xgrow(&b->res, cap, b->n + 1, sizeof *b->res);
	r = &b->res[b->n++];
	memset(r, 0, sizeof *r);
	r->name = xstrdup(name);
	r->service = svc;
	r->requests = requests;
	r->throttled = throttled;
	r->throttle_ratio = requests ? (double)throttled / (double)requests : 0;
	return r;
}

/* Adds a line item unless its quantity is zero. */
static void add_item(struct bill_resource *r, const char *component, double qty,
		     const char *unit, double price)
{
	struct line_item *li;

	if (qty == 0)
		return;
	xgrow(&r->items, &r->cap, r->nitems + 1, sizeof *r->items);
	li = &r->items[r->nitems++];
	li->component = xstrdup(component);
	li->quantity = qty;
	li->unit = unit;
	li->unit_price = price;
	li->monthly_cost = qty * price;
}

/* Effective unit price of 'total' units under tiers (tier 1 when total is 0). */
static double effective_price(const struct tiers *t, double total)
{
	return total > 0 ? tiers_cost(t, 0, total) / total : t->t[0].price;
}

/* The share of a free allowance 'free' that goes to a user of 'q' units
 * out of an account total of 'total'. */
static double free_share(double free, double q, double total)
{
	if (total <= 0 || q <= 0)
		return 0;
	return (free < total ? free : total) * q / total;
}

static void price_lambda(struct bill *b, size_t *cap, const struct plan *p,
			 const struct usage *u, double proj, bool with_free)
{
	const struct lambda_model *L = &p->model->lambda;
	double gbs[ARCH_COUNT] = {0}, price[ARCH_COUNT], reqs = 0, od_total = 0;
	size_t i;

	for (i = 0; i < p->nfunctions; i++) {
		gbs[p->functions[i].arch] += (double)u->fn[i].mb_ms / MB_MS_PER_GB_S * proj;
		reqs += (double)u->fn[i].invocations * proj;
	}
	for (i = 0; i < ARCH_COUNT; i++) {
		price[i] = effective_price(&L->duration[i], gbs[i]);
		od_total += gbs[i];
	}
	for (i = 0; i < p->nfunctions; i++) {
		const struct function *f = &p->functions[i];
		const struct fn_usage *fu = &u->fn[i];
		struct bill_resource *r = add_resource(b, cap, f->name, SVC_LAMBDA,
						       fu->offered, fu->throttled);
		double q = (double)fu->invocations * proj;
		double g = (double)fu->mb_ms / MB_MS_PER_GB_S * proj;

		add_item(r, "requests", q, "requests", L->request_price);
		add_item(r, "duration", g, "GB-seconds", price[f->arch]);
		add_item(r, "ephemeral_storage", (double)fu->eph_mb_ms / MB_MS_PER_GB_S * proj,
			 "GB-seconds", L->ephemeral_gb_second);
		add_item(r, "provisioned_concurrency", (double)fu->pc_mb_s / 1024.0 * proj,
			 "GB-seconds", L->pc_gb_second[f->arch]);
		add_item(r, "provisioned_duration", (double)fu->pc_mb_ms / MB_MS_PER_GB_S * proj,
			 "GB-seconds", L->pc_duration_gb_second[f->arch]);
		if (with_free) {
			/* The free tier covers requests of every function and the
			 * on-demand duration (not provisioned concurrency), at
			 * the first tier's price of the function's architecture. */
			add_item(r, "free_tier_requests", -free_share(L->free_requests, q, reqs),
				 "requests", L->request_price);
			add_item(r, "free_tier_duration", -free_share(L->free_gb_seconds, g, od_total),
				 "GB-seconds", L->duration[f->arch].t[0].price);
		}
	}
}

static const char *api_unit(enum api_type t)
{
	return t == API_WEBSOCKET ? "messages" : "requests";
}

static void price_apis(struct bill *b, size_t *cap, const struct plan *p,
		       const struct usage *u, double proj, bool first_year)
{
	const struct apigw_model *A = &p->model->apigw;
	double total[3] = {0}, price[3], transfer = 0, tprice, minutes = 0;
	const struct tiers *tiers[3] = {&A->rest, &A->http, &A->ws_messages};
	const double free_req[3] = {A->free_rest, A->free_http, A->free_ws_messages};
	size_t i;
	int k;

	for (i = 0; i < p->napis; i++) {
		total[p->apis[i].type] += (double)u->api[i].metered * proj;
		transfer += u->api[i].transfer_gb * proj;
		minutes += (double)u->api[i].ws_minutes * proj;
	}
	for (k = 0; k < 3; k++)
		price[k] = effective_price(tiers[k], total[k]);
	tprice = effective_price(&A->transfer_out, transfer);
	for (i = 0; i < p->napis; i++) {
		const struct api *a = &p->apis[i];
		const struct api_usage *au = &u->api[i];
		struct bill_resource *r = add_resource(b, cap, a->name, SVC_APIGATEWAY,
						       au->offered, au->throttled);
		double q = (double)au->metered * proj;
		double wm = (double)au->ws_minutes * proj;

		add_item(r, a->type == API_WEBSOCKET ? "messages" : "requests", q, api_unit(a->type),
			 price[a->type]);
		add_item(r, "connection_minutes", wm, "minutes", A->ws_minute_price);
		if (a->has_cache) {
			double hourly = 0;
			int c;

			for (c = 0; c < A->ncache; c++)
				if (fabs(A->cache[c].size_gb - a->cache_size_gb) < 1e-9)
					hourly = A->cache[c].hourly;
			add_item(r, "cache", au->cache_hours * proj, "hours", hourly);
		}
		add_item(r, "data_transfer_out", au->transfer_gb * proj, "GB", tprice);
		if (first_year) {
			add_item(r, a->type == API_WEBSOCKET ? "free_tier_messages" : "free_tier_requests",
				 -free_share(free_req[a->type], q, total[a->type]), api_unit(a->type),
				 tiers[a->type]->t[0].price);
			add_item(r, "free_tier_connection_minutes",
				 -free_share(A->free_ws_minutes, wm, minutes), "minutes", A->ws_minute_price);
		}
	}
}

static void price_tables(struct bill *b, size_t *cap, const struct plan *p,
			 const struct usage *u, double proj, bool with_free)
{
	const struct dynamo_model *D = &p->model->dynamo;
	double rcu_h = 0, wcu_h = 0, gb = 0;
	double free_rcu_h = D->free_rcu * MONTH_S / 3600.0, free_wcu_h = D->free_wcu * MONTH_S / 3600.0;
	size_t i, g;

	/* Account totals of Standard-class provisioned capacity and storage,
	 * which the always-free allowance covers. */
	for (i = 0; i < p->ntables; i++) {
		const struct table_usage *tu = &u->table[i];

		if (p->tables[i].class != CLASS_STANDARD)
			continue;
		rcu_h += tu->rcu_hours * proj;
		wcu_h += tu->wcu_hours * proj;
		for (g = 0; g < tu->ngsis; g++) {
			rcu_h += tu->gsis[g].rcu_hours * proj;
			wcu_h += tu->gsis[g].wcu_hours * proj;
		}
		gb += tu->storage_gb;
	}
	for (i = 0; i < p->ntables; i++) {
		const struct table *t = &p->tables[i];
		const struct table_usage *tu = &u->table[i];
		const struct ddb_class_prices *P = &D->price[t->class];
		struct bill_resource *r = add_resource(b, cap, t->name, SVC_DYNAMODB,
						       tu->offered, tu->throttled);
		double my_rcu = tu->rcu_hours * proj, my_wcu = tu->wcu_hours * proj;

		add_item(r, "read_capacity", tu->rcu_hours * proj, "RCU-hours", P->rcu_hourly);
		add_item(r, "write_capacity", tu->wcu_hours * proj, "WCU-hours", P->wcu_hourly);
		if (t->mode == MODE_ON_DEMAND) {
			add_item(r, "read_requests", (double)tu->read_half_units / 2 * proj,
				 "read request units", P->read_request);
			add_item(r, "write_requests", (double)tu->write_units * proj,
				 "write request units", P->write_request);
		}
		for (g = 0; g < tu->ngsis; g++) {
			const struct gsi_usage *gu = &tu->gsis[g];
			char *c;

			c = xasprintf("gsi %s read_capacity", t->gsis[g].name);
			add_item(r, c, gu->rcu_hours * proj, "RCU-hours", P->rcu_hourly);
			free(c);
			c = xasprintf("gsi %s write_capacity", t->gsis[g].name);
			add_item(r, c, gu->wcu_hours * proj, "WCU-hours", P->wcu_hourly);
			free(c);
			if (t->mode == MODE_ON_DEMAND) {
				c = xasprintf("gsi %s read_requests", t->gsis[g].name);
				add_item(r, c, (double)gu->read_half_units / 2 * proj,
					 "read request units", P->read_request);
				free(c);
				c = xasprintf("gsi %s write_requests", t->gsis[g].name);
				add_item(r, c, (double)gu->write_units * proj,
					 "write request units", P->write_request);
				free(c);
			}
			my_rcu += gu->rcu_hours * proj;
			my_wcu += gu->wcu_hours * proj;
		}
		add_item(r, "storage", tu->storage_gb, "GB-months", P->storage_gb_month);
		if (with_free && t->class == CLASS_STANDARD) {
			add_item(r, "free_tier_read_capacity", -free_share(free_rcu_h, my_rcu, rcu_h),
				 "RCU-hours", P->rcu_hourly);
			add_item(r, "free_tier_write_capacity", -free_share(free_wcu_h, my_wcu, wcu_h),
				 "WCU-hours", P->wcu_hourly);
			add_item(r, "free_tier_storage", -free_share(D->free_storage_gb, tu->storage_gb, gb),
				 "GB-months", P->storage_gb_month);
		}
	}
}

struct bill *bill_price(const struct plan *p, const struct usage *u)
{
	struct bill *b = xcalloc(1, sizeof *b);
	size_t cap = 0, i, j;
	double proj = u->window_s > 0 ? MONTH_S / u->window_s : 0;
	bool with_free = p->free_tier != FREE_NONE;

	b->window_s = u->window_s;
	price_apis(b, &cap, p, u, proj, p->free_tier == FREE_FIRST_YEAR);
	price_lambda(b, &cap, p, u, proj, with_free);
	price_tables(b, &cap, p, u, proj, with_free);
	for (i = 0; i < b->n; i++) {
		struct bill_resource *r = &b->res[i];

		for (j = 0; j < r->nitems; j++)
			r->monthly_cost += r->items[j].monthly_cost;
		b->service[r->service] += r->monthly_cost;
		b->total += r->monthly_cost;
	}
	return b;
}

void bill_free(struct bill *b)
{
	size_t i, j;

	if (!b)
		return;
	for (i = 0; i < b->n; i++) {
		for (j = 0; j < b->res[i].nitems; j++)
			free(b->res[i].items[j].component);
		free(b->res[i].items);
		free(b->res[i].name);
	}
	free(b->res);
	free(b);
}

const struct bill_resource *bill_find(const struct bill *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->res[i].name, name) == 0)
			return &b->res[i];
	return NULL;
}
