/*
 * deadlock-ordered — the fix for deadlock: every barista takes the grinder first, then the
 * espresso machine.
 *
 * With one global order no cycle of waiting can form: whoever holds the machine already holds
 * the grinder, so nobody holding the grinder can be waiting for them.
 */
#include "scenario.h"

#include <pthread.h>

#define GRIND_NS (1000 * 1000) /* a millisecond at the grinder, as in deadlock */

static pthread_mutex_t grinder = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t grind_iterations;

static int deadlock_ordered_setup(const struct run_config *config)
{
        (void)config;
        grind_iterations = busywork_iterations_for_ns(GRIND_NS);
        return 0;
}

static void take(struct barista *b, pthread_mutex_t *lock, const char *what)
{
        barista_waits_for(b, what);
        pthread_mutex_lock(lock);
        barista_holds(b, what);
}

static void deadlock_ordered_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                take(b, &grinder, "the grinder"); /* always first */
                busywork_spin(grind_iterations);
                take(b, &machine_lock, "the espresso machine");
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                pthread_mutex_unlock(&grinder);
                barista_holds(b, NULL);
                barista_serve_drink(b);
        }
}

SCENARIO(deadlock_ordered_scenario,
         .name = "deadlock-ordered",
         .family = FAMILY_DEADLOCK,
         .expect = VERDICT_CLEAN,
         .summary = "Grinder, then machine, for everyone: no deadlock",
         .lesson = "A global lock order breaks every cycle of waiting: the grinder always comes "
                   "before the machine. TSan sees no inversion, and every run finishes.",
         .twins = { "deadlock" },
         .setup = deadlock_ordered_setup,
         .barista = deadlock_ordered_barista,
         .default_orders = 400); /* a millisecond each at the grinder */
