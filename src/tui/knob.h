/* knob: the settings the TUI changes on each row of the overview (the
 * plan, an API, a function, a table): how each is shown, with its
 * baseline value, and how one step (or a typed value) changes the what-if's
 * YAML tree. Numbers step along familiar series (1, 1.25, 1.5, 2, 2.5, 3,
 * 4, 5, 6, 8, 10, ...; Lambda memory sizes; 5-point fractions); choices
 * cycle; "none" sits above every number for limits that can be removed
 * (reserved concurrency, a stage throttle). Changes that imply others are
 * made together: a table switched to on_demand loses its capacity
 * settings (and gets the baseline's back when switched again); an API
 * that stops being REST loses its cache. No curses. */
#ifndef COSTCAP_TUI_KNOB_H
#define COSTCAP_TUI_KNOB_H

#include <stddef.h>

#include "app.h"

struct ynode;

enum knob_type {
	KT_MODEL, KT_SCALE, KT_GROWTH, KT_FREE_TIER, KT_ACCT_CONC,
	KT_MEMORY, KT_ARCH, KT_RESERVED, KT_PROVISIONED, KT_DURATION,
	KT_API_TYPE, KT_THROTTLE_RATE, KT_THROTTLE_BURST, KT_CACHE_SIZE, KT_HIT_RATIO,
	KT_TABLE_MODE, KT_CLASS, KT_UNITS, KT_AUTOSCALING, KT_AS_MIN, KT_AS_MAX, KT_AS_TARGET,
	KT_HOT_KEY, KT_STORAGE, KT_GSI_AUTOSCALING
};

/* Changes setting 'k' of 'row' in 'tree' (a copy of the latest what-if's
 * tree) one step in direction 'dir' (+1 or -1), or to 'typed' (a YAML
 * value; "none" removes a limit) when not NULL. Reads the app (models,
 * baseline, peaks of the shown result) but does not change it. Writes
 * what was done ("functions.f.memory_mb=1024") or why nothing was to
 * 'label'. Returns 0 (tree changed), 1 (nothing to change) or -1 (a
 * typed value that cannot be used). */
int knob_apply(const struct app *a, const struct app_row *row, const struct knob *k, int dir,
	       const char *typed, struct ynode *tree, char *label, size_t lablen);

#endif
