/* Reading a saved compare result back: to report it again (--from), and to compare a new one
 * with it (--baseline). */
#include "harness/registry.h"
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

/* A saved cell as this lab writes it: the fields a report and a baseline rely on. */
static bool cell_shape_ok(json_t *c)
{
        json_t *ns = json_object_get(c, "ns_per_drink"), *ended = json_object_get(c, "ended");

        return json_is_object(c) && json_is_string(json_object_get(c, "scenario")) &&
               json_is_integer(json_object_get(c, "baristas")) &&
               json_is_integer(json_object_get(c, "shot_ns")) &&
               json_is_integer(json_object_get(c, "prep_ns")) && (json_is_object(ns) || json_is_null(ns)) &&
               (!ended || json_is_string(ended));
}

/* The schema, and every cell in shape; the cells, or NULL. */
static json_t *saved_cells(json_t *doc)
{
        json_t *schema = json_object_get(doc, "schema"), *cells = json_object_get(doc, "cells"), *c;
        size_t i;

        if (!json_is_string(schema) || strcmp(json_string_value(schema), COMPARE_SCHEMA) != 0 ||
            !json_is_array(cells))
                return NULL;
        json_array_foreach(cells, i, c)
                if (!cell_shape_ok(c))
                        return NULL;
        return cells;
}

/* A saved cell's ending: completed when it predates the field; false if unknown. */
static bool ending_from_json(json_t *cell, enum cell_ending *out)
{
        const char *name = json_string_value(json_object_get(cell, "ended"));

        *out = CELL_COMPLETED;
        for (int e = CELL_COMPLETED; name && e <= CELL_INTERRUPTED; e++)
                if (strcmp(name, cell_ending_name((enum cell_ending)e)) == 0) {
                        *out = (enum cell_ending)e;
                        return true;
                }
        return !name;
}

static bool load_facts(struct compare_result *r, json_t *facts)
{
        struct compare_options *o = &r->options;
        size_t i;
        json_t *v;

        o->scenario_count = 0;
        json_array_foreach(facts, i, v) {
                const struct scenario *s = scenario_find(json_string_value(json_object_get(v, "name")) ?: "");
                const char *observed = json_string_value(json_object_get(v, "tsan_observed"));
                if (!s || o->scenario_count == COMPARE_MAX_SCENARIOS)
                        return false;
                struct compare_scenario_facts *f = &r->facts[o->scenario_count];
                o->scenarios[o->scenario_count++] = s;
                *f = (struct compare_scenario_facts){ .scenario = s, .tsan_slowdown =
                        number_or_nan(json_object_get(v, "tsan_slowdown")) };
                for (int k = 0; observed && k < OBSERVED_KINDS; k++)
                        if (strcmp(observed, observed_name((enum observed)k)) == 0)
                                f->tsan_checked = true, f->tsan_observed = (enum observed)k;
                if (observed && strcmp(observed, "deadlock") == 0) /* saved before the vocabulary */
                        f->tsan_checked = true, f->tsan_observed = OBSERVED_LOCK_ORDER;
        }
        return true;
}

static bool load_cell(struct compare_cell *c, json_t *v)
{
        c->scenario = scenario_find(json_string_value(json_object_get(v, "scenario")));
        if (!c->scenario || !ending_from_json(v, &c->ended))
                return false;
        c->died.signal = (int)json_integer_value(json_object_get(v, "signal"));
        c->died.exit_status = (int)json_integer_value(json_object_get(v, "exit_status"));
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
        return true;
}

static bool load_parameters(struct compare_options *o, json_t *params)
{
        if (!axis_from_json(json_object_get(params, "baristas"), o->baristas, &o->baristas_count) ||
            !axis_from_json(json_object_get(params, "shot_ns"), o->shot_ns, &o->shot_ns_count) ||
            !axis_from_json(json_object_get(params, "prep_ns"), o->prep_ns, &o->prep_ns_count))
                return false;
        o->repeat = (uint32_t)json_integer_value(json_object_get(params, "repeat"));
        o->seconds = number_or_nan(json_object_get(params, "seconds"));
        const char *shot = json_string_value(json_object_get(params, "shot"));
        o->shot_mode = shot && strcmp(shot, "none") == 0 ? SHOT_NONE : SHOT_PULLED;
        return true;
}

/* The machine facts, kept as saved; and whether the saved sweep was cut short. */
static void load_machine_and_partial(struct compare_result *r, json_t *doc)
{
        json_t *machine = json_object_get(doc, "machine");
        const char *because = json_string_value(json_object_get(doc, "partial_because"));

        if (json_is_object(machine)) {
                json_t *trip = json_object_get(machine, "core_round_trip_ns");
                r->saved_machine = json_incref(machine);
                r->round_trip_ns[0] = number_or_nan(json_object_get(trip, "before"));
                r->round_trip_ns[1] = number_or_nan(json_object_get(trip, "after"));
        }
        r->partial = json_is_true(json_object_get(doc, "partial"));
        if (r->partial)
                snprintf(r->partial_because, sizeof(r->partial_because), "%s",
                         because ? because : "the saved sweep did not finish");
}

int compare_load_json(struct compare_result *r, const char *path, char *err, size_t err_size)
{
        json_error_t error;
        json_t *doc = json_load_file(path, 0, &error);
        json_t *cells = doc ? saved_cells(doc) : NULL;
        json_t *params = json_object_get(doc, "parameters"), *facts = json_object_get(doc, "scenarios");
        size_t i;
        json_t *v;

        if (!cells || !json_is_object(params) || !json_is_array(facts) || !load_facts(r, facts) ||
            !load_parameters(&r->options, params))
                goto bad;
        r->cells = calloc(json_array_size(cells) + 1, sizeof(*r->cells));
        if (!r->cells)
                goto bad;
        json_array_foreach(cells, i, v)
                if (!load_cell(&r->cells[r->cell_count++], v))
                        goto bad;
        load_machine_and_partial(r, doc);
        json_decref(doc);
        return 0;
bad:
        snprintf(err, err_size, "--from: %s is not a saved compare result of this lab (%s)", path,
                 doc ? "unexpected content" : error.text);
        free(r->cells);
        r->cells = NULL;
        r->cell_count = 0;
        json_decref(doc);
        return -1;
}

int compare_read_baseline(struct compare_result *r, const char *path, char *err, size_t err_size)
{
        json_error_t error;
        json_t *doc = json_load_file(path, 0, &error);

        if (!doc || !saved_cells(doc)) {
                snprintf(err, err_size, "--baseline: %s is not a saved compare result (%s)", path,
                         doc ? "not " COMPARE_SCHEMA ", or its cells not in shape" : error.text);
                json_decref(doc);
                return -1;
        }
        r->baseline = doc;
        return 0;
}

/* The cell of r that old (a saved cell) measured the same as, or NULL. */
static struct compare_cell *same_cell(struct compare_result *r, json_t *old)
{
        const char *name = json_string_value(json_object_get(old, "scenario"));

        for (size_t i = 0; i < r->cell_count; i++) {
                struct compare_cell *c = &r->cells[i];
                if (c->ended == CELL_COMPLETED && strcmp(c->scenario->name, name) == 0 &&
                    c->baristas == json_integer_value(json_object_get(old, "baristas")) &&
                    c->shot_ns == (uint64_t)json_integer_value(json_object_get(old, "shot_ns")) &&
                    c->prep_ns == (uint64_t)json_integer_value(json_object_get(old, "prep_ns")))
                        return c;
        }
        return NULL;
}

void compare_apply_baseline(struct compare_result *r)
{
        json_t *cells = r->baseline ? saved_cells(r->baseline) : NULL, *old;
        size_t index;

        if (!cells)
                return;
        r->baseline_round_trip_ns = compare_saved_round_trip_ns(json_object_get(r->baseline, "machine"));
        json_array_foreach(cells, index, old) {
                struct spread was = spread_from_json(json_object_get(old, "ns_per_drink"));
                struct compare_cell *c = same_cell(r, old);
                enum cell_ending ended;
                if (!c || !ending_from_json(old, &ended) || ended != CELL_COMPLETED || !(was.median > 0))
                        continue;
                double spread_new = c->ns_per_drink.max - c->ns_per_drink.min;
                c->has_baseline = true;
                c->baseline_ns_per_drink = was.median;
                c->change = c->ns_per_drink.median / was.median - 1;
                c->significant = fabs(c->ns_per_drink.median - was.median) >
                                 fmax(was.max - was.min, spread_new);
        }
}
