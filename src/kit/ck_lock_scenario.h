/*
 * A lock scenario around one of Concurrency Kit's plain spinlocks (fas, cas, dec, ticket): the
 * lock, and its three annotated edges. ck takes and releases its locks with inline assembly that
 * ThreadSanitizer cannot see, so each edge tells it what happened (variant.h): without that,
 * TSan would report a correct scenario as racy.
 *
 *      CK_LOCK_SCENARIO(spin_ck_fas_scenario, ck_spinlock_fas_t, CK_SPINLOCK_FAS_INITIALIZER,
 *                       ck_spinlock_fas_lock, ck_spinlock_fas_unlock, ck_spinlock_fas_trylock,
 *                       .name = "spin-ck-fas", .summary = "...", .lesson = "...");
 *
 * CK_LOCK_FUNCTIONS alone gives the lock and its three functions to a scenario that writes its
 * own loop (forgetful), and machine_spinlock_setup() for its descriptor's .setup: it tells
 * Helgrind and DRD that the lock's word is ck's alone, only ever accessed atomically
 * (annotate_atomic_only, variant.h).
 */
#ifndef ESPRESSO_CK_LOCK_SCENARIO_H
#define ESPRESSO_CK_LOCK_SCENARIO_H

#include "lock_scenario.h"

#include <ck_spinlock.h>

#define CK_LOCK_FUNCTIONS(type, initializer, lock_fn, unlock_fn, trylock_fn)                \
        static type machine_spinlock = initializer;                                         \
                                                                                            \
        static int machine_spinlock_setup(const struct run_config *config)                  \
        {                                                                                   \
                (void)config;                                                               \
                annotate_atomic_only(&machine_spinlock, sizeof(machine_spinlock));          \
                return 0;                                                                   \
        }                                                                                   \
                                                                                            \
        static bool machine_lock_if_free(struct barista *b)                                 \
        {                                                                                   \
                (void)b;                                                                    \
                annotate_before_trylock(&machine_spinlock);                                 \
                bool taken = trylock_fn(&machine_spinlock);                                 \
                annotate_after_trylock(&machine_spinlock, taken);                           \
                return taken;                                                               \
        }                                                                                   \
                                                                                            \
        static void machine_lock(struct barista *b)                                         \
        {                                                                                   \
                (void)b;                                                                    \
                annotate_before_lock(&machine_spinlock);                                    \
                lock_fn(&machine_spinlock);                                                 \
                annotate_after_lock(&machine_spinlock);                                     \
        }                                                                                   \
                                                                                            \
        static void machine_unlock(struct barista *b)                                       \
        {                                                                                   \
                (void)b;                                                                    \
                annotate_before_unlock(&machine_spinlock);                                  \
                unlock_fn(&machine_spinlock);                                               \
                annotate_after_unlock(&machine_spinlock);                                   \
        }

#define CK_LOCK_SCENARIO(descriptor, type, initializer, lock_fn, unlock_fn, trylock_fn, ...) \
        CK_LOCK_FUNCTIONS(type, initializer, lock_fn, unlock_fn, trylock_fn)                \
        LOCK_SCENARIO(descriptor, .setup = machine_spinlock_setup, __VA_ARGS__)

#endif
