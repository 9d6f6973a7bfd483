#include "diff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

double diff_pct(double base, double head)
{
	if (base == 0)
		return NAN;
	return (head - base) / base * 100;
}

/* Quantities agree to 1e-9 relative: the same simulation gives the same
 * doubles, and a difference smaller than that is noise. */
static bool same_qty(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static const struct line_item *find_item(const struct bill_resource *r, const char *component)
{
	size_t i;

	for (i = 0; r && i < r->nitems; i++)
		if (!strcmp(r->items[i].component, component))
			return &r->items[i];
	return NULL;
}

static const struct bill_resource *find_res(const struct bill *b, const char *name, enum service s)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->res[i].service == s && !strcmp(b->res[i].name, name))
			return &b->res[i];
	return NULL;
}

static void add_item(struct diff_resource *dr, size_t *cap, const struct line_item *b,
		     const struct line_item *h)
{
	struct diff_item *it;

	xgrow(&dr->items, cap, dr->nitems + 1, sizeof *dr->items);
	it = &dr->items[dr->nitems++];
	it->component = (h ? h : b)->component;
	it->unit = (h ? h : b)->unit;
	it->base = b;
	it->head = h;
	it->base_cost = b ? b->monthly_cost : 0;
	it->head_cost = h ? h->monthly_cost : 0;
	if (!b)
		it->change = DIFF_ADDED;
	else if (!h)
		it->change = DIFF_REMOVED;
	else if (money_cents(b->monthly_cost) != money_cents(h->monthly_cost) ||
		 !same_qty(b->quantity, h->quantity))
		it->change = DIFF_CHANGED;
	else
		it->change = DIFF_UNCHANGED;
}

static void add_res(struct diff *d, size_t *cap, const struct bill_resource *b,
		    const struct bill_resource *h)
{
	struct diff_resource *dr;
	size_t i, icap = 0;
	bool items_changed = false;

	xgrow(&d->res, cap, d->n + 1, sizeof *d->res);
	dr = &d->res[d->n++];
	memset(dr, 0, sizeof *dr);
	dr->name = (h ? h : b)->name;
	dr->service = (h ? h : b)->service;
	dr->base = b;
	dr->head = h;
	dr->base_cost = b ? b->monthly_cost : 0;
	dr->head_cost = h ? h->monthly_cost : 0;
	for (i = 0; h && i < h->nitems; i++)
		add_item(dr, &icap, find_item(b, h->items[i].component), &h->items[i]);
	for (i = 0; b && i < b->nitems; i++)
		if (!find_item(h, b->items[i].component))
			add_item(dr, &icap, &b->items[i], NULL);
	for (i = 0; i < dr->nitems; i++)
		items_changed |= dr->items[i].change != DIFF_UNCHANGED;
	if (!b)
		dr->change = DIFF_ADDED;
	else if (!h)
		dr->change = DIFF_REMOVED;
	else if (items_changed || money_cents(b->monthly_cost) != money_cents(h->monthly_cost) ||
		 b->requests != h->requests || b->throttled != h->throttled)
		dr->change = DIFF_CHANGED;
	else
		dr->change = DIFF_UNCHANGED;
	d->nchanged += dr->change != DIFF_UNCHANGED;
}

struct diff *diff_new(const struct diff_side *base, const struct diff_side *head)
{
	struct diff *d = xcalloc(1, sizeof *d);
	size_t cap = 0, i;

	d->base = *base;
	d->head = *head;
	for (i = 0; i < head->bill->n; i++) {
		const struct bill_resource *h = &head->bill->res[i];

		add_res(d, &cap, find_res(base->bill, h->name, h->service), h);
	}
	for (i = 0; i < base->bill->n; i++) {
		const struct bill_resource *b = &base->bill->res[i];

		if (!find_res(head->bill, b->name, b->service))
			add_res(d, &cap, b, NULL);
	}
	return d;
}

void diff_free(struct diff *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++)
		free(d->res[i].items);
	free(d->res);
	free(d);
}

/* "+$14.34 ($1,200.00 -> $1,214.34)". */
static void change_words(struct sbuf *o, double base, double head)
{
	fmt_money_signed(o, head - base);
	sbuf_add(o, " (");
	fmt_money(o, base);
	sbuf_add(o, " -> ");
	fmt_money(o, head);
	sbuf_add(o, ")");
}

/* "+12.3%", "-4.0%", "n/a" (zero base). */
static void pct_words(struct sbuf *o, double base, double head)
{
	double p = diff_pct(base, head);

	if (isnan(p))
		sbuf_add(o, money_cents(head) ? "new" : "n/a");
	else
		sbuf_printf(o, "%+.1f%%", p + 0.0);
}

size_t diff_checks(const struct diff *d, const struct diff_limits *lim, struct check **out)
{
	struct check *v = NULL, *c;
	size_t n = 0, cap = 0, i;
	double base = d->base.bill->total, head = d->head.bill->total, delta = head - base;
	double pct = diff_pct(base, head);
	bool up = money_cents(delta) > 0;
	bool has_usd = !isnan(lim->fail_above_usd), has_pct = !isnan(lim->fail_above_pct);
	bool usd_over = has_usd && up && money_cents(delta) > money_cents(lim->fail_above_usd);
	/* As Infracost's guardrails: the percentage rounded to a whole number
	 * (half away from zero), then compared strictly, so +85.3% is within
	 * an 85% threshold and +85.5% above it. */
	bool pct_over = has_pct && up && !isnan(pct) && round(pct) > lim->fail_above_pct;
	struct sbuf s = {0};

	if (lim->all && has_usd && has_pct) {
		change_words(&s, base, head);
		sbuf_add(&s, ", ");
		pct_words(&s, base, head);
		if (!up)
			sbuf_add(&s, ": not an increase, never fails");
		else if (isnan(pct))
			sbuf_add(&s, ": the base is $0.00, so the percentage is undefined and the "
				 "increase is not counted as a failure");
		else {
			sbuf_printf(&s, ": %s the +", usd_over ? "above" : "within");
			fmt_money(&s, lim->fail_above_usd);
			sbuf_printf(&s, " threshold, %s the %g%% threshold; fails only when both are "
				    "exceeded", pct_over ? "above" : "within", lim->fail_above_pct);
		}
		c = check_add(&v, &n, &cap, xstrdup("increase"), CHECK_USD, lim->fail_above_usd, delta,
			      sbuf_take(&s));
		c->pass = !(usd_over && pct_over);
		if (c->pass && up && !isnan(pct) && lim->warn_at > 0 &&
		    delta >= lim->warn_at * lim->fail_above_usd && pct >= lim->warn_at * lim->fail_above_pct)
			c->warn = true;
		if (isnan(pct) && up)
			c->warn = true;
	} else {
		if (has_usd) {
			sbuf_add(&s, "monthly cost ");
			change_words(&s, base, head);
			if (!up)
				sbuf_add(&s, ": not an increase, never fails");
			else if (usd_over) {
				sbuf_add(&s, " is above the +");
				fmt_money(&s, lim->fail_above_usd);
				sbuf_add(&s, " threshold");
			} else {
				sbuf_add(&s, " is within the +");
				fmt_money(&s, lim->fail_above_usd);
				sbuf_add(&s, " threshold");
			}
			c = check_add(&v, &n, &cap, xstrdup("increase"), CHECK_USD, lim->fail_above_usd,
				      delta, sbuf_take(&s));
			c->pass = !usd_over;
			check_set_warn(c, lim->warn_at);
		}
		if (has_pct) {
			sbuf_add(&s, "monthly cost ");
			if (!isnan(pct)) {
				pct_words(&s, base, head);
				sbuf_add(&s, " (");
			}
			fmt_money(&s, base);
			sbuf_add(&s, " -> ");
			fmt_money(&s, head);
			if (!isnan(pct))
				sbuf_add(&s, ")");
			if (isnan(pct))
				sbuf_add(&s, ": the base is $0.00, so a percentage is undefined; not counted "
					 "as a failure");
			else if (!up)
				sbuf_add(&s, ": not an increase, never fails");
			else
				sbuf_printf(&s, " is %s the %g%% threshold (compared as %+.0f%%, rounded)",
					    pct_over ? "above" : "within", lim->fail_above_pct, round(pct));
			c = check_add(&v, &n, &cap, xstrdup("increase_pct"), CHECK_PERCENT,
				      lim->fail_above_pct, pct, sbuf_take(&s));
			c->pass = !pct_over;
			check_set_warn(c, lim->warn_at);
			if (!isnan(pct) && !up)
				c->warn = false;
		}
	}
	for (i = 0; !isnan(lim->max_throttle_ratio) && i < d->n; i++) {
		const struct diff_resource *r = &d->res[i];
		const struct bill_resource *h = r->head;

		if (!h)
			continue;
		sbuf_printf(&s, "%s (%s): ", h->name, service_name(h->service));
		fmt_count(&s, (double)h->throttled);
		sbuf_add(&s, " of ");
		fmt_count(&s, (double)h->requests);
		sbuf_printf(&s, " %s throttled (", h->service == SVC_LAMBDA ? "invocations" :
			    h->service == SVC_APIGATEWAY ? "requests" : "operations");
		check_fmt_value(&s, CHECK_RATIO, h->throttle_ratio);
		if (r->base) {
			sbuf_add(&s, ", base ");
			check_fmt_value(&s, CHECK_RATIO, r->base->throttle_ratio);
		}
		sbuf_add(&s, "), limit ");
		check_fmt_value(&s, CHECK_RATIO, lim->max_throttle_ratio);
		c = check_add(&v, &n, &cap, xasprintf("throttle:%s", h->name), CHECK_RATIO,
			      lim->max_throttle_ratio, h->throttle_ratio, sbuf_take(&s));
		check_set_warn(c, lim->warn_at);
	}
	*out = v;
	return n;
}

/* ---- outputs ------------------------------------------------------------ */

static const char *marker(enum diff_change c)
{
	return c == DIFF_ADDED ? "+" : c == DIFF_REMOVED ? "-" : c == DIFF_CHANGED ? "~" : " ";
}

static void throttle_words(struct sbuf *o, const struct diff_resource *r, const char *arrow)
{
	const struct bill_resource *b = r->base, *h = r->head;

	if ((!b || !b->throttled) && (!h || !h->throttled)) {
		sbuf_add(o, "none");
		return;
	}
	if (b)
		fmt_pct(o, b->throttle_ratio, 3);
	else
		sbuf_add(o, "-");
	sbuf_add(o, arrow);
	if (h)
		fmt_pct(o, h->throttle_ratio, 3);
	else
		sbuf_add(o, "-");
}

static void qty_words(struct sbuf *o, const struct diff_item *it, const char *arrow)
{
	if (it->base)
		fmt_count(o, it->base->quantity);
	else
		sbuf_add(o, "-");
	sbuf_add(o, arrow);
	if (it->head)
		fmt_count(o, it->head->quantity);
	else
		sbuf_add(o, "-");
	sbuf_addc(o, ' ');
	sbuf_add(o, it->unit);
}

static void cell(struct sbuf *o, struct sbuf *t, int width, bool right)
{
	fmt_pad(o, t->buf ? t->buf : "", width, right);
	sbuf_free(t);
}

static void money_or_dash(struct sbuf *t, const void *present, double v)
{
	if (present)
		fmt_money(t, v);
	else
		sbuf_add(t, "-");
}

static void side_words(struct sbuf *o, const struct diff_side *s)
{
	sbuf_printf(o, "'%s' (%s)", s->plan->name, s->label);
}

static bool same_model(const struct diff *d)
{
	return !strcmp(d->base.plan->model->name, d->head.plan->model->name) &&
	       !strcmp(d->base.plan->model->as_of, d->head.plan->model->as_of);
}

void diff_text(struct sbuf *o, const struct diff *d, const struct check *c, size_t nc,
	       bool show_all, bool color)
{
	struct sbuf t = {0};
	size_t i, j;
	int s;

	sbuf_add(o, "costcap diff: base ");
	side_words(o, &d->base);
	sbuf_add(o, "\n          -> head ");
	side_words(o, &d->head);
	sbuf_addc(o, '\n');
	if (same_model(d))
		sbuf_printf(o, "model %s (figures as of %s); money per 730-hour month\n\n",
			    d->head.plan->model->name, d->head.plan->model->as_of);
	else
		sbuf_printf(o, "models: base %s (as of %s), head %s (as of %s); money per 730-hour month\n\n",
			    d->base.plan->model->name, d->base.plan->model->as_of,
			    d->head.plan->model->name, d->head.plan->model->as_of);
	fmt_pad(o, "  RESOURCE", 26, false);
	fmt_pad(o, "SERVICE", 11, false);
	fmt_pad(o, "BASE", 13, true);
	fmt_pad(o, "HEAD", 13, true);
	fmt_pad(o, "CHANGE", 13, true);
	fmt_pad(o, "%", 9, true);
	sbuf_add(o, "   THROTTLED (BASE -> HEAD)\n");
	for (i = 0; i < d->n; i++) {
		const struct diff_resource *r = &d->res[i];

		if (r->change == DIFF_UNCHANGED && !show_all)
			continue;
		sbuf_printf(&t, "%s %s", marker(r->change), r->name);
		cell(o, &t, 26, false);
		fmt_pad(o, service_name(r->service), 11, false);
		money_or_dash(&t, r->base, r->base_cost);
		cell(o, &t, 13, true);
		money_or_dash(&t, r->head, r->head_cost);
		cell(o, &t, 13, true);
		fmt_money_signed(&t, r->head_cost - r->base_cost);
		cell(o, &t, 13, true);
		pct_words(&t, r->base_cost, r->head_cost);
		cell(o, &t, 9, true);
		sbuf_add(o, "   ");
		throttle_words(o, r, " -> ");
		sbuf_addc(o, '\n');
		for (j = 0; j < r->nitems; j++) {
			const struct diff_item *it = &r->items[j];

			if (it->change == DIFF_UNCHANGED && !show_all)
				continue;
			sbuf_printf(&t, "    %s %s", marker(it->change), it->component);
			cell(o, &t, 37, false);
			money_or_dash(&t, it->base, it->base_cost);
			cell(o, &t, 13, true);
			money_or_dash(&t, it->head, it->head_cost);
			cell(o, &t, 13, true);
			fmt_money_signed(&t, it->head_cost - it->base_cost);
			cell(o, &t, 13, true);
			pct_words(&t, it->base_cost, it->head_cost);
			cell(o, &t, 9, true);
			sbuf_add(o, "   ");
			qty_words(o, it, " -> ");
			sbuf_addc(o, '\n');
		}
	}
	if (d->nchanged == 0)
		sbuf_add(o, "  (no resource changed)\n");
	sbuf_printf(o, "\n%zu of %zu resources changed", d->nchanged, d->n);
	if (!show_all && d->nchanged < d->n)
		sbuf_add(o, " (--show-all lists the others)");
	sbuf_add(o, "\n\n");
	for (s = 0; s < SVC_COUNT; s++) {
		fmt_pad(o, service_name((enum service)s), 37, false);
		fmt_money(&t, d->base.bill->service[s]);
		cell(o, &t, 13, true);
		fmt_money(&t, d->head.bill->service[s]);
		cell(o, &t, 13, true);
		fmt_money_signed(&t, d->head.bill->service[s] - d->base.bill->service[s]);
		cell(o, &t, 13, true);
		pct_words(&t, d->base.bill->service[s], d->head.bill->service[s]);
		cell(o, &t, 9, true);
		sbuf_addc(o, '\n');
	}
	fmt_pad(o, "TOTAL per month", 37, false);
	fmt_money(&t, d->base.bill->total);
	cell(o, &t, 13, true);
	fmt_money(&t, d->head.bill->total);
	cell(o, &t, 13, true);
	fmt_money_signed(&t, d->head.bill->total - d->base.bill->total);
	cell(o, &t, 13, true);
	pct_words(&t, d->base.bill->total, d->head.bill->total);
	cell(o, &t, 9, true);
	sbuf_addc(o, '\n');
	if (nc) {
		struct check_run run = {"diff", d->head.plan->name, NULL, c, nc};

		sbuf_addc(o, '\n');
		checks_text(o, &run, color);
	}
}

void diff_md(struct sbuf *o, const struct diff *d, const struct check *c, size_t nc,
	     bool show_all)
{
	double base = d->base.bill->total, head = d->head.bill->total;
	size_t i, j, nitems = 0;
	int s;

	sbuf_add(o, "## costcap: monthly cost ");
	fmt_money_signed(o, head - base);
	sbuf_add(o, " (");
	pct_words(o, base, head);
	sbuf_add(o, ")");
	if (nc)
		sbuf_add(o, checks_failed(c, nc) ? " \xe2\x9d\x8c" : " \xe2\x9c\x85");
	sbuf_add(o, "\n\nBase ");
	md_code(o, d->base.label, false);
	sbuf_add(o, " \xe2\x86\x92 head ");
	md_code(o, d->head.label, false);
	sbuf_add(o, "; model ");
	md_code(o, d->head.plan->model->name, false);
	sbuf_add(o, " (figures as of ");
	md_text(o, d->head.plan->model->as_of);
	sbuf_add(o, ")");
	if (!same_model(d)) {
		sbuf_add(o, ", base model ");
		md_code(o, d->base.plan->model->name, false);
		sbuf_add(o, " (as of ");
		md_text(o, d->base.plan->model->as_of);
		sbuf_add(o, ")");
	}
	sbuf_add(o, ". Money per 730-hour month.\n\n");
	sbuf_add(o, "| | Resource | Service | Base | Head | Change | Throttled (base \xe2\x86\x92 head) |\n"
		 "|---|---|---|---:|---:|---:|---|\n");
	for (i = 0; i < d->n; i++) {
		const struct diff_resource *r = &d->res[i];

		if (r->change == DIFF_UNCHANGED && !show_all)
			continue;
		sbuf_printf(o, "| %s | ", r->change == DIFF_ADDED ? "+" : r->change == DIFF_REMOVED ?
			    "\xe2\x88\x92" : r->change == DIFF_CHANGED ? "~" : "");
		md_code(o, r->name, true);
		sbuf_printf(o, " | %s | ", service_name(r->service));
		money_or_dash(o, r->base, r->base_cost);
		sbuf_add(o, " | ");
		money_or_dash(o, r->head, r->head_cost);
		sbuf_add(o, " | ");
		fmt_money_signed(o, r->head_cost - r->base_cost);
		sbuf_add(o, " (");
		pct_words(o, r->base_cost, r->head_cost);
		sbuf_add(o, ") | ");
		throttle_words(o, r, " \xe2\x86\x92 ");
		sbuf_add(o, " |\n");
		for (j = 0; j < r->nitems; j++)
			nitems += r->items[j].change != DIFF_UNCHANGED;
	}
	sbuf_add(o, "| | **Total** | | **");
	fmt_money(o, base);
	sbuf_add(o, "** | **");
	fmt_money(o, head);
	sbuf_add(o, "** | **");
	fmt_money_signed(o, head - base);
	sbuf_add(o, " (");
	pct_words(o, base, head);
	sbuf_add(o, ")** | |\n");
	sbuf_printf(o, "\n%zu of %zu resources changed.", d->nchanged, d->n);
	sbuf_add(o, " By service:");
	for (s = 0; s < SVC_COUNT; s++) {
		sbuf_printf(o, "%s %s ", s ? "," : "", service_name((enum service)s));
		fmt_money_signed(o, d->head.bill->service[s] - d->base.bill->service[s]);
	}
	sbuf_add(o, ".\n");
	if (nitems) {
		sbuf_printf(o, "\n<details><summary>Line items (%zu changed)</summary>\n\n", nitems);
		sbuf_add(o, "| Resource | Component | Base | Head | Change | Quantity (base \xe2\x86\x92 head) |\n"
			 "|---|---|---:|---:|---:|---|\n");
		for (i = 0; i < d->n; i++) {
			const struct diff_resource *r = &d->res[i];

			for (j = 0; j < r->nitems; j++) {
				const struct diff_item *it = &r->items[j];

				if (it->change == DIFF_UNCHANGED)
					continue;
				sbuf_add(o, "| ");
				md_code(o, r->name, true);
				sbuf_add(o, " | ");
				md_text(o, it->component);
				sbuf_add(o, " | ");
				money_or_dash(o, it->base, it->base_cost);
				sbuf_add(o, " | ");
				money_or_dash(o, it->head, it->head_cost);
				sbuf_add(o, " | ");
				fmt_money_signed(o, it->head_cost - it->base_cost);
				sbuf_add(o, " | ");
				qty_words(o, it, " \xe2\x86\x92 ");
				sbuf_add(o, " |\n");
			}
		}
		sbuf_add(o, "\n</details>\n");
	}
	if (nc) {
		struct check_run run = {"diff", d->head.plan->name, NULL, c, nc};

		sbuf_add(o, "\n### Checks\n\n");
		checks_md(o, &run);
	}
	sbuf_add(o, "\n<sub>costcap " COSTCAP_VERSION "</sub>\n");
}

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

static void decimal_str(struct sbuf *o, const char *k, double v)
{
	key(o, k);
	sbuf_addc(o, '"');
	fmt_decimal(o, v);
	sbuf_addc(o, '"');
}

static const char *change_name(enum diff_change c)
{
	return c == DIFF_ADDED ? "added" : c == DIFF_REMOVED ? "removed" :
	       c == DIFF_CHANGED ? "changed" : "unchanged";
}

static void side_json(struct sbuf *o, const struct diff_side *s)
{
	int k;

	sbuf_add(o, "{");
	key(o, "plan");
	json_string(o, s->plan->name);
	sbuf_add(o, ", ");
	key(o, "label");
	json_string(o, s->label);
	sbuf_add(o, ",\n    ");
	key(o, "model");
	sbuf_add(o, "{");
	key(o, "name");
	json_string(o, s->plan->model->name);
	sbuf_add(o, ", ");
	key(o, "as_of");
	json_string(o, s->plan->model->as_of);
	sbuf_add(o, ", ");
	key(o, "currency");
	json_string(o, s->plan->model->currency);
	sbuf_add(o, "},\n    ");
	key(o, "window");
	sbuf_add(o, "{");
	num(o, "seconds", s->bill->window_s);
	sbuf_add(o, ", ");
	key(o, "trace");
	if (s->plan->trace)
		json_string(o, s->plan->trace);
	else
		sbuf_add(o, "null");
	sbuf_add(o, "},\n    ");
	num(o, "total_monthly_cost", s->bill->total);
	sbuf_add(o, ", ");
	key(o, "services");
	sbuf_add(o, "{");
	for (k = 0; k < SVC_COUNT; k++) {
		if (k)
			sbuf_add(o, ", ");
		num(o, service_name((enum service)k), s->bill->service[k]);
	}
	sbuf_add(o, "}}");
}

static void count_or_null(struct sbuf *o, const char *k, const struct bill_resource *r, int which)
{
	key(o, k);
	if (!r)
		sbuf_add(o, "null");
	else
		json_number(o, which == 0 ? (double)r->requests : which == 1 ? (double)r->throttled :
			    r->throttle_ratio);
}

void diff_json(struct sbuf *o, const struct diff *d, const struct check *c, size_t nc)
{
	double base = d->base.bill->total, head = d->head.bill->total;
	size_t i, j;
	int s;

	sbuf_add(o, "{\n  ");
	key(o, "costcap_version");
	json_string(o, COSTCAP_VERSION);
	sbuf_add(o, ",\n  ");
	key(o, "base");
	side_json(o, &d->base);
	sbuf_add(o, ",\n  ");
	key(o, "head");
	side_json(o, &d->head);
	sbuf_add(o, ",\n  ");
	num(o, "total_monthly_cost", head);
	sbuf_add(o, ", ");
	num(o, "past_total_monthly_cost", base);
	sbuf_add(o, ",\n  ");
	num(o, "diff_total_monthly_cost", head - base);
	sbuf_add(o, ", ");
	num(o, "diff_pct", diff_pct(base, head));
	sbuf_add(o, ",\n  ");
	key(o, "currency");
	json_string(o, d->head.plan->model->currency);
	sbuf_add(o, ",\n  ");
	decimal_str(o, "totalMonthlyCost", head);
	sbuf_add(o, ", ");
	decimal_str(o, "pastTotalMonthlyCost", base);
	sbuf_add(o, ", ");
	decimal_str(o, "diffTotalMonthlyCost", head - base);
	sbuf_add(o, ",\n  ");
	key(o, "projects");
	sbuf_add(o, "[{");
	key(o, "name");
	json_string(o, d->head.plan->name);
	sbuf_add(o, ", ");
	key(o, "metadata");
	sbuf_add(o, "{");
	key(o, "path");
	json_string(o, d->head.file ? d->head.file : d->head.label);
	sbuf_add(o, "},\n    ");
	key(o, "breakdown");
	sbuf_add(o, "{");
	decimal_str(o, "totalMonthlyCost", head);
	sbuf_add(o, "}, ");
	key(o, "pastBreakdown");
	sbuf_add(o, "{");
	decimal_str(o, "totalMonthlyCost", base);
	sbuf_add(o, "}, ");
	key(o, "diff");
	sbuf_add(o, "{");
	decimal_str(o, "totalMonthlyCost", head - base);
	sbuf_add(o, "}}],\n  ");
	key(o, "services");
	sbuf_add(o, "{");
	for (s = 0; s < SVC_COUNT; s++) {
		sbuf_add(o, s ? ",\n    " : "\n    ");
		key(o, service_name((enum service)s));
		sbuf_add(o, "{");
		num(o, "base", d->base.bill->service[s]);
		sbuf_add(o, ", ");
		num(o, "head", d->head.bill->service[s]);
		sbuf_add(o, ", ");
		num(o, "diff", d->head.bill->service[s] - d->base.bill->service[s]);
		sbuf_add(o, "}");
	}
	sbuf_add(o, "},\n  ");
	num(o, "resources_changed", (double)d->nchanged);
	sbuf_add(o, ",\n  ");
	key(o, "resources");
	sbuf_add(o, "[");
	for (i = 0; i < d->n; i++) {
		const struct diff_resource *r = &d->res[i];

		sbuf_add(o, i ? ",\n    {" : "\n    {");
		key(o, "name");
		json_string(o, r->name);
		sbuf_add(o, ", ");
		key(o, "service");
		json_string(o, service_name(r->service));
		sbuf_add(o, ", ");
		key(o, "change");
		json_string(o, change_name(r->change));
		sbuf_add(o, ",\n     ");
		num(o, "base_monthly_cost", r->base_cost);
		sbuf_add(o, ", ");
		num(o, "head_monthly_cost", r->head_cost);
		sbuf_add(o, ", ");
		num(o, "diff_monthly_cost", r->head_cost - r->base_cost);
		sbuf_add(o, ", ");
		num(o, "diff_pct", diff_pct(r->base_cost, r->head_cost));
		sbuf_add(o, ",\n     ");
		count_or_null(o, "base_requests", r->base, 0);
		sbuf_add(o, ", ");
		count_or_null(o, "head_requests", r->head, 0);
		sbuf_add(o, ", ");
		count_or_null(o, "base_throttled", r->base, 1);
		sbuf_add(o, ", ");
		count_or_null(o, "head_throttled", r->head, 1);
		sbuf_add(o, ",\n     ");
		count_or_null(o, "base_throttle_ratio", r->base, 2);
		sbuf_add(o, ", ");
		count_or_null(o, "head_throttle_ratio", r->head, 2);
		sbuf_add(o, ",\n     ");
		key(o, "line_items");
		sbuf_add(o, "[");
		for (j = 0; j < r->nitems; j++) {
			const struct diff_item *it = &r->items[j];

			sbuf_add(o, j ? ",\n       {" : "\n       {");
			key(o, "component");
			json_string(o, it->component);
			sbuf_add(o, ", ");
			key(o, "unit");
			json_string(o, it->unit);
			sbuf_add(o, ", ");
			key(o, "change");
			json_string(o, change_name(it->change));
			sbuf_add(o, ",\n        ");
			key(o, "base_quantity");
			if (it->base)
				json_number(o, it->base->quantity);
			else
				sbuf_add(o, "null");
			sbuf_add(o, ", ");
			key(o, "head_quantity");
			if (it->head)
				json_number(o, it->head->quantity);
			else
				sbuf_add(o, "null");
			sbuf_add(o, ", ");
			num(o, "base_monthly_cost", it->base_cost);
			sbuf_add(o, ", ");
			num(o, "head_monthly_cost", it->head_cost);
			sbuf_add(o, ", ");
			num(o, "diff_monthly_cost", it->head_cost - it->base_cost);
			sbuf_add(o, "}");
		}
		sbuf_add(o, "]}");
	}
	sbuf_add(o, d->n ? "\n  ],\n  " : "],\n  ");
	key(o, "checks");
	checks_json(o, c, nc, 2);
	sbuf_add(o, ",\n  ");
	num(o, "checks_failed", (double)checks_failed(c, nc));
	sbuf_add(o, ", ");
	key(o, "pass");
	sbuf_add(o, checks_failed(c, nc) ? "false" : "true");
	sbuf_add(o, "\n}\n");
}
