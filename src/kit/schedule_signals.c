/*
 * What lets a waiter go in a controlled run (variant_controlled.h): a semaphore's permits, a
 * condition variable's signals, and the others' turns after a yield; each a scheduling point.
 * The model keeps the count and the signals; the real objects are not touched while the schedule
 * controls the caller.
 */
#include "schedule_model.h"

#ifdef ESPRESSO_CONTROLLED_BUILD
#include <errno.h>

static bool count_positive(const struct schedule_object *o, uint64_t since, uint32_t barista)
{
        (void)since, (void)barista;
        return o->count > 0;
}

/* A condition variable: its writes count signals. A signal wakes every waiter, which POSIX
 * allows (a waiter must check its condition again anyway: wakeups may be spurious). */

/* The wait's point, then the mutex given back: false when the barista does not hold it. A
 * signal counts for the waiter from here on, as a real wait starts once the mutex is released. */
static bool let_go_of_mutex(struct schedule_object *c, struct schedule_object *m, unsigned line)
{
        schedule_point_when(SCHEDULE_COND_WAIT, c, line, NULL, 0, false);
        if (m->holder != schedule_current_barista()) {
                schedule_outcome(m->holder, SCHEDULE_MISUSE);
                return false;
        }
        m->holder = 0;
        schedule_object_written(m);
        return true;
}

int controlled_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, const char *expression,
                         unsigned line)
{
        struct schedule_object *c = schedule_object_at(cond, expression);
        struct schedule_object *m = schedule_object_at(mutex, "");
        if (!c)
                return pthread_cond_wait(cond, mutex);
        if (!let_go_of_mutex(c, m, line))
                schedule_stop_misused();
        uint64_t since = c->writes;
        schedule_outcome(0, SCHEDULE_WAITS);
        schedule_point_when(SCHEDULE_COND_WAIT, c, line, schedule_written_since, since, false);
        return schedule_lock_take(m, line, schedule_mutex_kind(mutex));
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
        if (!let_go_of_mutex(c, m, line))
                schedule_stop_misused();
        uint64_t since = c->writes;
        schedule_point_when(SCHEDULE_YIELD, c, line, NULL, 0, false);
        bool signalled = c->writes != since;
        schedule_lock_take(m, line, schedule_mutex_kind(mutex));
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
        schedule_wait_until(SCHEDULE_SEM_WAIT, o, line, count_positive);
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

/* The count comes from the real semaphore at the first controlled use (semaphore() below). */
int controlled_sem_init(sem_t *sem, int shared, unsigned value)
{
        schedule_forget(sem);
        return sem_init(sem, shared, value);
}

#endif
