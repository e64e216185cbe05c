/*
 * menu-mutex — baristas read the menu under one mutex; the manager changes it in place.
 *
 * The simplest correct menu: one lock for readers and writer alike. Readers now wait for each
 * other, though none of them changes anything.
 */
#include "scenario.h"

#include "menu.h"

#include <pthread.h>

static pthread_mutex_t menu_lock = PTHREAD_MUTEX_INITIALIZER;
static struct menu menu;

static void menu_mutex_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                if (pthread_mutex_trylock(&menu_lock) != 0) {
                        barista_note_contended(b);
                        pthread_mutex_lock(&menu_lock);
                }
                barista_read_menu(b, &menu);
                pthread_mutex_unlock(&menu_lock);
                barista_serve_drink(b);
        }
}

static void menu_mutex_manager(struct barista *manager)
{
        while (manager_wait_for_next_update(manager)) {
                uint64_t began = manager_update_begins();
                pthread_mutex_lock(&menu_lock);
                menu_write(&menu, menu.version + 1);
                pthread_mutex_unlock(&menu_lock);
                manager_update_done(manager, began);
        }
}

static int menu_mutex_setup(const struct run_config *config)
{
        (void)config;
        menu_write(&menu, 1);
        return 0;
}

SCENARIO(menu_mutex_scenario,
         .name = "menu-mutex",
         .family = FAMILY_MENU,
         .expect = VERDICT_CLEAN,
         .summary = "Baristas read the menu under one mutex",
         .lesson = "Correct and simple, but readers queue behind each other although none of "
                   "them writes: the lock serializes what could run in parallel.",
         .tells_contention = true,
         .setup = menu_mutex_setup,
         .barista = menu_mutex_barista,
         .helper = menu_mutex_manager,
         .without_machine = true);
