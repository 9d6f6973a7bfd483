/* The TUI's state and key handling (src/tui/app.c), without curses:
 * the key map is the action table; every kind of setting changes the
 * plan as expected; every what-if is priced exactly like the same plan
 * saved to a file and loaded back (the figures `costcap report` shows);
 * undo, redo and reset; invalid edits leave the what-if alone and report
 * the problem; saving never overwrites a file without asking. Built with
 * app.o, draw.o and canvas.o by tests/tui/tui.mk. Runs from the
 * repository root on tests/tui/plans/shop.yaml (one hour of trace). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/advise.h"
#include "core/bill.h"
#include "core/sim.h"
#include "core/trace.h"
#include "io/plan_load.h"
#include "io/trace_csv.h"
#include "io/yaml.h"
#include "tui/app.h"
#include "tui/canvas.h"
#include "report/report.h"
#include "tui/draw.h"

#define PLAN "tests/tui/plans/shop.yaml"

static char tmpdir[64];

static struct app *open_app(void)
{
	struct app_opts o = {PLAN, NULL, 0, NAN};
	struct err e = {0};
	struct app *a;

	setenv("COSTCAP_MODELS", "models", 0);
	if (app_new(&o, &a, &e) < 0) {
		char *s = err_format(&e, 0);

		fail_msg("app_new: %s", s);
	}
	app_settle(a);
	assert_non_null(a->base);
	assert_ptr_equal(a->cur, a->base);
	return a;
}

/* Loads 'path', simulates and prices it as `costcap report` does. */
static struct bill *report_bill(const char *path, struct plan **pp)
{
	struct err e = {0};
	struct trace *tr = NULL;
	struct usage *u;
	struct sim_opts o;
	struct bill *b;

	memset(&o, 0, sizeof o);
	o.seed = 1;
	if (plan_load(path, NULL, 0, NAN, pp, &e) < 0) {
		char *s = err_format(&e, 0);

		fail_msg("plan_load %s: %s", path, s);
	}
	if ((*pp)->trace && trace_load((*pp)->trace, 0, &tr, &e) < 0)
		fail_msg("trace_load");
	o.trace = tr;
	if (sim_run(*pp, &o, &u, &e) < 0)
		fail_msg("sim_run");
	b = bill_price(*pp, u);
	usage_free(u);
	trace_free(tr);
	return b;
}

/* The what-if shown, saved and loaded back, gives the very same bill. */
static void assert_saved_same(struct app *a)
{
	char path[128];
	struct err e = {0};
	struct plan *p;
	struct bill *b;
	size_t i;

	assert_false(app_stale(a));
	snprintf(path, sizeof path, "%s/whatif.yaml", tmpdir);
	assert_int_equal(app_save(a, path, &e), 0);
	b = report_bill(path, &p);
	assert_int_equal(b->n, a->cur->bill->n);
	/* Same plan, same computation: equal to the last bit. */
	assert_true(b->total == a->cur->bill->total);
	for (i = 0; i < b->n; i++) {
		assert_string_equal(b->res[i].name, a->cur->bill->res[i].name);
		assert_true(b->res[i].monthly_cost == a->cur->bill->res[i].monthly_cost);
		assert_int_equal(b->res[i].requests, a->cur->bill->res[i].requests);
		assert_int_equal(b->res[i].throttled, a->cur->bill->res[i].throttled);
	}
	bill_free(b);
	plan_free(p);
	unlink(path);
}

static size_t find_row(struct app *a, const char *name)
{
	size_t i, n = app_nrows(a);

	for (i = 1; i < n; i++)
		if (strcmp(app_row(a, i).name, name) == 0)
			return i;
	if (!strcmp(name, "(plan)"))
		return 0;
	fail_msg("no row %s", name);
	return 0;
}

/* Selects setting 'label' of resource 'name' on the resource screen. */
static void select_knob(struct app *a, const char *name, const char *label)
{
	struct knob k[APP_MAX_KNOBS];
	size_t n, i;

	a->sel = find_row(a, name);
	assert_int_equal(app_handle(a, ACT_OPEN) & APP_REDRAW, APP_REDRAW);
	n = app_knobs(a, a->sel, k, APP_MAX_KNOBS);
	for (i = 0; i < n; i++)
		if (strcmp(k[i].label, label) == 0) {
			a->sel_knob = i;
			return;
		}
	fail_msg("no setting '%s' on %s", label, name);
}

/* Selects the setting at 'path' (as for --set) of resource 'name'. */
static void select_path(struct app *a, const char *name, const char *path)
{
	struct knob k[APP_MAX_KNOBS];
	size_t n, i;

	a->sel = find_row(a, name);
	app_handle(a, ACT_OPEN);
	n = app_knobs(a, a->sel, k, APP_MAX_KNOBS);
	for (i = 0; i < n; i++)
		if (strcmp(k[i].path, path) == 0) {
			a->sel_knob = i;
			return;
		}
	fail_msg("no setting at '%s' on %s", path, name);
}

/* Performs 'act' and runs the simulation it asks for. */
static unsigned act(struct app *a, enum action x)
{
	unsigned f = app_handle(a, x);

	if (f & APP_SIMULATE)
		app_settle(a);
	return f;
}

static void type(struct app *a, const char *s)
{
	for (; *s; s++)
		if (app_key(a, (unsigned char)*s) & APP_SIMULATE)
			app_settle(a);
}

/* Copies file 'from' to 'to', replacing the first 'old' by 'new' (when
 * given). */
static void copy_file(const char *from, const char *to, const char *old, const char *new)
{
	char *buf, *hit;
	size_t len;
	struct err e = {0};
	FILE *fp;

	assert_int_equal(yaml_read_file(from, &buf, &len, &e), 0);
	fp = fopen(to, "w");
	assert_non_null(fp);
	if (old && (hit = strstr(buf, old)) != NULL) {
		fwrite(buf, 1, (size_t)(hit - buf), fp);
		fputs(new, fp);
		fputs(hit + strlen(old), fp);
	} else {
		fputs(buf, fp);
	}
	fclose(fp);
	free(buf);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/costcap-tui-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rmdir(tmpdir);
	return 0;
}

/* ---- the key map -------------------------------------------------------- */

static void keymap_fixed_keys(void **state)
{
	struct app *a = open_app();
	enum app_screen screens[] = {SCR_OVERVIEW, SCR_DETAIL, SCR_HELP, SCR_ADVICE};
	size_t s;

	(void)state;
	/* DESIGN §7's fixed keys. */
	for (s = 0; s < 4; s++) {
		a->screen = screens[s];
		assert_int_equal(app_keymap(a, 'q'), ACT_QUIT);
		assert_int_equal(app_keymap(a, '?'), ACT_HELP);
		assert_int_equal(app_keymap(a, 'j'), ACT_DOWN);
		assert_int_equal(app_keymap(a, 'k'), ACT_UP);
		assert_int_equal(app_keymap(a, AK_DOWN), ACT_DOWN);
		assert_int_equal(app_keymap(a, AK_UP), ACT_UP);
		if (screens[s] != SCR_HELP) {
			assert_int_equal(app_keymap(a, '+'), ACT_SCALE_UP);
			assert_int_equal(app_keymap(a, '-'), ACT_SCALE_DOWN);
			assert_int_equal(app_keymap(a, 's'), ACT_SAVE);
		}
	}
	a->screen = SCR_OVERVIEW;
	assert_int_equal(app_handle(a, ACT_QUIT), APP_QUIT);
	app_free(a);
}

/* No key means two things on one screen, and every action has a key and
 * a help line: the help screen (generated from the table) lists them. */
static void keymap_no_conflicts(void **state)
{
	static const unsigned bits[] = {W_OVERVIEW, W_DETAIL, W_TEXT, W_ADVICE};
	struct app *a = open_app();
	const char *const *lines;
	size_t i, j, n, b;
	int k, l;

	(void)state;
	for (b = 0; b < 4; b++)
		for (i = 0; i < app_nactions; i++)
			for (k = 0; k < 4 && app_actions[i].keys[k]; k++)
				for (j = i + 1; j < app_nactions; j++)
					for (l = 0; l < 4 && app_actions[j].keys[l]; l++)
						if ((app_actions[i].where & bits[b]) &&
						    (app_actions[j].where & bits[b]) &&
						    app_actions[i].keys[k] == app_actions[j].keys[l])
							fail_msg("key %d bound twice (actions %d and %d)",
								 app_actions[i].keys[k], app_actions[i].act,
								 app_actions[j].act);
	app_handle(a, ACT_HELP);
	assert_int_equal(a->screen, SCR_HELP);
	lines = app_text(a, &n);
	for (i = 0; i < app_nactions; i++) {
		bool found = false;

		assert_true(app_actions[i].keys[0] != 0);
		for (j = 0; j < n && !found; j++)
			found = strstr(lines[j], app_actions[i].help) != NULL;
		if (!found)
			fail_msg("help lacks '%s'", app_actions[i].help);
	}
	app_handle(a, ACT_HELP);
	assert_int_equal(a->screen, SCR_OVERVIEW);
	app_free(a);
}

/* ---- settings ---------------------------------------------------------- */

static void scale_keys(void **state)
{
	struct app *a = open_app();
	double base = a->base->bill->total;
	unsigned f;

	(void)state;
	f = app_handle(a, ACT_SCALE_UP);
	assert_true(f & APP_SIMULATE);
	assert_true(app_stale(a));
	app_settle(a);
	assert_true(a->latest->plan->scale == 1.25);
	assert_true(a->cur->bill->total > base);
	assert_saved_same(a);
	act(a, ACT_SCALE_DOWN);
	act(a, ACT_SCALE_DOWN);
	assert_true(a->latest->plan->scale == 0.8);
	assert_true(a->cur->bill->total < base);
	assert_saved_same(a);
	app_free(a);
}

static void plan_settings(void **state)
{
	struct app *a = open_app();

	(void)state;
	act(a, ACT_MODEL_NEXT);
	assert_string_not_equal(a->latest->plan->model->name, "aws/us-east-1");
	assert_saved_same(a);
	select_knob(a, "(plan)", "traffic growth");
	act(a, ACT_INC);
	assert_true(fabs(a->latest->plan->growth_per_month - 0.06) < 1e-12);
	act(a, ACT_GROW);
	assert_true(fabs(a->latest->plan->scale - 1.06) < 1e-9);
	assert_saved_same(a);
	select_knob(a, "(plan)", "free tier");
	act(a, ACT_INC);
	assert_int_equal(a->latest->plan->free_tier, FREE_ALWAYS);
	assert_saved_same(a);
	app_free(a);
}

static void function_settings(void **state)
{
	struct app *a = open_app();
	const struct function *f;

	(void)state;
	select_knob(a, "list", "memory");
	act(a, ACT_INC);
	f = &a->latest->plan->functions[0];
	assert_true(f->memory_mb == 768);
	assert_saved_same(a);
	select_knob(a, "list", "architecture");
	act(a, ACT_DEC);
	assert_int_equal(a->latest->plan->functions[0].arch, ARCH_X86_64);
	assert_saved_same(a);
	/* Reserved concurrency: none is the top; down from it starts near
	 * the peak concurrency. */
	select_knob(a, "list", "reserved conc.");
	act(a, ACT_DEC);
	assert_true(a->latest->plan->functions[0].reserved >= 1);
	assert_saved_same(a);
	act(a, ACT_INC);
	act(a, ACT_INC);
	act(a, ACT_INC);
	act(a, ACT_INC);
	select_knob(a, "order", "provisioned conc.");
	act(a, ACT_INC);
	assert_true(a->latest->plan->functions[1].provisioned == 3);
	assert_saved_same(a);
	select_knob(a, "list", "duration p50");
	act(a, ACT_INC);
	assert_true(a->latest->plan->functions[0].duration_p50_ms == 50);
	assert_saved_same(a);
	select_knob(a, "order", "duration");
	act(a, ACT_DEC);
	assert_true(a->latest->plan->functions[1].duration_p50_ms == 100);
	assert_saved_same(a);
	app_free(a);
}

static void table_settings(void **state)
{
	struct app *a = open_app();
	const struct table *t;

	(void)state;
	select_knob(a, "items", "read capacity");
	act(a, ACT_INC);
	assert_true(a->latest->plan->tables[0].rcu == 25);
	assert_saved_same(a);
	select_knob(a, "items", "auto scaling");
	act(a, ACT_INC);
	t = &a->latest->plan->tables[0];
	assert_true(t->autoscaling.on);
	assert_true(t->autoscaling.min == 5 && t->autoscaling.max == 250);
	assert_true(t->autoscaling.target == 0.7);
	assert_saved_same(a);
	select_knob(a, "items", "  target");
	act(a, ACT_INC);
	assert_true(fabs(a->latest->plan->tables[0].autoscaling.target - 0.75) < 1e-12);
	select_knob(a, "items", "  max");
	act(a, ACT_DEC);
	assert_saved_same(a);
	select_knob(a, "items", "hot key share");
	act(a, ACT_DEC);
	assert_true(a->latest->plan->tables[0].hot_key_share == 0.015);
	select_knob(a, "items", "table class");
	act(a, ACT_INC);
	assert_int_equal(a->latest->plan->tables[0].class, CLASS_STANDARD_IA);
	assert_saved_same(a);
	/* Mode switches remove and restore the provisioned settings,
	 * GSIs included. */
	select_knob(a, "items", "mode");
	act(a, ACT_INC);
	t = &a->latest->plan->tables[0];
	assert_int_equal(t->mode, MODE_ON_DEMAND);
	assert_saved_same(a);
	act(a, ACT_DEC);
	t = &a->latest->plan->tables[0];
	assert_int_equal(t->mode, MODE_PROVISIONED);
	assert_true(t->rcu == 20 && t->wcu == 5);
	assert_true(t->gsis[0].rcu == 5);
	assert_saved_same(a);
	select_knob(a, "orders", "mode");
	act(a, ACT_DEC);
	t = &a->latest->plan->tables[1];
	assert_int_equal(t->mode, MODE_PROVISIONED);
	assert_true(t->rcu >= 1 && t->wcu >= 1);
	assert_saved_same(a);
	app_free(a);
}

/* Each GSI's capacity and auto scaling: knobs that edit the tree, are
 * saved, and load back to the same numbers. */
static void gsi_settings(void **state)
{
	struct app *a = open_app();
	struct knob k[APP_MAX_KNOBS];
	const struct gsi *g;
	char path[128];
	struct err e = {0};
	struct plan *p;
	size_t n;

	(void)state;
	select_path(a, "items", "tables.items.gsis.by-tag.rcu");
	assert_true(act(a, ACT_INC) & APP_SIMULATE);
	assert_true(a->latest->plan->tables[0].gsis[0].rcu == 6);
	/* The knob shows the baseline's value; the change is listed. */
	n = app_knobs(a, a->sel, k, APP_MAX_KNOBS);
	assert_true(a->sel_knob < n);
	assert_true(k[a->sel_knob].changed);
	assert_string_equal(k[a->sel_knob].value, "6 RCU");
	assert_string_equal(k[a->sel_knob].base, "5 RCU");
	{
		char **ch = app_changes(a);

		assert_non_null(ch[0]);
		assert_string_equal(ch[0], "tables.items.gsis.by-tag.rcu: 5 -> 6");
		assert_null(ch[1]);
		app_strv_free(ch);
	}
	assert_saved_same(a);
	select_path(a, "items", "tables.items.gsis.by-tag.wcu");
	act(a, ACT_DEC);
	assert_true(a->latest->plan->tables[0].gsis[0].wcu == 4);
	/* Auto scaling on: min and max from the GSI's own capacity. */
	select_path(a, "items", "tables.items.gsis.by-tag.autoscaling");
	act(a, ACT_INC);
	g = &a->latest->plan->tables[0].gsis[0];
	assert_true(g->autoscaling.on);
	/* max: ten times the larger capacity (6), as documented. */
	assert_true(g->autoscaling.min == 4 && g->autoscaling.max == 60);
	assert_true(g->autoscaling.target == 0.7);
	assert_false(a->latest->plan->tables[0].autoscaling.on);
	select_path(a, "items", "tables.items.gsis.by-tag.autoscaling.target");
	act(a, ACT_INC);
	select_path(a, "items", "tables.items.gsis.by-tag.autoscaling.max");
	act(a, ACT_DEC);
	select_path(a, "items", "tables.items.gsis.by-tag.autoscaling.min");
	act(a, ACT_INC);
	g = &a->latest->plan->tables[0].gsis[0];
	assert_true(fabs(g->autoscaling.target - 0.75) < 1e-12);
	assert_true(g->autoscaling.max == 50 && g->autoscaling.min == 5);
	assert_saved_same(a);
	/* Saved and loaded back: the same numbers. */
	snprintf(path, sizeof path, "%s/gsi.yaml", tmpdir);
	assert_int_equal(app_save(a, path, &e), 0);
	assert_int_equal(plan_load(path, NULL, 0, NAN, &p, &e), 0);
	assert_int_equal(p->tables[0].ngsis, 1);
	assert_true(p->tables[0].gsis[0].rcu == 6 && p->tables[0].gsis[0].wcu == 4);
	assert_true(p->tables[0].gsis[0].autoscaling.on);
	assert_true(p->tables[0].gsis[0].autoscaling.min == 5);
	assert_true(p->tables[0].gsis[0].autoscaling.max == 50);
	assert_true(p->tables[0].gsis[0].autoscaling.target == g->autoscaling.target);
	plan_free(p);
	unlink(path);
	/* Typed values go through the plan's validation. */
	select_path(a, "items", "tables.items.gsis.by-tag.rcu");
	app_handle(a, ACT_EDIT);
	app_key(a, AK_CTRL('u'));
	type(a, "0\n");
	assert_int_equal(a->status_kind, ST_ERROR);
	assert_true(a->latest->plan->tables[0].gsis[0].rcu == 6);
	/* Off again: the auto scaling map is gone. */
	select_path(a, "items", "tables.items.gsis.by-tag.autoscaling");
	act(a, ACT_DEC);
	assert_false(a->latest->plan->tables[0].gsis[0].autoscaling.on);
	/* On demand: the GSI has no capacity to set. */
	select_knob(a, "items", "mode");
	act(a, ACT_INC);
	select_path(a, "items", "tables.items.gsis.by-tag.rcu");
	n = app_knobs(a, a->sel, k, APP_MAX_KNOBS);
	assert_false(k[a->sel_knob].enabled);
	assert_true(app_handle(a, ACT_INC) & APP_BEEP);
	assert_saved_same(a);
	app_free(a);
}

static void api_settings(void **state)
{
	struct app *a = open_app();
	const struct api *p;

	(void)state;
	select_knob(a, "web", "cache size");
	act(a, ACT_INC);
	assert_true(a->latest->plan->apis[0].cache_size_gb == 1.6);
	assert_saved_same(a);
	select_knob(a, "web", "cache hit ratio");
	act(a, ACT_INC);
	assert_true(fabs(a->latest->plan->apis[0].cache_hit_ratio - 0.35) < 1e-12);
	assert_saved_same(a);
	select_knob(a, "web", "stage rate");
	act(a, ACT_INC);
	assert_true(a->latest->plan->apis[0].throttle_rate == 60);
	assert_saved_same(a);
	select_knob(a, "web", "stage burst");
	act(a, ACT_DEC);
	assert_true(a->latest->plan->apis[0].throttle_burst == 80);
	/* The stage rate above the account's is no stage throttle at all. */
	select_knob(a, "api", "stage rate");
	assert_false(a->latest->plan->apis[1].has_throttle);
	act(a, ACT_DEC);
	p = &a->latest->plan->apis[1];
	assert_true(p->has_throttle && p->throttle_rate == 8000);
	act(a, ACT_INC);
	assert_true(a->latest->plan->apis[1].throttle_rate == 10000);
	act(a, ACT_INC);
	assert_false(a->latest->plan->apis[1].has_throttle);
	/* REST to HTTP drops the cache (HTTP APIs have none). */
	select_knob(a, "web", "type");
	act(a, ACT_INC);
	p = &a->latest->plan->apis[0];
	assert_int_equal(p->type, API_HTTP);
	assert_false(p->has_cache);
	assert_saved_same(a);
	app_free(a);
}

/* ---- history, errors, prompts ---------------------------------------------- */

static void undo_redo_reset(void **state)
{
	struct app *a = open_app();
	double base = a->base->bill->total, up;
	unsigned f;

	(void)state;
	act(a, ACT_SCALE_UP);
	up = a->cur->bill->total;
	select_knob(a, "list", "memory");
	act(a, ACT_INC);
	/* Undo shows a result already computed: no simulation. */
	f = app_handle(a, ACT_UNDO);
	assert_false(f & APP_SIMULATE);
	assert_true(a->cur->bill->total == up);
	f = app_handle(a, ACT_REDO);
	assert_false(f & APP_SIMULATE);
	assert_true(a->latest->plan->functions[0].memory_mb == 768);
	f = app_handle(a, ACT_RESET);
	assert_false(f & APP_SIMULATE);
	assert_ptr_equal(a->cur, a->base);
	assert_true(a->cur->bill->total == base);
	{
		char **ch = app_changes(a);

		assert_null(ch[0]);
		app_strv_free(ch);
	}
	act(a, ACT_UNDO);
	assert_true(a->latest->plan->functions[0].memory_mb == 768);
	app_free(a);
}

static void invalid_edit(void **state)
{
	struct app *a = open_app();
	struct app_plan *before = a->latest;

	(void)state;
	select_knob(a, "list", "memory");
	app_handle(a, ACT_EDIT);
	assert_int_equal(a->input, INPUT_LINE);
	app_key(a, AK_CTRL('u'));
	type(a, "99999\n");
	assert_int_equal(a->input, INPUT_NONE);
	assert_ptr_equal(a->latest, before);
	assert_int_equal(a->status_kind, ST_ERROR);
	assert_non_null(strstr(a->status, "memory_mb"));
	assert_true(a->nmessages >= 1);
	/* --set style edits go through the same validation. */
	app_handle(a, ACT_SET);
	type(a, "tables.items.rcu=lots\n");
	assert_ptr_equal(a->latest, before);
	assert_int_equal(a->status_kind, ST_ERROR);
	app_handle(a, ACT_SET);
	type(a, "functions.order.memory_mb=2048\n");
	assert_true(a->latest->plan->functions[1].memory_mb == 2048);
	assert_saved_same(a);
	app_free(a);
}

/* An assignment without a value is refused: the what-if would hold an
 * empty scalar and save it as "", which the loader rejects. "~" leaves
 * an optional setting out, and that saves and loads back. */
static void set_needs_value(void **state)
{
	static const char *const paths[] = {
		"apis.web.cache", "functions.list.calls", "tables.items.gsis", "apis.web.throttle",
		"tables.items.autoscaling", "functions.order.provisioned_concurrency",
	};
	struct app *a = open_app();
	struct app_plan *before = a->latest;
	char line[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		app_handle(a, ACT_SET);
		snprintf(line, sizeof line, "%s= \n", paths[i]);
		type(a, line);
		assert_ptr_equal(a->latest, before);
		assert_int_equal(a->status_kind, ST_ERROR);
		assert_non_null(strstr(a->status, "a value is needed"));
		assert_non_null(strstr(a->status, paths[i]));
		assert_int_equal(a->nundo, 0);
	}
	app_handle(a, ACT_SET);
	type(a, "apis.web.cache=~\n");
	assert_ptr_not_equal(a->latest, before);
	assert_false(a->latest->plan->apis[0].has_cache);
	assert_saved_same(a);
	app_free(a);
}

/* ':' takes several assignments, as the advice screen writes them: one
 * change (one undo step), validated together. */
static void set_several(void **state)
{
	struct app *a = open_app();
	struct app_plan *before = a->latest;
	char **v;
	int o = -1;
	size_t i;

	(void)state;
	v = app_split_assignments("functions.list.memory_mb=896 "
				  "functions.list.duration_ms={p50: 37.1429, p95: 148.571}  ");
	assert_string_equal(v[0], "functions.list.memory_mb=896");
	assert_string_equal(v[1], "functions.list.duration_ms={p50: 37.1429, p95: 148.571}");
	assert_null(v[2]);
	app_strv_free(v);
	v = app_split_assignments(" --set a.b=x y --set  c.by-tag.0=1 d=2 e.f=g=h");
	assert_string_equal(v[0], "a.b=x y");
	assert_string_equal(v[1], "c.by-tag.0=1");
	assert_string_equal(v[2], "d=2");
	assert_string_equal(v[3], "e.f=g=h");
	assert_null(v[4]);
	app_strv_free(v);
	/* A mode switch needs its capacities: alone it is refused. */
	app_handle(a, ACT_SET);
	type(a, "tables.orders.mode=provisioned tables.orders.rcu=1 tables.orders.wcu=4\n");
	assert_int_not_equal(a->status_kind, ST_ERROR);
	assert_int_equal(a->nundo, 1);
	for (i = 0; i < a->latest->plan->ntables; i++)
		if (!strcmp(a->latest->plan->tables[i].name, "orders"))
			o = (int)i;
	assert_true(o >= 0);
	assert_int_equal(a->latest->plan->tables[o].mode, MODE_PROVISIONED);
	assert_true(a->latest->plan->tables[o].rcu == 1);
	assert_true(a->latest->plan->tables[o].wcu == 4);
	assert_saved_same(a);
	type(a, "u");
	assert_ptr_equal(a->latest, before);
	/* Pasted with --set, a flow map with blanks in it. */
	app_handle(a, ACT_SET);
	type(a, "--set functions.list.memory_mb=896 --set functions.list.duration_ms={p50: 37.1429, "
		"p95: 148.571}\n");
	assert_int_not_equal(a->status_kind, ST_ERROR);
	assert_int_equal(a->nundo, 1);
	assert_true(a->latest->plan->functions[0].memory_mb == 896);
	assert_true(a->latest->plan->functions[0].duration_p95_ms == 148.571);
	assert_saved_same(a);
	/* One bad assignment refuses them all. */
	before = a->latest;
	app_handle(a, ACT_SET);
	type(a, "functions.list.memory_mb=1024 functions.list.memory_mb2=x tables.items.rcu=-1\n");
	assert_ptr_equal(a->latest, before);
	assert_int_equal(a->status_kind, ST_ERROR);
	app_free(a);
}

/* Edit 'path' of resource 'name' (Enter on the setting), typing 's'
 * (keys before it, e.g. arrows, in 'pre'). */
static void edit_knob(struct app *a, const char *name, const char *path, const int *pre,
		      const char *s)
{
	select_path(a, name, path);
	app_handle(a, ACT_EDIT);
	assert_int_equal(a->input, INPUT_LINE);
	assert_true(a->line_selected);
	for (; pre && *pre; pre++)
		app_key(a, *pre);
	type(a, s);
	assert_int_equal(a->input, INPUT_NONE);
}

/* Typing into a pre-filled value replaces it; arrows, Backspace and
 * Delete edit it. Settings shown in percent take percentages. */
static void typed_values(void **state)
{
	static const int left[] = {AK_LEFT, 0}, end_bs[] = {AK_HOME, AK_DELETE, AK_END, AK_BACKSPACE, 0};
	struct app *a = open_app();
	struct app_plan *before;
	int items = -1;
	size_t i;

	(void)state;
	/* 50 pre-filled, 20000 typed: 20000, not 5,020,000. */
	edit_knob(a, "web", "apis.web.throttle.rate", NULL, "20000\n");
	assert_true(a->latest->plan->apis[0].throttle_rate == 20000);
	/* Left keeps it and moves the cursor: 2000|0 -> 200050. */
	edit_knob(a, "web", "apis.web.throttle.rate", left, "5\n");
	assert_true(a->latest->plan->apis[0].throttle_rate == 200050);
	/* Delete and Backspace edit it: 200050 -> 0005 -> 5. */
	edit_knob(a, "web", "apis.web.throttle.rate", end_bs, "\n");
	assert_true(a->latest->plan->apis[0].throttle_rate == 5);
	/* Percentages where the screen shows them. */
	edit_knob(a, "web", "apis.web.cache.hit_ratio", NULL, "50%\n");
	assert_true(a->latest->plan->apis[0].cache_hit_ratio == 0.5);
	before = a->latest;
	edit_knob(a, "web", "apis.web.cache.hit_ratio", NULL, "0.35\n");
	assert_ptr_equal(a->latest, before);
	assert_int_equal(a->status_kind, ST_ERROR);
	assert_non_null(strstr(a->status, "ambiguous"));
	edit_knob(a, "web", "apis.web.cache.hit_ratio", NULL, "35\n");
	assert_ptr_equal(a->latest, before);
	assert_int_equal(a->status_kind, ST_ERROR);
	edit_knob(a, "items", "tables.items.hot_key_share", NULL, "1.5%\n");
	for (i = 0; i < a->latest->plan->ntables; i++)
		if (!strcmp(a->latest->plan->tables[i].name, "items"))
			items = (int)i;
	assert_true(a->latest->plan->tables[items].hot_key_share == 0.015);
	app_handle(a, ACT_SET);
	type(a, "tables.items.autoscaling={min: 5, max: 50}\n");
	edit_knob(a, "items", "tables.items.autoscaling.target", NULL, "60%\n");
	assert_true(a->latest->plan->tables[items].autoscaling.target == 0.6);
	edit_knob(a, "(plan)", "traffic.growth", NULL, "10%\n");
	assert_true(a->latest->plan->growth_per_month == 0.1);
	edit_knob(a, "(plan)", "traffic.growth", NULL, "12%/month\n");
	assert_true(a->latest->plan->growth_per_month == 0.12);
	before = a->latest;
	edit_knob(a, "(plan)", "traffic.growth", NULL, "10\n");
	assert_ptr_equal(a->latest, before);
	assert_int_equal(a->status_kind, ST_ERROR);
	assert_saved_same(a);
	app_free(a);
}

/* The saved file's comment names the command line's --set and --scale
 * (part of the baseline), so that its changes lead from the file. */
static void save_comment_command_line(void **state)
{
	const char *sets[] = {"functions.list.memory_mb=1024"};
	struct app_opts o = {PLAN, sets, 1, 2};
	struct err e = {0};
	struct app *a;
	char path[128], *buf;
	size_t len;

	(void)state;
	assert_int_equal(app_new(&o, &a, &e), 0);
	app_settle(a);
	act(a, ACT_SCALE_UP);
	snprintf(path, sizeof path, "%s/cl.yaml", tmpdir);
	assert_int_equal(app_save(a, path, &e), 0);
	assert_int_equal(yaml_read_file(path, &buf, &len, &e), 0);
	assert_non_null(strstr(buf, "# Baseline: the file with --set functions.list.memory_mb=1024 "
				    "--scale 2\n# Changes against it:\n#   traffic.scale: 2 -> 2.5\n"));
	free(buf);
	unlink(path);
	app_free(a);
}

/* The help's "next model" lists the models in the order m visits them. */
static void help_model_order(void **state)
{
	struct app *a = open_app();
	const char *help = NULL, *at;
	size_t i;

	(void)state;
	for (i = 0; i < app_nactions; i++)
		if (app_actions[i].act == ACT_MODEL_NEXT)
			help = app_actions[i].help;
	assert_non_null(help);
	at = help;
	for (i = 0; i < a->nmodels; i++) {
		const char *name, *hit;

		act(a, ACT_MODEL_NEXT);
		name = a->latest->plan->model->name;
		/* "aws/eu-west-1" is written "eu-west-1" after the first. */
		hit = strstr(at, i == 0 ? name : strchr(name, '/') + 1);
		assert_non_null(hit);
		at = hit + 1;
	}
	app_free(a);
}

/* A what-if that cannot be simulated (its trace is not a trace) cannot
 * be saved, and the figures of the what-if shown before are not shown
 * as its own. */
static void failed_whatif_not_saved(void **state)
{
	struct app *a = open_app();
	struct canvas *c = canvas_new(80, 24, true);
	struct sbuf out = {0}, base = {0};
	char *line;

	(void)state;
	app_handle(a, ACT_SET);
	type(a, "traffic.trace=shop.yaml\n");
	assert_non_null(a->failed);
	assert_ptr_equal(a->latest, a->failed);
	app_handle(a, ACT_SAVE);
	assert_int_equal(a->input, INPUT_NONE);
	assert_int_equal(a->status_kind, ST_ERROR);
	assert_non_null(strstr(a->status, "not saved"));
	assert_non_null(strstr(a->status, "u undoes it"));
	/* The totals: the what-if column is blank, the baseline's kept. */
	draw_app(c, a);
	canvas_dump(c, &out);
	fmt_money(&base, a->base->bill->total);
	line = strstr(out.buf, " TOTAL ");
	assert_non_null(line);
	*strchr(line, '\n') = '\0';
	assert_non_null(strstr(line, base.buf));
	assert_null(strstr(strstr(line, base.buf) + 1, base.buf));
	assert_non_null(strstr(out.buf, "what-if not simulated"));
	sbuf_free(&out);
	sbuf_free(&base);
	/* Undone, it saves again. */
	type(a, "u");
	app_handle(a, ACT_SAVE);
	assert_int_equal(a->input, INPUT_LINE);
	app_key(a, AK_ESC);
	canvas_free(c);
	app_free(a);
}

static void save_asks_before_overwriting(void **state)
{
	struct app *a = open_app();
	char path[128], *d;
	struct stat st;
	FILE *fp;

	(void)state;
	d = app_default_save_path(a);
	assert_string_equal(d, "tests/tui/plans/shop-whatif.yaml");
	free(d);
	act(a, ACT_SCALE_UP);
	/* The original plan: asks, and 'n' keeps it. */
	app_handle(a, ACT_SAVE);
	assert_int_equal(a->input, INPUT_LINE);
	app_key(a, AK_CTRL('u'));
	type(a, PLAN "\n");
	assert_int_equal(a->input, INPUT_CONFIRM);
	app_key(a, 'n');
	assert_int_equal(a->input, INPUT_NONE);
	assert_non_null(strstr(a->status, "not saved"));
	/* Another existing file: asks too; 'y' writes it. */
	snprintf(path, sizeof path, "%s/other.yaml", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("keep me\n", fp);
	fclose(fp);
	app_handle(a, ACT_SAVE);
	app_key(a, AK_CTRL('u'));
	type(a, path);
	app_key(a, '\n');
	assert_int_equal(a->input, INPUT_CONFIRM);
	app_key(a, 'y');
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 100);
	/* A new file: written at once. */
	unlink(path);
	app_handle(a, ACT_SAVE);
	app_key(a, AK_CTRL('u'));
	type(a, path);
	app_key(a, '\n');
	assert_int_equal(a->input, INPUT_NONE);
	assert_int_equal(stat(path, &st), 0);
	unlink(path);
	app_free(a);
}

/* Changes made while the baseline is still being simulated: the
 * baseline's figures still come first, and are the plan as loaded. */
static void edit_before_baseline(void **state)
{
	struct app_opts o = {PLAN, NULL, 0, NAN};
	struct err e = {0};
	struct app *a;
	struct app_job *j;
	struct plan *p;
	struct bill *b;

	(void)state;
	assert_int_equal(app_new(&o, &a, &e), 0);
	j = app_job_take(a);
	assert_non_null(j);
	assert_null(app_job_take(a));	/* one at a time */
	assert_true(app_handle(a, ACT_SCALE_UP) & APP_SIMULATE);
	app_job_run(j);
	assert_true(app_job_done(a, j) & APP_SIMULATE);
	app_settle(a);
	b = report_bill(PLAN, &p);
	assert_true(a->base->bill->total == b->total);
	assert_true(a->cur->bill->total > b->total);
	assert_true(a->latest->plan->scale == 1.25);
	bill_free(b);
	plan_free(p);
	app_free(a);
}

/* A month-long window: a change shows an estimate first (the first day,
 * projected and calibrated by the baseline's day and month), then the
 * exact month. tests/plans/estimate/daily.yaml is rate-only, busy by day.
 * The estimate of x1.25 traffic is within 0.5 % of the exact month, which
 * is what `costcap report` gives for the saved what-if; a plan with a
 * one-hour trace (shop.yaml) gets no estimate. */
static void estimate_then_exact(void **state)
{
	struct app_opts o = {"tests/plans/estimate/daily.yaml", NULL, 0, NAN};
	struct err e = {0};
	struct app *a;
	struct app_job *j;
	double est;

	(void)state;
	assert_int_equal(app_new(&o, &a, &e), 0);
	app_settle(a);
	assert_non_null(a->base);
	assert_non_null(a->base->first_day);
	assert_true(a->base->first_day->window_s == 86400);
	assert_false(a->base->estimate);
	assert_true(app_handle(a, ACT_SCALE_UP) & APP_SIMULATE);
	/* The estimate. */
	j = app_job_take(a);
	assert_non_null(j);
	app_job_run(j);
	assert_true(app_job_done(a, j) & APP_SIMULATE);
	assert_true(a->cur->estimate);
	assert_ptr_equal(a->cur->ap, a->latest);
	assert_true(app_stale(a));
	assert_null(a->cur->usage->fn_series);
	assert_true(a->cur->usage->window_s == MONTH_S);
	assert_non_null(strstr(a->status, "about"));
	assert_true(a->estimate_ms > 0);
	est = a->cur->bill->total;
	/* The exact month. */
	j = app_job_take(a);
	assert_non_null(j);
	app_job_run(j);
	assert_false(app_job_done(a, j) & APP_SIMULATE);
	assert_false(a->cur->estimate);
	assert_false(app_stale(a));
	assert_non_null(a->cur->usage->fn_series);
	assert_true(fabs(est - a->cur->bill->total) <= 0.005 * a->cur->bill->total);
	assert_true(a->cur->bill->total > a->base->bill->total);
	assert_saved_same(a);
	/* Undo shows the baseline at once; redo the exact what-if (never
	 * the estimate). */
	act(a, ACT_UNDO);
	assert_ptr_equal(a->cur, a->base);
	assert_false(app_stale(a));
	act(a, ACT_REDO);
	assert_false(a->cur->estimate);
	assert_false(app_stale(a));
	app_free(a);
	/* One hour of trace: no first day, so no estimate. */
	a = open_app();
	assert_null(a->base->first_day);
	app_handle(a, ACT_SCALE_UP);
	j = app_job_take(a);
	app_job_run(j);
	app_job_done(a, j);
	assert_false(a->cur->estimate);
	app_free(a);
}

/* R reloads the plan file as the new baseline; a broken file is
 * reported and changes nothing. */
static void reload_plan(void **state)
{
	char plan[128], csv[128];
	struct app_opts o = {plan, NULL, 0, NAN};
	struct err e = {0};
	struct app *a;
	FILE *fp;

	(void)state;
	snprintf(plan, sizeof plan, "%s/shop.yaml", tmpdir);
	snprintf(csv, sizeof csv, "%s/shop-hour.csv", tmpdir);
	copy_file(PLAN, plan, NULL, NULL);
	copy_file("tests/tui/plans/shop-hour.csv", csv, NULL, NULL);
	assert_int_equal(app_new(&o, &a, &e), 0);
	app_settle(a);
	act(a, ACT_SCALE_UP);
	copy_file(PLAN, plan, "memory_mb: 512", "memory_mb: 2048");
	/* The what-if differs from the baseline: R asks first; n keeps it. */
	act(a, ACT_RELOAD);
	assert_int_equal(a->input, INPUT_CONFIRM);
	app_key(a, 'n');
	assert_int_equal(a->input, INPUT_NONE);
	assert_true(a->latest->plan->scale == 1.25);
	assert_true(a->base->ap->plan->functions[0].memory_mb == 512);
	act(a, ACT_RELOAD);
	if (app_key(a, 'y') & APP_SIMULATE)
		app_settle(a);
	assert_true(a->base->ap->plan->functions[0].memory_mb == 2048);
	assert_true(a->latest->plan->scale == 1);
	assert_int_equal(a->nundo, 0);
	fp = fopen(plan, "a");
	assert_non_null(fp);
	fputs("bogus_key: 1\n", fp);
	fclose(fp);
	act(a, ACT_RELOAD);
	assert_int_equal(a->status_kind, ST_ERROR);
	assert_non_null(strstr(a->status, "bogus_key"));
	assert_true(a->base->ap->plan->functions[0].memory_mb == 2048);
	app_free(a);
	unlink(plan);
	unlink(csv);
}

/* ---- the advice screen -------------------------------------------------- */

/* Whether line 'want' (a substring) is among the screen's text lines. */
static bool text_has(struct app *a, const char *want)
{
	size_t n, i;
	const char *const *lines = app_text(a, &n);

	for (i = 0; i < n; i++)
		if (strstr(lines[i], want))
			return true;
	return false;
}

/* advise_run for the latest what-if, as `costcap advise` without Monte
 * Carlo. */
static struct advice *reference_advice(struct app *a)
{
	struct advise_opts o;
	struct advice *adv;
	struct trace *tr = NULL;
	struct err e = {0};

	if (a->latest->plan->trace)
		assert_int_equal(trace_load(a->latest->plan->trace, 0, &tr, &e), 0);
	advise_opts_default(&o);
	o.sections = ADVISE_ALL & ~(unsigned)ADVISE_MONTE_CARLO;
	assert_int_equal(advise_run(a->latest->plan, tr, &o, &adv, &e), 0);
	trace_free(tr);
	return adv;
}

/* 'a' opens the advice screen and asks for an advice job (and only
 * there); the job's advice is advise_run's for the same plan; progress
 * shows while it runs; it is kept for its what-if: a change made on the
 * screen asks for new advice (the old one shown dim meanwhile), undo
 * shows the kept one without a job; Esc and 'a' go back. */
static void advice_screen(void **state)
{
	struct app *a = open_app();
	struct canvas *c = canvas_new(80, 24, true);
	struct sbuf out = {0};
	struct app_advice_job *j;
	const struct app_advice *r;
	struct advice *ref;
	bool stale;
	unsigned f;
	size_t i;

	(void)state;
	assert_int_equal(app_keymap(a, 'a'), ACT_ADVICE);
	assert_null(app_advice_job_take(a));	/* not on the advice screen */
	a->sel = find_row(a, "items");
	app_handle(a, ACT_OPEN);
	f = app_handle(a, ACT_ADVICE);
	assert_int_equal(a->screen, SCR_ADVICE);
	assert_true(f & APP_ADVISE);
	assert_false(f & APP_SIMULATE);
	j = app_advice_job_take(a);
	assert_non_null(j);
	assert_true(a->advising);
	assert_null(app_advice_job_take(a));	/* one at a time */
	/* While it runs: progress, and keys keep working. */
	assert_true(text_has(a, "Computing advice for the baseline"));
	draw_app(c, a);
	canvas_dump(c, &out);
	assert_non_null(strstr(out.buf, "advising"));
	sbuf_free(&out);
	app_handle(a, ACT_DOWN);
	app_advice_job_run(j);
	f = app_advice_job_done(a, j);
	assert_false(a->advising);
	assert_false(f & APP_ADVISE);
	r = app_advice_shown(a, &stale);
	assert_non_null(r);
	assert_false(stale);
	assert_non_null(r->adv);
	assert_null(r->errors);
	/* The very advice of advise_run for the plan. */
	ref = reference_advice(a);
	assert_true(ref->baseline_total == r->adv->baseline_total);
	assert_true(fabs(r->adv->baseline_total - a->cur->bill->total) < 0.005);
	assert_int_equal(ref->n, r->adv->n);
	for (i = 0; i < ref->n; i++)
		assert_string_equal(ref->items[i].message, r->adv->items[i].message);
	assert_int_equal(ref->headroom.first, r->adv->headroom.first);
	assert_true(r->adv->headroom.first >= 0);
	assert_true(ref->headroom.rows[ref->headroom.first].scale ==
		    r->adv->headroom.rows[r->adv->headroom.first].scale);
	assert_int_equal(ref->projection.start_month, r->adv->projection.start_month);
	assert_false(r->adv->has_mc);
	advice_free(ref);
	/* Its lines: report_advice_panel's. */
	assert_true(text_has(a, "Advice for the baseline"));
	assert_true(text_has(a, "first limit: items (dynamodb) at x"));
	assert_true(text_has(a, "throttling passes the target in month 1"));
	assert_true(text_has(a, "Headroom: "));
	assert_true(text_has(a, "Projection: 12 months"));
	draw_app(c, a);
	canvas_dump(c, &out);
	assert_non_null(strstr(out.buf, "first limit"));
	sbuf_free(&out);
	/* A change on the advice screen: figures and advice again. */
	f = app_handle(a, ACT_SCALE_UP);
	assert_true(f & APP_SIMULATE);
	assert_true(f & APP_ADVISE);
	app_settle(a);
	r = app_advice_shown(a, &stale);
	assert_true(stale);
	assert_true(text_has(a, "~#Advice for the baseline"));
	assert_true(text_has(a, "No advice for the what-if (traffic.scale: "));
	j = app_advice_job_take(a);
	assert_non_null(j);
	assert_true(text_has(a, "Computing advice for the what-if"));
	app_advice_job_run(j);
	app_advice_job_done(a, j);
	r = app_advice_shown(a, &stale);
	assert_false(stale);
	assert_true(fabs(r->adv->baseline_total - a->cur->bill->total) < 0.005);
	assert_true(text_has(a, "Advice for the what-if (traffic.scale: "));
	/* Undo: the baseline's advice is kept, shown without a job. */
	f = app_handle(a, ACT_UNDO);
	assert_false(f & APP_ADVISE);
	assert_null(app_advice_job_take(a));
	r = app_advice_shown(a, &stale);
	assert_false(stale);
	assert_true(text_has(a, "Advice for the baseline"));
	/* Back to the screen it was opened from; 'a' toggles. */
	app_handle(a, ACT_BACK);
	assert_int_equal(a->screen, SCR_DETAIL);
	app_handle(a, ACT_ADVICE);
	assert_int_equal(a->screen, SCR_ADVICE);
	app_handle(a, ACT_HELP);
	app_handle(a, ACT_BACK);
	assert_int_equal(a->screen, SCR_ADVICE);
	app_handle(a, ACT_ADVICE);
	assert_int_equal(a->screen, SCR_DETAIL);
	/* Elsewhere, changes ask for no advice. */
	f = app_handle(a, ACT_SCALE_DOWN);
	assert_false(f & APP_ADVISE);
	app_settle(a);
	assert_null(app_advice_job_take(a));
	canvas_free(c);
	app_free(a);
}

/* Advice that cannot be computed (the trace is gone) is an error on the
 * screen and in the status line, kept for its what-if: no loop of jobs,
 * no crash. */
static void advice_failure(void **state)
{
	char plan[128], csv[128];
	struct app_opts o = {plan, NULL, 0, NAN};
	struct err e = {0};
	const struct app_advice *r;
	struct app *a;
	bool stale;
	unsigned f;

	(void)state;
	snprintf(plan, sizeof plan, "%s/shop.yaml", tmpdir);
	snprintf(csv, sizeof csv, "%s/shop-hour.csv", tmpdir);
	copy_file(PLAN, plan, NULL, NULL);
	copy_file("tests/tui/plans/shop-hour.csv", csv, NULL, NULL);
	assert_int_equal(app_new(&o, &a, &e), 0);
	app_settle(a);
	unlink(csv);
	f = app_handle(a, ACT_ADVICE);
	assert_true(f & APP_ADVISE);
	app_advice_settle(a);
	r = app_advice_shown(a, &stale);
	assert_non_null(r);
	assert_false(stale);
	assert_null(r->adv);
	assert_non_null(r->errors);
	assert_non_null(r->errors[0]);
	assert_int_equal(a->status_kind, ST_ERROR);
	assert_true(text_has(a, "could not be computed"));
	assert_null(app_advice_job_take(a));
	app_handle(a, ACT_BACK);
	assert_int_equal(a->screen, SCR_OVERVIEW);
	app_free(a);
	unlink(plan);
}

/* Every screen draws at 80x24 and 200x60 and shows the figures. */
static void draw_screens(void **state)
{
	struct app *a = open_app();
	struct canvas *c = canvas_new(80, 24, true);
	struct sbuf out = {0}, total = {0};

	(void)state;
	draw_app(c, a);
	canvas_dump(c, &out);
	fmt_money(&total, a->cur->bill->total);
	assert_non_null(strstr(out.buf, total.buf));
	sbuf_free(&total);
	sbuf_free(&out);
	a->sel = find_row(a, "items");
	app_handle(a, ACT_OPEN);
	draw_app(c, a);
	canvas_dump(c, &out);
	assert_non_null(strstr(out.buf, "read units/s"));
	sbuf_free(&out);
	canvas_resize(c, 200, 60);
	app_handle(a, ACT_ZOOM_IN);
	app_handle(a, ACT_PAN_RIGHT);
	draw_app(c, a);
	app_handle(a, ACT_HELP);
	draw_app(c, a);
	canvas_resize(c, 40, 10);
	draw_app(c, a);
	canvas_dump(c, &out);
	assert_non_null(strstr(out.buf, "needs 80x24"));
	sbuf_free(&out);
	canvas_free(c);
	app_free(a);
}

/* The attribute of the first cell of 'text' on the canvas (-1: absent). */
static int attr_of(struct canvas *c, const char *text)
{
	struct sbuf out = {0};
	char *hit, *nl;
	int x, y = 0, at = -1;

	canvas_dump(c, &out);
	hit = strstr(out.buf, text);
	if (hit) {
		for (nl = out.buf; (nl = strchr(nl, '\n')) && nl < hit; nl++)
			y++;
		for (nl = hit; nl > out.buf && nl[-1] != '\n'; nl--)
			;
		/* Columns: count code points (the title bar has multi-byte ones). */
		for (x = 0; nl < hit; nl++)
			if ((*nl & 0xc0) != 0x80)
				x++;
		at = canvas_at(c, x, y)->attr;
	}
	sbuf_free(&out);
	return at;
}

/* The overview at 80x24: changes that do not fit say how many more
 * there are; an estimate's VS BASE and THROTTLE are dimmed like its other
 * figures; the too-small notice is not wrapped before it must be. */
static void draw_details(void **state)
{
	struct app *a = open_app();
	struct canvas *c = canvas_new(80, 24, true);
	struct sbuf out = {0};

	(void)state;
	app_handle(a, ACT_SET);
	type(a, "functions.list.memory_mb=1024 functions.order.memory_mb=2048 "
		"functions.list.arch=x86_64 functions.order.arch=arm64 tables.items.storage_gb=6 "
		"tables.items.wcu=10 apis.web.throttle.rate=60\n");
	assert_int_equal(a->nundo, 1);
	draw_app(c, a);
	canvas_dump(c, &out);
	assert_non_null(strstr(out.buf, "What-if changes (7):"));
	assert_non_null(strstr(out.buf, "+3 more (s saves them all)"));
	sbuf_free(&out);
	/* The same what-if as an estimate: every figure of it dimmed. */
	a->sel = find_row(a, "orders");
	draw_app(c, a);
	assert_int_equal(attr_of(c, "+$"), CA_BAD);
	assert_int_equal(attr_of(c, "21.018%"), CA_BAD);
	a->cur->estimate = true;
	draw_app(c, a);
	assert_int_equal(attr_of(c, "+$"), CA_DIM);
	assert_int_equal(attr_of(c, "21.018%"), CA_DIM);
	a->cur->estimate = false;
	canvas_resize(c, 70, 20);
	draw_app(c, a);
	canvas_dump(c, &out);
	assert_non_null(strstr(out.buf, "costcap tui needs 80x24 (now 70x20): enlarge the window; q quits"));
	sbuf_free(&out);
	canvas_free(c);
	app_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keymap_fixed_keys),
		cmocka_unit_test(keymap_no_conflicts),
		cmocka_unit_test(scale_keys),
		cmocka_unit_test(plan_settings),
		cmocka_unit_test(function_settings),
		cmocka_unit_test(table_settings),
		cmocka_unit_test(gsi_settings),
		cmocka_unit_test(api_settings),
		cmocka_unit_test(undo_redo_reset),
		cmocka_unit_test(invalid_edit),
		cmocka_unit_test(set_needs_value),
		cmocka_unit_test(set_several),
		cmocka_unit_test(typed_values),
		cmocka_unit_test(failed_whatif_not_saved),
		cmocka_unit_test(save_comment_command_line),
		cmocka_unit_test(help_model_order),
		cmocka_unit_test(save_asks_before_overwriting),
		cmocka_unit_test(edit_before_baseline),
		cmocka_unit_test(estimate_then_exact),
		cmocka_unit_test(reload_plan),
		cmocka_unit_test(advice_screen),
		cmocka_unit_test(advice_failure),
		cmocka_unit_test(draw_screens),
		cmocka_unit_test(draw_details),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
