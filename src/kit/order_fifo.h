/*
 * The plumbing of an order queue on Concurrency Kit's MPMC FIFO (queue-ck-fifo and its twin), so
 * that a scenario file shows only the lesson: how an order goes in, how it comes out, and what
 * ThreadSanitizer is told about it.
 *
 * Every order travels in a node of its own, allocated by its barista. Dequeuing leaves the
 * previous node behind as garbage, but a barista that read the queue's tail a moment ago may
 * still be looking at it, so it is freed only after ck_epoch's grace period: every barista has
 * left the epoch section it was in. The FIFO has no bound of its own: a barista may have at most
 * ORDER_FIFO_CREDITS orders in flight and waits when it has used them up (backpressure).
 */
#ifndef ESPRESSO_ORDER_FIFO_H
#define ESPRESSO_ORDER_FIFO_H

#include "scenario.h"

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

#define ORDER_FIFO_CREDITS 256 /* orders in flight per barista */

struct order_node {
        ck_fifo_mpmc_entry_t link;  /* ck's, first: the FIFO links these */
        struct order order;
        ck_epoch_entry_t reclaim;   /* for the deferred free */
};

extern ck_fifo_mpmc_t order_fifo;

/* Setup and teardown for a scenario that uses it; 0 or -ENOMEM. */
int order_fifo_setup(const struct run_config *config);
void order_fifo_teardown(void);

/* The epoch record of barista b, or of the operator. */
ck_epoch_record_t *order_fifo_record(const struct barista *b);

/* A barista's next order in a node of its own, once it has a credit (it waits, noting the
 * contention, until the operator has caught up). */
struct order_node *order_fifo_node_for(struct barista *b);

/* The operator has served order o: its barista gets a credit back. */
void order_fifo_credit(const struct order *o);

/* The operator is done with the node that was the FIFO's stub: node_free runs once no barista
 * can still be looking at it (after the grace period). */
void order_fifo_retire(struct barista *operator, ck_fifo_mpmc_entry_t *garbage,
                       void (*node_free)(struct order_node *node));

#endif
