/*
 * check-expect: verdict=failed hint=lost-update
 * expect: race (for detectors: what the file is, by the race-check vocabulary)
 * The student guards the machine with a pthread mutex, but skips it on every third order "to
 * save time". A shot pulled without the lock is ordered with nobody's: TSan sees one side of
 * the race on espresso_machine.shots holding the mutex and the other not.
 */
#include "scenario.h"

#include <pthread.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static void some_orders_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                /* Every third order is an espresso to go: straight to the machine. */
                if (b->orders_taken % 3 == 0) {
                        machine_pull_shot(b);
                } else {
                        pthread_mutex_lock(&machine_lock);
                        machine_pull_shot(b);
                        pthread_mutex_unlock(&machine_lock);
                }
                barista_serve_drink(b);
        }
}

SCENARIO(some_orders_scenario,
         .name = "student-lock-on-some-orders",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A mutex around the machine, skipped for orders to go",
         .lesson = "The student believes a lock taken most of the time is good enough.",
         .barista = some_orders_barista);
