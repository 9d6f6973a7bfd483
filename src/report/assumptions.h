/* assumptions: the modelling assumptions (model behaviour: parameters,
 * reference/behaviour.md §7) that a plan's results depend on, so reports
 * can name them next to the figures. */
#ifndef COSTCAP_REPORT_ASSUMPTIONS_H
#define COSTCAP_REPORT_ASSUMPTIONS_H

#include <stddef.h>

#include "../core/plan.h"

struct assumption {
	const char *key;	/* model path, e.g. "lambda.behaviour.keep_alive_s" */
	char *value;		/* as in effect for this plan */
	const char *what;	/* what it assumes (static) */
};

/* Returns a new array of the assumptions relevant to plan 'p' (by which
 * services and features it uses) and stores its length; free with
 * assumptions_free. */
struct assumption *assumptions_list(const struct plan *p, size_t *n);
void assumptions_free(struct assumption *a, size_t n);

#endif
