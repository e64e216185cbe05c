/*
 * spin-ck-clh — Concurrency Kit's CLH queue lock guards the espresso machine.
 *
 * Each barista enqueues a node and spins on its predecessor's node. On release a barista adopts
 * its predecessor's node for its next order, so nodes wander from barista to barista; there is
 * one more node than baristas (the queue starts with an unowned one).
 * CLH has no trylock: the barista peeks at the queue to learn whether it will wait.
 * ck's atomics are invisible to ThreadSanitizer, so the lock's edges are annotated.
 */
#include "lock_scenario.h"

#include <ck_spinlock.h>
#include <errno.h>
#include <stdlib.h>

struct clh_node {
        ck_spinlock_clh_t node;
} __attribute__((aligned(64)));

static ck_spinlock_clh_t *machine_queue;
static struct clh_node *node_pool;   /* baristas + 1 nodes, freed together */
static ck_spinlock_clh_t **mine;     /* mine[id - 1]: the node barista id holds now */

static void machine_lock(struct barista *b);

static bool machine_lock_if_free(struct barista *b)
{
        if (ck_spinlock_clh_locked(&machine_queue))
                return false;
        machine_lock(b); /* looked free: if someone slipped in first, this waits briefly */
        return true;
}

static void machine_lock(struct barista *b)
{
        annotate_before_lock(&machine_queue);
        ck_spinlock_clh_lock(&machine_queue, mine[b->id - 1]);
        annotate_after_lock(&machine_queue);
}

static void machine_unlock(struct barista *b)
{
        annotate_before_unlock(&machine_queue);
        ck_spinlock_clh_unlock(&mine[b->id - 1]); /* and adopts the predecessor's node */
        annotate_after_unlock(&machine_queue);
}

static int spin_ck_clh_setup(const struct run_config *config)
{
        node_pool = aligned_alloc(64, sizeof(*node_pool) * (config->baristas + 1));
        mine = calloc(config->baristas, sizeof(*mine));
        if (!node_pool || !mine) {
                free(node_pool);
                free(mine);
                return -ENOMEM;
        }
        ck_spinlock_clh_init(&machine_queue, &node_pool[config->baristas].node);
        for (uint32_t i = 0; i < config->baristas; i++)
                mine[i] = &node_pool[i].node;
        annotate_atomic_only(&machine_queue, sizeof(machine_queue)); /* ck's words: see variant.h */
        annotate_atomic_only(node_pool, sizeof(*node_pool) * (config->baristas + 1));
        return 0;
}

static void spin_ck_clh_teardown(void)
{
        free(node_pool);
        free(mine);
        node_pool = NULL;
        mine = NULL;
}

LOCK_SCENARIO(spin_ck_clh_scenario,
              .name = "spin-ck-clh",
              .spinlock = true,
              .fair = true,
              .summary = "Concurrency Kit's CLH queue lock: each waiter spins on its predecessor",
              .lesson = "An implicit queue: each barista spins on the node of the one ahead of it, "
                        "first come, first served, with little shared cache-line traffic. Nodes "
                        "change hands on every release, which is why the lock needs one spare.",
              .setup = spin_ck_clh_setup,
              .teardown = spin_ck_clh_teardown);
