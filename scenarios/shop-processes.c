/*
 * shop-processes — the parallel shop with processes: each barista is a process (fork), and the
 * one machine lives in shared memory (MAP_SHARED) behind a PTHREAD_PROCESS_SHARED mutex.
 * ThreadSanitizer watches the threads of one process: it has nothing to say here, either way.
 * The harness's stop flag is not in the shared memory, so the worker thread copies it there.
 */
#include "scenario.h"

#include "shop.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What the processes share. */
struct shared_machine {
        pthread_mutex_t lock; /* PTHREAD_PROCESS_SHARED */
        uint64_t shots;       /* guarded by lock */
        _Atomic bool stop;    /* the run is over: the worker passes barista_stop on (relaxed) */
        struct process_tally { /* one per process, on a cache line of its own, written by it */
                _Atomic uint64_t orders_begun, drinks_made;
        } __attribute__((aligned(64))) tally[SCENARIO_MAX_BARISTAS];
};

static struct shop_drink drink;
static struct shared_machine *shared;
static uint32_t processes;

/* One barista process: drinks until its share is made (UINT64_MAX in a timed run) or the run is
 * over, each shot under the shared lock. It never returns into the lab: _exit, not exit, so that
 * no handler or buffer of the parent's runs twice. */
static _Noreturn void barista_process(struct process_tally *mine, uint64_t share, pid_t parent)
{
        /* No process outlives the run: if the worker thread is gone (the lab was killed), so is
         * this one. Checked after asking, in case the parent died before the asking. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
                _exit(1);
        for (uint64_t made = 0; made < share; made++) {
                if (atomic_load_explicit(&shared->stop, memory_order_relaxed))
                        break;
                atomic_store_explicit(&mine->orders_begun, made + 1, memory_order_relaxed);
                busywork_spin(drink.work_iterations);
                shop_wait_for_brew(&drink);
                pthread_mutex_lock(&shared->lock);
                shared->shots++;
                pthread_mutex_unlock(&shared->lock);
                atomic_store_explicit(&mine->drinks_made, made + 1, memory_order_relaxed);
        }
        _exit(0);
}

/* How often the worker looks at its processes while they work: it passes the stop flag on,
 * shows the watchdog their progress, and reaps those done. A timed run ends at most this much
 * plus one drink late, a counted one is measured at most this much long. The looks cost about
 * 2% of a core, and with CPU drinks on every core each one preempts a process: about two
 * context switches a drink on two cores, where shop-parallel has none. */
#define SHOP_PROCESSES_LOOK_NS (500 * 1000)

/* The tallies are relaxed atomics: the worker reads them while the processes work only to show
 * progress; its final reads come after wait4() has reaped every process, and a process's exit
 * happens before that (the kernel orders them), so they are exact. The stop flag carries no
 * data, like barista_stop. */
static uint64_t drinks_made_so_far(void)
{
        uint64_t drinks = 0;

        for (uint32_t p = 0; p < processes; p++)
                drinks += atomic_load_explicit(&shared->tally[p].drinks_made, memory_order_relaxed);
        return drinks;
}

/* What the processes used, from wait4() as each is reaped. */
struct processes_usage {
        uint64_t cpu_ns;          /* user + system, ns */
        uint64_t ctx_voluntary;   /* context switches: blocked (a brewing drink) */
        uint64_t ctx_involuntary; /* ... preempted */
};

static uint64_t timeval_ns(const struct timeval *t)
{
        return (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_usec * 1000u;
}

/* Reaps *child if it has exited (then 0), adding up what it used. False while it works. */
static bool reap_process(pid_t *child, struct processes_usage *usage, bool *all_ok)
{
        struct rusage used;
        int status;
        pid_t got = wait4(*child, &status, WNOHANG, &used);

        if (got == 0 || (got < 0 && errno == EINTR))
                return false;
        *all_ok &= got == *child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (got == *child) {
                usage->cpu_ns += timeval_ns(&used.ru_utime) + timeval_ns(&used.ru_stime);
                usage->ctx_voluntary += (uint64_t)used.ru_nvcsw;
                usage->ctx_involuntary += (uint64_t)used.ru_nivcsw;
        }
        *child = 0; /* reaped, or lost (ECHILD): either way not waited for again */
        return true;
}

/* Waits until every process has exited, passing the stop flag on and showing the watchdog
 * their progress meanwhile; adds up what they used. Returns whether all exited cleanly: one
 * that crashed is reaped like the others. */
static bool wait_for_processes(struct barista *b, pid_t *children, struct processes_usage *usage)
{
        const struct timespec look = { 0, SHOP_PROCESSES_LOOK_NS };
        uint32_t running = 0;
        bool all_ok = true;

        for (uint32_t p = 0; p < processes; p++) {
                running += children[p] > 0;
                all_ok &= children[p] > 0; /* -1: fork failed */
        }
        while (running > 0) {
                if (atomic_load_explicit(&barista_stop, memory_order_relaxed))
                        atomic_store_explicit(&shared->stop, true, memory_order_relaxed);
                for (uint32_t p = 0; p < processes; p++)
                        if (children[p] > 0 && reap_process(&children[p], usage, &all_ok))
                                running--;
                barista_progress(b, drinks_made_so_far());
                if (running > 0)
                        nanosleep(&look, NULL);
        }
        return all_ok;
}

/* The one worker thread hands the orders to the processes, waits for them, and serves what they
 * made: drinks and the shared counter come back to the harness's accounts after they exit. */
static void shop_processes_barista(struct barista *b)
{
        pid_t children[SCENARIO_MAX_BARISTAS], parent = getpid();
        bool timed = b->order_quota == UINT64_MAX;
        uint64_t orders = 0;

        /* A counted run: the worker takes every order first, then splits them. It stops at its
         * quota rather than when barista_take_order() says no, which would end its shift before
         * the processes began. A timed run cannot know its orders ahead: the processes begin
         * them until the time is up. */
        while (!timed && orders < b->order_quota && barista_take_order(b))
                orders++;
        for (uint32_t p = 0; p < processes; p++) {
                uint64_t share = timed ? UINT64_MAX : orders / processes + (p < orders % processes);
                if ((children[p] = fork()) == 0)
                        barista_process(&shared->tally[p], share, parent);
        }
        struct processes_usage used = { 0 };
        bool all_ok = wait_for_processes(b, children, &used);
        barista_end_shift(b); /* the shift ends with the last process, not at the fork */
        b->cpu_ns += used.cpu_ns; /* their CPU counts in cores_used, beside the worker's */
        /* The baristas' context switches are the processes' (a brewing drink is one, as in
         * shop-parallel), not the worker's: its looks would add two thousand a second. */
        b->ctx_voluntary = used.ctx_voluntary;
        b->ctx_involuntary = used.ctx_involuntary;

        uint64_t begun = 0, made = drinks_made_so_far();
        for (uint32_t p = 0; p < processes; p++)
                begun += atomic_load_explicit(&shared->tally[p].orders_begun, memory_order_relaxed);
        /* A timed run's orders are the ones the processes began, each in its own tally: set
         * here, after the fact, as barista_take_order() takes none once the time is up. So are
         * those of a counted run cut short or interrupted: the orders no process began were
         * never made, nor taken. */
        if (timed || atomic_load_explicit(&shared->stop, memory_order_relaxed))
                b->orders_taken = begun;
        if (!all_ok)
                return; /* a process crashed or was never forked: no drinks served, and the run
                         * reports the broken invariant */
        for (uint64_t i = 0; i < shared->shots; i++)
                machine_count_shot(b); /* bring the shared count into the harness's machine */
        for (uint64_t i = 0; i < made; i++)
                barista_serve_drink(b);
}

static int shop_processes_setup(const struct run_config *config)
{
        pthread_mutexattr_t attr;

        drink = shop_drink(config);
        scenario_note_drink_ns(drink.work_ns + drink.brew_ns);
        processes = config->baristas;
        /* Anonymous memory comes zeroed: no shots, no stop, nothing begun. */
        shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                      -1, 0);
        if (shared == MAP_FAILED)
                return -errno;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
        int rc = pthread_mutex_init(&shared->lock, &attr);
        pthread_mutexattr_destroy(&attr);
        return -rc;
}

static void shop_processes_teardown(void)
{
        pthread_mutex_destroy(&shared->lock);
        munmap(shared, sizeof(*shared));
}

SCENARIO(shop_processes_scenario,
         .name = "shop-processes",
         .family = FAMILY_SHOP,
         .expect = VERDICT_CLEAN,
         .summary = "Parallel baristas as processes, sharing the machine through shared memory",
         .lesson = "Processes run in parallel like threads, but share only what they map "
                   "together: the counter and a process-shared mutex. ThreadSanitizer sees the "
                   "threads of one process, not other processes: it can neither confirm nor "
                   "refute what happens in shared memory.",
         .setup = shop_processes_setup,
         .teardown = shop_processes_teardown,
         .barista = shop_processes_barista,
         .one_worker = true,
         .no_timeline = "its orders are made by other processes, whose clocks this one does "
                        "not record",
         .no_schedule = "its baristas are other processes, which a schedule of this one's "
                        "threads cannot step",
         .default_orders = SHOP_DEFAULT_ORDERS);
