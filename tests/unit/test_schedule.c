/* Schedules (core/plan.h): when a daily or one-off schedule is active,
 * where its state next changes, and the cursor the simulator reads them
 * with, checked second by second against the definition. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/plan.h"
#include "testutil.h"

#define H 3600.0

/* 08:00-22:00 daily: active at 08:00:00, not at 22:00:00; from 07:00 the
 * next change is 08:00, from 08:00 it is 22:00, from 23:00 it is 08:00
 * the next day. */
static void daily(void **state)
{
	struct schedule s = {SCHED_DAILY, 8 * H, 22 * H, false};

	(void)state;
	assert_false(schedule_active_at(&s, 8 * H - 1));
	assert_true(schedule_active_at(&s, 8 * H));
	assert_true(schedule_active_at(&s, 22 * H - 1));
	assert_false(schedule_active_at(&s, 22 * H));
	assert_true(schedule_active_at(&s, 86400 + 12 * H));
	assert_close(schedule_next_change(&s, 7 * H), 8 * H, 0);
	assert_close(schedule_next_change(&s, 8 * H), 22 * H, 0);
	assert_close(schedule_next_change(&s, 23 * H), 86400 + 8 * H, 0);
	assert_close(schedule_next_change(&s, 3 * 86400 + 21 * H), 3 * 86400 + 22 * H, 0);
}

/* 22:00-06:00 wraps midnight: active at 23:00 and 05:59:59, not at 06:00. */
static void daily_wrapping(void **state)
{
	struct schedule s = {SCHED_DAILY, 22 * H, 6 * H, false};

	(void)state;
	assert_true(schedule_active_at(&s, 23 * H));
	assert_true(schedule_active_at(&s, 86400 + 6 * H - 1));
	assert_false(schedule_active_at(&s, 6 * H));
	assert_close(schedule_next_change(&s, 23 * H), 86400 + 6 * H, 0);
	assert_close(schedule_next_change(&s, 7 * H), 22 * H, 0);
}

/* A one-off window [100, 200): changes at 100 and 200, then never. */
static void once_and_always(void **state)
{
	struct schedule o = {SCHED_ONCE, 100, 200, false}, a = {SCHED_ALWAYS, 0, 0, false};

	(void)state;
	assert_close(schedule_next_change(&o, 0), 100, 0);
	assert_close(schedule_next_change(&o, 100), 200, 0);
	assert_true(isinf(schedule_next_change(&o, 200)));
	assert_true(isinf(schedule_next_change(&a, 5)));
}

/* The cursor gives schedule_active_at's answer at every second of three
 * days, for schedules with whole, fractional, wrapping and empty windows;
 * and no state change ever falls inside [t, next change). */
static void cursor_matches_definition(void **state)
{
	static const struct schedule cases[] = {
		{SCHED_DAILY, 8 * H, 22 * H, false}, {SCHED_DAILY, 22 * H, 6 * H, false},
		{SCHED_DAILY, 100.5, 4000.25, false}, {SCHED_DAILY, 5 * H, 5 * H, false},
		{SCHED_DAILY, 0, 86400, false}, {SCHED_ONCE, 1000, 90000, false},
		{SCHED_ALWAYS, 0, 0, false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sched_cursor c = {0};
		double t;

		for (t = 0; t < 3 * 86400; t++) {
			bool want = schedule_active_at(&cases[i], t);

			if (sched_cursor_on(&c, &cases[i], t) != want)
				fail_msg("schedule %zu: cursor says %d at t = %.0f", i, !want, t);
		}
		for (t = 0; t < 3 * 86400; t += 4999) {
			double next = schedule_next_change(&cases[i], t), u;
			bool at = schedule_active_at(&cases[i], t);

			assert_true(next > t);
			for (u = t; u < next && u < t + 86401; u++)
				if (schedule_active_at(&cases[i], u) != at)
					fail_msg("schedule %zu: changes at %.0f before %.2f", i, u, next);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(daily),
		cmocka_unit_test(daily_wrapping),
		cmocka_unit_test(once_and_always),
		cmocka_unit_test(cursor_matches_definition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
