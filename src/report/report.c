/* Helpers shared by the report formatters: finding the usage behind a
 * bill resource, and describing the window. */
#include "report.h"

#include "fmt.h"

#include <math.h>
#include <string.h>

static int index_of(const struct report_ctx *c, const struct bill_resource *r, enum service want)
{
	if (!c->usage || r->service != want)
		return -1;
	if (want == SVC_LAMBDA)
		return plan_find_function(c->plan, r->name);
	if (want == SVC_APIGATEWAY)
		return plan_find_api(c->plan, r->name);
	return plan_find_table(c->plan, r->name);
}

const struct fn_usage *report_fn_usage(const struct report_ctx *c, const struct bill_resource *r)
{
	int i = index_of(c, r, SVC_LAMBDA);

	return i >= 0 && (size_t)i < c->usage->nfn ? &c->usage->fn[i] : NULL;
}

const struct api_usage *report_api_usage(const struct report_ctx *c, const struct bill_resource *r)
{
	int i = index_of(c, r, SVC_APIGATEWAY);

	return i >= 0 && (size_t)i < c->usage->napi ? &c->usage->api[i] : NULL;
}

const struct table_usage *report_table_usage(const struct report_ctx *c,
					     const struct bill_resource *r)
{
	int i = index_of(c, r, SVC_DYNAMODB);

	return i >= 0 && (size_t)i < c->usage->ntable ? &c->usage->table[i] : NULL;
}

const struct series *report_series(const struct report_ctx *c, const struct bill_resource *r)
{
	const struct series *s = NULL;
	int i = index_of(c, r, r->service);

	if (i < 0)
		return NULL;
	if (r->service == SVC_LAMBDA && c->usage->fn_series)
		s = &c->usage->fn_series[i];
	else if (r->service == SVC_APIGATEWAY && c->usage->api_series)
		s = &c->usage->api_series[i];
	else if (r->service == SVC_DYNAMODB && c->usage->table_series)
		s = &c->usage->table_series[i];
	return s && s->n ? s : NULL;
}

void report_window_words(struct sbuf *o, const struct report_ctx *c)
{
	double w = c->bill->window_s;

	if (!c->plan->trace && w == MONTH_S) {
		sbuf_add(o, "one 730-hour month of rate traffic");
		return;
	}
	sbuf_add(o, "a window of ");
	fmt_count(o, w);
	sbuf_add(o, " s");
	if (w >= 2 * 86400)
		sbuf_printf(o, " (%.3g days)", w / 86400);
	else if (w >= 2 * 3600)
		sbuf_printf(o, " (%.3g hours)", w / 3600);
	else if (w >= 120)
		sbuf_printf(o, " (%.3g minutes)", w / 60);
	if (c->step_s > 1)
		sbuf_printf(o, " in %.0f-s buckets", c->step_s);
	sbuf_add(o, ", projected to a 730-hour month");
}

const char *report_free_tier_name(enum free_tier f)
{
	return f == FREE_NONE ? "none" : f == FREE_ALWAYS ? "always" : "first_year";
}
