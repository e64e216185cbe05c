/*
 * The espresso machine: the one thing every barista needs, and the shared state each scenario
 * protects in its own way (or does not).
 */
#ifndef ESPRESSO_MACHINE_H
#define ESPRESSO_MACHINE_H

#include "barista.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct espresso_machine {
        /* Shots pulled. A plain counter on purpose: a shot reads it and writes it back, and two
         * baristas doing that at once lose one shot (a lost update). */
        uint64_t shots;
        /* Who is at the machine: a barista's id, 0 when free. A relaxed atomic, because it is the
         * lab's detector, not part of the lesson: it must see overlapping shots even where the
         * scenario does not protect the machine, without ordering anything between baristas. */
        _Atomic uint32_t in_use_by;
} __attribute__((aligned(64)));

extern struct espresso_machine espresso_machine;

/* Back to no shots, nobody at the machine: before each run. */
void machine_reset(void);

/* "espresso_machine.shots" for an offset into espresso_machine, NULL past its end: lets
 * race-check name the field ThreadSanitizer reports, where TSan itself names only the global. */
const char *machine_field_at(size_t offset);

/* Pulls one shot. The scenario must hold the machine, however it does that. */
static inline void machine_pull_shot(struct barista *b)
{
        struct espresso_machine *m = &espresso_machine;

        if (barista_sampling(b))
                b->got_cycles = clock_cycles();
        /* Someone else's mark still on the machine: two shots at once. */
        if (atomic_load_explicit(&m->in_use_by, memory_order_relaxed) != 0)
                b->collisions++;
        atomic_store_explicit(&m->in_use_by, b->id, memory_order_relaxed);

        busywork_spin(b->shot_iterations); /* the machine brews */
        /* A compiler-only fence: each shot really reads and writes the counter in memory, rather
         * than the compiler keeping it in a register across orders. It orders nothing between
         * threads, so the race on an unprotected machine is still there. */
        atomic_signal_fence(memory_order_seq_cst);
        m->shots++;
        atomic_signal_fence(memory_order_seq_cst);

        atomic_store_explicit(&m->in_use_by, 0, memory_order_relaxed);
        if (barista_sampling(b))
                b->done_cycles = clock_cycles();
}

#endif
