#!/bin/sh
# Runs each unit-test binary (optionally under valgrind) and prints one
# summary line: "N passed, N failed".
pass=0; fail=0
for t in "$@"; do
	if [ -n "$VALGRIND" ]; then
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect "$t" >"$t.log" 2>&1
	else
		"$t" >"$t.log" 2>&1
	fi
	if [ $? = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $t"; cat "$t.log"; fi
done
echo "unit: $pass passed, $fail failed"
[ $fail = 0 ]
