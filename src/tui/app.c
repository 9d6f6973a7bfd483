#include "app.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../core/advise.h"
#include "../core/sim.h"
#include "../core/trace.h"
#include "../io/atomic.h"
#include "../io/model_load.h"
#include "../io/paths.h"
#include "../io/plan_load.h"
#include "../io/trace_csv.h"
#include "../io/yaml.h"
#include "../report/report.h"
#include "knob.h"
#include "tree.h"

/* ---- the action table ------------------------------------------------ */

#define W_EDIT (W_OVERVIEW | W_DETAIL | W_ADVICE)

const struct app_action app_actions[] = {
	{ACT_HELP, {'?', AK_F1}, "? F1", W_ALL, "show this help; again to leave it", "Help"},
	{ACT_QUIT, {'q'}, "q", W_ALL, "quit (the what-if is kept only if saved)", "Quit"},
	{ACT_REDRAW, {AK_CTRL('l')}, "^L", W_ALL, "repaint the screen", NULL},
	{ACT_MESSAGES, {'!'}, "!", W_ALL, "list every problem of the last failed change", NULL},
	{ACT_UP, {AK_UP, 'k'}, "\xe2\x86\x91 k", W_ALL, "move up (or scroll)", NULL},
	{ACT_DOWN, {AK_DOWN, 'j'}, "\xe2\x86\x93 j", W_ALL, "move down (or scroll)", NULL},
	{ACT_PGUP, {AK_PGUP, AK_CTRL('b')}, "PgUp ^B", W_ALL, "one page up", NULL},
	{ACT_PGDN, {AK_PGDN, AK_CTRL('f'), ' '}, "PgDn ^F Space", W_ALL, "one page down", NULL},
	{ACT_HOME, {AK_HOME, 'g'}, "Home g", W_ALL, "to the first line", NULL},
	{ACT_END, {AK_END, 'G'}, "End G", W_ALL, "to the last line", NULL},
	{ACT_BACK, {AK_ESC, AK_BACKSPACE, 127, 'o'}, "Esc BS o", W_DETAIL | W_TEXT | W_ADVICE,
	 "back (to the overview, or the screen the advice or help was opened from)", "Back"},
	{ACT_SCALE_UP, {'+', '='}, "+ =", W_EDIT,
	 "scale all traffic up (traffic.scale: 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, ...)", "Scale+"},
	{ACT_SCALE_DOWN, {'-', '_'}, "- _", W_EDIT, "scale all traffic down", "Scale-"},
	{ACT_GROW, {'>'}, ">", W_EDIT, "one month of traffic.growth ahead: scale x (1 + growth)", NULL},
	{ACT_SHRINK, {'<'}, "<", W_EDIT, "one month of growth back: scale / (1 + growth)", NULL},
	{ACT_MODEL_NEXT, {'m'}, "m", W_EDIT,
	 "price with the next model (region), in name order: aws/ap-southeast-1, eu-central-1, "
	 "eu-west-1, us-east-1, then the first again", "Model"},
	{ACT_MODEL_PREV, {'M'}, "M", W_EDIT, "price with the previous model", NULL},
	{ACT_SET, {':'}, ":", W_EDIT, "set any plan value, as with --set: path=value", NULL},
	{ACT_UNDO, {'u'}, "u", W_EDIT, "undo the last change", "Undo"},
	{ACT_REDO, {AK_CTRL('r'), 'U'}, "^R U", W_EDIT, "redo what was undone", NULL},
	{ACT_RESET, {'r'}, "r", W_EDIT, "reset the what-if to the baseline (u brings it back)", "Reset"},
	{ACT_SAVE, {'s'}, "s", W_EDIT,
	 "save the what-if as a plan file (asks before overwriting any file)", "Save"},
	{ACT_RELOAD, {'R'}, "R", W_EDIT,
	 "reload the plan file as the new baseline (drops the what-if)", NULL},
	{ACT_OPEN, {'\n', '\r', AK_RIGHT, 'l'}, "Enter \xe2\x86\x92 l", W_OVERVIEW,
	 "open the selected row: its settings, line items and charts", "Open"},
	{ACT_INC, {AK_RIGHT, 'l'}, "\xe2\x86\x92 l", W_DETAIL,
	 "increase the selected setting (or its next choice)", "Change"},
	{ACT_DEC, {AK_LEFT, 'h'}, "\xe2\x86\x90 h", W_DETAIL,
	 "decrease the selected setting (or its previous choice)", NULL},
	{ACT_EDIT, {'\n', '\r', 'e'}, "Enter e", W_DETAIL, "type a value for the selected setting",
	 "Edit"},
	{ACT_NEXT_RES, {'\t', 'n'}, "Tab n", W_DETAIL, "next resource", NULL},
	{ACT_PREV_RES, {AK_BTAB, 'p'}, "S-Tab p", W_DETAIL, "previous resource", NULL},
	{ACT_ZOOM_IN, {'z'}, "z", W_DETAIL, "zoom the charts in (half the time span)", "Zoom"},
	{ACT_ZOOM_OUT, {'Z', 'x'}, "Z x", W_DETAIL, "zoom the charts out", NULL},
	{ACT_PAN_LEFT, {'['}, "[", W_DETAIL, "move the charts back in time", NULL},
	{ACT_PAN_RIGHT, {']'}, "]", W_DETAIL, "move the charts forward in time", NULL},
	{ACT_CHARTS, {'c'}, "c", W_DETAIL, "show the next charts when they do not all fit", NULL},
	{ACT_ADVICE, {'a'}, "a", W_ALL,
	 "advice for the what-if (memory, architecture, concurrency, table capacity, hot keys, "
	 "API type and cache), the first limit you hit, 12 months ahead; again to leave it",
	 "Advice"},
};
const size_t app_nactions = sizeof app_actions / sizeof app_actions[0];

static unsigned screen_bit(const struct app *a)
{
	switch (a->screen) {
	case SCR_OVERVIEW:
		return W_OVERVIEW;
	case SCR_DETAIL:
		return W_DETAIL;
	case SCR_ADVICE:
		return W_ADVICE;
	default:
		return W_TEXT;
	}
}

enum action app_keymap(const struct app *a, int key)
{
	unsigned bit = screen_bit(a);
	size_t i;
	int k;

	for (i = 0; i < app_nactions; i++) {
		if (!(app_actions[i].where & bit))
			continue;
		for (k = 0; k < 4 && app_actions[i].keys[k]; k++)
			if (app_actions[i].keys[k] == key)
				return app_actions[i].act;
	}
	return ACT_NONE;
}

/* ---- small helpers ----------------------------------------------------- */

static void set_status(struct app *a, enum status_kind k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_status(struct app *a, enum status_kind k, const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;

	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(a->status);
	a->status = sbuf_take(&b);
	a->status_kind = k;
}

static void strv_add(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 2) * sizeof **v);
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

void app_strv_free(char **v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

static void clear_messages(struct app *a)
{
	size_t i;

	for (i = 0; i < a->nmessages; i++)
		free(a->messages[i]);
	free(a->messages);
	a->messages = NULL;
	a->nmessages = 0;
}

/* Shows the problems in 'e' (and clears it): the first in the status
 * line, all of them on the messages screen. Values the TUI set have no
 * position; the loader names them "--set", shown here as "what-if". */
static void show_errors(struct app *a, const char *what, struct err *e)
{
	size_t i;

	clear_messages(a);
	for (i = 0; i < e->n; i++) {
		char *s;

		if (e->v[i].file && strcmp(e->v[i].file, PLAN_SET_FILE) == 0)
			s = xstrdup(e->v[i].msg);
		else
			s = err_format(e, i);
		strv_add(&a->messages, &a->nmessages, s);
	}
	if (a->nmessages == 0)
		strv_add(&a->messages, &a->nmessages, xstrdup("unknown problem"));
	if (a->nmessages > 1)
		set_status(a, ST_ERROR, "%s%s%s (+%zu more: press !)", what ? what : "",
			   what ? ": " : "", a->messages[0], a->nmessages - 1);
	else
		set_status(a, ST_ERROR, "%s%s%s", what ? what : "", what ? ": " : "", a->messages[0]);
	err_clear(e);
}

double app_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static char *money(double usd)
{
	struct sbuf b = {0};

	fmt_money(&b, usd);
	return sbuf_take(&b);
}

static char *signed_money(double usd)
{
	struct sbuf b = {0};

	if (usd >= 0.005)
		sbuf_addc(&b, '+');
	fmt_money(&b, usd);
	return sbuf_take(&b);
}

/* ---- shared plans and results ----------------------------------------- */

static struct app_plan *ap_new(struct ynode *tree, struct plan *p, const char *label)
{
	struct app_plan *ap = xcalloc(1, sizeof *ap);

	ap->tree = tree;
	ap->plan = p;
	ap->label = xstrdup(label ? label : "");
	ap->refs = 1;
	return ap;
}

static struct app_plan *ap_ref(struct app_plan *ap)
{
	if (ap)
		ap->refs++;
	return ap;
}

static void ap_unref(struct app_plan *ap)
{
	if (!ap || --ap->refs > 0)
		return;
	ynode_free(ap->tree);
	plan_free(ap->plan);
	free(ap->label);
	free(ap);
}

static struct app_result *res_ref(struct app_result *r)
{
	if (r)
		r->refs++;
	return r;
}

static void res_unref(struct app_result *r)
{
	if (!r || --r->refs > 0)
		return;
	ap_unref(r->ap);
	usage_free(r->usage);
	usage_free(r->first_day);
	bill_free(r->bill);
	free(r);
}

static void advice_entry_free(struct app_advice *r)
{
	if (!r)
		return;
	ap_unref(r->ap);
	advice_free(r->adv);
	app_strv_free(r->errors);
	free(r);
}

static void set_cur(struct app *a, struct app_result *r)
{
	res_ref(r);
	res_unref(a->cur);
	a->cur = r;
}

static void cache_add(struct app *a, struct app_result *r)
{
	size_t i, n = sizeof a->cache / sizeof a->cache[0];

	for (i = 0; i < n; i++)
		if (a->cache[i] == r)
			return;
	res_unref(a->cache[n - 1]);
	memmove(&a->cache[1], &a->cache[0], (n - 1) * sizeof a->cache[0]);
	a->cache[0] = res_ref(r);
}

static void stack_push(struct app_plan ***v, size_t *n, size_t *cap, struct app_plan *ap)
{
	/* Keep at most 200 steps of history. */
	if (*n == 200) {
		ap_unref((*v)[0]);
		memmove(&(*v)[0], &(*v)[1], (*n - 1) * sizeof **v);
		(*n)--;
	}
	xgrow(v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = ap;
}

static void stack_clear(struct app_plan **v, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		ap_unref(v[i]);
	*n = 0;
}

char **app_changes(const struct app *a)
{
	char **v = xcalloc(1, sizeof *v);
	size_t n = 0;

	tree_diff(&v, &n, "", a->base_ap->tree, a->latest->tree);
	return v;
}


/* ---- loading ------------------------------------------------------------- */

/* Reads the plan file and applies the --set assignments and --scale to
 * its tree. Returns 0 with the tree, or -1 with problems in 'e'. */
static int read_tree(struct app *a, struct ynode **out, struct err *e)
{
	char *buf;
	size_t len, i, start = e->n;
	struct ynode *root = NULL;
	const char *path = a->path ? a->path : a->file;

	*out = NULL;
	if (yaml_read_file(path, &buf, &len, e) < 0)
		return -1;
	if (yaml_load_buffer(a->file, buf, len, &root, e) < 0) {
		free(buf);
		return -1;
	}
	free(buf);
	if (root && root->kind == YNODE_MAP) {
		for (i = 0; i < a->nsets; i++)
			plan_apply_set(root, a->sets[i], e);
		if (!isnan(a->scale)) {
			char v[48];

			tree_num_text(v, sizeof v, a->scale);
			tree_set_str(root, "traffic.scale", v);
		}
	}
	if (e->n > start) {
		ynode_free(root);
		return -1;
	}
	*out = root;
	return 0;
}

static void load_models(struct app *a, const char *current)
{
	struct err e = {0};
	char **names = NULL;
	size_t i;
	bool have = false;

	if (model_list(&names, &e) == 0) {
		for (i = 0; names[i]; i++) {
			have |= strcmp(names[i], current) == 0;
			strv_add(&a->models, &a->nmodels, names[i]);
		}
		free(names);
	}
	err_clear(&e);
	if (!have)
		strv_add(&a->models, &a->nmodels, xstrdup(current));
}

int app_new(const struct app_opts *o, struct app **out, struct err *e)
{
	struct app *a = xcalloc(1, sizeof *a);
	struct ynode *tree;
	struct plan *p;
	size_t i;

	*out = NULL;
	if (o->path) {
		a->path = xstrdup(o->path);
		a->file = xstrdup(o->path);
		a->dir = paths_dirname(o->path);
	} else {
		a->file = paths_join(paths_data_dir(), "example.yaml");
		a->dir = xstrdup(paths_data_dir());
	}
	for (i = 0; i < o->nsets; i++)
		strv_add(&a->sets, &a->nsets, xstrdup(o->sets[i]));
	a->scale = o->scale;
	a->view_s = 0;
	a->page_rows = 10;
	tree = NULL;
	if (read_tree(a, &tree, e) < 0 || plan_from_tree(tree, a->file, a->dir, NAN, &p, e) < 0) {
		ynode_free(tree);
		if (!e->n)
			err_add(e, a->file, 0, 0, "cannot load the plan");
		app_free(a);
		return -1;
	}
	a->latest = ap_new(tree, p, "baseline");
	a->base_ap = ap_ref(a->latest);
	load_models(a, p->model_name);
	set_status(a, ST_INFO, "simulating the baseline%s", p->trace ? "" : " (one 730-hour month)");
	*out = a;
	return 0;
}

void app_free(struct app *a)
{
	size_t i;

	if (!a)
		return;
	res_unref(a->base);
	res_unref(a->cur);
	ap_unref(a->base_ap);
	for (i = 0; i < sizeof a->cache / sizeof a->cache[0]; i++)
		res_unref(a->cache[i]);
	ap_unref(a->latest);
	stack_clear(a->undo, &a->nundo);
	stack_clear(a->redo, &a->nredo);
	free(a->undo);
	free(a->redo);
	for (i = 0; i < a->nmodels; i++)
		free(a->models[i]);
	free(a->models);
	for (i = 0; i < a->nsets; i++)
		free(a->sets[i]);
	free(a->sets);
	trace_free(a->trace);
	free(a->trace_path);
	free(a->status);
	clear_messages(a);
	app_strv_free(a->text);
	ap_unref(a->failed);
	free(a->pending_label);
	free(a->prompt);
	sbuf_free(&a->line);
	free(a->prompt_path);
	free(a->saved_path);
	free(a->path);
	free(a->file);
	free(a->dir);
	for (i = 0; i < APP_ADVICE_CACHE; i++)
		advice_entry_free(a->advice[i]);
	ap_unref(a->advising_ap);
	free(a);
}

/* ---- views --------------------------------------------------------------- */

const struct plan *app_shown_plan(const struct app *a)
{
	return a->cur ? a->cur->ap->plan : a->latest->plan;
}

size_t app_nrows(const struct app *a)
{
	const struct plan *p = app_shown_plan(a);

	return 1 + p->napis + p->nfunctions + p->ntables;
}

struct app_row app_row(const struct app *a, size_t i)
{
	const struct plan *p = app_shown_plan(a);
	struct app_row r = {ROW_PLAN, 0, p->name};

	if (i == 0)
		return r;
	i--;
	if (i < p->napis) {
		r.kind = ROW_API;
		r.index = i;
		r.name = p->apis[i].name;
		return r;
	}
	i -= p->napis;
	if (i < p->nfunctions) {
		r.kind = ROW_FUNCTION;
		r.index = i;
		r.name = p->functions[i].name;
		return r;
	}
	i -= p->nfunctions;
	r.kind = ROW_TABLE;
	r.index = i < p->ntables ? i : 0;
	r.name = p->ntables ? p->tables[r.index].name : "";
	return r;
}

int app_row_index(const struct plan *p, const struct app_row *row)
{
	switch (row->kind) {
	case ROW_API:
		return plan_find_api(p, row->name);
	case ROW_FUNCTION:
		return plan_find_function(p, row->name);
	case ROW_TABLE:
		return plan_find_table(p, row->name);
	default:
		return -1;
	}
}

const struct bill_resource *app_row_bill(const struct app_result *r, const struct app_row *row)
{
	const struct plan *p;
	int i;
	size_t k;

	if (!r || row->kind == ROW_PLAN)
		return NULL;
	p = r->ap->plan;
	if ((i = app_row_index(p, row)) < 0)
		return NULL;
	k = (size_t)i;
	if (row->kind == ROW_FUNCTION)
		k += p->napis;
	else if (row->kind == ROW_TABLE)
		k += p->napis + p->nfunctions;
	return k < r->bill->n ? &r->bill->res[k] : NULL;
}

const struct series *app_row_series(const struct app_result *r, const struct app_row *row)
{
	const struct usage *u;
	int i;

	if (!r || row->kind == ROW_PLAN)
		return NULL;
	u = r->usage;
	if ((i = app_row_index(r->ap->plan, row)) < 0)
		return NULL;
	switch (row->kind) {
	case ROW_API:
		return u->api_series ? &u->api_series[i] : NULL;
	case ROW_FUNCTION:
		return u->fn_series ? &u->fn_series[i] : NULL;
	case ROW_TABLE:
		return u->table_series ? &u->table_series[i] : NULL;
	default:
		return NULL;
	}
}

bool app_stale(const struct app *a)
{
	return !a->cur || a->cur->ap != a->latest || a->cur->estimate;
}

/* ---- edits ----------------------------------------------------------------- */

/* The status line after figures arrive for edit 'label'. */
static void status_figures(struct app *a, const char *label)
{
	char *t, *d;

	if (!a->cur || !a->base)
		return;
	t = money(a->cur->bill->total);
	d = signed_money(a->cur->bill->total - a->base->bill->total);
	if (a->cur == a->base || a->cur->ap->tree == a->base->ap->tree)
		set_status(a, ST_INFO, "%s: total %s (the baseline)", label, t);
	else
		set_status(a, ST_INFO, "%s: total %s (%s vs baseline)", label, t, d);
	free(t);
	free(d);
}

/* Makes a->latest current: shows a known result at once, or asks for a
 * simulation. */
static unsigned install_latest(struct app *a, const char *label)
{
	struct app_result *found = NULL;
	size_t i;

	if (a->base && tree_equal(a->base->ap->tree, a->latest->tree))
		found = a->base;
	for (i = 0; !found && i < sizeof a->cache / sizeof a->cache[0]; i++)
		if (a->cache[i] && tree_equal(a->cache[i]->ap->tree, a->latest->tree))
			found = a->cache[i];
	if (found) {
		if (found->ap != a->latest) {
			ap_unref(a->latest);
			a->latest = ap_ref(found->ap);
		}
		set_cur(a, found);
		status_figures(a, label);
		return APP_REDRAW;
	}
	free(a->pending_label);
	a->pending_label = xstrdup(label);
	set_status(a, ST_INFO, "%s: simulating\xe2\x80\xa6", label);
	return APP_REDRAW | APP_SIMULATE;
}

/* Makes 'tree' (owned) the new what-if, after validating it. */
static unsigned commit(struct app *a, struct ynode *tree, const char *label)
{
	struct err e = {0};
	struct plan *p;

	if (tree_equal(tree, a->latest->tree)) {
		ynode_free(tree);
		set_status(a, ST_INFO, "%s: no change", label);
		return APP_REDRAW;
	}
	if (plan_from_tree(tree, a->file, a->dir, NAN, &p, &e) < 0) {
		ynode_free(tree);
		show_errors(a, label, &e);
		return APP_REDRAW | APP_BEEP;
	}
	stack_push(&a->undo, &a->nundo, &a->capundo, a->latest);
	stack_clear(a->redo, &a->nredo);
	a->latest = ap_new(tree, p, label);
	return install_latest(a, label);
}

/* Steps (or sets, with 'typed') setting number 'ki' of row 'rowi'. */
static unsigned change_knob(struct app *a, size_t rowi, size_t ki, int dir, const char *typed)
{
	struct knob k[APP_MAX_KNOBS];
	size_t n = app_knobs(a, rowi, k, APP_MAX_KNOBS);
	struct app_row row = app_row(a, rowi);
	struct ynode *tree;
	char label[600];
	int rc;

	if (ki >= n)
		return APP_BEEP;
	tree = ynode_copy(a->latest->tree);
	rc = knob_apply(a, &row, &k[ki], dir, typed, tree, label, sizeof label);
	if (rc != 0) {
		ynode_free(tree);
		set_status(a, rc < 0 ? ST_ERROR : ST_INFO, "%s", label);
		return APP_REDRAW | APP_BEEP;
	}
	return commit(a, tree, label);
}

/* Index of the plan-row setting of type t. */
static size_t plan_knob(struct app *a, int t)
{
	struct knob k[APP_MAX_KNOBS];
	size_t n = app_knobs(a, 0, k, APP_MAX_KNOBS), i;

	for (i = 0; i < n; i++)
		if (k[i].type == t)
			return i;
	return n;
}

static unsigned grow(struct app *a, int dir)
{
	const struct plan *p = a->latest->plan;
	double g = p->growth_per_month, s;
	struct ynode *tree;
	char v[48], label[200];

	if (g == 0) {
		set_status(a, ST_INFO, "traffic.growth is 0%%/month: set it in the plan row first");
		return APP_REDRAW | APP_BEEP;
	}
	s = dir > 0 ? p->scale * (1 + g) : p->scale / (1 + g);
	s = floor(s * 1e6 + 0.5) / 1e6;
	tree = ynode_copy(a->latest->tree);
	tree_num_text(v, sizeof v, s);
	tree_set_str(tree, "traffic.scale", v);
	snprintf(label, sizeof label, "traffic.scale=%s (one month of %.4g%%/month %s)", v, g * 100,
		 dir > 0 ? "ahead" : "back");
	return commit(a, tree, label);
}

static unsigned undo_redo(struct app *a, bool redo)
{
	struct app_plan ***from = redo ? &a->redo : &a->undo, ***to = redo ? &a->undo : &a->redo;
	size_t *nfrom = redo ? &a->nredo : &a->nundo, *nto = redo ? &a->nundo : &a->nredo;
	size_t *capto = redo ? &a->capundo : &a->capredo;
	char label[600];

	if (*nfrom == 0) {
		set_status(a, ST_INFO, "nothing to %s", redo ? "redo" : "undo");
		return APP_REDRAW | APP_BEEP;
	}
	snprintf(label, sizeof label, "%s %s", redo ? "redid" : "undid",
		 redo ? (*from)[*nfrom - 1]->label : a->latest->label);
	stack_push(to, nto, capto, a->latest);
	a->latest = (*from)[--*nfrom];
	return install_latest(a, label);
}

static unsigned reset(struct app *a)
{
	if (!a->base) {
		set_status(a, ST_INFO, "the baseline is still being simulated");
		return APP_REDRAW;
	}
	if (a->latest == a->base_ap || tree_equal(a->latest->tree, a->base_ap->tree)) {
		set_status(a, ST_INFO, "the what-if is the baseline already");
		return APP_REDRAW;
	}
	stack_push(&a->undo, &a->nundo, &a->capundo, a->latest);
	stack_clear(a->redo, &a->nredo);
	a->latest = ap_ref(a->base_ap);
	return install_latest(a, "reset to the baseline (u to undo)");
}

static unsigned reload(struct app *a)
{
	struct err e = {0};
	struct ynode *tree;
	struct plan *p;
	size_t i;

	if (read_tree(a, &tree, &e) < 0 ||
	    plan_from_tree(tree, a->file, a->dir, NAN, &p, &e) < 0) {
		if (e.n == 0)
			err_add(&e, a->file, 0, 0, "cannot load the plan");
		ynode_free(tree);
		show_errors(a, "reload failed, the plan shown is unchanged", &e);
		return APP_REDRAW | APP_BEEP;
	}
	a->epoch++;
	res_unref(a->base);
	a->base = NULL;
	for (i = 0; i < sizeof a->cache / sizeof a->cache[0]; i++) {
		res_unref(a->cache[i]);
		a->cache[i] = NULL;
	}
	stack_clear(a->undo, &a->nundo);
	stack_clear(a->redo, &a->nredo);
	ap_unref(a->latest);
	a->latest = ap_new(tree, p, "baseline");
	ap_unref(a->base_ap);
	a->base_ap = ap_ref(a->latest);
	ap_unref(a->failed);
	a->failed = NULL;
	clear_messages(a);
	free(a->pending_label);
	a->pending_label = xstrdup("reloaded the plan");
	set_status(a, ST_INFO, "reloaded %s: simulating the new baseline\xe2\x80\xa6", a->file);
	return APP_REDRAW | APP_SIMULATE;
}

/* ---- prompts ----------------------------------------------------------- */

enum prompt_kind { PK_KNOB, PK_SET, PK_SAVE, PK_OVERWRITE, PK_RELOAD };

static void prompt_open(struct app *a, int kind, const char *question, const char *initial)
{
	a->input = kind == PK_OVERWRITE || kind == PK_RELOAD ? INPUT_CONFIRM : INPUT_LINE;
	a->prompt_kind = kind;
	free(a->prompt);
	a->prompt = xstrdup(question);
	sbuf_free(&a->line);
	sbuf_add(&a->line, initial ? initial : "");
	a->line_cur = a->line.len;
	a->line_selected = a->line.len > 0 && a->input == INPUT_LINE;
}

static void prompt_close(struct app *a)
{
	a->input = INPUT_NONE;
	free(a->prompt);
	a->prompt = NULL;
	sbuf_free(&a->line);
	a->line_cur = 0;
	a->line_selected = false;
}

/* Whether paths x and y name the same existing file. */
static bool same_file(const char *x, const char *y)
{
	struct stat sx, sy;

	return stat(x, &sx) == 0 && stat(y, &sy) == 0 && sx.st_dev == sy.st_dev &&
	       sx.st_ino == sy.st_ino;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Whether the newest what-if failed to simulate: it cannot be saved (no
 * figures, and `costcap report` would fail on it too). */
static bool save_refused(struct app *a)
{
	if (!a->base || a->latest != a->failed)
		return false;
	set_status(a, ST_ERROR, "not saved: the what-if cannot be simulated (! lists why, "
		   "u undoes it)");
	return true;
}

static unsigned do_save(struct app *a, const char *target)
{
	struct err e = {0};

	if (save_refused(a))
		return APP_REDRAW | APP_BEEP;
	if (app_save(a, target, &e) < 0) {
		show_errors(a, "not saved", &e);
		return APP_REDRAW | APP_BEEP;
	}
	free(a->saved_path);
	a->saved_path = xstrdup(target);
	set_status(a, ST_INFO, "saved the what-if as %s (costcap report %s prices it the same)",
		   target, target);
	return APP_REDRAW;
}

/* Whether assignment 'as' (PATH=VALUE) has no value, which the what-if
 * would hold as an empty scalar and save as "", a plan that does not load
 * back: refused with a message in the status line. "PATH=~" (null) is
 * the plan's way to leave an optional setting out. */
static bool set_value_empty(struct app *a, const char *as)
{
	const char *eq = strchr(as, '='), *v;

	if (!eq)
		return false;
	for (v = eq + 1; *v == ' ' || *v == '\t'; v++)
		;
	if (*v)
		return false;
	clear_messages(a);
	strv_add(&a->messages, &a->nmessages,
		 xasprintf("%.*s=: a value is needed (%.*s=~ leaves an optional setting out)",
			   (int)(eq - as), as, (int)(eq - as), as));
	set_status(a, ST_ERROR, "%s", a->messages[0]);
	return true;
}

/* Whether 's' starts an assignment "PATH=": PATH a dotted identifier
 * (segments of letters, digits, '_' and '-', the first starting with a
 * letter or '_'). */
static bool starts_assignment(const char *s)
{
	static const char seg[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
	size_t n;

	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (;;) {
		n = strspn(s, seg);
		if (n == 0)
			return false;
		s += n;
		if (*s == '=')
			return true;
		if (*s != '.')
			return false;
		s++;
	}
}

/* Skips a "--set " (as pasted from the advice screen) and the blanks
 * after it. */
static const char *skip_set(const char *s)
{
	if (strncmp(s, "--set", 5) == 0 && (s[5] == ' ' || s[5] == '\t')) {
		s += 5;
		while (*s == ' ' || *s == '\t')
			s++;
	}
	return s;
}

/* Splits the ':' line into assignments: at blanks followed by PATH= (or
 * by "--set PATH="), so that blanks inside a value ("{p50: 37, p95:
 * 148}") stay. Returns a NULL-terminated array (app_strv_free). */
char **app_split_assignments(const char *line)
{
	char **v = xcalloc(1, sizeof *v);
	size_t n = 0;
	const char *p = line, *q, *r;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		p = skip_set(p);
		if (!*p)
			break;
		for (q = p; *q;) {
			if (*q != ' ' && *q != '\t') {
				q++;
				continue;
			}
			for (r = q; *r == ' ' || *r == '\t'; r++)
				;
			if (!*r || starts_assignment(skip_set(r)))
				break;
			q = r;
		}
		strv_add(&v, &n, xstrndup(p, (size_t)(q - p)));
		p = q;
	}
	return v;
}

/* The ':' line: one or more assignments, applied together as one change
 * (one undo step), validated together (a mode switch with its
 * capacities). */
static unsigned set_line(struct app *a, const char *text)
{
	char **as = app_split_assignments(text);
	struct ynode *tree;
	struct sbuf label = {0};
	struct err e = {0};
	size_t i;

	if (!as[0]) {
		app_strv_free(as);
		set_status(a, ST_INFO, "nothing set");
		return APP_REDRAW;
	}
	for (i = 0; as[i]; i++)
		if (set_value_empty(a, as[i])) {
			app_strv_free(as);
			return APP_REDRAW | APP_BEEP;
		}
	tree = ynode_copy(a->latest->tree);
	for (i = 0; as[i]; i++) {
		plan_apply_set(tree, as[i], &e);
		sbuf_printf(&label, "%s%s", i ? " " : "", as[i]);
	}
	app_strv_free(as);
	if (e.n > 0) {
		ynode_free(tree);
		sbuf_free(&label);
		show_errors(a, NULL, &e);
		return APP_REDRAW | APP_BEEP;
	}
	{
		unsigned f = commit(a, tree, label.buf);

		sbuf_free(&label);
		return f;
	}
}

static unsigned prompt_accept(struct app *a)
{
	char *text = xstrdup(a->line.buf ? a->line.buf : "");
	int kind = a->prompt_kind;
	unsigned f = APP_REDRAW;
	char *q;

	prompt_close(a);
	switch (kind) {
	case PK_KNOB:
		f = change_knob(a, a->sel, a->sel_knob, 0, text);
		break;
	case PK_SET:
		f = set_line(a, text);
		break;
	case PK_SAVE:
		if (!text[0]) {
			set_status(a, ST_INFO, "not saved");
			break;
		}
		if (same_file(text, a->file)) {
			q = xasprintf("%s is the original plan: overwrite it (its comments are lost)? y/n",
				      text);
		} else if (exists(text) && !(a->saved_path && same_file(text, a->saved_path))) {
			q = xasprintf("%s exists: overwrite it? y/n", text);
		} else {
			f = do_save(a, text);
			break;
		}
		prompt_open(a, PK_OVERWRITE, q, "");
		free(q);
		free(a->prompt_path);
		a->prompt_path = xstrdup(text);
		break;
	default:
		break;
	}
	free(text);
	return f;
}

/* The start of the character before byte 'at' of 'b' (UTF-8). */
static size_t line_prev(const struct sbuf *b, size_t at)
{
	while (at > 0 && ((unsigned char)b->buf[--at] & 0xc0) == 0x80)
		;
	return at;
}

/* The end of the character at byte 'at' of 'b'. */
static size_t line_next(const struct sbuf *b, size_t at)
{
	if (at >= b->len)
		return b->len;
	for (at++; at < b->len && ((unsigned char)b->buf[at] & 0xc0) == 0x80; at++)
		;
	return at;
}

/* Replaces bytes [from, to) of the line by 'ins' (n bytes); the cursor
 * goes after the insertion. */
static void line_splice(struct app *a, size_t from, size_t to, const char *ins, size_t n)
{
	struct sbuf nb = {0};

	if (from > 0)
		sbuf_addn(&nb, a->line.buf, from);
	if (n > 0)
		sbuf_addn(&nb, ins, n);
	if (to < a->line.len)
		sbuf_addn(&nb, a->line.buf + to, a->line.len - to);
	sbuf_free(&a->line);
	a->line = nb;
	if (!a->line.buf)
		sbuf_add(&a->line, "");
	a->line_cur = from + n;
}

/* Inserts code point 'cp' at the cursor. */
static void line_add(struct app *a, int cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	line_splice(a, a->line_cur, a->line_cur, u, n);
}

static unsigned prompt_key(struct app *a, int key)
{
	if (key == AK_RESIZE)
		return APP_REDRAW | APP_CLEAR;
	if (a->input == INPUT_CONFIRM && a->prompt_kind == PK_RELOAD) {
		if (key == 'y' || key == 'Y') {
			prompt_close(a);
			return reload(a);
		}
		if (key == 'n' || key == 'N' || key == AK_ESC || key == 'q') {
			prompt_close(a);
			set_status(a, ST_INFO, "not reloaded: the what-if is kept");
			return APP_REDRAW;
		}
		return APP_BEEP;
	}
	if (a->input == INPUT_CONFIRM) {
		if (key == 'y' || key == 'Y') {
			char *t = a->prompt_path;

			a->prompt_path = NULL;
			prompt_close(a);
			{
				unsigned f = do_save(a, t);

				free(t);
				return f;
			}
		}
		if (key == 'n' || key == 'N' || key == AK_ESC || key == 'q') {
			prompt_close(a);
			set_status(a, ST_INFO, "not saved");
			return APP_REDRAW;
		}
		return APP_BEEP;
	}
	if (key == '\n' || key == '\r')
		return prompt_accept(a);
	if (key == AK_ESC || key == AK_CTRL('c') || key == AK_CTRL('g')) {
		prompt_close(a);
		set_status(a, ST_INFO, "cancelled");
		return APP_REDRAW;
	}
	/* Editing keys keep the pre-filled value (no longer selected). */
	if (a->line_cur > a->line.len)
		a->line_cur = a->line.len;
	if (key == AK_BACKSPACE || key == 127 || key == 8) {
		a->line_selected = false;
		if (a->line_cur > 0)
			line_splice(a, line_prev(&a->line, a->line_cur), a->line_cur, NULL, 0);
		return APP_REDRAW;
	}
	if (key == AK_DELETE || key == AK_CTRL('d')) {
		a->line_selected = false;
		if (a->line_cur < a->line.len)
			line_splice(a, a->line_cur, line_next(&a->line, a->line_cur), NULL, 0);
		return APP_REDRAW;
	}
	if (key == AK_LEFT || key == AK_RIGHT || key == AK_HOME || key == AK_END ||
	    key == AK_CTRL('a') || key == AK_CTRL('e')) {
		a->line_selected = false;
		if (key == AK_LEFT)
			a->line_cur = line_prev(&a->line, a->line_cur);
		else if (key == AK_RIGHT)
			a->line_cur = line_next(&a->line, a->line_cur);
		else if (key == AK_HOME || key == AK_CTRL('a'))
			a->line_cur = 0;
		else
			a->line_cur = a->line.len;
		return APP_REDRAW;
	}
	if (key == AK_CTRL('u')) {
		a->line_selected = false;
		line_splice(a, 0, a->line.len, NULL, 0);
		return APP_REDRAW;
	}
	if (key >= 0x20 && key < 0x110000 && key != 127) {
		/* The first printable key replaces a selected pre-filled value. */
		if (a->line_selected)
			line_splice(a, 0, a->line.len, NULL, 0);
		a->line_selected = false;
		line_add(a, key);
		return APP_REDRAW;
	}
	return APP_BEEP;
}

/* ---- actions ---------------------------------------------------------- */

static size_t text_lines(struct app *a)
{
	size_t n;

	app_text(a, &n);
	return n;
}

static unsigned move(struct app *a, long delta, bool absolute)
{
	size_t n, *pos;
	long v;

	if (a->screen == SCR_HELP || a->screen == SCR_MESSAGES || a->screen == SCR_ADVICE) {
		size_t lines = text_lines(a), page = a->page_rows > 0 ? (size_t)a->page_rows : 1;

		n = lines > page ? lines - page + 1 : 1;
		pos = &a->text_scroll;
	} else if (a->screen == SCR_DETAIL) {
		struct knob k[APP_MAX_KNOBS];

		n = app_knobs(a, a->sel, k, APP_MAX_KNOBS);
		pos = &a->sel_knob;
	} else {
		n = app_nrows(a);
		pos = &a->sel;
	}
	if (n == 0)
		return APP_BEEP;
	v = absolute ? delta : (long)*pos + delta;
	if (v < 0)
		v = 0;
	if (v >= (long)n)
		v = (long)n - 1;
	if ((size_t)v == *pos)
		return APP_BEEP;
	*pos = (size_t)v;
	return APP_REDRAW;
}

static double window_s(const struct app *a)
{
	return a->cur ? a->cur->usage->window_s : MONTH_S;
}

static unsigned zoom(struct app *a, int dir)
{
	double W = window_s(a), span = a->view_s > 0 ? a->view_s : W, mid;
	const struct series *s = NULL;
	struct app_row row = app_row(a, a->sel);
	double minspan;

	s = app_row_series(a->cur, &row);
	minspan = fmax(600, 20 * (s ? s->step_s : 1));
	mid = (a->view_s > 0 ? a->view_start_s : 0) + span / 2;
	if (dir > 0) {
		if (span / 2 < minspan) {
			set_status(a, ST_INFO, "zoomed in as far as the charts go");
			return APP_REDRAW | APP_BEEP;
		}
		span /= 2;
	} else {
		if (a->view_s == 0)
			return APP_BEEP;
		span *= 2;
	}
	if (span >= W) {
		a->view_s = 0;
		a->view_start_s = 0;
	} else {
		a->view_s = span;
		a->view_start_s = fmin(fmax(0, mid - span / 2), W - span);
	}
	return APP_REDRAW;
}

static unsigned pan(struct app *a, int dir)
{
	double W = window_s(a), start;

	if (a->view_s <= 0) {
		set_status(a, ST_INFO, "the charts show the whole window: z zooms in first");
		return APP_REDRAW | APP_BEEP;
	}
	start = a->view_start_s + dir * a->view_s / 4;
	start = fmin(fmax(0, start), W - a->view_s);
	if (start == a->view_start_s)
		return APP_BEEP;
	a->view_start_s = start;
	return APP_REDRAW;
}

static bool advice_wanted(const struct app *a);

/* Adds APP_ADVISE to 'f' when the advice screen waits for advice. */
static unsigned with_advice(const struct app *a, unsigned f)
{
	return advice_wanted(a) ? f | APP_ADVISE : f;
}

static unsigned open_advice(struct app *a)
{
	if (a->screen == SCR_ADVICE) {
		a->screen = a->advice_from;
		return APP_REDRAW;
	}
	if (a->screen == SCR_OVERVIEW || a->screen == SCR_DETAIL)
		a->advice_from = a->screen;
	else if (a->prev_screen == SCR_OVERVIEW || a->prev_screen == SCR_DETAIL)
		a->advice_from = a->prev_screen;
	a->screen = SCR_ADVICE;
	a->text_scroll = 0;
	if (advice_wanted(a))
		set_status(a, ST_INFO, "computing advice: many simulations, a few seconds for a "
			   "month-long plan (Esc goes back; it is kept)");
	return APP_REDRAW;
}

static unsigned handle(struct app *a, enum action act);

unsigned app_handle(struct app *a, enum action act)
{
	return with_advice(a, handle(a, act));
}

static unsigned handle(struct app *a, enum action act)
{
	size_t page = a->page_rows > 1 ? (size_t)a->page_rows - 1 : 1;

	switch (act) {
	case ACT_QUIT:
		return APP_QUIT;
	case ACT_HELP:
		if (a->screen == SCR_HELP) {
			a->screen = a->prev_screen;
		} else {
			if (a->screen != SCR_MESSAGES)
				a->prev_screen = a->screen;
			a->screen = SCR_HELP;
			a->text_scroll = 0;
		}
		return APP_REDRAW;
	case ACT_MESSAGES:
		if (a->screen == SCR_MESSAGES) {
			a->screen = a->prev_screen;
		} else {
			if (a->screen != SCR_HELP)
				a->prev_screen = a->screen;
			a->screen = SCR_MESSAGES;
			a->text_scroll = 0;
		}
		return APP_REDRAW;
	case ACT_REDRAW:
		return APP_REDRAW | APP_CLEAR;
	case ACT_UP:
		return move(a, -1, false);
	case ACT_DOWN:
		return move(a, 1, false);
	case ACT_PGUP:
		return move(a, -(long)page, false);
	case ACT_PGDN:
		return move(a, (long)page, false);
	case ACT_HOME:
		return move(a, 0, true);
	case ACT_END:
		return move(a, LONG_MAX / 2, true);
	case ACT_BACK:
		if (a->screen == SCR_HELP || a->screen == SCR_MESSAGES)
			a->screen = a->prev_screen;
		else if (a->screen == SCR_ADVICE)
			a->screen = a->advice_from;
		else
			a->screen = SCR_OVERVIEW;
		return APP_REDRAW;
	case ACT_ADVICE:
		return open_advice(a);
	case ACT_OPEN:
		a->screen = SCR_DETAIL;
		a->sel_knob = 0;
		return APP_REDRAW;
	case ACT_NEXT_RES:
	case ACT_PREV_RES: {
		size_t n = app_nrows(a);

		a->sel = (a->sel + (act == ACT_NEXT_RES ? 1 : n - 1)) % n;
		a->sel_knob = 0;
		return APP_REDRAW;
	}
	case ACT_SCALE_UP:
	case ACT_SCALE_DOWN:
		return change_knob(a, 0, plan_knob(a, KT_SCALE), act == ACT_SCALE_UP ? 1 : -1, NULL);
	case ACT_MODEL_NEXT:
	case ACT_MODEL_PREV:
		return change_knob(a, 0, plan_knob(a, KT_MODEL), act == ACT_MODEL_NEXT ? 1 : -1, NULL);
	case ACT_GROW:
	case ACT_SHRINK:
		return grow(a, act == ACT_GROW ? 1 : -1);
	case ACT_INC:
	case ACT_DEC:
		return change_knob(a, a->sel, a->sel_knob, act == ACT_INC ? 1 : -1, NULL);
	case ACT_EDIT: {
		struct knob k[APP_MAX_KNOBS];
		size_t n = app_knobs(a, a->sel, k, APP_MAX_KNOBS);
		char *q;

		if (a->sel_knob >= n)
			return APP_BEEP;
		if (!k[a->sel_knob].enabled) {
			set_status(a, ST_INFO, "%s does not apply here", k[a->sel_knob].label);
			return APP_REDRAW | APP_BEEP;
		}
		q = xasprintf("%s =", k[a->sel_knob].path);
		prompt_open(a, PK_KNOB, q, k[a->sel_knob].raw);
		free(q);
		return APP_REDRAW;
	}
	case ACT_SET:
		prompt_open(a, PK_SET, "set (path=value, as --set):", "");
		return APP_REDRAW;
	case ACT_UNDO:
		return undo_redo(a, false);
	case ACT_REDO:
		return undo_redo(a, true);
	case ACT_RESET:
		return reset(a);
	case ACT_SAVE: {
		char *d;

		if (save_refused(a))
			return APP_REDRAW | APP_BEEP;
		d = a->saved_path ? xstrdup(a->saved_path) : app_default_save_path(a);
		prompt_open(a, PK_SAVE, "save the what-if as:", d);
		free(d);
		return APP_REDRAW;
	}
	case ACT_RELOAD:
		/* Reloading drops the what-if (and undo): ask when there is one. */
		if (a->latest != a->base_ap && !tree_equal(a->latest->tree, a->base_ap->tree)) {
			prompt_open(a, PK_RELOAD, "reload the plan as the baseline (the what-if and "
				    "undo are dropped)? y/n", "");
			return APP_REDRAW;
		}
		return reload(a);
	case ACT_ZOOM_IN:
		return zoom(a, 1);
	case ACT_ZOOM_OUT:
		return zoom(a, -1);
	case ACT_PAN_LEFT:
		return pan(a, -1);
	case ACT_PAN_RIGHT:
		return pan(a, 1);
	case ACT_CHARTS:
		a->chart_page++;
		return APP_REDRAW;
	default:
		return APP_BEEP;
	}
}

unsigned app_key(struct app *a, int key)
{
	enum action act;

	if (a->input != INPUT_NONE)
		return with_advice(a, prompt_key(a, key));
	if (key == AK_RESIZE)
		return APP_REDRAW | APP_CLEAR;
	act = app_keymap(a, key);
	if (act == ACT_NONE) {
		if (key == AK_ESC)
			return APP_REDRAW;
		set_status(a, ST_INFO, "no action on this key here: ? lists the keys");
		return APP_REDRAW | APP_BEEP;
	}
	return app_handle(a, act);
}

/* ---- simulation jobs ------------------------------------------------------ */

/* Estimates: a what-if is first simulated over the first QUICK_S seconds
 * of its window, projected and calibrated by the baseline's own first
 * part and window (whatif_usage_estimate); the exact window follows in
 * the next job. Only for windows of at least QUICK_MIN_S, with the
 * baseline's trace. */
#define QUICK_S 86400.0
#define QUICK_MIN_S (4 * 86400.0)

struct app_job {
	struct app_plan *ap;		/* reference, released by app_job_done */
	unsigned epoch;
	const struct trace *trace;	/* the app's trace, or 'loaded' */
	char *load_path;		/* trace to load in the job */
	struct trace *loaded;
	struct app_result *ref;		/* estimate: the baseline (reference), else NULL */
	bool first_day;			/* the baseline: simulate its first day too */
	bool estimated;			/* the result is an estimate */
	struct usage *usage;
	struct usage *day;		/* the baseline's first day */
	struct bill *bill;
	struct err e;
	double ms;
	int rc;
};

static bool same_trace(const struct plan *x, const struct plan *y)
{
	return (!x->trace && !y->trace) || (x->trace && y->trace && strcmp(x->trace, y->trace) == 0);
}

struct app_job *app_job_take(struct app *a)
{
	/* The baseline's figures first: they are what changes compare with. */
	struct app_plan *want = a->base ? a->latest : a->base_ap;
	const struct plan *p = want->plan;
	struct app_job *j;

	if (a->busy || want == a->failed || (a->base && !app_stale(a)))
		return NULL;
	j = xcalloc(1, sizeof *j);
	j->ap = ap_ref(want);
	j->epoch = a->epoch;
	if (p->trace) {
		if (a->trace && a->trace_path && strcmp(a->trace_path, p->trace) == 0)
			j->trace = a->trace;
		else
			j->load_path = xstrdup(p->trace);
	}
	if (!a->base)
		j->first_day = true;
	else if (a->base->first_day && !(a->cur && a->cur->ap == want && a->cur->estimate) &&
		 !j->load_path && same_trace(p, a->base->ap->plan))
		j->ref = res_ref(a->base);
	a->busy = true;
	a->busy_since_ms = app_now_ms();
	return j;
}

/* Series points for a window of W seconds: one per 1, 2, 5, 10, ... s,
 * the finest step that keeps at most 50,000 points. */
static size_t series_points(double W)
{
	static const double steps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
				       7200, 14400, 21600, 43200, 86400};
	size_t i;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (W / steps[i] <= 50000)
			return (size_t)ceil(W / steps[i]);
	return 50000;
}

void app_job_run(struct app_job *j)
{
	const struct plan *p = j->ap->plan;
	struct sim_opts o;
	double t0 = app_now_ms();

	memset(&o, 0, sizeof o);
	j->rc = -1;
	if (j->load_path) {
		if (trace_load(j->load_path, 0, &j->loaded, &j->e) < 0)
			goto out;
		j->trace = j->loaded;
	}
	/* The same options as `costcap report` without flags: warm start,
	 * seed 1, trace buckets spread evenly. */
	o.seed = 1;
	o.trace = j->trace;
	if (j->ref) {
		o.window_s = QUICK_S;
		if (sim_run(p, &o, &j->usage, &j->e) < 0)
			goto out;
		if (whatif_usage_estimate(j->usage, j->ref->usage, j->ref->first_day) == 0) {
			j->bill = bill_price(p, j->usage);
			j->estimated = true;
			j->rc = 0;
			goto out;
		}
		/* Shapes differ: simulate the whole window instead. */
		usage_free(j->usage);
		j->usage = NULL;
		o.window_s = 0;
	}
	o.series_points = series_points(j->trace ? (double)trace_seconds(j->trace) : MONTH_S);
	if (sim_run(p, &o, &j->usage, &j->e) < 0)
		goto out;
	j->bill = bill_price(p, j->usage);
	if (j->first_day && j->usage->window_s >= QUICK_MIN_S) {
		struct err ignored = {0};

		o.window_s = QUICK_S;
		o.series_points = 0;
		if (sim_run(p, &o, &j->day, &ignored) < 0)
			j->day = NULL;
		err_clear(&ignored);
	}
	j->rc = 0;
out:
	j->ms = app_now_ms() - t0;
}

unsigned app_job_done(struct app *a, struct app_job *j)
{
	unsigned f = APP_REDRAW;

	a->busy = false;
	if (j->estimated)
		a->estimate_ms = j->ms;
	else
		a->last_ms = j->ms;
	if (j->loaded) {
		trace_free(a->trace);
		free(a->trace_path);
		a->trace = j->loaded;
		a->trace_path = xstrdup(j->load_path);
		j->loaded = NULL;
	}
	if (j->epoch != a->epoch) {
		/* Reloaded meanwhile: this result belongs to the old plan. */
		usage_free(j->usage);
		usage_free(j->day);
		bill_free(j->bill);
		err_clear(&j->e);
	} else if (j->rc < 0) {
		ap_unref(a->failed);
		a->failed = ap_ref(j->ap);
		show_errors(a, a->base ? "the what-if cannot be simulated (u undoes it)"
				       : "the plan cannot be simulated", &j->e);
		usage_free(j->usage);
		usage_free(j->day);
	} else {
		struct app_result *r = xcalloc(1, sizeof *r);

		r->ap = ap_ref(j->ap);
		r->usage = j->usage;
		r->bill = j->bill;
		r->sim_ms = j->ms;
		r->estimate = j->estimated;
		r->first_day = j->day;
		r->refs = 1;
		if (!a->base && j->ap == a->base_ap)
			a->base = res_ref(r);
		set_cur(a, r);
		if (!r->estimate)	/* undo returns to exact figures only */
			cache_add(a, r);
		res_unref(r);
		if (a->latest == j->ap && r->estimate) {
			/* The label stays pending for the exact figures. */
			char *t = money(r->bill->total), *d = signed_money(r->bill->total - a->base->bill->total);

			set_status(a, ST_INFO, "%s: about %s (%s), estimated from day 1 in %.0f ms; "
				   "simulating the whole window\xe2\x80\xa6",
				   a->pending_label ? a->pending_label : j->ap->label, t, d, j->ms);
			free(t);
			free(d);
		} else if (a->latest == j->ap) {
			const char *label = a->pending_label ? a->pending_label : j->ap->label;

			if (a->cur == a->base && !a->pending_label) {
				char *t = money(a->base->bill->total);

				set_status(a, ST_INFO, "%s: total %s per month (? lists the keys)",
					   a->base->ap->plan->name, t);
				free(t);
			} else {
				status_figures(a, label);
			}
			free(a->pending_label);
			a->pending_label = NULL;
		} else {
			set_status(a, ST_INFO, "simulating the latest change\xe2\x80\xa6");
		}
	}
	ap_unref(j->ap);
	res_unref(j->ref);
	free(j->load_path);
	trace_free(j->loaded);
	err_clear(&j->e);
	free(j);
	if ((app_stale(a) || !a->base) && a->latest != a->failed && a->base_ap != a->failed)
		f |= APP_SIMULATE;
	return f;
}

unsigned app_settle(struct app *a)
{
	struct app_job *j;
	unsigned f = 0;
	int guard = 0;

	while (guard++ < 100 && (j = app_job_take(a)) != NULL) {
		app_job_run(j);
		f |= app_job_done(a, j);
	}
	return f & ~(unsigned)APP_SIMULATE;
}

/* ---- advice jobs (the advice screen) ------------------------------------------ */

struct app_advice_job {
	struct app_plan *ap;		/* reference, released by app_advice_job_done */
	unsigned epoch;
	char *trace_path;		/* the plan's trace, loaded by the job */
	struct advice *adv;
	struct err e;
	double ms;
	int rc;
};

/* The advice computed for what-if 'ap', or NULL. */
static const struct app_advice *advice_for(const struct app *a, const struct app_plan *ap)
{
	size_t i;

	for (i = 0; i < APP_ADVICE_CACHE; i++) {
		const struct app_advice *r = a->advice[i];

		if (r && r->epoch == a->epoch && (r->ap == ap || tree_equal(r->ap->tree, ap->tree)))
			return r;
	}
	return NULL;
}

/* The advice screen is shown and has no advice for the newest what-if. */
static bool advice_wanted(const struct app *a)
{
	return a->screen == SCR_ADVICE && !a->advising && !advice_for(a, a->latest);
}

const struct app_advice *app_advice_shown(const struct app *a, bool *stale)
{
	const struct app_advice *r = advice_for(a, a->latest);
	size_t i;

	*stale = false;
	if (r)
		return r;
	*stale = true;
	for (i = 0; i < APP_ADVICE_CACHE; i++)
		if (a->advice[i] && a->advice[i]->epoch == a->epoch)
			return a->advice[i];
	return NULL;
}

struct app_advice_job *app_advice_job_take(struct app *a)
{
	struct app_advice_job *j;

	if (!advice_wanted(a))
		return NULL;
	j = xcalloc(1, sizeof *j);
	j->ap = ap_ref(a->latest);
	j->epoch = a->epoch;
	if (a->latest->plan->trace)
		j->trace_path = xstrdup(a->latest->plan->trace);
	a->advising = true;
	a->advising_since_ms = app_now_ms();
	ap_unref(a->advising_ap);
	a->advising_ap = ap_ref(a->latest);
	return j;
}

void app_advice_job_run(struct app_advice_job *j)
{
	struct advise_opts o;
	struct trace *tr = NULL;
	double t0 = app_now_ms();

	j->rc = -1;
	/* The job's own copy of the trace: the app's may be replaced by a
	 * simulation job while this one runs. */
	if (j->trace_path && trace_load(j->trace_path, 0, &tr, &j->e) < 0)
		goto out;
	/* `costcap advise PLAN` without flags, Monte Carlo left out. */
	advise_opts_default(&o);
	o.sections = ADVISE_ALL & ~(unsigned)ADVISE_MONTE_CARLO;
	j->rc = advise_run(j->ap->plan, tr, &o, &j->adv, &j->e);
out:
	trace_free(tr);
	j->ms = app_now_ms() - t0;
}

static void advice_cache_add(struct app *a, struct app_advice *r)
{
	advice_entry_free(a->advice[APP_ADVICE_CACHE - 1]);
	memmove(&a->advice[1], &a->advice[0], (APP_ADVICE_CACHE - 1) * sizeof a->advice[0]);
	a->advice[0] = r;
}

unsigned app_advice_job_done(struct app *a, struct app_advice_job *j)
{
	a->advising = false;
	ap_unref(a->advising_ap);
	a->advising_ap = NULL;
	if (j->epoch == a->epoch) {
		struct app_advice *r = xcalloc(1, sizeof *r);
		size_t i, n = 0;

		r->ap = ap_ref(j->ap);
		r->epoch = j->epoch;
		r->ms = j->ms;
		if (j->rc == 0 && j->adv) {
			r->adv = j->adv;
			j->adv = NULL;
			for (i = 0; i < r->adv->n; i++)
				n += r->adv->items[i].actionable;
			if (a->screen == SCR_ADVICE && j->ap == a->latest)
				set_status(a, ST_INFO, "advice: %zu recommended, %zu checked (Esc goes back)",
					   n, r->adv->n - n);
		} else {
			r->errors = xcalloc(1, sizeof *r->errors);
			for (i = 0; i < j->e.n; i++)
				strv_add(&r->errors, &n, j->e.v[i].file && strcmp(j->e.v[i].file, PLAN_SET_FILE) == 0
							    ? xstrdup(j->e.v[i].msg) : err_format(&j->e, i));
			if (n == 0)
				strv_add(&r->errors, &n, xstrdup("unknown problem"));
			if (a->screen == SCR_ADVICE && j->ap == a->latest)
				set_status(a, ST_ERROR, "no advice: %s", r->errors[0]);
		}
		advice_cache_add(a, r);
	}
	advice_free(j->adv);
	err_clear(&j->e);
	ap_unref(j->ap);
	free(j->trace_path);
	free(j);
	return with_advice(a, APP_REDRAW);
}

unsigned app_advice_settle(struct app *a)
{
	struct app_advice_job *j;
	unsigned f = 0;
	int guard = 0;

	while (guard++ < 100 && (j = app_advice_job_take(a)) != NULL) {
		app_advice_job_run(j);
		f |= app_advice_job_done(a, j);
	}
	return f & ~(unsigned)APP_ADVISE;
}

/* ---- help and messages --------------------------------------------------- */

static void text_add(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(struct app *a, const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;

	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	strv_add(&a->text, &a->ntext, sbuf_take(&b));
}

/* Columns of a UTF-8 string (one per code point). */
static int ucols(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* "the baseline", or "the what-if (3 changes, last: LABEL)". */
static char *describe(const struct app *a, const struct app_plan *ap)
{
	char **v = xcalloc(1, sizeof *v);
	size_t n = 0;
	char *s;

	tree_diff(&v, &n, "", a->base_ap->tree, ap->tree);
	if (n == 0)
		s = xstrdup("the baseline");
	else if (n == 1)
		s = xasprintf("the what-if (%s)", v[0]);
	else
		s = xasprintf("the what-if (%zu changes, the last: %s)", n, ap->label);
	app_strv_free(v);
	return s;
}

/* The advice screen: the advice of the newest what-if, formatted by
 * report_advice_panel; while it is computed, the progress and the last
 * advice shown (lines starting with '~' are drawn dim). */
static void advice_text(struct app *a)
{
	bool stale;
	const struct app_advice *r = app_advice_shown(a, &stale);
	const char *dim = r && stale ? "~" : "";
	char *what;
	size_t i;

	if (!r || stale) {
		what = describe(a, a->latest);
		text_add(a, "#%s advice for %s", a->advising ? "Computing" : "No", what);
		free(what);
		if (a->advising)
			text_add(a, "  Simulating the plan and its variants (memory, architecture, concurrency, "
				 "table capacity, API type), the headroom and 12 months: a few seconds for a "
				 "month-long plan. Keys keep working; Esc goes back and the advice is kept.");
		if (r) {
			what = describe(a, r->ap);
			text_add(a, "%s", "");
			text_add(a, "  Until it arrives, the advice for %s:", what);
			free(what);
		}
		text_add(a, "%s", "");
	}
	if (!r)
		return;
	what = describe(a, r->ap);
	text_add(a, "%s#Advice for %s", dim, what);
	free(what);
	if (r->adv) {
		struct sbuf b = {0};
		char *line, *next;

		report_advice_panel(&b, r->adv);
		for (line = b.buf; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			text_add(a, "%s%s", line[0] ? dim : "", line);
		}
		sbuf_free(&b);
		text_add(a, "%s", "");
		if (a->show_timing)
			text_add(a, "%s  %lu simulations in %.1f s. Monte Carlo bands and the tables behind "
				 "this advice: costcap advise.", dim, r->adv->simulations, r->ms / 1000);
		else
			text_add(a, "%s  %lu simulations. Monte Carlo bands and the tables behind this "
				 "advice: costcap advise.", dim, r->adv->simulations);
	} else {
		text_add(a, "%s  The advice could not be computed:", dim);
		for (i = 0; r->errors && r->errors[i]; i++)
			text_add(a, "%s  %s", dim, r->errors[i]);
	}
}

const char *const *app_text(struct app *a, size_t *n)
{
	static const struct {
		unsigned where;
		const char *title;
	} groups[] = {
		{W_ALL, "Everywhere"},
		{W_EDIT, "Changing the what-if (overview, resource and advice screens)"},
		{W_OVERVIEW, "Overview"},
		{W_DETAIL, "Resource screen: settings, line items, charts"},
		{W_DETAIL | W_TEXT | W_ADVICE, "Resource, advice, help and messages screens"},
	};
	size_t g, i;

	app_strv_free(a->text);
	a->text = NULL;
	a->ntext = 0;
	if (a->screen == SCR_MESSAGES) {
		text_add(a, "#Problems found in the last change that failed");
		text_add(a, "%s", "");
		if (a->nmessages == 0)
			text_add(a, "  (none)");
		for (i = 0; i < a->nmessages; i++)
			text_add(a, "  %s", a->messages[i]);
		text_add(a, "%s", "");
		text_add(a, "  Esc or ! goes back.");
	} else if (a->screen == SCR_ADVICE) {
		advice_text(a);
	} else {
		text_add(a, "#costcap tui: what-if planning. Keys (this list is the key map itself)");
		for (g = 0; g < sizeof groups / sizeof groups[0]; g++) {
			text_add(a, "%s", "");
			text_add(a, "#%s", groups[g].title);
			for (i = 0; i < app_nactions; i++) {
				const struct app_action *ac = &app_actions[i];

				if (ac->where == groups[g].where)
					text_add(a, "  %s%*s  %s", ac->keys_text, 14 - ucols(ac->keys_text), "",
						 ac->help);
			}
		}
		text_add(a, "%s", "");
		text_add(a, "#Settings (resource screen: \xe2\x86\x90/\xe2\x86\x92 step, Enter types a value)");
		text_add(a, "  plan       model (region), traffic scale and growth, free tier, Lambda quota");
		text_add(a, "  functions  memory, architecture, reserved and provisioned concurrency,");
		text_add(a, "             duration (p50, p95)");
		text_add(a, "  apis       type, stage throttle rate and burst, cache size and hit ratio");
		text_add(a, "  tables     mode, read and write capacity, auto scaling min, max and target,");
		text_add(a, "             hot key share, table class, storage; each GSI's read and write");
		text_add(a, "             capacity and auto scaling min, max and target");
		text_add(a, "  anything   : sets any plan value as --set does (path=value)");
		text_add(a, "%s", "");
		text_add(a, "#Figures");
		text_add(a, "  Every change is validated like a plan file and simulated again; the figures");
		text_add(a, "  are those `costcap report` gives for the saved what-if. Rate-only plans are");
		text_add(a, "  simulated over one 730-hour month, second by second; plans with a trace over");
		text_add(a, "  the trace's window, projected to a month. The baseline is the plan as loaded");
		text_add(a, "  (with --set and --scale); changes are shown against it.");
	}
	*n = a->ntext;
	return (const char *const *)a->text;
}

/* ---- saving -------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The path of absolute 'to' relative to absolute folder 'from'. */
static char *relpath(const char *from, const char *to)
{
	struct sbuf b = {0};
	const char *f = from, *t = to;
	const char *fs, *ts;

	/* Skip the components both share. */
	for (;;) {
		while (*f == '/')
			f++;
		while (*t == '/')
			t++;
		fs = f;
		ts = t;
		while (*f && *f != '/')
			f++;
		while (*t && *t != '/')
			t++;
		if (f - fs == 0 || f - fs != t - ts || strncmp(fs, ts, (size_t)(f - fs)) != 0)
			break;
	}
	/* One ".." per component of 'from' left, then the rest of 'to'. */
	for (f = fs; *f;) {
		while (*f == '/')
			f++;
		if (!*f)
			break;
		sbuf_add(&b, "../");
		while (*f && *f != '/')
			f++;
	}
	sbuf_add(&b, ts);
	if (!b.len)
		sbuf_add(&b, ".");
	return sbuf_take(&b);
}

static void rewrite_path(struct ynode *tree, const char *key, const char *src, const char *dst,
			 bool only_files)
{
	const struct ynode *n = tree_get(tree, key);
	char *abs, *real, *rel;

	if (!n || n->kind != YNODE_SCALAR || !n->str[0] || n->str[0] == '/')
		return;
	if (only_files && !ends_with(n->str, ".yaml") && !ends_with(n->str, ".yml"))
		return;
	abs = paths_join(src, n->str);
	real = realpath(abs, NULL);
	rel = relpath(dst, real ? real : abs);
	tree_set_str(tree, key, rel);
	free(rel);
	free(real);
	free(abs);
}

int app_save(struct app *a, const char *target, struct err *e)
{
	struct ynode *tree = ynode_copy(a->latest->tree);
	char *tdir = paths_dirname(target);
	char *src = realpath(a->dir, NULL), *dst = realpath(tdir, NULL);
	struct sbuf out = {0};
	char **ch = app_changes(a);
	size_t i;
	int rc;

	/* Relative model and trace paths follow the plan to its new folder. */
	if (src && dst && strcmp(src, dst) != 0) {
		rewrite_path(tree, "model", src, dst, true);
		rewrite_path(tree, "traffic.trace", src, dst, false);
	}
	sbuf_printf(&out, "# What-if of %s, saved by costcap tui.\n", a->file);
	/* The command line's --set and --scale are in the baseline already:
	 * named here, or the changes below would not lead from the file. */
	if (a->nsets > 0 || !isnan(a->scale)) {
		sbuf_add(&out, "# Baseline: the file with");
		for (i = 0; i < a->nsets; i++) {
			char *c, *one = xstrdup(a->sets[i]);

			for (c = one; *c; c++)
				if (*c == '\n' || *c == '\r')
					*c = ' ';
			sbuf_printf(&out, " --set %s", one);
			free(one);
		}
		if (!isnan(a->scale)) {
			char v[48];

			tree_num_text(v, sizeof v, a->scale);
			sbuf_printf(&out, " --scale %s", v);
		}
		sbuf_addc(&out, '\n');
	}
	sbuf_add(&out, ch[0] ? "# Changes against it:\n" : "# No changes against it.\n");
	for (i = 0; ch[i]; i++) {
		char *c;

		for (c = ch[i]; *c; c++)
			if (*c == '\n' || *c == '\r')
				*c = ' ';
		sbuf_printf(&out, "#   %s\n", ch[i]);
	}
	yaml_dump(&out, tree);
	rc = atomic_write(target, out.buf, out.len, e);
	sbuf_free(&out);
	app_strv_free(ch);
	ynode_free(tree);
	free(tdir);
	free(src);
	free(dst);
	return rc;
}

char *app_default_save_path(const struct app *a)
{
	struct sbuf b = {0};
	const char *s;

	if (a->path) {
		size_t n = strlen(a->path);

		if (ends_with(a->path, ".yaml"))
			n -= 5;
		else if (ends_with(a->path, ".yml"))
			n -= 4;
		sbuf_addn(&b, a->path, n);
		if (!ends_with(b.buf ? b.buf : "", "-whatif"))
			sbuf_add(&b, "-whatif");
		sbuf_add(&b, ".yaml");
		return sbuf_take(&b);
	}
	for (s = a->latest->plan->name; *s; s++)
		sbuf_addc(&b, isalnum((unsigned char)*s) || *s == '-' || *s == '_' ? *s : '_');
	if (!b.len)
		sbuf_add(&b, "plan");
	sbuf_add(&b, "-whatif.yaml");
	return sbuf_take(&b);
}
