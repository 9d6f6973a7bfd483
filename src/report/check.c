#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/units.h"
#include "../core/util.h"

static void add(struct check **v, size_t *n, size_t *cap, char *name, double limit,
		double value, char *detail)
{
	struct check *c;

	xgrow(v, cap, *n + 1, sizeof **v);
	c = &(*v)[(*n)++];
	c->name = name;
	c->limit = limit;
	c->value = value;
	/* A limit is a ceiling: equal passes. Compared in cents for money so
	 * that float noise never flips a check. */
	c->pass = value <= limit + 1e-9;
	c->detail = detail;
}

static double service_cost(const struct bill *b, int s)
{
	return b->service[s];
}

static int split_limit(const char *arg, char **name, double *usd, struct err *e)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || units_number(eq + 1, usd) < 0 || *usd < 0) {
		err_add(e, NULL, 0, 0, "expected NAME=USD, found '%s'", arg);
		return -1;
	}
	*name = xstrndup(arg, (size_t)(eq - arg));
	return 0;
}

long checks_eval(const struct plan *p, const struct bill *b, const struct check_limits *lim,
		 struct check **out, struct err *e)
{
	struct check *v = NULL;
	size_t n = 0, cap = 0, i;
	double budget = p->budget.monthly_usd, thr = p->budget.max_throttle_ratio;
	size_t before = e->n;

	if (lim && !isnan(lim->monthly_usd))
		budget = lim->monthly_usd;
	if (lim && !isnan(lim->max_throttle_ratio))
		thr = lim->max_throttle_ratio;
	if (!isnan(budget))
		add(&v, &n, &cap, xstrdup("budget"), budget, b->total,
		    xasprintf("monthly cost $%.2f, budget $%.2f", b->total, budget));
	for (i = 0; i < p->budget.nservices; i++) {
		int s = service_parse(p->budget.services[i].name);

		if (s >= 0)
			add(&v, &n, &cap, xasprintf("budget:%s", service_name((enum service)s)),
			    p->budget.services[i].usd, service_cost(b, s),
			    xasprintf("%s monthly cost $%.2f, budget $%.2f", service_name((enum service)s),
				      service_cost(b, s), p->budget.services[i].usd));
	}
	for (i = 0; lim && i < lim->nservice; i++) {
		char *name;
		double usd;
		int s;

		if (split_limit(lim->service_budgets[i], &name, &usd, e) < 0)
			continue;
		s = service_parse(name);
		if (s < 0)
			err_add(e, NULL, 0, 0, "unknown service '%s' (services: lambda, apigateway, dynamodb)", name);
		else
			add(&v, &n, &cap, xasprintf("budget:%s", name), usd, service_cost(b, s),
			    xasprintf("%s monthly cost $%.2f, budget $%.2f", name, service_cost(b, s), usd));
		free(name);
	}
	for (i = 0; i < p->budget.nresources; i++) {
		const struct bill_resource *r = bill_find(b, p->budget.resources[i].name);

		if (r)
			add(&v, &n, &cap, xasprintf("budget:%s", r->name), p->budget.resources[i].usd,
			    r->monthly_cost, xasprintf("%s monthly cost $%.2f, budget $%.2f", r->name,
						       r->monthly_cost, p->budget.resources[i].usd));
	}
	for (i = 0; lim && i < lim->nresource; i++) {
		char *name;
		double usd;
		const struct bill_resource *r;

		if (split_limit(lim->resource_budgets[i], &name, &usd, e) < 0)
			continue;
		r = bill_find(b, name);
		if (!r)
			err_add(e, NULL, 0, 0, "unknown resource '%s' in --resource-budget", name);
		else
			add(&v, &n, &cap, xasprintf("budget:%s", name), usd, r->monthly_cost,
			    xasprintf("%s monthly cost $%.2f, budget $%.2f", name, r->monthly_cost, usd));
		free(name);
	}
	if (!isnan(thr)) {
		/* Every resource must stay under the limit; the check reports
		 * the worst one. */
		const struct bill_resource *worst = NULL;

		for (i = 0; i < b->n; i++)
			if (!worst || b->res[i].throttle_ratio > worst->throttle_ratio)
				worst = &b->res[i];
		add(&v, &n, &cap, xstrdup("throttle"), thr, worst ? worst->throttle_ratio : 0,
		    worst ? xasprintf("highest throttle ratio %.4f%% (%s), limit %.4f%%",
				      worst->throttle_ratio * 100, worst->name, thr * 100)
			  : xasprintf("no resources, limit %.4f%%", thr * 100));
	}
	if (e->n > before) {
		checks_free(v, n);
		*out = NULL;
		return -1;
	}
	*out = v;
	return (long)n;
}

void checks_free(struct check *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].detail);
	}
	free(c);
}
