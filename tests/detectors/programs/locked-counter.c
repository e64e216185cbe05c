/*
 * expect: clean
 * The same two threads and counter as racy-counter.c, with a mutex around the increment.
 */
#include <pthread.h>
#include <stdio.h>

#define ADDS 10000

static long count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *add(void *arg)
{
        (void)arg;
        for (int i = 0; i < ADDS; i++) {
                pthread_mutex_lock(&lock);
                count++;
                pthread_mutex_unlock(&lock);
        }
        return NULL;
}

int main(void)
{
        pthread_t a, b;
        pthread_create(&a, NULL, add, NULL);
        pthread_create(&b, NULL, add, NULL);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        printf("%ld of %d\n", count, 2 * ADDS);
        return 0;
}
