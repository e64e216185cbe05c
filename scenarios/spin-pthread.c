/*
 * spin-pthread — a POSIX spinlock guards the espresso machine.
 *
 * A waiting barista does not sleep: it spins on the CPU until the lock is free. That is cheap
 * when the holder is running on another core and will be done in nanoseconds, and ruinous when
 * the holder has been preempted: every waiter burns its time slice for nothing.
 * ThreadSanitizer intercepts pthread_spin_* itself, so no annotation is needed.
 */
#include "lock_scenario.h"

#include "die.h"

#include <pthread.h>

static pthread_spinlock_t machine_spinlock;

static int spin_pthread_setup(const struct run_config *config)
{
        (void)config;
        return -pthread_spin_init(&machine_spinlock, PTHREAD_PROCESS_PRIVATE);
}

static void spin_pthread_teardown(void)
{
        lab_must(pthread_spin_destroy(&machine_spinlock));
}

static bool machine_lock_if_free(struct barista *b)
{
        (void)b;
        return pthread_spin_trylock(&machine_spinlock) == 0;
}

static void machine_lock(struct barista *b)
{
        (void)b;
        pthread_spin_lock(&machine_spinlock);
}

static void machine_unlock(struct barista *b)
{
        (void)b;
        pthread_spin_unlock(&machine_spinlock);
}

LOCK_SCENARIO(spin_pthread_scenario,
              .name = "spin-pthread",
              .spinlock = true,
              .summary = "A pthread spinlock: waiters spin instead of sleeping",
              .lesson = "Fast while every barista has a core: no trip to the kernel. With more "
                        "baristas than cores a waiter may spin through its whole time slice while "
                        "the holder sits preempted: throughput collapses and involuntary context "
                        "switches climb.",
              .setup = spin_pthread_setup,
              .teardown = spin_pthread_teardown);
