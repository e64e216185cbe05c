/*
 * bench collapse: what more baristas than cores does to each kind of lock. A fair spinlock hands
 * the machine to the next in line even when that barista is preempted, and everyone spins until
 * the scheduler runs it again; an unfair spinlock lets whoever is running take the lock; a mutex
 * puts waiters to sleep. How often the next in line is preempted depends on where the scheduler
 * cuts each barista's time slice, run by run, so this is a figure to look at, not a bound.
 */
#include "harness/registry.h"
#include "bench.h"

#include "commands.h"
#include "harness/run.h"

#include <math.h>
#include <sched.h>
#include <stdio.h>

#define COLLAPSE_SECONDS 0.3

/* ns per drink of a timed run, or NAN. */
static double ns_per_drink(const struct scenario *s, uint32_t baristas)
{
        struct run_config config = { .baristas = baristas, .seconds = COLLAPSE_SECONDS };
        struct run_result r;

        if (run_scenario(s, &config, &r) != 0 || !r.measured)
                return NAN;
        return r.ns_per_drink;
}

/* Confines this process (and the baristas it starts) to its first allowed CPU, or to all of them
 * again; false when it cannot. */
static bool confine_to_one_cpu(bool one, cpu_set_t *all)
{
        if (!one)
                return sched_setaffinity(0, sizeof(*all), all) == 0;
        cpu_set_t first;
        CPU_ZERO(&first);
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
                if (CPU_ISSET(cpu, all)) {
                        CPU_SET(cpu, &first);
                        break;
                }
        return sched_setaffinity(0, sizeof(first), &first) == 0;
}

int bench_collapse(void)
{
        static const char *const locks[] = { "spin-ck-ticket", "spin-c11-tas", "mutex" };
        cpu_set_t all;

        if (sched_getaffinity(0, sizeof(all), &all) != 0)
                return EXIT_CHECK_FAILED;
        uint32_t cpus = (uint32_t)CPU_COUNT(&all), many = 8 * cpus;
        printf("collapse: ns per drink in timed runs of %.1f s, with as many baristas as CPUs (%u)\n"
               "  and with %u, then all on one CPU\n", COLLAPSE_SECONDS, cpus, many);
        printf("  %-15s %12s %12s %8s %14s %14s %8s\n", "SCENARIO", "AT CPUS", "AT 8X CPUS",
               "RATIO", "1 CPU, 1", "1 CPU, 4", "RATIO");
        for (size_t i = 0; i < sizeof(locks) / sizeof(locks[0]); i++) {
                const struct scenario *s = scenario_find(locks[i]);
                if (!s)
                        return usage_failure("bench collapse needs spin-ck-ticket, spin-c11-tas and mutex");
                double fit = ns_per_drink(s, cpus), crowded = ns_per_drink(s, many);
                if (!confine_to_one_cpu(true, &all))
                        return EXIT_CHECK_FAILED;
                double alone = ns_per_drink(s, 1), shared = ns_per_drink(s, 4);
                confine_to_one_cpu(false, &all);
                printf("  %-15s %12.1f %12.1f %7.1fx %14.1f %14.1f %7.1fx\n", s->name, fit, crowded,
                       crowded / fit, alone, shared, shared / alone);
        }
        printf("  A fair spinlock collapses when its next in line is preempted; how often that\n"
               "  happens changes from run to run, so the ratios do too.\n");
        return EXIT_OK;
}
