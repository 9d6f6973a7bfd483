/* lambda: AWS Lambda concurrency second by second (reference/behaviour.md
 * §3.7, aggregate fast path): concurrency from arrivals convolved with the
 * duration distribution; limits from reserved concurrency, the account
 * quota shared by unreserved functions, provisioned concurrency (served
 * first, spilling over), the per-function scale-up rate, and the
 * 10 x concurrency requests-per-second rule; throttling near a limit by
 * Erlang B (Poisson arrivals) or the fluid excess (uniform arrivals); cold
 * starts from a warm pool with keep-alive; asynchronous events queued and
 * retried until their maximum age. */
#ifndef COSTCAP_CORE_LAMBDA_H
#define COSTCAP_CORE_LAMBDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "plan.h"

/* One second of one function, after lambda_account_step. */
struct lambda_tick {
	uint64_t offered;	/* arrivals this second (sync + async) */
	uint64_t ran;		/* invocations started */
	uint64_t ran_pc;	/* of which on provisioned concurrency */
	uint64_t throttled;	/* rejected for good (sync 429s, async events dropped) */
	uint64_t cold;		/* cold starts */
	uint64_t queued;	/* async events waiting after this second */
	double concurrency;	/* average concurrency in this second */
	double limit;		/* concurrency available to the function */
};

struct lambda_account;

/* Creates the Lambda state of all functions of plan 'p' (borrowed). The
 * warm start takes first[i], function i's arrivals in the first second:
 * the system starts in the steady state of that load. 'cold' starts from
 * nothing instead. day0: the time of day (UTC seconds after midnight) of
 * second 0, for daily provisioned-concurrency schedules; month_frac: the
 * window over 730 hours, for hours_per_month ones (0: 1). */
struct lambda_account *lambda_new(const struct plan *p, const uint64_t *first, bool cold, double day0,
				  double month_frac);
void lambda_free(struct lambda_account *a);

/* Simulates second 'sec' (0, 1, 2, ... in order): arrivals[i] is the
 * number of invocations offered to function i; fills out[i]. */
void lambda_step(struct lambda_account *a, double sec, const uint64_t *arrivals,
		 struct lambda_tick *out);

/* What a function's ticks of a block add up to, when lambda_step_block
 * ran it on its quiet path (every arrival admitted: none throttled,
 * nothing on PC, no queue). */
struct lambda_sums {
	bool valid;		/* false: add the ticks up */
	uint64_t offered;	/* = ran */
	uint64_t cold;
	double peak;		/* the highest concurrency */
};

/* Seconds sec0 .. sec0 + n - 1 at once, with the same results as n calls
 * of lambda_step: arrivals and out hold n rows of one entry per function
 * (row j is second sec0 + j). Faster when it can step the functions one
 * at a time (see lambda.c). With 'sums' (one per function, or NULL), a
 * function that ran quiet gets its sums there instead of its ticks in
 * 'out' (its entries are left as they were); without, every tick is
 * written. With 'ran' (or NULL), ran[i * n + j] is the tick's 'ran' of
 * function i in second j, for every function. */
void lambda_step_block(struct lambda_account *a, double sec0, size_t n, const uint64_t *arrivals,
		       struct lambda_tick *out, struct lambda_sums *sums, uint64_t *ran);

/* The part of a block that follows from the arrivals alone, which
 * another thread may work out ahead of Lambda: each function's arrivals
 * as a column (n seconds a function, i * n + j) of integers and of
 * doubles, their sum, whether one is too large for the quiet path, and
 * (when asked for) the concurrency carried into each second from the
 * earlier ones. Made by lambda_feed_block for lambda_step_prepared. */
struct lambda_prep {
	size_t n;		/* seconds */
	uint64_t *arr;		/* arrivals, a column per function */
	double *xin;		/* the same as doubles */
	uint64_t *tot;		/* per function: their sum */
	bool *big;		/* per function: one above 2^53, or a block over 2^10 s */
	double *carry;		/* a column per function */
	size_t ncarry;		/* functions whose carry is filled (the first ones;
				 * lambda_step_prepared works the others' out) */
	bool ran_in_arr;	/* the caller reads what a function ran as arr when
				 * its sums come back valid (it ran quiet: every
				 * arrival ran), so lambda_step_prepared does not copy
				 * arr to those 'ran' columns */
};

/* A prep for blocks of up to n seconds of nf functions. */
void lambda_prep_init(struct lambda_prep *pr, size_t nf, size_t n);
void lambda_prep_free(struct lambda_prep *pr);

/* What lambda_feed_block keeps from block to block: the arrivals of the
 * last seconds (as many as the longest kernel reaches back), and account
 * a's kernels, which stay as lambda_new made them. Made from a before a
 * block is stepped; it then holds what a's history holds. It reads
 * nothing of a that lambda_step_prepared changes, so the two may run on
 * two threads. */
struct lambda_feed;
struct lambda_feed *lambda_feed_new(const struct lambda_account *a);
void lambda_feed_free(struct lambda_feed *fd);
/* The next n seconds' arrivals (rows of one entry per function) into pr,
 * and the carry of the first 'ncarry' functions. With 'arrivals' NULL,
 * pr->arr holds them already (a column per function). */
void lambda_feed_block(struct lambda_feed *fd, size_t n, const uint64_t *arrivals, struct lambda_prep *pr,
		       size_t ncarry);
/* lambda_step_block, with the block's arrivals worked out already (pr,
 * from lambda_feed_block of the same arrivals in the same order of
 * blocks, which holds them: no rows are needed; the carry it left out is
 * added to pr): the same results to the bit. */
void lambda_step_prepared(struct lambda_account *a, double sec0, size_t n, struct lambda_prep *pr,
			  struct lambda_tick *out, struct lambda_sums *sums, uint64_t *ran);

/* Function-seconds that lambda_step_block ran on its quiet path (every
 * arrival admitted, no limit near); for tests and the bench. */
uint64_t lambda_quiet_seconds(const struct lambda_account *a);

/* The convolution weights of a duration distribution: c[k] = integral of
 * P(D > x) over [k, k+1) seconds, so that sum c[k] = E[D] in seconds.
 * Returns a new array of *n weights (the tail beyond 1e-9 of the mass is
 * folded into the last one). Exposed for tests. */
double *lambda_kernel(double p50_ms, double p95_ms, double cap_ms, size_t *n);

/* For tests only: carry[j] = the concurrency that x[j - (K - 1) .. j - 1]
 * carries into second j (cr: the kernel c[1..K) reversed), j = 0 .. n - 1,
 * computed as lambda_step_block does with 'lanes' seconds at a time: 1
 * (the scalar sum), 2 or 4 (AVX2). Returns false, carry untouched, when
 * that path is not available here. */
bool lambda_carry_test(const double *x, const double *cr, size_t K, size_t n, double *carry, int lanes);
/* For tests: whether account a's blocks may use AVX2 (as lambda_new
 * decides: where the CPU has it) or not; the results are the same either
 * way. Returns whether they now do. */
bool lambda_wide(struct lambda_account *a, bool wide);

#endif
