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
	/* A sanitizer build lives in build-asan/; its shipped files are one up. */
	probe = xasprintf("%s/models", buf);
	if (!is_dir(probe) && (slash = strrchr(buf, '/')) != NULL) {
		free(probe);
		probe = xasprintf("%.*s/models", (int)(slash - buf), buf);
		if (is_dir(probe))
			*slash = '\0';
	}
	free(probe);
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
