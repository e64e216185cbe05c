/* Merging the baristas' figures after they have been joined (results.c). */
#ifndef ESPRESSO_RESULTS_H
#define ESPRESSO_RESULTS_H

#include "run.h"

/* Fills *r from the baristas (and the helper after them, if the scenario has one): counts,
 * rates, latency summaries, fairness, and whether the invariants held. A run stopped early
 * (ended) is not held to having taken all its orders. */
void results_merge(const struct scenario *s, const struct run_config *config,
                   const struct crew *crew, enum run_ending ended, struct run_result *r);

#endif
