/* What each command accepts: list, run, timeline, race-check, bench and demo (compare's are in
 * compare_options.c). The parsing machinery they share is in options.c. */
#include "harness/registry.h"
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

enum { OPT_BARISTAS = 256, OPT_ORDERS, OPT_SECONDS, OPT_SHOT_NS, OPT_PREP_NS, OPT_FORMAT, OPT_RUNS,
       OPT_REPEAT, OPT_FAST, OPT_UPDATES_PER_SEC, OPT_NO_SUPPRESSIONS, OPT_NO_ANNOTATIONS,
       OPT_SLOW_MOTION, OPT_WORK, OPT_SVG, OPT_WIDTH, OPT_STEP, OPT_STALL_SECONDS,
       OPT_MAX_SECONDS, OPT_SHOT, OPT_PIN, OPT_HOLD_WAITER };

/* ---- list ---------------------------------------------------------------------------------- */

static int list_option(int option, const char *value, void *out, char *err, size_t err_size)
{
        struct list_options *o = out;
        (void)option; /* --format is its only option */
        return parse_format(value, false, &o->format, err, err_size);
}

int parse_list_options(int argc, char **argv, struct list_options *out, char *err, size_t err_size)
{
        static const struct option longs[] = {
                { "format", required_argument, NULL, OPT_FORMAT },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, list_option, NULL, "list" };

        out->format = FORMAT_TABLE;
        return parse_command(argc, argv, &syntax, out, err, err_size);
}

/* ---- run ----------------------------------------------------------------------------------- */

/* While parsing run (and timeline, which parses a run): counts are checked against each other
 * only at the end. */
struct run_parse {
        struct run_options *options;
        const char *command; /* "run" or "timeline", for the messages */
        uint64_t baristas, orders;
        bool orders_given;
};

static int run_option(int option, const char *value, void *out, char *err, size_t err_size)
{
        struct run_parse *p = out;
        struct run_config *config = &p->options->config;

        switch (option) {
        case OPT_BARISTAS:
                return parse_whole("--baristas", value, 1, OPTIONS_MAX_BARISTAS, &p->baristas, err,
                                   err_size);
        case OPT_ORDERS:
                p->orders_given = true;
                return parse_whole("--orders", value, 1, OPTIONS_MAX_ORDERS, &p->orders, err, err_size);
        case OPT_SECONDS:
                return parse_seconds("--seconds", value, &config->seconds, err, err_size);
        case OPT_STALL_SECONDS:
                return parse_seconds("--stall-seconds", value, &config->stall_seconds, err, err_size);
        case OPT_MAX_SECONDS:
                return parse_seconds("--max-seconds", value, &config->max_seconds, err, err_size);
        case OPT_SHOT_NS:
                return parse_whole("--shot-ns", value, 0, OPTIONS_MAX_WORK_NS, &config->shot_ns, err,
                                   err_size);
        case OPT_PREP_NS:
                return parse_whole("--prep-ns", value, 0, OPTIONS_MAX_WORK_NS, &config->prep_ns, err,
                                   err_size);
        case OPT_SLOW_MOTION:
                config->slow_motion = true;
                return 0;
        case OPT_SHOT:
                return parse_shot_mode(value, &config->shot_mode, err, err_size);
        case OPT_PIN:
                config->pin = true;
                return 0;
        case OPT_WORK:
                if (strcmp(value, "waiting") != 0 && strcmp(value, "cpu") != 0)
                        return usage_error(err, err_size, "--work: '%s' is not one of waiting, cpu",
                                           value);
                config->cpu_work = strcmp(value, "cpu") == 0;
                return 0;
        case OPT_UPDATES_PER_SEC: {
                uint64_t rate;
                int rc = parse_whole("--updates-per-sec", value, 1, OPTIONS_MAX_UPDATES_PER_SEC,
                                     &rate, err, err_size);
                config->updates_per_sec = (uint32_t)rate;
                return rc;
        }
        default: /* OPT_FORMAT */
                return parse_format(value, true, &p->options->format, err, err_size);
        }
}

static int run_word(const char *word, void *out, char *err, size_t err_size)
{
        struct run_parse *p = out;

        if (p->options->scenario)
                return usage_error(err, err_size, "%s takes one scenario, got '%s' and '%s'",
                                   p->command, p->options->scenario, word);
        p->options->scenario = word;
        return 0;
}

/* The counts, checked against each other, into the run's config. */
static int finish_counts(struct run_parse *p, char *err, size_t err_size)
{
        struct run_options *out = p->options;

        if (p->orders && p->orders < p->baristas)
                return usage_error(err, err_size,
                                   "--orders %llu is fewer than --baristas %llu: each barista needs "
                                   "an order", (unsigned long long)p->orders,
                                   (unsigned long long)p->baristas);
        out->config.baristas = (uint32_t)p->baristas;
        out->config.orders = p->orders;
        out->orders_given = p->orders_given;
        return 0;
}

int parse_run_options(int argc, char **argv, struct run_options *out, char *err, size_t err_size)
{
        static const struct option longs[] = {
                { "baristas", required_argument, NULL, OPT_BARISTAS },
                { "orders", required_argument, NULL, OPT_ORDERS },
                { "seconds", required_argument, NULL, OPT_SECONDS },
                { "shot-ns", required_argument, NULL, OPT_SHOT_NS },
                { "prep-ns", required_argument, NULL, OPT_PREP_NS },
                { "updates-per-sec", required_argument, NULL, OPT_UPDATES_PER_SEC },
                { "slow-motion", no_argument, NULL, OPT_SLOW_MOTION },
                { "work", required_argument, NULL, OPT_WORK },
                { "format", required_argument, NULL, OPT_FORMAT },
                { "stall-seconds", required_argument, NULL, OPT_STALL_SECONDS },
                { "max-seconds", required_argument, NULL, OPT_MAX_SECONDS },
                { "shot", required_argument, NULL, OPT_SHOT },
                { "pin", no_argument, NULL, OPT_PIN },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, run_option, run_word, "run" };
        struct run_parse p = { .options = out, .command = "run", .baristas = DEFAULT_BARISTAS };
        int rc;

        memset(out, 0, sizeof(*out));
        out->config.shot_ns = DEFAULT_SHOT_NS;
        out->config.prep_ns = DEFAULT_PREP_NS;
        out->config.updates_per_sec = DEFAULT_UPDATES_PER_SEC;
        if ((rc = parse_command(argc, argv, &syntax, &p, err, err_size)) != 0)
                return rc;
        if (!out->scenario)
                return usage_error(err, err_size, "run needs a scenario (see 'espresso-lab list')");
        if (p.orders_given && out->config.seconds > 0)
                return usage_error(err, err_size,
                                   "--orders and --seconds both end a run: give one of them");
        if (out->config.max_seconds > 0 && out->config.seconds > 0)
                return usage_error(err, err_size, "--max-seconds bounds a counted run; a timed run "
                                   "ends at its --seconds");
        if (!p.orders_given && out->config.seconds == 0)
                p.orders = DEFAULT_ORDERS;
        return finish_counts(&p, err, err_size);
}

/* ---- timeline ------------------------------------------------------------------------------ */

struct timeline_parse {
        struct run_parse run; /* first: run_option() and run_word() take it for a struct run_parse */
        struct timeline_options *options;
        bool prep_given, shot_given;
};

static int timeline_option(int option, const char *value, void *out, char *err, size_t err_size)
{
        struct timeline_parse *p = out;
        uint64_t columns;
        int rc;

        switch (option) {
        case OPT_SVG:
                p->options->svg_path = value;
                return 0;
        case OPT_HOLD_WAITER:
                p->run.options->config.hold_waiter = WAITER_HOLD_DEFAULT_HOLDS;
                return 0;
        case OPT_WIDTH:
                rc = parse_whole("--width", value, TIMELINE_MIN_COLUMNS, TIMELINE_MAX_COLUMNS,
                                 &columns, err, err_size);
                p->options->columns = (unsigned)columns;
                return rc;
        case OPT_ORDERS:
                p->run.orders_given = true;
                return parse_whole("--orders", value, 1, TIMELINE_MAX_ORDERS, &p->run.orders, err,
                                   err_size);
        case OPT_PREP_NS:
                p->prep_given = true;
                return run_option(option, value, &p->run, err, err_size);
        case OPT_SHOT_NS:
                p->shot_given = true;
                return run_option(option, value, &p->run, err, err_size);
        default:
                return run_option(option, value, &p->run, err, err_size);
        }
}

int parse_timeline_options(int argc, char **argv, struct timeline_options *out, char *err,
                           size_t err_size)
{
        static const struct option longs[] = {
                { "baristas", required_argument, NULL, OPT_BARISTAS },
                { "orders", required_argument, NULL, OPT_ORDERS },
                { "shot-ns", required_argument, NULL, OPT_SHOT_NS },
                { "prep-ns", required_argument, NULL, OPT_PREP_NS },
                { "slow-motion", no_argument, NULL, OPT_SLOW_MOTION },
                { "pin", no_argument, NULL, OPT_PIN },
                { "hold-waiter", no_argument, NULL, OPT_HOLD_WAITER },
                { "work", required_argument, NULL, OPT_WORK },
                { "format", required_argument, NULL, OPT_FORMAT },
                { "svg", required_argument, NULL, OPT_SVG },
                { "width", required_argument, NULL, OPT_WIDTH },
                { "stall-seconds", required_argument, NULL, OPT_STALL_SECONDS },
                { "max-seconds", required_argument, NULL, OPT_MAX_SECONDS },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, timeline_option, run_word,
                                                      "timeline" };
        struct timeline_parse p = { .run = { .options = &out->run, .command = "timeline",
                                             .baristas = TIMELINE_DEFAULT_BARISTAS },
                                    .options = out };
        int rc;

        memset(out, 0, sizeof(*out));
        out->columns = TIMELINE_DEFAULT_COLUMNS;
        out->run.config.updates_per_sec = DEFAULT_UPDATES_PER_SEC;
        if ((rc = parse_command(argc, argv, &syntax, &p, err, err_size)) != 0)
                return rc;
        if (!out->run.scenario)
                return usage_error(err, err_size,
                                   "timeline needs a scenario (see 'espresso-lab list')");
        /* Work long enough to see, except in the shop, whose drinks bring their own. */
        const struct scenario *s = scenario_find(out->run.scenario);
        bool shop = s && s->family == FAMILY_SHOP;
        if (!p.prep_given)
                out->run.config.prep_ns = shop ? 0 : TIMELINE_DEFAULT_PREP_NS;
        if (!p.shot_given)
                out->run.config.shot_ns = shop ? 0 : TIMELINE_DEFAULT_SHOT_NS;
        if (!p.run.orders_given)
                p.run.orders = p.run.baristas * TIMELINE_DEFAULT_ORDERS_EACH;
        if (out->run.config.hold_waiter && out->run.config.slow_motion)
                return usage_error(err, err_size, "--hold-waiter and --slow-motion both hold "
                                   "baristas: one at a time");
        if (out->run.config.hold_waiter && p.run.baristas < 2)
                return usage_error(err, err_size, "--hold-waiter needs at least 2 baristas: one "
                                   "held, one that may overtake it");
        return finish_counts(&p.run, err, err_size);
}

/* ---- race-check ---------------------------------------------------------------------------- */

static int race_check_option(int option, const char *value, void *out, char *err, size_t err_size)
{
        struct race_check_options *o = out;
        uint64_t runs;
        int rc;

        if (option == OPT_FORMAT)
                return parse_format(value, false, &o->format, err, err_size);
        if (option == OPT_NO_SUPPRESSIONS) {
                o->mode.without_suppressions = true;
                return 0;
        }
        if (option == OPT_NO_ANNOTATIONS) {
                o->mode.without_annotations = true;
                return 0;
        }
        if ((rc = parse_whole("--runs", value, 1, OPTIONS_MAX_RUNS, &runs, err, err_size)) == 0)
                o->runs = (uint32_t)runs;
        return rc;
}

static int race_check_word(const char *word, void *out, char *err, size_t err_size)
{
        struct race_check_options *o = out;

        if (o->scenario_count == OPTIONS_MAX_SCENARIOS)
                return usage_error(err, err_size, "at most %u scenarios at once", OPTIONS_MAX_SCENARIOS);
        o->scenarios[o->scenario_count++] = word;
        return 0;
}

int parse_race_check_options(int argc, char **argv, struct race_check_options *out, char *err,
                             size_t err_size)
{
        static const struct option longs[] = {
                { "runs", required_argument, NULL, OPT_RUNS },
                { "no-suppressions", no_argument, NULL, OPT_NO_SUPPRESSIONS },
                { "no-annotations", no_argument, NULL, OPT_NO_ANNOTATIONS },
                { "format", required_argument, NULL, OPT_FORMAT },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, race_check_option, race_check_word,
                                                      "race-check" };

        memset(out, 0, sizeof(*out));
        out->runs = 1;
        return parse_command(argc, argv, &syntax, out, err, err_size);
}

/* ---- bench and demo ------------------------------------------------------------------------ */

static int bench_option(int option, const char *value, void *out, char *err, size_t err_size)
{
        struct bench_options *o = out;
        uint64_t repeat;
        int rc;

        if (option == OPT_ORDERS)
                return parse_whole("--orders", value, 1000, OPTIONS_MAX_ORDERS, &o->orders, err,
                                   err_size);
        if ((rc = parse_whole("--repeat", value, 1, 101, &repeat, err, err_size)) == 0)
                o->repeat = (uint32_t)repeat;
        return rc;
}

int parse_bench_options(int argc, char **argv, struct bench_options *out, char *err, size_t err_size)
{
        static const struct option longs[] = {
                { "orders", required_argument, NULL, OPT_ORDERS },
                { "repeat", required_argument, NULL, OPT_REPEAT },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, bench_option, NULL, "bench" };

        out->orders = 5 * 1000 * 1000;
        out->repeat = 11;
        return parse_command(argc, argv, &syntax, out, err, err_size);
}

int parse_bench_name_only(int argc, char **argv, struct bench_options *out, char *err,
                          size_t err_size)
{
        static const struct option longs[] = {
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, bench_option, NULL, "this benchmark" };

        memset(out, 0, sizeof(*out));
        return parse_command(argc, argv, &syntax, out, err, err_size);
}

static int demo_option(int option, const char *value, void *out, char *err, size_t err_size)
{
        struct demo_options *o = out;
        (void)value, (void)err, (void)err_size;
        if (option == OPT_STEP)
                o->step = true;
        else
                o->fast = true;
        return 0;
}

int parse_demo_options(int argc, char **argv, struct demo_options *out, char *err, size_t err_size)
{
        static const struct option longs[] = {
                { "fast", no_argument, NULL, OPT_FAST },
                { "step", no_argument, NULL, OPT_STEP },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        static const struct command_syntax syntax = { longs, demo_option, NULL, "demo" };

        int rc;

        out->fast = false;
        out->step = false;
        if ((rc = parse_command(argc, argv, &syntax, out, err, err_size)) != 0)
                return rc;
        if (out->fast && out->step)
                return usage_error(err, err_size, "--step waits between scenes, --fast does not: "
                                   "give one of them");
        return 0;
}
