/* detectors' results for people (a table), spreadsheets (CSV: one row per run), scripts (JSON)
 * and slides (an SVG chart: precision and recall, and the slowdown on a log scale). */
#ifndef ESPRESSO_DETECTORS_OUTPUT_H
#define ESPRESSO_DETECTORS_OUTPUT_H

#include "detectors.h"
#include "scores.h"

#include <stdio.h>

void detectors_print_table(FILE *out, const struct subject_result *results, size_t n,
                           const struct detector_tools *tools, bool both_tellings, bool partial);
void detectors_print_csv(FILE *out, const struct subject_result *results, size_t n);
void detectors_print_json(FILE *out, const struct subject_result *results, size_t n,
                          const struct detector_tools *tools, bool partial);

/* The chart, written whole or not at all (output_file.h): 0, or -errno after one line on stderr. */
int detectors_write_svg(const char *path, const struct subject_result *results, size_t n);

#endif
