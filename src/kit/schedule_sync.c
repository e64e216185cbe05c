/*
 * The synchronization a controlled run models (variant_controlled.h): locks, semaphores,
 * condition variables and yields, each a scheduling point (C11 atomics: schedule_atomics.c).
 *
 * While the schedule controls the calling thread, a lock is the model's alone: who holds it is
 * kept in the trace's object (schedule.h), the real pthread object is never touched, and a
 * barista that would block is not runnable until the lock is free. Only one barista runs at a
 * time, so the model needs no synchronization of its own. For any other thread each call is the
 * real one.
 */
#include "schedule.h"
#include "variant.h"
#include "variant_controlled.h"

#ifdef ESPRESSO_CONTROLLED_BUILD
#include <errno.h>
#include <string.h>

/* glibc's mutex kinds, from the type given to pthread_mutexattr_settype(). */
static int mutex_kind(const pthread_mutex_t *mutex)
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

static bool count_positive(const struct schedule_object *o, uint64_t since, uint32_t barista)
{
        (void)since, (void)barista;
        return o->count > 0;
}

/* Waits, after the step just taken, until ready; each retry is a step of the same kind. */
static void wait_until(enum schedule_point point, struct schedule_object *o, unsigned line,
                       schedule_ready ready)
{
        while (!ready(o, 0, 0)) {
                schedule_outcome(o->holder, SCHEDULE_WAITS);
                schedule_point_when(point, o, line, ready, 0, false);
        }
}

/* Takes a lock as a mutex does: waits while another holds it; a recursive mutex counts. */
static int lock_take(struct schedule_object *o, unsigned line, int kind)
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
        wait_until(SCHEDULE_LOCK, o, line, lock_free);
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
        return o ? lock_take(o, line, mutex_kind(mutex)) : pthread_mutex_lock(mutex);
}

int controlled_mutex_trylock(pthread_mutex_t *mutex, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at(mutex, expression);
        return o ? lock_try(o, line, mutex_kind(mutex)) : pthread_mutex_trylock(mutex);
}

int controlled_mutex_unlock(pthread_mutex_t *mutex, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at(mutex, expression);
        return o ? lock_give_back(o, line) : pthread_mutex_unlock(mutex);
}

int controlled_spin_lock(pthread_spinlock_t *lock, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at((const void *)lock, expression);
        return o ? lock_take(o, line, PTHREAD_MUTEX_NORMAL) : pthread_spin_lock(lock);
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
        wait_until(SCHEDULE_READ_LOCK, o, line, lock_free);
        o->readers++;
        return 0;
}

int controlled_rwlock_wrlock(pthread_rwlock_t *lock, const char *expression, unsigned line)
{
        struct schedule_object *o = schedule_object_at(lock, expression);
        if (!o)
                return pthread_rwlock_wrlock(lock);
        schedule_point_when(SCHEDULE_LOCK, o, line, NULL, 0, false);
        wait_until(SCHEDULE_LOCK, o, line, nobody_inside);
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

/* A condition variable: its writes count signals. A signal wakes every waiter, which POSIX
 * allows (a waiter must check its condition again anyway: wakeups may be spurious). */
int controlled_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, const char *expression,
                         unsigned line)
{
        struct schedule_object *c = schedule_object_at(cond, expression);
        struct schedule_object *m = schedule_object_at(mutex, "");
        if (!c)
                return pthread_cond_wait(cond, mutex);
        schedule_point_when(SCHEDULE_COND_WAIT, c, line, NULL, 0, false);
        if (m->holder != schedule_current_barista()) {
                schedule_outcome(m->holder, SCHEDULE_MISUSE);
                schedule_stop_misused();
        }
        uint64_t since = c->writes;
        m->holder = 0;
        schedule_object_written(m);
        schedule_outcome(0, SCHEDULE_WAITS);
        schedule_point_when(SCHEDULE_COND_WAIT, c, line, schedule_written_since, since, false);
        return lock_take(m, line, mutex_kind(mutex));
}

/* Time does not pass in a controlled run: a timed wait lets the others go once, then times out
 * unless it was signalled meanwhile. */
int controlled_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                              const struct timespec *until, const char *expression, unsigned line)
{
        struct schedule_object *c = schedule_object_at(cond, expression);
        struct schedule_object *m = schedule_object_at(mutex, "");
        if (!c)
                return pthread_cond_timedwait(cond, mutex, until);
        uint64_t since = c->writes;
        schedule_point_when(SCHEDULE_COND_WAIT, c, line, NULL, 0, false);
        m->holder = 0;
        schedule_object_written(m);
        schedule_point_when(SCHEDULE_YIELD, c, line, NULL, 0, false);
        bool signalled = c->writes != since;
        lock_take(m, line, mutex_kind(mutex));
        return signalled ? 0 : ETIMEDOUT;
}

int controlled_cond_signal(pthread_cond_t *cond, bool all, const char *expression, unsigned line)
{
        struct schedule_object *c = schedule_object_at(cond, expression);
        if (!c)
                return all ? pthread_cond_broadcast(cond) : pthread_cond_signal(cond);
        schedule_point_when(SCHEDULE_COND_SIGNAL, c, line, NULL, 0, false);
        schedule_object_written(c);
        return 0;
}

/* A semaphore's count comes from the real one, as sem_init() left it, the first time a
 * controlled barista uses it. */
static struct schedule_object *semaphore(sem_t *sem, const char *expression)
{
        struct schedule_object *o = schedule_object_at(sem, expression);
        int value = 0;

        if (o && !o->counted) {
                sem_getvalue(sem, &value);
                o->count = value;
                o->counted = true;
        }
        return o;
}

int controlled_sem_wait(sem_t *sem, const char *expression, unsigned line)
{
        struct schedule_object *o = semaphore(sem, expression);
        if (!o)
                return sem_wait(sem);
        schedule_point_when(SCHEDULE_SEM_WAIT, o, line, NULL, 0, false);
        wait_until(SCHEDULE_SEM_WAIT, o, line, count_positive);
        o->count--;
        schedule_outcome((uint64_t)o->count, SCHEDULE_DONE);
        return 0;
}

int controlled_sem_trywait(sem_t *sem, const char *expression, unsigned line)
{
        struct schedule_object *o = semaphore(sem, expression);
        if (!o)
                return sem_trywait(sem);
        schedule_point_when(SCHEDULE_SEM_WAIT, o, line, NULL, 0, false);
        if (o->count == 0) {
                schedule_outcome(0, SCHEDULE_BUSY);
                errno = EAGAIN;
                return -1;
        }
        o->count--;
        schedule_outcome((uint64_t)o->count, SCHEDULE_DONE);
        return 0;
}

int controlled_sem_post(sem_t *sem, const char *expression, unsigned line)
{
        struct schedule_object *o = semaphore(sem, expression);
        if (!o)
                return sem_post(sem);
        schedule_point_when(SCHEDULE_SEM_POST, o, line, NULL, 0, false);
        o->count++;
        schedule_object_written(o);
        schedule_outcome((uint64_t)o->count, SCHEDULE_DONE);
        return 0;
}

int controlled_yield(unsigned line)
{
        if (!schedule_controls_me())
                return sched_yield();
        schedule_point_when(SCHEDULE_YIELD, NULL, line, NULL, 0, false);
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
        wait_until(SCHEDULE_LOCK, o, 0, lock_free); /* ck's code then finds it free */
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
