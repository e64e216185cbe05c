/*
 * shop-parallel — several baristas work side by side, each on its own orders, and queue for the
 * one espresso machine.
 *
 * Their waits overlap and so does their work, up to the number of cores: C threads really run
 * in parallel (there is no interpreter lock). Pulling the shot is the one shared step, and it
 * takes a mutex: that is where thread safety begins.
 */
#include "scenario.h"

#include "shop.h"

#include <pthread.h>

static struct shop_drink drink;
static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static int shop_parallel_setup(const struct run_config *config)
{
        drink = shop_drink(config);
        scenario_note_drink_ns(drink.work_ns + drink.brew_ns);
        return 0;
}

static void shop_parallel_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                busywork_spin(drink.work_iterations); /* side by side with the others */
                shop_drink_brewing(b);
                shop_wait_for_brew(&drink);
                pthread_mutex_lock(&machine_lock);    /* the one machine: queue for it */
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(shop_parallel_scenario,
         .name = "shop-parallel",
         .no_schedule = SHOP_NO_SCHEDULE,
         .family = FAMILY_SHOP,
         .expect = VERDICT_CLEAN,
         .summary = "Several baristas at once, queueing for the one machine",
         .lesson = "Doing things at once: waits overlap, and CPU work too, up to the cores there "
                   "are. With waiting drinks it is far faster than sequential; with CPU drinks "
                   "about sequential / cores. The machine is still shared: a mutex guards it.",
         .setup = shop_parallel_setup,
         .barista = shop_parallel_barista,
         .default_orders = SHOP_DEFAULT_ORDERS);
