/*
 * What a scenario file provides, and how it registers itself.
 *
 * A scenario is one file in scenarios/ ending with
 *
 *      SCENARIO(mutex_scenario,
 *               .name = "mutex", .family = FAMILY_LOCK, .expect = VERDICT_CLEAN,
 *               .summary = "...", .lesson = "...",
 *               .barista = mutex_barista);
 *
 * SCENARIO puts a pointer to the descriptor in the "espresso_scenarios" section; the linker
 * gathers every file's pointer there and scenario.c walks the section. No list to edit.
 */
#ifndef ESPRESSO_SCENARIO_H
#define ESPRESSO_SCENARIO_H

#include "barista.h"
#include "machine.h"
#include "variant.h"

#include <stdatomic.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What ThreadSanitizer should find in a scenario. */
enum verdict {
        VERDICT_CLEAN,    /* no report: the scenario is correct */
        VERDICT_RACE,     /* a data race */
        VERDICT_DEADLOCK, /* a lock-order inversion */
};

/* What a barista does while it holds the machine. */
enum shot_mode {
        SHOT_PULLED, /* pulls a shot: the machine's mark, --shot-ns of brewing, its counter */
        SHOT_NONE,   /* --shot none: nothing; the lock is taken and given back around no shared
                      * data, as other lock benchmarks measure it (the machine is not checked) */
};

struct run_config {
        uint32_t baristas; /* threads */
        uint64_t orders;   /* in total, split among the baristas; 0 in a timed run */
        double seconds;    /* length of a timed run; 0 when counted by orders */
        uint64_t shot_ns;  /* busy work per shot, at the machine */
        uint64_t prep_ns;  /* busy work per order, away from the machine */
        uint32_t updates_per_sec; /* menu scenarios: how often the manager changes the menu */
        bool pin;          /* pin barista i to CPU i mod the CPUs available */
        bool slow_motion;  /* racy scenarios hold their race window open (see machine.h) */
        bool cpu_work;     /* shop scenarios: drinks are CPU work (grading papers), not waiting */
        /* How long nobody may progress before the watchdog ends the run, in seconds; 0: the
         * default, RUN_DEFAULT_STALL_SECONDS (scaled: see run.h). */
        double stall_seconds;
        /* A counted run still going after this many seconds is cut short; 0: the default,
         * RUN_DEFAULT_MAX_SECONDS. A timed run ends at `seconds`. */
        double max_seconds;
        bool show_progress; /* a counted run shows its progress on stderr, if a terminal */
        /* --hold-waiter: barista 1 is held this many times while it waits, to see whether the
         * others overtake it (kit/waiter_hold.h); 0: never. */
        uint32_t hold_waiter;
        enum shot_mode shot_mode;
};

/* What kind of lesson a scenario is: groups scenarios in lists, sweeps and explanations. */
enum family {
        FAMILY_NONE,     /* no protection at all */
        FAMILY_ATOMIC,   /* atomics, not locks */
        FAMILY_LOCK,     /* a lock around the machine */
        FAMILY_QUEUE,    /* orders passed to one operator */
        FAMILY_MENU,     /* a read-mostly menu */
        FAMILY_SHOP,     /* one at a time, juggling, at once */
        FAMILY_DEADLOCK, /* two locks, and their order */
};
#define FAMILY_COUNT (FAMILY_DEADLOCK + 1)

/* "none", "atomic", "lock", "queue", "menu", "shop", "deadlock" */
const char *family_name(enum family f);
/* The family named, or -1. */
int family_named(const char *name);

#define SCENARIO_MAX_TWINS 4
#define SCENARIO_MAX_BARISTAS 1024u /* the most baristas a run may have (--baristas) */

struct scenario {
        const char *name;      /* on the command line: "mutex", "spin-ck-ticket" */
        enum family family;
        enum verdict expect;   /* what race-check must observe */
        const char *summary;   /* one line */
        const char *lesson;    /* a few sentences: what it shows, what to look for */
        bool tells_contention; /* calls barista_note_contended(), so "contended" means something */
        /* The other side of the lesson: a broken scenario's fix (one), a fix's broken scenarios
         * (the bug it prevents, and the bugs its annotations must not hide). */
        const char *twins[SCENARIO_MAX_TWINS];
        const char *source;    /* the scenario's file, filled in by SCENARIO */
        /* Its bug touches memory after it was freed (a broken twin of an RCU or reclaiming
         * scenario): natively it may read garbage, and under AddressSanitizer it aborts. */
        bool uses_freed_memory;
        /* Its critical section is exactly machine_pull_shot(): --shot none can leave it empty
         * (LOCK_SCENARIO sets it, and mutex.c, which spells the same loop out). */
        bool shot_is_the_critical_section;
        /* Hands the machine (or the queue) over in arrival order: first come, first served.
         * With more spinning baristas than cores, the next in line is often preempted and
         * everyone waits for it, so a counted run can take minutes (run warns before). */
        bool fair;
        /* Its waiters spin (a spinlock): with more baristas than cores they burn the time slices
         * of whoever would release the machine. */
        bool spinlock;
        /* Baristas the machine takes at once (two-group-heads: 2); 0 means one. More at once is
         * a collision. */
        uint32_t group_heads;
        /* Why the timeline cannot draw this scenario's orders, or NULL (see also
         * helper_serves_orders and without_machine). */
        const char *no_timeline;
        /* Why a controlled run (explore, replay) cannot step it, or NULL: it waits in code the
         * scheduler cannot see (time itself, other processes). */
        const char *no_schedule;
        /* The scenario is one worker whatever --baristas says (shop-sequential, -concurrent). */
        bool one_worker;
        /* A broken twin of an annotated scenario, with the same annotations: its bug must be
         * found with them on, the proof that they hide nothing real. */
        bool negative_control;
        /* Orders when neither --orders nor --seconds is given; 0: the lab's default. */
        uint64_t default_orders;

        /* Optional: prepares the scenario's own state before the baristas start; 0 or -errno. */
        int (*setup)(const struct run_config *config);
        /* One barista's whole shift: the barista_take_order() loop. */
        void (*barista)(struct barista *b);
        /* Optional: releases what setup() made, after every barista has finished. */
        void (*teardown)(void);

        /* Optional: one more thread beside the baristas, with a struct barista of its own (id
         * baristas + 1): the machine's operator who serves queued orders, the manager who
         * changes the menu. It starts with the baristas and returns once helper_should_stop()
         * says the baristas are done and its own work is finished. */
        void (*helper)(struct barista *helper);
        /* The helper serves the orders (helper_serve_order()): baristas only place them. */
        bool helper_serves_orders;
        /* The scenario does not use the espresso machine (the menu scenarios): shots, lost
         * updates and collisions do not apply. */
        bool without_machine;
};

#define SCENARIO(descriptor, ...)                                                           \
        static const struct scenario descriptor = { .source = __FILE__, __VA_ARGS__ };      \
        static const struct scenario *const descriptor##_registration                       \
                __attribute__((used, section("espresso_scenarios"))) = &descriptor

static inline bool helper_should_stop(void)
{
#ifdef ESPRESSO_CONTROLLED_BUILD
        /* In a controlled run the helper stops when the schedule has seen the last barista
         * finish: at the same step in every replay, not when the harness happens to look. */
        if (schedule_controls_me())
                return schedule_baristas_done();
#endif
        bool stop = atomic_load_explicit(&helper_stop, memory_order_acquire);
        /* For the tools that cannot see the acquire: only once it read the release (DRD takes a
         * happens-after before any happens-before for an error). */
        if (stop)
                variant_lab_acquire(&helper_stop);
        return stop;
}

/* An order on its way from a barista to the machine's operator. */
struct order {
        uint32_t barista;  /* id of the barista who placed it */
        uint64_t number;   /* that barista's order number: 1, 2, 3... */
};

/* The barista's next order, to hand to the operator. */
static inline struct order barista_write_order(const struct barista *b)
{
        return (struct order){ .barista = b->id, .number = b->orders_taken };
}

/* The barista has placed its order (it is in the queue). */
static inline void barista_order_placed(struct barista *b)
{
        barista_progress(b, b->orders_taken);
        if (barista_sampling(b)) {
                b->got_cycles = clock_cycles_after_acquire();
                barista_record_wait(b);
        }
}

/* Orders served per barista, kept by the operator alone (a cache line each, so that it shares
 * no line with anyone) and read by the harness after joining it. */
struct order_tally {
        uint64_t served;       /* orders of this barista served */
        uint64_t next_number;  /* the order number expected next */
        uint64_t out_of_order; /* orders that came with another number: skipped or repeated */
} __attribute__((aligned(64)));

/* The operator pulls the shot for order o and serves it: counted for the barista who placed it,
 * and checked to come exactly once and in that barista's order. Called by the helper only. */
void helper_serve_order(struct barista *helper, const struct order *o);

/* What a scenario's setup notes about its run, for the output; cleared before each setup. */
struct scenario_notes {
        uint64_t queue_capacity; /* orders its queue holds; 0 when no queue */
        uint64_t drink_ns;       /* a shop's drink, start to end (work and waiting); 0 if none */
};
extern struct scenario_notes scenario_notes;

/* A queue scenario's setup says how many orders its queue holds. */
void scenario_note_queue_capacity(uint64_t orders);

/* A shop scenario's setup says what one drink takes from start to end, so the output can say
 * what serving them one by one would cost, and the speedup. */
void scenario_note_drink_ns(uint64_t ns);

/* A scenario is correct when TSan should find nothing: its invariants must then hold. */
static inline bool scenario_claims_correct(const struct scenario *s)
{
        return s->expect == VERDICT_CLEAN;
}

const char *verdict_name(enum verdict v); /* "clean", "race", "deadlock" */

/* Last: in the Valgrind build, the code that follows (the scenario's) has its C11 atomics told
 * to Helgrind and DRD; in the controlled build, its atomics and synchronization calls are
 * scheduling points. The kit's own inline code above keeps the plain ones. */
#include "variant_controlled.h"
#include "variant_atomics.h"

#endif
