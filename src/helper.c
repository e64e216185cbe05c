/* The helper thread's side of the harness: the operator's order tallies, the manager's pace. */
#include "helper.h"

#include "menu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

atomic_bool helper_stop;

/* Orders served per barista, kept by the helper alone (one cache line each, so the helper does
 * not share lines with anyone) and read by the harness after joining it. */
struct order_tally {
        uint64_t served;       /* orders of this barista served */
        uint64_t next_number;  /* the order number expected next */
        uint64_t out_of_order; /* orders that came with another number: skipped or repeated */
} __attribute__((aligned(64)));

/* State of the current run that the helper-facing functions need. One run at a time. */
static struct {
        struct order_tally *tallies; /* [baristas] */
        uint32_t baristas;
        uint64_t queue_capacity;     /* reported by a queue scenario's setup; 0 if none */
        uint64_t drink_ns;           /* reported by a shop scenario: one drink, start to end */
        uint64_t update_interval_ns; /* menu: 1 s / updates_per_sec */
        uint64_t next_update_ns;     /* menu: when the manager changes the menu next */
        bool first_update_made;      /* menu: the first change comes at once, unconditionally */
} current;

int helper_prepare(const struct scenario *s, const struct run_config *config)
{
        free(current.tallies);
        memset(&current, 0, sizeof(current));
        current.baristas = config->baristas;
        if (s->helper_serves_orders) {
                current.tallies = aligned_alloc(64, sizeof(*current.tallies) * config->baristas);
                if (!current.tallies)
                        return -ENOMEM;
                for (uint32_t i = 0; i < config->baristas; i++)
                        current.tallies[i] = (struct order_tally){ .next_number = 1 };
        }
        current.update_interval_ns = 1000000000ull / (config->updates_per_sec ? config->updates_per_sec : 1);
        current.next_update_ns = clock_now_ns() + current.update_interval_ns;
        return 0;
}

void helper_finish(void)
{
        free(current.tallies);
        current.tallies = NULL;
}

uint64_t helper_served(uint32_t barista_index)
{
        return current.tallies ? current.tallies[barista_index].served : 0;
}

uint64_t helper_out_of_order(uint32_t barista_index)
{
        return current.tallies ? current.tallies[barista_index].out_of_order : 0;
}

uint64_t helper_queue_capacity(void)
{
        return current.queue_capacity;
}

void run_note_drink_ns(uint64_t ns)
{
        current.drink_ns = ns;
}

uint64_t helper_drink_ns(void)
{
        return current.drink_ns;
}

void run_note_queue_capacity(uint64_t orders)
{
        current.queue_capacity = orders;
}

void helper_serve_order(struct barista *helper, const struct order *o)
{
        helper->orders_taken++; /* the helper's own count, which paces its sampling */
        machine_pull_shot(helper);
        if (barista_sampling(helper))
                histogram_record(helper->hold_cycles, helper->done_cycles - helper->got_cycles);
        helper->drinks_served++;
        barista_progress(helper, helper->drinks_served);
        if (o->barista == 0 || o->barista > current.baristas) {
                helper->collisions++; /* an order from nobody: a torn or invented message */
                return;
        }
        struct order_tally *t = &current.tallies[o->barista - 1];
        if (o->number != t->next_number)
                t->out_of_order++;
        t->next_number = o->number + 1;
        t->served++;
}

bool manager_wait_for_next_update(struct barista *manager)
{
        (void)manager;
        /* The first change is made as the shift starts, before looking at the stop flag: so even
         * the shortest run has the manager writing while baristas read (what menu-unsync must
         * show, and what race-check must see). */
        if (!current.first_update_made) {
                current.first_update_made = true;
                current.next_update_ns = clock_now_ns() + current.update_interval_ns;
                return true;
        }
        for (;;) {
                if (helper_should_stop())
                        return false;
                uint64_t now = clock_now_ns();
                if (now >= current.next_update_ns) {
                        current.next_update_ns += current.update_interval_ns;
                        if (current.next_update_ns < now) /* fell behind: do not catch up in a burst */
                                current.next_update_ns = now + current.update_interval_ns;
                        return true;
                }
                /* Sleep in slices of at most 10 ms, so the end of the run is noticed. */
                uint64_t nap = current.next_update_ns - now;
                if (nap > 10 * 1000 * 1000)
                        nap = 10 * 1000 * 1000;
                struct timespec ts = { 0, (long)nap };
                nanosleep(&ts, NULL);
        }
}

struct rcu_menu *rcu_menu_new(uint64_t version)
{
        struct rcu_menu *m = malloc(sizeof(*m));

        if (!m)
                abort();
        menu_write(&m->menu, version);
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

void manager_update_done(struct barista *manager, uint64_t began_cycles)
{
        histogram_record(manager->hold_cycles, clock_cycles() - began_cycles);
        manager->drinks_served++; /* changes made: the k-th writes version k + 1 (menu.h) */
        barista_progress(manager, manager->drinks_served);
}
