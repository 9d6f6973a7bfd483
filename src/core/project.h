/* project: how long the design lasts (docs/advice.md): the traffic scale
 * at which each resource first throttles above the target and the limit
 * that binds there (headroom), a monthly growth fitted to a trace's daily
 * totals, a month-by-month projection of cost and throttling, and Monte
 * Carlo bands over Poisson arrivals and duration distributions. Every
 * figure comes from simulations run through core/whatif. */
#ifndef COSTCAP_CORE_PROJECT_H
#define COSTCAP_CORE_PROJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bill.h"
#include "err.h"
#include "usage.h"

struct trace;
struct whatif;

/* ---- headroom ------------------------------------------------------- */

struct headroom_row {
	char *resource;
	enum service service;
	double scale;		/* smallest scale found throttling above the target;
				 * INFINITY when none up to max_scale */
	double scale_ok;	/* largest scale found at or under the target (0 if none) */
	enum limit_kind limit;	/* the limit that binds at 'scale' */
	double ratio;		/* the resource's throttle ratio at 'scale' */
	double estimate;	/* the analytic first guess the search started from */
	int evaluations;	/* simulations the search ran */
};

struct headroom {
	struct headroom_row *rows;	/* APIs, functions, tables (plan order) */
	size_t n;
	long first;		/* row with the smallest scale, -1 when none throttles */
	double target;		/* throttle ratio target */
	double max_scale;
	double tolerance;	/* relative width the bisection stops at */
};

/* Searches the headroom of every resource of the plan 'w' evaluates: each
 * resource alone (its upstream unthrottled, its inputs scaled), starting
 * from an analytic estimate, bracketing by factors of 1.5 and bisecting
 * on a log scale until scale / scale_ok <= 1 + tolerance. Fills 'out'
 * (free with headroom_free). Returns 0, or -1 with a diagnostic. */
int project_headroom(struct whatif *w, double target, double max_scale, double tolerance,
		     struct headroom *out, struct err *e);
void headroom_free(struct headroom *h);

/* ---- growth --------------------------------------------------------- */

struct growth_fit {
	int days;		/* whole days used */
	double per_day;		/* fitted slope of ln(daily total) */
	double per_month;	/* growth per 730-hour month: exp(30.4167 per_day) - 1 */
	double per_month_se;	/* standard error of per_month (delta method) */
	double doubling_days;	/* ln 2 / per_day (INFINITY when not growing) */
};

/* Fits ln(daily total of all streams) = a + b x day + (a level per
 * weekday) by least squares over the trace's whole weeks, so that a weekly
 * cycle is not read as growth; days with no traffic are left out. Returns 0, or -1 when
 * the trace holds fewer than two whole weeks (14 usable days) or its
 * buckets are wider than a day. */
int project_fit_growth(const struct trace *tr, struct growth_fit *out);

/* ---- month-by-month projection --------------------------------------- */

struct projection_month {
	int month;		/* 1 = as planned */
	double scale;		/* (1 + growth)^(month - 1) */
	double monthly_cost;
	double throttle_ratio;	/* the worst resource's */
	char *worst;		/* that resource ("" when nothing throttles) */
	int simulated;		/* resources simulated for this month (others scale linearly) */
};

struct projection {
	double growth;		/* per month */
	struct projection_month *months;
	size_t n;
	int start_month;	/* first month above the target, 0 when none */
	int headroom_month;	/* month the headroom's first limit is reached, 0 if unknown */
};

/* Projects 'months' months at 'growth' per month. Resources far from
 * their limits (scale below 0.7 x their headroom, when 'h' is given) and
 * without auto scaling or provisioned concurrency near its level scale
 * linearly from the baseline; the others are simulated at each month's
 * scale. Fills 'out' (free with projection_free). */
int project_months(struct whatif *w, const struct headroom *h, double growth, int months,
		   double target, struct projection *out, struct err *e);
void projection_free(struct projection *p);

/* ---- Monte Carlo ----------------------------------------------------- */

#define MC_NQ 5
/* Quantiles reported: P1, P10, P50, P90, P99. */
extern const double mc_quantiles[MC_NQ];

struct mc_resource {
	char *resource;
	enum service service;
	double cost[MC_NQ];		/* monthly USD */
	double throttle[MC_NQ];		/* throttle ratio */
	bool simulated;			/* runs re-simulated it (near its limits) */
};

struct monte_carlo {
	int runs;
	int capped_from;		/* draws asked for when capped to sim_runs (else 0) */
	uint64_t seed;
	double cost[MC_NQ];		/* plan total */
	double throttle[MC_NQ];		/* the worst resource's ratio */
	double deterministic_cost, deterministic_throttle;
	struct mc_resource *res;	/* bill order */
	size_t n;
	double window_s;		/* seconds of arrivals behind each draw */
};

/* Runs 'runs' Monte Carlo draws from 'seed' (only 'sim_runs' when some
 * resource must be re-simulated in every draw; sim_runs 0: no cap): each
 * draw takes every
 * traffic source's count over the window from a Poisson law, and each
 * function's mean billed duration from the distribution of the mean of
 * that many calls (lognormal, through the central limit theorem). Usage
 * linear in traffic is scaled; resources near a limit (throttling in the
 * baseline or within 1.5 x of their headroom) are re-simulated with
 * Poisson arrivals second by second (one calibrated day in DAY mode). Fills 'out' (free with
 * monte_carlo_free). */
int project_monte_carlo(struct whatif *w, const struct headroom *h, int runs, int sim_runs,
			uint64_t seed, struct monte_carlo *out, struct err *e);
void monte_carlo_free(struct monte_carlo *m);

#endif
