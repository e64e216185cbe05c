/*
 * expect: race
 * The same publication as atomic-flag-publication.c with relaxed orders: the flag itself is
 * atomic, but nothing orders the message's write before its read. A data race by the C11 model,
 * although on x86 it happens to work.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static int message;
static atomic_int ready;

static void *publisher(void *arg)
{
        (void)arg;
        message = 42; /* the bug: published by nothing */
        atomic_store_explicit(&ready, 1, memory_order_relaxed);
        return NULL;
}

int main(void)
{
        pthread_t t;
        pthread_create(&t, NULL, publisher, NULL);
        while (!atomic_load_explicit(&ready, memory_order_relaxed))
                ;
        printf("%d\n", message); /* the bug: read unordered */
        pthread_join(t, NULL);
        return 0;
}
