/* Reading a saved compare result back: to report it again (--from), and to compare a new one
 * with it (--baseline). */
#include "compare.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double number_or_nan(json_t *v)
{
        return json_is_number(v) ? json_number_value(v) : NAN;
}

static struct spread spread_from_json(json_t *o)
{
        return (struct spread){ number_or_nan(json_object_get(o, "median")),
                                number_or_nan(json_object_get(o, "min")),
                                number_or_nan(json_object_get(o, "max")) };
}

/* Fills an axis from a JSON array of whole numbers; false if it does not fit. */
static bool axis_from_json(json_t *a, uint64_t *values, size_t *count)
{
        size_t i;
        json_t *v;
        *count = 0;
        json_array_foreach(a, i, v) {
                if (*count == COMPARE_MAX_AXIS || !json_is_integer(v))
                        return false;
                values[(*count)++] = (uint64_t)json_integer_value(v);
        }
        return *count > 0;
}

double compare_round_trip_ns(double before, double after)
{
        if (isnan(before) || isnan(after))
                return isnan(before) ? after : before;
        return (before + after) / 2;
}

double compare_saved_round_trip_ns(json_t *machine)
{
        json_t *trip = json_object_get(machine, "core_round_trip_ns");

        return compare_round_trip_ns(number_or_nan(json_object_get(trip, "before")),
                                     number_or_nan(json_object_get(trip, "after")));
}

int compare_load_json(struct compare_result *r, const char *path, char *err, size_t err_size)
{
        json_error_t error;
        json_t *doc = json_load_file(path, 0, &error);
        json_t *schema = doc ? json_object_get(doc, "schema") : NULL;
        json_t *params = doc ? json_object_get(doc, "parameters") : NULL;
        json_t *cells = doc ? json_object_get(doc, "cells") : NULL;
        json_t *facts = doc ? json_object_get(doc, "scenarios") : NULL;
        struct compare_options *o = &r->options;
        size_t i;
        json_t *v;

        if (!json_is_string(schema) || strcmp(json_string_value(schema), COMPARE_SCHEMA) ||
            !json_is_object(params) || !json_is_array(cells) || !json_is_array(facts))
                goto bad;
        o->scenario_count = 0;
        json_array_foreach(facts, i, v) {
                const struct scenario *s = scenario_find(json_string_value(json_object_get(v, "name")) ?: "");
                const char *observed = json_string_value(json_object_get(v, "tsan_observed"));
                if (!s || o->scenario_count == COMPARE_MAX_SCENARIOS)
                        goto bad;
                struct compare_scenario_facts *f = &r->facts[o->scenario_count];
                o->scenarios[o->scenario_count++] = s;
                *f = (struct compare_scenario_facts){ .scenario = s, .tsan_slowdown =
                        number_or_nan(json_object_get(v, "tsan_slowdown")) };
                for (enum verdict k = VERDICT_CLEAN; observed && k <= VERDICT_DEADLOCK; k++)
                        if (strcmp(observed, verdict_name(k)) == 0)
                                f->tsan_checked = true, f->tsan_observed = k;
        }
        if (!axis_from_json(json_object_get(params, "baristas"), o->baristas, &o->baristas_count) ||
            !axis_from_json(json_object_get(params, "shot_ns"), o->shot_ns, &o->shot_ns_count) ||
            !axis_from_json(json_object_get(params, "prep_ns"), o->prep_ns, &o->prep_ns_count))
                goto bad;
        o->repeat = (uint32_t)json_integer_value(json_object_get(params, "repeat"));
        o->seconds = number_or_nan(json_object_get(params, "seconds"));
        r->cells = calloc(json_array_size(cells) + 1, sizeof(*r->cells));
        if (!r->cells)
                goto bad;
        json_array_foreach(cells, i, v) {
                struct compare_cell *c = &r->cells[r->cell_count];
                c->scenario = scenario_find(json_string_value(json_object_get(v, "scenario")) ?: "");
                if (!c->scenario)
                        goto bad;
                c->baristas = (uint32_t)json_integer_value(json_object_get(v, "baristas"));
                c->shot_ns = (uint64_t)json_integer_value(json_object_get(v, "shot_ns"));
                c->prep_ns = (uint64_t)json_integer_value(json_object_get(v, "prep_ns"));
                c->runs = (uint32_t)json_integer_value(json_object_get(v, "runs"));
                c->ns_per_drink = spread_from_json(json_object_get(v, "ns_per_drink"));
                c->drinks_per_sec = spread_from_json(json_object_get(v, "drinks_per_sec"));
                c->wait_p50_ns = number_or_nan(json_object_get(v, "wait_ns_p50"));
                c->wait_p99_ns = number_or_nan(json_object_get(v, "wait_ns_p99"));
                c->fairness = number_or_nan(json_object_get(v, "fairness"));
                c->ctx_switches_per_drink = number_or_nan(json_object_get(v, "ctx_switches_per_drink"));
                c->contended = number_or_nan(json_object_get(v, "contended"));
                c->lost_updates = json_integer_value(json_object_get(v, "lost_updates"));
                c->collisions = (uint64_t)json_integer_value(json_object_get(v, "collisions"));
                c->invariants_held = json_is_true(json_object_get(v, "invariants_held"));
                r->cell_count++;
        }
        json_t *machine = json_object_get(doc, "machine");
        if (json_is_object(machine)) {
                json_t *trip = json_object_get(machine, "core_round_trip_ns");
                r->saved_machine = json_incref(machine);
                r->round_trip_ns[0] = number_or_nan(json_object_get(trip, "before"));
                r->round_trip_ns[1] = number_or_nan(json_object_get(trip, "after"));
        }
        json_decref(doc);
        return 0;
bad:
        snprintf(err, err_size, "--from: %s is not a saved compare result of this lab (%s)", path,
                 doc ? "unexpected content" : error.text);
        json_decref(doc);
        return -1;
}

int compare_apply_baseline(struct compare_result *r, const char *path, char *err, size_t err_size)
{
        json_error_t error;
        json_t *doc = json_load_file(path, 0, &error);
        json_t *schema = doc ? json_object_get(doc, "schema") : NULL;
        json_t *cells = doc ? json_object_get(doc, "cells") : NULL;

        if (!doc || !json_is_string(schema) || strcmp(json_string_value(schema), COMPARE_SCHEMA) ||
            !json_is_array(cells)) {
                snprintf(err, err_size, "--baseline: %s is not a saved compare result (%s)", path,
                         doc ? "no " COMPARE_SCHEMA " schema" : error.text);
                json_decref(doc);
                return -1;
        }
        r->baseline_round_trip_ns = compare_saved_round_trip_ns(json_object_get(doc, "machine"));
        size_t index;
        json_t *old;
        json_array_foreach(cells, index, old) {
                const char *name = json_string_value(json_object_get(old, "scenario"));
                json_t *ns = json_object_get(old, "ns_per_drink");
                double median = json_number_value(json_object_get(ns, "median"));
                double spread_old = json_number_value(json_object_get(ns, "max")) -
                                    json_number_value(json_object_get(ns, "min"));
                for (size_t i = 0; name && i < r->cell_count; i++) {
                        struct compare_cell *c = &r->cells[i];
                        if (strcmp(c->scenario->name, name) != 0 ||
                            c->baristas != json_integer_value(json_object_get(old, "baristas")) ||
                            c->shot_ns != (uint64_t)json_integer_value(json_object_get(old, "shot_ns")) ||
                            c->prep_ns != (uint64_t)json_integer_value(json_object_get(old, "prep_ns")) ||
                            !(median > 0))
                                continue;
                        double spread_new = c->ns_per_drink.max - c->ns_per_drink.min;
                        c->has_baseline = true;
                        c->baseline_ns_per_drink = median;
                        c->change = c->ns_per_drink.median / median - 1;
                        c->significant = fabs(c->ns_per_drink.median - median) >
                                         fmax(spread_old, spread_new);
                }
        }
        json_decref(doc);
        return 0;
}

