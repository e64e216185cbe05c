/*
 * shop-concurrent — one barista juggles: starts a drink brewing, takes the next order while the
 * machine runs, serves each drink when its brew is done.
 *
 * One thread with an event loop (epoll and a timer per brewing drink): waits overlap, work does
 * not. With waiting drinks it is nearly as fast as the work alone; with CPU drinks there is
 * nothing to overlap and it is as slow as sequential. Concurrency is not parallelism.
 */
#include "scenario.h"

#include "shop.h"

#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define MAX_BREWING 64 /* drinks brewing at once */

static struct shop_drink drink;

/* A drink on the go. Its times are kept with it because the barista juggles: by the time a drink
 * is served, the barista has started others. */
struct drink_on_the_go {
        uint64_t work_began; /* cycles */
        uint64_t brew_began;
};

/* The drink is ready: pull the shot and serve it. */
static void serve_brewed(struct barista *b, const struct drink_on_the_go *d)
{
        if (barista_sampling(b)) {
                b->prep_cycles = d->work_began;
                b->want_cycles = d->brew_began;
        }
        machine_pull_shot(b);
        barista_serve_drink(b);
}

/* Whether another order may be taken. Asked before barista_take_order(), which would end the
 * shift when it says no: here the shift goes on until the drinks still brewing are served. */
static bool orders_remain(const struct barista *b)
{
        return b->orders_taken < b->order_quota &&
               !atomic_load_explicit(&barista_stop, memory_order_relaxed);
}

static void shop_concurrent_barista(struct barista *b)
{
        int epoll = epoll_create1(EPOLL_CLOEXEC), timers[MAX_BREWING], idle[MAX_BREWING];
        struct drink_on_the_go brewing_drink[MAX_BREWING]; /* by timer */
        int idle_count = 0, brewing = 0;
        bool more_orders = true;

        if (epoll < 0)
                abort();
        for (int i = 0; i < MAX_BREWING; i++) {
                struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
                timers[i] = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
                if (timers[i] < 0 || epoll_ctl(epoll, EPOLL_CTL_ADD, timers[i], &ev) != 0)
                        abort();
                idle[idle_count++] = i;
        }
        while (more_orders || brewing > 0) {
                /* While a timer is free, take the next order and work on it as others brew. */
                if (more_orders && idle_count > 0 &&
                    (more_orders = orders_remain(b) && barista_take_order(b))) {
                        struct drink_on_the_go d = { .work_began = clock_cycles() };
                        busywork_spin(drink.work_iterations);
                        d.brew_began = clock_cycles();
                        if (drink.brew_ns == 0) {
                                serve_brewed(b, &d); /* nothing to wait for */
                                continue;
                        }
                        int t = idle[--idle_count];
                        brewing_drink[t] = d;
                        struct itimerspec brew = { .it_value = {
                                (time_t)(drink.brew_ns / 1000000000u),
                                (long)(drink.brew_ns % 1000000000u) } };
                        timerfd_settime(timers[t], 0, &brew, NULL);
                        brewing++;
                }
                /* Serve what has finished brewing: look without waiting while there is work to
                 * do, block when there is nothing else. */
                struct epoll_event ready[MAX_BREWING];
                bool can_work = more_orders && idle_count > 0;
                int n = epoll_wait(epoll, ready, MAX_BREWING, can_work || brewing == 0 ? 0 : -1);
                for (int i = 0; i < n; i++) {
                        uint64_t expirations;
                        int t = (int)ready[i].data.u32;
                        ssize_t got = read(timers[t], &expirations, sizeof(expirations));
                        if (got != sizeof(expirations))
                                continue;
                        serve_brewed(b, &brewing_drink[t]);
                        idle[idle_count++] = t;
                        brewing--;
                }
        }
        barista_end_shift(b); /* with the last drink served, not the last order taken */
        for (int i = 0; i < MAX_BREWING; i++)
                close(timers[i]);
        close(epoll);
}

static int shop_concurrent_setup(const struct run_config *config)
{
        drink = shop_drink(config);
        scenario_note_drink_ns(drink.work_ns + drink.brew_ns);
        return 0;
}

SCENARIO(shop_concurrent_scenario,
         .name = "shop-concurrent",
         .no_schedule = SHOP_NO_SCHEDULE,
         .family = FAMILY_SHOP,
         .expect = VERDICT_CLEAN,
         .summary = "One barista juggling drinks with an event loop",
         .lesson = "Concurrency: one worker overlaps the waits (brewing) but not the work. With "
                   "waiting drinks it nearly matches parallel baristas; with CPU drinks it is no "
                   "faster than sequential, because one thread uses one core.",
         .setup = shop_concurrent_setup,
         .barista = shop_concurrent_barista,
         .one_worker = true,
         .default_orders = SHOP_DEFAULT_ORDERS);
