/* dynamo: one DynamoDB table (with its GSIs) second by second, following
 * reference/behaviour.md §1.8 (provisioned) and §2.1 (on-demand): the
 * table-level token bucket with the burst pool, per-partition caps and hot
 * keys, GSI write back-pressure, target-tracking auto scaling, and the
 * on-demand "double the previous peak" ceiling. Every constant comes from
 * struct dynamo_model (a model parameter). Units here are capacity units
 * (RCU-equivalent reads, WCU writes) as doubles. */
#ifndef COSTCAP_CORE_DYNAMO_H
#define COSTCAP_CORE_DYNAMO_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "plan.h"

/* Why units were throttled in a second (bit set). */
enum ddb_reason {
	DDB_THROTTLE_NONE = 0,
	DDB_THROTTLE_KEY_RANGE = 1,	/* a partition's cap (hot key) */
	DDB_THROTTLE_CAPACITY = 2,	/* provisioned + burst exhausted */
	DDB_THROTTLE_ON_DEMAND = 4,	/* above twice the previous peak */
	DDB_THROTTLE_QUOTA = 8,		/* table quota or max throughput setting */
	DDB_THROTTLE_GSI = 16		/* a GSI could not take the index writes */
};

/* One second of demand on a table, in capacity units. */
struct dynamo_demand {
	double read_units;		/* base-table reads */
	double write_units;		/* base-table writes */
	const double *gsi_read_units;	/* per GSI (ngsis), reads that use the index */
	const double *gsi_write_units;	/* per GSI, index writes if every base write is admitted */
};

/* What one second admitted, and the state after it (for charts). */
struct dynamo_tick {
	double read_frac;		/* share of base reads admitted, 0..1 */
	double write_frac;		/* share of base writes admitted (GSI back-pressure included) */
	double *gsi_read_frac;		/* per GSI (array owned by the dynamo object) */
	unsigned read_reasons, write_reasons;	/* enum ddb_reason bits */
	double read_capacity, write_capacity;	/* provisioned units now, or the on-demand ceiling */
	double read_burst, write_burst;	/* burst pool (units) after this second */
	int partitions;
	unsigned *gsi_read_reasons;	/* per GSI, enum ddb_reason bits (array owned by the dynamo object) */
};

/* Creates the state for table 't' under model 'm'. warm_read/warm_write
 * are the first second's demand (units/s): unless 'cold', the table starts
 * in the steady state of that load (burst pools full, auto scaling already
 * at the capacity the policy would pick for it, on-demand previous peak at
 * that level or the new-table floor, whichever is higher); 'cold' starts a
 * new table (empty pools, provisioned capacity as configured, on-demand at
 * the new-table floor). Borrows 't' and 'm' for the object's lifetime. */
struct dynamo *dynamo_new(const struct table *t, const struct dynamo_model *m,
			  double warm_read, double warm_write, bool cold);
void dynamo_free(struct dynamo *d);

/* Offers second 'sec' (0, 1, 2, ... in order) of demand and fills 'out'. */
void dynamo_step(struct dynamo *d, double sec, const struct dynamo_demand *dem,
		 struct dynamo_tick *out);

/* Seconds sec0 .. sec0 + n - 1 of a table without GSIs, as n calls of
 * dynamo_step with read_units rd[j] and write_units wr[j] (no GSI demand)
 * would give them: each second's read_frac, write_frac, read_reasons and
 * write_reasons in rf[j], wf[j], rr[j], wrr[j]. */
void dynamo_step_block(struct dynamo *d, double sec0, size_t n, const double *rd, const double *wr,
		       double *rf, double *wf, unsigned *rr, unsigned *wrr);

/* Whether tables made from now on may check runs of seconds four at a
 * time with AVX2 where the CPU has it (true by default; tests turn it off
 * to compare). The results are the same either way. */
extern bool dynamo_wide;

/* Provisioned capacity billed so far, in unit-hours: each started hour is
 * billed at the highest capacity in force during it. For on-demand tables
 * these are 0. Per GSI with gsi >= 0, the base table with gsi = -1. */
double dynamo_rcu_hours(const struct dynamo *d, int gsi);
double dynamo_wcu_hours(const struct dynamo *d, int gsi);

/* The following are additions to the lead's interface. 'gsi' is -1 for
 * the base table, else a GSI index. */

/* The UTC time of day of second 0 (a trace's clock): the "UTC day" of the
 * provisioned-capacity decrease limits starts at midnight, not at the
 * window's start. Call before the first step. */
void dynamo_set_day0(struct dynamo *d, double day0);
/* Sets the share (0..1) of base-table read units that are eventually
 * consistent, in force from the next dynamo_step; the model's
 * ec_read_partition_multiplier lifts the partition read cap for that share.
 * Default 0 (every read counts against the strong cap). The simulator sets
 * it each second from its calls' consistency; setting the same share again
 * costs a comparison. GSI reads are always eventually consistent. */
void dynamo_set_ec_share(struct dynamo *d, double share);

/* Changes provisioned capacity by hand (an UpdateTable outside auto
 * scaling), in force from the next dynamo_step: partitions double if the
 * new capacity needs more, the burst pools are clipped to the new cap.
 * No effect on on-demand tables. */
void dynamo_set_provisioned(struct dynamo *d, int gsi, double rcu, double wcu);

/* Current partition count of the table or GSI. */
int dynamo_partitions(const struct dynamo *d, int gsi);

/* Capacity in force: provisioned units, or the on-demand ceiling. */
double dynamo_capacity(const struct dynamo *d, int gsi, bool write);

/* Units banked in the burst pool (0 for on-demand). */
double dynamo_burst(const struct dynamo *d, int gsi, bool write);

/* Provisioned-capacity decreases made so far (auto scaling and
 * dynamo_set_provisioned), reads and writes of the table or GSI together. */
int dynamo_decreases(const struct dynamo *d, int gsi);

#endif
