/* cmd_report: the batch commands: report, check and sim (and the options
 * they share), on top of the core simulation and the report formatters. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/bill.h"
#include "core/err.h"
#include "core/sim.h"
#include "core/trace.h"
#include "core/units.h"
#include "core/util.h"
#include "io/atomic.h"
#include "io/plan_load.h"
#include "io/trace_csv.h"
#include "report/check.h"
#include "report/report.h"

static const char report_help[] =
	"usage: costcap report [PLAN] [options]\n"
	"\n"
	"  --format FMT         text (default) or json\n"
	"  -o, --output FILE    write to FILE atomically instead of standard output\n"
	"  --set PATH=VALUE     override a plan value (repeatable),\n"
	"                       e.g. --set functions.list-items.memory_mb=1024\n"
	"  --scale X            override traffic.scale (what-if multiplier)\n"
	"  --seed N             random seed (default 1)\n"
	"  --cold               start the simulation from nothing (a new deployment)\n"
	"  --step N             force the trace's bucket width to N seconds\n";

static const char sim_help[] =
	"usage: costcap sim [PLAN] [options]\n"
	"\n"
	"Replays the plan's traffic second by second and prints, per resource, what\n"
	"was offered, admitted and throttled; with --series, one resource's series.\n"
	"  --series NAME        print the per-second series of resource NAME as CSV\n"
	"  --resolution N       seconds per row of the series (default 1)\n"
	"  --format csv         the only series format\n"
	"  -o, --output FILE    write to FILE atomically\n"
	"  --set, --scale, --seed, --cold, --step as for report\n";

static const char check_help[] =
	"usage: costcap check [PLAN] [options]\n"
	"\n"
	"Evaluates the plan's budget: section and these limits; exit 1 when any fails.\n"
	"  --budget USD               monthly budget for the whole plan\n"
	"  --service-budget S=USD     budget for one service (lambda, apigateway, dynamodb)\n"
	"  --resource-budget R=USD    budget for one resource\n"
	"  --max-throttle R           highest throttle ratio allowed per resource (0.001 or 0.1%)\n"
	"  --format FMT               text (default) or json\n"
	"  -o, --output FILE          write the result to FILE atomically\n"
	"  --set, --scale, --seed, --cold as for report\n";

static int print_errors(struct err *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		char *s = err_format(e, i);

		fprintf(stderr, "costcap: %s\n", s);
		free(s);
	}
	err_clear(e);
	return EXIT_USAGE;
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("costcap: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(run 'costcap help' for usage)\n", stderr);
	return EXIT_USAGE;
}

struct common {
	const char *plan;
	const char *format;
	const char *output;
	const char **sets;
	size_t nsets, capsets;
	double scale;
	struct sim_opts sim;
	struct check_limits lim;
	const char **svc, **res;
	size_t capsvc, capres;
	uint32_t step;
	bool seed_given;
	const char *series;
	double resolution;
};

/* Parses options shared by report and check. Returns 0, 1 when help was
 * printed, or an exit code > 1 on misuse. */
enum cmd_kind { CMD_REPORT, CMD_CHECK, CMD_SIM };

static int parse_common(int argc, char **argv, struct common *c, const char *help, enum cmd_kind kind)
{
	int i;

	c->scale = NAN;
	c->sim.seed = 1;
	c->lim.monthly_usd = NAN;
	c->lim.max_throttle_ratio = NAN;
	c->format = kind == CMD_SIM ? "csv" : "text";
	c->resolution = 1;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(help, stdout);
			return 1;
		} else if (!strcmp(a, "--cold")) {
			c->sim.cold = true;
			takes = 0;
		} else if (a[0] != '-' || !strcmp(a, "-")) {
			if (c->plan)
				return usage_error("more than one plan given ('%s')", a);
			c->plan = a;
			takes = 0;
		} else if (!v) {
			return usage_error("option '%s' needs a value", a);
		} else if (!strcmp(a, "--format")) {
			c->format = v;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			c->output = v;
		} else if (!strcmp(a, "--set")) {
			xgrow(&c->sets, &c->capsets, c->nsets + 1, sizeof *c->sets);
			c->sets[c->nsets++] = v;
		} else if (!strcmp(a, "--scale")) {
			if (units_number(v, &c->scale) < 0 || c->scale <= 0)
				return usage_error("--scale expects a positive number, found '%s'", v);
		} else if (!strcmp(a, "--seed")) {
			char *end;

			errno = 0;
			c->sim.seed = strtoull(v, &end, 10);
			if (*end || errno || v[0] == '-' || !v[0])
				return usage_error("--seed expects a non-negative integer, found '%s'", v);
			c->seed_given = true;
		} else if (!strcmp(a, "--step")) {
			double st;

			if (units_number(v, &st) < 0 || st < 1 || st > 86400 || st != floor(st))
				return usage_error("--step expects a whole number of seconds (1 to 86400), found '%s'", v);
			c->step = (uint32_t)st;
		} else if (kind == CMD_SIM && !strcmp(a, "--series")) {
			c->series = v;
		} else if (kind == CMD_SIM && !strcmp(a, "--resolution")) {
			if (units_number(v, &c->resolution) < 0 || c->resolution < 1 ||
			    c->resolution != floor(c->resolution))
				return usage_error("--resolution expects a whole number of seconds, found '%s'", v);
		} else if (kind == CMD_CHECK && !strcmp(a, "--budget")) {
			if (units_number(v, &c->lim.monthly_usd) < 0 || c->lim.monthly_usd < 0)
				return usage_error("--budget expects an amount in USD, found '%s'", v);
		} else if (kind == CMD_CHECK && !strcmp(a, "--max-throttle")) {
			if (units_percent(v, &c->lim.max_throttle_ratio) < 0 ||
			    c->lim.max_throttle_ratio < 0 || c->lim.max_throttle_ratio > 1)
				return usage_error("--max-throttle expects a ratio like 0.001 or 0.1%%, found '%s'", v);
		} else if (kind == CMD_CHECK && !strcmp(a, "--service-budget")) {
			xgrow(&c->svc, &c->capsvc, c->lim.nservice + 1, sizeof *c->svc);
			c->svc[c->lim.nservice++] = v;
		} else if (kind == CMD_CHECK && !strcmp(a, "--resource-budget")) {
			xgrow(&c->res, &c->capres, c->lim.nresource + 1, sizeof *c->res);
			c->res[c->lim.nresource++] = v;
		} else {
			return usage_error("unknown option '%s'", a);
		}
		i += takes;
	}
	c->lim.service_budgets = c->svc;
	c->lim.resource_budgets = c->res;
	if (kind == CMD_SIM) {
		if (strcmp(c->format, "csv"))
			return usage_error("unknown format '%s' (sim prints csv)", c->format);
	} else if (strcmp(c->format, "text") && strcmp(c->format, "json")) {
		return usage_error("unknown format '%s' (formats: text, json)", c->format);
	}
	return 0;
}

static void common_free(struct common *c)
{
	free(c->sets);
	free(c->svc);
	free(c->res);
}

/* Loads the plan and its trace and simulates it. Returns 0 or an exit code. */
static int simulate(struct common *c, size_t series_points, const char *series_only,
		    struct plan **pp, struct usage **uu)
{
	struct err e = {0};
	struct trace *tr = NULL;
	struct sim_opts o;
	int rc;

	memset(&o, 0, sizeof o);
	o.cold = c->sim.cold;
	o.seed = c->sim.seed;
	o.poisson_spread = c->seed_given;
	o.series_points = series_points;
	o.series_only = series_only;
	if (plan_load(c->plan, c->sets, c->nsets, c->scale, pp, &e) < 0)
		return print_errors(&e);
	if ((*pp)->trace && trace_load((*pp)->trace, c->step, &tr, &e) < 0)
		return print_errors(&e);
	o.trace = tr;
	rc = sim_run(*pp, &o, uu, &e);
	trace_free(tr);
	if (rc < 0)
		return print_errors(&e);
	return 0;
}

/* Loads, simulates and prices; evaluates checks. Returns 0 or an exit code. */
static int evaluate(struct common *c, int is_check, struct plan **pp, struct bill **bb,
		    struct check **checks, long *nchecks, double *step)
{
	struct err e = {0};
	struct usage *u = NULL;
	int rc = simulate(c, 0, NULL, pp, &u);

	if (rc)
		return rc;
	*step = 1;
	*bb = bill_price(*pp, u);
	usage_free(u);
	*nchecks = checks_eval(*pp, *bb, is_check ? &c->lim : NULL, checks, &e);
	if (*nchecks < 0)
		return print_errors(&e);
	return 0;
}

static int emit(const struct common *c, struct sbuf *out)
{
	struct err e = {0};

	if (atomic_write(c->output ? c->output : "-", out->buf ? out->buf : "", out->len, &e) < 0) {
		sbuf_free(out);
		return print_errors(&e);
	}
	sbuf_free(out);
	return 0;
}

static int report_or_check(int argc, char **argv, int is_check)
{
	struct common c = {0};
	struct plan *p = NULL;
	struct bill *b = NULL;
	struct check *checks = NULL;
	long n = 0, i;
	int rc = parse_common(argc, argv, &c, is_check ? check_help : report_help,
			      is_check ? CMD_CHECK : CMD_REPORT);
	struct sbuf out = {0};
	struct report_ctx ctx;
	int failed = 0;

	if (rc) {
		common_free(&c);
		return rc == 1 ? EXIT_OK : rc;
	}
	rc = evaluate(&c, is_check, &p, &b, &checks, &n, &ctx.step_s);
	if (rc)
		goto done;
	for (i = 0; i < n; i++)
		failed |= !checks[i].pass;
	ctx.plan = p;
	ctx.bill = b;
	ctx.checks = checks;
	ctx.nchecks = (size_t)n;
	if (is_check && !strcmp(c.format, "text")) {
		for (i = 0; i < n; i++)
			sbuf_printf(&out, "%s  %-22s %s\n", checks[i].pass ? "PASS" : "FAIL",
				    checks[i].name, checks[i].detail);
		if (n == 0)
			sbuf_add(&out, "no checks: give --budget, --max-throttle or a budget: section\n");
		{
			long nfail = 0;

			for (i = 0; i < n; i++)
				nfail += !checks[i].pass;
			sbuf_printf(&out, "%ld passed, %ld failed\n", n - nfail, nfail);
		}
	} else if (!strcmp(c.format, "json")) {
		report_json(&out, &ctx);
	} else {
		report_text(&out, &ctx);
	}
	rc = emit(&c, &out);
	if (!rc && is_check && failed)
		rc = EXIT_CHECK_FAILED;
done:
	checks_free(checks, n > 0 ? (size_t)n : 0);
	bill_free(b);
	plan_free(p);
	common_free(&c);
	return rc;
}

/* Finds resource 'name' among the plan's functions, APIs and tables and
 * returns its series, or NULL. */
static const struct series *find_series(const struct plan *p, const struct usage *u, const char *name)
{
	int i;

	if ((i = plan_find_function(p, name)) >= 0)
		return &u->fn_series[i];
	if ((i = plan_find_api(p, name)) >= 0)
		return &u->api_series[i];
	if ((i = plan_find_table(p, name)) >= 0)
		return &u->table_series[i];
	return NULL;
}

int cmd_sim(int argc, char **argv)
{
	struct common c = {0};
	struct plan *p = NULL;
	struct usage *u = NULL;
	struct sbuf out = {0};
	int rc = parse_common(argc, argv, &c, sim_help, CMD_SIM);
	size_t i;

	if (rc) {
		common_free(&c);
		return rc == 1 ? EXIT_OK : rc;
	}
	/* Series points: one per 'resolution' seconds of the window. */
	rc = simulate(&c, c.series ? (size_t)-1 : 0, c.series, &p, &u);
	if (rc)
		goto done;
	if (c.series) {
		const struct series *s = find_series(p, u, c.series);
		size_t k, row, per;

		if (!s) {
			fprintf(stderr, "costcap: unknown resource '%s' for --series\n", c.series);
			rc = EXIT_USAGE;
			goto done;
		}
		per = (size_t)c.resolution;
		sbuf_add(&out, "time_s");
		for (k = 0; k < SER_COUNT; k++)
			if (s->v[k])
				sbuf_printf(&out, ",%s", series_kind_name((enum series_kind)k));
		sbuf_addc(&out, '\n');
		for (row = 0; row < s->n; row += per) {
			sbuf_printf(&out, "%zu", row);
			for (k = 0; k < SER_COUNT; k++) {
				double v = 0;
				size_t q;

				if (!s->v[k])
					continue;
				for (q = row; q < row + per && q < s->n; q++) {
					if (series_is_level((enum series_kind)k))
						v = q == row || s->v[k][q] > v ? s->v[k][q] : v;
					else
						v += s->v[k][q];
				}
				sbuf_printf(&out, ",%.10g", v);
			}
			sbuf_addc(&out, '\n');
		}
	} else {
		sbuf_add(&out, "resource,service,offered,admitted,throttled,throttle_ratio,peak\n");
		for (i = 0; i < p->napis; i++) {
			const struct api_usage *a = &u->api[i];

			sbuf_printf(&out, "%s,apigateway,%llu,%llu,%llu,%.10g,\n", p->apis[i].name,
				    (unsigned long long)a->offered, (unsigned long long)a->admitted,
				    (unsigned long long)a->throttled,
				    a->offered ? (double)a->throttled / (double)a->offered : 0.0);
		}
		for (i = 0; i < p->nfunctions; i++) {
			const struct fn_usage *f = &u->fn[i];

			sbuf_printf(&out, "%s,lambda,%llu,%llu,%llu,%.10g,%.10g\n", p->functions[i].name,
				    (unsigned long long)f->offered, (unsigned long long)f->invocations,
				    (unsigned long long)f->throttled,
				    f->offered ? (double)f->throttled / (double)f->offered : 0.0,
				    f->peak_concurrency);
		}
		for (i = 0; i < p->ntables; i++) {
			const struct table_usage *t = &u->table[i];

			sbuf_printf(&out, "%s,dynamodb,%llu,%llu,%llu,%.10g,\n", p->tables[i].name,
				    (unsigned long long)t->offered,
				    (unsigned long long)(t->offered - t->throttled),
				    (unsigned long long)t->throttled,
				    t->offered ? (double)t->throttled / (double)t->offered : 0.0);
		}
	}
	rc = emit(&c, &out);
done:
	usage_free(u);
	plan_free(p);
	common_free(&c);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	return report_or_check(argc, argv, 0);
}

int cmd_check(int argc, char **argv)
{
	return report_or_check(argc, argv, 1);
}
