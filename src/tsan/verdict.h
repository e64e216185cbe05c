/*
 * What a race detector observed in a run, and which expectation it satisfies: the one vocabulary
 * of race-check (and of every tool built on runs). A scenario expects one of three things
 * (enum verdict: clean, race, deadlock); a run can show more. The table in verdict.c says which
 * observation satisfies which expectation, and the README repeats it.
 */
#ifndef ESPRESSO_VERDICT_H
#define ESPRESSO_VERDICT_H

#include "kit/scenario.h"

#include <stdbool.h>

/* In order of precedence: a run's verdict is the first of these that it showed. */
enum observed {
        OBSERVED_ERROR,          /* the run could not be made or judged */
        OBSERVED_HUNG,           /* the run never ended: the watchdog or race-check's bound
                                  * stopped it (a deadlock, a spin that never ends) */
        OBSERVED_RACE,           /* a data race; a use-after-free found as a race on freed
                                  * memory, or as heap-use-after-free, counts as one */
        OBSERVED_LOCK_ORDER,     /* a lock-order inversion: a deadlock waiting to happen */
        OBSERVED_MUTEX_MISUSE,   /* unlocking an unlocked mutex, destroying a locked one... */
        OBSERVED_THREAD_LEAK,    /* a thread neither joined nor detached */
        OBSERVED_SIGNAL_UNSAFE,  /* a call that is not async-signal-safe in a signal handler */
        OBSERVED_CLEAN,          /* nothing reported, and the run ended */
};
#define OBSERVED_KINDS (OBSERVED_CLEAN + 1)

/* "error", "hung", "race", "lock-order-inversion", "mutex-misuse", "thread-leak",
 * "signal-unsafe", "clean". */
const char *observed_name(enum observed o);

/* Whether observing o satisfies a scenario that expects `expect`. */
bool observed_satisfies(enum observed o, enum verdict expect);

/* The class of a ThreadSanitizer report, from its WARNING line's kind ("data race",
 * "lock-order-inversion (potential deadlock)", "unlock of an unlocked mutex (or by a wrong
 * thread)", "thread leak", ...). */
enum observed observed_of_tsan_kind(const char *kind);

/* The more telling of two observations (the earlier in precedence). */
static inline enum observed observed_worst(enum observed a, enum observed b)
{
        return a < b ? a : b;
}

#endif
