#include "report.h"

#include "die.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

/* ---- JSON ---------------------------------------------------------------------------------- */

static void json_print(FILE *out, json_t *doc)
{
        if (!doc || json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
                lab_die("cannot write JSON");
        fputc('\n', out);
        json_decref(doc);
}

/* A measurement that may not exist (no samples, not told): null rather than a made-up 0. */
static json_t *json_maybe(bool present, double value)
{
        return present && isfinite(value) ? json_real(value) : json_null();
}

static json_t *json_latency(const struct latency_summary *l, bool with_max)
{
        json_t *o = json_object();
        json_object_set_new(o, "p50", json_maybe(l->sampled, l->p50_ns));
        json_object_set_new(o, "p99", json_maybe(l->sampled, l->p99_ns));
        if (with_max)
                json_object_set_new(o, "max", json_maybe(l->sampled, l->max_ns));
        return o;
}

static json_t *json_stuck(const struct run_result *r)
{
        json_t *list = json_array();
        uint32_t described = r->stuck_count < RUN_MAX_STUCK ? r->stuck_count : RUN_MAX_STUCK;

        for (uint32_t i = 0; i < described; i++) {
                const struct stuck_barista *s = &r->stuck[i];
                json_array_append_new(list, json_pack("{s:I, s:I, s:o, s:o, s:s}",
                        "barista", (json_int_t)s->barista, "progress", (json_int_t)s->progress,
                        "holds", s->holding ? json_string(s->holding) : json_null(),
                        "waits_for", s->waiting_for ? json_string(s->waiting_for) : json_null(),
                        "state", s->state));
        }
        return list;
}

static json_t *json_run(const struct run_result *r)
{
        const struct run_config *c = &r->config;
        json_t *o = json_object();
        /* A stalled run's figures cannot be read from its stuck baristas: null, not made up. */
        bool m = r->measured;

        json_object_set_new(o, "scenario", json_string(r->scenario->name));
        json_object_set_new(o, "baristas", json_integer(c->baristas));
        json_object_set_new(o, "orders", m ? json_integer((json_int_t)r->orders) : json_null());
        json_object_set_new(o, "seconds_limit", c->seconds > 0 ? json_real(c->seconds) : json_null());
        json_object_set_new(o, "shot_ns", json_integer((json_int_t)c->shot_ns));
        json_object_set_new(o, "prep_ns", json_integer((json_int_t)c->prep_ns));
        json_object_set_new(o, "slow_motion", json_boolean(c->slow_motion));
        json_object_set_new(o, "ended", json_string(run_ending_name(r->ended)));
        json_object_set_new(o, "stall_limit_seconds", json_real(r->stall_limit_seconds));
        json_object_set_new(o, "drinks", json_integer((json_int_t)r->drinks));
        bool machine = !r->scenario->without_machine && m;
        json_object_set_new(o, "shots", machine ? json_integer((json_int_t)r->shots) : json_null());
        json_object_set_new(o, "lost_updates", machine ? json_integer(r->lost_updates) : json_null());
        json_object_set_new(o, "collisions",
                            machine ? json_integer((json_int_t)r->collisions) : json_null());
        json_object_set_new(o, "seconds", json_maybe(m, r->seconds));
        json_object_set_new(o, "drinks_per_sec", json_maybe(m, r->drinks_per_sec));
        json_object_set_new(o, "ns_per_drink", json_maybe(m, r->ns_per_drink));
        json_object_set_new(o, "wait_ns", json_latency(&r->wait, true));
        json_object_set_new(o, "hold_ns", json_latency(&r->hold, true));
        json_object_set_new(o, "fairness", json_maybe(m, r->fairness));
        json_object_set_new(o, "contended", json_maybe(m, r->contended));
        json_object_set_new(o, "ctx_switches_per_drink", json_maybe(m, r->ctx_switches_per_drink));
        json_object_set_new(o, "cores_used", json_maybe(m, r->cores_used));
        json_object_set_new(o, "sequential_seconds", r->sequential_seconds > 0
                                ? json_real(r->sequential_seconds) : json_null());
        json_object_set_new(o, "speedup", r->sequential_seconds > 0 ? json_real(r->speedup)
                                                                    : json_null());
        json_object_set_new(o, "work", json_string(c->cpu_work ? "cpu" : "waiting"));
        json_object_set_new(o, "queue_capacity", r->queue_capacity
                                ? json_integer((json_int_t)r->queue_capacity) : json_null());
        json_object_set_new(o, "torn_reads", m ? json_integer((json_int_t)r->torn_reads) : json_null());
        json_object_set_new(o, "reads_per_sec", json_maybe(m, r->reads_per_sec));
        bool menu = r->scenario->without_machine && m;
        json_object_set_new(o, "menu_updates", menu ? json_integer((json_int_t)r->menu_updates)
                                                    : json_null());
        json_object_set_new(o, "update_ns", menu ? json_latency(&r->update, true) : json_null());
        json_object_set_new(o, "expect", json_string(verdict_name(r->scenario->expect)));
        json_object_set_new(o, "invariants_held", json_boolean(r->invariants_held));
        json_object_set_new(o, "broken_invariant",
                            r->invariants_held ? json_null() : json_string(r->broken_invariant));
        json_object_set_new(o, "stuck", json_stuck(r));
        json_object_set_new(o, "deadlocked", r->ended == RUN_STALLED ? json_boolean(r->deadlocked)
                                                                      : json_null());
        return o;
}

/* ---- list ---------------------------------------------------------------------------------- */

void report_scenarios(FILE *out, enum output_format format)
{
        size_t n = scenario_count();

        if (format == FORMAT_JSON) {
                json_t *list = json_array();
                for (size_t i = 0; i < n; i++) {
                        const struct scenario *s = scenario_at(i);
                        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}",
                                "name", s->name, "family", s->family,
                                "expect", verdict_name(s->expect), "summary", s->summary,
                                "lesson", s->lesson));
                }
                json_print(out, json_pack("{s:o}", "scenarios", list));
                return;
        }
        fprintf(out, "%-16s %-8s %-8s %s\n", "SCENARIO", "FAMILY", "TSAN", "SUMMARY");
        for (size_t i = 0; i < n; i++) {
                const struct scenario *s = scenario_at(i);
                fprintf(out, "%-16s %-8s %-8s %s\n", s->name, s->family, verdict_name(s->expect),
                        s->summary);
        }
}

/* ---- run ----------------------------------------------------------------------------------- */

static void table_latency(FILE *out, const char *name, const struct latency_summary *l, bool with_max)
{
        if (!l->sampled) {
                fprintf(out, "  %-24s -  (no order sampled: fewer than %d per barista)\n", name,
                        BARISTA_SAMPLE_EVERY);
                return;
        }
        fprintf(out, "  %-24s p50 %.0f   p99 %.0f", name, l->p50_ns, l->p99_ns);
        if (with_max)
                fprintf(out, "   max %.0f", l->max_ns);
        fputc('\n', out);
}

static void report_run_table(FILE *out, const struct run_result *r)
{
        const struct run_config *c = &r->config;
        const struct scenario *s = r->scenario;

        fprintf(out, "%s — %s%s\n", s->name, s->summary, c->slow_motion ? "  [slow motion]" : "");
        if (r->ended != RUN_COMPLETED)
                fprintf(out, "  %-24s %s\n", "ended", r->ended == RUN_STALLED
                        ? "stalled: the watchdog ended the run (see above)"
                        : r->ended == RUN_CUT_SHORT ? "cut short at its time bound (--max-seconds)"
                                                    : "interrupted by a signal");
        fprintf(out, "  %-24s %u\n", "baristas", c->baristas);
        if (!r->measured) {
                fprintf(out, "  %-24s %llu before the run stalled\n", "drinks",
                        (unsigned long long)r->drinks);
                fprintf(out, "  %-24s not measured: stuck baristas cannot be read\n", "figures");
                return;
        }
        fprintf(out, "  %-24s %llu%s\n", "orders", (unsigned long long)r->orders,
                c->seconds > 0 ? "  (taken in the time given)" : "");
        fprintf(out, "  %-24s shot %llu ns at the machine, prep %llu ns away from it\n", "work",
                (unsigned long long)c->shot_ns, (unsigned long long)c->prep_ns);
        fprintf(out, "  %-24s %llu\n", "drinks", (unsigned long long)r->drinks);
        if (!s->without_machine) {
                fprintf(out, "  %-24s %lld  (the machine counted %llu shots)\n", "lost_updates",
                        (long long)r->lost_updates, (unsigned long long)r->shots);
                fprintf(out, "  %-24s %llu  (shots begun while another barista was at the machine)\n",
                        "collisions", (unsigned long long)r->collisions);
        }
        if (r->queue_capacity)
                fprintf(out, "  %-24s %llu orders\n", "queue_capacity",
                        (unsigned long long)r->queue_capacity);
        if (s->without_machine) {
                fprintf(out, "  %-24s %llu  (reads that mixed two menu versions)\n", "torn_reads",
                        (unsigned long long)r->torn_reads);
                fprintf(out, "  %-24s %.0f\n", "reads_per_sec", r->reads_per_sec);
                fprintf(out, "  %-24s %llu  (at --updates-per-sec %u)\n", "menu_updates",
                        (unsigned long long)r->menu_updates, c->updates_per_sec);
                table_latency(out, "update_ns", &r->update, true);
        }
        fprintf(out, "  %-24s %.3f\n", "seconds", r->seconds);
        fprintf(out, "  %-24s %.0f\n", "drinks_per_sec", r->drinks_per_sec);
        fprintf(out, "  %-24s %.1f\n", "ns_per_drink", r->ns_per_drink);
        table_latency(out, "wait_ns (sampled)", &r->wait, true);
        table_latency(out, "hold_ns (sampled)", &r->hold, false);
        fprintf(out, "  %-24s %.3f  (Jain's index, 1 = fair)\n", "fairness", r->fairness);
        if (isnan(r->contended))
                fprintf(out, "  %-24s -  (this scenario cannot tell)\n", "contended");
        else
                fprintf(out, "  %-24s %.1f%%  (of acquisitions had to wait)\n", "contended",
                        r->contended * 100);
        fprintf(out, "  %-24s %.4f  (%llu voluntary, %llu involuntary)\n", "ctx_switches_per_drink",
                r->ctx_switches_per_drink, (unsigned long long)r->ctx_voluntary,
                (unsigned long long)r->ctx_involuntary);
        if (r->sequential_seconds > 0)
                fprintf(out, "  %-24s %.3f s one drink after another, so a speedup of %.2fx\n",
                        "sequential_seconds", r->sequential_seconds, r->speedup);
        fprintf(out, "  %-24s %.2f  (CPU time of the baristas / seconds)\n", "cores_used", r->cores_used);
        if (r->invariants_held)
                fprintf(out, "  %-24s held\n", "invariants");
        else
                fprintf(out, "  %-24s BROKEN: %s%s\n", "invariants", r->broken_invariant,
                        scenario_claims_correct(s) ? "" : "  (expected: no protection)");
}

#define CSV_COLUMNS                                                                          \
        "scenario,baristas,orders,shot_ns,prep_ns,drinks,shots,lost_updates,collisions,seconds," \
        "drinks_per_sec,ns_per_drink,wait_ns_p50,wait_ns_p99,wait_ns_max,hold_ns_p50,"        \
        "hold_ns_p99,fairness,contended,ctx_switches_per_drink,queue_capacity,torn_reads,"     \
        "reads_per_sec,update_ns_p50,update_ns_p99,invariants_held,ended"

/* An empty cell for a value that does not exist, so spreadsheets do not average in a 0. */
static void csv_maybe(FILE *out, bool present, double value, const char *fmt)
{
        fputc(',', out);
        if (present && isfinite(value))
                fprintf(out, fmt, value);
}

static void report_run_csv(FILE *out, const struct run_result *r)
{
        const struct run_config *c = &r->config;

        fprintf(out, "%s\n", CSV_COLUMNS);
        bool machine = !r->scenario->without_machine;
        fprintf(out, "%s,%u,%llu,%llu,%llu,%llu", r->scenario->name, c->baristas,
                (unsigned long long)r->orders, (unsigned long long)c->shot_ns,
                (unsigned long long)c->prep_ns, (unsigned long long)r->drinks);
        csv_maybe(out, machine, (double)r->shots, "%.0f");
        csv_maybe(out, machine, (double)r->lost_updates, "%.0f");
        csv_maybe(out, machine, (double)r->collisions, "%.0f");
        fprintf(out, ",%.6f,%.1f,%.2f", r->seconds, r->drinks_per_sec, r->ns_per_drink);
        csv_maybe(out, r->wait.sampled, r->wait.p50_ns, "%.0f");
        csv_maybe(out, r->wait.sampled, r->wait.p99_ns, "%.0f");
        csv_maybe(out, r->wait.sampled, r->wait.max_ns, "%.0f");
        csv_maybe(out, r->hold.sampled, r->hold.p50_ns, "%.0f");
        csv_maybe(out, r->hold.sampled, r->hold.p99_ns, "%.0f");
        csv_maybe(out, true, r->fairness, "%.4f");
        csv_maybe(out, true, r->contended, "%.4f");
        csv_maybe(out, true, r->ctx_switches_per_drink, "%.6f");
        csv_maybe(out, r->queue_capacity > 0, (double)r->queue_capacity, "%.0f");
        csv_maybe(out, true, (double)r->torn_reads, "%.0f");
        csv_maybe(out, true, r->reads_per_sec, "%.0f");
        csv_maybe(out, r->update.sampled, r->update.p50_ns, "%.0f");
        csv_maybe(out, r->update.sampled, r->update.p99_ns, "%.0f");
        fprintf(out, ",%s,%s\n", r->invariants_held ? "true" : "false", run_ending_name(r->ended));
}

void report_run(FILE *out, const struct run_result *r, enum output_format format)
{
        switch (format) {
        case FORMAT_JSON:
                json_print(out, json_run(r));
                break;
        case FORMAT_CSV:
                report_run_csv(out, r);
                break;
        case FORMAT_TABLE:
                report_run_table(out, r);
                break;
        }
}

/* ---- race-check ---------------------------------------------------------------------------- */

void report_tsan_report(FILE *out, const struct tsan_report *r)
{
        fprintf(out, "%s", r->kind);
        if (r->variable[0])
                fprintf(out, " on %s", r->variable);
        if (r->location[0])
                fprintf(out, " at %s", r->location);
        if (r->function[0])
                fprintf(out, " (%s)", r->function);
        if (r->caller[0])
                fprintf(out, ", called from %s", r->caller);
}

void report_race_check_finding(FILE *out, const struct scenario *s, const struct race_check_run *run)
{
        const struct tsan_report *first = tsan_first_of_worst(&run->findings);

        if (run->observed == OBSERVED_HUNG) {
                /* What TSan saw first, if anything (a deadlock's inversion); else why it hung. */
                if (first) {
                        report_tsan_report(out, first);
                        fputs("; then the run hung", out);
                } else {
                        fprintf(out, "hung: %s", run->hung_because[0] ? run->hung_because : "never ended");
                }
                return;
        }
        if (!first)
                fputs("no report", out);
        else
                report_tsan_report(out, first);
        if (!run->invariants_held && scenario_claims_correct(s))
                fprintf(out, "; yet an invariant broke: %s", run->broken_invariant);
}

static json_t *json_tsan_report(const struct tsan_report *r)
{
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kind", r->kind,
                              "class", observed_name(r->observed), "location", r->location,
                              "variable", r->variable, "function", r->function, "caller", r->caller);
        json_t *accesses = json_array();
        for (unsigned i = 0; i < r->accesses; i++)
                json_array_append_new(accesses, json_pack("{s:s, s:s, s:s, s:s}",
                        "what", r->access[i].what, "where", r->access[i].where,
                        "function", r->access[i].function, "caller", r->access[i].caller));
        json_object_set_new(o, "accesses", accesses);
        return o;
}

static json_t *json_race_check(const struct race_check_result *r)
{
        const struct tsan_findings *f = &r->shown.findings;
        const struct tsan_report *first = r->failed ? NULL : tsan_first_of_worst(f);
        json_t *o = json_object(), *all = json_array();

        if (!r->failed)
                for (unsigned i = 0; i < f->kept; i++)
                        json_array_append_new(all, json_tsan_report(&f->report[i]));
        json_object_set_new(o, "scenario", json_string(r->scenario->name));
        json_object_set_new(o, "expect", json_string(verdict_name(r->scenario->expect)));
        json_object_set_new(o, "observed", json_string(observed_name(race_check_observed(r))));
        json_object_set_new(o, "reports", json_integer(r->failed ? 0 : f->reports));
        json_object_set_new(o, "first_report", first ? json_tsan_report(first) : json_null());
        json_object_set_new(o, "all_reports", all);
        json_object_set_new(o, "invariants_held", json_boolean(r->failed || r->shown.invariants_held));
        json_object_set_new(o, "broken_invariant", !r->failed && !r->shown.invariants_held
                                ? json_string(r->shown.broken_invariant) : json_null());
        json_object_set_new(o, "hung_because", !r->failed && r->shown.observed == OBSERVED_HUNG
                                ? json_string(r->shown.hung_because) : json_null());
        json_object_set_new(o, "killed", json_boolean(!r->failed && r->shown.killed));
        json_object_set_new(o, "match", json_boolean(race_check_matched(r)));
        json_object_set_new(o, "runs", json_integer(r->runs));
        json_object_set_new(o, "runs_matched", json_integer(r->runs_matched));
        json_object_set_new(o, "error", r->failed ? json_string(r->why) : json_null());
        json_t *suppressed = json_array();
        for (size_t i = 0; i < r->suppressions_used; i++)
                json_array_append_new(suppressed, json_pack("{s:s, s:I}", "entry",
                                                            r->suppressed[i].entry, "count",
                                                            (json_int_t)r->suppressed[i].count));
        json_object_set_new(o, "suppressed", suppressed);
        return o;
}

void report_race_checks(FILE *out, const struct race_check_result *results, size_t n,
                        struct race_check_mode mode, enum output_format format)
{
        size_t matched = 0;

        for (size_t i = 0; i < n; i++)
                matched += race_check_matched(&results[i]);
        if (format == FORMAT_JSON) {
                json_t *list = json_array();
                for (size_t i = 0; i < n; i++)
                        json_array_append_new(list, json_race_check(&results[i]));
                json_print(out, json_pack("{s:o, s:b, s:b, s:b}", "results", list, "all_match",
                                          matched == n, "suppressions", !mode.without_suppressions,
                                          "annotations", !mode.without_annotations));
                return;
        }
        fprintf(out, "%-16s %-8s %-8s %-7s %-6s %s\n", "SCENARIO", "EXPECT", "OBSERVED", "REPORTS",
                "MATCH", "FIRST REPORT");
        for (size_t i = 0; i < n; i++) {
                const struct race_check_result *r = &results[i];
                if (r->failed) {
                        fprintf(out, "%-16s %-8s %-8s %-7s %-6s %s\n", r->scenario->name,
                                verdict_name(r->scenario->expect), "error", "-", "NO", r->why);
                        continue;
                }
                fprintf(out, "%-16s %-8s %-8s %-7u %-6s ", r->scenario->name,
                        verdict_name(r->scenario->expect), observed_name(r->shown.observed),
                        r->shown.findings.reports, race_check_matched(r) ? "yes" : "NO");
                report_race_check_finding(out, r->scenario, &r->shown);
                if (r->runs > 1)
                        fprintf(out, "  [%u of %u runs as expected]", r->runs_matched, r->runs);
                fputc('\n', out);
                for (size_t k = 0; k < r->suppressions_used; k++)
                        fprintf(out, "%-16s %-8s %-8s %-7s %-6s suppressed %lu reports: %s\n", "", "",
                                "", "", "", r->suppressed[k].count, r->suppressed[k].entry);
        }
        if (mode.without_suppressions)
                fprintf(out, "(run without tsan-suppressions)\n");
        if (mode.without_annotations)
                fprintf(out, "(run with the TSan annotations switched off)\n");
        fprintf(out, "%zu of %zu scenarios as expected under ThreadSanitizer\n", matched, n);
}
