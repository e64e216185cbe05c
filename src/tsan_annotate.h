/*
 * Telling ThreadSanitizer what a lock it cannot see does.
 *
 * Concurrency Kit's atomics are inline assembly: TSan sees neither the lock being taken nor it
 * being released, so the critical sections of a correct ck lock look unordered, and the machine
 * looks raced. These annotations state the truth at the lock's edges: "this lock was just taken"
 * (the critical section happens after the previous release) and "this lock is about to be
 * released". They use TSan's mutex API, which also feeds TSan's lock-order (deadlock) checks.
 *
 * tsan_release()/tsan_acquire() state a hand-off that no lock makes: an order placed in a
 * lock-free queue and taken out, a menu published and read through RCU, a grace period that
 * ends before memory is freed.
 *
 * They compile to nothing outside TSan builds, so they cost nothing when measuring. They never
 * hide a real race: an access made without taking the lock (scenario forgetful) stays unordered.
 * In a TSan build, ESPRESSO_TSAN_ANNOTATIONS=off turns them off at run time, to show what TSan
 * says without them (race-check --no-annotations).
 */
#ifndef ESPRESSO_TSAN_ANNOTATE_H
#define ESPRESSO_TSAN_ANNOTATE_H

#include <stdbool.h>

#if defined(__SANITIZE_THREAD__)
#define ESPRESSO_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ESPRESSO_TSAN 1
#endif
#endif

#ifdef ESPRESSO_TSAN
#include <sanitizer/tsan_interface.h>

/* Read once from ESPRESSO_TSAN_ANNOTATIONS before any scenario runs. */
extern bool tsan_annotations_on;

/* The lock lives in static storage and needs no constructor (ck's initializers are zeroes). */
#define TSAN_LOCK_FLAGS __tsan_mutex_linker_init

static inline void tsan_before_lock(void *lock)
{
        if (tsan_annotations_on)
                __tsan_mutex_pre_lock(lock, TSAN_LOCK_FLAGS);
}

static inline void tsan_after_lock(void *lock)
{
        if (tsan_annotations_on)
                __tsan_mutex_post_lock(lock, TSAN_LOCK_FLAGS, 0);
}

static inline void tsan_before_trylock(void *lock)
{
        if (tsan_annotations_on)
                __tsan_mutex_pre_lock(lock, TSAN_LOCK_FLAGS | __tsan_mutex_try_lock);
}

static inline void tsan_after_trylock(void *lock, bool taken)
{
        if (tsan_annotations_on)
                __tsan_mutex_post_lock(lock, TSAN_LOCK_FLAGS | __tsan_mutex_try_lock |
                                                     (taken ? 0 : __tsan_mutex_try_lock_failed), 0);
}

static inline void tsan_before_unlock(void *lock)
{
        if (tsan_annotations_on)
                __tsan_mutex_pre_unlock(lock, 0);
}

static inline void tsan_after_unlock(void *lock)
{
        if (tsan_annotations_on)
                __tsan_mutex_post_unlock(lock, 0);
}

/* What happened before this call in this thread happens before whatever follows a matching
 * tsan_acquire(addr) in another thread. */
static inline void tsan_release(void *addr)
{
        if (tsan_annotations_on)
                __tsan_release(addr);
}

static inline void tsan_acquire(void *addr)
{
        if (tsan_annotations_on)
                __tsan_acquire(addr);
}

#else /* not a TSan build: nothing to tell */

static inline void tsan_before_lock(void *lock) { (void)lock; }
static inline void tsan_after_lock(void *lock) { (void)lock; }
static inline void tsan_before_trylock(void *lock) { (void)lock; }
static inline void tsan_after_trylock(void *lock, bool taken) { (void)lock, (void)taken; }
static inline void tsan_before_unlock(void *lock) { (void)lock; }
static inline void tsan_after_unlock(void *lock) { (void)lock; }
static inline void tsan_release(void *addr) { (void)addr; }
static inline void tsan_acquire(void *addr) { (void)addr; }

#endif
#endif
