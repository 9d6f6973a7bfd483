#include "plan_load.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../core/dynamo_units.h"
#include "../core/units.h"
#include "../core/util.h"
#include "model_load.h"
#include "paths.h"

#define DEFAULT_MODEL "aws/us-east-1"

/* AWS API limits on items per call (reference/aws-prices-and-limits.md,
 * DynamoDB quotas: BatchGetItem 100, BatchWriteItem 25, transactions 100).
 * They are API contracts rather than prices, so they are not in models. */
#define BATCH_GET_MAX 100
#define BATCH_WRITE_MAX 25
#define TRANSACT_MAX 100

/* Sanity limits on magnitudes, far above any real workload, that keep the
 * simulator's exact integer counters (uint64 requests, MB-ms, units over
 * a window of up to SIM_MAX_WINDOW_S) from overflowing: larger values are
 * input errors, not silently wrapped or saturated numbers. */
#define MAX_RATE_PER_S 1e9		/* events per second, traffic.scale applied */
#define MAX_SCALE 1e6			/* traffic.scale and --scale */
#define MAX_CONCURRENCY 1e6		/* account.lambda_concurrency */
#define MAX_ITEMS 1e6			/* items per DynamoDB call */
#define MAX_PAYLOAD_KB 10240.0		/* API Gateway payload limit (10 MB) */
#define MAX_NAME 1024			/* characters in a name, reference or path */

/* State shared by the conversion of one plan tree. */
struct ld {
	struct err *e;
	const char *file;	/* plan name in messages */
	const char *dir;	/* folder relative paths resolve against */
	struct plan *p;
	const struct model *m;	/* p->model */
	bool have_model;	/* false: the model failed; skip model limits */
	bool trace_given;	/* traffic.trace present (even if invalid) */
};

/* ---- diagnostics ---------------------------------------------------- */

/* Reports a problem at node 'n' (NULL: the plan as a whole). Nodes that
 * came from --set have line 0 and are reported against PLAN_SET_FILE. */
static void report(struct ld *L, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void report(struct ld *L, const struct ynode *n, const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;

	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!n)
		err_add(L->e, L->file, 0, 0, "%s", b.buf);
	else if (n->line > 0)
		err_add(L->e, L->file, n->line, n->col, "%s", b.buf);
	else
		err_add(L->e, PLAN_SET_FILE, 0, 0, "%s", b.buf);
	sbuf_free(&b);
}

/* A number as people write it: integers without a decimal point. */
struct nbuf {
	char s[40];
};

static struct nbuf fmt_num(double v)
{
	struct nbuf b;

	if (isinf(v))
		snprintf(b.s, sizeof b.s, "%s", v > 0 ? "infinity" : "-infinity");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(b.s, sizeof b.s, "%.0f", v == 0 ? 0.0 : v);
	else
		snprintf(b.s, sizeof b.s, "%.10g", v);
	return b;
}

static bool is_null(const struct ynode *n)
{
	return n && n->kind == YNODE_SCALAR && !n->quoted &&
	       (!n->str[0] || strcmp(n->str, "~") == 0 || strcasecmp(n->str, "null") == 0);
}

/* Describes a node for "expected X, found Y" messages. */
struct fbuf {
	char s[96];
};

static struct fbuf found(const struct ynode *n)
{
	struct fbuf b;

	if (!n || is_null(n))
		snprintf(b.s, sizeof b.s, "an empty value");
	else if (n->kind == YNODE_MAP)
		snprintf(b.s, sizeof b.s, "a map");
	else if (n->kind == YNODE_SEQ)
		snprintf(b.s, sizeof b.s, "a sequence");
	else if (strlen(n->str) > 60)
		snprintf(b.s, sizeof b.s, "'%.57s...'", n->str);
	else
		snprintf(b.s, sizeof b.s, "'%s'", n->str);
	return b;
}

/* The closest of 'names' to 's' when it is close enough to be a likely
 * typo, else NULL. */
static const char *suggest(const char *s, const char *const *names, size_t n)
{
	size_t len = strlen(s), i;
	int cap = len <= 2 ? 2 : len <= 5 ? 3 : 4, best = cap;
	const char *pick = NULL;

	for (i = 0; i < n; i++) {
		int d = util_edit_distance(s, names[i], cap);

		if (d < best) {
			best = d;
			pick = names[i];
		}
	}
	return pick;
}

static size_t count_names(const char *const *names)
{
	size_t n = 0;

	while (names[n])
		n++;
	return n;
}

/* "a, b, c" */
static char *join_names(const char *const *names, size_t n)
{
	struct sbuf b = {0};
	size_t i;

	for (i = 0; i < n; i++) {
		sbuf_add(&b, i ? ", " : "");
		sbuf_add(&b, names[i]);
	}
	return sbuf_take(&b);
}

/* Reports every key of 'map' not in 'allowed' (NULL-terminated), with a
 * suggestion when one is close. 'ctx' says where ("function 'x'"). */
static void check_keys(struct ld *L, const struct ynode *map, const char *ctx,
		       const char *const *allowed)
{
	size_t n = count_names(allowed), i, j;

	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *k = map->items[i];
		const char *hint;

		for (j = 0; j < n; j++)
			if (strcmp(k->str, allowed[j]) == 0)
				break;
		if (j < n)
			continue;
		hint = suggest(k->str, allowed, n);
		if (hint) {
			report(L, k, "unknown key '%s' in %s (did you mean '%s'?)", k->str, ctx, hint);
		} else {
			char *all = join_names(allowed, n);

			report(L, k, "unknown key '%s' in %s (expected one of: %s)", k->str, ctx, all);
			free(all);
		}
	}
}

/* The value of 'key' in 'map', or NULL when absent or empty (null). */
static const struct ynode *opt(const struct ynode *map, const char *key)
{
	const struct ynode *v = ynode_get(map, key);

	return v && !is_null(v) ? v : NULL;
}

/* Where to report a problem with map[key]: its value, else the map. */
static const struct ynode *at(const struct ynode *map, const char *key)
{
	const struct ynode *v = ynode_get(map, key);

	return v ? v : map;
}

static void missing(struct ld *L, const struct ynode *map, const char *key, const char *ctx)
{
	const struct ynode *v = ynode_get(map, key);

	if (v)
		report(L, v, "%s of %s: a value is required, found an empty value", key, ctx);
	else
		report(L, map, "missing required key '%s' in %s", key, ctx);
}

/* ---- typed values ----------------------------------------------------- */

/* Bounds and form of a number. */
struct nspec {
	double lo, hi;		/* inclusive bounds; -INFINITY / INFINITY when open */
	bool lo_excl;		/* the bound 'lo' itself is not allowed */
	bool integer;
	const char *unit;	/* appended to the bounds (" MB"), or NULL */
	const char *limit;	/* model limit behind the bounds, or NULL */
};

/* Checks 'v' against 'spec'; reports at 'n' as "what ...". */
static int check_num(struct ld *L, const struct ynode *n, const char *what, double v,
		     const struct nspec *spec)
{
	const char *unit = spec->unit ? spec->unit : "";
	struct sbuf b = {0};
	bool lo_fin = isfinite(spec->lo), hi_fin = isfinite(spec->hi);

	if (spec->integer && v != floor(v)) {
		report(L, n, "%s must be a whole number, found %s", what, fmt_num(v).s);
		return -1;
	}
	if (spec->limit && !L->have_model)
		return 0;
	if ((!lo_fin || (spec->lo_excl ? v > spec->lo : v >= spec->lo)) &&
	    (!hi_fin || v <= spec->hi))
		return 0;
	if (lo_fin && hi_fin && !spec->lo_excl)
		sbuf_printf(&b, "between %s and %s%s", fmt_num(spec->lo).s, fmt_num(spec->hi).s, unit);
	else if (lo_fin && hi_fin)
		sbuf_printf(&b, "greater than %s and at most %s%s", fmt_num(spec->lo).s,
			    fmt_num(spec->hi).s, unit);
	else if (lo_fin)
		sbuf_printf(&b, "%s %s%s", spec->lo_excl ? "greater than" : "at least",
			    fmt_num(spec->lo).s, unit);
	else
		sbuf_printf(&b, "at most %s%s", fmt_num(spec->hi).s, unit);
	if (spec->limit)
		report(L, n, "%s must be %s, found %s (%s in model %s)", what, b.buf,
		       fmt_num(v).s, spec->limit, L->m->name);
	else
		report(L, n, "%s must be %s, found %s", what, b.buf, fmt_num(v).s);
	sbuf_free(&b);
	return -1;
}

/* Parses a number node (k/M/B suffixes allowed; no NaN, Inf or hex). */
static int parse_num(struct ld *L, const struct ynode *n, const char *what, double *out)
{
	if (n->kind != YNODE_SCALAR || is_null(n) || units_number(n->str, out) < 0) {
		report(L, n, "%s: expected a number, found %s", what, found(n).s);
		return -1;
	}
	return 0;
}

/* Reads map[key] as a number within 'spec' into *out. Returns 1 when
 * stored, 0 when absent (reported when 'required'), -1 when invalid. */
static int rd_num(struct ld *L, const struct ynode *map, const char *key, const char *ctx,
		  bool required, double *out, struct nspec spec)
{
	const struct ynode *n = ynode_get(map, key);
	char what[512];
	double v;

	if (!n || (required && is_null(n))) {
		if (required)
			missing(L, map, key, ctx);
		return 0;
	}
	snprintf(what, sizeof what, "%s of %s", key, ctx);
	if (parse_num(L, n, what, &v) < 0 || check_num(L, n, what, v, &spec) < 0)
		return -1;
	*out = v;
	return 1;
}

/* Reads map[key] as a non-empty string. Returns 1, 0 (absent) or -1. */
static int rd_str(struct ld *L, const struct ynode *map, const char *key, const char *ctx,
		  bool required, const char **out)
{
	const struct ynode *n = ynode_get(map, key);

	if (!n || (is_null(n) && required)) {
		if (required)
			missing(L, map, key, ctx);
		return 0;
	}
	if (n->kind != YNODE_SCALAR || !n->str[0]) {
		report(L, n, "%s of %s: expected a string, found %s", key, ctx, found(n).s);
		return -1;
	}
	if (strlen(n->str) > MAX_NAME) {
		report(L, n, "%s of %s: expected at most %d characters, found %zu (%s)", key, ctx,
		       MAX_NAME, strlen(n->str), found(n).s);
		return -1;
	}
	*out = n->str;
	return 1;
}

/* Reads map[key] as a boolean (true/false/yes/no). */
static int rd_bool(struct ld *L, const struct ynode *map, const char *key, const char *ctx,
		   bool *out)
{
	const struct ynode *n = ynode_get(map, key);

	if (!n)
		return 0;
	if (n->kind == YNODE_SCALAR) {
		if (strcasecmp(n->str, "true") == 0 || strcasecmp(n->str, "yes") == 0) {
			*out = true;
			return 1;
		}
		if (strcasecmp(n->str, "false") == 0 || strcasecmp(n->str, "no") == 0) {
			*out = false;
			return 1;
		}
	}
	report(L, n, "%s of %s: expected true or false, found %s", key, ctx, found(n).s);
	return -1;
}

/* Reads map[key] as one of 'names' (NULL-terminated); stores its index. */
static int rd_enum(struct ld *L, const struct ynode *map, const char *key, const char *ctx,
		   const char *const *names, int *out)
{
	const struct ynode *n = ynode_get(map, key);
	size_t count = count_names(names), i;
	const char *hint;
	char *all;

	if (!n)
		return 0;
	if (n->kind == YNODE_SCALAR)
		for (i = 0; i < count; i++)
			if (strcmp(n->str, names[i]) == 0) {
				*out = (int)i;
				return 1;
			}
	all = join_names(names, count);
	hint = n->kind == YNODE_SCALAR ? suggest(n->str, names, count) : NULL;
	if (hint)
		report(L, n, "%s of %s must be one of %s, found %s (did you mean '%s'?)", key, ctx,
		       all, found(n).s, hint);
	else
		report(L, n, "%s of %s must be one of %s, found %s", key, ctx, all, found(n).s);
	free(all);
	return -1;
}

/* Checks that map[key], when present and not empty, is a map (returns it)
 * or reports and returns NULL. */
static const struct ynode *rd_map(struct ld *L, const struct ynode *map, const char *key,
				  const char *ctx)
{
	const struct ynode *n = opt(map, key);

	if (!n)
		return NULL;
	if (n->kind != YNODE_MAP) {
		report(L, n, "%s of %s: expected a map, found %s", key, ctx, found(n).s);
		return NULL;
	}
	return n;
}

/* Like rd_map for a sequence. */
static const struct ynode *rd_seq(struct ld *L, const struct ynode *map, const char *key,
				  const char *ctx)
{
	const struct ynode *n = opt(map, key);

	if (!n)
		return NULL;
	if (n->kind != YNODE_SEQ) {
		report(L, n, "%s of %s: expected a sequence, found %s", key, ctx, found(n).s);
		return NULL;
	}
	return n;
}

/* ---- rates and schedules ---------------------------------------------- */

static const char *const sched_keys[] = {
	"hours_per_month", "hours_per_day", "daily", "window", NULL
};

/* Reads the one schedule key of 'map' (if any) into *s. */
static int rd_sched(struct ld *L, const struct ynode *map, const char *ctx, struct schedule *s)
{
	const struct ynode *n = NULL;
	const char *which = NULL;
	char what[512];
	double h, a, b;
	size_t i;

	s->kind = SCHED_ALWAYS;
	s->start_s = s->end_s = 0;
	for (i = 0; sched_keys[i]; i++) {
		const struct ynode *v = ynode_get(map, sched_keys[i]);

		if (!v)
			continue;
		if (n) {
			report(L, ynode_key(map, sched_keys[i]),
			       "%s: give only one of hours_per_month, hours_per_day, daily and window",
			       ctx);
			return -1;
		}
		n = v;
		which = sched_keys[i];
	}
	if (!n)
		return 0;
	snprintf(what, sizeof what, "%s of %s", which, ctx);
	if (strcmp(which, "hours_per_month") == 0 || strcmp(which, "hours_per_day") == 0) {
		bool monthly = which[10] == 'm';
		struct nspec sp = {0, monthly ? MONTH_S / 3600 : 24, false, false, " hours", NULL};

		if (parse_num(L, n, what, &h) < 0 || check_num(L, n, what, h, &sp) < 0)
			return -1;
		s->kind = monthly ? SCHED_ONCE : SCHED_DAILY;
		s->start_s = 0;
		s->end_s = h * 3600;
		s->per_month = monthly;
		return 0;
	}
	if (n->kind != YNODE_SCALAR) {
		report(L, n, "%s: expected a string, found %s", what, found(n).s);
		return -1;
	}
	if (strcmp(which, "daily") == 0) {
		if (units_clock_range(n->str, &a, &b) < 0) {
			report(L, n, "%s: expected a UTC clock range like \"09:00-17:00\", found %s",
			       what, found(n).s);
			return -1;
		}
		s->kind = SCHED_DAILY;
	} else {
		const char *dash = strchr(n->str, '-');
		char *first = dash ? xstrndup(n->str, (size_t)(dash - n->str)) : NULL;
		int ok = dash && units_duration(first, &a) == 0 &&
			 units_duration(dash + 1, &b) == 0 && b > a;

		free(first);
		if (!ok) {
			report(L, n, "%s: expected a span of the window like \"0h-8h\" "
			       "(start before end), found %s", what, found(n).s);
			return -1;
		}
		s->kind = SCHED_ONCE;
	}
	s->start_s = a;
	s->end_s = b;
	return 0;
}

static bool is_ident(const char *s)
{
	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '.' || *s == '-'))
			return false;
	return true;
}

/* Parses a rate scalar: a rate, or a trace stream name. */
static int rate_scalar(struct ld *L, const struct ynode *n, const char *what, struct rate *r,
		       bool allow_stream)
{
	const char *why;

	if (n->kind != YNODE_SCALAR || is_null(n)) {
		report(L, n, "%s: expected a rate like 120/s or a trace stream name, found %s",
		       what, found(n).s);
		return -1;
	}
	if (units_rate(n->str, &r->count, &r->period_s, &why) == 0)
		return 0;
	if (!is_ident(n->str)) {
		report(L, n, "%s: %s, found %s", what, why, found(n).s);
		return -1;
	}
	if (!L->trace_given) {
		report(L, n, "unknown rate %s for %s (no traffic.trace given)", found(n).s, what);
		return -1;
	}
	if (!allow_stream) {
		report(L, n, "%s: a trace stream ('%s') cannot take a schedule; give a rate "
		       "like 120/s", what, n->str);
		return -1;
	}
	r->stream = xstrdup(n->str);
	return 0;
}

static const char *const rate_keys[] = {
	"rate", "hours_per_month", "hours_per_day", "daily", "window", NULL
};

/* Reads a RATE node (see docs/plan-schema.md) into *r. */
static int rd_rate_node(struct ld *L, const struct ynode *n, const char *what, struct rate *r)
{
	memset(r, 0, sizeof *r);
	r->line = n->line;
	r->col = n->col;
	if (n->kind == YNODE_MAP) {
		const struct ynode *inner = ynode_get(n, "rate");

		check_keys(L, n, what, rate_keys);
		if (!inner || is_null(inner)) {
			missing(L, n, "rate", what);
			return -1;
		}
		if (rate_scalar(L, inner, what, r, false) < 0 || rd_sched(L, n, what, &r->sched) < 0)
			return -1;
	} else if (rate_scalar(L, n, what, r, true) < 0) {
		return -1;
	}
	if (!r->stream && r->count / r->period_s * L->p->scale > MAX_RATE_PER_S) {
		const struct ynode *v = n->kind == YNODE_MAP ? ynode_get(n, "rate") : n;

		report(L, v, "%s: rate too large: '%s' is %s per second%s; at most %s per second "
		       "can be simulated", what, v->str,
		       fmt_num(r->count / r->period_s * L->p->scale).s,
		       L->p->scale != 1 ? " with the traffic scale" : "", fmt_num(MAX_RATE_PER_S).s);
		return -1;
	}
	r->set = true;
	return 0;
}

static int rd_rate(struct ld *L, const struct ynode *map, const char *key, const char *ctx,
		   bool required, struct rate *r)
{
	const struct ynode *n = ynode_get(map, key);
	char what[512];

	memset(r, 0, sizeof *r);
	if (!n || (required && is_null(n))) {
		if (required)
			missing(L, map, key, ctx);
		return 0;
	}
	snprintf(what, sizeof what, "%s of %s", key, ctx);
	return rd_rate_node(L, n, what, r) < 0 ? -1 : 1;
}

/* ---- sections --------------------------------------------------------- */

/* "kind 'name'" when the element has a usable name, else "kind #i". */
static void elem_ctx(char *buf, size_t len, const char *kind, const struct ynode *item,
		     const char *key, size_t i)
{
	const struct ynode *n = item->kind == YNODE_MAP ? ynode_get(item, key) : NULL;

	if (n && n->kind == YNODE_SCALAR && n->str[0])
		snprintf(buf, len, "%s '%s'", kind, n->str);
	else
		snprintf(buf, len, "%s #%zu", kind, i + 1);
}

/* Name of an element, "" when missing or invalid (already reported). */
static char *elem_name(struct ld *L, const struct ynode *map, const char *key, const char *ctx)
{
	const char *s = "";

	rd_str(L, map, key, ctx, true, &s);
	return xstrdup(s);
}

static const char *const account_keys[] = {"free_tier", "lambda_concurrency", NULL};
static const char *const free_tier_names[] = {"none", "always", "first_year", NULL};

static void do_account(struct ld *L, const struct ynode *root)
{
	const struct ynode *a = rd_map(L, root, "account", "the plan");
	int ft;

	L->p->free_tier = FREE_NONE;
	L->p->lambda_concurrency = L->m->lambda.account_concurrency;
	if (!a)
		return;
	check_keys(L, a, "account", account_keys);
	if (rd_enum(L, a, "free_tier", "account", free_tier_names, &ft) > 0)
		L->p->free_tier = (enum free_tier)ft;
	rd_num(L, a, "lambda_concurrency", "account", false, &L->p->lambda_concurrency,
	       (struct nspec){1, MAX_CONCURRENCY, false, true, NULL, NULL});
}

static const char *const traffic_keys[] = {"trace", "scale", "growth", NULL};

static void do_traffic(struct ld *L, const struct ynode *root, double scale)
{
	const struct ynode *t = rd_map(L, root, "traffic", "the plan"), *g;
	const char *trace;

	L->p->scale = 1;
	L->p->growth_per_month = 0;
	if (t) {
		check_keys(L, t, "traffic", traffic_keys);
		L->trace_given = ynode_get(t, "trace") != NULL;
		if (rd_str(L, t, "trace", "traffic", false, &trace) > 0) {
			char *path = paths_join(L->dir, trace);
			struct stat st;

			if (stat(path, &st) != 0)
				report(L, ynode_get(t, "trace"),
				       "cannot find trace file '%s' (looked for %s)", trace, path);
			else if (S_ISDIR(st.st_mode))
				report(L, ynode_get(t, "trace"),
				       "trace '%s' is a directory, expected a CSV file", trace);
			else
				L->p->trace = xstrdup(path);
			free(path);
		}
		rd_num(L, t, "scale", "traffic", false, &L->p->scale,
		       (struct nspec){0, MAX_SCALE, true, false, NULL, NULL});
		if ((g = ynode_get(t, "growth")) != NULL) {
			double v;

			if (g->kind != YNODE_SCALAR || units_percent(g->str, &v) < 0)
				report(L, g, "growth of traffic: expected a growth like 5%%/month or "
				       "0.05, found %s", found(g).s);
			else if (!(v > -1))
				report(L, g, "growth of traffic must be greater than -100%%/month, "
				       "found %s", g->str);
			else
				L->p->growth_per_month = v;
		}
	}
	if (!isnan(scale)) {
		if (isfinite(scale) && scale > 0 && scale <= MAX_SCALE)
			L->p->scale = scale;
		else
			err_add(L->e, "--scale", 0, 0, "must be greater than 0 and at most %s, found %s",
				fmt_num(MAX_SCALE).s, fmt_num(scale).s);
	}
}

static const char *const as_keys[] = {"min", "max", "target", NULL};

/* Reads an autoscaling map; 'ctx' names its owner. Bounds come from the
 * model: min >= dynamodb min_units, max <= the table maximum. */
static void rd_autoscaling(struct ld *L, const struct ynode *n, const char *ctx,
			   struct autoscaling *as)
{
	const struct dynamo_model *d = &L->m->dynamo;
	double hi = d->table_max_rcu < d->table_max_wcu ? d->table_max_rcu : d->table_max_wcu;
	const struct ynode *t;
	char what[512];
	int okmin, okmax;

	snprintf(what, sizeof what, "autoscaling of %s", ctx);
	if (n->kind != YNODE_MAP) {
		report(L, n, "%s: expected a map like {min: 5, max: 100, target: 0.7}, found %s",
		       what, found(n).s);
		return;
	}
	check_keys(L, n, what, as_keys);
	as->target = 0.7;
	okmin = rd_num(L, n, "min", what, true, &as->min,
		       (struct nspec){d->min_units, hi, false, true, " units",
				      "dynamodb.limits.min_units / table_max_rcu"});
	okmax = rd_num(L, n, "max", what, true, &as->max,
		       (struct nspec){d->min_units, hi, false, true, " units",
				      "dynamodb.limits.min_units / table_max_rcu"});
	if (okmin > 0 && okmax > 0 && as->min > as->max)
		report(L, at(n, "min"), "min of %s (%s) must not exceed its max (%s)", what,
		       fmt_num(as->min).s, fmt_num(as->max).s);
	if ((t = ynode_get(n, "target")) != NULL) {
		double v;
		char twhat[600];

		snprintf(twhat, sizeof twhat, "target of %s", what);
		if (t->kind != YNODE_SCALAR || units_percent(t->str, &v) < 0)
			report(L, t, "%s: expected a utilisation like 0.7 or 70%%, found %s", twhat,
			       found(t).s);
		else if (v < 0.2 || v > 0.9)
			report(L, t, "%s must be between 0.2 and 0.9 (20%% to 90%%), found %s", twhat,
			       t->str);
		else
			as->target = v;
	}
	as->on = true;
}

static const char *const gsi_keys[] = {
	"name", "rcu", "wcu", "item_kb", "write_share", "autoscaling", NULL
};
static const char *const table_keys[] = {
	"name", "mode", "rcu", "wcu", "autoscaling", "storage_gb", "class", "hot_key_share",
	"max_read_units", "max_write_units", "gsis", NULL
};
static const char *const mode_names[] = {"provisioned", "on_demand", NULL};
static const char *const class_names[] = {"standard", "standard_ia", NULL};

/* Reports 'key' of 'map' when present: it only applies in the other mode. */
static void only_in_mode(struct ld *L, const struct ynode *map, const char *key, const char *ctx,
			 const char *mode)
{
	const struct ynode *k = ynode_key(map, key);

	if (k)
		report(L, k, "%s of %s applies only to %s tables", key, ctx, mode);
}

static void rd_gsi(struct ld *L, const struct ynode *n, const char *tctx, struct table *t,
		   size_t i)
{
	const struct dynamo_model *d = &L->m->dynamo;
	struct gsi *g = &t->gsis[t->ngsis++];
	char ctx[400], base[256];
	const struct ynode *as;
	size_t j;

	snprintf(base, sizeof base, "%s", tctx);
	elem_ctx(ctx, sizeof ctx, "GSI", n, "name", i);
	snprintf(ctx + strlen(ctx), sizeof ctx - strlen(ctx), " of %s", base);
	g->line = n->line;
	g->col = n->col;
	g->item_kb = 1;
	g->write_share = 1;
	check_keys(L, n, ctx, gsi_keys);
	g->name = elem_name(L, n, "name", ctx);
	for (j = 0; j + 1 < t->ngsis && g->name[0]; j++)
		if (strcmp(t->gsis[j].name, g->name) == 0)
			report(L, ynode_get(n, "name"),
			       "duplicate GSI name '%s' in %s (first at line %d)", g->name, base,
			       t->gsis[j].line);
	if (t->mode == MODE_PROVISIONED) {
		rd_num(L, n, "rcu", ctx, true, &g->rcu,
		       (struct nspec){d->min_units, d->table_max_rcu, false, true, " RCU",
				      "dynamodb.limits.min_units / table_max_rcu"});
		rd_num(L, n, "wcu", ctx, true, &g->wcu,
		       (struct nspec){d->min_units, d->table_max_wcu, false, true, " WCU",
				      "dynamodb.limits.min_units / table_max_wcu"});
		if ((as = opt(n, "autoscaling")) != NULL)
			rd_autoscaling(L, as, ctx, &g->autoscaling);
	} else {
		only_in_mode(L, n, "rcu", ctx, "provisioned");
		only_in_mode(L, n, "wcu", ctx, "provisioned");
		only_in_mode(L, n, "autoscaling", ctx, "provisioned");
	}
	rd_num(L, n, "item_kb", ctx, false, &g->item_kb,
	       (struct nspec){0, d->item_max_kb, true, false, " KB", "dynamodb.limits.item_max_kb"});
	rd_num(L, n, "write_share", ctx, false, &g->write_share,
	       (struct nspec){0, 1, false, false, NULL, NULL});
}

static void do_tables(struct ld *L, const struct ynode *root)
{
	const struct dynamo_model *d = &L->m->dynamo;
	const struct ynode *seq = rd_seq(L, root, "tables", "the plan");
	double sum_rcu = 0, sum_wcu = 0;
	size_t i, j;

	if (!seq)
		return;
	L->p->tables = xcalloc(seq->n ? seq->n : 1, sizeof *L->p->tables);
	for (i = 0; i < seq->n; i++) {
		const struct ynode *n = seq->items[i], *gs, *as;
		struct table *t;
		char ctx[256];
		int v;

		if (n->kind != YNODE_MAP) {
			report(L, n, "table #%zu: expected a map, found %s", i + 1, found(n).s);
			continue;
		}
		t = &L->p->tables[L->p->ntables++];
		elem_ctx(ctx, sizeof ctx, "table", n, "name", i);
		t->line = n->line;
		t->col = n->col;
		check_keys(L, n, ctx, table_keys);
		t->name = elem_name(L, n, "name", ctx);
		for (j = 0; j + 1 < L->p->ntables && t->name[0]; j++)
			if (strcmp(L->p->tables[j].name, t->name) == 0)
				report(L, ynode_get(n, "name"),
				       "duplicate table name '%s' (first at line %d)", t->name,
				       L->p->tables[j].line);
		if (rd_enum(L, n, "mode", ctx, mode_names, &v) > 0)
			t->mode = (enum table_mode)v;
		if (rd_enum(L, n, "class", ctx, class_names, &v) > 0)
			t->class = (enum table_class)v;
		if (t->mode == MODE_PROVISIONED) {
			rd_num(L, n, "rcu", ctx, true, &t->rcu,
			       (struct nspec){d->min_units, d->table_max_rcu, false, true, " RCU",
					      "dynamodb.limits.min_units / table_max_rcu"});
			rd_num(L, n, "wcu", ctx, true, &t->wcu,
			       (struct nspec){d->min_units, d->table_max_wcu, false, true, " WCU",
					      "dynamodb.limits.min_units / table_max_wcu"});
			if ((as = opt(n, "autoscaling")) != NULL)
				rd_autoscaling(L, as, ctx, &t->autoscaling);
			only_in_mode(L, n, "max_read_units", ctx, "on_demand");
			only_in_mode(L, n, "max_write_units", ctx, "on_demand");
		} else {
			only_in_mode(L, n, "rcu", ctx, "provisioned");
			only_in_mode(L, n, "wcu", ctx, "provisioned");
			only_in_mode(L, n, "autoscaling", ctx, "provisioned");
			rd_num(L, n, "max_read_units", ctx, false, &t->max_read_units,
			       (struct nspec){0, INFINITY, false, true, NULL, NULL});
			rd_num(L, n, "max_write_units", ctx, false, &t->max_write_units,
			       (struct nspec){0, INFINITY, false, true, NULL, NULL});
		}
		rd_num(L, n, "storage_gb", ctx, false, &t->storage_gb,
		       (struct nspec){0, INFINITY, false, false, NULL, NULL});
		rd_num(L, n, "hot_key_share", ctx, false, &t->hot_key_share,
		       (struct nspec){0, 1, false, false, NULL, NULL});
		if ((gs = rd_seq(L, n, "gsis", ctx)) != NULL) {
			if (L->have_model && (double)gs->n > d->max_gsis)
				report(L, gs, "%s has %zu GSIs, more than %s (dynamodb.limits.max_gsis "
				       "in model %s)", ctx, gs->n, fmt_num(d->max_gsis).s, L->m->name);
			t->gsis = xcalloc(gs->n ? gs->n : 1, sizeof *t->gsis);
			for (j = 0; j < gs->n; j++) {
				if (gs->items[j]->kind != YNODE_MAP) {
					report(L, gs->items[j], "GSI #%zu of %s: expected a map, found %s",
					       j + 1, ctx, found(gs->items[j]).s);
					continue;
				}
				rd_gsi(L, gs->items[j], ctx, t, j);
			}
		}
		if (t->mode == MODE_PROVISIONED && t->ngsis > 0 && L->have_model) {
			/* The table quota counts the table and its GSIs together
			 * (behaviour.md §1.6); each alone was checked above. */
			double tr = t->rcu, tw = t->wcu;

			for (j = 0; j < t->ngsis; j++) {
				tr += t->gsis[j].rcu;
				tw += t->gsis[j].wcu;
			}
			if (tr > d->table_max_rcu)
				report(L, n, "%s and its GSIs add up to %s RCU, more than the table "
				       "maximum of %s (dynamodb.limits.table_max_rcu in model %s)", ctx,
				       fmt_num(tr).s, fmt_num(d->table_max_rcu).s, L->m->name);
			if (tw > d->table_max_wcu)
				report(L, n, "%s and its GSIs add up to %s WCU, more than the table "
				       "maximum of %s (dynamodb.limits.table_max_wcu in model %s)", ctx,
				       fmt_num(tw).s, fmt_num(d->table_max_wcu).s, L->m->name);
		}
		if (t->mode == MODE_PROVISIONED) {
			sum_rcu += t->rcu;
			sum_wcu += t->wcu;
			for (j = 0; j < t->ngsis; j++) {
				sum_rcu += t->gsis[j].rcu;
				sum_wcu += t->gsis[j].wcu;
			}
			if (L->have_model && sum_rcu > d->account_max_rcu) {
				report(L, n, "provisioned tables add up to %s RCU, more than the account "
				       "maximum of %s (dynamodb.limits.account_max_rcu in model %s)",
				       fmt_num(sum_rcu).s, fmt_num(d->account_max_rcu).s, L->m->name);
				sum_rcu = -INFINITY;	/* report once */
			}
			if (L->have_model && sum_wcu > d->account_max_wcu) {
				report(L, n, "provisioned tables add up to %s WCU, more than the account "
				       "maximum of %s (dynamodb.limits.account_max_wcu in model %s)",
				       fmt_num(sum_wcu).s, fmt_num(d->account_max_wcu).s, L->m->name);
				sum_wcu = -INFINITY;
			}
		}
	}
}

/* "unknown table 'x' (tables: a, b)" */
static void unknown_ref(struct ld *L, const struct ynode *n, const char *kind, const char *plural,
			const char *name, const char *const *names, size_t count)
{
	const char *more = strlen(name) > 100 ? "..." : "";

	if (count == 0) {
		report(L, n, "unknown %s '%.100s%s' (no %s defined)", kind, name, more, plural);
	} else {
		char *all = join_names(names, count);

		report(L, n, "unknown %s '%.100s%s' (%s: %s)", kind, name, more, plural, all);
		free(all);
	}
}

static const char *const call_keys[] = {
	"table", "index", "op", "items", "item_kb", "item_bytes", "consistency", NULL
};
static const char *const consistency_names[] = {"eventual", "strong", NULL};

static void rd_call(struct ld *L, const struct ynode *n, const char *fctx, struct function *f,
		    size_t i)
{
	const struct dynamo_model *d = &L->m->dynamo;
	struct call *c = &f->calls[f->ncalls++];
	const struct ynode *opn, *idx;
	const char *tname, *iname;
	char ctx[400];
	bool ok = true, is_read = true, op_ok = false;
	int v;

	snprintf(ctx, sizeof ctx, "call #%zu of %s", i + 1, fctx);
	c->line = n->line;
	c->col = n->col;
	c->table = -1;
	c->index = -1;
	c->items = 1;
	c->item_kb = 1;
	c->consistency = CONSISTENCY_EVENTUAL;
	check_keys(L, n, ctx, call_keys);
	if (rd_str(L, n, "table", ctx, true, &tname) > 0) {
		c->table = plan_find_table(L->p, tname);
		if (c->table < 0) {
			const char **names = xcalloc(L->p->ntables + 1, sizeof *names);
			size_t k;

			for (k = 0; k < L->p->ntables; k++)
				names[k] = L->p->tables[k].name;
			unknown_ref(L, ynode_get(n, "table"), "table", "tables", tname, names,
				    L->p->ntables);
			free(names);
		}
	}
	if (c->table < 0)
		ok = false;
	opn = ynode_get(n, "op");
	if (!opn || is_null(opn)) {
		missing(L, n, "op", ctx);
		ok = false;
	} else if (opn->kind != YNODE_SCALAR || (v = ddb_op_parse(opn->str)) < 0) {
		const char *names[OP_COUNT + 1];
		char *all;
		const char *hint;

		for (v = 0; v < OP_COUNT; v++)
			names[v] = ddb_op_name((enum ddb_op)v);
		names[OP_COUNT] = NULL;
		all = join_names(names, OP_COUNT);
		hint = opn->kind == YNODE_SCALAR ? suggest(opn->str, names, OP_COUNT) : NULL;
		if (hint)
			report(L, opn, "op of %s must be one of %s, found %s (did you mean '%s'?)",
			       ctx, all, found(opn).s, hint);
		else
			report(L, opn, "op of %s must be one of %s, found %s", ctx, all, found(opn).s);
		free(all);
		ok = false;
	} else {
		c->op = (enum ddb_op)v;
		is_read = ddb_op_is_read(c->op);
		op_ok = true;
	}
	{
		double max = MAX_ITEMS;
		bool zero_ok = c->op == OP_QUERY || c->op == OP_SCAN;

		if (c->op == OP_BATCH_GET)
			max = BATCH_GET_MAX;
		else if (c->op == OP_BATCH_WRITE)
			max = BATCH_WRITE_MAX;
		else if (c->op == OP_TRANSACT_GET || c->op == OP_TRANSACT_WRITE)
			max = TRANSACT_MAX;
		if (rd_num(L, n, "items", ctx, false, &c->items,
			   (struct nspec){zero_ok ? 0 : 1, max, false, true, NULL, NULL}) < 0)
			ok = false;
	}
	if (ynode_get(n, "item_kb") && ynode_get(n, "item_bytes")) {
		report(L, ynode_key(n, "item_bytes"), "%s: give item_kb or item_bytes, not both", ctx);
		ok = false;
	} else if (ynode_get(n, "item_bytes")) {
		double bytes = 0;

		if (rd_num(L, n, "item_bytes", ctx, false, &bytes,
			   (struct nspec){1, d->item_max_kb * 1024, false, true, " bytes",
					  "dynamodb.limits.item_max_kb"}) > 0)
			c->item_kb = bytes / 1024;
		else
			ok = false;
	} else if (rd_num(L, n, "item_kb", ctx, false, &c->item_kb,
			  (struct nspec){0, d->item_max_kb, true, false, " KB",
					 "dynamodb.limits.item_max_kb"}) < 0) {
		ok = false;
	}
	if (ynode_get(n, "consistency")) {
		if (op_ok && !is_read) {
			report(L, ynode_key(n, "consistency"),
			       "consistency of %s applies only to reads (op is %s)", ctx,
			       ddb_op_name(c->op));
			ok = false;
		} else if (rd_enum(L, n, "consistency", ctx, consistency_names, &v) > 0) {
			c->consistency = (enum consistency)v;
		} else {
			ok = false;
		}
	}
	if ((idx = ynode_get(n, "index")) != NULL && rd_str(L, n, "index", ctx, false, &iname) > 0) {
		if (op_ok && !is_read) {
			report(L, ynode_key(n, "index"),
			       "index of %s applies only to reads (writes update a table's GSIs "
			       "through their write_share)", ctx);
			ok = false;
		} else if (c->table >= 0) {
			const struct table *t = &L->p->tables[c->table];
			size_t k;

			for (k = 0; k < t->ngsis; k++)
				if (strcmp(t->gsis[k].name, iname) == 0)
					c->index = (int)k;
			if (c->index < 0) {
				const char **names = xcalloc(t->ngsis + 1, sizeof *names);
				char plural[300];

				for (k = 0; k < t->ngsis; k++)
					names[k] = t->gsis[k].name;
				snprintf(plural, sizeof plural, "GSIs of table '%s'", t->name);
				unknown_ref(L, idx, "index", plural, iname, names, t->ngsis);
				free(names);
				ok = false;
			} else if (c->consistency == CONSISTENCY_STRONG) {
				report(L, at(n, "consistency"), "%s: a GSI supports only eventually "
				       "consistent reads", ctx);
				ok = false;
			}
		}
	}
	if (ok && c->table >= 0)
		ddb_op_units(c->op, (uint64_t)c->items, ddb_item_bytes(c->item_kb), c->consistency,
			     &c->read_half_units, &c->write_units);
}

static const char *const fn_keys[] = {
	"name", "memory_mb", "arch", "duration_ms", "init_ms", "ephemeral_mb", "timeout_s",
	"reserved_concurrency", "provisioned_concurrency", "invocation", "traffic", "calls", NULL
};
static const char *const arch_names[] = {"x86_64", "arm64", NULL};
static const char *const invocation_names[] = {"sync", "async", NULL};
static const char *const duration_keys[] = {"p50", "p95", NULL};
static const char *const pc_keys[] = {
	"count", "hours_per_month", "hours_per_day", "daily", "window", NULL
};

static int rd_duration(struct ld *L, const struct ynode *fn, const char *ctx, struct function *f)
{
	const struct ynode *n = ynode_get(fn, "duration_ms");
	char what[512];
	int a, b;

	if (!n || is_null(n)) {
		missing(L, fn, "duration_ms", ctx);
		return -1;
	}
	if (n->kind != YNODE_MAP) {
		snprintf(what, sizeof what, "duration_ms of %s", ctx);
		if (n->kind != YNODE_SCALAR) {
			report(L, n, "%s: expected a number or {p50: ..., p95: ...}, found %s", what,
			       found(n).s);
			return -1;
		}
		if (parse_num(L, n, what, &f->duration_p50_ms) < 0 ||
		    check_num(L, n, what, f->duration_p50_ms,
			      &(struct nspec){0, INFINITY, true, false, " ms", NULL}) < 0)
			return -1;
		f->duration_p95_ms = f->duration_p50_ms;
		f->lognormal = false;
		return 0;
	}
	snprintf(what, sizeof what, "duration_ms of %s", ctx);
	check_keys(L, n, what, duration_keys);
	a = rd_num(L, n, "p50", what, true, &f->duration_p50_ms,
		   (struct nspec){0, INFINITY, true, false, " ms", NULL});
	b = rd_num(L, n, "p95", what, true, &f->duration_p95_ms,
		   (struct nspec){0, INFINITY, true, false, " ms", NULL});
	if (a <= 0 || b <= 0)
		return -1;
	if (f->duration_p50_ms > f->duration_p95_ms) {
		report(L, ynode_get(n, "p50"), "p50 of %s (%s ms) must not exceed its p95 (%s ms)",
		       what, fmt_num(f->duration_p50_ms).s, fmt_num(f->duration_p95_ms).s);
		return -1;
	}
	f->lognormal = f->duration_p95_ms > f->duration_p50_ms;
	return 0;
}

static void rd_provisioned(struct ld *L, const struct ynode *fn, const char *ctx,
			   struct function *f, double max)
{
	const struct ynode *n = opt(fn, "provisioned_concurrency");
	struct nspec sp = {0, INFINITY, false, true, NULL, NULL};
	char what[512];

	f->provisioned = 0;
	f->pc_sched.kind = SCHED_ALWAYS;
	if (!n)
		return;
	snprintf(what, sizeof what, "provisioned_concurrency of %s", ctx);
	if (n->kind == YNODE_MAP) {
		check_keys(L, n, what, pc_keys);
		if (rd_num(L, n, "count", what, true, &f->provisioned, sp) <= 0)
			return;
		if (rd_sched(L, n, what, &f->pc_sched) < 0)
			return;
	} else if (parse_num(L, n, what, &f->provisioned) < 0 ||
		   check_num(L, n, what, f->provisioned, &sp) < 0) {
		return;
	}
	if (f->reserved >= 0 && f->provisioned > f->reserved)
		report(L, n, "%s (%s) must not exceed its reserved_concurrency (%s)", what,
		       fmt_num(f->provisioned).s, fmt_num(f->reserved).s);
	else if (f->reserved < 0 && L->have_model && f->provisioned > max)
		report(L, n, "%s must be at most %s (account concurrency %s minus %s kept "
		       "unreserved: lambda.limits.unreserved_min in model %s), found %s", what,
		       fmt_num(max).s, fmt_num(L->p->lambda_concurrency).s,
		       fmt_num(L->m->lambda.unreserved_min).s, L->m->name, fmt_num(f->provisioned).s);
}

/* Reports, once, that the concurrency claimed so far ('claimed': all
 * reserved concurrency, and the provisioned concurrency of functions
 * without any) leaves less than the model's minimum unreserved. */
static void claim_check(struct ld *L, const struct ynode *n, const char *ctx, double claimed,
			double reservable, bool *reported)
{
	const struct lambda_model *lm = &L->m->lambda;

	if (claimed <= reservable || *reported)
		return;
	report(L, n, "reserved and provisioned concurrency of all functions add up to %s at %s, "
	       "more than %s (account concurrency %s minus %s kept unreserved: "
	       "lambda.limits.unreserved_min in model %s; provisioned concurrency of a function "
	       "without reserved concurrency counts too)", fmt_num(claimed).s, ctx,
	       fmt_num(reservable).s, fmt_num(L->p->lambda_concurrency).s,
	       fmt_num(lm->unreserved_min).s, L->m->name);
	*reported = true;
}

static void do_functions(struct ld *L, const struct ynode *root)
{
	const struct lambda_model *lm = &L->m->lambda;
	const struct ynode *seq = rd_seq(L, root, "functions", "the plan");
	double reservable = L->p->lambda_concurrency - lm->unreserved_min, reserved_sum = 0;
	bool sum_reported = false;
	size_t i, j;

	if (!seq)
		return;
	L->p->functions = xcalloc(seq->n ? seq->n : 1, sizeof *L->p->functions);
	for (i = 0; i < seq->n; i++) {
		const struct ynode *n = seq->items[i], *cs;
		struct function *f;
		char ctx[256];
		int v;

		if (n->kind != YNODE_MAP) {
			report(L, n, "function #%zu: expected a map, found %s", i + 1, found(n).s);
			continue;
		}
		f = &L->p->functions[L->p->nfunctions++];
		elem_ctx(ctx, sizeof ctx, "function", n, "name", i);
		f->line = n->line;
		f->col = n->col;
		f->memory_mb = 128;
		f->arch = ARCH_X86_64;
		f->init_ms = 0;
		f->ephemeral_mb = 512;
		f->timeout_s = lm->timeout_max_s;
		f->reserved = -1;
		f->invocation = INVOKE_SYNC;
		check_keys(L, n, ctx, fn_keys);
		f->name = elem_name(L, n, "name", ctx);
		for (j = 0; j + 1 < L->p->nfunctions && f->name[0]; j++)
			if (strcmp(L->p->functions[j].name, f->name) == 0)
				report(L, ynode_get(n, "name"),
				       "duplicate function name '%s' (first at line %d)", f->name,
				       L->p->functions[j].line);
		rd_num(L, n, "memory_mb", ctx, false, &f->memory_mb,
		       (struct nspec){lm->memory_min_mb, lm->memory_max_mb, false, true, " MB",
				      "lambda.limits.memory_mb"});
		if (rd_enum(L, n, "arch", ctx, arch_names, &v) > 0)
			f->arch = (enum arch)v;
		rd_num(L, n, "init_ms", ctx, false, &f->init_ms,
		       (struct nspec){0, lm->init_max_ms, false, false, " ms",
				      "lambda.limits.init_max_ms"});
		rd_num(L, n, "ephemeral_mb", ctx, false, &f->ephemeral_mb,
		       (struct nspec){lm->ephemeral_min_mb, lm->ephemeral_max_mb, false, true, " MB",
				      "lambda.limits.ephemeral_mb"});
		rd_num(L, n, "timeout_s", ctx, false, &f->timeout_s,
		       (struct nspec){1, lm->timeout_max_s, false, true, " s",
				      "lambda.limits.timeout_s"});
		if (rd_duration(L, n, ctx, f) == 0 && f->duration_p50_ms > f->timeout_s * 1000)
			report(L, at(n, "duration_ms"), "duration_ms of %s (%s ms) is longer than its "
			       "timeout_s (%s s): every call would time out", ctx,
			       fmt_num(f->duration_p50_ms).s, fmt_num(f->timeout_s).s);
		if (rd_num(L, n, "reserved_concurrency", ctx, false, &f->reserved,
			   (struct nspec){0, INFINITY, false, true, NULL, NULL}) > 0 &&
		    L->have_model) {
			const struct ynode *rn = ynode_get(n, "reserved_concurrency");

			if (f->reserved > reservable) {
				report(L, rn, "reserved_concurrency of %s must be at most %s (account "
				       "concurrency %s minus %s kept unreserved: "
				       "lambda.limits.unreserved_min in model %s), found %s", ctx,
				       fmt_num(reservable < 0 ? 0 : reservable).s,
				       fmt_num(L->p->lambda_concurrency).s,
				       fmt_num(lm->unreserved_min).s, L->m->name,
				       fmt_num(f->reserved).s);
			} else {
				reserved_sum += f->reserved;
				claim_check(L, rn, ctx, reserved_sum, reservable, &sum_reported);
			}
		}
		rd_provisioned(L, n, ctx, f, reservable);
		/* Provisioned concurrency of a function without reserved
		 * concurrency is claimed from the account too (behaviour.md
		 * §3.1-3.2: ClaimedAccountConcurrency). */
		if (f->reserved < 0 && f->provisioned > 0 && L->have_model) {
			reserved_sum += f->provisioned;
			claim_check(L, at(n, "provisioned_concurrency"), ctx, reserved_sum, reservable,
				    &sum_reported);
		}
		if (rd_enum(L, n, "invocation", ctx, invocation_names, &v) > 0)
			f->invocation = (enum invocation)v;
		rd_rate(L, n, "traffic", ctx, false, &f->traffic);
		if ((cs = rd_seq(L, n, "calls", ctx)) != NULL) {
			f->calls = xcalloc(cs->n ? cs->n : 1, sizeof *f->calls);
			for (j = 0; j < cs->n; j++) {
				if (cs->items[j]->kind != YNODE_MAP) {
					report(L, cs->items[j], "call #%zu of %s: expected a map like "
					       "{table: items, op: get}, found %s", j + 1, ctx,
					       found(cs->items[j]).s);
					continue;
				}
				rd_call(L, cs->items[j], ctx, f, j);
			}
		}
	}
}

static const char *const api_keys[] = {
	"name", "type", "throttle", "cache", "request_kb", "response_kb", "data_transfer_out",
	"routes", "messages_out", "connection_minutes", NULL
};
static const char *const api_type_names[] = {"rest", "http", "websocket", NULL};
static const char *const throttle_keys[] = {"rate", "burst", NULL};
static const char *const cache_keys[] = {"size_gb", "hit_ratio", NULL};
static const char *const route_keys[] = {"route", "function", "traffic", NULL};

static void rd_cache(struct ld *L, const struct ynode *api, const char *ctx, struct api *a)
{
	const struct apigw_model *g = &L->m->apigw;
	const struct ynode *n = opt(api, "cache");
	char what[512];
	int k;

	if (!n)
		return;

	snprintf(what, sizeof what, "cache of %s", ctx);
	if (n->kind != YNODE_MAP) {
		report(L, n, "%s: expected a map like {size_gb: 0.5, hit_ratio: 0.3}, found %s", what,
		       found(n).s);
		return;
	}
	check_keys(L, n, what, cache_keys);
	if (a->type != API_REST) {
		report(L, ynode_key(api, "cache"),
		       "cache of %s: caching is available only for rest apis (type is %s)", ctx,
		       api_type_names[a->type]);
		return;
	}
	if (rd_num(L, n, "size_gb", what, true, &a->cache_size_gb,
		   (struct nspec){0, INFINITY, true, false, NULL, NULL}) > 0 && L->have_model) {
		for (k = 0; k < g->ncache; k++)
			if (g->cache[k].size_gb == a->cache_size_gb)
				break;
		if (k == g->ncache) {
			struct sbuf b = {0};

			for (k = 0; k < g->ncache; k++)
				sbuf_printf(&b, "%s%s", k ? ", " : "", fmt_num(g->cache[k].size_gb).s);
			report(L, ynode_get(n, "size_gb"), "size_gb of %s must be one of the cache "
			       "sizes of model %s (%s), found %s", what, L->m->name,
			       b.buf ? b.buf : "none", fmt_num(a->cache_size_gb).s);
			sbuf_free(&b);
		}
	}
	rd_num(L, n, "hit_ratio", what, false, &a->cache_hit_ratio,
	       (struct nspec){0, 1, false, false, NULL, NULL});
	a->has_cache = true;
}

static void rd_route(struct ld *L, const struct ynode *n, const char *actx, struct api *a,
		     size_t i)
{
	struct route *r = &a->routes[a->nroutes++];
	const char *s, *fname;
	char ctx[400];
	size_t j;

	elem_ctx(ctx, sizeof ctx, "route", n, "route", i);
	snprintf(ctx + strlen(ctx), sizeof ctx - strlen(ctx), " of %s", actx);
	r->line = n->line;
	r->col = n->col;
	r->function = -1;
	check_keys(L, n, ctx, route_keys);
	if (rd_str(L, n, "route", ctx, true, &s) > 0) {
		r->route = xstrdup(s);
		for (j = 0; j + 1 < a->nroutes; j++)
			if (strcmp(a->routes[j].route, s) == 0)
				report(L, ynode_get(n, "route"), "duplicate route '%s' in %s "
				       "(first at line %d)", s, actx, a->routes[j].line);
	} else {
		r->route = xstrdup("");
	}
	if (rd_str(L, n, "function", ctx, false, &fname) > 0) {
		r->function = plan_find_function(L->p, fname);
		if (r->function < 0) {
			const char **names = xcalloc(L->p->nfunctions + 1, sizeof *names);

			for (j = 0; j < L->p->nfunctions; j++)
				names[j] = L->p->functions[j].name;
			unknown_ref(L, ynode_get(n, "function"), "function", "functions", fname,
				    names, L->p->nfunctions);
			free(names);
		}
	}
	rd_rate(L, n, "traffic", ctx, true, &r->traffic);
	r->cacheable = a->has_cache && a->type == API_REST && strncasecmp(r->route, "GET ", 4) == 0;
}

static void do_apis(struct ld *L, const struct ynode *root)
{
	const struct ynode *seq = rd_seq(L, root, "apis", "the plan");
	size_t i, j;

	if (!seq)
		return;
	L->p->apis = xcalloc(seq->n ? seq->n : 1, sizeof *L->p->apis);
	for (i = 0; i < seq->n; i++) {
		const struct ynode *n = seq->items[i], *th, *rs;
		struct api *a;
		char ctx[256];
		int v, type_ok;

		if (n->kind != YNODE_MAP) {
			report(L, n, "api #%zu: expected a map, found %s", i + 1, found(n).s);
			continue;
		}
		a = &L->p->apis[L->p->napis++];
		elem_ctx(ctx, sizeof ctx, "api", n, "name", i);
		a->line = n->line;
		a->col = n->col;
		check_keys(L, n, ctx, api_keys);
		a->name = elem_name(L, n, "name", ctx);
		for (j = 0; j + 1 < L->p->napis && a->name[0]; j++)
			if (strcmp(L->p->apis[j].name, a->name) == 0)
				report(L, ynode_get(n, "name"), "duplicate api name '%s' (first at line %d)",
				       a->name, L->p->apis[j].line);
		type_ok = rd_enum(L, n, "type", ctx, api_type_names, &v);
		if (type_ok == 0)
			missing(L, n, "type", ctx);
		a->type = type_ok > 0 ? (enum api_type)v : API_HTTP;
		if ((th = rd_map(L, n, "throttle", ctx)) != NULL) {
			char what[512];
			int r, b;

			snprintf(what, sizeof what, "throttle of %s", ctx);
			check_keys(L, th, what, throttle_keys);
			r = rd_num(L, th, "rate", what, true, &a->throttle_rate,
				   (struct nspec){0, INFINITY, false, false, " requests/s", NULL});
			b = rd_num(L, th, "burst", what, false, &a->throttle_burst,
				   (struct nspec){0, INFINITY, false, false, " requests", NULL});
			if (b == 0)
				a->throttle_burst = a->throttle_rate;
			a->has_throttle = r > 0 && b >= 0;
		}
		if (type_ok > 0)
			rd_cache(L, n, ctx, a);
		if (a->type == API_WEBSOCKET) {
			/* WebSocket frames: at most the model's message size. */
			struct nspec ws = {0, L->m->apigw.ws_message_max_kb, false, false,
					   " KB (the WebSocket message limit)",
					   "apigateway.websocket.message_max_kb"};

			rd_num(L, n, "request_kb", ctx, false, &a->request_kb, ws);
			if (rd_num(L, n, "response_kb", ctx, false, &a->response_kb, ws) > 0)
				a->transfer_out = true;
		} else {
			rd_num(L, n, "request_kb", ctx, false, &a->request_kb,
			       (struct nspec){0, MAX_PAYLOAD_KB, false, false, " KB (the payload limit)",
					      NULL});
			if (rd_num(L, n, "response_kb", ctx, false, &a->response_kb,
				   (struct nspec){0, MAX_PAYLOAD_KB, false, false,
						  " KB (the payload limit)", NULL}) > 0)
				a->transfer_out = true;
		}
		rd_bool(L, n, "data_transfer_out", ctx, &a->transfer_out);
		if (a->type == API_WEBSOCKET || type_ok <= 0) {
			rd_rate(L, n, "messages_out", ctx, false, &a->messages_out);
			rd_rate(L, n, "connection_minutes", ctx, false, &a->connection_minutes);
		} else {
			const char *ws[] = {"messages_out", "connection_minutes"};

			for (j = 0; j < 2; j++)
				if (ynode_key(n, ws[j]))
					report(L, ynode_key(n, ws[j]), "%s of %s applies only to websocket "
					       "apis (type is %s)", ws[j], ctx, api_type_names[a->type]);
		}
		if ((rs = rd_seq(L, n, "routes", ctx)) != NULL) {
			a->routes = xcalloc(rs->n ? rs->n : 1, sizeof *a->routes);
			for (j = 0; j < rs->n; j++) {
				if (rs->items[j]->kind != YNODE_MAP) {
					report(L, rs->items[j], "route #%zu of %s: expected a map like "
					       "{route: GET /items, traffic: 10/s}, found %s", j + 1, ctx,
					       found(rs->items[j]).s);
					continue;
				}
				rd_route(L, rs->items[j], ctx, a, j);
			}
		}
	}
}

static const char *const budget_keys[] = {
	"monthly_usd", "services", "resources", "max_throttle_ratio", NULL
};
static const char *const service_names[] = {"lambda", "apigateway", "dynamodb", NULL};

/* Reads a {name: usd} map into a list of limits; 'valid' (NULL-terminated)
 * restricts the names (reported as unknown 'kind' / 'plural'). */
static void rd_limits(struct ld *L, const struct ynode *m, const char *ctx, const char *kind,
		      const char *plural, const char *const *valid, struct budget_limit **out,
		      size_t *nout)
{
	size_t i, nvalid = count_names(valid);

	*out = xcalloc(m->n / 2 + 1, sizeof **out);
	for (i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *k = m->items[i];
		struct budget_limit *b;
		size_t j;
		double usd;

		for (j = 0; j < nvalid; j++)
			if (strcmp(valid[j], k->str) == 0)
				break;
		if (j == nvalid) {
			unknown_ref(L, k, kind, plural, k->str, valid, nvalid);
			continue;
		}
		if (rd_num(L, m, k->str, ctx, false, &usd,
			   (struct nspec){0, INFINITY, false, false, " USD", NULL}) <= 0)
			continue;
		b = &(*out)[(*nout)++];
		b->name = xstrdup(k->str);
		b->usd = usd;
		b->line = k->line;
		b->col = k->col;
	}
}

static void do_budget(struct ld *L, const struct ynode *root)
{
	const struct ynode *b = rd_map(L, root, "budget", "the plan"), *m, *t;
	struct budget *bu = &L->p->budget;

	bu->monthly_usd = NAN;
	bu->max_throttle_ratio = NAN;
	if (!b)
		return;
	check_keys(L, b, "budget", budget_keys);
	rd_num(L, b, "monthly_usd", "budget", false, &bu->monthly_usd,
	       (struct nspec){0, INFINITY, false, false, " USD", NULL});
	if ((m = rd_map(L, b, "services", "budget")) != NULL)
		rd_limits(L, m, "budget.services", "service", "services", service_names,
			  &bu->services, &bu->nservices);
	if ((m = rd_map(L, b, "resources", "budget")) != NULL) {
		const struct plan *p = L->p;
		const char **names = xcalloc(p->napis + p->nfunctions + p->ntables + 1, sizeof *names);
		size_t n = 0, i;

		for (i = 0; i < p->nfunctions; i++)
			names[n++] = p->functions[i].name;
		for (i = 0; i < p->napis; i++)
			names[n++] = p->apis[i].name;
		for (i = 0; i < p->ntables; i++)
			names[n++] = p->tables[i].name;
		rd_limits(L, m, "budget.resources", "resource", "resources", names, &bu->resources,
			  &bu->nresources);
		free(names);
	}
	if ((t = ynode_get(b, "max_throttle_ratio")) != NULL) {
		double v;

		if (t->kind != YNODE_SCALAR || units_percent(t->str, &v) < 0)
			report(L, t, "max_throttle_ratio of budget: expected a ratio like 0.1%% or "
			       "0.001, found %s", found(t).s);
		else if (v < 0 || v > 1)
			report(L, t, "max_throttle_ratio of budget must be between 0 and 1 (0%% to "
			       "100%%), found %s", t->str);
		else
			bu->max_throttle_ratio = v;
	}
}

/* A model with no limits, used when the plan's model fails to load so
 * that the rest of the plan can still be checked. */
static struct model *open_model(void)
{
	struct model *m = xcalloc(1, sizeof *m);

	m->name = xstrdup("?");
	m->lambda.memory_max_mb = m->lambda.ephemeral_max_mb = INFINITY;
	m->lambda.timeout_max_s = m->lambda.account_concurrency = INFINITY;
	m->lambda.init_max_ms = INFINITY;
	m->dynamo.table_max_rcu = m->dynamo.table_max_wcu = INFINITY;
	m->dynamo.account_max_rcu = m->dynamo.account_max_wcu = INFINITY;
	m->dynamo.item_max_kb = m->dynamo.max_gsis = INFINITY;
	return m;
}

/* Puts the diagnostics in e->v[start..] that point into 'file' in file
 * order (line, then column; stable), leaving the others in their slots:
 * sections are checked in dependency order (tables before the functions
 * that call them), but people read a plan top to bottom. */
static void sort_diags(struct err *e, size_t start, const char *file)
{
	size_t *slot = xcalloc(e->n - start + 1, sizeof *slot), n = 0, i, j;
	struct diag *d = xcalloc(e->n - start + 1, sizeof *d);

	for (i = start; i < e->n; i++)
		if (e->v[i].file && e->v[i].line > 0 && strcmp(e->v[i].file, file) == 0) {
			struct diag x = e->v[i];

			/* insertion sort: stable, and the lists are short */
			for (j = n; j > 0 && (d[j - 1].line > x.line ||
					      (d[j - 1].line == x.line && d[j - 1].col > x.col)); j--)
				d[j] = d[j - 1];
			d[j] = x;
			slot[n++] = i;
		}
	for (i = 0; i < n; i++)
		e->v[slot[i]] = d[i];
	free(slot);
	free(d);
}

static const char *const top_keys[] = {
	"name", "model", "account", "traffic", "apis", "functions", "tables", "budget",
	"behaviour", "advice", NULL
};

int plan_from_tree(const struct ynode *root, const char *file, const char *dir,
		   double scale, struct plan **out, struct err *e)
{
	struct ld L = {0};
	struct plan *p;
	const struct ynode *mnode, *beh;
	const char *ref = DEFAULT_MODEL;
	size_t start = e->n, before, i;

	*out = NULL;
	if (!root) {
		err_add(e, file, 1, 1, "the plan is empty (expected a map with at least 'name')");
		return -1;
	}
	L.e = e;
	L.file = file;
	L.dir = dir;
	if (root->kind != YNODE_MAP) {
		report(&L, root, "expected a map at the top of the plan, found %s", found(root).s);
		return -1;
	}
	p = xcalloc(1, sizeof *p);
	L.p = p;
	p->path = xstrdup(file);
	check_keys(&L, root, "the plan", top_keys);
	{
		const char *s = "";

		rd_str(&L, root, "name", "the plan", true, &s);
		p->name = xstrdup(s);
	}
	if ((mnode = ynode_get(root, "model")) != NULL && rd_str(&L, root, "model", "the plan",
								 false, &ref) < 0)
		ref = NULL;
	p->model_name = xstrdup(ref ? ref : DEFAULT_MODEL);
	beh = opt(root, "behaviour");
	before = e->n;
	if (ref && model_load(ref, dir, beh, file, &p->model, e) == 0) {
		L.have_model = true;
	} else {
		struct err quiet = {0};

		for (i = before; i < e->n; i++) {
			struct diag *d = &e->v[i];

			if (!d->file && mnode) {
				/* "unknown model": place it at the plan's model key */
				d->file = xstrdup(mnode->line > 0 ? file : PLAN_SET_FILE);
				d->line = mnode->line;
				d->col = mnode->col;
			} else if (d->file && d->line == 0 && strcmp(d->file, file) == 0) {
				/* a behaviour value given with --set */
				free(d->file);
				d->file = xstrdup(PLAN_SET_FILE);
			}
		}
		model_free(p->model);
		p->model = NULL;
		/* When only the behaviour overrides were wrong, the model's
		 * limits still serve to check the rest of the plan. */
		if (ref && beh && model_load(ref, dir, NULL, file, &p->model, &quiet) == 0)
			L.have_model = true;
		else
			p->model = open_model();
		err_clear(&quiet);
	}
	L.m = p->model;
	do_account(&L, root);
	do_traffic(&L, root, scale);
	do_tables(&L, root);
	do_functions(&L, root);
	do_apis(&L, root);
	do_budget(&L, root);
	if (e->n > start) {
		sort_diags(e, start, file);
		plan_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

/* ---- --set ------------------------------------------------------------ */

static void zero_positions(struct ynode *n)
{
	size_t i;

	n->line = n->col = 0;
	for (i = 0; i < n->n; i++)
		zero_positions(n->items[i]);
}

/* The element of 'seq' selected by 'seg' (see plan_apply_set), or -1. */
static long seq_find(const struct ynode *seq, const char *seg)
{
	static const char *const keys[] = {"name", "route"};
	size_t i, k;
	const char *p;

	for (i = 0; i < seq->n; i++)
		for (k = 0; k < 2; k++) {
			const struct ynode *v = ynode_get(seq->items[i], keys[k]);

			if (v && v->kind == YNODE_SCALAR && strcmp(v->str, seg) == 0)
				return (long)i;
		}
	for (p = seg; isdigit((unsigned char)*p); p++)
		;
	if (*p == '\0' && p != seg && p - seg < 10) {
		long idx = atol(seg);

		if ((size_t)idx < seq->n)
			return idx;
	}
	return -1;
}

/* "a, b" from the names (or routes) of the elements of 'seq'. */
static char *seq_names(const struct ynode *seq)
{
	struct sbuf b = {0};
	size_t i;

	for (i = 0; i < seq->n; i++) {
		const struct ynode *v = ynode_get(seq->items[i], "name");

		if (!v)
			v = ynode_get(seq->items[i], "route");
		sbuf_printf(&b, "%s%s", i ? ", " : "",
			    v && v->kind == YNODE_SCALAR ? v->str : "?");
	}
	return sbuf_take(&b);
}

int plan_apply_set(struct ynode *root, const char *assignment, struct err *e)
{
	const char *eq = strchr(assignment, '=');
	struct ynode *val = NULL, *cur = root;
	struct err pe = {0};
	char *path, *seg, *end;
	int rc = -1;
	size_t i;

	if (!eq || eq == assignment) {
		err_add(e, PLAN_SET_FILE, 0, 0, "expected PATH=VALUE (like "
			"functions.api.memory_mb=1024), found '%s'", assignment);
		return -1;
	}
	path = xstrndup(assignment, (size_t)(eq - assignment));
	for (end = path + strlen(path); end > path && isspace((unsigned char)end[-1]); end--)
		end[-1] = '\0';
	if (yaml_load_buffer(PLAN_SET_FILE, eq + 1, strlen(eq + 1), &val, &pe) < 0) {
		for (i = 0; i < pe.n; i++)
			err_add(e, PLAN_SET_FILE, 0, 0, "%s: cannot parse the value '%s': %s", path,
				eq + 1, pe.v[i].msg);
		err_clear(&pe);
		free(path);
		return -1;
	}
	if (!val)
		val = ynode_new_scalar("", 0, 0);
	zero_positions(val);
	if (!root || root->kind != YNODE_MAP) {
		err_add(e, PLAN_SET_FILE, 0, 0, "%s: the plan is not a map", path);
		goto out;
	}
	for (seg = path;; seg = end + 1) {
		bool last;

		end = strchr(seg, '.');
		last = end == NULL;
		if (end)
			*end = '\0';
		if (!*seg) {
			err_add(e, PLAN_SET_FILE, 0, 0, "%.*s: empty path segment", (int)(eq - assignment),
				assignment);
			goto out;
		}
		if (cur->kind == YNODE_MAP) {
			struct ynode *child = ynode_get(cur, seg);

			if (last) {
				ynode_set(cur, seg, val);
				val = NULL;
				break;
			}
			if (!child || is_null(child)) {
				child = ynode_new(YNODE_MAP, 0, 0);
				ynode_set(cur, seg, child);
			}
			cur = child;
		} else if (cur->kind == YNODE_SEQ) {
			long idx = seq_find(cur, seg);

			if (idx < 0) {
				char *names = seq_names(cur);

				err_add(e, PLAN_SET_FILE, 0, 0, "%.*s matches nothing: no element '%s' in "
					"'%.*s' (%s: %s)", (int)(eq - assignment), assignment, seg,
					(int)(seg - path - 1), assignment,
					cur->n ? "elements" : "it is empty", names);
				free(names);
				goto out;
			}
			if (last) {
				ynode_free(cur->items[idx]);
				cur->items[idx] = val;
				val = NULL;
				break;
			}
			cur = cur->items[idx];
		} else {
			err_add(e, PLAN_SET_FILE, 0, 0, "%.*s matches nothing: '%.*s' is a value, not "
				"a map or a sequence", (int)(eq - assignment), assignment,
				(int)(seg - path - 1), assignment);
			goto out;
		}
	}
	rc = 0;
out:
	ynode_free(val);
	free(path);
	return rc;
}

/* ---- entry point ------------------------------------------------------ */

int plan_load(const char *path, const char *const *sets, size_t nsets, double scale,
	      struct plan **out, struct err *e)
{
	struct ynode *root = NULL;
	char *example = NULL, *dir, *buf;
	const char *file, *name;
	size_t len, start = e->n, i;
	int rc;

	*out = NULL;
	if (!path) {
		example = paths_join(paths_data_dir(), "example.yaml");
		file = example;
		name = example;
		dir = xstrdup(paths_data_dir());
	} else if (strcmp(path, "-") == 0) {
		file = path;
		name = "<stdin>";
		dir = xstrdup(".");
	} else {
		file = path;
		name = path;
		dir = paths_dirname(path);
	}
	rc = yaml_read_file(file, &buf, &len, e);
	if (rc == 0) {
		rc = yaml_load_buffer(name, buf, len, &root, e);
		free(buf);
	}
	if (rc < 0) {
		free(example);
		free(dir);
		return -1;
	}
	if (root && root->kind == YNODE_MAP)
		for (i = 0; i < nsets; i++)
			plan_apply_set(root, sets[i], e);
	rc = plan_from_tree(root, name, dir, scale, out, e);
	ynode_free(root);
	if (rc == 0 && e->n > start) {
		plan_free(*out);	/* a --set failed */
		*out = NULL;
		rc = -1;
	}
	if (rc == 0 && strcmp(file, name) != 0) {
		free((*out)->path);
		(*out)->path = xstrdup(file);
	}
	free(example);
	free(dir);
	return rc;
}
