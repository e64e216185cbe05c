/* Option parsing: every bad input gets one clear message, nothing is clamped silently. */
#include "harness/registry.h"
#include "check.h"
#include "cli/options.h"

#include <errno.h>

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(argv) ((int)(sizeof(argv) / sizeof(char *)) - 1)

static char err[256];

static int parse_run(char **argv, int argc, struct run_options *out)
{
        err[0] = '\0';
        return parse_run_options(argc, argv, out, err, sizeof(err));
}

#define RUN(out, ...) parse_run(ARGV(__VA_ARGS__), ARGC(ARGV(__VA_ARGS__)), out)

TEST(run_defaults)
{
        struct run_options o;
        ASSERT_EQ_INT(RUN(&o, "run", "mutex"), 0);
        ASSERT_STREQ(o.scenario, "mutex");
        ASSERT_EQ_U64(o.config.baristas, DEFAULT_BARISTAS);
        ASSERT_EQ_U64(o.config.orders, DEFAULT_ORDERS);
        ASSERT_TRUE(o.config.seconds == 0);
        ASSERT_EQ_INT(o.format, FORMAT_TABLE);
}

TEST(run_all_options_in_any_order)
{
        struct run_options o;
        ASSERT_EQ_INT(RUN(&o, "run", "--baristas", "8", "unsync", "--orders=1000", "--shot-ns",
                          "250", "--prep-ns", "0", "--format", "csv"), 0);
        ASSERT_STREQ(o.scenario, "unsync");
        ASSERT_EQ_U64(o.config.baristas, 8);
        ASSERT_EQ_U64(o.config.orders, 1000);
        ASSERT_EQ_U64(o.config.shot_ns, 250);
        ASSERT_EQ_INT(o.format, FORMAT_CSV);
}

TEST(run_seconds_replaces_orders)
{
        struct run_options o;
        ASSERT_EQ_INT(RUN(&o, "run", "mutex", "--seconds", "0.25"), 0);
        ASSERT_NEAR(o.config.seconds, 0.25, 1e-12);
        ASSERT_EQ_U64(o.config.orders, 0);
}

TEST(run_rejects_orders_with_seconds)
{
        struct run_options o;
        ASSERT_EQ_INT(RUN(&o, "run", "mutex", "--orders", "10", "--seconds", "1"), -EINVAL);
        ASSERT_CONTAINS(err, "--orders and --seconds");
}

TEST(run_rejects_bad_counts)
{
        struct run_options o;
        const char *bad[] = { "0", "-1", "abc", "1e3", " 4", "4 ", "+4", "0x10", "", "1025",
                              "99999999999999999999999" };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                ASSERT_EQ_INT(RUN(&o, "run", "mutex", "--baristas", (char *)bad[i]), -EINVAL);
                ASSERT_CONTAINS(err, "--baristas");
        }
}

TEST(run_names_the_range_when_out_of_it)
{
        struct run_options o;
        ASSERT_EQ_INT(RUN(&o, "run", "mutex", "--orders", "0"), -EINVAL);
        ASSERT_STREQ(err, "--orders: 0 is out of range (1 to 1000000000000)");
        ASSERT_EQ_INT(RUN(&o, "run", "mutex", "--shot-ns", "1000000001"), -EINVAL);
        ASSERT_CONTAINS(err, "out of range");
}

TEST(run_rejects_bad_seconds)
{
        struct run_options o;
        const char *bad[] = { "0", "-1", "abc", "nan", "inf", "1e3", "3601", "0.0001", "." };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                ASSERT_EQ_INT(RUN(&o, "run", "mutex", "--seconds", (char *)bad[i]), -EINVAL);
                ASSERT_CONTAINS(err, "--seconds");
        }
}

TEST(run_rejects_fewer_orders_than_baristas)
{
        struct run_options o;
        ASSERT_EQ_INT(RUN(&o, "run", "mutex", "--orders", "3", "--baristas", "4"), -EINVAL);
        ASSERT_CONTAINS(err, "fewer than --baristas");
}

TEST(run_rejects_unknown_option_and_missing_value)
{
        struct run_options o;
        ASSERT_EQ_INT(RUN(&o, "run", "mutex", "--turbo"), -EINVAL);
        ASSERT_STREQ(err, "unknown option '--turbo' (see --help)");
        ASSERT_EQ_INT(RUN(&o, "run", "mutex", "--baristas"), -EINVAL);
        ASSERT_STREQ(err, "--baristas needs a value");
        ASSERT_EQ_INT(RUN(&o, "run", "mutex", "-x"), -EINVAL);
        ASSERT_CONTAINS(err, "unknown option '-x'");
}

TEST(run_needs_exactly_one_scenario)
{
        struct run_options o;
        ASSERT_EQ_INT(RUN(&o, "run", "--baristas", "2"), -EINVAL);
        ASSERT_CONTAINS(err, "needs a scenario");
        ASSERT_EQ_INT(RUN(&o, "run", "mutex", "unsync"), -EINVAL);
        ASSERT_CONTAINS(err, "one scenario");
}

TEST(run_rejects_unknown_format)
{
        struct run_options o;
        ASSERT_EQ_INT(RUN(&o, "run", "mutex", "--format", "xml"), -EINVAL);
        ASSERT_STREQ(err, "--format: 'xml' is not one of table, csv, json");
}

TEST(help_is_not_an_error)
{
        struct run_options o;
        ASSERT_EQ_INT(RUN(&o, "run", "--help"), 1);
        ASSERT_EQ_INT(RUN(&o, "run", "mutex", "-h"), 1);
}

TEST(list_accepts_table_and_json_only)
{
        struct list_options o;
        char **argv = ARGV("list", "--format", "json");
        ASSERT_EQ_INT(parse_list_options(3, argv, &o, err, sizeof(err)), 0);
        ASSERT_EQ_INT(o.format, FORMAT_JSON);
        argv = ARGV("list", "--format", "csv");
        ASSERT_EQ_INT(parse_list_options(3, argv, &o, err, sizeof(err)), -EINVAL);
        ASSERT_STREQ(err, "--format: 'csv' is not one of table, json");
}

TEST(race_check_collects_scenarios_and_runs)
{
        struct race_check_options o;
        char **argv = ARGV("race-check", "unsync", "--runs", "3", "mutex");
        ASSERT_EQ_INT(parse_race_check_options(5, argv, &o, err, sizeof(err)), 0);
        ASSERT_EQ_U64(o.scenario_count, 2);
        ASSERT_STREQ(o.scenarios[0], "unsync");
        ASSERT_STREQ(o.scenarios[1], "mutex");
        ASSERT_EQ_U64(o.runs, 3);
        argv = ARGV("race-check", "--runs", "0");
        ASSERT_EQ_INT(parse_race_check_options(3, argv, &o, err, sizeof(err)), -EINVAL);
        ASSERT_CONTAINS(err, "--runs");
}

TEST(whole_number_parser_accepts_bounds)
{
        uint64_t v;
        ASSERT_EQ_INT(parse_whole("--x", "1", 1, 10, &v, err, sizeof(err)), 0);
        ASSERT_EQ_U64(v, 1);
        ASSERT_EQ_INT(parse_whole("--x", "10", 1, 10, &v, err, sizeof(err)), 0);
        ASSERT_EQ_U64(v, 10);
        ASSERT_EQ_INT(parse_whole("--x", "18446744073709551615", 0, UINT64_MAX, &v, err,
                                  sizeof(err)), 0);
        ASSERT_EQ_U64(v, UINT64_MAX);
        ASSERT_EQ_INT(parse_whole("--x", "18446744073709551616", 0, UINT64_MAX, &v, err,
                                  sizeof(err)), -EINVAL);
}

static int parse_timeline(char **argv, int argc, struct timeline_options *out)
{
        err[0] = '\0';
        return parse_timeline_options(argc, argv, out, err, sizeof(err));
}

#define TIMELINE(out, ...) parse_timeline(ARGV(__VA_ARGS__), ARGC(ARGV(__VA_ARGS__)), out)

TEST(timeline_defaults_are_short_and_visible)
{
        struct timeline_options o;
        ASSERT_EQ_INT(TIMELINE(&o, "timeline", "mutex"), 0);
        ASSERT_STREQ(o.run.scenario, "mutex");
        ASSERT_EQ_U64(o.run.config.baristas, TIMELINE_DEFAULT_BARISTAS);
        ASSERT_EQ_U64(o.run.config.orders, TIMELINE_DEFAULT_BARISTAS * TIMELINE_DEFAULT_ORDERS_EACH);
        ASSERT_EQ_U64(o.run.config.prep_ns, TIMELINE_DEFAULT_PREP_NS);
        ASSERT_EQ_U64(o.run.config.shot_ns, TIMELINE_DEFAULT_SHOT_NS);
        ASSERT_TRUE(o.run.config.seconds == 0);
        ASSERT_EQ_INT(o.columns, TIMELINE_DEFAULT_COLUMNS);
        ASSERT_TRUE(o.svg_path == NULL);
        /* Orders follow the baristas unless given. */
        ASSERT_EQ_INT(TIMELINE(&o, "timeline", "--baristas", "5", "mutex"), 0);
        ASSERT_EQ_U64(o.run.config.orders, 5 * TIMELINE_DEFAULT_ORDERS_EACH);
}

TEST(timeline_options)
{
        struct timeline_options o;
        ASSERT_EQ_INT(TIMELINE(&o, "timeline", "unsync", "--slow-motion", "--orders", "40",
                               "--prep-ns", "0", "--shot-ns", "500", "--width", "120", "--svg",
                               "lanes.svg", "--format", "json"), 0);
        ASSERT_TRUE(o.run.config.slow_motion);
        ASSERT_EQ_U64(o.run.config.orders, 40);
        ASSERT_EQ_U64(o.run.config.prep_ns, 0);
        ASSERT_EQ_U64(o.run.config.shot_ns, 500);
        ASSERT_EQ_INT(o.columns, 120);
        ASSERT_STREQ(o.svg_path, "lanes.svg");
        ASSERT_EQ_INT(o.run.format, FORMAT_JSON);
}

TEST(timeline_rejects_what_it_cannot_draw)
{
        struct timeline_options o;
        ASSERT_EQ_INT(TIMELINE(&o, "timeline", "mutex", "--width", "39"), -EINVAL);
        ASSERT_CONTAINS(err, "--width");
        ASSERT_EQ_INT(TIMELINE(&o, "timeline", "mutex", "--orders", "100001"), -EINVAL);
        ASSERT_CONTAINS(err, "--orders");
        ASSERT_EQ_INT(TIMELINE(&o, "timeline", "mutex", "--baristas", "4", "--orders", "3"), -EINVAL);
        ASSERT_CONTAINS(err, "fewer than --baristas");
        ASSERT_EQ_INT(TIMELINE(&o, "timeline", "mutex", "--seconds", "1"), -EINVAL);
        ASSERT_CONTAINS(err, "unknown option '--seconds'");
        ASSERT_EQ_INT(TIMELINE(&o, "timeline"), -EINVAL);
        ASSERT_CONTAINS(err, "needs a scenario");
        ASSERT_EQ_INT(TIMELINE(&o, "timeline", "mutex", "unsync"), -EINVAL);
        ASSERT_CONTAINS(err, "one scenario");
}

TEST(demo_steps_or_runs_fast)
{
        struct demo_options o;
        ASSERT_EQ_INT(parse_demo_options(1, ARGV("demo"), &o, err, sizeof(err)), 0);
        ASSERT_TRUE(!o.fast && !o.step);
        ASSERT_EQ_INT(parse_demo_options(2, ARGV("demo", "--step"), &o, err, sizeof(err)), 0);
        ASSERT_TRUE(o.step && !o.fast);
        ASSERT_EQ_INT(parse_demo_options(2, ARGV("demo", "--fast"), &o, err, sizeof(err)), 0);
        ASSERT_TRUE(o.fast && !o.step);
        ASSERT_EQ_INT(parse_demo_options(3, ARGV("demo", "--fast", "--step"), &o, err, sizeof(err)),
                      -EINVAL);
        ASSERT_CONTAINS(err, "give one of them");
}

CHECK_MAIN(TEST_ENTRY(timeline_defaults_are_short_and_visible), TEST_ENTRY(timeline_options),
           TEST_ENTRY(timeline_rejects_what_it_cannot_draw), TEST_ENTRY(demo_steps_or_runs_fast),
           TEST_ENTRY(run_defaults), TEST_ENTRY(run_all_options_in_any_order),
           TEST_ENTRY(run_seconds_replaces_orders), TEST_ENTRY(run_rejects_orders_with_seconds),
           TEST_ENTRY(run_rejects_bad_counts), TEST_ENTRY(run_names_the_range_when_out_of_it),
           TEST_ENTRY(run_rejects_bad_seconds), TEST_ENTRY(run_rejects_fewer_orders_than_baristas),
           TEST_ENTRY(run_rejects_unknown_option_and_missing_value),
           TEST_ENTRY(run_needs_exactly_one_scenario), TEST_ENTRY(run_rejects_unknown_format),
           TEST_ENTRY(help_is_not_an_error), TEST_ENTRY(list_accepts_table_and_json_only),
           TEST_ENTRY(race_check_collects_scenarios_and_runs),
           TEST_ENTRY(whole_number_parser_accepts_bounds))
