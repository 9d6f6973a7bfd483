/* model_load: finds model files, resolves 'extends' chains and turns the
 * resolved YAML into a struct model, checking every key (unknown keys are
 * errors, with a suggestion) and every value's type and range. */
#ifndef COSTCAP_IO_MODEL_LOAD_H
#define COSTCAP_IO_MODEL_LOAD_H

#include <stddef.h>

#include "../core/err.h"
#include "../core/model.h"
#include "yaml.h"

/* The folder holding model files: $COSTCAP_MODELS, else "models" next to
 * the binary (a checkout), else PREFIX/share/costcap/models. The result is
 * a static string. */
const char *model_dir(void);

/* Resolves a model reference: a name like "aws/us-east-1" (looked up in
 * model_dir()) or a path ending in .yaml/.yml (relative to base_dir when
 * not absolute; base_dir may be NULL for the current folder). Returns a
 * new path string, or NULL with a diagnostic in 'e'. */
char *model_resolve(const char *ref, const char *base_dir, struct err *e);

/* Loads the model file at 'ref' with its 'extends' chain merged (the
 * child's keys override the parent's, map by map). Stores a new tree in
 * *tree and the file's path in *path (both owned by the caller). */
int model_load_tree(const char *ref, const char *base_dir,
		    struct ynode **tree, char **path, struct err *e);

/* Loads and validates a model. 'behaviour' may be NULL, or a map with keys
 * lambda / apigateway / dynamodb whose maps override the model's
 * <service>.behaviour keys (a plan's behaviour: section); 'bfile' names
 * its file for messages. On success stores a new model in *out (free with
 * model_free) and returns 0; otherwise returns -1 with every problem
 * found in 'e'. */
int model_load(const char *ref, const char *base_dir,
	       const struct ynode *behaviour, const char *bfile,
	       struct model **out, struct err *e);

/* Lists the model names under model_dir() ("aws/us-east-1", ...), sorted.
 * Stores a new NULL-terminated array in *names; free each and the array. */
int model_list(char ***names, struct err *e);

#endif
