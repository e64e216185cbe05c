/*
 * The locks a controlled run models (variant_controlled.h): mutexes, spinlocks, reader-writer
 * locks and ck's locks, each a scheduling point (semaphores, condition variables and yields:
 * schedule_signals.c; C11 atomics: schedule_atomics.c).
 *
 * While the schedule controls the calling thread, a lock is the model's alone: who holds it is
 * kept in the trace's object (schedule.h), the real pthread object is never touched, and a
 * barista that would block is not runnable until the lock is free. Only one barista runs at a
 * time, so the model needs no synchronization of its own. For any other thread each call is the
 * real one.
 */
#include "schedule_model.h"
#include "variant.h"

#ifdef ESPRESSO_CONTROLLED_BUILD
#include <errno.h>
#include <string.h>

int schedule_mutex_kind(const pthread_mutex_t *mutex)
{
        return mutex->__data.__kind & 3; /* PTHREAD_MUTEX_KIND_MASK_NP */
}

static bool lock_free(const struct schedule_object *o, uint64_t since, uint32_t barista)
{
        (void)since, (void)barista;
        return o->holder == 0;
}

static bool nobody_inside(const struct schedule_object *o, uint64_t since, uint32_t barista)
{
        (void)since, (void)barista;
        return o->holder == 0 && o->readers == 0;
}

void schedule_wait_until(enum schedule_point point, struct schedule_object *o, unsigned line,
                         schedule_ready ready)
{
        while (!ready(o, 0, 0)) {
                schedule_outcome(o->holder, SCHEDULE_WAITS);
                schedule_point_when(point, o, line, ready, 0, false);
        }
}

/* The count of its writes stays, so that a spinner waiting for a write to it still sees one. */
void schedule_forget(const void *address)
{
        struct schedule_object *o = schedule_object_at(address, "");

        if (o) {
                o->holder = 0;
                o->readers = 0;
                o->count = 0;
                o->counted = false;
        }
}

int controlled_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)
{
        schedule_forget(mutex);
        return pthread_mutex_init(mutex, attr);
}

int controlled_spin_init(pthread_spinlock_t *lock, int shared)
{
        schedule_forget((const void *)lock);
        return pthread_spin_init(lock, shared);
}

int controlled_rwlock_init(pthread_rwlock_t *lock, const pthread_rwlockattr_t *attr)
{
        schedule_forget(lock);
        return pthread_rwlock_init(lock, attr);
}

/* Takes a lock as a mutex does: waits while another holds it; a recursive mutex counts. */
int schedule_lock_take(struct schedule_object *o, unsigned line, int kind)
{
        uint32_t me = schedule_current_barista();

        schedule_point_when(SCHEDULE_LOCK, o, line, NULL, 0, false);
        if (o->holder == me && kind == PTHREAD_MUTEX_RECURSIVE) {
                o->count++;
                return 0;
        }
        if (o->holder == me && kind == PTHREAD_MUTEX_ERRORCHECK) {
                schedule_outcome(me, SCHEDULE_BUSY);
                return EDEADLK;
        }
        /* A normal mutex relocked by its holder waits for itself: the run gets stuck, and says
         * who holds it. */
        schedule_wait_until(SCHEDULE_LOCK, o, line, lock_free);
        o->holder = me;
        o->count = 1;
        return 0;
}

static int lock_try(struct schedule_object *o, unsigned line, int kind)
{
        uint32_t me = schedule_current_barista();

        schedule_point_when(SCHEDULE_TRY_LOCK, o, line, NULL, 0, false);
        if (o->holder == me && kind == PTHREAD_MUTEX_RECURSIVE) {
                o->count++;
                return 0;
        }
        if (o->holder != 0) {
                schedule_outcome(o->holder, SCHEDULE_BUSY);
                return EBUSY;
        }
        o->holder = me;
        o->count = 1;
        return 0;
}

static int lock_give_back(struct schedule_object *o, unsigned line)
{
        schedule_point_when(SCHEDULE_UNLOCK, o, line, NULL, 0, false);
        if (o->holder != schedule_current_barista()) {
                schedule_outcome(o->holder, SCHEDULE_MISUSE);
                schedule_stop_misused();
        }
        if (--o->count > 0)
                return 0;
        o->holder = 0;
        schedule_object_written(o);
        return 0;
}

int controlled_mutex_lock(pthread_mutex_t *mutex, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at(mutex, expression);
        return o ? schedule_lock_take(o, line, schedule_mutex_kind(mutex)) : pthread_mutex_lock(mutex);
}

int controlled_mutex_trylock(pthread_mutex_t *mutex, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at(mutex, expression);
        return o ? lock_try(o, line, schedule_mutex_kind(mutex)) : pthread_mutex_trylock(mutex);
}

int controlled_mutex_unlock(pthread_mutex_t *mutex, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at(mutex, expression);
        return o ? lock_give_back(o, line) : pthread_mutex_unlock(mutex);
}

int controlled_spin_lock(pthread_spinlock_t *lock, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at((const void *)lock, expression);
        return o ? schedule_lock_take(o, line, PTHREAD_MUTEX_NORMAL) : pthread_spin_lock(lock);
}

int controlled_spin_trylock(pthread_spinlock_t *lock, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at((const void *)lock, expression);
        return o ? lock_try(o, line, PTHREAD_MUTEX_NORMAL) : pthread_spin_trylock(lock);
}

int controlled_spin_unlock(pthread_spinlock_t *lock, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at((const void *)lock, expression);
        return o ? lock_give_back(o, line) : pthread_spin_unlock(lock);
}

int controlled_rwlock_rdlock(pthread_rwlock_t *lock, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at(lock, expression);
        if (!o)
                return pthread_rwlock_rdlock(lock);
        schedule_point_when(SCHEDULE_READ_LOCK, o, line, NULL, 0, false);
        schedule_wait_until(SCHEDULE_READ_LOCK, o, line, lock_free);
        o->readers++;
        return 0;
}

int controlled_rwlock_wrlock(pthread_rwlock_t *lock, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at(lock, expression);
        if (!o)
                return pthread_rwlock_wrlock(lock);
        schedule_point_when(SCHEDULE_LOCK, o, line, NULL, 0, false);
        schedule_wait_until(SCHEDULE_LOCK, o, line, nobody_inside);
        o->holder = schedule_current_barista();
        o->count = 1;
        return 0;
}

int controlled_rwlock_tryrdlock(pthread_rwlock_t *lock, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at(lock, expression);
        if (!o)
                return pthread_rwlock_tryrdlock(lock);
        schedule_point_when(SCHEDULE_TRY_LOCK, o, line, NULL, 0, false);
        if (o->holder != 0) {
                schedule_outcome(o->holder, SCHEDULE_BUSY);
                return EBUSY;
        }
        o->readers++;
        return 0;
}

int controlled_rwlock_trywrlock(pthread_rwlock_t *lock, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at(lock, expression);
        if (!o)
                return pthread_rwlock_trywrlock(lock);
        schedule_point_when(SCHEDULE_TRY_LOCK, o, line, NULL, 0, false);
        if (!nobody_inside(o, 0, 0)) {
                schedule_outcome(o->holder, SCHEDULE_BUSY);
                return EBUSY;
        }
        o->holder = schedule_current_barista();
        o->count = 1;
        return 0;
}

int controlled_rwlock_unlock(pthread_rwlock_t *lock, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at(lock, expression);
        if (!o)
                return pthread_rwlock_unlock(lock);
        if (o->holder != 0 || o->readers == 0)
                return lock_give_back(o, line);
        /* A reader leaving (which reader is not kept: any of them may). */
        schedule_point_when(SCHEDULE_UNLOCK, o, line, NULL, 0, false);
        o->readers--;
        schedule_object_written(o);
        return 0;
}

/* A lock told through variant.h's annotation edges (ck's locks): ck's own inline code takes and
 * gives back the real lock between the edges; the model decides when it may. */
void controlled_lock_before(const void *lock)
{
        struct schedule_object *o = schedule_object_at(lock, "");

        if (!o)
                return;
        schedule_point_when(SCHEDULE_LOCK, o, 0, NULL, 0, false);
        schedule_wait_until(SCHEDULE_LOCK, o, 0, lock_free); /* ck's code then finds it free */
}

void controlled_lock_taken(const void *lock)
{
        struct schedule_object *o = schedule_object_at(lock, "");

        if (o) {
                o->holder = schedule_current_barista();
                o->count = 1;
        }
}

void controlled_trylock_before(const void *lock)
{
        struct schedule_object *o = schedule_object_at(lock, "");

        if (o)
                schedule_point_when(SCHEDULE_TRY_LOCK, o, 0, NULL, 0, false);
}

void controlled_trylock_after(const void *lock, bool taken)
{
        struct schedule_object *o = schedule_object_at(lock, "");

        if (!o)
                return;
        if (taken)
                controlled_lock_taken(lock);
        else
                schedule_outcome(o->holder, SCHEDULE_BUSY);
}

void controlled_unlock_before(const void *lock)
{
        struct schedule_object *o = schedule_object_at(lock, "");

        if (o)
                lock_give_back(o, 0);
}
#endif
