/* dynamo_units: DynamoDB capacity consumed by one operation, following the
 * rounding AWS documents (read-write-operations page): GetItem, BatchGetItem
 * and TransactGetItems round each item up to 4 KB; Query and Scan round the
 * sum of the items read; writes round each item up to 1 KB; transactions
 * cost double; eventually consistent reads cost half. Reads are counted in
 * half units so that every quantity stays an integer. */
#ifndef COSTCAP_CORE_DYNAMO_UNITS_H
#define COSTCAP_CORE_DYNAMO_UNITS_H

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

/* Bytes in one item of 'item_kb' KB (1 KB = 1,024 bytes), rounded to the
 * nearest byte, at least 1. */
uint64_t ddb_item_bytes(double item_kb);

/* Whether the operation reads (else it writes). */
bool ddb_op_is_read(enum ddb_op op);

/* Capacity one call consumes: 'items' items of 'item_bytes' bytes each.
 * Stores half read units (1 per 4 KB eventual, 2 strong, 4 transactional)
 * or write units (1 per 1 KB, 2 transactional). */
void ddb_op_units(enum ddb_op op, uint64_t items, uint64_t item_bytes,
		  enum consistency c, uint64_t *read_half_units, uint64_t *write_units);

/* Name as written in plans ("get", "batch_get", ...), and the reverse
 * (returns -1 when unknown). */
const char *ddb_op_name(enum ddb_op op);
int ddb_op_parse(const char *s);

#endif
