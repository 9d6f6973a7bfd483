/* report: formatters that turn a priced plan into text for people and
 * programs. They only append to a buffer; the CLI decides where it goes
 * (standard output or an atomically written file). */
#ifndef COSTCAP_REPORT_REPORT_H
#define COSTCAP_REPORT_REPORT_H

#include <stddef.h>

#include "../core/bill.h"
#include "../core/plan.h"
#include "../core/util.h"
#include "check.h"

struct report_ctx {
	const struct plan *plan;
	const struct bill *bill;
	const struct check *checks;
	size_t nchecks;
	double step_s;		/* trace bucket width (1 for rate-only plans) */
};

/* Aligned text tables, money rounded to cents. */
void report_text(struct sbuf *out, const struct report_ctx *c);
/* One JSON object with the keys of DESIGN §8 (money unrounded). */
void report_json(struct sbuf *out, const struct report_ctx *c);

/* JSON helpers shared by the formatters. */
void json_string(struct sbuf *out, const char *s);
/* Shortest representation that reads back to the same double. */
void json_number(struct sbuf *out, double v);

/* "1,234.56" style money with a leading '$' (negative as -$1.00). */
void fmt_money(struct sbuf *out, double usd);
/* Integer with thousands separators. */
void fmt_count(struct sbuf *out, double v);

#endif
