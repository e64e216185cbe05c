/*
 * expect: race
 * Two threads add to one plain counter with no lock: "count++" is a read, an add and a write,
 * and the two threads' increments interleave.
 */
#include <pthread.h>
#include <stdio.h>

#define ADDS 10000

static long count;

static void *add(void *arg)
{
        (void)arg;
        for (int i = 0; i < ADDS; i++) /* the bug: this loop, and its body, */
                count++; /* the bug: with no lock */
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
