/* The benchmarks: figures for a person to read, not bounds a test holds the lab to. */
#ifndef ESPRESSO_BENCH_H
#define ESPRESSO_BENCH_H

/* bench collapse (bench_collapse.c): fair and unfair spinlocks and a mutex, with more baristas
 * than CPUs and on one CPU. Returns the exit code. */
int bench_collapse(void);

#endif
