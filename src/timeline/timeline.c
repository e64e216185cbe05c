/* Timelines: recording each barista's orders, and finding when the machine was overcrowded. */
#include "timeline.h"

#include "harness/run.h"
#include "kit/die.h"

#include <errno.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *timeline_unavailable(const struct scenario *s)
{
        if (s->helper_serves_orders)
                return "its baristas hand their orders to an operator and never stand at the "
                       "machine themselves";
        if (s->without_machine)
                return "its baristas read a menu and never use the machine";
        return s->no_timeline;
}

int timeline_run(const struct scenario *s, const struct run_config *config, struct run_result *r,
                 struct timeline *t)
{
        struct run_config counted = *config;
        counted.baristas = run_baristas(s, config);
        if (!timeline_prepare(t, s, &counted))
                return -ENOMEM;
        int rc = run_scenario_recorded(s, config, r, t->lanes);
        if (rc == 0 && r->measured)
                timeline_finish(t, clock_cycles_per_ns());
        return rc;
}

bool timeline_prepare(struct timeline *t, const struct scenario *s, const struct run_config *config)
{
        memset(t, 0, sizeof(*t));
        t->scenario = s;
        t->config = *config;
        t->machine_takes = s->group_heads ? s->group_heads : 1;
        t->lanes = calloc(config->baristas, sizeof(*t->lanes));
        if (!t->lanes)
                return false;
        t->lane_count = config->baristas;
        for (uint32_t i = 0; i < config->baristas; i++) {
                struct timeline_lane *lane = &t->lanes[i];
                /* The harness splits the orders up front, the remainder to the first baristas. */
                lane->barista = i + 1;
                lane->capacity = config->orders / config->baristas + 1;
                lane->recorded = calloc(lane->capacity, sizeof(*lane->recorded));
                if (!lane->recorded)
                        return false;
        }
        return true;
}

struct machine_event {
        double at_ns;
        int change; /* +1 a barista steps up, -1 steps down */
};

static int by_time_then_leaving_first(const void *a, const void *b)
{
        const struct machine_event *x = a, *y = b;

        if (x->at_ns != y->at_ns)
                return x->at_ns < y->at_ns ? -1 : 1;
        /* A shot that ends when the next begins is a handover, not an overlap. */
        return x->change - y->change;
}

/* Calls visit() for each stretch of time the lane was at the machine while it was crowded. Both
 * the lane's shots and the collision spans are in time order and disjoint: one merging pass. */
void timeline_visit_crowded(const struct timeline *t, const struct timeline_lane *lane,
                            void (*visit)(void *context, uint64_t order, double from, double to),
                            void *context)
{
        size_t span = 0;

        for (uint64_t k = 0; k < lane->count && span < t->collision_count; ) {
                const struct timeline_order *o = &lane->orders[k];
                const struct timeline_span *c = &t->collisions[span];
                double from = o->got_ns > c->from_ns ? o->got_ns : c->from_ns;
                double to = o->done_ns < c->to_ns ? o->done_ns : c->to_ns;
                if (from < to)
                        visit(context, k, from, to);
                if (o->done_ns < c->to_ns)
                        k++;
                else
                        span++;
        }
}

/* Counts each crowded shot once, however many crowded stretches it has. */
struct shot_count {
        uint64_t shots;
        uint64_t last_order; /* the last one counted, plus one; 0 for none */
};

static void count_shot(void *context, uint64_t order, double from, double to)
{
        struct shot_count *count = context;

        (void)from;
        (void)to;
        if (count->last_order != order + 1) {
                count->last_order = order + 1;
                count->shots++;
        }
}

/* Whether one of the lane's shots overlaps [from, to). A lane's shots come one after another,
 * so their ends rise: a binary search finds the first that ends after from. */
static bool lane_at_machine_during(const struct timeline_lane *lane, double from, double to)
{
        uint64_t low = 0, high = lane->count;

        while (low < high) {
                uint64_t middle = low + (high - low) / 2;
                if (lane->orders[middle].done_ns > from)
                        high = middle;
                else
                        low = middle + 1;
        }
        return low < lane->count && lane->orders[low].got_ns < to;
}

/* Whether some barista other than lane `self`'s was at the machine during [from, to). */
static bool another_at_machine_during(const struct timeline *t, uint32_t self, double from, double to)
{
        for (uint32_t j = 0; j < t->lane_count; j++)
                if (j != self && lane_at_machine_during(&t->lanes[j], from, to))
                        return true;
        return false;
}

static uint64_t count_waits_for_another(const struct timeline *t)
{
        uint64_t waited = 0;

        for (uint32_t i = 0; i < t->lane_count; i++)
                for (uint64_t k = 0; k < t->lanes[i].count; k++) {
                        const struct timeline_order *o = &t->lanes[i].orders[k];
                        waited += o->got_ns > o->want_ns &&
                                  another_at_machine_during(t, i, o->want_ns, o->got_ns);
                }
        return waited;
}

/* Orders that reached the machine after an order that wanted it later: overtaken. A first come,
 * first served lock overtakes none (bar the few nanoseconds between reading the clock and joining
 * the queue); a test-and-set lock lets whoever happens to try at the right moment win. Sorted by
 * when they wanted it, an order is overtaken when a later-wanting one got the machine first. */
struct want_got {
        double want_ns, got_ns;
};

static int by_want(const void *a, const void *b)
{
        const struct want_got *x = a, *y = b;
        return (x->want_ns > y->want_ns) - (x->want_ns < y->want_ns);
}

static uint64_t count_overtaken(const struct timeline *t)
{
        size_t n = 0, total = timeline_orders(t);
        struct want_got *orders = calloc(total + 1, sizeof(*orders));
        uint64_t overtaken = 0;

        if (!orders)
                lab_die("out of memory analyzing a timeline of %zu orders", total);
        for (uint32_t i = 0; i < t->lane_count; i++)
                for (uint64_t k = 0; k < t->lanes[i].count; k++)
                        orders[n++] = (struct want_got){ t->lanes[i].orders[k].want_ns,
                                                         t->lanes[i].orders[k].got_ns };
        qsort(orders, n, sizeof(*orders), by_want);
        double earliest_got_after = INFINITY;
        for (size_t k = n; k-- > 0;) {
                overtaken += earliest_got_after < orders[k].got_ns;
                if (orders[k].got_ns < earliest_got_after)
                        earliest_got_after = orders[k].got_ns;
        }
        free(orders);
        return overtaken;
}

void timeline_analyze(struct timeline *t)
{
        size_t shots = timeline_orders(t), n = 0, spans = 0;
        int at_machine = 0;
        struct machine_event *events = calloc(2 * shots + 1, sizeof(*events));
        free(t->collisions);
        t->collisions = calloc(shots + 1, sizeof(*t->collisions));
        if (!events || !t->collisions)
                lab_die("out of memory analyzing a timeline of %zu orders", shots);
        t->span_ns = 0;
        for (uint32_t i = 0; i < t->lane_count; i++) {
                const struct timeline_lane *lane = &t->lanes[i];
                for (uint64_t k = 0; k < lane->count; k++) {
                        const struct timeline_order *o = &lane->orders[k];
                        events[n++] = (struct machine_event){ o->got_ns, +1 };
                        events[n++] = (struct machine_event){ o->done_ns, -1 };
                        if (o->done_ns > t->span_ns)
                                t->span_ns = o->done_ns;
                }
        }
        qsort(events, n, sizeof(*events), by_time_then_leaving_first);
        t->most_at_machine = 0;
        for (size_t k = 0; k < n; k++) {
                at_machine += events[k].change;
                if (at_machine > (int)t->most_at_machine)
                        t->most_at_machine = (uint32_t)at_machine;
                bool crowded = at_machine > (int)t->machine_takes;
                bool was_crowded = spans > 0 && t->collisions[spans - 1].to_ns < 0;
                if (crowded && !was_crowded)
                        t->collisions[spans++] = (struct timeline_span){ events[k].at_ns, -1 };
                else if (!crowded && was_crowded)
                        t->collisions[spans - 1].to_ns = events[k].at_ns;
        }
        t->collision_count = spans;
        t->waited_for_another = count_waits_for_another(t);
        t->overtaken = count_overtaken(t);
        t->overlapping_shots = 0;
        for (uint32_t i = 0; i < t->lane_count; i++) {
                struct shot_count count = { 0 };
                timeline_visit_crowded(t, &t->lanes[i], count_shot, &count);
                t->overlapping_shots += count.shots;
        }
        free(events);
}

void timeline_finish(struct timeline *t, double cycles_per_ns)
{
        uint64_t origin = UINT64_MAX;

        for (uint32_t i = 0; i < t->lane_count; i++)
                if (t->lanes[i].start_cycles < origin)
                        origin = t->lanes[i].start_cycles;
        for (uint32_t i = 0; i < t->lane_count; i++) {
                struct timeline_lane *lane = &t->lanes[i];
                double previous_done = (double)(lane->start_cycles - origin) / cycles_per_ns;
                free(lane->orders);
                lane->orders = calloc(lane->count + 1, sizeof(*lane->orders));
                if (!lane->orders)
                        lab_die("out of memory for a timeline");
                for (uint64_t k = 0; k < lane->count; k++) {
                        const struct order_cycles *c = &lane->recorded[k];
                        struct timeline_order *o = &lane->orders[k];
                        o->prep_ns = c->prep ? (double)(c->prep - origin) / cycles_per_ns
                                             : previous_done;
                        o->want_ns = (double)(c->want - origin) / cycles_per_ns;
                        o->got_ns = (double)(c->got - origin) / cycles_per_ns;
                        o->done_ns = (double)(c->done - origin) / cycles_per_ns;
                        previous_done = o->done_ns;
                }
        }
        timeline_analyze(t);
}

uint64_t timeline_orders(const struct timeline *t)
{
        uint64_t n = 0;
        for (uint32_t i = 0; i < t->lane_count; i++)
                n += t->lanes[i].count;
        return n;
}

uint64_t timeline_unrecorded(const struct timeline *t)
{
        uint64_t n = 0;
        for (uint32_t i = 0; i < t->lane_count; i++)
                n += t->lanes[i].unrecorded;
        return n;
}

double timeline_drawn_span(const struct timeline *t)
{
        double span = t->drawn_span_ns > t->span_ns ? t->drawn_span_ns : t->span_ns;
        return span > 0 ? span : 1;
}

void timeline_release(struct timeline *t)
{
        for (uint32_t i = 0; i < t->lane_count; i++) {
                free(t->lanes[i].recorded);
                free(t->lanes[i].orders);
        }
        free(t->lanes);
        free(t->collisions);
        memset(t, 0, sizeof(*t));
}

/* ---- one lane as characters ---------------------------------------------------------------- */

enum lane_state { AWAY, PREPARING, WAITING, AT_MACHINE, STATES };

/* Adds the part of [from, to) that falls in each column to that column's time in state. */
static void spread(double (*time)[STATES + 1], unsigned columns, double ns_per_column,
                   unsigned state, double from, double to)
{
        if (to <= from)
                return;
        unsigned first = (unsigned)(from / ns_per_column), last = (unsigned)(to / ns_per_column);
        for (unsigned c = first; c <= last && c < columns; c++) {
                double left = c * ns_per_column, right = left + ns_per_column;
                double overlap = (to < right ? to : right) - (from > left ? from : left);
                if (overlap > 0)
                        time[c][state] += overlap;
        }
}

/* Where a lane's crowded stretches land in the row's columns. */
struct crowded_columns {
        double (*time)[STATES + 1];
        unsigned columns;
        double ns_per_column;
};

static void spread_crowded(void *context, uint64_t order, double from, double to)
{
        struct crowded_columns *c = context;

        (void)order;
        spread(c->time, c->columns, c->ns_per_column, STATES, from, to);
}

void timeline_lane_row(const struct timeline *t, const struct timeline_lane *lane, unsigned columns,
                       char *row)
{
        static const char glyph[STATES] = { ' ', '-', '~', '#' };
        /* Time per column in each state, and (last) at the machine while it was crowded. */
        double (*time)[STATES + 1] = calloc(columns, sizeof(*time));
        double ns_per_column = timeline_drawn_span(t) / columns;

        if (!time)
                lab_die("out of memory drawing a timeline");
        for (uint64_t k = 0; k < lane->count; k++) {
                const struct timeline_order *o = &lane->orders[k];
                spread(time, columns, ns_per_column, PREPARING, o->prep_ns, o->want_ns);
                spread(time, columns, ns_per_column, WAITING, o->want_ns, o->got_ns);
                spread(time, columns, ns_per_column, AT_MACHINE, o->got_ns, o->done_ns);
        }
        struct crowded_columns crowded = { time, columns, ns_per_column };
        timeline_visit_crowded(t, lane, spread_crowded, &crowded);
        for (unsigned c = 0; c < columns; c++) {
                double *in = time[c];
                enum lane_state shown = AWAY;
                /* A barista who juggles orders (shop-concurrent) can be preparing one while
                 * others wait: no state counts for more than the whole column. */
                for (enum lane_state s = PREPARING; s < STATES; s++)
                        in[s] = in[s] < ns_per_column ? in[s] : ns_per_column;
                /* At the machine only when there for more than half the column: then two baristas
                 * who hand the machine over within one column never both show '#'. Then working,
                 * likewise; otherwise whichever of preparing, waiting or not working took the
                 * most of it. */
                double away = ns_per_column - in[PREPARING] - in[WAITING] - in[AT_MACHINE];
                in[AWAY] = away > 0 ? away : 0;
                if (in[AT_MACHINE] > ns_per_column / 2) {
                        shown = AT_MACHINE;
                } else if (in[PREPARING] > ns_per_column / 2) {
                        shown = PREPARING;
                } else {
                        for (enum lane_state s = PREPARING; s < AT_MACHINE; s++)
                                if (in[s] > in[shown])
                                        shown = s;
                }
                /* A collision always shows, however short: it is what the picture is for. */
                row[c] = in[STATES] > 0 ? 'X' : glyph[shown];
        }
        row[columns] = '\0';
        free(time);
}
