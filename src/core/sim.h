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

struct trace;

struct sim_opts {
	bool cold;		/* start from nothing instead of warm */
	uint64_t seed;		/* random stream seed (Poisson spreading, sampling) */
	bool poisson_spread;	/* spread trace buckets as Poisson arrivals (--seed given) */
	const struct trace *trace;	/* the plan's trace, loaded by the caller; NULL if none */
	size_t series_points;	/* keep series with at most this many points (0: none) */
	const char *series_only;	/* keep series only for this resource (NULL: all) */
	/* Called from the main loop with the share of the window simulated
	 * (0..1), at most once per 2^18 simulated seconds; NULL: none. */
	void (*progress)(double done, void *arg);
	void *progress_arg;
	/* > 0: simulate only the first window_s seconds of the window (a
	 * quick look, as the TUI's estimates; usage covers that span). */
	double window_s;
	/* 1: one thread; otherwise, when the window is long and a second
	 * processor is online, API Gateway, Lambda and DynamoDB with the
	 * accounting each run on a thread of their own, a few blocks of
	 * seconds apart (same results either way). */
	int threads;
};

/* Seconds simulated a block at a time; blocks start at multiples of it.
 * A trace read while it is replayed (trace_feed) is asked for its rows a
 * block at a time. */
#define SIM_BLOCK 512

/* Longest window simulated (400 days): one tick per second, so a longer
 * trace would run for hours; sim_run reports it as an input error. */
#define SIM_MAX_WINDOW_S (400 * 86400.0)

/* Runs the simulation over the trace's window, or one 730-hour month for a
 * rate-only plan. Borrows 'plan' and opts->trace for the call. Trace
 * streams named by the plan must exist in the trace (else an error). Returns 0 and a new
 * usage (free with usage_free), or -1 with a diagnostic. */
int sim_run(const struct plan *plan, const struct sim_opts *opts,
	    struct usage **out, struct err *e);

#endif
