/* dynamo: one DynamoDB table and its GSIs, second by second. The rules and
 * their sources are in reference/behaviour.md §1.8 and §2.1; the choices
 * made where that text leaves room are listed in docs/dynamodb-model.md.
 *
 * Layout: a table and each GSI is a "resource" with its own partitions;
 * each resource has two independent "instances", reads and writes, each
 * with its own capacity, burst pool, auto scaling state, on-demand history
 * and billing counter. A step costs O(1) per instance: the partitions are
 * never walked one by one (with a hot key there are only two kinds of
 * partition, the hot key's and the others, and they are computed in closed
 * form), and every history (sliding-window burst, on-demand window and lag)
 * is a ring allocated in dynamo_new. dynamo_step never allocates. */
#include "dynamo.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Runs of seconds checked four at a time with AVX2 (steady4, od4), on
 * the CPUs that have it: chosen at run time. */
#if defined(__x86_64__) || defined(__i386__)
#define DYN_AVX2 1
#include <immintrin.h>
#endif

/* Slack for comparisons of sums of doubles against whole-number rules
 * (ceil(5000/3000 + 2000/1000) must be 4, not 5). */
#define EPS 1e-9

/* Auto-scaling changes in flight per instance (each waits for the alarm
 * and UpdateTable delays); a further change merges into the last one. */
#define MAX_PENDING 8

/* Longest ring (seconds of history) kept for a model time constant; a
 * longer burst window, on-demand window or lag is treated as this long. */
#define MAX_RING (1 << 25)

/* Partition count stops doubling here. */
#define MAX_PARTITIONS (1 << 24)

static inline double dmin(double a, double b)
{
	return a < b ? a : b;
}

static inline double dmax(double a, double b)
{
	return a > b ? a : b;
}

/* A burst pool: a token bucket (slot == NULL) or a sliding window of
 * per-second unused capacity that expires 'w' seconds later and is used
 * oldest first. */
struct pool {
	double sum;		/* units banked (bucket balance or window total) */
	double *slot;		/* sliding window: banked units per second, oldest at 'head' */
	int w;			/* window length in seconds (slots); 0 with no window */
	int head;		/* the oldest slot */
	int skip;		/* leading slots, from the oldest, known to be empty */
};

struct change {
	long long at;		/* second from which the new capacity is in force */
	double units;
};

/* Reads or writes of one table or GSI. */
struct inst {
	double P;		/* provisioned units in force */
	double configured;	/* units in the plan */
	double table_max;	/* model quota for this kind (per table incl. GSIs) */
	struct pool pool;	/* table-level pool (admission current) */
	struct pool hot, part;	/* admission legacy: the hot partition's pool, each other's */
	/* auto scaling (target tracking), evaluated per minute */
	double minute_sum;	/* units consumed in the open minute */
	long long minute;	/* index of the open minute */
	long long minute_end;	/* first second after it */
	int hi_run, lo_run;	/* consecutive datapoints above target / below target - gap */
	double hi_max;		/* largest minute average (units/s) in the high run */
	double *lo_last;	/* the low run's last lo_len minute averages (ring), NULL
				 * without auto scaling */
	int lo_len, lo_pos;	/* ceil(scale_in_minutes); the next slot */
	struct change pend[MAX_PENDING];
	int npend;
	/* on-demand */
	double floor;		/* new-table throughput */
	double limit;		/* min(table quota, max throughput setting) */
	double *win;		/* served units, last 'wlen' seconds */
	int wlen, wpos;
	double wsum, iwlen;	/* total, 1 / wlen */
	double *lag;		/* sustained values waiting out the lag */
	int llen, lpos;
	double peak;		/* largest sustained value at least the lag old */
	double ceiling;
	bool at_limit;		/* the ceiling is the quota or the max setting */
	/* billing */
	long long hour;		/* hour being billed, -1 before the first step */
	long long hour_end;	/* first second after it */
	double hour_max, unit_hours;
	long long next_event;	/* earliest of minute_end, hour_end, pend[0].at */
	/* this second */
	double dem;		/* offered units */
	double pc;		/* after partition caps */
	double hot_pc, part_pc;	/* the hot partition's share, each other partition's */
	double adm;		/* after the table bucket / per-partition allocation / ceiling */
	double hot_adm, part_adm;	/* legacy: admitted per hot / other partition */
	double served;		/* after GSI back-pressure */
	unsigned reasons;
};

/* The base table or one GSI. */
struct res {
	struct inst r, w;
	const struct autoscaling *as;	/* NULL when auto scaling is off */
	bool on_demand;
	int N;			/* partitions */
	double h;		/* share of traffic on the hottest key (base table only) */
	double storage_gb;
	double ec_share;	/* share of reads eventually consistent */
	double Rc, Wc;		/* per-partition caps (reads with the EC share) */
	double iRc, iWc, iN;	/* their reciprocals and 1/N, kept with N */
	double u;		/* share of the table's traffic on a partition without the hot key */
	double hot_mult;	/* share on the hot key's partition, h + u */
	double fu;		/* demand on a partition without the hot key, as a share of its cap */
	bool heat;		/* split for heat can apply (see res_heat) */
	bool dirty;		/* capacity changed: check the partition count */
	bool warmed;		/* state set before the first step: no warm restart */
	/* provisioned-capacity decreases, shared by reads and writes */
	double day0;		/* UTC time of day at second 0 (the days of the decrease limits) */
	long long dec_day;
	int dec_today, dec_total;
	double last_dec;
	/* split for heat */
	double heat_run;	/* consecutive seconds at or above the threshold */
	long long split_at;	/* second the pending split completes, -1 if none */
};

struct dynamo {
	const struct table *t;
	const struct dynamo_model *m;
	size_t nres;		/* 1 + GSIs; res[0] is the base table */
	struct res *res;
	double *gsi_read_frac;
	unsigned *gsi_read_reasons;
	bool cold, started;
	bool single;		/* no GSIs, provisioned, current admission, token bucket */
	bool avx2;		/* steady4 and od4 may run */
	long long now;		/* the last second stepped */
};

bool dynamo_wide = true;

/* ---- burst pools ---------------------------------------------------- */

/* The n values of a ring added in slot order (a window's total, summed
 * again once a window so that rounding cannot drift). */
static double ring_sum(const double *v, int n)
{
	double s = 0;
	int i;

	for (i = 0; i < n; i++)
		s += v[i];
	return s;
}

static int ring_len(double s)
{
	if (!(s >= 1))
		return 1;
	if (s > MAX_RING)
		return MAX_RING;
	return (int)lround(s);
}

static void pool_init(struct pool *p, const struct dynamo_model *m)
{
	memset(p, 0, sizeof *p);
	if (m->burst_form == BURST_SLIDING_WINDOW && m->burst_s >= 0.5) {
		p->w = ring_len(m->burst_s);
		p->slot = xcalloc((size_t)p->w, sizeof *p->slot);
		p->skip = p->w;
	}
}

static void pool_free(struct pool *p)
{
	free(p->slot);
	p->slot = NULL;
}

/* Empties the pool, then banks 'cap' units (spread evenly over the window
 * for the sliding form: a table idle for the whole window). */
static void pool_fill(struct pool *p, double cap)
{
	int i;

	if (cap < 0)
		cap = 0;
	if (!p->slot) {
		p->sum = cap;
		return;
	}
	for (i = 0; i < p->w; i++)
		p->slot[i] = cap / p->w;
	p->sum = cap;
	p->head = 0;
	p->skip = cap > 0 ? 0 : p->w;
}

/* Removes 'x' units, oldest first. */
static void pool_take(struct pool *p, double x)
{
	if (!(x > 0))
		return;
	if (!p->slot) {
		p->sum = p->sum > x ? p->sum - x : 0;
		return;
	}
	while (p->skip < p->w) {
		int i = p->head + p->skip;
		double v;

		if (i >= p->w)
			i -= p->w;
		v = p->slot[i];
		if (v > x) {
			p->slot[i] = v - x;
			p->sum -= x;
			if (p->sum < 0)
				p->sum = 0;
			return;
		}
		x -= v;
		p->sum -= v;
		p->slot[i] = 0;
		p->skip++;
		if (!(x > 0)) {
			if (p->sum < 0 || p->skip == p->w)
				p->sum = 0;
			return;
		}
	}
	p->sum = 0;
}

static void pool_clip(struct pool *p, double cap)
{
	if (p->sum > cap)
		pool_take(p, p->sum - cap);
}

/* One second at capacity 'P' that served 'S' units: spends S - P from the
 * pool when S > P, banks retention * (P - S) when S < P, and keeps the pool
 * within 'cap'. The sliding window also lets the oldest second expire. */
static inline void pool_step(struct pool *p, double P, double S, double retention, double cap)
{
	double dep = S < P ? retention * (P - S) : 0;

	if (!p->slot) {
		double b = p->sum + dep - (S > P ? S - P : 0);

		p->sum = b < 0 ? 0 : b > cap ? cap : b;
		return;
	}
	if (S > P)
		pool_take(p, S - P);
	/* The oldest slot (banked w seconds ago) was usable this second and
	 * now expires; the freed slot becomes the newest. */
	p->sum += dep - p->slot[p->head];
	p->slot[p->head] = dep;
	if (p->skip > 0)
		p->skip--;
	if (++p->head == p->w) {
		/* Once per window: recompute the total so rounding cannot drift. */
		p->head = 0;
		p->sum = ring_sum(p->slot, p->w);
	}
	if (p->sum < 0)
		p->sum = 0;
	if (p->sum > cap)
		pool_take(p, p->sum - cap);
}

/* Multiplies every banked unit by 'f' (a partition split halves each
 * partition's pool). O(window), only on splits. */
static void pool_scale(struct pool *p, double f)
{
	int i;

	p->sum *= f;
	for (i = 0; p->slot && i < p->w; i++)
		p->slot[i] *= f;
}

/* ---- partitions ----------------------------------------------------- */

static int clamp_partitions(double x)
{
	if (!(x >= 1))
		return 1;
	if (x > MAX_PARTITIONS)
		return MAX_PARTITIONS;
	return (int)x;
}

/* Partitions a resource needs for its capacity and size: the FACT-OLD
 * formula max(ceil(RCU/3000 + WCU/1000), ceil(GB/10), 1) for provisioned
 * tables (max instead of sum under the independent rule), and
 * max(ceil(R/3000), ceil(W/1000)) of the on-demand ceilings (§2.1 step 4). */
static int partitions_needed(const struct dynamo_model *m, const struct res *x, double rcu,
			     double wcu)
{
	double a = rcu / m->partition_rcu, b = wcu / m->partition_wcu;
	double n = (x->on_demand || m->partition_rule == PARTITION_INDEPENDENT) ? dmax(a, b) : a + b;

	n = ceil(n - EPS);
	if (x->storage_gb > 0 && m->partition_gb > 0)
		n = dmax(n, ceil(x->storage_gb / m->partition_gb - EPS));
	return clamp_partitions(n);
}

/* Recomputes the per-partition caps and the reciprocals the step uses
 * (after N or the EC share changes). */
static void res_caps(struct res *x, const struct dynamo_model *m)
{
	double mult = m->ec_read_partition_multiplier > 1 ? m->ec_read_partition_multiplier : 1;

	x->Rc = m->partition_rcu / ((1 - x->ec_share) + x->ec_share / mult);
	x->Wc = m->partition_wcu;
	x->iRc = 1 / x->Rc;
	x->iWc = 1 / x->Wc;
	x->iN = 1.0 / x->N;
	x->u = (1 - x->h) * x->iN;
	x->hot_mult = x->h + x->u;
	x->heat = m->split_heat_threshold > 0 && x->h < 1 && !(x->h > 0 && x->N == 1);
}

static double legacy_cap(const struct dynamo_model *m, const struct inst *in, int N)
{
	return m->burst_s * in->P / N;
}

/* Doubles the partition count once: every partition splits in two, and in
 * legacy admission each child keeps half its parent's burst pool. */
static void res_double(struct res *x, const struct dynamo_model *m)
{
	if (x->N >= MAX_PARTITIONS)
		return;
	x->N *= 2;
	res_caps(x, m);
	if (m->admission == ADMISSION_LEGACY && !x->on_demand) {
		pool_scale(&x->r.hot, 0.5);
		pool_scale(&x->r.part, 0.5);
		pool_scale(&x->w.hot, 0.5);
		pool_scale(&x->w.part, 0.5);
	}
}

/* Partitions are never merged; a raise that needs more doubles the count
 * until it is enough. */
static void res_grow(struct res *x, const struct dynamo_model *m)
{
	int need = x->on_demand ? partitions_needed(m, x, x->r.ceiling, x->w.ceiling)
				: partitions_needed(m, x, x->r.P, x->w.P);

	while (x->N < need && x->N < MAX_PARTITIONS)
		res_double(x, m);
	x->dirty = false;
}

/* Applies the per-partition cap to reads 'r' and writes 'w' on one
 * partition (or one item): linear r/Rc + w/Wc <= 1, scaling both down in
 * proportion, or independent caps. */
static inline bool cap_pair(double *r, double *w, const struct res *x, bool linear)
{
	bool cut = false;

	if (linear) {
		double f = *r * x->iRc + *w * x->iWc;

		if (f > 1 + 1e-12) {
			f = 1 / f;
			*r *= f;
			*w *= f;
			cut = true;
		}
	} else {
		if (*r > x->Rc) {
			*r = x->Rc;
			cut = true;
		}
		if (*w > x->Wc) {
			*w = x->Wc;
			cut = true;
		}
	}
	return cut;
}

/* Spreads this second's demand over the partitions and applies the hard
 * per-partition caps. The hottest key takes share h of the traffic and
 * lives on one partition together with its uniform share (1 - h) / N of
 * the rest; the other N - 1 partitions get (1 - h) / N each. The hot key
 * alone never exceeds a partition's cap (one item is never split), and
 * burst capacity does not lift these caps. Fills r.pc, w.pc and the
 * per-partition figures used by legacy admission. */
static void res_partition_caps(struct res *x, const struct dynamo_model *m)
{
	bool linear = m->partition_rule == PARTITION_LINEAR;
	double h = x->h, u = (1 - h) * x->iN;
	double ur = u * x->r.dem, uw = u * x->w.dem;		/* per partition */
	double kr, kw, hr, hw;
	bool cut;

	x->fu = linear ? ur * x->iRc + uw * x->iWc : dmax(ur * x->iRc, uw * x->iWc);
	if (h == 0) {
		/* Uniform traffic: every partition alike. Uncut demand is
		 * passed on exactly (N x (d / N) need not be d). */
		if (x->fu <= 1 + 1e-12) {
			x->r.pc = x->r.hot_pc = x->r.part_pc = x->r.dem;
			x->w.pc = x->w.hot_pc = x->w.part_pc = x->w.dem;
			if (x->N > 1) {
				x->r.hot_pc = x->r.part_pc = ur;
				x->w.hot_pc = x->w.part_pc = uw;
			}
			return;
		}
		cap_pair(&ur, &uw, x, linear);
		x->r.hot_pc = x->r.part_pc = ur;
		x->w.hot_pc = x->w.part_pc = uw;
		x->r.pc = dmin(x->r.dem, x->N * ur);
		x->w.pc = dmin(x->w.dem, x->N * uw);
		return;
	}
	kr = h * x->r.dem;	/* the hot key */
	kw = h * x->w.dem;
	cut = cap_pair(&kr, &kw, x, linear);
	hr = kr + ur;
	hw = kw + uw;
	cut |= cap_pair(&hr, &hw, x, linear);
	cut |= cap_pair(&ur, &uw, x, linear);
	x->r.hot_pc = hr;
	x->w.hot_pc = hw;
	x->r.part_pc = ur;
	x->w.part_pc = uw;
	x->r.pc = cut ? dmin(x->r.dem, hr + (x->N - 1) * ur) : x->r.dem;
	x->w.pc = cut ? dmin(x->w.dem, hw + (x->N - 1) * uw) : x->w.dem;
}

/* ---- auto scaling --------------------------------------------------- */

/* Clamps a wanted capacity to the policy's [min, max], the model's
 * minimum, and what the table quota (table plus GSIs) leaves. */
static double as_clamp(const struct dynamo *d, const struct res *x, const struct inst *in,
		       double units, bool write)
{
	double room = in->table_max;
	size_t i;

	for (i = 0; i < d->nres; i++) {
		const struct res *o = &d->res[i];

		if (o != x && !o->on_demand)
			room -= write ? o->w.P : o->r.P;
	}
	units = fmax(units, x->as->min);
	units = fmin(units, x->as->max);
	units = fmin(units, room);
	return fmax(units, fmax(d->m->min_units, 0));
}

static double as_units(double consumed_per_s, double target)
{
	return ceil(consumed_per_s / target - EPS);
}

static void as_enqueue(struct inst *in, long long at, double units)
{
	if (in->npend == MAX_PENDING) {
		in->pend[MAX_PENDING - 1].units = units;
		return;
	}
	in->pend[in->npend].at = at;
	in->pend[in->npend].units = units;
	in->npend++;
}

static double as_highest_pending(const struct inst *in)
{
	double v = in->P;
	int i;

	for (i = 0; i < in->npend; i++)
		v = fmax(v, in->pend[i].units);
	return v;
}

/* Whether a decrease decided at second 'td' is within the limits: up to
 * decreases_first_hour in the first hour of the UTC day, else one if none
 * happened in the previous decrease_interval_s. */
static bool dec_allowed(struct res *x, const struct autoscaling_model *A, double td)
{
	double clock = td + x->day0;
	long long day = (long long)floor(clock / 86400);

	if (day != x->dec_day) {
		x->dec_day = day;
		x->dec_today = 0;
	}
	if (clock - day * 86400.0 < 3600 && x->dec_today < A->decreases_first_hour)
		return true;
	return x->dec_total == 0 || td - x->last_dec >= A->decrease_interval_s;
}

static void dec_count(struct res *x, double td)
{
	long long day = (long long)floor((td + x->day0) / 86400);

	if (day != x->dec_day) {
		x->dec_day = day;
		x->dec_today = 0;
	}
	x->dec_today++;
	x->dec_total++;
	x->last_dec = td;
}

static void as_reset_runs(struct inst *in)
{
	in->hi_run = in->lo_run = 0;
	in->hi_max = 0;
}

/* A datapoint of the low run: the ring keeps the last lo_len. */
static void as_low_push(struct inst *in, double avg)
{
	in->lo_last[in->lo_pos] = avg;
	if (++in->lo_pos == in->lo_len)
		in->lo_pos = 0;
	in->lo_run++;
}

/* The largest of the low run's last scale_in_minutes datapoints: those the
 * alarm that fires now has seen (a run kept low past a refused decrease
 * is longer, and its older datapoints no longer count). */
static double as_low_max(const struct inst *in)
{
	int n = in->lo_run < in->lo_len ? in->lo_run : in->lo_len, i, j = in->lo_pos;
	double v = 0;

	for (i = 0; i < n; i++) {
		j = j == 0 ? in->lo_len - 1 : j - 1;
		v = fmax(v, in->lo_last[j]);
	}
	return v;
}

/* Closes minute 'in->minute': one CloudWatch datapoint U = consumed / 60
 * / P, then the high alarm (U > target for scale_out_minutes datapoints)
 * or the low alarm (U < target - gap for scale_in_minutes datapoints).
 * A minute with no consumption is no datapoint unless scale_in_on_zero. */
static void as_close_minute(struct dynamo *d, struct res *x, struct inst *in, bool write)
{
	const struct autoscaling_model *A = &d->m->autoscaling;
	const struct autoscaling *as = x->as;
	double avg = in->minute_sum / 60, U, want;
	double t_alarm = 60.0 * (double)(in->minute + 1);

	if (!(avg > 0) && !A->scale_in_on_zero)
		return;
	U = in->P > 0 ? avg / in->P : (avg > 0 ? INFINITY : 0);
	if (U > as->target) {
		in->hi_run++;
		in->hi_max = fmax(in->hi_max, avg);
	} else {
		in->hi_run = 0;
		in->hi_max = 0;
	}
	if (U < as->target - A->scale_in_gap)
		as_low_push(in, avg);
	else
		in->lo_run = 0;
	if (in->hi_run >= A->scale_out_minutes) {
		/* Scale out: C is the largest datapoint of the alarm's run. */
		want = as_clamp(d, x, in, as_units(in->hi_max, as->target), write);
		if (want > as_highest_pending(in))
			as_enqueue(in, (long long)ceil(t_alarm + A->alarm_delay_s + A->update_delay_s - EPS),
				   want);
		as_reset_runs(in);
	} else if (in->lo_run >= A->scale_in_minutes) {
		double td = t_alarm + A->alarm_delay_s;

		/* C is the largest of the datapoints the alarm fired on,
		 * the last scale_in_minutes of the run (behaviour.md §1.7). */
		want = as_clamp(d, x, in, as_units(as_low_max(in), as->target), write);
		if (!(want < in->P) || in->npend > 0) {
			as_reset_runs(in);
		} else if (dec_allowed(x, A, td)) {
			dec_count(x, td);
			as_enqueue(in, (long long)ceil(td + A->update_delay_s - EPS), want);
			as_reset_runs(in);
		}
		/* A refused decrease keeps the alarm in ALARM: it is retried at
		 * the next minute while the datapoints stay low. */
	}
}

/* Puts 'units' in force: the burst cap follows, the alarms start over. */
static void inst_set_P(struct dynamo *d, struct res *x, struct inst *in, double units)
{
	const struct dynamo_model *m = d->m;

	if (units == in->P)
		return;
	in->P = units;
	pool_clip(&in->pool, m->burst_s * units);
	if (m->admission == ADMISSION_LEGACY) {
		pool_clip(&in->hot, legacy_cap(m, in, x->N));
		pool_clip(&in->part, legacy_cap(m, in, x->N));
	}
	as_reset_runs(in);
	x->dirty = true;
}

/* ---- state at t = 0 ------------------------------------------------- */

/* Allocates the rings a mode uses: burst pools for provisioned tables
 * (and the low alarm's last datapoints when 'autoscaled'), the sustained
 * window and lag line for on-demand ones. */
static void inst_alloc(struct inst *in, const struct dynamo_model *m, bool on_demand,
		       bool autoscaled)
{
	if (on_demand) {
		in->wlen = ring_len(m->on_demand_window_s);
		in->iwlen = 1.0 / in->wlen;
		in->llen = ring_len(m->on_demand_lag_s);
		in->win = xcalloc((size_t)in->wlen, sizeof *in->win);
		in->lag = xcalloc((size_t)in->llen, sizeof *in->lag);
		return;
	}
	pool_init(&in->pool, m);
	if (m->admission == ADMISSION_LEGACY) {
		pool_init(&in->hot, m);
		pool_init(&in->part, m);
	}
	if (autoscaled) {
		double k = ceil(m->autoscaling.scale_in_minutes - EPS);

		in->lo_len = k >= 1 ? (k < MAX_RING ? (int)k : MAX_RING) : 1;
		in->lo_last = xcalloc((size_t)in->lo_len, sizeof *in->lo_last);
	}
}

static void inst_free(struct inst *in)
{
	pool_free(&in->pool);
	pool_free(&in->hot);
	pool_free(&in->part);
	free(in->win);
	free(in->lag);
	free(in->lo_last);
}

static void ondemand_ceiling(struct inst *in)
{
	double c = fmax(in->floor, 2 * in->peak);

	in->at_limit = c > in->limit;
	in->ceiling = in->at_limit ? in->limit : c;
}

/* (Re)starts the dynamic state of one instance at first-second load
 * 'load': warm (in the steady state of that load) or cold (a new table).
 * The pools are filled by res_start once the partitions are known. */
static void inst_start(const struct dynamo *d, const struct res *x, struct inst *in, double load,
		       bool cold)
{
	const struct autoscaling_model *A = &d->m->autoscaling;
	int i;

	in->P = in->configured;
	in->minute_sum = 0;
	in->minute = 0;
	in->minute_end = 60;
	as_reset_runs(in);
	in->npend = 0;
	in->hour = -1;
	in->hour_end = 0;
	in->next_event = 0;
	in->hour_max = in->unit_hours = 0;
	if (!(load > 0))
		load = 0;
	if (x->on_demand) {
		double v = cold ? 0 : load;

		for (i = 0; i < in->wlen; i++)
			in->win[i] = v;
		for (i = 0; i < in->llen; i++)
			in->lag[i] = v;
		in->wsum = v * in->wlen;
		in->wpos = in->lpos = 0;
		in->peak = v;
		ondemand_ceiling(in);
		return;
	}
	if (x->as && !cold) {
		in->P = fmin(fmax(as_units(load, x->as->target), x->as->min), x->as->max);
		in->P = fmax(fmin(in->P, in->table_max), d->m->min_units);
		/* The alarms have seen this load forever: a run one short of
		 * firing, so a first minute at the same load changes nothing. */
		if (load > 0 || A->scale_in_on_zero) {
			double U = in->P > 0 ? load / in->P : 0;

			if (U > x->as->target) {
				in->hi_run = (int)ceil(A->scale_out_minutes) - 1;
				in->hi_max = load;
			}
			if (U < x->as->target - A->scale_in_gap) {
				int k;

				for (k = 1; k < in->lo_len; k++)
					as_low_push(in, load);
			}
		}
	}
}

static void res_start(const struct dynamo *d, struct res *x, double rload, double wload, bool cold)
{
	const struct dynamo_model *m = d->m;
	struct inst *ins[2] = {&x->r, &x->w};
	int k;

	inst_start(d, x, &x->r, rload, cold);
	inst_start(d, x, &x->w, wload, cold);
	x->N = x->on_demand ? partitions_needed(m, x, x->r.ceiling, x->w.ceiling)
			    : partitions_needed(m, x, x->r.P, x->w.P);
	res_caps(x, m);
	x->dirty = false;
	x->dec_day = 0;
	x->dec_today = x->dec_total = 0;
	x->last_dec = 0;
	x->heat_run = 0;
	x->split_at = -1;
	for (k = 0; k < 2; k++) {
		struct inst *in = ins[k];
		double full = cold || x->on_demand ? 0 : 1;

		pool_fill(&in->pool, full * m->burst_s * in->P);
		if (m->admission == ADMISSION_LEGACY) {
			pool_fill(&in->hot, full * legacy_cap(m, in, x->N));
			pool_fill(&in->part, full * legacy_cap(m, in, x->N));
		}
	}
}

static void res_setup(struct res *x, const struct dynamo_model *m, bool on_demand, double rcu,
		      double wcu, const struct autoscaling *as)
{
	memset(x, 0, sizeof *x);
	x->on_demand = on_demand;
	x->as = (!on_demand && as && as->on && as->target > 0) ? as : NULL;
	x->r.configured = on_demand ? 0 : rcu;
	x->w.configured = on_demand ? 0 : wcu;
	x->r.table_max = m->table_max_rcu;
	x->w.table_max = m->table_max_wcu;
	x->r.floor = m->on_demand_initial_rru;
	x->w.floor = m->on_demand_initial_wru;
	x->r.limit = m->table_max_rcu;
	x->w.limit = m->table_max_wcu;
	inst_alloc(&x->r, m, on_demand, x->as != NULL);
	inst_alloc(&x->w, m, on_demand, x->as != NULL);
}

struct dynamo *dynamo_new(const struct table *t, const struct dynamo_model *m,
			  double warm_read, double warm_write, bool cold)
{
	struct dynamo *d = xcalloc(1, sizeof *d);
	bool od = t->mode == MODE_ON_DEMAND;
	size_t g;

	d->t = t;
	d->m = m;
	d->cold = cold;
	d->nres = 1 + t->ngsis;
	d->res = xcalloc(d->nres, sizeof *d->res);
	d->gsi_read_frac = xcalloc(t->ngsis ? t->ngsis : 1, sizeof *d->gsi_read_frac);
	d->gsi_read_reasons = xcalloc(t->ngsis ? t->ngsis : 1, sizeof *d->gsi_read_reasons);

	res_setup(&d->res[0], m, od, t->rcu, t->wcu, &t->autoscaling);
	d->res[0].h = fmin(fmax(t->hot_key_share, 0), 1);
	d->res[0].storage_gb = t->storage_gb;
	if (od) {
		if (t->max_read_units > 0)
			d->res[0].r.limit = fmin(d->res[0].r.limit, t->max_read_units);
		if (t->max_write_units > 0)
			d->res[0].w.limit = fmin(d->res[0].w.limit, t->max_write_units);
	}
	res_start(d, &d->res[0], warm_read, warm_write, cold);
	for (g = 0; g < t->ngsis; g++) {
		struct res *x = &d->res[1 + g];

		res_setup(x, m, od, t->gsis[g].rcu, t->gsis[g].wcu, &t->gsis[g].autoscaling);
		x->ec_share = 1;	/* GSI reads are always eventually consistent */
		/* Warmed again from the first second's GSI demand in dynamo_step. */
		res_start(d, x, 0, 0, cold);
	}
#ifdef DYN_AVX2
	d->avx2 = dynamo_wide && __builtin_cpu_supports("avx2");
#endif
	d->single = t->ngsis == 0 && !od && m->admission == ADMISSION_CURRENT &&
		    !d->res[0].r.pool.slot;
	return d;
}

void dynamo_free(struct dynamo *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->nres; i++) {
		inst_free(&d->res[i].r);
		inst_free(&d->res[i].w);
	}
	free(d->res);
	free(d->gsi_read_frac);
	free(d->gsi_read_reasons);
	free(d);
}

/* ---- one second ----------------------------------------------------- */

/* The sustained value that has just become old enough joins the previous
 * peak; a higher ceiling may need more partitions. */
static inline void od_begin(struct res *x, struct inst *in)
{
	double v = in->lag[in->lpos];

	if (v > in->peak) {
		double old = in->ceiling;

		in->peak = v;
		ondemand_ceiling(in);
		if (in->ceiling > old)
			x->dirty = true;
	}
}

/* Minute boundaries, auto-scaling changes coming into force and hour
 * boundaries of a provisioned instance; runs only when one is due. */
static void inst_events(struct dynamo *d, struct res *x, struct inst *in, long long t, bool write)
{
	if (t >= in->minute_end) {
		if (x->as)
			as_close_minute(d, x, in, write);
		in->minute_sum = 0;
		in->minute = t / 60;
		in->minute_end = 60 * (in->minute + 1);
	}
	while (in->npend > 0 && in->pend[0].at <= t) {
		double u = in->pend[0].units;

		in->npend--;
		memmove(in->pend, in->pend + 1, (size_t)in->npend * sizeof *in->pend);
		inst_set_P(d, x, in, u);
	}
	if (t >= in->hour_end) {
		if (in->hour >= 0)
			in->unit_hours += in->hour_max;
		in->hour = t / 3600;
		in->hour_end = 3600 * (in->hour + 1);
		in->hour_max = in->P;
	} else if (in->P > in->hour_max) {
		in->hour_max = in->P;
	}
	in->next_event = in->minute_end < in->hour_end ? in->minute_end : in->hour_end;
	if (in->npend > 0 && in->pend[0].at < in->next_event)
		in->next_event = in->pend[0].at;
}

/* Before admission: the on-demand ceiling from the lagged peak, or the
 * provisioned instance's due events. P changes only at events, so between
 * them the hour's maximum needs no update. */
static inline void inst_begin(struct dynamo *d, struct res *x, struct inst *in, long long t,
			      bool write)
{
	if (x->on_demand) {
		od_begin(x, in);
		return;
	}
	if (t >= in->next_event)
		inst_events(d, x, in, t, write);
}

/* What the table bucket (or, in legacy admission, each partition's
 * allocation and pool; or the on-demand ceiling) admits of the demand
 * left after the partition caps. */
static inline void inst_admit(const struct dynamo_model *m, const struct res *x, struct inst *in)
{
	double tiny, lim;
	unsigned over;

	if (x->on_demand) {
		lim = in->ceiling;
		over = in->at_limit ? DDB_THROTTLE_QUOTA : DDB_THROTTLE_ON_DEMAND;
	} else if (m->admission == ADMISSION_LEGACY) {
		double a = in->P * x->iN;

		in->hot_adm = dmin(in->hot_pc, a + m->burst_availability * in->hot.sum);
		in->part_adm = dmin(in->part_pc, a + m->burst_availability * in->part.sum);
		if (in->hot_adm >= in->hot_pc && in->part_adm >= in->part_pc)
			in->adm = in->pc;	/* no partition short: exactly */
		else
			in->adm = dmin(in->pc, in->hot_adm + (x->N - 1) * in->part_adm);
		tiny = 1e-9 * (in->dem > 1 ? in->dem : 1);
		in->reasons = 0;
		if (in->pc < in->dem - tiny)
			in->reasons |= DDB_THROTTLE_KEY_RANGE;
		if (in->adm < in->pc - tiny)
			in->reasons |= DDB_THROTTLE_CAPACITY;
		return;
	} else {
		lim = in->P + m->burst_availability * in->pool.sum;
		over = DDB_THROTTLE_CAPACITY;
	}
	if (in->pc >= in->dem && lim >= in->dem) {	/* nothing throttled */
		in->adm = in->dem;
		in->reasons = 0;
		return;
	}
	in->adm = dmin(in->pc, lim);
	/* Units over the table-level limit are throttled for that reason; the
	 * partitions are blamed only for what they cut below it (uniform
	 * traffic on an on-demand table meets both at the same level). */
	tiny = 1e-9 * (in->dem > 1 ? in->dem : 1);
	in->reasons = 0;
	if (lim < in->dem - tiny)
		in->reasons |= over;
	if (in->pc < dmin(in->dem, lim) - tiny)
		in->reasons |= DDB_THROTTLE_KEY_RANGE;
}

/* An on-demand instance's sliding window and lag line, as locals: od_run's
 * loop keeps them in registers, where the stores of each second's
 * fractions would otherwise make the compiler reload them from the
 * instance every second (od_book gets and puts them for one second). */
struct od_hist {
	double *win, *lag, wsum, iwlen, peak, ceiling;
	int wlen, wpos, llen, lpos;
};

static inline struct od_hist od_hist_get(const struct inst *in)
{
	return (struct od_hist){.win = in->win, .lag = in->lag, .wsum = in->wsum, .iwlen = in->iwlen,
				.peak = in->peak, .ceiling = in->ceiling, .wlen = in->wlen, .wpos = in->wpos,
				.llen = in->llen, .lpos = in->lpos};
}

/* Writes h's moving parts back to in. */
static inline void od_hist_put(const struct od_hist *h, struct inst *in)
{
	in->wsum = h->wsum;
	in->wpos = h->wpos;
	in->lpos = h->lpos;
}

/* The served units S enter h's sustained average, and the average its
 * lag line; once a window, the total is summed again so that rounding
 * cannot drift. */
static inline void od_hist_book(struct od_hist *h, double S)
{
	h->wsum += S - h->win[h->wpos];
	h->win[h->wpos] = S;
	if (++h->wpos == h->wlen) {
		h->wpos = 0;
		h->wsum = ring_sum(h->win, h->wlen);
	}
	h->lag[h->lpos] = h->wsum * h->iwlen;
	if (++h->lpos == h->llen)
		h->lpos = 0;
}

/* On-demand history: the served units enter the sustained average, and
 * the average enters the lag line that feeds the previous peak. */
static inline void od_book(struct inst *in, double S)
{
	struct od_hist h = od_hist_get(in);

	od_hist_book(&h, S);
	od_hist_put(&h, in);
}

/* Books what was served: burst pools, the minute's consumption, the
 * on-demand history. */
static inline void inst_end(const struct dynamo_model *m, const struct res *x, struct inst *in)
{
	double S = in->served;

	if (x->on_demand) {
		od_book(in, S);
		return;
	}
	in->minute_sum += S;
	if (m->admission == ADMISSION_LEGACY) {
		double a = in->P * x->iN, cap = m->burst_s * a;
		double k = S >= in->adm ? 1 : in->adm > 0 ? S / in->adm : 0;

		pool_step(&in->hot, a, in->hot_adm * k, m->burst_retention, cap);
		if (x->N > 1)
			pool_step(&in->part, a, in->part_adm * k, m->burst_retention, cap);
	} else if (!in->pool.slot) {
		/* Token bucket, inline: bank retention x unused, spend the excess. */
		double P = in->P, cap = m->burst_s * P;
		double b = in->pool.sum + (S < P ? m->burst_retention * (P - S) : P - S);

		in->pool.sum = b < 0 ? 0 : b > cap ? cap : b;
	} else {
		pool_step(&in->pool, in->P, S, m->burst_retention, m->burst_s * in->P);
	}
}

/* Split for heat: when the partitions without the hot key run at or above
 * split_heat_threshold of their cap for split_heat_sustain_s seconds, each
 * splits in two after split_heat_delay_s. The hot key's partition is not
 * split for its key: one item cannot be split. */
static void res_heat(const struct dynamo_model *m, struct res *x, long long t)
{
	double fr, fw, lr, lw, load;

	if (!x->heat || x->split_at >= 0)
		return;
	if (x->fu < m->split_heat_threshold - EPS) {	/* served <= demand */
		x->heat_run = 0;
		return;
	}
	/* Each such partition's share of what was served, as parts of its cap. */
	fr = x->r.served >= x->r.pc ? 1 : x->r.pc > 0 ? x->r.served / x->r.pc : 0;
	fw = x->w.served >= x->w.pc ? 1 : x->w.pc > 0 ? x->w.served / x->w.pc : 0;
	lr = x->r.part_pc * fr * x->iRc;
	lw = x->w.part_pc * fw * x->iWc;
	load = m->partition_rule == PARTITION_LINEAR ? lr + lw : dmax(lr, lw);
	if (load >= m->split_heat_threshold - EPS) {
		x->heat_run += 1;
		if (x->heat_run >= m->split_heat_sustain_s)
			x->split_at = t + 1 + (long long)ceil(m->split_heat_delay_s);
	} else {
		x->heat_run = 0;
	}
}

/* A second served in full with the partitions at x->fu of their caps:
 * the run of hot seconds that splits them goes on or ends (res_heat's
 * rule, without the cut partitions' shares: none was cut). */
static inline void heat_second(const struct dynamo_model *m, struct res *x, long long t)
{
	if (x->fu >= m->split_heat_threshold - EPS) {
		x->heat_run += 1;
		if (x->heat_run >= m->split_heat_sustain_s)
			x->split_at = t + 1 + (long long)ceil(m->split_heat_delay_s);
	} else {
		x->heat_run = 0;
	}
}

static inline double frac(double served, double dem)
{
	return served >= dem ? 1 : dem > 0 ? served / dem : 1;
}

/* Books a second served in full on a token bucket, as inst_end would. */
static inline void fast_book(struct inst *in, double S, double burst_s, double rho)
{
	double P = in->P, cap = burst_s * P;
	double b = in->pool.sum + (S < P ? rho * (P - S) : P - S);

	in->minute_sum += S;
	in->pool.sum = b < 0 ? 0 : b > cap ? cap : b;
}

/* Books a second served in full for the sliding window or legacy
 * admission, as inst_end would. */
static void slow_book(const struct dynamo_model *m, const struct res *x, struct inst *in)
{
	double S = in->dem;

	in->minute_sum += S;
	if (m->admission == ADMISSION_LEGACY) {
		double a = in->P * x->iN, cap = m->burst_s * a, ur = x->u * S;

		pool_step(&in->hot, a, x->h > 0 ? x->h * S + ur : (x->N > 1 ? ur : S),
			  m->burst_retention, cap);
		if (x->N > 1)
			pool_step(&in->part, a, ur, m->burst_retention, cap);
	} else {
		pool_step(&in->pool, in->P, S, m->burst_retention, m->burst_s * in->P);
	}
}

/* The common second: no partition cut, no auto-scaling event due, and
 * every demand within capacity plus burst (provisioned; in legacy
 * admission, every partition within its share) or within the ceiling
 * (on-demand). Checks everything first and changes nothing the general
 * path would not change first too, unless the whole second qualifies; then
 * books exactly what the general path would (served = demand everywhere,
 * fractions 1, no reasons). Returns false to send the second down the
 * general path. */
static inline bool step_fast(struct dynamo *d, long long t, const struct dynamo_demand *dem,
			     struct dynamo_tick *out)
{
	const struct dynamo_model *m = d->m;
	bool linear = m->partition_rule == PARTITION_LINEAR;
	bool legacy = m->admission == ADMISSION_LEGACY;
	double avail = m->burst_availability;
	size_t i;

	for (i = 0; i < d->nres; i++) {
		struct res *x = &d->res[i];
		double r, w, D;

		if (i == 0) {
			r = dem->read_units;
			w = dem->write_units;
		} else {
			r = dem->gsi_read_units ? dem->gsi_read_units[i - 1] : 0;
			w = dem->gsi_write_units ? dem->gsi_write_units[i - 1] : 0;
		}
		if (!(r >= 0 && w >= 0) || x->split_at >= 0)
			return false;
		if (x->on_demand) {
			/* The general path would do this first too. */
			od_begin(x, &x->r);
			od_begin(x, &x->w);
			if (x->dirty || r > x->r.ceiling || w > x->w.ceiling)
				return false;
		} else if (t >= x->r.next_event || t >= x->w.next_event || x->dirty) {
			return false;
		} else if (!legacy) {
			if (r > x->r.P + avail * x->r.pool.sum || w > x->w.P + avail * x->w.pool.sum)
				return false;
		} else {
			/* Each partition within its allocation plus its pool, computed
			 * as the general path does (hot key + its uniform share). */
			double ar = x->r.P * x->iN, aw = x->w.P * x->iN;
			double ur = x->u * r, uw = x->u * w;

			if (x->h * r + ur > ar + avail * x->r.hot.sum ||
			    x->h * w + uw > aw + avail * x->w.hot.sum ||
			    (x->N > 1 && (ur > ar + avail * x->r.part.sum ||
					  uw > aw + avail * x->w.part.sum)))
				return false;
		}
		D = linear ? r * x->iRc + w * x->iWc : dmax(r * x->iRc, w * x->iWc);
		if (x->hot_mult * D > 1 + 1e-12)
			return false;
		x->r.dem = r;
		x->w.dem = w;
		x->fu = x->u * D;
	}
	for (i = 0; i < d->nres; i++) {
		struct res *x = &d->res[i];

		if (x->on_demand) {
			od_book(&x->r, x->r.dem);
			od_book(&x->w, x->w.dem);
		} else if (!legacy && !x->r.pool.slot) {
			fast_book(&x->r, x->r.dem, m->burst_s, m->burst_retention);
			fast_book(&x->w, x->w.dem, m->burst_s, m->burst_retention);
		} else {
			slow_book(m, x, &x->r);
			slow_book(m, x, &x->w);
		}
		if (x->heat)
			heat_second(m, x, t);
		if (i > 0) {
			d->gsi_read_frac[i - 1] = 1;
			d->gsi_read_reasons[i - 1] = 0;
		}
	}
	out->read_frac = out->write_frac = 1;
	out->read_reasons = out->write_reasons = 0;
	if (d->res[0].on_demand) {
		out->read_capacity = d->res[0].r.ceiling;
		out->write_capacity = d->res[0].w.ceiling;
		out->read_burst = out->write_burst = 0;
	} else if (legacy) {
		const struct res *b = &d->res[0];

		out->read_capacity = b->r.P;
		out->write_capacity = b->w.P;
		out->read_burst = b->r.hot.sum + (b->N - 1) * b->r.part.sum;
		out->write_burst = b->w.hot.sum + (b->N - 1) * b->w.part.sum;
	} else {
		out->read_capacity = d->res[0].r.P;
		out->write_capacity = d->res[0].w.P;
		out->read_burst = d->res[0].r.pool.sum;
		out->write_burst = d->res[0].w.pool.sum;
	}
	out->partitions = d->res[0].N;
	out->gsi_read_frac = d->gsi_read_frac;
	out->gsi_read_reasons = d->gsi_read_reasons;
	return true;
}

/* step_fast for the commonest table: no GSIs, provisioned, current
 * admission, token bucket. Same checks and bookings, without the loops. */
static inline bool step_single(struct dynamo *d, long long t, const struct dynamo_demand *dem,
			       struct dynamo_tick *out)
{
	const struct dynamo_model *m = d->m;
	struct res *x = d->res;
	double r = dem->read_units, w = dem->write_units, avail = m->burst_availability;
	double rb = x->r.pool.sum, wb = x->w.pool.sum, D;

	if (!(r >= 0 && w >= 0) || t >= x->r.next_event || t >= x->w.next_event ||
	    x->split_at >= 0 || x->dirty || r > x->r.P + avail * rb || w > x->w.P + avail * wb)
		return false;
	D = m->partition_rule == PARTITION_LINEAR ? r * x->iRc + w * x->iWc
						  : dmax(r * x->iRc, w * x->iWc);
	if (x->hot_mult * D > 1 + 1e-12)
		return false;
	fast_book(&x->r, r, m->burst_s, m->burst_retention);
	fast_book(&x->w, w, m->burst_s, m->burst_retention);
	if (x->heat) {
		x->fu = x->u * D;
		heat_second(m, x, t);
	}
	out->read_frac = out->write_frac = 1;
	out->read_reasons = out->write_reasons = 0;
	out->read_capacity = x->r.P;
	out->write_capacity = x->w.P;
	out->read_burst = x->r.pool.sum;
	out->write_burst = x->w.pool.sum;
	out->partitions = x->N;
	out->gsi_read_frac = d->gsi_read_frac;
	out->gsi_read_reasons = d->gsi_read_reasons;
	return true;
}

/* The general second: every rule, in the order of behaviour.md §1.8.
 * Kept out of line so that the fast path does not pay for its frame. */
static void __attribute__((noinline)) step_general(struct dynamo *d, long long t,
						   const struct dynamo_demand *dem,
						   struct dynamo_tick *out)
{
	const struct dynamo_model *m = d->m;
	size_t i, ng = d->nres - 1;
	struct res *b = &d->res[0];
	double wf, base_wf;

	if (!d->started) {
		d->started = true;
		for (i = 0; i < ng && !d->cold; i++)
			if (!d->res[1 + i].warmed)
				res_start(d, &d->res[1 + i],
					  dem->gsi_read_units ? dem->gsi_read_units[i] : 0,
					  dem->gsi_write_units ? dem->gsi_write_units[i] : 0, false);
	}

	for (i = 0; i < d->nres; i++) {
		struct res *x = &d->res[i];

		if (i == 0) {
			x->r.dem = dem->read_units > 0 ? dem->read_units : 0;
			x->w.dem = dem->write_units > 0 ? dem->write_units : 0;
		} else {
			double r = dem->gsi_read_units ? dem->gsi_read_units[i - 1] : 0;
			double w = dem->gsi_write_units ? dem->gsi_write_units[i - 1] : 0;

			x->r.dem = r > 0 ? r : 0;
			x->w.dem = w > 0 ? w : 0;
		}
		inst_begin(d, x, &x->r, t, false);
		inst_begin(d, x, &x->w, t, true);
		if (x->split_at >= 0 && t >= x->split_at) {
			res_double(x, m);
			x->split_at = -1;
			x->heat_run = 0;
		}
		if (x->dirty)
			res_grow(x, m);
		res_partition_caps(x, m);
		inst_admit(m, x, &x->r);
		inst_admit(m, x, &x->w);
	}

	/* GSI back-pressure: a base write succeeds only if every GSI can take
	 * its index writes; only admitted writes consume anywhere. */
	base_wf = frac(b->w.adm, b->w.dem);
	wf = base_wf;
	for (i = 1; i < d->nres; i++)
		wf = dmin(wf, frac(d->res[i].w.adm, d->res[i].w.dem));
	for (i = 0; i < d->nres; i++) {
		struct res *x = &d->res[i];

		x->r.served = x->r.adm;
		x->w.served = wf * x->w.dem;
		if (x->w.served > x->w.adm)	/* rounding only */
			x->w.served = x->w.adm;
		inst_end(m, x, &x->r);
		inst_end(m, x, &x->w);
		res_heat(m, x, t);
	}
	if (wf < base_wf - 1e-12)
		b->w.reasons |= DDB_THROTTLE_GSI;

	out->read_frac = frac(b->r.served, b->r.dem);
	out->write_frac = b->w.dem > 0 ? wf : 1;
	out->read_reasons = b->r.reasons;
	out->write_reasons = b->w.reasons;
	out->read_capacity = b->on_demand ? b->r.ceiling : b->r.P;
	out->write_capacity = b->on_demand ? b->w.ceiling : b->w.P;
	if (b->on_demand) {
		out->read_burst = out->write_burst = 0;
	} else if (m->admission == ADMISSION_LEGACY) {
		out->read_burst = b->r.hot.sum + (b->N - 1) * b->r.part.sum;
		out->write_burst = b->w.hot.sum + (b->N - 1) * b->w.part.sum;
	} else {
		out->read_burst = b->r.pool.sum;
		out->write_burst = b->w.pool.sum;
	}
	out->partitions = b->N;
	for (i = 0; i < ng; i++) {
		d->gsi_read_frac[i] = frac(d->res[1 + i].r.served, d->res[1 + i].r.dem);
		d->gsi_read_reasons[i] = d->res[1 + i].r.reasons;
	}
	out->gsi_read_frac = d->gsi_read_frac;
	out->gsi_read_reasons = d->gsi_read_reasons;
}

void dynamo_step(struct dynamo *d, double sec, const struct dynamo_demand *dem,
		 struct dynamo_tick *out)
{
	long long t = (long long)(sec >= 0 ? sec + 0.5 : sec - 0.5);

	d->now = t;
	if (d->single) {
		if (d->started && step_single(d, t, dem, out))
			return;
	} else if (d->started && step_fast(d, t, dem, out)) {
		return;
	}
	step_general(d, t, dem, out);
}

#ifdef DYN_AVX2
/* Lanes of 4 seconds that pass steady_run's tests, as its scalar form
 * decides them (NaN aside, where the scalar tests let a second through,
 * so do these): demands not negative and below the provisioned capacity,
 * the hot partition within its cap, and where heat can split, a partition
 * without the hot key below the heat that splits it. */
__attribute__((target("avx2"), always_inline))
static inline int run_lanes(const struct dynamo_model *m, const struct res *x, __m256d r, __m256d w)
{
	__m256d zero = _mm256_setzero_pd(), a = _mm256_mul_pd(r, _mm256_set1_pd(x->iRc));
	__m256d b = _mm256_mul_pd(w, _mm256_set1_pd(x->iWc)), D, ok;

	/* max_pd(a, b) is a > b ? a : b, dmax's */
	D = m->partition_rule == PARTITION_LINEAR ? _mm256_add_pd(a, b) : _mm256_max_pd(a, b);
	ok = _mm256_and_pd(_mm256_cmp_pd(r, zero, _CMP_GE_OQ), _mm256_cmp_pd(w, zero, _CMP_GE_OQ));
	ok = _mm256_and_pd(ok, _mm256_and_pd(_mm256_cmp_pd(r, _mm256_set1_pd(x->r.P), _CMP_LT_OQ),
					     _mm256_cmp_pd(w, _mm256_set1_pd(x->w.P), _CMP_LT_OQ)));
	ok = _mm256_and_pd(ok, _mm256_cmp_pd(_mm256_mul_pd(_mm256_set1_pd(x->hot_mult), D),
					     _mm256_set1_pd(1 + 1e-12), _CMP_NGT_UQ));
	if (x->heat)
		ok = _mm256_and_pd(ok, _mm256_cmp_pd(_mm256_mul_pd(_mm256_set1_pd(x->u), D),
						     _mm256_set1_pd(m->split_heat_threshold - EPS), _CMP_NGE_UQ));
	return _mm256_movemask_pd(ok);
}

/* Marks seconds j .. j + 3 served in full. */
__attribute__((target("avx2"), always_inline))
static inline void full4(size_t j, double *rf, double *wf, unsigned *rr, unsigned *wrr)
{
	__m256d one = _mm256_set1_pd(1);

	_mm256_storeu_pd(rf + j, one);
	_mm256_storeu_pd(wf + j, one);
	_mm_storeu_si128((__m128i *)(void *)(rr + j), _mm_setzero_si128());
	_mm_storeu_si128((__m128i *)(void *)(wrr + j), _mm_setzero_si128());
}

/* steady_run's seconds four at a time from j while four are left before
 * 'end' (the first second of an event) and all four pass its tests; the
 * minute's sums add the seconds one by one, in order, as steady_run does.
 * Returns the first second not run. */
__attribute__((target("avx2")))
static size_t steady4(const struct dynamo_model *m, struct res *x, size_t j, size_t end, const double *rd,
		      const double *wr, double *rsum, double *wsum, double *rf, double *wf, unsigned *rr,
		      unsigned *wrr)
{
	double rs = *rsum, ws = *wsum;
	size_t k, j0 = j;

	for (; j + 4 <= end; j += 4) {
		if (run_lanes(m, x, _mm256_loadu_pd(rd + j), _mm256_loadu_pd(wr + j)) != 0xf)
			break;
		full4(j, rf, wf, rr, wrr);
		for (k = j; k < j + 4; k++) {
			rs += rd[k];
			ws += wr[k];
		}
	}
	if (j > j0 && x->heat) {
		/* The last second's share, as steady_run works it out. */
		double r = rd[j - 1], w = wr[j - 1];
		double D = m->partition_rule == PARTITION_LINEAR ? r * x->iRc + w * x->iWc : dmax(r * x->iRc, w * x->iWc);

		x->fu = x->u * D;
		x->heat_run = 0;
	}
	*rsum = rs;
	*wsum = ws;
	return j;
}
#endif

/* step_single while its burst pools stay full: every demand below the
 * provisioned capacity (then the pool banks retention x unused units and
 * is clipped back to its cap: unchanged), no event due, the partitions
 * below the heat that splits them (their run of hot seconds stays 0).
 * Each such second only adds to the minute's consumption and is served in
 * full. Runs from second j of the block while they last; returns the first
 * second not run. */
static size_t steady_run(struct dynamo *d, double sec0, size_t j, size_t n, const double *rd,
			 const double *wr, double *rf, double *wf, unsigned *rr, unsigned *wrr)
{
	const struct dynamo_model *m = d->m;
	struct res *x = d->res;
	bool linear = m->partition_rule == PARTITION_LINEAR;
	double Pr = x->r.P, Pw = x->w.P, rsum = x->r.minute_sum, wsum = x->w.minute_sum;
	long long t = d->now;

	if (x->split_at >= 0 || x->dirty || x->r.pool.sum != m->burst_s * Pr ||
	    x->w.pool.sum != m->burst_s * Pw)
		return j;
#ifdef DYN_AVX2
	/* Whole seconds from 0 on: second j is sec0 + j, and the run stops
	 * before the first event. */
	if (d->avx2 && sec0 >= 0 && sec0 == floor(sec0) && sec0 < 0x1p52) {
		long long t0 = (long long)sec0, ev = x->r.next_event < x->w.next_event ? x->r.next_event :
			x->w.next_event;
		size_t end = ev <= t0 + (long long)j ? j : ev - t0 < (long long)n ? (size_t)(ev - t0) : n;
		size_t k = steady4(m, x, j, end, rd, wr, &rsum, &wsum, rf, wf, rr, wrr);

		if (k > j) {
			t = t0 + (long long)k - 1;
			j = k;
		}
	}
#endif
	for (; j < n; j++) {
		double sec = sec0 + (double)j, r = rd[j], w = wr[j], D;
		long long tj = (long long)(sec >= 0 ? sec + 0.5 : sec - 0.5);

		if (!(r >= 0 && w >= 0) || !(r < Pr && w < Pw) || tj >= x->r.next_event ||
		    tj >= x->w.next_event)
			break;
		D = linear ? r * x->iRc + w * x->iWc : dmax(r * x->iRc, w * x->iWc);
		if (x->hot_mult * D > 1 + 1e-12 || (x->heat && x->u * D >= m->split_heat_threshold - EPS))
			break;
		if (x->heat) {
			x->fu = x->u * D;
			x->heat_run = 0;
		}
		rsum += r;
		wsum += w;
		t = tj;
		rf[j] = wf[j] = 1;
		rr[j] = wrr[j] = 0;
	}
	x->r.minute_sum = rsum;
	x->w.minute_sum = wsum;
	d->now = t;
	return j;
}

#ifdef DYN_AVX2
/* All ones in the lanes of v that are multiples of 0.5 in [lo, 2^40]: sums
 * and differences of a few such numbers are exact (far below 2^52), in any
 * order. */
__attribute__((target("avx2"), always_inline))
static inline __m256d halves(__m256d v, double lo)
{
	__m256d v2 = _mm256_add_pd(v, v);

	return _mm256_and_pd(_mm256_cmp_pd(_mm256_round_pd(v2, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), v2,
					   _CMP_EQ_OQ),
			     _mm256_and_pd(_mm256_cmp_pd(v, _mm256_set1_pd(lo), _CMP_GE_OQ),
					   _mm256_cmp_pd(v, _mm256_set1_pd(0x1p40), _CMP_LE_OQ)));
}

/* od_hist_book for four seconds at once (values S, whose lanes halves()
 * passed, as have the window's four it drops): the sums one by one are
 * exact, so the prefix sums of S - old give them. The caller has checked
 * that neither ring wraps within the four and that the total is a
 * multiple of 0.5 of at most 2^50. */
__attribute__((target("avx2"), always_inline))
static inline void od_book4(struct od_hist *h, __m256d S, __m256d old)
{
	__m256d zero = _mm256_setzero_pd(), d = _mm256_sub_pd(S, old), y, z;

	y = _mm256_add_pd(d, _mm256_blend_pd(_mm256_permute4x64_pd(d, 0x90), zero, 1));
	z = _mm256_add_pd(y, _mm256_blend_pd(_mm256_permute4x64_pd(y, 0x40), zero, 3));
	z = _mm256_add_pd(_mm256_set1_pd(h->wsum), z);
	_mm256_storeu_pd(h->win + h->wpos, S);
	_mm256_storeu_pd(h->lag + h->lpos, _mm256_mul_pd(z, _mm256_set1_pd(h->iwlen)));
	h->wsum = _mm256_cvtsd_f64(_mm256_permute4x64_pd(z, 0xFF));
	h->wpos += 4;
	h->lpos += 4;
}

/* Whether the window total w is a multiple of 0.5 of at most 2^50 and
 * neither ring of h wraps within the next four seconds. */
static inline bool od_room4(const struct od_hist *h)
{
	double w2 = h->wsum + h->wsum;

	/* (int64_t) of a double of at most 2^51 is exact when it is whole. */
	return h->wpos + 4 < h->wlen && h->lpos + 4 < h->llen && fabs(h->wsum) <= 0x1p50 &&
	       w2 == (double)(int64_t)w2;
}

/* od_run's four seconds at rd[0..3], wr[0..3] at once (AVX2), when every
 * one of them passes its tests and nothing in them can differ from one
 * second at a time: no lagged value above the peak (od_begin would take
 * it), no demand above the ceiling, the hot partition within its cap,
 * where heat can split, no second at the heat that counts towards it,
 * and every value the windows add or drop (and their totals) multiples of
 * 0.5 well below 2^52, so that the running totals are exact whatever the
 * order. Returns false, having changed nothing, otherwise; else books
 * the four and sets *fu to the last second's. */
__attribute__((target("avx2")))
static bool od_four(const struct dynamo_model *m, const struct res *x, struct od_hist *hr, struct od_hist *hw,
		    const double *rd, const double *wr, double *fu)
{
	__m256d r = _mm256_loadu_pd(rd), w = _mm256_loadu_pd(wr), a, b, D, ok, ro, wo;

	if (!(od_room4(hr) && od_room4(hw)))
		return false;
	ro = _mm256_loadu_pd(hr->win + hr->wpos);
	wo = _mm256_loadu_pd(hw->win + hw->wpos);
	a = _mm256_mul_pd(r, _mm256_set1_pd(x->iRc));
	b = _mm256_mul_pd(w, _mm256_set1_pd(x->iWc));
	/* max_pd(a, b) is a > b ? a : b, dmax's */
	D = m->partition_rule == PARTITION_LINEAR ? _mm256_add_pd(a, b) : _mm256_max_pd(a, b);
	ok = _mm256_and_pd(halves(r, 0), halves(w, 0));
	ok = _mm256_and_pd(ok, _mm256_and_pd(halves(ro, 0), halves(wo, 0)));
	ok = _mm256_and_pd(ok, _mm256_and_pd(_mm256_cmp_pd(r, _mm256_set1_pd(hr->ceiling), _CMP_LE_OQ),
					     _mm256_cmp_pd(w, _mm256_set1_pd(hw->ceiling), _CMP_LE_OQ)));
	ok = _mm256_and_pd(ok, _mm256_and_pd(_mm256_cmp_pd(_mm256_loadu_pd(hr->lag + hr->lpos),
							   _mm256_set1_pd(hr->peak), _CMP_NGT_UQ),
					     _mm256_cmp_pd(_mm256_loadu_pd(hw->lag + hw->lpos),
							   _mm256_set1_pd(hw->peak), _CMP_NGT_UQ)));
	ok = _mm256_and_pd(ok, _mm256_cmp_pd(_mm256_mul_pd(_mm256_set1_pd(x->hot_mult), D),
					     _mm256_set1_pd(1 + 1e-12), _CMP_NGT_UQ));
	D = _mm256_mul_pd(_mm256_set1_pd(x->u), D);
	if (x->heat)
		ok = _mm256_and_pd(ok, _mm256_cmp_pd(D, _mm256_set1_pd(m->split_heat_threshold - EPS), _CMP_NGE_UQ));
	if (_mm256_movemask_pd(ok) != 0xf)
		return false;
	od_book4(hr, r, ro);
	od_book4(hw, w, wo);
	*fu = _mm256_cvtsd_f64(_mm256_permute4x64_pd(D, 0xFF));
	return true;
}
#endif

/* step_fast for an on-demand table without GSIs, over a run of seconds
 * while every demand is within the ceiling: the same checks and bookings
 * without the loops. Runs from second j of the block; returns the first
 * second not run (step_fast's checks left as they were for it: od_begin
 * may have taken the second's lagged peak, as the general path would).
 * The window and lag line live in locals (od_hist) while no lagged value
 * tops the peak; one that does goes through od_begin itself. */
static size_t od_run(struct dynamo *d, double sec0, size_t j, size_t n, const double *rd, const double *wr,
		     double *rf, double *wf, unsigned *rr, unsigned *wrr)
{
	const struct dynamo_model *m = d->m;
	struct res *x = d->res;
	bool linear = m->partition_rule == PARTITION_LINEAR, heat = x->heat, ran = false;
	struct od_hist hr = od_hist_get(&x->r), hw = od_hist_get(&x->w);
	double iRc = x->iRc, iWc = x->iWc, hot = x->hot_mult, u = x->u, lr = 0, lw = 0;
	long long now = d->now;

	for (; j < n; j++) {
		double sec = sec0 + (double)j, r = rd[j], w = wr[j], D;
		long long t = (long long)(sec >= 0 ? sec + 0.5 : sec - 0.5);

#ifdef DYN_AVX2
		/* Four at once where od_four can: the heat count, if any,
		 * ends (no second at the heat), the rest as the fourth
		 * second leaves it. */
		if (d->avx2 && j + 4 <= n && x->split_at < 0 && !x->dirty && sec >= 0 &&
		    od_four(m, x, &hr, &hw, rd + j, wr + j, &x->fu)) {
			double s3 = sec0 + (double)(j + 3);

			size_t k;

			if (heat)
				x->heat_run = 0;
			for (k = j; k < j + 4; k++) {
				rf[k] = wf[k] = 1;
				rr[k] = wrr[k] = 0;
			}
			now = (long long)(s3 + 0.5);
			lr = rd[j + 3];
			lw = wr[j + 3];
			ran = true;
			j += 3;
			continue;
		}
#endif
		if (!(r >= 0 && w >= 0) || x->split_at >= 0)
			break;
		now = t;
		if (hr.lag[hr.lpos] > hr.peak || hw.lag[hw.lpos] > hw.peak) {
			od_hist_put(&hr, &x->r);
			od_hist_put(&hw, &x->w);
			od_begin(x, &x->r);
			od_begin(x, &x->w);
			hr.peak = x->r.peak;
			hr.ceiling = x->r.ceiling;
			hw.peak = x->w.peak;
			hw.ceiling = x->w.ceiling;
		}
		if (x->dirty || r > hr.ceiling || w > hw.ceiling)
			break;
		D = linear ? r * iRc + w * iWc : dmax(r * iRc, w * iWc);
		if (hot * D > 1 + 1e-12)
			break;
		lr = r;
		lw = w;
		ran = true;
		x->fu = u * D;
		od_hist_book(&hr, r);
		od_hist_book(&hw, w);
		if (heat)
			heat_second(m, x, t);
		rf[j] = wf[j] = 1;
		rr[j] = wrr[j] = 0;
	}
	od_hist_put(&hr, &x->r);
	od_hist_put(&hw, &x->w);
	if (ran) {
		x->r.dem = lr;
		x->w.dem = lw;
	}
	d->now = now;
	return j;
}

void dynamo_step_block(struct dynamo *d, double sec0, size_t n, const double *rd, const double *wr,
		       double *rf, double *wf, unsigned *rr, unsigned *wrr)
{
	struct dynamo_demand dem = {0};
	struct dynamo_tick out;
	size_t j;

	/* dynamo_step's body, its fast paths inlined; of their output only
	 * the fractions and reasons are kept. */
	for (j = 0; j < n; j++) {
		double sec = sec0 + (double)j;
		long long t = (long long)(sec >= 0 ? sec + 0.5 : sec - 0.5);
		bool done;

		if (d->started && (d->single || (d->nres == 1 && d->res[0].on_demand))) {
			size_t k = d->single ? steady_run(d, sec0, j, n, rd, wr, rf, wf, rr, wrr) :
					       od_run(d, sec0, j, n, rd, wr, rf, wf, rr, wrr);

			if (k > j) {
				j = k - 1;
				continue;
			}
		}

		d->now = t;
		dem.read_units = rd[j];
		dem.write_units = wr[j];
		if (d->single)
			done = d->started && step_single(d, t, &dem, &out);
		else
			done = d->started && step_fast(d, t, &dem, &out);
		if (!done)
			step_general(d, t, &dem, &out);
		rf[j] = out.read_frac;
		wf[j] = out.write_frac;
		rr[j] = out.read_reasons;
		wrr[j] = out.write_reasons;
	}
}

/* ---- queries -------------------------------------------------------- */

static const struct res *res_at(const struct dynamo *d, int gsi)
{
	if (gsi < -1 || gsi >= (int)d->nres - 1)
		return NULL;
	return &d->res[gsi + 1];
}

/* Unit-hours so far: every completed hour at its highest capacity, and
 * the hour in progress at its highest capacity for the seconds of it that
 * were simulated (a window shorter than an hour bills only its share). */
static double inst_hours(const struct dynamo *d, const struct res *x, const struct inst *in)
{
	double part;

	if (!x || x->on_demand)
		return 0;
	if (in->hour < 0)
		return in->unit_hours;
	part = (double)(d->now + 1 - in->hour * 3600) / 3600.0;
	if (part > 1)
		part = 1;
	if (part < 0)
		part = 0;
	return in->unit_hours + in->hour_max * part;
}

double dynamo_rcu_hours(const struct dynamo *d, int gsi)
{
	const struct res *x = res_at(d, gsi);

	return x ? inst_hours(d, x, &x->r) : 0;
}

double dynamo_wcu_hours(const struct dynamo *d, int gsi)
{
	const struct res *x = res_at(d, gsi);

	return x ? inst_hours(d, x, &x->w) : 0;
}

void dynamo_set_day0(struct dynamo *d, double day0)
{
	size_t i;

	for (i = 0; i < d->nres; i++) {
		d->res[i].day0 = day0;
		d->res[i].dec_day = (long long)floor(day0 / 86400);
	}
}

void dynamo_set_ec_share(struct dynamo *d, double share)
{
	double e = dmin(dmax(share, 0), 1);

	if (e == d->res[0].ec_share)	/* the simulator calls this every second */
		return;
	d->res[0].ec_share = e;
	res_caps(&d->res[0], d->m);
}

void dynamo_set_provisioned(struct dynamo *d, int gsi, double rcu, double wcu)
{
	struct res *x = (struct res *)res_at(d, gsi);
	double td;

	if (!x || x->on_demand)
		return;
	/* A manual decrease counts against the day's decreases (at the time
	 * of the last step) but is not refused. */
	if (rcu < x->r.P || wcu < x->w.P) {
		td = d->started ? (double)d->now : 0;
		dec_count(x, td);
	}
	x->warmed = true;
	x->r.npend = x->w.npend = 0;
	x->r.next_event = x->w.next_event = 0;	/* bill the new capacity at the next step */
	inst_set_P(d, x, &x->r, rcu);
	inst_set_P(d, x, &x->w, wcu);
	if (x->dirty)
		res_grow(x, d->m);
}

int dynamo_partitions(const struct dynamo *d, int gsi)
{
	const struct res *x = res_at(d, gsi);

	return x ? x->N : 0;
}

double dynamo_capacity(const struct dynamo *d, int gsi, bool write)
{
	const struct res *x = res_at(d, gsi);
	const struct inst *in;

	if (!x)
		return 0;
	in = write ? &x->w : &x->r;
	return x->on_demand ? in->ceiling : in->P;
}

double dynamo_burst(const struct dynamo *d, int gsi, bool write)
{
	const struct res *x = res_at(d, gsi);
	const struct inst *in;

	if (!x || x->on_demand)
		return 0;
	in = write ? &x->w : &x->r;
	if (d->m->admission == ADMISSION_LEGACY)
		return in->hot.sum + (x->N - 1) * in->part.sum;
	return in->pool.sum;
}

int dynamo_decreases(const struct dynamo *d, int gsi)
{
	const struct res *x = res_at(d, gsi);

	return x ? x->dec_total : 0;
}
