/* explore's and replay's output (explore_output.c). */
#ifndef ESPRESSO_EXPLORE_OUTPUT_H
#define ESPRESSO_EXPLORE_OUTPUT_H

#include "explore.h"
#include "story.h"

#include <stdio.h>

/* An exploration: how it was asked for, and what it found. */
struct explore_run {
        const char *subject;                  /* as the user named it, for the replay command */
        const struct controlled_config *config;
        const struct explore_options *options;
        const struct explore_report *report;
        const char *what_broke;               /* the found run's ending, in words (story.h) */
};

/* A replay: the schedule as given, and its run. */
struct replay_run {
        const char *schedule;
        const struct controlled_config *config;
        const struct controlled_result *result;
};

void explore_print(FILE *out, const struct explore_run *run);
int explore_print_json(FILE *out, const struct explore_run *run);

void replay_print_header(FILE *out, const struct replay_run *run);
void replay_print_ending(FILE *out, const struct replay_run *run);
int replay_print_json(FILE *out, const struct replay_run *run, const struct story *story);

#endif
