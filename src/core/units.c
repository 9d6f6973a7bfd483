#include "units.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Parses a plain decimal number (no hex, no inf/nan) at s; stores the end. */
static int plain_number(const char *s, double *out, const char **end)
{
	const char *p = s;
	char *e;

	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return -1;
	while (isdigit((unsigned char)*p) || *p == '.' || *p == '_')
		p++;
	if ((*p == 'e' || *p == 'E') &&
	    (isdigit((unsigned char)p[1]) ||
	     ((p[1] == '-' || p[1] == '+') && isdigit((unsigned char)p[2])))) {
		p += 2;
		while (isdigit((unsigned char)*p))
			p++;
	}
	{
		char tmp[64];
		size_t n = (size_t)(p - s), i, j = 0;

		if (n >= sizeof tmp)
			return -1;
		for (i = 0; i < n; i++)
			if (s[i] != '_')
				tmp[j++] = s[i];
		tmp[j] = '\0';
		*out = strtod(tmp, &e);
		if (*e != '\0' || !isfinite(*out))
			return -1;
	}
	*end = p;
	return 0;
}

static int suffixed(const char *s, double *out, const char **end)
{
	double v;
	const char *p;

	if (plain_number(s, &v, &p) < 0)
		return -1;
	if (*p == 'k' || *p == 'K') {
		v *= 1e3;
		p++;
	} else if (*p == 'M') {
		v *= 1e6;
		p++;
	} else if (*p == 'B' || *p == 'G') {
		v *= 1e9;
		p++;
	}
	if (!isfinite(v))
		return -1;
	*out = v;
	*end = p;
	return 0;
}

int units_number(const char *s, double *out)
{
	const char *p;

	if (suffixed(s, out, &p) < 0 || *p != '\0')
		return -1;
	return 0;
}

static double period_unit(const char *u)
{
	static const struct {
		const char *name;
		double s;
	} units[] = {
		{"s", 1}, {"sec", 1}, {"second", 1}, {"seconds", 1},
		{"min", 60}, {"minute", 60}, {"minutes", 60}, {"m", 60},
		{"h", 3600}, {"hr", 3600}, {"hour", 3600}, {"hours", 3600},
		{"d", 86400}, {"day", 86400}, {"days", 86400},
		{"week", 604800}, {"weeks", 604800}, {"w", 604800},
		{"month", 2628000.0}, {"months", 2628000.0},
		{"mo", 2628000.0},
	};
	size_t i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(u, units[i].name) == 0)
			return units[i].s;
	return 0;
}

int units_duration(const char *s, double *seconds)
{
	double mult = 1, unit;
	const char *p = s;

	while (isspace((unsigned char)*p))
		p++;
	if (isdigit((unsigned char)*p) || *p == '.') {
		if (plain_number(p, &mult, &p) < 0)
			return -1;
		if (*p == '\0') {
			*seconds = mult;
			return mult >= 0 ? 0 : -1;
		}
	}
	unit = period_unit(p);
	if (unit <= 0 || mult < 0)
		return -1;
	*seconds = mult * unit;
	return 0;
}

int units_rate(const char *s, double *count, double *period_s, const char **why)
{
	const char *p, *slash;
	double c;

	*why = "expected a rate like 120/s, 7200/min, 50/hour, 1.2k/day or 3M/month";
	if (suffixed(s, &c, &p) < 0)
		return -1;
	while (*p == ' ')
		p++;
	if (*p == '\0') {
		*count = c;
		*period_s = 1;
		return c >= 0 ? 0 : (*why = "a rate cannot be negative", -1);
	}
	if (*p != '/')
		return -1;
	slash = p + 1;
	while (*slash == ' ')
		slash++;
	if (units_duration(slash, period_s) < 0 || *period_s <= 0) {
		*why = "unknown period after '/' (use s, min, hour, day, week or month)";
		return -1;
	}
	if (c < 0) {
		*why = "a rate cannot be negative";
		return -1;
	}
	*count = c;
	return 0;
}

int units_percent(const char *s, double *out)
{
	double v;
	const char *p;

	if (plain_number(s, &v, &p) < 0)
		return -1;
	if (*p == '%') {
		v /= 100;
		p++;
		if (strcmp(p, "/month") == 0 || strcmp(p, "/mo") == 0)
			p += strlen(p);
	}
	if (*p != '\0')
		return -1;
	*out = v;
	return 0;
}

static int clock(const char *s, double *out, const char **end)
{
	int h, m;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	h = s[0] - '0';
	s++;
	if (isdigit((unsigned char)*s))
		h = h * 10 + (*s++ - '0');
	if (*s != ':' || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
		return -1;
	m = (s[1] - '0') * 10 + (s[2] - '0');
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	*out = h * 3600.0 + m * 60.0;
	*end = s + 3;
	return 0;
}

int units_clock_range(const char *s, double *start_s, double *end_s)
{
	const char *p;

	if (clock(s, start_s, &p) < 0 || *p != '-')
		return -1;
	if (clock(p + 1, end_s, &p) < 0 || *p != '\0')
		return -1;
	return *start_s == *end_s ? -1 : 0;
}
