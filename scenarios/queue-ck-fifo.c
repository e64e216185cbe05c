/*
 * queue-ck-fifo — baristas pass orders to the machine operator through Concurrency Kit's
 * unbounded multi-producer, multi-consumer FIFO (a Michael-Scott queue).
 *
 * Every order travels in a node of its own. A node is freed only after an epoch grace period
 * (ck_epoch), because a barista may still be looking at it; credits bound the orders in flight
 * (src/kit/order_fifo.h has that plumbing).
 *
 * ThreadSanitizer cannot see ck's atomics or ck_epoch's grace periods, so the scenario states the
 * two hand-offs it owns, each on a token of its own, no broader than what ck guarantees: the
 * order is handed over before it is enqueued and taken over after it is dequeued (the FIFO
 * publishes what was written before the enqueue, and the order is the operator's from then on:
 * variant.h); the node is released at the end of its barista's epoch
 * section and acquired before it is freed (the grace period waits for that section).
 */
#include "scenario.h"

#include "cpu.h"
#include "order_fifo.h"
#include "variant.h"

#include <stdlib.h>

static void queue_ck_fifo_barista(struct barista *b)
{
        ck_epoch_record_t *record = order_fifo_record(b);

        while (barista_take_order(b)) {
                struct order_node *node = order_fifo_node_for(b);
                ck_epoch_begin(record, NULL);
                annotate_handed_over(&node->order); /* the order, written above */
                ck_fifo_mpmc_enqueue(&order_fifo, &node->link, &node->order);
                annotate_release(&node->reclaim); /* ck's writes to the node, for its freeing */
                ck_epoch_end(record, NULL);
                barista_order_placed(b);
        }
}

static void node_free(struct order_node *node)
{
        annotate_acquire(&node->reclaim); /* its barista's epoch section is over */
        free(node);
}

static void queue_ck_fifo_operator(struct barista *operator)
{
        ck_epoch_record_t *record = order_fifo_record(operator);
        ck_fifo_mpmc_entry_t *garbage;
        void *value;

        for (;;) {
                bool baristas_done = helper_should_stop(); /* before looking: see queue-ck-ring */
                ck_epoch_begin(record, NULL);
                bool got = ck_fifo_mpmc_dequeue(&order_fifo, &value, &garbage);
                ck_epoch_end(record, NULL);
                if (!got) {
                        if (baristas_done)
                                return;
                        cpu_relax();
                        continue;
                }
                struct order *order = value; /* lives in the node that is now the FIFO's stub */
                annotate_taken_over(order);
                helper_serve_order(operator, order);
                order_fifo_credit(order);
                order_fifo_retire(operator, garbage, node_free); /* the previous stub */
        }
}

SCENARIO(queue_ck_fifo_scenario,
         .name = "queue-ck-fifo",
         .family = FAMILY_QUEUE,
         .expect = VERDICT_CLEAN,
         .summary = "Orders through Concurrency Kit's MPMC FIFO, nodes reclaimed by ck_epoch",
         .lesson = "An unbounded lock-free queue: a node per order, allocated by the barista and "
                   "freed by the operator only after an epoch grace period, because a barista "
                   "may still be looking at it. Credits bound the orders in flight.",
         .tells_contention = true,
         .twins = { "queue-ck-fifo-late-write" },
         .setup = order_fifo_setup,
         .teardown = order_fifo_teardown,
         .barista = queue_ck_fifo_barista,
         .helper = queue_ck_fifo_operator,
         .helper_serves_orders = true);
