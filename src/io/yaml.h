/* yaml: the one place that talks to libyaml. It turns a YAML document into
 * a small tree of nodes that remember their 1-based line and column, so
 * that the model and plan loaders can report "file:line:col: ..." for any
 * value. Anchors and aliases are expanded (with a budget, so alias bombs
 * fail cleanly), nesting is capped, duplicate keys are errors, and only
 * one document per file is accepted. */
#ifndef COSTCAP_IO_YAML_H
#define COSTCAP_IO_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/err.h"

enum ynode_kind { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ };

struct ynode {
	enum ynode_kind kind;
	int line, col;		/* 1-based position of the node's start */
	char *str;		/* scalar text (NULL for maps and sequences) */
	bool quoted;		/* scalar was written in quotes */
	/* Children: for a sequence, items[0..n); for a map, key/value pairs
	 * items[2i] (a scalar key) and items[2i+1] (its value). */
	struct ynode **items;
	size_t n, cap;
};

/* Limits applied while loading; exceeded limits are input errors. */
#define YAML_MAX_DEPTH 64
#define YAML_MAX_NODES 1000000
#define YAML_MAX_FILE (64 << 20)	/* bytes read from one file or pipe */

/* Parses the YAML in buf (len bytes); 'name' is used in diagnostics.
 * On success stores a new tree in *out (NULL for an empty document) and
 * returns 0; free it with ynode_free. On failure appends diagnostics to
 * 'e', stores NULL and returns -1. */
int yaml_load_buffer(const char *name, const char *buf, size_t len,
		     struct ynode **out, struct err *e);

/* Reads 'path' ("-" for standard input) and parses it like
 * yaml_load_buffer. Unreadable files and directories are errors. */
int yaml_load_file(const char *path, struct ynode **out, struct err *e);

/* Reads a whole file into a new NUL-terminated buffer (path "-" reads
 * standard input). Returns 0, or -1 with a diagnostic in 'e'. */
int yaml_read_file(const char *path, char **buf, size_t *len, struct err *e);

void ynode_free(struct ynode *n);
/* Returns a deep copy; free with ynode_free. */
struct ynode *ynode_copy(const struct ynode *n);
/* Returns a new scalar node holding a copy of s. */
struct ynode *ynode_new_scalar(const char *s, int line, int col);
/* Returns a new empty map or sequence node. */
struct ynode *ynode_new(enum ynode_kind kind, int line, int col);

/* Looks up 'key' in a map node; NULL if absent or 'map' is not a map. */
struct ynode *ynode_get(const struct ynode *map, const char *key);
/* The key node that goes with 'key' in 'map', for its position. */
struct ynode *ynode_key(const struct ynode *map, const char *key);
/* Sets map[key] = val, taking ownership of val and freeing any old value. */
void ynode_set(struct ynode *map, const char *key, struct ynode *val);
/* Appends 'item' (owned) to a sequence node. */
void ynode_append(struct ynode *seq, struct ynode *item);
/* Deep-merges 'over' into 'base' (both maps): map values merge key by key,
 * anything else replaces. 'over' is only read. */
void ynode_merge(struct ynode *base, const struct ynode *over);

/* Appends 'n' as block-style YAML (quoting scalars where needed). */
struct sbuf;
void yaml_dump(struct sbuf *out, const struct ynode *n);

#endif
