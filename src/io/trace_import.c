#include "trace_import.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/util.h"
#include "trace_csv.h"

/* ---- small helpers --------------------------------------------------------- */

int import_memory_mb(double avg_mb)
{
	double v;

	if (!(avg_mb > 0) || !isfinite(avg_mb))
		return IMPORT_MEMORY_MIN_MB;
	/* Inputs like 145.0000000001 from division are still 145. */
	v = ceil(avg_mb - 1e-9);
	if (v < IMPORT_MEMORY_MIN_MB)
		return IMPORT_MEMORY_MIN_MB;
	if (v > IMPORT_MEMORY_MAX_MB)
		return IMPORT_MEMORY_MAX_MB;
	return (int)v;
}

static double clamp_ms(double v)
{
	if (!(v >= 1))
		v = 1;
	if (v > IMPORT_DURATION_MAX_MS)
		v = IMPORT_DURATION_MAX_MS;
	return v;
}

static double round1(double v)
{
	return floor(v * 10 + 0.5) / 10;
}

int import_duration(double pct50, double pct75, double pct99, double *p50, double *p95)
{
	double a = clamp_ms(pct50), lo = clamp_ms(pct75), hi = clamp_ms(pct99), q;

	if (hi < lo)
		hi = lo;
	q = hi == lo ? lo : exp(log(lo) + (95.0 - 75.0) / (99.0 - 75.0) * (log(hi) - log(lo)));
	*p50 = round1(a);
	*p95 = round1(fmax(q, a));
	if (*p95 < *p50)
		*p95 = *p50;
	return *p95 == *p50;
}

bool import_is_identifier(const char *s)
{
	/* As the plan loader's test: ASCII letters and digits only (the C
	 * locale's isalpha would also be locale-dependent). */
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
			return false;
	return true;
}

/* Splits an absolute or cwd-relative path into normalised components. */
static size_t path_parts(const char *path, char ***parts, char **store)
{
	char *full, *s, *tok, *save = NULL;
	size_t n = 0, cap = 0;
	char **v = NULL;

	if (path[0] == '/') {
		full = xstrdup(path);
	} else {
		char cwd[4096];

		if (!getcwd(cwd, sizeof cwd))
			strcpy(cwd, ".");
		full = xasprintf("%s/%s", cwd, path);
	}
	for (s = full; (tok = strtok_r(s, "/", &save)) != NULL; s = NULL) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (n)
				n--;
			continue;
		}
		xgrow(&v, &cap, n + 1, sizeof *v);
		v[n++] = tok;
	}
	*parts = v;
	*store = full;
	return n;
}

char *import_relpath(const char *from, const char *target)
{
	char **a, **b, *sa, *sb;
	size_t na, nb, i, common = 0;
	struct sbuf out = {0};

	if (strcmp(from, "-") == 0)
		return xstrdup(target);
	if (!strchr(from, '/') && target[0] != '/')
		return xstrdup(target);	/* both from the current folder */
	na = path_parts(from, &a, &sa);
	nb = path_parts(target, &b, &sb);
	if (na > 0)
		na--;	/* the folder of 'from' */
	while (common < na && common + 1 < nb && strcmp(a[common], b[common]) == 0)
		common++;
	if (target[0] == '/' && common < na) {
		/* An absolute trace outside the plan's folder stays absolute. */
		free(a);
		free(b);
		free(sa);
		free(sb);
		return xstrdup(target);
	}
	for (i = common; i < na; i++)
		sbuf_add(&out, "../");
	for (i = common; i < nb; i++) {
		sbuf_add(&out, b[i]);
		if (i + 1 < nb)
			sbuf_addc(&out, '/');
	}
	free(a);
	free(b);
	free(sa);
	free(sb);
	return sbuf_take(&out);
}

/* Appends s as a double-quoted YAML scalar. */
static void yaml_quoted(struct sbuf *b, const char *s)
{
	sbuf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			sbuf_addc(b, '\\');
			sbuf_addc(b, (char)c);
		} else if (c < 0x20 || c == 0x7f) {
			sbuf_printf(b, "\\x%02x", c);
		} else {
			sbuf_addc(b, (char)c);
		}
	}
	sbuf_addc(b, '"');
}

/* Writes v with at most one decimal ("93192", "378.9"). */
static void add_ms(struct sbuf *b, double v)
{
	if (v == floor(v))
		sbuf_printf(b, "%.0f", v);
	else
		sbuf_printf(b, "%.1f", v);
}

/* A comment line safe for YAML (no line breaks). */
static void add_comment_text(struct sbuf *b, const char *s)
{
	for (; *s; s++)
		sbuf_addc(b, (unsigned char)*s < 0x20 ? '?' : *s);
}

/* ---- string-keyed hash map (key -> index) ---------------------------------- */

struct smap {
	char **keys;
	size_t *vals;
	size_t n, cap;		/* cap: power of two, or 0 */
};

static uint64_t hstr(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void smap_free(struct smap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* Looks 'key' up; returns its value or (size_t)-1. */
static size_t smap_get(const struct smap *m, const char *key)
{
	size_t h;

	if (!m->cap)
		return (size_t)-1;
	for (h = hstr(key) & (m->cap - 1); m->keys[h]; h = (h + 1) & (m->cap - 1))
		if (strcmp(m->keys[h], key) == 0)
			return m->vals[h];
	return (size_t)-1;
}

/* Adds key -> val unless the key is present; returns false when it was. */
static bool smap_put(struct smap *m, const char *key, size_t val)
{
	size_t h, i;

	if ((m->n + 1) * 2 > m->cap) {
		struct smap big = {0};

		big.cap = m->cap ? m->cap * 2 : 64;
		big.keys = xcalloc(big.cap, sizeof *big.keys);
		big.vals = xcalloc(big.cap, sizeof *big.vals);
		for (i = 0; i < m->cap; i++)
			if (m->keys[i]) {
				for (h = hstr(m->keys[i]) & (big.cap - 1); big.keys[h];
				     h = (h + 1) & (big.cap - 1))
					;
				big.keys[h] = m->keys[i];
				big.vals[h] = m->vals[i];
			}
		big.n = m->n;
		free(m->keys);
		free(m->vals);
		*m = big;
	}
	for (h = hstr(key) & (m->cap - 1); m->keys[h]; h = (h + 1) & (m->cap - 1))
		if (strcmp(m->keys[h], key) == 0)
			return false;
	m->keys[h] = xstrdup(key);
	m->vals[h] = val;
	m->n++;
	return true;
}

/* ---- CSV tables ------------------------------------------------------------ */

/* A header, split, with the columns the importer looks for. */
struct header {
	char **names;
	int *cols;		/* 1-based byte column where each field starts */
	size_t n;
};

static void header_free(struct header *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->names[i]);
	free(h->names);
	free(h->cols);
	memset(h, 0, sizeof *h);
}

static long header_find(const struct header *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcasecmp(h->names[i], name) == 0)
			return (long)i;
	return -1;
}

/* Reads the header line of an opened reader. */
static int read_header(struct trace_csv_reader *r, struct header *h, const char *what)
{
	const char *lb, *le, *p, *fb, *fe;
	bool more = true, quoted;
	size_t cap = 0, ccap = 0;

	memset(h, 0, sizeof *h);
	if (!trace_csv_next_line(r, &lb, &le)) {
		if (!r->nerr)
			err_add(r->e, r->name, 0, 0, "%s file has no header line", what);
		return -1;
	}
	for (p = lb; more;) {
		p = trace_csv_field_q(p, le, &fb, &fe, &more, &quoted);
		xgrow(&h->names, &cap, h->n + 1, sizeof *h->names);
		xgrow(&h->cols, &ccap, h->n + 1, sizeof *h->cols);
		h->cols[h->n] = (int)(fb - lb) + 1;
		h->names[h->n++] = trace_csv_strdup(fb, fe, quoted, NULL);
	}
	return 0;
}

/* The fields of one row, split in place. */
struct row {
	const char **b, **e;
	bool *q;		/* quoted: a doubled quote in the field is one quote */
	size_t n, cap1, cap2, cap3;
	const char *lb, *le;
};

static size_t split_row(struct row *w, const char *lb, const char *le)
{
	const char *p = lb;
	bool more = true;

	w->n = 0;
	w->lb = lb;
	w->le = le;
	while (more) {
		xgrow(&w->b, &w->cap1, w->n + 1, sizeof *w->b);
		xgrow(&w->e, &w->cap2, w->n + 1, sizeof *w->e);
		xgrow(&w->q, &w->cap3, w->n + 1, sizeof *w->q);
		p = trace_csv_field_q(p, le, &w->b[w->n], &w->e[w->n], &more, &w->q[w->n]);
		w->n++;
	}
	return w->n;
}

static void row_free(struct row *w)
{
	free(w->b);
	free(w->e);
	free(w->q);
}

static char *field_dup(const struct row *w, long i)
{
	return i < 0 ? xstrdup("") : trace_csv_strdup(w->b[i], w->e[i], w->q[i], NULL);
}

/* Parses field i as a finite number; NaN when empty. Returns -1 (and
 * reports) when it is not a number. */
static int field_num(struct trace_csv_reader *r, const struct row *w, long i, double *out)
{
	char buf[64], *end;
	size_t n;

	*out = NAN;
	if (i < 0)
		return 0;
	n = (size_t)(w->e[i] - w->b[i]);
	if (n == 0)
		return 0;
	if (n >= sizeof buf || memchr(w->b[i], '\0', n)) {
		trace_csv_error(r, w->lb, w->b[i], "not a number");
		return -1;
	}
	memcpy(buf, w->b[i], n);
	buf[n] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	if (*end || errno || !isfinite(*out)) {
		trace_csv_error(r, w->lb, w->b[i], "not a number: '%s'", buf);
		*out = NAN;
		return -1;
	}
	return 0;
}

/* ---- Azure Functions 2019 ---------------------------------------------------- */

enum { K_OWNER, K_APP, K_FUNCTION, NKEYS };
static const char *const key_names[NKEYS] = {"HashOwner", "HashApp", "HashFunction"};

struct fn {
	char *key[NKEYS];
	char *trigger;
	uint64_t total;
	size_t row;		/* index into the counts rows */
	int line;
	char *name;
	/* From the other files. */
	bool has_dur, has_mem;
	double pct50, pct75, pct99;
	double mem_mb;
};

/* Key of a function for the key columns selected in 'use'. */
static char *fn_key(char *const *key, const bool *use)
{
	struct sbuf b = {0};
	int k;

	for (k = 0; k < NKEYS; k++)
		if (use[k]) {
			sbuf_add(&b, key[k]);
			sbuf_addc(&b, '\x1f');
		}
	return sbuf_take(&b);
}

struct az {
	const struct import_azure_opts *o;
	struct err *e;
	struct fn *fns;
	size_t nfns, fcap;
	uint32_t *counts;	/* counts[row * nmin + m] */
	size_t ccap;
	size_t nmin;
	long first_minute;
	bool have_key[NKEYS];
};

static int read_invocations(struct az *A)
{
	struct trace_csv_reader r;
	struct header h;
	struct row w = {0};
	long kcol[NKEYS], tcol, first = -1, prev = 0;
	size_t *mcol = NULL, mcap = 0, j;
	const char *lb, *le;
	int rc = -1, k;

	if (trace_csv_open(&r, A->o->invocations, A->e) < 0) {
		trace_csv_close(&r);
		return -1;
	}
	if (read_header(&r, &h, "invocations") < 0)
		goto out;
	for (k = 0; k < NKEYS; k++) {
		kcol[k] = header_find(&h, key_names[k]);
		A->have_key[k] = kcol[k] >= 0;
	}
	tcol = header_find(&h, "Trigger");
	if (kcol[K_FUNCTION] < 0) {
		err_add(A->e, r.name, r.line, 1, "no HashFunction column: expected the Azure "
			"Functions 2019 invocations layout (HashOwner,HashApp,HashFunction,Trigger,1,"
			"2,...,1440)");
		goto out;
	}
	/* Minute columns: whole numbers, consecutive. */
	for (j = 0; j < h.n; j++) {
		const char *s = h.names[j];
		char *end;
		long v;

		if (!*s || !isdigit((unsigned char)*s))
			continue;
		v = strtol(s, &end, 10);
		if (*end)
			continue;
		if (first >= 0 && v != prev + 1) {
			err_add(A->e, r.name, r.line, h.cols[j], "minute columns must be consecutive: "
				"column %zu is '%s' after '%ld'", j + 1, s, prev);
			goto out;
		}
		if (first < 0)
			first = v;
		prev = v;
		xgrow(&mcol, &mcap, A->nmin + 1, sizeof *mcol);
		mcol[A->nmin++] = j;
	}
	if (A->nmin == 0) {
		err_add(A->e, r.name, r.line, 1, "no minute columns (columns named 1, 2, ..., 1440) "
			"in the header");
		goto out;
	}
	A->first_minute = first;
	while (trace_csv_next_line(&r, &lb, &le)) {
		struct fn *f;
		uint32_t *cnt;
		bool bad = false;

		if (A->o->limit && A->nfns >= A->o->limit)
			break;
		if (split_row(&w, lb, le) != h.n) {
			trace_csv_error(&r, lb, lb, "wrong number of fields: expected %zu as in the "
					"header, found %zu", h.n, w.n);
			continue;
		}
		xgrow(&A->counts, &A->ccap, (A->nfns + 1) * A->nmin, sizeof *A->counts);
		cnt = A->counts + A->nfns * A->nmin;
		for (j = 0; j < A->nmin; j++) {
			uint64_t v;
			enum trace_num c = trace_parse_count(w.b[mcol[j]], w.e[mcol[j]], UINT32_MAX, &v);

			if (c != TRACE_NUM_OK) {
				struct sbuf m = {0};

				trace_num_message(&m, c, w.b[mcol[j]], w.e[mcol[j]], UINT32_MAX);
				trace_csv_error(&r, lb, w.b[mcol[j]], "%s", m.buf);
				sbuf_free(&m);
				bad = true;
			}
			cnt[j] = (uint32_t)v;
		}
		if (w.b[kcol[K_FUNCTION]] == w.e[kcol[K_FUNCTION]]) {
			trace_csv_error(&r, lb, w.b[kcol[K_FUNCTION]], "empty HashFunction");
			bad = true;
		}
		if (bad)
			continue;
		xgrow(&A->fns, &A->fcap, A->nfns + 1, sizeof *A->fns);
		f = &A->fns[A->nfns];
		memset(f, 0, sizeof *f);
		for (k = 0; k < NKEYS; k++)
			f->key[k] = field_dup(&w, kcol[k]);
		f->trigger = field_dup(&w, tcol);
		f->row = A->nfns;
		f->line = r.line;
		for (j = 0; j < A->nmin; j++)
			f->total += cnt[j];
		A->nfns++;
	}
	if (!r.nerr && A->nfns == 0)
		err_add(A->e, r.name, r.line, 0, "no functions (no data rows)");
	rc = r.nerr || A->nfns == 0 ? -1 : 0;
out:
	free(mcol);
	row_free(&w);
	header_free(&h);
	trace_csv_close(&r);
	return rc;
}

/* Reads the durations or the memory file and attaches its values to the
 * functions. 'memory' selects the file kind. */
static int read_side(struct az *A, const char *path, bool memory)
{
	struct trace_csv_reader r;
	struct header h;
	struct row w = {0};
	struct smap idx = {0};
	bool use[NKEYS] = {false, false, false};
	long kcol[NKEYS], vcol[3];
	const char *lb, *le;
	size_t i, *next = NULL, *tail = NULL;
	int k, rc = -1, nuse = 0;
	const char *what = memory ? "memory" : "durations";

	if (trace_csv_open(&r, path, A->e) < 0) {
		trace_csv_close(&r);
		return -1;
	}
	if (read_header(&r, &h, what) < 0)
		goto out;
	for (k = 0; k < NKEYS; k++)
		kcol[k] = header_find(&h, key_names[k]);
	if (memory) {
		vcol[0] = header_find(&h, "AverageAllocatedMb");
		if (vcol[0] < 0) {
			err_add(A->e, r.name, r.line, 1, "no AverageAllocatedMb column: expected the "
				"Azure Functions 2019 memory layout (HashOwner,HashApp,SampleCount,"
				"AverageAllocatedMb,...)");
			goto out;
		}
	} else {
		static const char *const pct[3] = {
			"percentile_Average_50", "percentile_Average_75", "percentile_Average_99"
		};

		for (k = 0; k < 3; k++) {
			vcol[k] = header_find(&h, pct[k]);
			if (vcol[k] < 0) {
				err_add(A->e, r.name, r.line, 1, "no %s column: expected the Azure "
					"Functions 2019 durations layout (...,Average,Count,Minimum,"
					"Maximum,percentile_Average_0,...,percentile_Average_100)", pct[k]);
				goto out;
			}
		}
	}
	/* Match on the key columns both files have; memory without a
	 * HashFunction column is per application (owner and app). */
	for (k = 0; k < NKEYS; k++) {
		use[k] = kcol[k] >= 0 && A->have_key[k];
		nuse += use[k];
	}
	if (nuse == 0) {
		err_add(A->e, r.name, r.line, 1, "no HashOwner/HashApp/HashFunction column shared with "
			"the invocations file: cannot match its rows to functions");
		goto out;
	}
	/* Functions sharing a key (an app's functions, for memory) are
	 * chained: head in the map, then next[]. */
	next = xmalloc((A->nfns ? A->nfns : 1) * sizeof *next);
	tail = xmalloc((A->nfns ? A->nfns : 1) * sizeof *tail);
	for (i = 0; i < A->nfns; i++) {
		char *key = fn_key(A->fns[i].key, use);
		size_t hd = smap_get(&idx, key);

		next[i] = (size_t)-1;
		if (hd == (size_t)-1) {
			smap_put(&idx, key, i);
			tail[i] = i;
		} else {
			next[tail[hd]] = i;
			tail[hd] = i;
		}
		free(key);
	}
	while (trace_csv_next_line(&r, &lb, &le)) {
		char *kv[NKEYS], *key;
		size_t f;
		double v[3] = {NAN, NAN, NAN};
		bool bad = false;

		if (split_row(&w, lb, le) != h.n) {
			trace_csv_error(&r, lb, lb, "wrong number of fields: expected %zu as in the "
					"header, found %zu", h.n, w.n);
			continue;
		}
		for (k = 0; k < (memory ? 1 : 3) && !bad; k++)
			if (field_num(&r, &w, vcol[k], &v[k]) < 0)
				bad = true;
		if (bad)
			continue;
		for (k = 0; k < NKEYS; k++)
			kv[k] = use[k] ? field_dup(&w, kcol[k]) : NULL;
		key = fn_key(kv, use);
		for (k = 0; k < NKEYS; k++)
			free(kv[k]);
		f = smap_get(&idx, key);
		free(key);
		/* Rows of functions not in the (limited) invocations are
		 * skipped; the first row of a key wins. */
		for (; f != (size_t)-1; f = next[f]) {
			struct fn *fn = &A->fns[f];

			if (memory && !fn->has_mem) {
				fn->has_mem = true;
				fn->mem_mb = v[0];
			} else if (!memory && !fn->has_dur) {
				fn->has_dur = true;
				fn->pct50 = v[0];
				fn->pct75 = v[1];
				fn->pct99 = v[2];
			}
		}
	}
	rc = r.nerr ? -1 : 0;
out:
	free(next);
	free(tail);
	smap_free(&idx);
	row_free(&w);
	header_free(&h);
	trace_csv_close(&r);
	return rc;
}

/* Lower-case letters and digits of a hash, for names. */
static char *clean_hash(const char *s)
{
	char *d = xmalloc(strlen(s) + 1), *q = d;

	for (; *s; s++)
		if (isalnum((unsigned char)*s))
			*q++ = (char)tolower((unsigned char)*s);
	*q = '\0';
	return d;
}

static char **sort_base;
static int by_hash(const void *a, const void *b)
{
	int c = strcmp(sort_base[*(const size_t *)a], sort_base[*(const size_t *)b]);

	if (c)
		return c;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* Names "fn-" + the first 8 characters of HashFunction, longer where two
 * different hashes share those: each name takes one character more than
 * its longest common prefix with any different hash. Identical hashes
 * (the same function name hashed in two apps) do not lengthen each other:
 * they share a name and get "-2", "-3", ... in file order. */
static void name_functions(struct az *A)
{
	size_t n = A->nfns, i, j, *ord = xmalloc((n ? n : 1) * sizeof *ord), *need;
	char **h = xmalloc((n ? n : 1) * sizeof *h);
	struct smap used = {0};

	need = xcalloc(n ? n : 1, sizeof *need);
	for (i = 0; i < n; i++) {
		h[i] = clean_hash(A->fns[i].key[K_FUNCTION]);
		ord[i] = i;
		need[i] = 8;
	}
	sort_base = h;
	qsort(ord, n, sizeof *ord, by_hash);
	/* Runs of identical hashes in sorted order: compare each run's hash
	 * with the next run's, and give every member of both runs the
	 * length. */
	for (i = 0; i < n; i = j) {
		size_t k, e2, l = 0;
		const char *a = h[ord[i]], *b;

		for (j = i + 1; j < n && strcmp(h[ord[j]], a) == 0; j++)
			;
		if (j == n)
			break;
		b = h[ord[j]];
		for (e2 = j + 1; e2 < n && strcmp(h[ord[e2]], b) == 0; e2++)
			;
		while (a[l] && a[l] == b[l])
			l++;
		for (k = i; k < e2; k++)
			if (need[ord[k]] < l + 1)
				need[ord[k]] = l + 1;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(h[i]), k = 2;
		char *name;

		if (len == 0)
			name = xasprintf("fn-row%zu", i + 1);
		else
			name = xasprintf("fn-%.*s", (int)(need[i] < len ? need[i] : len), h[i]);
		while (!smap_put(&used, name, i)) {
			char *base = xasprintf("%s-%zu", name, k++);

			if (smap_get(&used, base) == (size_t)-1) {
				free(name);
				name = base;
				smap_put(&used, name, i);
				break;
			}
			free(base);
		}
		A->fns[i].name = name;
	}
	for (i = 0; i < n; i++)
		free(h[i]);
	free(h);
	free(ord);
	free(need);
	smap_free(&used);
}

static const char *invocation_of(const char *trigger)
{
	static const char *const async_triggers[] = {
		"timer", "queue", "event", "storage", "orchestration", NULL
	};
	size_t i;

	for (i = 0; async_triggers[i]; i++)
		if (strcasecmp(trigger, async_triggers[i]) == 0)
			return "async";
	return "sync";	/* http, and the conservative choice for "others" */
}

static const struct fn *top_sort_base;
static int by_total(const void *a, const void *b)
{
	const struct fn *x = &top_sort_base[*(const size_t *)a], *y = &top_sort_base[*(const size_t *)b];

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* Keeps the 'top' functions with most invocations, in file order. */
static void keep_top(struct az *A, size_t top)
{
	size_t n = A->nfns, i, *ord;
	bool *keep;
	size_t m = 0;

	if (top == 0 || top >= n)
		return;
	ord = xmalloc(n * sizeof *ord);
	keep = xcalloc(n, sizeof *keep);
	for (i = 0; i < n; i++)
		ord[i] = i;
	top_sort_base = A->fns;
	qsort(ord, n, sizeof *ord, by_total);
	for (i = 0; i < top; i++)
		keep[ord[i]] = true;
	for (i = 0; i < n; i++) {
		if (keep[i]) {
			A->fns[m++] = A->fns[i];
		} else {
			int k;

			for (k = 0; k < NKEYS; k++)
				free(A->fns[i].key[k]);
			free(A->fns[i].trigger);
		}
	}
	A->nfns = m;
	free(ord);
	free(keep);
}

static void write_azure_plan(const struct az *A, struct sbuf *p)
{
	const struct import_azure_opts *o = A->o;
	size_t i, nodur = 0, nomem = 0;

	for (i = 0; i < A->nfns; i++) {
		nodur += !A->fns[i].has_dur;
		nomem += !(A->fns[i].has_mem && A->fns[i].mem_mb > 0);
	}
	sbuf_add(p, "# Imported by `costcap trace import --from azure-functions-2019` from\n");
	sbuf_add(p, "#   invocations: ");
	add_comment_text(p, o->invocations);
	sbuf_add(p, "\n#   durations:   ");
	add_comment_text(p, o->durations ? o->durations : "(none)");
	sbuf_add(p, "\n#   memory:      ");
	add_comment_text(p, o->memory ? o->memory : "(none)");
	sbuf_printf(p, "\n# %zu functions, %zu minutes from minute %ld (per-minute buckets).\n",
		    A->nfns, A->nmin, A->first_minute);
	sbuf_add(p, "# memory_mb: the application's average allocated MB, rounded up, held to\n"
		 "# 128..10240 (128 when unknown). duration_ms: p50 = percentile_Average_50,\n"
		 "# p95 interpolated between the 75th and 99th percentiles on a log scale;\n"
		 "# Azure's percentiles are of per-30-second averages, not of single calls.\n"
		 "# invocation: async for timer, queue, event, storage and orchestration\n"
		 "# triggers, sync for http and others.\n");
	if (nodur)
		sbuf_printf(p, "# %zu function%s without duration data: %g ms assumed.\n", nodur,
			    nodur == 1 ? "" : "s", IMPORT_DEFAULT_DURATION_MS);
	if (nomem)
		sbuf_printf(p, "# %zu function%s without memory data: 128 MB assumed.\n", nomem,
			    nomem == 1 ? "" : "s");
	sbuf_add(p, "name: ");
	yaml_quoted(p, o->name ? o->name : "azure-functions-2019");
	sbuf_add(p, "\nmodel: ");
	yaml_quoted(p, o->model ? o->model : "aws/us-east-1");
	sbuf_add(p, "\ntraffic: {trace: ");
	yaml_quoted(p, o->trace_ref ? o->trace_ref : "trace.csv");
	sbuf_add(p, "}\nfunctions:\n");
	for (i = 0; i < A->nfns; i++) {
		const struct fn *f = &A->fns[i];
		double p50, p95;
		int fixed;

		sbuf_printf(p, "  - name: %s  # ", f->name);
		add_comment_text(p, *f->trigger ? f->trigger : "unknown");
		sbuf_add(p, " trigger");
		if (*f->key[K_OWNER])
			sbuf_printf(p, ", owner %.8s", f->key[K_OWNER]);
		if (*f->key[K_APP])
			sbuf_printf(p, ", app %.8s", f->key[K_APP]);
		sbuf_printf(p, ", %" PRIu64 " call%s, line %d\n", f->total, f->total == 1 ? "" : "s",
			    f->line);
		sbuf_printf(p, "    memory_mb: %d\n",
			    import_memory_mb(f->has_mem ? f->mem_mb : NAN));
		if (f->has_dur) {
			fixed = import_duration(f->pct50, f->pct75, f->pct99, &p50, &p95);
		} else {
			p50 = p95 = IMPORT_DEFAULT_DURATION_MS;
			fixed = 1;
		}
		sbuf_add(p, "    duration_ms: ");
		if (fixed) {
			add_ms(p, p50);
		} else {
			sbuf_add(p, "{p50: ");
			add_ms(p, p50);
			sbuf_add(p, ", p95: ");
			add_ms(p, p95);
			sbuf_add(p, "}");
		}
		sbuf_printf(p, "%s\n", f->has_dur ? "" : "  # no duration data: assumed");
		sbuf_printf(p, "    invocation: %s\n", invocation_of(f->trigger));
		sbuf_printf(p, "    traffic: %s\n", f->name);
	}
}

static void az_free(struct az *A)
{
	size_t i;
	int k;

	for (i = 0; i < A->nfns; i++) {
		for (k = 0; k < NKEYS; k++)
			free(A->fns[i].key[k]);
		free(A->fns[i].trigger);
		free(A->fns[i].name);
	}
	free(A->fns);
	free(A->counts);
}

int import_azure(const struct import_azure_opts *o, struct trace **out, struct sbuf *plan,
		 struct err *e)
{
	struct az A;
	struct trace *t;
	const char **names;
	size_t i, m, n;
	int rc = -1;

	*out = NULL;
	memset(&A, 0, sizeof A);
	A.o = o;
	A.e = e;
	if (read_invocations(&A) < 0)
		goto out;
	keep_top(&A, o->top);
	if (o->durations && read_side(&A, o->durations, false) < 0)
		goto out;
	if (o->memory && read_side(&A, o->memory, true) < 0)
		goto out;
	name_functions(&A);
	n = A.nfns;
	if ((uint64_t)n * A.nmin > ((uint64_t)1 << 29)) {
		err_add(e, o->invocations, 0, 0, "%zu functions x %zu minutes is too large a trace; "
			"use --limit or --top", n, A.nmin);
		goto out;
	}
	names = xmalloc(n * sizeof *names);
	for (i = 0; i < n; i++)
		names[i] = A.fns[i].name;
	t = trace_new(n, names, 60);
	free(names);
	trace_set_buckets(t, A.nmin);
	for (i = 0; i < n; i++) {
		const uint32_t *src = A.counts + A.fns[i].row * A.nmin;

		for (m = 0; m < A.nmin; m++)
			t->counts[m * n + i] = src[m];
	}
	trace_update_totals(t);
	write_azure_plan(&A, plan);
	*out = t;
	rc = 0;
out:
	az_free(&A);
	return rc;
}

/* ---- events ----------------------------------------------------------------- */

int import_events(const struct import_events_opts *o, struct trace **out, struct sbuf *plan,
		  struct err *e)
{
	const char *stream = o->stream ? o->stream : "requests";
	const char *fname = o->function ? o->function : stream;
	double mem = o->memory_mb > 0 ? o->memory_mb : 512;
	double p50 = o->p50_ms > 0 ? o->p50_ms : 100, p95 = o->p95_ms > 0 ? o->p95_ms : 300;
	struct trace_stream_stats st;
	struct trace *t;
	char *route;

	*out = NULL;
	if (!import_is_identifier(stream)) {
		struct sbuf shown = {0};

		add_comment_text(&shown, stream);
		err_add(e, NULL, 0, 0, "--stream '%s': a stream name must be a plan identifier "
			"(letters, digits, '_', '.' and '-', not starting with a digit), as the "
			"plan's traffic names it (docs/plan-schema.md, Rates)", shown.buf ? shown.buf : "");
		sbuf_free(&shown);
		return -1;
	}
	if (trace_load_events(o->path, o->column, stream, o->step_s, &t, e) < 0) {
		*out = NULL;
		return -1;
	}
	if (p95 < p50)
		p95 = p50;
	trace_stream_stats(t, 0, &st);
	route = o->route ? xstrdup(o->route) : xasprintf("POST /%s", stream);
	sbuf_add(plan, "# Imported by `costcap trace import --from events` from ");
	add_comment_text(plan, strcmp(o->path, "-") == 0 ? "<stdin>" : o->path);
	sbuf_printf(plan, "\n# (time column: %s): %" PRIu64 " requests over %" PRIu64 " s, %.3f/s "
		    "on average, at most %" PRIu64 " in one %s.\n", o->column ? o->column :
		    "TIMESTAMP or time, else the first", st.total, trace_seconds(t), st.mean_per_s,
		    st.peak_bucket, t->step_s == 1 ? "second" : "bucket");
	sbuf_add(plan, "# One API route and one function. The memory and the duration below are\n"
		 "# assumptions unless given to the importer: edit them.\n");
	sbuf_add(plan, "name: ");
	yaml_quoted(plan, o->name ? o->name : stream);
	sbuf_add(plan, "\nmodel: ");
	yaml_quoted(plan, o->model ? o->model : "aws/us-east-1");
	sbuf_add(plan, "\ntraffic: {trace: ");
	yaml_quoted(plan, o->trace_ref ? o->trace_ref : "trace.csv");
	sbuf_add(plan, "}\napis:\n  - name: api\n    type: ");
	sbuf_add(plan, o->api_type ? o->api_type : "http");
	sbuf_add(plan, "\n    routes:\n      - route: ");
	yaml_quoted(plan, route);
	sbuf_add(plan, "\n        function: ");
	yaml_quoted(plan, fname);
	sbuf_add(plan, "\n        traffic: ");
	yaml_quoted(plan, stream);
	sbuf_add(plan, "\nfunctions:\n  - name: ");
	yaml_quoted(plan, fname);
	sbuf_printf(plan, "\n    memory_mb: %g%s\n", mem, o->memory_mb > 0 ? "" : "  # assumed");
	sbuf_add(plan, "    duration_ms: ");
	if (p95 == p50) {
		add_ms(plan, p50);
	} else {
		sbuf_add(plan, "{p50: ");
		add_ms(plan, p50);
		sbuf_add(plan, ", p95: ");
		add_ms(plan, p95);
		sbuf_add(plan, "}");
	}
	sbuf_printf(plan, "%s\n    invocation: sync\n", o->p50_ms > 0 ? "" : "  # assumed");
	free(route);
	*out = t;
	return 0;
}
