/*
 * shop-sequential — one barista makes each drink from start to finish while everyone else waits.
 *
 * Work, then wait for the brew, then serve, then the next order: the total is the sum of every
 * drink's time. The baseline the other shop scenarios are measured against.
 */
#include "scenario.h"

#include "shop.h"

static struct shop_drink drink;

static int shop_sequential_setup(const struct run_config *config)
{
        drink = shop_drink(config);
        scenario_note_drink_ns(drink.work_ns + drink.brew_ns);
        return 0;
}

static void shop_sequential_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                busywork_spin(drink.work_iterations); /* grind, steam */
                shop_drink_brewing(b);
                shop_wait_for_brew(&drink);           /* and wait, doing nothing else */
                machine_pull_shot(b);
                barista_serve_drink(b);
        }
}

SCENARIO(shop_sequential_scenario,
         .name = "shop-sequential",
         .no_schedule = SHOP_NO_SCHEDULE,
         .family = FAMILY_SHOP,
         .expect = VERDICT_CLEAN,
         .summary = "One barista, one drink at a time, start to finish",
         .lesson = "Doing things one at a time: the total is the sum of all drinks' times, "
                   "waiting included. Compare shop-concurrent (one worker juggling) and "
                   "shop-parallel (several at once).",
         .setup = shop_sequential_setup,
         .barista = shop_sequential_barista,
         .one_worker = true,
         .default_orders = SHOP_DEFAULT_ORDERS);
