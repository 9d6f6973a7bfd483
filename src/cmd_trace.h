/* cmd_trace: `costcap trace show|gen|import|convert` (DESIGN §5,
 * docs/traces.md). The work is done in core/trace, core/tracegen,
 * io/trace_csv and io/trace_import; this file parses arguments, writes
 * outputs atomically and prints diagnostics. */
#ifndef COSTCAP_CMD_TRACE_H
#define COSTCAP_CMD_TRACE_H

/* Runs `costcap trace ...`; argv[0] is the first argument after "trace".
 * Returns the exit status: 0 ok, 2 bad usage or input, 3 internal. */
int cmd_trace(int argc, char **argv);

#endif
