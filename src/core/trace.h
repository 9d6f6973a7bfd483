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
	/* NULL, or the rows of a trace still being read (then counts is
	 * NULL, step_s 1, and the rows are read through a spreader, in
	 * order): see trace_feed below. Not owned by the trace. */
	struct trace_feed *feed;
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
/* The same for 'count' seconds from 'sec': rows one after the other, or
 * NULL (also when a trace's feed does not hold them in one piece). */
const uint32_t *trace_spreader_rows(const struct trace_spreader *s, uint64_t sec, size_t count);

/* ---- a trace read while it is replayed ----------------------------------
 *
 * A feed hands the rows of a one-second trace from the thread that reads
 * them (the producer) to the one that replays them (the consumer) through
 * a ring of whole blocks of rows, so that a long trace is never held in
 * memory at once. The consumer asks for rows in increasing order; asking
 * for rows from second s gives up those before s. The producer waits while
 * the ring is full, the consumer while its rows are not read yet. */
struct trace_feed;
/* A feed of rows of n counts, in a ring of a multiple of 'block' rows
 * (the consumer's rows from a multiple of block, at most block of them,
 * are then in one piece): trace_feed_bytes (4 MB; tests make it small),
 * and at least four blocks. */
extern size_t trace_feed_bytes;
struct trace_feed *trace_feed_new(size_t n, size_t block);
void trace_feed_free(struct trace_feed *f);
/* Producer: where row 'row' goes, with *room rows (at least 1) writable
 * there one after the other; waits for the room. NULL once the consumer
 * has closed the feed: stop reading. */
uint32_t *trace_feed_room(struct trace_feed *f, size_t row, size_t *room);
/* Producer: rows 0 .. rows - 1 are written and final. */
void trace_feed_publish(struct trace_feed *f, size_t rows);
/* Producer: no more rows will come. */
void trace_feed_end(struct trace_feed *f);
/* Consumer: rows row .. row + count - 1, one after the other, once
 * written; NULL when the producer ended before them, or when they are not
 * in one piece in the ring. */
const uint32_t *trace_feed_rows(struct trace_feed *f, size_t row, size_t count);
/* Consumer: no more rows wanted; the producer stops waiting. */
void trace_feed_close(struct trace_feed *f);

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
