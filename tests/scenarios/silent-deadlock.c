/*
 * silent-deadlock — used only by the tests: two baristas take two mutexes in opposite orders on
 * their very first order, and say nothing to the watchdog about what they hold.
 *
 * Each takes its first mutex, then waits (relaxed: no happens-before) until the other has taken
 * its own, then asks for the other's: a deadlock in every run. It happens before either barista
 * ever held both, so ThreadSanitizer has no lock order to report.
 */
#include "scenario.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

static pthread_mutex_t grinder = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint holding_one; /* baristas holding their first mutex */

static void silent_deadlock_barista(struct barista *b)
{
        bool grinder_first = b->id % 2 == 1;
        pthread_mutex_t *first = grinder_first ? &grinder : &machine_lock;
        pthread_mutex_t *second = grinder_first ? &machine_lock : &grinder;

        while (barista_take_order(b)) {
                pthread_mutex_lock(first);
                atomic_fetch_add_explicit(&holding_one, 1, memory_order_relaxed);
                while (atomic_load_explicit(&holding_one, memory_order_relaxed) < 2)
                        sched_yield();
                pthread_mutex_lock(second);
                machine_pull_shot(b);
                pthread_mutex_unlock(second);
                pthread_mutex_unlock(first);
                barista_serve_drink(b);
        }
}

SCENARIO(silent_deadlock_scenario,
         .name = "test-silent-deadlock",
         .family = FAMILY_DEADLOCK,
         .expect = VERDICT_DEADLOCK,
         .summary = "A deadlock nobody tells the watchdog about (tests only)",
         .lesson = "Two locks in opposite orders, stuck on the first orders.",
         .barista = silent_deadlock_barista);
