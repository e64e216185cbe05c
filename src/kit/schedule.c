/*
 * The controlled schedule's gate (schedule.h): whose turn it is, who could go next, and the
 * steps taken.
 *
 * Exactly one member of the staff holds the turn at a time. It alone reads and writes the state
 * below, and gives the turn away with a release store that the next holder acquires: every
 * change made in one turn is visible in the next. The others sleep on the turn's futex.
 */
#include "schedule.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <unistd.h>

struct controlled {
        uint32_t id;
        bool finished;
        /* It cannot go on until ready(object, since, id) says so; NULL: it can. */
        schedule_ready ready;
        const struct schedule_object *ready_object;
        uint64_t ready_since;
        bool soft;                 /* a spin: released when nobody else can go (see below) */
        uint8_t pending_point;     /* what it waits to do, for a stuck run's description */
        uint16_t pending_object;
        uint64_t last_step;        /* its last step's index + 1; 0 before its first */
        /* The atomic object it last read without changing it, from which line, and that object's
         * writes then: if the same line reads it again before anyone writes it, it is spinning. */
        const struct schedule_object *spin_object;
        unsigned spin_line;
        uint64_t spin_writes;
};

static struct controlled staff[SCHEDULE_MAX_BARISTAS];
static uint32_t staff_count;
static _Thread_local struct controlled *self;
static _Atomic uint32_t turn;   /* the id of the member whose turn it is; 0: nobody's */
static atomic_uint joined;
static struct schedule_strategy strategy;
static struct schedule_trace *trace;
static uint64_t step_limit;
static bool engaged;
/* The choice behind the step about to be taken: who could have been chosen, who reached the
 * point, and whether it was giving way. */
static uint16_t chosen_among;
static uint32_t chosen_after;
static bool chosen_after_yield;
/* Soft waits: a barista that reads the same atomic object again, unchanged, with no write to it
 * in between, is spinning, and waits for a write. A loop may read twice and still move on, so
 * such a wait is soft: when nobody else can go, the spinners are let go once more; if no write
 * has happened since they were last let go, nobody can change what they wait for: stuck. */
static uint64_t writes_total;
static uint64_t writes_at_last_release = UINT64_MAX;

void schedule_take_control(const struct schedule_strategy *chosen, struct schedule_trace *to,
                           uint32_t members, uint64_t limit)
{
        if (members == 0 || members > SCHEDULE_MAX_BARISTAS) {
                fprintf(stderr, "espresso-lab: a controlled run takes 1 to %d baristas and helper\n",
                        SCHEDULE_MAX_BARISTAS);
                abort();
        }
        strategy = *chosen;
        trace = to;
        trace->count = 0;
        trace->object_count = 0;
        trace->waiter_count = 0;
        trace->baristas = members;
        staff_count = members;
        step_limit = limit;
        memset(staff, 0, sizeof(staff));
        writes_total = 0;
        writes_at_last_release = UINT64_MAX;
        schedule_rcu_reset();
        atomic_store(&joined, 0);
        atomic_store(&turn, 0);
        engaged = true;
}

bool schedule_controls_me(void)
{
        return self != NULL;
}

uint32_t schedule_current_barista(void)
{
        return self ? self->id : 0;
}

uint32_t schedule_turn_holder(void)
{
        return atomic_load_explicit(&turn, memory_order_acquire);
}

static void futex_wake_all(_Atomic uint32_t *word)
{
        syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

static void wait_for_turn(uint32_t id)
{
        for (;;) {
                uint32_t now = atomic_load_explicit(&turn, memory_order_acquire);
                if (now == id)
                        return;
                syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, now, NULL, NULL, 0);
        }
}

static void give_turn(uint32_t id)
{
        atomic_store_explicit(&turn, id, memory_order_release);
        futex_wake_all(&turn);
}

static bool can_go(const struct controlled *c)
{
        return !c->finished && (!c->ready || c->ready(c->ready_object, c->ready_since, c->id));
}

/* Every waiting member, with what it waits for, into the trace; then the strategy's stop. */
__attribute__((noreturn)) static void stop_run(enum schedule_stop why)
{
        trace->waiter_count = 0;
        for (uint32_t i = 0; i < staff_count; i++) {
                const struct controlled *c = &staff[i];
                if (c->finished || !c->ready)
                        continue;
                trace->waiters[trace->waiter_count++] = (struct schedule_waiter){
                        .barista = c->id, .point = c->pending_point, .object = c->pending_object };
        }
        strategy.stop(strategy.context, why);
        abort(); /* stop() does not return */
}

/* The runnable members, in id order, into ids; their count. Spinners are let go when nobody else
 * can go and something was written since they were last let go. */
static uint32_t collect_runnable(uint32_t *ids)
{
        uint32_t n = 0;
        bool spinners = false;

        for (uint32_t i = 0; i < staff_count; i++) {
                if (can_go(&staff[i]))
                        ids[n++] = staff[i].id;
                else
                        spinners |= !staff[i].finished && staff[i].soft;
        }
        if (n > 0 || !spinners || writes_total == writes_at_last_release)
                return n;
        writes_at_last_release = writes_total;
        for (uint32_t i = 0; i < staff_count; i++)
                if (!staff[i].finished && staff[i].soft) {
                        staff[i].ready = NULL;
                        ids[n++] = staff[i].id;
                }
        return n;
}

/* Who goes next, chosen by the strategy where there is a choice. 0 when everyone is done. */
static uint32_t choose_next(uint32_t current, bool yielded)
{
        uint32_t ids[SCHEDULE_MAX_BARISTAS];
        uint32_t n = collect_runnable(ids);
        bool current_runnable = false;

        if (n == 0) {
                for (uint32_t i = 0; i < staff_count; i++)
                        if (!staff[i].finished)
                                stop_run(SCHEDULE_STUCK);
                return 0;
        }
        chosen_among = 0;
        chosen_after = current;
        chosen_after_yield = yielded;
        for (uint32_t i = 0; i < n; i++) {
                chosen_among |= (uint16_t)(1u << (ids[i] - 1));
                current_runnable |= ids[i] == current;
        }
        if (n == 1)
                return ids[0];
        struct schedule_choice choice = { ids, n, current, current_runnable, yielded, trace->count };
        uint32_t chosen = strategy.choose(strategy.context, &choice);
        for (uint32_t i = 0; i < n; i++)
                if (ids[i] == chosen)
                        return chosen;
        fprintf(stderr, "espresso-lab: the schedule chose barista %u, who cannot go\n", chosen);
        abort();
}

/* A step's number for the object: its index in the trace + 1, 0 for none. */
static uint16_t object_number(const struct schedule_object *object)
{
        return object ? (uint16_t)(object - trace->objects + 1) : 0;
}

/* The calling member gives the others their chance: it waits (until ready says it may go on, if
 * ready is given) and is chosen again. */
static void take_turn(struct controlled *me, enum schedule_point point,
                      const struct schedule_object *object, schedule_ready ready, uint64_t since,
                      bool soft, bool yielded)
{
        if (trace->count >= step_limit)
                stop_run(SCHEDULE_STEP_LIMIT);
        me->ready = ready;
        me->ready_object = object;
        me->ready_since = since;
        me->soft = soft;
        me->pending_point = (uint8_t)point;
        me->pending_object = object_number(object);
        uint32_t next = choose_next(me->id, yielded);
        if (next != me->id) {
                give_turn(next);
                wait_for_turn(me->id);
        }
        me->ready = NULL;
        me->soft = false;
        /* Anything but another atomic access or a yield means it is not merely spinning. */
        if (point < SCHEDULE_ATOMIC_READ || point > SCHEDULE_YIELD)
                me->spin_object = NULL;
}

static void record_step(struct controlled *me, enum schedule_point point, uint16_t object,
                        unsigned line, uint64_t value)
{
        uint64_t i = trace->count++;

        if (i < trace->capacity)
                trace->steps[i] = (struct schedule_step){ .barista = (uint8_t)me->id,
                                                          .point = (uint8_t)point,
                                                          .object = object,
                                                          .current = (uint8_t)chosen_after,
                                                          .runnable = chosen_among,
                                                          .line = (uint16_t)(line < 65536 ? line : 0),
                                                          .yielded = chosen_after_yield,
                                                          .value = value };
        me->last_step = i + 1;
}

void schedule_thread_begin(uint32_t barista, bool helper)
{
        if (!engaged)
                return;
        struct controlled *me = &staff[barista - 1];
        me->id = barista;
        self = me;
        if (helper)
                trace->helper = barista;
        /* The last to join makes the first choice; everyone else waits to be chosen. */
        if (atomic_fetch_add_explicit(&joined, 1, memory_order_acq_rel) + 1 < staff_count) {
                wait_for_turn(barista);
        } else {
                uint32_t first = choose_next(0, false);
                give_turn(first); /* even to itself: whose turn it is must always be known */
                if (first != barista)
                        wait_for_turn(barista);
        }
        record_step(me, SCHEDULE_BEGIN, 0, 0, 0);
}

void schedule_thread_end(void)
{
        struct controlled *me = self;

        if (!me)
                return;
        take_turn(me, SCHEDULE_END, NULL, NULL, 0, false, false);
        record_step(me, SCHEDULE_END, 0, 0, 0);
        me->finished = true;
        self = NULL;
        give_turn(choose_next(me->id, false));
}

struct schedule_object *schedule_object_at(const void *address, const char *expression)
{
        if (!self)
                return NULL;
        for (uint32_t i = 0; i < trace->object_count; i++)
                if (trace->objects[i].address == (uintptr_t)address)
                        return &trace->objects[i];
        if (trace->object_count == SCHEDULE_MAX_OBJECTS)
                stop_run(SCHEDULE_TOO_MANY_OBJECTS);
        struct schedule_object *o = &trace->objects[trace->object_count++];
        *o = (struct schedule_object){ .address = (uintptr_t)address };
        snprintf(o->expression, sizeof(o->expression), "%s", expression ? expression : "");
        return o;
}

void schedule_point_when(enum schedule_point point, struct schedule_object *object, unsigned line,
                         schedule_ready ready, uint64_t since, bool soft)
{
        struct controlled *me = self;

        if (!me)
                return;
        take_turn(me, point, object, ready, since, soft, point == SCHEDULE_YIELD);
        record_step(me, point, object_number(object), line, 0);
}

void schedule_point_on(enum schedule_point point, const void *address, const char *expression,
                       unsigned line)
{
        schedule_point_when(point, schedule_object_at(address, expression), line, NULL, 0, false);
}

void schedule_point(enum schedule_point point, uint64_t value)
{
        struct controlled *me = self;

        if (!me)
                return;
        take_turn(me, point, NULL, NULL, 0, false, point == SCHEDULE_YIELD);
        record_step(me, point, 0, 0, value);
}

static struct schedule_step *last_step_of(const struct controlled *me)
{
        if (!me || me->last_step == 0 || me->last_step > trace->capacity)
                return NULL;
        return &trace->steps[me->last_step - 1];
}

void schedule_outcome(uint64_t value, enum schedule_outcome outcome)
{
        struct schedule_step *s = last_step_of(self);

        if (s) {
                s->value = value;
                s->outcome = (uint8_t)outcome;
        }
}

void schedule_outcome_update(uint64_t before, uint64_t after)
{
        struct schedule_step *s = last_step_of(self);

        if (s) {
                s->value = before;
                s->value_after = after;
        }
}

void schedule_mark_previous_waits(void)
{
        struct schedule_step *s = last_step_of(self);

        if (s)
                s->outcome = SCHEDULE_WAITS;
}

void schedule_object_written(struct schedule_object *object)
{
        object->writes++;
        writes_total++;
}

bool schedule_written_since(const struct schedule_object *object, uint64_t since, uint32_t barista)
{
        (void)barista;
        return object->writes != since;
}

bool schedule_spinning_on(const struct schedule_object *object, unsigned line)
{
        return self && self->spin_object == object && self->spin_line == line &&
               object->writes == self->spin_writes;
}

void schedule_spin_on(const struct schedule_object *object, unsigned line)
{
        if (self) {
                self->spin_object = object;
                self->spin_line = line;
                self->spin_writes = object ? object->writes : 0;
        }
}

bool schedule_member_done(uint32_t barista)
{
        return barista == 0 || barista > staff_count || staff[barista - 1].finished;
}

uint32_t schedule_members(void)
{
        return staff_count;
}

uint32_t schedule_helper(void)
{
        return trace ? trace->helper : 0;
}

void schedule_stop_misused(void)
{
        stop_run(SCHEDULE_MISUSED);
}
