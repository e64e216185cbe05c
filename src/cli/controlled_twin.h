/* explore and replay, handed to the controlled build (controlled_twin.c). */
#ifndef ESPRESSO_CONTROLLED_TWIN_H
#define ESPRESSO_CONTROLLED_TWIN_H

#include <stdbool.h>

/* A subject that names a scenario file ("mine.c") rather than a scenario. */
bool subject_is_file(const char *subject);

/* Runs the command argv (argv[0] is "explore" or "replay") in the controlled twin, or in a lab
 * built from the scenario file subject; returns its exit status. */
int run_in_controlled_twin(const char *subject, int argc, char **argv);

#endif
