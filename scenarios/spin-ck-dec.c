/*
 * spin-ck-dec — Concurrency Kit's decrement spinlock guards the espresso machine.
 *
 * ck's inline assembly is invisible to ThreadSanitizer: the lock's edges are annotated
 * (ck_lock_scenario.h, variant.h).
 */
#include "ck_lock_scenario.h"

CK_LOCK_SCENARIO(spin_ck_dec_scenario, ck_spinlock_dec_t, CK_SPINLOCK_DEC_INITIALIZER,
                 ck_spinlock_dec_lock, ck_spinlock_dec_unlock, ck_spinlock_dec_trylock,
                 .name = "spin-ck-dec",
                 .spinlock = true,
                 .summary = "Concurrency Kit's decrement spinlock",
                 .lesson = "The lock word counts down: whoever decrements 1 to 0 owns it. Cheap "
                           "and simple, unfair like test-and-set.");
