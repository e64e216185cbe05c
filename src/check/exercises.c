/* The exercises (exercises.h): the starter files are exercises/<name>.c. */
#include "exercises.h"

#include <string.h>

/* Fair means first come, first served. Whether a test-and-set lock hands the machine back to the
 * barista who just released it depends on the hardware (in 20000 orders at 2 baristas, one
 * machine saw 208 to 3035 overtaken, another 14, as few as a ticket lock), so the check makes the
 * moment itself: the timeline holds barista 1 still while it waits (--hold-waiter, kit/
 * waiter_hold.h) and sees whether barista 2 gets the machine on a later order. On the 2-core lab
 * machine, 400 orders of 100 us shots held barista 1 20 times in every run, on two CPUs or one,
 * quiet or loaded: spin-ck-ticket, -mcs, -clh and -anderson were never overtaken; spin-c11-tas,
 * -ttas and spin-pthread in every hold (README "Exercises"). */
#define FAIR_BARISTAS 2
#define FAIR_ORDERS 400
#define FAIR_SHOT_NS 100000
/* Reads per second at READ_BARISTAS, at least this share of menu-rcu's at the same settings.
 * Measured on the 2-core lab machine, 8 runs each of 0.5 s at 2 baristas: menu-rcu 1.2e8 to
 * 1.75e8 reads/s, menu-rwlock 2.3e7 to 3.3e7 (at most 27% of the slowest menu-rcu), menu-mutex
 * 1.3e7 to 1.8e7. Readers that write a shared lock word do not scale; RCU and a seqlock, whose
 * readers write nothing shared, do. */
#define READ_BARISTAS 2
#define READ_SHARE 0.4

const struct exercise exercises[] = {
        { .name = "guard-the-machine",
          .task = "one barista at a time at the machine, with a pthread mutex",
          .reference = "mutex",
          .hints = { "What must not happen between reading the shot counter and writing it back?",
                     "Every barista must take the same lock before machine_pull_shot() and give it "
                     "back after.",
                     "A pthread_mutex_t defined once, outside the barista function; lock it just "
                     "before the shot, unlock it just after, in every barista." } },
        { .name = "own-spinlock",
          .task = "a spinlock of your own in C11 atomics: no pthread, C11 or semaphore lock",
          .reference = "spin-c11-ttas",
          .goals = GOAL_NO_LOCK_CALLS,
          .hints = { "Taking the lock must be one atomic step that both tests and sets.",
                     "atomic_exchange (or atomic_flag_test_and_set) returns what was there: the "
                     "lock is yours if it was free. Which memory order makes the last holder's "
                     "shot visible to you?",
                     "Exchange with memory_order_acquire until it returns false; release with a "
                     "store of false, memory_order_release. Spin on a plain load in between." } },
        { .name = "fair-lock",
          .task = "a first-come, first-served spinlock: no barista starves",
          .reference = "spin-ck-ticket",
          .goals = GOAL_NO_LOCK_CALLS | GOAL_FAIR,
          .goal_baristas = FAIR_BARISTAS,
          .goal_orders = FAIR_ORDERS,
          .goal_shot_ns = FAIR_SHOT_NS,
          .hints = { "In a test-and-set lock whoever happens to try at the right moment wins. How "
                     "does a bakery decide whose turn it is?",
                     "Give every arriving barista a number, and serve the numbers in order.",
                     "Two atomic counters: take a ticket with atomic_fetch_add on one, wait until "
                     "the other shows it (acquire); unlock by adding one to the second (release)." } },
        { .name = "grinder-and-machine",
          .task = "every barista needs the grinder and the machine: make a deadlock impossible",
          .reference = "deadlock-ordered",
          .hints = { "A deadlock needs a circle: each barista holds what the next one waits for.",
                     "The circle needs baristas taking the two locks in different orders.",
                     "Pick one order (say, the grinder first) and take the locks in it in every "
                     "barista, whatever its number." } },
        { .name = "read-mostly-menu",
          .task = "a menu whose reads scale while the manager changes it, never torn",
          .reference = "menu-rcu",
          .goals = GOAL_READS_SCALE,
          .goal_baristas = READ_BARISTAS,
          .min_read_share = READ_SHARE,
          .hints = { "Readers do not change the menu: do they need to exclude each other?",
                     "A reader-writer lock lets readers in together, but each one still writes the "
                     "lock's counter, whose cache line then bounces between cores. RCU lets readers "
                     "in without writing anything shared at all.",
                     "With liburcu: readers between urcu_memb_read_lock() and _unlock() pick up the "
                     "menu with rcu_dereference(); the manager builds a new menu, publishes it with "
                     "rcu_xchg_pointer(), waits with urcu_memb_synchronize_rcu(), then frees the old." } },
        { .name = "order-queue",
          .task = "a bounded order queue: every order reaches the operator exactly once",
          .reference = "queue-mutex",
          .hints = { "Two baristas putting orders at once: can they pick the same slot?",
                     "The slot's index and the count of orders must change together, for putting "
                     "and for taking.",
                     "One mutex around every put and every take; a barista finding the queue full "
                     "(or the operator finding it empty) lets go of the lock and tries again." } },
};

const size_t exercise_count = sizeof(exercises) / sizeof(exercises[0]);

const struct exercise *exercise_named(const char *name)
{
        for (size_t i = 0; i < exercise_count; i++)
                if (strcmp(exercises[i].name, name) == 0)
                        return &exercises[i];
        return NULL;
}

bool exercise_forbids_symbol(const char *symbol)
{
        static const char *const locks[] = { "pthread_mutex_", "pthread_spin_", "pthread_rwlock_",
                                             "pthread_cond_", "sem_", "mtx_", "cnd_", "ck_" };
        for (size_t i = 0; i < sizeof(locks) / sizeof(locks[0]); i++)
                if (strncmp(symbol, locks[i], strlen(locks[i])) == 0)
                        return true;
        return false;
}
