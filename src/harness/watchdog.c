/* The watchdog: the harness's side of a run while the baristas work (see watchdog.h). */
#include "watchdog.h"

#include "kit/variant.h"

#include "kit/die.h"
#include "interrupt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WATCH_EVERY_NS (20ull * 1000 * 1000) /* a look every 20 ms: nothing a barista sees */
#define PROGRESS_AFTER_NS (1000ull * 1000 * 1000) /* shown once a run has taken a second */

/* Waits until when_ns (CLOCK_MONOTONIC), or until the thread `first` ends, whichever comes first:
 * the last barista's end is then seen at once, not at the next look. True when it joined it. */
static bool wait_for_thread_or(pthread_t *first, uint64_t when_ns)
{
        uint64_t now = clock_now_ns();
        if (when_ns <= now)
                return false;
        if (!first) {
                struct timespec at = { (time_t)(when_ns / 1000000000u), (long)(when_ns % 1000000000u) };
                while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
                        ;
                return false;
        }
        /* pthread_timedjoin_np takes CLOCK_REALTIME: the same wait, on that clock. */
        struct timespec real;
        clock_gettime(CLOCK_REALTIME, &real);
        uint64_t until = (uint64_t)real.tv_sec * 1000000000u + (uint64_t)real.tv_nsec + (when_ns - now);
        struct timespec at = { (time_t)(until / 1000000000u), (long)(until % 1000000000u) };
        return pthread_timedjoin_np(*first, NULL, &at) == 0;
}

static void stop_baristas(struct crew *crew, bool early)
{
        if (early)
                atomic_store_explicit(&crew->stopping_early, true, memory_order_relaxed);
        atomic_store_explicit(&barista_stop, true, memory_order_relaxed);
}

/* What the kernel says thread tid is doing: a lock's waiter sleeps on a futex, a spinner runs. */
static void describe_thread_state(pid_t tid, char *out, size_t size)
{
        char path[64], text[512];
        FILE *f;

        snprintf(out, size, "state unknown");
        snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
        if (!(f = fopen(path, "r")))
                return;
        size_t n = fread(text, 1, sizeof(text) - 1, f);
        fclose(f);
        text[n] = '\0';
        const char *close = strrchr(text, ')'); /* the command name may hold anything */
        char state = close && close[1] == ' ' ? close[2] : '?';
        if (state == 'R') {
                snprintf(out, size, "running, but serving nothing (spinning?)");
                return;
        }
        long call = -1;
        snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
        if ((f = fopen(path, "r"))) {
                if (fscanf(f, "%ld", &call) != 1)
                        call = -1;
                fclose(f);
        }
        if (call == SYS_futex)
                snprintf(out, size, "asleep in the kernel on a futex (waiting for a lock?)");
        else if (call >= 0)
                snprintf(out, size, "asleep in the kernel (system call %ld)", call);
        else
                snprintf(out, size, "not running (state %c)", state);
}

/* A barista waits for what another stuck barista holds. */
static bool waits_for_another_stuck(const struct watch_outcome *out, uint32_t i)
{
        const char *wanted = out->stuck[i].waiting_for;

        if (!wanted)
                return false;
        for (uint32_t j = 0; j < out->stuck_count; j++)
                if (j != i && out->stuck[j].holding && strcmp(out->stuck[j].holding, wanted) == 0)
                        return true;
        return false;
}

static void describe_stuck(struct barista *staff, uint32_t count, const bool *joined,
                           struct watch_outcome *out)
{
        out->stuck_count = 0;
        for (uint32_t i = 0; i < count; i++) {
                struct barista *b = &staff[i];
                if (joined[i])
                        continue;
                if (out->stuck_count == RUN_MAX_STUCK) {
                        out->stuck_count++; /* counted, not described */
                        continue;
                }
                struct stuck_barista *s = &out->stuck[out->stuck_count++];
                s->barista = b->id;
                s->progress = atomic_load_explicit(&b->heartbeat, memory_order_relaxed);
                s->holding = atomic_load_explicit(&b->holding, memory_order_relaxed);
                s->waiting_for = atomic_load_explicit(&b->waiting_for, memory_order_relaxed);
                describe_thread_state(b->tid, s->state, sizeof(s->state));
        }
        uint32_t described = out->stuck_count < RUN_MAX_STUCK ? out->stuck_count : RUN_MAX_STUCK;
        out->deadlocked = described > 1;
        for (uint32_t i = 0; i < described; i++)
                out->deadlocked &= waits_for_another_stuck(out, i);
}

static void print_diagnosis(const struct watch_outcome *out, uint32_t baristas, double quiet)
{
        uint32_t described = out->stuck_count < RUN_MAX_STUCK ? out->stuck_count : RUN_MAX_STUCK;

        fprintf(stderr, "espresso-lab: %s: no barista has served a drink for %.1f s\n",
                out->deadlocked ? "deadlock" : "stalled", quiet);
        for (uint32_t i = 0; i < described; i++) {
                const struct stuck_barista *s = &out->stuck[i];
                const char *who = s->barista > baristas ? "the helper" : "barista";
                char name[32];
                if (s->barista > baristas)
                        snprintf(name, sizeof(name), "%s", who);
                else
                        snprintf(name, sizeof(name), "%s %" PRIu32, who, s->barista);
                if (s->holding || s->waiting_for)
                        fprintf(stderr, "  %s holds %s and waits for %s\n", name,
                                s->holding ? s->holding : "nothing",
                                s->waiting_for ? s->waiting_for : "nothing");
                else
                        fprintf(stderr, "  %s is stuck after %" PRIu64 " drink%s: %s\n", name,
                                s->progress, s->progress == 1 ? "" : "s", s->state);
        }
        if (out->stuck_count > described)
                fprintf(stderr, "  and %" PRIu32 " more\n", out->stuck_count - described);
        fprintf(stderr, "espresso-lab: ending the run: the stuck baristas cannot be freed\n");
}

static void show_progress(uint64_t drinks, uint64_t orders, uint64_t elapsed_ns, bool final)
{
        double elapsed = (double)elapsed_ns / 1e9;

        if (final) {
                fputs("\r\033[K", stderr);
                return;
        }
        fprintf(stderr, "\r  %" PRIu64 " drinks, %.0f s", drinks, elapsed);
        if (orders && drinks)
                fprintf(stderr, ", about %.0f s left",
                        elapsed * (double)(orders - (drinks < orders ? drinks : orders)) / (double)drinks);
        fputs("   ", stderr);
}

/* One watch over a run: what has ended, and when progress was last seen. */
struct watch {
        struct crew *crew;
        const struct run_config *config;
        uint32_t count; /* baristas and helpers */
        bool *joined;
        uint32_t joined_count, baristas_joined;
        uint64_t start, stop_at, bound_at; /* stop_at: a timed run's end; bound_at: a counted one's */
        uint64_t last_progress, quiet_since;
        bool stopping, helper_told, show, progress_shown;
};

/* Thread i was joined, timed or tried. A join orders everything the thread did before what
 * follows it; Helgrind and DRD know pthread_join but not pthread_timedjoin_np nor
 * pthread_tryjoin_np, so they are told here, as the thread told them at its end
 * (barista_work_shift). */
static void mark_joined(struct watch *w, uint32_t i)
{
        variant_lab_acquire(&w->crew->staff[i]);
        w->joined[i] = true;
        w->joined_count++;
        w->baristas_joined += i < w->crew->baristas;
}

/* Waits for the first thread still to be joined (a helper only once told to stop), or for the
 * next look, or a timed run's end, whichever comes first. */
static void wait_a_look(struct watch *w)
{
        uint64_t next = clock_now_ns() + WATCH_EVERY_NS;
        uint32_t first = 0;

        while (first < w->count && (w->joined[first] || (first >= w->crew->baristas && !w->helper_told)))
                first++;
        if (wait_for_thread_or(first < w->count ? &w->crew->staff[first].thread : NULL,
                               !w->stopping && w->stop_at && w->stop_at < next ? w->stop_at : next))
                mark_joined(w, first);
}

/* Stops the baristas on a signal, at a timed run's end, or at a counted run's time bound. */
static void stop_when_due(struct watch *w, uint64_t now, struct watch_outcome *out)
{
        if (w->stopping)
                return;
        if (interrupt_signal()) {
                out->ending = RUN_INTERRUPTED;
                out->signal = interrupt_signal();
                stop_baristas(w->crew, true);
        } else if (w->stop_at && now >= w->stop_at) {
                stop_baristas(w->crew, false);
        } else if (w->bound_at && now >= w->bound_at) {
                out->ending = RUN_CUT_SHORT;
                stop_baristas(w->crew, true);
        } else {
                return;
        }
        w->stopping = true;
}

/* Joins whoever has ended and sums the heartbeats: progress, and the drinks served so far. */
static uint64_t join_and_count(struct watch *w, uint64_t *drinks)
{
        uint32_t baristas = w->crew->baristas;
        uint64_t progress = w->joined_count;

        *drinks = 0;
        for (uint32_t i = 0; i < w->count; i++) {
                struct barista *b = &w->crew->staff[i];
                if (!w->joined[i] && (i < baristas || w->helper_told) &&
                    pthread_tryjoin_np(b->thread, NULL) == 0)
                        mark_joined(w, i);
                uint64_t beats = atomic_load_explicit(&b->heartbeat, memory_order_relaxed);
                /* The helper's progress counts once the baristas are done: a menu's manager keeps
                 * changing it while a stuck barista serves nothing. */
                if (i < baristas || w->baristas_joined == baristas)
                        progress += beats;
                if (i < baristas)
                        *drinks += beats;
        }
        if (w->baristas_joined == baristas && !w->helper_told) {
                /* Release: every order the baristas placed is visible to the helper once it sees
                 * this. */
                variant_lab_release(&helper_stop); /* for the tools that cannot see atomics */
                atomic_store_explicit(&helper_stop, true, memory_order_release);
                w->helper_told = true;
        }
        return progress;
}

void watchdog_watch(struct crew *crew, const struct run_config *config, double stall_limit,
                    struct watch_outcome *out)
{
        uint32_t count = crew->baristas + crew->helpers;
        struct watch w = { .crew = crew, .config = config, .count = count,
                           .joined = calloc(count, sizeof(bool)), .start = clock_now_ns(),
                           .last_progress = UINT64_MAX,
                           .show = config->show_progress && isatty(STDERR_FILENO) };
        double bound = config->max_seconds > 0 ? config->max_seconds : RUN_DEFAULT_MAX_SECONDS;

        if (!w.joined)
                lab_die("out of memory watching %u baristas", count);
        w.quiet_since = w.start;
        w.stop_at = config->seconds > 0 ? w.start + (uint64_t)(config->seconds * 1e9) : 0;
        w.bound_at = config->seconds > 0 ? 0 : w.start + (uint64_t)(bound * 1e9);
        memset(out, 0, sizeof(*out));
        out->ending = RUN_COMPLETED;
        while (w.joined_count < count) {
                wait_a_look(&w);
                uint64_t now = clock_now_ns(), drinks;
                stop_when_due(&w, now, out);
                uint64_t progress = join_and_count(&w, &drinks);
                if (w.show && now - w.start >= PROGRESS_AFTER_NS && w.joined_count < count) {
                        show_progress(drinks, config->orders, now - w.start, false);
                        w.progress_shown = true;
                }
                if (progress != w.last_progress) {
                        w.last_progress = progress;
                        w.quiet_since = now;
                } else if ((double)(now - w.quiet_since) / 1e9 >= stall_limit && w.joined_count < count) {
                        break;
                }
        }
        if (w.progress_shown)
                show_progress(0, 0, 0, true);
        out->all_joined = w.joined_count == count;
        if (!out->all_joined) {
                out->ending = out->ending == RUN_INTERRUPTED ? RUN_INTERRUPTED : RUN_STALLED;
                describe_stuck(crew->staff, count, w.joined, out);
                print_diagnosis(out, crew->baristas, (double)(clock_now_ns() - w.quiet_since) / 1e9);
        }
        free(w.joined);
}
