/*
 * spin-ck-cas — Concurrency Kit's compare-and-swap spinlock guards the espresso machine.
 *
 * ck's inline assembly is invisible to ThreadSanitizer: the lock's edges are annotated
 * (ck_lock_scenario.h, variant.h).
 */
#include "ck_lock_scenario.h"

CK_LOCK_SCENARIO(spin_ck_cas_scenario, ck_spinlock_cas_t, CK_SPINLOCK_CAS_INITIALIZER,
                 ck_spinlock_cas_lock, ck_spinlock_cas_unlock, ck_spinlock_cas_trylock,
                 .name = "spin-ck-cas",
                 .spinlock = true,
                 .summary = "Concurrency Kit's compare-and-swap spinlock",
                 .lesson = "Like fas, but a waiter only writes when the lock looks free "
                           "(compare-and-swap after reading). Less cache-line traffic under "
                           "contention; just as unfair.");
