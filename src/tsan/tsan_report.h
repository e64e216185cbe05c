/*
 * Reading ThreadSanitizer's stderr. Pure text in, summary out: unit-tested on captured reports.
 */
#ifndef ESPRESSO_TSAN_REPORT_H
#define ESPRESSO_TSAN_REPORT_H

#include "verdict.h"

#include <stdbool.h>

/* One side of a report: an access of a race ("Write of size 8 ... by thread T2"), or an
 * acquisition of an inversion ("Mutex M1 acquired here while holding mutex M0 ..."). */
struct tsan_access {
        char what[64];      /* "Write of size 8", "Previous read of size 8", "Mutex M1 acquired" */
        char function[128]; /* its first frame with a source line */
        char where[256];    /* that frame's file:line */
        char caller[256];   /* its first frame in a scenario file, "scenarios/unsync.c:13", or "" */
        char thread[32];    /* "T2", "main thread" */
        char mutexes[128];  /* the mutexes its thread held, as TSan lists them ("write M0"), or "" */
        char frames[320];   /* every frame of its stack in a scenario file, innermost first,
                             * space-separated ("scenarios/deadlock.c:25 scenarios/deadlock.c:51") */
};

/* Adds a frame in a scenario file to a's frames, while there is room. */
void tsan_access_add_frame(struct tsan_access *a, const char *where);

#define TSAN_MAX_ACCESSES 2

struct tsan_report {
        char kind[64];      /* "data race", "lock-order-inversion (potential deadlock)" */
        enum observed observed; /* the class of this report */
        char location[256]; /* "src/kit/machine.h:61": the SUMMARY line's file:line, column dropped */
        char function[128]; /* the SUMMARY line's function */
        char variable[128]; /* "espresso_machine.shots", "global 'menu'", "heap block of 24 bytes" */
        char caller[256];   /* first frame in a scenario file, "scenarios/unsync.c:13", or "" */
        unsigned accesses;  /* of access[] */
        struct tsan_access access[TSAN_MAX_ACCESSES];
};

#define TSAN_MAX_SUPPRESSIONS 16
#define TSAN_MAX_REPORTS 16 /* reports kept in detail; all are counted */

/* A suppression entry that matched, from TSan's print_suppressions summary. */
struct tsan_suppression_use {
        char entry[128];    /* "race:_ck_ring_dequeue_sc" */
        unsigned long count; /* reports it swallowed */
};

struct tsan_findings {
        unsigned reports;         /* WARNING: blocks */
        enum observed observed;   /* the most telling class among them; OBSERVED_CLEAN if none */
        unsigned kept;            /* of report[]: the first TSAN_MAX_REPORTS, in order */
        struct tsan_report report[TSAN_MAX_REPORTS];
        size_t suppressions_used;
        struct tsan_suppression_use suppressed[TSAN_MAX_SUPPRESSIONS];
        bool tsan_failed;         /* TSan itself could not run (FATAL, unexpected mapping...) */
        char failure[256];        /* its message when it failed */
};

/* Names the field at offset into the global `symbol` ("espresso_machine.shots"), or NULL to use
 * the symbol's name: TSan names only the global. */
typedef const char *(*tsan_field_namer)(const char *symbol, unsigned long offset);

/* Whether a frame's file:line is in the scenario's own code ("scenarios/unsync.c:13", a
 * student's "mine.c:20"), not the lab's (src/), an installed kit's or library's header, or the
 * system's. */
bool tsan_where_in_scenario(const char *where);

void tsan_parse(const char *stderr_text, tsan_field_namer name_field, struct tsan_findings *out);

/* The first report of the most telling class, or NULL when there is none. */
const struct tsan_report *tsan_first_of_worst(const struct tsan_findings *f);

#endif
