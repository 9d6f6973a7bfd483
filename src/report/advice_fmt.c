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

void report_advice_text(struct sbuf *o, const struct advice *a)
{
	size_t i;

	sbuf_add(o, "\nadvice (costcap advise has the details):\n  ");
	headroom_line(o, a);
	sbuf_addc(o, '\n');
	for (i = 0; i < a->n; i++) {
		const struct advice_item *it = &a->items[i];

		if (!it->actionable)
			continue;
		sbuf_printf(o, "  - [%s] %s%s%s\n", advice_kind_name(it->kind), it->resource,
			    it->resource[0] ? ": " : "", it->message);
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
