/*
 * Slow motion: race windows held open until another barista steps into them (see barista.h).
 *
 * Each barista shows the others, on a cache line of its own, whether it wants the machine, which
 * window it holds open, and how often it has stepped up and read the shared state. A barista
 * holding a window watches the others' marks, yielding the CPU, until the event it waits for has
 * happened. So on one core the others get to run, and on several they are seen at once.
 *
 * For unsync this plays out as: A steps up and holds the machine until B wants it; A reads the
 * count and holds that window open; B steps up (a collision: A is still there), sees A holding a
 * window and reads the same count; A, seeing B's read, writes back; so does B: one shot lost.
 */
#include "barista.h"

#include <sched.h>

#define NO_WINDOW 0

static void mark_window(struct barista *b, enum slow_motion_until until)
{
        atomic_store_explicit(&b->slow.window, 1 + (int)until, memory_order_relaxed);
}

static void count_up(_Atomic uint64_t *count)
{
        atomic_store_explicit(count, atomic_load_explicit(count, memory_order_relaxed) + 1,
                              memory_order_relaxed);
}

/* The other baristas' count of the event `until` waits for (their reads, or steps up). */
static uint64_t others_count(const struct barista *staff, uint32_t baristas,
                             const struct barista *self, enum slow_motion_until until)
{
        uint64_t sum = 0;

        for (uint32_t i = 0; i < baristas; i++) {
                const struct barista *o = &staff[i];
                if (o == self)
                        continue;
                sum += until == SLOW_MOTION_UNTIL_ANOTHER_READS
                       ? atomic_load_explicit(&o->slow.reads, memory_order_relaxed)
                       : atomic_load_explicit(&o->slow.steps_up, memory_order_relaxed);
        }
        return sum;
}

/* Whether the hold is over: what it waits for happened, or nobody else is left to do it. A hold
 * at the machine ends when another barista wants it or holds a window of its own: two baristas
 * stepping up together each see the other holding, rather than each waiting for the other. */
static bool hold_over(const struct barista *staff, uint32_t baristas, const struct barista *self,
                      enum slow_motion_until until, uint64_t count_before)
{
        bool anyone_working = false;

        for (uint32_t i = 0; i < baristas; i++) {
                const struct barista *o = &staff[i];
                if (o == self || atomic_load_explicit(&o->finished, memory_order_relaxed))
                        continue;
                anyone_working = true;
                if (until == SLOW_MOTION_UNTIL_ANOTHER_WANTS &&
                    (atomic_load_explicit(&o->slow.wanting, memory_order_relaxed) ||
                     atomic_load_explicit(&o->slow.window, memory_order_relaxed) != NO_WINDOW))
                        return true;
        }
        if (!anyone_working)
                return true;
        return until != SLOW_MOTION_UNTIL_ANOTHER_WANTS &&
               others_count(staff, baristas, self, until) != count_before;
}

/* Holds the window `until` open, counting from count_before; closes it. */
static void hold(struct barista *b, enum slow_motion_until until, uint64_t count_before)
{
        struct barista *staff = b->crew->staff;
        uint32_t baristas = b->crew->baristas;
        uint64_t give_up = clock_now_ns() + SLOW_MOTION_HOLD_MS * 1000000ull;

        mark_window(b, until);
        while (staff && !hold_over(staff, baristas, b, until, count_before) &&
               clock_now_ns() < give_up && !atomic_load_explicit(&barista_stop, memory_order_relaxed))
                sched_yield();
        atomic_store_explicit(&b->slow.window, NO_WINDOW, memory_order_relaxed);
}

static uint64_t count_others(const struct barista *b, enum slow_motion_until until)
{
        return others_count(b->crew->staff, b->crew->baristas, b, until);
}

void slow_motion_wants(struct barista *b)
{
        atomic_store_explicit(&b->slow.wanting, true, memory_order_relaxed);
}

void slow_motion_read(struct barista *b)
{
        count_up(&b->slow.reads);
}

void slow_motion_open(struct barista *b, enum slow_motion_until until)
{
        b->slow.others_before = count_others(b, until);
        mark_window(b, until);
}

void slow_motion_hold(struct barista *b)
{
        int window = atomic_load_explicit(&b->slow.window, memory_order_relaxed);

        if (window != NO_WINDOW)
                hold(b, (enum slow_motion_until)(window - 1), b->slow.others_before);
}

void slow_motion_at_machine(struct barista *b)
{
        b->slow.steps_before = count_others(b, SLOW_MOTION_UNTIL_ANOTHER_STEPS_UP);
        atomic_store_explicit(&b->slow.wanting, false, memory_order_relaxed);
        count_up(&b->slow.steps_up);
        hold(b, SLOW_MOTION_UNTIL_ANOTHER_WANTS, 0);
}

void slow_motion_linger(struct barista *b)
{
        hold(b, SLOW_MOTION_UNTIL_ANOTHER_STEPS_UP, b->slow.steps_before);
}
