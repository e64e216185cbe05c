/* The lab's commands. Each takes its own argv (argv[0] is the command's name) and returns the
 * process's exit code. */
#ifndef ESPRESSO_COMMANDS_H
#define ESPRESSO_COMMANDS_H

#include <stdbool.h>

/* How the lab's processes end. A run interrupted by SIGINT or SIGTERM ends with 128 + the signal
 * (130, 143), as a shell reports it. When several apply, the first in this order wins: stalled,
 * interrupted, a failed check, cut short. */
enum exit_code {
        EXIT_OK = 0,
        EXIT_CHECK_FAILED = 1, /* an invariant broke, a verdict mismatched, a check could not run */
        EXIT_USAGE = 2,        /* bad command line */
        EXIT_STALLED = 3,      /* the watchdog ended a run: no barista progressed */
        EXIT_CUT_SHORT = 4,    /* a counted run was stopped at its time bound (--max-seconds) */
};

struct run_result;

/* The exit code of a run, as above. */
int run_exit_code(const struct run_result *r);

int command_list(int argc, char **argv);
int command_run(int argc, char **argv);
int command_race_check(int argc, char **argv);
int command_demo(int argc, char **argv);
int command_bench(int argc, char **argv);
int command_compare(int argc, char **argv);
int command_explain(int argc, char **argv);
int command_timeline(int argc, char **argv);

/* One line on stderr, "espresso-lab: <message>", and EXIT_USAGE. */
int usage_failure(const char *message);

/* "unknown scenario 'x' (see 'espresso-lab list')" as a usage failure. */
int unknown_scenario(const char *name);

/* What --help prints for command ("" for the lab itself). */
const char *command_help(const char *command);

/* Handles a parse_*_options() result: true to go on; false when the command is over (help was
 * printed, or a usage error reported), with *exit_code set. */
bool command_parsed(int parse_rc, const char *command, const char *err, int *exit_code);

#endif
