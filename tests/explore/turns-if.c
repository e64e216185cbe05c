/*
 * For the explore tests: turns-condvar.c with one bug. Baristas take turns at the machine, 1, 2,
 * 3, 1..., each waiting on a condition variable until it is its turn, but checking only once,
 * with `if`: a barista woken for another barista's turn (or for nothing) goes to the machine
 * anyway.
 */
#include "scenario.h"

#include <pthread.h>

static pthread_mutex_t turn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static uint32_t turn = 1; /* whose turn it is; guarded by turn_lock */
static uint32_t baristas;

static void turns_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                pthread_mutex_lock(&turn_lock);
                if (turn != b->id) /* the bug: once, not in a loop */
                        pthread_cond_wait(&turn_changed, &turn_lock);
                pthread_mutex_unlock(&turn_lock);
                machine_pull_shot(b);
                pthread_mutex_lock(&turn_lock);
                turn = turn % baristas + 1;
                pthread_cond_broadcast(&turn_changed);
                pthread_mutex_unlock(&turn_lock);
                barista_serve_drink(b);
        }
}

static int turns_setup(const struct run_config *config)
{
        baristas = config->baristas;
        turn = 1;
        return 0;
}

SCENARIO(turns_if_scenario,
         .name = "test-turns-if",
         .family = FAMILY_LOCK,
         .expect = VERDICT_RACE,
         .summary = "Baristas take turns, but check the condition only once",
         .lesson = "A wakeup is not a promise.",
         .setup = turns_setup,
         .barista = turns_barista);
