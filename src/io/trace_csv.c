#include "trace_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif
#include <unistd.h>

#include "../core/util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Runs of plain rows read with AVX2 (block_rows), on the CPUs that have
 * it: chosen at run time. */
#define HAVE_BLOCK_ROWS 1
#include <immintrin.h>
#endif

#define NS_PER_S ((int64_t)1000000000)
#define READ_BLOCK (4u << 20)	/* bytes per read() from a pipe */

/* ---- reader ------------------------------------------------------------- */

/* Pipes and devices are read whole before parsing, so input that never
 * ends or is not text (/dev/zero, /dev/urandom, a runaway producer) is
 * refused while it is read: at a NUL byte, or at a line longer than
 * TRACE_CSV_MAX_LINE, instead of filling memory. */
static int read_stream(struct trace_csv_reader *r, int fd)
{
	size_t len = 0, cap = 0, line_start = 0;
	int line = 1;

	for (;;) {
		ssize_t n;
		const char *p, *end, *nl;

		xgrow(&r->buf, &cap, len + READ_BLOCK + 1, 1);
		n = read(fd, r->buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_add(r->e, r->name, 0, 0, "cannot read: %s", strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		p = r->buf + len;
		end = p + n;
		if ((nl = memchr(p, '\0', (size_t)n)) != NULL) {
			for (; (p = memchr(p, '\n', (size_t)(nl - p))) != NULL; p++)
				line++;
			err_add(r->e, r->name, line, 0, "NUL byte in the data (is this a binary file?)");
			return -1;
		}
		for (; (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; p = nl + 1) {
			line++;
			line_start = (size_t)(nl + 1 - r->buf);
		}
		len += (size_t)n;
		if (len - line_start > TRACE_CSV_MAX_LINE + 2) {
			err_add(r->e, r->name, line, 1, "line is longer than 1 MB: not a CSV file, or "
				"a file without line breaks");
			return -1;
		}
	}
	r->data = r->buf;
	r->end = r->buf + len;
	return 0;
}

int trace_csv_open(struct trace_csv_reader *r, const char *path, struct err *e)
{
	struct stat st;
	int fd, rc = 0;

	memset(r, 0, sizeof *r);
	r->e = e;
	r->owned_name = xstrdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
	r->name = r->owned_name;
	if (strcmp(path, "-") == 0) {
		if (read_stream(r, STDIN_FILENO) < 0)
			return -1;
	} else {
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			err_add(e, r->name, 0, 0, "cannot open: %s", strerror(errno));
			return -1;
		}
		if (fstat(fd, &st) < 0) {
			err_add(e, r->name, 0, 0, "cannot read: %s", strerror(errno));
			close(fd);
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			err_add(e, r->name, 0, 0, "is a directory, expected a CSV file");
			close(fd);
			return -1;
		}
		if (S_ISREG(st.st_mode) && st.st_size > 0) {
			r->maplen = (size_t)st.st_size;
			r->map = mmap(NULL, r->maplen, PROT_READ, MAP_PRIVATE, fd, 0);
			if (r->map == MAP_FAILED) {
				r->map = NULL;
				rc = read_stream(r, fd);	/* e.g. a file system without mmap */
			} else {
				posix_madvise(r->map, r->maplen, POSIX_MADV_SEQUENTIAL);
				r->data = r->map;
				r->end = r->data + r->maplen;
			}
		} else if (S_ISREG(st.st_mode)) {
			r->data = r->end = "";
		} else {
			rc = read_stream(r, fd);
		}
		close(fd);
		if (rc < 0)
			return -1;
	}
	if (r->end - r->data >= 3 && memcmp(r->data, "\xEF\xBB\xBF", 3) == 0)
		r->data += 3;	/* UTF-8 byte order mark */
	r->pos = r->data;
	if (r->data == r->end) {
		err_add(e, r->name, 1, 1, "empty file: expected a CSV header and rows");
		return -1;
	}
	return 0;
}

void trace_csv_close(struct trace_csv_reader *r)
{
	if (r->map)
		munmap(r->map, r->maplen);
	free(r->buf);
	free(r->owned_name);
	r->map = NULL;
	r->buf = NULL;
	r->owned_name = NULL;
}

static void reader_verr(struct trace_csv_reader *r, int line, int col, const char *fmt, va_list ap)
{
	struct sbuf b = {0};

	if (r->stopped)
		return;
	sbuf_vprintf(&b, fmt, ap);
	err_add(r->e, r->name, line, col, "%s", b.buf ? b.buf : "");
	sbuf_free(&b);
	if (++r->nerr >= TRACE_CSV_MAX_ERRORS) {
		err_add(r->e, r->name, 0, 0, "too many problems; stopped after the first %d",
			TRACE_CSV_MAX_ERRORS);
		r->stopped = true;
	}
}

static void reader_err(struct trace_csv_reader *r, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void reader_err(struct trace_csv_reader *r, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reader_verr(r, line, col, fmt, ap);
	va_end(ap);
}

void trace_csv_error(struct trace_csv_reader *r, const char *lb, const char *at,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reader_verr(r, r->line, (int)(at - lb) + 1, fmt, ap);
	va_end(ap);
}

bool trace_csv_next_line(struct trace_csv_reader *r, const char **b, const char **le)
{
	while (!r->stopped && r->pos < r->end) {
		const char *p = r->pos, *q, *e;
		const char *nl = memchr(p, '\n', (size_t)(r->end - p));

		e = nl ? nl : r->end;
		r->pos = nl ? nl + 1 : r->end;
		r->line++;
		if ((size_t)(e - p) > TRACE_CSV_MAX_LINE) {
			reader_err(r, r->line, 1, "line is longer than 1 MB (%zu bytes): not a CSV "
				   "file, or a file without line breaks", (size_t)(e - p));
			continue;
		}
		if (e > p && e[-1] == '\r')
			e--;
		for (q = p; q < e && (*q == ' ' || *q == '\t'); q++)
			;
		if (q == e || *q == '#')
			continue;
		*b = p;
		*le = e;
		return true;
	}
	return false;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

const char *trace_csv_field_q(const char *p, const char *le, const char **fb, const char **fe,
			      bool *more, bool *quoted)
{
	const char *c, *start;

	*quoted = false;
	while (p < le && is_blank(*p))
		p++;
	start = p;
	if (p < le && *p == '"') {
		/* The closing quote is the first one not doubled (RFC 4180:
		 * "" inside a quoted field is one quote). */
		const char *q = p + 1;

		while ((q = memchr(q, '"', (size_t)(le - q))) != NULL && q + 1 < le && q[1] == '"')
			q += 2;
		if (q) {
			const char *a = q + 1;

			while (a < le && is_blank(*a))
				a++;
			if (a == le || *a == ',') {
				*fb = p + 1;
				*fe = q;
				*more = a < le;
				*quoted = true;
				return a < le ? a + 1 : le;
			}
		}
		/* Unterminated or followed by text: keep it raw so that the
		 * caller's parser rejects it and quotes it. */
	}
	c = memchr(start, ',', (size_t)(le - start));
	*fb = start;
	*fe = c ? c : le;
	while (*fe > *fb && is_blank((*fe)[-1]))
		(*fe)--;
	*more = c != NULL;
	return c ? c + 1 : le;
}

const char *trace_csv_field(const char *p, const char *le, const char **fb, const char **fe,
			    bool *more)
{
	bool quoted;

	return trace_csv_field_q(p, le, fb, fe, more, &quoted);
}

char *trace_csv_strdup(const char *fb, const char *fe, bool quoted, size_t *len)
{
	char *d = xmalloc((size_t)(fe - fb) + 1), *q = d;

	while (fb < fe) {
		*q++ = *fb;
		fb += quoted && *fb == '"' && fb + 1 < fe && fb[1] == '"' ? 2 : 1;
	}
	*q = '\0';
	if (len)
		*len = (size_t)(q - d);
	return d;
}

/* Number of fields in a line (commas outside double quotes, plus one). */
static size_t count_fields(const char *p, const char *le)
{
	size_t n = 1;
	bool more = true;
	const char *fb, *fe;

	while (more) {
		p = trace_csv_field(p, le, &fb, &fe, &more);
		n += more;
	}
	return n;
}

/* ---- numbers ------------------------------------------------------------ */

static bool is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

enum trace_num trace_parse_count(const char *b, const char *e, uint64_t max, uint64_t *out)
{
	const char *p = b;
	uint64_t v = 0;
	bool ovf = false, frac = false, neg = false;
	size_t ndig = 0;

	*out = 0;
	if (b == e)
		return TRACE_NUM_EMPTY;
	if (memchr(b, '\0', (size_t)(e - b)))
		return TRACE_NUM_NUL;
	if (*p == '-') {
		neg = true;
		p++;
	}
	for (; p < e && is_digit(*p); p++, ndig++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			ovf = true;
		else
			v = v * 10 + d;
	}
	if (p < e && *p == '.') {
		for (p++; p < e && is_digit(*p); p++, ndig++)
			if (*p != '0')
				frac = true;
	}
	if (p != e || ndig == 0)
		return TRACE_NUM_INVALID;
	if (neg && (v > 0 || frac))
		return TRACE_NUM_NEGATIVE;
	if (frac)
		return TRACE_NUM_FRACTION;
	if (ovf || v > max)
		return TRACE_NUM_OVERFLOW;
	*out = v;
	return TRACE_NUM_OK;
}

/* Appends the text [b, e) for a message: at most 40 bytes, control bytes
 * shown as '?'. */
static void add_shown(struct sbuf *msg, const char *b, const char *e)
{
	size_t n = (size_t)(e - b), i;

	if (n > 40)
		n = 40;
	for (i = 0; i < n; i++)
		sbuf_addc(msg, (unsigned char)b[i] < 0x20 || b[i] == 0x7f ? '?' : b[i]);
	if ((size_t)(e - b) > n)
		sbuf_add(msg, "...");
}

void trace_num_message(struct sbuf *msg, enum trace_num k, const char *b, const char *e,
		       uint64_t max)
{
	switch (k) {
	case TRACE_NUM_OK:
		sbuf_add(msg, "valid count");
		return;
	case TRACE_NUM_EMPTY:
		sbuf_add(msg, "empty count (write 0 for no requests)");
		return;
	case TRACE_NUM_NUL:
		sbuf_add(msg, "NUL byte in the data (is this a binary file?)");
		return;
	case TRACE_NUM_NEGATIVE:
		sbuf_add(msg, "negative count '");
		add_shown(msg, b, e);
		sbuf_add(msg, "': counts are numbers of requests, 0 or more");
		return;
	case TRACE_NUM_FRACTION:
		sbuf_add(msg, "fractional count '");
		add_shown(msg, b, e);
		sbuf_add(msg, "': counts are whole numbers of requests");
		return;
	case TRACE_NUM_OVERFLOW:
		sbuf_add(msg, "count '");
		add_shown(msg, b, e);
		sbuf_printf(msg, "' is too large: at most %" PRIu64 " per bucket (counts are "
			    "32-bit unsigned integers)", max);
		return;
	case TRACE_NUM_INVALID:
		sbuf_add(msg, "not a count: '");
		add_shown(msg, b, e);
		sbuf_add(msg, "' (expected a whole number such as 42)");
		return;
	}
}

/* ---- times -------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

void trace_format_iso(int64_t epoch_s, char *buf)
{
	int64_t days = epoch_s >= 0 ? epoch_s / 86400 : -((-epoch_s + 86399) / 86400);
	int64_t sod = epoch_s - days * 86400;
	int y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(buf, 32, "%04d-%02u-%02uT%02u:%02u:%02uZ", y, m, d, (unsigned)(sod / 3600),
		 (unsigned)(sod / 60 % 60), (unsigned)(sod % 60));
}

/* Remembers the epoch second of the last "YYYY-MM-DDTHH" seen, so that
 * consecutive rows in one hour only parse minutes and seconds. */
struct time_cache {
	char key[13];
	uint64_t k0, k1;	/* key bytes 0..7 and 5..12, for quick comparison */
	int64_t hour_s;
	bool valid;
};

static int two(const char *p, unsigned *v)
{
	if (!is_digit(p[0]) || !is_digit(p[1]))
		return -1;
	*v = (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
	return 0;
}

static int parse_iso(const char *b, const char *e, struct time_cache *tc, int64_t *ns,
		     const char **why)
{
	const char *p = b;
	unsigned mo, d, h, mi = 0, s = 0, dim;
	int64_t y, secs, frac = 0;
	static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	*why = "expected ISO 8601 UTC: YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-11-01T00:00:00Z";
	if (tc && tc->valid && e - b >= 16 && memcmp(b, tc->key, 13) == 0 && b[13] == ':') {
		secs = tc->hour_s;
		p = b + 13;
		goto minutes;
	}
	if (e - b < 10 || b[4] != '-' || b[7] != '-')
		return -1;
	y = (b[0] - '0') * 1000 + (b[1] - '0') * 100 + (b[2] - '0') * 10 + (b[3] - '0');
	if (!is_digit(b[0]) || !is_digit(b[1]) || !is_digit(b[2]) || !is_digit(b[3]) ||
	    two(b + 5, &mo) < 0 || two(b + 8, &d) < 0)
		return -1;
	if (y < 1900 || y > 2150) {
		/* Times are nanoseconds in an int64 from 1970 (1677..2262), and
		 * differences between two times must fit too. */
		*why = "year out of range (1900..2150)";
		return -1;
	}
	if (mo < 1 || mo > 12) {
		*why = "month out of range (01..12)";
		return -1;
	}
	dim = mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (d < 1 || d > dim) {
		*why = "day out of range for its month";
		return -1;
	}
	secs = days_from_civil(y, mo, d) * 86400;
	p = b + 10;
	if (p == e) {
		*ns = secs * NS_PER_S;	/* a date alone: midnight UTC */
		return 0;
	}
	if ((*p != 'T' && *p != 't' && *p != ' ') || e - p < 3 || two(p + 1, &h) < 0)
		return -1;
	if (h > 23) {
		*why = "hour out of range (00..23)";
		return -1;
	}
	secs += h * 3600;
	if (tc) {
		memcpy(tc->key, b, 13);
		memcpy(&tc->k0, b, 8);
		memcpy(&tc->k1, b + 5, 8);
		tc->hour_s = secs;
		tc->valid = true;
	}
	p += 3;
minutes:
	if (e - p < 3 || *p != ':' || two(p + 1, &mi) < 0)
		return -1;
	if (mi > 59) {
		*why = "minute out of range (00..59)";
		return -1;
	}
	p += 3;
	if (e - p >= 3 && *p == ':') {
		if (two(p + 1, &s) < 0)
			return -1;
		if (s > 59) {
			*why = "second out of range (00..59; leap seconds are not supported)";
			return -1;
		}
		p += 3;
		if (p < e && (*p == '.' || *p == ',')) {
			int nd = 0;

			for (p++; p < e && is_digit(*p); p++, nd++)
				if (nd < 9)
					frac = frac * 10 + (*p - '0');
			if (nd == 0)
				return -1;
			for (; nd < 9; nd++)
				frac *= 10;
		}
	}
	secs += mi * 60 + s;
	if (p < e) {
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			unsigned oh, om = 0;

			if (e - p < 3 || two(p + 1, &oh) < 0)
				return -1;
			if (e - p >= 6 && p[3] == ':' && two(p + 4, &om) == 0)
				p += 6;
			else if (e - p >= 5 && two(p + 3, &om) == 0)
				p += 5;
			else
				p += 3;
			if (oh != 0 || om != 0) {
				*why = "time has a UTC offset other than +00:00: only UTC times are "
				       "accepted (write Z or +00:00); convert the times to UTC first";
				return -1;
			}
		}
		if (p != e)
			return -1;
	}
	/* No offset at all is read as UTC. */
	*ns = secs * NS_PER_S + frac;
	return 0;
}

static int parse_relative(const char *b, const char *e, uint32_t unit_s, int64_t *ns,
			  const char **why)
{
	const char *p = b;
	int64_t ip = 0, frac = 0;
	int nd = 0, nf = 0;

	if (p < e && *p == '-') {
		*why = "negative: times are ISO 8601 UTC or seconds from the start, 0 or more";
		return -1;
	}
	for (; p < e && is_digit(*p); p++, nd++)
		if (nd < 12)
			ip = ip * 10 + (*p - '0');
	if (p < e && *p == '.')
		for (p++; p < e && is_digit(*p); p++, nf++)
			if (nf < 9)
				frac = frac * 10 + (*p - '0');
	if (p != e || nd + nf == 0) {
		*why = "expected ISO 8601 UTC (2026-11-01T00:00:00Z) or seconds from the start "
		       "(a number)";
		return -1;
	}
	for (; nf < 9; nf++)
		frac *= 10;
	if (nd > 12 || ip > (INT64_MAX / NS_PER_S - 1) / unit_s) {
		*why = "time too large (seconds from the start must stay below about 290 years)";
		return -1;
	}
	/* Fractions of minutes or hours are scaled too (0.5 minutes = 30 s). */
	*ns = ip * unit_s * NS_PER_S + frac * unit_s;
	return 0;
}

static int parse_time_c(const char *b, const char *e, uint32_t unit_s, struct time_cache *tc,
			struct trace_time *out, const char **why)
{
	if (b == e) {
		*why = "empty time";
		return -1;
	}
	if (e - b >= 5 && is_digit(b[0]) && is_digit(b[1]) && is_digit(b[2]) && is_digit(b[3]) &&
	    b[4] == '-') {
		out->absolute = true;
		return parse_iso(b, e, tc, &out->ns, why);
	}
	out->absolute = false;
	return parse_relative(b, e, unit_s, &out->ns, why);
}

int trace_parse_time(const char *b, const char *e, uint32_t unit_s, struct trace_time *out,
		     const char **why)
{
	return parse_time_c(b, e, unit_s ? unit_s : 1, NULL, out, why);
}

/* ---- loading -------------------------------------------------------------- */

/* Asks for transparent huge pages on a large buffer about to be filled:
 * on Linux this turns tens of thousands of page faults into a few dozen
 * (the faults cost more than the parsing on some virtual machines). Only
 * a hint; compiled in when the system headers offer it. */
static void hint_huge(void *p, size_t bytes)
{
#if defined(MADV_HUGEPAGE)
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t e = ((uintptr_t)p + bytes) & ~(uintptr_t)4095;

	if (bytes >= ((size_t)8 << 20) && e > a)
		madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)bytes;
#endif
}

enum form { FORM_LONG, FORM_WIDE, FORM_EVENT };

struct ld {
	struct trace_csv_reader r;
	uint32_t step_override;
	uint32_t unit_s;	/* unit of relative times (from the time column's name) */
	int absolute;		/* -1 until the first time is read */
	int abs_line;		/* line of the first time, for the mixing message */
	struct time_cache tc;
	enum form form;
	const char *data_start;	/* first byte after the header line */
	const char *data_end;	/* r.end is the cut while a helper reads beyond */
	int header_line;

	/* Distinct times in file order. While the gaps are all equal the
	 * times are implicit (t0 + i * gap) and no array is kept; the first
	 * irregular gap materialises 'times' and 'tlines' (lines of implicit
	 * rows are 0 there and found again by rescanning, in error paths). */
	size_t nt;
	int64_t t0, gap, last;
	int line0, line1;
	bool uniform;
	int64_t *times;
	int *tlines;
	size_t tcap, tlcap;

	/* Streams (long form: found as rows come; wide: from the header). */
	char **names;
	size_t *namelen;
	size_t nstreams, scap, slcap;
	uint32_t *ht;		/* open addressing: stream index + 1, 0 = empty */
	size_t htcap;

	/* Counts per distinct time: cells[t * W + s]; W = nstreams for the
	 * wide form, a doubling capacity for the long form. */
	uint32_t *cells;
	size_t ccap, W;
	uint64_t *tot;		/* wide form: per stream, the sum of committed rows */

	/* Long form: per stream the last distinct time with a row. */
	uint32_t *last_t;
	int *last_line;
	size_t ltcap, llcap;

	struct helper *helper;	/* wide form: reading the second part, or NULL */
	struct trace_feed *feed;	/* wide form read while replayed (trace_stream), or NULL:
					 * the rows go to its ring, not to cells */
	const char *dropped;		/* with a feed: the mapped text before this is let go */
};

static void helper_join(struct ld *L);

static uint64_t hash_name(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void ht_rebuild(struct ld *L)
{
	size_t i;

	free(L->ht);
	L->htcap = 64;
	while (L->htcap < L->nstreams * 2 + 2)
		L->htcap *= 2;
	L->ht = xcalloc(L->htcap, sizeof *L->ht);
	for (i = 0; i < L->nstreams; i++) {
		size_t h = hash_name(L->names[i], L->namelen[i]) & (L->htcap - 1);

		while (L->ht[h])
			h = (h + 1) & (L->htcap - 1);
		L->ht[h] = (uint32_t)i + 1;
	}
}

/* Index of the stream named [b, b + n), or -1. */
static long stream_lookup(const struct ld *L, const char *b, size_t n)
{
	size_t h;

	if (!L->ht)
		return -1;
	h = hash_name(b, n) & (L->htcap - 1);
	while (L->ht[h]) {
		size_t i = L->ht[h] - 1;

		if (L->namelen[i] == n && memcmp(L->names[i], b, n) == 0)
			return (long)i;
		h = (h + 1) & (L->htcap - 1);
	}
	return -1;
}

/* Widens the long form's grid so that it holds 'need' streams per time. */
static void grid_widen(struct ld *L, size_t need)
{
	size_t w = L->W ? L->W : 8, i;

	while (w < need)
		w *= 2;
	if (w == L->W)
		return;
	if (L->nt > 0) {
		if (L->nt > SIZE_MAX / sizeof *L->cells / w)
			util_fatal("trace too large");
		xgrow(&L->cells, &L->ccap, L->nt * w, sizeof *L->cells);
		for (i = L->nt; i-- > 0;) {
			memmove(L->cells + i * w, L->cells + i * L->W, L->W * sizeof *L->cells);
			memset(L->cells + i * w + L->W, 0, (w - L->W) * sizeof *L->cells);
		}
	}
	L->W = w;
}

static size_t stream_add(struct ld *L, const char *b, size_t n)
{
	size_t i = L->nstreams;

	xgrow(&L->names, &L->scap, i + 1, sizeof *L->names);
	xgrow(&L->namelen, &L->slcap, i + 1, sizeof *L->namelen);
	L->names[i] = xstrndup(b, n);
	L->namelen[i] = n;
	L->nstreams++;
	if (L->nstreams * 2 + 2 > L->htcap) {
		ht_rebuild(L);
	} else {
		size_t h = hash_name(b, n) & (L->htcap - 1);

		while (L->ht[h])
			h = (h + 1) & (L->htcap - 1);
		L->ht[h] = (uint32_t)i + 1;
	}
	if (L->form == FORM_LONG) {
		xgrow(&L->last_t, &L->ltcap, i + 1, sizeof *L->last_t);
		xgrow(&L->last_line, &L->llcap, i + 1, sizeof *L->last_line);
		L->last_t[i] = UINT32_MAX;
		L->last_line[i] = 0;
		if (L->nstreams > L->W)
			grid_widen(L, L->nstreams);
	}
	return i;
}

static void ld_free(struct ld *L)
{
	size_t i;

	for (i = 0; i < L->nstreams; i++)
		free(L->names[i]);
	free(L->names);
	free(L->namelen);
	free(L->ht);
	free(L->times);
	free(L->tlines);
	free(L->cells);
	free(L->tot);
	free(L->last_t);
	free(L->last_line);
	trace_csv_close(&L->r);
}

static int64_t time_at(const struct ld *L, size_t i)
{
	return L->uniform ? L->t0 + (int64_t)i * L->gap : L->times[i];
}

/* Line of the first row of distinct time i: known for the first two and
 * for times after the gaps became irregular; otherwise found by reading
 * the rows again (only on error paths). */
static int line_at(const struct ld *L, size_t i)
{
	struct trace_csv_reader r;
	struct err quiet = {0};
	struct time_cache tc = {0};
	const char *lb, *le, *fb, *fe, *why;
	bool more, have = false;
	struct trace_time t;
	int64_t prev = 0;
	size_t k = 0;

	if (i == 0)
		return L->line0;
	if (i == 1)
		return L->line1;
	if (!L->uniform && L->tlines[i])
		return L->tlines[i];
	r = L->r;
	r.pos = L->data_start;
	r.end = L->data_end;	/* the answer may lie past the cut (see wide_rows) */
	r.line = L->header_line;
	r.stopped = false;
	r.nerr = 0;
	r.e = &quiet;	/* problems were reported in the first pass */
	while (trace_csv_next_line(&r, &lb, &le)) {
		trace_csv_field(lb, le, &fb, &fe, &more);
		if (parse_time_c(fb, fe, L->unit_s, &tc, &t, &why) < 0 || (have && t.ns == prev))
			continue;
		if (have && t.ns < prev)
			continue;
		if (k++ == i) {
			err_clear(&quiet);
			return r.line;
		}
		prev = t.ns;
		have = true;
	}
	err_clear(&quiet);
	return 0;
}

/* Reports a problem with the field [fb, fe): at its NUL byte if it holds
 * one, else at its start. */
static void field_err(struct ld *L, const char *lb, const char *fb, const char *fe,
		      const char *msg)
{
	const char *z = memchr(fb, '\0', (size_t)(fe - fb));

	if (z)
		trace_csv_error(&L->r, lb, z, "NUL byte in the data (is this a binary file?)");
	else
		trace_csv_error(&L->r, lb, fb, "%s", msg);
}

static void count_err(struct ld *L, const char *lb, const char *fb, const char *fe,
		      enum trace_num k)
{
	struct sbuf m = {0};

	trace_num_message(&m, k, fb, fe, UINT32_MAX);
	field_err(L, lb, fb, fe, m.buf);
	sbuf_free(&m);
}

/* Formats a time for messages into buf (>= 48 bytes). */
static void fmt_time(const struct ld *L, int64_t ns, char *buf)
{
	if (L->absolute == 1) {
		int64_t s = ns >= 0 ? ns / NS_PER_S : -((-ns + NS_PER_S - 1) / NS_PER_S);
		int64_t f = ns - s * NS_PER_S;

		trace_format_iso(s, buf);
		if (f) {
			char tmp[16];
			size_t n;

			snprintf(tmp, sizeof tmp, ".%09" PRId64, f);
			for (n = strlen(tmp); tmp[n - 1] == '0'; n--)
				tmp[n - 1] = '\0';
			n = strlen(buf);
			buf[n - 1] = '\0';	/* drop the Z, add the fraction */
			strcat(buf, tmp);
			strcat(buf, "Z");
		}
	} else if (L->unit_s == 1) {
		snprintf(buf, 48, "%.9g", (double)ns / 1e9);
	} else {
		snprintf(buf, 48, "%.9g (%.9g s)", (double)ns / 1e9 / L->unit_s, (double)ns / 1e9);
	}
}

/* Parses the time field starting at 'p'; on success stores it in *t and
 * returns the start of the next field (*more: a comma followed). On
 * failure reports it and returns NULL. */
static const char *row_time(struct ld *L, const char *lb, const char *p, const char *le,
			    struct trace_time *t, bool *more)
{
	const char *fb, *fe, *next, *why;

	next = trace_csv_field(p, le, &fb, &fe, more);
	if (parse_time_c(fb, fe, L->unit_s, &L->tc, t, &why) < 0) {
		struct sbuf m = {0};

		sbuf_add(&m, "bad time '");
		add_shown(&m, fb, fe);
		sbuf_printf(&m, "': %s", why);
		field_err(L, lb, fb, fe, m.buf);
		sbuf_free(&m);
		return NULL;
	}
	if (L->absolute < 0) {
		L->absolute = t->absolute;
		L->abs_line = L->r.line;
	} else if (L->absolute != (int)t->absolute) {
		trace_csv_error(&L->r, lb, fb, "%s, but line %d has %s: a file uses one kind of "
				"time", t->absolute ? "an ISO 8601 time" : "a time in seconds",
				L->abs_line, L->absolute ? "an ISO 8601 time" : "a time in seconds");
		return NULL;
	}
	return next;
}

/* Checks a row's time against the previous distinct time. Returns 1 when
 * it starts a new distinct time, 0 when equal to the previous one, -1
 * (reported) when it goes backwards. */
static int time_order(struct ld *L, const char *lb, int64_t t)
{
	char a[48], b[48];

	if (L->nt == 0 || t > L->last)
		return 1;
	if (t == L->last)
		return 0;
	fmt_time(L, t, a);
	fmt_time(L, L->last, b);
	trace_csv_error(&L->r, lb, lb, "time goes backwards: %s comes after %s (line %d); rows "
			"must be in time order", a, b, line_at(L, L->nt - 1));
	return -1;
}

/* Records a new distinct time (and, for the grid forms, a zeroed row). */
static void push_time(struct ld *L, int64_t t)
{
	size_t i = L->nt;

	if (i == 0) {
		L->t0 = t;
		L->line0 = L->r.line;
		L->uniform = true;
	} else if (i == 1) {
		L->gap = t - L->t0;
		L->line1 = L->r.line;
	} else if (L->uniform && t - L->last != L->gap) {
		size_t k;

		L->times = xmalloc((i + 1024) * sizeof *L->times);
		L->tlines = xcalloc(i + 1024, sizeof *L->tlines);
		L->tcap = L->tlcap = i + 1024;
		for (k = 0; k < i; k++)
			L->times[k] = L->t0 + (int64_t)k * L->gap;
		L->tlines[0] = L->line0;
		L->tlines[1] = L->line1;
		L->uniform = false;
	}
	if (!L->uniform) {
		xgrow(&L->times, &L->tcap, i + 1, sizeof *L->times);
		xgrow(&L->tlines, &L->tlcap, i + 1, sizeof *L->tlines);
		L->times[i] = t;
		L->tlines[i] = L->r.line;
	}
	L->last = t;
	L->nt++;
}

static void wrong_fields(struct ld *L, const char *lb, const char *le, size_t want)
{
	size_t have = count_fields(lb, le);

	if (L->form == FORM_WIDE)
		trace_csv_error(&L->r, lb, lb, "wrong number of fields: expected %zu (a time and "
				"%zu stream%s, as in the header), found %zu", want, want - 1,
				want == 2 ? "" : "s", have);
	else
		trace_csv_error(&L->r, lb, lb, "wrong number of fields: expected %zu (time,stream,"
				"count), found %zu", want, have);
}

/* The careful path for one count of a wide row: the field at 'p' is
 * split, parsed and reported when bad (*bad set). Returns where the next
 * field starts, or NULL after reporting a wrong number of fields. */
static const char *wide_slow(struct ld *L, const char *lb, const char *le, const char *p,
			     bool last, uint32_t *cell, bool *bad)
{
	const char *fb, *fe;
	enum trace_num c;
	uint64_t v;
	bool more;

	p = trace_csv_field(p, le, &fb, &fe, &more);
	c = trace_parse_count(fb, fe, UINT32_MAX, &v);
	if (c != TRACE_NUM_OK) {
		count_err(L, lb, fb, fe, c);
		*bad = true;
	}
	*cell = (uint32_t)v;
	if (last ? more : !more) {
		wrong_fields(L, lb, le, L->nstreams + 1);
		return NULL;
	}
	return p;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HAVE_SWAR 1
/* Number of leading ASCII digits among the 8 bytes in w (8 when all are). */
static inline unsigned swar_ndigits(uint64_t w)
{
	uint64_t nd = ((w & 0xF0F0F0F0F0F0F0F0ULL) ^ 0x3030303030303030ULL) |
		      (((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) ^
		       0x3030303030303030ULL);

	return nd ? (unsigned)__builtin_ctzll(nd) >> 3 : 8;
}

/* Value of the first n (1..7) digits in w, without branches: the digit
 * bytes are moved to the top (the bytes below act as leading zeros), then
 * pairs, quads and octets are combined. */
static inline uint32_t swar_value(uint64_t w, unsigned n)
{
	uint64_t x = (w - 0x3030303030303030ULL) << (8 * (8 - n));

	x = ((x & 0x0F0F0F0F0F0F0F0FULL) * 2561) >> 8;
	x = ((x & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;
	x = ((x & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32;
	return (uint32_t)x;
}
#endif

/* One data row of the wide form. */
static void wide_row(struct ld *L, const char *lb, const char *le)
{
	size_t n = L->nstreams, s;
	struct trace_time t;
	uint32_t *row;
	const char *p;
	bool more, bad = false;
	int ord;

	p = row_time(L, lb, lb, le, &t, &more);
	if (!p)
		return;
	if (!more) {
		wrong_fields(L, lb, le, n + 1);
		return;
	}
	ord = time_order(L, lb, t.ns);
	if (ord < 0)
		return;
	if (ord == 0) {
		trace_csv_error(&L->r, lb, lb, "time appears twice (first at line %d): one row per "
				"time in the wide form", line_at(L, L->nt - 1));
		return;
	}
	if (L->feed) {
		size_t room;

		if (!(row = trace_feed_room(L->feed, L->nt, &room))) {
			L->r.stopped = true;	/* the replay is over: nothing more wanted */
			return;
		}
	} else {
		if ((L->nt + 1) * n > L->ccap) {
			helper_join(L);	/* the helper writes into the cells */
			xgrow(&L->cells, &L->ccap, (L->nt + 1) * n, sizeof *L->cells);
		}
		row = L->cells + L->nt * n;
	}
	for (s = 0; s < n; s++) {
		bool last = s + 1 == n;
#ifdef HAVE_SWAR
		/* Fast path: 1..7 plain digits followed by the comma or the end. */
		if (L->r.end - p >= 8) {
			uint64_t w;
			unsigned k;

			memcpy(&w, p, 8);
			k = swar_ndigits(w);
			if (k - 1 < 7) {
				const char *q = p + k;

				if (!last && q < le && *q == ',') {
					row[s] = swar_value(w, k);
					p = q + 1;
					continue;
				}
				if (last && q == le) {
					row[s] = swar_value(w, k);
					p = q;
					continue;
				}
			}
		}
#endif
		p = wide_slow(L, lb, le, p, last, &row[s], &bad);
		if (!p)
			return;
	}
	if (!bad) {
		for (s = 0; s < n; s++)
			L->tot[s] += row[s];
		push_time(L, t.ns);
		if (L->feed)
			trace_feed_publish(L->feed, L->nt);
	}
}

#ifdef HAVE_SWAR
/* The quick path for the time field of a plain row: "YYYY-MM-DDTHH:MM:SSZ"
 * in the hour of the last time parsed, or 1..7 digits of relative time,
 * followed by a comma. Returns the next field, or NULL when the careful
 * path must handle the row. Needs 24 readable bytes at p. */
static inline const char *fast_time(const struct ld *L, const char *p, int64_t *t)
{
	uint64_t w;
	unsigned k;

	if (L->absolute == 1) {
		uint64_t a, b;
		unsigned mm, ss;

		if (!L->tc.valid)
			return NULL;
		memcpy(&a, p, 8);
		memcpy(&b, p + 5, 8);
		if (a != L->tc.k0 || b != L->tc.k1 || p[13] != ':' || p[16] != ':' || p[19] != 'Z' ||
		    p[20] != ',' || two(p + 14, &mm) < 0 || two(p + 17, &ss) < 0 || mm > 59 ||
		    ss > 59)
			return NULL;
		*t = (L->tc.hour_s + mm * 60 + ss) * NS_PER_S;
		return p + 21;
	}
	if (L->absolute != 0)
		return NULL;
	memcpy(&w, p, 8);
	k = swar_ndigits(w);
	if (k - 1 >= 7 || p[k] != ',')
		return NULL;
	/* Relative times in large units (days) could overflow the
	 * nanosecond clock: leave those to the careful path, which reports
	 * them. */
	if ((uint64_t)swar_value(w, k) > (uint64_t)(INT64_MAX / NS_PER_S) / (uint64_t)L->unit_s)
		return NULL;
	*t = (int64_t)swar_value(w, k) * L->unit_s * NS_PER_S;
	return p + k + 1;
}

/* The end of a row at q: LF or CR LF. Returns the next line's start or
 * NULL. */
static inline const char *fast_eol(const struct ld *L, const char *q)
{
	if (*q == '\n')
		return q + 1;
	if (*q == '\r' && q + 1 < L->r.end && q[1] == '\n')
		return q + 2;
	return NULL;
}

/* Tries the line at p as a plain long row whose stream is the one after
 * the last (the usual order); see wide_fast. */
static const char *long_fast(struct ld *L, const char *p, long *last_s)
{
	const char *end = L->r.end;
	const char *start = p;
	size_t g, len;
	uint64_t w;
	unsigned k;
	int64_t t;
	uint32_t v;

	if (end - p < 24 || L->nt == 0 || L->nstreams == 0 || !(p = fast_time(L, p, &t)) ||
	    t < L->last)
		return NULL;
	g = (size_t)(*last_s + 1) % L->nstreams;
	len = L->namelen[g];
	/* Names with a quote or blanks at their ends come from quoted
	 * fields: the careful path reads those. */
	if ((size_t)(end - p) < len + 9 || *p == '"' || is_blank(*p) || is_blank(p[len - 1]) ||
	    memchr(L->names[g], '"', len) || memcmp(p, L->names[g], len) != 0 || p[len] != ',')
		return NULL;
	p += len + 1;
	memcpy(&w, p, 8);
	k = swar_ndigits(w);
	if (k - 1 >= 7)
		return NULL;
	v = swar_value(w, k);
	if (!(p = fast_eol(L, p + k)) || (size_t)(p - start) > TRACE_CSV_MAX_LINE)
		return NULL;
	if (t == L->last && L->last_t[g] == L->nt - 1)
		return NULL;	/* a duplicate: reported by the careful path */
	L->r.line++;
	if (t != L->last) {
		if ((L->nt + 1) * L->W > L->ccap)
			xgrow(&L->cells, &L->ccap, (L->nt + 1) * L->W, sizeof *L->cells);
		memset(L->cells + L->nt * L->W, 0, L->W * sizeof *L->cells);
		push_time(L, t);
	}
	L->last_t[g] = (uint32_t)(L->nt - 1);
	L->last_line[g] = L->r.line;
	L->cells[(L->nt - 1) * L->W + g] = v;
	*last_s = (long)g;
	return p;
}
#endif

/* ---- the wide form's quick path --------------------------------------------
 *
 * Plain rows (a time, then counts of 1..8 digits, no blanks, quotes or
 * anything else) are read by fast_rows, which takes nothing from the
 * loader but a copy of its settings, so that a second thread can run it
 * on the second part of a large file (see struct helper). Whatever it
 * does not take, it leaves untouched for the careful path (wide_row),
 * which reads it and reports problems in file order. */

/* The settings fast_row reads, and its own state. */
struct fast {
	const char *end;	/* end of the data: fast_row reads no further */
	size_t n;		/* streams: counts per row */
	uint32_t unit_s;	/* unit of relative times */
	uint64_t rel_max;	/* largest relative time parse_relative takes, in units */
	int absolute;		/* kind of time rows must have: 1 ISO, 0 relative */
	struct time_cache *tc;	/* the calling thread's own */

	/* Bit i of each mask tells about byte base[i] (SSE2 path). */
	const char *base;	/* 64 bytes described, or NULL */
	uint64_t sep;		/* ',' or '\n' */
	uint64_t lf;		/* '\n' */
	uint64_t bad;		/* neither a digit nor a separator */
	uint32_t *lanes;	/* a row's counts' digits (SSE2 path), n + 68 */
	uint32_t *tot32;	/* running sums of up to 32 rows (n + 8: block_rows adds 8 at once) */
	bool wide;		/* block_rows may run (AVX2, BMI1, POPCNT) */
	unsigned skip;		/* rows left to fast_row before block_rows is tried again */
};

/* Sets up F for rows of n counts ending at 'end', relative times in
 * units of unit_s, with the time cache tc. */
static void fast_init(struct fast *F, const char *end, size_t n, uint32_t unit_s,
		      struct time_cache *tc)
{
	memset(F, 0, sizeof *F);
	F->end = end;
	F->n = n;
	F->unit_s = unit_s;
	F->rel_max = (uint64_t)((INT64_MAX / NS_PER_S - 1) / unit_s);
	F->tc = tc;
	F->lanes = xcalloc(n + 68, sizeof *F->lanes);
	F->tot32 = xcalloc(n + 8, sizeof *F->tot32);
#ifdef HAVE_BLOCK_ROWS
	/* libgcc / compiler-rt fill in what this reads before main. */
	F->wide = trace_csv_block_rows && n > 0 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
		  __builtin_cpu_supports("popcnt");
#endif
}

static void fast_free(struct fast *F)
{
	free(F->lanes);
	free(F->tot32);
}

#ifdef HAVE_SWAR
#define HAVE_FAST_ROWS 1

/* The time field [p, q) of a row that the quick checks below did not
 * take (another hour, fractions, long numbers). When it neither starts
 * with a blank or a quote nor ends with a blank, the careful path's
 * field is this very text (trace_csv_field), so parse_time_c's verdict
 * is the careful path's; anything else is left to that path. */
static bool fast_time_any(const struct fast *F, const char *p, const char *q, int64_t *t)
{
	struct trace_time tt;
	const char *why;

	if (q == p || is_blank(*p) || *p == '"' || is_blank(q[-1]))
		return false;
	if (parse_time_c(p, q, F->unit_s, F->tc, &tt, &why) < 0 || (int)tt.absolute != F->absolute)
		return false;
	*t = tt.ns;
	return true;
}

/* Whether the row at p starts with what parse_time_c reads as an ISO
 * time (four digits and a dash). */
static bool looks_iso(const char *p, const char *end)
{
	return end - p >= 5 && is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) &&
	       is_digit(p[3]) && p[4] == '-';
}

/* The ISO time "YYYY-MM-DDTHH:MM:SSZ" at p, 20 bytes, in the hour of the
 * time cache. */
static inline bool fast_iso_hour(const struct time_cache *tc, const char *p, int64_t *t)
{
	uint64_t a, b;
	unsigned mm, ss;

	if (!tc->valid)
		return false;
	memcpy(&a, p, 8);
	memcpy(&b, p + 5, 8);
	if (a != tc->k0 || b != tc->k1 || p[13] != ':' || p[16] != ':' || p[19] != 'Z' ||
	    two(p + 14, &mm) < 0 || two(p + 17, &ss) < 0 || mm > 59 || ss > 59)
		return false;
	*t = (tc->hour_s + mm * 60 + ss) * NS_PER_S;
	return true;
}

/* Value of the k (1..8) digits at p, 8 bytes readable (D. Lemire's
 * eight-digit multiply-add; the digits are moved to the top first, the
 * bytes below acting as leading zeros). */
static inline uint32_t digits8(const char *p, size_t k)
{
	uint64_t v;

	memcpy(&v, p, 8);
	v = (v & 0x0F0F0F0F0F0F0F0FULL) << (64 - 8 * k);
	v = v * 10 + (v >> 8);
	v = ((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
	     ((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >> 32;
	return (uint32_t)v;
}

/* A relative time of k (1..8) digits at p, with the bound parse_relative
 * applies (larger values are left to it, and to its message). */
static inline bool fast_rel(const struct fast *F, const char *p, size_t k, int64_t *t)
{
	uint64_t v = digits8(p, k);

	if (v > F->rel_max)
		return false;
	*t = (int64_t)v * F->unit_s * NS_PER_S;
	return true;
}

/* Whether the time t may follow prev: prev + gap, or after prev (gap 0). */
static inline bool time_follows(int64_t t, int64_t prev, int64_t gap)
{
	return gap ? t - prev == gap : t > prev;
}

/* Reads the line at p as a plain wide row whose time follows prev
 * (time_follows) into row[0..n) and *t, and adds its counts to F's
 * running sums. The counts (1..8 digits) are found 8 bytes at a time,
 * one after the other. Returns the next line's start, or NULL, having
 * added nothing, when the careful path must read the line. */
static const char *fast_row8(struct fast *F, const char *p, uint32_t *row, int64_t *t,
			     int64_t prev, int64_t gap)
{
	const char *start = p, *end = F->end, *q;
	size_t n = F->n, s;
	uint64_t w;
	unsigned k;

	if (end - p < 24)
		return NULL;
	memcpy(&w, p, 8);
	k = swar_ndigits(w);
	if (F->absolute == 0 && k - 1 < 8 && p[k] == ',') {
		if (!fast_rel(F, p, k, t))
			return NULL;
		p += k + 1;
	} else if (F->absolute == 1 && p[20] == ',' && fast_iso_hour(F->tc, p, t)) {
		p += 21;
	} else {
		const char *lim = end - p > 64 ? p + 64 : end;

		if (!(q = memchr(p, ',', (size_t)(lim - p))) || memchr(p, '\n', (size_t)(q - p)) ||
		    !fast_time_any(F, p, q, t))
			return NULL;
		p = q + 1;
	}
	if (!time_follows(*t, prev, gap))
		return NULL;
	for (s = 0; s < n; s++) {
		if (end - p < 9)
			return NULL;
		memcpy(&w, p, 8);
		k = swar_ndigits(w);
		if (k - 1 >= 8)
			return NULL;
		row[s] = digits8(p, k);
		p += k;
		if (s + 1 < n) {
			if (*p++ != ',')
				return NULL;
		} else if (*p == '\n') {
			p++;
		} else if (*p == '\r' && end - p >= 2 && p[1] == '\n') {
			p += 2;
		} else {
			return NULL;
		}
	}
	if ((size_t)(p - start) > TRACE_CSV_MAX_LINE)
		return NULL;
	for (s = 0; s < n; s++)
		F->tot32[s] += row[s];
	return p;
}

#if defined(__SSE2__)
/* Describes the 64 bytes at p in F's masks. */
static inline void scan16(const char *p, unsigned at, uint64_t *sep, uint64_t *lf, uint64_t *good)
{
	const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n');
	const __m128i shift = _mm_set1_epi8((char)(0x80 - '0'));
	const __m128i lim = _mm_set1_epi8((char)(0x80 + 10));
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i l = _mm_cmpeq_epi8(v, nl);
	__m128i s = _mm_or_si128(_mm_cmpeq_epi8(v, comma), l);
	/* '0'..'9' become -128..-119: below -118 as signed bytes. */
	__m128i g = _mm_or_si128(_mm_cmplt_epi8(_mm_add_epi8(v, shift), lim), s);

	*sep |= (uint64_t)(unsigned)_mm_movemask_epi8(s) << at;
	*lf |= (uint64_t)(unsigned)_mm_movemask_epi8(l) << at;
	*good |= (uint64_t)(unsigned)_mm_movemask_epi8(g) << at;
}

static inline void scan64(struct fast *F, const char *p)
{
	uint64_t sep = 0, lf = 0, good = 0;

	scan16(p, 0, &sep, &lf, &good);
	scan16(p + 16, 16, &sep, &lf, &good);
	scan16(p + 32, 32, &sep, &lf, &good);
	scan16(p + 48, 48, &sep, &lf, &good);
	F->base = p;
	F->sep = sep;
	F->lf = lf;
	F->bad = ~good;
}

/* Bits 0..i (i < 64). */
static inline uint64_t upto(unsigned i)
{
	return (2ull << i) - 1;	/* i = 63: 0 - 1, every bit */
}

/* Reads the line at p as a plain wide row whose counts have 1..4 digits,
 * as fast_row8 does; returns the next line's start, or NULL when
 * fast_row8 (*longer set: a count has more digits) or the careful path
 * must read the line.
 *
 * The separators and digits of 64 bytes are found at once with SSE2 (and
 * kept for the rows that follow in those bytes). Each count's 4 bytes
 * ending at its separator are then masked to its digits, the most
 * significant first, and four counts at a time are converted together:
 * nothing waits for the previous count's digits to be counted. Needs 72
 * readable bytes at every block; the last rows of the data are left to
 * fast_row8 and the careful path. */
static inline const char *fast_row4(struct fast *F, const char *p, uint32_t *row, int64_t *t,
				    int64_t prev, int64_t gap, bool *longer)
{
	/* The digits of a count of len bytes among the 4 ending at its
	 * separator, as digit values; 0 and 5..7 are refused below. */
	static const uint32_t keep4[8] = {
		0, 0x0F000000, 0x0F0F0000, 0x0F0F0F00, 0x0F0F0F0F, 0, 0, 0
	};
	const __m128i lo8 = _mm_set1_epi16(0x00FF), ten = _mm_set1_epi16(10);
	const __m128i hundred = _mm_set1_epi32(0x00010064);	/* 100, 1 per 16-bit pair */
	const char *base = F->base, *fs, *next;
	uint32_t *lanes = F->lanes;
	uint64_t sep, bad, lf, from;
	size_t n = F->n, s = 0, acc = 0;
	unsigned k, off;

	if (!base || p < base || p - base >= 64) {
		if (F->end - p < 72)
			return NULL;
		scan64(F, p);
		base = p;
	}
	off = (unsigned)(p - base);
	from = ~0ull << off;
	if (!(sep = F->sep & from)) {
		/* The time goes on past these 64 bytes. */
		if (off == 0 || F->end - p < 72)
			return NULL;
		scan64(F, p);
		base = p;
		off = 0;
		from = ~0ull;
		if (!(sep = F->sep))
			return NULL;
	}
	k = (unsigned)__builtin_ctzll(sep);
	if (k == off || base[k] != ',')
		return NULL;
	if (F->absolute == 0 && k - off <= 8 && !(F->bad & from & ~(~0ull << k))) {
		if (!fast_rel(F, p, k - off, t))
			return NULL;
	} else if (!(F->absolute == 1 && k - off == 20 && fast_iso_hour(F->tc, p, t)) &&
		   !fast_time_any(F, p, base + k, t)) {
		return NULL;
	}
	if (!time_follows(*t, prev, gap))
		return NULL;
	fs = base + k + 1;
	sep &= ~upto(k);
	bad = F->bad & ~upto(k);
	lf = F->lf & ~upto(k);
	for (;;) {
		uint64_t keep = lf ? upto((unsigned)__builtin_ctzll(lf)) : ~0ull;

		sep &= keep;
		if ((bad &= keep) != 0) {
			/* CR LF: the CR ends the last count. */
			unsigned i = lf ? (unsigned)__builtin_ctzll(lf) : 0;

			if (i == 0 || bad != 1ull << (i - 1) || base[i - 1] != '\r')
				return NULL;
			sep = (sep & ~(1ull << i)) | bad;
		}
		/* The number of counts is checked once per block: lanes
		 * has room for n + 64 (and the last four read below). The 4
		 * bytes before a separator are readable: the row's time and
		 * a comma come first, and a line break or the header before
		 * the row. */
		for (; sep; sep &= sep - 1) {
			const char *e = base + (unsigned)__builtin_ctzll(sep);
			size_t len = (size_t)(e - fs);
			uint32_t w;

			memcpy(&w, e - 4, 4);
			acc |= len - 1;
			lanes[s++] = w & keep4[len & 7];
			fs = e + 1;
		}
		if (s > n)
			return NULL;
		if (lf)
			break;
		base += 64;
		if (F->end - base < 72 || (size_t)(base - p) > TRACE_CSV_MAX_LINE)
			return NULL;
		scan64(F, base);
		sep = F->sep;
		bad = F->bad;
		lf = F->lf;
	}
	next = base + __builtin_ctzll(lf) + 1;
	if (s != n || (size_t)(next - p) > TRACE_CSV_MAX_LINE)
		return NULL;
	if (acc >= 4) {
		/* An empty count (len - 1 wrapped) or a long one. */
		*longer = acc < 8;
		return NULL;
	}
	for (s = 0; s < n; s += 4) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(lanes + s));

		/* 16-bit lanes: first digit * 10 + second; then pairs of them
		 * * 100 + the next pair. */
		x = _mm_add_epi16(_mm_mullo_epi16(_mm_and_si128(x, lo8), ten),
				  _mm_srli_epi16(x, 8));
		x = _mm_madd_epi16(x, hundred);
		if (s + 4 <= n) {
			__m128i *sum = (__m128i *)(void *)(F->tot32 + s);

			_mm_storeu_si128((__m128i *)(void *)(row + s), x);
			_mm_storeu_si128(sum, _mm_add_epi32(_mm_loadu_si128(sum), x));
		} else {
			uint32_t tmp[4];
			size_t i;

			_mm_storeu_si128((__m128i *)(void *)tmp, x);
			for (i = 0; s + i < n; i++) {
				row[s + i] = tmp[i];
				F->tot32[s + i] += tmp[i];
			}
		}
	}
	return next;
}

/* Reads the line at p as a plain wide row whose time follows prev
 * (time_follows) into row[0..n) and *t, and adds its counts to F's
 * running sums; returns the next line's start, or NULL, having added
 * nothing, when the careful path must read it. */
static inline const char *fast_row(struct fast *F, const char *p, uint32_t *row, int64_t *t,
				   int64_t prev, int64_t gap)
{
	bool longer = false;
	const char *q = fast_row4(F, p, row, t, prev, gap, &longer);

	return q || !longer ? q : fast_row8(F, p, row, t, prev, gap);
}
#else
static inline const char *fast_row(struct fast *F, const char *p, uint32_t *row, int64_t *t,
				   int64_t prev, int64_t gap)
{
	return fast_row8(F, p, row, t, prev, gap);
}
#endif

/* Adds the 32-bit running sums (at most 99,999,999 per row: 32 rows
 * fit) to tot and clears them. */
static void flush_sums(struct fast *F, uint64_t *tot)
{
	size_t s;

	for (s = 0; s < F->n; s++) {
		tot[s] += F->tot32[s];
		F->tot32[s] = 0;
	}
}

#ifdef HAVE_BLOCK_ROWS
/* Text indexed at once by block_rows: about 60 rows of 8 counts. */
#define BLOCK_TEXT 2048

/* Appends base + the position of each bit set in m to out (in order);
 * writes up to 3 entries past them. Returns how many bits were set. */
__attribute__((target("avx2,bmi,popcnt")))
static inline size_t flatten(uint32_t *out, uint32_t base, uint64_t m)
{
	size_t c = (size_t)__builtin_popcountll(m), i;

	for (i = 0; i < c; i += 4) {
		out[i] = base + (uint32_t)_tzcnt_u64(m);
		m = _blsr_u64(m);
		out[i + 1] = base + (uint32_t)_tzcnt_u64(m);
		m = _blsr_u64(m);
		out[i + 2] = base + (uint32_t)_tzcnt_u64(m);
		m = _blsr_u64(m);
		out[i + 3] = base + (uint32_t)_tzcnt_u64(m);
		m = _blsr_u64(m);
	}
	return c;
}

/* Reads a run of plain rows at *pp (before 'stop', at most 'room') as
 * fast_row4 reads each of them, into cells (row k at cells + k * n),
 * adding their counts to F->tot32; *last is the time of the row before
 * and moves on with them. Returns the number read, *pp following them,
 * and sets *stuck when it stopped at a row it would not read (else it ran
 * out of text or room).
 *
 * Up to BLOCK_TEXT bytes are indexed first, 64 at a time: the positions
 * of their separators and of their line breaks, up to the first byte that
 * is neither a digit nor a separator (a CR, a sign, an ISO time: those
 * rows are left to fast_row). A row is then read when its (n + 1)-th
 * separator is its line break, its time has 1..8 digits and follows the
 * one before, and each count has 1..4 digits; eight counts at a time,
 * their 4 bytes ending at their separators gathered, masked to their
 * digits and converted as fast_row4 converts four. */
__attribute__((target("avx2,bmi,popcnt")))
static size_t block_rows(struct fast *F, const char **pp, const char *stop, uint32_t *cells, size_t room,
			 int64_t *last, int64_t gap, bool *stuck)
{
	uint32_t sep[BLOCK_TEXT + 16], lf[BLOCK_TEXT + 16];
	const char *p = *pp;
	const __m256i comma = _mm256_set1_epi8(','), nl = _mm256_set1_epi8('\n');
	const __m256i shift = _mm256_set1_epi8((char)(0x80 - '0')), lim = _mm256_set1_epi8((char)(0x80 + 10));
	const __m256i lo8 = _mm256_set1_epi16(0x00FF), ten = _mm256_set1_epi16(10);
	const __m256i hundred = _mm256_set1_epi32(0x00010064), one = _mm256_set1_epi32(1);
	const __m256i three = _mm256_set1_epi32(3), iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
	const __m256i digits = _mm256_set1_epi32(0x0F0F0F0F), bits32 = _mm256_set1_epi32(32);
	size_t len = (size_t)(stop - p), off, nsep = 0, nlf = 0, r, c, k = 0, n = F->n, b = 0;
	uint32_t s = 0;
	int64_t t, prev = *last;

	*stuck = false;
	if (len > BLOCK_TEXT)
		len = BLOCK_TEXT;
	/* 72 readable bytes at each block, as fast_row4 needs: a time's 8
	 * bytes are read whole. */
	for (off = 0; off < len && F->end - (p + off) >= 72; off += 64) {
		const char *q = p + off;
		__m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)q);
		__m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(q + 32));
		__m256i l0 = _mm256_cmpeq_epi8(v0, nl), l1 = _mm256_cmpeq_epi8(v1, nl);
		__m256i s0 = _mm256_or_si256(_mm256_cmpeq_epi8(v0, comma), l0);
		__m256i s1 = _mm256_or_si256(_mm256_cmpeq_epi8(v1, comma), l1);
		/* '0'..'9' become -128..-119: below -118 as signed bytes. */
		__m256i g0 = _mm256_or_si256(_mm256_cmpgt_epi8(lim, _mm256_add_epi8(v0, shift)), s0);
		__m256i g1 = _mm256_or_si256(_mm256_cmpgt_epi8(lim, _mm256_add_epi8(v1, shift)), s1);
		uint64_t ms = (uint32_t)_mm256_movemask_epi8(s0) | (uint64_t)(uint32_t)_mm256_movemask_epi8(s1) << 32;
		uint64_t ml = (uint32_t)_mm256_movemask_epi8(l0) | (uint64_t)(uint32_t)_mm256_movemask_epi8(l1) << 32;
		uint64_t mg = (uint32_t)_mm256_movemask_epi8(g0) | (uint64_t)(uint32_t)_mm256_movemask_epi8(g1) << 32;
		uint64_t in = len - off >= 64 ? ~0ull : (1ull << (len - off)) - 1, bad = ~mg & in;

		if (bad)	/* the bytes before the first bad one */
			in &= _blsi_u64(bad) - 1;
		nsep += flatten(sep + nsep, (uint32_t)off, ms & in);
		nlf += flatten(lf + nlf, (uint32_t)off, ml & in);
		if (bad)
			break;
	}
	/* Past the last separator: entries the last lanes of a row may load
	 * (their gathers are masked off). */
	for (c = 0; c < 8; c++)
		sep[nsep + c] = 4;
	for (r = 0; r < nlf && k < room; r++) {
		uint32_t e = lf[r], tl;
		uint32_t *row = cells + k * n;
		__m256i x;

		/* The (n + 1)-th separator is the line break, the time before
		 * the first comma has 1..8 digits and follows the last. */
		if (b + n >= nsep || sep[b + n] != e || (tl = sep[b] - s) - 1 >= 8 ||
		    e + 1 - s > TRACE_CSV_MAX_LINE || !fast_rel(F, p + s, tl, &t) || !time_follows(t, prev, gap)) {
			*stuck = true;
			break;
		}
		/* Each count 1..4 digits (the separators are one apart at least). */
		for (c = 0; c < n; c += 8) {
			__m256i end = _mm256_loadu_si256((const __m256i *)(const void *)(sep + b + 1 + c));
			__m256i start = _mm256_loadu_si256((const __m256i *)(const void *)(sep + b + c));
			__m256i m1 = _mm256_sub_epi32(_mm256_sub_epi32(end, start), _mm256_add_epi32(one, one));
			__m256i ok = _mm256_cmpeq_epi32(_mm256_min_epu32(m1, three), m1);
			__m256i want = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n - c)), iota);

			if (!_mm256_testc_si256(ok, want))
				break;
		}
		if (c < n) {
			*stuck = true;
			break;
		}
		for (c = 0; c < n; c += 8) {
			__m256i end = _mm256_loadu_si256((const __m256i *)(const void *)(sep + b + 1 + c));
			__m256i start = _mm256_loadu_si256((const __m256i *)(const void *)(sep + b + c));
			__m256i want = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n - c)), iota);
			__m256i cnt = _mm256_sub_epi32(_mm256_sub_epi32(end, start), one);
			__m256i w = _mm256_mask_i32gather_epi32(_mm256_setzero_si256(), (const int *)(const void *)(p - 4),
								end, want, 1);
			__m256i *sum = (__m256i *)(void *)(F->tot32 + c);

			/* The count's digits, the most significant first, in
			 * the top cnt bytes of its lane. */
			x = _mm256_and_si256(w, _mm256_sllv_epi32(digits, _mm256_sub_epi32(bits32,
					     _mm256_slli_epi32(cnt, 3))));
			x = _mm256_add_epi16(_mm256_mullo_epi16(_mm256_and_si256(x, lo8), ten), _mm256_srli_epi16(x, 8));
			x = _mm256_and_si256(_mm256_madd_epi16(x, hundred), want);
			if (c + 8 <= n)
				_mm256_storeu_si256((__m256i *)(void *)(row + c), x);
			else
				_mm256_maskstore_epi32((int *)(void *)(row + c), want, x);
			_mm256_storeu_si256(sum, _mm256_add_epi32(_mm256_loadu_si256(sum), x));
		}
		prev = t;
		s = e + 1;
		b += n + 1;
		k++;
	}
	*pp = p + s;
	*last = prev;
	return k;
}
#endif

/* Reads plain rows from *pp (block_rows in runs where it can, else
 * fast_row), before 'stop' and at most 'room' of them, into cells (row k
 * at cells + k * n), adding their counts to tot. With gap > 0 each time
 * must be the previous one (*last) plus gap; with gap 0, after *last.
 * Returns the number of rows read, *pp and *last following them. */
static size_t fast_rows(struct fast *F, const char **pp, const char *stop, uint32_t *cells,
			size_t room, uint64_t *tot, int64_t *last, int64_t gap)
{
	const char *p = *pp, *q;
	size_t k = 0, n = F->n, since = 0;
	int64_t t, prev = *last;

	while (k < room && p < stop) {
#ifdef HAVE_BLOCK_ROWS
		if (F->wide && F->absolute == 0 && F->skip == 0) {
			bool stuck;
			size_t m = block_rows(F, &p, stop, cells + k * n, room - k, &prev, gap, &stuck);

			/* At most BLOCK_TEXT / 2 rows of counts below 10^4
			 * after at most 31 of fast_row's: the sums fit. */
			flush_sums(F, tot);
			since = 0;
			k += m;
			if (m > 0 && !stuck)
				continue;
			/* A row it would not read goes to fast_row; after one
			 * that came first, the next few do too. */
			if (m == 0)
				F->skip = 16;
			if (k >= room || p >= stop)
				break;
		}
		if (F->skip)
			F->skip--;
#endif
		if (!(q = fast_row(F, p, cells + k * n, &t, prev, gap)))
			break;
		p = q;
		prev = t;
		k++;
		if (++since == 32) {
			flush_sums(F, tot);
			since = 0;
		}
	}
	flush_sums(F, tot);
	*pp = p;
	*last = prev;
	return k;
}

/* Lines in [p, e): its line breaks. */
static size_t count_lines(const char *p, const char *e)
{
	size_t n = 0;
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();

	while (e - p >= 16) {
		/* Byte counters, summed before they can wrap (255 blocks). */
		size_t blocks = (size_t)(e - p) / 16, i;
		__m128i acc = zero, sum;

		if (blocks > 255)
			blocks = 255;
		for (i = 0; i < blocks; i++, p += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));	/* -1 per '\n' */
		}
		sum = _mm_sad_epu8(acc, zero);
		n += (size_t)_mm_cvtsi128_si32(sum);
		n += (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
	}
#endif
	for (; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
		n++;
	return n;
}
#endif

/* Reads plain wide rows at L->r.pos (before L->r.end) that are in time
 * order after the first row: a run of them while the times stay evenly
 * spaced, else one. Returns whether it read any; when not, the careful
 * path must read the line. */
#define FEED_RUN 4096

/* With a feed, lets the mapped text go trace_stream_drop bytes at a time
 * once it is as far behind the reader (messages quote the current line
 * only, which is ahead): the pages stay in the page cache, but no longer
 * count in this process's memory, which then stays the same whatever the
 * trace's length. */
size_t trace_stream_drop = (size_t)16 << 20;

static void drop_behind(struct ld *L)
{
	const char *p = L->r.pos;
	size_t step = trace_stream_drop ? trace_stream_drop : 1;
	uintptr_t a, e;

	if (!L->r.map || (size_t)(p - L->dropped) < 2 * step)
		return;
	a = ((uintptr_t)L->dropped + 4095) & ~(uintptr_t)4095;
	e = ((uintptr_t)(p - step)) & ~(uintptr_t)4095;
#if defined(MADV_DONTNEED)
	if (e > a)
		madvise((void *)a, e - a, MADV_DONTNEED);
#endif
	L->dropped = (const char *)e;
}

static bool wide_fast(struct ld *L, struct fast *F)
{
#ifdef HAVE_FAST_ROWS
	size_t n = L->nstreams, room, k;
	const char *p = L->r.pos;
	int64_t last = L->last;
	uint32_t *to;

	/* Rows end at a line break, so one starting before r.end (the cut,
	 * while a helper reads the second part) ends before it. */
	if (L->nt == 0 || p >= L->r.end)
		return false;
	if (L->feed) {
		if (!(to = trace_feed_room(L->feed, L->nt, &room))) {
			L->r.stopped = true;	/* the replay is over: nothing more wanted */
			return false;
		}
		/* Handed over a few thousand rows at a time. */
		if (room > FEED_RUN)
			room = FEED_RUN;
	} else {
		if (L->nt >= L->ccap / n) {
			helper_join(L);	/* the helper writes into the cells */
			xgrow(&L->cells, &L->ccap, (L->nt + 1) * n, sizeof *L->cells);
		}
		room = L->ccap / n - L->nt;
		to = L->cells + L->nt * n;
	}
	F->absolute = L->absolute;
	if (L->uniform && L->nt >= 2) {
		k = fast_rows(F, &p, L->r.end, to, room, L->tot, &last, L->gap);
		if (k) {
			L->r.pos = p;
			L->r.line += (int)k;
			L->nt += k;
			L->last = last;
			if (L->feed) {
				trace_feed_publish(L->feed, L->nt);
				drop_behind(L);
			}
			return true;
		}
	}
	if (!fast_rows(F, &p, L->r.end, to, 1, L->tot, &last, 0))
		return false;
	L->r.pos = p;
	L->r.line++;
	push_time(L, last);
	if (L->feed)
		trace_feed_publish(L->feed, L->nt);
	return true;
#else
	(void)L;
	(void)F;
	return false;
#endif
}

/* ---- the wide form on two threads -------------------------------------------
 *
 * A large file is cut at a line break a little after its middle. The
 * loader reads the first part as usual (quick and careful paths, every
 * problem reported) while a helper thread reads the second part with
 * fast_rows alone, writing the rows into the cells where they will stay,
 * and stops at the first line it does not take. The helper's first row
 * goes after as many rows as the first part has lines, which it counts
 * first; its rows are kept only when the first part turned out to be
 * that many rows in a row (no blank, comment or bad line) and its first
 * time follows the last one before it. The loader then continues where
 * the helper stopped, or at the cut when the rows were not kept: the
 * result, and every message, are those of one thread. Only the loader
 * moves the cells (after joining the helper) and only it reports; while
 * the helper runs, the loader's r.end is the cut (but data_end, for
 * line_at, is not). */

#define SPLIT_MIN ((size_t)4 << 20)	/* smaller data is read on one thread */

int trace_csv_threads;
bool trace_csv_block_rows = true;

struct helper {
	pthread_t th;
	bool running;
	atomic_bool cancel;		/* the loader is done with its part: stop soon */
	struct fast F;
	struct time_cache tc;
	const char *count_from, *from;	/* lines of the first part; the second's start */
	uint32_t *cells;
	size_t cap_rows, nt0;		/* capacity of cells in rows; rows before count_from */

	/* Results. The times are first + k * gap while 'uniform', else times[k]. */
	size_t base, rows;		/* index of the first row; rows read */
	const char *stop;		/* first line not read */
	int64_t first, gap, last;
	bool uniform;
	int64_t *times;
	size_t tcap;
	uint64_t *tot;			/* per stream, the sum of the rows read */
};

#ifdef HAVE_FAST_ROWS
static void *helper_run(void *arg)
{
	struct helper *H = arg;
	size_t n = H->F.n, k;
	const char *p = H->from, *c = H->count_from;

	/* Counted 4 MB at a time, to see a cancel. */
	H->base = H->nt0;
	while (c < H->from) {
		const char *e = H->from - c > (4 << 20) ? c + (4 << 20) : H->from;

		if (atomic_load_explicit(&H->cancel, memory_order_relaxed))
			return NULL;
		H->base += count_lines(c, e);
		c = e;
	}
	H->F.absolute = looks_iso(p, H->F.end);
	H->uniform = true;
	H->last = INT64_MIN;
	while (H->base + H->rows < H->cap_rows &&
	       !atomic_load_explicit(&H->cancel, memory_order_relaxed)) {
		size_t room = H->cap_rows - H->base - H->rows;
		uint32_t *row = H->cells + (H->base + H->rows) * n;

		if (H->uniform && H->rows >= 2) {
			/* Runs of 16 K rows, to see a cancel. */
			k = fast_rows(&H->F, &p, H->F.end, row, room < 16384 ? room : 16384, H->tot,
				      &H->last, H->gap);
			if (k) {
				H->rows += k;
				continue;
			}
		}
		if (!fast_rows(&H->F, &p, H->F.end, row, 1, H->tot, &H->last, 0))
			break;
		if (H->rows == 0) {
			H->first = H->last;
		} else if (H->rows == 1) {
			H->gap = H->last - H->first;
		} else if (H->uniform) {
			H->tcap = H->rows + 1024;
			H->times = xmalloc(H->tcap * sizeof *H->times);
			for (k = 0; k < H->rows; k++)
				H->times[k] = H->first + (int64_t)k * H->gap;
			H->uniform = false;
		}
		if (!H->uniform) {
			xgrow(&H->times, &H->tcap, H->rows + 1, sizeof *H->times);
			H->times[H->rows] = H->last;
		}
		H->rows++;
	}
	H->stop = p;
	return NULL;
}
#endif

/* Starts a helper on the second part of the rows from L->r.pos when the
 * data is large, two processors are online and trace_csv_threads allows;
 * returns whether it runs. */
static bool helper_start(struct ld *L, struct helper *H)
{
#ifdef HAVE_FAST_ROWS
	size_t len = (size_t)(L->r.end - L->r.pos), n = L->nstreams;
	const char *cut, *nl;

	if (trace_csv_threads == 1 || n == 0 || L->feed || L->ccap / n < 2)
		return false;
	if (trace_csv_threads != 2 && (len < SPLIT_MIN || sysconf(_SC_NPROCESSORS_ONLN) < 2))
		return false;
	/* A little more than half for the loader: the helper counts the
	 * first part's lines before reading. */
	cut = L->r.pos + len / 100 * 53 + len % 100 * 53 / 100;
	nl = memchr(cut, '\n', (size_t)(L->r.end - cut));
	if (!nl || nl + 1 >= L->r.end)
		return false;
	memset(H, 0, sizeof *H);
	atomic_init(&H->cancel, false);
	fast_init(&H->F, L->r.end, n, L->unit_s, &H->tc);
	H->count_from = L->r.pos;
	H->from = H->stop = nl + 1;
	H->cells = L->cells;
	H->cap_rows = L->ccap / n;
	H->nt0 = L->nt;
	H->tot = xcalloc(n, sizeof *H->tot);
	/* Signals go to the loader's thread, as before. */
	if (util_thread_start(&H->th, helper_run, H) != 0) {
		fast_free(&H->F);
		free(H->tot);
		return false;
	}
	H->running = true;
	L->helper = H;
	return true;
#else
	(void)L;
	(void)H;
	return false;
#endif
}

static void helper_join(struct ld *L)
{
	if (L->helper && L->helper->running) {
		pthread_join(L->helper->th, NULL);
		L->helper->running = false;
	}
}

/* Takes the helper's rows when the loader, at the cut, is where the
 * helper assumed: see above. Otherwise the loader reads on from the cut
 * (overwriting the helper's cells). */
static void helper_merge(struct ld *L, struct helper *H)
{
	size_t k, s;

	if (L->r.stopped || L->r.pos != H->from || L->nt == 0 || L->nt != H->base ||
	    H->rows == 0 || L->absolute != H->F.absolute || H->first <= L->last)
		return;
	for (s = 0; s < L->nstreams; s++)
		L->tot[s] += H->tot[s];
	if (L->uniform && L->nt >= 2 && H->uniform && H->first - L->last == L->gap &&
	    (H->rows < 2 || H->gap == L->gap)) {
		L->r.line += (int)H->rows;
		L->nt += H->rows;
		L->last = H->last;
	} else {
		/* What the loader would have done row by row. */
		for (k = 0; k < H->rows; k++) {
			L->r.line++;
			push_time(L, H->uniform ? H->first + (int64_t)k * H->gap : H->times[k]);
		}
	}
	L->r.pos = H->stop;
}

/* Reads the wide form's rows from L->r.pos to L->r.end. */
static void wide_loop(struct ld *L, struct fast *F)
{
	const char *lb, *le;

	for (;;) {
		while (!L->r.stopped && wide_fast(L, F))
			;
		if (!trace_csv_next_line(&L->r, &lb, &le))
			break;
		wide_row(L, lb, le);
	}
}

/* Reads the wide form's rows, on two threads when helper_start says so. */
static void wide_rows(struct ld *L)
{
	struct fast F;
	struct helper H;

	fast_init(&F, L->r.end, L->nstreams, L->unit_s, &L->tc);
	if (helper_start(L, &H)) {
		const char *end = L->r.end;

		L->r.end = H.from;	/* the loader's part */
		wide_loop(L, &F);
		L->r.end = end;
		/* The loader reads on from where the helper stops: a helper
		 * that fell behind (the other processor busy with something
		 * else) holds it up for one run of rows at most. Tests let it
		 * finish, to exercise the merging. */
		if (trace_csv_threads != 2 || L->r.nerr)
			atomic_store(&H.cancel, true);
		helper_join(L);
		helper_merge(L, &H);
		L->helper = NULL;
		free(H.times);
		free(H.tot);
		fast_free(&H.F);
	}
	wide_loop(L, &F);
	fast_free(&F);
}

/* The stream of a long row, named by the field [nb, ne) ('quoted': a
 * doubled quote in it is one quote), added when new. Returns its index,
 * or -1 (reported). */
static long long_stream(struct ld *L, const char *lb, const char *nb, const char *ne, bool quoted,
			long last_s)
{
	char *text = NULL;
	const char *name = nb;
	size_t n = (size_t)(ne - nb);
	long s = -1;

	if (quoted && memchr(nb, '"', n))
		name = text = trace_csv_strdup(nb, ne, true, &n);
	/* Streams usually repeat in the same order at every time: try the
	 * one after the last before hashing. */
	if (L->nstreams) {
		size_t g = (size_t)(last_s + 1) % L->nstreams;

		if (L->namelen[g] == n && memcmp(L->names[g], name, n) == 0)
			s = (long)g;
	}
	if (s < 0)
		s = stream_lookup(L, name, n);
	if (s < 0) {
		if (L->nstreams >= UINT32_MAX - 1)
			trace_csv_error(&L->r, lb, nb, "too many streams");
		else
			s = (long)stream_add(L, name, n);
	}
	free(text);
	return s;
}

/* One data row of the long form. */
static void long_row(struct ld *L, const char *lb, const char *le, long *last_s)
{
	struct trace_time t;
	const char *p, *nb, *ne, *cb, *ce;
	bool more, nq;
	long s;
	uint64_t v;
	enum trace_num k;
	int ord;
	size_t ti;

	p = row_time(L, lb, lb, le, &t, &more);
	if (!p)
		return;
	if (!more) {
		wrong_fields(L, lb, le, 3);
		return;
	}
	p = trace_csv_field_q(p, le, &nb, &ne, &more, &nq);
	if (!more) {
		wrong_fields(L, lb, le, 3);
		return;
	}
	trace_csv_field(p, le, &cb, &ce, &more);
	if (more) {
		wrong_fields(L, lb, le, 3);
		return;
	}
	if (nb == ne) {
		trace_csv_error(&L->r, lb, nb, "empty stream name");
		return;
	}
	if (memchr(nb, '\0', (size_t)(ne - nb))) {
		field_err(L, lb, nb, ne, "");
		return;
	}
	k = trace_parse_count(cb, ce, UINT32_MAX, &v);
	if (k != TRACE_NUM_OK) {
		count_err(L, lb, cb, ce, k);
		return;
	}
	ord = time_order(L, lb, t.ns);
	if (ord < 0)
		return;
	s = long_stream(L, lb, nb, ne, nq, *last_s);
	if (s < 0)
		return;
	*last_s = s;
	if (ord) {
		if (L->nt + 1 > SIZE_MAX / sizeof *L->cells / L->W)
			util_fatal("trace too large");
		xgrow(&L->cells, &L->ccap, (L->nt + 1) * L->W, sizeof *L->cells);
		memset(L->cells + L->nt * L->W, 0, L->W * sizeof *L->cells);
		push_time(L, t.ns);
	} else if (L->last_t[s] == L->nt - 1) {
		trace_csv_error(&L->r, lb, nb, "stream '%s' has two rows for this time (first at "
				"line %d)", L->names[s], L->last_line[s]);
		return;
	}
	ti = L->nt - 1;
	L->last_t[s] = (uint32_t)ti;
	L->last_line[s] = L->r.line;
	L->cells[ti * L->W + (size_t)s] = (uint32_t)v;
}

/* Bucket width and, unless the distinct times are the buckets one to
 * one (*identity), the bucket of each distinct time. 0 or -1 (reported). */
static int place_times(struct ld *L, uint64_t **bucket_of, size_t *nbuckets, uint32_t *step_s,
		       bool *identity)
{
	int64_t step_ns, t0 = L->t0;
	size_t i, gap_i = 1;
	uint64_t *bk;
	char a[48], b[48];
	uint64_t nb, cells;

	*bucket_of = NULL;
	if (L->step_override) {
		step_ns = (int64_t)L->step_override * NS_PER_S;
	} else if (L->nt == 1) {
		step_ns = NS_PER_S;	/* one time: nothing to infer from */
	} else {
		if (L->uniform) {
			step_ns = L->gap;
		} else {
			step_ns = INT64_MAX;
			for (i = 1; i < L->nt; i++)
				if (L->times[i] - L->times[i - 1] < step_ns) {
					step_ns = L->times[i] - L->times[i - 1];
					gap_i = i;
				}
		}
		if (step_ns % NS_PER_S != 0) {
			fmt_time(L, time_at(L, gap_i - 1), a);
			fmt_time(L, time_at(L, gap_i), b);
			reader_err(&L->r, line_at(L, gap_i), 1, "times %s (line %d) and %s are %.9g s "
				   "apart: buckets must be a whole number of seconds wide (a file with "
				   "one row per request takes the event form: a single time column, or "
				   "`costcap trace import --from events`)", a, line_at(L, gap_i - 1), b,
				   (double)step_ns / 1e9);
			return -1;
		}
		if (step_ns / NS_PER_S > UINT32_MAX) {
			reader_err(&L->r, line_at(L, gap_i), 1, "buckets wider than 2^32 s");
			return -1;
		}
		for (i = 1; !L->uniform && i < L->nt && !L->r.stopped; i++)
			if ((L->times[i] - t0) % step_ns != 0) {
				fmt_time(L, L->times[i], a);
				reader_err(&L->r, line_at(L, i), 1, "time %s is not a whole number of "
					   "%" PRId64 " s buckets after the first time (the bucket width "
					   "is the smallest gap, between lines %d and %d; force it with "
					   "--step)", a, step_ns / NS_PER_S, line_at(L, gap_i - 1),
					   line_at(L, gap_i));
			}
		if (L->r.nerr)
			return -1;
	}
	nb = (uint64_t)((L->last - t0) / step_ns) + 1;
	cells = nb * (L->nstreams ? L->nstreams : 1);
	if (nb > TRACE_CSV_MAX_BUCKETS) {
		reader_err(&L->r, line_at(L, L->nt - 1), 1, "trace too long: %" PRIu64 " buckets of "
			   "%" PRId64 " s, more than %" PRIu64 "; make the buckets wider with --step",
			   nb, step_ns / NS_PER_S, TRACE_CSV_MAX_BUCKETS);
		return -1;
	}
	if (nb > TRACE_CSV_MAX_CELLS || cells > TRACE_CSV_MAX_CELLS) {
		reader_err(&L->r, line_at(L, L->nt - 1), 1, "trace too long: %" PRIu64 " buckets of "
			   "%" PRId64 " s x %zu streams is more than %" PRIu64 " counts; make the "
			   "buckets wider with --step", nb, step_ns / NS_PER_S, L->nstreams,
			   TRACE_CSV_MAX_CELLS);
		return -1;
	}
	*nbuckets = (size_t)nb;
	*step_s = (uint32_t)(step_ns / NS_PER_S);
	*identity = nb == L->nt && (L->uniform ? L->nt < 2 || L->gap == step_ns : true);
	if (*identity && !L->uniform)
		for (i = 0; i < L->nt && *identity; i++)
			*identity = L->times[i] - t0 == (int64_t)i * step_ns;
	if (!*identity) {
		bk = xmalloc(L->nt * sizeof *bk);
		for (i = 0; i < L->nt; i++)
			bk[i] = (uint64_t)((time_at(L, i) - t0) / step_ns);
		*bucket_of = bk;
	}
	return 0;
}

static int finish_grid(struct ld *L, struct trace **out)
{
	uint64_t *bk = NULL;
	size_t nb, i, s, n = L->nstreams, W = L->form == FORM_WIDE ? n : L->W;
	uint32_t step_s;
	struct trace *t;
	uint32_t *cells;
	bool identity;
	char a[48];

	if (place_times(L, &bk, &nb, &step_s, &identity) < 0)
		return -1;
	t = trace_new(n, (const char *const *)L->names, step_s);
	if (L->absolute == 1)
		t->start_epoch = (double)L->t0 / 1e9;
	if (identity) {
		/* Every bucket has its row: the parsed rows are the trace. */
		if (W > n)
			for (i = 1; i < nb; i++)
				memmove(L->cells + i * n, L->cells + i * W, n * sizeof *L->cells);
		cells = xrealloc(L->cells, (nb * n > 0 ? nb * n : 1) * sizeof *cells);
		L->cells = NULL;
		if (L->tot) {
			/* The wide form summed its rows while reading them. */
			free(t->counts);
			t->counts = cells;
			t->nbuckets = nb;
			memcpy(t->totals, L->tot, n * sizeof *t->totals);
		} else {
			trace_adopt_counts(t, cells, nb);
		}
	} else {
		trace_set_buckets(t, nb);
		cells = t->counts;
		for (i = 0; i < L->nt; i++) {
			uint32_t *dst = cells + bk[i] * n;
			const uint32_t *src = L->cells + i * W;

			for (s = 0; s < n; s++) {
				if (dst[s] > UINT32_MAX - src[s]) {
					fmt_time(L, time_at(L, i), a);
					reader_err(&L->r, line_at(L, i), 1, "the counts of stream '%s' "
						   "add up to more than %" PRIu32 " in the bucket of %s "
						   "(counts are 32-bit unsigned integers); use narrower "
						   "buckets", L->names[s], UINT32_MAX, a);
					dst[s] = UINT32_MAX;
				} else {
					dst[s] += src[s];
				}
			}
		}
		trace_update_totals(t);
	}
	free(bk);
	if (L->r.nerr) {
		trace_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

/* Event rows: the time is field 'col' of each line; counts go into
 * per-bucket counts grown as the times advance. */
struct ev {
	uint32_t *counts;
	size_t n, cap;
	int64_t step_ns, origin;	/* bucket of a time: (t - origin) / step_ns */
	int64_t last_ns;
	int last_line;
	bool any;
};

static void event_row(struct ld *L, struct ev *E, const char *lb, const char *le, size_t col,
		      size_t nf)
{
	const char *p = lb, *fb, *fe;
	bool more = true;
	size_t i;
	struct trace_time t;
	int64_t b;

	for (i = 0; i < col && more; i++)
		p = trace_csv_field(p, le, &fb, &fe, &more);
	if (col > 0 && !more) {
		trace_csv_error(&L->r, lb, le, "wrong number of fields: expected %zu, found %zu", nf,
				count_fields(lb, le));
		return;
	}
	if (!row_time(L, lb, p, le, &t, &more))
		return;
	if (more && nf == 1) {
		trace_csv_error(&L->r, lb, lb, "wrong number of fields: expected 1 (a time per "
				"request), found %zu", count_fields(lb, le));
		return;
	}
	if (E->any && t.ns < E->last_ns) {
		char a[48], c[48];

		fmt_time(L, t.ns, a);
		fmt_time(L, E->last_ns, c);
		trace_csv_error(&L->r, lb, p, "time goes backwards: %s comes after %s (line %d); "
				"rows must be in time order", a, c, E->last_line);
		return;
	}
	if (!E->any) {
		/* Buckets are aligned to multiples of the step counting from
		 * the UTC midnight of the first time (ISO times; the same as
		 * from the epoch when the step divides a day), or from time 0
		 * (relative times, never negative). Floor divisions: ISO times
		 * before 1970 are negative. */
		int64_t day = 86400 * NS_PER_S, mid = 0;

		if (t.absolute)
			mid = t.ns >= 0 ? t.ns / day * day : -((-t.ns + day - 1) / day) * day;
		E->any = true;
		E->origin = mid + (t.ns - mid) / E->step_ns * E->step_ns;
	}
	E->last_ns = t.ns;
	E->last_line = L->r.line;
	b = (t.ns - E->origin) / E->step_ns;	/* t >= origin: times are in order */
	if ((uint64_t)b >= TRACE_CSV_MAX_BUCKETS) {
		trace_csv_error(&L->r, lb, p, "trace too long: more than %" PRIu64 " buckets; "
				"use wider buckets (--step)", TRACE_CSV_MAX_BUCKETS);
		L->r.stopped = true;
		return;
	}
	if ((size_t)b >= E->n) {
		xgrow(&E->counts, &E->cap, (size_t)b + 1, sizeof *E->counts);
		memset(E->counts + E->n, 0, ((size_t)b + 1 - E->n) * sizeof *E->counts);
		E->n = (size_t)b + 1;
	}
	if (E->counts[b] == UINT32_MAX) {
		trace_csv_error(&L->r, lb, p, "more than %" PRIu32 " requests in one bucket (counts "
				"are 32-bit unsigned integers)", UINT32_MAX);
		return;
	}
	E->counts[b]++;
}

static int run_events(struct ld *L, const char *stream, size_t col, size_t nf,
		      const char *lb, const char *le, struct trace **out)
{
	struct ev E = {0};
	struct trace *t;

	E.step_ns = (int64_t)(L->step_override ? L->step_override : 1) * NS_PER_S;
	if (lb)
		event_row(L, &E, lb, le, col, nf);
	while (trace_csv_next_line(&L->r, &lb, &le))
		event_row(L, &E, lb, le, col, nf);
	if (!L->r.nerr && !E.any)
		reader_err(&L->r, L->r.line, 0, "no data rows");
	if (L->r.nerr) {
		free(E.counts);
		return -1;
	}
	t = trace_new(1, &stream, (uint32_t)(E.step_ns / NS_PER_S));
	if (L->absolute == 1)
		t->start_epoch = (double)(E.origin / NS_PER_S);
	trace_adopt_counts(t, E.counts, E.n);
	*out = t;
	return 0;
}

/* Unit of relative times from the time column's name. */
static uint32_t time_unit(const char *b, const char *e)
{
	static const struct {
		const char *name;
		uint32_t s;
	} units[] = {
		{"min", 60}, {"minute", 60}, {"minutes", 60}, {"hour", 3600}, {"hours", 3600},
		{"day", 86400}, {"days", 86400},
	};
	size_t i, n = (size_t)(e - b);

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strlen(units[i].name) == n && strncasecmp(b, units[i].name, n) == 0)
			return units[i].s;
	return 1;
}

static bool field_is(const char *b, const char *e, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(e - b) == n && strncasecmp(b, name, n) == 0;
}

/* Splits a line into fields; returns their number. */
static size_t split_line(const char *lb, const char *le, const char ***fb, const char ***fe,
			 bool **q, size_t *cap1, size_t *cap2, size_t *cap3)
{
	size_t n = 0;
	bool more = true;
	const char *p = lb;

	while (more) {
		xgrow(fb, cap1, n + 1, sizeof **fb);
		xgrow(fe, cap2, n + 1, sizeof **fe);
		xgrow(q, cap3, n + 1, sizeof **q);
		p = trace_csv_field_q(p, le, &(*fb)[n], &(*fe)[n], &more, &(*q)[n]);
		n++;
	}
	return n;
}

/* field_is for a header field that may hold doubled quotes. */
static bool field_is_q(const char *b, const char *e, bool quoted, const char *name)
{
	char *text;
	bool r;

	if (!quoted || !memchr(b, '"', (size_t)(e - b)))
		return field_is(b, e, name);
	text = trace_csv_strdup(b, e, true, NULL);
	r = strcasecmp(text, name) == 0;
	free(text);
	return r;
}

/* Reads the stream names of the wide form's header (non-empty, unique). */
static void wide_header(struct ld *L, const char *lb, const char *const *fb,
			const char *const *fe, const bool *q, size_t nf)
{
	size_t i;

	for (i = 1; i < nf; i++) {
		size_t n;
		char *name = trace_csv_strdup(fb[i], fe[i], q[i], &n);
		long j;

		if (n == 0) {
			trace_csv_error(&L->r, lb, fb[i], "empty stream name in column %zu of the "
					"header", i + 1);
		} else if ((j = stream_lookup(L, name, n)) >= 0) {
			trace_csv_error(&L->r, lb, fb[i], "duplicate stream name '%s' (also column "
					"%ld)", L->names[j], j + 2);
		} else {
			stream_add(L, name, n);
		}
		free(name);
	}
}

/* A wide trace read while it is replayed: what trace_stream_open
 * promised, and what the reader found. */
struct trace_stream {
	pthread_t th;
	char *path;
	uint32_t step;
	struct trace_feed *feed;
	struct trace *t;	/* the promise: streams, buckets, start */
	int64_t t0;		/* the first time, and whether it is absolute */
	int absolute;
	uint64_t *tot;		/* the reader's sums per stream */
	bool ok;		/* the reader found the promised trace, no problem */
};

/* Whether the wide rows read match what st promised: the trace
 * finish_grid would make holds these very rows, one a second. */
static bool stream_check(struct ld *L, struct trace_stream *st)
{
	uint64_t *bk = NULL;
	size_t nb, i;
	uint32_t step_s;
	bool identity;

	if (L->r.stopped || L->r.nerr || place_times(L, &bk, &nb, &step_s, &identity) < 0)
		return false;
	free(bk);
	if (!identity || step_s != 1 || nb != st->t->nbuckets || L->nstreams != st->t->nstreams ||
	    L->t0 != st->t0 || L->absolute != st->absolute)
		return false;
	for (i = 0; i < L->nstreams; i++)
		if (strcmp(L->names[i], st->t->names[i]) != 0)
			return false;
	memcpy(st->tot, L->tot, L->nstreams * sizeof *st->tot);
	return true;
}

static int load(const char *path, uint32_t step, bool events, const char *column,
		const char *stream, struct trace **out, struct err *e, struct trace_stream *st)
{
	struct ld L;
	const char *lb, *le, **fb = NULL, **fe = NULL, *why;
	bool *fq = NULL;
	size_t nf, c1 = 0, c2 = 0, c3 = 0, col = 0, i;
	struct trace_time t0;
	int rc = -1;
	long last_s = -1;

	*out = NULL;
	memset(&L, 0, sizeof L);
	L.feed = st ? st->feed : NULL;
	L.step_override = step;
	L.absolute = -1;
	L.unit_s = 1;
	if (!stream)
		stream = "requests";
	if (trace_csv_open(&L.r, path, e) < 0)
		goto out;
	if (!trace_csv_next_line(&L.r, &lb, &le)) {
		if (!L.r.nerr)
			err_add(e, L.r.name, L.r.line, 0, "no header and no rows (only blank or "
				"comment lines)");
		goto out;
	}
	L.data_start = L.r.pos;
	L.data_end = L.r.end;
	L.dropped = L.r.data;
	L.header_line = L.r.line;
	nf = split_line(lb, le, &fb, &fe, &fq, &c1, &c2, &c3);
	for (i = 0; i < nf; i++)
		if (memchr(fb[i], '\0', (size_t)(fe[i] - fb[i]))) {
			field_err(&L, lb, fb[i], fe[i], "");
			goto out;
		}
	if (parse_time_c(fb[0], fe[0], 1, NULL, &t0, &why) == 0) {
		/* No header: only the event form may omit it. */
		if (events && column) {
			trace_csv_error(&L.r, lb, lb, "no header line: cannot find column '%s'", column);
		} else if (!events && nf > 1) {
			trace_csv_error(&L.r, lb, lb, "header missing: the first line must name the "
					"columns: time,stream,count (long form) or time,<stream>,... "
					"(wide form)");
		} else if (nf > 1) {
			trace_csv_error(&L.r, lb, lb, "no header line and %zu columns: name the columns "
					"in a header, or keep only the time column", nf);
		} else {
			L.form = FORM_EVENT;
			rc = run_events(&L, stream, 0, 1, lb, le, out);
		}
		goto out;
	}
	if (events) {
		if (column) {
			for (col = 0; col < nf && !field_is_q(fb[col], fe[col], fq[col], column); col++)
				;
			if (col == nf) {
				struct sbuf m = {0};

				for (i = 0; i < nf; i++) {
					sbuf_add(&m, i ? ", " : "");
					add_shown(&m, fb[i], fe[i]);
				}
				trace_csv_error(&L.r, lb, lb, "no column named '%s' (columns: %s)", column,
						m.buf);
				sbuf_free(&m);
				goto out;
			}
		} else {
			for (col = 0; col < nf; col++)
				if (field_is(fb[col], fe[col], "timestamp") ||
				    field_is(fb[col], fe[col], "time"))
					break;
			if (col == nf)
				col = 0;
		}
		L.unit_s = time_unit(fb[col], fe[col]);
		L.form = FORM_EVENT;
		rc = run_events(&L, stream, col, nf, NULL, NULL, out);
		goto out;
	}
	L.unit_s = time_unit(fb[0], fe[0]);
	if (nf == 1) {
		L.form = FORM_EVENT;
		rc = run_events(&L, stream, 0, 1, NULL, NULL, out);
		goto out;
	}
	if (nf == 3 && field_is(fb[1], fe[1], "stream") && field_is(fb[2], fe[2], "count")) {
		L.form = FORM_LONG;
		for (;;) {
#ifdef HAVE_SWAR
			const char *np;

			while (!L.r.stopped && (np = long_fast(&L, L.r.pos, &last_s)) != NULL)
				L.r.pos = np;
#endif
			if (!trace_csv_next_line(&L.r, &lb, &le))
				break;
			long_row(&L, lb, le, &last_s);
		}
	} else {
		L.form = FORM_WIDE;
		wide_header(&L, lb, fb, fe, fq, nf);
		if (L.r.nerr)
			goto out;
		L.tot = xcalloc(L.nstreams, sizeof *L.tot);
		/* Size the rows from the first data line's length. */
		if (!L.feed && L.r.end > L.r.pos) {
			const char *nl = memchr(L.r.pos, '\n', (size_t)(L.r.end - L.r.pos));
			size_t len = nl ? (size_t)(nl - L.r.pos) + 1 : (size_t)(L.r.end - L.r.pos);
			size_t rows = (size_t)(L.r.end - L.r.pos) / (len ? len : 1) + 16;

			if (rows < SIZE_MAX / sizeof *L.cells / L.nstreams &&
			    rows * L.nstreams <= TRACE_CSV_MAX_CELLS) {
				xgrow(&L.cells, &L.ccap, rows * L.nstreams + rows * L.nstreams / 16,
				      sizeof *L.cells);
				hint_huge(L.cells, L.ccap * sizeof *L.cells);
			}
		}
		wide_rows(&L);
	}
	if (!L.r.nerr && L.nt == 0)
		reader_err(&L.r, L.r.line, 0, "no data rows after the header");
	if (L.r.nerr)
		goto out;
	if (st)
		rc = L.form == FORM_WIDE && stream_check(&L, st) ? 0 : -1;
	else
		rc = finish_grid(&L, out);
out:
	free(fb);
	free(fe);
	free(fq);
	ld_free(&L);
	return rc;
}

int trace_load(const char *path, uint32_t step_override, struct trace **out, struct err *e)
{
	return load(path, step_override, false, NULL, NULL, out, e, NULL);
}

int trace_load_events(const char *path, const char *column, const char *stream,
		      uint32_t step_s, struct trace **out, struct err *e)
{
	return load(path, step_s, true, column, stream, out, e, NULL);
}

/* ---- reading while replaying ---------------------------------------------- */

size_t trace_stream_min = (size_t)4 << 20;

static void *stream_run(void *arg)
{
	struct trace_stream *st = arg;
	struct trace *t = NULL;
	struct err e = {0};

#ifdef __linux__
	/* The reader has less to do than either simulator thread and runs
	 * up to a ring ahead of them: on two processors it yields to them
	 * (Linux sets a thread's nice value on its own; elsewhere the call
	 * would reach the whole process). It still runs whenever they wait,
	 * and they wait for it when the ring is empty. */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
#endif
	st->ok = load(st->path, st->step, false, NULL, NULL, &t, &e, st) == 0;
	trace_free(t);	/* a long or event form, which the promise ruled out */
	err_clear(&e);	/* a stream that fails is read again by trace_load */
	trace_feed_end(st->feed);
	return NULL;
}

/* The time field at the start of the line [lb, le): up to its first
 * comma, plain (no quote, no blank at its ends). */
static bool stream_time(const char *lb, const char *le, uint32_t unit_s, struct trace_time *tt)
{
	const char *q = memchr(lb, ',', (size_t)(le - lb)), *why;

	return q && q > lb && *lb != '"' && !is_blank(*lb) && !is_blank(q[-1]) &&
	       parse_time_c(lb, q, unit_s, NULL, tt, &why) == 0;
}

int trace_stream_open(const char *path, uint32_t step, size_t block, struct trace **out,
		      struct trace_stream **stp)
{
	struct trace_csv_reader r;
	struct err e = {0};
	const char *lb, *le, *hle, *q, *b, **names = NULL;
	struct trace_time first, last, probe;
	struct trace_stream *st;
	size_t nf = 0, i, cap = 0;
	uint32_t unit_s;
	uint64_t nb;
	int rc = 0;

	*out = NULL;
	*stp = NULL;
	memset(&r, 0, sizeof r);
	if (step > 1 || trace_csv_open(&r, path, &e) < 0 || !r.map ||
	    (size_t)(r.end - r.data) < trace_stream_min || !trace_csv_next_line(&r, &lb, &le))
		goto done;
	/* The header: plain names (no quotes, no blanks at their ends, no
	 * NUL), a time column first; neither the long form nor a first line
	 * that is already a time. */
	hle = le;
	for (b = lb;; b = q + 1) {
		q = memchr(b, ',', (size_t)(le - b));
		if (!q)
			q = le;
		if (q == b || memchr(b, '"', (size_t)(q - b)) || memchr(b, '\0', (size_t)(q - b)) ||
		    is_blank(*b) || is_blank(q[-1]))
			goto done;
		xgrow(&names, &cap, nf + 1, sizeof *names);
		names[nf++] = b;
		if (q == le)
			break;
	}
	if (nf < 2 || (nf == 3 && field_is(names[1], names[2] - 1, "stream")) ||
	    parse_time_c(names[0], names[1] - 1, 1, NULL, &probe, &q) == 0)
		goto done;
	unit_s = time_unit(names[0], names[1] - 1);
	/* The first data line and the last line: one a second between them. */
	if (!trace_csv_next_line(&r, &lb, &le) || !stream_time(lb, le, unit_s, &first))
		goto done;
	for (q = r.end; q > lb && (q[-1] == '\n' || q[-1] == '\r'); q--)
		;
	for (le = q; q > lb && q[-1] != '\n'; q--)
		;
	if (!stream_time(q, le, unit_s, &last) || last.absolute != first.absolute || last.ns <= first.ns ||
	    (last.ns - first.ns) % NS_PER_S != 0)
		goto done;
	nb = (uint64_t)((last.ns - first.ns) / NS_PER_S) + 1;
	if (nb > TRACE_CSV_MAX_BUCKETS || nb > TRACE_CSV_MAX_CELLS / (nf - 1))
		goto done;
	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	st->step = step;
	st->t0 = first.ns;
	st->absolute = first.absolute;
	st->tot = xcalloc(nf - 1, sizeof *st->tot);
	{
		char **nm = xcalloc(nf - 1, sizeof *nm);

		for (i = 1; i < nf; i++)
			nm[i - 1] = xstrndup(names[i], (size_t)((i + 1 < nf ? names[i + 1] - 1 : hle) - names[i]));
		st->t = trace_new(nf - 1, (const char *const *)nm, 1);
		for (i = 0; i + 1 < nf; i++)
			free(nm[i]);
		free(nm);
	}
	st->t->nbuckets = (size_t)nb;
	if (first.absolute)
		st->t->start_epoch = (double)first.ns / 1e9;
	st->feed = trace_feed_new(nf - 1, block);
	st->t->feed = st->feed;
	/* Signals go to the calling thread, as before. */
	if (util_thread_start(&st->th, stream_run, st) != 0) {
		trace_free(st->t);
		trace_stream_free(st);
		goto done;
	}
	*out = st->t;
	*stp = st;
	rc = 1;
done:
	free(names);
	trace_csv_close(&r);
	err_clear(&e);
	return rc;
}

bool trace_stream_finish(struct trace_stream *st)
{
	trace_feed_close(st->feed);
	pthread_join(st->th, NULL);
	st->t->feed = NULL;
	if (st->ok)
		memcpy(st->t->totals, st->tot, st->t->nstreams * sizeof *st->tot);
	return st->ok;
}

void trace_stream_free(struct trace_stream *st)
{
	if (!st)
		return;
	trace_feed_free(st->feed);
	free(st->tot);
	free(st->path);
	free(st);
}

/* ---- writing ------------------------------------------------------------- */

static char *reserve(struct sbuf *b, size_t n)
{
	xgrow(&b->buf, &b->cap, b->len + n + 1, 1);
	return b->buf + b->len;
}

static size_t put_u64(char *d, uint64_t v)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		d[i] = tmp[n - 1 - i];
	return n;
}

/* Appends a CSV field, quoted when it holds a comma, a quote or blanks at
 * its ends; a quote inside is doubled (RFC 4180), as the reader expects. */
static void add_field(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (strpbrk(s, ",\"\r\n") || (n && (is_blank(s[0]) || is_blank(s[n - 1])))) {
		sbuf_addc(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				sbuf_addc(b, '"');
			sbuf_addc(b, *s);
		}
		sbuf_addc(b, '"');
	} else {
		sbuf_addn(b, s, n);
	}
}

/* Formats the time of bucket 'i' into buf; returns its length. */
struct tfmt {
	bool absolute;
	int64_t start_s;	/* whole seconds of the start */
	char frac[16];		/* ".5" etc., or "" */
	int64_t day;		/* cached day and its "YYYY-MM-DDT" */
	char date[16];
};

static size_t fmt_bucket(struct tfmt *f, uint64_t secs, char *buf)
{
	int64_t s, day, sod;
	size_t n;

	if (!f->absolute)
		return put_u64(buf, secs);
	s = f->start_s + (int64_t)secs;
	day = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	sod = s - day * 86400;
	if (day != f->day) {
		int y;
		unsigned m, d;

		civil_from_days(day, &y, &m, &d);
		snprintf(f->date, sizeof f->date, "%04d-%02u-%02uT", y, m, d);
		f->day = day;
	}
	n = strlen(f->date);
	memcpy(buf, f->date, n);
	buf[n++] = (char)('0' + sod / 36000);
	buf[n++] = (char)('0' + sod / 3600 % 10);
	buf[n++] = ':';
	buf[n++] = (char)('0' + sod / 60 % 60 / 10);
	buf[n++] = (char)('0' + sod / 60 % 10);
	buf[n++] = ':';
	buf[n++] = (char)('0' + sod % 60 / 10);
	buf[n++] = (char)('0' + sod % 10);
	memcpy(buf + n, f->frac, strlen(f->frac));
	n += strlen(f->frac);
	buf[n++] = 'Z';
	return n;
}

static void tfmt_init(struct tfmt *f, const struct trace *t)
{
	memset(f, 0, sizeof *f);
	f->day = INT64_MIN;
	f->absolute = isfinite(t->start_epoch);
	if (f->absolute) {
		double whole = floor(t->start_epoch);
		long long ns = llround((t->start_epoch - whole) * 1e9);

		f->start_s = (int64_t)whole;
		if (ns >= 1000000000LL) {
			f->start_s++;
			ns = 0;
		}
		if (ns > 0) {
			size_t n;

			/* Doubles hold epoch times to about 0.2 us: keep microseconds. */
			snprintf(f->frac, sizeof f->frac, ".%06lld", (ns + 500) / 1000);
			for (n = strlen(f->frac); n > 1 && f->frac[n - 1] == '0'; n--)
				f->frac[n - 1] = '\0';
			if (strcmp(f->frac, ".") == 0)
				f->frac[0] = '\0';
		}
	}
}

static void long_line(struct sbuf *out, const char *tb, size_t tl, const char *name,
		      uint32_t v)
{
	size_t ql = strlen(name);
	char *d = reserve(out, tl + ql + 14);

	memcpy(d, tb, tl);
	d += tl;
	*d++ = ',';
	memcpy(d, name, ql);
	d += ql;
	*d++ = ',';
	d += put_u64(d, v);
	*d++ = '\n';
	out->len = (size_t)(d - out->buf);
}

int trace_write_csv(const struct trace *t, struct sbuf *out, bool wide)
{
	struct tfmt f;
	size_t b, s, n = t->nstreams;
	char tb[48];
	size_t tl;

	tfmt_init(&f, t);
	if (wide) {
		sbuf_add(out, "time");
		for (s = 0; s < n; s++) {
			sbuf_addc(out, ',');
			add_field(out, t->names[s]);
		}
		sbuf_addc(out, '\n');
		for (b = 0; b < t->nbuckets; b++) {
			const uint32_t *row = t->counts + b * n;
			char *d;

			tl = fmt_bucket(&f, (uint64_t)b * t->step_s, tb);
			d = reserve(out, tl + n * 11 + 1);
			memcpy(d, tb, tl);
			d += tl;
			for (s = 0; s < n; s++) {
				*d++ = ',';
				d += put_u64(d, row[s]);
			}
			*d++ = '\n';
			out->len = (size_t)(d - out->buf);
		}
	} else {
		char **quoted = xcalloc(n ? n : 1, sizeof *quoted);

		for (s = 0; s < n; s++) {
			struct sbuf q = {0};

			add_field(&q, t->names[s]);
			quoted[s] = sbuf_take(&q);
		}
		sbuf_add(out, "time,stream,count\n");
		for (b = 0; b < t->nbuckets; b++) {
			const uint32_t *row = t->counts + b * n;
			bool any = false;

			tl = fmt_bucket(&f, (uint64_t)b * t->step_s, tb);
			for (s = 0; s < n; s++)
				if (b == 0 || row[s] != 0) {
					long_line(out, tb, tl, quoted[s], row[s]);
					any = true;
				}
			if (!any && n > 0)	/* keep the bucket: one zero row */
				long_line(out, tb, tl, quoted[0], 0);
		}
		for (s = 0; s < n; s++)
			free(quoted[s]);
		free(quoted);
	}
	if (out->buf)
		out->buf[out->len] = '\0';
	return 0;
}

/* ---- summary ------------------------------------------------------------- */

static void fmt_span(uint64_t s, char *buf, size_t size)
{
	uint64_t d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60, r = s % 60;
	int n = 0;

	buf[0] = '\0';
	if (d)
		n += snprintf(buf + n, size - (size_t)n, "%" PRIu64 " d ", d);
	if (h)
		n += snprintf(buf + n, size - (size_t)n, "%" PRIu64 " h ", h);
	if (m)
		n += snprintf(buf + n, size - (size_t)n, "%" PRIu64 " min ", m);
	if (r || n == 0)
		n += snprintf(buf + n, size - (size_t)n, "%" PRIu64 " s ", r);
	if (n > 0)
		buf[n - 1] = '\0';
}

static void fmt_at(const struct trace *t, uint64_t secs, char *buf)
{
	if (isfinite(t->start_epoch))
		trace_format_iso((int64_t)floor(t->start_epoch) + (int64_t)secs, buf);
	else
		snprintf(buf, 48, "+%" PRIu64 " s", secs);
}

void trace_summary_text(const struct trace *t, const char *name, struct sbuf *out)
{
	uint64_t secs = trace_seconds(t);
	char a[48], b[48], span[64];
	size_t s, w = 6;
	struct trace_stream_stats *st;

	fmt_span(secs, span, sizeof span);
	sbuf_printf(out, "trace:   %s\n", name);
	sbuf_printf(out, "streams: %zu\n", t->nstreams);
	sbuf_printf(out, "step:    %" PRIu32 " s (%zu buckets)\n", t->step_s, t->nbuckets);
	fmt_at(t, 0, a);
	fmt_at(t, secs, b);
	sbuf_printf(out, "window:  %s .. %s (%s, %" PRIu64 " s)\n", a, b, span, secs);
	sbuf_add(out, "\n");
	for (s = 0; s < t->nstreams; s++)
		if (strlen(t->names[s]) > w)
			w = strlen(t->names[s]);
	sbuf_printf(out, "%-*s %14s %12s %12s  %-20s %10s\n", (int)w, "stream", "total", "mean/s",
		    "peak/bucket", "peak at", "peak/s");
	st = xmalloc((t->nstreams + 1) * sizeof *st);
	trace_stats_all(t, st);
	for (s = 0; s <= t->nstreams; s++) {
		if (s == t->nstreams && t->nstreams < 2)
			break;
		fmt_at(t, (uint64_t)st[s].peak_index * t->step_s, a);
		sbuf_printf(out, "%-*s %14" PRIu64 " %12.3f %12" PRIu64 "  %-20s %10" PRIu64 "\n",
			    (int)w, s == t->nstreams ? "(all)" : t->names[s], st[s].total,
			    st[s].mean_per_s, st[s].peak_bucket, a, st[s].peak_per_s);
	}
	free(st);
	if (t->step_s > 1)
		sbuf_printf(out, "\npeak/s: the busiest second when each %" PRIu32 " s bucket is "
			    "spread evenly over its seconds.\n", t->step_s);
}
