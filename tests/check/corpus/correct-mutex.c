/*
 * check-expect: verdict=passed hint=none
 * expect: clean (for detectors: what the file is, by the race-check vocabulary)
 * The student puts a pthread mutex around machine_pull_shot(), and nothing else is shared. One
 * barista at the machine at a time, and each unlock hands the shot count to the next lock.
 */
#include "scenario.h"

#include <pthread.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static void correct_mutex_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                pthread_mutex_lock(&machine_lock);
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(correct_mutex_scenario,
         .name = "student-correct-mutex",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A pthread mutex around the machine",
         .lesson = "The textbook fix: lock, pull the shot, unlock.",
         .barista = correct_mutex_barista);
