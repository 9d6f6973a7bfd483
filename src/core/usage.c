#include "usage.h"

#include <stdlib.h>

void usage_free(struct usage *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->ntable; i++)
		free(u->table[i].gsis);
	free(u->fn);
	free(u->api);
	free(u->table);
	free(u);
}
