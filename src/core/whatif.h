/* whatif: evaluates variants of a plan quickly, for advice, headroom,
 * projections and Monte Carlo (docs/advice.md, "How it is fast").
 *
 * Three ideas keep the many evaluations affordable:
 *
 * - A representative window. A rate-only plan whose schedules are all
 *   daily (or always on) repeats itself every day, so its 730-hour month
 *   is 30 copies of one simulated day plus the first 36,000 s of a day:
 *   two short simulations (24 h and 10 h) give the month's usage ("exact"
 *   evaluations), and the day alone, projected, serves searches ("quick"
 *   evaluations). The rates are replayed as per-second streams that give
 *   exactly the arrivals the simulator's rate sources give. Plans with a
 *   trace simulate the trace's window (quick = exact); rate-only plans
 *   with a one-off schedule simulate the whole month.
 * - Isolation. Advice about one resource simulates only that resource,
 *   fed with the traffic it received in the baseline simulation: a
 *   function behind unthrottled API stages (its own routes and triggers),
 *   a table behind "driver" functions that replay, second by second, the
 *   invocations that called it in the baseline. Every other resource keeps
 *   its baseline usage, so the priced result is the whole plan's.
 * - Reuse. The baseline is simulated once; its usage, bill and per-second
 *   series are kept for the whole session.
 *
 * Every result is a struct usage for the variant's whole plan, in the
 * baseline's window (one 730-hour month for rate-only plans), ready for
 * bill_price(). */
#ifndef COSTCAP_CORE_WHATIF_H
#define COSTCAP_CORE_WHATIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "plan.h"
#include "usage.h"

struct trace;
struct bill;
struct stats_rng;

struct whatif_opts {
	bool cold;		/* simulations start from nothing (--cold) */
	uint64_t seed;		/* seed of the trace spreader (--seed) */
	bool poisson_spread;	/* spread trace buckets as Poisson arrivals */
	bool full;		/* never use the representative day: simulate whole windows */
};

/* How the baseline window is simulated. */
enum whatif_mode {
	WHATIF_DAY,		/* rate-only, periodic: 30 x 24 h + 10 h */
	WHATIF_TRACE,		/* the plan's trace window */
	WHATIF_MONTH		/* rate-only with one-off schedules (or opts.full): 730 h */
};

/* What a request simulates. */
enum whatif_scope {
	WHATIF_ALL,		/* the whole plan */
	WHATIF_APIS,		/* every API (no backends) */
	WHATIF_FUNCTION,	/* one function behind unthrottled APIs */
	WHATIF_TABLE		/* one table behind its baseline callers */
};

struct whatif_req {
	const struct plan *plan;	/* whatif_base() or a whatif_copy() of it */
	enum whatif_scope scope;
	size_t index;			/* the function or table, for those scopes */
	double scale;			/* traffic multiplier on top of the plan's (1: as planned) */
	bool quick;			/* WHATIF_DAY: the day alone, projected (searches) */
	bool calibrate;			/* quick: correct the day's projection, quantity by
					 * quantity, by exact / quick of the baseline in the
					 * same scope (removes the bias of daily schedules:
					 * the month is not a whole number of days) */
	struct stats_rng *rng;		/* non-NULL: Poisson-resampled arrivals (Monte Carlo) */
	size_t series_points;		/* keep series (0: none), as sim_opts */
};

struct whatif;

/* Prepares the evaluation of plan 'p' (with its trace 'tr', NULL for a
 * rate-only plan) and simulates the baseline. Borrows 'p' and 'tr' until
 * whatif_free. Returns a new object, or NULL with a diagnostic in 'e'. */
struct whatif *whatif_new(const struct plan *p, const struct trace *tr,
			  const struct whatif_opts *o, struct err *e);
void whatif_free(struct whatif *w);

/* The plan every variant must be copied from (with rates turned into
 * streams in WHATIF_DAY mode), owned by 'w'. Same resources, same order
 * as the plan given to whatif_new. */
const struct plan *whatif_base(const struct whatif *w);
enum whatif_mode whatif_mode(const struct whatif *w);
/* Seconds simulated for one exact evaluation (e.g. 122,400 for DAY). */
double whatif_sim_seconds(const struct whatif *w);
/* The baseline: usage (owned by 'w'; window as described above) and its
 * bill (owned by 'w'). */
const struct usage *whatif_baseline(const struct whatif *w);
const struct bill *whatif_baseline_bill(const struct whatif *w);
/* Per-second series of the baseline for function or table i (NULL when
 * not kept): the day in DAY mode, else the window (coarser buckets when
 * the window is long). */
const struct series *whatif_fn_series(const struct whatif *w, size_t i);
const struct series *whatif_table_series(const struct whatif *w, size_t i);
const struct series *whatif_api_series(const struct whatif *w, size_t i);
/* Expected events over the baseline's window (one month for rate-only
 * plans, the trace's window otherwise) of rate 'r', a member of
 * whatif_base(w) (a route's, an API's or a function's traffic). */
double whatif_events(const struct whatif *w, const struct rate *r);
/* Simulations run and seconds simulated so far (for the measured figures). */
void whatif_counters(const struct whatif *w, unsigned long *runs, double *sim_seconds);

/* Evaluates request 'r'. Resources outside the scope keep their baseline
 * usage scaled linearly by r->scale (only meaningful for what is linear in
 * traffic; callers read the scoped resource). Returns 0 and a new usage
 * (free with usage_free), or -1 with a diagnostic. */
int whatif_run(struct whatif *w, const struct whatif_req *r, struct usage **out, struct err *e);

/* A copy of plan 'p' whose arrays (APIs and their routes, functions,
 * tables and their GSIs) are new, so that scalar fields of any resource
 * can be changed; names, calls, streams and the model are shared with 'p'.
 * Free with whatif_copy_free, never with plan_free. */
struct plan *whatif_copy(const struct plan *p);
void whatif_copy_free(struct plan *q);

/* Returns a new usage equal to 'u' (series not copied). */
struct usage *whatif_usage_dup(const struct usage *u);
/* Multiplies the traffic-proportional quantities of 'u' in place: of API
 * i by api[i], of function i by fn[i] (and its billed duration also by
 * dur[i]), of table i by table[i]. Any array may be NULL (factor 1).
 * Provisioned capacity, storage, cache hours and provisioned concurrency
 * configured do not change. */
void whatif_usage_scale(struct usage *u, const double *api, const double *fn,
			const double *dur, const double *table);

/* Estimates the usage of a whole window from a simulation of its first
 * part. 'u' (a variant, simulated over the first part, sim_opts.window_s)
 * is projected to the window of 'ref_exact' by the ratio of the windows,
 * then calibrated quantity by quantity by a reference plan of the same
 * shape: times ref_exact / ref_quick, the reference simulated over the
 * whole window and over the same first part (projected alike). A variant
 * equal to the reference gets the reference's exact figures; the closer
 * the variant, the smaller the error. Quantities the reference's first
 * part lacks keep the plain projection. Returns 0, or -1 (u unchanged)
 * when the shapes or the first parts differ. */
int whatif_usage_estimate(struct usage *u, const struct usage *ref_exact, const struct usage *ref_quick);

#endif
