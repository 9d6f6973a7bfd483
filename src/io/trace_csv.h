/* trace_csv: reads traces from CSV (DESIGN §5, docs/traces.md) and writes
 * them back. Three forms are read, told apart by the header:
 *
 *   long   time,stream,count       one row per bucket and stream
 *   wide   time,<stream>,...        one row per bucket, a column per stream
 *   event  time (header optional)   one row per request; counted per second
 *
 * Times are ISO 8601 UTC or numbers of seconds from the start (minutes or
 * hours when the time column is named so). The bucket width is inferred
 * from the times or forced. The reader is built for large files: the file
 * is mapped (or read in 1 MB blocks from a pipe) and parsed in place by
 * hand, with no allocation per row or field; plain rows of the wide form
 * take a quick path, and a large wide file is read on two threads when
 * two processors are online (trace_csv_threads). Every problem found is
 * reported with FILE:LINE:COL (up to TRACE_CSV_MAX_ERRORS of them), in
 * file order, the same with one thread or two.
 *
 * The line reader and the number and time parsers are exported for the
 * importers (io/trace_import). */
#ifndef COSTCAP_IO_TRACE_CSV_H
#define COSTCAP_IO_TRACE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "../core/trace.h"

struct sbuf;

#define TRACE_CSV_MAX_ERRORS 20		/* diagnostics per file before giving up */
#define TRACE_CSV_MAX_LINE (1u << 20)	/* longest line accepted, bytes */
/* Largest trace accepted (buckets x streams), about 2 GB of counts. */
#define TRACE_CSV_MAX_CELLS ((uint64_t)1 << 29)
/* Longest trace accepted, in buckets (463 days of 1-second buckets, more
 * than the simulator's 400-day window): a few rows far apart in time,
 * or a 12-byte event file ("0\n0.2\n429496729\n"), would otherwise take
 * gigabytes and seconds to expand into buckets. */
#define TRACE_CSV_MAX_BUCKETS ((uint64_t)40000000)

/* Threads the wide form's reader may use: 0 (the default) two for data
 * of 4 MB or more when two processors are online, 1 one, 2 two for any
 * data of more than one line, the second thread always reading its whole
 * part (for tests, which compare with one). The trace and the messages
 * are the same in every case. Set it before loading, not while a load
 * runs. */
extern int trace_csv_threads;

/* Whether runs of plain rows may be read with AVX2 where the CPU has it
 * (true by default; tests turn it off to compare with the row-by-row
 * reading). The trace and the messages are the same either way. Set it
 * before loading, not while a load runs. */
extern bool trace_csv_block_rows;

/* Loads a trace from 'path' ("-" reads standard input, named "<stdin>" in
 * messages). step_override > 0 forces the bucket width in seconds: rows
 * are then placed in bucket floor((time - first time) / step) and rows
 * falling in one bucket are added up (so a per-second file can be read
 * per minute). 0 infers the width: the smallest gap between distinct
 * times, which must be a whole number of seconds that divides every gap
 * (event form: 1 s). Returns 0 with a new trace in *out (free with
 * trace_free), or -1 with every problem (up to TRACE_CSV_MAX_ERRORS)
 * appended to 'e' and *out = NULL. */
int trace_load(const char *path, uint32_t step_override, struct trace **out, struct err *e);

/* Reading a wide trace while it is replayed (DESIGN: streaming). A large
 * regular file of one row a second (the header names its streams plainly;
 * the first and last rows are a whole number of seconds apart) is read on
 * a thread of its own, its rows handed over through a feed (trace.h) in
 * blocks of 'block' rows, so that the replay starts at once and the
 * trace is never held whole. trace_stream_open returns 1 with *out the
 * promised trace (streams, buckets and start from the header and the
 * first and last rows; no counts: replay it through a spreader, in order)
 * and *st the reader; 0 when the file is not such (then load it with
 * trace_load). trace_stream_finish waits for the reader and says whether
 * the file is the trace promised, read without a problem: only then is
 * a replay of *out the replay of trace_load's trace; otherwise drop the
 * replay and load the file with trace_load, which reports the problems.
 * After it, *out has no counts and no feed (its totals are set when it
 * returned true); free it with trace_free, and st with trace_stream_free.
 * Files smaller than trace_stream_min bytes (4 MB) are not streamed. */
struct trace_stream;
extern size_t trace_stream_min;
/* The reader lets go of the text it has read this many bytes at a time
 * (16 MB; tests make it small), so that the process's memory does not
 * grow with the file. */
extern size_t trace_stream_drop;
int trace_stream_open(const char *path, uint32_t step, size_t block, struct trace **out,
		      struct trace_stream **st);
bool trace_stream_finish(struct trace_stream *st);
void trace_stream_free(struct trace_stream *st);

/* Loads an event file: one row per request, the request time in the
 * column named 'column' (NULL: the column named TIMESTAMP, time or
 * timestamp in any case, else the first column; a file without a header
 * must then have a single column). Other columns are ignored. Arrivals
 * are counted per bucket of 'step_s' seconds (0 means 1) into one stream
 * named 'stream' ("requests" when NULL); buckets are aligned to multiples
 * of the step counted from the UTC midnight of the first time (ISO times)
 * or from time 0 (relative times). Same ownership and errors as
 * trace_load. */
int trace_load_events(const char *path, const char *column, const char *stream,
		      uint32_t step_s, struct trace **out, struct err *e);

/* Appends 't' as CSV to 'out': wide form (time,<stream>,...) when 'wide',
 * else long form (time,stream,count) written sparsely: every stream in the
 * first bucket, then only non-zero counts, plus a zero row for the first
 * stream in a bucket that would otherwise be absent, so that loading the
 * file back gives the same trace. Times are ISO 8601 UTC when the trace
 * has a start (start_epoch), else seconds from the start. Returns 0. */
int trace_write_csv(const struct trace *t, struct sbuf *out, bool wide);

/* Appends a human-readable summary of 't' to 'out' (for `trace show`):
 * streams, bucket width, window, and per stream the total, the mean rate,
 * the busiest bucket and the peak per second when spread evenly. 'name'
 * is the file name shown in the first line. */
void trace_summary_text(const struct trace *t, const char *name, struct sbuf *out);

/* ---- helpers shared with the importers --------------------------------- */

/* An input file held in memory, read line by line. */
struct trace_csv_reader {
	const char *name;	/* for diagnostics (owned copy) */
	const char *data, *pos, *end;
	int line;		/* line number of the line last returned */
	struct err *e;
	size_t nerr;		/* diagnostics added by this reader */
	bool stopped;		/* too many errors: stop reading */
	void *map;		/* mmap'ed region, or NULL */
	size_t maplen;
	char *buf;		/* or a malloc'ed copy of standard input */
	char *owned_name;
};

/* Opens 'path' ("-" for standard input). Regular files are mapped; pipes
 * are read in 1 MB blocks. A leading UTF-8 byte order mark is skipped.
 * Returns 0, or -1 with a diagnostic (missing, unreadable, a directory,
 * empty). Close with trace_csv_close in both cases. */
int trace_csv_open(struct trace_csv_reader *r, const char *path, struct err *e);
void trace_csv_close(struct trace_csv_reader *r);

/* Stores the next line that is not blank and not a '#' comment in
 * [*b, *le) (without its CR LF or LF) and returns true; false at the end
 * of the data or once TRACE_CSV_MAX_ERRORS were reported. Lines longer
 * than TRACE_CSV_MAX_LINE are reported and skipped. */
bool trace_csv_next_line(struct trace_csv_reader *r, const char **b, const char **le);

/* Reports a problem at 'at' in the line starting at 'lb' (column =
 * at - lb + 1). Stops the reader after TRACE_CSV_MAX_ERRORS. */
void trace_csv_error(struct trace_csv_reader *r, const char *lb, const char *at,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Splits the field starting at 'p' (before 'le'): stores its text in
 * [*fb, *fe) without surrounding blanks or double quotes, and returns
 * where the next field starts (after the comma), or 'le' for the last
 * field. *more tells whether a comma followed. */
const char *trace_csv_field(const char *p, const char *le, const char **fb, const char **fe,
			    bool *more);

/* The same, and *quoted tells whether the field was in double quotes. In
 * a quoted field a doubled quote stands for one quote (RFC 4180: the
 * field "x""y" is x"y); [*fb, *fe) still holds the doubled form, which
 * trace_csv_strdup turns into the text. */
const char *trace_csv_field_q(const char *p, const char *le, const char **fb, const char **fe,
			      bool *more, bool *quoted);

/* A new string with the text of the field [fb, fe): each "" read as one "
 * when 'quoted'. Stores its length in *len unless len is NULL. */
char *trace_csv_strdup(const char *fb, const char *fe, bool quoted, size_t *len);

/* Outcome of parsing a count. */
enum trace_num {
	TRACE_NUM_OK, TRACE_NUM_EMPTY, TRACE_NUM_NEGATIVE, TRACE_NUM_FRACTION,
	TRACE_NUM_OVERFLOW, TRACE_NUM_NUL, TRACE_NUM_INVALID
};
/* Parses a count in [b, e): plain decimal digits, optionally followed by
 * a point and zeros ("12", "12.0"); anything else is classified. */
enum trace_num trace_parse_count(const char *b, const char *e, uint64_t max, uint64_t *out);
/* A message for a classified count (the field text is quoted in it). */
void trace_num_message(struct sbuf *msg, enum trace_num k, const char *b, const char *e,
		       uint64_t max);

/* Time of a row: nanoseconds since 1970 UTC (absolute) or since time 0. */
struct trace_time {
	int64_t ns;
	bool absolute;
};
/* Parses an ISO 8601 UTC time ("2026-11-01T00:00:00Z", a space instead
 * of T, fractional seconds, "Z", "+00:00" or no offset; a date alone is
 * midnight) or a non-negative decimal number of units of 'unit_s' seconds
 * (1, 60 or 3600). Returns 0, or -1 with a reason in *why (a static
 * string). */
int trace_parse_time(const char *b, const char *e, uint32_t unit_s, struct trace_time *out,
		     const char **why);

/* Formats epoch seconds as "YYYY-MM-DDTHH:MM:SSZ" into buf (>= 32 bytes). */
void trace_format_iso(int64_t epoch_s, char *buf);

#endif
