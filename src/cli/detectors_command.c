/* detectors [SCENARIO... | FILE.c...]: which race detector finds what, at what cost. */
#include "commands.h"
#include "options.h"

#include "detectors/detectors.h"
#include "detectors/detectors_output.h"
#include "harness/interrupt.h"
#include "report/output_file.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Static_assert(OPTIONS_DETECTORS == DETECTOR_COUNT, "one --detectors name per detector");

/* Prepares every subject before anything runs, so that a bad name or a file that does not build
 * costs seconds, not a sweep: false after one line per subject that cannot be run. */
static bool prepare_all(const struct detectors_options *o, const struct detector_tools *tools,
                        struct subject *subjects, size_t n)
{
        bool all = true;

        for (size_t i = 0; i < n; i++) {
                const char *typed = o->subject_count ? o->subjects[i] : scenario_at(i)->name;
                bool as_program = o->subject_count && o->as_program[i];
                if (subject_prepare(typed, as_program, o->expect, tools, &subjects[i]) != 0) {
                        fprintf(stderr, "espresso-lab: detectors: %s\n", subjects[i].why);
                        all = false;
                }
        }
        return all;
}

int command_detectors(int argc, char **argv)
{
        static struct detectors_options opts;
        static struct detector_tools tools;
        char err[1024];
        int code;

        if (!command_parsed(parse_detectors_options(argc, argv, &opts, err, sizeof(err)), "detectors", err, &code))
                return code;
        if (opts.svg && output_file_check(opts.svg, err, sizeof(err)) != 0) {
                fprintf(stderr, "espresso-lab: --svg %s: %s\n", opts.svg, err);
                return EXIT_USAGE;
        }
        size_t n = opts.subject_count ? opts.subject_count : scenario_count();
        struct subject *subjects = calloc(n, sizeof(*subjects));
        struct subject_result *results = calloc(n, sizeof(*results));
        if (!subjects || !results) {
                free(subjects), free(results);
                fprintf(stderr, "espresso-lab: out of memory\n");
                return EXIT_CHECK_FAILED;
        }
        detector_tools_locate(&tools);
        interrupt_catch();
        size_t done = 0;
        if (prepare_all(&opts, &tools, subjects, n)) {
                FILE *progress = isatty(STDERR_FILENO) ? stderr : NULL;
                for (; done < n && !interrupt_signal(); done++)
                        detectors_run_subject(&tools, &subjects[done], !opts.told_only,
                                              opts.detector_chosen, progress, &results[done]);
                code = EXIT_OK;
        } else {
                code = EXIT_USAGE;
        }
        for (size_t i = 0; i < n; i++)
                subject_remove(&subjects[i]);
        free(subjects);
        if (code != EXIT_OK) {
                free(results);
                return code;
        }
        bool partial = interrupt_signal() != 0;
        if (opts.format == FORMAT_TABLE)
                detectors_print_table(stdout, results, done, &tools, !opts.told_only, partial);
        else if (opts.format == FORMAT_CSV)
                detectors_print_csv(stdout, results, done);
        else
                detectors_print_json(stdout, results, done, &tools, partial);
        if (opts.svg && detectors_write_svg(opts.svg, results, done) != 0)
                code = EXIT_CHECK_FAILED;
        free(results);
        return partial ? interrupt_exit_code(interrupt_signal()) : code;
}
