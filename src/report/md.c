/* report_md: Markdown for design documents and pull-request comments:
 * the total, per-service and per-resource tables, the line items, the
 * checks, the assumptions and the model's sources. Money to the cent. */
#include "report.h"

#include "fmt.h"

#include "assumptions.h"

#include <math.h>
#include <string.h>

static void money_cell(struct sbuf *o, double v)
{
	sbuf_add(o, " | ");
	fmt_money(o, v);
}

void report_md(struct sbuf *o, const struct report_ctx *c)
{
	const struct plan *p = c->plan;
	const struct bill *b = c->bill;
	size_t i, j, na;
	int s;
	char **src;
	struct assumption *as;

	sbuf_add(o, "# costcap report: ");
	md_code(o, p->name, false);
	sbuf_add(o, "\n\nModel ");
	md_code(o, p->model->name, false);
	sbuf_add(o, " (figures as of ");
	md_text(o, p->model->as_of);
	sbuf_add(o, ", ");
	md_text(o, p->model->currency);
	sbuf_add(o, "); simulated ");
	report_window_words(o, c);
	sbuf_printf(o, "; free tier: %s; costcap %s.\n\n", report_free_tier_name(p->free_tier),
		    COSTCAP_VERSION);
	sbuf_add(o, "**Total: ");
	fmt_money(o, b->total);
	sbuf_add(o, " per month**\n\n| Service | Monthly cost | Share |\n|---|---:|---:|\n");
	for (s = 0; s < SVC_COUNT; s++) {
		sbuf_printf(o, "| %s", service_name((enum service)s));
		money_cell(o, b->service[s]);
		sbuf_add(o, " | ");
		if (b->total > 0)
			fmt_pct(o, b->service[s] / b->total, 1);
		else
			sbuf_add(o, "-");
		sbuf_add(o, " |\n");
	}
	sbuf_add(o, "\n## Resources\n\n| Resource | Service | Monthly cost | Requests | Throttled | "
		 "Throttle ratio |\n|---|---|---:|---:|---:|---:|\n");
	for (i = 0; i < b->n; i++) {
		const struct bill_resource *r = &b->res[i];

		sbuf_add(o, "| ");
		md_code(o, r->name, true);
		sbuf_printf(o, " | %s", service_name(r->service));
		money_cell(o, r->monthly_cost);
		sbuf_add(o, " | ");
		fmt_count(o, (double)r->requests);
		sbuf_add(o, " | ");
		fmt_count(o, (double)r->throttled);
		sbuf_add(o, " | ");
		fmt_pct(o, r->throttle_ratio, 3);
		sbuf_add(o, " |\n");
	}
	sbuf_add(o, "\nRequests and throttled are counts in the simulated window (invocations for a "
		 "function, requests for an API, operations for a table); money is per 730-hour "
		 "month.\n");
	sbuf_add(o, "\n## Line items\n\n| Resource | Component | Quantity | Unit | Unit price | "
		 "Monthly cost |\n|---|---|---:|---|---:|---:|\n");
	for (i = 0; i < b->n; i++) {
		const struct bill_resource *r = &b->res[i];

		for (j = 0; j < r->nitems; j++) {
			const struct line_item *li = &r->items[j];

			sbuf_add(o, "| ");
			md_code(o, r->name, true);
			sbuf_add(o, " | ");
			md_text(o, li->component);
			sbuf_add(o, " | ");
			fmt_count(o, li->quantity);
			sbuf_add(o, " | ");
			md_text(o, li->unit);
			sbuf_add(o, " | ");
			fmt_price(o, li->unit_price);
			money_cell(o, li->monthly_cost);
			sbuf_add(o, " |\n");
		}
	}
	if (c->nchecks) {
		struct check_run run = {"check", p->name, c->plan_file, c->checks, c->nchecks};

		sbuf_add(o, "\n## Checks\n\n");
		checks_md(o, &run);
	}
	if (c->advice)
		report_advice_md(o, c->advice);
	as = assumptions_list(p, &na);
	if (na) {
		sbuf_add(o, "\n## Assumptions\n\nThese figures depend on the following modelling "
			 "assumptions (model `behaviour:` parameters, which a plan may override):\n\n");
		for (i = 0; i < na; i++) {
			sbuf_add(o, "- ");
			md_code(o, as[i].key, false);
			sbuf_add(o, " = ");
			md_text(o, as[i].value);
			sbuf_add(o, ": ");
			md_text(o, as[i].what);
			sbuf_addc(o, '\n');
		}
	}
	assumptions_free(as, na);
	sbuf_add(o, "\n## Sources\n\nPrices and limits from model ");
	md_code(o, p->model->name, false);
	sbuf_add(o, ", as of ");
	md_text(o, p->model->as_of);
	sbuf_add(o, ":\n\n");
	for (src = p->model->sources; src && *src; src++) {
		const char *sp = strchr(*src, ' ');

		/* "URL (note)": the URL as an autolink, the note as text. */
		if (!strncmp(*src, "http", 4) && !strpbrk(*src, "<>")) {
			sbuf_add(o, "- <");
			sbuf_addn(o, *src, sp ? (size_t)(sp - *src) : strlen(*src));
			sbuf_addc(o, '>');
			if (sp)
				md_text(o, sp);
		} else {
			sbuf_add(o, "- ");
			md_text(o, *src);
		}
		sbuf_addc(o, '\n');
	}
}

void report_check_md(struct sbuf *o, const struct report_ctx *c)
{
	const struct plan *p = c->plan;
	const struct bill *b = c->bill;
	struct check_run run = {"check", p->name, c->plan_file, c->checks, c->nchecks};
	size_t nf = checks_failed(c->checks, c->nchecks);
	int s;

	sbuf_add(o, "## costcap check: ");
	md_code(o, p->name, false);
	sbuf_add(o, " ");
	if (!c->nchecks)
		sbuf_add(o, "(no checks)");
	else if (nf)
		sbuf_printf(o, "\xe2\x9d\x8c %zu of %zu checks failed", nf, c->nchecks);
	else
		sbuf_printf(o, "\xe2\x9c\x85 all %zu checks pass", c->nchecks);
	sbuf_add(o, "\n\nMonthly cost **");
	fmt_money(o, b->total);
	sbuf_add(o, "** (");
	for (s = 0; s < SVC_COUNT; s++) {
		sbuf_printf(o, "%s%s ", s ? ", " : "", service_name((enum service)s));
		fmt_money(o, b->service[s]);
	}
	sbuf_add(o, "); model ");
	md_code(o, p->model->name, false);
	sbuf_add(o, " (figures as of ");
	md_text(o, p->model->as_of);
	sbuf_add(o, "); simulated ");
	report_window_words(o, c);
	sbuf_add(o, ".\n\n");
	checks_md(o, &run);
	sbuf_add(o, "\n<sub>costcap " COSTCAP_VERSION "</sub>\n");
}
