#include "fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long long money_cents(double usd)
{
	double c = floor(fabs(usd) * 100 + 0.5);

	return (long long)(usd < 0 ? -c : c);
}

void fmt_count(struct sbuf *out, double v)
{
	char digits[64];
	int n, i, lead;
	const char *dot;

	if (!isfinite(v)) {
		sbuf_add(out, v > 0 ? "inf" : v < 0 ? "-inf" : "n/a");
		return;
	}
	if (v < 0) {
		sbuf_addc(out, '-');
		v = -v;
	}
	/* Fractions below a million keep two decimals; larger figures are
	 * rounded to whole units. */
	if (v != floor(v) && v < 1e6)
		n = snprintf(digits, sizeof digits, "%.2f", v);
	else
		n = snprintf(digits, sizeof digits, "%.0f", v);
	dot = strchr(digits, '.');
	if (dot)
		n = (int)(dot - digits);
	lead = n % 3 ? n % 3 : 3;
	sbuf_addn(out, digits, (size_t)lead);
	for (i = lead; i < n; i += 3) {
		sbuf_addc(out, ',');
		sbuf_addn(out, digits + i, 3);
	}
	if (dot)
		sbuf_add(out, dot);
}

static void money(struct sbuf *out, double usd, bool plus)
{
	long long c = money_cents(usd);
	unsigned long long a = (unsigned long long)(c < 0 ? -c : c);

	/* Round half away from zero on the exact sum, then print. */
	if (c < 0)
		sbuf_addc(out, '-');
	else if (plus && c > 0)
		sbuf_addc(out, '+');
	sbuf_addc(out, '$');
	fmt_count(out, (double)(a / 100));
	sbuf_printf(out, ".%02llu", a % 100);
}

void fmt_money(struct sbuf *out, double usd)
{
	money(out, usd, false);
}

void fmt_money_signed(struct sbuf *out, double usd)
{
	money(out, usd, true);
}

void fmt_price(struct sbuf *out, double usd)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%.10g", usd);
	sbuf_addc(out, '$');
	fmt_decimal(out, strtod(buf, NULL));
}

void fmt_pct(struct sbuf *out, double ratio, int dec)
{
	if (!isfinite(ratio)) {
		sbuf_add(out, "n/a");
		return;
	}
	sbuf_printf(out, "%.*f%%", dec, ratio * 100 + 0.0);
}

void fmt_si(struct sbuf *out, double v)
{
	static const struct {
		double f;
		const char *s;
	} sfx[] = {{1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
	double a = fabs(v);
	size_t i;

	for (i = 0; i < sizeof sfx / sizeof *sfx; i++)
		if (a >= sfx[i].f) {
			sbuf_printf(out, "%.3g%s", v / sfx[i].f, sfx[i].s);
			return;
		}
	if (v == floor(v))
		sbuf_printf(out, "%.0f", v + 0.0);
	else
		sbuf_printf(out, "%.3g", v);
}

void fmt_decimal(struct sbuf *out, double v)
{
	char buf[400];
	int prec;

	if (!isfinite(v)) {
		sbuf_add(out, "0");
		return;
	}
	if (v == 0) {
		sbuf_add(out, "0");
		return;
	}
	for (prec = 0; prec <= 340; prec++) {
		snprintf(buf, sizeof buf, "%.*f", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	sbuf_add(out, buf);
}

void fmt_sig(struct sbuf *out, double v, int sig)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%.*g", sig, v);
	fmt_decimal(out, strtod(buf, NULL));
}

void json_string(struct sbuf *out, const char *s)
{
	sbuf_addc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			sbuf_addc(out, '\\');
			sbuf_addc(out, (char)c);
		} else if (c == '\n') {
			sbuf_add(out, "\\n");
		} else if (c == '\t') {
			sbuf_add(out, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			sbuf_printf(out, "\\u%04x", c);
		} else {
			sbuf_addc(out, (char)c);
		}
	}
	sbuf_addc(out, '"');
}

void json_number(struct sbuf *out, double v)
{
	char buf[40];
	int prec;

	if (!isfinite(v)) {
		sbuf_add(out, "null");
		return;
	}
	if (v == 0) {
		sbuf_add(out, "0");
		return;
	}
	if (fabs(v) < 1e15 && v == floor(v)) {
		sbuf_printf(out, "%.0f", v);
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	sbuf_add(out, buf);
}

/* Length of the well-formed UTF-8 sequence at s (1 to 4) that XML 1.0
 * allows, or 0 when the bytes are malformed or a disallowed character. */
static int utf8_ok(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;
		if (c == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
			return 0;	/* U+FFFE, U+FFFF */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

void xml_text(struct sbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = utf8_ok(p);

		if (n == 0) {
			sbuf_addc(out, '?');
			p++;
			continue;
		}
		switch (*p) {
		case '&': sbuf_add(out, "&amp;"); break;
		case '<': sbuf_add(out, "&lt;"); break;
		case '>': sbuf_add(out, "&gt;"); break;
		case '"': sbuf_add(out, "&quot;"); break;
		case '\'': sbuf_add(out, "&#39;"); break;
		default: sbuf_addn(out, (const char *)p, (size_t)n);
		}
		p += n;
	}
}

void md_text(struct sbuf *out, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\|<*`[]", *s))
			sbuf_addc(out, '\\');
		if (*s == '\n' || *s == '\r')
			sbuf_addc(out, ' ');
		else
			sbuf_addc(out, *s);
	}
}

void md_code(struct sbuf *out, const char *s, bool table)
{
	sbuf_addc(out, '`');
	for (; *s; s++) {
		if (*s == '`')
			sbuf_addc(out, '\'');
		else if (*s == '\n' || *s == '\r')
			sbuf_addc(out, ' ');
		else if (*s == '|' && table)
			sbuf_add(out, "\\|");
		else
			sbuf_addc(out, *s);
	}
	sbuf_addc(out, '`');
}

void csv_field(struct sbuf *out, const char *s)
{
	size_t n = strlen(s);

	if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
		sbuf_add(out, s);
		return;
	}
	sbuf_addc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			sbuf_addc(out, '"');
		sbuf_addc(out, *s);
	}
	sbuf_addc(out, '"');
}

void gh_text(struct sbuf *out, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			sbuf_add(out, "%25");
		else if (*s == '\r')
			sbuf_add(out, "%0D");
		else if (*s == '\n')
			sbuf_add(out, "%0A");
		else if (property && *s == ':')
			sbuf_add(out, "%3A");
		else if (property && *s == ',')
			sbuf_add(out, "%2C");
		else
			sbuf_addc(out, *s);
	}
}

void fmt_pad(struct sbuf *o, const char *s, int width, bool right)
{
	int n = 0;
	const char *p;

	for (p = s; *p; p++)
		n += ((unsigned char)*p & 0xc0) != 0x80;
	if (right)
		for (; n < width; n++)
			sbuf_addc(o, ' ');
	sbuf_add(o, s);
	if (!right)
		for (; n < width; n++)
			sbuf_addc(o, ' ');
}
