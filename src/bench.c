/*
 * bench overhead: what the harness adds to each drink.
 *
 * The mutex scenario with one barista and no busy work is a lock, a shot and an unlock per order,
 * plus the harness's bookkeeping (order quota, stop flag, the in-use mark, sampling). The same
 * lock/increment/unlock with none of that, in this same binary and compiled the same way, is the
 * floor. Their ratio is the harness's overhead. A benchmark, not a test: it prints figures.
 */
#include "bench.h"
#include "commands.h"
#include "compare.h"
#include "cores.h"
#include "options.h"
#include "run.h"

#include <math.h>
#include <pthread.h>
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

/*
 * bench repeatability: can compare's numbers be trusted? The mutex at 2 baristas, measured the
 * way compare measures a cell (the median of 3 runs of 0.25 s), 5 times over; the spread of those
 * 5 medians, relative to their median, is how much a cell moves between sweeps. Two things the
 * lab cannot hold still are measured in each sweep beside it: the machine's own speed (the same
 * cell with one barista, where nothing contends) and what a cache line takes to go between the
 * two CPUs (what every handover of a contended lock costs; a VM's host can change it under a
 * running program). Side by side in one sweep, they show whether a slow sweep had a slow machine.
 */
#define SWEEPS 5

/* One cell's median, measured as compare measures it. NAN when a run failed. */
static double cell_median(const struct scenario *mutex, uint32_t baristas)
{
        struct run_config config = { .baristas = baristas, .seconds = COMPARE_DEFAULT_SECONDS };
        double runs[COMPARE_DEFAULT_REPEAT];
        struct run_result r;

        for (int i = 0; i < COMPARE_DEFAULT_REPEAT; i++) {
                if (run_scenario(mutex, &config, &r) != 0)
                        return NAN;
                runs[i] = r.ns_per_drink;
        }
        return spread_of(runs, COMPARE_DEFAULT_REPEAT).median;
}

static double spread_percent(struct spread s)
{
        return (s.max - s.min) / s.median * 100;
}

static int bench_repeatability(void)
{
        const struct scenario *mutex = scenario_find("mutex");
        double contended[SWEEPS], alone[SWEEPS], trips[SWEEPS];
        uint32_t measured_trips = 0;

        if (!mutex)
                return usage_failure("bench repeatability needs the mutex scenario");
        cell_median(mutex, 2); /* warm-up */
        printf("repeatability: mutex, median of %d runs of %.2f s, %d times\n",
               COMPARE_DEFAULT_REPEAT, COMPARE_DEFAULT_SECONDS, SWEEPS);
        printf("  %-6s %22s %22s %26s\n", "SWEEP", "2 BARISTAS, NS/DRINK", "1 BARISTA, NS/DRINK",
               "CPUS' ROUND TRIP, NS");
        for (int m = 0; m < SWEEPS; m++) {
                double trip = cores_round_trip_ns();
                if (!isnan(trip))
                        trips[measured_trips++] = trip;
                contended[m] = cell_median(mutex, 2);
                alone[m] = cell_median(mutex, 1);
                if (isnan(contended[m]) || isnan(alone[m])) {
                        fprintf(stderr, "espresso-lab: a mutex run could not start\n");
                        return EXIT_CHECK_FAILED;
                }
                printf("  %-6d %22.2f %22.2f %26.0f\n", m + 1, contended[m], alone[m], trip);
        }
        struct spread c = spread_of(contended, SWEEPS), a = spread_of(alone, SWEEPS);
        struct spread t = spread_of(trips, measured_trips);
        printf("  2 baristas: medians %.2f to %.2f ns per drink: spread %.1f%% of their median %.2f "
               "(target on a quiet machine: within 5%%)\n", c.min, c.max, spread_percent(c), c.median);
        printf("  1 barista (the machine itself, no contention): %.2f to %.2f ns: spread %.1f%%%s\n",
               a.min, a.max, spread_percent(a),
               spread_percent(a) > 5 ? ": this machine is not quiet, its own speed varies this much" : "");
        if (isnan(t.median))
                return EXIT_OK;
        printf("  a cache line's round trip between the two CPUs: %.0f to %.0f ns\n", t.min, t.max);
        /* Every contended handover moves the lock's cache line: when the host moves the CPUs,
         * the contended figures move with them. */
        if (t.max > 1.5 * t.min)
                printf("  The CPUs were moved between sweeps, or kept busy by something else (a "
                       "round trip took %.1fx longer at worst than at best): each contended "
                       "handover costs a round trip, so the 2-barista spread is at least partly "
                       "the machine's, not the lab's.\n",
                       t.max / t.min);
        return EXIT_OK;
}

int command_bench(int argc, char **argv)
{
        struct bench_options opts;
        char err[256];
        int code;

        /* "bench [overhead|repeatability|collapse] ...": the benchmark's name, then its options. */
        if (argc > 1 && argv[1][0] != '-') {
                if (strcmp(argv[1], "repeatability") == 0 && argc == 2)
                        return bench_repeatability();
                if (strcmp(argv[1], "collapse") == 0 && argc == 2)
                        return bench_collapse();
                if (strcmp(argv[1], "overhead") != 0) {
                        snprintf(err, sizeof(err), "unknown benchmark '%s' (there are: overhead, "
                                 "repeatability, collapse)", argv[1]);
                        return usage_failure(err);
                }
                argc--;
                argv++;
        }
        if (!command_parsed(parse_bench_options(argc, argv, &opts, err, sizeof(err)), "bench", err,
                            &code))
                return code;
        const struct scenario *mutex = scenario_find("mutex");
        if (!mutex)
                return usage_failure("bench overhead needs the mutex scenario");

        /* The bare loops on the barista's CPU: the two CPUs of a VM need not run at one speed
         * (here one was at times a third faster than the other). */
        struct run_config config = { .baristas = 1, .orders = opts.orders, .pin = true };
        pin_to_cpu(0);
        double *bare = calloc(opts.repeat + 1, sizeof(*bare)), *harness = calloc(opts.repeat, sizeof(*harness));
        double *trying = calloc(opts.repeat, sizeof(*trying)), *paired = calloc(opts.repeat, sizeof(*paired));
        if (!bare || !harness || !trying || !paired)
                return EXIT_CHECK_FAILED;
        clock_calibrate();
        bare_loop_ns_per_iteration(opts.orders / 10); /* warm-up: page in, settle the clock */
        /* Interleaved, so a slow patch of the machine hits both sides alike. */
        for (uint32_t i = 0; i < opts.repeat; i++) {
                struct run_result r;
                bare[i] = bare_loop_ns_per_iteration(opts.orders);
                trying[i] = bare_trylock_loop_ns_per_iteration(opts.orders);
                if (run_scenario(mutex, &config, &r) != 0 || !r.invariants_held) {
                        fprintf(stderr, "espresso-lab: the mutex run failed\n");
                        return EXIT_CHECK_FAILED;
                }
                harness[i] = r.ns_per_drink;
        }
        bare[opts.repeat] = bare_loop_ns_per_iteration(opts.orders);
        /* This machine switches between a fast and a slow mode every so often, so the medians of
         * the two sides may come from different modes. Each harness round against the bare
         * rounds just before and after it compares like with like. */
        for (uint32_t i = 0; i < opts.repeat; i++)
                paired[i] = harness[i] / ((bare[i] + bare[i + 1]) / 2);
        struct spread b = spread_of(bare, opts.repeat + 1), h = spread_of(harness, opts.repeat);
        struct spread t = spread_of(trying, opts.repeat), p = spread_of(paired, opts.repeat);

        printf("harness overhead: mutex scenario, 1 barista, no busy work, %llu orders, median of %u,\n"
               "  on one CPU\n",
               (unsigned long long)opts.orders, opts.repeat);
        printf("  %-32s %6.1f ns per call\n", "clock_gettime(CLOCK_MONOTONIC)", ns_per_read(read_monotonic_clock));
        printf("  %-32s %6.1f ns per read (%.3f cycles per ns)\n", "cycle counter",
               ns_per_read(read_cycle_counter), clock_cycles_per_ns());
        printf("  %-32s %6.2f ns per iteration (min %.2f, max %.2f)\n", "bare lock/increment/unlock",
               b.median, b.min, b.max);
        printf("  %-32s %6.2f ns per iteration (min %.2f, max %.2f)\n",
               "bare trylock, then lock if busy", t.median, t.min, t.max);
        printf("  %-32s %6.2f ns per drink     (min %.2f, max %.2f)\n", "mutex scenario in the harness",
               h.median, h.min, h.max);
        printf("  %-32s %6.2fx of the medians, %.2fx of the fastest rounds (target: at most 1.50x)\n",
               "ratio", h.median / b.median, h.min / b.min);
        printf("  %-32s %6.2fx (min %.2fx, max %.2fx): each round against the bare rounds on "
               "either side\n", "paired ratio, median", p.median, p.min, p.max);
        printf("  %-32s %6.2fx of the medians: the scenario tries the lock first, to tell "
               "contention\n", "ratio to trylock-then-lock", h.median / t.median);
        free(paired);
        free(bare);
        free(trying);
        free(harness);
        return EXIT_OK;
}
