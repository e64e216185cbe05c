/*
 * setup-forever — used only by the tests: a scenario whose setup never returns.
 *
 * No barista ever starts, so the watchdog, which watches baristas, has nothing to watch: the
 * run's setup guard must end it (src/harness/run.c).
 */
#include "scenario.h"

#include <pthread.h>
#include <time.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static int setup_forever(const struct run_config *config)
{
        (void)config;
        for (;;) {
                struct timespec nap = { 0, 10 * 1000 * 1000 };
                nanosleep(&nap, NULL); /* "waiting for the delivery" */
        }
        return 0;
}

static void setup_forever_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                pthread_mutex_lock(&machine_lock);
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(setup_forever_scenario,
         .name = "test-setup-forever",
         .family = FAMILY_DEADLOCK,
         .expect = VERDICT_DEADLOCK,
         .summary = "A setup that never returns (tests only)",
         .lesson = "The run's setup guard ends it: no barista ever starts.",
         .setup = setup_forever,
         .barista = setup_forever_barista);
