/*
 * The controlled schedule: one barista at a time, and at every scheduling point a strategy
 * chooses who goes next (espresso-lab-controlled: explore and replay).
 *
 * A scheduling point comes before each action a barista takes through the kit (taking an order,
 * stepping up to the machine, reading and writing its count, reading the menu) and before each
 * synchronization call a scenario makes (a mutex, a semaphore, a C11 atomic, an RCU read-side
 * section: variant_controlled.h maps them here). Between two points a barista runs alone, so
 * the run is the same every time the same choices are made, on any machine, even on one CPU.
 *
 * Every choice is followed by exactly one action of the barista chosen, and each action is
 * recorded as a step in the trace: who, what, on which object, with what value. The schedule
 * is therefore the sequence of the steps' baristas, nothing more.
 *
 * A barista waiting for something (a mutex another holds, a semaphore at zero, a write to the
 * flag it spins on, a grace period) is not runnable until it could go on; when nobody is
 * runnable and somebody still waits, the run is stuck, and the strategy's stop() is called with
 * who holds and waits for what. Synchronization the scheduler cannot see (inline assembly that
 * spins, a library that sleeps) never reaches a point: the harness's watchdog ends such a run.
 *
 * Only the controlled build calls these (variant.h); its other commands run as any lab does,
 * until schedule_take_control() is called.
 */
#ifndef ESPRESSO_SCHEDULE_H
#define ESPRESSO_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a step is: the action that follows a scheduling point. */
enum schedule_point {
        SCHEDULE_BEGIN,          /* the barista starts its shift */
        SCHEDULE_TAKE_ORDER,     /* value: the order's number */
        SCHEDULE_STEP_UP,        /* value: who was at the machine (0: nobody) */
        SCHEDULE_READ_COUNT,     /* value: the shots it read */
        SCHEDULE_WRITE_COUNT,    /* value: the shots it wrote back */
        SCHEDULE_COUNT_ATOMIC,   /* value: the shots after its atomic increment */
        SCHEDULE_STEP_DOWN,
        SCHEDULE_READ_MENU,      /* value: the version read; torn when its prices were not */
        SCHEDULE_WRITE_MENU,     /* value: the version the manager writes (number first) */
        SCHEDULE_WRITE_PRICES,   /* value: the version whose prices it writes */
        SCHEDULE_MANAGER_TURN,   /* the manager's next change is due */
        SCHEDULE_SERVE_ORDER,    /* value: (barista << 32) | number of the order served */
        SCHEDULE_LOCK,           /* a mutex, spinlock, writer lock or ck lock */
        SCHEDULE_READ_LOCK,      /* a reader lock */
        SCHEDULE_TRY_LOCK,       /* outcome: taken, or busy */
        SCHEDULE_UNLOCK,
        SCHEDULE_SEM_WAIT,       /* value: the count after */
        SCHEDULE_SEM_POST,       /* value: the count after */
        SCHEDULE_COND_WAIT,
        SCHEDULE_COND_SIGNAL,    /* value: waiters woken */
        SCHEDULE_ATOMIC_READ,    /* value: what it read */
        SCHEDULE_ATOMIC_WRITE,   /* value: what it wrote */
        SCHEDULE_ATOMIC_UPDATE,  /* a read-modify-write; value: what it read, value_after */
        SCHEDULE_YIELD,          /* cpu_relax(), sched_yield(), a sleep: lets others go */
        SCHEDULE_RCU_READ_LOCK,
        SCHEDULE_RCU_READ_UNLOCK,
        SCHEDULE_AFTER_SECTION,  /* it goes on, outside the read-side section it left */
        SCHEDULE_GRACE_PERIOD,   /* synchronize_rcu(): waits for the readers inside before it */
        SCHEDULE_END,            /* its shift is over */
};
#define SCHEDULE_POINT_COUNT (SCHEDULE_END + 1)

/* How a step came out. */
enum schedule_outcome {
        SCHEDULE_DONE,       /* it did what it set out to */
        SCHEDULE_WAITS,      /* it cannot go on: it waits (the next step of its is the retry) */
        SCHEDULE_BUSY,       /* a try that failed */
        SCHEDULE_TORN,       /* a menu read that mixed two versions */
        SCHEDULE_MISUSE,     /* unlocking what it does not hold */
};

/* One step of the trace. */
struct schedule_step {
        uint8_t barista;        /* who: 1..baristas, baristas + 1 for the helper */
        uint8_t point;          /* enum schedule_point */
        uint8_t outcome;        /* enum schedule_outcome */
        uint8_t current;        /* who reached the point where this step was chosen (0 at the
                                 * start): it may have been waiting, or done, by then */
        uint16_t object;        /* index into the trace's objects + 1; 0 for none */
        uint16_t runnable;      /* bit b - 1 set: barista b could have been chosen here */
        uint16_t line;          /* the scenario's line of the call, when known; else 0 */
        uint16_t yielded;       /* current was giving way (a yield) when this step was chosen */
        uint64_t value;         /* see enum schedule_point */
        uint64_t value_after;   /* an atomic update's result */
};

/* A synchronization object the scenario used: how it wrote it, and what the model knows of it. */
struct schedule_object {
        uintptr_t address;
        char expression[40];    /* the call's argument as written ("&machine_lock"), or "" */
        uint32_t holder;        /* the barista holding it (a lock), 0 for none */
        uint32_t readers;       /* a reader-writer lock's readers */
        int64_t count;          /* a semaphore's count; a recursive mutex's depth */
        bool counted;           /* count is known (the semaphore was initialized here) */
        uint64_t writes;        /* writes seen: atomic stores that changed it, unlocks, posts */
};

#define SCHEDULE_MAX_BARISTAS 16 /* baristas and helper: the runnable mask's width */
#define SCHEDULE_MAX_OBJECTS 1024 /* a run that uses more is not judged (it stops) */

/* Why a controlled run could not go on. */
enum schedule_stop {
        SCHEDULE_STUCK,       /* nobody is runnable, and somebody waits: a deadlock */
        SCHEDULE_STEP_LIMIT,  /* it took more steps than allowed: a livelock, or a long run */
        SCHEDULE_MISUSED,     /* a lock given back by someone who did not hold it */
        SCHEDULE_TOO_MANY_OBJECTS, /* more synchronization objects than the model keeps */
};

/* What a stuck barista is waiting for, for the stop's description. */
struct schedule_waiter {
        uint32_t barista;
        uint8_t point;      /* what it was doing: SCHEDULE_LOCK, SCHEDULE_ATOMIC_READ... */
        uint16_t object;    /* as in a step: the object's holder is in the trace's objects */
};

/* Where the steps go: memory the explorer provides (shared with the process that explores). */
struct schedule_trace {
        struct schedule_step *steps;
        uint64_t capacity;      /* steps that fit */
        uint64_t count;         /* steps taken; only the first `capacity` are kept */
        struct schedule_object objects[SCHEDULE_MAX_OBJECTS];
        uint32_t object_count;
        uint32_t baristas;      /* taking part: baristas and helper */
        uint32_t helper;        /* the helper's id, 0 when there is none */
        uint32_t waiter_count;  /* filled in before a stop */
        struct schedule_waiter waiters[SCHEDULE_MAX_BARISTAS];
};

/* Who goes next: one of runnable[0..count), count >= 2, in id order. `current` reached the point
 * (0 at the start); `current_runnable`: it could go on; `yielded`: it asked the others to go
 * first. */
struct schedule_choice {
        const uint32_t *runnable;
        uint32_t count;
        uint32_t current;
        bool current_runnable;
        bool yielded;
        uint64_t step;          /* the number of the step about to be taken, from 0 */
};

/* The strategy: filled in by the explorer. choose() is called only with a real choice (two or
 * more runnable); stop() when the run cannot go on, and must not return (it ends the process). */
struct schedule_strategy {
        uint32_t (*choose)(void *context, const struct schedule_choice *choice);
        __attribute__((noreturn)) void (*stop)(void *context, enum schedule_stop why);
        void *context;
};

/* From the next run on, its baristas and helper are scheduled: `staff` of them take part, and
 * no run may take more than step_limit steps. */
void schedule_take_control(const struct schedule_strategy *strategy, struct schedule_trace *trace,
                           uint32_t staff, uint64_t step_limit);

/* Whether the calling thread is one the schedule controls. */
bool schedule_controls_me(void);

/* The harness, around each member of the staff's shift: the thread joins the schedule (it waits
 * until every member has joined and it is chosen) and leaves it. */
void schedule_thread_begin(uint32_t barista, bool helper);
void schedule_thread_end(void);

/* A scheduling point before an action (value as the point says, when known before). */
void schedule_point(enum schedule_point point, uint64_t value);
/* The same, on a synchronization object named as the scenario wrote it, from its line. */
void schedule_point_on(enum schedule_point point, const void *address, const char *expression,
                       unsigned line);
/* After the action: what it found. Fills in the step just taken. */
void schedule_outcome(uint64_t value, enum schedule_outcome outcome);
void schedule_outcome_update(uint64_t before, uint64_t after);

/* Every barista's shift is over (the helper's turn to finish). */
bool schedule_baristas_done(void);
/* The helper has nothing to do until then: it waits for it. */
void schedule_wait_for_baristas(void);

/*
 * For the modelled synchronization (schedule_sync.c, and RCU here).
 */

/* The object at address, found or added, with the expression that names it; NULL for a thread
 * the schedule does not control. */
struct schedule_object *schedule_object_at(const void *address, const char *expression);

/* A scheduling point at which the calling barista cannot go on until ready(object, since,
 * barista) says so (NULL: it can). A soft wait is a spin: see schedule.c. */
typedef bool (*schedule_ready)(const struct schedule_object *object, uint64_t since,
                               uint32_t barista);
void schedule_point_when(enum schedule_point point, struct schedule_object *object, unsigned line,
                         schedule_ready ready, uint64_t since, bool soft);

/* The calling barista's previous step: it is now waiting, after all. */
void schedule_mark_previous_waits(void);

/* The object was written (an atomic store that changed it, an unlock, a post, a signal): who
 * waits for a write to it may go on. As a ready predicate: written since `since` writes. */
void schedule_object_written(struct schedule_object *object);
bool schedule_written_since(const struct schedule_object *object, uint64_t since, uint32_t barista);

/* Spinning: the calling barista read object from a line without changing it (schedule_spin_on),
 * and the same line reads it again with nobody having written it since (schedule_spinning_on):
 * a loop that cannot end until someone writes. Two reads from different lines are not a spin (a
 * test-and-test-and-set lock looks, then looks again before it swaps). NULL: not spinning. */
void schedule_spin_on(const struct schedule_object *object, unsigned line);
bool schedule_spinning_on(const struct schedule_object *object, unsigned line);

/* A lock given back by a barista that does not hold it: the run cannot go on meaningfully. */
__attribute__((noreturn)) void schedule_stop_misused(void);

/* RCU's read side, told by the calling barista after the step; and a grace period, after its
 * step (from the scenario's line): waits until every barista that was inside a section when it
 * began has left it (schedule_members.c). */
void schedule_rcu_read_lock(void);
void schedule_rcu_read_unlock(void);
void schedule_rcu_grace_period(unsigned line);
/* A new run: nobody is reading. */
void schedule_rcu_reset(void);

/* The members taking part (baristas and helper, ids 1..this), whether one's shift is over, and
 * the helper's id (0: none). */
uint32_t schedule_members(void);
bool schedule_member_done(uint32_t barista);
uint32_t schedule_helper(void);

/* The calling barista's id, 0 for a thread the schedule does not control. */
uint32_t schedule_current_barista(void);

/* Whose turn it is now (any thread may ask): 0 before the first choice and after the last. */
uint32_t schedule_turn_holder(void);

#endif
