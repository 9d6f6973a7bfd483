#include "report.h"

#include "assumptions.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void fmt_count(struct sbuf *out, double v)
{
	char digits[64];
	int n, i, lead;

	if (v < 0) {
		sbuf_addc(out, '-');
		v = -v;
	}
	if (v != floor(v) && v < 1e6) {
		sbuf_printf(out, "%.2f", v);
		return;
	}
	n = snprintf(digits, sizeof digits, "%.0f", v);
	lead = n % 3 ? n % 3 : 3;
	sbuf_addn(out, digits, (size_t)lead);
	for (i = lead; i < n; i += 3) {
		sbuf_addc(out, ',');
		sbuf_addn(out, digits + i, 3);
	}
}

void fmt_money(struct sbuf *out, double usd)
{
	double cents = floor(fabs(usd) * 100 + 0.5);
	char buf[8];

	/* Round half away from zero on the exact sum, then print. */
	if (usd < 0 && cents > 0)
		sbuf_addc(out, '-');
	sbuf_addc(out, '$');
	fmt_count(out, floor(cents / 100));
	snprintf(buf, sizeof buf, ".%02d", (int)fmod(cents, 100));
	sbuf_add(out, buf);
}

/* Appends s padded with spaces to 'width' columns (left or right aligned). */
static void pad(struct sbuf *o, const char *s, int width, int right)
{
	int n = (int)strlen(s);

	if (right)
		while (n++ < width)
			sbuf_addc(o, ' ');
	sbuf_add(o, s);
	if (!right)
		while (n++ < width)
			sbuf_addc(o, ' ');
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

	sbuf_printf(o, "costcap %s: plan '%s', model %s (figures as of %s), ", COSTCAP_VERSION,
		    p->name, p->model->name, p->model->as_of);
	if (b->window_s == MONTH_S && !p->trace)
		sbuf_add(o, "one 730-hour month of rate traffic\n");
	else
		sbuf_printf(o, "window %.0f s projected to a 730-hour month\n", b->window_s);
	sbuf_printf(o, "free tier: %s\n\n", p->free_tier == FREE_NONE ? "none" :
		    p->free_tier == FREE_ALWAYS ? "always" : "first_year");
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
		sbuf_addc(o, '\n');
		for (i = 0; i < c->nchecks; i++)
			sbuf_printf(o, "%s  %-20s %s\n", c->checks[i].pass ? "PASS" : "FAIL",
				    c->checks[i].name, c->checks[i].detail);
	}
}
