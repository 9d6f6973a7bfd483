/* diff: the change in monthly cost and throttling between two priced
 * plans (base and head), per resource and per line item, like a cost diff
 * on a pull request; and the thresholds CI sets on it. The diff pairs the
 * two bills' figures (matched by service and name) and takes their
 * differences; every figure comes from the two bills. */
#ifndef COSTCAP_REPORT_DIFF_H
#define COSTCAP_REPORT_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/bill.h"
#include "../core/plan.h"
#include "../core/util.h"
#include "check.h"

enum diff_change { DIFF_UNCHANGED, DIFF_CHANGED, DIFF_ADDED, DIFF_REMOVED };

struct diff_item {
	const char *component;		/* borrowed from a bill */
	const char *unit;
	const struct line_item *base, *head;	/* NULL when absent on that side */
	double base_cost, head_cost;	/* 0 when absent */
	enum diff_change change;
};

struct diff_resource {
	const char *name;		/* borrowed from a bill */
	enum service service;
	const struct bill_resource *base, *head;	/* NULL when absent */
	double base_cost, head_cost;
	enum diff_change change;
	struct diff_item *items;
	size_t nitems;
};

/* One side of the diff, for the outputs. */
struct diff_side {
	const struct plan *plan;
	const struct bill *bill;
	const char *label;		/* what the user named: a plan file, or "plan + trace" */
	const char *file;		/* the plan file, or NULL (built-in example, stdin) */
};

struct diff {
	struct diff_side base, head;
	struct diff_resource *res;	/* head's order, then resources only in base */
	size_t n;
	size_t nchanged;		/* resources not DIFF_UNCHANGED */
};

/* Pairs two bills. Borrows both sides for the diff's lifetime. A
 * resource or line item is changed when its cost differs in cents, or a
 * quantity, request or throttle count differs. */
struct diff *diff_new(const struct diff_side *base, const struct diff_side *head);
void diff_free(struct diff *d);

/* Percentage change from base to head, or NAN when base is 0. */
double diff_pct(double base, double head);

struct diff_limits {
	double fail_above_usd;		/* NAN: none */
	double fail_above_pct;		/* percent (10 = 10%); NAN: none */
	bool all;			/* fail only when every threshold is exceeded */
	double max_throttle_ratio;	/* head, per resource; NAN: none */
	double warn_at;			/* as in struct check_limits */
};

/* Evaluates the thresholds on the total monthly cost: an increase fails
 * only when strictly greater than a threshold (money compared in cents,
 * percentages to 1e-9 of a point); decreases never fail; a percentage over
 * a zero base is undefined, passes and says so (and warns). With 'all',
 * the thresholds make one check "increase" that fails only when all are
 * exceeded (Infracost's guardrail semantics). Returns the count; free
 * with checks_free. */
size_t diff_checks(const struct diff *d, const struct diff_limits *lim, struct check **out);

/* Outputs. 'show_all' lists unchanged resources too (text and md). */
void diff_text(struct sbuf *out, const struct diff *d, const struct check *c, size_t nc,
	       bool show_all, bool color);
void diff_md(struct sbuf *out, const struct diff *d, const struct check *c, size_t nc,
	     bool show_all);
/* JSON with base and head figures, per-resource and per-item changes, the
 * checks, and Infracost's totalMonthlyCost, pastTotalMonthlyCost and
 * diffTotalMonthlyCost (decimal strings) and projects[] keys. */
void diff_json(struct sbuf *out, const struct diff *d, const struct check *c, size_t nc);

#endif
