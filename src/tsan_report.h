/*
 * Reading ThreadSanitizer's stderr. Pure text in, summary out: unit-tested on captured reports.
 */
#ifndef ESPRESSO_TSAN_REPORT_H
#define ESPRESSO_TSAN_REPORT_H

#include "scenario.h"

#include <stdbool.h>

struct tsan_report {
        char kind[64];      /* "data race", "lock-order-inversion (potential deadlock)" */
        char location[256]; /* "src/machine.h:61": the SUMMARY line's file:line, column dropped */
        char function[128]; /* the SUMMARY line's function */
        char variable[128]; /* "espresso_machine.shots", "global 'menu'", "heap block of 24 bytes" */
        char caller[256];   /* first frame in a scenario file, "scenarios/unsync.c:13", or "" */
};

#define TSAN_MAX_SUPPRESSIONS 16

/* A suppression entry that matched, from TSan's print_suppressions summary. */
struct tsan_suppression_use {
        char entry[128];    /* "race:_ck_ring_dequeue_sc" */
        unsigned long count; /* reports it swallowed */
};

struct tsan_findings {
        unsigned reports;         /* WARNING: blocks */
        enum verdict observed;    /* race if any report other than lock-order inversion, ... */
        bool has_first;
        struct tsan_report first; /* the first report, in detail */
        size_t suppressions_used;
        struct tsan_suppression_use suppressed[TSAN_MAX_SUPPRESSIONS];
        bool tsan_failed;         /* TSan itself could not run (FATAL, unexpected mapping...) */
        char failure[256];        /* its message when it failed */
};

void tsan_parse(const char *stderr_text, struct tsan_findings *out);

#endif
