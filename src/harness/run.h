/* Running one scenario: start the baristas together, stop them, merge what each saw, check. */
#ifndef ESPRESSO_RUN_H
#define ESPRESSO_RUN_H

#include "kit/scenario.h"
#include "kit/waiter_hold.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Every run ends. The watchdog (watchdog.c) ends a run in which no barista has served a drink for
 * the stall limit: --stall-seconds (default RUN_DEFAULT_STALL_SECONDS), plus ten times the work of
 * one order (--shot-ns, --prep-ns, a shop's drink, a menu's time between changes), all times the
 * slowdown of the tool the lab runs under (RUN_TOOL_SLOWDOWN: ThreadSanitizer's twin is built
 * with its own, and ESPRESSO_TOOL_SLOWDOWN overrides it, for a lab run under Valgrind). A counted
 * run is cut short after --max-seconds (default RUN_DEFAULT_MAX_SECONDS); a timed run ends at its
 * --seconds.
 */
#define RUN_DEFAULT_STALL_SECONDS 2.0
#define RUN_DEFAULT_MAX_SECONDS 60.0
#define RUN_DEFAULT_UPDATES_PER_SEC 100u /* a menu's changes a second (--updates-per-sec) */
#ifndef ESPRESSO_TOOL_SLOWDOWN
#define ESPRESSO_TOOL_SLOWDOWN 1
#endif
#define RUN_TOOL_SLOWDOWN ESPRESSO_TOOL_SLOWDOWN

/* How a run ended. */
enum run_ending {
        RUN_COMPLETED,   /* every order served, or the run's time was up */
        RUN_STALLED,     /* the watchdog ended it: nobody progressed for the stall limit */
        RUN_CUT_SHORT,   /* a counted run stopped at --max-seconds, its orders not all taken */
        RUN_INTERRUPTED, /* stopped by SIGINT or SIGTERM */
};

/* "completed", "stalled", "cut_short", "interrupted" */
const char *run_ending_name(enum run_ending ending);

struct latency_summary {
        bool sampled;   /* false when no order was sampled (fewer than 64 per barista) */
        double p50_ns;  /* median */
        double p99_ns;
        double max_ns;
};

/* A barista the watchdog found stuck, as far as can be told without its cooperation. */
struct stuck_barista {
        uint32_t barista;        /* id; baristas + 1 for the helper */
        uint64_t progress;       /* drinks served (orders placed, changes made) before it stuck */
        const char *holding;     /* what it said it holds, or NULL */
        const char *waiting_for; /* what it said it waits for, or NULL */
        char state[96];          /* what the kernel says it is doing: "asleep in the kernel ..." */
};

#define RUN_MAX_STUCK 16 /* stuck baristas described; the rest are counted */

struct run_result {
        const struct scenario *scenario;
        struct run_config config;
        enum run_ending ended;
        /* false for a stalled run: stuck baristas cannot be joined, and their figures cannot be
         * read while they may still write them. Only drinks (from their heartbeats) and stuck
         * are filled in then. */
        bool measured;
        int signal;                 /* RUN_INTERRUPTED: the signal */
        double stall_limit_seconds; /* what the watchdog allowed this run */
        uint32_t stuck_count;       /* RUN_STALLED: baristas stuck */
        struct stuck_barista stuck[RUN_MAX_STUCK];
        bool deadlocked;            /* RUN_STALLED: each stuck barista waits for what another holds */
        uint64_t orders;            /* orders taken, all baristas */
        uint64_t drinks;            /* drinks served, all baristas */
        uint64_t shots;             /* what the machine's counter says */
        int64_t lost_updates;       /* drinks - shots */
        uint64_t collisions;        /* shots begun while another barista was at the machine */
        double seconds;             /* first barista's start to last barista's end */
        double drinks_per_sec;      /* drinks / seconds */
        double ns_per_drink;        /* seconds / drinks, in ns */
        struct latency_summary wait; /* wanting the machine to getting it */
        struct latency_summary hold; /* getting the machine to being done with it */
        double fairness;            /* Jain's index over baristas' shares, 1 = perfectly fair */
        double contended;           /* fraction of acquisitions that waited; NAN if not told */
        double ctx_switches_per_drink; /* voluntary + involuntary */
        uint64_t ctx_voluntary;     /* context switches: blocked (e.g. parked on a futex) */
        uint64_t ctx_involuntary;   /* context switches: preempted */
        double cores_used;          /* the baristas' CPU time / seconds */
        double sequential_seconds;  /* shop: every drink one after another; 0 otherwise */
        double speedup;             /* shop: sequential_seconds / seconds */
        uint64_t queue_capacity;    /* orders the queue holds; 0 when no queue */
        uint64_t torn_reads;        /* menu reads that mixed two versions */
        double reads_per_sec;       /* menu reads (one per order); NAN without a menu */
        uint64_t menu_updates;      /* changes the manager made */
        struct latency_summary update; /* the manager's time to make one change */
        struct waiter_hold_tally held; /* --hold-waiter: what holding barista 1 showed */
        bool invariants_held;
        char broken_invariant[192]; /* the first one that broke, for people; "" when held */
};

/* Runs scenario s as config says. Returns 0, or a negative errno when the run could not start
 * (the scenario's setup failed, no memory, no threads); *result is then untouched. After a
 * stalled run (result->measured false) stuck threads are still running: the process must end
 * without returning from main (run_exit_stuck), as their scenario's state cannot be released. */
int run_scenario(const struct scenario *s, const struct run_config *config,
                 struct run_result *result);

/* The same, timing every order into lanes[] (one per barista, run_baristas() of them, each with
 * room for its quota: counted runs only), for a timeline (src/timeline). */
struct timeline_lane;
int run_scenario_recorded(const struct scenario *s, const struct run_config *config,
                          struct run_result *result, struct timeline_lane *lanes);

/* How many baristas a run of s as config says has: one for a one-worker scenario. */
uint32_t run_baristas(const struct scenario *s, const struct run_config *config);

/* The watchdog's limit for a run of s as config says, in seconds. */
double run_stall_limit_seconds(const struct scenario *s, const struct run_config *config);

/* Ends the process with exit code after a stalled run, flushing what was printed but running
 * no exit handlers: a library's destructor could wait for a stuck thread. */
__attribute__((noreturn)) void run_exit_stuck(int code);

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

/* The exit code of a run, as above. */
int run_exit_code(const struct run_result *r);

#endif
