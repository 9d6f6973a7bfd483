/* svg: inline SVG charts for the HTML report: a time-series chart (lines
 * over the simulated window, with an optional strip below on its own
 * scale, used for throttles) and a horizontal bar chart. The output is
 * XML (well-formed on its own) and styled by CSS classes the page
 * defines, so it follows the page's light or dark colours. Charts draw
 * the values they are given; they compute nothing but pixel positions
 * and axis ticks. */
#ifndef COSTCAP_REPORT_SVG_H
#define COSTCAP_REPORT_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/util.h"

struct svg_line {
	const char *label;	/* legend text */
	const char *cls;	/* CSS class (stroke, dash, fill) */
	const float *v;		/* one value per point; NULL: line absent */
	double mul;		/* each value is drawn as v x mul (1/step for per-second rates) */
	bool optional;		/* drawn only when its peak is at most 3x the others' (a
				 * far-away limit would flatten the traffic); else listed
				 * in the legend as above the chart */
};

struct svg_chart {
	const char *title;	/* figure caption */
	const char *unit;	/* y axis unit, e.g. "requests/s" */
	size_t n;		/* points per line */
	double step_s;		/* seconds per point */
	double start_epoch;	/* UTC start for date labels; NAN: time from the start */
	const struct svg_line *lines;
	int nlines;
	const struct svg_line *strip;	/* optional, drawn as an area on its own scale */
	const char *strip_none;		/* shown in the strip when it is all zero */
	const char *id;		/* element id (unique in the page) */
};

/* Appends <figure> with a caption, the SVG and a legend. */
void svg_timeseries(struct sbuf *out, const struct svg_chart *c);

struct svg_bar {
	const char *label;
	const char *cls;	/* CSS class of the bar */
	double value;		/* drawn length (negative drawn as 0) */
	const char *value_text;	/* printed at the end of the bar */
};

/* Appends <figure> with a caption and one horizontal bar per entry,
 * scaled to the largest value. */
void svg_hbars(struct sbuf *out, const char *title, const struct svg_bar *bars, size_t n,
	       const char *id);

#endif
