/* The column helpers of core/util.h that the simulator's hot loops use
 * (sum_u64, below_2p52, u2d_column_sum, add_u2d_times): each against the
 * plain one-count-at-a-time expression it replaces, on counts around the
 * edges where the two-at-a-time paths stop being exact (2^52, 2^53, 2^63,
 * 2^64 - 1), on odd and even lengths, and on sums around 2^64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/util.h"

#define N 37

static const uint64_t EDGES[] = {
	0, 1, 2, 3, 1000, 4294967295u, 4294967296u, ((uint64_t)1 << 52) - 1, (uint64_t)1 << 52,
	((uint64_t)1 << 52) + 1, ((uint64_t)1 << 53) + 1, ((uint64_t)1 << 63) - 1, (uint64_t)1 << 63,
	UINT64_MAX,
};
#define NEDGES (sizeof EDGES / sizeof EDGES[0])

static uint64_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s;
}

/* Column k of the cases: small counts, with (from k >= 1) an edge value
 * at one place, so that each path sees it at an odd and an even index. */
static void column(size_t k, uint64_t *v, size_t n)
{
	uint64_t s = k + 1;
	size_t j;

	for (j = 0; j < n; j++)
		v[j] = rnd(&s) >> 40;	/* below 2^24 */
	if (k > 0 && n > 0)
		v[k % n] = EDGES[(k - 1) % NEDGES];
}

/* The sum with a wrap flag, one count at a time. */
static bool plain_sum(const uint64_t *v, size_t n, uint64_t *sum)
{
	uint64_t t = 0;
	bool wrap = false;
	size_t j;

	for (j = 0; j < n; j++)
		wrap |= (t += v[j]) < v[j];
	*sum = t;
	return !wrap;
}

static void sums(void **state)
{
	uint64_t v[N], a = 0, b = 0;
	size_t k, n;

	(void)state;
	for (n = 0; n <= N; n++)
		for (k = 0; k < 3 * NEDGES; k++) {
			bool ok;

			column(k, v, n);
			ok = plain_sum(v, n, &a);
			assert_int_equal(sum_u64(v, n, &b), ok);
			if (ok)
				assert_int_equal(a, b);
		}
	/* Around 2^64 exactly: 2^63 + (2^63 - 1) fits, one more wraps. */
	v[0] = (uint64_t)1 << 63;
	v[1] = ((uint64_t)1 << 63) - 1;
	v[2] = 0;
	assert_true(sum_u64(v, 3, &b));
	assert_true(b == UINT64_MAX);
	v[2] = 1;
	assert_false(sum_u64(v, 3, &b));
	/* Many counts whose low halves carry into the high ones. */
	for (n = 0; n < N; n++)
		v[n] = 0xFFFFFFFFu;
	assert_true(sum_u64(v, N, &b));
	assert_true(b == (uint64_t)N * 0xFFFFFFFFu);
}

static void conversions(void **state)
{
	uint64_t v[N];
	double x[N], y[N], ref[N];
	size_t k, n, j;

	(void)state;
	for (n = 0; n <= N; n++)
		for (k = 0; k < 3 * NEDGES; k++) {
			bool small = true;
			uint64_t tot = 0, want_tot;

			column(k, v, n);
			for (j = 0; j < n; j++)
				small = small && v[j] < ((uint64_t)1 << 52);
			assert_int_equal(below_2p52(v, n), small);
			/* Taken exactly when every count is below 2^52. */
			assert_int_equal(u2d_column_sum(v, n, x, &tot), small);
			for (j = 0, want_tot = 0; small && j < n; j++) {
				double want = (double)v[j];	/* the C conversion, rounded to nearest */

				want_tot += v[j];
				if (memcmp(&x[j], &want, sizeof want) != 0)
					fail_msg("u2d_column_sum: count %llu gave %.17g, not %.17g",
						 (unsigned long long)v[j], x[j], want);
			}
			if (small)
				assert_true(tot == want_tot);
			for (j = 0; j < n; j++)
				y[j] = ref[j] = 0.1 * (double)j - 1.7;
			add_u2d_times(y, v, n, 0.3, false);
			for (j = 0; j < n; j++)
				ref[j] += (double)v[j] * 0.3;
			assert_memory_equal(y, ref, n * sizeof *y);
			/* The first term: what adding it to +0 gives. */
			for (j = 0; j < n; j++) {
				y[j] = -1.0;	/* overwritten */
				ref[j] = 0.0;
			}
			add_u2d_times(y, v, n, 0.3, true);
			for (j = 0; j < n; j++)
				ref[j] += (double)v[j] * 0.3;
			assert_memory_equal(y, ref, n * sizeof *y);
		}
	/* Zero converts to +0, not -0. */
	v[0] = 0;
	v[1] = 0;
	v[2] = 0;
	{
		uint64_t tot;

		assert_true(u2d_column_sum(v, 3, x, &tot));
		assert_true(tot == 0);
	}
	assert_false(signbit(x[0]) || signbit(x[1]) || signbit(x[2]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sums),
		cmocka_unit_test(conversions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
