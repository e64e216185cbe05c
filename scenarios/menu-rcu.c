/*
 * menu-rcu — baristas read the menu under RCU (liburcu, memb flavour); the manager publishes a
 * new copy and frees the old one after a grace period.
 *
 * Readers take no lock and write nothing shared: rcu_read_lock() only marks this thread as
 * reading. The manager fills a fresh menu, swaps the pointer (rcu_xchg_pointer publishes it: the
 * fill happens before any reader can see the new pointer), waits until every reader that might
 * still hold the old menu has finished (synchronize_rcu), and only then frees it.
 *
 * Debian's liburcu (0.13) predates its own ThreadSanitizer support, so the scenario states the
 * hand-offs TSan cannot see, each no broader than what RCU guarantees: a menu is released before
 * it is published and acquired after it is dereferenced; a reader releases that menu's own
 * readers_done token as it leaves its read-side section, and the manager acquires the old menu's
 * token after synchronize_rcu(), before freeing it (src/kit/menu.h says why one token per menu).
 */
#define _LGPL_SOURCE /* the read side inline, as fast as RCU promises */
#include "scenario.h"

#include "menu.h"
#include "rcu.h"
#include "variant.h"

#include <stdlib.h>


static void menu_rcu_barista(struct barista *b)
{
        urcu_memb_register_thread();
        while (barista_take_order(b)) {
                urcu_memb_read_lock();
                struct rcu_menu *menu = rcu_dereference(rcu_current_menu);
                annotate_acquire(menu); /* the manager's fill, published with the pointer */
                barista_read_menu(b, &menu->menu);
                annotate_release(&menu->readers_done); /* done with this menu */
                urcu_memb_read_unlock();
                barista_serve_drink(b);
        }
        urcu_memb_unregister_thread();
}

static void menu_rcu_manager(struct barista *manager)
{
        uint64_t version = 1;

        while (manager_wait_for_next_update(manager)) {
                uint64_t began = manager_update_begins();
                struct rcu_menu *fresh = rcu_menu_new(++version);
                annotate_release(fresh);
                struct rcu_menu *old = rcu_xchg_pointer(&rcu_current_menu, fresh);
                urcu_memb_synchronize_rcu(); /* every reader that could hold `old` has finished */
                annotate_acquire(&old->readers_done);
                free(old);
                manager_update_done(manager, began);
        }
}

SCENARIO(menu_rcu_scenario,
         .name = "menu-rcu",
         .family = FAMILY_MENU,
         .expect = VERDICT_CLEAN,
         .summary = "Baristas read the menu under RCU; the manager replaces it",
         .lesson = "Readers pay almost nothing and never wait: no lock, no shared write, so "
                   "reads scale with baristas. The manager pays instead: copy, publish, wait "
                   "for a grace period (update_ns), and only then free the old menu.",
         .twins = { "menu-unsync", "menu-rcu-early-free", "menu-rcu-stale-pointer" },
         .setup = rcu_menu_setup,
         .teardown = rcu_menu_teardown,
         .barista = menu_rcu_barista,
         .helper = menu_rcu_manager,
         .without_machine = true);
