/* report_csv: one line item per row, for spreadsheets and scripts. Money
 * and quantities are unrounded (per 730-hour month, DESIGN §8). */
#include "report.h"

void report_csv(struct sbuf *o, const struct report_ctx *c)
{
	const struct bill *b = c->bill;
	size_t i, j;

	sbuf_add(o, "plan,resource,service,component,quantity,unit,unit_price,monthly_cost\n");
	for (i = 0; i < b->n; i++) {
		const struct bill_resource *r = &b->res[i];

		for (j = 0; j < r->nitems; j++) {
			const struct line_item *li = &r->items[j];

			csv_field(o, c->plan->name);
			sbuf_addc(o, ',');
			csv_field(o, r->name);
			sbuf_printf(o, ",%s,", service_name(r->service));
			csv_field(o, li->component);
			sbuf_addc(o, ',');
			json_number(o, li->quantity);
			sbuf_addc(o, ',');
			csv_field(o, li->unit);
			sbuf_addc(o, ',');
			json_number(o, li->unit_price);
			sbuf_addc(o, ',');
			json_number(o, li->monthly_cost);
			sbuf_addc(o, '\n');
		}
	}
}
