/*
 * check-expect: verdict=failed hint=different-locks
 * expect: race (for detectors: what the file is, by the race-check vocabulary)
 * The student gives every barista a mutex of its own (an array indexed by b->id) "so that
 * nobody waits". Each barista excludes only itself: both sides of the race on the machine hold
 * a lock, never the same one.
 */
#include "scenario.h"

#include <pthread.h>

/* Barista ids start at 1. */
static pthread_mutex_t barista_lock[SCENARIO_MAX_BARISTAS + 1];

static int per_barista_setup(const struct run_config *config)
{
        (void)config;
        for (uint32_t i = 0; i <= SCENARIO_MAX_BARISTAS; i++)
                pthread_mutex_init(&barista_lock[i], NULL);
        return 0;
}

static void per_barista_barista(struct barista *b)
{
        pthread_mutex_t *mine = &barista_lock[b->id]; /* no contention: nobody else uses it */

        while (barista_take_order(b)) {
                pthread_mutex_lock(mine);
                machine_pull_shot(b);
                pthread_mutex_unlock(mine);
                barista_serve_drink(b);
        }
}

SCENARIO(per_barista_scenario,
         .name = "student-lock-per-barista",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "Every barista locks a mutex of its own",
         .lesson = "The student believes that holding a lock is what protects the machine.",
         .setup = per_barista_setup,
         .barista = per_barista_barista);
