/*
 * queue-mutex — the same bounded ring of orders as queue-ck-ring, guarded by one mutex.
 *
 * The comparison for the lock-free ring: every enqueue and every dequeue takes the one lock, so
 * baristas and the operator queue for the queue. ThreadSanitizer needs no help here.
 */
#include "scenario.h"

#include "cpu.h"

#include <pthread.h>

#define RING_SLOTS 1024

static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static struct order ring[RING_SLOTS];
static uint64_t ring_head; /* next order to take out; guarded by ring_lock */
static uint64_t ring_tail; /* next free slot; guarded by ring_lock */

static bool ring_try_put(const struct order *order)
{
        bool put = false;

        pthread_mutex_lock(&ring_lock);
        if (ring_tail - ring_head < RING_SLOTS) {
                ring[ring_tail++ % RING_SLOTS] = *order;
                put = true;
        }
        pthread_mutex_unlock(&ring_lock);
        return put;
}

static bool ring_try_take(struct order *order)
{
        bool taken = false;

        pthread_mutex_lock(&ring_lock);
        if (ring_head != ring_tail) {
                *order = ring[ring_head++ % RING_SLOTS];
                taken = true;
        }
        pthread_mutex_unlock(&ring_lock);
        return taken;
}

static void queue_mutex_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                struct order order = barista_write_order(b);
                if (!ring_try_put(&order)) {
                        barista_note_contended(b); /* the ring is full: the operator is behind */
                        while (!ring_try_put(&order))
                                cpu_relax();
                }
                barista_order_placed(b);
        }
}

static void queue_mutex_operator(struct barista *operator)
{
        struct order order;

        for (;;) {
                bool baristas_done = helper_should_stop(); /* before looking: see queue-ck-ring */
                if (ring_try_take(&order)) {
                        helper_serve_order(operator, &order);
                        continue;
                }
                if (baristas_done)
                        return;
                cpu_relax();
        }
}

static int queue_mutex_setup(const struct run_config *config)
{
        (void)config;
        ring_head = ring_tail = 0;
        scenario_note_queue_capacity(RING_SLOTS);
        return 0;
}

SCENARIO(queue_mutex_scenario,
         .name = "queue-mutex",
         .family = FAMILY_QUEUE,
         .expect = VERDICT_CLEAN,
         .summary = "The same ring of orders behind one mutex",
         .lesson = "One lock for the whole queue: baristas and the operator take turns at it, "
                   "so placing an order costs a lock round trip and the operator competes with "
                   "every barista. Compare its drinks per second with queue-ck-ring.",
         .tells_contention = true,
         .setup = queue_mutex_setup,
         .barista = queue_mutex_barista,
         .helper = queue_mutex_operator,
         .helper_serves_orders = true);
