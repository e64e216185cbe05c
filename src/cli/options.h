/*
 * Command-line parsing, kept apart from doing: each parse_*_options() fills a struct or returns
 * -EINVAL with one line for the user in err ("--baristas: 'x' is not a whole number"). Nothing
 * here prints or exits, so the unit tests can drive it.
 */
#ifndef ESPRESSO_OPTIONS_H
#define ESPRESSO_OPTIONS_H

#include "harness/registry.h"
#include "harness/run.h"
#include "report/format.h"
#include "tsan/race_check.h"
#include "explore/explore.h"
#include "kit/scenario.h"
#include "timeline/timeline.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds that keep a run meaningful and finite on a lab machine. */
#define OPTIONS_MAX_BARISTAS SCENARIO_MAX_BARISTAS
#define OPTIONS_MAX_ORDERS 1000000000000ull /* 10^12 */
#define OPTIONS_MAX_SECONDS 3600.0
#define OPTIONS_MIN_SECONDS 0.001
#define OPTIONS_MAX_WORK_NS 1000000000ull /* a second of busy work per shot or order */
#define OPTIONS_MAX_RUNS 1000u
#define OPTIONS_MAX_SCENARIOS 64u
#define OPTIONS_MAX_ARGUMENT 1024u /* characters in one argument: a longer one is refused, not cut */

#define DEFAULT_BARISTAS 4u
#define DEFAULT_ORDERS 400000ull
#define DEFAULT_SHOT_NS 0ull
#define DEFAULT_PREP_NS 0ull
#define DEFAULT_UPDATES_PER_SEC RUN_DEFAULT_UPDATES_PER_SEC
#define OPTIONS_MAX_UPDATES_PER_SEC 1000000u


struct list_options {
        enum output_format format; /* table or json */
};

struct run_options {
        const char *scenario;     /* as typed; run checks that it exists */
        struct run_config config;
        enum output_format format;
        bool orders_given;        /* --orders was given (else a scenario may pick its default) */
};

struct race_check_options {
        const char *scenarios[OPTIONS_MAX_SCENARIOS]; /* as typed; none means all */
        size_t scenario_count;
        uint32_t runs;            /* TSan runs per scenario; all must match */
        struct race_check_mode mode; /* --no-suppressions, --no-annotations */
        enum output_format format; /* table or json */
};

#define OPTIONS_MAX_CHECK_FILES 4096u /* a class's submissions */

struct check_options {
        const char *files[OPTIONS_MAX_CHECK_FILES]; /* as typed */
        size_t file_count;
        const char *exercise;      /* --exercise NAME, or NULL; check says whether it exists */
        enum output_format format; /* table, csv or json */
};

#define OPTIONS_MAX_DETECTOR_SUBJECTS 512u /* a corpus */
#define OPTIONS_DETECTORS 4u              /* tsan-clang, tsan-gcc, helgrind, drd */

struct detectors_options {
        const char *subjects[OPTIONS_MAX_DETECTOR_SUBJECTS]; /* as typed; none: every scenario */
        bool as_program[OPTIONS_MAX_DETECTOR_SUBJECTS];       /* given with --program */
        size_t subject_count;
        int expect;                /* --expect: an enum verdict, or -1 */
        bool told_only;            /* --told-only: no column without the annotations */
        bool detector_chosen[OPTIONS_DETECTORS]; /* --detectors LIST; all when none is named */
        enum output_format format; /* table, csv or json */
        const char *svg;           /* --svg FILE, or NULL */
};

struct bench_options {
        uint64_t orders;  /* per measurement */
        uint32_t repeat;  /* measurements; the median is reported */
};

/* Timelines are short runs: a few orders per barista, with work long enough to see. */
#define TIMELINE_DEFAULT_BARISTAS 3u
#define TIMELINE_DEFAULT_ORDERS_EACH 8u
#define TIMELINE_DEFAULT_PREP_NS 10000ull
#define TIMELINE_DEFAULT_SHOT_NS 10000ull
#define TIMELINE_MAX_ORDERS 100000ull
#define TIMELINE_DEFAULT_COLUMNS 80u
#define TIMELINE_MIN_COLUMNS 40u
#define TIMELINE_MAX_COLUMNS TIMELINE_MAX_WIDTH /* what the drawing has room for */

struct timeline_options {
        struct run_options run;   /* the scenario and its run; always counted by orders */
        const char *svg_path;     /* --svg FILE, or NULL */
        unsigned columns;         /* --width: the terminal drawing's width */
};

struct demo_options {
        bool fast;        /* shorter runs, no pauses: for tests */
        bool step;        /* wait for Enter between scenes rather than pausing */
};

struct explore_command_options {
        const char *subject;        /* a scenario's name, or a scenario file (FILE.c) */
        uint32_t baristas;          /* 0: the default */
        uint64_t orders;            /* 0: the default, EXPLORE_ORDERS_PER_BARISTA each */
        struct explore_options search;
        enum output_format format;  /* table or json */
};

struct replay_options {
        const char *subject;        /* a scenario's name, or a scenario file (FILE.c) */
        const char *schedule;       /* as explore printed it */
        bool step;                  /* --step: Enter between steps */
        const char *svg;            /* --svg FILE, or NULL */
        const char *html;           /* --html FILE, or NULL */
        enum output_format format;  /* table or json */
};

/* Each returns 0 with *out filled, 1 when --help was asked for, or -EINVAL with a message.
 * argv[0] is the command's name ("run"); getopt's global state is reset on every call. */
int parse_list_options(int argc, char **argv, struct list_options *out, char *err, size_t err_size);
int parse_run_options(int argc, char **argv, struct run_options *out, char *err, size_t err_size);
int parse_check_options(int argc, char **argv, struct check_options *out, char *err, size_t err_size);
int parse_race_check_options(int argc, char **argv, struct race_check_options *out, char *err,
                             size_t err_size);
int parse_detectors_options(int argc, char **argv, struct detectors_options *out, char *err,
                            size_t err_size);
int parse_bench_options(int argc, char **argv, struct bench_options *out, char *err, size_t err_size);
/* bench repeatability and bench collapse: --help, nothing else. */
int parse_bench_name_only(int argc, char **argv, struct bench_options *out, char *err,
                          size_t err_size);
int parse_demo_options(int argc, char **argv, struct demo_options *out, char *err, size_t err_size);
int parse_timeline_options(int argc, char **argv, struct timeline_options *out, char *err,
                           size_t err_size);
int parse_explore_options(int argc, char **argv, struct explore_command_options *out, char *err,
                          size_t err_size);
int parse_replay_options(int argc, char **argv, struct replay_options *out, char *err,
                         size_t err_size);

/* The number parsers, exposed for the tests. Whole numbers are plain decimal digits: no sign,
 * no blanks, no suffix, within [min, max]. Seconds may have a fraction. */
int parse_whole(const char *option, const char *text, uint64_t min, uint64_t max, uint64_t *out,
                char *err, size_t err_size);
int parse_seconds(const char *option, const char *text, double *out, char *err, size_t err_size);

/* For the parsers of each command (command_options.c, compare_options.c). */
struct option;

/* What one command accepts: its long options, and what to do with each option and each word. */
struct command_syntax {
        const struct option *longs;
        int (*on_option)(int option, const char *value, void *out, char *err, size_t err_size);
        int (*on_word)(const char *word, void *out, char *err, size_t err_size); /* NULL: none */
        const char *command; /* for "list takes no arguments" */
};

/* The one parsing loop: options and words in any order ("run mutex --baristas 8" and
 * "run --baristas 8 mutex"). 0, 1 for --help, or -EINVAL with err filled. */
int parse_command(int argc, char **argv, const struct command_syntax *syntax, void *out, char *err,
                  size_t err_size);

/* A comma-separated list ("1,2,4", "mutex,unsync") is well-formed: not empty, no empty item
 * ("1,,2", ",1", "1,"), no item longer than max_item. 0, or -EINVAL with err filled. */
int check_list(const char *option, const char *text, size_t max_item, char *err, size_t err_size);

/* Fills err with one line for the user and returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
int usage_error(char *err, size_t err_size, const char *fmt, ...);

int parse_format(const char *text, bool csv_allowed, enum output_format *out, char *err,
                 size_t err_size);

struct compare_options;
int parse_compare_options(int argc, char **argv, struct compare_options *out, char *err,
                          size_t err_size);

/* --shot pulled|none. */
int parse_shot_mode(const char *text, enum shot_mode *out, char *err, size_t err_size);

/* Why scenario s cannot run with the shot mode, or NULL when it can. */
const char *shot_mode_refusal(const struct scenario *s, enum shot_mode mode);

#endif
