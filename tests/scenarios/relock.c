/*
 * relock — used only by the tests: a barista takes its own non-recursive mutex a second time.
 *
 * A default pthread mutex does not know its owner: the second lock waits for the first to be
 * released, by the very thread that is waiting. The barista sleeps in the kernel for ever, and
 * clang 14's ThreadSanitizer prints nothing about it; only the watchdog can tell.
 */
#include "scenario.h"

#include <pthread.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static void relock_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                pthread_mutex_lock(&machine_lock);
                if (b->orders_taken == 2)
                        pthread_mutex_lock(&machine_lock); /* already ours: waits for ever */
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(relock_scenario,
         .name = "test-relock",
         .family = FAMILY_DEADLOCK,
         .expect = VERDICT_DEADLOCK,
         .summary = "A barista locks its own mutex again (tests only)",
         .lesson = "Relocking a non-recursive mutex waits for ever, and TSan stays silent.",
         .barista = relock_barista);
