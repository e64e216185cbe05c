/*
 * A barista: one thread taking orders and serving drinks. Scenarios write the loop
 *
 *      while (barista_take_order(b)) {
 *              ...get the machine the scenario's way...
 *              machine_pull_shot(b);
 *              ...give it back...
 *              barista_serve_drink(b);
 *      }
 *
 * and the harness's bookkeeping hides in these inline helpers. Everything they touch belongs to
 * this barista alone: no shared counter, no shared lock. Anything shared would order baristas
 * with each other, which both hides races from ThreadSanitizer and distorts the contention being
 * measured. The harness merges the per-barista figures after joining the threads.
 */
#ifndef ESPRESSO_BARISTA_H
#define ESPRESSO_BARISTA_H

#include "../measure/busywork.h"
#include "../measure/clock.h"
#include "../measure/stats.h"
#include "variant.h"

#include <pthread.h>
#include <sys/types.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct rusage;

/* One order in SAMPLE_EVERY has its wait and hold times measured: three cycle-counter reads
 * (about 33 ns) spread over 64 orders cost about 0.5 ns per order. A timeline measures every
 * order. */
#define BARISTA_SAMPLE_EVERY 64

struct timeline_lane;
struct order_tally;
struct waiter_hold;

/* A menu manager's pace: changes --updates-per-sec times a second, the first at once. */
struct manager_pace {
        uint64_t interval_ns;   /* 1 s / updates_per_sec */
        uint64_t next_ns;       /* when the next change is due, CLOCK_MONOTONIC */
        bool first_made;        /* the first change comes at once, unconditionally */
};

/* What a barista can see of the run it works in. The harness fills it in when it hires the staff;
 * the kit's own code reads it (slow motion, the end of a shift, the operator's tallies, the
 * manager's pace), so that the kit needs nothing of the harness but this. */
struct crew {
        struct barista *staff;       /* the baristas, then the helper */
        uint32_t baristas, helpers;
        atomic_bool stopping_early;  /* cut short or interrupted: nobody waits for anything */
        struct order_tally *tallies; /* [baristas]: what an operator has served of each */
        struct manager_pace pace;    /* a menu's manager */
};

/* What slow motion (--slow-motion) lets the other baristas see of this one, so that a barista
 * holding a race window open knows when another has stepped into it (slow_motion.c). Relaxed
 * atomics: they order nothing between baristas, and ThreadSanitizer sees no edge in them. On a
 * cache line of their own: only slow motion reads them across baristas. */
struct slow_motion_marks {
        _Atomic bool wanting;        /* has taken an order and wants the machine, not yet at it */
        _Atomic int window;          /* the window it holds open now: 1 + its slow_motion_until,
                                      * 0 for none */
        _Atomic uint64_t steps_up;   /* times it stepped up to the machine */
        _Atomic uint64_t reads;      /* times it read the shared state (the shot count, the menu) */
        /* Its own, plain: the others' count as it opened its window, before its own read; and
         * the others' steps up as it stepped up itself. Counted before its own, so that two
         * baristas in the same window at once cannot both wait for each other: one of them
         * counted first and sees the other's. */
        uint64_t others_before;
        uint64_t steps_before;
} __attribute__((aligned(64)));

struct barista {
        /* Hot: touched on every order, by this barista only. */
        uint64_t orders_taken;    /* orders taken so far */
        uint64_t order_quota;     /* orders to take; UINT64_MAX in a timed run */
        uint64_t drinks_served;   /* drinks handed over */
        /* Progress as the watchdog sees it: drinks served (orders placed, menu changes made),
         * stored relaxed after each one. Only the owner writes it; a relaxed store orders nothing
         * and costs what a plain one does (bench overhead showed no difference). */
        _Atomic uint64_t heartbeat;
        uint64_t collisions;      /* shots begun while another barista was at the machine */
        uint64_t contended;       /* times the machine was busy when wanted (if the scenario can tell) */
        uint64_t prep_iterations; /* busy work per order, away from the machine (--prep-ns) */
        uint64_t shot_iterations; /* busy work per shot, at the machine (--shot-ns) */
        uint64_t sample_mask;     /* an order is timed when orders_taken & sample_mask is 0:
                                   * BARISTA_SAMPLE_EVERY - 1, or 0 to time every order */
        uint32_t id;              /* 1..baristas: what the machine's in-use mark holds */
        bool slow_motion;         /* --slow-motion: race windows are held open (slow_motion.c) */
        bool without_shot;        /* --shot none: machine_pull_shot() does nothing but time */
        struct waiter_hold *hold; /* --hold-waiter: barista 1 is held while it waits, to see
                                   * whether anyone overtakes it (waiter_hold.h); else NULL */
        uint64_t want_cycles;     /* sampled order: wanted the machine, in cycles */
        uint64_t got_cycles;      /* sampled order: got it, in cycles */
        uint64_t done_cycles;     /* sampled order: done with it, in cycles */
        uint64_t prep_cycles;     /* sampled order: began working on it, if the scenario says
                                   * (orders that overlap, shop-concurrent); 0: when the
                                   * barista's previous order was done */
        uint64_t menu_version_read; /* menu scenarios: the version of the menu read last */

        /* Cold: the harness's, before and after the run. */
        struct latency_histogram *wait_cycles; /* sampled waits, in cycles */
        struct latency_histogram *hold_cycles; /* sampled holds, in cycles */
        struct timeline_lane *lane; /* where every order's times go in a timeline, else NULL */
        uint64_t start_ns;        /* started taking orders, CLOCK_MONOTONIC ns */
        uint64_t end_ns;          /* done with its last order, CLOCK_MONOTONIC ns */
        uint64_t ctx_voluntary;   /* context switches while working: gave up the CPU (blocked) */
        uint64_t ctx_involuntary; /* ... had it taken away (preempted) */
        uint64_t cpu_ns;          /* CPU time used while working, user + system, ns (a scenario
                                   * that forks adds its children's) */
        uint64_t torn_reads;      /* menu reads that mixed two versions */
        struct rusage *usage_at_start; /* the thread's CPU time and context switches then */
        /* Read by the watchdog while the barista works, hence relaxed atomics (no ordering). */
        _Atomic(const char *) holding;     /* what the barista says it holds ("the grinder") */
        _Atomic(const char *) waiting_for; /* what it says it waits for, or NULL */
        _Atomic bool finished;    /* its shift is over: it takes no more orders */
        pid_t tid;                /* the thread's id, to ask the kernel what it is doing */
        struct crew *crew;        /* the run this barista works in */
        pthread_t thread;
        struct slow_motion_marks slow;
} __attribute__((aligned(64)));

/* Set once by the harness when the run is to end: a timed run's time is up, or the run is cut
 * short or interrupted. Read relaxed: it carries no data, and a relaxed load orders nothing
 * between baristas (ThreadSanitizer sees no edge either). */
extern atomic_bool barista_stop;

/* Set by the harness once every barista has finished: the helper drains its work and returns.
 * Acquire: whatever the baristas did (orders placed) is visible once this reads true. */
extern atomic_bool helper_stop;

/* Says which of the crew's words are only ever accessed atomically, for the tools that cannot
 * see atomics (variant_lab_words): the harness calls it once the staff is hired. */
void crew_tell_lab_words(struct crew *crew);

/* Out of line: recording a sample is the rare path. */
void barista_record_sample(struct barista *b);

/*
 * The harness's rare paths (a timed order, a collision under a lock, the end of the shift),
 * marked so that the compiler lays the common order out as one straight run of code and moves
 * the rare work out of its way. Without the hint each of the four sampling checks was a taken
 * jump over the timing code; `bench overhead` measured the harness at 1.4x-1.6x of a bare lock
 * loop before these hints (and the cold barista_note_contended) and 1.3x-1.4x after. A hint
 * only arranges code: where the rare case is common (collisions without a lock), it costs a jump.
 */
#define BARISTA_RARELY(condition) __builtin_expect(!!(condition), 0)

/* Whether this order's wait and hold are being timed. Derived from the order count rather than
 * kept in a flag: every store in the loop must drain before the lock's atomic instruction, and
 * with an uncontended lock costing a few ns, one more store per order shows. A macro, not an
 * inline function: the compiler reads the hint before it inlines, and only where it stands in
 * the condition itself. Slow motion times every order, so that its holds can sit on this path
 * and cost the common order nothing. */
#define barista_sampling(b) BARISTA_RARELY(((b)->orders_taken & (b)->sample_mask) == 0)

/* The barista's shift is over: it says so, and its time and CPU stop counting here. Returns
 * false, for barista_take_order() to return. Out of line and cold: once per shift. */
__attribute__((cold)) bool barista_end_shift(struct barista *b);

/*
 * Slow motion (--slow-motion, slow_motion.c) holds each race window open until another barista
 * has stepped into it, so that what can go wrong does, in every run and on any machine, even on
 * one core: two baristas at the machine, two reading the same count, a reader in the middle of
 * an update, a barista waiting for the machine. A hold also ends when every other barista's shift
 * is over, and after at most SLOW_MOTION_HOLD_MS. Relaxed atomics throughout: slow motion orders
 * nothing between baristas, so ThreadSanitizer still sees every race.
 */
#define SLOW_MOTION_HOLD_MS 100

enum slow_motion_until {
        SLOW_MOTION_UNTIL_ANOTHER_WANTS,    /* another barista wants the machine or holds a window */
        SLOW_MOTION_UNTIL_ANOTHER_READS,    /* another barista has read the shared state since */
        SLOW_MOTION_UNTIL_ANOTHER_STEPS_UP, /* another barista has stepped up to the machine since */
};

/* Opens a race window (it shows the others) that will be held until `until`; then the barista
 * does what the window is about (reads the count), and holds it with slow_motion_hold(). */
void slow_motion_open(struct barista *b, enum slow_motion_until until);
/* Holds the window open until what it waits for has happened since it opened; closes it. */
void slow_motion_hold(struct barista *b);
/* This barista has taken an order and wants the machine. */
void slow_motion_wants(struct barista *b);
/* It has stepped up to the machine: it holds it until another barista wants it, so that correct
 * locks show a queue and racy scenarios a collision. */
void slow_motion_at_machine(struct barista *b);
/* It stays at the machine until another barista has stepped up since it did. */
void slow_motion_linger(struct barista *b);
/* It has read the shared state (the shot count, the menu). */
void slow_motion_read(struct barista *b);

/* --hold-waiter's marks (waiter_hold.c): this barista wants the machine; it has got it. */
void waiter_hold_wants(struct barista *b);
void waiter_hold_at_machine(struct barista *b);

/* Takes the next order and prepares it (busy work away from the machine). False when the
 * barista's orders are done or the run is over. */
static inline bool barista_take_order(struct barista *b)
{
        if (BARISTA_RARELY(b->orders_taken == b->order_quota ||
                           atomic_load_explicit(&barista_stop, memory_order_relaxed)))
                return barista_end_shift(b);
        variant_schedule_point(b, SCHEDULE_TAKE_ORDER, b->orders_taken + 1);
        b->orders_taken++;
        busywork_spin(b->prep_iterations);
        if (barista_sampling(b)) {
                b->want_cycles = clock_cycles();
                if (BARISTA_RARELY(b->slow_motion))
                        slow_motion_wants(b);
                if (BARISTA_RARELY(b->hold != NULL))
                        waiter_hold_wants(b);
        }
        return true;
}

/* The machine was busy when this barista wanted it: it has to wait. Out of line and marked
 * cold, so that the compiler lays the scenario's uncontended path out straight, without a hint
 * in the scenario's code; the call costs nothing a barista that is about to wait would notice. */
__attribute__((cold)) void barista_note_contended(struct barista *b);

/* The wait sample of an order the barista hands on rather than serves itself: recorded
 * without a hold time. */
void barista_record_wait(struct barista *b);

/* What a barista holds and waits for, for the watchdog's diagnosis when nobody progresses
 * ("barista 1 holds the grinder and waits for the espresso machine"). Optional: without them
 * the watchdog still ends a stuck run and says which baristas are stuck. Relaxed stores: they
 * order nothing between baristas. */
static inline void barista_waits_for(struct barista *b, const char *what)
{
        atomic_store_explicit(&b->waiting_for, what, memory_order_relaxed);
}

static inline void barista_holds(struct barista *b, const char *what)
{
        atomic_store_explicit(&b->waiting_for, NULL, memory_order_relaxed);
        atomic_store_explicit(&b->holding, what, memory_order_relaxed);
}

/* Progress the watchdog can see: one more drink served, order placed or change made. */
static inline void barista_progress(struct barista *b, uint64_t count)
{
        atomic_store_explicit(&b->heartbeat, count, memory_order_relaxed);
}

/* Hands the drink over. */
static inline void barista_serve_drink(struct barista *b)
{
        b->drinks_served++;
        barista_progress(b, b->drinks_served);
        if (barista_sampling(b))
                barista_record_sample(b);
}

#endif
