#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/units.h"
#include "../core/util.h"
#include "fmt.h"

struct check *check_add(struct check **v, size_t *n, size_t *cap, char *name,
			enum check_unit unit, double limit, double value, char *detail)
{
	struct check *c;

	xgrow(v, cap, *n + 1, sizeof **v);
	c = &(*v)[(*n)++];
	memset(c, 0, sizeof *c);
	c->name = name;
	c->unit = unit;
	c->limit = limit;
	c->value = value;
	c->detail = detail;
	c->source = "flag";
	/* A limit is a ceiling: equal passes. Money is compared in cents, as
	 * printed, so that float noise never flips a check the reader sees
	 * as equal; ratios and percentages to within 1e-9 of a point. */
	if (isnan(value))
		c->pass = true;
	else if (unit == CHECK_USD)
		c->pass = money_cents(value) <= money_cents(limit);
	else if (unit == CHECK_RATIO)
		c->pass = value <= limit + 1e-12;
	else
		c->pass = value <= limit + 1e-9;
	return c;
}

void check_set_warn(struct check *c, double warn_at)
{
	if (isnan(c->value))
		c->warn = true;
	else if (c->pass && warn_at > 0 && c->limit > 0 && c->value > 0)
		c->warn = c->value >= warn_at * c->limit;
}

size_t checks_failed(const struct check *c, size_t n)
{
	size_t i, f = 0;

	for (i = 0; i < n; i++)
		f += !c[i].pass;
	return f;
}

void check_fmt_value(struct sbuf *out, enum check_unit u, double v)
{
	if (isnan(v))
		sbuf_add(out, "n/a");
	else if (u == CHECK_USD)
		fmt_money(out, v);
	else if (u == CHECK_RATIO)
		sbuf_printf(out, "%.4g%%", v * 100 + 0.0);
	else
		sbuf_printf(out, "%.4g%%", v + 0.0);
}

/* "monthly cost $X, within the $Y budget (82%)" or "monthly cost $X
 * exceeds the $Y budget by $Z (116%)". */
static char *money_detail(const char *what, double value, double limit)
{
	struct sbuf s = {0};
	bool over = money_cents(value) > money_cents(limit);

	sbuf_printf(&s, "%s ", what);
	fmt_money(&s, value);
	sbuf_add(&s, over ? " exceeds the " : ", within the ");
	fmt_money(&s, limit);
	sbuf_add(&s, " budget");
	if (over) {
		sbuf_add(&s, " by ");
		fmt_money(&s, value - limit);
	}
	if (limit > 0)
		sbuf_printf(&s, " (%.0f%%)", value / limit * 100);
	return sbuf_take(&s);
}

static const char *unit_of(enum service s)
{
	return s == SVC_LAMBDA ? "invocations" : s == SVC_APIGATEWAY ? "requests" : "operations";
}

/* Splits "NAME=USD". */
static int split_limit(const char *arg, const char *flag, char **name, double *usd, struct err *e)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || units_number(eq + 1, usd) < 0 || *usd < 0) {
		err_add(e, NULL, 0, 0, "%s expects NAME=USD (e.g. dynamodb=400), found '%s'", flag, arg);
		return -1;
	}
	*name = xstrndup(arg, (size_t)(eq - arg));
	return 0;
}

/* Whether one of flags[from..n) ("NAME=USD") sets a limit for 'name'. */
static bool flag_names(const char *const *flags, size_t n, size_t from, const char *name)
{
	size_t j, len = strlen(name);

	for (j = from; j < n; j++)
		if (!strncmp(flags[j], name, len) && flags[j][len] == '=')
			return true;
	return false;
}

long checks_eval(const struct plan *p, const struct bill *b, const struct check_limits *lim,
		 struct check **out, struct err *e)
{
	struct check *v = NULL, *c;
	size_t n = 0, cap = 0, i, before = e->n;
	double budget = p->budget.monthly_usd, thr = p->budget.max_throttle_ratio;
	double warn_at = lim ? lim->warn_at : CHECK_WARN_AT;
	const char *budget_src = "plan", *thr_src = "plan";
	const char *const *sflags = lim ? lim->service_budgets : NULL;
	const char *const *rflags = lim ? lim->resource_budgets : NULL;
	size_t nsf = lim ? lim->nservice : 0, nrf = lim ? lim->nresource : 0;

	if (lim && !isnan(lim->monthly_usd)) {
		budget = lim->monthly_usd;
		budget_src = "flag";
	}
	if (lim && !isnan(lim->max_throttle_ratio)) {
		thr = lim->max_throttle_ratio;
		thr_src = "flag";
	}
	if (!isnan(budget)) {
		c = check_add(&v, &n, &cap, xstrdup("budget"), CHECK_USD, budget, b->total,
			      money_detail("monthly cost", b->total, budget));
		c->source = budget_src;
	}
	/* Services: the plan's, unless a flag names the same service; then
	 * the flags (the last one for a service wins). */
	for (i = 0; i < p->budget.nservices; i++) {
		const struct budget_limit *bl = &p->budget.services[i];
		int s = service_parse(bl->name);
		char *what;

		if (s < 0 || flag_names(sflags, nsf, 0, bl->name))
			continue;
		what = xasprintf("%s monthly cost", bl->name);
		c = check_add(&v, &n, &cap, xasprintf("budget:%s", bl->name), CHECK_USD, bl->usd,
			      b->service[s], money_detail(what, b->service[s], bl->usd));
		free(what);
		c->source = "plan";
		c->line = bl->line;
		c->col = bl->col;
	}
	for (i = 0; i < nsf; i++) {
		char *name, *what;
		double usd;
		int s;

		if (split_limit(sflags[i], "--service-budget", &name, &usd, e) < 0)
			continue;
		s = service_parse(name);
		if (s < 0) {
			err_add(e, NULL, 0, 0, "--service-budget: unknown service '%s' "
				"(services: lambda, apigateway, dynamodb)", name);
		} else if (!flag_names(sflags, nsf, i + 1, name)) {
			what = xasprintf("%s monthly cost", name);
			check_add(&v, &n, &cap, xasprintf("budget:%s", name), CHECK_USD, usd,
				  b->service[s], money_detail(what, b->service[s], usd));
			free(what);
		}
		free(name);
	}
	for (i = 0; i < p->budget.nresources; i++) {
		const struct budget_limit *bl = &p->budget.resources[i];
		const struct bill_resource *r = bill_find(b, bl->name);
		char *what;

		if (!r || flag_names(rflags, nrf, 0, bl->name))
			continue;
		what = xasprintf("%s (%s) monthly cost", r->name, service_name(r->service));
		c = check_add(&v, &n, &cap, xasprintf("budget:%s", r->name), CHECK_USD, bl->usd,
			      r->monthly_cost, money_detail(what, r->monthly_cost, bl->usd));
		free(what);
		c->source = "plan";
		c->line = bl->line;
		c->col = bl->col;
	}
	for (i = 0; i < nrf; i++) {
		char *name, *what;
		double usd;
		const struct bill_resource *r;

		if (split_limit(rflags[i], "--resource-budget", &name, &usd, e) < 0)
			continue;
		r = bill_find(b, name);
		if (!r) {
			struct sbuf known = {0};
			size_t k;

			for (k = 0; k < b->n; k++)
				sbuf_printf(&known, "%s%s", k ? ", " : "", b->res[k].name);
			err_add(e, NULL, 0, 0, "--resource-budget: unknown resource '%s' (resources: %s)",
				name, known.buf ? known.buf : "none");
			sbuf_free(&known);
		} else if (!flag_names(rflags, nrf, i + 1, name)) {
			what = xasprintf("%s (%s) monthly cost", r->name, service_name(r->service));
			check_add(&v, &n, &cap, xasprintf("budget:%s", name), CHECK_USD, usd,
				  r->monthly_cost, money_detail(what, r->monthly_cost, usd));
			free(what);
		}
		free(name);
	}
	/* Throttling: one check per resource, so a CI log names the
	 * resource that throttles. */
	for (i = 0; !isnan(thr) && i < b->n; i++) {
		const struct bill_resource *r = &b->res[i];
		struct sbuf d = {0};

		sbuf_printf(&d, "%s (%s): ", r->name, service_name(r->service));
		fmt_count(&d, (double)r->throttled);
		sbuf_add(&d, " of ");
		fmt_count(&d, (double)r->requests);
		sbuf_printf(&d, " %s throttled (", unit_of(r->service));
		check_fmt_value(&d, CHECK_RATIO, r->throttle_ratio);
		sbuf_add(&d, "), limit ");
		check_fmt_value(&d, CHECK_RATIO, thr);
		c = check_add(&v, &n, &cap, xasprintf("throttle:%s", r->name), CHECK_RATIO, thr,
			      r->throttle_ratio, sbuf_take(&d));
		c->source = thr_src;
	}
	if (e->n > before) {
		checks_free(v, n);
		*out = NULL;
		return -1;
	}
	for (i = 0; i < n; i++)
		check_set_warn(&v[i], warn_at);
	*out = v;
	return (long)n;
}

void checks_free(struct check *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].detail);
	}
	free(c);
}

/* ---- outputs ------------------------------------------------------------ */

#define GREEN "\033[32m"
#define RED "\033[1;31m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

static size_t nwarn(const struct check *c, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		w += c[i].pass && c[i].warn;
	return w;
}

void checks_text(struct sbuf *o, const struct check_run *r, bool color)
{
	size_t i, nf = checks_failed(r->checks, r->n), nw = nwarn(r->checks, r->n);
	int width = 16;

	for (i = 0; i < r->n; i++)
		if ((int)strlen(r->checks[i].name) > width)
			width = (int)strlen(r->checks[i].name);
	for (i = 0; i < r->n; i++) {
		const struct check *c = &r->checks[i];
		const char *col = !c->pass ? RED : c->warn ? YELLOW : GREEN;

		if (color)
			sbuf_add(o, col);
		sbuf_add(o, c->pass ? "PASS" : "FAIL");
		if (color)
			sbuf_add(o, RESET);
		sbuf_add(o, "  ");
		fmt_pad(o, c->name, width, false);
		sbuf_printf(o, "  %s%s\n", c->detail, c->pass && c->warn ? " [warning]" : "");
	}
	if (r->n == 0)
		sbuf_printf(o, "no checks: %s\n", !strcmp(r->command, "diff") ?
			    "give --fail-above-usd, --fail-above-pct or --max-throttle" :
			    "give --budget, --max-throttle or a budget: section in the plan");
	sbuf_printf(o, "%zu passed, %zu failed", r->n - nf, nf);
	if (nw)
		sbuf_printf(o, " (%zu with a warning)", nw);
	sbuf_addc(o, '\n');
}

static const char *kind_of(const struct check *c)
{
	return !strncmp(c->name, "budget", 6) ? "budget" :
	       !strncmp(c->name, "throttle", 8) ? "throttle" : "increase";
}

static void excess(struct sbuf *o, const struct check *c)
{
	if (c->unit == CHECK_USD) {
		fmt_money(o, c->value - c->limit);
		if (c->limit > 0)
			sbuf_printf(o, " (%.1f%% over)", (c->value / c->limit - 1) * 100);
	} else if (c->unit == CHECK_RATIO) {
		sbuf_printf(o, "%.4g percentage points", (c->value - c->limit) * 100);
	} else {
		sbuf_printf(o, "%.4g percentage points", c->value - c->limit);
	}
}

void checks_junit(struct sbuf *o, const struct check_run *r)
{
	size_t i, nf = checks_failed(r->checks, r->n);

	sbuf_add(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sbuf_printf(o, "<testsuites name=\"costcap\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		    "time=\"0\">\n", r->n, nf);
	sbuf_printf(o, "  <testsuite name=\"costcap %s: ", r->command);
	xml_text(o, r->subject);
	sbuf_printf(o, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"0\">\n",
		    r->n, nf);
	sbuf_add(o, "    <properties>\n");
	sbuf_add(o, "      <property name=\"costcap_version\" value=\"" COSTCAP_VERSION "\"/>\n");
	sbuf_add(o, "      <property name=\"subject\" value=\"");
	xml_text(o, r->subject);
	sbuf_add(o, "\"/>\n");
	if (r->file) {
		sbuf_add(o, "      <property name=\"file\" value=\"");
		xml_text(o, r->file);
		sbuf_add(o, "\"/>\n");
	}
	sbuf_add(o, "    </properties>\n");
	for (i = 0; i < r->n; i++) {
		const struct check *c = &r->checks[i];

		sbuf_printf(o, "    <testcase classname=\"costcap.%s\" name=\"", r->command);
		xml_text(o, c->name);
		sbuf_add(o, "\" time=\"0\"");
		if (c->pass && !c->warn) {
			sbuf_add(o, "/>\n");
			continue;
		}
		sbuf_add(o, ">\n");
		if (!c->pass) {
			struct sbuf body = {0};

			sbuf_add(&body, "limit: ");
			check_fmt_value(&body, c->unit, c->limit);
			sbuf_add(&body, "\nvalue: ");
			check_fmt_value(&body, c->unit, c->value);
			sbuf_add(&body, "\nover by: ");
			excess(&body, c);
			sbuf_printf(&body, "\nset by: %s", !strcmp(c->source, "plan") ?
				    "the plan's budget: section" : "a command-line flag");
			if (r->file && c->line)
				sbuf_printf(&body, " (%s:%d)", r->file, c->line);
			sbuf_addc(&body, '\n');
			sbuf_printf(o, "      <failure type=\"%s\" message=\"", kind_of(c));
			xml_text(o, c->detail);
			sbuf_add(o, "\">");
			xml_text(o, body.buf);
			sbuf_add(o, "</failure>\n");
			sbuf_free(&body);
		} else {
			sbuf_add(o, "      <system-out>warning: ");
			xml_text(o, c->detail);
			sbuf_add(o, "</system-out>\n");
		}
		sbuf_add(o, "    </testcase>\n");
	}
	sbuf_add(o, "  </testsuite>\n</testsuites>\n");
}

static void gh_command(struct sbuf *o, const char *kind, const struct check_run *r,
		       const struct check *c, const char *title, const char *msg)
{
	bool any = false;

	sbuf_printf(o, "::%s", kind);
	if (r->file) {
		sbuf_add(o, " file=");
		gh_text(o, r->file, true);
		any = true;
		if (c && c->line) {
			sbuf_printf(o, ",line=%d", c->line);
			if (c->col)
				sbuf_printf(o, ",col=%d", c->col);
		}
	}
	sbuf_add(o, any ? ",title=" : " title=");
	gh_text(o, title, true);
	sbuf_add(o, "::");
	gh_text(o, msg, false);
	sbuf_addc(o, '\n');
}

void checks_github(struct sbuf *o, const struct check_run *r)
{
	size_t i, nf = checks_failed(r->checks, r->n);

	for (i = 0; i < r->n; i++) {
		const struct check *c = &r->checks[i];
		char *title = xasprintf("costcap %s %s: %s", r->command, c->pass ? "warning" : "failed",
					c->name);

		/* Passing checks go to the log only; workflow commands
		 * annotate the run for failures and warnings. */
		if (!c->pass)
			gh_command(o, "error", r, c, title, c->detail);
		else if (c->warn)
			gh_command(o, "warning", r, c, title, c->detail);
		else
			sbuf_printf(o, "PASS  %s  %s\n", c->name, c->detail);
		free(title);
	}
	if (r->n == 0) {
		char *t = xasprintf("costcap %s", r->command);

		gh_command(o, "warning", r, NULL, t, "no checks were given, nothing was checked");
		free(t);
	}
	sbuf_printf(o, "costcap %s: %zu passed, %zu failed\n", r->command, r->n - nf, nf);
}

void checks_md(struct sbuf *o, const struct check_run *r)
{
	size_t i;

	if (r->n == 0) {
		sbuf_add(o, "_No checks were given._\n");
		return;
	}
	sbuf_add(o, "| | Check | Value | Limit | Detail |\n|---|---|---:|---:|---|\n");
	for (i = 0; i < r->n; i++) {
		const struct check *c = &r->checks[i];

		sbuf_add(o, !c->pass ? "| \xe2\x9d\x8c fail | " : c->warn ? "| \xe2\x9a\xa0\xef\xb8\x8f pass | " :
			 "| \xe2\x9c\x85 pass | ");
		md_code(o, c->name, true);
		sbuf_add(o, " | ");
		check_fmt_value(o, c->unit, c->value);
		sbuf_add(o, " | ");
		check_fmt_value(o, c->unit, c->limit);
		sbuf_add(o, " | ");
		md_text(o, c->detail);
		sbuf_add(o, " |\n");
	}
}

void checks_json(struct sbuf *o, const struct check *v, size_t n, int indent)
{
	size_t i;

	sbuf_addc(o, '[');
	for (i = 0; i < n; i++) {
		const struct check *c = &v[i];

		sbuf_printf(o, "%s\n%*s{\"name\": ", i ? "," : "", indent + 2, "");
		json_string(o, c->name);
		sbuf_add(o, ", \"limit\": ");
		json_number(o, c->limit);
		sbuf_add(o, ", \"value\": ");
		json_number(o, c->value);
		sbuf_printf(o, ", \"pass\": %s, \"warn\": %s,\n%*s \"unit\": \"%s\", \"source\": \"%s\"",
			    c->pass ? "true" : "false", c->warn ? "true" : "false", indent + 2, "",
			    c->unit == CHECK_USD ? "USD" : c->unit == CHECK_RATIO ? "ratio" : "percent",
			    c->source);
		if (c->line)
			sbuf_printf(o, ", \"line\": %d", c->line);
		sbuf_add(o, ", \"detail\": ");
		json_string(o, c->detail);
		sbuf_addc(o, '}');
	}
	if (n)
		sbuf_printf(o, "\n%*s", indent, "");
	sbuf_addc(o, ']');
}
