/*
 * A controlled run told as a story, one line per step: who did what, and where the invariant
 * broke ("barista 1 writes shots = 1 over barista 2's 1: a shot is lost"). The terminal, the
 * JSON, the SVG and the HTML stepper are all drawn from the same lines.
 */
#ifndef ESPRESSO_STORY_H
#define ESPRESSO_STORY_H

#include "explore.h"

#include <stdio.h>

struct story_line {
        uint64_t step;        /* from 1 */
        uint32_t barista;     /* who: its lane */
        char actor[24];       /* "barista 2", "the manager" */
        char action[160];     /* "reads shots = 41" */
        char note[160];       /* what this step broke, or "" */
        bool preempted;       /* it was chosen over a barista that could have gone on */
};

struct story {
        const struct scenario *scenario;
        struct story_line *lines;
        size_t count;
        uint32_t lanes;       /* baristas and helper: lanes 1..lanes */
        char lane_names[SCHEDULE_MAX_BARISTAS + 1][24];
        char ending[400];     /* how the run ended, in words */
        enum finding finding;
};

/* The story of result (a run of scenario s). 0, or -ENOMEM. */
int story_make(const struct scenario *s, const struct controlled_result *result, struct story *out);
void story_free(struct story *story);

/* One line per step on out. With step_by_step, after each line waits for Enter on in (a line
 * of "q" ends the story early). */
void story_print(const struct story *story, FILE *out, bool step_by_step, FILE *in);

/* The same steps as lanes, one per barista: an SVG drawing, and a page that steps through them
 * with buttons (no network, no script from elsewhere). 0, or -errno. */
int story_write_svg(const struct story *story, const char *title, const char *path);
int story_write_html(const struct story *story, const char *title, const char *path);

/* The steps as a JSON array (jansson's json_t *, declared loosely to keep jansson out of here). */
void *story_json(const struct story *story);

#endif
