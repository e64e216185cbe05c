/*
 * forgetful — a ck ticket lock, annotated for ThreadSanitizer like spin-ck-ticket, and baristas
 * who skip it on their first order and every 1000th after.
 *
 * The proof that the annotations do not hide real races: they tell TSan what the lock orders,
 * and a shot pulled without the lock is ordered by nothing, so TSan reports it. Every barista
 * forgets its very first order, before it has ever taken the lock: nothing orders that shot with
 * any other barista's, whatever the schedule, so the report comes in every run.
 */
#include "lock_scenario.h"

#include <ck_spinlock.h>

#define FORGETS_EVERY 1000 /* orders */

static ck_spinlock_ticket_t machine_spinlock = CK_SPINLOCK_TICKET_INITIALIZER;

static void forgetful_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                if (b->orders_taken % FORGETS_EVERY == 1) {
                        /* In a hurry: straight to the machine (in slow motion, lingering). */
                        if (b->slow_motion)
                                machine_pull_shot_in_slow_motion(b);
                        else
                                machine_pull_shot(b);
                        barista_serve_drink(b);
                        continue;
                }
                tsan_before_trylock(&machine_spinlock);
                bool taken = ck_spinlock_ticket_trylock(&machine_spinlock);
                tsan_after_trylock(&machine_spinlock, taken);
                if (!taken) {
                        barista_note_contended(b);
                        tsan_before_lock(&machine_spinlock);
                        ck_spinlock_ticket_lock(&machine_spinlock);
                        tsan_after_lock(&machine_spinlock);
                }
                machine_pull_shot(b);
                tsan_before_unlock(&machine_spinlock);
                ck_spinlock_ticket_unlock(&machine_spinlock);
                tsan_after_unlock(&machine_spinlock);
                barista_serve_drink(b);
        }
}

SCENARIO(forgetful_scenario,
         .name = "forgetful",
         .fair = true,
         .family = "lock",
         .expect = VERDICT_RACE,
         .summary = "A ck ticket lock, skipped on the first order and every 1000th",
         .lesson = "One shot in a thousand without the lock is enough: TSan reports the race in "
                   "every run, annotations or not, because nothing orders that shot with the "
                   "others. Collisions show it natively too. The fix: never skip the lock.",
         .tells_contention = true,
         .twins = { "spin-ck-ticket" },
         .barista = forgetful_barista);
