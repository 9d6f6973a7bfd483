/* cmd_common: what the subcommands share: printing diagnostics. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"

int cmd_print_errors(struct err *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		char *s = err_format(e, i);

		fprintf(stderr, "costcap: %s\n", s);
		free(s);
	}
	err_clear(e);
	return EXIT_USAGE;
}
