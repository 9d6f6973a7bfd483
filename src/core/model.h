/* model: a provider region's prices, limits and behaviour assumptions,
 * resolved (after 'extends') into plain numbers. Loaded by io/model_load;
 * read by the bill and the simulator. Every price carries its unit in the
 * field name. Tier bounds are cumulative upper limits in the tier's own
 * unit (GB-s, requests, GB), with the last tier unbounded (INFINITY). */
#ifndef COSTCAP_CORE_MODEL_H
#define COSTCAP_CORE_MODEL_H

#include <stdbool.h>

#define MODEL_MAX_TIERS 8
#define MODEL_MAX_CACHE 16

struct tier {
	double up_to;	/* cumulative upper bound of this tier; INFINITY for the last */
	double price;	/* price per unit within this tier */
};

struct tiers {
	int n;
	struct tier t[MODEL_MAX_TIERS];
};

enum arch { ARCH_X86_64, ARCH_ARM64, ARCH_COUNT };
enum table_class { CLASS_STANDARD, CLASS_STANDARD_IA, CLASS_COUNT };
enum arrivals { ARRIVALS_POISSON, ARRIVALS_UNIFORM };
enum refill { REFILL_CONTINUOUS, REFILL_STEPPED };
enum burst_form { BURST_TOKEN_BUCKET, BURST_SLIDING_WINDOW };
enum partition_rule { PARTITION_LINEAR, PARTITION_INDEPENDENT };
enum admission { ADMISSION_CURRENT, ADMISSION_LEGACY };

struct lambda_model {
	double request_price;			/* USD per request */
	struct tiers duration[ARCH_COUNT];	/* USD per GB-s, bounds in GB-s/month */
	double ephemeral_included_mb;		/* storage included at no charge */
	double ephemeral_gb_second;		/* USD per GB-s above the included size */
	double pc_gb_second[ARCH_COUNT];	/* provisioned concurrency configured */
	double pc_duration_gb_second[ARCH_COUNT]; /* executions on provisioned concurrency */
	double pc_rounding_s;			/* PC periods round up to this */
	double free_requests;			/* per month */
	double free_gb_seconds;			/* per month */
	/* limits */
	double memory_min_mb, memory_max_mb;
	double ephemeral_min_mb, ephemeral_max_mb;
	double timeout_max_s;
	double account_concurrency;		/* default account quota */
	double unreserved_min;			/* concurrency never reservable */
	double scale_per_10s;			/* new environments per function per 10 s */
	double rps_per_concurrency;		/* requests/s allowed per unit of concurrency */
	double init_max_ms;			/* on-demand INIT cap */
	/* behaviour (assumptions) */
	double keep_alive_s;			/* idle environments expire after this */
	enum arrivals arrivals;
	enum refill scale_refill;
	bool init_billed;
	double async_max_event_age_s;
	double async_max_backoff_s;
	double async_retry_attempts;
};

struct cache_size {
	double size_gb;
	double hourly;				/* USD per hour */
};

struct apigw_model {
	struct tiers rest;			/* USD per request, bounds in requests/month */
	struct tiers http;
	struct tiers ws_messages;
	double ws_minute_price;			/* USD per connection minute */
	double http_metering_kb;		/* HTTP requests metered in these increments */
	double ws_metering_kb;			/* WebSocket messages metered in these increments */
	int ncache;
	struct cache_size cache[MODEL_MAX_CACHE]; /* ascending size */
	struct tiers transfer_out;		/* USD per GB, bounds in GB/month */
	double free_rest, free_http, free_ws_messages, free_ws_minutes; /* first year */
	double account_rate;			/* requests/s, account and Region */
	double account_burst;			/* token bucket size */
	double ws_message_max_kb;
	/* behaviour (assumptions) */
	bool throttled_billed;			/* are 429s billed as requests? */
};

struct ddb_class_prices {
	double read_request;			/* USD per read request unit (on-demand) */
	double write_request;			/* USD per write request unit */
	double rcu_hourly;			/* USD per RCU-hour (provisioned) */
	double wcu_hourly;			/* USD per WCU-hour */
	double storage_gb_month;
};

struct autoscaling_model {
	double alarm_delay_s;			/* alarm latency after the datapoints */
	double update_delay_s;			/* UpdateTable latency */
	double scale_out_minutes;		/* consecutive datapoints above target */
	double scale_in_minutes;		/* consecutive datapoints below target - gap */
	double scale_in_gap;			/* percentage points below target, as a fraction */
	double decreases_first_hour;
	double decrease_interval_s;
	bool scale_in_on_zero;			/* zero consumption counts as a datapoint */
};

struct dynamo_model {
	struct ddb_class_prices price[CLASS_COUNT];
	double free_storage_gb, free_rcu, free_wcu;	/* always free, per Region */
	/* limits */
	double partition_rcu, partition_wcu, partition_gb;
	double table_max_rcu, table_max_wcu;	/* per table incl. GSIs */
	double account_max_rcu, account_max_wcu;	/* provisioned tables */
	double min_units;
	double on_demand_initial_rru, on_demand_initial_wru;
	double item_max_kb;
	double max_gsis;
	/* behaviour (assumptions) */
	double burst_s;				/* seconds of unused capacity banked */
	enum burst_form burst_form;
	double burst_retention;			/* share of unused capacity banked */
	double burst_availability;		/* share of the bank usable */
	enum partition_rule partition_rule;
	double ec_read_partition_multiplier;
	enum admission admission;
	double split_heat_threshold, split_heat_sustain_s, split_heat_delay_s;
	struct autoscaling_model autoscaling;
	double on_demand_lag_s;			/* the "previous peak" is this old */
	double on_demand_window_s;		/* sustained-peak averaging window */
	double client_retries;
};

struct model {
	char *name;		/* e.g. "aws/us-east-1" */
	char *region;
	char *currency;
	char *as_of;		/* date the figures were read (newest section) */
	char *path;		/* file it was loaded from */
	char **sources;		/* all sources cited, NULL-terminated */
	struct lambda_model lambda;
	struct apigw_model apigw;
	struct dynamo_model dynamo;
};

void model_free(struct model *m);

/* Cost of 'qty' units under tiered prices, starting at cumulative usage
 * 'start' (so qty units occupy [start, start + qty)). */
double tiers_cost(const struct tiers *t, double start, double qty);

const char *arch_name(enum arch a);
const char *class_name(enum table_class c);

#endif
