/* tree: edits of a plan's YAML tree (io/yaml.h) addressed by dotted
 * paths, as --set names plan values: "functions.checkout.memory_mb"
 * (in a sequence, a segment selects the element whose name or route it
 * is, else the element at that index). The TUI's what-ifs are such edits;
 * the plan is rebuilt from the edited tree (plan_from_tree), so every
 * edit is validated like a plan file. Also: comparing trees and listing
 * their differences. Pure functions, no curses. */
#ifndef COSTCAP_TUI_TREE_H
#define COSTCAP_TUI_TREE_H

#include <stdbool.h>
#include <stddef.h>

struct ynode;
struct sbuf;

/* Writes the shortest text that reads back as v (as JSON reports do). */
void tree_num_text(char *buf, size_t len, double v);

/* Whether two trees hold the same keys, order and scalars. */
bool tree_equal(const struct ynode *x, const struct ynode *y);
/* Sets every position in n to 0 (line 0: "a value given with --set"). */
void tree_zero_pos(struct ynode *n);

/* Finds the map holding the last key of dotted 'path' under 'root' and
 * stores that key in 'key' (keylen bytes); creates missing maps on the
 * way when 'create'. Returns NULL when the path leads nowhere. */
struct ynode *tree_resolve(struct ynode *root, const char *path, bool create, char *key,
			   size_t keylen);
/* The value at 'path', or NULL. */
const struct ynode *tree_get(const struct ynode *root, const char *path);
/* Sets the value at 'path', creating maps on the way; takes 'val'. */
void tree_set(struct ynode *root, const char *path, struct ynode *val);
void tree_set_str(struct ynode *root, const char *path, const char *s);
void tree_set_num(struct ynode *root, const char *path, double v);
/* Removes 'key' from map 'm' (no-op when absent or m is not a map). */
void tree_map_del(struct ynode *m, const char *key);
/* Removes the value at 'path' and its key. */
void tree_del(struct ynode *root, const char *path);
/* A new map {k1: v1, k2: v2} of numbers (k2 may be NULL). */
struct ynode *tree_num_map(const char *k1, double v1, const char *k2, double v2);

/* Appends 'n' in YAML flow style on one line ("(none)" for NULL). */
void tree_flow(struct sbuf *b, const struct ynode *n);
/* The path segment that selects sequence element 'item' (at index i):
 * its name or route when that is a plain word, else the index. */
void tree_elem_sel(char *buf, size_t len, const struct ynode *item, size_t i);
/* Appends to the NULL-terminated array *out (*n entries) one line
 * "path: old -> new" per difference between x and y under 'path'. */
void tree_diff(char ***out, size_t *n, const char *path, const struct ynode *x,
	       const struct ynode *y);

#endif
