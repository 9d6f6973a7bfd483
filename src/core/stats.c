#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

#include <stdlib.h>

#include "util.h"

/* z such that P(Z <= z) = 0.95 for a standard normal. */
#define Z95 1.6448536269514722

struct duration_dist stats_duration(double p50_ms, double p95_ms, double cap_ms)
{
	struct duration_dist d;

	d.mu = log(p50_ms > 0 ? p50_ms : 1e-9);
	d.sigma = p95_ms > p50_ms ? log(p95_ms / p50_ms) / Z95 : 0;
	d.cap_ms = cap_ms;
	return d;
}

double stats_survival(const struct duration_dist *d, double t)
{
	if (t >= d->cap_ms)
		return 0;
	if (d->sigma == 0)
		return exp(d->mu) > t ? 1 : 0;
	if (t <= 0)
		return 1;
	return gsl_cdf_lognormal_Q(t, d->mu, d->sigma);
}

double stats_partial_mean_ms(const struct duration_dist *d, double a)
{
	double z;

	if (a > d->cap_ms)
		a = d->cap_ms;
	if (a <= 0)
		return 0;
	if (d->sigma == 0) {
		double v = exp(d->mu);

		return v < a ? v : a;
	}
	/* E[min(X, a)] = E[X; X < a] + a P(X >= a), with
	 * E[X; X < a] = exp(mu + s^2/2) Phi((ln a - mu - s^2) / s). */
	z = (log(a) - d->mu) / d->sigma;
	return exp(d->mu + d->sigma * d->sigma / 2) * gsl_cdf_ugaussian_P(z - d->sigma) +
	       a * gsl_cdf_ugaussian_Q(z);
}

double stats_expected_billed_ms(const struct duration_dist *d)
{
	double sum = 0, k, q, head;

	if (d->sigma == 0) {
		double v = exp(d->mu);

		if (v > d->cap_ms)
			v = d->cap_ms;
		/* Guard exact integers against exp(log(x)) drift. */
		return ceil(v - 1e-9);
	}
	/* E[ceil(X)] = sum over k >= 0 of P(X > k). The first terms are added
	 * one by one; past 'head' ms the survival function is smooth on a
	 * 1-ms grid and the rest of the sum is its integral (a partial mean,
	 * in closed form) plus the trapezoid end correction. */
	head = d->cap_ms < 4096 ? d->cap_ms : 4096;
	for (k = 0; k < head; k += 1) {
		q = stats_survival(d, k);
		sum += q;
		if (q < 1e-15)
			return sum;
	}
	if (head < d->cap_ms)
		sum += stats_partial_mean_ms(d, d->cap_ms) - stats_partial_mean_ms(d, head) +
		       (stats_survival(d, head) - stats_survival(d, d->cap_ms)) / 2;
	return sum;
}

double stats_mean_ms(const struct duration_dist *d)
{
	return stats_partial_mean_ms(d, d->cap_ms);
}

double stats_erlang_b(double a, double c)
{
	double logp, lq;

	if (a <= 0)
		return 0;
	if (c <= 0)
		return 1;
	/* B(c, a) = a^c e^-a / Gamma(c+1) / Q(c+1, a), Q the regularised
	 * upper incomplete gamma function; computed in logs for large c. */
	lq = gsl_sf_gamma_inc_Q(c + 1, a);
	if (lq <= 0)
		return 0;
	logp = c * log(a) - a - gsl_sf_lngamma(c + 1) - log(lq);
	return logp > 0 ? 1 : exp(logp);
}

struct stats_rng {
	gsl_rng *r;
};

struct stats_rng *stats_rng_new(uint64_t seed)
{
	struct stats_rng *s = xmalloc(sizeof *s);

	s->r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!s->r)
		util_fatal("out of memory (random stream)");
	gsl_rng_set(s->r, (unsigned long)seed);
	return s;
}

void stats_rng_free(struct stats_rng *r)
{
	if (!r)
		return;
	gsl_rng_free(r->r);
	free(r);
}

uint64_t stats_poisson(struct stats_rng *r, double mean)
{
	if (mean <= 0)
		return 0;
	if (mean > 1e9)	/* gsl's unsigned int result; normal approximation */
		return (uint64_t)llround(fmax(0, mean + gsl_ran_gaussian(r->r, sqrt(mean))));
	return gsl_ran_poisson(r->r, mean);
}

double stats_uniform(struct stats_rng *r)
{
	return gsl_rng_uniform(r->r);
}

double stats_gaussian(struct stats_rng *r, double sigma)
{
	return gsl_ran_gaussian(r->r, sigma);
}

uint64_t stats_binomial(struct stats_rng *r, double p, uint64_t n)
{
	uint64_t k = 0;

	if (n == 0 || p <= 0)
		return 0;
	if (p >= 1)
		return n;
	/* gsl_ran_binomial takes an unsigned int: draw in chunks; a sum of
	 * binomials with the same p is binomial. */
	while (n > 0) {
		unsigned int m = n > 0x7fffffffu ? 0x7fffffffu : (unsigned int)n;

		k += gsl_ran_binomial(r->r, p, m);
		n -= m;
	}
	return k;
}

/* ---- advice and projections (core/advise.c, core/project.c) ---- */

int stats_fit_linear(const double *x, const double *y, size_t n,
		     double *c0, double *c1, double *c1_se)
{
	double cov00, cov01, cov11, sumsq;
	size_t i;

	if (n < 2)
		return -1;
	for (i = 1; i < n && x[i] == x[0]; i++)
		;
	if (i == n)
		return -1;
	if (gsl_fit_linear(x, 1, y, 1, n, c0, c1, &cov00, &cov01, &cov11, &sumsq) != GSL_SUCCESS)
		return -1;
	/* gsl_fit_linear's cov11 is the variance of c1 from the residuals. */
	*c1_se = n > 2 && cov11 > 0 ? sqrt(cov11) : 0;
	return isfinite(*c0) && isfinite(*c1) ? 0 : -1;
}

int stats_fit_trend_weekly(const double *x, const double *y, size_t n, double *c1, double *c1_se)
{
	gsl_matrix *X, *cov;
	gsl_vector *Y, *c;
	gsl_multifit_linear_workspace *ws;
	double chisq;
	size_t i, k, seen[7] = {0};
	int rc = -1;

	for (i = 0; i < n; i++)
		seen[(size_t)fmod(x[i], 7)]++;
	for (k = 0; k < 7; k++)
		if (!seen[k])
			return -1;
	if (n < 9)
		return -1;
	X = gsl_matrix_calloc(n, 8);
	Y = gsl_vector_alloc(n);
	c = gsl_vector_alloc(8);
	cov = gsl_matrix_alloc(8, 8);
	ws = gsl_multifit_linear_alloc(n, 8);
	/* Columns: 1, x, and one indicator per weekday but the first (its
	 * level is the intercept's). */
	for (i = 0; i < n; i++) {
		size_t dow = (size_t)fmod(x[i], 7);

		gsl_matrix_set(X, i, 0, 1);
		gsl_matrix_set(X, i, 1, x[i]);
		if (dow)
			gsl_matrix_set(X, i, 1 + dow, 1);
		gsl_vector_set(Y, i, y[i]);
	}
	if (gsl_multifit_linear(X, Y, c, cov, &chisq, ws) == GSL_SUCCESS) {
		*c1 = gsl_vector_get(c, 1);
		*c1_se = gsl_matrix_get(cov, 1, 1) > 0 ? sqrt(gsl_matrix_get(cov, 1, 1)) : 0;
		rc = isfinite(*c1) ? 0 : -1;
	}
	gsl_multifit_linear_free(ws);
	gsl_matrix_free(cov);
	gsl_vector_free(c);
	gsl_vector_free(Y);
	gsl_matrix_free(X);
	return rc;
}

void stats_sort(double *v, size_t n)
{
	if (n > 1)
		gsl_sort(v, 1, n);
}

double stats_quantile_sorted(const double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	return gsl_stats_quantile_from_sorted_data(v, 1, n, q < 0 ? 0 : q > 1 ? 1 : q);
}

double stats_normal(struct stats_rng *r)
{
	return gsl_ran_ugaussian(r->r);
}
