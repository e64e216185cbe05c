/*
 * The sandbox's parts (sandbox.h): its cgroups (sandbox_cgroups.c) and its tasks, read from /proc
 * (sandbox_tasks.c). Used by sandbox.c only.
 */
#ifndef ESPRESSO_SANDBOX_PARTS_H
#define ESPRESSO_SANDBOX_PARTS_H

#include "sandbox.h"

#include <stdbool.h>
#include <stdint.h>

#define CGROUP_PATH_MAX 160

struct box_cgroups {
        char pids[CGROUP_PATH_MAX];   /* the box's pids cgroup, or "" */
        char memory[CGROUP_PATH_MAX]; /* its memory cgroup (the same as pids under v2), or "" */
        bool v2;
};

/* Makes the box's cgroups where the lab may, with the limits set; leaves a path "" otherwise. */
void cgroups_make(struct box_cgroups *cg, const struct sandbox_limits *limits);
/* In the child: joins the box's cgroups (before dropping privileges, which would forbid it). */
void cgroups_join(const struct box_cgroups *cg);
/* Kills every process in the cgroup until it is empty, then removes it; the processes killed. */
unsigned cgroup_empty(const char *dir);
/* The number after `key` in a cgroup's "key value" file (pids.events, memory.events), or 0. */
unsigned long long cgroup_read_keyed(const char *dir, const char *file, const char *key);
/* The memory cgroup's own count of the box's memory, or 0 when there is none. */
uint64_t cgroup_memory(const struct box_cgroups *cg);

struct task_count {
        unsigned tasks;          /* threads of every process in the box */
        uint64_t resident_bytes; /* their resident memory, summed */
};

/* Counts the tasks and memory of the box whose first process is `child`: its process group, its
 * descendants, and orphans re-parented to the lab; with kill_them, kills its processes too. */
struct task_count box_tasks(int child, bool kill_them, unsigned *killed);
/* Tasks (processes and threads) the user already has: RLIMIT_NPROC counts them all. */
unsigned tasks_of_user(unsigned uid);

#endif
