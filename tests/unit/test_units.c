/* DynamoDB capacity units per operation (reference/examples.yaml ddb-cap-*,
 * AWS read-write-operations page) and tiered pricing arithmetic, checked
 * directly on the core functions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "core/dynamo_units.h"
#include "core/model.h"

static uint64_t rhu(enum ddb_op op, uint64_t items, double kb, enum consistency c)
{
	uint64_t r, w;

	ddb_op_units(op, items, ddb_item_bytes(kb), c, &r, &w);
	assert_int_equal(w, 0);
	return r;
}

static uint64_t wu(enum ddb_op op, uint64_t items, double kb)
{
	uint64_t r, w;

	ddb_op_units(op, items, ddb_item_bytes(kb), CONSISTENCY_STRONG, &r, &w);
	assert_int_equal(r, 0);
	return w;
}

/* ddb-cap-read-3500-bytes: 3,500 bytes round up to 4 KB: strong 1 unit
 * (2 half units), eventual 0.5 (1 half unit), transactional 2 (4). */
static void read_3500_bytes(void **state)
{
	(void)state;
	assert_int_equal(rhu(OP_GET, 1, 3500.0 / 1024, CONSISTENCY_STRONG), 2);
	assert_int_equal(rhu(OP_GET, 1, 3500.0 / 1024, CONSISTENCY_EVENTUAL), 1);
	assert_int_equal(rhu(OP_TRANSACT_GET, 1, 3500.0 / 1024, CONSISTENCY_STRONG), 4);
}

/* ddb-cap-read-8kb-consistency: 8 KB: strong 2, eventual 1, transactional 4. */
static void read_8kb(void **state)
{
	(void)state;
	assert_int_equal(rhu(OP_GET, 1, 8, CONSISTENCY_STRONG), 4);
	assert_int_equal(rhu(OP_GET, 1, 8, CONSISTENCY_EVENTUAL), 2);
	assert_int_equal(rhu(OP_TRANSACT_GET, 1, 8, CONSISTENCY_STRONG), 8);
}

/* ddb-cap-getitem-3-5kb-and-10kb: 3.5 KB -> 4 KB -> 1 unit; 10 KB -> 12 KB
 * -> 3 units (1.5 eventual). */
static void getitem_sizes(void **state)
{
	(void)state;
	assert_int_equal(rhu(OP_GET, 1, 3.5, CONSISTENCY_STRONG), 2);
	assert_int_equal(rhu(OP_GET, 1, 10, CONSISTENCY_STRONG), 6);
	assert_int_equal(rhu(OP_GET, 1, 10, CONSISTENCY_EVENTUAL), 3);
}

/* ddb-cap-batchget-1-5kb-6-5kb: each item rounds separately: 4 KB + 8 KB
 * = 12 KB = 3 strong units (not 8 KB = 2). */
static void batchget(void **state)
{
	(void)state;
	assert_int_equal(rhu(OP_BATCH_GET, 1, 1.5, CONSISTENCY_STRONG) +
			 rhu(OP_BATCH_GET, 1, 6.5, CONSISTENCY_STRONG), 6);
}

/* ddb-cap-query-40-8kb: 10 items totalling 40.8 KB round once to 44 KB:
 * 11 strong units, 5.5 eventual. ddb-cap-query-1500x64b: 1,500 x 64 bytes
 * = 96,000 bytes = 93.75 KiB -> 96 KiB: 24 strong, 12 eventual. */
static void query(void **state)
{
	(void)state;
	assert_int_equal(rhu(OP_QUERY, 10, 4.08, CONSISTENCY_STRONG), 22);
	assert_int_equal(rhu(OP_QUERY, 10, 4.08, CONSISTENCY_EVENTUAL), 11);
	assert_int_equal(rhu(OP_QUERY, 1500, 64.0 / 1024, CONSISTENCY_STRONG), 48);
	assert_int_equal(rhu(OP_QUERY, 1500, 64.0 / 1024, CONSISTENCY_EVENTUAL), 24);
	assert_int_equal(rhu(OP_SCAN, 0, 1, CONSISTENCY_EVENTUAL), 1);
}

/* Pricing page: 1 KB write = 1 unit, 3 KB = 3, transactional 3 KB = 6;
 * batch writes round each item: 25 items of 1.5 KB = 50. */
static void writes(void **state)
{
	(void)state;
	assert_int_equal(wu(OP_PUT, 1, 1), 1);
	assert_int_equal(wu(OP_UPDATE, 1, 3), 3);
	assert_int_equal(wu(OP_TRANSACT_WRITE, 1, 3), 6);
	assert_int_equal(wu(OP_BATCH_WRITE, 25, 1.5), 50);
	assert_int_equal(wu(OP_DELETE, 1, 0.1), 1);
}

/* Tiered cost: HTTP API 432M requests = 300M x $1.00/M + 132M x $0.90/M =
 * $418.80 (apigw-http-ex1-web-app); a range straddling a bound. */
static void tiers(void **state)
{
	struct tiers t = {2, {{300e6, 1.00e-6}, {INFINITY, 0.90e-6}}};

	(void)state;
	assert_true(fabs(tiers_cost(&t, 0, 432e6) - 418.8) < 1e-9);
	assert_true(fabs(tiers_cost(&t, 200e6, 200e6) - (100 + 90)) < 1e-9);
	assert_true(fabs(tiers_cost(&t, 400e6, 1e6) - 0.9) < 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_3500_bytes),
		cmocka_unit_test(read_8kb),
		cmocka_unit_test(getitem_sizes),
		cmocka_unit_test(batchget),
		cmocka_unit_test(query),
		cmocka_unit_test(writes),
		cmocka_unit_test(tiers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
