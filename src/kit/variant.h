/*
 * The build variants' hooks: what a build of the lab may fill in around the kit's and the
 * scenarios' code, defined once, here. Each target resolves them its own way; the measured
 * native build resolves them to nothing.
 *
 *   annotations        tell a race detector about a hand-off it cannot see: a lock taken and
 *                      released with Concurrency Kit's inline assembly, an order passed through
 *                      a lock-free queue, a menu published and retired through RCU. The TSan
 *                      build fills them with TSan's API; ESPRESSO_TSAN_ANNOTATIONS=off turns them
 *                      off at run time (race-check --no-annotations).
 *   progress           the heartbeat the watchdog reads (barista_progress(), barista.h): a
 *                      relaxed store in every build.
 *   scheduling points  where a build that controls the schedule may switch baristas (taking an
 *                      order, stepping up to the machine, reading and writing its count, a menu
 *                      read, a lock): nothing in today's builds.
 *
 * Every annotation states a truth no broader than the guarantee it stands for, and never hides a
 * real race: an access made without taking the lock (scenario forgetful) stays unordered.
 */
#ifndef ESPRESSO_VARIANT_H
#define ESPRESSO_VARIANT_H

#include <stdbool.h>

#if defined(__SANITIZE_THREAD__)
#define ESPRESSO_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ESPRESSO_TSAN 1
#endif
#endif

/* Where a controlled schedule may switch baristas. */
enum schedule_point {
        SCHEDULE_TAKE_ORDER,
        SCHEDULE_STEP_UP,
        SCHEDULE_READ_COUNT,
        SCHEDULE_WRITE_COUNT,
        SCHEDULE_STEP_DOWN,
        SCHEDULE_READ_MENU,
};

/* No build controls the schedule yet: a point is nothing. */
#define variant_schedule_point(barista, point) ((void)(barista), (void)(point))

#ifdef ESPRESSO_TSAN
#include <sanitizer/tsan_interface.h>

/* Read once from ESPRESSO_TSAN_ANNOTATIONS before any scenario runs (variant.c). */
extern bool annotations_on;

/* The lock lives in static storage and needs no constructor (ck's initializers are zeroes). */
#define ANNOTATED_LOCK_FLAGS __tsan_mutex_linker_init

/* The lock's edges, as TSan's mutex API has them: the critical section happens after the
 * previous release, and the lock feeds TSan's lock-order checks. */
static inline void annotate_before_lock(void *lock)
{
        if (annotations_on)
                __tsan_mutex_pre_lock(lock, ANNOTATED_LOCK_FLAGS);
}

static inline void annotate_after_lock(void *lock)
{
        if (annotations_on)
                __tsan_mutex_post_lock(lock, ANNOTATED_LOCK_FLAGS, 0);
}

static inline void annotate_before_trylock(void *lock)
{
        if (annotations_on)
                __tsan_mutex_pre_lock(lock, ANNOTATED_LOCK_FLAGS | __tsan_mutex_try_lock);
}

static inline void annotate_after_trylock(void *lock, bool taken)
{
        if (annotations_on)
                __tsan_mutex_post_lock(lock, ANNOTATED_LOCK_FLAGS | __tsan_mutex_try_lock |
                                                     (taken ? 0 : __tsan_mutex_try_lock_failed), 0);
}

static inline void annotate_before_unlock(void *lock)
{
        if (annotations_on)
                __tsan_mutex_pre_unlock(lock, 0);
}

static inline void annotate_after_unlock(void *lock)
{
        if (annotations_on)
                __tsan_mutex_post_unlock(lock, 0);
}

/* What happened before this call in this thread happens before whatever follows a matching
 * annotate_acquire(addr) in another thread. */
static inline void annotate_release(void *addr)
{
        if (annotations_on)
                __tsan_release(addr);
}

static inline void annotate_acquire(void *addr)
{
        if (annotations_on)
                __tsan_acquire(addr);
}

#else /* the native build: nothing to tell */

static inline void annotate_before_lock(void *lock) { (void)lock; }
static inline void annotate_after_lock(void *lock) { (void)lock; }
static inline void annotate_before_trylock(void *lock) { (void)lock; }
static inline void annotate_after_trylock(void *lock, bool taken) { (void)lock, (void)taken; }
static inline void annotate_before_unlock(void *lock) { (void)lock; }
static inline void annotate_after_unlock(void *lock) { (void)lock; }
static inline void annotate_release(void *addr) { (void)addr; }
static inline void annotate_acquire(void *addr) { (void)addr; }

#endif
#endif
