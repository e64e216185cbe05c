/*
 * forgetful — a ck ticket lock, annotated for ThreadSanitizer like spin-ck-ticket, and baristas
 * who skip it on their first order and every 1000th after.
 *
 * The proof that the annotations do not hide real races: they tell TSan what the lock orders,
 * and a shot pulled without the lock is ordered by nothing, so TSan reports it. Every barista
 * forgets its very first order, before it has ever taken the lock: nothing orders that shot with
 * any other barista's, whatever the schedule, so the report comes in every run.
 */
#include "ck_lock_scenario.h"

#define FORGETS_EVERY 1000 /* orders */

/* spin-ck-ticket's lock, annotated the same way. */
CK_LOCK_FUNCTIONS(ck_spinlock_ticket_t, CK_SPINLOCK_TICKET_INITIALIZER, ck_spinlock_ticket_lock,
                  ck_spinlock_ticket_unlock, ck_spinlock_ticket_trylock)

static void forgetful_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                if (b->orders_taken % FORGETS_EVERY == 1) {
                        /* In a hurry: straight to the machine (in slow motion, lingering). */
                        if (b->slow_motion)
                                machine_pull_shot_in_slow_motion(b);
                        else
                                machine_pull_shot(b); /* the bug: without the lock */
                        barista_serve_drink(b);
                        continue;
                }
                if (!machine_lock_if_free(b)) {
                        barista_note_contended(b);
                        machine_lock(b);
                }
                machine_pull_shot(b);
                machine_unlock(b);
                barista_serve_drink(b);
        }
}

SCENARIO(forgetful_scenario,
         .name = "forgetful",
         .spinlock = true,
         .fair = true,
         .family = FAMILY_LOCK,
         .expect = VERDICT_RACE,
         .negative_control = true,
         .summary = "A ck ticket lock, skipped on the first order and every 1000th",
         .lesson = "One shot in a thousand without the lock is enough: TSan reports the race in "
                   "every run, annotations or not, because nothing orders that shot with the "
                   "others. Collisions show it natively too. The fix: never skip the lock.",
         .tells_contention = true,
         .twins = { "spin-ck-ticket" },
         .setup = machine_spinlock_setup,
         .barista = forgetful_barista);
