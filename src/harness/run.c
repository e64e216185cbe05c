/* Running one scenario: hire the baristas, start them together, stop them, join them, and hand
 * their figures to results.c. */
#include "run.h"
#include "kit/schedule.h"
#include "kit/variant.h"

#include "kit/die.h"
#include "helper.h"
#include "results.h"
#include "measure/cpu.h"
#include "measure/lane.h"
#include "watchdog.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* The run in progress: one at a time. The baristas see it through b->crew. */
static struct crew crew;

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
        schedule_thread_begin(b->id, shift->helper); /* in a controlled run: waits its turn */
        if (shift->helper)
                shift->scenario->helper(b);
        else
                shift->scenario->barista(b);
        barista_end_shift(b); /* for a helper, or a barista that stopped taking orders itself */
        schedule_thread_end();
        variant_lab_release(b); /* the thread's end, for the watchdog's timed join (watchdog.c) */
        return NULL;
}

/* The baristas, and the helper last (id baristas + 1) when there is one. With a timeline, every
 * order is timed and each barista records into its own lane. */
static struct barista *baristas_hire(const struct run_config *config, uint32_t helpers,
                                     struct timeline_lane *lanes)
{
        uint32_t staff = config->baristas + helpers;
        size_t bytes = sizeof(struct barista) * staff;
        struct barista *baristas = aligned_alloc(64, bytes);
        uint64_t prep = busywork_iterations_for_ns(config->prep_ns);
        uint64_t shot = busywork_iterations_for_ns(config->shot_ns);

        if (!baristas)
                return NULL;
        memset(baristas, 0, bytes);
        crew.staff = baristas;
        crew.baristas = config->baristas;
        crew.helpers = helpers;
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
                b->sample_mask = lanes || config->slow_motion ? 0 : BARISTA_SAMPLE_EVERY - 1;
                if (lanes && i < config->baristas)
                        b->lane = &lanes[i];
                b->crew = &crew;
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
        /* A spinlock with more baristas than CPUs: a holder preempted at the machine keeps every
         * spinner from a drink until the scheduler comes back to it, and a fair one hands the
         * machine only to a next in line who is on a CPU. On a busy machine that went past 2 s
         * without a drink (64 baristas on 2 CPUs: spin-ck-clh beside a test, spin-ck-cas beside
         * two busy loops). Allow a quarter of a second per CPU's worth of extra baristas. */
        uint32_t cpus = cpus_usable();
        if (s->spinlock && config->baristas > cpus)
                base += 0.25 * (double)(config->baristas - cpus) / cpus;
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

int run_exit_code(const struct run_result *r)
{
        if (r->ended == RUN_STALLED)
                return EXIT_STALLED;
        if (r->ended == RUN_INTERRUPTED)
                return 128 + r->signal; /* as a shell reports it */
        if (scenario_claims_correct(r->scenario) && !r->invariants_held)
                return EXIT_CHECK_FAILED;
        return r->ended == RUN_CUT_SHORT ? EXIT_CUT_SHORT : EXIT_OK;
}

uint32_t run_baristas(const struct scenario *s, const struct run_config *config)
{
        return s->one_worker ? 1 : config->baristas;
}

/* A scenario's setup that never returns would hang the run before a barista or the watchdog has
 * started. A guard waits beside it for the stall limit and, if setup has not returned by then,
 * says so and ends the process with the watchdog's exit status, as a stalled run would. */
struct setup_guard {
        pthread_mutex_t lock;
        pthread_cond_t returned_cond; /* signalled when setup returns */
        bool returned;
        double limit_seconds;
        const char *scenario;
};

static void *setup_guard_watch(void *arg)
{
        struct setup_guard *g = arg;
        struct timespec deadline;

        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += (time_t)g->limit_seconds;
        deadline.tv_nsec += (long)((g->limit_seconds - (time_t)g->limit_seconds) * 1e9);
        if (deadline.tv_nsec >= 1000000000L) {
                deadline.tv_sec++;
                deadline.tv_nsec -= 1000000000L;
        }
        lab_must(pthread_mutex_lock(&g->lock));
        while (!g->returned && pthread_cond_timedwait(&g->returned_cond, &g->lock, &deadline) == 0)
                ;
        if (!g->returned) {
                fprintf(stderr, "espresso-lab: stalled: %s's setup has not returned after %.1f s\n"
                        "espresso-lab: ending the run: no barista has started\n", g->scenario,
                        g->limit_seconds);
                _exit(EXIT_STALLED);
        }
        lab_must(pthread_mutex_unlock(&g->lock));
        return NULL;
}

static int setup_guarded(const struct scenario *s, const struct run_config *config,
                         const struct run_config *asked)
{
        struct setup_guard g = { .limit_seconds = run_stall_limit_seconds(s, config), .scenario = s->name };
        pthread_condattr_t monotonic;
        pthread_t guard;

        lab_must(pthread_mutex_init(&g.lock, NULL));
        lab_must(pthread_condattr_init(&monotonic));
        lab_must(pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC));
        lab_must(pthread_cond_init(&g.returned_cond, &monotonic));
        lab_must(pthread_condattr_destroy(&monotonic));
        lab_must(pthread_create(&guard, NULL, setup_guard_watch, &g));
        int err = s->setup(asked);
        lab_must(pthread_mutex_lock(&g.lock));
        g.returned = true;
        lab_must(pthread_cond_signal(&g.returned_cond));
        lab_must(pthread_mutex_unlock(&g.lock));
        lab_must(pthread_join(guard, NULL));
        lab_must(pthread_cond_destroy(&g.returned_cond));
        lab_must(pthread_mutex_destroy(&g.lock));
        return err;
}

/* Calibrations, the machine and the flags reset, the helper's state and the scenario's own
 * prepared. 0 or -errno. The scenario's setup sees what was asked: a one-worker scenario may
 * still use the number of baristas (shop-processes forks that many processes). */
static int run_prepare(const struct scenario *s, const struct run_config *config,
                       const struct run_config *asked)
{
        int err;

        clock_calibrate();
        busywork_calibrate();
        machine_reset();
        atomic_store(&barista_stop, false);
        atomic_store(&helper_stop, false);
        memset(&crew, 0, sizeof(crew));
        if ((err = helper_prepare(s, config, &crew)) != 0)
                return err;
        if (s->setup && (err = setup_guarded(s, config, asked)) != 0) {
                helper_finish(&crew);
                return err;
        }
        return 0;
}

/* Starts every member of the staff; they wait at the start line until the caller joins it. */
static void run_start(const struct scenario *s, const struct run_config *config,
                      struct shift *shifts, pthread_barrier_t *start_line, atomic_uint *on_the_floor)
{
        uint32_t staff = crew.baristas + crew.helpers;

        lab_must(pthread_barrier_init(start_line, NULL, staff + 1));
        for (uint32_t i = 0; i < staff; i++) {
                shifts[i] = (struct shift){ s, start_line, on_the_floor, staff, &crew.staff[i],
                                            .helper = i >= crew.baristas, .pin = config->pin };
                /* Baristas already started wait at the barrier for all: a failure here leaves
                 * nothing to unwind them to, so it is fatal (it means the thread limit). */
                lab_must(pthread_create(&crew.staff[i].thread, NULL, barista_work_shift, &shifts[i]));
        }
}

static int run(const struct scenario *s, const struct run_config *asked, struct run_result *result,
               struct timeline_lane *lanes)
{
        struct run_config config = *asked;
        config.baristas = run_baristas(s, asked);
        uint32_t helpers = s->helper ? 1 : 0;
        struct watch_outcome watch;
        pthread_barrier_t start_line;
        atomic_uint on_the_floor = 0;
        int err;

        if ((err = run_prepare(s, &config, asked)) != 0)
                return err;
        struct barista *staff = baristas_hire(&config, helpers, lanes);
        struct shift *shifts = calloc(config.baristas + helpers, sizeof(*shifts));
        if (!staff || !shifts) {
                err = -ENOMEM;
                goto out;
        }
        if (config.hold_waiter && (err = waiter_hold_start(&crew, config.hold_waiter)) != 0)
                goto out;
        crew_tell_lab_words(&crew);
        variant_lab_words(&on_the_floor, sizeof(on_the_floor));
        run_start(s, &config, shifts, &start_line, &on_the_floor);
        pthread_barrier_wait(&start_line);
        double stall_limit = run_stall_limit_seconds(s, &config);
        watchdog_watch(&crew, &config, stall_limit, &watch);
        if (!watch.all_joined) {
                /* Stuck threads may still use everything the run set up: leave it all be. */
                result_of_stalled_run(s, &config, staff, &watch, result);
        } else {
                lab_must(pthread_barrier_destroy(&start_line));
                results_merge(s, &config, &crew, watch.ending, result);
                if (config.hold_waiter)
                        waiter_hold_finish(&crew, &result->held);
        }
        result->ended = watch.ending;
        result->signal = watch.signal;
        result->stall_limit_seconds = stall_limit;
        if (!watch.all_joined)
                return 0;
out:
        if (s->teardown)
                s->teardown();
        if (staff)
                baristas_dismiss(staff, config.baristas + helpers);
        helper_finish(&crew);
        memset(&crew, 0, sizeof(crew));
        free(shifts);
        return err;
}

int run_scenario(const struct scenario *s, const struct run_config *config,
                 struct run_result *result)
{
        return run(s, config, result, NULL);
}

int run_scenario_recorded(const struct scenario *s, const struct run_config *config,
                          struct run_result *result, struct timeline_lane *lanes)
{
        return run(s, config, result, lanes);
}
