/*
 * The box (sandbox.h): a child in its own process group and, where the lab may make them, its own
 * cgroups; a parent that reads its output, watches its tasks and memory, and kills whatever is
 * left when it ends.
 */
#include "sandbox_parts.h"

#include "measure/clock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define WATCH_INTERVAL_MS 50 /* how often the box's tasks and memory are counted */
#define NOBODY_ID 65534u     /* "nobody" and "nogroup" on Debian, when the database does not say */

/* ---- the child ----------------------------------------------------------------------------- */

bool sandbox_drops_privileges(const struct sandbox_limits *limits, unsigned *uid, unsigned *gid)
{
        if (!limits->unprivileged || geteuid() != 0)
                return false;
        struct passwd *pw = getpwnam("nobody");
        *uid = pw ? pw->pw_uid : NOBODY_ID;
        *gid = pw ? pw->pw_gid : NOBODY_ID;
        return true;
}


static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
        struct rlimit r = { soft, hard };
        setrlimit(resource, &r);
}

/* In the child, between fork and exec: only async-signal-safe work that cannot wait. */
static void become_the_box(const struct sandbox_limits *limits, const struct box_cgroups *cg,
                           unsigned nproc, int out_fd, int err_fd, const char *dir)
{
        unsigned uid, gid;

        setpgid(0, 0);
        cgroups_join(cg);
        set_limit(RLIMIT_CORE, 0, 0);
        set_limit(RLIMIT_CPU, (rlim_t)(limits->cpu_seconds + 0.999), (rlim_t)(limits->cpu_seconds + 2));
        set_limit(RLIMIT_FSIZE, limits->file_bytes, limits->file_bytes);
        set_limit(RLIMIT_NPROC, nproc, nproc);
        if (limits->limit_address_space)
                set_limit(RLIMIT_AS, limits->memory_bytes * 4, limits->memory_bytes * 4);
        if (sandbox_drops_privileges(limits, &uid, &gid) &&
            (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0))
                _exit(127);
        /* After the change of user, which clears it: the box dies with the lab. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() == 1)
                _exit(127);
        if (dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0 ||
            (dir && chdir(dir) != 0))
                _exit(127);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
                dup2(null, STDIN_FILENO);
}

/* ---- the parent ---------------------------------------------------------------------------- */

struct capture {
        int fd;        /* -1 once closed */
        char *text;
        size_t len, size;
};

/* Reads what is there; false when over the cap. */
static bool capture_read(struct capture *c, size_t cap)
{
        char chunk[16384];
        ssize_t n = read(c->fd, chunk, sizeof(chunk));
        if (n <= 0) {
                if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                        close(c->fd);
                        c->fd = -1;
                }
                return true;
        }
        if (c->len + (size_t)n > cap)
                return false;
        if (c->len + (size_t)n + 1 > c->size) {
                size_t size = c->size ? c->size : 65536;
                while (size < c->len + (size_t)n + 1)
                        size *= 2;
                char *bigger = realloc(c->text, size);
                if (!bigger)
                        return false;
                c->text = bigger;
                c->size = size;
        }
        memcpy(c->text + c->len, chunk, (size_t)n);
        c->len += (size_t)n;
        c->text[c->len] = '\0';
        return true;
}

struct box {
        const struct sandbox_limits *limits;
        struct box_cgroups cg;
        pid_t child;
        struct capture out, err;
        uint64_t started_ns;
        bool exited;
        int status;
};

/* Why the box must end now, or SANDBOX_EXITED to let it run. */
static enum sandbox_ending box_over_limit(struct box *b, struct sandbox_result *r)
{
        struct task_count c = box_tasks(b->child, false, NULL);
        if (b->cg.memory[0])
                c.resident_bytes = cgroup_memory(&b->cg);
        if (c.tasks > r->peak_tasks)
                r->peak_tasks = c.tasks;
        if (c.resident_bytes > r->peak_memory_bytes)
                r->peak_memory_bytes = c.resident_bytes;
        /* Processes first: a fork bomb's copies add up to a lot of memory too. */
        if (c.tasks >= b->limits->processes ||
            (b->cg.pids[0] && cgroup_read_keyed(b->cg.pids, "pids.events", "max") > 0))
                return SANDBOX_PROCESSES;
        if (c.resident_bytes > b->limits->memory_bytes)
                return SANDBOX_MEMORY;
        if ((clock_now_ns() - b->started_ns) / 1e9 > b->limits->wall_seconds)
                return SANDBOX_WALL_TIME;
        return SANDBOX_EXITED;
}

/* Reads output and watches until the child has exited or a limit is hit. */
static enum sandbox_ending box_watch(struct box *b, struct sandbox_result *r)
{
        uint64_t next_count = 0;

        while (!b->exited || b->out.fd >= 0 || b->err.fd >= 0) {
                struct pollfd fds[2] = { { b->out.fd, POLLIN, 0 }, { b->err.fd, POLLIN, 0 } };
                if (poll(fds, 2, WATCH_INTERVAL_MS) > 0) {
                        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
                            !capture_read(&b->out, b->limits->output_bytes))
                                return SANDBOX_OUTPUT;
                        if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
                            !capture_read(&b->err, b->limits->output_bytes))
                                return SANDBOX_OUTPUT;
                }
                if (!b->exited && waitpid(b->child, &b->status, WNOHANG) == b->child)
                        b->exited = true;
                if (b->exited)
                        break; /* what a leftover still holds open is not the box's output */
                if (clock_now_ns() >= next_count) {
                        enum sandbox_ending over = box_over_limit(b, r);
                        if (over != SANDBOX_EXITED)
                                return over;
                        next_count = clock_now_ns() + WATCH_INTERVAL_MS * 1000000ull;
                }
        }
        /* Drain what the child wrote before it exited (leftovers are killed first). */
        return SANDBOX_EXITED;
}

static void drain(struct box *b)
{
        while (b->out.fd >= 0 || b->err.fd >= 0) {
                struct pollfd fds[2] = { { b->out.fd, POLLIN, 0 }, { b->err.fd, POLLIN, 0 } };
                if (poll(fds, 2, 100) <= 0)
                        break;
                if (fds[0].revents && !capture_read(&b->out, b->limits->output_bytes))
                        break;
                if (fds[1].revents && !capture_read(&b->err, b->limits->output_bytes))
                        break;
        }
}

/* Kills everything left in the box, reaps the child, removes the cgroups. */
static void box_end(struct box *b, struct sandbox_result *r)
{
        unsigned killed = 0;

        kill(-b->child, SIGKILL);
        /* Until none is left alive: a killed process takes a moment to die, longer on a busy
         * machine, and a fork bomb's copies may still be forking when the first are killed (seen
         * in a soak with both CPUs busy: one still there as the check returned). At most 2 s. */
        for (int round = 0; round < 1000; round++) {
                unsigned signalled = 0;
                struct task_count alive = box_tasks(b->child, true, &signalled);
                if (round == 0)
                        killed = signalled;
                while (waitpid(-1, NULL, WNOHANG) > 0) /* orphans re-parented to us */
                        ;
                if (alive.tasks == 0)
                        break;
                usleep(2000);
        }
        if (!b->exited) {
                while (waitpid(b->child, &b->status, 0) < 0 && errno == EINTR)
                        ;
                b->exited = true;
        }
        r->leftovers_killed = killed;
}

/* Removes the box's cgroups (after judge() has read their events), killing what is left. */
static void box_remove_cgroups(struct box *b, struct sandbox_result *r)
{
        if (b->cg.pids[0])
                r->leftovers_killed += cgroup_empty(b->cg.pids);
        if (b->cg.memory[0] && !b->cg.v2)
                r->leftovers_killed += cgroup_empty(b->cg.memory);
}

static void judge(struct box *b, enum sandbox_ending over, struct sandbox_result *r)
{
        r->ending = over;
        if (over != SANDBOX_EXITED)
                return;
        const char *mem = b->cg.memory[0] ? b->cg.memory : NULL;
        bool oom = mem && (b->cg.v2 ? cgroup_read_keyed(mem, "memory.events", "oom_kill") > 0
                                    : cgroup_read_keyed(mem, "memory.oom_control", "oom_kill") > 0);
        bool pids_hit = b->cg.pids[0] && cgroup_read_keyed(b->cg.pids, "pids.events", "max") > 0;
        if (WIFEXITED(b->status)) {
                r->exit_code = WEXITSTATUS(b->status);
                r->ending = pids_hit ? SANDBOX_PROCESSES : oom ? SANDBOX_MEMORY : SANDBOX_EXITED;
        } else {
                r->signal = WTERMSIG(b->status);
                r->ending = oom ? SANDBOX_MEMORY
                            : r->signal == SIGXCPU ? SANDBOX_CPU_TIME
                            : pids_hit ? SANDBOX_PROCESSES : SANDBOX_SIGNALED;
        }
}

static int box_start(struct box *b, char *const argv[], char *const envp[], const char *dir,
                     struct sandbox_result *r)
{
        int out_pipe[2], err_pipe[2];
        unsigned uid, gid, nproc = b->limits->processes;

        if (sandbox_drops_privileges(b->limits, &uid, &gid))
                nproc += tasks_of_user(uid);
        else if (geteuid() != 0)
                nproc += tasks_of_user(geteuid());
        if (pipe2(out_pipe, O_CLOEXEC) != 0)
                return -errno;
        if (pipe2(err_pipe, O_CLOEXEC) != 0) {
                int err = -errno;
                close(out_pipe[0]);
                close(out_pipe[1]);
                return err;
        }
        cgroups_make(&b->cg, b->limits);
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        b->started_ns = clock_now_ns();
        b->child = fork();
        if (b->child == 0) {
                become_the_box(b->limits, &b->cg, nproc, out_pipe[1], err_pipe[1], dir);
                execve(argv[0], argv, envp);
                _exit(127);
        }
        close(out_pipe[1]);
        close(err_pipe[1]);
        b->out = (struct capture){ .fd = out_pipe[0] };
        b->err = (struct capture){ .fd = err_pipe[0] };
        if (b->child < 0) {
                int err = -errno;
                snprintf(r->why, sizeof(r->why), "cannot fork: %s", strerror(errno));
                close(out_pipe[0]);
                close(err_pipe[0]);
                return err;
        }
        setpgid(b->child, b->child); /* also here: the parent may watch before the child ran */
        return 0;
}

int sandbox_run(char *const argv[], char *const envp[], const char *dir,
                const struct sandbox_limits *limits, struct sandbox_result *result)
{
        struct box b = { .limits = limits };

        memset(result, 0, sizeof(*result));
        int rc = box_start(&b, argv, envp, dir, result);
        if (rc != 0) {
                result->ending = SANDBOX_NOT_STARTED;
                if (!result->why[0])
                        snprintf(result->why, sizeof(result->why), "cannot start %s: %s", argv[0],
                                 strerror(-rc));
                if (b.cg.pids[0])
                        cgroup_empty(b.cg.pids);
                if (b.cg.memory[0] && !b.cg.v2)
                        cgroup_empty(b.cg.memory);
                return rc;
        }
        enum sandbox_ending over = box_watch(&b, result);
        box_end(&b, result);
        if (over == SANDBOX_EXITED)
                drain(&b);
        if (b.out.fd >= 0)
                close(b.out.fd);
        if (b.err.fd >= 0)
                close(b.err.fd);
        result->seconds = (clock_now_ns() - b.started_ns) / 1e9;
        judge(&b, over, result);
        box_remove_cgroups(&b, result);
        result->out = b.out.text ? b.out.text : strdup("");
        result->out_len = b.out.len;
        result->err = b.err.text ? b.err.text : strdup("");
        result->err_len = b.err.len;
        return 0;
}

void sandbox_result_free(struct sandbox_result *result)
{
        free(result->out);
        free(result->err);
        result->out = result->err = NULL;
}

void sandbox_describe_ending(const struct sandbox_result *r, const struct sandbox_limits *limits,
                             char *out, size_t size)
{
        switch (r->ending) {
        case SANDBOX_EXITED:
                snprintf(out, size, "exited %d", r->exit_code);
                break;
        case SANDBOX_SIGNALED:
                snprintf(out, size, "killed by signal %d (%s)", r->signal, strsignal(r->signal));
                break;
        case SANDBOX_WALL_TIME:
                snprintf(out, size, "still running after %g s: killed", limits->wall_seconds);
                break;
        case SANDBOX_CPU_TIME:
                snprintf(out, size, "used %g s of CPU time: killed", limits->cpu_seconds);
                break;
        case SANDBOX_MEMORY:
                snprintf(out, size, "used more than %llu MiB of memory: killed",
                         (unsigned long long)(limits->memory_bytes >> 20));
                break;
        case SANDBOX_OUTPUT:
                snprintf(out, size, "wrote more than %zu KiB of output: killed",
                         limits->output_bytes >> 10);
                break;
        case SANDBOX_PROCESSES:
                snprintf(out, size, "started more than %u processes or threads: killed",
                         limits->processes);
                break;
        case SANDBOX_NOT_STARTED:
                snprintf(out, size, "could not start: %s", r->why);
                break;
        }
}

const char *sandbox_describe(const struct sandbox_limits *limits)
{
        static char text[160];
        struct box_cgroups cg;
        unsigned uid, gid;

        cgroups_make(&cg, limits);
        const char *groups = cg.v2 ? "cgroup v2 (pids, memory)"
                             : cg.pids[0] && cg.memory[0] ? "cgroup v1 (pids, memory)"
                             : cg.pids[0] ? "cgroup v1 (pids)"
                             : cg.memory[0] ? "cgroup v1 (memory)" : "no cgroup (rlimits and a watch)";
        if (cg.pids[0])
                rmdir(cg.pids);
        if (cg.memory[0] && !cg.v2)
                rmdir(cg.memory);
        snprintf(text, sizeof(text), "%s%s", groups,
                 sandbox_drops_privileges(limits, &uid, &gid) ? ", as nobody" : "");
        return text;
}
