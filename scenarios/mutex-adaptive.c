/*
 * mutex-adaptive — glibc's adaptive mutex guards the espresso machine.
 *
 * PTHREAD_MUTEX_ADAPTIVE_NP spins a little before parking a waiter in the kernel: the holder of a
 * short critical section is often about to release, and a short spin is cheaper than a sleep and
 * a wake-up. Only where the platform has it (glibc).
 */
#include "lock_scenario.h"

#include "die.h"

#include <pthread.h>

#ifdef PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP

static pthread_mutex_t machine_mutex;

static int mutex_adaptive_setup(const struct run_config *config)
{
        pthread_mutexattr_t attr;

        (void)config;
        lab_must(pthread_mutexattr_init(&attr));
        lab_must(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP));
        int rc = pthread_mutex_init(&machine_mutex, &attr);
        lab_must(pthread_mutexattr_destroy(&attr));
        return -rc;
}

static void mutex_adaptive_teardown(void)
{
        lab_must(pthread_mutex_destroy(&machine_mutex));
}

static bool machine_lock_if_free(struct barista *b)
{
        (void)b;
        return pthread_mutex_trylock(&machine_mutex) == 0;
}

static void machine_lock(struct barista *b)
{
        (void)b;
        pthread_mutex_lock(&machine_mutex);
}

static void machine_unlock(struct barista *b)
{
        (void)b;
        pthread_mutex_unlock(&machine_mutex);
}

LOCK_SCENARIO(mutex_adaptive_scenario,
              .name = "mutex-adaptive",
              .summary = "glibc's adaptive mutex: spins briefly, then sleeps",
              .lesson = "Between a spinlock and a mutex: a waiter spins for a bounded while, then "
                        "parks in the kernel. Compare its context switches per drink and its wait "
                        "times with mutex, and its behaviour with many baristas with the "
                        "spinlocks.",
              .setup = mutex_adaptive_setup,
              .teardown = mutex_adaptive_teardown);

#endif
