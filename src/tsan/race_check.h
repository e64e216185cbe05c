/* race-check: run scenarios under espresso-lab-tsan and compare what TSan says with what each
 * scenario expects. */
#ifndef ESPRESSO_RACE_CHECK_H
#define ESPRESSO_RACE_CHECK_H

#include "kit/scenario.h"
#include "tsan_report.h"
#include "verdict.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

/* The run each check makes. Small, because TSan finds a race by happens-before, not by luck,
 * and every access is 5-15 times slower under it. Two baristas, one per core of a lab machine:
 * with more baristas than cores the fair spinlocks collapse (a waiter's turn comes while it is
 * preempted), and a counted run under TSan would take minutes instead of a tenth of a second.
 * A scenario with a helper thread (an operator, a manager) gets one barista less, for the same
 * reason. Counted rather than timed, so that every barista surely reaches what a scenario does
 * on its first orders.
 *
 * And few enough that no thread passes 16,384 synchronizations (a lock taken, an annotation):
 * clang 14's TSan counts them in a 14-bit epoch per thread and, when one overflows, starts its
 * history afresh. menu-rcu-early-free, whose race comes only with a free every 10 ms, was seen
 * reported in 8 runs of 20 at 100,000 orders of two annotations each, and in 20 of 20 at 8,000. */
#define RACE_CHECK_BARISTAS 2
#define RACE_CHECK_ORDERS 12000      /* 6,000 a barista, a lock and an unlock each */
#define RACE_CHECK_HELPER_ORDERS 5000 /* one barista beside the helper, up to two annotations each */
/* Bounds on each TSan run. The run itself: cut short after RACE_CHECK_MAX_SECONDS, and ended by
 * its watchdog when no barista has served a drink for RACE_CHECK_STALL_SECONDS (times TSan's
 * slowdown: run.h). Those runs are tiny and have no busy work, so half a second without a single
 * drink is already a hang; only a report being printed (symbolized) pauses a healthy run for
 * that long. Should the run not end anyway, it is killed at RACE_CHECK_KILL_SECONDS. */
#define RACE_CHECK_MAX_SECONDS 60
#define RACE_CHECK_STALL_SECONDS 0.5
#define RACE_CHECK_KILL_SECONDS 120

/* The run a check makes of scenario s, so that the same work can be timed natively. */
struct run_config race_check_run_config(const struct scenario *s);
/* The same, for a scenario known by what its lab lists of it (a scenario file's). */
struct run_config race_check_config_for(bool has_helper, uint64_t default_orders);

/* What a race detector exits with when it reported something (TSan's exitcode=, Valgrind's
 * --error-exitcode=): not one of the lab's own exit statuses. */
#define RACE_CHECK_TOOL_EXIT_CODE 66

/* `binary run NAME --baristas B --orders K --stall-seconds S --max-seconds M --format json`, the
 * run race_check_run_config() describes, with its numbers kept in here. */
struct race_check_arguments {
        char baristas[16], orders[24], stall[32], bound[32];
        char *argv[14];
};
void race_check_run_arguments(const char *binary, const char *name, struct run_config config,
                              struct race_check_arguments *arguments);

/* One TSan run, as judged. */
struct race_check_run {
        enum observed observed;
        struct tsan_findings findings;
        bool invariants_held;       /* as the run's own JSON said; true when it printed none */
        char broken_invariant[192];
        bool killed;                /* hung, and killed at the bound: its watchdog did not end it */
        bool stalled;               /* its JSON says its watchdog ended it ("ended": "stalled") */
        char hung_because[256];     /* hung: the watchdog's diagnosis, in one line */
        double seconds;             /* the run's length under TSan, from its JSON; NAN */
};

/* How to run TSan: what a lecturer switches off to show why it is there. */
struct race_check_mode {
        bool without_suppressions; /* TSan without the project's tsan-suppressions */
        bool without_annotations;  /* ESPRESSO_TSAN_ANNOTATIONS=off: no src/kit/variant.h */
};

/* A run as yet unjudged: no seconds, invariants held. */
void race_check_run_reset(struct race_check_run *run);

/* What the child's own JSON said (its --format json on stdout): its length, its invariants, why
 * it stalled. */
void race_check_read_child_json(FILE *stdout_copy, struct race_check_run *run);

/* Judges a child that ended by itself, from its exit status and the findings already parsed
 * into run (name: the scenario's or program's; tool: "TSan", "Helgrind"...): 0 and run->observed
 * set (hung, when its watchdog ended it), or -1 with why (the tool failed, the child died of a
 * signal or exited with something else). */
int race_check_judge_exit(const char *name, const char *tool, int status, const char *text,
                          struct race_check_run *run, char *why, size_t why_size);

/* A child killed at the bound of kill_seconds: hung. */
void race_check_judge_hung(struct race_check_run *run, double kill_seconds);

/* Names the field of espresso_machine at offset ("espresso_machine.shots"), NULL for other
 * symbols: how reports name what raced (a tsan_field_namer). */
const char *name_machine_field(const char *symbol, unsigned long offset);

/* One race-check run of s under the TSan build `binary` (tool: how to name it, "TSan"), with
 * race-check's suppressions unless mode says otherwise. 0 and *run judged (a hung run included),
 * or -1 with why ("interrupted" when SIGINT or SIGTERM was caught). */
int race_check_tsan_run(const char *binary, const char *tool, const struct scenario *s,
                        struct race_check_mode mode, struct race_check_run *run, char *why,
                        size_t why_size);

/* Whether a run is what scenario s expects: the observation satisfies the expectation, and a
 * scenario that claims to be correct kept its invariants under TSan too. */
bool race_check_run_matches(const struct scenario *s, const struct race_check_run *run);

struct race_check_result {
        const struct scenario *scenario;
        uint32_t runs;                 /* TSan runs made */
        uint32_t runs_matched;         /* of which observed what the scenario expects */
        struct race_check_run shown;   /* the first mismatching run, else the first run */
        /* Suppression entries that matched, summed over all runs. */
        size_t suppressions_used;
        struct tsan_suppression_use suppressed[TSAN_MAX_SUPPRESSIONS];
        double tsan_seconds;           /* the first run's length under TSan; NAN */
        bool failed;                   /* a run could not be made: see why */
        char why[256];
};

static inline bool race_check_matched(const struct race_check_result *r)
{
        return !r->failed && r->runs_matched == r->runs;
}

/* The verdict to show: the shown run's, or error. */
static inline enum observed race_check_observed(const struct race_check_result *r)
{
        return r->failed ? OBSERVED_ERROR : r->shown.observed;
}

/* Finds the running binary's ThreadSanitizer twin (its name with -tsan, beside it) and
 * tsan-suppressions (beside it, or where an installed lab keeps it: race_check.c). 0, or -ENOENT
 * with a message for the user in why. */
int race_check_locate(char *why, size_t why_size);


/* Runs scenario s `runs` times under TSan. Never fails as a call: trouble is in result->failed.
 * Stops early, with result->failed, when SIGINT or SIGTERM was caught (interrupt.h): the child
 * is killed, as every child is before this returns. */
void race_check_scenario(const struct scenario *s, uint32_t runs, struct race_check_mode mode,
                         struct race_check_result *result);

#endif
