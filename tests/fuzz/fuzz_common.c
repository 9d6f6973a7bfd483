#define _GNU_SOURCE	/* memfd_create */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int fd = -1;
static char path[64];

void fuzz_setup_models(void)
{
	static char buf[4096];
	const char *root = getenv("COSTCAP_ROOT");
	struct stat st;

	if (getenv("COSTCAP_MODELS"))
		return;
	snprintf(buf, sizeof buf, "%s/models", root ? root : ".");
	if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
		setenv("COSTCAP_MODELS", buf, 1);
}

void fuzz_file_close(void)
{
	if (fd >= 0)
		close(fd);
	fd = -1;
}

const char *fuzz_file(const uint8_t *data, size_t size)
{
	size_t off = 0;

	fuzz_file_close();
	fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0) {
			fuzz_file_close();
			return NULL;
		}
		off += (size_t)n;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return path;
}
