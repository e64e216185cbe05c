#ifndef ESPRESSO_WATCHDOG_H
#define ESPRESSO_WATCHDOG_H

#include "scenario.h"

/* Joins the baristas of a scenario that can deadlock, stopping a timed run on time. If none of
 * them serves a drink for a second while some are still at work, says who holds what and waits
 * for what, and ends the process (exit 1): threads stuck in pthread_mutex_lock cannot be freed. */
void watchdog_join(struct barista *baristas, uint32_t n, const struct run_config *config);

#endif
