#include "tool_run.h"

#include "harness/interrupt.h"
#include "measure/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_CAPTURE (64u << 20) /* stderr kept from one run: TSan and Valgrind deduplicate, so
                                 * far more than any report needs */

char **tool_run_environment(const char *const drop[], char *const add[])
{
        size_t n = 0, extra = 0, k = 0;

        while (environ[n])
                n++;
        while (add && add[extra])
                extra++;
        char **env = calloc(n + extra + 1, sizeof(*env));
        if (!env)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                bool dropped = false;
                for (size_t d = 0; drop && drop[d] && !dropped; d++)
                        dropped = strncmp(environ[i], drop[d], strlen(drop[d])) == 0;
                if (!dropped)
                        env[k++] = environ[i];
        }
        for (size_t i = 0; i < extra; i++)
                env[k++] = add[i];
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
                if (interrupt_signal()) {
                        *interrupted = true;
                        break;
                }
                if (clock_now_ns() >= deadline_ns) {
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

/* Starts argv[0] in a process group of its own (so that it and anything it starts can be killed
 * together), stdout to stdout_copy, stderr to a pipe whose reading end goes to *stderr_fd. */
static int spawn(char *const argv[], char *const env[], FILE *stdout_copy, int *stderr_fd,
                 pid_t *pid, char *why, size_t why_size)
{
        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attributes;
        int pipe_fds[2];

        if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
                snprintf(why, why_size, "cannot start %s: %s", argv[0], strerror(errno));
                return -1;
        }
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fileno(stdout_copy), STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
        posix_spawnattr_init(&attributes);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attributes, 0);
        int err = posix_spawn(pid, argv[0], &actions, &attributes, argv, env ? env : environ);
        posix_spawnattr_destroy(&attributes);
        posix_spawn_file_actions_destroy(&actions);
        close(pipe_fds[1]);
        if (err != 0) {
                snprintf(why, why_size, "cannot start %s: %s", argv[0], strerror(err));
                close(pipe_fds[0]);
                return -1;
        }
        *stderr_fd = pipe_fds[0];
        return 0;
}

/* Its stderr is closed, but the child may still run (it closed it, or it hangs on its way
 * out): waits for it to exit, within the same deadline, then kills its group. */
static void wait_until(pid_t pid, uint64_t deadline_ns, struct tool_run *run)
{
        siginfo_t info;

        for (;;) {
                memset(&info, 0, sizeof(info));
                /* WNOWAIT: it stays waitable, for wait4 to collect its resource usage. */
                if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
                        return;
                if (interrupt_signal())
                        run->interrupted = true;
                else if (clock_now_ns() >= deadline_ns)
                        run->timed_out = true;
                if (run->interrupted || run->timed_out) {
                        kill(-pid, SIGKILL);
                        return;
                }
                struct timespec nap = { 0, 10 * 1000 * 1000 };
                nanosleep(&nap, NULL);
        }
}

int tool_run(char *const argv[], char *const env[], double kill_seconds, struct tool_run *run,
             char *why, size_t why_size)
{
        struct rusage usage;
        int stderr_fd;
        pid_t pid;

        memset(run, 0, sizeof(*run));
        run->stdout_copy = tmpfile();
        if (!run->stdout_copy) {
                snprintf(why, why_size, "cannot make a temporary file: %s", strerror(errno));
                return -1;
        }
        uint64_t started = clock_now_ns();
        if (spawn(argv, env, run->stdout_copy, &stderr_fd, &pid, why, why_size) != 0) {
                tool_run_free(run);
                return -1;
        }
        uint64_t deadline = started + (uint64_t)(kill_seconds * 1e9);
        run->stderr_text = read_all(stderr_fd, deadline, &run->timed_out, &run->interrupted);
        close(stderr_fd);
        if (!run->timed_out && !run->interrupted && run->stderr_text)
                wait_until(pid, deadline, run);
        /* The child's whole group, also after it exited (it stays a zombie until wait4, so its
         * group id is not reused): nothing it started outlives it. */
        kill(-pid, SIGKILL);
        while (wait4(pid, &run->status, 0, &usage) < 0 && errno == EINTR)
                ;
        run->wall_seconds = (double)(clock_now_ns() - started) / 1e9;
        run->peak_rss_mib = (double)usage.ru_maxrss / 1024.0;
        rewind(run->stdout_copy);
        if (!run->stderr_text) {
                snprintf(why, why_size, "out of memory reading what %s wrote", argv[0]);
                tool_run_free(run);
                return -1;
        }
        return 0;
}

void tool_run_free(struct tool_run *run)
{
        free(run->stderr_text);
        run->stderr_text = NULL;
        if (run->stdout_copy)
                fclose(run->stdout_copy);
        run->stdout_copy = NULL;
}
