/* trace: recorded or synthetic traffic over time (DESIGN §5), held as
 * per-bucket counts per named stream, and replayed one second at a time:
 * buckets wider than a second are spread evenly over their seconds
 * (integer, sums preserved) or as Poisson arrivals from a seed. */
#ifndef COSTCAP_CORE_TRACE_H
#define COSTCAP_CORE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace {
	size_t nstreams;
	char **names;		/* stream names, in first-seen order */
	uint32_t step_s;	/* bucket width in seconds (>= 1) */
	size_t nbuckets;
	uint32_t *counts;	/* counts[b * nstreams + s]: bucket b of stream s */
	uint64_t *totals;	/* per stream, over the whole trace */
	double start_epoch;	/* UTC seconds since 1970 of bucket 0; NAN for relative times */
};

/* Returns a new empty trace with 'nstreams' named streams (names copied). */
struct trace *trace_new(size_t nstreams, const char *const *names, uint32_t step_s);
void trace_free(struct trace *t);
/* Window length in seconds: nbuckets x step_s. */
uint64_t trace_seconds(const struct trace *t);
/* Index of the stream named 'name', or -1. */
int trace_find(const struct trace *t, const char *name);

/* Replays a trace second by second. poisson=false spreads each bucket
 * evenly: second i of a bucket of width w with count c receives
 * floor((i+1)c/w) - floor(ic/w). poisson=true distributes each bucket's
 * count over its seconds at random (multinomial, from 'seed'); sums are
 * preserved either way. */
struct trace_spreader;
struct trace_spreader *trace_spreader_new(const struct trace *t, bool poisson, uint64_t seed);
void trace_spreader_free(struct trace_spreader *s);
/* Fills out[0..nstreams) with the arrivals of second 'sec'. Seconds must
 * be asked for in increasing order (0, 1, 2, ...). */
void trace_spreader_second(struct trace_spreader *s, uint64_t sec, uint64_t *out);
/* The counts of second 'sec' as they stand in the trace when it has one
 * bucket a second (what trace_spreader_second would copy out), or NULL:
 * wider buckets, or a second past the trace's end. */
const uint32_t *trace_spreader_row(const struct trace_spreader *s, uint64_t sec);

/* ---- additions used by the loaders, the generator and `trace show` ---- */

/* Replaces the trace's buckets with 'nbuckets' zeroed buckets (totals are
 * zeroed too). Aborts through util_fatal when the array cannot be held. */
void trace_set_buckets(struct trace *t, size_t nbuckets);
/* Replaces the trace's buckets with 'counts' (nbuckets x nstreams values,
 * from malloc/xmalloc), taking ownership of it, and recomputes totals. */
void trace_adopt_counts(struct trace *t, uint32_t *counts, size_t nbuckets);
/* Recomputes t->totals from t->counts. */
void trace_update_totals(struct trace *t);

/* Summary of one stream (or of all streams summed, s == TRACE_ALL). */
#define TRACE_ALL ((size_t)-1)
struct trace_stream_stats {
	uint64_t total;		/* arrivals over the trace */
	uint64_t peak_bucket;	/* highest count in one bucket */
	size_t peak_index;	/* first bucket holding that count */
	uint64_t peak_per_s;	/* highest arrivals in one second when spread
				 * evenly: ceil(peak_bucket / step_s) */
	double mean_per_s;	/* total / trace_seconds */
};
void trace_stream_stats(const struct trace *t, size_t s, struct trace_stream_stats *out);
/* The same for every stream (out[0..nstreams)) and all summed
 * (out[nstreams]), in one pass over the counts. */
void trace_stats_all(const struct trace *t, struct trace_stream_stats *out);

#endif
