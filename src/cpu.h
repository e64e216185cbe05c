/* The CPU's spin-wait hint, for hand-written spin loops. */
#ifndef ESPRESSO_CPU_H
#define ESPRESSO_CPU_H

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

#endif
