/*
 * uncounted — used only by the tests: a correct-looking mutex scenario whose baristas serve their
 * first drink without pulling its shot. Nothing races, so ThreadSanitizer reports nothing, but
 * the machine's count is short: an invariant broken under TSan, which race-check must call a
 * mismatch for a scenario that claims to be correct.
 */
#include "scenario.h"

#include <pthread.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static void uncounted_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                pthread_mutex_lock(&machine_lock);
                if (b->orders_taken > 1)
                        machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(uncounted_scenario,
         .name = "test-uncounted",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A mutex, but the first drink of each barista skips its shot (tests only)",
         .lesson = "No race, and yet the machine's count is short.",
         .barista = uncounted_barista);
