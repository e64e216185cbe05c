/*
 * Scoring detectors against what the subjects are known to be, with DataRaceBench's
 * definitions: a confusion matrix per detector, and precision, recall, F1 and accuracy from it,
 * and the fraction of runs that gave a verdict at all. Pure arithmetic on judged cells:
 * unit-tested on a hand-made matrix.
 */
#ifndef ESPRESSO_DETECTORS_SCORES_H
#define ESPRESSO_DETECTORS_SCORES_H

#include "detectors.h"

enum outcome {
        OUTCOME_NOT_RUN,    /* the detector was missing, or the column does not apply */
        OUTCOME_NO_VERDICT, /* it ran but gave no verdict (it failed, the run crashed) */
        OUTCOME_TP,         /* a bug, found: a report of its kind at its line (or it hung, for a
                             * deadlock) */
        OUTCOME_FP,         /* a correct subject reported (or made to hang) */
        OUTCOME_TN,         /* a correct subject, clean */
        OUTCOME_FN,         /* a bug missed: nothing, or reports of another kind or elsewhere */
};

/* "not run", "no verdict", "TP", "FP", "TN", "FN" */
const char *outcome_name(enum outcome o);

/* A positive is, by race-check's vocabulary: for a racy subject, a data race report with an
 * access at its bug; for a deadlocking one, a lock-order report at its bug, or a hang. For a
 * correct subject, anything but clean is a false positive. */
enum outcome detector_outcome(enum verdict expect, const struct detector_cell *cell);

struct confusion {
        unsigned tp, fp, tn, fn;
        unsigned no_verdict; /* runs made that gave none */
};

void confusion_add(struct confusion *c, enum outcome o);

/* NAN where the definition divides by zero (no positives to recall, say). */
struct scores {
        double precision;    /* TP / (TP + FP) */
        double recall;       /* TP / (TP + FN) */
        double f1;           /* 2 P R / (P + R) */
        double accuracy;     /* (TP + TN) / (TP + FP + TN + FN) */
        double verdict_rate; /* runs with a verdict / runs made */
};

struct scores scores_of(const struct confusion *c);

#define SCORE_MAX_GROUPS 16
#define SCORE_OVERALL "overall"

/* Every detector's matrix per group of subjects (families, negative controls, the student
 * corpus, programs) and overall, told and not, with the median slowdown and memory ratio. */
struct score_table {
        size_t groups;                        /* the last is SCORE_OVERALL */
        char group[SCORE_MAX_GROUPS][40];
        struct confusion matrix[TELLINGS][DETECTOR_COUNT][SCORE_MAX_GROUPS];
        double median_slowdown[TELLINGS][DETECTOR_COUNT]; /* NAN when no run */
        double median_memory[TELLINGS][DETECTOR_COUNT];
};

void score_table_build(const struct subject_result *results, size_t n, struct score_table *t);

/* The cell is right (TP or TN) only because it was told: the same run not told was wrong. */
bool right_only_when_told(const struct subject_result *r, enum detector d);

#endif
