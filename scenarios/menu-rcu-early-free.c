/*
 * menu-rcu-early-free — menu-rcu with one bug: the manager frees the old menu before the grace
 * period, while a barista may still be reading it.
 *
 * The annotations are where menu-rcu has them, so this is what a real bug looks like behind
 * them: they state what RCU orders, and a free before synchronize_rcu() is ordered by nothing,
 * so ThreadSanitizer reports it (a race with the free, or a use after it), in every run: every
 * barista's shift lasts until the manager has replaced the menu it read last (src/kit/menu.h).
 * Natively a reader may see the freed menu's memory given to the next one: a torn read, or
 * AddressSanitizer's heap-use-after-free.
 */
#define _LGPL_SOURCE
#include "scenario.h"

#include "menu.h"
#include "rcu.h"
#include "variant.h"

#include <stdlib.h>


static void early_free_barista(struct barista *b)
{
        urcu_memb_register_thread();
        while (barista_take_order(b)) {
                urcu_memb_read_lock();
                struct rcu_menu *menu = rcu_dereference(rcu_current_menu);
                annotate_acquire(menu);
                barista_read_menu(b, &menu->menu);
                annotate_release(&menu->readers_done);
                urcu_memb_read_unlock();
                barista_serve_drink(b);
        }
        urcu_memb_unregister_thread();
}

static void early_free_manager(struct barista *manager)
{
        uint64_t version = 1;

        while (manager_wait_for_next_update(manager)) {
                uint64_t began = manager_update_begins();
                struct rcu_menu *fresh = rcu_menu_new(++version);
                annotate_release(fresh);
                struct rcu_menu *old = rcu_xchg_pointer(&rcu_current_menu, fresh);
                free(old);                   /* the bug: readers may still hold `old` */
                urcu_memb_synchronize_rcu(); /* the grace period, too late */
                manager_update_done(manager, began);
        }
}

SCENARIO(menu_rcu_early_free_scenario,
         .name = "menu-rcu-early-free",
         .family = FAMILY_MENU,
         .expect = VERDICT_RACE,
         .negative_control = true,
         .summary = "RCU, but the old menu is freed before the grace period",
         .lesson = "Publishing and freeing in the wrong order: a reader that picked up the old "
                   "menu a moment ago is still reading it when it is freed. The annotations "
                   "are menu-rcu's, and TSan reports the free racing with the read in every "
                   "run: they hide nothing real. The fix: free only after synchronize_rcu().",
         .twins = { "menu-rcu" },
         .uses_freed_memory = true,
         .setup = rcu_menu_setup,
         .teardown = rcu_menu_teardown,
         .barista = early_free_barista,
         .helper = early_free_manager,
         .without_machine = true);
