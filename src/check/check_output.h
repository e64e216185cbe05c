/*
 * What check prints: per file, a table of checks with their evidence, the race as lines of the
 * student's file, and the hints (for people); one object per file (JSON, for graders' scripts);
 * one row per file (CSV, for a whole class in a spreadsheet). README "check" documents the JSON.
 */
#ifndef ESPRESSO_CHECK_OUTPUT_H
#define ESPRESSO_CHECK_OUTPUT_H

#include "checks.h"
#include "report/format.h"

#include <stdio.h>

/* One file's result as a table; `width` columns. */
void check_print_table(FILE *out, const struct check_result *r, unsigned width);

/* The totals after several files: "3 files: 1 passed, 1 failed, 1 does not compile". */
void check_print_totals(FILE *out, const struct check_result *results, size_t n);

/* Every file's result as one JSON document, or as CSV with a header row. */
void check_print_json(FILE *out, const struct check_result *results, size_t n, const char *sandbox,
                      double worst_case_seconds);
void check_print_csv(FILE *out, const struct check_result *results, size_t n);

#endif
