/* compare's output: table, CSV and JSON (which --baseline reads back). The sentences under the
 * table are compare_explain.c's. */
#include "harness/registry.h"
#include "compare.h"

#include "measure/busywork.h"
#include "measure/clock.h"

#include <jansson.h>
#include <math.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef ESPRESSO_VERSION
#define ESPRESSO_VERSION "0.0.0"
#endif
#ifndef ESPRESSO_BUILD_FLAGS
#define ESPRESSO_BUILD_FLAGS "unknown"
#endif

static void cpu_model(char *out, size_t size)
{
        char line[256];
        FILE *f = fopen("/proc/cpuinfo", "r");

        snprintf(out, size, "unknown");
        while (f && fgets(line, sizeof(line), f)) {
                char *colon = strchr(line, ':');
                if (strncmp(line, "model name", 10) == 0 && colon) {
                        snprintf(out, size, "%s", colon + 2);
                        out[strcspn(out, "\n")] = '\0';
                        break;
                }
        }
        if (f)
                fclose(f);
}

static json_t *json_number_or_null(double v)
{
        return isfinite(v) ? json_real(v) : json_null();
}

static json_t *json_spread(struct spread s)
{
        return json_pack("{s:o, s:o, s:o}", "median", json_number_or_null(s.median), "min",
                         json_number_or_null(s.min), "max", json_number_or_null(s.max));
}

static json_t *json_axis(const uint64_t *values, size_t n)
{
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(a, json_integer((json_int_t)values[i]));
        return a;
}

/* The facts of the machine the result was measured on: this one, or for a saved result
 * reported again (--from) the saved facts, as they were. */
static json_t *json_machine(const struct compare_result *r)
{
        char cpu[200];
        struct utsname u;

        if (r->saved_machine)
                return json_incref(r->saved_machine);
        cpu_model(cpu, sizeof(cpu));
        uname(&u);
        return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:f, s:f, s:{s:o, s:o}}", "cpu", cpu,
                         "cores", (json_int_t)sysconf(_SC_NPROCESSORS_ONLN), "kernel", u.release,
                         "compiler", __VERSION__, "flags", ESPRESSO_BUILD_FLAGS, "lab_version",
                         ESPRESSO_VERSION, "busywork_iterations_per_us",
                         busywork_iterations_per_us(), "cycles_per_ns", clock_cycles_per_ns(),
                         "core_round_trip_ns", "before", json_number_or_null(r->round_trip_ns[0]),
                         "after", json_number_or_null(r->round_trip_ns[1]));
}

/* A cell's figures; null for a cell that did not complete, whose runs were not all measured. */
static void json_add_figures(json_t *cell, const struct compare_cell *c)
{
        bool measured = c->ended == CELL_COMPLETED;

        json_object_set_new(cell, "ns_per_drink", measured ? json_spread(c->ns_per_drink) : json_null());
        json_object_set_new(cell, "drinks_per_sec", measured ? json_spread(c->drinks_per_sec) : json_null());
        json_object_set_new(cell, "wait_ns_p50", json_number_or_null(measured ? c->wait_p50_ns : NAN));
        json_object_set_new(cell, "wait_ns_p99", json_number_or_null(measured ? c->wait_p99_ns : NAN));
        json_object_set_new(cell, "fairness", json_number_or_null(measured ? c->fairness : NAN));
        json_object_set_new(cell, "ctx_switches_per_drink",
                            json_number_or_null(measured ? c->ctx_switches_per_drink : NAN));
        json_object_set_new(cell, "contended", json_number_or_null(measured ? c->contended : NAN));
        json_object_set_new(cell, "lost_updates",
                            measured ? json_integer((json_int_t)c->lost_updates) : json_null());
        json_object_set_new(cell, "collisions",
                            measured ? json_integer((json_int_t)c->collisions) : json_null());
        json_object_set_new(cell, "invariants_held", measured ? json_boolean(c->invariants_held) : json_null());
}

static json_t *json_cell(const struct compare_cell *c)
{
        bool crashed = c->ended == CELL_CRASHED;
        json_t *cell = json_pack("{s:s, s:i, s:I, s:I, s:s, s:o, s:o, s:i}", "scenario",
                                 c->scenario->name, "baristas", (int)c->baristas, "shot_ns",
                                 (json_int_t)c->shot_ns, "prep_ns", (json_int_t)c->prep_ns, "ended",
                                 cell_ending_name(c->ended), "signal",
                                 crashed && c->died.signal ? json_integer(c->died.signal) : json_null(),
                                 "exit_status",
                                 crashed && !c->died.signal ? json_integer(c->died.exit_status) : json_null(),
                                 "runs", (int)c->runs);

        json_add_figures(cell, c);
        if (c->has_baseline)
                json_object_set_new(cell, "baseline", json_pack(
                        "{s:f, s:f, s:b}", "ns_per_drink", c->baseline_ns_per_drink,
                        "change", c->change, "significant", c->significant));
        return cell;
}

void compare_write_json(FILE *out, const struct compare_result *r)
{
        const struct compare_options *o = &r->options;
        json_t *names = json_array(), *scenarios = json_array(), *cells = json_array(),
               *notes = json_array();

        for (size_t i = 0; i < o->scenario_count; i++) {
                const struct compare_scenario_facts *f = &r->facts[i];
                json_array_append_new(names, json_string(o->scenarios[i]->name));
                json_array_append_new(scenarios, json_pack(
                        "{s:s, s:s, s:s, s:o, s:o}", "name", f->scenario->name, "family",
                        family_name(f->scenario->family), "expect", verdict_name(f->scenario->expect),
                        "tsan_observed", f->tsan_checked ? json_string(observed_name(f->tsan_observed))
                                                         : json_null(),
                        "tsan_slowdown", json_number_or_null(f->tsan_slowdown)));
        }
        for (size_t i = 0; i < r->cell_count; i++)
                json_array_append_new(cells, json_cell(&r->cells[i]));
        for (size_t i = 0; i < r->note_count; i++)
                json_array_append_new(notes, json_string(r->notes[i]));
        json_t *doc = json_pack(
                "{s:s, s:b, s:o, s:o, s:{s:o, s:o, s:o, s:o, s:i, s:f, s:b, s:s}, s:o, s:o, s:o}", "schema",
                COMPARE_SCHEMA, "partial", r->partial, "partial_because",
                r->partial ? json_string(r->partial_because) : json_null(), "machine",
                json_machine(r), "parameters", "scenarios", names,
                "baristas", json_axis(o->baristas, o->baristas_count), "shot_ns",
                json_axis(o->shot_ns, o->shot_ns_count), "prep_ns",
                json_axis(o->prep_ns, o->prep_ns_count), "repeat", (int)o->repeat, "seconds",
                o->seconds, "pin", o->pin, "shot", o->shot_mode == SHOT_NONE ? "none" : "pulled",
                "scenarios", scenarios, "cells", cells, "notes", notes);
        json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', out);
        json_decref(doc);
}

static const struct compare_scenario_facts *facts_of(const struct compare_result *r,
                                                     const struct scenario *s)
{
        for (size_t i = 0; i < r->options.scenario_count; i++)
                if (r->facts[i].scenario == s)
                        return &r->facts[i];
        return NULL;
}

static void format_or_dash(char *buf, size_t size, double value, const char *fmt)
{
        if (isfinite(value))
                snprintf(buf, size, fmt, value);
        else
                snprintf(buf, size, "-");
}

/* The 14 columns from ns_per_drink_median to invariants_held; empty where not measured. */
static void csv_figures(char *buf, size_t size, const struct compare_cell *c)
{
        char p50[32], p99[32], cont[32], fair[32];

        format_or_dash(p50, sizeof(p50), c->wait_p50_ns, "%.0f");
        format_or_dash(p99, sizeof(p99), c->wait_p99_ns, "%.0f");
        format_or_dash(cont, sizeof(cont), c->contended, "%.4f");
        format_or_dash(fair, sizeof(fair), c->fairness, "%.4f"); /* none with one barista */
        snprintf(buf, size, "%.2f,%.2f,%.2f,%.0f,%.0f,%.0f,%s,%s,%s,%.6f,%s,%lld,%llu,%s",
                 c->ns_per_drink.median, c->ns_per_drink.min, c->ns_per_drink.max,
                 c->drinks_per_sec.median, c->drinks_per_sec.min, c->drinks_per_sec.max,
                 strcmp(p50, "-") ? p50 : "", strcmp(p99, "-") ? p99 : "", strcmp(fair, "-") ? fair : "",
                 c->ctx_switches_per_drink, strcmp(cont, "-") ? cont : "",
                 (long long)c->lost_updates, (unsigned long long)c->collisions,
                 c->invariants_held ? "true" : "false");
}

void compare_cell_ending_text(char *buf, size_t size, const struct compare_cell *c)
{
        switch (c->ended) {
        case CELL_CRASHED:
                if (c->died.signal)
                        snprintf(buf, size, "crashed (signal %d)", c->died.signal);
                else
                        snprintf(buf, size, "crashed (exit status %d)", c->died.exit_status);
                break;
        case CELL_TIMED_OUT:
                snprintf(buf, size, "timed out: still running at its time bound, killed");
                break;
        case CELL_COULD_NOT_RUN:
                snprintf(buf, size, "could not run");
                break;
        default:
                snprintf(buf, size, "%s", cell_ending_name(c->ended));
        }
        if (c->runs)
                snprintf(buf + strlen(buf), size - strlen(buf), " after %u run%s", c->runs,
                         c->runs > 1 ? "s" : "");
}

static void write_table_row(FILE *out, const struct compare_result *r, const struct compare_cell *c)
{
        const struct compare_scenario_facts *f = facts_of(r, c->scenario);
        char tsan[16] = "-", slow[16], ns[48], p50[16], p99[16], fair[16], ended[96];

        if (f && f->tsan_checked)
                snprintf(tsan, sizeof(tsan), "%s%s", observed_name(f->tsan_observed),
                         observed_satisfies(f->tsan_observed, c->scenario->expect) ? "" : "!");
        format_or_dash(slow, sizeof(slow), f ? f->tsan_slowdown : NAN, "%.0fx");
        fprintf(out, "%-22s %-9s %5s %6u %6llu ", c->scenario->name, tsan, slow, c->baristas,
                (unsigned long long)c->shot_ns);
        if (c->ended != CELL_COMPLETED) {
                compare_cell_ending_text(ended, sizeof(ended), c);
                fprintf(out, "%s\n", ended);
                return;
        }
        snprintf(ns, sizeof(ns), "%.1f (%.1f-%.1f)", c->ns_per_drink.median, c->ns_per_drink.min,
                 c->ns_per_drink.max);
        format_or_dash(p50, sizeof(p50), c->wait_p50_ns, "%.0f");
        format_or_dash(p99, sizeof(p99), c->wait_p99_ns, "%.0f");
        format_or_dash(fair, sizeof(fair), c->fairness, "%.3f");
        fprintf(out, "%-26s %12.0f %9s %9s %8s %8.4f %7lld %9llu", ns, c->drinks_per_sec.median,
                p50, p99, fair, c->ctx_switches_per_drink, (long long)c->lost_updates,
                (unsigned long long)c->collisions);
        if (c->has_baseline)
                fprintf(out, "  %+6.1f%%%s", c->change * 100, c->significant ? " *" : "");
        fputc('\n', out);
}

void compare_write_table(FILE *out, const struct compare_result *r)
{
        const struct compare_options *o = &r->options;

        if (r->partial)
                fprintf(out, "PARTIAL: %s; only the cells finished are below.\n", r->partial_because);
        fprintf(out, "%zu scenarios, %zu cells, %u runs each of %.2f s; ns/drink is the median "
                "(min-max)\n", o->scenario_count, r->cell_count, o->repeat, o->seconds);
        if (o->shot_mode == SHOT_NONE)
                fprintf(out, "--shot none: each barista takes the lock and gives it back around no "
                        "shared data, as other lock benchmarks do; the machine is not checked.\n");
        if (isfinite(r->round_trip_ns[0]) && isfinite(r->round_trip_ns[1]))
                fprintf(out, "A cache line went between two CPUs and back in %.0f ns before the "
                        "runs and %.0f ns after (each contended handover costs about that).\n",
                        r->round_trip_ns[0], r->round_trip_ns[1]);
        fputc('\n', out);
        fprintf(out, "%-22s %-9s %5s %6s %6s %-26s %12s %9s %9s %8s %8s %7s %9s",
                "SCENARIO", "TSAN", "SLOW", "BAR", "SHOT", "NS/DRINK (MIN-MAX)", "DRINKS/S",
                "WAIT P50", "WAIT P99", "FAIR", "CTX/DR", "LOST", "COLLIDED");
        fputs(o->baseline_path ? "  CHANGE\n" : "\n", out);
        for (size_t i = 0; i < r->cell_count; i++)
                write_table_row(out, r, &r->cells[i]);
        if (o->baseline_path)
                fprintf(out, "\nCHANGE: ns/drink against %s; * marks a change larger than the "
                        "spread of the repeats.\n", o->baseline_path);
        if (r->note_count)
                fputc('\n', out);
        for (size_t i = 0; i < r->note_count; i++)
                fprintf(out, "%s\n", r->notes[i]);
}

void compare_write_csv(FILE *out, const struct compare_result *r)
{
        fputs("scenario,tsan_observed,tsan_slowdown,baristas,shot_ns,prep_ns,runs,"
              "ns_per_drink_median,ns_per_drink_min,ns_per_drink_max,drinks_per_sec_median,"
              "drinks_per_sec_min,drinks_per_sec_max,wait_ns_p50,wait_ns_p99,fairness,"
              "ctx_switches_per_drink,contended,lost_updates,collisions,invariants_held,"
              "baseline_change,significant,ended,signal,partial\n", out);
        for (size_t i = 0; i < r->cell_count; i++) {
                const struct compare_cell *c = &r->cells[i];
                const struct compare_scenario_facts *f = facts_of(r, c->scenario);
                char slow[32], figures[400] = ",,,,,,,,,,,,,", change[32] = "", died_of[16] = "";
                format_or_dash(slow, sizeof(slow), f ? f->tsan_slowdown : NAN, "%.2f");
                if (c->ended == CELL_COMPLETED)
                        csv_figures(figures, sizeof(figures), c);
                if (c->has_baseline)
                        snprintf(change, sizeof(change), "%.4f", c->change);
                if (c->ended == CELL_CRASHED && c->died.signal)
                        snprintf(died_of, sizeof(died_of), "%d", c->died.signal);
                fprintf(out, "%s,%s,%s,%u,%llu,%llu,%u,%s,%s,%s,%s,%s,%s\n", c->scenario->name,
                        f && f->tsan_checked ? observed_name(f->tsan_observed) : "",
                        strcmp(slow, "-") ? slow : "", c->baristas, (unsigned long long)c->shot_ns,
                        (unsigned long long)c->prep_ns, c->runs, figures, change,
                        c->has_baseline ? (c->significant ? "true" : "false") : "",
                        cell_ending_name(c->ended), died_of, r->partial ? "true" : "false");
        }
}
