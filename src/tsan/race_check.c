#include "race_check.h"
#include "race_check_locate.h"

#include "measure/clock.h"
#include "harness/run.h"
#include "harness/interrupt.h"
#include "kit/machine.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define TSAN_EXIT_CODE 66        /* what TSan exits with when it reported something */
#define MAX_CAPTURE (64u << 20)  /* stderr kept from one run; TSan deduplicates, so far more
                                  * than any report needs */

/* Found by race_check_locate() (race_check_locate.c). */
char race_check_tsan_binary[PATH_MAX];
char race_check_suppressions[PATH_MAX];

/* The environment for the child: ours, with TSAN_OPTIONS and the annotation switch replaced. */
static char **child_environment(char *tsan_options, bool without_annotations)
{
        static char annotations_off[] = "ESPRESSO_TSAN_ANNOTATIONS=off";
        size_t n = 0;
        while (environ[n])
                n++;
        char **env = calloc(n + 3, sizeof(*env));
        size_t k = 0;
        if (!env)
                return NULL;
        for (size_t i = 0; i < n; i++)
                if (strncmp(environ[i], "TSAN_OPTIONS=", 13) != 0 &&
                    strncmp(environ[i], "ESPRESSO_TSAN_ANNOTATIONS=", 26) != 0)
                        env[k++] = environ[i];
        env[k++] = tsan_options;
        if (without_annotations)
                env[k++] = annotations_off;
        env[k] = NULL;
        return env;
}

/* Reads fd until EOF, keeping at most MAX_CAPTURE bytes (the rest is read and dropped, so the
 * child never blocks on a full pipe). Returns the text, NUL-terminated; *timed_out when the
 * deadline passed first, *interrupted when SIGINT or SIGTERM was caught. */
static char *read_all(int fd, uint64_t deadline_ns, bool *timed_out, bool *interrupted)
{
        size_t cap = 1 << 16, len = 0;
        char *buf = malloc(cap), sink[4096];

        *timed_out = *interrupted = false;
        while (buf) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                uint64_t now = clock_now_ns();
                if (interrupt_signal()) {
                        *interrupted = true;
                        break;
                }
                if (now >= deadline_ns) {
                        *timed_out = true;
                        break;
                }
                int ready = poll(&p, 1, 100); /* a look at the signal flag ten times a second */
                if (ready < 0 && errno == EINTR)
                        continue;
                if (ready == 0)
                        continue;
                if (len + 4096 > cap && cap < MAX_CAPTURE) {
                        char *bigger = realloc(buf, cap * 2);
                        if (!bigger)
                                break;
                        buf = bigger;
                        cap *= 2;
                }
                bool full = len + 4096 > cap;
                ssize_t got = full ? read(fd, sink, sizeof(sink)) : read(fd, buf + len, cap - len - 1);
                if (got < 0 && errno == EINTR)
                        continue;
                if (got <= 0)
                        break;
                if (!full)
                        len += (size_t)got;
        }
        if (buf)
                buf[len] = '\0';
        return buf;
}

struct run_config race_check_run_config(const struct scenario *s)
{
        /* Threads never outnumber the lab machine's cores: a helper takes a barista's core.
         * A helper needs time to act: the manager's changes come at --updates-per-sec. */
        return (struct run_config){
                .baristas = RACE_CHECK_BARISTAS - (s->helper ? 1 : 0),
                /* A scenario with slow orders (the deadlocks grind a millisecond each) says how
                 * many make a run. */
                .orders = s->default_orders ? s->default_orders
                          : s->helper ? RACE_CHECK_HELPER_ORDERS : RACE_CHECK_ORDERS,
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

/* What the child's own JSON said: its length, its invariants, why it stalled. */
static void read_child_json(FILE *stdout_copy, struct race_check_run *run)
{
        json_error_t error;

        rewind(stdout_copy);
        json_t *doc = json_loadf(stdout_copy, 0, &error);
        json_t *seconds = doc ? json_object_get(doc, "seconds") : NULL;
        json_t *held = doc ? json_object_get(doc, "invariants_held") : NULL;
        json_t *why = doc ? json_object_get(doc, "broken_invariant") : NULL;
        json_t *stuck = doc ? json_object_get(doc, "stuck") : NULL;
        run->seconds = seconds && json_is_number(seconds) ? json_number_value(seconds) : NAN;
        run->invariants_held = !held || !json_is_false(held);
        snprintf(run->broken_invariant, sizeof(run->broken_invariant), "%s",
                 why && json_is_string(why) ? json_string_value(why) : "");
        if (stuck && json_is_array(stuck))
                describe_hang(stuck, run->hung_because, sizeof(run->hung_because));
        json_decref(doc);
}

static const char *name_machine_field(const char *symbol, unsigned long offset)
{
        return strcmp(symbol, "espresso_machine") == 0 ? machine_field_at((size_t)offset) : NULL;
}

static void set_tsan_options(char *out, size_t size, struct race_check_mode mode)
{
        /* halt_on_error=0: see every report, not just the first. print_suppressions: how many
         * reports each suppression entry swallowed. */
        if (mode.without_suppressions)
                snprintf(out, size, "TSAN_OPTIONS=halt_on_error=0 exitcode=%d", TSAN_EXIT_CODE);
        else
                snprintf(out, size, "TSAN_OPTIONS=suppressions=%s print_suppressions=1 "
                         "halt_on_error=0 exitcode=%d", race_check_suppressions, TSAN_EXIT_CODE);
}

/* Starts the TSan twin on scenario s in a process group of its own (so that it and anything it
 * starts can be killed together), stdout to a file, stderr to a pipe. */
static int spawn_child(const struct scenario *s, struct race_check_mode mode, FILE *stdout_copy,
                       int *stderr_fd, pid_t *pid, char *why, size_t why_size)
{
        char baristas[16], orders[24], stall[32], bound[32], tsan_options[PATH_MAX + 128];
        struct run_config config = race_check_run_config(s);
        char *argv[] = { race_check_tsan_binary, "run", (char *)s->name, "--baristas", baristas, "--orders",
                         orders, "--stall-seconds", stall, "--max-seconds", bound, "--format",
                         "json", NULL };
        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attributes;
        int pipe_fds[2];
        char **env = NULL;

        snprintf(baristas, sizeof(baristas), "%u", config.baristas);
        snprintf(orders, sizeof(orders), "%llu", (unsigned long long)config.orders);
        snprintf(stall, sizeof(stall), "%g", config.stall_seconds);
        snprintf(bound, sizeof(bound), "%g", config.max_seconds);
        set_tsan_options(tsan_options, sizeof(tsan_options), mode);
        if (pipe2(pipe_fds, O_CLOEXEC) != 0 ||
            !(env = child_environment(tsan_options, mode.without_annotations))) {
                snprintf(why, why_size, "cannot start %s: %s", race_check_tsan_binary, strerror(errno));
                free(env);
                return -1;
        }
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fileno(stdout_copy), STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
        posix_spawnattr_init(&attributes);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attributes, 0);
        int err = posix_spawn(pid, race_check_tsan_binary, &actions, &attributes, argv, env);
        posix_spawnattr_destroy(&attributes);
        posix_spawn_file_actions_destroy(&actions);
        close(pipe_fds[1]);
        free(env);
        if (err != 0) {
                snprintf(why, why_size, "cannot start %s: %s", race_check_tsan_binary, strerror(err));
                close(pipe_fds[0]);
                return -1;
        }
        *stderr_fd = pipe_fds[0];
        return 0;
}

/* Judges a finished child by how it ended: 0 and the run filled in, or -1 with why. */
static int judge_exit(const struct scenario *s, int status, const char *text,
                      struct race_check_run *run, char *why, size_t why_size)
{
        if (run->findings.tsan_failed) {
                snprintf(why, why_size, "TSan could not run %s: %s", s->name, run->findings.failure);
                return -1;
        }
        if (WIFSIGNALED(status)) {
                snprintf(why, why_size, "%s under TSan died of signal %d", s->name, WTERMSIG(status));
                return -1;
        }
        switch (WEXITSTATUS(status)) {
        case EXIT_STALLED: /* its watchdog ended it: nobody progressed */
                run->observed = OBSERVED_HUNG;
                return 0;
        case EXIT_OK:
        case EXIT_CHECK_FAILED: /* a broken invariant: judged with the verdict */
        case EXIT_CUT_SHORT:    /* slow, but it progressed: what TSan saw stands */
        case TSAN_EXIT_CODE:    /* TSan reported: its exit code replaces the run's */
                run->observed = run->findings.observed;
                return 0;
        default:
                snprintf(why, why_size, "%s under TSan exited %d: %.160s", s->name,
                         WEXITSTATUS(status), text);
                return -1;
        }
}

/* One run of s under TSan. 0 and *run filled in (a hung run included), or -1 with why. */
static int tsan_run_once(const struct scenario *s, struct race_check_mode mode,
                         struct race_check_run *run, char *why, size_t why_size)
{
        int stderr_fd, status, rc;
        bool timed_out, interrupted;
        pid_t pid;

        memset(run, 0, sizeof(*run));
        run->seconds = NAN;
        run->invariants_held = true;
        FILE *stdout_copy = tmpfile();
        if (!stdout_copy) {
                snprintf(why, why_size, "cannot make a temporary file: %s", strerror(errno));
                return -1;
        }
        if (spawn_child(s, mode, stdout_copy, &stderr_fd, &pid, why, why_size) != 0) {
                fclose(stdout_copy);
                return -1;
        }
        char *text = read_all(stderr_fd, clock_now_ns() + RACE_CHECK_KILL_SECONDS * 1000000000ull,
                              &timed_out, &interrupted);
        close(stderr_fd);
        if (timed_out || interrupted || !text)
                kill(-pid, SIGKILL); /* the child's whole group: nothing it started outlives us */
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        tsan_parse(text ? text : "", name_machine_field, &run->findings);
        read_child_json(stdout_copy, run);
        fclose(stdout_copy);
        if (interrupted) {
                snprintf(why, why_size, "interrupted");
                rc = -1;
        } else if (!text) {
                snprintf(why, why_size, "out of memory reading %s under TSan", s->name);
                rc = -1;
        } else if (timed_out) {
                run->observed = OBSERVED_HUNG;
                run->killed = true;
                snprintf(run->hung_because, sizeof(run->hung_because),
                         "still running after %d s: killed", RACE_CHECK_KILL_SECONDS);
                rc = 0;
        } else {
                rc = judge_exit(s, status, text, run, why, why_size);
        }
        free(text);
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
                if (tsan_run_once(s, mode, run, result->why, sizeof(result->why)) != 0) {
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
