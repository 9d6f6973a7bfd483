#include "dynamo_units.h"

#include <math.h>
#include <string.h>

static const char *const op_names[OP_COUNT] = {
	"get", "batch_get", "query", "scan", "put", "update", "delete",
	"batch_write", "transact_get", "transact_write",
};

const char *ddb_op_name(enum ddb_op op)
{
	return op < OP_COUNT ? op_names[op] : "?";
}

int ddb_op_parse(const char *s)
{
	int i;

	for (i = 0; i < OP_COUNT; i++)
		if (strcmp(s, op_names[i]) == 0)
			return i;
	return -1;
}

uint64_t ddb_item_bytes(double item_kb)
{
	double b = floor(item_kb * 1024.0 + 0.5);

	return b < 1 ? 1 : (uint64_t)b;
}

bool ddb_op_is_read(enum ddb_op op)
{
	return op == OP_GET || op == OP_BATCH_GET || op == OP_QUERY ||
	       op == OP_SCAN || op == OP_TRANSACT_GET;
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

void ddb_op_units(enum ddb_op op, uint64_t items, uint64_t item_bytes,
		  enum consistency c, uint64_t *read_half_units, uint64_t *write_units)
{
	uint64_t per_item, blocks;

	*read_half_units = 0;
	*write_units = 0;
	switch (op) {
	case OP_GET:
	case OP_BATCH_GET:
		blocks = items * ceil_div(item_bytes, 4096);
		*read_half_units = blocks * (c == CONSISTENCY_STRONG ? 2 : 1);
		break;
	case OP_TRANSACT_GET:
		*read_half_units = items * ceil_div(item_bytes, 4096) * 4;
		break;
	case OP_QUERY:
	case OP_SCAN:
		/* The whole result is rounded once; an empty result still
		 * costs one 4 KB read. */
		blocks = ceil_div(items * item_bytes, 4096);
		if (blocks == 0)
			blocks = 1;
		*read_half_units = blocks * (c == CONSISTENCY_STRONG ? 2 : 1);
		break;
	case OP_PUT:
	case OP_UPDATE:
	case OP_DELETE:
	case OP_BATCH_WRITE:
		per_item = ceil_div(item_bytes, 1024);
		*write_units = items * per_item;
		break;
	case OP_TRANSACT_WRITE:
		*write_units = items * ceil_div(item_bytes, 1024) * 2;
		break;
	default:
		break;
	}
}
