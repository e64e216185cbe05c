/*
 * spin-c11-ttas-backoff — test-and-test-and-set with exponential backoff, in C11 atomics.
 *
 * A barista who loses the race for a free machine steps back for a while before looking again,
 * twice as long after each loss: fewer baristas stampede at each release.
 */
#include "lock_scenario.h"

#include "cpu.h"

#include <stdatomic.h>

#define BACKOFF_MIN_PAUSES 4
#define BACKOFF_MAX_PAUSES 1024

static atomic_bool machine_taken;

static bool machine_lock_if_free(struct barista *b)
{
        (void)b;
        return !atomic_load_explicit(&machine_taken, memory_order_relaxed) &&
               !atomic_exchange_explicit(&machine_taken, true, memory_order_acquire);
}

static void machine_lock(struct barista *b)
{
        unsigned backoff = BACKOFF_MIN_PAUSES;

        (void)b;
        for (;;) {
                while (atomic_load_explicit(&machine_taken, memory_order_relaxed))
                        cpu_relax();
                if (!atomic_exchange_explicit(&machine_taken, true, memory_order_acquire))
                        return;
                /* Lost the race: someone else got there first. Back off, then look again. */
                for (unsigned i = 0; i < backoff; i++)
                        cpu_relax();
                if (backoff < BACKOFF_MAX_PAUSES)
                        backoff *= 2;
        }
}

static void machine_unlock(struct barista *b)
{
        (void)b;
        atomic_store_explicit(&machine_taken, false, memory_order_release);
}

LOCK_SCENARIO(spin_c11_ttas_backoff_scenario,
              .name = "spin-c11-ttas-backoff",
              .spinlock = true,
              .summary = "Test-and-test-and-set with exponential backoff, in C11 atomics",
              .lesson = "Losers of the race wait longer each time before trying again, so fewer "
                        "baristas collide at each release. Throughput under contention improves; "
                        "fairness gets worse, since a backed-off barista keeps losing to fresh "
                        "arrivals.");
