/* units: parsing of the plan's textual quantities: numbers with k/M/B
 * suffixes, rates ("120/s", "1.2k/day", "500k/8h"), percentages ("5%",
 * "0.1%"), and clock ranges ("09:00-17:00"). Pure functions, no I/O. */
#ifndef COSTCAP_CORE_UNITS_H
#define COSTCAP_CORE_UNITS_H

#include <stdbool.h>

/* Parses a finite number with an optional k (1e3), M (1e6) or B (1e9)
 * suffix. Returns 0, or -1 when 's' is not such a number. */
int units_number(const char *s, double *out);

/* Parses "COUNT/PERIOD": COUNT a number (with suffix), PERIOD one of
 * s, sec, second, min, minute, h, hour, day, week, month (730 h), with an
 * optional multiplier ("500k/8h", "10/5min"). A bare number is per second.
 * Returns 0, or -1 with a reason in *why (static string). */
int units_rate(const char *s, double *count, double *period_s, const char **why);

/* Parses "5%" (0.05) or a plain fraction "0.05". With per_month, also
 * accepts "5%/month". Returns 0 or -1. */
int units_percent(const char *s, double *out);

/* Parses "HH:MM-HH:MM" into seconds of the day. Returns 0 or -1. */
int units_clock_range(const char *s, double *start_s, double *end_s);

/* Parses a duration "8h", "30min", "90s", "2day", or a bare number of
 * seconds. Returns 0 or -1. */
int units_duration(const char *s, double *seconds);

#endif
