/* What the harness keeps for a scenario's helper thread (the queue's operator, the menu's
 * manager) during one run, and reads back after joining it. */
#ifndef ESPRESSO_HELPER_H
#define ESPRESSO_HELPER_H

#include "scenario.h"

#include <stdint.h>

/* Before a run: reset the tallies and the manager's pace. 0 or -ENOMEM. */
int helper_prepare(const struct scenario *s, const struct run_config *config);
/* After a run, once the figures below have been read. */
void helper_finish(void);

uint64_t helper_served(uint32_t barista_index);       /* orders of that barista served */
uint64_t helper_out_of_order(uint32_t barista_index); /* served with an unexpected number */
uint64_t helper_queue_capacity(void);                 /* as the scenario reported; 0 if none */
uint64_t helper_drink_ns(void);                       /* as a shop scenario reported; 0 if none */

#endif
