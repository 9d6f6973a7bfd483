#include "tree.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../io/yaml.h"
#include "../report/report.h"

void tree_num_text(char *buf, size_t len, double v)
{
	struct sbuf b = {0};

	json_number(&b, v);
	snprintf(buf, len, "%s", b.buf ? b.buf : "0");
	sbuf_free(&b);
}

static void strv_add(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 2) * sizeof **v);
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

bool tree_equal(const struct ynode *x, const struct ynode *y)
{
	size_t i;

	if (!x || !y)
		return x == y;
	if (x->kind != y->kind || x->n != y->n)
		return false;
	if (x->kind == YNODE_SCALAR)
		return strcmp(x->str, y->str) == 0 && x->quoted == y->quoted;
	for (i = 0; i < x->n; i++)
		if (!tree_equal(x->items[i], y->items[i]))
			return false;
	return true;
}

void tree_zero_pos(struct ynode *n)
{
	size_t i;

	n->line = n->col = 0;
	for (i = 0; i < n->n; i++)
		tree_zero_pos(n->items[i]);
}

/* The element of sequence 'seq' that 'seg' selects: the one whose name
 * (or route) is 'seg', else the one at that index (as plan_apply_set). */
static struct ynode *seq_elem(const struct ynode *seq, const char *seg)
{
	static const char *const keys[] = {"name", "route"};
	size_t i, k;
	char *end;
	long idx;

	for (i = 0; i < seq->n; i++)
		for (k = 0; k < 2; k++) {
			const struct ynode *v = ynode_get(seq->items[i], keys[k]);

			if (v && v->kind == YNODE_SCALAR && strcmp(v->str, seg) == 0)
				return seq->items[i];
		}
	if (!isdigit((unsigned char)seg[0]))
		return NULL;
	idx = strtol(seg, &end, 10);
	if (*end || idx < 0 || (size_t)idx >= seq->n)
		return NULL;
	return seq->items[idx];
}

/* Finds the map that holds the last key of dotted 'path' in 'root',
 * creating missing maps on the way when 'create'. Stores the last key in
 * key (a buffer of keylen bytes). Returns NULL when the path leads
 * nowhere. */
struct ynode *tree_resolve(struct ynode *root, const char *path, bool create, char *key,
			     size_t keylen)
{
	char *copy = xstrdup(path), *seg = copy, *dot;
	struct ynode *cur = root;

	for (;;) {
		dot = strchr(seg, '.');
		if (!dot)
			break;
		*dot = '\0';
		if (!cur) {
			break;
		} else if (cur->kind == YNODE_MAP) {
			struct ynode *child = ynode_get(cur, seg);

			if ((!child || (child->kind == YNODE_SCALAR && !child->quoted &&
					(!child->str[0] || !strcmp(child->str, "~") ||
					 !strcmp(child->str, "null")))) && create) {
				child = ynode_new(YNODE_MAP, 0, 0);
				ynode_set(cur, seg, child);
			}
			cur = child;
		} else if (cur->kind == YNODE_SEQ) {
			cur = seq_elem(cur, seg);
		} else {
			cur = NULL;
		}
		seg = dot + 1;
	}
	snprintf(key, keylen, "%s", seg);
	free(copy);
	return cur && cur->kind == YNODE_MAP ? cur : NULL;
}

const struct ynode *tree_get(const struct ynode *root, const char *path)
{
	char key[128];
	struct ynode *m = tree_resolve((struct ynode *)root, path, false, key, sizeof key);

	return m ? ynode_get(m, key) : NULL;
}

void tree_set(struct ynode *root, const char *path, struct ynode *val)
{
	char key[128];
	struct ynode *m = tree_resolve(root, path, true, key, sizeof key);

	if (m)
		ynode_set(m, key, val);
	else
		ynode_free(val);
}

void tree_set_str(struct ynode *root, const char *path, const char *s)
{
	tree_set(root, path, ynode_new_scalar(s, 0, 0));
}

void tree_set_num(struct ynode *root, const char *path, double v)
{
	char buf[48];

	tree_num_text(buf, sizeof buf, v);
	tree_set_str(root, path, buf);
}

void tree_map_del(struct ynode *m, const char *key)
{
	size_t i;

	if (!m || m->kind != YNODE_MAP)
		return;
	for (i = 0; i + 1 < m->n; i += 2)
		if (m->items[i]->str && strcmp(m->items[i]->str, key) == 0) {
			ynode_free(m->items[i]);
			ynode_free(m->items[i + 1]);
			memmove(&m->items[i], &m->items[i + 2], (m->n - i - 2) * sizeof *m->items);
			m->n -= 2;
			return;
		}
}

void tree_del(struct ynode *root, const char *path)
{
	char key[128];

	tree_map_del(tree_resolve(root, path, false, key, sizeof key), key);
}

/* A small map {k1: v1, k2: v2} of numbers. */
struct ynode *tree_num_map(const char *k1, double v1, const char *k2, double v2)
{
	struct ynode *m = ynode_new(YNODE_MAP, 0, 0);
	char buf[48];

	tree_num_text(buf, sizeof buf, v1);
	ynode_set(m, k1, ynode_new_scalar(buf, 0, 0));
	if (k2) {
		tree_num_text(buf, sizeof buf, v2);
		ynode_set(m, k2, ynode_new_scalar(buf, 0, 0));
	}
	return m;
}

/* Appends 'n' in YAML flow style (one line). */
void tree_flow(struct sbuf *b, const struct ynode *n)
{
	size_t i;

	if (!n) {
		sbuf_add(b, "(none)");
	} else if (n->kind == YNODE_SCALAR) {
		sbuf_add(b, n->str[0] ? n->str : "\"\"");
	} else if (n->kind == YNODE_SEQ) {
		sbuf_addc(b, '[');
		for (i = 0; i < n->n; i++) {
			if (i)
				sbuf_add(b, ", ");
			tree_flow(b, n->items[i]);
		}
		sbuf_addc(b, ']');
	} else {
		sbuf_addc(b, '{');
		for (i = 0; i + 1 < n->n; i += 2) {
			if (i)
				sbuf_add(b, ", ");
			sbuf_printf(b, "%s: ", n->items[i]->str);
			tree_flow(b, n->items[i + 1]);
		}
		sbuf_addc(b, '}');
	}
}

/* The selector of element i of a sequence in a path: its name or route
 * when that is a plain word, else its index. */
void tree_elem_sel(char *buf, size_t len, const struct ynode *item, size_t i)
{
	const struct ynode *v = ynode_get(item, "name");

	if (!v)
		v = ynode_get(item, "route");
	if (v && v->kind == YNODE_SCALAR && v->str[0] && !strchr(v->str, '.') &&
	    !isdigit((unsigned char)v->str[0]))
		snprintf(buf, len, "%s", v->str);
	else
		snprintf(buf, len, "%zu", i);
}

/* Lists differences between 'x' (baseline) and 'y' (what-if) under
 * 'path' as "path: old -> new". */
void tree_diff(char ***out, size_t *n, const char *path, const struct ynode *x,
		 const struct ynode *y)
{
	size_t i;

	if (tree_equal(x, y))
		return;
	if (x && y && x->kind == YNODE_MAP && y->kind == YNODE_MAP) {
		for (i = 0; i + 1 < x->n; i += 2) {
			const char *k = x->items[i]->str;
			char *sub = path[0] ? xasprintf("%s.%s", path, k) : xstrdup(k);

			tree_diff(out, n, sub, x->items[i + 1], ynode_get(y, k));
			free(sub);
		}
		for (i = 0; i + 1 < y->n; i += 2) {
			const char *k = y->items[i]->str;

			if (!ynode_get(x, k)) {
				char *sub = path[0] ? xasprintf("%s.%s", path, k) : xstrdup(k);

				tree_diff(out, n, sub, NULL, y->items[i + 1]);
				free(sub);
			}
		}
		return;
	}
	if (x && y && x->kind == YNODE_SEQ && y->kind == YNODE_SEQ && x->n == y->n) {
		for (i = 0; i < x->n; i++) {
			char sel[128], *sub;

			tree_elem_sel(sel, sizeof sel, x->items[i], i);
			sub = xasprintf("%s.%s", path, sel);
			tree_diff(out, n, sub, x->items[i], y->items[i]);
			free(sub);
		}
		return;
	}
	{
		struct sbuf b = {0};

		sbuf_printf(&b, "%s: ", path);
		tree_flow(&b, x);
		sbuf_add(&b, " -> ");
		tree_flow(&b, y);
		strv_add(out, n, sbuf_take(&b));
	}
}

