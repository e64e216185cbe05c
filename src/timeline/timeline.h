/*
 * Timelines: every order of a short run, as one swimlane per barista. A barista is away from the
 * machine (preparing), then waits for it, then pulls its shot:
 *
 *      prep_ns ........ want_ns ~~~~~~~~ got_ns ######## done_ns
 *
 * Each barista writes its own lane while it works (the out-of-line sample recorder appends to
 * it), so recording orders nothing between baristas; the lanes are read after the join.
 */
#ifndef ESPRESSO_TIMELINE_H
#define ESPRESSO_TIMELINE_H

#include "kit/scenario.h"
#include "measure/lane.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One order on the timeline, in ns from the moment the first barista started. */
struct timeline_order {
        double prep_ns; /* began preparing: the previous order's done_ns, or the lane's start,
                         * unless the scenario said (its orders overlap: shop-concurrent) */
        double want_ns;
        double got_ns;
        double done_ns;
};


/* A time span during which more baristas were at the machine than it takes. */
struct timeline_span {
        double from_ns, to_ns;
};

struct timeline {
        const struct scenario *scenario;
        struct run_config config;
        uint32_t lane_count;
        struct timeline_lane *lanes;
        uint32_t machine_takes;        /* baristas the machine takes at once (group heads) */
        /* From timeline_finish(): */
        double span_ns;                /* the first start to the last done */
        double drawn_span_ns;          /* what a drawing covers: span_ns, unless set larger to
                                        * draw several timelines to one scale */
        uint32_t most_at_machine;      /* the most baristas at the machine at any moment */
        uint64_t overlapping_shots;    /* shots during which more were there than it takes */
        uint64_t waited_for_another;   /* orders that waited while another barista was at the
                                        * machine: the baristas really ran at once */
        uint64_t overtaken;            /* orders that got the machine after an order that wanted
                                        * it later (0 for a first come, first served lock) */
        struct timeline_span *collisions; /* when more were there than it takes, in time order */
        size_t collision_count;
};

/* Why a timeline cannot draw scenario s's orders, or NULL when it can. */
const char *timeline_unavailable(const struct scenario *s);

/* Runs scenario s as config says (a counted run), timing every order into *t's lanes, and
 * analyses them. 0 or -errno, as run_scenario(); after a stalled run (r->measured false) the
 * lanes are not analysed. Release *t with timeline_release() in every case. */
struct run_result;
int timeline_run(const struct scenario *s, const struct run_config *config, struct run_result *r,
                 struct timeline *t);

/* Lanes for config->baristas baristas, room for each one's quota. False when out of memory. */
bool timeline_prepare(struct timeline *t, const struct scenario *s, const struct run_config *config);

/* Converts the lanes' cycles to ns from the first start and finds where the machine held more
 * baristas than it takes. */
void timeline_finish(struct timeline *t, double cycles_per_ns);

/* The same analysis on lanes whose orders are already in ns (for tests): fills span_ns,
 * most_at_machine, overlapping_shots, waited_for_another, overtaken and collisions. */
void timeline_analyze(struct timeline *t);

void timeline_release(struct timeline *t);

/* Orders on the lanes, and orders left off them (their times interleaved with another's). */
uint64_t timeline_orders(const struct timeline *t);
uint64_t timeline_unrecorded(const struct timeline *t);

/* The time a drawing covers: drawn_span_ns if set, else span_ns. */
double timeline_drawn_span(const struct timeline *t);

/* Calls visit() for each stretch of time the lane's barista was at the machine while more were
 * there than it takes, with the index of the order. */
void timeline_visit_crowded(const struct timeline *t, const struct timeline_lane *lane,
                            void (*visit)(void *context, uint64_t order, double from, double to),
                            void *context);

/* Drawing (timeline_draw.c), with the run's own counts (lost shots) beside the lanes. */
struct run_result;

/* In the terminal: indent, then a label of TIMELINE_LABEL_WIDTH, then the lane, all within
 * columns; colour adds ANSI escapes. */
#define TIMELINE_LABEL_WIDTH 11 /* "barista 12 " */
#define TIMELINE_MAX_WIDTH 400
struct timeline_layout {
        unsigned indent;
        unsigned columns; /* at most TIMELINE_MAX_WIDTH, more than indent + the label */
        bool colour;
};

/* The whole drawing: a heading, the axis, a lane per barista, the legend, what it shows. */
void timeline_draw_text(FILE *out, const struct timeline *t, const struct run_result *r,
                        const struct timeline_layout *layout);
/* Its pieces, to lay several timelines out to one scale (see drawn_span_ns). */
void timeline_draw_axis(FILE *out, const struct timeline *t, const struct timeline_layout *layout);
void timeline_draw_lane(FILE *out, const struct timeline *t, const struct timeline_lane *lane,
                        const char *label, const struct timeline_layout *layout);
void timeline_draw_legend(FILE *out, const struct timeline *t, const struct timeline_layout *layout);
void timeline_draw_svg(FILE *out, const struct timeline *t, const struct run_result *r);
/* As data (timeline_export.c): one row or object per order, times in ns from the first start. */
void timeline_write_csv(FILE *out, const struct timeline *t);
void timeline_write_json(FILE *out, const struct timeline *t, const struct run_result *r);

/* One lane's row of characters for the terminal, without colour, for tests: '-' preparing,
 * '~' waiting, '#' at the machine, 'X' at the machine while more than it takes are there,
 * ' ' not working. row has room for columns + 1. */
void timeline_lane_row(const struct timeline *t, const struct timeline_lane *lane, unsigned columns,
                       char *row);

#endif
