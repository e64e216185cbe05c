/*
 * Reading Helgrind's and DRD's reports (Valgrind's text on stderr) into the same findings as
 * ThreadSanitizer's, so that race-check's vocabulary, its mapping of accesses to the scenario's
 * lines and its verdicts serve every detector. Pure text in, summary out: unit-tested on
 * captured reports.
 */
#ifndef ESPRESSO_VALGRIND_REPORT_H
#define ESPRESSO_VALGRIND_REPORT_H

#include "tsan_report.h"

/* The class of one of Helgrind's or DRD's error headings ("Possible data race during write of
 * size 8 at 0x... by thread #3", "Conflicting store by thread 3 at ...", "Thread #3: lock order
 * \"0x... before 0x...\" violated", "Mutex not locked: ..."), or OBSERVED_CLEAN when the line
 * does not start an error. */
enum observed valgrind_kind_of_heading(const char *heading);

void valgrind_parse(const char *stderr_text, tsan_field_namer name_field, struct tsan_findings *out);

#endif
