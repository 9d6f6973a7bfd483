/* atomic: output files are written to a temporary file in the same folder,
 * flushed to disk, then renamed over the target, so readers see the old
 * file or the new one and never a half-written one. */
#ifndef COSTCAP_IO_ATOMIC_H
#define COSTCAP_IO_ATOMIC_H

#include <stddef.h>

#include "../core/err.h"

/* Writes 'len' bytes to 'path' atomically ("-" writes to standard output).
 * Returns 0, or -1 with a diagnostic (the old file, if any, is intact and
 * no temporary file is left behind). */
int atomic_write(const char *path, const char *data, size_t len, struct err *e);

#endif
