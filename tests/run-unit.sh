#!/bin/sh
# Runs each unit-test binary (optionally under valgrind) and prints one
# summary line: "N passed, N failed". A test that hangs (threads waiting on
# each other) is stopped after 15 minutes and counts as failed.
pass=0; fail=0
to=""
command -v timeout >/dev/null 2>&1 && to="timeout 900"
for t in "$@"; do
	if [ -n "$VALGRIND" ]; then
		$to valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect "$t" >"$t.log" 2>&1
	else
		$to "$t" >"$t.log" 2>&1
	fi
	if [ $? = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $t"; cat "$t.log"; fi
done
echo "unit: $pass passed, $fail failed"
[ $fail = 0 ]
