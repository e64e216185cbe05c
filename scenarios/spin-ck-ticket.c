/*
 * spin-ck-ticket — Concurrency Kit's ticket spinlock guards the espresso machine.
 *
 * ck takes and releases the lock with inline assembly that ThreadSanitizer cannot see, so each
 * edge is annotated (src/tsan_annotate.h): without that, TSan would report this correct
 * scenario as racy.
 */
#include "lock_scenario.h"

#include <ck_spinlock.h>

static ck_spinlock_ticket_t machine_spinlock = CK_SPINLOCK_TICKET_INITIALIZER;

static bool machine_lock_if_free(struct barista *b)
{
        (void)b;
        tsan_before_trylock(&machine_spinlock);
        bool taken = ck_spinlock_ticket_trylock(&machine_spinlock);
        tsan_after_trylock(&machine_spinlock, taken);
        return taken;
}

static void machine_lock(struct barista *b)
{
        (void)b;
        tsan_before_lock(&machine_spinlock);
        ck_spinlock_ticket_lock(&machine_spinlock);
        tsan_after_lock(&machine_spinlock);
}

static void machine_unlock(struct barista *b)
{
        (void)b;
        tsan_before_unlock(&machine_spinlock);
        ck_spinlock_ticket_unlock(&machine_spinlock);
        tsan_after_unlock(&machine_spinlock);
}

LOCK_SCENARIO(spin_ck_ticket_scenario,
              .name = "spin-ck-ticket",
              .fair = true,
              .summary = "Concurrency Kit's ticket spinlock: first come, first served",
              .twins = { "forgetful" },
              .lesson = "Each barista takes a numbered ticket and waits for its number: strictly first come, first served, so fairness is near 1. The price: when the next ticket holder is preempted, everyone behind it waits too.");
