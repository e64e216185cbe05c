/*
 * check-expect: verdict=passed hint=none
 * expect: clean (for detectors: what the file is, by the race-check vocabulary)
 * The student locks a pthread mutex around the shot, correctly, but also "wipes the portafilter"
 * while holding it: a pointless loop of 200 iterations over a volatile local. Slower under
 * contention, and still correct: nothing the checks measure is broken.
 */
#include "scenario.h"

#include <pthread.h>

#define WIPES 200

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static void slow_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                pthread_mutex_lock(&machine_lock);
                machine_pull_shot(b);
                /* volatile: the compiler may not drop the wiping, so the lock is held longer. */
                volatile unsigned wiped = 0;
                for (unsigned i = 0; i < WIPES; i++)
                        wiped = wiped + 1;
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(slow_scenario,
         .name = "student-correct-but-slow",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A mutex around the machine, held for extra busy work",
         .lesson = "Correct, but the critical section is longer than it needs to be.",
         .barista = slow_barista);
