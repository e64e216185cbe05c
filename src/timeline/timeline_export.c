/* Timelines as data: every order's times as CSV or JSON, for a spreadsheet or a script. */
#include "timeline.h"

#include "kit/die.h"
#include "harness/run.h"

#include <jansson.h>
#include <math.h>

void timeline_write_csv(FILE *out, const struct timeline *t)
{
        fputs("barista,order,prep_ns,want_ns,got_ns,done_ns\n", out);
        for (uint32_t i = 0; i < t->lane_count; i++)
                for (uint64_t k = 0; k < t->lanes[i].count; k++) {
                        const struct timeline_order *o = &t->lanes[i].orders[k];
                        fprintf(out, "%u,%llu,%.1f,%.1f,%.1f,%.1f\n", t->lanes[i].barista,
                                (unsigned long long)k + 1, o->prep_ns, o->want_ns, o->got_ns,
                                o->done_ns);
                }
}

/* ns to a tenth: finer than the cycle counter's resolution is noise. */
static json_t *json_ns(double ns)
{
        return json_real(round(ns * 10) / 10);
}

void timeline_write_json(FILE *out, const struct timeline *t, const struct run_result *r)
{
        json_t *doc = json_object(), *lanes = json_array(), *crowded = json_array();

        json_object_set_new(doc, "schema", json_string("espresso-lab/timeline/1"));
        json_object_set_new(doc, "scenario", json_string(t->scenario->name));
        json_object_set_new(doc, "baristas", json_integer(t->lane_count));
        json_object_set_new(doc, "orders", json_integer((json_int_t)t->config.orders));
        json_object_set_new(doc, "prep_ns", json_integer((json_int_t)t->config.prep_ns));
        json_object_set_new(doc, "shot_ns", json_integer((json_int_t)t->config.shot_ns));
        json_object_set_new(doc, "slow_motion", json_boolean(t->config.slow_motion));
        json_object_set_new(doc, "machine_takes", json_integer(t->machine_takes));
        json_object_set_new(doc, "span_ns", json_ns(t->span_ns));
        json_object_set_new(doc, "most_at_machine", json_integer(t->most_at_machine));
        json_object_set_new(doc, "overlapping_shots", json_integer((json_int_t)t->overlapping_shots));
        json_object_set_new(doc, "waited_for_another", json_integer((json_int_t)t->waited_for_another));
        json_object_set_new(doc, "overtaken", json_integer((json_int_t)t->overtaken));
        json_object_set_new(doc, "unrecorded", json_integer((json_int_t)timeline_unrecorded(t)));
        json_object_set_new(doc, "collisions", json_integer((json_int_t)r->collisions));
        json_object_set_new(doc, "lost_updates", json_integer(r->lost_updates));
        if (t->config.hold_waiter) {
                json_t *held = json_object();
                json_object_set_new(held, "holds", json_integer((json_int_t)r->held.holds));
                json_object_set_new(held, "overtaken", json_integer((json_int_t)r->held.overtaken));
                json_object_set_new(held, "queued", json_integer((json_int_t)r->held.queued));
                json_object_set_new(held, "undecided", json_integer((json_int_t)r->held.undecided));
                json_object_set_new(doc, "held_waiter", held);
        }
        for (size_t i = 0; i < t->collision_count; i++) {
                json_t *span = json_object();
                json_object_set_new(span, "from_ns", json_ns(t->collisions[i].from_ns));
                json_object_set_new(span, "to_ns", json_ns(t->collisions[i].to_ns));
                json_array_append_new(crowded, span);
        }
        json_object_set_new(doc, "crowded", crowded);
        for (uint32_t i = 0; i < t->lane_count; i++) {
                json_t *lane = json_object(), *orders = json_array();
                json_object_set_new(lane, "barista", json_integer(t->lanes[i].barista));
                for (uint64_t k = 0; k < t->lanes[i].count; k++) {
                        const struct timeline_order *o = &t->lanes[i].orders[k];
                        json_t *order = json_object();
                        json_object_set_new(order, "prep_ns", json_ns(o->prep_ns));
                        json_object_set_new(order, "want_ns", json_ns(o->want_ns));
                        json_object_set_new(order, "got_ns", json_ns(o->got_ns));
                        json_object_set_new(order, "done_ns", json_ns(o->done_ns));
                        json_array_append_new(orders, order);
                }
                json_object_set_new(lane, "orders", orders);
                json_array_append_new(lanes, lane);
        }
        json_object_set_new(doc, "lanes", lanes);
        /* 12 digits: a tenth of a ns over a run of hours, and no binary-fraction noise. A stream
         * that failed (a full disk, a closed pipe) is main()'s to report, in the one line every
         * command gives; any other failure is a bug. */
        if (json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) != 0 &&
            !ferror(out))
                lab_die("could not write the timeline as JSON");
        fputc('\n', out);
        json_decref(doc);
}
