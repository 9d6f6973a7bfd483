#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/util.h"

#ifndef COSTCAP_PREFIX
#define COSTCAP_PREFIX "/usr/local"
#endif

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *paths_exe_dir(void)
{
	static char *dir;
	static int done;
	char buf[PATH_MAX];
	ssize_t n;
	char *slash, *probe;

	if (done)
		return dir;
	done = 1;
	n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	/* Sanitizer builds and test binaries live below the checkout
	 * (build-asan/, build/tests/): look up to two folders up. */
	{
		int up;

		for (up = 0; up <= 2; up++) {
			int found;

			probe = xasprintf("%s/models", buf);
			found = is_dir(probe);
			free(probe);
			if (found || !(slash = strrchr(buf, '/')))
				break;
			if (up == 2) {
				/* Not found: keep the binary's own folder. */
				n = readlink("/proc/self/exe", buf, sizeof buf - 1);
				buf[n] = '\0';
				*strrchr(buf, '/') = '\0';
				break;
			}
			*slash = '\0';
		}
	}
	dir = xstrdup(buf);
	return dir;
}

const char *paths_share_dir(void)
{
	static char *share;
	const char *exe = paths_exe_dir();

	if (share)
		return share;
	if (exe) {
		char *probe = xasprintf("%s/models", exe);
		int ok = is_dir(probe);

		free(probe);
		if (ok) {
			share = xstrdup(exe);
			return share;
		}
	}
	share = xstrdup(COSTCAP_PREFIX "/share/costcap");
	return share;
}

const char *paths_data_dir(void)
{
	static char *data;

	if (!data)
		data = xasprintf("%s/data", paths_share_dir());
	return data;
}

char *paths_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

char *paths_join(const char *dir, const char *rel)
{
	if (rel[0] == '/' || !dir || strcmp(dir, ".") == 0)
		return xstrdup(rel);
	return xasprintf("%s/%s", dir, rel);
}
