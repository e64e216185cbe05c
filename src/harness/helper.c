/* The helper thread's side of the harness: the operator's tallies and the manager's pace, set up
 * in the crew before a run and read back after it. */
#include "helper.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int helper_prepare(const struct scenario *s, const struct run_config *config, struct crew *crew)
{
        crew->tallies = NULL;
        if (s->helper_serves_orders) {
                crew->tallies = aligned_alloc(64, sizeof(*crew->tallies) * config->baristas);
                if (!crew->tallies)
                        return -ENOMEM;
                for (uint32_t i = 0; i < config->baristas; i++)
                        crew->tallies[i] = (struct order_tally){ .next_number = 1 };
        }
        uint32_t rate = config->updates_per_sec ? config->updates_per_sec : 1;
        crew->pace = (struct manager_pace){ .interval_ns = 1000000000ull / rate };
        memset(&scenario_notes, 0, sizeof(scenario_notes));
        return 0;
}

void helper_finish(struct crew *crew)
{
        free(crew->tallies);
        crew->tallies = NULL;
}

uint64_t helper_served(const struct crew *crew, uint32_t barista_index)
{
        return crew->tallies ? crew->tallies[barista_index].served : 0;
}

uint64_t helper_out_of_order(const struct crew *crew, uint32_t barista_index)
{
        return crew->tallies ? crew->tallies[barista_index].out_of_order : 0;
}
