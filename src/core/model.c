#include "model.h"

#include <math.h>
#include <stdlib.h>


void model_free(struct model *m)
{
	char **s;

	if (!m)
		return;
	free(m->name);
	free(m->region);
	free(m->currency);
	free(m->as_of);
	free(m->path);
	for (s = m->sources; s && *s; s++)
		free(*s);
	free(m->sources);
	free(m);
}

double tiers_cost(const struct tiers *t, double start, double qty)
{
	double lo = 0, cost = 0, end = start + qty;
	int i;

	for (i = 0; i < t->n && lo < end; i++) {
		double hi = t->t[i].up_to;
		double a = start > lo ? start : lo;
		double b = end < hi ? end : hi;

		if (b > a)
			cost += (b - a) * t->t[i].price;
		lo = hi;
	}
	return cost;
}

const char *arch_name(enum arch a)
{
	return a == ARCH_ARM64 ? "arm64" : "x86_64";
}

const char *class_name(enum table_class c)
{
	return c == CLASS_STANDARD_IA ? "standard_ia" : "standard";
}
