/*
 * spin-ck-ticket — Concurrency Kit's ticket spinlock guards the espresso machine.
 *
 * ck's inline assembly is invisible to ThreadSanitizer: the lock's edges are annotated
 * (ck_lock_scenario.h, variant.h).
 */
#include "ck_lock_scenario.h"

CK_LOCK_SCENARIO(spin_ck_ticket_scenario, ck_spinlock_ticket_t, CK_SPINLOCK_TICKET_INITIALIZER,
                 ck_spinlock_ticket_lock, ck_spinlock_ticket_unlock, ck_spinlock_ticket_trylock,
                 .name = "spin-ck-ticket",
                 .spinlock = true,
                 .fair = true,
                 .summary = "Concurrency Kit's ticket spinlock: first come, first served",
                 .twins = { "forgetful" },
                 .lesson = "Each barista takes a numbered ticket and waits for its number: "
                           "strictly first come, first served, so fairness is near 1. The price: "
                           "when the next ticket holder is preempted, everyone behind it waits "
                           "too.");
