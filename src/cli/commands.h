/* The lab's commands. Each takes its own argv (argv[0] is the command's name) and returns the
 * process's exit code. */
#ifndef ESPRESSO_COMMANDS_H
#define ESPRESSO_COMMANDS_H

#include "harness/run.h"

#include <stdbool.h>

int command_list(int argc, char **argv);
int command_run(int argc, char **argv);
int command_race_check(int argc, char **argv);
int command_demo(int argc, char **argv);
int command_bench(int argc, char **argv);
int command_compare(int argc, char **argv);
int command_explain(int argc, char **argv);
int command_timeline(int argc, char **argv);
int command_check(int argc, char **argv);
int command_detectors(int argc, char **argv);
int command_exercise(int argc, char **argv);
int command_explore(int argc, char **argv);
int command_replay(int argc, char **argv);

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
