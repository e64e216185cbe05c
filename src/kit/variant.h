/*
 * The build variants' hooks: what a build of the lab may fill in around the kit's and the
 * scenarios' code, defined once, here. Each target resolves them its own way; the measured
 * native build resolves them to nothing.
 *
 *   annotations        tell a race detector about a hand-off it cannot see: a lock taken and
 *                      released with Concurrency Kit's inline assembly, an order passed through
 *                      a lock-free queue, a menu published and retired through RCU. The TSan
 *                      build fills them with TSan's API, the Valgrind build with Helgrind's and
 *                      DRD's client requests (and there also tells them what a scenario's C11
 *                      atomics order: variant_atomics.h); ESPRESSO_TSAN_ANNOTATIONS=off turns
 *                      them off at run time (race-check and detectors --no-annotations).
 *   the lab's words    the harness's and the kit's own atomics (a heartbeat, a stop flag, the
 *                      machine's in-use mark), which Helgrind and DRD would take for plain
 *                      words and report: variant_lab_words() says they are only ever accessed
 *                      atomically. Lab machinery, not a scenario's lesson: always on.
 *   progress           the heartbeat the watchdog reads (barista_progress(), barista.h): a
 *                      relaxed store in every build.
 *   scheduling points  where the controlled build (explore, replay) may switch baristas: taking
 *                      an order, stepping up to the machine, reading and writing its count, a
 *                      menu read or write, and a scenario's synchronization calls
 *                      (variant_controlled.h). Nothing at all in the other builds.
 *
 * Every annotation states a truth no broader than the guarantee it stands for, and never hides a
 * real race: an access made without taking the lock (scenario forgetful) stays unordered.
 */
#ifndef ESPRESSO_VARIANT_H
#define ESPRESSO_VARIANT_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__SANITIZE_THREAD__)
#define ESPRESSO_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ESPRESSO_TSAN 1
#endif
#endif

/* Scheduling points, for the controlled build (schedule.h): before an action of the kit's, with
 * its value when known before; and the value it found, after it. Nothing in the other builds:
 * the arguments are plain values the compiler drops. */
#include "schedule.h"
#ifdef ESPRESSO_CONTROLLED_BUILD
#define variant_schedule_point(barista, point, value) ((void)(barista), schedule_point(point, value))
#define variant_schedule_outcome(barista, value, outcome) \
        ((void)(barista), schedule_outcome(value, outcome))
#else
#define variant_schedule_point(barista, point, value) ((void)(barista), (void)(point), (void)(value))
#define variant_schedule_outcome(barista, value, outcome) \
        ((void)(barista), (void)(value), (void)(outcome))
#endif

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

#elif defined(ESPRESSO_VALGRIND_BUILD)
/*
 * The Valgrind build (espresso-lab-valgrind), run under Helgrind and under DRD. DRD answers
 * Helgrind's annotation requests under the same numbers (happens-before and after, rwlocks), so
 * one request tells both; only the unchecked bytes need a request of each tool's own. Outside
 * Valgrind a request is a few instructions that do nothing, and this build is not the measured
 * one anyway.
 */
#include <stddef.h>
#include <valgrind/helgrind.h>
#include <valgrind/drd.h>

extern bool annotations_on;

/* DRD's own requests, by number: with helgrind.h included first, drd.h leaves the ANNOTATE_
 * names to Helgrind's definitions (the shared ones are the same requests). */
#define DRD_REQUEST(request, addr, arg) \
        VALGRIND_DO_CLIENT_REQUEST_STMT(request, (addr), (arg), 0, 0, 0)

/* ck's lock is told as a writer lock, with the one pair of requests both tools share: Helgrind's
 * ANNOTATE_RWLOCK_ACQUIRED and _RELEASED are DRD's own rwlock requests under the same numbers.
 * (Helgrind's mutex requests next to DRD's would make Helgrind see one lock both as a mutex and
 * as a rwlock, and report each unlock as misuse.) Helgrind feeds such a lock to its lock-order
 * checks; DRD has none. Neither needs the lock announced before it is taken. */
static inline void annotate_before_lock(void *lock) { (void)lock; }

static inline void annotate_after_lock(void *lock)
{
        if (annotations_on)
                ANNOTATE_RWLOCK_ACQUIRED(lock, 1);
}

static inline void annotate_before_trylock(void *lock) { (void)lock; }

static inline void annotate_after_trylock(void *lock, bool taken)
{
        if (annotations_on && taken)
                ANNOTATE_RWLOCK_ACQUIRED(lock, 1);
}

static inline void annotate_before_unlock(void *lock)
{
        if (annotations_on)
                ANNOTATE_RWLOCK_RELEASED(lock, 1);
}

static inline void annotate_after_unlock(void *lock) { (void)lock; }

static inline void annotate_release(void *addr)
{
        if (annotations_on)
                ANNOTATE_HAPPENS_BEFORE(addr);
}

/* DRD takes a happens-after on an address no thread has yet released for an error: every
 * annotate_acquire() in the kit and the scenarios follows a release of the same address (the
 * menu's fill, its readers' token, the order in the queue), or is preceded by the owner's own. */
static inline void annotate_acquire(void *addr)
{
        if (annotations_on)
                ANNOTATE_HAPPENS_AFTER(addr);
}

/* These bytes are only ever accessed with atomic operations: by C11 they cannot take part in a
 * data race, and the tools need not check them. */
static inline void variant_lab_words(const volatile void *addr, size_t size)
{
        VALGRIND_HG_DISABLE_CHECKING(addr, size);
        DRD_REQUEST(VG_USERREQ__DRD_START_SUPPRESSION, addr, size);
}

/* The lab's own release and acquire pairs (the helper's stop flag): always told. */
static inline void variant_lab_release(const volatile void *addr)
{
        ANNOTATE_HAPPENS_BEFORE(addr);
}

static inline void variant_lab_acquire(const volatile void *addr)
{
        ANNOTATE_HAPPENS_AFTER(addr);
}

#elif defined(ESPRESSO_CONTROLLED_BUILD)
/*
 * The controlled build (explore, replay): a lock told through these edges (every ck lock) is a
 * scheduling point, and the model keeps who holds it (schedule_sync.c). A barista that would
 * wait is not runnable until the lock is free, so ck's inline code, chosen only once the lock
 * is free, takes it at once and never spins where the scheduler cannot see. Hand-offs order
 * nothing a one-at-a-time run needs: nothing to tell.
 */
void controlled_lock_before(const void *lock);
void controlled_lock_taken(const void *lock);
void controlled_trylock_before(const void *lock);
void controlled_trylock_after(const void *lock, bool taken);
void controlled_unlock_before(const void *lock);

static inline void annotate_before_lock(void *lock) { controlled_lock_before(lock); }
static inline void annotate_after_lock(void *lock) { controlled_lock_taken(lock); }
static inline void annotate_before_trylock(void *lock) { controlled_trylock_before(lock); }
static inline void annotate_after_trylock(void *lock, bool taken)
{
        controlled_trylock_after(lock, taken);
}
static inline void annotate_before_unlock(void *lock) { controlled_unlock_before(lock); }
static inline void annotate_after_unlock(void *lock) { (void)lock; }
static inline void annotate_release(void *addr) { (void)addr; }
static inline void annotate_acquire(void *addr) { (void)addr; }

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

#ifndef ESPRESSO_VALGRIND_BUILD
/* TSan understands atomics, and the native build has nobody to tell. */
static inline void variant_lab_words(const volatile void *addr, size_t size) { (void)addr, (void)size; }
static inline void variant_lab_release(const volatile void *addr) { (void)addr; }
static inline void variant_lab_acquire(const volatile void *addr) { (void)addr; }
#endif

/*
 * A message handed from one barista to another through a queue (an order in ck's FIFO): what
 * the sender wrote before annotate_handed_over(m) happens before what the receiver reads after
 * annotate_taken_over(m); to the detectors, a release and an acquire on its address, as
 * annotate_release() and annotate_acquire() say. In the controlled build the message is also
 * the receiver's alone from the hand-over on: AddressSanitizer poisons its bytes until the
 * receiver takes it, so a sender that touches what it handed over is caught in every schedule,
 * even when what it writes is what was already there.
 */
#define annotate_handed_over(message) variant_hand_over((message), sizeof(*(message)))
#define annotate_taken_over(message) variant_take_over((message), sizeof(*(message)))

#if defined(ESPRESSO_CONTROLLED_BUILD) && defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ESPRESSO_POISONS_HAND_OVERS 1
#include <sanitizer/asan_interface.h>
#endif
#endif

static inline void variant_hand_over(void *message, size_t size)
{
        annotate_release(message);
#ifdef ESPRESSO_POISONS_HAND_OVERS
        __asan_poison_memory_region(message, size);
#else
        (void)size;
#endif
}

static inline void variant_take_over(void *message, size_t size)
{
#ifdef ESPRESSO_POISONS_HAND_OVERS
        __asan_unpoison_memory_region(message, size);
#else
        (void)size;
#endif
        annotate_acquire(message);
}

/*
 * These bytes are a library's own synchronization words, which it only ever reads and writes
 * with its atomic instructions and fenced stores: a ck lock's word, a queue lock's nodes, ck's
 * ring indices and FIFO links, ck_epoch's records. Helgrind and DRD see those instructions as
 * plain loads and stores and would report the words as racing, so in the Valgrind build, told,
 * the tools stop checking exactly these bytes (heap bytes are checked again once freed). What
 * the words protect is still checked, and ordered only by the lock and hand-off annotations.
 * TSan never sees the inline assembly at all, and the native build has nobody to tell.
 */
static inline void annotate_atomic_only(const volatile void *addr, size_t size)
{
#ifdef ESPRESSO_VALGRIND_BUILD
        if (annotations_on)
                variant_lab_words(addr, size);
#else
        (void)addr, (void)size;
#endif
}
#endif
