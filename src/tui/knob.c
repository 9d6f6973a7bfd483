#include "knob.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/yaml.h"
#include "../report/report.h"
#include "tree.h"


static const char *const free_tier_choices[] = {"none", "always", "first_year", NULL};
static const char *const arch_choices[] = {"x86_64", "arm64", NULL};
static const char *const api_type_choices[] = {"rest", "http", "websocket", NULL};
static const char *const mode_choices[] = {"provisioned", "on_demand", NULL};
static const char *const class_choices[] = {"standard", "standard_ia", NULL};
static const char *const onoff_choices[] = {"off", "on", NULL};

static const double memory_steps[] = {
	128, 256, 512, 768, 1024, 1536, 1769, 2048, 3008, 4096, 6144, 8192, 10240
};

/* Numbers: thousands separators for integers, else up to 4 significant
 * digits. */
static void fmt_value(char *buf, size_t len, double v)
{
	struct sbuf b = {0};

	if (v == floor(v) && fabs(v) < 1e15)
		fmt_count(&b, v);
	else
		sbuf_printf(&b, "%.4g", v);
	snprintf(buf, len, "%s", b.buf);
	sbuf_free(&b);
}

static void fmt_pct(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%.4g%%", v * 100);
}

/* A share shown as a percentage: typed as one too (typed_percent). */
static void kpct(struct knob *k, double v)
{
	if (!k)
		return;
	fmt_pct(k->value, sizeof k->value, v);
	snprintf(k->raw, sizeof k->raw, "%.10g%%", v * 100);
}

/* Element selector of resource 'row' in tree 'root'. */
static void row_sel(const struct ynode *root, const struct app_row *row, char *buf, size_t len)
{
	static const char *const seqs[] = {"", "apis", "functions", "tables"};
	const struct ynode *seq = ynode_get(root, seqs[row->kind]);
	size_t i;

	if (seq && seq->kind == YNODE_SEQ)
		for (i = 0; i < seq->n; i++) {
			const struct ynode *nm = ynode_get(seq->items[i], "name");

			if (nm && nm->kind == YNODE_SCALAR && strcmp(nm->str, row->name) == 0) {
				char sel[200];

				tree_elem_sel(sel, sizeof sel, seq->items[i], i);
				snprintf(buf, len, "%s.%s", seqs[row->kind], sel);
				return;
			}
		}
	snprintf(buf, len, "%s.%s", seqs[row->kind], row->name);
}

/* The map of resource 'row' in tree 'root', or NULL. */
static struct ynode *row_node(const struct ynode *root, const struct app_row *row)
{
	static const char *const seqs[] = {"", "apis", "functions", "tables"};
	const struct ynode *seq = ynode_get(root, seqs[row->kind]);
	size_t i;

	if (row->kind == ROW_PLAN || !seq || seq->kind != YNODE_SEQ)
		return NULL;
	for (i = 0; i < seq->n; i++) {
		const struct ynode *nm = ynode_get(seq->items[i], "name");

		if (nm && nm->kind == YNODE_SCALAR && strcmp(nm->str, row->name) == 0)
			return seq->items[i]->kind == YNODE_MAP ? seq->items[i] : NULL;
	}
	return NULL;
}

struct kctx {
	struct knob *k;
	size_t n, max;
	const char *pfx;	/* element path, e.g. "functions.checkout" */
};

static struct knob *kadd(struct kctx *c, int type, const char *label, const char *key)
{
	struct knob *k;

	if (c->n >= c->max)
		return NULL;
	k = &c->k[c->n++];
	memset(k, 0, sizeof *k);
	k->type = type;
	k->enabled = true;
	k->choice = -1;
	k->v = NAN;
	snprintf(k->label, sizeof k->label, "%s", label);
	if (c->pfx[0])
		snprintf(k->path, sizeof k->path, "%s.%s", c->pfx, key);
	else
		snprintf(k->path, sizeof k->path, "%s", key);
	return k;
}

static void knum(struct knob *k, double v, const char *unit)
{
	if (!k)
		return;
	k->v = v;
	fmt_value(k->value, sizeof k->value, v);
	if (unit)
		snprintf(k->value + strlen(k->value), sizeof k->value - strlen(k->value), " %s", unit);
	tree_num_text(k->raw, sizeof k->raw, v);
}

static void kchoice(struct knob *k, const char *const *choices, int i)
{
	if (!k)
		return;
	k->choice = i;
	snprintf(k->value, sizeof k->value, "%s", i >= 0 ? choices[i] : "?");
	snprintf(k->raw, sizeof k->raw, "%s", k->value);
}

static void knone(struct knob *k, const char *text)
{
	if (!k)
		return;
	k->v = NAN;
	snprintf(k->value, sizeof k->value, "%s", text);
	snprintf(k->raw, sizeof k->raw, "none");
}

static const char *sched_text(const struct schedule *s, char *buf, size_t len)
{
	int sh, sm, eh, em;

	if (s->kind == SCHED_ALWAYS)
		return "";
	sh = (int)(s->start_s / 3600);
	sm = (int)fmod(s->start_s / 60, 60);
	eh = (int)(s->end_s / 3600);
	em = (int)fmod(s->end_s / 60, 60);
	snprintf(buf, len, " %s%02d:%02d-%02d:%02d", s->kind == SCHED_DAILY ? "" : "once ",
		 sh, sm, eh, em);
	return buf;
}

/* The path of GSI 'gi' of the table at 'pfx' ("tables.items") in 'tree':
 * "tables.items.gsis.by-tag" (by name, else by index). */
static void gsi_path(const struct ynode *tree, const char *pfx, size_t gi, char *buf, size_t len)
{
	char path[300], sel[200];
	const struct ynode *gs;

	snprintf(path, sizeof path, "%s.gsis", pfx);
	gs = tree_get(tree, path);
	if (gs && gs->kind == YNODE_SEQ && gi < gs->n)
		tree_elem_sel(sel, sizeof sel, gs->items[gi], gi);
	else
		snprintf(sel, sizeof sel, "%zu", gi);
	if (snprintf(buf, len, "%s.%s", path, sel) >= (int)len)
		buf[0] = '\0';	/* too long to be a path: no GSI matches it */
}

/* The settings of each GSI of table 't': read and write capacity, auto
 * scaling on/off with min, max and target (provisioned tables only; an
 * on-demand table's GSIs follow it). The first label names the GSI, the
 * others are indented under it; paths select it by name, as --set does. */
static void gsi_knobs(struct kctx *c, const struct ynode *tree, const struct table *t,
		      const char *pfx)
{
	bool prov = t->mode == MODE_PROVISIONED;
	const char *saved = c->pfx;
	char gp[400], label[64];
	struct knob *k;
	size_t g;

	for (g = 0; g < t->ngsis; g++) {
		const struct gsi *gi = &t->gsis[g];
		bool as = prov && gi->autoscaling.on;

		gsi_path(tree, pfx, g, gp, sizeof gp);
		c->pfx = gp;
		snprintf(label, sizeof label, "gsi %s read", gi->name);
		k = kadd(c, KT_UNITS, label, "rcu");
		if (prov) {
			knum(k, gi->rcu, "RCU");
		} else if (k) {
			knone(k, "- (on demand)");
			k->enabled = false;
		}
		k = kadd(c, KT_UNITS, "  write", "wcu");
		if (prov) {
			knum(k, gi->wcu, "WCU");
		} else if (k) {
			knone(k, "- (on demand)");
			k->enabled = false;
		}
		k = kadd(c, KT_GSI_AUTOSCALING, "  auto scaling", "autoscaling");
		kchoice(k, onoff_choices, gi->autoscaling.on ? 1 : 0);
		if (k && !prov) {
			snprintf(k->value, sizeof k->value, "- (on demand)");
			k->enabled = false;
		}
		k = kadd(c, KT_AS_MIN, "    min", "autoscaling.min");
		knum(k, gi->autoscaling.min, NULL);
		if (k && !as) {
			knone(k, "-");
			k->enabled = false;
		}
		k = kadd(c, KT_AS_MAX, "    max", "autoscaling.max");
		knum(k, gi->autoscaling.max, NULL);
		if (k && !as) {
			knone(k, "-");
			k->enabled = false;
		}
		k = kadd(c, KT_AS_TARGET, "    target", "autoscaling.target");
		knum(k, gi->autoscaling.target, NULL);
		kpct(k, gi->autoscaling.target);
		if (k && !as) {
			knone(k, "-");
			k->enabled = false;
		}
	}
	c->pfx = saved;
}

/* The settings of 'row' in plan 'p' built from 'tree'. */
static size_t knobs_for(const struct app *a, const struct plan *p, const struct ynode *tree,
			const struct app_row *row, struct knob *out, size_t max)
{
	struct kctx c = {out, 0, max, ""};
	char pfx[256];
	struct knob *k;
	int i;

	if (row->kind == ROW_PLAN) {
		size_t m;

		k = kadd(&c, KT_MODEL, "model", "model");
		for (m = 0; k && m < a->nmodels; m++)
			if (strcmp(a->models[m], p->model_name) == 0)
				k->choice = (int)m;
		if (k) {
			snprintf(k->value, sizeof k->value, "%s", p->model_name);
			snprintf(k->raw, sizeof k->raw, "%s", p->model_name);
		}
		knum(k = kadd(&c, KT_SCALE, "traffic scale", "traffic.scale"), p->scale, NULL);
		if (k)
			snprintf(k->value, sizeof k->value, "\xc3\x97%.4g", p->scale);
		k = kadd(&c, KT_GROWTH, "traffic growth", "traffic.growth");
		if (k) {
			k->v = p->growth_per_month;
			snprintf(k->value, sizeof k->value, "%.4g%%/month", p->growth_per_month * 100);
			snprintf(k->raw, sizeof k->raw, "%.4g%%/month", p->growth_per_month * 100);
		}
		kchoice(kadd(&c, KT_FREE_TIER, "free tier", "account.free_tier"), free_tier_choices,
			(int)p->free_tier);
		knum(kadd(&c, KT_ACCT_CONC, "lambda quota", "account.lambda_concurrency"),
		     p->lambda_concurrency, NULL);
		return c.n;
	}
	if ((i = app_row_index(p, row)) < 0)
		return 0;
	row_sel(tree, row, pfx, sizeof pfx);
	c.pfx = pfx;
	if (row->kind == ROW_FUNCTION) {
		const struct function *f = &p->functions[i];
		const struct ynode *pc, *dur;
		char path[300], sb[40];

		knum(kadd(&c, KT_MEMORY, "memory", "memory_mb"), f->memory_mb, "MB");
		kchoice(kadd(&c, KT_ARCH, "architecture", "arch"), arch_choices, (int)f->arch);
		k = kadd(&c, KT_RESERVED, "reserved conc.", "reserved_concurrency");
		if (f->reserved >= 0)
			knum(k, f->reserved, NULL);
		else
			knone(k, "none (shared pool)");
		snprintf(path, sizeof path, "%s.provisioned_concurrency", pfx);
		pc = tree_get(tree, path);
		k = kadd(&c, KT_PROVISIONED, "provisioned conc.",
			 pc && pc->kind == YNODE_MAP ? "provisioned_concurrency.count"
						     : "provisioned_concurrency");
		knum(k, f->provisioned, NULL);
		if (k && f->provisioned > 0)
			snprintf(k->value + strlen(k->value), sizeof k->value - strlen(k->value), "%s",
				 sched_text(&f->pc_sched, sb, sizeof sb));
		snprintf(path, sizeof path, "%s.duration_ms", pfx);
		dur = tree_get(tree, path);
		if (dur && dur->kind == YNODE_MAP) {
			knum(kadd(&c, KT_DURATION, "duration p50", "duration_ms.p50"), f->duration_p50_ms,
			     "ms");
			knum(kadd(&c, KT_DURATION, "duration p95", "duration_ms.p95"), f->duration_p95_ms,
			     "ms");
		} else {
			knum(kadd(&c, KT_DURATION, "duration", "duration_ms"), f->duration_p50_ms, "ms");
		}
	} else if (row->kind == ROW_API) {
		const struct api *ap = &p->apis[i];
		const struct apigw_model *g = &p->model->apigw;
		int s;

		kchoice(kadd(&c, KT_API_TYPE, "type", "type"), api_type_choices, (int)ap->type);
		k = kadd(&c, KT_THROTTLE_RATE, "stage rate", "throttle.rate");
		if (ap->has_throttle)
			knum(k, ap->throttle_rate, "/s");
		else
			knone(k, "none (account)");
		k = kadd(&c, KT_THROTTLE_BURST, "stage burst", "throttle.burst");
		if (ap->has_throttle) {
			knum(k, ap->throttle_burst, NULL);
		} else if (k) {
			knone(k, "-");
			k->enabled = false;
		}
		k = kadd(&c, KT_CACHE_SIZE, "cache size", "cache.size_gb");
		if (k) {
			k->enabled = ap->type == API_REST;
			if (ap->has_cache) {
				knum(k, ap->cache_size_gb, "GB");
				for (s = 0; s < g->ncache; s++)
					if (fabs(g->cache[s].size_gb - ap->cache_size_gb) < 1e-9)
						k->choice = s + 1;
			} else {
				knone(k, ap->type == API_REST ? "none" : "- (rest only)");
				k->choice = 0;
			}
		}
		k = kadd(&c, KT_HIT_RATIO, "cache hit ratio", "cache.hit_ratio");
		if (ap->has_cache) {
			knum(k, ap->cache_hit_ratio, NULL);
			kpct(k, ap->cache_hit_ratio);
		} else if (k) {
			knone(k, "-");
			k->enabled = false;
		}
	} else {
		const struct table *t = &p->tables[i];
		bool prov = t->mode == MODE_PROVISIONED;

		kchoice(kadd(&c, KT_TABLE_MODE, "mode", "mode"), mode_choices, (int)t->mode);
		k = kadd(&c, KT_UNITS, "read capacity", "rcu");
		if (prov) {
			knum(k, t->rcu, "RCU");
		} else if (k) {
			knone(k, "- (on demand)");
			k->enabled = false;
		}
		k = kadd(&c, KT_UNITS, "write capacity", "wcu");
		if (prov) {
			knum(k, t->wcu, "WCU");
		} else if (k) {
			knone(k, "- (on demand)");
			k->enabled = false;
		}
		k = kadd(&c, KT_AUTOSCALING, "auto scaling", "autoscaling");
		kchoice(k, onoff_choices, t->autoscaling.on ? 1 : 0);
		if (k && !prov) {
			snprintf(k->value, sizeof k->value, "- (on demand)");
			k->enabled = false;
		}
		k = kadd(&c, KT_AS_MIN, "  min", "autoscaling.min");
		knum(k, t->autoscaling.min, NULL);
		if (k && !(prov && t->autoscaling.on)) {
			knone(k, "-");
			k->enabled = false;
		}
		k = kadd(&c, KT_AS_MAX, "  max", "autoscaling.max");
		knum(k, t->autoscaling.max, NULL);
		if (k && !(prov && t->autoscaling.on)) {
			knone(k, "-");
			k->enabled = false;
		}
		k = kadd(&c, KT_AS_TARGET, "  target", "autoscaling.target");
		knum(k, t->autoscaling.target, NULL);
		kpct(k, t->autoscaling.target);
		if (k && !(prov && t->autoscaling.on)) {
			knone(k, "-");
			k->enabled = false;
		}
		knum(k = kadd(&c, KT_HOT_KEY, "hot key share", "hot_key_share"), t->hot_key_share, NULL);
		kpct(k, t->hot_key_share);
		kchoice(kadd(&c, KT_CLASS, "table class", "class"), class_choices, (int)t->class);
		knum(kadd(&c, KT_STORAGE, "storage", "storage_gb"), t->storage_gb, "GB");
		gsi_knobs(&c, tree, t, pfx);
	}
	return c.n;
}

size_t app_knobs(const struct app *a, size_t rowi, struct knob *out, size_t max)
{
	struct app_row row = app_row(a, rowi);
	size_t n = knobs_for(a, a->latest->plan, a->latest->tree, &row, out, max), i, j;

	if (a->base_ap) {
		struct knob *b = xcalloc(max, sizeof *b);
		size_t nb = knobs_for(a, a->base_ap->plan, a->base_ap->tree, &row, b, max);

		for (i = 0; i < n; i++) {
			/* The same path (GSI settings share labels like "  min"),
			 * else the same label (a path may change form, as
			 * provisioned_concurrency: N to a map). */
			for (j = 0; j < nb; j++)
				if (strcmp(b[j].path, out[i].path) == 0 && b[j].type == out[i].type)
					break;
			if (j == nb)
				for (j = 0; j < nb; j++)
					if (strcmp(b[j].label, out[i].label) == 0)
						break;
			if (j < nb && strcmp(b[j].value, out[i].value) != 0) {
				out[i].changed = true;
				snprintf(out[i].base, sizeof out[i].base, "%s", b[j].value);
			}
		}
		free(b);
	}
	return n;
}

/* ---- stepping values ------------------------------------------------------ */

/* The next value after v in the 1-1.25-1.5-2-2.5-3-4-5-6-8 series (dir
 * +1) or the one before (dir -1). 'integer' keeps whole numbers; 'floor'
 * is the smallest positive value offered (below it comes 0 when
 * zero_ok, else it stays). */
static double nice_step(double v, int dir, bool integer, double floor_v, bool zero_ok)
{
	static const double m[] = {1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8};
	double best = NAN;
	int e;
	size_t i;

	for (e = -4; e <= 9; e++)
		for (i = 0; i < sizeof m / sizeof m[0]; i++) {
			double c = m[i] * pow(10, e);

			c = floor(c * 1e6 + 0.5) / 1e6;
			if (integer && c != floor(c))
				continue;
			if (c < floor_v * (1 - 1e-9))
				continue;
			if (dir > 0 && c > v * (1 + 1e-9) + (v == 0 ? 0 : 0) && (isnan(best) || c < best) &&
			    c > v)
				best = c;
			if (dir < 0 && c < v * (1 - 1e-9) && (isnan(best) || c > best))
				best = c;
		}
	if (isnan(best))
		return dir < 0 && zero_ok ? 0 : v;
	return best;
}

static double list_step(const double *l, size_t n, double v, int dir)
{
	size_t i;

	if (dir > 0) {
		for (i = 0; i < n; i++)
			if (l[i] > v + 1e-9)
				return l[i];
		return v;
	}
	for (i = n; i-- > 0;)
		if (l[i] < v - 1e-9)
			return l[i];
	return v;
}

static double frac_step(double v, int dir, double step, double lo, double hi)
{
	double x = floor((v + dir * step) / step * 1000 + 0.5) / 1000;

	x = floor(x + 0.5) * step;
	x = floor(x * 1e9 + 0.5) / 1e9;
	if (dir > 0 && x <= v)
		x = v + step;
	if (x < lo)
		x = lo;
	if (x > hi)
		x = hi;
	return x;
}

static int nchoices(const char *const *c)
{
	int n = 0;

	while (c[n])
		n++;
	return n;
}

/* The resource's peak per-second level of series kind k in the shown
 * result (0 when unknown). */
static double peak_of(const struct app *a, const struct app_row *row, enum series_kind k)
{
	const struct series *s = app_row_series(a->cur, row);
	double m = 0;
	size_t i;

	if (!s || !s->v[k])
		return 0;
	for (i = 0; i < s->n; i++) {
		double v = series_is_level(k) ? s->v[k][i] : s->v[k][i] / s->step_s;

		if (v > m)
			m = v;
	}
	return m;
}

/* Reads the number that starts 's' (blanks around it allowed); stores
 * the rest in *end. */
static bool lead_number(const char *s, double *v, const char **end)
{
	char *e;

	while (*s == ' ')
		s++;
	*v = strtod(s, &e);
	if (e == s || !isfinite(*v))
		return false;
	while (*e == ' ')
		e++;
	*end = e;
	return true;
}

/* A value typed for a setting the screen shows in percent (cache hit
 * ratio, hot key share, auto scaling target: "50%"; growth: "5%/month"),
 * converted to what the plan reads: "50%" -> 0.5; growth "10%",
 * "10%/month" -> "10%/month". A bare number other than 0 is refused as
 * ambiguous (0.5 could be 50% or 0.5%). Returns 1 with the plan's text
 * in 'out', 0 when 'k' is not such a setting (or 'typed' is "none"), or
 * -1 with the problem in 'label'. */
static int typed_percent(const struct knob *k, const char *typed, char *out, size_t len,
			 char *label, size_t lablen)
{
	bool growth = k->type == KT_GROWTH;
	const char *rest;
	double v;

	if (!growth && k->type != KT_HIT_RATIO && k->type != KT_HOT_KEY && k->type != KT_AS_TARGET)
		return 0;
	if (!lead_number(typed, &v, &rest)) {
		snprintf(label, lablen, "%s: expected a percentage like %s, found '%s'", k->label,
			 growth ? "5% (per month)" : "50%", typed);
		return -1;
	}
	if (!*rest) {
		if (v == 0) {
			snprintf(out, len, "0");
			return 1;
		}
		if (fabs(v) < 1)
			snprintf(label, lablen, "%s: '%s' is ambiguous (the screen shows percent): type "
				 "%.6g%% or %.6g%%", k->label, typed, v * 100, v);
		else
			snprintf(label, lablen, "%s: '%s' is ambiguous (the screen shows percent): type "
				 "%.6g%%", k->label, typed, v);
		return -1;
	}
	if (*rest != '%' || (rest[1] && strcmp(rest + 1, "/month") && strcmp(rest + 1, "/mo"))) {
		snprintf(label, lablen, "%s: expected a percentage like %s, found '%s'", k->label,
			 growth ? "5%/month" : "50%", typed);
		return -1;
	}
	if (!growth && rest[1]) {
		snprintf(label, lablen, "%s is not per month: type %.6g%%", k->label, v);
		return -1;
	}
	if (growth) {
		char num[48];

		tree_num_text(num, sizeof num, v);
		snprintf(out, len, "%s%%/month", num);
	} else {
		tree_num_text(out, len, v / 100);
	}
	return 1;
}

/* Changes knob 'k' of row 'row' in 'tree' one step in direction 'dir', or
 * to 'typed' (a YAML value) when given. Writes what was done to 'label'.
 * Returns 0, 1 when nothing changes (with a reason in 'label'), or -1. */
int knob_apply(const struct app *a, const struct app_row *row, const struct knob *k, int dir,
		      const char *typed, struct ynode *tree, char *label, size_t lablen)
{
	const struct plan *p = a->latest->plan;
	char pfx[256], path[400], val[64];
	double v = k->v, nv = NAN;
	const char *const *choices = NULL;
	int ch = -1, nch = 0;
	bool none = false;

	val[0] = '\0';
	pfx[0] = '\0';
	if (row->kind != ROW_PLAN)
		row_sel(tree, row, pfx, sizeof pfx);
	if (!k->enabled) {
		snprintf(label, lablen, "%s does not apply here", k->label);
		return 1;
	}
	switch (k->type) {
	case KT_FREE_TIER:
		choices = free_tier_choices;
		break;
	case KT_ARCH:
		choices = arch_choices;
		break;
	case KT_API_TYPE:
		choices = api_type_choices;
		break;
	case KT_TABLE_MODE:
		choices = mode_choices;
		break;
	case KT_CLASS:
		choices = class_choices;
		break;
	case KT_AUTOSCALING:
	case KT_GSI_AUTOSCALING:
		choices = onoff_choices;
		break;
	case KT_MODEL:
		choices = (const char *const *)a->models;
		break;
	default:
		break;
	}
	if (k->type == KT_CACHE_SIZE) {
		/* Choices: none, then the model's cache sizes. */
		const struct apigw_model *g = &p->model->apigw;
		int c = k->choice < 0 ? 0 : k->choice;

		if (typed) {
			double t;

			if (!strcmp(typed, "none") || !typed[0]) {
				c = 0;
			} else if (sscanf(typed, "%lf", &t) == 1) {
				for (c = 1; c <= g->ncache; c++)
					if (fabs(g->cache[c - 1].size_gb - t) < 1e-9)
						break;
				if (c > g->ncache) {
					snprintf(label, lablen, "%s is not a cache size of model %s", typed,
						 p->model->name);
					return -1;
				}
			} else {
				snprintf(label, lablen, "cache size: expected a size in GB or none, found '%s'",
					 typed);
				return -1;
			}
		} else {
			c += dir;
			if (c < 0 || c > g->ncache) {
				snprintf(label, lablen, "cache size: no %s size", dir > 0 ? "larger" : "smaller");
				return 1;
			}
		}
		snprintf(path, sizeof path, "%s.cache", pfx);
		if (c == 0) {
			tree_del(tree, path);
			snprintf(label, lablen, "%s=none", path);
		} else {
			double hr = 0.5;
			int bi;

			if (tree_get(tree, path)) {
				snprintf(path, sizeof path, "%s.cache.size_gb", pfx);
				tree_set_num(tree, path, g->cache[c - 1].size_gb);
			} else {
				if (a->base_ap && (bi = plan_find_api(a->base_ap->plan, row->name)) >= 0 &&
				    a->base_ap->plan->apis[bi].has_cache)
					hr = a->base_ap->plan->apis[bi].cache_hit_ratio;
				tree_set(tree, path, tree_num_map("size_gb", g->cache[c - 1].size_gb,
							     "hit_ratio", hr));
				snprintf(path, sizeof path, "%s.cache.size_gb", pfx);
			}
			snprintf(label, lablen, "%s=%s", path, (tree_num_text(val, sizeof val,
						 g->cache[c - 1].size_gb), val));
		}
		return 0;
	}
	if (choices) {
		nch = nchoices(choices);
		if (typed) {
			for (ch = 0; ch < nch; ch++)
				if (strcmp(choices[ch], typed) == 0)
					break;
			if (ch == nch) {
				struct sbuf b = {0};
				int i;

				for (i = 0; i < nch; i++)
					sbuf_printf(&b, "%s%s", i ? ", " : "", choices[i]);
				snprintf(label, lablen, "%s: expected one of %s, found '%s'", k->label,
					 b.buf, typed);
				sbuf_free(&b);
				return -1;
			}
		} else {
			ch = k->choice + dir;
			if (k->type == KT_MODEL)
				ch = ((k->choice < 0 ? 0 : k->choice + dir) + nch) % nch;
			if (ch < 0 || ch >= nch) {
				snprintf(label, lablen, "%s: no %s choice", k->label,
					 dir > 0 ? "next" : "previous");
				return 1;
			}
		}
		if (ch == k->choice) {
			snprintf(label, lablen, "%s is already %s", k->label, choices[ch]);
			return 1;
		}
		snprintf(label, lablen, "%s=%s", k->path, choices[ch]);
		if (k->type == KT_AUTOSCALING || k->type == KT_GSI_AUTOSCALING) {
			if (ch == 0) {
				tree_del(tree, k->path);
			} else {
				int ti = plan_find_table(p, row->name);
				const struct table *t = ti >= 0 ? &p->tables[ti] : NULL;
				double r = t ? t->rcu : 5, w = t ? t->wcu : 5, lo, hi;
				struct ynode *m;
				char tv[16];

				if (!t)
					return -1;
				if (k->type == KT_GSI_AUTOSCALING) {
					/* The GSI's own capacity: the one whose path this is. */
					size_t g;

					for (g = 0; g < t->ngsis; g++) {
						char gp[400], ap[420];

						gsi_path(tree, pfx, g, gp, sizeof gp);
						snprintf(ap, sizeof ap, "%s.autoscaling", gp);
						if (strcmp(ap, k->path) == 0) {
							r = t->gsis[g].rcu;
							w = t->gsis[g].wcu;
							break;
						}
					}
				}
				lo = fmin(r, w);
				hi = fmax(r, w) * 10;
				/* max: ten times the larger capacity, as documented
				 * (whole units: the capacities are). */
				m = tree_num_map("min", lo < 1 ? 1 : lo, "max", ceil(hi < 1 ? 1 : hi));
				tree_num_text(tv, sizeof tv, 0.7);
				ynode_set(m, "target", ynode_new_scalar(tv, 0, 0));
				tree_set(tree, k->path, m);
			}
			return 0;
		}
		tree_set_str(tree, k->path, choices[ch]);
		if (k->type == KT_API_TYPE && ch != API_REST) {
			snprintf(path, sizeof path, "%s.cache", pfx);
			tree_del(tree, path);
		}
		if (k->type == KT_TABLE_MODE) {
			static const char *const prov_keys[] = {"rcu", "wcu", "autoscaling"};
			struct ynode *tn;
			const struct ynode *gs;
			size_t i, j;

			tn = row_node(tree, row);
			gs = tn ? ynode_get(tn, "gsis") : NULL;
			if (!tn)
				return -1;
			if (ch == MODE_ON_DEMAND) {
				for (j = 0; j < 3; j++) {
					tree_map_del(tn, prov_keys[j]);
					for (i = 0; gs && gs->kind == YNODE_SEQ && i < gs->n; i++)
						tree_map_del(gs->items[i], prov_keys[j]);
				}
			} else {
				/* Capacity for the switch back: the baseline's when it
				 * had some, else the peak consumption / 0.7. */
				const struct ynode *bt = a->base_ap ? row_node(a->base_ap->tree, row) : NULL;
				const struct app_row r2 = *row;
				double rcu, wcu;

				tree_map_del(tn, "max_read_units");
				tree_map_del(tn, "max_write_units");
				rcu = nice_step(fmax(1, peak_of(a, &r2, SER_READ_CONSUMED) / 0.7) - 1e-9, 1,
						true, 1, false);
				wcu = nice_step(fmax(1, peak_of(a, &r2, SER_WRITE_CONSUMED) / 0.7) - 1e-9, 1,
						true, 1, false);
				for (j = 0; j < 3; j++) {
					const struct ynode *bv = bt ? ynode_get(bt, prov_keys[j]) : NULL;

					if (bv) {
						struct ynode *cp = ynode_copy(bv);

						tree_zero_pos(cp);
						ynode_set(tn, prov_keys[j], cp);
					} else if (j < 2) {
						tree_num_text(val, sizeof val, j == 0 ? rcu : wcu);
						ynode_set(tn, prov_keys[j], ynode_new_scalar(val, 0, 0));
					}
				}
				for (i = 0; gs && gs->kind == YNODE_SEQ && i < gs->n; i++) {
					struct ynode *g = gs->items[i];

					if (g->kind != YNODE_MAP)
						continue;
					if (!ynode_get(g, "rcu"))
						ynode_set(g, "rcu", ynode_new_scalar("5", 0, 0));
					if (!ynode_get(g, "wcu"))
						ynode_set(g, "wcu", ynode_new_scalar("5", 0, 0));
				}
				if (bt) {
					const struct ynode *bg = ynode_get(bt, "gsis");

					for (i = 0; gs && bg && bg->kind == YNODE_SEQ && i < gs->n &&
						    i < bg->n; i++)
						for (j = 0; j < 3; j++) {
							const struct ynode *bv = ynode_get(bg->items[i], prov_keys[j]);

							if (bv && gs->items[i]->kind == YNODE_MAP) {
								struct ynode *cp = ynode_copy(bv);

								tree_zero_pos(cp);
								ynode_set(gs->items[i], prov_keys[j], cp);
							}
						}
				}
			}
		}
		return 0;
	}
	/* Numbers. */
	if (typed) {
		struct ynode *n = NULL;
		struct err e = {0};
		char conv[64];
		int pc = typed_percent(k, typed, conv, sizeof conv, label, lablen);

		if (pc < 0)
			return -1;
		if (pc > 0)
			typed = conv;

		if ((!typed[0] || !strcmp(typed, "none")) &&
		    (k->type == KT_RESERVED || k->type == KT_THROTTLE_RATE)) {
			none = true;
		} else {
			if (yaml_load_buffer("what-if", typed, strlen(typed), &n, &e) < 0 || !n) {
				snprintf(label, lablen, "%s: cannot read '%s' as a value", k->label, typed);
				err_clear(&e);
				ynode_free(n);
				return -1;
			}
			tree_zero_pos(n);
			tree_set(tree, k->path, n);
			snprintf(label, lablen, "%s=%s", k->path, typed);
			return 0;
		}
	} else {
		switch (k->type) {
		case KT_SCALE:
			nv = nice_step(v, dir, false, 0.01, false);
			break;
		case KT_GROWTH:
			nv = frac_step(v, dir, 0.01, -0.5, 10);
			break;
		case KT_ACCT_CONC:
		case KT_UNITS:
		case KT_AS_MIN:
		case KT_AS_MAX:
			nv = nice_step(v, dir, true, 1, false);
			break;
		case KT_MEMORY:
			nv = list_step(memory_steps, sizeof memory_steps / sizeof memory_steps[0], v, dir);
			break;
		case KT_PROVISIONED:
		case KT_THROTTLE_BURST:
			nv = nice_step(v, dir, true, 1, true);
			break;
		case KT_DURATION:
			nv = nice_step(v, dir, false, 1, false);
			break;
		case KT_STORAGE:
			nv = nice_step(v, dir, false, 0.1, true);
			break;
		case KT_HOT_KEY:
			nv = nice_step(v, dir, false, 0.001, true);
			if (nv > 1)
				nv = 1;
			break;
		case KT_HIT_RATIO:
			nv = frac_step(v, dir, 0.05, 0, 1);
			break;
		case KT_AS_TARGET:
			nv = frac_step(v, dir, 0.05, 0.2, 0.9);
			break;
		case KT_RESERVED: {
			/* "none" is the top: above every number. */
			double top = p->lambda_concurrency - p->model->lambda.unreserved_min;
			struct app_row r2 = *row;

			if (isnan(v) && dir > 0) {
				snprintf(label, lablen, "reserved concurrency is already none (the shared pool)");
				return 1;
			}
			if (isnan(v)) {
				double pk = ceil(peak_of(a, &r2, SER_CONCURRENCY));
				const struct function *f = &p->functions[plan_find_function(p, row->name)];

				if (pk < f->provisioned)
					pk = f->provisioned;
				nv = nice_step(fmax(1, pk) - 1e-9, 1, true, 1, false);
				if (nv > top)
					nv = floor(top);
			} else if (dir > 0) {
				nv = nice_step(v, 1, true, 1, true);
				if (nv > top || nv == v)
					none = true;
			} else {
				nv = nice_step(v, -1, true, 1, true);
			}
			break;
		}
		case KT_THROTTLE_RATE: {
			const struct apigw_model *g = &p->model->apigw;

			if (isnan(v) && dir > 0) {
				snprintf(label, lablen, "stage rate is already none (the account limit applies)");
				return 1;
			}
			if (isnan(v)) {
				snprintf(path, sizeof path, "%s.throttle", pfx);
				nv = nice_step(g->account_rate, -1, true, 1, false);
				tree_set(tree, path, tree_num_map("rate", nv, "burst", g->account_burst));
				tree_num_text(val, sizeof val, nv);
				snprintf(label, lablen, "%s.rate=%s", path, val);
				return 0;
			}
			nv = nice_step(v, dir, true, 1, false);
			if (dir > 0 && (v >= g->account_rate || nv > g->account_rate))
				none = true;
			break;
		}
		default:
			nv = v;
			break;
		}
	}
	if (none) {
		if (k->type == KT_THROTTLE_RATE) {
			snprintf(path, sizeof path, "%s.throttle", pfx);
			tree_del(tree, path);
			snprintf(label, lablen, "%s=none", path);
		} else {
			tree_del(tree, k->path);
			snprintf(label, lablen, "%s=none", k->path);
		}
		return 0;
	}
	if (isnan(nv) || nv == v) {
		snprintf(label, lablen, "%s: no %s value", k->label, dir > 0 ? "higher" : "lower");
		return 1;
	}
	if (k->type == KT_GROWTH) {
		snprintf(val, sizeof val, "%.4g%%/month", nv * 100);
		tree_set_str(tree, k->path, val);
	} else {
		tree_num_text(val, sizeof val, nv);
		tree_set_num(tree, k->path, nv);
	}
	snprintf(label, lablen, "%s=%s", k->path, val);
	return 0;
}

