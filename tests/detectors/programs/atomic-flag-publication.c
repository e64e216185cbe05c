/*
 * expect: clean
 * A message published with a release store of a C11 atomic flag and read after an acquire
 * load: correct by the C11 memory model. A detector that does not understand C11 atomics sees a
 * plain write and a plain read of the message in two threads with nothing between them.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static int message;
static atomic_int ready;

static void *publisher(void *arg)
{
        (void)arg;
        message = 42;
        atomic_store_explicit(&ready, 1, memory_order_release);
        return NULL;
}

int main(void)
{
        pthread_t t;
        pthread_create(&t, NULL, publisher, NULL);
        while (!atomic_load_explicit(&ready, memory_order_acquire))
                ;
        printf("%d\n", message);
        pthread_join(t, NULL);
        return 0;
}
