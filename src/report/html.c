/* report_html: one self-contained page, written so that an XML parser
 * accepts it (XHTML syntax: every element closed, no named entities other
 * than XML's), with no script and nothing loaded from the network. Charts
 * are inline SVG (report/svg.c) drawn from the simulation's series; every
 * figure comes from the bill or the usage. */
#include "report.h"

#include "fmt.h"

#include "assumptions.h"
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char css[] =
	":root{--fg:#1d2330;--muted:#5b6473;--bg:#ffffff;--card:#f4f6f9;--grid:#e4e8ee;"
	"--line:#b9c0cc;--lambda:#e8870e;--apigateway:#8c4fd9;--dynamodb:#2f6fd6;"
	"--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--link:#0b5cad}\n"
	"@media (prefers-color-scheme: dark){:root{--fg:#e4e7ec;--muted:#9aa3b2;--bg:#15181d;"
	"--card:#1e232a;--grid:#2a3038;--line:#4a515d;--ok:#3fb950;--bad:#f85149;--warn:#d29922;"
	"--link:#58a6ff}}\n"
	"*{box-sizing:border-box}\n"
	"body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;"
	"color:var(--fg);background:var(--bg);margin:0 auto;max-width:1360px;padding:24px 28px 48px}\n"
	"h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:36px 0 12px;padding-bottom:4px;"
	"border-bottom:1px solid var(--grid)}h3{font-size:16px;margin:0}\n"
	"a{color:var(--link)}code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
	"font-size:12.5px}\n"
	".sub{color:var(--muted);margin:0 0 18px}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:12px}\n"
	".card{background:var(--card);border-radius:8px;padding:12px 14px}\n"
	".card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}\n"
	".card .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}\n"
	".card .n{color:var(--muted);font-size:12px}\n"
	".card.total .v{font-size:28px}\n"
	".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:14px 28px}\n"
	"figure{margin:0}figcaption{font-weight:600;margin:6px 0 4px}.unit{font-weight:400;"
	"color:var(--muted)}\n"
	"svg.ts,svg.bars{width:100%;height:auto;display:block}\n"
	"svg text{fill:var(--muted);font-size:11px;font-family:inherit}\n"
	"svg .blabel{fill:var(--fg);font-size:12px}svg .bvalue{fill:var(--fg);font-size:12px;"
	"font-variant-numeric:tabular-nums}svg .none{fill:var(--ok);font-size:11px}\n"
	".grid{stroke:var(--grid);stroke-width:1}.axis,.xtick{stroke:var(--line);stroke-width:1}\n"
	".stripbg{fill:var(--card)}\n"
	".legend{font-size:12px;color:var(--muted);margin:2px 0 0 58px}.legend span{margin-right:14px;"
	"white-space:nowrap}.legend svg.key{vertical-align:middle}\n"
	"polyline{fill:none;stroke-linejoin:round}\n"
	".s-offered{stroke:#9cc7ea;stroke-width:4}\n"
	".s-admitted{stroke:#1f5fa8;stroke-width:1.5}\n"
	".s-cap{stroke:#e6550d;stroke-width:1.5;stroke-dasharray:6 3}\n"
	".s-thr{fill:#d62728;fill-opacity:.8;stroke:#d62728;stroke-width:.8}\n"
	".s-cold{fill:#17a2b8;fill-opacity:.8;stroke:#17a2b8;stroke-width:.8}\n"
	".s-conc{stroke:#2ca02c;stroke-width:1.6}\n"
	".s-read{stroke:#1f77b4;stroke-width:1.6}.s-write{stroke:#9467bd;stroke-width:1.6}\n"
	".s-rcap{stroke:#1f77b4;stroke-width:1.3;stroke-dasharray:6 3}"
	".s-wcap{stroke:#9467bd;stroke-width:1.3;stroke-dasharray:6 3}\n"
	"@media (prefers-color-scheme: dark){.s-offered{stroke:#2f5f8a}.s-admitted{stroke:#8cc4ff}}\n"
	".b-lambda{fill:var(--lambda)}.b-apigateway{fill:var(--apigateway)}.b-dynamodb{fill:var(--dynamodb)}\n"
	"table{border-collapse:collapse;width:100%;font-size:13px}\n"
	"th,td{padding:5px 8px;border-bottom:1px solid var(--grid);text-align:left;vertical-align:top}\n"
	"th{color:var(--muted);font-weight:600;font-size:12px}\n"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"tr.res td{font-weight:600;background:var(--card)}tr.credit td{color:var(--ok)}\n"
	".badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:11px;font-weight:600;"
	"color:#fff;vertical-align:middle}\n"
	".badge.lambda{background:var(--lambda)}.badge.apigateway{background:var(--apigateway)}"
	".badge.dynamodb{background:var(--dynamodb)}\n"
	".pass{color:var(--ok);font-weight:700}.fail{color:var(--bad);font-weight:700}"
	".warn{color:var(--warn);font-weight:700}\n"
	".thr{color:var(--bad);font-weight:600}\n"
	".resource{margin:22px 0 8px;padding-top:6px}.resource .facts{color:var(--muted);margin:4px 0 8px}\n"
	".note{color:var(--muted);font-size:12.5px}\n"
	"footer{margin-top:40px;color:var(--muted);font-size:12px}\n"
	"@media print{body{max-width:none;padding:0}.charts{grid-template-columns:1fr}"
	".resource{break-inside:avoid}}\n";

static void money(struct sbuf *o, double v)
{
	fmt_money(o, v);
}

static void td_money(struct sbuf *o, double v)
{
	sbuf_add(o, "<td class=\"num\">");
	money(o, v);
	sbuf_add(o, "</td>");
}

static void td_count(struct sbuf *o, double v)
{
	sbuf_add(o, "<td class=\"num\">");
	fmt_count(o, v);
	sbuf_add(o, "</td>");
}

static void td_text(struct sbuf *o, const char *s)
{
	sbuf_add(o, "<td>");
	xml_text(o, s);
	sbuf_add(o, "</td>");
}

static void badge(struct sbuf *o, enum service s)
{
	sbuf_printf(o, "<span class=\"badge %s\">%s</span>", service_name(s), service_name(s));
}

static void card(struct sbuf *o, const char *cls, const char *k, const char *v, const char *note)
{
	sbuf_printf(o, "<div class=\"card %s\"><div class=\"k\">", cls);
	xml_text(o, k);
	sbuf_add(o, "</div><div class=\"v\">");
	xml_text(o, v);
	sbuf_add(o, "</div>");
	if (note) {
		sbuf_add(o, "<div class=\"n\">");
		xml_text(o, note);
		sbuf_add(o, "</div>");
	}
	sbuf_add(o, "</div>\n");
}

static const char *count_word(enum service s)
{
	return s == SVC_LAMBDA ? "invocations" : s == SVC_APIGATEWAY ? "requests" : "operations";
}

static void header(struct sbuf *o, const struct report_ctx *c)
{
	const struct plan *p = c->plan;
	const struct bill *b = c->bill;
	const struct bill_resource *worst = NULL;
	struct sbuf v = {0}, n = {0};
	size_t i;
	int s;

	sbuf_add(o, "<header><h1>");
	xml_text(o, p->name);
	sbuf_add(o, "</h1>\n<p class=\"sub\">costcap report \xc2\xb7 model <code>");
	xml_text(o, p->model->name);
	sbuf_add(o, "</code> (figures as of ");
	xml_text(o, p->model->as_of);
	sbuf_add(o, ", ");
	xml_text(o, p->model->currency);
	sbuf_add(o, ") \xc2\xb7 simulated ");
	report_window_words(&v, c);
	xml_text(o, v.buf);
	sbuf_free(&v);
	sbuf_printf(o, " \xc2\xb7 free tier: %s", report_free_tier_name(p->free_tier));
	if (p->scale != 1)
		sbuf_printf(o, " \xc2\xb7 traffic scale %g", p->scale);
	sbuf_add(o, "</p></header>\n<section class=\"cards\">\n");
	fmt_money(&v, b->total);
	card(o, "total", "Total per month", v.buf, "730-hour month");
	sbuf_free(&v);
	for (s = 0; s < SVC_COUNT; s++) {
		fmt_money(&v, b->service[s]);
		if (b->total > 0) {
			fmt_pct(&n, b->service[s] / b->total, 1);
			sbuf_add(&n, " of the total");
		}
		card(o, service_name((enum service)s), service_name((enum service)s), v.buf, n.buf);
		sbuf_free(&v);
		sbuf_free(&n);
	}
	for (i = 0; i < b->n; i++)
		if (!worst || b->res[i].throttle_ratio > worst->throttle_ratio)
			worst = &b->res[i];
	if (worst) {
		fmt_pct(&v, worst->throttle_ratio, 3);
		if (worst->throttled)
			sbuf_printf(&n, "%s (%s)", worst->name, service_name(worst->service));
		else
			sbuf_add(&n, "no resource throttles");
		card(o, worst->throttled ? "thr" : "", "Highest throttle ratio", v.buf, n.buf);
		sbuf_free(&v);
		sbuf_free(&n);
	}
	if (c->nchecks) {
		size_t nf = checks_failed(c->checks, c->nchecks);

		sbuf_printf(&v, "%zu of %zu pass", c->nchecks - nf, c->nchecks);
		card(o, nf ? "fail" : "pass", "Budget checks", v.buf, nf ? "see Checks below" : NULL);
		sbuf_free(&v);
	}
	sbuf_add(o, "</section>\n");
}

static int cmp_cost(const void *a, const void *b)
{
	const struct bill_resource *x = *(const struct bill_resource *const *)a;
	const struct bill_resource *y = *(const struct bill_resource *const *)b;

	if (x->monthly_cost != y->monthly_cost)
		return x->monthly_cost < y->monthly_cost ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void breakdown(struct sbuf *o, const struct report_ctx *c)
{
	const struct bill *b = c->bill;
	struct svg_bar sb[SVC_COUNT], *rb = xcalloc(b->n + 1, sizeof *rb);
	const struct bill_resource **sorted = xcalloc(b->n + 1, sizeof *sorted);
	char *texts[SVC_COUNT], **rtexts = xcalloc(b->n + 1, sizeof *rtexts);
	char **labels = xcalloc(b->n + 1, sizeof *labels);
	size_t i;
	int s;

	sbuf_add(o, "<h2 id=\"breakdown\">Cost breakdown</h2>\n<div class=\"charts\">\n");
	for (s = 0; s < SVC_COUNT; s++) {
		struct sbuf t = {0};

		fmt_money(&t, b->service[s]);
		if (b->total > 0) {
			sbuf_add(&t, " \xc2\xb7 ");
			fmt_pct(&t, b->service[s] / b->total, 1);
		}
		texts[s] = sbuf_take(&t);
		sb[s].label = service_name((enum service)s);
		sb[s].value = b->service[s];
		sb[s].value_text = texts[s];
	}
	/* Bar classes are "b-SERVICE". */
	{
		char cls[SVC_COUNT][24];

		for (s = 0; s < SVC_COUNT; s++) {
			snprintf(cls[s], sizeof cls[s], "b-%s", service_name((enum service)s));
			sb[s].cls = cls[s];
		}
		svg_hbars(o, "Monthly cost by service", sb, SVC_COUNT, "chart-services");
	}
	for (i = 0; i < b->n; i++)
		sorted[i] = &b->res[i];
	qsort(sorted, b->n, sizeof *sorted, cmp_cost);
	for (i = 0; i < b->n; i++) {
		struct sbuf t = {0};

		fmt_money(&t, sorted[i]->monthly_cost);
		rtexts[i] = sbuf_take(&t);
		labels[i] = xasprintf("b-%s", service_name(sorted[i]->service));
		rb[i].label = sorted[i]->name;
		rb[i].cls = labels[i];
		rb[i].value = sorted[i]->monthly_cost;
		rb[i].value_text = rtexts[i];
	}
	svg_hbars(o, "Monthly cost by resource", rb, b->n, "chart-resources");
	sbuf_add(o, "</div>\n<p class=\"legend\">");
	for (s = 0; s < SVC_COUNT; s++) {
		badge(o, (enum service)s);
		sbuf_addc(o, ' ');
	}
	sbuf_add(o, "</p>\n");
	for (s = 0; s < SVC_COUNT; s++)
		free(texts[s]);
	for (i = 0; i < b->n; i++) {
		free(rtexts[i]);
		free(labels[i]);
	}
	free(rtexts);
	free(labels);
	free(sorted);
	free(rb);
}

static void checks_section(struct sbuf *o, const struct report_ctx *c)
{
	size_t i;

	if (!c->nchecks)
		return;
	sbuf_add(o, "<h2 id=\"checks\">Checks</h2>\n<table><thead><tr><th>Result</th><th>Check</th>"
		 "<th class=\"num\">Value</th><th class=\"num\">Limit</th><th>Detail</th></tr></thead>"
		 "<tbody>\n");
	for (i = 0; i < c->nchecks; i++) {
		const struct check *k = &c->checks[i];

		sbuf_printf(o, "<tr><td class=\"%s\">%s</td><td><code>", !k->pass ? "fail" : k->warn ? "warn" :
			    "pass", !k->pass ? "FAIL" : k->warn ? "PASS (close)" : "PASS");
		xml_text(o, k->name);
		sbuf_add(o, "</code></td><td class=\"num\">");
		check_fmt_value(o, k->unit, k->value);
		sbuf_add(o, "</td><td class=\"num\">");
		check_fmt_value(o, k->unit, k->limit);
		sbuf_add(o, "</td>");
		td_text(o, k->detail);
		sbuf_add(o, "</tr>\n");
	}
	sbuf_add(o, "</tbody></table>\n");
}

static void resources_table(struct sbuf *o, const struct report_ctx *c)
{
	const struct bill *b = c->bill;
	size_t i;

	sbuf_add(o, "<h2 id=\"resources\">Resources</h2>\n<table><thead><tr><th>Resource</th>"
		 "<th>Service</th><th class=\"num\">Monthly cost</th><th class=\"num\">Requests</th>"
		 "<th class=\"num\">Throttled</th><th class=\"num\">Throttle ratio</th></tr></thead>"
		 "<tbody>\n");
	for (i = 0; i < b->n; i++) {
		const struct bill_resource *r = &b->res[i];

		sbuf_printf(o, "<tr><td><a href=\"#r%zu\">", i);
		xml_text(o, r->name);
		sbuf_add(o, "</a></td><td>");
		badge(o, r->service);
		sbuf_add(o, "</td>");
		td_money(o, r->monthly_cost);
		td_count(o, (double)r->requests);
		td_count(o, (double)r->throttled);
		sbuf_printf(o, "<td class=\"num%s\">", r->throttled ? " thr" : "");
		fmt_pct(o, r->throttle_ratio, 3);
		sbuf_add(o, "</td></tr>\n");
	}
	sbuf_add(o, "</tbody><tfoot><tr><td><strong>Total</strong></td><td></td><td class=\"num\">"
		 "<strong>");
	money(o, b->total);
	sbuf_add(o, "</strong></td><td></td><td></td><td></td></tr></tfoot></table>\n"
		 "<p class=\"note\">Requests and throttled are counts in the simulated window "
		 "(invocations for a function, requests for an API, operations for a table); money "
		 "is per 730-hour month.</p>\n");
}

/* The facts line under a resource's name. */
static void facts(struct sbuf *o, const struct report_ctx *c, const struct bill_resource *r)
{
	const struct fn_usage *f = report_fn_usage(c, r);
	const struct table_usage *t = report_table_usage(c, r);
	const struct api_usage *a = report_api_usage(c, r);

	sbuf_add(o, "<p class=\"facts\">");
	money(o, r->monthly_cost);
	sbuf_add(o, " per month \xc2\xb7 ");
	fmt_count(o, (double)r->requests);
	sbuf_printf(o, " %s offered, ", count_word(r->service));
	if (r->throttled)
		sbuf_add(o, "<span class=\"thr\">");
	fmt_count(o, (double)r->throttled);
	sbuf_add(o, " throttled (");
	fmt_pct(o, r->throttle_ratio, 3);
	sbuf_add(o, ")");
	if (r->throttled)
		sbuf_add(o, "</span>");
	if (f) {
		sbuf_add(o, " \xc2\xb7 peak concurrency ");
		fmt_count(o, f->peak_concurrency);
		sbuf_add(o, " \xc2\xb7 ");
		fmt_count(o, (double)f->cold_starts);
		sbuf_add(o, " cold starts");
	} else if (a && a->cache_hits) {
		sbuf_add(o, " \xc2\xb7 ");
		fmt_count(o, (double)a->cache_hits);
		sbuf_add(o, " cache hits");
	} else if (t) {
		sbuf_add(o, " \xc2\xb7 ");
		fmt_count(o, t->storage_gb);
		sbuf_add(o, " GB stored");
	}
	sbuf_add(o, "</p>\n");
}

static bool any_nonzero(const float *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		if (v[i] != 0)
			return true;
	return false;
}

static void resource_charts(struct sbuf *o, const struct report_ctx *c,
			    const struct bill_resource *r, size_t idx)
{
	const struct series *s = report_series(c, r);
	struct svg_chart ch;
	char *id, *title;
	double per = 0;

	sbuf_printf(o, "<section class=\"resource\" id=\"r%zu\"><h3>", idx);
	xml_text(o, r->name);
	sbuf_add(o, " ");
	badge(o, r->service);
	sbuf_add(o, "</h3>\n");
	facts(o, c, r);
	if (!s) {
		sbuf_add(o, "<p class=\"note\">No series were kept for this resource.</p></section>\n");
		return;
	}
	per = 1 / s->step_s;
	memset(&ch, 0, sizeof ch);
	ch.n = s->n;
	ch.step_s = s->step_s;
	ch.start_epoch = c->start_epoch;
	sbuf_add(o, "<div class=\"charts\">\n");
	{
		struct svg_line traffic[3] = {
			{"offered", "s-offered", s->v[SER_OFFERED], per, false},
			{"admitted", "s-admitted", s->v[SER_ADMITTED], per, false},
			{r->service == SVC_APIGATEWAY ? "capacity (stage and account rate)" : "capacity",
			 "s-cap", r->service == SVC_APIGATEWAY ? s->v[SER_LIMIT] : NULL, 1, true},
		};
		struct svg_line thr = {"throttled", "s-thr", s->v[SER_THROTTLED], per, false};

		title = xasprintf("%s: %s offered, admitted and throttled", r->name,
				  count_word(r->service));
		id = xasprintf("c%zu-traffic", idx);
		ch.title = title;
		ch.unit = r->service == SVC_LAMBDA ? "invocations/s" :
			  r->service == SVC_APIGATEWAY ? "requests/s" : "operations/s";
		ch.lines = traffic;
		ch.nlines = 3;
		ch.strip = &thr;
		ch.strip_none = "nothing throttled";
		ch.id = id;
		svg_timeseries(o, &ch);
		free(title);
		free(id);
	}
	if (r->service == SVC_LAMBDA) {
		struct svg_line conc[2] = {
			{"concurrency", "s-conc", s->v[SER_CONCURRENCY], 1, false},
			{"concurrency limit", "s-cap", s->v[SER_LIMIT], 1, true},
		};
		struct svg_line cold = {"cold starts", "s-cold", s->v[SER_COLD], per, false};

		title = xasprintf("%s: Lambda concurrency", r->name);
		id = xasprintf("c%zu-concurrency", idx);
		ch.title = title;
		ch.unit = "environments; cold starts/s below";
		ch.lines = conc;
		ch.nlines = 2;
		ch.strip = &cold;
		ch.strip_none = "no cold starts";
		ch.id = id;
		svg_timeseries(o, &ch);
		free(title);
		free(id);
	}
	if (r->service == SVC_DYNAMODB) {
		/* Provisioned capacity is what the chart is about; an on-demand
		 * table's ceiling (twice the previous peak) is drawn only when
		 * it comes close to the traffic. */
		int ti = plan_find_table(c->plan, r->name);
		bool od = ti >= 0 && c->plan->tables[ti].mode == MODE_ON_DEMAND;
		struct svg_line cap[4] = {
			{"read units consumed", "s-read", s->v[SER_READ_CONSUMED], per, false},
			{od ? "on-demand read ceiling" : "read capacity", "s-rcap", s->v[SER_READ_CAPACITY], 1, od},
			{"write units consumed", "s-write", s->v[SER_WRITE_CONSUMED], per, false},
			{od ? "on-demand write ceiling" : "write capacity", "s-wcap", s->v[SER_WRITE_CAPACITY], 1, od},
		};
		struct svg_line burst[2] = {
			{"read burst pool", "s-read", s->v[SER_READ_BURST], 1, false},
			{"write burst pool", "s-write", s->v[SER_WRITE_BURST], 1, false},
		};

		title = xasprintf("%s: read capacity", r->name);
		id = xasprintf("c%zu-read", idx);
		ch.title = title;
		ch.unit = "read units/s";
		ch.lines = cap;
		ch.nlines = 2;
		ch.strip = NULL;
		ch.id = id;
		svg_timeseries(o, &ch);
		free(title);
		free(id);
		title = xasprintf("%s: write capacity", r->name);
		id = xasprintf("c%zu-write", idx);
		ch.title = title;
		ch.unit = "write units/s";
		ch.lines = cap + 2;
		ch.id = id;
		svg_timeseries(o, &ch);
		free(title);
		free(id);
		if (any_nonzero(burst[0].v, s->n) || any_nonzero(burst[1].v, s->n)) {
			title = xasprintf("%s: DynamoDB burst pool", r->name);
			id = xasprintf("c%zu-burst", idx);
			ch.title = title;
			ch.unit = "banked capacity units";
			ch.lines = burst;
			ch.nlines = 2;
			ch.id = id;
			svg_timeseries(o, &ch);
			free(title);
			free(id);
		}
	}
	sbuf_add(o, "</div>\n");
	sbuf_printf(o, "<p class=\"note\">Each point covers %.0f s: counts are averaged per second over "
		    "it, levels (capacity, concurrency, burst pool) are its maximum.", s->step_s);
	if (!isnan(c->start_epoch)) {
		char buf[40];
		time_t t0 = (time_t)c->start_epoch;
		struct tm tm;

		gmtime_r(&t0, &tm);
		strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
		sbuf_printf(o, " Times are UTC; the window starts %s.", buf);
	}
	sbuf_add(o, "</p>\n");
	sbuf_add(o, "</section>\n");
}

static void line_items(struct sbuf *o, const struct report_ctx *c)
{
	const struct bill *b = c->bill;
	size_t i, j;

	sbuf_add(o, "<h2 id=\"line-items\">Line items</h2>\n<table><thead><tr><th>Resource / component"
		 "</th><th class=\"num\">Quantity per month</th><th>Unit</th><th class=\"num\">Unit price"
		 "</th><th class=\"num\">Monthly cost</th></tr></thead><tbody>\n");
	for (i = 0; i < b->n; i++) {
		const struct bill_resource *r = &b->res[i];

		sbuf_add(o, "<tr class=\"res\"><td>");
		xml_text(o, r->name);
		sbuf_add(o, " ");
		badge(o, r->service);
		sbuf_add(o, "</td><td></td><td></td><td></td>");
		td_money(o, r->monthly_cost);
		sbuf_add(o, "</tr>\n");
		for (j = 0; j < r->nitems; j++) {
			const struct line_item *li = &r->items[j];

			sbuf_printf(o, "<tr%s><td>&#160;&#160;", li->monthly_cost < 0 ? " class=\"credit\"" : "");
			xml_text(o, li->component);
			sbuf_add(o, "</td>");
			td_count(o, li->quantity);
			td_text(o, li->unit);
			sbuf_add(o, "<td class=\"num\">");
			fmt_price(o, li->unit_price);
			sbuf_add(o, "</td>");
			td_money(o, li->monthly_cost);
			sbuf_add(o, "</tr>\n");
		}
	}
	sbuf_add(o, "</tbody><tfoot><tr><td><strong>Total</strong></td><td></td><td></td><td></td>"
		 "<td class=\"num\"><strong>");
	money(o, b->total);
	sbuf_add(o, "</strong></td></tr></tfoot></table>\n<p class=\"note\">Tiered prices show the "
		 "effective unit price at the account's monthly total; free-tier credits are negative "
		 "line items.</p>\n");
}

static void assumptions(struct sbuf *o, const struct report_ctx *c)
{
	size_t na, i;
	struct assumption *as = assumptions_list(c->plan, &na);

	if (c->advice)
		report_advice_html(o, c->advice);
	sbuf_add(o, "<h2 id=\"assumptions\">Assumptions</h2>\n");
	if (!na) {
		sbuf_add(o, "<p class=\"note\">None apply to this plan.</p>\n");
	} else {
		sbuf_add(o, "<p class=\"note\">These figures depend on the following modelling "
			 "assumptions: <code>behaviour:</code> parameters of the model, which a plan "
			 "may override.</p>\n<table><thead><tr><th>Parameter</th><th>Value</th>"
			 "<th>What it assumes</th></tr></thead><tbody>\n");
		for (i = 0; i < na; i++) {
			sbuf_add(o, "<tr><td><code>");
			xml_text(o, as[i].key);
			sbuf_add(o, "</code></td>");
			td_text(o, as[i].value);
			td_text(o, as[i].what);
			sbuf_add(o, "</tr>\n");
		}
		sbuf_add(o, "</tbody></table>\n");
	}
	assumptions_free(as, na);
}

static void sources(struct sbuf *o, const struct report_ctx *c)
{
	const struct model *m = c->plan->model;
	char **s;

	sbuf_add(o, "<h2 id=\"sources\">Model and sources</h2>\n<p>Prices and limits from model "
		 "<code>");
	xml_text(o, m->name);
	sbuf_add(o, "</code>");
	if (m->region) {
		sbuf_add(o, " (region ");
		xml_text(o, m->region);
		sbuf_add(o, ")");
	}
	sbuf_add(o, ", figures as of <strong>");
	xml_text(o, m->as_of);
	sbuf_add(o, "</strong>, in ");
	xml_text(o, m->currency);
	sbuf_add(o, ". Sources cited by the model:</p>\n<ul>\n");
	for (s = m->sources; s && *s; s++) {
		const char *sp = strchr(*s, ' ');
		size_t n = sp ? (size_t)(sp - *s) : strlen(*s);

		sbuf_add(o, "<li>");
		if (!strncmp(*s, "https://", 8) || !strncmp(*s, "http://", 7)) {
			char *url = xstrndup(*s, n);

			sbuf_add(o, "<a href=\"");
			xml_text(o, url);
			sbuf_add(o, "\">");
			xml_text(o, url);
			sbuf_add(o, "</a>");
			free(url);
			if (sp)
				xml_text(o, sp);
		} else {
			xml_text(o, *s);
		}
		sbuf_add(o, "</li>\n");
	}
	sbuf_add(o, "</ul>\n");
}

void report_html(struct sbuf *o, const struct report_ctx *c)
{
	const struct bill *b = c->bill;
	size_t i;

	sbuf_add(o, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
		 "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, "
		 "initial-scale=1\"/>\n<meta name=\"generator\" content=\"costcap " COSTCAP_VERSION
		 "\"/>\n<title>costcap report: ");
	xml_text(o, c->plan->name);
	sbuf_add(o, "</title>\n<style>\n");
	sbuf_add(o, css);
	sbuf_add(o, "</style>\n</head>\n<body>\n");
	header(o, c);
	breakdown(o, c);
	checks_section(o, c);
	resources_table(o, c);
	sbuf_add(o, "<h2 id=\"window\">Over the window</h2>\n<p class=\"note\">What each resource was "
		 "offered, admitted and throttled, second by second, with its capacity; Lambda "
		 "concurrency and the DynamoDB burst pool.</p>\n");
	for (i = 0; i < b->n; i++)
		resource_charts(o, c, &b->res[i], i);
	line_items(o, c);
	assumptions(o, c);
	sources(o, c);
	sbuf_add(o, "<footer>Generated by costcap " COSTCAP_VERSION " from plan <code>");
	xml_text(o, c->plan_file ? c->plan_file : "(built-in example)");
	sbuf_add(o, "</code>. Money per 730-hour month, rounded to cents; JSON output "
		 "(<code>--format json</code>) has the unrounded figures.</footer>\n</body>\n</html>\n");
}
