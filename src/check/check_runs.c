/* The runs of a student's lab, in boxes (check_runs.h). */
#include "check_runs.h"

#include "kit/machine.h"
#include "tsan/race_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The exit codes of a lab run (run --help), and the code TSan exits with when it reported. */
#define LAB_EXIT_STALLED 3
#define TSAN_REPORTED_EXIT 66

/* A TSan run: no RLIMIT_AS (the shadow memory), its memory watched and capped by cgroup. The run
 * itself is cut short at TSAN_MAX_SECONDS; the box allows start-up and symbolizing on top. */
#define TSAN_MAX_SECONDS 20
const struct sandbox_limits tsan_run_limits = {
        .wall_seconds = TSAN_MAX_SECONDS + 15,
        .cpu_seconds = 2 * (TSAN_MAX_SECONDS + 15),
        .memory_bytes = 1ull << 30,
        .limit_address_space = false,
        .file_bytes = 64ull << 20,
        .processes = 64,
        .output_bytes = 8u << 20,
        .unprivileged = true,
};

struct sandbox_limits native_run_limits = {
        .wall_seconds = 15,
        .cpu_seconds = 40,
        .memory_bytes = 512ull << 20,
        .limit_address_space = true,
        .file_bytes = 64ull << 20,
        .processes = 64,
        .output_bytes = 8u << 20,
        .unprivileged = true,
};

const struct sandbox_limits list_limits = {
        .wall_seconds = 10,
        .cpu_seconds = 10,
        .memory_bytes = 1ull << 30,
        .limit_address_space = false,
        .file_bytes = 1u << 20,
        .processes = 16,
        .output_bytes = 1u << 20,
        .unprivileged = true,
};

void check_runs_configure(unsigned cores, bool native_sanitized)
{
        /* 2 x cores baristas, a helper, the watchdog, and room for the runtime's own threads. */
        native_run_limits.processes = 2 * cores + 32;
        native_run_limits.limit_address_space = !native_sanitized;
        /* AddressSanitizer's shadow and quarantine take resident memory of their own. */
        native_run_limits.memory_bytes = native_sanitized ? 2ull << 30 : 512ull << 20;
}

/* The JSON object that starts with "{\n  \"<key>\"" in text: what the lab printed, whatever the
 * student's code printed around it. */
json_t *check_lab_json(const char *text, const char *key)
{
        char start[80];
        snprintf(start, sizeof(start), "{\n  \"%s\"", key);
        const char *at = strstr(text, start);
        return at ? json_loads(at, JSON_DISABLE_EOF_CHECK, NULL) : NULL;
}

static void note_containment(struct check_evidence *e, const struct sandbox_result *r,
                             const struct sandbox_limits *limits, const char *what)
{
        char ending[200];
        if (e->contained != SANDBOX_EXITED)
                return;
        e->contained = r->ending;
        sandbox_describe_ending(r, limits, ending, sizeof(ending));
        snprintf(e->contained_how, sizeof(e->contained_how), "%s (%s)", ending, what);
}

/* The first line of what a run printed on stderr, for evidence on one line. */
const char *check_first_line(const char *text, char *out, size_t size)
{
        size_t n = strcspn(text, "\n");
        snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), text);
        return out;
}

static void note_crash(struct check_evidence *e, const struct sandbox_result *r)
{
        if (r->ending == SANDBOX_SIGNALED && !e->crash_signal)
                e->crash_signal = r->signal;
}

bool check_box_ended_it(const struct sandbox_result *r)
{
        return r->ending != SANDBOX_EXITED && r->ending != SANDBOX_SIGNALED;
}

unsigned check_list_scenarios(const struct student_build *b, struct student_scenario *out,
                              unsigned max, char *why, size_t why_size)
{
        char *argv[] = { (char *)b->native, "list", "--format", "json", NULL };
        char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
        struct sandbox_result r;
        unsigned n = 0;
        size_t i;
        json_t *s;

        if (sandbox_run(argv, env, b->dir, &list_limits, &r) != 0) {
                snprintf(why, why_size, "%s", r.why);
                return 0;
        }
        json_t *doc = check_lab_json(r.out, "scenarios");
        json_array_foreach(doc ? json_object_get(doc, "scenarios") : NULL, i, s) {
                if (n == max)
                        break;
                snprintf(out[n].name, sizeof(out[n].name), "%s",
                         json_string_value(json_object_get(s, "name")) ?: "?");
                out[n].has_helper = json_is_true(json_object_get(s, "has_helper"));
                out[n].uses_machine = !json_is_false(json_object_get(s, "uses_machine"));
                json_t *orders = json_object_get(s, "default_orders");
                out[n].default_orders = json_is_integer(orders) ? (uint64_t)json_integer_value(orders) : 0;
                n++;
        }
        if (n == 0) {
                const char *said = r.err_len ? r.err : r.out;
                if (doc)
                        snprintf(why, why_size, "the file registers no scenario: it must end with "
                                 "SCENARIO(...) or LOCK_SCENARIO(...)");
                else
                        snprintf(why, why_size, "its lab would not list its scenarios: %.300s", said);
        }
        json_decref(doc);
        sandbox_result_free(&r);
        return n;
}

/* The first report's accesses, as lines of the student's file. */
static void note_report(const struct student_build *b, const struct tsan_report *r,
                        struct check_evidence *e)
{
        snprintf(e->kind, sizeof(e->kind), "%s", r->kind);
        snprintf(e->variable, sizeof(e->variable), "%s", r->variable);
        e->on_machine = strncmp(r->variable, "espresso_machine", strlen("espresso_machine")) == 0;
        e->accesses = r->accesses;
        for (unsigned i = 0; i < r->accesses; i++) {
                const struct tsan_access *a = &r->access[i];
                struct check_access *c = &e->access[i];
                snprintf(c->what, sizeof(c->what), "%s", a->what);
                snprintf(c->thread, sizeof(c->thread), "%s", a->thread);
                snprintf(c->mutexes, sizeof(c->mutexes), "%s", a->mutexes);
                snprintf(c->where, sizeof(c->where), "%s", a->where);
                c->line = student_line(b, a->caller[0] ? a->caller : a->where);
                if (!c->line)
                        c->line = student_line(b, a->where);
                if (c->line)
                        student_source_line(b, c->line, c->code, sizeof(c->code));
        }
}

/* A stalled run's JSON: what its stuck baristas were doing; or, when it printed none (its setup
 * never returned), the first line it said. */
static void note_stall(json_t *run, uint32_t baristas, struct check_evidence *e, const char *said)
{
        json_t *stuck = run ? json_object_get(run, "stuck") : NULL;
        const char *state = json_string_value(json_object_get(json_array_get(stuck, 0), "state"));
        char line[128];
        if (!state && said && *said) {
                state = check_first_line(said, line, sizeof(line));
                if (strncmp(state, "espresso-lab: ", 14) == 0)
                        state += 14;
                if (strncmp(state, "stalled: ", 9) == 0)
                        state += 9;
        }

        if (!e->stalled || baristas < e->stalled_baristas)
                e->stalled_baristas = baristas;
        if (!e->stalled) {
                snprintf(e->stuck_state, sizeof(e->stuck_state), "%s", state ? state : "stuck");
                e->stuck_spinning = state && strncmp(state, "running", 7) == 0;
        }
        if (run && json_is_true(json_object_get(run, "deadlocked")))
                e->lock_order = true;
        e->stalled = true;
}

int check_tsan_run(const struct student_build *b, const struct student_scenario *s,
                   struct check_evidence *e, bool *reported, char *why, size_t why_size, bool *stop)
{
        char baristas[16], orders[24], max_seconds[16], tsan_options[PATH_MAX + 96];
        snprintf(baristas, sizeof(baristas), "%d", RACE_CHECK_BARISTAS - (s->has_helper ? 1 : 0));
        /* As race-check sizes its runs (race_check_run_config): a scenario with slow orders says
         * how many make a run. */
        snprintf(orders, sizeof(orders), "%llu", s->default_orders ? (unsigned long long)s->default_orders
                 : (unsigned long long)(s->has_helper ? RACE_CHECK_HELPER_ORDERS : RACE_CHECK_ORDERS));
        snprintf(max_seconds, sizeof(max_seconds), "%d", TSAN_MAX_SECONDS);
        snprintf(tsan_options, sizeof(tsan_options),
                 "TSAN_OPTIONS=suppressions=%s halt_on_error=0 exitcode=%d", b->suppressions,
                 TSAN_REPORTED_EXIT);
        char *argv[] = { (char *)b->tsan, "run", (char *)s->name, "--baristas", baristas, "--orders",
                         orders, "--stall-seconds", "0.5", "--max-seconds", max_seconds, "--format",
                         "json", NULL };
        char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", tsan_options, NULL };
        struct sandbox_result r;
        struct tsan_findings findings;
        int rc = 0;

        *reported = *stop = false;
        if (sandbox_run(argv, env, b->dir, &tsan_run_limits, &r) != 0) {
                snprintf(why, why_size, "%s", r.why);
                return -1;
        }
        e->tsan_runs++;
        if (r.peak_memory_bytes > e->peak_memory_bytes)
                e->peak_memory_bytes = r.peak_memory_bytes;
        tsan_parse(r.err, name_machine_field, &findings);
        json_t *run = check_lab_json(r.out, "scenario");
        if (findings.tsan_failed) {
                snprintf(why, why_size, "ThreadSanitizer could not run the lab: %s", findings.failure);
                rc = -1;
        } else if (check_box_ended_it(&r)) {
                note_containment(e, &r, &tsan_run_limits, "under ThreadSanitizer");
                *stop = true;
        } else if (r.ending == SANDBOX_EXITED && r.exit_code == LAB_EXIT_STALLED) {
                note_stall(run, (uint32_t)atoi(baristas), e, r.err);
                *stop = true;
        } else if (r.ending == SANDBOX_SIGNALED) {
                note_crash(e, &r);
                snprintf(why, why_size, "under ThreadSanitizer the run died of signal %d (%s)",
                         r.signal, strsignal(r.signal));
                *stop = true;
        } else if (r.exit_code != 0 && r.exit_code != 1 && r.exit_code != 4 &&
                   r.exit_code != TSAN_REPORTED_EXIT) {
                char line[200];
                snprintf(why, why_size, "under ThreadSanitizer the lab exited %d: %s", r.exit_code,
                         check_first_line(r.err, line, sizeof(line)));
                rc = -1;
        }
        if (findings.reports > 0) {
                const struct tsan_report *worst = tsan_first_of_worst(&findings);
                *reported = true;
                e->tsan_runs_reported++;
                if (worst && !e->race && !e->lock_order && !e->mutex_misuse)
                        note_report(b, worst, e);
                e->race |= findings.observed == OBSERVED_RACE;
                e->lock_order |= findings.observed == OBSERVED_LOCK_ORDER;
                e->mutex_misuse |= findings.observed == OBSERVED_MUTEX_MISUSE;
        }
        json_decref(run);
        sandbox_result_free(&r);
        return rc;
}

json_t *check_native_run(const char *binary, const char *dir, const char *scenario, uint32_t baristas,
                         double seconds, struct check_evidence *e, char *why, size_t why_size)
{
        char count[16], length[32];
        snprintf(count, sizeof(count), "%u", baristas);
        snprintf(length, sizeof(length), "%g", seconds);
        char *argv[] = { (char *)binary, "run", (char *)scenario, "--baristas", count, "--seconds",
                         length, "--stall-seconds", "1", "--format", "json", NULL };
        char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
        struct sandbox_result r;

        if (sandbox_run(argv, env, dir, &native_run_limits, &r) != 0) {
                snprintf(why, why_size, "%s", r.why);
                return NULL;
        }
        json_t *run = check_lab_json(r.out, "scenario");
        if (r.peak_memory_bytes > e->peak_memory_bytes)
                e->peak_memory_bytes = r.peak_memory_bytes;
        if (check_box_ended_it(&r)) {
                note_containment(e, &r, &native_run_limits, "natively");
                json_decref(run);
                run = NULL;
                snprintf(why, why_size, "%s", e->contained_how);
        } else if (r.ending == SANDBOX_SIGNALED) {
                note_crash(e, &r);
                json_decref(run);
                run = NULL;
                snprintf(why, why_size, "the run died of signal %d (%s)", r.signal, strsignal(r.signal));
        } else if (!run && r.exit_code == LAB_EXIT_STALLED) {
                note_stall(NULL, baristas, e, r.err);
                snprintf(why, why_size, "stalled: %s", e->stuck_state);
        } else if (!run) {
                char line[200];
                snprintf(why, why_size, "the lab printed no result (exit %d): %s", r.exit_code,
                         check_first_line(r.err, line, sizeof(line)));
        }
        sandbox_result_free(&r);
        return run;
}

json_t *check_native_timeline(const char *binary, const char *dir, const char *scenario,
                              uint32_t baristas, uint64_t orders, uint64_t shot_ns,
                              struct check_evidence *e, char *why, size_t why_size)
{
        char count[16], total[24], shot[24];
        snprintf(count, sizeof(count), "%u", baristas);
        snprintf(total, sizeof(total), "%llu", (unsigned long long)orders);
        snprintf(shot, sizeof(shot), "%llu", (unsigned long long)shot_ns);
        /* No work away from the machine, so that a barista that lets go comes straight back for
         * it: the moment an unfair lock lets it overtake the one held waiting. */
        char *argv[] = { (char *)binary, "timeline", (char *)scenario, "--pin", "--hold-waiter",
                         "--baristas", count, "--orders", total, "--prep-ns", "0", "--shot-ns", shot,
                         "--stall-seconds", "1", "--format", "json", NULL };
        char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
        struct sandbox_result r;

        if (sandbox_run(argv, env, dir, &native_run_limits, &r) != 0) {
                snprintf(why, why_size, "%s", r.why);
                return NULL;
        }
        json_t *t = check_lab_json(r.out, "schema");
        if (check_box_ended_it(&r)) {
                note_containment(e, &r, &native_run_limits, "natively");
                json_decref(t);
                t = NULL;
                snprintf(why, why_size, "%s", e->contained_how);
        } else if (!t) {
                char line[200];
                snprintf(why, why_size, "no timeline (exit %d): %s", r.exit_code,
                         check_first_line(r.err, line, sizeof(line)));
        }
        sandbox_result_free(&r);
        return t;
}

static uint64_t count_of(json_t *run, const char *key)
{
        json_t *v = json_object_get(run, key);
        return json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
}

bool check_note_stress(json_t *run, uint32_t baristas, struct check_evidence *e, char *why,
                       size_t why_size)
{
        uint64_t drinks = count_of(run, "drinks"), lost = count_of(run, "lost_updates");
        uint64_t collisions = count_of(run, "collisions");
        const char *ended = json_string_value(json_object_get(run, "ended"));
        const char *broken = json_string_value(json_object_get(run, "broken_invariant"));
        bool held = !json_is_false(json_object_get(run, "invariants_held"));

        e->lost_updates += lost;
        e->collisions += collisions;
        if (ended && strcmp(ended, "stalled") == 0) {
                note_stall(run, baristas, e, NULL);
                snprintf(why, why_size, "stalled after %llu drinks: %s", (unsigned long long)drinks,
                         e->stuck_state);
                return false;
        }
        if (lost || collisions || !held) {
                if (!lost && !collisions && !e->orders_broken) {
                        e->orders_broken = true;
                        snprintf(e->broken, sizeof(e->broken), "%s", broken ? broken : "an invariant broke");
                }
                if (lost || collisions)
                        snprintf(why, why_size, "%llu drinks: %llu shots lost, %llu times two baristas "
                                 "at the machine at once", (unsigned long long)drinks,
                                 (unsigned long long)lost, (unsigned long long)collisions);
                else
                        snprintf(why, why_size, "%llu drinks: %s", (unsigned long long)drinks,
                                 broken ? broken : "an invariant broke");
                return false;
        }
        snprintf(why, why_size, "%llu drinks, no shot lost, no collision, every order served",
                 (unsigned long long)drinks);
        return true;
}
