/* Running one scenario: hire the baristas, start them together, stop them, join them, and hand
 * their figures to results.c. */
#include "run.h"

#include "die.h"
#include "helper.h"
#include "results.h"
#include "timeline.h"
#include "watchdog.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

atomic_bool barista_stop;

/* The run in progress, for what looks across baristas (slow motion, the end of a shift). */
static struct {
        struct barista *staff; /* baristas, then the helper */
        uint32_t baristas, helpers;
} current;

struct barista *run_staff(uint32_t *baristas, uint32_t *helpers)
{
        *baristas = current.baristas;
        *helpers = current.helpers;
        return current.staff;
}

const char *run_ending_name(enum run_ending ending)
{
        switch (ending) {
        case RUN_COMPLETED:
                return "completed";
        case RUN_STALLED:
                return "stalled";
        case RUN_CUT_SHORT:
                return "cut_short";
        case RUN_INTERRUPTED:
                return "interrupted";
        }
        return "?";
}


/* What a barista thread needs besides its own struct barista. */
struct shift {
        const struct scenario *scenario;
        pthread_barrier_t *start_line;
        atomic_uint *on_the_floor; /* staff past the start line so far */
        uint32_t staff;            /* baristas and helper */
        struct barista *barista;
        bool helper; /* runs scenario->helper rather than scenario->barista */
        bool pin;    /* pin this thread to a CPU of its own (as far as there are CPUs) */
};

void barista_record_sample(struct barista *b)
{
        /* A scenario that overlaps its orders (shop-concurrent) may pair one order's times
         * with another's: keep only a consistent sample. */
        if (b->want_cycles > b->got_cycles || b->got_cycles > b->done_cycles) {
                if (b->lane)
                        b->lane->unrecorded++;
                return;
        }
        histogram_record(b->wait_cycles, b->got_cycles - b->want_cycles);
        histogram_record(b->hold_cycles, b->done_cycles - b->got_cycles);
        if (b->lane)
                timeline_record(b->lane, &(struct order_cycles){ b->prep_cycles, b->want_cycles,
                                                                 b->got_cycles, b->done_cycles });
        b->prep_cycles = 0;
}

void barista_note_contended(struct barista *b)
{
        b->contended++;
}

void barista_record_wait(struct barista *b)
{
        histogram_record(b->wait_cycles, b->got_cycles - b->want_cycles);
}


void pin_to_cpu(uint32_t index)
{
        cpu_set_t allowed, one;
        int count;

        if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || (count = CPU_COUNT(&allowed)) == 0)
                return;
        int wanted = (int)(index % (uint32_t)count);
        for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
                if (!CPU_ISSET(cpu, &allowed) || wanted-- > 0)
                        continue;
                CPU_ZERO(&one);
                CPU_SET(cpu, &one);
                pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
                return;
        }
}

static int64_t timeval_ns(const struct timeval *t)
{
        return (int64_t)t->tv_sec * 1000000000 + (int64_t)t->tv_usec * 1000;
}

/* A menu reader's shift ends once the manager has finished a change that replaced the version
 * it read last (menu.h): the k-th change replaces version k. Relaxed: it orders nothing, so a
 * race between the reader and the manager stays a race for ThreadSanitizer. */
static void wait_for_menu_change(const struct barista *b)
{
        if (!b->menu_version_read || current.helpers == 0)
                return;
        const struct barista *manager = &current.staff[current.baristas];
        while (atomic_load_explicit(&manager->heartbeat, memory_order_relaxed) < b->menu_version_read &&
               !watchdog_stopping_early()) {
                struct timespec nap = { 0, 100 * 1000 }; /* the manager needs the CPU, not us */
                nanosleep(&nap, NULL);
        }
}

bool barista_end_shift(struct barista *b)
{
        struct rusage after;

        if (atomic_load_explicit(&b->finished, memory_order_relaxed))
                return false;
        /* The shift's time and CPU end with its last order, before any waiting below. */
        b->end_ns = clock_now_ns();
        getrusage(RUSAGE_THREAD, &after);
        const struct rusage *before = b->usage_at_start;
        b->ctx_voluntary = (uint64_t)(after.ru_nvcsw - before->ru_nvcsw);
        b->ctx_involuntary = (uint64_t)(after.ru_nivcsw - before->ru_nivcsw);
        /* Added to, not set: a scenario may have added its child processes' CPU time. */
        b->cpu_ns += (uint64_t)(timeval_ns(&after.ru_utime) + timeval_ns(&after.ru_stime) -
                               timeval_ns(&before->ru_utime) - timeval_ns(&before->ru_stime));
        if (b->id <= current.baristas)
                wait_for_menu_change(b);
        atomic_store_explicit(&b->finished, true, memory_order_relaxed);
        return false;
}

static void *barista_work_shift(void *arg)
{
        struct shift *shift = arg;
        struct barista *b = shift->barista;
        struct rusage before;

        b->tid = gettid();
        if (shift->pin)
                pin_to_cpu(b->id - 1);
        /* Everyone starts together. The barrier orders what happened before it (setup) before
         * everything after it, and nothing among the orders that follow. */
        pthread_barrier_wait(shift->start_line);
        /* The barrier wakes its threads one by one, and the last may be scheduled hundreds of
         * microseconds after the first: a short run (a timeline) could be over before everyone
         * has started. So each waits, yielding, until all are running. Relaxed: it orders
         * nothing, and ThreadSanitizer sees no edge in it. */
        atomic_fetch_add_explicit(shift->on_the_floor, 1, memory_order_relaxed);
        while (atomic_load_explicit(shift->on_the_floor, memory_order_relaxed) < shift->staff)
                sched_yield();
        getrusage(RUSAGE_THREAD, &before);
        b->usage_at_start = &before;
        b->start_ns = clock_now_ns();
        if (b->lane)
                b->lane->start_cycles = clock_cycles();
        if (shift->helper)
                shift->scenario->helper(b);
        else
                shift->scenario->barista(b);
        barista_end_shift(b); /* for a helper, or a barista that stopped taking orders itself */
        return NULL;
}

/* The baristas, and the helper last (id baristas + 1) when there is one. With a timeline, every
 * order is timed and each barista records into its own lane. */
static struct barista *baristas_hire(const struct run_config *config, uint32_t helpers,
                                     struct timeline *timeline)
{
        uint32_t staff = config->baristas + helpers;
        size_t bytes = sizeof(struct barista) * staff;
        struct barista *baristas = aligned_alloc(64, bytes);
        uint64_t prep = busywork_iterations_for_ns(config->prep_ns);
        uint64_t shot = busywork_iterations_for_ns(config->shot_ns);

        if (!baristas)
                return NULL;
        memset(baristas, 0, bytes);
        for (uint32_t i = 0; i < staff; i++) {
                struct barista *b = &baristas[i];
                b->id = i + 1;
                /* Orders are split up front, the remainder going to the first baristas: taking
                 * them from a shared pool would be a shared counter in the loop. */
                if (i >= config->baristas)
                        b->order_quota = 0; /* the helper takes no orders of its own */
                else if (config->orders)
                        b->order_quota = config->orders / config->baristas +
                                         (i < config->orders % config->baristas);
                else
                        b->order_quota = UINT64_MAX;
                b->prep_iterations = prep;
                /* A timeline times every order; so does slow motion, whose holds sit on the
                 * sampled path. */
                b->sample_mask = timeline || config->slow_motion ? 0 : BARISTA_SAMPLE_EVERY - 1;
                if (timeline && i < config->baristas)
                        b->lane = &timeline->lanes[i];
                b->slow_motion = config->slow_motion;
                b->without_shot = config->shot_mode == SHOT_NONE;
                b->shot_iterations = shot;
                b->wait_cycles = calloc(1, sizeof(*b->wait_cycles));
                b->hold_cycles = calloc(1, sizeof(*b->hold_cycles));
                if (!b->wait_cycles || !b->hold_cycles)
                        lab_die("out of memory for %u baristas", config->baristas);
        }
        return baristas;
}

static void baristas_dismiss(struct barista *baristas, uint32_t n)
{
        for (uint32_t i = 0; i < n; i++) {
                free(baristas[i].wait_cycles);
                free(baristas[i].hold_cycles);
        }
        free(baristas);
}

double run_stall_limit_seconds(const struct scenario *s, const struct run_config *config)
{
        double base = config->stall_seconds > 0 ? config->stall_seconds : RUN_DEFAULT_STALL_SECONDS;
        /* Ten times what one order may take, so that slow orders are never mistaken for none. */
        double order_ns = (double)config->shot_ns + (double)config->prep_ns;
        if (s->helper && s->without_machine) /* readers wait for the manager's next change */
                order_ns += 1e9 / (config->updates_per_sec ? config->updates_per_sec : 1);
        if (config->slow_motion)
                order_ns += SLOW_MOTION_HOLD_MS * 1e6;
        double slowdown = RUN_TOOL_SLOWDOWN;
        const char *setting = getenv("ESPRESSO_TOOL_SLOWDOWN");
        if (setting && atof(setting) >= 1)
                slowdown = atof(setting);
        return slowdown * (base + 10 * order_ns / 1e9);
}

void run_exit_stuck(int code)
{
        if (fflush(stdout) != 0 || ferror(stdout))
                code = code ? code : 1;
        fflush(stderr);
        _exit(code);
}

/* After a stalled run: what can be known without the stuck baristas' cooperation. */
static void result_of_stalled_run(const struct scenario *s, const struct run_config *config,
                                  const struct barista *staff, const struct watch_outcome *watch,
                                  struct run_result *r)
{
        memset(r, 0, sizeof(*r));
        r->scenario = s;
        r->config = *config;
        r->measured = false;
        for (uint32_t i = 0; i < config->baristas; i++)
                r->drinks += atomic_load_explicit(&staff[i].heartbeat, memory_order_relaxed);
        r->stuck_count = watch->stuck_count;
        memcpy(r->stuck, watch->stuck, sizeof(r->stuck));
        r->deadlocked = watch->deadlocked;
        r->invariants_held = false;
        snprintf(r->broken_invariant, sizeof(r->broken_invariant),
                 "the run stalled: %u baristas were stuck", watch->stuck_count);
}

static int run(const struct scenario *s, const struct run_config *asked, struct run_result *result,
               struct timeline *timeline)
{
        struct run_config one_worker = *asked;
        one_worker.baristas = 1;
        const struct run_config *config = s->one_worker ? &one_worker : asked;
        uint32_t n = config->baristas, helpers = s->helper ? 1 : 0;
        struct barista *baristas = NULL;
        struct shift *shifts = NULL;
        struct watch_outcome watch;
        pthread_barrier_t start_line;
        atomic_uint on_the_floor = 0;
        int err = 0;

        clock_calibrate();
        busywork_calibrate();
        machine_reset();
        atomic_store(&barista_stop, false);
        atomic_store(&helper_stop, false);
        if ((err = helper_prepare(s, config)) != 0)
                return err;
        /* The scenario's setup sees what was asked: a one-worker scenario may still use the
         * number of baristas (shop-processes forks that many processes). */
        if (s->setup && (err = s->setup(asked)) != 0) {
                helper_finish();
                return err;
        }
        if (timeline && !timeline_prepare(timeline, s, config)) {
                err = -ENOMEM;
                goto out;
        }
        baristas = baristas_hire(config, helpers, timeline);
        shifts = calloc(n + helpers, sizeof(*shifts));
        if (!baristas || !shifts) {
                err = -ENOMEM;
                goto out;
        }
        current.staff = baristas;
        current.baristas = n;
        current.helpers = helpers;
        lab_must(pthread_barrier_init(&start_line, NULL, n + helpers + 1));
        for (uint32_t i = 0; i < n + helpers; i++) {
                shifts[i] = (struct shift){ s, &start_line, &on_the_floor, n + helpers, &baristas[i],
                                            .helper = i >= n, .pin = config->pin };
                /* Baristas already started wait at the barrier for all n: a failure here leaves
                 * nothing to unwind them to, so it is fatal (it means the thread limit). */
                lab_must(pthread_create(&baristas[i].thread, NULL, barista_work_shift, &shifts[i]));
        }
        pthread_barrier_wait(&start_line);
        double stall_limit = run_stall_limit_seconds(s, config);
        watchdog_watch(baristas, n, helpers, config, stall_limit, &watch);
        if (!watch.all_joined) {
                /* Stuck threads may still use everything the run set up: leave it all be. */
                result_of_stalled_run(s, config, baristas, &watch, result);
                result->ended = watch.ending;
                result->signal = watch.signal;
                result->stall_limit_seconds = stall_limit;
                return 0;
        }
        lab_must(pthread_barrier_destroy(&start_line));
        results_merge(s, config, baristas, watch.ending, result);
        result->signal = watch.signal;
        result->stall_limit_seconds = stall_limit;
        if (timeline)
                timeline_finish(timeline, clock_cycles_per_ns());
out:
        current.staff = NULL;
        if (s->teardown)
                s->teardown();
        if (baristas)
                baristas_dismiss(baristas, n + helpers);
        helper_finish();
        free(shifts);
        return err;
}

int run_scenario(const struct scenario *s, const struct run_config *config,
                 struct run_result *result)
{
        return run(s, config, result, NULL);
}

int run_scenario_timeline(const struct scenario *s, const struct run_config *config,
                          struct run_result *result, struct timeline *timeline)
{
        return run(s, config, result, timeline);
}
