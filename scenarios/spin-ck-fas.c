/*
 * spin-ck-fas — Concurrency Kit's fetch-and-store (test-and-set) spinlock guards the espresso machine.
 *
 * ck takes and releases the lock with inline assembly that ThreadSanitizer cannot see, so each
 * edge is annotated (src/tsan_annotate.h): without that, TSan would report this correct
 * scenario as racy.
 */
#include "lock_scenario.h"

#include <ck_spinlock.h>

static ck_spinlock_fas_t machine_spinlock = CK_SPINLOCK_FAS_INITIALIZER;

static bool machine_lock_if_free(struct barista *b)
{
        (void)b;
        tsan_before_trylock(&machine_spinlock);
        bool taken = ck_spinlock_fas_trylock(&machine_spinlock);
        tsan_after_trylock(&machine_spinlock, taken);
        return taken;
}

static void machine_lock(struct barista *b)
{
        (void)b;
        tsan_before_lock(&machine_spinlock);
        ck_spinlock_fas_lock(&machine_spinlock);
        tsan_after_lock(&machine_spinlock);
}

static void machine_unlock(struct barista *b)
{
        (void)b;
        tsan_before_unlock(&machine_spinlock);
        ck_spinlock_fas_unlock(&machine_spinlock);
        tsan_after_unlock(&machine_spinlock);
}

LOCK_SCENARIO(spin_ck_fas_scenario,
              .name = "spin-ck-fas",
              .summary = "Concurrency Kit's fetch-and-store spinlock (test-and-set)",
              .lesson = "Every waiter swaps the lock word again and again, so the cache line holding it bounces between cores on every attempt. Unfair: whoever swaps first after a release wins, often the barista who just released it.");
