#include "assumptions.h"

#include <stdbool.h>
#include <stdlib.h>

#include "../core/util.h"

static void add(struct assumption **v, size_t *n, size_t *cap, const char *key, char *value,
		const char *what)
{
	xgrow(v, cap, *n + 1, sizeof **v);
	(*v)[*n].key = key;
	(*v)[*n].value = value;
	(*v)[*n].what = what;
	(*n)++;
}

struct assumption *assumptions_list(const struct plan *p, size_t *n)
{
	const struct model *m = p->model;
	struct assumption *v = NULL;
	size_t cap = 0, i;
	bool provisioned = false, autoscaled = false, on_demand = false, hot = false, init = false;

	*n = 0;
	for (i = 0; i < p->ntables; i++) {
		const struct table *t = &p->tables[i];

		provisioned |= t->mode == MODE_PROVISIONED;
		on_demand |= t->mode == MODE_ON_DEMAND;
		autoscaled |= t->autoscaling.on;
		hot |= t->hot_key_share > 0;
	}
	for (i = 0; i < p->nfunctions; i++)
		init |= p->functions[i].init_ms > 0;
	if (p->napis)
		add(&v, n, &cap, "apigateway.arrivals", xstrdup("uniform within each second"),
		    "token buckets admit min(n, tokens + rate) per second; bursts inside a second are not seen");
	if (p->napis)
		add(&v, n, &cap, "apigateway.behaviour.throttled_billed",
		    xstrdup(m->apigw.throttled_billed ? "true" : "false"),
		    "whether 429 responses are billed as requests (not documented)");
	if (p->nfunctions) {
		add(&v, n, &cap, "lambda.behaviour.arrivals",
		    xstrdup(m->lambda.arrivals == ARRIVALS_POISSON ? "poisson" : "uniform"),
		    "poisson: throttling near a limit by Erlang B; uniform: the fluid excess");
		add(&v, n, &cap, "lambda.behaviour.keep_alive_s", xasprintf("%g", m->lambda.keep_alive_s),
		    "idle environments expire after this (observed ~10 minutes, not documented)");
		add(&v, n, &cap, "lambda.behaviour.scale_refill",
		    xstrdup(m->lambda.scale_refill == REFILL_CONTINUOUS ? "continuous" : "stepped"),
		    "the 1,000-per-10-s scaling rate refills continuously or in steps");
		add(&v, n, &cap, "lambda.behaviour.async_max_event_age_s",
		    xasprintf("%g", m->lambda.async_max_event_age_s),
		    "queued asynchronous events are dropped after this age (retries served oldest first)");
		if (init)
			add(&v, n, &cap, "lambda.behaviour.init_billed", xstrdup(m->lambda.init_billed ? "true" : "false"),
			    "INIT time of cold starts is billed (AWS, from 2025-08-01)");
	}
	if (provisioned) {
		add(&v, n, &cap, "dynamodb.behaviour.burst_form",
		    xstrdup(m->dynamo.burst_form == BURST_TOKEN_BUCKET ? "token_bucket" : "sliding_window"),
		    "unused capacity is banked as a token bucket of burst_s seconds");
		add(&v, n, &cap, "dynamodb.behaviour.burst_availability",
		    xasprintf("%g", m->dynamo.burst_availability),
		    "share of the burst pool usable (AWS: best effort)");
	}
	if (autoscaled) {
		add(&v, n, &cap, "dynamodb.behaviour.autoscaling.alarm_delay_s",
		    xasprintf("%g", m->dynamo.autoscaling.alarm_delay_s), "CloudWatch alarm latency");
		add(&v, n, &cap, "dynamodb.behaviour.autoscaling.update_delay_s",
		    xasprintf("%g", m->dynamo.autoscaling.update_delay_s), "UpdateTable latency");
		add(&v, n, &cap, "dynamodb.autoscaling.formula", xstrdup("ceil(consumed / target)"),
		    "new capacity on a scaling action (AWS does not publish the formula)");
	}
	if (on_demand)
		add(&v, n, &cap, "dynamodb.behaviour.on_demand_lag_s", xasprintf("%g", m->dynamo.on_demand_lag_s),
		    "an on-demand table serves up to twice the peak seen this long ago (worst case of the 30-minute rule)");
	if (provisioned || on_demand)
		add(&v, n, &cap, "dynamodb.behaviour.partition_rule",
		    xstrdup(m->dynamo.partition_rule == PARTITION_LINEAR ? "linear" : "independent"),
		    "per-partition caps 3,000 RCU / 1,000 WCU combine linearly");
	if (hot)
		add(&v, n, &cap, "dynamodb.hot_key", xstrdup("single partition key"),
		    "hot_key_share goes to one key, which one partition serves and split for heat cannot divide");
	if (p->trace)
		add(&v, n, &cap, "trace.spread", xstrdup("even within buckets (Poisson with --seed)"),
		    "buckets wider than a second are spread over their seconds: a lower bound on throttling");
	return v;
}

void assumptions_free(struct assumption *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(a[i].value);
	free(a);
}
