#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/util.h"
#include "paths.h"

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int atomic_write(const char *path, const char *data, size_t len, struct err *e)
{
	char *dir, *tmp;
	int fd, saved;
	struct stat st;
	mode_t mode = 0644;

	if (strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, data, len) < 0) {
			err_add(e, "(stdout)", 0, 0, "cannot write: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			err_add(e, path, 0, 0, "is a directory, expected a file to write");
			return -1;
		}
		mode = st.st_mode & 07777;
	}
	dir = paths_dirname(path);
	tmp = xasprintf("%s/.%s.tmpXXXXXX", dir, strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	free(dir);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err_add(e, path, 0, 0, "cannot create a temporary file next to it: %s", strerror(errno));
		free(tmp);
		return -1;
	}
	if (write_all(fd, data, len) < 0 || fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		err_add(e, path, 0, 0, "cannot write: %s", strerror(saved));
		free(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		err_add(e, path, 0, 0, "cannot write: %s", strerror(saved));
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
