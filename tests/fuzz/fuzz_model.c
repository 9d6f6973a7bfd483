/* Fuzzes the model loader: the input is a model file (with 'extends'
 * resolved against the checkout's models/), loaded and validated by
 * model_load, then dumped back as YAML. */
#include <stdlib.h>

#include "fuzz_common.h"
#include "core/err.h"
#include "core/model.h"
#include "core/util.h"
#include "io/model_load.h"
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
	struct model *m = NULL;
	struct ynode *tree = NULL;
	char *path = NULL;
	const char *f = fuzz_file(data, size);

	if (!f)
		return 0;
	if (model_load(f, NULL, NULL, NULL, &m, &e) == 0) {
		if (!m)
			abort();
		model_free(m);
	} else if (e.n == 0 || m) {
		abort();
	}
	err_clear(&e);
	if (model_load_tree(f, NULL, &tree, &path, &e) == 0) {
		struct sbuf out = {0};

		yaml_dump(&out, tree);
		sbuf_free(&out);
	}
	ynode_free(tree);
	free(path);
	err_clear(&e);
	fuzz_file_close();
	return 0;
}
