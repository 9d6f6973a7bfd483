#!/bin/sh
# Golden CLI tests: each folder under tests/golden/cases/ holds
#   args      the command line after 'costcap' (one shell line; may use $ROOT)
#   stdout    expected standard output
#   stderr    expected standard error (optional; absent = not compared)
#   status    expected exit status (default 0)
#   stdin     optional standard input
# Run with --update to rewrite the expected files from the current binary.
# Every case runs under TZ=UTC LC_ALL=C from the repository root.
update=0
if [ "$1" = "--update" ]; then update=1; shift; fi
bin=$1
ROOT=$(pwd)
export ROOT TZ=UTC LC_ALL=C COSTCAP_MODELS="$ROOT/models"
unset NO_COLOR
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in tests/golden/cases/*/; do
	name=$(basename "$dir")
	args=$(cat "$dir/args")
	want_status=0
	[ -f "$dir/status" ] && want_status=$(cat "$dir/status")
	input=/dev/null
	[ -f "$dir/stdin" ] && input="$dir/stdin"
	if [ -n "$VALGRIND" ]; then
		run="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect $bin"
	else
		run="$bin"
	fi
	eval "$run $args" <"$input" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ $update = 1 ]; then
		cp "$tmp/out" "$dir/stdout"
		[ -f "$dir/stderr" ] || [ -s "$tmp/err" ] && cp "$tmp/err" "$dir/stderr"
		echo "$status" >"$dir/status"
		pass=$((pass + 1))
		continue
	fi
	ok=1
	if [ "$status" != "$want_status" ]; then
		echo "FAIL $name: exit status $status, expected $want_status"; ok=0
	fi
	if ! cmp -s "$tmp/out" "$dir/stdout"; then
		echo "FAIL $name: stdout differs"; diff "$dir/stdout" "$tmp/out" | head -20; ok=0
	fi
	if [ -f "$dir/stderr" ] && ! cmp -s "$tmp/err" "$dir/stderr"; then
		echo "FAIL $name: stderr differs"; diff "$dir/stderr" "$tmp/err" | head -20; ok=0
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
