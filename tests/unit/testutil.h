/* Shared helpers for the cmocka unit tests: load a plan, simulate and
 * price it; look up line items; compare money to the cent. Tests run from
 * the repository root. */
#ifndef COSTCAP_TESTS_TESTUTIL_H
#define COSTCAP_TESTS_TESTUTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bill.h"
#include "core/sim.h"
#include "core/trace.h"
#include "io/plan_load.h"
#include "io/trace_csv.h"
#include "core/util.h"

/* A temporary file holding 'len' bytes; returns its path (remove and
 * free it with tu_rm_tmp). */
static inline char *tu_tmp_file(const char *data, size_t len)
{
	char *path = xstrdup("/tmp/costcap-test-XXXXXX");
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static inline void tu_rm_tmp(char *path)
{
	unlink(path);
	free(path);
}

static inline void tu_fail_errors(struct err *e, const char *what)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		char *s = err_format(e, i);

		fprintf(stderr, "%s\n", s);
		free(s);
	}
	err_clear(e);
	fail_msg("cannot run %s", what);
}

/* Loads 'path' (with optional --set assignments) and its trace, and
 * simulates it (warm, or cold); stores the plan and the usage. */
static inline void tu_simulate(const char *path, const char *const *sets, size_t nsets, bool cold,
			       struct plan **pp, struct usage **uu)
{
	struct err e = {0};
	struct trace *tr = NULL;
	struct sim_opts o;

	memset(&o, 0, sizeof o);
	o.seed = 1;
	o.cold = cold;
	setenv("COSTCAP_MODELS", "models", 0);
	if (plan_load(path, sets, nsets, NAN, pp, &e) < 0)
		tu_fail_errors(&e, path);
	if ((*pp)->trace && trace_load((*pp)->trace, 0, &tr, &e) < 0)
		tu_fail_errors(&e, path);
	o.trace = tr;
	if (sim_run(*pp, &o, uu, &e) < 0)
		tu_fail_errors(&e, path);
	trace_free(tr);
}

/* Loads 'path' (with optional --set assignments), simulates it and prices
 * it; fails the test with the loader's messages on error. */
static inline struct bill *tu_price_sets(const char *path, const char *const *sets, size_t nsets,
					 struct plan **out)
{
	struct usage *u = NULL;
	struct bill *b;

	tu_simulate(path, sets, nsets, false, out, &u);
	b = bill_price(*out, u);
	usage_free(u);
	return b;
}

static inline struct bill *tu_price(const char *path, struct plan **out)
{
	return tu_price_sets(path, NULL, 0, out);
}

/* The line item 'component' of resource 'res' (fails the test if absent). */
static inline const struct line_item *tu_item(const struct bill *b, const char *res,
					      const char *component)
{
	const struct bill_resource *r = bill_find(b, res);
	size_t i;

	if (!r)
		fail_msg("no resource '%s' in the bill", res);
	for (i = 0; i < r->nitems; i++)
		if (strcmp(r->items[i].component, component) == 0)
			return &r->items[i];
	fail_msg("no line item '%s' for '%s'", component, res);
	return NULL;
}

/* Whether resource 'res' has line item 'component'. */
static inline int tu_has_item(const struct bill *b, const char *res, const char *component)
{
	const struct bill_resource *r = bill_find(b, res);
	size_t i;

	for (i = 0; r && i < r->nitems; i++)
		if (strcmp(r->items[i].component, component) == 0)
			return 1;
	return 0;
}

/* Asserts that 'usd' rounds (half away from zero) to 'cents' cents. */
#define assert_cents(usd, cents) do { \
	double tu_v_ = (usd); \
	long tu_c_ = lround(tu_v_ * 100); \
	if (tu_c_ != (long)(cents)) \
		fail_msg("%s = %.6f rounds to %ld cents, expected %ld", #usd, tu_v_, tu_c_, (long)(cents)); \
} while (0)

/* Asserts |a - b| <= tol * max(1, |b|). */
#define assert_close(a, b, tol) do { \
	double tu_a_ = (a), tu_b_ = (b); \
	if (fabs(tu_a_ - tu_b_) > (tol) * fmax(1.0, fabs(tu_b_))) \
		fail_msg("%s = %.12g, expected %.12g", #a, tu_a_, tu_b_); \
} while (0)

#endif
