#!/bin/sh
# tmux tests of `costcap tui` on a real terminal: it starts full screen
# (alternate screen), + changes the totals, ? shows the help, resizes to
# 200x60 and back to 80x24 redraw the screen, q exits 0 back to the shell
# prompt with the terminal modes (stty) and the main screen restored; the
# same after SIGTERM and Ctrl-C (exit 143 and 130); q while a simulation
# is still running quits at once; + on a month-long plan shows an
# estimate first, then the exact month; a opens the advice screen, showing its
# progress while the advice is computed (Esc goes back meanwhile), then
# the advice, and a again returns (q quits while advice is computed); NO_COLOR gives no colours; and without a
# terminal it refuses to start (exit 2, pointing at `costcap report`).
# Uses a private tmux server; skipped when tmux is not installed.
ROOT=$(pwd)
case $1 in /*) bin=$1 ;; *) bin=$ROOT/$1 ;; esac
if ! command -v tmux >/dev/null 2>&1; then
	echo "tui tmux: skipped (tmux is not installed)"
	exit 0
fi
tmp=$(mktemp -d)
sock=costcap-test-$$
T="tmux -L $sock -f /dev/null"
trap '$T kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
cp tests/tui/plans/* "$tmp/"
pass=0; fail=0
# Simulations are slow under sanitizers: generous waits.
WAIT=${TUI_TMUX_WAIT:-60}

pane() { $T capture-pane -p -t t; }
fmt() { $T display -p -t t "$1"; }
send() { $T send-keys -t t "$@"; }
# wait_for PATTERN [SECONDS]: until the pane shows PATTERN (grep -E).
wait_for() {
	n=$(( ${2:-$WAIT} * 10 ))
	while [ $n -gt 0 ]; do
		pane | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL tmux: $1"; pane | sed 's/^/    | /'; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }
# hlines PATTERN: the number of box-drawing dashes on the line with PATTERN.
hlines() { pane | grep -- "$1" | head -1 | grep -o '─' | wc -l; }
run_tui() {
	send "$1; echo EXIT=\$?" Enter
}
clear_pane() { send "clear" Enter; sleep 0.3; }

$T new-session -d -s t -x 80 -y 24 \
	"env -i PATH='$PATH' HOME='$tmp' TERM=screen LC_ALL=C.UTF-8 TZ=UTC COSTCAP_MODELS='$ROOT/models' PS1='ready\$ ' sh"
sleep 0.3
send "cd '$tmp' && stty -g >stty.before" Enter
wait_for '^ready\$' 10 || bad "no shell prompt"

# Start, + changes the totals.
run_tui "'$bin' tui shop.yaml"
if wait_for '^ TOTAL +\$385\.07'; then ok; else bad "the overview did not appear"; fi
check "alternate screen on while running" '[ "$(fmt "#{alternate_on}")" = 1 ]'
send +
if wait_for '^ TOTAL +\$429\.12 +\$385\.07 +\+\$44\.04'; then ok; else bad "+ did not change the totals"; fi
# ? shows the help and ? again leaves it.
send '?'
if wait_for 'Everywhere' 10; then ok; else bad "? did not show the help"; fi
send '?'
wait_for 'TOTALS per' 10 || bad "? did not leave the help"
# Resizes redraw at the new size.
$T resize-window -t t -x 200 -y 60
sleep 0.5
if wait_for 'TOTALS per' 10 && [ "$(pane | wc -l)" -eq 60 ] && [ "$(hlines 'TOTALS per')" -ge 170 ]; then
	ok
else
	bad "no redraw at 200x60"
fi
$T resize-window -t t -x 80 -y 24
sleep 0.5
if wait_for 'TOTALS per' 10 && [ "$(pane | wc -l)" -eq 24 ] && [ "$(hlines 'TOTALS per')" -le 80 ] &&
	pane | grep -Eq '^ TOTAL +\$429\.12'; then
	ok
else
	bad "no redraw back at 80x24"
fi
# q exits 0 to the shell prompt, terminal restored.
send q
if wait_for '^EXIT=0' 10; then ok; else bad "q did not exit with status 0"; fi
check "main screen back after q" '[ "$(fmt "#{alternate_on}")" = 0 ]'
check "cursor visible after q" '[ "$(fmt "#{cursor_flag}")" = 1 ]'
send "stty -g >stty.after; cmp -s stty.before stty.after && echo STTY=same" Enter
if wait_for '^STTY=same' 10; then ok; else bad "terminal modes not restored after q"; fi
check "back at the shell prompt" '[ "$(pane | grep -v "^$" | tail -1)" = "ready\$" ]'

# SIGTERM and Ctrl-C (SIGINT) restore the terminal too.
for sig in TERM INT; do
	clear_pane
	run_tui "'$bin' tui shop.yaml"
	wait_for '^ TOTAL ' || bad "no overview before SIG$sig"
	if [ $sig = TERM ]; then
		pid=$(ps -o pid= --ppid "$(fmt '#{pane_pid}')" | head -1 | tr -d ' ')
		[ -n "$pid" ] && kill -TERM "$pid"
		want=143
	else
		# The shell drops the rest of a command line whose command died
		# of SIGINT: ask for the status on its own line.
		send C-c
		sleep 1
		send "echo EXIT=\$?" Enter
		want=130
	fi
	if wait_for "^EXIT=$want" 10; then ok; else bad "SIG$sig: no exit status $want"; fi
	check "main screen back after SIG$sig" '[ "$(fmt "#{alternate_on}")" = 0 ]'
	send "stty -g >stty.after; cmp -s stty.before stty.after && echo STTY=same-$sig" Enter
	if wait_for "^STTY=same-$sig" 10; then ok; else bad "terminal modes not restored after SIG$sig"; fi
done

# q while the built-in example (a 730-hour month) is still simulating.
clear_pane
run_tui "'$bin' tui"
if wait_for 'simulating' 20; then
	send q
	if wait_for '^EXIT=0' 5; then ok; else bad "q during a simulation did not quit at once"; fi
else
	bad "no sign of the simulation in progress"
fi
check "main screen back after q during a simulation" '[ "$(fmt "#{alternate_on}")" = 0 ]'

# + on the built-in example (a 730-hour month): an estimate from the
# first day comes first (status "about $..."), then the
# exact month replaces it ($780.63 at x1.25, as `costcap report --scale
# 1.25` gives).
clear_pane
run_tui "'$bin' tui"
wait_for '^ TOTAL +\$662\.91' || bad "no overview of the example before +"
send +
if wait_for 'about \$7[0-9][0-9]\.[0-9][0-9] \(\+\$1[0-9][0-9]\.[0-9][0-9]\), estimated from day 1' 20; then
	ok
else
	bad "+ on the example showed no estimate first"
fi
n=$((WAIT * 10))
while [ $n -gt 0 ] && pane | head -1 | grep -q simulating; do
	sleep 0.1
	n=$((n - 1))
done
if [ $n -gt 0 ] && pane | grep -Eq '^ TOTAL +\$780\.63 +\$662\.91' &&
	pane | grep -q '^traffic.scale=1.25: total \$780\.63 (+\$117\.72 vs baseline)'; then
	ok
else
	bad "the exact month did not replace the estimate"
fi
send q
wait_for '^EXIT=0' 10 || bad "no exit after the estimate"

# a: the advice screen on the built-in example (a month-long plan, so the
# advice takes a while): progress first, Esc back to the overview while
# it is computed, a again shows it when it arrives, a once more returns.
clear_pane
run_tui "'$bin' tui"
wait_for '^ TOTAL +\$662\.91' || bad "no overview of the example before a"
send a
if wait_for 'advising' 20 && pane | grep -q 'Computing advice for the baseline'; then
	ok
else
	bad "a did not show the advice in progress"
fi
send Escape
if wait_for 'TOTALS per' 10; then ok; else bad "Esc did not go back while the advice was computed"; fi
send a
if wait_for '^ Advice for the baseline'; then ok; else bad "the advice did not arrive"; fi
check "the advice screen shows the first limit" 'pane | grep -q "first limit: products (dynamodb) at x1.28"'
check "the advice screen shows the recommendations" 'pane | grep -q "^ Recommended (8)"'
send a
if wait_for 'TOTALS per' 10; then ok; else bad "a did not return from the advice screen"; fi
send q
if wait_for '^EXIT=0' 10; then ok; else bad "q after the advice did not exit with status 0"; fi
# q while the advice is still computed quits at once.
clear_pane
run_tui "'$bin' tui"
wait_for '^ TOTAL +\$662\.91' || bad "no overview of the example before a (2)"
send a
if wait_for 'advising' 20; then
	send q
	if wait_for '^EXIT=0' 5; then ok; else bad "q while advising did not quit at once"; fi
else
	bad "no sign of the advice in progress (2)"
fi
check "main screen back after q while advising" '[ "$(fmt "#{alternate_on}")" = 0 ]'

# NO_COLOR: attributes only, no colours; colours otherwise.
for nc in 1 ""; do
	clear_pane
	run_tui "NO_COLOR=$nc '$bin' tui shop.yaml"
	wait_for '^ TOTAL ' || bad "no overview (NO_COLOR=$nc)"
	sleep 0.3
	colours=$($T capture-pane -e -p -t t | grep -c "$(printf '\033')\[[0-9;]*3[0-7]m")
	send q
	wait_for '^EXIT=0' 10 || bad "no exit (NO_COLOR=$nc)"
	if [ -n "$nc" ]; then
		check "NO_COLOR shows no colours" '[ "$colours" -eq 0 ]'
	else
		check "colours without NO_COLOR" '[ "$colours" -gt 0 ]'
	fi
done

# Without a terminal: refuses, exit 2, points at `costcap report`.
(cd "$tmp" && COSTCAP_MODELS="$ROOT/models" "$bin" tui shop.yaml </dev/null >out 2>err)
status=$?
check "no terminal: exit status 2 (got $status)" '[ $status -eq 2 ]'
check "no terminal: the message points at costcap report" 'grep -q "costcap report" "$tmp/err"'

# A broken plan: its problems on standard error, exit 2, before any
# screen is taken (on a terminal, in the tmux pane, too).
printf 'name: broken\nfunctions:\n  - name: f\n    memroy_mb: 512\n    duration_ms: 10\n' >"$tmp/broken.yaml"
(cd "$tmp" && COSTCAP_MODELS="$ROOT/models" "$bin" tui broken.yaml --dump - >out 2>err)
status=$?
check "broken plan: exit status 2 (got $status)" '[ $status -eq 2 ]'
check "broken plan: the problem is reported" 'grep -q "broken.yaml:4:5: .*memroy_mb.*memory_mb" "$tmp/err"'
clear_pane
run_tui "'$bin' tui broken.yaml 2>err.txt"
if wait_for '^EXIT=2' 10; then ok; else bad "broken plan on a terminal: no exit status 2"; fi
check "broken plan on a terminal: main screen" '[ "$(fmt "#{alternate_on}")" = 0 ]'

# A terminal that cannot move its cursor (TERM=dumb): refused like an
# unknown one, exit 2, pointing at `costcap report`, screen untouched.
clear_pane
run_tui "TERM=dumb '$bin' tui shop.yaml 2>err.txt"
if wait_for '^EXIT=2' 10; then ok; else bad "TERM=dumb: no exit status 2"; fi
check "TERM=dumb: the message points at costcap report" 'grep -q "costcap report" "$tmp/err.txt"'
check "TERM=dumb: main screen" '[ "$(fmt "#{alternate_on}")" = 0 ]'

echo "tui tmux: $pass passed, $fail failed"
[ $fail = 0 ]
