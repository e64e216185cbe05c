/*
 * queue-ck-ring — baristas pass orders to one machine operator through Concurrency Kit's ring.
 *
 * Nobody locks the machine: only the operator touches it, so it needs no lock. The sharing moved
 * into the queue: ck_ring in its multi-producer, single-consumer mode. A barista claims a slot
 * with an atomic on the ring's producer index and copies its order in; the operator copies orders
 * out in the order they were published. A full ring is backpressure: the barista waits.
 *
 * Orders are copied by value into the ring's slots, inside ck's inline code, behind ck's
 * assembly fences: ThreadSanitizer sees two threads copy the same slot with nothing ordering
 * them. There is no place between ck's copy and its index update to annotate, so that one
 * report is suppressed (tsan-suppressions, race:_ck_ring_dequeue_sc); queue-ck-ring-peek shows that
 * a read of a slot outside that copy is still reported.
 */
#include "scenario.h"

#include "cpu.h"

#include <ck_ring.h>
#include <errno.h>
#include <stdlib.h>

#define RING_SLOTS 1024 /* a power of two, as ck_ring requires; it holds one less */

CK_RING_PROTOTYPE(order, order)

static ck_ring_t order_ring;
static struct order *order_slots;

static void queue_ck_ring_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                struct order order = barista_write_order(b);
                if (!ck_ring_enqueue_mpsc_order(&order_ring, order_slots, &order)) {
                        barista_note_contended(b); /* the ring is full: the operator is behind */
                        while (!ck_ring_enqueue_mpsc_order(&order_ring, order_slots, &order))
                                cpu_relax();
                }
                barista_order_placed(b);
        }
}

static void queue_ck_ring_operator(struct barista *operator)
{
        struct order order;

        for (;;) {
                /* Read before looking in the ring: if every barista had finished and the ring is
                 * then empty, no order can still be on its way. */
                bool baristas_done = helper_should_stop();
                if (ck_ring_dequeue_mpsc_order(&order_ring, order_slots, &order)) {
                        helper_serve_order(operator, &order);
                        continue;
                }
                if (baristas_done)
                        return;
                cpu_relax();
        }
}

static int queue_ck_ring_setup(const struct run_config *config)
{
        (void)config;
        order_slots = aligned_alloc(64, sizeof(*order_slots) * RING_SLOTS);
        if (!order_slots)
                return -ENOMEM;
        ck_ring_init(&order_ring, RING_SLOTS);
        annotate_atomic_only(&order_ring, sizeof(order_ring)); /* ck's indices: see variant.h */
        scenario_note_queue_capacity(RING_SLOTS - 1);
        return 0;
}

static void queue_ck_ring_teardown(void)
{
        free(order_slots);
        order_slots = NULL;
}

SCENARIO(queue_ck_ring_scenario,
         .name = "queue-ck-ring",
         .fair = true,
         .family = FAMILY_QUEUE,
         .expect = VERDICT_CLEAN,
         .summary = "Orders through Concurrency Kit's ring to one machine operator",
         .lesson = "Message passing instead of locking: one operator owns the machine, baristas "
                   "only publish orders. The ring is bounded: when the operator falls behind, "
                   "baristas wait (wait_ns, contended). Every order is served exactly once and "
                   "in each barista's order.",
         .tells_contention = true,
         .twins = { "queue-ck-ring-peek" },
         .setup = queue_ck_ring_setup,
         .teardown = queue_ck_ring_teardown,
         .barista = queue_ck_ring_barista,
         .helper = queue_ck_ring_operator,
         .helper_serves_orders = true);
