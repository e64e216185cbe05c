/*
 * One controlled run in a child process of its own (explore.h): the child takes control of the
 * schedule, runs the scenario through the harness as `run` would, and leaves the trace and what
 * it found in memory shared with the parent. A child that dies (AddressSanitizer's report of a
 * read of freed memory, a crash) leaves its trace all the same, and its stderr says how it died;
 * a child still alive at the time bound is killed with its process group.
 */
#include "explore.h"
#include "chooser.h"

#include "harness/interrupt.h"
#include "harness/run.h"
#include "measure/busywork.h"
#include "measure/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* Written by the child, read by the parent once it has exited. */
struct shared_block {
        struct schedule_trace trace;
        int finding;                 /* enum finding, or -1: the child did not say */
        uint32_t findings;           /* every finding shown, bit per enum finding */
        char what[320];
        char refused[256];
        struct schedule_step steps[];
};

static struct shared_block *shared;
static uint64_t shared_capacity;

static int shared_prepare(uint64_t capacity)
{
        if (shared && shared_capacity >= capacity)
                return 0;
        if (shared)
                munmap(shared, sizeof(*shared) + shared_capacity * sizeof(struct schedule_step));
        size_t bytes = sizeof(*shared) + capacity * sizeof(struct schedule_step);
        void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
                shared = NULL;
                return -errno;
        }
        shared = p;
        shared_capacity = capacity;
        return 0;
}

/* --- the child --- */

__attribute__((noreturn)) static void child_exit(void)
{
        fflush(stderr);
        _exit(0);
}

__attribute__((noreturn)) static void child_stop(void *context, enum schedule_stop why)
{
        (void)context;
        switch (why) {
        case SCHEDULE_STUCK:
                shared->finding = FINDING_DEADLOCK;
                break;
        case SCHEDULE_STEP_LIMIT:
                shared->finding = FINDING_STEP_LIMIT;
                snprintf(shared->what, sizeof(shared->what), "no end within %llu steps",
                         (unsigned long long)shared->trace.count);
                break;
        case SCHEDULE_MISUSED:
                shared->finding = FINDING_MISUSE;
                break;
        case SCHEDULE_TOO_MANY_OBJECTS:
                shared->finding = FINDING_UNSCHEDULABLE;
                snprintf(shared->what, sizeof(shared->what), "it uses more than %d locks, "
                         "semaphores and atomics: more than a controlled run models",
                         SCHEDULE_MAX_OBJECTS);
                break;
        }
        shared->findings |= 1u << shared->finding;
        child_exit();
}

__attribute__((noreturn)) static void child_refuse(const char *why)
{
        snprintf(shared->refused, sizeof(shared->refused), "%s", why);
        shared->finding = FINDING_NONE;
        child_exit();
}

/* What a finished run showed, strongest first: a lost shot, a torn menu, orders, a collision. */
static void classify(const struct scenario *s, const struct run_result *r)
{
        uint32_t *all = &shared->findings;

        if (r->ended == RUN_STALLED) {
                /* Everyone else sleeps, waiting for its turn: the one holding it is the culprit. */
                uint32_t running = schedule_turn_holder();
                const char *state = "?";
                for (uint32_t i = 0; i < r->stuck_count && i < RUN_MAX_STUCK; i++)
                        if (r->stuck[i].barista == running)
                                state = r->stuck[i].state;
                shared->finding = FINDING_UNSCHEDULABLE;
                snprintf(shared->what, sizeof(shared->what), "barista %u went on for %.0f s without "
                         "reaching a scheduling point (%s): it waits where the scheduler cannot see",
                         running, r->stall_limit_seconds, state);
                return;
        }
        if (r->lost_updates != 0)
                *all |= 1u << FINDING_LOST_SHOT;
        if (r->torn_reads != 0)
                *all |= 1u << FINDING_TORN_MENU;
        if (r->collisions != 0)
                *all |= 1u << (s->helper_serves_orders ? FINDING_ORDERS : FINDING_COLLISION);
        if (!r->invariants_held && strstr(r->broken_invariant, "order"))
                *all |= 1u << FINDING_ORDERS;
        snprintf(shared->what, sizeof(shared->what), "%s", r->broken_invariant);
        static const enum finding strongest_first[] = { FINDING_LOST_SHOT, FINDING_TORN_MENU,
                                                        FINDING_ORDERS, FINDING_COLLISION };
        for (size_t i = 0; i < sizeof(strongest_first) / sizeof(strongest_first[0]); i++)
                if (*all & 1u << strongest_first[i]) {
                        shared->finding = strongest_first[i];
                        return;
                }
        shared->finding = r->invariants_held ? FINDING_NONE : FINDING_BROKEN;
        if (!r->invariants_held)
                *all |= 1u << FINDING_BROKEN;
}

__attribute__((noreturn)) static void child_run(const struct controlled_config *config,
                                                const struct chooser *chooser, int stderr_fd)
{
        const struct scenario *s = config->scenario;
        struct run_config rc = { .baristas = config->baristas, .orders = config->orders,
                                 .shot_mode = SHOT_PULLED,
                                 .max_seconds = config->kill_seconds };
        int devnull = open("/dev/null", O_WRONLY);
        struct chooser_state state;
        struct run_result result;

        setpgid(0, 0);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        dup2(stderr_fd, 2);
        if (devnull >= 0)
                dup2(devnull, 1);
        uint32_t staff = run_baristas(s, &rc) + (s->helper ? 1 : 0);
        chooser_start(&state, chooser, staff, child_refuse);
        struct schedule_strategy strategy = { chooser_choose, child_stop, &state };
        schedule_take_control(&strategy, &shared->trace, staff, config->step_limit);
        int err = run_scenario(s, &rc, &result);
        if (err != 0) {
                shared->finding = FINDING_CRASH;
                snprintf(shared->what, sizeof(shared->what), "%s could not start: %s", s->name,
                         strerror(-err));
        } else {
                classify(s, &result);
        }
        child_exit();
}

/* --- the parent --- */

/* Reads the child's stderr until it closes it or the deadline passes (then kills the group).
 * Keeps the first bytes in out (a report's head is enough; the rest is read and dropped). True when the child was killed. */
static bool read_child(pid_t pid, int fd, double seconds, char *out, size_t size)
{
        uint64_t deadline = clock_now_ns() + (uint64_t)(seconds * 1e9);
        size_t used = 0;
        char sink[4096];

        out[0] = '\0';
        for (;;) {
                uint64_t now = clock_now_ns();
                if (now >= deadline || interrupt_signal()) {
                        kill(-pid, SIGKILL);
                        return true;
                }
                struct pollfd p = { .fd = fd, .events = POLLIN };
                int timeout_ms = (int)((deadline - now) / 1000000) + 1;
                if (poll(&p, 1, timeout_ms > 100 ? 100 : timeout_ms) <= 0)
                        continue;
                char *into = used + 1 < size ? out + used : sink;
                size_t room = used + 1 < size ? size - used - 1 : sizeof(sink);
                ssize_t n = read(fd, into, room);
                if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
                        return false;
                if (n > 0 && into != sink) {
                        used += (size_t)n;
                        out[used] = '\0';
                }
        }
}

/* The first stack frame of a sanitizer's report that is in the scenario's own file. */
static void frame_in(const char *report, const char *source, char *where, size_t size)
{
        const char *base = strrchr(source, '/');
        base = base ? base + 1 : source;
        where[0] = '\0';
        for (const char *p = strstr(report, base); p; p = strstr(p + 1, base)) {
                if (p[strlen(base)] != ':')
                        continue;
                size_t n = strspn(p + strlen(base) + 1, "0123456789");
                if (n == 0)
                        continue;
                snprintf(where, size, "%.*s", (int)(strlen(base) + 1 + n), p);
                return;
        }
}

static void judge_death(const struct scenario *s, int status, struct controlled_result *r)
{
        const char *report = r->crash_report;
        const char *asan = strstr(report, "ERROR: AddressSanitizer: ");

        frame_in(report, s->source, r->crash_where, sizeof(r->crash_where));
        if (asan && strstr(asan, "heap-use-after-free")) {
                r->finding = FINDING_FREED_MEMORY;
                snprintf(r->what, sizeof(r->what), "a barista used memory already freed%s%s",
                         r->crash_where[0] ? " at " : "", r->crash_where);
                return;
        }
        /* The only memory the lab poisons is a message handed over (variant.h). */
        if (asan && strstr(asan, "use-after-poison")) {
                r->finding = FINDING_HANDED_OVER;
                snprintf(r->what, sizeof(r->what), "a barista touched an order it had handed "
                         "over%s%s", r->crash_where[0] ? " at " : "", r->crash_where);
                return;
        }
        r->finding = FINDING_CRASH;
        if (asan)
                snprintf(r->what, sizeof(r->what), "%.*s", (int)strcspn(asan, "\n"), asan);
        else if (WIFSIGNALED(status))
                snprintf(r->what, sizeof(r->what), "the run died of signal %d (%s)", WTERMSIG(status),
                         strsignal(WTERMSIG(status)));
        else
                snprintf(r->what, sizeof(r->what), "the run exited with status %d",
                         WEXITSTATUS(status));
}

static int copy_trace(struct controlled_result *r)
{
        uint64_t kept = shared->trace.count < shared_capacity ? shared->trace.count : shared_capacity;

        r->trace = shared->trace;
        r->trace.count = kept;
        r->trace.capacity = kept;
        r->trace.steps = malloc((kept ? kept : 1) * sizeof(struct schedule_step));
        if (!r->trace.steps)
                return -ENOMEM;
        memcpy(r->trace.steps, shared->steps, kept * sizeof(struct schedule_step));
        return 0;
}

int controlled_run(const struct controlled_config *config, const struct chooser *chooser,
                   struct controlled_result *r)
{
        int fds[2], status = 0, err;

        memset(r, 0, sizeof(*r));
        if ((err = shared_prepare(config->step_limit + 1)) != 0)
                return err;
        /* Once, before any child: every child inherits the calibrations instead of making its
         * own (busy work is not used in a controlled run, but the harness asks for it). */
        clock_calibrate();
        busywork_calibrate();
        memset(shared, 0, sizeof(*shared));
        shared->finding = -1;
        shared->trace.steps = shared->steps;
        shared->trace.capacity = shared_capacity;
        if (pipe2(fds, O_CLOEXEC) != 0)
                return -errno;
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        if (pid < 0) {
                err = -errno;
                close(fds[0]);
                close(fds[1]);
                return err;
        }
        if (pid == 0) {
                close(fds[0]);
                child_run(config, chooser, fds[1]);
        }
        close(fds[1]);
        setpgid(pid, pid); /* as the child does: either may run first */
        bool killed = read_child(pid, fds[0], config->kill_seconds, r->crash_report,
                                 sizeof(r->crash_report));
        close(fds[0]);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (interrupt_signal() && killed)
                return -EINTR; /* nothing kept: the search stops */
        if ((err = copy_trace(r)) != 0)
                return err;
        r->finding = shared->finding;
        r->findings = shared->findings;
        snprintf(r->what, sizeof(r->what), "%s", shared->what);
        snprintf(r->refused, sizeof(r->refused), "%s", shared->refused);
        if (killed) {
                r->finding = FINDING_UNSCHEDULABLE;
                snprintf(r->what, sizeof(r->what), "still running after %.0f s: a barista waits "
                         "where the scheduler cannot see", config->kill_seconds);
        } else if (shared->finding < 0) {
                judge_death(config->scenario, status, r);
        }
        if (r->finding != FINDING_NONE)
                r->findings |= 1u << r->finding;
        return 0;
}

void controlled_result_free(struct controlled_result *r)
{
        free(r->trace.steps);
        r->trace.steps = NULL;
}
