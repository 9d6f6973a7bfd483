#include "apigw.h"

#include <math.h>
#include <stdbool.h>

#include "util.h"

struct bucket bucket_make(double rate, double burst)
{
	struct bucket b;

	b.rate = rate;
	b.burst = burst;
	b.tokens = burst;
	return b;
}

uint64_t bucket_admit(struct bucket *b, uint64_t n)
{
	/* A stage without a throttle has infinite tokens (floor_fast keeps
	 * them infinite). */
	double avail = floor_fast(b->tokens + b->rate + 1e-9);
	uint64_t adm = (double)n < avail ? n : (uint64_t)avail;

	b->tokens = b->tokens + b->rate - (double)adm;
	if (b->tokens > b->burst)
		b->tokens = b->burst;
	if (b->tokens < 0)
		b->tokens = 0;
	return adm;
}

/* Whether bucket_admit would admit all of n from a full bucket and leave it
 * full (the same expressions, so the same doubles). */
static bool quiet_at(const struct bucket *b, uint64_t n)
{
	double avail = floor_fast(b->burst + b->rate + 1e-9), left;

	if (!((double)n < avail || (double)n == avail))
		return false;
	left = b->burst + b->rate - (double)n;
	return left >= b->burst;
}

uint64_t bucket_quiet_max(const struct bucket *b)
{
	uint64_t lo = 0, hi = (uint64_t)1 << 53;

	/* quiet_at holds for 0 (nothing admitted leaves burst + rate, at
	 * least burst) and, as n grows, stops holding once and for all: the
	 * largest n is found by halving. */
	if (quiet_at(b, hi))
		return hi;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (quiet_at(b, mid))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

uint64_t bucket_admit_ms(struct bucket *b, const uint64_t arrivals[1000])
{
	uint64_t adm = 0;
	int i;

	for (i = 0; i < 1000; i++) {
		double avail;
		uint64_t a;

		/* Tokens refill continuously; a request needs a whole token. */
		b->tokens += b->rate / 1000.0;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
		avail = floor(b->tokens + 1e-9);
		a = (double)arrivals[i] < avail ? arrivals[i] : (uint64_t)avail;
		b->tokens -= (double)a;
		adm += a;
	}
	return adm;
}
