#include "plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void rate_free(struct rate *r)
{
	free(r->stream);
}

void plan_free(struct plan *p)
{
	size_t i, j;

	if (!p)
		return;
	free(p->name);
	free(p->path);
	free(p->model_name);
	model_free(p->model);
	free(p->trace);
	for (i = 0; i < p->napis; i++) {
		struct api *a = &p->apis[i];

		free(a->name);
		rate_free(&a->messages_out);
		rate_free(&a->connection_minutes);
		for (j = 0; j < a->nroutes; j++) {
			free(a->routes[j].route);
			rate_free(&a->routes[j].traffic);
		}
		free(a->routes);
	}
	free(p->apis);
	for (i = 0; i < p->nfunctions; i++) {
		free(p->functions[i].name);
		rate_free(&p->functions[i].traffic);
		free(p->functions[i].calls);
	}
	free(p->functions);
	for (i = 0; i < p->ntables; i++) {
		free(p->tables[i].name);
		for (j = 0; j < p->tables[i].ngsis; j++)
			free(p->tables[i].gsis[j].name);
		free(p->tables[i].gsis);
	}
	free(p->tables);
	for (i = 0; i < p->budget.nservices; i++)
		free(p->budget.services[i].name);
	free(p->budget.services);
	for (i = 0; i < p->budget.nresources; i++)
		free(p->budget.resources[i].name);
	free(p->budget.resources);
	free(p);
}

int plan_find_function(const struct plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nfunctions; i++)
		if (strcmp(p->functions[i].name, name) == 0)
			return (int)i;
	return -1;
}

int plan_find_table(const struct plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ntables; i++)
		if (strcmp(p->tables[i].name, name) == 0)
			return (int)i;
	return -1;
}

int plan_find_api(const struct plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->napis; i++)
		if (strcmp(p->apis[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Length of the overlap of [a0, a1) and [b0, b1). */
static double overlap(double a0, double a1, double b0, double b1)
{
	double lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;

	return hi > lo ? hi - lo : 0;
}

/* Seconds of [0, w) covered by the daily interval [s, e) (no wrap). */
static double daily_span(double s, double e, double w)
{
	double full = floor(w / 86400.0), rest = w - full * 86400.0;

	return full * (e - s) + overlap(0, rest, s, e);
}

double schedule_active_s(const struct schedule *s, double w)
{
	switch (s->kind) {
	case SCHED_ONCE:
		if (s->per_month)
			return overlap(0, w, s->start_s, s->start_s + (s->end_s - s->start_s) * w / MONTH_S);
		return overlap(0, w, s->start_s, s->end_s);
	case SCHED_DAILY:
		if (s->end_s >= s->start_s)
			return daily_span(s->start_s, s->end_s, w);
		return daily_span(s->start_s, 86400.0, w) + daily_span(0, s->end_s, w);
	case SCHED_ALWAYS:
	default:
		return w;
	}
}

bool schedule_active_at(const struct schedule *s, double t)
{
	double d;

	switch (s->kind) {
	case SCHED_ONCE:
		return t >= s->start_s && t < s->end_s;
	case SCHED_DAILY:
		/* Seconds are whole and non-negative in the simulation: integer
		 * arithmetic is exact and much cheaper than fmod. */
		if (t >= 0 && t < 9e15 && t == (double)(uint64_t)t)
			d = (double)((uint64_t)t % 86400u);
		else
			d = fmod(t, 86400.0);
		if (s->end_s >= s->start_s)
			return d >= s->start_s && d < s->end_s;
		return d >= s->start_s || d < s->end_s;
	case SCHED_ALWAYS:
	default:
		return true;
	}
}

double schedule_next_change(const struct schedule *s, double t)
{
	double d, day0, next = INFINITY;

	switch (s->kind) {
	case SCHED_ONCE:
		if (s->start_s > t)
			next = s->start_s;
		if (s->end_s > t && s->end_s < next)
			next = s->end_s;
		return next;
	case SCHED_DAILY:
		d = fmod(t, 86400.0);
		if (d < 0)
			d += 86400.0;
		day0 = t - d;
		next = day0 + (s->start_s > d ? s->start_s : s->start_s + 86400.0);
		if (day0 + (s->end_s > d ? s->end_s : s->end_s + 86400.0) < next)
			next = day0 + (s->end_s > d ? s->end_s : s->end_s + 86400.0);
		return next;
	case SCHED_ALWAYS:
	default:
		return INFINITY;
	}
}

uint64_t rate_events(const struct rate *r, double scale, double window_s)
{
	long double x;

	if (!r->set || r->stream || r->period_s <= 0)
		return 0;
	x = (long double)r->count * scale * schedule_active_s(&r->sched, window_s) / r->period_s;
	/* Guard against 2,999,999.9999999 for an exact 3M/month. */
	x = floorl(x + 1e-6L);
	if (x <= 0)
		return 0;
	if (x >= 1.8e19L)
		return UINT64_MAX;
	return (uint64_t)x;
}
