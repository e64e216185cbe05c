/*
 * queue-ck-fifo — baristas pass orders to the machine operator through Concurrency Kit's
 * unbounded multi-producer, multi-consumer FIFO (a Michael-Scott queue).
 *
 * Every order travels in a node of its own, allocated by the barista. Dequeuing leaves the
 * previous node behind as garbage, but a barista that read the queue's tail a moment ago may
 * still be looking at it, so it cannot be freed at once: ck_epoch defers the free until every
 * barista has left the epoch section it was in (safe memory reclamation).
 * The FIFO has no bound of its own: each barista may have at most CREDITS orders in flight, and
 * waits when it has used them up (backpressure).
 *
 * ThreadSanitizer cannot see ck's atomics or ck_epoch's grace periods, so the scenario states
 * the hand-offs it owns: a node is released by its barista before and after enqueueing, and
 * acquired by the operator after dequeuing and before freeing.
 */
#include "scenario.h"

#include "cpu.h"
#include "tsan_annotate.h"

#include <ck_epoch.h>

/* ck_fifo counts generations (against ABA) in a char pointer that starts at NULL, so its first
 * increment is arithmetic on a null pointer: harmless on every machine ck supports, but undefined
 * behaviour, which UBSan (the dev preset) rightly reports. Exempt ck's FIFO functions, and only
 * them, from that one check. */
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("pointer-overflow"))), apply_to = function)
#endif
#include <ck_fifo.h>
#if defined(__clang__)
#pragma clang attribute pop
#endif
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#define CREDITS 256       /* orders in flight per barista */
#define POLL_EVERY 64     /* orders the operator serves between reclaiming garbage */

struct order_node {
        ck_fifo_mpmc_entry_t link;    /* ck's, first: the FIFO links these */
        struct order order;
        ck_epoch_entry_t reclaim;     /* for the deferred free */
};

/* How many of a barista's orders the operator has served: written by the operator only. */
struct served_count {
        _Atomic uint64_t served;
} __attribute__((aligned(64)));

static ck_fifo_mpmc_t order_fifo;
static ck_epoch_t epoch;
static ck_epoch_record_t *records;       /* [baristas + 1]: the operator's is last */
static struct served_count *served;      /* [baristas] */
static uint64_t *served_by_operator;     /* [baristas]: the operator's own tally */
static uint32_t baristas;

static struct order_node *node_of(ck_epoch_entry_t *entry)
{
        return (struct order_node *)((char *)entry - offsetof(struct order_node, reclaim));
}

static void node_free(ck_epoch_entry_t *entry)
{
        struct order_node *node = node_of(entry);
        tsan_acquire(node); /* its barista's last touch, inside the epoch section now over */
        free(node);
}

static int queue_ck_fifo_setup(const struct run_config *config)
{
        baristas = config->baristas;
        records = aligned_alloc(64, sizeof(*records) * (baristas + 1));
        served = aligned_alloc(64, sizeof(*served) * baristas);
        served_by_operator = calloc(baristas, sizeof(*served_by_operator));
        struct order_node *stub = malloc(sizeof(*stub));
        if (!records || !served || !served_by_operator || !stub) {
                free(records), free(served), free(served_by_operator), free(stub);
                return -ENOMEM;
        }
        ck_epoch_init(&epoch);
        for (uint32_t i = 0; i <= baristas; i++)
                ck_epoch_register(&epoch, &records[i], NULL);
        for (uint32_t i = 0; i < baristas; i++)
                atomic_init(&served[i].served, 0);
        ck_fifo_mpmc_init(&order_fifo, &stub->link);
        run_note_queue_capacity((uint64_t)CREDITS * baristas);
        return 0;
}

static void queue_ck_fifo_teardown(void)
{
        ck_fifo_mpmc_entry_t *last;

        ck_epoch_barrier(&records[baristas]); /* runs every deferred free */
        ck_fifo_mpmc_deinit(&order_fifo, &last);
        free(last); /* the stub left behind: the operator drained the queue */
        free(records), free(served), free(served_by_operator);
}

static void queue_ck_fifo_barista(struct barista *b)
{
        ck_epoch_record_t *record = &records[b->id - 1];

        while (barista_take_order(b)) {
                /* Out of credits: wait until the operator catches up. */
                if (b->orders_taken - atomic_load_explicit(&served[b->id - 1].served,
                                                           memory_order_relaxed) > CREDITS) {
                        barista_note_contended(b);
                        while (b->orders_taken - atomic_load_explicit(&served[b->id - 1].served,
                                                                      memory_order_relaxed) > CREDITS)
                                cpu_relax();
                }
                struct order_node *node = malloc(sizeof(*node));
                if (!node)
                        abort();
                node->order = barista_write_order(b);
                ck_epoch_begin(record, NULL);
                tsan_release(node);  /* the order, written above */
                ck_fifo_mpmc_enqueue(&order_fifo, &node->link, &node->order);
                tsan_release(node);  /* and ck's own writes to the node, for whoever frees it */
                ck_epoch_end(record, NULL);
                barista_order_placed(b);
        }
}

static void queue_ck_fifo_operator(struct barista *operator)
{
        ck_epoch_record_t *record = &records[baristas];
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
                tsan_acquire((char *)order - offsetof(struct order_node, order));
                helper_serve_order(operator, order);
                if (order->barista >= 1 && order->barista <= baristas)
                        atomic_store_explicit(&served[order->barista - 1].served,
                                              ++served_by_operator[order->barista - 1],
                                              memory_order_relaxed);
                /* The previous stub: free it once no barista can still be reading it. */
                struct order_node *old = (struct order_node *)garbage;
                ck_epoch_call(record, &old->reclaim, node_free);
                if (operator->drinks_served % POLL_EVERY == 0)
                        ck_epoch_poll(record);
        }
}

SCENARIO(queue_ck_fifo_scenario,
         .name = "queue-ck-fifo",
         .family = "queue",
         .expect = VERDICT_CLEAN,
         .summary = "Orders through Concurrency Kit's MPMC FIFO, nodes reclaimed by ck_epoch",
         .lesson = "An unbounded lock-free queue: a node per order, allocated by the barista and "
                   "freed by the operator only after an epoch grace period, because a barista "
                   "may still be looking at it. Credits bound the orders in flight.",
         .tells_contention = true,
         .setup = queue_ck_fifo_setup,
         .teardown = queue_ck_fifo_teardown,
         .barista = queue_ck_fifo_barista,
         .helper = queue_ck_fifo_operator,
         .helper_serves_orders = true);
