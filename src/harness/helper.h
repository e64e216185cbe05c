/* What the harness keeps for a scenario's helper thread (the queue's operator, the menu's
 * manager) during one run, in the crew, and reads back after joining it. */
#ifndef ESPRESSO_HELPER_H
#define ESPRESSO_HELPER_H

#include "kit/scenario.h"

#include <stdint.h>

/* Before a run (and before the scenario's setup): the tallies, the manager's pace, the
 * scenario's notes cleared. 0 or -ENOMEM. */
int helper_prepare(const struct scenario *s, const struct run_config *config, struct crew *crew);
/* After a run, once the figures below have been read. */
void helper_finish(struct crew *crew);

uint64_t helper_served(const struct crew *crew, uint32_t barista_index);       /* orders served */
uint64_t helper_out_of_order(const struct crew *crew, uint32_t barista_index); /* out of turn */

#endif
