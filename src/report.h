/* Printing results: a table for people and projectors, CSV for spreadsheets, JSON for scripts.
 * Field names are the same in all three. */
#ifndef ESPRESSO_REPORT_H
#define ESPRESSO_REPORT_H

#include "options.h"
#include "race_check.h"
#include "run.h"

#include <stdio.h>

void report_scenarios(FILE *out, enum output_format format);
void report_run(FILE *out, const struct run_result *r, enum output_format format);
void report_race_checks(FILE *out, const struct race_check_result *results, size_t n,
                        struct race_check_mode mode, enum output_format format);

/* "data race on espresso_machine.shots at src/machine.h:61 (machine_pull_shot)" */
void report_first_tsan_finding(FILE *out, const struct tsan_findings *f);

#endif
