/* plan_load: reads a plan (YAML, DESIGN §4 and docs/plan-schema.md),
 * applies --set and --scale overrides, loads its model and turns it into a
 * validated struct plan: every key is known, every value has the right
 * type and lies within the model's limits, every name reference resolves.
 * All problems are reported, each with the position of the node at fault,
 * not only the first one. */
#ifndef COSTCAP_IO_PLAN_LOAD_H
#define COSTCAP_IO_PLAN_LOAD_H

#include <stddef.h>

#include "../core/err.h"
#include "../core/plan.h"
#include "yaml.h"

/* The file name diagnostics use for values given with --set (line 0). */
#define PLAN_SET_FILE "--set"

/* Loads a plan. 'path' is the plan file, "-" for standard input (named
 * "<stdin>" in messages; relative paths in it resolve against the current
 * folder), or NULL for the built-in example plan
 * (paths_data_dir()/example.yaml).
 * 'sets' holds 'nsets' strings "dotted.path=value" from --set, applied in
 * order to the YAML tree before it is validated (see plan_apply_set).
 * 'scale' replaces traffic.scale (from --scale); NAN when not given.
 * Returns 0 and stores a new plan in *out (free with plan_free), or
 * returns -1, stores NULL and appends EVERY problem found to 'e'. */
int plan_load(const char *path, const char *const *sets, size_t nsets, double scale,
	      struct plan **out, struct err *e);

/* Applies one --set assignment "a.b.c=VALUE" to the plan tree 'root' (a
 * map), in place. Path segments are split on '.': in a map a segment is a
 * key; in a sequence it selects the element whose 'name' (or 'route', for
 * routes) equals the segment, else the element at that decimal index.
 * VALUE is parsed as YAML ("{min: 5, max: 100}" and "[a, b]" work; an
 * empty VALUE is an empty scalar) and its nodes get line 0, so problems
 * with it are reported against PLAN_SET_FILE. Missing map keys along the
 * path are created (and then validated like any key by the loader); a
 * path that leads through a missing sequence element or into a scalar is
 * an error naming the path. Returns 0, or -1 with a diagnostic in 'e'
 * (the tree is then unchanged). */
int plan_apply_set(struct ynode *root, const char *assignment, struct err *e);

/* Converts an already parsed (and possibly --set-edited) plan tree into a
 * plan, as plan_load does after reading the file: 'file' names the plan in
 * messages and is stored in plan->path; relative paths (model, trace)
 * resolve against 'dir' (NULL: the current folder). 'root' is only read
 * and may be NULL (an empty document, reported as an error). 'scale' as
 * in plan_load. Returns 0 with a new plan in *out, or -1 with every
 * problem appended to 'e'. Used by plan_load and the TUI. */
int plan_from_tree(const struct ynode *root, const char *file, const char *dir,
		   double scale, struct plan **out, struct err *e);

#endif
