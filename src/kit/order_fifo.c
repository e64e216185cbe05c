/* The plumbing of an order queue on Concurrency Kit's MPMC FIFO (see order_fifo.h). */
#include "order_fifo.h"

#include "cpu.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#define POLL_EVERY 64 /* orders the operator serves between reclaiming garbage */

/* How many of a barista's orders the operator has served: written by the operator only. */
struct served_count {
        _Atomic uint64_t served;
} __attribute__((aligned(64)));

ck_fifo_mpmc_t order_fifo;
static ck_epoch_t epoch;
static ck_epoch_record_t *records;   /* [baristas + 1]: the operator's is last */
static struct served_count *served;  /* [baristas] */
static uint64_t *served_by_operator; /* [baristas]: the operator's own tally */
static uint32_t baristas;
static void (*free_node)(struct order_node *node); /* the scenario's, for the deferred free */

int order_fifo_setup(const struct run_config *config)
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
        for (uint32_t i = 0; i < baristas; i++) {
                atomic_init(&served[i].served, 0);
                variant_lab_words(&served[i].served, sizeof(served[i].served));
        }
        ck_fifo_mpmc_init(&order_fifo, &stub->link);
        /* ck's own words, which it accesses only atomically (variant.h): the FIFO's head and
         * tail, the epoch and its records; each node's link below. */
        annotate_atomic_only(&order_fifo, sizeof(order_fifo));
        annotate_atomic_only(&stub->link, sizeof(stub->link));
        annotate_atomic_only(&epoch, sizeof(epoch));
        annotate_atomic_only(records, sizeof(*records) * (baristas + 1));
        scenario_note_queue_capacity((uint64_t)ORDER_FIFO_CREDITS * baristas);
        return 0;
}

void order_fifo_teardown(void)
{
        ck_fifo_mpmc_entry_t *last;

        ck_epoch_barrier(&records[baristas]); /* runs every deferred free */
        ck_fifo_mpmc_deinit(&order_fifo, &last);
        free(last); /* the stub left behind: the operator drained the queue */
        free(records), free(served), free(served_by_operator);
}

ck_epoch_record_t *order_fifo_record(const struct barista *b)
{
        return &records[b->id <= baristas ? b->id - 1 : baristas];
}

static uint64_t in_flight(const struct barista *b)
{
        return b->orders_taken - atomic_load_explicit(&served[b->id - 1].served, memory_order_relaxed);
}

struct order_node *order_fifo_node_for(struct barista *b)
{
        if (in_flight(b) > ORDER_FIFO_CREDITS) {
                barista_note_contended(b);
                while (in_flight(b) > ORDER_FIFO_CREDITS)
                        cpu_relax();
        }
        struct order_node *node = malloc(sizeof(*node));
        if (!node)
                abort();
        annotate_atomic_only(&node->link, sizeof(node->link));
        node->order = barista_write_order(b);
        return node;
}

void order_fifo_credit(const struct order *o)
{
        if (o->barista >= 1 && o->barista <= baristas)
                atomic_store_explicit(&served[o->barista - 1].served,
                                      ++served_by_operator[o->barista - 1], memory_order_relaxed);
}

static void reclaim(ck_epoch_entry_t *entry)
{
        free_node((struct order_node *)((char *)entry - offsetof(struct order_node, reclaim)));
}

void order_fifo_retire(struct barista *operator, ck_fifo_mpmc_entry_t *garbage,
                       void (*node_free)(struct order_node *node))
{
        free_node = node_free;
        ck_epoch_call(&records[baristas], &((struct order_node *)garbage)->reclaim, reclaim);
        if (operator->drinks_served % POLL_EVERY == 0)
                ck_epoch_poll(&records[baristas]);
}
