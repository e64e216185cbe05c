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
        /* Who pulled the last shot, for the receipt: more plain state a shot touches, so that
         * protecting the counter alone (atomic-counter) still leaves a race. */
        uint32_t last_barista;
        /* Who is at the machine: a barista's id, 0 when free. A relaxed atomic, because it is the
         * lab's detector, not part of the lesson: it must see overlapping shots even where the
         * scenario does not protect the machine, without ordering anything between baristas.
         * In an 8-byte word of its own: ThreadSanitizer keeps only four shadow cells per 8 bytes,
         * and sharing them with these frequent atomic accesses would push out the plain write
         * to last_barista that TSan has to compare, and now and then hide that race. */
        _Alignas(8) _Atomic uint32_t in_use_by;
} __attribute__((aligned(64)));

extern struct espresso_machine espresso_machine;

/* Back to no shots, nobody at the machine: before each run. */
void machine_reset(void);

/* "espresso_machine.shots" for an offset into espresso_machine, NULL past its end: lets
 * race-check name the field ThreadSanitizer reports, where TSan itself names only the global. */
const char *machine_field_at(size_t offset);

/*
 * Pulling a shot, step by step. Most scenarios call machine_pull_shot(), which is all four; a
 * scenario that protects only part of the shot (atomic-counter) calls the steps itself.
 */

/* The barista steps up to the machine and puts its mark on it. Someone else's mark still there
 * is a collision: two baristas at the machine at once. A sampled order's "got" tick is read after
 * the mark, still inside whatever protects the machine (see clock_cycles_after_acquire). */
static inline void machine_step_up(struct barista *b)
{
        struct espresso_machine *m = &espresso_machine;

        variant_schedule_point(b, SCHEDULE_STEP_UP, 0);
        uint32_t there = atomic_load_explicit(&m->in_use_by, memory_order_relaxed);
        if (BARISTA_RARELY(there != 0))
                b->collisions++;
        variant_schedule_outcome(b, there, SCHEDULE_DONE);
        atomic_store_explicit(&m->in_use_by, b->id, memory_order_relaxed);
        if (barista_sampling(b)) {
                b->got_cycles = clock_cycles_after_acquire();
                if (BARISTA_RARELY(b->slow_motion))
                        slow_motion_at_machine(b);
                if (BARISTA_RARELY(b->hold != NULL))
                        waiter_hold_at_machine(b);
        }
}

/* The machine brews: --shot-ns of busy work. */
static inline void machine_brew(const struct barista *b)
{
        busywork_spin(b->shot_iterations);
}

/* Counts the shot: read, add, write back ("shots++", spelled out so that a controlled run can
 * switch baristas between the read and the write; the compiler makes the same code of both). The
 * compiler-only fences make each shot really read and write the counter in memory rather than
 * keep it in a register across orders; they order nothing between threads, so the race on an
 * unprotected machine is still there. */
static inline void machine_count_shot(const struct barista *b)
{
        struct espresso_machine *m = &espresso_machine;

        atomic_signal_fence(memory_order_seq_cst);
        variant_schedule_point(b, SCHEDULE_READ_COUNT, 0);
        uint64_t seen = m->shots;
        variant_schedule_outcome(b, seen, SCHEDULE_DONE);
        variant_schedule_point(b, SCHEDULE_WRITE_COUNT, seen + 1);
        m->shots = seen + 1;
        m->last_barista = b->id;
        atomic_signal_fence(memory_order_seq_cst);
}

/* Counts the shot with one atomic read-modify-write: no increment can be lost. This is C11's
 * atomic_fetch_add; the compiler's builtin lets the one plain counter serve both kinds of
 * scenario. The rest of the shot (last_barista) is still plain. */
static inline void machine_count_shot_atomically(const struct barista *b)
{
        struct espresso_machine *m = &espresso_machine;

        variant_schedule_point(b, SCHEDULE_COUNT_ATOMIC, 0);
        uint64_t seen = __atomic_fetch_add(&m->shots, 1, __ATOMIC_RELAXED);
        variant_schedule_outcome(b, seen + 1, SCHEDULE_DONE);
        m->last_barista = b->id;
}

/* The barista takes its mark off and steps away. (In slow motion, its shot has read the count.) */
static inline void machine_step_down(struct barista *b)
{
        variant_schedule_point(b, SCHEDULE_STEP_DOWN, 0);
        atomic_store_explicit(&espresso_machine.in_use_by, 0, memory_order_relaxed);
        if (barista_sampling(b)) {
                b->done_cycles = clock_cycles();
                if (BARISTA_RARELY(b->slow_motion))
                        slow_motion_read(b);
        }
}

/* Steps down without wiping the mark of a barista who stepped up meanwhile, so that in slow
 * motion, where the overlap is the point, the collision is seen. */
static inline void machine_step_down_in_slow_motion(struct barista *b)
{
        uint32_t mine = b->id;

        atomic_compare_exchange_strong_explicit(&espresso_machine.in_use_by, &mine, 0,
                                                memory_order_relaxed, memory_order_relaxed);
        if (barista_sampling(b))
                b->done_cycles = clock_cycles();
}

/* The same shot in slow motion, for racy scenarios under --slow-motion. The barista holds the
 * machine until another barista wants it (machine_step_up), then reads the count and holds that
 * window open until another barista has read the count too: both then write back the same
 * number, and one shot is lost, in every run, on any machine, even on one core. Without slow
 * motion the numbers are the honest, unwidened ones. */
static inline void machine_pull_shot_in_slow_motion(struct barista *b)
{
        struct espresso_machine *m = &espresso_machine;

        machine_step_up(b); /* held until someone else wants the machine: they step up too */
        machine_brew(b);
        slow_motion_open(b, SLOW_MOTION_UNTIL_ANOTHER_READS);
        uint64_t seen = m->shots;
        slow_motion_read(b);
        slow_motion_hold(b); /* read, not yet written back: until someone else reads it too */
        m->shots = seen + 1;
        m->last_barista = b->id;
        machine_step_down_in_slow_motion(b);
}

/* In slow motion, stays at the machine until another barista has stepped up too. */
static inline void machine_linger_in_slow_motion(struct barista *b)
{
        slow_motion_linger(b);
}

/* Pulls one shot. The scenario must hold the machine, however it does that. With --shot none
 * the barista touches nothing shared: only the lock's own cache line moves between baristas, as
 * in other lock benchmarks, and a sampled order's hold is the empty critical section. */
static inline void machine_pull_shot(struct barista *b)
{
        if (BARISTA_RARELY(b->without_shot)) {
                if (barista_sampling(b)) {
                        b->got_cycles = clock_cycles_after_acquire();
                        b->done_cycles = clock_cycles();
                }
                return;
        }
        machine_step_up(b);
        machine_brew(b);
        machine_count_shot(b);
        machine_step_down(b);
}

#endif
