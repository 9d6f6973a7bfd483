/* advice_fmt: the advice section of a report (report --advice): the
 * recommendations of core/advise and the headroom, in text, Markdown,
 * JSON and HTML. Every figure comes from struct advice. */
#include "report.h"

#include <math.h>

#include "../core/advise.h"
#include "fmt.h"

/* The headroom sentence: the first limit the plan hits as traffic grows. */
static void headroom_line(struct sbuf *o, const struct advice *a)
{
	const struct headroom *h = &a->headroom;
	const struct headroom_row *r;

	if (!a->has_headroom || h->first < 0) {
		sbuf_printf(o, "no resource throttles above the target up to x%g traffic", h->max_scale);
		return;
	}
	r = &h->rows[h->first];
	sbuf_printf(o, "first limit: %s (%s) at x%.2f traffic, bound by %s", r->resource,
		    service_name(r->service), r->scale, limit_kind_name(r->limit));
}

/* One item: "  - [kind] resource: message". */
static void item_line(struct sbuf *o, const struct advice_item *it, char bullet)
{
	sbuf_printf(o, "  %c [%s] %s%s%s\n", bullet, advice_kind_name(it->kind), it->resource,
		    it->resource[0] ? ": " : "", it->message);
}

void report_advice_text(struct sbuf *o, const struct advice *a)
{
	size_t i;

	sbuf_add(o, "\nadvice (costcap advise has the details):\n  ");
	headroom_line(o, a);
	sbuf_addc(o, '\n');
	for (i = 0; i < a->n; i++)
		if (a->items[i].actionable)
			item_line(o, &a->items[i], '-');
}

void report_advice_ratio(struct sbuf *o, double r)
{
	if (!isfinite(r))
		sbuf_add(o, "n/a");
	else if (r == 0)
		sbuf_add(o, "0%");
	else if (r < 0.0001)
		sbuf_printf(o, "%.4f%%", r * 100);
	else
		sbuf_printf(o, "%.3g%%", r * 100);
}

void report_advice_money(struct sbuf *o, double v)
{
	if (!isfinite(v))
		sbuf_add(o, "n/a");
	else
		fmt_money(o, v);
}

/* The items of one kind of bullet (recommended or checked), with their
 * --set assignments. */
static void panel_items(struct sbuf *o, const struct advice *a, bool actionable)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct advice_item *it = &a->items[i];

		if (it->actionable != actionable)
			continue;
		item_line(o, it, actionable ? '*' : '-');
		if (actionable && it->detail && it->detail[0])
			sbuf_printf(o, "      %s\n", it->detail);
		if (it->set)
			sbuf_printf(o, "      --set %s\n", it->set);
	}
}

/* The rows of the headroom table (text and the TUI panel): resource,
 * service, the scale and the binding limit, the first marked. */
void report_headroom_rows(struct sbuf *o, const struct headroom *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		const struct headroom_row *r = &h->rows[i];

		sbuf_printf(o, "  %-20s %-10s ", r->resource, service_name(r->service));
		if (isfinite(r->scale)) {
			sbuf_printf(o, "%8.4gx  %s", r->scale, limit_kind_name(r->limit));
			if ((long)i == h->first)
				sbuf_add(o, "   <- first");
		} else {
			sbuf_printf(o, "   > %.4gx", h->max_scale);
		}
		sbuf_addc(o, '\n');
	}
}

void report_advice_panel(struct sbuf *o, const struct advice *a)
{
	size_t i, na = 0;

	for (i = 0; i < a->n; i++)
		na += a->items[i].actionable;
	sbuf_add(o, "  ");
	report_advice_money(o, a->baseline_total);
	sbuf_add(o, "/month as planned; throttle target ");
	report_advice_ratio(o, a->target);
	sbuf_add(o, "\n  ");
	headroom_line(o, a);
	sbuf_addc(o, '\n');
	if (a->has_projection) {
		const struct projection *pr = &a->projection;

		sbuf_printf(o, "  at %.3g%%/month (%s): ", pr->growth * 100, a->growth_source);
		if (pr->start_month)
			sbuf_printf(o, "throttling passes the target in month %d\n", pr->start_month);
		else if (pr->headroom_month)
			sbuf_printf(o, "no throttling above the target within %zu months (the first "
				    "limit is reached in month %d)\n", pr->n, pr->headroom_month);
		else
			sbuf_printf(o, "no throttling above the target within %zu months\n", pr->n);
	}
	sbuf_printf(o, "\n#Recommended (%zu)\n", na);
	panel_items(o, a, true);
	if (!na)
		sbuf_add(o, "  nothing: the plan is already the cheapest under the target\n");
	sbuf_printf(o, "\n#Checked (%zu)\n", a->n - na);
	panel_items(o, a, false);
	if (a->has_headroom) {
		sbuf_add(o, "\n#Headroom: traffic scale at which each resource first throttles above the target\n");
		report_headroom_rows(o, &a->headroom);
	}
	if (a->has_projection) {
		const struct projection *pr = &a->projection;

		sbuf_printf(o, "\n#Projection: %zu months at %.3g%%/month (%s)\n", pr->n, pr->growth * 100,
			    a->growth_source);
		sbuf_add(o, "  month   scale      $/month  worst throttle\n");
		for (i = 0; i < pr->n; i++) {
			const struct projection_month *m = &pr->months[i];
			struct sbuf mm = {0};

			report_advice_money(&mm, m->monthly_cost);
			sbuf_printf(o, "  %5d  %6.3f  %11s  ", m->month, m->scale, mm.buf);
			sbuf_free(&mm);
			report_advice_ratio(o, m->throttle_ratio);
			if (m->throttle_ratio > 0 && m->worst && m->worst[0])
				sbuf_printf(o, " (%s)", m->worst);
			sbuf_addc(o, '\n');
		}
	}
}

void report_advice_md(struct sbuf *o, const struct advice *a)
{
	size_t i;

	sbuf_add(o, "\n## Advice\n\n");
	{
		struct sbuf h = {0};

		headroom_line(&h, a);
		md_text(o, h.buf);
		sbuf_free(&h);
	}
	sbuf_add(o, ".\n\n| kind | resource | advice | saving per month |\n|---|---|---|---:|\n");
	for (i = 0; i < a->n; i++) {
		const struct advice_item *it = &a->items[i];

		if (!it->actionable)
			continue;
		sbuf_printf(o, "| %s | ", advice_kind_name(it->kind));
		md_text(o, it->resource);
		sbuf_add(o, " | ");
		md_text(o, it->message);
		sbuf_add(o, " | ");
		if (!isnan(it->saving))
			fmt_money(o, it->saving);
		sbuf_add(o, " |\n");
	}
}

static void jnum(struct sbuf *o, double v)
{
	if (isnan(v) || isinf(v))
		sbuf_add(o, "null");
	else
		json_number(o, v);
}

void report_advice_json(struct sbuf *o, const struct advice *a)
{
	size_t i;

	sbuf_add(o, "\"advice\": {\"headroom\": ");
	if (a->has_headroom && a->headroom.first >= 0) {
		const struct headroom_row *r = &a->headroom.rows[a->headroom.first];

		sbuf_add(o, "{\"resource\": ");
		json_string(o, r->resource);
		sbuf_add(o, ", \"scale\": ");
		jnum(o, r->scale);
		sbuf_add(o, ", \"limit\": ");
		json_string(o, limit_kind_name(r->limit));
		sbuf_add(o, "}");
	} else {
		sbuf_add(o, "null");
	}
	sbuf_add(o, ", \"items\": [");
	for (i = 0; i < a->n; i++) {
		const struct advice_item *it = &a->items[i];

		sbuf_add(o, i ? ",\n    {\"kind\": " : "\n    {\"kind\": ");
		json_string(o, advice_kind_name(it->kind));
		sbuf_add(o, ", \"resource\": ");
		json_string(o, it->resource);
		sbuf_add(o, it->actionable ? ", \"actionable\": true" : ", \"actionable\": false");
		sbuf_add(o, ", \"message\": ");
		json_string(o, it->message);
		sbuf_add(o, ", \"current_cost\": ");
		jnum(o, it->current_cost);
		sbuf_add(o, ", \"proposed_cost\": ");
		jnum(o, it->proposed_cost);
		sbuf_add(o, ", \"saving\": ");
		jnum(o, it->saving);
		sbuf_add(o, "}");
	}
	sbuf_add(o, a->n ? "\n  ]}" : "]}");
}

void report_advice_html(struct sbuf *o, const struct advice *a)
{
	struct sbuf h = {0};
	size_t i;

	sbuf_add(o, "<h2 id=\"advice\">Advice</h2>\n<p>");
	headroom_line(&h, a);
	xml_text(o, h.buf);
	sbuf_free(&h);
	sbuf_add(o, ".</p>\n<table><thead><tr><th>Kind</th><th>Resource</th><th>Advice</th>"
		 "<th>Saving per month</th></tr></thead><tbody>\n");
	for (i = 0; i < a->n; i++) {
		const struct advice_item *it = &a->items[i];
		struct sbuf m = {0};

		if (!it->actionable)
			continue;
		sbuf_add(o, "<tr><td>");
		xml_text(o, advice_kind_name(it->kind));
		sbuf_add(o, "</td><td>");
		xml_text(o, it->resource);
		sbuf_add(o, "</td><td>");
		xml_text(o, it->message);
		sbuf_add(o, "</td><td class=\"num\">");
		if (!isnan(it->saving))
			fmt_money(&m, it->saving);
		xml_text(o, m.buf ? m.buf : "");
		sbuf_free(&m);
		sbuf_add(o, "</td></tr>\n");
	}
	sbuf_add(o, "</tbody></table>\n");
}
