"""Checks costcap's JSON outputs with Python's json module.

  python3 verify_json.py report FILE   the keys of DESIGN §8 with their types
  python3 verify_json.py diff FILE     Infracost's keys: decimal strings that
                                       agree with the numbers
"""
import json
import sys


def fail(msg):
    print("verify_json: " + msg)
    sys.exit(1)


def report(d):
    for k, t in [("costcap_version", str), ("plan", str), ("model", dict), ("window", dict),
                 ("total_monthly_cost", (int, float)), ("services", dict), ("resources", list),
                 ("checks", list)]:
        if not isinstance(d.get(k), t):
            fail("key %s missing or of the wrong type" % k)
    for k in ("name", "as_of", "currency"):
        if not isinstance(d["model"].get(k), str):
            fail("model.%s missing" % k)
    if set(d["services"]) != {"lambda", "apigateway", "dynamodb"}:
        fail("services are not lambda, apigateway, dynamodb")
    total = sum(r["monthly_cost"] for r in d["resources"])
    if abs(total - d["total_monthly_cost"]) > 1e-6 * max(1, abs(total)):
        fail("resources do not add up to the total")
    for r in d["resources"]:
        for k in ("name", "service", "monthly_cost", "requests", "throttled", "throttle_ratio",
                  "line_items"):
            if k not in r:
                fail("resource key %s missing" % k)
        items = sum(li["monthly_cost"] for li in r["line_items"])
        if abs(items - r["monthly_cost"]) > 1e-6 * max(1, abs(items)):
            fail("line items of %s do not add up" % r["name"])
    for c in d["checks"]:
        for k in ("name", "limit", "value", "pass"):
            if k not in c:
                fail("check key %s missing" % k)
    if float(d["totalMonthlyCost"]) != d["total_monthly_cost"]:
        fail("totalMonthlyCost disagrees with total_monthly_cost")
    print("report json ok: %d resources, %d checks" % (len(d["resources"]), len(d["checks"])))


def diff(d):
    for k in ("totalMonthlyCost", "pastTotalMonthlyCost", "diffTotalMonthlyCost"):
        if not isinstance(d.get(k), str) or "e" in d[k].lower():
            fail("%s is not a decimal string" % k)
    if float(d["totalMonthlyCost"]) != d["total_monthly_cost"]:
        fail("totalMonthlyCost disagrees")
    if float(d["pastTotalMonthlyCost"]) != d["past_total_monthly_cost"]:
        fail("pastTotalMonthlyCost disagrees")
    if abs(float(d["diffTotalMonthlyCost"]) - (d["total_monthly_cost"] - d["past_total_monthly_cost"])) > 1e-9:
        fail("diffTotalMonthlyCost is not total - past")
    p = d["projects"][0]
    if p["diff"]["totalMonthlyCost"] != d["diffTotalMonthlyCost"]:
        fail("projects[0].diff disagrees")
    # The jq rule Infracost users write: (.diffTotalMonthlyCost | tonumber) > N
    print("diff json ok: %s -> %s (%s)" % (d["pastTotalMonthlyCost"], d["totalMonthlyCost"],
                                           d["diffTotalMonthlyCost"]))


def main():
    with open(sys.argv[2]) as f:
        try:
            d = json.load(f)
        except ValueError as e:
            fail("not JSON: %s" % e)
    report(d) if sys.argv[1] == "report" else diff(d)


main()
