/* sim: replays the plan's traffic second by second through API Gateway,
 * Lambda and DynamoDB (DESIGN §6) and returns what each resource
 * consumed. A rate-only plan is replayed over one 730-hour month. */
#ifndef COSTCAP_CORE_SIM_H
#define COSTCAP_CORE_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "plan.h"
#include "usage.h"

struct sim_opts {
	bool cold;		/* start from nothing instead of warm */
	uint64_t seed;		/* random stream seed (Poisson spreading, sampling) */
};

/* Runs the simulation. Borrows 'plan' for the call. Returns 0 and a new
 * usage (free with usage_free), or -1 with a diagnostic. */
int sim_run(const struct plan *plan, const struct sim_opts *opts,
	    struct usage **out, struct err *e);

#endif
