/* compare: the command around the sweep (src/compare): its options, its files checked before
 * anything is measured, what it leaves out, its signals and its exit status. */
#include "commands.h"
#include "compare/compare.h"
#include "harness/interrupt.h"
#include "options.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How a sweep ends, by the order in harness/run.h: a cell that stalled (or never ended), an
 * interrupt, a cell that crashed or could not run, or an output that could not be written. */
static int sweep_exit_code(const struct compare_result *r, int interrupted_by, bool report_failed)
{
        bool stalled = false, failed = report_failed;

        for (size_t i = 0; i < r->cell_count; i++) {
                stalled |= r->cells[i].ended == CELL_STALLED || r->cells[i].ended == CELL_TIMED_OUT;
                failed |= r->cells[i].ended == CELL_CRASHED || r->cells[i].ended == CELL_COULD_NOT_RUN;
        }
        if (stalled)
                return EXIT_STALLED;
        if (interrupted_by)
                return interrupt_exit_code(interrupted_by);
        return failed ? EXIT_CHECK_FAILED : EXIT_OK;
}

int command_compare(int argc, char **argv)
{
        struct compare_result r;
        char err[1400];
        int code;

        memset(&r, 0, sizeof(r));
        r.round_trip_ns[0] = r.round_trip_ns[1] = r.baseline_round_trip_ns = NAN;
        if (!command_parsed(parse_compare_options(argc, argv, &r.options, err, sizeof(err)),
                            "compare", err, &code))
                return code;
        if (compare_check_files(&r, err, sizeof(err)) != 0)
                return usage_failure(err);
        if (r.options.from_path) {
                code = compare_report(&r) == 0 ? EXIT_OK : EXIT_CHECK_FAILED;
                compare_release(&r);
                return code;
        }
        const struct compare_options *o = &r.options;
        if (o->left_out_count) {
                compare_left_out_why(o, err, sizeof(err));
                fprintf(stderr, "espresso-lab: compare leaves out %s\n", err);
        }
        size_t total = o->scenario_count * o->baristas_count * o->shot_ns_count * o->prep_ns_count;
        r.cells = calloc(total, sizeof(*r.cells));
        if (!r.cells) {
                compare_release(&r);
                return EXIT_CHECK_FAILED;
        }
        /* From here a signal ends the sweep, not the process: what was finished is reported.
         * Cells are children to wait for: a SIGCHLD ignored by whoever started the lab would
         * have them reaped away unseen. */
        interrupt_catch();
        signal(SIGCHLD, SIG_DFL);
        compare_sweep(&r, total);
        int sig = interrupt_signal();
        if (sig)
                fprintf(stderr, "espresso-lab: %s\n", r.partial_because);
        code = sweep_exit_code(&r, sig, compare_report(&r) != 0);
        compare_release(&r);
        return code;
}
