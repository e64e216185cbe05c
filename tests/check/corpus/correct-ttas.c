/*
 * check-expect: verdict=passed hint=none
 * expect: clean (for detectors: what the file is, by the race-check vocabulary)
 * The student writes a test-and-test-and-set spinlock in C11 atomics: waiters watch the flag
 * with plain relaxed loads (and cpu_relax), swap only when it looks free, with acquire on the
 * swap that wins; the holder gives it back with a release store.
 */
#include "lock_scenario.h"

#include "cpu.h"

#include <stdatomic.h>

static atomic_bool in_use;

static bool machine_lock_if_free(struct barista *b)
{
        (void)b;
        /* Look before swapping: a swap that fails still takes the cache line away. */
        if (atomic_load_explicit(&in_use, memory_order_relaxed))
                return false;
        /* acquire: the previous holder's shot is visible once we win. */
        return !atomic_exchange_explicit(&in_use, true, memory_order_acquire);
}

static void machine_lock(struct barista *b)
{
        while (!machine_lock_if_free(b)) {
                /* Wait reading only: the line stays in our cache until the holder releases. */
                while (atomic_load_explicit(&in_use, memory_order_relaxed))
                        cpu_relax();
        }
}

static void machine_unlock(struct barista *b)
{
        (void)b;
        /* release: publishes our shot to whoever wins the flag next. */
        atomic_store_explicit(&in_use, false, memory_order_release);
}

LOCK_SCENARIO(correct_ttas_scenario,
              .name = "student-correct-ttas",
              .spinlock = true,
              .summary = "Test-and-test-and-set spinlock: acquire to take, release to give back",
              .lesson = "Spin on a read, swap when it looks free: acquire and release suffice.");
