#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 3, 4)))
static int usage_error(char *err, size_t err_size, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(err, err_size, fmt, ap);
        va_end(ap);
        return -EINVAL;
}

int parse_whole(const char *option, const char *text, uint64_t min, uint64_t max, uint64_t *out,
                char *err, size_t err_size)
{
        /* strtoull accepts blanks, signs ("-1" wraps to a huge value) and 0x: allow digits only. */
        size_t digits = strspn(text, "0123456789");
        if (digits == 0 || text[digits] != '\0')
                return usage_error(err, err_size, "%s: '%s' is not a whole number", option, text);
        errno = 0;
        unsigned long long value = strtoull(text, NULL, 10);
        if (errno == ERANGE || value < min || value > max)
                return usage_error(err, err_size, "%s: %s is out of range (%llu to %llu)", option,
                                   text, (unsigned long long)min, (unsigned long long)max);
        *out = value;
        return 0;
}

int parse_seconds(const char *option, const char *text, double *out, char *err, size_t err_size)
{
        char *end;
        size_t allowed = strspn(text, "0123456789.");

        if (allowed == 0 || text[allowed] != '\0')
                return usage_error(err, err_size, "%s: '%s' is not a number of seconds", option, text);
        double value = strtod(text, &end);
        if (*end != '\0' || !isfinite(value))
                return usage_error(err, err_size, "%s: '%s' is not a number of seconds", option, text);
        if (value < OPTIONS_MIN_SECONDS || value > OPTIONS_MAX_SECONDS)
                return usage_error(err, err_size, "%s: %s is out of range (%g to %g seconds)", option,
                                   text, OPTIONS_MIN_SECONDS, OPTIONS_MAX_SECONDS);
        *out = value;
        return 0;
}

static int parse_format(const char *text, bool csv_allowed, enum output_format *out, char *err,
                        size_t err_size)
{
        if (strcmp(text, "table") == 0)
                *out = FORMAT_TABLE;
        else if (strcmp(text, "json") == 0)
                *out = FORMAT_JSON;
        else if (csv_allowed && strcmp(text, "csv") == 0)
                *out = FORMAT_CSV;
        else
                return usage_error(err, err_size, "--format: '%s' is not one of %s", text,
                                   csv_allowed ? "table, csv, json" : "table, json");
        return 0;
}

/* getopt_long with the lab's messages instead of getopt's. Returns the option, or -1 at the end;
 * on an unknown option or a missing value fills err and returns '?'. */
static int next_option(int argc, char **argv, const struct option *longs, char *err, size_t err_size)
{
        /* "+": stop at the first non-option, the callers take positional words themselves;
         * ":": a missing value returns ':' rather than '?', so the two get their own messages. */
        int c = getopt_long(argc, argv, "+:h", longs, NULL);

        if (c == ':') {
                usage_error(err, err_size, "%s needs a value", argv[optind - 1]);
                return '?';
        }
        if (c == '?') {
                usage_error(err, err_size, "unknown option '%s' (see --help)", argv[optind - 1]);
                return '?';
        }
        return c;
}

static void options_reset(void)
{
        optind = 0; /* 0, not 1: makes glibc reinitialize its state */
        opterr = 0; /* messages are ours */
}

enum { OPT_BARISTAS = 256, OPT_ORDERS, OPT_SECONDS, OPT_SHOT_NS, OPT_PREP_NS, OPT_FORMAT, OPT_RUNS,
       OPT_REPEAT, OPT_FAST };

int parse_list_options(int argc, char **argv, struct list_options *out, char *err, size_t err_size)
{
        static const struct option longs[] = {
                { "format", required_argument, NULL, OPT_FORMAT },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        int c, rc;

        options_reset();
        out->format = FORMAT_TABLE;
        while ((c = next_option(argc, argv, longs, err, err_size)) != -1) {
                if (c == 'h')
                        return 1;
                if (c == '?')
                        return -EINVAL;
                if ((rc = parse_format(optarg, false, &out->format, err, err_size)) != 0)
                        return rc;
        }
        if (optind < argc)
                return usage_error(err, err_size, "list takes no arguments, got '%s'", argv[optind]);
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
                { "format", required_argument, NULL, OPT_FORMAT },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        uint64_t baristas = DEFAULT_BARISTAS, orders = 0;
        bool orders_given = false;
        int c, rc = 0;

        options_reset();
        memset(out, 0, sizeof(*out));
        out->config.shot_ns = DEFAULT_SHOT_NS;
        out->config.prep_ns = DEFAULT_PREP_NS;
        /* "+" in next_option stops at the first non-option; permute instead so that
         * "run mutex --baristas 8" and "run --baristas 8 mutex" both work. */
        while (optind < argc || optind == 0) {
                c = next_option(argc, argv, longs, err, err_size);
                if (c == -1) {
                        if (optind >= argc)
                                break;
                        if (out->scenario)
                                return usage_error(err, err_size,
                                                   "run takes one scenario, got '%s' and '%s'",
                                                   out->scenario, argv[optind]);
                        out->scenario = argv[optind++];
                        continue;
                }
                switch (c) {
                case 'h':
                        return 1;
                case '?':
                        return -EINVAL;
                case OPT_BARISTAS:
                        rc = parse_whole("--baristas", optarg, 1, OPTIONS_MAX_BARISTAS, &baristas,
                                         err, err_size);
                        break;
                case OPT_ORDERS:
                        rc = parse_whole("--orders", optarg, 1, OPTIONS_MAX_ORDERS, &orders, err,
                                         err_size);
                        orders_given = true;
                        break;
                case OPT_SECONDS:
                        rc = parse_seconds("--seconds", optarg, &out->config.seconds, err, err_size);
                        break;
                case OPT_SHOT_NS:
                        rc = parse_whole("--shot-ns", optarg, 0, OPTIONS_MAX_WORK_NS,
                                         &out->config.shot_ns, err, err_size);
                        break;
                case OPT_PREP_NS:
                        rc = parse_whole("--prep-ns", optarg, 0, OPTIONS_MAX_WORK_NS,
                                         &out->config.prep_ns, err, err_size);
                        break;
                case OPT_FORMAT:
                        rc = parse_format(optarg, true, &out->format, err, err_size);
                        break;
                }
                if (rc != 0)
                        return rc;
        }
        if (!out->scenario)
                return usage_error(err, err_size, "run needs a scenario (see 'espresso-lab list')");
        if (orders_given && out->config.seconds > 0)
                return usage_error(err, err_size,
                                   "--orders and --seconds both end a run: give one of them");
        if (!orders_given && out->config.seconds == 0)
                orders = DEFAULT_ORDERS;
        if (orders && orders < baristas)
                return usage_error(err, err_size,
                                   "--orders %llu is fewer than --baristas %llu: each barista needs "
                                   "an order", (unsigned long long)orders,
                                   (unsigned long long)baristas);
        out->config.baristas = (uint32_t)baristas;
        out->config.orders = orders;
        return 0;
}

int parse_race_check_options(int argc, char **argv, struct race_check_options *out, char *err,
                             size_t err_size)
{
        static const struct option longs[] = {
                { "runs", required_argument, NULL, OPT_RUNS },
                { "format", required_argument, NULL, OPT_FORMAT },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        uint64_t runs = 1;
        int c, rc = 0;

        options_reset();
        memset(out, 0, sizeof(*out));
        while (optind < argc || optind == 0) {
                c = next_option(argc, argv, longs, err, err_size);
                if (c == -1) {
                        if (optind >= argc)
                                break;
                        if (out->scenario_count == OPTIONS_MAX_SCENARIOS)
                                return usage_error(err, err_size, "at most %u scenarios at once",
                                                   OPTIONS_MAX_SCENARIOS);
                        out->scenarios[out->scenario_count++] = argv[optind++];
                        continue;
                }
                switch (c) {
                case 'h':
                        return 1;
                case '?':
                        return -EINVAL;
                case OPT_RUNS:
                        rc = parse_whole("--runs", optarg, 1, OPTIONS_MAX_RUNS, &runs, err, err_size);
                        break;
                case OPT_FORMAT:
                        rc = parse_format(optarg, false, &out->format, err, err_size);
                        break;
                }
                if (rc != 0)
                        return rc;
        }
        out->runs = (uint32_t)runs;
        return 0;
}

int parse_bench_options(int argc, char **argv, struct bench_options *out, char *err, size_t err_size)
{
        /* "bench overhead --orders N": the benchmark's name is the command; the only one so far. */
        static const struct option longs[] = {
                { "orders", required_argument, NULL, OPT_ORDERS },
                { "repeat", required_argument, NULL, OPT_REPEAT },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        uint64_t repeat = 11;
        int c, rc = 0;

        options_reset();
        out->orders = 5 * 1000 * 1000;
        while ((c = next_option(argc, argv, longs, err, err_size)) != -1) {
                switch (c) {
                case 'h':
                        return 1;
                case '?':
                        return -EINVAL;
                case OPT_ORDERS:
                        rc = parse_whole("--orders", optarg, 1000, OPTIONS_MAX_ORDERS, &out->orders,
                                         err, err_size);
                        break;
                case OPT_REPEAT:
                        rc = parse_whole("--repeat", optarg, 1, 101, &repeat, err, err_size);
                        break;
                }
                if (rc != 0)
                        return rc;
        }
        if (optind < argc)
                return usage_error(err, err_size, "bench takes options only, got '%s'", argv[optind]);
        out->repeat = (uint32_t)repeat;
        return 0;
}

int parse_demo_options(int argc, char **argv, struct demo_options *out, char *err, size_t err_size)
{
        static const struct option longs[] = {
                { "fast", no_argument, NULL, OPT_FAST },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        int c;

        options_reset();
        out->fast = false;
        while ((c = next_option(argc, argv, longs, err, err_size)) != -1) {
                if (c == 'h')
                        return 1;
                if (c == '?')
                        return -EINVAL;
                out->fast = true;
        }
        if (optind < argc)
                return usage_error(err, err_size, "demo takes no arguments, got '%s'", argv[optind]);
        return 0;
}
