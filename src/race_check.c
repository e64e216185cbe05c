#include "race_check.h"

#include "options.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <fcntl.h>
#include <libgen.h>
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

static char tsan_binary[PATH_MAX];
static char suppressions[PATH_MAX];

int race_check_locate(char *why, size_t why_size)
{
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

        if (n < 0) {
                snprintf(why, why_size, "cannot tell where espresso-lab is: %s", strerror(errno));
                return -ENOENT;
        }
        self[n] = '\0';
        const char *dir = dirname(self);
        snprintf(tsan_binary, sizeof(tsan_binary), "%s/espresso-lab-tsan", dir);
        snprintf(suppressions, sizeof(suppressions), "%s/tsan-suppressions", dir);
        if (access(tsan_binary, X_OK) != 0) {
                snprintf(why, why_size, "race-check needs %s (build it: cmake --build --preset default)",
                         tsan_binary);
                return -ENOENT;
        }
        if (access(suppressions, R_OK) != 0) {
                snprintf(why, why_size, "race-check needs %s (the build copies it there)", suppressions);
                return -ENOENT;
        }
        return 0;
}

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

/* Reads fd to EOF or until the deadline; returns the text (NUL-terminated) or NULL on timeout. */
static char *read_all(int fd, time_t deadline, size_t *len_out)
{
        size_t cap = 1 << 16, len = 0;
        char *buf = malloc(cap);

        while (buf) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                int left_ms = (int)(deadline - time(NULL)) * 1000;
                if (left_ms <= 0 || poll(&p, 1, left_ms) == 0) {
                        free(buf);
                        return NULL;
                }
                if (len + 4096 > cap) {
                        char *bigger = cap < MAX_CAPTURE ? realloc(buf, cap * 2) : NULL;
                        if (!bigger)
                                break; /* keep what we have: enough to judge */
                        buf = bigger;
                        cap *= 2;
                }
                ssize_t got = read(fd, buf + len, cap - len - 1);
                if (got < 0 && errno == EINTR)
                        continue;
                if (got <= 0)
                        break;
                len += (size_t)got;
        }
        if (buf)
                buf[len] = '\0';
        *len_out = len;
        return buf;
}

/* One run of s under TSan. 0 and *findings filled, or -1 with why. */
struct run_config race_check_run_config(const struct scenario *s)
{
        /* Threads never outnumber the lab machine's cores: a helper takes a barista's core.
         * A helper needs time to act: the manager's changes come at --updates-per-sec. */
        return (struct run_config){
                .baristas = RACE_CHECK_BARISTAS - (s->helper ? 1 : 0),
                /* A deadlock scenario grinds a millisecond per order, holding a lock. */
                .orders = s->default_orders ? s->default_orders
                          : s->watchdog ? RACE_CHECK_ORDERS / 10
                                        : RACE_CHECK_ORDERS * (s->helper ? 5 : 1),
                .updates_per_sec = DEFAULT_UPDATES_PER_SEC,
        };
}

/* The run's "seconds" from the JSON the child printed; NAN if there is none. */
static double seconds_from_json(FILE *stdout_copy)
{
        json_error_t error;
        rewind(stdout_copy);
        json_t *doc = json_loadf(stdout_copy, 0, &error);
        json_t *seconds = doc ? json_object_get(doc, "seconds") : NULL;
        double value = seconds && json_is_number(seconds) ? json_number_value(seconds) : NAN;
        json_decref(doc);
        return value;
}

static int tsan_run_once(const struct scenario *s, struct race_check_mode mode,
                         struct tsan_findings *findings, double *seconds, char *why,
                         size_t why_size)
{
        char baristas[16], orders[24], tsan_options[PATH_MAX + 128];
        char *argv[] = { tsan_binary, "run", (char *)s->name, "--baristas", baristas,
                         "--orders", orders, "--format", "json", NULL };
        posix_spawn_file_actions_t actions;
        int pipe_fds[2], status, rc = -1;
        char **env = NULL, *text = NULL;
        size_t len = 0;
        pid_t pid;

        struct run_config config = race_check_run_config(s);
        snprintf(baristas, sizeof(baristas), "%u", config.baristas);
        snprintf(orders, sizeof(orders), "%llu", (unsigned long long)config.orders);
        FILE *stdout_copy = tmpfile();
        if (!stdout_copy) {
                snprintf(why, why_size, "cannot make a temporary file: %s", strerror(errno));
                return -1;
        }
        /* halt_on_error=0: see every report, not just the first. print_suppressions: how many
         * reports each suppression entry swallowed. */
        if (mode.without_suppressions)
                snprintf(tsan_options, sizeof(tsan_options),
                         "TSAN_OPTIONS=halt_on_error=0 exitcode=%d", TSAN_EXIT_CODE);
        else
                snprintf(tsan_options, sizeof(tsan_options),
                         "TSAN_OPTIONS=suppressions=%s print_suppressions=1 halt_on_error=0 "
                         "exitcode=%d", suppressions, TSAN_EXIT_CODE);
        if (pipe2(pipe_fds, O_CLOEXEC) != 0 ||
            !(env = child_environment(tsan_options, mode.without_annotations))) {
                snprintf(why, why_size, "cannot start %s: %s", tsan_binary, strerror(errno));
                free(env);
                fclose(stdout_copy);
                return -1;
        }
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fileno(stdout_copy), STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
        int err = posix_spawn(&pid, tsan_binary, &actions, NULL, argv, env);
        posix_spawn_file_actions_destroy(&actions);
        close(pipe_fds[1]);
        free(env);
        if (err != 0) {
                snprintf(why, why_size, "cannot start %s: %s", tsan_binary, strerror(err));
                close(pipe_fds[0]);
                fclose(stdout_copy);
                return -1;
        }
        text = read_all(pipe_fds[0], time(NULL) + RACE_CHECK_TIMEOUT_SECONDS, &len);
        close(pipe_fds[0]);
        if (!text) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                snprintf(why, why_size, "%s under TSan did not finish within %d s", s->name,
                         RACE_CHECK_TIMEOUT_SECONDS);
                fclose(stdout_copy);
                return -1;
        }
        waitpid(pid, &status, 0);
        *seconds = seconds_from_json(stdout_copy);
        fclose(stdout_copy);
        tsan_parse(text, findings);
        if (findings->tsan_failed) {
                snprintf(why, why_size, "TSan could not run %s: %s", s->name, findings->failure);
        } else if (WIFSIGNALED(status)) {
                snprintf(why, why_size, "%s under TSan died of signal %d", s->name, WTERMSIG(status));
        } else if (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 1 &&
                   WEXITSTATUS(status) != TSAN_EXIT_CODE) {
                /* 1: a broken invariant, which racy scenarios are allowed; the verdict is TSan's. */
                snprintf(why, why_size, "%s under TSan exited %d: %.160s", s->name,
                         WEXITSTATUS(status), text);
        } else {
                rc = 0;
        }
        free(text);
        return rc;
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
        memset(result, 0, sizeof(*result));
        result->scenario = s;
        for (uint32_t i = 0; i < runs; i++) {
                struct tsan_findings findings;
                double seconds = NAN;
                if (tsan_run_once(s, mode, &findings, &seconds, result->why, sizeof(result->why)) != 0) {
                        result->failed = true;
                        return;
                }
                add_suppressions(result, &findings);
                if (i == 0)
                        result->tsan_seconds = seconds;
                result->runs++;
                bool matched = findings.observed == s->expect;
                /* Keep the first run, unless a later one is the first to mismatch. */
                if (i == 0 || (!matched && result->runs_matched == i)) {
                        result->findings = findings;
                        result->observed = findings.observed;
                }
                result->runs_matched += matched;
        }
}
