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
void report_tsan_report(FILE *out, const struct tsan_report *r);

/* What a race-check run of s found, in one line: its first report of the verdict's class (or
 * "no report"), a hang and why, an invariant broken by a scenario that claims to be correct. */
void report_race_check_finding(FILE *out, const struct scenario *s, const struct race_check_run *run);

#endif
