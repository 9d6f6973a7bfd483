#!/bin/sh
# Runs every costcap command the README shows, against the built binary.
#
#   sh tests/readme.sh BIN
#
# Commands are the lines that start with `costcap` in the README's ```sh
# blocks, and in its ```yaml blocks (the CI workflow) those that start
# with `costcap` or `run: costcap`. Each runs with sh in a scratch folder holding the files the
# examples name (below), with the binary first on PATH as `costcap`.
#
# A command must exit 0, or with a status its comment documents: a comment
# saying "exits N" also allows N (e.g. "# exits 1 when a check fails").
# Anything else, or an output file the command names with -o that is not
# written, fails the test. Prints one line per command and a closing
# "readme: N passed, N failed" line.
#
# Files the examples name:
#   plan.yaml        tests/plans/ok/minimal.yaml with a budget: section
#   plan.base.yaml   the same plan with less read capacity (the base branch)
#   shop.yaml        tests/scenarios/s1.yaml (a trace-driven plan) and its s1.csv
#   last-week.csv    tests/scenarios/s1.csv
#   black-friday.csv tests/scenarios/s1-150s.csv (throttles: burst pool exhausted)
# GITHUB_STEP_SUMMARY points at a file in the scratch folder.
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
ROOT=$(pwd)
[ -x "$bin" ] || { echo "readme: no binary '$1'"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/work"
ln -s "$bin" "$tmp/bin/costcap"
w=$tmp/work
{ cat tests/plans/ok/minimal.yaml
  printf 'budget: {monthly_usd: 1500, max_throttle_ratio: 0.1%%}\n'; } >"$w/plan.yaml"
sed 's/rcu: 50/rcu: 45/' "$w/plan.yaml" >"$w/plan.base.yaml"
cp tests/scenarios/s1.yaml "$w/shop.yaml"
cp tests/scenarios/s1.csv "$w/s1.csv"
cp tests/scenarios/s1.csv "$w/last-week.csv"
cp tests/scenarios/s1-150s.csv "$w/black-friday.csv"
export GITHUB_STEP_SUMMARY="$w/step-summary.md" TZ=UTC LC_ALL=C
unset NO_COLOR

# Extract the commands: one per line, "costcap ..." (comment included).
awk '
	/^```/ { if (inblk) { inblk = 0; next }
		 if ($0 ~ /^```(sh|yaml)[ \t]*$/) { inblk = 1; kind = substr($0, 4) } ; next }
	inblk && kind ~ /^sh/ && $0 ~ /^[ \t]*costcap([ \t]|$)/ { sub(/^[ \t]*/, ""); print; next }
	inblk && kind ~ /^yaml/ && $0 ~ /^[ \t]*(- )?(run: )?costcap / { sub(/^[ \t]*(- )?(run: )?/, ""); print }
' README.md >"$tmp/commands"

pass=0; fail=0
n=$(wc -l <"$tmp/commands")
if [ "$n" -lt 1 ]; then echo "readme: no costcap command found in README.md"; exit 1; fi
while IFS= read -r line; do
	cmd=${line%%  #*}
	cmd=${cmd%% # *}
	cmd=$(printf '%s' "$cmd" | sed 's/[ \t]*$//')
	comment=
	case $line in *" #"*) comment=${line#*" #"} ;; esac
	allowed=0
	for s in $(printf '%s\n' "$comment" | grep -o 'exits [0-3]' | cut -c7); do
		allowed="$allowed $s"
	done
	(cd "$w" && PATH="$tmp/bin:$PATH" sh -c "$cmd" </dev/null >"$tmp/out" 2>"$tmp/err")
	status=$?
	ok=0
	for s in $allowed; do [ "$status" = "$s" ] && ok=1; done
	# Output files named with -o must exist afterwards.
	out=$(printf '%s\n' "$cmd" | sed -n 's/.* -o \([^ ]*\).*/\1/p')
	if [ $ok = 1 ] && [ -n "$out" ] && [ ! -s "$w/$out" ]; then
		ok=0; echo "  -o $out was not written"
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1)); echo "ok    (exit $status) $cmd"
	else
		fail=$((fail + 1)); echo "FAIL  (exit $status, documented: $allowed) $cmd"
		head -5 "$tmp/err"
	fi
done <"$tmp/commands"
echo "readme: $pass passed, $fail failed"
[ $fail = 0 ]
