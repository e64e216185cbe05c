/*
 * mutex — one pthread mutex guards the espresso machine.
 *
 * A barista locks before pulling a shot and unlocks after: at most one barista is at the machine,
 * and every shot is counted. Unlocking releases what the holder wrote and the next lock acquires
 * it, so each "shots++" happens after the previous one (and ThreadSanitizer sees exactly that).
 */
#include "scenario.h"

#include <pthread.h>

static pthread_mutex_t machine_lock = PTHREAD_MUTEX_INITIALIZER;

static void mutex_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                /* Try first only to learn whether we had to wait; then queue like everyone. */
                if (pthread_mutex_trylock(&machine_lock) != 0) {
                        barista_note_contended(b);
                        pthread_mutex_lock(&machine_lock);
                }
                machine_pull_shot(b);
                pthread_mutex_unlock(&machine_lock);
                barista_serve_drink(b);
        }
}

SCENARIO(mutex_scenario,
         .name = "mutex",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A pthread mutex around the machine (the fix)",
         .lesson = "One barista at the machine at a time: no lost shots, no collisions, nothing "
                   "for ThreadSanitizer to report. The cost shows under contention: baristas "
                   "queue (wait_ns), and a contended glibc mutex parks them in the kernel "
                   "(context switches per drink).",
         .tells_contention = true,
         .shot_is_the_critical_section = true,
         .twins = { "unsync" },
         .barista = mutex_barista);
