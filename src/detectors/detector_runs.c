/* Running a subject under each detector, and natively, the same bounded way, and judging each
 * run in race-check's vocabulary. */
#include "detectors.h"

#include "harness/interrupt.h"
#include "harness/run.h"
#include "tsan/race_check.h"
#include "tsan/tool_run.h"
#include "tsan/tsan_report.h"
#include "tsan/valgrind_report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Under Valgrind one thread runs at a time and every access is instrumented: the lab's watchdog
 * allows this many times race-check's stall limit before it calls a run hung. Measured on the
 * race-check work: a healthy run under Helgrind or DRD serves a drink every few milliseconds at
 * worst, so 5 s without one is a hang, not slowness. */
#define VALGRIND_STALL_FACTOR "10"

const char *detector_name(enum detector d)
{
        static const char *const names[] = { "tsan-clang", "tsan-gcc", "helgrind", "drd" };
        return names[d];
}

const char *detector_title(enum detector d)
{
        static const char *const titles[] = { "TSan (clang)", "TSan (gcc)", "Helgrind", "DRD" };
        return titles[d];
}

/* The arguments that make a subject's run: a lab's `run NAME ...` (the run race-check makes of a
 * scenario, so that verdicts compare), or nothing for a program. */
struct target {
        char *argv[24];
        size_t argc;
        struct race_check_arguments lab; /* the numbers' strings */
};

static void target_arguments(const struct subject *s, const char *binary, struct target *t)
{
        memset(t, 0, sizeof(*t));
        if (s->kind == SUBJECT_PROGRAM) {
                t->argv[t->argc++] = (char *)binary;
                return;
        }
        race_check_run_arguments(binary, s->run_name, race_check_config_for(s->has_helper, s->default_orders),
                                 &t->lab);
        for (; t->lab.argv[t->argc]; t->argc++)
                t->argv[t->argc] = t->lab.argv[t->argc];
}

/* `valgrind --tool=... [options] ` before the target's own argv. */
static size_t valgrind_prefix(const struct detector_tools *tools, enum detector d, char **argv)
{
        static char suppressions[PATH_MAX + 32];
        size_t n = 0;

        argv[n++] = (char *)tools->valgrind;
        argv[n++] = d == DETECTOR_HELGRIND ? "--tool=helgrind" : "--tool=drd";
        argv[n++] = "--error-exitcode=66"; /* RACE_CHECK_TOOL_EXIT_CODE */
        argv[n++] = "--fullpath-after=";   /* "src/kit/machine.h:75", not "machine.h:75" */
        argv[n++] = "--num-callers=16";
        /* A free is a write, as TSan counts it: a reader still on a menu the manager has freed
         * races with the free (menu-rcu-early-free). Both tools leave it off by default. */
        argv[n++] = "--free-is-write=yes";
        if (tools->valgrind_suppressions[0]) {
                snprintf(suppressions, sizeof(suppressions), "--suppressions=%s",
                         tools->valgrind_suppressions);
                argv[n++] = suppressions;
        }
        return n;
}

/* The child's environment: the annotation switch, TSan's options, the watchdog's allowance for
 * Valgrind. */
static char **cell_environment(const struct subject *s, enum detector d, enum telling tell,
                               char *tsan_options, size_t size)
{
        static const char *const replaced[] = { "TSAN_OPTIONS=", "ESPRESSO_TSAN_ANNOTATIONS=",
                                                "ESPRESSO_TOOL_SLOWDOWN=", NULL };
        static char annotations_off[] = "ESPRESSO_TSAN_ANNOTATIONS=off";
        static char valgrind_slowdown[] = "ESPRESSO_TOOL_SLOWDOWN=" VALGRIND_STALL_FACTOR;
        char *added[4] = { NULL };
        size_t n = 0;

        if (d == DETECTOR_TSAN_CLANG || d == DETECTOR_TSAN_GCC) {
                if (s->tsan_suppressions[0])
                        snprintf(tsan_options, size, "TSAN_OPTIONS=suppressions=%s halt_on_error=0 "
                                 "exitcode=%d", s->tsan_suppressions, RACE_CHECK_TOOL_EXIT_CODE);
                else
                        snprintf(tsan_options, size, "TSAN_OPTIONS=halt_on_error=0 exitcode=%d",
                                 RACE_CHECK_TOOL_EXIT_CODE);
                added[n++] = tsan_options;
        }
        if (detector_is_valgrind(d) && s->kind != SUBJECT_PROGRAM)
                added[n++] = valgrind_slowdown;
        if (tell == NOT_TOLD)
                added[n++] = annotations_off;
        return tool_run_environment(replaced, added);
}

bool subject_line_is_bug(const struct subject *s, const char *where)
{
        if (!where || !where[0])
                return false;
        if (s->bug_line_count == 0)
                return tsan_where_in_scenario(where);
        /* "scenarios/unsync.c:16", "mine.c:16": the file's name, then its line. */
        const char *colon = strrchr(where, ':');
        size_t base_len = strlen(s->source_base);
        if (!colon || (size_t)(colon - where) < base_len ||
            strncmp(colon - base_len, s->source_base, base_len) != 0 ||
            (colon - base_len > where && colon[-(long)base_len - 1] != '/'))
                return false;
        unsigned line = (unsigned)strtoul(colon + 1, NULL, 10);
        for (unsigned i = 0; i < s->bug_line_count; i++)
                if (s->bug_lines[i] == line)
                        return true;
        return false;
}

/* Whether any of an access's frames in the subject's code ("a.c:17 a.c:36") is at its bug: a
 * lock taken in a helper function is reported there, and called from the line at fault. */
static bool frames_at_bug(const struct subject *s, const char *frames)
{
        char where[256];

        while (*frames) {
                size_t len = strcspn(frames, " ");
                if (len < sizeof(where)) {
                        memcpy(where, frames, len);
                        where[len] = '\0';
                        if (subject_line_is_bug(s, where))
                                return true;
                }
                frames += len + (frames[len] == ' ');
        }
        return false;
}

/* Whether any report of the kind the subject is expected to show has an access, or a frame of
 * its own, at the subject's bug. */
static bool report_at_bug(const struct subject *s, const struct tsan_findings *f)
{
        enum observed wanted = s->expect == VERDICT_DEADLOCK ? OBSERVED_LOCK_ORDER : OBSERVED_RACE;

        if (s->expect == VERDICT_CLEAN)
                return false;
        for (unsigned i = 0; i < f->kept; i++) {
                const struct tsan_report *r = &f->report[i];
                if (r->observed != wanted)
                        continue;
                if (subject_line_is_bug(s, r->caller) || subject_line_is_bug(s, r->location))
                        return true;
                for (unsigned a = 0; a < r->accesses; a++)
                        if (subject_line_is_bug(s, r->access[a].where) ||
                            frames_at_bug(s, r->access[a].frames))
                                return true;
        }
        return false;
}

/* A program's run, judged by how it ended: it has no watchdog and no JSON, and its own exit
 * status is its own business (a program may exit 1 when it counts a lost update). */
static int judge_program(const struct subject *s, const char *tool, const struct tool_run *child,
                         struct race_check_run *run, char *why, size_t why_size)
{
        if (run->findings.tsan_failed) {
                snprintf(why, why_size, "%s could not run %s: %s", tool, s->name, run->findings.failure);
                return -1;
        }
        if (WIFSIGNALED(child->status)) {
                snprintf(why, why_size, "%s under %s died of signal %d", s->name, tool,
                         WTERMSIG(child->status));
                return -1;
        }
        run->observed = run->findings.observed;
        return 0;
}

/* Judges a finished child into cell. */
static void judge_cell(const struct subject *s, enum detector d, const struct tool_run *child,
                       struct detector_cell *cell)
{
        struct race_check_run *run = calloc(1, sizeof(*run));
        const char *tool = detector_title(d);

        if (!run) {
                cell->observed = OBSERVED_ERROR;
                snprintf(cell->why, sizeof(cell->why), "out of memory");
                return;
        }
        race_check_run_reset(run);
        if (detector_is_valgrind(d))
                valgrind_parse(child->stderr_text, name_machine_field, &run->findings);
        else
                tsan_parse(child->stderr_text, name_machine_field, &run->findings);
        if (s->kind != SUBJECT_PROGRAM)
                race_check_read_child_json(child->stdout_copy, run);
        int rc;
        if (child->interrupted) {
                snprintf(cell->why, sizeof(cell->why), "interrupted");
                rc = -1;
        } else if (child->timed_out) {
                race_check_judge_hung(run, DETECTORS_KILL_SECONDS);
                rc = 0;
        } else if (s->kind == SUBJECT_PROGRAM) {
                rc = judge_program(s, tool, child, run, cell->why, sizeof(cell->why));
        } else {
                rc = race_check_judge_exit(s->name, tool, child->status, child->stderr_text, run,
                                           cell->why, sizeof(cell->why));
        }
        cell->observed = rc == 0 ? run->observed : OBSERVED_ERROR;
        cell->reports = run->findings.reports;
        const struct tsan_report *first = tsan_first_of_worst(&run->findings);
        if (first) {
                snprintf(cell->first_kind, sizeof(cell->first_kind), "%s", first->kind);
                snprintf(cell->first_where, sizeof(cell->first_where), "%s",
                         first->caller[0] ? first->caller : first->location);
        }
        cell->at_bug = rc == 0 && report_at_bug(s, &run->findings);
        free(run);
}

/* The build that detector d runs for subject s, or NULL with why in cell. */
static const char *build_for(const struct detector_tools *tools, const struct subject *s,
                             enum detector d, struct detector_cell *cell)
{
        const char *binary = s->kind == SUBJECT_SCENARIO ? tools->lab[d] : s->build[d];
        const char *missing = tools->missing[d][0] ? tools->missing[d]
                              : s->kind == SUBJECT_SCENARIO ? "" : s->build_missing[d];

        if (missing[0] || !binary[0]) {
                snprintf(cell->why, sizeof(cell->why), "%s", missing[0] ? missing : "not built");
                return NULL;
        }
        return binary;
}

static void run_cell(const struct detector_tools *tools, const struct subject *s, enum detector d,
                     enum telling tell, double native_seconds, double native_mib,
                     struct detector_cell *cell)
{
        char tsan_options[PATH_MAX + 128], why[256];
        struct target target;
        struct tool_run child;
        char *argv[48];
        size_t argc = 0;

        memset(cell, 0, sizeof(*cell));
        cell->slowdown = cell->memory_ratio = cell->seconds = cell->peak_mib = NAN;
        const char *binary = build_for(tools, s, d, cell);
        if (!binary)
                return;
        cell->made = true;
        target_arguments(s, binary, &target);
        if (detector_is_valgrind(d))
                argc = valgrind_prefix(tools, d, argv);
        for (size_t i = 0; i < target.argc; i++)
                argv[argc++] = target.argv[i];
        argv[argc] = NULL;
        char **env = cell_environment(s, d, tell, tsan_options, sizeof(tsan_options));
        if (!env || tool_run(argv, env, DETECTORS_KILL_SECONDS, &child, why, sizeof(why)) != 0) {
                cell->observed = OBSERVED_ERROR;
                snprintf(cell->why, sizeof(cell->why), "%s", env ? why : "out of memory");
                free(env);
                return;
        }
        free(env);
        judge_cell(s, d, &child, cell);
        cell->made = !child.interrupted; /* cut off by the user: not a run */
        cell->seconds = child.wall_seconds;
        cell->peak_mib = child.peak_rss_mib;
        if (!isnan(native_seconds) && native_seconds > 0)
                cell->slowdown = cell->seconds / native_seconds;
        if (!isnan(native_mib) && native_mib > 0)
                cell->memory_ratio = cell->peak_mib / native_mib;
        tool_run_free(&child);
}

/* The native run of the same work, for the ratios: NAN unless it ended by itself, normally. */
static void run_native(const struct detector_tools *tools, const struct subject *s,
                       struct subject_result *r)
{
        const char *binary = s->kind == SUBJECT_SCENARIO ? tools->baseline : s->native;
        struct target target;
        struct tool_run child;
        char why[256];

        /* The Valgrind twin, run natively, allows for no tool: its watchdog's limit is the
         * native one. */
        static const char *const replaced[] = { "ESPRESSO_TOOL_SLOWDOWN=", NULL };
        static char no_tool[] = "ESPRESSO_TOOL_SLOWDOWN=1";
        char *added[] = { no_tool, NULL };

        r->native_seconds = r->native_peak_mib = NAN;
        target_arguments(s, binary, &target);
        char **env = tool_run_environment(replaced, added);
        int rc = env ? tool_run(target.argv, env, DETECTORS_KILL_SECONDS, &child, why, sizeof(why)) : -1;
        free(env);
        if (rc != 0) {
                snprintf(r->native_why, sizeof(r->native_why), "%s", env ? why : "out of memory");
                return;
        }
        int status = child.status;
        bool ended = !child.timed_out && !child.interrupted && WIFEXITED(status) &&
                     (s->kind == SUBJECT_PROGRAM || WEXITSTATUS(status) == EXIT_OK ||
                      WEXITSTATUS(status) == EXIT_CHECK_FAILED);
        if (ended) {
                r->native_seconds = child.wall_seconds;
                r->native_peak_mib = child.peak_rss_mib;
        } else {
                snprintf(r->native_why, sizeof(r->native_why), "the native run did not end by itself%s",
                         WIFEXITED(status) && WEXITSTATUS(status) == EXIT_STALLED ? " (it stalled)" : "");
        }
        tool_run_free(&child);
}

void detectors_run_subject(const struct detector_tools *tools, const struct subject *s,
                           bool both_tellings, const bool chosen[DETECTOR_COUNT], FILE *progress,
                           struct subject_result *r)
{
        memset(r, 0, sizeof(*r));
        r->subject = *s;
        for (int t = 0; t < TELLINGS; t++)
                for (int d = 0; d < DETECTOR_COUNT; d++)
                        r->cell[t][d].slowdown = r->cell[t][d].memory_ratio = NAN;
        run_native(tools, s, r);
        /* A program has no annotations: one column. */
        int tellings = s->kind == SUBJECT_PROGRAM || !both_tellings ? 1 : TELLINGS;
        for (int t = 0; t < tellings; t++)
                for (int d = 0; d < DETECTOR_COUNT && !interrupt_signal(); d++) {
                        if (!chosen[d])
                                continue;
                        if (progress)
                                fprintf(progress, "\r\033[K%s: %s%s", s->name, detector_title(d),
                                        t == NOT_TOLD ? ", not told" : "");
                        run_cell(tools, s, d, t, r->native_seconds, r->native_peak_mib, &r->cell[t][d]);
                }
        if (progress)
                fprintf(progress, "\r\033[K");
}
