/*
 * check-expect: verdict=failed hint=publication
 * expect: race (for detectors: what the file is, by the race-check vocabulary)
 * The student writes a test-and-set spinlock, with memory_order_relaxed on the exchange that
 * takes it and on the store that gives it back ("relaxed is fastest"). Mutual exclusion holds
 * (on x86 nothing goes wrong natively), but nothing orders one holder's shot before the next:
 * the C11 model, and TSan, see the shots unordered.
 */
#include "scenario.h"

#include "cpu.h"

#include <stdatomic.h>

static atomic_bool machine_taken;

static void relaxed_barista(struct barista *b)
{
        while (barista_take_order(b)) {
                while (atomic_exchange_explicit(&machine_taken, true, memory_order_relaxed))
                        cpu_relax();
                machine_pull_shot(b);
                atomic_store_explicit(&machine_taken, false, memory_order_relaxed);
                barista_serve_drink(b);
        }
}

SCENARIO(relaxed_scenario,
         .name = "student-relaxed-spinlock",
         .family = FAMILY_LOCK,
         .expect = VERDICT_CLEAN,
         .summary = "A test-and-set spinlock with relaxed memory orders",
         .lesson = "The student believes an atomic exchange is a lock, whatever its memory order.",
         .spinlock = true,
         .barista = relaxed_barista);
