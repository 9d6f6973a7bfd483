/* cmd_tui: `costcap tui`, the interactive what-if planner (DESIGN §7):
 * parses its options, refuses to run without a terminal (pointing at
 * `report`), and starts the curses front end or, with --keys/--dump or
 * COSTCAP_TUI_KEYS, the scripted mode that draws into a virtual screen. */
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "core/err.h"
#include "core/units.h"
#include "core/util.h"
#include "io/yaml.h"
#include "tui/tui.h"

int cmd_tui(int argc, char **argv);

static const char tui_help[] =
	"usage: costcap tui [PLAN] [options]\n"
	"\n"
	"Opens the what-if planner on the terminal: every resource with its monthly\n"
	"cost, throttling and traffic; change settings and see the figures move\n"
	"against the baseline; save the what-if as a plan. In the TUI, ? lists the keys.\n"
	"Without PLAN, the built-in example plan is used.\n"
	"\n"
	"  --set PATH=VALUE     override a plan value in the baseline (repeatable)\n"
	"  --scale X            override traffic.scale in the baseline\n"
	"  --no-color           monochrome (also when NO_COLOR is set)\n"
	"\n"
	"Scripted mode (no terminal needed, for tests and screen captures):\n"
	"  --keys FILE          read keys from FILE (\"-\": standard input); the\n"
	"                       environment variable COSTCAP_TUI_KEYS=TEXT does the same\n"
	"  --dump FILE          write the final screen to FILE (default: standard output)\n"
	"  --size WxH           virtual screen size (default 80x24)\n"
	"Key scripts: characters stand for themselves; <Enter> <Esc> <Up> <Down> <Left>\n"
	"<Right> <Tab> <PgUp> <PgDn> <BS> <C-r> ... name keys; <Resize 120x40> and\n"
	"<Dump FILE> act on the screen; newlines are ignored (docs/tui.md).\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("costcap: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(run 'costcap tui --help' for usage)\n", stderr);
	return EXIT_USAGE;
}

int cmd_tui(int argc, char **argv)
{
	struct tui_opts o;
	const char **sets = NULL, *keys_file = NULL, *env;
	size_t capsets = 0;
	char *keys = NULL;
	bool scripted = false;
	int i, rc;

	memset(&o, 0, sizeof o);
	o.scale = NAN;
	o.width = 80;
	o.height = 24;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(tui_help, stdout);
			free(sets);
			return EXIT_OK;
		} else if (!strcmp(a, "--no-color")) {
			continue;	/* read below */
		} else if (a[0] != '-') {
			if (o.plan) {
				free(sets);
				return usage_error("more than one plan given ('%s')", a);
			}
			o.plan = a;
			continue;
		} else if (!strcmp(a, "-")) {
			free(sets);
			return usage_error("%s", "the TUI reads keys from the terminal: give the plan as a file, not '-'");
		} else if (!v) {
			free(sets);
			return usage_error("option '%s' needs a value", a);
		} else if (!strcmp(a, "--set")) {
			xgrow(&sets, &capsets, o.nsets + 1, sizeof *sets);
			sets[o.nsets++] = v;
		} else if (!strcmp(a, "--scale")) {
			if (units_number(v, &o.scale) < 0 || !(o.scale > 0)) {
				free(sets);
				return usage_error("--scale expects a positive number, found '%s'", v);
			}
		} else if (!strcmp(a, "--keys")) {
			keys_file = v;
			scripted = true;
		} else if (!strcmp(a, "--dump")) {
			o.dump = v;
			scripted = true;
		} else if (!strcmp(a, "--size")) {
			if (sscanf(v, "%dx%d", &o.width, &o.height) != 2 || o.width < 1 || o.height < 1 ||
			    o.width > 1000 || o.height > 1000) {
				free(sets);
				return usage_error("--size expects a size like 80x24, found '%s'", v);
			}
			scripted = true;
		} else {
			free(sets);
			return usage_error("unknown option '%s'", a);
		}
		i++;
	}
	o.sets = sets;
	/* Colour unless NO_COLOR (https://no-color.org) or --no-color. */
	env = getenv("NO_COLOR");
	o.color = !(env && env[0]);
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--no-color"))
			o.color = false;
	/* Wide characters need the locale's character type (only: numbers
	 * keep the C locale's decimal point). */
	setlocale(LC_CTYPE, "");
	o.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	env = getenv("COSTCAP_TUI_KEYS");
	if (keys_file) {
		struct err e = {0};
		size_t len;

		if (yaml_read_file(keys_file, &keys, &len, &e) < 0) {
			char *s = err_format(&e, 0);

			fprintf(stderr, "costcap: %s\n", s);
			free(s);
			err_clear(&e);
			free(sets);
			return EXIT_USAGE;
		}
		o.keys_name = keys_file;
	} else if (env) {
		keys = xstrdup(env);
		o.keys_name = "COSTCAP_TUI_KEYS";
		scripted = true;
	}
	o.keys = keys;
	if (scripted) {
		if (!o.dump)
			o.dump = "-";
		rc = tui_script(&o);
	} else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("costcap: tui needs a terminal (standard input and output); for a report "
		      "without one, run 'costcap report [PLAN]'\n", stderr);
		rc = EXIT_USAGE;
	} else {
		rc = tui_terminal(&o);
	}
	free(keys);
	free(sets);
	return rc;
}
