/*
 * compare: a grid of scenarios × baristas × shot-ns × prep-ns, each cell run several times
 * natively, reported as medians with their spread, next to each scenario's TSan verdict and
 * TSan slowdown, with the facts needed to compare the results later.
 */
#ifndef ESPRESSO_COMPARE_H
#define ESPRESSO_COMPARE_H

#include "options.h"
#include "run.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define COMPARE_SCHEMA "espresso-lab/compare/1"
#define COMPARE_MAX_AXIS 64          /* values per grid axis */
#define COMPARE_MAX_SCENARIOS 64
#define COMPARE_DEFAULT_REPEAT 3
#define COMPARE_DEFAULT_SECONDS 0.25

struct compare_options {
        const struct scenario *scenarios[COMPARE_MAX_SCENARIOS];
        size_t scenario_count;
        uint64_t baristas[COMPARE_MAX_AXIS];
        size_t baristas_count;
        uint64_t shot_ns[COMPARE_MAX_AXIS];
        size_t shot_ns_count;
        uint64_t prep_ns[COMPARE_MAX_AXIS];
        size_t prep_ns_count;
        uint32_t repeat;          /* runs per cell */
        double seconds;           /* length of each run */
        bool pin;                 /* pin baristas to CPUs */
        enum output_format format;
        const char *svg_path;     /* NULL: no chart */
        const char *html_path;    /* NULL: no page */
        const char *baseline_path; /* NULL: no comparison */
        const char *from_path;    /* a saved result to report again instead of running */
};

/* A median with the smallest and largest of the repeats around it. */
struct spread {
        double median, min, max;
};

struct compare_cell {
        const struct scenario *scenario;
        uint32_t baristas;
        uint64_t shot_ns, prep_ns;
        uint32_t runs;
        struct spread ns_per_drink;
        struct spread drinks_per_sec;
        double wait_p50_ns, wait_p99_ns;  /* medians over the runs; NAN if never sampled */
        double fairness;                  /* median */
        double ctx_switches_per_drink;    /* median */
        double contended;                 /* median; NAN if the scenario cannot tell */
        int64_t lost_updates;             /* the largest of the runs */
        uint64_t collisions;              /* the largest of the runs */
        bool invariants_held;             /* in every run */
        /* Against --baseline: */
        bool has_baseline;
        double baseline_ns_per_drink;     /* the saved median */
        double change;                    /* new / old - 1 */
        bool significant;                 /* larger than the spread of either side's repeats */
};

struct compare_scenario_facts {
        const struct scenario *scenario;
        bool tsan_checked;
        enum verdict tsan_observed;
        double tsan_slowdown;             /* TSan run time / native run time, same work; NAN */
};

struct compare_result {
        struct compare_options options;
        struct compare_cell *cells;
        size_t cell_count;
        struct compare_scenario_facts facts[COMPARE_MAX_SCENARIOS];
        /* A cache line's round trip between two CPUs, in ns (see cores.h): before and after the
         * grid, and in the --baseline result. NAN where not measured. */
        double round_trip_ns[2];
        double baseline_round_trip_ns;
        struct json_t *saved_machine;     /* --from: the machine facts as saved, kept as they were */
        char notes[8][400];               /* sentences naming the mechanisms behind the data */
        size_t note_count;
};

int parse_compare_options(int argc, char **argv, struct compare_options *out, char *err,
                          size_t err_size);

struct spread spread_of(double *values, uint32_t n); /* sorts values */

/* One figure for a result's round trip: the mean of before and after, whichever were measured;
 * NAN if neither. Of a saved result's machine facts, the same. */
double compare_round_trip_ns(double before, double after);
double compare_saved_round_trip_ns(struct json_t *machine);

/* Machine facts and the result, as the JSON that --baseline reads back. */
void compare_write_json(FILE *out, const struct compare_result *r);
void compare_write_table(FILE *out, const struct compare_result *r);
void compare_write_csv(FILE *out, const struct compare_result *r);
/* Reads a saved result (--format json) into r, in place of running the grid. 0, or -1 with a
 * message in err. */
int compare_load_json(struct compare_result *r, const char *path, char *err, size_t err_size);
/* Reads a saved result and marks each cell's change. 0, or -1 with a message in err. */
int compare_apply_baseline(struct compare_result *r, const char *path, char *err, size_t err_size);
void compare_explain(struct compare_result *r);

/* Pictures. 0, or -errno. */
int compare_write_svg(const char *path, const struct compare_result *r);
int compare_write_html(const char *path, const struct compare_result *r);
void compare_svg(FILE *out, const struct compare_result *r);

#endif
