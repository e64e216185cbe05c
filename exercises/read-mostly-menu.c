/*
 * read-mostly-menu — exercise: a menu many baristas can read at once.
 *
 * As handed out, the menu is correct but slow: one mutex for readers and manager alike, so
 * baristas queue to read although none of them changes anything. Keep every read consistent (no
 * torn menu, nothing for TSan to report) but let readers read at the same time, so that reads
 * scale with baristas: RCU with liburcu, or a seqlock in C11 atomics (a reader-writer lock is
 * correct, but its readers still write the lock, and that does not scale). The lab checks
 * correctness, then wants at least 40% of menu-rcu's reads per second at 2 baristas.
 *
 * Check it: espresso-lab check --exercise read-mostly-menu read-mostly-menu.c
 * Stuck? espresso-lab exercise hint read-mostly-menu
 */
#include "scenario.h"

#include "menu.h"

#include <pthread.h>

/* YOUR CODE: the menu and what guards it, and the three places marked below: a barista's read,
 * the manager's change, and the setup (with a teardown if your menu needs one). Every reader must
 * see one whole version of the menu, never half of a change. If you choose RCU, menu.h has a
 * menu to publish (struct rcu_menu, rcu_menu_new, rcu_menu_setup and _teardown), and liburcu
 * comes through the kit's "rcu.h" (so that explore can step its grace periods); ThreadSanitizer
 * cannot see liburcu's hand-offs, so state them with variant.h's annotations, as the README's
 * "ThreadSanitizer, Concurrency Kit and liburcu" says. A seqlock's reads that race with the
 * manager's writes must be atomic, or TSan reports them. */
static pthread_mutex_t menu_lock = PTHREAD_MUTEX_INITIALIZER;
static struct menu menu;

static void my_read_mostly_menu_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                /* YOUR CODE: the read. Here every reader excludes every other reader too. */
                if (pthread_mutex_trylock(&menu_lock) != 0) {
                        barista_note_contended(b);
                        pthread_mutex_lock(&menu_lock);
                }
                barista_read_menu(b, &menu);
                pthread_mutex_unlock(&menu_lock);
                barista_serve_drink(b);
        }
}

static void my_read_mostly_menu_manager(struct barista *manager)
{
        while (manager_wait_for_next_update(manager)) {
                uint64_t began = manager_update_begins();
                /* YOUR CODE: the change, from version n to n + 1, whole. */
                pthread_mutex_lock(&menu_lock);
                menu_write(&menu, menu.version + 1);
                pthread_mutex_unlock(&menu_lock);
                manager_update_done(manager, began);
        }
}

static int my_read_mostly_menu_setup(const struct run_config *config)
{
        (void)config;
        /* YOUR CODE: the first menu, version 1, before any barista starts. */
        menu_write(&menu, 1);
        return 0;
}

SCENARIO(my_read_mostly_menu_scenario,
         .name = "my-read-mostly-menu",
         .family = FAMILY_MENU,
         .expect = VERDICT_CLEAN,
         .summary = "Baristas read my menu at the same time",
         .lesson = "Readers change nothing, so they need not exclude each other: only the "
                   "manager's change must not be seen half done. The less a read writes to "
                   "shared memory, the better reads per second scale with baristas.",
         .tells_contention = true,
         .setup = my_read_mostly_menu_setup,
         .barista = my_read_mostly_menu_barista,
         .helper = my_read_mostly_menu_manager,
         .without_machine = true);
