/* draw: renders the TUI's state (app.h) into a canvas (canvas.h): the
 * overview, a resource's settings, line items and charts, the help and
 * messages screens, the status line and the hints bar. It computes
 * nothing about the plan: figures come from the app's bills and series.
 * No curses here, so the same drawing serves the terminal and the
 * scripted screen dumps. */
#ifndef COSTCAP_TUI_DRAW_H
#define COSTCAP_TUI_DRAW_H

#include "app.h"
#include "canvas.h"

/* The smallest screen the TUI lays out; smaller ones get a notice. */
#define DRAW_MIN_W 80
#define DRAW_MIN_H 24

/* Clears 'c' and draws the app's current screen on it. Also tells the
 * app how many rows a page has (for PgUp/PgDn). */
void draw_app(struct canvas *c, struct app *a);

#endif
