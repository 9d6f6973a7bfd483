#include "yaml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "../core/util.h"

struct anchor {
	char *name;
	struct ynode *node;	/* borrowed: owned by the tree */
};

struct builder {
	const char *name;
	struct err *e;
	struct anchor *anchors;
	size_t nanchors, capanchors;
	size_t nodes;		/* nodes created so far (budget) */
	int failed;
};

struct ynode *ynode_new(enum ynode_kind kind, int line, int col)
{
	struct ynode *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->line = line;
	n->col = col;
	return n;
}

struct ynode *ynode_new_scalar(const char *s, int line, int col)
{
	struct ynode *n = ynode_new(YNODE_SCALAR, line, col);

	n->str = xstrdup(s);
	return n;
}

void ynode_free(struct ynode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++)
		ynode_free(n->items[i]);
	free(n->items);
	free(n->str);
	free(n);
}

static void push(struct ynode *parent, struct ynode *child)
{
	xgrow(&parent->items, &parent->cap, parent->n + 1, sizeof *parent->items);
	parent->items[parent->n++] = child;
}

void ynode_append(struct ynode *seq, struct ynode *item)
{
	push(seq, item);
}

struct ynode *ynode_copy(const struct ynode *n)
{
	struct ynode *c;
	size_t i;

	if (!n)
		return NULL;
	c = ynode_new(n->kind, n->line, n->col);
	c->str = n->str ? xstrdup(n->str) : NULL;
	c->quoted = n->quoted;
	for (i = 0; i < n->n; i++)
		push(c, ynode_copy(n->items[i]));
	return c;
}

static long find_key(const struct ynode *map, const char *key)
{
	size_t i;

	if (!map || map->kind != YNODE_MAP)
		return -1;
	for (i = 0; i + 1 < map->n; i += 2)
		if (map->items[i]->str && strcmp(map->items[i]->str, key) == 0)
			return (long)i;
	return -1;
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	long i = find_key(map, key);

	return i < 0 ? NULL : map->items[i + 1];
}

struct ynode *ynode_key(const struct ynode *map, const char *key)
{
	long i = find_key(map, key);

	return i < 0 ? NULL : map->items[i];
}

void ynode_set(struct ynode *map, const char *key, struct ynode *val)
{
	long i = find_key(map, key);

	if (i >= 0) {
		ynode_free(map->items[i + 1]);
		map->items[i + 1] = val;
		return;
	}
	push(map, ynode_new_scalar(key, val->line, val->col));
	push(map, val);
}

void ynode_merge(struct ynode *base, const struct ynode *over)
{
	size_t i;

	for (i = 0; i + 1 < over->n; i += 2) {
		const char *k = over->items[i]->str;
		const struct ynode *ov = over->items[i + 1];
		struct ynode *bv = ynode_get(base, k);

		if (bv && bv->kind == YNODE_MAP && ov->kind == YNODE_MAP)
			ynode_merge(bv, ov);
		else
			ynode_set(base, k, ynode_copy(ov));
	}
}

static struct ynode *copy_budget(struct builder *b, const struct ynode *n)
{
	struct ynode *c;
	size_t i;

	if (b->failed)
		return NULL;
	if (++b->nodes > YAML_MAX_NODES) {
		b->failed = 1;
		return NULL;
	}
	c = ynode_new(n->kind, n->line, n->col);
	c->str = n->str ? xstrdup(n->str) : NULL;
	c->quoted = n->quoted;
	for (i = 0; i < n->n; i++) {
		struct ynode *k = copy_budget(b, n->items[i]);

		if (!k)
			break;
		push(c, k);
	}
	return c;
}

static void add_anchor(struct builder *b, const unsigned char *name, struct ynode *n)
{
	if (!name)
		return;
	xgrow(&b->anchors, &b->capanchors, b->nanchors + 1, sizeof *b->anchors);
	b->anchors[b->nanchors].name = xstrdup((const char *)name);
	b->anchors[b->nanchors].node = n;
	b->nanchors++;
}

static struct ynode *find_anchor(struct builder *b, const char *name)
{
	size_t i = b->nanchors;

	while (i-- > 0)	/* the latest definition wins, as YAML says */
		if (strcmp(b->anchors[i].name, name) == 0)
			return b->anchors[i].node;
	return NULL;
}

static const char *problem_text(const yaml_parser_t *p)
{
	return p->problem ? p->problem : "malformed YAML";
}

/* Adds a value node to the open container on the stack (or makes it the
 * root); checks duplicate keys in maps. Returns 0 or -1. */
static int attach(struct builder *b, struct ynode **stack, int depth,
		  struct ynode **root, struct ynode *n)
{
	struct ynode *top;

	if (depth == 0) {
		if (*root) {
			err_add(b->e, b->name, n->line, n->col,
				"only one YAML document is allowed per file");
			ynode_free(n);
			return -1;
		}
		*root = n;
		return 0;
	}
	top = stack[depth - 1];
	if (top->kind == YNODE_MAP && top->n % 2 == 0) {
		/* this node is a key */
		if (n->kind != YNODE_SCALAR) {
			err_add(b->e, b->name, n->line, n->col,
				"expected a plain key, found a %s",
				n->kind == YNODE_MAP ? "mapping" : "sequence");
			ynode_free(n);
			return -1;
		}
		if (find_key(top, n->str) >= 0) {
			err_add(b->e, b->name, n->line, n->col,
				"duplicate key '%s'", n->str);
			ynode_free(n);
			return -1;
		}
	}
	push(top, n);
	return 0;
}

int yaml_load_buffer(const char *name, const char *buf, size_t len,
		     struct ynode **out, struct err *e)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct builder b = {name, e, NULL, 0, 0, 0, 0};
	struct ynode *stack[YAML_MAX_DEPTH + 1];
	struct ynode *root = NULL;
	int depth = 0, done = 0, rc = 0;
	size_t i;

	*out = NULL;
	if (!yaml_parser_initialize(&parser))
		util_fatal("cannot initialise the YAML parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		struct ynode *n = NULL;
		int line, col;

		if (!yaml_parser_parse(&parser, &ev)) {
			const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.mark;

			if (parser.context)
				err_add(e, name, (int)m->line + 1, (int)m->column + 1, "%s %s",
					problem_text(&parser), parser.context);
			else
				err_add(e, name, (int)m->line + 1, (int)m->column + 1, "%s",
					problem_text(&parser));
			rc = -1;
			break;
		}
		line = (int)ev.start_mark.line + 1;
		col = (int)ev.start_mark.column + 1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_SCALAR_EVENT:
			n = ynode_new(YNODE_SCALAR, line, col);
			n->str = xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
			n->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
			if (strlen(n->str) != ev.data.scalar.length) {
				err_add(e, name, line, col, "NUL byte inside a value");
				ynode_free(n);
				rc = -1;
				done = 1;
				break;
			}
			add_anchor(&b, ev.data.scalar.anchor, n);
			if (++b.nodes > YAML_MAX_NODES || attach(&b, stack, depth, &root, n) < 0) {
				if (b.nodes > YAML_MAX_NODES) {
					err_add(e, name, line, col, "document has more than %d nodes",
						YAML_MAX_NODES);
					ynode_free(n);
				}
				rc = -1;
				done = 1;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth >= YAML_MAX_DEPTH) {
				err_add(e, name, line, col, "nesting deeper than %d levels",
					YAML_MAX_DEPTH);
				rc = -1;
				done = 1;
				break;
			}
			n = ynode_new(ev.type == YAML_MAPPING_START_EVENT ? YNODE_MAP : YNODE_SEQ,
				      line, col);
			add_anchor(&b, ev.type == YAML_MAPPING_START_EVENT ?
				   ev.data.mapping_start.anchor : ev.data.sequence_start.anchor, n);
			if (++b.nodes > YAML_MAX_NODES || attach(&b, stack, depth, &root, n) < 0) {
				if (b.nodes > YAML_MAX_NODES) {
					err_add(e, name, line, col, "document has more than %d nodes",
						YAML_MAX_NODES);
					ynode_free(n);
				}
				rc = -1;
				done = 1;
				break;
			}
			stack[depth++] = n;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_ALIAS_EVENT: {
			struct ynode *target = find_anchor(&b, (const char *)ev.data.alias.anchor);

			if (!target) {
				err_add(e, name, line, col, "unknown alias '*%s'",
					(const char *)ev.data.alias.anchor);
				rc = -1;
				done = 1;
				break;
			}
			n = copy_budget(&b, target);
			if (b.failed) {
				ynode_free(n);
				err_add(e, name, line, col,
					"aliases expand to more than %d nodes", YAML_MAX_NODES);
				rc = -1;
				done = 1;
				break;
			}
			n->line = line;
			n->col = col;
			if (attach(&b, stack, depth, &root, n) < 0) {
				rc = -1;
				done = 1;
			}
			break;
		}
		case YAML_DOCUMENT_START_EVENT:
			if (root) {
				err_add(e, name, line, col,
					"only one YAML document is allowed per file");
				rc = -1;
				done = 1;
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	for (i = 0; i < b.nanchors; i++)
		free(b.anchors[i].name);
	free(b.anchors);
	if (rc < 0) {
		ynode_free(root);
		return -1;
	}
	*out = root;
	return 0;
}

int yaml_read_file(const char *path, char **buf, size_t *len, struct err *e)
{
	FILE *f;
	struct stat st;
	struct sbuf b = {0};
	char chunk[65536];
	size_t n;
	int is_stdin = strcmp(path, "-") == 0;

	*buf = NULL;
	*len = 0;
	if (is_stdin) {
		f = stdin;
	} else {
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			err_add(e, path, 0, 0, "is a directory, expected a file");
			return -1;
		}
		f = fopen(path, "rb");
		if (!f) {
			err_add(e, path, 0, 0, "cannot open: %s", strerror(errno));
			return -1;
		}
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > YAML_MAX_FILE) {
			/* /dev/zero, /dev/urandom or a runaway pipe: not a plan. */
			err_add(e, is_stdin ? "<stdin>" : path, 0, 0,
				"larger than %d MB: not a plan or model file", YAML_MAX_FILE >> 20);
			if (!is_stdin)
				fclose(f);
			sbuf_free(&b);
			return -1;
		}
		sbuf_addn(&b, chunk, n);
	}
	if (ferror(f)) {
		err_add(e, path, 0, 0, "cannot read: %s", strerror(errno));
		if (!is_stdin)
			fclose(f);
		sbuf_free(&b);
		return -1;
	}
	if (!is_stdin)
		fclose(f);
	*len = b.len;
	*buf = sbuf_take(&b);
	return 0;
}

int yaml_load_file(const char *path, struct ynode **out, struct err *e)
{
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	if (yaml_read_file(path, &buf, &len, e) < 0)
		return -1;
	rc = yaml_load_buffer(path, buf, len, out, e);
	free(buf);
	return rc;
}

/* Whether a scalar can be written plain and read back as the same text. */
static int plain_ok(const char *s)
{
	const char *p;

	if (!*s || strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) || s[strlen(s) - 1] == ' ')
		return 0;
	for (p = s; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == '#' || *p == '"')
			return 0;
		if (*p == ':' && (p[1] == ' ' || p[1] == '\0'))
			return 0;
	}
	return 1;
}

static void dump_scalar(struct sbuf *o, const struct ynode *n)
{
	const char *p;

	if (!n->quoted && plain_ok(n->str)) {
		sbuf_add(o, n->str);
		return;
	}
	sbuf_addc(o, '"');
	for (p = n->str; *p; p++) {
		if (*p == '"' || *p == '\\')
			sbuf_addc(o, '\\');
		if (*p == '\n')
			sbuf_add(o, "\\n");
		else if ((unsigned char)*p < 0x20)
			sbuf_printf(o, "\\x%02x", (unsigned char)*p);
		else
			sbuf_addc(o, *p);
	}
	sbuf_addc(o, '"');
}

static void indent(struct sbuf *o, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		sbuf_add(o, "  ");
}

static void dump(struct sbuf *o, const struct ynode *n, int depth, int inline_first)
{
	size_t i;

	if (n->kind == YNODE_SCALAR) {
		dump_scalar(o, n);
		sbuf_addc(o, '\n');
		return;
	}
	if (n->n == 0) {
		sbuf_add(o, n->kind == YNODE_MAP ? "{}\n" : "[]\n");
		return;
	}
	if (n->kind == YNODE_SEQ) {
		for (i = 0; i < n->n; i++) {
			if (i || !inline_first)
				indent(o, depth);
			sbuf_add(o, "- ");
			dump(o, n->items[i], depth + 1, 1);
		}
		return;
	}
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *v = n->items[i + 1];

		if (i || !inline_first)
			indent(o, depth);
		dump_scalar(o, n->items[i]);
		if (v->kind == YNODE_SCALAR || v->n == 0) {
			sbuf_add(o, ": ");
			dump(o, v, depth + 1, 1);
		} else {
			sbuf_add(o, ":\n");
			dump(o, v, v->kind == YNODE_SEQ ? depth : depth + 1, 0);
		}
	}
}

void yaml_dump(struct sbuf *out, const struct ynode *n)
{
	if (n)
		dump(out, n, 0, 0);
}
