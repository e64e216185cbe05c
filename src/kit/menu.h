/*
 * The menu: read by every barista on every order, changed now and then by the manager.
 *
 * Every price is a function of the menu's version, so a reader can tell a consistent menu from a
 * torn one: a price that does not belong to the version read with it means the reader saw half
 * of an update. The first menu is version 1, and the manager's k-th change writes version k + 1.
 *
 * Every barista's shift overlaps a change: a barista's shift ends only once the manager has
 * finished a change that replaced the version it read last (barista_end_shift). So every run has
 * readers and the manager at the same menu, however the threads were scheduled, and a race
 * between them is there for ThreadSanitizer to see in every run, not only in lucky ones.
 */
#ifndef ESPRESSO_MENU_H
#define ESPRESSO_MENU_H

#include "barista.h"
#include "scenario.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define MENU_ITEMS 16

struct menu {
        uint64_t version;           /* 1, 2, 3...: one more on every change */
        uint32_t price[MENU_ITEMS]; /* cents; menu_price(version, item) */
};

static inline uint32_t menu_price(uint64_t version, unsigned item)
{
        return (uint32_t)(250 + 10 * item + 7 * (version % 1000));
}

static inline void menu_write_prices(struct menu *m, uint64_t version)
{
        for (unsigned i = 0; i < MENU_ITEMS; i++) {
                atomic_signal_fence(memory_order_seq_cst); /* one store at a time, in order */
                m->price[i] = menu_price(version, i);
        }
        atomic_signal_fence(memory_order_seq_cst);
}

/* Writes version v of the menu into m, version first, then item by item. */
static inline void menu_write(struct menu *m, uint64_t version)
{
        atomic_signal_fence(memory_order_seq_cst);
        variant_schedule_point(NULL, SCHEDULE_WRITE_MENU, version);
        m->version = version;
        variant_schedule_point(NULL, SCHEDULE_WRITE_PRICES, version);
        menu_write_prices(m, version);
}

/* The same in slow motion: after the new version number, the manager holds the update half done
 * until a barista has read the menu, who then sees the new version with the old prices. */
static inline void menu_write_in_slow_motion(struct barista *manager, struct menu *m,
                                             uint64_t version)
{
        slow_motion_open(manager, SLOW_MOTION_UNTIL_ANOTHER_READS);
        atomic_signal_fence(memory_order_seq_cst);
        m->version = version;
        slow_motion_hold(manager);
        menu_write_prices(m, version);
}

/* Reads the whole menu as a barista does for an order; counts a torn read. The compiler-only
 * fences keep each read a real load, so a reader can see an update half done. */
static inline void barista_read_menu(struct barista *b, const struct menu *m)
{
        /* For a sampled order, waiting ends and holding begins when the menu can be read. */
        if (barista_sampling(b))
                b->got_cycles = clock_cycles_after_acquire();
        variant_schedule_point(b, SCHEDULE_READ_MENU, 0);
        atomic_signal_fence(memory_order_seq_cst);
        uint64_t version = m->version;
        bool torn = false;
        for (unsigned i = 0; i < MENU_ITEMS; i++) {
                atomic_signal_fence(memory_order_seq_cst);
                torn |= m->price[i] != menu_price(version, i);
        }
        atomic_signal_fence(memory_order_seq_cst);
        if (torn)
                b->torn_reads++;
        variant_schedule_outcome(b, version, torn ? SCHEDULE_TORN : SCHEDULE_DONE);
        b->menu_version_read = version;
        if (barista_sampling(b)) {
                b->done_cycles = clock_cycles();
                if (BARISTA_RARELY(b->slow_motion))
                        slow_motion_read(b);
        }
}

/*
 * A menu published through RCU (menu-rcu and its broken twins). readers_done stands in, for
 * ThreadSanitizer, for "every reader of this menu has left its read-side section": each reader
 * releases it as it leaves, and the manager acquires it once synchronize_rcu() has returned,
 * before freeing the menu. One token per menu, because a grace period waits only for the readers
 * of the menus it retires: a token shared by all menus would hand the manager the histories of
 * readers of the new menu too, whose sections it did not wait for, and pass them on to later
 * readers, an order RCU does not give that could hide a real race.
 */
struct rcu_menu {
        struct menu menu;
        char readers_done; /* TSan's token, never read or written */
};

/* A fresh menu of the given version, filled in; aborts when out of memory, like the lab's other
 * allocations in a barista's loop. */
struct rcu_menu *rcu_menu_new(uint64_t version);

/* The menu the RCU scenarios publish: read it with rcu_dereference(). Their setup makes version
 * 1 (before the baristas start: the start line orders it), their teardown frees what is left. */
extern struct rcu_menu *rcu_current_menu;
int rcu_menu_setup(const struct run_config *config);
void rcu_menu_teardown(void);

/* The manager's pace: sleeps until the next change is due. False once the baristas are done.
 * In a controlled run it is paced by steps instead: a change is due whenever it is chosen, and
 * it makes no more changes than the baristas take orders. */
bool manager_wait_for_next_update(struct barista *manager);

/* Times one change of the menu: call around it; recorded as the manager's update latency. */
static inline uint64_t manager_update_begins(void)
{
        return clock_cycles();
}

void manager_update_done(struct barista *manager, uint64_t began_cycles);

#endif
