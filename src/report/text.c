#include "report.h"

#include "fmt.h"

#include "assumptions.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void pad(struct sbuf *o, const char *s, int width, int right)
{
	fmt_pad(o, s, width, right != 0);
}

static void cell_money(struct sbuf *o, double v, int width)
{
	struct sbuf t = {0};

	fmt_money(&t, v);
	pad(o, t.buf, width, 1);
	sbuf_free(&t);
}

static void cell_count(struct sbuf *o, double v, int width)
{
	struct sbuf t = {0};

	fmt_count(&t, v);
	pad(o, t.buf, width, 1);
	sbuf_free(&t);
}

void report_text(struct sbuf *o, const struct report_ctx *c)
{
	const struct plan *p = c->plan;
	const struct bill *b = c->bill;
	size_t i, j;
	int s;

	sbuf_printf(o, "costcap %s: plan '%s', model %s (figures as of %s)\n", COSTCAP_VERSION,
		    p->name, p->model->name, p->model->as_of);
	sbuf_add(o, "simulated ");
	report_window_words(o, c);
	sbuf_printf(o, "; free tier: %s\n\n", report_free_tier_name(p->free_tier));
	pad(o, "RESOURCE", 26, 0);
	pad(o, "SERVICE", 11, 0);
	pad(o, "MONTHLY", 13, 1);
	pad(o, "REQUESTS", 16, 1);
	pad(o, "THROTTLED", 14, 1);
	pad(o, "RATIO", 10, 1);
	sbuf_addc(o, '\n');
	for (i = 0; i < b->n; i++) {
		const struct bill_resource *r = &b->res[i];
		struct sbuf t = {0};

		pad(o, r->name, 26, 0);
		pad(o, service_name(r->service), 11, 0);
		cell_money(o, r->monthly_cost, 13);
		cell_count(o, (double)r->requests, 16);
		cell_count(o, (double)r->throttled, 14);
		fmt_pct(&t, r->throttle_ratio, 3);
		pad(o, t.buf, 10, 1);
		sbuf_free(&t);
		sbuf_addc(o, '\n');
		/* Line items: the cost under MONTHLY, then quantity x price. */
		for (j = 0; j < r->nitems; j++) {
			const struct line_item *li = &r->items[j];

			sbuf_add(o, "  ");
			pad(o, li->component, 35, 0);
			cell_money(o, li->monthly_cost, 13);
			sbuf_add(o, "   ");
			fmt_count(o, li->quantity);
			sbuf_printf(o, " %s x ", li->unit);
			fmt_price(o, li->unit_price);
			sbuf_addc(o, '\n');
		}
	}
	sbuf_addc(o, '\n');
	for (s = 0; s < SVC_COUNT; s++) {
		pad(o, service_name((enum service)s), 37, 0);
		cell_money(o, b->service[s], 13);
		sbuf_addc(o, '\n');
	}
	pad(o, "TOTAL per month", 37, 0);
	cell_money(o, b->total, 13);
	sbuf_addc(o, '\n');
	{
		size_t na;
		struct assumption *as = assumptions_list(p, &na);

		if (c->advice)
			report_advice_text(o, c->advice);
		if (na)
			sbuf_add(o, "\nassumptions these figures depend on (model behaviour: parameters):\n");
		for (i = 0; i < na; i++)
			sbuf_printf(o, "  %s = %s: %s\n", as[i].key, as[i].value, as[i].what);
		assumptions_free(as, na);
	}
	if (c->nchecks) {
		struct check_run run = {"check", p->name, NULL, c->checks, c->nchecks};

		sbuf_add(o, "\nchecks (the plan's budget: section):\n");
		checks_text(o, &run, c->color);
	}
}
