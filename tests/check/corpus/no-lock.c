/*
 * check-expect: verdict=failed hint=lost-update
 * expect: race (for detectors: what the file is, by the race-check vocabulary)
 * The student pulls the shot straight away, with no protection at all: every barista walks up
 * to the machine whether or not someone else is already there. Two "shots++" at once write back
 * the same number, and TSan reports the race on espresso_machine.shots.
 */
#include "scenario.h"

static void no_lock_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                machine_pull_shot(b); /* "it's only one line, what could go wrong" */
                barista_serve_drink(b);
        }
}

SCENARIO(no_lock_scenario,
         .name = "student-no-lock",
         .family = FAMILY_NONE,
         .expect = VERDICT_CLEAN,
         .summary = "Baristas pull shots with nothing around them",
         .lesson = "The student believes one call at the machine cannot overlap another.",
         .barista = no_lock_barista);
