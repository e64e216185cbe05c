/* race-check: run scenarios under espresso-lab-tsan and compare what TSan says with what each
 * scenario expects. */
#ifndef ESPRESSO_RACE_CHECK_H
#define ESPRESSO_RACE_CHECK_H

#include "scenario.h"
#include "tsan_report.h"

#include <stdbool.h>
#include <stdint.h>

/* The run each check makes. Small, because TSan finds a race by happens-before, not by luck,
 * and every access is 5-15 times slower under it. Two baristas, one per core of a lab machine:
 * with more baristas than cores the fair spinlocks collapse (a waiter's turn comes while it is
 * preempted), and a counted run under TSan would take minutes instead of a tenth of a second.
 * A scenario with a helper thread (an operator, a manager) gets one barista less, for the same
 * reason. Counted rather than timed, so that forgetful always reaches its forgotten orders. */
#define RACE_CHECK_BARISTAS 2
#define RACE_CHECK_ORDERS 20000
#define RACE_CHECK_TIMEOUT_SECONDS 120

/* The run a check makes of scenario s, so that the same work can be timed natively. */
struct run_config race_check_run_config(const struct scenario *s);

struct race_check_result {
        const struct scenario *scenario;
        uint32_t runs;                 /* TSan runs made */
        uint32_t runs_matched;         /* of which observed what the scenario expects */
        enum verdict observed;         /* the first mismatching run's verdict, else the common one */
        struct tsan_findings findings; /* of that run */
        /* Suppression entries that matched, summed over all runs. */
        size_t suppressions_used;
        struct tsan_suppression_use suppressed[TSAN_MAX_SUPPRESSIONS];
        double tsan_seconds;           /* the first run's length under TSan, from its JSON; NAN */
        bool failed;                   /* a run could not be made or judged: see why */
        char why[256];
};

static inline bool race_check_matched(const struct race_check_result *r)
{
        return !r->failed && r->runs_matched == r->runs;
}

/* Finds espresso-lab-tsan and tsan-suppressions beside the running binary. 0, or -ENOENT with
 * a message for the user in why. */
int race_check_locate(char *why, size_t why_size);

/* How to run TSan: what a lecturer switches off to show why it is there. */
struct race_check_mode {
        bool without_suppressions; /* TSan without the project's tsan-suppressions */
        bool without_annotations;  /* ESPRESSO_TSAN_ANNOTATIONS=off: no src/tsan_annotate.h */
};

/* Runs scenario s `runs` times under TSan. Never fails as a call: trouble is in result->failed. */
void race_check_scenario(const struct scenario *s, uint32_t runs, struct race_check_mode mode,
                         struct race_check_result *result);

#endif
