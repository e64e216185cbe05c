/*
 * check-expect: verdict=failed hint=never-returns
 * The student's barista serves one drink, correctly under a mutex, then "takes a break":
 * sleep(1) in a loop that never ends. It takes no more orders, so its shift never ends; it
 * holds no lock and waits for nobody, it just sleeps.
 */
#include "scenario.h"

#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static void sleepy_barista(struct barista *b)
{
        if (!barista_take_order(b))
                return;
        pthread_mutex_lock(&machine_lock);
        machine_pull_shot(b);
        pthread_mutex_unlock(&machine_lock);
        barista_serve_drink(b);
        for (;;)
                sleep(1); /* "back in a second" */
}

SCENARIO(sleepy_scenario,
         .name = "student-sleepy-barista",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A barista who serves one drink and then sleeps for ever",
         .lesson = "The student's barista stops taking orders without ending its shift.",
         .barista = sleepy_barista);
