/* usage: what a simulated window consumed, per resource: the simulator's
 * output and the bill's input. Quantities are exact integers where AWS
 * bills them so (requests, MB-ms, half read units, write units); the
 * window length says how to project them to a 730-hour month. */
#ifndef COSTCAP_CORE_USAGE_H
#define COSTCAP_CORE_USAGE_H

#include <stddef.h>
#include <stdint.h>

/* ---- binding limits (added for advice and headroom, docs/advice.md) ----
 * Why offered work was throttled: the limit that bound. The simulator
 * splits each resource's throttled count by limit into 'throttled_by'
 * (the entries sum to 'throttled'); limit_binding() names the one that
 * bound most. core/whatif.c combines usages field by field: extend
 * usage_add() there when adding fields to these structs. */
enum limit_kind {
	LIMIT_NONE,		/* not throttled */
	LIMIT_API_STAGE,	/* API stage throttle (rate + burst) */
	LIMIT_API_ACCOUNT,	/* API Gateway account token bucket */
	LIMIT_FN_RESERVED,	/* the function's reserved concurrency */
	LIMIT_FN_ACCOUNT,	/* account concurrency (the unreserved pool) */
	LIMIT_FN_SCALE_UP,	/* per-function scale-up rate (1,000 per 10 s) */
	LIMIT_FN_RPS,		/* 10 x concurrency requests per second */
	LIMIT_DDB_PARTITION,	/* a partition's cap (hot key, key range) */
	LIMIT_DDB_CAPACITY,	/* provisioned capacity with the burst pool exhausted */
	LIMIT_DDB_ON_DEMAND,	/* on-demand: above twice the previous peak */
	LIMIT_DDB_QUOTA,	/* table quota or on-demand maximum throughput */
	LIMIT_DDB_GSI,		/* a GSI could not take the index writes */
	LIMIT_DDB_GSI_READ,	/* a GSI's read capacity with its burst pool exhausted */
	LIMIT_COUNT
};

/* "stage throttle", "scale-up rate", ... (static strings). */
const char *limit_kind_name(enum limit_kind k);
/* The limit behind most of by[] (LIMIT_NONE when all are 0). */
enum limit_kind limit_binding(const uint64_t by[LIMIT_COUNT]);

struct fn_usage {
	uint64_t offered;	/* invocations offered (routes + direct triggers) */
	uint64_t invocations;	/* invocations that ran (billed requests) */
	uint64_t throttled;	/* offered invocations rejected for good */
	uint64_t cold_starts;
	uint64_t mb_ms;		/* on-demand billed duration x memory (INIT included when billed) */
	uint64_t pc_mb_ms;	/* billed duration x memory of calls served by provisioned concurrency */
	uint64_t eph_mb_ms;	/* billed duration x ephemeral storage above the included size */
	uint64_t pc_mb_s;	/* provisioned concurrency configured: count x memory x enabled seconds */
	uint64_t init_mb_ms;	/* part of mb_ms that is billed INIT */
	double peak_concurrency;
	uint64_t throttled_by[LIMIT_COUNT];	/* throttled, by binding limit */
};

struct api_usage {
	uint64_t offered;	/* requests (or messages) arriving */
	uint64_t admitted;	/* passed the throttles */
	uint64_t throttled;	/* 429 */
	uint64_t metered;	/* billed request units (HTTP 512 KB / WebSocket 32 KB increments) */
	uint64_t cache_hits;
	uint64_t ws_minutes;	/* WebSocket connection minutes */
	double transfer_gb;	/* data transfer out, GB */
	double cache_hours;
	uint64_t throttled_by[LIMIT_COUNT];	/* throttled, by binding limit */
};

struct gsi_usage {
	double rcu_hours, wcu_hours;	/* provisioned unit-hours */
	uint64_t read_half_units, write_units;
};

struct table_usage {
	uint64_t offered;	/* operations offered */
	uint64_t throttled;	/* operations rejected for good */
	double rcu_hours, wcu_hours;	/* provisioned unit-hours (billing) */
	uint64_t read_half_units;	/* consumed by admitted operations */
	uint64_t write_units;
	double storage_gb;
	struct gsi_usage *gsis;
	size_t ngsis;
	uint64_t throttled_by[LIMIT_COUNT];	/* throttled, by binding limit */
};

/* Per-second (or per-bucket) series kept for charts. Counts are summed
 * over a bucket, levels take the bucket's maximum. Arrays that do not
 * apply to a resource are NULL. */
enum series_kind {
	SER_OFFERED,		/* requests / invocations / operations offered */
	SER_ADMITTED,		/* admitted (ran, passed) */
	SER_THROTTLED,
	SER_LIMIT,		/* function: concurrency limit; API: stage+account rate */
	SER_CONCURRENCY,	/* function: average concurrency */
	SER_COLD,		/* function: cold starts */
	SER_READ_CAPACITY,	/* table: provisioned read units, or the on-demand ceiling */
	SER_WRITE_CAPACITY,
	SER_READ_CONSUMED,	/* table: read units consumed */
	SER_WRITE_CONSUMED,
	SER_READ_BURST,		/* table: burst pool, read units */
	SER_WRITE_BURST,
	SER_COUNT
};

struct series {
	double step_s;		/* seconds per point */
	size_t n;		/* points */
	float *v[SER_COUNT];
};

const char *series_kind_name(enum series_kind k);
/* Whether kind k is a level (max over a bucket) rather than a count. */
int series_is_level(enum series_kind k);

struct usage {
	double window_s;		/* simulated seconds */
	struct fn_usage *fn;		/* one per plan function, same order */
	struct api_usage *api;		/* one per plan API */
	struct table_usage *table;	/* one per plan table */
	size_t nfn, napi, ntable;
	/* Series, when the simulation was asked to keep them (else NULL). */
	struct series *fn_series, *api_series, *table_series;
};

struct plan;

/* Returns a new zeroed usage laid out for plan 'p' (one entry per
 * function, API, table and GSI; storage from the plan) over a window of
 * window_s seconds, without series. Free with usage_free. */
struct usage *usage_new(const struct plan *p, double window_s);
void usage_free(struct usage *u);

#endif
