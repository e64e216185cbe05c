/*
 * A scenario's C11 atomics in a controlled run (variant_atomics.h maps them here): each operation
 * is a scheduling point, and what it did is a step. A barista that reads the same object again
 * from the same line, unchanged and unwritten since, is spinning: it waits for a write.
 */
#include "schedule.h"
#include "variant_controlled.h"

#ifdef ESPRESSO_CONTROLLED_BUILD
#include <string.h>

/* The bytes of an atomic object: all of them, for a lock-free one (at most 16). */
static struct controlled_bytes atomic_bytes(const volatile void *object, size_t size)
{
        struct controlled_bytes b = { { 0 } };

        memcpy(b.bytes, (const void *)object, size < sizeof(b.bytes) ? size : sizeof(b.bytes));
        return b;
}

/* Its value for a step: the first 8 bytes. */
static uint64_t value_of(struct controlled_bytes b)
{
        uint64_t v;

        memcpy(&v, b.bytes, sizeof(v));
        return v;
}

struct controlled_bytes controlled_atomic_before(const volatile void *object, size_t size,
                                                 enum schedule_point point, const char *expression,
                                                 unsigned line)
{
        struct schedule_object *o = schedule_object_at((const void *)object, expression);

        if (!o)
                return (struct controlled_bytes){ { 0 } }; /* not a controlled thread: unused */
        /* Reading again, from the same line, what it read last, unchanged and unwritten since:
         * a spin. It waits for a write, softly (schedule.c), and the read it is repeating is
         * marked as the start of its wait. */
        if (point != SCHEDULE_ATOMIC_WRITE && schedule_spinning_on(o, line)) {
                schedule_mark_previous_waits();
                schedule_point_when(point, o, line, schedule_written_since, o->writes, true);
        } else {
                schedule_point_when(point, o, line, NULL, 0, false);
        }
        return atomic_bytes(object, size);
}

void controlled_atomic_after(const volatile void *object, size_t size,
                             struct controlled_bytes before, enum schedule_point point, unsigned line)
{
        struct schedule_object *o = schedule_object_at((const void *)object, "");

        if (!o)
                return;
        struct controlled_bytes after = atomic_bytes(object, size);
        if (memcmp(after.bytes, before.bytes, sizeof(after.bytes)) != 0) {
                schedule_object_written(o);
                schedule_spin_on(NULL, 0);
        } else {
                schedule_spin_on(point == SCHEDULE_ATOMIC_WRITE ? NULL : o, line);
        }
        if (point == SCHEDULE_ATOMIC_UPDATE)
                schedule_outcome_update(value_of(before), value_of(after));
        else
                schedule_outcome(value_of(after), SCHEDULE_DONE);
}
#endif
