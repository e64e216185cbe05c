/*
 * A box for untrusted code: runs one program (the compiler on a student's file, or the lab built
 * from it) in a child process with limits, captures what it prints, and makes sure that nothing
 * it started outlives it.
 *
 * What holds it, and why each piece:
 *   - its own process group, no core dumps, RLIMIT_CPU and RLIMIT_FSIZE: the usual;
 *   - a wall clock: a program that sleeps uses no CPU, so the CPU limit alone would wait forever;
 *   - the number of processes: RLIMIT_NPROC does not bind root, so a box started as root drops to
 *     the unprivileged user "nobody" first (then it does), and where the lab may make a cgroup
 *     (v2 with the pids controller, or v1's pids hierarchy) it also sets pids.max;
 *   - memory: RLIMIT_AS would stop a ThreadSanitizer binary at start-up (its shadow memory is a
 *     reservation of terabytes), so only a native run gets it. Every box is also watched: the
 *     resident memory of everything in it is summed every 50 ms, and a cgroup's
 *     memory limit is set where one can be made;
 *   - output: each stream is captured up to a cap; a program that writes more is flooding;
 *   - leftovers: the lab is a child subreaper, so a process that escapes the group (setsid, a
 *     double fork) is re-parented to the lab, which kills it with the rest when the box ends.
 * A machine without cgroups gets all of this but pids.max and the memory cgroup: the process
 * limit then rests on RLIMIT_NPROC and the memory limit on the watch.
 */
#ifndef ESPRESSO_SANDBOX_H
#define ESPRESSO_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sandbox_limits {
        double wall_seconds;    /* killed after this long, whatever it does */
        double cpu_seconds;     /* RLIMIT_CPU, summed over its threads */
        uint64_t memory_bytes;  /* resident memory of the whole box */
        bool limit_address_space; /* also RLIMIT_AS at memory_bytes x 4 (not for TSan) */
        uint64_t file_bytes;    /* RLIMIT_FSIZE: the largest file it may write */
        unsigned processes;     /* tasks (processes and threads) it may have at once */
        size_t output_bytes;    /* of stdout and of stderr each; more is a flood */
        bool unprivileged;      /* when the lab runs as root, run the box as "nobody" */
};

enum sandbox_ending {
        SANDBOX_EXITED,     /* it returned: exit_code */
        SANDBOX_SIGNALED,   /* a signal ended it (not ours): signal */
        SANDBOX_WALL_TIME,  /* still running at wall_seconds: killed */
        SANDBOX_CPU_TIME,   /* used cpu_seconds of CPU: SIGXCPU */
        SANDBOX_MEMORY,     /* over memory_bytes: killed */
        SANDBOX_OUTPUT,     /* wrote more than output_bytes: killed */
        SANDBOX_PROCESSES,  /* tried to have more than `processes` tasks: killed */
        SANDBOX_NOT_STARTED, /* could not be started: why */
};

struct sandbox_result {
        enum sandbox_ending ending;
        int exit_code;          /* SANDBOX_EXITED */
        int signal;             /* SANDBOX_SIGNALED */
        char *out;              /* what it wrote to stdout, NUL-terminated (the caller frees) */
        size_t out_len;
        char *err;              /* and to stderr */
        size_t err_len;
        double seconds;         /* wall clock */
        uint64_t peak_memory_bytes; /* the most resident memory seen at once */
        unsigned peak_tasks;    /* the most tasks seen at once */
        unsigned leftovers_killed; /* processes still there after it ended, killed */
        char why[256];          /* SANDBOX_NOT_STARTED */
};

/* What a box has on this machine: "cgroup v1 (pids, memory), as nobody", for the output. */
const char *sandbox_describe(const struct sandbox_limits *limits);

/* Runs argv[0] (a path) with argv and envp, in dir, within limits. 0 with *result filled in
 * (however the program ended), or -errno when the box could not be set up (result->why). The
 * caller frees result->out and result->err with sandbox_result_free(). Must not be called from
 * two threads at once. */
int sandbox_run(char *const argv[], char *const envp[], const char *dir,
                const struct sandbox_limits *limits, struct sandbox_result *result);

void sandbox_result_free(struct sandbox_result *result);

/* "exited 0", "killed after 20 s of wall-clock time", ... */
void sandbox_describe_ending(const struct sandbox_result *result, const struct sandbox_limits *limits,
                             char *out, size_t size);

/* The unprivileged user a box runs as when the lab is root, and whether it is used: the files the
 * box needs must be readable by it (check gives it the temporary directory). */
bool sandbox_drops_privileges(const struct sandbox_limits *limits, unsigned *uid, unsigned *gid);

#endif
