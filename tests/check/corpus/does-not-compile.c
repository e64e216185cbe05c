/*
 * check-expect: verdict=does-not-compile hint=does-not-compile
 * The student passes the mutex itself to pthread_mutex_lock() and pthread_mutex_unlock(),
 * forgetting the &: a pthread_mutex_t where a pthread_mutex_t * is expected, which C does not
 * convert. Otherwise the textbook mutex scenario.
 */
#include "scenario.h"

#include <pthread.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static void forgot_address_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                pthread_mutex_lock(machine_lock);
                machine_pull_shot(b);
                pthread_mutex_unlock(machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(forgot_address_scenario,
         .name = "student-does-not-compile",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A mutex around the machine, passed by value",
         .lesson = "The student forgets that pthread functions take the mutex's address.",
         .barista = forgot_address_barista);
