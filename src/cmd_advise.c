/* cmd_advise: `costcap advise [PLAN]`: what to change and how long the
 * design lasts (docs/advice.md). Loads the plan like `report` (plus its
 * optional advice: section), runs core/advise and prints the result as
 * text or JSON. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/advise.h"
#include "core/err.h"
#include "core/trace.h"
#include "core/units.h"
#include "core/util.h"
#include "io/atomic.h"
#include "io/paths.h"
#include "io/plan_load.h"
#include "io/trace_csv.h"
#include "io/yaml.h"
#include "report/report.h"

static const char advise_help[] =
	"usage: costcap advise [PLAN] [options]\n"
	"\n"
	"What to change and how long the design lasts: function memory (with a\n"
	"duration model), architecture, provisioned and reserved concurrency; table\n"
	"capacity modes, the smallest capacity and hot keys; REST vs HTTP and cache\n"
	"break-even; the traffic scale at which each resource first throttles and\n"
	"the limit that binds; a month-by-month projection; Monte Carlo bands.\n"
	"\n"
	"  --format FMT          text (default) or json\n"
	"  -o, --output FILE     write to FILE atomically instead of standard output\n"
	"  --only LIST           sections, comma separated: functions, tables, apis,\n"
	"                        headroom, projection, montecarlo (default: all)\n"
	"  --cpu-share X         CPU-bound share of every function's duration, 0..1\n"
	"                        (default 0.5); --cpu-share NAME=X for one function\n"
	"  --cpu-threads N       vCPUs the CPU-bound part can use, 1..6 (default 6)\n"
	"  --max-throttle R      throttle ratio target (default: the plan's budget, else 0.1%)\n"
	"  --cost-limit R        the 'best' memory may cost R more than now (default 10%)\n"
	"  --growth G            monthly growth for the projection (default: traffic.growth,\n"
	"                        else fitted to the trace's daily totals)\n"
	"  --fit-growth          fit the growth to the trace even when the plan gives one\n"
	"  --months N            projection length (default 12)\n"
	"  --runs N              Monte Carlo draws (default 200, or 20 when resources near a\n"
	"                        limit are re-simulated in every draw; 0: none)\n"
	"  --max-scale X         search headroom up to X times today's traffic (default 1000)\n"
	"  --full                simulate whole windows (no representative day; slow)\n"
	"  --no-timings          leave wall times out (reproducible output, for tests)\n"
	"  --set, --scale, --seed, --cold, --step as for report\n"
	"\n"
	"A plan may hold the same settings in an 'advice:' section: cpu_share (a number,\n"
	"or a map of function names to numbers with an optional 'default'),\n"
	"cpu_threads, max_throttle, cost_limit, growth, months, runs, max_scale.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("costcap: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(run 'costcap advise --help' for usage)\n", stderr);
	return EXIT_USAGE;
}

struct share_opt {
	const char *name;	/* NULL: every function */
	double v;
	const char *file;	/* where it came from, for messages */
	int line, col;
};

struct args {
	const char *plan;
	const char *format;
	const char *output;
	const char **sets;
	size_t nsets, capsets;
	double scale;
	uint32_t step;
	bool seed_given;
	bool no_timings;
	struct advise_opts o;
	struct share_opt *shares;	/* the plan's first, then the command line's */
	size_t nshares, capshares, nplan_shares;
	/* which options were given on the command line (they win over the plan) */
	bool given_threads, given_throttle, given_limit, given_growth, given_months, given_runs,
	     given_scale_max;
};

static int parse_share(struct args *a, const char *v)
{
	const char *eq = strchr(v, '=');
	struct share_opt s = {NULL, 0, "--cpu-share", 0, 0};
	char *name = NULL;

	if (eq) {
		name = xstrndup(v, (size_t)(eq - v));
		v = eq + 1;
	}
	if (units_percent(v, &s.v) < 0 || s.v < 0 || s.v > 1) {
		free(name);
		return usage_error("--cpu-share expects a share from 0 to 1 (or NAME=SHARE), found '%s'", v);
	}
	s.name = name;
	xgrow(&a->shares, &a->capshares, a->nshares + 1, sizeof *a->shares);
	a->shares[a->nshares++] = s;
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int i, rc;

	a->format = "text";
	a->scale = NAN;
	advise_opts_default(&a->o);
	for (i = 0; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;
		double x;

		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			fputs(advise_help, stdout);
			return 1;
		} else if (!strcmp(o, "--cold")) {
			a->o.sim.cold = true;
			takes = 0;
		} else if (!strcmp(o, "--full")) {
			a->o.sim.full = true;
			takes = 0;
		} else if (!strcmp(o, "--no-timings")) {
			a->no_timings = true;
			takes = 0;
		} else if (!strcmp(o, "--fit-growth")) {
			a->o.fit_growth = true;
			takes = 0;
		} else if (o[0] != '-' || !strcmp(o, "-")) {
			if (a->plan)
				return usage_error("more than one plan given ('%s')", o);
			a->plan = o;
			takes = 0;
		} else if (!v) {
			return usage_error("option '%s' needs a value", o);
		} else if (!strcmp(o, "--format")) {
			if (strcmp(v, "text") && strcmp(v, "json"))
				return usage_error("unknown format '%s' (formats: text, json)", v);
			a->format = v;
		} else if (!strcmp(o, "-o") || !strcmp(o, "--output")) {
			a->output = v;
		} else if (!strcmp(o, "--set")) {
			xgrow(&a->sets, &a->capsets, a->nsets + 1, sizeof *a->sets);
			a->sets[a->nsets++] = v;
		} else if (!strcmp(o, "--scale")) {
			if (units_number(v, &a->scale) < 0 || !(a->scale > 0))
				return usage_error("--scale expects a positive number, found '%s'", v);
		} else if (!strcmp(o, "--seed")) {
			char *end;

			errno = 0;
			a->o.seed = a->o.sim.seed = strtoull(v, &end, 10);
			if (*end || errno || v[0] == '-' || !v[0])
				return usage_error("--seed expects a non-negative integer, found '%s'", v);
			a->seed_given = true;
		} else if (!strcmp(o, "--step")) {
			if (units_number(v, &x) < 0 || x < 1 || x > 86400 || x != floor(x))
				return usage_error("--step expects a whole number of seconds (1 to 86400), found '%s'", v);
			a->step = (uint32_t)x;
		} else if (!strcmp(o, "--only")) {
			char *list = xstrdup(v), *tok, *save = NULL;

			a->o.sections = 0;
			for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				static const char *const names[] = {"functions", "tables", "apis", "headroom",
								    "projection", "montecarlo"};
				size_t k;

				for (k = 0; k < 6 && strcmp(tok, names[k]); k++)
					;
				if (k == 6) {
					rc = usage_error("unknown section '%s' for --only (functions, tables, apis, "
							 "headroom, projection, montecarlo)", tok);
					free(list);
					return rc;
				}
				a->o.sections |= 1u << k;
			}
			free(list);
			if (!a->o.sections)
				return usage_error("--only needs at least one section%s", "");
		} else if (!strcmp(o, "--cpu-share")) {
			if ((rc = parse_share(a, v)) != 0)
				return rc;
		} else if (!strcmp(o, "--cpu-threads")) {
			if (units_number(v, &a->o.cpu_threads) < 0 || a->o.cpu_threads < 1 || a->o.cpu_threads > 6)
				return usage_error("--cpu-threads expects a number from 1 to 6, found '%s'", v);
			a->given_threads = true;
		} else if (!strcmp(o, "--max-throttle")) {
			if (units_percent(v, &a->o.max_throttle) < 0 || a->o.max_throttle < 0 || a->o.max_throttle > 1)
				return usage_error("--max-throttle expects a ratio like 0.001 or 0.1%%, found '%s'", v);
			a->given_throttle = true;
		} else if (!strcmp(o, "--cost-limit")) {
			if (units_percent(v, &a->o.cost_limit) < 0 || a->o.cost_limit < 0)
				return usage_error("--cost-limit expects a share like 10%% or 0.1, found '%s'", v);
			a->given_limit = true;
		} else if (!strcmp(o, "--growth")) {
			if (units_percent(v, &a->o.growth) < 0 || !(a->o.growth > -1))
				return usage_error("--growth expects a growth like 5%%/month or 0.05, found '%s'", v);
			a->given_growth = true;
		} else if (!strcmp(o, "--months")) {
			if (units_number(v, &x) < 0 || x < 1 || x > 120 || x != floor(x))
				return usage_error("--months expects a whole number from 1 to 120, found '%s'", v);
			a->o.months = (int)x;
			a->given_months = true;
		} else if (!strcmp(o, "--runs")) {
			if (units_number(v, &x) < 0 || x < 0 || x > 100000 || x != floor(x))
				return usage_error("--runs expects a whole number from 0 to 100000, found '%s'", v);
			a->o.runs = (int)x;
			a->o.mc_sim_runs = 0;	/* asked for: no cap */
			a->given_runs = true;
		} else if (!strcmp(o, "--max-scale")) {
			if (units_number(v, &a->o.max_scale) < 0 || a->o.max_scale <= 1)
				return usage_error("--max-scale expects a number above 1, found '%s'", v);
			a->given_scale_max = true;
		} else {
			return usage_error("unknown option '%s'", o);
		}
		i += takes;
	}
	a->o.sim.poisson_spread = a->seed_given;
	return 0;
}

static void args_free(struct args *a)
{
	size_t i;

	for (i = 0; i < a->nshares; i++)
		free((char *)a->shares[i].name);
	free(a->shares);
	free(a->sets);
}

/* ---- the plan's advice: section ------------------------------------------ */

/* Takes the top-level 'advice' key out of the plan tree (the plan loader
 * does not know it) and returns its value (owned), or NULL. */
static struct ynode *take_advice(struct ynode *root)
{
	size_t i;

	if (!root || root->kind != YNODE_MAP)
		return NULL;
	for (i = 0; i + 1 < root->n; i += 2)
		if (root->items[i]->str && strcmp(root->items[i]->str, "advice") == 0) {
			struct ynode *v = root->items[i + 1];

			ynode_free(root->items[i]);
			memmove(&root->items[i], &root->items[i + 2], (root->n - i - 2) * sizeof *root->items);
			root->n -= 2;
			return v;
		}
	return NULL;
}

static const char *pos_file(const struct ynode *n, const char *file)
{
	return n->line > 0 ? file : PLAN_SET_FILE;
}

static int adv_num(const struct ynode *n, const char *file, const char *key, bool percent,
		   double lo, double hi, double *out, struct err *e)
{
	double v;

	if (n->kind != YNODE_SCALAR ||
	    (percent ? units_percent(n->str, &v) : units_number(n->str, &v)) < 0 || v < lo || v > hi) {
		err_add(e, pos_file(n, file), n->line, n->col, "advice.%s: expected a %s from %g to %g",
			key, percent ? "ratio or percentage" : "number", lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* Inserts a CPU share from the plan before the command line's (which are
 * applied last, so they win), the plan's shares for every function before
 * its per-function ones. */
static void plan_share(struct args *a, struct share_opt so)
{
	size_t at = 0;

	while (at < a->nplan_shares && (so.name || !a->shares[at].name))
		at++;
	xgrow(&a->shares, &a->capshares, a->nshares + 1, sizeof *a->shares);
	memmove(&a->shares[at + 1], &a->shares[at], (a->nshares - at) * sizeof *a->shares);
	a->shares[at] = so;
	a->nshares++;
	a->nplan_shares++;
}

/* Applies the plan's advice: section (command-line options win). */
static int apply_advice(const struct ynode *adv, const char *file, struct args *a, struct err *e)
{
	static const char *const keys[] = {"cpu_share", "cpu_threads", "max_throttle", "cost_limit",
					   "growth", "months", "runs", "max_scale", NULL};
	size_t i, k;
	int bad = 0;
	double x;

	if (!adv)
		return 0;
	if (adv->kind != YNODE_MAP) {
		err_add(e, pos_file(adv, file), adv->line, adv->col, "advice: expected a map of settings");
		return -1;
	}
	for (i = 0; i + 1 < adv->n; i += 2) {
		const struct ynode *key = adv->items[i], *v = adv->items[i + 1];
		const char *s = key->str ? key->str : "";

		for (k = 0; keys[k] && strcmp(keys[k], s); k++)
			;
		if (!keys[k]) {
			err_add(e, pos_file(key, file), key->line, key->col,
				"unknown key '%s' in advice (keys: cpu_share, cpu_threads, max_throttle, "
				"cost_limit, growth, months, runs, max_scale)", s);
			bad = 1;
			continue;
		}
		if (!strcmp(s, "cpu_share")) {
			size_t j;

			if (v->kind == YNODE_MAP) {
				for (j = 0; j + 1 < v->n; j += 2) {
					struct share_opt so = {NULL, 0, NULL, 0, 0};
					const struct ynode *fk = v->items[j];

					if (adv_num(v->items[j + 1], file, "cpu_share", true, 0, 1, &so.v, e) < 0) {
						bad = 1;
						continue;
					}
					if (strcmp(fk->str, "default"))
						so.name = xstrdup(fk->str);
					so.file = pos_file(fk, file);
					so.line = fk->line;
					so.col = fk->col;
					plan_share(a, so);
				}
			} else {
				struct share_opt so = {NULL, 0, NULL, 0, 0};

				if (adv_num(v, file, "cpu_share", true, 0, 1, &so.v, e) < 0) {
					bad = 1;
					continue;
				}
				plan_share(a, so);
			}
		} else if (!strcmp(s, "cpu_threads")) {
			if (adv_num(v, file, s, false, 1, 6, &x, e) < 0)
				bad = 1;
			else if (!a->given_threads)
				a->o.cpu_threads = x;
		} else if (!strcmp(s, "max_throttle")) {
			if (adv_num(v, file, s, true, 0, 1, &x, e) < 0)
				bad = 1;
			else if (!a->given_throttle)
				a->o.max_throttle = x;
		} else if (!strcmp(s, "cost_limit")) {
			if (adv_num(v, file, s, true, 0, 100, &x, e) < 0)
				bad = 1;
			else if (!a->given_limit)
				a->o.cost_limit = x;
		} else if (!strcmp(s, "growth")) {
			if (adv_num(v, file, s, true, -0.99, 100, &x, e) < 0)
				bad = 1;
			else if (!a->given_growth)
				a->o.growth = x;
		} else if (!strcmp(s, "months")) {
			if (adv_num(v, file, s, false, 1, 120, &x, e) < 0)
				bad = 1;
			else if (!a->given_months)
				a->o.months = (int)x;
		} else if (!strcmp(s, "runs")) {
			if (adv_num(v, file, s, false, 0, 100000, &x, e) < 0)
				bad = 1;
			else if (!a->given_runs) {
				a->o.runs = (int)x;
				a->o.mc_sim_runs = 0;
			}
		} else if (!strcmp(s, "max_scale")) {
			if (adv_num(v, file, s, false, 1.01, 1e9, &x, e) < 0)
				bad = 1;
			else if (!a->given_scale_max)
				a->o.max_scale = x;
		}
	}
	return bad ? -1 : 0;
}

/* Loads the plan as plan_load does, taking its advice: section out of the
 * tree first. Returns 0 or an exit code. */
static int load(struct args *a, struct plan **pp, double **shares, struct err *e)
{
	struct ynode *root = NULL, *adv;
	char *example = NULL, *dir, *buf;
	const char *file, *name;
	size_t len, start = e->n, i;
	int rc;

	*pp = NULL;
	if (!a->plan) {
		example = paths_join(paths_data_dir(), "example.yaml");
		file = name = example;
		dir = xstrdup(paths_data_dir());
	} else if (!strcmp(a->plan, "-")) {
		file = a->plan;
		name = "<stdin>";
		dir = xstrdup(".");
	} else {
		file = name = a->plan;
		dir = paths_dirname(a->plan);
	}
	rc = yaml_read_file(file, &buf, &len, e);
	if (rc == 0) {
		rc = yaml_load_buffer(name, buf, len, &root, e);
		free(buf);
	}
	if (rc == 0 && root && root->kind == YNODE_MAP)
		for (i = 0; i < a->nsets; i++)
			plan_apply_set(root, a->sets[i], e);
	adv = rc == 0 ? take_advice(root) : NULL;
	if (rc == 0)
		rc = plan_from_tree(root, name, dir, a->scale, pp, e);
	if (rc == 0 && apply_advice(adv, name, a, e) < 0)
		rc = -1;
	if (rc == 0 && e->n > start)
		rc = -1;
	ynode_free(adv);
	ynode_free(root);
	free(example);
	free(dir);
	if (rc < 0) {
		plan_free(*pp);
		*pp = NULL;
		return cmd_print_errors(e);
	}
	/* Per-function CPU shares: the plan's, then the command line's. */
	*shares = xcalloc((*pp)->nfunctions + 1, sizeof **shares);
	for (i = 0; i < (*pp)->nfunctions; i++)
		(*shares)[i] = NAN;
	for (i = 0; i < a->nshares; i++) {
		const struct share_opt *s = &a->shares[i];
		int f;

		if (!s->name) {
			size_t j;

			a->o.cpu_share = s->v;
			for (j = 0; j < (*pp)->nfunctions; j++)
				(*shares)[j] = NAN;
			continue;
		}
		if ((f = plan_find_function(*pp, s->name)) < 0) {
			err_add(e, s->file, s->line, s->col, "unknown function '%s' in cpu_share", s->name);
			continue;
		}
		(*shares)[f] = s->v;
	}
	if (e->n > start) {
		free(*shares);
		*shares = NULL;
		plan_free(*pp);
		*pp = NULL;
		return cmd_print_errors(e);
	}
	return 0;
}

/* ---- text ------------------------------------------------------------ */


static const char *mode_text(enum whatif_mode m)
{
	switch (m) {
	case WHATIF_DAY:
		return "a representative day: the month is 30 x 24 h + 10 h, simulated as 24 h and 10 h";
	case WHATIF_TRACE:
		return "the trace's window";
	default:
		return "the whole 730-hour month";
	}
}

static void text_items(struct sbuf *o, const struct advice *a, bool actionable)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct advice_item *it = &a->items[i];

		if (it->actionable != actionable)
			continue;
		sbuf_printf(o, "  %s [%s]%s%s %s\n", actionable ? "*" : "-", advice_kind_name(it->kind),
			    it->resource[0] ? " " : "", it->resource, it->message);
		if (actionable && it->detail && it->detail[0])
			sbuf_printf(o, "      %s\n", it->detail);
		if (it->set)
			sbuf_printf(o, "      --set %s\n", it->set);
	}
}

static void text_out(struct sbuf *o, const struct plan *p, const struct advice *a, bool timings)
{
	size_t i, j, na = 0;

	for (i = 0; i < a->n; i++)
		na += a->items[i].actionable;
	sbuf_printf(o, "costcap advise: %s (%s), ", p->name, p->model->name);
	report_advice_money(o, a->baseline_total);
	sbuf_add(o, "/month as planned; throttle target ");
	report_advice_ratio(o, a->target);
	sbuf_printf(o, "\nSimulated over %s.\n", mode_text(a->mode));
	sbuf_printf(o, "\nRecommended (%zu)\n", na);
	text_items(o, a, true);
	if (!na)
		sbuf_add(o, "  nothing: the plan is already the cheapest under the target\n");
	sbuf_add(o, "\nChecked\n");
	text_items(o, a, false);
	if (a->nsweeps) {
		sbuf_add(o, "\nFunction memory (median duration by the duration model; cost of the function)\n");
		for (i = 0; i < a->nsweeps; i++) {
			const struct memory_sweep *s = &a->sweeps[i];

			sbuf_printf(o, "  %s (CPU-bound share %.0f%%)\n", s->function, s->cpu_share * 100);
			sbuf_add(o, "    memory MB   median ms     $/month  throttle\n");
			for (j = 0; j < s->n; j++) {
				const struct memory_point *pt = &s->points[j];
				long k = (long)j;
				const char *tag = k == s->current ? "  now" : "";

				if (k != s->current && k != s->cheapest && k != s->fastest && k != s->best &&
				    fmod(log2(pt->memory_mb / 128), 1) != 0)
					continue;
				sbuf_printf(o, "    %9.0f  %10.4g  ", pt->memory_mb, pt->duration_ms);
				{
					struct sbuf m = {0};

					report_advice_money(&m, pt->monthly_cost);
					sbuf_printf(o, "%10s  ", m.buf);
					sbuf_free(&m);
				}
				report_advice_ratio(o, pt->throttle_ratio);
				sbuf_printf(o, "%s%s%s%s%s\n", tag, k == s->cheapest ? "  cheapest" : "",
					    k == s->fastest ? "  fastest" : "", k == s->best ? "  best" : "",
					    pt->simulated ? "  (simulated)" : "");
			}
		}
	}
	if (a->ntables) {
		sbuf_add(o, "\nTables: capacity options over the same traffic\n");
		for (i = 0; i < a->ntables; i++) {
			const struct table_modes *t = &a->tables[i];

			sbuf_printf(o, "  %s\n", t->table);
			for (j = 0; j < t->n; j++) {
				struct sbuf m = {0};

				report_advice_money(&m, t->rows[j].monthly_cost);
				sbuf_printf(o, "    %-52s %10s  ", t->rows[j].label, m.buf);
				sbuf_free(&m);
				report_advice_ratio(o, t->rows[j].throttle_ratio);
				if (t->rows[j].throttle_ratio > 0)
					sbuf_printf(o, "  (%s)", limit_kind_name(t->rows[j].limit));
				sbuf_addc(o, '\n');
			}
		}
	}
	if (a->napis) {
		sbuf_add(o, "\nAPIs: REST vs HTTP (the API's monthly cost; plan totals)\n");
		for (i = 0; i < a->napis; i++) {
			const struct api_compare *c = &a->apis[i];

			sbuf_printf(o, "  %s (%s): now ", c->api, c->type == API_REST ? "rest" : "http");
			report_advice_money(o, c->cost_now);
			sbuf_add(o, c->type == API_REST ? "; REST without cache " : "; as REST ");
			report_advice_money(o, c->cost_rest);
			sbuf_add(o, " (total ");
			report_advice_money(o, c->total_rest);
			sbuf_add(o, "); HTTP ");
			report_advice_money(o, c->cost_http);
			sbuf_add(o, " (total ");
			report_advice_money(o, c->total_http);
			sbuf_add(o, ")\n");
			for (j = 0; j < c->ncache; j++) {
				sbuf_printf(o, "    cache %6.4g GB  ", c->cache_gb[j]);
				report_advice_money(o, c->cache_monthly[j]);
				if (c->break_even[j] <= 1) {
					sbuf_add(o, "/month  pays above ");
					report_advice_ratio(o, c->break_even[j]);
					sbuf_add(o, " hits\n");
				} else {
					sbuf_add(o, "/month  never pays (more than the backends cost)\n");
				}
			}
		}
	}
	if (a->has_headroom) {
		sbuf_add(o, "\nHeadroom: traffic scale at which each resource first throttles above the target\n");
		report_headroom_rows(o, &a->headroom);
	}
	if (a->has_projection) {
		const struct projection *pr = &a->projection;

		sbuf_printf(o, "\nProjection: growth %.3g%%/month (%s", pr->growth * 100, a->growth_source);
		if (a->has_fit)
			sbuf_printf(o, "; fitted to the trace: %.3g%% +/- %.2g%% over %d days",
				    a->fit.per_month * 100, a->fit.per_month_se * 100, a->fit.days);
		sbuf_add(o, ")\n  month   scale      $/month  worst throttle\n");
		for (i = 0; i < pr->n; i++) {
			const struct projection_month *m = &pr->months[i];
			struct sbuf mm = {0};

			report_advice_money(&mm, m->monthly_cost);
			sbuf_printf(o, "  %5d  %6.3f  %11s  ", m->month, m->scale, mm.buf);
			sbuf_free(&mm);
			report_advice_ratio(o, m->throttle_ratio);
			if (m->throttle_ratio > 0)
				sbuf_printf(o, " (%s)", m->worst);
			sbuf_addc(o, '\n');
		}
		if (pr->start_month)
			sbuf_printf(o, "  throttling passes the target in month %d\n", pr->start_month);
		else
			sbuf_printf(o, "  no throttling above the target within %zu months%s", pr->n,
				    pr->headroom_month ? "" : "\n");
		if (!pr->start_month && pr->headroom_month)
			sbuf_printf(o, " (the first limit is reached in month %d)\n", pr->headroom_month);
	}
	if (a->has_mc) {
		const struct monte_carlo *m = &a->mc;
		int q;

		sbuf_printf(o, "\nMonte Carlo: %d draws, seed %llu (Poisson arrivals, mean durations)\n",
			    m->runs, (unsigned long long)m->seed);
		sbuf_add(o, "                    P1         P10         P50         P90         P99  deterministic\n");
		sbuf_add(o, "  cost     ");
		for (q = 0; q < MC_NQ; q++) {
			struct sbuf mm = {0};

			report_advice_money(&mm, m->cost[q]);
			sbuf_printf(o, "%12s", mm.buf);
			sbuf_free(&mm);
		}
		{
			struct sbuf mm = {0};

			report_advice_money(&mm, m->deterministic_cost);
			sbuf_printf(o, "  %13s\n", mm.buf);
			sbuf_free(&mm);
		}
		sbuf_add(o, "  throttle ");
		for (q = 0; q < MC_NQ; q++) {
			struct sbuf mm = {0};

			report_advice_ratio(&mm, m->throttle[q]);
			sbuf_printf(o, "%12s", mm.buf);
			sbuf_free(&mm);
		}
		{
			struct sbuf mm = {0};

			report_advice_ratio(&mm, m->deterministic_throttle);
			sbuf_printf(o, "  %13s\n", mm.buf);
			sbuf_free(&mm);
		}
	}
	if (!timings) {
		sbuf_printf(o, "\nMeasured: %lu simulations, %.3g simulated seconds\n", a->simulations,
			    a->simulated_s);
		return;
	}
	sbuf_printf(o, "\nMeasured: %.2f s, %lu simulations, %.3g simulated seconds (baseline %.2f s; "
		    "functions %.2f, tables %.2f, APIs %.2f, headroom %.2f, projection %.2f, Monte Carlo %.2f s)\n",
		    a->elapsed_s, a->simulations, a->simulated_s, a->baseline_s, a->section_s[0],
		    a->section_s[1], a->section_s[2], a->section_s[3], a->section_s[4], a->section_s[5]);
}

/* ---- JSON ------------------------------------------------------------ */

static void jkey(struct sbuf *o, const char *k)
{
	json_string(o, k);
	sbuf_addc(o, ':');
}

static void jnum(struct sbuf *o, const char *k, double v, bool comma)
{
	jkey(o, k);
	json_number(o, v);
	if (comma)
		sbuf_addc(o, ',');
}

static void jstr(struct sbuf *o, const char *k, const char *v, bool comma)
{
	jkey(o, k);
	if (v)
		json_string(o, v);
	else
		sbuf_add(o, "null");
	if (comma)
		sbuf_addc(o, ',');
}

static void jq(struct sbuf *o, const char *k, const double *v, bool comma)
{
	int q;

	jkey(o, k);
	sbuf_addc(o, '{');
	for (q = 0; q < MC_NQ; q++) {
		static const char *const names[MC_NQ] = {"p1", "p10", "p50", "p90", "p99"};

		jnum(o, names[q], v[q], q + 1 < MC_NQ);
	}
	sbuf_addc(o, '}');
	if (comma)
		sbuf_addc(o, ',');
}

static void json_out(struct sbuf *o, const struct plan *p, const struct advice *a, bool timings)
{
	size_t i, j;

	sbuf_addc(o, '{');
	jstr(o, "costcap_version", COSTCAP_VERSION, true);
	jstr(o, "plan", p->name, true);
	jkey(o, "model");
	sbuf_addc(o, '{');
	jstr(o, "name", p->model->name, true);
	jstr(o, "as_of", p->model->as_of, true);
	jstr(o, "currency", p->model->currency, false);
	sbuf_add(o, "},");
	jnum(o, "target_throttle_ratio", a->target, true);
	jnum(o, "total_monthly_cost", a->baseline_total, true);
	jkey(o, "items");
	sbuf_addc(o, '[');
	for (i = 0; i < a->n; i++) {
		const struct advice_item *it = &a->items[i];

		sbuf_add(o, i ? ",{" : "{");
		jstr(o, "kind", advice_kind_name(it->kind), true);
		jstr(o, "resource", it->resource, true);
		jstr(o, "service", it->resource[0] ? service_name(it->service) : NULL, true);
		jkey(o, "actionable");
		sbuf_add(o, it->actionable ? "true," : "false,");
		jstr(o, "message", it->message, true);
		jstr(o, "detail", it->detail, true);
		jstr(o, "set", it->set, true);
		jnum(o, "current_cost", it->current_cost, true);
		jnum(o, "proposed_cost", it->proposed_cost, true);
		jnum(o, "saving", it->saving, true);
		jnum(o, "current_throttle_ratio", it->current_throttle, true);
		jnum(o, "proposed_throttle_ratio", it->proposed_throttle, false);
		sbuf_addc(o, '}');
	}
	sbuf_add(o, "],");
	jkey(o, "memory");
	sbuf_addc(o, '[');
	for (i = 0; i < a->nsweeps; i++) {
		const struct memory_sweep *s = &a->sweeps[i];

		sbuf_add(o, i ? ",{" : "{");
		jstr(o, "function", s->function, true);
		jnum(o, "cpu_share", s->cpu_share, true);
		jnum(o, "current_mb", s->current_mb, true);
		jnum(o, "cheapest_mb", s->cheapest >= 0 ? s->points[s->cheapest].memory_mb : NAN, true);
		jnum(o, "fastest_mb", s->fastest >= 0 ? s->points[s->fastest].memory_mb : NAN, true);
		jnum(o, "best_mb", s->best >= 0 ? s->points[s->best].memory_mb : NAN, true);
		jnum(o, "cost_limit", s->cost_limit_usd, true);
		jkey(o, "points");
		sbuf_addc(o, '[');
		for (j = 0; j < s->n; j++) {
			sbuf_add(o, j ? ",{" : "{");
			jnum(o, "memory_mb", s->points[j].memory_mb, true);
			jnum(o, "duration_ms", s->points[j].duration_ms, true);
			jnum(o, "monthly_cost", s->points[j].monthly_cost, true);
			jnum(o, "throttle_ratio", s->points[j].throttle_ratio, true);
			jkey(o, "simulated");
			sbuf_add(o, s->points[j].simulated ? "true}" : "false}");
		}
		sbuf_add(o, "]}");
	}
	sbuf_add(o, "],");
	jkey(o, "tables");
	sbuf_addc(o, '[');
	for (i = 0; i < a->ntables; i++) {
		const struct table_modes *t = &a->tables[i];

		sbuf_add(o, i ? ",{" : "{");
		jstr(o, "table", t->table, true);
		jnum(o, "smallest_rcu", t->smallest_rcu, true);
		jnum(o, "smallest_wcu", t->smallest_wcu, true);
		jkey(o, "options");
		sbuf_addc(o, '[');
		for (j = 0; j < t->n; j++) {
			static const char *const opt[] = {"as_planned", "on_demand", "provisioned",
							  "autoscaling", "smallest"};

			sbuf_add(o, j ? ",{" : "{");
			jstr(o, "option", opt[t->rows[j].option], true);
			jstr(o, "label", t->rows[j].label, true);
			jnum(o, "rcu", t->rows[j].rcu, true);
			jnum(o, "wcu", t->rows[j].wcu, true);
			jnum(o, "monthly_cost", t->rows[j].monthly_cost, true);
			jnum(o, "throttle_ratio", t->rows[j].throttle_ratio, true);
			jstr(o, "limit", t->rows[j].throttle_ratio > 0 ? limit_kind_name(t->rows[j].limit) : NULL,
			     false);
			sbuf_addc(o, '}');
		}
		sbuf_add(o, "]}");
	}
	sbuf_add(o, "],");
	jkey(o, "apis");
	sbuf_addc(o, '[');
	for (i = 0; i < a->napis; i++) {
		const struct api_compare *c = &a->apis[i];

		sbuf_add(o, i ? ",{" : "{");
		jstr(o, "api", c->api, true);
		jstr(o, "type", c->type == API_REST ? "rest" : "http", true);
		jnum(o, "cost_now", c->cost_now, true);
		jnum(o, "cost_rest", c->cost_rest, true);
		jnum(o, "cost_http", c->cost_http, true);
		jnum(o, "total_rest", c->total_rest, true);
		jnum(o, "total_http", c->total_http, true);
		jnum(o, "hit_ratio", c->hit_ratio, true);
		jnum(o, "backend_saving_per_hit_ratio", c->backend_per_hit, true);
		jkey(o, "cache");
		sbuf_addc(o, '[');
		for (j = 0; j < c->ncache; j++) {
			sbuf_add(o, j ? ",{" : "{");
			jnum(o, "size_gb", c->cache_gb[j], true);
			jnum(o, "monthly_cost", c->cache_monthly[j], true);
			jnum(o, "break_even_hit_ratio", c->break_even[j], false);
			sbuf_addc(o, '}');
		}
		sbuf_add(o, "]}");
	}
	sbuf_add(o, "],");
	jkey(o, "headroom");
	if (a->has_headroom) {
		const struct headroom *h = &a->headroom;

		sbuf_addc(o, '{');
		jstr(o, "first", h->first >= 0 ? h->rows[h->first].resource : NULL, true);
		jnum(o, "max_scale", h->max_scale, true);
		jnum(o, "tolerance", h->tolerance, true);
		jkey(o, "resources");
		sbuf_addc(o, '[');
		for (i = 0; i < h->n; i++) {
			const struct headroom_row *r = &h->rows[i];

			sbuf_add(o, i ? ",{" : "{");
			jstr(o, "resource", r->resource, true);
			jstr(o, "service", service_name(r->service), true);
			jnum(o, "scale", r->scale, true);
			jnum(o, "scale_ok", r->scale_ok, true);
			jstr(o, "limit", isfinite(r->scale) ? limit_kind_name(r->limit) : NULL, true);
			jnum(o, "throttle_ratio", r->ratio, true);
			jnum(o, "estimate", r->estimate, true);
			jnum(o, "simulations", r->evaluations, false);
			sbuf_addc(o, '}');
		}
		sbuf_add(o, "]},");
	} else {
		sbuf_add(o, "null,");
	}
	jkey(o, "projection");
	if (a->has_projection) {
		const struct projection *pr = &a->projection;

		sbuf_addc(o, '{');
		jnum(o, "growth_per_month", pr->growth, true);
		jstr(o, "growth_source", a->growth_source, true);
		if (a->has_fit) {
			jkey(o, "fit");
			sbuf_addc(o, '{');
			jnum(o, "days", a->fit.days, true);
			jnum(o, "per_month", a->fit.per_month, true);
			jnum(o, "per_month_se", a->fit.per_month_se, true);
			jnum(o, "doubling_days", a->fit.doubling_days, false);
			sbuf_add(o, "},");
		}
		jnum(o, "throttling_starts_month", pr->start_month ? pr->start_month : NAN, true);
		jnum(o, "headroom_month", pr->headroom_month ? pr->headroom_month : NAN, true);
		jkey(o, "months");
		sbuf_addc(o, '[');
		for (i = 0; i < pr->n; i++) {
			const struct projection_month *m = &pr->months[i];

			sbuf_add(o, i ? ",{" : "{");
			jnum(o, "month", m->month, true);
			jnum(o, "scale", m->scale, true);
			jnum(o, "monthly_cost", m->monthly_cost, true);
			jnum(o, "throttle_ratio", m->throttle_ratio, true);
			jstr(o, "worst", m->worst[0] ? m->worst : NULL, false);
			sbuf_addc(o, '}');
		}
		sbuf_add(o, "]},");
	} else {
		sbuf_add(o, "null,");
	}
	jkey(o, "monte_carlo");
	if (a->has_mc) {
		const struct monte_carlo *m = &a->mc;

		sbuf_addc(o, '{');
		jnum(o, "runs", m->runs, true);
		jnum(o, "seed", (double)m->seed, true);
		jq(o, "monthly_cost", m->cost, true);
		jq(o, "throttle_ratio", m->throttle, true);
		jnum(o, "deterministic_cost", m->deterministic_cost, true);
		jnum(o, "deterministic_throttle_ratio", m->deterministic_throttle, true);
		jkey(o, "resources");
		sbuf_addc(o, '[');
		for (i = 0; i < m->n; i++) {
			sbuf_add(o, i ? ",{" : "{");
			jstr(o, "resource", m->res[i].resource, true);
			jq(o, "monthly_cost", m->res[i].cost, true);
			jq(o, "throttle_ratio", m->res[i].throttle, true);
			jkey(o, "simulated");
			sbuf_add(o, m->res[i].simulated ? "true}" : "false}");
		}
		sbuf_add(o, "]},");
	} else {
		sbuf_add(o, "null,");
	}
	jkey(o, "measured");
	sbuf_addc(o, '{');
	jstr(o, "window", a->mode == WHATIF_DAY ? "day" : a->mode == WHATIF_TRACE ? "trace" : "month", true);
	jnum(o, "seconds_per_evaluation", a->window_s, true);
	jnum(o, "elapsed_s", timings ? a->elapsed_s : NAN, true);
	jnum(o, "baseline_s", timings ? a->baseline_s : NAN, true);
	jnum(o, "simulations", (double)a->simulations, true);
	jnum(o, "simulated_seconds", a->simulated_s, false);
	sbuf_add(o, "}}\n");
}

int cmd_advise(int argc, char **argv)
{
	struct args a;
	struct err e = {0};
	struct plan *p = NULL;
	struct trace *tr = NULL;
	struct advice *adv = NULL;
	struct sbuf out = {0};
	double *shares = NULL;
	int rc;

	memset(&a, 0, sizeof a);
	rc = parse_args(argc, argv, &a);
	if (rc) {
		args_free(&a);
		return rc == 1 ? EXIT_OK : rc;
	}
	if ((rc = load(&a, &p, &shares, &e)) != 0)
		goto done;
	if (p->trace && trace_load(p->trace, a.step, &tr, &e) < 0) {
		rc = cmd_print_errors(&e);
		goto done;
	}
	a.o.fn_cpu_share = shares;
	if (advise_run(p, tr, &a.o, &adv, &e) < 0) {
		rc = cmd_print_errors(&e);
		goto done;
	}
	if (!strcmp(a.format, "json"))
		json_out(&out, p, adv, !a.no_timings);
	else
		text_out(&out, p, adv, !a.no_timings);
	if (atomic_write(a.output ? a.output : "-", out.buf ? out.buf : "", out.len, &e) < 0)
		rc = cmd_print_errors(&e);
done:
	sbuf_free(&out);
	advice_free(adv);
	trace_free(tr);
	free(shares);
	plan_free(p);
	args_free(&a);
	return rc;
}
