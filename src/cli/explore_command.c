/* explore and replay: glue between the options, the controlled twin and src/explore. */
#include "commands.h"
#include "controlled_twin.h"
#include "options.h"

#include "explore/explore.h"
#include "explore/explore_output.h"
#include "explore/story.h"
#include "harness/interrupt.h"
#include "harness/registry.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifdef ESPRESSO_CONTROLLED_BUILD
/* The scenario a subject names: by name; or, for a file, the scenario built from it (a lab of a
 * student's file has that one only). */
static const struct scenario *subject_scenario(const char *subject)
{
        const struct scenario *s = scenario_find(subject);
        if (s || !subject_is_file(subject))
                return s;
        const char *base = strrchr(subject, '/');
        base = base ? base + 1 : subject;
        for (size_t i = 0; i < scenario_count(); i++) {
                const char *source = scenario_at(i)->source;
                const char *source_base = strrchr(source, '/');
                if (strcmp(source_base ? source_base + 1 : source, base) == 0)
                        return scenario_at(i);
        }
        return scenario_count() == 1 ? scenario_at(0) : NULL;
}

/* The scenario, or a usage failure for a subject that names none, or one no schedule can step. */
static const struct scenario *steppable(const char *subject, int *code)
{
        char message[512];
        const struct scenario *s = subject_scenario(subject);

        if (!s) {
                *code = unknown_scenario(subject);
                return NULL;
        }
        if (s->no_schedule) {
                snprintf(message, sizeof(message), "%s cannot be run on a controlled schedule: %s",
                         s->name, s->no_schedule);
                *code = usage_failure(message);
                return NULL;
        }
        return s;
}

static struct controlled_config config_for(const struct scenario *s, uint32_t baristas,
                                           uint64_t orders)
{
        uint32_t n = s->one_worker ? 1 : baristas ? baristas : EXPLORE_DEFAULT_BARISTAS;
        return (struct controlled_config){ .scenario = s, .baristas = n,
                                           .orders = orders ? orders
                                                            : n * EXPLORE_ORDERS_PER_BARISTA,
                                           .step_limit = EXPLORE_STEP_LIMIT,
                                           .kill_seconds = EXPLORE_KILL_SECONDS };
}

int command_explore(int argc, char **argv)
{
        struct explore_command_options opts;
        struct explore_report report;
        char err[512];
        int code;

        if (!command_parsed(parse_explore_options(argc, argv, &opts, err, sizeof(err)), "explore",
                            err, &code))
                return code;
        const struct scenario *s = steppable(opts.subject, &code);
        if (!s)
                return code;
        struct controlled_config config = config_for(s, opts.baristas, opts.orders);
        interrupt_catch();
        int rc = explore(&config, &opts.search, &report);
        if (rc != 0) {
                fprintf(stderr, "espresso-lab: explore %s: %s\n", s->name, strerror(-rc));
                return EXIT_CHECK_FAILED;
        }
        struct story story = { 0 };
        if (report.found && story_make(s, &report.result, &story) != 0) {
                explore_report_free(&report);
                return EXIT_CHECK_FAILED;
        }
        struct explore_run run = { opts.subject, &config, &opts.search, &report, story.ending };
        if (opts.format == FORMAT_JSON)
                explore_print_json(stdout, &run);
        else
                explore_print(stdout, &run);
        story_free(&story);
        code = report.found ? EXIT_CHECK_FAILED
               : report.unschedulable ? EXIT_STALLED
               : report.interrupted ? interrupt_exit_code(interrupt_signal()) : EXIT_OK;
        explore_report_free(&report);
        return code;
}

static int replay_outputs(const struct replay_options *opts, const struct replay_run *run)
{
        struct story story;
        char title[256];
        int code = EXIT_OK;

        if (story_make(run->config->scenario, run->result, &story) != 0)
                return EXIT_CHECK_FAILED;
        snprintf(title, sizeof(title), "%s, replayed: %s", run->config->scenario->name,
                 run->schedule);
        if (opts->format == FORMAT_JSON) {
                replay_print_json(stdout, run, &story);
        } else {
                replay_print_header(stdout, run);
                if (opts->step)
                        puts("  (Enter: the next step; q and Enter: stop)");
                story_print(&story, stdout, opts->step, stdin);
                replay_print_ending(stdout, run);
        }
        if (opts->svg && story_write_svg(&story, title, opts->svg) != 0) {
                fprintf(stderr, "espresso-lab: cannot write %s\n", opts->svg);
                code = EXIT_CHECK_FAILED;
        }
        if (opts->html && story_write_html(&story, title, opts->html) != 0) {
                fprintf(stderr, "espresso-lab: cannot write %s\n", opts->html);
                code = EXIT_CHECK_FAILED;
        }
        story_free(&story);
        return code;
}

int command_replay(int argc, char **argv)
{
        struct replay_options opts;
        struct schedule_text text;
        struct controlled_result result;
        char err[512], message[700];
        int code;

        if (!command_parsed(parse_replay_options(argc, argv, &opts, err, sizeof(err)), "replay", err,
                            &code))
                return code;
        const struct scenario *s = steppable(opts.subject, &code);
        if (!s)
                return code;
        if (schedule_text_read(opts.schedule, &text, err, sizeof(err)) != 0) {
                snprintf(message, sizeof(message), "replay: '%.200s' is not a schedule: %s",
                         opts.schedule, err);
                return usage_failure(message);
        }
        struct controlled_config config = config_for(s, text.baristas, text.orders);
        if (config.baristas != text.baristas) {
                snprintf(message, sizeof(message), "replay: the schedule is for %u baristas, and %s "
                         "has %u", text.baristas, s->name, config.baristas);
                schedule_text_free(&text);
                return usage_failure(message);
        }
        interrupt_catch();
        int rc = replay(&config, &text, &result, err, sizeof(err));
        schedule_text_free(&text);
        if (rc != 0) {
                snprintf(message, sizeof(message), "replay: %s", err);
                return rc == -EINVAL ? usage_failure(message)
                                     : (fprintf(stderr, "espresso-lab: %s\n", message),
                                        EXIT_CHECK_FAILED);
        }
        struct replay_run run = { opts.schedule, &config, &result };
        code = replay_outputs(&opts, &run);
        if (code == EXIT_OK && finding_is_bug(result.finding))
                code = EXIT_CHECK_FAILED;
        controlled_result_free(&result);
        return code;
}

#else /* every other build hands the command to the controlled twin */

static int hand_over(int argc, char **argv)
{
        struct explore_command_options e;
        struct replay_options r;
        char err[512];
        int code;
        bool exploring = strcmp(argv[0], "explore") == 0;
        int rc = exploring ? parse_explore_options(argc, argv, &e, err, sizeof(err))
                           : parse_replay_options(argc, argv, &r, err, sizeof(err));

        /* Usage errors and --help here, at once, without building anything. */
        if (!command_parsed(rc, argv[0], err, &code))
                return code;
        return run_in_controlled_twin(exploring ? e.subject : r.subject, argc, argv);
}

int command_explore(int argc, char **argv)
{
        return hand_over(argc, argv);
}

int command_replay(int argc, char **argv)
{
        return hand_over(argc, argv);
}
#endif
