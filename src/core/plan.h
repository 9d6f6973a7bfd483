/* plan: the user's architecture and workload (DESIGN §4) after loading and
 * validation: every name reference is resolved to an index and every value
 * is within the model's limits. Built by io/plan_load; read by the flow,
 * the simulator and the bill. Positions (line/col) are kept for messages
 * raised after loading (e.g. by checks). */
#ifndef COSTCAP_CORE_PLAN_H
#define COSTCAP_CORE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* A month is 730 hours (DESIGN §2). */
#define MONTH_S 2628000.0

enum sched_kind {
	SCHED_ALWAYS,	/* active all the time */
	SCHED_DAILY,	/* active [start_s, end_s) of every UTC day (wraps midnight if end < start) */
	SCHED_ONCE	/* active [start_s, end_s) measured from the window start */
};

struct schedule {
	enum sched_kind kind;
	double start_s, end_s;
	bool per_month;		/* hours_per_month: H hours per 730-hour month, at the
				 * start of the window (a window of W seconds is active
				 * for end_s x W / 2,628,000) */
};

/* Traffic into a route or function: either a rate ('count' events per
 * 'period_s' seconds, optionally only while 'sched' is active) or the
 * name of a trace stream. */
struct rate {
	bool set;		/* false: no traffic given */
	double count;		/* events per period (before traffic.scale) */
	double period_s;
	struct schedule sched;
	char *stream;		/* trace stream name, or NULL for a rate */
	int line, col;
};

enum api_type { API_REST, API_HTTP, API_WEBSOCKET };

struct route {
	char *route;		/* "GET /items" or a WebSocket route key */
	int function;		/* index into plan.functions, or -1 (no backend) */
	struct rate traffic;
	bool cacheable;		/* GET routes of a cached REST API */
	int line, col;
};

struct api {
	char *name;
	enum api_type type;
	bool has_throttle;
	double throttle_rate, throttle_burst;	/* stage default limits */
	bool has_cache;
	double cache_size_gb, cache_hit_ratio;
	double request_kb, response_kb;		/* sizes; 0 when not given */
	bool transfer_out;			/* bill data transfer out (response_kb) */
	struct rate messages_out;		/* WebSocket: server-to-client messages */
	struct rate connection_minutes;		/* WebSocket: connection minutes */
	struct route *routes;
	size_t nroutes;
	int line, col;
};

enum ddb_op {
	OP_GET, OP_BATCH_GET, OP_QUERY, OP_SCAN, OP_PUT, OP_UPDATE, OP_DELETE,
	OP_BATCH_WRITE, OP_TRANSACT_GET, OP_TRANSACT_WRITE, OP_COUNT
};
enum consistency { CONSISTENCY_EVENTUAL, CONSISTENCY_STRONG };

struct call {
	int table;		/* index into plan.tables */
	int index;		/* GSI index within the table for reads, or -1 */
	enum ddb_op op;
	double items;		/* items read or written by one call */
	double item_kb;		/* size of each item, KB (1 KB = 1,024 bytes) */
	enum consistency consistency;
	/* Derived at load time (core/dynamo_units): capacity per call. */
	uint64_t read_half_units;	/* half read units (eventual = 1 per 4 KB) */
	uint64_t write_units;
	int line, col;
};

enum invocation { INVOKE_SYNC, INVOKE_ASYNC };

struct function {
	char *name;
	double memory_mb;
	enum arch arch;
	bool lognormal;			/* false: every call takes duration_p50_ms */
	double duration_p50_ms, duration_p95_ms;
	double init_ms;			/* cold start (INIT) duration */
	double ephemeral_mb;
	double timeout_s;
	double reserved;		/* reserved concurrency, -1 when none */
	double provisioned;		/* provisioned concurrency, 0 when none */
	struct schedule pc_sched;	/* when provisioned concurrency is enabled */
	enum invocation invocation;
	struct rate traffic;		/* direct triggers besides routes */
	struct call *calls;
	size_t ncalls;
	int line, col;
};

struct autoscaling {
	bool on;
	double min, max, target;	/* units; target utilisation as a fraction */
};

enum table_mode { MODE_PROVISIONED, MODE_ON_DEMAND };

struct gsi {
	char *name;
	double rcu, wcu;		/* provisioned mode */
	double item_kb;			/* projected item size (index write size) */
	double write_share;		/* share of base writes that write this index */
	struct autoscaling autoscaling;
	int line, col;
};

struct table {
	char *name;
	enum table_mode mode;
	double rcu, wcu;
	struct autoscaling autoscaling;
	double storage_gb;
	enum table_class class;
	double hot_key_share;		/* share of traffic on the hottest partition key */
	double max_read_units, max_write_units;	/* on-demand maximum throughput, 0 = none */
	struct gsi *gsis;
	size_t ngsis;
	int line, col;
};

enum free_tier { FREE_NONE, FREE_ALWAYS, FREE_FIRST_YEAR };

struct budget_limit {
	char *name;		/* service or resource name */
	double usd;
	int line, col;
};

struct budget {
	double monthly_usd;		/* NAN when not set */
	struct budget_limit *services;
	size_t nservices;
	struct budget_limit *resources;
	size_t nresources;
	double max_throttle_ratio;	/* NAN when not set */
};

struct plan {
	char *name;
	char *path;			/* file it was loaded from */
	char *model_name;		/* as written in the plan */
	struct model *model;		/* owned; behaviour overrides applied */
	enum free_tier free_tier;
	double lambda_concurrency;	/* account quota */
	char *trace;			/* resolved path of traffic.trace, or NULL */
	double scale;			/* multiplier on all traffic */
	double growth_per_month;	/* fraction, e.g. 0.05 */
	struct api *apis;
	size_t napis;
	struct function *functions;
	size_t nfunctions;
	struct table *tables;
	size_t ntables;
	struct budget budget;
};

void plan_free(struct plan *p);

/* Indexes by name, or -1. */
int plan_find_function(const struct plan *p, const char *name);
int plan_find_table(const struct plan *p, const char *name);
int plan_find_api(const struct plan *p, const char *name);

/* Seconds of [0, window_s) during which schedule 's' is active. */
double schedule_active_s(const struct schedule *s, double window_s);
/* Whether 's' is active at second t of the window. */
bool schedule_active_at(const struct schedule *s, double t);
/* The first time after t at which schedule 's' may change state (a
 * boundary), INFINITY if none: schedule_active_at is the same for every t'
 * in [t, schedule_next_change(s, t)). */
double schedule_next_change(const struct schedule *s, double t);

/* A schedule read at increasing times, evaluated again only at its
 * boundaries. Zero-initialised (or after sched_cursor_reset) it evaluates
 * at the first call. */
struct sched_cursor {
	double until;		/* the state holds before this time */
	bool on;
	bool valid;
	double day0;		/* time of day (UTC seconds) at t = 0, for daily schedules */
	double month_frac;	/* window / 730 h, for hours_per_month (0: 1) */
};

/* The time at which schedule 's' is read for second t of a window that
 * starts day0 seconds after midnight UTC: daily schedules follow the clock,
 * one-off ones ("the first H hours of the window") the window. */
static inline double sched_time(const struct schedule *s, double t, double day0)
{
	return s->kind == SCHED_DAILY ? t + day0 : t;
}

static inline bool sched_cursor_on(struct sched_cursor *c, const struct schedule *s, double t)
{
	t = sched_time(s, t, c->day0);
	if (!c->valid || t >= c->until) {
		struct schedule x = *s;

		if (x.per_month && c->month_frac > 0)
			x.end_s = x.start_s + (x.end_s - x.start_s) * c->month_frac;
		c->on = schedule_active_at(&x, t);
		c->until = schedule_next_change(&x, t);
		c->valid = true;
	}
	return c->on;
}

/* Events a rate produces over a window of window_s seconds, with the
 * plan's traffic scale: floor(count * scale * active / period), computed
 * so that "3M/month" over one 730-hour month is exactly 3,000,000. */
uint64_t rate_events(const struct rate *r, double scale, double window_s);

#endif
