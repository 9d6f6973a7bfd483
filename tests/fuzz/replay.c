/* replay: runs a fuzz harness (LLVMFuzzerTestOneInput) on saved inputs
 * without libFuzzer, so that the seed corpus and every input that once
 * crashed (tests/fuzz/regress/) are checked by `make check`, under the
 * sanitizers (`make asan`) and valgrind. Arguments are files or folders
 * (every regular file in them, not recursive). Exit 0 when every input
 * ran; a crash ends the process as the bug would. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return -1;
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i, count = 0, bad = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0)
			continue;	/* an empty regress folder may not exist */
		if (S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int n = scandir(argv[i], &names, NULL, alphasort), k;

			for (k = 0; k < n; k++) {
				char *p;

				if (names[k]->d_name[0] != '.') {
					p = malloc(strlen(argv[i]) + strlen(names[k]->d_name) + 2);
					if (!p)
						abort();
					sprintf(p, "%s/%s", argv[i], names[k]->d_name);
					if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
						bad |= run_file(p) < 0;
						count++;
					}
					free(p);
				}
				free(names[k]);
			}
			free(names);
		} else {
			bad |= run_file(argv[i]) < 0;
			count++;
		}
	}
	printf("%s: %d inputs replayed\n", argv[0], count);
	return bad;
}
