/*
 * Holding a waiting barista still (--hold-waiter): does anyone overtake it?
 *
 * First come, first served cannot be told from a lock's normal runs: whether a test-and-set lock
 * hands the machine straight back to the barista who released it depends on the hardware (one
 * machine overtook 2000 orders in 20000, another 14). So the lab makes the moment happen. Once
 * barista 1 has spent WAITER_HOLD_WAITED_NS of CPU time waiting for the machine (long past taking
 * its place in any queue), a CPU-time timer stops it, in a signal handler, while the others go on.
 * The hold ends when another barista has got the machine twice since (once may be its turn ahead
 * of barista 1; the second time it took an order after barista 1 and got the machine before it:
 * barista 1 was overtaken), or when every other barista has spent WAITER_HOLD_QUEUED_NS of CPU
 * time without that (they queue behind it: first come, first served). Either outcome is forced
 * by the lock, not by the scheduler: a held barista cannot race for anything. So that barista 1
 * waits that long on every schedule, not only when the two happen to run at once, another
 * barista who gets the machine while holds remain stays there until barista 1 is held.
 *
 * The harness makes one hold per run (waiter_hold_start) and gives every barista a pointer to it
 * (struct barista's hold); the kit's hooks (barista.h, machine.h) do the rest.
 */
#ifndef ESPRESSO_WAITER_HOLD_H
#define ESPRESSO_WAITER_HOLD_H

#include "barista.h"

#define WAITER_HOLD_WAITED_NS 20000ull    /* barista 1's CPU time waiting before it is held */
#define WAITER_HOLD_QUEUED_NS 2000000ull  /* the others' CPU time that says they queue behind */
#define WAITER_HOLD_GIVE_UP_NS 250000000ull /* a hold that decides nothing by then is undecided */
#define WAITER_HOLD_DEFAULT_HOLDS 20u

/* What the holds of one run found. */
struct waiter_hold_tally {
        uint64_t holds;     /* times barista 1 was held while it waited */
        uint64_t overtaken; /* ... and another barista got the machine on a later order */
        uint64_t queued;    /* ... and the others waited behind it */
        uint64_t undecided; /* ... and nothing was decided (the others were done, or got no CPU) */
};

/* Sets up the holds for this run's crew (at most `holds` of them): a signal handler and a
 * pointer in every barista. One run at a time per process. Returns 0 or a negative errno. */
int waiter_hold_start(struct crew *crew, uint32_t holds);
/* After the baristas are joined: what the holds found; releases them. */
void waiter_hold_finish(struct crew *crew, struct waiter_hold_tally *tally);

#endif
