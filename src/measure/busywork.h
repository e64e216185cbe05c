/*
 * Calibrated busy work: pulling a shot (--shot-ns, inside the critical section) and preparing an
 * order (--prep-ns, outside it). It burns CPU without touching shared memory, so it adds time
 * without adding sharing.
 */
#ifndef ESPRESSO_BUSYWORK_H
#define ESPRESSO_BUSYWORK_H

#include <stdint.h>

/* Laid out for no busy work (the hint): there a jump over the loop would show next to a lock
 * of a few ns, while with busy work one jump is lost in the work. */
static inline void busywork_spin(uint64_t iterations)
{
        if (__builtin_expect(iterations == 0, 1))
                return;
        for (uint64_t i = 0; i < iterations; i++)
                __asm__ __volatile__("" : : "r"(i)); /* keeps the loop from being optimized out */
}

/* Measures how many iterations of busywork_spin() take a nanosecond. Idempotent. */
void busywork_calibrate(void);

/* Iterations of busywork_spin() that take about ns nanoseconds (0 for 0). */
uint64_t busywork_iterations_for_ns(uint64_t ns);

/* The calibration, for reports: iterations per microsecond. */
double busywork_iterations_per_us(void);

#endif
