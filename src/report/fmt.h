/* fmt: number and text formatting shared by the report, check and diff
 * formatters: money rounded to cents, counts with thousands separators,
 * exact decimals for machines, and escaping for JSON, XML, Markdown, CSV
 * and GitHub workflow commands. Each appends to a struct sbuf. */
#ifndef COSTCAP_REPORT_FMT_H
#define COSTCAP_REPORT_FMT_H

#include <stdbool.h>

#include "../core/util.h"

/* Money in cents: the value rounded half away from zero to whole cents
 * (the rule text formats and checks share, DESIGN §8). */
long long money_cents(double usd);

/* "$1,234.56" (negative as "-$1.00"); rounded to cents. */
void fmt_money(struct sbuf *out, double usd);
/* Like fmt_money with an explicit sign: "+$1.00", "-$1.00", "$0.00". */
void fmt_money_signed(struct sbuf *out, double usd);
/* Integer with thousands separators; fractions below a million keep two
 * decimals ("118,484.25"). */
void fmt_count(struct sbuf *out, double v);
/* A unit price for people: "$0.0000133334" (10 significant digits, no
 * exponent). */
void fmt_price(struct sbuf *out, double usd);
/* A ratio as a percentage with 'dec' decimals: 0.00123 -> "0.123%". */
void fmt_pct(struct sbuf *out, double ratio, int dec);
/* Compact numbers for chart labels: 950, 1.2k, 3.4M, 0.25. */
void fmt_si(struct sbuf *out, double v);

/* The shortest decimal (no exponent) that reads back to the same double:
 * 1234.5 -> "1234.5", 2e-07 -> "0.0000002". */
void fmt_decimal(struct sbuf *out, double v);

/* 'v' rounded to 'sig' significant digits, as a plain decimal (no
 * exponent): for CSV, where float noise in the last digits only hurts. */
void fmt_sig(struct sbuf *out, double v, int sig);

/* JSON string literal with escapes. */
void json_string(struct sbuf *out, const char *s);
/* Shortest representation that reads back to the same double; null when
 * not finite. */
void json_number(struct sbuf *out, double v);

/* Text escaped for XML and XHTML content and attribute values: & < > " '
 * become references; control characters and malformed UTF-8 become '?',
 * so any input yields well-formed XML. */
void xml_text(struct sbuf *out, const char *s);
/* Text for a Markdown table cell: \ | < * ` [ ] escaped, newlines as spaces. */
void md_text(struct sbuf *out, const char *s);
/* 's' as a Markdown code span (`s`): backslash escapes do not work inside
 * code spans, so only what must change does: a backtick becomes ', a
 * newline a space, and in a table cell ('table') '|' becomes \| (GFM
 * splits cells before it reads code spans). */
void md_code(struct sbuf *out, const char *s, bool table);
/* One CSV field (RFC 4180): quoted when it holds a comma, quote or newline. */
void csv_field(struct sbuf *out, const char *s);
/* A GitHub workflow command message ('%', CR, LF escaped) or, with
 * 'property', a property value (also ':' and ','). */
void gh_text(struct sbuf *out, const char *s, bool property);

/* Appends s padded with spaces to 'width' columns, right-aligned when
 * 'right'. Columns are counted in UTF-8 characters. */
void fmt_pad(struct sbuf *out, const char *s, int width, bool right);

#endif
