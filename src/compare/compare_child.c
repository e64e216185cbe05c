/*
 * compare's cells, each in a process of its own. A run that stalls leaves stuck threads behind
 * that no one can free, a crash takes the whole process with it, and a run that never ends would
 * hang the sweep: in a child, each costs its own cell only. The child is forked between runs from
 * the sweep's one thread, so it inherits a consistent copy of everything (the calibrations
 * included, so that every cell uses the same), runs the cell's repeats with run_scenario, sends
 * each run's figures back through a pipe, and ends with _exit: nothing of the parent's (stdio
 * buffers, exit handlers) runs twice.
 */
#include "compare.h"

#include "measure/clock.h"
#include "harness/run.h"
#include "harness/interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Writes up to PIPE_BUF bytes are atomic: a record arrives whole or not at all. */
_Static_assert(sizeof(struct compare_run) <= PIPE_BUF, "a run's record must fit one pipe write");

#define CHILD_COULD_NOT_RUN 70 /* a child's exit status when a run could not start */

const char *cell_ending_name(enum cell_ending e)
{
        switch (e) {
        case CELL_COMPLETED:
                return "completed";
        case CELL_STALLED:
                return "stalled";
        case CELL_TIMED_OUT:
                return "timed_out";
        case CELL_CRASHED:
                return "crashed";
        case CELL_COULD_NOT_RUN:
                return "could_not_run";
        case CELL_INTERRUPTED:
                return "interrupted";
        }
        return "?";
}

static struct compare_run run_kept(const struct run_result *r)
{
        return (struct compare_run){
                .ended = r->ended, .measured = r->measured, .seconds = r->seconds,
                .ns_per_drink = r->ns_per_drink, .drinks_per_sec = r->drinks_per_sec,
                .wait_p50_ns = r->wait.sampled ? r->wait.p50_ns : NAN,
                .wait_p99_ns = r->wait.sampled ? r->wait.p99_ns : NAN,
                .fairness = r->fairness, .ctx_switches_per_drink = r->ctx_switches_per_drink,
                .contended = r->contended, .lost_updates = r->lost_updates,
                .collisions = r->collisions, .invariants_held = r->invariants_held,
        };
}

__attribute__((noreturn))
static void child_run(int fd, const struct scenario *s, const struct run_config *config,
                      uint32_t repeat)
{
        /* SIGINT and SIGTERM are compare's to handle: it kills this process. A child in its own
         * process group that writes to the terminal must not be stopped for it (TOSTOP). */
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGTTOU, SIG_IGN);
        for (uint32_t i = 0; i < repeat; i++) {
                struct run_result r;
                if (run_scenario(s, config, &r) != 0)
                        _exit(CHILD_COULD_NOT_RUN);
                struct compare_run kept = run_kept(&r);
                if (write(fd, &kept, sizeof(kept)) != (ssize_t)sizeof(kept))
                        _exit(CHILD_COULD_NOT_RUN);
                /* After a stall the stuck threads still run: only _exit can end this. */
                if (!r.measured || r.ended != RUN_COMPLETED)
                        _exit(r.ended == RUN_STALLED ? EXIT_STALLED : CHILD_COULD_NOT_RUN);
        }
        _exit(EXIT_OK);
}

/* A child being watched. */
struct child {
        pid_t pid;
        int fd;                   /* the pipe's read end, non-blocking */
        uint64_t deadline_ns;     /* killed if still running then */
        char *runs;               /* where the records go */
        size_t room, received;    /* bytes */
};

enum received { RECEIVED, NOTHING_YET, CLOSED };

static enum received receive(struct child *c)
{
        char sink[sizeof(struct compare_run)];
        bool full = c->received == c->room; /* never, from a child that keeps to its repeats */
        ssize_t got = full ? read(c->fd, sink, sizeof(sink))
                           : read(c->fd, c->runs + c->received, c->room - c->received);
        if (got < 0)
                return errno == EAGAIN || errno == EINTR ? NOTHING_YET : CLOSED;
        if (got == 0)
                return CLOSED;
        if (!full)
                c->received += (size_t)got;
        return RECEIVED;
}

/* Kills the child's whole process group (it may have forked: shop-processes) and reaps the
 * child: a child still running is ended, and one that has exited leaves no stray behind (its
 * group lives on with it, a zombie, until it is reaped here). Its wait status. */
static int end_child(const struct child *c)
{
        int status = 0;

        kill(-c->pid, SIGKILL);
        while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
                ;
        return status;
}

static enum cell_ending judge(const struct child *c, uint32_t repeat, int status,
                              struct cell_death *died)
{
        if (WIFSIGNALED(status)) {
                died->signal = WTERMSIG(status);
                return CELL_CRASHED;
        }
        switch (WEXITSTATUS(status)) {
        case EXIT_OK:
                return c->received == repeat * sizeof(struct compare_run) ? CELL_COMPLETED
                                                                          : CELL_COULD_NOT_RUN;
        case EXIT_STALLED:
                return CELL_STALLED;
        case CHILD_COULD_NOT_RUN:
                return CELL_COULD_NOT_RUN;
        default:
                died->exit_status = WEXITSTATUS(status);
                return CELL_CRASHED;
        }
}

static bool child_exited(pid_t pid)
{
        siginfo_t info = { 0 };

        /* WNOWAIT: the child stays a zombie, and its process group with it, until end_child. */
        return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

static enum cell_ending watch_child(struct child *c, uint32_t repeat, struct cell_death *died)
{
        bool open = true;

        for (;;) {
                /* Exited first: a cell that finished before the signal or the bound counts. */
                if (child_exited(c->pid)) {
                        while (open && receive(c) == RECEIVED)
                                ;
                        return judge(c, repeat, end_child(c), died);
                }
                if (interrupt_signal()) {
                        end_child(c);
                        return CELL_INTERRUPTED;
                }
                if (clock_now_ns() >= c->deadline_ns) {
                        end_child(c);
                        return CELL_TIMED_OUT;
                }
                if (!open) {
                        /* Closed, not yet exited: a moment at most. */
                        nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
                        continue;
                }
                /* A look at the signal flag and the clock ten times a second; a signal cuts the
                 * wait short (EINTR). */
                struct pollfd p = { .fd = c->fd, .events = POLLIN };
                if (poll(&p, 1, 100) > 0)
                        open = receive(c) != CLOSED;
        }
}

/* The child's time bound: its runs' time, the stall limit, and the margin. */
static uint64_t deadline_of(const struct scenario *s, const struct run_config *config, uint32_t repeat)
{
        double max_seconds = config->max_seconds > 0 ? config->max_seconds : RUN_DEFAULT_MAX_SECONDS;
        double per_run = config->seconds > 0 ? config->seconds : max_seconds;
        double bound = repeat * per_run + run_stall_limit_seconds(s, config) + COMPARE_CELL_MARGIN_SECONDS;

        return clock_now_ns() + (uint64_t)(bound * 1e9);
}

enum cell_ending compare_run_isolated(const struct scenario *s, const struct run_config *config,
                                      uint32_t repeat, struct compare_run *runs, uint32_t *done,
                                      struct cell_death *died)
{
        int fds[2];

        *done = 0;
        *died = (struct cell_death){ 0 };
        if (pipe2(fds, O_CLOEXEC) != 0)
                return CELL_COULD_NOT_RUN;
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
                close(fds[0]);
                close(fds[1]);
                return CELL_COULD_NOT_RUN;
        }
        if (pid == 0) {
                close(fds[0]);
                setpgid(0, 0);
                child_run(fds[1], s, config, repeat);
        }
        /* On both sides, so that the group exists before the parent may need to kill it. */
        setpgid(pid, pid);
        close(fds[1]);
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
        struct child c = { pid, fds[0], deadline_of(s, config, repeat), (char *)runs,
                           repeat * sizeof(*runs), 0 };
        enum cell_ending ended = watch_child(&c, repeat, died);
        close(fds[0]);
        *done = (uint32_t)(c.received / sizeof(*runs));
        return ended;
}
