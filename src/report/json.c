/* report_json: DESIGN §8's object (stable keys, never renamed or dropped)
 * plus detail: model sources, the window's start and trace, per-resource
 * usage figures from the simulation, the assumptions, and Infracost's
 * "totalMonthlyCost" (a decimal string, as Infracost writes it). */
#include "report.h"

#include "fmt.h"

#include "assumptions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void key(struct sbuf *o, const char *k)
{
	json_string(o, k);
	sbuf_add(o, ": ");
}

static void num(struct sbuf *o, const char *k, double v)
{
	key(o, k);
	json_number(o, v);
}

/* An ISO 8601 UTC time, or null. */
static void json_time(struct sbuf *o, double epoch)
{
	char buf[40];
	time_t t;
	struct tm tm;

	if (isnan(epoch)) {
		sbuf_add(o, "null");
		return;
	}
	t = (time_t)epoch;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_string(o, buf);
}

static void str_or_null(struct sbuf *o, const char *s)
{
	if (s)
		json_string(o, s);
	else
		sbuf_add(o, "null");
}

static void usage_keys(struct sbuf *o, const struct report_ctx *c, const struct bill_resource *r)
{
	const struct fn_usage *f = report_fn_usage(c, r);
	const struct api_usage *a = report_api_usage(c, r);
	const struct table_usage *t = report_table_usage(c, r);

	if (f) {
		sbuf_add(o, ",\n     ");
		num(o, "invocations", (double)f->invocations);
		sbuf_add(o, ", ");
		num(o, "cold_starts", (double)f->cold_starts);
		sbuf_add(o, ", ");
		num(o, "peak_concurrency", f->peak_concurrency);
	} else if (a) {
		sbuf_add(o, ",\n     ");
		num(o, "admitted", (double)a->admitted);
		sbuf_add(o, ", ");
		num(o, "cache_hits", (double)a->cache_hits);
	} else if (t) {
		sbuf_add(o, ",\n     ");
		num(o, "admitted", (double)(t->offered - t->throttled));
		sbuf_add(o, ", ");
		num(o, "storage_gb", t->storage_gb);
	}
}

void report_json(struct sbuf *o, const struct report_ctx *c)
{
	const struct plan *p = c->plan;
	const struct bill *b = c->bill;
	size_t i, j, na;
	int s;
	char **src;
	struct assumption *as;

	sbuf_add(o, "{\n  ");
	key(o, "costcap_version");
	json_string(o, COSTCAP_VERSION);
	sbuf_add(o, ",\n  ");
	key(o, "plan");
	json_string(o, p->name);
	sbuf_add(o, ",\n  ");
	key(o, "plan_file");
	str_or_null(o, c->plan_file);
	sbuf_add(o, ",\n  ");
	key(o, "model");
	sbuf_add(o, "{");
	key(o, "name");
	json_string(o, p->model->name);
	sbuf_add(o, ", ");
	key(o, "as_of");
	json_string(o, p->model->as_of);
	sbuf_add(o, ", ");
	key(o, "currency");
	json_string(o, p->model->currency);
	sbuf_add(o, ", ");
	key(o, "region");
	str_or_null(o, p->model->region);
	sbuf_add(o, ",\n            ");
	key(o, "sources");
	sbuf_add(o, "[");
	for (src = p->model->sources; src && *src; src++) {
		sbuf_add(o, src == p->model->sources ? "\n    " : ",\n    ");
		json_string(o, *src);
	}
	sbuf_add(o, "]},\n  ");
	key(o, "window");
	sbuf_add(o, "{");
	num(o, "seconds", b->window_s);
	sbuf_add(o, ", ");
	num(o, "step_s", c->step_s);
	sbuf_add(o, ", ");
	key(o, "start");
	json_time(o, c->start_epoch);
	sbuf_add(o, ", ");
	key(o, "trace");
	str_or_null(o, p->trace);
	sbuf_add(o, "},\n  ");
	key(o, "free_tier");
	json_string(o, report_free_tier_name(p->free_tier));
	sbuf_add(o, ", ");
	num(o, "scale", p->scale);
	sbuf_add(o, ",\n  ");
	num(o, "total_monthly_cost", b->total);
	sbuf_add(o, ",\n  ");
	key(o, "currency");
	json_string(o, p->model->currency);
	sbuf_add(o, ", ");
	key(o, "totalMonthlyCost");
	sbuf_addc(o, '"');
	fmt_decimal(o, b->total);
	sbuf_add(o, "\",\n  ");
	key(o, "services");
	sbuf_add(o, "{");
	for (s = 0; s < SVC_COUNT; s++) {
		if (s)
			sbuf_add(o, ", ");
		num(o, service_name((enum service)s), b->service[s]);
	}
	sbuf_add(o, "},\n  ");
	key(o, "resources");
	sbuf_add(o, "[");
	for (i = 0; i < b->n; i++) {
		const struct bill_resource *r = &b->res[i];

		sbuf_add(o, i ? ",\n    {" : "\n    {");
		key(o, "name");
		json_string(o, r->name);
		sbuf_add(o, ", ");
		key(o, "service");
		json_string(o, service_name(r->service));
		sbuf_add(o, ", ");
		num(o, "monthly_cost", r->monthly_cost);
		sbuf_add(o, ",\n     ");
		num(o, "requests", (double)r->requests);
		sbuf_add(o, ", ");
		num(o, "throttled", (double)r->throttled);
		sbuf_add(o, ", ");
		num(o, "throttle_ratio", r->throttle_ratio);
		usage_keys(o, c, r);
		sbuf_add(o, ",\n     ");
		key(o, "line_items");
		sbuf_add(o, "[");
		for (j = 0; j < r->nitems; j++) {
			const struct line_item *li = &r->items[j];

			sbuf_add(o, j ? ",\n       {" : "\n       {");
			key(o, "component");
			json_string(o, li->component);
			sbuf_add(o, ", ");
			num(o, "quantity", li->quantity);
			sbuf_add(o, ", ");
			key(o, "unit");
			json_string(o, li->unit);
			sbuf_add(o, ", ");
			num(o, "unit_price", li->unit_price);
			sbuf_add(o, ", ");
			num(o, "monthly_cost", li->monthly_cost);
			sbuf_add(o, "}");
		}
		sbuf_add(o, "]}");
	}
	sbuf_add(o, b->n ? "\n  ],\n  " : "],\n  ");
	key(o, "checks");
	checks_json(o, c->checks, c->nchecks, 2);
	sbuf_add(o, ",\n  ");
	num(o, "checks_failed", (double)checks_failed(c->checks, c->nchecks));
	sbuf_add(o, ", ");
	key(o, "pass");
	sbuf_add(o, checks_failed(c->checks, c->nchecks) ? "false" : "true");
	sbuf_add(o, ",\n  ");
	if (c->advice) {
		report_advice_json(o, c->advice);
		sbuf_add(o, ",\n  ");
	}
	as = assumptions_list(p, &na);
	key(o, "assumptions");
	sbuf_add(o, "[");
	for (i = 0; i < na; i++) {
		sbuf_add(o, i ? ",\n    {" : "\n    {");
		key(o, "key");
		json_string(o, as[i].key);
		sbuf_add(o, ", ");
		key(o, "value");
		json_string(o, as[i].value);
		sbuf_add(o, ", ");
		key(o, "what");
		json_string(o, as[i].what);
		sbuf_add(o, "}");
	}
	sbuf_add(o, na ? "\n  ]\n}\n" : "]\n}\n");
	assumptions_free(as, na);
}
