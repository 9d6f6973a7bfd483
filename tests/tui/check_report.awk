# Compares the figures on a TUI overview screen (second file) with
# `costcap report --format json` (first file): every resource's monthly
# cost (to the cent) and throttle ratio (%.3f%%), the services and the
# total. Exits 1 with a message per difference.
function cents(v) { return v < 0 ? -int(-v * 100 + 0.5) : int(v * 100 + 0.5) }
function money(s) { gsub(/[$,+]/, "", s); return cents(s + 0) }
FNR == NR {
	if (match($0, /"name": "[^"]*", "service"/)) {
		s = substr($0, RSTART + 9, RLENGTH - 9)
		sub(/", "service"$/, "", s)
		name = s
		if (match($0, /"monthly_cost": [-0-9.e+]+/))
			cost[name] = substr($0, RSTART + 16, RLENGTH - 16) + 0
		nres++
	}
	if (match($0, /"throttle_ratio": [-0-9.e+]+/))
		ratio[name] = substr($0, RSTART + 18, RLENGTH - 18) + 0
	if (match($0, /"total_monthly_cost": [-0-9.e+]+/))
		total = substr($0, RSTART + 22, RLENGTH - 22) + 0
	if (match($0, /"services": \{[^}]*\}/)) {
		n = split(substr($0, RSTART + 13, RLENGTH - 14), kv, ", ")
		for (i = 1; i <= n; i++) {
			split(kv[i], p, ": ")
			gsub(/"/, "", p[1])
			svc[p[1]] = p[2] + 0
		}
	}
	next
}
/^ RESOURCE / { inlist = 1; next }
inlist && NF == 0 { inlist = 0 }
inlist {
	if ($1 == "(plan)") {
		if (money($3) != cents(total)) { print "total: screen " $3 ", report " total; bad++ }
		next
	}
	if (!($1 in cost)) { print "unknown resource on screen: " $1; bad++; next }
	seen++
	if (money($3) != cents(cost[$1])) { print $1 ": screen " $3 ", report " cost[$1]; bad++ }
	r = $5; sub(/%$/, "", r)
	if (r != sprintf("%.3f", ratio[$1] * 100)) { print $1 " throttle: screen " $5 ", report " ratio[$1]; bad++ }
	next
}
/^ SERVICE +WHAT-IF/ { intot = 1; next }
intot && $1 in svc { if (money($2) != cents(svc[$1])) { print $1 ": screen " $2 ", report " svc[$1]; bad++ } ; nsvc++; next }
intot && $1 == "TOTAL" { if (money($2) != cents(total)) { print "TOTAL: screen " $2 ", report " total; bad++ }; tot = 1; intot = 0 }
END {
	if (seen != nres) { print "the screen lists " seen + 0 " of " nres + 0 " resources"; bad++ }
	if (nsvc != 3 || !tot) { print "no service totals on the screen"; bad++ }
	exit bad ? 1 : 0
}
