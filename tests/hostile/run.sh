#!/bin/sh
# Hostile inputs: costcap must answer every one with a clear message and
# the right exit status (2 for bad input, with FILE:LINE:COL where there is
# a position), never crash, hang, print a partial report, or lose a file.
# docs/hostile-inputs.md lists the classes and the message users see.
#
#   tests/hostile/run.sh BIN        (run from the repository root)
#
# Part 1 is a table: one case per class of hostile input, with the command,
# the expected exit status and a stable part of the expected message.
# Small inputs are committed in tests/hostile/inputs/; large ones (100,000
# levels of nesting, a 1 MB line, binary garbage) are generated here.
# Part 2 proves that a failed or interrupted write leaves the previous
# output intact and no temporary file behind; part 3 covers signals.
#
# HOSTILE_SHOW=1 prints each table case's name, status and first message
# (used to write docs/hostile-inputs.md).
# VALGRIND=1 runs every costcap under valgrind memcheck (a memory error or
# leak fails the case); parts 2 and 3 then skip their timing-based checks.
# Under the sanitizers (build-asan) a report from them fails the case too.
# FAILWRITE_SO may name a prebuilt tests/hostile/failwrite.c shim; else it
# is built with $CC (default cc).
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
ROOT=$(pwd)
IN=$ROOT/tests/hostile/inputs
export TZ=UTC LC_ALL=C COSTCAP_MODELS="$ROOT/models"
unset NO_COLOR COSTCAP_TRACE
T=$(mktemp -d)
trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
pass=0; fail=0; skip=0

if [ -n "$VALGRIND" ]; then
	run="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect $bin"
else
	run="$bin"
fi

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $name: $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP $name: $*"; }

# Checks the last command's stderr for sanitizer or valgrind reports.
clean_err() {
	if grep -qE 'runtime error|AddressSanitizer|LeakSanitizer|Invalid (read|write)|definitely lost|uninitialised' "$T/err"; then
		bad "memory or UB report:"; sed 's/^/    /' "$T/err" | head -20; return 1
	fi
	return 0
}

# c NAME STATUS 'MESSAGE' ARGS...   (stdin from $STDIN or /dev/null)
# Runs costcap ARGS in the inputs folder; checks the exit status, that
# stderr contains MESSAGE (fixed strings separated by '||', each of which
# must appear; '' for none), and, on failure, that nothing was printed on
# stdout (no partial report).
c() {
	name=$1; want=$2; msg=$3; shift 3
	(cd "$IN" && $run "$@" <"${STDIN:-/dev/null}" >"$T/out" 2>"$T/err")
	got=$?
	clean_err || return
	if [ "$got" != "$want" ]; then
		bad "exit status $got, expected $want"; sed 's/^/    /' "$T/err" | head -5; return
	fi
	rest=$msg
	while [ -n "$rest" ]; do
		part=${rest%%||*}
		case $rest in *'||'*) rest=${rest#*||} ;; *) rest= ;; esac
		if ! grep -qF -- "$part" "$T/err"; then
			bad "stderr lacks: $part"; sed 's/^/    /' "$T/err" | head -5; return
		fi
	done
	if [ "$want" != 0 ] && [ -s "$T/out" ]; then
		bad "printed on stdout although it failed"; return
	fi
	[ -n "$HOSTILE_SHOW" ] && printf '%s\t%s\t%s\n' "$name" "$got" "$(head -1 "$T/err" | cut -c1-300)"
	ok
}

# ---- generated inputs ----------------------------------------------------
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "" }' >"$T/deep-seq.yaml"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{a: "; printf "1"; for (i = 0; i < 100000; i++) printf "}"; print "" }' >"$T/deep-map.yaml"
awk 'BEGIN { printf "time,stream,count\n0,browse,"; for (i = 0; i < 1048600; i++) printf "1"; print "" }' >"$T/megaline.csv"
awk 'BEGIN { printf "name: x\nfunctions: "; for (i = 0; i < 1048600; i++) printf "x"; print "" }' >"$T/megaline.yaml"
# Binary garbage: an ELF header, then 4 KB of scrambled bytes (no NUL).
awk 'BEGIN { printf "\177ELF\002\001\001"; for (i = 0; i < 4096; i++) printf "%c", (i * 97 + 13) % 255 + 1 }' >"$T/garbage.bin"
awk 'BEGIN { printf "name: x\ntables: [{name: t, mode: on_demand}]\nfunctions:\n  - {name: f, duration_ms: 1,\n     calls: [{table: "; for (i = 0; i < 1048600; i++) printf "t"; print ", op: get}]}" }' >"$T/meganame.yaml"
printf 'name: x\000\nfunctions: []\n' >"$T/nul.yaml"
printf '\357\273\277' >"$T/bom.yaml"; cat "$IN/base.yaml" >>"$T/bom.yaml"
sed 's/$/\r/' "$IN/base.yaml" >"$T/crlf.yaml"
cp "$IN/trace-ok.csv" "$T/trace-ok.csv"
printf 'time,stream,count\n0,browse,1\n17000000,browse,1\n' >"$T/long-window.csv"
mkdir "$T/unreadable-dir"; chmod 755 "$T" "$T/unreadable-dir"
cp "$IN/base.yaml" "$IN/trace-ok.csv" "$T/unreadable-dir/"; mv "$T/unreadable-dir/base.yaml" "$T/unreadable-dir/unreadable.yaml"; chmod 000 "$T/unreadable-dir/unreadable.yaml"

# ---- part 1: hostile inputs ------------------------------------------------
# YAML
c yaml-syntax 2 'syntax.yaml:4:1: did not find expected' report syntax.yaml
c alias-bomb 2 'alias-bomb.yaml:8:8: aliases expand to more than 1000000 nodes' report alias-bomb.yaml
c nesting-100000-seq 2 'deep-seq.yaml:1:65: nesting deeper than 64 levels' report "$T/deep-seq.yaml"
c nesting-100000-map 2 'deep-map.yaml:1:257: nesting deeper than 64 levels' report "$T/deep-map.yaml"
c duplicate-key 2 "dup-key.yaml:3:1: duplicate key 'name'" report dup-key.yaml
c empty-file 2 'empty.yaml:1:1: the plan is empty' report empty.yaml
c binary-garbage 2 'garbage.bin:1:1: control characters are not allowed' report "$T/garbage.bin"
c nul-byte 2 'nul.yaml:1:' report "$T/nul.yaml"
c megabyte-line-yaml 2 'megaline.yaml:2:12: functions of the plan: expected a sequence' report "$T/megaline.yaml"
c megabyte-name 2 "meganame.yaml:5:22: table of call #1 of function 'f': expected at most 1024 characters, found 1048600" report "$T/meganame.yaml"
# Encodings and line endings are accepted, and give the same report.
(cd "$IN" && $bin report base.yaml >"$T/base.out" 2>&1)
c utf8-bom 0 '' report "$T/bom.yaml"
name=utf8-bom-same; if cmp -s "$T/out" "$T/base.out"; then ok; else bad "report differs from base.yaml's"; fi
c crlf 0 '' report "$T/crlf.yaml"
name=crlf-same; if cmp -s "$T/out" "$T/base.out"; then ok; else bad "report differs from base.yaml's"; fi
# Numbers
c nan 2 "nan.yaml:12:16: memory_mb of function 'list-items': expected a number, found '.nan'" report nan.yaml
c infinity 2 "inf.yaml:11:18: duration_ms of function 'list-items': expected a number, found '.inf'" report inf.yaml
c huge-number 2 "huge-number.yaml:16:10: rcu of table 'items': expected a number, found '1e400'" report huge-number.yaml
c huge-rate 2 "huge-rate.yaml:8:18: traffic of route 'GET /items' of api 'public': rate too large: '1e18/s'" report huge-rate.yaml
c huge-scale 2 '--scale: must be greater than 0 and at most 1000000, found 1e+15' report base.yaml --scale 1e15
c huge-items 2 'items of call #1 of function' report base.yaml --set 'functions.list-items.calls.0.items=1e30'
c usage-beyond-2-64 2 "huge-usage.yaml:6:5: function 'f' uses more than costcap can count exactly" report huge-usage.yaml
c pc-claimed-over-account 2 "pc-claimed.yaml:11:30: reserved and provisioned concurrency of all functions add up to 1000 at function 'b', more than 900" report pc-claimed.yaml
c websocket-message-over-128kb 2 "--set: request_kb of api 'public' must be between 0 and 128 KB (the WebSocket message limit), found 200" report base.yaml --set apis.public.type=websocket --set apis.public.request_kb=200
c negative 2 "negative.yaml:17:10: wcu of table 'items' must be between 1 and 40000 WCU, found -10" report negative.yaml
c unit-misplaced 2 "unit-misplaced.yaml:11:18: duration_ms of function 'list-items': expected a number, found '100ms'" report unit-misplaced.yaml
c unit-misplaced-rate 2 "unit-misplaced-rate.yaml:8:18: traffic of route 'GET /items' of api 'public': expected a rate like 120/s" report unit-misplaced-rate.yaml
# Keys, references, limits
c unknown-key 2 "unknown-key.yaml:12:5: unknown key 'memroy_mb' in function 'list-items' (did you mean 'memory_mb'?)" report unknown-key.yaml
c unknown-reference 2 "unknown-ref.yaml:7:19: unknown function 'list-itmes' (functions: list-items)" report unknown-ref.yaml
c over-model-limit 2 "over-limit.yaml:12:16: memory_mb of function 'list-items' must be between 128 and 10240 MB, found 100000" report over-limit.yaml
c table-quota-with-gsis 2 "gsi-quota.yaml:16:5: table 'items' and its GSIs add up to 60000 WCU, more than the table maximum of 40000 (dynamodb.limits.table_max_wcu in model aws/us-east-1)" report gsi-quota.yaml
c bad-set-value 2 "--set: memory_mb of function 'list-items': expected a number, found '.nan'" report base.yaml --set 'functions.list-items.memory_mb=.nan'
c model-extends-cycle 2 "model-cycle.yaml:1:10: 'extends' chain is longer than 16" report model-cycle-plan.yaml
c model-nan 2 "model-nan.yaml:4:18: lambda.requests.per_million: expected a number, found '.nan'" report model-nan-plan.yaml
# Traces (the plan's traffic.trace pointed at each file with --set)
c trace-ok 0 '' report tplan.yaml
c trace-bom-crlf 0 '' report tplan.yaml --set traffic.trace=trace-bom-crlf.csv
c trace-malformed-row 2 'trace-malformed.csv:3:1:||expected 3' report tplan.yaml --set traffic.trace=trace-malformed.csv
c trace-short-row 2 'trace-short.csv:3:1:||expected 3||found 2' report tplan.yaml --set traffic.trace=trace-short.csv
c trace-long-row 2 'trace-long.csv:3:1:||expected 3||found 4' report tplan.yaml --set traffic.trace=trace-long.csv
c trace-out-of-order 2 'trace-order.csv:4:1:||backwards' report tplan.yaml --set traffic.trace=trace-order.csv
c trace-negative-count 2 "trace-negative.csv:3:10:||negative count '-12'" report tplan.yaml --set traffic.trace=trace-negative.csv
c trace-non-numeric 2 "trace-nonnumeric.csv:3:10:||'twelve'" report tplan.yaml --set traffic.trace=trace-nonnumeric.csv
c trace-negative-time 2 'trace-negative-time.csv:2:1:||negative' report tplan.yaml --set traffic.trace=trace-negative-time.csv
c trace-huge-count 2 "trace-huge-count.csv:3:10:||'4294967296'||too large" report tplan.yaml --set traffic.trace=trace-huge-count.csv
c trace-header-only 2 'trace-header-only.csv:1:||no data rows' report tplan.yaml --set traffic.trace=trace-header-only.csv
c trace-unknown-stream 2 "tplan.yaml:9:14: unknown trace stream 'browse'" report tplan.yaml --set traffic.trace=trace-unknown-stream.csv
c trace-megabyte-line 2 'megaline.csv:2:1:||longer than 1 MB' report tplan.yaml --set "traffic.trace=$T/megaline.csv"
c trace-too-long-window 2 'at most 400 days can be simulated' report tplan.yaml --set traffic.trace=trace-too-long.csv
c trace-binary 2 'garbage.bin:2:1:||ISO 8601' trace show "$T/garbage.bin"
c trace-huge-span 2 'trace-huge-span.csv:4:1:||trace too long' report tplan.yaml --set traffic.trace=trace-huge-span.csv
c events-huge-span 2 'events-huge-span.csv:3:1:||trace too long' trace show events-huge-span.csv
c trace-gen-huge-window 2 'trace gen: ||buckets x 1 streams is too large' trace gen --days 1e30 -o "$T/gen.csv"
c trace-gen-partial-bucket 2 'trace gen: the window (90 s) is not a whole number of 60 s buckets (--step)' trace gen --duration 90 --step 60 -o "$T/gen.csv"
c trace-gen-far-future 2 "--start '9999-01-01T00:00:00Z'" trace gen --days 0.01 --start 9999-01-01T00:00:00Z -o "$T/gen.csv"
c events-bad-rows 2 'events-bad.csv:4:1:||negative||events-bad.csv:6:1:' trace show events-bad.csv
# Files
c endless-plan 2 '/dev/zero: larger than 64 MB: not a plan or model file' report /dev/zero
c endless-trace 2 '/dev/zero:1: NUL byte in the data' trace show /dev/zero
c random-trace 2 '/dev/urandom:||NUL byte in the data' trace show /dev/urandom
c missing-file 2 'no-such-plan.yaml: cannot open: No such file or directory' report no-such-plan.yaml
c directory-as-plan 2 'a-directory: is a directory, expected a file' report a-directory
c directory-as-trace 2 "trace 'a-directory' is a directory" report tplan.yaml --set traffic.trace=a-directory
c missing-trace 2 "cannot find trace file 'no-such.csv'" report tplan.yaml --set traffic.trace=no-such.csv
c missing-model 2 "unknown model 'aws/no-such-region'" report base.yaml --set model=aws/no-such-region
c output-to-directory 2 'a-directory: is a directory, expected a file to write' report base.yaml -o a-directory
c output-in-missing-directory 2 'cannot create a temporary file next to it' report base.yaml -o no-such-dir/out.txt
# trace import writes two files: a bad path for either one writes neither.
printf 'time\n0\n1\n2\n' >"$T/ev3.csv"
mkdir -p "$T/imp"
c import-plan-in-missing-directory 2 "no-such-dir/a.yaml: cannot write: cannot create a file in 'no-such-dir'||nothing was written" trace import --from events "$T/ev3.csv" -o "$T/imp/a.csv" --plan-out no-such-dir/a.yaml
name=import-plan-in-missing-directory-writes-nothing
if ls -A "$T/imp" | grep -q .; then bad "left behind: $(ls -A "$T/imp")"; else ok; fi
c import-trace-in-missing-directory 2 "no-such-dir/a.csv: cannot write: cannot create a file in 'no-such-dir'" trace import --from events "$T/ev3.csv" -o no-such-dir/a.csv --plan-out "$T/imp/a.yaml"
name=import-trace-in-missing-directory-writes-nothing
if ls -A "$T/imp" | grep -q .; then bad "left behind: $(ls -A "$T/imp")"; else ok; fi
c import-plan-to-directory 2 'a-directory: is a directory, expected a file to write' trace import --from events "$T/ev3.csv" -o "$T/imp/a.csv" --plan-out a-directory
name=import-plan-to-directory-writes-nothing
if ls -A "$T/imp" | grep -q .; then bad "left behind: $(ls -A "$T/imp")"; else ok; fi
# Unreadable: root reads a mode-000 file anyway, so the case runs as
# 'nobody' (setpriv) when we are root; without setpriv it is skipped.
name=unreadable-file
if [ "$(id -u)" != 0 ]; then
	c unreadable-file 2 'unreadable.yaml: cannot open: Permission denied' report "$T/unreadable-dir/unreadable.yaml"
elif command -v setpriv >/dev/null 2>&1 && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	run_saved=$run; run="setpriv --reuid=65534 --regid=65534 --clear-groups $run"
	c unreadable-file 2 'unreadable.yaml: cannot open: Permission denied' report "$T/unreadable-dir/unreadable.yaml"
	run=$run_saved
else
	skipped "running as root without setpriv: mode 000 does not stop root"
fi
# Standard input
STDIN=$IN/base.yaml; c plan-on-stdin 0 '' report -
STDIN=$IN/nan.yaml; c bad-plan-on-stdin 2 "<stdin>:12:16: memory_mb of function 'list-items': expected a number" report -
STDIN=$IN/trace-malformed.csv; c bad-trace-on-stdin 2 '<stdin>:3:1:||expected 3' trace show -
STDIN=$T/garbage.bin; c garbage-on-stdin 2 '<stdin>:1:1: control characters are not allowed' report -
STDIN=$T/megaline.yaml; c long-line-on-stdin 2 '<stdin>:2:1:||longer than 1 MB' trace show -
STDIN=
name=plan-through-pipe
if cat "$IN/base.yaml" | (cd "$IN" && $run report - >"$T/out" 2>"$T/err") && clean_err && cmp -s "$T/out" "$T/base.out"; then ok; else bad "report from a pipe differs"; fi

# ---- part 2: nothing lost ---------------------------------------------------
# The shim (tests/hostile/failwrite.c) makes write(), fsync() or rename()
# fail, or writes slowly so that the process can be killed mid-write.
so=${FAILWRITE_SO:-$T/failwrite.so}
if [ ! -f "$so" ]; then
	${CC:-cc} -shared -fPIC -O1 -o "$so" "$ROOT/tests/hostile/failwrite.c" -ldl 2>"$T/cc.err" || so=
fi
# ASan must come first among the libraries unless told otherwise.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
OUT=$T/keep/report.txt
mkdir -p "$T/keep"
fresh() { printf 'the previous report\n' >"$OUT"; }
# intact NAME: the previous output is unchanged and no temporary is left.
intact() {
	if [ "$(cat "$OUT")" != "the previous report" ]; then bad "the previous file changed"; return 1; fi
	if ls -A "$T/keep" | grep -v '^report.txt$' | grep -q .; then bad "temporary left: $(ls -A "$T/keep")"; return 1; fi
	return 0
}
# w NAME ENV... : a report to $OUT with the shim and ENV must fail cleanly.
w() {
	name=$1; shift
	fresh
	(cd "$IN" && env LD_PRELOAD="$so" "$@" $run report base.yaml -o "$OUT" >"$T/out" 2>"$T/err")
	got=$?
	clean_err || return
	if [ "$got" != 2 ]; then bad "exit status $got, expected 2"; sed 's/^/    /' "$T/err"; return; fi
	if ! grep -qF 'report.txt: cannot write' "$T/err"; then bad "no 'cannot write' message"; sed 's/^/    /' "$T/err"; return; fi
	intact && ok
}
if [ -n "$so" ]; then
	w write-fails-disk-full FAILWRITE_AFTER=1000
	w write-fails-at-once FAILWRITE_AFTER=0
	w fsync-fails FAILWRITE_FSYNC=1
	w rename-fails FAILWRITE_RENAME=1
	# trace import: the plan (about 700 bytes) is written first; the
	# trace (5,000 rows) then fails: the new plan is removed again.
	name=import-trace-fails-plan-removed
	awk 'BEGIN { print "time"; for (i = 0; i < 5000; i++) print i }' >"$T/ev5000.csv"
	rm -rf "$T/imp"; mkdir "$T/imp"
	(cd "$IN" && env LD_PRELOAD="$so" FAILWRITE_AFTER=4000 $run trace import --from events "$T/ev5000.csv" \
		-o "$T/imp/a.csv" --plan-out "$T/imp/a.yaml" >"$T/out" 2>"$T/err")
	got=$?
	if clean_err; then
		if [ "$got" != 2 ] || ! grep -qF 'a.csv: cannot write' "$T/err"; then bad "exit $got: $(cat "$T/err")"
		elif [ -s "$T/out" ]; then bad "printed on stdout although it failed"
		elif ls -A "$T/imp" | grep -q .; then bad "left behind: $(ls -A "$T/imp")"
		else ok; fi
	fi
else
	name=failwrite; skipped "cannot build the LD_PRELOAD shim: $(head -1 "$T/cc.err")"
fi
# A real full disk: a 64 KB tmpfs holding the previous report, filled up.
name=disk-full-tmpfs
mnt=$T/small
mkdir -p "$mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
	printf 'the previous report\n' >"$mnt/report.json"
	dd if=/dev/zero of="$mnt/filler" bs=1k count=1000 2>/dev/null
	(cd "$IN" && $run report base.yaml --format json -o "$mnt/report.json" >"$T/out" 2>"$T/err")
	got=$?
	if clean_err; then
		if [ "$got" != 2 ] || ! grep -qF 'report.json: cannot write: No space left on device' "$T/err"; then
			bad "exit $got: $(cat "$T/err")"
		elif [ "$(cat "$mnt/report.json")" != "the previous report" ]; then
			bad "the previous file changed"
		elif ls -A "$mnt" | grep -vE '^(report.json|filler)$' | grep -q .; then
			bad "temporary left: $(ls -A "$mnt")"
		else ok; fi
	fi
	umount "$mnt"
else
	skipped "cannot mount a small tmpfs (needs root); the shim cases above cover ENOSPC"
fi
# /dev/full as standard output, and as -o (a device is written in place).
c output-dev-full 2 '/dev/full: cannot write: No space left on device' report base.yaml -o /dev/full
name=stdout-redirect-full
(cd "$IN" && $run report base.yaml >/dev/full 2>"$T/err"); got=$?
if clean_err; then if [ "$got" = 2 ] && grep -qF 'No space left on device' "$T/err"; then ok; else bad "exit $got: $(cat "$T/err")"; fi; fi
name=models-stdout-full
(cd "$IN" && $run models >/dev/full 2>"$T/err"); got=$?
if clean_err; then if [ "$got" = 2 ] && grep -qF 'cannot write standard output: No space left on device' "$T/err"; then ok; else bad "exit $got: $(cat "$T/err")"; fi; fi
name=output-dev-null
(cd "$IN" && $run report base.yaml -o /dev/null >"$T/out" 2>"$T/err"); got=$?
if clean_err; then if [ "$got" = 0 ] && [ -c /dev/null ]; then ok; else bad "exit $got, /dev/null: $(ls -l /dev/null)"; fi; fi
name=output-through-symlink
printf 'old\n' >"$T/keep/real.txt"; ln -s real.txt "$T/keep/link.txt"
(cd "$IN" && $run report base.yaml -o "$T/keep/link.txt" >"$T/out" 2>"$T/err"); got=$?
if clean_err; then
	if [ "$got" = 0 ] && [ -L "$T/keep/link.txt" ] && cmp -s "$T/keep/real.txt" "$T/base.out"; then ok
	else bad "exit $got; link or target wrong: $(ls -l "$T/keep")"; fi
fi
rm -f "$T/keep/real.txt" "$T/keep/link.txt"
name=output-keeps-mode
fresh; chmod 640 "$OUT"
(cd "$IN" && $run report base.yaml -o "$OUT" >"$T/out" 2>"$T/err"); got=$?
if clean_err; then
	if [ "$got" = 0 ] && [ "$(stat -c %a "$OUT")" = 640 ] && cmp -s "$OUT" "$T/base.out"; then ok
	else bad "exit $got, mode $(stat -c %a "$OUT")"; fi
fi
chmod 644 "$OUT"

# ---- part 3: interrupted runs -----------------------------------------------
# Killed (SIGKILL) in the middle of writing: the previous file is intact
# and, as the temporary file is unnamed until complete (O_TMPFILE), no
# temporary is left either.
if [ -n "$VALGRIND" ]; then
	name=signals; skipped "timing-based checks are not run under valgrind"
elif [ -z "$so" ]; then
	name=signals; skipped "no LD_PRELOAD shim"
else
	name=sigkill-mid-write
	fresh; rm -f "$T/mark"
	(cd "$IN" && exec env LD_PRELOAD="$so" FAILWRITE_SLOW_MS=50 FAILWRITE_MARK="$T/mark" \
		$bin report base.yaml -o "$OUT" >/dev/null 2>"$T/err") &
	pid=$!
	i=0; while [ ! -f "$T/mark" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	sleep 0.1
	kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
	if [ ! -f "$T/mark" ]; then bad "writing never began"; else intact && ok; fi

	# SIGINT in the middle of writing: the signal waits until the file is
	# complete and renamed, then ends the process: the output is the whole
	# new report (never a part), and no temporary is left.
	# A background job starts with SIGINT ignored (and costcap keeps it
	# so, like any well-behaved program); env --default-signal undoes that.
	dflt=
	env --default-signal=INT true 2>/dev/null && dflt=--default-signal=INT
	name=sigint-mid-write
	fresh; rm -f "$T/mark"
	(cd "$IN" && exec env $dflt LD_PRELOAD="$so" FAILWRITE_SLOW_MS=50 FAILWRITE_MARK="$T/mark" \
		$bin report base.yaml -o "$OUT" >/dev/null 2>"$T/err") &
	pid=$!
	i=0; while [ ! -f "$T/mark" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null; got=$?
	if [ "$got" != 130 ]; then bad "exit status $got, expected 130 (SIGINT)"
	elif ! grep -qF 'costcap: interrupted (SIGINT)' "$T/err"; then bad "no message: $(cat "$T/err")"
	elif ! cmp -s "$OUT" "$T/base.out" && [ "$(cat "$OUT")" != "the previous report" ]; then bad "partial output"
	elif ls -A "$T/keep" | grep -v '^report.txt$' | grep -q .; then bad "temporary left: $(ls -A "$T/keep")"
	else ok; fi

	# SIGTERM and SIGINT during a long simulation (a 393-day window of a
	# plan with traffic every second, which runs for seconds: the 393 idle
	# days of tplan.yaml alone now take under one): prompt exit, a
	# message, no output file, nothing on stdout.
	for sig in TERM INT; do
		name=sig$sig-during-simulation
		rm -f "$T/keep/long.txt"
		start=$(date +%s%N)
		(cd "$IN" && exec env $dflt $bin report longplan.yaml --set "traffic.trace=$T/long-window.csv" \
			-o "$T/keep/long.txt" >"$T/out" 2>"$T/err") &
		pid=$!
		sleep 1
		sent=$(date +%s%N)
		kill -$sig $pid; wait $pid 2>/dev/null; got=$?
		ms=$((($(date +%s%N) - sent) / 1000000))
		case $sig in TERM) want=143; text='terminated (SIGTERM)' ;; INT) want=130; text='interrupted (SIGINT)' ;; esac
		if [ "$got" != $want ]; then bad "exit status $got, expected $want"
		elif ! grep -qF "costcap: $text" "$T/err"; then bad "no message: $(cat "$T/err")"
		elif [ -e "$T/keep/long.txt" ] || [ -s "$T/out" ]; then bad "output was written"
		elif [ $ms -gt 2000 ]; then bad "took $ms ms to exit"
		else ok; fi
	done
fi

echo "hostile: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
