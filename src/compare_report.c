/* compare's output: table, CSV and JSON (which --baseline reads back), and the sentences that
 * name the mechanism behind what the numbers show. */
#include "compare.h"

#include "busywork.h"
#include "clock.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
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
                        f->scenario->family, "expect", verdict_name(f->scenario->expect),
                        "tsan_observed", f->tsan_checked ? json_string(verdict_name(f->tsan_observed))
                                                         : json_null(),
                        "tsan_slowdown", json_number_or_null(f->tsan_slowdown)));
        }
        for (size_t i = 0; i < r->cell_count; i++) {
                const struct compare_cell *c = &r->cells[i];
                json_t *cell = json_pack(
                        "{s:s, s:i, s:I, s:I, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:b}",
                        "scenario", c->scenario->name, "baristas", (int)c->baristas, "shot_ns",
                        (json_int_t)c->shot_ns, "prep_ns", (json_int_t)c->prep_ns, "runs",
                        (int)c->runs, "ns_per_drink", json_spread(c->ns_per_drink),
                        "drinks_per_sec", json_spread(c->drinks_per_sec), "wait_ns_p50",
                        json_number_or_null(c->wait_p50_ns), "wait_ns_p99",
                        json_number_or_null(c->wait_p99_ns), "fairness",
                        json_number_or_null(c->fairness), "ctx_switches_per_drink",
                        json_number_or_null(c->ctx_switches_per_drink), "contended",
                        json_number_or_null(c->contended), "lost_updates",
                        (json_int_t)c->lost_updates, "collisions", (json_int_t)c->collisions,
                        "invariants_held", c->invariants_held);
                if (c->has_baseline)
                        json_object_set_new(cell, "baseline", json_pack(
                                "{s:f, s:f, s:b}", "ns_per_drink", c->baseline_ns_per_drink,
                                "change", c->change, "significant", c->significant));
                json_array_append_new(cells, cell);
        }
        for (size_t i = 0; i < r->note_count; i++)
                json_array_append_new(notes, json_string(r->notes[i]));
        json_t *doc = json_pack(
                "{s:s, s:o, s:{s:o, s:o, s:o, s:o, s:i, s:f, s:b}, s:o, s:o, s:o}", "schema",
                COMPARE_SCHEMA, "machine", json_machine(r), "parameters", "scenarios", names,
                "baristas", json_axis(o->baristas, o->baristas_count), "shot_ns",
                json_axis(o->shot_ns, o->shot_ns_count), "prep_ns",
                json_axis(o->prep_ns, o->prep_ns_count), "repeat", (int)o->repeat, "seconds",
                o->seconds, "pin", o->pin, "scenarios", scenarios, "cells", cells, "notes", notes);
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

void compare_write_table(FILE *out, const struct compare_result *r)
{
        const struct compare_options *o = &r->options;

        fprintf(out, "%zu scenarios, %zu cells, %u runs each of %.2f s; ns/drink is the median "
                "(min-max)\n", o->scenario_count, r->cell_count, o->repeat, o->seconds);
        if (isfinite(r->round_trip_ns[0]) && isfinite(r->round_trip_ns[1]))
                fprintf(out, "A cache line went between two CPUs and back in %.0f ns before the "
                        "runs and %.0f ns after (each contended handover costs about that).\n",
                        r->round_trip_ns[0], r->round_trip_ns[1]);
        fputc('\n', out);
        fprintf(out, "%-22s %-9s %5s %6s %6s %-26s %12s %9s %9s %8s %8s %7s %9s",
                "SCENARIO", "TSAN", "SLOW", "BAR", "SHOT", "NS/DRINK (MIN-MAX)", "DRINKS/S",
                "WAIT P50", "WAIT P99", "FAIR", "CTX/DR", "LOST", "COLLIDED");
        fputs(o->baseline_path ? "  CHANGE\n" : "\n", out);
        for (size_t i = 0; i < r->cell_count; i++) {
                const struct compare_cell *c = &r->cells[i];
                const struct compare_scenario_facts *f = facts_of(r, c->scenario);
                char tsan[16] = "-", slow[16], ns[48], p50[16], p99[16];
                if (f && f->tsan_checked)
                        snprintf(tsan, sizeof(tsan), "%s%s", verdict_name(f->tsan_observed),
                                 f->tsan_observed == c->scenario->expect ? "" : "!");
                format_or_dash(slow, sizeof(slow), f ? f->tsan_slowdown : NAN, "%.0fx");
                snprintf(ns, sizeof(ns), "%.1f (%.1f-%.1f)", c->ns_per_drink.median,
                         c->ns_per_drink.min, c->ns_per_drink.max);
                format_or_dash(p50, sizeof(p50), c->wait_p50_ns, "%.0f");
                format_or_dash(p99, sizeof(p99), c->wait_p99_ns, "%.0f");
                fprintf(out, "%-22s %-9s %5s %6u %6llu %-26s %12.0f %9s %9s %8.3f %8.4f %7lld %9llu",
                        c->scenario->name, tsan, slow, c->baristas, (unsigned long long)c->shot_ns,
                        ns, c->drinks_per_sec.median, p50, p99, c->fairness,
                        c->ctx_switches_per_drink, (long long)c->lost_updates,
                        (unsigned long long)c->collisions);
                if (c->has_baseline)
                        fprintf(out, "  %+6.1f%%%s", c->change * 100, c->significant ? " *" : "");
                fputc('\n', out);
        }
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
              "baseline_change,significant\n", out);
        for (size_t i = 0; i < r->cell_count; i++) {
                const struct compare_cell *c = &r->cells[i];
                const struct compare_scenario_facts *f = facts_of(r, c->scenario);
                char slow[32], p50[32], p99[32], cont[32], change[32] = "";
                format_or_dash(slow, sizeof(slow), f ? f->tsan_slowdown : NAN, "%.2f");
                format_or_dash(p50, sizeof(p50), c->wait_p50_ns, "%.0f");
                format_or_dash(p99, sizeof(p99), c->wait_p99_ns, "%.0f");
                format_or_dash(cont, sizeof(cont), c->contended, "%.4f");
                if (c->has_baseline)
                        snprintf(change, sizeof(change), "%.4f", c->change);
                fprintf(out, "%s,%s,%s,%u,%llu,%llu,%u,%.2f,%.2f,%.2f,%.0f,%.0f,%.0f,%s,%s,%.4f,"
                        "%.6f,%s,%lld,%llu,%s,%s,%s\n", c->scenario->name,
                        f && f->tsan_checked ? verdict_name(f->tsan_observed) : "",
                        strcmp(slow, "-") ? slow : "", c->baristas, (unsigned long long)c->shot_ns,
                        (unsigned long long)c->prep_ns, c->runs, c->ns_per_drink.median,
                        c->ns_per_drink.min, c->ns_per_drink.max, c->drinks_per_sec.median,
                        c->drinks_per_sec.min, c->drinks_per_sec.max, strcmp(p50, "-") ? p50 : "",
                        strcmp(p99, "-") ? p99 : "", c->fairness, c->ctx_switches_per_drink,
                        strcmp(cont, "-") ? cont : "", (long long)c->lost_updates,
                        (unsigned long long)c->collisions, c->invariants_held ? "true" : "false",
                        change, c->has_baseline ? (c->significant ? "true" : "false") : "");
        }
}

/* ---- what the numbers mean ---------------------------------------------------------------- */

__attribute__((format(printf, 2, 3)))
static void note(struct compare_result *r, const char *fmt, ...)
{
        va_list ap;
        if (r->note_count == sizeof(r->notes) / sizeof(r->notes[0]))
                return;
        va_start(ap, fmt);
        vsnprintf(r->notes[r->note_count++], sizeof(r->notes[0]), fmt, ap);
        va_end(ap);
}

/* The cell of scenario `name` with the fewest (or most) baristas, at the first work setting. */
static const struct compare_cell *cell_at(const struct compare_result *r, const char *name, bool most)
{
        const struct compare_cell *best = NULL;
        for (size_t i = 0; i < r->cell_count; i++) {
                const struct compare_cell *c = &r->cells[i];
                if (strcmp(c->scenario->name, name) != 0 || c->shot_ns != r->options.shot_ns[0] ||
                    c->prep_ns != r->options.prep_ns[0])
                        continue;
                if (!best || (most ? c->baristas > best->baristas : c->baristas < best->baristas))
                        best = c;
        }
        return best;
}

/* The cell of scenario `name` at exactly `baristas`, at the first work setting; NULL if none. */
static const struct compare_cell *cell_with(const struct compare_result *r, const char *name,
                                            uint32_t baristas)
{
        for (size_t i = 0; i < r->cell_count; i++) {
                const struct compare_cell *c = &r->cells[i];
                if (strcmp(c->scenario->name, name) == 0 && c->baristas == baristas &&
                    c->shot_ns == r->options.shot_ns[0] && c->prep_ns == r->options.prep_ns[0])
                        return c;
        }
        return NULL;
}

/* Contended figures follow what a handover costs: say so when that changed under them. */
static void explain_round_trips(struct compare_result *r)
{
        double before = r->round_trip_ns[0], after = r->round_trip_ns[1];
        double now = compare_round_trip_ns(before, after);

        if (isfinite(before) && isfinite(after) && fmax(before, after) > 1.5 * fmin(before, after))
                note(r, "A cache line's round trip between the CPUs went from %.0f to %.0f ns "
                     "during the runs (the host moved them, or something else kept them busy): "
                     "every contended handover costs about one, so contended cells measured at "
                     "different times are not comparable.", before, after);
        double then = r->baseline_round_trip_ns;
        if (isfinite(now) && isfinite(then) && fmax(now, then) > 1.5 * fmin(now, then))
                note(r, "The baseline's CPUs passed a cache line round in %.0f ns, these in %.0f "
                     "ns: every contended handover costs about one, so contended cells differ "
                     "for that alone; cells with one barista compare fairly.", then, now);
}

void compare_explain(struct compare_result *r)
{
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        const struct compare_cell *worst = NULL, *worst_few = NULL;
        double worst_ratio = 0;

        /* Spinlocks collapsing once baristas outnumber cores. */
        for (size_t i = 0; i < r->options.scenario_count; i++) {
                const char *name = r->options.scenarios[i]->name;
                const struct compare_cell *few = cell_at(r, name, false), *many = cell_at(r, name, true);
                if (strncmp(name, "spin-", 5) != 0 || !few || !many || many->baristas <= cores ||
                    few->baristas > cores)
                        continue;
                double ratio = many->ns_per_drink.median / few->ns_per_drink.median;
                if (ratio > worst_ratio) {
                        worst_ratio = ratio, worst = many, worst_few = few;
                }
        }
        if (worst && worst_ratio >= 5)
                note(r, "%s takes %.0fx longer per drink at %u baristas than at %u: with more "
                     "baristas than the %ld cores, a waiter spins away its time slice while the "
                     "barista holding (or next in line for) the machine is preempted "
                     "(lock-holder preemption).", worst->scenario->name, worst_ratio,
                     worst->baristas, worst_few->baristas, cores);

        /* A ticket lock's fairness against test-and-set's, where every barista has a core (with
         * more baristas than cores the scheduler, not the lock, decides who gets the machine). */
        uint32_t fair_baristas = 0;
        for (size_t i = 0; i < r->options.baristas_count; i++)
                if (r->options.baristas[i] >= 2 && (long)r->options.baristas[i] <= cores &&
                    r->options.baristas[i] > fair_baristas)
                        fair_baristas = (uint32_t)r->options.baristas[i];
        const struct compare_cell *ticket = cell_with(r, "spin-ck-ticket", fair_baristas);
        const char *tas_names[] = { "spin-c11-tas", "spin-ck-fas" };
        for (size_t i = 0; ticket && i < 2; i++) {
                const struct compare_cell *tas = cell_with(r, tas_names[i], fair_baristas);
                if (tas && tas->baristas == ticket->baristas && ticket->fairness > tas->fairness + 0.05) {
                        note(r, "At %u baristas the ticket lock's fairness is %.2f against %.2f for "
                             "%s: tickets serve baristas first come, first served, while "
                             "test-and-set lets whoever swaps first win, often the barista who "
                             "just released the machine.", ticket->baristas, ticket->fairness,
                             tas->fairness, tas->scenario->name);
                        break;
                }
        }

        /* RCU readers scaling while rwlock readers bounce a cache line. */
        const struct compare_cell *rcu1 = cell_at(r, "menu-rcu", false), *rcuN = cell_at(r, "menu-rcu", true);
        const struct compare_cell *rw1 = cell_at(r, "menu-rwlock", false), *rwN = cell_at(r, "menu-rwlock", true);
        if (rcu1 && rcuN && rw1 && rwN && rcuN->baristas > rcu1->baristas) {
                double rcu_gain = rcuN->drinks_per_sec.median / rcu1->drinks_per_sec.median;
                double rw_gain = rwN->drinks_per_sec.median / rw1->drinks_per_sec.median;
                if (rcu_gain > rw_gain * 1.2)
                        note(r, "From %u to %u baristas, RCU reads per second change %.1fx and "
                             "rwlock reads %.1fx: RCU readers write nothing shared, while every "
                             "rwlock reader writes the lock's reader count, bouncing its cache "
                             "line between cores.", rcu1->baristas, rcuN->baristas, rcu_gain, rw_gain);
        }

        /* The mutex parking baristas in the kernel. */
        const struct compare_cell *mutex = cell_at(r, "mutex", true), *alone = cell_at(r, "mutex", false);
        if (mutex && alone && mutex->baristas > 1 && mutex->ctx_switches_per_drink > 0.0001 &&
            mutex->ctx_switches_per_drink > 10 * alone->ctx_switches_per_drink) {
                char against[64] = "against none for one barista alone";
                if (alone->ctx_switches_per_drink > 0)
                        snprintf(against, sizeof(against), "%.0fx as often as one barista alone",
                                 mutex->ctx_switches_per_drink / alone->ctx_switches_per_drink);
                note(r, "mutex at %u baristas switches context %.2f times per 1000 drinks, %s: a "
                     "contended glibc mutex parks waiting baristas in the kernel (futex) and wakes "
                     "them again.", mutex->baristas, mutex->ctx_switches_per_drink * 1000, against);
        }

        explain_round_trips(r);
}
