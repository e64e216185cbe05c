/*
 * guard-the-machine — exercise: one barista at a time at the espresso machine.
 *
 * As handed out, every barista pulls its shot whether or not someone else is at the machine:
 * shots are lost, and ThreadSanitizer reports the race on the shot counter. Make sure only one
 * barista at a time is at the machine, with a pthread mutex (not atomics or a spinlock of your
 * own: later exercises). The lab checks that TSan reports nothing and that no shot is lost, no
 * two baristas collide and no run hangs, from 1 barista to twice the cores.
 *
 * Check it: espresso-lab check --exercise guard-the-machine guard-the-machine.c
 * Stuck? espresso-lab exercise hint guard-the-machine
 */
#include "scenario.h"

#include <pthread.h>

/* YOUR CODE: whatever the baristas share to keep each other away from the machine, defined once
 * here, outside the barista: each barista's own local variables are not shared. */

static void my_guard_the_machine_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                /* YOUR CODE: around the shot. Nothing stops a second barista from stepping up
                 * while this one is at the machine. Make every barista wait its turn before
                 * machine_pull_shot() and let the next one in after it. If you can tell that a
                 * barista found the machine taken and had to wait, call barista_note_contended(b)
                 * once for that order: the lab's "contended" count. */
                machine_pull_shot(b);
                barista_serve_drink(b);
        }
}

SCENARIO(my_guard_the_machine_scenario,
         .name = "my-guard-the-machine",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "My pthread mutex around the machine",
         .lesson = "One barista at the machine at a time: no lost shots, no collisions, nothing "
                   "for ThreadSanitizer to report. Under contention baristas queue (wait_ns), and "
                   "a contended mutex parks them in the kernel (context switches per drink).",
         .tells_contention = true,
         .shot_is_the_critical_section = true,
         .barista = my_guard_the_machine_barista);
