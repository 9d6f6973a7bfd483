#include "trace.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"

struct trace *trace_new(size_t nstreams, const char *const *names, uint32_t step_s)
{
	struct trace *t = xcalloc(1, sizeof *t);
	size_t i;

	t->nstreams = nstreams;
	t->names = xcalloc(nstreams ? nstreams : 1, sizeof *t->names);
	for (i = 0; i < nstreams; i++)
		t->names[i] = xstrdup(names && names[i] ? names[i] : "");
	t->step_s = step_s ? step_s : 1;
	t->totals = xcalloc(nstreams ? nstreams : 1, sizeof *t->totals);
	t->start_epoch = NAN;
	return t;
}

void trace_free(struct trace *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nstreams; i++)
		free(t->names[i]);
	free(t->names);
	free(t->counts);
	free(t->totals);
	free(t);
}

uint64_t trace_seconds(const struct trace *t)
{
	return (uint64_t)t->nbuckets * t->step_s;
}

int trace_find(const struct trace *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nstreams; i++)
		if (strcmp(t->names[i], name) == 0)
			return (int)i;
	return -1;
}

void trace_set_buckets(struct trace *t, size_t nbuckets)
{
	size_t n = t->nstreams ? t->nstreams : 1;

	if (nbuckets > SIZE_MAX / sizeof *t->counts / n)
		util_fatal("trace too large (%zu buckets x %zu streams)", nbuckets, n);
	free(t->counts);
	t->counts = xcalloc(nbuckets ? nbuckets * n : 1, sizeof *t->counts);
	t->nbuckets = nbuckets;
	memset(t->totals, 0, (t->nstreams ? t->nstreams : 1) * sizeof *t->totals);
}

void trace_adopt_counts(struct trace *t, uint32_t *counts, size_t nbuckets)
{
	free(t->counts);
	t->counts = counts;
	t->nbuckets = nbuckets;
	trace_update_totals(t);
}

void trace_update_totals(struct trace *t)
{
	size_t b, s, n = t->nstreams;
	const uint32_t *row = t->counts;

	memset(t->totals, 0, (n ? n : 1) * sizeof *t->totals);
	for (b = 0; b < t->nbuckets; b++, row += n)
		for (s = 0; s < n; s++)
			t->totals[s] += row[s];
}

void trace_stream_stats(const struct trace *t, size_t s, struct trace_stream_stats *out)
{
	size_t b, k, n = t->nstreams;
	uint64_t secs = trace_seconds(t);

	memset(out, 0, sizeof *out);
	for (b = 0; b < t->nbuckets; b++) {
		const uint32_t *row = t->counts + b * n;
		uint64_t c = 0;

		if (s == TRACE_ALL)
			for (k = 0; k < n; k++)
				c += row[k];
		else
			c = row[s];
		out->total += c;
		if (c > out->peak_bucket) {
			out->peak_bucket = c;
			out->peak_index = b;
		}
	}
	out->peak_per_s = (out->peak_bucket + t->step_s - 1) / t->step_s;
	out->mean_per_s = secs ? (double)out->total / (double)secs : 0;
}

void trace_stats_all(const struct trace *t, struct trace_stream_stats *out)
{
	size_t b, k, n = t->nstreams;
	uint64_t secs = trace_seconds(t);
	const uint32_t *row = t->counts;

	memset(out, 0, (n + 1) * sizeof *out);
	for (b = 0; b < t->nbuckets; b++, row += n) {
		uint64_t all = 0;

		for (k = 0; k < n; k++) {
			all += row[k];
			if (row[k] > out[k].peak_bucket) {
				out[k].peak_bucket = row[k];
				out[k].peak_index = b;
			}
		}
		if (all > out[n].peak_bucket) {
			out[n].peak_bucket = all;
			out[n].peak_index = b;
		}
	}
	for (k = 0; k <= n; k++) {
		out[k].total = k < n ? t->totals[k] : 0;
		if (k == n)
			for (b = 0; b < n; b++)
				out[n].total += t->totals[b];
		out[k].peak_per_s = (out[k].peak_bucket + t->step_s - 1) / t->step_s;
		out[k].mean_per_s = secs ? (double)out[k].total / (double)secs : 0;
	}
}

/* ---- replay ------------------------------------------------------------ */

struct trace_spreader {
	const struct trace *t;
	bool poisson;
	uint64_t seed;
	struct stats_rng *rng;	/* poisson only */
	uint64_t next;		/* poisson: the next second to draw */
	uint64_t *left;		/* poisson: arrivals of the current bucket not yet drawn */
	uint64_t *scratch;	/* poisson: output of skipped seconds */
};

struct trace_spreader *trace_spreader_new(const struct trace *t, bool poisson, uint64_t seed)
{
	struct trace_spreader *s = xcalloc(1, sizeof *s);
	size_t n = t->nstreams ? t->nstreams : 1;

	s->t = t;
	/* One-second buckets need no spreading: both modes give the counts. */
	s->poisson = poisson && t->step_s > 1;
	s->seed = seed;
	if (s->poisson) {
		s->rng = stats_rng_new(seed);
		s->left = xcalloc(n, sizeof *s->left);
		s->scratch = xcalloc(n, sizeof *s->scratch);
	}
	return s;
}

void trace_spreader_free(struct trace_spreader *s)
{
	if (!s)
		return;
	stats_rng_free(s->rng);
	free(s->left);
	free(s->scratch);
	free(s);
}

/* Draws second 'sec' (== s->next) of the multinomial split of its bucket:
 * second i of w receives Binomial(left, 1/(w-i)) of the arrivals left, so
 * the last second takes the rest and the bucket's sum is preserved. */
static void poisson_draw(struct trace_spreader *s, uint64_t sec, uint64_t *out)
{
	const struct trace *t = s->t;
	uint32_t w = t->step_s;
	uint64_t b = sec / w, i = sec % w;
	size_t k, n = t->nstreams;

	if (i == 0) {
		const uint32_t *row = t->counts + b * n;

		for (k = 0; k < n; k++)
			s->left[k] = row[k];
	}
	for (k = 0; k < n; k++) {
		uint64_t x;

		if (s->left[k] == 0)
			x = 0;
		else if (i + 1 == w)
			x = s->left[k];
		else
			x = stats_binomial(s->rng, 1.0 / (double)(w - i), s->left[k]);
		s->left[k] -= x;
		out[k] = x;
	}
	s->next = sec + 1;
}

const uint32_t *trace_spreader_row(const struct trace_spreader *s, uint64_t sec)
{
	return trace_spreader_rows(s, sec, 1);
}

const uint32_t *trace_spreader_rows(const struct trace_spreader *s, uint64_t sec, size_t count)
{
	const struct trace *t = s->t;
	uint64_t W = trace_seconds(t);

	if (t->step_s != 1 || count == 0 || sec >= W || count > W - sec)
		return NULL;
	if (t->feed)
		return trace_feed_rows(t->feed, (size_t)sec, count);
	return t->counts + sec * t->nstreams;
}

void trace_spreader_second(struct trace_spreader *s, uint64_t sec, uint64_t *out)
{
	const struct trace *t = s->t;
	size_t k, n = t->nstreams;
	uint64_t w = t->step_s;

	if (sec >= trace_seconds(t)) {
		for (k = 0; k < n; k++)
			out[k] = 0;
		return;
	}
	if (w == 1) {
		const uint32_t *row = t->feed ? trace_feed_rows(t->feed, (size_t)sec, 1) : t->counts + sec * n;

		for (k = 0; k < n; k++)
			out[k] = row ? row[k] : 0;	/* no row: the feed's reader stopped */
		return;
	}
	if (!s->poisson) {
		const uint32_t *row = t->counts + (sec / w) * n;
		uint64_t i = sec % w;

		for (k = 0; k < n; k++) {
			uint64_t c = row[k];

			out[k] = (i + 1) * c / w - i * c / w;
		}
		return;
	}
	/* Poisson: the draws are made in second order from one stream, so the
	 * output of a second does not depend on which seconds were asked for
	 * before it. Going back restarts the stream; skipped seconds are
	 * drawn and discarded. */
	if (sec < s->next) {
		stats_rng_free(s->rng);
		s->rng = stats_rng_new(s->seed);
		s->next = 0;
	}
	while (s->next < sec)
		poisson_draw(s, s->next, s->scratch);
	poisson_draw(s, sec, out);
}

/* ---- feed ----------------------------------------------------------------
 *
 * Each side waits on the one condition variable after saying so in its
 * flag, with the value it waits for; the other side, having stored a new
 * value, reads the flag and wakes it once the value is reached. Both the
 * stores and the reads are sequentially consistent: either the waiter
 * sees the new value when it looks again, or the other side sees the flag
 * and takes the mutex, which the waiter holds until it waits. A producer
 * that finds the ring full waits until a quarter of it is free, not just
 * a row: the consumer frees a block at a time, and a wake-up per block
 * would cost more than the block. */
struct trace_feed {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint32_t *ring;
	size_t n, block, cap;		/* counts a row; rows in the ring (a multiple of block) */
	atomic_size_t ready;		/* rows written and final */
	atomic_size_t freed;		/* rows given up by the consumer */
	atomic_bool ended, closed;
	atomic_bool pwait, cwait;	/* the producer, the consumer waits */
	atomic_size_t pwant, cwant;	/* for freed, for ready to reach this */
};

size_t trace_feed_bytes = (size_t)4 << 20;

struct trace_feed *trace_feed_new(size_t n, size_t block)
{
	struct trace_feed *f = xcalloc(1, sizeof *f);
	size_t blocks;

	if (n == 0)
		n = 1;
	if (block == 0)
		block = 1;
	blocks = trace_feed_bytes / (n * sizeof *f->ring) / block;
	if (blocks < 4)
		blocks = 4;
	if (block > SIZE_MAX / blocks / n / sizeof *f->ring)
		util_fatal("trace feed too large (%zu streams)", n);
	f->n = n;
	f->block = block;
	f->cap = blocks * block;
	f->ring = xmalloc(f->cap * n * sizeof *f->ring);
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	atomic_init(&f->ready, 0);
	atomic_init(&f->freed, 0);
	atomic_init(&f->ended, false);
	atomic_init(&f->closed, false);
	atomic_init(&f->pwait, false);
	atomic_init(&f->cwait, false);
	atomic_init(&f->pwant, 0);
	atomic_init(&f->cwant, 0);
	return f;
}

void trace_feed_free(struct trace_feed *f)
{
	if (!f)
		return;
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	free(f->ring);
	free(f);
}

/* Wakes the other side when its flag says it waits and 'now' is at
 * least what it waits for. */
static void feed_wake(struct trace_feed *f, atomic_bool *flag, atomic_size_t *want, size_t now)
{
	if (atomic_load(flag) && now >= atomic_load(want)) {
		pthread_mutex_lock(&f->mu);
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
	}
}

uint32_t *trace_feed_room(struct trace_feed *f, size_t row, size_t *room)
{
	size_t freed = atomic_load(&f->freed), at = row % f->cap;

	if (freed + f->cap <= row && !atomic_load(&f->closed)) {
		/* Full (so row >= cap): wait for a quarter of the ring. */
		size_t want = row - f->cap + f->cap / 4;

		pthread_mutex_lock(&f->mu);
		atomic_store(&f->pwant, want);
		atomic_store(&f->pwait, true);
		while ((freed = atomic_load(&f->freed)) < want && !atomic_load(&f->closed))
			pthread_cond_wait(&f->cv, &f->mu);
		atomic_store(&f->pwait, false);
		pthread_mutex_unlock(&f->mu);
	}
	if (freed + f->cap <= row)
		return NULL;	/* closed */
	*room = freed + f->cap - row;
	if (*room > f->cap - at)
		*room = f->cap - at;
	return f->ring + at * f->n;
}

void trace_feed_publish(struct trace_feed *f, size_t rows)
{
	atomic_store(&f->ready, rows);
	feed_wake(f, &f->cwait, &f->cwant, rows);
}

void trace_feed_end(struct trace_feed *f)
{
	atomic_store(&f->ended, true);
	feed_wake(f, &f->cwait, &f->cwant, SIZE_MAX);
}

const uint32_t *trace_feed_rows(struct trace_feed *f, size_t row, size_t count)
{
	size_t at = row % f->cap, need = row + count;

	if (row > atomic_load(&f->freed)) {
		atomic_store(&f->freed, row);
		feed_wake(f, &f->pwait, &f->pwant, row);
	}
	if (count == 0 || count > f->cap - at)
		return NULL;
	if (atomic_load(&f->ready) < need && !atomic_load(&f->ended)) {
		pthread_mutex_lock(&f->mu);
		atomic_store(&f->cwant, need);
		atomic_store(&f->cwait, true);
		while (atomic_load(&f->ready) < need && !atomic_load(&f->ended))
			pthread_cond_wait(&f->cv, &f->mu);
		atomic_store(&f->cwait, false);
		pthread_mutex_unlock(&f->mu);
	}
	if (atomic_load(&f->ready) < need)
		return NULL;
	return f->ring + at * f->n;
}

void trace_feed_close(struct trace_feed *f)
{
	atomic_store(&f->closed, true);
	feed_wake(f, &f->pwait, &f->pwant, SIZE_MAX);
}
