#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmt.h"

/* Geometry of a time-series chart, in SVG user units. */
#define CW 640.0		/* width */
#define ML 58.0			/* left margin (y labels) */
#define MR 14.0
#define MT 10.0
#define PH 150.0		/* main plot height */
#define GAP 16.0		/* between the plot and the strip */
#define SH 38.0			/* strip height */
#define XA 24.0			/* x axis labels */

/* A "nice" tick step (1, 2, 2.5 or 5 x 10^k) giving at most ~'ticks' ticks. */
static double nice_step(double range, int ticks)
{
	double raw = range / ticks, mag, f;

	if (!(raw > 0))
		return 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

static double peak_of(const struct svg_line *l, size_t n)
{
	double m = 0;
	size_t i;

	if (!l->v)
		return 0;
	for (i = 0; i < n; i++)
		if ((double)l->v[i] * l->mul > m)
			m = (double)l->v[i] * l->mul;
	return m;
}

/* Appends the points of a line as "x,y x,y ...", dropping points inside
 * flat runs (same pixel row before and after) to keep the file small. */
static void points(struct sbuf *o, const struct svg_chart *c, const struct svg_line *l,
		   double ymax, double ytop, double h, bool area)
{
	size_t i, n = c->n;
	double span = CW - ML - MR, prev = NAN;

	if (area)
		sbuf_printf(o, "%.1f,%.1f ", ML, ytop + h);
	for (i = 0; i < n; i++) {
		double v = (double)l->v[i] * l->mul, y, x, next;

		if (!isfinite(v))
			v = ymax;
		if (v > ymax)
			v = ymax;
		if (v < 0)
			v = 0;
		y = round((ytop + h - v / ymax * h) * 10) / 10;
		if (i + 1 < n) {
			double w = (double)l->v[i + 1] * l->mul;

			if (!isfinite(w) || w > ymax)
				w = ymax;
			if (w < 0)
				w = 0;
			next = round((ytop + h - w / ymax * h) * 10) / 10;
		} else {
			next = NAN;
		}
		if (i > 0 && i + 1 < n && y == prev && y == next)
			continue;
		prev = y;
		if (n == 1) {
			sbuf_printf(o, "%.1f,%.1f %.1f,%.1f ", ML, y, ML + span, y);
			continue;
		}
		x = ML + ((double)i + 0.5) / (double)n * span;
		if (i == 0)
			x = ML;
		else if (i + 1 == n)
			x = ML + span;
		sbuf_printf(o, "%.1f,%.1f ", x, y);
	}
	if (area)
		sbuf_printf(o, "%.1f,%.1f", ML + span, ytop + h);
	if (o->len && o->buf[o->len - 1] == ' ')
		o->buf[--o->len] = '\0';
}

static void y_axis(struct sbuf *o, double ymax, double step, double ytop, double h)
{
	double v;

	for (v = 0; v <= ymax * (1 + 1e-9); v += step) {
		double y = ytop + h - v / ymax * h;

		sbuf_printf(o, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
			    ML, y, CW - MR, y);
		sbuf_printf(o, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", ML - 6,
			    y + 4);
		fmt_si(o, v);
		sbuf_add(o, "</text>\n");
	}
}

/* Tick labels for time t (seconds from the window start of a window of
 * W seconds): UTC clock times (with the day when the window spans days)
 * when the start is known, else time from the start. */
static void time_label(struct sbuf *o, double t, double step, double W, double start_epoch)
{
	if (!isnan(start_epoch)) {
		char buf[32];
		time_t e = (time_t)(start_epoch + t);
		struct tm tm;

		gmtime_r(&e, &tm);
		strftime(buf, sizeof buf, step >= 86400 ? "%b %d" : W <= 86400 ? "%H:%M" : "%d %H:%M", &tm);
		sbuf_add(o, buf);
	} else if (step >= 86400) {
		sbuf_printf(o, "day %g", t / 86400);
	} else if (step >= 3600) {
		sbuf_printf(o, "%gh", t / 3600);
	} else if (step >= 60) {
		sbuf_printf(o, "%gmin", t / 60);
	} else {
		sbuf_printf(o, "%gs", t);
	}
}

static void x_axis(struct sbuf *o, const struct svg_chart *c, double ybase)
{
	static const double steps[] = {1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
				       7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600,
				       2419200, 4838400, 7257600, 14515200, 29030400};
	double W = (double)c->n * c->step_s, step = steps[0], first = 0, t;
	size_t i;

	for (i = 0; i < sizeof steps / sizeof *steps; i++) {
		step = steps[i];
		if (W / step <= 8)
			break;
	}
	/* Date ticks fall on UTC multiples of the step (midnights). */
	if (!isnan(c->start_epoch))
		first = ceil(c->start_epoch / step) * step - c->start_epoch;
	for (t = first; t <= W + 1e-9; t += step) {
		double x = ML + t / W * (CW - ML - MR);

		sbuf_printf(o, "<line class=\"xtick\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
			    x, ybase, x, ybase + 4);
		sbuf_printf(o, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x,
			    ybase + 16, t == 0 ? "start" : t + step > W + 1e-9 && x > CW - MR - 20 ? "end" :
			    "middle");
		time_label(o, t, step, W, c->start_epoch);
		sbuf_add(o, "</text>\n");
	}
}

static void legend_key(struct sbuf *o, const char *cls, bool area)
{
	sbuf_add(o, "<svg class=\"key\" xmlns=\"http://www.w3.org/2000/svg\" width=\"22\" height=\"10\" "
		 "viewBox=\"0 0 22 10\" aria-hidden=\"true\">");
	if (area)
		sbuf_printf(o, "<rect class=\"%s\" x=\"0\" y=\"1\" width=\"22\" height=\"8\"/>", cls);
	else
		sbuf_printf(o, "<line class=\"%s\" x1=\"0\" y1=\"5\" x2=\"22\" y2=\"5\"/>", cls);
	sbuf_add(o, "</svg>");
}

void svg_timeseries(struct sbuf *o, const struct svg_chart *c)
{
	double ymax = 0, step, h, sy0, smax = 0;
	bool *drawn = xcalloc((size_t)c->nlines + 1, sizeof *drawn);
	int i;

	for (i = 0; i < c->nlines; i++)
		if (c->lines[i].v && !c->lines[i].optional && peak_of(&c->lines[i], c->n) > ymax)
			ymax = peak_of(&c->lines[i], c->n);
	for (i = 0; i < c->nlines; i++) {
		double pk;

		if (!c->lines[i].v)
			continue;
		pk = peak_of(&c->lines[i], c->n);
		drawn[i] = !c->lines[i].optional || (isfinite(pk) && (ymax == 0 || pk <= 3 * ymax));
		if (drawn[i] && pk > ymax)
			ymax = pk;
	}
	if (!(ymax > 0))
		ymax = 1;
	step = nice_step(ymax, 4);
	ymax = ceil(ymax / step - 1e-9) * step;
	h = MT + PH + (c->strip ? GAP + SH : 0) + XA;
	sbuf_add(o, "<figure class=\"chart\"");
	if (c->id) {
		sbuf_add(o, " id=\"");
		xml_text(o, c->id);
		sbuf_add(o, "\"");
	}
	sbuf_add(o, "><figcaption>");
	xml_text(o, c->title);
	sbuf_add(o, " <span class=\"unit\">(");
	xml_text(o, c->unit);
	sbuf_add(o, ")</span></figcaption>\n");
	sbuf_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ts\" viewBox=\"0 0 %.0f %.0f\" "
		    "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"", CW, h, CW, h);
	xml_text(o, c->title);
	sbuf_add(o, "\">\n");
	y_axis(o, ymax, step, MT, PH);
	for (i = 0; i < c->nlines; i++) {
		if (!drawn[i])
			continue;
		sbuf_printf(o, "<polyline class=\"%s\" points=\"", c->lines[i].cls);
		points(o, c, &c->lines[i], ymax, MT, PH, false);
		sbuf_add(o, "\"><title>");
		xml_text(o, c->lines[i].label);
		sbuf_add(o, ": peak ");
		fmt_si(o, peak_of(&c->lines[i], c->n));
		sbuf_add(o, " ");
		xml_text(o, c->unit);
		sbuf_add(o, "</title></polyline>\n");
	}
	sbuf_printf(o, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", ML,
		    MT + PH, CW - MR, MT + PH);
	if (c->strip && c->strip->v) {
		sy0 = MT + PH + GAP;
		smax = peak_of(c->strip, c->n);
		sbuf_printf(o, "<rect class=\"stripbg\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
			    ML, sy0, CW - ML - MR, SH);
		if (smax > 0) {
			double sstep = nice_step(smax, 1), stop = ceil(smax / sstep - 1e-9) * sstep;

			sbuf_printf(o, "<polygon class=\"%s\" points=\"", c->strip->cls);
			points(o, c, c->strip, stop, sy0, SH, true);
			sbuf_add(o, "\"><title>");
			xml_text(o, c->strip->label);
			sbuf_add(o, ": peak ");
			fmt_si(o, smax);
			sbuf_add(o, " ");
			xml_text(o, c->unit);
			sbuf_add(o, "</title></polygon>\n");
			sbuf_printf(o, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", ML - 6,
				    sy0 + 8);
			fmt_si(o, stop);
			sbuf_add(o, "</text>");
		} else {
			sbuf_printf(o, "<text class=\"none\" x=\"%.1f\" y=\"%.1f\">", ML + 8,
				    sy0 + SH / 2 + 4);
			xml_text(o, c->strip_none ? c->strip_none : "none");
			sbuf_add(o, "</text>");
		}
		sbuf_printf(o, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">0</text>\n",
			    ML - 6, sy0 + SH + 3);
	}
	x_axis(o, c, h - XA);
	sbuf_add(o, "</svg>\n<div class=\"legend\">");
	for (i = 0; i < c->nlines; i++) {
		if (!c->lines[i].v)
			continue;
		sbuf_add(o, "<span>");
		legend_key(o, c->lines[i].cls, false);
		sbuf_addc(o, ' ');
		xml_text(o, c->lines[i].label);
		if (!drawn[i]) {
			double pk = peak_of(&c->lines[i], c->n);

			sbuf_add(o, " <em>(");
			if (isfinite(pk)) {
				fmt_si(o, pk);
				sbuf_add(o, ", above the chart");
			} else {
				sbuf_add(o, "none");
			}
			sbuf_add(o, ")</em>");
		}
		sbuf_add(o, "</span> ");
	}
	if (c->strip && c->strip->v) {
		sbuf_add(o, "<span>");
		legend_key(o, c->strip->cls, true);
		sbuf_addc(o, ' ');
		xml_text(o, c->strip->label);
		sbuf_add(o, " <em>(strip below, own scale)</em></span>");
	}
	sbuf_add(o, "</div></figure>\n");
	free(drawn);
}

void svg_hbars(struct sbuf *o, const char *title, const struct svg_bar *bars, size_t n,
	       const char *id)
{
	const double lw = 150, vw = 130, bh = 18, gap = 6, w = CW;
	double max = 0, h = (double)n * (bh + gap) + gap;
	size_t i;

	for (i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	if (!(max > 0))
		max = 1;
	sbuf_add(o, "<figure class=\"chart\"");
	if (id) {
		sbuf_add(o, " id=\"");
		xml_text(o, id);
		sbuf_add(o, "\"");
	}
	sbuf_add(o, "><figcaption>");
	xml_text(o, title);
	sbuf_add(o, "</figcaption>\n");
	sbuf_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bars\" viewBox=\"0 0 %.0f %.0f\" "
		    "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"", w, h, w, h);
	xml_text(o, title);
	sbuf_add(o, "\">\n");
	for (i = 0; i < n; i++) {
		double y = gap + (double)i * (bh + gap);
		double len = bars[i].value > 0 ? bars[i].value / max * (w - lw - vw - 8) : 0;

		sbuf_printf(o, "<text class=\"blabel\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", lw - 8,
			    y + bh - 5);
		xml_text(o, bars[i].label);
		sbuf_add(o, "</text>");
		sbuf_printf(o, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\">"
			    "<title>", bars[i].cls, lw, y, len < 1 && bars[i].value > 0 ? 1 : len, bh);
		xml_text(o, bars[i].label);
		sbuf_add(o, ": ");
		xml_text(o, bars[i].value_text);
		sbuf_add(o, "</title></rect>");
		sbuf_printf(o, "<text class=\"bvalue\" x=\"%.1f\" y=\"%.1f\">", lw + len + 6, y + bh - 5);
		xml_text(o, bars[i].value_text);
		sbuf_add(o, "</text>\n");
	}
	sbuf_add(o, "</svg></figure>\n");
}
