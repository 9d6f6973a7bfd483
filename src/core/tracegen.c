#include "tracegen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#define DAY_S 86400.0
#define OMEGA (2 * M_PI / DAY_S)

/* Largest trace generated (buckets x streams), as for loaded traces. */
#define MAX_CELLS ((double)((uint64_t)1 << 29))

static const char *const default_name = "requests";
static const double default_rate = 1;

void tracegen_defaults(struct tracegen_opts *o)
{
	memset(o, 0, sizeof *o);
	o->shape = TRACEGEN_FLAT;
	o->nstreams = 1;
	o->names = &default_name;
	o->rate_per_s = &default_rate;
	o->seconds = DAY_S;
	o->step_s = 1;
	o->start_epoch = 1793577600;	/* 2026-11-02T00:00:00Z, a Monday */
	o->seed = 1;
	o->noise = true;
	o->trough_ratio = 0.2;
	o->peak_hour = 14;
	o->weekend_ratio = 0.5;
	o->spike_mult = 1;
	o->spike_at_s = -1;		/* the middle of the window */
	o->spike_s = 300;
}

/* Amplitude of the daily sinusoid: (1 - a) / (1 + a) = trough / peak. */
static double amplitude(const struct tracegen_opts *o)
{
	if (o->shape != TRACEGEN_DIURNAL && o->shape != TRACEGEN_WEEKLY)
		return 0;
	return (1 - o->trough_ratio) / (1 + o->trough_ratio);
}

/* Weekday/weekend level at absolute time 'abs' (weekly shape), so that
 * the mean over a week is 1. */
static double week_factor(const struct tracegen_opts *o, double abs)
{
	double days, k;
	long wd;

	if (o->shape != TRACEGEN_WEEKLY)
		return 1;
	days = floor(abs / DAY_S);
	wd = (long)fmod(days + 3, 7);	/* 1970-01-01 was a Thursday; 0 = Monday */
	if (wd < 0)
		wd += 7;
	k = 7 / (5 + 2 * o->weekend_ratio);
	return wd >= 5 ? k * o->weekend_ratio : k;
}

double tracegen_shape_rate(const struct tracegen_opts *o, double rate, double t)
{
	double abs = o->start_epoch + t;
	double a = amplitude(o);
	double phase = OMEGA * (abs - o->peak_hour * 3600);

	return rate * week_factor(o, abs) * (1 + a * cos(phase));
}

/* Integral of the shape (per unit rate) over [t0, t1), before the spike:
 * exact. The sinusoid is integrated in closed form; the weekday/weekend
 * level is constant within a UTC day, so the interval is split at the
 * midnights it crosses and each piece takes its own day's level (a bucket
 * from Friday 23:30 to Saturday 00:30 is half weekday, half weekend). */
static double shape_integral(const struct tracegen_opts *o, double t0, double t1)
{
	double a = amplitude(o), base = o->start_epoch - o->peak_hour * 3600;
	double sum = 0, lo = t0;

	while (lo < t1) {
		double hi = t1, w;

		if (o->shape == TRACEGEN_WEEKLY) {
			double next = (floor((o->start_epoch + lo) / DAY_S) + 1) * DAY_S -
				      o->start_epoch;

			if (next > lo && next < t1)
				hi = next;
		}
		w = week_factor(o, o->start_epoch + (lo + hi) / 2);
		if (a == 0)
			sum += w * (hi - lo);
		else
			sum += w * ((hi - lo) + a * (sin(OMEGA * (base + hi)) -
						     sin(OMEGA * (base + lo))) / OMEGA);
		lo = hi;
	}
	return sum;
}

int tracegen_make(const struct tracegen_opts *o, struct trace **out, struct err *e)
{
	struct trace *t;
	struct stats_rng *rng;
	size_t nb, b, s, n = o->nstreams;
	double spike_at, *cum;
	int bad = 0;

	*out = NULL;
	if (n == 0) {
		err_add(e, NULL, 0, 0, "trace gen: no streams");
		return -1;
	}
	for (s = 0; s < n; s++)
		if (!(o->rate_per_s[s] >= 0) || !isfinite(o->rate_per_s[s])) {
			err_add(e, NULL, 0, 0, "trace gen: the rate of stream '%s' must be 0 or more",
				o->names[s]);
			bad = 1;
		}
	if (o->step_s < 1) {
		err_add(e, NULL, 0, 0, "trace gen: the step must be at least 1 s");
		bad = 1;
	}
	if (!(o->seconds >= 1) || !isfinite(o->seconds)) {
		err_add(e, NULL, 0, 0, "trace gen: the window must be at least 1 s long");
		bad = 1;
	}
	if (!(o->trough_ratio >= 0 && o->trough_ratio <= 1)) {
		err_add(e, NULL, 0, 0, "trace gen: the trough/peak ratio must be between 0 and 1");
		bad = 1;
	}
	if (!(o->weekend_ratio >= 0) || !isfinite(o->weekend_ratio)) {
		err_add(e, NULL, 0, 0, "trace gen: the weekend ratio must be 0 or more");
		bad = 1;
	}
	if (!(o->spike_mult >= 0) || !isfinite(o->spike_mult) || !(o->spike_s >= 0)) {
		err_add(e, NULL, 0, 0, "trace gen: the spike multiplier and length must be 0 or more");
		bad = 1;
	}
	if (!isfinite(o->start_epoch) || !isfinite(o->peak_hour)) {
		err_add(e, NULL, 0, 0, "trace gen: invalid start time or peak hour");
		bad = 1;
	}
	if (bad)
		return -1;
	/* The window is a whole number of buckets (not padded to one):
	 * 90 s at a 60 s step is refused. A slack of 1e-9 bucket lets
	 * fractional days through (0.1 x 86400 is 8640.000000000001). */
	if (fabs(o->seconds / o->step_s - floor(o->seconds / o->step_s + 0.5)) > 1e-9) {
		double lo = floor(o->seconds / o->step_s) * o->step_s;
		struct sbuf m = {0};

		sbuf_printf(&m, "trace gen: the window (%.9g s) is not a whole number of %u s buckets "
			    "(--step): give a --duration or --days that is a multiple of the step, such "
			    "as ", o->seconds, o->step_s);
		if (lo > 0)
			sbuf_printf(&m, "%.9g s or ", lo);
		sbuf_printf(&m, "%.9g s", lo + o->step_s);
		err_add(e, NULL, 0, 0, "%s", m.buf);
		sbuf_free(&m);
		return -1;
	}
	/* Checked as a double first: a size_t cast of 1e30 is undefined. */
	if (floor(o->seconds / o->step_s + 0.5) * (double)n > MAX_CELLS) {
		err_add(e, NULL, 0, 0, "trace gen: %.4g buckets x %zu streams is too large; use a "
			"wider --step or fewer days", floor(o->seconds / o->step_s + 0.5), n);
		return -1;
	}
	nb = (size_t)floor(o->seconds / o->step_s + 0.5);
	spike_at = o->spike_at_s >= 0 ? o->spike_at_s : o->seconds / 2;
	t = trace_new(n, o->names, o->step_s);
	t->start_epoch = o->start_epoch;
	trace_set_buckets(t, nb);
	rng = stats_rng_new(o->seed);
	cum = xcalloc(n, sizeof *cum);
	for (b = 0; b < nb; b++) {
		double t0 = (double)b * o->step_s, t1 = t0 + o->step_s;
		double base = shape_integral(o, t0, t1), extra = 0;
		double lo = fmax(t0, spike_at), hi = fmin(t1, spike_at + o->spike_s);

		if (o->spike_mult != 1 && hi > lo)
			extra = (o->spike_mult - 1) * shape_integral(o, lo, hi);
		for (s = 0; s < n; s++) {
			double mean = o->rate_per_s[s] * (base + extra);
			double c;

			if (o->noise) {
				c = (double)stats_poisson(rng, mean);
			} else {
				double before = cum[s];

				cum[s] += mean;
				c = floor(cum[s] + 0.5) - floor(before + 0.5);
			}
			if (c > UINT32_MAX) {
				err_add(e, NULL, 0, 0, "trace gen: stream '%s' has about %.0f requests in "
					"one %u s bucket, more than a bucket holds (2^32 - 1); use a "
					"narrower --step", o->names[s], mean, o->step_s);
				stats_rng_free(rng);
				free(cum);
				trace_free(t);
				return -1;
			}
			t->counts[b * n + s] = (uint32_t)c;
		}
	}
	stats_rng_free(rng);
	free(cum);
	trace_update_totals(t);
	*out = t;
	return 0;
}
