/* O_TMPFILE (an unnamed temporary file, Linux 3.11+) is a GNU extension;
 * everything else here is POSIX. Without it the code falls back to a
 * named temporary (mkstemp). */
#define _GNU_SOURCE
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
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
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The mode a new file gets: 0666 less the umask, as the shell's '>' does. */
static mode_t new_file_mode(void)
{
	mode_t u = umask(022);

	umask(u);
	return 0666 & ~u;
}

/* Flushes the folder holding a renamed file, so that the rename itself
 * survives a crash. Failures are ignored (some file systems refuse). */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Writes to an existing target that is not a regular file (a terminal,
 * /dev/null, a FIFO, /dev/stdout): renaming over it would replace the
 * device node or the pipe, so it is written in place (not atomically:
 * such targets cannot be). */
static int write_special(const char *path, const char *data, size_t len, struct err *e)
{
	int fd = open(path, O_WRONLY | O_TRUNC), saved;

	if (fd < 0) {
		err_add(e, path, 0, 0, "cannot open for writing: %s", strerror(errno));
		return -1;
	}
	if (write_all(fd, data, len) < 0) {
		saved = errno;
		close(fd);
		err_add(e, path, 0, 0, "cannot write: %s", strerror(saved));
		return -1;
	}
	if (close(fd) < 0 && errno != EINTR) {
		err_add(e, path, 0, 0, "cannot write: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Opens an unnamed temporary file in 'dir' (O_TMPFILE: it vanishes if
 * the process is killed before it is named) or, where that is not
 * supported, a named one ('*named' set, name in 'tmp'). The unnamed file
 * is named through /proc/self/fd, so it is used only when that exists. */
static int open_temp(const char *dir, char *tmp, int *named)
{
	int fd;

	*named = 0;
#ifdef O_TMPFILE
	if (access("/proc/self/fd", X_OK) == 0) {
		fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
		if (fd >= 0)
			return fd;
	}
#endif
	fd = mkstemp(tmp);
	if (fd >= 0)
		*named = 1;
	return fd;
}

/* Gives the unnamed temporary 'fd' the name 'tmp' (a fresh, unused name
 * from mkstemp's template). Returns 0 or -1 with errno. */
static int name_temp(int fd, char *tmp)
{
	char proc[64];
	int probe;

	/* mkstemp picks the name; its empty file is replaced by the link. */
	probe = mkstemp(tmp);
	if (probe < 0)
		return -1;
	close(probe);
	if (unlink(tmp) < 0)
		return -1;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW);
}

int atomic_write(const char *path, const char *data, size_t len, struct err *e)
{
	char *dir = NULL, *tmp = NULL, *real = NULL;
	const char *target = path, *base;
	int fd = -1, saved = 0, named = 0, rc = -1;
	struct stat st;
	mode_t mode;
	sigset_t block, old;

	if (strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, data, len) < 0) {
			err_add(e, "(stdout)", 0, 0, "cannot write: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (path[0] == '\0') {
		err_add(e, NULL, 0, 0, "empty output file name");
		return -1;
	}
	mode = new_file_mode();
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			err_add(e, path, 0, 0, "is a directory, expected a file to write");
			return -1;
		}
		if (!S_ISREG(st.st_mode))
			return write_special(path, data, len, e);
		mode = st.st_mode & 07777;
		/* Write through symbolic links: replace the file, keep the link. */
		real = realpath(path, NULL);
		if (real)
			target = real;
	}
	dir = paths_dirname(target);
	base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	tmp = xasprintf("%s/.%s.tmpXXXXXX", dir, base);
	/* From here until the temporary is renamed or removed, SIGINT and
	 * SIGTERM wait, so that an interrupted run leaves no temporary file
	 * behind (the handlers in main.c end the process). */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	fd = open_temp(dir, tmp, &named);
	if (fd < 0) {
		err_add(e, path, 0, 0, "cannot create a temporary file next to it: %s", strerror(errno));
		goto out;
	}
	if (write_all(fd, data, len) < 0 || fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		saved = errno;
		goto fail;
	}
	if (!named) {
		if (name_temp(fd, tmp) < 0) {
			saved = errno;
			goto fail;
		}
		named = 1;
	}
	if (close(fd) < 0) {
		fd = -1;
		saved = errno;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, target) < 0) {
		saved = errno;
		goto fail;
	}
	named = 0;
	sync_dir(dir);
	rc = 0;
	goto out;
fail:
	err_add(e, path, 0, 0, "cannot write: %s (the file was left unchanged)", strerror(saved));
out:
	if (fd >= 0)
		close(fd);
	if (named)
		unlink(tmp);
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(tmp);
	free(dir);
	free(real);
	return rc;
}
