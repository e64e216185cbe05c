#include "race_check.h"
#include "race_check_locate.h"
#include "tool_run.h"

#include "measure/clock.h"
#include "harness/run.h"
#include "harness/interrupt.h"
#include "kit/machine.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Found by race_check_locate() (race_check_locate.c). */
char race_check_tsan_binary[PATH_MAX];
char race_check_suppressions[PATH_MAX];

struct run_config race_check_run_config(const struct scenario *s)
{
        return race_check_config_for(s->helper != NULL, s->default_orders);
}

struct run_config race_check_config_for(bool has_helper, uint64_t default_orders)
{
        /* Threads never outnumber the lab machine's cores: a helper takes a barista's core.
         * A helper needs time to act: the manager's changes come at --updates-per-sec. */
        return (struct run_config){
                .baristas = RACE_CHECK_BARISTAS - (has_helper ? 1 : 0),
                /* A scenario with slow orders (the deadlocks grind a millisecond each) says how
                 * many make a run. */
                .orders = default_orders ? default_orders
                          : has_helper ? RACE_CHECK_HELPER_ORDERS : RACE_CHECK_ORDERS,
                .updates_per_sec = RUN_DEFAULT_UPDATES_PER_SEC,
                .stall_seconds = RACE_CHECK_STALL_SECONDS,
                .max_seconds = RACE_CHECK_MAX_SECONDS,
        };
}

/* "barista 1 holds the grinder and waits for the espresso machine; barista 2 ..." from the
 * stuck baristas of a stalled run's JSON. */
static void describe_hang(json_t *stuck, char *out, size_t size)
{
        size_t used = 0, i;
        json_t *b;

        out[0] = '\0';
        json_array_foreach(stuck, i, b) {
                const char *holds = json_string_value(json_object_get(b, "holds"));
                const char *waits = json_string_value(json_object_get(b, "waits_for"));
                const char *state = json_string_value(json_object_get(b, "state"));
                int n;
                if (holds || waits)
                        n = snprintf(out + used, size - used, "%sbarista %lld holds %s and waits for %s",
                                     i ? "; " : "", json_integer_value(json_object_get(b, "barista")),
                                     holds ? holds : "nothing", waits ? waits : "nothing");
                else
                        n = snprintf(out + used, size - used, "%sbarista %lld is %s", i ? "; " : "",
                                     json_integer_value(json_object_get(b, "barista")),
                                     state ? state : "stuck");
                if (n < 0 || (size_t)n >= size - used)
                        break;
                used += (size_t)n;
        }
}

void race_check_read_child_json(FILE *stdout_copy, struct race_check_run *run)
{
        json_error_t error;

        rewind(stdout_copy);
        json_t *doc = json_loadf(stdout_copy, 0, &error);
        json_t *seconds = doc ? json_object_get(doc, "seconds") : NULL;
        json_t *held = doc ? json_object_get(doc, "invariants_held") : NULL;
        json_t *why = doc ? json_object_get(doc, "broken_invariant") : NULL;
        json_t *stuck = doc ? json_object_get(doc, "stuck") : NULL;
        json_t *ended = doc ? json_object_get(doc, "ended") : NULL;
        run->stalled = ended && json_is_string(ended) && strcmp(json_string_value(ended), "stalled") == 0;
        run->seconds = seconds && json_is_number(seconds) ? json_number_value(seconds) : NAN;
        run->invariants_held = !held || !json_is_false(held);
        snprintf(run->broken_invariant, sizeof(run->broken_invariant), "%s",
                 why && json_is_string(why) ? json_string_value(why) : "");
        if (stuck && json_is_array(stuck))
                describe_hang(stuck, run->hung_because, sizeof(run->hung_because));
        json_decref(doc);
}

const char *name_machine_field(const char *symbol, unsigned long offset)
{
        return strcmp(symbol, "espresso_machine") == 0 ? machine_field_at((size_t)offset) : NULL;
}

static void set_tsan_options(char *out, size_t size, struct race_check_mode mode)
{
        /* halt_on_error=0: see every report, not just the first. print_suppressions: how many
         * reports each suppression entry swallowed. */
        if (mode.without_suppressions)
                snprintf(out, size, "TSAN_OPTIONS=halt_on_error=0 exitcode=%d", RACE_CHECK_TOOL_EXIT_CODE);
        else
                snprintf(out, size, "TSAN_OPTIONS=suppressions=%s print_suppressions=1 "
                         "halt_on_error=0 exitcode=%d", race_check_suppressions, RACE_CHECK_TOOL_EXIT_CODE);
}

/* The argument vector of a race-check run of s: `binary run NAME --baristas ... --format json`,
 * in strings of `a`. */
void race_check_run_arguments(const char *binary, const char *name, struct run_config config,
                              struct race_check_arguments *a)
{
        snprintf(a->baristas, sizeof(a->baristas), "%u", config.baristas);
        snprintf(a->orders, sizeof(a->orders), "%llu", (unsigned long long)config.orders);
        snprintf(a->stall, sizeof(a->stall), "%g", config.stall_seconds);
        snprintf(a->bound, sizeof(a->bound), "%g", config.max_seconds);
        char *argv[] = { (char *)binary, "run", (char *)name, "--baristas", a->baristas,
                         "--orders", a->orders, "--stall-seconds", a->stall, "--max-seconds",
                         a->bound, "--format", "json", NULL };
        memcpy(a->argv, argv, sizeof(argv));
}

int race_check_judge_exit(const char *name, const char *tool, int status, const char *text,
                          struct race_check_run *run, char *why, size_t why_size)
{
        if (run->findings.tsan_failed) {
                snprintf(why, why_size, "%s could not run %s: %s", tool, name, run->findings.failure);
                return -1;
        }
        if (WIFSIGNALED(status)) {
                snprintf(why, why_size, "%s under %s died of signal %d", name, tool, WTERMSIG(status));
                return -1;
        }
        switch (WEXITSTATUS(status)) {
        case EXIT_STALLED: /* its watchdog ended it: nobody progressed */
                run->observed = OBSERVED_HUNG;
                return 0;
        case EXIT_OK:
        case EXIT_CHECK_FAILED: /* a broken invariant: judged with the verdict */
        case EXIT_CUT_SHORT:    /* slow, but it progressed: what TSan saw stands */
        case RACE_CHECK_TOOL_EXIT_CODE: /* the tool reported: its exit code replaces the run's */
                /* Valgrind's --error-exitcode replaces even the watchdog's status: a run that
                 * stalled says so in its JSON, and a stall is the verdict whatever else was
                 * reported (threads the watchdog left holding locks, say). */
                run->observed = run->stalled ? OBSERVED_HUNG : run->findings.observed;
                return 0;
        default:
                snprintf(why, why_size, "%s under %s exited %d: %.160s", name, tool,
                         WEXITSTATUS(status), text);
                return -1;
        }
}

void race_check_run_reset(struct race_check_run *run)
{
        memset(run, 0, sizeof(*run));
        run->seconds = NAN;
        run->invariants_held = true;
}

void race_check_judge_hung(struct race_check_run *run, double kill_seconds)
{
        run->observed = OBSERVED_HUNG;
        run->killed = true;
        snprintf(run->hung_because, sizeof(run->hung_because), "still running after %g s: killed",
                 kill_seconds);
}

int race_check_tsan_run(const char *binary, const char *tool, const struct scenario *s,
                        struct race_check_mode mode, struct race_check_run *run, char *why,
                        size_t why_size)
{
        static const char *const replaced[] = { "TSAN_OPTIONS=", "ESPRESSO_TSAN_ANNOTATIONS=", NULL };
        static char annotations_off[] = "ESPRESSO_TSAN_ANNOTATIONS=off";
        char tsan_options[PATH_MAX + 128];
        struct race_check_arguments arguments;
        struct tool_run child;
        int rc;

        race_check_run_reset(run);
        race_check_run_arguments(binary, s->name, race_check_run_config(s), &arguments);
        set_tsan_options(tsan_options, sizeof(tsan_options), mode);
        char *added[] = { tsan_options, mode.without_annotations ? annotations_off : NULL, NULL };
        char **env = tool_run_environment(replaced, added);
        if (!env) {
                snprintf(why, why_size, "out of memory");
                return -1;
        }
        rc = tool_run(arguments.argv, env, RACE_CHECK_KILL_SECONDS, &child, why, why_size);
        free(env);
        if (rc != 0)
                return -1;
        tsan_parse(child.stderr_text, name_machine_field, &run->findings);
        race_check_read_child_json(child.stdout_copy, run);
        if (child.interrupted) {
                snprintf(why, why_size, "interrupted");
                rc = -1;
        } else if (child.timed_out) {
                race_check_judge_hung(run, RACE_CHECK_KILL_SECONDS);
                rc = 0;
        } else {
                rc = race_check_judge_exit(s->name, tool, child.status, child.stderr_text, run,
                                           why, why_size);
        }
        tool_run_free(&child);
        return rc;
}

bool race_check_run_matches(const struct scenario *s, const struct race_check_run *run)
{
        return observed_satisfies(run->observed, s->expect) &&
               !(scenario_claims_correct(s) && !run->invariants_held);
}

/* Adds one run's suppression counts to the scenario's totals. */
static void add_suppressions(struct race_check_result *result, const struct tsan_findings *f)
{
        for (size_t i = 0; i < f->suppressions_used; i++) {
                size_t j = 0;
                while (j < result->suppressions_used &&
                       strcmp(result->suppressed[j].entry, f->suppressed[i].entry) != 0)
                        j++;
                if (j == result->suppressions_used) {
                        if (j == TSAN_MAX_SUPPRESSIONS)
                                continue;
                        result->suppressed[result->suppressions_used++] = f->suppressed[i];
                } else {
                        result->suppressed[j].count += f->suppressed[i].count;
                }
        }
}

void race_check_scenario(const struct scenario *s, uint32_t runs, struct race_check_mode mode,
                         struct race_check_result *result)
{
        struct race_check_run *run = malloc(sizeof(*run));

        memset(result, 0, sizeof(*result));
        result->scenario = s;
        result->tsan_seconds = NAN;
        if (!run) {
                result->failed = true;
                snprintf(result->why, sizeof(result->why), "out of memory");
                return;
        }
        for (uint32_t i = 0; i < runs; i++) {
                if (race_check_tsan_run(race_check_tsan_binary, "TSan", s, mode, run, result->why,
                                        sizeof(result->why)) != 0) {
                        result->failed = true;
                        break;
                }
                add_suppressions(result, &run->findings);
                if (i == 0)
                        result->tsan_seconds = run->seconds;
                result->runs++;
                bool matched = race_check_run_matches(s, run);
                /* Keep the first run, unless a later one is the first to mismatch. */
                if (i == 0 || (!matched && result->runs_matched == i))
                        result->shown = *run;
                result->runs_matched += matched;
        }
        free(run);
}
