/*
 * two-group-heads — the machine has two group heads, so two baristas may brew at once: a
 * counting semaphore with two permits lets them in.
 *
 * A semaphore is a lock that admits N: the third barista waits for a permit. The shot counter is
 * still one shared integer, so counting a shot takes a short mutex of its own, after the brewing
 * that two can do side by side.
 */
#include "scenario.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>

#define GROUP_HEADS 2

static sem_t group_heads;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int at_the_machine; /* baristas brewing now: the scenario's own check */

static void two_group_heads_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                if (sem_trywait(&group_heads) != 0) {
                        barista_note_contended(b); /* both heads busy: wait for one */
                        while (sem_wait(&group_heads) != 0)
                                ; /* interrupted by a signal: wait again */
                }
                /* More than two at a two-head machine would be a collision. */
                if (atomic_fetch_add(&at_the_machine, 1) + 1 > GROUP_HEADS)
                        b->collisions++;
                if (barista_sampling(b))
                        b->got_cycles = clock_cycles_after_acquire();
                machine_brew(b); /* side by side with whoever has the other head */
                pthread_mutex_lock(&counter_lock);
                machine_count_shot(b); /* one counter for both heads: one at a time */
                pthread_mutex_unlock(&counter_lock);
                atomic_fetch_sub(&at_the_machine, 1);
                if (barista_sampling(b))
                        b->done_cycles = clock_cycles();
                sem_post(&group_heads);
                barista_serve_drink(b);
        }
}

static int two_group_heads_setup(const struct run_config *config)
{
        (void)config;
        atomic_store(&at_the_machine, 0);
        return sem_init(&group_heads, 0, GROUP_HEADS) == 0 ? 0 : -errno;
}

static void two_group_heads_teardown(void)
{
        sem_destroy(&group_heads);
}

SCENARIO(two_group_heads_scenario,
         .name = "two-group-heads",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "Two group heads: a counting semaphore lets two baristas brew at once",
         .lesson = "A semaphore with two permits admits two baristas, never three: with long "
                   "shots, twice the throughput of one mutex. The shared counter still needs its "
                   "own short lock: the semaphore orders who brews, not who counts.",
         .tells_contention = true,
         .group_heads = GROUP_HEADS,
         .setup = two_group_heads_setup,
         .teardown = two_group_heads_teardown,
         .barista = two_group_heads_barista);
