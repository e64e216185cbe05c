/*
 * menu-rwlock — baristas read the menu under a pthread read-write lock; the manager changes it
 * in place under the write lock.
 *
 * Many readers may hold the lock together, so reads never wait for each other; but taking a
 * read lock is still a write to the lock's shared counter, whose cache line bounces between the
 * reading cores. And the manager waits for every reader to leave.
 */
#include "scenario.h"

#include "menu.h"

#include <pthread.h>

static pthread_rwlock_t menu_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct menu menu;

static void menu_rwlock_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                if (pthread_rwlock_tryrdlock(&menu_lock) != 0) {
                        barista_note_contended(b); /* the manager is writing */
                        pthread_rwlock_rdlock(&menu_lock);
                }
                barista_read_menu(b, &menu);
                pthread_rwlock_unlock(&menu_lock);
                barista_serve_drink(b);
        }
}

static void menu_rwlock_manager(struct barista *manager)
{
        while (manager_wait_for_next_update(manager)) {
                uint64_t began = manager_update_begins();
                pthread_rwlock_wrlock(&menu_lock);
                menu_write(&menu, menu.version + 1);
                pthread_rwlock_unlock(&menu_lock);
                manager_update_done(manager, began);
        }
}

static int menu_rwlock_setup(const struct run_config *config)
{
        (void)config;
        menu_write(&menu, 1);
        return 0;
}

SCENARIO(menu_rwlock_scenario,
         .name = "menu-rwlock",
         .family = FAMILY_MENU,
         .expect = VERDICT_CLEAN,
         .summary = "Baristas read the menu under a read-write lock",
         .lesson = "Readers share the lock, yet every read lock and unlock writes the lock's "
                   "reader count: its cache line bounces between cores, and reads per second "
                   "stop scaling. Compare with menu-rcu.",
         .tells_contention = true,
         .setup = menu_rwlock_setup,
         .barista = menu_rwlock_barista,
         .helper = menu_rwlock_manager,
         .without_machine = true);
