/*
 * check-expect: verdict=failed hint=runaway
 * Instead of taking orders, the student's barista calls out "Order up!" on stdout, in a loop
 * that never ends (debugging output left in). It never takes an order or touches the machine,
 * and the output grows until a limit stops it.
 */
#include "scenario.h"

#include <stdio.h>

static void flood_barista(struct barista *b)
{
        for (;;)
                printf("barista %u: order up!\n", (unsigned)b->id);
}

SCENARIO(flood_scenario,
         .name = "student-output-flood",
         .family = FAMILY_NONE,
         .expect = VERDICT_CLEAN,
         .summary = "A barista who prints without end instead of taking orders",
         .lesson = "The student left a debugging loop in the barista.",
         .barista = flood_barista);
