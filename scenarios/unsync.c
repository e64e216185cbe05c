/*
 * unsync — nobody protects the espresso machine.
 *
 * Every barista walks up and pulls a shot whether or not someone else is already there. The
 * machine's shot counter is a plain integer: "shots++" is a read, an add and a write, and two
 * baristas doing it at once both write back the same number. One shot is lost.
 */
#include "scenario.h"

static void unsync_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                if (b->slow_motion)
                        machine_pull_shot_in_slow_motion(b); /* the same, race window held open */
                else
                        machine_pull_shot(b); /* the bug: no lock: anyone may be at the machine */
                barista_serve_drink(b);
        }
}

SCENARIO(unsync_scenario,
         .name = "unsync",
         .family = FAMILY_NONE,
         .expect = VERDICT_RACE,
         .summary = "No protection: baristas share the machine freely (the race)",
         .lesson = "Two baristas increment the shot counter at once and one increment is lost; "
                   "two shots overlap at the machine. ThreadSanitizer reports the data race on "
                   "espresso_machine.shots whether or not the accesses happened to overlap in "
                   "this run. The fix: mutex.",
         .twins = { "mutex" },
         .barista = unsync_barista);
