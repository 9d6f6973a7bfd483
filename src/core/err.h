/* err: problems found in user input, kept as values.
 * Core and io functions never print: they append diagnostics here and
 * return a negative code; main.c (or the TUI status line) shows them as
 * "FILE:LINE:COL: message". Loaders report every problem they find. */
#ifndef COSTCAP_CORE_ERR_H
#define COSTCAP_CORE_ERR_H

#include <stddef.h>

struct diag {
	char *file;	/* may be NULL when no file is involved */
	int line, col;	/* 1-based; 0 when unknown */
	char *msg;
};

struct err {
	struct diag *v;
	size_t n, cap;
};

/* Appends one diagnostic; file may be NULL, line/col 0 when unknown. */
void err_add(struct err *e, const char *file, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Formats diagnostic i as "FILE:LINE:COL: msg" (parts omitted when
 * unknown); returns a new string the caller frees. */
char *err_format(const struct err *e, size_t i);
/* Frees the diagnostics and leaves 'e' empty and reusable. */
void err_clear(struct err *e);

#endif
