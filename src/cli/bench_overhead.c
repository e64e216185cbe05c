/*
 * bench overhead: what the harness adds to each drink.
 *
 * The mutex scenario with one barista and no busy work is a lock, a shot and an unlock per order,
 * plus the harness's bookkeeping (order quota, stop flag, the in-use mark, sampling). The same
 * lock/increment/unlock with none of that, in this same binary and compiled the same way, is the
 * floor. Their ratio is the harness's overhead; with two baristas, beside the two CPUs' cache-line
 * round trip, which every contended handover pays. A benchmark, not a test: it prints figures.
 */
#include "measure/cpu.h"
#include "harness/registry.h"
#include "bench.h"
#include "options.h"

#include "commands.h"
#include "compare/compare.h"
#include "measure/cores.h"
#include "harness/run.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t bare_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t bare_shots;

static double bare_loop_ns_per_iteration(uint64_t iterations)
{
        uint64_t start = clock_now_ns();

        for (uint64_t i = 0; i < iterations; i++) {
                pthread_mutex_lock(&bare_lock);
                bare_shots++;
                pthread_mutex_unlock(&bare_lock);
        }
        return (double)(clock_now_ns() - start) / (double)iterations;
}

/* The same with the scenario's way of taking the lock: try first, to learn whether it was
 * contended. Not the harness's cost, but part of the gap between the two. */
static double bare_trylock_loop_ns_per_iteration(uint64_t iterations)
{
        uint64_t start = clock_now_ns();

        for (uint64_t i = 0; i < iterations; i++) {
                if (pthread_mutex_trylock(&bare_lock) != 0)
                        pthread_mutex_lock(&bare_lock);
                bare_shots++;
                pthread_mutex_unlock(&bare_lock);
        }
        return (double)(clock_now_ns() - start) / (double)iterations;
}

static uint64_t read_monotonic_clock(void)
{
        return clock_now_ns();
}

static uint64_t read_cycle_counter(void)
{
        return clock_cycles();
}

/* What one read of a clock costs, averaged over a million. */
static double ns_per_read(uint64_t (*read_clock)(void))
{
        const int reads = 1000000;
        uint64_t start = clock_now_ns(), sink = 0;

        for (int i = 0; i < reads; i++)
                sink += read_clock();
        __asm__ __volatile__("" : : "r"(sink));
        return (double)(clock_now_ns() - start) / reads;
}

/* Two threads, one per CPU, doing the bare loop on one lock and one counter: what two baristas do
 * with none of the harness. */
struct bare_pair {
        uint64_t iterations;  /* each */
        atomic_int ready;     /* threads at the start line */
        atomic_bool go;
};

static void *bare_pair_thread(void *arg)
{
        struct bare_pair *pair = arg;
        int me = atomic_fetch_add(&pair->ready, 1);

        pin_to_cpu((uint32_t)me);
        while (!atomic_load_explicit(&pair->go, memory_order_acquire))
                ;
        for (uint64_t i = 0; i < pair->iterations; i++) {
                pthread_mutex_lock(&bare_lock);
                bare_shots++;
                pthread_mutex_unlock(&bare_lock);
        }
        return NULL;
}

static double bare_pair_ns_per_iteration(uint64_t iterations)
{
        struct bare_pair pair = { .iterations = iterations / 2 };
        pthread_t threads[2];

        for (int i = 0; i < 2; i++)
                if (pthread_create(&threads[i], NULL, bare_pair_thread, &pair) != 0)
                        return NAN;
        while (atomic_load(&pair.ready) < 2)
                sched_yield();
        uint64_t start = clock_now_ns();
        atomic_store_explicit(&pair.go, true, memory_order_release);
        for (int i = 0; i < 2; i++)
                pthread_join(threads[i], NULL);
        return (double)(clock_now_ns() - start) / (double)(2 * pair.iterations);
}

/* The rounds of one comparison: the bare loop before and after each harness round. */
struct rounds {
        uint32_t n;
        double *bare;    /* n + 1 */
        double *harness; /* n */
        double *other;   /* n: trylock-then-lock at one barista, the round trip at two */
        double *paired;  /* n */
};

static bool rounds_alloc(struct rounds *r, uint32_t n)
{
        r->n = n;
        r->bare = calloc(n + 1, sizeof(double));
        r->harness = calloc(n, sizeof(double));
        r->other = calloc(n, sizeof(double));
        r->paired = calloc(n, sizeof(double));
        return r->bare && r->harness && r->other && r->paired;
}

static void rounds_free(struct rounds *r)
{
        free(r->bare), free(r->harness), free(r->other), free(r->paired);
}

/* This machine switches between a fast and a slow mode every so often, so the medians of the two
 * sides may come from different modes. Each harness round against the bare rounds just before
 * and after it compares like with like. */
static struct spread paired_ratio(struct rounds *r)
{
        for (uint32_t i = 0; i < r->n; i++)
                r->paired[i] = r->harness[i] / ((r->bare[i] + r->bare[i + 1]) / 2);
        return spread_of(r->paired, r->n);
}

/* Interleaved, so a slow patch of the machine hits both sides alike. False when a run failed. */
static bool measure_rounds(struct rounds *r, const struct scenario *mutex, uint32_t baristas,
                           uint64_t orders)
{
        struct run_config config = { .baristas = baristas, .orders = orders, .pin = true };
        double (*bare)(uint64_t) = baristas == 1 ? bare_loop_ns_per_iteration : bare_pair_ns_per_iteration;

        bare(orders / 10); /* warm-up: page in, settle the clock */
        for (uint32_t i = 0; i < r->n; i++) {
                struct run_result result;
                r->bare[i] = bare(orders);
                r->other[i] = baristas == 1 ? bare_trylock_loop_ns_per_iteration(orders)
                                            : cores_round_trip_ns();
                if (run_scenario(mutex, &config, &result) != 0 || !result.invariants_held)
                        return false;
                r->harness[i] = result.ns_per_drink;
        }
        r->bare[r->n] = bare(orders);
        return true;
}

static void print_one_barista(struct rounds *r)
{
        struct spread p = paired_ratio(r), b = spread_of(r->bare, r->n + 1);
        struct spread h = spread_of(r->harness, r->n), t = spread_of(r->other, r->n);

        printf("  %-32s %6.2f ns per iteration (min %.2f, max %.2f)\n", "bare lock/increment/unlock",
               b.median, b.min, b.max);
        printf("  %-32s %6.2f ns per iteration (min %.2f, max %.2f)\n",
               "bare trylock, then lock if busy", t.median, t.min, t.max);
        printf("  %-32s %6.2f ns per drink     (min %.2f, max %.2f)\n", "mutex scenario in the harness",
               h.median, h.min, h.max);
        printf("  %-32s %6.2fx of the medians, %.2fx of the fastest rounds\n", "ratio",
               h.median / b.median, h.min / b.min);
        printf("  %-32s %6.2fx (min %.2fx, max %.2fx): each round against the bare rounds on "
               "either side (target: at most 1.20x)\n", "paired ratio, median", p.median, p.min, p.max);
        printf("  %-32s %6.2fx of the medians: the scenario tries the lock first, to tell "
               "contention\n", "ratio to trylock-then-lock", h.median / t.median);
}

static void print_two_baristas(struct rounds *r)
{
        struct spread p = paired_ratio(r), b = spread_of(r->bare, r->n + 1);
        struct spread h = spread_of(r->harness, r->n);
        double trips[r->n];
        uint32_t measured = 0;

        for (uint32_t i = 0; i < r->n; i++)
                if (!isnan(r->other[i]))
                        trips[measured++] = r->other[i];
        struct spread t = spread_of(trips, measured);
        printf("two baristas, one per CPU, the same work:\n");
        printf("  %-32s %6.2f ns per iteration (min %.2f, max %.2f)\n",
               "bare two-thread lock loop", b.median, b.min, b.max);
        printf("  %-32s %6.2f ns per drink     (min %.2f, max %.2f)\n", "mutex scenario in the harness",
               h.median, h.min, h.max);
        printf("  %-32s %6.2fx (min %.2fx, max %.2fx) (aim: 1.20x while the round trip holds "
               "still)\n", "paired ratio, median", p.median, p.min, p.max);
        printf("  %-32s %6.0f ns (min %.0f, max %.0f): each contended handover pays about that\n",
               "CPUs' round trip, median", t.median, t.min, t.max);
}

int bench_overhead(const struct bench_options *opts)
{
        const struct scenario *mutex = scenario_find("mutex");
        struct rounds one, two;
        int code = EXIT_OK;

        if (!mutex)
                return usage_failure("bench overhead needs the mutex scenario");
        if (!rounds_alloc(&one, opts->repeat) || !rounds_alloc(&two, opts->repeat)) {
                rounds_free(&one), rounds_free(&two);
                return EXIT_CHECK_FAILED;
        }
        clock_calibrate();
        printf("harness overhead: mutex scenario, no busy work, %llu orders, median of %u rounds\n",
               (unsigned long long)opts->orders, opts->repeat);
        printf("  %-32s %6.1f ns per call\n", "clock_gettime(CLOCK_MONOTONIC)",
               ns_per_read(read_monotonic_clock));
        printf("  %-32s %6.1f ns per read (%.3f cycles per ns)\n", "cycle counter",
               ns_per_read(read_cycle_counter), clock_cycles_per_ns());
        /* The bare loops on the barista's CPU: the two CPUs of a VM need not run at one speed
         * (here one was at times a third faster than the other). Two baristas get all the CPUs
         * back, one each. */
        cpu_set_t all;
        bool restorable = sched_getaffinity(0, sizeof(all), &all) == 0;
        pin_to_cpu(0);
        printf("one barista, on one CPU:\n");
        if (!measure_rounds(&one, mutex, 1, opts->orders)) {
                fprintf(stderr, "espresso-lab: the mutex run failed\n");
                code = EXIT_CHECK_FAILED;
        } else {
                print_one_barista(&one);
                if (restorable)
                        pthread_setaffinity_np(pthread_self(), sizeof(all), &all);
                if (!measure_rounds(&two, mutex, 2, opts->orders)) {
                        fprintf(stderr, "espresso-lab: the mutex run failed\n");
                        code = EXIT_CHECK_FAILED;
                } else {
                        print_two_baristas(&two);
                }
        }
        rounds_free(&one);
        rounds_free(&two);
        return code;
}
