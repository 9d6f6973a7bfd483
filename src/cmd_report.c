/* cmd_report: the batch commands report, check, diff and sim (and the
 * options they share), on top of the core simulation and the report
 * formatters. Parsing, loading and exit codes live here; every figure
 * printed comes from core through src/report/. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "core/advise.h"
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
#include "report/diff.h"
#include "report/report.h"

static const char report_help[] =
	"usage: costcap report [PLAN] [options]\n"
	"\n"
	"Simulates the plan's traffic and prints what it costs per 730-hour month,\n"
	"per service, resource and line item, and where it throttles. Without PLAN\n"
	"the built-in example plan is used; PLAN - reads the plan from standard input.\n"
	"\n"
	"  --format FMT         text (default), md, html, json or csv\n"
	"  -o, --output FILE    write to FILE atomically instead of standard output\n"
	"  --set PATH=VALUE     override a plan value (repeatable),\n"
	"                       e.g. --set functions.list-items.memory_mb=1024\n"
	"  --scale X            override traffic.scale (what-if multiplier)\n"
	"  --trace FILE         replay FILE instead of the plan's traffic.trace\n"
	"  --step N             force the trace's bucket width to N seconds\n"
	"  --seed N             spread trace buckets as Poisson arrivals from seed N\n"
	"  --cold               start the simulation from nothing (a new deployment)\n"
	"  --no-progress        no progress line on standard error\n"
	"  --advice             add the advice section: what to change and the first\n"
	"                       limit the plan hits (see costcap advise; slower)\n"
	"\n"
	"html is one self-contained page (no network): charts of the cost breakdown\n"
	"and of each resource over the window, line items, assumptions and sources.\n"
	"json holds the keys of the output contract plus Infracost's totalMonthlyCost;\n"
	"csv has one line item per row. Money is per 730-hour month (unrounded in\n"
	"json and csv, to the cent elsewhere).\n"
	"\n"
	"Exit status: 0 ok, 2 bad usage or input, 3 internal failure.\n";

static const char check_help[] =
	"usage: costcap check [PLAN] [options]\n"
	"\n"
	"Evaluates budgets and throttling limits: the plan's budget: section, which\n"
	"these flags override or extend. Exit status 1 when any check fails.\n"
	"\n"
	"  --budget USD                monthly budget for the whole plan\n"
	"  --service-budget S=USD      budget for one service (lambda, apigateway, dynamodb);\n"
	"                              repeatable\n"
	"  --resource-budget R=USD     budget for one resource (API, function or table);\n"
	"                              repeatable\n"
	"  --max-throttle R            highest throttle ratio allowed per resource:\n"
	"                              0.001 or 0.1%\n"
	"  --warn-at P                 a passing check at P of its limit or more warns\n"
	"                              (default 90%; 0 never warns)\n"
	"  --format FMT                text (default), json, junit, github or md\n"
	"  -o, --output FILE           write the result to FILE atomically\n"
	"  --set, --scale, --trace, --step, --seed, --cold, --no-progress as for report\n"
	"\n"
	"A value equal to its limit passes; money is compared in cents, as printed.\n"
	"junit: one testcase per check, for CI test reports. github: ::error:: and\n"
	"::warning:: workflow commands that annotate the plan file in a pull request.\n"
	"md: a table for a pull-request comment.\n"
	"\n"
	"Exit status: 0 every check passes, 1 a check failed, 2 bad usage or input,\n"
	"3 internal failure.\n";

static const char diff_help[] =
	"usage: costcap diff BASE HEAD [options]\n"
	"       costcap diff PLAN --base-trace A.csv --head-trace B.csv [options]\n"
	"       costcap diff [PLAN] --head-set PATH=VALUE ... [options]\n"
	"\n"
	"Prices two versions of a plan and prints the change in monthly cost, per\n"
	"resource and line item, and in throttling: two plan files (e.g. the plan on\n"
	"the base branch and on a pull request), one plan replaying two traces, or one\n"
	"plan against a what-if of itself.\n"
	"\n"
	"  --fail-above-usd N          fail when the monthly cost rises by more than $N\n"
	"  --fail-above-pct P          fail when it rises by more than P percent (10 or 10%;\n"
	"                              the rise rounded to a whole percent, as Infracost)\n"
	"  --all-thresholds            fail only when every threshold above is exceeded\n"
	"  --max-throttle R            fail when a head resource throttles more than R\n"
	"  --warn-at P                 warn at P of a threshold (default 90%; 0: never)\n"
	"  --base-trace FILE, --head-trace FILE\n"
	"                              replay FILE instead of the plan's traffic.trace\n"
	"  --base-set PATH=VALUE, --head-set PATH=VALUE\n"
	"                              override a value on one side (repeatable)\n"
	"  --base-scale X, --head-scale X\n"
	"                              override traffic.scale on one side\n"
	"  --set, --scale, --trace     the same on both sides\n"
	"  --show-all                  list unchanged resources and line items too\n"
	"  --format FMT                text (default), json, junit, github or md\n"
	"  -o, --output FILE           write the result to FILE atomically\n"
	"  --step, --seed, --cold, --no-progress as for report\n"
	"\n"
	"Only an increase strictly greater than a threshold fails; decreases never\n"
	"fail; a percentage over a zero base is undefined and does not fail (the\n"
	"check says so and warns). json carries Infracost's totalMonthlyCost,\n"
	"pastTotalMonthlyCost and diffTotalMonthlyCost keys.\n"
	"\n"
	"Exit status: 0 no threshold exceeded, 1 a threshold exceeded, 2 bad usage or\n"
	"input, 3 internal failure.\n";

static const char sim_help[] =
	"usage: costcap sim [PLAN] [options]\n"
	"\n"
	"Replays the plan's traffic second by second and prints, per resource, what\n"
	"was offered, admitted and throttled; with --series, one resource's series.\n"
	"  --series NAME        print the per-second series of resource NAME as CSV\n"
	"  --resolution N       seconds per row of the series (default 1)\n"
	"  --format csv         the only format\n"
	"  -o, --output FILE    write to FILE atomically\n"
	"  --set, --scale, --trace, --step, --seed, --cold, --no-progress as for report\n";

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fputs("costcap: ", stderr);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(run 'costcap %s --help' for usage)\n", cmd);
	return EXIT_USAGE;
}

enum cmd_kind { CMD_REPORT, CMD_CHECK, CMD_SIM, CMD_DIFF };

static const char *const cmd_names[] = {"report", "check", "sim", "diff"};
static const char *const formats[][6] = {
	{"text", "md", "html", "json", "csv", NULL},
	{"text", "json", "junit", "github", "md", NULL},
	{"csv", NULL},
	{"text", "json", "junit", "github", "md", NULL},
};

/* One plan to simulate and price: the file and its overrides. */
struct side {
	const char *plan;		/* NULL: the built-in example */
	const char **sets;
	size_t nsets, capsets;
	double scale;			/* NAN: the plan's */
	const char *trace;		/* replaces traffic.trace; NULL: the plan's */
	const char *name;		/* "base" or "head" in progress lines; NULL otherwise */
};

struct opts {
	enum cmd_kind kind;
	const char *plans[2];
	int nplans;
	const char *format;
	const char *output;
	struct side side[2];		/* report/check/sim use side[0]; diff: base, head */
	const char **both_sets;		/* --set on diff: both sides */
	size_t nboth, capboth;
	double both_scale;
	const char *both_trace;
	bool cold, seed_given, no_progress, show_all;
	bool advice;		/* report --advice */
	uint64_t seed;
	uint32_t step;
	struct check_limits lim;
	const char **svc, **res;
	size_t capsvc, capres;
	struct diff_limits dl;
	const char *series;
	double resolution;
};

static void add_str(const char ***v, size_t *n, size_t *cap, const char *s)
{
	xgrow(v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

/* Parses a percentage written "10" or "10%" (both ten percent). */
static int parse_pct_points(const char *s, double *out)
{
	char *t = xstrdup(s);
	size_t n = strlen(t);
	int rc;

	if (n && t[n - 1] == '%')
		t[n - 1] = '\0';
	rc = units_number(t, out);
	free(t);
	return rc < 0 || *out < 0 ? -1 : 0;
}

/* Parses the arguments of command 'kind'. Returns 0, 1 when help was
 * printed, or EXIT_USAGE after a message on misuse. Option values may
 * follow as the next argument or after '=' (--format=json). */
static int parse(int argc, char **argv, struct opts *o, enum cmd_kind kind)
{
	const char *cmd = cmd_names[kind];
	const char *help = kind == CMD_REPORT ? report_help : kind == CMD_CHECK ? check_help :
			   kind == CMD_SIM ? sim_help : diff_help;
	bool check_like = kind == CMD_CHECK || kind == CMD_DIFF;
	char *split = NULL;
	int i, k, rc = 0;

	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->side[0].scale = o->side[1].scale = o->both_scale = NAN;
	o->seed = 1;
	o->lim.monthly_usd = NAN;
	o->lim.max_throttle_ratio = NAN;
	o->lim.warn_at = CHECK_WARN_AT;
	o->dl.fail_above_usd = o->dl.fail_above_pct = o->dl.max_throttle_ratio = NAN;
	o->format = formats[kind][0];
	o->resolution = 1;
	for (i = 0; i < argc && rc == 0; i++) {
		const char *a = argv[i], *v;
		const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
		int takes = 1;

		free(split);
		split = NULL;
		if (eq) {
			split = xstrndup(a, (size_t)(eq - a));
			a = split;
			v = eq + 1;
			takes = 0;
		} else {
			v = i + 1 < argc ? argv[i + 1] : NULL;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(help, stdout);
			rc = 1;
			break;
		}
		if (!strcmp(a, "--cold") || !strcmp(a, "--no-progress") ||
		    (kind == CMD_REPORT && !strcmp(a, "--advice")) ||
		    (kind == CMD_DIFF && (!strcmp(a, "--show-all") || !strcmp(a, "--all-thresholds")))) {
			if (eq) {
				rc = usage_error(cmd, "option '%s' takes no value", a);
				break;
			}
			if (!strcmp(a, "--cold"))
				o->cold = true;
			else if (!strcmp(a, "--no-progress"))
				o->no_progress = true;
			else if (!strcmp(a, "--advice"))
				o->advice = true;
			else if (!strcmp(a, "--show-all"))
				o->show_all = true;
			else
				o->dl.all = true;
			continue;
		}
		if (a[0] != '-' || !strcmp(a, "-")) {
			if (o->nplans == (kind == CMD_DIFF ? 2 : 1)) {
				rc = usage_error(cmd, kind == CMD_DIFF ? "diff takes at most two plans "
						 "(BASE HEAD), found '%s' too" :
						 "more than one plan given ('%s')", a);
				break;
			}
			o->plans[o->nplans++] = a;
			continue;
		}
		if (!v) {
			rc = usage_error(cmd, "option '%s' needs a value", a);
			break;
		}
		if (!strcmp(a, "--format")) {
			o->format = v;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			o->output = v;
		} else if (!strcmp(a, "--set")) {
			add_str(&o->both_sets, &o->nboth, &o->capboth, v);
		} else if (!strcmp(a, "--scale") || (kind == CMD_DIFF && (!strcmp(a, "--base-scale") ||
									 !strcmp(a, "--head-scale")))) {
			double x;

			if (units_number(v, &x) < 0 || !(x > 0)) {
				rc = usage_error(cmd, "--scale expects a positive number, found '%s'", v);
				break;
			}
			if (!strcmp(a, "--scale"))
				o->both_scale = x;
			else
				o->side[!strcmp(a, "--head-scale")].scale = x;
		} else if (!strcmp(a, "--trace")) {
			o->both_trace = v;
		} else if (kind == CMD_DIFF && (!strcmp(a, "--base-trace") || !strcmp(a, "--head-trace"))) {
			o->side[!strcmp(a, "--head-trace")].trace = v;
		} else if (kind == CMD_DIFF && (!strcmp(a, "--base-set") || !strcmp(a, "--head-set"))) {
			struct side *s = &o->side[!strcmp(a, "--head-set")];

			add_str(&s->sets, &s->nsets, &s->capsets, v);
		} else if (!strcmp(a, "--seed")) {
			char *end;

			errno = 0;
			o->seed = strtoull(v, &end, 10);
			if (*end || errno || v[0] == '-' || !v[0]) {
				rc = usage_error(cmd, "--seed expects a non-negative integer, found '%s'", v);
				break;
			}
			o->seed_given = true;
		} else if (!strcmp(a, "--step")) {
			double st;

			if (units_number(v, &st) < 0 || st < 1 || st > 86400 || st != floor(st)) {
				rc = usage_error(cmd, "--step expects a whole number of seconds (1 to 86400), "
						 "found '%s'", v);
				break;
			}
			o->step = (uint32_t)st;
		} else if (kind == CMD_SIM && !strcmp(a, "--series")) {
			o->series = v;
		} else if (kind == CMD_SIM && !strcmp(a, "--resolution")) {
			if (units_number(v, &o->resolution) < 0 || o->resolution < 1 ||
			    o->resolution != floor(o->resolution)) {
				rc = usage_error(cmd, "--resolution expects a whole number of seconds, found '%s'", v);
				break;
			}
		} else if (kind == CMD_CHECK && !strcmp(a, "--budget")) {
			if (units_number(v, &o->lim.monthly_usd) < 0 || o->lim.monthly_usd < 0) {
				rc = usage_error(cmd, "--budget expects an amount in USD, found '%s'", v);
				break;
			}
		} else if (check_like && !strcmp(a, "--max-throttle")) {
			double r;

			if (units_percent(v, &r) < 0 || r < 0 || r > 1) {
				rc = usage_error(cmd, "--max-throttle expects a ratio like 0.001 or 0.1%%, "
						 "found '%s'", v);
				break;
			}
			o->lim.max_throttle_ratio = o->dl.max_throttle_ratio = r;
		} else if (check_like && !strcmp(a, "--warn-at")) {
			double r;

			if (units_percent(v, &r) < 0 || r < 0) {
				rc = usage_error(cmd, "--warn-at expects a share of the limit like 90%% or 0.9, "
						 "found '%s'", v);
				break;
			}
			o->lim.warn_at = r;
		} else if (kind == CMD_CHECK && !strcmp(a, "--service-budget")) {
			add_str(&o->svc, &o->lim.nservice, &o->capsvc, v);
		} else if (kind == CMD_CHECK && !strcmp(a, "--resource-budget")) {
			add_str(&o->res, &o->lim.nresource, &o->capres, v);
		} else if (kind == CMD_DIFF && !strcmp(a, "--fail-above-usd")) {
			if (units_number(v, &o->dl.fail_above_usd) < 0 || o->dl.fail_above_usd < 0) {
				rc = usage_error(cmd, "--fail-above-usd expects an amount in USD, found '%s'", v);
				break;
			}
		} else if (kind == CMD_DIFF && !strcmp(a, "--fail-above-pct")) {
			if (parse_pct_points(v, &o->dl.fail_above_pct) < 0) {
				rc = usage_error(cmd, "--fail-above-pct expects a percentage like 10 or 10%%, "
						 "found '%s'", v);
				break;
			}
		} else {
			rc = usage_error(cmd, "unknown option '%s'", a);
			break;
		}
		i += takes;
	}
	free(split);
	if (rc)
		return rc;
	o->lim.service_budgets = o->svc;
	o->lim.resource_budgets = o->res;
	o->dl.warn_at = o->lim.warn_at;
	for (k = 0; formats[kind][k]; k++)
		if (!strcmp(o->format, formats[kind][k]))
			break;
	if (!formats[kind][k]) {
		struct sbuf m = {0};

		sbuf_printf(&m, "unknown format '%%s' for %s (formats:", cmd);
		for (k = 0; formats[kind][k]; k++)
			sbuf_printf(&m, "%s %s", k ? "," : "", formats[kind][k]);
		sbuf_add(&m, ")");
		rc = usage_error(cmd, m.buf, o->format);
		sbuf_free(&m);
		return rc;
	}
	/* Sides: report/check/sim use one; diff takes BASE HEAD, or one plan
	 * for both sides. Side-specific values win over both-side ones. */
	o->side[0].plan = o->plans[0];
	o->side[1].plan = o->nplans == 2 ? o->plans[1] : o->plans[0];
	for (k = 0; k < 2; k++) {
		struct side *s = &o->side[k];
		size_t j, own = s->nsets;
		const char **mine = s->sets;

		s->sets = NULL;
		s->nsets = s->capsets = 0;
		for (j = 0; j < o->nboth; j++)
			add_str(&s->sets, &s->nsets, &s->capsets, o->both_sets[j]);
		for (j = 0; j < own; j++)
			add_str(&s->sets, &s->nsets, &s->capsets, mine[j]);
		free(mine);
		if (isnan(s->scale))
			s->scale = o->both_scale;
		if (!s->trace)
			s->trace = o->both_trace;
		if (kind == CMD_DIFF)
			s->name = k ? "head" : "base";
	}
	return 0;
}

static void opts_free(struct opts *o)
{
	free(o->side[0].sets);
	free(o->side[1].sets);
	free(o->both_sets);
	free(o->svc);
	free(o->res);
}

/* Whether to colour text: standard output is a terminal, no -o file,
 * NO_COLOR unset or empty (no-color.org), and the terminal is not dumb. */
static bool want_color(const struct opts *o)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (o->output && strcmp(o->output, "-"))
		return false;
	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(STDOUT_FILENO) != 0;
}

/* Progress on standard error, shown only on a terminal and only once a
 * run has taken half a second (short runs print nothing). */
struct progress {
	const char *what;
	struct timespec t0;
	bool shown;
};

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Seconds a simulation runs before progress is shown: 0.5, or
 * COSTCAP_PROGRESS_AFTER_S (tests set 0 so that they never depend on how
 * fast the machine is). */
static double progress_after_s(void)
{
	const char *v = getenv("COSTCAP_PROGRESS_AFTER_S");
	double s;

	return v && units_number(v, &s) == 0 && s >= 0 ? s : 0.5;
}

static void on_progress(double done, void *arg)
{
	struct progress *p = arg;

	if (!p->shown && since(&p->t0) < progress_after_s())
		return;
	p->shown = true;
	fprintf(stderr, "\rcostcap: simulating%s%s %3.0f%%", p->what ? " " : "", p->what ? p->what : "",
		done * 100);
	fflush(stderr);
}

static void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r                                        \r", stderr);
}

/* A simulated and priced plan. */
struct run {
	struct trace *trace;	/* the plan's trace, or NULL */
	struct plan *plan;
	struct usage *usage;
	struct bill *bill;
	double step_s;
	double start_epoch;
};

static void run_free(struct run *r)
{
	trace_free(r->trace);
	bill_free(r->bill);
	usage_free(r->usage);
	plan_free(r->plan);
	memset(r, 0, sizeof *r);
}

/* Simulates r->plan over 'tr' (or its rates), keeping series of at most
 * 'series_points' points (for 'series_only' or all resources), into
 * r->usage. Returns sim_run's result. */
static int replay(const struct opts *o, const struct side *s, size_t series_points,
		  const char *series_only, struct trace *tr, struct run *r, struct err *e)
{
	struct sim_opts so;
	struct progress pr;
	int rc;

	memset(&so, 0, sizeof so);
	so.cold = o->cold;
	so.seed = o->seed;
	so.poisson_spread = o->seed_given;
	so.trace = tr;
	so.series_points = series_points;
	so.series_only = series_only;
	memset(&pr, 0, sizeof pr);
	pr.what = s->name;
	clock_gettime(CLOCK_MONOTONIC, &pr.t0);
	if (!o->no_progress && isatty(STDERR_FILENO)) {
		so.progress = on_progress;
		so.progress_arg = &pr;
	}
	rc = sim_run(r->plan, &so, &r->usage, e);
	progress_end(&pr);
	return rc;
}

/* Replays the plan's trace while it is read (trace_stream), when it is a
 * large one-second file and nothing but the replay needs it (no advice).
 * Returns true with r->usage set when the file turned out to be the trace
 * promised, read without a problem; else false, having dropped whatever
 * was done (trace_load then reads the file and reports its problems). */
static bool replay_streamed(const struct opts *o, const struct side *s, size_t series_points,
			    const char *series_only, struct run *r)
{
	const char *v = getenv("COSTCAP_STREAM_MIN_BYTES");
	struct trace_stream *st;
	struct trace *tr;
	struct err e = {0};
	double b;
	bool ok;
	int rc;

	/* Tests set 0, to read every trace while it is replayed. */
	if (v && units_number(v, &b) == 0 && b >= 0 && b < 1e15)
		trace_stream_min = (size_t)b;
	if (o->advice || trace_stream_open(r->plan->trace, o->step, SIM_BLOCK, &tr, &st) != 1)
		return false;
	rc = replay(o, s, series_points, series_only, tr, r, &e);
	ok = trace_stream_finish(st) && rc == 0;
	trace_stream_free(st);
	err_clear(&e);
	if (ok) {
		r->step_s = tr->step_s;
		r->start_epoch = tr->start_epoch;
	} else {
		usage_free(r->usage);
		r->usage = NULL;
	}
	trace_free(tr);
	return ok;
}

/* Loads side 's' and its trace, simulates (keeping series of at most
 * 'series_points' points, for 'series_only' or all resources) and, unless
 * 'price' is false, prices it. Problems are appended to 'e'; returns 0 or
 * -1. */
static int simulate(const struct opts *o, const struct side *s, size_t series_points,
		    const char *series_only, bool price, struct run *r, struct err *e)
{
	struct trace *tr = NULL;

	memset(r, 0, sizeof *r);
	r->step_s = 1;
	r->start_epoch = NAN;
	if (plan_load(s->plan, s->sets, s->nsets, s->scale, &r->plan, e) < 0)
		return -1;
	if (s->trace) {
		if (!r->plan->trace) {
			err_add(e, r->plan->path, 0, 0, "the plan has no traffic.trace to replace with '%s' "
				"(its traffic is given as rates)", s->trace);
			return -1;
		}
		free(r->plan->trace);
		r->plan->trace = xstrdup(s->trace);
	}
	if (!r->plan->trace || !replay_streamed(o, s, series_points, series_only, r)) {
		if (r->plan->trace) {
			if (trace_load(r->plan->trace, o->step, &tr, e) < 0)
				return -1;
			r->step_s = tr->step_s;
			r->start_epoch = tr->start_epoch;
		}
		r->trace = tr;
		if (replay(o, s, series_points, series_only, tr, r, e) < 0)
			return -1;
	}
	if (price)
		r->bill = bill_price(r->plan, r->usage);
	return 0;
}

static int emit(const struct opts *o, struct sbuf *out)
{
	struct err e = {0};
	int rc = 0;

	if (atomic_write(o->output ? o->output : "-", out->buf ? out->buf : "", out->len, &e) < 0)
		rc = cmd_print_errors(&e);
	sbuf_free(out);
	return rc;
}

/* Points kept per series for the HTML charts (one per pixel or so). */
#define HTML_SERIES_POINTS 600

static int report_or_check(int argc, char **argv, enum cmd_kind kind)
{
	struct opts o;
	struct run r;
	struct err e = {0};
	struct check *checks = NULL;
	struct sbuf out = {0};
	struct report_ctx ctx;
	struct advice *adv = NULL;
	long n = 0;
	int rc = parse(argc, argv, &o, kind);
	bool html = !strcmp(o.format, "html");

	if (rc) {
		opts_free(&o);
		return rc == 1 ? EXIT_OK : rc;
	}
	if (simulate(&o, &o.side[0], html ? HTML_SERIES_POINTS : 0, NULL, true, &r, &e) < 0) {
		rc = cmd_print_errors(&e);
		goto done;
	}
	n = checks_eval(r.plan, r.bill, kind == CMD_CHECK ? &o.lim : NULL, &checks, &e);
	if (n < 0) {
		rc = cmd_print_errors(&e);
		goto done;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.plan = r.plan;
	ctx.plan_file = o.side[0].plan;
	ctx.bill = r.bill;
	ctx.usage = r.usage;
	ctx.checks = checks;
	ctx.nchecks = (size_t)n;
	ctx.step_s = r.step_s;
	ctx.start_epoch = r.start_epoch;
	ctx.color = want_color(&o);
	if (o.advice) {
		struct advise_opts ao;

		advise_opts_default(&ao);
		ao.sections = ADVISE_FUNCTIONS | ADVISE_TABLES | ADVISE_APIS | ADVISE_HEADROOM;
		ao.sim.cold = o.cold;
		ao.sim.seed = o.seed;
		ao.sim.poisson_spread = o.seed_given;
		if (advise_run(r.plan, r.trace, &ao, &adv, &e) < 0) {
			rc = cmd_print_errors(&e);
			goto done;
		}
		ctx.advice = adv;
	}
	if (kind == CMD_CHECK) {
		struct check_run run = {"check", r.plan->name,
					o.side[0].plan && strcmp(o.side[0].plan, "-") ? o.side[0].plan : NULL,
					checks, (size_t)n};

		if (!strcmp(o.format, "text"))
			checks_text(&out, &run, ctx.color);
		else if (!strcmp(o.format, "junit"))
			checks_junit(&out, &run);
		else if (!strcmp(o.format, "github"))
			checks_github(&out, &run);
		else if (!strcmp(o.format, "md"))
			report_check_md(&out, &ctx);
		else
			report_json(&out, &ctx);
	} else if (!strcmp(o.format, "json")) {
		report_json(&out, &ctx);
	} else if (!strcmp(o.format, "md")) {
		report_md(&out, &ctx);
	} else if (html) {
		report_html(&out, &ctx);
	} else if (!strcmp(o.format, "csv")) {
		report_csv(&out, &ctx);
	} else {
		report_text(&out, &ctx);
	}
	rc = emit(&o, &out);
	if (!rc && kind == CMD_CHECK && checks_failed(checks, (size_t)n))
		rc = EXIT_CHECK_FAILED;
done:
	advice_free(adv);
	checks_free(checks, n > 0 ? (size_t)n : 0);
	run_free(&r);
	opts_free(&o);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	return report_or_check(argc, argv, CMD_REPORT);
}

int cmd_check(int argc, char **argv)
{
	return report_or_check(argc, argv, CMD_CHECK);
}

/* How a side is named in diff output: its file, and its trace when one
 * was given on the command line. */
static char *side_label(const struct side *s)
{
	const char *plan = s->plan ? s->plan : "(built-in example)";
	struct sbuf b = {0};
	size_t i;

	sbuf_add(&b, !strcmp(plan, "-") ? "<stdin>" : plan);
	if (s->trace)
		sbuf_printf(&b, " with trace %s", s->trace);
	if (!isnan(s->scale))
		sbuf_printf(&b, " at scale %g", s->scale);
	for (i = 0; i < s->nsets; i++)
		sbuf_printf(&b, " --set %s", s->sets[i]);
	return sbuf_take(&b);
}

int cmd_diff(int argc, char **argv)
{
	struct opts o;
	struct run r[2];
	struct err e = {0};
	struct check *checks = NULL;
	struct sbuf out = {0};
	struct diff *d = NULL;
	struct diff_side ds[2];
	char *labels[2] = {NULL, NULL};
	size_t n = 0;
	int rc = parse(argc, argv, &o, CMD_DIFF), k;

	memset(r, 0, sizeof r);
	if (rc) {
		opts_free(&o);
		return rc == 1 ? EXIT_OK : rc;
	}
	if (o.nplans == 2 && !strcmp(o.plans[0], "-") && !strcmp(o.plans[1], "-")) {
		rc = usage_error("diff", "%s", "only one of BASE and HEAD can be read from standard input");
		goto done;
	}
	/* Both sides are loaded even when the first fails, so that every
	 * problem is reported at once. */
	for (k = 0; k < 2; k++)
		if (simulate(&o, &o.side[k], 0, NULL, true, &r[k], &e) < 0)
			run_free(&r[k]);
	if (e.n) {
		rc = cmd_print_errors(&e);
		goto done;
	}
	for (k = 0; k < 2; k++) {
		labels[k] = side_label(&o.side[k]);
		ds[k].plan = r[k].plan;
		ds[k].bill = r[k].bill;
		ds[k].label = labels[k];
		ds[k].file = o.side[k].plan && strcmp(o.side[k].plan, "-") ? o.side[k].plan : NULL;
	}
	d = diff_new(&ds[0], &ds[1]);
	n = diff_checks(d, &o.dl, &checks);
	if (!strcmp(o.format, "text")) {
		diff_text(&out, d, checks, n, o.show_all, want_color(&o));
	} else if (!strcmp(o.format, "md")) {
		diff_md(&out, d, checks, n, o.show_all);
	} else if (!strcmp(o.format, "json")) {
		diff_json(&out, d, checks, n);
	} else {
		const char *file = o.side[1].plan && strcmp(o.side[1].plan, "-") ? o.side[1].plan : NULL;
		char *subject = xasprintf("%s: %s -> %s", r[1].plan->name, labels[0], labels[1]);
		struct check_run run = {"diff", subject, file, checks, n};

		if (!strcmp(o.format, "junit"))
			checks_junit(&out, &run);
		else
			checks_github(&out, &run);
		free(subject);
	}
	rc = emit(&o, &out);
	if (!rc && checks_failed(checks, n))
		rc = EXIT_CHECK_FAILED;
done:
	checks_free(checks, n);
	diff_free(d);
	for (k = 0; k < 2; k++) {
		run_free(&r[k]);
		free(labels[k]);
	}
	opts_free(&o);
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
	struct opts o;
	struct run r;
	struct err e = {0};
	struct sbuf out = {0};
	int rc = parse(argc, argv, &o, CMD_SIM);
	size_t i;

	memset(&r, 0, sizeof r);
	if (rc) {
		opts_free(&o);
		return rc == 1 ? EXIT_OK : rc;
	}
	if (simulate(&o, &o.side[0], o.series ? (size_t)-1 : 0, o.series, false, &r, &e) < 0) {
		rc = cmd_print_errors(&e);
		goto done;
	}
	if (o.series) {
		const struct series *s = find_series(r.plan, r.usage, o.series);
		size_t k, row, per;

		if (!s) {
			fprintf(stderr, "costcap: unknown resource '%s' for --series\n", o.series);
			rc = EXIT_USAGE;
			goto done;
		}
		per = (size_t)o.resolution;
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
		const struct plan *p = r.plan;
		const struct usage *u = r.usage;

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
	rc = emit(&o, &out);
done:
	run_free(&r);
	opts_free(&o);
	return rc;
}
