/*
 * spin-ck-anderson — Concurrency Kit's Anderson array lock guards the espresso machine.
 *
 * The lock is an array of slots, one per barista. Taking the lock hands a barista the next slot
 * (one fetch-and-add), and it spins on that slot alone; releasing unlocks the slot after it.
 * First come, first served. (ck 0.7's slots are 8 bytes, so eight waiters share a cache line.)
 * ck's atomics are invisible to ThreadSanitizer, so the lock's edges are annotated.
 */
#include "lock_scenario.h"

#include <ck_spinlock.h>
#include <errno.h>
#include <stdlib.h>

static ck_spinlock_anderson_t machine_lock_array;
static ck_spinlock_anderson_thread_t *slots;  /* one per barista */
static ck_spinlock_anderson_thread_t **held;  /* held[id - 1]: the slot barista id got */

static void machine_lock(struct barista *b);

static bool machine_lock_if_free(struct barista *b)
{
        if (ck_spinlock_anderson_locked(&machine_lock_array))
                return false;
        machine_lock(b); /* looked free: if someone slipped in first, this waits briefly */
        return true;
}

static void machine_lock(struct barista *b)
{
        annotate_before_lock(&machine_lock_array);
        ck_spinlock_anderson_lock(&machine_lock_array, &held[b->id - 1]);
        annotate_after_lock(&machine_lock_array);
}

static void machine_unlock(struct barista *b)
{
        annotate_before_unlock(&machine_lock_array);
        ck_spinlock_anderson_unlock(&machine_lock_array, held[b->id - 1]);
        annotate_after_unlock(&machine_lock_array);
}

static int spin_ck_anderson_setup(const struct run_config *config)
{
        slots = calloc(config->baristas, sizeof(*slots));
        held = calloc(config->baristas, sizeof(*held));
        if (!slots || !held) {
                free(slots);
                free(held);
                return -ENOMEM;
        }
        ck_spinlock_anderson_init(&machine_lock_array, slots, config->baristas);
        annotate_atomic_only(&machine_lock_array, sizeof(machine_lock_array)); /* ck's words */
        annotate_atomic_only(slots, sizeof(*slots) * config->baristas);
        return 0;
}

static void spin_ck_anderson_teardown(void)
{
        free(slots);
        free(held);
        slots = NULL;
        held = NULL;
}

LOCK_SCENARIO(spin_ck_anderson_scenario,
              .name = "spin-ck-anderson",
              .spinlock = true,
              .fair = true,
              .summary = "Concurrency Kit's Anderson array lock: one slot per waiter",
              .lesson = "A ticket lock where each ticket is its own array slot: first come, first "
                        "served, and each waiter spins on its own slot. It needs a slot for every "
                        "barista up front.",
              .setup = spin_ck_anderson_setup,
              .teardown = spin_ck_anderson_teardown);
