"""Checks a TUI advice screen against `costcap advise --format json`.

  python3 check_advice.py ADVICE.json SCREEN.txt

The screen (a dump of the advice screen, wide and tall enough that no
line wraps) must show, from the same struct advice the CLI prints: the
total and the throttle target; the first limit (resource, service, scale,
binding limit); the month throttling starts; every item, recommended then
checked, with its kind, resource, message and --set assignments; the
headroom of every resource; every month of the projection (scale, cost
to the cent, worst throttle ratio and resource); the number of
simulations. Prints one line per difference and exits 1 if any.
"""
import json
import re
import sys

bad = []


def check(cond, msg):
    if not cond:
        bad.append(msg)


def ratio(r):
    """A throttle ratio as the TUI and `costcap advise` print it."""
    if r is None:
        return "n/a"
    if r == 0:
        return "0%"
    if r < 0.0001:
        return "%.4f%%" % (r * 100)
    return "%.3g%%" % (r * 100)


def money(s):
    return float(s.replace("$", "").replace(",", ""))


def same_money(screen, value):
    return value is not None and abs(money(screen) - value) <= 0.005 + 1e-9


def main():
    with open(sys.argv[1]) as f:
        d = json.load(f)
    with open(sys.argv[2]) as f:
        lines = [l.rstrip("\n").rstrip() for l in f]
    start = [i for i, l in enumerate(lines) if l.startswith(" Advice for ")]
    if not start:
        print("check_advice: no advice on the screen")
        sys.exit(1)
    lines = lines[start[0] + 1:]

    # The summary.
    m = [re.match(r"^   (\$[\d,.]+)/month as planned; throttle target (\S+)$", l) for l in lines]
    m = [x for x in m if x]
    check(m, "no total line")
    if m:
        check(same_money(m[0].group(1), d["total_monthly_cost"]),
              "total: screen %s, advise %s" % (m[0].group(1), d["total_monthly_cost"]))
        check(m[0].group(2) == ratio(d["target_throttle_ratio"]),
              "target: screen %s, advise %s" % (m[0].group(2), d["target_throttle_ratio"]))
    h = d["headroom"]
    first = [l for l in lines if l.startswith("   first limit: ") or l.startswith("   no resource throttles")]
    check(len(first) == 1, "no first-limit line")
    if first and h and h["first"]:
        r = [x for x in h["resources"] if x["resource"] == h["first"]][0]
        want = "   first limit: %s (%s) at x%.2f traffic, bound by %s" % (
            r["resource"], r["service"], r["scale"], r["limit"])
        check(first[0] == want, "first limit: screen '%s', advise '%s'" % (first[0], want))
    elif first:
        check(first[0].startswith("   no resource throttles"), "first limit: screen '%s', advise none" % first[0])
    p = d["projection"]
    if p:
        g = [l for l in lines if re.match(r"^   at \S+/month \(", l)]
        check(len(g) == 1, "no growth line")
        if g:
            want = "   at %.3g%%/month (%s): " % (p["growth_per_month"] * 100, p["growth_source"])
            if p["throttling_starts_month"] is not None:
                want += "throttling passes the target in month %d" % p["throttling_starts_month"]
            else:
                want += "no throttling above the target within %d months" % len(p["months"])
            check(g[0].startswith(want), "growth: screen '%s', advise '%s'" % (g[0], want))

    # The items: recommended, then checked, each in the CLI's order.
    want = []
    for act in (True, False):
        for it in d["items"]:
            if it["actionable"] != act:
                continue
            s = "   %s [%s] %s%s%s" % ("*" if act else "-", it["kind"], it["resource"],
                                      ": " if it["resource"] else "", it["message"])
            want.append((s, it["set"]))
    got = [(i, l) for i, l in enumerate(lines) if re.match(r"^   [*-] \[", l)]
    check(len(got) == len(want), "items: %d on the screen, %d from advise" % (len(got), len(want)))
    for (i, l), (s, st) in zip(got, want):
        check(l == s, "item: screen '%s'\n      advise '%s'" % (l, s))
        if st:
            sets = [x for x in lines[i + 1:i + 4] if x.startswith("       --set ")]
            check(sets and sets[0] == "       --set " + st,
                  "--set of '%s': screen %s, advise '%s'" % (s, sets[:1], st))
    n_act = sum(1 for it in d["items"] if it["actionable"])
    check(" Recommended (%d)" % n_act in lines, "no 'Recommended (%d)' heading" % n_act)
    check(" Checked (%d)" % (len(d["items"]) - n_act) in lines, "no 'Checked' heading with its count")

    # Headroom rows.
    if h:
        k = [i for i, l in enumerate(lines) if l.startswith(" Headroom: ")]
        check(k, "no headroom section")
        rows = lines[k[0] + 1:k[0] + 1 + len(h["resources"])] if k else []
        for l, r in zip(rows, h["resources"]):
            if r["scale"] is None:
                want = "   %-20s %-10s    > %.4gx" % (r["resource"], r["service"], h["max_scale"])
            else:
                want = "   %-20s %-10s %8.4gx  %s" % (r["resource"], r["service"], r["scale"], r["limit"])
                if r["resource"] == h["first"]:
                    want += "   <- first"
            check(l == want, "headroom: screen '%s'\n          advise '%s'" % (l, want))
        check(len(rows) == len(h["resources"]), "headroom rows missing")

    # Projection rows.
    if p:
        k = [i for i, l in enumerate(lines) if l.startswith(" Projection: ")]
        check(k, "no projection section")
        rows = lines[k[0] + 2:k[0] + 2 + len(p["months"])] if k else []
        check(len(rows) == len(p["months"]), "projection rows missing")
        for l, mo in zip(rows, p["months"]):
            f = l.split()
            if len(f) < 4:
                check(False, "projection row '%s'" % l)
                continue
            check(int(f[0]) == mo["month"], "projection month: screen %s, advise %s" % (f[0], mo["month"]))
            check(f[1] == "%.3f" % mo["scale"], "month %d scale: screen %s, advise %s" % (mo["month"], f[1], mo["scale"]))
            check(same_money(f[2], mo["monthly_cost"]),
                  "month %d cost: screen %s, advise %s" % (mo["month"], f[2], mo["monthly_cost"]))
            check(f[3] == ratio(mo["throttle_ratio"]),
                  "month %d throttle: screen %s, advise %s" % (mo["month"], f[3], mo["throttle_ratio"]))
            if mo["throttle_ratio"] and mo["worst"]:
                check(len(f) > 4 and " ".join(f[4:]) == "(%s)" % mo["worst"],
                      "month %d worst: screen '%s', advise %s" % (mo["month"], " ".join(f[4:]), mo["worst"]))

    sims = [l for l in lines if re.match(r"^   \d+ simulations", l)]
    check(sims and int(sims[0].split()[0]) == d["measured"]["simulations"],
          "simulations: screen %s, advise %s" % (sims[:1], d["measured"]["simulations"]))

    for b in bad:
        print("check_advice: " + b)
    sys.exit(1 if bad else 0)


main()
