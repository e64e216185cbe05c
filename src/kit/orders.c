/* An operator serving orders from a queue (see scenario.h). */
#include "machine.h"
#include "scenario.h"

void helper_serve_order(struct barista *helper, const struct order *o)
{
        const struct crew *crew = helper->crew;

        variant_schedule_point(helper, SCHEDULE_SERVE_ORDER, (uint64_t)o->barista << 32 | o->number);
        helper->orders_taken++; /* the helper's own count, which paces its sampling */
        machine_pull_shot(helper);
        if (barista_sampling(helper))
                histogram_record(helper->hold_cycles, helper->done_cycles - helper->got_cycles);
        helper->drinks_served++;
        barista_progress(helper, helper->drinks_served);
        if (o->barista == 0 || o->barista > crew->baristas) {
                helper->collisions++; /* an order from nobody: a torn or invented message */
                return;
        }
        struct order_tally *t = &crew->tallies[o->barista - 1];
        if (o->number != t->next_number)
                t->out_of_order++;
        t->next_number = o->number + 1;
        t->served++;
}
