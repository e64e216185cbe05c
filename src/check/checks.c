/* check: one file, every check (checks.h). */
#include "checks.h"
#include "harness/self.h"

#include "check_runs.h"
#include "hints.h"
#include "kit/waiter_hold.h"

#include "measure/clock.h"
#include "tsan/race_check.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct check_item *item(struct check_result *r, const char *name, bool passed, double seconds,
                               const char *format, ...)
{
        if (r->items == CHECK_MAX_ITEMS)
                return NULL;
        struct check_item *it = &r->item[r->items++];
        va_list ap;
        snprintf(it->name, sizeof(it->name), "%s", name);
        it->passed = passed;
        it->seconds = seconds;
        va_start(ap, format);
        vsnprintf(it->evidence, sizeof(it->evidence), format, ap);
        va_end(ap);
        return it;
}

static void progress(const struct check_settings *s, const char *file, const char *what)
{
        if (s->progress)
                fprintf(stderr, "\r\033[Kcheck %s: %s", file, what);
}

static double seconds_since(uint64_t start_ns)
{
        return (clock_now_ns() - start_ns) / 1e9;
}

/* ThreadSanitizer: CHECK_TSAN_RUNS runs; every one must be clean. */
static void tsan_checks(const struct student_build *b, const struct student_scenario *s,
                        const struct check_settings *settings, struct check_result *r)
{
        struct check_evidence *e = &r->evidence;
        unsigned runs = 0, reported = 0;
        uint64_t start = clock_now_ns();
        char why[512] = "", what[64];

        for (unsigned i = 0; i < CHECK_TSAN_RUNS; i++) {
                bool this_reported, stop;
                snprintf(what, sizeof(what), "%s, ThreadSanitizer run %u of %u", s->name, i + 1,
                         CHECK_TSAN_RUNS);
                progress(settings, r->file, what);
                if (check_tsan_run(b, s, e, &this_reported, why, sizeof(why), &stop) != 0) {
                        item(r, "ThreadSanitizer", false, seconds_since(start), "%s", why);
                        return;
                }
                runs++;
                reported += this_reported;
                if (stop)
                        break;
        }
        const char *name = "ThreadSanitizer";
        if (e->contained != SANDBOX_EXITED)
                item(r, name, false, seconds_since(start), "%s", e->contained_how);
        else if (e->stalled)
                item(r, name, false, seconds_since(start), "run %u stalled: %s", runs, e->stuck_state);
        else if (reported)
                item(r, name, false, seconds_since(start), "%s%s%s in %u of %u runs", e->kind,
                     e->variable[0] ? " on " : "", e->variable, reported, runs);
        else
                item(r, name, true, seconds_since(start), "no report in %u runs of %llu orders", runs,
                     s->default_orders ? (unsigned long long)s->default_orders
                     : (unsigned long long)(s->has_helper ? RACE_CHECK_HELPER_ORDERS : RACE_CHECK_ORDERS));
}

/* Native stress: timed runs at 1, 2, cores and 2 x cores baristas. */
static void stress_checks(const struct student_build *b, const struct student_scenario *s,
                          const struct check_settings *settings, struct check_result *r)
{
        uint32_t counts[4] = { 1, 2, settings->cores, 2 * settings->cores }, done[4];
        unsigned n_done = 0;

        for (unsigned i = 0; i < 4; i++) {
                bool seen = false;
                for (unsigned j = 0; j < n_done; j++)
                        seen |= done[j] == counts[i];
                if (seen || r->evidence.contained != SANDBOX_EXITED)
                        continue;
                done[n_done++] = counts[i];
                char name[48], why[384], what[96];
                snprintf(name, sizeof(name), "stress, %u barista%s", counts[i], counts[i] == 1 ? "" : "s");
                snprintf(what, sizeof(what), "%s, %s", s->name, name);
                progress(settings, r->file, what);
                uint64_t start = clock_now_ns();
                json_t *run = check_native_run(b->native, b->dir, s->name, counts[i],
                                               CHECK_STRESS_SECONDS, &r->evidence, why, sizeof(why));
                bool passed = run && check_note_stress(run, counts[i], &r->evidence, why, sizeof(why));
                item(r, name, passed, seconds_since(start), "%s", why);
                json_decref(run);
        }
}

/* explore: a few hundred controlled schedules in the controlled build of the file. A schedule
 * that breaks it is a failure whatever TSan and the stress runs said: it breaks it every time. A
 * file whose waits the scheduler cannot see is not judged here (the other checks still are). */
static void explore_checks(const struct student_build *b, const struct student_scenario *s,
                           const struct check_settings *settings, struct check_result *r)
{
        struct student_build *copy = (struct student_build *)b; /* its build directory, to add to */
        struct check_evidence *e = &r->evidence;
        char name[48], why[384] = "", what[96];
        uint64_t start = clock_now_ns();

        snprintf(name, sizeof(name), "explore");
        snprintf(what, sizeof(what), "%s, explore", s->name);
        progress(settings, r->file, what);
        int built = student_build_variant(copy, settings->kit, "espresso-kit-controlled",
                                          "student-controlled.o", "lab-controlled");
        if (built != 0) {
                item(r, name, built > 0 ? false : true, seconds_since(start), "not explored: %s",
                     built > 0 ? "its controlled build does not compile" : b->why);
                return;
        }
        json_t *run = check_explore_run(b, s->name, CHECK_EXPLORE_BUDGET, why, sizeof(why));
        if (!run) {
                item(r, name, true, seconds_since(start), "not explored: %s", why);
                return;
        }
        const char *schedule = json_string_value(json_object_get(run, "schedule"));
        if (json_is_true(json_object_get(run, "found"))) {
                snprintf(e->explored, sizeof(e->explored), "%s",
                         json_string_value(json_object_get(run, "finding")) ?: "?");
                snprintf(e->schedule, sizeof(e->schedule), "%s", schedule ? schedule : "");
                char how_to_see[sizeof(e->schedule) + PATH_MAX + 64];
                if (schedule)
                        snprintf(how_to_see, sizeof(how_to_see),
                                 "See it step by step: espresso-lab replay %s %s --step", r->file,
                                 schedule);
                else
                        snprintf(how_to_see, sizeof(how_to_see), "(its schedule is too long to replay)");
                item(r, name, false, seconds_since(start), "controlled schedule %lld of %u breaks "
                     "it: %s. %s", json_integer_value(json_object_get(run, "found_at")),
                     CHECK_EXPLORE_BUDGET, json_string_value(json_object_get(run, "what")) ?: "?",
                     how_to_see);
        } else if (json_is_true(json_object_get(run, "unschedulable"))) {
                item(r, name, true, seconds_since(start), "not explored: it waits where the "
                     "controlled scheduler cannot see (a loop on a plain variable, a library's "
                     "own wait)");
        } else {
                item(r, name, true, seconds_since(start), "no controlled schedule of %lld broke it",
                     json_integer_value(json_object_get(run, "schedules")));
        }
        json_decref(run);
}

static const char *self_binary(void)
{
        static char path[PATH_MAX];
        if (lab_executable_path(path, sizeof(path)) != 0)
                path[0] = '\0';
        return path;
}

static double number_of(json_t *run, const char *key)
{
        json_t *v = run ? json_object_get(run, key) : NULL;
        return json_is_number(v) ? json_number_value(v) : -1;
}

/* A goal measured on the student's scenario and on the reference, at the same settings. */
static void measured_goal(const struct student_build *b, const struct student_scenario *s,
                          const struct exercise *x, const char *key, double *mine, double *theirs,
                          struct check_result *r, char *why, size_t why_size)
{
        json_t *run = check_native_run(b->native, b->dir, s->name, x->goal_baristas, CHECK_STRESS_SECONDS,
                                       &r->evidence, why, why_size);
        json_t *ref = run ? check_native_run(self_binary(), b->dir, x->reference, x->goal_baristas,
                                             CHECK_STRESS_SECONDS, &r->evidence, why, why_size)
                          : NULL;
        *mine = number_of(run, key);
        *theirs = number_of(ref, key);
        json_decref(run);
        json_decref(ref);
}

/* Holds that must show barista 2 queuing behind barista 1 before a lock is called fair. */
#define FAIR_MIN_DECIDED 5

static json_t *held_of(json_t *timeline)
{
        return timeline ? json_object_get(timeline, "held_waiter") : NULL;
}

/* Fairness, forced rather than hoped for: the timeline holds barista 1 still while it waits
 * (kit/waiter_hold.h), and a fair lock never lets barista 2 overtake it. */
static void fairness_check(const struct student_build *b, const struct student_scenario *s,
                           const struct exercise *x, struct check_result *r)
{
        struct check_evidence *e = &r->evidence;
        char why[384] = "";
        uint64_t start = clock_now_ns();

        json_t *mine_t = check_native_timeline(b->native, b->dir, s->name, x->goal_baristas,
                                               x->goal_orders, x->goal_shot_ns, e, why, sizeof(why));
        json_t *ref_t = mine_t ? check_native_timeline(self_binary(), b->dir, x->reference,
                                                       x->goal_baristas, x->goal_orders,
                                                       x->goal_shot_ns, e, why, sizeof(why))
                               : NULL;
        json_t *mine = held_of(mine_t), *ref = held_of(ref_t);
        double holds = number_of(mine, "holds"), overtaken = number_of(mine, "overtaken");
        double queued = number_of(mine, "queued");
        if (!mine) {
                item(r, "fairness", false, seconds_since(start), "%s", why[0] ? why : "no timeline");
        } else if (overtaken > 0) {
                e->unfair = true;
                item(r, "fairness", false, seconds_since(start),
                     "barista 1, held while it waited, was overtaken in %.0f of %.0f holds: barista 2 "
                     "got the machine on a later order (%s: %.0f of %.0f)", overtaken, holds,
                     x->reference, number_of(ref, "overtaken"), number_of(ref, "holds"));
        } else if (holds == 0) {
                item(r, "fairness", false, seconds_since(start),
                     "not judged: barista 1 never spent %llu us of CPU waiting for the machine, so "
                     "it was never held (a lock whose waiters sleep cannot be held this way)",
                     WAITER_HOLD_WAITED_NS / 1000);
        } else if (queued < FAIR_MIN_DECIDED) {
                e->busy_machine = true;
                item(r, "fairness", false, seconds_since(start),
                     "not judged: barista 1 was held %.0f times, and only %.0f showed barista 2 "
                     "queuing behind it (at least %d needed); the others decided nothing",
                     holds, queued, FAIR_MIN_DECIDED);
        } else {
                item(r, "fairness", true, seconds_since(start),
                     "barista 1, held while it waited, was never overtaken: in %.0f holds barista 2 "
                     "queued behind it (%s: %.0f of %.0f)", queued, x->reference,
                     number_of(ref, "queued"), number_of(ref, "holds"));
        }
        json_decref(mine_t);
        json_decref(ref_t);
}

static void exercise_checks(const struct student_build *b, const struct student_scenario *s,
                            const struct check_settings *settings, struct check_result *r)
{
        const struct exercise *x = settings->exercise;
        struct check_evidence *e = &r->evidence;
        char why[384] = "";
        double mine, theirs;
        uint64_t start;

        if (x->goals & GOAL_NO_LOCK_CALLS) {
                char symbols[sizeof(b->undefined_symbols)];
                snprintf(symbols, sizeof(symbols), "%s", b->undefined_symbols);
                for (char *w = strtok(symbols, " "); w && !e->forbidden_call; w = strtok(NULL, " "))
                        if (exercise_forbids_symbol(w)) {
                                e->forbidden_call = true;
                                snprintf(e->forbidden_symbol, sizeof(e->forbidden_symbol), "%s", w);
                        }
                item(r, "no lock calls", !e->forbidden_call, 0, e->forbidden_call ? "calls %s" :
                     "no pthread, C11, semaphore or ck lock function among its calls", e->forbidden_symbol);
        }
        if (x->goals & GOAL_FAIR)
                fairness_check(b, s, x, r);
        if (x->goals & GOAL_READS_SCALE) {
                if (settings->native_sanitized) {
                        e->sanitized_build = true;
                        item(r, "reads", false, 0, "not judged: this lab's native build has "
                             "sanitizers, which slow every read; an optimized build judges it");
                        return;
                }
                progress(settings, r->file, "reads, against the reference");
                start = clock_now_ns();
                measured_goal(b, s, x, "reads_per_sec", &mine, &theirs, r, why, sizeof(why));
                e->slow_reads = mine < 0 || theirs <= 0 || mine < x->min_read_share * theirs;
                if (mine < 0 || theirs <= 0)
                        item(r, "reads", false, seconds_since(start), "%s", why[0] ? why : "no reads measured");
                else
                        item(r, "reads", !e->slow_reads, seconds_since(start),
                             "%.3g reads/s at %u baristas, %.0f%% of %s's (at least %.0f%%)", mine,
                             x->goal_baristas, 100 * mine / theirs, x->reference, 100 * x->min_read_share);
        }
}

/* What the file's source says about itself, for the hints. */
static void note_source(const struct student_build *b, struct check_evidence *e)
{
        char path[PATH_MAX + 300], line[1024];
        snprintf(path, sizeof(path), "%s/%s", b->dir, b->copy_name);
        FILE *f = fopen(path, "r");
        while (f && fgets(line, sizeof(line), f))
                e->uses_atomics |= strstr(line, "atomic") != NULL;
        if (f)
                fclose(f);
        e->has_mutex = strstr(b->undefined_symbols, "pthread_mutex_lock") != NULL;
}

static void check_built(const struct student_build *b, const struct check_settings *settings,
                        struct check_result *r)
{
        struct student_scenario found[CHECK_MAX_SCENARIOS];

        note_source(b, &r->evidence);
        progress(settings, r->file, "listing its scenarios");
        r->scenario_count = check_list_scenarios(b, found, CHECK_MAX_SCENARIOS, r->why, sizeof(r->why));
        if (r->scenario_count == 0) {
                item(r, "scenario", false, 0, "%s", r->why);
                return;
        }
        for (unsigned i = 0; i < r->scenario_count; i++) {
                snprintf(r->scenarios[i], sizeof(r->scenarios[i]), "%s", found[i].name);
                tsan_checks(b, &found[i], settings, r);
                stress_checks(b, &found[i], settings, r);
                if (r->evidence.contained == SANDBOX_EXITED)
                        explore_checks(b, &found[i], settings, r);
                if (settings->exercise && r->evidence.contained == SANDBOX_EXITED)
                        exercise_checks(b, &found[i], settings, r);
        }
}

void check_file(const char *file, const struct check_settings *settings, struct check_result *r)
{
        uint64_t start = clock_now_ns();
        struct student_build *b = calloc(1, sizeof(*b));

        memset(r, 0, sizeof(*r));
        check_runs_configure(settings->cores, settings->native_sanitized);
        r->file = file;
        r->exercise = settings->exercise;
        r->verdict = CHECK_ERROR;
        if (!b) {
                snprintf(r->why, sizeof(r->why), "out of memory");
                return;
        }
        progress(settings, file, "building, natively and with ThreadSanitizer");
        int rc = student_build(file, settings->kit, b);
        if (rc != 0) {
                snprintf(r->why, sizeof(r->why), "%s", b->why);
        } else if (!b->compiled) {
                r->verdict = CHECK_DOES_NOT_COMPILE;
                snprintf(r->compiler_output, sizeof(r->compiler_output), "%s", b->compiler_output);
                item(r, "build", false, b->seconds, "does not compile");
        } else {
                item(r, "build", true, b->seconds, "built natively and with ThreadSanitizer");
                check_built(b, settings, r);
                r->verdict = CHECK_PASSED;
                for (unsigned i = 0; i < r->items; i++)
                        if (!r->item[i].passed)
                                r->verdict = CHECK_FAILED;
        }
        if (r->verdict != CHECK_ERROR)
                hints_derive(r);
        student_build_remove(b);
        free(b);
        r->seconds = seconds_since(start);
        if (settings->progress)
                fprintf(stderr, "\r\033[K");
}

const char *check_verdict_name(enum check_verdict v)
{
        static const char *const names[] = { "passed", "failed", "does not compile", "error" };
        return names[v];
}

double check_worst_case_seconds(const struct check_settings *settings)
{
        /* Two compiles and two links; list; the TSan runs; four stress runs; the controlled
         * build's compile and link and its exploration; two runs per goal. */
        double goals = settings->exercise ? 4 * native_run_limits.wall_seconds : 0;
        return STUDENT_BUILD_STEPS * STUDENT_BUILD_STEP_SECONDS + list_limits.wall_seconds +
               CHECK_TSAN_RUNS * tsan_run_limits.wall_seconds + 4 * native_run_limits.wall_seconds +
               2 * STUDENT_BUILD_STEP_SECONDS + check_explore_seconds() + goals;
}

const char *check_sandbox_description(void)
{
        return sandbox_describe(&tsan_run_limits);
}
