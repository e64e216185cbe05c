/*
 * check-expect: verdict=failed hint=lock-order
 * expect: deadlock (for detectors: what the file is, by the race-check vocabulary)
 * The student adds a grinder with a mutex of its own. Odd baristas take the grinder, then the
 * machine; even ones, "to spread the load", take the machine, then the grinder. Each holds what
 * the other waits for, sooner or later. Nothing tells the watchdog who holds what.
 */
#include "scenario.h"

#include <pthread.h>

#define GRIND_STEPS 1000

static pthread_mutex_t grinder = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static void grind(void)
{
        volatile unsigned beans = 0; /* volatile: the grinding really takes a moment */
        for (unsigned i = 0; i < GRIND_STEPS; i++)
                beans = beans + 1;
}

static void opposite_barista(struct barista *b)
{
        bool grinder_first = b->id % 2 == 1;

        while (barista_take_order(b)) {
                if (grinder_first) {
                        pthread_mutex_lock(&grinder);
                        grind();
                        pthread_mutex_lock(&machine_lock);
                } else {
                        pthread_mutex_lock(&machine_lock); /* warm the cup first */
                        grind();
                        pthread_mutex_lock(&grinder);
                }
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                pthread_mutex_unlock(&grinder);
                barista_serve_drink(b);
        }
}

SCENARIO(opposite_scenario,
         .name = "student-opposite-order",
         .family = FAMILY_DEADLOCK,
         .expect = VERDICT_CLEAN,
         .summary = "Grinder and machine, taken in opposite orders by odd and even baristas",
         .lesson = "The student believes each lock used correctly on its own is enough.",
         .barista = opposite_barista);
