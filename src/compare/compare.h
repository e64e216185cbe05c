/*
 * compare: a grid of scenarios × baristas × shot-ns × prep-ns, each cell run several times
 * natively, reported as medians with their spread, next to each scenario's TSan verdict and
 * TSan slowdown, with the facts needed to compare the results later.
 */
#ifndef ESPRESSO_COMPARE_H
#define ESPRESSO_COMPARE_H

#include "harness/registry.h"
#include "harness/run.h"
#include "report/format.h"
#include "tsan/verdict.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define COMPARE_SCHEMA "espresso-lab/compare/1"
#define COMPARE_MAX_AXIS 64          /* values per grid axis */
#define COMPARE_MAX_SCENARIOS 64
#define COMPARE_DEFAULT_REPEAT 3
#define COMPARE_MAX_REPEAT 101
#define COMPARE_DEFAULT_SECONDS 0.25
/* A cell's process still running this long after its runs' time and the watchdog's stall limit
 * is killed: generous, as a run may overshoot its time (a collapsing queue lock ends its shift
 * after its turn), but finite, so that no cell can hang the sweep. */
#define COMPARE_CELL_MARGIN_SECONDS 30.0

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
        enum shot_mode shot_mode; /* --shot: pulled, or none (the lock alone) */
        /* Asked for, but left out, and why: those that deadlock by design (a cell that hangs
         * on purpose measures nothing), those whose critical section is not the shot under
         * --shot none. */
        struct {
                const struct scenario *scenario;
                const char *why;
        } left_out[COMPARE_MAX_SCENARIOS];
        size_t left_out_count;
};

/* A median with the smallest and largest of the repeats around it. */
struct spread {
        double median, min, max;
};

/* How a cell's process ended. Only a completed cell has figures. */
enum cell_ending {
        CELL_COMPLETED,     /* every run ended on time */
        CELL_STALLED,       /* the watchdog ended a run: no barista progressed */
        CELL_TIMED_OUT,     /* still running at its time bound (COMPARE_CELL_MARGIN_SECONDS): killed */
        CELL_CRASHED,       /* died of a signal */
        CELL_COULD_NOT_RUN, /* a run could not start (setup, memory, threads, a process) */
        CELL_INTERRUPTED,   /* compare was interrupted: killed, and not reported */
};

/* "completed", "stalled", "timed_out", "crashed", "could_not_run", "interrupted" */
const char *cell_ending_name(enum cell_ending e);

/* How a cell's process died (CELL_CRASHED): of a signal, or exiting with a status the lab never
 * gives (a sanitizer's report ends that way, a SEGV under ASan included). */
struct cell_death {
        int signal;                       /* 0 when it exited */
        int exit_status;                  /* when it exited */
};

struct compare_cell {
        const struct scenario *scenario;
        uint32_t baristas;
        uint64_t shot_ns, prep_ns;
        enum cell_ending ended;
        struct cell_death died;           /* CELL_CRASHED */
        uint32_t runs;                    /* runs completed (before the cell ended, if it failed) */
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
        enum observed tsan_observed;
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
        struct json_t *baseline;          /* --baseline: the saved result, read before the grid */
        /* An interrupted sweep reports what it finished, saying so. */
        bool partial;
        char partial_because[200];        /* "interrupted by SIGINT after 3 of 8 cells" */
        char notes[8][400];               /* sentences naming the mechanisms behind the data */
        size_t note_count;
};


/* Everything compare will read and write, checked before anything is measured: the output
 * paths, then a saved result (--from, which then takes the place of the grid) and a baseline,
 * read and their shape checked. 0, or -1 with one line in err. */
int compare_check_files(struct compare_result *r, char *err, size_t err_size);

/* The sweep: a warm-up, every cell of the grid (total of them) each in a process of its own,
 * the CPUs' round trip before and after, each scenario's TSan verdict. Until done or
 * interrupted (SIGINT, SIGTERM: interrupt.h): then r is marked partial. */
void compare_sweep(struct compare_result *r, size_t total);

/* Every output asked for, each whatever became of the others: 0, or -1 when a file could not
 * be written (said on stderr). Then compare_release(). */
int compare_report(struct compare_result *r);
void compare_release(struct compare_result *r);

/* "deadlock (it deadlocks on purpose: see 'espresso-lab run deadlock')": o->left_out, and why. */
void compare_left_out_why(const struct compare_options *o, char *out, size_t size);

struct spread spread_of(double *values, uint32_t n); /* sorts values */

/* One figure for a result's round trip: the mean of before and after, whichever were measured;
 * NAN if neither. Of a saved result's machine facts, the same. */
double compare_round_trip_ns(double before, double after);
double compare_saved_round_trip_ns(struct json_t *machine);

/* What a cell keeps of one run: numbers only, so that it can cross a pipe from the cell's
 * process (the same binary: a plain struct). */
struct compare_run {
        enum run_ending ended;
        bool measured;                    /* false after a stall: nothing else is filled in */
        double seconds;                   /* the run's length */
        double ns_per_drink, drinks_per_sec;
        double wait_p50_ns, wait_p99_ns;  /* NAN if never sampled */
        double fairness, ctx_switches_per_drink;
        double contended;                 /* NAN if the scenario cannot tell */
        int64_t lost_updates;
        uint64_t collisions;
        bool invariants_held;
};

/* Runs s as config says, repeat times, in a child process of its own (forked from this, the
 * single-threaded sweep, between runs), which is killed with its whole process group when it
 * outlives its time bound or when SIGINT or SIGTERM is caught. runs[] receives each run that
 * ended, *done how many; *died how it died, for CELL_CRASHED. */
enum cell_ending compare_run_isolated(const struct scenario *s, const struct run_config *config,
                                      uint32_t repeat, struct compare_run *runs, uint32_t *done,
                                      struct cell_death *died);

/* What became of a cell without figures, for people: "stalled after 2 runs", "crashed (signal
 * 11)". */
void compare_cell_ending_text(char *buf, size_t size, const struct compare_cell *c);

/* Machine facts and the result, as the JSON that --baseline reads back. */
void compare_write_json(FILE *out, const struct compare_result *r);
void compare_write_table(FILE *out, const struct compare_result *r);
void compare_write_csv(FILE *out, const struct compare_result *r);
/* Reads a saved result (--format json) into r, in place of running the grid. 0, or -1 with a
 * message in err. */
int compare_load_json(struct compare_result *r, const char *path, char *err, size_t err_size);
/* Reads a saved result for --baseline into r->baseline, its shape checked: before the grid, so
 * that a bad baseline costs no sweep. 0, or -1 with a message in err. */
int compare_read_baseline(struct compare_result *r, const char *path, char *err, size_t err_size);
/* Marks each cell's change against r->baseline, if there is one. */
void compare_apply_baseline(struct compare_result *r);
void compare_explain(struct compare_result *r);

/* Pictures, written whole or not at all (output_file.h). 0, or -errno after one line on stderr. */
int compare_write_svg(const char *path, const struct compare_result *r);
int compare_write_html(const char *path, const struct compare_result *r);
void compare_svg(FILE *out, const struct compare_result *r);

#endif
