#include "report.h"

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
	pad(o, "RESOURCE", 24, 0);
	pad(o, "SERVICE", 11, 0);
	pad(o, "MONTHLY", 14, 1);
	pad(o, "REQUESTS", 17, 1);
	pad(o, "THROTTLED", 14, 1);
	pad(o, "RATIO", 9, 1);
	sbuf_addc(o, '\n');
	for (i = 0; i < b->n; i++) {
		const struct bill_resource *r = &b->res[i];
		char ratio[32];

		pad(o, r->name, 24, 0);
		pad(o, service_name(r->service), 11, 0);
		cell_money(o, r->monthly_cost, 14);
		cell_count(o, (double)r->requests, 17);
		cell_count(o, (double)r->throttled, 14);
		snprintf(ratio, sizeof ratio, "%.3f%%", r->throttle_ratio * 100);
		pad(o, ratio, 9, 1);
		sbuf_addc(o, '\n');
		for (j = 0; j < r->nitems; j++) {
			const struct line_item *li = &r->items[j];
			struct sbuf q = {0};
			char price[48];

			sbuf_add(o, "    ");
			pad(o, li->component, 31, 0);
			fmt_count(&q, li->quantity);
			sbuf_addc(&q, ' ');
			sbuf_add(&q, li->unit);
			pad(o, q.buf, 34, 1);
			snprintf(price, sizeof price, " x $%.10g", li->unit_price);
			pad(o, price, 18, 0);
			cell_money(o, li->monthly_cost, 12);
			sbuf_addc(o, '\n');
			sbuf_free(&q);
		}
	}
	sbuf_addc(o, '\n');
	for (s = 0; s < SVC_COUNT; s++) {
		pad(o, service_name((enum service)s), 35, 0);
		cell_money(o, b->service[s], 14);
		sbuf_addc(o, '\n');
	}
	pad(o, "TOTAL per month", 35, 0);
	cell_money(o, b->total, 14);
	sbuf_addc(o, '\n');
	{
		size_t na;
		struct assumption *as = assumptions_list(p, &na);

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
