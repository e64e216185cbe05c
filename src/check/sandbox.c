/*
 * The box (sandbox.h): a child in its own process group and, where the lab may make them, its own
 * cgroups; a parent that reads its output, watches its tasks and memory, and kills whatever is
 * left when it ends.
 */
#include "sandbox.h"

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
#define CGROUP_PATH_MAX 160
#define NOBODY_ID 65534u     /* "nobody" and "nogroup" on Debian, when the database does not say */

/* ---- cgroups: v2 where it has the controllers, else v1's pids and memory hierarchies ------- */

struct box_cgroups {
        char pids[CGROUP_PATH_MAX];   /* the box's pids cgroup, or "" */
        char memory[CGROUP_PATH_MAX]; /* its memory cgroup (the same as pids under v2), or "" */
        bool v2;
};

static int write_text(const char *dir, const char *file, const char *text)
{
        char path[CGROUP_PATH_MAX + 32];
        snprintf(path, sizeof(path), "%s/%s", dir, file);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        ssize_t n = write(fd, text, strlen(text));
        int err = n < 0 ? -errno : 0;
        close(fd);
        return err;
}

/* The number after `key` in a "key value" file (pids.events, memory.events), or 0. */
static unsigned long long read_keyed(const char *dir, const char *file, const char *key)
{
        char path[CGROUP_PATH_MAX + 32], name[64];
        unsigned long long value, found = 0;
        snprintf(path, sizeof(path), "%s/%s", dir, file);
        FILE *f = fopen(path, "re");
        if (!f)
                return 0;
        while (fscanf(f, "%63s %llu", name, &value) == 2)
                if (strcmp(name, key) == 0)
                        found = value;
        fclose(f);
        return found;
}

static bool controller_enabled(const char *list_file, const char *controller)
{
        char words[512];
        FILE *f = fopen(list_file, "re");
        bool found = false;
        if (!f)
                return false;
        if (fgets(words, sizeof(words), f)) {
                for (char *w = strtok(words, " \n"); w; w = strtok(NULL, " \n"))
                        found |= strcmp(w, controller) == 0;
        }
        fclose(f);
        return found;
}

static bool make_group(const char *parent, char *out)
{
        static unsigned made;
        snprintf(out, CGROUP_PATH_MAX, "%s/espresso-lab-%d-%u", parent, (int)getpid(), made++);
        if (mkdir(out, 0755) == 0)
                return true;
        out[0] = '\0';
        return false;
}

static void cgroups_make(struct box_cgroups *cg, const struct sandbox_limits *limits)
{
        char text[32];

        memset(cg, 0, sizeof(*cg));
        if (controller_enabled("/sys/fs/cgroup/cgroup.subtree_control", "pids") &&
            controller_enabled("/sys/fs/cgroup/cgroup.subtree_control", "memory") &&
            make_group("/sys/fs/cgroup", cg->pids)) {
                cg->v2 = true;
                snprintf(cg->memory, sizeof(cg->memory), "%s", cg->pids);
                snprintf(text, sizeof(text), "%u", limits->processes);
                write_text(cg->pids, "pids.max", text);
                snprintf(text, sizeof(text), "%llu", (unsigned long long)limits->memory_bytes);
                write_text(cg->memory, "memory.max", text);
                write_text(cg->memory, "memory.swap.max", "0");
                return;
        }
        if (access("/sys/fs/cgroup/pids/tasks", W_OK) == 0 && make_group("/sys/fs/cgroup/pids", cg->pids)) {
                snprintf(text, sizeof(text), "%u", limits->processes);
                if (write_text(cg->pids, "pids.max", text) != 0) {
                        rmdir(cg->pids);
                        cg->pids[0] = '\0';
                }
        }
        if (access("/sys/fs/cgroup/memory/tasks", W_OK) == 0 &&
            make_group("/sys/fs/cgroup/memory", cg->memory)) {
                snprintf(text, sizeof(text), "%llu", (unsigned long long)limits->memory_bytes);
                if (write_text(cg->memory, "memory.limit_in_bytes", text) != 0) {
                        rmdir(cg->memory);
                        cg->memory[0] = '\0';
                }
        }
}

/* In the child: joins the box's cgroups (before dropping privileges, which would forbid it). */
static void cgroups_join(const struct box_cgroups *cg)
{
        char pid[24];
        snprintf(pid, sizeof(pid), "%d", (int)getpid());
        if (cg->pids[0])
                write_text(cg->pids, "cgroup.procs", pid);
        if (cg->memory[0] && !cg->v2)
                write_text(cg->memory, "cgroup.procs", pid);
}

/* Kills every process in the group until it is empty, then removes it. */
static unsigned cgroup_empty(const char *dir)
{
        char path[CGROUP_PATH_MAX + 32];
        unsigned killed = 0;
        snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
        for (int round = 0; round < 100; round++) {
                FILE *f = fopen(path, "re");
                int pid, seen = 0;
                if (!f)
                        break;
                while (fscanf(f, "%d", &pid) == 1) {
                        kill(pid, SIGKILL);
                        seen++;
                }
                fclose(f);
                if (seen == 0)
                        break;
                killed += (unsigned)seen;
                usleep(2000);
        }
        rmdir(dir);
        return killed;
}

/* ---- the box's tasks, from /proc ----------------------------------------------------------- */

struct task_count {
        unsigned tasks;          /* threads of every process in the box */
        uint64_t resident_bytes; /* their resident memory, summed */
};

struct proc_entry {
        int pid, ppid, pgrp;
        unsigned threads;
        uint64_t resident_pages;
};

static bool read_proc_entry(int pid, struct proc_entry *e)
{
        char path[64], text[1024];
        snprintf(path, sizeof(path), "/proc/%d/stat", pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return false;
        ssize_t n = read(fd, text, sizeof(text) - 1);
        close(fd);
        if (n <= 0)
                return false;
        text[n] = '\0';
        /* The command name may hold spaces and parentheses: the fields start after the last ')'. */
        char *after = strrchr(text, ')');
        if (!after)
                return false;
        char state;
        long threads;
        unsigned long long resident;
        /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
         * cutime cstime priority nice num_threads itrealvalue starttime vsize rss */
        if (sscanf(after + 1, " %c %d %d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
                   "%ld %*d %*u %*u %llu", &state, &e->ppid, &e->pgrp, &threads, &resident) != 5)
                return false;
        e->pid = pid;
        e->threads = state == 'Z' ? 0 : (unsigned)threads;
        e->resident_pages = resident;
        return true;
}

/* Every process, read once. The caller frees. */
static struct proc_entry *read_all_processes(size_t *count)
{
        size_t used = 0, size = 256;
        struct proc_entry *all = malloc(size * sizeof(*all));
        DIR *d = opendir("/proc");
        struct dirent *de;

        if (!all || !d) {
                free(all);
                if (d)
                        closedir(d);
                *count = 0;
                return NULL;
        }
        while ((de = readdir(d))) {
                int pid = atoi(de->d_name);
                if (pid <= 0)
                        continue;
                if (used == size) {
                        struct proc_entry *bigger = realloc(all, 2 * size * sizeof(*all));
                        if (!bigger)
                                break;
                        all = bigger;
                        size *= 2;
                }
                if (read_proc_entry(pid, &all[used]))
                        used++;
        }
        closedir(d);
        *count = used;
        return all;
}

/* Marks the box's processes: the child's group, its descendants, and orphans re-parented to the
 * lab (a subreaper), which during a box can only have come from it. */
static void mark_members(struct proc_entry *all, size_t n, bool *member, int child)
{
        int self = (int)getpid();
        bool grew = true;

        for (size_t i = 0; i < n; i++)
                member[i] = all[i].pid == child || all[i].pgrp == child ||
                            (all[i].ppid == self && all[i].pid != self);
        while (grew) {
                grew = false;
                for (size_t i = 0; i < n; i++) {
                        if (member[i])
                                continue;
                        for (size_t j = 0; j < n; j++)
                                if (member[j] && all[j].pid == all[i].ppid) {
                                        member[i] = grew = true;
                                        break;
                                }
                }
        }
}

/* Counts the box's tasks and memory; with kill_them, kills its processes too. */
static struct task_count box_tasks(int child, bool kill_them, unsigned *killed)
{
        struct task_count c = { 0, 0 };
        size_t n;
        struct proc_entry *all = read_all_processes(&n);
        bool *member = calloc(n ? n : 1, sizeof(bool));
        long page = sysconf(_SC_PAGESIZE);

        if (all && member) {
                mark_members(all, n, member, child);
                for (size_t i = 0; i < n; i++) {
                        if (!member[i])
                                continue;
                        c.tasks += all[i].threads;
                        c.resident_bytes += all[i].resident_pages * (uint64_t)page;
                        if (kill_them && all[i].threads > 0 && kill(all[i].pid, SIGKILL) == 0 && killed)
                                (*killed)++;
                }
        }
        free(member);
        free(all);
        return c;
}

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

/* Tasks the user already has, when the box runs as that user: RLIMIT_NPROC counts them all. */
static unsigned tasks_of_user(unsigned uid)
{
        size_t n;
        unsigned tasks = 0;
        struct proc_entry *all = read_all_processes(&n);
        struct stat st;
        char path[64];
        for (size_t i = 0; all && i < n; i++) {
                snprintf(path, sizeof(path), "/proc/%d", all[i].pid);
                if (stat(path, &st) == 0 && st.st_uid == uid)
                        tasks += all[i].threads;
        }
        free(all);
        return tasks;
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

/* The memory cgroup's own count (v1 memory.usage_in_bytes, v2 memory.current), or 0 when there
 * is none. Better than summing resident sets, which counts every page a fork shares once per
 * process. */
static uint64_t cgroup_memory(const struct box_cgroups *cg)
{
        char path[CGROUP_PATH_MAX + 32];
        unsigned long long bytes = 0;
        if (!cg->memory[0])
                return 0;
        snprintf(path, sizeof(path), "%s/%s", cg->memory, cg->v2 ? "memory.current" : "memory.usage_in_bytes");
        FILE *f = fopen(path, "re");
        if (f) {
                if (fscanf(f, "%llu", &bytes) != 1)
                        bytes = 0;
                fclose(f);
        }
        return bytes;
}

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
            (b->cg.pids[0] && read_keyed(b->cg.pids, "pids.events", "max") > 0))
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
        for (int round = 0; round < 50; round++) {
                unsigned before = killed;
                box_tasks(b->child, true, &killed);
                while (waitpid(-1, NULL, WNOHANG) > 0) /* orphans re-parented to us */
                        ;
                if (killed == before)
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
        bool oom = mem && (b->cg.v2 ? read_keyed(mem, "memory.events", "oom_kill") > 0
                                    : read_keyed(mem, "memory.oom_control", "oom_kill") > 0);
        bool pids_hit = b->cg.pids[0] && read_keyed(b->cg.pids, "pids.events", "max") > 0;
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
