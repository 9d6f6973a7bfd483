/* cmd: the subcommands main.c dispatches to. Each takes the arguments after
 * its own name and returns the process exit status (DESIGN §8). */
#ifndef COSTCAP_CMD_H
#define COSTCAP_CMD_H

enum exit_code { EXIT_OK = 0, EXIT_CHECK_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

struct err;

/* Prints every diagnostic in 'e' as "costcap: FILE:LINE:COL: message" on
 * standard error, empties 'e' and returns EXIT_USAGE (cmd_common.c). */
int cmd_print_errors(struct err *e);

int cmd_report(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_tui(int argc, char **argv);
int cmd_advise(int argc, char **argv);

#endif
