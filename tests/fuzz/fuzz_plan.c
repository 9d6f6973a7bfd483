/* Fuzzes the plan loader: YAML text -> tree (yaml_load_buffer) -> plan
 * (plan_from_tree, which also loads and checks the plan's model), then a
 * --set edit of the tree, as the TUI does. Any input must give either a
 * plan or diagnostics: no crash, leak, hang or exit. */
#include <math.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "core/err.h"
#include "core/plan.h"
#include "io/plan_load.h"
#include "io/yaml.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup_models();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {0};
	struct ynode *root = NULL;
	struct plan *p = NULL;

	if (yaml_load_buffer("fuzz.yaml", (const char *)data, size, &root, &e) == 0) {
		/* Relative paths (trace, model) resolve in a folder that does
		 * not exist, so the harness never reads files by accident
		 * beyond the models folder. */
		if (plan_from_tree(root, "fuzz.yaml", "/nonexistent-fuzz-dir", NAN, &p, &e) == 0) {
			if (!p)
				abort();
			plan_free(p);
		} else if (e.n == 0 || p) {
			abort();	/* failure must say why and give nothing */
		}
		if (root && root->kind == YNODE_MAP) {
			plan_apply_set(root, "functions.0.memory_mb=1024", &e);
			plan_apply_set(root, "traffic.scale={a: [1, 2]}", &e);
		}
	} else if (e.n == 0 || root) {
		abort();
	}
	ynode_free(root);
	err_clear(&e);
	return 0;
}
