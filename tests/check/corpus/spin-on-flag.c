/*
 * check-expect: verdict=failed hint=endless-spin
 * The student makes every barista wait, before each shot, for an atomic flag machine_ready
 * ("the machine has warmed up"), spinning with cpu_relax(). Nobody ever sets it: the baristas
 * run flat out and serve nothing.
 */
#include "scenario.h"

#include "cpu.h"

#include <pthread.h>
#include <stdatomic.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool machine_ready; /* the machine is warm: whoever turns it on sets this */

static void spin_on_flag_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                while (!atomic_load(&machine_ready))
                        cpu_relax();
                pthread_mutex_lock(&machine_lock);
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(spin_on_flag_scenario,
         .name = "student-spin-on-flag",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "Baristas wait for the machine to be ready, under a mutex",
         .lesson = "The student believes someone else turns the machine on.",
         .barista = spin_on_flag_barista);
