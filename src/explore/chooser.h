/* The strategies of a controlled run, in the child that runs it (explore.h's chooser). */
#ifndef ESPRESSO_CHOOSER_H
#define ESPRESSO_CHOOSER_H

#include "explore.h"

struct chooser_state {
        const struct chooser *chooser;
        uint64_t random;                 /* splitmix64's state */
        int64_t priority[SCHEDULE_MAX_BARISTAS + 1]; /* pct: by id, the higher goes first */
        uint64_t change_at[16];          /* pct: the steps at which priorities change, sorted */
        uint32_t changes, changes_made;
        int64_t lowest;                  /* pct: below every priority given so far */
        size_t next_switch;              /* switches: the first not yet passed */
        /* A sequence naming a barista who cannot go: the schedule does not fit. Ends the run. */
        __attribute__((noreturn)) void (*refuse)(const char *why);
};

/* Ready to choose for a run of `staff` baristas and helper. */
void chooser_start(struct chooser_state *state, const struct chooser *chooser, uint32_t staff,
                   __attribute__((noreturn)) void (*refuse)(const char *why));

/* schedule_strategy's choose(), with a struct chooser_state as context. */
uint32_t chooser_choose(void *context, const struct schedule_choice *choice);

/* The default: the barista that reached the point while it can go on and is not giving way;
 * else the lowest-numbered other that can; else it. runnable: bit b - 1 for barista b. */
uint32_t default_choice(uint32_t current, uint32_t runnable, bool yielded);

#endif
