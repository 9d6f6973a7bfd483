/* app: the what-if TUI's state and key handling, in plain C with no
 * curses (STYLE 10). It holds the plan as loaded (the baseline) and the
 * what-if built from it by edits to the plan's YAML tree, rebuilds the
 * plan after every edit (plan_from_tree: the same validation as the CLI),
 * and asks its front end to simulate through "jobs" that may run on
 * another thread. Keys go through one table of actions that also feeds
 * the help screen and the hints bar. app_handle() and app_key() change
 * the state and return flags ("redraw", "quit", "simulate"); they never
 * draw. knob.c knows the settings of each row, tree.c edits the YAML
 * tree; draw.c renders the state; term.c (curses) and script.c (the
 * scripted mode) are the front ends.
 *
 * Everything shown comes from core/: the figures are the bill of the
 * what-if plan, exactly as `costcap report` prices the same plan. */
#ifndef COSTCAP_TUI_APP_H
#define COSTCAP_TUI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/bill.h"
#include "../core/err.h"
#include "../core/plan.h"
#include "../core/usage.h"
#include "../core/util.h"

struct ynode;
struct trace;

/* ---- keys ------------------------------------------------------------- */

/* Keys are Unicode code points (control characters included: Enter is
 * '\n' or '\r', Esc 27, Tab '\t', Ctrl-X is 'x' & 0x1f), or these codes
 * for keys that have no character. The front end translates. */
enum app_key {
	AK_UP = 0x110001, AK_DOWN, AK_LEFT, AK_RIGHT, AK_PGUP, AK_PGDN, AK_HOME, AK_END,
	AK_BTAB, AK_BACKSPACE, AK_DELETE, AK_F1, AK_RESIZE
};
#define AK_ESC 27
#define AK_CTRL(c) ((c) & 0x1f)

/* ---- actions ---------------------------------------------------------- */

enum action {
	ACT_NONE,
	ACT_QUIT, ACT_HELP, ACT_SCALE_UP, ACT_SCALE_DOWN, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN,
	ACT_HOME, ACT_END, ACT_OPEN, ACT_BACK, ACT_NEXT_RES, ACT_PREV_RES, ACT_INC, ACT_DEC,
	ACT_EDIT, ACT_SET, ACT_UNDO, ACT_REDO, ACT_RESET, ACT_SAVE, ACT_MODEL_NEXT,
	ACT_MODEL_PREV, ACT_GROW, ACT_SHRINK, ACT_ZOOM_IN, ACT_ZOOM_OUT, ACT_PAN_LEFT,
	ACT_PAN_RIGHT, ACT_CHARTS, ACT_MESSAGES, ACT_RELOAD, ACT_REDRAW, ACT_ADVICE,
	ACT_COUNT
};

/* Flags returned by app_handle, app_key and app_job_done. */
enum app_flags {
	APP_REDRAW = 1,		/* the screen changed */
	APP_QUIT = 2,		/* leave the program (status 0) */
	APP_SIMULATE = 4,	/* a job is waiting: call app_job_take */
	APP_BEEP = 8,		/* the key did nothing here */
	APP_CLEAR = 16,		/* repaint everything (Ctrl-L) */
	APP_ADVISE = 32		/* an advice job is waiting: call app_advice_job_take */
};

/* Where an action applies (bit set). */
#define W_OVERVIEW 1u
#define W_DETAIL 2u
#define W_TEXT 4u		/* the help and messages screens */
#define W_ADVICE 8u		/* the advice screen */
#define W_ALL (W_OVERVIEW | W_DETAIL | W_TEXT | W_ADVICE)

/* One entry of the action table: its keys, where it applies, its help
 * line and its label in the hints bar (NULL: not in the bar). */
struct app_action {
	enum action act;
	int keys[4];		/* 0-terminated */
	const char *keys_text;	/* as shown on the help screen */
	unsigned where;
	const char *help;
	const char *hint;
};
extern const struct app_action app_actions[];
extern const size_t app_nactions;

/* ---- the state ---------------------------------------------------------- */

enum app_screen { SCR_OVERVIEW, SCR_DETAIL, SCR_HELP, SCR_MESSAGES, SCR_ADVICE };
enum app_input { INPUT_NONE, INPUT_LINE, INPUT_CONFIRM };
enum row_kind { ROW_PLAN, ROW_API, ROW_FUNCTION, ROW_TABLE };

/* A plan tree and the plan built from it; shared by reference (main
 * thread only): the undo history, results and jobs hold references. */
struct app_plan {
	struct ynode *tree;	/* the YAML tree (owned, never changed) */
	struct plan *plan;	/* plan_from_tree(tree) (owned) */
	char *label;		/* the edit that made it, e.g. "traffic.scale=2" */
	int refs;
};

/* One simulated what-if: the plan, what the simulation consumed (with
 * per-step series for every resource) and its bill. */
struct app_result {
	struct app_plan *ap;	/* reference */
	struct usage *usage;
	struct bill *bill;
	double sim_ms;		/* wall time of sim_run + bill_price */
	bool estimate;		/* the first day projected and calibrated by the
				 * baseline (no series); the exact window follows */
	struct usage *first_day;	/* the baseline's: its first day simulated
					 * alone, the reference of estimates */
	int refs;
};

/* A row of the overview: the plan itself, or one resource (index into
 * the plan's apis, functions or tables). */
struct app_row {
	enum row_kind kind;
	size_t index;
	const char *name;
};

/* A setting of the selected row, as shown in the detail screen. */
struct knob {
	char label[24];
	char value[48];		/* current what-if value, with its unit */
	char base[48];		/* the baseline's value ("" when the same) */
	char raw[48];		/* the value as written in YAML (prompt default) */
	bool changed;		/* differs from the baseline */
	bool enabled;		/* false: does not apply (shown dim) */
	char path[256];		/* the setting's path, as for --set */
	/* private to app.c */
	int type;
	double v;
	int choice;
};
/* A table has 10 settings and 6 per GSI (at most 20 GSIs). */
#define APP_MAX_KNOBS 136

enum status_kind { ST_INFO, ST_ERROR };

struct advice;

/* The advice (core/advise.h) for one what-if, or why there is none. */
struct app_advice {
	struct app_plan *ap;	/* the what-if advised (reference) */
	unsigned epoch;		/* the app's epoch then (a reload drops it) */
	struct advice *adv;	/* NULL when advise_run failed */
	char **errors;		/* its problems then (NULL-terminated), else NULL */
	double ms;		/* wall time of advise_run */
};
#define APP_ADVICE_CACHE 4

struct app {
	/* where the plan came from */
	char *path;		/* plan file as given (NULL: the built-in example) */
	char *file;		/* its name in messages */
	char *dir;		/* folder its relative paths resolve against */
	char **sets;		/* --set assignments and --scale, re-applied by reload */
	size_t nsets;
	double scale;
	unsigned epoch;		/* bumped by reload: older jobs are discarded */
	/* the baseline and the what-if */
	struct app_result *base;	/* NULL until the baseline is simulated */
	struct app_result *cur;		/* shown; may lag behind 'latest' */
	struct app_plan *base_ap;	/* the baseline plan (figures in 'base') */
	struct app_plan *latest;	/* the newest what-if */
	struct app_plan **undo, **redo;
	size_t nundo, capundo, nredo, capredo;
	struct app_result *cache[4];	/* recent results, for instant undo */
	char **models;			/* model names to switch between */
	size_t nmodels;
	/* the trace of the plan (loaded by a job, kept for the next) */
	struct trace *trace;
	char *trace_path;
	bool busy;			/* a job is running */
	struct app_plan *failed;	/* the what-if whose simulation failed */
	double last_ms;			/* wall time of the last simulation */
	double estimate_ms;		/* wall time of the last estimate */
	double busy_since_ms;		/* when the running job was taken */
	/* what is shown */
	enum app_screen screen, prev_screen;
	size_t sel;			/* selected overview row */
	size_t sel_knob;		/* selected setting in the detail screen */
	size_t text_scroll;		/* help / messages screen */
	double view_s, view_start_s;	/* chart zoom: span shown (0: all) and start */
	int chart_page;
	int page_rows;			/* rows a page moves (set by the front end) */
	/* the status line */
	char *status;
	enum status_kind status_kind;
	char **text;			/* lines of the help or messages screen */
	size_t ntext;
	char **messages;		/* every problem of the last failed edit */
	size_t nmessages;
	char *pending_label;		/* edit waiting for its figures */
	/* prompts */
	enum app_input input;
	int prompt_kind;
	char *prompt;			/* the question */
	struct sbuf line;		/* text typed so far (UTF-8) */
	size_t line_cur;		/* the cursor: a byte offset into 'line' */
	bool line_selected;		/* the pre-filled value is selected: the first
					 * printable key replaces it, editing keys
					 * (arrows, Backspace, Delete) keep it */
	char *prompt_path;		/* knob path or save target being confirmed */
	char *saved_path;		/* last file saved in this session */
	bool show_timing;		/* show simulation times (off in scripted mode) */
	/* the advice screen: advice is computed on demand, by jobs of its own */
	struct app_advice *advice[APP_ADVICE_CACHE];	/* recent advice, newest first */
	bool advising;			/* an advice job is running */
	double advising_since_ms;	/* when it was taken */
	struct app_plan *advising_ap;	/* the what-if it advises (reference) */
	enum app_screen advice_from;	/* the screen the advice screen goes back to */
};

/* Options for app_new. */
struct app_opts {
	const char *path;		/* plan file; NULL for the built-in example */
	const char *const *sets;	/* --set assignments applied to the baseline */
	size_t nsets;
	double scale;			/* --scale (NAN when not given) */
};

/* Loads the plan (and applies --set and --scale to its tree) and builds
 * the baseline plan. The baseline is simulated by the first job (the
 * result is APP_SIMULATE pending). Returns 0 with a new app in *out (free
 * with app_free), or -1 with every problem in 'e'. */
int app_new(const struct app_opts *o, struct app **out, struct err *e);
/* Frees the app. No job may be running. */
void app_free(struct app *a);

/* The action bound to 'key' on the current screen, or ACT_NONE. */
enum action app_keymap(const struct app *a, int key);
/* Handles one key: in a prompt it edits the line, else it is mapped
 * through the action table. Returns enum app_flags. */
unsigned app_key(struct app *a, int key);
/* Performs one action. Returns enum app_flags. */
unsigned app_handle(struct app *a, enum action act);

/* ---- simulation jobs ------------------------------------------------- */

/* A simulation of one what-if, independent of the app while it runs. */
struct app_job;

/* Returns the job the app wants run next (the newest what-if that has no
 * result yet), or NULL when there is none or one is already running.
 * The app is then busy until app_job_done. */
struct app_job *app_job_take(struct app *a);
/* Runs the job: loads the trace when needed, simulates and prices. Touches
 * nothing but the job (and what it borrows read-only), so it may run on
 * another thread. */
void app_job_run(struct app_job *j);
/* Installs the job's result (or its error in the status line) and frees
 * the job. Main thread. Returns enum app_flags (APP_SIMULATE when the
 * what-if changed while the job ran). */
unsigned app_job_done(struct app *a, struct app_job *j);
/* Milliseconds of a monotonic clock (for "simulating... 2.1 s"). */
double app_now_ms(void);
/* Runs every job the app wants, one after the other, on this thread. */
unsigned app_settle(struct app *a);

/* ---- advice jobs ------------------------------------------------------------ */

/* Advice takes many simulations (seconds for a month-long plan), so it is
 * computed only on the advice screen ('a'), for the newest what-if, by a
 * job like the simulation jobs (on its own worker thread in the terminal),
 * and kept for the what-if it was computed for (the last
 * APP_ADVICE_CACHE of them): undo, or coming back to the screen, shows it
 * at once; a change made on the advice screen computes it again. The
 * sections are those of `costcap advise` but Monte Carlo (too slow to
 * wait for; docs/tui.md). */
struct app_advice_job;

/* The job the advice screen wants run (advice for the newest what-if,
 * not yet computed), or NULL when there is none, the screen is not shown,
 * or one is running already. The app is then 'advising' until
 * app_advice_job_done. */
struct app_advice_job *app_advice_job_take(struct app *a);
/* Loads the plan's trace (a copy of its own) and runs advise_run. Touches
 * nothing but the job and the plan it borrows read-only: may run on
 * another thread, alongside a simulation job. */
void app_advice_job_run(struct app_advice_job *j);
/* Keeps the job's advice (or its problems) and frees the job. Main
 * thread. Returns enum app_flags (APP_ADVISE when the what-if changed
 * meanwhile and the advice screen is shown). */
unsigned app_advice_job_done(struct app *a, struct app_advice_job *j);
/* Runs every advice job the app wants, on this thread. */
unsigned app_advice_settle(struct app *a);
/* The advice to show: the newest what-if's (*stale false), else the
 * latest computed for another what-if (*stale true), else NULL. */
const struct app_advice *app_advice_shown(const struct app *a, bool *stale);

/* ---- views for draw.c ---------------------------------------------------- */

/* Overview rows: the plan, then the APIs, functions and tables of the
 * shown result's plan (the latest plan before the first result). */
size_t app_nrows(const struct app *a);
struct app_row app_row(const struct app *a, size_t i);
/* The plan rows and figures refer to. */
const struct plan *app_shown_plan(const struct app *a);
/* The bill entry and series of a row in result 'r' (NULL when absent). */
/* Index of the row's resource in plan 'p' (by kind and name), or -1. */
int app_row_index(const struct plan *p, const struct app_row *row);
const struct bill_resource *app_row_bill(const struct app_result *r, const struct app_row *row);
const struct series *app_row_series(const struct app_result *r, const struct app_row *row);
/* The settings of row i (from the latest what-if, compared with the
 * baseline). Returns how many were stored (at most max). */
size_t app_knobs(const struct app *a, size_t row, struct knob *out, size_t max);
/* Lines of the help, messages or advice screen ('#' starts a heading
 * line). The array is owned by the app and valid until the next call. */
const char *const *app_text(struct app *a, size_t *n);
/* The what-if's changes against the baseline, one "path: old -> new" per
 * line; returns a new NULL-terminated array (free with app_strv_free). */
char **app_changes(const struct app *a);
void app_strv_free(char **v);
/* Splits a ':' line into its PATH=VALUE assignments: at blanks followed
 * by PATH= (a dotted identifier) or by "--set PATH=", keeping blanks
 * inside values. Returns a NULL-terminated array (app_strv_free). */
char **app_split_assignments(const char *line);
/* Whether the figures shown lag behind the latest what-if. */
bool app_stale(const struct app *a);

/* ---- saving -------------------------------------------------------------- */

/* Writes the latest what-if to 'target' as a plan (atomically), with
 * relative model and trace paths rewritten for the target's folder.
 * Does not ask anything: callers check for overwrites. Returns 0, or -1
 * with a diagnostic. */
int app_save(struct app *a, const char *target, struct err *e);
/* The file 's' proposes: PLAN-whatif.yaml next to the plan, or
 * ./NAME-whatif.yaml for the built-in example. New string. */
char *app_default_save_path(const struct app *a);

#endif
