/*
 * bench repeatability: can compare's numbers be trusted? The mutex at 2 baristas, measured the
 * way compare measures a cell (the median of 3 runs of 0.25 s), 5 times over; the spread of those
 * 5 medians, relative to their median, is how much a cell moves between sweeps. Two things the
 * lab cannot hold still are measured in each sweep beside it: the machine's own speed (the same
 * cell with one barista, where nothing contends) and what a cache line takes to go between the
 * two CPUs (what every handover of a contended lock costs; a VM's host can change it under a
 * running program). Side by side in one sweep, they show whether a slow sweep had a slow machine.
 */
#include "harness/registry.h"
#include "bench.h"

#include "commands.h"
#include "compare/compare.h"
#include "measure/cores.h"
#include "harness/run.h"

#include <math.h>
#include <stdio.h>

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

int bench_repeatability(void)
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

