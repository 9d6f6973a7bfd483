/* Fuzzes the trace reader. One harness source serves three targets,
 * chosen at compile time with -DTRACE_FORM=0/1/2: long, wide and event
 * form. The first input byte is a control byte: bit 0 set prepends the
 * form's header (so the fuzzer spends its time on rows), bits 1-7 pick
 * the --step override. The rest is the CSV. A loaded trace is written
 * back as CSV, loaded again, and must give the same counts. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "core/err.h"
#include "core/trace.h"
#include "core/util.h"
#include "io/trace_csv.h"

#ifndef TRACE_FORM
#define TRACE_FORM 0
#endif

static const char *const headers[] = {"time,stream,count\n", "time,a,b,c\n", "time\n"};
static const uint32_t steps[] = {0, 0, 0, 0, 1, 1, 2, 5, 10, 60, 300, 3600, 86400, 7};

static struct trace *load(const char *path, uint32_t step, struct err *e)
{
	struct trace *t = NULL;
	int rc;

	if (TRACE_FORM == 2)
		rc = trace_load_events(path, NULL, NULL, step, &t, e);
	else
		rc = trace_load(path, step, &t, e);
	if (rc == 0 && !t)
		abort();
	if (rc < 0 && (t || e->n == 0))
		abort();
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = {0};
	struct sbuf buf = {0};
	struct trace *t, *t2;
	const char *path;
	uint32_t step;
	unsigned ctl;

	if (size < 1)
		return 0;
	ctl = data[0];
	step = steps[(ctl >> 1) % (sizeof steps / sizeof steps[0])];
	if (ctl & 1)
		sbuf_add(&buf, headers[TRACE_FORM]);
	sbuf_addn(&buf, (const char *)data + 1, size - 1);
	path = fuzz_file((const uint8_t *)buf.buf, buf.len);
	sbuf_free(&buf);
	if (!path)
		return 0;
	t = load(path, step, &e);
	err_clear(&e);
	/* The round trip writes a line per bucket: a 30-byte event file
	 * spanning 300 days is 26 million lines, slow but not a bug. */
	if (t && t->nbuckets * (t->nstreams ? t->nstreams : 1) > ((size_t)1 << 20)) {
		trace_free(t);
		t = NULL;
	}
	if (t) {
		struct sbuf out = {0}, sum = {0};

		trace_summary_text(t, "fuzz.csv", &sum);
		sbuf_free(&sum);
		trace_write_csv(t, &out, (ctl & 2) != 0);
		path = fuzz_file((const uint8_t *)out.buf, out.len);
		sbuf_free(&out);
		/* Round trip: what we write, we read back unchanged. */
		t2 = NULL;
		if (path && trace_load(path, t->step_s, &t2, &e) == 0) {
			if (t2->nstreams != t->nstreams || t2->nbuckets != t->nbuckets ||
			    memcmp(t2->counts, t->counts,
				   t->nbuckets * t->nstreams * sizeof *t->counts) != 0)
				abort();
		}
		trace_free(t2);
		err_clear(&e);
		trace_free(t);
	}
	fuzz_file_close();
	return 0;
}
