/* advise: what to change, and when the design breaks (docs/advice.md).
 * advise_run() simulates a plan once, then evaluates variants of it:
 * function memory (with a duration model), architecture, provisioned and
 * reserved concurrency; table capacity modes and the smallest capacity
 * under the throttle target; REST vs HTTP APIs and cache break-even; the
 * headroom of every resource; a 12-month projection; Monte Carlo bands.
 * The result is plain data (struct advice) for the CLI, the report
 * formatters and the TUI: formatters format, they do not compute.
 *
 * The duration model (a plan's duration is measured at its memory M0):
 *   vcpus(m)  = m / 1769                      for m <= 1,769 MB
 *             = 1 + 5 (m - 1769) / (10240 - 1769)   up to 6 at 10,240 MB
 *   D(m)      = D(M0) x ((1 - s) + s x v(M0) / v(m)),  v = min(vcpus, threads)
 * where s is the CPU-bound share of the duration (default 0.5) and threads
 * the vCPUs the code can use (default 6, i.e. all). The share that is not
 * CPU-bound (waiting on DynamoDB, the network) does not change. INIT
 * (cold start) durations follow the same factor. */
#ifndef COSTCAP_CORE_ADVISE_H
#define COSTCAP_CORE_ADVISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bill.h"
#include "err.h"
#include "plan.h"
#include "project.h"
#include "whatif.h"

struct trace;

/* Sections of the advice (bits of advise_opts.sections). */
enum {
	ADVISE_FUNCTIONS = 1,		/* memory, architecture, provisioned, reserved */
	ADVISE_TABLES = 2,		/* capacity modes, smallest capacity, hot keys */
	ADVISE_APIS = 4,		/* REST vs HTTP, cache break-even */
	ADVISE_HEADROOM = 8,		/* the first limit you hit */
	ADVISE_PROJECTION = 16,		/* month-by-month cost and throttling */
	ADVISE_MONTE_CARLO = 32,	/* P50/P90/P99 bands */
	ADVISE_ALL = 63
};

struct advise_opts {
	unsigned sections;		/* ADVISE_* bits (0: all) */
	double cpu_share;		/* CPU-bound share of every function's duration, 0..1 */
	const double *fn_cpu_share;	/* per plan function (NAN: cpu_share), or NULL */
	double cpu_threads;		/* vCPUs the CPU-bound part can use (1..6) */
	double max_throttle;		/* throttle ratio target; NAN: the plan's budget, else 0.001 */
	double cost_limit;		/* "best" memory may cost this share more than now */
	double growth;			/* per month; NAN: traffic.growth, else fitted to the trace */
	bool fit_growth;		/* fit to the trace even when the plan gives a growth */
	int months;			/* projection length */
	int runs;			/* Monte Carlo draws (0: none) */
	int mc_sim_runs;		/* draws when resources must be re-simulated (0: runs) */
	uint64_t seed;			/* Monte Carlo seed */
	double max_scale;		/* headroom searched up to this traffic scale */
	double tolerance;		/* headroom precision (relative) */
	struct whatif_opts sim;		/* cold start, trace spreading, whole windows */
};

/* Defaults: all sections, share 0.5, 6 threads, target from the plan,
 * cost limit 10 %, 12 months, 200 draws (20 when re-simulating), seed 1,
 * max scale 1000, 3 %. */
void advise_opts_default(struct advise_opts *o);

enum advice_kind {
	ADVICE_MEMORY,		/* function memory */
	ADVICE_ARCH,		/* arm64 vs x86_64 */
	ADVICE_PROVISIONED,	/* provisioned concurrency vs its break-even utilisation */
	ADVICE_RESERVED,	/* reserved concurrency that keeps throttling under the target */
	ADVICE_TABLE_MODE,	/* on-demand vs provisioned vs auto scaling */
	ADVICE_TABLE_CAPACITY,	/* smallest provisioned capacity under the target */
	ADVICE_HOT_KEY,		/* a partition cap binds */
	ADVICE_API_TYPE,	/* REST vs HTTP */
	ADVICE_CACHE,		/* REST cache break-even */
	ADVICE_HEADROOM,	/* the first limit you hit */
	ADVICE_GROWTH,		/* when throttling starts */
	ADVICE_KIND_COUNT
};

/* "memory", "arch", ... (static strings, stable: used as JSON values). */
const char *advice_kind_name(enum advice_kind k);

struct advice_item {
	enum advice_kind kind;
	char *resource;		/* the resource's name ("" for plan-wide items) */
	enum service service;	/* meaningless for plan-wide items */
	bool actionable;	/* a change is recommended */
	char *message;		/* one sentence */
	char *detail;		/* further sentences ("" when none) */
	char *set;		/* --set assignments applying the change (space separated), or NULL */
	double current_cost;	/* monthly USD of the resource as planned */
	double proposed_cost;	/* monthly USD of the resource changed (NAN: no change proposed) */
	double saving;		/* plan total as planned minus with the change (USD/month; NAN: none) */
	double current_throttle;	/* throttle ratio of the resource as planned */
	double proposed_throttle;	/* with the change (NAN: none) */
};

struct memory_point {
	double memory_mb;
	double duration_ms;	/* modelled median duration */
	double monthly_cost;	/* the function's */
	double throttle_ratio;
	bool simulated;		/* simulated (near a limit) rather than re-priced */
};

struct memory_sweep {
	char *function;
	double cpu_share;
	double current_mb;
	double current_cost;
	double cost_limit_usd;	/* "best" costs at most this */
	struct memory_point *points;	/* ascending memory */
	size_t n;
	long current, cheapest, fastest, best;	/* indexes into points (-1: none) */
};

enum table_option {
	TABLE_AS_PLANNED,
	TABLE_ON_DEMAND,
	TABLE_PROVISIONED,	/* fixed at the planned capacity */
	TABLE_AUTOSCALING,	/* target tracking */
	TABLE_SMALLEST		/* smallest fixed capacity under the target */
};

struct table_option_row {
	enum table_option option;
	char *label;		/* e.g. "provisioned 100 RCU / 25 WCU" */
	double rcu, wcu;	/* provisioned units (NAN on demand) */
	double monthly_cost;	/* the table's */
	double throttle_ratio;
	enum limit_kind limit;	/* binding limit when it throttles */
};

struct table_modes {
	char *table;
	struct table_option_row rows[5];
	size_t n;
	double smallest_rcu, smallest_wcu;	/* NAN when no capacity meets the target */
	enum limit_kind smallest_limit;		/* why, when unreachable */
};

struct api_compare {
	char *api;
	enum api_type type;
	double cost_now;		/* the API's monthly cost as planned */
	double cost_rest, cost_http;	/* the API's cost as REST (no cache) / as HTTP */
	double total_rest, total_http;	/* plan totals with that change (NAN: not evaluated) */
	double hit_ratio;		/* as planned (NAN: no cache) */
	double backend_per_hit;		/* USD/month the backends save per unit of hit ratio */
	size_t ncache;
	double cache_gb[MODEL_MAX_CACHE];
	double cache_monthly[MODEL_MAX_CACHE];
	double break_even[MODEL_MAX_CACHE];	/* hit ratio above which a cache of that size pays */
};

enum { ADVISE_SECTIONS = 6 };

struct advice {
	double target;			/* throttle ratio target used */
	double baseline_total;		/* monthly USD as planned */
	struct advice_item *items;
	size_t n, cap;
	struct memory_sweep *sweeps;	/* one per function with traffic */
	size_t nsweeps;
	struct table_modes *tables;
	size_t ntables;
	struct api_compare *apis;
	size_t napis;
	bool has_headroom;
	struct headroom headroom;
	bool has_fit;
	struct growth_fit fit;
	const char *growth_source;	/* "option", "plan", "fitted" or "none" */
	bool has_projection;
	struct projection projection;
	bool has_mc;
	struct monte_carlo mc;
	/* Measured figures. */
	enum whatif_mode mode;
	double window_s;		/* seconds simulated per exact evaluation */
	double elapsed_s;		/* wall time of advise_run */
	double section_s[ADVISE_SECTIONS];	/* per section, bit order (functions first) */
	double baseline_s;		/* the baseline simulation */
	unsigned long simulations;	/* simulations run */
	double simulated_s;		/* seconds simulated in all */
};

/* Simulates plan 'p' (with its loaded trace 'tr', or NULL) and works out
 * the advice the sections of 'o' ask for (NULL: defaults). Borrows 'p' and
 * 'tr' for the call. Returns 0 and a new struct advice (free with
 * advice_free), or -1 with diagnostics in 'e'. */
int advise_run(const struct plan *p, const struct trace *tr, const struct advise_opts *o,
	       struct advice **out, struct err *e);
void advice_free(struct advice *a);

/* The duration model (see the top of this file). */
double advise_vcpus(double memory_mb);
double advise_duration_factor(double cpu_share, double threads, double from_mb, double to_mb);

#endif
