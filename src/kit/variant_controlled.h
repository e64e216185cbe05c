/*
 * A scenario's synchronization calls, as scheduling points (the controlled build only).
 *
 * In a controlled run one barista runs at a time, so a barista that waits must say so instead of
 * spinning or sleeping, and every call that hands something from one barista to another is a
 * place where the next barista may be chosen. This header maps, for the code that follows
 * scenario.h (a scenario's or a student's file), pthread's mutexes, spinlocks, reader-writer
 * locks and condition variables, POSIX semaphores, sched_yield() and the sleeps to
 * schedule_sync.c, which models them: the real objects are left untouched while a run is
 * controlled, and a barista waiting for one is not runnable until it could go on. Outside a
 * controlled run (the controlled lab's other commands, the scenario's setup on the main thread)
 * each call is the real one.
 *
 * Macros rather than the linker's --wrap: they reach exactly the scenario's own calls, and
 * neither the harness's nor the sanitizer runtime's. The C11 atomics are mapped the same way in
 * variant_atomics.h; ck's locks and liburcu are given points in ck_lock_scenario.h and rcu.h.
 */
#ifndef ESPRESSO_VARIANT_CONTROLLED_H
#define ESPRESSO_VARIANT_CONTROLLED_H

#ifdef ESPRESSO_CONTROLLED_BUILD
/* Every header that declares a mapped name, before the mapping: a later #include of one of them
 * then finds its guard set and declares nothing the macros would rewrite. */
#include "schedule.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <semaphore.h>
#include <time.h>
#include <unistd.h>

/* An object made anew (memory the model may have seen as another object before): the model
 * forgets what it knew of it, and the real initialization is made. */
int controlled_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr);
int controlled_spin_init(pthread_spinlock_t *lock, int shared);
int controlled_rwlock_init(pthread_rwlock_t *lock, const pthread_rwlockattr_t *attr);
int controlled_sem_init(sem_t *sem, int shared, unsigned value);
int controlled_mutex_lock(pthread_mutex_t *mutex, const char *expression, unsigned line);
int controlled_mutex_trylock(pthread_mutex_t *mutex, const char *expression, unsigned line);
int controlled_mutex_unlock(pthread_mutex_t *mutex, const char *expression, unsigned line);
int controlled_spin_lock(pthread_spinlock_t *lock, const char *expression, unsigned line);
int controlled_spin_trylock(pthread_spinlock_t *lock, const char *expression, unsigned line);
int controlled_spin_unlock(pthread_spinlock_t *lock, const char *expression, unsigned line);
int controlled_rwlock_rdlock(pthread_rwlock_t *lock, const char *expression, unsigned line);
int controlled_rwlock_wrlock(pthread_rwlock_t *lock, const char *expression, unsigned line);
int controlled_rwlock_tryrdlock(pthread_rwlock_t *lock, const char *expression, unsigned line);
int controlled_rwlock_trywrlock(pthread_rwlock_t *lock, const char *expression, unsigned line);
int controlled_rwlock_unlock(pthread_rwlock_t *lock, const char *expression, unsigned line);
int controlled_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, const char *expression,
                         unsigned line);
int controlled_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                              const struct timespec *until, const char *expression, unsigned line);
int controlled_cond_signal(pthread_cond_t *cond, bool all, const char *expression, unsigned line);
int controlled_sem_wait(sem_t *sem, const char *expression, unsigned line);
int controlled_sem_trywait(sem_t *sem, const char *expression, unsigned line);
int controlled_sem_post(sem_t *sem, const char *expression, unsigned line);
/* sched_yield() and the sleeps: time does not pass in a controlled run, so a sleep is a yield. */
int controlled_yield(unsigned line);
/* Around a C11 atomic operation (variant_atomics.h): the point before it, which returns the
 * object's bytes then (all of a lock-free object's: at most 16), and what the operation did,
 * after it. */
struct controlled_bytes {
        unsigned char bytes[16];
};
struct controlled_bytes controlled_atomic_before(const volatile void *object, size_t size,
                                                 enum schedule_point point, const char *expression,
                                                 unsigned line);
void controlled_atomic_after(const volatile void *object, size_t size,
                             struct controlled_bytes before, enum schedule_point point, unsigned line);

/* Only in a scenario's code: the lab's own (ESPRESSO_LAB_SOURCE, set by the build) calls the real
 * ones, schedule_sync.c among it. */
#ifndef ESPRESSO_LAB_SOURCE
#define pthread_mutex_init(m, a) controlled_mutex_init((m), (a))
#define pthread_spin_init(l, s) controlled_spin_init((l), (s))
#define pthread_rwlock_init(l, a) controlled_rwlock_init((l), (a))
#define sem_init(s, p, v) controlled_sem_init((s), (p), (v))
#define pthread_mutex_lock(m) controlled_mutex_lock((m), #m, __LINE__)
#define pthread_mutex_trylock(m) controlled_mutex_trylock((m), #m, __LINE__)
#define pthread_mutex_unlock(m) controlled_mutex_unlock((m), #m, __LINE__)
#define pthread_spin_lock(l) controlled_spin_lock((l), #l, __LINE__)
#define pthread_spin_trylock(l) controlled_spin_trylock((l), #l, __LINE__)
#define pthread_spin_unlock(l) controlled_spin_unlock((l), #l, __LINE__)
#define pthread_rwlock_rdlock(l) controlled_rwlock_rdlock((l), #l, __LINE__)
#define pthread_rwlock_wrlock(l) controlled_rwlock_wrlock((l), #l, __LINE__)
#define pthread_rwlock_tryrdlock(l) controlled_rwlock_tryrdlock((l), #l, __LINE__)
#define pthread_rwlock_trywrlock(l) controlled_rwlock_trywrlock((l), #l, __LINE__)
#define pthread_rwlock_unlock(l) controlled_rwlock_unlock((l), #l, __LINE__)
#define pthread_cond_wait(c, m) controlled_cond_wait((c), (m), #c, __LINE__)
#define pthread_cond_timedwait(c, m, t) controlled_cond_timedwait((c), (m), (t), #c, __LINE__)
#define pthread_cond_signal(c) controlled_cond_signal((c), false, #c, __LINE__)
#define pthread_cond_broadcast(c) controlled_cond_signal((c), true, #c, __LINE__)
#define sem_wait(s) controlled_sem_wait((s), #s, __LINE__)
#define sem_trywait(s) controlled_sem_trywait((s), #s, __LINE__)
#define sem_post(s) controlled_sem_post((s), #s, __LINE__)
#define sched_yield() controlled_yield(__LINE__)
#define usleep(us) ((void)(us), controlled_yield(__LINE__))
#define nanosleep(t, left) ((void)(t), (void)(left), controlled_yield(__LINE__))
#define sleep(s) ((void)(s), (unsigned)controlled_yield(__LINE__))
#endif
#endif

#endif
