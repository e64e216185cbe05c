/*
 * expect: deadlock
 * Two mutexes taken in opposite orders by two threads that run one after the other, so that
 * this run never hangs: the inversion is there all the same, waiting for a schedule.
 */
#include <pthread.h>

static pthread_mutex_t grinder = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t machine = PTHREAD_MUTEX_INITIALIZER;

static void *grinder_first(void *arg)
{
        (void)arg;
        pthread_mutex_lock(&grinder);
        pthread_mutex_lock(&machine);
        pthread_mutex_unlock(&machine);
        pthread_mutex_unlock(&grinder);
        return NULL;
}

static void *machine_first(void *arg)
{
        (void)arg;
        pthread_mutex_lock(&machine);
        pthread_mutex_lock(&grinder); /* the bug: the opposite order */
        pthread_mutex_unlock(&grinder);
        pthread_mutex_unlock(&machine);
        return NULL;
}

int main(void)
{
        pthread_t t;
        pthread_create(&t, NULL, grinder_first, NULL);
        pthread_join(t, NULL);
        pthread_create(&t, NULL, machine_first, NULL);
        pthread_join(t, NULL);
        return 0;
}
