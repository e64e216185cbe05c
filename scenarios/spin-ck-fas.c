/*
 * spin-ck-fas — Concurrency Kit's fetch-and-store (test-and-set) spinlock guards the machine.
 *
 * ck's inline assembly is invisible to ThreadSanitizer: the lock's edges are annotated
 * (ck_lock_scenario.h, variant.h).
 */
#include "ck_lock_scenario.h"

CK_LOCK_SCENARIO(spin_ck_fas_scenario, ck_spinlock_fas_t, CK_SPINLOCK_FAS_INITIALIZER,
                 ck_spinlock_fas_lock, ck_spinlock_fas_unlock, ck_spinlock_fas_trylock,
                 .name = "spin-ck-fas",
                 .spinlock = true,
                 .summary = "Concurrency Kit's fetch-and-store spinlock (test-and-set)",
                 .lesson = "Every waiter swaps the lock word again and again, so the cache line "
                           "holding it bounces between cores on every attempt. Unfair: whoever "
                           "swaps first after a release wins, often the barista who just released "
                           "it.");
