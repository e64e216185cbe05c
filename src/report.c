#include "report.h"

#include "die.h"
#include "run_fields.h"

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

/* A run as JSON, from the one field table: "wait_ns.p50" nests as wait_ns: {p50}. */
static json_t *json_run(const struct run_result *r)
{
        json_t *o = json_object();

        for (size_t i = 0; i < run_field_count; i++) {
                const struct run_field *f = &run_fields[i];
                struct field_value v = f->value(r);
                json_t *value;
                if (v.kind != FIELD_NULL && f->json)
                        value = f->json(r);
                else if (v.kind == FIELD_WHOLE)
                        value = json_integer((json_int_t)v.whole);
                else if (v.kind == FIELD_REAL)
                        value = json_real(v.real);
                else if (v.kind == FIELD_YES_NO)
                        value = json_boolean(v.yes);
                else if (v.kind == FIELD_TEXT)
                        value = json_string(v.text);
                else
                        value = json_null();
                const char *dot = strchr(f->name, '.');
                if (!dot) {
                        json_object_set_new(o, f->name, value);
                        continue;
                }
                char group[64];
                snprintf(group, sizeof(group), "%.*s", (int)(dot - f->name), f->name);
                json_t *parent = json_object_get(o, group);
                if (!parent) {
                        parent = json_object();
                        json_object_set_new(o, group, parent);
                }
                json_object_set_new(parent, dot + 1, value);
        }
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
                        json_t *twins = json_array();
                        for (size_t k = 0; k < SCENARIO_MAX_TWINS && s->twins[k]; k++)
                                json_array_append_new(twins, json_string(s->twins[k]));
                        json_array_append_new(list, json_pack(
                                "{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:b, s:b, s:b, s:i, s:b, s:b}",
                                "name", s->name, "family", s->family,
                                "expect", verdict_name(s->expect), "summary", s->summary,
                                "lesson", s->lesson, "twins", twins,
                                "uses_machine", !s->without_machine,
                                "helper_serves_orders", s->helper_serves_orders,
                                "has_helper", s->helper != NULL, "one_worker", s->one_worker,
                                "fair", s->fair, "group_heads", (int)(s->group_heads ? s->group_heads : 1),
                                "uses_freed_memory", s->uses_freed_memory,
                                "shot_is_the_critical_section", s->shot_is_the_critical_section));
                }
                json_print(out, json_pack("{s:o}", "scenarios", list));
                return;
        }
        int w = 8; /* "SCENARIO", or the longest name */
        for (size_t i = 0; i < n; i++)
                if ((int)strlen(scenario_at(i)->name) > w)
                        w = (int)strlen(scenario_at(i)->name);
        fprintf(out, "%-*s %-8s %-8s %s\n", w, "SCENARIO", "FAMILY", "TSAN", "SUMMARY");
        for (size_t i = 0; i < n; i++) {
                const struct scenario *s = scenario_at(i);
                fprintf(out, "%-*s %-8s %-8s %s\n", w, s->name, s->family, verdict_name(s->expect),
                        s->summary);
        }
}

/* ---- run ----------------------------------------------------------------------------------- */

/* Fields whose name shares the part before the dot with the next one make one table line. */
static bool same_group(const char *a, const char *b)
{
        const char *dot = strchr(a, '.');
        return dot && strncmp(a, b, (size_t)(dot - a) + 1) == 0;
}

/* The table: a line for every field that has a value (those that do not apply are left out),
 * the parts of one measurement (p50, p99, max) on one line. */
static void report_run_table(FILE *out, const struct run_result *r)
{
        const struct scenario *s = r->scenario;

        fprintf(out, "%s — %s%s\n", s->name, s->summary, r->config.slow_motion ? "  [slow motion]" : "");
        for (size_t i = 1; i < run_field_count; i++) { /* 0 is the scenario: the heading */
                const struct run_field *first = &run_fields[i];
                size_t end = i + 1;
                while (end < run_field_count && same_group(first->name, run_fields[end].name))
                        end++;
                char line[1200] = "", value[1024];
                size_t used = 0;
                for (size_t k = i; k < end; k++) {
                        struct field_value v = run_fields[k].value(r);
                        if (v.kind == FIELD_NULL)
                                continue;
                        field_value_text(&run_fields[k], v, value, sizeof(value));
                        const char *dot = strchr(run_fields[k].name, '.');
                        used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s%s%s",
                                                 used ? "   " : "", dot ? dot + 1 : "", dot ? " " : "",
                                                 value);
                        if (used >= sizeof(line))
                                break;
                }
                if (used) {
                        const char *dot = strchr(first->name, '.');
                        int name_len = dot ? (int)(dot - first->name) : (int)strlen(first->name);
                        fprintf(out, "  %-24.*s %s", name_len, first->name, line);
                        if (first->note)
                                fprintf(out, "  (%s)", first->note);
                        fputc('\n', out);
                }
                i = end - 1;
        }
}

/* A CSV cell: empty for null, so spreadsheets do not average in a 0; quoted when it holds a
 * comma, a quote or a line break. */
static void csv_cell(FILE *out, const struct run_field *f, struct field_value v)
{
        char value[1024];

        if (v.kind == FIELD_YES_NO) {
                fputs(v.yes ? "true" : "false", out);
                return;
        }
        field_value_text(f, v, value, sizeof(value));
        if (!strpbrk(value, ",\"\n\r")) {
                fputs(value, out);
                return;
        }
        fputc('"', out);
        for (const char *c = value; *c; c++) {
                if (*c == '"')
                        fputc('"', out);
                fputc(*c, out);
        }
        fputc('"', out);
}

static void report_run_csv(FILE *out, const struct run_result *r)
{
        for (size_t i = 0; i < run_field_count; i++) {
                if (i)
                        fputc(',', out);
                for (const char *c = run_fields[i].name; *c; c++)
                        fputc(*c == '.' ? '_' : *c, out);
        }
        fputc('\n', out);
        for (size_t i = 0; i < run_field_count; i++) {
                if (i)
                        fputc(',', out);
                csv_cell(out, &run_fields[i], run_fields[i].value(r));
        }
        fputc('\n', out);
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
