/* detectors' results as a table (for a projector), CSV (one row per run) and JSON (README
 * "detectors: JSON"). */
#include "detectors_output.h"

#include "report/report.h"
#include "report/text.h"
#include "tsan/race_check.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#define CELL_WIDTH 19

static const char *const telling_names[TELLINGS] = { "told", "not told" };

/* "race TP x12", "clean TN x4.1", "missing", "error": what fits a column. */
static void cell_text(const struct subject_result *r, enum telling t, enum detector d, char *out,
                      size_t size)
{
        const struct detector_cell *c = &r->cell[t][d];
        enum outcome o = detector_outcome(r->subject.expect, c);

        if (!c->made) {
                snprintf(out, size, "%s", c->why[0] ? "missing" : "-");
                return;
        }
        if (c->observed == OBSERVED_ERROR) {
                snprintf(out, size, "error");
                return;
        }
        const char *verdict = c->observed == OBSERVED_LOCK_ORDER ? "lock-order"
                              : c->observed == OBSERVED_MUTEX_MISUSE ? "misuse"
                                                                    : observed_name(c->observed);
        if (isnan(c->slowdown))
                snprintf(out, size, "%s %s", verdict, outcome_name(o));
        else
                snprintf(out, size, "%s %s x%.*f", verdict, outcome_name(o), c->slowdown < 10 ? 1 : 0,
                         c->slowdown);
}

static void print_subject_rows(FILE *out, const struct subject_result *r, int tellings)
{
        char text[64];

        for (int t = 0; t < tellings; t++) {
                if (t == TOLD)
                        fprintf(out, "%-26.26s %-9s", r->subject.name, verdict_name(r->subject.expect));
                else
                        fprintf(out, "  %-24s %-9s", "not told", "");
                for (int d = 0; d < DETECTOR_COUNT; d++) {
                        cell_text(r, t, d, text, sizeof(text));
                        fprintf(out, " %-*s", CELL_WIDTH, text);
                }
                fputc('\n', out);
        }
}

static void print_score_row(FILE *out, const char *label, const struct confusion *c,
                            double slowdown, double memory)
{
        struct scores s = scores_of(c);
        char p[16], r[16], f1[16], a[16], v[16], sl[16], m[16];

#define FRACTION(buf, x) snprintf(buf, sizeof(buf), isnan(x) ? "-" : "%.2f", x)
        FRACTION(p, s.precision);
        FRACTION(r, s.recall);
        FRACTION(f1, s.f1);
        FRACTION(a, s.accuracy);
        FRACTION(v, s.verdict_rate);
#undef FRACTION
        snprintf(sl, sizeof(sl), isnan(slowdown) ? "-" : "x%.1f", slowdown);
        snprintf(m, sizeof(m), isnan(memory) ? "-" : "x%.1f", memory);
        fprintf(out, "%-22s %3u %3u %3u %3u %4u  %9s %6s %5s %8s %8s %8s %6s\n", label, c->tp, c->fp,
                c->tn, c->fn, c->no_verdict, p, r, f1, a, v, sl, m);
}

void detectors_print_table(FILE *out, const struct subject_result *results, size_t n,
                           const struct detector_tools *tools, bool both_tellings, bool partial)
{
        struct score_table *t = calloc(1, sizeof(*t));
        int tellings = both_tellings ? TELLINGS : 1;

        if (!t)
                return;
        score_table_build(results, n, t);
        fprintf(out, "Which detector finds it: each run is race-check's (2 threads, counted, bounded);\n"
                     "xN = wall time over the native run's; told = with the lab's annotations.%s\n\n",
                partial ? " PARTIAL: interrupted." : "");
        fprintf(out, "%-26s %-9s", "subject", "expect");
        for (int d = 0; d < DETECTOR_COUNT; d++)
                fprintf(out, " %-*s", CELL_WIDTH, detector_title(d));
        fputc('\n', out);
        for (size_t i = 0; i < n; i++)
                print_subject_rows(out, &results[i], results[i].subject.kind == SUBJECT_PROGRAM ? 1 : tellings);
        for (int tell = 0; tell < tellings; tell++) {
                fprintf(out, "\nScores, %s%-13s TP  FP  TN  FN none  precision recall    F1 accuracy verdicts slowdown memory\n",
                        telling_names[tell], tell == TOLD ? "" : "    ");
                for (int d = 0; d < DETECTOR_COUNT; d++)
                        print_score_row(out, detector_title(d), &t->matrix[tell][d][t->groups - 1],
                                        t->median_slowdown[tell][d], t->median_memory[tell][d]);
        }
        if (t->groups > 2) {
                fprintf(out, "\nBy group, told           TP  FP  TN  FN none  precision recall    F1 accuracy verdicts\n");
                for (size_t g = 0; g + 1 < t->groups; g++)
                        for (int d = 0; d < DETECTOR_COUNT; d++) {
                                char label[64];
                                snprintf(label, sizeof(label), "%.12s %s", t->group[g], detector_title(d));
                                print_score_row(out, label, &t->matrix[TOLD][d][g], NAN, NAN);
                        }
        }
        bool any = false;
        for (size_t i = 0; i < n && both_tellings; i++)
                for (int d = 0; d < DETECTOR_COUNT; d++)
                        if (right_only_when_told(&results[i], d)) {
                                fprintf(out, "%s%s: %s", any ? ", " : "\nRight only when told: ",
                                        results[i].subject.name, detector_title(d));
                                any = true;
                        }
        if (any)
                fputc('\n', out);
        any = false;
        for (int d = 0; d < DETECTOR_COUNT; d++)
                if (tools->missing[d][0]) {
                        fprintf(out, "%s%s missing: %s\n", any ? "" : "\n", detector_title(d), tools->missing[d]);
                        any = true;
                }
        free(t);
}

static void csv_number(FILE *out, double x, const char *format)
{
        fputc(',', out);
        if (!isnan(x))
                fprintf(out, format, x);
}

void detectors_print_csv(FILE *out, const struct subject_result *results, size_t n)
{
        fprintf(out, "subject,kind,group,expect,detector,told,verdict,outcome,reports,first_kind,"
                     "first_where,at_bug,seconds,native_seconds,slowdown,peak_mib,native_peak_mib,"
                     "memory_ratio,why\n");
        static const char *const kinds[] = { "scenario", "file", "program" };
        for (size_t i = 0; i < n; i++) {
                const struct subject_result *r = &results[i];
                for (int t = 0; t < TELLINGS; t++)
                        for (int d = 0; d < DETECTOR_COUNT; d++) {
                                const struct detector_cell *c = &r->cell[t][d];
                                if (!c->made && !c->why[0])
                                        continue; /* the column does not apply */
                                text_csv_cell(out, r->subject.name);
                                fprintf(out, ",%s,", kinds[r->subject.kind]);
                                text_csv_cell(out, r->subject.group);
                                fprintf(out, ",%s,%s,%s,%s,%s,%u,", verdict_name(r->subject.expect),
                                        detector_name(d), t == TOLD ? "yes" : "no",
                                        c->made ? observed_name(c->observed) : "missing",
                                        outcome_name(detector_outcome(r->subject.expect, c)), c->reports);
                                text_csv_cell(out, c->first_kind);
                                fputc(',', out);
                                text_csv_cell(out, c->first_where);
                                fprintf(out, ",%s", c->at_bug ? "yes" : "no");
                                csv_number(out, c->seconds, "%.3f");
                                csv_number(out, r->native_seconds, "%.3f");
                                csv_number(out, c->slowdown, "%.2f");
                                csv_number(out, c->peak_mib, "%.1f");
                                csv_number(out, r->native_peak_mib, "%.1f");
                                csv_number(out, c->memory_ratio, "%.2f");
                                fputc(',', out);
                                text_csv_cell(out, c->why);
                                fputc('\n', out);
                        }
        }
}

static json_t *number_or_null(double x)
{
        return isnan(x) ? json_null() : json_real(x);
}

static json_t *json_cell(const struct subject_result *r, enum telling t, enum detector d)
{
        const struct detector_cell *c = &r->cell[t][d];
        return json_pack("{s:s, s:b, s:b, s:s?, s:s, s:i, s:s?, s:s?, s:b, s:o, s:o, s:o, s:o, s:s?}",
                         "detector", detector_name(d), "told", t == TOLD, "made", c->made,
                         "verdict", c->made ? observed_name(c->observed) : NULL,
                         "outcome", outcome_name(detector_outcome(r->subject.expect, c)),
                         "reports", (json_int_t)c->reports,
                         "first_kind", c->first_kind[0] ? c->first_kind : NULL,
                         "first_where", c->first_where[0] ? c->first_where : NULL,
                         "at_bug", c->at_bug, "seconds", number_or_null(c->seconds),
                         "peak_mib", number_or_null(c->peak_mib), "slowdown", number_or_null(c->slowdown),
                         "memory_ratio", number_or_null(c->memory_ratio),
                         "why", c->why[0] ? c->why : NULL);
}

static json_t *json_subject(const struct subject_result *r)
{
        static const char *const kinds[] = { "scenario", "file", "program" };
        json_t *lines = json_array(), *cells = json_array(), *right = json_array();

        for (unsigned i = 0; i < r->subject.bug_line_count; i++)
                json_array_append_new(lines, json_integer(r->subject.bug_lines[i]));
        for (int t = 0; t < TELLINGS; t++)
                for (int d = 0; d < DETECTOR_COUNT; d++)
                        if (r->cell[t][d].made || r->cell[t][d].why[0])
                                json_array_append_new(cells, json_cell(r, t, d));
        for (int d = 0; d < DETECTOR_COUNT; d++)
                if (right_only_when_told(r, d))
                        json_array_append_new(right, json_string(detector_name(d)));
        return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o, s:{s:o, s:o, s:s?}, s:o, s:o}",
                         "name", r->subject.name, "kind", kinds[r->subject.kind],
                         "group", r->subject.group, "expect", verdict_name(r->subject.expect),
                         "source", r->subject.source[0] ? r->subject.source : NULL, "bug_lines", lines,
                         "native", "seconds", number_or_null(r->native_seconds),
                         "peak_mib", number_or_null(r->native_peak_mib),
                         "why", r->native_why[0] ? r->native_why : NULL,
                         "cells", cells, "right_only_when_told", right);
}

static json_t *json_scores(const struct score_table *t)
{
        json_t *scores = json_array();

        for (int tell = 0; tell < TELLINGS; tell++)
                for (int d = 0; d < DETECTOR_COUNT; d++)
                        for (size_t g = 0; g < t->groups; g++) {
                                const struct confusion *c = &t->matrix[tell][d][g];
                                if (c->tp + c->fp + c->tn + c->fn + c->no_verdict == 0)
                                        continue;
                                struct scores s = scores_of(c);
                                json_array_append_new(scores, json_pack(
                                        "{s:s, s:b, s:s, s:i, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:o}",
                                        "detector", detector_name(d), "told", tell == TOLD,
                                        "group", t->group[g], "tp", (json_int_t)c->tp,
                                        "fp", (json_int_t)c->fp, "tn", (json_int_t)c->tn,
                                        "fn", (json_int_t)c->fn, "no_verdict", (json_int_t)c->no_verdict,
                                        "precision", number_or_null(s.precision),
                                        "recall", number_or_null(s.recall), "f1", number_or_null(s.f1),
                                        "accuracy", number_or_null(s.accuracy),
                                        "verdict_rate", number_or_null(s.verdict_rate)));
                        }
        return scores;
}

void detectors_print_json(FILE *out, const struct subject_result *results, size_t n,
                          const struct detector_tools *tools, bool partial)
{
        struct score_table *t = calloc(1, sizeof(*t));
        json_t *detectors = json_array(), *subjects = json_array(), *medians = json_array();

        if (!t)
                return;
        score_table_build(results, n, t);
        for (int d = 0; d < DETECTOR_COUNT; d++) {
                json_array_append_new(detectors, json_pack("{s:s, s:s, s:b, s:s?}", "name",
                                                           detector_name(d), "title", detector_title(d),
                                                           "available", !tools->missing[d][0], "missing",
                                                           tools->missing[d][0] ? tools->missing[d] : NULL));
                for (int tell = 0; tell < TELLINGS; tell++)
                        json_array_append_new(medians, json_pack("{s:s, s:b, s:o, s:o}", "detector",
                                                                 detector_name(d), "told", tell == TOLD,
                                                                 "slowdown", number_or_null(t->median_slowdown[tell][d]),
                                                                 "memory_ratio", number_or_null(t->median_memory[tell][d])));
        }
        for (size_t i = 0; i < n; i++)
                json_array_append_new(subjects, json_subject(&results[i]));
        report_json(out, json_pack("{s:s, s:b, s:{s:i, s:i, s:f}, s:o, s:o, s:o, s:o}",
                                   "schema", "espresso-lab detectors 1", "partial", partial, "run",
                                   "threads", (json_int_t)RACE_CHECK_BARISTAS,
                                   "orders", (json_int_t)RACE_CHECK_ORDERS,
                                   "kill_seconds", DETECTORS_KILL_SECONDS, "detectors", detectors,
                                   "subjects", subjects, "scores", json_scores(t),
                                   "medians", medians));
        free(t);
}
