/*
 * spin-ck-mcs — Concurrency Kit's MCS queue lock guards the espresso machine.
 *
 * Each barista brings its own queue node and spins on a flag in its own node, not on the shared
 * lock word: the holder hands the lock over by writing to the next barista's node. Waiting costs
 * no shared cache-line traffic, and the queue is first come, first served.
 * ck's atomics are invisible to ThreadSanitizer, so the lock's edges are annotated.
 */
#include "lock_scenario.h"

#include <ck_spinlock.h>
#include <errno.h>
#include <stdlib.h>

/* One node per barista, each on its own cache line so that spinning baristas share nothing. */
struct mcs_node {
        ck_spinlock_mcs_context_t context;
} __attribute__((aligned(64)));

static ck_spinlock_mcs_t machine_queue = CK_SPINLOCK_MCS_INITIALIZER;
static struct mcs_node *nodes; /* nodes[id - 1] is barista id's */

static bool machine_lock_if_free(struct barista *b)
{
        annotate_before_trylock(&machine_queue);
        bool taken = ck_spinlock_mcs_trylock(&machine_queue, &nodes[b->id - 1].context);
        annotate_after_trylock(&machine_queue, taken);
        return taken;
}

static void machine_lock(struct barista *b)
{
        annotate_before_lock(&machine_queue);
        ck_spinlock_mcs_lock(&machine_queue, &nodes[b->id - 1].context);
        annotate_after_lock(&machine_queue);
}

static void machine_unlock(struct barista *b)
{
        annotate_before_unlock(&machine_queue);
        ck_spinlock_mcs_unlock(&machine_queue, &nodes[b->id - 1].context);
        annotate_after_unlock(&machine_queue);
}

static int spin_ck_mcs_setup(const struct run_config *config)
{
        nodes = aligned_alloc(64, sizeof(*nodes) * config->baristas);
        if (!nodes)
                return -ENOMEM;
        ck_spinlock_mcs_init(&machine_queue);
        annotate_atomic_only(&machine_queue, sizeof(machine_queue)); /* ck's words: see variant.h */
        annotate_atomic_only(nodes, sizeof(*nodes) * config->baristas);
        return 0;
}

static void spin_ck_mcs_teardown(void)
{
        free(nodes);
        nodes = NULL;
}

LOCK_SCENARIO(spin_ck_mcs_scenario,
              .name = "spin-ck-mcs",
              .spinlock = true,
              .fair = true,
              .summary = "Concurrency Kit's MCS queue lock: each waiter spins on its own node",
              .lesson = "Waiters form a queue and each spins on its own cache line, so waiting "
                        "does not hammer a shared line; the lock passes first come, first served. "
                        "Like every fair spinlock it stalls when the next in line is preempted.",
              .setup = spin_ck_mcs_setup,
              .teardown = spin_ck_mcs_teardown);
