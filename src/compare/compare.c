/* compare: run the grid, each cell several times, and report medians with their spread. */
#include "compare.h"

#include "harness/interrupt.h"
#include "harness/registry.h"
#include "measure/busywork.h"
#include "measure/clock.h"
#include "measure/cores.h"
#include "report/output_file.h"
#include "tsan/race_check.h"

#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int by_value(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

struct spread spread_of(double *values, uint32_t n)
{
        if (n == 0)
                return (struct spread){ NAN, NAN, NAN };
        qsort(values, n, sizeof(*values), by_value);
        double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        return (struct spread){ median, values[0], values[n - 1] };
}

/* The median of n values that may be NAN (not measured): NAN if none was. */
static double median_of_present(double *values, uint32_t n)
{
        uint32_t present = 0;
        for (uint32_t i = 0; i < n; i++)
                if (!isnan(values[i]))
                        values[present++] = values[i];
        return spread_of(values, present).median;
}

/* Shows "cell i of n, elapsed, left" on stderr, only when it is a terminal. */
static void progress(size_t done, size_t total, uint64_t started_ns)
{
        if (!isatty(STDERR_FILENO))
                return;
        double elapsed = (double)(clock_now_ns() - started_ns) / 1e9;
        double left = done ? elapsed / (double)done * (double)(total - done) : 0;
        fprintf(stderr, "\r  cell %zu of %zu, %.0f s elapsed, about %.0f s left   ", done + 1, total,
                elapsed, left);
        if (done + 1 == total)
                fputs("\n", stderr);
}

/* The cell's figures from its runs: medians, spreads, and the worst of what broke. */
static void summarize_cell(struct compare_cell *cell, const struct compare_run *runs, uint32_t n)
{
        double ns[COMPARE_MAX_REPEAT], rate[COMPARE_MAX_REPEAT], p50[COMPARE_MAX_REPEAT],
                p99[COMPARE_MAX_REPEAT], fair[COMPARE_MAX_REPEAT], ctx[COMPARE_MAX_REPEAT],
                cont[COMPARE_MAX_REPEAT];

        cell->invariants_held = true;
        for (uint32_t i = 0; i < n; i++) {
                const struct compare_run *r = &runs[i];
                ns[i] = r->ns_per_drink;
                rate[i] = r->drinks_per_sec;
                p50[i] = r->wait_p50_ns;
                p99[i] = r->wait_p99_ns;
                fair[i] = r->fairness;
                ctx[i] = r->ctx_switches_per_drink;
                cont[i] = r->contended;
                if (r->lost_updates > cell->lost_updates)
                        cell->lost_updates = r->lost_updates;
                if (r->collisions > cell->collisions)
                        cell->collisions = r->collisions;
                cell->invariants_held &= r->invariants_held;
        }
        cell->ns_per_drink = spread_of(ns, n);
        cell->drinks_per_sec = spread_of(rate, n);
        cell->wait_p50_ns = median_of_present(p50, n);
        cell->wait_p99_ns = median_of_present(p99, n);
        cell->fairness = median_of_present(fair, n); /* none with one barista */
        cell->ctx_switches_per_drink = spread_of(ctx, n).median;
        cell->contended = median_of_present(cont, n);
}

/* Runs the cell's repeats in a process of its own. False when compare was interrupted. */
static bool measure_cell(struct compare_cell *cell, const struct compare_options *o)
{
        struct compare_run runs[COMPARE_MAX_REPEAT];
        struct run_config config = {
                .baristas = cell->baristas, .seconds = o->seconds, .shot_ns = cell->shot_ns,
                .shot_mode = o->shot_mode,
                .prep_ns = cell->prep_ns, .updates_per_sec = RUN_DEFAULT_UPDATES_PER_SEC, .pin = o->pin,
        };

        cell->ended = compare_run_isolated(cell->scenario, &config, o->repeat, runs, &cell->runs,
                                           &cell->died);
        if (cell->ended == CELL_INTERRUPTED)
                return false;
        if (cell->ended == CELL_COMPLETED) {
                summarize_cell(cell, runs, cell->runs);
                return true;
        }
        uint32_t completed = 0;
        for (uint32_t i = 0; i < cell->runs; i++)
                completed += runs[i].measured && runs[i].ended == RUN_COMPLETED;
        cell->runs = completed; /* the run that stalled is not one of them */
        char what[96];
        compare_cell_ending_text(what, sizeof(what), cell);
        fprintf(stderr, "espresso-lab: %s at %u baristas, shot %llu ns, prep %llu ns: %s; going "
                "on with the next cell\n", cell->scenario->name, cell->baristas,
                (unsigned long long)cell->shot_ns, (unsigned long long)cell->prep_ns, what);
        return true;
}

/* Each scenario's TSan verdict, and how much slower the same work runs under TSan. Stops when
 * interrupted: race-check then kills its child, as compare_run_isolated does. */
static void check_under_tsan(struct compare_result *r)
{
        char why[320];
        bool available = race_check_locate(why, sizeof(why)) == 0;

        for (size_t i = 0; i < r->options.scenario_count; i++) {
                struct compare_scenario_facts *f = &r->facts[i];
                f->scenario = r->options.scenarios[i];
                f->tsan_slowdown = NAN;
                if (!available || interrupt_signal())
                        continue;
                struct race_check_result check;
                race_check_scenario(f->scenario, 1, (struct race_check_mode){ 0 }, &check);
                if (check.failed || interrupt_signal())
                        continue;
                f->tsan_checked = true;
                f->tsan_observed = check.shown.observed;
                struct run_config same_work = race_check_run_config(f->scenario);
                struct compare_run native;
                uint32_t done;
                struct cell_death died;
                if (compare_run_isolated(f->scenario, &same_work, 1, &native, &done, &died) ==
                    CELL_COMPLETED && native.seconds > 0)
                        f->tsan_slowdown = check.tsan_seconds / native.seconds;
        }
        if (!available)
                fprintf(stderr, "espresso-lab: no TSan verdicts: %s\n", why);
}

/* Calibrated here, once, so that every cell's process inherits the same calibration; the run
 * that pages the lab in and wakes the CPUs up is a process of its own, like every run. */
static void warm_up(const struct compare_options *o)
{
        struct run_config config = { .baristas = 1, .seconds = 0.05, .pin = o->pin };
        struct compare_run run;
        uint32_t done;
        struct cell_death died;

        clock_calibrate();
        busywork_calibrate();
        compare_run_isolated(o->scenarios[0], &config, 1, &run, &done, &died);
}

int compare_report(struct compare_result *r)
{
        const struct compare_options *o = &r->options;
        int failed = 0;

        compare_apply_baseline(r);
        compare_explain(r);
        if (o->format == FORMAT_JSON)
                compare_write_json(stdout, r);
        else if (o->format == FORMAT_CSV)
                compare_write_csv(stdout, r);
        else
                compare_write_table(stdout, r);
        if (o->svg_path)
                failed |= compare_write_svg(o->svg_path, r);
        if (o->html_path)
                failed |= compare_write_html(o->html_path, r);
        return failed ? -1 : 0;
}

void compare_release(struct compare_result *r)
{
        free(r->cells);
        json_decref(r->saved_machine);
        json_decref(r->baseline);
}

int compare_check_files(struct compare_result *r, char *err, size_t err_size)
{
        struct compare_options *o = &r->options;
        const char *outputs[][2] = { { "--svg", o->svg_path }, { "--html", o->html_path } };
        char why[400];

        for (size_t i = 0; i < 2; i++)
                if (outputs[i][1] && output_file_check(outputs[i][1], why, sizeof(why)) != 0) {
                        snprintf(err, err_size, "%s: cannot write %s: %s", outputs[i][0],
                                 outputs[i][1], why);
                        return -1;
                }
        if (o->from_path) {
                /* A saved result reported again: its grid and figures, the outputs asked now. */
                struct compare_options asked = *o;
                if (compare_load_json(r, asked.from_path, err, err_size) != 0)
                        return -1;
                o->format = asked.format;
                o->svg_path = asked.svg_path;
                o->html_path = asked.html_path;
                o->baseline_path = asked.baseline_path;
                o->from_path = asked.from_path;
        }
        if (o->baseline_path && compare_read_baseline(r, o->baseline_path, err, err_size) != 0) {
                compare_release(r);
                return -1;
        }
        return 0;
}

static const char *signal_name(int sig)
{
        return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
}

/* The cell at index i of the grid, scenarios outermost, prep-ns innermost. */
static struct compare_cell grid_cell(const struct compare_options *o, size_t i)
{
        size_t p = i % o->prep_ns_count, k = i / o->prep_ns_count % o->shot_ns_count;
        size_t b = i / (o->prep_ns_count * o->shot_ns_count) % o->baristas_count;
        size_t s = i / (o->prep_ns_count * o->shot_ns_count * o->baristas_count);

        return (struct compare_cell){ .scenario = o->scenarios[s], .baristas = (uint32_t)o->baristas[b],
                                      .shot_ns = o->shot_ns[k], .prep_ns = o->prep_ns[p] };
}

/* The grid, cell after cell, until done or interrupted; then what an interrupted sweep is. */
static void run_grid(struct compare_result *r, size_t total)
{
        uint64_t started = clock_now_ns();

        for (size_t i = 0; i < total && !interrupt_signal(); i++) {
                struct compare_cell *cell = &r->cells[r->cell_count];
                *cell = grid_cell(&r->options, i);
                progress(i, total, started);
                if (!measure_cell(cell, &r->options))
                        break;
                r->cell_count++;
        }
        int sig = interrupt_signal();
        if (!sig)
                return;
        if (isatty(STDERR_FILENO))
                fputc('\n', stderr); /* after the progress line */
        r->partial = true;
        snprintf(r->partial_because, sizeof(r->partial_because),
                 "interrupted by %s after %zu of %zu cells", signal_name(sig), r->cell_count, total);
}

void compare_sweep(struct compare_result *r, size_t total)
{
        const struct compare_options *o = &r->options;

        warm_up(o);
        /* Before and after the grid: a host that moves the CPUs meanwhile shows as a change. */
        if (!interrupt_signal())
                r->round_trip_ns[0] = cores_round_trip_ns();
        run_grid(r, total);
        if (!interrupt_signal())
                r->round_trip_ns[1] = cores_round_trip_ns();
        check_under_tsan(r);
        int sig = interrupt_signal();
        if (sig && !r->partial) {
                r->partial = true;
                snprintf(r->partial_because, sizeof(r->partial_because), "interrupted by %s during "
                         "the TSan checks: every cell finished, not every TSan verdict",
                         signal_name(sig));
        }
}
