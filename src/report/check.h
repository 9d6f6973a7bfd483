/* check: budget and throttling checks evaluated on a bill (the plan's
 * budget: section, overridden or extended by command-line limits), and
 * the outputs CI systems read: text (one PASS/FAIL line per check), JUnit
 * XML, GitHub Actions workflow commands and a Markdown table. `diff` makes
 * its own checks (report/diff.h) and prints them with the same outputs. */
#ifndef COSTCAP_REPORT_CHECK_H
#define COSTCAP_REPORT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/bill.h"
#include "../core/err.h"
#include "../core/plan.h"
#include "../core/util.h"

/* What a check's limit and value measure. */
enum check_unit {
	CHECK_USD,	/* monthly cost or cost increase, USD */
	CHECK_RATIO,	/* throttled / offered, 0..1 */
	CHECK_PERCENT	/* percentage increase, 10 = 10% */
};

struct check {
	char *name;		/* "budget", "budget:dynamodb", "budget:items",
				 * "throttle:items", "increase", "increase_pct" */
	enum check_unit unit;
	double limit;
	double value;		/* NAN when undefined (a percentage over a zero base) */
	bool pass;
	bool warn;		/* passes, but close to the limit (warn_at) or undefined */
	char *detail;		/* one line for people: the figures and the verdict */
	const char *source;	/* "plan" (budget: section) or "flag" (static) */
	int line, col;		/* position in the plan file, 0 when unknown */
};

struct check_limits {
	double monthly_usd;		/* NAN: take the plan's */
	double max_throttle_ratio;	/* NAN: take the plan's */
	const char *const *service_budgets;	/* "dynamodb=400" */
	size_t nservice;
	const char *const *resource_budgets;	/* "items=300" */
	size_t nresource;
	double warn_at;			/* warn when value >= warn_at x limit; 0: never */
};

/* Default of --warn-at: a passing check at 90% of its limit or more warns. */
#define CHECK_WARN_AT 0.9

/* Evaluates the checks. 'lim' may be NULL (plan budget only, warn at the
 * default). A flag for a service or resource replaces the plan's limit for
 * it. Money is compared in cents (as printed), ratios exactly: a value
 * equal to its limit passes. Stores a new array in *out; free with
 * checks_free. Returns the count, or -1 with a diagnostic for a malformed
 * limit or an unknown name. */
long checks_eval(const struct plan *p, const struct bill *b, const struct check_limits *lim,
		 struct check **out, struct err *e);
void checks_free(struct check *c, size_t n);

/* Appends one check (name and detail taken over) to a growing array;
 * shared with diff. Sets pass from value <= limit unless the caller
 * decides otherwise afterwards. */
struct check *check_add(struct check **v, size_t *n, size_t *cap, char *name,
			enum check_unit unit, double limit, double value, char *detail);
/* Sets c->warn from warn_at (passing checks only, limit > 0). */
void check_set_warn(struct check *c, double warn_at);
/* Number of failed checks. */
size_t checks_failed(const struct check *c, size_t n);

/* What was checked, for the outputs. */
struct check_run {
	const char *command;	/* "check" or "diff" */
	const char *subject;	/* plan name, or "base -> head" */
	const char *file;	/* plan file for annotations (NULL: none) */
	const struct check *checks;
	size_t n;
};

/* Text: one "PASS  name  detail" or "FAIL ..." line per check and a
 * closing "N passed, N failed" line; 'color' paints PASS/FAIL/WARN. */
void checks_text(struct sbuf *out, const struct check_run *r, bool color);
/* JUnit XML: one testsuite, one testcase per check; failures carry a
 * <failure> element with the limit, the value and the excess. */
void checks_junit(struct sbuf *out, const struct check_run *r);
/* GitHub Actions workflow commands: ::error:: for each failed check,
 * ::warning:: for each warning, ::notice:: for the summary. */
void checks_github(struct sbuf *out, const struct check_run *r);
/* A Markdown table of the checks (a section of a PR comment). */
void checks_md(struct sbuf *out, const struct check_run *r);
/* A JSON array of the checks, each line indented by 'indent' spaces. */
void checks_json(struct sbuf *out, const struct check *c, size_t n, int indent);

/* Formats a limit or value in its unit: "$1,500.00", "0.1%", "12.5%". */
void check_fmt_value(struct sbuf *out, enum check_unit u, double v);

#endif
