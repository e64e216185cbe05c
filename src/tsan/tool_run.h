/*
 * One bounded run of a program under a race detector (or natively, to compare): started in a
 * process group of its own, its stdout to a temporary file, its stderr read through a pipe (kept
 * up to a limit), killed with its whole group at a time bound or when SIGINT or SIGTERM is
 * caught, and its wall time and peak memory measured. race-check and detectors both run their
 * children through here, so that every child of the lab is bounded the same way.
 */
#ifndef ESPRESSO_TOOL_RUN_H
#define ESPRESSO_TOOL_RUN_H

#include <stdbool.h>
#include <stdio.h>

struct tool_run {
        char *stderr_text;     /* what it wrote to stderr, NUL-terminated (malloc'd) */
        FILE *stdout_copy;     /* what it wrote to stdout, rewound; closed by tool_run_free */
        int status;            /* as waitpid() gives it */
        bool timed_out;        /* still running at the bound: killed */
        bool interrupted;      /* SIGINT or SIGTERM was caught meanwhile: killed */
        double wall_seconds;   /* from start to exit */
        double peak_rss_mib;   /* its largest resident set size, MiB (wait4's ru_maxrss) */
};

/* Runs argv[0] with argv and env (NULL: ours) and waits for it, at most kill_seconds. 0 with
 * *run filled in (a run killed at the bound included), or -1 with why, when it could not start. */
int tool_run(char *const argv[], char *const env[], double kill_seconds, struct tool_run *run,
             char *why, size_t why_size);

void tool_run_free(struct tool_run *run);

/* A copy of our environment with every variable whose name is in `drop` (NULL-terminated list of
 * "NAME=" prefixes) removed and `add` (NULL-terminated) appended. NULL when out of memory; free()
 * the array only (its strings are ours and the caller's). */
char **tool_run_environment(const char *const drop[], char *const add[]);

#endif
