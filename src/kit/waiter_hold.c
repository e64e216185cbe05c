/* Holding a waiting barista still (waiter_hold.h). */
#include "waiter_hold.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The timer's signal: real-time, so that it queues and no other part of the lab uses it. */
#define HOLD_SIGNAL (SIGRTMIN + 3)

struct waiter_hold {
        struct crew *crew;
        /* Barista 1's, read by the others: holds still to make, and whether it is held now.
         * Relaxed atomics: they order nothing, and only this native-run tool reads them. */
        _Atomic uint32_t holds_left;
        _Atomic bool held_now;
        /* A barista stayed at the machine in vain (barista 1's waiters sleep, say): nobody
         * stays again, so that such a lock costs one give-up, not one per order. */
        _Atomic bool staying_is_vain;
        /* Barista 1 wants the machine and has not got it. Its own, and read by its own signal
         * handler: a relaxed atomic is what a handler may read of the thread it interrupts. */
        _Atomic bool waiting;
        bool timer_tried, has_timer, timer_armed;
        timer_t timer;           /* barista 1's CPU-time clock, made on its first wait */
        clockid_t *cpu_clocks;   /* [baristas]: each barista's CPU-time clock */
        /* [baristas]: the handler's note of each one's steps up as the hold began, published to
         * them by held_now's release: each reads its own to see whether it has overtaken. */
        _Atomic uint64_t *steps_then;
        uint64_t *cpu_then;      /* [baristas]: ... and of its CPU time then, the handler's own */
        struct waiter_hold_tally tally; /* barista 1's, written by its handler, read after join */
};

/* The run's hold, for the signal handler. One run at a time per process (run.c). */
static struct waiter_hold *this_run;

static uint64_t cpu_ns(clockid_t clock)
{
        struct timespec t;
        if (clock_gettime(clock, &t) != 0)
                return 0;
        return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t steps_of(const struct barista *o)
{
        return atomic_load_explicit(&o->slow.steps_up, memory_order_relaxed);
}

enum outcome { OVERTAKEN, QUEUED, UNDECIDED };

/* Another barista has got the machine twice since barista 1 was held: once may be its turn
 * ahead of barista 1, the second time it took an order after barista 1 and got the machine
 * first. Read by the handler and by that barista itself, once held_now says a hold is on. */
static bool overtook(const struct waiter_hold *h, const struct barista *o)
{
        if (o->id > h->crew->baristas)
                return false; /* a helper: the handler keeps no note of it */
        uint64_t then = atomic_load_explicit(&h->steps_then[o->id - 1], memory_order_relaxed);
        return steps_of(o) >= then + 2;
}

/* What the others did while barista 1 was held: one look. */
static enum outcome look(const struct waiter_hold *h, bool *decided)
{
        const struct crew *crew = h->crew;
        bool anyone_working = false, all_waited = true;

        *decided = true;
        for (uint32_t i = 1; i < crew->baristas; i++) {
                const struct barista *o = &crew->staff[i];
                if (overtook(h, o))
                        return OVERTAKEN;
                if (atomic_load_explicit(&o->finished, memory_order_relaxed))
                        continue;
                anyone_working = true;
                all_waited &= cpu_ns(h->cpu_clocks[i]) >= h->cpu_then[i] + WAITER_HOLD_QUEUED_NS;
        }
        if (anyone_working && all_waited)
                return QUEUED;
        *decided = !anyone_working || atomic_load_explicit(&barista_stop, memory_order_relaxed);
        return UNDECIDED;
}

static void set_timer(struct waiter_hold *h, uint64_t after_ns)
{
        struct itimerspec when = { .it_value = { (time_t)(after_ns / 1000000000u),
                                                 (long)(after_ns % 1000000000u) } };
        timer_settime(h->timer, 0, &when, NULL);
        h->timer_armed = after_ns != 0;
}

/* Barista 1 has waited WAITER_HOLD_WAITED_NS of CPU time: it stays here, asleep, until the
 * others show what the lock does. Only async-signal-safe calls: clock_gettime, nanosleep. */
static void on_waited_long(int signal, siginfo_t *info, void *context)
{
        (void)signal, (void)info, (void)context;
        struct waiter_hold *h = this_run;
        int saved_errno = errno;

        uint32_t left = h ? atomic_load_explicit(&h->holds_left, memory_order_relaxed) : 0;
        if (left == 0 || !atomic_load_explicit(&h->waiting, memory_order_relaxed))
                return;
        h->tally.holds++;
        for (uint32_t i = 1; i < h->crew->baristas; i++) {
                atomic_store_explicit(&h->steps_then[i], steps_of(&h->crew->staff[i]),
                                      memory_order_relaxed);
                h->cpu_then[i] = cpu_ns(h->cpu_clocks[i]);
        }
        atomic_store_explicit(&h->held_now, true, memory_order_release);
        uint64_t give_up = clock_now_ns() + WAITER_HOLD_GIVE_UP_NS;
        enum outcome seen = UNDECIDED;
        bool decided = false;
        while (!decided && clock_now_ns() < give_up) {
                struct timespec nap = { 0, 20 * 1000 };
                nanosleep(&nap, NULL);
                seen = look(h, &decided);
        }
        h->tally.overtaken += seen == OVERTAKEN;
        h->tally.queued += seen == QUEUED;
        h->tally.undecided += seen == UNDECIDED;
        atomic_store_explicit(&h->held_now, false, memory_order_relaxed);
        atomic_store_explicit(&h->holds_left, left - 1, memory_order_relaxed);
        /* Still waiting (overtaken, or undecided): the next hold may come in this same wait, or
         * a barista staying at the machine for it would wait in vain. */
        if (left > 1)
                set_timer(h, WAITER_HOLD_WAITED_NS);
        errno = saved_errno;
}

/* Barista 1's first wait: its timer, and everyone's CPU clock (their threads all exist now). */
static bool make_timer(struct waiter_hold *h, struct barista *b)
{
        struct sigevent event;

        for (uint32_t i = 0; i < h->crew->baristas; i++)
                if (pthread_getcpuclockid(h->crew->staff[i].thread, &h->cpu_clocks[i]) != 0)
                        return false;
        memset(&event, 0, sizeof(event));
        event.sigev_notify = SIGEV_THREAD_ID;
        event.sigev_signo = HOLD_SIGNAL;
        event._sigev_un._tid = b->tid; /* sigev_notify_thread_id, which glibc 2.36 does not name */
        return timer_create(CLOCK_THREAD_CPUTIME_ID, &event, &h->timer) == 0;
}

void waiter_hold_wants(struct barista *b)
{
        struct waiter_hold *h = b->hold;

        if (b->id != 1 || atomic_load_explicit(&h->holds_left, memory_order_relaxed) == 0)
                return;
        if (!h->timer_tried) {
                h->timer_tried = true; /* once: without a timer, no holds */
                h->has_timer = make_timer(h, b);
        }
        if (!h->has_timer)
                return;
        atomic_store_explicit(&h->waiting, true, memory_order_relaxed);
        set_timer(h, WAITER_HOLD_WAITED_NS);
}

/* Another barista at the machine stays there, holding whatever lock guards it, until barista 1
 * is held waiting for it: so that barista 1 waits long enough to be held on every schedule, not
 * only when the two happen to run at once. And once it has overtaken barista 1 in a hold, it
 * stays until barista 1 has seen that: a held barista looks only every so often, later still on
 * a loaded CPU, and meanwhile the other could serve every order it has left, leaving the next
 * holds nobody to decide them. Yielding, so that on one CPU barista 1 gets to run. */
static void stay_until_held(struct waiter_hold *h, const struct barista *b)
{
        const struct barista *first = &h->crew->staff[0];
        uint64_t give_up = clock_now_ns() + WAITER_HOLD_GIVE_UP_NS;

        while (atomic_load_explicit(&h->holds_left, memory_order_relaxed) != 0 &&
               !atomic_load_explicit(&h->staying_is_vain, memory_order_relaxed) &&
               !atomic_load_explicit(&first->finished, memory_order_relaxed) &&
               !atomic_load_explicit(&barista_stop, memory_order_relaxed)) {
                if (atomic_load_explicit(&h->held_now, memory_order_acquire) && !overtook(h, b))
                        return; /* held: what this barista does next decides the hold */
                if (clock_now_ns() >= give_up) {
                        atomic_store_explicit(&h->staying_is_vain, true, memory_order_relaxed);
                        return;
                }
                sched_yield();
        }
}

void waiter_hold_at_machine(struct barista *b)
{
        struct waiter_hold *h = b->hold;

        /* Steps up, as slow motion counts them (the two are never on together). */
        atomic_store_explicit(&b->slow.steps_up, steps_of(b) + 1, memory_order_relaxed);
        if (b->id != 1) {
                stay_until_held(h, b);
                return;
        }
        atomic_store_explicit(&h->waiting, false, memory_order_relaxed);
        if (h->timer_armed)
                set_timer(h, 0);
}

static void release(struct waiter_hold *h)
{
        if (h->has_timer)
                timer_delete(h->timer);
        free(h->cpu_clocks);
        free(h->steps_then);
        free(h->cpu_then);
        free(h);
}

int waiter_hold_start(struct crew *crew, uint32_t holds)
{
        struct waiter_hold *h = calloc(1, sizeof(*h));
        struct sigaction action = { .sa_sigaction = on_waited_long,
                                    .sa_flags = SA_SIGINFO | SA_RESTART };

        if (!h)
                return -ENOMEM;
        h->crew = crew;
        h->holds_left = holds;
        h->cpu_clocks = calloc(crew->baristas, sizeof(*h->cpu_clocks));
        h->steps_then = calloc(crew->baristas, sizeof(*h->steps_then));
        h->cpu_then = calloc(crew->baristas, sizeof(*h->cpu_then));
        if (!h->cpu_clocks || !h->steps_then || !h->cpu_then) {
                release(h);
                return -ENOMEM;
        }
        sigemptyset(&action.sa_mask);
        if (sigaction(HOLD_SIGNAL, &action, NULL) != 0) {
                int err = -errno;
                release(h);
                return err;
        }
        this_run = h;
        for (uint32_t i = 0; i < crew->baristas; i++)
                crew->staff[i].hold = h;
        return 0;
}

void waiter_hold_finish(struct crew *crew, struct waiter_hold_tally *tally)
{
        struct waiter_hold *h = this_run;

        *tally = h ? h->tally : (struct waiter_hold_tally){ 0 };
        if (!h)
                return;
        for (uint32_t i = 0; i < crew->baristas; i++)
                crew->staff[i].hold = NULL;
        this_run = NULL;
        release(h);
}
