/* The scenarios linked into this lab (SCENARIO() puts each in a linker set). */
#ifndef ESPRESSO_REGISTRY_H
#define ESPRESSO_REGISTRY_H

#include "kit/scenario.h"

#include <stdbool.h>
#include <stddef.h>

/* Registered scenarios, sorted by name. */
size_t scenario_count(void);
const struct scenario *scenario_at(size_t index);
const struct scenario *scenario_find(const char *name); /* NULL when unknown */

/* False, with what is wrong in why, if a registered scenario cannot be run: no name, a name a
 * command line cannot give (empty, with spaces or a comma), a name two scenarios share, no
 * barista, no summary or lesson, a family out of range. Each lab checks its scenarios before it starts. */
bool scenarios_well_formed(char *why, size_t why_size);

#endif
