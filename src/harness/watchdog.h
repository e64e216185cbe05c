/* The watchdog: the harness's side of a run while the baristas work. */
#ifndef ESPRESSO_WATCHDOG_H
#define ESPRESSO_WATCHDOG_H

#include "run.h"

/* What the watch found. */
struct watch_outcome {
        enum run_ending ending;
        int signal;        /* RUN_INTERRUPTED: the signal */
        bool all_joined;   /* every thread was joined: the run's figures can be read */
        uint32_t stuck_count;
        struct stuck_barista stuck[RUN_MAX_STUCK];
        bool deadlocked;   /* every stuck barista waits for what another stuck one holds */
};

/*
 * Watches a run from the start line to the last join: stops a timed run on time, cuts a counted
 * one short at its time bound, stops on SIGINT or SIGTERM, tells the helper when the baristas are
 * done, and shows progress when asked. If no barista serves a drink for stall_limit seconds (the
 * helper's progress counts once the baristas are done), it says on stderr who is stuck, what
 * each holds and waits for where the scenario says, and what the kernel says otherwise, and
 * returns with all_joined false: threads stuck in a lock or a spin cannot be freed. Stopping a
 * run early (cut short, interrupted), it says so in crew->stopping_early, so that nobody waits.
 */
void watchdog_watch(struct crew *crew, const struct run_config *config, double stall_limit,
                    struct watch_outcome *out);

#endif
