/*
 * A lane: every order of one barista, as its cycle counter saw it, for a timeline. The barista
 * writes its own lane while it works, so recording orders nothing between baristas; the timeline
 * (src/timeline) reads the lanes after the join, turns cycles into ns and draws them.
 */
#ifndef ESPRESSO_LANE_H
#define ESPRESSO_LANE_H

#include <stdint.h>

/* One order as the barista's cycle counter saw it. */
struct order_cycles {
        uint64_t prep; /* began preparing, or 0: when the barista's previous order was done */
        uint64_t want; /* wanted the machine (prepared) */
        uint64_t got;  /* got it */
        uint64_t done; /* done with it */
};

struct timeline_order;

struct timeline_lane {
        uint32_t barista;              /* id, 1.. */
        /* Filled by the barista during the run. */
        uint64_t start_cycles;         /* when it started taking orders */
        struct order_cycles *recorded; /* one per order, up to capacity */
        uint64_t capacity;
        uint64_t count;
        uint64_t unrecorded;           /* orders whose times interleave with another order's */
        /* Filled after the run by the timeline (timeline_finish()). */
        struct timeline_order *orders; /* count of them */
};

/* A barista appends one order to its own lane (no other thread touches the lane meanwhile). */
static inline void lane_record(struct timeline_lane *lane, const struct order_cycles *order)
{
        if (lane->count < lane->capacity)
                lane->recorded[lane->count++] = *order;
}

#endif
