/*
 * check-expect: verdict=failed hint=publication
 * expect: race (for detectors: what the file is, by the race-check vocabulary)
 * The machine is under a mutex, correctly. Barista 1 also writes the special of the day (two
 * plain fields) on its first order, then raises a plain int flag, special_ready; the others
 * read the special once the flag is up. Nothing orders the flag's write with its reads, nor the
 * special with the flag: a reader may see the flag up and the special half written.
 */
#include "scenario.h"

#include <pthread.h>

struct special {
        unsigned price_cents;
        unsigned milk_ml;
};

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;
static struct special special_of_the_day;
static int special_ready;
/* What each barista sold of the special: a slot per barista (ids start at 1), nobody shares. */
static unsigned long special_takings[SCENARIO_MAX_BARISTAS + 1];
static unsigned long special_milk[SCENARIO_MAX_BARISTAS + 1];

static void special_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                if (b->id == 1 && b->orders_taken == 1) {
                        /* The opener writes the board... */
                        special_of_the_day.price_cents = 420;
                        special_of_the_day.milk_ml = 150;
                        special_ready = 1; /* ...then says it is up */
                } else if (special_ready) {
                        special_takings[b->id] += special_of_the_day.price_cents;
                        special_milk[b->id] += special_of_the_day.milk_ml;
                }
                pthread_mutex_lock(&machine_lock);
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(special_scenario,
         .name = "student-special-without-release",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A mutex around the machine, and a special published by a plain flag",
         .lesson = "The student believes a flag written after the data makes the data visible.",
         .barista = special_barista);
