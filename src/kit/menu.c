/* The menu's manager and the RCU scenarios' published menu (see menu.h). */
#include "menu.h"
#include "variant.h"

#include <stdlib.h>
#include <time.h>

/* A controlled run's manager, paced by steps: a change is due whenever it is chosen; after as
 * many changes as the baristas have orders, it waits for them to finish, so that a schedule that
 * keeps choosing it still ends. */
static bool manager_paced_by_steps(struct barista *manager)
{
        const struct crew *crew = manager->crew;
        uint64_t orders = 0;

        for (uint32_t i = 0; i < crew->baristas; i++)
                orders += crew->staff[i].order_quota;
        if (manager->drinks_served >= orders)
                schedule_wait_for_baristas();
        if (schedule_baristas_done())
                return false;
        schedule_point(SCHEDULE_MANAGER_TURN, manager->drinks_served + 1);
        return !schedule_baristas_done();
}

bool manager_wait_for_next_update(struct barista *manager)
{
        struct manager_pace *pace = &manager->crew->pace;

        if (schedule_controls_me())
                return manager_paced_by_steps(manager);

        /* The first change is made as the shift starts, before looking at the stop flag: so even
         * the shortest run has the manager writing while baristas read (what menu-unsync must
         * show, and what race-check must see). */
        if (!pace->first_made) {
                pace->first_made = true;
                pace->next_ns = clock_now_ns() + pace->interval_ns;
                return true;
        }
        for (;;) {
                if (helper_should_stop())
                        return false;
                uint64_t now = clock_now_ns();
                if (now >= pace->next_ns) {
                        pace->next_ns += pace->interval_ns;
                        if (pace->next_ns < now) /* fell behind: do not catch up in a burst */
                                pace->next_ns = now + pace->interval_ns;
                        return true;
                }
                /* Sleep in slices of at most 10 ms, so the end of the run is noticed. */
                uint64_t nap = pace->next_ns - now;
                if (nap > 10 * 1000 * 1000)
                        nap = 10 * 1000 * 1000;
                struct timespec ts = { 0, (long)nap };
                nanosleep(&ts, NULL);
        }
}

void manager_update_done(struct barista *manager, uint64_t began_cycles)
{
        histogram_record(manager->hold_cycles, clock_cycles() - began_cycles);
        manager->drinks_served++; /* changes made: the k-th writes version k + 1 (menu.h) */
        barista_progress(manager, manager->drinks_served);
}

struct rcu_menu *rcu_menu_new(uint64_t version)
{
        struct rcu_menu *m = malloc(sizeof(*m));

        if (!m)
                abort();
        menu_write(&m->menu, version);
        /* The manager's own release of the readers' token, so that its acquire after the grace
         * period always follows a release of that token, even when no reader read this menu:
         * DRD takes a happens-after before any happens-before for an error. It orders nothing
         * new: the manager releases to itself. */
        annotate_release(&m->readers_done);
        return m;
}

struct rcu_menu *rcu_current_menu;

int rcu_menu_setup(const struct run_config *config)
{
        (void)config;
        rcu_current_menu = rcu_menu_new(1);
        return 0;
}

void rcu_menu_teardown(void)
{
        free(rcu_current_menu);
        rcu_current_menu = NULL;
}
