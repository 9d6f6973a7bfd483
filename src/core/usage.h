/* usage: what a simulated window consumed, per resource: the simulator's
 * output and the bill's input. Quantities are exact integers where AWS
 * bills them so (requests, MB-ms, half read units, write units); the
 * window length says how to project them to a 730-hour month. */
#ifndef COSTCAP_CORE_USAGE_H
#define COSTCAP_CORE_USAGE_H

#include <stddef.h>
#include <stdint.h>

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

void usage_free(struct usage *u);

#endif
