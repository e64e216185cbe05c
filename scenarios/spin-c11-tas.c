/*
 * spin-c11-tas — the spinlock students write first: test-and-set, in C11 atomics.
 *
 * One flag says "the machine is taken". To take it, swap in "taken" and look at what was there:
 * if it was free, the machine is ours. ThreadSanitizer understands C11 atomics, so this needs no
 * annotation: the memory orders below are exactly what it checks.
 */
#include "lock_scenario.h"

#include "cpu.h"

#include <stdatomic.h>

static atomic_flag machine_taken = ATOMIC_FLAG_INIT;

static bool machine_lock_if_free(struct barista *b)
{
        (void)b;
        /* acquire: if the swap finds the flag clear, everything the previous holder wrote before
         * its release (its shot, the counter) is visible to us. */
        return !atomic_flag_test_and_set_explicit(&machine_taken, memory_order_acquire);
}

static void machine_lock(struct barista *b)
{
        (void)b;
        /* Every attempt is a write: the flag's cache line bounces between waiting cores. */
        while (atomic_flag_test_and_set_explicit(&machine_taken, memory_order_acquire))
                cpu_relax();
}

static void machine_unlock(struct barista *b)
{
        (void)b;
        /* release: our shot is published to whoever takes the flag next. */
        atomic_flag_clear_explicit(&machine_taken, memory_order_release);
}

LOCK_SCENARIO(spin_c11_tas_scenario,
              .name = "spin-c11-tas",
              .spinlock = true,
              .summary = "Test-and-set spinlock in C11 atomics",
              .lesson = "Correct with just acquire on taking and release on giving back. But every "
                        "waiting barista keeps writing the flag, so its cache line ping-pongs "
                        "between cores, and the lock is unfair: the releasing barista often wins "
                        "it straight back.");
