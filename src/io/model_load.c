#include "model_load.h"

#include <dirent.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/units.h"
#include "../core/util.h"
#include "paths.h"

/* How a model key is stored. */
enum kind {
	K_NUM,		/* double */
	K_MILLION,	/* "per_million" figure stored per unit */
	K_BOOL,
	K_ENUM,		/* int from a list of names */
	K_TIERS,	/* list of {up_to_X, price} */
	K_CACHE,	/* list of {size_gb, hourly} */
	K_STR,		/* char * (identity fields) */
	K_SECTION,	/* a map whose own keys are listed elsewhere */
	K_SOURCES	/* list of strings */
};

struct field {
	const char *path;	/* dotted path in the YAML */
	enum kind kind;
	size_t off;		/* offset in struct model */
	double min, max;	/* allowed range for numbers */
	const char *const *names;	/* K_ENUM names; K_TIERS: {bound key, price key} */
	double scale;		/* K_TIERS: price divisor (1e6 for per_million) */
};

#define OFF(f) offsetof(struct model, f)
#define BIG 1e15

static const char *const arrivals_names[] = {"poisson", "uniform", NULL};
static const char *const refill_names[] = {"continuous", "stepped", NULL};
static const char *const burst_names[] = {"token_bucket", "sliding_window", NULL};
static const char *const rule_names[] = {"linear", "independent", NULL};
static const char *const admission_names[] = {"current", "legacy", NULL};
static const char *const gbs_tier[] = {"up_to_gb_seconds", "per_gb_second", NULL};
static const char *const req_tier[] = {"up_to_requests", "per_million", NULL};
static const char *const gb_tier[] = {"up_to_gb", "per_gb", NULL};

static const struct field fields[] = {
	{"name", K_STR, OFF(name), 0, 0, NULL, 0},
	{"provider", K_SECTION, 0, 0, 0, NULL, 0},
	{"region", K_STR, OFF(region), 0, 0, NULL, 0},
	{"currency", K_STR, OFF(currency), 0, 0, NULL, 0},
	{"as_of", K_STR, OFF(as_of), 0, 0, NULL, 0},
	{"sources", K_SOURCES, 0, 0, 0, NULL, 0},
	{"extends", K_SECTION, 0, 0, 0, NULL, 0},

	{"lambda.as_of", K_SECTION, 0, 0, 0, NULL, 0},
	{"lambda.sources", K_SOURCES, 0, 0, 0, NULL, 0},
	{"lambda.requests.per_million", K_MILLION, OFF(lambda.request_price), 0, BIG, NULL, 0},
	{"lambda.duration.x86_64", K_TIERS, OFF(lambda.duration[ARCH_X86_64]), 0, 0, gbs_tier, 1},
	{"lambda.duration.arm64", K_TIERS, OFF(lambda.duration[ARCH_ARM64]), 0, 0, gbs_tier, 1},
	{"lambda.ephemeral_storage.included_mb", K_NUM, OFF(lambda.ephemeral_included_mb), 0, BIG, NULL, 0},
	{"lambda.ephemeral_storage.per_gb_second", K_NUM, OFF(lambda.ephemeral_gb_second), 0, BIG, NULL, 0},
	{"lambda.provisioned_concurrency.rounding_s", K_NUM, OFF(lambda.pc_rounding_s), 1, BIG, NULL, 0},
	{"lambda.provisioned_concurrency.x86_64.per_gb_second", K_NUM, OFF(lambda.pc_gb_second[ARCH_X86_64]), 0, BIG, NULL, 0},
	{"lambda.provisioned_concurrency.x86_64.duration_per_gb_second", K_NUM, OFF(lambda.pc_duration_gb_second[ARCH_X86_64]), 0, BIG, NULL, 0},
	{"lambda.provisioned_concurrency.arm64.per_gb_second", K_NUM, OFF(lambda.pc_gb_second[ARCH_ARM64]), 0, BIG, NULL, 0},
	{"lambda.provisioned_concurrency.arm64.duration_per_gb_second", K_NUM, OFF(lambda.pc_duration_gb_second[ARCH_ARM64]), 0, BIG, NULL, 0},
	{"lambda.free_tier.requests", K_NUM, OFF(lambda.free_requests), 0, BIG, NULL, 0},
	{"lambda.free_tier.gb_seconds", K_NUM, OFF(lambda.free_gb_seconds), 0, BIG, NULL, 0},
	{"lambda.limits.memory_mb.min", K_NUM, OFF(lambda.memory_min_mb), 1, BIG, NULL, 0},
	{"lambda.limits.memory_mb.max", K_NUM, OFF(lambda.memory_max_mb), 1, BIG, NULL, 0},
	{"lambda.limits.ephemeral_mb.min", K_NUM, OFF(lambda.ephemeral_min_mb), 0, BIG, NULL, 0},
	{"lambda.limits.ephemeral_mb.max", K_NUM, OFF(lambda.ephemeral_max_mb), 0, BIG, NULL, 0},
	{"lambda.limits.timeout_s", K_NUM, OFF(lambda.timeout_max_s), 1, BIG, NULL, 0},
	{"lambda.limits.account_concurrency", K_NUM, OFF(lambda.account_concurrency), 1, BIG, NULL, 0},
	{"lambda.limits.unreserved_min", K_NUM, OFF(lambda.unreserved_min), 0, BIG, NULL, 0},
	{"lambda.limits.scale_per_10s", K_NUM, OFF(lambda.scale_per_10s), 1, BIG, NULL, 0},
	{"lambda.limits.rps_per_concurrency", K_NUM, OFF(lambda.rps_per_concurrency), 0.001, BIG, NULL, 0},
	{"lambda.limits.init_max_ms", K_NUM, OFF(lambda.init_max_ms), 0, BIG, NULL, 0},
	{"lambda.behaviour.keep_alive_s", K_NUM, OFF(lambda.keep_alive_s), 0, BIG, NULL, 0},
	{"lambda.behaviour.arrivals", K_ENUM, OFF(lambda.arrivals), 0, 0, arrivals_names, 0},
	{"lambda.behaviour.scale_refill", K_ENUM, OFF(lambda.scale_refill), 0, 0, refill_names, 0},
	{"lambda.behaviour.init_billed", K_BOOL, OFF(lambda.init_billed), 0, 0, NULL, 0},
	{"lambda.behaviour.async_max_event_age_s", K_NUM, OFF(lambda.async_max_event_age_s), 0, BIG, NULL, 0},
	{"lambda.behaviour.async_max_backoff_s", K_NUM, OFF(lambda.async_max_backoff_s), 1, BIG, NULL, 0},
	{"lambda.behaviour.async_retry_attempts", K_NUM, OFF(lambda.async_retry_attempts), 0, 100, NULL, 0},

	{"apigateway.as_of", K_SECTION, 0, 0, 0, NULL, 0},
	{"apigateway.sources", K_SOURCES, 0, 0, 0, NULL, 0},
	{"apigateway.rest.requests", K_TIERS, OFF(apigw.rest), 0, 0, req_tier, 1e6},
	{"apigateway.http.metering_kb", K_NUM, OFF(apigw.http_metering_kb), 1, BIG, NULL, 0},
	{"apigateway.http.requests", K_TIERS, OFF(apigw.http), 0, 0, req_tier, 1e6},
	{"apigateway.websocket.metering_kb", K_NUM, OFF(apigw.ws_metering_kb), 1, BIG, NULL, 0},
	{"apigateway.websocket.message_max_kb", K_NUM, OFF(apigw.ws_message_max_kb), 1, BIG, NULL, 0},
	{"apigateway.websocket.messages", K_TIERS, OFF(apigw.ws_messages), 0, 0, req_tier, 1e6},
	{"apigateway.websocket.connection_minutes.per_million", K_MILLION, OFF(apigw.ws_minute_price), 0, BIG, NULL, 0},
	{"apigateway.cache", K_CACHE, 0, 0, 0, NULL, 0},
	{"apigateway.data_transfer_out", K_TIERS, OFF(apigw.transfer_out), 0, 0, gb_tier, 1},
	{"apigateway.free_tier.rest_requests", K_NUM, OFF(apigw.free_rest), 0, BIG, NULL, 0},
	{"apigateway.free_tier.http_requests", K_NUM, OFF(apigw.free_http), 0, BIG, NULL, 0},
	{"apigateway.free_tier.websocket_messages", K_NUM, OFF(apigw.free_ws_messages), 0, BIG, NULL, 0},
	{"apigateway.free_tier.websocket_connection_minutes", K_NUM, OFF(apigw.free_ws_minutes), 0, BIG, NULL, 0},
	{"apigateway.limits.account_rate", K_NUM, OFF(apigw.account_rate), 0, BIG, NULL, 0},
	{"apigateway.limits.account_burst", K_NUM, OFF(apigw.account_burst), 0, BIG, NULL, 0},
	{"apigateway.behaviour.throttled_billed", K_BOOL, OFF(apigw.throttled_billed), 0, 0, NULL, 0},

	{"dynamodb.as_of", K_SECTION, 0, 0, 0, NULL, 0},
	{"dynamodb.sources", K_SOURCES, 0, 0, 0, NULL, 0},
	{"dynamodb.standard.on_demand.read_per_million", K_MILLION, OFF(dynamo.price[CLASS_STANDARD].read_request), 0, BIG, NULL, 0},
	{"dynamodb.standard.on_demand.write_per_million", K_MILLION, OFF(dynamo.price[CLASS_STANDARD].write_request), 0, BIG, NULL, 0},
	{"dynamodb.standard.provisioned.rcu_hourly", K_NUM, OFF(dynamo.price[CLASS_STANDARD].rcu_hourly), 0, BIG, NULL, 0},
	{"dynamodb.standard.provisioned.wcu_hourly", K_NUM, OFF(dynamo.price[CLASS_STANDARD].wcu_hourly), 0, BIG, NULL, 0},
	{"dynamodb.standard.storage.gb_month", K_NUM, OFF(dynamo.price[CLASS_STANDARD].storage_gb_month), 0, BIG, NULL, 0},
	{"dynamodb.standard_ia.on_demand.read_per_million", K_MILLION, OFF(dynamo.price[CLASS_STANDARD_IA].read_request), 0, BIG, NULL, 0},
	{"dynamodb.standard_ia.on_demand.write_per_million", K_MILLION, OFF(dynamo.price[CLASS_STANDARD_IA].write_request), 0, BIG, NULL, 0},
	{"dynamodb.standard_ia.provisioned.rcu_hourly", K_NUM, OFF(dynamo.price[CLASS_STANDARD_IA].rcu_hourly), 0, BIG, NULL, 0},
	{"dynamodb.standard_ia.provisioned.wcu_hourly", K_NUM, OFF(dynamo.price[CLASS_STANDARD_IA].wcu_hourly), 0, BIG, NULL, 0},
	{"dynamodb.standard_ia.storage.gb_month", K_NUM, OFF(dynamo.price[CLASS_STANDARD_IA].storage_gb_month), 0, BIG, NULL, 0},
	{"dynamodb.free_tier.storage_gb", K_NUM, OFF(dynamo.free_storage_gb), 0, BIG, NULL, 0},
	{"dynamodb.free_tier.rcu", K_NUM, OFF(dynamo.free_rcu), 0, BIG, NULL, 0},
	{"dynamodb.free_tier.wcu", K_NUM, OFF(dynamo.free_wcu), 0, BIG, NULL, 0},
	{"dynamodb.limits.partition_rcu", K_NUM, OFF(dynamo.partition_rcu), 1, BIG, NULL, 0},
	{"dynamodb.limits.partition_wcu", K_NUM, OFF(dynamo.partition_wcu), 1, BIG, NULL, 0},
	{"dynamodb.limits.partition_gb", K_NUM, OFF(dynamo.partition_gb), 0.001, BIG, NULL, 0},
	{"dynamodb.limits.table_max_rcu", K_NUM, OFF(dynamo.table_max_rcu), 1, BIG, NULL, 0},
	{"dynamodb.limits.table_max_wcu", K_NUM, OFF(dynamo.table_max_wcu), 1, BIG, NULL, 0},
	{"dynamodb.limits.account_max_rcu", K_NUM, OFF(dynamo.account_max_rcu), 1, BIG, NULL, 0},
	{"dynamodb.limits.account_max_wcu", K_NUM, OFF(dynamo.account_max_wcu), 1, BIG, NULL, 0},
	{"dynamodb.limits.min_units", K_NUM, OFF(dynamo.min_units), 0, BIG, NULL, 0},
	{"dynamodb.limits.on_demand_initial_rru", K_NUM, OFF(dynamo.on_demand_initial_rru), 0, BIG, NULL, 0},
	{"dynamodb.limits.on_demand_initial_wru", K_NUM, OFF(dynamo.on_demand_initial_wru), 0, BIG, NULL, 0},
	{"dynamodb.limits.item_max_kb", K_NUM, OFF(dynamo.item_max_kb), 1, BIG, NULL, 0},
	{"dynamodb.limits.max_gsis", K_NUM, OFF(dynamo.max_gsis), 0, BIG, NULL, 0},
	{"dynamodb.behaviour.burst_s", K_NUM, OFF(dynamo.burst_s), 0, BIG, NULL, 0},
	{"dynamodb.behaviour.burst_form", K_ENUM, OFF(dynamo.burst_form), 0, 0, burst_names, 0},
	{"dynamodb.behaviour.burst_retention", K_NUM, OFF(dynamo.burst_retention), 0, 1, NULL, 0},
	{"dynamodb.behaviour.burst_availability", K_NUM, OFF(dynamo.burst_availability), 0, 1, NULL, 0},
	{"dynamodb.behaviour.partition_rule", K_ENUM, OFF(dynamo.partition_rule), 0, 0, rule_names, 0},
	{"dynamodb.behaviour.ec_read_partition_multiplier", K_NUM, OFF(dynamo.ec_read_partition_multiplier), 1, 10, NULL, 0},
	{"dynamodb.behaviour.admission", K_ENUM, OFF(dynamo.admission), 0, 0, admission_names, 0},
	{"dynamodb.behaviour.split_heat_threshold", K_NUM, OFF(dynamo.split_heat_threshold), 0, 1, NULL, 0},
	{"dynamodb.behaviour.split_heat_sustain_s", K_NUM, OFF(dynamo.split_heat_sustain_s), 0, BIG, NULL, 0},
	{"dynamodb.behaviour.split_heat_delay_s", K_NUM, OFF(dynamo.split_heat_delay_s), 0, BIG, NULL, 0},
	{"dynamodb.behaviour.autoscaling.alarm_delay_s", K_NUM, OFF(dynamo.autoscaling.alarm_delay_s), 0, BIG, NULL, 0},
	{"dynamodb.behaviour.autoscaling.update_delay_s", K_NUM, OFF(dynamo.autoscaling.update_delay_s), 0, BIG, NULL, 0},
	{"dynamodb.behaviour.autoscaling.scale_out_minutes", K_NUM, OFF(dynamo.autoscaling.scale_out_minutes), 1, 1440, NULL, 0},
	{"dynamodb.behaviour.autoscaling.scale_in_minutes", K_NUM, OFF(dynamo.autoscaling.scale_in_minutes), 1, 1440, NULL, 0},
	{"dynamodb.behaviour.autoscaling.scale_in_gap", K_NUM, OFF(dynamo.autoscaling.scale_in_gap), 0, 1, NULL, 0},
	{"dynamodb.behaviour.autoscaling.decreases_first_hour", K_NUM, OFF(dynamo.autoscaling.decreases_first_hour), 0, 1000, NULL, 0},
	{"dynamodb.behaviour.autoscaling.decrease_interval_s", K_NUM, OFF(dynamo.autoscaling.decrease_interval_s), 0, BIG, NULL, 0},
	{"dynamodb.behaviour.autoscaling.scale_in_on_zero", K_BOOL, OFF(dynamo.autoscaling.scale_in_on_zero), 0, 0, NULL, 0},
	{"dynamodb.behaviour.on_demand_lag_s", K_NUM, OFF(dynamo.on_demand_lag_s), 0, BIG, NULL, 0},
	{"dynamodb.behaviour.on_demand_window_s", K_NUM, OFF(dynamo.on_demand_window_s), 1, BIG, NULL, 0},
	{"dynamodb.behaviour.client_retries", K_NUM, OFF(dynamo.client_retries), 0, 100, NULL, 0},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

const char *model_dir(void)
{
	static char *dir;
	const char *env = getenv("COSTCAP_MODELS");

	if (env && *env)
		return env;
	if (!dir)
		dir = xasprintf("%s/models", paths_share_dir());
	return dir;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

char *model_resolve(const char *ref, const char *base_dir, struct err *e)
{
	char *path;

	if (ends_with(ref, ".yaml") || ends_with(ref, ".yml") || ref[0] == '.' || ref[0] == '/')
		path = paths_join(base_dir, ref);
	else
		path = xasprintf("%s/%s.yaml", model_dir(), ref);
	if (!is_file(path)) {
		char **names = NULL;

		if (!ends_with(ref, ".yaml") && model_list(&names, e) == 0 && names[0]) {
			struct sbuf b = {0};
			size_t i;

			for (i = 0; names[i]; i++) {
				sbuf_add(&b, i ? ", " : "");
				sbuf_add(&b, names[i]);
				free(names[i]);
			}
			free(names);
			err_add(e, NULL, 0, 0, "unknown model '%s' (models: %s)", ref, b.buf);
			sbuf_free(&b);
		} else {
			if (names)
				free(names);
			err_add(e, NULL, 0, 0, "model '%s' not found (looked for %s)", ref, path);
		}
		free(path);
		return NULL;
	}
	return path;
}

/* Removes key 'k' from map 'm', if present. */
static void drop_key(struct ynode *m, const char *k)
{
	size_t i;

	for (i = 0; i + 1 < m->n; i += 2)
		if (strcmp(m->items[i]->str, k) == 0) {
			ynode_free(m->items[i]);
			ynode_free(m->items[i + 1]);
			memmove(&m->items[i], &m->items[i + 2], (m->n - i - 2) * sizeof *m->items);
			m->n -= 2;
			return;
		}
}

/* Loads the file at 'path' and, recursively, what it extends; returns the
 * merged tree or NULL. */
static struct ynode *load_chain(const char *path, int depth, struct err *e)
{
	struct ynode *root = NULL, *ext, *parent;
	char *dir, *pp;

	if (yaml_load_file(path, &root, e) < 0)
		return NULL;
	if (!root || root->kind != YNODE_MAP) {
		err_add(e, path, root ? root->line : 1, root ? root->col : 1,
			"a model file must be a mapping of sections (lambda, apigateway, dynamodb)");
		ynode_free(root);
		return NULL;
	}
	ext = ynode_get(root, "extends");
	if (!ext)
		return root;
	if (ext->kind != YNODE_SCALAR) {
		err_add(e, path, ext->line, ext->col, "'extends' must name a model");
		ynode_free(root);
		return NULL;
	}
	if (depth >= 16) {
		err_add(e, path, ext->line, ext->col, "'extends' chain is longer than 16 (a cycle?)");
		ynode_free(root);
		return NULL;
	}
	dir = paths_dirname(path);
	pp = model_resolve(ext->str, dir, e);
	free(dir);
	if (!pp) {
		struct diag *d = &e->v[e->n - 1];

		free(d->file);
		d->file = xstrdup(path);
		d->line = ext->line;
		d->col = ext->col;
		ynode_free(root);
		return NULL;
	}
	parent = load_chain(pp, depth + 1, e);
	free(pp);
	if (!parent) {
		ynode_free(root);
		return NULL;
	}
	drop_key(root, "extends");
	ynode_merge(parent, root);
	ynode_free(root);
	return parent;
}

int model_load_tree(const char *ref, const char *base_dir,
		    struct ynode **tree, char **path, struct err *e)
{
	char *p = model_resolve(ref, base_dir, e);

	*tree = NULL;
	*path = NULL;
	if (!p)
		return -1;
	*tree = load_chain(p, 0, e);
	if (!*tree) {
		free(p);
		return -1;
	}
	*path = p;
	return 0;
}

/* The field whose path is exactly 'path', or NULL. */
static const struct field *field_at(const char *path)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].path, path) == 0)
			return &fields[i];
	return NULL;
}

/* Whether some field lies under 'prefix' (a section path). */
static int is_section(const char *prefix)
{
	size_t i, n = strlen(prefix);

	for (i = 0; i < NFIELDS; i++)
		if (strncmp(fields[i].path, prefix, n) == 0 && fields[i].path[n] == '.')
			return 1;
	return 0;
}

/* The closest known key under 'prefix' to 'key', for "did you mean". */
static const char *suggest(const char *prefix, const char *key)
{
	static char best[64];
	size_t i, n = strlen(prefix);
	int bestd = 3;

	best[0] = '\0';
	for (i = 0; i < NFIELDS; i++) {
		const char *rest = fields[i].path;
		char seg[64];
		size_t len;
		int d;

		if (n) {
			if (strncmp(rest, prefix, n) != 0 || rest[n] != '.')
				continue;
			rest += n + 1;
		}
		len = strcspn(rest, ".");
		if (len >= sizeof seg)
			continue;
		memcpy(seg, rest, len);
		seg[len] = '\0';
		d = util_edit_distance(key, seg, bestd);
		if (d < bestd) {
			bestd = d;
			snprintf(best, sizeof best, "%s", seg);
		}
	}
	return best[0] ? best : NULL;
}

static const char *kind_name(const struct ynode *n)
{
	return n->kind == YNODE_MAP ? "a mapping" : n->kind == YNODE_SEQ ? "a sequence" : "a scalar";
}

static int parse_num(const char *file, const struct ynode *n, const char *what,
		     double min, double max, double *out, struct err *e)
{
	double v;

	if (n->kind != YNODE_SCALAR) {
		err_add(e, file, n->line, n->col, "%s: expected a number, found %s", what, kind_name(n));
		return -1;
	}
	if (units_number(n->str, &v) < 0) {
		err_add(e, file, n->line, n->col, "%s: expected a number, found '%s'", what, n->str);
		return -1;
	}
	if (v < min || v > max) {
		err_add(e, file, n->line, n->col, "%s: %g is out of range [%g, %g]", what, v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_bool(const char *file, const struct ynode *n, const char *what,
		      bool *out, struct err *e)
{
	if (n->kind == YNODE_SCALAR) {
		if (!strcmp(n->str, "true") || !strcmp(n->str, "yes")) {
			*out = true;
			return 0;
		}
		if (!strcmp(n->str, "false") || !strcmp(n->str, "no")) {
			*out = false;
			return 0;
		}
	}
	err_add(e, file, n->line, n->col, "%s: expected true or false", what);
	return -1;
}

static int parse_enum(const char *file, const struct ynode *n, const char *what,
		      const char *const *names, int *out, struct err *e)
{
	struct sbuf b = {0};
	int i;

	if (n->kind == YNODE_SCALAR)
		for (i = 0; names[i]; i++)
			if (strcmp(n->str, names[i]) == 0) {
				*out = i;
				return 0;
			}
	for (i = 0; names[i]; i++) {
		sbuf_add(&b, i ? " | " : "");
		sbuf_add(&b, names[i]);
	}
	err_add(e, file, n->line, n->col, "%s: expected %s", what, b.buf);
	sbuf_free(&b);
	return -1;
}

static int parse_tiers(const char *file, const struct ynode *n, const struct field *f,
		       struct tiers *t, struct err *e)
{
	size_t i;
	double prev = 0;
	int bad = 0;

	if (n->kind != YNODE_SEQ || n->n == 0 || n->n > MODEL_MAX_TIERS) {
		err_add(e, file, n->line, n->col,
			"%s: expected a list of 1 to %d tiers {%s, %s}", f->path,
			MODEL_MAX_TIERS, f->names[0], f->names[1]);
		return -1;
	}
	t->n = (int)n->n;
	for (i = 0; i < n->n; i++) {
		const struct ynode *it = n->items[i], *b, *p;
		size_t k;

		if (it->kind != YNODE_MAP) {
			err_add(e, file, it->line, it->col, "%s: a tier must be a mapping", f->path);
			bad = 1;
			continue;
		}
		for (k = 0; k + 1 < it->n; k += 2)
			if (strcmp(it->items[k]->str, f->names[0]) && strcmp(it->items[k]->str, f->names[1])) {
				err_add(e, file, it->items[k]->line, it->items[k]->col,
					"unknown key '%s' in a tier of %s (expected %s, %s)",
					it->items[k]->str, f->path, f->names[0], f->names[1]);
				bad = 1;
			}
		b = ynode_get(it, f->names[0]);
		p = ynode_get(it, f->names[1]);
		if (!p) {
			err_add(e, file, it->line, it->col, "%s: tier %zu has no '%s'",
				f->path, i + 1, f->names[1]);
			bad = 1;
			continue;
		}
		if (parse_num(file, p, f->names[1], 0, BIG, &t->t[i].price, e) < 0)
			bad = 1;
		t->t[i].price /= f->scale;
		if (i + 1 < n->n) {
			if (!b) {
				err_add(e, file, it->line, it->col, "%s: tier %zu needs '%s' (only the last is unbounded)",
					f->path, i + 1, f->names[0]);
				bad = 1;
				continue;
			}
			if (parse_num(file, b, f->names[0], prev, BIG, &t->t[i].up_to, e) < 0)
				bad = 1;
			else if (t->t[i].up_to <= prev && i > 0) {
				err_add(e, file, b->line, b->col, "%s: tier bounds must ascend", f->path);
				bad = 1;
			}
			prev = t->t[i].up_to;
		} else {
			if (b) {
				err_add(e, file, b->line, b->col, "%s: the last tier must have no '%s'",
					f->path, f->names[0]);
				bad = 1;
			}
			t->t[i].up_to = INFINITY;
		}
	}
	return bad ? -1 : 0;
}

static int parse_cache(const char *file, const struct ynode *n, struct apigw_model *a, struct err *e)
{
	size_t i, k;
	int bad = 0;

	if (n->kind != YNODE_SEQ || n->n == 0 || n->n > MODEL_MAX_CACHE) {
		err_add(e, file, n->line, n->col, "apigateway.cache: expected a list of 1 to %d {size_gb, hourly}",
			MODEL_MAX_CACHE);
		return -1;
	}
	a->ncache = (int)n->n;
	for (i = 0; i < n->n; i++) {
		const struct ynode *it = n->items[i], *s, *h;

		if (it->kind != YNODE_MAP) {
			err_add(e, file, it->line, it->col, "apigateway.cache: an entry must be a mapping");
			bad = 1;
			continue;
		}
		for (k = 0; k + 1 < it->n; k += 2)
			if (strcmp(it->items[k]->str, "size_gb") && strcmp(it->items[k]->str, "hourly")) {
				err_add(e, file, it->items[k]->line, it->items[k]->col,
					"unknown key '%s' in apigateway.cache (expected size_gb, hourly)",
					it->items[k]->str);
				bad = 1;
			}
		s = ynode_get(it, "size_gb");
		h = ynode_get(it, "hourly");
		if (!s || !h) {
			err_add(e, file, it->line, it->col, "apigateway.cache: each entry needs size_gb and hourly");
			bad = 1;
			continue;
		}
		if (parse_num(file, s, "size_gb", 0.001, BIG, &a->cache[i].size_gb, e) < 0 ||
		    parse_num(file, h, "hourly", 0, BIG, &a->cache[i].hourly, e) < 0)
			bad = 1;
		else if (i > 0 && a->cache[i].size_gb <= a->cache[i - 1].size_gb) {
			err_add(e, file, s->line, s->col, "apigateway.cache: sizes must ascend");
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

/* Parses one leaf into the model (or only checks it when m is NULL). */
static int parse_leaf(const char *file, const struct ynode *n, const struct field *f,
		      struct model *m, struct err *e)
{
	struct model scratch;
	char *base;
	int iv;

	memset(&scratch, 0, sizeof scratch);
	base = (char *)(m ? m : &scratch);
	switch (f->kind) {
	case K_NUM:
		return parse_num(file, n, f->path, f->min, f->max, (double *)(base + f->off), e);
	case K_MILLION:
		if (parse_num(file, n, f->path, f->min, f->max, (double *)(base + f->off), e) < 0)
			return -1;
		*(double *)(base + f->off) /= 1e6;
		return 0;
	case K_BOOL:
		return parse_bool(file, n, f->path, (bool *)(base + f->off), e);
	case K_ENUM:
		if (parse_enum(file, n, f->path, f->names, &iv, e) < 0)
			return -1;
		memcpy(base + f->off, &iv, sizeof iv);
		return 0;
	case K_TIERS:
		return parse_tiers(file, n, f, (struct tiers *)(base + f->off), e);
	case K_CACHE:
		return parse_cache(file, n, &((struct model *)base)->apigw, e);
	case K_STR:
		if (n->kind != YNODE_SCALAR) {
			err_add(e, file, n->line, n->col, "%s: expected a string", f->path);
			return -1;
		}
		if (m) {
			char **s = (char **)(base + f->off);

			free(*s);
			*s = xstrdup(n->str);
		}
		return 0;
	case K_SOURCES:
		if (n->kind != YNODE_SEQ && n->kind != YNODE_SCALAR) {
			err_add(e, file, n->line, n->col, "%s: expected a list of sources", f->path);
			return -1;
		}
		return 0;
	case K_SECTION:
	default:
		if (n->kind != YNODE_SCALAR) {
			err_add(e, file, n->line, n->col, "%s: expected a scalar", f->path);
			return -1;
		}
		return 0;
	}
}

/* Checks every key of map 'n' (at dotted 'prefix') against the field
 * table: unknown keys and bad values are reported. Returns problems found. */
static int check_keys(const char *file, const struct ynode *n, const char *prefix, struct err *e)
{
	size_t i;
	int bad = 0;

	if (n->kind != YNODE_MAP) {
		err_add(e, file, n->line, n->col, "%s: expected a mapping, found %s",
			prefix[0] ? prefix : "model", kind_name(n));
		return 1;
	}
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *k = n->items[i], *v = n->items[i + 1];
		char *path = prefix[0] ? xasprintf("%s.%s", prefix, k->str) : xstrdup(k->str);
		const struct field *f = field_at(path);

		if (f)
			bad += parse_leaf(file, v, f, NULL, e) < 0;
		else if (is_section(path))
			bad += check_keys(file, v, path, e);
		else {
			const char *s = suggest(prefix, k->str);

			if (s)
				err_add(e, file, k->line, k->col, "unknown key '%s'%s%s (did you mean '%s'?)",
					k->str, prefix[0] ? " in " : "", prefix, s);
			else
				err_add(e, file, k->line, k->col, "unknown key '%s'%s%s",
					k->str, prefix[0] ? " in " : "", prefix);
			bad++;
		}
		free(path);
	}
	return bad;
}

/* Looks up a dotted path in a tree. */
static const struct ynode *lookup(const struct ynode *root, const char *path)
{
	char seg[64];
	const char *p = path;

	while (root && *p) {
		size_t len = strcspn(p, ".");

		if (len >= sizeof seg)
			return NULL;
		memcpy(seg, p, len);
		seg[len] = '\0';
		root = ynode_get(root, seg);
		p += len;
		if (*p == '.')
			p++;
	}
	return root;
}

static void collect_sources(struct model *m, const struct ynode *root)
{
	static const char *const where[] = {"sources", "lambda.sources", "apigateway.sources",
					    "dynamodb.sources"};
	size_t n = 0, cap = 0, i, j, k;

	for (i = 0; i < 4; i++) {
		const struct ynode *s = lookup(root, where[i]);

		if (!s)
			continue;
		for (j = 0; j < (s->kind == YNODE_SEQ ? s->n : 1); j++) {
			const struct ynode *it = s->kind == YNODE_SEQ ? s->items[j] : s;
			int dup = 0;

			if (it->kind != YNODE_SCALAR)
				continue;
			for (k = 0; k < n; k++)
				dup |= strcmp(m->sources[k], it->str) == 0;
			if (dup)
				continue;
			xgrow(&m->sources, &cap, n + 2, sizeof *m->sources);
			m->sources[n++] = xstrdup(it->str);
		}
	}
	xgrow(&m->sources, &cap, n + 1, sizeof *m->sources);
	m->sources[n] = NULL;
}

/* Wraps a plan's behaviour: {lambda: {...}} as {lambda: {behaviour: {...}}}. */
static struct ynode *wrap_behaviour(const struct ynode *b)
{
	struct ynode *w = ynode_new(YNODE_MAP, b->line, b->col);
	size_t i;

	for (i = 0; i + 1 < b->n; i += 2) {
		struct ynode *svc = ynode_new(YNODE_MAP, b->items[i]->line, b->items[i]->col);

		ynode_append(svc, ynode_new_scalar("behaviour", b->items[i]->line, b->items[i]->col));
		ynode_append(svc, ynode_copy(b->items[i + 1]));
		ynode_append(w, ynode_copy(b->items[i]));
		ynode_append(w, svc);
	}
	return w;
}

int model_load(const char *ref, const char *base_dir,
	       const struct ynode *behaviour, const char *bfile,
	       struct model **out, struct err *e)
{
	struct ynode *tree = NULL;
	char *path = NULL;
	struct model *m;
	size_t i, before = e->n;
	int bad = 0;

	*out = NULL;
	if (model_load_tree(ref, base_dir, &tree, &path, e) < 0)
		return -1;
	bad += check_keys(path, tree, "", e);
	if (behaviour) {
		if (behaviour->kind != YNODE_MAP) {
			err_add(e, bfile, behaviour->line, behaviour->col,
				"behaviour: expected a mapping of lambda / apigateway / dynamodb");
			bad++;
		} else {
			struct ynode *w = wrap_behaviour(behaviour);
			size_t k;

			for (k = 0; k + 1 < w->n; k += 2) {
				const char *s = w->items[k]->str;

				if (strcmp(s, "lambda") && strcmp(s, "apigateway") && strcmp(s, "dynamodb")) {
					err_add(e, bfile, w->items[k]->line, w->items[k]->col,
						"unknown service '%s' in behaviour (expected lambda, apigateway or dynamodb)", s);
					bad++;
				}
			}
			if (!bad)
				bad += check_keys(bfile, w, "", e);
			if (!bad)
				ynode_merge(tree, w);
			ynode_free(w);
		}
	}
	if (bad) {
		ynode_free(tree);
		free(path);
		return -1;
	}
	m = xcalloc(1, sizeof *m);
	m->path = path;
	for (i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		const struct ynode *n = lookup(tree, f->path);

		if (f->kind == K_SECTION || f->kind == K_SOURCES)
			continue;
		if (!n) {
			err_add(e, path, 0, 0, "model is missing '%s'", f->path);
			continue;
		}
		parse_leaf(path, n, f, m, e);
	}
	collect_sources(m, tree);
	if (m->lambda.memory_min_mb > m->lambda.memory_max_mb)
		err_add(e, path, 0, 0, "lambda.limits.memory_mb: min is above max");
	ynode_free(tree);
	if (e->n > before) {
		model_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int model_list(char ***names, struct err *e)
{
	const char *root = model_dir();
	DIR *top = opendir(root), *sub;
	struct dirent *d, *f;
	size_t n = 0, cap = 0;
	char **v = NULL;

	*names = NULL;
	if (!top) {
		err_add(e, root, 0, 0, "cannot open the models folder");
		return -1;
	}
	while ((d = readdir(top)) != NULL) {
		char *dir;

		if (d->d_name[0] == '.')
			continue;
		dir = xasprintf("%s/%s", root, d->d_name);
		sub = opendir(dir);
		if (sub) {
			while ((f = readdir(sub)) != NULL) {
				size_t len = strlen(f->d_name);

				if (len > 5 && strcmp(f->d_name + len - 5, ".yaml") == 0) {
					xgrow(&v, &cap, n + 2, sizeof *v);
					v[n++] = xasprintf("%s/%.*s", d->d_name, (int)(len - 5), f->d_name);
				}
			}
			closedir(sub);
		}
		free(dir);
	}
	closedir(top);
	if (n)
		qsort(v, n, sizeof *v, cmp_str);
	xgrow(&v, &cap, n + 1, sizeof *v);
	v[n] = NULL;
	*names = v;
	return 0;
}
