/*
 * check-expect: verdict=failed hint=check-then-act
 * expect: race (for detectors: what the file is, by the race-check vocabulary)
 * The student's lock is a C11 atomic_bool "busy": wait while it is true, then store true, pull
 * the shot, store false. Every access is atomic (seq_cst), but the check and the set are two
 * steps: two baristas can both see the machine free and both step up.
 */
#include "scenario.h"

#include "cpu.h"

#include <stdatomic.h>

static atomic_bool busy;

static void check_then_act_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                while (atomic_load(&busy))
                        cpu_relax();
                atomic_store(&busy, true); /* "it was free a moment ago" */
                machine_pull_shot(b);
                atomic_store(&busy, false);
                barista_serve_drink(b);
        }
}

SCENARIO(check_then_act_scenario,
         .name = "student-check-then-act",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "An atomic busy flag: wait until false, then set it",
         .lesson = "The student believes that atomic loads and stores make the whole lock atomic.",
         .barista = check_then_act_barista);
