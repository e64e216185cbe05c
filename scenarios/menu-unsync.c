/*
 * menu-unsync — the manager rewrites the menu in place while baristas read it, unprotected.
 *
 * A barista can read the new version number with old prices, or half of the new prices: a torn
 * read. Counted by checking every price against the version read with it.
 */
#include "scenario.h"

#include "menu.h"

static struct menu menu;

static void menu_unsync_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                barista_read_menu(b, &menu); /* the bug: the manager may be halfway through */
                barista_serve_drink(b);
        }
}

static void menu_unsync_manager(struct barista *manager)
{
        while (manager_wait_for_next_update(manager)) {
                uint64_t began = manager_update_begins();
                if (manager->slow_motion) /* stops half-way until a barista has read the menu */
                        menu_write_in_slow_motion(manager, &menu, menu.version + 1);
                else
                        menu_write(&menu, menu.version + 1);
                manager_update_done(manager, began);
        }
}

static int menu_unsync_setup(const struct run_config *config)
{
        (void)config;
        menu_write(&menu, 1);
        return 0;
}

SCENARIO(menu_unsync_scenario,
         .name = "menu-unsync",
         .family = FAMILY_MENU,
         .expect = VERDICT_RACE,
         .summary = "The manager rewrites the menu in place while baristas read it",
         .lesson = "Torn reads: a version number with prices from another version. TSan reports "
                   "the race on the menu. The fixes: menu-mutex, menu-rwlock, menu-rcu.",
         .twins = { "menu-rcu" },
         .setup = menu_unsync_setup,
         .barista = menu_unsync_barista,
         .helper = menu_unsync_manager,
         .without_machine = true);
