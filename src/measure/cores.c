/* A cache line's round trip between two CPUs: two threads, one per CPU, hit a ball back and
 * forth. The ball is a counter: the server waits for an even count and writes the next odd one,
 * the returner the other way round, so each write follows the other CPU's write. */
#include "cpu.h"
#include "cores.h"

#include "clock.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 5
#define ROUND_TRIPS_PER_ROUND 2000
#define GIVE_UP_AFTER_NS 1000000000u /* the other CPU is busy with something else: not measured */

struct court {
        _Alignas(64) _Atomic uint64_t ball; /* hits so far; alone on its cache line */
        _Alignas(64) atomic_bool abandoned; /* set by the server when it gives up */
        pthread_barrier_t both_ready;
        double round_ns[ROUNDS];
};

/* Waits until the ball has been hit `hits` times. False if the server gave up meanwhile. */
static bool wait_for_hit(struct court *c, uint64_t hits, uint64_t deadline_ns)
{
        for (uint32_t spins = 1;; spins++) {
                if (atomic_load_explicit(&c->ball, memory_order_acquire) == hits)
                        return true;
                cpu_relax();
                if (spins % 4096 != 0)
                        continue;
                if (atomic_load_explicit(&c->abandoned, memory_order_relaxed))
                        return false;
                if (deadline_ns && clock_now_ns() > deadline_ns) {
                        atomic_store_explicit(&c->abandoned, true, memory_order_relaxed);
                        return false;
                }
        }
}

static void *returner(void *arg)
{
        struct court *c = arg;

        pin_to_cpu(1);
        pthread_barrier_wait(&c->both_ready);
        for (uint64_t hit = 1; hit < 2ull * ROUNDS * ROUND_TRIPS_PER_ROUND; hit += 2) {
                if (!wait_for_hit(c, hit, 0))
                        break;
                atomic_store_explicit(&c->ball, hit + 1, memory_order_release);
        }
        return NULL;
}

static void *server(void *arg)
{
        struct court *c = arg;
        uint64_t hits = 0;

        pin_to_cpu(0);
        pthread_barrier_wait(&c->both_ready);
        uint64_t deadline = clock_now_ns() + GIVE_UP_AFTER_NS;
        for (int round = 0; round < ROUNDS; round++) {
                uint64_t start = clock_now_ns();
                for (int trip = 0; trip < ROUND_TRIPS_PER_ROUND; trip++, hits += 2) {
                        if (!wait_for_hit(c, hits, deadline))
                                return NULL;
                        atomic_store_explicit(&c->ball, hits + 1, memory_order_release);
                }
                c->round_ns[round] = (double)(clock_now_ns() - start) / ROUND_TRIPS_PER_ROUND;
        }
        return NULL;
}

double cores_round_trip_ns(void)
{
        cpu_set_t allowed;
        pthread_t serving, returning;
        struct court *c;

        if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || CPU_COUNT(&allowed) < 2)
                return NAN;
        /* Aligned so that the ball has its cache line to itself. */
        if (posix_memalign((void **)&c, 64, sizeof(*c)) != 0)
                return NAN;
        atomic_init(&c->ball, 0);
        atomic_init(&c->abandoned, false);
        pthread_barrier_init(&c->both_ready, NULL, 2);
        bool measured = pthread_create(&serving, NULL, server, c) == 0;
        if (measured) {
                if (pthread_create(&returning, NULL, returner, c) == 0) {
                        pthread_join(returning, NULL);
                } else {
                        /* Stand in for the returner at the barrier, having given up already:
                         * the server then sees it is alone and stops. */
                        atomic_store_explicit(&c->abandoned, true, memory_order_relaxed);
                        pthread_barrier_wait(&c->both_ready);
                }
                pthread_join(serving, NULL);
                measured = !atomic_load_explicit(&c->abandoned, memory_order_relaxed);
        }
        /* The fastest round: anything else on the CPUs (a preempted returner, the returner's
         * late start after the barrier) only ever adds time. */
        double fastest = NAN;
        for (int round = 0; measured && round < ROUNDS; round++)
                if (isnan(fastest) || c->round_ns[round] < fastest)
                        fastest = c->round_ns[round];
        pthread_barrier_destroy(&c->both_ready);
        free(c);
        return fastest;
}
