/* list, run and race-check: thin glue between options, the harness and the reports. */
#include "commands.h"
#include "options.h"
#include "race_check.h"
#include "report.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int usage_failure(const char *message)
{
        fprintf(stderr, "espresso-lab: %s\n", message);
        return EXIT_USAGE;
}

bool command_parsed(int parse_rc, const char *command, const char *err, int *exit_code)
{
        if (parse_rc == 1) {
                fputs(command_help(command), stdout);
                *exit_code = EXIT_OK;
                return false;
        }
        if (parse_rc < 0) {
                *exit_code = usage_failure(err);
                return false;
        }
        return true;
}

int command_list(int argc, char **argv)
{
        struct list_options opts;
        char err[256];
        int code;

        if (!command_parsed(parse_list_options(argc, argv, &opts, err, sizeof(err)), "list", err, &code))
                return code;
        report_scenarios(stdout, opts.format);
        return EXIT_OK;
}

int unknown_scenario(const char *name)
{
        char message[320];
        snprintf(message, sizeof(message),
                 "unknown scenario '%s' (see 'espresso-lab list')", name);
        return usage_failure(message);
}

int command_run(int argc, char **argv)
{
        struct run_options opts;
        struct run_result result;
        char err[256];
        int code;

        if (!command_parsed(parse_run_options(argc, argv, &opts, err, sizeof(err)), "run", err, &code))
                return code;
        const struct scenario *s = scenario_find(opts.scenario);
        if (!s)
                return unknown_scenario(opts.scenario);
        if (!opts.orders_given && opts.config.seconds == 0 && s->default_orders)
                opts.config.orders = s->default_orders;
        int rc = run_scenario(s, &opts.config, &result);
        if (rc != 0) {
                fprintf(stderr, "espresso-lab: %s could not start: %s\n", s->name, strerror(-rc));
                return EXIT_CHECK_FAILED;
        }
        report_run(stdout, &result, opts.format);
        return scenario_claims_correct(s) && !result.invariants_held ? EXIT_CHECK_FAILED : EXIT_OK;
}

int command_race_check(int argc, char **argv)
{
        struct race_check_options opts;
        const struct scenario *chosen[OPTIONS_MAX_SCENARIOS];
        size_t n = 0;
        char err[320];
        int code;

        if (!command_parsed(parse_race_check_options(argc, argv, &opts, err, sizeof(err)), "race-check", err, &code))
                return code;
        for (size_t i = 0; i < opts.scenario_count; i++)
                if (!(chosen[n++] = scenario_find(opts.scenarios[i])))
                        return unknown_scenario(opts.scenarios[i]);
        if (opts.scenario_count == 0)
                for (; n < scenario_count() && n < OPTIONS_MAX_SCENARIOS; n++)
                        chosen[n] = scenario_at(n);
        if (race_check_locate(err, sizeof(err)) != 0) {
                fprintf(stderr, "espresso-lab: %s\n", err);
                return EXIT_CHECK_FAILED;
        }
        struct race_check_result *results = calloc(n, sizeof(*results));
        if (!results)
                return EXIT_CHECK_FAILED;
        bool all_matched = true;
        for (size_t i = 0; i < n; i++) {
                race_check_scenario(chosen[i], opts.runs, opts.mode, &results[i]);
                all_matched &= race_check_matched(&results[i]);
        }
        report_race_checks(stdout, results, n, opts.mode, opts.format);
        free(results);
        return all_matched ? EXIT_OK : EXIT_CHECK_FAILED;
}

