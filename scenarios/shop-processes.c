/*
 * shop-processes — the parallel shop with processes instead of threads: each barista is a
 * process (fork), and the one espresso machine lives in shared memory behind a process-shared
 * mutex.
 *
 * Processes share nothing unless asked: the counter is in a MAP_SHARED mapping, and the mutex
 * carries PTHREAD_PROCESS_SHARED. The lesson for the race detector: ThreadSanitizer watches the
 * threads of one process; it cannot see what another process does to shared memory, so it has
 * nothing to say here, correct or not.
 */
#include "scenario.h"

#include "options.h"
#include "shop.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the processes share. */
struct shared_machine {
        pthread_mutex_t lock; /* PTHREAD_PROCESS_SHARED */
        uint64_t shots;       /* guarded by lock */
};

static struct shop_drink drink;
static struct shared_machine *shared;
static uint32_t processes;

static int shop_processes_setup(const struct run_config *config)
{
        pthread_mutexattr_t attr;

        drink = shop_drink(config);
        run_note_drink_ns(drink.work_ns + drink.brew_ns);
        processes = config->baristas;
        shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (shared == MAP_FAILED)
                return -errno;
        shared->shots = 0;
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

/* One barista process: its share of the orders, each shot under the shared lock. */
static void barista_process(uint64_t orders)
{
        for (uint64_t i = 0; i < orders; i++) {
                busywork_spin(drink.work_iterations);
                shop_wait_for_brew(&drink);
                pthread_mutex_lock(&shared->lock);
                shared->shots++;
                pthread_mutex_unlock(&shared->lock);
        }
        _exit(0);
}

/* The one worker thread takes the orders, hands them to the processes, and serves what they
 * made: drinks and the shared counter come back to the harness's accounts after they exit. */
static void shop_processes_barista(struct barista *b)
{
        uint64_t orders = 0;
        pid_t children[OPTIONS_MAX_BARISTAS];

        while (barista_take_order(b))
                orders++;
        for (uint32_t p = 0; p < processes; p++) {
                uint64_t share = orders / processes + (p < orders % processes);
                if ((children[p] = fork()) == 0)
                        barista_process(share);
        }
        bool all_ok = true;
        for (uint32_t p = 0; p < processes; p++) {
                struct rusage used;
                int status;
                all_ok &= children[p] > 0 && wait4(children[p], &status, 0, &used) == children[p] &&
                          WIFEXITED(status) && WEXITSTATUS(status) == 0;
                if (children[p] > 0) /* their CPU counts in cores_used */
                        b->cpu_ns += (uint64_t)used.ru_utime.tv_sec * 1000000000u +
                                     (uint64_t)used.ru_utime.tv_usec * 1000u +
                                     (uint64_t)used.ru_stime.tv_sec * 1000000000u +
                                     (uint64_t)used.ru_stime.tv_usec * 1000u;
        }
        if (!all_ok)
                return; /* no drinks served: the run reports the broken invariant */
        for (uint64_t i = 0; i < shared->shots; i++)
                machine_count_shot(b); /* bring the shared count into the harness's machine */
        for (uint64_t i = 0; i < orders; i++)
                barista_serve_drink(b);
}

SCENARIO(shop_processes_scenario,
         .name = "shop-processes",
         .family = "shop",
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
         .default_orders = SHOP_DEFAULT_ORDERS);
