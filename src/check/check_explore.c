/* check's exploration of a student's file: its controlled lab run by explore, in a box. */
#include "check_runs.h"

#include <limits.h>
#include <stdio.h>

/* explore: AddressSanitizer's shadow (no RLIMIT_AS), one child at a time, each a few threads; a
 * clean search of a few hundred schedules takes seconds, a schedule the scheduler cannot step
 * ends at the watchdog's pace. */
static const struct sandbox_limits explore_limits = {
        .wall_seconds = 60,
        .cpu_seconds = 120,
        .memory_bytes = 2ull << 30,
        .limit_address_space = false,
        .file_bytes = 64ull << 20,
        .processes = 64,
        .output_bytes = 8u << 20,
        .unprivileged = true,
};

double check_explore_seconds(void)
{
        return explore_limits.wall_seconds;
}

json_t *check_explore_run(const struct student_build *b, const char *scenario, unsigned budget,
                          char *why, size_t why_size)
{
        char binary[PATH_MAX + 32], schedules[16];
        snprintf(binary, sizeof(binary), "%s/lab-controlled", b->dir);
        snprintf(schedules, sizeof(schedules), "%u", budget);
        char *argv[] = { binary, "explore", (char *)scenario, "--budget", schedules, "--format",
                         "json", NULL };
        char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
        struct sandbox_result r;

        if (sandbox_run(argv, env, b->dir, &explore_limits, &r) != 0) {
                snprintf(why, why_size, "%s", r.why);
                return NULL;
        }
        json_t *run = check_lab_json(r.out, "schema");
        if (!run) {
                char line[200];
                if (check_box_ended_it(&r))
                        sandbox_describe_ending(&r, &explore_limits, line, sizeof(line));
                else
                        check_first_line(r.err_len ? r.err : r.out, line, sizeof(line));
                snprintf(why, why_size, "explore printed no result (exit %d): %s", r.exit_code, line);
        }
        sandbox_result_free(&r);
        return run;
}
