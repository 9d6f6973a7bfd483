#include "report.h"

#include "assumptions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void json_string(struct sbuf *out, const char *s)
{
	sbuf_addc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			sbuf_addc(out, '\\');
			sbuf_addc(out, (char)c);
		} else if (c == '\n') {
			sbuf_add(out, "\\n");
		} else if (c == '\t') {
			sbuf_add(out, "\\t");
		} else if (c < 0x20) {
			sbuf_printf(out, "\\u%04x", c);
		} else {
			sbuf_addc(out, (char)c);
		}
	}
	sbuf_addc(out, '"');
}

void json_number(struct sbuf *out, double v)
{
	char buf[40];
	int prec;

	if (!isfinite(v)) {
		sbuf_add(out, "null");
		return;
	}
	if (v == 0) {
		sbuf_add(out, "0");
		return;
	}
	if (fabs(v) < 1e15 && v == floor(v)) {
		sbuf_printf(out, "%.0f", v);
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	sbuf_add(out, buf);
}

static void key(struct sbuf *o, const char *k)
{
	json_string(o, k);
	sbuf_add(o, ": ");
}

void report_json(struct sbuf *o, const struct report_ctx *c)
{
	const struct plan *p = c->plan;
	const struct bill *b = c->bill;
	size_t i, j;
	int s;

	sbuf_add(o, "{\n  ");
	key(o, "costcap_version");
	json_string(o, COSTCAP_VERSION);
	sbuf_add(o, ",\n  ");
	key(o, "plan");
	json_string(o, p->name);
	sbuf_add(o, ",\n  ");
	key(o, "model");
	sbuf_add(o, "{");
	key(o, "name");
	json_string(o, p->model->name);
	sbuf_add(o, ", ");
	key(o, "as_of");
	json_string(o, p->model->as_of);
	sbuf_add(o, ", ");
	key(o, "currency");
	json_string(o, p->model->currency);
	sbuf_add(o, "},\n  ");
	key(o, "window");
	sbuf_add(o, "{");
	key(o, "seconds");
	json_number(o, b->window_s);
	sbuf_add(o, ", ");
	key(o, "step_s");
	json_number(o, c->step_s);
	sbuf_add(o, "},\n  ");
	key(o, "total_monthly_cost");
	json_number(o, b->total);
	sbuf_add(o, ",\n  ");
	key(o, "services");
	sbuf_add(o, "{");
	for (s = 0; s < SVC_COUNT; s++) {
		if (s)
			sbuf_add(o, ", ");
		key(o, service_name((enum service)s));
		json_number(o, b->service[s]);
	}
	sbuf_add(o, "},\n  ");
	key(o, "resources");
	sbuf_add(o, "[");
	for (i = 0; i < b->n; i++) {
		const struct bill_resource *r = &b->res[i];

		sbuf_add(o, i ? ",\n    {" : "\n    {");
		key(o, "name");
		json_string(o, r->name);
		sbuf_add(o, ", ");
		key(o, "service");
		json_string(o, service_name(r->service));
		sbuf_add(o, ", ");
		key(o, "monthly_cost");
		json_number(o, r->monthly_cost);
		sbuf_add(o, ",\n     ");
		key(o, "requests");
		json_number(o, (double)r->requests);
		sbuf_add(o, ", ");
		key(o, "throttled");
		json_number(o, (double)r->throttled);
		sbuf_add(o, ", ");
		key(o, "throttle_ratio");
		json_number(o, r->throttle_ratio);
		sbuf_add(o, ",\n     ");
		key(o, "line_items");
		sbuf_add(o, "[");
		for (j = 0; j < r->nitems; j++) {
			const struct line_item *li = &r->items[j];

			sbuf_add(o, j ? ",\n       {" : "\n       {");
			key(o, "component");
			json_string(o, li->component);
			sbuf_add(o, ", ");
			key(o, "quantity");
			json_number(o, li->quantity);
			sbuf_add(o, ", ");
			key(o, "unit");
			json_string(o, li->unit);
			sbuf_add(o, ", ");
			key(o, "unit_price");
			json_number(o, li->unit_price);
			sbuf_add(o, ", ");
			key(o, "monthly_cost");
			json_number(o, li->monthly_cost);
			sbuf_add(o, "}");
		}
		sbuf_add(o, r->nitems ? "]}" : "]}");
	}
	sbuf_add(o, b->n ? "\n  ],\n  " : "],\n  ");
	key(o, "checks");
	sbuf_add(o, "[");
	for (i = 0; i < c->nchecks; i++) {
		const struct check *k = &c->checks[i];

		sbuf_add(o, i ? ",\n    {" : "\n    {");
		key(o, "name");
		json_string(o, k->name);
		sbuf_add(o, ", ");
		key(o, "limit");
		json_number(o, k->limit);
		sbuf_add(o, ", ");
		key(o, "value");
		json_number(o, k->value);
		sbuf_add(o, ", ");
		key(o, "pass");
		sbuf_add(o, k->pass ? "true" : "false");
		sbuf_add(o, ", ");
		key(o, "detail");
		json_string(o, k->detail);
		sbuf_add(o, "}");
	}
	sbuf_add(o, c->nchecks ? "\n  ],\n  " : "],\n  ");
	{
		size_t na;
		struct assumption *as = assumptions_list(p, &na);

		key(o, "assumptions");
		sbuf_add(o, "[");
		for (i = 0; i < na; i++) {
			sbuf_add(o, i ? ",\n    {" : "\n    {");
			key(o, "key");
			json_string(o, as[i].key);
			sbuf_add(o, ", ");
			key(o, "value");
			json_string(o, as[i].value);
			sbuf_add(o, ", ");
			key(o, "what");
			json_string(o, as[i].what);
			sbuf_add(o, "}");
		}
		sbuf_add(o, na ? "\n  ]\n}\n" : "]\n}\n");
		assumptions_free(as, na);
	}
}
