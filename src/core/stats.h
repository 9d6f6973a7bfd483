/* stats: the one module that uses the GNU Scientific Library: duration
 * distributions (lognormal from p50/p95), Erlang B, and seeded random
 * streams. */
#ifndef COSTCAP_CORE_STATS_H
#define COSTCAP_CORE_STATS_H

#include <stddef.h>
#include <stdint.h>

/* A duration distribution: fixed (sigma == 0) or lognormal with median
 * exp(mu) ms, capped at cap_ms (the function timeout). */
struct duration_dist {
	double mu, sigma;	/* of ln(duration in ms) */
	double cap_ms;
};

/* Builds the lognormal whose median is p50 and 95th percentile p95
 * (fixed when p95 <= p50), capped at cap_ms. */
struct duration_dist stats_duration(double p50_ms, double p95_ms, double cap_ms);

/* Expected billed milliseconds per call: E[ceil(min(D, cap))], since AWS
 * rounds each call's duration up to the next millisecond. */
double stats_expected_billed_ms(const struct duration_dist *d);

/* Mean duration in ms of min(D, cap). */
double stats_mean_ms(const struct duration_dist *d);

/* P(D > t_ms). */
double stats_survival(const struct duration_dist *d, double t_ms);

/* E[min(D, a)] in ms (the partial mean; a above the cap acts as the cap),
 * in closed form for the lognormal. */
double stats_partial_mean_ms(const struct duration_dist *d, double a_ms);

/* Erlang B blocking probability for offered load 'a' erlangs and 'c'
 * servers (c may be fractional: the continuous extension through the
 * incomplete gamma function). Returns 0 for a <= 0, 1 for c <= 0. */
double stats_erlang_b(double a, double c);

/* Seeded random stream (opaque); free with stats_rng_free. */
struct stats_rng;
struct stats_rng *stats_rng_new(uint64_t seed);
void stats_rng_free(struct stats_rng *r);
uint64_t stats_poisson(struct stats_rng *r, double mean);
double stats_uniform(struct stats_rng *r);
double stats_gaussian(struct stats_rng *r, double sigma);

/* Binomial draw: successes among n trials of probability p (0 <= p <= 1).
 * Used by the trace spreader (multinomial by sequential binomials). */
uint64_t stats_binomial(struct stats_rng *r, double p, uint64_t n);

/* ---- advice and projections (core/advise.c, core/project.c) ---- */

/* Least squares fit of y = c0 + c1 x + (a level per weekday) over n
 * points whose x are whole days (weekday x mod 7), by gsl_multifit_linear:
 * a weekly cycle then does not bend the trend. Stores the trend c1 and its
 * standard error. Returns 0, or -1 when some weekday has no point, n < 9
 * or GSL fails. */
int stats_fit_trend_weekly(const double *x, const double *y, size_t n, double *c1, double *c1_se);

/* Ordinary least squares fit y = c0 + c1 x over n points (gsl_fit_linear).
 * Stores the coefficients and the standard error of c1 (0 with n = 2).
 * Returns 0, or -1 when n < 2, the x are all equal or GSL fails. */
int stats_fit_linear(const double *x, const double *y, size_t n,
		     double *c0, double *c1, double *c1_se);

/* Sorts v[0..n) ascending in place (gsl_sort). */
void stats_sort(double *v, size_t n);

/* Quantile q (0..1) of sorted data v[0..n), interpolated between order
 * statistics (gsl_stats_quantile_from_sorted_data); NAN when n == 0. */
double stats_quantile_sorted(const double *v, size_t n, double q);

/* A standard normal draw (mean 0, sigma 1); shorthand for advice code. */
double stats_normal(struct stats_rng *r);

#endif
