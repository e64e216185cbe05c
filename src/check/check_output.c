/* check's output (check_output.h). */
#include "check_output.h"

#include "report/report.h"
#include "report/text.h"

#include <jansson.h>
#include <string.h>

#define NAME_COLUMN 2
#define VERDICT_COLUMN 22
#define EVIDENCE_COLUMN 29
#define ACCESS_INDENT 6

static const char *display_verdict(enum check_verdict v)
{
        static const char *const shown[] = { "PASSED", "FAILED", "DOES NOT COMPILE", "ERROR" };
        return shown[v];
}

/* Prints at most `width` columns of text, cut with "..." when longer. */
static void print_cut(FILE *out, const char *text, unsigned width)
{
        if (strlen(text) <= width)
                fprintf(out, "%s\n", text);
        else
                fprintf(out, "%.*s...\n", (int)width - 3, text);
}

/* The race's two accesses, as lines of the student's file (or TSan's file:line elsewhere),
 * each with the code on that line. */
static void print_accesses(FILE *out, const struct check_result *r, unsigned width)
{
        const struct check_evidence *e = &r->evidence;
        const char *slash = strrchr(r->file, '/');
        const char *name = slash ? slash + 1 : r->file;
        char text[640];

        for (unsigned i = 0; i < e->accesses; i++) {
                const struct check_access *a = &e->access[i];
                if (a->line)
                        snprintf(text, sizeof(text), "%*s%s:%u  %s  %s, %s%s", ACCESS_INDENT, "", name,
                                 a->line, a->thread, a->what, a->mutexes[0] ? "holding " : "no lock held",
                                 a->mutexes);
                else
                        snprintf(text, sizeof(text), "%*s%s  %s  %s, %s%s", ACCESS_INDENT, "", a->where,
                                 a->thread, a->what, a->mutexes[0] ? "holding " : "no lock held", a->mutexes);
                print_cut(out, text, width);
                if (a->code[0]) {
                        snprintf(text, sizeof(text), "%*s%s", ACCESS_INDENT + 4, "", a->code);
                        print_cut(out, text, width);
                }
        }
}

void check_print_table(FILE *out, const struct check_result *r, unsigned width)
{
        if (r->verdict == CHECK_DOES_NOT_COMPILE)
                fputs(r->compiler_output, out);
        fprintf(out, "%s: %s", r->file, display_verdict(r->verdict));
        if (r->scenario_count)
                fprintf(out, "  (scenario %s%s, %.1f s)", r->scenarios[0],
                        r->scenario_count > 1 ? " and more" : "", r->seconds);
        fputc('\n', out);
        if (r->verdict == CHECK_ERROR) {
                fprintf(out, "  %s\n", r->why);
                return;
        }
        for (unsigned i = 0; i < r->items; i++) {
                const struct check_item *it = &r->item[i];
                fprintf(out, "%*s%-*s%-*s", NAME_COLUMN, "", VERDICT_COLUMN - NAME_COLUMN, it->name,
                        EVIDENCE_COLUMN - VERDICT_COLUMN, it->passed ? "PASS" : "FAIL");
                text_wrap(out, it->evidence, EVIDENCE_COLUMN, width);
                if (!it->passed && strcmp(it->name, "ThreadSanitizer") == 0)
                        print_accesses(out, r, width);
        }
        for (unsigned i = 0; i < r->hints; i++) {
                char text[480];
                snprintf(text, sizeof(text), "%s [%s]: %s", i == 0 ? "hint" : "also", r->hint[i].id,
                         r->hint[i].text);
                text_paragraph(out, text, NAME_COLUMN, width);
        }
        if (r->exercise && r->verdict == CHECK_PASSED)
                fprintf(out, "  Well done. Compare yours: espresso-lab explain %s\n", r->exercise->reference);
        else if (r->exercise && r->verdict == CHECK_FAILED)
                fprintf(out, "  Stuck? espresso-lab exercise hint %s\n", r->exercise->name);
}

void check_print_totals(FILE *out, const struct check_result *results, size_t n)
{
        size_t count[4] = { 0, 0, 0, 0 };
        for (size_t i = 0; i < n; i++)
                count[results[i].verdict]++;
        fprintf(out, "%zu files: %zu passed, %zu failed", n, count[CHECK_PASSED], count[CHECK_FAILED]);
        if (count[CHECK_DOES_NOT_COMPILE])
                fprintf(out, ", %zu do not compile", count[CHECK_DOES_NOT_COMPILE]);
        if (count[CHECK_ERROR])
                fprintf(out, ", %zu could not be checked", count[CHECK_ERROR]);
        fputc('\n', out);
}

static json_t *json_race(const struct check_result *r)
{
        const struct check_evidence *e = &r->evidence;
        if (!e->accesses && !e->kind[0])
                return json_null();
        json_t *accesses = json_array();
        for (unsigned i = 0; i < e->accesses; i++) {
                const struct check_access *a = &e->access[i];
                json_array_append_new(accesses, json_pack("{s:s, s:s, s:s, s:o, s:o, s:s}",
                        "what", a->what, "thread", a->thread, "mutexes", a->mutexes,
                        "line", a->line ? json_integer(a->line) : json_null(),
                        "code", a->line ? json_string(a->code) : json_null(), "where", a->where));
        }
        return json_pack("{s:s, s:s, s:o}", "kind", e->kind, "variable", e->variable,
                         "accesses", accesses);
}

static json_t *json_result(const struct check_result *r)
{
        json_t *checks = json_array(), *hints = json_array(), *scenarios = json_array();
        for (unsigned i = 0; i < r->items; i++)
                json_array_append_new(checks, json_pack("{s:s, s:b, s:s, s:f}", "name", r->item[i].name,
                        "passed", r->item[i].passed, "evidence", r->item[i].evidence,
                        "seconds", r->item[i].seconds));
        for (unsigned i = 0; i < r->hints; i++)
                json_array_append_new(hints, json_pack("{s:s, s:s}", "id", r->hint[i].id,
                                                       "text", r->hint[i].text));
        for (unsigned i = 0; i < r->scenario_count; i++)
                json_array_append_new(scenarios, json_string(r->scenarios[i]));
        return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:s?, s:s?}",
                "file", r->file, "verdict", check_verdict_name(r->verdict),
                "exercise", r->exercise ? json_string(r->exercise->name) : json_null(),
                "scenarios", scenarios, "checks", checks, "race", json_race(r), "hints", hints,
                "compiler_output", r->verdict == CHECK_DOES_NOT_COMPILE ? json_string(r->compiler_output)
                                                                         : json_null(),
                "error", r->verdict == CHECK_ERROR ? json_string(r->why) : json_null(),
                "seconds", r->seconds,
                "explored", r->evidence.explored[0] ? r->evidence.explored : NULL,
                "schedule", r->evidence.schedule[0] ? r->evidence.schedule : NULL);
}

void check_print_json(FILE *out, const struct check_result *results, size_t n, const char *sandbox,
                      double worst_case_seconds)
{
        json_t *files = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(files, json_result(&results[i]));
        report_json(out, json_pack("{s:o, s:s, s:f}", "files", files, "sandbox", sandbox,
                                   "worst_case_seconds", worst_case_seconds));
}

void check_print_csv(FILE *out, const struct check_result *results, size_t n)
{
        fputs("file,verdict,exercise,scenarios,checks_passed,checks,failed_checks,first_hint,seconds\n", out);
        for (size_t i = 0; i < n; i++) {
                const struct check_result *r = &results[i];
                char failed[512] = "", scenarios[300] = "";
                unsigned passed = 0;
                for (unsigned j = 0; j < r->items; j++) {
                        passed += r->item[j].passed;
                        if (!r->item[j].passed)
                                snprintf(failed + strlen(failed), sizeof(failed) - strlen(failed), "%s%s",
                                         failed[0] ? "; " : "", r->item[j].name);
                }
                for (unsigned j = 0; j < r->scenario_count; j++)
                        snprintf(scenarios + strlen(scenarios), sizeof(scenarios) - strlen(scenarios),
                                 "%s%s", j ? " " : "", r->scenarios[j]);
                text_csv_cell(out, r->file);
                fprintf(out, ",%s,", check_verdict_name(r->verdict));
                text_csv_cell(out, r->exercise ? r->exercise->name : "");
                fputc(',', out);
                text_csv_cell(out, scenarios);
                fprintf(out, ",%u,%u,", passed, r->items);
                text_csv_cell(out, failed);
                fputc(',', out);
                text_csv_cell(out, r->hints ? r->hint[0].id : "");
                fprintf(out, ",%.1f\n", r->seconds);
        }
}
