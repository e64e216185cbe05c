/*
 * queue-ck-ring-peek — queue-ck-ring with one bug: the operator reads each order where it lies in
 * the ring, not its own copy, after taking it out.
 *
 * Once dequeued, the slot belongs to the baristas again, and the next barista to come round the
 * ring writes a new order into it. The ring's one suppression (tsan-suppressions) covers only the
 * copy inside ck's dequeue, which no annotation can reach; a read of the slot outside it is
 * ordered by nothing, and ThreadSanitizer reports it, in every run. Natively it happens to work:
 * this ring hands a slot out again only after the next dequeue, so every native run and every
 * invariant says all is well. Change the ring, or read the slot a moment later, and the operator
 * serves an order that was written over. That is the kind of bug only a race detector finds.
 */
#include "scenario.h"

#include "cpu.h"

#include <ck_ring.h>
#include <errno.h>
#include <stdlib.h>

#define RING_SLOTS 1024 /* a power of two, as ck_ring requires; it holds one less */

CK_RING_PROTOTYPE(peek_order, order)

static ck_ring_t order_ring;
static struct order *order_slots;

static void peek_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                struct order order = barista_write_order(b);
                if (!ck_ring_enqueue_mpsc_peek_order(&order_ring, order_slots, &order)) {
                        barista_note_contended(b);
                        while (!ck_ring_enqueue_mpsc_peek_order(&order_ring, order_slots, &order))
                                cpu_relax();
                }
                barista_order_placed(b);
        }
}

static void peek_operator(struct barista *operator)
{
        struct order copy;
        uint64_t taken = 0; /* orders dequeued: the ring's consumer index */

        for (;;) {
                bool baristas_done = helper_should_stop(); /* before looking: see queue-ck-ring */
                struct order *slot = &order_slots[taken % RING_SLOTS];
                if (ck_ring_dequeue_mpsc_peek_order(&order_ring, order_slots, &copy)) {
                        taken++;
                        helper_serve_order(operator, slot); /* the bug: not &copy */
                        continue;
                }
                if (baristas_done)
                        return;
                cpu_relax();
        }
}

static int peek_setup(const struct run_config *config)
{
        (void)config;
        order_slots = aligned_alloc(64, sizeof(*order_slots) * RING_SLOTS);
        if (!order_slots)
                return -ENOMEM;
        ck_ring_init(&order_ring, RING_SLOTS);
        annotate_atomic_only(&order_ring, sizeof(order_ring)); /* as queue-ck-ring */
        scenario_note_queue_capacity(RING_SLOTS - 1);
        return 0;
}

static void peek_teardown(void)
{
        free(order_slots);
        order_slots = NULL;
}

SCENARIO(queue_ck_ring_peek_scenario,
         .name = "queue-ck-ring-peek",
         .family = FAMILY_QUEUE,
         .expect = VERDICT_RACE,
         .negative_control = true,
         .summary = "ck's ring, but the operator reads orders in place after dequeuing them",
         .lesson = "A slot handed back to the ring is the producers' again: reading it after the "
                   "dequeue races with the next order written into it. Natively it happens to "
                   "work, and every invariant holds; TSan reports it in every run, the "
                   "suppression covering only ck's own copy. (A producer overwriting a slot not "
                   "yet taken would race only with that copy, inside ck's inline code: TSan "
                   "cannot see that bug at all; the lab's invariants, every order served once "
                   "and in order, catch it.) The fix: use the copy.",
         .twins = { "queue-ck-ring" },
         .fair = true,
         .tells_contention = true,
         .setup = peek_setup,
         .teardown = peek_teardown,
         .barista = peek_barista,
         .helper = peek_operator,
         .helper_serves_orders = true);
