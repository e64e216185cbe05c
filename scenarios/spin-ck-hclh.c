/*
 * spin-ck-hclh — Concurrency Kit's hierarchical CLH lock guards the espresso machine.
 *
 * Baristas are grouped in cohorts (think: the two ends of a long counter). Each cohort queues
 * locally, CLH-style, and a cohort's queue is spliced into one global queue as a batch, so the
 * machine tends to stay with one cohort for a while: fewer hand-overs between distant cores, at
 * the price of fairness between cohorts. Here cohorts are barista id parity (2 cohorts for the
 * lab's 2 cores).
 * HCLH has no trylock: the barista peeks at the global queue to learn whether it will wait.
 * ck's atomics are invisible to ThreadSanitizer, so the lock's edges are annotated.
 */
#include "lock_scenario.h"

#include <ck_spinlock.h>
#include <errno.h>
#include <stdlib.h>

#define COHORTS 2

struct hclh_node {
        ck_spinlock_hclh_t node;
} __attribute__((aligned(64)));

static ck_spinlock_hclh_t *global_queue;
static ck_spinlock_hclh_t *cohort_queue[COHORTS];
static struct hclh_node *node_pool; /* baristas + 1 + COHORTS nodes, freed together */
static ck_spinlock_hclh_t **mine;   /* mine[id - 1]: the node barista id holds now */

static void machine_lock(struct barista *b);

static bool machine_lock_if_free(struct barista *b)
{
        if (ck_spinlock_hclh_locked(&global_queue))
                return false;
        machine_lock(b); /* looked free: if someone slipped in first, this waits briefly */
        return true;
}

static void machine_lock(struct barista *b)
{
        annotate_before_lock(&global_queue);
        ck_spinlock_hclh_lock(&global_queue, &cohort_queue[b->id % COHORTS], mine[b->id - 1]);
        annotate_after_lock(&global_queue);
}

static void machine_unlock(struct barista *b)
{
        annotate_before_unlock(&global_queue);
        ck_spinlock_hclh_unlock(&mine[b->id - 1]); /* and adopts the predecessor's node */
        annotate_after_unlock(&global_queue);
}

static int spin_ck_hclh_setup(const struct run_config *config)
{
        uint32_t n = config->baristas;

        node_pool = aligned_alloc(64, sizeof(*node_pool) * (n + 1 + COHORTS));
        mine = calloc(n, sizeof(*mine));
        if (!node_pool || !mine) {
                free(node_pool);
                free(mine);
                return -ENOMEM;
        }
        ck_spinlock_hclh_init(&global_queue, &node_pool[n].node, -1);
        for (int c = 0; c < COHORTS; c++)
                ck_spinlock_hclh_init(&cohort_queue[c], &node_pool[n + 1 + c].node, c);
        for (uint32_t i = 0; i < n; i++)
                mine[i] = &node_pool[i].node;
        annotate_atomic_only(&global_queue, sizeof(global_queue)); /* ck's words: see variant.h */
        annotate_atomic_only(cohort_queue, sizeof(cohort_queue));
        annotate_atomic_only(node_pool, sizeof(*node_pool) * (n + 1 + COHORTS));
        return 0;
}

static void spin_ck_hclh_teardown(void)
{
        free(node_pool);
        free(mine);
        node_pool = NULL;
        mine = NULL;
}

LOCK_SCENARIO(spin_ck_hclh_scenario,
              .name = "spin-ck-hclh",
              .spinlock = true,
              .fair = true,
              .summary = "Concurrency Kit's hierarchical CLH lock: cohorts queue locally",
              .lesson = "Built for machines where some cores are far apart: waiters queue per "
                        "cohort and a cohort's queue joins the global one as a batch, so the lock "
                        "stays near where it is. On a 2-core machine it mostly shows its extra "
                        "bookkeeping.",
              .setup = spin_ck_hclh_setup,
              .teardown = spin_ck_hclh_teardown);
