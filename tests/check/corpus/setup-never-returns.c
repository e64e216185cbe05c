/*
 * check-expect: verdict=failed hint=never-returns
 * The student's setup "warms the machine up" in a loop that never ends, so the baristas never
 * start. The barista itself is correct, with a mutex; setup runs before any watchdog has
 * baristas to watch, so only the box's time limit ends the run.
 */
#include "scenario.h"

#include <pthread.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static int warm_up_setup(const struct run_config *config)
{
        (void)config;
        volatile unsigned long degrees = 0; /* volatile: the loop is not optimised away */
        for (;;)
                degrees = degrees + 1; /* "until it is hot enough": no condition ever says so */
        return 0;
}

static void warm_up_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                pthread_mutex_lock(&machine_lock);
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(warm_up_scenario,
         .name = "student-setup-never-returns",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A mutex around the machine, and a setup that never returns",
         .lesson = "The student's warm-up loop has no way out.",
         .setup = warm_up_setup,
         .barista = warm_up_barista);
