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

#include "busywork.h"
#include "clock.h"
#include "stats.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* One order in SAMPLE_EVERY has its wait and hold times measured: three cycle-counter reads
 * (about 33 ns) spread over 64 orders cost about 0.5 ns per order. A timeline measures every
 * order. */
#define BARISTA_SAMPLE_EVERY 64

struct timeline_lane;

struct barista {
        /* Hot: touched on every order, by this barista only. */
        uint64_t orders_taken;    /* orders taken so far */
        uint64_t order_quota;     /* orders to take; UINT64_MAX in a timed run */
        uint64_t drinks_served;   /* drinks handed over */
        uint64_t collisions;      /* shots begun while another barista was at the machine */
        uint64_t contended;       /* times the machine was busy when wanted (if the scenario can tell) */
        uint64_t prep_iterations; /* busy work per order, away from the machine (--prep-ns) */
        uint64_t shot_iterations; /* busy work per shot, at the machine (--shot-ns) */
        uint64_t sample_mask;     /* an order is timed when orders_taken & sample_mask is 0:
                                   * BARISTA_SAMPLE_EVERY - 1, or 0 to time every order */
        uint32_t id;              /* 1..baristas: what the machine's in-use mark holds */
        bool slow_motion;         /* --slow-motion: racy scenarios widen their race window */
        uint64_t want_cycles;     /* sampled order: wanted the machine, in cycles */
        uint64_t got_cycles;      /* sampled order: got it, in cycles */
        uint64_t done_cycles;     /* sampled order: done with it, in cycles */
        uint64_t prep_cycles;     /* sampled order: began working on it, if the scenario says
                                   * (orders that overlap, shop-concurrent); 0: when the
                                   * barista's previous order was done */

        /* Cold: the harness's, before and after the run. */
        struct latency_histogram *wait_cycles; /* sampled waits, in cycles */
        struct latency_histogram *hold_cycles; /* sampled holds, in cycles */
        struct timeline_lane *lane; /* where every order's times go in a timeline, else NULL */
        uint64_t start_ns;        /* started taking orders, CLOCK_MONOTONIC ns */
        uint64_t end_ns;          /* stopped, CLOCK_MONOTONIC ns */
        uint64_t ctx_voluntary;   /* context switches while working: gave up the CPU (blocked) */
        uint64_t ctx_involuntary; /* ... had it taken away (preempted) */
        uint64_t cpu_ns;          /* CPU time used while working, user + system, ns (a scenario
                                   * that forks adds its children's) */
        uint64_t torn_reads;      /* menu reads that mixed two versions */
        /* Read by the watchdog while the barista works, hence relaxed atomics (no ordering). */
        _Atomic uint64_t heartbeat;           /* orders served, as last reported */
        _Atomic(const char *) holding;        /* what the barista holds ("the grinder"), or NULL */
        _Atomic(const char *) waiting_for;    /* what it is waiting for, or NULL */
        pthread_t thread;
} __attribute__((aligned(64)));

/* Set once by the harness when a timed run is over. Read relaxed: it carries no data, and a
 * relaxed load orders nothing between baristas (ThreadSanitizer sees no edge either). */
extern atomic_bool barista_stop;

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
 * the condition itself. */
#define barista_sampling(b) BARISTA_RARELY(((b)->orders_taken & (b)->sample_mask) == 0)

/* Takes the next order and prepares it (busy work away from the machine). False when the
 * barista's orders are done or the run's time is up. */
static inline bool barista_take_order(struct barista *b)
{
        if (BARISTA_RARELY(b->orders_taken == b->order_quota ||
                           atomic_load_explicit(&barista_stop, memory_order_relaxed)))
                return false;
        b->orders_taken++;
        busywork_spin(b->prep_iterations);
        if (barista_sampling(b))
                b->want_cycles = clock_cycles();
        return true;
}

/* The machine was busy when this barista wanted it: it has to wait. Out of line and marked
 * cold, so that the compiler lays the scenario's uncontended path out straight, without a hint
 * in the scenario's code; the call costs nothing a barista that is about to wait would notice. */
__attribute__((cold)) void barista_note_contended(struct barista *b);

/* The wait sample of an order the barista hands on rather than serves itself: recorded
 * without a hold time. */
void barista_record_wait(struct barista *b);

/* For scenarios that can deadlock: the watchdog sees progress, and what each barista holds and
 * waits for when there is none. Relaxed stores: they order nothing between baristas. */
static inline void barista_heartbeat(struct barista *b)
{
        atomic_store_explicit(&b->heartbeat, b->drinks_served, memory_order_relaxed);
}

static inline void barista_waits_for(struct barista *b, const char *what)
{
        atomic_store_explicit(&b->waiting_for, what, memory_order_relaxed);
}

static inline void barista_holds(struct barista *b, const char *what)
{
        atomic_store_explicit(&b->waiting_for, NULL, memory_order_relaxed);
        atomic_store_explicit(&b->holding, what, memory_order_relaxed);
}

/* Hands the drink over. */
static inline void barista_serve_drink(struct barista *b)
{
        b->drinks_served++;
        if (barista_sampling(b))
                barista_record_sample(b);
}

#endif
