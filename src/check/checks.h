/*
 * check: what the lab says of a student's scenario file. It builds the file (student_build.h),
 * then runs every check on each scenario in it, each run in a box (sandbox.h):
 *   - ThreadSanitizer: CHECK_TSAN_RUNS runs, each the size of race-check's own;
 *   - stress: a timed native run at 1, 2, the core count and twice the core count baristas, its
 *     invariants checked (no lost shot, no collision, every order served once);
 *   - explore: CHECK_EXPLORE_BUDGET controlled schedules (explore.h), one barista at a time: a
 *     schedule that breaks an invariant is printed with the replay command that shows it;
 *   - the watchdog in every run: a hang or a deadlock is a finding, never a hung check;
 *   - an exercise's own goals (exercises.h), against the lab's reference scenario.
 * The file passes only if every check passes. Then hints.h says what to look at.
 */
#ifndef ESPRESSO_CHECKS_H
#define ESPRESSO_CHECKS_H

#include "exercises.h"
#include "sandbox.h"
#include "student_build.h"
#include "tsan/tsan_report.h"

#include <stdbool.h>
#include <stdint.h>

#define CHECK_TSAN_RUNS 5          /* race-check makes 1 */
#define CHECK_STRESS_SECONDS 0.5   /* each native stress run */
#define CHECK_EXPLORE_BUDGET 200   /* schedules explored: a clean search takes a few seconds */
#define CHECK_MAX_ITEMS 24
#define CHECK_MAX_SCENARIOS 4      /* checked in one file; a file usually has one */
#define CHECK_MAX_HINTS 4
/* A run that stalls with this much memory was not stuck but allocating without end: a
 * scenario's run needs some 20 MiB (natively and under TSan, measured), and on a slow machine
 * the watchdog may end the run before the memory limit does. */
#define CHECK_MEMORY_GREW_BYTES (256ull << 20)

/* One check, as printed: "ThreadSanitizer, 5 runs   FAIL   data race in 5 of 5 runs ...". */
struct check_item {
        char name[48];
        bool passed;
        char evidence[384];
        double seconds;
};

/* A TSan report's two accesses, as lines of the student's file. */
struct check_access {
        char what[64];      /* "Write of size 8", "Previous read of size 8" */
        char thread[32];    /* "T2" */
        char mutexes[128];  /* the mutexes its thread held, "" if none */
        unsigned line;      /* in the student's file; 0 when not in it */
        char code[160];     /* that line, trimmed */
        char where[256];    /* TSan's file:line, when not in the student's file */
};

/* What the runs showed, for the hints. */
struct check_evidence {
        unsigned tsan_runs, tsan_runs_reported;
        bool race;                  /* a data race was reported */
        bool lock_order;            /* a lock-order inversion */
        bool mutex_misuse;          /* a double lock, an unlock of a free mutex */
        char kind[64];              /* of the first report */
        char variable[128];         /* its variable: "espresso_machine.shots", "global 'special'" */
        bool on_machine;            /* that variable is the machine's */
        unsigned accesses;
        struct check_access access[TSAN_MAX_ACCESSES];
        uint64_t lost_updates, collisions; /* summed over the stress runs */
        bool orders_broken;         /* an order lost or served twice, a torn read, ... */
        char explored[32];          /* what a controlled schedule broke ("lost-shot"), or "" */
        char schedule[1024];        /* that schedule, for replay (explore.h's SCHEDULE_TEXT_MAX) */
        char broken[192];           /* the first broken invariant, as the run said it */
        bool stalled;               /* a watchdog ended a run */
        uint32_t stalled_baristas;  /* the fewest baristas a run stalled with */
        char stuck_state[128];      /* what the first stuck barista was doing */
        bool stuck_spinning;        /* running, but serving nothing */
        uint64_t peak_memory_bytes; /* the most resident memory a run had */
        int crash_signal;           /* a run died of this signal (SIGSEGV...), or 0 */
        enum sandbox_ending contained; /* a box had to end a run (not SANDBOX_EXITED) */
        char contained_how[256];
        bool uses_atomics;          /* the file uses C11 or builtin atomics */
        bool has_mutex;             /* the file locks a pthread mutex */
        /* An exercise's goals. */
        bool forbidden_call;
        char forbidden_symbol[64];
        bool unfair;
        bool busy_machine;          /* a goal could not be judged: other work had the CPUs */
        bool sanitized_build;       /* ... nor here: sanitizers' overhead skews what it measures */
        bool slow_reads;
};

enum check_verdict {
        CHECK_PASSED,
        CHECK_FAILED,
        CHECK_DOES_NOT_COMPILE,
        CHECK_ERROR, /* could not be checked: no kit, no compiler (why) */
};

struct check_hint {
        const char *id;   /* "lost-update", "check-then-act", ... (hints.h) */
        char text[400];
};

struct check_result {
        const char *file;
        enum check_verdict verdict;
        char scenarios[CHECK_MAX_SCENARIOS][64];
        unsigned scenario_count;
        unsigned items;
        struct check_item item[CHECK_MAX_ITEMS];
        struct check_evidence evidence;
        unsigned hints;
        struct check_hint hint[CHECK_MAX_HINTS];
        char compiler_output[STUDENT_COMPILER_OUTPUT_MAX];
        char why[512];
        const struct exercise *exercise; /* --exercise, or NULL */
        double seconds;
};

struct check_settings {
        const struct kit *kit;
        const struct exercise *exercise; /* or NULL */
        bool progress;                   /* show progress on stderr (a terminal) */
        unsigned cores;                  /* the stress runs' core count */
        bool native_sanitized;           /* the kit's native build has sanitizers (no RLIMIT_AS) */
};

/* Checks one file. Never fails as a call: trouble is in result->verdict and result->why. */
void check_file(const char *file, const struct check_settings *settings, struct check_result *result);

/* "passed", "failed", "does not compile", "error" */
const char *check_verdict_name(enum check_verdict v);

/* The bound on one file's check, in seconds: every build and run at its wall-clock limit. */
double check_worst_case_seconds(const struct check_settings *settings);

/* How the runs are boxed on this machine: "cgroup v1 (pids, memory), as nobody". */
const char *check_sandbox_description(void);

#endif
