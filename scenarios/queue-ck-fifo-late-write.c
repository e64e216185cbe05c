/*
 * queue-ck-fifo-late-write — queue-ck-fifo with one bug: a barista writes to its order after
 * placing it in the FIFO, where the operator may already be reading it.
 *
 * The annotations are queue-ck-fifo's: the order is released before the enqueue, which is all
 * the FIFO publishes. A write after the enqueue is ordered with the operator's read by nothing,
 * and ThreadSanitizer reports it in every run: every order goes through. (A single release after
 * the enqueue, as this scenario once had, would order such a write whenever it came first, and
 * hide the bug in most runs.) Natively it happens to work, the value written being the same;
 * on a controlled schedule (explore) the order is the operator's from its hand-over on, and the
 * write is caught in every schedule.
 */
#include "scenario.h"

#include "cpu.h"
#include "order_fifo.h"
#include "variant.h"

#include <stdlib.h>

static void late_write_barista(struct barista *b)
{
        ck_epoch_record_t *record = order_fifo_record(b);

        while (barista_take_order(b)) {
                struct order_node *node = order_fifo_node_for(b);
                ck_epoch_begin(record, NULL);
                annotate_handed_over(&node->order);
                ck_fifo_mpmc_enqueue(&order_fifo, &node->link, &node->order);
                node->order.number = b->orders_taken; /* the bug: the order is the operator's now */
                annotate_release(&node->reclaim);
                ck_epoch_end(record, NULL);
                barista_order_placed(b);
        }
}

static void node_free(struct order_node *node)
{
        annotate_acquire(&node->reclaim);
        free(node);
}

static void late_write_operator(struct barista *operator)
{
        ck_epoch_record_t *record = order_fifo_record(operator);
        ck_fifo_mpmc_entry_t *garbage;
        void *value;

        for (;;) {
                bool baristas_done = helper_should_stop();
                ck_epoch_begin(record, NULL);
                bool got = ck_fifo_mpmc_dequeue(&order_fifo, &value, &garbage);
                ck_epoch_end(record, NULL);
                if (!got) {
                        if (baristas_done)
                                return;
                        cpu_relax();
                        continue;
                }
                struct order *order = value;
                annotate_taken_over(order);
                helper_serve_order(operator, order);
                order_fifo_credit(order);
                order_fifo_retire(operator, garbage, node_free);
        }
}

SCENARIO(queue_ck_fifo_late_write_scenario,
         .name = "queue-ck-fifo-late-write",
         .family = FAMILY_QUEUE,
         .expect = VERDICT_RACE,
         .negative_control = true,
         .summary = "ck's FIFO, but a barista writes to its order after placing it",
         .lesson = "What goes into a queue is the consumer's from the moment it is in: writing to "
                   "it afterwards races with the operator reading it. The annotations are "
                   "queue-ck-fifo's, and TSan reports the write in every run; natively it "
                   "happens to work. The fix: finish the order before enqueueing it.",
         .twins = { "queue-ck-fifo" },
         .tells_contention = true,
         .setup = order_fifo_setup,
         .teardown = order_fifo_teardown,
         .barista = late_write_barista,
         .helper = late_write_operator,
         .helper_serves_orders = true);
