/*
 * atomic-counter — the shot counter is atomic, and nothing else is protected.
 *
 * A common half-fix: make the counter an atomic so no increment is lost. It is not mutual
 * exclusion: two baristas still stand at the machine at once (collisions), and the rest of the
 * shot, here the receipt's last_barista, is still written by both at once: ThreadSanitizer
 * still reports a race, now on espresso_machine.last_barista.
 */
#include "scenario.h"

static void atomic_counter_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                machine_step_up(b);                /* nobody checks whether the machine is free */
                machine_brew(b);
                machine_count_shot_atomically(b);  /* the bug: no lost shot, yet a plain receipt */
                if (b->slow_motion) {              /* (slow motion: linger at the machine) */
                        machine_linger_in_slow_motion(b);
                        machine_step_down_in_slow_motion(b);
                } else {
                        machine_step_down(b);      /* ...but two shots at once, all the same */
                }
                barista_serve_drink(b);
        }
}

SCENARIO(atomic_counter_scenario,
         .name = "atomic-counter",
         .family = FAMILY_ATOMIC,
         .expect = VERDICT_RACE,
         .summary = "An atomic shot counter, no lock: not mutual exclusion",
         .lesson = "Lost updates vanish: an atomic increment cannot lose one. Collisions remain, "
                   "and so does the race on the rest of the shot (the receipt's last_barista), "
                   "which TSan reports. Atomicity of one variable does not make a sequence of "
                   "steps atomic. The fix: mutex.",
         .twins = { "mutex" },
         .barista = atomic_counter_barista);
