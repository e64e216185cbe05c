/* Running one scenario: start the baristas together, stop them, merge what each saw, check. */
#ifndef ESPRESSO_RUN_H
#define ESPRESSO_RUN_H

#include "scenario.h"

#include <stdbool.h>
#include <stdint.h>

struct latency_summary {
        bool sampled;   /* false when no order was sampled (fewer than 64 per barista) */
        double p50_ns;  /* median */
        double p99_ns;
        double max_ns;
};

struct run_result {
        const struct scenario *scenario;
        struct run_config config;
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
        bool invariants_held;
        char broken_invariant[192]; /* the first one that broke, for people; "" when held */
};

/* Runs scenario s as config says. Returns 0, or a negative errno when the run could not start
 * (the scenario's setup failed, no memory, no threads); *result is then untouched. */
int run_scenario(const struct scenario *s, const struct run_config *config,
                 struct run_result *result);

/* The same, timing every order into *timeline (one lane per barista; counted runs only, as the
 * lanes have room for each barista's quota). Release it with timeline_release(), also after a
 * failed run. */
struct timeline;
int run_scenario_timeline(const struct scenario *s, const struct run_config *config,
                          struct run_result *result, struct timeline *timeline);

/* Pins the calling thread to CPU index mod the CPUs this process may use (what --pin does to
 * barista i with index i - 1). */
void pin_to_cpu(uint32_t index);

#endif
