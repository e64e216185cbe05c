/*
 * spin-ck-dec — Concurrency Kit's decrement spinlock guards the espresso machine.
 *
 * ck takes and releases the lock with inline assembly that ThreadSanitizer cannot see, so each
 * edge is annotated (src/tsan_annotate.h): without that, TSan would report this correct
 * scenario as racy.
 */
#include "lock_scenario.h"

#include <ck_spinlock.h>

static ck_spinlock_dec_t machine_spinlock = CK_SPINLOCK_DEC_INITIALIZER;

static bool machine_lock_if_free(struct barista *b)
{
        (void)b;
        tsan_before_trylock(&machine_spinlock);
        bool taken = ck_spinlock_dec_trylock(&machine_spinlock);
        tsan_after_trylock(&machine_spinlock, taken);
        return taken;
}

static void machine_lock(struct barista *b)
{
        (void)b;
        tsan_before_lock(&machine_spinlock);
        ck_spinlock_dec_lock(&machine_spinlock);
        tsan_after_lock(&machine_spinlock);
}

static void machine_unlock(struct barista *b)
{
        (void)b;
        tsan_before_unlock(&machine_spinlock);
        ck_spinlock_dec_unlock(&machine_spinlock);
        tsan_after_unlock(&machine_spinlock);
}

LOCK_SCENARIO(spin_ck_dec_scenario,
              .name = "spin-ck-dec",
              .summary = "Concurrency Kit's decrement spinlock",
              .lesson = "The lock word counts down: whoever decrements 1 to 0 owns it. Cheap and simple, unfair like test-and-set.");
