/* failwrite: an LD_PRELOAD shim for tests/hostile/run.sh that makes file
 * output fail or crawl, to prove that a failed or interrupted write
 * leaves the previous output file intact and no temporary behind.
 * Only descriptors above 2 are affected (not stdin/stdout/stderr).
 *   FAILWRITE_AFTER=N   write() fails with ENOSPC once N bytes were written
 *   FAILWRITE_FSYNC=1   fsync() fails with EIO
 *   FAILWRITE_RENAME=1  rename() fails with EIO
 *   FAILWRITE_SLOW_MS=N each write() writes at most 512 bytes and first
 *                       sleeps N ms (so that a test can kill the process
 *                       in the middle of writing)
 * The file "FAILWRITE_MARK", when set, is created at the first write()
 * to a file, so that the test knows writing has begun. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long written;

static long env_long(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? atol(v) : -1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	static int marked;
	long after = env_long("FAILWRITE_AFTER"), slow = env_long("FAILWRITE_SLOW_MS");
	const char *mark = getenv("FAILWRITE_MARK");

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (fd <= 2)
		return real(fd, buf, n);
	if (mark && !marked) {
		int m = open(mark, O_WRONLY | O_CREAT, 0644);

		if (m >= 0)
			close(m);
		marked = 1;
	}
	if (slow >= 0) {
		struct timespec ts = {slow / 1000, (slow % 1000) * 1000000L};

		nanosleep(&ts, NULL);
		if (n > 512)
			n = 512;
	}
	if (after >= 0) {
		if (written >= after) {
			errno = ENOSPC;
			return -1;
		}
		if ((long)n > after - written)
			n = (size_t)(after - written);
	}
	{
		ssize_t r = real(fd, buf, n);

		if (r > 0)
			written += r;
		return r;
	}
}

int fsync(int fd)
{
	static int (*real)(int);

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (env_long("FAILWRITE_FSYNC") == 1) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);

	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	if (env_long("FAILWRITE_RENAME") == 1) {
		errno = EIO;
		return -1;
	}
	return real(from, to);
}
