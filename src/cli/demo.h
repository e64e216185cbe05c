/* The demo's scenes share their pacing and layout (demo.c); the shop scene is demo_shop.c, the
 * interleaving that loses a shot demo_explore.c. */
#ifndef ESPRESSO_DEMO_H
#define ESPRESSO_DEMO_H

#include "timeline/timeline.h"

#include <stdbool.h>
#include <stdio.h>

#define DEMO_COLUMNS 80 /* a projector's width */
#define DEMO_INDENT 3

/* A scene's heading, after the pause the pacing asks for. */
void demo_heading(const char *number, const char *title);
/* Between what a scene shows and what it means. */
void demo_beat(void);
/* The timelines' layout: DEMO_COLUMNS wide, DEMO_INDENT in, coloured at a terminal. */
const struct timeline_layout *demo_layout(void);

/* This lab run as a child, `arguments` after its path (a shell's words: quote what needs it),
 * its standard output to read; pclose() it. NULL if it could not be started. */
FILE *demo_open_lab(const char *arguments);

/* Scene 0: sequential, concurrent and parallel, with drinks that wait and drinks that work. */
void demo_scene_shop(void);
/* Scene 2: explore finds a schedule that loses a shot, replay tells it. False if it did not. */
bool demo_scene_interleaving(void);

#endif
