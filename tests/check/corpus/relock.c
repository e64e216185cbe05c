/*
 * check-expect: verdict=failed hint=relock
 * expect: deadlock (for detectors: what the file is, by the race-check vocabulary)
 * The student writes a helper, pull_shot_safely(), that locks the machine's mutex around the
 * shot, and then calls it from inside the barista's own lock of that mutex. A default pthread
 * mutex is not recursive: the second lock waits for the first, held by the same barista, for
 * ever. One barista alone is enough to get stuck.
 */
#include "scenario.h"

#include <pthread.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

/* Safe to call from anywhere: it locks the machine itself. */
static void pull_shot_safely(struct barista *b)
{
        pthread_mutex_lock(&machine_lock);
        machine_pull_shot(b);
        pthread_mutex_unlock(&machine_lock);
}

static void relock_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                pthread_mutex_lock(&machine_lock); /* "better safe than sorry" */
                pull_shot_safely(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(relock_scenario,
         .name = "student-relock",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A helper that locks the machine, called with the machine locked",
         .lesson = "The student believes locking twice is just extra safety.",
         .barista = relock_barista);
