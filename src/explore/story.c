/* A controlled run's steps in words (story.h). */
#include "story.h"

#include "symbols.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* What the scenario calls its helper. */
static const char *helper_title(const struct scenario *s)
{
        if (s->helper_serves_orders)
                return "the operator";
        if (s->without_machine)
                return "the manager";
        return "the helper";
}

static void object_name(const struct schedule_trace *t, uint16_t object, char *out, size_t size)
{
        if (object == 0 || object > t->object_count) {
                snprintf(out, size, "a lock");
                return;
        }
        const struct schedule_object *o = &t->objects[object - 1];
        if (symbol_name_at(o->address, out, size))
                return;
        const char *e = o->expression;
        while (*e == '&' || *e == ' ')
                e++;
        snprintf(out, size, "%s", *e ? e : "a lock");
}

/* "barista 2", or the helper's title. */
static void actor_name(const struct story *st, uint32_t id, char *out, size_t size)
{
        if (id >= 1 && id <= SCHEDULE_MAX_BARISTAS && st->lane_names[id][0])
                snprintf(out, size, "%s", st->lane_names[id]);
        else
                snprintf(out, size, "barista %u", id);
}

/* What the shots written so far tell: the count on the machine and who wrote it, and the
 * highest it has reached. */
struct shot_record {
        uint64_t count, highest;
        uint32_t writer;
};

static void describe_lock(const struct story *st, const struct schedule_trace *t,
                          const struct schedule_step *s, const char *name, char *out, size_t size,
                          char *note, size_t note_size)
{
        char holder[24];
        actor_name(st, (uint32_t)s->value, holder, sizeof(holder));
        bool reading = s->point == SCHEDULE_READ_LOCK;

        (void)t;
        switch (s->outcome) {
        case SCHEDULE_WAITS:
                if (s->value == s->barista)
                        snprintf(out, size, "wants %s, which it holds itself: waits for ever", name);
                else if (s->value)
                        snprintf(out, size, "wants %s, which %s holds: waits", name, holder);
                else
                        snprintf(out, size, "wants %s: waits", name);
                break;
        case SCHEDULE_BUSY:
                snprintf(out, size, "tries %s: %s holds it", name, holder);
                break;
        case SCHEDULE_MISUSE:
                snprintf(out, size, "gives back %s, which it does not hold", name);
                snprintf(note, note_size, "a lock given back by a barista who did not hold it");
                break;
        default:
                if (s->point == SCHEDULE_UNLOCK)
                        snprintf(out, size, "gives %s back", name);
                else if (s->point == SCHEDULE_TRY_LOCK)
                        snprintf(out, size, "tries %s: takes it", name);
                else
                        snprintf(out, size, "takes %s%s", name, reading ? " to read" : "");
        }
}

static void describe_atomic(const struct schedule_step *s, const char *name, char *out, size_t size)
{
        switch (s->point) {
        case SCHEDULE_ATOMIC_READ:
                snprintf(out, size, s->outcome == SCHEDULE_WAITS
                                            ? "reads %s = %" PRIu64 ", and waits for it to change"
                                            : "reads %s = %" PRIu64, name, s->value);
                break;
        case SCHEDULE_ATOMIC_WRITE:
                snprintf(out, size, "stores %s = %" PRIu64, name, s->value);
                break;
        default:
                if (s->value == s->value_after)
                        snprintf(out, size, s->outcome == SCHEDULE_WAITS
                                                    ? "finds %s = %" PRIu64 ", and waits for it to change"
                                                    : "finds %s = %" PRIu64 ", leaves it", name, s->value);
                else
                        snprintf(out, size, "swaps %s: %" PRIu64 " -> %" PRIu64, name, s->value,
                                 s->value_after);
        }
}

static void describe(const struct story *st, const struct schedule_trace *t,
                     const struct schedule_step *s, struct shot_record *shots, char *out,
                     size_t size, char *note, size_t note_size)
{
        char name[64], who[24];

        object_name(t, s->object, name, sizeof(name));
        note[0] = '\0';
        switch (s->point) {
        case SCHEDULE_BEGIN:
                snprintf(out, size, "starts its shift");
                break;
        case SCHEDULE_TAKE_ORDER:
                snprintf(out, size, "takes order %" PRIu64, s->value);
                break;
        case SCHEDULE_STEP_UP:
                actor_name(st, (uint32_t)s->value, who, sizeof(who));
                if (s->value) {
                        snprintf(out, size, "steps up to the machine, where %s is", who);
                        snprintf(note, note_size, "two baristas at the machine at once");
                } else {
                        snprintf(out, size, "steps up to the machine");
                }
                break;
        case SCHEDULE_READ_COUNT:
                snprintf(out, size, "reads shots = %" PRIu64, s->value);
                break;
        case SCHEDULE_WRITE_COUNT:
                snprintf(out, size, "writes shots = %" PRIu64, s->value);
                actor_name(st, shots->writer, who, sizeof(who));
                if (shots->writer && s->value <= shots->count)
                        snprintf(note, note_size, "over %s's %" PRIu64 ": a shot is lost",
                                 shots->writer == s->barista ? "its own" : who, shots->count);
                else if (s->value <= shots->highest)
                        snprintf(note, note_size, "shots had reached %" PRIu64 " before: a shot is "
                                 "lost", shots->highest);
                shots->count = s->value;
                shots->writer = s->barista;
                if (s->value > shots->highest)
                        shots->highest = s->value;
                break;
        case SCHEDULE_COUNT_ATOMIC:
                snprintf(out, size, "adds its shot atomically: shots = %" PRIu64, s->value);
                break;
        case SCHEDULE_STEP_DOWN:
                snprintf(out, size, "steps down from the machine");
                break;
        case SCHEDULE_READ_MENU:
                snprintf(out, size, "reads the menu: version %" PRIu64 "%s", s->value,
                         s->outcome == SCHEDULE_TORN ? ", with another version's prices" : "");
                if (s->outcome == SCHEDULE_TORN)
                        snprintf(note, note_size, "a torn menu");
                break;
        case SCHEDULE_WRITE_MENU:
                snprintf(out, size, "writes version %" PRIu64 " on the menu", s->value);
                break;
        case SCHEDULE_WRITE_PRICES:
                snprintf(out, size, "writes version %" PRIu64 "'s prices", s->value);
                break;
        case SCHEDULE_MANAGER_TURN:
                snprintf(out, size, s->value ? "starts change %" PRIu64 " of the menu"
                                             : "waits for the baristas to finish", s->value);
                break;
        case SCHEDULE_SERVE_ORDER:
                actor_name(st, (uint32_t)(s->value >> 32), who, sizeof(who));
                snprintf(out, size, "serves %s's order %" PRIu64, who, s->value & 0xffffffffu);
                break;
        case SCHEDULE_LOCK:
        case SCHEDULE_READ_LOCK:
        case SCHEDULE_TRY_LOCK:
        case SCHEDULE_UNLOCK:
                describe_lock(st, t, s, name, out, size, note, note_size);
                break;
        case SCHEDULE_SEM_WAIT:
                if (s->outcome == SCHEDULE_WAITS)
                        snprintf(out, size, "wants a permit of %s: none left, waits", name);
                else if (s->outcome == SCHEDULE_BUSY)
                        snprintf(out, size, "tries %s: no permit left", name);
                else
                        snprintf(out, size, "takes a permit of %s (%" PRIu64 " left)", name, s->value);
                break;
        case SCHEDULE_SEM_POST:
                snprintf(out, size, "gives a permit back to %s (%" PRIu64 " now)", name, s->value);
                break;
        case SCHEDULE_COND_WAIT:
                snprintf(out, size, s->outcome == SCHEDULE_WAITS ? "waits on %s" : "wakes on %s", name);
                break;
        case SCHEDULE_COND_SIGNAL:
                snprintf(out, size, "signals %s", name);
                break;
        case SCHEDULE_ATOMIC_READ:
        case SCHEDULE_ATOMIC_WRITE:
        case SCHEDULE_ATOMIC_UPDATE:
                describe_atomic(s, name, out, size);
                break;
        case SCHEDULE_YIELD:
                snprintf(out, size, "gives way to the others");
                break;
        case SCHEDULE_RCU_READ_LOCK:
                snprintf(out, size, "enters a read-side section");
                break;
        case SCHEDULE_RCU_READ_UNLOCK:
                snprintf(out, size, "leaves its read-side section");
                break;
        case SCHEDULE_AFTER_SECTION:
                snprintf(out, size, "goes on, outside the section");
                break;
        case SCHEDULE_GRACE_PERIOD:
                snprintf(out, size, s->outcome == SCHEDULE_WAITS
                                            ? "waits for a grace period: readers are inside"
                                            : "passes a grace period: no reader of the old menu is left");
                break;
        case SCHEDULE_END:
                snprintf(out, size, "ends its shift");
                break;
        default:
                snprintf(out, size, "step %u", s->point);
        }
}

/* How the run ended, in words. */
static void describe_ending(struct story *st, const struct controlled_result *r)
{
        const struct schedule_trace *t = &r->trace;
        size_t used = 0;
        char name[64], who[24], holder[24];

        if (r->finding == FINDING_DEADLOCK) {
                used = (size_t)snprintf(st->ending, sizeof(st->ending), "nobody can go on:");
                for (uint32_t i = 0; i < t->waiter_count && used < sizeof(st->ending); i++) {
                        const struct schedule_waiter *w = &t->waiters[i];
                        uint32_t held_by = w->object && w->object <= t->object_count
                                                   ? t->objects[w->object - 1].holder : 0;
                        object_name(t, w->object, name, sizeof(name));
                        actor_name(st, w->barista, who, sizeof(who));
                        actor_name(st, held_by, holder, sizeof(holder));
                        int n = held_by ? snprintf(st->ending + used, sizeof(st->ending) - used,
                                                   "%s %s waits for %s, which %s holds", i ? ";" : "",
                                                   who, name, held_by == w->barista ? "it" : holder)
                                        : snprintf(st->ending + used, sizeof(st->ending) - used,
                                                   "%s %s waits for %s", i ? ";" : "", who,
                                                   w->object ? name : "the others");
                        if (n < 0)
                                break;
                        used += (size_t)n;
                }
                return;
        }
        /* The run died in the turn of the barista that took the last step. */
        if ((r->finding == FINDING_FREED_MEMORY || r->finding == FINDING_HANDED_OVER) && t->count) {
                actor_name(st, t->steps[t->count - 1].barista, who, sizeof(who));
                snprintf(st->ending, sizeof(st->ending), "then %s %s%s%s", who,
                         r->finding == FINDING_FREED_MEMORY ? "uses memory already freed"
                                                            : "touches an order it had handed over",
                         r->crash_where[0] ? " at " : "", r->crash_where);
                return;
        }
        if (r->finding == FINDING_NONE)
                snprintf(st->ending, sizeof(st->ending), "every invariant held");
        else
                snprintf(st->ending, sizeof(st->ending), "%s", r->what);
}

int story_make(const struct scenario *s, const struct controlled_result *r, struct story *st)
{
        const struct schedule_trace *t = &r->trace;
        struct shot_record shots = { 0, 0, 0 };

        memset(st, 0, sizeof(*st));
        st->scenario = s;
        st->finding = r->finding;
        st->lanes = t->baristas;
        for (uint32_t id = 1; id <= t->baristas && id <= SCHEDULE_MAX_BARISTAS; id++)
                snprintf(st->lane_names[id], sizeof(st->lane_names[id]), "%s",
                         id == t->helper ? helper_title(s) : "");
        for (uint32_t id = 1; id <= t->baristas && id <= SCHEDULE_MAX_BARISTAS; id++)
                if (!st->lane_names[id][0])
                        snprintf(st->lane_names[id], sizeof(st->lane_names[id]), "barista %u", id);
        st->lines = calloc(t->count ? t->count : 1, sizeof(*st->lines));
        if (!st->lines)
                return -ENOMEM;
        for (uint64_t i = 0; i < t->count; i++) {
                const struct schedule_step *step = &t->steps[i];
                struct story_line *l = &st->lines[st->count++];
                bool current_could = step->current && (step->runnable >> (step->current - 1) & 1);
                l->step = i + 1;
                l->barista = step->barista;
                l->preempted = current_could && !step->yielded && step->barista != step->current;
                actor_name(st, step->barista, l->actor, sizeof(l->actor));
                describe(st, t, step, &shots, l->action, sizeof(l->action), l->note, sizeof(l->note));
        }
        describe_ending(st, r);
        return 0;
}

void story_free(struct story *st)
{
        free(st->lines);
        st->lines = NULL;
}

void story_print(const struct story *st, FILE *out, bool step_by_step, FILE *in)
{
        char answer[64];

        for (size_t i = 0; i < st->count; i++) {
                const struct story_line *l = &st->lines[i];
                fprintf(out, "%4" PRIu64 "  %-12s %s%s%s\n", l->step, l->actor, l->action,
                        l->note[0] ? "  <- " : "", l->note);
                if (step_by_step) {
                        fflush(out);
                        if (!fgets(answer, sizeof(answer), in) || answer[0] == 'q')
                                return;
                }
        }
        fprintf(out, "      %s\n", st->ending);
}

void *story_json(const struct story *st)
{
        json_t *steps = json_array();

        for (size_t i = 0; steps && i < st->count; i++) {
                const struct story_line *l = &st->lines[i];
                json_array_append_new(steps, json_pack("{s:I, s:i, s:s, s:s, s:s?, s:b}",
                                                       "step", (json_int_t)l->step,
                                                       "barista", (int)l->barista,
                                                       "actor", l->actor, "action", l->action,
                                                       "breaks", l->note[0] ? l->note : NULL,
                                                       "preempted", l->preempted));
        }
        return steps;
}
