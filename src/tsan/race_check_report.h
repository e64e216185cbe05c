/* race-check's output (race_check_report.c). */
#ifndef ESPRESSO_RACE_CHECK_REPORT_H
#define ESPRESSO_RACE_CHECK_REPORT_H

#include "race_check.h"
#include "report/format.h"

#include <stdio.h>

void report_race_checks(FILE *out, const struct race_check_result *results, size_t n,
                        struct race_check_mode mode, enum output_format format);

/* "data race on espresso_machine.shots at src/kit/machine.h:61 (machine_pull_shot)" */
void report_tsan_report(FILE *out, const struct tsan_report *r);

/* What a race-check run of s found, in one line: its first report of the verdict's class (or
 * "no report"), a hang and why, an invariant broken by a scenario that claims to be correct. */
void report_race_check_finding(FILE *out, const struct scenario *s, const struct race_check_run *run);

#endif
