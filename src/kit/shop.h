/*
 * The coffee shop's drinks, for the lecture's first scenes: doing things one at a time
 * (shop-sequential), juggling them on one worker (shop-concurrent), doing them at once
 * (shop-parallel).
 *
 * A drink is some working (grinding, steaming: the barista's CPU) and some waiting (the machine
 * brewing: time passes, no CPU is used). --work waiting makes drinks mostly waiting, like most
 * I/O; --work cpu makes them all work, like a teacher grading papers.
 */
#ifndef ESPRESSO_SHOP_H
#define ESPRESSO_SHOP_H

#include "scenario.h"

#include <time.h>

#define SHOP_DEFAULT_ORDERS 24
/* Why explore and replay refuse a shop: its lesson is time, which a controlled run has none of. */
#define SHOP_NO_SCHEDULE "a shop's lesson is time (waiting, juggling, cores used), and a " \
                         "controlled run has none: it runs one barista at a time, step by step"
#define SHOP_DRINK_NS (2 * 1000 * 1000) /* 2 ms a drink */
#define SHOP_LIGHT_WORK_NS (100 * 1000) /* the little work a waiting drink needs */

struct shop_drink {
        uint64_t work_ns;  /* the barista's CPU */
        uint64_t brew_ns;  /* waiting for the machine */
        uint64_t work_iterations;
};

static inline struct shop_drink shop_drink(const struct run_config *config)
{
        struct shop_drink d = config->cpu_work
                ? (struct shop_drink){ .work_ns = SHOP_DRINK_NS, .brew_ns = 0 }
                : (struct shop_drink){ .work_ns = SHOP_LIGHT_WORK_NS,
                                       .brew_ns = SHOP_DRINK_NS - SHOP_LIGHT_WORK_NS };
        d.work_iterations = busywork_iterations_for_ns(d.work_ns);
        return d;
}

/* The barista's work on the drink is done and the machine starts brewing it: from here on the
 * barista waits for the machine (brewing, then its turn at it). */
static inline void shop_drink_brewing(struct barista *b)
{
        if (barista_sampling(b))
                b->want_cycles = clock_cycles();
}

/* Waits while the machine brews: the thread sleeps, the CPU is free for others. */
static inline void shop_wait_for_brew(const struct shop_drink *d)
{
        struct timespec brew = { (time_t)(d->brew_ns / 1000000000u), (long)(d->brew_ns % 1000000000u) };
        if (d->brew_ns)
                while (nanosleep(&brew, &brew) != 0)
                        ;
}

#endif
