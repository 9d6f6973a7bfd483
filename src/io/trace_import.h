/* trace_import: converts public traces into a costcap trace plus a plan
 * (DESIGN §5, docs/traces.md):
 *
 *  - the Azure Functions 2019 trace ("Serverless in the Wild"), in the
 *    upstream layout (invocations_per_function, function_durations_
 *    percentiles, app_memory_percentiles) and in the joined layouts
 *    derived from it (one row per function in each file): one stream per
 *    function, per-minute buckets, one plan function per stream;
 *  - a file of request timestamps (one row per request): a per-second
 *    trace with one stream, and a plan with one HTTP API route and one
 *    function.
 *
 * The plan is returned as YAML text, to be written next to the trace. */
#ifndef COSTCAP_IO_TRACE_IMPORT_H
#define COSTCAP_IO_TRACE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "../core/trace.h"

struct sbuf;

/* Lambda's memory and duration limits the imported values are held to. */
#define IMPORT_MEMORY_MIN_MB 128
#define IMPORT_MEMORY_MAX_MB 10240
#define IMPORT_DURATION_MAX_MS 900000.0	/* the 15-minute timeout */
#define IMPORT_DEFAULT_DURATION_MS 100.0	/* when a function has no durations row */

struct import_azure_opts {
	const char *invocations;	/* required: per-minute invocation counts */
	const char *durations;		/* optional: execution time percentiles (ms) */
	const char *memory;		/* optional: allocated memory (MB) */
	size_t limit;			/* keep the first N functions (0: all) */
	size_t top;			/* keep the N functions with most invocations (0: all) */
	const char *trace_ref;		/* path written as traffic.trace in the plan */
	const char *name;		/* plan name (NULL: "azure-functions-2019") */
	const char *model;		/* NULL: "aws/us-east-1" */
};

/* Imports the Azure Functions 2019 layout. Rows are matched between the
 * files by the HashOwner/HashApp/HashFunction columns that both files
 * have (memory by owner and app when it has no HashFunction column, as
 * upstream, where memory is per application). Minute columns are the
 * columns whose names are whole numbers and must be consecutive. Returns
 * 0 with a new trace in *out (one stream per function, step 60 s) and the
 * plan YAML appended to 'plan', or -1 with every problem in 'e'. */
int import_azure(const struct import_azure_opts *o, struct trace **out, struct sbuf *plan,
		 struct err *e);

struct import_events_opts {
	const char *path;		/* "-" for standard input */
	const char *column;		/* time column (NULL: TIMESTAMP/time or the first) */
	const char *stream;		/* NULL: "requests" */
	uint32_t step_s;		/* 0: 1 s */
	const char *trace_ref;		/* as for import_azure */
	const char *name;		/* plan name (NULL: the stream name) */
	const char *model;		/* NULL: "aws/us-east-1" */
	const char *function;		/* NULL: the stream name */
	const char *route;		/* NULL: "POST /<stream>" */
	const char *api_type;		/* NULL: "http" */
	double memory_mb;		/* 0: 512 (an assumption, said in the plan) */
	double p50_ms, p95_ms;		/* 0: 100 and 300 (assumptions) */
};

/* Imports a file of request timestamps (see trace_load_events). The
 * stream name must be a plan identifier (import_is_identifier): the plan
 * refers to the stream by it. Returns 0 with a new trace in *out and the
 * plan appended to 'plan', or -1. */
int import_events(const struct import_events_opts *o, struct trace **out, struct sbuf *plan,
		  struct err *e);

/* True when 's' is a plan identifier, the form a plan's traffic takes to
 * name a trace stream (docs/plan-schema.md, Rates form 2): letters,
 * digits, '_', '.' and '-', not starting with a digit (nor with '.' or
 * '-'). Such a name is never read as a rate (rates start with a digit or
 * a point). */
bool import_is_identifier(const char *s);

/* The duration percentiles written for a function, from Azure's
 * percentile_Average_{50,75,99} (ms): p50 as given, p95 interpolated
 * between p75 and p99 on a log scale (20/24 of the way), every value at
 * least 1 ms and at most IMPORT_DURATION_MAX_MS, p95 >= p50; both
 * rounded to 0.1 ms. Returns 1 when p95 == p50 (write a fixed number). */
int import_duration(double pct50, double pct75, double pct99, double *p50, double *p95);

/* memory_mb from Azure's AverageAllocatedMb: rounded up to a whole MB,
 * clamped to 128..10240; 128 when unknown (NaN or <= 0). */
int import_memory_mb(double avg_mb);

/* 'target' as written in a file at 'from' (both relative to the current
 * folder or absolute): relative to from's folder ("../b/t.csv" when both
 * were given relative), except that an absolute target outside from's
 * folder stays absolute. Returns a new string. */
char *import_relpath(const char *from, const char *target);

#endif
