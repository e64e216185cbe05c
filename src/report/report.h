/* Printing results: a table for people and projectors, CSV for spreadsheets, JSON for scripts.
 * Field names are the same in all three. */
#ifndef ESPRESSO_REPORT_H
#define ESPRESSO_REPORT_H

#include "harness/run.h"
#include "format.h"

#include <stdio.h>

void report_scenarios(FILE *out, enum output_format format);
void report_run(FILE *out, const struct run_result *r, enum output_format format);

/* Writes doc as indented JSON and a newline, and releases it. */
struct json_t;
void report_json(FILE *out, struct json_t *doc);

#endif
