#include "scores.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *outcome_name(enum outcome o)
{
        static const char *const names[] = { "not run", "no verdict", "TP", "FP", "TN", "FN" };
        return names[o];
}

enum outcome detector_outcome(enum verdict expect, const struct detector_cell *cell)
{
        if (!cell->made)
                return OUTCOME_NOT_RUN;
        if (cell->observed == OBSERVED_ERROR)
                return OUTCOME_NO_VERDICT;
        switch (expect) {
        case VERDICT_CLEAN:
                return cell->observed == OBSERVED_CLEAN ? OUTCOME_TN : OUTCOME_FP;
        case VERDICT_DEADLOCK:
                return cell->observed == OBSERVED_HUNG || cell->at_bug ? OUTCOME_TP : OUTCOME_FN;
        case VERDICT_RACE:
        default:
                return cell->at_bug ? OUTCOME_TP : OUTCOME_FN;
        }
}

void confusion_add(struct confusion *c, enum outcome o)
{
        switch (o) {
        case OUTCOME_TP: c->tp++; break;
        case OUTCOME_FP: c->fp++; break;
        case OUTCOME_TN: c->tn++; break;
        case OUTCOME_FN: c->fn++; break;
        case OUTCOME_NO_VERDICT: c->no_verdict++; break;
        case OUTCOME_NOT_RUN: break;
        }
}

static double ratio(double part, double whole)
{
        return whole > 0 ? part / whole : NAN;
}

struct scores scores_of(const struct confusion *c)
{
        struct scores s;
        double judged = (double)c->tp + c->fp + c->tn + c->fn;

        s.precision = ratio(c->tp, (double)c->tp + c->fp);
        s.recall = ratio(c->tp, (double)c->tp + c->fn);
        /* With no true positive, F1 is 0 if anything was wrong, and undefined if nothing was
         * there to find or to be wrong about. */
        if (c->tp > 0)
                s.f1 = 2 * s.precision * s.recall / (s.precision + s.recall);
        else
                s.f1 = c->fp + c->fn > 0 ? 0 : NAN;
        s.accuracy = ratio((double)c->tp + c->tn, judged);
        s.verdict_rate = ratio(judged, judged + c->no_verdict);
        return s;
}

static size_t group_index(struct score_table *t, const char *group)
{
        for (size_t i = 0; i < t->groups; i++)
                if (strcmp(t->group[i], group) == 0)
                        return i;
        if (t->groups == SCORE_MAX_GROUPS - 1)
                return t->groups - 1; /* full: the last group takes the rest */
        snprintf(t->group[t->groups], sizeof(t->group[0]), "%s", group);
        return t->groups++;
}

static int compare_doubles(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

static double median_of(double *values, size_t n)
{
        if (n == 0)
                return NAN;
        qsort(values, n, sizeof(*values), compare_doubles);
        return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* The median over the subjects of one detector's slowdowns (memory: its memory ratios). */
static double median_ratio(const struct subject_result *results, size_t n, enum telling t,
                           enum detector d, bool memory)
{
        double *values = calloc(n ? n : 1, sizeof(*values));
        size_t k = 0;

        if (!values)
                return NAN;
        for (size_t i = 0; i < n; i++) {
                const struct detector_cell *c = &results[i].cell[t][d];
                double v = memory ? c->memory_ratio : c->slowdown;
                if (c->made && !isnan(v))
                        values[k++] = v;
        }
        double m = median_of(values, k);
        free(values);
        return m;
}

void score_table_build(const struct subject_result *results, size_t n, struct score_table *t)
{
        memset(t, 0, sizeof(*t));
        for (size_t i = 0; i < n; i++)
                group_index(t, results[i].subject.group);
        size_t overall = group_index(t, SCORE_OVERALL);
        for (size_t i = 0; i < n; i++) {
                const struct subject_result *r = &results[i];
                size_t g = group_index(t, r->subject.group);
                for (int tell = 0; tell < TELLINGS; tell++)
                        for (int d = 0; d < DETECTOR_COUNT; d++) {
                                enum outcome o = detector_outcome(r->subject.expect, &r->cell[tell][d]);
                                confusion_add(&t->matrix[tell][d][g], o);
                                confusion_add(&t->matrix[tell][d][overall], o);
                        }
        }
        for (int tell = 0; tell < TELLINGS; tell++)
                for (int d = 0; d < DETECTOR_COUNT; d++) {
                        t->median_slowdown[tell][d] = median_ratio(results, n, tell, d, false);
                        t->median_memory[tell][d] = median_ratio(results, n, tell, d, true);
                }
}

bool right_only_when_told(const struct subject_result *r, enum detector d)
{
        enum outcome told = detector_outcome(r->subject.expect, &r->cell[TOLD][d]);
        enum outcome not_told = detector_outcome(r->subject.expect, &r->cell[NOT_TOLD][d]);
        return (told == OUTCOME_TP || told == OUTCOME_TN) &&
               (not_told == OUTCOME_FP || not_told == OUTCOME_FN);
}
