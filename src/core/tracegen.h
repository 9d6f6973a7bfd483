/* tracegen: synthetic traces (DESIGN §5, `costcap trace gen`). A shape
 * gives the expected rate at each instant; each bucket's count is a
 * Poisson draw around the shape's mean over the bucket, from one seeded
 * random stream, so a seed always gives the same trace.
 *
 *   flat     the rate, all the time
 *   diurnal  a sinusoid over the UTC day: peak at peak_hour, trough 12 h
 *            later, trough/peak = trough_ratio; its daily mean is the rate
 *   weekly   diurnal, with Saturdays and Sundays at weekend_ratio of the
 *            weekdays; its weekly mean is the rate
 *   spike    flat, plus a spike: the rate times spike_mult for spike_s
 *            seconds from spike_at_s (any shape may take a spike)
 */
#ifndef COSTCAP_CORE_TRACEGEN_H
#define COSTCAP_CORE_TRACEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "trace.h"

enum tracegen_shape { TRACEGEN_FLAT, TRACEGEN_DIURNAL, TRACEGEN_WEEKLY, TRACEGEN_SPIKE };

struct tracegen_opts {
	enum tracegen_shape shape;
	size_t nstreams;
	const char *const *names;	/* stream names */
	const double *rate_per_s;	/* mean rate of each stream, requests/s */
	double seconds;			/* window length: a whole number of buckets, else an error */
	uint32_t step_s;		/* bucket width, >= 1 */
	double start_epoch;		/* UTC start (seconds since 1970), e.g. a Monday */
	uint64_t seed;
	bool noise;			/* Poisson draws; false: the expected counts,
					 * rounded so that running sums are kept */
	double trough_ratio;		/* diurnal/weekly: trough/peak in [0, 1] */
	double peak_hour;		/* diurnal/weekly: UTC hour of the daily peak */
	double weekend_ratio;		/* weekly: weekend level / weekday level, >= 0 */
	double spike_mult;		/* rate multiplier during the spike (1 = none) */
	double spike_at_s;		/* spike start, seconds from the window start */
	double spike_s;			/* spike length, seconds */
};

/* Fills 'o' with the defaults: flat, 1 stream "requests" at 1/s, 1 day
 * per second from 2026-11-02T00:00:00Z (a Monday), seed 1, noise on,
 * trough 0.2 of the peak at 14:00 UTC, weekends at 0.5, spike x10 for
 * 5 minutes from the middle of the window. */
void tracegen_defaults(struct tracegen_opts *o);

/* Expected rate (requests/s) of a stream of mean rate 'rate' at 't'
 * seconds from the window start, before any spike. */
double tracegen_shape_rate(const struct tracegen_opts *o, double rate, double t);

/* Builds the trace. Returns 0 with a new trace in *out (free with
 * trace_free), or -1 with a diagnostic (no file) for invalid options. */
int tracegen_make(const struct tracegen_opts *o, struct trace **out, struct err *e);

#endif
