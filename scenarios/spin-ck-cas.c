/*
 * spin-ck-cas — Concurrency Kit's compare-and-swap spinlock guards the espresso machine.
 *
 * ck takes and releases the lock with inline assembly that ThreadSanitizer cannot see, so each
 * edge is annotated (src/tsan_annotate.h): without that, TSan would report this correct
 * scenario as racy.
 */
#include "lock_scenario.h"

#include <ck_spinlock.h>

static ck_spinlock_cas_t machine_spinlock = CK_SPINLOCK_CAS_INITIALIZER;

static bool machine_lock_if_free(struct barista *b)
{
        (void)b;
        tsan_before_trylock(&machine_spinlock);
        bool taken = ck_spinlock_cas_trylock(&machine_spinlock);
        tsan_after_trylock(&machine_spinlock, taken);
        return taken;
}

static void machine_lock(struct barista *b)
{
        (void)b;
        tsan_before_lock(&machine_spinlock);
        ck_spinlock_cas_lock(&machine_spinlock);
        tsan_after_lock(&machine_spinlock);
}

static void machine_unlock(struct barista *b)
{
        (void)b;
        tsan_before_unlock(&machine_spinlock);
        ck_spinlock_cas_unlock(&machine_spinlock);
        tsan_after_unlock(&machine_spinlock);
}

LOCK_SCENARIO(spin_ck_cas_scenario,
              .name = "spin-ck-cas",
              .summary = "Concurrency Kit's compare-and-swap spinlock",
              .lesson = "Like fas, but a waiter only writes when the lock looks free (compare-and-swap after reading). Less cache-line traffic under contention; just as unfair.");
