/*
 * check-expect: verdict=failed hint=shared-outside-lock
 * expect: race (for detectors: what the file is, by the race-check vocabulary)
 * The student protects the machine with a mutex, correctly, and also counts the day's drinks in
 * a plain global, incremented after unlocking. The machine's shots all count; the tally is a
 * read-modify-write that two baristas do at once.
 */
#include "scenario.h"

#include <pthread.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long drinks_today; /* for the manager's report */

static void tally_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                pthread_mutex_lock(&machine_lock);
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                drinks_today++; /* after the unlock: "the tally is not the machine" */
                barista_serve_drink(b);
        }
}

SCENARIO(tally_scenario,
         .name = "student-tally-outside-lock",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A mutex around the machine, and a drinks tally outside it",
         .lesson = "The student believes only the machine needs the lock.",
         .barista = tally_barista);
