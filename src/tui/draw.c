#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../report/report.h"

#define G_BLOCK 0x2588		/* full block */
#define G_SHADE 0x2591		/* light shade: throttled */
#define G_HLINE 0x2500
#define G_VLINE 0x2502
#define G_TICK 0x2524
#define G_ARROW 0x25b8
#define G_DOT 0x00b7

/* ---- formatting --------------------------------------------------------- */

static char *money(double usd)
{
	struct sbuf b = {0};

	fmt_money(&b, usd);
	return sbuf_take(&b);
}

/* "+$1.23", "-$1.23", or "$0.00" when it rounds to nothing. */
static char *delta_money(double d)
{
	struct sbuf b = {0};

	if (fabs(d) < 0.005) {
		sbuf_add(&b, "$0.00");
	} else {
		sbuf_addc(&b, d > 0 ? '+' : '-');
		fmt_money(&b, fabs(d));
	}
	return sbuf_take(&b);
}

/* Three significant digits with k/M/B: 876k, 30.4M, 12.5, 0.25. */
static void compact(char *buf, size_t len, double v)
{
	static const char *const sfx[] = {"", "k", "M", "B", "T"};
	double a = fabs(v);
	int i = 0;

	if (a < 1000) {
		if (a == floor(a))
			snprintf(buf, len, "%.0f", v);
		else
			snprintf(buf, len, "%.3g", v);
		return;
	}
	while (a >= 999.5 && i < 4) {
		a /= 1000;
		v /= 1000;
		i++;
	}
	snprintf(buf, len, a >= 99.95 ? "%.0f%s" : a >= 9.995 ? "%.1f%s" : "%.2f%s", v, sfx[i]);
}

static const char *short_unit(const char *u)
{
	static const struct {
		const char *from, *to;
	} m[] = {
		{"GB-seconds", "GB-s"}, {"requests", "req"}, {"RCU-hours", "RCU-h"},
		{"WCU-hours", "WCU-h"}, {"GB-months", "GB-mo"}, {"hours", "h"},
		{"read request units", "RRU"}, {"write request units", "WRU"},
		{"messages", "msg"}, {"minutes", "min"},
	};
	size_t i;

	for (i = 0; i < sizeof m / sizeof m[0]; i++)
		if (strcmp(u, m[i].from) == 0)
			return m[i].to;
	return u;
}

static void ratio_text(char *buf, size_t len, double r)
{
	snprintf(buf, len, "%.3f%%", r * 100);
}

/* A time in the window: "d3 14:05" (day of the window and UTC clock). */
static void time_text(char *buf, size_t len, double t)
{
	long s = (long)floor(t + 0.5);

	snprintf(buf, len, "d%ld %02ld:%02ld", s / 86400, s % 86400 / 3600, s % 3600 / 60);
}

static void duration_text(char *buf, size_t len, double s)
{
	if (s >= 2 * 86400 && fmod(s, 86400) == 0)
		snprintf(buf, len, "%.0f d", s / 86400);
	else if (s >= 3600 && fmod(s, 3600) == 0)
		snprintf(buf, len, "%.0f h", s / 3600);
	else if (s >= 60 && fmod(s, 60) == 0)
		snprintf(buf, len, "%.0f min", s / 60);
	else
		snprintf(buf, len, "%.0f s", s);
}

/* Text truncated to w columns, with '~' marking the cut. */
static int text_fit(struct canvas *c, int x, int y, int w, enum cattr a, const char *s)
{
	int n = canvas_width(s);

	if (w <= 0)
		return 0;
	if (n <= w)
		return canvas_text(c, x, y, w, a, s);
	canvas_text(c, x, y, w - 1, a, s);
	canvas_put(c, x + w - 1, y, 0x2026, a);
	return w;
}

/* ---- common parts ------------------------------------------------------------ */

/* Whether the newest what-if failed to simulate: its figures are then
 * blank (the last result shown is another what-if's, not its). */
static bool failed(const struct app *a)
{
	return a->base && a->latest == a->failed;
}

/* The result whose figures are shown as the what-if's (NULL: none). */
static const struct app_result *whatif_result(const struct app *a)
{
	return failed(a) ? NULL : a->cur;
}

#define NOT_SIMULATED "the what-if cannot be simulated: ! lists why, u undoes it"

static void draw_title(struct canvas *c, struct app *a, const char *where, const char *right)
{
	const struct plan *p = app_shown_plan(a);
	struct sbuf b = {0}, r = {0};
	char w[32];

	canvas_fill(c, 0, 0, c->w, ' ', CA_TITLE);
	sbuf_printf(&b, " costcap %s %s", "\xc2\xb7", p->name);
	if (where)
		sbuf_printf(&b, " \xe2\x96\xb8 %s", where);
	sbuf_printf(&b, " %s %s (%s)", "\xc2\xb7", p->model->name, p->model->as_of);
	if (a->cur) {
		if (a->cur->ap->plan->trace) {
			duration_text(w, sizeof w, a->cur->usage->window_s);
			sbuf_printf(&b, " \xc2\xb7 trace %s", w);
		} else {
			sbuf_add(&b, " \xc2\xb7 730-h month");
		}
	}
	if (right)
		sbuf_add(&r, right);
	else if (a->latest == a->failed)
		sbuf_add(&r, "not simulated ");
	else if (a->cur && a->cur->estimate && a->show_timing && a->busy)
		sbuf_printf(&r, "\xe2\x89\x88 estimate %.0f ms \xc2\xb7 simulating\xe2\x80\xa6 %.1f s ",
			    a->estimate_ms, (app_now_ms() - a->busy_since_ms) / 1000);
	else if (a->cur && a->cur->estimate)
		sbuf_add(&r, "\xe2\x89\x88 estimate \xc2\xb7 simulating\xe2\x80\xa6 ");
	else if (app_stale(a) && a->show_timing && a->busy)
		sbuf_printf(&r, "simulating\xe2\x80\xa6 %.1f s ", (app_now_ms() - a->busy_since_ms) / 1000);
	else if (app_stale(a))
		sbuf_add(&r, "simulating\xe2\x80\xa6 ");
	else if (a->show_timing && a->last_ms > 0 && a->estimate_ms > 0)
		sbuf_printf(&r, "estimate %.0f ms, sim %.2f s ", a->estimate_ms, a->last_ms / 1000);
	else if (a->show_timing && a->last_ms > 0)
		sbuf_printf(&r, "sim %.2f s ", a->last_ms / 1000);
	text_fit(c, 0, 0, c->w - (r.buf ? canvas_width(r.buf) : 0) - 1, CA_TITLE, b.buf);
	if (r.buf)
		canvas_rtext(c, c->w, 0, CA_TITLE, r.buf);
	sbuf_free(&b);
	sbuf_free(&r);
}

static void draw_status(struct canvas *c, struct app *a)
{
	int y = c->h - 2;

	if (a->input != INPUT_NONE) {
		int n = canvas_text(c, 0, y, c->w, CA_HEADER, a->prompt ? a->prompt : "");
		const char *line = a->line.buf ? a->line.buf : "";
		size_t cur = a->line_cur <= a->line.len ? a->line_cur : a->line.len;
		const char *t = line, *at;
		char *before;
		int room = c->w - n - 2, bw;

		/* Keep the cursor in view: drop characters from the left. */
		before = xstrndup(line, cur);
		bw = canvas_width(before);
		while (bw >= room && t < line + cur) {
			t++;
			while ((*t & 0xc0) == 0x80)
				t++;
			bw--;
		}
		free(before);
		/* A selected pre-filled value shows reversed: typing replaces it. */
		canvas_text(c, n + 1, y, room, a->line_selected ? CA_SELECTED : CA_INPUT, t);
		at = line + cur;
		if (*at) {
			char one[8];
			size_t k = 1;

			while (at[k] && (at[k] & 0xc0) == 0x80 && k < 4)
				k++;
			snprintf(one, sizeof one, "%.*s", (int)k, at);
			canvas_text(c, n + 1 + bw, y, 1, CA_SELECTED, one);
		} else {
			canvas_put(c, n + 1 + bw, y, '_', CA_INPUT);
		}
		return;
	}
	if (a->status) {
		if (a->status_kind == ST_ERROR)
			canvas_fill(c, 0, y, c->w, ' ', CA_ERROR);
		text_fit(c, 0, y, c->w, a->status_kind == ST_ERROR ? CA_ERROR : CA_NORMAL, a->status);
	}
}

/* The hints bar: the keys of this screen that have a label in the table. */
static void draw_hints(struct canvas *c, struct app *a)
{
	unsigned bit = a->screen == SCR_OVERVIEW ? W_OVERVIEW : a->screen == SCR_DETAIL ? W_DETAIL
								: a->screen == SCR_ADVICE ? W_ADVICE : W_TEXT;
	int x = 0, y = c->h - 1;
	size_t i;

	for (i = 0; i < app_nactions; i++) {
		const struct app_action *ac = &app_actions[i];
		char key[16];
		const char *sp;
		int need;

		if (!ac->hint || !(ac->where & bit))
			continue;
		sp = strchr(ac->keys_text, ' ');
		snprintf(key, sizeof key, "%.*s", sp ? (int)(sp - ac->keys_text) : (int)strlen(ac->keys_text),
			 ac->keys_text);
		if (ac->act == ACT_INC)
			snprintf(key, sizeof key, "\xe2\x86\x90\xe2\x86\x92");
		need = canvas_width(key) + canvas_width(ac->hint) + 1;
		if (x + need > c->w)
			break;
		x += canvas_text(c, x, y, -1, CA_KEY, key);
		x += canvas_text(c, x, y, -1, CA_NORMAL, ac->hint);
		x += 1;
		if (x < c->w)
			x++;
	}
}

/* ---- sparklines and charts ---------------------------------------------- */

/* Per-second value of point i of series kind k. */
static double point(const struct series *s, enum series_kind k, size_t i)
{
	return series_is_level(k) ? s->v[k][i] : s->v[k][i] / s->step_s;
}

/* The highest per-second value of kind k over [t0, t1) seconds. */
static double range_max(const struct series *s, enum series_kind k, double t0, double t1);

/* A sparkline of the offered traffic over [t0, t1): one column per
 * slice, its height the slice's peak; slices with throttling in red. */
static void sparkline_range(struct canvas *c, int x, int y, int w, const struct series *s,
			    double t0, double t1, enum cattr base_attr)
{
	double *v, mx = 0;
	bool *bad;
	int i;

	if (!s || !s->v[SER_OFFERED] || w <= 0)
		return;
	v = xcalloc((size_t)w, sizeof *v);
	bad = xcalloc((size_t)w, sizeof *bad);
	for (i = 0; i < w; i++) {
		double a = t0 + (t1 - t0) * i / w, b = t0 + (t1 - t0) * (i + 1) / w;

		v[i] = range_max(s, SER_OFFERED, a, b);
		bad[i] = s->v[SER_THROTTLED] && range_max(s, SER_THROTTLED, a, b) > 0;
		if (v[i] > mx)
			mx = v[i];
	}
	for (i = 0; i < w; i++) {
		int lv = mx > 0 ? (int)ceil(v[i] / mx * 8 - 1e-9) : 0;

		if (lv <= 0)
			canvas_put(c, x + i, y, bad[i] ? '!' : ' ', bad[i] ? CA_BAR_BAD : base_attr);
		else
			canvas_put(c, x + i, y, 0x2580 + (uint32_t)(lv > 8 ? 8 : lv),
				   bad[i] ? CA_BAR_BAD : base_attr == CA_SELECTED ? CA_SELECTED : CA_BAR);
	}
	free(v);
	free(bad);
}

static double range_max(const struct series *s, enum series_kind k, double t0, double t1)
{
	size_t i = (size_t)(t0 / s->step_s), j = (size_t)ceil(t1 / s->step_s);
	double m = 0;

	if (!s->v[k])
		return 0;
	if (j > s->n)
		j = s->n;
	if (j <= i)
		j = i + 1 <= s->n ? i + 1 : s->n;
	for (; i < j; i++)
		if (point(s, k, i) > m)
			m = point(s, k, i);
	return m;
}

#define NO_SER SER_COUNT

struct chart_spec {
	const char *title;
	enum series_kind bar, over, line;	/* NO_SER when absent */
	bool bad;				/* the bar is bad news (throttles) */
	const char *line_name;
};

static size_t charts_for(const struct app_row *row, const struct chart_spec **out)
{
	static const struct chart_spec fn[] = {
		{"invocations/s: ran \xe2\x96\x88 throttled \xe2\x96\x91", SER_ADMITTED, SER_OFFERED,
		 NO_SER, false, NULL},
		{"concurrency \xe2\x96\x88 vs limit \xe2\x94\x80", SER_CONCURRENCY, NO_SER, SER_LIMIT, false,
		 "limit"},
		{"throttled/s", SER_THROTTLED, NO_SER, NO_SER, true, NULL},
		{"cold starts/s", SER_COLD, NO_SER, NO_SER, false, NULL},
	};
	static const struct chart_spec api[] = {
		{"requests/s: admitted \xe2\x96\x88 throttled \xe2\x96\x91 limit \xe2\x94\x80", SER_ADMITTED,
		 SER_OFFERED, SER_LIMIT, false, "limit"},
		{"throttled/s (429)", SER_THROTTLED, NO_SER, NO_SER, true, NULL},
	};
	static const struct chart_spec tbl[] = {
		{"read units/s: consumed \xe2\x96\x88 capacity \xe2\x94\x80", SER_READ_CONSUMED, NO_SER,
		 SER_READ_CAPACITY, false, "capacity"},
		{"write units/s: consumed \xe2\x96\x88 capacity \xe2\x94\x80", SER_WRITE_CONSUMED, NO_SER,
		 SER_WRITE_CAPACITY, false, "capacity"},
		{"operations/s: admitted \xe2\x96\x88 offered \xe2\x96\x91", SER_ADMITTED, SER_OFFERED, NO_SER,
		 false, NULL},
		{"throttled operations/s", SER_THROTTLED, NO_SER, NO_SER, true, NULL},
		{"burst pool, read units", SER_READ_BURST, NO_SER, NO_SER, false, NULL},
		{"burst pool, write units", SER_WRITE_BURST, NO_SER, NO_SER, false, NULL},
	};

	switch (row->kind) {
	case ROW_FUNCTION:
		*out = fn;
		return sizeof fn / sizeof fn[0];
	case ROW_API:
		*out = api;
		return sizeof api / sizeof api[0];
	case ROW_TABLE:
		*out = tbl;
		return sizeof tbl / sizeof tbl[0];
	default:
		*out = NULL;
		return 0;
	}
}

#define GUTTER 7

/* Draws one chart: a title row, then 'rows' rows of bars over [t0, t1). */
static void chart(struct canvas *c, int y, int rows, const struct chart_spec *cs,
		  const struct series *s, double t0, double t1, bool dim)
{
	int w = c->w - GUTTER - 1, x, r;
	double *bar = xcalloc((size_t)w, sizeof *bar), *over = xcalloc((size_t)w, sizeof *over);
	double *line = xcalloc((size_t)w, sizeof *line);
	double dmax = 0, lmax = 0, scale, pk = 0;
	char lab[32], info[96];
	bool line_on = cs->line != NO_SER && s->v[cs->line];

	for (x = 0; x < w; x++) {
		double a = t0 + (t1 - t0) * x / w, b = t0 + (t1 - t0) * (x + 1) / w;

		bar[x] = range_max(s, cs->bar, a, b);
		over[x] = cs->over != NO_SER ? range_max(s, cs->over, a, b) : 0;
		line[x] = line_on ? range_max(s, cs->line, a, b) : 0;
		dmax = fmax(dmax, fmax(bar[x], over[x]));
		lmax = fmax(lmax, line[x]);
	}
	pk = dmax;
	/* The capacity line joins the scale unless it would flatten the bars. */
	scale = dmax;
	if (line_on && (lmax <= 2 * dmax || dmax == 0))
		scale = fmax(scale, lmax);
	if (scale <= 0)
		scale = 1;
	canvas_text(c, 1, y, -1, dim ? CA_DIM : CA_HEADER, cs->title);
	compact(lab, sizeof lab, pk);
	snprintf(info, sizeof info, "peak %s", lab);
	if (line_on) {
		char l2[32];

		compact(l2, sizeof l2, lmax);
		snprintf(info + strlen(info), sizeof info - strlen(info), "  %s %s%s", cs->line_name, l2,
			 lmax > scale * 1.0001 ? " (off scale)" : "");
	}
	canvas_rtext(c, c->w - 1, y, CA_DIM, info);
	for (r = 0; r < rows; r++) {
		int yy = y + rows - r;	/* bottom row first */

		if (r == rows - 1) {
			compact(lab, sizeof lab, scale);
			canvas_rtext(c, GUTTER - 1, yy, CA_DIM, lab);
		} else if (r == 0) {
			canvas_rtext(c, GUTTER - 1, yy, CA_DIM, "0");
		}
		canvas_put(c, GUTTER - 1, yy, r == rows - 1 || r == 0 ? G_TICK : G_VLINE, CA_DIM);
		for (x = 0; x < w; x++) {
			double hb = bar[x] / scale * rows * 8, ho = over[x] / scale * rows * 8;
			double lo = r * 8.0;
			uint32_t g = ' ';
			enum cattr at = cs->bad ? CA_BAR_BAD : CA_BAR;

			if (hb >= lo + 8 - 1e-9) {
				g = G_BLOCK;
			} else if (hb > lo + 1e-9) {
				int e = (int)ceil(hb - lo - 1e-9);

				if (ho > hb + 1e-9 && hb - lo < 4) {
					g = G_SHADE;
					at = CA_BAR_BAD;
				} else {
					g = 0x2580 + (uint32_t)(e < 1 ? 1 : e > 8 ? 8 : e);
				}
			} else if (ho > lo + 4 - 1e-9 || (ho > lo + 1e-9 && r == 0)) {
				g = G_SHADE;
				at = CA_BAR_BAD;
			}
			if (line_on && line[x] <= scale * 1.0001 && line[x] > 0) {
				int lr = (int)floor(line[x] / scale * rows - 1e-9);

				if (lr < 0)
					lr = 0;
				if (lr == r) {
					g = G_HLINE;
					at = CA_LINE;
				}
			}
			if (g != ' ')
				canvas_put(c, GUTTER + x, yy, g, dim ? CA_DIM : at);
		}
	}
	free(bar);
	free(over);
	free(line);
}

/* The charts of 'row' in rows [y, y + h): a heading, as many charts as
 * fit (paged with 'c'), and a time axis. */
static void draw_charts(struct canvas *c, struct app *a, const struct app_row *row, int y, int h)
{
	const struct chart_spec *cs;
	size_t n = charts_for(row, &cs), fit, first, i;
	const struct series *s = app_row_series(whatif_result(a), row);
	double W = a->cur ? a->cur->usage->window_s : MONTH_S;
	double t0 = a->view_s > 0 ? a->view_start_s : 0, t1 = a->view_s > 0 ? t0 + a->view_s : W;
	char ta[32], tb[32], st[32];
	int rows, extra, yy, w = c->w - GUTTER - 1;
	bool dim = app_stale(a);

	if (n == 0 || h < 5)
		return;
	time_text(ta, sizeof ta, t0);
	time_text(tb, sizeof tb, t1);
	canvas_fill(c, 0, y, c->w, G_HLINE, CA_DIM);
	if (!s) {
		canvas_text(c, 2, y, -1, CA_HEADER, " CHARTS ");
		canvas_text(c, 2, y + 1, -1, CA_DIM,
			    failed(a) ? NOT_SIMULATED : "no series yet: the simulation is running");
		return;
	}
	duration_text(st, sizeof st, s->step_s);
	fit = (size_t)((h - 2) / 3);
	if (fit > n)
		fit = n;
	if (fit == 0)
		fit = 1;
	first = fit < n ? ((size_t)a->chart_page * fit) % n : 0;
	{
		char head[160];

		snprintf(head, sizeof head, " CHARTS %s\xe2\x80\x93%s%s, %s steps ", ta, tb,
			 a->view_s > 0 ? "" : " (whole window)", st);
		canvas_text(c, 2, y, -1, CA_HEADER, head);
		if (fit < n) {
			snprintf(head, sizeof head, " %zu-%zu of %zu: c for more ", first + 1,
				 first + fit <= n ? first + fit : n, n);
			canvas_rtext(c, c->w - 1, y, CA_DIM, head);
		}
	}
	rows = (h - 2) / (int)fit - 1;
	extra = (h - 2) - (int)fit * (rows + 1);
	yy = y + 1;
	for (i = 0; i < fit; i++) {
		int r = rows + (i == 0 ? extra : 0);

		chart(c, yy, r, &cs[(first + i) % n], s, t0, t1, dim);
		yy += r + 1;
	}
	/* Time axis. */
	canvas_fill(c, GUTTER, y + h - 1, w, ' ', CA_DIM);
	canvas_text(c, GUTTER, y + h - 1, -1, CA_DIM, ta);
	{
		char tm[32];

		time_text(tm, sizeof tm, (t0 + t1) / 2);
		canvas_text(c, GUTTER + w / 2 - canvas_width(tm) / 2, y + h - 1, -1, CA_DIM, tm);
	}
	canvas_rtext(c, c->w - 1, y + h - 1, CA_DIM, tb);
}

/* ---- the overview ---------------------------------------------------- */

struct cols {
	int name, svc, money, delta, ratio, spark, spark_w;
};

static struct cols layout(int w)
{
	struct cols k;
	int namew = w >= 120 ? 30 : 18;

	k.name = 1;
	k.svc = k.name + namew + 1;
	k.money = k.svc + 11 + 10;	/* right edges from here on */
	k.delta = k.money + 11;
	k.ratio = k.delta + 9;
	k.spark = k.ratio + 2;
	k.spark_w = w - k.spark - 1;
	return k;
}

static void draw_totals(struct canvas *c, struct app *a, int y)
{
	static const int order[] = {SVC_APIGATEWAY, SVC_LAMBDA, SVC_DYNAMODB};
	const struct app_result *wr = whatif_result(a);
	const struct bill *cb = wr ? wr->bill : NULL, *bb = a->base ? a->base->bill : NULL;
	enum cattr fig = app_stale(a) ? CA_DIM : CA_NORMAL;
	int i;

	canvas_fill(c, 0, y, c->w, G_HLINE, CA_DIM);
	canvas_text(c, 2, y, -1, CA_HEADER, " TOTALS per 730-hour month ");
	if (failed(a))
		canvas_rtext(c, c->w - 1, y, CA_ERROR, " what-if not simulated ");
	y++;
	canvas_text(c, 1, y, -1, CA_HEADER, "SERVICE");
	canvas_rtext(c, 34, y, CA_HEADER, "WHAT-IF");
	canvas_rtext(c, 48, y, CA_HEADER, "BASELINE");
	canvas_rtext(c, 62, y, CA_HEADER, "CHANGE");
	for (i = 0; i <= 3; i++) {
		double cv, bv;
		char *m, *d;

		y++;
		if (!bb || (!cb && !failed(a)))
			continue;
		bv = i < 3 ? bb->service[order[i]] : bb->total;
		canvas_text(c, 1, y, -1, i < 3 ? CA_NORMAL : CA_HEADER,
			    i < 3 ? service_name((enum service)order[i]) : "TOTAL");
		if (!cb) {
			/* The what-if failed: its column is blank, not another's. */
			canvas_rtext(c, 34, y, CA_DIM, "-");
			m = money(bv);
			canvas_rtext(c, 48, y, CA_NORMAL, m);
			free(m);
			canvas_rtext(c, 62, y, CA_DIM, "-");
			continue;
		}
		cv = i < 3 ? cb->service[order[i]] : cb->total;
		m = money(cv);
		canvas_rtext(c, 34, y, i < 3 ? fig : (fig == CA_DIM ? CA_DIM : CA_HEADER), m);
		free(m);
		m = money(bv);
		canvas_rtext(c, 48, y, CA_NORMAL, m);
		free(m);
		d = delta_money(cv - bv);
		canvas_rtext(c, 62, y, fig == CA_DIM || fabs(cv - bv) < 0.005 ? CA_DIM : cv > bv ? CA_BAD
											: CA_GOOD, d);
		free(d);
		if (i == 3 && bv > 0 && c->w >= 72) {
			char pct[32];

			snprintf(pct, sizeof pct, "%+.1f%%", (cv - bv) / bv * 100);
			canvas_rtext(c, 71, y, fig == CA_DIM || fabs(cv - bv) < 0.005 ? CA_DIM
					       : cv > bv ? CA_BAD : CA_GOOD, pct);
		}
	}
}

static void draw_overview(struct canvas *c, struct app *a)
{
	struct cols k = layout(c->w);
	size_t n = app_nrows(a), i, top = 0;
	int list_y = 2, list_h = c->h - 2 - 6 - list_y, y;
	enum cattr fig = app_stale(a) ? CA_DIM : CA_NORMAL;
	const struct app_result *wr = whatif_result(a);
	char **changes = app_changes(a);
	size_t nch = 0;

	while (changes[nch])
		nch++;
	draw_title(c, a, NULL, NULL);
	canvas_text(c, k.name, 1, -1, CA_HEADER, "RESOURCE");
	canvas_text(c, k.svc, 1, -1, CA_HEADER, "SERVICE");
	canvas_rtext(c, k.money, 1, CA_HEADER, "MONTHLY");
	canvas_rtext(c, k.delta, 1, CA_HEADER, "VS BASE");
	canvas_rtext(c, k.ratio, 1, CA_HEADER, "THROTTLE");
	canvas_text(c, k.spark, 1, k.spark_w, CA_HEADER,
		    a->cur && !a->cur->ap->plan->trace ? "TRAFFIC, DAY 1" : "TRAFFIC");
	if (list_h < 1)
		list_h = 1;
	if (a->sel >= (size_t)list_h)
		top = a->sel - (size_t)list_h + 1;
	for (i = top, y = list_y; i < n && y < list_y + list_h; i++, y++) {
		struct app_row row = app_row(a, i);
		const struct bill_resource *r = app_row_bill(wr, &row);
		const struct bill_resource *b = app_row_bill(a->base, &row);
		bool sel = i == a->sel;
		enum cattr base = sel ? CA_SELECTED : CA_NORMAL;
		char buf[64];
		char *m;

		if (sel)
			canvas_fill(c, 0, y, c->w, ' ', CA_SELECTED);
		if (row.kind == ROW_PLAN) {
			const struct plan *p = app_shown_plan(a);
			double worst = 0;
			size_t j;

			text_fit(c, k.name, y, k.svc - k.name - 1, sel ? CA_SELECTED : CA_HEADER, "(plan)");
			canvas_text(c, k.svc, y, -1, base, "all");
			if (wr) {
				m = money(wr->bill->total);
				canvas_rtext(c, k.money, y, sel ? base : fig, m);
				free(m);
				for (j = 0; j < wr->bill->n; j++)
					worst = fmax(worst, wr->bill->res[j].throttle_ratio);
				ratio_text(buf, sizeof buf, worst);
				canvas_rtext(c, k.ratio, y, sel ? base : fig == CA_DIM ? CA_DIM : worst > 0 ? CA_BAD
												 : fig, buf);
			} else if (failed(a)) {
				canvas_rtext(c, k.money, y, sel ? base : CA_DIM, "-");
			}
			if (wr && a->base) {
				double d = wr->bill->total - a->base->bill->total;

				m = delta_money(d);
				canvas_rtext(c, k.delta, y, sel ? base : fig == CA_DIM || fabs(d) < 0.005 ? CA_DIM
									 : d > 0 ? CA_BAD : CA_GOOD, m);
				free(m);
			}
			if (p->growth_per_month != 0)
				snprintf(buf, sizeof buf, "\xc3\x97%.4g, %+.4g%%/mo", p->scale,
					 p->growth_per_month * 100);
			else
				snprintf(buf, sizeof buf, "scale \xc3\x97%.4g", p->scale);
			text_fit(c, k.spark, y, k.spark_w, sel ? base : CA_DIM, buf);
			continue;
		}
		text_fit(c, k.name, y, k.svc - k.name - 1, base, row.name);
		canvas_text(c, k.svc, y, -1, sel ? base : CA_DIM,
			    row.kind == ROW_API ? "apigateway" : row.kind == ROW_FUNCTION ? "lambda"
											: "dynamodb");
		if (!r) {
			if (failed(a))
				canvas_rtext(c, k.money, y, sel ? base : CA_DIM, "-");
			continue;
		}
		m = money(r->monthly_cost);
		canvas_rtext(c, k.money, y, sel ? base : fig, m);
		free(m);
		if (b) {
			double d = r->monthly_cost - b->monthly_cost;

			m = delta_money(d);
			canvas_rtext(c, k.delta, y, sel ? base : fig == CA_DIM || fabs(d) < 0.005 ? CA_DIM
								 : d > 0 ? CA_BAD : CA_GOOD, m);
			free(m);
		}
		ratio_text(buf, sizeof buf, r->throttle_ratio);
		canvas_rtext(c, k.ratio, y, sel ? base : fig == CA_DIM ? CA_DIM : r->throttled ? CA_BAD : fig,
			     buf);
		/* A rate-only plan repeats its day: show the first one. */
		sparkline_range(c, k.spark, y, k.spark_w, app_row_series(a->cur, &row), 0,
				a->cur->ap->plan->trace ? a->cur->usage->window_s
							 : fmin(86400, a->cur->usage->window_s), base);
	}
	/* What changed, in the rows left between the list and the totals. */
	y = list_y + (int)(n - top < (size_t)list_h ? n - top : (size_t)list_h) + 1;
	if (y < c->h - 8) {
		int room = c->h - 8 - y;

		if (nch == 0) {
			canvas_text(c, 1, y, -1, CA_DIM,
				    "No changes: the what-if is the baseline. Enter opens a row; + - m change all.");
		} else {
			canvas_printf(c, 1, y, -1, CA_HEADER, "What-if changes (%zu):", nch);
			/* room - 1 lines under the heading; the last one says how
			 * many more there are when they do not all fit. */
			for (i = 0; i < nch && (int)i < room - 1; i++) {
				if ((int)i == room - 2 && i + 1 < nch) {
					canvas_printf(c, 3, y + 1 + (int)i, -1, CA_DIM,
						      "+%zu more (s saves them all)", nch - i);
					break;
				}
				text_fit(c, 3, y + 1 + (int)i, c->w - 4, CA_CHANGED, changes[i]);
			}
		}
	}
	app_strv_free(changes);
	draw_totals(c, a, c->h - 8);
	a->page_rows = list_h;
}

/* ---- a resource's screen --------------------------------------------------- */

/* The right panel: cost, traffic, line items. Returns the rows used. */
static int draw_bill(struct canvas *c, struct app *a, const struct app_row *row, int x, int y,
		     int w, int h)
{
	const struct bill_resource *r = app_row_bill(whatif_result(a), row);
	const struct bill_resource *b = app_row_bill(a->base, row);
	enum cattr fig = app_stale(a) ? CA_DIM : CA_NORMAL;
	char q[32], q2[32], buf[160];
	int yy = y, right = x + w;
	size_t i;
	char *m;

	canvas_text(c, x, yy, -1, CA_HEADER, "COST per month");
	if (!r && failed(a)) {
		text_fit(c, x, yy + 1, w, CA_ERROR, "the what-if cannot be simulated");
		text_fit(c, x, yy + 2, w, CA_DIM, "! lists why, u undoes it");
		return 3;
	}
	if (!r) {
		canvas_text(c, x, yy + 1, w, CA_DIM, "not simulated yet");
		return 2;
	}
	m = money(r->monthly_cost);
	canvas_rtext(c, right, yy, fig == CA_DIM ? CA_DIM : CA_HEADER, m);
	free(m);
	yy++;
	if (b) {
		char *bm = money(b->monthly_cost), *d = delta_money(r->monthly_cost - b->monthly_cost);
		double dd = r->monthly_cost - b->monthly_cost;

		canvas_printf(c, x, yy, w, CA_DIM, "baseline %s", bm);
		canvas_rtext(c, right, yy, fig == CA_DIM || fabs(dd) < 0.005 ? CA_DIM : dd > 0 ? CA_BAD
										      : CA_GOOD, d);
		free(bm);
		free(d);
		yy++;
	}
	compact(q, sizeof q, (double)r->requests);
	compact(q2, sizeof q2, (double)r->throttled);
	snprintf(buf, sizeof buf, "throttled %s of %s %s(%.3g%%)", q2, q,
		 w < 40 ? "" : row->kind == ROW_TABLE ? "ops " : row->kind == ROW_API ? "requests "
										      : "calls ",
		 r->throttle_ratio * 100);
	text_fit(c, x, yy++, w, r->throttled && fig != CA_DIM ? CA_BAD : fig, buf);
	if (row->kind == ROW_FUNCTION && a->cur) {
		int i2 = plan_find_function(a->cur->ap->plan, row->name);

		if (i2 >= 0) {
			const struct fn_usage *fu = &a->cur->usage->fn[i2];

			compact(q, sizeof q, (double)fu->cold_starts);
			snprintf(buf, sizeof buf, "peak concurrency %.1f, cold starts %s",
				 fu->peak_concurrency, q);
			text_fit(c, x, yy++, w, fig, buf);
		}
	} else if (row->kind == ROW_API && a->cur) {
		int i2 = plan_find_api(a->cur->ap->plan, row->name);

		if (i2 >= 0 && a->cur->ap->plan->apis[i2].has_cache) {
			const struct api_usage *au = &a->cur->usage->api[i2];

			compact(q, sizeof q, (double)au->cache_hits);
			snprintf(buf, sizeof buf, "cache hits %s", q);
			text_fit(c, x, yy++, w, fig, buf);
		}
	}
	canvas_text(c, x, yy++, -1, CA_HEADER, "LINE ITEMS");
	for (i = 0; i < r->nitems && yy < y + h; i++) {
		const struct line_item *li = &r->items[i];
		int cw = w - 23;

		if (yy == y + h - 1 && i + 1 < r->nitems) {
			canvas_printf(c, x, yy, w, CA_DIM, "\xe2\x80\xa6 %zu more items", r->nitems - i);
			yy++;
			break;
		}
		text_fit(c, x, yy, cw, fig, li->component);
		compact(q, sizeof q, li->quantity);
		snprintf(buf, sizeof buf, "%s %s", q, short_unit(li->unit));
		canvas_rtext(c, right - 11, yy, CA_DIM, buf);
		m = money(li->monthly_cost);
		canvas_rtext(c, right, yy, li->monthly_cost < 0 ? CA_GOOD : fig, m);
		free(m);
		yy++;
	}
	if (r->nitems == 0 && yy < y + h)
		canvas_text(c, x, yy++, w, CA_DIM, "(no charges)");
	return yy - y;
}

/* The settings panel. Returns the rows used. */
static int draw_knobs(struct canvas *c, struct app *a, int x, int y, int w, int h)
{
	struct knob k[APP_MAX_KNOBS];
	size_t n = app_knobs(a, a->sel, k, APP_MAX_KNOBS), i, top = 0;
	int yy = y + 1, lw = 19;
	size_t cur = a->sel_knob < n ? a->sel_knob : n ? n - 1 : 0;

	canvas_text(c, x, y, -1, CA_HEADER, "SETTINGS");
	canvas_rtext(c, x + w, y, CA_DIM, "\xe2\x86\x90\xe2\x86\x92 change, Enter types");
	if (h > 1 && cur >= (size_t)(h - 1))
		top = cur - (size_t)(h - 1) + 1;
	for (i = top; i < n && yy < y + h; i++, yy++) {
		bool sel = i == cur && a->screen == SCR_DETAIL;
		enum cattr at = sel ? CA_SELECTED : !k[i].enabled ? CA_DIM : CA_NORMAL;
		int vx;

		if (sel)
			canvas_fill(c, x, yy, w, ' ', CA_SELECTED);
		text_fit(c, x + 1, yy, lw - 2, at, k[i].label);
		vx = x + lw;
		vx += text_fit(c, vx, yy, x + w - vx, sel ? CA_SELECTED : k[i].changed ? CA_CHANGED : at,
			       k[i].value);
		if (k[i].changed && x + w - vx > 6) {
			char was[64];

			snprintf(was, sizeof was, " was %s", k[i].base);
			text_fit(c, vx, yy, x + w - vx, sel ? CA_SELECTED : CA_DIM, was);
		}
	}
	return yy - y;
}

static void draw_detail(struct canvas *c, struct app *a)
{
	struct app_row row = app_row(a, a->sel);
	int body_y = 1, body_h = c->h - 3, left_w, top_h, rows_k, rows_b;
	struct knob k[APP_MAX_KNOBS];
	size_t nk = app_knobs(a, a->sel, k, APP_MAX_KNOBS);
	const char *kind = row.kind == ROW_API ? "apigateway" : row.kind == ROW_FUNCTION ? "lambda"
											  : "dynamodb";
	char where[200];

	if (row.kind == ROW_PLAN)
		snprintf(where, sizeof where, "plan settings");
	else
		snprintf(where, sizeof where, "%s (%s)", row.name, kind);
	draw_title(c, a, where, NULL);
	left_w = c->w >= 120 ? 56 : c->w / 2 - 1;
	/* Settings and the bill on top; charts below in what is left. */
	top_h = (int)nk + 1;
	if (top_h < 9)
		top_h = 9;
	if (row.kind == ROW_PLAN || top_h > body_h - 8)
		top_h = row.kind == ROW_PLAN ? body_h : body_h - 8;
	rows_k = draw_knobs(c, a, 0, body_y, left_w, top_h);
	if (row.kind == ROW_PLAN) {
		char **ch = app_changes(a);
		size_t i;
		int y = body_y;

		canvas_text(c, left_w + 2, y++, -1, CA_HEADER, "WHAT-IF CHANGES");
		if (!ch[0])
			canvas_text(c, left_w + 2, y++, c->w - left_w - 3, CA_DIM, "none: this is the baseline");
		for (i = 0; ch[i] && y < body_y + body_h - 7; i++)
			text_fit(c, left_w + 2, y++, c->w - left_w - 3, CA_CHANGED, ch[i]);
		app_strv_free(ch);
		draw_totals(c, a, c->h - 8);
		(void)rows_k;
		a->page_rows = top_h - 1;
		return;
	}
	rows_b = draw_bill(c, a, &row, left_w + 2, body_y,
			   c->w - left_w - 3 > 64 ? 64 : c->w - left_w - 3, top_h);
	if (rows_b > top_h)
		rows_b = top_h;
	{
		int used = rows_k > rows_b ? rows_k : rows_b;

		if (used < top_h && nk + 1 <= (size_t)used)
			top_h = used;
	}
	draw_charts(c, a, &row, body_y + top_h, body_h - top_h);
	a->page_rows = top_h - 1;
}

/* ---- help and messages ---------------------------------------------------- */

static void draw_text_screen(struct canvas *c, struct app *a)
{
	size_t n, i, skip;
	const char *const *lines = app_text(a, &n);
	int y = 1, h = c->h - 3;

	a->page_rows = h;
	skip = a->text_scroll;
	if (n > (size_t)h && skip > n - (size_t)h)
		skip = n - (size_t)h;
	if (n <= (size_t)h)
		skip = 0;
	{
		char more[96] = "";
		int m = 0;

		/* The advice screen: work in progress first. */
		if (a->screen == SCR_ADVICE && a->advising)
			m = a->show_timing ? snprintf(more, sizeof more, "advising\xe2\x80\xa6 %.1f s ",
						      (app_now_ms() - a->advising_since_ms) / 1000)
					   : snprintf(more, sizeof more, "advising\xe2\x80\xa6 ");
		if (m < 0 || m >= (int)sizeof more)
			m = 0;
		if (n > (size_t)h)
			snprintf(more + m, sizeof more - (size_t)m, "lines %zu-%zu of %zu ", skip + 1,
				 skip + (size_t)h < n ? skip + (size_t)h : n, n);
		draw_title(c, a, a->screen == SCR_HELP ? "help" : a->screen == SCR_ADVICE ? "advice"
											: "messages", more);
	}
	for (i = skip; i < n && y < 1 + h; i++) {
		const char *s = lines[i];
		bool dim = s[0] == '~', head;
		int indent = 0, first = 1;

		/* '~': advice for an older what-if, shown dim until the new one. */
		if (dim)
			s++;
		head = s[0] == '#';
		if (head)
			s++;
		/* Continuation lines start under the text after the keys. */
		{
			const char *q = strstr(s, "   ");

			while (q && q[3] == ' ')
				q++;
			indent = q && q - s < 24 ? (int)(q - s) + 3 : 4;
		}
		/* Wrap long lines, continuing under the text. */
		while (y < 1 + h) {
			int x0 = first ? 1 : 1 + indent, wdt = canvas_width(s), room = c->w - x0;

			first = 0;
			if (wdt <= room) {
				canvas_text(c, x0, y++, room, dim ? CA_DIM : head ? CA_HEADER : CA_NORMAL, s);
				break;
			} else {
				int cut = room, cols = 0;
				const char *p = s, *brk = NULL;

				while (*p && cols < cut) {
					if (*p == ' ')
						brk = p;
					p++;
					while ((*p & 0xc0) == 0x80)
						p++;
					cols++;
				}
				if (!brk || brk == s)
					brk = p;
				{
					char *part = xstrndup(s, (size_t)(brk - s));

					canvas_text(c, x0, y++, room, dim ? CA_DIM : head ? CA_HEADER : CA_NORMAL,
						    part);
					free(part);
				}
				s = brk;
				while (*s == ' ')
					s++;
				if (!*s)
					break;
			}
		}
	}
}

/* ---- entry -------------------------------------------------------------- */

void draw_app(struct canvas *c, struct app *a)
{
	canvas_clear(c);
	if (c->w < DRAW_MIN_W || c->h < DRAW_MIN_H) {
		char msg[160], *p, *line, *sp;
		int nl = 0, y, pass;

		/* Word-wrapped to the window's width, centred vertically. */
		snprintf(msg, sizeof msg, "costcap tui needs %dx%d (now %dx%d): enlarge the window; q quits",
			 DRAW_MIN_W, DRAW_MIN_H, c->w, c->h);
		for (pass = 0; pass < 2; pass++) {
			y = pass == 0 ? 0 : (c->h - nl) / 2;
			if (y < 0)
				y = 0;
			for (p = msg; *p; y++) {
				size_t len = strlen(p);

				if ((int)len > c->w) {
					for (sp = p + c->w; sp > p && *sp != ' '; sp--)
						;
					len = sp > p ? (size_t)(sp - p) : (size_t)c->w;
				}
				line = xstrndup(p, len);
				if (pass == 1)
					canvas_text(c, 0, y, c->w, y == (c->h - nl) / 2 ? CA_HEADER : CA_NORMAL,
						    line);
				free(line);
				p += len;
				while (*p == ' ')
					p++;
			}
			nl = y;
		}
		return;
	}
	switch (a->screen) {
	case SCR_OVERVIEW:
		draw_overview(c, a);
		break;
	case SCR_DETAIL:
		draw_detail(c, a);
		break;
	default:
		draw_text_screen(c, a);
		break;
	}
	draw_status(c, a);
	draw_hints(c, a);
}
