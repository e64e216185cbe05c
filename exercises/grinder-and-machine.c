/*
 * grinder-and-machine — exercise: two locks, and no deadlock.
 *
 * Every barista needs the grinder and the espresso machine for each drink. As handed out, odd
 * and even baristas get hold of them differently, and sooner or later they all wait forever.
 * Make a deadlock impossible, whatever the number of baristas and however they are scheduled,
 * without giving up either lock: both stay, and both are held for the shot. The lab checks that
 * TSan sees no lock-order inversion and no race, and that no run hangs.
 *
 * Check it: espresso-lab check --exercise grinder-and-machine grinder-and-machine.c
 * Stuck? espresso-lab exercise hint grinder-and-machine
 */
#include "scenario.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define GRIND_NS (1000 * 1000) /* a millisecond at the grinder */

static pthread_mutex_t grinder = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t grind_iterations;
/* An odd barista has taken the grinder, then the machine, once. Even baristas start after it, so
 * that TSan has seen one way of taking the two before the other one: a hang on the very first
 * orders would leave it nothing to report. Relaxed: a lock-order check needs no happens-before. */
static atomic_bool grinder_first_seen;

/* Takes one of the two, saying so for the watchdog ("barista 2 holds the espresso machine and
 * waits for the grinder"). */
static void take(struct barista *b, pthread_mutex_t *lock, const char *what)
{
        barista_waits_for(b, what);
        pthread_mutex_lock(lock);
        barista_holds(b, what);
}

static void my_grinder_and_machine_barista(struct barista *b)
{
        bool grinder_first = b->id % 2 == 1;

        if (!grinder_first)
                while (!atomic_load_explicit(&grinder_first_seen, memory_order_relaxed))
                        sched_yield();
        while (barista_take_order(b)) {
                /* YOUR CODE: how a barista gets hold of both the grinder and the machine, with
                 * the grind (busywork_spin) in between. As handed out, odd baristas start with
                 * the grinder and even ones with the machine, then wait for the other one. Change
                 * it so that the baristas can never end up each holding what another waits for.
                 * Keep using take(), so that the watchdog can say who holds what if a run hangs. */
                if (grinder_first) {
                        take(b, &grinder, "the grinder");
                        busywork_spin(grind_iterations);
                        take(b, &machine_lock, "the espresso machine");
                } else {
                        take(b, &machine_lock, "the espresso machine");
                        busywork_spin(grind_iterations);
                        take(b, &grinder, "the grinder");
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

static int my_grinder_and_machine_setup(const struct run_config *config)
{
        (void)config;
        grind_iterations = busywork_iterations_for_ns(GRIND_NS);
        atomic_store(&grinder_first_seen, false);
        return 0;
}

SCENARIO(my_grinder_and_machine_scenario,
         .name = "my-grinder-and-machine",
         .family = FAMILY_DEADLOCK,
         .expect = VERDICT_CLEAN,
         .summary = "Grinder and machine, taken so that no deadlock can form",
         .lesson = "Each barista holds two locks for its shot, yet no circle of waiting can "
                   "form: TSan sees no lock-order inversion, and every run finishes.",
         .setup = my_grinder_and_machine_setup,
         .barista = my_grinder_and_machine_barista,
         .default_orders = 400); /* a millisecond each at the grinder */
