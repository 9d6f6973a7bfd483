#include "usage.h"

#include <stdlib.h>

const char *series_kind_name(enum series_kind k)
{
	static const char *const names[SER_COUNT] = {
		"offered", "admitted", "throttled", "limit", "concurrency", "cold_starts",
		"read_capacity", "write_capacity", "read_consumed", "write_consumed",
		"read_burst", "write_burst",
	};

	return k < SER_COUNT ? names[k] : "?";
}

int series_is_level(enum series_kind k)
{
	return k == SER_LIMIT || k == SER_CONCURRENCY || k == SER_READ_CAPACITY ||
	       k == SER_WRITE_CAPACITY || k == SER_READ_BURST || k == SER_WRITE_BURST;
}

static void series_free(struct series *s, size_t n)
{
	size_t i;
	int k;

	if (!s)
		return;
	for (i = 0; i < n; i++)
		for (k = 0; k < SER_COUNT; k++)
			free(s[i].v[k]);
	free(s);
}

void usage_free(struct usage *u)
{
	size_t i;

	if (!u)
		return;
	series_free(u->fn_series, u->nfn);
	series_free(u->api_series, u->napi);
	series_free(u->table_series, u->ntable);
	for (i = 0; i < u->ntable; i++)
		free(u->table[i].gsis);
	free(u->fn);
	free(u->api);
	free(u->table);
	free(u);
}
