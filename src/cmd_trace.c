#include "cmd_trace.h"

#include "cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/trace.h"
#include "core/tracegen.h"
#include "core/units.h"
#include "core/util.h"
#include "io/atomic.h"
#include "io/paths.h"
#include "io/trace_csv.h"
#include "io/trace_import.h"

enum { T_OK = 0, T_USAGE = 2, T_INTERNAL = 3 };

static const char trace_help[] =
	"usage: costcap trace COMMAND [options]\n"
	"\n"
	"Reads, writes and converts traffic traces (CSV; see docs/traces.md).\n"
	"\n"
	"commands:\n"
	"  show FILE            streams, bucket width, window, totals and peaks\n"
	"  gen [options]        write a synthetic trace (flat, diurnal, weekly, spike)\n"
	"  import --from KIND   convert a public trace to a trace and a plan\n"
	"                       (KIND: azure-functions-2019 or events)\n"
	"  convert FILE         rewrite a trace in long or wide form, or with wider buckets\n"
	"\n"
	"Run 'costcap trace COMMAND --help' for the options of each.\n";

static const char show_help[] =
	"usage: costcap trace show FILE [--step N]\n"
	"\n"
	"Loads FILE (\"-\" for standard input) and prints its streams, bucket width,\n"
	"window, and per stream the total, the mean rate, the busiest bucket and the\n"
	"busiest second when buckets are spread evenly over their seconds.\n"
	"  --step N     force the bucket width to N seconds (rows are added up into\n"
	"               buckets of N s); by default it is inferred from the times\n";

static const char gen_help[] =
	"usage: costcap trace gen [options] [-o OUT.csv]\n"
	"\n"
	"Writes a synthetic trace: Poisson counts around a shape, from a seed.\n"
	"  --shape S            flat (default), diurnal, weekly or spike\n"
	"  --rate R             mean rate of each stream: 100/s, 6k/min, 2M/day (default 1/s)\n"
	"  --streams LIST       stream names, comma-separated, each optionally NAME=RATE\n"
	"                       (default: one stream 'requests')\n"
	"  --days N             window length in days (default 1; decimals allowed)\n"
	"  --duration D         window length as a duration instead: 36h, 90min, 3600s\n"
	"                       (either must be a whole number of --step buckets)\n"
	"  --step N             bucket width in seconds (default 1; e.g. 60)\n"
	"  --seed N             random seed (default 1); the same seed gives the same trace\n"
	"  --start TIME         UTC start (default 2026-11-02T00:00:00Z, a Monday)\n"
	"  --trough-ratio R     diurnal/weekly: trough/peak ratio, 0..1 (default 0.2)\n"
	"  --peak-hour H        diurnal/weekly: UTC hour of the daily peak (default 14)\n"
	"  --weekend-ratio R    weekly: weekend level / weekday level (default 0.5)\n"
	"  --spike-mult X       rate multiplier during the spike (default 10 for --shape\n"
	"                       spike; any shape takes a spike when this is given)\n"
	"  --spike-at D         spike start from the window start: 36h, 5400s, or a UTC\n"
	"                       time (default: the middle of the window)\n"
	"  --spike-duration D   spike length (default 5min)\n"
	"  --no-noise           write the expected counts (rounded) instead of draws\n"
	"  --wide               write the wide form (a column per stream)\n"
	"  -o, --output FILE    write to FILE atomically (default: standard output)\n";

static const char import_help[] =
	"usage: costcap trace import --from azure-functions-2019 --invocations F\n"
	"                            [--durations F] [--memory F] [--limit N] [--top N]\n"
	"                            -o OUT.csv [--plan-out OUT.yaml]\n"
	"       costcap trace import --from events FILE [--column NAME] [--stream NAME]\n"
	"                            -o OUT.csv [--plan-out OUT.yaml]\n"
	"\n"
	"azure-functions-2019: the Azure Functions 2019 public trace, in the upstream\n"
	"layout or a joined one (one row per function in every file). One stream per\n"
	"function (named fn-<first 8 hex digits of HashFunction>), per-minute buckets.\n"
	"  --invocations F      invocation counts per minute (invocations_per_function_md.*,\n"
	"                       exp_sim_invocation_traces_*.csv, invocations.csv)\n"
	"  --durations F        execution time percentiles, ms (function_durations_\n"
	"                       percentiles.*, exp_sim_duration_traces_*.csv)\n"
	"  --memory F           allocated memory, MB (app_memory_percentiles.*,\n"
	"                       exp_sim_memory_traces_*.csv)\n"
	"  --limit N            keep the first N functions of the invocations file\n"
	"  --top N              keep the N functions with the most invocations\n"
	"\n"
	"events: one row per request (e.g. the Azure LLM inference trace); counted per\n"
	"second into one stream; the plan has one HTTP API route and one function.\n"
	"  FILE                 the events file (\"-\" for standard input)\n"
	"  --column NAME        the time column (default: TIMESTAMP or time, else the first)\n"
	"  --stream NAME        the stream name (default: requests): letters, digits,\n"
	"                       '_', '.', '-', not starting with a digit (the plan names it)\n"
	"  --step N             count per N seconds instead of per second\n"
	"  --function NAME      the function's name (default: the stream name)\n"
	"  --route R            the route (default: \"POST /<stream>\")\n"
	"  --api-type T         http (default) or rest\n"
	"  --memory-mb N        the function's memory (default 512, an assumption)\n"
	"  --p50-ms X, --p95-ms X   its duration (default 100 and 300, assumptions)\n"
	"\n"
	"Both:\n"
	"  -o, --output FILE    the trace (CSV, long form), written atomically\n"
	"  --wide               write the trace in the wide form\n"
	"  --plan-out FILE      also write a plan that replays the trace; its\n"
	"                       traffic.trace is the trace's path relative to the plan\n"
	"  --name NAME          the plan's name;  --model M  its model (aws/us-east-1)\n";

static const char convert_help[] =
	"usage: costcap trace convert FILE [--step N] [--wide] [-o OUT.csv]\n"
	"\n"
	"Loads FILE in any form (long, wide or events) and writes it in the long form\n"
	"(or the wide form with --wide), with buckets of N seconds when --step is given.\n";

static int usage(const char *sub, const char *fmt, const char *arg)
{
	fprintf(stderr, "costcap: trace%s%s: ", sub ? " " : "", sub ? sub : "");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(run 'costcap trace%s%s --help' for usage)\n", sub ? " " : "",
		sub ? sub : "");
	return T_USAGE;
}

static bool is_help(const char *a)
{
	return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0;
}

/* Option parsing: "--name VALUE" or "--name=VALUE". */
struct args {
	int argc, i;
	char **argv;
	const char *sub;
	const char *val;	/* value of the option just matched */
	int bad;
};

static bool opt(struct args *a, const char *name, bool takes_value)
{
	const char *s = a->argv[a->i];
	size_t n = strlen(name);

	if (a->bad || strncmp(s, name, n) != 0 || (s[n] != '\0' && s[n] != '='))
		return false;
	if (!takes_value) {
		if (s[n] == '=') {
			usage(a->sub, "option %s takes no value", name);
			a->bad = 1;
		}
		return true;
	}
	if (s[n] == '=') {
		a->val = s + n + 1;
	} else if (a->i + 1 < a->argc) {
		a->val = a->argv[++a->i];
	} else {
		/* Reported here; the caller's loop stops on a->bad. */
		usage(a->sub, "option %s needs a value", name);
		a->bad = 1;
		return false;
	}
	return true;
}

static int parse_u64(struct args *a, const char *what, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(a->val, &end, 10);
	if (!*a->val || *end || errno || a->val[0] == '-' || v > max) {
		fprintf(stderr, "costcap: trace %s: %s must be a whole number from 0 to %" PRIu64
			", found '%s'\n", a->sub, what, max, a->val);
		a->bad = 1;
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_dbl(struct args *a, const char *what, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(a->val, &end);
	if (!*a->val || *end || errno || !isfinite(*out)) {
		fprintf(stderr, "costcap: trace %s: %s must be a number, found '%s'\n", a->sub, what,
			a->val);
		a->bad = 1;
		return -1;
	}
	return 0;
}

static int parse_step(struct args *a, uint32_t *step)
{
	uint64_t v;

	if (parse_u64(a, "--step", UINT32_MAX, &v) < 0)
		return -1;
	if (v == 0) {
		fprintf(stderr, "costcap: trace %s: --step must be at least 1 (seconds)\n", a->sub);
		a->bad = 1;
		return -1;
	}
	*step = (uint32_t)v;
	return 0;
}

static int write_trace(const struct trace *t, const char *path, bool wide)
{
	struct sbuf b = {0};
	struct err e = {0};
	int rc;

	trace_write_csv(t, &b, wide);
	rc = atomic_write(path, b.buf ? b.buf : "", b.len, &e);
	sbuf_free(&b);
	return rc < 0 ? cmd_print_errors(&e) : T_OK;
}

/* ---- show ---------------------------------------------------------------------- */

static int do_show(int argc, char **argv)
{
	struct args a = {argc, 0, argv, "show", NULL, 0};
	const char *file = NULL;
	uint32_t step = 0;
	struct trace *t;
	struct err e = {0};
	struct sbuf b = {0};

	for (a.i = 0; a.i < argc && !a.bad; a.i++) {
		if (is_help(argv[a.i])) {
			fputs(show_help, stdout);
			return T_OK;
		} else if (opt(&a, "--step", true)) {
			parse_step(&a, &step);
		} else if (a.bad) {
			break;
		} else if (argv[a.i][0] == '-' && argv[a.i][1] != '\0') {
			return usage("show", "unknown option '%s'", argv[a.i]);
		} else if (!file) {
			file = argv[a.i];
		} else {
			return usage("show", "unexpected argument '%s' (one FILE)", argv[a.i]);
		}
	}
	if (a.bad)
		return T_USAGE;
	if (!file)
		return usage("show", "%s", "missing FILE");
	if (trace_load(file, step, &t, &e) < 0)
		return cmd_print_errors(&e);
	trace_summary_text(t, strcmp(file, "-") == 0 ? "<stdin>" : file, &b);
	fputs(b.buf, stdout);
	sbuf_free(&b);
	trace_free(t);
	return T_OK;
}

/* ---- convert ------------------------------------------------------------------- */

static int do_convert(int argc, char **argv)
{
	struct args a = {argc, 0, argv, "convert", NULL, 0};
	const char *file = NULL, *out = "-";
	uint32_t step = 0;
	bool wide = false;
	struct trace *t;
	struct err e = {0};
	int rc;

	for (a.i = 0; a.i < argc && !a.bad; a.i++) {
		if (is_help(argv[a.i])) {
			fputs(convert_help, stdout);
			return T_OK;
		} else if (opt(&a, "--step", true)) {
			parse_step(&a, &step);
		} else if (opt(&a, "--wide", false)) {
			wide = true;
		} else if (opt(&a, "-o", true) || opt(&a, "--output", true)) {
			out = a.val;
		} else if (a.bad) {
			break;
		} else if (argv[a.i][0] == '-' && argv[a.i][1] != '\0') {
			return usage("convert", "unknown option '%s'", argv[a.i]);
		} else if (!file) {
			file = argv[a.i];
		} else {
			return usage("convert", "unexpected argument '%s' (one FILE)", argv[a.i]);
		}
	}
	if (a.bad)
		return T_USAGE;
	if (!file)
		return usage("convert", "%s", "missing FILE");
	if (trace_load(file, step, &t, &e) < 0)
		return cmd_print_errors(&e);
	rc = write_trace(t, out, wide);
	trace_free(t);
	return rc;
}

/* ---- gen ------------------------------------------------------------------------ */

/* Parses --streams "a,b=5/s": names and rates (default_rate when none). */
static int parse_streams(const char *list, double default_rate, char ***names, double **rates,
			 size_t *n)
{
	char *copy = xstrdup(list), *s, *tok, *save = NULL;
	size_t cap1 = 0, cap2 = 0, i;
	int bad = 0;

	*n = 0;
	*names = NULL;
	*rates = NULL;
	for (s = copy; (tok = strtok_r(s, ",", &save)) != NULL; s = NULL) {
		char *eq = strchr(tok, '=');
		double r = default_rate, count, period;
		const char *why;

		if (eq) {
			*eq = '\0';
			if (units_rate(eq + 1, &count, &period, &why) < 0 || period <= 0) {
				fprintf(stderr, "costcap: trace gen: --streams: bad rate '%s' for '%s': %s\n",
					eq + 1, tok, why);
				bad = 1;
				continue;
			}
			r = count / period;
		}
		if (!*tok) {
			fprintf(stderr, "costcap: trace gen: --streams: empty stream name\n");
			bad = 1;
			continue;
		}
		for (i = 0; i < *n; i++)
			if (strcmp((*names)[i], tok) == 0) {
				fprintf(stderr, "costcap: trace gen: --streams: '%s' given twice\n", tok);
				bad = 1;
			}
		xgrow(names, &cap1, *n + 1, sizeof **names);
		xgrow(rates, &cap2, *n + 1, sizeof **rates);
		(*names)[*n] = xstrdup(tok);
		(*rates)[*n] = r;
		(*n)++;
	}
	free(copy);
	if (*n == 0 && !bad) {
		fprintf(stderr, "costcap: trace gen: --streams: no stream names\n");
		bad = 1;
	}
	return bad ? -1 : 0;
}

static int parse_when(struct args *a, const char *what, double start, double *out)
{
	struct trace_time tt;
	const char *why;

	if (units_duration(a->val, out) == 0 && *out >= 0)
		return 0;
	if (trace_parse_time(a->val, a->val + strlen(a->val), 1, &tt, &why) == 0 && tt.absolute) {
		*out = (double)tt.ns / 1e9 - start;
		if (*out >= 0)
			return 0;
	}
	fprintf(stderr, "costcap: trace gen: %s must be a duration from the start (36h, 90min, "
		"3600s) or a UTC time after --start, found '%s'\n", what, a->val);
	a->bad = 1;
	return -1;
}

static int do_gen(int argc, char **argv)
{
	struct args a = {argc, 0, argv, "gen", NULL, 0};
	struct tracegen_opts o;
	const char *out = "-", *streams = NULL, *spike_at = NULL;
	double rate = 1, days = NAN, dur = NAN, count, period, v;
	bool wide = false, spike_given = false;
	char **names = NULL;
	double *rates = NULL;
	size_t n = 0, i;
	uint64_t u;
	struct trace *t;
	struct err e = {0};
	const char *why;
	int rc;

	tracegen_defaults(&o);
	for (a.i = 0; a.i < argc && !a.bad; a.i++) {
		if (is_help(argv[a.i])) {
			fputs(gen_help, stdout);
			return T_OK;
		} else if (opt(&a, "--shape", true)) {
			if (strcmp(a.val, "flat") == 0)
				o.shape = TRACEGEN_FLAT;
			else if (strcmp(a.val, "diurnal") == 0)
				o.shape = TRACEGEN_DIURNAL;
			else if (strcmp(a.val, "weekly") == 0)
				o.shape = TRACEGEN_WEEKLY;
			else if (strcmp(a.val, "spike") == 0)
				o.shape = TRACEGEN_SPIKE;
			else
				return usage("gen", "unknown shape '%s' (flat, diurnal, weekly, spike)",
					     a.val);
		} else if (opt(&a, "--rate", true)) {
			if (units_rate(a.val, &count, &period, &why) < 0 || period <= 0) {
				fprintf(stderr, "costcap: trace gen: --rate '%s': %s\n", a.val, why);
				a.bad = 1;
			} else {
				rate = count / period;
			}
		} else if (opt(&a, "--streams", true)) {
			streams = a.val;
		} else if (opt(&a, "--days", true)) {
			parse_dbl(&a, "--days", &days);
		} else if (opt(&a, "--duration", true)) {
			if (units_duration(a.val, &dur) < 0) {
				fprintf(stderr, "costcap: trace gen: --duration '%s': expected 36h, 90min, "
					"3600s or 2day\n", a.val);
				a.bad = 1;
			}
		} else if (opt(&a, "--step", true)) {
			parse_step(&a, &o.step_s);
		} else if (opt(&a, "--seed", true)) {
			if (parse_u64(&a, "--seed", UINT64_MAX, &u) == 0)
				o.seed = u;
		} else if (opt(&a, "--start", true)) {
			struct trace_time tt;

			if (trace_parse_time(a.val, a.val + strlen(a.val), 1, &tt, &why) < 0 ||
			    !tt.absolute) {
				fprintf(stderr, "costcap: trace gen: --start '%s': expected a UTC time "
					"such as 2026-11-02T00:00:00Z\n", a.val);
				a.bad = 1;
			} else {
				o.start_epoch = (double)tt.ns / 1e9;
			}
		} else if (opt(&a, "--trough-ratio", true)) {
			parse_dbl(&a, "--trough-ratio", &o.trough_ratio);
		} else if (opt(&a, "--peak-hour", true)) {
			parse_dbl(&a, "--peak-hour", &o.peak_hour);
		} else if (opt(&a, "--weekend-ratio", true)) {
			parse_dbl(&a, "--weekend-ratio", &o.weekend_ratio);
		} else if (opt(&a, "--spike-mult", true)) {
			if (parse_dbl(&a, "--spike-mult", &o.spike_mult) == 0)
				spike_given = true;
		} else if (opt(&a, "--spike-at", true)) {
			spike_at = a.val;
		} else if (opt(&a, "--spike-duration", true)) {
			if (units_duration(a.val, &v) < 0 || v < 0) {
				fprintf(stderr, "costcap: trace gen: --spike-duration '%s': expected 5min, "
					"300s or 1h\n", a.val);
				a.bad = 1;
			} else {
				o.spike_s = v;
			}
		} else if (opt(&a, "--no-noise", false)) {
			o.noise = false;
		} else if (opt(&a, "--wide", false)) {
			wide = true;
		} else if (opt(&a, "-o", true) || opt(&a, "--output", true)) {
			out = a.val;
		} else if (!a.bad) {
			return usage("gen", "unknown argument '%s'", argv[a.i]);
		}
	}
	if (!a.bad && spike_at) {
		struct args b = a;

		b.val = spike_at;
		if (parse_when(&b, "--spike-at", o.start_epoch, &o.spike_at_s) < 0)
			a.bad = 1;
	}
	if (a.bad)
		return T_USAGE;
	if (!isnan(days) && !isnan(dur))
		return usage("gen", "%s", "give --days or --duration, not both");
	o.seconds = !isnan(dur) ? dur : !isnan(days) ? days * 86400 : 86400;
	if (o.shape == TRACEGEN_SPIKE && !spike_given)
		o.spike_mult = 10;
	if (streams) {
		if (parse_streams(streams, rate, &names, &rates, &n) < 0) {
			rc = T_USAGE;
			goto out;
		}
		o.names = (const char *const *)names;
		o.rate_per_s = rates;
		o.nstreams = n;
	} else {
		o.rate_per_s = &rate;
	}
	if (tracegen_make(&o, &t, &e) < 0) {
		rc = cmd_print_errors(&e);
		goto out;
	}
	rc = write_trace(t, out, wide);
	trace_free(t);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(rates);
	return rc;
}

/* ---- import ---------------------------------------------------------------------- */

/* The canonical name of an output file: its folder resolved (symbolic
 * links, "..") and its own name, or NULL when the folder does not exist. */
static char *out_canonical(const char *path)
{
	char *dir = paths_dirname(path), *real = realpath(dir, NULL), *c = NULL;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	if (real)
		c = xasprintf("%s/%s", real, base);
	free(real);
	free(dir);
	return c;
}

/* Checks, before anything is written, that 'path' can be written as
 * atomic_write does it: not a folder, and in an existing folder where a
 * file can be created (a device such as /dev/null is written in place).
 * Returns 0, or -1 with a diagnostic. */
static int check_output(const char *path, struct err *e)
{
	struct stat st;
	char *dir, *real = NULL;
	int rc = 0, why = 0;

	if (strcmp(path, "-") == 0)
		return 0;
	if (!*path) {
		err_add(e, NULL, 0, 0, "empty output file name");
		return -1;
	}
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			err_add(e, path, 0, 0, "is a directory, expected a file to write");
			return -1;
		}
		if (!S_ISREG(st.st_mode))
			return 0;
		real = realpath(path, NULL);	/* written through symbolic links */
	}
	dir = paths_dirname(real ? real : path);
	if (stat(dir, &st) < 0)
		why = errno;
	else if (!S_ISDIR(st.st_mode))
		why = ENOTDIR;
	else if (access(dir, W_OK | X_OK) < 0)
		why = errno;
	if (why) {
		err_add(e, path, 0, 0, "cannot write: cannot create a file in '%s': %s (nothing was "
			"written)", dir, strerror(why));
		rc = -1;
	}
	free(dir);
	free(real);
	return rc;
}

/* The contents of an existing regular file, to put back if a later write
 * fails; NULL (and *existed false) when there is none. */
static char *read_old(const char *path, size_t *len, bool *existed)
{
	struct stat st;
	struct sbuf b = {0};
	char buf[65536];
	size_t n;
	FILE *f;

	*existed = false;
	*len = 0;
	if (strcmp(path, "-") == 0 || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	*existed = true;
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_addn(&b, buf, n);
	fclose(f);
	*len = b.len;
	return b.buf ? sbuf_take(&b) : xstrdup("");
}

static int do_import(int argc, char **argv)
{
	struct args a = {argc, 0, argv, "import", NULL, 0};
	struct import_azure_opts az;
	struct import_events_opts ev;
	const char *from = NULL, *out = NULL, *plan_out = NULL, *file = NULL;
	bool wide = false;
	struct trace *t = NULL;
	struct sbuf plan = {0};
	struct err e = {0};
	uint64_t u;
	char *ref = NULL, *old = NULL;
	size_t old_len = 0;
	bool old_existed = false;
	int rc;

	memset(&az, 0, sizeof az);
	memset(&ev, 0, sizeof ev);
	for (a.i = 0; a.i < argc && !a.bad; a.i++) {
		if (is_help(argv[a.i])) {
			fputs(import_help, stdout);
			return T_OK;
		} else if (opt(&a, "--from", true)) {
			from = a.val;
		} else if (opt(&a, "--invocations", true)) {
			az.invocations = a.val;
		} else if (opt(&a, "--durations", true)) {
			az.durations = a.val;
		} else if (opt(&a, "--memory", true)) {
			az.memory = a.val;
		} else if (opt(&a, "--limit", true)) {
			if (parse_u64(&a, "--limit", SIZE_MAX, &u) == 0)
				az.limit = (size_t)u;
		} else if (opt(&a, "--top", true)) {
			if (parse_u64(&a, "--top", SIZE_MAX, &u) == 0)
				az.top = (size_t)u;
		} else if (opt(&a, "--column", true)) {
			ev.column = a.val;
		} else if (opt(&a, "--stream", true)) {
			ev.stream = a.val;
		} else if (opt(&a, "--step", true)) {
			parse_step(&a, &ev.step_s);
		} else if (opt(&a, "--function", true)) {
			ev.function = a.val;
		} else if (opt(&a, "--route", true)) {
			ev.route = a.val;
		} else if (opt(&a, "--api-type", true)) {
			if (strcmp(a.val, "http") != 0 && strcmp(a.val, "rest") != 0)
				return usage("import", "--api-type must be http or rest, found '%s'", a.val);
			ev.api_type = a.val;
		} else if (opt(&a, "--memory-mb", true)) {
			parse_dbl(&a, "--memory-mb", &ev.memory_mb);
		} else if (opt(&a, "--p50-ms", true)) {
			parse_dbl(&a, "--p50-ms", &ev.p50_ms);
		} else if (opt(&a, "--p95-ms", true)) {
			parse_dbl(&a, "--p95-ms", &ev.p95_ms);
		} else if (opt(&a, "--name", true)) {
			az.name = ev.name = a.val;
		} else if (opt(&a, "--model", true)) {
			az.model = ev.model = a.val;
		} else if (opt(&a, "--wide", false)) {
			wide = true;
		} else if (opt(&a, "-o", true) || opt(&a, "--output", true)) {
			out = a.val;
		} else if (opt(&a, "--plan-out", true)) {
			plan_out = a.val;
		} else if (a.bad) {
			break;
		} else if (argv[a.i][0] == '-' && argv[a.i][1] != '\0') {
			return usage("import", "unknown option '%s'", argv[a.i]);
		} else if (!file) {
			file = argv[a.i];
		} else {
			return usage("import", "unexpected argument '%s'", argv[a.i]);
		}
	}
	if (a.bad)
		return T_USAGE;
	if (!from)
		return usage("import", "%s", "missing --from (azure-functions-2019 or events)");
	if (!out)
		return usage("import", "%s", "missing -o OUT.csv (where to write the trace)");
	if (plan_out && strcmp(out, "-") == 0)
		return usage("import", "%s", "--plan-out needs the trace in a file (-o OUT.csv), "
			     "for the plan to refer to it");
	if (plan_out && strcmp(plan_out, "-") != 0) {
		char *c1 = out_canonical(out), *c2 = out_canonical(plan_out);
		bool same = strcmp(plan_out, out) == 0 || (c1 && c2 && strcmp(c1, c2) == 0);

		free(c1);
		free(c2);
		if (same)
			return usage("import", "%s", "-o and --plan-out name the same file");
	}
	/* Every output is checked before anything is read or written, so
	 * that a bad path does not leave the other output behind. */
	if (check_output(out, &e) < 0 || (plan_out && check_output(plan_out, &e) < 0))
		return cmd_print_errors(&e);
	ref = import_relpath(plan_out ? plan_out : out, out);
	if (strcmp(from, "azure-functions-2019") == 0) {
		if (file) {
			free(ref);
			return usage("import", "unexpected argument '%s' (the Azure files are given "
				     "with --invocations, --durations and --memory)", file);
		}
		if (!az.invocations) {
			free(ref);
			return usage("import", "%s", "--from azure-functions-2019 needs --invocations F");
		}
		az.trace_ref = ref;
		rc = import_azure(&az, &t, &plan, &e);
	} else if (strcmp(from, "events") == 0) {
		if (!file) {
			free(ref);
			return usage("import", "%s", "--from events needs the events FILE");
		}
		ev.path = file;
		ev.trace_ref = ref;
		rc = import_events(&ev, &t, &plan, &e);
	} else {
		free(ref);
		return usage("import", "unknown --from '%s' (azure-functions-2019 or events)", from);
	}
	free(ref);
	if (rc < 0) {
		sbuf_free(&plan);
		return cmd_print_errors(&e);
	}
	/* The plan (small) first, then the trace; if the trace cannot be
	 * written, the plan is taken back (removed, or its previous contents
	 * restored), so that a failed import leaves nothing changed. */
	rc = T_OK;
	if (plan_out) {
		old = read_old(plan_out, &old_len, &old_existed);
		if (atomic_write(plan_out, plan.buf ? plan.buf : "", plan.len, &e) < 0)
			rc = cmd_print_errors(&e);
	}
	if (rc == T_OK) {
		rc = write_trace(t, out, wide);
		if (rc != T_OK && plan_out && strcmp(plan_out, "-") != 0) {
			if (!old_existed)
				unlink(plan_out);
			else if (old)
				atomic_write(plan_out, old, old_len, &e);
			cmd_print_errors(&e);
		}
	}
	free(old);
	if (rc == T_OK && strcmp(out, "-") != 0) {
		struct trace_stream_stats st;

		trace_stream_stats(t, TRACE_ALL, &st);
		printf("wrote %s: %zu stream%s, %zu buckets of %" PRIu32 " s, %" PRIu64 " requests%s%s\n",
		       out, t->nstreams, t->nstreams == 1 ? "" : "s", t->nbuckets, t->step_s, st.total,
		       plan_out ? "; plan " : "", plan_out ? plan_out : "");
	}
	trace_free(t);
	sbuf_free(&plan);
	return rc;
}

int cmd_trace(int argc, char **argv)
{
	if (argc < 1)
		return usage(NULL, "%s", "missing COMMAND (show, gen, import or convert)");
	if (is_help(argv[0]) || strcmp(argv[0], "help") == 0) {
		fputs(trace_help, stdout);
		return T_OK;
	}
	if (strcmp(argv[0], "show") == 0)
		return do_show(argc - 1, argv + 1);
	if (strcmp(argv[0], "gen") == 0)
		return do_gen(argc - 1, argv + 1);
	if (strcmp(argv[0], "import") == 0)
		return do_import(argc - 1, argv + 1);
	if (strcmp(argv[0], "convert") == 0)
		return do_convert(argc - 1, argv + 1);
	return usage(NULL, "unknown command '%s' (show, gen, import or convert)", argv[0]);
}
