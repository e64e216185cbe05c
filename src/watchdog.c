/* The watchdog: the harness's side of a run while the baristas work (see watchdog.h). */
#include "watchdog.h"

#include "die.h"
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

static atomic_bool stopping_early;

bool watchdog_stopping_early(void)
{
        return atomic_load_explicit(&stopping_early, memory_order_relaxed);
}

static void stop_baristas(bool early)
{
        if (early)
                atomic_store_explicit(&stopping_early, true, memory_order_relaxed);
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

void watchdog_watch(struct barista *staff, uint32_t baristas, uint32_t helpers,
                    const struct run_config *config, double stall_limit, struct watch_outcome *out)
{
        uint32_t count = baristas + helpers, joined_count = 0, baristas_joined = 0;
        uint64_t start = clock_now_ns(), last_progress = UINT64_MAX, quiet_since = start;
        uint64_t stop_at = config->seconds > 0 ? start + (uint64_t)(config->seconds * 1e9) : 0;
        double bound = config->max_seconds > 0 ? config->max_seconds : RUN_DEFAULT_MAX_SECONDS;
        uint64_t bound_at = config->seconds > 0 ? 0 : start + (uint64_t)(bound * 1e9);
        bool stopping = false, helper_told = false, progress_shown = false;
        bool show = config->show_progress && isatty(STDERR_FILENO);
        bool *joined = calloc(count, sizeof(*joined));

        if (!joined)
                lab_die("out of memory watching %u baristas", count);
        memset(out, 0, sizeof(*out));
        out->ending = RUN_COMPLETED;
        atomic_store_explicit(&stopping_early, false, memory_order_relaxed);
        while (joined_count < count) {
                uint64_t next = clock_now_ns() + WATCH_EVERY_NS;
                uint32_t first = 0;
                while (first < count && (joined[first] || (first >= baristas && !helper_told)))
                        first++;
                if (wait_for_thread_or(first < count ? &staff[first].thread : NULL,
                                       !stopping && stop_at && stop_at < next ? stop_at : next)) {
                        joined[first] = true;
                        joined_count++;
                        baristas_joined += first < baristas;
                }
                uint64_t now = clock_now_ns();
                if (!stopping && interrupt_signal()) {
                        out->ending = RUN_INTERRUPTED;
                        out->signal = interrupt_signal();
                        stopping = true;
                        stop_baristas(true);
                } else if (!stopping && stop_at && now >= stop_at) {
                        stopping = true;
                        stop_baristas(false);
                } else if (!stopping && bound_at && now >= bound_at) {
                        out->ending = RUN_CUT_SHORT;
                        stopping = true;
                        stop_baristas(true);
                }
                uint64_t progress = joined_count, drinks = 0;
                for (uint32_t i = 0; i < count; i++) {
                        if (!joined[i] && (i < baristas || helper_told) &&
                            pthread_tryjoin_np(staff[i].thread, NULL) == 0) {
                                joined[i] = true;
                                joined_count++;
                                baristas_joined += i < baristas;
                        }
                        /* The helper's progress counts once the baristas are done: a menu's
                         * manager keeps changing it while a stuck barista serves nothing. */
                        if (i < baristas || baristas_joined == baristas)
                                progress += atomic_load_explicit(&staff[i].heartbeat,
                                                                 memory_order_relaxed);
                        if (i < baristas)
                                drinks += atomic_load_explicit(&staff[i].heartbeat,
                                                               memory_order_relaxed);
                }
                if (baristas_joined == baristas && !helper_told) {
                        /* Release: every order the baristas placed is visible to the helper once
                         * it sees this. */
                        atomic_store_explicit(&helper_stop, true, memory_order_release);
                        helper_told = true;
                }
                if (show && now - start >= PROGRESS_AFTER_NS && joined_count < count) {
                        show_progress(drinks, config->orders, now - start, false);
                        progress_shown = true;
                }
                if (progress != last_progress) {
                        last_progress = progress;
                        quiet_since = now;
                } else if ((double)(now - quiet_since) / 1e9 >= stall_limit && joined_count < count) {
                        if (progress_shown)
                                show_progress(0, 0, 0, true);
                        out->ending = out->ending == RUN_INTERRUPTED ? RUN_INTERRUPTED : RUN_STALLED;
                        describe_stuck(staff, count, joined, out);
                        print_diagnosis(out, baristas, (double)(now - quiet_since) / 1e9);
                        free(joined);
                        return;
                }
        }
        if (progress_shown)
                show_progress(0, 0, 0, true);
        out->all_joined = true;
        free(joined);
}
