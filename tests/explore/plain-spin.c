/*
 * For the explore tests: a barista that waits for another on a plain volatile flag, with no
 * atomic, no cpu_relax(), no lock: nothing the controlled scheduler can see. The second barista
 * spins until the first has served a drink; on a controlled schedule that chooses it first, it
 * never reaches a scheduling point.
 */
#include "scenario.h"

static volatile int first_served;

static void plain_spin_barista(struct barista *b)
{
        if (b->id == 2)
                while (!first_served)
                        ;
        while (barista_take_order(b)) {
                machine_pull_shot(b);
                barista_serve_drink(b);
                first_served = 1;
        }
}

SCENARIO(plain_spin_scenario,
         .name = "test-plain-spin",
         .family = FAMILY_NONE,
         .expect = VERDICT_RACE,
         .summary = "Barista 2 spins on a plain flag until barista 1 has served",
         .lesson = "A wait the scheduler cannot see.",
         .barista = plain_spin_barista);
