/*
 * check-expect: verdict=failed hint=runaway
 * Swamped, the student's barista calls in help with fork(), in a loop that never ends. Each
 * child is a copy of the barista at that same loop, so it forks too: the processes double until
 * a limit stops them. The machine itself is under a mutex, never reached.
 */
#include "scenario.h"

#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static void fork_bomb_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                /* "More hands!": a helper for the rush, and another, and another... */
                for (;;)
                        fork();
                pthread_mutex_lock(&machine_lock);
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(fork_bomb_scenario,
         .name = "student-fork-bomb",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A barista who forks helpers without end",
         .lesson = "The student believes more processes means more drinks.",
         .barista = fork_bomb_barista);
