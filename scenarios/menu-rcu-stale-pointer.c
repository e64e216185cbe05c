/*
 * menu-rcu-stale-pointer — menu-rcu with one bug: a barista keeps its menu pointer after leaving
 * the read-side section, and looks at the menu once more for the receipt.
 *
 * Outside the section the grace period does not wait for it: the manager may free the menu at
 * any moment. The annotations are menu-rcu's, and they cover the section only, so TSan reports
 * the late look racing with the free (or reading freed memory), in every run: every barista's
 * shift lasts until the manager has freed the menu it read last (src/kit/menu.h).
 */
#define _LGPL_SOURCE
#include "scenario.h"

#include "menu.h"
#include "rcu.h"
#include "variant.h"

#include <stdlib.h>


static void stale_pointer_barista(struct barista *b)
{
        urcu_memb_register_thread();
        while (barista_take_order(b)) {
                urcu_memb_read_lock();
                struct rcu_menu *menu = rcu_dereference(rcu_current_menu);
                annotate_acquire(menu);
                barista_read_menu(b, &menu->menu);
                annotate_release(&menu->readers_done);
                urcu_memb_read_unlock();
                /* The bug: `menu` is no longer protected here. */
                volatile uint32_t receipt_cents = menu->menu.price[0];
                (void)receipt_cents;
                barista_serve_drink(b);
        }
        urcu_memb_unregister_thread();
}

static void stale_pointer_manager(struct barista *manager)
{
        uint64_t version = 1;

        while (manager_wait_for_next_update(manager)) {
                uint64_t began = manager_update_begins();
                struct rcu_menu *fresh = rcu_menu_new(++version);
                annotate_release(fresh);
                struct rcu_menu *old = rcu_xchg_pointer(&rcu_current_menu, fresh);
                urcu_memb_synchronize_rcu();
                annotate_acquire(&old->readers_done);
                free(old);
                manager_update_done(manager, began);
        }
}

SCENARIO(menu_rcu_stale_pointer_scenario,
         .name = "menu-rcu-stale-pointer",
         .family = FAMILY_MENU,
         .expect = VERDICT_RACE,
         .negative_control = true,
         .summary = "RCU, but a barista reads its menu again after the read-side section",
         .lesson = "A pointer from rcu_dereference() is good only inside the read-side section: "
                   "after rcu_read_unlock() the manager may free the menu at once. The "
                   "annotations are menu-rcu's, and TSan reports the late read racing with "
                   "the free in every run. The fix: copy what you need inside the section.",
         .twins = { "menu-rcu" },
         .uses_freed_memory = true,
         .setup = rcu_menu_setup,
         .teardown = rcu_menu_teardown,
         .barista = stale_pointer_barista,
         .helper = stale_pointer_manager,
         .without_machine = true);
