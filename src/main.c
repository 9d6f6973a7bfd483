/* costcap: command-line entry point. Parses arguments, dispatches to the
 * subcommands, prints diagnostics as "costcap: FILE:LINE:COL: message" and
 * maps outcomes to exit codes (DESIGN §8). This file and util_fatal are
 * the only places that end the process. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "core/err.h"
#include "core/util.h"
#include "io/model_load.h"
#include "io/yaml.h"


static const char usage_text[] =
	"usage: costcap COMMAND [ARGS]\n"
	"\n"
	"Plans the monthly cost and the throttling of serverless AWS applications\n"
	"(Lambda, API Gateway, DynamoDB) from a plan file, offline.\n"
	"\n"
	"commands:\n"
	"  report [PLAN]        price the plan and print a report\n"
	"  check [PLAN]         evaluate budgets and throttling limits (exit 1 on failure)\n"
	"  diff BASE HEAD       monthly cost and throttle change between two plans\n"
	"  sim [PLAN]           simulate and print per-resource totals or one series (CSV)\n"
	"  tui [PLAN]           what-if planner on the terminal (also bare 'costcap' on a terminal)\n"
	"  advise [PLAN]        what to change, headroom, 12-month projection, Monte Carlo\n"
	"  trace SUBCOMMAND     import, generate or show traces (costcap trace --help)\n"
	"  models               list the pricing models\n"
	"  models show NAME     print one model, resolved after 'extends'\n"
	"  help [COMMAND]       show help\n"
	"\n"
	"Without PLAN, the built-in example plan is used.\n"
	"Exit status: 0 ok, 1 a check failed, 2 bad usage or input, 3 internal failure.\n";

static const char models_help[] =
	"usage: costcap models\n"
	"       costcap models show NAME\n"
	"\n"
	"Lists the pricing models with the date their figures were read and their\n"
	"sources, or prints one model resolved after 'extends'. COSTCAP_MODELS\n"
	"overrides the models folder.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("costcap: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(run 'costcap help' for usage)\n", stderr);
	return EXIT_USAGE;
}

static int cmd_models(int argc, char **argv)
{
	struct err e = {0};
	struct sbuf out = {0};
	char **names;
	size_t i;

	if (argc >= 1 && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help"))) {
		fputs(models_help, stdout);
		return EXIT_OK;
	}
	if (argc >= 1 && !strcmp(argv[0], "show")) {
		struct ynode *tree;
		char *path;
		struct model *m;

		if (argc != 2)
			return usage_error("%s", "models show needs one model name");
		/* Validate first so that a broken model is reported, not shown. */
		if (model_load(argv[1], NULL, NULL, NULL, &m, &e) < 0)
			return cmd_print_errors(&e);
		model_free(m);
		if (model_load_tree(argv[1], NULL, &tree, &path, &e) < 0)
			return cmd_print_errors(&e);
		sbuf_printf(&out, "# %s, resolved after extends\n", argv[1]);
		yaml_dump(&out, tree);
		ynode_free(tree);
		free(path);
		fputs(out.buf, stdout);
		sbuf_free(&out);
		return EXIT_OK;
	}
	if (argc > 0)
		return usage_error("unknown argument '%s' to models", argv[0]);
	if (model_list(&names, &e) < 0)
		return cmd_print_errors(&e);
	for (i = 0; names[i]; i++) {
		struct model *m;
		char **s;

		if (model_load(names[i], NULL, NULL, NULL, &m, &e) < 0) {
			sbuf_printf(&out, "%-28s (invalid: run 'costcap models show %s')\n", names[i], names[i]);
			err_clear(&e);
		} else {
			sbuf_printf(&out, "%-28s as of %s  %s %s\n", names[i], m->as_of, m->region, m->currency);
			for (s = m->sources; *s; s++)
				sbuf_printf(&out, "    %s\n", *s);
			model_free(m);
		}
		free(names[i]);
	}
	free(names);
	fputs(out.buf ? out.buf : "", stdout);
	sbuf_free(&out);
	return EXIT_OK;
}

static int cmd_help(int argc, char **argv)
{
	if (argc == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[0], "report"))
		return cmd_report(1, (char *[]){"--help", NULL});
	else if (!strcmp(argv[0], "check"))
		return cmd_check(1, (char *[]){"--help", NULL});
	else if (!strcmp(argv[0], "models"))
		fputs(models_help, stdout);
	else if (!strcmp(argv[0], "sim"))
		return cmd_sim(1, (char *[]){"--help", NULL});
	else if (!strcmp(argv[0], "diff"))
		return cmd_diff(1, (char *[]){"--help", NULL});
	else if (!strcmp(argv[0], "trace"))
		return cmd_trace(1, (char *[]){"--help", NULL});
	else if (!strcmp(argv[0], "tui"))
		return cmd_tui(1, (char *[]){"--help", NULL});
	else if (!strcmp(argv[0], "advise"))
		return cmd_advise(1, (char *[]){"--help", NULL});
	else
		return usage_error("no help for unknown command '%s'", argv[0]);
	return EXIT_OK;
}

/* SIGINT, SIGTERM or SIGHUP during a batch command: say so and end the
 * process as the signal would (the shell sees status 128+N). Nothing
 * half-written is left: outputs are written atomically at the end, and
 * io/atomic.c holds these signals back while its temporary file exists.
 * Only write(2), signal(2) and raise(3) here: they are async-signal-safe. */
static void on_signal(int sig)
{
	static const char intr[] = "costcap: interrupted (SIGINT)\n";
	static const char term[] = "costcap: terminated (SIGTERM)\n";
	static const char hup[] = "costcap: hung up (SIGHUP)\n";
	const char *m = sig == SIGINT ? intr : sig == SIGTERM ? term : hup;
	size_t n = sig == SIGINT ? sizeof intr : sig == SIGTERM ? sizeof term : sizeof hup;

	if (write(STDERR_FILENO, m, n - 1) < 0)
		n = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Installs on_signal for the batch commands. Not for the TUI: it needs
 * handlers that restore the terminal (ncurses installs its own only where
 * the disposition is still the default). Signals ignored by the parent
 * (a background job) stay ignored. */
static void catch_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
}

/* Standard output is buffered: a failed write (a full disk, a closed
 * pipe with SIGPIPE ignored) shows only when it is flushed. A command
 * whose output was lost must not exit 0. */
static int finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "costcap: cannot write standard output: %s\n", strerror(errno));
		return rc > EXIT_USAGE ? rc : EXIT_USAGE;
	}
	return rc;
}

/* Bare 'costcap' opens the what-if TUI on a terminal and prints the
 * report of the built-in example otherwise (DESIGN §7). */
static bool bare_tui(int argc)
{
	return argc < 2 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static int dispatch(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : bare_tui(argc) ? "tui" : "report";

	if (argc > 1 && (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")))
		return cmd_help(0, NULL);
	if (argc > 1 && !strcmp(cmd, "--version")) {
		printf("costcap %s\n", COSTCAP_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "report"))
		return cmd_report(argc > 2 ? argc - 2 : 0, argv + 2);
	if (!strcmp(cmd, "check"))
		return cmd_check(argc > 2 ? argc - 2 : 0, argv + 2);
	if (!strcmp(cmd, "models"))
		return cmd_models(argc - 2, argv + 2);
	if (!strcmp(cmd, "sim"))
		return cmd_sim(argc > 2 ? argc - 2 : 0, argv + 2);
	if (!strcmp(cmd, "diff"))
		return cmd_diff(argc > 2 ? argc - 2 : 0, argv + 2);
	if (!strcmp(cmd, "trace"))
		return cmd_trace(argc > 2 ? argc - 2 : 0, argv + 2);
	if (!strcmp(cmd, "tui"))
		return cmd_tui(argc > 2 ? argc - 2 : 0, argv + 2);
	if (!strcmp(cmd, "advise"))
		return cmd_advise(argc > 2 ? argc - 2 : 0, argv + 2);
	if (!strcmp(cmd, "help"))
		return cmd_help(argc - 2, argv + 2);
	return usage_error("unknown command '%s'", cmd);
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	if (!bare_tui(argc) && (argc < 2 || strcmp(argv[1], "tui") != 0))
		catch_signals();
	return finish(dispatch(argc, argv));
}
