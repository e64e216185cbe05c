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
 * hand-offs TSan cannot see: the menu is released before it is published and acquired after it
 * is dereferenced; each reader releases a grace token as it leaves its read-side section, and
 * the manager acquires it once the grace period is over, before freeing.
 */
#define _LGPL_SOURCE /* the read side inline, as fast as RCU promises */
#include "scenario.h"

#include "menu.h"
#include "tsan_annotate.h"

#include <errno.h>
#include <stdlib.h>
#include <urcu/urcu-memb.h>

static struct menu *current_menu; /* RCU-protected: read with rcu_dereference() */
static char grace_token;          /* TSan's stand-in for "a read-side section ended" */

static int menu_rcu_setup(const struct run_config *config)
{
        (void)config;
        struct menu *first = malloc(sizeof(*first));
        if (!first)
                return -ENOMEM;
        menu_write(first, 1);
        current_menu = first; /* before the baristas start: the start line orders it */
        return 0;
}

static void menu_rcu_teardown(void)
{
        free(current_menu);
        current_menu = NULL;
}

static void menu_rcu_barista(struct barista *b)
{
        urcu_memb_register_thread();
        while (barista_take_order(b)) {
                urcu_memb_read_lock();
                struct menu *menu = rcu_dereference(current_menu);
                tsan_acquire(menu); /* the manager's fill, published with the pointer */
                barista_read_menu(b, menu);
                tsan_release(&grace_token); /* done with this menu, as far as TSan knows */
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
                struct menu *fresh = malloc(sizeof(*fresh));
                if (!fresh)
                        abort();
                menu_write(fresh, ++version);
                tsan_release(fresh);
                struct menu *old = rcu_xchg_pointer(&current_menu, fresh);
                urcu_memb_synchronize_rcu(); /* every reader that could hold `old` has finished */
                tsan_acquire(&grace_token);
                free(old);
                manager_update_done(manager, began);
        }
}

SCENARIO(menu_rcu_scenario,
         .name = "menu-rcu",
         .family = "menu",
         .expect = VERDICT_CLEAN,
         .summary = "Baristas read the menu under RCU; the manager replaces it",
         .lesson = "Readers pay almost nothing and never wait: no lock, no shared write, so "
                   "reads scale with baristas. The manager pays instead: copy, publish, wait "
                   "for a grace period (update_ns), and only then free the old menu.",
         .twin = "menu-unsync",
         .setup = menu_rcu_setup,
         .teardown = menu_rcu_teardown,
         .barista = menu_rcu_barista,
         .helper = menu_rcu_manager,
         .without_machine = true);
