#!/bin/sh
# Golden CLI tests: each folder under tests/golden/cases/ holds
#   args      the command line after 'costcap' (one shell line; may use $ROOT, $T)
#   script    instead of args: a shell script run with sh, for cases that need
#             more than one command line (e.g. a pseudo-terminal); $BIN is the
#             binary under test
#   stdout    expected standard output
#   stderr    expected standard error (optional; absent = not compared)
#   status    expected exit status (default 0)
#   stdin     optional standard input
#   verify    optional shell script run after the command with $OUT set to
#             the actual standard output file; must exit 0 (used to parse
#             JUnit and HTML output with a real XML parser)
# Folders whose name starts with '_' hold shared fixtures, not cases.
# $T is an empty scratch folder per case (for -o FILE).
# Run with --update to rewrite the expected files from the current binary;
# with case names after the binary, only those cases run.
# Every case runs under TZ=UTC LC_ALL=C from the repository root, with
# NO_COLOR unset and COSTCAP_MODELS pointing at the checkout's models.
update=0
if [ "$1" = "--update" ]; then update=1; shift; fi
bin=$1
shift
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
ROOT=$(pwd)
BIN=$bin
export ROOT BIN TZ=UTC LC_ALL=C COSTCAP_MODELS="$ROOT/models"
unset NO_COLOR
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in tests/golden/cases/*/; do
	name=$(basename "$dir")
	case $name in _*) continue ;; esac
	if [ $# -gt 0 ]; then
		want=0
		for n in "$@"; do [ "$n" = "$name" ] && want=1; done
		[ $want = 1 ] || continue
	fi
	want_status=0
	[ -f "$dir/status" ] && want_status=$(cat "$dir/status")
	input=/dev/null
	[ -f "$dir/stdin" ] && input="$dir/stdin"
	if [ -n "$VALGRIND" ]; then
		run="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect $bin"
	else
		run="$bin"
	fi
	T="$tmp/scratch/$name"
	rm -rf "$T"; mkdir -p "$T"
	export T
	if [ -f "$dir/script" ]; then
		BIN="$run" sh "$dir/script" <"$input" >"$tmp/out" 2>"$tmp/err"
	else
		args=$(cat "$dir/args")
		eval "$run $args" <"$input" >"$tmp/out" 2>"$tmp/err"
	fi
	status=$?
	if [ $update = 1 ]; then
		cp "$tmp/out" "$dir/stdout"
		if [ -f "$dir/stderr" ] || [ -s "$tmp/err" ]; then cp "$tmp/err" "$dir/stderr"; fi
		echo "$status" >"$dir/status"
		pass=$((pass + 1))
		continue
	fi
	ok=1
	if [ "$status" != "$want_status" ]; then
		echo "FAIL $name: exit status $status, expected $want_status"; ok=0
		head -5 "$tmp/err"
	fi
	if ! cmp -s "$tmp/out" "$dir/stdout"; then
		echo "FAIL $name: stdout differs"; diff "$dir/stdout" "$tmp/out" | head -20; ok=0
	fi
	if [ -f "$dir/stderr" ] && ! cmp -s "$tmp/err" "$dir/stderr"; then
		echo "FAIL $name: stderr differs"; diff "$dir/stderr" "$tmp/err" | head -20; ok=0
	fi
	if [ -f "$dir/verify" ] && ! OUT="$tmp/out" sh "$dir/verify" >"$tmp/verify" 2>&1; then
		echo "FAIL $name: verify failed"; head -20 "$tmp/verify"; ok=0
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
