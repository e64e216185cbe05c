/* list, run and race-check: thin glue between options, the harness and the reports. */
#include "commands.h"
#include "harness/interrupt.h"
#include "options.h"
#include "tsan/race_check.h"
#include "tsan/race_check_report.h"
#include "report/report.h"
#include "harness/registry.h"
#include "harness/run.h"
#include "measure/cpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int usage_failure(const char *message)
{
        /* One line, whatever the user typed: what they typed is quoted in the message, and a
         * control character in it (a newline, an escape) is written out as \n, \x1b... */
        fputs("espresso-lab: ", stderr);
        for (const unsigned char *c = (const unsigned char *)message; *c; c++) {
                if (*c == '\n')
                        fputs("\\n", stderr);
                else if (*c == '\t')
                        fputs("\\t", stderr);
                else if (*c < 0x20 || *c == 0x7f)
                        fprintf(stderr, "\\x%02x", *c);
                else
                        fputc(*c, stderr);
        }
        fputc('\n', stderr);
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



/* Before a counted run that can collapse, one line saying so. */
static void warn_of_collapse(const struct scenario *s, const struct run_config *config)
{
        unsigned cpus = cpus_usable();

        if (!s->fair || !s->spinlock || config->orders == 0 || config->baristas <= cpus)
                return;
        fprintf(stderr, "espresso-lab: %s serves first come, first served, and %u baristas share %u "
                "CPUs: when the next in line is preempted everyone waits for it, so this run can "
                "take minutes (it is cut short after %.0f s: --max-seconds)\n", s->name,
                config->baristas, cpus,
                config->max_seconds > 0 ? config->max_seconds : RUN_DEFAULT_MAX_SECONDS);
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
        const char *refusal = shot_mode_refusal(s, opts.config.shot_mode);
        if (refusal) {
                snprintf(err, sizeof(err), "%s: %s", s->name, refusal);
                return usage_failure(err);
        }
        if (!opts.orders_given && opts.config.seconds == 0 && s->default_orders)
                opts.config.orders = s->default_orders;
        opts.config.show_progress = true;
        warn_of_collapse(s, &opts.config);
        interrupt_catch();
        int rc = run_scenario(s, &opts.config, &result);
        if (rc != 0) {
                fprintf(stderr, "espresso-lab: %s could not start: %s\n", s->name, strerror(-rc));
                return EXIT_CHECK_FAILED;
        }
        report_run(stdout, &result, opts.format);
        if (!result.measured)
                run_exit_stuck(run_exit_code(&result));
        return run_exit_code(&result);
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
        /* Interrupted, it reports the scenarios checked so far; their children are gone. */
        interrupt_catch();
        bool all_matched = true;
        size_t checked = 0;
        for (; checked < n && !interrupt_signal(); checked++) {
                race_check_scenario(chosen[checked], opts.runs, opts.mode, &results[checked]);
                all_matched &= race_check_matched(&results[checked]);
        }
        if (interrupt_signal() && checked > 0 && results[checked - 1].failed)
                checked--; /* the one cut off by the signal was not checked */
        report_race_checks(stdout, results, checked, opts.mode, opts.format);
        free(results);
        if (interrupt_signal())
                return interrupt_exit_code(interrupt_signal());
        return all_matched ? EXIT_OK : EXIT_CHECK_FAILED;
}

