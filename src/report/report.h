/* report: formatters that turn a priced plan into text for people and
 * programs: text, md, html (with inline SVG charts), json and csv. They
 * only append to a buffer; the CLI decides where it goes (standard output
 * or an atomically written file). Every number they print comes from core
 * (struct bill, struct usage): formatters format, they do not compute. */
#ifndef COSTCAP_REPORT_REPORT_H
#define COSTCAP_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/bill.h"
#include "../core/plan.h"
#include "../core/usage.h"
#include "../core/util.h"
#include "check.h"

struct advice;

struct report_ctx {
	const struct plan *plan;
	const char *plan_file;		/* the plan as named on the command line;
					 * NULL for the built-in example */
	const struct bill *bill;
	const struct usage *usage;	/* the simulation the bill prices; series used
					 * by html when present; may be NULL */
	const struct check *checks;
	size_t nchecks;
	double step_s;			/* trace bucket width (1 for rate-only plans) */
	double start_epoch;		/* UTC start of the trace window; NAN if unknown */
	bool color;			/* text: colour PASS/FAIL (a terminal, NO_COLOR unset) */
	const struct advice *advice;	/* report --advice; NULL when not asked for */
};

/* The advice section (report --advice) in each format (advice_fmt.c). */
void report_advice_text(struct sbuf *o, const struct advice *a);
void report_advice_md(struct sbuf *o, const struct advice *a);
void report_advice_json(struct sbuf *o, const struct advice *a);	/* "advice": {...} */
void report_advice_html(struct sbuf *o, const struct advice *a);
/* The TUI's advice panel: lines ('#' starts a heading) with the totals,
 * the first limit and the month throttling starts, every item
 * (recommended, then checked) with its --set assignments, the headroom of
 * each resource and the month-by-month projection. */
void report_advice_panel(struct sbuf *o, const struct advice *a);
/* A throttle ratio as `costcap advise` prints it (0%, 0.0001%, 1.23%), and
 * money ($1,234.56; n/a when not finite). */
void report_advice_ratio(struct sbuf *o, double r);
void report_advice_money(struct sbuf *o, double v);
/* The rows of the headroom table, as `costcap advise` prints them. */
struct headroom;
void report_headroom_rows(struct sbuf *o, const struct headroom *h);

/* Aligned text tables, money rounded to cents. */
void report_text(struct sbuf *out, const struct report_ctx *c);
/* Markdown for design documents and pull-request comments. */
void report_md(struct sbuf *out, const struct report_ctx *c);
/* One self-contained XHTML-compatible page (no network): inline SVG
 * charts of the cost breakdown and, when c->usage holds series, of each
 * resource over the window; the line items; the model's sources and date;
 * the assumptions. */
void report_html(struct sbuf *out, const struct report_ctx *c);
/* One JSON object with the keys of DESIGN §8 (money unrounded), plus
 * Infracost's "totalMonthlyCost" and further detail. */
void report_json(struct sbuf *out, const struct report_ctx *c);
/* Markdown for a pull-request comment on `check`: verdict, total, checks. */
void report_check_md(struct sbuf *out, const struct report_ctx *c);
/* CSV, one line item per row, numbers unrounded. */
void report_csv(struct sbuf *out, const struct report_ctx *c);

/* Helpers kept here for other front ends (the TUI); the report modules
 * use the fuller set in report/fmt.h. "$1,234.56" style money (rounded
 * to cents, negative as -$1.00); integers with thousands separators;
 * JSON string literals and shortest round-trip numbers. */
void fmt_money(struct sbuf *out, double usd);
void fmt_count(struct sbuf *out, double v);
void json_string(struct sbuf *out, const char *s);
void json_number(struct sbuf *out, double v);

/* The usage record behind bill resource 'r' of plan 'p' (by service and
 * name), or NULL. */
const struct fn_usage *report_fn_usage(const struct report_ctx *c, const struct bill_resource *r);
const struct api_usage *report_api_usage(const struct report_ctx *c, const struct bill_resource *r);
const struct table_usage *report_table_usage(const struct report_ctx *c,
					     const struct bill_resource *r);
/* The series kept for resource 'r', or NULL when none were kept. */
const struct series *report_series(const struct report_ctx *c, const struct bill_resource *r);

/* The window in words: "one 730-hour month of rate traffic" or "window of
 * 604,800 s (7 days) projected to a 730-hour month". */
void report_window_words(struct sbuf *out, const struct report_ctx *c);
const char *report_free_tier_name(enum free_tier f);

#endif
