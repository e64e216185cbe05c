/*
 * deadlock — two baristas need the grinder and the espresso machine, and take them in opposite
 * orders.
 *
 * Odd baristas take the grinder, grind, then want the machine; even baristas, who start once an
 * odd one has served a drink, take the machine, then want the grinder. Soon each holds what the
 * other waits for, and both wait forever. ThreadSanitizer reports the lock-order inversion from
 * the orders it has seen, before anything hangs; the run that does hang is ended by the
 * harness's watchdog, which says who holds what.
 */
#include "scenario.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define GRIND_NS (1000 * 1000) /* a millisecond at the grinder */

static pthread_mutex_t grinder = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t grind_iterations;
/* An odd barista has taken the grinder, then the machine, once. Even baristas start after it,
 * so TSan has seen the grinder-first order before the machine-first one can close the cycle:
 * a deadlock on the very first orders would leave it nothing to report. Relaxed: a lock-order
 * check needs no happens-before. */
static atomic_bool grinder_first_seen;

/* Takes one of the two, saying so for the watchdog. */
static void take(struct barista *b, pthread_mutex_t *lock, const char *what)
{
        barista_waits_for(b, what);
        pthread_mutex_lock(lock);
        barista_holds(b, what);
}

static void deadlock_barista(struct barista *b)
{
        bool grinder_first = b->id % 2 == 1;

        if (!grinder_first)
                while (!atomic_load_explicit(&grinder_first_seen, memory_order_relaxed))
                        sched_yield();
        while (barista_take_order(b)) {
                if (grinder_first) {
                        take(b, &grinder, "the grinder");
                        busywork_spin(grind_iterations);
                        take(b, &machine_lock, "the espresso machine");
                } else {
                        take(b, &machine_lock, "the espresso machine"); /* the bug: this first, */
                        busywork_spin(grind_iterations);
                        take(b, &grinder, "the grinder"); /* the bug: then the grinder */
                }
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                pthread_mutex_unlock(&grinder);
                barista_holds(b, NULL);
                barista_serve_drink(b);
                if (grinder_first)
                        atomic_store_explicit(&grinder_first_seen, true, memory_order_relaxed);
        }
}

static int deadlock_setup(const struct run_config *config)
{
        (void)config;
        grind_iterations = busywork_iterations_for_ns(GRIND_NS);
        atomic_store(&grinder_first_seen, false);
        return 0;
}

SCENARIO(deadlock_scenario,
         .name = "deadlock",
         .family = FAMILY_DEADLOCK,
         .expect = VERDICT_DEADLOCK,
         .summary = "Grinder and machine taken in opposite orders: a deadlock",
         .lesson = "Each lock alone is used correctly, yet two baristas taking them in opposite "
                   "orders can each hold what the other waits for. TSan reports the lock-order "
                   "inversion whether or not this run hangs; the watchdog ends a run that does. "
                   "The fix: one global order (deadlock-ordered).",
         .twins = { "deadlock-ordered" },
         .setup = deadlock_setup,
         .barista = deadlock_barista,
         .default_orders = 400);
