/* bill: prices a simulated window's usage with the plan's model, as a
 * 730-hour month (DESIGN §2): tiered prices are applied to the account's
 * monthly total per price and attributed back to resources in proportion
 * to their use; free tiers are applied once per account and shown as
 * negative line items. Money is computed here and nowhere else. */
#ifndef COSTCAP_CORE_BILL_H
#define COSTCAP_CORE_BILL_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "usage.h"

enum service { SVC_LAMBDA, SVC_APIGATEWAY, SVC_DYNAMODB, SVC_COUNT };

struct line_item {
	char *component;	/* e.g. "requests", "duration", "free_tier_requests" */
	double quantity;	/* per month; negative for free-tier credits */
	const char *unit;	/* e.g. "requests", "GB-seconds" (static) */
	double unit_price;	/* USD per unit (effective price for tiered items) */
	double monthly_cost;	/* quantity x unit_price */
};

struct bill_resource {
	char *name;
	enum service service;
	double monthly_cost;
	uint64_t requests;	/* offered in the window */
	uint64_t throttled;	/* rejected in the window */
	double throttle_ratio;
	struct line_item *items;
	size_t nitems, cap;
};

struct bill {
	struct bill_resource *res;	/* APIs, then functions, then tables (plan order) */
	size_t n;
	double total;
	double service[SVC_COUNT];
	double window_s;
};

/* Prices 'u' (a window of the plan's simulation). Borrows both. Returns a
 * new bill; free with bill_free. */
struct bill *bill_price(const struct plan *p, const struct usage *u);
void bill_free(struct bill *b);

/* "lambda", "apigateway", "dynamodb"; and the reverse (-1 when unknown). */
const char *service_name(enum service s);
int service_parse(const char *s);

/* The resource named 'name', or NULL. */
const struct bill_resource *bill_find(const struct bill *b, const char *name);

#endif
