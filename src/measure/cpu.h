/* The CPUs: the spin-wait hint for hand-written spin loops, and which CPUs a thread runs on. */
#ifndef ESPRESSO_CPU_H
#define ESPRESSO_CPU_H

#include <stdint.h>

/* Tells the CPU this is a spin-wait: on x86 "pause" saves power, yields the core's resources to
 * a hyper-thread sibling, and avoids a memory-order mis-speculation when the lock frees up. */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#elif defined(__aarch64__)
        __asm__ __volatile__("yield");
#endif
}

/* CPUs this process may run on (its affinity), at least 1. */
unsigned cpus_usable(void);

/* Pins the calling thread to CPU index mod the CPUs this process may use (what --pin does to
 * barista i with index i - 1). */
void pin_to_cpu(uint32_t index);

#endif
