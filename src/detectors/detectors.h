/*
 * detectors: which race detector finds what, at what cost. Each subject (a scenario of this lab,
 * a scenario file built against the kit, or a plain C program with its own main()) is run the
 * same bounded way under four detectors (clang's and gcc's ThreadSanitizer, Valgrind's Helgrind
 * and DRD), with the annotations and without, and natively to compare; each run is judged in
 * race-check's vocabulary and scored against what the subject is known to be.
 */
#ifndef ESPRESSO_DETECTORS_H
#define ESPRESSO_DETECTORS_H

#include "kit/scenario.h"
#include "tsan/verdict.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum detector {
        DETECTOR_TSAN_CLANG, /* clang's -fsanitize=thread: the lab's TSan twin */
        DETECTOR_TSAN_GCC,   /* gcc's -fsanitize=thread (libtsan2): espresso-lab-tsan-gcc */
        DETECTOR_HELGRIND,   /* valgrind --tool=helgrind on the Valgrind twin */
        DETECTOR_DRD,        /* valgrind --tool=drd on the Valgrind twin */
};
#define DETECTOR_COUNT (DETECTOR_DRD + 1)

const char *detector_name(enum detector d);  /* "tsan-clang", "tsan-gcc", "helgrind", "drd" */
const char *detector_title(enum detector d); /* "TSan (clang)", "TSan (gcc)", "Helgrind", "DRD" */
static inline bool detector_is_valgrind(enum detector d)
{
        return d == DETECTOR_HELGRIND || d == DETECTOR_DRD;
}

/* The two columns of every subject that has annotations: told (the kit's variant hooks), and
 * not told (ESPRESSO_TSAN_ANNOTATIONS=off). A plain program has only the first. */
enum telling { TOLD, NOT_TOLD };
#define TELLINGS 2

/* What the lab found to run the detectors with. */
struct detector_tools {
        char lab[DETECTOR_COUNT][PATH_MAX];  /* the build of the lab each runs ("" if missing) */
        char missing[DETECTOR_COUNT][256];   /* why a detector cannot run, or "" */
        char baseline[PATH_MAX];             /* the build timed natively: the Valgrind twin,
                                              * unoptimized as the TSan twins are, else the lab */
        char valgrind[PATH_MAX];             /* the valgrind program, or "" */
        char valgrind_suppressions[PATH_MAX];
        char tsan_suppressions[PATH_MAX];    /* race-check's, for the lab's own scenarios */
        char clang[PATH_MAX], gcc[PATH_MAX]; /* for plain programs; "" if missing */
};

/* Finds the twins beside the running lab, valgrind and the compilers. Never fails: what is
 * missing is said in missing[]. */
void detector_tools_locate(struct detector_tools *tools);

enum subject_kind {
        SUBJECT_SCENARIO, /* one of this lab's scenarios */
        SUBJECT_FILE,     /* a scenario file (SCENARIO(...)), built against the kit */
        SUBJECT_PROGRAM,  /* a C program with its own main() and pthreads */
};

#define SUBJECT_MAX_BUG_LINES 16

struct subject {
        enum subject_kind kind;
        char name[160];          /* the scenario's name, the file as given */
        char group[40];          /* what it is scored with: its family ("lock"), "negative
                                  * control", "student corpus", "program" */
        enum verdict expect;     /* what it is known to be */
        const struct scenario *scenario; /* SUBJECT_SCENARIO */
        char run_name[128];      /* the scenario `run` is given (a file's own), or "" */
        bool has_helper;         /* it has a manager or an operator: one barista fewer */
        uint64_t default_orders; /* its own orders for a run (slow orders), or 0 */
        char source[PATH_MAX];   /* its source, where found, else "" */
        char source_base[128];   /* its file name, as reports name it ("unsync.c") */
        unsigned bug_lines[SUBJECT_MAX_BUG_LINES]; /* lines marked "bug:" in a comment */
        unsigned bug_line_count;
        /* The builds of a file or a program: per detector, and the native one. */
        char dir[PATH_MAX];      /* their temporary directory, or "" */
        char build[DETECTOR_COUNT][PATH_MAX];
        char build_missing[DETECTOR_COUNT][256];
        char native[PATH_MAX];
        char tsan_suppressions[PATH_MAX]; /* a file's lab's; "" for programs (none apply) */
        bool failed;             /* could not be built or read */
        char why[512];
};

/* One detector's run of one subject, told or not. */
struct detector_cell {
        bool made;               /* false: the detector is missing, or the column does not apply */
        enum observed observed;  /* OBSERVED_ERROR: no verdict (why) */
        unsigned reports;
        char first_kind[64];     /* the most telling report's kind, "" if none */
        char first_where[256];   /* its line in the subject ("scenarios/unsync.c:16"), else its
                                  * first frame's */
        bool at_bug;             /* a report of the kind expected has an access at a line the
                                  * subject marks (any line of its own, if it marks none) */
        double seconds;          /* wall time */
        double peak_mib;         /* peak resident memory */
        double slowdown;         /* seconds / the native run's; NAN */
        double memory_ratio;     /* peak_mib / the native run's; NAN */
        char why[256];           /* missing, or why there is no verdict */
};

struct subject_result {
        struct subject subject;
        double native_seconds, native_peak_mib; /* NAN when the native run failed */
        char native_why[256];
        struct detector_cell cell[TELLINGS][DETECTOR_COUNT];
};

/* Each run is bounded: killed after this long (Valgrind's runs of the small race-check work take
 * seconds; a subject that hangs is stopped by its own watchdog long before). */
#define DETECTORS_KILL_SECONDS 120.0

/* Prepares subject from what the user typed: a scenario's name, or a file (a scenario file when
 * it holds SCENARIO(, a program otherwise, or always when as_program). expect_given: --expect,
 * or -1 to read it from the file's "expect:" line. 0, or -1 with subject->why. */
int subject_prepare(const char *typed, bool as_program, int expect_given,
                    const struct detector_tools *tools, struct subject *subject);

/* Removes what subject_prepare built. */
void subject_remove(struct subject *subject);

/* Reads a source's "bug:" lines and its "expect:" word (-1 if none) into subject. */
int subject_read_source(struct subject *subject, const char *path);

/* Runs subject under every chosen detector that is there, told and not, and natively. Stops early, with
 * the cells not made marked so, when SIGINT or SIGTERM was caught. progress: where to say which
 * run is under way (a terminal), or NULL. */
void detectors_run_subject(const struct detector_tools *tools, const struct subject *subject,
                           bool both_tellings, const bool chosen[DETECTOR_COUNT], FILE *progress,
                           struct subject_result *result);

/* Whether `where` ("scenarios/unsync.c:16", "mine.c:20") is one of subject's marked lines, or,
 * when it marks none, any line of its own file. */
bool subject_line_is_bug(const struct subject *subject, const char *where);

#endif
