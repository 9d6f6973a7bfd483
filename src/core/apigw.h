/* apigw: API Gateway throttling (reference/behaviour.md §4.1): token
 * buckets where at most carried tokens + rate requests pass in a second
 * (arrivals spread uniformly within it) and carried tokens are capped at
 * the burst size. */
#ifndef COSTCAP_CORE_APIGW_H
#define COSTCAP_CORE_APIGW_H

#include <stdint.h>

struct bucket {
	double rate;	/* tokens added per second */
	double burst;	/* bucket capacity */
	double tokens;	/* tokens carried into the next second */
};

/* A bucket that starts full (the system was idle or steady before). */
struct bucket bucket_make(double rate, double burst);

/* Admits up to n requests spread uniformly over one second; returns the
 * admitted count: min(n, floor(tokens + rate)); tokens become
 * min(burst, tokens + rate - admitted). */
uint64_t bucket_admit(struct bucket *b, uint64_t n);

/* The most requests a full bucket (tokens == burst) admits in a second
 * with all of them admitted and the bucket full again after it, at most
 * 2^53 (then whole counts are exact doubles): a second of n <= this leaves
 * a full bucket as it was. */
uint64_t bucket_quiet_max(const struct bucket *b);

/* Admits requests that arrive at given milliseconds of one second:
 * arrivals[i] requests at millisecond i (i < 1000), refilling rate/1000
 * tokens per millisecond; returns the admitted count. Used for the
 * documented sub-second examples (all arrivals in the first millisecond). */
uint64_t bucket_admit_ms(struct bucket *b, const uint64_t arrivals[1000]);

#endif
