/* report_csv: one line item per row, for spreadsheets and scripts. Money
 * and quantities per 730-hour month (DESIGN §8), to 15 significant digits
 * (all a double holds; the float noise beyond is dropped), never with an
 * exponent. */
#include "report.h"

#include "fmt.h"

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
			fmt_sig(o, li->quantity, 15);
			sbuf_addc(o, ',');
			csv_field(o, li->unit);
			sbuf_addc(o, ',');
			fmt_sig(o, li->unit_price, 15);
			sbuf_addc(o, ',');
			fmt_sig(o, li->monthly_cost, 15);
			sbuf_addc(o, '\n');
		}
	}
}
