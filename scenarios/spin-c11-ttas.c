/*
 * spin-c11-ttas — test-and-test-and-set, in C11 atomics.
 *
 * Test-and-set with manners: while the machine is taken, waiters only read the flag (the line
 * stays shared in every waiter's cache, no traffic), and try the swap only when it looks free.
 */
#include "lock_scenario.h"

#include "cpu.h"

#include <stdatomic.h>

static atomic_bool machine_taken;

static bool machine_lock_if_free(struct barista *b)
{
        (void)b;
        /* The relaxed peek orders nothing; the acquire swap is what makes the shot safe. */
        return !atomic_load_explicit(&machine_taken, memory_order_relaxed) &&
               !atomic_exchange_explicit(&machine_taken, true, memory_order_acquire);
}

static void machine_lock(struct barista *b)
{
        (void)b;
        for (;;) {
                /* Test: wait, reading only, while the machine is taken. */
                while (atomic_load_explicit(&machine_taken, memory_order_relaxed))
                        cpu_relax();
                /* And set: it looked free; take it, unless another waiter was quicker. */
                if (!atomic_exchange_explicit(&machine_taken, true, memory_order_acquire))
                        return;
        }
}

static void machine_unlock(struct barista *b)
{
        (void)b;
        atomic_store_explicit(&machine_taken, false, memory_order_release);
}

LOCK_SCENARIO(spin_c11_ttas_scenario,
              .name = "spin-c11-ttas",
              .spinlock = true,
              .summary = "Test-and-test-and-set spinlock in C11 atomics",
              .lesson = "Waiters spin on a read, which stays in their own cache until the holder "
                        "releases; only then do they all rush to swap. Less traffic than plain "
                        "test-and-set while the machine is busy, a burst of it at every release.");
