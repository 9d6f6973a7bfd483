/* check: budget and throttling checks evaluated on a bill: the plan's
 * budget: section, overridden or extended by command-line limits. */
#ifndef COSTCAP_REPORT_CHECK_H
#define COSTCAP_REPORT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/bill.h"
#include "../core/err.h"
#include "../core/plan.h"

struct check {
	char *name;		/* "budget", "budget:dynamodb", "budget:items", "throttle" */
	double limit;
	double value;
	bool pass;
	char *detail;		/* human-readable explanation */
};

struct check_limits {
	double monthly_usd;		/* NAN: take the plan's */
	double max_throttle_ratio;	/* NAN: take the plan's */
	const char *const *service_budgets;	/* "dynamodb=400" */
	size_t nservice;
	const char *const *resource_budgets;	/* "items=300" */
	size_t nresource;
};

/* Evaluates the checks. 'lim' may be NULL (plan budget only). Stores a
 * new array in *out; free with checks_free. Returns the count, or -1 with
 * a diagnostic for a malformed limit or an unknown name. */
long checks_eval(const struct plan *p, const struct bill *b, const struct check_limits *lim,
		 struct check **out, struct err *e);
void checks_free(struct check *c, size_t n);

#endif
