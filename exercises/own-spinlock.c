/*
 * own-spinlock — exercise: a spinlock of your own, in C11 atomics.
 *
 * As handed out, the lock below lets everyone in: it takes nothing and gives nothing back, so
 * baristas collide at the machine and lose shots. Write a spinlock with <stdatomic.h>: waiters
 * spin until the machine is free. The lab checks the lock like any other (TSan, lost shots,
 * collisions, hangs), and reads your object's symbols: no pthread, C11 threads (mtx_), semaphore
 * or Concurrency Kit lock may be called.
 *
 * Check it: espresso-lab check --exercise own-spinlock own-spinlock.c
 * Stuck? espresso-lab exercise hint own-spinlock
 */
#include "lock_scenario.h"

#include "cpu.h"

#include <stdatomic.h>

/* YOUR CODE: the lock's state, shared by every barista (static, outside the functions), and the
 * three functions below. LOCK_SCENARIO runs each barista's loop with them:
 *
 *      if (!machine_lock_if_free(b)) { barista_note_contended(b); machine_lock(b); }
 *      machine_pull_shot(b);
 *      machine_unlock(b);
 *
 * So after either lock function returns "mine", no other barista may be at the machine until
 * machine_unlock(), and the next holder must see the last holder's shot (ThreadSanitizer checks
 * the memory orders you choose). Spin with cpu_relax() in the loop while you wait. */

/* Takes the lock if nobody holds it (true), else leaves it alone (false): never waits. */
static bool machine_lock_if_free(struct barista *b)
{
        (void)b;
        return true; /* for now: "it's free", whoever is at the machine */
}

/* Waits until the lock is free, and takes it. */
static void machine_lock(struct barista *b)
{
        (void)b;
}

/* Gives the lock back. */
static void machine_unlock(struct barista *b)
{
        (void)b;
}

LOCK_SCENARIO(my_own_spinlock_scenario,
              .name = "my-own-spinlock",
              .spinlock = true,
              .summary = "My spinlock in C11 atomics",
              .lesson = "A lock built from C11 atomics: taking it hands the machine, and the last "
                        "holder's shot, from one barista to the next. Waiters spin on their core "
                        "instead of sleeping: cheap while every barista has a core, costly with "
                        "more baristas than cores.");
