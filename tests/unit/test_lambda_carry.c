/* The carried concurrency of a block (lambda.c's carry_block) computed
 * four seconds at a time (AVX2, where the CPU has it), two at a time and
 * one at a time by the scalar sum must be the same doubles, to the bit:
 * lambda_step_block relies on it to give lambda_step's ticks. Arrivals mix
 * zeros, small counts, counts near 2^53 and arbitrary reals; kernels have
 * 1 to 48 weights of very different sizes (and real ones from
 * lambda_kernel), so that adding the products in another order would
 * round differently (checked: a plain running sum does differ). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/lambda.h"
#include "testutil.h"

#define NMAX 512
#define KMAX 48
#define PAD 3			/* x starts 0 .. PAD doubles in: every alignment */

/* A deterministic generator (64-bit LCG, high bits). */
static uint64_t rnd(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x >> 33;
}

/* A uniform double in [0, 1). */
static double unit(uint64_t *x)
{
	return (double)(rnd(x) & ((1u << 30) - 1)) / (double)(1u << 30);
}

/* An arrival count: zero (often, in runs), small, near 2^53 (whole, as
 * the block's doubles of uint64 counts are), or any real. */
static double arrival(uint64_t *x, double prev)
{
	switch (rnd(x) % 8) {
	case 0:
	case 1:
		return 0;
	case 2:
		return prev;
	case 3:
		return (double)(rnd(x) % 100);
	case 4:
		return 9007199254740992.0 - (double)(rnd(x) % 1000);
	case 5:
		return (double)(((uint64_t)1 << 53) + 2 * (rnd(x) % 1000));
	case 6:
		return unit(x) * 1e6;
	default:
		return (double)(rnd(x) % 100000) * 37.5;
	}
}

/* Sum of x[-k] c[k] for k = K-1 down to 1, one running sum: another order
 * than carried()'s four partial sums. */
static double plain_sum(const double *x, const double *cr, size_t K)
{
	double s = 0;
	size_t i;

	for (i = 0; i + 1 < K; i++)
		s += x[(ptrdiff_t)i - (ptrdiff_t)(K - 1)] * cr[i];
	return s;
}

static bool same(const double *a, const double *b, size_t n)
{
	return memcmp(a, b, n * sizeof *a) == 0;
}

/* One kernel against a few arrival series and every block length of
 * 'lens'; returns the number of seconds where plain_sum differs. */
static size_t check_kernel(const double *cr, size_t K, uint64_t *seed, bool wide)
{
	static const size_t lens[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 511, NMAX};
	static double buf[PAD + KMAX + NMAX], c1[NMAX + 1], c2[NMAX + 1], c4[NMAX + 1];
	size_t r, l, j, pad, diff = 0;

	assert_true(K >= 1 && K <= KMAX);
	for (r = 0; r < 6; r++) {
		double prev = 0, *x;

		pad = r % (PAD + 1);
		x = buf + pad + (K - 1);
		for (j = 0; j < K - 1 + NMAX; j++)
			buf[pad + j] = prev = arrival(seed, prev);
		for (l = 0; l < sizeof lens / sizeof lens[0]; l++) {
			size_t n = lens[l];

			memset(c1, 0xa5, sizeof c1);
			memset(c2, 0x5a, sizeof c2);
			memset(c4, 0x3c, sizeof c4);
			assert_true(lambda_carry_test(x, cr, K, n, c1, 1));
			assert_true(lambda_carry_test(x, cr, K, n, c2, 2));
			if (!same(c1, c2, n))
				fail_msg("2 lanes differ: K %zu, n %zu", K, n);
			if (wide) {
				assert_true(lambda_carry_test(x, cr, K, n, c4, 4));
				if (!same(c1, c4, n))
					fail_msg("4 lanes differ: K %zu, n %zu", K, n);
			}
			/* Nothing written beyond the block. */
			assert_true(((const unsigned char *)c1)[n * sizeof *c1] == 0xa5);
			assert_true(((const unsigned char *)c2)[n * sizeof *c2] == 0x5a);
			assert_true(((const unsigned char *)c4)[n * sizeof *c4] == 0x3c);
		}
		for (j = 0; j < NMAX; j++) {
			double p = plain_sum(x + j, cr, K);

			diff += memcmp(&p, &c1[j], sizeof p) != 0;
		}
	}
	return diff;
}

/* Whether the 4-lane path runs here (an empty block). */
static bool have_wide(void)
{
	double x = 0, c = 0;

	return lambda_carry_test(&x, &c, 1, 0, &c, 4);
}

static void lanes_agree(void **state)
{
	static const size_t ks[] = {1, 2, 3, 4, 5, 6, 8, 9, 17, 47, 48};
	double cr[KMAX];
	uint64_t seed = 2024;
	size_t t, i, diff = 0;
	bool wide = have_wide();

	(void)state;
	if (!wide)
		print_message("no AVX2 here: 2 lanes against the scalar sum only\n");
	for (t = 0; t < sizeof ks / sizeof ks[0]; t++) {
		size_t K = ks[t];

		/* Weights from about 1 down to 2^-40, as a long kernel's tail. */
		for (i = 0; i + 1 < K; i++)
			cr[i] = (unit(&seed) + 0.01) * ldexp(1, -(int)(rnd(&seed) % 40));
		diff += check_kernel(cr, K, &seed, wide);
	}
	/* The data tells the orders apart, so agreeing means something. */
	assert_true(diff > 0);
}

/* Real kernels, reversed as lambda.c keeps them. */
static void real_kernels(void **state)
{
	static const double p50[] = {1, 60, 150, 420, 1000, 5000};
	uint64_t seed = 77;
	size_t t, k;
	bool wide = have_wide();

	(void)state;
	for (t = 0; t < sizeof p50 / sizeof p50[0]; t++) {
		double cr[KMAX], *c;
		size_t K;

		c = lambda_kernel(p50[t], 3 * p50[t], 30000, &K);
		if (K > KMAX)
			K = KMAX;
		for (k = 0; k + 1 < K; k++)
			cr[k] = c[K - 1 - k];
		check_kernel(cr, K, &seed, wide);
		free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lanes_agree),
		cmocka_unit_test(real_kernels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
