/* compare: run the grid, each cell several times, and report medians with their spread. */
#include "compare.h"

#include "commands.h"
#include "cores.h"
#include "race_check.h"

#include <jansson.h>
#include <math.h>
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

static bool measure_cell(struct compare_cell *cell, const struct compare_options *o)
{
        double ns[COMPARE_MAX_AXIS * 2], rate[COMPARE_MAX_AXIS * 2], p50[COMPARE_MAX_AXIS * 2],
                p99[COMPARE_MAX_AXIS * 2], fair[COMPARE_MAX_AXIS * 2], ctx[COMPARE_MAX_AXIS * 2],
                cont[COMPARE_MAX_AXIS * 2];
        struct run_config config = {
                .baristas = cell->baristas, .seconds = o->seconds, .shot_ns = cell->shot_ns,
                .prep_ns = cell->prep_ns, .updates_per_sec = DEFAULT_UPDATES_PER_SEC, .pin = o->pin,
        };

        cell->invariants_held = true;
        for (uint32_t i = 0; i < o->repeat && i < COMPARE_MAX_AXIS * 2; i++) {
                struct run_result r;
                if (run_scenario(cell->scenario, &config, &r) != 0)
                        return false;
                ns[i] = r.ns_per_drink;
                rate[i] = r.drinks_per_sec;
                p50[i] = r.wait.sampled ? r.wait.p50_ns : NAN;
                p99[i] = r.wait.sampled ? r.wait.p99_ns : NAN;
                fair[i] = r.fairness;
                ctx[i] = r.ctx_switches_per_drink;
                cont[i] = r.contended;
                if (r.lost_updates > cell->lost_updates)
                        cell->lost_updates = r.lost_updates;
                if (r.collisions > cell->collisions)
                        cell->collisions = r.collisions;
                cell->invariants_held &= r.invariants_held;
                cell->runs++;
        }
        cell->ns_per_drink = spread_of(ns, cell->runs);
        cell->drinks_per_sec = spread_of(rate, cell->runs);
        cell->wait_p50_ns = median_of_present(p50, cell->runs);
        cell->wait_p99_ns = median_of_present(p99, cell->runs);
        cell->fairness = spread_of(fair, cell->runs).median;
        cell->ctx_switches_per_drink = spread_of(ctx, cell->runs).median;
        cell->contended = median_of_present(cont, cell->runs);
        return true;
}

/* Each scenario's TSan verdict, and how much slower the same work runs under TSan. */
static void check_under_tsan(struct compare_result *r)
{
        char why[320];
        bool available = race_check_locate(why, sizeof(why)) == 0;

        for (size_t i = 0; i < r->options.scenario_count; i++) {
                struct compare_scenario_facts *f = &r->facts[i];
                f->scenario = r->options.scenarios[i];
                f->tsan_slowdown = NAN;
                if (!available)
                        continue;
                struct race_check_result check;
                race_check_scenario(f->scenario, 1, (struct race_check_mode){ 0 }, &check);
                if (check.failed)
                        continue;
                f->tsan_checked = true;
                f->tsan_observed = check.observed;
                struct run_config same_work = race_check_run_config(f->scenario);
                struct run_result native;
                if (run_scenario(f->scenario, &same_work, &native) == 0 && native.seconds > 0)
                        f->tsan_slowdown = check.tsan_seconds / native.seconds;
        }
        if (!available)
                fprintf(stderr, "espresso-lab: no TSan verdicts: %s\n", why);
}

static void warm_up(const struct compare_options *o)
{
        struct run_config config = { .baristas = 1, .seconds = 0.05, .pin = o->pin };
        struct run_result r;

        clock_calibrate();
        busywork_calibrate();
        run_scenario(o->scenarios[0], &config, &r); /* page in, wake the CPUs up */
}

/* Baseline, explanations, the output and the pictures; frees the cells. */
static int compare_report(struct compare_result *r)
{
        const struct compare_options *o = &r->options;
        char err[512];
        int rc = 0;

        if (o->baseline_path && compare_apply_baseline(r, o->baseline_path, err, sizeof(err)) != 0) {
                free(r->cells);
                json_decref(r->saved_machine);
                return usage_failure(err);
        }
        compare_explain(r);
        if (o->format == FORMAT_JSON)
                compare_write_json(stdout, r);
        else if (o->format == FORMAT_CSV)
                compare_write_csv(stdout, r);
        else
                compare_write_table(stdout, r);
        if (o->svg_path && (rc = compare_write_svg(o->svg_path, r)) != 0)
                fprintf(stderr, "espresso-lab: cannot write %s: %s\n", o->svg_path, strerror(-rc));
        if (o->html_path && (rc = compare_write_html(o->html_path, r)) != 0)
                fprintf(stderr, "espresso-lab: cannot write %s: %s\n", o->html_path, strerror(-rc));
        free(r->cells);
        json_decref(r->saved_machine);
        return rc ? EXIT_CHECK_FAILED : EXIT_OK;
}

int command_compare(int argc, char **argv)
{
        struct compare_result r;
        char err[512];
        int code;

        memset(&r, 0, sizeof(r));
        r.round_trip_ns[0] = r.round_trip_ns[1] = r.baseline_round_trip_ns = NAN;
        if (!command_parsed(parse_compare_options(argc, argv, &r.options, err, sizeof(err)),
                            "compare", err, &code))
                return code;
        const struct compare_options *o = &r.options;
        if (o->from_path) {
                /* Report a saved result again: new pictures, a new baseline, no new runs. */
                struct compare_options asked = r.options;
                if (compare_load_json(&r, o->from_path, err, sizeof(err)) != 0)
                        return usage_failure(err);
                r.options.format = asked.format;
                r.options.svg_path = asked.svg_path;
                r.options.html_path = asked.html_path;
                r.options.baseline_path = asked.baseline_path;
                r.options.from_path = asked.from_path;
                return compare_report(&r);
        }
        size_t total = o->scenario_count * o->baristas_count * o->shot_ns_count * o->prep_ns_count;
        r.cells = calloc(total, sizeof(*r.cells));
        if (!r.cells)
                return EXIT_CHECK_FAILED;
        warm_up(o);
        /* Before and after the grid: a host that moves the CPUs meanwhile shows as a change. */
        r.round_trip_ns[0] = cores_round_trip_ns();
        uint64_t started = clock_now_ns();
        for (size_t s = 0; s < o->scenario_count; s++)
                for (size_t b = 0; b < o->baristas_count; b++)
                        for (size_t k = 0; k < o->shot_ns_count; k++)
                                for (size_t p = 0; p < o->prep_ns_count; p++) {
                                        struct compare_cell *cell = &r.cells[r.cell_count];
                                        *cell = (struct compare_cell){
                                                .scenario = o->scenarios[s],
                                                .baristas = (uint32_t)o->baristas[b],
                                                .shot_ns = o->shot_ns[k], .prep_ns = o->prep_ns[p],
                                        };
                                        progress(r.cell_count, total, started);
                                        if (!measure_cell(cell, o)) {
                                                fprintf(stderr, "espresso-lab: %s could not run\n",
                                                        cell->scenario->name);
                                                return EXIT_CHECK_FAILED;
                                        }
                                        r.cell_count++;
                                }
        r.round_trip_ns[1] = cores_round_trip_ns();
        check_under_tsan(&r);
        return compare_report(&r);
}
