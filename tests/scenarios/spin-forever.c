/*
 * spin-forever — used only by the tests: baristas spin on a flag nobody ever sets.
 *
 * Each barista serves one drink, then waits for the milk to arrive before the next, and the milk
 * never does. The threads run flat out and serve nothing: a hang no lock is involved in.
 */
#include "scenario.h"

#include <stdatomic.h>

static atomic_bool milk_arrived;

static void spin_forever_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                if (b->orders_taken == 2)
                        while (!atomic_load_explicit(&milk_arrived, memory_order_relaxed))
                                ; /* nobody stores true */
                barista_serve_drink(b); /* no shot: the machine is not the point here */
        }
}

SCENARIO(spin_forever_scenario,
         .name = "test-spin-forever",
         .family = FAMILY_DEADLOCK,
         .expect = VERDICT_DEADLOCK,
         .summary = "Baristas spin on a flag nobody sets (tests only)",
         .lesson = "A spin that never ends: the threads run, nothing is served.",
         .barista = spin_forever_barista);
