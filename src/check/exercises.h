/*
 * The exercises: starter files in exercises/ (a scenario with a marked hole and its task), hints
 * in increasing strength, and the goals `check --exercise NAME` adds to the usual checks. Each
 * has a reference solution among the lab's own scenarios.
 */
#ifndef ESPRESSO_EXERCISES_H
#define ESPRESSO_EXERCISES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXERCISE_HINTS 3

/* What an exercise checks beyond thread safety. */
enum exercise_goal {
        GOAL_NO_LOCK_CALLS = 1u << 0, /* the file calls no pthread, C11 or semaphore lock */
        GOAL_FAIR = 1u << 1,          /* a waiting barista, held still, is never overtaken */
        GOAL_READS_SCALE = 1u << 2,   /* reads per second at least min_read_share of the reference's */
};

struct exercise {
        const char *name;       /* "guard-the-machine": exercises/<name>.c */
        const char *task;       /* one line */
        const char *reference;  /* the lab's scenario that solves it: explain it after passing */
        const char *hints[EXERCISE_HINTS]; /* weakest first; the last nearly the answer */
        unsigned goals;         /* enum exercise_goal */
        uint32_t goal_baristas; /* the fairness and read goals' run */
        uint64_t goal_orders;   /* GOAL_FAIR: orders in its timeline */
        uint64_t goal_shot_ns;  /* GOAL_FAIR: each shot's work, long enough to wait through */
        double min_read_share;  /* GOAL_READS_SCALE */
};

extern const struct exercise exercises[];
extern const size_t exercise_count;

/* The exercise named, or NULL. */
const struct exercise *exercise_named(const char *name);

/* Whether an undefined symbol is a lock the no-lock-calls goal forbids. */
bool exercise_forbids_symbol(const char *symbol);

#endif
