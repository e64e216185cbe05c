/* race-check's output: a table, or JSON, of what TSan said of each scenario. */
#include "race_check_report.h"

#include "report/report.h"

#include <jansson.h>
#include <string.h>

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
                json_array_append_new(accesses, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
                        "what", r->access[i].what, "where", r->access[i].where,
                        "function", r->access[i].function, "caller", r->access[i].caller,
                        "thread", r->access[i].thread, "mutexes", r->access[i].mutexes));
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
                report_json(out, json_pack("{s:o, s:b, s:b, s:b}", "results", list, "all_match",
                                          matched == n, "suppressions", !mode.without_suppressions,
                                          "annotations", !mode.without_annotations));
                return;
        }
        int w = 8; /* "SCENARIO", or the longest name checked */
        for (size_t i = 0; i < n; i++)
                if ((int)strlen(results[i].scenario->name) > w)
                        w = (int)strlen(results[i].scenario->name);
        fprintf(out, "%-*s %-8s %-8s %-7s %-6s %s\n", w, "SCENARIO", "EXPECT", "OBSERVED", "REPORTS",
                "MATCH", "FIRST REPORT");
        for (size_t i = 0; i < n; i++) {
                const struct race_check_result *r = &results[i];
                if (r->failed) {
                        fprintf(out, "%-*s %-8s %-8s %-7s %-6s %s\n", w, r->scenario->name,
                                verdict_name(r->scenario->expect), "error", "-", "NO", r->why);
                        continue;
                }
                fprintf(out, "%-*s %-8s %-8s %-7u %-6s ", w, r->scenario->name,
                        verdict_name(r->scenario->expect), observed_name(r->shown.observed),
                        r->shown.findings.reports, race_check_matched(r) ? "yes" : "NO");
                report_race_check_finding(out, r->scenario, &r->shown);
                if (r->runs > 1)
                        fprintf(out, "  [%u of %u runs as expected]", r->runs_matched, r->runs);
                fputc('\n', out);
                for (size_t k = 0; k < r->suppressions_used; k++)
                        fprintf(out, "%-*s %-8s %-8s %-7s %-6s suppressed %lu reports: %s\n", w, "", "",
                                "", "", "", r->suppressed[k].count, r->suppressed[k].entry);
        }
        if (mode.without_suppressions)
                fprintf(out, "(run without tsan-suppressions)\n");
        if (mode.without_annotations)
                fprintf(out, "(run with the TSan annotations switched off)\n");
        fprintf(out, "%zu of %zu scenarios as expected under ThreadSanitizer\n", matched, n);
}
