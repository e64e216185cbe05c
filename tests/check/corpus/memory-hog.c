/*
 * check-expect: verdict=failed hint=runaway
 * The student's barista "stocks up on milk" before the shot: it allocates 64 MiB blocks and
 * fills them, in a loop that never ends, and never frees one. Resident memory grows until a
 * limit stops it. The machine itself is under a mutex, never reached.
 */
#include "scenario.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define JUG_BYTES (64u << 20) /* 64 MiB */

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;
/* Every jug a barista filled, chained through each jug's first bytes from a global, so that
 * all of them stay reachable and the compiler cannot drop the allocations. */
static char *jugs[SCENARIO_MAX_BARISTAS + 1];

static void memory_hog_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                for (;;) {
                        char *jug = malloc(JUG_BYTES);
                        if (!jug)
                                continue;            /* "the next one will work" */
                        memset(jug, 'm', JUG_BYTES); /* not 0: every page really gets written */
                        *(char **)jug = jugs[b->id]; /* kept, never freed */
                        jugs[b->id] = jug;
                }
                pthread_mutex_lock(&machine_lock);
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(memory_hog_scenario,
         .name = "student-memory-hog",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A barista who allocates 64 MiB after 64 MiB and frees nothing",
         .lesson = "The student believes memory is free until it runs out.",
         .barista = memory_hog_barista);
