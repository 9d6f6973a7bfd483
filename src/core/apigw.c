#include "apigw.h"

#include <math.h>

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
	double x = b->tokens + b->rate + 1e-9;
	/* floor() by a conversion to an integer where x is non-negative and
	 * fits (floor() is a library call on plain x86-64); a stage without
	 * a throttle has infinite tokens. */
	double avail = x >= 0 && x < 9e18 ? (double)(int64_t)x : floor(x);
	uint64_t adm = (double)n < avail ? n : (uint64_t)avail;

	b->tokens = b->tokens + b->rate - (double)adm;
	if (b->tokens > b->burst)
		b->tokens = b->burst;
	if (b->tokens < 0)
		b->tokens = 0;
	return adm;
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
