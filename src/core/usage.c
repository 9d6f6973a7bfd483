#include "usage.h"

#include <stdlib.h>

#include "plan.h"
#include "util.h"

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

/* ---- binding limits (advice and headroom) ---- */

const char *limit_kind_name(enum limit_kind k)
{
	static const char *const names[LIMIT_COUNT] = {
		"none", "stage throttle", "account API throttle", "reserved concurrency",
		"account concurrency", "scale-up rate", "requests per second (10 x concurrency)",
		"partition cap (key range)", "provisioned capacity (burst exhausted)",
		"on-demand scaling (2 x previous peak)", "table quota / maximum throughput",
		"GSI write capacity", "GSI read capacity (burst exhausted)",
	};

	return k < LIMIT_COUNT ? names[k] : "?";
}

enum limit_kind limit_binding(const uint64_t by[LIMIT_COUNT])
{
	enum limit_kind best = LIMIT_NONE;
	int k;

	for (k = 1; k < LIMIT_COUNT; k++)
		if (by[k] > by[best] || (best == LIMIT_NONE && by[k] > 0))
			best = (enum limit_kind)k;
	return best;
}

struct usage *usage_new(const struct plan *p, double window_s)
{
	struct usage *u = xcalloc(1, sizeof *u);
	size_t i;

	u->window_s = window_s;
	u->nfn = p->nfunctions;
	u->napi = p->napis;
	u->ntable = p->ntables;
	u->fn = xcalloc(p->nfunctions + 1, sizeof *u->fn);
	u->api = xcalloc(p->napis + 1, sizeof *u->api);
	u->table = xcalloc(p->ntables + 1, sizeof *u->table);
	for (i = 0; i < p->ntables; i++) {
		u->table[i].ngsis = p->tables[i].ngsis;
		u->table[i].gsis = xcalloc(p->tables[i].ngsis + 1, sizeof *u->table[i].gsis);
		u->table[i].storage_gb = p->tables[i].storage_gb;
	}
	return u;
}
