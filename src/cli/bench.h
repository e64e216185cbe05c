/* The benchmarks: figures for a person to read, not bounds a test holds the lab to. */
#ifndef ESPRESSO_BENCH_H
#define ESPRESSO_BENCH_H

struct bench_options;

/* Each returns the exit code. */

/* bench overhead (bench_overhead.c): the mutex scenario against a bare lock loop, at one barista
 * and at two. */
int bench_overhead(const struct bench_options *opts);

/* bench repeatability (bench_repeatability.c): how much a compare cell moves between sweeps. */
int bench_repeatability(void);

/* bench collapse (bench_collapse.c): fair and unfair spinlocks and a mutex, with more baristas
 * than CPUs and on one CPU. */
int bench_collapse(void);

#endif
