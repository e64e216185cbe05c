/* timeline: one short run with every order timed, drawn as a swimlane per barista. */
#include "harness/registry.h"
#include "commands.h"
#include "options.h"
#include "report/output_file.h"
#include "harness/run.h"
#include "report/text.h"
#include "timeline/timeline.h"

#include <stdio.h>
#include <string.h>

struct drawn_run {
        const struct timeline *timeline;
        const struct run_result *result;
};

static void fill_svg(FILE *out, const void *arg)
{
        const struct drawn_run *d = arg;

        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
        timeline_draw_svg(out, d->timeline, d->result);
}

int command_timeline(int argc, char **argv)
{
        struct timeline_options opts;
        struct timeline timeline = { 0 };
        struct run_result result;
        char err[320];
        int code;

        if (!command_parsed(parse_timeline_options(argc, argv, &opts, err, sizeof(err)), "timeline",
                            err, &code))
                return code;
        const struct scenario *s = scenario_find(opts.run.scenario);
        if (!s)
                return unknown_scenario(opts.run.scenario);
        const char *why = timeline_unavailable(s);
        if (why) {
                snprintf(err, sizeof(err), "timeline: %s has no timeline: %s", s->name, why);
                return usage_failure(err);
        }
        /* Before the run: a drawing that cannot be saved is not worth running for. */
        char unwritable[256];
        if (opts.svg_path && output_file_check(opts.svg_path, unwritable, sizeof(unwritable)) != 0) {
                snprintf(err, sizeof(err), "--svg: cannot write %s: %s", opts.svg_path, unwritable);
                return usage_failure(err);
        }
        int rc = timeline_run(s, &opts.run.config, &result, &timeline);
        if (rc != 0) {
                fprintf(stderr, "espresso-lab: %s could not start: %s\n", s->name, strerror(-rc));
                timeline_release(&timeline);
                return EXIT_CHECK_FAILED;
        }
        if (opts.run.format == FORMAT_JSON)
                timeline_write_json(stdout, &timeline, &result);
        else if (opts.run.format == FORMAT_CSV)
                timeline_write_csv(stdout, &timeline);
        else
                timeline_draw_text(stdout, &timeline, &result,
                                   &(struct timeline_layout){ 0, opts.columns, text_colour_wanted(stdout) });
        if (opts.svg_path &&
            output_file_write(opts.svg_path, fill_svg, &(struct drawn_run){ &timeline, &result }) != 0) {
                timeline_release(&timeline);
                return EXIT_CHECK_FAILED;
        }
        /* A correct scenario that crowded the machine is a failed check, as in run. */
        bool broken = !result.invariants_held || timeline.most_at_machine > timeline.machine_takes;
        timeline_release(&timeline);
        return scenario_claims_correct(s) && broken ? EXIT_CHECK_FAILED : EXIT_OK;
}
