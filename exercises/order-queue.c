/*
 * order-queue — exercise: a bounded queue of orders, from the baristas to the operator.
 *
 * Baristas never touch the machine here: they put orders in a ring, and one operator takes them
 * out and pulls every shot. As handed out, putting and taking are not safe with several threads
 * at once. Make them safe, keeping the ring bounded (a full ring makes the barista wait). The lab
 * checks that TSan reports nothing, that every order reaches the operator exactly once and in
 * its barista's order, and that no run hangs, from 1 barista to twice the cores.
 *
 * Check it: espresso-lab check --exercise order-queue order-queue.c
 * Stuck? espresso-lab exercise hint order-queue
 */
#include "scenario.h"

#include "cpu.h"

#include <pthread.h>

#define RING_SLOTS 1024

static struct order ring[RING_SLOTS];
static uint64_t ring_head; /* next order to take out: only the operator moves it */
static uint64_t ring_tail; /* next free slot: every barista moves it */

/* YOUR CODE: ring_try_put() and ring_try_take(), and whatever they need beside the ring. Any
 * number of baristas may put at the same time as each other and as the operator takes: each
 * order must land in a slot of its own, and the operator must find it there whole. Neither
 * function waits: each says whether it could (a full ring, an empty ring), and its caller tries
 * again. As handed out they use no protection at all, written so that a run still ends whatever
 * the threads do to the indexes, and the check can show you what goes wrong. */

/* Puts a copy of the order in the ring, unless the ring is full (false). */
static bool ring_try_put(const struct order *order)
{
        /* The compiler-only fences keep each access a real one, in order; they order nothing
         * between threads. */
        atomic_signal_fence(memory_order_seq_cst);
        uint64_t tail = ring_tail;
        if (tail >= ring_head + RING_SLOTS)
                return false; /* full: the operator is behind */
        ring[tail % RING_SLOTS] = *order;
        atomic_signal_fence(memory_order_seq_cst);
        ring_tail = tail + 1;
        atomic_signal_fence(memory_order_seq_cst);
        return true;
}

/* Takes the oldest order out of the ring into *order, unless the ring is empty (false). */
static bool ring_try_take(struct order *order)
{
        atomic_signal_fence(memory_order_seq_cst);
        uint64_t head = ring_head;
        if (head >= ring_tail)
                return false; /* empty */
        *order = ring[head % RING_SLOTS];
        atomic_signal_fence(memory_order_seq_cst);
        ring_head = head + 1;
        atomic_signal_fence(memory_order_seq_cst);
        return true;
}

/* END OF YOUR CODE: the baristas and the operator below use the ring only through these two. */

static void my_order_queue_barista(struct barista *b)
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

static void my_order_queue_operator(struct barista *operator)
{
        struct order order;

        for (;;) {
                /* Read before looking in the ring: if every barista had finished and the ring is
                 * then empty, no order can still be on its way. */
                bool baristas_done = helper_should_stop();
                if (ring_try_take(&order)) {
                        helper_serve_order(operator, &order);
                        continue;
                }
                if (baristas_done)
                        return;
                cpu_relax();
        }
}

static int my_order_queue_setup(const struct run_config *config)
{
        (void)config;
        ring_head = ring_tail = 0;
        scenario_note_queue_capacity(RING_SLOTS);
        return 0;
}

SCENARIO(my_order_queue_scenario,
         .name = "my-order-queue",
         .family = FAMILY_QUEUE,
         .expect = VERDICT_CLEAN,
         .summary = "My bounded ring of orders, safe for every barista and the operator",
         .lesson = "Message passing: one operator owns the machine, so the machine needs no "
                   "lock; the sharing moved into the queue. Every order is served exactly once "
                   "and in its barista's order, and a full ring makes the barista wait "
                   "(wait_ns, contended).",
         .tells_contention = true,
         .setup = my_order_queue_setup,
         .barista = my_order_queue_barista,
         .helper = my_order_queue_operator,
         .helper_serves_orders = true);
