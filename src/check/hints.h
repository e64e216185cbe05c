/*
 * What to look at next, from what the checks showed. A hint names the mechanism (a lost update,
 * check-then-act, a lock-order inversion...) and where to look; it never hands over the fix.
 * The first hint is the most telling one: a hang before a race, a race before a slow lock.
 */
#ifndef ESPRESSO_HINTS_H
#define ESPRESSO_HINTS_H

#include "checks.h"

/* The hints' ids, for graders' scripts (check --format json: "hints"[].id). */
#define HINT_DOES_NOT_COMPILE "does-not-compile"
#define HINT_NO_SCENARIO "no-scenario"
#define HINT_RUNAWAY "runaway"              /* forked, allocated or wrote without end */
#define HINT_NEVER_RETURNS "never-returns"  /* ignored even the watchdog */
#define HINT_CRASH "crash"                /* a run died of a signal */
#define HINT_RELOCK "relock"
#define HINT_LOCK_ORDER "lock-order"
#define HINT_ENDLESS_SPIN "endless-spin"
#define HINT_LOST_UPDATE "lost-update"
#define HINT_CHECK_THEN_ACT "check-then-act"
#define HINT_SHARED_OUTSIDE_LOCK "shared-outside-lock"
#define HINT_DIFFERENT_LOCKS "different-locks"
#define HINT_PUBLICATION "publication"
#define HINT_ORDERS "orders"                /* an order lost or served twice, a torn read */
#define HINT_FORBIDDEN_LOCK "forbidden-lock"
#define HINT_UNFAIR "unfair"
#define HINT_BUSY_MACHINE "busy-machine"    /* a goal got too little CPU to be measured */
#define HINT_SANITIZED_BUILD "sanitized-build" /* ... or needs an optimized build of the lab */
#define HINT_SLOW_READS "slow-reads"

/* Fills result->hint[] from result->evidence and result->verdict. */
void hints_derive(struct check_result *result);

#endif
