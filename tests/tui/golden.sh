#!/bin/sh
# Golden screens of `costcap tui` in scripted mode (keys in, screen out).
# Each folder under tests/tui/cases/ holds:
#   plan    the plan's file name in tests/tui/plans/ (empty: the built-in example)
#   keys    the key script (docs/tui.md); <Dump NAME.txt> writes extra screens
#   size    the virtual screen size (optional, default 80x24)
#   env     VAR=value lines for the run (optional, e.g. LC_ALL=C: the ASCII look)
#   *.txt   the expected screens; screen.txt is the last one
#   check   checks after the run (optional), one per line:
#             report SCREEN PLAN   the overview SCREEN shows the figures of
#                                  `costcap report PLAN --format json` for the
#                                  same plan, cent for cent ("-": the example)
#             advise SCREEN PLAN   the advice screen SCREEN shows the advice of
#                                  `costcap advise PLAN --format json` (all but
#                                  Monte Carlo), item for item (check_advice.py;
#                                  dump it wide and tall enough not to wrap)
#             unchanged FILE       FILE is still its copy from tests/tui/plans/
# Every case runs in a scratch folder holding copies of tests/tui/plans/,
# under TZ=UTC LC_ALL=C.UTF-8. --update rewrites the expected screens.
update=0
if [ "$1" = "--update" ]; then update=1; shift; fi
ROOT=$(pwd)
case $1 in /*) bin=$1 ;; *) bin=$ROOT/$1 ;; esac
export TZ=UTC LC_ALL=C.UTF-8 COSTCAP_MODELS="$ROOT/models"
unset NO_COLOR COSTCAP_TUI_KEYS
pass=0; fail=0
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT

# report_check SCREEN PLAN: the screen's figures are the report's.
report_check() {
	if [ "$2" = "-" ]; then
		"$bin" report --format json >report.json || return 1
	else
		"$bin" report "$2" --format json >report.json || return 1
	fi
	awk -f "$ROOT/tests/tui/check_report.awk" report.json "$1"
}

# advise_check SCREEN PLAN: the advice screen shows the CLI's advice.
advise_check() {
	only="--only functions,tables,apis,headroom,projection"
	if [ "$2" = "-" ]; then
		"$bin" advise --format json --no-timings $only >advice.json || return 1
	else
		"$bin" advise "$2" --format json --no-timings $only >advice.json || return 1
	fi
	python3 "$ROOT/tests/tui/check_advice.py" advice.json "$1"
}

for dir in tests/tui/cases/*/; do
	name=$(basename "$dir")
	tmp=$top/$name
	mkdir -p "$tmp"
	cp tests/tui/plans/* "$tmp/"
	plan=$(cat "$dir/plan" 2>/dev/null)
	size=$(cat "$dir/size" 2>/dev/null || echo 80x24)
	envs=$(cat "$dir/env" 2>/dev/null)
	ok=1
	(cd "$tmp" && env $envs "$bin" tui $plan --keys "$ROOT/$dir/keys" --size "$size" \
		--dump screen.txt >stdout 2>stderr)
	status=$?
	if [ $status != 0 ]; then
		echo "FAIL $name: exit status $status"; cat "$tmp/stderr"; ok=0
	fi
	# Only a run that went through may replace the expected screens.
	if [ $update = 1 ] && [ $status = 0 ] && [ -f "$tmp/screen.txt" ]; then
		rm -f "$dir"/*.txt
		cp "$tmp"/*.txt "$dir/"
	fi
	for want in "$dir"/*.txt; do
		got=$tmp/$(basename "$want")
		if ! cmp -s "$want" "$got"; then
			echo "FAIL $name: $(basename "$want") differs"
			diff "$want" "$got" | head -30
			ok=0
		fi
	done
	if [ -f "$dir/check" ]; then
		while read -r what a b; do
			case $what in
			report)
				if ! (cd "$tmp" && report_check "$a" "$b"); then
					echo "FAIL $name: $a does not show the figures of costcap report $b"; ok=0
				fi ;;
			advise)
				if ! (cd "$tmp" && advise_check "$a" "$b"); then
					echo "FAIL $name: $a does not show the advice of costcap advise $b"; ok=0
				fi ;;
			unchanged)
				if ! cmp -s "tests/tui/plans/$a" "$tmp/$a"; then
					echo "FAIL $name: $a was changed"; ok=0
				fi ;;
			"") ;;
			*) echo "FAIL $name: unknown check '$what'"; ok=0 ;;
			esac
		done <"$dir/check"
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "tui golden: $pass passed, $fail failed"
[ $fail = 0 ]
