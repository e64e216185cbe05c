/* The watchdog for scenarios that can really deadlock. */
#include "watchdog.h"

#include "die.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define WATCHDOG_SILENCE_NS (1000ull * 1000 * 1000) /* a second without a single drink */

void watchdog_join(struct barista *baristas, uint32_t n, const struct run_config *config)
{
        uint64_t last_total = UINT64_MAX, quiet_since = clock_now_ns();
        uint64_t stop_at = config->seconds > 0 ? clock_now_ns() + (uint64_t)(config->seconds * 1e9)
                                               : UINT64_MAX;
        bool *done = calloc(n, sizeof(*done));
        uint32_t finished = 0;

        if (!done)
                lab_die("out of memory watching %u baristas", n);
        while (finished < n) {
                struct timespec nap = { 0, 50 * 1000 * 1000 };
                nanosleep(&nap, NULL);
                if (clock_now_ns() >= stop_at)
                        atomic_store_explicit(&barista_stop, true, memory_order_relaxed);
                uint64_t total = 0;
                for (uint32_t i = 0; i < n; i++) {
                        total += atomic_load_explicit(&baristas[i].heartbeat, memory_order_relaxed);
                        if (!done[i] && pthread_tryjoin_np(baristas[i].thread, NULL) == 0)
                                done[i] = true, finished++;
                }
                if (total != last_total) {
                        last_total = total;
                        quiet_since = clock_now_ns();
                        continue;
                }
                if (finished == n || clock_now_ns() - quiet_since < WATCHDOG_SILENCE_NS)
                        continue;
                fprintf(stderr, "espresso-lab: deadlock: no barista has served a drink for %.1f s\n",
                        WATCHDOG_SILENCE_NS / 1e9);
                for (uint32_t i = 0; i < n; i++) {
                        const char *holds = atomic_load_explicit(&baristas[i].holding, memory_order_relaxed);
                        const char *waits = atomic_load_explicit(&baristas[i].waiting_for, memory_order_relaxed);
                        if (done[i])
                                continue;
                        fprintf(stderr, "  barista %u holds %s and waits for %s\n", baristas[i].id,
                                holds ? holds : "nothing", waits ? waits : "nothing");
                }
                fprintf(stderr, "espresso-lab: ending the run: the stuck baristas cannot be freed\n");
                fflush(stdout);
                _exit(1);
        }
        free(done);
}
