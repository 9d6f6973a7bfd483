#!/bin/sh
# Replays saved inputs through the fuzz harnesses built without libFuzzer:
# for each target, the seed corpus (tests/fuzz/corpus/TARGET) and every
# input that once crashed (tests/fuzz/regress/TARGET). Usage:
#   replay.sh BINDIR TARGET...     (BINDIR holds replay_TARGET)
# VALGRIND=1 runs each replay under valgrind memcheck.
dir=$1; shift
ROOT=$(pwd)
export COSTCAP_ROOT="$ROOT" COSTCAP_MODELS="$ROOT/models" TZ=UTC LC_ALL=C
pass=0; fail=0
for t in "$@"; do
	run="$dir/replay_$t"
	if [ -n "$VALGRIND" ]; then
		run="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect $run"
	fi
	if $run "tests/fuzz/corpus/$t" "tests/fuzz/regress/$t" >"$dir/replay_$t.log" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL replay_$t"; tail -30 "$dir/replay_$t.log"
	fi
done
n=$(find tests/fuzz/regress -type f 2>/dev/null | wc -l | tr -d ' ')
echo "fuzz-regress: $pass targets passed, $fail failed (seed corpus + $n saved crash inputs)"
[ $fail = 0 ]
